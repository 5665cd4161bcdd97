package verifier

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// hangingJWKS answers its first request with doc, then accepts every later
// request and never answers it (until the client gives up).
func hangingJWKS(t *testing.T, doc []byte) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			_, _ = w.Write(doc)
			return
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	return srv, &n
}

// A provider that hangs delays no request: while many requests send tokens
// with unknown kids, a valid token verifies at once, and an unknown kid is
// refused at once unless its request started the fetch (which waits at most
// UnknownKIDWait). No request waits for the network beyond that.
func TestJWKSHangingProviderDelaysNoRequest(t *testing.T) {
	k := theKeys()
	valid := mint("RS256", k.rsa, "k1", baseClaims())
	srv, fetches := hangingJWKS(t, jwks(jwk(k.rsa, "k1", "")))
	const wait = 300 * time.Millisecond
	v := newV(t, WithJWKSURL(srv.URL, JWKSOptions{Client: srv.Client(), Timeout: 10 * time.Second, MinRefresh: time.Millisecond, UnknownKIDWait: wait}))

	// Tokens minted beforehand, and a pause between requests: the machine
	// may have two cores, and this measures waiting, not CPU starvation.
	var unknown []string
	for i := range 64 {
		unknown = append(unknown, mint("ES256", k.p256, fmt.Sprint("unknown-", i), baseClaims()))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var slow, total atomic.Int32
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				_, err := v.Verify(c, unknown[(g*7+i)%len(unknown)])
				if !errors.Is(err, ErrUnknownKID) {
					t.Error(err)
					return
				}
				total.Add(1)
				if time.Since(start) > 100*time.Millisecond {
					slow.Add(1)
				}
				time.Sleep(time.Millisecond)
			}
		}()
	}
	eventually(t, "the hanging refresh", func() bool { return fetches.Load() >= 2 })
	var worst time.Duration
	for range 200 {
		start := time.Now()
		if _, err := v.Verify(ctx, valid); err != nil {
			t.Fatal(err)
		}
		worst = max(worst, time.Since(start))
		time.Sleep(time.Millisecond)
	}
	time.Sleep(2 * wait) // past the starter's wait
	close(stop)
	wg.Wait()
	if worst > 100*time.Millisecond {
		t.Errorf("a valid token took %v while the provider hangs", worst)
	}
	// One fetch hangs (the others are refused at once: it is in progress),
	// so one request waited for it; allow one more for a slow machine.
	if n := slow.Load(); n > 2 {
		t.Errorf("%d of %d unknown-kid requests took over 100ms (want only the one that started the fetch)", n, total.Load())
	}
	if n := fetches.Load(); n != 2 {
		t.Errorf("%d fetches, want 2 (New's, then one that hangs)", n)
	}
}

// An unknown kid's error says what the JWKS source did: refetched, rate
// limited until when, fetch in progress, or fetch failed and why. Each is
// still ErrUnknownKID, a rejection (401), and a deadline still shows.
func TestJWKSUnknownKIDErrorSaysWhy(t *testing.T) {
	k := theKeys()
	unknown := mint("ES256", k.p256, "nope", baseClaims())
	asError := func(t *testing.T, err error) *UnknownKIDError {
		t.Helper()
		var ue *UnknownKIDError
		if !errors.Is(err, ErrUnknownKID) || !errors.As(err, &ue) || !IsRejection(err) {
			t.Fatalf("want an *UnknownKIDError: %v", err)
		}
		return ue
	}

	t.Run("refetched, then rate-limited", func(t *testing.T) {
		srv := newJWKSServer(t, jwks(jwk(k.rsa, "k1", "")))
		v := newV(t, WithJWKSURL(srv.URL, srv.opts(time.Hour, time.Hour, nil)))
		_, err := v.Verify(ctx, unknown)
		if ue := asError(t, err); !ue.Refetched || ue.InProgress || ue.FetchErr != nil || !ue.RetryAfter.IsZero() || !strings.Contains(err.Error(), "refetched") {
			t.Fatalf("%+v: %v", ue, err)
		}
		before := time.Now()
		_, err = v.Verify(ctx, unknown)
		ue := asError(t, err)
		if ue.Refetched || ue.FetchErr != nil || ue.RetryAfter.Before(before.Add(59*time.Minute)) || ue.RetryAfter.After(before.Add(time.Hour)) || !strings.Contains(err.Error(), "rate-limited until") {
			t.Fatalf("%+v: %v", ue, err)
		}
	})

	t.Run("fetch failed", func(t *testing.T) {
		srv := newJWKSServer(t, jwks(jwk(k.rsa, "k1", "")))
		v := newV(t, WithJWKSURL(srv.URL, srv.opts(time.Hour, time.Hour, nil)))
		srv.serve(503, []byte("down"), "")
		_, err := v.Verify(ctx, unknown)
		var hs errHTTPStatus
		if ue := asError(t, err); ue.Refetched || !errors.As(ue.FetchErr, &hs) || hs != 503 || !strings.Contains(err.Error(), "fetch for it failed: JWKS fetch: HTTP status 503") {
			t.Fatalf("%+v: %v", ue, err)
		}
		if errors.As(err, &hs) {
			t.Fatal("the fetch error is detail, not a cause errors.Is/As reaches")
		}
		// Rate-limited now, and the last failure still shows.
		_, err = v.Verify(ctx, unknown)
		if ue := asError(t, err); ue.RetryAfter.IsZero() || ue.FetchErr == nil || !strings.Contains(err.Error(), "last fetch failed") {
			t.Fatalf("%+v: %v", ue, err)
		}
	})

	t.Run("in progress", func(t *testing.T) {
		srv := newJWKSServer(t, jwks(jwk(k.rsa, "k1", "")))
		opts := srv.opts(time.Millisecond, time.Hour, nil)
		opts.UnknownKIDWait = -1 // never wait
		v := newV(t, WithJWKSURL(srv.URL, opts))
		srv.setDelay(time.Second)
		defer srv.setDelay(0)
		for i := range 3 { // the one that starts the fetch, then two that find it running
			start := time.Now()
			_, err := v.Verify(ctx, unknown)
			if ue := asError(t, err); !ue.InProgress || ue.Refetched || ue.FetchErr != nil || !strings.Contains(err.Error(), "in progress") {
				t.Fatalf("%d: %+v: %v", i, ue, err)
			}
			if d := time.Since(start); d > 100*time.Millisecond {
				t.Fatalf("%d: took %v", i, d)
			}
		}
	})

	t.Run("waited UnknownKIDWait", func(t *testing.T) {
		srv := newJWKSServer(t, jwks(jwk(k.rsa, "k1", "")))
		opts := srv.opts(time.Millisecond, time.Hour, nil)
		opts.UnknownKIDWait = 50 * time.Millisecond
		v := newV(t, WithJWKSURL(srv.URL, opts))
		srv.setDelay(2 * time.Second)
		defer srv.setDelay(0)
		start := time.Now()
		_, err := v.Verify(ctx, unknown)
		if ue := asError(t, err); !ue.InProgress || errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%+v: %v", ue, err)
		}
		if d := time.Since(start); d < 50*time.Millisecond || d > time.Second {
			t.Fatalf("waited %v, want UnknownKIDWait (50ms)", d)
		}
	})

	t.Run("the caller's deadline", func(t *testing.T) {
		srv := newJWKSServer(t, jwks(jwk(k.rsa, "k1", "")))
		v := newV(t, WithJWKSURL(srv.URL, srv.opts(time.Millisecond, time.Hour, nil)))
		srv.setDelay(2 * time.Second)
		defer srv.setDelay(0)
		c, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		defer cancel()
		_, err := v.Verify(c, unknown)
		if ue := asError(t, err); !ue.InProgress || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%+v: %v", ue, err)
		}
		// Middleware: still a 401, with the detail for OnError.
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(c)
		req.Header.Set("Authorization", "Bearer "+unknown)
		var seen error
		v.Middleware(http.NotFoundHandler(), OnError(func(w http.ResponseWriter, r *http.Request, status int, err error) {
			seen = err
			w.WriteHeader(status)
		})).ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized || !errors.Is(seen, ErrUnknownKID) {
			t.Fatalf("Middleware: %d %v", rec.Code, seen)
		}
	})

	t.Run("no JWKS URL", func(t *testing.T) {
		v := newV(t, WithJWKS(jwks(jwk(k.rsa, "k1", ""))))
		var ue *UnknownKIDError
		if _, err := v.Verify(ctx, unknown); !errors.Is(err, ErrUnknownKID) || errors.As(err, &ue) {
			t.Fatalf("pinned keys only: %v, want the refusal itself", err)
		}
	})
}

// Close releases a request waiting for a fetch that will not run.
func TestJWKSCloseReleasesWaiters(t *testing.T) {
	k := theKeys()
	srv := newJWKSServer(t, jwks(jwk(k.rsa, "k1", "")))
	opts := srv.opts(time.Millisecond, time.Hour, nil)
	opts.UnknownKIDWait = time.Hour
	v, err := New(WithJWKSURL(srv.URL, opts))
	if err != nil {
		t.Fatal(err)
	}
	srv.setDelay(10 * time.Second)
	defer srv.setDelay(0)
	done := make(chan error, 1)
	go func() {
		_, err := v.Verify(context.Background(), mint("ES256", k.p256, "nope", baseClaims()))
		done <- err
	}()
	eventually(t, "the refresh", func() bool { return srv.fetches.Load() >= 2 })
	v.Close()
	select {
	case err := <-done:
		if !errors.Is(err, ErrUnknownKID) && !errors.Is(err, ErrClosed) {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a request still waits after Close")
	}
}
