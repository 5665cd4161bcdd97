/* Load client for the server test: several threads, each with its own
 * keep-alive libcurl handle, send good and bad tokens and check every
 * answer, while the JWKS behind the server rotates.
 *
 *   load URL THREADS REQUESTS_PER_THREAD GOOD_TOKEN BAD_TOKEN LATE_TOKEN FLAG_FILE
 *
 * GOOD must always get 200, BAD always 401. LATE (a token of a key published
 * mid-run) is sent, and must get 200, only once FLAG_FILE exists: the
 * driver creates it after the rotation that publishes LATE's key. A thread
 * that has made its REQUESTS before the flag appears goes on (for at most
 * 60 s) until it has also sent a few LATE tokens, so the rotation always
 * falls inside the load however fast or slow the server is. Exits 1 on any
 * unexpected answer or transport error. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

static const char *url, *flag_file;
static char good[4200], bad[4200], late[4200];
static long per_thread;
static atomic_long ok_good, ok_bad, ok_late, wrong;

struct body {
    char buf[2048];
    size_t len;
};

static size_t collect(char *d, size_t s, size_t n, void *u) {
    struct body *b = u;
    size_t add = s * n, room = sizeof b->buf - 1 - b->len;
    size_t take = add < room ? add : room;
    memcpy(b->buf + b->len, d, take);
    b->len += take;
    b->buf[b->len] = 0;
    return add;
}

static void *client(void *arg) {
    long id = (long)arg;
    CURL *c = curl_easy_init();
    if (!c) {
        atomic_fetch_add(&wrong, 1);
        return NULL;
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    bool rotated = false;
    long late_sent = 0, late_goal = per_thread / 16 + 1;
    time_t deadline = time(NULL) + 60;
    for (long i = 0; i < per_thread || late_sent < late_goal; i++) {
        if (!rotated && (i % 16 == 0 || i >= per_thread)) rotated = access(flag_file, F_OK) == 0;
        if (i >= per_thread && !rotated) {
            if (time(NULL) > deadline) {
                fprintf(stderr, "load: thread %ld: no rotation within 60 s\n", id);
                atomic_fetch_add(&wrong, 1);
                break;
            }
        }
        int kind = (int)((i + id) % 4); /* 0,1: good; 2: bad; 3: late once rotated */
        const char *tok = kind == 2 ? bad : (kind == 3 && rotated) ? late : good;
        late_sent += tok == late;
        char header[4400];
        snprintf(header, sizeof header, "Authorization: Bearer %s", tok);
        struct curl_slist *h = curl_slist_append(NULL, header);
        struct body b = {.len = 0};
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
        CURLcode rc = curl_easy_perform(c);
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        curl_slist_free_all(h);
        long want = tok == bad ? 401 : 200;
        if (rc != CURLE_OK || code != want) {
            if (atomic_fetch_add(&wrong, 1) < 5)
                fprintf(stderr, "load: thread %ld request %ld: %s, HTTP %ld, want %ld: %s\n", id, i,
                        curl_easy_strerror(rc), code, want, b.buf);
        } else {
            atomic_fetch_add(tok == bad ? &ok_bad : tok == late ? &ok_late : &ok_good, 1);
        }
    }
    curl_easy_cleanup(c);
    return NULL;
}

static void read_token(const char *path, char *out, size_t cap) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    size_t n = fread(out, 1, cap - 1, f);
    fclose(f);
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r')) n--;
    out[n] = 0;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: load URL THREADS REQUESTS GOOD BAD LATE FLAG_FILE\n");
        return 2;
    }
    url = argv[1];
    long threads = strtol(argv[2], NULL, 10);
    per_thread = strtol(argv[3], NULL, 10);
    read_token(argv[4], good, sizeof good);
    read_token(argv[5], bad, sizeof bad);
    read_token(argv[6], late, sizeof late);
    flag_file = argv[7];
    if (threads < 1 || threads > 64 || per_thread < 1) return 2;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    pthread_t t[64];
    for (long i = 0; i < threads; i++) pthread_create(&t[i], NULL, client, (void *)i);
    for (long i = 0; i < threads; i++) pthread_join(t[i], NULL);
    curl_global_cleanup();
    printf("load: %ld requests: %ld good 200, %ld late-key 200, %ld bad 401, %ld unexpected\n",
           atomic_load(&ok_good) + atomic_load(&ok_late) + atomic_load(&ok_bad) + atomic_load(&wrong),
           atomic_load(&ok_good), atomic_load(&ok_late), atomic_load(&ok_bad),
           atomic_load(&wrong));
    return atomic_load(&wrong) != 0 || atomic_load(&ok_late) == 0;
}
