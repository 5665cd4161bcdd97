package verifier

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A provider cannot make the refresh schedule overflow: with any MaxRefresh,
// however large, a huge max-age means MaxRefresh, not a negative delay
// (which was then clamped to MinRefresh: a fetch every MinRefresh).
func TestRefreshAfterNoOverflow(t *testing.T) {
	for _, tc := range []struct {
		max     time.Duration
		headers []string
		want    time.Duration
	}{
		{math.MaxInt64, []string{"max-age=9999999999"}, math.MaxInt64},
		{math.MaxInt64, []string{"max-age=9223372037"}, math.MaxInt64},
		{math.MaxInt64, []string{"max-age=9223372036854775807"}, math.MaxInt64},
		{math.MaxInt64, []string{"max-age=600"}, 10 * time.Minute},
		{1500 * time.Millisecond, []string{"max-age=1"}, time.Second},
		{1500 * time.Millisecond, []string{"max-age=2"}, 1500 * time.Millisecond},
	} {
		r := &remoteJWKS{opts: JWKSOptions{MinRefresh: time.Millisecond, MaxRefresh: tc.max}}
		if got := r.refreshAfter(tc.headers); got != tc.want {
			t.Errorf("MaxRefresh %v, %q: %v, want %v", tc.max, tc.headers, got, tc.want)
		}
	}
}

// An ETag or Last-Modified too long to be a real one is neither kept nor
// sent back (a caller's client accepts 10 MB of headers).
func TestJWKSHugeValidatorNotKept(t *testing.T) {
	k := theKeys()
	doc := jwks(jwk(k.rsa, "k1", ""))
	huge := `"` + strings.Repeat("e", 8<<10) + `"`
	var longest atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		longest.Store(max(longest.Load(), int32(len(r.Header.Get("If-None-Match"))+len(r.Header.Get("If-Modified-Since")))))
		w.Header().Set("ETag", huge)
		w.Header().Set("Last-Modified", strings.Repeat("Mon, 01 Dec 2025 10:00:00 GMT", 100))
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(doc)
	}))
	defer srv.Close()
	var refreshes atomic.Int32
	newV(t, WithJWKSURL(srv.URL, JWKSOptions{Client: srv.Client(), MinRefresh: 5 * time.Millisecond, OnRefresh: func(error) { refreshes.Add(1) }}))
	eventually(t, "two refreshes", func() bool { return refreshes.Load() >= 2 })
	if n := longest.Load(); n != 0 {
		t.Fatalf("validators of %d bytes sent back", n)
	}
	// A normal one still is.
	etag := `"v1"`
	var sent atomic.Value
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Store(r.Header.Get("If-None-Match"))
		w.Header().Set("ETag", etag)
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(doc)
	}))
	defer srv2.Close()
	newV(t, WithJWKSURL(srv2.URL, JWKSOptions{Client: srv2.Client(), MinRefresh: 5 * time.Millisecond}))
	eventually(t, "a conditional refresh", func() bool { s, _ := sent.Load().(string); return s == etag })
}

// With the source's own client, response headers are capped (64 KiB).
func TestJWKSHugeHeadersRefused(t *testing.T) {
	k := theKeys()
	srv := serverOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := range 100 {
			w.Header().Set(fmt.Sprint("X-Pad-", i), strings.Repeat("p", 1<<10))
		}
		_, _ = w.Write(jwks(jwk(k.rsa, "k1", "")))
	}))
	if _, err := New(WithJWKSURL(srv.URL, JWKSOptions{})); err == nil || !strings.Contains(err.Error(), "header") {
		t.Fatalf("100 KiB of headers: %v", err)
	}
}

// A document over MaxBytes is refused, also when it arrives compressed (the
// cap is on the decompressed bytes).
func TestJWKSBodyCap(t *testing.T) {
	k := theKeys()
	doc := jwks(jwk(k.rsa, "k1", ""))
	padded := append(bytes.Repeat([]byte(" "), 4<<20), doc...) // valid JSON, 4 MiB
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(padded)
	_ = zw.Close()
	srv := serverOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/plain":
			_, _ = w.Write(padded)
		case "/gzip":
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(gz.Bytes())
		default:
			_, _ = w.Write(doc)
		}
	}))
	if gz.Len() > 64<<10 {
		t.Fatalf("the compressed body is %d bytes", gz.Len())
	}
	for _, path := range []string{"/plain", "/gzip"} {
		if _, err := New(WithJWKSURL(srv.URL+path, JWKSOptions{})); err == nil || !strings.Contains(err.Error(), "larger than MaxBytes") {
			t.Errorf("%s: %v", path, err)
		}
	}
	if _, err := New(WithJWKSURL(srv.URL+"/gzip", JWKSOptions{MaxBytes: 8 << 20})); err != nil {
		t.Errorf("under a larger MaxBytes: %v", err)
	}
	newV(t, WithJWKSURL(srv.URL+"/doc", JWKSOptions{MaxBytes: int64(len(doc))}))
}

// A provider that never answers, or answers headers and then drips the
// body a byte at a time, costs one fetch at most Timeout: with the
// source's own client and with a caller's client that has no timeout.
func TestJWKSSlowProviderBoundedByTimeout(t *testing.T) {
	k := theKeys()
	doc := jwks(jwk(k.rsa, "k1", ""))
	release := make(chan struct{})
	srv := serverOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/silent" {
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(doc)))
		w.WriteHeader(200)
		for _, b := range doc {
			_, _ = w.Write([]byte{b})
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-release:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}))
	defer close(release)
	for _, path := range []string{"/silent", "/drip"} {
		for _, client := range []*http.Client{nil, {}} {
			start := time.Now()
			_, err := New(WithJWKSURL(srv.URL+path, JWKSOptions{Client: client, Timeout: 300 * time.Millisecond}))
			if err == nil {
				t.Errorf("%s: New succeeded", path)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("%s (caller's client: %v): %v", path, client != nil, d)
			}
		}
	}
}

// Many issuers: New fetches their documents at the same time, so start-up
// takes about one fetch, not one per issuer.
func TestJWKSTenantsFetchedTogether(t *testing.T) {
	k := theKeys()
	const n = 8
	const delay = 300 * time.Millisecond
	var opts []Option
	for i := range n {
		srv := newJWKSServer(t, jwks(jwk(k.p256, fmt.Sprint("k", i), "")))
		srv.setDelay(delay)
		opts = append(opts, WithIssuerJWKSURL(fmt.Sprintf("https://t%d.example.com", i), srv.URL, srv.opts(time.Hour, time.Hour, nil)))
	}
	start := time.Now()
	v := newV(t, opts...)
	if d := time.Since(start); d > n*delay/2 {
		t.Fatalf("New with %d issuers took %v (one fetch takes %v)", n, d, delay)
	}
	tok := mint("ES256", k.p256, "k5", with(baseClaims(), "iss", "https://t5.example.com"))
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatal(err)
	}
}
