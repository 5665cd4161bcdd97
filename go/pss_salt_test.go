package verifier

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"testing"
)

// mintAutoSalt signs PS256 with Go's rsa.PSSSaltLengthAuto: the maximum salt,
// as older golang-jwt did (issue 24).
func mintAutoSalt(key *rsa.PrivateKey, kid string, claims map[string]any) string {
	h := jsonBytes(map[string]any{"alg": "PS256", "typ": "JWT", "kid": kid})
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(jsonBytes(claims))
	d := digest(hashFor("PS256"), []byte(input))
	sig := must(rsa.SignPSS(rand.Reader, key, hashFor("PS256"), d, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}))
	return input + "." + b64.EncodeToString(sig)
}

// A maximum-salt PS256 token is ErrPSSSaltLength by default and verifies
// with KeyPSSAnySalt, on a JWKS, a JWK and a PEM key; a JWKS skips an RSA
// key with e = 2^32 + 1 and counts it.
func TestPSSAnySaltAndRSAExponent(t *testing.T) {
	k := theKeys()
	ctx := context.Background()
	tok := mintAutoSalt(k.rsa, "r", baseClaims())
	for name, src := range map[string]func(...KeyOption) Option{
		"jwks": func(o ...KeyOption) Option { return WithJWKS(jwks(jwk(k.rsa, "r", "")), o...) },
		"jwk":  func(o ...KeyOption) Option { return WithJWK(jsonBytes(jwk(k.rsa, "r", "")), o...) },
		"pem":  func(o ...KeyOption) Option { return WithPEM(pemOf(k.rsa), "r", o...) },
	} {
		v := newV(t, src(KeyRSAPSS()))
		if _, err := v.Verify(ctx, tok); !errors.Is(err, ErrPSSSaltLength) {
			t.Errorf("%s: want ErrPSSSaltLength, got %v", name, err)
		}
		v = newV(t, src(KeyRSAPSS(), KeyPSSAnySalt()))
		if _, err := v.Verify(ctx, tok); err != nil {
			t.Errorf("%s with KeyPSSAnySalt: %v", name, err)
		}
	}
	bigE := with(jwk(k.rsa2, "big", ""), "e", "AQAAAAE")
	v := newV(t, WithJWKS(jwks(jwk(k.rsa, "r", ""), bigE)))
	r := v.LoadReport()
	if r.Added != 1 || r.Skipped != 1 || r.SkippedRSAExponent != 1 || r.SkippedOther != 0 {
		t.Errorf("load report %+v", r)
	}
	if s := r.String(); s != "1 keys added, 1 skipped (1 RSA exponent)" {
		t.Errorf("load report %q", s)
	}
}
