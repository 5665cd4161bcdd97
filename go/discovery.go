package verifier

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ErrDiscovery is an OpenID Connect Discovery that failed: the issuer's
// discovery document could not be fetched, is not a JSON object, names
// another issuer (ErrIssuerMismatch), has no jwks_uri (ErrNoJWKSURI), or
// names an insecure one (ErrInsecureURL). Every such error is a
// *DiscoveryError.
var ErrDiscovery = errors.New("verifier: OpenID Connect discovery failed")

// ErrIssuerMismatch is a discovery document whose "issuer" is not exactly
// the configured issuer (OpenID Connect Discovery 1.0 §4.3): its keys would
// be another issuer's.
var ErrIssuerMismatch = errors.New(`verifier: the discovery document's "issuer" is not the configured issuer`)

// ErrNoJWKSURI is a discovery document without a "jwks_uri" string.
var ErrNoJWKSURI = errors.New(`verifier: the discovery document has no "jwks_uri"`)

// DiscoveryError is a failed discovery of Issuer's jwks_uri. errors.Is
// matches ErrDiscovery and the cause (ErrIssuerMismatch, ErrNoJWKSURI,
// ErrInsecureURL, an HTTP or network error).
type DiscoveryError struct {
	Issuer string
	Err    error
}

func (e *DiscoveryError) Error() string {
	return "OpenID Connect discovery for " + e.Issuer + ": " + e.Err.Error()
}

func (e *DiscoveryError) Unwrap() []error { return []error{ErrDiscovery, e.Err} }

// discoveryPath is appended to the issuer (without a trailing '/'),
// OpenID Connect Discovery 1.0 §4.
const discoveryPath = "/.well-known/openid-configuration"

// WithIssuerDiscovery binds an issuer to the keys its OpenID Connect
// Discovery document names: issuer+"/.well-known/openid-configuration" is
// fetched (a trailing '/' of issuer dropped first), its "issuer" must be
// exactly issuer (else ErrIssuerMismatch), and its "jwks_uri" is fetched
// and refreshed as WithIssuerJWKSURL describes, with the same routing and
// binding: tokens must carry exactly this "iss". From issuer to keys in
// one line:
//
//	v, err := verifier.New(verifier.WithIssuerDiscovery("https://accounts.google.com", verifier.JWKSOptions{}), verifier.WithAudience(clientID))
//
// issuer must be an https URL (or http to a loopback host) with no
// credentials, query or fragment. jwks_uri may be on another host (Google:
// accounts.google.com names www.googleapis.com), since it comes from the
// issuer's TLS-authenticated document, but must be https (or http to
// loopback) and carry no credentials (else ErrInsecureURL). Both fetches
// follow every rule of a JWKS URL: Timeout each, MaxBytes each, redirects
// within one host only. A discovery failure fails the fetch it belongs to
// (New's, or a refresh that then keeps the last good keys) with a
// *DiscoveryError.
//
// Discovery runs at the first fetch, and again before the next fetch after
// any failed one (a JWKS fetch that failed or whose document was refused):
// a provider that moves its jwks_uri is followed, and each fetch costs at
// most two requests, under the same refresh schedule and rate limit.
// A successful fetch does not re-discover.
func WithIssuerDiscovery(issuer string, opts JWKSOptions) Option {
	return func(c *config) error {
		const op = "WithIssuerDiscovery"
		if issuer == "" {
			return &ConfigError{Op: op, Detail: "issuer is empty", Err: ErrInvalidArgument}
		}
		// The keys are bound to it, and a key's issuer is at most 128 bytes:
		// refused here rather than at every fetch.
		if len(issuer) > maxIssuerLen {
			return &ConfigError{Op: op, Detail: fmt.Sprintf("issuer is %d bytes; keys bind issuers of at most %d", len(issuer), maxIssuerLen), Err: ErrKeyIssuerInvalid}
		}
		if err := checkURL(op, issuer); err != nil {
			return err
		}
		if u, _ := url.Parse(issuer); u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
			return &ConfigError{Op: op, Detail: fmt.Sprintf("issuer %q has a query or fragment, which an OpenID Connect issuer cannot have", issuer), Err: ErrInvalidArgument}
		}
		return c.addTenant(tenantSpec{issuer: issuer, remote: remoteSpec{open: openRemoteJWKS, op: op, kind: keyJWKS, url: issuer, discover: true, opts: opts.withDefaults()}})
	}
}

// WithX509URL fetches keys from an X.509 map URL: a JSON object mapping
// each kid to a PEM certificate, the form Google publishes Firebase ID-token
// keys in (https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com):
//
//	verifier.New(verifier.Firebase(projectID), verifier.WithX509URL(firebaseCertsURL, verifier.JWKSOptions{}))
//
// Each certificate's public key (RSA, P-256, P-384 or P-521) becomes a key with
// that kid. Only the certificate's structure is read: its validity dates,
// signature and chain are not checked, as Firebase's docs ask (use the key
// of the kid's certificate). The map is taken whole or refused (a failed
// refresh keeps the last good keys): ErrCertificateMalformed,
// ErrKeyUnsupported, ErrDuplicateKID, ErrTooManyKeys, ErrNoKeys,
// ErrKeyMalformed. Fetching, Cache-Control max-age, refreshes for unknown
// kids and every other rule are WithJWKSURL's; JWKSOptions.AllowSymmetric
// has no meaning here. It takes the place of WithJWKSURL (one fetched
// source per verifier).
func WithX509URL(url string, opts JWKSOptions) Option {
	return func(c *config) error {
		const op = "WithX509URL"
		if c.remote != nil {
			return &ConfigError{Op: op, Detail: "only one JWKS or X.509 map URL per verifier", Err: ErrInvalidArgument}
		}
		if err := checkURL(op, url); err != nil {
			return err
		}
		c.remote = &remoteSpec{open: openRemoteJWKS, op: op, kind: keyX509Map, url: url, opts: opts.withDefaults()}
		return nil
	}
}

// discover fetches the issuer's discovery document and returns its
// jwks_uri, checked.
func (r *remoteJWKS) discover() (string, error) {
	fail := func(err error) (string, error) {
		return "", &DiscoveryError{Issuer: r.discoverIssuer, Err: err}
	}
	res, err := r.fetch(strings.TrimSuffix(r.discoverIssuer, "/")+discoveryPath, false)
	if err != nil {
		return fail(err)
	}
	// A map, not a struct: encoding/json matches struct fields without
	// regard to case, and "ISSUER" is not "issuer".
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(res.body, &doc); err != nil || doc == nil {
		return fail(errors.New("the discovery document is not a JSON object"))
	}
	var issuer, jwksURI string
	if json.Unmarshal(doc["issuer"], &issuer) != nil || issuer != r.discoverIssuer {
		return fail(fmt.Errorf("%w (it names %s)", ErrIssuerMismatch, strconv.Quote(truncate(string(doc["issuer"]), 200))))
	}
	if json.Unmarshal(doc["jwks_uri"], &jwksURI) != nil || jwksURI == "" {
		return fail(ErrNoJWKSURI)
	}
	if err := checkURL("jwks_uri", jwksURI); err != nil {
		var ce *ConfigError
		if errors.As(err, &ce) {
			return fail(fmt.Errorf("jwks_uri %s: %w", ce.Detail, ce.Err))
		}
		return fail(err)
	}
	// An https issuer's document may not send us to plain http, loopback
	// included (OpenID Connect Discovery: jwks_uri MUST use https): that
	// would let the document's author aim this process at its own local
	// services and take keys from them without TLS.
	if u, _ := url.Parse(jwksURI); u != nil && u.Scheme != "https" && strings.HasPrefix(r.discoverIssuer, "https://") {
		return fail(fmt.Errorf("jwks_uri %q is plain http, named by https issuer %q: %w", jwksURI, r.discoverIssuer, errInsecureURL))
	}
	return jwksURI, nil
}

// truncate is s cut to at most n bytes, for an error message.
func truncate(s string, n int) string {
	if s == "" {
		return "nothing"
	}
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
