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

// JWKSOptions tune a JWKS URL source (WithJWKSURL). The zero value is a
// sensible default for Clerk, Logto and other OIDC providers.
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
	// OnRefresh, if set, is called after every background or unknown-kid
	// fetch with its error (nil on success). A failed refresh keeps the
	// last good keys.
	OnRefresh func(err error)
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
	url  string
	opts JWKSOptions
}

// WithJWKSURL fetches the provider's JWKS (its jwks_uri, e.g.
// https://<clerk-frontend-api>/.well-known/jwks.json or
// https://<tenant>.logto.app/oidc/jwks) once in New, which fails if that
// fetch fails, then keeps it fresh in the background: every Cache-Control
// max-age (bounded by MinRefresh and MaxRefresh), and at once (rate-limited
// to one fetch per MinRefresh) when a token names a kid that no key has.
// A failed or invalid refresh keeps serving the last good keys. Keys are
// swapped into the verifier atomically; Close stops the refresher.
func WithJWKSURL(url string, opts JWKSOptions) Option {
	return func(c *config) error {
		if c.remote != nil {
			return &ConfigError{Op: "WithJWKSURL", Detail: "only one JWKS URL per verifier", Err: ErrInvalidArgument}
		}
		if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
			return &ConfigError{Op: "WithJWKSURL", Detail: fmt.Sprintf("%q is not an http(s) URL", url), Err: ErrInvalidArgument}
		}
		c.remote = &remoteSpec{url: url, opts: opts.withDefaults()}
		return nil
	}
}

// remoteJWKS is the refresher behind WithJWKSURL.
type remoteJWKS struct {
	url  string
	opts JWKSOptions

	ctx    context.Context // cancelled by stop: aborts fetches in flight
	cancel context.CancelFunc
	wg     sync.WaitGroup // the refresh loop and fetch goroutines
	// h and static are set by start, once New has built the verifier.
	h      *handle
	static []keySpec

	mu          sync.Mutex
	current     []byte        // the JWKS document in use
	lastAttempt time.Time     // start of the last fetch, for the rate limit
	inflight    *fetchCall    // the fetch every caller waits for, if any
	delay       time.Duration // next background refresh, from the last fetch
	stopped     bool
	kick        chan *fetchCall // an unknown-kid fetch: the loop re-arms after it
}

// fetchCall is one fetch shared by everyone who asked for it meanwhile.
type fetchCall struct {
	done    chan struct{}
	changed bool // new keys were installed
}

func newRemoteJWKS(s remoteSpec) *remoteJWKS {
	ctx, cancel := context.WithCancel(context.Background())
	return &remoteJWKS{url: s.url, opts: s.opts, ctx: ctx, cancel: cancel, kick: make(chan *fetchCall, 1)}
}

// initial is the first, blocking fetch (in New).
func (r *remoteJWKS) initial() ([]byte, error) {
	r.lastAttempt = time.Now()
	body, maxAge, err := r.get()
	if err != nil {
		r.cancel()
		return nil, err
	}
	r.delay = maxAge
	return body, nil
}

// start begins background refreshes into h.
func (r *remoteJWKS) start(h *handle, static []keySpec, current []byte) {
	r.mu.Lock()
	r.h, r.static, r.current = h, static, current
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

// fetch starts a fetch, or joins the one in flight. nil after stop.
func (r *remoteJWKS) fetch() *fetchCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fetchLocked()
}

func (r *remoteJWKS) fetchLocked() *fetchCall {
	if r.stopped {
		return nil
	}
	if r.inflight != nil {
		return r.inflight
	}
	call := &fetchCall{done: make(chan struct{})}
	r.inflight = call
	r.lastAttempt = time.Now()
	r.wg.Add(1)
	go r.run(call)
	return call
}

// run does one fetch and installs the keys if they changed.
func (r *remoteJWKS) run(call *fetchCall) {
	defer r.wg.Done()
	body, maxAge, err := r.get()
	if err == nil {
		r.mu.Lock()
		same := bytes.Equal(body, r.current)
		r.mu.Unlock()
		if !same {
			if err = replaceKeys(r.h, r.static, body); err == nil {
				call.changed = true
			}
		}
	}
	r.mu.Lock()
	if err == nil {
		if call.changed {
			r.current = body
		}
		r.delay = maxAge
	} else {
		r.delay = r.opts.MinRefresh // retry soon, but no faster than the rate limit
	}
	r.inflight = nil
	r.mu.Unlock()
	close(call.done)
	if r.opts.OnRefresh != nil {
		r.opts.OnRefresh(err)
	}
}

// refreshForUnknownKID fetches now unless a fetch started less than
// MinRefresh ago, waits for it (or ctx), and reports whether new keys came.
func (r *remoteJWKS) refreshForUnknownKID(ctx context.Context) bool {
	r.mu.Lock()
	call := r.inflight
	if call == nil {
		if time.Since(r.lastAttempt) < r.opts.MinRefresh {
			r.mu.Unlock()
			return false
		}
		call = r.fetchLocked()
		if call != nil {
			select {
			case r.kick <- call:
			default: // the loop has not taken the previous one yet: it re-arms anyway
			}
		}
	}
	r.mu.Unlock()
	if call == nil {
		return false
	}
	select {
	case <-call.done:
		return call.changed
	case <-ctx.Done():
		return false
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

// errHTTPStatus is a JWKS response that is not 200 OK.
type errHTTPStatus int

func (e errHTTPStatus) Error() string { return "JWKS fetch: HTTP status " + strconv.Itoa(int(e)) }

// get fetches the document and reads its max-age.
func (r *remoteJWKS) get() ([]byte, time.Duration, error) {
	ctx, cancel := context.WithTimeout(r.ctx, r.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.url, nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := r.opts.Client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096)) // lets the connection be reused
		return nil, 0, errHTTPStatus(resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, r.opts.MaxBytes+1))
	if err != nil {
		return nil, 0, err
	}
	if int64(len(body)) > r.opts.MaxBytes {
		return nil, 0, errors.New("JWKS fetch: document larger than MaxBytes")
	}
	return body, r.refreshAfter(resp.Header.Values("Cache-Control")), nil
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
	r.current = nil
	r.mu.Unlock()
}
