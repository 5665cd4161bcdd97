package main

// An Encore auth handler (encore.dev/docs/go/develop/auth) backed by
// libverifier, for Clerk session tokens. To use it in an Encore app:
//
//  1. Copy this file into the service that holds your auth handler (change
//     the package clause to that service's package) and set clerkFrontendAPI
//     and clerkOrigins below. Nothing else in it changes: it imports the real
//     encore.dev/beta/auth and encore.dev/beta/errs, which this example only
//     replaces with compile-only stand-ins (encorestub/, wired by the
//     `replace encore.dev` line of go.mod) because encore.dev is not on the
//     Go module proxy. Do not copy encorestub/ or that line.
//  2. `go get github.com/libverifier/libverifier/go@v0.1.0`.
//  3. For the cgo backend on Linux (about 10x faster than the WebAssembly
//     one that builds without cgo, e.g. under `encore run` on a Mac), turn
//     cgo on in encore.app:
//
//     {"id": "your-app", "build": {"cgo_enabled": true}}
//
// Encore takes the token from the Authorization header ("Bearer " stripped)
// and calls AuthHandler; the Data it returns is what auth.Data() gives every
// authenticated endpoint. A refused token is answered 401 with no detail; the
// reason is logged here (log/slog, which Encore collects from the process's
// output; encore.dev/rlog's Info takes the same message and key-value pairs).

import (
	"context"
	"errors"
	"log/slog"

	"encore.dev/beta/auth"
	"encore.dev/beta/errs"

	verifier "github.com/libverifier/libverifier/go"
)

// Your Clerk Frontend API URL (the tokens' "iss") and your app's origins
// (their "azp").
const clerkFrontendAPI = "https://clerk.example.com"

var clerkOrigins = []string{"https://app.example.com"}

// clerk is built once, when the service starts. Lazy: start-up neither waits
// for nor fails on Clerk's JWKS; the first requests wait for the keys (as long
// as their context allows), and Clerk being unreachable answers 503, not 401.
var clerk = mustVerifier(verifier.New(
	verifier.WithJWKSURL(clerkFrontendAPI+"/.well-known/jwks.json", verifier.JWKSOptions{Lazy: true}),
	verifier.Clerk(clerkFrontendAPI, clerkOrigins...),
))

func mustVerifier(v *verifier.Verifier, err error) *verifier.Verifier {
	if err != nil {
		panic(err) // a configuration error: fix the settings above
	}
	return v
}

// Data is what the endpoints learn about the caller (auth.Data()).
type Data struct {
	SessionID string
	Plan      string // Clerk custom session claim "pla"
	Features  string // Clerk custom session claim "fea"
}

//encore:authhandler
func AuthHandler(ctx context.Context, token string) (auth.UID, *Data, error) {
	claims, err := clerk.Verify(ctx, token)
	if err != nil {
		// The client is told only "unauthenticated"; the reason is logged.
		slog.InfoContext(ctx, "auth: token refused", "reason", err)
		return "", nil, refusal(err)
	}
	var custom struct {
		Plan     string `json:"pla"`
		Features string `json:"fea"`
	}
	if err := claims.Unmarshal(&custom); err != nil {
		slog.InfoContext(ctx, "auth: token refused", "reason", "custom claims: "+err.Error())
		return "", nil, &errs.Error{Code: errs.Unauthenticated, Message: "unauthenticated"}
	}
	return auth.UID(claims.Subject), &Data{
		SessionID: claims.SessionID,
		Plan:      custom.Plan,
		Features:  custom.Features,
	}, nil
}

// refusal is the API error for a verification failure: the token's fault
// (401), no keys from Clerk yet (503), or the server's (500).
func refusal(err error) error {
	switch {
	case verifier.IsRejection(err):
		return &errs.Error{Code: errs.Unauthenticated, Message: "unauthenticated"}
	case errors.Is(err, verifier.ErrKeysUnavailable):
		return &errs.Error{Code: errs.Unavailable, Message: "authentication is unavailable, retry shortly"}
	default:
		return &errs.Error{Code: errs.Internal, Message: "internal error"}
	}
}
