package verifier

import (
	"errors"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// x509Data is core/tests/data/x509/: X.509 maps in Firebase's form and
// RS256/ES256 tokens, made by `cryptography` and PyJWT
// (scripts/gen_x509_fixtures.py).
const x509Data = "../core/tests/data/x509/"

func x509File(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(x509Data + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func x509Token(t *testing.T, kid string) string {
	return strings.TrimSpace(string(x509File(t, "token_"+kid+".jwt")))
}

// Firebase's key URL: each certificate's key under its kid, rotation
// through the unknown-kid refresh, and Cache-Control max-age honoured as
// for a JWKS.
func TestX509URLHappyPathAndRotation(t *testing.T) {
	srv := newJWKSServer(t, x509File(t, "map.json"))
	srv.serve(200, x509File(t, "map.json"), "public, max-age=19000, must-revalidate, no-transform")
	var reports []LoadReport
	var mu sync.Mutex
	opts := srv.opts(30*time.Millisecond, time.Hour, nil)
	opts.OnLoad = func(r LoadReport) { mu.Lock(); reports = append(reports, r); mu.Unlock() }
	v := newV(t, Firebase("x509-test"), WithX509URL(srv.URL, opts))
	if _, err := v.Verify(ctx, x509Token(t, "a")); err != nil {
		t.Fatalf("kid a: %v", err)
	}
	if r := v.LoadReport(); r.Added != 2 || r.Skipped != 0 {
		t.Fatalf("load report %+v", r)
	}
	// max-age=19000 is past MaxRefresh: the refresher waits MaxRefresh.
	v.remote.(*remoteJWKS).mu.Lock()
	delay := v.remote.(*remoteJWKS).delay
	v.remote.(*remoteJWKS).mu.Unlock()
	if delay != time.Hour {
		t.Fatalf("refresh delay %v, want MaxRefresh", delay)
	}
	_, err := v.Verify(ctx, x509Token(t, "c"))
	if !errors.Is(err, ErrUnknownKID) {
		t.Fatalf("kid c before rotation: %v", err)
	}
	// Rotation: b stays, c arrives, a goes.
	srv.serve(200, x509File(t, "map_rotated.json"), "max-age=0")
	time.Sleep(40 * time.Millisecond)
	if _, err := v.Verify(ctx, x509Token(t, "c")); err != nil {
		t.Fatalf("kid c after rotation: %v", err)
	}
	if _, err := v.Verify(ctx, x509Token(t, "a")); !errors.Is(err, ErrUnknownKID) {
		t.Fatalf("kid a after rotation: %v", err)
	}
	// max-age=0 is floored at MinRefresh: the map keeps being refetched.
	n := srv.fetches.Load()
	eventually(t, "refreshes at MinRefresh", func() bool { return srv.fetches.Load() >= n+2 })
	mu.Lock()
	defer mu.Unlock()
	if len(reports) < 2 || reports[1].Added != 2 {
		t.Fatalf("OnLoad reports %+v", reports)
	}
}

// Over https, from a named host as Google serves it (discovery_test.go's
// tlsNet), with the caller's client.
func TestX509URLOverTLS(t *testing.T) {
	n := newTLSNet(t, map[string]http.Handler{"keys.test": newDocs("/robot/v1/metadata/x509/securetoken", x509File(t, "map.json"))})
	v := newV(t, Firebase("x509-test"), WithX509URL("https://keys.test/robot/v1/metadata/x509/securetoken", JWKSOptions{Client: n.client}))
	if _, err := v.Verify(ctx, x509Token(t, "b")); err != nil {
		t.Fatal(err)
	}
	if n.hit("keys.test/robot/v1/metadata/x509/securetoken") != 1 {
		t.Fatalf("hits %v", n.hits)
	}
}

// A certificate's validity dates are not checked (Firebase: use the key of
// the kid's certificate).
func TestX509URLExpiredCertificateKeyUsed(t *testing.T) {
	srv := newJWKSServer(t, x509File(t, "map_expired.json"))
	v := newV(t, Firebase("x509-test"), WithX509URL(srv.URL, srv.opts(time.Hour, time.Hour, nil)))
	if _, err := v.Verify(ctx, x509Token(t, "a")); err != nil {
		t.Fatal(err)
	}
}

// Every malformed map fails New with its own error, and a malformed map on
// refresh keeps the last good keys.
func TestX509URLMalformed(t *testing.T) {
	for _, c := range []struct {
		file string
		want error
	}{
		{"map_malformed.json", ErrCertificateMalformed},
		{"map_public_key.json", ErrCertificateMalformed},
		{"map_ed25519.json", ErrKeyUnsupported},
		{"map_duplicate.json", ErrDuplicateKID},
		{"map_too_many.json", ErrTooManyKeys},
	} {
		srv := newJWKSServer(t, x509File(t, c.file))
		_, err := New(Firebase("x509-test"), WithX509URL(srv.URL, srv.opts(time.Hour, time.Hour, nil)))
		var ce *ConfigError
		if !errors.Is(err, c.want) || !errors.As(err, &ce) || ce.Op != "WithX509URL" {
			t.Errorf("%s: %v, want %v", c.file, err, c.want)
		}
	}
	for _, doc := range []string{`{}`, `[]`, `{"a": 1}`} {
		srv := newJWKSServer(t, []byte(doc))
		_, err := New(Firebase("x509-test"), WithX509URL(srv.URL, srv.opts(time.Hour, time.Hour, nil)))
		if !errors.Is(err, ErrNoKeys) && !errors.Is(err, ErrKeyMalformed) {
			t.Errorf("%s: %v", doc, err)
		}
	}
	// On refresh: refused, reported, and the last good keys stay.
	srv := newJWKSServer(t, x509File(t, "map.json"))
	refreshed := make(chan error, 4)
	v := newV(t, Firebase("x509-test"), WithX509URL(srv.URL, srv.opts(20*time.Millisecond, time.Hour, func(err error) { refreshed <- err })))
	srv.serve(200, x509File(t, "map_duplicate.json"), "")
	time.Sleep(30 * time.Millisecond)
	if _, err := v.Verify(ctx, x509Token(t, "c")); !errors.Is(err, ErrUnknownKID) {
		t.Fatalf("kid c: %v", err)
	}
	if err := <-refreshed; !errors.Is(err, ErrDuplicateKID) {
		t.Fatalf("refresh: %v", err)
	}
	if _, err := v.Verify(ctx, x509Token(t, "a")); err != nil {
		t.Fatalf("the last good keys: %v", err)
	}
}

// One fetched source per verifier; the URL rules are WithJWKSURL's.
func TestX509URLConfig(t *testing.T) {
	if _, err := New(WithX509URL("http://10.0.0.1/x509", JWKSOptions{})); !errors.Is(err, ErrInsecureURL) {
		t.Errorf("http: %v", err)
	}
	_, err := New(WithJWKSURL("https://a.example/jwks", JWKSOptions{}), WithX509URL("https://a.example/x509", JWKSOptions{}))
	if !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("two sources: %v", err)
	}
}
