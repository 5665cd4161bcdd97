//go:build cgo

package bench

import (
	"strconv"
	"testing"
)

// BenchmarkCgoControl: see control.go. 24000 and 37000 iterations take about
// as long as an RS256 and an ES256 verification on the CI machine.
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
		_ = sink
	}
}
