package verifier

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// providerCases is core/tests/data/providers/cases.json: tokens shaped as
// each provider documents them, signed by PyJWT
// (scripts/gen_provider_fixtures.py).
type providerCases struct {
	Now   int64 `json:"now"`
	Cases []struct {
		Provider string              `json:"provider"`
		Name     string              `json:"name"`
		Keys     string              `json:"keys"`
		Config   map[string][]string `json:"config"`
		Token    string              `json:"token"`
		Expect   string              `json:"expect"`
	} `json:"cases"`
}

const providerData = "../core/tests/data/providers/"

// providerOption is the Go preset a case names, configured from the case's
// flags the way each preset's documentation says (with its roles, when the
// case names any, through WithRoles).
func providerOption(t *testing.T, provider string, cfg map[string][]string) Option {
	preset := providerPreset(t, provider, cfg)
	roles := cfg["role"]
	if len(roles) == 0 {
		return preset
	}
	return func(c *config) error {
		if err := preset(c); err != nil {
			return err
		}
		return WithRoles(roles...)(c)
	}
}

func providerPreset(t *testing.T, provider string, cfg map[string][]string) Option {
	first := func(name string) string {
		if v := cfg[name]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	switch provider {
	case "auth0":
		return Auth0(first("iss"), first("aud"))
	case "firebase":
		return Firebase(first("aud"))
	case "supabase":
		return Supabase(first("iss"))
	case "cognito-id":
		return CognitoID(first("iss"), cfg["aud"]...)
	case "cognito-access":
		return CognitoAccess(first("iss"), cfg["client_id"]...)
	case "entra":
		return Entra(first("iss"), cfg["aud"]...)
	case "google":
		return Google(cfg["aud"]...)
	case "okta":
		return Okta(first("iss"), first("aud"), cfg["client_id"]...)
	case "keycloak":
		return Keycloak(first("iss"), cfg["azp"]...)
	case "keycloak-id":
		return KeycloakID(first("iss"), cfg["aud"]...)
	}
	t.Fatalf("provider %q", provider)
	return nil
}

func TestProviderPresets(t *testing.T) {
	raw, err := os.ReadFile(providerData + "cases.json")
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("provider fixtures not present (outside the repository)")
	}
	var doc providerCases
	if err := json.Unmarshal(must(raw, err), &doc); err != nil {
		t.Fatal(err)
	}
	jwks := must(os.ReadFile(providerData + "jwks.json"))
	secret := must(base64.RawURLEncoding.DecodeString(strings.TrimSpace(string(must(os.ReadFile(providerData + "hs256.secret.b64url"))))))
	now := time.Unix(doc.Now, 0)
	providers := map[string]bool{}
	for _, c := range doc.Cases {
		providers[c.Provider] = true
		t.Run(c.Provider+"/"+c.Name, func(t *testing.T) {
			key := WithJWKS(jwks)
			if c.Keys == "hs256" {
				key = WithHMAC(secret, "HS256", "")
			}
			v, err := New(key, providerOption(t, c.Provider, c.Config), WithClock(func() time.Time { return now }))
			if err != nil {
				t.Fatal(err)
			}
			defer v.Close()
			_, err = v.Verify(context.Background(), c.Token)
			if c.Expect == "ok" {
				if err != nil {
					t.Fatalf("want ok, got %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Name != c.Expect {
				t.Fatalf("want %s, got %v", c.Expect, err)
			}
		})
	}
	if len(providers) != 10 {
		t.Fatalf("providers with cases: %v", providers)
	}
}

// providerErrorCase is one fixture refused with a given sentinel.
type providerErrorCase struct {
	want  *Error
	opts  []Option
	token string
}

// providerErrorCases: for each sentinel a provider fixture is refused with,
// the first such fixture, as verifier options and token (for
// TestEverySentinelReachable).
func providerErrorCases(t *testing.T) []providerErrorCase {
	raw, err := os.ReadFile(providerData + "cases.json")
	if err != nil {
		t.Fatalf("provider fixtures: %v", err)
	}
	var doc providerCases
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	jwks := must(os.ReadFile(providerData + "jwks.json"))
	secret := must(base64.RawURLEncoding.DecodeString(strings.TrimSpace(string(must(os.ReadFile(providerData + "hs256.secret.b64url"))))))
	byName := map[string]*Error{}
	for _, e := range allErrors {
		byName[e.Name] = e
	}
	var out []providerErrorCase
	seen := map[string]bool{}
	for _, c := range doc.Cases {
		if c.Expect == "ok" || seen[c.Expect] {
			continue
		}
		seen[c.Expect] = true
		key := WithJWKS(jwks)
		if c.Keys == "hs256" {
			key = WithHMAC(secret, "HS256", "")
		}
		out = append(out, providerErrorCase{byName[c.Expect], []Option{key, providerOption(t, c.Provider, c.Config)}, c.Token})
	}
	return out
}

// Each preset refuses, with *ConfigError, a configuration missing what its
// provider's documentation requires.
func TestProviderPresetsNeed(t *testing.T) {
	jwks, err := os.ReadFile(providerData + "jwks.json")
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("provider fixtures not present (outside the repository)")
	}
	key := WithJWKS(must(jwks, err))
	cases := []struct {
		name string
		opt  Option
		want error
	}{
		{"Auth0 no issuer", Auth0("", "https://api.example.com"), ErrPolicyNeedsIssuer},
		{"Auth0 no audience", Auth0("https://t.auth0.com/", ""), ErrPolicyNeedsAudience},
		{"Firebase no project", Firebase(""), ErrPolicyNeedsAudience},
		{"Supabase no issuer", Supabase(""), ErrPolicyNeedsIssuer},
		{"CognitoID no client", CognitoID("https://cognito-idp.us-east-1.amazonaws.com/p"), ErrPolicyNeedsAudience},
		{"CognitoAccess no client", CognitoAccess("https://cognito-idp.us-east-1.amazonaws.com/p", ""), ErrPolicyNeedsClientID},
		{"Entra no audience", Entra("https://sts.windows.net/t/"), ErrPolicyNeedsAudience},
		{"Google no client", Google(), ErrPolicyNeedsAudience},
		{"Okta no issuer", Okta("", ""), ErrPolicyNeedsIssuer},
		{"Keycloak no client", Keycloak("https://kc.example.com/realms/r", ""), ErrPolicyNeedsAuthorizedParty},
		{"KeycloakID no client", KeycloakID("https://kc.example.com/realms/r"), ErrPolicyNeedsAudience},
		{"Okta org authorization server", Okta("https://dev-123456.okta.com", ""), ErrInvalidPolicy},
		{"Auth0 issuer without trailing slash", Auth0("https://t.auth0.com", "https://api.example.com"), ErrInvalidPolicy},
		{"Entra issuer without tenant", Entra("https://login.microsoftonline.com/v2.0", "api://app"), ErrInvalidPolicy},
		{"Keycloak issuer without realm", Keycloak("https://kc.example.com", "app"), ErrInvalidPolicy},
		{"WithRoles empty role", func(c *config) error {
			if err := Supabase("https://ref.supabase.co/auth/v1")(c); err != nil {
				return err
			}
			return WithRoles("")(c)
		}, ErrInvalidPolicy},
		{"WithRoles nine roles", func(c *config) error {
			if err := Supabase("https://ref.supabase.co/auth/v1")(c); err != nil {
				return err
			}
			return WithRoles("r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9")(c)
		}, ErrInvalidPolicy},
	}
	for _, c := range cases {
		_, err := New(key, c.opt)
		var ce *ConfigError
		if !errors.As(err, &ce) || !errors.Is(err, c.want) {
			t.Errorf("%s: want *ConfigError %v, got %v", c.name, c.want, err)
		}
	}
}
