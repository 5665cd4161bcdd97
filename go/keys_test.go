package verifier

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// Each key verifies one algorithm family (RFC 8725 3.1): an RSA key without
// "alg" serves RS* only unless widened, an HMAC secret without alg HS256 only.
func TestKeyServesOneFamily(t *testing.T) {
	k := theKeys()
	ps := mint("PS256", k.rsa, "", baseClaims())
	rs := mint("RS256", k.rsa, "", baseClaims())
	for name, src := range map[string]Option{
		"jwks": WithJWKS(jwks(jwk(k.rsa, "", ""))),
		"jwk":  WithJWK(jsonBytes(jwk(k.rsa, "", ""))),
		"pem":  WithPEM(pemOf(k.rsa), ""),
	} {
		v := newV(t, src)
		if _, err := v.Verify(ctx, rs); err != nil {
			t.Errorf("%s: RS256: %v", name, err)
		}
		if _, err := v.Verify(ctx, ps); !errors.Is(err, ErrAlgNotAllowedForKey) {
			t.Errorf("%s: PS256 without KeyRSAPSS: %v", name, err)
		}
	}
	// JWKSOptions.RSAPSS widens a fetched document the same way.
	srv := newJWKSServer(t, jwks(jwk(k.rsa, "", "")))
	opts := srv.opts(time.Hour, time.Hour, nil)
	narrow := newV(t, WithJWKSURL(srv.URL, opts))
	if _, err := narrow.Verify(ctx, ps); !errors.Is(err, ErrAlgNotAllowedForKey) {
		t.Errorf("JWKS URL, PS256: %v", err)
	}
	opts.RSAPSS = true
	if _, err := newV(t, WithJWKSURL(srv.URL, opts)).Verify(ctx, ps); err != nil {
		t.Errorf("JWKS URL with RSAPSS, PS256: %v", err)
	}

	hs := newV(t, WithHMAC(k.hs512, "", ""))
	if _, err := hs.Verify(ctx, mint("HS256", k.hs512, "", baseClaims())); err != nil {
		t.Errorf("HMAC without alg, HS256: %v", err)
	}
	if _, err := hs.Verify(ctx, mint("HS512", k.hs512, "", baseClaims())); !errors.Is(err, ErrAlgNotAllowedForKey) {
		t.Errorf("HMAC without alg, HS512: %v", err)
	}
}

// A JWKS skips oct keys unless asked, and says so in its load report; a
// document of only such keys fails, naming why.
func TestJWKSSymmetricKeysAndLoadReport(t *testing.T) {
	k := theKeys()
	doc := jwks(jwk(k.hs256, "h", "HS256"), jwk(k.rsa, "r", ""), jwk(k.rsa1024, "small", ""),
		map[string]any{"kty": "EC", "crv": "secp256k1", "x": "AA", "y": "AA", "kid": "k1"})
	hs := mint("HS256", k.hs256, "h", baseClaims())
	v := newV(t, WithJWKS(doc))
	if _, err := v.Verify(ctx, hs); !errors.Is(err, ErrUnknownKID) {
		t.Errorf("oct key of a JWKS used without KeyAllowSymmetric: %v", err)
	}
	want := LoadReport{Added: 1, Skipped: 3, SkippedSymmetric: 1, SkippedRSASize: 1, SkippedUnsupported: 1}
	if got := v.LoadReport(); got != want {
		t.Errorf("LoadReport = %+v, want %+v", got, want)
	}
	if s := v.LoadReport().String(); s != "1 keys added, 3 skipped (1 unsupported, 1 symmetric, 1 RSA size)" {
		t.Errorf("String() = %q", s)
	}
	if _, err := newV(t, WithJWKS(doc, KeyAllowSymmetric())).Verify(ctx, hs); err != nil {
		t.Errorf("with KeyAllowSymmetric: %v", err)
	}
	_, err := New(WithJWKS(jwks(jwk(k.hs256, "h", ""))))
	var ce *ConfigError
	if !errors.Is(err, ErrNoKeys) || !errors.As(err, &ce) || !strings.Contains(ce.Detail, "symmetric_key_in_jwks") {
		t.Errorf("only oct keys: %v", err)
	}
	for _, o := range []Option{WithPEM(pemOf(k.rsa), "", KeyAllowSymmetric()), WithJWKS(doc, KeyAnyKID())} {
		if _, err := New(o); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("a key option that does not apply: %v", err)
		}
	}

	// A JWKS URL reports each installed document to OnLoad, and the
	// verifier's report follows the keys.
	srv := newJWKSServer(t, doc)
	var mu sync.Mutex
	var loads []LoadReport
	opts := srv.opts(time.Hour, time.Hour, nil)
	opts.OnLoad = func(r LoadReport) { mu.Lock(); loads = append(loads, r); mu.Unlock() }
	u := newV(t, WithJWKSURL(srv.URL, opts), WithJWKS(jwks(jwk(k.p256, "e", ""))))
	if got := u.LoadReport(); got.Added != 2 || got.Skipped != 3 {
		t.Errorf("URL + pinned: %+v", got)
	}
	srv.serve(200, jwks(jwk(k.rsa, "r", ""), jwk(k.rsa2, "r2", "")), "")
	if _, err := u.Verify(ctx, mint("RS256", k.rsa2, "r2", baseClaims())); err != nil {
		t.Fatal(err)
	}
	// OnLoad runs on the fetching goroutine after the keys are installed,
	// so the verification above may return before it is called.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		n := len(loads)
		mu.Unlock()
		if n >= 2 {
			break
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(loads) != 2 || loads[0] != want || loads[1] != (LoadReport{Added: 2}) {
		t.Errorf("OnLoad heard %+v", loads)
	}
	if got := u.LoadReport(); got != (LoadReport{Added: 3}) {
		t.Errorf("after the refresh: %+v", got)
	}
}

// Keys bound to an issuer verify only that issuer's tokens: a partner's
// HMAC secret pinned beside Clerk's keys cannot mint Clerk sessions.
func TestKeyIssuerBinding(t *testing.T) {
	k := theKeys()
	const clerk, partner = "https://clerk.example.com", "https://partner.example.com"
	v := newV(t,
		WithJWKS(jwks(jwk(k.rsa, "clerk-1", "")), KeyIssuer(clerk)),
		WithHMAC(k.hs256, "HS256", "partner", KeyIssuer(partner)),
		WithPEM(pemOf(k.p256), "pem", KeyIssuer(partner)),
		WithJWK(jsonBytes(jwk(k.ed, "ed", "")), KeyIssuer(partner)),
		WithIssuer(clerk, partner),
	)
	for _, tc := range []struct {
		name  string
		token string
		want  error
	}{
		{"clerk key, clerk iss", mint("RS256", k.rsa, "clerk-1", with(baseClaims(), "iss", clerk)), nil},
		{"partner secret, partner iss", mint("HS256", k.hs256, "partner", with(baseClaims(), "iss", partner)), nil},
		{"partner secret, clerk iss", mint("HS256", k.hs256, "partner", with(baseClaims(), "iss", clerk)), ErrKeyIssuerMismatch},
		{"partner PEM, clerk iss", mint("ES256", k.p256, "pem", with(baseClaims(), "iss", clerk)), ErrKeyIssuerMismatch},
		{"partner JWK, clerk iss", mint("EdDSA", k.ed, "ed", with(baseClaims(), "iss", clerk)), ErrKeyIssuerMismatch},
		{"clerk key, partner iss", mint("RS256", k.rsa, "clerk-1", with(baseClaims(), "iss", partner)), ErrKeyIssuerMismatch},
		{"clerk key, no iss", mint("RS256", k.rsa, "clerk-1", with(baseClaims(), "iss", nil)), ErrKeyIssuerMismatch},
	} {
		_, err := v.Verify(ctx, tc.token)
		if (tc.want == nil && err != nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	// SetJWKS takes the same options.
	if err := v.SetJWKS(jwks(jwk(k.rsa, "clerk-1", "")), KeyIssuer(partner)); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, mint("RS256", k.rsa, "clerk-1", with(baseClaims(), "iss", clerk))); !errors.Is(err, ErrKeyIssuerMismatch) {
		t.Errorf("after SetJWKS bound to the partner: %v", err)
	}
}

// A kid-less PEM key answers an unknown kid only where the caller says so:
// KeyAnyKID, or Clerk's networkless PEM verification; never beside a JWKS,
// where an unknown kid must stay ErrUnknownKID (the refresh signal).
func TestPEMWithoutKIDAndUnknownKIDs(t *testing.T) {
	k := theKeys()
	read := func(p string) []byte { return bytes.TrimSpace(must(os.ReadFile("../examples/" + p))) }
	clerkTok := string(read("tokens/clerk.jwt")) // carries a kid
	clerk := Clerk("https://clerk.example.com", "https://app.example.com")
	pem := read("keys/clerk.pem")
	if _, err := newV(t, WithPEM(pem, ""), clerk).Verify(ctx, clerkTok); err != nil {
		t.Errorf("Clerk PEM: %v", err)
	}
	if _, err := newV(t, WithPEM(pem, "")).Verify(ctx, clerkTok); !errors.Is(err, ErrUnknownKID) {
		t.Errorf("PEM without Clerk: %v", err)
	}
	if _, err := newV(t, WithPEM(pem, "", KeyAnyKID())).Verify(ctx, clerkTok); err != nil {
		t.Errorf("PEM with KeyAnyKID: %v", err)
	}
	other := WithJWKS(jwks(jwk(k.rsa2, "other", "")))
	if _, err := newV(t, WithPEM(pem, ""), other, clerk).Verify(ctx, clerkTok); !errors.Is(err, ErrUnknownKID) {
		t.Errorf("Clerk PEM beside a JWKS: %v", err)
	}
	if _, err := newV(t, WithPEM(pem, "", KeyAnyKID()), other, clerk).Verify(ctx, clerkTok); err != nil {
		t.Errorf("Clerk PEM beside a JWKS with KeyAnyKID: %v", err)
	}
	// A kid-less pinned key does not hide a rotation from a JWKS URL.
	srv := newJWKSServer(t, jwks(jwk(k.rsa2, "old", "")))
	v := newV(t, WithHMAC(k.hs256, "HS256", ""), WithJWKSURL(srv.URL, srv.opts(time.Millisecond, time.Hour, nil)))
	srv.serve(200, jwks(jwk(k.rsa, "new", "")), "")
	if _, err := v.Verify(ctx, mint("RS256", k.rsa, "new", baseClaims())); err != nil {
		t.Errorf("new kid after rotation, kid-less secret pinned: %v", err)
	}
}

// The ID-token and access-token presets accept what their specs describe
// and refuse the other kind of token.
func TestIDAndAccessTokenPresets(t *testing.T) {
	k := theKeys()
	const iss, client, api = "https://issuer.example.com", "client-1", "https://api.example.com"
	keys := WithJWKS(jwks(jwk(k.p256, "e", "")))
	header := func(typ string) []byte {
		h := map[string]any{"alg": "ES256", "kid": "e"}
		if typ != "" {
			h["typ"] = typ
		}
		return jsonBytes(h)
	}
	tok := func(typ string, claims map[string]any) string {
		return mintRaw("ES256", k.p256, header(typ), jsonBytes(claims))
	}
	id := newV(t, keys, IDToken(iss, client))
	// with changes its map: each case starts from a fresh one.
	idClaims := func() map[string]any { return with(baseClaims(), "iss", iss, "aud", client) }
	for _, tc := range []struct {
		name  string
		token string
		want  error
	}{
		{"ID token", tok("JWT", idClaims()), nil},
		{"ID token, no typ", tok("", idClaims()), nil},
		{"two audiences with azp", tok("", with(idClaims(), "aud", []string{client, "other"}, "azp", client)), nil},
		{"two audiences, azp another client", tok("", with(idClaims(), "aud", []string{client, "other"}, "azp", "other")), ErrWrongAuthorizedParty},
		{"access token", tok("at+jwt", idClaims()), ErrAccessTokenAsIDToken},
		{"another client's", tok("", with(idClaims(), "aud", "other")), ErrWrongAudience},
		{"HS256 (asymmetric only)", mint("HS256", k.hs256, "", idClaims()), ErrAlgNotAllowedByPolicy},
	} {
		if _, err := id.Verify(ctx, tc.token); (tc.want == nil && err != nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("IDToken, %s: got %v, want %v", tc.name, err, tc.want)
		}
	}

	at := newV(t, keys, AccessToken(iss, api, "m2m"))
	atClaims := func() map[string]any {
		return with(baseClaims(), "iss", iss, "aud", api, "client_id", "m2m", "jti", "j1")
	}
	for _, tc := range []struct {
		name  string
		token string
		want  error
	}{
		{"access token", tok("at+jwt", atClaims()), nil},
		{"typ JWT", tok("JWT", atClaims()), ErrWrongTyp},
		{"no jti", tok("at+jwt", with(atClaims(), "jti", nil)), ErrMissingJTI},
		{"no client_id", tok("at+jwt", with(atClaims(), "client_id", nil)), ErrMissingClientID},
		{"no iat", tok("at+jwt", with(atClaims(), "iat", nil)), ErrMissingIssuedAt},
		{"another client", tok("at+jwt", with(atClaims(), "client_id", "web")), ErrWrongClientID},
		{"another API", tok("at+jwt", with(atClaims(), "aud", "https://other.example.com")), ErrWrongAudience},
	} {
		if _, err := at.Verify(ctx, tc.token); (tc.want == nil && err != nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("AccessToken, %s: got %v, want %v", tc.name, err, tc.want)
		}
	}
}
