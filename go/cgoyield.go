//go:build cgo && !verifier_wasm && (verifier_system || (linux && (amd64 || arm64)))

package verifier

import "time"

// Why the cgo backend yields. Go's monitor thread (sysmon) preempts a P whose
// goroutine has run 10 ms without being rescheduled. A goroutine inside a cgo
// call cannot be preempted, so sysmon takes its P instead; with every P busy,
// it hands the P to another thread that spins looking for work, the call comes
// back to no P, and sysmon, having retaken one, polls every 20 µs and catches
// more calls. A goroutine that verifies back to back (a batch worker, a queue
// consumer, a benchmark loop) is inside a cgo call almost all the time, so it
// meets this every 10 ms. Measured with two goroutines on two cores (go/bench,
// BenchmarkCgoControl): a C function that only computes reached 1.83x the
// throughput of one goroutine, and 1.99x when each goroutine yielded between
// calls every 2 ms; RS256 went from 1.78x to 1.84x (medians of five and 15).
//
// So a goroutine's run of back-to-back verifications yields once it has
// lasted yieldAfter, between two calls: a cheap reschedule that hands no
// thread anything. A run cannot see whether its goroutine blocked between two
// calls (the runtime does not say), only a pause of runGap or another
// goroutine's call on the P: a request handler whose calls come closer than
// that (a busy keep-alive connection) yields too, as does one call that takes
// yieldAfter by itself. Such a yield is needless but costs about 0.1 µs.
const (
	yieldAfter = 2 * time.Millisecond // well inside sysmon's 10 ms
	// runGap: a pause this long between two calls ends a run (the goroutine
	// blocked or other work ran, so the scheduler has had the P).
	runGap = 50 * time.Microsecond
)

// cgoRun is the current run of back-to-back verifications on one P. It lives
// in the pooled claims buffer, which sync.Pool hands back to the same P.
type cgoRun struct {
	// caller is the address of a local in the verifying goroutine's frame:
	// every goroutine has its own stack, so a new address is a new goroutine
	// (or a moved stack or another call depth, which only starts a run
	// early; a new goroutine on a finished one's stack can continue its run).
	caller      uintptr
	start, last time.Duration
}

var monoEpoch = time.Now()

// monotonic is the time since the package started, on the monotonic clock.
func monotonic() time.Duration { return time.Since(monoEpoch) }

// begin is called before a verification's cgo call, at time t.
func (r *cgoRun) begin(caller uintptr, t time.Duration) {
	if caller != r.caller || t-r.last > runGap {
		r.caller, r.start = caller, t
	}
}

// end is called after the call, at time t. It reports whether the caller
// should yield (Verifier.verify does, once it holds no lock) and, if so,
// starts a new run.
func (r *cgoRun) end(t time.Duration) bool {
	r.last = t
	if t-r.start < yieldAfter {
		return false
	}
	r.start = t
	return true
}
