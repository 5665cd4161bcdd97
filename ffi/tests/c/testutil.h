/* Small helpers shared by the C tests: checks that count failures, file
 * reading, base64url encoding and a record of which statuses were seen. */
#ifndef VF_TESTUTIL_H
#define VF_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier.h"

static int g_failures;
static int g_checks;

#define CHECK(cond)                                                          \
    do {                                                                     \
        g_checks++;                                                          \
        if (!(cond)) {                                                       \
            g_failures++;                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
        }                                                                    \
    } while (0)

/* Every status a call returned, to prove at the end that each was reached. */
static unsigned char g_seen[1000];

static inline vf_status seen(vf_status s) {
    if (s < 1000) g_seen[s] = 1;
    return s;
}

#define CHECK_STATUS(call, want)                                              \
    do {                                                                      \
        vf_status got_ = seen(call);                                          \
        g_checks++;                                                           \
        if (got_ != (vf_status)(want)) {                                      \
            g_failures++;                                                     \
            fprintf(stderr, "%s:%d: %s\n  got %s (%u), want %s (%u)\n",       \
                    __FILE__, __LINE__, #call, vf_status_name(got_), got_,    \
                    vf_status_name(want), (unsigned)(want));                  \
        }                                                                     \
    } while (0)

/* The whole file, NUL-terminated; *len excludes the NUL. Exits on error. */
static inline char *read_file(const char *root, const char *rel, size_t *len) {
    char path[4096];
    if (root)
        snprintf(path, sizeof path, "%s/%s", root, rel);
    else
        snprintf(path, sizeof path, "%s", rel);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            char *bigger = realloc(buf, cap);
            if (!bigger) free(buf);
            buf = bigger;
        }
    }
    fclose(f);
    if (!buf) exit(2);
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

/* Strip trailing whitespace (token files end with a newline). */
static inline size_t trim_end(char *s, size_t len) {
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r' ||
                       s[len - 1] == ' ' || s[len - 1] == '\t'))
        s[--len] = 0;
    return len;
}

/* Unpadded base64url of `len` bytes into `out` (NUL-terminated); returns its length. */
static inline size_t b64url(const void *data, size_t len, char *out) {
    static const char a[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const unsigned char *p = data;
    size_t o = 0, i = 0;
    for (; i + 2 < len; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        out[o++] = a[v >> 18 & 63];
        out[o++] = a[v >> 12 & 63];
        out[o++] = a[v >> 6 & 63];
        out[o++] = a[v & 63];
    }
    if (len - i == 1) {
        unsigned v = (unsigned)p[i] << 16;
        out[o++] = a[v >> 18 & 63];
        out[o++] = a[v >> 12 & 63];
    } else if (len - i == 2) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
        out[o++] = a[v >> 18 & 63];
        out[o++] = a[v >> 12 & 63];
        out[o++] = a[v >> 6 & 63];
    }
    out[o] = 0;
    return o;
}

/* A view equals a C string. */
static inline int view_is(vf_str v, const char *s) {
    size_t n = strlen(s);
    return v.ptr != NULL && v.len == n && memcmp(v.ptr, s, n) == 0;
}

static inline int view_absent(vf_str v) { return v.ptr == NULL && v.len == 0; }

#endif
