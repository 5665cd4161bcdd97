package verifier

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// refusingTransport stands in for the network: it counts the requests that
// would have been sent and sends none.
type refusingTransport struct{ calls atomic.Int32 }

func (rt *refusingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	rt.calls.Add(1)
	return nil, errors.New("test transport: no network")
}

// serverOn starts an httptest server listening on host (a loopback address).
func serverOn(t *testing.T, host string, h http.Handler) *httptest.Server {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Skipf("cannot listen on %s: %v", host, err)
	}
	s := httptest.NewUnstartedServer(h)
	s.Listener.Close()
	s.Listener = l
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// A JWKS URL is https, or plain http to a loopback host; it never carries
// credentials. The check is on the parsed host, so the userinfo forms that
// fool a prefix check are refused, and nothing is sent for a refused URL.
func TestJWKSURLRefusesInsecure(t *testing.T) {
	insecure := []string{
		"http://localhost:80@127.0.0.2:18555/jwks.json",
		"http://127.0.0.1:x@10.0.0.1/jwks.json",
		"http://localhost@10.0.0.1/jwks.json",
		"https://user:s3cret@issuer.example.com/jwks.json",
		"https://@issuer.example.com/jwks.json",
		"http://jwks.example.org/.well-known/jwks.json",
		"http://10.0.0.1/jwks.json",
		"http://[::ffff:10.0.0.1]/jwks.json",
		"http://127.0.0.1.nip.io/jwks.json",
		"http://localhost.example.org/jwks.json",
		"http://2130706433/jwks.json", // 127.0.0.1 to some resolvers, but not an address
		"http://0x7f.1/jwks.json",
		"http://[fe80::1%25lo]/jwks.json",
		"HTTP://jwks.example.org/jwks.json",
	}
	malformed := []string{"ftp://127.0.0.1/jwks.json", "jwks.json", "https:///jwks.json", "https:opaque", "http://[::1/jwks.json"}
	for _, u := range append(insecure, malformed...) {
		wantInsecure := !strings.Contains(strings.Join(malformed, " "), u)
		for _, op := range []string{"WithJWKSURL", "WithIssuerJWKSURL"} {
			rt := &refusingTransport{}
			opts := JWKSOptions{Client: &http.Client{Transport: rt}, Timeout: time.Second}
			o := WithJWKSURL(u, opts)
			if op == "WithIssuerJWKSURL" {
				o = WithIssuerJWKSURL("https://issuer.example.com", u, opts)
			}
			_, err := New(o)
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Op != op || !errors.Is(err, ErrInvalidArgument) || errors.Is(err, ErrInsecureURL) != wantInsecure {
				t.Errorf("%s(%q): %v (want insecure: %v)", op, u, err, wantInsecure)
			}
			if n := rt.calls.Load(); n != 0 {
				t.Errorf("%s(%q): %d requests sent", op, u, n)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("%s(%q): the error shows the password: %v", op, u, err)
			}
		}
	}
	// Loopback over plain http, and https anywhere, are accepted (here the
	// stand-in transport then fails the fetch).
	for _, u := range []string{
		"http://127.0.0.1:8080/jwks.json", "http://127.3.4.5/jwks.json", "http://localhost/jwks.json",
		"http://LocalHost:9/jwks.json", "http://[::1]:8080/jwks.json", "http://[::ffff:127.0.0.1]/jwks.json",
		"https://clerk.example.com/.well-known/jwks.json", "HTTPS://tenant.logto.app/oidc/jwks",
	} {
		rt := &refusingTransport{}
		_, err := New(WithJWKSURL(u, JWKSOptions{Client: &http.Client{Transport: rt}, Timeout: time.Second}))
		if err == nil || errors.Is(err, ErrInsecureURL) || errors.Is(err, ErrInvalidArgument) || rt.calls.Load() != 1 {
			t.Errorf("%q: %v, %d requests", u, err, rt.calls.Load())
		}
	}
}

// redirector answers every request with a redirect to target.
func redirector(target string, hits *atomic.Int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, target, http.StatusFound)
	})
}

// A redirect to another host is not followed, whether the source uses its
// own client or the caller's: the other host serves valid keys for the
// token, and the token must still not verify.
func TestJWKSRedirectToAnotherHostRefused(t *testing.T) {
	k := theKeys()
	tok := mint("ES256", k.p256, "k2", baseClaims())
	good := jwks(jwk(k.p256, "k2", ""))
	// The other hosts: 127.0.0.2, and "localhost" naming another server.
	other := newJWKSServer(t, good)
	otherHost := serverOn(t, "127.0.0.2", other.Config.Handler)
	_, otherPort, _ := net.SplitHostPort(other.Listener.Addr().String())
	for _, target := range []string{
		otherHost.URL + "/jwks.json",
		"http://localhost:" + otherPort + "/jwks.json",
		other.URL + "/jwks.json", // same address, another port: another server
	} {
		for _, client := range []string{"own", "caller's"} {
			var hits atomic.Int32
			from := serverOn(t, "127.0.0.1", redirector(target, &hits))
			opts := JWKSOptions{Timeout: 2 * time.Second}
			if client == "caller's" {
				opts.Client = &http.Client{}
			}
			before := other.fetches.Load()
			// At start-up: New fails.
			_, err := New(WithJWKSURL(from.URL+"/jwks.json", opts))
			if err == nil || !strings.Contains(err.Error(), "another host") {
				t.Errorf("redirect to %s, %s client: New: %v", target, client, err)
			}
			// On refresh: the token with the other host's kid stays unknown.
			ok := newJWKSServer(t, jwks(jwk(k.rsa, "k1", "")))
			var flip atomic.Bool
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if flip.Load() {
					http.Redirect(w, r, target, http.StatusTemporaryRedirect)
					return
				}
				ok.Config.Handler.ServeHTTP(w, r)
			})
			src := serverOn(t, "127.0.0.1", h)
			opts.MinRefresh = time.Hour
			v := newV(t, WithJWKSURL(src.URL+"/jwks.json", opts))
			flip.Store(true)
			_, err = v.Verify(ctx, tok)
			var ue *UnknownKIDError
			if !errors.Is(err, ErrUnknownKID) || !errors.As(err, &ue) || ue.FetchErr == nil || !strings.Contains(ue.FetchErr.Error(), "another host") {
				t.Errorf("redirect to %s, %s client: Verify: %v", target, client, err)
			}
			if n := other.fetches.Load() - before; n != 0 {
				t.Errorf("redirect to %s, %s client: the other host was asked %d times", target, client, n)
			}
		}
	}
}

// Redirects within the same host are followed (a bounded number); from
// https to http they are not, nor loops; a caller's CheckRedirect is still
// asked about the redirects the source allows.
func TestJWKSRedirectsSameHost(t *testing.T) {
	k := theKeys()
	tok := mint("ES256", k.p256, "k2", baseClaims())
	doc := jwks(jwk(k.p256, "k2", ""))
	var hits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/jwks.json", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/jwks.json", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(doc) })
	srv := serverOn(t, "127.0.0.1", mux)

	var asked atomic.Int32
	callerCheck := func(req *http.Request, via []*http.Request) error { asked.Add(1); return nil }
	v := newV(t, WithJWKSURL(srv.URL+"/old", JWKSOptions{Client: &http.Client{CheckRedirect: callerCheck}}))
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatalf("same-host redirect: %v", err)
	}
	if asked.Load() != 1 {
		t.Fatalf("the caller's CheckRedirect was asked %d times, want 1", asked.Load())
	}
	v2 := newV(t, WithJWKSURL(srv.URL+"/old", JWKSOptions{}))
	if _, err := v2.Verify(ctx, tok); err != nil {
		t.Fatalf("same-host redirect, own client: %v", err)
	}

	start := time.Now()
	_, err := New(WithJWKSURL(srv.URL+"/loop", JWKSOptions{Timeout: 5 * time.Second}))
	if err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Fatalf("redirect loop: %v", err)
	}
	if n := hits.Load(); n > maxJWKSRedirects+1 {
		t.Fatalf("redirect loop: %d requests, want at most %d", n, maxJWKSRedirects+1)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("redirect loop took %v", d)
	}

	// https -> http on the same host and port is a downgrade: refused.
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+r.Host+"/jwks.json", http.StatusFound)
	}))
	defer tlsSrv.Close()
	_, err = New(WithJWKSURL(tlsSrv.URL+"/jwks.json", JWKSOptions{Client: tlsSrv.Client()}))
	if err == nil || !strings.Contains(err.Error(), "https to http") {
		t.Fatalf("https -> http redirect: %v", err)
	}
}
