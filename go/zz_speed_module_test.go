//go:build !cgo || verifier_wasm || !(verifier_system || (linux && (amd64 || arm64)))

package verifier

import (
	"os"

	"github.com/libverifier/libverifier/go/internal/wasm"
)

// ZZ_WASM: run another build of the module (timing comparisons only).
func init() {
	if p := os.Getenv("ZZ_WASM"); p != "" && os.Getenv("ZZSPEED") != "" {
		wasm.Module = must(os.ReadFile(p))
	}
}
