package verifier

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A key published just after start-up is fetched for the first token that
// names it: New's fetch does not spend the unknown-kid budget. Later unknown
// kids within MinRefresh do not fetch.
func TestJWKSNewKIDRightAfterStart(t *testing.T) {
	k := theKeys()
	srv := newJWKSServer(t, jwks(jwk(k.rsa, "k1", "")))
	v := newV(t, WithJWKSURL(srv.URL, srv.opts(time.Hour, time.Hour, nil)))
	srv.serve(200, jwks(jwk(k.rsa, "k1", ""), jwk(k.p256, "k2", "")), "")
	if _, err := v.Verify(ctx, mint("ES256", k.p256, "k2", baseClaims())); err != nil {
		t.Fatalf("a kid published right after start-up: %v", err)
	}
	if _, err := v.Verify(ctx, mint("ES256", k.p256, "k3", baseClaims())); !errors.Is(err, ErrUnknownKID) {
		t.Fatal(err)
	}
	if n := srv.fetches.Load(); n != 2 {
		t.Fatalf("%d fetches, want 2 (New's, then one for k2; none for k3 within MinRefresh)", n)
	}
}

// An unchanged document costs a 304: with an ETag, and with only a
// Last-Modified date. A changed document (new ETag) is fetched and installed.
func TestJWKSConditionalRequests(t *testing.T) {
	k := theKeys()
	tok1 := mint("RS256", k.rsa, "k1", baseClaims())
	tok2 := mint("ES256", k.p256, "k2", baseClaims())
	for _, validators := range [][2]string{{`"v1"`, ""}, {"", "Mon, 01 Dec 2025 10:00:00 GMT"}} {
		t.Run(fmt.Sprintf("etag=%q last-modified=%q", validators[0], validators[1]), func(t *testing.T) {
			srv := newJWKSServer(t, jwks(jwk(k.rsa, "k1", "")))
			srv.validators(validators[0], validators[1])
			var refreshes atomic.Int32
			v := newV(t, WithJWKSURL(srv.URL, srv.opts(5*time.Millisecond, 5*time.Millisecond, func(err error) {
				if err != nil {
					t.Error(err)
				}
				refreshes.Add(1)
			})))
			eventually(t, "three 304s", func() bool { return srv.notModified.Load() >= 3 })
			if _, err := v.Verify(ctx, tok1); err != nil {
				t.Fatalf("keys kept through 304s: %v", err)
			}
			if full := srv.fetches.Load() - srv.notModified.Load(); full != 1 {
				t.Fatalf("%d full fetches, want 1 (New's)", full)
			}
			// A new document with new validators is fetched and installed.
			srv.serve(200, jwks(jwk(k.p256, "k2", "")), "")
			srv.validators(validators[0]+"2", validators[1]+"2")
			eventually(t, "the new keys", func() bool { _, err := v.Verify(ctx, tok2); return err == nil })
			if _, err := v.Verify(ctx, tok1); !errors.Is(err, ErrUnknownKID) {
				t.Fatalf("withdrawn key: %v", err)
			}
			// ... and is then itself answered with 304s.
			before := srv.notModified.Load()
			eventually(t, "304s for the new document", func() bool { return srv.notModified.Load() >= before+2 })
			if _, err := v.Verify(ctx, tok2); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Lazy: a JWKS outage at boot neither blocks nor fails New; verifications
// fail with ErrKeysUnavailable (a deadline is reported as one) until the
// keys come, then pass. Middleware answers 503 meanwhile.
func TestJWKSLazyStart(t *testing.T) {
	k := theKeys()
	tok := mint("RS256", k.rsa, "k1", baseClaims())
	srv := newJWKSServer(t, nil)
	srv.serve(503, []byte("down"), "")
	opts := srv.opts(50*time.Millisecond, time.Hour, nil)
	opts.Lazy = true
	start := time.Now()
	v := newV(t, WithJWKSURL(srv.URL, opts), WithIssuer("https://issuer.example.com"))
	if d := time.Since(start); d > time.Second {
		t.Fatalf("New took %v with Lazy", d)
	}
	eventually(t, "the first fetch", func() bool { return srv.fetches.Load() >= 1 })
	eventually(t, "the first failure reported", func() bool {
		_, err := v.Verify(ctx, tok)
		var hs errHTTPStatus
		return errors.Is(err, ErrKeysUnavailable) && errors.As(err, &hs) && hs == 503
	})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	v.Middleware(http.NotFoundHandler()).ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("Middleware without keys: %d", rec.Code)
	}

	// The provider is slow now: a caller's deadline ends the wait.
	srv.setDelay(3 * time.Second)
	srv.serve(200, jwks(jwk(k.rsa, "k1", "")), "")
	// (Polled: the 1 s retry may have started before the provider slowed down.)
	eventually(t, "a wait cut short by the deadline", func() bool {
		c, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
		defer cancel()
		_, err := v.Verify(c, tok)
		return errors.Is(err, context.DeadlineExceeded) && errors.Is(err, ErrKeysUnavailable)
	})
	// The slow answer arrives: the waiting caller gets its verdict.
	c2, cancel2 := context.WithTimeout(ctx, 5*time.Second)
	defer cancel2()
	if _, err := v.Verify(c2, tok); err != nil {
		t.Fatalf("after the keys came: %v", err)
	}
	srv.setDelay(0)
}

// Lazy with a policy error still fails in New; lazy with pinned keys
// verifies with them at once and adds the fetched ones when they come.
func TestJWKSLazyChecksAndPinnedKeys(t *testing.T) {
	k := theKeys()
	srv := newJWKSServer(t, jwks(jwk(k.p256, "k2", "")))
	opts := srv.opts(time.Hour, time.Hour, nil)
	opts.Lazy = true
	if _, err := New(WithJWKSURL(srv.URL, opts), WithAudience("")); !errors.Is(err, ErrInvalidPolicy) {
		t.Fatalf("empty audience with Lazy: %v", err)
	}
	if _, err := New(WithJWKSURL(srv.URL, opts), Logto("https://tenant.logto.app/oidc", "")); !errors.Is(err, ErrPolicyNeedsAudience) {
		t.Fatalf("Logto without audience with Lazy: %v", err)
	}
	v := newV(t, WithHMAC(k.hs256, "HS256", "internal"), WithJWKSURL(srv.URL, opts))
	if _, err := v.Verify(ctx, mint("HS256", k.hs256, "internal", baseClaims())); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, mint("ES256", k.p256, "k2", baseClaims())); err != nil {
		t.Fatalf("fetched key: %v", err)
	}
}

// A provider's JWKS of realistic size (rotations overlap, several algorithms)
// loads whole, and its last key verifies.
func TestJWKSManyKeys(t *testing.T) {
	const n = 24
	if MaxKeys != 32 {
		t.Fatalf("MaxKeys = %d, want the C library's 32", MaxKeys)
	}
	k := theKeys()
	var keys []map[string]any
	for i := range n - 1 {
		keys = append(keys, jwk(k.rsa2, fmt.Sprint("old-", i), "RS256"))
	}
	keys = append(keys, jwk(k.p256, "current", "ES256"))
	srv := newJWKSServer(t, jwks(keys...))
	v := newV(t, WithJWKSURL(srv.URL, srv.opts(time.Hour, time.Hour, nil)))
	if _, err := v.Verify(ctx, mint("ES256", k.p256, "current", baseClaims())); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, mint("RS256", k.rsa2, "old-0", baseClaims())); err != nil {
		t.Fatal(err)
	}
}

// Presets refuse, in Go, a missing issuer, audience or (Clerk) authorized
// party, with the sentinel the C library uses for the same refusal.
func TestPresetsRefuseMissingIssuerOrAudience(t *testing.T) {
	k := theKeys()
	keys := WithJWKS(jwks(jwk(k.rsa, "k1", ""), jwk(k.p384, "k2", "")))
	const app, api, iss = "https://app.example.com", "https://api.example.com", "https://issuer.example.com"
	for _, tc := range []struct {
		preset Option
		op     string
		want   error
		detail string
	}{
		{Clerk(""), "Clerk", ErrPolicyNeedsIssuer, "issuer is empty"},
		{Clerk("", app), "Clerk", ErrPolicyNeedsIssuer, "issuer is empty"},
		{Clerk(iss), "Clerk", ErrPolicyNeedsAuthorizedParty, "no authorized party"},
		{Clerk(iss, ""), "Clerk", ErrPolicyNeedsAuthorizedParty, "no authorized party"},
		{Logto(iss, ""), "Logto", ErrPolicyNeedsAudience, "audience is empty"},
		{Logto("", api), "Logto", ErrPolicyNeedsIssuer, "issuer is empty"},
		{Logto("", ""), "Logto", ErrPolicyNeedsIssuer, "issuer is empty"},
		{IDToken(iss), "IDToken", ErrPolicyNeedsAudience, "no client id"},
		{IDToken(iss, ""), "IDToken", ErrPolicyNeedsAudience, "no client id"},
		{IDToken("", "app"), "IDToken", ErrPolicyNeedsIssuer, "issuer is empty"},
		{AccessToken(iss, ""), "AccessToken", ErrPolicyNeedsAudience, "audience is empty"},
		{AccessToken("", api), "AccessToken", ErrPolicyNeedsIssuer, "issuer is empty"},
	} {
		_, err := New(keys, tc.preset)
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Op != tc.op || !errors.Is(err, tc.want) || !strings.HasPrefix(ce.Detail, tc.detail) {
			t.Errorf("%s: got %v", tc.op, err)
		}
	}
	// WithIssuer does not stand in for the preset's issuer argument: the preset names it.
	if _, err := New(keys, Clerk("", app), WithIssuer("https://clerk.example.com")); !errors.Is(err, ErrPolicyNeedsIssuer) {
		t.Errorf("Clerk(\"\") with WithIssuer: %v", err)
	}
	// WithAuthorizedParty does stand in for Clerk's origins.
	if _, err := New(keys, Clerk(iss), WithAuthorizedParty(app)); err != nil {
		t.Errorf("Clerk with WithAuthorizedParty: %v", err)
	}
}

// Several JWKS URLs, each bound to its issuer, in one verifier: a token is
// verified only with its own issuer's keys.
func TestIssuerJWKSURL(t *testing.T) {
	k := theKeys()
	const issA, issB = "https://a.logto.app/oidc", "https://b.logto.app/oidc"
	srvA := newJWKSServer(t, jwks(jwk(k.p384, "ka", "")))
	srvB := newJWKSServer(t, jwks(jwk(k.rsa, "kb", "")))
	v := newV(t,
		WithIssuerJWKSURL(issA, srvA.URL, srvA.opts(time.Hour, time.Hour, nil)),
		WithIssuerJWKSURL(issB, srvB.URL, srvB.opts(time.Hour, time.Hour, nil)),
		WithAudience("https://api.example.com"),
	)
	claims := func(iss string) map[string]any { return with(baseClaims(), "iss", iss) }
	rawIss := func(members string) string {
		return mintRaw("RS256", k.rsa, []byte(`{"alg":"RS256","kid":"kb"}`),
			[]byte(`{"sub":"u","aud":"https://api.example.com","exp":4102444800,`+members+`}`))
	}
	for _, tc := range []struct {
		name  string
		token string
		want  error
	}{
		{"A's token, A's key", mint("ES384", k.p384, "ka", claims(issA)), nil},
		{"B's token, B's key", mint("RS256", k.rsa, "kb", claims(issB)), nil},
		{"B's key claiming A", mint("RS256", k.rsa, "kb", claims(issA)), ErrUnknownKID},
		{"B's key claiming A, A's kid", mint("RS256", k.rsa, "ka", claims(issA)), ErrAlgNotAllowedForKey},
		{"unknown issuer", mint("RS256", k.rsa, "kb", claims("https://evil.example.com")), ErrUnknownIssuer},
		{"no issuer", mint("RS256", k.rsa, "kb", with(baseClaims(), "iss", nil)), ErrMissingIssuer},
		{"issuer not a string", mint("RS256", k.rsa, "kb", with(baseClaims(), "iss", 7)), ErrClaimWrongType},
		{"garbage", "a.b", ErrMalformedToken},
		{"too large", string(make([]byte, MaxTokenLen+1)), ErrTokenTooLarge},
		// "iss" is read as the library reads it: by its exact name, once.
		// encoding/json would route by "ISS" (case-insensitive, last wins).
		{"ISS after iss", rawIss(`"iss":"https://evil.example.com","ISS":"` + issB + `"`), ErrUnknownIssuer},
		{"iss twice", rawIss(`"iss":"https://evil.example.com","iss":"` + issB + `"`), ErrJSONDuplicateMember},
	} {
		c, err := v.Verify(ctx, tc.token)
		if tc.want == nil {
			if err != nil || c.Issuer == "" {
				t.Errorf("%s: %v", tc.name, err)
			}
		} else if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := v.VerifyAuthorization(ctx, "Bearer "+mint("RS256", k.rsa, "kb", claims(issB))); err != nil {
		t.Error(err)
	}
	if _, err := v.VerifyAuthorization(ctx, "Basic x"); !errors.Is(err, ErrMissingBearer) {
		t.Error(err)
	}
	// Both issuers' documents count in the report.
	if r := v.LoadReport(); r != (LoadReport{Added: 2}) {
		t.Errorf("LoadReport = %+v", r)
	}
	if err := v.SetJWKS(jwks(jwk(k.rsa, "kb", ""))); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("SetJWKS on issuer-bound keys: %v", err)
	}

	// Combinations that would let keys serve every issuer are refused.
	url := WithIssuerJWKSURL(issA, srvA.URL, srvA.opts(time.Hour, time.Hour, nil))
	for name, other := range map[string]Option{
		"WithJWKS":    WithJWKS(jwks(jwk(k.rsa, "kb", ""))),
		"WithJWKSURL": WithJWKSURL(srvB.URL, JWKSOptions{}),
		"WithIssuer":  WithIssuer(issB),
		"Logto(iss)":  Logto(issB, "https://api.example.com"),
	} {
		if _, err := New(url, other); !errors.Is(err, ErrInvalidPolicy) {
			t.Errorf("with %s: %v", name, err)
		}
	}
	if _, err := New(url, url); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("issuer twice: %v", err)
	}
	// A preset takes its issuers from the bound URLs.
	logto := newV(t, url, Logto("", "https://api.example.com"))
	at := mintRaw("ES384", k.p384, jsonBytes(map[string]any{"alg": "ES384", "typ": "at+jwt", "kid": "ka"}), jsonBytes(with(claims(issA), "client_id", "app", "jti", "j1")))
	if _, err := logto.Verify(ctx, at); err != nil {
		t.Errorf("Logto with bound URLs: %v", err)
	}
	// One URL failing at start-up fails New and names the issuer.
	srvB.serve(500, nil, "")
	_, err := New(url, WithIssuerJWKSURL(issB, srvB.URL, srvB.opts(time.Hour, time.Hour, nil)))
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Op != "WithIssuerJWKSURL" || ce.Detail != "issuer "+issB+": JWKS fetch: HTTP status 500" {
		t.Errorf("a failing URL: %v", err)
	}
}
