package verifier

// Test keys and tokens made with Go's own crypto packages only, so the Rust
// verifier is checked against an independent signer.

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"sync"
	"testing"
	"time"
)

// testNow is the fixed clock of every test: tokens are minted around it.
var testNow = time.Unix(1764000000, 0)

func fixedClock() time.Time { return testNow }

var b64 = base64.RawURLEncoding

type testKeys struct {
	rsa     *rsa.PrivateKey
	rsa2    *rsa.PrivateKey
	p256    *ecdsa.PrivateKey
	p384    *ecdsa.PrivateKey
	p521    *ecdsa.PrivateKey
	ed      ed25519.PrivateKey
	hs256   []byte
	hs384   []byte
	hs512   []byte
	rsa1024 *rsa.PrivateKey
}

var (
	keysOnce sync.Once
	keys     testKeys
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// theKeys generates the test keys once per test binary (RSA takes a moment).
func theKeys() *testKeys {
	keysOnce.Do(func() {
		keys.rsa = must(rsa.GenerateKey(rand.Reader, 2048))
		keys.rsa2 = must(rsa.GenerateKey(rand.Reader, 2048))
		keys.p256 = must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
		keys.p384 = must(ecdsa.GenerateKey(elliptic.P384(), rand.Reader))
		keys.p521 = must(ecdsa.GenerateKey(elliptic.P521(), rand.Reader))
		_, keys.ed = must2(ed25519.GenerateKey(rand.Reader))
		keys.hs256 = randBytes(32)
		keys.hs384 = randBytes(48)
		keys.hs512 = randBytes(64)
		// Go refuses to generate RSA keys under 1024 bits; 1024 is what the core refuses.
		keys.rsa1024 = insecureRSA1024()
	})
	return &keys
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	must(rand.Read(b))
	return b
}

// insecureRSA1024 is only a public key of the wrong size: any odd 1024-bit
// modulus will do for a size check.
func insecureRSA1024() *rsa.PrivateKey {
	n := new(big.Int).Lsh(big.NewInt(1), 1023)
	n.Add(n, big.NewInt(12345))
	return &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: 65537}}
}

// algSpec says how to sign with one algorithm.
type algSpec struct {
	name string
	key  func(*testKeys) any // private key or HMAC secret
}

var allAlgs = []algSpec{
	{"RS256", func(k *testKeys) any { return k.rsa }},
	{"RS384", func(k *testKeys) any { return k.rsa }},
	{"RS512", func(k *testKeys) any { return k.rsa }},
	{"PS256", func(k *testKeys) any { return k.rsa }},
	{"PS384", func(k *testKeys) any { return k.rsa }},
	{"PS512", func(k *testKeys) any { return k.rsa }},
	{"ES256", func(k *testKeys) any { return k.p256 }},
	{"ES384", func(k *testKeys) any { return k.p384 }},
	{"ES512", func(k *testKeys) any { return k.p521 }},
	{"EdDSA", func(k *testKeys) any { return k.ed }},
	{"HS256", func(k *testKeys) any { return k.hs256 }},
	{"HS384", func(k *testKeys) any { return k.hs384 }},
	{"HS512", func(k *testKeys) any { return k.hs512 }},
}

func hashFor(alg string) crypto.Hash {
	switch alg[2:] {
	case "384":
		return crypto.SHA384
	case "512":
		return crypto.SHA512
	}
	return crypto.SHA256
}

func digest(h crypto.Hash, msg []byte) []byte {
	switch h {
	case crypto.SHA384:
		d := sha512.Sum384(msg)
		return d[:]
	case crypto.SHA512:
		d := sha512.Sum512(msg)
		return d[:]
	}
	d := sha256.Sum256(msg)
	return d[:]
}

// signRaw signs input with alg, in JWS signature encoding.
func signRaw(alg string, key any, input []byte) []byte {
	switch alg {
	case "EdDSA":
		return ed25519.Sign(key.(ed25519.PrivateKey), input)
	}
	h := hashFor(alg)
	switch alg[:2] {
	case "RS":
		return must(rsa.SignPKCS1v15(rand.Reader, key.(*rsa.PrivateKey), h, digest(h, input)))
	case "PS":
		return must(rsa.SignPSS(rand.Reader, key.(*rsa.PrivateKey), h, digest(h, input), &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}))
	case "ES":
		k := key.(*ecdsa.PrivateKey)
		r, s := must2(ecdsa.Sign(rand.Reader, k, digest(h, input)))
		size := (k.Curve.Params().BitSize + 7) / 8
		out := make([]byte, 2*size)
		r.FillBytes(out[:size])
		s.FillBytes(out[size:])
		return out
	case "HS":
		m := hmac.New(h.New, key.([]byte))
		m.Write(input)
		return m.Sum(nil)
	}
	panic("unknown alg " + alg)
}

// mintRaw builds a token from raw header and payload bytes.
func mintRaw(alg string, key any, header, payload []byte) string {
	input := b64.EncodeToString(header) + "." + b64.EncodeToString(payload)
	return input + "." + b64.EncodeToString(signRaw(alg, key, []byte(input)))
}

func jsonBytes(v any) []byte { return must(json.Marshal(v)) }

// mint signs claims with alg and key; kid "" leaves it out.
func mint(alg string, key any, kid string, claims map[string]any) string {
	h := map[string]any{"alg": alg, "typ": "JWT"}
	if kid != "" {
		h["kid"] = kid
	}
	return mintRaw(alg, key, jsonBytes(h), jsonBytes(claims))
}

// baseClaims are valid at testNow; callers change what they test.
func baseClaims() map[string]any {
	return map[string]any{
		"iss": "https://issuer.example.com",
		"sub": "user_123",
		"aud": "https://api.example.com",
		"exp": testNow.Unix() + 600,
		"iat": testNow.Unix() - 10,
		"nbf": testNow.Unix() - 10,
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(m, kv[i].(string))
		} else {
			m[kv[i].(string)] = kv[i+1]
		}
	}
	return m
}

func pad(b []byte, size int) []byte {
	out := make([]byte, size)
	copy(out[size-len(b):], b)
	return out
}

// jwk is the public JWK of a key, with kid and (when alg != "") alg.
func jwk(key any, kid, alg string) map[string]any {
	m := map[string]any{}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		m["kty"], m["n"], m["e"] = "RSA", b64.EncodeToString(k.N.Bytes()), b64.EncodeToString(big.NewInt(int64(k.E)).Bytes())
	case *ecdsa.PrivateKey:
		size := (k.Curve.Params().BitSize + 7) / 8
		ecdh := must(k.PublicKey.ECDH())
		raw := ecdh.Bytes() // 0x04 || X || Y
		m["kty"], m["crv"] = "EC", k.Curve.Params().Name
		m["x"], m["y"] = b64.EncodeToString(pad(raw[1:1+size], size)), b64.EncodeToString(pad(raw[1+size:], size))
	case ed25519.PrivateKey:
		m["kty"], m["crv"], m["x"] = "OKP", "Ed25519", b64.EncodeToString(k.Public().(ed25519.PublicKey))
	case []byte:
		m["kty"], m["k"] = "oct", b64.EncodeToString(k)
	}
	if kid != "" {
		m["kid"] = kid
	}
	if alg != "" {
		m["alg"] = alg
	}
	return m
}

func jwks(keys ...map[string]any) []byte {
	return jsonBytes(map[string]any{"keys": keys})
}

// pemOf is the SubjectPublicKeyInfo PEM of a key.
func pemOf(key any) []byte {
	var pub any
	switch k := key.(type) {
	case *rsa.PrivateKey:
		pub = &k.PublicKey
	case *ecdsa.PrivateKey:
		pub = &k.PublicKey
	case ed25519.PrivateKey:
		pub = k.Public()
	}
	der := must(x509.MarshalPKIXPublicKey(pub))
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// newV builds a verifier on the fixed test clock and closes it after the test.
func newV(t testing.TB, opts ...Option) *Verifier {
	t.Helper()
	v, err := New(append([]Option{WithClock(fixedClock)}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = v.Close() })
	return v
}
