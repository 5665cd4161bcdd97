/* Verify a Clerk session token against keys fetched from a JWKS URL, with the
 * installed JWKS component (libverifier-jwks).
 *
 *   cc jwks_verify.c $(pkg-config --cflags --libs verifier-jwks) -o jwks_verify
 *   ./jwks_verify https://clerk.example.com/.well-known/jwks.json \
 *       "Bearer $(cat examples/tokens/clerk.jwt)" 1764000000
 *
 * Arguments: the JWKS URL, the Authorization header value, optionally `now`.
 * Prints the subject on success; exits 1 with the reason otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <verifier.h>
#include <vf_jwks.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s JWKS_URL 'Bearer <token>' [NOW]\n", argv[0]);
        return 2;
    }
    int64_t now = argc > 3 ? strtoll(argv[3], NULL, 10) : 0;
    vf_config *policy = vf_config_new();
    if (!policy || vf_config_preset_clerk(policy) != VF_OK ||
        vf_config_add_issuer(policy, "https://clerk.example.com") != VF_OK ||
        vf_config_add_authorized_party(policy, "https://app.example.com") != VF_OK) {
        fprintf(stderr, "policy refused\n");
        vf_config_free(policy);
        return 2;
    }
    char why[512];
    vf_jwks_options o = {.url = argv[1], .error_buf = why, .error_len = sizeof why};
    vf_jwks *jwks = NULL;
    vf_jwks_status js = vf_jwks_start(&o, policy, &jwks);
    vf_config_free(policy);
    if (js != VF_JWKS_OK) {
        fprintf(stderr, "JWKS: %s: %s\n", vf_jwks_status_name(js), why);
        return 1;
    }
    vf_claims claims;
    const char *hdr = argv[2];
    vf_status s = vf_verify_authorization(vf_jwks_verifier(jwks), (const uint8_t *)hdr,
                                          strlen(hdr), now, &claims);
    int rc = 0;
    if (s == VF_OK && claims.sub.ptr) {
        printf("sub %.*s\n", (int)claims.sub.len, (const char *)claims.sub.ptr);
    } else {
        fprintf(stderr, "refused: %s\n", vf_status_name(s));
        rc = 1;
    }
    vf_jwks_free(jwks);
    return rc;
}
