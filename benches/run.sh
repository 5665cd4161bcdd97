#!/usr/bin/env bash
# Run every benchmark (CPU time per call, criterion) and print the tables:
# libverifier against jsonwebtoken (aws-lc-rs keyed from PEM and from JWK,
# RustCrypto) and jwt-simple, C ABI throughput, and the layers (core, C ABI,
# and the Go package when `go` is installed), each headed by the machine.
#   bash benches/run.sh            # everything (about 8 minutes)
#   bash benches/run.sh ES256      # a criterion filter (no Go layer)
# Needs cmake, a C/C++ compiler and libclang (BoringSSL, for jwt-simple):
#   apt-get install -y cmake clang libclang-dev
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
cargo bench --manifest-path "$here/Cargo.toml" --bench verify -- "$@"
# Same profile as the benches: no second build of the peers' C code.
cargo run -q --profile bench --manifest-path "$here/Cargo.toml" --bin bench-table -- "$CARGO_TARGET_DIR/criterion"
if [ "$#" -eq 0 ] && command -v go >/dev/null; then
    bash "$here/layers.sh" --no-criterion
fi
