// Command peer is the consumer test's server (go/testdata/consumer) written
// with golang-jwt v5 and keyfunc v3 instead of libverifier: the same JWKS
// file, the same Clerk checks (issuer, azp, exp at a fixed instant), the
// same answers. go/testdata/consumer/run.sh builds both the same ways and
// compares their sizes.
package main

import (
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// usage: peer JWKS-FILE ADDR-FILE (the loopback address is written there)
func main() {
	doc, err := os.ReadFile(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	kf, err := keyfunc.NewJWKSetJSON(json.RawMessage(doc))
	if err != nil {
		log.Fatal(err)
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithIssuer("https://clerk.example.com"),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(5*time.Second),
		jwt.WithTimeFunc(func() time.Time { return time.Unix(1764000000, 0) }),
	)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(os.Args[2], []byte(ln.Addr().String()), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		var claims jwt.MapClaims
		if ok {
			_, err = parser.ParseWithClaims(token, &claims, kf.Keyfunc)
		}
		if !ok || err != nil || claims["azp"] != "https://app.example.com" {
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		sub, _ := claims.GetSubject()
		_, _ = io.WriteString(w, sub)
	})))
}
