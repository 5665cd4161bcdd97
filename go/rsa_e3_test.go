package verifier

// A 2048-bit RSA key with e = 3 from an independent signer (Python's
// cryptography, scripts/gen_rsa_e3.py), through this backend: on
// WebAssembly this is the 13-bit-digit path (core/src/crypto/monty_d13.rs)
// in the real module, which Go's crypto/rsa cannot cover (it only makes keys
// with e = 65537).

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestRSAExponent3Tokens(t *testing.T) {
	var doc struct {
		Now   int64           `json:"now"`
		JWK   json.RawMessage `json:"jwk"`
		RS256 string          `json:"rs256"`
		PS256 string          `json:"ps256"`
	}
	if err := json.Unmarshal(must(os.ReadFile("../core/tests/data/rsa_e3_tokens.json")), &doc); err != nil {
		t.Fatal(err)
	}
	set := []byte(`{"keys":[` + string(doc.JWK) + `]}`)
	clock := WithClock(func() time.Time { return time.Unix(doc.Now, 0) })
	for _, c := range []struct {
		alg, token string
		opts       []KeyOption
	}{
		{"RS256", doc.RS256, nil},
		{"PS256", doc.PS256, []KeyOption{KeyRSAPSS()}},
	} {
		v := newV(t, WithJWKS(set, c.opts...), WithIssuer("https://e3.example"), WithAlgorithms(c.alg), clock)
		claims, err := v.Verify(ctx, c.token)
		if err != nil {
			t.Fatalf("%s, e = 3: %v", c.alg, err)
		}
		if claims.Subject != "user-e3" || claims.Algorithm != c.alg {
			t.Errorf("%s: claims %q %q", c.alg, claims.Subject, claims.Algorithm)
		}
		// Every bit of the last signature byte: never accepted.
		dot := strings.LastIndexByte(c.token, '.')
		for bit := range 8 {
			sig := must(b64.DecodeString(c.token[dot+1:]))
			sig[len(sig)-1] ^= 1 << bit
			bad := c.token[:dot+1] + b64.EncodeToString(sig)
			if _, err := v.Verify(ctx, bad); !errors.Is(err, ErrInvalidSignature) {
				t.Errorf("%s, signature bit %d flipped: %v, want ErrInvalidSignature", c.alg, bit, err)
			}
		}
	}
}
