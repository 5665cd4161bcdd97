package verifier

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// route picks the issuer's verifier for a token by its "iss", read before
// anything is verified. That is sound because the chosen verifier's policy
// requires exactly that issuer and it holds only that issuer's keys: a lie
// in "iss" only sends the token to keys that did not sign it. Reading it
// costs work linear in the token (bounded by MaxTokenLen). A token whose
// "iss" cannot be read goes to the first issuer's verifier, which refuses it
// with the precise error (malformed token, missing Bearer, ...). An "iss"
// naming no issuer is ErrUnknownIssuer, as the C library's routed verifier
// reports it (VF_UNKNOWN_ISSUER): never another issuer's refusal.
func (v *Verifier) route(token string, authorization bool) (*Verifier, error) {
	if len(token) > MaxTokenLen {
		return v.first, nil
	}
	if authorization {
		t, ok := bearerToken(token)
		if !ok {
			return v.first, nil
		}
		token = t
	}
	_, rest, ok := strings.Cut(token, ".")
	if !ok {
		return v.first, nil
	}
	payload, _, ok := strings.Cut(rest, ".")
	if !ok {
		return v.first, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return v.first, nil
	}
	var claims struct {
		Iss json.RawMessage `json:"iss"`
	}
	if json.Unmarshal(raw, &claims) != nil {
		return v.first, nil
	}
	var iss string
	switch {
	case claims.Iss == nil:
		return nil, refusal(606, "token has no iss, which routing needs (routed issuers: "+v.routedIssuers()+")")
	case json.Unmarshal(claims.Iss, &iss) != nil:
		return nil, ErrClaimWrongType
	}
	if t := v.tenants[iss]; t != nil {
		return t, nil
	}
	// The C library's routed verifier says the same (VF_UNKNOWN_ISSUER):
	// no issuer's keys or policy were tried.
	return nil, refusal(411, fmt.Sprintf("iss %q is not a routed issuer (%s)", iss, v.routedIssuers()))
}

// routedIssuers lists the issuers quoted, as the C library's explanation does.
func (v *Verifier) routedIssuers() string {
	q := make([]string, len(v.issuers))
	for i, s := range v.issuers {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// bearerToken is the token of an Authorization value "Bearer <token>" as the
// C library reads it: scheme case-insensitive, blanks around ignored.
func bearerToken(h string) (string, bool) {
	h = strings.Trim(h, " \t")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok {
		scheme, tok, ok = strings.Cut(h, "\t")
	}
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return "", false
	}
	return strings.Trim(tok, " \t"), true
}
