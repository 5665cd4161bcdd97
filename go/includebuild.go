//go:build includebuild

package verifier

// Never built (the includebuild tag is never set). `go mod vendor` copies
// only directories that hold an imported package, and it reads imports under
// every build tag: these blank imports keep the header and the static
// libraries, which cgo finds next to ffi.go, in a vendored copy. The pattern
// and the reason are wasmtime-go's (golang/go#26366).
import (
	_ "github.com/libverifier/libverifier/go/include"
	_ "github.com/libverifier/libverifier/go/lib/linux-amd64"
	_ "github.com/libverifier/libverifier/go/lib/linux-arm64"
)
