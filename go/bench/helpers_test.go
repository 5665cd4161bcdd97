package bench

// Keys and tokens made with Go's own crypto packages.

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"sync"
	"testing"
	"time"

	verifier "github.com/libverifier/libverifier/go"
)

var (
	ctx     = context.Background()
	testNow = time.Unix(1764000000, 0)
	b64     = base64.RawURLEncoding
)

func fixedClock() time.Time { return testNow }

type testKeys struct {
	rsa  *rsa.PrivateKey
	p256 *ecdsa.PrivateKey
	p384 *ecdsa.PrivateKey
	p521 *ecdsa.PrivateKey
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

func theKeys() *testKeys {
	keysOnce.Do(func() {
		keys.rsa = must(rsa.GenerateKey(rand.Reader, 2048))
		keys.p256 = must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
		keys.p384 = must(ecdsa.GenerateKey(elliptic.P384(), rand.Reader))
		keys.p521 = must(ecdsa.GenerateKey(elliptic.P521(), rand.Reader))
	})
	return &keys
}

func digest(alg string, msg []byte) (crypto.Hash, []byte) {
	switch alg[2:] {
	case "384":
		d := sha512.Sum384(msg)
		return crypto.SHA384, d[:]
	case "512":
		d := sha512.Sum512(msg)
		return crypto.SHA512, d[:]
	}
	d := sha256.Sum256(msg)
	return crypto.SHA256, d[:]
}

// mint signs claims with alg (RS256, ES256, ES384, ES512) and key.
func mint(alg string, key any, kid string, claims map[string]any) string {
	h := map[string]any{"alg": alg, "typ": "JWT", "kid": kid}
	input := b64.EncodeToString(must(json.Marshal(h))) + "." + b64.EncodeToString(must(json.Marshal(claims)))
	hash, d := digest(alg, []byte(input))
	var sig []byte
	switch k := key.(type) {
	case *rsa.PrivateKey:
		sig = must(rsa.SignPKCS1v15(rand.Reader, k, hash, d))
	case *ecdsa.PrivateKey:
		r, s, err := ecdsa.Sign(rand.Reader, k, d)
		if err != nil {
			panic(err)
		}
		size := (k.Curve.Params().BitSize + 7) / 8
		sig = make([]byte, 2*size)
		r.FillBytes(sig[:size])
		s.FillBytes(sig[size:])
	}
	return input + "." + b64.EncodeToString(sig)
}

func pad(b []byte, size int) []byte {
	out := make([]byte, size)
	copy(out[size-len(b):], b)
	return out
}

// jwk is the public JWK of a key, with kid and alg.
func jwk(key any, kid, alg string) map[string]any {
	m := map[string]any{"kid": kid, "alg": alg}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		m["kty"], m["n"], m["e"] = "RSA", b64.EncodeToString(k.N.Bytes()), b64.EncodeToString(big.NewInt(int64(k.E)).Bytes())
	case *ecdsa.PrivateKey:
		size := (k.Curve.Params().BitSize + 7) / 8
		raw := must(k.PublicKey.ECDH()).Bytes() // 0x04 || X || Y
		m["kty"], m["crv"] = "EC", k.Curve.Params().Name
		m["x"], m["y"] = b64.EncodeToString(pad(raw[1:1+size], size)), b64.EncodeToString(pad(raw[1+size:], size))
	}
	return m
}

func jwks(keys ...map[string]any) []byte {
	return must(json.Marshal(map[string]any{"keys": keys}))
}

// newV builds a verifier on the fixed test clock and closes it after the benchmark.
func newV(t testing.TB, opts ...verifier.Option) *verifier.Verifier {
	t.Helper()
	v, err := verifier.New(append([]verifier.Option{verifier.WithClock(fixedClock)}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = v.Close() })
	return v
}
