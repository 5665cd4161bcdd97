package verifier

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// tlsNet is a small internet for discovery tests: named https hosts
// (issuer.test, keys.test, other.test), each an httptest TLS server with a
// certificate for its name, reached through one client that trusts it.
type tlsNet struct {
	client *http.Client
	mu     sync.Mutex
	hits   map[string]int // requests per host and path, "keys.test/jwks.json"
}

var tlsNetCert = sync.OnceValue(func() tls.Certificate {
	key := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "discovery test"},
		DNSNames:              []string{"issuer.test", "keys.test", "other.test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der := must(x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key))
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
})

// newTLSNet serves each host's handler over TLS.
func newTLSNet(t *testing.T, hosts map[string]http.Handler) *tlsNet {
	t.Helper()
	n := &tlsNet{hits: map[string]int{}}
	cert := tlsNetCert()
	roots := x509.NewCertPool()
	roots.AddCert(must(x509.ParseCertificate(cert.Certificate[0])))
	addrs := map[string]string{}
	for host, h := range hosts {
		host, h := host, h
		s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.mu.Lock()
			n.hits[host+r.URL.Path]++
			n.mu.Unlock()
			h.ServeHTTP(w, r)
		}))
		s.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		s.StartTLS()
		t.Cleanup(s.Close)
		addrs[host+":443"] = s.Listener.Addr().String()
	}
	dialer := &net.Dialer{Timeout: 2 * time.Second}
	n.client = &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			a, ok := addrs[addr]
			if !ok {
				return nil, errors.New("tlsNet: no host " + addr)
			}
			return dialer.DialContext(ctx, network, a)
		},
	}}
	t.Cleanup(n.client.CloseIdleConnections)
	return n
}

func (n *tlsNet) hit(hostPath string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.hits[hostPath]
}

// docHandler serves a changeable body at each path, 404 elsewhere.
type docHandler struct {
	mu    sync.Mutex
	paths map[string][]byte
}

func newDocs(kv ...any) *docHandler {
	d := &docHandler{paths: map[string][]byte{}}
	for i := 0; i+1 < len(kv); i += 2 {
		d.set(kv[i].(string), kv[i+1])
	}
	return d
}

// set serves body (a string or []byte; nil: 404) at path.
func (d *docHandler) set(path string, body any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch b := body.(type) {
	case nil:
		delete(d.paths, path)
	case string:
		d.paths[path] = []byte(b)
	case []byte:
		d.paths[path] = b
	}
}

func (d *docHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	body, ok := d.paths[r.URL.Path]
	d.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

const (
	testIssuer  = "https://issuer.test"
	discoveryAt = "/.well-known/openid-configuration"
)

func discoveryDoc(issuer, jwksURI string) []byte {
	return jsonBytes(map[string]any{"issuer": issuer, "jwks_uri": jwksURI, "id_token_signing_alg_values_supported": []string{"RS256"}})
}

// The issuer's document names a jwks_uri on another host (as Google's
// does); its keys verify the issuer's tokens, bound to that issuer.
func TestDiscoveryHappyPath(t *testing.T) {
	k := theKeys()
	for _, configured := range []string{testIssuer, testIssuer + "/"} {
		issuerDocs := newDocs(discoveryAt, discoveryDoc(configured, "https://keys.test/oauth2/v3/certs"))
		keyDocs := newDocs("/oauth2/v3/certs", jwks(jwk(k.rsa, "k1", "")))
		n := newTLSNet(t, map[string]http.Handler{"issuer.test": issuerDocs, "keys.test": keyDocs})
		v := newV(t, WithIssuerDiscovery(configured, JWKSOptions{Client: n.client, MinRefresh: time.Hour}))
		if _, err := v.Verify(ctx, mint("RS256", k.rsa, "k1", with(baseClaims(), "iss", configured))); err != nil {
			t.Fatalf("%s: %v", configured, err)
		}
		// The keys serve one issuer (a tenant): another's token reaches none.
		_, err := v.Verify(ctx, mint("RS256", k.rsa, "k1", baseClaims()))
		if !errors.Is(err, ErrUnknownIssuer) {
			t.Fatalf("%s: another issuer's token: %v", configured, err)
		}
		if n.hit("issuer.test"+discoveryAt) != 1 || n.hit("keys.test/oauth2/v3/certs") != 1 {
			t.Fatalf("%s: hits %v", configured, n.hits)
		}
	}
}

// Discovery is re-done only after a failed fetch: a provider that moves its
// jwks_uri (the old one now 404) is followed at the next fetch, and a fetch
// that succeeds does not ask the issuer again.
func TestDiscoveryAfterFailedFetch(t *testing.T) {
	k := theKeys()
	issuerDocs := newDocs(discoveryAt, discoveryDoc(testIssuer, "https://keys.test/v1"))
	keyDocs := newDocs("/v1", jwks(jwk(k.rsa, "k1", "")))
	n := newTLSNet(t, map[string]http.Handler{"issuer.test": issuerDocs, "keys.test": keyDocs})
	var refreshErrs []error
	var mu sync.Mutex
	onRefresh := func(err error) { mu.Lock(); refreshErrs = append(refreshErrs, err); mu.Unlock() }
	v := newV(t, WithIssuerDiscovery(testIssuer, JWKSOptions{Client: n.client, MinRefresh: 30 * time.Millisecond, OnRefresh: onRefresh}))
	tok2 := mint("ES256", k.p256, "k2", with(baseClaims(), "iss", testIssuer))

	// An unknown kid: one refresh, same jwks_uri, no discovery.
	time.Sleep(40 * time.Millisecond)
	if _, err := v.Verify(ctx, tok2); !errors.Is(err, ErrUnknownKID) {
		t.Fatalf("unknown kid: %v", err)
	}
	if d, j := n.hit("issuer.test"+discoveryAt), n.hit("keys.test/v1"); d != 1 || j != 2 {
		t.Fatalf("after a good refresh: %d discoveries, %d JWKS fetches; want 1, 2", d, j)
	}
	// The provider moves its keys.
	keyDocs.set("/v1", nil)
	keyDocs.set("/v2", jwks(jwk(k.rsa, "k1", ""), jwk(k.p256, "k2", "")))
	issuerDocs.set(discoveryAt, discoveryDoc(testIssuer, "https://keys.test/v2"))
	time.Sleep(40 * time.Millisecond)
	_, err := v.Verify(ctx, tok2)
	var ue *UnknownKIDError
	if !errors.As(err, &ue) || ue.FetchErr == nil || !strings.Contains(ue.FetchErr.Error(), "404") {
		t.Fatalf("old jwks_uri gone: %v", err)
	}
	if d := n.hit("issuer.test" + discoveryAt); d != 1 {
		t.Fatalf("%d discoveries before the failed fetch's retry, want 1", d)
	}
	// The retry after the failure (on the refresher, MinRefresh later)
	// discovers first, and finds the new jwks_uri.
	eventually(t, "re-discovery", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(refreshErrs) >= 3
	})
	if d, j := n.hit("issuer.test"+discoveryAt), n.hit("keys.test/v2"); d != 2 || j != 1 {
		t.Fatalf("re-discovery: %d discoveries, %d fetches of the new jwks_uri; want 2, 1", d, j)
	}
	if _, err := v.Verify(ctx, tok2); err != nil {
		t.Fatalf("after re-discovery: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(refreshErrs) < 3 || refreshErrs[1] == nil || refreshErrs[2] != nil {
		t.Fatalf("refreshes: %v", refreshErrs)
	}
}

// discoveryNew is New's error for an issuer served by h, and the network
// (keys.test and other.test serve keys, counting their hits).
func discoveryNew(t *testing.T, h http.Handler, opts JWKSOptions) (error, *tlsNet) {
	t.Helper()
	k := theKeys()
	keyDocs := newDocs("/jwks.json", jwks(jwk(k.rsa, "k1", "")))
	n := newTLSNet(t, map[string]http.Handler{"issuer.test": h, "keys.test": keyDocs, "other.test": keyDocs})
	opts.Client = n.client
	v, err := New(WithIssuerDiscovery(testIssuer, opts))
	if err == nil {
		v.Close()
		t.Fatal("New succeeded")
	}
	return err, n
}

// Every way a discovery document can be wrong fails New with its own error,
// and no key is fetched from what it names.
func TestDiscoveryRefusals(t *testing.T) {
	big := discoveryDoc(testIssuer, "https://keys.test/jwks.json")
	big = append(big[:len(big)-1], []byte(`,"pad":"`+strings.Repeat("x", 4096)+`"}`)...)
	cases := []struct {
		name string
		h    http.Handler
		opts JWKSOptions
		want []error
		text string
	}{
		{"issuer mismatch", newDocs(discoveryAt, discoveryDoc("https://other.test", "https://keys.test/jwks.json")), JWKSOptions{}, []error{ErrDiscovery, ErrIssuerMismatch}, "https://other.test"},
		{"issuer differs by a slash", newDocs(discoveryAt, discoveryDoc(testIssuer+"/", "https://keys.test/jwks.json")), JWKSOptions{}, []error{ErrIssuerMismatch}, ""},
		{"issuer missing", newDocs(discoveryAt, `{"jwks_uri":"https://keys.test/jwks.json"}`), JWKSOptions{}, []error{ErrIssuerMismatch}, ""},
		{"issuer in another case of the name", newDocs(discoveryAt, `{"ISSUER":"https://issuer.test","jwks_uri":"https://keys.test/jwks.json"}`), JWKSOptions{}, []error{ErrIssuerMismatch}, ""},
		{"jwks_uri missing", newDocs(discoveryAt, `{"issuer":"https://issuer.test"}`), JWKSOptions{}, []error{ErrDiscovery, ErrNoJWKSURI}, ""},
		{"jwks_uri not a string", newDocs(discoveryAt, `{"issuer":"https://issuer.test","jwks_uri":7}`), JWKSOptions{}, []error{ErrNoJWKSURI}, ""},
		{"jwks_uri http", newDocs(discoveryAt, discoveryDoc(testIssuer, "http://keys.test/jwks.json")), JWKSOptions{}, []error{ErrDiscovery, ErrInsecureURL}, "plain http"},
		{"jwks_uri http on loopback from an https issuer", newDocs(discoveryAt, discoveryDoc(testIssuer, "http://127.0.0.1:9/jwks.json")), JWKSOptions{}, []error{ErrDiscovery, ErrInsecureURL}, "named by https issuer"},
		{"jwks_uri with credentials", newDocs(discoveryAt, discoveryDoc(testIssuer, "https://u:p@keys.test/jwks.json")), JWKSOptions{}, []error{ErrInsecureURL}, "credentials"},
		{"not an object", newDocs(discoveryAt, `["https://keys.test/jwks.json"]`), JWKSOptions{}, []error{ErrDiscovery}, "not a JSON object"},
		{"no document", newDocs(), JWKSOptions{}, []error{ErrDiscovery}, "404"},
		{"document too large", newDocs(discoveryAt, big), JWKSOptions{MaxBytes: 2048}, []error{ErrDiscovery}, "larger than MaxBytes"},
		{"redirect to another host", http.RedirectHandler("https://other.test"+discoveryAt, http.StatusFound), JWKSOptions{}, []error{ErrDiscovery}, "another host"},
	}
	for _, c := range cases {
		err, n := discoveryNew(t, c.h, c.opts)
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Op != "WithIssuerDiscovery" {
			t.Errorf("%s: not a WithIssuerDiscovery ConfigError: %v", c.name, err)
		}
		var de *DiscoveryError
		if !errors.As(err, &de) || de.Issuer != testIssuer {
			t.Errorf("%s: not a DiscoveryError: %v", c.name, err)
		}
		for _, want := range c.want {
			if !errors.Is(err, want) {
				t.Errorf("%s: %v is not %v", c.name, err, want)
			}
		}
		if !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s: %q does not say %q", c.name, err, c.text)
		}
		if got := n.hit("keys.test/jwks.json") + n.hit("other.test/jwks.json") + n.hit("other.test"+discoveryAt); got != 0 {
			t.Errorf("%s: %d requests to what the document names", c.name, got)
		}
	}
}

// The jwks_uri may be on another host, but its own redirects may not cross
// hosts: the keys the other host serves are never fetched.
func TestDiscoveryJWKSRedirectToAnotherHostRefused(t *testing.T) {
	k := theKeys()
	issuerDocs := newDocs(discoveryAt, discoveryDoc(testIssuer, "https://keys.test/jwks.json"))
	other := newDocs("/jwks.json", jwks(jwk(k.rsa, "k1", "")))
	n := newTLSNet(t, map[string]http.Handler{
		"issuer.test": issuerDocs,
		"keys.test":   http.RedirectHandler("https://other.test/jwks.json", http.StatusFound),
		"other.test":  other,
	})
	_, err := New(WithIssuerDiscovery(testIssuer, JWKSOptions{Client: n.client}))
	if err == nil || !strings.Contains(err.Error(), "another host") || errors.Is(err, ErrDiscovery) {
		t.Fatalf("New: %v", err)
	}
	if n.hit("other.test/jwks.json") != 0 {
		t.Fatal("the other host was asked")
	}
}

// What WithIssuerDiscovery accepts as an issuer, and that it combines with
// other issuer-bound sources but not an issuer given twice.
func TestDiscoveryConfig(t *testing.T) {
	for _, bad := range []string{"", "http://issuer.test", "https://issuer.test?x=1", "https://issuer.test#f", "https://u@issuer.test"} {
		if _, err := New(WithIssuerDiscovery(bad, JWKSOptions{})); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("issuer %q: %v", bad, err)
		}
	}
	// Keys bind issuers of at most 128 bytes: a longer one is refused here,
	// not at every fetch.
	if _, err := New(WithIssuerDiscovery("https://issuer.test/"+strings.Repeat("x", 120), JWKSOptions{})); !errors.Is(err, ErrKeyIssuerInvalid) {
		t.Errorf("issuer over 128 bytes: %v", err)
	}
	_, err := New(WithIssuerDiscovery(testIssuer, JWKSOptions{}), WithIssuerJWKSURL(testIssuer, "https://keys.test/jwks.json", JWKSOptions{}))
	if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("issuer twice: %v", err)
	}
	// Beside another tenant: each issuer's tokens pass with its own keys.
	k := theKeys()
	issuerDocs := newDocs(discoveryAt, discoveryDoc(testIssuer, "https://keys.test/jwks.json"))
	keyDocs := newDocs("/jwks.json", jwks(jwk(k.rsa, "k1", "")), "/b.json", jwks(jwk(k.p256, "k2", "")))
	n := newTLSNet(t, map[string]http.Handler{"issuer.test": issuerDocs, "keys.test": keyDocs})
	v := newV(t,
		WithIssuerDiscovery(testIssuer, JWKSOptions{Client: n.client}),
		WithIssuerJWKSURL("https://b.example", "https://keys.test/b.json", JWKSOptions{Client: n.client}))
	if _, err := v.Verify(ctx, mint("RS256", k.rsa, "k1", with(baseClaims(), "iss", testIssuer))); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, mint("ES256", k.p256, "k2", with(baseClaims(), "iss", "https://b.example"))); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, mint("ES256", k.p256, "k2", with(baseClaims(), "iss", testIssuer))); !errors.Is(err, ErrUnknownKID) {
		t.Fatalf("b's key for the discovered issuer: %v", err)
	}
}

// Lazy: New returns at once; discovery and the JWKS fetch happen on the
// refresher, and requests wait for them (or fail with ErrKeysUnavailable).
func TestDiscoveryLazy(t *testing.T) {
	k := theKeys()
	issuerDocs := newDocs(discoveryAt, discoveryDoc(testIssuer, "https://keys.test/jwks.json"))
	keyDocs := newDocs("/jwks.json", jwks(jwk(k.rsa, "k1", "")))
	n := newTLSNet(t, map[string]http.Handler{"issuer.test": issuerDocs, "keys.test": keyDocs})
	v := newV(t, WithIssuerDiscovery(testIssuer, JWKSOptions{Client: n.client, Lazy: true}))
	if _, err := v.Verify(ctx, mint("RS256", k.rsa, "k1", with(baseClaims(), "iss", testIssuer))); err != nil {
		t.Fatal(err)
	}
}
