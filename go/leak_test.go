package verifier

import (
	"runtime"
	"strings"
	"time"
)

// A hand-rolled goroutine leak check, so that the module requires nothing
// (goleak would land in every user's go.sum): the goroutines that belong to
// this package are those running one of its functions; HTTP connections
// idling in a test server's client are not ours.

// packageGoroutines returns the stacks of goroutines inside the JWKS refresher.
func packageGoroutines() []string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var ours []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, ".(*remoteJWKS).") {
			ours = append(ours, g)
		}
	}
	return ours
}

// waitNoPackageGoroutines waits up to d for the package's goroutines to end
// (collecting garbage, so that forgotten verifiers' cleanups run) and returns
// the stacks of those still running, or "".
func waitNoPackageGoroutines(d time.Duration) string {
	deadline := time.Now().Add(d)
	for {
		runtime.GC()
		left := packageGoroutines()
		if len(left) == 0 {
			return ""
		}
		if time.Now().After(deadline) {
			return strings.Join(left, "\n\n")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
