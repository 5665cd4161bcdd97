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

// Middleware lets through requests whose Authorization header carries a
// token this verifier accepts, with its claims in the request context
// (ClaimsFromContext). Others get an RFC 6750 answer and never reach next:
//   - no "Bearer" credentials: 401, WWW-Authenticate: Bearer
//   - a rejected token: 401, WWW-Authenticate: Bearer error="invalid_token"
//   - a required scope missing: 403, error="insufficient_scope"
//   - a closed verifier or internal error: 500
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var claims *Claims
		var err error
		// Two Authorization headers are ambiguous: refuse rather than pick one.
		if vals := r.Header.Values("Authorization"); len(vals) == 1 {
			claims, err = v.VerifyAuthorization(r.Context(), vals[0])
		} else {
			err = ErrMissingBearer
		}
		if err != nil {
			writeRejection(w, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(NewContext(r.Context(), claims)))
	})
}

func writeRejection(w http.ResponseWriter, err error) {
	status := http.StatusUnauthorized
	switch {
	case errors.Is(err, ErrMissingBearer):
		// RFC 6750 3.1: no error code when the request has no bearer credentials.
		w.Header().Set("WWW-Authenticate", "Bearer")
	case errors.Is(err, ErrMissingScope):
		status = http.StatusForbidden
		w.Header().Set("WWW-Authenticate", bearerError("insufficient_scope", err))
	case IsRejection(err):
		w.Header().Set("WWW-Authenticate", bearerError("invalid_token", err))
	default:
		status = http.StatusInternalServerError
	}
	http.Error(w, http.StatusText(status), status)
}

// bearerError builds the challenge; error_description may hold only
// printable ASCII other than '"' and '\' (RFC 6750 3).
func bearerError(code string, err error) string {
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
