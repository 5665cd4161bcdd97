/* vf_jwks: keys that stay fresh, for a C server using libverifier.
 *
 * An optional component over libcurl, outside libverifier (which keeps no
 * network code): it fetches a `jwks_uri`, builds a verifier from it, and
 * keeps its keys current with `vf_verifier_replace_keys`:
 *
 *   - a background thread refreshes on the server's `Cache-Control: max-age`
 *     (clamped to [min_refresh_seconds, max_refresh_seconds]), sending the
 *     last `ETag` as `If-None-Match` so an unchanged set costs a 304;
 *   - `vf_jwks_refresh_unknown_kid` refreshes at once when a token names a
 *     key the set lacks, at most once per `min_refresh_seconds`;
 *   - a failed fetch or a document that does not load keeps the last good
 *     keys, and is retried after `retry_seconds`.
 *
 * Build: cc -c vf_jwks.c $(pkg-config --cflags verifier libcurl), link with
 * $(pkg-config --libs libcurl) -lpthread and libverifier. */
#ifndef VF_JWKS_H
#define VF_JWKS_H

#include <stdint.h>

#include <verifier.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vf_jwks_status {
    VF_JWKS_OK = 0,
    /* A required pointer argument was NULL, or the URL is empty. */
    VF_JWKS_NULL_ARGUMENT = 1,
    /* Memory, a curl handle or the thread could not be had. */
    VF_JWKS_RESOURCES = 2,
    /* The fetch failed: transport error, timeout, a status other than 200/304,
     * or a body over 1 MiB. The last good keys stay. */
    VF_JWKS_FETCH_FAILED = 3,
    /* The document was fetched but libverifier refused it (see
     * vf_jwks_last_error). The last good keys stay. */
    VF_JWKS_KEYS_REFUSED = 4,
    /* An unknown-kid refresh came sooner than min_refresh_seconds after the
     * last fetch; nothing fetched (another caller's fetch may have just
     * brought the key: verify again anyway). */
    VF_JWKS_RATE_LIMITED = 5,
    /* The URL is not https://, and not http:// to a loopback host
     * (127.0.0.1, localhost, [::1]): keys fetched in the clear could be
     * anyone's, so they are refused before any fetch. */
    VF_JWKS_INSECURE_URL = 6,
} vf_jwks_status;

typedef struct vf_jwks_options {
    /* The JWKS URL: https://, or http:// to loopback only (tests). Copied.
     * Redirects are not followed. */
    const char *url;
    /* Floor of the refresh interval and the least time between two
     * unknown-kid fetches. 0: 10 s. */
    uint32_t min_refresh_seconds;
    /* Ceiling of the refresh interval, and the interval when the server
     * sends no max-age. 0: 600 s. */
    uint32_t max_refresh_seconds;
    /* Delay before retrying after a failed refresh. 0: 10 s. */
    uint32_t retry_seconds;
    /* Whole-transfer timeout. 0: 5000 ms. */
    uint32_t timeout_ms;
} vf_jwks_options;

/* Counters, for monitoring and tests. */
typedef struct vf_jwks_stats {
    uint64_t fetches;        /* requests made */
    uint64_t not_modified;   /* 304 answers */
    uint64_t rotations;      /* key sets installed after the first */
    uint64_t failures;       /* fetch failures and refused documents */
    uint64_t rate_limited;   /* unknown-kid refreshes refused by the rate limit */
} vf_jwks_stats;

typedef struct vf_jwks vf_jwks;

/* Fetch the JWKS once, add its keys to `policy` (a vf_config holding your
 * policy and no keys; it keeps the keys afterwards, free it when you like),
 * build the verifier and start the refresh thread. On failure *out is
 * untouched; the status and, for VF_JWKS_KEYS_REFUSED,
 * vf_config_last_error(policy) say why.
 * Calls curl_global_init. Free with vf_jwks_free. */
vf_jwks_status vf_jwks_start(const vf_jwks_options *opts, vf_config *policy, vf_jwks **out);

/* The verifier, owned by `j`: valid until vf_jwks_free, shared by any
 * number of threads (its keys are swapped under it atomically). */
const vf_verifier *vf_jwks_verifier(const vf_jwks *j);

/* Fetch now (conditionally, with If-None-Match), whatever the schedule. */
vf_jwks_status vf_jwks_refresh(vf_jwks *j);

/* For a token refused with VF_UNKNOWN_KID (or VF_NO_MATCHING_KEY): fetch
 * now unless a fetch started less than min_refresh_seconds ago. Blocks
 * while another fetch runs. Verify the token once more afterwards. */
vf_jwks_status vf_jwks_refresh_unknown_kid(vf_jwks *j);

/* A copy of the counters. */
void vf_jwks_get_stats(vf_jwks *j, vf_jwks_stats *out);

/* The last failure's description, NUL-terminated into buf ("" if none). */
void vf_jwks_last_error(vf_jwks *j, char *buf, size_t len);

/* A short name for a status ("fetch_failed"). Static, never NULL. */
const char *vf_jwks_status_name(vf_jwks_status s);

/* Stop the thread, free the verifier and everything else. NULL is a no-op.
 * No verification may be running on the verifier. */
void vf_jwks_free(vf_jwks *j);

#ifdef __cplusplus
}
#endif

#endif
