// Package errs stands in for encore.dev/beta/errs (see ../../README.md): only
// what the example uses, with Encore's names.
package errs

// ErrCode is an error code, as in encore.dev/beta/errs (gRPC's numbering).
type ErrCode int

// The codes the example returns.
const (
	Internal        ErrCode = 13
	Unavailable     ErrCode = 14
	Unauthenticated ErrCode = 16
)

// Metadata is extra data attached to an Error.
type Metadata map[string]any

// Error is the error type Encore turns into an API error response.
type Error struct {
	Code    ErrCode
	Message string
	Meta    Metadata
}

func (e *Error) Error() string { return e.Message }
