module github.com/libverifier/libverifier/examples/go

go 1.25.0

require (
	encore.dev v1.0.0
	github.com/libverifier/libverifier/go v0.0.0
)

replace github.com/libverifier/libverifier/go => ../../go

// Compile-only stand-ins: encore.dev is not on the Go module proxy (see encorestub/README.md).
replace encore.dev => ./encorestub
