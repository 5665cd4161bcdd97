/* Links the no_std staticlib into a C program and runs the check. */
#include <stdio.h>
#include <stdint.h>
uint32_t nostd_check(void);
/* The precompiled libcore references it from unwind tables; with panic=abort it is never called. */
void rust_eh_personality(void) {}
int main(void) {
    uint32_t rc = nostd_check();
    printf("nostd_check: %u\n", rc);
    return rc == 0 ? 0 : 1;
}
