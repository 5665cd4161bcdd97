module github.com/libverifier/libverifier/examples/go

go 1.25.0

require (
	encore.dev v1.0.0
	github.com/libverifier/libverifier/go v0.0.0
)

require (
	github.com/tetratelabs/wazero v1.12.0 // indirect
	golang.org/x/sys v0.44.0 // indirect
)

replace github.com/libverifier/libverifier/go => ../../go

// Compile-only stand-ins: encore.dev is not on the Go module proxy (see encorestub/README.md).
replace encore.dev => ./encorestub
