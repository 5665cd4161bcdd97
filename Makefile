# One entry point for people and CI. `make test` runs every test.
SHELL := /bin/bash
CARGO ?= cargo
PREFIX ?= /usr/local
TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR := $(TARGET_DIR)

.PHONY: test lint test-rust test-alloc test-nostd

test: lint test-rust test-alloc test-nostd ffi-header-check ffi-test-c ffi-test-install go-test firmware
	@echo "make test: all suites passed"

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	@# Device builds carry one family each: keep every feature set warning-free.
	for f in p256 p384 rsa rsa,p256 eddsa hmac; do \
	    $(CARGO) clippy -p libverifier-core --no-default-features --features $$f -- -D warnings || exit 1; \
	done

test-rust:
	$(CARGO) test --workspace

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

# Go package: go-lib, go-test, go-bench.
include ffi/go/go.mk

# Cortex-M4 and Cortex-M0 firmware under QEMU; fails on any wrong verdict (firmware/README.md).
# Needs: apt-get install rustc-web cargo-web rust-web-src qemu-system-arm binutils-arm-none-eabi
# `make firmware-table`: every build variant at opt-level z and 3, with the table of figures.
.PHONY: firmware firmware-table
firmware:
	scripts/firmware-run.sh
firmware-table:
	scripts/firmware-table.sh

# Criterion benches vs jsonwebtoken (aws-lc-rs, RustCrypto) and jwt-simple, then the ratio table.
# Needs cmake, clang, libclang-dev (BoringSSL for jwt-simple). Not part of `make test`.
.PHONY: bench
bench:
	bash benches/run.sh
