//go:build cgo

package verifier

import (
	"errors"
	"strconv"
)

// Error is a status of the C library: a rejected token, key or configuration.
// Each status has exactly one *Error value (the Err* sentinels), so a verify
// failure costs no allocation and errors.Is(err, ErrExpired) is a pointer
// comparison. Use errors.As to read the code and name of any of them.
type Error struct {
	// Code is the stable vf_status number (equal to the core's Error::code()).
	Code uint32
	// Name is the stable snake_case name, e.g. "expired".
	Name string
	msg  string
}

func newError(code uint32) *Error {
	return &Error{Code: code, Name: statusName(code), msg: statusMessage(code)}
}

// Error returns the library's sentence for the status, e.g. "verifier: token has expired".
func (e *Error) Error() string { return "verifier: " + e.msg }

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
