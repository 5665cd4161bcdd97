// Package include holds verifier.h for cgo; this file only keeps the
// directory in `go mod vendor` (see ../includebuild.go).
package include
