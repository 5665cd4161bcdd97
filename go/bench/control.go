//go:build cgo

package bench

// The control for the cgo backend's 2-goroutine throughput: a C function that
// only computes (no memory, no allocation, no lock), called through cgo for
// about as long as one verification, so that `make go-bench` shows in the same
// run what Go's cgo calls alone let two goroutines reach (go/README.md).

/*
#include <stdint.h>
static uint64_t control_spin(uint64_t iters) {
	uint64_t x = 1;
	for (uint64_t i = 0; i < iters; i++) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	return x;
}
*/
import "C"

// controlSpin runs iters dependent multiply-adds in C (about 1.2 ns each on
// the CI machine).
func controlSpin(iters uint64) uint64 { return uint64(C.control_spin(C.uint64_t(iters))) }
