package verifier

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMain fails the run if any of the package's goroutines (JWKS
// refreshers and fetches) outlive the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if leaked := waitNoPackageGoroutines(5 * time.Second); leaked != "" {
			fmt.Fprintf(os.Stderr, "goroutines left running after the tests:\n%s\n", leaked)
			code = 1
		}
	}
	os.Exit(code)
}

var ctx = context.Background()

// Every algorithm, signed by Go's crypto, pinned three ways: JWKS, a single
// JWK with "alg", and PEM (or the raw secret for HMAC). A JWKS's HMAC keys
// need KeyAllowSymmetric, and RSA keys without "alg" need KeyRSAPSS for PS*.
func TestEveryAlgorithm(t *testing.T) {
	k := theKeys()
	for _, a := range allAlgs {
		t.Run(a.name, func(t *testing.T) {
			key := a.key(k)
			token := mint(a.name, key, "k1", baseClaims())
			var widen []KeyOption
			if a.name[0] == 'P' {
				widen = []KeyOption{KeyRSAPSS()}
			}
			sources := map[string]Option{
				"jwk": WithJWK(jsonBytes(jwk(key, "k1", a.name))),
			}
			if secret, ok := key.([]byte); ok {
				sources["jwks"] = WithJWKS(jwks(jwk(key, "k1", a.name)), KeyAllowSymmetric())
				sources["secret"] = WithHMAC(secret, a.name, "k1")
			} else {
				sources["jwk, no alg"] = WithJWK(jsonBytes(jwk(key, "k1", "")), widen...)
				sources["jwks"] = WithJWKS(jwks(jwk(key, "k1", "")), widen...)
				sources["pem"] = WithPEM(pemOf(key), "k1", widen...)
			}
			for name, src := range sources {
				v := newV(t, src)
				c, err := v.Verify(ctx, token)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if c.Algorithm != a.name || c.Subject != "user_123" {
					t.Fatalf("%s: got alg %q sub %q", name, c.Algorithm, c.Subject)
				}
			}
		})
	}
}

func TestClaimsCopiedOut(t *testing.T) {
	k := theKeys()
	claims := with(baseClaims(),
		"sid", "sess_1", "azp", "https://app.example.com", "client_id", "m2m",
		"scope", "read:a  write:b", "jti", "id-7", "aud", []string{"a", "b,c", `d"e`},
		"sub", "user_\u00e9\\\"x", "org", map[string]any{"id": "org_1", "role": "admin"},
		"n", 42)
	token := mint("ES256", k.p256, "k1", claims)
	v := newV(t, WithJWKS(jwks(jwk(k.p256, "k1", ""))))
	c, err := v.Verify(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	// Reuse the pooled buffer many times: nothing returned may change.
	other := mint("ES256", k.p256, "k1", with(baseClaims(), "sub", "someone_else", "sid", "zzzzzz"))
	for range 50 {
		if _, err := v.Verify(ctx, other); err != nil {
			t.Fatal(err)
		}
	}
	want := &Claims{
		Subject: "user_\u00e9\\\"x", Issuer: "https://issuer.example.com",
		Audience: []string{"a", "b,c", `d"e`}, SessionID: "sess_1",
		AuthorizedParty: "https://app.example.com", ClientID: "m2m",
		Scope: "read:a  write:b", Scopes: []string{"read:a", "write:b"}, ID: "id-7",
		Type: "JWT", Algorithm: "ES256",
		ExpiresAt: testNow.Add(600 * time.Second), NotBefore: testNow.Add(-10 * time.Second),
		IssuedAt: testNow.Add(-10 * time.Second),
	}
	got := *c
	got.payload = ""
	if !reflect.DeepEqual(&got, want) {
		t.Fatalf("claims\n got %+v\nwant %+v", &got, want)
	}
	if !c.HasScope("write:b") || c.HasScope("write") || !c.HasAudience("b,c") {
		t.Fatal("HasScope/HasAudience")
	}
	raw, ok := c.Claim("org")
	if !ok || string(raw) != `{"id":"org_1","role":"admin"}` {
		t.Fatalf("Claim(org) = %s %v", raw, ok)
	}
	if _, ok := c.Claim("missing"); ok {
		t.Fatal("Claim(missing) found")
	}
	var custom struct {
		Org struct{ ID, Role string }
		N   int
	}
	if err := c.Unmarshal(&custom); err != nil || custom.Org.Role != "admin" || custom.N != 42 {
		t.Fatalf("Unmarshal: %+v %v", custom, err)
	}
	var all map[string]any
	if err := json.Unmarshal(c.Raw(), &all); err != nil || all["sid"] != "sess_1" {
		t.Fatalf("Raw: %v", err)
	}
}

func TestAudienceForms(t *testing.T) {
	for raw, want := range map[string][]string{
		`"a"`:               {"a"},
		`["a","b"]`:         {"a", "b"},
		`[ "a" , "b" ]`:     {"a", "b"},
		`[]`:                {},
		`["a,b"]`:           {"a,b"},
		`["x\"y","z"]`:      {`x"y`, "z"},
		`"\u00e9"`:          {"\u00e9"},
		`["a", "b\\", "c"]`: {"a", `b\`, "c"},
	} {
		got, err := parseAudience(raw)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("parseAudience(%s) = %q, %v; want %q", raw, got, err, want)
		}
	}
	if _, err := parseAudience(`[1]`); err == nil {
		t.Error("parseAudience([1]) accepted")
	}
}

// The example tokens of the repository with the presets, as the guides use them.
func TestExampleTokensWithPresets(t *testing.T) {
	read := func(p string) []byte { return bytes.TrimSpace(must(os.ReadFile("../examples/" + p))) }
	clerk := newV(t, WithJWKS(read("keys/clerk-jwks.json")), Clerk("https://clerk.example.com", "https://app.example.com"))
	c, err := clerk.Verify(ctx, string(read("tokens/clerk.jwt")))
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject != "user_2abcDEF" || c.SessionID != "sess_2abcDEF" || c.AuthorizedParty != "https://app.example.com" || c.Algorithm != "RS256" {
		t.Fatalf("clerk claims %+v", c)
	}
	clerkPEM := newV(t, WithPEM(read("keys/clerk.pem"), ""), Clerk("https://clerk.example.com", "https://app.example.com"))
	if _, err := clerkPEM.VerifyAuthorization(ctx, " bearer \t"+string(read("tokens/clerk.jwt"))+" "); err != nil {
		t.Fatal(err)
	}
	wrongAzp := newV(t, WithJWKS(read("keys/clerk-jwks.json")), Clerk("https://clerk.example.com", "https://evil.example.com"))
	if _, err := wrongAzp.Verify(ctx, string(read("tokens/clerk.jwt"))); !errors.Is(err, ErrWrongAuthorizedParty) {
		t.Fatalf("got %v", err)
	}

	logto := newV(t, WithJWKS(read("keys/logto-jwks.json")), Logto("https://tenant.logto.app/oidc", "https://api.example.com", "m2mapp"))
	c, err = logto.Verify(ctx, string(read("tokens/logto.jwt")))
	if err != nil {
		t.Fatal(err)
	}
	if c.ClientID != "m2mapp" || c.Type != "at+jwt" || c.Algorithm != "ES384" || !c.HasAudience("https://api.example.com") {
		t.Fatalf("logto claims %+v", c)
	}
	// The Clerk preset (RS256) with only Logto's ES384 keys cannot verify anything: New says so.
	_, err = New(WithJWKS(read("keys/logto-jwks.json")), Clerk("https://clerk.example.com", "https://app.example.com"))
	if !errors.Is(err, ErrInvalidPolicy) || err.Error() != "verifier: New: algorithms: no configured key can verify any allowed algorithm" {
		t.Fatalf("got %v", err)
	}
	// The Clerk preset refuses the Logto token for its algorithm (ES384).
	mixed := newV(t, WithJWKS(read("keys/logto-jwks.json")), WithJWKS(read("keys/clerk-jwks.json")), Clerk("https://tenant.logto.app/oidc", "https://app.example.com"))
	if _, err := mixed.Verify(ctx, string(read("tokens/logto.jwt"))); !errors.Is(err, ErrAlgNotAllowedByPolicy) {
		t.Fatalf("got %v", err)
	}
	// WithAlgorithms widens a preset.
	widened := newV(t, WithJWKS(read("keys/logto-jwks.json")), Clerk("https://tenant.logto.app/oidc", "https://app.example.com"), WithAlgorithms("ES384"), WithTyp("at+jwt"))
	if _, err := widened.Verify(ctx, string(read("tokens/logto.jwt"))); err != nil {
		t.Fatalf("got %v", err)
	}
}

func TestSystemClock(t *testing.T) {
	k := theKeys()
	v, err := New(WithHMAC(k.hs256, "HS256", ""))
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	now := time.Now().Unix()
	if _, err := v.Verify(ctx, mint("HS256", k.hs256, "", with(baseClaims(), "exp", now+60, "iat", now, "nbf", now))); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, mint("HS256", k.hs256, "", baseClaims())); !errors.Is(err, ErrExpired) {
		t.Fatalf("token of %v accepted by the system clock: %v", testNow, err)
	}
}

func TestCloseIsIdempotentAndSafe(t *testing.T) {
	k := theKeys()
	v := newV(t, WithHMAC(k.hs256, "HS256", ""))
	token := mint("HS256", k.hs256, "", baseClaims())
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if _, err := v.Verify(ctx, token); err != nil && err != ErrClosed {
					t.Error(err)
					return
				}
			}
		}()
	}
	time.Sleep(time.Millisecond)
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, token); err != ErrClosed {
		t.Fatalf("after Close: %v", err)
	}
	if err := v.SetJWKS(jwks(jwk(k.hs256, "", ""))); err != ErrClosed {
		t.Fatalf("SetJWKS after Close: %v", err)
	}
}

// SetJWKS while 8 goroutines verify: every verification succeeds with
// whichever key set it started with.
func TestSetJWKSUnderLoad(t *testing.T) {
	k := theKeys()
	oldTok := mint("RS256", k.rsa, "old", baseClaims())
	newTok := mint("ES256", k.p256, "new", baseClaims())
	both := jwks(jwk(k.rsa, "old", ""), jwk(k.p256, "new", ""))
	onlyNew := jwks(jwk(k.p256, "new", ""))
	v := newV(t, WithJWKS(both))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if _, err := v.Verify(ctx, newTok); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	rotations := 0
	for running := true; running; rotations++ {
		select {
		case <-done:
			running = false
		default:
		}
		doc := both
		if rotations%2 == 0 {
			doc = onlyNew
		}
		if err := v.SetJWKS(doc); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d rotations during 800 verifications", rotations)
	if err := v.SetJWKS(onlyNew); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, oldTok); !errors.Is(err, ErrUnknownKID) {
		t.Fatalf("old key after rotation: %v", err)
	}
	// A bad document changes nothing; the error says why its key was skipped.
	var ce *ConfigError
	if err := v.SetJWKS([]byte(`{"keys":[{"kty":"RSA"}]}`)); !errors.As(err, &ce) || !errors.Is(err, ErrNoKeys) || !strings.Contains(ce.Detail, "key_malformed") {
		t.Fatalf("bad JWKS: %v", err)
	}
	if _, err := v.Verify(ctx, newTok); err != nil {
		t.Fatal(err)
	}
}

func TestOptionErrors(t *testing.T) {
	k := theKeys()
	key := WithHMAC(k.hs256, "", "")
	for _, tc := range []struct {
		opts []Option
		want error
		op   string
	}{
		{[]Option{key, WithLeeway(-time.Second)}, ErrInvalidArgument, "WithLeeway"},
		{[]Option{key, WithLeeway(1500 * time.Millisecond)}, ErrInvalidArgument, "WithLeeway"},
		{[]Option{key, WithMaxTokenLen(MaxTokenLen + 1)}, ErrInvalidArgument, "WithMaxTokenLen"},
		{[]Option{key, WithAlgorithms("RS999")}, ErrInvalidArgument, "WithAlgorithms"},
		{[]Option{key, WithIssuer("")}, ErrInvalidPolicy, "WithIssuer"},
		{[]Option{key, WithRequiredScopes("a b")}, ErrInvalidPolicy, "WithRequiredScopes"},
		{[]Option{key, WithJWKSURL("ftp://x", JWKSOptions{})}, ErrInvalidArgument, "WithJWKSURL"},
		{[]Option{WithJWKS([]byte("{}"))}, ErrKeyMalformed, "WithJWKS"},
	} {
		_, err := New(tc.opts...)
		var ce *ConfigError
		if !errors.Is(err, tc.want) || !errors.As(err, &ce) || ce.Op != tc.op {
			t.Errorf("%s: got %v (%T), want %v", tc.op, err, err, tc.want)
		}
	}
}

// What one verification allocates in Go: the Claims, one string holding
// every copied view, and the Scopes slice. Nothing per claim, nothing in C.
func TestVerifyAllocations(t *testing.T) {
	k := theKeys()
	v := newV(t, WithHMAC(k.hs256, "HS256", ""))
	token := mint("HS256", k.hs256, "", with(baseClaims(), "scope", "a b", "sid", "s", "azp", "p"))
	if n := testing.AllocsPerRun(200, func() {
		if _, err := v.Verify(ctx, token); err != nil {
			t.Fatal(err)
		}
	}); n != 4 {
		t.Errorf("%v allocations per successful Verify, want 4 (Claims, views, Audience, Scopes)", n)
	}
	// A different last signature byte (never the token itself).
	bad := token[:len(token)-2] + map[bool]string{true: "BA", false: "AA"}[strings.HasSuffix(token, "AA")]
	if n := testing.AllocsPerRun(200, func() {
		if _, err := v.Verify(ctx, bad); !errors.Is(err, ErrBadSignature) {
			t.Fatal(err)
		}
	}); n > 2 {
		t.Errorf("%v allocations per rejected token, want at most 2 (the explanation, the *Error)", n)
	}
}
