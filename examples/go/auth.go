package main

// An Encore auth handler (encore.dev/docs/develop/auth) backed by libverifier,
// the shape the Clerk and Logto guides use. In an Encore app, put this in
// your auth service, import "encore.dev/beta/auth" and "encore.dev/beta/errs",
// and delete the two stand-ins below; nothing else changes:
//
//	//encore:authhandler
//	func AuthHandler(ctx context.Context, token string) (auth.UID, *UserData, error)
//
// Encore strips "Bearer " from the Authorization header and calls the handler
// with the token; whatever UserData it returns is available to every
// authenticated endpoint through auth.Data().

import (
	"context"
	"errors"

	verifier "github.com/libverifier/libverifier/ffi/go"
)

// UID stands in for encore.dev/beta/auth.UID.
type UID string

// unauthenticated stands in for &errs.Error{Code: errs.Unauthenticated, ...}.
type unauthenticated struct{ reason string }

func (e *unauthenticated) Error() string { return "unauthenticated: " + e.reason }

// UserData is what the endpoints learn about the caller.
type UserData struct {
	SessionID string
	Plan      string // Clerk custom session claim "pla"
	Features  string // Clerk custom session claim "fea"
}

// clerk is built once, at service start-up (Encore: in initService or a
// package-level var). In production, point it at your Frontend API's JWKS:
//
//	verifier.New(
//		verifier.WithJWKSURL("https://<your-app>.clerk.accounts.dev/.well-known/jwks.json", verifier.JWKSOptions{}),
//		verifier.Clerk("https://<your-app>.clerk.accounts.dev", "https://app.example.com"),
//	)
var clerk *verifier.Verifier

//encore:authhandler
func AuthHandler(ctx context.Context, token string) (UID, *UserData, error) {
	claims, err := clerk.Verify(ctx, token)
	if err != nil {
		// Tell the client only that it is unauthenticated; log the reason.
		var e *verifier.Error
		if errors.As(err, &e) {
			return "", nil, &unauthenticated{reason: e.Name}
		}
		return "", nil, err
	}
	var custom struct {
		Plan     string `json:"pla"`
		Features string `json:"fea"`
	}
	if err := claims.Unmarshal(&custom); err != nil {
		return "", nil, &unauthenticated{reason: "bad custom claims"}
	}
	return UID(claims.Subject), &UserData{
		SessionID: claims.SessionID,
		Plan:      custom.Plan,
		Features:  custom.Features,
	}, nil
}
