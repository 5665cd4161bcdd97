package verifier

// A differential test of signature verdicts against Go's own crypto
// (crypto/rsa PKCS #1 v1.5 and PSS, crypto/ecdsa P-256, P-384 and P-521,
// crypto/ed25519), on whichever backend this build links: with
// -tags verifier_wasm it is the evidence that the WebAssembly module (its
// SIMD Montgomery arithmetic, its 32-bit curve arithmetic, the comb and the
// table-less ECDSA paths) agrees with the reference.
//
// Random keys, one genuine token each per algorithm, and mutated signatures:
// bit flips (random, first and last byte), truncation and extension by a
// byte, another key's signature, and per family the values a verifier must
// range-check: RSA s = 0, 1, n - 1, n, n + 1 and all ones; ECDSA r = 0,
// s = 0, r = n, s = n, r + n (when it fits), r and s swapped and the high-s
// twin n - s; Ed25519 S + L (non-canonical) and S = L.
//
// Deliberate differences, none of them exercised by random keys:
//   - PSS: JWS fixes the salt length to the hash length (RFC 7518 3.5), so
//     Go's verdict is taken with SaltLength = PSSSaltLengthEqualsHash; tokens
//     signed with other salt lengths are in the corpus and both refuse them.
//   - ECDSA high-s: JWS (RFC 7518 3.4) does not require low s; core accepts
//     n - s as Go's ecdsa.Verify does (checked here).
//   - Ed25519: core verifies as ed25519-dalek's verify_strict, which also
//     refuses small-order public keys and R, which Go's cofactorless
//     ed25519.Verify accepts when the equation holds; random keys and these
//     mutations never produce them.
//
// More than KEY_SLOTS (8) EC keys stay loaded at once, so the first keys of
// each curve verify through their combs and the others through the
// table-less path. P-521 (ES512) has no comb: every key takes that path.

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"math/big"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// diffCase is one signature to judge over one signing input.
type diffCase struct {
	what string
	sig  []byte
}

// mutations of a genuine signature common to every family.
func commonMutations(r *mrand.Rand, sig, other []byte) []diffCase {
	flip := func(i int, bit uint) []byte {
		s := append([]byte(nil), sig...)
		s[i] ^= 1 << bit
		return s
	}
	return []diffCase{
		{"genuine", sig},
		{"flip random bit", flip(r.IntN(len(sig)), uint(r.IntN(8)))},
		{"flip random bit 2", flip(r.IntN(len(sig)), uint(r.IntN(8)))},
		{"flip first byte", flip(0, uint(r.IntN(8)))},
		{"flip last byte", flip(len(sig)-1, uint(r.IntN(8)))},
		{"truncated", sig[:len(sig)-1]},
		{"extended", append(append([]byte(nil), sig...), 0)},
		{"leading zero", append([]byte{0}, sig...)},
		{"other key's", other},
	}
}

// judge runs every case through v and compares its verdict with want's.
func judge(t *testing.T, v *Verifier, alg, input string, cases []diffCase, want func([]byte) bool) (accepted int) {
	t.Helper()
	for _, c := range cases {
		token := input + "." + b64.EncodeToString(c.sig)
		_, err := v.Verify(ctx, token)
		got, exp := err == nil, want(c.sig)
		if got != exp {
			t.Errorf("%s %s: libverifier accepts=%v (%v), Go accepts=%v; sig %x", alg, c.what, got, err, exp, c.sig)
			continue
		}
		// Every refusal here is about the signature: a PSS signature valid
		// with another salt length is ErrPSSSaltLength, the rest
		// ErrBadSignature or ErrBadSignatureLength.
		if err != nil && !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("%s %s: refused for another reason: %v", alg, c.what, err)
		}
		if strings.HasPrefix(c.what, "salt length") && !errors.Is(err, ErrPSSSaltLength) {
			t.Errorf("%s %s: %v, want ErrPSSSaltLength", alg, c.what, err)
		}
		if got {
			accepted++
		}
	}
	return accepted
}

func signingInput(r *mrand.Rand, alg string) string {
	claims := baseClaims()
	claims["jti"] = r.Uint64()
	h := map[string]any{"alg": alg, "typ": "JWT", "kid": "k1"}
	return b64.EncodeToString(jsonBytes(h)) + "." + b64.EncodeToString(jsonBytes(claims))
}

func TestDiffRSAAgainstGo(t *testing.T) {
	start := time.Now()
	r := mrand.New(mrand.NewPCG(1, 2))
	sizes := []int{2048, 2048, 2049, 3072}
	if testing.Short() {
		sizes = sizes[:2]
	}
	keys := []*rsa.PrivateKey{theKeys().rsa}
	for _, bits := range sizes[1:] {
		keys = append(keys, must(rsa.GenerateKey(rand.Reader, bits)))
	}
	algs := []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
	total, accepted := 0, 0
	for ki, k := range keys {
		other := keys[(ki+1)%len(keys)]
		n, kLen := k.N, (k.N.BitLen()+7)/8
		num := func(x *big.Int) []byte { return x.FillBytes(make([]byte, kLen)) }
		for _, alg := range algs {
			v := newV(t, WithJWKS(jwks(jwk(k, "k1", alg))))
			h := hashFor(alg)
			for j := 0; j < 2; j++ {
				input := signingInput(r, alg)
				d := digest(h, []byte(input))
				sig := signRaw(alg, k, []byte(input))
				cases := commonMutations(r, sig, signRaw(alg, other, []byte(input)))
				one := big.NewInt(1)
				cases = append(cases,
					diffCase{"s = 0", num(big.NewInt(0))},
					diffCase{"s = 1", num(one)},
					diffCase{"s = n - 1", num(new(big.Int).Sub(n, one))},
					diffCase{"s = n", num(n)},
					diffCase{"all ones", []byte(strings.Repeat("\xff", kLen))},
					diffCase{"s + n", func() []byte {
						s := new(big.Int).Add(new(big.Int).SetBytes(sig), n)
						if s.BitLen() > 8*kLen {
							return num(new(big.Int).Add(n, one))
						}
						return num(s)
					}()},
				)
				if alg[0] == 'P' {
					// Other salt lengths: JWS fixes it to the hash length.
					// (0 is rsa.PSSSaltLengthAuto: the largest salt that fits.)
					for _, salt := range []int{rsa.PSSSaltLengthAuto, 20, h.Size() + 1} {
						s := must(rsa.SignPSS(rand.Reader, k, h, d, &rsa.PSSOptions{SaltLength: salt}))
						what := "salt length " + strconv.Itoa(salt)
						if salt == rsa.PSSSaltLengthAuto {
							what = "salt length auto (maximum)"
						}
						cases = append(cases, diffCase{what, s})
					}
				}
				want := func(s []byte) bool {
					if alg[0] == 'R' {
						return rsa.VerifyPKCS1v15(&k.PublicKey, h, d, s) == nil
					}
					return rsa.VerifyPSS(&k.PublicKey, h, d, s, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}) == nil
				}
				accepted += judge(t, v, alg, input, cases, want)
				total += len(cases)
			}
		}
	}
	if accepted < len(keys)*len(algs)*2 {
		t.Errorf("only %d accepted of %d: the genuine tokens must pass", accepted, total)
	}
	t.Logf("%s: %d RSA keys, %d verdicts (%d accepted) agree with crypto/rsa in %v", Backend, len(keys), total, accepted, time.Since(start).Round(time.Millisecond))
}

func TestDiffECDSAAgainstGo(t *testing.T) {
	start := time.Now()
	r := mrand.New(mrand.NewPCG(3, 4))
	for _, c := range []struct {
		alg   string
		curve elliptic.Curve
		keys  int
	}{{"ES256", elliptic.P256(), 100}, {"ES384", elliptic.P384(), 30}, {"ES512", elliptic.P521(), 20}} {
		nKeys := c.keys
		if testing.Short() {
			nKeys = 10
		}
		size := (c.curve.Params().BitSize + 7) / 8
		order := c.curve.Params().N
		h := hashFor(c.alg)
		enc := func(rr, ss *big.Int) []byte {
			out := make([]byte, 2*size)
			rr.FillBytes(out[:size])
			ss.FillBytes(out[size:])
			return out
		}
		total, accepted := 0, 0
		var prev *ecdsa.PrivateKey
		for i := 0; i < nKeys; i++ {
			k := must(ecdsa.GenerateKey(c.curve, rand.Reader))
			if prev == nil {
				prev = must(ecdsa.GenerateKey(c.curve, rand.Reader))
			}
			// Kept loaded to the end: keys past the 8 table slots take the
			// table-less path.
			v := newV(t, WithJWKS(jwks(jwk(k, "k1", c.alg))))
			input := signingInput(r, c.alg)
			d := digest(h, []byte(input))
			sig := signRaw(c.alg, k, []byte(input))
			rr, ss := new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])
			zero := big.NewInt(0)
			cases := commonMutations(r, sig, signRaw(c.alg, prev, []byte(input)))
			cases = append(cases,
				diffCase{"r = 0", enc(zero, ss)},
				diffCase{"s = 0", enc(rr, zero)},
				diffCase{"r = n", enc(order, ss)},
				diffCase{"s = n", enc(rr, order)},
				diffCase{"high s", enc(rr, new(big.Int).Sub(order, ss))},
				diffCase{"swapped", enc(ss, rr)},
				diffCase{"r = 1, s = 1", enc(big.NewInt(1), big.NewInt(1))},
			)
			if rn := new(big.Int).Add(rr, order); rn.BitLen() <= 8*size {
				cases = append(cases, diffCase{"r + n", enc(rn, ss)})
			}
			want := func(s []byte) bool {
				if len(s) != 2*size {
					return false
				}
				return ecdsa.Verify(&k.PublicKey, d, new(big.Int).SetBytes(s[:size]), new(big.Int).SetBytes(s[size:]))
			}
			accepted += judge(t, v, c.alg, input, cases, want)
			total += len(cases)
			prev = k
		}
		// Genuine and high-s per key.
		if accepted < 2*nKeys {
			t.Errorf("%s: only %d accepted of %d", c.alg, accepted, total)
		}
		t.Logf("%s: %s, %d keys, %d verdicts (%d accepted) agree with crypto/ecdsa", Backend, c.alg, nKeys, total, accepted)
	}
	t.Logf("in %v", time.Since(start).Round(time.Millisecond))
}

func TestDiffEd25519AgainstGo(t *testing.T) {
	start := time.Now()
	r := mrand.New(mrand.NewPCG(5, 6))
	nKeys := 150
	if testing.Short() {
		nKeys = 10
	}
	// L, the group order, little-endian as in S.
	l, _ := new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)
	le := func(x *big.Int) []byte {
		b := x.FillBytes(make([]byte, 32))
		for i, j := 0, 31; i < j; i, j = i+1, j-1 {
			b[i], b[j] = b[j], b[i]
		}
		return b
	}
	fromLE := func(b []byte) *big.Int {
		c := append([]byte(nil), b...)
		for i, j := 0, len(c)-1; i < j; i, j = i+1, j-1 {
			c[i], c[j] = c[j], c[i]
		}
		return new(big.Int).SetBytes(c)
	}
	total, accepted := 0, 0
	_, prev := must2(ed25519.GenerateKey(rand.Reader))
	for i := 0; i < nKeys; i++ {
		_, k := must2(ed25519.GenerateKey(rand.Reader))
		v := newV(t, WithJWKS(jwks(jwk(k, "k1", "EdDSA"))))
		input := signingInput(r, "EdDSA")
		sig := ed25519.Sign(k, []byte(input))
		cases := commonMutations(r, sig, ed25519.Sign(prev, []byte(input)))
		s := fromLE(sig[32:])
		cases = append(cases,
			diffCase{"S + L", append(append([]byte(nil), sig[:32]...), le(new(big.Int).Add(s, l))...)},
			diffCase{"S = L", append(append([]byte(nil), sig[:32]...), le(l)...)},
			diffCase{"R = identity", append(append([]byte{1}, make([]byte, 31)...), sig[32:]...)},
		)
		pub := k.Public().(ed25519.PublicKey)
		want := func(s []byte) bool { return ed25519.Verify(pub, []byte(input), s) }
		accepted += judge(t, v, "EdDSA", input, cases, want)
		total += len(cases)
		prev = k
	}
	if accepted < nKeys {
		t.Errorf("only %d accepted of %d", accepted, total)
	}
	t.Logf("%s: %d Ed25519 keys, %d verdicts (%d accepted) agree with crypto/ed25519 in %v", Backend, nKeys, total, accepted, time.Since(start).Round(time.Millisecond))
}
