# One entry point for people and CI. `make test` runs every test.
SHELL := /bin/bash
CARGO ?= cargo
PREFIX ?= /usr/local
TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR := $(TARGET_DIR)

.PHONY: test lint test-rust test-features test-word32 test-portable-acc test-split-acc test-wasm-combs test-alloc test-nostd

# Feature sets a device build uses: one algorithm family each, and RSA with P-256.
DEVICE_FEATURES := p256 p384 rsa rsa,p256 eddsa hmac
# Every feature of core, each linted alone (and the empty set) by `make lint`.
CORE_FEATURES := rsa rsa-large rsa-word32 rsa-portable-acc rsa-split-acc rsa-d13 ecdsa p256 p256-fe32 p384 p384-fe32 p521 eddsa hmac ec-tables ec-wasm-combs

test: lint test-rust test-features test-word32 test-portable-acc test-split-acc test-wasm-combs test-alloc test-nostd ffi-header-check ffi-test-c ffi-test-install jwks-test c-server-test go-test firmware fuzz-smoke
	@echo "make test: all suites passed"

lint:
	$(CARGO) fmt --all --check
	@# The crates outside the workspace (their own lockfiles): formatting only.
	for m in fuzz benches firmware; do \
	    $(CARGO) fmt --manifest-path $$m/Cargo.toml --check || exit 1; \
	done
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	@# The WebAssembly build the Go module embeds (ffi/src/wasm.rs is wasm-only).
	$(CARGO) clippy -p libverifier-ffi --target wasm32-unknown-unknown -- -D warnings
	@# Core with no feature, with each feature alone, and with the device
	@# builds' combinations: every one must build warning-free (a match that
	@# only compiles with some family present once broke the empty set).
	@# CORE_FEATURES must name every feature of core/Cargo.toml.
	@missing=$$(sed -n '/^\[features\]/,/^\[/s/^\([a-z0-9-]*\) *=.*/\1/p' core/Cargo.toml | \
	    grep -vx default | grep -vxF "$$(printf '%s\n' $(CORE_FEATURES))"); \
	if [ -n "$$missing" ]; then echo "lint: CORE_FEATURES lacks: $$missing"; exit 1; fi
	for f in '' $(CORE_FEATURES) $(filter-out $(CORE_FEATURES),$(DEVICE_FEATURES)); do \
	    echo "clippy: libverifier-core features [$$f]"; \
	    $(CARGO) clippy -q -p libverifier-core --no-default-features --features "$$f" --all-targets -- -D warnings || exit 1; \
	done

test-rust:
	$(CARGO) test --workspace

# Core's tests in each device feature set: the unit tests of what a device
# links, and the integration tests whose families are all present (the others
# compile to nothing, see their #![cfg]).
test-features:
	for f in $(DEVICE_FEATURES); do \
	    $(CARGO) test -p libverifier-core --no-default-features --features $$f || exit 1; \
	done

# The RSA arithmetic every Cortex-M build runs (32-bit Montgomery words), on
# the host: the monty and RSA unit tests and the RSA differential
# (Wycheproof, the `rsa` crate) with the hidden `rsa-word32` feature.
test-word32:
	$(CARGO) clippy -p libverifier-core --no-default-features --features rsa-large,rsa-word32 --all-targets -- -D warnings
	$(CARGO) test -p libverifier-core --no-default-features --features rsa-large,rsa-word32 --lib --test wycheproof_rsa
	@# The same for ECDSA: ecdsa_vartime on core's 32-bit P-256 field (every
	@# Cortex-M build) and P-384 field (the WebAssembly build).
	$(CARGO) clippy -p libverifier-core --no-default-features --features p256,p384,p256-fe32,p384-fe32 --all-targets -- -D warnings
	$(CARGO) test -p libverifier-core --no-default-features --features p256,p384,p256-fe32,p384-fe32 --lib --test ecdsa_vartime_diff

# The portable 64-bit Montgomery accumulator (aarch64 and every 64-bit target
# but x86_64, which adds with carry intrinsics): the same tests, on the host.
test-portable-acc:
	$(CARGO) clippy -p libverifier-core --no-default-features --features rsa-large,rsa-portable-acc --all-targets -- -D warnings
	$(CARGO) test -p libverifier-core --no-default-features --features rsa-large,rsa-portable-acc --lib --test wycheproof_rsa

# The WebAssembly build's RSA arithmetic on the host, with SIMD lanes in plain
# integers: its Montgomery accumulator for 2304-4096 bits (32-bit words, a dot
# product without carries: core/src/crypto/monty/acc_split.rs), then with
# `rsa-d13` its 2048-bit class (13-bit digits: core/src/crypto/monty_d13.rs).
test-split-acc:
	$(CARGO) clippy -p libverifier-core --no-default-features --features rsa-large,rsa-split-acc --all-targets -- -D warnings
	$(CARGO) test -p libverifier-core --no-default-features --features rsa-large,rsa-split-acc --lib --test wycheproof_rsa
	$(CARGO) clippy -p libverifier-core --no-default-features --features rsa-large,rsa-d13 --all-targets -- -D warnings
	$(CARGO) test -p libverifier-core --no-default-features --features rsa-large,rsa-d13 --lib --test wycheproof_rsa

# The WebAssembly build's P-256/P-384 combs (core/src/crypto/ec_tables.rs): at
# its wider widths and on its fields (core's 32-bit ones), the comb
# differential and the slot tests, on the host.
WASM_EC_FEATURES := ec-wasm-combs,p256-fe32,p384-fe32
test-wasm-combs:
	$(CARGO) clippy -p libverifier-core --features $(WASM_EC_FEATURES) --all-targets -- -D warnings
	$(CARGO) test -p libverifier-core --features $(WASM_EC_FEATURES) --test ec_tables_diff --test table_pool

# Zero allocations on every verify path, with the production feature set.
test-alloc:
	$(CARGO) test --manifest-path core/alloc-check/Cargo.toml --target-dir $(TARGET_DIR)/alloc-check

# A #![no_std] staticlib with no global allocator builds, links into C, and verifies.
test-nostd:
	$(CARGO) build --release --manifest-path core/nostd-check/Cargo.toml --target-dir $(TARGET_DIR)/nostd-check
	gcc -O2 -Wall -Wextra -o $(TARGET_DIR)/nostd-check/nostd-main core/nostd-check/main.c \
	    $(TARGET_DIR)/nostd-check/release/libnostd_check.a
	$(TARGET_DIR)/nostd-check/nostd-main

# C ABI: ffi-lib, ffi-header, ffi-header-check, ffi-test-c, install, ffi-test-install, example-c.
include ffi/ffi.mk

# Go module (go/): go-module, go-lib, go-header(-check), go-test, go-consumer-test, go-bench.
include go/go.mk

# Fuzzing (fuzz/, cargo-fuzz + libFuzzer; nightly, or stable with RUSTC_BOOTSTRAP=1).
# `make fuzz-smoke`: every target for 60 s (or FUZZ_SECONDS) each, as CI does.
# `make fuzz FUZZ_SECONDS=600`: every target for the given time (default 600 s) each.
# Both end with a table of executions, coverage, corpus size and crashes.
.PHONY: fuzz fuzz-smoke
fuzz-smoke:
	scripts/fuzz-all.sh $(or $(FUZZ_SECONDS),60)

fuzz:
	scripts/fuzz-all.sh $(or $(FUZZ_SECONDS),600)

# Cortex-M4 and Cortex-M0 firmware under QEMU; fails on any wrong verdict (firmware/README.md).
# Needs: apt-get install rustc-web cargo-web rust-web-src qemu-system-arm binutils-arm-none-eabi
# `make firmware-table`: every build variant at opt-level z and 3, with the table of figures;
# `make firmware-readme`: the same, and the table written into firmware/README.md.
.PHONY: firmware firmware-table firmware-readme
firmware:
	scripts/firmware-run.sh
firmware-table:
	scripts/firmware-table.sh
firmware-readme:
	FW_UPDATE_README=1 scripts/firmware-table.sh

# Criterion benches vs jsonwebtoken (aws-lc-rs, RustCrypto) and jwt-simple, then the ratio table.
# Needs cmake, clang, libclang-dev (BoringSSL for jwt-simple). Not part of `make test`.
.PHONY: bench bench-layers
bench:
	bash benches/run.sh
# Core, the C ABI and the Go package on the same RS256 and ES256 tokens (needs go).
bench-layers:
	bash benches/layers.sh
