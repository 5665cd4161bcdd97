/* Typed claim getters, explanations and the heap result handle.
 *
 *   test_claims ROOT
 *
 * Tokens are HS256 with the secret below, signed by Python's hmac (made
 * once, kept here): custom claims of every JSON type, escapes, a NUL. */
#include <stdbool.h>
#include <stdint.h>

#include "testutil.h"

static const char SECRET[] = "claims-test-secret-0123456789abc";
#define NOW 1764000000

/* {"sub":"u\u00e9\"1","exp":1764000600,"iat":1763999000,"iss":"https://iss.example",
 *  "aud":["a1","a\u00e92"],"admin":true,"off":false,"ratio":0.5,"n":-42,"big":1e400,
 *  "roles":["r1","r\u00f8le",3],"nul":"a\u0000b","obj":{"k":1},"esc":"line\nbreak",
 *  "max":9223372036854775807,"over":9223372036854775808,"frac":1.5,"exp1":1e3,
 *  "none":null,"sid":"s\u0000x"} */
static const char RICH[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0."
    "eyJzdWIiOiJ1XHUwMGU5XCIxIiwiZXhwIjoxNzY0MDAwNjAwLCJpYXQiOjE3NjM5OTkwMDAsImlzcyI6Imh0dHBzOi8v"
    "aXNzLmV4YW1wbGUiLCJhdWQiOlsiYTEiLCJhXHUwMGU5MiJdLCJhZG1pbiI6dHJ1ZSwib2ZmIjpmYWxzZSwicmF0aW8i"
    "OjAuNSwibiI6LTQyLCJiaWciOjFlNDAwLCJyb2xlcyI6WyJyMSIsInJcdTAwZjhsZSIsM10sIm51bCI6ImFcdTAwMDBi"
    "Iiwib2JqIjp7ImsiOjF9LCJlc2MiOiJsaW5lXG5icmVhayIsIm1heCI6OTIyMzM3MjAzNjg1NDc3NTgwNywib3ZlciI6"
    "OTIyMzM3MjAzNjg1NDc3NTgwOCwiZnJhYyI6MS41LCJleHAxIjoxZTMsIm5vbmUiOm51bGwsInNpZCI6InNcdTAwMDB4"
    "In0.y3iwdOZ8ZXlNjft5JNzQglimGoDi0Y4hQYGOXNOwEFw";
/* {"sub":"u2","exp":1764000600,"aud":"solo"} */
static const char SOLO[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0."
    "eyJzdWIiOiJ1MiIsImV4cCI6MTc2NDAwMDYwMCwiYXVkIjoic29sbyJ9."
    "DxH5cAhzfutXICYCgaOrOQx2QWx03KDaTafTn8sLlS4";
/* {"sub":"u3","exp":1764000060} */
static const char SHORT[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0."
    "eyJzdWIiOiJ1MyIsImV4cCI6MTc2NDAwMDA2MH0."
    "3Bi2aNLHjTNPiJnHeC9ckesKeu53SYLV2IcbmFX8tEg";

static vf_verifier *hmac_verifier(void) {
    vf_config *cfg = vf_config_new();
    CHECK(cfg != NULL);
    CHECK_STATUS(vf_config_add_hmac_secret(cfg, (const uint8_t *)SECRET, 32, "HS256", "k1"), VF_OK);
    CHECK_STATUS(vf_config_set_leeway(cfg, 5), VF_OK);
    vf_verifier *v = NULL;
    CHECK_STATUS(vf_verifier_new(cfg, &v), VF_OK);
    vf_config_free(cfg);
    return v;
}

static vf_status verify_at(vf_verifier *v, const char *t, int64_t now, vf_claims *c) {
    return vf_verify(v, (const uint8_t *)t, strlen(t), now, c);
}

static vf_status verify(vf_verifier *v, const char *t, vf_claims *c) {
    return verify_at(v, t, NOW, c);
}

static void test_strings(const vf_claims *c) {
    char buf[64];
    size_t need = 0;
    CHECK_STATUS(vf_claims_get_string(c, "sub", buf, sizeof buf, &need), VF_OK);
    CHECK(strcmp(buf, "u\xc3\xa9\"1") == 0 && need == 6);
    CHECK_STATUS(vf_claims_get_string(c, "esc", buf, sizeof buf, NULL), VF_OK);
    CHECK(strcmp(buf, "line\nbreak") == 0);
    /* Exactly the size needed fits; one less does not and leaves buf alone. */
    CHECK_STATUS(vf_claims_get_string(c, "iss", buf, 20, &need), VF_OK);
    CHECK(need == 20 && strcmp(buf, "https://iss.example") == 0);
    memset(buf, 'x', sizeof buf);
    need = 0;
    CHECK_STATUS(vf_claims_get_string(c, "iss", buf, 19, &need), VF_OUTPUT_TOO_SMALL);
    CHECK(need == 20 && buf[0] == 'x');
    CHECK_STATUS(vf_claims_get_string(c, "nul", buf, sizeof buf, NULL), VF_CLAIM_HAS_NUL);
    CHECK_STATUS(vf_claims_get_string(c, "missing", buf, sizeof buf, NULL), VF_CLAIM_NOT_FOUND);
    CHECK_STATUS(vf_claims_get_string(c, "n", buf, sizeof buf, NULL), VF_CLAIM_TYPE_MISMATCH);
    CHECK_STATUS(vf_claims_get_string(c, "none", buf, sizeof buf, NULL), VF_CLAIM_TYPE_MISMATCH);
    CHECK_STATUS(vf_claims_get_string(c, "obj", buf, sizeof buf, NULL), VF_CLAIM_TYPE_MISMATCH);
    CHECK_STATUS(vf_claims_get_string(c, "\xc3(", buf, sizeof buf, NULL), VF_INVALID_ARGUMENT);
    CHECK_STATUS(vf_claims_get_string(c, NULL, buf, sizeof buf, NULL), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_claims_get_string(c, "sub", NULL, 8, NULL), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_claims_get_string(NULL, "sub", buf, 8, NULL), VF_NULL_ARGUMENT);

    /* Views copied out as C strings. */
    CHECK_STATUS(vf_str_copy(c->iss, buf, sizeof buf, &need), VF_OK);
    CHECK(strcmp(buf, "https://iss.example") == 0 && need == 20);
    CHECK_STATUS(vf_str_copy(c->sub, buf, 3, &need), VF_OUTPUT_TOO_SMALL);
    CHECK(need == 6);
    CHECK_STATUS(vf_str_copy(c->sid, buf, sizeof buf, NULL), VF_CLAIM_HAS_NUL);
    CHECK_STATUS(vf_str_copy(c->azp, buf, sizeof buf, NULL), VF_CLAIM_NOT_FOUND);
    CHECK_STATUS(vf_str_copy(c->iss, NULL, 4, NULL), VF_NULL_ARGUMENT);
}

static void test_scalars(const vf_claims *c) {
    int64_t i = 7;
    CHECK_STATUS(vf_claims_get_int(c, "n", &i), VF_OK);
    CHECK(i == -42);
    CHECK_STATUS(vf_claims_get_int(c, "max", &i), VF_OK);
    CHECK(i == INT64_MAX);
    CHECK_STATUS(vf_claims_get_int(c, "exp", &i), VF_OK);
    CHECK(i == 1764000600);
    i = 7;
    CHECK_STATUS(vf_claims_get_int(c, "over", &i), VF_CLAIM_TYPE_MISMATCH);
    CHECK_STATUS(vf_claims_get_int(c, "frac", &i), VF_CLAIM_TYPE_MISMATCH);
    CHECK_STATUS(vf_claims_get_int(c, "exp1", &i), VF_CLAIM_TYPE_MISMATCH);
    CHECK_STATUS(vf_claims_get_int(c, "sub", &i), VF_CLAIM_TYPE_MISMATCH);
    CHECK_STATUS(vf_claims_get_int(c, "nope", &i), VF_CLAIM_NOT_FOUND);
    CHECK(i == 7); /* written only on success */
    CHECK_STATUS(vf_claims_get_int(c, "n", NULL), VF_NULL_ARGUMENT);

    bool b = false;
    CHECK_STATUS(vf_claims_get_bool(c, "admin", &b), VF_OK);
    CHECK(b);
    CHECK_STATUS(vf_claims_get_bool(c, "off", &b), VF_OK);
    CHECK(!b);
    CHECK_STATUS(vf_claims_get_bool(c, "n", &b), VF_CLAIM_TYPE_MISMATCH);
    CHECK_STATUS(vf_claims_get_bool(c, "none", &b), VF_CLAIM_TYPE_MISMATCH);
    CHECK_STATUS(vf_claims_get_bool(c, "nope", &b), VF_CLAIM_NOT_FOUND);
    CHECK_STATUS(vf_claims_get_bool(c, "admin", NULL), VF_NULL_ARGUMENT);

    double d = 0;
    CHECK_STATUS(vf_claims_get_number(c, "ratio", &d), VF_OK);
    CHECK(d == 0.5);
    CHECK_STATUS(vf_claims_get_number(c, "exp1", &d), VF_OK);
    CHECK(d == 1000.0);
    CHECK_STATUS(vf_claims_get_number(c, "n", &d), VF_OK);
    CHECK(d == -42.0);
    CHECK_STATUS(vf_claims_get_number(c, "big", &d), VF_CLAIM_TYPE_MISMATCH);
    CHECK_STATUS(vf_claims_get_number(c, "admin", &d), VF_CLAIM_TYPE_MISMATCH);
    CHECK_STATUS(vf_claims_get_number(c, "nope", &d), VF_CLAIM_NOT_FOUND);
    CHECK_STATUS(vf_claims_get_number(c, "ratio", NULL), VF_NULL_ARGUMENT);
}

static void test_arrays(const vf_claims *c) {
    size_t n = 0;
    char buf[32];
    size_t need;
    CHECK_STATUS(vf_claims_get_array_len(c, "roles", &n), VF_OK);
    CHECK(n == 3);
    CHECK_STATUS(vf_claims_get_array_string(c, "roles", 0, buf, sizeof buf, NULL), VF_OK);
    CHECK(strcmp(buf, "r1") == 0);
    CHECK_STATUS(vf_claims_get_array_string(c, "roles", 1, buf, sizeof buf, &need), VF_OK);
    CHECK(strcmp(buf, "r\xc3\xb8le") == 0 && need == 6);
    CHECK_STATUS(vf_claims_get_array_string(c, "roles", 1, buf, 5, &need), VF_OUTPUT_TOO_SMALL);
    CHECK_STATUS(vf_claims_get_array_string(c, "roles", 2, buf, sizeof buf, NULL),
                 VF_CLAIM_TYPE_MISMATCH);
    CHECK_STATUS(vf_claims_get_array_string(c, "roles", 3, buf, sizeof buf, NULL),
                 VF_CLAIM_NOT_FOUND);
    CHECK_STATUS(vf_claims_get_array_string(c, "sub", 0, buf, sizeof buf, NULL),
                 VF_CLAIM_TYPE_MISMATCH);
    CHECK_STATUS(vf_claims_get_array_len(c, "sub", &n), VF_CLAIM_TYPE_MISMATCH);
    CHECK_STATUS(vf_claims_get_array_len(c, "nope", &n), VF_CLAIM_NOT_FOUND);
    CHECK_STATUS(vf_claims_get_array_len(c, "roles", NULL), VF_NULL_ARGUMENT);

    CHECK_STATUS(vf_claims_aud_count(c, &n), VF_OK);
    CHECK(n == 2);
    CHECK_STATUS(vf_claims_aud_get(c, 1, buf, sizeof buf, NULL), VF_OK);
    CHECK(strcmp(buf, "a\xc3\xa9" "2") == 0);
    CHECK_STATUS(vf_claims_aud_get(c, 2, buf, sizeof buf, NULL), VF_CLAIM_NOT_FOUND);
    CHECK_STATUS(vf_claims_aud_count(c, NULL), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_claims_aud_count(NULL, &n), VF_NULL_ARGUMENT);
}

static void test_aud_shapes(vf_verifier *v) {
    vf_claims c;
    char buf[16];
    size_t n = 0;
    CHECK_STATUS(verify(v, SOLO, &c), VF_OK);
    CHECK_STATUS(vf_claims_aud_count(&c, &n), VF_OK);
    CHECK(n == 1);
    CHECK_STATUS(vf_claims_aud_get(&c, 0, buf, sizeof buf, NULL), VF_OK);
    CHECK(strcmp(buf, "solo") == 0);
    CHECK_STATUS(vf_claims_aud_get(&c, 1, buf, sizeof buf, NULL), VF_CLAIM_NOT_FOUND);
    CHECK_STATUS(verify_at(v, SHORT, NOW + 100, &c), VF_EXPIRED);
    /* A failed verification leaves nothing to read. */
    CHECK_STATUS(vf_claims_aud_count(&c, &n), VF_NOT_VERIFIED);
    CHECK_STATUS(vf_claims_get_string(&c, "sub", buf, sizeof buf, NULL), VF_NOT_VERIFIED);
}

static void test_explain(vf_verifier *v) {
    char buf[256];
    size_t need = 0;
    vf_claims c;
    vf_status s = verify_at(v, SHORT, NOW + 100, &c);
    CHECK_STATUS(s, VF_EXPIRED);
    CHECK_STATUS(vf_explain(v, (const uint8_t *)SHORT, strlen(SHORT), NOW + 100, s, buf, sizeof buf,
                            &need),
                 VF_OK);
    const char *want = "exp 1764000060 is 40 s before now, leeway 5 s";
    CHECK(strcmp(buf, want) == 0);
    CHECK(need == strlen(want) + 1);
    /* Cut snprintf style: NUL-terminated, size reported. */
    CHECK_STATUS(vf_explain(v, (const uint8_t *)SHORT, strlen(SHORT), NOW + 100, s, buf, 8, &need),
                 VF_OUTPUT_TOO_SMALL);
    CHECK(strcmp(buf, "exp 176") == 0 && need == strlen(want) + 1);
    /* The Authorization form, and a header that is not Bearer. */
    char header[512];
    snprintf(header, sizeof header, "Bearer %s", SHORT);
    s = vf_verify_authorization(v, (const uint8_t *)header, strlen(header), NOW + 100, &c);
    CHECK_STATUS(s, VF_EXPIRED);
    CHECK_STATUS(vf_explain_authorization(v, (const uint8_t *)header, strlen(header), NOW + 100, s,
                                          buf, sizeof buf, NULL),
                 VF_OK);
    CHECK(strcmp(buf, want) == 0);
    CHECK_STATUS(vf_explain_authorization(v, (const uint8_t *)"Basic x", 7, NOW, VF_MISSING_BEARER,
                                          buf, sizeof buf, NULL),
                 VF_OK);
    CHECK(strcmp(buf, vf_status_message(VF_MISSING_BEARER)) == 0);
    /* A tampered signature names the key; a wrong segment count is counted. */
    char bad[512];
    snprintf(bad, sizeof bad, "%s", SOLO);
    bad[strlen(bad) - 2] = bad[strlen(bad) - 2] == 'A' ? 'B' : 'A';
    s = verify(v, bad, &c);
    CHECK_STATUS(s, VF_BAD_SIGNATURE);
    CHECK_STATUS(vf_explain(v, (const uint8_t *)bad, strlen(bad), NOW, s, buf, sizeof buf, NULL),
                 VF_OK);
    CHECK(strcmp(buf, "HS256 signature does not verify with the key with kid \"k1\"") == 0);
    CHECK_STATUS(vf_explain(v, (const uint8_t *)"a.b", 3, NOW, VF_MALFORMED_TOKEN, buf, sizeof buf,
                            NULL),
                 VF_OK);
    CHECK(strcmp(buf, "token has 2 '.'-separated segments, a compact JWS has 3") == 0);
    /* Statuses that are not verdicts get their sentence. */
    CHECK_STATUS(vf_explain(v, (const uint8_t *)"x", 1, NOW, VF_OK, buf, sizeof buf, NULL), VF_OK);
    CHECK(strcmp(buf, "success") == 0);
    CHECK_STATUS(vf_explain(NULL, (const uint8_t *)"x", 1, NOW, 600, buf, sizeof buf, NULL),
                 VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_explain(v, NULL, 1, NOW, 600, buf, sizeof buf, NULL), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_explain(v, (const uint8_t *)"x", 1, NOW, 600, NULL, 8, NULL), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_explain(v, (const uint8_t *)"x", 1, NOW, 600, buf, 0, NULL), VF_INVALID_ARGUMENT);
}

static void test_result(vf_verifier *v) {
    vf_result *r = NULL;
    CHECK_STATUS(vf_result_new(&r), VF_OK);
    CHECK(r != NULL);
    CHECK(vf_result_claims(r) == NULL); /* nothing verified yet */
    CHECK_STATUS(vf_verify_result(v, (const uint8_t *)RICH, strlen(RICH), NOW, r), VF_OK);
    const vf_claims *c = vf_result_claims(r);
    CHECK(c != NULL);
    if (c) {
        test_strings(c);
        test_scalars(c);
        test_arrays(c);
    }
    char header[2048];
    snprintf(header, sizeof header, "bearer  %s", SOLO);
    CHECK_STATUS(vf_verify_authorization_result(v, (const uint8_t *)header, strlen(header), NOW, r),
                 VF_OK);
    c = vf_result_claims(r);
    CHECK(c != NULL && view_is(c->sub, "u2"));
    CHECK_STATUS(vf_verify_result(v, (const uint8_t *)SHORT, strlen(SHORT), NOW + 100, r), VF_EXPIRED);
    CHECK(vf_result_claims(r) == NULL);
    CHECK_STATUS(vf_verify_authorization_result(v, (const uint8_t *)"x", 1, NOW, r),
                 VF_MISSING_BEARER);
    CHECK(vf_result_claims(r) == NULL);
    CHECK_STATUS(vf_verify_result(v, (const uint8_t *)SOLO, strlen(SOLO), NOW, NULL), VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_verify_result(NULL, (const uint8_t *)SOLO, strlen(SOLO), NOW, r),
                 VF_NULL_ARGUMENT);
    CHECK_STATUS(vf_result_new(NULL), VF_NULL_ARGUMENT);
    CHECK(vf_result_claims(NULL) == NULL);
    vf_result_free(r);
    vf_result_free(NULL);
    CHECK(vf_claims_size() == sizeof(vf_claims));
}

int main(void) {
    vf_verifier *v = hmac_verifier();
    if (!v) return 1;
    vf_claims c;
    CHECK_STATUS(verify(v, RICH, &c), VF_OK);
    test_strings(&c);
    test_scalars(&c);
    test_arrays(&c);
    /* A copy's views point into the original: refused, not read. */
    static vf_claims copy;
    memcpy(&copy, &c, sizeof c);
    int64_t i;
    CHECK_STATUS(vf_claims_get_int(&copy, "n", &i), VF_NOT_VERIFIED);
    test_aud_shapes(v);
    test_explain(v);
    test_result(v);
    vf_verifier_free(v);
    printf("test_claims: %d checks, %d failures (sizeof(vf_claims) = %zu)\n", g_checks, g_failures,
           sizeof(vf_claims));
    return g_failures != 0;
}
