package verifier_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	verifier "github.com/libverifier/libverifier/go"
)

func readExample(name string) []byte {
	b, err := os.ReadFile("../examples/" + name)
	if err != nil {
		panic(err)
	}
	return bytes.TrimSpace(b)
}

// A Clerk session token, verified against the instance's JWKS.
func Example() {
	v, err := verifier.New(
		verifier.WithJWKS(readExample("keys/clerk-jwks.json")), // or WithJWKSURL(jwks_uri, ...)
		verifier.Clerk("https://clerk.example.com", "https://app.example.com"),
		// The example token is old: pin the clock to a moment it was valid.
		verifier.WithClock(func() time.Time { return time.Unix(1764000000, 0) }),
	)
	if err != nil {
		panic(err)
	}
	defer v.Close()

	token := string(readExample("tokens/clerk.jwt"))
	claims, err := v.VerifyAuthorization(context.Background(), "Bearer "+token)
	if err != nil {
		panic(err)
	}
	fmt.Println(claims.Subject, claims.SessionID, claims.ExpiresAt.UTC().Format(time.RFC3339))

	forged := token[:len(token)-20] + "AAAA" + token[len(token)-16:] // a changed signature
	_, err = v.Verify(context.Background(), forged)
	var e *verifier.Error
	fmt.Println(errors.Is(err, verifier.ErrBadSignature), errors.As(err, &e), e.Code, e.Name)
	// Output:
	// user_2abcDEF sess_2abcDEF 2025-11-24T16:01:00Z
	// true true 403 bad_signature
}

// A Logto access token (RFC 9068) guarding an HTTP handler.
func ExampleVerifier_Middleware() {
	v, err := verifier.New(
		verifier.WithJWKS(readExample("keys/logto-jwks.json")),
		verifier.Logto("https://tenant.logto.app/oidc", "https://api.example.com"),
		verifier.WithClock(func() time.Time { return time.Unix(1764000000, 0) }),
	)
	if err != nil {
		panic(err)
	}
	defer v.Close()
	api := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, _ := verifier.ClaimsFromContext(r.Context())
		fmt.Fprintf(w, "hello %s via %s", claims.Subject, claims.ClientID)
	}), verifier.OnError(func(w http.ResponseWriter, r *http.Request, status int, err error) {
		// The reason goes to the log, not to the client.
		fmt.Println("refused:", err)
		http.Error(w, http.StatusText(status), status)
	}))

	for _, auth := range []string{"Bearer " + string(readExample("tokens/logto.jwt")), "Bearer nonsense", ""} {
		req := httptest.NewRequest(http.MethodGet, "/orders", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, req)
		fmt.Println(strings.TrimSpace(fmt.Sprint(rec.Code, " ", rec.Header().Get("WWW-Authenticate"))))
	}
	// Output:
	// 200
	// refused: verifier: token is not a compact JWS (three non-empty segments separated by '.'): token has 1 '.'-separated segments, a compact JWS has 3
	// 401 Bearer error="invalid_token"
	// refused: verifier: Authorization header is not "Bearer <token>"
	// 401 Bearer
}
