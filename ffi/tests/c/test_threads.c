/* 8 threads verify the Clerk example token without pause while another
 * thread keeps replacing the verifier's keys (JWKS <-> PEM of the same key):
 * every verification must succeed and nothing may crash or leak.
 *
 * usage: test_threads REPO_ROOT [ITERATIONS_PER_THREAD] */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "testutil.h"

#define THREADS 8
static const int64_t NOW = 1764000000;

static vf_verifier *verifier;
static char *token;
static size_t token_len;
static int iterations = 200;
static atomic_int running;
static atomic_int failures;
static atomic_long verified;

static void *verify_loop(void *arg) {
    (void)arg;
    /* Heap-allocated: 12 KiB per thread is fine on the stack too, but this
     * keeps thread stacks small under valgrind. */
    vf_claims *c = malloc(sizeof *c);
    if (!c) {
        atomic_fetch_add(&failures, 1);
        goto done;
    }
    for (int i = 0; i < iterations; i++) {
        vf_status s = vf_verify(verifier, (const uint8_t *)token, token_len, NOW, c);
        if (s != VF_OK || !view_is(c->sub, "user_2abcDEF")) {
            fprintf(stderr, "thread verify %d: %s\n", i, vf_status_name(s));
            atomic_fetch_add(&failures, 1);
        } else {
            atomic_fetch_add(&verified, 1);
        }
    }
    free(c);
done:
    atomic_fetch_sub(&running, 1);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s REPO_ROOT [ITERATIONS]\n", argv[0]);
        return 2;
    }
    if (argc > 2) iterations = atoi(argv[2]);
    size_t jwks_len, pem_len;
    char *jwks = read_file(argv[1], "examples/keys/clerk-jwks.json", &jwks_len);
    char *pem = read_file(argv[1], "examples/keys/clerk.pem", &pem_len);
    token = read_file(argv[1], "examples/tokens/clerk.jwt", &token_len);
    token_len = trim_end(token, token_len);

    vf_config *a = vf_config_new(), *b = vf_config_new();
    CHECK_STATUS(vf_config_add_jwks(a, (const uint8_t *)jwks, jwks_len), VF_OK);
    CHECK_STATUS(vf_config_preset_clerk(a), VF_OK);
    CHECK_STATUS(vf_config_add_issuer(a, "https://clerk.example.com"), VF_OK);
    CHECK_STATUS(vf_config_add_authorized_party(a, "https://app.example.com"), VF_OK);
    /* Without a kid, the PEM key serves the token's kid too: asked for, as Clerk's PEM path does. */
    CHECK_STATUS(vf_config_add_pem_ex(b, (const uint8_t *)pem, pem_len, NULL, NULL, VF_KEY_ANY_KID), VF_OK);
    CHECK_STATUS(vf_verifier_new(a, &verifier), VF_OK);
    if (!verifier) return 1;

    pthread_t t[THREADS];
    atomic_store(&running, THREADS);
    for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, verify_loop, NULL);
    long rotations = 0;
    /* Rotate until every verifier thread is done (and at least a few times). */
    while (atomic_load(&running) > 0 || rotations < 4) {
        vf_status s = vf_verifier_replace_keys(verifier, rotations % 2 ? a : b);
        if (s != VF_OK) {
            fprintf(stderr, "replace_keys: %s\n", vf_status_name(s));
            atomic_fetch_add(&failures, 1);
        }
        rotations++;
        /* Rotation is rare in real life; a short pause keeps this loop from
         * starving the verifiers of the shared CPUs. */
        struct timespec pause = {0, 200000};
        nanosleep(&pause, NULL);
    }
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);

    vf_verifier_free(verifier);
    vf_config_free(a);
    vf_config_free(b);
    free(jwks);
    free(pem);
    free(token);
    int bad = atomic_load(&failures) + g_failures;
    printf("test_threads: %d threads, %ld verifications, %ld key replacements, %d failures\n",
           THREADS, atomic_load(&verified), rotations, bad);
    return bad == 0 && atomic_load(&verified) == (long)THREADS * iterations ? 0 : 1;
}
