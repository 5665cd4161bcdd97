package verifier

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"time"
)

// A Verifier checks JSON Web Tokens against pinned keys and a claims policy.
// Build one at start-up with New and share it: it is safe for concurrent
// use, and key replacement (SetJWKS, a JWKS URL refresh) never disturbs
// verifications in flight.
type Verifier struct {
	h       *handle
	remote  remoteSource
	clock   func() int64
	cleanup runtime.Cleanup
	// With WithIssuerJWKSURL: one verifier per issuer, each requiring its
	// own "iss" (h and remote are then nil).
	tenants map[string]*Verifier
	issuers []string  // the tenants' issuers, in the order given
	first   *Verifier // answers tokens whose "iss" cannot be read
}

// handle owns the C verifier. Verifications hold the read lock only for the
// C call; Close takes the write lock, so nothing is freed under a running call.
// A handle without a C verifier and not closed waits for its first keys
// (JWKSOptions.Lazy).
type handle struct {
	mu     sync.RWMutex
	ptr    cVerifier
	closed bool
	// replaceMu serialises key replacements (refreshes and SetJWKS).
	replaceMu sync.Mutex
	// report is the load report of the installed key set (under replaceMu).
	report LoadReport
}

func (h *handle) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ptr.live() {
		h.ptr.free()
		h.ptr = cVerifier{}
	}
	h.closed = true
}

func (h *handle) ready() bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.ptr.live()
}

// install makes static + doc the key set: swapped into the C verifier, or,
// when there is none yet (a lazy JWKS), a C verifier built with cfg's policy.
// It returns doc's load report.
func (h *handle) install(cfg *config, static []keySpec, doc *keySpec) (LoadReport, error) {
	h.replaceMu.Lock()
	defer h.replaceMu.Unlock()
	h.mu.RLock()
	closed, ready := h.closed, h.ptr.live()
	h.mu.RUnlock()
	if closed {
		return LoadReport{}, ErrClosed
	}
	if ready {
		return replaceKeysLocked(h, static, doc)
	}
	cv, total, docReport, err := build(cfg, static, doc)
	if err != nil {
		return LoadReport{}, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		cv.free()
		return LoadReport{}, ErrClosed
	}
	h.ptr, h.report = cv, total
	return docReport, nil
}

// New builds a Verifier. It needs at least one key source (WithJWKS, WithJWK,
// WithPEM, WithHMAC, WithJWKSURL or WithIssuerJWKSURL); everything is
// validated here, so a Verifier that exists is complete (with a lazy JWKS
// URL, everything but the keys). Errors name the offending option and unwrap
// to a status sentinel (ErrKeyMalformed, ErrInvalidPolicy, ...).
func New(opts ...Option) (*Verifier, error) {
	var cfg config
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if len(cfg.tenants) > 0 {
		return newTenants(&cfg)
	}
	return newSingle(&cfg)
}

func newSingle(cfg *config) (*Verifier, error) {
	var remote remoteSource
	var fetched []byte
	lazy := false
	if cfg.remote != nil {
		remote = cfg.remote.open(*cfg.remote)
		lazy = cfg.remote.opts.Lazy
		if !lazy {
			var err error
			if fetched, err = remote.initial(); err != nil {
				return nil, &ConfigError{Op: cfg.remote.op, Err: err}
			}
		}
	}

	h := &handle{}
	if lazy && len(cfg.keys) == 0 {
		// Nothing to build a C verifier with until the first fetch; the
		// policy is still checked now, value by value.
		if err := checkPolicy(cfg); err != nil {
			remote.abort()
			return nil, err
		}
	} else {
		var doc *keySpec
		if fetched != nil {
			doc = remote.docSpec(fetched)
		}
		cv, total, docReport, err := build(cfg, cfg.keys, doc)
		if err != nil {
			if remote != nil {
				remote.abort()
			}
			return nil, err
		}
		h.ptr, h.report = cv, total
		if doc != nil && remote.onLoad() != nil {
			remote.onLoad()(docReport)
		}
	}

	v := &Verifier{h: h, remote: remote}
	if cfg.clock != nil {
		clock := cfg.clock
		v.clock = func() int64 { return clock().Unix() }
	}
	if remote != nil {
		remote.start(v.h, cfg, fetched)
	}
	// A forgotten Close still frees the C memory and stops the refresher:
	// neither the handle nor the refresher refers back to v.
	v.cleanup = runtime.AddCleanup(v, func(c closer) { c.close() }, closer{v.h, remote})
	return v, nil
}

// newTenants builds one verifier per issuer-bound JWKS URL, each with the
// shared policy plus exactly its issuer.
func newTenants(cfg *config) (*Verifier, error) {
	cfg.prefetch(cfg.tenants) // New's fetches, all at once
	v := &Verifier{tenants: make(map[string]*Verifier, len(cfg.tenants))}
	for _, t := range cfg.tenants {
		tc := *cfg
		tc.tenants = nil
		tc.lists[setIssuer] = []string{t.issuer}
		remote := t.remote
		// The fetched keys are bound to the issuer in C as well: checked
		// after the signature, whatever routed the token here.
		remote.issuer = t.issuer
		tc.remote = &remote
		tv, err := newSingle(&tc)
		if err != nil {
			v.Close()
			var ce *ConfigError
			if errors.As(err, &ce) && ce.Op == t.remote.op {
				detail := ce.Detail
				if _, plain := ce.Err.(*Error); detail == "" && ce.Err != nil && !plain {
					detail = ce.Err.Error() // a fetch's error: its own text
				}
				ce.Detail = strings.TrimSuffix("issuer "+t.issuer+": "+detail, ": ")
			}
			return nil, err
		}
		v.tenants[t.issuer] = tv
		v.issuers = append(v.issuers, t.issuer)
		if v.first == nil {
			v.first = tv
		}
	}
	return v, nil
}

// checkPolicy runs the policy through a C config, which checks each value.
func checkPolicy(cfg *config) error {
	cc, err := newCConfig()
	if err != nil {
		return err
	}
	defer cc.free()
	return cfg.applyPolicy(cc)
}

// build makes the C verifier: keys, then policy, then validation. It
// returns the load reports of all keys and of doc alone.
func build(cfg *config, static []keySpec, doc *keySpec) (cVerifier, LoadReport, LoadReport, error) {
	cc, err := newCConfig()
	if err != nil {
		return cVerifier{}, LoadReport{}, LoadReport{}, err
	}
	defer cc.free()
	total, docReport, err := applyKeys(cc, static, doc)
	if err != nil {
		return cVerifier{}, LoadReport{}, LoadReport{}, err
	}
	if err := cfg.applyPolicy(cc); err != nil {
		return cVerifier{}, LoadReport{}, LoadReport{}, err
	}
	cv, st := newCVerifier(cc)
	return cv, total, docReport, cc.check("New", st)
}

type closer struct {
	h      *handle
	remote remoteSource
}

func (c closer) close() {
	if c.remote != nil {
		c.remote.stop()
	}
	c.h.close()
}

// Close stops the JWKS refresher(s), if any, and frees the C verifier(s). It
// waits for verifications in flight; later calls return ErrClosed. Close is
// idempotent.
func (v *Verifier) Close() error {
	for _, t := range v.tenants {
		t.Close()
	}
	if v.h != nil {
		v.cleanup.Stop()
		closer{v.h, v.remote}.close()
	}
	return nil
}

// now is the time a verification checks against: the library's clock is
// never read (the WebAssembly module has none), so the refusal's
// explanation sees the same now as the verdict.
func (v *Verifier) now() int64 {
	if v.clock == nil {
		return time.Now().Unix()
	}
	if t := v.clock(); t != 0 {
		return t
	}
	return 1 // 0 would mean "system clock" to the library
}

// Verify checks a compact JWS token: signature against the pinned keys, then
// the claims against the policy. On success it returns the claims, copied
// into Go memory. With a JWKS URL, a token whose "kid" is unknown asks for
// a rate-limited refresh (see JWKSOptions.UnknownKIDWait) and is refused
// with an *UnknownKIDError saying what came of it.
func (v *Verifier) Verify(ctx context.Context, token string) (*Claims, error) {
	return v.verifyRetry(ctx, token, false)
}

// VerifyAuthorization is Verify for an Authorization header value
// "Bearer <token>" (scheme case-insensitive, surrounding blanks ignored).
// Anything else is ErrMissingBearer.
func (v *Verifier) VerifyAuthorization(ctx context.Context, header string) (*Claims, error) {
	return v.verifyRetry(ctx, header, true)
}

func (v *Verifier) verifyRetry(ctx context.Context, token string, authorization bool) (*Claims, error) {
	if v.tenants != nil {
		t, err := v.route(token, authorization)
		if err != nil {
			return nil, err
		}
		return t.verifyRetry(ctx, token, authorization)
	}
	c, err := v.verify(token, authorization)
	if err == errNoKeysYet {
		if err := v.remote.waitReady(ctx); err != nil {
			return nil, err
		}
		c, err = v.verify(token, authorization)
	}
	if errors.Is(err, ErrUnknownKID) && v.remote != nil {
		changed, kidErr := v.remote.refreshForUnknownKID(ctx)
		if changed {
			c, err = v.verify(token, authorization)
		}
		if errors.Is(err, ErrUnknownKID) {
			err = withRefusal(kidErr, err) // an *UnknownKIDError: what the JWKS source did
		}
	}
	return c, err
}

// errNoKeysYet: a lazy JWKS verifier before its first keys (never returned).
var errNoKeysYet = errors.New("verifier: no keys yet")

func (v *Verifier) verify(token string, authorization bool) (*Claims, error) {
	now := v.now()
	h := v.h
	h.mu.RLock()
	if !h.ptr.live() {
		closed := h.closed
		h.mu.RUnlock()
		if closed {
			return nil, ErrClosed
		}
		return nil, errNoKeysYet
	}
	c, long, err := h.ptr.verify(token, authorization, now)
	h.mu.RUnlock()
	runtime.KeepAlive(v)
	if long {
		yield() // outside the lock: Close waits for no yield
	}
	return c, err
}

// SetJWKS atomically replaces the whole key set with the keys of a JWKS
// document (manual rotation). Verifications in flight finish with the keys
// they started with; on error the current keys stay. With a JWKS URL, the
// next refresh installs the keys given to New plus the fetched ones again.
// A verifier with issuer-bound JWKS URLs refuses it (ErrInvalidArgument):
// the keys would have no issuer. opts are as for WithJWKS (KeyIssuer,
// KeyRSAPSS, KeyAllowSymmetric).
func (v *Verifier) SetJWKS(jwks []byte, opts ...KeyOption) error {
	if v.tenants != nil {
		return &ConfigError{Op: "SetJWKS", Detail: "keys of a verifier with WithIssuerJWKSURL come from their URLs", Err: ErrInvalidArgument}
	}
	var kc config
	kc.addKeySpec(keySpec{op: "SetJWKS", kind: keyJWKS, data: copyBytes(jwks)}, opts)
	if kc.keyErr != nil {
		return kc.keyErr
	}
	cfg := v.remoteConfig()
	_, err := v.h.install(cfg, nil, &kc.keys[0])
	if err == nil && v.remote != nil {
		v.remote.forget()
	}
	return err
}

// LoadReport says what the JWKS documents of the current key set (WithJWKS,
// the fetched document of a JWKS URL, or SetJWKS's) added and skipped, all
// together; with WithIssuerJWKSURL, summed over the issuers. Keys given
// otherwise (WithJWK, WithPEM, WithHMAC) are not counted.
func (v *Verifier) LoadReport() LoadReport {
	var r LoadReport
	for _, t := range v.tenants {
		r = r.add(t.LoadReport())
	}
	if v.h != nil {
		v.h.replaceMu.Lock()
		r = r.add(v.h.report)
		v.h.replaceMu.Unlock()
	}
	return r
}

// policyForRemote is the policy a lazy JWKS source keeps, if any.
func (v *Verifier) policyForRemote() *config {
	if v.remote == nil {
		return nil
	}
	return v.remote.policy()
}

// remoteConfig is the policy a lazy verifier builds its C verifier with.
func (v *Verifier) remoteConfig() *config {
	if c := v.policyForRemote(); c != nil {
		return c
	}
	return &config{} // ready already: only the keys are replaced
}

// replaceKeysLocked swaps the key set of h for static + doc; the caller
// holds h.replaceMu. It returns doc's load report.
func replaceKeysLocked(h *handle, static []keySpec, doc *keySpec) (LoadReport, error) {
	cc, err := newCConfig()
	if err != nil {
		return LoadReport{}, err
	}
	defer cc.free()
	total, docReport, err := applyKeys(cc, static, doc)
	if err != nil {
		return LoadReport{}, err
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	if !h.ptr.live() {
		return LoadReport{}, ErrClosed
	}
	// The C library swaps under its own short lock; readers here are fine.
	if err := cc.check("SetJWKS", h.ptr.replaceKeys(cc)); err != nil {
		return LoadReport{}, err
	}
	h.report = total
	return docReport, nil
}

// IsRejection reports whether err is a token rejection (as opposed to a
// closed verifier or an internal error): what an HTTP server answers 401 to.
func IsRejection(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return (e.Code > 0 && e.Code < 900) || e.Code == ErrMissingBearer.Code || e.Code == ErrInvalidArgument.Code
}
