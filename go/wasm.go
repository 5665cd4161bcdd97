//go:build !cgo || verifier_wasm || !(verifier_system || (linux && (amd64 || arm64)))

package verifier

// The WebAssembly backend: the same C ABI as ffi.go (the ffi crate built for
// wasm32-unknown-unknown, embedded by internal/wasm) run on wazero, a pure-Go
// runtime. It serves builds without cgo and platforms the module ships no
// static library for (darwin, windows, linux/386, riscv64, ...), with the
// same API, verdicts and errors; -tags verifier_wasm selects it anywhere.
//
// One runtime and one compiled module per process, compiled on first use.
// Each Verifier owns a pool of instances, at most GOMAXPROCS, so
// verifications run on every core without a global lock. An instance holds
// its own copy of the verifier: the configuration calls are recorded when
// first made and replayed into each instance, and a key replacement bumps a
// generation that makes every other instance rebuild before its next use.
// A trap (a panic inside the module) discards the instance: the caller gets
// ErrPanic and no later call sees its memory.

import (
	"context"
	"encoding/binary"
	"errors"
	"runtime"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/libverifier/libverifier/go/internal/wasm"
)

// Backend is the name of the backend this build uses.
const Backend = "wasm"

// No header here: ffi.go's test compares verifier.h with backend.go.
var headerConstants = map[string]int{}

// The exports called, by index.
const (
	fnConfigNew = iota
	fnConfigFree
	fnConfigLastError
	fnAddJWKSEx
	fnAddJWK
	fnAddPEMEx
	fnAddHMAC
	fnAddIssuer
	fnAddAudience
	fnAddAuthorizedParty
	fnAddClientID
	fnAddTyp
	fnAddScope
	fnAllowAlg
	fnPresetClerk
	fnPresetLogto
	fnPresetIDToken
	fnPresetAccessToken
	fnAllowMissingTyp
	fnSetLeeway
	fnSetMaxAge
	fnSetRequireExp
	fnSetRequireSub
	fnSetMaxTokenLen
	fnVerifierNew
	fnVerifierFree
	fnReplaceKeys
	fnVerify
	fnVerifyAuthorization
	fnClaimsGet
	fnClaimsSize
	fnExplain
	fnExplainAuthorization
	fnStatusName
	fnStatusMessage
	fnAlgName
	fnAlloc
	fnFree
	fnPresetAuth0
	fnPresetFirebase
	fnPresetSupabase
	fnPresetCognitoID
	fnPresetCognitoAccess
	fnPresetEntra
	fnPresetGoogle
	fnPresetOkta
	fnPresetKeycloak
	fnPresetKeycloakID
	fnAddSubject
	fnSetRequireAllAudiences
	fnSetRequireAZP
	fnAddRole
	fnAddX509Map
	nFns
)

var fnNames = [nFns]string{
	"vf_config_new", "vf_config_free", "vf_config_last_error", "vf_config_add_jwks_ex",
	"vf_config_add_jwk", "vf_config_add_pem_ex", "vf_config_add_hmac_secret",
	"vf_config_add_issuer", "vf_config_add_audience", "vf_config_add_authorized_party",
	"vf_config_add_client_id", "vf_config_add_typ", "vf_config_add_required_scope",
	"vf_config_allow_alg", "vf_config_preset_clerk", "vf_config_preset_logto",
	"vf_config_preset_id_token", "vf_config_preset_access_token", "vf_config_allow_missing_typ",
	"vf_config_set_leeway", "vf_config_set_max_age", "vf_config_set_require_exp",
	"vf_config_set_require_sub", "vf_config_set_max_token_len", "vf_verifier_new",
	"vf_verifier_free", "vf_verifier_replace_keys", "vf_verify", "vf_verify_authorization",
	"vf_claims_get", "vf_claims_size", "vf_explain", "vf_explain_authorization",
	"vf_status_name", "vf_status_message", "vf_alg_name", "vf_wasm_alloc", "vf_wasm_free",
	"vf_config_preset_auth0", "vf_config_preset_firebase", "vf_config_preset_supabase",
	"vf_config_preset_cognito_id", "vf_config_preset_cognito_access", "vf_config_preset_entra",
	"vf_config_preset_google", "vf_config_preset_okta", "vf_config_preset_keycloak",
	"vf_config_preset_keycloak_id", "vf_config_add_subject", "vf_config_set_require_all_audiences",
	"vf_config_set_require_azp", "vf_config_add_role", "vf_config_add_x509_map",
}

// vf_claims on wasm32 (4-byte pointers and size_t): eight vf_str, three
// int64, three bools, the payload vf_str, alg, then the scratch array.
// newInstance checks the size against vf_claims_size().
const (
	claimsOffExp     = 64
	claimsOffNbf     = 72
	claimsOffIat     = 80
	claimsOffHasExp  = 88
	claimsOffHasNbf  = 89
	claimsOffHasIat  = 90
	claimsOffPayload = 92
	claimsOffAlg     = 100
	claimsOffScratch = 104
	claimsSize       = claimsOffScratch + 12352 // VF_SCRATCH_LEN

	// vf_load_report: ten size_t counters (room left for more).
	loadReportSize = 128

	// A token buffer per instance: the longest token plus room for
	// "Bearer " and blanks, grown for a longer one (which the library
	// refuses by its length alone, with the length in the detail) up to
	// Go's default header limit; past that, ErrTokenTooLarge without detail.
	tokenCap    = MaxTokenLen + 1024
	maxTokenCap = 1 << 20

	// aux: "aud" at 0, a vf_str at 8, an output word at 16, text from 64.
	auxText    = 64
	auxTextCap = 1024
	auxSize    = auxText + auxTextCap

	// Instances' memory is bounded: a key set's tables, heap and stack fit
	// many times over in 64 MiB. (An instance starts at 6 MiB of address
	// space, mostly the zeroed table pools, touched only as keys load.)
	memoryLimitPages = 1024
)

// engine is the process's runtime and compiled module.
type engine struct {
	rt       wazero.Runtime
	compiled wazero.CompiledModule
}

var (
	engineOnce sync.Once
	theEngine  *engine
	engineErr  error
)

func getEngine() (*engine, error) {
	engineOnce.Do(func() {
		ctx := context.Background()
		rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().
			WithCoreFeatures(api.CoreFeaturesV2).WithMemoryLimitPages(memoryLimitPages))
		c, err := rt.CompileModule(ctx, wasm.Module)
		if err != nil {
			_ = rt.Close(ctx)
			engineErr = &ConfigError{Op: "WebAssembly", Detail: "cannot compile the embedded module: " + err.Error(), Err: ErrPanic}
			return
		}
		theEngine = &engine{rt: rt, compiled: c}
	})
	return theEngine, engineErr
}

// instance is one instantiation of the module, used by one goroutine at a time.
type instance struct {
	mod    api.Module
	mem    api.Memory
	fns    [nFns]api.Function
	stack  [8]uint64
	claims uint32 // a vf_claims
	tok    uint32 // tokLen bytes
	tokLen int
	aux    uint32 // auxSize bytes
	vptr   uint32 // the vf_verifier built here, 0 if none
	gen    uint64 // which key set vptr holds (wasmVerifier.gen)
	broken bool   // trapped: never used again
}

var errModuleMismatch = errors.New("verifier: the embedded WebAssembly module does not match this package")

func newInstance() (*instance, error) {
	e, err := getEngine()
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	mod, err := e.rt.InstantiateModule(ctx, e.compiled, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		return nil, &ConfigError{Op: "WebAssembly", Detail: "cannot instantiate the module: " + err.Error(), Err: ErrAllocationFailed}
	}
	in := &instance{mod: mod, mem: mod.Memory()}
	for i, name := range fnNames {
		if in.fns[i] = mod.ExportedFunction(name); in.fns[i] == nil {
			in.close()
			return nil, errModuleMismatch
		}
	}
	if in.mem == nil {
		in.close()
		return nil, errModuleMismatch
	}
	if n, err := in.call(fnClaimsSize); err != nil || n != claimsSize {
		in.close()
		return nil, errModuleMismatch
	}
	if in.claims, err = in.alloc(claimsSize); err == nil {
		in.tokLen = tokenCap
		if in.tok, err = in.alloc(tokenCap); err == nil {
			in.aux, err = in.alloc(auxSize)
		}
	}
	if err != nil || !in.mem.WriteString(in.aux, "aud") {
		in.close()
		return nil, ErrAllocationFailed
	}
	return in, nil
}

func (in *instance) close() { _ = in.mod.Close(context.Background()) }

// call runs export f; a trap marks the instance broken.
func (in *instance) call(f int, args ...uint64) (uint64, error) {
	if in.broken {
		return 0, ErrPanic
	}
	s := in.stack[:]
	copy(s, args)
	if err := in.fns[f].CallWithStack(context.Background(), s); err != nil {
		in.broken = true
		return 0, ErrPanic
	}
	return s[0], nil
}

// status runs an export that returns a vf_status; a trap is VF_PANIC.
func (in *instance) status(f int, args ...uint64) uint32 {
	r, err := in.call(f, args...)
	if err != nil {
		return statusPanic
	}
	return uint32(r)
}

func (in *instance) alloc(n int) (uint32, error) {
	p, err := in.call(fnAlloc, uint64(n))
	if err != nil {
		return 0, err
	}
	if p == 0 {
		return 0, ErrAllocationFailed
	}
	return uint32(p), nil
}

func (in *instance) u32(off uint32) uint32 {
	v, _ := in.mem.ReadUint32Le(off)
	return v
}

// cString reads a NUL-terminated string the module returned.
func (in *instance) cString(p uint32) string {
	var out []byte
	for i := p; ; i++ {
		b, ok := in.mem.ReadByte(i)
		if !ok || b == 0 || len(out) > 4096 {
			return string(out)
		}
		out = append(out, b)
	}
}

// args holds the module memory one call's arguments were copied into.
type args struct {
	in     *instance
	allocs [][2]uint32
	err    error
}

// bytes copies b in; never 0, since the library reads NULL as "missing"
// even when the length is 0.
func (a *args) bytes(b []byte) uint32 {
	return a.put(b, false)
}

// cstr copies s in, NUL-terminated.
func (a *args) cstr(s string) uint32 {
	return a.put([]byte(s), true)
}

// optional is cstr, or NULL for "".
func (a *args) optional(s string) uint32 {
	if s == "" {
		return 0
	}
	return a.cstr(s)
}

func (a *args) put(b []byte, nul bool) uint32 {
	if a.err != nil {
		return 0
	}
	n := len(b)
	if nul {
		n++
	}
	p, err := a.in.alloc(n)
	if err != nil {
		a.err = err
		return 0
	}
	a.allocs = append(a.allocs, [2]uint32{p, uint32(n)})
	if !a.in.mem.Write(p, b) || (nul && !a.in.mem.WriteByte(p+uint32(len(b)), 0)) {
		a.err = ErrPanic
	}
	return p
}

func (a *args) zeroed(n int) uint32 {
	return a.put(make([]byte, n), false)
}

func (a *args) free() {
	for _, p := range a.allocs {
		_, _ = a.in.call(fnFree, uint64(p[0]), uint64(p[1]))
	}
}

// configOp is one configuration call, replayable into any instance: the
// status, and for a JWKS document its load report when rep is not nil.
type configOp func(in *instance, cfg uint32, rep *LoadReport) uint32

// run executes op with its arguments' memory freed afterwards.
func run(in *instance, f func(a *args) uint32) uint32 {
	a := args{in: in}
	defer a.free()
	st := f(&a)
	if a.err != nil {
		if a.err == ErrAllocationFailed {
			return statusAllocFailed
		}
		return statusPanic
	}
	return st
}

// replay builds a fresh vf_config in in from ops (statuses as first seen).
func (in *instance) replay(ops []configOp) (uint32, error) {
	cfg, err := in.call(fnConfigNew)
	if err != nil {
		return 0, err
	}
	if cfg == 0 {
		return 0, ErrAllocationFailed
	}
	for _, op := range ops {
		op(in, uint32(cfg), nil)
	}
	if in.broken {
		return 0, ErrPanic
	}
	return uint32(cfg), nil
}

// rebuild makes in's verifier the one of generation gen.
func (in *instance) rebuild(gen uint64, newOps, keyOps []configOp) error {
	if in.vptr != 0 {
		_, _ = in.call(fnVerifierFree, uint64(in.vptr))
		in.vptr = 0
	}
	cfg, err := in.replay(newOps)
	if err != nil {
		return err
	}
	st := in.status(fnVerifierNew, uint64(cfg), uint64(in.aux+16))
	_, _ = in.call(fnConfigFree, uint64(cfg))
	if st != statusOK {
		return statusError(st)
	}
	in.vptr = in.u32(in.aux + 16)
	if keyOps != nil {
		cfg, err := in.replay(keyOps)
		if err != nil {
			return err
		}
		st := in.status(fnReplaceKeys, uint64(in.vptr), uint64(cfg))
		_, _ = in.call(fnConfigFree, uint64(cfg))
		if st != statusOK {
			return statusError(st)
		}
	}
	in.gen = gen
	return nil
}

// Spare instances build configurations that no verifier owns yet.
var spares struct {
	sync.Mutex
	list []*instance
}

func spareInstance() (*instance, error) {
	spares.Lock()
	if n := len(spares.list); n > 0 {
		in := spares.list[n-1]
		spares.list = spares.list[:n-1]
		spares.Unlock()
		return in, nil
	}
	spares.Unlock()
	return newInstance()
}

func returnSpare(in *instance) {
	spares.Lock()
	defer spares.Unlock()
	if in.broken || in.vptr != 0 || len(spares.list) >= 2 {
		in.close()
		return
	}
	spares.list = append(spares.list, in)
}

// The library's own tables, which a test compares with status_text.go's.
func libText(f int, code uint32) string {
	in, err := spareInstance()
	if err != nil {
		return ""
	}
	defer returnSpare(in)
	p, err := in.call(f, uint64(code))
	if err != nil {
		return ""
	}
	return in.cString(uint32(p))
}

func libStatusName(st uint32) string    { return libText(fnStatusName, st) }
func libStatusMessage(st uint32) string { return libText(fnStatusMessage, st) }
func libAlgName(alg uint32) string      { return libText(fnAlgName, alg) }

// cConfig is a vf_config under construction in a spare instance, with the
// calls recorded for the verifier's other instances.
type cConfig struct {
	in      *instance
	p       uint32
	ops     []configOp
	lastErr *string // set by replaceKeys, whose error lies in another instance
}

func newCConfig() (*cConfig, error) {
	in, err := spareInstance()
	if err != nil {
		return nil, err
	}
	p, err := in.call(fnConfigNew)
	if err != nil || p == 0 {
		in.close()
		return nil, ErrAllocationFailed
	}
	return &cConfig{in: in, p: uint32(p)}, nil
}

func (c *cConfig) free() {
	if c.in == nil {
		return
	}
	if c.p != 0 {
		_, _ = c.in.call(fnConfigFree, uint64(c.p))
	}
	returnSpare(c.in)
	c.in, c.p = nil, 0
}

func (c *cConfig) do(op configOp, rep *LoadReport) uint32 {
	c.ops = append(c.ops, op)
	return op(c.in, c.p, rep)
}

// lastError is the library's description of the last failing call.
func (c *cConfig) lastError() string {
	if c.lastErr != nil {
		return *c.lastErr
	}
	if c.in == nil {
		return ""
	}
	return c.in.lastError(c.p)
}

func (in *instance) lastError(cfg uint32) string {
	n, err := in.call(fnConfigLastError, uint64(cfg), uint64(in.aux+auxText), auxTextCap)
	if err != nil {
		return ""
	}
	b, _ := in.mem.Read(in.aux+auxText, uint32(min(int(n), auxTextCap-1)))
	return string(b)
}

func (c *cConfig) addKey(k *keySpec) (LoadReport, uint32) {
	kind, data, kid, alg, flags := k.kind, k.data, k.kid, k.alg, uint64(k.flags)
	issuer, hasIssuer := k.issuer, k.hasIssuer
	var rep LoadReport
	st := c.do(func(in *instance, cfg uint32, rep *LoadReport) uint32 {
		return run(in, func(a *args) uint32 {
			d, n := uint64(a.bytes(data)), uint64(len(data))
			iss := uint64(0)
			if hasIssuer {
				// An empty issuer reaches the library, which refuses it.
				iss = uint64(a.cstr(issuer))
			}
			cfg := uint64(cfg)
			switch kind {
			case keyJWKS, keyX509Map:
				r := a.zeroed(loadReportSize)
				if a.err != nil {
					return 0
				}
				fn := fnAddJWKSEx
				if kind == keyX509Map {
					fn = fnAddX509Map
				}
				st := in.status(fn, cfg, d, n, iss, flags, uint64(r))
				if st == statusOK && rep != nil {
					*rep = in.loadReport(r)
				}
				return st
			case keyJWK:
				if a.err != nil {
					return 0
				}
				return in.status(fnAddJWK, cfg, d, n)
			case keyPEM:
				kidP := uint64(a.optional(kid))
				if a.err != nil {
					return 0
				}
				return in.status(fnAddPEMEx, cfg, d, n, kidP, iss, flags)
			default:
				algP, kidP := uint64(a.optional(alg)), uint64(a.optional(kid))
				if a.err != nil {
					return 0
				}
				return in.status(fnAddHMAC, cfg, d, n, algP, kidP)
			}
		})
	}, &rep)
	return rep, st
}

func (in *instance) loadReport(r uint32) LoadReport {
	f := func(i uint32) int { return int(in.u32(r + 4*i)) }
	return LoadReport{
		Added: f(0), Skipped: f(1), SkippedUnsupported: f(2), SkippedSymmetric: f(3),
		SkippedRSASize: f(4), SkippedKIDTooLong: f(5), SkippedMalformed: f(6),
		SkippedInvalidPublicKey: f(7), SkippedOther: f(8), SkippedRSAExponent: f(9),
	}
}

var stringSettingFns = [...]int{
	setIssuer: fnAddIssuer, setAudience: fnAddAudience, setAuthorizedParty: fnAddAuthorizedParty,
	setClientID: fnAddClientID, setTyp: fnAddTyp, setScope: fnAddScope, setAlg: fnAllowAlg,
	setSubject: fnAddSubject,
	setRole:    fnAddRole,
}

func (c *cConfig) addString(which strSetting, s string) uint32 {
	f := stringSettingFns[which]
	return c.do(func(in *instance, cfg uint32, _ *LoadReport) uint32 {
		return run(in, func(a *args) uint32 {
			// An empty string must reach the library (an invalid policy, not "absent").
			p := uint64(a.cstr(s))
			if a.err != nil {
				return 0
			}
			return in.status(f, uint64(cfg), p)
		})
	}, nil)
}

// scalar records a configuration call with one integer argument.
func (c *cConfig) scalar(f int, v uint64) uint32 {
	return c.do(func(in *instance, cfg uint32, _ *LoadReport) uint32 {
		return in.status(f, uint64(cfg), v)
	}, nil)
}

func (c *cConfig) presetCall(p preset) uint32 {
	f := map[preset]int{presetClerk: fnPresetClerk, presetLogto: fnPresetLogto,
		presetIDToken: fnPresetIDToken, presetAccessToken: fnPresetAccessToken,
		presetAuth0: fnPresetAuth0, presetFirebase: fnPresetFirebase,
		presetSupabase: fnPresetSupabase, presetCognitoID: fnPresetCognitoID,
		presetCognitoAccess: fnPresetCognitoAccess, presetEntra: fnPresetEntra,
		presetGoogle: fnPresetGoogle, presetOkta: fnPresetOkta, presetKeycloak: fnPresetKeycloak,
		presetKeycloakID: fnPresetKeycloakID}
	fn, ok := f[p]
	if !ok {
		return statusOK
	}
	return c.do(func(in *instance, cfg uint32, _ *LoadReport) uint32 {
		return in.status(fn, uint64(cfg))
	}, nil)
}

func b2u(on bool) uint64 {
	if on {
		return 1
	}
	return 0
}

func (c *cConfig) allowMissingTyp(on bool) uint32 { return c.scalar(fnAllowMissingTyp, b2u(on)) }
func (c *cConfig) setLeeway(s uint32) uint32      { return c.scalar(fnSetLeeway, uint64(s)) }
func (c *cConfig) setMaxAge(s uint32) uint32      { return c.scalar(fnSetMaxAge, uint64(s)) }
func (c *cConfig) setRequireExp(on bool) uint32   { return c.scalar(fnSetRequireExp, b2u(on)) }
func (c *cConfig) setRequireSub(on bool) uint32   { return c.scalar(fnSetRequireSub, b2u(on)) }
func (c *cConfig) setRequireAllAudiences(on bool) uint32 {
	return c.scalar(fnSetRequireAllAudiences, b2u(on))
}
func (c *cConfig) setRequireAZP(on bool) uint32 { return c.scalar(fnSetRequireAZP, b2u(on)) }
func (c *cConfig) setMaxTokenLen(n int) uint32 {
	if n < 0 || n > 1<<31 {
		n = 1 << 31 // refused by the library as out of range, as any n over its maximum
	}
	return c.scalar(fnSetMaxTokenLen, uint64(n))
}

// wasmVerifier is one verifier, held by up to GOMAXPROCS instances.
type wasmVerifier struct {
	slots  chan struct{} // one per instance in use
	mu     sync.Mutex
	idle   []*instance
	newOps []configOp // how the verifier was made
	keyOps []configOp // its keys since the last replaceKeys, nil if none
	gen    uint64
	closed bool
}

// cVerifier is the backend's verifier handle.
type cVerifier struct{ w *wasmVerifier }

func newCVerifier(c *cConfig) (cVerifier, uint32) {
	in := c.in
	st := in.status(fnVerifierNew, uint64(c.p), uint64(in.aux+16))
	if st != statusOK {
		return cVerifier{}, st
	}
	// The instance now belongs to the verifier; its configuration is done with.
	_, _ = in.call(fnConfigFree, uint64(c.p))
	in.vptr, in.gen = in.u32(in.aux+16), 1
	c.in, c.p = nil, 0
	w := &wasmVerifier{
		slots:  make(chan struct{}, max(1, runtime.GOMAXPROCS(0))),
		idle:   []*instance{in},
		newOps: c.ops,
		gen:    1,
	}
	return cVerifier{w: w}, statusOK
}

func (v cVerifier) live() bool { return v.w != nil }

// free closes the idle instances; busy ones are closed as they come back
// (Verifier.Close waits for verifications, so there are none).
func (v cVerifier) free() {
	w := v.w
	w.mu.Lock()
	w.closed = true
	idle := w.idle
	w.idle = nil
	w.mu.Unlock()
	for _, in := range idle {
		in.close()
	}
}

// acquire takes an instance holding the current key set.
func (w *wasmVerifier) acquire() (*instance, error) {
	w.slots <- struct{}{}
	w.mu.Lock()
	var in *instance
	if n := len(w.idle); n > 0 {
		in = w.idle[n-1]
		w.idle = w.idle[:n-1]
	}
	gen, newOps, keyOps := w.gen, w.newOps, w.keyOps
	w.mu.Unlock()
	if in == nil || in.gen != gen {
		var err error
		if in == nil {
			in, err = newInstance()
		}
		if err == nil {
			err = in.rebuild(gen, newOps, keyOps)
		}
		if err != nil {
			if in != nil {
				in.close()
			}
			<-w.slots
			return nil, err
		}
	}
	return in, nil
}

func (w *wasmVerifier) release(in *instance) {
	w.mu.Lock()
	if in.broken || w.closed {
		in.close()
	} else {
		w.idle = append(w.idle, in)
	}
	w.mu.Unlock()
	<-w.slots
}

func (v cVerifier) replaceKeys(c *cConfig) uint32 {
	w := v.w
	in, err := w.acquire()
	if err != nil {
		return statusAllocFailed
	}
	defer w.release(in)
	cfg, err := in.replay(c.ops)
	if err != nil {
		return statusPanic
	}
	st := in.status(fnReplaceKeys, uint64(in.vptr), uint64(cfg))
	if st != statusOK {
		msg := in.lastError(cfg)
		c.lastErr = &msg
	}
	_, _ = in.call(fnConfigFree, uint64(cfg))
	if st == statusOK {
		w.mu.Lock()
		w.keyOps = c.ops
		w.gen++
		in.gen = w.gen
		w.mu.Unlock()
	}
	return st
}

// verify is claims; never long: only the cgo backend yields (cgoyield.go),
// as wazero's compiled code is preempted like any Go code.
func (v cVerifier) verify(token string, authorization bool, now int64) (*Claims, bool, error) {
	c, err := v.claims(token, authorization, now)
	return c, false, err
}

// claims copies the token into an instance, verifies it there, and copies
// the claims out (or explains the refusal) before the instance goes back.
func (v cVerifier) claims(token string, authorization bool, now int64) (*Claims, error) {
	if len(token) > maxTokenCap {
		return nil, ErrTokenTooLarge // over every policy's maximum, in either form
	}
	if now == 0 {
		now = time.Now().Unix() // the module has no clock
	}
	in, err := v.w.acquire()
	if err != nil {
		return nil, err
	}
	defer v.w.release(in)
	if len(token) > in.tokLen {
		if err := in.growToken(len(token)); err != nil {
			return nil, err
		}
	}
	if !in.mem.WriteString(in.tok, token) {
		return nil, ErrPanic
	}
	f := fnVerify
	if authorization {
		f = fnVerifyAuthorization
	}
	st := in.status(f, uint64(in.vptr), uint64(in.tok), uint64(len(token)), uint64(now), uint64(in.claims))
	if st == statusPanic {
		return nil, ErrPanic
	}
	if st != statusOK {
		return nil, refusal(st, in.explain(f == fnVerifyAuthorization, len(token), now, st))
	}
	r, err := in.rawClaims()
	if err != nil {
		return nil, err
	}
	return buildClaims(&r)
}

func (in *instance) growToken(n int) error {
	p, err := in.alloc(n)
	if err != nil {
		return err
	}
	_, _ = in.call(fnFree, uint64(in.tok), uint64(in.tokLen))
	in.tok, in.tokLen = p, n
	return nil
}

// explain is core's sentence for the refusal of the token in in.tok.
func (in *instance) explain(authorization bool, n int, now int64, st uint32) string {
	f := fnExplain
	if authorization {
		f = fnExplainAuthorization
	}
	s := in.status(f, uint64(in.vptr), uint64(in.tok), uint64(n), uint64(now), uint64(st),
		uint64(in.aux+auxText), auxTextCap, uint64(in.aux+16))
	if s != statusOK && s != statusOutputTooSmall {
		return ""
	}
	b, _ := in.mem.Read(in.aux+auxText, auxTextCap)
	return explanation(b)
}

// rawClaims reads vf_claims out of the instance's memory. The views point
// into its scratch; rawClaims.scratch is a view of module memory, valid
// until the instance runs again (buildClaims copies out of it first).
func (in *instance) rawClaims() (rawClaims, error) {
	b, ok := in.mem.Read(in.claims, claimsSize)
	if !ok {
		return rawClaims{}, ErrPanic
	}
	le := binary.LittleEndian
	base := int64(in.claims) + claimsOffScratch
	view := func(at int) claimView {
		p, n := le.Uint32(b[at:]), le.Uint32(b[at+4:])
		if p == 0 {
			return claimView{}
		}
		return claimView{off: int(int64(p) - base), n: int(n), present: true}
	}
	r := rawClaims{
		scratch: b[claimsOffScratch:],
		alg:     le.Uint32(b[claimsOffAlg:]),
		exp:     int64(le.Uint64(b[claimsOffExp:])),
		nbf:     int64(le.Uint64(b[claimsOffNbf:])),
		iat:     int64(le.Uint64(b[claimsOffIat:])),
		hasExp:  b[claimsOffHasExp] != 0,
		hasNbf:  b[claimsOffHasNbf] != 0,
		hasIat:  b[claimsOffHasIat] != 0,
	}
	for i := range viewPayload {
		r.views[i] = view(8 * i)
	}
	r.views[viewPayload] = view(claimsOffPayload)
	// aud is not in vf_claims: its raw JSON by name ("aud" waits in aux).
	st := in.status(fnClaimsGet, uint64(in.claims), uint64(in.aux), 3, uint64(in.aux+8))
	if st != statusOK {
		return r, statusError(st)
	}
	if p := in.u32(in.aux + 8); p != 0 {
		r.aud = claimView{off: int(int64(p) - base), n: int(in.u32(in.aux + 12)), present: true}
	}
	return r, nil
}
