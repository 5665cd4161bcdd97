/* vf_jwks: keys that stay fresh, for a C server using libverifier.
 *
 * An optional component over libcurl, outside libverifier (which keeps no
 * network code): it fetches a `jwks_uri`, builds a verifier from it, and
 * keeps its keys current with `vf_verifier_replace_keys`:
 *
 *   - a background thread refreshes on the server's `Cache-Control: max-age`
 *     (clamped to [min_refresh_seconds, max_refresh_seconds]), sending the
 *     last `ETag` as `If-None-Match` so an unchanged set costs a 304;
 *   - `vf_jwks_refresh_unknown_kid` asks that thread to fetch at once when a
 *     token names a key the set lacks, at most once per `min_refresh_seconds`,
 *     and returns without waiting: no request thread ever waits for the
 *     provider;
 *   - a failed fetch or a document that does not load keeps the last good
 *     keys, and is retried after `retry_seconds`.
 *
 * It can start from an OpenID Connect issuer instead of a JWKS URL
 * (options.issuer: the jwks_uri is discovered), and read Firebase's X.509
 * certificate map instead of a JWKS (options.x509_map). One line each:
 *   vf_jwks_options o = {.issuer = "https://accounts.google.com"};
 *   vf_jwks_options o = {.url = "https://www.googleapis.com/robot/v1/metadata/x509/"
 *                               "securetoken@system.gserviceaccount.com", .x509_map = 1};
 *
 * Installed by `make install` as libverifier-jwks (.a, and .so with soname
 * libverifier-jwks.so.0): cc app.c $(pkg-config --cflags --libs verifier-jwks).
 * Or from source: cc -c vf_jwks.c $(pkg-config --cflags verifier libcurl),
 * link with $(pkg-config --libs libcurl) -lpthread and libverifier.
 * Needs libcurl 7.85 or later (CURLOPT_PROTOCOLS_STR). */
#ifndef VF_JWKS_H
#define VF_JWKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <verifier.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The longest options.issuer: keys are bound to it (vf_config_add_jwks_ex). */
#define VF_JWKS_MAX_ISSUER_LEN 128

typedef enum vf_jwks_status {
    VF_JWKS_OK = 0,
    /* A required pointer argument was NULL, or the URL is empty. */
    VF_JWKS_NULL_ARGUMENT = 1,
    /* Memory, a curl handle or the thread could not be had. */
    VF_JWKS_RESOURCES = 2,
    /* The fetch failed: transport error, timeout, TLS verification, a status
     * other than 200/304 (redirects are not followed), a body over 1 MiB or
     * headers over 32 KiB. The reason is in vf_jwks_last_error (and, from
     * vf_jwks_start, in the options' error_buf). The last good keys stay. */
    VF_JWKS_FETCH_FAILED = 3,
    /* The document was fetched but libverifier refused it (the reason as for
     * VF_JWKS_FETCH_FAILED). The last good keys stay. */
    VF_JWKS_KEYS_REFUSED = 4,
    /* An unknown-kid refresh came sooner than min_refresh_seconds after the
     * last fetch began; nothing fetched or queued (a fetch that just ended may
     * have brought the key: verify again anyway). */
    VF_JWKS_RATE_LIMITED = 5,
    /* The URL, as libcurl parses it, is not https://, or http:// to a host
     * other than loopback (127.0.0.0/8, localhost, [::1]), or it carries
     * credentials (`user:pass@`), or it does not parse. Refused before any
     * fetch: keys fetched in the clear could be anyone's. The same for
     * options.issuer (which may not have a query or fragment either) and
     * for a discovered jwks_uri. */
    VF_JWKS_INSECURE_URL = 6,
    /* An unknown-kid refresh was handed to the background thread (or one it
     * is running already answers it); nothing was fetched on the calling
     * thread. Verify again later: the keys change under the verifier when
     * the fetch ends. */
    VF_JWKS_REFRESH_QUEUED = 7,
    /* Lazy start: no key set has arrived yet (vf_jwks_wait_ready). */
    VF_JWKS_NOT_READY = 8,
    /* Discovery (options.issuer): the discovery document is not a JSON
     * object (or not strict JSON: duplicate members, bad escapes), or has no
     * "jwks_uri" string. The last good keys stay. */
    VF_JWKS_DISCOVERY_FAILED = 9,
    /* Discovery: the document's "issuer" is not exactly options.issuer
     * (OpenID Connect Discovery 1.0 section 4.3): its keys would be another
     * issuer's. The last good keys stay. */
    VF_JWKS_ISSUER_MISMATCH = 10,
} vf_jwks_status;

typedef struct vf_jwks_options {
    /* The JWKS URL: https://, or http:// to loopback only (tests). Copied.
     * Redirects are not followed; user info (`user:pass@host`) is refused.
     * Give this or `issuer`, not both. */
    const char *url;
    /* Floor of the refresh interval and the least time between two
     * unknown-kid fetches. 0: 10 s. */
    uint32_t min_refresh_seconds;
    /* Ceiling of the refresh interval, and the interval when the server
     * sends no max-age. 0: 600 s. */
    uint32_t max_refresh_seconds;
    /* Delay before retrying after a failed refresh. 0: 10 s. */
    uint32_t retry_seconds;
    /* Whole-transfer timeout (connection, TLS, headers and body, however
     * slowly the body drips). 0: 5000 ms. */
    uint32_t timeout_ms;
    /* Trust anchors for https (CURLOPT_CAINFO, a PEM bundle; CURLOPT_CAPATH,
     * a directory hashed by `openssl rehash`). Copied. When neither is
     * given, the environment's CURL_CA_BUNDLE, else SSL_CERT_FILE, and
     * SSL_CERT_DIR are used, read once here; otherwise libcurl's default
     * store. NULL or "": not set. */
    const char *ca_file;
    const char *ca_path;
    /* Nonzero: lazy start. vf_jwks_start fetches nothing and returns at
     * once; the background thread fetches, retrying after 1, 2, 4, ... s
     * (capped at min_refresh_seconds) until keys arrive. Until then
     * vf_jwks_verifier returns NULL (vf_verify on NULL answers
     * VF_NULL_ARGUMENT: nothing verifies) and vf_jwks_ready is false: answer
     * "service unavailable" (e.g. HTTP 503), not "unauthorized". In lazy
     * mode vf_jwks_start TAKES OWNERSHIP of `policy` when it returns
     * VF_JWKS_OK (do not use or free it afterwards); on failure it stays yours.
     * A policy the first key set does not satisfy (say, no key for an
     * allowed algorithm) cannot be retried: vf_jwks_last_error says so. */
    int lazy;
    /* Optional: where vf_jwks_start writes why it failed (NUL-terminated,
     * truncated to error_len; "" on success). 256 bytes are plenty. */
    char *error_buf;
    size_t error_len;
    /* Instead of `url`: an OpenID Connect issuer (https://, or http:// to
     * loopback; no query or fragment; at most VF_JWKS_MAX_ISSUER_LEN bytes,
     * the longest issuer keys can be bound to, else VF_JWKS_KEYS_REFUSED at
     * start). Copied. Its discovery document,
     * issuer (a trailing '/' dropped) + "/.well-known/openid-configuration",
     * must name exactly this issuer (else VF_JWKS_ISSUER_MISMATCH) and a
     * "jwks_uri" (else VF_JWKS_DISCOVERY_FAILED) that passes the rules of
     * `url` (else VF_JWKS_INSECURE_URL; and an https issuer's jwks_uri must
     * be https, loopback included); the jwks_uri may be on another host
     * (Google's issuer accounts.google.com serves it on www.googleapis.com),
     * since it comes from the issuer's TLS-authenticated document. Both
     * requests follow every rule above (timeout_ms and the size limits
     * each, no redirects, on the fetching thread only), and every key is
     * bound to the issuer (vf_config_add_jwks_ex): a token it verifies must
     * carry exactly this "iss". Discovery runs at the first fetch and again
     * only before the fetch that follows a failed one (a moved jwks_uri
     * answers 404 once, then the new one is found): a fetch is at most two
     * requests, under the same schedule and rate limit. */
    const char *issuer;
    /* Nonzero: the document is an X.509 map, {"<kid>": "<PEM certificate>"},
     * the form Firebase publishes its keys in, read by
     * vf_config_add_x509_map (each certificate's key under its kid;
     * validity dates, signature and chain not checked), not a JWKS. */
    int x509_map;
} vf_jwks_options;

/* Counters, for monitoring and tests. */
typedef struct vf_jwks_stats {
    uint64_t fetches;        /* requests made */
    uint64_t not_modified;   /* 304 answers */
    uint64_t rotations;      /* key sets installed after the first */
    uint64_t failures;       /* fetch failures and refused documents */
    uint64_t rate_limited;   /* unknown-kid refreshes refused by the rate limit */
    uint64_t queued;         /* unknown-kid refreshes handed to the background thread */
    uint64_t discoveries;    /* discovery documents requested (options.issuer) */
} vf_jwks_stats;

typedef struct vf_jwks vf_jwks;

/* Fetch the JWKS once, add its keys to `policy` (a vf_config holding your
 * policy and no keys; it keeps the keys afterwards, free it when you like),
 * build the verifier and start the refresh thread. On failure *out is
 * untouched, and the status and opts->error_buf say why (which TLS check,
 * which HTTP status, which limit, connection refused, timeout, or
 * libverifier's reason for refusing the document).
 * With opts->lazy, nothing is fetched here: see vf_jwks_options.lazy (and
 * the ownership of `policy` it implies).
 * Calls curl_global_init. Free with vf_jwks_free. */
vf_jwks_status vf_jwks_start(const vf_jwks_options *opts, vf_config *policy, vf_jwks **out);

/* The verifier, owned by `j`: valid until vf_jwks_free, shared by any
 * number of threads (its keys are swapped under it atomically). NULL until
 * the first key set arrives in lazy mode (and for a NULL `j`); never NULL
 * otherwise. Takes no lock. */
const vf_verifier *vf_jwks_verifier(const vf_jwks *j);

/* Whether a key set has arrived (always true without lazy start). */
bool vf_jwks_ready(const vf_jwks *j);

/* Wait up to timeout_ms for the first key set: VF_JWKS_OK once it is in,
 * else VF_JWKS_NOT_READY (see vf_jwks_last_error for the last attempt). */
vf_jwks_status vf_jwks_wait_ready(vf_jwks *j, uint32_t timeout_ms);

/* Have the background thread fetch now (conditionally, with If-None-Match),
 * whatever the schedule and the rate limit, and wait for the outcome: for
 * administration and tests. It waits for the network (up to timeout_ms
 * after any fetch already running): never call it on a request thread. */
vf_jwks_status vf_jwks_refresh(vf_jwks *j);

/* For a token refused with VF_UNKNOWN_KID (or VF_NO_MATCHING_KEY), on any
 * thread, at request time. Never waits for the network: returns at once
 *   VF_JWKS_REFRESH_QUEUED  the background thread will fetch now (or its
 *                           running fetch answers this), or
 *   VF_JWKS_RATE_LIMITED    a fetch began less than min_refresh_seconds ago.
 * Either way, refuse this request (or verify again: a fetch that just ended
 * may have brought the key); the client's retry finds the new keys. */
vf_jwks_status vf_jwks_refresh_unknown_kid(vf_jwks *j);

/* As vf_jwks_refresh_unknown_kid, then, if a fetch was queued or running,
 * wait at most wait_ms for it to end: its status (VF_JWKS_OK: verify again
 * now), or VF_JWKS_REFRESH_QUEUED if it had not ended in time. The thread
 * waits, though it does no I/O: keep wait_ms small, and remember a provider
 * that hangs holds the caller for all of wait_ms. 0: no wait. */
vf_jwks_status vf_jwks_refresh_unknown_kid_wait(vf_jwks *j, uint32_t wait_ms);

/* A copy of the counters. */
void vf_jwks_get_stats(vf_jwks *j, vf_jwks_stats *out);

/* The last failure's description, NUL-terminated into buf ("" if none):
 * "fetch URL: <what failed> [curl: <libcurl's detail>]", or
 * "JWKS from URL refused: <status> (<libverifier's reason>)", or
 * "discovery document from URL: <what is wrong>". */
void vf_jwks_last_error(vf_jwks *j, char *buf, size_t len);

/* A short name for a status ("fetch_failed"). Static, never NULL. */
const char *vf_jwks_status_name(vf_jwks_status s);

/* Stop the thread (a fetch in progress is abandoned within about a second),
 * free the verifier and everything else. NULL is a no-op. No verification
 * may be running on the verifier, and no other vf_jwks call on `j`. */
void vf_jwks_free(vf_jwks *j);

#ifdef __cplusplus
}
#endif

#endif
