package verifier

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

type claimsKey struct{}

// NewContext returns a copy of ctx carrying c (what Middleware does).
func NewContext(ctx context.Context, c *Claims) context.Context {
	return context.WithValue(ctx, claimsKey{}, c)
}

// ClaimsFromContext returns the claims Middleware put in a request's context.
func ClaimsFromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*Claims)
	return c, ok && c != nil
}

// A MiddlewareOption adjusts Middleware.
type MiddlewareOption func(*middleware)

type middleware struct {
	onError      func(w http.ResponseWriter, r *http.Request, status int, err error)
	optional     bool
	cookie       string
	descriptions bool
}

// OnError replaces the answer to a refused request (by default the status
// text as plain text). The hook gets the status Middleware chose and the
// reason; WWW-Authenticate is already set. It must write the response
// (status and body), and is the place to log the reason, which the client is
// not told unless ErrorDescriptions is on:
//
//	verifier.OnError(func(w http.ResponseWriter, r *http.Request, status int, err error) {
//		slog.InfoContext(r.Context(), "auth refused", "path", r.URL.Path, "reason", err)
//		w.Header().Set("Content-Type", "application/json")
//		w.WriteHeader(status)
//		json.NewEncoder(w).Encode(map[string]string{"error": http.StatusText(status)})
//	})
func OnError(hook func(w http.ResponseWriter, r *http.Request, status int, err error)) MiddlewareOption {
	return func(m *middleware) { m.onError = hook }
}

// Optional lets requests that carry no credentials at all (no Authorization
// header, and no token cookie when TokenFromCookie is set) through without
// claims: ClaimsFromContext reports false. Credentials that are present are
// still verified, and refused if they fail.
func Optional() MiddlewareOption {
	return func(m *middleware) { m.optional = true }
}

// TokenFromCookie reads the token from the named cookie when the request has
// no Authorization header: Clerk sends its session token as "__session" on
// same-origin requests. The Authorization header, when present, wins.
func TokenFromCookie(name string) MiddlewareOption {
	return func(m *middleware) { m.cookie = name }
}

// ErrorDescriptions adds error_description="<reason>" to the
// WWW-Authenticate challenge. Off by default: the precise reason helps
// someone probing forged tokens more than it helps a client; log it with
// OnError instead.
func ErrorDescriptions() MiddlewareOption {
	return func(m *middleware) { m.descriptions = true }
}

// Middleware lets through requests whose credentials carry a token this
// verifier accepts, with its claims in the request context
// (ClaimsFromContext). The token comes from the Authorization header
// ("Bearer <token>"), or from a cookie (TokenFromCookie). Others get an
// RFC 6750 answer and never reach next:
//   - no "Bearer" credentials: 401, WWW-Authenticate: Bearer (or, with
//     Optional and no credentials at all, next runs without claims)
//   - a rejected token: 401, WWW-Authenticate: Bearer error="invalid_token"
//   - a required scope missing: 403, error="insufficient_scope"
//   - no keys yet (a lazy JWKS URL not fetched): 503
//   - a closed verifier or internal error: 500
func (v *Verifier) Middleware(next http.Handler, opts ...MiddlewareOption) http.Handler {
	m := &middleware{}
	for _, o := range opts {
		o(m)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var claims *Claims
		var err error
		// Two Authorization headers are ambiguous: refuse rather than pick one.
		switch vals := r.Header.Values("Authorization"); len(vals) {
		case 1:
			claims, err = v.VerifyAuthorization(r.Context(), vals[0])
		case 0:
			token := m.cookieToken(r)
			switch {
			case token != "":
				claims, err = v.Verify(r.Context(), token)
			case m.optional:
				next.ServeHTTP(w, r)
				return
			default:
				err = ErrMissingBearer
			}
		default:
			err = ErrMissingBearer
		}
		if err != nil {
			m.refuse(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(NewContext(r.Context(), claims)))
	})
}

func (m *middleware) cookieToken(r *http.Request) string {
	if m.cookie == "" {
		return ""
	}
	c, err := r.Cookie(m.cookie)
	if err != nil {
		return ""
	}
	return c.Value
}

func (m *middleware) refuse(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusUnauthorized
	switch {
	case errors.Is(err, ErrMissingBearer):
		// RFC 6750 3.1: no error code when the request has no bearer credentials.
		w.Header().Set("WWW-Authenticate", "Bearer")
	case errors.Is(err, ErrKeysUnavailable):
		status = http.StatusServiceUnavailable
	case errors.Is(err, ErrMissingScope):
		status = http.StatusForbidden
		w.Header().Set("WWW-Authenticate", m.challenge("insufficient_scope", err))
	case IsRejection(err):
		w.Header().Set("WWW-Authenticate", m.challenge("invalid_token", err))
	default:
		status = http.StatusInternalServerError
	}
	if m.onError != nil {
		m.onError(w, r, status, err)
		return
	}
	http.Error(w, http.StatusText(status), status)
}

// challenge builds the WWW-Authenticate value; error_description may hold
// only printable ASCII other than '"' and '\' (RFC 6750 3).
func (m *middleware) challenge(code string, err error) string {
	if !m.descriptions {
		return `Bearer error="` + code + `"`
	}
	desc := strings.Map(func(r rune) rune {
		switch {
		case r == '"' || r == '\\':
			return '\''
		case r < 0x20 || r > 0x7e:
			return -1
		}
		return r
	}, errorText(err))
	return `Bearer error="` + code + `", error_description="` + desc + `"`
}
