// Package verifier verifies JSON Web Tokens (compact JWS) for Go backends,
// over libverifier's allocation-free Rust core through its C ABI: linked
// with cgo on linux/amd64 and linux/arm64, or compiled to WebAssembly and
// run on wazero everywhere else and without cgo (Backend says which).
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
// Algorithms: RS256/384/512, PS256/384/512, ES256, ES384, ES512 (P-521),
// EdDSA (Ed25519), HS256/384/512.
//
// Every refusal matches one of the Err* sentinels (errors.Is), is an *Error
// with a stable Code and Name and core's Detail (errors.As), and every "not
// authentic" refusal also matches ErrInvalidSignature. The returned Claims are
// copied out of the library's buffer before Verify returns.
//
// Building: the module carries the C header, a static library per Linux
// platform (lib/<goos>-<goarch>/libverifier.a) and the WebAssembly module
// (internal/wasm), so a build needs only Go: with cgo on linux/amd64 and
// linux/arm64 the library is linked into the binary (dynamic or fully
// static: -tags netgo,osusergo -ldflags '-linkmode external -extldflags
// "-static"'), and anywhere else, or with CGO_ENABLED=0, the WebAssembly
// backend is used. -tags verifier_wasm selects WebAssembly anywhere;
// -tags verifier_system links an installed libverifier through pkg-config.
package verifier
