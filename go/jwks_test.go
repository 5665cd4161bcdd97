package verifier

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// jwksServer is a provider's jwks_uri whose answer the test changes.
type jwksServer struct {
	*httptest.Server
	mu           sync.Mutex
	status       int
	body         []byte
	cacheControl string
	delay        time.Duration
	etag         string // when set, answered and honoured (If-None-Match)
	lastModified string // when set, answered and honoured (If-Modified-Since)
	fetches      atomic.Int32
	notModified  atomic.Int32 // 304 answers
}

func newJWKSServer(t *testing.T, body []byte) *jwksServer {
	s := &jwksServer{status: 200, body: body}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fetches.Add(1)
		s.mu.Lock()
		status, body, cc, delay, etag, lm := s.status, s.body, s.cacheControl, s.delay, s.etag, s.lastModified
		s.mu.Unlock()
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		if cc != "" {
			w.Header().Set("Cache-Control", cc)
		}
		if etag != "" {
			w.Header().Set("ETag", etag)
		}
		if lm != "" {
			w.Header().Set("Last-Modified", lm)
		}
		inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
		if status == 200 && ((etag != "" && inm == etag) || (etag == "" && lm != "" && ims == lm)) {
			s.notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) serve(status int, body []byte, cacheControl string) {
	s.mu.Lock()
	s.status, s.body, s.cacheControl = status, body, cacheControl
	s.mu.Unlock()
}

func (s *jwksServer) validators(etag, lastModified string) {
	s.mu.Lock()
	s.etag, s.lastModified = etag, lastModified
	s.mu.Unlock()
}

func (s *jwksServer) setDelay(d time.Duration) {
	s.mu.Lock()
	s.delay = d
	s.mu.Unlock()
}

func (s *jwksServer) opts(min, max time.Duration, onRefresh func(error)) JWKSOptions {
	return JWKSOptions{Client: s.Client(), MinRefresh: min, MaxRefresh: max, Timeout: 5 * time.Second, OnRefresh: onRefresh}
}

// eventually polls cond for up to 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Rotation the way providers do it: the new key is published, tokens signed
// with it arrive (unknown kid: one refresh), the old key is withdrawn, and
// the old key keeps working until the verifier actually fetches that.
func TestJWKSRotation(t *testing.T) {
	k := theKeys()
	tok1 := mint("RS256", k.rsa, "k1", baseClaims())
	tok2 := mint("ES256", k.p256, "k2", baseClaims())
	tok3 := mint("ES384", k.p384, "k3", baseClaims())
	srv := newJWKSServer(t, jwks(jwk(k.rsa, "k1", "")))
	v := newV(t, WithJWKSURL(srv.URL, srv.opts(30*time.Millisecond, time.Hour, nil)))
	if _, err := v.Verify(ctx, tok1); err != nil {
		t.Fatal(err)
	}
	srv.serve(200, jwks(jwk(k.rsa, "k1", ""), jwk(k.p256, "k2", "")), "")
	time.Sleep(40 * time.Millisecond) // past the rate limit counted from New's fetch
	if _, err := v.Verify(ctx, tok2); err != nil {
		t.Fatalf("new key after unknown-kid refresh: %v", err)
	}
	if n := srv.fetches.Load(); n != 2 {
		t.Fatalf("%d fetches, want 2", n)
	}

	srv.serve(200, jwks(jwk(k.p256, "k2", ""), jwk(k.p384, "k3", "")), "")
	if _, err := v.Verify(ctx, tok1); err != nil {
		t.Fatalf("old key withdrawn upstream but not yet fetched: %v", err)
	}
	time.Sleep(40 * time.Millisecond)
	if _, err := v.Verify(ctx, tok3); err != nil {
		t.Fatalf("k3: %v", err)
	}
	if _, err := v.Verify(ctx, tok1); !errors.Is(err, ErrUnknownKID) {
		t.Fatalf("k1 after withdrawal: %v", err)
	}
	if _, err := v.Verify(ctx, tok2); err != nil {
		t.Fatal(err)
	}
}

// Unknown kids refresh at most once per MinRefresh, and concurrent requests
// share one fetch.
func TestJWKSUnknownKIDRateLimit(t *testing.T) {
	k := theKeys()
	unknown := mint("RS256", k.rsa, "nope", baseClaims())
	srv := newJWKSServer(t, jwks(jwk(k.rsa, "k1", "")))

	slow := newV(t, WithJWKSURL(srv.URL, srv.opts(time.Hour, time.Hour, nil)))
	for range 100 {
		if _, err := slow.Verify(ctx, unknown); !errors.Is(err, ErrUnknownKID) {
			t.Fatal(err)
		}
	}
	if n := srv.fetches.Load(); n != 2 {
		t.Fatalf("%d fetches within the rate limit, want 2 (New's, which spends no budget, then one)", n)
	}

	// MinRefresh well above the fetch time, so that a goroutine starting late
	// on a loaded machine still falls inside the rate limit.
	fast := newV(t, WithJWKSURL(srv.URL, srv.opts(400*time.Millisecond, time.Hour, nil)))
	srv.setDelay(100 * time.Millisecond)
	time.Sleep(410 * time.Millisecond)
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := fast.Verify(ctx, unknown); !errors.Is(err, ErrUnknownKID) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := srv.fetches.Load(); n != 4 {
		t.Fatalf("%d fetches, want 4 (the 2 above, New, one shared refresh)", n)
	}

	// A caller whose context ends stops waiting; the fetch itself goes on.
	srv.setDelay(2 * time.Second)
	time.Sleep(410 * time.Millisecond)
	c, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := fast.Verify(c, unknown); !errors.Is(err, ErrUnknownKID) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want ErrUnknownKID and context.DeadlineExceeded: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("waited %v past the context", d)
	}
	srv.setDelay(0)
}

// Failing and garbage refreshes keep the last good keys; a good document
// afterwards is picked up by the background refresh.
func TestJWKSFailuresKeepLastGoodKeys(t *testing.T) {
	k := theKeys()
	tok1 := mint("RS256", k.rsa, "k1", baseClaims())
	tok2 := mint("EdDSA", k.ed, "k2", baseClaims())
	srv := newJWKSServer(t, jwks(jwk(k.rsa, "k1", "")))
	srv.serve(200, jwks(jwk(k.rsa, "k1", "")), "max-age=0")
	errs := make(chan error, 1000)
	v := newV(t, WithJWKSURL(srv.URL, srv.opts(10*time.Millisecond, time.Hour, func(err error) { errs <- err })))

	// Verifications run throughout; none may fail.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := v.Verify(ctx, tok1); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}

	waitFor := func(what string, match func(error) bool) {
		t.Helper()
		timeout := time.After(5 * time.Second)
		for {
			select {
			case err := <-errs:
				if match(err) {
					return
				}
			case <-timeout:
				t.Fatalf("no refresh with %s", what)
			}
		}
	}
	srv.serve(503, []byte("busy"), "")
	waitFor("HTTP 503", func(err error) bool { var s errHTTPStatus; return errors.As(err, &s) && s == 503 })
	srv.serve(200, []byte("<html>not json</html>"), "")
	waitFor("garbage", func(err error) bool { return errors.Is(err, ErrKeyMalformed) })
	srv.serve(200, []byte(`{"keys":[]}`), "")
	waitFor("an empty key set", func(err error) bool { return errors.Is(err, ErrNoKeys) })
	srv.serve(200, jwks(jwk(k.rsa, "k1", ""), jwk(k.ed, "k2", "")), "max-age=0")
	waitFor("success", func(err error) bool { return err == nil })
	close(stop)
	wg.Wait()
	if _, err := v.Verify(ctx, tok2); err != nil {
		t.Fatal(err)
	}
}

// Background refreshes follow Cache-Control max-age within the bounds.
func TestJWKSBackgroundSchedule(t *testing.T) {
	k := theKeys()
	doc := jwks(jwk(k.rsa, "k1", ""))

	cached := newJWKSServer(t, doc)
	cached.serve(200, doc, "public, max-age=3600")
	newV(t, WithJWKSURL(cached.URL, cached.opts(time.Millisecond, time.Hour, nil)))

	fresh := newJWKSServer(t, doc)
	fresh.serve(200, doc, "no-cache")
	newV(t, WithJWKSURL(fresh.URL, fresh.opts(20*time.Millisecond, time.Hour, nil)))

	noHeader := newJWKSServer(t, doc)
	newV(t, WithJWKSURL(noHeader.URL, noHeader.opts(time.Millisecond, 25*time.Millisecond, nil)))

	time.Sleep(300 * time.Millisecond)
	if n := cached.fetches.Load(); n != 1 {
		t.Errorf("max-age=3600: %d fetches, want 1", n)
	}
	if n := fresh.fetches.Load(); n < 4 || n > 18 {
		t.Errorf("no-cache with MinRefresh 20ms: %d fetches in 300ms", n)
	}
	if n := noHeader.fetches.Load(); n < 4 || n > 13 {
		t.Errorf("no max-age with MaxRefresh 25ms: %d fetches in 300ms", n)
	}
}

func TestRefreshAfter(t *testing.T) {
	r := &remoteJWKS{opts: JWKSOptions{MinRefresh: time.Minute, MaxRefresh: time.Hour}}
	for _, tc := range []struct {
		headers []string
		want    time.Duration
	}{
		{nil, time.Hour},
		{[]string{"max-age=600"}, 10 * time.Minute},
		{[]string{"public, max-age=600, must-revalidate"}, 10 * time.Minute},
		{[]string{"Max-Age=\"120\""}, 2 * time.Minute},
		{[]string{"max-age=5"}, time.Minute},
		{[]string{"max-age=86400"}, time.Hour},
		{[]string{"max-age=99999999999999999999"}, time.Hour},
		{[]string{"max-age=-3"}, time.Hour},
		{[]string{"no-store"}, time.Minute},
		{[]string{"public", "max-age=300"}, 5 * time.Minute},
	} {
		if got := r.refreshAfter(tc.headers); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.headers, got, tc.want)
		}
	}
}

func TestJWKSNewFailsAndCloseIsPrompt(t *testing.T) {
	k := theKeys()
	srv := newJWKSServer(t, []byte("nope"))
	srv.serve(404, []byte("not found"), "")
	_, err := New(WithJWKSURL(srv.URL, srv.opts(time.Minute, time.Hour, nil)))
	var ce *ConfigError
	var hs errHTTPStatus
	if !errors.As(err, &ce) || ce.Op != "WithJWKSURL" || !errors.As(err, &hs) || hs != 404 {
		t.Fatalf("New with a 404 JWKS: %v", err)
	}
	srv.serve(200, []byte("[]"), "")
	if _, err := New(WithJWKSURL(srv.URL, srv.opts(time.Minute, time.Hour, nil))); !errors.Is(err, ErrKeyMalformed) {
		t.Fatalf("New with garbage JWKS: %v", err)
	}

	// Close while a background fetch hangs: the fetch is cancelled.
	srv.serve(200, jwks(jwk(k.rsa, "k1", "")), "max-age=0")
	v, err := New(WithJWKSURL(srv.URL, srv.opts(10*time.Millisecond, time.Hour, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv.setDelay(10 * time.Second)
	before := srv.fetches.Load()
	eventually(t, "a hanging fetch", func() bool { return srv.fetches.Load() > before })
	start := time.Now()
	v.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Close took %v", d)
	}
	srv.setDelay(0)
	after := srv.fetches.Load()
	time.Sleep(50 * time.Millisecond)
	if n := srv.fetches.Load(); n != after {
		t.Fatalf("fetches after Close: %d -> %d", after, n)
	}
}

// A JWKS URL combines with static keys: refreshes keep them.
func TestJWKSWithStaticKeys(t *testing.T) {
	k := theKeys()
	srv := newJWKSServer(t, jwks(jwk(k.rsa, "k1", "")))
	v := newV(t, WithHMAC(k.hs256, "HS256", "internal"), WithJWKSURL(srv.URL, srv.opts(10*time.Millisecond, time.Hour, nil)))
	srv.serve(200, jwks(jwk(k.p256, "k2", "")), "")
	time.Sleep(20 * time.Millisecond)
	if _, err := v.Verify(ctx, mint("ES256", k.p256, "k2", baseClaims())); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, mint("HS256", k.hs256, "internal", baseClaims())); err != nil {
		t.Fatalf("static key after refresh: %v", err)
	}
}

// A Verifier dropped without Close still stops its refresher and frees the
// C verifier once collected.
func TestForgottenVerifierIsCleanedUp(t *testing.T) {
	k := theKeys()
	srv := newJWKSServer(t, jwks(jwk(k.rsa, "k1", "")))
	srv.serve(200, jwks(jwk(k.rsa, "k1", "")), "no-store")
	// A closed verifier's goroutines have signalled they are done but may
	// not have returned yet: give them a moment.
	if left := waitNoPackageGoroutines(5 * time.Second); left != "" {
		t.Fatalf("refreshers running before the test:\n%s", left)
	}
	func() {
		v, err := New(WithJWKSURL(srv.URL, srv.opts(5*time.Millisecond, time.Hour, nil)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Verify(ctx, mint("RS256", k.rsa, "k1", with(baseClaims(), "exp", time.Now().Unix()+60))); err != nil {
			t.Fatal(err)
		}
		if len(packageGoroutines()) == 0 {
			t.Fatal("the leak check does not see the refresher")
		}
	}()
	if leaked := waitNoPackageGoroutines(5 * time.Second); leaked != "" {
		t.Fatal(leaked)
	}
	// A request sent just before the stop may still reach a busy server:
	// let it land before counting.
	time.Sleep(30 * time.Millisecond)
	n := srv.fetches.Load()
	time.Sleep(30 * time.Millisecond)
	if srv.fetches.Load() != n {
		t.Fatal("still fetching")
	}
}
