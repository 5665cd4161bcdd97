package bench

// Benchmarks of the Go module against github.com/golang-jwt/jwt/v5, with a
// fixed key and with keys from a JWKS through keyfunc/jwkset (as the Logto
// guide sets it up), on tokens of realistic size (a Clerk-like session
// token, about 800 bytes). A module of its own, so that golang-jwt and
// keyfunc never reach the go.sum of the module's users.
//
//	make go-bench   (or: go test -run '^$' -bench . -benchmem, and again
//	                 with -tags verifier_wasm for the WebAssembly backend)

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/json"
	"runtime"
	"sync"
	"testing"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
	verifier "github.com/libverifier/libverifier/go"
)

// realisticClaims is shaped like a Clerk session token with a few custom claims.
func realisticClaims() map[string]any {
	return map[string]any{
		"azp":   "https://app.example.com",
		"exp":   testNow.Unix() + 60,
		"fva":   []int{0, -1},
		"iat":   testNow.Unix() - 1,
		"iss":   "https://clerk.example.com",
		"nbf":   testNow.Unix() - 11,
		"sid":   "sess_2abcDEFghijKLMnopQRStuvWXyz",
		"sub":   "user_2abcDEFghijKLMnopQRStuvWXyz",
		"v":     2,
		"pla":   "u:free_user",
		"fea":   "u:articles,u:comments",
		"o":     map[string]any{"id": "org_2abcDEFghijKLMnopQRStuvWXyz", "rol": "admin", "slg": "acme-inc", "per": "manage,read"},
		"role":  "authenticated",
		"email": "someone.with.a.longish.name@example.com",
	}
}

type benchCase struct {
	alg    string
	key    any // private key
	public any // public key for golang-jwt
	method jwt.SigningMethod
}

func benchCases() []benchCase {
	k := theKeys()
	return []benchCase{
		{"RS256", k.rsa, &k.rsa.PublicKey, jwt.SigningMethodRS256},
		{"ES256", k.p256, &k.p256.PublicKey, jwt.SigningMethodES256},
		{"ES384", k.p384, &k.p384.PublicKey, jwt.SigningMethodES384},
		{"ES512", k.p521, &k.p521.PublicKey, jwt.SigningMethodES512},
	}
}

func BenchmarkVerify(b *testing.B) {
	for _, bc := range benchCases() {
		token := mint(bc.alg, bc.key, "key-1", realisticClaims())
		doc := jwks(jwk(bc.key, "key-1", bc.alg))
		b.Run(bc.alg+"/libverifier-"+verifier.Backend, func(b *testing.B) {
			v := newV(b, verifier.WithJWKS(doc), verifier.WithIssuer("https://clerk.example.com"), verifier.WithAuthorizedParty("https://app.example.com"), verifier.WithAlgorithms(bc.alg))
			b.SetBytes(int64(len(token)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Verify(ctx, token); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.alg+"/libverifier-"+verifier.Backend+"-parallel", func(b *testing.B) {
			v := newV(b, verifier.WithJWKS(doc), verifier.WithIssuer("https://clerk.example.com"), verifier.WithAuthorizedParty("https://app.example.com"), verifier.WithAlgorithms(bc.alg))
			// Warm every instance first: on WebAssembly each one builds its
			// own comb for the key at its first verification, which would
			// otherwise count in a short run. The figure is steady state.
			var wg sync.WaitGroup
			for range runtime.GOMAXPROCS(0) {
				wg.Go(func() {
					for range 20 {
						_, _ = v.Verify(ctx, token)
					}
				})
			}
			wg.Wait()
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := v.Verify(ctx, token); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
		parser := jwt.NewParser(
			jwt.WithValidMethods([]string{bc.alg}),
			jwt.WithIssuer("https://clerk.example.com"),
			jwt.WithExpirationRequired(),
			jwt.WithTimeFunc(fixedClock),
		)
		b.Run(bc.alg+"/golang-jwt", func(b *testing.B) {
			public := bc.public
			kf := func(*jwt.Token) (any, error) { return public, nil }
			b.SetBytes(int64(len(token)))
			b.ReportAllocs()
			for b.Loop() {
				var claims jwt.MapClaims
				if _, err := parser.ParseWithClaims(token, &claims, kf); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.alg+"/golang-jwt+keyfunc", func(b *testing.B) {
			kf, err := keyfunc.NewJWKSetJSON(json.RawMessage(doc))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(token)))
			b.ReportAllocs()
			for b.Loop() {
				var claims jwt.MapClaims
				if _, err := parser.ParseWithClaims(token, &claims, kf.Keyfunc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The benchmarks' golang-jwt set-up must accept the same tokens (and the
// same keys must be of the expected types), or the comparison is moot.
func TestBenchmarkSetupAgrees(t *testing.T) {
	for _, bc := range benchCases() {
		token := mint(bc.alg, bc.key, "key-1", realisticClaims())
		if len(token) < 700 {
			t.Fatalf("%s token is %d bytes: not realistic", bc.alg, len(token))
		}
		kf, err := keyfunc.NewJWKSetJSON(json.RawMessage(jwks(jwk(bc.key, "key-1", bc.alg))))
		if err != nil {
			t.Fatal(err)
		}
		parser := jwt.NewParser(jwt.WithValidMethods([]string{bc.alg}), jwt.WithTimeFunc(fixedClock))
		if _, err := parser.Parse(token, kf.Keyfunc); err != nil {
			t.Fatalf("%s keyfunc: %v", bc.alg, err)
		}
		switch bc.public.(type) {
		case *rsa.PublicKey, *ecdsa.PublicKey:
		default:
			t.Fatalf("unexpected key type %T", bc.public)
		}
	}
}
