/* An HTTP API server on libmicrohttpd that verifies `Authorization: Bearer`
 * with libverifier, its keys kept fresh by the JWKS component (vf_jwks).
 *
 *   cc server.c ../../ffi/jwks-curl/vf_jwks.c -I../../ffi/jwks-curl \
 *      $(pkg-config --cflags --libs verifier-static libmicrohttpd libcurl) -lpthread -o server
 *   ./server --jwks https://clerk.example.com/.well-known/jwks.json --preset clerk \
 *      --iss https://clerk.example.com --azp https://app.example.com --port 8080
 *
 * Every GET answers 200 with the token's claims as JSON, or 401 with the
 * status name and libverifier's explanation ("exp 1764000060 is 10 s before
 * now, leeway 5 s") and a `WWW-Authenticate: Bearer error="invalid_token"`.
 * A token naming a key the set lacks asks the JWKS thread for a refresh
 * (rate-limited) and is answered at once: no request waits for the provider.
 * With --lazy 1 the server starts even when the JWKS cannot be fetched, and
 * answers 503 {"error":"jwks_not_ready",...} (Retry-After: 1) until keys come.
 * Every JSON body is written through a small writer that cannot emit invalid
 * JSON (commas, escaping and UTF-8 checked in one place).
 *
 * Options: --jwks URL, --preset clerk|logto|oidc, --iss, --azp, --aud,
 * --client-id, --scope (repeatable), --port N (0: any free port), --port-file
 * PATH (written once listening), --threads N, --min-refresh S,
 * --jwks-timeout-ms MS, --ca-file PEM, --lazy 0|1, --idle-timeout S (drop a
 * connection idle that long; default 10), --now T (a fixed clock, for tests;
 * default the system clock). Listens on 127.0.0.1
 * only. SIGINT or SIGTERM stops it cleanly. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include <verifier.h>

#include "vf_jwks.h"

struct server {
    vf_jwks *jwks;
    int64_t now;
    pthread_key_t result_key; /* one vf_result per worker thread */
};

/* JSON output goes only through this writer, which cannot produce invalid
 * JSON: it places the commas and colons itself, escapes every string and
 * replaces bytes that are not UTF-8 with U+FFFD, and it marks itself failed
 * (the response becomes a 500) on a misuse such as a value without a key
 * in an object, an unbalanced end or a document left open. */
#define JW_DEPTH 8

struct jw {
    char *s;
    size_t len, cap;
    bool failed;
    int depth;
    char kind[JW_DEPTH];  /* '{' or '[' per open level (index 1..) */
    bool empty[JW_DEPTH]; /* nothing in that level yet */
    bool have_key;        /* in an object: a key written, its value due */
    bool done;            /* the top-level value is complete */
};

static void jw_raw(struct jw *w, const char *s, size_t n) {
    if (w->failed) return;
    if (n > SIZE_MAX / 4 - w->len) {
        w->failed = true;
        return;
    }
    if (w->len + n + 1 > w->cap) {
        size_t cap = (w->len + n + 1) * 2;
        char *g = realloc(w->s, cap);
        if (!g) {
            w->failed = true;
            return;
        }
        w->s = g;
        w->cap = cap;
    }
    memcpy(w->s + w->len, s, n);
    w->len += n;
    w->s[w->len] = 0;
}

/* Before any value: the separator its place needs, or failure if no value may go here. */
static bool jw_value_slot(struct jw *w) {
    if (w->failed) return false;
    if (w->depth == 0) {
        if (w->done) w->failed = true; /* one top-level value only */
        return !w->failed;
    }
    if (w->kind[w->depth] == '{') {
        if (!w->have_key) {
            w->failed = true;
            return false;
        }
        w->have_key = false;
        return true;
    }
    if (!w->empty[w->depth]) jw_raw(w, ",", 1);
    w->empty[w->depth] = false;
    return !w->failed;
}

static void jw_value_end(struct jw *w) {
    if (w->depth == 0) w->done = true;
}

/* Length of the valid UTF-8 sequence at s (n bytes available), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    size_t len;
    unsigned cp;
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) len = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef) len = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4) len = 4, cp = c & 0x07;
    else return 0;
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    /* Overlong forms, UTF-16 surrogates and code points past U+10FFFF. */
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

static void jw_quoted(struct jw *w, const char *s, size_t n) {
    jw_raw(w, "\"", 1);
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n && !w->failed;) {
        unsigned char c = p[i];
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\', esc[1] = (char)c;
            jw_raw(w, esc, 2);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            jw_raw(w, esc, 6);
            i++;
        } else {
            size_t l = utf8_len(p + i, n - i);
            if (l == 0) {
                jw_raw(w, "\\ufffd", 6);
                i++;
            } else {
                jw_raw(w, (const char *)p + i, l);
                i += l;
            }
        }
    }
    jw_raw(w, "\"", 1);
}

static void jw_string(struct jw *w, const char *s, size_t n) {
    if (!jw_value_slot(w)) return;
    jw_quoted(w, s, n);
    jw_value_end(w);
}

static void jw_int(struct jw *w, long long v) {
    if (!jw_value_slot(w)) return;
    char num[32];
    int k = snprintf(num, sizeof num, "%lld", v);
    jw_raw(w, num, (size_t)k);
    jw_value_end(w);
}

static void jw_key(struct jw *w, const char *name) {
    if (w->failed || w->depth == 0 || w->kind[w->depth] != '{' || w->have_key) {
        w->failed = true;
        return;
    }
    if (!w->empty[w->depth]) jw_raw(w, ",", 1);
    w->empty[w->depth] = false;
    jw_quoted(w, name, strlen(name));
    jw_raw(w, ":", 1);
    w->have_key = true;
}

static void jw_open(struct jw *w, char kind) {
    if (!jw_value_slot(w)) return;
    if (w->depth + 1 >= JW_DEPTH) {
        w->failed = true;
        return;
    }
    w->depth++;
    w->kind[w->depth] = kind;
    w->empty[w->depth] = true;
    jw_raw(w, kind == '{' ? "{" : "[", 1);
}

static void jw_close(struct jw *w, char kind) {
    if (w->failed || w->depth == 0 || w->kind[w->depth] != kind || w->have_key) {
        w->failed = true;
        return;
    }
    w->depth--;
    jw_raw(w, kind == '{' ? "}" : "]", 1);
    jw_value_end(w);
}

/* The document, complete: a newline after it; failed if anything is left open. */
static void jw_finish(struct jw *w) {
    if (w->depth != 0 || !w->done) w->failed = true;
    jw_raw(w, "\n", 1);
}

/* `"name":"value"` for a view that is present. */
static void member_view(struct jw *w, const char *name, vf_str v) {
    if (!v.ptr) return;
    jw_key(w, name);
    jw_string(w, (const char *)v.ptr, v.len);
}

static void claims_json(struct jw *w, const vf_claims *c) {
    jw_open(w, '{');
    member_view(w, "sub", c->sub);
    member_view(w, "iss", c->iss);
    member_view(w, "sid", c->sid);
    member_view(w, "azp", c->azp);
    member_view(w, "client_id", c->client_id);
    member_view(w, "scope", c->scope);
    size_t n = 0;
    if (vf_claims_aud_count(c, &n) == VF_OK) {
        jw_key(w, "aud");
        jw_open(w, '[');
        char small[512];
        for (size_t i = 0; i < n; i++) {
            /* Strings only; a non-string element is left out (the writer
             * keeps the commas right whichever are). */
            size_t need = 0;
            vf_status s = vf_claims_aud_get(c, i, small, sizeof small, &need);
            if (s == VF_OK) {
                jw_string(w, small, strlen(small));
            } else if (s == VF_OUTPUT_TOO_SMALL && need > 0 && need <= 65536) {
                char *big = malloc(need);
                if (big && vf_claims_aud_get(c, i, big, need, NULL) == VF_OK)
                    jw_string(w, big, strlen(big));
                free(big);
            }
        }
        jw_close(w, '[');
    }
    if (c->has_exp) {
        jw_key(w, "exp");
        jw_int(w, (long long)c->exp);
    }
    jw_key(w, "alg");
    const char *alg = vf_alg_name(c->alg);
    jw_string(w, alg, strlen(alg));
    jw_close(w, '{');
}

/* {"error":NAME,"detail":DETAIL} */
static void error_json(struct jw *w, const char *name, const char *detail) {
    jw_open(w, '{');
    jw_key(w, "error");
    jw_string(w, name, strlen(name));
    jw_key(w, "detail");
    jw_string(w, detail, strlen(detail));
    jw_close(w, '{');
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned code, struct jw *w) {
    jw_finish(w);
    if (w->failed) {
        /* Never half a document: a fixed, valid body instead. */
        free(w->s);
        static const char internal[] = "{\"error\":\"internal\"}\n";
        struct MHD_Response *r = MHD_create_response_from_buffer(
            sizeof internal - 1, (void *)internal, MHD_RESPMEM_PERSISTENT);
        if (!r) return MHD_NO;
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
        enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, r);
        MHD_destroy_response(r);
        return ret;
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(w->len, w->s, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(w->s);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    if (code == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Bearer error=\"invalid_token\"");
    if (code == MHD_HTTP_SERVICE_UNAVAILABLE)
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    enum MHD_Result ret = MHD_queue_response(conn, code, r);
    MHD_destroy_response(r);
    return ret;
}

static vf_result *thread_result(struct server *s) {
    vf_result *r = pthread_getspecific(s->result_key);
    if (!r && vf_result_new(&r) == VF_OK && pthread_setspecific(s->result_key, r) != 0) {
        vf_result_free(r);
        r = NULL;
    }
    return r;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_len, void **state) {
    (void)url, (void)version, (void)upload, (void)upload_len, (void)state;
    struct server *s = cls;
    struct jw w = {0};
    if (strcmp(method, "GET") != 0) {
        error_json(&w, "method_not_allowed", "GET only");
        return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, &w);
    }
    const vf_verifier *v = vf_jwks_verifier(s->jwks);
    if (!v) {
        /* Lazy start, no keys yet: not the client's fault, so not a 401. */
        char why[512];
        vf_jwks_last_error(s->jwks, why, sizeof why);
        error_json(&w, "jwks_not_ready", why[0] ? why : "the first key set has not arrived yet");
        return reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE, &w);
    }
    vf_result *res = thread_result(s);
    if (!res) return MHD_NO;
    const char *auth =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!auth) auth = "";
    size_t auth_len = strlen(auth);
    vf_status st = vf_verify_authorization_result(v, (const uint8_t *)auth, auth_len, s->now, res);
    if (st == VF_UNKNOWN_KID || st == VF_NO_MATCHING_KEY) {
        /* Maybe a key published since the last fetch: ask the JWKS thread to
         * fetch (rate-limited; this thread never waits for the provider) and
         * try once more, in case a fetch has just brought it. Otherwise the
         * client gets a 401 now and its retry finds the new key. */
        vf_jwks_refresh_unknown_kid(s->jwks);
        st = vf_verify_authorization_result(v, (const uint8_t *)auth, auth_len, s->now, res);
    }
    const vf_claims *c = vf_result_claims(res);
    if (st == VF_OK && c) {
        claims_json(&w, c);
        return reply(conn, MHD_HTTP_OK, &w);
    }
    char why[512];
    vf_explain_authorization(v, (const uint8_t *)auth, auth_len, s->now, st, why, sizeof why, NULL);
    error_json(&w, vf_status_name(st), why);
    return reply(conn, MHD_HTTP_UNAUTHORIZED, &w);
}

static void free_result(void *r) { vf_result_free(r); }

static int usage(const char *why) {
    fprintf(stderr, "server: %s\nusage: server --jwks URL --preset clerk|logto|oidc [--iss X] "
                    "[--azp X] [--aud X] [--client-id X] [--scope X] [--port N] [--port-file F] "
                    "[--threads N] [--min-refresh S] [--jwks-timeout-ms MS] [--ca-file F] [--lazy 0|1] "
                    "[--idle-timeout S] "
                    "[--now T]\n",
            why);
    return 2;
}

int main(int argc, char **argv) {
    const char *jwks_url = NULL, *port_file = NULL, *ca_file = NULL;
    unsigned port = 8080, threads = 4, min_refresh = 10, timeout_ms = 0, idle_timeout = 10;
    bool lazy = false;
    struct server s = {0};
    vf_config *cfg = vf_config_new();
    if (!cfg) return 1;
    vf_status st = VF_OK;
    bool preset = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!val) return usage("missing value");
        i++;
        if (!strcmp(a, "--jwks")) jwks_url = val;
        else if (!strcmp(a, "--port")) port = (unsigned)strtoul(val, NULL, 10);
        else if (!strcmp(a, "--port-file")) port_file = val;
        else if (!strcmp(a, "--threads")) threads = (unsigned)strtoul(val, NULL, 10);
        else if (!strcmp(a, "--min-refresh")) min_refresh = (unsigned)strtoul(val, NULL, 10);
        else if (!strcmp(a, "--jwks-timeout-ms")) timeout_ms = (unsigned)strtoul(val, NULL, 10);
        else if (!strcmp(a, "--ca-file")) ca_file = val;
        else if (!strcmp(a, "--idle-timeout")) idle_timeout = (unsigned)strtoul(val, NULL, 10);
        else if (!strcmp(a, "--lazy")) lazy = !strcmp(val, "1");
        else if (!strcmp(a, "--now")) s.now = strtoll(val, NULL, 10);
        else if (!strcmp(a, "--iss")) st = vf_config_add_issuer(cfg, val);
        else if (!strcmp(a, "--azp")) st = vf_config_add_authorized_party(cfg, val);
        else if (!strcmp(a, "--aud")) st = vf_config_add_audience(cfg, val);
        else if (!strcmp(a, "--client-id")) st = vf_config_add_client_id(cfg, val);
        else if (!strcmp(a, "--scope")) st = vf_config_add_required_scope(cfg, val);
        else if (!strcmp(a, "--preset")) {
            preset = true;
            if (!strcmp(val, "clerk")) st = vf_config_preset_clerk(cfg);
            else if (!strcmp(val, "logto")) st = vf_config_preset_logto(cfg);
            else if (!strcmp(val, "oidc")) st = vf_config_preset_oidc(cfg);
            else return usage("unknown preset");
        } else return usage("unknown option");
        if (st != VF_OK) {
            char why[256];
            vf_config_last_error(cfg, why, sizeof why);
            fprintf(stderr, "server: %s: %s (%s)\n", a, vf_status_name(st), why);
            vf_config_free(cfg);
            return 2;
        }
    }
    if (!jwks_url || !preset) {
        vf_config_free(cfg);
        return usage("--jwks and --preset are required");
    }

    /* Signals are taken by sigwait below: block them before any thread starts. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    char why[512];
    vf_jwks_options o = {.url = jwks_url, .min_refresh_seconds = min_refresh,
                         .timeout_ms = timeout_ms, .ca_file = ca_file, .lazy = lazy,
                         .error_buf = why, .error_len = sizeof why};
    vf_jwks_status js = vf_jwks_start(&o, cfg, &s.jwks);
    if (js != VF_JWKS_OK) {
        fprintf(stderr, "server: JWKS %s: %s: %s\n", jwks_url, vf_jwks_status_name(js), why);
        vf_config_free(cfg);
        return 1;
    }
    if (!lazy) vf_config_free(cfg); /* lazy: the component owns it now */
    pthread_key_create(&s.result_key, free_result);

    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, handle, &s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)threads, MHD_OPTION_CONNECTION_LIMIT, 1000u,
        /* A peer that connects and sends nothing (or drips its request) is
         * dropped after idle_timeout s instead of holding one of the 1000
         * connections forever; the request with its headers must fit 32 KiB. */
        MHD_OPTION_CONNECTION_TIMEOUT, idle_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)32768, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "server: cannot listen on 127.0.0.1:%u\n", port);
        vf_jwks_free(s.jwks);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned bound = info ? info->port : port;
    fprintf(stderr, "server: listening on http://127.0.0.1:%u\n", bound);
    if (port_file) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
        FILE *f = fopen(tmp, "w");
        if (f) {
            fprintf(f, "%u\n", bound);
            fclose(f);
            rename(tmp, port_file);
        }
    }

    int sig = 0;
    sigwait(&stop, &sig);
    /* Stopping joins the worker threads, whose vf_results are freed by the key's destructor. */
    MHD_stop_daemon(d);
    vf_jwks_stats stats;
    vf_jwks_get_stats(s.jwks, &stats);
    fprintf(stderr,
            "server: stopped; JWKS fetches %llu, 304s %llu, rotations %llu, failures %llu, "
            "rate-limited %llu, queued %llu\n",
            (unsigned long long)stats.fetches, (unsigned long long)stats.not_modified,
            (unsigned long long)stats.rotations, (unsigned long long)stats.failures,
            (unsigned long long)stats.rate_limited, (unsigned long long)stats.queued);
    vf_jwks_free(s.jwks);
    pthread_key_delete(s.result_key);
    return 0;
}
