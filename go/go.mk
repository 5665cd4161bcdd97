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
#   make go-test          the header check, gofmt, go vet, the module's tests on both backends
#                         (cgo -race, WebAssembly -race, CGO_ENABLED=0; the cgo backend's
#                         yield count also without -race, see GO_NORACE_TESTS), examples/go,
#                         the bench module's tests, the consumer test and go-test-system
#   make go-release VERSION=vX.Y.Z DIST=DIR   the module as a GOPROXY serves it, and the tag recipe
#   make go-consumer-test a module outside the repository does `go get` of a release of the
#                         work tree from a file GOPROXY, with no Rust, and builds it for every
#                         platform and backend; the linux/amd64 binaries serve 200/401
#   make go-test-system   the verifier_system build tag: the installed library via pkg-config
#   make go-bench         both backends against golang-jwt v5 and keyfunc v3 (go/bench), one run

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

# The cgo tests that only check something without -race: under -race sync.Pool
# drops a quarter of what is put back, and cgoyield.go keeps a goroutine's run
# of verifications in the pooled claims buffer, so TestVerifyYieldsInBackToBackLoop
# counts the yields only in a build without it.
GO_NORACE_TESTS := TestCgoRun|TestVerifyYields

.PHONY: go-module go-lib go-wasm go-header go-header-check go-test go-consumer-test go-test-system go-bench

# One static library per platform: release (fat LTO), --locked, stripped of
# debug info and of the symbols no relocation needs (about 100 KB less in a
# program's symbol table).
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
	$(GO_STRIP_$(GO_TRIPLE)) --strip-unneeded -o $(GO_MOD)/lib/$(GO_PLATFORM)/libverifier.a \
	    $(TARGET_DIR)/$(GO_TRIPLE)/release/libverifier.a

go-header:
	cp include/verifier.h $(GO_MOD)/include/verifier.h

go-header-check:
	@cmp -s include/verifier.h $(GO_MOD)/include/verifier.h || \
	    { echo "go/include/verifier.h is stale: run 'make go-header'"; exit 1; }

# -count=1: go's test cache does not see a rebuilt libverifier.a. The
# module's tests run on each backend: cgo, WebAssembly with the race
# detector (-tags verifier_wasm: -race needs cgo), and WebAssembly as a
# CGO_ENABLED=0 build gets it.
go-test: go-header-check go-lib go-wasm
	@unformatted=$$(gofmt -l $(GO_MOD) $(GO_EXAMPLE) scripts/go-release); \
	    if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	cd $(GO_MOD) && $(GO) vet ./... && $(GO) vet -tags verifier_wasm ./... && CGO_ENABLED=0 $(GO) vet ./...
	cd $(GO_MOD) && $(GO) test -race -count=1 ./...
	cd $(GO_MOD) && $(GO) test -count=1 -run '$(GO_NORACE_TESTS)' .
	cd $(GO_MOD) && $(GO) test -race -tags verifier_wasm -count=1 ./...
	cd $(GO_MOD) && CGO_ENABLED=0 $(GO) test -count=1 ./...
	cd $(GO_EXAMPLE) && $(GO) vet ./... && $(GO) test -race -count=1 ./...
	cd $(GO_EXAMPLE) && CGO_ENABLED=0 $(GO) test -count=1 ./...
	cd $(GO_BENCH) && $(GO) vet ./... && $(GO) test -count=1 ./...
	cd scripts/go-release && $(GO) vet ./...
	$(MAKE) --no-print-directory go-consumer-test
	$(MAKE) --no-print-directory go-test-system

# make go-release VERSION=vX.Y.Z DIST=DIR: the module at VERSION in a GOPROXY
# tree under DIR/goproxy (@v/list, .info, .mod, .zip made as the proxy makes
# it from the tag), from a release commit adding the artifacts to HEAD; prints
# sizes, sha256, go.sum lines and the tag recipe (scripts/go-release.sh).
.PHONY: go-release
go-release: go-module
	@[ -n "$(VERSION)" ] && [ -n "$(DIST)" ] || { echo "usage: make go-release VERSION=vX.Y.Z DIST=DIR"; exit 1; }
	scripts/go-release.sh $(VERSION) $(DIST)

# A release of the work tree as it is (tracked changes included), fetched
# with `go get` by a module outside the repository: every platform and
# backend, 200/401 on loopback, sizes against golang-jwt + keyfunc.
GO_TEST_VERSION := v0.1.0-test
GO_TEST_DIST := $(TARGET_DIR)/go-release-test
go-consumer-test: go-module
	rm -rf $(GO_TEST_DIST)
	cd $(GO_MOD) && $(GO) mod download
	cd $(GO_BENCH) && $(GO) mod download
	GO_RELEASE_ALLOW_DIRTY=1 scripts/go-release.sh $(GO_TEST_VERSION) $(GO_TEST_DIST)
	GO="$(GO)" go/testdata/consumer/run.sh $(GO_TEST_DIST)/goproxy $(GO_TEST_VERSION) $(CURDIR)/examples $(CURDIR)/$(GO_BENCH)

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

# Both backends and the peers in one run, headed by the CPU: the cgo backend
# with golang-jwt (fixed key and keyfunc), then the WebAssembly backend.
# "-parallel" is RunParallel over GOMAXPROCS goroutines (2 here).
go-bench: go-lib go-wasm
	@echo "CPU: $$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $$(nproc) CPUs, GOMAXPROCS $${GOMAXPROCS:-$$(nproc)}"
	cd $(GO_BENCH) && $(GO) test -run '^$$' -bench . -benchmem -benchtime $(GO_BENCHTIME) -count=1 .
	cd $(GO_BENCH) && $(GO) test -tags verifier_wasm -run '^$$' -bench 'Verify/.*/libverifier' -benchmem -benchtime $(GO_BENCHTIME) -count=1 .
