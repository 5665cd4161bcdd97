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
	mux.Handle("/api-described", v.Middleware(hello, ErrorDescriptions()))
	mux.Handle("/admin", scoped.Middleware(hello))
	mux.Handle("/admin-described", scoped.Middleware(hello, ErrorDescriptions()))
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
		// Error descriptions are off by default...
		{"expired", "/api", []string{"Bearer " + expired}, 401, `Bearer error="invalid_token"`, "Unauthorized\n"},
		{"forged", "/api", []string{"Bearer " + forged}, 401, `Bearer error="invalid_token"`, "Unauthorized\n"},
		{"garbage", "/api", []string{"Bearer not-a-token"}, 401, `Bearer error="invalid_token"`, "Unauthorized\n"},
		{"missing scope", "/admin", []string{"Bearer " + good}, 403, `Bearer error="insufficient_scope"`, "Forbidden\n"},
		// ... and on with ErrorDescriptions.
		{"expired described", "/api-described", []string{"Bearer " + expired}, 401, `Bearer error="invalid_token", error_description="token has expired"`, "Unauthorized\n"},
		{"forged described", "/api-described", []string{"Bearer " + forged}, 401, `Bearer error="invalid_token", error_description="signature does not verify"`, "Unauthorized\n"},
		{"garbage described", "/api-described", []string{"Bearer not-a-token"}, 401, `Bearer error="invalid_token", error_description="token is not a compact JWS (three non-empty segments separated by '.')"`, "Unauthorized\n"},
		{"missing scope described", "/admin-described", []string{"Bearer " + good}, 403, `Bearer error="insufficient_scope", error_description="a required scope is missing"`, "Forbidden\n"},
		{"no header described", "/api-described", nil, 401, "Bearer", "Unauthorized\n"},
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

// The error hook answers and logs; optional authentication passes requests
// without credentials; the token may come from Clerk's __session cookie.
func TestMiddlewareOptions(t *testing.T) {
	k := theKeys()
	v := newV(t, WithJWKS(jwks(jwk(k.rsa, "k1", ""))), WithIssuer("https://issuer.example.com"))
	good := mint("RS256", k.rsa, "k1", baseClaims())
	expired := mint("RS256", k.rsa, "k1", with(baseClaims(), "exp", testNow.Unix()-1))
	who := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, ok := ClaimsFromContext(r.Context()); ok {
			_, _ = io.WriteString(w, "user "+c.Subject)
			return
		}
		_, _ = io.WriteString(w, "anonymous")
	})
	var logged []string
	hook := OnError(func(w http.ResponseWriter, r *http.Request, status int, err error) {
		logged = append(logged, r.URL.Path+" "+err.Error())
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"error":"unauthenticated"}`)
	})
	routes := map[string]http.Handler{
		"/hook":     v.Middleware(who, hook),
		"/optional": v.Middleware(who, Optional()),
		"/cookie":   v.Middleware(who, TokenFromCookie("__session")),
		"/both":     v.Middleware(who, Optional(), TokenFromCookie("__session")),
	}
	type request struct {
		path   string
		auth   string
		cookie string
	}
	do := func(rq request) (int, string, string) {
		req := httptest.NewRequest(http.MethodGet, rq.path, nil)
		if rq.auth != "" {
			req.Header.Set("Authorization", rq.auth)
		}
		if rq.cookie != "" {
			req.AddCookie(&http.Cookie{Name: "__session", Value: rq.cookie})
		}
		rec := httptest.NewRecorder()
		routes[rq.path].ServeHTTP(rec, req)
		return rec.Code, rec.Header().Get("WWW-Authenticate"), rec.Body.String()
	}
	for _, tc := range []struct {
		rq        request
		status    int
		challenge string
		body      string
	}{
		{request{"/hook", "Bearer " + good, ""}, 200, "", "user user_123"},
		{request{"/hook", "Bearer " + expired, ""}, 401, `Bearer error="invalid_token"`, `{"error":"unauthenticated"}`},
		{request{"/hook", "", ""}, 401, "Bearer", `{"error":"unauthenticated"}`},
		{request{"/optional", "", ""}, 200, "", "anonymous"},
		{request{"/optional", "Bearer " + good, ""}, 200, "", "user user_123"},
		{request{"/optional", "Bearer " + expired, ""}, 401, `Bearer error="invalid_token"`, "Unauthorized\n"},
		{request{"/optional", "Basic dXNlcjpwYXNz", ""}, 401, "Bearer", "Unauthorized\n"},
		{request{"/optional", "", good}, 200, "", "anonymous"}, // no cookie source configured
		{request{"/cookie", "", good}, 200, "", "user user_123"},
		{request{"/cookie", "", expired}, 401, `Bearer error="invalid_token"`, "Unauthorized\n"},
		{request{"/cookie", "Bearer " + expired, good}, 401, `Bearer error="invalid_token"`, "Unauthorized\n"}, // the header wins
		{request{"/cookie", "", ""}, 401, "Bearer", "Unauthorized\n"},
		{request{"/both", "", ""}, 200, "", "anonymous"},
		{request{"/both", "", good}, 200, "", "user user_123"},
		{request{"/both", "", expired}, 401, `Bearer error="invalid_token"`, "Unauthorized\n"},
	} {
		status, challenge, body := do(tc.rq)
		if status != tc.status || challenge != tc.challenge || body != tc.body {
			t.Errorf("%+v: got %d %q %q", tc.rq, status, challenge, body)
		}
	}
	want := []string{"/hook verifier: token has expired: exp 1763999999 is 1 s before now, leeway 0 s", `/hook verifier: Authorization header is not "Bearer <token>"`}
	if len(logged) != 2 || logged[0] != want[0] || logged[1] != want[1] {
		t.Fatalf("logged %q, want %q", logged, want)
	}
}
