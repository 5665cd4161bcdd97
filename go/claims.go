//go:build cgo

package verifier

import (
	"encoding/json"
	"strings"
	"time"
	"unsafe"
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

// HasScope reports whether scope is one of the token's scopes.
func (c *Claims) HasScope(scope string) bool {
	for _, s := range c.Scopes {
		if s == scope {
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

// copyClaims copies a successful verification out of buf. All views are
// copied as one string and sliced from it: a handful of allocations per
// token instead of one per claim.
func copyClaims(buf *claimsBuf) (*Claims, error) {
	cc := buf.c()
	scratch := buf.b[scratchOffset:]
	base := uintptr(unsafe.Pointer(&scratch[0]))

	type view struct {
		off, n  int
		present bool
	}
	raw := [...]struct {
		ptr uintptr
		n   int
	}{
		{uintptr(unsafe.Pointer(cc.sub.ptr)), int(cc.sub.len)},
		{uintptr(unsafe.Pointer(cc.iss.ptr)), int(cc.iss.len)},
		{uintptr(unsafe.Pointer(cc.sid.ptr)), int(cc.sid.len)},
		{uintptr(unsafe.Pointer(cc.azp.ptr)), int(cc.azp.len)},
		{uintptr(unsafe.Pointer(cc.client_id.ptr)), int(cc.client_id.len)},
		{uintptr(unsafe.Pointer(cc.scope.ptr)), int(cc.scope.len)},
		{uintptr(unsafe.Pointer(cc.jti.ptr)), int(cc.jti.len)},
		{uintptr(unsafe.Pointer(cc.typ.ptr)), int(cc.typ.len)},
		{uintptr(unsafe.Pointer(cc.payload.ptr)), int(cc.payload.len)},
	}
	var vs [len(raw)]view
	lo, hi := len(scratch), 0
	for i, r := range raw {
		if r.ptr == 0 {
			continue
		}
		// Bounds-checked against the scratch array, so a wrong view from C
		// becomes an error here instead of a read outside the buffer.
		if r.ptr < base || r.n < 0 || r.n > len(scratch) || int(r.ptr-base) > len(scratch)-r.n {
			return nil, ErrPanic
		}
		off := int(r.ptr - base)
		vs[i] = view{off, r.n, true}
		lo = min(lo, off)
		hi = max(hi, off+r.n)
	}

	// aud is not in vf_claims: fetch its raw JSON by name.
	audOff, audLen, audFound, st := claimsGet(buf, "aud")
	if st != statusOK {
		return nil, statusError(st)
	}
	if audFound {
		if audOff < 0 || audLen > len(scratch) || audOff > len(scratch)-audLen {
			return nil, ErrPanic
		}
		lo = min(lo, audOff)
		hi = max(hi, audOff+audLen)
	}

	var all string
	if lo < hi {
		all = string(scratch[lo:hi])
	}
	get := func(v view) string {
		if !v.present {
			return ""
		}
		return all[v.off-lo : v.off-lo+v.n]
	}

	c := &Claims{
		Subject:         get(vs[0]),
		Issuer:          get(vs[1]),
		SessionID:       get(vs[2]),
		AuthorizedParty: get(vs[3]),
		ClientID:        get(vs[4]),
		Scope:           get(vs[5]),
		ID:              get(vs[6]),
		Type:            get(vs[7]),
		payload:         get(vs[8]),
	}
	if int(cc.alg) < len(algNames) {
		c.Algorithm = algNames[cc.alg]
	}
	if cc.has_exp {
		c.ExpiresAt = time.Unix(int64(cc.exp), 0)
	}
	if cc.has_nbf {
		c.NotBefore = time.Unix(int64(cc.nbf), 0)
	}
	if cc.has_iat {
		c.IssuedAt = time.Unix(int64(cc.iat), 0)
	}
	if c.Scope != "" {
		c.Scopes = strings.Fields(c.Scope)
	}
	if audFound {
		aud, err := parseAudience(all[audOff-lo : audOff-lo+audLen])
		if err != nil {
			return nil, ErrClaimWrongType
		}
		c.Audience = aud
	}
	return c, nil
}

var algNames = func() [12]string {
	var names [12]string
	for i := range names {
		names[i] = algName(uint32(i))
	}
	return names
}()

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
