/* The JWKS component against jwks_server.py on loopback.
 *
 *   test_jwks ROOT BASE_URL      (BASE_URL like http://127.0.0.1:PORT)
 *
 * First fetch, 304 on an unchanged set, rotation on an unknown kid, the
 * rate limit, last good keys kept on a 500 and on a bad document, and a
 * rotation picked up by the background thread alone. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "vf_jwks.h"

static int failures, checks;
#define CHECK(c)                                                                  \
    do {                                                                          \
        checks++;                                                                 \
        if (!(c)) {                                                               \
            failures++;                                                           \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); \
        }                                                                         \
    } while (0)

static const char *root, *base;
#define NOW 1764000000

static char *slurp(const char *rel) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    static char buf[8][4096];
    static int next;
    char *b = buf[next++ % 8];
    size_t n = fread(b, 1, 4095, f);
    fclose(f);
    while (n && (b[n - 1] == '\n' || b[n - 1] == '\r')) n--;
    b[n] = 0;
    return b;
}

static size_t sink(char *d, size_t s, size_t n, void *u) {
    (void)d, (void)u;
    return s * n;
}

/* GET BASE/admin/...; exits on failure (the test cannot go on). */
static void admin(const char *fmt, const char *arg) {
    char url[4200], path[4096];
    snprintf(path, sizeof path, fmt, arg);
    snprintf(url, sizeof url, "%s/admin/%s", base, path);
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK || code != 200) {
        fprintf(stderr, "admin %s failed\n", url);
        exit(2);
    }
}

static vf_status verify(vf_jwks *j, const char *token) {
    vf_claims c;
    return vf_verify(vf_jwks_verifier(j), (const uint8_t *)token, strlen(token), NOW, &c);
}

static vf_config *clerk_policy(void) {
    vf_config *cfg = vf_config_new();
    CHECK(cfg && vf_config_preset_clerk(cfg) == VF_OK);
    CHECK(vf_config_add_issuer(cfg, "https://clerk.example.com") == VF_OK);
    CHECK(vf_config_add_authorized_party(cfg, "https://app.example.com") == VF_OK);
    return cfg;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s ROOT BASE_URL\n", argv[0]);
        return 2;
    }
    root = argv[1];
    base = argv[2];
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *tok_a = slurp("examples/tokens/clerk.jwt");
    const char *tok_b = slurp("examples/tokens/clerk-rotated.jwt");
    char jwks_a[4300], jwks_b[4300], url[4200];
    snprintf(jwks_a, sizeof jwks_a, "%s/examples/keys/clerk-jwks.json", root);
    snprintf(jwks_b, sizeof jwks_b, "%s/examples/keys/clerk-rotated-jwks.json", root);
    char jwks_ab[4300];
    snprintf(jwks_ab, sizeof jwks_ab, "%s/examples/keys/clerk-both-jwks.json", root);
    snprintf(url, sizeof url, "%s/jwks.json", base);
    admin("set?file=%s", jwks_a);
    admin("max-age?s=%s", "60");

    /* Arguments. */
    vf_jwks *j = NULL;
    vf_config *cfg = clerk_policy();
    vf_jwks_options o = {.url = url, .min_refresh_seconds = 1, .max_refresh_seconds = 60,
                         .retry_seconds = 1, .timeout_ms = 3000};
    vf_jwks_options none = {0};
    CHECK(vf_jwks_start(NULL, cfg, &j) == VF_JWKS_NULL_ARGUMENT);
    CHECK(vf_jwks_start(&none, cfg, &j) == VF_JWKS_NULL_ARGUMENT);
    CHECK(vf_jwks_start(&o, NULL, &j) == VF_JWKS_NULL_ARGUMENT);
    CHECK(vf_jwks_refresh(NULL) == VF_JWKS_NULL_ARGUMENT);
    CHECK(vf_jwks_refresh_unknown_kid(NULL) == VF_JWKS_NULL_ARGUMENT);
    CHECK(vf_jwks_verifier(NULL) == NULL);
    CHECK(strcmp(vf_jwks_status_name(VF_JWKS_RATE_LIMITED), "rate_limited") == 0);
    CHECK(strcmp(vf_jwks_status_name((vf_jwks_status)99), "unknown") == 0);
    vf_jwks_free(NULL);
    /* Keys in the clear only from loopback; nothing but http(s). */
    const char *insecure[] = {"http://example.com/jwks.json", "http://localhost.evil.example/j",
                              "http://127.0.0.1.evil.example/j", "ftp://127.0.0.1/j",
                              "file:///etc/passwd", "127.0.0.1/jwks.json"};
    for (size_t i = 0; i < sizeof insecure / sizeof *insecure; i++) {
        vf_jwks_options bad = o;
        bad.url = insecure[i];
        CHECK(vf_jwks_start(&bad, cfg, &j) == VF_JWKS_INSECURE_URL && j == NULL);
    }
    CHECK(strcmp(vf_jwks_status_name(VF_JWKS_INSECURE_URL), "insecure_url") == 0);

    /* A server that is down at start: no verifier, a status that says so. */
    admin("fail?n=%s", "1");
    CHECK(vf_jwks_start(&o, cfg, &j) == VF_JWKS_FETCH_FAILED && j == NULL);
    /* Nothing loadable: refused, with libverifier's reason in the config. */
    admin("garbage?n=%s", "1");
    CHECK(vf_jwks_start(&o, cfg, &j) == VF_JWKS_KEYS_REFUSED && j == NULL);
    vf_config_free(cfg);
    /* A URL nothing listens on. */
    vf_jwks_options dead = o;
    dead.url = "http://127.0.0.1:1/jwks.json";
    cfg = clerk_policy();
    CHECK(vf_jwks_start(&dead, cfg, &j) == VF_JWKS_FETCH_FAILED);
    vf_config_free(cfg);

    /* First fetch. */
    cfg = clerk_policy();
    CHECK(vf_jwks_start(&o, cfg, &j) == VF_JWKS_OK && j != NULL);
    vf_config_free(cfg);
    if (!j) return 1;
    CHECK(verify(j, tok_a) == VF_OK);
    CHECK(verify(j, tok_b) == VF_UNKNOWN_KID);
    vf_jwks_stats st;
    vf_jwks_get_stats(j, &st);
    CHECK(st.fetches == 1 && st.rotations == 0 && st.failures == 0);

    /* Unchanged: If-None-Match gets a 304, keys stay. */
    CHECK(vf_jwks_refresh(j) == VF_JWKS_OK);
    vf_jwks_get_stats(j, &st);
    CHECK(st.not_modified == 1 && st.rotations == 0);
    CHECK(verify(j, tok_a) == VF_OK);

    /* Rotation: the set now holds only B; a B token names an unknown kid. */
    admin("set?file=%s", jwks_b);
    sleep_ms(1100); /* past the rate limit of the last fetch */
    CHECK(verify(j, tok_b) == VF_UNKNOWN_KID);
    CHECK(vf_jwks_refresh_unknown_kid(j) == VF_JWKS_OK);
    CHECK(verify(j, tok_b) == VF_OK);
    CHECK(verify(j, tok_a) == VF_UNKNOWN_KID);
    /* Again at once: rate-limited, nothing fetched. */
    vf_jwks_get_stats(j, &st);
    uint64_t fetches = st.fetches;
    CHECK(st.rotations == 1);
    CHECK(vf_jwks_refresh_unknown_kid(j) == VF_JWKS_RATE_LIMITED);
    vf_jwks_get_stats(j, &st);
    CHECK(st.fetches == fetches && st.rate_limited == 1);

    /* Failures keep the last good keys. */
    admin("fail?n=%s", "1");
    CHECK(vf_jwks_refresh(j) == VF_JWKS_FETCH_FAILED);
    CHECK(verify(j, tok_b) == VF_OK);
    char why[256];
    vf_jwks_last_error(j, why, sizeof why);
    CHECK(strstr(why, "HTTP status 500") != NULL);
    admin("garbage?n=%s", "1");
    CHECK(vf_jwks_refresh(j) == VF_JWKS_KEYS_REFUSED);
    CHECK(verify(j, tok_b) == VF_OK);
    vf_jwks_last_error(j, why, sizeof why);
    CHECK(strstr(why, "JWKS refused") != NULL);
    vf_jwks_get_stats(j, &st);
    CHECK(st.failures == 2);

    /* The background thread alone picks up a new set once max-age runs out. */
    admin("max-age?s=%s", "1");
    CHECK(vf_jwks_refresh(j) == VF_JWKS_OK); /* 304, now scheduled 1 s out */
    admin("set?file=%s", jwks_ab);
    bool both = false;
    for (int i = 0; i < 60 && !both; i++) {
        sleep_ms(100);
        both = verify(j, tok_a) == VF_OK && verify(j, tok_b) == VF_OK;
    }
    CHECK(both);
    vf_jwks_get_stats(j, &st);
    CHECK(st.rotations >= 2);

    vf_jwks_free(j);
    curl_global_cleanup();
    printf("test_jwks: %d checks, %d failures\n", checks, failures);
    return failures != 0;
}
