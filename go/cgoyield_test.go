//go:build cgo && !verifier_wasm && (verifier_system || (linux && (amd64 || arm64)))

package verifier

import (
	"testing"
	"time"
)

// The run logic on a made-up clock: calls of 27 µs (an RS256) back to back by
// one goroutine yield every 2 ms; a pause or another goroutine starts a new
// run.
func TestCgoRunYieldsOnlyInLongRuns(t *testing.T) {
	const call = 27 * time.Microsecond
	run := func(n int, gap time.Duration, callers ...uintptr) (yields []int) {
		var r cgoRun
		now := time.Hour // any start
		for i := range n {
			r.begin(callers[i%len(callers)], now)
			now += call
			if r.end(now) {
				yields = append(yields, i)
			}
			now += gap
		}
		return yields
	}
	// 1000 calls, 1 µs apart: 28 ms, so 13 or 14 runs of 2 ms.
	y := run(1000, time.Microsecond, 0x1000)
	if len(y) < 13 || len(y) > 14 {
		t.Fatalf("back to back: %d yields, want 13 or 14 (%v)", len(y), y)
	}
	if y[0] != 71 { // the first call to end at or after 2 ms: 72 calls of 28 µs
		t.Errorf("first yield after call %d, want 71", y[0])
	}
	for i := 1; i < len(y); i++ {
		if d := y[i] - y[i-1]; d < 71 || d > 72 {
			t.Errorf("yields %d calls apart, want 71 or 72", d)
		}
	}
	if y := run(1000, runGap+time.Microsecond, 0x1000); len(y) != 0 {
		t.Errorf("calls with pauses: yields after calls %v, want none", y)
	}
	if y := run(1000, time.Microsecond, 0x1000, 0x2000); len(y) != 0 {
		t.Errorf("two goroutines taking turns: yields after calls %v, want none", y)
	}
	// One call longer than yieldAfter (a slow device): yield after each.
	var r cgoRun
	for i := range 3 {
		start := time.Duration(i) * 3 * time.Millisecond
		r.begin(0x1000, start)
		if !r.end(start + 3*time.Millisecond) {
			t.Errorf("a 3 ms call (%d) did not yield", i)
		}
	}
}

// Verify itself: a loop of RS256 verifications yields; the same loop with a
// pause between calls (a goroutine that blocks, as a request handler does)
// yields only after a call that itself lasted yieldAfter.
func TestVerifyYieldsInBackToBackLoop(t *testing.T) {
	k := theKeys()
	token := mint("RS256", k.rsa, "k", baseClaims())
	v := newV(t, WithJWKS(jwks(jwk(k.rsa, "k", "RS256"))))
	// count runs verifications for d (back to back: or until the second
	// yield). short counts the yields after a Verify that took less than
	// yieldAfter as timed here, which covers the whole of its run when the
	// pauses make each call a run of its own.
	count := func(d, pause time.Duration) (n, short int) {
		old := yield
		yield = func() {
			n++
			// Outside the verifier's read lock, or Close (and every
			// verification behind it) would wait for the reschedule.
			if !v.h.mu.TryLock() {
				t.Error("yield inside the verifier's lock")
				return
			}
			v.h.mu.Unlock()
		}
		defer func() { yield = old }()
		for start := time.Now(); time.Since(start) < d && (pause > 0 || n < 2); {
			before, call := n, time.Now()
			if _, err := v.Verify(ctx, token); err != nil {
				t.Fatal(err)
			}
			if n > before && time.Since(call) < yieldAfter {
				short++
			}
			if pause > 0 {
				time.Sleep(pause)
			}
		}
		return n, short
	}
	// Two yields take about 4 ms of calls on an idle machine; a loaded one can
	// stop the thread between two calls, which starts a new run, so it gets
	// up to half a second. Under -race, sync.Pool drops a quarter of what is
	// put back (on purpose, to shake out reuse bugs), and a run lives in a
	// pooled buffer: runs end after a few calls, so only "never with pauses"
	// is checked there (make go-test also runs this test without -race:
	// GO_NORACE_TESTS in go.mk).
	if raceEnabled {
		t.Log("-race: the count of yields in a back-to-back loop is not checked (sync.Pool drops buffers)")
	} else if n, _ := count(500*time.Millisecond, 0); n < 2 {
		t.Errorf("back-to-back verifications yielded %d times in 500 ms, want 2", n)
	}
	// With pauses, a call yields only if it lasted yieldAfter by itself (one
	// call longer than that yields, see TestCgoRunYieldsOnlyInLongRuns): a
	// loaded machine can stop the thread, or the collector hold it, inside a
	// Verify for that long.
	if n, short := count(30*time.Millisecond, 2*runGap); short != 0 {
		t.Errorf("verifications with pauses yielded %d times after a call shorter than %v, want none", short, yieldAfter)
	} else if n != 0 {
		t.Logf("verifications with pauses: %d calls lasted %v or more and yielded", n, yieldAfter)
	}
}
