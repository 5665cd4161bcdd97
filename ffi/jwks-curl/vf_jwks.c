/* vf_jwks: JWKS fetching and rotation over libcurl (see vf_jwks.h).
 *
 * Two locks, never held together in the other order: `fetch` serialises
 * fetches (it guards the curl handle, the ETag and the time of the last
 * attempt), `lock` guards the schedule, the counters and the last error,
 * and pairs with `cond` to wake the refresh thread. A fetch runs with
 * `fetch` held and takes `lock` only briefly to publish its outcome. */
#define _POSIX_C_SOURCE 200809L

#include "vf_jwks.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#define MAX_BODY (1u << 20)

struct vf_jwks {
    char *url;
    bool plain_http; /* http:// to loopback, checked at start */
    uint32_t min_s, max_s, retry_s, timeout_ms;
    vf_verifier *verifier;

    pthread_mutex_t fetch;
    CURL *curl;
    char etag[256];
    double last_attempt; /* monotonic seconds; < 0 before the first */

    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool stop;
    double next_due;
    vf_jwks_stats stats;
    char last_error[256];
    pthread_t thread;
};

/* One response: body, and the headers that steer caching. */
struct response {
    char *body;
    size_t len;
    bool too_big;
    char etag[256];
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

static size_t on_body(char *data, size_t size, size_t n, void *user) {
    struct response *r = user;
    size_t add = size * n;
    if (r->too_big || r->len + add > MAX_BODY) {
        r->too_big = true;
        return 0; /* aborts the transfer */
    }
    char *grown = realloc(r->body, r->len + add + 1);
    if (!grown) return 0;
    r->body = grown;
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
    if (vl >= cap) return false; /* an over-long ETag is simply not used */
    memcpy(out, v, vl);
    out[vl] = 0;
    return true;
}

static void parse_cache_control(struct response *r, const char *v) {
    for (const char *p = v; *p;) {
        while (*p == ' ' || *p == ',') p++;
        if (strncasecmp(p, "max-age=", 8) == 0) {
            char *end;
            errno = 0;
            long age = strtol(p + 8, &end, 10);
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
    char value[512];
    if (header_value(data, len, "ETag", value, sizeof value) && strlen(value) < sizeof r->etag)
        strcpy(r->etag, value);
    else if (header_value(data, len, "Cache-Control", value, sizeof value))
        parse_cache_control(r, value);
    return len;
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
    /* The thread may be asleep until an older, later deadline. */
    pthread_cond_signal(&j->cond);
    pthread_mutex_unlock(&j->lock);
}

/* A new key set from a JWKS document into a fresh config; NULL with the
 * reason in j's last error. */
static vf_config *config_of(vf_jwks *j, const struct response *r) {
    vf_config *cfg = vf_config_new();
    if (!cfg) return NULL;
    vf_status s = vf_config_add_jwks(cfg, (const uint8_t *)r->body, r->len);
    if (s != VF_OK) {
        char why[200];
        vf_config_last_error(cfg, why, sizeof why);
        set_error(j, "JWKS refused: %s (%s)", vf_status_name(s), why);
        vf_config_free(cfg);
        return NULL;
    }
    return cfg;
}

/* One conditional GET. Fills `r`; returns the HTTP status or -1. */
static long get(vf_jwks *j, struct response *r) {
    memset(r, 0, sizeof *r);
    r->max_age = -1;
    CURL *c = j->curl;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, j->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, j->plain_http ? "http" : "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)j->timeout_ms);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    struct curl_slist *h = NULL;
    char inm[300];
    if (j->etag[0]) {
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
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    } else {
        set_error(j, "fetch %s: %s", j->url, r->too_big ? "body over 1 MiB" : curl_easy_strerror(rc));
    }
    return code;
}

/* Fetch and, on a new document, install it. `fetch` must be held. With a
 * `policy` (the first fetch), the keys go into it and the verifier is built. */
static vf_jwks_status refresh_held(vf_jwks *j, vf_config *policy) {
    struct response r;
    j->last_attempt = mono();
    long code = get(j, &r);
    vf_jwks_status st;
    if (code == 304 && j->verifier) {
        pthread_mutex_lock(&j->lock);
        j->stats.not_modified++;
        pthread_mutex_unlock(&j->lock);
        schedule(j, interval(j, &r));
        st = VF_JWKS_OK;
    } else if (code == 200) {
        st = VF_JWKS_KEYS_REFUSED;
        if (policy) {
            vf_status s = vf_config_add_jwks(policy, (const uint8_t *)r.body, r.len);
            if (s == VF_OK) s = vf_verifier_new(policy, &j->verifier);
            if (s == VF_OK) st = VF_JWKS_OK;
            else set_error(j, "first JWKS refused: %s", vf_status_name(s));
        } else {
            vf_config *cfg = config_of(j, &r);
            if (cfg) {
                vf_status s = vf_verifier_replace_keys(j->verifier, cfg);
                if (s == VF_OK) {
                    st = VF_JWKS_OK;
                    pthread_mutex_lock(&j->lock);
                    j->stats.rotations++;
                    pthread_mutex_unlock(&j->lock);
                } else {
                    char why[200];
                    vf_config_last_error(cfg, why, sizeof why);
                    set_error(j, "new keys refused: %s (%s)", vf_status_name(s), why);
                }
                vf_config_free(cfg);
            }
        }
        if (st == VF_JWKS_OK) {
            /* Remember the validator only for a document that loaded. */
            snprintf(j->etag, sizeof j->etag, "%s", r.etag);
            schedule(j, interval(j, &r));
        } else {
            schedule(j, j->retry_s);
        }
    } else {
        if (code != -1) set_error(j, "fetch %s: HTTP status %ld", j->url, code);
        schedule(j, j->retry_s);
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
        if (now < j->next_due) {
            double due = j->next_due;
            struct timespec ts;
            ts.tv_sec = (time_t)due;
            ts.tv_nsec = (long)((due - (double)ts.tv_sec) * 1e9);
            pthread_cond_timedwait(&j->cond, &j->lock, &ts);
            continue;
        }
        pthread_mutex_unlock(&j->lock);
        pthread_mutex_lock(&j->fetch);
        refresh_held(j, NULL);
        pthread_mutex_unlock(&j->fetch);
        pthread_mutex_lock(&j->lock);
    }
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

static void destroy(vf_jwks *j) {
    if (j->curl) curl_easy_cleanup(j->curl);
    vf_verifier_free(j->verifier);
    pthread_cond_destroy(&j->cond);
    pthread_mutex_destroy(&j->lock);
    pthread_mutex_destroy(&j->fetch);
    free(j->url);
    free(j);
    curl_global_cleanup();
}

/* https://..., or http:// to a loopback host; 1 for https, 2 for http, 0 refused. */
static int url_kind(const char *url) {
    if (strncasecmp(url, "https://", 8) == 0) return 1;
    if (strncasecmp(url, "http://", 7) != 0) return 0;
    const char *host = url + 7;
    static const char *const loopback[] = {"127.0.0.1", "localhost", "[::1]"};
    for (size_t i = 0; i < sizeof loopback / sizeof *loopback; i++) {
        size_t n = strlen(loopback[i]);
        /* The host must end right after: "localhost.evil.example" is not loopback. */
        if (strncasecmp(host, loopback[i], n) == 0 &&
            (host[n] == ':' || host[n] == '/' || host[n] == 0))
            return 2;
    }
    return 0;
}

vf_jwks_status vf_jwks_start(const vf_jwks_options *o, vf_config *policy, vf_jwks **out) {
    if (!o || !o->url || !o->url[0] || !policy || !out) return VF_JWKS_NULL_ARGUMENT;
    int kind = url_kind(o->url);
    if (kind == 0) return VF_JWKS_INSECURE_URL;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return VF_JWKS_RESOURCES;
    vf_jwks *j = calloc(1, sizeof *j);
    if (!j) {
        curl_global_cleanup();
        return VF_JWKS_RESOURCES;
    }
    j->plain_http = kind == 2;
    j->min_s = o->min_refresh_seconds ? o->min_refresh_seconds : 10;
    j->max_s = o->max_refresh_seconds ? o->max_refresh_seconds : 600;
    if (j->max_s < j->min_s) j->max_s = j->min_s;
    j->retry_s = o->retry_seconds ? o->retry_seconds : 10;
    j->timeout_ms = o->timeout_ms ? o->timeout_ms : 5000;
    j->last_attempt = -1;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&j->fetch, NULL);
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->cond, &ca);
    pthread_condattr_destroy(&ca);
    j->url = strdup(o->url);
    j->curl = curl_easy_init();
    if (!j->url || !j->curl) {
        destroy(j);
        return VF_JWKS_RESOURCES;
    }
    vf_jwks_status st = refresh_held(j, policy);
    if (st != VF_JWKS_OK) {
        destroy(j);
        return st;
    }
    if (pthread_create(&j->thread, NULL, refresher, j) != 0) {
        destroy(j);
        return VF_JWKS_RESOURCES;
    }
    *out = j;
    return VF_JWKS_OK;
}

const vf_verifier *vf_jwks_verifier(const vf_jwks *j) { return j ? j->verifier : NULL; }

vf_jwks_status vf_jwks_refresh(vf_jwks *j) {
    if (!j) return VF_JWKS_NULL_ARGUMENT;
    pthread_mutex_lock(&j->fetch);
    vf_jwks_status st = refresh_held(j, NULL);
    pthread_mutex_unlock(&j->fetch);
    return st;
}

vf_jwks_status vf_jwks_refresh_unknown_kid(vf_jwks *j) {
    if (!j) return VF_JWKS_NULL_ARGUMENT;
    pthread_mutex_lock(&j->fetch);
    vf_jwks_status st;
    if (mono() - j->last_attempt < j->min_s) {
        pthread_mutex_lock(&j->lock);
        j->stats.rate_limited++;
        pthread_mutex_unlock(&j->lock);
        st = VF_JWKS_RATE_LIMITED;
    } else {
        st = refresh_held(j, NULL);
    }
    pthread_mutex_unlock(&j->fetch);
    return st;
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
    }
    return "unknown";
}

void vf_jwks_free(vf_jwks *j) {
    if (!j) return;
    pthread_mutex_lock(&j->lock);
    j->stop = true;
    pthread_cond_signal(&j->cond);
    pthread_mutex_unlock(&j->lock);
    pthread_join(j->thread, NULL);
    destroy(j);
}
