//go:build !cgo || verifier_wasm || !(verifier_system || (linux && (amd64 || arm64)))

package verifier

import (
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// A key rotation reaches every pooled instance: once SetJWKS returns, no
// instance, however long it sat idle, still answers with the old keys.
func TestWasmRotationReachesEveryInstance(t *testing.T) {
	if Backend != "wasm" {
		t.Fatal("wasm.go built without being the backend")
	}
	k := theKeys()
	old := mint("RS256", k.rsa, "k1", baseClaims())
	fresh := mint("RS256", k.rsa2, "k2", baseClaims())
	v := newV(t, WithJWKS(jwks(jwk(k.rsa, "k1", ""))))
	n := runtime.GOMAXPROCS(0) * 2
	verifyAll := func(token string, want error) {
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				for range 5 {
					_, err := v.Verify(ctx, token)
					if (want == nil) != (err == nil) || (want != nil && !errors.Is(err, want)) {
						t.Errorf("got %v, want %v", err, want)
						return
					}
				}
			})
		}
		wg.Wait()
	}
	verifyAll(old, nil) // every instance built with the first keys
	if err := v.SetJWKS(jwks(jwk(k.rsa2, "k2", ""))); err != nil {
		t.Fatal(err)
	}
	verifyAll(fresh, nil)
	verifyAll(old, ErrUnknownKID)
	// Idle instances rebuild lazily: whichever one a verification takes
	// holds the current keys.
	w := v.h.ptr.w
	w.mu.Lock()
	idle := len(w.idle)
	w.mu.Unlock()
	if idle == 0 || idle > cap(w.slots) {
		t.Fatalf("%d idle instances, at most %d", idle, cap(w.slots))
	}
	var taken []*instance
	for range idle {
		in, err := w.acquire()
		if err != nil {
			t.Fatal(err)
		}
		if in.gen != w.gen {
			t.Fatalf("an instance taken holds key set %d, current %d", in.gen, w.gen)
		}
		taken = append(taken, in)
	}
	for _, in := range taken {
		w.release(in)
	}
}

// The module's vf_claims layout is the one wasm.go reads, and a refusal's
// explanation comes through.
func TestWasmLayoutAndExplanation(t *testing.T) {
	in, err := newInstance()
	if err != nil {
		t.Fatal(err)
	}
	defer in.close()
	if n, _ := in.call(fnClaimsSize); n != claimsSize {
		t.Fatalf("vf_claims is %d bytes in the module, %d here", n, claimsSize)
	}
	// A trap (here a read outside the module's memory) breaks the instance
	// for good: the call is VF_PANIC and the instance is never run again.
	if st := in.status(fnClaimsGet, 0xfffffff0, uint64(in.aux), 3, uint64(in.aux+8)); st != statusPanic || !in.broken {
		t.Fatalf("trap: status %d, broken %v", st, in.broken)
	}
	if _, err := in.call(fnClaimsSize); err != ErrPanic {
		t.Fatalf("a broken instance ran again: %v", err)
	}
	k := theKeys()
	v := newV(t, WithHMAC(k.hs256, "HS256", ""))
	_, err = v.Verify(ctx, mint("HS256", k.hs256, "", with(baseClaims(), "exp", testNow.Unix()-60)))
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrExpired) || e.Detail != "exp 1763999940 is 60 s before now, leeway 0 s" {
		t.Fatalf("expired: %#v", err)
	}
}

// A token over the buffer an instance starts with is refused by the library
// for its length, with the same detail as on the cgo backend.
func TestWasmLongToken(t *testing.T) {
	k := theKeys()
	v := newV(t, WithHMAC(k.hs256, "HS256", ""))
	long := strings.Repeat("a", tokenCap+10)
	_, err := v.Verify(ctx, long)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrTokenTooLarge) || !strings.Contains(e.Detail, "bytes") {
		t.Fatalf("long token: %#v", err)
	}
	good := mint("HS256", k.hs256, "", baseClaims())
	if _, err := v.Verify(ctx, good); err != nil {
		t.Fatal(err)
	}
}
