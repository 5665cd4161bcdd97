package verifier

import (
	"fmt"
	"strings"
)

// LoadReport says what loading JWKS documents added and skipped. A JWKS
// skips the keys it cannot use rather than failing (one odd key published by
// a provider must not cut off every token), so a non-zero Skipped is worth a
// log line: Verifier.LoadReport gives the current key set's, and
// JWKSOptions.OnLoad each fetched document's.
type LoadReport struct {
	// Added is the number of keys loaded.
	Added int
	// Skipped is the number of keys skipped, all reasons together.
	Skipped int
	// SkippedUnsupported: unknown "kty", "crv" or "alg", "use":"enc", or
	// "key_ops" without verify.
	SkippedUnsupported int
	// SkippedSymmetric: "oct" keys without KeyAllowSymmetric.
	SkippedSymmetric int
	// SkippedRSASize: RSA modulus outside 2048..4096 bits, or an unusable exponent.
	SkippedRSASize int
	// SkippedKIDTooLong: "kid" longer than 64 bytes.
	SkippedKIDTooLong int
	// SkippedMalformed: bad base64, wrong coordinate length, not an object.
	SkippedMalformed int
	// SkippedInvalidPublicKey: EC points not on their curve.
	SkippedInvalidPublicKey int
	// SkippedOther: other reasons (an HMAC secret too short for its "alg", an
	// "alg" the key cannot do).
	SkippedOther int
	// SkippedRSAExponent: RSA public exponent even, below 3, or 2^32 and above.
	SkippedRSAExponent int
}

func (r LoadReport) add(o LoadReport) LoadReport {
	return LoadReport{
		Added: r.Added + o.Added, Skipped: r.Skipped + o.Skipped,
		SkippedUnsupported:      r.SkippedUnsupported + o.SkippedUnsupported,
		SkippedSymmetric:        r.SkippedSymmetric + o.SkippedSymmetric,
		SkippedRSASize:          r.SkippedRSASize + o.SkippedRSASize,
		SkippedKIDTooLong:       r.SkippedKIDTooLong + o.SkippedKIDTooLong,
		SkippedMalformed:        r.SkippedMalformed + o.SkippedMalformed,
		SkippedInvalidPublicKey: r.SkippedInvalidPublicKey + o.SkippedInvalidPublicKey,
		SkippedOther:            r.SkippedOther + o.SkippedOther,
		SkippedRSAExponent:      r.SkippedRSAExponent + o.SkippedRSAExponent,
	}
}

// String is one log-friendly line: "3 keys added, 2 skipped (1 symmetric,
// 1 unsupported)".
func (r LoadReport) String() string {
	s := fmt.Sprintf("%d keys added, %d skipped", r.Added, r.Skipped)
	var why []string
	for _, c := range []struct {
		n    int
		name string
	}{
		{r.SkippedUnsupported, "unsupported"}, {r.SkippedSymmetric, "symmetric"},
		{r.SkippedRSASize, "RSA size"}, {r.SkippedKIDTooLong, "kid too long"},
		{r.SkippedMalformed, "malformed"}, {r.SkippedInvalidPublicKey, "invalid public key"},
		{r.SkippedOther, "other"}, {r.SkippedRSAExponent, "RSA exponent"},
	} {
		if c.n > 0 {
			why = append(why, fmt.Sprintf("%d %s", c.n, c.name))
		}
	}
	if len(why) > 0 {
		s += " (" + strings.Join(why, ", ") + ")"
	}
	return s
}
