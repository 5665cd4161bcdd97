/* The C ABI from C: every status code, NULL and length-mismatch arguments,
 * non-UTF-8 input, presets, claims views, the static verifier and the
 * independent-implementation fixtures (flattened by gen_c_cases).
 *
 * usage: test_api REPO_ROOT CASES_FILE */
#define _DEFAULT_SOURCE /* mmap, mprotect, sysconf */
#include <stdalign.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "testutil.h"

static const char *root;
static const int64_t NOW = 1764000000; /* the example tokens are valid then */

static char *clerk_jwks, *clerk_pem, *logto_jwks, *clerk_jwt, *logto_jwt;
static size_t clerk_jwks_len, clerk_pem_len, logto_jwks_len, clerk_jwt_len,
    logto_jwt_len;

static void load_examples(void) {
    clerk_jwks = read_file(root, "examples/keys/clerk-jwks.json", &clerk_jwks_len);
    clerk_pem = read_file(root, "examples/keys/clerk.pem", &clerk_pem_len);
    logto_jwks = read_file(root, "examples/keys/logto-jwks.json", &logto_jwks_len);
    clerk_jwt = read_file(root, "examples/tokens/clerk.jwt", &clerk_jwt_len);
    clerk_jwt_len = trim_end(clerk_jwt, clerk_jwt_len);
    logto_jwt = read_file(root, "examples/tokens/logto.jwt", &logto_jwt_len);
    logto_jwt_len = trim_end(logto_jwt, logto_jwt_len);
}

static void free_examples(void) {
    free(clerk_jwks);
    free(clerk_pem);
    free(logto_jwks);
    free(clerk_jwt);
    free(logto_jwt);
}

/* The last error message of cfg (static buffer). */
static const char *last_error(const vf_config *cfg) {
    static char buf[512];
    vf_config_last_error(cfg, buf, sizeof buf);
    return buf;
}

static vf_verifier *clerk_verifier(void) {
    vf_config *cfg = vf_config_new();
    CHECK(cfg != NULL);
    CHECK_STATUS(vf_config_add_jwks(cfg, (const uint8_t *)clerk_jwks, clerk_jwks_len), VF_OK);
    CHECK_STATUS(vf_config_preset_clerk(cfg), VF_OK);
    CHECK_STATUS(vf_config_add_issuer(cfg, "https://clerk.example.com"), VF_OK);
    CHECK_STATUS(vf_config_add_authorized_party(cfg, "https://app.example.com"), VF_OK);
    vf_verifier *v = NULL;
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
    vf_config_free(cfg);
    return v;
}

static void test_status_text(void) {
    CHECK(strcmp(vf_status_name(VF_OK), "ok") == 0);
    CHECK(strcmp(vf_status_name(VF_EXPIRED), "expired") == 0);
    CHECK(strcmp(vf_status_message(VF_EXPIRED), "token has expired") == 0);
    CHECK(strcmp(vf_status_name(VF_NULL_ARGUMENT), "null_argument") == 0);
    CHECK(strcmp(vf_status_name(VF_MISSING_BEARER), "missing_bearer") == 0);
    CHECK(strcmp(vf_status_name(VF_PANIC), "panic") == 0);
    CHECK(strcmp(vf_status_name(VF_ALLOCATION_FAILED), "allocation_failed") == 0);
    CHECK(strcmp(vf_status_name(VF_INVALID_POLICY), "invalid_policy") == 0);
    CHECK(strcmp(vf_status_name(12345), "unknown") == 0);
    CHECK(vf_status_message(12345) != NULL);
    CHECK(VF_TOKEN_TOO_LARGE == 100 && VF_EXPIRED == 600 && VF_INVALID_POLICY == 700);
    /* Every status value has a name and a message; numbers are unique. */
    for (uint32_t s = 0; s < 1000; s++) {
        const char *n = vf_status_name(s);
        CHECK(n != NULL && vf_status_message(s) != NULL);
    }
    CHECK(strcmp(vf_alg_name(VF_ALG_ES384), "ES384") == 0);
    CHECK(strcmp(vf_alg_name(VF_ALG_EDDSA), "EdDSA") == 0);
    CHECK(strcmp(vf_alg_name(99), "unknown") == 0);
    CHECK(strcmp(vf_version(), "0.1.0") == 0);
}

static void test_clerk_example(void) {
    vf_verifier *v = clerk_verifier();
    vf_claims c;
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len, NOW, &c), VF_OK);
    CHECK(view_is(c.sub, "user_2abcDEF"));
    CHECK(view_is(c.iss, "https://clerk.example.com"));
    CHECK(view_is(c.sid, "sess_2abcDEF"));
    CHECK(view_is(c.azp, "https://app.example.com"));
    CHECK(view_absent(c.client_id));
    CHECK(c.has_exp && c.exp > NOW);
    CHECK(c.has_iat && c.iat <= NOW);
    CHECK(c.alg == VF_ALG_RS256);
    CHECK(c.payload.ptr != NULL && c.payload.len > 2 && c.payload.ptr[0] == '{');

    /* Any claim by name, as raw JSON. */
    vf_str raw;
    CHECK_STATUS(vf_claims_get(&c, (const uint8_t *)"sub", 3, &raw), VF_OK);
    CHECK(view_is(raw, "\"user_2abcDEF\""));
    CHECK_STATUS(vf_claims_get(&c, (const uint8_t *)"exp", 3, &raw), VF_OK);
    CHECK(raw.ptr != NULL && raw.ptr[0] >= '0' && raw.ptr[0] <= '9');
    CHECK_STATUS(vf_claims_get(&c, (const uint8_t *)"nope", 4, &raw), VF_OK);
    CHECK(view_absent(raw));
    /* Length mismatch: "subx" cut to 3 bytes is "sub". */
    CHECK_STATUS(vf_claims_get(&c, (const uint8_t *)"subx", 3, &raw), VF_OK);
    CHECK(view_is(raw, "\"user_2abcDEF\""));
    CHECK_STATUS(vf_claims_get(&c, (const uint8_t *)"", 0, &raw), VF_OK);
    CHECK(view_absent(raw));
    CHECK_STATUS(vf_claims_get(&c, (const uint8_t *)"\xff\xfe", 2, &raw), VF_INVALID_ARGUMENT);
    CHECK_STATUS(vf_claims_get(NULL, (const uint8_t *)"sub", 3, &raw), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_claims_get(&c, NULL, 3, &raw), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_claims_get(&c, (const uint8_t *)"sub", 3, NULL), VF_NULL_ARGUMENT);

    /* A copy's views point into the original: the copy is refused, not read. */
    vf_claims *copy = malloc(sizeof *copy);
    CHECK(copy != NULL);
    memcpy(copy, &c, sizeof c);
    CHECK_STATUS(vf_claims_get(copy, (const uint8_t *)"sub", 3, &raw), VF_INVALID_ARGUMENT);
    free(copy);

    /* A failed verification resets the views of a reused struct. */
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len, NOW + 100000, &c), VF_EXPIRED);
    CHECK(view_absent(c.sub) && view_absent(c.payload) && !c.has_exp);
    CHECK_STATUS(vf_claims_get(&c, (const uint8_t *)"sub", 3, &raw), VF_INVALID_ARGUMENT);

    /* now = 0: the system clock, long after the example token expired. */
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len, 0, &c), VF_EXPIRED);
    vf_verifier_free(v);
}

/* Provider presets refuse a configuration missing what they need (their
 * verdicts on provider-shaped tokens are in the fixtures). */
static void test_provider_presets_need(void) {
    vf_config *cfg = vf_config_new();
    vf_verifier *v = NULL;
    size_t n;
    char *jwks = read_file(root, "core/tests/data/providers/jwks.json", &n);
    CHECK_STATUS(vf_config_add_jwks(cfg, (const uint8_t *)jwks, n), VF_OK);
    free(jwks);
    CHECK_STATUS(vf_config_preset_cognito_access(cfg), VF_OK);
    CHECK_STATUS(vf_config_add_issuer(cfg, "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI"), VF_OK);
    /* Cognito access tokens carry no aud: the app client id is needed. */
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_POLICY_NEEDS_CLIENT_ID);
    vf_config_free(cfg);

    cfg = vf_config_new();
    CHECK_STATUS(vf_config_preset_google(cfg), VF_OK);
    CHECK_STATUS(vf_config_preset_keycloak(cfg), VF_OK);
    CHECK_STATUS(vf_config_preset_okta(NULL), VF_NULL_ARGUMENT);
    vf_config_free(cfg);

    /* An issuer not of the provider's documented form: Okta's org
     * authorization server, whose tokens only Okta may validate. */
    cfg = vf_config_new();
    jwks = read_file(root, "core/tests/data/providers/jwks.json", &n);
    CHECK_STATUS(vf_config_add_jwks(cfg, (const uint8_t *)jwks, n), VF_OK);
    free(jwks);
    CHECK_STATUS(vf_config_preset_okta(cfg), VF_OK);
    CHECK_STATUS(vf_config_add_issuer(cfg, "https://dev-123456.okta.com"), VF_OK);
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_INVALID_POLICY);
    CHECK(strstr(last_error(cfg), "oauth2") != NULL);
    vf_config_free(cfg);

    /* Roles: an empty one or a ninth is refused; NULL arguments too. */
    cfg = vf_config_new();
    CHECK_STATUS(vf_config_preset_supabase(cfg), VF_OK);
    CHECK_STATUS(vf_config_add_role(cfg, ""), VF_INVALID_POLICY);
    CHECK(strstr(last_error(cfg), "role") != NULL);
    CHECK_STATUS(vf_config_add_role(NULL, "authenticated"), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_config_add_role(cfg, NULL), VF_NULL_ARGUMENT);
    const char *eight[] = {"r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"};
    for (size_t i = 0; i < 8; i++) CHECK_STATUS(vf_config_add_role(cfg, eight[i]), VF_OK);
    CHECK_STATUS(vf_config_add_role(cfg, "r9"), VF_INVALID_POLICY);
    vf_config_free(cfg);
}

static void test_clerk_pem_and_logto(void) {
    vf_config *cfg = vf_config_new();
    CHECK_STATUS(vf_config_add_pem(cfg, (const uint8_t *)clerk_pem, clerk_pem_len, NULL), VF_OK);
    CHECK_STATUS(vf_config_preset_clerk(cfg), VF_OK);
    CHECK_STATUS(vf_config_add_issuer(cfg, "https://clerk.example.com"), VF_OK);
    vf_verifier *v = NULL;
    /* Clerk's preset needs the app's origins. */
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_POLICY_NEEDS_AUTHORIZED_PARTY);
    CHECK(strstr(last_error(cfg), "authorized party") != NULL);
    CHECK_STATUS(vf_config_add_authorized_party(cfg, "https://app.example.com"), VF_OK);
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
    vf_claims c;
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len, NOW, &c), VF_OK);
    CHECK(view_is(c.sub, "user_2abcDEF"));
    /* Clerk's preset refuses the Logto token's ES384 before any key work. */
    CHECK_STATUS(vf_verify(v, (const uint8_t *)logto_jwt, logto_jwt_len, NOW, &c), VF_ALG_NOT_ALLOWED_BY_POLICY);
    vf_verifier_free(v);
    vf_config_free(cfg);

    cfg = vf_config_new();
    CHECK_STATUS(vf_config_add_jwks(cfg, (const uint8_t *)logto_jwks, logto_jwks_len), VF_OK);
    CHECK_STATUS(vf_config_preset_logto(cfg), VF_OK);
    CHECK_STATUS(vf_config_add_issuer(cfg, "https://tenant.logto.app/oidc"), VF_OK);
    CHECK_STATUS(vf_config_add_audience(cfg, "https://api.example.com"), VF_OK);
    CHECK_STATUS(vf_config_add_client_id(cfg, "m2mapp"), VF_OK);
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)logto_jwt, logto_jwt_len, NOW, &c), VF_OK);
    CHECK(view_is(c.iss, "https://tenant.logto.app/oidc"));
    CHECK(view_is(c.client_id, "m2mapp"));
    CHECK(view_is(c.typ, "at+jwt"));
    CHECK(c.alg == VF_ALG_ES384);
    vf_str raw;
    CHECK_STATUS(vf_claims_get(&c, (const uint8_t *)"aud", 3, &raw), VF_OK);
    CHECK(raw.ptr != NULL);
    vf_verifier_free(v);

    /* Policy checks through the configuration. */
    CHECK_STATUS(vf_config_add_required_scope(cfg, "no:such:scope"), VF_OK);
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)logto_jwt, logto_jwt_len, NOW, &c), VF_MISSING_SCOPE);
    vf_verifier_free(v);
    vf_config_free(cfg);

    cfg = vf_config_new();
    CHECK_STATUS(vf_config_add_jwks(cfg, (const uint8_t *)logto_jwks, logto_jwks_len), VF_OK);
    CHECK_STATUS(vf_config_add_audience(cfg, "https://other.example.com"), VF_OK);
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)logto_jwt, logto_jwt_len, NOW, &c), VF_WRONG_AUDIENCE);
    vf_verifier_free(v);
    vf_config_free(cfg);

    /* max_token_len below the token's length. */
    cfg = vf_config_new();
    CHECK_STATUS(vf_config_add_jwks(cfg, (const uint8_t *)logto_jwks, logto_jwks_len), VF_OK);
    CHECK_STATUS(vf_config_set_max_token_len(cfg, 100), VF_OK);
    CHECK_STATUS(vf_config_set_leeway(cfg, 30), VF_OK);
    CHECK_STATUS(vf_config_set_max_age(cfg, 0), VF_OK);
    CHECK_STATUS(vf_config_set_require_exp(cfg, true), VF_OK);
    CHECK_STATUS(vf_config_set_require_sub(cfg, true), VF_OK);
    CHECK_STATUS(vf_config_allow_missing_typ(cfg, true), VF_OK);
    CHECK_STATUS(vf_config_add_typ(cfg, "at+jwt"), VF_OK);
    CHECK_STATUS(vf_config_allow_alg(cfg, "ES384"), VF_OK);
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)logto_jwt, logto_jwt_len, NOW, &c), VF_TOKEN_TOO_LARGE);
    vf_verifier_free(v);
    vf_config_free(cfg);
}

static void test_authorization_header(void) {
    vf_verifier *v = clerk_verifier();
    vf_claims c;
    char h[8192];
    const char *forms[] = {"Bearer %s", "bearer %s", "BEARER\t%s", "  Bearer   %s \t"};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        int n = snprintf(h, sizeof h, forms[i], clerk_jwt);
        CHECK_STATUS(vf_verify_authorization(v, (const uint8_t *)h, (size_t)n, NOW, &c), VF_OK);
        CHECK(view_is(c.sub, "user_2abcDEF"));
    }
    const char *bad[] = {"Basic abc", "Bearer", "Bearer   ", "", "Bearerx.y.z", "Token a.b.c"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK_STATUS(vf_verify_authorization(v, (const uint8_t *)bad[i], strlen(bad[i]), NOW, &c), VF_MISSING_BEARER);
    CHECK(view_absent(c.sub));
    /* Non-UTF-8 bytes in the header or token are refused, never read past. */
    const char junk[] = "Bearer \xff\xfe.\x80\x81.\xc3";
    CHECK_STATUS(vf_verify_authorization(v, (const uint8_t *)junk, sizeof junk - 1, NOW, &c), VF_BAD_BASE64);
    const char junk2[] = "\xff\xfe Bearer x";
    CHECK_STATUS(vf_verify_authorization(v, (const uint8_t *)junk2, sizeof junk2 - 1, NOW, &c), VF_MISSING_BEARER);
    CHECK_STATUS(vf_verify_authorization(NULL, (const uint8_t *)h, 5, NOW, &c), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_verify_authorization(v, NULL, 5, NOW, &c), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_verify_authorization(v, (const uint8_t *)h, 5, NOW, NULL), VF_NULL_ARGUMENT);
    vf_verifier_free(v);
}

/* The length is checked before any byte is read: a token or Authorization
 * value longer than the maximum is refused without reading past its first
 * page, which is followed here by pages that cannot be read at all (a scan
 * for dots or blanks would crash). And the maximum bounds the whole
 * Authorization value, blanks included, not only the token after them. */
static void test_length_checked_first(void) {
    vf_verifier *v = clerk_verifier();
    vf_claims c;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t total = page + ((VF_MAX_TOKEN_LEN + 64) / page + 1) * page;
    unsigned char *m = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED);
    memset(m, 'A', page); /* no dot, no blank after the scheme */
    memcpy(m, "Bearer ", 7);
    CHECK(mprotect(m + page, total - page, PROT_NONE) == 0);
    CHECK_STATUS(vf_verify(v, m, total, NOW, &c), VF_TOKEN_TOO_LARGE);
    CHECK(view_absent(c.sub));
    CHECK_STATUS(vf_verify_authorization(v, m, total, NOW, &c), VF_TOKEN_TOO_LARGE);
    CHECK(view_absent(c.payload));
    CHECK(munmap(m, total) == 0);

    /* Blanks count: a short token after enough blanks is too large... */
    static char h[VF_MAX_TOKEN_LEN + 64];
    size_t pad = VF_MAX_TOKEN_LEN - clerk_jwt_len + 1;
    memcpy(h, "Bearer ", 7);
    memset(h + 7, ' ', pad);
    memcpy(h + 7 + pad, clerk_jwt, clerk_jwt_len);
    CHECK_STATUS(vf_verify_authorization(v, (const uint8_t *)h, 7 + pad + clerk_jwt_len, NOW, &c),
                 VF_TOKEN_TOO_LARGE);
    /* ...and one blank fewer is read: the value is the maximum plus "Bearer ". */
    CHECK_STATUS(vf_verify_authorization(v, (const uint8_t *)h + 1, 6 + pad + clerk_jwt_len, NOW, &c),
                 VF_MISSING_BEARER);
    memcpy(h + 1, "Bearer ", 7);
    CHECK_STATUS(vf_verify_authorization(v, (const uint8_t *)h + 1, 6 + pad + clerk_jwt_len, NOW, &c), VF_OK);
    CHECK(view_is(c.sub, "user_2abcDEF"));
    vf_verifier_free(v);
}

/* A token with the given header JSON, payload JSON and signature bytes. */
static size_t make_token(char *out, const char *header, const char *payload, size_t sig_len) {
    size_t n = b64url(header, strlen(header), out);
    out[n++] = '.';
    n += b64url(payload, strlen(payload), out + n);
    out[n++] = '.';
    unsigned char sig[512];
    memset(sig, 0x5a, sizeof sig);
    n += b64url(sig, sig_len, out + n);
    return n;
}

static void test_token_statuses(void) {
    vf_verifier *v = clerk_verifier();
    vf_claims c;
    static char tok[16384];
    static char big[12000];
    const char *pl = "{\"sub\":\"u\",\"exp\":1764000600}";
    size_t n;

    /* Length mismatches and framing. */
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, 0, NOW, &c), VF_MALFORMED_TOKEN);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len - 1, NOW, &c), VF_BAD_BASE64);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len - 2, NOW, &c), VF_BAD_SIGNATURE_LENGTH);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, 20, NOW, &c), VF_MALFORMED_TOKEN);
    memset(big, 'A', sizeof big);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)big, VF_MAX_TOKEN_LEN + 1, NOW, &c), VF_TOKEN_TOO_LARGE);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)big, VF_MAX_TOKEN_LEN, NOW, &c), VF_MALFORMED_TOKEN);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)"a.b.c\xff", 6, NOW, &c), VF_BAD_BASE64);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)"\xff\xfe\xfd", 3, NOW, &c), VF_MALFORMED_TOKEN);
    CHECK_STATUS(vf_verify(NULL, (const uint8_t *)clerk_jwt, clerk_jwt_len, NOW, &c), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_verify(v, NULL, clerk_jwt_len, NOW, &c), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_verify(v, NULL, 0, NOW, &c), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len, NOW, NULL), VF_NULL_ARGUMENT);

    /* Header statuses (all decided before any key work). */
    n = make_token(tok, "{\"alg\":\"RS256\",\"kid\":7}", pl, 256);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_HEADER_WRONG_TYPE);
    n = make_token(tok, "{\"alg\":\"RS256\",\"b64\":false}", pl, 256);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_UNENCODED_PAYLOAD);
    n = make_token(tok, "[\"RS256\"]", pl, 256);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_MALFORMED_HEADER);
    n = make_token(tok, "{\"alg\":\"RS256\",\"cty\":\"application/JWT\"}", pl, 256);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_NESTED_TOKEN);
    n = make_token(tok, "{\"alg\":\"RS256\",\"zip\":\"DEF\"}", pl, 256);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_COMPRESSED_PAYLOAD);
    {
        /* 100 names sharing one 32-bit FNV-1a hash (one 5-byte block from
         * each pair, see core/src/json.rs): the duplicate check would walk
         * back quadratically, and the parser's work budget refuses it. */
        static const char *pairs[8][2] = {{"oMPKz", "2IEwv"}, {"jlLOg", "JJH8T"}, {"Z4TtN", "MNg1S"},
                                          {"DV7II", "3Hjuu"}, {"uTE1q", "nHBiQ"}, {"QU6Pt", "2kV7T"},
                                          {"PxSdf", "j1Uyr"}, {"fTJ3T", "4qcGT"}};
        static char hdr[6000];
        size_t at = (size_t)sprintf(hdr, "{\"alg\":\"RS256\"");
        for (int i = 0; i < 100; i++) {
            at += (size_t)sprintf(hdr + at, ",\"");
            for (int b = 0; b < 8; b++) at += (size_t)sprintf(hdr + at, "%s", pairs[b][(i >> b) & 1]);
            at += (size_t)sprintf(hdr + at, "\":0");
        }
        sprintf(hdr + at, "}");
        n = make_token(tok, hdr, pl, 256);
        CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_JSON_TOO_COMPLEX);
    }
    n = make_token(tok, "{\"alg\":\"none\"}", pl, 256);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_ALG_NONE);
    n = make_token(tok, "{\"alg\":\"RS256\"}x", pl, 256);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_JSON_TRAILING_DATA);
    n = make_token(tok, "{\"alg\":\"RS256\",\"x\":\"\\q\"}", pl, 256);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_JSON_BAD_ESCAPE);
    n = make_token(tok, "{\"alg\":\"RS256\",\"x\":\"\x01\"}", pl, 256);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_JSON_CONTROL_CHAR);
    n = make_token(tok, "{\"alg\":\"RS256\",\"x\":\"\xff\"}", pl, 256);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_JSON_INVALID_UTF8);
    n = make_token(tok, "{\"alg\":\"RS256\",\"alg\":\"RS256\"}", pl, 256);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_JSON_DUPLICATE_MEMBER);
    n = make_token(tok, "{\"alg\":\"RS256\",", pl, 256);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_JSON_SYNTAX);
    {
        char deep[200];
        size_t d = (size_t)snprintf(deep, sizeof deep, "{\"alg\":\"RS256\",\"x\":");
        for (int i = 0; i < 40; i++) deep[d++] = '[';
        for (int i = 0; i < 40; i++) deep[d++] = ']';
        deep[d++] = '}';
        deep[d] = 0;
        n = make_token(tok, deep, pl, 256);
        CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_JSON_TOO_DEEP);
    }
    {
        char many[4096];
        size_t m = (size_t)snprintf(many, sizeof many, "{\"alg\":\"RS256\"");
        for (int i = 0; i < 300; i++) m += (size_t)snprintf(many + m, sizeof many - m, ",\"m%d\":0", i);
        many[m++] = '}';
        many[m] = 0;
        n = make_token(tok, many, pl, 256);
        CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_JSON_TOO_MANY_MEMBERS);
    }
    /* Key selection and signature. */
    n = make_token(tok, "{\"alg\":\"RS256\",\"kid\":\"no-such-key\"}", pl, 256);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_UNKNOWN_KID);
    n = make_token(tok, "{\"alg\":\"RS256\"}", pl, 100);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, n, NOW, &c), VF_BAD_SIGNATURE_LENGTH);
    {
        /* The Clerk token's header and payload with a forged signature. */
        memcpy(tok, clerk_jwt, clerk_jwt_len);
        char *last = tok + clerk_jwt_len - 5;
        *last = *last == 'A' ? 'B' : 'A';
        CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, clerk_jwt_len, NOW, &c), VF_BAD_SIGNATURE);
    }
    vf_verifier_free(v);
}

static void test_config_statuses(void) {
    vf_config *cfg = vf_config_new();
    vf_verifier *v = (vf_verifier *)0x1; /* must stay untouched on failure */
    char msg[512];

    /* Nothing configured. */
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_NO_KEYS);
    CHECK(v == (vf_verifier *)0x1);
    CHECK(strstr(last_error(cfg), "no key") != NULL);

    CHECK_STATUS(vf_config_add_jwks(cfg, (const uint8_t *)"{", 1), VF_KEY_MALFORMED);
    CHECK(strstr(last_error(cfg), "jwks") != NULL);
    const char *bad_second =
        "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"good\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0\"},"
        "{\"kty\":\"EC\",\"kid\":\"broken\",\"crv\":\"P-256\",\"x\":\"!!\",\"y\":\"AA\"}]}";
    /* The oct key is skipped by default and the broken one always: nothing usable. */
    CHECK_STATUS(vf_config_add_jwks(cfg, (const uint8_t *)bad_second, strlen(bad_second)), VF_NO_KEYS);
    CHECK(strstr(last_error(cfg), "keys[0] skipped: symmetric_key_in_jwks") != NULL);
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_NO_KEYS);
    {
        /* Asked for, the oct key loads and the broken one is reported, not fatal. */
        vf_config *other = vf_config_new();
        vf_load_report r;
        CHECK_STATUS(vf_config_add_jwks_ex(other, (const uint8_t *)bad_second, strlen(bad_second), NULL,
                                           VF_JWKS_ALLOW_SYMMETRIC, &r),
                     VF_OK);
        CHECK(r.added == 1 && r.skipped == 1 && r.skipped_malformed == 1);
        vf_config_free(other);
    }
    const char *only_unsupported = "{\"keys\":[{\"kty\":\"XYZ\"}]}";
    CHECK_STATUS(vf_config_add_jwks(cfg, (const uint8_t *)only_unsupported, strlen(only_unsupported)), VF_NO_KEYS);
    const char *unsupported = "{\"kty\":\"XYZ\"}";
    CHECK_STATUS(vf_config_add_jwk(cfg, (const uint8_t *)unsupported, strlen(unsupported)), VF_KEY_UNSUPPORTED);
    CHECK(strstr(last_error(cfg), "jwk") != NULL);
    {
        /* A P-256 point that is not on the curve. */
        char x[64], jwk[256];
        unsigned char zeros[32] = {0};
        zeros[31] = 1;
        b64url(zeros, 32, x);
        snprintf(jwk, sizeof jwk, "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\",\"y\":\"%s\"}", x, x);
        CHECK_STATUS(vf_config_add_jwk(cfg, (const uint8_t *)jwk, strlen(jwk)), VF_INVALID_PUBLIC_KEY);
    }
    {
        /* A 1024-bit RSA modulus. */
        unsigned char nbytes[128];
        char n[200], jwk[400];
        memset(nbytes, 0xc3, sizeof nbytes);
        b64url(nbytes, sizeof nbytes, n);
        snprintf(jwk, sizeof jwk, "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQAB\"}", n);
        CHECK_STATUS(vf_config_add_jwk(cfg, (const uint8_t *)jwk, strlen(jwk)), VF_RSA_KEY_SIZE);
    }
    const char *short_pem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
    CHECK_STATUS(vf_config_add_pem(cfg, (const uint8_t *)short_pem, strlen(short_pem), NULL), VF_KEY_MALFORMED);
    CHECK(strstr(last_error(cfg), "pem") != NULL);
    char kid[80];
    memset(kid, 'k', 79);
    kid[79] = 0;
    CHECK_STATUS(vf_config_add_pem(cfg, (const uint8_t *)clerk_pem, clerk_pem_len, kid), VF_KID_TOO_LONG);
    CHECK_STATUS(vf_config_add_pem(cfg, (const uint8_t *)clerk_pem, clerk_pem_len, "\xff"), VF_INVALID_ARGUMENT);
    const uint8_t secret[64] = {1, 2, 3};
    CHECK_STATUS(vf_config_add_hmac_secret(cfg, secret, 16, NULL, NULL), VF_HMAC_KEY_TOO_SHORT);
    CHECK_STATUS(vf_config_add_hmac_secret(cfg, secret, 32, "HS512", NULL), VF_HMAC_KEY_TOO_SHORT);
    CHECK_STATUS(vf_config_add_hmac_secret(cfg, secret, 32, "RS256", NULL), VF_INVALID_ARGUMENT);
    CHECK(strstr(last_error(cfg), "RS256") != NULL);
    CHECK_STATUS(vf_config_add_hmac_secret(cfg, secret, 32, "HS256", "\xc3("), VF_INVALID_ARGUMENT);
    for (int i = 0; i < VF_MAX_KEYS; i++)
        CHECK_STATUS(vf_config_add_hmac_secret(cfg, secret, 64, NULL, NULL), VF_OK);
    CHECK_STATUS(vf_config_add_hmac_secret(cfg, secret, 64, NULL, NULL), VF_TOO_MANY_KEYS);
    CHECK_STATUS(vf_config_add_jwks(cfg, (const uint8_t *)clerk_jwks, clerk_jwks_len), VF_TOO_MANY_KEYS);

    /* Policy entries. */
    CHECK_STATUS(vf_config_add_issuer(cfg, ""), VF_INVALID_POLICY);
    CHECK(strstr(last_error(cfg), "issuer") != NULL);
    CHECK_STATUS(vf_config_add_required_scope(cfg, "a b"), VF_INVALID_POLICY);
    CHECK(strstr(last_error(cfg), "required_scope") != NULL);
    CHECK_STATUS(vf_config_add_audience(cfg, "\xff"), VF_INVALID_ARGUMENT);
    CHECK(strstr(last_error(cfg), "audience") != NULL);
    CHECK_STATUS(vf_config_allow_alg(cfg, "none"), VF_INVALID_ARGUMENT);
    CHECK_STATUS(vf_config_allow_alg(cfg, "rs256"), VF_INVALID_ARGUMENT);
    CHECK(strstr(last_error(cfg), "rs256") != NULL);
    CHECK_STATUS(vf_config_set_max_token_len(cfg, 0), VF_INVALID_ARGUMENT);
    CHECK_STATUS(vf_config_set_max_token_len(cfg, VF_MAX_TOKEN_LEN + 1), VF_INVALID_ARGUMENT);
    CHECK(strstr(last_error(cfg), "max_token_len") != NULL);

    /* The keys are HMAC only: an RS256-only policy could never verify. */
    CHECK_STATUS(vf_config_allow_alg(cfg, "RS256"), VF_OK);
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_INVALID_POLICY);
    CHECK(strstr(last_error(cfg), "algorithms") != NULL);
    CHECK(v == (vf_verifier *)0x1);
    CHECK_STATUS(vf_config_allow_alg(cfg, "HS256"), VF_OK);
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
    vf_verifier_free(v);

    /* last_error: returns the full length, truncates into small buffers. */
    CHECK_STATUS(vf_config_add_issuer(cfg, ""), VF_INVALID_POLICY);
    size_t need = vf_config_last_error(cfg, NULL, 0);
    CHECK(need == strlen("issuer: empty string"));
    memset(msg, 'x', sizeof msg);
    CHECK(vf_config_last_error(cfg, msg, 5) == need);
    CHECK(strcmp(msg, "issu") == 0 && msg[5] == 'x');
    CHECK(vf_config_last_error(cfg, msg, 1) == need && msg[0] == 0);
    CHECK(vf_config_last_error(NULL, msg, sizeof msg) == 0);
    vf_config_free(cfg);

}

static void test_null_arguments(void) {
    vf_config *cfg = vf_config_new();
    vf_verifier *v = NULL;
    const uint8_t b[1] = {0};
#define NUL(call) CHECK_STATUS(call, VF_NULL_ARGUMENT)
    NUL(vf_config_add_jwks(NULL, b, 1));
    NUL(vf_config_add_jwks(cfg, NULL, 1));
    NUL(vf_config_add_jwk(NULL, b, 1));
    NUL(vf_config_add_jwk(cfg, NULL, 0));
    NUL(vf_config_add_pem(NULL, b, 1, NULL));
    NUL(vf_config_add_pem(cfg, NULL, 1, NULL));
    NUL(vf_config_add_hmac_secret(NULL, b, 1, NULL, NULL));
    NUL(vf_config_add_hmac_secret(cfg, NULL, 1, NULL, NULL));
    NUL(vf_config_add_issuer(NULL, "x"));
    NUL(vf_config_add_issuer(cfg, NULL));
    NUL(vf_config_add_audience(cfg, NULL));
    NUL(vf_config_add_authorized_party(cfg, NULL));
    NUL(vf_config_add_client_id(cfg, NULL));
    NUL(vf_config_add_typ(cfg, NULL));
    NUL(vf_config_add_required_scope(cfg, NULL));
    NUL(vf_config_allow_missing_typ(NULL, true));
    NUL(vf_config_allow_alg(NULL, "RS256"));
    NUL(vf_config_allow_alg(cfg, NULL));
    NUL(vf_config_set_leeway(NULL, 1));
    NUL(vf_config_set_max_age(NULL, 1));
    NUL(vf_config_set_require_exp(NULL, true));
    NUL(vf_config_set_require_sub(NULL, true));
    NUL(vf_config_set_max_token_len(NULL, 100));
    NUL(vf_config_preset_clerk(NULL));
    NUL(vf_config_preset_logto(NULL));
    NUL(vf_config_preset_oidc(NULL));
    NUL(vf_verifier_new(NULL, &v));
    NUL(vf_verifier_new(cfg, NULL));
    NUL(vf_verifier_replace_keys(NULL, cfg));
    vf_verifier *cv = clerk_verifier();
    NUL(vf_verifier_replace_keys(cv, NULL));
    vf_verifier_free(cv);
    vf_static_policy sp;
    vf_static_policy_default(&sp);
    static alignas(16) unsigned char mem[VF_VERIFIER_STATIC_SIZE];
    NUL(vf_verifier_init_static(NULL, sizeof mem, b, 1, &sp, &v));
    NUL(vf_verifier_init_static(mem, sizeof mem, NULL, 1, &sp, &v));
    NUL(vf_verifier_init_static(mem, sizeof mem, b, 1, NULL, &v));
    NUL(vf_verifier_init_static(mem, sizeof mem, b, 1, &sp, NULL));
#undef NUL
    /* NULL is a no-op for the free functions and the policy initialisers. */
    vf_config_free(NULL);
    vf_verifier_free(NULL);
    vf_static_policy_default(NULL);
    vf_static_policy_clerk(NULL);
    vf_static_policy_logto(NULL);
    vf_config_free(cfg);
}

static void test_replace_keys(void) {
    vf_verifier *v = clerk_verifier();
    vf_claims c;
    vf_config *logto = vf_config_new();
    CHECK_STATUS(vf_config_add_jwks(logto, (const uint8_t *)logto_jwks, logto_jwks_len), VF_OK);
    /* ES384 keys cannot serve the Clerk policy (RS256): refused, old keys kept. */
    CHECK_STATUS(vf_verifier_replace_keys(v, logto), VF_INVALID_POLICY);
    CHECK(strstr(last_error(logto), "algorithms") != NULL);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len, NOW, &c), VF_OK);
    vf_config *empty = vf_config_new();
    CHECK_STATUS(vf_verifier_replace_keys(v, empty), VF_NO_KEYS);
    /* An HMAC-only key set: the Clerk token no longer verifies. */
    vf_config *hmac = vf_config_new();
    const uint8_t secret[32] = {9};
    CHECK_STATUS(vf_config_add_hmac_secret(hmac, secret, 32, NULL, NULL), VF_OK);
    CHECK_STATUS(vf_config_allow_alg(hmac, "HS256"), VF_OK); /* ignored: the verifier's policy stays */
    CHECK_STATUS(vf_verifier_replace_keys(v, hmac), VF_INVALID_POLICY);
    vf_config *pem = vf_config_new();
    CHECK_STATUS(vf_config_add_pem(pem, (const uint8_t *)clerk_pem, clerk_pem_len, "other-kid"), VF_OK);
    CHECK_STATUS(vf_verifier_replace_keys(v, pem), VF_OK);
    /* The token's kid names no key now. */
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len, NOW, &c), VF_UNKNOWN_KID);
    vf_config *jwks = vf_config_new();
    CHECK_STATUS(vf_config_add_jwks(jwks, (const uint8_t *)clerk_jwks, clerk_jwks_len), VF_OK);
    CHECK_STATUS(vf_verifier_replace_keys(v, jwks), VF_OK);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len, NOW, &c), VF_OK);
    vf_config_free(logto);
    vf_config_free(empty);
    vf_config_free(hmac);
    vf_config_free(pem);
    vf_config_free(jwks);
    vf_verifier_free(v);
}

static void test_static(void) {
    static alignas(16) unsigned char mem[VF_VERIFIER_STATIC_SIZE + 16];
    vf_verifier *v = NULL;
    vf_claims c;
    vf_static_policy p;
    const char *issuers[] = {"https://clerk.example.com"};
    const char *parties[] = {"https://other.example.com", "https://app.example.com"};
    vf_static_policy_clerk(&p);
    CHECK(p.algorithms == 1u << VF_ALG_RS256 && p.leeway == 5 && p.typs_len == 1 && p.allow_missing_typ);
    p.issuers = issuers;
    p.issuers_len = 1;
    p.authorized_parties = parties;
    p.authorized_parties_len = 2;

    CHECK_STATUS(vf_verifier_init_static(mem, VF_VERIFIER_STATIC_SIZE - 1, (const uint8_t *)clerk_pem, clerk_pem_len, &p, &v), VF_INVALID_ARGUMENT);
    CHECK_STATUS(vf_verifier_init_static(mem + 8, VF_VERIFIER_STATIC_SIZE, (const uint8_t *)clerk_pem, clerk_pem_len, &p, &v), VF_INVALID_ARGUMENT);
    CHECK(v == NULL);
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)clerk_pem, clerk_pem_len, &p, &v), VF_OK);
    CHECK(v == (vf_verifier *)mem);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len, NOW, &c), VF_OK);
    CHECK(view_is(c.sub, "user_2abcDEF") && view_is(c.sid, "sess_2abcDEF"));
    vf_config *jwks = vf_config_new();
    CHECK_STATUS(vf_config_add_jwks(jwks, (const uint8_t *)clerk_jwks, clerk_jwks_len), VF_OK);
    CHECK_STATUS(vf_verifier_replace_keys(v, jwks), VF_INVALID_ARGUMENT);
    vf_config_free(jwks);
    vf_verifier_free(v);

    /* The same memory again: a JWKS, the Logto preset. */
    const char *liss[] = {"https://tenant.logto.app/oidc"};
    const char *laud[] = {"https://api.example.com"};
    const char *lcid[] = {"m2mapp"};
    vf_static_policy_logto(&p);
    p.issuers = liss;
    p.issuers_len = 1;
    p.audiences = laud;
    p.audiences_len = 1;
    p.client_ids = lcid;
    p.client_ids_len = 1;
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)logto_jwks, logto_jwks_len, &p, &v), VF_OK);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)logto_jwt, logto_jwt_len, NOW, &c), VF_OK);
    CHECK(view_is(c.client_id, "m2mapp") && view_is(c.typ, "at+jwt"));
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len, NOW, &c), VF_ALG_NOT_ALLOWED_BY_POLICY);
    vf_verifier_free(v);

    /* Bad static policies: nothing is built. */
    v = NULL;
    const char *empty[] = {""};
    const char *nine[9] = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
    const char *not_utf8[] = {"\xff"};
    vf_static_policy_default(&p);
    p.issuers = empty;
    p.issuers_len = 1;
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)clerk_pem, clerk_pem_len, &p, &v), VF_INVALID_POLICY);
    p.issuers = nine;
    p.issuers_len = 9;
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)clerk_pem, clerk_pem_len, &p, &v), VF_INVALID_ARGUMENT);
    p.issuers = not_utf8;
    p.issuers_len = 1;
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)clerk_pem, clerk_pem_len, &p, &v), VF_INVALID_ARGUMENT);
    p.issuers = NULL;
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)clerk_pem, clerk_pem_len, &p, &v), VF_NULL_ARGUMENT);
    vf_static_policy_default(&p);
    p.algorithms = 1u << 13; /* one past VF_ALG_ES512 */
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)clerk_pem, clerk_pem_len, &p, &v), VF_INVALID_ARGUMENT);
    p.algorithms = 1u << VF_ALG_ES512; /* known, but the Clerk key is RSA */
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)clerk_pem, clerk_pem_len, &p, &v), VF_INVALID_POLICY);
    p.algorithms = 1u << VF_ALG_ES256;
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)clerk_pem, clerk_pem_len, &p, &v), VF_INVALID_POLICY);
    vf_static_policy_default(&p);
    p.max_token_len = VF_MAX_TOKEN_LEN + 1;
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)clerk_pem, clerk_pem_len, &p, &v), VF_INVALID_ARGUMENT);
    vf_static_policy_default(&p);
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)"garbage", 7, &p, &v), VF_KEY_MALFORMED);
    CHECK(v == NULL);
}

/* ---- issue 14: presets, key binding, key selection, JWKS reports --------- */

/* HS256 tokens signed with SECRET14 by Python's hmac (valid at NOW). */
static const uint8_t SECRET14[] = "0123456789abcdef0123456789abcdef";
static const char AT_NO_JTI[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJpc3MiOiJodHRwczovL2kiLCJhdWQiOiJodHRwczovL2FwaSIsInN1YiI6InUiLCJjbGllbnRfaWQiOiJjIiwiaWF0IjoxNzY0MDAwMDAwLCJleHAiOjE3NjQwMDA2MDB9.7L7GISkvNRVr5eRaz0ninQvUu9h1z5q-IwFZPgyiT8Q";
static const char AT_OK[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJpc3MiOiJodHRwczovL2kiLCJhdWQiOiJodHRwczovL2FwaSIsInN1YiI6InUiLCJjbGllbnRfaWQiOiJjIiwiaWF0IjoxNzY0MDAwMDAwLCJleHAiOjE3NjQwMDA2MDAsImp0aSI6ImoxIn0.g0uKHfZE8_6EmV5sk1m6owCDVCCkdrtssxCk2f7KqxE";
static const char ID_TWO_AUD[] = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL2kiLCJhdWQiOlsiY2xpZW50Iiwib3RoZXIiXSwic3ViIjoidSIsImV4cCI6MTc2NDAwMDYwMH0.TN1GvMTSgngrx6gaCAiMLJQFLNXONRvW5vZy-pv100E";
static const char ID_AT[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJpc3MiOiJodHRwczovL2kiLCJhdWQiOiJjbGllbnQiLCJzdWIiOiJ1IiwiZXhwIjoxNzY0MDAwNjAwfQ.zUvszG-Pr9GoaTK1CVNB8N5fdEAK8HNo1kMRrtsbG-A";

static vf_status verify14(vf_status (*preset)(vf_config *), const char *aud, const char *tok) {
    vf_config *cfg = vf_config_new();
    CHECK_STATUS(vf_config_add_hmac_secret(cfg, SECRET14, 32, NULL, NULL), VF_OK);
    CHECK_STATUS(preset(cfg), VF_OK);
    CHECK_STATUS(vf_config_allow_alg(cfg, "HS256"), VF_OK);
    CHECK_STATUS(vf_config_add_issuer(cfg, "https://i"), VF_OK);
    CHECK_STATUS(vf_config_add_audience(cfg, aud), VF_OK);
    vf_verifier *v = NULL;
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
    vf_claims c;
    vf_status st = v ? seen(vf_verify(v, (const uint8_t *)tok, strlen(tok), NOW, &c)) : VF_PANIC;
    vf_verifier_free(v);
    vf_config_free(cfg);
    return st;
}

/* Issue 24: RSA exponents of 2^32 and above are refused (VF_RSA_EXPONENT,
 * skipped in a JWKS and counted in the appended skipped_rsa_exponent); a PSS
 * token with the maximum salt (Python cryptography, PSS.MAX_LENGTH) is
 * VF_PSS_SALT_LENGTH, explained with the salt found, and verifies with
 * VF_KEY_PSS_ANY_SALT. */
static void test_issue24(void) {
    size_t jwks_len, jwk_len, jwt_len;
    char *jwks = read_file(root, "core/tests/data/pss_salt_jwks.json", &jwks_len);
    char *jwk = read_file(root, "core/tests/data/pss_salt_big_e.jwk.json", &jwk_len);
    char *jwt = read_file(root, "core/tests/data/pss_salt_max.jwt", &jwt_len);
    jwt_len = trim_end(jwt, jwt_len);

    vf_config *cfg = vf_config_new();
    CHECK_STATUS(vf_config_add_jwk(cfg, (const uint8_t *)jwk, jwk_len), VF_RSA_EXPONENT);
    CHECK(strstr(last_error(cfg), "exponent") != NULL);
    vf_config_free(cfg);

    for (int any_salt = 0; any_salt < 2; any_salt++) {
        cfg = vf_config_new();
        vf_load_report r;
        memset(&r, 0xa5, sizeof r);
        uint32_t flags = VF_KEY_RSA_PSS | (any_salt ? VF_KEY_PSS_ANY_SALT : 0);
        CHECK_STATUS(vf_config_add_jwks_ex(cfg, (const uint8_t *)jwks, jwks_len, NULL, flags, &r), VF_OK);
        CHECK(r.added == 3 && r.skipped == 1 && r.skipped_rsa_exponent == 1);
        CHECK(r.skipped_rsa_size == 0 && r.skipped_other == 0 && r.skipped_malformed == 0);
        vf_verifier *v = NULL;
        CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
        vf_config_free(cfg);
        vf_claims c;
        vf_status st = vf_verify(v, (const uint8_t *)jwt, jwt_len, NOW, &c);
        if (any_salt) {
            CHECK_STATUS(st, VF_OK);
        } else {
            CHECK_STATUS(st, VF_PSS_SALT_LENGTH);
            char why[256];
            CHECK_STATUS(vf_explain(v, (const uint8_t *)jwt, jwt_len, NOW, st, why, sizeof why, NULL), VF_OK);
            CHECK(strcmp(why, "PS256 signature uses a 222-byte salt; RFC 7518 requires 32") == 0);
        }
        vf_verifier_free(v);
    }
    /* The flag on a PEM key, and an unknown flag bit. */
    cfg = vf_config_new();
    CHECK_STATUS(vf_config_add_pem_ex(cfg, (const uint8_t *)clerk_pem, clerk_pem_len, NULL, NULL,
                                      VF_KEY_RSA_PSS | VF_KEY_PSS_ANY_SALT),
                 VF_OK);
    CHECK_STATUS(vf_config_add_pem_ex(cfg, (const uint8_t *)clerk_pem, clerk_pem_len, NULL, NULL, 16),
                 VF_INVALID_ARGUMENT);
    vf_config_free(cfg);
    free(jwks);
    free(jwk);
    free(jwt);
}

/* Issue 25: X.509 maps (Firebase's kid -> PEM certificate form; fixtures by
 * scripts/gen_x509_fixtures.py) and vf_json_get_string. */
static vf_status load_map(const char *name, vf_load_report *r) {
    char path[256];
    size_t len;
    snprintf(path, sizeof path, "core/tests/data/x509/%s", name);
    char *map = read_file(root, path, &len);
    vf_config *cfg = vf_config_new();
    vf_status st = vf_config_add_x509_map(cfg, (const uint8_t *)map, len, NULL, 0, r);
    if (st != VF_OK) CHECK(last_error(cfg)[0] != 0);
    vf_config_free(cfg);
    free(map);
    return st;
}

static void test_issue25_x509(void) {
    size_t map_len, tok_len;
    char *map = read_file(root, "core/tests/data/x509/map.json", &map_len);
    char *tok = read_file(root, "core/tests/data/x509/token_a.jwt", &tok_len);
    tok_len = trim_end(tok, tok_len);
    const char *iss = "https://securetoken.google.com/x509-test";
    for (int bound = 0; bound < 3; bound++) {
        vf_config *cfg = vf_config_new();
        vf_load_report r;
        memset(&r, 0xa5, sizeof r);
        const char *binding = bound == 0 ? NULL : bound == 1 ? iss : "https://other.example";
        CHECK_STATUS(vf_config_add_x509_map(cfg, (const uint8_t *)map, map_len, binding, 0, &r), VF_OK);
        CHECK(r.added == 2 && r.skipped == 0);
        CHECK_STATUS(vf_config_preset_firebase(cfg), VF_OK);
        CHECK_STATUS(vf_config_add_issuer(cfg, iss), VF_OK);
        CHECK_STATUS(vf_config_add_audience(cfg, "x509-test"), VF_OK);
        vf_verifier *v = NULL;
        CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
        vf_config_free(cfg);
        vf_claims c;
        CHECK_STATUS(vf_verify(v, (const uint8_t *)tok, tok_len, NOW, &c),
                     bound == 2 ? VF_KEY_ISSUER_MISMATCH : VF_OK);
        vf_verifier_free(v);
    }
    CHECK_STATUS(load_map("map_malformed.json", NULL), VF_CERTIFICATE_MALFORMED);
    CHECK_STATUS(load_map("map_public_key.json", NULL), VF_CERTIFICATE_MALFORMED);
    CHECK_STATUS(load_map("map_ed25519.json", NULL), VF_KEY_UNSUPPORTED);
    CHECK_STATUS(load_map("map_duplicate.json", NULL), VF_DUPLICATE_KID);
    CHECK_STATUS(load_map("map_too_many.json", NULL), VF_TOO_MANY_KEYS);
    CHECK_STATUS(load_map("map_ec.json", NULL), VF_OK);
    vf_config *cfg = vf_config_new();
    CHECK_STATUS(vf_config_add_x509_map(cfg, (const uint8_t *)map, map_len, NULL, 4, NULL), VF_INVALID_ARGUMENT);
    CHECK_STATUS(vf_config_add_x509_map(cfg, NULL, 1, NULL, 0, NULL), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_config_add_x509_map(cfg, (const uint8_t *)"{}", 2, NULL, 0, NULL), VF_NO_KEYS);
    vf_config_free(cfg);

    /* A string member of a JSON object, by the strict parser. */
    const char *doc = "{\"issuer\":\"https://a.example\",\"n\":1,\"e\":\"x\\u00e9\"}";
    char out[64];
    size_t need = 0;
    CHECK_STATUS(vf_json_get_string((const uint8_t *)doc, strlen(doc), "issuer", out, sizeof out, &need), VF_OK);
    CHECK(strcmp(out, "https://a.example") == 0 && need == 18);
    CHECK_STATUS(vf_json_get_string((const uint8_t *)doc, strlen(doc), "e", out, sizeof out, NULL), VF_OK);
    CHECK(strcmp(out, "x\xc3\xa9") == 0);
    CHECK_STATUS(vf_json_get_string((const uint8_t *)doc, strlen(doc), "n", out, sizeof out, NULL), VF_CLAIM_TYPE_MISMATCH);
    CHECK_STATUS(vf_json_get_string((const uint8_t *)doc, strlen(doc), "x", out, sizeof out, NULL), VF_CLAIM_NOT_FOUND);
    CHECK_STATUS(vf_json_get_string((const uint8_t *)doc, strlen(doc), "issuer", out, 4, &need), VF_OUTPUT_TOO_SMALL);
    CHECK(need == 18);
    CHECK_STATUS(vf_json_get_string((const uint8_t *)"[1]", 3, "issuer", out, sizeof out, NULL), VF_PAYLOAD_NOT_OBJECT);
    const char *dup = "{\"a\":\"1\",\"a\":\"2\"}";
    CHECK_STATUS(vf_json_get_string((const uint8_t *)dup, strlen(dup), "a", out, sizeof out, NULL), VF_JSON_DUPLICATE_MEMBER);
    free(map);
    free(tok);
}

static void test_issue14(void) {
    vf_verifier *v = NULL;
    vf_claims c;
    /* Item 2: presets without the lists their provider requires are refused. */
    vf_status (*presets[])(vf_config *) = {vf_config_preset_logto, vf_config_preset_id_token,
                                           vf_config_preset_access_token, vf_config_preset_oidc};
    for (size_t i = 0; i < sizeof presets / sizeof *presets; i++) {
        vf_config *cfg = vf_config_new();
        CHECK_STATUS(vf_config_add_jwks(cfg, (const uint8_t *)logto_jwks, logto_jwks_len), VF_OK);
        CHECK_STATUS(presets[i](cfg), VF_OK);
        CHECK_STATUS(vf_verifier_new(cfg, &v), VF_POLICY_NEEDS_ISSUER);
        CHECK(strstr(last_error(cfg), "issuer") != NULL);
        CHECK_STATUS(vf_config_add_issuer(cfg, "https://tenant.logto.app/oidc"), VF_OK);
        CHECK_STATUS(vf_verifier_new(cfg, &v), VF_POLICY_NEEDS_AUDIENCE);
        CHECK(strstr(last_error(cfg), "audience") != NULL);
        CHECK(v == NULL);
        vf_config_free(cfg);
    }
    /* The static presets too. */
    static alignas(16) unsigned char mem[VF_VERIFIER_STATIC_SIZE];
    vf_static_policy p;
    void (*statics[])(vf_static_policy *) = {vf_static_policy_logto, vf_static_policy_id_token,
                                             vf_static_policy_access_token};
    for (size_t i = 0; i < sizeof statics / sizeof *statics; i++) {
        statics[i](&p);
        CHECK(p.needs == (VF_NEEDS_ISSUER | VF_NEEDS_AUDIENCE));
        CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)logto_jwks, logto_jwks_len, &p, &v),
                     VF_POLICY_NEEDS_ISSUER);
    }
    vf_static_policy_clerk(&p);
    CHECK(p.key_any_kid && p.needs == VF_NEEDS_AUTHORIZED_PARTY);
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)clerk_pem, clerk_pem_len, &p, &v),
                 VF_POLICY_NEEDS_AUTHORIZED_PARTY);
    vf_static_policy_logto(&p);
    CHECK(p.allow_future_iat && p.profile == VF_PROFILE_ACCESS_TOKEN);
    p.profile = 3;
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)logto_jwks, logto_jwks_len, &p, &v),
                 VF_INVALID_ARGUMENT);

    /* Item 9: the access-token and ID-token profiles. */
    CHECK(verify14(vf_config_preset_access_token, "https://api", AT_OK) == VF_OK);
    CHECK(verify14(vf_config_preset_access_token, "https://api", AT_NO_JTI) == VF_MISSING_JTI);
    CHECK(verify14(vf_config_preset_id_token, "client", ID_AT) == VF_ACCESS_TOKEN_AS_ID_TOKEN);
    CHECK(verify14(vf_config_preset_id_token, "client", ID_TWO_AUD) == VF_MISSING_AUTHORIZED_PARTY);

    /* Item 3: a JWKS bound to another issuer refuses the Clerk token after its signature. */
    vf_config *cfg = vf_config_new();
    CHECK_STATUS(vf_config_add_jwks_ex(cfg, (const uint8_t *)clerk_jwks, clerk_jwks_len, "", 0, NULL),
                 VF_KEY_ISSUER_INVALID);
    CHECK_STATUS(vf_config_add_jwks_ex(cfg, (const uint8_t *)clerk_jwks, clerk_jwks_len, NULL, 1u << 7, NULL),
                 VF_INVALID_ARGUMENT);
    CHECK_STATUS(vf_config_add_jwks_ex(cfg, (const uint8_t *)clerk_jwks, clerk_jwks_len, "https://other.example.com",
                                       0, NULL),
                 VF_OK);
    CHECK_STATUS(vf_config_add_authorized_party(cfg, "https://app.example.com"), VF_OK);
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len, NOW, &c), VF_KEY_ISSUER_MISMATCH);
    vf_verifier_free(v);
    vf_config_free(cfg);
    /* ... and passes when bound to its own issuer, beside another tenant's keys. */
    cfg = vf_config_new();
    CHECK_STATUS(vf_config_add_jwks_ex(cfg, (const uint8_t *)logto_jwks, logto_jwks_len, "https://tenant.logto.app/oidc",
                                       0, NULL),
                 VF_OK);
    CHECK_STATUS(vf_config_add_jwks_ex(cfg, (const uint8_t *)clerk_jwks, clerk_jwks_len, "https://clerk.example.com",
                                       0, NULL),
                 VF_OK);
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len, NOW, &c), VF_OK);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)logto_jwt, logto_jwt_len, NOW, &c), VF_OK);
    vf_verifier_free(v);
    vf_config_free(cfg);

    /* Item 3: a kid-less PEM answers the token's kid only when asked. */
    cfg = vf_config_new();
    CHECK_STATUS(vf_config_add_pem(cfg, (const uint8_t *)clerk_pem, clerk_pem_len, NULL), VF_OK);
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len, NOW, &c), VF_UNKNOWN_KID);
    vf_verifier_free(v);
    vf_config_free(cfg);
    cfg = vf_config_new();
    CHECK_STATUS(vf_config_add_pem_ex(cfg, (const uint8_t *)clerk_pem, clerk_pem_len, NULL, "https://clerk.example.com",
                                      VF_KEY_ANY_KID),
                 VF_OK);
    CHECK_STATUS(vf_config_add_pem_ex(cfg, (const uint8_t *)clerk_pem, clerk_pem_len, NULL, NULL, 1u << 9),
                 VF_INVALID_ARGUMENT);
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len, NOW, &c), VF_OK);
    vf_verifier_free(v);
    vf_config_free(cfg);

    /* Item 3: under the Clerk preset the kid-less PEM answers any kid only
     * while no pinned key carries one: beside a JWKS (added before or after
     * it) the token's unclaimed kid is VF_UNKNOWN_KID, so a refresh fires. */
    for (int order = 0; order < 3; order++) {
        cfg = vf_config_new();
        CHECK_STATUS(vf_config_preset_clerk(cfg), VF_OK);
        CHECK_STATUS(vf_config_add_authorized_party(cfg, "https://app.example.com"), VF_OK);
        if (order == 1)
            CHECK_STATUS(vf_config_add_jwks(cfg, (const uint8_t *)logto_jwks, logto_jwks_len), VF_OK);
        CHECK_STATUS(vf_config_add_pem(cfg, (const uint8_t *)clerk_pem, clerk_pem_len, NULL), VF_OK);
        if (order == 2)
            CHECK_STATUS(vf_config_add_jwks(cfg, (const uint8_t *)logto_jwks, logto_jwks_len), VF_OK);
        CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
        CHECK_STATUS(vf_verify(v, (const uint8_t *)clerk_jwt, clerk_jwt_len, NOW, &c),
                     order == 0 ? VF_OK : VF_UNKNOWN_KID);
        vf_verifier_free(v);
        vf_config_free(cfg);
    }

    /* Item 7: without kid, up to 4 fitting keys are tried; 5 is NO_MATCHING_KEY. */
    cfg = vf_config_new();
    const uint8_t other_secret[32] = {1};
    for (int i = 0; i < 3; i++)
        CHECK_STATUS(vf_config_add_hmac_secret(cfg, other_secret, 32, NULL, NULL), VF_OK);
    CHECK_STATUS(vf_config_add_hmac_secret(cfg, SECRET14, 32, NULL, NULL), VF_OK);
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)ID_TWO_AUD, strlen(ID_TWO_AUD), NOW, &c), VF_OK);
    vf_verifier_free(v);
    CHECK_STATUS(vf_config_add_hmac_secret(cfg, SECRET14, 32, NULL, NULL), VF_OK);
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)ID_TWO_AUD, strlen(ID_TWO_AUD), NOW, &c), VF_NO_MATCHING_KEY);
    vf_verifier_free(v);
    vf_config_free(cfg);

    /* Item 6: 20 keys load; odd keys are skipped and reported. */
    char *big = malloc(8192);
    CHECK(big != NULL);
    size_t n = (size_t)snprintf(big, 8192, "{\"keys\":[");
    for (int i = 0; i < 20; i++)
        n += (size_t)snprintf(big + n, 8192 - n, "%s{\"kty\":\"oct\",\"kid\":\"k%d\",\"k\":\"%s\"}", i ? "," : "", i,
                              "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY");
    n += (size_t)snprintf(big + n, 8192 - n, ",{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"short\",\"x\":\"AAAA\",\"y\":\"AAAA\"}]}");
    vf_load_report r;
    memset(&r, 0xff, sizeof r);
    cfg = vf_config_new();
    CHECK_STATUS(vf_config_add_jwks_ex(cfg, (const uint8_t *)big, n, NULL, 0, &r), VF_NO_KEYS);
    CHECK(strstr(last_error(cfg), "symmetric") != NULL);
    CHECK(r.added == (size_t)-1); /* untouched on failure */
    CHECK_STATUS(vf_config_add_jwks_ex(cfg, (const uint8_t *)big, n, NULL, VF_JWKS_ALLOW_SYMMETRIC, &r), VF_OK);
    CHECK(r.added == 20 && r.skipped == 1 && r.skipped_malformed == 1 && r.skipped_symmetric == 0);
    CHECK_STATUS(vf_config_add_jwks_ex(cfg, (const uint8_t *)big, n, NULL, VF_JWKS_ALLOW_SYMMETRIC, &r),
                 VF_TOO_MANY_KEYS);
    vf_config_free(cfg);
    free(big);
}

/* ---- fixtures ---------------------------------------------------------- */

static char *field(char **cursor) {
    char *start = *cursor, *tab = strchr(start, '\t');
    if (tab) {
        *tab = 0;
        *cursor = tab + 1;
    } else {
        *cursor = start + strlen(start);
    }
    return start;
}

/* Call add(cfg, item) for each comma-separated item of `list` ("-" = none). */
static void add_list(vf_config *cfg, char *list, vf_status (*add)(vf_config *, const char *)) {
    if (strcmp(list, "-") == 0) return;
    for (char *item = strtok(list, ","); item; item = strtok(NULL, ","))
        CHECK_STATUS(add(cfg, item), VF_OK);
}

static size_t unescape(char *s) {
    size_t o = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '\\' && s[i + 1]) {
            i++;
            s[o++] = s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' : s[i] == 'r' ? '\r' : s[i];
        } else {
            s[o++] = s[i];
        }
    }
    s[o] = 0;
    return o;
}

static int claim_matches(const vf_claims *c, const char *name, const char *want) {
    vf_str v = {0};
    if (strcmp(name, "exp") == 0) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)c->exp);
        return c->has_exp && strcmp(buf, want) == 0;
    }
    if (strcmp(name, "sub") == 0) v = c->sub;
    else if (strcmp(name, "iss") == 0) v = c->iss;
    else if (strcmp(name, "azp") == 0) v = c->azp;
    else if (strcmp(name, "sid") == 0) v = c->sid;
    else if (strcmp(name, "client_id") == 0) v = c->client_id;
    else if (strcmp(name, "scope") == 0) v = c->scope;
    else return 0;
    return view_is(v, want);
}

static int run_fixtures(const char *cases_path) {
    size_t len;
    char *text = read_file(NULL, cases_path, &len);
    char *jwks = NULL;
    size_t jwks_len = 0;
    int count = 0, wrong = 0;
    static vf_claims c;
    for (char *line = text, *next; *line; line = next) {
        /* Lines by hand: add_list uses strtok. */
        char *nl = strchr(line, '\n');
        next = nl ? nl + 1 : line + strlen(line);
        if (nl) *nl = 0;
        char *cur = line;
        char *name = field(&cur), *expect = field(&cur), *keys = field(&cur);
        long long now = atoll(field(&cur));
        char *preset = field(&cur);
        char *lists[6];
        for (int i = 0; i < 6; i++) lists[i] = field(&cur);
        char *leeway = field(&cur), *max_age = field(&cur), *req_exp = field(&cur),
             *req_sub = field(&cur), *algs = field(&cur), *token = field(&cur);
        size_t token_len = unescape(token);

        vf_config *cfg = vf_config_new();
        vf_status st = VF_OK;
        if (strcmp(keys, "jwks") == 0) {
            if (!jwks) jwks = read_file(root, "core/tests/data/keys/jwks.json", &jwks_len);
            /* The fixtures' JWKS is private, holds HMAC secrets, and its RSA
             * keys (no JWK alg) sign PSS fixtures too: both asked for. */
            vf_load_report r;
            st = vf_config_add_jwks_ex(cfg, (const uint8_t *)jwks, jwks_len, NULL,
                                       VF_JWKS_ALLOW_SYMMETRIC | VF_KEY_RSA_PSS, &r);
            CHECK(r.added == 10 && r.skipped == 2 && r.skipped_unsupported == 2);
        } else if (strcmp(keys, "pjwks") == 0) {
            /* The provider fixtures' public JWKS (one RSA, one P-256 key). */
            size_t n;
            char *doc = read_file(root, "core/tests/data/providers/jwks.json", &n);
            vf_load_report r;
            st = vf_config_add_jwks_ex(cfg, (const uint8_t *)doc, n, NULL, 0, &r);
            CHECK(r.added == 2 && r.skipped == 0);
            free(doc);
        } else if (strncmp(keys, "pem:", 4) == 0) {
            char rel[256];
            size_t pem_len;
            snprintf(rel, sizeof rel, "core/tests/data/keys/%s", keys + 4);
            char *pem = read_file(root, rel, &pem_len);
            st = vf_config_add_pem_ex(cfg, (const uint8_t *)pem, pem_len, NULL, NULL, VF_KEY_RSA_PSS);
            free(pem);
        } else if (strncmp(keys, "secret:", 7) == 0) {
            char *alg = keys + 7, *hex = strchr(alg, ':');
            *hex++ = 0;
            uint8_t secret[256];
            size_t n = strlen(hex) / 2;
            for (size_t i = 0; i < n; i++) {
                unsigned byte;
                sscanf(hex + 2 * i, "%2x", &byte);
                secret[i] = (uint8_t)byte;
            }
            st = vf_config_add_hmac_secret(cfg, secret, n, alg, NULL);
        } else if (strncmp(keys, "jwk:", 4) == 0) {
            st = vf_config_add_jwk(cfg, (const uint8_t *)keys + 4, strlen(keys + 4));
        }
        CHECK(st == VF_OK);
        if (strcmp(preset, "clerk") == 0) CHECK_STATUS(vf_config_preset_clerk(cfg), VF_OK);
        if (strcmp(preset, "logto") == 0) CHECK_STATUS(vf_config_preset_logto(cfg), VF_OK);
        /* The provider presets (core/tests/data/providers). */
        static const struct {
            const char *name;
            vf_status (*apply)(vf_config *);
        } providers[] = {
            {"auth0", vf_config_preset_auth0},
            {"firebase", vf_config_preset_firebase},
            {"supabase", vf_config_preset_supabase},
            {"cognito-id", vf_config_preset_cognito_id},
            {"cognito-access", vf_config_preset_cognito_access},
            {"entra", vf_config_preset_entra},
            {"google", vf_config_preset_google},
            {"okta", vf_config_preset_okta},
            {"keycloak", vf_config_preset_keycloak},
            {"keycloak-id", vf_config_preset_keycloak_id},
        };
        /* "provider:role,role": the roles accepted (vf_config_add_role). */
        char *roles = strchr(preset, ':');
        if (roles) *roles++ = 0;
        for (size_t i = 0; i < sizeof providers / sizeof *providers; i++)
            if (strcmp(preset, providers[i].name) == 0) CHECK_STATUS(providers[i].apply(cfg), VF_OK);
        if (roles) add_list(cfg, roles, vf_config_add_role);
        add_list(cfg, lists[0], vf_config_add_issuer);
        add_list(cfg, lists[1], vf_config_add_audience);
        add_list(cfg, lists[2], vf_config_add_authorized_party);
        add_list(cfg, lists[3], vf_config_add_client_id);
        add_list(cfg, lists[4], vf_config_add_typ);
        add_list(cfg, lists[5], vf_config_add_required_scope);
        if (strcmp(leeway, "-")) vf_config_set_leeway(cfg, (uint32_t)atol(leeway));
        if (strcmp(max_age, "-")) vf_config_set_max_age(cfg, (uint32_t)atol(max_age));
        if (strcmp(req_exp, "-")) vf_config_set_require_exp(cfg, atoi(req_exp) != 0);
        if (strcmp(req_sub, "-")) vf_config_set_require_sub(cfg, atoi(req_sub) != 0);
        add_list(cfg, algs, vf_config_allow_alg);

        vf_verifier *v = NULL;
        CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
        if (v) {
            vf_status got = seen(vf_verify(v, (const uint8_t *)token, token_len, now, &c));
            int ok = strcmp(vf_status_name(got), expect) == 0;
            /* Remaining fields: claim=value expectations. */
            while (ok && *cur) {
                char *kv = field(&cur), *eq = strchr(kv, '=');
                if (!eq) continue;
                *eq = 0;
                if (!claim_matches(&c, kv, eq + 1)) {
                    fprintf(stderr, "fixture %s: claim %s differs\n", name, kv);
                    ok = 0;
                }
            }
            if (!ok) {
                fprintf(stderr, "fixture %s: got %s, want %s\n", name, vf_status_name(got), expect);
                wrong++;
            }
            g_checks++;
            vf_verifier_free(v);
        }
        vf_config_free(cfg);
        count++;
    }
    free(jwks);
    free(text);
    g_failures += wrong;
    printf("fixtures: %d cases, %d wrong\n", count, wrong);
    return count;
}

/* Issue 25 item 4: expected subject, every audience required, azp required,
 * scopes on the policy and on a verified token, and routing by issuer.
 * Tokens from PyJWT (scripts/gen_policy_option_fixtures.py): issuer A is a
 * Clerk instance (RS256), issuer B a Logto tenant (ES384, and an RSA key). */
#define ISS_A "https://clerk.example.com"
#define ISS_B "https://tenant.logto.app/oidc"
#define API "https://api.example.com"
#define BILLING "https://billing.example.com"

static char *po_jwks_a, *po_jwks_b;
static size_t po_jwks_a_len, po_jwks_b_len;

static char *po_token(const char *name, size_t *len) {
    char rel[256];
    snprintf(rel, sizeof rel, "core/tests/data/policyopts/%s.jwt", name);
    char *t = read_file(root, rel, len);
    *len = trim_end(t, *len);
    return t;
}

/* Verify the named token with `v`; the status. */
static vf_status po_verify(const vf_verifier *v, const char *name) {
    size_t len;
    char *t = po_token(name, &len);
    vf_claims c;
    vf_status st = vf_verify(v, (const uint8_t *)t, len, NOW, &c);
    free(t);
    return st;
}

/* The explanation of the named token's refusal by `v`. */
static const char *po_explain(const vf_verifier *v, const char *name) {
    static char why[512];
    size_t len;
    char *t = po_token(name, &len);
    vf_claims c;
    vf_status st = vf_verify(v, (const uint8_t *)t, len, NOW, &c);
    why[0] = 0;
    CHECK_STATUS(vf_explain(v, (const uint8_t *)t, len, NOW, st, why, sizeof why, NULL), VF_OK);
    free(t);
    return why;
}

static vf_config *clerk_a(void) {
    vf_config *cfg = vf_config_new();
    CHECK_STATUS(vf_config_add_jwks(cfg, (const uint8_t *)po_jwks_a, po_jwks_a_len), VF_OK);
    CHECK_STATUS(vf_config_preset_clerk(cfg), VF_OK);
    CHECK_STATUS(vf_config_add_issuer(cfg, ISS_A), VF_OK);
    CHECK_STATUS(vf_config_add_authorized_party(cfg, "https://app.example.com"), VF_OK);
    return cfg;
}

static vf_config *logto_b(void) {
    vf_config *cfg = vf_config_new();
    CHECK_STATUS(vf_config_add_jwks(cfg, (const uint8_t *)po_jwks_b, po_jwks_b_len), VF_OK);
    CHECK_STATUS(vf_config_preset_logto(cfg), VF_OK);
    CHECK_STATUS(vf_config_add_issuer(cfg, ISS_B), VF_OK);
    CHECK_STATUS(vf_config_add_audience(cfg, API), VF_OK);
    return cfg;
}

static vf_verifier *built(vf_config *cfg) {
    vf_verifier *v = NULL;
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
    vf_config_free(cfg);
    return v;
}

static void test_issue25_policy_options(void) {
    /* 1. Expected subject. */
    vf_config *cfg = clerk_a();
    CHECK_STATUS(vf_config_add_subject(cfg, "user_123"), VF_OK);
    CHECK_STATUS(vf_config_add_subject(cfg, ""), VF_INVALID_POLICY);
    CHECK_STATUS(vf_config_add_subject(NULL, "x"), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_config_add_subject(cfg, NULL), VF_NULL_ARGUMENT);
    vf_verifier *v = built(cfg);
    CHECK_STATUS(po_verify(v, "a_user"), VF_OK);
    CHECK_STATUS(po_verify(v, "a_other_sub"), VF_WRONG_SUBJECT);
    CHECK(strcmp(po_explain(v, "a_other_sub"), "sub \"user_999\" is not \"user_123\"") == 0);
    CHECK_STATUS(po_verify(v, "a_no_sub"), VF_MISSING_SUBJECT);
    vf_verifier_free(v);

    /* 2. Every configured audience required. */
    cfg = logto_b();
    CHECK_STATUS(vf_config_add_audience(cfg, BILLING), VF_OK);
    v = built(cfg);
    CHECK_STATUS(po_verify(v, "b_one_aud"), VF_OK); /* any one, by default */
    vf_verifier_free(v);
    cfg = logto_b();
    CHECK_STATUS(vf_config_add_audience(cfg, BILLING), VF_OK);
    CHECK_STATUS(vf_config_set_require_all_audiences(cfg, true), VF_OK);
    CHECK_STATUS(vf_config_set_require_all_audiences(NULL, true), VF_NULL_ARGUMENT);
    v = built(cfg);
    CHECK_STATUS(po_verify(v, "b_two_aud"), VF_OK);
    CHECK_STATUS(po_verify(v, "b_one_aud"), VF_MISSING_REQUIRED_AUDIENCE);
    CHECK(strstr(po_explain(v, "b_one_aud"), "lacks \"" BILLING "\"") != NULL);
    CHECK_STATUS(po_verify(v, "b_other_aud"), VF_WRONG_AUDIENCE);
    vf_verifier_free(v);
    /* The mode without any audience is a configuration error. */
    cfg = vf_config_new();
    CHECK_STATUS(vf_config_add_jwks(cfg, (const uint8_t *)po_jwks_b, po_jwks_b_len), VF_OK);
    CHECK_STATUS(vf_config_set_require_all_audiences(cfg, true), VF_OK);
    v = NULL;
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_POLICY_ALL_AUDIENCES_EMPTY);
    CHECK(v == NULL);
    vf_config_free(cfg);

    /* 3. azp required on request: Clerk's preset accepts a token without it. */
    v = built(clerk_a());
    CHECK_STATUS(po_verify(v, "a_no_azp"), VF_OK);
    vf_verifier_free(v);
    cfg = clerk_a();
    CHECK_STATUS(vf_config_set_require_azp(cfg, true), VF_OK);
    CHECK_STATUS(vf_config_set_require_azp(NULL, true), VF_NULL_ARGUMENT);
    v = built(cfg);
    CHECK_STATUS(po_verify(v, "a_user"), VF_OK);
    CHECK_STATUS(po_verify(v, "a_no_azp"), VF_MISSING_AUTHORIZED_PARTY);
    CHECK(strcmp(po_explain(v, "a_no_azp"),
                 "token has no azp, and the policy requires one: \"https://app.example.com\"") == 0);
    vf_verifier_free(v);

    /* 4. Scopes: required on the policy, and asked of a verified token. */
    cfg = logto_b();
    CHECK_STATUS(vf_config_add_required_scope(cfg, "read:x"), VF_OK);
    CHECK_STATUS(vf_config_add_required_scope(cfg, "write:x"), VF_OK);
    v = built(cfg);
    CHECK_STATUS(po_verify(v, "b_one_aud"), VF_MISSING_SCOPE);
    CHECK(strcmp(po_explain(v, "b_one_aud"), "scope \"read:x\" lacks \"write:x\"") == 0);
    CHECK_STATUS(po_verify(v, "b_scp_array"), VF_OK); /* Okta's scp array */
    vf_verifier_free(v);
    v = built(logto_b());
    size_t len;
    char *t = po_token("b_two_aud", &len);
    vf_claims c;
    bool has = false;
    /* A failed verification leaves nothing to ask. */
    CHECK_STATUS(vf_verify(v, (const uint8_t *)"a.b", 3, NOW, &c), VF_MALFORMED_TOKEN);
    CHECK_STATUS(vf_claims_has_scope(&c, "read:x", &has), VF_NOT_VERIFIED);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)t, len, NOW, &c), VF_OK);
    CHECK_STATUS(vf_claims_has_scope(&c, "write:x", &has), VF_OK);
    CHECK(has);
    CHECK_STATUS(vf_claims_has_scope(&c, "admin", &has), VF_OK);
    CHECK(!has);
    CHECK_STATUS(vf_claims_has_scope(&c, "read", &has), VF_OK); /* whole words only */
    CHECK(!has);
    CHECK_STATUS(vf_claims_has_scope(&c, "read:x write:x", &has), VF_INVALID_ARGUMENT);
    CHECK_STATUS(vf_claims_has_scope(&c, "", &has), VF_INVALID_ARGUMENT);
    CHECK_STATUS(vf_claims_has_scope(NULL, "read:x", &has), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_claims_has_scope(&c, NULL, &has), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_claims_has_scope(&c, "read:x", NULL), VF_NULL_ARGUMENT);
    free(t);
    t = po_token("b_scp_array", &len);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)t, len, NOW, &c), VF_OK);
    has = false;
    CHECK_STATUS(vf_claims_has_scope(&c, "write:x", &has), VF_OK);
    CHECK(has);
    free(t);
    vf_verifier_free(v);
}

static void test_issue25_routing(void) {
    const char *issuers[] = {ISS_A, ISS_B};
    vf_config *cfgs[] = {clerk_a(), logto_b()};
    vf_verifier *v = NULL;
    CHECK_STATUS(vf_verifier_new_routed(issuers, (const vf_config *const *)cfgs, 2, &v), VF_OK);
    CHECK(v != NULL);
    CHECK_STATUS(po_verify(v, "a_user"), VF_OK);
    CHECK_STATUS(po_verify(v, "b_one_aud"), VF_OK);
    /* B's token gets B's policy's refusal, never A's. */
    CHECK_STATUS(po_verify(v, "b_other_aud"), VF_WRONG_AUDIENCE);
    CHECK(strstr(po_explain(v, "b_other_aud"), "contains none of \"" API "\"") != NULL);
    CHECK_STATUS(po_verify(v, "b_expired"), VF_EXPIRED);
    /* An issuer no route names: its own status, no route tried. */
    CHECK_STATUS(po_verify(v, "iss_unknown"), VF_UNKNOWN_ISSUER);
    CHECK(strcmp(po_explain(v, "iss_unknown"),
                 "iss \"https://evil.example.com\" is not a routed issuer (\"" ISS_A "\", \"" ISS_B
                 "\")") == 0);
    CHECK_STATUS(po_verify(v, "no_iss"), VF_MISSING_ISSUER);
    /* iss is read before the signature: a token claiming A, signed by B's
     * key, meets A's keys and is refused by them. */
    CHECK_STATUS(po_verify(v, "iss_a_signed_by_b"), VF_BAD_SIGNATURE);
    CHECK_STATUS(po_verify(v, "iss_a_signed_by_b_kid_b"), VF_UNKNOWN_KID);
    /* Framing errors come first, as from one verifier. */
    vf_claims c;
    CHECK_STATUS(vf_verify(v, (const uint8_t *)"a.b", 3, NOW, &c), VF_MALFORMED_TOKEN);
    CHECK(view_absent(c.sub));
    /* The Authorization form and the heap result go through the route too. */
    size_t len;
    char *t = po_token("a_user", &len);
    char header[4096];
    snprintf(header, sizeof header, "Bearer %s", t);
    CHECK_STATUS(vf_verify_authorization(v, (const uint8_t *)header, strlen(header), NOW, &c), VF_OK);
    CHECK(view_is(c.sub, "user_123"));
    CHECK(view_is(c.iss, ISS_A));
    /* Keys are replaced per route. */
    vf_config *keys_b = vf_config_new();
    CHECK_STATUS(vf_config_add_jwks(keys_b, (const uint8_t *)po_jwks_b, po_jwks_b_len), VF_OK);
    CHECK_STATUS(vf_verifier_replace_keys(v, keys_b), VF_INVALID_ARGUMENT);
    CHECK_STATUS(vf_verifier_replace_route_keys(v, "https://nobody", keys_b), VF_UNKNOWN_ISSUER);
    CHECK_STATUS(vf_verifier_replace_route_keys(v, ISS_A, keys_b), VF_OK);
    CHECK_STATUS(vf_verify(v, (const uint8_t *)t, len, NOW, &c), VF_UNKNOWN_KID);
    CHECK_STATUS(po_verify(v, "b_one_aud"), VF_OK);
    CHECK_STATUS(vf_verifier_replace_route_keys(NULL, ISS_A, keys_b), VF_NULL_ARGUMENT);
    vf_config_free(keys_b);
    free(t);
    vf_verifier_free(v);

    /* Configuration refusals. */
    v = NULL;
    const char *dup[] = {ISS_A, ISS_A};
    vf_config *two_a[] = {cfgs[0], cfgs[0]};
    CHECK_STATUS(vf_verifier_new_routed(dup, (const vf_config *const *)two_a, 2, &v), VF_DUPLICATE_ROUTE);
    CHECK(strstr(last_error(cfgs[0]), "another route") != NULL);
    const char *swapped[] = {ISS_B, ISS_A};
    CHECK_STATUS(vf_verifier_new_routed(swapped, (const vf_config *const *)cfgs, 2, &v),
                 VF_ROUTE_ISSUER_NOT_ACCEPTED);
    const char *many[VF_MAX_ROUTES + 1];
    const vf_config *many_cfgs[VF_MAX_ROUTES + 1];
    for (size_t i = 0; i <= VF_MAX_ROUTES; i++) {
        many[i] = ISS_A;
        many_cfgs[i] = cfgs[0];
    }
    CHECK_STATUS(vf_verifier_new_routed(many, many_cfgs, VF_MAX_ROUTES + 1, &v), VF_TOO_MANY_ROUTES);
    CHECK_STATUS(vf_verifier_new_routed(issuers, (const vf_config *const *)cfgs, 0, &v), VF_INVALID_ARGUMENT);
    CHECK_STATUS(vf_verifier_new_routed(NULL, (const vf_config *const *)cfgs, 2, &v), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_verifier_new_routed(issuers, NULL, 2, &v), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_verifier_new_routed(issuers, (const vf_config *const *)cfgs, 2, NULL), VF_NULL_ARGUMENT);
    const vf_config *with_null[] = {cfgs[0], NULL};
    CHECK_STATUS(vf_verifier_new_routed(issuers, with_null, 2, &v), VF_NULL_ARGUMENT);
    CHECK(v == NULL);
    vf_config_free(cfgs[0]);
    vf_config_free(cfgs[1]);
}

/* The same options in a heap-free verifier's vf_static_policy. */
static void test_issue25_static(void) {
    static alignas(16) unsigned char mem[VF_VERIFIER_STATIC_SIZE];
    vf_verifier *v = NULL;
    vf_static_policy p;
    const char *iss[] = {ISS_A};
    const char *azp[] = {"https://app.example.com"};
    const char *subs[] = {"user_123"};
    vf_static_policy_clerk(&p);
    CHECK(p.subjects_len == 0 && !p.require_azp && !p.require_all_audiences);
    p.issuers = iss;
    p.issuers_len = 1;
    p.authorized_parties = azp;
    p.authorized_parties_len = 1;
    p.subjects = subs;
    p.subjects_len = 1;
    p.require_azp = true;
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)po_jwks_a, po_jwks_a_len, &p, &v), VF_OK);
    CHECK_STATUS(po_verify(v, "a_user"), VF_OK);
    CHECK_STATUS(po_verify(v, "a_other_sub"), VF_WRONG_SUBJECT);
    CHECK_STATUS(po_verify(v, "a_no_azp"), VF_MISSING_AUTHORIZED_PARTY);
    vf_verifier_free(v);
    const char *auds[] = {API, BILLING};
    const char *issb[] = {ISS_B};
    vf_static_policy_logto(&p);
    p.issuers = issb;
    p.issuers_len = 1;
    p.audiences = auds;
    p.audiences_len = 2;
    p.require_all_audiences = true;
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)po_jwks_b, po_jwks_b_len, &p, &v), VF_OK);
    CHECK_STATUS(po_verify(v, "b_two_aud"), VF_OK);
    CHECK_STATUS(po_verify(v, "b_one_aud"), VF_MISSING_REQUIRED_AUDIENCE);
    vf_verifier_free(v);
    p.audiences_len = 0;
    p.needs = 0;
    v = NULL;
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)po_jwks_b, po_jwks_b_len, &p, &v),
                 VF_POLICY_ALL_AUDIENCES_EMPTY);
    CHECK(v == NULL);
    p.require_all_audiences = false;
    p.subjects = NULL;
    p.subjects_len = 1;
    CHECK_STATUS(vf_verifier_init_static(mem, sizeof mem, (const uint8_t *)po_jwks_b, po_jwks_b_len, &p, &v),
                 VF_NULL_ARGUMENT);
}

static void test_issue25(void) {
    po_jwks_a = read_file(root, "core/tests/data/policyopts/jwks-a.json", &po_jwks_a_len);
    po_jwks_b = read_file(root, "core/tests/data/policyopts/jwks-b.json", &po_jwks_b_len);
    test_issue25_policy_options();
    test_issue25_static();
    test_issue25_routing();
    test_issue25_x509();
    free(po_jwks_a);
    free(po_jwks_b);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s REPO_ROOT CASES_FILE\n", argv[0]);
        return 2;
    }
    root = argv[1];
    load_examples();
    test_status_text();
    test_clerk_example();
    test_clerk_pem_and_logto();
    test_provider_presets_need();
    test_authorization_header();
    test_length_checked_first();
    test_token_statuses();
    test_config_statuses();
    test_null_arguments();
    test_replace_keys();
    test_static();
    test_issue14();
    test_issue24();
    test_issue25();
    int fixtures = run_fixtures(argv[2]);
    CHECK(fixtures > 100);
    free_examples();

    /* Every status must have been returned at least once, except those that
     * cannot be produced through the ABI by construction. */
    const vf_status unreachable[] = {
        VF_BUFFER_TOO_SMALL,  /* vf_claims.scratch always suffices */
        VF_PANIC,             /* no panic path; Rust unit test covers the guard */
        VF_ALLOCATION_FAILED, /* needs an exhausted heap */
        VF_SYMMETRIC_KEY_IN_JWKS, /* a skip reason, counted in vf_load_report */
    };
    int missing = 0;
    for (uint32_t s = 0; s < 1000; s++) {
        if (strcmp(vf_status_name(s), "unknown") == 0 || g_seen[s]) continue;
        int skip = 0;
        for (size_t i = 0; i < sizeof unreachable / sizeof *unreachable; i++)
            skip |= unreachable[i] == s;
        if (!skip) {
            fprintf(stderr, "status %s (%u) never returned by any test\n", vf_status_name(s), s);
            missing++;
        }
    }
    g_failures += missing;
    printf("test_api: %d checks, %d failures\n", g_checks, g_failures);
    return g_failures == 0 ? 0 : 1;
}
