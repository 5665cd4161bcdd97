// Command consumer is what a user of the module writes: it is built by
// run.sh in a throwaway module outside the repository, against the module
// folder through a replace, with no Rust toolchain and no network.
package main

import (
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	verifier "github.com/libverifier/libverifier/go"
)

// usage: consumer JWKS-FILE ADDR-FILE (the loopback address is written there)
func main() {
	doc, err := os.ReadFile(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	v, err := verifier.New(
		verifier.WithJWKS(doc),
		verifier.Clerk("https://clerk.example.com", "https://app.example.com"),
		// The repository's example token is valid at this instant.
		verifier.WithClock(func() time.Time { return time.Unix(1764000000, 0) }),
	)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(os.Args[2], []byte(ln.Addr().String()), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.Serve(ln, v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := verifier.ClaimsFromContext(r.Context())
		_, _ = io.WriteString(w, c.Subject)
	}))))
}
