//go:build cgo

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
	// Client fetches the document (default: a client with Timeout).
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
	if o.Client == nil {
		o.Client = &http.Client{Timeout: o.Timeout}
	}
	return o
}

type remoteSpec struct {
	url    string
	opts   JWKSOptions
	issuer string // WithIssuerJWKSURL: every fetched key is bound to it
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

func checkURL(op, url string) error {
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return &ConfigError{Op: op, Detail: fmt.Sprintf("%q is not an http(s) URL", url), Err: ErrInvalidArgument}
	}
	return nil
}

// WithJWKSURL fetches the provider's JWKS (its jwks_uri, e.g.
// https://<clerk-frontend-api>/.well-known/jwks.json or
// https://<tenant>.logto.app/oidc/jwks) once in New, which fails if that
// fetch fails (see JWKSOptions.Lazy for the alternative), then keeps it fresh
// in the background: every Cache-Control max-age (bounded by MinRefresh and
// MaxRefresh), with If-None-Match / If-Modified-Since so that an unchanged
// document costs a 304, and at once when a token names a kid that no key
// has (rate-limited to one fetch per MinRefresh; New's fetch does not count,
// so a key published just after start-up is found). A failed or invalid
// refresh keeps serving the last good keys. Keys are swapped into the
// verifier atomically; Close stops the refresher.
func WithJWKSURL(url string, opts JWKSOptions) Option {
	return func(c *config) error {
		if c.remote != nil {
			return &ConfigError{Op: "WithJWKSURL", Detail: "only one JWKS URL per verifier: bind several to their issuers with WithIssuerJWKSURL", Err: ErrInvalidArgument}
		}
		if err := checkURL("WithJWKSURL", url); err != nil {
			return err
		}
		c.remote = &remoteSpec{url: url, opts: opts.withDefaults()}
		return nil
	}
}

// WithIssuerJWKSURL binds a JWKS URL to one issuer; give it once per issuer
// (multi-tenant Logto, several Clerk instances). A token is routed by its
// (not yet verified) "iss" to that issuer's keys, and verified there under a
// policy that requires exactly that "iss", so one issuer's keys never vouch
// for another's tokens. A token naming no configured issuer is refused
// (ErrWrongIssuer, or ErrMissingIssuer). The other options apply to every
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
		for _, t := range c.tenants {
			if t.issuer == issuer {
				return &ConfigError{Op: "WithIssuerJWKSURL", Detail: fmt.Sprintf("issuer %q given twice", issuer), Err: ErrInvalidArgument}
			}
		}
		c.tenants = append(c.tenants, tenantSpec{issuer: issuer, remote: remoteSpec{url: url, opts: opts.withDefaults()}})
		return nil
	}
}

// remoteJWKS is the refresher behind WithJWKSURL.
type remoteJWKS struct {
	url    string
	opts   JWKSOptions
	issuer string

	ctx    context.Context // cancelled by stop: aborts fetches in flight
	cancel context.CancelFunc
	wg     sync.WaitGroup // the refresh loop and fetch goroutines
	// h and cfg are set by start, once New has made the handle.
	h   *handle
	cfg *config

	mu           sync.Mutex
	current      []byte        // the JWKS document in use
	etag         string        // validators of current, for conditional requests
	lastModified string        //
	lastAttempt  time.Time     // start of the last fetch that counts for the rate limit
	inflight     *fetchCall    // the fetch every caller waits for, if any
	delay        time.Duration // next background refresh, from the last fetch
	retry        time.Duration // back-off while no keys are installed
	lastErr      error         // the last fetch's error, while no keys are installed
	stopped      bool
	kick         chan *fetchCall // an unknown-kid fetch: the loop re-arms after it
}

// fetchCall is one fetch shared by everyone who asked for it meanwhile.
type fetchCall struct {
	done    chan struct{}
	changed bool // new keys were installed
}

func newRemoteJWKS(s remoteSpec) *remoteJWKS {
	ctx, cancel := context.WithCancel(context.Background())
	return &remoteJWKS{url: s.url, opts: s.opts, issuer: s.issuer, ctx: ctx, cancel: cancel, kick: make(chan *fetchCall, 1)}
}

// docSpec is a fetched document as a key source, with the URL's options.
func (r *remoteJWKS) docSpec(body []byte) *keySpec {
	k := &keySpec{op: "WithJWKSURL", kind: keyJWKS, data: body, issuer: r.issuer, hasIssuer: r.issuer != ""}
	if r.opts.RSAPSS {
		k.flags |= flagRSAPSS
	}
	if r.opts.AllowSymmetric {
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
	res, err := r.get()
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
		r.kick <- r.fetchLocked(false)
	}
	r.mu.Unlock()
	r.wg.Add(1)
	go r.loop()
}

// loop refreshes every r.delay, counted from the end of the last fetch
// (background or unknown-kid).
func (r *remoteJWKS) loop() {
	defer r.wg.Done()
	timer := time.NewTimer(r.nextDelay())
	defer timer.Stop()
	for {
		select {
		case <-r.ctx.Done():
			return
		case call := <-r.kick:
			<-call.done // ends promptly after stop: the fetch uses r.ctx
		case <-timer.C:
			call := r.fetch()
			if call == nil {
				return
			}
			<-call.done
		}
		timer.Reset(r.nextDelay()) // Go 1.23+ timers: no stale tick to drain
	}
}

func (r *remoteJWKS) nextDelay() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.delay
}

// fetch starts a background fetch, or joins the one in flight. nil after stop.
func (r *remoteJWKS) fetch() *fetchCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fetchLocked(true)
}

// fetchLocked starts a fetch (or returns the one in flight); counted says
// whether it starts a new rate-limit period.
func (r *remoteJWKS) fetchLocked(counted bool) *fetchCall {
	if r.stopped {
		return nil
	}
	if r.inflight != nil {
		return r.inflight
	}
	call := &fetchCall{done: make(chan struct{})}
	r.inflight = call
	if counted {
		r.lastAttempt = time.Now()
	}
	r.wg.Add(1)
	go r.run(call)
	return call
}

var errNotModified = errors.New("JWKS fetch: 304 Not Modified without a document to keep")

// run does one fetch and installs the keys if they changed.
func (r *remoteJWKS) run(call *fetchCall) {
	defer r.wg.Done()
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
	default:
		// No keys at all yet: retry sooner, backing off up to MinRefresh.
		r.retry = min(max(2*r.retry, time.Second), r.opts.MinRefresh)
		r.delay, r.lastErr = r.retry, err
	}
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

// refreshForUnknownKID fetches now unless a counted fetch started less than
// MinRefresh ago, and waits for it. It reports whether new keys came, or
// ctx's error if ctx ended first.
func (r *remoteJWKS) refreshForUnknownKID(ctx context.Context) (bool, error) {
	r.mu.Lock()
	call := r.inflight
	if call == nil {
		if !r.lastAttempt.IsZero() && time.Since(r.lastAttempt) < r.opts.MinRefresh {
			r.mu.Unlock()
			return false, nil
		}
		call = r.fetchLocked(true)
		if call != nil {
			select {
			case r.kick <- call:
			default: // the loop has not taken the previous one yet: it re-arms anyway
			}
		}
	}
	r.mu.Unlock()
	if call == nil {
		return false, nil
	}
	select {
	case <-call.done:
		return call.changed, nil
	case <-ctx.Done():
		return false, ctx.Err()
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
// max-age.
func (r *remoteJWKS) get() (fetched, error) {
	ctx, cancel := context.WithTimeout(r.ctx, r.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.url, nil)
	if err != nil {
		return fetched{}, err
	}
	req.Header.Set("Accept", "application/json")
	r.mu.Lock()
	if r.current != nil {
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
		return fetched{}, errors.New("JWKS fetch: document larger than MaxBytes")
	}
	res.body, res.etag, res.lastModified = body, resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
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
				if n, err := strconv.ParseInt(strings.Trim(val, `"`), 10, 64); err == nil && n >= 0 {
					d = min(d, time.Duration(min(n, int64(r.opts.MaxRefresh/time.Second)+1))*time.Second)
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
