package verifier

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestMiddleware(t *testing.T) {
	k := theKeys()
	v := newV(t, WithJWKS(jwks(jwk(k.rsa, "k1", ""))), WithIssuer("https://issuer.example.com"))
	scoped := newV(t, WithJWKS(jwks(jwk(k.rsa, "k1", ""))), WithRequiredScopes("admin"))

	mux := http.NewServeMux()
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := ClaimsFromContext(r.Context())
		if !ok {
			http.Error(w, "no claims", http.StatusTeapot)
			return
		}
		_, _ = io.WriteString(w, "hello "+c.Subject)
	})
	mux.Handle("/api", v.Middleware(hello))
	mux.Handle("/admin", scoped.Middleware(hello))
	mux.Handle("/open", hello)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	good := mint("RS256", k.rsa, "k1", baseClaims())
	expired := mint("RS256", k.rsa, "k1", with(baseClaims(), "exp", testNow.Unix()-1))
	forged := mint("RS256", k.rsa2, "k1", baseClaims())

	for _, tc := range []struct {
		name      string
		path      string
		auth      []string
		status    int
		challenge string
		body      string
	}{
		{"valid", "/api", []string{"Bearer " + good}, 200, "", "hello user_123"},
		{"scheme case and blanks", "/api", []string{"  bEaReR   " + good + "\t"}, 200, "", "hello user_123"},
		{"no header", "/api", nil, 401, "Bearer", "Unauthorized\n"},
		{"basic auth", "/api", []string{"Basic dXNlcjpwYXNz"}, 401, "Bearer", "Unauthorized\n"},
		{"two headers", "/api", []string{"Bearer " + good, "Bearer " + good}, 401, "Bearer", "Unauthorized\n"},
		{"expired", "/api", []string{"Bearer " + expired}, 401, `Bearer error="invalid_token", error_description="token has expired"`, "Unauthorized\n"},
		{"forged", "/api", []string{"Bearer " + forged}, 401, `Bearer error="invalid_token", error_description="signature does not verify"`, "Unauthorized\n"},
		{"garbage", "/api", []string{"Bearer not-a-token"}, 401, `Bearer error="invalid_token", error_description="token is not a compact JWS (three non-empty segments separated by '.')"`, "Unauthorized\n"},
		{"missing scope", "/admin", []string{"Bearer " + good}, 403, `Bearer error="insufficient_scope", error_description="a required scope is missing"`, "Forbidden\n"},
		{"handler without middleware", "/open", nil, 418, "", "no claims\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := must(http.NewRequest(http.MethodGet, srv.URL+tc.path, nil))
			for _, a := range tc.auth {
				req.Header.Add("Authorization", a)
			}
			resp := must(srv.Client().Do(req))
			defer resp.Body.Close()
			body := string(must(io.ReadAll(resp.Body)))
			if resp.StatusCode != tc.status || resp.Header.Get("WWW-Authenticate") != tc.challenge || body != tc.body {
				t.Fatalf("got %d %q %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), body)
			}
		})
	}

	// A closed verifier is a server fault, not the client's.
	closed, err := New(WithJWKS(jwks(jwk(k.rsa, "k1", ""))), WithClock(fixedClock))
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Authorization", "Bearer "+good)
	closed.Middleware(hello).ServeHTTP(rec, req)
	if rec.Code != 500 || rec.Header().Get("WWW-Authenticate") != "" {
		t.Fatalf("closed verifier: %d %q", rec.Code, rec.Header().Get("WWW-Authenticate"))
	}
}
