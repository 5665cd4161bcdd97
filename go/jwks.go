package verifier

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// JWKSOptions tune a JWKS URL source (WithJWKSURL, WithIssuerJWKSURL). The
// zero value is a sensible default for Clerk, Logto and other OIDC providers.
type JWKSOptions struct {
	// Client fetches the document (default: a client with Timeout, sharing
	// one connection pool with the other JWKS URLs, response headers capped
	// at 64 KiB). The source uses a copy whose CheckRedirect refuses, before
	// asking the client's own, any redirect to another host or port, from
	// https to http, or past 3 redirects.
	Client *http.Client
	// Timeout bounds each fetch (default 10 s).
	Timeout time.Duration
	// MinRefresh is the shortest time between two fetches: the floor for a
	// Cache-Control max-age, the rate limit of refreshes for unknown kids,
	// and the retry delay after a failed refresh (default 1 min).
	MinRefresh time.Duration
	// MaxRefresh is the refresh interval when the response has no max-age,
	// and the ceiling for a max-age (default 1 h).
	MaxRefresh time.Duration
	// MaxBytes caps the document size (default 1 MiB).
	MaxBytes int64
	// Lazy makes New return at once instead of fetching the document: the
	// first fetch starts in the background, and verifications wait for it
	// (as long as their context allows). A JWKS outage at boot then neither
	// blocks nor fails start-up; until keys arrive, verifications fail with
	// ErrKeysUnavailable (HTTP 503 from Middleware), and failed fetches are
	// retried after 1 s, 2 s, 4 s ... up to MinRefresh. Without Lazy, New
	// fetches the document (bounded by Timeout) and fails if that fails.
	Lazy bool
	// OnRefresh, if set, is called after every fetch except New's own with
	// its error (nil on success, including a 304 Not Modified). A failed
	// refresh keeps the last good keys.
	OnRefresh func(err error)
	// OnLoad, if set, is called each time a fetched document's keys are
	// installed (New's fetch included) with what it added and skipped: a
	// provider publishing keys this library cannot use shows up here
	// (e.g. log it when Skipped > 0). Verifier.LoadReport has the total.
	OnLoad func(LoadReport)
	// RSAPSS lets the document's RSA keys that carry no "alg" verify PSS
	// (PS256/384/512) too; by default they serve RS256/384/512 only.
	RSAPSS bool
	// PSSAnySalt lets the document's RSA keys accept PSS signatures with any
	// salt length (see KeyPSSAnySalt).
	PSSAnySalt bool
	// AllowSymmetric loads the document's "oct" (HMAC) keys, skipped by
	// default: whoever can read the JWKS could forge with them.
	AllowSymmetric bool
	// UnknownKIDWait is how long a token with an unknown kid that starts a
	// refresh waits for it (at most as long as its context allows) before
	// it is refused with an *UnknownKIDError saying the fetch is in
	// progress (default 2 s; negative: not at all). The fetch itself runs
	// on the refresher, never on the request's goroutine, and only the
	// request that starts it waits: any other that asks for a refresh while
	// a fetch is running, or within MinRefresh of the last one, is refused
	// at once, and a token whose kid is known never waits.
	UnknownKIDWait time.Duration
}

func (o JWKSOptions) withDefaults() JWKSOptions {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.MinRefresh <= 0 {
		o.MinRefresh = time.Minute
	}
	if o.MaxRefresh <= 0 {
		o.MaxRefresh = time.Hour
	}
	if o.MaxRefresh < o.MinRefresh {
		o.MaxRefresh = o.MinRefresh
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 1 << 20
	}
	if o.UnknownKIDWait == 0 {
		o.UnknownKIDWait = 2 * time.Second
	}
	o.Client = jwksClient(o.Client, o.Timeout)
	return o
}

type remoteSpec struct {
	// open makes the refresher. Set only by WithJWKSURL and
	// WithIssuerJWKSURL, so that a program that never calls them links no
	// HTTP client (about 200 KB of a static binary).
	open   func(remoteSpec) remoteSource
	op     string  // the option, for errors: WithJWKSURL, WithX509URL, ...
	kind   keyKind // keyJWKS, or keyX509Map (WithX509URL)
	url    string  // the document, or with discover the issuer
	opts   JWKSOptions
	issuer string      // WithIssuerJWKSURL: every fetched key is bound to it
	pre    *prefetched // New's fetch, done already (prefetchTenants)
	// discover: url is an issuer whose jwks_uri comes from its OpenID
	// Connect Discovery document (WithIssuerDiscovery).
	discover bool
}

// prefetched is the outcome of New's fetch made ahead of time.
type prefetched struct {
	res     fetched
	err     error
	jwksURI string // the jwks_uri discovery found for it
}

// prefetchTenants makes New's fetch of every issuer-bound URL that is not
// Lazy, all at once: New then takes about one fetch, not one per issuer
// (each bounded by its Timeout).
func prefetchTenants(ts []tenantSpec) {
	var wg sync.WaitGroup
	for i := range ts {
		s := &ts[i].remote
		if s.opts.Lazy || len(ts) < 2 {
			continue
		}
		wg.Go(func() {
			r := newRemoteJWKS(*s)
			defer r.cancel()
			res, err := r.get()
			s.pre = &prefetched{res, err, r.jwksURI}
		})
	}
	wg.Wait()
}

// tenantSpec is one issuer bound to its own JWKS URL.
type tenantSpec struct {
	issuer string
	remote remoteSpec
}

// ErrKeysUnavailable is returned by a verifier whose JWKS has not been
// fetched yet (JWKSOptions.Lazy) when the fetch failed or the caller's
// context ended first. It is not a verdict on the token: Middleware answers
// 503, and errors.Is(err, context.DeadlineExceeded) tells a timeout.
var ErrKeysUnavailable = errors.New("verifier: no keys yet: the JWKS document has not been fetched")

// waitError is a verification that stopped waiting for keys: it is both its
// reason (ErrUnknownKID, ErrKeysUnavailable) and the context's error, so that
// errors.Is(err, context.DeadlineExceeded) holds.
type waitError struct{ reason, ctxErr error }

func (e *waitError) Error() string {
	return e.reason.Error() + " (stopped waiting for the JWKS: " + e.ctxErr.Error() + ")"
}

func (e *waitError) Unwrap() []error { return []error{e.reason, e.ctxErr} }

// WithJWKSURL fetches the provider's JWKS (its jwks_uri, e.g.
// https://<clerk-frontend-api>/.well-known/jwks.json or
// https://<tenant>.logto.app/oidc/jwks) once in New, which fails if that
// fetch fails (see JWKSOptions.Lazy for the alternative), then keeps it fresh
// in the background: every Cache-Control max-age (bounded by MinRefresh and
// MaxRefresh), with If-None-Match / If-Modified-Since so that an unchanged
// document costs a 304, and at once when a token names a kid that no key
// has (rate-limited to one fetch per MinRefresh; New's fetch does not count,
// so a key published just after start-up is found). Every fetch after New's
// runs on the refresher: only the request that starts an unknown-kid fetch
// waits for it (JWKSOptions.UnknownKIDWait), and such a token is refused
// with an *UnknownKIDError. A failed or invalid refresh keeps serving the
// last good keys. Keys are swapped into the verifier atomically; Close
// stops the refresher.
//
// url must be https, or http to a loopback host (127.0.0.0/8, ::1,
// localhost), and carry no credentials: New refuses anything else with a
// *ConfigError that unwraps to ErrInsecureURL. Redirects are followed only
// within the same host and port, never from https to http, at most 3.
func WithJWKSURL(url string, opts JWKSOptions) Option {
	return func(c *config) error {
		if c.remote != nil {
			return &ConfigError{Op: "WithJWKSURL", Detail: "only one JWKS URL per verifier: bind several to their issuers with WithIssuerJWKSURL", Err: ErrInvalidArgument}
		}
		if err := checkURL("WithJWKSURL", url); err != nil {
			return err
		}
		c.remote = &remoteSpec{open: openRemoteJWKS, op: "WithJWKSURL", kind: keyJWKS, url: url, opts: opts.withDefaults()}
		return nil
	}
}

// WithIssuerJWKSURL binds a JWKS URL to one issuer; give it once per issuer
// (multi-tenant Logto, several Clerk instances). A token is routed by its
// (not yet verified) "iss" to that issuer's keys, and verified there under a
// policy that requires exactly that "iss", so one issuer's keys never vouch
// for another's tokens. A token naming no configured issuer is refused
// (ErrUnknownIssuer, or ErrMissingIssuer without "iss"), and no issuer's
// keys or policy are tried. The other options apply to every
// issuer; it cannot be combined with WithJWKSURL, WithIssuer, a preset's
// issuer or pinned keys, which would serve every issuer. Each URL is
// fetched and refreshed as WithJWKSURL describes.
func WithIssuerJWKSURL(issuer, url string, opts JWKSOptions) Option {
	return func(c *config) error {
		if issuer == "" {
			return &ConfigError{Op: "WithIssuerJWKSURL", Detail: "issuer is empty", Err: ErrInvalidArgument}
		}
		if err := checkURL("WithIssuerJWKSURL", url); err != nil {
			return err
		}
		return c.addTenant(tenantSpec{issuer: issuer, remote: remoteSpec{open: openRemoteJWKS, op: "WithIssuerJWKSURL", kind: keyJWKS, url: url, opts: opts.withDefaults()}})
	}
}

// addTenant adds an issuer-bound source, refusing an issuer given twice.
func (c *config) addTenant(t tenantSpec) error {
	for _, have := range c.tenants {
		if have.issuer == t.issuer {
			return &ConfigError{Op: t.remote.op, Detail: fmt.Sprintf("issuer %q given twice", t.issuer), Err: ErrInvalidArgument}
		}
	}
	c.tenants = append(c.tenants, t)
	c.prefetch = prefetchTenants
	return nil
}

// remoteSource is what a Verifier asks of its JWKS refresher (remoteJWKS).
type remoteSource interface {
	initial() ([]byte, error)
	docSpec(body []byte) *keySpec
	start(h *handle, cfg *config, current []byte)
	abort()
	stop()
	waitReady(ctx context.Context) error
	refreshForUnknownKID(ctx context.Context) (bool, error)
	forget()
	onLoad() func(LoadReport)
	policy() *config
}

func openRemoteJWKS(s remoteSpec) remoteSource { return newRemoteJWKS(s) }

func (r *remoteJWKS) abort()                   { r.cancel() }
func (r *remoteJWKS) onLoad() func(LoadReport) { return r.opts.OnLoad }
func (r *remoteJWKS) policy() *config {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cfg
}

// remoteJWKS is the refresher behind WithJWKSURL. Every fetch after New's
// runs on its loop goroutine: a request that needs one only asks for it
// (requestLocked) and, if it started it, may wait for it.
type remoteJWKS struct {
	url    string
	kind   keyKind
	opts   JWKSOptions
	issuer string
	pre    *prefetched // New's fetch, if made ahead of time
	// discoverIssuer, when set, is the issuer whose discovery document
	// names the URL to fetch (jwksURI); url is then unused.
	discoverIssuer string

	ctx    context.Context // cancelled by stop: aborts fetches in flight
	cancel context.CancelFunc
	wg     sync.WaitGroup // the refresh loop
	// h and cfg are set by start, once New has made the handle.
	h   *handle
	cfg *config

	mu           sync.Mutex
	current      []byte        // the JWKS document in use
	etag         string        // validators of current, for conditional requests
	lastModified string        //
	lastAttempt  time.Time     // start of the last fetch that counts for the rate limit
	inflight     *fetchCall    // the fetch asked for or running, if any
	delay        time.Duration // next background refresh, from the last fetch
	retry        time.Duration // back-off while no keys are installed
	lastErr      error         // the last fetch's error, while no keys are installed
	lastFetchErr error         // the last fetch's error (nil if it succeeded)
	stopped      bool
	kick         chan struct{} // wakes the loop for a fetch asked for (inflight)
	jwksURI      string        // discovered (discoverIssuer); "" until then
	rediscover   bool          // the last fetch failed: discover again first
}

// fetchCall is one fetch, shared by everyone who waits for it.
type fetchCall struct {
	done    chan struct{}
	changed bool  // new keys were installed
	err     error // why the fetch failed
	first   bool  // a lazy source's first fetch: requests wait for it
}

func newRemoteJWKS(s remoteSpec) *remoteJWKS {
	ctx, cancel := context.WithCancel(context.Background())
	r := &remoteJWKS{url: s.url, kind: s.kind, opts: s.opts, issuer: s.issuer, pre: s.pre, ctx: ctx, cancel: cancel, kick: make(chan struct{}, 1)}
	if s.discover {
		r.discoverIssuer = s.url
	}
	return r
}

// docSpec is a fetched document as a key source, with the URL's options.
func (r *remoteJWKS) docSpec(body []byte) *keySpec {
	k := &keySpec{op: "WithJWKSURL", kind: r.kind, data: body, issuer: r.issuer, hasIssuer: r.issuer != ""}
	if r.kind == keyX509Map {
		k.op = "WithX509URL"
	}
	if r.opts.RSAPSS {
		k.flags |= flagRSAPSS
	}
	if r.opts.AllowSymmetric && r.kind == keyJWKS {
		k.flags |= flagAllowSymmetric
	}
	if r.opts.PSSAnySalt {
		k.flags |= flagPSSAnySalt
	}
	return k
}

// initial is the first, blocking fetch (in New). It leaves lastAttempt
// alone: the start-up fetch does not spend the unknown-kid refresh budget.
func (r *remoteJWKS) initial() ([]byte, error) {
	var res fetched
	var err error
	if r.pre != nil {
		res, err, r.jwksURI, r.pre = r.pre.res, r.pre.err, r.pre.jwksURI, nil
	} else {
		res, err = r.get()
	}
	if err == nil && res.notModified {
		err = errNotModified
	}
	if err != nil {
		r.cancel()
		return nil, err
	}
	r.delay, r.etag, r.lastModified = res.maxAge, res.etag, res.lastModified
	return res.body, nil
}

// start begins background refreshes into h. Without a document (Lazy), the
// first fetch starts now.
func (r *remoteJWKS) start(h *handle, cfg *config, current []byte) {
	r.mu.Lock()
	r.h, r.cfg, r.current = h, cfg, current
	if current == nil {
		r.delay = r.opts.MaxRefresh // the loop re-arms when the first fetch ends
		r.requestLocked(false).first = true
	}
	r.mu.Unlock()
	r.wg.Add(1)
	go r.loop()
}

// loop runs every fetch: every r.delay, counted from the end of the last
// fetch, and each one a request asked for. On exit it releases whoever
// waits for a fetch it will not run.
func (r *remoteJWKS) loop() {
	defer r.wg.Done()
	defer r.abandon()
	timer := time.NewTimer(r.nextDelay())
	defer timer.Stop()
	for {
		var call *fetchCall
		select {
		case <-r.ctx.Done():
			return
		case <-r.kick:
			if call = r.next(false); call == nil {
				continue // already run (the timer took it), or stopped
			}
		case <-timer.C:
			if call = r.next(true); call == nil {
				return
			}
		}
		r.run(call)
		timer.Reset(r.nextDelay()) // Go 1.23+ timers: no stale tick to drain
	}
}

func (r *remoteJWKS) nextDelay() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.delay
}

// next is the fetch for the loop to run: the one asked for, or, when the
// timer fired, a new background fetch (counted for the rate limit). nil
// after stop, or when nothing was asked for.
func (r *remoteJWKS) next(timer bool) *fetchCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return nil
	}
	if r.inflight == nil && timer {
		r.newCallLocked(true)
	}
	return r.inflight
}

// newCallLocked records a new fetch as in flight; counted says whether it
// starts a new rate-limit period.
func (r *remoteJWKS) newCallLocked(counted bool) *fetchCall {
	call := &fetchCall{done: make(chan struct{})}
	r.inflight = call
	if counted {
		r.lastAttempt = time.Now()
	}
	return call
}

// requestLocked asks the loop for a fetch (or returns the one in flight)
// without waiting. nil after stop.
func (r *remoteJWKS) requestLocked(counted bool) *fetchCall {
	if r.stopped {
		return nil
	}
	if r.inflight != nil {
		return r.inflight
	}
	call := r.newCallLocked(counted)
	select {
	case r.kick <- struct{}{}:
	default: // the loop has a wake-up pending already: it will find this call
	}
	return call
}

// abandon releases the waiters of a fetch the stopped loop will not run.
func (r *remoteJWKS) abandon() {
	r.mu.Lock()
	call := r.inflight
	r.inflight = nil
	r.mu.Unlock()
	if call != nil {
		call.err = ErrClosed
		close(call.done)
	}
}

var errNotModified = errors.New("JWKS fetch: 304 Not Modified without a document to keep")

// errTooLarge is a document over JWKSOptions.MaxBytes.
var errTooLarge = errors.New("JWKS fetch: document larger than MaxBytes")

// run does one fetch (on the loop) and installs the keys if they changed.
func (r *remoteJWKS) run(call *fetchCall) {
	var report LoadReport
	res, err := r.get()
	if err == nil && !res.notModified {
		r.mu.Lock()
		same := r.current != nil && bytes.Equal(res.body, r.current)
		r.mu.Unlock()
		if !same {
			if report, err = r.h.install(r.cfg, r.cfg.keys, r.docSpec(res.body)); err == nil {
				call.changed = true
			}
		}
	}
	ready := r.h.ready()
	r.mu.Lock()
	switch {
	case err == nil:
		if !res.notModified {
			r.current, r.etag, r.lastModified = res.body, res.etag, res.lastModified
		}
		r.delay, r.retry, r.lastErr = res.maxAge, 0, nil
	case ready:
		r.delay = r.opts.MinRefresh // retry soon, but no faster than the rate limit
		r.rediscover = true
	default:
		r.rediscover = true
		// No keys at all yet: retry sooner, backing off up to MinRefresh.
		r.retry = min(max(2*r.retry, time.Second), r.opts.MinRefresh)
		r.delay, r.lastErr = r.retry, err
	}
	call.err, r.lastFetchErr = err, err
	r.inflight = nil
	r.mu.Unlock()
	close(call.done)
	// A fetch cut short by Close is no refresh failure worth reporting.
	if r.ctx.Err() == nil {
		if call.changed && r.opts.OnLoad != nil {
			r.opts.OnLoad(report)
		}
		if r.opts.OnRefresh != nil {
			r.opts.OnRefresh(err)
		}
	}
}

// UnknownKIDError is the ErrUnknownKID of a verifier with a JWKS URL: it
// says what the JWKS source did about the token's kid. errors.Is(err,
// ErrUnknownKID) matches it; read it with errors.As. Exactly one of these
// cases holds:
//   - Refetched: the document was fetched for this token (or found
//     unchanged) and still has no key with this kid;
//   - FetchErr set, RetryAfter zero: that fetch failed, for this reason (the
//     last good keys stay in use);
//   - RetryAfter set: refreshes for unknown kids are rate-limited
//     (JWKSOptions.MinRefresh) until then; FetchErr, if set, is why the
//     last fetch failed;
//   - InProgress: a fetch is running (asked for by another request, or it
//     outlasted JWKSOptions.UnknownKIDWait); a retry may find the key.
type UnknownKIDError struct {
	Refetched  bool
	InProgress bool
	RetryAfter time.Time
	FetchErr   error
	refusal    error // the token's refusal, with core's detail
}

// withRefusal puts the token's refusal (an ErrUnknownKID with core's
// detail) into the *UnknownKIDError in kidErr, if there is one.
func withRefusal(kidErr, refusal error) error {
	var e *UnknownKIDError
	if !errors.As(kidErr, &e) {
		return refusal
	}
	e.refusal = refusal
	return kidErr
}

func (e *UnknownKIDError) Error() string {
	s := ErrUnknownKID.Error()
	if e.refusal != nil {
		s = e.refusal.Error()
	}
	switch {
	case !e.RetryAfter.IsZero() && e.FetchErr != nil:
		return s + " (JWKS refresh rate-limited until " + e.RetryAfter.UTC().Format(time.RFC3339) + "; the last fetch failed: " + e.FetchErr.Error() + ")"
	case !e.RetryAfter.IsZero():
		return s + " (JWKS refresh rate-limited until " + e.RetryAfter.UTC().Format(time.RFC3339) + ")"
	case e.FetchErr != nil:
		return s + " (the JWKS fetch for it failed: " + e.FetchErr.Error() + ")"
	case e.Refetched:
		return s + " (JWKS refetched: still no key with this kid)"
	case e.InProgress:
		return s + " (a JWKS fetch is in progress)"
	}
	return s
}

// Unwrap is the token's refusal: an *Error of ErrUnknownKID's code with
// core's detail. FetchErr is not unwrapped: errors.Is(err,
// context.DeadlineExceeded) stays the caller's own deadline.
func (e *UnknownKIDError) Unwrap() error {
	if e.refusal != nil {
		return e.refusal
	}
	return ErrUnknownKID
}

// refreshForUnknownKID handles a token whose kid no key has. With a fetch
// in flight, or within MinRefresh of the last counted one, it returns at
// once. Otherwise it asks the loop for a fetch and waits for it, at most
// UnknownKIDWait and as long as ctx allows; so it does for a lazy source's
// first fetch (the pinned keys beside it are all there is until then). It
// reports whether new keys came, and the error to return if the token still
// fails with ErrUnknownKID (an *UnknownKIDError, or a *waitError when ctx
// ended).
func (r *remoteJWKS) refreshForUnknownKID(ctx context.Context) (bool, error) {
	r.mu.Lock()
	call := r.inflight
	switch {
	case call != nil && !call.first:
		r.mu.Unlock()
		return false, &UnknownKIDError{InProgress: true}
	case call == nil && !r.lastAttempt.IsZero() && time.Since(r.lastAttempt) < r.opts.MinRefresh:
		e := &UnknownKIDError{RetryAfter: r.lastAttempt.Add(r.opts.MinRefresh), FetchErr: r.lastFetchErr}
		r.mu.Unlock()
		return false, e
	case call == nil:
		call = r.requestLocked(true)
	}
	r.mu.Unlock()
	if call == nil {
		return false, ErrUnknownKID // closed meanwhile
	}
	if r.opts.UnknownKIDWait <= 0 {
		return false, &UnknownKIDError{InProgress: true}
	}
	timer := time.NewTimer(r.opts.UnknownKIDWait)
	defer timer.Stop()
	select {
	case <-call.done:
		if call.err != nil {
			return false, &UnknownKIDError{FetchErr: call.err}
		}
		return call.changed, &UnknownKIDError{Refetched: true}
	case <-ctx.Done():
		return false, &waitError{reason: &UnknownKIDError{InProgress: true}, ctxErr: ctx.Err()}
	case <-timer.C:
		return false, &UnknownKIDError{InProgress: true}
	}
}

// waitReady waits until the verifier has keys (Lazy start): through the
// fetch in flight, or until ctx ends. With no fetch in flight and no keys,
// the last fetch failed: that is reported at once (retries run in the
// background) rather than holding requests through an outage.
func (r *remoteJWKS) waitReady(ctx context.Context) error {
	for {
		if r.h.ready() {
			return nil
		}
		r.mu.Lock()
		call, lastErr := r.inflight, r.lastErr
		r.mu.Unlock()
		if call == nil {
			if lastErr == nil {
				return ErrKeysUnavailable
			}
			return fmt.Errorf("%w: %w", ErrKeysUnavailable, lastErr)
		}
		select {
		case <-call.done:
		case <-ctx.Done():
			return &waitError{reason: ErrKeysUnavailable, ctxErr: ctx.Err()}
		}
	}
}

// stop cancels fetches and the loop and waits for them. Idempotent.
func (r *remoteJWKS) stop() {
	r.mu.Lock()
	r.stopped = true
	r.mu.Unlock()
	r.cancel()
	r.wg.Wait()
}

// errHTTPStatus is a JWKS response that is neither 200 OK nor 304.
type errHTTPStatus int

func (e errHTTPStatus) Error() string { return "JWKS fetch: HTTP status " + strconv.Itoa(int(e)) }

// fetched is one JWKS response.
type fetched struct {
	body         []byte
	maxAge       time.Duration
	etag         string
	lastModified string
	notModified  bool // 304: the document in use is still current
}

// get fetches the document, conditionally when one is in use, and reads its
// max-age. With discovery, the document's URL is the issuer's jwks_uri,
// discovered first when none is known yet or the last fetch failed.
func (r *remoteJWKS) get() (fetched, error) {
	if r.discoverIssuer == "" {
		return r.fetch(r.url, true)
	}
	r.mu.Lock()
	uri, again := r.jwksURI, r.rediscover
	r.mu.Unlock()
	if uri == "" || again {
		found, err := r.discover()
		if err != nil {
			return fetched{}, err
		}
		r.mu.Lock()
		if found != r.jwksURI {
			// Validators belong to the old URL's document.
			r.etag, r.lastModified = "", ""
		}
		r.jwksURI, r.rediscover, uri = found, false, found
		r.mu.Unlock()
	}
	return r.fetch(uri, true)
}

// fetch GETs url under the source's rules (Timeout, MaxBytes, the client's
// redirect policy), conditionally if asked and a document is in use.
func (r *remoteJWKS) fetch(url string, conditional bool) (fetched, error) {
	ctx, cancel := context.WithTimeout(r.ctx, r.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fetched{}, err
	}
	req.Header.Set("Accept", "application/json")
	r.mu.Lock()
	if r.current != nil && conditional {
		if r.etag != "" {
			req.Header.Set("If-None-Match", r.etag)
		}
		if r.lastModified != "" {
			req.Header.Set("If-Modified-Since", r.lastModified)
		}
	}
	r.mu.Unlock()
	resp, err := r.opts.Client.Do(req)
	if err != nil {
		return fetched{}, err
	}
	defer resp.Body.Close()
	res := fetched{maxAge: r.refreshAfter(resp.Header.Values("Cache-Control"))}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotModified:
		if req.Header.Get("If-None-Match") == "" && req.Header.Get("If-Modified-Since") == "" {
			return fetched{}, errNotModified
		}
		res.notModified = true
		return res, nil
	default:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096)) // lets the connection be reused
		return fetched{}, errHTTPStatus(resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, r.opts.MaxBytes+1))
	if err != nil {
		return fetched{}, err
	}
	if int64(len(body)) > r.opts.MaxBytes {
		return fetched{}, errTooLarge
	}
	res.body, res.etag, res.lastModified = body, validator(resp.Header.Get("ETag")), validator(resp.Header.Get("Last-Modified"))
	return res, nil
}

// refreshAfter turns Cache-Control into the next refresh delay, within
// [MinRefresh, MaxRefresh]; no-cache and no-store count as max-age=0.
func (r *remoteJWKS) refreshAfter(cacheControl []string) time.Duration {
	d := r.opts.MaxRefresh
	for _, h := range cacheControl {
		for dir := range strings.SplitSeq(h, ",") {
			name, val, _ := strings.Cut(strings.TrimSpace(dir), "=")
			switch strings.ToLower(name) {
			case "no-cache", "no-store":
				d = 0
			case "max-age":
				// Compared in whole seconds, so that no max-age overflows
				// a Duration, whatever MaxRefresh is.
				if n, err := strconv.ParseInt(strings.Trim(val, `"`), 10, 64); err == nil && n >= 0 && n <= int64(d/time.Second) {
					d = time.Duration(n) * time.Second
				}
			}
		}
	}
	return min(max(d, r.opts.MinRefresh), r.opts.MaxRefresh)
}

// forget drops the record of the installed document, so that the next
// fetch installs its keys even if the document did not change.
func (r *remoteJWKS) forget() {
	r.mu.Lock()
	r.current, r.etag, r.lastModified = nil, "", ""
	r.mu.Unlock()
}
