package verifier

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"
)

// ErrInsecureURL is a JWKS URL refused because fetching keys from it could
// be tampered with or could leak credentials: plain http to a host that is
// not loopback, or credentials (userinfo) in the URL. New's *ConfigError
// unwraps to it and to ErrInvalidArgument, and its Detail says which.
var ErrInsecureURL = errors.New("verifier: insecure JWKS URL")

// errInsecureURL is what a ConfigError for an insecure URL unwraps to.
var errInsecureURL = fmt.Errorf("%w (%w)", ErrInsecureURL, ErrInvalidArgument)

// maxJWKSRedirects bounds the same-host redirects a fetch follows.
const maxJWKSRedirects = 3

// maxValidatorLen bounds the ETag and Last-Modified values kept and sent
// back: a longer one is not kept (the next fetch is unconditional).
const maxValidatorLen = 256

// maxJWKSHeaderBytes bounds a JWKS response's headers with the source's own
// client (Go's default is 10 MB).
const maxJWKSHeaderBytes = 64 << 10

// checkURL refuses what is not an http(s) URL (ErrInvalidArgument) and what
// is not safe to take keys from (ErrInsecureURL). The decision is made on
// the parsed URL, never on its text: "http://localhost:80@10.0.0.1/" is
// userinfo "localhost:80" and host 10.0.0.1.
func checkURL(op, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Opaque != "" || u.Host == "" || u.Hostname() == "" {
		return &ConfigError{Op: op, Detail: fmt.Sprintf("%q is not an http(s) URL", redact(raw, u)), Err: ErrInvalidArgument}
	}
	if u.User != nil {
		return &ConfigError{Op: op, Detail: fmt.Sprintf("%q carries credentials (userinfo before '@'; the host is %q): give them through JWKSOptions.Client, not in the URL", u.Redacted(), u.Hostname()), Err: errInsecureURL}
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		return &ConfigError{Op: op, Detail: fmt.Sprintf("%q is plain http to %q, which is not a loopback host: anyone on the path could swap the keys; use https (http is accepted only for 127.0.0.0/8, ::1 and localhost)", raw, u.Hostname()), Err: errInsecureURL}
	}
	return nil
}

// redact is raw for an error message, without a password it may carry.
func redact(raw string, u *url.URL) string {
	if u != nil {
		return u.Redacted()
	}
	if i := strings.LastIndexByte(raw, '@'); i >= 0 {
		return "..." + raw[i:]
	}
	return raw
}

// isLoopbackHost reports whether a URL's host (as url.URL.Hostname gives it)
// is "localhost" or a loopback address: 127.0.0.0/8, ::1 (or either mapped
// into IPv6). Other spellings (decimal, hex, names under localhost) are not.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Zone() == "" && a.Unmap().IsLoopback()
}

// errRedirect is a redirect the JWKS source refuses to follow.
type errRedirect string

func (e errRedirect) Error() string { return "JWKS fetch: " + string(e) }

// checkRedirect is the JWKS source's redirect policy: only to the same host
// and port as the configured URL, never from https to http, never with
// credentials, at most maxJWKSRedirects; then the caller's own policy, if any.
func checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		from, to := via[0].URL, req.URL
		switch {
		case to.User != nil:
			return errRedirect("redirect to a URL with credentials refused")
		case to.Scheme != "https" && to.Scheme != "http":
			return errRedirect(fmt.Sprintf("redirect to %q refused", to.Scheme+":"))
		case via[len(via)-1].URL.Scheme == "https" && to.Scheme == "http":
			return errRedirect(fmt.Sprintf("redirect from https to http (%s) refused", to.Redacted()))
		case !sameHost(from, to):
			return errRedirect(fmt.Sprintf("redirect from %s to another host (%s) refused", from.Host, to.Host))
		case len(via) > maxJWKSRedirects:
			return errRedirect(fmt.Sprintf("stopped after %d redirects", maxJWKSRedirects))
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
}

// sameHost compares host names (case-insensitively) and ports, a missing
// port being the scheme's default.
func sameHost(a, b *url.URL) bool {
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		if u.Scheme == "https" {
			return "443"
		}
		return "80"
	}
	return strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

// jwksTransport is the transport of the sources' own clients, shared by all
// of them (one connection pool however many issuers): Go's defaults, with
// response headers capped at maxJWKSHeaderBytes.
var jwksTransport = sync.OnceValue(func() *http.Transport {
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   30 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           100,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    10 * time.Second,
		ExpectContinueTimeout:  1 * time.Second,
		MaxResponseHeaderBytes: maxJWKSHeaderBytes,
	}
})

// jwksClient is the client a source fetches with: its own (shared transport,
// Timeout), or a copy of the caller's with the redirect policy in front of
// the caller's own.
func jwksClient(c *http.Client, timeout time.Duration) *http.Client {
	if c == nil {
		return &http.Client{Transport: jwksTransport(), Timeout: timeout, CheckRedirect: checkRedirect(nil)}
	}
	cp := *c
	cp.CheckRedirect = checkRedirect(c.CheckRedirect)
	return &cp
}

// validator is a response's ETag or Last-Modified value if it is short
// enough to keep and send back.
func validator(v string) string {
	if len(v) > maxValidatorLen {
		return ""
	}
	return v
}
