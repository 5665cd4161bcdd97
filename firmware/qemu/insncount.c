/* From ../shared/embedded/insncount.c (the checked Cortex-M recipe), unchanged below;
 * built and loaded by scripts/firmware-table.sh. */
/* Minimal QEMU TCG plugin (API v1, QEMU 7.x): counts guest instructions in
 * total and between two marker addresses (start=0x..,stop=0x..). Declarations
 * written by hand from the public plugin API (no qemu-plugin.h installed). */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t {
    const char *target_name;
    struct { int min; int cur; } version;
    bool system_emulation;
    union { struct { int smp_vcpus; int max_vcpus; } system; };
} qemu_info_t;
struct qemu_plugin_tb;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb,
                                          enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op,
                                              void *ptr, uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t total, window, start_addr = ~0ull, stop_addr = ~0ull;
static int counting;
static uint64_t window_runs;

/* userdata packs (n_insns << 32) | (vaddr & 0xffffffff) -- fine for 32-bit guests */
static void tb_exec(unsigned int vcpu, void *ud) {
    uint64_t v = (uint64_t)(uintptr_t)ud;
    uint64_t n = v >> 32, pc = v & 0xffffffffu;
    if (pc == start_addr) { counting = 1; window_runs++; }
    if (counting) window += n;
    if (pc == stop_addr) counting = 0;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
    uint64_t n = qemu_plugin_tb_n_insns(tb);
    uint64_t pc = qemu_plugin_tb_vaddr(tb);
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &total, n);
    qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec, QEMU_PLUGIN_CB_NO_REGS,
                                         (void *)(uintptr_t)((n << 32) | (pc & 0xffffffffu)));
}

static void at_exit(qemu_plugin_id_t id, void *p) {
    fprintf(stderr, "insns_total=%" PRIu64 " insns_window=%" PRIu64 " window_entries=%" PRIu64 "\n",
            total, window, window_runs);
}

__attribute__((visibility("default")))
int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv) {
    for (int i = 0; i < argc; i++) {
        if (!strncmp(argv[i], "start=", 6)) start_addr = strtoull(argv[i] + 6, NULL, 0) & ~1ull;
        else if (!strncmp(argv[i], "stop=", 5)) stop_addr = strtoull(argv[i] + 5, NULL, 0) & ~1ull;
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
    qemu_plugin_register_atexit_cb(id, at_exit, NULL);
    return 0;
}
