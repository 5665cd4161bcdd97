//go:build cgo

package verifier

import (
	"fmt"
	"math"
	"time"
)

// An Option configures a Verifier: where its keys come from and the claims
// policy tokens must meet. Options may be given in any order: a preset
// (Clerk, Logto) is applied first and explicit options refine it.
type Option func(*config) error

type keyKind int

const (
	keyJWKS keyKind = iota
	keyJWK
	keyPEM
	keyHMAC
)

// keySpec is one pinned key source, kept so that key replacement (JWKS
// refresh, SetJWKS) can rebuild the complete key set.
type keySpec struct {
	op   string
	kind keyKind
	data []byte
	kid  string
	alg  string
}

type preset int

const (
	presetNone preset = iota
	presetClerk
	presetLogto
)

type config struct {
	keys    []keySpec
	remote  *remoteSpec
	tenants []tenantSpec

	preset          preset
	presetIssuer    string
	presetAudience  string
	lists           [7][]string // indexed by strSetting
	allowMissingTyp *bool
	leeway          *uint32
	maxAge          *uint32
	requireExp      *bool
	requireSub      *bool
	maxTokenLen     int
	clock           func() time.Time
}

func copyBytes(b []byte) []byte { return append([]byte(nil), b...) }

// WithJWKS pins every usable key of a JWKS document ({"keys": [...]}).
func WithJWKS(jwks []byte) Option {
	return func(c *config) error {
		c.keys = append(c.keys, keySpec{op: "WithJWKS", kind: keyJWKS, data: copyBytes(jwks)})
		return nil
	}
}

// WithJWK pins a single JWK (a JSON object with "kty").
func WithJWK(jwk []byte) Option {
	return func(c *config) error {
		c.keys = append(c.keys, keySpec{op: "WithJWK", kind: keyJWK, data: copyBytes(jwk)})
		return nil
	}
}

// WithPEM pins a PEM public key ("PUBLIC KEY", SubjectPublicKeyInfo) or
// certificate. kid may be "": a key without a kid also serves tokens whose
// kid no other pinned key claims.
func WithPEM(pem []byte, kid string) Option {
	return func(c *config) error {
		c.keys = append(c.keys, keySpec{op: "WithPEM", kind: keyPEM, data: copyBytes(pem), kid: kid})
		return nil
	}
}

// WithHMAC pins a shared secret. alg ("HS256", "HS384", "HS512") restricts
// it to one algorithm; "" allows each HS algorithm the secret is long enough
// for. kid may be "".
func WithHMAC(secret []byte, alg, kid string) Option {
	return func(c *config) error {
		c.keys = append(c.keys, keySpec{op: "WithHMAC", kind: keyHMAC, data: copyBytes(secret), alg: alg, kid: kid})
		return nil
	}
}

func appendList(which strSetting, values []string) Option {
	return func(c *config) error {
		c.lists[which] = append(c.lists[which], values...)
		return nil
	}
}

// WithIssuer accepts tokens whose "iss" is one of the given values (exact
// match). Without it "iss" is not checked.
func WithIssuer(issuers ...string) Option { return appendList(setIssuer, issuers) }

// WithAudience accepts tokens whose "aud" contains one of the given values.
// Without it "aud" is not checked.
func WithAudience(audiences ...string) Option { return appendList(setAudience, audiences) }

// WithAuthorizedParty accepts tokens whose "azp", when present, is one of the
// given values (Clerk: your application's origins).
func WithAuthorizedParty(parties ...string) Option {
	return appendList(setAuthorizedParty, parties)
}

// WithClientID requires "client_id" (RFC 9068) to be one of the given values.
func WithClientID(ids ...string) Option { return appendList(setClientID, ids) }

// WithTyp requires the header "typ" to be one of the given values (compared
// case-insensitively, "application/" optional). See WithAllowMissingTyp.
func WithTyp(typs ...string) Option { return appendList(setTyp, typs) }

// WithRequiredScopes requires every given scope in the token's "scope".
func WithRequiredScopes(scopes ...string) Option { return appendList(setScope, scopes) }

// WithAlgorithms restricts the accepted algorithms ("RS256", "ES384",
// "EdDSA", ...) on top of each key's own restriction. With a preset, the
// given algorithms are added to the preset's (e.g. Logto with "RS256" after
// switching the tenant's signing key to RSA).
func WithAlgorithms(algs ...string) Option { return appendList(setAlg, algs) }

// WithAllowMissingTyp decides whether a token without "typ" passes when a
// typ is required (WithTyp or a preset).
func WithAllowMissingTyp(allow bool) Option {
	return func(c *config) error {
		c.allowMissingTyp = &allow
		return nil
	}
}

func seconds(op string, d time.Duration) (uint32, error) {
	if d < 0 || d/time.Second > math.MaxUint32 || d%time.Second != 0 {
		return 0, &ConfigError{Op: op, Detail: fmt.Sprintf("%v is not a whole, non-negative number of seconds", d), Err: ErrInvalidArgument}
	}
	return uint32(d / time.Second), nil
}

// WithLeeway tolerates this much clock skew on "exp", "nbf" and "iat"
// (whole seconds).
func WithLeeway(d time.Duration) Option {
	return func(c *config) error {
		s, err := seconds("WithLeeway", d)
		c.leeway = &s
		return err
	}
}

// WithMaxAge refuses tokens issued ("iat") longer ago than d (whole seconds;
// 0 = no limit). With a limit, "iat" is required.
func WithMaxAge(d time.Duration) Option {
	return func(c *config) error {
		s, err := seconds("WithMaxAge", d)
		c.maxAge = &s
		return err
	}
}

// WithRequireExp decides whether a token without "exp" is refused (default true).
func WithRequireExp(on bool) Option {
	return func(c *config) error {
		c.requireExp = &on
		return nil
	}
}

// WithRequireSub decides whether a token without "sub" is refused (default true).
func WithRequireSub(on bool) Option {
	return func(c *config) error {
		c.requireSub = &on
		return nil
	}
}

// WithMaxTokenLen refuses tokens longer than n bytes before any decoding
// (1..MaxTokenLen; default MaxTokenLen).
func WithMaxTokenLen(n int) Option {
	return func(c *config) error {
		if n < 1 || n > MaxTokenLen {
			return &ConfigError{Op: "WithMaxTokenLen", Detail: fmt.Sprintf("%d is outside 1..%d", n, MaxTokenLen), Err: ErrInvalidArgument}
		}
		c.maxTokenLen = n
		return nil
	}
}

// WithClock makes the verifier read the time from now instead of the
// system clock (for tests, or a monotonic-corrected clock).
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		c.clock = now
		return nil
	}
}

// Clerk configures the Clerk session-token policy
// (clerk.com/docs/backend-requests/manual-jwt): RS256 only, "typ" absent or
// "JWT", 5 s clock skew, "iss" = your Frontend API URL, and "azp", when
// present, one of authorizedParties (your app's origins, e.g.
// "https://app.example.com"). The issuer is required: New refuses "" (a token
// of any Clerk instance whose key you pinned would pass), unless the issuers
// come from WithIssuerJWKSURL.
func Clerk(issuer string, authorizedParties ...string) Option {
	return func(c *config) error {
		c.preset = presetClerk
		c.presetIssuer = issuer
		if issuer != "" {
			c.lists[setIssuer] = append(c.lists[setIssuer], issuer)
		}
		c.lists[setAuthorizedParty] = append(c.lists[setAuthorizedParty], authorizedParties...)
		return nil
	}
}

// Logto configures the Logto access-token policy (RFC 9068): ES384 (Logto's
// default signing key; add WithAlgorithms("RS256") if you rotated to RSA),
// "typ" "at+jwt" required, no clock skew, "iss" = https://<tenant>/oidc,
// "aud" = your API resource indicator, and "client_id" one of clientIDs when
// any are given. Issuer and audience are required: New refuses "" for either
// (an access token of another tenant, or for another API resource, would
// pass), except that the issuers may come from WithIssuerJWKSURL instead.
func Logto(issuer, audience string, clientIDs ...string) Option {
	return func(c *config) error {
		c.preset = presetLogto
		c.presetIssuer, c.presetAudience = issuer, audience
		if issuer != "" {
			c.lists[setIssuer] = append(c.lists[setIssuer], issuer)
		}
		if audience != "" {
			c.lists[setAudience] = append(c.lists[setAudience], audience)
		}
		c.lists[setClientID] = append(c.lists[setClientID], clientIDs...)
		return nil
	}
}

// validate refuses, in Go and before anything reaches C, the configurations
// that would silently drop a check a preset promises, and the combinations
// that would break the binding of keys to issuers.
func (c *config) validate() error {
	tenants := len(c.tenants) > 0
	refuse := func(op, detail string) error {
		return &ConfigError{Op: op, Detail: detail, Err: ErrInvalidPolicy}
	}
	switch c.preset {
	case presetClerk:
		if c.presetIssuer == "" && !tenants {
			return refuse("Clerk", `issuer is empty: give your Frontend API URL (the tokens' "iss"), or tokens of every Clerk instance signed by a pinned key would pass`)
		}
	case presetLogto:
		if c.presetIssuer == "" && !tenants {
			return refuse("Logto", `issuer is empty: give https://<tenant>/oidc (the tokens' "iss"), or tokens of every tenant signed by a pinned key would pass`)
		}
		if c.presetAudience == "" {
			return refuse("Logto", `audience is empty: give your API resource indicator (the tokens' "aud"), or access tokens for any other resource of the tenant would pass`)
		}
	}
	if !tenants {
		return nil
	}
	switch {
	case c.remote != nil:
		return refuse("WithIssuerJWKSURL", "cannot be combined with WithJWKSURL (whose keys would serve every issuer): bind each URL to its issuer")
	case len(c.keys) > 0:
		return refuse("WithIssuerJWKSURL", "cannot be combined with "+c.keys[0].op+" (its keys would serve every issuer)")
	case len(c.lists[setIssuer]) > 0:
		return refuse("WithIssuerJWKSURL", "the issuers come from WithIssuerJWKSURL: do not also give WithIssuer or a preset's issuer")
	}
	return nil
}

var listOps = [...]string{"WithIssuer", "WithAudience", "WithAuthorizedParty", "WithClientID", "WithTyp", "WithRequiredScopes", "WithAlgorithms"}

// check turns a C status from a config call into a ConfigError.
func (cc *cConfig) check(op string, st uint32) error {
	if st == statusOK {
		return nil
	}
	return &ConfigError{Op: op, Detail: cc.lastError(), Err: statusError(st)}
}

// applyPolicy writes the policy part of c into a C config: preset first,
// then the explicit options.
func (c *config) applyPolicy(cc *cConfig) error {
	switch c.preset {
	case presetClerk:
		if err := cc.check("Clerk", cc.presetClerk()); err != nil {
			return err
		}
	case presetLogto:
		if err := cc.check("Logto", cc.presetLogto()); err != nil {
			return err
		}
	}
	for which, values := range c.lists {
		for _, s := range values {
			if err := cc.check(listOps[which], cc.addString(strSetting(which), s)); err != nil {
				return err
			}
		}
	}
	steps := []struct {
		op  string
		set bool
		run func() uint32
	}{
		{"WithAllowMissingTyp", c.allowMissingTyp != nil, func() uint32 { return cc.allowMissingTyp(*c.allowMissingTyp) }},
		{"WithLeeway", c.leeway != nil, func() uint32 { return cc.setLeeway(*c.leeway) }},
		{"WithMaxAge", c.maxAge != nil, func() uint32 { return cc.setMaxAge(*c.maxAge) }},
		{"WithRequireExp", c.requireExp != nil, func() uint32 { return cc.setRequireExp(*c.requireExp) }},
		{"WithRequireSub", c.requireSub != nil, func() uint32 { return cc.setRequireSub(*c.requireSub) }},
		{"WithMaxTokenLen", c.maxTokenLen != 0, func() uint32 { return cc.setMaxTokenLen(c.maxTokenLen) }},
	}
	for _, s := range steps {
		if s.set {
			if err := cc.check(s.op, s.run()); err != nil {
				return err
			}
		}
	}
	return nil
}

// applyKeys adds the static keys and, if given, a fetched JWKS document.
func applyKeys(cc *cConfig, keys []keySpec, fetched []byte) error {
	for _, k := range keys {
		if err := cc.check(k.op, cc.addKey(k)); err != nil {
			return err
		}
	}
	if fetched != nil {
		if err := cc.check("WithJWKSURL", cc.addKey(keySpec{kind: keyJWKS, data: fetched})); err != nil {
			return err
		}
	}
	return nil
}
