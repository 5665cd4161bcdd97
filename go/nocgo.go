//go:build !cgo

package verifier

// The package is a thin layer over libverifier's C library: without cgo there
// is nothing to call. This line turns the build failure into that sentence
// (every other file of the package needs cgo and is left out).
var _ int = "libverifier needs cgo: build with CGO_ENABLED=1 and a C compiler"
