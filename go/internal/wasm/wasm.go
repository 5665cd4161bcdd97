// Package wasm carries libverifier's C ABI compiled to WebAssembly
// (wasm32-unknown-unknown, 32-bit words): the library the package runs on
// wazero when cgo is off or no static library ships for the platform.
//
// verifier.wasm is a release artifact like the static libraries: `make
// go-wasm` (or `make go-module`) builds it from the Rust sources, and a
// release carries it in the tagged tree.
package wasm

import _ "embed"

// Module is the WebAssembly binary.
//
//go:embed verifier.wasm
var Module []byte
