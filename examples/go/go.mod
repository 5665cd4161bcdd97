module github.com/libverifier/libverifier/examples/go

go 1.25.0

require github.com/libverifier/libverifier/ffi/go v0.0.0

replace github.com/libverifier/libverifier/ffi/go => ../../ffi/go
