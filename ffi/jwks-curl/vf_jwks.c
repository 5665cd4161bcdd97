/* vf_jwks: JWKS fetching and rotation over libcurl (see vf_jwks.h).
 *
 * Only one thread ever does network I/O: the caller of vf_jwks_start for
 * the first fetch (not in lazy mode), then the refresher thread alone. So
 * the curl handle and the ETag need no lock. `lock` guards everything the
 * other threads see (schedule, requests, counters, last error) and pairs
 * with `wake` (the refresher sleeps on it) and `done` (callers waiting for
 * a fetch sleep on it). Request threads take `lock` only for moments and
 * never wait for the network: vf_jwks_refresh_unknown_kid queues a fetch
 * and returns. The verifier pointer is published with release/acquire so
 * vf_jwks_verifier takes no lock. */
#define _POSIX_C_SOURCE 200809L

#include "vf_jwks.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#define MAX_BODY (1u << 20)
#define MAX_HEADERS (32u << 10)
#define ERR_LEN 512

struct vf_jwks {
    char *url; /* as libcurl parsed and normalised it; with discovery, the
                  jwks_uri found (NULL until then), the fetching thread's own */
    bool plain_http; /* http:// to loopback, checked at start (or discovery) */
    char *issuer; /* options.issuer, or NULL: no discovery */
    char *discovery_url; /* its discovery document, normalised */
    bool discovery_plain;
    bool x509_map; /* the document is an X.509 map, not a JWKS */
    char *ca_file, *ca_path; /* from the options, else the environment; may be NULL */
    uint32_t min_s, max_s, retry_s, timeout_ms;
    _Atomic(vf_verifier *) verifier;
    vf_config *policy; /* until the first keys; freed by us only if owns_policy (lazy) */
    bool owns_policy;
    bool policy_spent; /* the first keys went into it, but it built no verifier */
    atomic_bool stopping; /* read by curl's progress callback */

    /* The fetching thread's own. */
    CURL *curl;
    char etag[256];
    char curl_error[CURL_ERROR_SIZE];
    unsigned lazy_failures; /* failed fetches before the first keys (backoff) */
    bool rediscover; /* the last fetch failed: discover before the next */

    pthread_mutex_t lock;
    pthread_cond_t wake; /* the refresher's */
    pthread_cond_t done; /* broadcast when a fetch ends */
    bool stop, thread_started, want;
    double next_due;
    double last_attempt; /* monotonic seconds; < 0 before the first */
    uint64_t started, finished; /* fetches begun and ended */
    bool fetching;
    vf_jwks_status last_status; /* of fetch number `finished` */
    vf_jwks_stats stats;
    char last_error[ERR_LEN];
    pthread_t thread;
};

/* One response: body, and the headers that steer caching. */
struct response {
    char *body;
    size_t len, cap;
    bool too_big, headers_too_big;
    size_t header_bytes;
    char etag[256];
    char location[200];
    long max_age; /* -1: none given */
    bool no_cache;
};

static double mono(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_error(vf_jwks *j, const char *fmt, ...) {
    pthread_mutex_lock(&j->lock);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->last_error, sizeof j->last_error, fmt, ap);
    va_end(ap);
    j->stats.failures++;
    pthread_mutex_unlock(&j->lock);
}

static void copy_error(char *buf, size_t len, const char *fmt, ...) {
    if (!buf || len == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

static size_t on_body(char *data, size_t size, size_t n, void *user) {
    struct response *r = user;
    size_t add = size * n;
    if (r->too_big || add > MAX_BODY - r->len) {
        r->too_big = true;
        return 0; /* aborts the transfer */
    }
    if (r->len + add + 1 > r->cap) {
        /* Doubling: a body dripped a byte at a time costs no quadratic copying. */
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < r->len + add + 1) cap *= 2;
        char *grown = realloc(r->body, cap);
        if (!grown) return 0;
        r->body = grown;
        r->cap = cap;
    }
    memcpy(r->body + r->len, data, add);
    r->len += add;
    r->body[r->len] = 0;
    return add;
}

/* `name: value` with `name` matched case-insensitively; value trimmed into out. */
static bool header_value(const char *line, size_t len, const char *name, char *out, size_t cap) {
    size_t n = strlen(name);
    if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':') return false;
    const char *v = line + n + 1, *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t')) v++;
    while (end > v && isspace((unsigned char)end[-1])) end--;
    size_t vl = (size_t)(end - v);
    if (vl >= cap) return false; /* an over-long value is simply not used */
    memcpy(out, v, vl);
    out[vl] = 0;
    return true;
}

/* An ETag we will send back: visible ASCII only (RFC 9110 etagc), so a
 * provider cannot make us send bytes that are not a header value. */
static bool etag_ok(const char *v) {
    if (!*v) return false;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x21 || *p > 0x7e) return false;
    return true;
}

static void parse_cache_control(struct response *r, const char *v) {
    for (const char *p = v; *p;) {
        while (*p == ' ' || *p == ',') p++;
        if (strncasecmp(p, "max-age=", 8) == 0) {
            char *end;
            errno = 0;
            long age = strtol(p + 8, &end, 10);
            /* Out of range or negative: ignored (the refresh then uses max_refresh). */
            if (errno == 0 && end != p + 8 && age >= 0) r->max_age = age;
        } else if (strncasecmp(p, "no-cache", 8) == 0 || strncasecmp(p, "no-store", 8) == 0) {
            r->no_cache = true;
        }
        while (*p && *p != ',') p++;
    }
}

static size_t on_header(char *data, size_t size, size_t n, void *user) {
    struct response *r = user;
    size_t len = size * n;
    r->header_bytes += len;
    if (r->header_bytes > MAX_HEADERS) {
        r->headers_too_big = true;
        return 0; /* aborts the transfer */
    }
    char value[512];
    if (header_value(data, len, "ETag", value, sizeof value)) {
        if (strlen(value) < sizeof r->etag && etag_ok(value)) strcpy(r->etag, value);
    } else if (header_value(data, len, "Cache-Control", value, sizeof value)) {
        parse_cache_control(r, value);
    } else if (header_value(data, len, "Location", value, sizeof value)) {
        size_t n = strlen(value);
        if (n >= sizeof r->location) n = sizeof r->location - 1; /* for the message only */
        for (size_t i = 0; i < n; i++) /* provider text in our messages: printable only */
            r->location[i] = value[i] >= 0x20 && value[i] < 0x7f ? value[i] : '?';
        r->location[n] = 0;
    }
    return len;
}

/* Ends a transfer soon after vf_jwks_free asks (curl calls this about once a second
 * even on a silent connection). */
static int on_progress(void *user, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d) {
    (void)a, (void)b, (void)c, (void)d;
    vf_jwks *j = user;
    return atomic_load(&j->stopping) ? 1 : 0;
}

/* Seconds until the next scheduled refresh for a response's caching headers. */
static double interval(const vf_jwks *j, const struct response *r) {
    double s = r->max_age < 0 ? j->max_s : (double)r->max_age;
    if (r->no_cache || s < j->min_s) s = j->min_s;
    if (s > j->max_s) s = j->max_s;
    return s;
}

static void schedule(vf_jwks *j, double in_seconds) {
    pthread_mutex_lock(&j->lock);
    j->next_due = mono() + in_seconds;
    pthread_mutex_unlock(&j->lock);
}

/* X.509 verification results worth naming (OpenSSL's numbering, which
 * CURLINFO_SSL_VERIFYRESULT reports with the OpenSSL backend). */
static const char *verify_result_name(long v) {
    switch (v) {
    case 2: return "issuer certificate not found";
    case 9: return "certificate not yet valid";
    case 10: return "certificate expired";
    case 18: return "self-signed certificate";
    case 19: return "self-signed certificate in the chain";
    case 20: return "unknown issuer (no trusted CA for the chain)";
    case 21: return "leaf certificate cannot be verified";
    case 62: return "host name mismatch";
    }
    return "certificate not trusted";
}

/* Why a transfer failed, in words: which limit, which TLS check, which
 * socket error, with libcurl's own detail after it. */
static void describe_failure(vf_jwks *j, const char *url, const struct response *r, CURLcode rc) {
    char what[200];
    const char *detail = j->curl_error[0] ? j->curl_error : curl_easy_strerror(rc);
    long os_errno = 0, verify = 0;
    curl_easy_getinfo(j->curl, CURLINFO_OS_ERRNO, &os_errno);
    curl_easy_getinfo(j->curl, CURLINFO_SSL_VERIFYRESULT, &verify);
    if (r->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        snprintf(what, sizeof what, "body over the 1 MiB limit");
    } else if (r->headers_too_big) {
        snprintf(what, sizeof what, "response headers over the %u KiB limit", MAX_HEADERS >> 10);
    } else if (rc == CURLE_OPERATION_TIMEDOUT) {
        snprintf(what, sizeof what, "timed out (limit %u ms for the whole transfer)", j->timeout_ms);
    } else if (rc == CURLE_COULDNT_CONNECT) {
        snprintf(what, sizeof what, "cannot connect: %s",
                 os_errno ? strerror((int)os_errno) : "connection failed");
    } else if (rc == CURLE_COULDNT_RESOLVE_HOST) {
        snprintf(what, sizeof what, "host name not resolved");
    } else if (rc == CURLE_PEER_FAILED_VERIFICATION) {
        /* OpenSSL reports a name mismatch found by libcurl as result 1 (unspecified). */
        if (verify != 0 && verify != 62 && !strstr(detail, "host name"))
            snprintf(what, sizeof what, "TLS certificate verification failed: %s (verify result %ld)",
                     verify_result_name(verify), verify);
        else
            snprintf(what, sizeof what, "TLS host name check failed: the certificate is not for this host");
    } else if (rc == CURLE_SSL_CACERT_BADFILE) {
        snprintf(what, sizeof what, "TLS trust anchors unreadable (ca_file %s, ca_path %s)",
                 j->ca_file ? j->ca_file : "default", j->ca_path ? j->ca_path : "default");
    } else if (rc == CURLE_SSL_CONNECT_ERROR) {
        snprintf(what, sizeof what, "TLS handshake failed");
    } else if (rc == CURLE_ABORTED_BY_CALLBACK) {
        snprintf(what, sizeof what, "stopped by vf_jwks_free");
    } else if (rc == CURLE_UNSUPPORTED_PROTOCOL) {
        snprintf(what, sizeof what, "protocol not allowed");
    } else {
        snprintf(what, sizeof what, "transfer failed (curl code %d)", (int)rc);
    }
    set_error(j, "fetch %s: %s [curl: %s]", url, what, detail);
}

/* One GET of `url` (`plain`: http:// to loopback), conditional on the last
 * ETag if `conditional`. Fills `r`; returns the HTTP status or -1 (reason set). */
static long get(vf_jwks *j, struct response *r, const char *url, bool plain, bool conditional) {
    memset(r, 0, sizeof *r);
    r->max_age = -1;
    CURL *c = j->curl;
    /* A reset clears every option: all of them are set again here. */
    curl_easy_reset(c);
    j->curl_error[0] = 0;
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, j->curl_error);
    curl_easy_setopt(c, CURLOPT_URL, url);
    const char *proto = plain ? "http" : "https";
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, proto);
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, proto);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 0L);
    /* Plain http goes to loopback only: never through a proxy from the environment. */
    if (plain) curl_easy_setopt(c, CURLOPT_PROXY, "");
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (j->ca_file) curl_easy_setopt(c, CURLOPT_CAINFO, j->ca_file);
    if (j->ca_path) curl_easy_setopt(c, CURLOPT_CAPATH, j->ca_path);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    /* The whole transfer, however slowly the body drips in. */
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)j->timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)j->timeout_ms);
    /* A declared Content-Length over the limit fails before any byte of the body. */
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)MAX_BODY);
    /* No CURLOPT_ACCEPT_ENCODING: bodies are not decompressed, so 1 MiB is 1 MiB. */
    curl_easy_setopt(c, CURLOPT_USERAGENT, "libverifier-jwks");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, j);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    struct curl_slist *h = NULL;
    char inm[300];
    if (conditional && j->etag[0]) {
        snprintf(inm, sizeof inm, "If-None-Match: %s", j->etag);
        h = curl_slist_append(NULL, inm);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    }
    pthread_mutex_lock(&j->lock);
    j->stats.fetches++;
    pthread_mutex_unlock(&j->lock);
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(h);
    long code = -1;
    if (rc == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    else describe_failure(j, url, r, rc);
    return code;
}

static void set_verifier(vf_jwks *j, vf_verifier *v) {
    atomic_store_explicit(&j->verifier, v, memory_order_release);
}

static vf_verifier *get_verifier(const vf_jwks *j) {
    return atomic_load_explicit(&((vf_jwks *)j)->verifier, memory_order_acquire);
}

/* A fetched document's keys into `cfg`: a JWKS or an X.509 map, every key
 * bound to the issuer with discovery. */
static vf_status add_keys(vf_jwks *j, vf_config *cfg, const struct response *r) {
    if (j->x509_map)
        return vf_config_add_x509_map(cfg, (const uint8_t *)r->body, r->len, j->issuer, 0, NULL);
    return vf_config_add_jwks_ex(cfg, (const uint8_t *)r->body, r->len, j->issuer, 0, NULL);
}

/* The first key set: into `policy`, and the verifier built from it. */
static vf_jwks_status first_keys(vf_jwks *j, vf_config *policy, const struct response *r) {
    if (j->policy_spent) {
        /* A configuration cannot shed keys: another set would come on top of the last. */
        set_error(j, "first JWKS from %s: the policy refused the first key set and cannot be "
                     "retried; fix the policy (see the first error) and restart", j->url);
        return VF_JWKS_KEYS_REFUSED;
    }
    vf_status s = add_keys(j, policy, r);
    vf_verifier *v = NULL;
    bool added = s == VF_OK;
    if (s == VF_OK) s = vf_verifier_new(policy, &v);
    if (s != VF_OK) {
        char why[300];
        vf_config_last_error(policy, why, sizeof why);
        set_error(j, "first JWKS from %s refused: %s (%s)", j->url, vf_status_name(s), why);
        j->policy_spent = added;
        return VF_JWKS_KEYS_REFUSED;
    }
    set_verifier(j, v);
    return VF_JWKS_OK;
}

/* A later key set, swapped in under the verifying threads. */
static vf_jwks_status new_keys(vf_jwks *j, const struct response *r) {
    vf_config *cfg = vf_config_new();
    if (!cfg) {
        set_error(j, "new keys: out of memory");
        return VF_JWKS_RESOURCES;
    }
    vf_status s = add_keys(j, cfg, r);
    if (s == VF_OK) s = vf_verifier_replace_keys(get_verifier(j), cfg);
    vf_jwks_status st = VF_JWKS_OK;
    if (s != VF_OK) {
        char why[300];
        vf_config_last_error(cfg, why, sizeof why);
        set_error(j, "JWKS from %s refused: %s (%s)", j->url, vf_status_name(s), why);
        st = VF_JWKS_KEYS_REFUSED;
    } else {
        pthread_mutex_lock(&j->lock);
        j->stats.rotations++;
        pthread_mutex_unlock(&j->lock);
    }
    vf_config_free(cfg);
    return st;
}

/* Seconds before retrying after a failure: retry_seconds once keys are in;
 * before that (lazy start) 1, 2, 4, ... capped at min_refresh_seconds. */
static double retry_in(vf_jwks *j) {
    if (get_verifier(j)) return j->retry_s;
    unsigned n = j->lazy_failures++;
    double s = n >= 30 ? j->min_s : (double)(1u << n);
    return s < j->min_s ? s : j->min_s;
}

static vf_jwks_status check_url(const char *url, char **normalized, bool *plain, char *why, size_t wl);

/* Provider text for our messages: printable ASCII only, at most 200 bytes. */
static void printable(char *s) {
    size_t n = 0;
    for (; s[n] && n < 200; n++)
        if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] >= 0x7f) s[n] = '?';
    s[n] = 0;
}

/* OpenID Connect Discovery: fetch the issuer's document, check its issuer,
 * and take its jwks_uri into j->url. Only the fetching thread calls this. */
static vf_jwks_status discover(vf_jwks *j) {
    struct response r;
    pthread_mutex_lock(&j->lock);
    j->stats.discoveries++;
    pthread_mutex_unlock(&j->lock);
    long code = get(j, &r, j->discovery_url, j->discovery_plain, false);
    vf_jwks_status st = VF_JWKS_DISCOVERY_FAILED;
    char iss[512], uri[2048], why[ERR_LEN];
    if (code != 200) {
        if (code >= 300 && code < 400)
            set_error(j, "fetch %s: HTTP status %ld, redirect to %s not followed", j->discovery_url,
                      code, r.location[0] ? r.location : "(no Location)");
        else if (code != -1)
            set_error(j, "fetch %s: HTTP status %ld", j->discovery_url, code);
        st = VF_JWKS_FETCH_FAILED;
        goto out;
    }
    const uint8_t *body = (const uint8_t *)(r.body ? r.body : "");
    vf_status s = vf_json_get_string(body, r.len, "issuer", iss, sizeof iss, NULL);
    if (s != VF_OK && s != VF_CLAIM_NOT_FOUND && s != VF_CLAIM_TYPE_MISMATCH &&
        s != VF_OUTPUT_TOO_SMALL && s != VF_CLAIM_HAS_NUL) {
        set_error(j, "discovery document from %s: not a JSON object (%s: %s)", j->discovery_url,
                  vf_status_name(s), vf_status_message(s));
        goto out;
    }
    if (s != VF_OK || strcmp(iss, j->issuer) != 0) {
        if (s != VF_OK) snprintf(iss, sizeof iss, "(%s)", s == VF_CLAIM_NOT_FOUND ? "none" : "not a usable string");
        printable(iss);
        set_error(j, "discovery document from %s: its issuer %s is not %s (OpenID Connect "
                     "Discovery 1.0, 4.3)", j->discovery_url, iss, j->issuer);
        st = VF_JWKS_ISSUER_MISMATCH;
        goto out;
    }
    s = vf_json_get_string(body, r.len, "jwks_uri", uri, sizeof uri, NULL);
    if (s != VF_OK || !uri[0]) {
        set_error(j, "discovery document from %s: no \"jwks_uri\" string (%s)", j->discovery_url,
                  s == VF_OK ? "empty" : vf_status_name(s));
        goto out;
    }
    char *found = NULL;
    bool plain = false;
    st = check_url(uri, &found, &plain, why, sizeof why);
    if (st != VF_JWKS_OK) {
        printable(why);
        set_error(j, "discovery document from %s: jwks_uri refused: %s", j->discovery_url, why);
        goto out;
    }
    /* An https issuer's document may not send us to plain http, loopback
     * included (OpenID Connect Discovery: jwks_uri MUST use https): its
     * author could aim this process at local services and serve keys
     * without TLS. */
    if (plain && !j->discovery_plain) {
        printable(uri);
        set_error(j, "discovery document from %s: jwks_uri %s is plain http, named by an https "
                     "issuer", j->discovery_url, uri);
        free(found);
        st = VF_JWKS_INSECURE_URL;
        goto out;
    }
    if (!j->url || strcmp(found, j->url) != 0) j->etag[0] = 0; /* the old URL's validator */
    free(j->url);
    j->url = found;
    j->plain_http = plain;
    j->rediscover = false;
out:
    free(r.body);
    return st;
}

/* Fetch and, on a new document, install it. Only the fetching thread calls this. */
static vf_jwks_status fetch_once(vf_jwks *j) {
    if (j->issuer && (!j->url || j->rediscover)) {
        vf_jwks_status st = discover(j);
        if (st != VF_JWKS_OK) {
            j->rediscover = true;
            schedule(j, retry_in(j));
            return st;
        }
    }
    struct response r;
    long code = get(j, &r, j->url, j->plain_http, true);
    vf_jwks_status st;
    bool have = get_verifier(j) != NULL;
    if (code == 304 && have) {
        pthread_mutex_lock(&j->lock);
        j->stats.not_modified++;
        pthread_mutex_unlock(&j->lock);
        schedule(j, interval(j, &r));
        st = VF_JWKS_OK;
    } else if (code == 200) {
        if (have) {
            st = new_keys(j, &r);
        } else {
            st = first_keys(j, j->policy, &r);
            if (st == VF_JWKS_OK) {
                if (j->owns_policy) vf_config_free(j->policy);
                j->policy = NULL;
            }
        }
        if (st == VF_JWKS_OK) {
            /* Remember the validator only for a document that loaded. */
            snprintf(j->etag, sizeof j->etag, "%s", r.etag);
            schedule(j, interval(j, &r));
        } else {
            j->rediscover = true;
            schedule(j, retry_in(j));
        }
    } else {
        if (code >= 300 && code < 400)
            set_error(j, "fetch %s: HTTP status %ld, redirect to %s not followed", j->url, code,
                      r.location[0] ? r.location : "(no Location)");
        else if (code != -1)
            set_error(j, "fetch %s: HTTP status %ld", j->url, code);
        j->rediscover = true;
        schedule(j, retry_in(j));
        st = VF_JWKS_FETCH_FAILED;
    }
    free(r.body);
    return st;
}

static void *refresher(void *arg) {
    vf_jwks *j = arg;
    pthread_mutex_lock(&j->lock);
    while (!j->stop) {
        double now = mono();
        if (!j->want && now < j->next_due) {
            double due = j->next_due;
            struct timespec ts;
            ts.tv_sec = (time_t)due;
            ts.tv_nsec = (long)((due - (double)ts.tv_sec) * 1e9);
            pthread_cond_timedwait(&j->wake, &j->lock, &ts);
            continue;
        }
        j->want = false;
        j->fetching = true;
        j->started++;
        j->last_attempt = now;
        pthread_mutex_unlock(&j->lock);
        vf_jwks_status st = fetch_once(j);
        pthread_mutex_lock(&j->lock);
        j->fetching = false;
        j->finished++;
        j->last_status = st;
        pthread_cond_broadcast(&j->done);
    }
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

static void destroy(vf_jwks *j) {
    if (j->curl) curl_easy_cleanup(j->curl);
    vf_verifier_free(get_verifier(j));
    if (j->owns_policy) vf_config_free(j->policy);
    pthread_cond_destroy(&j->wake);
    pthread_cond_destroy(&j->done);
    pthread_mutex_destroy(&j->lock);
    free(j->url);
    free(j->issuer);
    free(j->discovery_url);
    free(j->ca_file);
    free(j->ca_path);
    free(j);
    curl_global_cleanup();
}

/* 127.0.0.0/8, ::1 or the name localhost (which libcurl resolves to loopback
 * itself, without asking DNS). `host` as CURLUPART_HOST gives it. */
static bool loopback_host(const char *host) {
    if (strcasecmp(host, "localhost") == 0) return true;
    unsigned char a[16];
    size_t n = strlen(host);
    if (n > 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < 64) {
        char v6[64];
        memcpy(v6, host + 1, n - 2);
        v6[n - 2] = 0;
        static const unsigned char one[16] = {[15] = 1};
        return inet_pton(AF_INET6, v6, a) == 1 && memcmp(a, one, 16) == 0;
    }
    return inet_pton(AF_INET, host, a) == 1 && a[0] == 127;
}

/* Decides on the URL as libcurl parses it (what it will connect to), not on
 * its text: https://, or http:// to a loopback host; never credentials.
 * On success *normalized is libcurl's rendering (free it) and *plain says http. */
static vf_jwks_status check_url(const char *url, char **normalized, bool *plain, char *why, size_t wl) {
    CURLU *u = curl_url();
    if (!u) return VF_JWKS_RESOURCES;
    vf_jwks_status st = VF_JWKS_INSECURE_URL;
    char *scheme = NULL, *host = NULL, *part = NULL, *zone = NULL;
    CURLUcode uc = curl_url_set(u, CURLUPART_URL, url, 0);
    if (uc != CURLUE_OK) {
        copy_error(why, wl, "URL %s not accepted: %s", url, curl_url_strerror(uc));
        goto out;
    }
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host[0]) {
        copy_error(why, wl, "URL %s: no scheme or host", url);
        goto out;
    }
    static const CURLUPart cred[] = {CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_OPTIONS};
    for (size_t i = 0; i < sizeof cred / sizeof *cred; i++) {
        if (curl_url_get(u, cred[i], &part, 0) == CURLUE_OK) {
            copy_error(why, wl, "URL %s carries credentials (user info before the host): refused", url);
            goto out;
        }
    }
    if (strcmp(scheme, "https") == 0) {
        *plain = false;
    } else if (strcmp(scheme, "http") == 0) {
        if (curl_url_get(u, CURLUPART_ZONEID, &zone, 0) == CURLUE_OK || !loopback_host(host)) {
            copy_error(why, wl,
                       "URL %s: http:// only to a loopback host (127.0.0.0/8, localhost, [::1]); "
                       "host is %s: use https://",
                       url, host);
            goto out;
        }
        *plain = true;
    } else {
        copy_error(why, wl, "URL %s: scheme %s not allowed (https://, or http:// to loopback)", url,
                   scheme);
        goto out;
    }
    if (curl_url_get(u, CURLUPART_URL, normalized, 0) != CURLUE_OK) {
        st = VF_JWKS_RESOURCES;
        goto out;
    }
    st = VF_JWKS_OK;
out:
    curl_free(scheme);
    curl_free(host);
    curl_free(part);
    curl_free(zone);
    curl_url_cleanup(u);
    return st;
}

/* An option, else the first set environment variable, copied; NULL if none. */
static bool pick(char **out, const char *opt, const char *env1, const char *env2) {
    const char *v = opt && opt[0] ? opt : NULL;
    if (!v && env1) v = getenv(env1);
    if ((!v || !v[0]) && env2) v = getenv(env2);
    if (!v || !v[0]) return true;
    *out = strdup(v);
    return *out != NULL;
}

vf_jwks_status vf_jwks_start(const vf_jwks_options *o, vf_config *policy, vf_jwks **out) {
    if (o) copy_error(o->error_buf, o->error_len, "%s", "");
    bool has_url = o && o->url && o->url[0], has_issuer = o && o->issuer && o->issuer[0];
    if (!o || has_url == has_issuer || !policy || !out) {
        if (o) copy_error(o->error_buf, o->error_len,
                          "a required argument is NULL, or not exactly one of url and issuer is given");
        return VF_JWKS_NULL_ARGUMENT;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return VF_JWKS_RESOURCES;
    vf_jwks *j = calloc(1, sizeof *j);
    if (!j) {
        curl_global_cleanup();
        return VF_JWKS_RESOURCES;
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->wake, &ca);
    pthread_cond_init(&j->done, &ca);
    pthread_condattr_destroy(&ca);
    atomic_init(&j->verifier, NULL);
    atomic_init(&j->stopping, false);
    vf_jwks_status st;
    if (has_url) {
        st = check_url(o->url, &j->url, &j->plain_http, o->error_buf, o->error_len);
    } else if (strlen(o->issuer) > VF_JWKS_MAX_ISSUER_LEN) {
        /* The keys are bound to it: refused here, not at every fetch. */
        copy_error(o->error_buf, o->error_len, "issuer is %zu bytes; keys bind issuers of at "
                   "most %d", strlen(o->issuer), VF_JWKS_MAX_ISSUER_LEN);
        st = VF_JWKS_KEYS_REFUSED;
    } else if (strpbrk(o->issuer, "?#")) {
        copy_error(o->error_buf, o->error_len, "issuer %s has a query or fragment, which an "
                   "OpenID Connect issuer cannot have", o->issuer);
        st = VF_JWKS_INSECURE_URL;
    } else {
        /* The issuer as given (its document must repeat it exactly), and its
         * discovery URL judged as any URL we fetch. */
        size_t n = strlen(o->issuer);
        j->issuer = strdup(o->issuer);
        char *doc = malloc(n + sizeof "/.well-known/openid-configuration");
        st = j->issuer && doc ? VF_JWKS_OK : VF_JWKS_RESOURCES;
        if (st == VF_JWKS_OK) {
            memcpy(doc, o->issuer, n);
            if (n && doc[n - 1] == '/') n--;
            strcpy(doc + n, "/.well-known/openid-configuration");
            st = check_url(doc, &j->discovery_url, &j->discovery_plain, o->error_buf, o->error_len);
        }
        free(doc);
    }
    if (st != VF_JWKS_OK) {
        destroy(j);
        return st;
    }
    j->x509_map = o->x509_map != 0;
    j->min_s = o->min_refresh_seconds ? o->min_refresh_seconds : 10;
    j->max_s = o->max_refresh_seconds ? o->max_refresh_seconds : 600;
    if (j->max_s < j->min_s) j->max_s = j->min_s;
    j->retry_s = o->retry_seconds ? o->retry_seconds : 10;
    j->timeout_ms = o->timeout_ms ? o->timeout_ms : 5000;
    j->last_attempt = -1;
    j->curl = curl_easy_init();
    /* No option: the variables libcurl's command-line tool and OpenSSL honour. */
    bool ok = j->curl && pick(&j->ca_file, o->ca_file, o->ca_path ? NULL : "CURL_CA_BUNDLE",
                              o->ca_path ? NULL : "SSL_CERT_FILE");
    ok = ok && pick(&j->ca_path, o->ca_path, o->ca_file ? NULL : "SSL_CERT_DIR", NULL);
    if (!ok) {
        copy_error(o->error_buf, o->error_len, "out of memory");
        destroy(j);
        return VF_JWKS_RESOURCES;
    }
    if (o->lazy) {
        /* The policy is needed when the keys come: taken over on success. */
        j->policy = policy;
        j->owns_policy = true;
        j->next_due = 0; /* fetch at once */
    } else {
        j->started = j->finished = 1;
        j->last_attempt = mono();
        j->policy = policy;
        st = fetch_once(j);
        j->policy = NULL; /* the caller's: the keys stay in it, as documented */
        j->last_status = st;
        if (st != VF_JWKS_OK) {
            copy_error(o->error_buf, o->error_len, "%s", j->last_error);
            destroy(j);
            return st;
        }
    }
    if (pthread_create(&j->thread, NULL, refresher, j) != 0) {
        copy_error(o->error_buf, o->error_len, "cannot start the refresh thread");
        j->owns_policy = false; /* still the caller's */
        destroy(j);
        return VF_JWKS_RESOURCES;
    }
    j->thread_started = true;
    *out = j;
    return VF_JWKS_OK;
}

const vf_verifier *vf_jwks_verifier(const vf_jwks *j) { return j ? get_verifier(j) : NULL; }

bool vf_jwks_ready(const vf_jwks *j) { return vf_jwks_verifier(j) != NULL; }

/* Wait, with `lock` held, until fetch number `ticket` has ended or
 * `timeout_ms` passed (UINT32_MAX: no limit). */
static vf_jwks_status wait_ticket(vf_jwks *j, uint64_t ticket, uint32_t timeout_ms) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
    while (j->finished < ticket && !j->stop) {
        if (timeout_ms == UINT32_MAX) pthread_cond_wait(&j->done, &j->lock);
        else if (pthread_cond_timedwait(&j->done, &j->lock, &ts) == ETIMEDOUT) break;
    }
    return j->finished >= ticket ? j->last_status : VF_JWKS_REFRESH_QUEUED;
}

vf_jwks_status vf_jwks_refresh(vf_jwks *j) {
    if (!j) return VF_JWKS_NULL_ARGUMENT;
    pthread_mutex_lock(&j->lock);
    /* The fetch after the running one, if one runs: it may have started before the change. */
    uint64_t ticket = j->started + 1;
    j->want = true;
    pthread_cond_signal(&j->wake);
    vf_jwks_status st = wait_ticket(j, ticket, UINT32_MAX);
    pthread_mutex_unlock(&j->lock);
    return st;
}

vf_jwks_status vf_jwks_refresh_unknown_kid_wait(vf_jwks *j, uint32_t wait_ms) {
    if (!j) return VF_JWKS_NULL_ARGUMENT;
    pthread_mutex_lock(&j->lock);
    vf_jwks_status st;
    uint64_t ticket;
    if (j->fetching || j->want) {
        /* One is running or queued already: it answers this request too. */
        ticket = j->fetching && !j->want ? j->started : j->started + 1;
        j->stats.queued++;
        st = VF_JWKS_REFRESH_QUEUED;
    } else if (j->last_attempt >= 0 && mono() - j->last_attempt < j->min_s) {
        j->stats.rate_limited++;
        pthread_mutex_unlock(&j->lock);
        return VF_JWKS_RATE_LIMITED;
    } else {
        ticket = j->started + 1;
        j->want = true;
        pthread_cond_signal(&j->wake);
        j->stats.queued++;
        st = VF_JWKS_REFRESH_QUEUED;
    }
    if (wait_ms) st = wait_ticket(j, ticket, wait_ms);
    pthread_mutex_unlock(&j->lock);
    return st;
}

vf_jwks_status vf_jwks_refresh_unknown_kid(vf_jwks *j) { return vf_jwks_refresh_unknown_kid_wait(j, 0); }

vf_jwks_status vf_jwks_wait_ready(vf_jwks *j, uint32_t timeout_ms) {
    if (!j) return VF_JWKS_NULL_ARGUMENT;
    if (get_verifier(j)) return VF_JWKS_OK;
    pthread_mutex_lock(&j->lock);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
    while (!get_verifier(j) && !j->stop)
        if (pthread_cond_timedwait(&j->done, &j->lock, &ts) == ETIMEDOUT) break;
    pthread_mutex_unlock(&j->lock);
    return get_verifier(j) ? VF_JWKS_OK : VF_JWKS_NOT_READY;
}

void vf_jwks_get_stats(vf_jwks *j, vf_jwks_stats *out) {
    if (!j || !out) return;
    pthread_mutex_lock(&j->lock);
    *out = j->stats;
    pthread_mutex_unlock(&j->lock);
}

void vf_jwks_last_error(vf_jwks *j, char *buf, size_t len) {
    if (!buf || len == 0) return;
    if (!j) {
        buf[0] = 0;
        return;
    }
    pthread_mutex_lock(&j->lock);
    snprintf(buf, len, "%s", j->last_error);
    pthread_mutex_unlock(&j->lock);
}

const char *vf_jwks_status_name(vf_jwks_status s) {
    switch (s) {
    case VF_JWKS_OK: return "ok";
    case VF_JWKS_NULL_ARGUMENT: return "null_argument";
    case VF_JWKS_RESOURCES: return "resources";
    case VF_JWKS_FETCH_FAILED: return "fetch_failed";
    case VF_JWKS_KEYS_REFUSED: return "keys_refused";
    case VF_JWKS_RATE_LIMITED: return "rate_limited";
    case VF_JWKS_INSECURE_URL: return "insecure_url";
    case VF_JWKS_REFRESH_QUEUED: return "refresh_queued";
    case VF_JWKS_NOT_READY: return "not_ready";
    case VF_JWKS_DISCOVERY_FAILED: return "discovery_failed";
    case VF_JWKS_ISSUER_MISMATCH: return "issuer_mismatch";
    }
    return "unknown";
}

void vf_jwks_free(vf_jwks *j) {
    if (!j) return;
    atomic_store(&j->stopping, true);
    pthread_mutex_lock(&j->lock);
    j->stop = true;
    pthread_cond_signal(&j->wake);
    pthread_cond_broadcast(&j->done);
    pthread_mutex_unlock(&j->lock);
    if (j->thread_started) pthread_join(j->thread, NULL);
    destroy(j);
}
