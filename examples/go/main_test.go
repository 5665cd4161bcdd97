package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	verifier "github.com/libverifier/libverifier/ffi/go"
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
	clerk = v
	return strings.TrimSpace(string(token))
}

func TestAuthHandler(t *testing.T) {
	token := setup(t)
	uid, data, err := AuthHandler(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	if uid != "user_2abcDEF" || *data != (UserData{SessionID: "sess_2abcDEF", Plan: "u:free", Features: "u:basic"}) {
		t.Fatalf("got %q %+v", uid, data)
	}
	_, _, err = AuthHandler(context.Background(), token[:len(token)-4]+"AAAA")
	var u *unauthenticated
	if !errors.As(err, &u) || u.reason != "bad_signature" {
		t.Fatalf("tampered token: %v", err)
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
	resp, err = srv.Client().Get(srv.URL + "/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != "Bearer" {
		t.Fatalf("no token: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
}
