//go:build cgo && !verifier_wasm && (verifier_system || (linux && (amd64 || arm64)))

package verifier

// The cgo backend: the platforms the module ships a static library for
// (linux/amd64, linux/arm64), or any platform with -tags verifier_system.
// Everywhere else, and without cgo, wasm.go runs the same C ABI compiled to
// WebAssembly (backend.go says what both provide).
//
// Every cgo directive and every call into the C library lives in this file;
// the rest of the package is plain Go over these few wrappers.
//
// Everything cgo needs is inside the module, as in wasmtime-go: the header
// (include/verifier.h, a copy that `make go-header-check` keeps in step with
// the repository's) and one static library per platform,
// lib/<goos>-<goarch>/libverifier.a (made by `make go-module`). The library is
// linked by path, so a libverifier.so lying around is never picked instead.
// The system libraries are what Rust's std needs on glibc; the unwinder comes
// from the C compiler's default runtime (libgcc_s when linking dynamically,
// libgcc_eh with -static), so no -lgcc_s is forced on a static link.
//
// With the build tag verifier_system, the installed library (`make install`)
// is used through pkg-config instead.

/*
#cgo !verifier_system CFLAGS: -I${SRCDIR}/include
#cgo !verifier_system,linux,amd64 LDFLAGS: ${SRCDIR}/lib/linux-amd64/libverifier.a
#cgo !verifier_system,linux,arm64 LDFLAGS: ${SRCDIR}/lib/linux-arm64/libverifier.a
#cgo !verifier_system LDFLAGS: -lutil -lrt -lpthread -lm -ldl
#cgo verifier_system pkg-config: verifier
#include <stdlib.h>
#include <verifier.h>

// Returned by value so that no Go out-parameter escapes to the heap.
typedef struct { uint32_t status; int found; size_t off, len; } go_claim;

static inline go_claim go_vf_claims_get(const void *c, const uint8_t *name, size_t n) {
	vf_str out = {0, 0};
	go_claim r = {0, 0, 0, 0};
	r.status = (uint32_t)vf_claims_get((const vf_claims *)c, name, n, &out);
	if (r.status == 0 && out.ptr) {
		r.found = 1;
		r.off = (size_t)(out.ptr - ((const vf_claims *)c)->scratch);
		r.len = out.len;
	}
	return r;
}

// The claims buffer is Go memory of a pointer-free Go type. Passing it as
// void* keeps cgo's pointer check from walking the views that C writes into
// it (they point into the same buffer, so the GC never needs to see them).
//
// One cgo call per verification: on success it also looks up the raw "aud"
// (not a vf_claims field), which was a second cgo call (about 0.3 us, 1% of
// an RS256 verification, measured in go/bench).
typedef struct { uint32_t status; go_claim aud; } go_verified;

static inline go_verified go_vf_verify(const vf_verifier *v, const uint8_t *tok, size_t n,
                                       int64_t now, int authorization, void *out) {
	go_verified r = {0, {0, 0, 0, 0}};
	r.status = authorization ? (uint32_t)vf_verify_authorization(v, tok, n, now, (vf_claims *)out)
	                         : (uint32_t)vf_verify(v, tok, n, now, (vf_claims *)out);
	if (r.status == 0) {
		r.aud = go_vf_claims_get(out, (const uint8_t *)"aud", 3);
	}
	return r;
}
*/
import "C"

import (
	"sync"
	"unsafe"
)

// Backend is the name of the backend this build uses.
const Backend = "cgo"

// The header's values, which a test compares with backend.go's.
var headerConstants = map[string]int{
	"VF_MAX_TOKEN_LEN":        int(C.VF_MAX_TOKEN_LEN),
	"VF_MAX_KEYS":             int(C.VF_MAX_KEYS),
	"VF_JWKS_ALLOW_SYMMETRIC": int(C.VF_JWKS_ALLOW_SYMMETRIC),
	"VF_KEY_RSA_PSS":          int(C.VF_KEY_RSA_PSS),
	"VF_KEY_ANY_KID":          int(C.VF_KEY_ANY_KID),
	"VF_KEY_PSS_ANY_SALT":     int(C.VF_KEY_PSS_ANY_SALT),
}

// claimsBuf is a vf_claims in Go memory: same size, 8-byte aligned, and of a
// pointer-free type so the garbage collector never scans the raw views in it.
type claimsBuf struct {
	_   [0]uint64
	b   [C.sizeof_vf_claims]byte
	run cgoRun // this P's run of back-to-back verifications (cgoyield.go)
}

func (b *claimsBuf) c() *C.vf_claims { return (*C.vf_claims)(unsafe.Pointer(&b.b)) }

// scratchOffset is where the scratch array starts inside vf_claims.
var scratchOffset = int(unsafe.Offsetof(C.vf_claims{}.scratch))

// bytesPtr returns a pointer C may read len(p) bytes from; never NULL, because
// the C side reads NULL as a missing argument even when the length is 0.
func bytesPtr(p []byte) *C.uint8_t {
	if len(p) == 0 {
		return (*C.uint8_t)(unsafe.Pointer(&zeroByte))
	}
	return (*C.uint8_t)(unsafe.Pointer(&p[0]))
}

func stringPtr(s string) *C.uint8_t {
	if len(s) == 0 {
		return (*C.uint8_t)(unsafe.Pointer(&zeroByte))
	}
	return (*C.uint8_t)(unsafe.Pointer(unsafe.StringData(s)))
}

var zeroByte byte

// The library's own tables, which a test compares with status_text.go's.
func libStatusName(st uint32) string    { return C.GoString(C.vf_status_name(C.uint32_t(st))) }
func libStatusMessage(st uint32) string { return C.GoString(C.vf_status_message(C.uint32_t(st))) }
func libAlgName(alg uint32) string      { return C.GoString(C.vf_alg_name(C.uint32_t(alg))) }

// cConfig is a vf_config under construction; it lives only inside New and
// key replacement, so the C strings it needs are allocated and freed there.
type cConfig struct{ p *C.vf_config }

func newCConfig() (*cConfig, error) {
	p := C.vf_config_new()
	if p == nil {
		return nil, ErrAllocationFailed
	}
	return &cConfig{p: p}, nil
}

func (c *cConfig) free() {
	C.vf_config_free(c.p)
	c.p = nil
}

// lastError is the C library's description of the last failing call.
func (c *cConfig) lastError() string {
	var small [256]byte
	n := int(C.vf_config_last_error(c.p, (*C.char)(unsafe.Pointer(&small[0])), C.size_t(len(small))))
	if n < len(small) {
		return string(small[:n])
	}
	big := make([]byte, n+1)
	C.vf_config_last_error(c.p, (*C.char)(unsafe.Pointer(&big[0])), C.size_t(len(big)))
	return string(big[:n])
}

// cstr is a NUL-terminated copy for the C side, or NULL for "".
func cstr(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

func freeCstr(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}

// issuerPtr is the key's issuer binding for C: NULL when none, and an empty
// C string (which C refuses) for KeyIssuer(""), never silently "no binding".
func issuerPtr(k *keySpec) *C.char {
	if !k.hasIssuer {
		return nil
	}
	return C.CString(k.issuer)
}

// addKey adds one key source; a JWKS document's load report comes back.
func (c *cConfig) addKey(k *keySpec) (LoadReport, uint32) {
	kid := cstr(k.kid)
	defer freeCstr(kid)
	iss := issuerPtr(k)
	defer freeCstr(iss)
	switch k.kind {
	case keyJWKS, keyX509Map:
		var r C.vf_load_report
		var st uint32
		if k.kind == keyX509Map {
			st = uint32(C.vf_config_add_x509_map(c.p, bytesPtr(k.data), C.size_t(len(k.data)), iss, C.uint32_t(k.flags), &r))
		} else {
			st = uint32(C.vf_config_add_jwks_ex(c.p, bytesPtr(k.data), C.size_t(len(k.data)), iss, C.uint32_t(k.flags), &r))
		}
		if st != statusOK {
			return LoadReport{}, st
		}
		return LoadReport{
			Added: int(r.added), Skipped: int(r.skipped),
			SkippedUnsupported: int(r.skipped_unsupported), SkippedSymmetric: int(r.skipped_symmetric),
			SkippedRSASize: int(r.skipped_rsa_size), SkippedKIDTooLong: int(r.skipped_kid_too_long),
			SkippedMalformed: int(r.skipped_malformed), SkippedInvalidPublicKey: int(r.skipped_invalid_public_key),
			SkippedOther: int(r.skipped_other), SkippedRSAExponent: int(r.skipped_rsa_exponent),
		}, st
	case keyJWK:
		return LoadReport{}, uint32(C.vf_config_add_jwk(c.p, bytesPtr(k.data), C.size_t(len(k.data))))
	case keyPEM:
		return LoadReport{}, uint32(C.vf_config_add_pem_ex(c.p, bytesPtr(k.data), C.size_t(len(k.data)), kid, iss, C.uint32_t(k.flags)))
	default:
		alg := cstr(k.alg)
		defer freeCstr(alg)
		return LoadReport{}, uint32(C.vf_config_add_hmac_secret(c.p, bytesPtr(k.data), C.size_t(len(k.data)), alg, kid))
	}
}

func (c *cConfig) addString(which strSetting, s string) uint32 {
	// An empty string must reach C (it is an invalid policy, not "absent").
	p := C.CString(s)
	defer C.free(unsafe.Pointer(p))
	switch which {
	case setIssuer:
		return uint32(C.vf_config_add_issuer(c.p, p))
	case setAudience:
		return uint32(C.vf_config_add_audience(c.p, p))
	case setAuthorizedParty:
		return uint32(C.vf_config_add_authorized_party(c.p, p))
	case setClientID:
		return uint32(C.vf_config_add_client_id(c.p, p))
	case setTyp:
		return uint32(C.vf_config_add_typ(c.p, p))
	case setScope:
		return uint32(C.vf_config_add_required_scope(c.p, p))
	case setSubject:
		return uint32(C.vf_config_add_subject(c.p, p))
	case setRole:
		return uint32(C.vf_config_add_role(c.p, p))
	default:
		return uint32(C.vf_config_allow_alg(c.p, p))
	}
}

// presetCall runs the C preset of p.
func (c *cConfig) presetCall(p preset) uint32 {
	switch p {
	case presetClerk:
		return uint32(C.vf_config_preset_clerk(c.p))
	case presetLogto:
		return uint32(C.vf_config_preset_logto(c.p))
	case presetIDToken:
		return uint32(C.vf_config_preset_id_token(c.p))
	case presetAccessToken:
		return uint32(C.vf_config_preset_access_token(c.p))
	case presetAuth0:
		return uint32(C.vf_config_preset_auth0(c.p))
	case presetFirebase:
		return uint32(C.vf_config_preset_firebase(c.p))
	case presetSupabase:
		return uint32(C.vf_config_preset_supabase(c.p))
	case presetCognitoID:
		return uint32(C.vf_config_preset_cognito_id(c.p))
	case presetCognitoAccess:
		return uint32(C.vf_config_preset_cognito_access(c.p))
	case presetEntra:
		return uint32(C.vf_config_preset_entra(c.p))
	case presetGoogle:
		return uint32(C.vf_config_preset_google(c.p))
	case presetOkta:
		return uint32(C.vf_config_preset_okta(c.p))
	case presetKeycloak:
		return uint32(C.vf_config_preset_keycloak(c.p))
	case presetKeycloakID:
		return uint32(C.vf_config_preset_keycloak_id(c.p))
	}
	return statusOK
}
func (c *cConfig) allowMissingTyp(on bool) uint32 {
	return uint32(C.vf_config_allow_missing_typ(c.p, C.bool(on)))
}
func (c *cConfig) setLeeway(s uint32) uint32 {
	return uint32(C.vf_config_set_leeway(c.p, C.uint32_t(s)))
}
func (c *cConfig) setMaxAge(s uint32) uint32 {
	return uint32(C.vf_config_set_max_age(c.p, C.uint32_t(s)))
}
func (c *cConfig) setRequireExp(on bool) uint32 {
	return uint32(C.vf_config_set_require_exp(c.p, C.bool(on)))
}
func (c *cConfig) setRequireSub(on bool) uint32 {
	return uint32(C.vf_config_set_require_sub(c.p, C.bool(on)))
}
func (c *cConfig) setRequireAllAudiences(on bool) uint32 {
	return uint32(C.vf_config_set_require_all_audiences(c.p, C.bool(on)))
}
func (c *cConfig) setRequireAZP(on bool) uint32 {
	return uint32(C.vf_config_set_require_azp(c.p, C.bool(on)))
}
func (c *cConfig) setMaxTokenLen(n int) uint32 {
	return uint32(C.vf_config_set_max_token_len(c.p, C.size_t(n)))
}

// cVerifier is the C verifier handle.
type cVerifier struct{ p *C.vf_verifier }

func newCVerifier(c *cConfig) (cVerifier, uint32) {
	var out *C.vf_verifier
	st := uint32(C.vf_verifier_new(c.p, &out))
	return cVerifier{p: out}, st
}

func (v cVerifier) live() bool { return v.p != nil }
func (v cVerifier) free()      { C.vf_verifier_free(v.p) }
func (v cVerifier) replaceKeys(c *cConfig) uint32 {
	return uint32(C.vf_verifier_replace_keys(v.p, c.p))
}

var claimsPool = sync.Pool{New: func() any { return new(claimsBuf) }}

// verify runs vf_verify (or vf_verify_authorization) into a pooled claims
// buffer and copies the claims out, or explains the refusal. The token is
// read in place: Go memory without Go pointers, valid for the whole call.
// long reports that this goroutine's run of back-to-back verifications has
// lasted long enough to yield (cgoyield.go), which the caller does once it
// holds no lock.
func (v cVerifier) verify(token string, authorization bool, now int64) (c *Claims, long bool, err error) {
	buf := claimsPool.Get().(*claimsBuf)
	var frame byte // its address identifies this goroutine (cgoyield.go)
	buf.run.begin(uintptr(unsafe.Pointer(&frame)), monotonic())
	defer func() {
		long = buf.run.end(monotonic()) // whatever the return statement said
		claimsPool.Put(buf)
	}()
	auth := C.int(0)
	if authorization {
		auth = 1
	}
	res := C.go_vf_verify(v.p, stringPtr(token), C.size_t(len(token)), C.int64_t(now), auth, unsafe.Pointer(buf))
	if st := uint32(res.status); st != statusOK {
		return nil, false, refusal(st, v.explain(token, authorization, now, st, buf))
	}
	r, err := buf.raw(res.aud)
	if err != nil {
		return nil, false, err
	}
	c, err = buildClaims(&r)
	return c, false, err
}

// explain is core's sentence for a refusal (vf_explain), "" if it has none,
// written into the claims buffer's scratch, which the refusal left unused.
func (v cVerifier) explain(token string, authorization bool, now int64, st uint32, buf *claimsBuf) string {
	out := buf.b[scratchOffset:]
	out = out[:min(len(out), maxExplainLen)]
	p, n := (*C.char)(unsafe.Pointer(&out[0])), C.size_t(len(out))
	var s C.vf_status
	if authorization {
		s = C.vf_explain_authorization(v.p, stringPtr(token), C.size_t(len(token)), C.int64_t(now), C.uint32_t(st), p, n, nil)
	} else {
		s = C.vf_explain(v.p, stringPtr(token), C.size_t(len(token)), C.int64_t(now), C.uint32_t(st), p, n, nil)
	}
	if uint32(s) != statusOK && uint32(s) != statusOutputTooSmall {
		return ""
	}
	return explanation(out)
}

// raw reads the views out of the C struct as offsets into its scratch.
func (b *claimsBuf) raw(a C.go_claim) (rawClaims, error) {
	cc := b.c()
	scratch := b.b[scratchOffset:]
	base := uintptr(unsafe.Pointer(&scratch[0]))
	view := func(s C.vf_str) claimView {
		p := uintptr(unsafe.Pointer(s.ptr))
		if p == 0 {
			return claimView{}
		}
		if p < base {
			return claimView{off: -1, n: int(s.len), present: true} // refused by buildClaims
		}
		return claimView{off: int(p - base), n: int(s.len), present: true}
	}
	r := rawClaims{
		scratch: scratch,
		views: [nViews]claimView{view(cc.sub), view(cc.iss), view(cc.sid), view(cc.azp),
			view(cc.client_id), view(cc.scope), view(cc.jti), view(cc.typ), view(cc.payload)},
		alg: uint32(cc.alg),
		exp: int64(cc.exp), nbf: int64(cc.nbf), iat: int64(cc.iat),
		hasExp: bool(cc.has_exp), hasNbf: bool(cc.has_nbf), hasIat: bool(cc.has_iat),
	}
	// aud is not in vf_claims: go_vf_verify looked up its raw JSON by name.
	if uint32(a.status) != statusOK {
		return r, statusError(uint32(a.status))
	}
	if a.found != 0 {
		r.aud = claimView{off: int(a.off), n: int(a.len), present: true}
	}
	return r, nil
}
