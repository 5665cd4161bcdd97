package verifier

import "runtime"

// What the rest of the package needs from a backend, which ffi.go (cgo, the
// static library) and wasm.go (the same C ABI compiled to WebAssembly, on
// wazero) each provide under the same names:
//
//	newCConfig() (*cConfig, error)        a vf_config under construction, with
//	    free, lastError, addKey, addString, presetCall, allowMissingTyp,
//	    setLeeway, setMaxAge, setRequireExp, setRequireSub, setMaxTokenLen,
//	    setRequireAllAudiences, setRequireAZP
//	newCVerifier(*cConfig) (cVerifier, uint32)
//	cVerifier: live, free, replaceKeys,
//	    verify(token, authorization, now) (claims, long, err): long asks
//	    the caller to yield once it holds no lock (cgoyield.go)
//	libStatusName, libStatusMessage, libAlgName (the library's own tables)
//	Backend, headerConstants
//
// Everything else (options, presets, JWKS URLs, claims, errors, middleware)
// is shared, so what a caller sees does not depend on the backend.

const (
	// MaxTokenLen is the largest token (or Authorization header) the library
	// accepts; longer ones are rejected with ErrTokenTooLarge before any work.
	MaxTokenLen = 8192
	// MaxKeys is how many keys one verifier holds (all sources together):
	// the C library's capacity (VF_MAX_KEYS).
	MaxKeys = 32

	// The key flags of verifier.h.
	flagAllowSymmetric = uint32(1) // VF_JWKS_ALLOW_SYMMETRIC
	flagRSAPSS         = uint32(2) // VF_KEY_RSA_PSS
	flagAnyKID         = uint32(4) // VF_KEY_ANY_KID
	flagPSSAnySalt     = uint32(8) // VF_KEY_PSS_ANY_SALT

	// maxIssuerLen is the longest issuer keys can be bound to (core's
	// MAX_ISSUER_LEN; longer is VF_KEY_ISSUER_INVALID).
	maxIssuerLen = 128

	statusOK             = 0
	statusPanic          = 903
	statusAllocFailed    = 904
	statusOutputTooSmall = 1002

	// maxExplainLen bounds a refusal's explanation (core's sentences are
	// short; a claim value quoted in one is cut by core).
	maxExplainLen = 4096
)

// strSetting names the vf_config_add_* call for one policy string list.
type strSetting int

const (
	setIssuer strSetting = iota
	setAudience
	setAuthorizedParty
	setClientID
	setTyp
	setScope
	setAlg
	setSubject
	setRole
)

// The views of vf_claims, in struct order.
const (
	viewSub = iota
	viewIss
	viewSid
	viewAzp
	viewClientID
	viewScope
	viewJTI
	viewTyp
	viewPayload
	nViews
)

// claimView is one vf_str of vf_claims as an offset into its scratch array.
type claimView struct {
	off, n  int
	present bool
}

// rawClaims is a verified vf_claims as a backend reads it.
type rawClaims struct {
	scratch                []byte
	views                  [nViews]claimView
	aud                    claimView // raw JSON of "aud" (vf_claims_get)
	alg                    uint32
	exp, nbf, iat          int64
	hasExp, hasNbf, hasIat bool
}

// explanation is the NUL-terminated text a vf_explain call wrote into buf.
func explanation(buf []byte) string {
	for i, b := range buf {
		if b == 0 {
			return string(buf[:i])
		}
	}
	return string(buf)
}

// yield gives the P back to the scheduler between two verifications, when the
// backend asks for it (cgoyield.go); a variable so that a test can count.
var yield = runtime.Gosched
