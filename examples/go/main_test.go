package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"encore.dev/beta/errs"

	verifier "github.com/libverifier/libverifier/go"
)

// The repository's example Clerk token is valid at this instant.
var exampleNow = time.Unix(1764000000, 0)

func setup(t *testing.T) string {
	t.Helper()
	doc, err := os.ReadFile("../keys/clerk-jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	token, err := os.ReadFile("../tokens/clerk.jwt")
	if err != nil {
		t.Fatal(err)
	}
	v, err := verifier.New(
		verifier.WithJWKS(doc),
		verifier.Clerk("https://clerk.example.com", "https://app.example.com"),
		verifier.WithClock(func() time.Time { return exampleNow }),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	clerk.Close() // auth.go's own (a lazy JWKS URL, unreachable here)
	clerk = v
	return strings.TrimSpace(string(token))
}

func TestAuthHandler(t *testing.T) {
	token := setup(t)
	uid, data, err := AuthHandler(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	if uid != "user_2abcDEF" || *data != (Data{SessionID: "sess_2abcDEF", Plan: "u:free", Features: "u:basic"}) {
		t.Fatalf("got %q %+v", uid, data)
	}

	// A tampered token: Encore's Unauthenticated, no detail; the reason logged.
	var logged bytes.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	})))
	_, _, err = AuthHandler(context.Background(), token[:len(token)-4]+"AAAA")
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != errs.Unauthenticated || e.Message != "unauthenticated" {
		t.Fatalf("tampered token: %#v", err)
	}
	if want := `level=INFO msg="auth: token refused" reason="verifier: signature does not verify: RS256 signature does not verify with the key with kid \"ins_2example\""` + "\n"; logged.String() != want {
		t.Fatalf("logged %q, want %q", logged.String(), want)
	}
}

// Errors that are not the token's fault are not answered 401.
func TestRefusal(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want errs.ErrCode
	}{
		{verifier.ErrExpired, errs.Unauthenticated},
		{verifier.ErrKeysUnavailable, errs.Unavailable},
		{fmt.Errorf("%w: %w", verifier.ErrKeysUnavailable, context.DeadlineExceeded), errs.Unavailable},
		{verifier.ErrClosed, errs.Internal},
	} {
		var e *errs.Error
		if !errors.As(refusal(tc.err), &e) || e.Code != tc.want {
			t.Errorf("%v: got %v", tc.err, refusal(tc.err))
		}
	}
}

func TestServer(t *testing.T) {
	token := setup(t)
	srv := httptest.NewServer(routes(clerk))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := `{"expires":"2025-11-24T16:01:00Z","session":"sess_2abcDEF","user":"user_2abcDEF"}` + "\n"
	if resp.StatusCode != 200 || string(body) != want {
		t.Fatalf("got %d %s", resp.StatusCode, body)
	}
	// The same-origin __session cookie works too.
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/me", nil)
	req.AddCookie(&http.Cookie{Name: "__session", Value: token})
	resp, err = srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != want {
		t.Fatalf("cookie: got %d %s", resp.StatusCode, body)
	}
	resp, err = srv.Client().Get(srv.URL + "/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != "Bearer" {
		t.Fatalf("no token: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
}
