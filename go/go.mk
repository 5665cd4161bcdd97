# Go module targets (included by the root Makefile; run from the repository root).
#   make go-module        the module folder go/ complete for users: header synced from
#                         include/verifier.h, and one stripped static library per platform,
#                         go/lib/<goos>-<goarch>/libverifier.a (git-ignored: a release
#                         artifact, see go/README.md), sizes and sha256 printed
#   make go-lib           only linux/amd64 (what tests on this machine link)
#   make go-wasm          the WebAssembly backend's module, go/internal/wasm/verifier.wasm
#                         (wasm32-unknown-unknown, 32-bit words; git-ignored like the libraries)
#   make go-header        copy include/verifier.h into the module
#   make go-header-check  fail if the module's header copy is stale
#   make go-test          the header check, gofmt, go vet, go test -race (module, examples/go,
#                         bench module's tests), the CGO_ENABLED=0 message, the consumer
#                         test and go-test-system
#   make go-consumer-test a module outside the repository builds against go/ with no Rust
#                         and no network, links statically, dynamically and vendored, and
#                         serves 200/401 on loopback
#   make go-test-system   the verifier_system build tag: the installed library via pkg-config
#   make go-bench         benchmarks against golang-jwt v5 and keyfunc v3 (go/bench)

GO ?= go
GO_MOD := go
GO_EXAMPLE := examples/go
GO_BENCH := go/bench
GO_BENCHTIME ?= 1s
AARCH64_CC ?= aarch64-linux-gnu-gcc
# Each archive is stripped by its own target's binutils (the host strip cannot
# read every aarch64 object, and silently leaves them as they were).
GO_STRIP_x86_64-unknown-linux-gnu := $(STRIP)
GO_STRIP_aarch64-unknown-linux-gnu := aarch64-linux-gnu-strip

# Rust target triple -> Go platform folder.
GO_PLATFORMS := x86_64-unknown-linux-gnu:linux-amd64 aarch64-unknown-linux-gnu:linux-arm64

# Built for an explicit --target, so these flags never reach build scripts and
# the host's target/release stays as the other targets left it. Path remapping
# keeps the checkout, target and cargo directories out of the archive (panic
# locations), so the same sources give the same library wherever they are
# built (the last matching remap wins: the target directory's comes last).
GO_RUSTFLAGS := --remap-path-prefix=$(HOME)/.cargo=/cargo --remap-path-prefix=$(HOME)/.rustup=/rustup \
    --remap-path-prefix=$(CURDIR)=/libverifier --remap-path-prefix=$(TARGET_DIR)=/target

GO_WASM := $(GO_MOD)/internal/wasm/verifier.wasm

.PHONY: go-module go-lib go-wasm go-header go-header-check go-test go-consumer-test go-test-system go-bench

# One static library per platform: release, --locked, debug info stripped.
# `cargo rustc --crate-type staticlib` builds only the archive (no cdylib link,
# so the cross target needs no target libc to produce it).
go-module: go-header go-wasm
	@for p in $(GO_PLATFORMS); do \
	    $(MAKE) --no-print-directory go-lib-one GO_TRIPLE=$${p%%:*} GO_PLATFORM=$${p##*:} || exit 1; \
	done
	@echo "Go module artifacts:"
	@for f in $(foreach p,$(GO_PLATFORMS),$(GO_MOD)/lib/$(lastword $(subst :, ,$(p)))/libverifier.a) $(GO_WASM); do \
	    printf '  %-40s %9d bytes  sha256 %s\n' $$f $$(stat -c %s $$f) $$(sha256sum $$f | cut -d' ' -f1); \
	done

# The ffi crate as a wasm32 cdylib: no imports, the C ABI plus vf_wasm_alloc/free.
# simd128 (WebAssembly 2.0, which wazero runs): RSA's Montgomery dot product
# takes four word products per step (core/src/crypto/monty/acc_split.rs),
# RS256 about 300 -> 240 us here; EdDSA about 10% faster (autovectorised).
GO_WASM_RUSTFLAGS := -C target-feature=+simd128
go-wasm:
	CARGO_PROFILE_RELEASE_DEBUG=0 RUSTFLAGS="$(GO_RUSTFLAGS) $(GO_WASM_RUSTFLAGS) -C strip=debuginfo" \
	    $(CARGO) rustc --release --locked -p libverifier-ffi --lib --crate-type cdylib --target wasm32-unknown-unknown
	@mkdir -p $(dir $(GO_WASM))
	cp $(TARGET_DIR)/wasm32-unknown-unknown/release/verifier.wasm $(GO_WASM)

# Leaves the header alone, so that go-test's freshness check means something.
go-lib:
	@$(MAKE) --no-print-directory go-lib-one GO_TRIPLE=x86_64-unknown-linux-gnu GO_PLATFORM=linux-amd64

.PHONY: go-lib-one
go-lib-one:
	CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=$(AARCH64_CC) RUSTFLAGS="$(GO_RUSTFLAGS)" \
	    $(CARGO) rustc --release --locked -p libverifier-ffi --lib --crate-type staticlib --target $(GO_TRIPLE)
	@mkdir -p $(GO_MOD)/lib/$(GO_PLATFORM)
	$(GO_STRIP_$(GO_TRIPLE)) --strip-debug -o $(GO_MOD)/lib/$(GO_PLATFORM)/libverifier.a \
	    $(TARGET_DIR)/$(GO_TRIPLE)/release/libverifier.a

go-header:
	cp include/verifier.h $(GO_MOD)/include/verifier.h

go-header-check:
	@cmp -s include/verifier.h $(GO_MOD)/include/verifier.h || \
	    { echo "go/include/verifier.h is stale: run 'make go-header'"; exit 1; }

# -count=1: go's test cache does not see a rebuilt libverifier.a.
go-test: go-header-check go-lib
	@unformatted=$$(gofmt -l $(GO_MOD) $(GO_EXAMPLE)); \
	    if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	cd $(GO_MOD) && $(GO) vet ./... && $(GO) test -race -count=1 ./...
	cd $(GO_EXAMPLE) && $(GO) vet ./... && $(GO) test -race -count=1 ./...
	cd $(GO_BENCH) && $(GO) vet ./... && $(GO) test -count=1 ./...
	@# Without cgo the build stops at one sentence, not at a missing symbol.
	cd $(GO_MOD) && ! CGO_ENABLED=0 $(GO) build ./... 2>$(TARGET_DIR)/go-nocgo.txt
	grep -q 'libverifier needs cgo: build with CGO_ENABLED=1 and a C compiler' $(TARGET_DIR)/go-nocgo.txt
	$(MAKE) --no-print-directory go-consumer-test
	$(MAKE) --no-print-directory go-test-system

# Both platforms: the arm64 library is linked into an arm64 binary too.
go-consumer-test: go-module
	GO="$(GO)" go/testdata/consumer/run.sh $(CURDIR)/$(GO_MOD) $(CURDIR)/examples

# -tags verifier_system: the installed library (make install) through pkg-config,
# here a temporary prefix; the test binary loads its libverifier.so.
GO_SYS_PREFIX := $(TARGET_DIR)/go-system-prefix
go-test-system:
	rm -rf $(GO_SYS_PREFIX)
	$(MAKE) --no-print-directory install PREFIX=$(GO_SYS_PREFIX) >/dev/null
	cd $(GO_MOD) && PKG_CONFIG_PATH=$(GO_SYS_PREFIX)/lib/pkgconfig \
	    $(GO) test -c -tags verifier_system -o $(GO_SYS_PREFIX)/verifier.test .
	readelf -d $(GO_SYS_PREFIX)/verifier.test | grep -q 'NEEDED.*\[libverifier\.so\.0\]'
	cd $(GO_MOD) && LD_LIBRARY_PATH=$(GO_SYS_PREFIX)/lib $(GO_SYS_PREFIX)/verifier.test -test.run 'Example|TestEveryAlgorithm'

go-bench: go-lib
	cd $(GO_BENCH) && $(GO) test -run '^$$' -bench . -benchmem -benchtime $(GO_BENCHTIME) -count=1 .
