package verifier

// The ES512 cases of core/tests/data/tokens.json, signed by PyJWT with
// Python's cryptography (scripts/gen_fixtures.py), through this backend:
// the P-521 key from the fixtures' JWKS, its JWK alone and its SPKI PEM.

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestPyJWTES512Fixtures(t *testing.T) {
	const data = "../core/tests/data/"
	var doc struct {
		Now   int64 `json:"now"`
		Cases []struct {
			Name   string `json:"name"`
			Token  string `json:"token"`
			Keys   string `json:"keys"`
			Now    int64  `json:"now"`
			Expect string `json:"expect"`
			Policy struct {
				Issuers   []string `json:"issuers"`
				Audiences []string `json:"audiences"`
			} `json:"policy"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(must(os.ReadFile(data+"tokens.json")), &doc); err != nil {
		t.Fatal(err)
	}
	var jwksDoc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(must(os.ReadFile(data+"keys/jwks.json")), &jwksDoc); err != nil {
		t.Fatal(err)
	}
	var p521JWK json.RawMessage
	for _, k := range jwksDoc.Keys {
		var m struct {
			Kid string `json:"kid"`
		}
		_ = json.Unmarshal(k, &m)
		if m.Kid == "p521" {
			p521JWK = k
		}
	}
	if p521JWK == nil {
		t.Fatal("no p521 key in the fixtures' JWKS")
	}
	// The P-521 key and the P-384 one (for the cross-curve cases), public only.
	pub := func(kids ...string) []byte {
		var keep []json.RawMessage
		for _, k := range jwksDoc.Keys {
			var m struct {
				Kid string `json:"kid"`
			}
			_ = json.Unmarshal(k, &m)
			for _, kid := range kids {
				if m.Kid == kid {
					keep = append(keep, k)
				}
			}
		}
		return must(json.Marshal(map[string]any{"keys": keep}))
	}
	n, ok := 0, 0
	for _, c := range doc.Cases {
		if !strings.Contains(c.Name, "ES512") && !strings.Contains(c.Name, "P-521") {
			continue
		}
		var keys Option
		switch c.Keys {
		case "jwks":
			keys = WithJWKS(pub("p521", "p384"))
		case "jwk:p521":
			keys = WithJWK(p521JWK)
		case "pem:p521.pem":
			keys = WithPEM(must(os.ReadFile(data+"keys/p521.pem")), "")
		default:
			t.Fatalf("%s: unexpected key source %s", c.Name, c.Keys)
		}
		now := time.Unix(c.Now, 0)
		v, err := New(keys, WithIssuer(c.Policy.Issuers...), WithAudience(c.Policy.Audiences...),
			WithClock(func() time.Time { return now }))
		if err != nil {
			t.Fatalf("%s: New: %v", c.Name, err)
		}
		claims, err := v.Verify(ctx, c.Token)
		_ = v.Close()
		n++
		if c.Expect == "ok" {
			if err != nil || claims.Algorithm != "ES512" {
				t.Errorf("%s: want ok, got %v", c.Name, err)
			}
			ok++
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Name != c.Expect {
			t.Errorf("%s: want %s, got %v", c.Name, c.Expect, err)
		}
	}
	// 5 per-algorithm cases, 2 cross-curve, 7 signature forms.
	if n < 14 || ok < 4 {
		t.Errorf("%d ES512 cases (%d ok): fixtures missing", n, ok)
	}
	t.Logf("%s: %d PyJWT ES512 cases (%d accepted) as expected", Backend, n, ok)
}
