package verifier

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
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
	issRaw, err := issMember(raw)
	if errors.Is(err, errDuplicateIss) {
		// As the C library's router reads the payload: refused before any
		// route, not with the first issuer's keys.
		return nil, refusal(302, `the payload has "iss" twice`)
	}
	if err != nil {
		return v.first, nil
	}
	var iss string
	switch {
	case issRaw == nil:
		return nil, refusal(606, "token has no iss, which routing needs (routed issuers: "+v.routedIssuers()+")")
	case json.Unmarshal(issRaw, &iss) != nil:
		return nil, ErrClaimWrongType
	}
	if t := v.tenants[iss]; t != nil {
		return t, nil
	}
	// The C library's routed verifier says the same (VF_UNKNOWN_ISSUER):
	// no issuer's keys or policy were tried.
	return nil, refusal(411, fmt.Sprintf("iss %q is not a routed issuer (%s)", iss, v.routedIssuers()))
}

// issMember is the raw value of the payload's "iss" member, nil when it has
// none. The name is matched exactly and a second "iss" is not ok, as the C
// library's strict parser reads it: encoding/json's own decoding would match
// "ISS" too and let the last duplicate win, so that a token could be routed
// by another "iss" than the one its verifier then checks. errDuplicateIss
// for a second "iss"; another error (the first verifier then gives the
// precise JSON refusal) for anything but an object.
func issMember(raw []byte) (json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errNotObject
	}
	var iss json.RawMessage
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := t.(string)
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return nil, err
		}
		if name == "iss" {
			if iss != nil {
				return nil, errDuplicateIss
			}
			iss = val
		}
	}
	return iss, nil
}

var (
	errDuplicateIss = errors.New(`"iss" twice`)
	errNotObject    = errors.New("not a JSON object")
)

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
