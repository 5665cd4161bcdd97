// Package golayer measures the Go package on the same tokens, keys and
// policy as the Rust `layers` group (core, C ABI), with golang-jwt beside
// it, so that layers.sh can print the three layers in one table.
//
//	bash benches/layers.sh    (builds libverifier.a, runs this with -cpu 1)
package golayer

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	verifier "github.com/libverifier/libverifier/go"
)

const (
	clerkIss = "https://clerk.example.com"
	clerkAzp = "https://app.example.com"
)

type key struct {
	Kid  string `json:"kid"`
	JWKS string `json:"jwks"`
	PEM  string `json:"pem"`
}

type tokenCase struct {
	Group string `json:"group"`
	Alg   string `json:"alg"`
	Key   string `json:"key"`
	Shape string `json:"shape"`
	Token string `json:"token"`
}

// layerCases are the Clerk-shaped RS256-2048 and ES256 tokens of
// benches/data/cases.json (LAYERS_CASES overrides the path), the ones the
// Rust `layers` group verifies.
func layerCases(tb testing.TB) ([]tokenCase, map[string]key) {
	path := os.Getenv("LAYERS_CASES")
	if path == "" {
		path = "../data/cases.json"
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var doc struct {
		Keys   map[string]key `json:"keys"`
		Tokens []tokenCase    `json:"tokens"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		tb.Fatal(err)
	}
	var out []tokenCase
	for _, t := range doc.Tokens {
		if t.Shape == "clerk" && (t.Group == "RS256-2048" || t.Group == "ES256") {
			out = append(out, t)
		}
	}
	if len(out) != 2 {
		tb.Fatalf("want the RS256-2048 and ES256 Clerk tokens, found %d", len(out))
	}
	return out, doc.Keys
}

// goPackage is the Go package as a Clerk user sets it up from the JWKS (the
// preset is RS256 only: the ES256 case adds its algorithm, as the Rust
// layers do).
func goPackage(tb testing.TB, c tokenCase, k key) func(string) bool {
	v, err := verifier.New(
		verifier.WithJWKS([]byte(k.JWKS)),
		verifier.Clerk(clerkIss, clerkAzp),
		verifier.WithAlgorithms(c.Alg),
	)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { v.Close() })
	ctx := context.Background()
	return func(token string) bool {
		claims, err := v.Verify(ctx, token)
		return err == nil && claims.Subject != ""
	}
}

type clerkClaims struct {
	jwt.RegisteredClaims
	Azp string `json:"azp"`
	Sid string `json:"sid"`
}

// golangJWT is golang-jwt v5 with the key parsed once from the PEM and the
// Clerk checks it has (issuer, exp, leeway 5 s) plus azp by hand.
func golangJWT(tb testing.TB, c tokenCase, k key) func(string) bool {
	var public any
	var err error
	if c.Alg == "RS256" {
		public, err = jwt.ParseRSAPublicKeyFromPEM([]byte(k.PEM))
	} else {
		public, err = jwt.ParseECPublicKeyFromPEM([]byte(k.PEM))
	}
	if err != nil {
		tb.Fatal(err)
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{c.Alg}),
		jwt.WithIssuer(clerkIss),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(5*time.Second),
	)
	kf := func(*jwt.Token) (any, error) { return public, nil }
	return func(token string) bool {
		var claims clerkClaims
		if _, err := parser.ParseWithClaims(token, &claims, kf); err != nil {
			return false
		}
		return (claims.Azp == "" || claims.Azp == clerkAzp) && claims.Subject != ""
	}
}

// Both set-ups must accept the tokens, or the timings compare nothing.
func TestLayersAgree(t *testing.T) {
	cases, keys := layerCases(t)
	for _, c := range cases {
		if !goPackage(t, c, keys[c.Key])(c.Token) {
			t.Errorf("%s: the Go package refused the token", c.Group)
		}
		if !golangJWT(t, c, keys[c.Key])(c.Token) {
			t.Errorf("%s: golang-jwt refused the token", c.Group)
		}
	}
}

func BenchmarkLayers(b *testing.B) {
	cases, keys := layerCases(b)
	for _, c := range cases {
		for _, impl := range []struct {
			name string
			make func(testing.TB, tokenCase, key) func(string) bool
		}{{"go-package", goPackage}, {"golang-jwt", golangJWT}} {
			b.Run(c.Group+"/"+impl.name, func(b *testing.B) {
				verify := impl.make(b, c, keys[c.Key])
				b.ReportAllocs()
				for b.Loop() {
					if !verify(c.Token) {
						b.Fatal("refused")
					}
				}
			})
		}
	}
}
