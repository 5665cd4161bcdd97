package verifier

import (
	"context"
	"errors"
	"runtime"
	"sync"
)

// A Verifier checks JSON Web Tokens against pinned keys and a claims policy.
// Build one at start-up with New and share it: it is safe for concurrent
// use, and key replacement (SetJWKS, a JWKS URL refresh) never disturbs
// verifications in flight.
type Verifier struct {
	h       *handle
	remote  *remoteJWKS
	clock   func() int64
	cleanup runtime.Cleanup
}

// handle owns the C verifier. Verifications hold the read lock only for the
// C call; Close takes the write lock, so nothing is freed under a running call.
type handle struct {
	mu  sync.RWMutex
	ptr cVerifier
	// replaceMu serialises key replacements (refreshes and SetJWKS).
	replaceMu sync.Mutex
}

func (h *handle) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ptr.p != nil {
		h.ptr.free()
		h.ptr.p = nil
	}
}

// New builds a Verifier. It needs at least one key source (WithJWKS, WithJWK,
// WithPEM, WithHMAC or WithJWKSURL); everything is validated here, so a
// Verifier that exists is complete. Errors name the offending option and
// unwrap to a status sentinel (ErrKeyMalformed, ErrInvalidPolicy, ...).
func New(opts ...Option) (*Verifier, error) {
	var cfg config
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	var remote *remoteJWKS
	var fetched []byte
	if cfg.remote != nil {
		remote = newRemoteJWKS(*cfg.remote)
		var err error
		if fetched, err = remote.initial(); err != nil {
			return nil, &ConfigError{Op: "WithJWKSURL", Err: err}
		}
	}

	cv, err := build(&cfg, fetched)
	if err != nil {
		if remote != nil {
			remote.cancel()
		}
		return nil, err
	}

	v := &Verifier{h: &handle{ptr: cv}, remote: remote}
	if cfg.clock != nil {
		clock := cfg.clock
		v.clock = func() int64 { return clock().Unix() }
	}
	if remote != nil {
		remote.start(v.h, cfg.keys, fetched)
	}
	// A forgotten Close still frees the C memory and stops the refresher:
	// neither the handle nor the refresher refers back to v.
	v.cleanup = runtime.AddCleanup(v, func(c closer) { c.close() }, closer{v.h, remote})
	return v, nil
}

// build makes the C verifier: keys, then policy, then validation.
func build(cfg *config, fetched []byte) (cVerifier, error) {
	cc, err := newCConfig()
	if err != nil {
		return cVerifier{}, err
	}
	defer cc.free()
	if err := applyKeys(cc, cfg.keys, fetched); err != nil {
		return cVerifier{}, err
	}
	if err := cfg.applyPolicy(cc); err != nil {
		return cVerifier{}, err
	}
	cv, st := newCVerifier(cc)
	return cv, cc.check("New", st)
}

type closer struct {
	h      *handle
	remote *remoteJWKS
}

func (c closer) close() {
	if c.remote != nil {
		c.remote.stop()
	}
	c.h.close()
}

// Close stops the JWKS refresher, if any, and frees the C verifier. It waits
// for verifications in flight; later calls return ErrClosed. Close is
// idempotent.
func (v *Verifier) Close() error {
	v.cleanup.Stop()
	closer{v.h, v.remote}.close()
	return nil
}

func (v *Verifier) now() int64 {
	if v.clock == nil {
		return 0 // the C library reads the system clock
	}
	if t := v.clock(); t != 0 {
		return t
	}
	return 1 // 0 would mean "system clock" to C
}

var claimsPool = sync.Pool{New: func() any { return new(claimsBuf) }}

// Verify checks a compact JWS token: signature against the pinned keys, then
// the claims against the policy. On success it returns the claims, copied
// into Go memory. With a JWKS URL, a token whose "kid" is unknown triggers
// one rate-limited refresh (bounded by ctx) before it is refused.
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
	c, err := v.verify(token, authorization)
	if err == ErrUnknownKID && v.remote != nil && v.remote.refreshForUnknownKID(ctx) {
		c, err = v.verify(token, authorization)
	}
	return c, err
}

func (v *Verifier) verify(token string, authorization bool) (*Claims, error) {
	buf := claimsPool.Get().(*claimsBuf)
	defer claimsPool.Put(buf)
	now := v.now()
	h := v.h
	h.mu.RLock()
	if h.ptr.p == nil {
		h.mu.RUnlock()
		return nil, ErrClosed
	}
	st := h.ptr.verify(token, authorization, now, buf)
	h.mu.RUnlock()
	runtime.KeepAlive(v)
	if st != statusOK {
		return nil, statusError(st)
	}
	return copyClaims(buf)
}

// SetJWKS atomically replaces the whole key set with the keys of a JWKS
// document (manual rotation). Verifications in flight finish with the keys
// they started with; on error the current keys stay. With a JWKS URL, the
// next refresh installs the keys given to New plus the fetched ones again.
func (v *Verifier) SetJWKS(jwks []byte) error {
	err := replaceKeys(v.h, nil, copyBytes(jwks))
	if err == nil && v.remote != nil {
		v.remote.forget()
	}
	return err
}

// replaceKeys swaps the key set of h for static + fetched.
func replaceKeys(h *handle, static []keySpec, fetched []byte) error {
	cc, err := newCConfig()
	if err != nil {
		return err
	}
	defer cc.free()
	if err := applyKeys(cc, static, fetched); err != nil {
		return err
	}
	h.replaceMu.Lock()
	defer h.replaceMu.Unlock()
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.ptr.p == nil {
		return ErrClosed
	}
	// The C library swaps under its own short lock; readers here are fine.
	return cc.check("SetJWKS", h.ptr.replaceKeys(cc))
}

// IsRejection reports whether err is a token rejection (as opposed to a
// closed verifier or an internal error): what an HTTP server answers 401 to.
func IsRejection(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code < 900 || e == ErrMissingBearer || e == ErrInvalidArgument
}
