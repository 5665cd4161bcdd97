package verifier

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Sentinels that no input through the Go API can produce: the binding
// never passes NULL, always gives enough scratch, and panics and
// allocation failures are internal faults. Their mapping is still checked.
var unreachable = map[*Error]string{
	ErrBufferTooSmall:   "the pooled vf_claims scratch always fits VF_MAX_TOKEN_LEN",
	ErrNullArgument:     "the binding never passes NULL",
	ErrPanic:            "internal fault",
	ErrAllocationFailed: "internal fault",
	// A JWKS skip reason (LoadReport.SkippedSymmetric), never a status of a call.
	ErrSymmetricKeyInJWKS: "a skip reason only",
	// The C getters and vf_explain are for C callers; Go reads claims itself.
	ErrClaimNotFound:     "C claim getters only",
	ErrClaimTypeMismatch: "C claim getters only",
	ErrOutputTooSmall:    "C getters and vf_explain only",
	ErrClaimHasNUL:       "C claim getters only",
	ErrNotVerified:       "C claim getters only",
	// vf_verifier_new_routed's configuration refusals: Go routes in Go
	// (WithIssuerJWKSURL refuses an issuer given twice itself).
	ErrDuplicateRoute:         "C routed verifier only",
	ErrRouteIssuerNotAccepted: "C routed verifier only",
	ErrTooManyRoutes:          "C routed verifier only",
}

// The Go table matches the C library: same codes, names and messages, and
// no C status without a sentinel.
func TestSentinelsMatchC(t *testing.T) {
	for code := uint32(1); code < 1100; code++ {
		name := libStatusName(code)
		e, ok := errorByCode[code]
		if (name != "unknown") != ok {
			t.Fatalf("status %d: C name %q, Go sentinel %v", code, name, e)
		}
		if ok && (e.Name != name || e.msg != libStatusMessage(code) || e.Error() != "verifier: "+libStatusMessage(code)) {
			t.Fatalf("status %d: %+v", code, e)
		}
	}
	// The cgo backend reads verifier.h; the WebAssembly one has no header.
	for name, want := range map[string]int{
		"VF_MAX_TOKEN_LEN": MaxTokenLen, "VF_MAX_KEYS": MaxKeys, "VF_JWKS_ALLOW_SYMMETRIC": int(flagAllowSymmetric),
		"VF_KEY_RSA_PSS": int(flagRSAPSS), "VF_KEY_ANY_KID": int(flagAnyKID), "VF_KEY_PSS_ANY_SALT": int(flagPSSAnySalt),
	} {
		if have, ok := headerConstants[name]; ok && have != want {
			t.Fatalf("%s is %d in verifier.h, %d in backend.go", name, have, want)
		}
	}
	if libStatusName(0) != "ok" {
		t.Fatal("status 0")
	}
	if err := statusError(999); err.Error() != "verifier: unknown status 999" {
		t.Fatal(err)
	}
	if !errors.Is(statusError(600), ErrExpired) {
		t.Fatal("statusError(600)")
	}
	var e *Error
	if !errors.As(fmt.Errorf("wrapped: %w", ErrExpired), &e) || e.Code != 600 || e.Name != "expired" {
		t.Fatal("errors.As")
	}
}

// Every reachable sentinel, produced through the public API.
func TestEverySentinelReachable(t *testing.T) {
	k := theKeys()
	hs := func(claims map[string]any) string { return mint("HS256", k.hs256, "", claims) }
	hsRaw := func(header, payload string) string { return mintRaw("HS256", k.hs256, []byte(header), []byte(payload)) }
	seg := func(s string) string { return b64.EncodeToString([]byte(s)) }
	okHeader := seg(`{"alg":"HS256"}`)
	okPayload := seg(`{"sub":"x"}`)
	hmacKey := WithHMAC(k.hs256, "HS256", "")
	deep := strings.Repeat(`[`, 40) + strings.Repeat(`]`, 40)
	var many strings.Builder
	many.WriteString(`{"sub":"x"`)
	for i := range 300 {
		fmt.Fprintf(&many, `,"m%d":1`, i)
	}
	many.WriteString(`}`)
	// 100 member names sharing one 32-bit FNV-1a hash (one 5-byte block from
	// each pair, see core/src/json.rs): the duplicate check's walks overrun the
	// parser's work budget.
	fnvPairs := [8][2]string{{"oMPKz", "2IEwv"}, {"jlLOg", "JJH8T"}, {"Z4TtN", "MNg1S"}, {"DV7II", "3Hjuu"},
		{"uTE1q", "nHBiQ"}, {"QU6Pt", "2kV7T"}, {"PxSdf", "j1Uyr"}, {"fTJ3T", "4qcGT"}}
	var colliding strings.Builder
	colliding.WriteString(`{"alg":"HS256"`)
	for i := range 100 {
		colliding.WriteString(`,"`)
		for b := range 8 {
			colliding.WriteString(fnvPairs[b][(i>>b)&1])
		}
		colliding.WriteString(`":0`)
	}
	colliding.WriteString(`}`)
	base := baseClaims
	k1 := `{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"}`
	offCurve := jwk(k.p256, "", "")
	offCurve["y"] = offCurve["x"]
	var tooMany []map[string]any
	for i := range MaxKeys + 1 {
		tooMany = append(tooMany, jwk(k.hs256, fmt.Sprint("k", i), ""))
	}
	// Five kid-less HMAC keys all fit a kid-less HS256 token: more than the 4 tried.
	var fiveNoKid []map[string]any
	for range 5 {
		fiveNoKid = append(fiveNoKid, jwk(k.hs256, "", ""))
	}
	sym := KeyAllowSymmetric()
	idToken := IDToken("https://issuer.example.com", "app")
	accessToken := AccessToken("https://issuer.example.com", "https://api.example.com")
	rsKey := WithJWKS(jwks(jwk(k.rsa, "r", "")))
	rs := func(claims map[string]any) string { return mint("RS256", k.rsa, "r", claims) }
	atHeader := func(claims map[string]any) string {
		return mintRaw("RS256", k.rsa, jsonBytes(map[string]any{"alg": "RS256", "typ": "at+jwt", "kid": "r"}), jsonBytes(claims))
	}
	atClaims := with(base(), "aud", "https://api.example.com", "client_id", "app", "jti", "j1")

	type tc struct {
		want   *Error
		opts   []Option // verifier options (verify cases) or New options (config cases)
		token  string   // "" for config cases
		header bool     // verify as an Authorization header value
	}
	// An X.509 map URL (x509_test.go's fixtures) on loopback.
	x509URL := func(file string) Option {
		srv := newJWKSServer(t, x509File(t, file))
		return WithX509URL(srv.URL, srv.opts(time.Hour, time.Hour, nil))
	}
	cases := []tc{
		// framing
		{ErrTokenTooLarge, []Option{hmacKey, WithMaxTokenLen(64)}, hs(base()), false},
		{ErrTokenTooLarge, []Option{hmacKey}, strings.Repeat("a", MaxTokenLen+1), false},
		{ErrMalformedToken, []Option{hmacKey}, "a.b", false},
		{ErrBadBase64, []Option{hmacKey}, okHeader + "=." + okPayload + ".c2ln", false},
		// header
		{ErrMalformedHeader, []Option{hmacKey}, seg(`[]`) + "." + okPayload + ".c2ln", false},
		{ErrMissingAlg, []Option{hmacKey}, seg(`{"typ":"JWT"}`) + "." + okPayload + ".c2ln", false},
		{ErrAlgNone, []Option{hmacKey}, seg(`{"alg":"nOnE"}`) + "." + okPayload + ".c2ln", false},
		{ErrUnsupportedAlg, []Option{hmacKey}, seg(`{"alg":"ES256K"}`) + "." + okPayload + ".c2ln", false},
		{ErrUnknownCrit, []Option{hmacKey}, seg(`{"alg":"HS256","crit":["exp"]}`) + "." + okPayload + ".c2ln", false},
		{ErrHeaderWrongType, []Option{hmacKey}, seg(`{"alg":"HS256","kid":5}`) + "." + okPayload + ".c2ln", false},
		{ErrUnencodedPayload, []Option{hmacKey}, seg(`{"alg":"HS256","b64":false}`) + "." + okPayload + ".c2ln", false},
		{ErrNestedToken, []Option{hmacKey}, seg(`{"alg":"HS256","cty":"JWT"}`) + "." + okPayload + ".c2ln", false},
		{ErrCompressedPayload, []Option{hmacKey}, seg(`{"alg":"HS256","zip":"DEF"}`) + "." + okPayload + ".c2ln", false},
		// JSON (the payload is parsed after the signature verifies)
		{ErrJSONSyntax, []Option{hmacKey}, seg(`{"alg":`) + "." + okPayload + ".c2ln", false},
		{ErrJSONTooDeep, []Option{hmacKey}, hsRaw(`{"alg":"HS256"}`, `{"sub":"x","d":`+deep+`}`), false},
		{ErrJSONDuplicateMember, []Option{hmacKey}, hsRaw(`{"alg":"HS256"}`, `{"sub":"x","s\u0075b":"y"}`), false},
		{ErrJSONInvalidUTF8, []Option{hmacKey}, hsRaw(`{"alg":"HS256"}`, "{\"sub\":\"\xff\"}"), false},
		{ErrJSONControlChar, []Option{hmacKey}, hsRaw(`{"alg":"HS256"}`, "{\"sub\":\"a\x01\"}"), false},
		{ErrJSONBadEscape, []Option{hmacKey}, hsRaw(`{"alg":"HS256"}`, `{"sub":"\q"}`), false},
		{ErrJSONTrailingData, []Option{hmacKey}, hsRaw(`{"alg":"HS256"}`, `{"sub":"x"} x`), false},
		{ErrJSONTooManyMembers, []Option{hmacKey}, hsRaw(`{"alg":"HS256"}`, many.String()), false},
		{ErrPayloadNotObject, []Option{hmacKey}, hsRaw(`{"alg":"HS256"}`, `["sub"]`), false},
		{ErrJSONTooComplex, []Option{hmacKey}, seg(colliding.String()) + "." + okPayload + ".c2ln", false},
		// key selection and signature
		{ErrUnknownKID, []Option{WithJWKS(jwks(jwk(k.hs256, "a", "")), sym)}, mint("HS256", k.hs256, "b", base()), false},
		{ErrNoMatchingKey, []Option{WithJWKS(jwks(fiveNoKid...), sym)}, hs(base()), false},
		{ErrAlgNotAllowedForKey, []Option{WithJWKS(jwks(jwk(k.rsa, "a", "")))}, mint("HS256", k.hs256, "a", base()), false},
		{ErrBadSignature, []Option{WithJWKS(jwks(jwk(k.rsa2, "a", "")))}, mint("RS256", k.rsa, "a", base()), false},
		{ErrBadSignatureLength, []Option{WithJWKS(jwks(jwk(k.p256, "a", "")))}, mint("ES256", k.p256, "a", base()) + "AAAA", false},
		{ErrAlgNotAllowedByPolicy, []Option{WithJWKS(jwks(jwk(k.hs256, "h", ""), jwk(k.rsa, "r", "")), sym), WithAlgorithms("RS256")}, mint("HS256", k.hs256, "h", base()), false},
		{ErrKeyIssuerMismatch, []Option{WithJWKS(jwks(jwk(k.rsa, "r", "")), KeyIssuer("https://partner.example.com"))}, rs(base()), false},
		{ErrPSSSaltLength, []Option{WithJWKS(jwks(jwk(k.rsa, "r", "")), KeyRSAPSS())}, mintAutoSalt(k.rsa, "r", base()), false},
		// key loading
		{ErrKeyMalformed, []Option{WithJWKS([]byte(`{"keys":{}}`))}, "", false},
		{ErrKeyMalformed, []Option{WithJWK([]byte(`{"kty":"RSA","n":"!!","e":"AQAB"}`))}, "", false},
		{ErrKeyMalformed, []Option{WithJWK([]byte(`{"kty":"RSA","n":"!!","e":"AQAB"}`), KeyIssuer("https://issuer.example.com"))}, "", false},
		{ErrKeyUnsupported, []Option{WithJWK([]byte(k1))}, "", false},
		{ErrHMACKeyTooShort, []Option{WithHMAC([]byte("short"), "HS256", "")}, "", false},
		{ErrRSAKeySize, []Option{WithJWK(jsonBytes(jwk(k.rsa1024, "", "")))}, "", false},
		{ErrRSAExponent, []Option{WithJWK(jsonBytes(with(jwk(k.rsa, "", ""), "e", "AQAAAAE")))}, "", false},
		{ErrTooManyKeys, []Option{WithJWKS(jwks(tooMany...), sym)}, "", false},
		{ErrNoKeys, []Option{WithIssuer("x")}, "", false},
		{ErrInvalidPublicKey, []Option{WithJWK(jsonBytes(offCurve))}, "", false},
		{ErrKIDTooLong, []Option{WithHMAC(k.hs256, "HS256", strings.Repeat("k", 65))}, "", false},
		{ErrKeyIssuerInvalid, []Option{WithPEM(pemOf(k.rsa), "", KeyIssuer(""))}, "", false},
		{ErrCertificateMalformed, []Option{Firebase("x509-test"), x509URL("map_malformed.json")}, "", false},
		{ErrDuplicateKID, []Option{Firebase("x509-test"), x509URL("map_duplicate.json")}, "", false},
		{ErrKeyIssuerInvalid, []Option{WithJWKS(jwks(jwk(k.rsa, "r", "")), KeyIssuer(strings.Repeat("i", 129)))}, "", false},
		// claims
		{ErrExpired, []Option{hmacKey}, hs(with(base(), "exp", testNow.Unix())), false},
		{ErrNotYetValid, []Option{hmacKey}, hs(with(base(), "nbf", testNow.Unix()+1)), false},
		{ErrIssuedInFuture, []Option{hmacKey}, hs(with(base(), "iat", testNow.Unix()+1)), false},
		{ErrTokenTooOld, []Option{hmacKey, WithMaxAge(5 * time.Second)}, hs(base()), false},
		{ErrMissingExp, []Option{hmacKey}, hs(with(base(), "exp", nil)), false},
		{ErrClaimWrongType, []Option{hmacKey}, hs(with(base(), "exp", "soon")), false},
		{ErrMissingIssuer, []Option{hmacKey, WithIssuer("https://issuer.example.com")}, hs(with(base(), "iss", nil)), false},
		{ErrWrongIssuer, []Option{hmacKey, WithIssuer("https://other.example.com")}, hs(base()), false},
		{ErrMissingAudience, []Option{hmacKey, WithAudience("https://api.example.com")}, hs(with(base(), "aud", nil)), false},
		{ErrWrongAudience, []Option{hmacKey, WithAudience("https://other.example.com")}, hs(base()), false},
		{ErrWrongAuthorizedParty, []Option{hmacKey, WithAuthorizedParty("https://app.example.com")}, hs(with(base(), "azp", "https://evil.example.com")), false},
		{ErrMissingClientID, []Option{hmacKey, WithClientID("app")}, hs(base()), false},
		{ErrWrongClientID, []Option{hmacKey, WithClientID("app")}, hs(with(base(), "client_id", "other")), false},
		{ErrMissingTyp, []Option{hmacKey, WithTyp("at+jwt")}, hsRaw(`{"alg":"HS256"}`, string(jsonBytes(base()))), false},
		{ErrWrongTyp, []Option{hmacKey, WithTyp("at+jwt")}, hs(base()), false},
		{ErrMissingSubject, []Option{hmacKey}, hs(with(base(), "sub", nil)), false},
		{ErrMissingScope, []Option{hmacKey, WithRequiredScopes("write")}, hs(with(base(), "scope", "read writer")), false},
		{ErrMissingIssuedAt, []Option{hmacKey, WithMaxAge(time.Hour)}, hs(with(base(), "iat", nil)), false},
		{ErrClaimOutOfRange, []Option{hmacKey}, hsRaw(`{"alg":"HS256"}`, `{"sub":"x","exp":1e300}`), false},
		{ErrAccessTokenAsIDToken, []Option{rsKey, idToken}, atHeader(with(base(), "aud", "app")), false},
		{ErrMissingAuthorizedParty, []Option{rsKey, idToken}, rs(with(base(), "aud", []string{"app", "other"})), false},
		{ErrMissingJTI, []Option{rsKey, accessToken}, atHeader(with(atClaims, "jti", nil)), false},
		// configuration and binding
		{ErrInvalidPolicy, []Option{hmacKey, WithAudience("")}, "", false},
		{ErrPolicyNeedsIssuer, []Option{rsKey, AccessToken("", "https://api.example.com")}, "", false},
		{ErrPolicyNeedsAudience, []Option{rsKey, IDToken("https://issuer.example.com")}, "", false},
		{ErrPolicyNeedsAuthorizedParty, []Option{rsKey, Clerk("https://issuer.example.com")}, "", false},
		{ErrInvalidArgument, []Option{hmacKey, WithAlgorithms("none")}, "", false},
		{ErrMissingBearer, []Option{hmacKey}, "Basic dXNlcjpwYXNz", true},
		{ErrMissingBearer, []Option{hmacKey}, "Bearer", true},
		{ErrPolicyNeedsClientID, []Option{rsKey, CognitoAccess("https://cognito-idp.us-east-1.amazonaws.com/p")}, "", false},
	}
	// The provider claim errors, on the provider fixtures (providers_test.go).
	for _, p := range providerErrorCases(t) {
		cases = append(cases, tc{p.want, p.opts, p.token, false})
	}
	// Issue 25's policy options and routing (policy_options_test.go).
	for _, p := range policyOptErrorCases(t) {
		cases = append(cases, tc{p.want, p.opts, p.token, false})
	}

	reached := map[*Error]bool{}
	for i, c := range cases {
		var err error
		if c.token == "" {
			var v *Verifier
			v, err = New(c.opts...)
			if err == nil {
				v.Close()
			}
		} else {
			v := newV(t, c.opts...)
			if c.header {
				_, err = v.VerifyAuthorization(ctx, c.token)
			} else {
				_, err = v.Verify(ctx, c.token)
			}
		}
		if !errors.Is(err, c.want) {
			t.Errorf("case %d: want %v, got %v", i, c.want.Name, err)
			continue
		}
		for _, other := range allErrors {
			if other != c.want && errors.Is(err, other) {
				t.Errorf("case %d: %v also matches %v", i, err, other.Name)
			}
		}
		reached[c.want] = true
	}
	for _, e := range allErrors {
		if !reached[e] && unreachable[e] == "" {
			t.Errorf("sentinel %s (%d) is never produced by a test", e.Name, e.Code)
		}
		if reached[e] && unreachable[e] != "" {
			t.Errorf("sentinel %s is listed as unreachable but was produced", e.Name)
		}
	}
}

// The C library's own refusal of a preset without what it needs reaches Go
// as its sentinel (Go refuses first, so this goes around the Go check).
func TestCPresetRefusalMapped(t *testing.T) {
	k := theKeys()
	for _, tc := range []struct {
		p    preset
		want *Error
	}{
		{presetClerk, ErrPolicyNeedsAuthorizedParty},
		{presetLogto, ErrPolicyNeedsIssuer}, // (its ES384 needs a P-384 key, below)
		{presetIDToken, ErrPolicyNeedsIssuer},
		{presetAccessToken, ErrPolicyNeedsIssuer},
	} {
		cfg := &config{preset: tc.p}
		cfg.addKeySpec(keySpec{op: "WithJWKS", kind: keyJWKS, data: jwks(jwk(k.rsa, "r", ""), jwk(k.p384, "p", ""))}, nil)
		cv, _, _, err := build(cfg, cfg.keys, nil)
		if err == nil {
			cv.free()
		}
		var ce *ConfigError
		if !errors.Is(err, tc.want) || !errors.As(err, &ce) || ce.Op != "New" || ce.Detail == "" {
			t.Errorf("%s: got %v, want %s", presetOps[tc.p], err, tc.want.Name)
		}
	}
}

// A refusal carries core's detail and matches its sentinel by code;
// ErrInvalidSignature matches exactly the not-authentic refusals.
func TestRefusalDetailAndGroups(t *testing.T) {
	k := theKeys()
	v := newV(t, WithJWKS(jwks(jwk(k.rsa, "k1", ""))), WithHMAC(k.hs256, "HS256", "h1"))
	good := mint("RS256", k.rsa, "k1", baseClaims())
	for _, tc := range []struct {
		name      string
		token     string
		sentinel  *Error
		authentic bool
	}{
		{"tampered", good[:len(good)-4] + map[bool]string{true: "BAAA", false: "AAAA"}[strings.HasSuffix(good, "AAAA")], ErrBadSignature, false},
		{"short signature", good[:strings.LastIndexByte(good, '.')+1] + "AAAA", ErrBadSignatureLength, false},
		{"HS256 with an RSA key's kid", mint("HS256", k.hs256, "k1", baseClaims()), ErrAlgNotAllowedForKey, false},
		{"expired", mint("RS256", k.rsa, "k1", with(baseClaims(), "exp", testNow.Unix()-60)), ErrExpired, true},
	} {
		_, err := v.Verify(ctx, tc.token)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, tc.sentinel) || e.Detail == "" {
			t.Errorf("%s: %#v, want %v with a detail", tc.name, err, tc.sentinel)
			continue
		}
		if err.Error() != tc.sentinel.Error()+": "+e.Detail {
			t.Errorf("%s: Error() = %q", tc.name, err.Error())
		}
		if errors.Is(err, ErrInvalidSignature) == tc.authentic {
			t.Errorf("%s: errors.Is(err, ErrInvalidSignature) = %v", tc.name, !tc.authentic)
		}
		if errors.Is(err, ErrExpired) != (tc.sentinel == ErrExpired) {
			t.Errorf("%s: matches ErrExpired", tc.name)
		}
	}
}
