// Package verifier verifies JSON Web Tokens (compact JWS) for Go backends,
// over libverifier's allocation-free Rust core through its C ABI (cgo).
//
// Build the Verifier once, from pinned keys or the provider's JWKS URL and a
// claims policy, and share it:
//
//	v, err := verifier.New(
//		verifier.WithJWKSURL("https://clerk.example.com/.well-known/jwks.json", verifier.JWKSOptions{}),
//		verifier.Clerk("https://clerk.example.com", "https://app.example.com"),
//	)
//	...
//	claims, err := v.VerifyAuthorization(ctx, r.Header.Get("Authorization"))
//	if errors.Is(err, verifier.ErrExpired) { ... }
//	userID := claims.Subject
//
// or wrap handlers with v.Middleware and read ClaimsFromContext.
//
// What is checked: the signature against a pinned key chosen by "kid" and the
// key's own type (nothing in the token header can pick or widen a key; "alg:
// none" is never accepted); then "exp", "nbf", "iat" with the leeway, "iss",
// "aud", "azp", "client_id", the header "typ", "sub" and required scopes, and
// the issuer a key is bound to (KeyIssuer). Each key verifies one algorithm
// family (an RSA key without "alg" RS* only unless KeyRSAPSS; an HMAC secret
// one hash), and a JWKS's "oct" keys are skipped unless KeyAllowSymmetric.
// Algorithms: RS256/384/512, PS256/384/512, ES256, ES384, EdDSA (Ed25519),
// HS256/384/512.
//
// Every refusal is one of the Err* sentinels (errors.Is), each an *Error with
// a stable Code and Name (errors.As). Verification makes no C allocation:
// the C library writes into a pooled Go buffer, and the returned Claims are
// copied out of it before Verify returns.
//
// Building: the module carries the C header and a static library per
// platform (lib/<goos>-<goarch>/libverifier.a, made by `make go-module`), so
// a build needs only Go and a C compiler (cgo), and links the library into
// the binary: dynamic or fully static (-ldflags '-linkmode external
// -extldflags "-static"'), no LD_LIBRARY_PATH. The build tag verifier_system
// links an installed libverifier through pkg-config instead.
package verifier
