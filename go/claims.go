package verifier

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Claims are the claims of a verified token, copied out of the C library's
// buffer: nothing in them points into C memory or into a pooled buffer.
// A Claims value is read-only and safe for concurrent use; its strings share
// one copy of the token's decoded data.
type Claims struct {
	Subject         string   // "sub" (the user id)
	Issuer          string   // "iss"
	Audience        []string // "aud", a single string becomes one element
	SessionID       string   // "sid" (Clerk session id)
	AuthorizedParty string   // "azp"
	ClientID        string   // "client_id" (RFC 9068)
	Scope           string   // "scope", space-separated
	Scopes          []string // Scope split on spaces
	ID              string   // "jti"
	Type            string   // header "typ"
	Algorithm       string   // header "alg" that verified, e.g. "RS256"

	ExpiresAt time.Time // "exp"; zero if absent
	NotBefore time.Time // "nbf"; zero if absent
	IssuedAt  time.Time // "iat"; zero if absent

	payload string // the whole claims JSON
}

// HasScope reports whether the token grants scope, as WithRequiredScopes
// checks it: a word of its "scope" string (space-separated, RFC 9068 / RFC
// 8693), or an element of a "scope" or "scp" array of strings, or a word of
// an "scp" string (Okta, Entra ID).
func (c *Claims) HasScope(scope string) bool {
	if scope == "" {
		return false
	}
	for _, s := range c.Scopes {
		if s == scope {
			return true
		}
	}
	for _, name := range [...]string{"scope", "scp"} {
		raw, ok := c.Claim(name)
		if !ok {
			continue
		}
		var list []string
		if json.Unmarshal(raw, &list) == nil && slices.Contains(list, scope) {
			return true
		}
		var words string
		if name == "scp" && json.Unmarshal(raw, &words) == nil &&
			slices.Contains(strings.Split(words, " "), scope) {
			return true
		}
	}
	return false
}

// HasAudience reports whether aud is one of the token's audiences.
func (c *Claims) HasAudience(aud string) bool {
	for _, a := range c.Audience {
		if a == aud {
			return true
		}
	}
	return false
}

// Raw returns the claims JSON exactly as signed (a copy).
func (c *Claims) Raw() []byte { return []byte(c.payload) }

// Claim returns any claim by name as raw JSON ("\"abc\"", "42", "[...]"),
// and whether the token has it. It decodes the payload on each call: for
// several custom claims, Unmarshal into a struct once.
func (c *Claims) Claim(name string) (json.RawMessage, bool) {
	var fields map[string]json.RawMessage
	if json.Unmarshal([]byte(c.payload), &fields) != nil {
		return nil, false // cannot happen: the C library validated the JSON
	}
	raw, ok := fields[name]
	return raw, ok
}

// Unmarshal decodes the whole claims object into v with encoding/json, for
// custom claims: declare a struct with the fields you need.
func (c *Claims) Unmarshal(v any) error {
	return json.Unmarshal([]byte(c.payload), v)
}

// buildClaims copies a successful verification out of a backend's vf_claims.
// All views are copied as one string and sliced from it: a handful of
// allocations per token instead of one per claim. Every view is
// bounds-checked against the scratch array, so a wrong view from the library
// becomes an error here instead of a read outside the buffer.
func buildClaims(r *rawClaims) (*Claims, error) {
	scratch := r.scratch
	inside := func(v claimView) bool {
		return v.off >= 0 && v.n >= 0 && v.n <= len(scratch) && v.off <= len(scratch)-v.n
	}
	lo, hi := len(scratch), 0
	for i := 0; i <= nViews; i++ {
		v := r.aud
		if i < nViews {
			v = r.views[i]
		}
		if !v.present {
			continue
		}
		if !inside(v) {
			return nil, ErrPanic
		}
		lo = min(lo, v.off)
		hi = max(hi, v.off+v.n)
	}

	var all string
	if lo < hi {
		all = string(scratch[lo:hi])
	}
	get := func(v claimView) string {
		if !v.present {
			return ""
		}
		return all[v.off-lo : v.off-lo+v.n]
	}

	vs := &r.views
	c := &Claims{
		Subject:         get(vs[viewSub]),
		Issuer:          get(vs[viewIss]),
		SessionID:       get(vs[viewSid]),
		AuthorizedParty: get(vs[viewAzp]),
		ClientID:        get(vs[viewClientID]),
		Scope:           get(vs[viewScope]),
		ID:              get(vs[viewJTI]),
		Type:            get(vs[viewTyp]),
		payload:         get(vs[viewPayload]),
	}
	if int(r.alg) < len(algNames) {
		c.Algorithm = algNames[r.alg]
	}
	if r.hasExp {
		c.ExpiresAt = time.Unix(r.exp, 0)
	}
	if r.hasNbf {
		c.NotBefore = time.Unix(r.nbf, 0)
	}
	if r.hasIat {
		c.IssuedAt = time.Unix(r.iat, 0)
	}
	if c.Scope != "" {
		c.Scopes = strings.Fields(c.Scope)
	}
	if r.aud.present {
		aud, err := parseAudience(get(r.aud))
		if err != nil {
			return nil, ErrClaimWrongType
		}
		c.Audience = aud
	}
	return c, nil
}

// parseAudience reads "aud": a string or an array of strings. The common
// forms (no escapes) are sliced without a JSON decoder; the result shares
// the memory of raw.
func parseAudience(raw string) ([]string, error) {
	if !strings.Contains(raw, `\`) {
		if s, ok := plainString(raw); ok {
			return []string{s}, nil
		}
		if out, ok := plainArray(raw); ok {
			return out, nil
		}
	}
	var one string
	if err := json.Unmarshal([]byte(raw), &one); err == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal([]byte(raw), &many); err != nil {
		return nil, err
	}
	return many, nil
}

func plainString(raw string) (string, bool) {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' && !strings.Contains(raw[1:len(raw)-1], `"`) {
		return raw[1 : len(raw)-1], true
	}
	return "", false
}

func plainArray(raw string) ([]string, bool) {
	raw = strings.TrimSpace(raw)
	if len(raw) < 2 || raw[0] != '[' || raw[len(raw)-1] != ']' {
		return nil, false
	}
	body := strings.TrimSpace(raw[1 : len(raw)-1])
	if body == "" {
		return []string{}, true
	}
	out := make([]string, 0, strings.Count(body, ",")+1)
	for part := range strings.SplitSeq(body, ",") {
		s, ok := plainString(strings.TrimSpace(part))
		if !ok {
			return nil, false // a comma inside a string, or a non-string
		}
		out = append(out, s)
	}
	return out, true
}
