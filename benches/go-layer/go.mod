// What a Go caller pays on top of the C ABI: the Go package and golang-jwt
// on the benches' own tokens (layers.sh runs it, in a copy whose go.mod points
// at wherever the package lives: go/, or ffi/go before the move).
module libverifier.invalid/benches/go-layer

go 1.25.0

require (
	github.com/golang-jwt/jwt/v5 v5.3.1
	github.com/libverifier/libverifier/go v0.0.0
)

replace github.com/libverifier/libverifier/go => ../../go
