/* Stack a verification uses, with vf_claims on the stack and with vf_result
 * (measured, not a test: `make ffi-stack-usage`). A thread paints 200 KB
 * below its frame, verifies once, and finds the deepest byte changed.
 *
 *   stack_usage ROOT */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define SPAN (200 * 1024)
#define NOW 1764000000

static vf_verifier *v;
static char *token;
static int mode;
static vf_result *result;

__attribute__((noinline)) static void paint(unsigned char *top) {
    for (unsigned char *p = top - SPAN; p < top - 2048; p++) *(volatile unsigned char *)p = 0xA5;
}

__attribute__((noinline)) static size_t scan(unsigned char *top) {
    unsigned char *p = top - SPAN;
    while (p < top && *(volatile unsigned char *)p == 0xA5) p++;
    return (size_t)(top - p);
}

__attribute__((noinline)) static void on_stack(void) {
    vf_claims c;
    CHECK_STATUS(vf_verify(v, (const uint8_t *)token, strlen(token), NOW, &c), VF_OK);
}

__attribute__((noinline)) static void on_heap(void) {
    CHECK_STATUS(vf_verify_result(v, (const uint8_t *)token, strlen(token), NOW, result), VF_OK);
}

static void *run(void *out) {
    unsigned char here;
    paint(&here);
    if (mode) on_heap();
    else on_stack();
    *(size_t *)out = scan(&here);
    return NULL;
}

static size_t measure(void) {
    size_t used = 0;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setstacksize(&at, 1 << 20);
    pthread_t t;
    pthread_create(&t, &at, run, &used);
    pthread_join(t, NULL);
    pthread_attr_destroy(&at);
    return used;
}

static void setup(const char *root, const char *jwks, const char *tok, int logto) {
    size_t n;
    char *doc = read_file(root, jwks, &n);
    vf_config *c = vf_config_new();
    CHECK_STATUS(vf_config_add_jwks(c, (const uint8_t *)doc, n), VF_OK);
    if (logto) {
        CHECK_STATUS(vf_config_preset_logto(c), VF_OK);
        CHECK_STATUS(vf_config_add_issuer(c, "https://tenant.logto.app/oidc"), VF_OK);
        CHECK_STATUS(vf_config_add_audience(c, "https://api.example.com"), VF_OK);
    } else {
        CHECK_STATUS(vf_config_preset_clerk(c), VF_OK);
        CHECK_STATUS(vf_config_add_issuer(c, "https://clerk.example.com"), VF_OK);
        CHECK_STATUS(vf_config_add_authorized_party(c, "https://app.example.com"), VF_OK);
    }
    vf_verifier_free(v);
    v = NULL;
    CHECK_STATUS(vf_verifier_new(c, &v), VF_OK);
    vf_config_free(c);
    free(doc);
    free(token);
    token = read_file(root, tok, &n);
    trim_end(token, n);
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    CHECK_STATUS(vf_result_new(&result), VF_OK);
    const char *names[2] = {"Clerk RS256", "Logto ES384"};
    for (int k = 0; k < 2; k++) {
        if (k == 0) setup(argv[1], "examples/keys/clerk-jwks.json", "examples/tokens/clerk.jwt", 0);
        else setup(argv[1], "examples/keys/logto-jwks.json", "examples/tokens/logto.jwt", 1);
        size_t used[2];
        for (mode = 0; mode < 2; mode++) {
            measure(); /* warm: first-use paths */
            used[mode] = measure();
        }
        printf("%s: vf_verify with a vf_claims local %zu B of stack, vf_verify_result %zu B\n",
               names[k], used[0], used[1]);
    }
    vf_result_free(result);
    vf_verifier_free(v);
    free(token);
    return g_failures != 0;
}
