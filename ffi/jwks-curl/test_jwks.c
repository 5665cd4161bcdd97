/* The JWKS component against jwks_server.py on loopback.
 *
 *   test_jwks ROOT BASE_URL      (BASE_URL like http://127.0.0.1:PORT)
 *
 * First fetch, 304 on an unchanged set, rotation on an unknown kid, the
 * rate limit, last good keys kept on a 500 and on a bad document, and a
 * rotation picked up by the background thread alone. Then (issue 24): URLs
 * judged on libcurl's parse (credentials, loopback), redirects not
 * followed, a reason for every failure at start, TLS with a private CA
 * (option and environment), unknown-kid refreshes that never wait for a
 * hanging provider, lazy start, and the limits a provider meets (body,
 * headers, slow drip, too many keys, ETag, proxy from the environment).
 * Then (issue 25): OpenID Connect discovery from an issuer (its issuer
 * checked, jwks_uri on another host, re-discovery after a failed fetch,
 * every refusal named, a token from the loopback issuer verified end to
 * end) and Firebase's X.509 certificate map.
 * The servers' addresses, and that token (minted at run time: its "iss"
 * holds the port), come from with_jwks_server.sh's environment. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
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

/* GET AT/admin/...; exits on failure (the test cannot go on). */
/* The CA file admin_at trusts for an https server (NULL: plain http). */
static const char *admin_ca;

static void admin_at(const char *at, const char *fmt, const char *arg) {
    char url[4200], path[4096];
    snprintf(path, sizeof path, fmt, arg);
    snprintf(url, sizeof url, "%s/admin/%s", at, path);
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (admin_ca) curl_easy_setopt(c, CURLOPT_CAINFO, admin_ca);
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

static void admin(const char *fmt, const char *arg) { admin_at(base, fmt, arg); }

/* A counter ("requests", "discovery") of the server at AT. */
static long stat_at(const char *at, const char *name) {
    char url[4200];
    snprintf(url, sizeof url, "%s/admin/stats", at);
    FILE *p;
    char cmd[4400], out[256] = "";
    snprintf(cmd, sizeof cmd, "curl -s '%s'", url);
    p = popen(cmd, "r");
    if (!p || !fgets(out, sizeof out, p)) {
        fprintf(stderr, "stats %s failed\n", url);
        exit(2);
    }
    pclose(p);
    char key[64];
    snprintf(key, sizeof key, "\"%s\": ", name);
    const char *r = strstr(out, key);
    return r ? strtol(r + strlen(key), NULL, 10) : -1;
}

static long requests_at(const char *at) { return stat_at(at, "requests"); }

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

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static const char *env(const char *name) {
    const char *v = getenv(name);
    if (!v || !v[0]) {
        fprintf(stderr, "%s not set: run under with_jwks_server.sh\n", name);
        exit(2);
    }
    return v;
}

static char errbuf[512];

/* vf_jwks_start expected to fail with `want`, its reason containing `reason`. */
static void start_fails(const vf_jwks_options *base_opts, const char *url, vf_jwks_status want,
                        const char *reason, int line) {
    vf_jwks_options o = *base_opts;
    o.url = url;
    o.error_buf = errbuf;
    o.error_len = sizeof errbuf;
    vf_config *cfg = clerk_policy();
    vf_jwks *j = NULL;
    vf_jwks_status st = vf_jwks_start(&o, cfg, &j);
    checks++;
    if (st != want || j != NULL || !strstr(errbuf, reason)) {
        failures++;
        fprintf(stderr, "%s:%d: start %s: %s [%s], want %s [...%s...]\n", __FILE__, line, url,
                vf_jwks_status_name(st), errbuf, vf_jwks_status_name(want), reason);
    }
    if (j) vf_jwks_free(j);
    vf_config_free(cfg);
}
#define START_FAILS(o, url, want, reason) start_fails(o, url, want, reason, __LINE__)

/* vf_jwks_start expected to succeed; the caller frees. */
static vf_jwks *start_ok(const vf_jwks_options *base_opts, const char *url, int line) {
    vf_jwks_options o = *base_opts;
    o.url = url;
    o.error_buf = errbuf;
    o.error_len = sizeof errbuf;
    vf_config *cfg = clerk_policy();
    vf_jwks *j = NULL;
    vf_jwks_status st = vf_jwks_start(&o, cfg, &j);
    checks++;
    if (st != VF_JWKS_OK || !j || errbuf[0]) {
        failures++;
        fprintf(stderr, "%s:%d: start %s: %s [%s], want ok\n", __FILE__, line, url,
                vf_jwks_status_name(st), errbuf);
    }
    vf_config_free(cfg);
    return j;
}
#define START_OK(o, url) start_ok(o, url, __LINE__)

static void url_of(char *out, size_t n, const char *at, const char *path) {
    snprintf(out, n, "%s%s", at, path);
}

/* Issue 24, 2: the decision is on the host libcurl connects to. */
static void test_urls(const vf_jwks_options *o) {
    /* Text after "http://" looks like loopback, the host is not, or credentials ride along. */
    static const char *const creds[] = {
        "http://localhost:80@127.0.0.2:18555/jwks.json", "http://127.0.0.1:x@10.0.0.1/jwks.json",
        "http://user@127.0.0.1:1/jwks.json", "https://user:pw@clerk.example.com/jwks.json",
        "http://[::1]@evil.example/jwks.json", "http://127.0.0.1;auth=x@10.0.0.1/j"};
    for (size_t i = 0; i < sizeof creds / sizeof *creds; i++)
        START_FAILS(o, creds[i], VF_JWKS_INSECURE_URL, "credentials");
    static const char *const remote[] = {
        "http://example.com/jwks.json", "http://localhost.evil.example/j",
        "http://127.0.0.1.evil.example/j", "http://10.0.0.1/jwks.json", "http://0.0.0.0:1/j",
        "http://[::ffff:10.0.0.1]/j", "http://[::2]/j", "http://evil.example#@127.0.0.1/j",
        "http://evil.example?@127.0.0.1/j"};
    for (size_t i = 0; i < sizeof remote / sizeof *remote; i++)
        START_FAILS(o, remote[i], VF_JWKS_INSECURE_URL, "http:// only to a loopback host");
    static const char *const other[] = {"ftp://127.0.0.1/j", "file:///etc/passwd",
                                        "127.0.0.1/jwks.json", "gopher://127.0.0.1/j",
                                        "http://evil.example\\\\@127.0.0.1/j", "http://a b/j"};
    for (size_t i = 0; i < sizeof other / sizeof *other; i++)
        START_FAILS(o, other[i], VF_JWKS_INSECURE_URL, "");
    /* Loopback in its spellings is accepted (nothing listens: the fetch fails, not the URL). */
    static const char *const loop[] = {"http://127.0.0.1:1/j", "http://LOCALHOST:1/j",
                                       "http://127.0.0.2:1/j", "http://127.255.255.254:1/j",
                                       "http://[::1]:1/j", "HTTP://127.0.0.1:1/j"};
    for (size_t i = 0; i < sizeof loop / sizeof *loop; i++)
        START_FAILS(o, loop[i], VF_JWKS_FETCH_FAILED, "cannot connect");
}

/* Issue 24, 2: a redirect, even to a server with valid keys, is not followed. */
static void test_redirect(const vf_jwks_options *o, const char *url, const char *jwks_a) {
    char to[4200];
    const char *base2 = env("JWKS_BASE2");
    url_of(to, sizeof to, base2, "/jwks.json");
    admin_at(base2, "set?file=%s", jwks_a);
    long before = requests_at(base2);
    admin("redirect?n=1&to=%s", to);
    START_FAILS(o, url, VF_JWKS_FETCH_FAILED, "HTTP status 302, redirect to http://127.0.0.2");
    CHECK(requests_at(base2) == before);
    /* The same during a run. */
    vf_jwks *j = START_OK(o, url);
    if (!j) return;
    admin("redirect?n=1&to=%s", to);
    admin("etag?v=%s", "\"changed\""); /* not a 304: the 302 is the answer */
    CHECK(vf_jwks_refresh(j) == VF_JWKS_FETCH_FAILED);
    char why[512];
    vf_jwks_last_error(j, why, sizeof why);
    CHECK(strstr(why, "redirect to http://127.0.0.2") && strstr(why, "not followed"));
    CHECK(requests_at(base2) == before);
    admin("etag?v=%s", "");
    vf_jwks_free(j);
}

/* Issue 24, 4 and 5: a private CA by option or environment; each TLS failure named. */
static void test_https_issuer_plain_jwks_uri(const vf_jwks_options *with, const char *tls);

static void test_tls(const vf_jwks_options *plain) {
    /* Under valgrind, reading the system's CA bundle (libcurl's default CAINFO,
     * loaded beside a ca_path too) alone can take seconds. */
    vf_jwks_options tls_opts = *plain;
    tls_opts.timeout_ms = 20000;
    const vf_jwks_options *o = &tls_opts;
    char url[4200], by_name[4200];
    const char *tls = env("JWKS_TLS_BASE");
    url_of(url, sizeof url, tls, "/jwks.json");
    /* The certificate names IP 127.0.0.1 only. */
    snprintf(by_name, sizeof by_name, "https://localhost:%s/jwks.json", strrchr(tls, ':') + 1);
    unsetenv("CURL_CA_BUNDLE");
    unsetenv("SSL_CERT_FILE");
    unsetenv("SSL_CERT_DIR");
    START_FAILS(o, url, VF_JWKS_FETCH_FAILED, "TLS certificate verification failed: unknown issuer");
    vf_jwks_options wrong = *o;
    wrong.ca_file = env("JWKS_OTHER_CA_FILE");
    START_FAILS(&wrong, url, VF_JWKS_FETCH_FAILED, "TLS certificate verification failed");
    vf_jwks_options with = *o;
    with.ca_file = env("JWKS_CA_FILE");
    vf_jwks *j = START_OK(&with, url);
    if (j) {
        /* The options are set again on every fetch (the handle is reset each time). */
        CHECK(vf_jwks_refresh(j) == VF_JWKS_OK);
        vf_jwks_stats st;
        vf_jwks_get_stats(j, &st);
        CHECK(st.not_modified == 1);
        vf_jwks_free(j);
    }
    test_https_issuer_plain_jwks_uri(&with, tls);
    START_FAILS(&with, by_name, VF_JWKS_FETCH_FAILED, "TLS host name check failed");
    with.ca_file = "/nonexistent/ca.pem";
    START_FAILS(&with, url, VF_JWKS_FETCH_FAILED, "TLS trust anchors unreadable");
    with.ca_file = NULL;
    with.ca_path = env("JWKS_CA_DIR");
    j = START_OK(&with, url);
    vf_jwks_free(j);
    /* No option: the environment. */
    static const char *const vars[] = {"CURL_CA_BUNDLE", "SSL_CERT_FILE"};
    for (size_t i = 0; i < 2; i++) {
        setenv(vars[i], env("JWKS_CA_FILE"), 1);
        j = START_OK(o, url);
        vf_jwks_free(j);
        unsetenv(vars[i]);
    }
    setenv("SSL_CERT_DIR", env("JWKS_CA_DIR"), 1);
    j = START_OK(o, url);
    vf_jwks_free(j);
    unsetenv("SSL_CERT_DIR");
    /* An option wins over the environment. */
    setenv("SSL_CERT_FILE", env("JWKS_CA_FILE"), 1);
    START_FAILS(&wrong, url, VF_JWKS_FETCH_FAILED, "TLS certificate verification failed");
    unsetenv("SSL_CERT_FILE");
    /* During a run (fetches on the background thread): a wrong host name and an unknown
     * CA read differently. */
    vf_jwks_options lazy = *o;
    lazy.lazy = 1;
    lazy.ca_file = env("JWKS_CA_FILE");
    const char *urls[] = {by_name, url};
    const char *reasons[] = {"TLS host name check failed", "unknown issuer"};
    for (int i = 0; i < 2; i++) {
        if (i == 1) lazy.ca_file = NULL;
        lazy.url = urls[i];
        vf_config *cfg = clerk_policy();
        j = NULL;
        CHECK(vf_jwks_start(&lazy, cfg, &j) == VF_JWKS_OK);
        if (!j) {
            vf_config_free(cfg);
            continue;
        }
        /* Long enough for valgrind to read the system's CA bundle. */
        CHECK(vf_jwks_wait_ready(j, 5000) == VF_JWKS_NOT_READY);
        char why[512];
        vf_jwks_last_error(j, why, sizeof why);
        CHECK(strstr(why, reasons[i]) != NULL);
        if (!strstr(why, reasons[i])) fprintf(stderr, "  got: %s\n", why);
        vf_jwks_free(j);
    }
}

/* Issue 24, 1: request threads never wait for a provider that hangs. */
static void test_unknown_kid_never_waits(const vf_jwks_options *base_opts, const char *url,
                                         const char *tok_a, const char *tok_b,
                                         const char *jwks_b) {
    vf_jwks_options o = *base_opts;
    o.timeout_ms = 4000;
    char jwks_a[4300];
    snprintf(jwks_a, sizeof jwks_a, "%s/examples/keys/clerk-jwks.json", root);
    admin("set?file=%s", jwks_a);
    admin("max-age?s=%s", "60");
    vf_jwks *j = START_OK(&o, url);
    if (!j) return;
    sleep_ms(1100); /* past the rate limit */
    admin("hang?n=%s", "1");
    double t0 = now_ms();
    CHECK(vf_jwks_refresh_unknown_kid(j) == VF_JWKS_REFRESH_QUEUED);
    double dt = now_ms() - t0;
    CHECK(dt < 200);
    sleep_ms(200); /* the background fetch now hangs */
    double worst = 0;
    for (int i = 0; i < 20; i++) {
        t0 = now_ms();
        vf_jwks_status st = vf_jwks_refresh_unknown_kid(j);
        CHECK(st == VF_JWKS_REFRESH_QUEUED || st == VF_JWKS_RATE_LIMITED);
        CHECK(verify(j, tok_a) == VF_OK);
        CHECK(verify(j, tok_b) == VF_UNKNOWN_KID);
        dt = now_ms() - t0;
        if (dt > worst) worst = dt;
    }
    CHECK(worst < 200);
    printf("test_jwks: provider hanging: unknown-kid refresh + 2 verifications, worst of 20: %.1f ms\n",
           worst);
    /* A bounded wait returns when its bound ends, the fetch still hanging. */
    t0 = now_ms();
    CHECK(vf_jwks_refresh_unknown_kid_wait(j, 300) == VF_JWKS_REFRESH_QUEUED);
    dt = now_ms() - t0;
    CHECK(dt > 250 && dt < 1500);
    /* The hang times out; the key published meanwhile arrives through the next request. */
    admin("set?file=%s", jwks_b);
    bool in = false;
    for (int i = 0; i < 100 && !in; i++) {
        vf_jwks_refresh_unknown_kid(j);
        sleep_ms(100);
        in = verify(j, tok_b) == VF_OK;
    }
    CHECK(in);
    char why[512];
    vf_jwks_last_error(j, why, sizeof why);
    CHECK(strstr(why, "timed out (limit 4000 ms") != NULL);
    /* Stopping does not wait out a hanging fetch. */
    sleep_ms(1100);
    admin("hang?n=%s", "1");
    CHECK(vf_jwks_refresh_unknown_kid(j) == VF_JWKS_REFRESH_QUEUED);
    sleep_ms(200);
    t0 = now_ms();
    vf_jwks_free(j);
    dt = now_ms() - t0;
    CHECK(dt < 2500);
}

/* Issue 24, 6: lazy start against a server that is down, then comes up. */
static void test_lazy(const vf_jwks_options *base_opts, const char *url, const char *tok_a) {
    vf_jwks_options o = *base_opts;
    o.lazy = 1;
    o.min_refresh_seconds = 4; /* backoff 1, 2, 4, 4 ... */
    o.error_buf = errbuf;
    o.error_len = sizeof errbuf;
    char jwks_a[4300];
    snprintf(jwks_a, sizeof jwks_a, "%s/examples/keys/clerk-jwks.json", root);
    admin("set?file=%s", jwks_a);
    admin("fail?n=%s", "2");
    vf_config *cfg = clerk_policy();
    vf_jwks *j = NULL;
    double t0 = now_ms();
    CHECK(vf_jwks_start(&o, cfg, &j) == VF_JWKS_OK && j != NULL);
    CHECK(now_ms() - t0 < 100);
    /* cfg is the component's now. */
    if (!j) return;
    CHECK(vf_jwks_verifier(j) == NULL || vf_jwks_ready(j));
    CHECK(vf_jwks_wait_ready(j, 200) == VF_JWKS_NOT_READY);
    CHECK(!vf_jwks_ready(j));
    vf_claims c;
    CHECK(vf_verify(vf_jwks_verifier(j), (const uint8_t *)tok_a, strlen(tok_a), NOW, &c) ==
          VF_NULL_ARGUMENT);
    char why[512];
    vf_jwks_last_error(j, why, sizeof why);
    CHECK(strstr(why, "HTTP status 500") != NULL);
    /* Two failures: retried after 1 s and 2 s; keys by about 3 s. */
    CHECK(vf_jwks_wait_ready(j, 6000) == VF_JWKS_OK);
    double dt = now_ms() - t0;
    CHECK(dt > 2500 && dt < 6000);
    CHECK(vf_jwks_ready(j) && verify(j, tok_a) == VF_OK);
    vf_jwks_free(j);

    /* A URL nothing listens on: started all the same; free is prompt. */
    vf_jwks_options dead = o;
    dead.url = "http://127.0.0.1:1/jwks.json";
    cfg = clerk_policy();
    j = NULL;
    CHECK(vf_jwks_start(&dead, cfg, &j) == VF_JWKS_OK && j);
    CHECK(vf_jwks_wait_ready(j, 300) == VF_JWKS_NOT_READY);
    CHECK(vf_jwks_refresh_unknown_kid(j) != VF_JWKS_OK);
    vf_jwks_last_error(j, why, sizeof why);
    CHECK(strstr(why, "Connection refused") != NULL);
    vf_jwks_free(j);
    /* Lazy start still judges the URL at once (and the policy stays the caller's). */
    dead.url = "http://10.0.0.1/jwks.json";
    cfg = clerk_policy();
    j = NULL;
    CHECK(vf_jwks_start(&dead, cfg, &j) == VF_JWKS_INSECURE_URL && !j);
    vf_config_free(cfg);
    (void)url;
}

/* Issue 24, 8: what else a provider or the environment could make us do. */
static void test_provider_limits(const vf_jwks_options *o, const char *url, const char *jwks_a) {
    admin("set?file=%s", jwks_a);
    /* An ETag we would echo that is not visible ASCII, or over 255 bytes, is not kept:
     * the next fetch is unconditional (200, not 304). */
    char long_etag[400];
    memset(long_etag, 'e', 300);
    long_etag[300] = 0;
    const char *const etags[] = {"%22a%01b%22", "%22a%7Fb%22", long_etag};
    for (size_t i = 0; i < 3; i++) {
        admin("etag?v=%s", etags[i]);
        vf_jwks *j = START_OK(o, url);
        if (!j) continue;
        CHECK(vf_jwks_refresh(j) == VF_JWKS_OK);
        vf_jwks_stats st;
        vf_jwks_get_stats(j, &st);
        CHECK(st.not_modified == 0 && st.rotations == 1);
        vf_jwks_free(j);
    }
    admin("etag?v=%s", "");
    /* A max-age past every integer type, or negative: the refresh falls back to the ceiling,
     * and the component keeps working. */
    static const char *const ages[] = {"max-age=999999999999999999999999999", "max-age=-5",
                                       "max-age=18446744073709551617"};
    for (size_t i = 0; i < 3; i++) {
        admin("cache-control?v=%s", ages[i]);
        vf_jwks *j = START_OK(o, url);
        if (!j) continue;
        CHECK(vf_jwks_refresh(j) == VF_JWKS_OK);
        vf_jwks_free(j);
    }
    admin("cache-control?v=%s", "");
    /* http_proxy in the environment does not carry loopback keys off the machine:
     * the proxy (the second server) sees no request. */
    const char *base2 = env("JWKS_BASE2");
    long before = requests_at(base2);
    setenv("http_proxy", base2, 1);
    setenv("HTTP_PROXY", base2, 1);
    vf_jwks *j = START_OK(o, url);
    vf_jwks_free(j);
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");
    CHECK(requests_at(base2) == before);
    /* A body bigger than the limit during a run keeps the keys, with the reason. */
    j = START_OK(o, url);
    if (!j) return;
    admin("big?n=1&length=0&bytes=%s", "3000000");
    admin("etag?v=%s", "\"x\"");
    CHECK(vf_jwks_refresh(j) == VF_JWKS_FETCH_FAILED);
    char why[512];
    vf_jwks_last_error(j, why, sizeof why);
    CHECK(strstr(why, "body over the 1 MiB limit") != NULL);
    admin("etag?v=%s", "");
    vf_jwks_free(j);
}

/* Start from an issuer; the status and error_buf. *out is set on success. */
static vf_jwks_status start_issuer(const vf_jwks_options *base_opts, const char *issuer,
                                   vf_jwks **out) {
    vf_jwks_options o = *base_opts;
    o.url = NULL;
    o.issuer = issuer;
    o.error_buf = errbuf;
    o.error_len = sizeof errbuf;
    vf_config *cfg = clerk_policy();
    *out = NULL;
    vf_jwks_status st = vf_jwks_start(&o, cfg, out);
    vf_config_free(cfg);
    return st;
}

/* Starting from the issuer fails with `want`, saying `reason`. */
static void issuer_fails(const vf_jwks_options *o, const char *issuer, vf_jwks_status want,
                         const char *reason, int line) {
    vf_jwks *j;
    vf_jwks_status st = start_issuer(o, issuer, &j);
    checks++;
    if (st != want || j != NULL || !strstr(errbuf, reason)) {
        failures++;
        fprintf(stderr, "%s:%d: start issuer %s: %s [%s], want %s [...%s...]\n", __FILE__, line,
                issuer, vf_jwks_status_name(st), errbuf, vf_jwks_status_name(want), reason);
    }
    vf_jwks_free(j);
}
#define ISSUER_FAILS(o, iss, want, reason) issuer_fails(o, iss, want, reason, __LINE__)

/* An https issuer's discovery document may not name a plain-http jwks_uri,
 * loopback included (OpenID Connect Discovery: it MUST be https): its author
 * could aim us at local services and serve keys without TLS. `with` trusts
 * the TLS server at `tls`. */
static void test_https_issuer_plain_jwks_uri(const vf_jwks_options *with, const char *tls) {
    char q[8500], plain_uri[4200];
    url_of(plain_uri, sizeof plain_uri, base, "/jwks.json");
    snprintf(q, sizeof q, "discovery?issuer=%s&jwks_uri=%s", tls, plain_uri);
    admin_ca = with->ca_file;
    admin_at(tls, "%s", q);
    long before = requests_at(base);
    ISSUER_FAILS(with, tls, VF_JWKS_INSECURE_URL, "plain http, named by an https issuer");
    CHECK(requests_at(base) == before);
    admin_at(tls, "discovery%s", "");
    admin_ca = NULL;
}

/* The token with the bits of one signature byte flipped: the base64url
 * character at a multiple of 4 into the signature holds the top 6 bits of
 * one byte alone, so changing its lowest bit changes that byte only. */
static void flip_signature_byte(char *tok) {
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char *sig = strrchr(tok, '.') + 1;
    const char *at = strchr(b64, sig[40]);
    sig[40] = b64[(at - b64) ^ 1];
}

/* Discovery end to end: a token from the loopback issuer itself.
 * with_jwks_server.sh minted it when the port was known (openssl CLI as
 * the signer, a key made for the run), "iss" exactly what the discovery
 * document announces, iat NOW; jwks_server.py serves that key's JWK. */
static void test_discovery_token(const vf_jwks_options *base_opts) {
    const char *tok = env("JWKS_ISSUER_TOKEN"), *other = env("JWKS_ISSUER_TOKEN_OTHER");
    admin("set?file=%s", env("JWKS_ISSUER_JWKS_FILE"));
    admin("discovery%s", "");
    /* Clerk's rules, with this issuer trusted as the policy's too. */
    vf_config *cfg = clerk_policy();
    CHECK(vf_config_add_issuer(cfg, base) == VF_OK);
    vf_jwks_options o = *base_opts;
    o.url = NULL;
    o.issuer = base;
    o.error_buf = errbuf;
    o.error_len = sizeof errbuf;
    vf_jwks *j = NULL;
    CHECK(vf_jwks_start(&o, cfg, &j) == VF_JWKS_OK && j && !errbuf[0]);
    vf_config_free(cfg);
    if (!j) {
        fprintf(stderr, "start issuer %s: %s\n", base, errbuf);
        return;
    }
    vf_jwks_stats st;
    vf_jwks_get_stats(j, &st);
    CHECK(st.discoveries == 1);
    static vf_claims c;
    vf_status s = vf_verify(vf_jwks_verifier(j), (const uint8_t *)tok, strlen(tok), NOW, &c);
    CHECK(s == VF_OK);
    if (s != VF_OK) fprintf(stderr, "issuer token: %s\n", vf_status_name(s));
    CHECK(s == VF_OK && c.iss.len == strlen(base) && memcmp(c.iss.ptr, base, c.iss.len) == 0);
    CHECK(s == VF_OK && c.has_iat && c.iat == NOW && c.has_exp && c.exp > NOW);
    /* One signature byte flipped. */
    char bad[4096];
    CHECK(strlen(tok) < sizeof bad);
    snprintf(bad, sizeof bad, "%s", tok);
    flip_signature_byte(bad);
    CHECK(strcmp(bad, tok) != 0 && verify(j, bad) == VF_BAD_SIGNATURE);
    /* The same header and claims (this issuer, this kid) signed by another key. */
    CHECK(strcmp(other, tok) != 0 && verify(j, other) == VF_BAD_SIGNATURE);
    CHECK(verify(j, tok) == VF_OK);
    vf_jwks_free(j);
}

/* Issue 25: OpenID Connect Discovery from an issuer (jwks_server.py serves
 * the document, by default naming this server as issuer and its
 * /jwks.json). The keys are bound to the issuer: the Clerk token, signed
 * by them, verifies (its signature checks out) and is then refused as
 * another issuer's (VF_KEY_ISSUER_MISMATCH); a token from this loopback
 * issuer verifies end to end (test_discovery_token). */
static void test_discovery(const vf_jwks_options *o, const char *jwks_a, const char *tok_a) {
    char q[4096], jwks_uri[1024], other_uri[1024], slash[1024];
    const char *base2 = env("JWKS_BASE2");
    url_of(jwks_uri, sizeof jwks_uri, base, "/jwks.json");
    url_of(other_uri, sizeof other_uri, base2, "/jwks.json");
    url_of(slash, sizeof slash, base, "/");
    admin("set?file=%s", jwks_a);
    admin_at(base2, "set?file=%s", jwks_a);
    admin("discovery%s", "");
    test_discovery_token(o);
    admin("set?file=%s", jwks_a);
    vf_jwks *j;
    long disc0 = stat_at(base, "discovery");
    CHECK(start_issuer(o, base, &j) == VF_JWKS_OK && j && !errbuf[0]);
    if (!j) return;
    CHECK(vf_jwks_ready(j));
    CHECK(verify(j, tok_a) == VF_KEY_ISSUER_MISMATCH);
    vf_jwks_stats st;
    vf_jwks_get_stats(j, &st);
    CHECK(st.discoveries == 1 && st.fetches == 2 && st.failures == 0);
    CHECK(stat_at(base, "discovery") == disc0 + 1);
    /* A good refresh does not discover again (304 from the same jwks_uri). */
    CHECK(vf_jwks_refresh(j) == VF_JWKS_OK);
    vf_jwks_get_stats(j, &st);
    CHECK(st.discoveries == 1 && st.not_modified == 1);
    /* The provider moves its keys to another host; the old URL fails once,
     * and the next fetch discovers first and follows. */
    snprintf(q, sizeof q, "discovery?issuer=%s&jwks_uri=%s", base, other_uri);
    admin("%s", q);
    long other_before = requests_at(base2);
    admin("fail?n=%s", "1");
    CHECK(vf_jwks_refresh(j) == VF_JWKS_FETCH_FAILED);
    vf_jwks_get_stats(j, &st);
    CHECK(st.discoveries == 1);
    CHECK(vf_jwks_refresh(j) == VF_JWKS_OK);
    vf_jwks_get_stats(j, &st);
    CHECK(st.discoveries == 2 && st.rotations == 1);
    CHECK(requests_at(base2) == other_before + 1);
    CHECK(verify(j, tok_a) == VF_KEY_ISSUER_MISMATCH);
    vf_jwks_free(j);

    /* jwks_uri on another host from the start; the issuer with a trailing
     * '/', repeated exactly by its document. */
    snprintf(q, sizeof q, "discovery?issuer=%s&jwks_uri=%s", slash, other_uri);
    admin("%s", q);
    CHECK(start_issuer(o, slash, &j) == VF_JWKS_OK && j);
    vf_jwks_free(j);

    /* Every refusal, by name; nothing fetched from what a bad document names. */
    ISSUER_FAILS(o, base, VF_JWKS_ISSUER_MISMATCH, "/ is not http://127.0.0.1"); /* names slash */
    snprintf(q, sizeof q, "discovery?issuer=%s&jwks_uri=%s", "https://evil.example", other_uri);
    admin("%s", q);
    other_before = requests_at(base2);
    ISSUER_FAILS(o, base, VF_JWKS_ISSUER_MISMATCH, "its issuer https://evil.example is not");
    admin("discovery?jwks_uri=%s", other_uri);
    ISSUER_FAILS(o, base, VF_JWKS_ISSUER_MISMATCH, "its issuer (none) is not");
    CHECK(requests_at(base2) == other_before);
    admin("discovery?issuer=%s", base);
    ISSUER_FAILS(o, base, VF_JWKS_DISCOVERY_FAILED, "no \"jwks_uri\" string");
    snprintf(q, sizeof q, "discovery?issuer=%s&jwks_uri=%s", base, "http://example.com/jwks.json");
    admin("%s", q);
    ISSUER_FAILS(o, base, VF_JWKS_INSECURE_URL, "jwks_uri refused: URL http://example.com/jwks.json");
    snprintf(q, sizeof q, "discovery?issuer=%s&jwks_uri=%s", base, "https://u:p@example.com/j");
    admin("%s", q);
    ISSUER_FAILS(o, base, VF_JWKS_INSECURE_URL, "credentials");
    admin("discovery?raw=%s", "%5B1%5D"); /* [1] */
    ISSUER_FAILS(o, base, VF_JWKS_DISCOVERY_FAILED, "not a JSON object");
    admin("discovery?raw=%s", "%7B%22issuer%22%3A%22a%22%2C%22issuer%22%3A%22b%22%7D");
    ISSUER_FAILS(o, base, VF_JWKS_DISCOVERY_FAILED, "json_duplicate_member");
    snprintf(q, sizeof q, "discovery?issuer=%s&jwks_uri=%s&pad=1100000", base, jwks_uri);
    admin("%s", q);
    ISSUER_FAILS(o, base, VF_JWKS_FETCH_FAILED, "body over the 1 MiB limit");
    /* The jwks_uri's own redirect is not followed either. */
    admin("discovery%s", "");
    admin("redirect?n=1&to=%s", other_uri);
    ISSUER_FAILS(o, base, VF_JWKS_FETCH_FAILED, "redirect to http://127.0.0.2");
    /* The issuer is judged as a URL; exactly one of url and issuer. */
    ISSUER_FAILS(o, "http://example.com", VF_JWKS_INSECURE_URL, "http:// only to a loopback host");
    ISSUER_FAILS(o, "https://u:p@example.com", VF_JWKS_INSECURE_URL, "credentials");
    ISSUER_FAILS(o, "https://example.com?x=1", VF_JWKS_INSECURE_URL, "query or fragment");
    /* Keys bind issuers of at most 128 bytes: a longer one fails at start,
     * not at every fetch. */
    char long_iss[160];
    snprintf(long_iss, sizeof long_iss, "https://example.com/%0130d", 0);
    ISSUER_FAILS(o, long_iss, VF_JWKS_KEYS_REFUSED, "keys bind issuers of at most 128");
    vf_jwks_options both = *o;
    both.issuer = base;
    vf_config *cfg = clerk_policy();
    j = NULL;
    CHECK(vf_jwks_start(&both, cfg, &j) == VF_JWKS_NULL_ARGUMENT && j == NULL);
    vf_config_free(cfg);
    CHECK(strcmp(vf_jwks_status_name(VF_JWKS_ISSUER_MISMATCH), "issuer_mismatch") == 0);
    CHECK(strcmp(vf_jwks_status_name(VF_JWKS_DISCOVERY_FAILED), "discovery_failed") == 0);
    admin("discovery%s", "");
}

/* Issue 25: Firebase's X.509 certificate map (core/tests/data/x509, made by
 * scripts/gen_x509_fixtures.py) as the key document: each certificate's key
 * under its kid, rotation, max-age, and each malformed map refused by name
 * with the last good keys kept. */
static void test_x509_map(const vf_jwks_options *base_opts, const char *url, const char *jwks_a) {
    char map[4300], rotated[4300], dup[4300], bad[4300];
    snprintf(map, sizeof map, "%s/core/tests/data/x509/map.json", root);
    snprintf(rotated, sizeof rotated, "%s/core/tests/data/x509/map_rotated.json", root);
    snprintf(dup, sizeof dup, "%s/core/tests/data/x509/map_duplicate.json", root);
    snprintf(bad, sizeof bad, "%s/core/tests/data/x509/map_malformed.json", root);
    const char *tok_a = slurp("core/tests/data/x509/token_a.jwt");
    const char *tok_c = slurp("core/tests/data/x509/token_c.jwt");
    vf_jwks_options o = *base_opts;
    o.url = url;
    o.x509_map = 1;
    o.error_buf = errbuf;
    o.error_len = sizeof errbuf;
    vf_config *cfg = vf_config_new();
    CHECK(cfg && vf_config_preset_firebase(cfg) == VF_OK);
    CHECK(vf_config_add_issuer(cfg, "https://securetoken.google.com/x509-test") == VF_OK);
    CHECK(vf_config_add_audience(cfg, "x509-test") == VF_OK);
    admin("set?file=%s", bad);
    vf_jwks *j = NULL;
    CHECK(vf_jwks_start(&o, cfg, &j) == VF_JWKS_KEYS_REFUSED && !j);
    CHECK(strstr(errbuf, "certificate_malformed") && strstr(errbuf, "entry \"m\""));
    vf_config_free(cfg);
    cfg = vf_config_new();
    CHECK(cfg && vf_config_preset_firebase(cfg) == VF_OK);
    CHECK(vf_config_add_issuer(cfg, "https://securetoken.google.com/x509-test") == VF_OK);
    CHECK(vf_config_add_audience(cfg, "x509-test") == VF_OK);
    admin("set?file=%s", map);
    admin("max-age?s=%s", "60");
    CHECK(vf_jwks_start(&o, cfg, &j) == VF_JWKS_OK && j);
    vf_config_free(cfg);
    if (!j) return;
    CHECK(verify(j, tok_a) == VF_OK);
    CHECK(verify(j, tok_c) == VF_UNKNOWN_KID);
    /* Rotation: c arrives, a goes. */
    admin("set?file=%s", rotated);
    sleep_ms(1100);
    CHECK(vf_jwks_refresh_unknown_kid_wait(j, 5000) == VF_JWKS_OK);
    CHECK(verify(j, tok_c) == VF_OK);
    CHECK(verify(j, tok_a) == VF_UNKNOWN_KID);
    /* A malformed map keeps the last good keys. */
    admin("set?file=%s", dup);
    CHECK(vf_jwks_refresh(j) == VF_JWKS_KEYS_REFUSED);
    char why[512];
    vf_jwks_last_error(j, why, sizeof why);
    CHECK(strstr(why, "duplicate_kid") != NULL);
    CHECK(verify(j, tok_c) == VF_OK);
    /* max-age honoured as for a JWKS: the background thread alone brings a back. */
    admin("set?file=%s", map);
    admin("max-age?s=%s", "1");
    bool back = false;
    for (int i = 0; i < 60 && !back; i++) {
        sleep_ms(100);
        back = verify(j, tok_a) == VF_OK;
    }
    CHECK(back);
    vf_jwks_free(j);
    admin("max-age?s=%s", "60");
    admin("set?file=%s", jwks_a);
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

    vf_config_free(cfg);
    /* Every failure at start says why, in the options' error buffer. */
    admin("fail?n=%s", "1");
    START_FAILS(&o, url, VF_JWKS_FETCH_FAILED, "HTTP status 500");
    admin("garbage?n=%s", "1");
    START_FAILS(&o, url, VF_JWKS_KEYS_REFUSED, "first JWKS from");
    admin("garbage?n=%s", "1");
    START_FAILS(&o, url, VF_JWKS_KEYS_REFUSED, "key_malformed");
    START_FAILS(&o, "http://127.0.0.1:1/jwks.json", VF_JWKS_FETCH_FAILED,
                "cannot connect: Connection refused");
    START_FAILS(&o, "http://127.0.0.1:1/jwks.json", VF_JWKS_FETCH_FAILED, "[curl: ");
    START_FAILS(&o, "https://no-such-host.invalid/jwks.json", VF_JWKS_FETCH_FAILED,
                "host name not resolved");
    /* 50 MB, announced by Content-Length (refused before the body) or not. */
    admin("big?n=1&length=1&bytes=%s", "52428800");
    START_FAILS(&o, url, VF_JWKS_FETCH_FAILED, "body over the 1 MiB limit");
    admin("big?n=1&length=0&bytes=%s", "52428800");
    START_FAILS(&o, url, VF_JWKS_FETCH_FAILED, "body over the 1 MiB limit");
    /* 1 MiB exactly is still a body (not a JWKS): the limit is not off by one. */
    admin("big?n=1&length=1&bytes=%s", "1048576");
    START_FAILS(&o, url, VF_JWKS_KEYS_REFUSED, "first JWKS from");
    admin("headers?n=1&kb=%s", "40");
    START_FAILS(&o, url, VF_JWKS_FETCH_FAILED, "response headers over the 32 KiB limit");
    /* Too many keys for a verifier: refused with libverifier's reason. */
    admin("set?file=%s", env("JWKS_MANY_FILE"));
    START_FAILS(&o, url, VF_JWKS_KEYS_REFUSED, "too_many_keys");
    admin("set?file=%s", jwks_a);
    {
        /* A body that drips in, and a server that never answers: the whole-transfer timeout. */
        vf_jwks_options quick = o;
        quick.timeout_ms = 800;
        admin("drip?n=1&ms=%s", "100");
        double t0 = now_ms();
        START_FAILS(&quick, url, VF_JWKS_FETCH_FAILED, "timed out (limit 800 ms");
        double dt = now_ms() - t0;
        CHECK(dt > 700 && dt < 3000);
        admin("hang?n=%s", "1");
        t0 = now_ms();
        START_FAILS(&quick, url, VF_JWKS_FETCH_FAILED, "timed out (limit 800 ms");
        dt = now_ms() - t0;
        CHECK(dt > 700 && dt < 3000);
    }

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
    /* Queued for the background thread; this thread waits only because it asks to. */
    CHECK(vf_jwks_refresh_unknown_kid_wait(j, 5000) == VF_JWKS_OK);
    CHECK(verify(j, tok_b) == VF_OK);
    CHECK(verify(j, tok_a) == VF_UNKNOWN_KID);
    /* Again at once: rate-limited, nothing fetched. */
    vf_jwks_get_stats(j, &st);
    uint64_t fetches = st.fetches;
    CHECK(st.rotations == 1);
    CHECK(vf_jwks_refresh_unknown_kid(j) == VF_JWKS_RATE_LIMITED);
    vf_jwks_get_stats(j, &st);
    CHECK(st.fetches == fetches && st.rate_limited == 1 && st.queued == 1);

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
    CHECK(strstr(why, "JWKS from") && strstr(why, "refused: key_malformed"));
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

    test_urls(&o);
    test_redirect(&o, url, jwks_a);
    test_tls(&o);
    test_unknown_kid_never_waits(&o, url, tok_a, tok_b, jwks_b);
    test_lazy(&o, url, tok_a);
    test_provider_limits(&o, url, jwks_a);
    test_discovery(&o, jwks_a, tok_a);
    test_x509_map(&o, url, jwks_a);

    curl_global_cleanup();
    printf("test_jwks: %d checks, %d failures\n", checks, failures);
    return failures != 0;
}
