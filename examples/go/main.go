// Command example serves one endpoint behind libverifier's middleware, and
// carries an Encore auth handler (auth.go) that uses the same verifier.
//
//	go run . -jwks ../keys/clerk-jwks.json -issuer https://clerk.example.com -azp https://app.example.com
//	curl -H "Authorization: Bearer $(cat ../tokens/clerk.jwt)" localhost:8080/me
//
// (The example token has expired: pass -now 1764000000 to pin the clock.)
// With -jwks-url the keys are fetched from the provider and kept fresh.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	verifier "github.com/libverifier/libverifier/go"
)

func main() {
	jwksFile := flag.String("jwks", "", "JWKS file")
	jwksURL := flag.String("jwks-url", "", "JWKS URL (jwks_uri)")
	issuer := flag.String("issuer", "", "Clerk Frontend API URL (iss)")
	azp := flag.String("azp", "", "your application's origin (azp; required by the Clerk preset)")
	now := flag.Int64("now", 0, "fixed Unix time (for the expired example token)")
	addr := flag.String("addr", "localhost:8080", "listen address")
	flag.Parse()

	opts := []verifier.Option{verifier.Clerk(*issuer, *azp)}
	switch {
	case *jwksURL != "":
		opts = append(opts, verifier.WithJWKSURL(*jwksURL, verifier.JWKSOptions{
			OnRefresh: func(err error) {
				if err != nil {
					log.Printf("JWKS refresh failed, keeping the last good keys: %v", err)
				}
			},
			OnLoad: func(r verifier.LoadReport) {
				if r.Skipped > 0 {
					log.Printf("JWKS: %v", r) // keys this library cannot use
				}
			},
		}))
	case *jwksFile != "":
		doc, err := os.ReadFile(*jwksFile)
		if err != nil {
			log.Fatal(err)
		}
		opts = append(opts, verifier.WithJWKS(doc))
	default:
		log.Fatal("give -jwks or -jwks-url")
	}
	if *now != 0 {
		opts = append(opts, verifier.WithClock(func() time.Time { return time.Unix(*now, 0) }))
	}
	v, err := verifier.New(opts...)
	if err != nil {
		log.Fatal(err)
	}
	defer v.Close()
	clerk.Close() // auth.go's own, replaced by the one the flags describe
	clerk = v

	log.Printf("listening on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, routes(v)))
}

func routes(v *verifier.Verifier) http.Handler {
	mux := http.NewServeMux()
	// Browsers on the same origin send Clerk's token as the __session cookie;
	// the refusal reason goes to the log, the client gets a bare 401.
	mux.Handle("GET /me", v.Middleware(http.HandlerFunc(me),
		verifier.TokenFromCookie("__session"),
		verifier.OnError(func(w http.ResponseWriter, r *http.Request, status int, err error) {
			log.Printf("%s %s: %d: %v", r.Method, r.URL.Path, status, err)
			http.Error(w, http.StatusText(status), status)
		})))
	return mux
}

// me answers with who the caller is, from the claims the middleware checked.
func me(w http.ResponseWriter, r *http.Request) {
	c, _ := verifier.ClaimsFromContext(r.Context())
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"user":    c.Subject,
		"session": c.SessionID,
		"expires": c.ExpiresAt.UTC().Format(time.RFC3339),
	})
}
