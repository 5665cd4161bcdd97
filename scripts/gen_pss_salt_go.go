//go:build ignore

// PS256/384/512 tokens signed by Go's crypto/rsa with PSSSaltLengthAuto (the
// maximum salt, what older golang-jwt used) and PSSSaltLengthEqualsHash, for
// issue 24 (see gen_pss_salt.py). Writes core/tests/data/pss_salt_go.json.
//
// Run: go run scripts/gen_pss_salt_go.go (from the repository root).
package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha256"
	_ "crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"os"
	"runtime"
)

const now = 1764000000

func b64u(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func main() {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	type tok struct {
		Name    string `json:"name"`
		Kid     string `json:"kid"`
		Alg     string `json:"alg"`
		SaltLen int    `json:"salt_len"`
		HashLen int    `json:"hash_len"`
		Token   string `json:"token"`
	}
	var tokens []tok
	claims, _ := json.Marshal(map[string]any{"sub": "user_pss_go", "iat": now - 10, "exp": now + 600})
	for _, a := range []struct {
		alg  string
		hash crypto.Hash
	}{{"PS256", crypto.SHA256}, {"PS384", crypto.SHA384}, {"PS512", crypto.SHA512}} {
		for _, s := range []struct {
			label string
			salt  int
		}{{"auto", rsa.PSSSaltLengthAuto}, {"equals-hash", rsa.PSSSaltLengthEqualsHash}} {
			header, _ := json.Marshal(map[string]any{"alg": a.alg, "typ": "JWT", "kid": "go2048"})
			input := b64u(header) + "." + b64u(claims)
			h := a.hash.New()
			h.Write([]byte(input))
			digest := h.Sum(nil)
			sig, err := rsa.SignPSS(rand.Reader, key, a.hash, digest, &rsa.PSSOptions{SaltLength: s.salt})
			if err != nil {
				panic(err)
			}
			want := a.hash.Size()
			if s.salt == rsa.PSSSaltLengthAuto {
				want = (key.N.BitLen()-1+7)/8 - a.hash.Size() - 2
			}
			// Go's own verifier, with the salt length it must find.
			if err := rsa.VerifyPSS(&key.PublicKey, a.hash, digest, sig, &rsa.PSSOptions{SaltLength: want}); err != nil {
				panic(err)
			}
			tokens = append(tokens, tok{"go2048 " + a.alg + " salt " + s.label, "go2048", a.alg, want, a.hash.Size(), input + "." + b64u(sig)})
		}
	}
	e := big.NewInt(int64(key.E)).Bytes()
	out := map[string]any{
		"signer": "go " + runtime.Version() + " crypto/rsa",
		"now":    now,
		"jwks":   map[string]any{"keys": []any{map[string]string{"kty": "RSA", "kid": "go2048", "n": b64u(key.N.Bytes()), "e": b64u(e)}}},
		"tokens": tokens,
	}
	b, _ := json.MarshalIndent(out, "", " ")
	if err := os.WriteFile("core/tests/data/pss_salt_go.json", append(b, '\n'), 0o644); err != nil {
		panic(err)
	}
}
