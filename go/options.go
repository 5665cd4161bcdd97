package verifier

import (
	"encoding/base64"
	"encoding/json"
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
	keyX509Map // an X.509 map document (WithX509URL), never pinned
)

// keySpec is one pinned key source, kept so that key replacement (JWKS
// refresh, SetJWKS) can rebuild the complete key set.
type keySpec struct {
	op        string
	kind      keyKind
	data      []byte
	kid       string
	alg       string
	issuer    string
	hasIssuer bool
	flags     uint32
	anyKIDSet bool // KeyAnyKID given explicitly
	// plain is the key as given when it is loaded as a one-key JWKS (a JWK or
	// HMAC secret with an issuer binding or PSS): re-run alone on failure for
	// the precise error, since a JWKS reports an unusable key as ErrNoKeys.
	plain *keySpec
}

type preset int

const (
	presetNone preset = iota
	presetClerk
	presetLogto
	presetIDToken
	presetAccessToken
	presetAuth0
	presetFirebase
	presetSupabase
	presetCognitoID
	presetCognitoAccess
	presetEntra
	presetGoogle
	presetOkta
	presetKeycloak
	presetKeycloakID
)

var presetOps = [...]string{"", "Clerk", "Logto", "IDToken", "AccessToken",
	"Auth0", "Firebase", "Supabase", "CognitoID", "CognitoAccess", "Entra", "Google", "Okta", "Keycloak", "KeycloakID"}

type config struct {
	keys    []keySpec
	remote  *remoteSpec
	tenants []tenantSpec
	// prefetch makes New's fetches of the tenants' URLs (WithIssuerJWKSURL).
	prefetch func([]tenantSpec)

	preset          preset
	presetIssuer    string
	presetAudiences []string
	lists           [9][]string // indexed by strSetting
	allowMissingTyp *bool
	leeway          *uint32
	maxAge          *uint32
	requireExp      *bool
	requireSub      *bool
	requireAllAud   *bool
	requireAZP      *bool
	maxTokenLen     int
	clock           func() time.Time
	keyErr          error // a KeyOption that does not apply to its key
}

func copyBytes(b []byte) []byte { return append([]byte(nil), b...) }

// A KeyOption qualifies the keys of one source: WithJWKS, WithJWK, WithPEM,
// WithHMAC and SetJWKS take them (JWKS URLs have the same knobs in
// JWKSOptions).
type KeyOption func(*keySpec)

// KeyIssuer binds the keys to one issuer (RFC 8725 3.8): a token they
// verify must carry exactly this "iss", else ErrKeyIssuerMismatch. It is
// checked after the signature, whatever the policy's WithIssuer says, so
// keys of several tenants or providers can share one verifier without one
// issuer's key vouching for another's tokens. "" or more than 128 bytes is
// refused (ErrKeyIssuerInvalid).
func KeyIssuer(issuer string) KeyOption {
	return func(k *keySpec) { k.issuer, k.hasIssuer = issuer, true }
}

// KeyRSAPSS widens RSA keys that carry no JWK "alg" (and PEM keys) from
// PKCS#1 v1.5 (RS256/384/512, the default) to PSS (PS256/384/512) as well.
// Each key verifies one algorithm family unless widened (RFC 8725 3.1).
func KeyRSAPSS() KeyOption { return func(k *keySpec) { k.flags |= flagRSAPSS } }

// KeyPSSAnySalt lets RSA keys accept PSS signatures with any salt length, not
// only the hash length RFC 7518 requires: for signers using the maximum salt
// (Go's rsa.PSSSaltLengthAuto, older golang-jwt), whose tokens are otherwise
// ErrPSSSaltLength. The keys must verify PSS (KeyRSAPSS or a JWK "alg").
func KeyPSSAnySalt() KeyOption { return func(k *keySpec) { k.flags |= flagPSSAnySalt } }

// KeyAllowSymmetric loads the "oct" (HMAC) keys of a JWKS document, which
// are skipped by default (LoadReport.SkippedSymmetric): whoever can read a
// published JWKS could forge tokens with them. WithJWKS and SetJWKS only.
func KeyAllowSymmetric() KeyOption { return func(k *keySpec) { k.flags |= flagAllowSymmetric } }

// KeyAnyKID makes a PEM key given without kid also answer tokens whose "kid"
// no other key claims, as Clerk's networkless verification does. WithPEM
// only. Without it, such a token gets ErrUnknownKID (the signal that makes a
// JWKS URL refresh), except under the Clerk preset when the verifier has no
// JWKS (see Clerk).
func KeyAnyKID() KeyOption {
	return func(k *keySpec) { k.flags |= flagAnyKID; k.anyKIDSet = true }
}

// addKeySpec applies the key options and checks that each applies.
func (c *config) addKeySpec(k keySpec, opts []KeyOption) {
	for _, o := range opts {
		o(&k)
	}
	if k.flags&flagAnyKID != 0 && k.kind != keyPEM && c.keyErr == nil {
		c.keyErr = &ConfigError{Op: k.op, Detail: "KeyAnyKID applies to WithPEM keys only", Err: ErrInvalidArgument}
	}
	if k.flags&flagAllowSymmetric != 0 && k.kind != keyJWKS && c.keyErr == nil {
		c.keyErr = &ConfigError{Op: k.op, Detail: "KeyAllowSymmetric applies to JWKS documents only (a JWK or secret given alone is loaded anyway)", Err: ErrInvalidArgument}
	}
	c.keys = append(c.keys, asJWKS(k))
}

// asJWKS turns a JWK or HMAC secret that has an issuer binding or the PSS
// widening into a one-key JWKS, the C call that takes them; other keys are
// returned as they are.
func asJWKS(k keySpec) keySpec {
	if (k.kind != keyJWK && k.kind != keyHMAC) || (!k.hasIssuer && k.flags&(flagRSAPSS|flagPSSAnySalt) == 0) {
		return k
	}
	plain := k
	var doc []byte
	if k.kind == keyJWK {
		doc = append(append([]byte(`{"keys":[`), k.data...), "]}"...)
	} else {
		jwk := map[string]string{"kty": "oct", "k": base64.RawURLEncoding.EncodeToString(k.data), "alg": k.alg}
		if k.alg == "" {
			jwk["alg"] = "HS256" // as vf_config_add_hmac_secret with no alg
		}
		if k.kid != "" {
			jwk["kid"] = k.kid
		}
		doc, _ = json.Marshal(map[string]any{"keys": []any{jwk}})
	}
	return keySpec{op: k.op, kind: keyJWKS, data: doc, issuer: k.issuer, hasIssuer: k.hasIssuer,
		flags: (k.flags &^ flagAnyKID) | flagAllowSymmetric, plain: &plain}
}

// WithJWKS pins every usable key of a JWKS document ({"keys": [...]}).
// Keys that cannot be used (unknown type or curve, "use":"enc", RSA outside
// 2048..4096 bits, a kid over 64 bytes, malformed, off-curve, and "oct" keys
// unless KeyAllowSymmetric) are skipped and counted in Verifier.LoadReport;
// New fails only when no key is usable (ErrNoKeys, naming why the first was
// skipped) or there are more than MaxKeys.
func WithJWKS(jwks []byte, opts ...KeyOption) Option {
	return func(c *config) error {
		c.addKeySpec(keySpec{op: "WithJWKS", kind: keyJWKS, data: copyBytes(jwks)}, opts)
		return nil
	}
}

// WithJWK pins a single JWK (a JSON object with "kty"). An RSA key without
// "alg" verifies RS256/384/512 only (KeyRSAPSS adds PS*).
func WithJWK(jwk []byte, opts ...KeyOption) Option {
	return func(c *config) error {
		c.addKeySpec(keySpec{op: "WithJWK", kind: keyJWK, data: copyBytes(jwk)}, opts)
		return nil
	}
}

// WithPEM pins a PEM public key ("PUBLIC KEY", SubjectPublicKeyInfo, "RSA
// PUBLIC KEY") or certificate. kid may be "": a key without kid serves
// tokens without kid; tokens whose kid no key claims only with KeyAnyKID
// (or under Clerk, see there). An RSA key verifies RS256/384/512 only
// (KeyRSAPSS adds PS*).
func WithPEM(pem []byte, kid string, opts ...KeyOption) Option {
	return func(c *config) error {
		c.addKeySpec(keySpec{op: "WithPEM", kind: keyPEM, data: copyBytes(pem), kid: kid}, opts)
		return nil
	}
}

// WithHMAC pins a shared secret for one algorithm (RFC 8725 3.1): alg is
// "HS256", "HS384" or "HS512", and "" means HS256. The secret must be at
// least as long as the hash output. kid may be "".
func WithHMAC(secret []byte, alg, kid string, opts ...KeyOption) Option {
	return func(c *config) error {
		c.addKeySpec(keySpec{op: "WithHMAC", kind: keyHMAC, data: copyBytes(secret), alg: alg, kid: kid}, opts)
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

// WithRequiredScopes requires every given scope: a word of the token's
// "scope" string (RFC 9068, RFC 8693), or an element of a "scope" or "scp"
// array (Okta, Entra ID). ErrMissingScope otherwise.
func WithRequiredScopes(scopes ...string) Option { return appendList(setScope, scopes) }

// WithSubject requires "sub" to be present (ErrMissingSubject) and equal to
// one of the given values, exactly (ErrWrongSubject).
func WithSubject(subjects ...string) Option { return appendList(setSubject, subjects) }

// WithRequireAllAudiences decides whether every WithAudience value must be in
// the token's "aud" (a string or an array), not just one (default false). A
// token with some but not all of them is ErrMissingRequiredAudience (its
// explanation names the missing ones), one with none ErrWrongAudience; New
// refuses the mode without any audience (ErrPolicyAllAudiencesEmpty).
func WithRequireAllAudiences(on bool) Option {
	return func(c *config) error {
		c.requireAllAud = &on
		return nil
	}
}

// WithRequireAuthorizedParty decides whether a token without "azp" is refused
// (ErrMissingAuthorizedParty; default false). The Clerk preset, as Clerk's
// SDKs, accepts a token without "azp" (a backend's request); turn this on
// where every token must name the origin it was made for.
func WithRequireAuthorizedParty(on bool) Option {
	return func(c *config) error {
		c.requireAZP = &on
		return nil
	}
}

// WithAlgorithms restricts the accepted algorithms ("RS256", "ES384",
// "EdDSA", ...) on top of each key's own restriction. With a preset, the
// given algorithms are added to the preset's (e.g. Logto with "RS256" after
// switching the tenant's signing key to RSA).
func WithAlgorithms(algs ...string) Option { return appendList(setAlg, algs) }

// WithRoles accepts tokens whose "role" claim is one of the given values (up
// to 8 in all), replacing the Supabase preset's "authenticated": give every
// role your API accepts, e.g. "authenticated" and the custom roles a Supabase
// custom access token hook sets
// (https://supabase.com/docs/guides/auth/jwt-fields). With any role given, a
// token without "role" gets ErrMissingRole and one with another role
// ErrWrongRole, whatever the preset; an empty role or a ninth is
// ErrInvalidPolicy.
func WithRoles(roles ...string) Option { return appendList(setRole, roles) }

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
// present, one of authorizedParties: your app's origins, e.g.
// "https://app.example.com". Both are required: New refuses an empty issuer
// (ErrPolicyNeedsIssuer: a token of any Clerk instance whose key you pinned
// would pass; the issuers may come from WithIssuerJWKSURL instead) and no
// authorized party (ErrPolicyNeedsAuthorizedParty: Clerk's docs require the
// azp check, or a session token minted for another site would pass).
//
// A PEM key given without kid (Clerk's "JWT public key") answers tokens of
// any kid, as Clerk's networkless verification does, unless the verifier
// also has a JWKS (WithJWKS, WithJWKSURL): there an unknown kid must stay
// ErrUnknownKID so that the JWKS is refreshed. KeyAnyKID says so explicitly.
func Clerk(issuer string, authorizedParties ...string) Option {
	return func(c *config) error {
		c.setPreset(presetClerk, issuer, nil)
		for _, p := range authorizedParties {
			if p != "" { // Clerk(iss, "") is no origin: refused in New, by name
				c.lists[setAuthorizedParty] = append(c.lists[setAuthorizedParty], p)
			}
		}
		return nil
	}
}

// Logto configures the Logto access-token policy (RFC 9068): ES384 (Logto's
// default signing key; add WithAlgorithms("RS256") if you rotated to RSA),
// "typ" "at+jwt" required, "client_id", "iat" and "jti" required, no clock
// skew (an "iat" slightly ahead passes unless WithMaxAge is set, as Logto's
// SDKs do), "iss" = https://<tenant>/oidc, "aud" = your API resource
// indicator, and "client_id" one of clientIDs when any are given. Issuer and
// audience are required: New refuses "" for either (ErrPolicyNeedsIssuer,
// ErrPolicyNeedsAudience: an access token of another tenant, or for another
// API resource, would pass), except that the issuers may come from
// WithIssuerJWKSURL instead.
func Logto(issuer, audience string, clientIDs ...string) Option {
	return func(c *config) error {
		c.setPreset(presetLogto, issuer, []string{audience})
		c.lists[setClientID] = append(c.lists[setClientID], clientIDs...)
		return nil
	}
}

// IDToken configures an OpenID Connect ID-token policy (OIDC Core 3.1.3.7):
// asymmetric algorithms only, 60 s clock skew, "typ" "at+jwt" refused
// (ErrAccessTokenAsIDToken), "iss" = the provider, "aud" containing one of
// clientIDs (your client ids), and "azp" required when "aud" has several
// values (ErrMissingAuthorizedParty) and, when present, one of clientIDs.
// New refuses an empty issuer (unless it comes from WithIssuerJWKSURL) or no
// client id (ErrPolicyNeedsIssuer, ErrPolicyNeedsAudience).
func IDToken(issuer string, clientIDs ...string) Option {
	return func(c *config) error {
		c.setPreset(presetIDToken, issuer, clientIDs)
		return nil
	}
}

// AccessToken configures an OAuth 2.0 access-token policy in JWT form
// (RFC 9068): asymmetric algorithms only, 60 s clock skew, "typ" "at+jwt",
// "exp", "sub", "client_id", "iat" and "jti" required (ErrMissingJTI),
// "iss" = the authorization server, "aud" containing audience (this API's
// resource indicator), and "client_id" one of clientIDs when any are given.
// New refuses an empty issuer (unless it comes from WithIssuerJWKSURL) or
// audience (ErrPolicyNeedsIssuer, ErrPolicyNeedsAudience).
func AccessToken(issuer, audience string, clientIDs ...string) Option {
	return func(c *config) error {
		c.setPreset(presetAccessToken, issuer, []string{audience})
		c.lists[setClientID] = append(c.lists[setClientID], clientIDs...)
		return nil
	}
}

// Auth0 configures the Auth0 access-token policy for your API
// (https://auth0.com/docs/secure/tokens/access-tokens/validate-access-tokens):
// RS256 or PS256, "typ" "JWT", "at+jwt" or absent, 5 s clock skew, "iss" =
// https://YOUR_DOMAIN/ (with its trailing slash), "aud" containing audience,
// your API identifier. An Auth0 ID token (aud: the client id) gets
// ErrWrongAudience. New refuses an empty issuer or audience
// (ErrPolicyNeedsIssuer, ErrPolicyNeedsAudience).
func Auth0(issuer, audience string) Option {
	return func(c *config) error {
		c.setPreset(presetAuth0, issuer, []string{audience})
		return nil
	}
}

// Firebase configures the Firebase Authentication ID-token policy
// (https://firebase.google.com/docs/auth/admin/verify-id-tokens#verify_id_tokens_using_a_third-party_jwt_library):
// RS256, no clock skew, "iss" = https://securetoken.google.com/<projectID>,
// "aud" = projectID, "sub" non-empty (ErrMissingSubject) and at most 128
// characters (ErrClaimOutOfRange, as the Admin SDKs), "auth_time" present and in
// the past (ErrMissingAuthTime, ErrAuthTimeInFuture). New refuses an empty
// project id (ErrPolicyNeedsAudience).
func Firebase(projectID string) Option {
	return func(c *config) error {
		issuer := ""
		if projectID != "" {
			issuer = "https://securetoken.google.com/" + projectID
		}
		c.setPreset(presetFirebase, issuer, []string{projectID})
		return nil
	}
}

// Supabase configures the Supabase Auth user-session policy
// (https://supabase.com/docs/guides/auth/jwts): ES256, RS256 (asymmetric
// signing keys) or HS256 (the legacy JWT secret: WithHMAC), no clock skew,
// "iss" = https://<project-ref>.supabase.co/auth/v1, "aud" "authenticated"
// and "role" "authenticated": the project's anon and service_role keys get
// ErrWrongRole (or ErrWrongIssuer), never pass as a user session; other
// roles (a custom access token hook's) with WithRoles. New refuses an empty
// issuer (ErrPolicyNeedsIssuer).
func Supabase(issuer string) Option {
	return func(c *config) error {
		c.setPreset(presetSupabase, issuer, []string{"authenticated"})
		return nil
	}
}

// CognitoID configures the AWS Cognito user-pool ID-token policy
// (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html):
// RS256, no clock skew, "iss" =
// https://cognito-idp.<region>.amazonaws.com/<userPoolId>, "aud" one of
// clientIDs (your app client ids), "token_use" "id" (an access token gets
// ErrMissingAudience or ErrWrongTokenUse). New refuses an empty issuer or
// no client id (ErrPolicyNeedsIssuer, ErrPolicyNeedsAudience).
func CognitoID(issuer string, clientIDs ...string) Option {
	return func(c *config) error {
		c.setPreset(presetCognitoID, issuer, clientIDs)
		return nil
	}
}

// CognitoAccess configures the AWS Cognito user-pool access-token policy
// (same documentation as CognitoID): RS256, no clock skew, "iss" as there,
// "client_id" one of clientIDs (access tokens carry no "aud"), "token_use"
// "access" (an ID token gets ErrWrongTokenUse). New refuses an empty issuer
// or no client id (ErrPolicyNeedsIssuer, ErrPolicyNeedsClientID).
func CognitoAccess(issuer string, clientIDs ...string) Option {
	return func(c *config) error {
		c.setPreset(presetCognitoAccess, issuer, nil)
		for _, id := range clientIDs {
			if id != "" {
				c.lists[setClientID] = append(c.lists[setClientID], id)
			}
		}
		return nil
	}
}

// Entra configures the Microsoft Entra ID access-token policy
// (https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-tokens):
// RS256, 5 min clock skew, "iss" = issuer
// (https://login.microsoftonline.com/<tid>/v2.0 or
// https://sts.windows.net/<tid>/; for a multi-tenant app
// https://login.microsoftonline.com/{tenantid}/v2.0, the placeholder taking
// the token's "tid"), "aud" one of audiences (your application id or its
// api:// URI), "tid" present and the issuer's tenant (ErrMissingTenant,
// ErrWrongTenant). New refuses an empty issuer or no audience.
func Entra(issuer string, audiences ...string) Option {
	return func(c *config) error {
		c.setPreset(presetEntra, issuer, audiences)
		return nil
	}
}

// Google configures the Google ID-token policy
// (https://developers.google.com/identity/gsi/web/guides/verify-google-id-token):
// RS256, 60 s clock skew, "iss" https://accounts.google.com or
// accounts.google.com (both accepted), "aud" one of clientIDs (your client
// ids). New refuses no client id (ErrPolicyNeedsAudience).
func Google(clientIDs ...string) Option {
	return func(c *config) error {
		c.setPreset(presetGoogle, "https://accounts.google.com", clientIDs)
		c.lists[setIssuer] = append(c.lists[setIssuer], "accounts.google.com")
		return nil
	}
}

// Okta configures the Okta access-token policy
// (https://developer.okta.com/docs/guides/validate-access-tokens/main/):
// RS256, 2 min clock skew, "iss" = https://<org>.okta.com/oauth2/<authServerId>
// (or /oauth2/default), "aud" = audience ("" means "api://default", the
// default authorization server's), "cid" required (ErrMissingCID) and one
// of clientIDs when any are given (ErrWrongCID); scopes ("scp") with
// WithRequiredScopes. An Okta ID token gets ErrWrongAudience. New refuses an
// empty issuer (ErrPolicyNeedsIssuer).
func Okta(issuer, audience string, clientIDs ...string) Option {
	return func(c *config) error {
		if audience == "" {
			audience = "api://default"
		}
		c.setPreset(presetOkta, issuer, []string{audience})
		c.lists[setClientID] = append(c.lists[setClientID], clientIDs...)
		return nil
	}
}

// Keycloak configures the Keycloak access-token policy
// (https://www.keycloak.org/securing-apps/oidc-layers): the asymmetric
// algorithms a realm key may use, no clock skew, "iss" =
// https://<host>/realms/<realm>, "azp" one of clientIDs (your client ids),
// the payload's "typ" claim "Bearer" (an ID or refresh token gets
// ErrWrongTypClaim). New refuses an empty issuer or no client id
// (ErrPolicyNeedsIssuer, ErrPolicyNeedsAuthorizedParty).
func Keycloak(issuer string, clientIDs ...string) Option {
	return func(c *config) error {
		c.setPreset(presetKeycloak, issuer, nil)
		for _, id := range clientIDs {
			if id != "" {
				c.lists[setAuthorizedParty] = append(c.lists[setAuthorizedParty], id)
			}
		}
		return nil
	}
}

// KeycloakID configures the Keycloak ID-token policy (same documentation as
// Keycloak): the IDToken checks ("aud" one of clientIDs, "azp" one of them
// when present) with "iss" = https://<host>/realms/<realm>, the payload's
// "typ" claim "ID" (an access or refresh token gets ErrWrongTypClaim), no
// clock skew. New refuses an empty issuer or no client id.
func KeycloakID(issuer string, clientIDs ...string) Option {
	return func(c *config) error {
		c.setPreset(presetKeycloakID, issuer, clientIDs)
		return nil
	}
}

// setPreset records a preset and adds its issuer and audiences to the policy.
func (c *config) setPreset(p preset, issuer string, audiences []string) {
	c.preset, c.presetIssuer = p, issuer
	if issuer != "" {
		c.lists[setIssuer] = append(c.lists[setIssuer], issuer)
	}
	c.presetAudiences = nil
	for _, a := range audiences {
		if a != "" {
			c.presetAudiences = append(c.presetAudiences, a)
		}
	}
	c.lists[setAudience] = append(c.lists[setAudience], c.presetAudiences...)
}

// validate refuses, in Go and before anything reaches C, the configurations
// that would silently drop a check a preset promises, and the combinations
// that would break the binding of keys to issuers. It also settles how
// kid-less PEM keys answer unknown kids (see Clerk).
func (c *config) validate() error {
	if c.keyErr != nil {
		return c.keyErr
	}
	tenants := len(c.tenants) > 0
	refuse := func(op, detail string) error {
		return &ConfigError{Op: op, Detail: detail, Err: ErrInvalidPolicy}
	}
	needs := func(op string, err error, detail string) error {
		return &ConfigError{Op: op, Detail: detail, Err: err}
	}
	op := presetOps[c.preset]
	switch c.preset {
	case presetClerk:
		if c.presetIssuer == "" && !tenants {
			return needs(op, ErrPolicyNeedsIssuer, `issuer is empty: give your Frontend API URL (the tokens' "iss"), or tokens of every Clerk instance signed by a pinned key would pass`)
		}
		if len(c.lists[setAuthorizedParty]) == 0 {
			return needs(op, ErrPolicyNeedsAuthorizedParty, `no authorized party: give your app's origins (e.g. "https://app.example.com", the tokens' "azp"), or session tokens minted for another site would pass`)
		}
	case presetLogto, presetAccessToken:
		if c.presetIssuer == "" && !tenants {
			return needs(op, ErrPolicyNeedsIssuer, `issuer is empty: give the authorization server (Logto: https://<tenant>/oidc, the tokens' "iss"), or tokens of every issuer signed by a pinned key would pass`)
		}
		if len(c.presetAudiences) == 0 {
			return needs(op, ErrPolicyNeedsAudience, `audience is empty: give your API resource indicator (the tokens' "aud"), or access tokens for any other resource would pass (RFC 9068 section 4)`)
		}
	case presetIDToken:
		if c.presetIssuer == "" && !tenants {
			return needs(op, ErrPolicyNeedsIssuer, `issuer is empty: give the OpenID provider (the tokens' "iss"), or ID tokens of every provider signed by a pinned key would pass`)
		}
		if len(c.presetAudiences) == 0 {
			return needs(op, ErrPolicyNeedsAudience, `no client id: give your client id (the ID tokens' "aud"), or ID tokens issued to any other client would pass`)
		}
	case presetAuth0, presetFirebase, presetSupabase, presetCognitoID, presetCognitoAccess,
		presetEntra, presetGoogle, presetOkta, presetKeycloak, presetKeycloakID:
		if err := c.validateProvider(op, tenants); err != nil {
			return err
		}
	}
	c.settleAnyKID()
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

// validateProvider refuses a provider preset missing what its provider's
// documentation requires a backend to check.
func (c *config) validateProvider(op string, tenants bool) error {
	needs := func(err error, detail string) error {
		return &ConfigError{Op: op, Detail: detail, Err: err}
	}
	if c.preset == presetFirebase && len(c.presetAudiences) == 0 {
		return needs(ErrPolicyNeedsAudience, `project id is empty: give your Firebase project id (the ID tokens' "aud", and the issuer's last segment)`)
	}
	if c.presetIssuer == "" && !tenants {
		return needs(ErrPolicyNeedsIssuer, `issuer is empty: give the issuer its tokens carry ("iss"), or tokens of every tenant signed by the provider's keys would pass`)
	}
	switch c.preset {
	case presetAuth0, presetEntra:
		if len(c.presetAudiences) == 0 {
			return needs(ErrPolicyNeedsAudience, `audience is empty: give your API's identifier (the tokens' "aud"), or tokens for any other API of the tenant would pass`)
		}
	case presetCognitoID, presetGoogle, presetKeycloakID:
		if len(c.presetAudiences) == 0 {
			return needs(ErrPolicyNeedsAudience, `no client id: give your app client id (the ID tokens' "aud"), or ID tokens issued to any other client would pass`)
		}
	case presetCognitoAccess:
		if len(c.lists[setClientID]) == 0 {
			return needs(ErrPolicyNeedsClientID, `no client id: give your app client id (the access tokens' "client_id"; they carry no "aud"), or access tokens issued to any other app client of the pool would pass`)
		}
	case presetKeycloak:
		if len(c.lists[setAuthorizedParty]) == 0 {
			return needs(ErrPolicyNeedsAuthorizedParty, `no client id: give your client id (the access tokens' "azp"), or access tokens issued to any other client of the realm would pass`)
		}
	}
	return nil
}

// settleAnyKID: under Clerk, a kid-less PEM key answers any kid (Clerk's PEM
// verification ignores kid), but never silently beside a JWKS, where an
// unknown kid must stay ErrUnknownKID to trigger a refresh. Decided here
// once, in Go, so that key replacement (whose C config has no preset)
// rebuilds the same keys.
func (c *config) settleAnyKID() {
	hasJWKS := c.remote != nil
	for _, k := range c.keys {
		hasJWKS = hasJWKS || (k.kind == keyJWKS && k.plain == nil)
	}
	for i := range c.keys {
		k := &c.keys[i]
		if k.kind == keyPEM && k.kid == "" && !k.anyKIDSet && c.preset == presetClerk && !hasJWKS {
			k.flags |= flagAnyKID
		}
	}
}

var listOps = [...]string{"WithIssuer", "WithAudience", "WithAuthorizedParty", "WithClientID", "WithTyp", "WithRequiredScopes", "WithAlgorithms", "WithSubject", "WithRoles"}

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
	if c.preset != presetNone {
		if err := cc.check(presetOps[c.preset], cc.presetCall(c.preset)); err != nil {
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
		{"WithRequireAllAudiences", c.requireAllAud != nil, func() uint32 { return cc.setRequireAllAudiences(*c.requireAllAud) }},
		{"WithRequireAuthorizedParty", c.requireAZP != nil, func() uint32 { return cc.setRequireAZP(*c.requireAZP) }},
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

// applyKeys adds the static keys and, if given, a fetched (or SetJWKS)
// document. It returns the load report of all JWKS documents together and
// that of doc alone.
func applyKeys(cc *cConfig, keys []keySpec, doc *keySpec) (total, docReport LoadReport, err error) {
	add := func(k *keySpec) (LoadReport, error) {
		r, st := cc.addKey(k)
		err := cc.check(k.op, st)
		if err != nil && k.plain != nil {
			err = plainError(k.plain, err)
		}
		return r, err
	}
	for i := range keys {
		r, err := add(&keys[i])
		if err != nil {
			return LoadReport{}, LoadReport{}, err
		}
		if keys[i].plain == nil {
			total = total.add(r)
		}
	}
	if doc != nil {
		if docReport, err = add(doc); err != nil {
			return LoadReport{}, LoadReport{}, err
		}
		total = total.add(docReport)
	}
	return total, docReport, nil
}

// plainError is the precise refusal of a key that failed as a one-key JWKS
// (where any unusable key is ErrNoKeys): the key added alone, as given.
func plainError(plain *keySpec, jwksErr error) error {
	cc, err := newCConfig()
	if err != nil {
		return jwksErr
	}
	defer cc.free()
	p := *plain
	p.issuer, p.hasIssuer, p.flags = "", false, 0
	if _, st := cc.addKey(&p); st != statusOK {
		return cc.check(p.op, st)
	}
	return jwksErr
}
