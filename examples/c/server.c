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
 * A token naming a key the set lacks makes one rate-limited JWKS refresh.
 *
 * Options: --jwks URL, --preset clerk|logto|oidc, --iss, --azp, --aud,
 * --client-id, --scope (repeatable), --port N (0: any free port), --port-file
 * PATH (written once listening), --threads N, --min-refresh S, --now T (a
 * fixed clock, for tests; default the system clock). Listens on 127.0.0.1
 * only. SIGINT or SIGTERM stops it cleanly. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
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

/* Growable response text. */
struct text {
    char *s;
    size_t len, cap;
    bool failed;
};

static void put(struct text *t, const char *s, size_t n) {
    if (t->failed) return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->len + n + 1) * 2;
        char *g = realloc(t->s, cap);
        if (!g) {
            t->failed = true;
            return;
        }
        t->s = g;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = 0;
}

static void puts_(struct text *t, const char *s) { put(t, s, strlen(s)); }

/* A JSON string literal of `n` bytes of UTF-8. */
static void put_json(struct text *t, const char *s, size_t n) {
    put(t, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\', esc[1] = (char)c;
            put(t, esc, 2);
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            put(t, esc, 6);
        } else {
            put(t, (const char *)&s[i], 1);
        }
    }
    put(t, "\"", 1);
}

/* `"name":"value",` for a view that is present. */
static void member_view(struct text *t, const char *name, vf_str v) {
    if (!v.ptr) return;
    put_json(t, name, strlen(name));
    put(t, ":", 1);
    put_json(t, (const char *)v.ptr, v.len);
    put(t, ",", 1);
}

static void claims_json(struct text *t, const vf_claims *c) {
    puts_(t, "{");
    member_view(t, "sub", c->sub);
    member_view(t, "iss", c->iss);
    member_view(t, "sid", c->sid);
    member_view(t, "azp", c->azp);
    member_view(t, "client_id", c->client_id);
    member_view(t, "scope", c->scope);
    size_t n = 0;
    if (vf_claims_aud_count(c, &n) == VF_OK) {
        puts_(t, "\"aud\":[");
        for (size_t i = 0; i < n; i++) {
            char aud[512];
            if (vf_claims_aud_get(c, i, aud, sizeof aud, NULL) != VF_OK) continue;
            if (i) puts_(t, ",");
            put_json(t, aud, strlen(aud));
        }
        puts_(t, "],");
    }
    char num[64];
    if (c->has_exp) {
        snprintf(num, sizeof num, "\"exp\":%lld,", (long long)c->exp);
        puts_(t, num);
    }
    snprintf(num, sizeof num, "\"alg\":\"%s\"}\n", vf_alg_name(c->alg));
    puts_(t, num);
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned code, struct text *t) {
    if (t->failed) {
        free(t->s);
        return MHD_NO;
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(t->len, t->s, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(t->s);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    if (code == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Bearer error=\"invalid_token\"");
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
    struct text t = {0};
    if (strcmp(method, "GET") != 0) {
        puts_(&t, "{\"error\":\"method_not_allowed\"}\n");
        return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, &t);
    }
    vf_result *res = thread_result(s);
    if (!res) return MHD_NO;
    const char *auth =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!auth) auth = "";
    size_t auth_len = strlen(auth);
    const vf_verifier *v = vf_jwks_verifier(s->jwks);
    vf_status st = vf_verify_authorization_result(v, (const uint8_t *)auth, auth_len, s->now, res);
    if (st == VF_UNKNOWN_KID || st == VF_NO_MATCHING_KEY) {
        /* Maybe a key published since the last fetch: refresh (rate-limited)
         * and try once more; another thread's refresh counts too. */
        vf_jwks_refresh_unknown_kid(s->jwks);
        st = vf_verify_authorization_result(v, (const uint8_t *)auth, auth_len, s->now, res);
    }
    const vf_claims *c = vf_result_claims(res);
    if (st == VF_OK && c) {
        claims_json(&t, c);
        return reply(conn, MHD_HTTP_OK, &t);
    }
    char why[512];
    vf_explain_authorization(v, (const uint8_t *)auth, auth_len, s->now, st, why, sizeof why, NULL);
    puts_(&t, "{\"error\":");
    const char *name = vf_status_name(st);
    put_json(&t, name, strlen(name));
    puts_(&t, ",\"detail\":");
    put_json(&t, why, strlen(why));
    puts_(&t, "}\n");
    return reply(conn, MHD_HTTP_UNAUTHORIZED, &t);
}

static void free_result(void *r) { vf_result_free(r); }

static int usage(const char *why) {
    fprintf(stderr, "server: %s\nusage: server --jwks URL --preset clerk|logto|oidc [--iss X] "
                    "[--azp X] [--aud X] [--client-id X] [--scope X] [--port N] [--port-file F] "
                    "[--threads N] [--min-refresh S] [--now T]\n",
            why);
    return 2;
}

int main(int argc, char **argv) {
    const char *jwks_url = NULL, *port_file = NULL;
    unsigned port = 8080, threads = 4, min_refresh = 10;
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

    vf_jwks_options o = {.url = jwks_url, .min_refresh_seconds = min_refresh};
    vf_jwks_status js = vf_jwks_start(&o, cfg, &s.jwks);
    if (js != VF_JWKS_OK) {
        char why[256];
        vf_config_last_error(cfg, why, sizeof why);
        fprintf(stderr, "server: JWKS %s: %s %s\n", jwks_url, vf_jwks_status_name(js), why);
        vf_config_free(cfg);
        return 1;
    }
    vf_config_free(cfg);
    pthread_key_create(&s.result_key, free_result);

    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, handle, &s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)threads, MHD_OPTION_CONNECTION_LIMIT, 1000u, MHD_OPTION_END);
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
            "rate-limited %llu\n",
            (unsigned long long)stats.fetches, (unsigned long long)stats.not_modified,
            (unsigned long long)stats.rotations, (unsigned long long)stats.failures,
            (unsigned long long)stats.rate_limited);
    vf_jwks_free(s.jwks);
    pthread_key_delete(s.result_key);
    return 0;
}
