/* Verify a Clerk session token from C.
 *
 *   cc verify.c $(pkg-config --cflags --libs verifier) -o verify
 *   ./verify examples/keys/clerk-jwks.json "Bearer $(cat examples/tokens/clerk.jwt)" 1764000000
 *
 * Arguments: JWKS file, Authorization header value, and optionally `now`
 * (seconds since the epoch; without it the system clock is used). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <verifier.h>

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = malloc(65536);
    *len = buf ? fread(buf, 1, 65536, f) : 0;
    fclose(f);
    return buf;
}

/* Print a claim view, which is not NUL-terminated. */
static void show(const char *name, vf_str v) {
    if (v.ptr) printf("%-9s %.*s\n", name, (int)v.len, (const char *)v.ptr);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s JWKS_FILE 'Bearer <token>' [NOW]\n", argv[0]);
        return 2;
    }
    size_t jwks_len;
    char *jwks = read_all(argv[1], &jwks_len);
    if (!jwks) {
        perror(argv[1]);
        return 2;
    }

    /* Once, at start-up: keys and policy. */
    vf_config *cfg = vf_config_new();
    if (!cfg) return 1;
    vf_status s = vf_config_add_jwks(cfg, (const uint8_t *)jwks, jwks_len);
    if (s == VF_OK) s = vf_config_preset_clerk(cfg);
    if (s == VF_OK) s = vf_config_add_issuer(cfg, "https://clerk.example.com");
    if (s == VF_OK) s = vf_config_add_authorized_party(cfg, "https://app.example.com");
    vf_verifier *verifier = NULL;
    if (s == VF_OK) s = vf_verifier_new(cfg, &verifier);
    if (s != VF_OK) {
        char why[256];
        vf_config_last_error(cfg, why, sizeof why);
        fprintf(stderr, "configuration refused: %s (%s)\n", vf_status_name(s), why);
        vf_config_free(cfg);
        free(jwks);
        return 1;
    }
    vf_config_free(cfg); /* the verifier keeps its own copy */
    free(jwks);

    /* Per request: the claims live in a struct you own (here, the stack). */
    int64_t now = argc > 3 ? strtoll(argv[3], NULL, 10) : 0;
    vf_claims claims;
    s = vf_verify_authorization(verifier, (const uint8_t *)argv[2], strlen(argv[2]), now, &claims);
    if (s != VF_OK) {
        printf("rejected: %s: %s\n", vf_status_name(s), vf_status_message(s));
    } else {
        printf("accepted (%s)\n", vf_alg_name(claims.alg));
        show("sub", claims.sub);
        show("sid", claims.sid);
        show("iss", claims.iss);
        show("azp", claims.azp);
        if (claims.has_exp) printf("%-9s %lld\n", "exp", (long long)claims.exp);
        vf_str raw;
        if (vf_claims_get(&claims, (const uint8_t *)"nbf", 3, &raw) == VF_OK && raw.ptr)
            printf("%-9s %.*s (raw JSON)\n", "nbf", (int)raw.len, (const char *)raw.ptr);
    }
    vf_verifier_free(verifier);
    return s == VF_OK ? 0 : 1;
}
