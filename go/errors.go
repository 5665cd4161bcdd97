package verifier

import (
	"errors"
	"strconv"
)

// Error is a status of the library: a rejected token, key or configuration.
// Each status has one sentinel (ErrExpired, ErrBadSignature, ...); a refused
// token comes back as an *Error of the same Code that also carries Detail,
// core's account of the values compared. errors.Is(err, ErrExpired) matches
// by code, and errors.Is(err, ErrInvalidSignature) matches every "not
// authentic" refusal. Use errors.As to read the code, name and detail.
type Error struct {
	// Code is the stable vf_status number (equal to the core's Error::code()).
	Code uint32
	// Name is the stable snake_case name, e.g. "expired".
	Name string
	// Detail says why this token was refused, with the values compared:
	// "exp 1764000060 is 10 s before now, leeway 5 s", `"aud" is null,
	// expected a string or an array of strings`. Empty on the sentinels.
	Detail string
	msg    string
}

func newError(code uint32) *Error {
	name, msg := statusText(code)
	return &Error{Code: code, Name: name, msg: msg}
}

// Error returns the library's sentence for the status and, for a refused
// token, core's detail: "verifier: token has expired: exp 1764000060 is 10 s
// before now, leeway 5 s".
func (e *Error) Error() string {
	if e.Detail != "" {
		return "verifier: " + e.msg + ": " + e.Detail
	}
	return "verifier: " + e.msg
}

// Is matches the sentinel of the same code, and ErrInvalidSignature for
// every refusal that says the token is not authentic.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	if t == ErrInvalidSignature {
		return notAuthentic[e.Code]
	}
	return t.Code == e.Code && t.Code != 0
}

// ErrInvalidSignature groups the refusals that say the signature does not
// make the token genuine: it does not verify (ErrBadSignature), has the
// wrong encoding or length (ErrBadSignatureLength), its "alg" is not one the
// key verifies (ErrAlgNotAllowedForKey), or it is a PSS signature with a salt
// RFC 7518 does not allow (ErrPSSSaltLength). It is never returned itself:
// test with errors.Is(err, ErrInvalidSignature).
var ErrInvalidSignature = &Error{Name: "invalid_signature", msg: "token signature is not authentic"}

// notAuthentic: the codes ErrInvalidSignature matches.
var notAuthentic = map[uint32]bool{402: true, 403: true, 404: true, 407: true}

// refusal is the error for status st: its sentinel, or a copy carrying
// core's detail.
func refusal(st uint32, detail string) error {
	e := errorByCode[st]
	if e == nil {
		return unknownStatusError(st)
	}
	if detail == "" || detail == e.msg {
		return e
	}
	d := *e
	d.Detail = detail
	return &d
}

// ErrClosed is returned by a Verifier used after Close.
var ErrClosed = errors.New("verifier: verifier is closed")

// errUnknownStatus covers a status this package does not know, which would
// mean the Go package and the C library are out of step.
type unknownStatusError uint32

func (e unknownStatusError) Error() string {
	return "verifier: unknown status " + strconv.FormatUint(uint64(e), 10)
}

// statusError maps a non-zero vf_status to its sentinel.
func statusError(st uint32) error {
	if e := errorByCode[st]; e != nil {
		return e
	}
	return unknownStatusError(st)
}

var errorByCode = func() map[uint32]*Error {
	m := make(map[uint32]*Error, len(allErrors))
	for _, e := range allErrors {
		m[e.Code] = e
	}
	return m
}()

// ConfigError is a configuration, key or key-set refusal. It names the
// offending option or key, and unwraps to the sentinel of its status (for
// example ErrKeyMalformed or ErrInvalidPolicy).
type ConfigError struct {
	// Op is the option that failed, e.g. "WithJWKS" or "WithIssuer".
	Op string
	// Detail is the C library's description (names the field or key), if any.
	Detail string
	// Err is the status sentinel (or another cause, e.g. an HTTP error for a JWKS URL).
	Err error
}

func (e *ConfigError) Error() string {
	s := "verifier: " + e.Op
	if e.Detail != "" {
		return s + ": " + e.Detail
	}
	return s + ": " + errorText(e.Err)
}

func (e *ConfigError) Unwrap() error { return e.Err }

// errorText is an error's message without this package's prefix.
func errorText(err error) string {
	var ve *Error
	if errors.As(err, &ve) {
		return ve.msg
	}
	return err.Error()
}
