# Go package targets (included by the root Makefile; run from the repository root).
#   make go-lib     build libverifier.a (cargo) and copy it where cgo links it: ffi/go/lib/
#   make go-test    go-lib, then gofmt, go vet and go test -race in ffi/go and examples/go
#   make go-bench   benchmarks against golang-jwt (fixed key and keyfunc/jwkset)

GO ?= go
GO_PKG := ffi/go
GO_EXAMPLE := examples/go
GO_BENCHTIME ?= 2s

.PHONY: go-lib go-test go-bench

# cgo links ffi/go/lib/libverifier.a by path (a fixed place whatever TARGET_DIR is).
go-lib:
	$(CARGO) build --release -p libverifier-ffi
	@mkdir -p $(GO_PKG)/lib
	cp $(TARGET_DIR)/release/libverifier.a $(GO_PKG)/lib/libverifier.a

# -count=1: go's test cache does not see a rebuilt libverifier.a.
go-test: go-lib
	@unformatted=$$(gofmt -l $(GO_PKG) $(GO_EXAMPLE)); \
	    if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	cd $(GO_PKG) && $(GO) vet ./... && $(GO) test -race -count=1 ./...
	cd $(GO_EXAMPLE) && $(GO) vet ./... && $(GO) test -race -count=1 ./...

go-bench: go-lib
	cd $(GO_PKG) && $(GO) test -run '^$$' -bench . -benchmem -benchtime $(GO_BENCHTIME) -count=1 .
