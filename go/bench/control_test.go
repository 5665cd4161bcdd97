//go:build cgo

package bench

import (
	"runtime"
	"strconv"
	"testing"
	"time"
)

// BenchmarkCgoControl: see control.go. 24000 and 37000 iterations take about
// as long as an RS256 and an ES256 verification on the CI machine.
// -parallel-yield makes the same calls with the cgo backend's yield
// (go/cgoyield.go), to show what it gives plain cgo calls.
func BenchmarkCgoControl(b *testing.B) {
	for _, iters := range []uint64{24000, 37000} {
		name := strconv.FormatUint(iters, 10)
		var sink uint64
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				sink += controlSpin(iters)
			}
		})
		b.Run(name+"-parallel", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				var s uint64
				for pb.Next() {
					s += controlSpin(iters)
				}
				_ = s
			})
		})
		// As the module's cgo backend does (go/cgoyield.go): a goroutine
		// that has called back to back for 2 ms yields between two calls.
		b.Run(name+"-parallel-yield", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				var s uint64
				start := time.Now()
				for pb.Next() {
					s += controlSpin(iters)
					if time.Since(start) >= 2*time.Millisecond {
						runtime.Gosched()
						start = time.Now()
					}
				}
				_ = s
			})
		})
		_ = sink
	}
}
