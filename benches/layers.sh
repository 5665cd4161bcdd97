#!/usr/bin/env bash
# What a binding adds: core, the C ABI and the Go package verifying the same
# RS256-2048 and ES256 tokens in one run, printed as one table (with
# golang-jwt beside the Go package).
#   bash benches/layers.sh                 # criterion `layers` group, then Go, then the table
#   bash benches/layers.sh --no-criterion  # Go and the table only (after run.sh ran `layers`)
# Further arguments go to criterion (e.g. --warm-up-time 1 --measurement-time 2).
# GO_BENCHTIME (default 1s) is go test's -benchtime, GO_COUNT (default 5) its
# -count; the table shows the median of the GO_COUNT runs. Needs go (1.25+)
# and, for the Go package's build, its dependencies from the Go module proxy.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
criterion=1
if [ "${1:-}" = "--no-criterion" ]; then
    criterion=0
    shift
fi

if [ "$criterion" = 1 ]; then
    cargo bench --manifest-path "$here/Cargo.toml" --bench verify -- '^layers/' "$@"
fi

# The Go package: go/ once it has moved there, ffi/go before.
if [ -f "$root/go/go.mod" ]; then godir="$root/go"; else godir="$root/ffi/go"; fi
mod="$(cd "$godir" && go list -m)"

# The library cgo links, built from this checkout: in go/ that is
# lib/<goos>-<goarch>/libverifier.a (go/ffi.go), made by `make go-lib` as for
# users (release profile, the workspace's target directory, not the benches');
# before the move, ffi/go linked lib/libverifier.a.
if [ -f "$root/go/go.mk" ]; then
    make -C "$root" --no-print-directory go-lib TARGET_DIR="${FFI_TARGET_DIR:-$root/target}"
else
    cargo build -q --release -p libverifier-ffi --manifest-path "$root/Cargo.toml" \
        --target-dir "${FFI_TARGET_DIR:-$root/target}"
    mkdir -p "$godir/lib"
    cp "${FFI_TARGET_DIR:-$root/target}/release/libverifier.a" "$godir/lib/libverifier.a"
fi

# Run benches/go-layer from a copy whose go.mod names the package where it is
# (its module path may change with the move; the import follows it).
work="$CARGO_TARGET_DIR/go-layer"
rm -rf "$work"
mkdir -p "$work"
cp "$here/go-layer/"*.go "$here/go-layer/go.mod" "$work/"
[ -f "$here/go-layer/go.sum" ] && cp "$here/go-layer/go.sum" "$work/"
# The Go package has no dependencies of its own today (no go.sum); its
# requirements, if it gains any, must resolve in the copy too.
if [ -f "$godir/go.sum" ]; then cat "$godir/go.sum" >> "$work/go.sum"; fi
sed -i "s#\"github.com/libverifier/libverifier/go\"#\"$mod\"#" "$work"/*.go
(
    cd "$work"
    go mod edit -droprequire=github.com/libverifier/libverifier/go \
        -dropreplace=github.com/libverifier/libverifier/go \
        -require="$mod@v0.0.0" -replace="$mod=$godir"
    go mod tidy
    # -cpu 1: GOMAXPROCS=1, one thread like the Rust rows (the collector's
    # work lands in the same time budget). Any -count runs afresh (no cache).
    # -count: GO_COUNT runs of each benchmark; bench-table takes their median.
    LAYERS_CASES="$here/data/cases.json" go test -count="${GO_COUNT:-5}" -run '^TestLayersAgree$' \
        -bench '^BenchmarkLayers$' -benchtime "${GO_BENCHTIME:-1s}" -cpu 1 .
) | tee "$CARGO_TARGET_DIR/go-layer.txt"

cargo run -q --profile bench --manifest-path "$here/Cargo.toml" --bin bench-table -- \
    "$CARGO_TARGET_DIR/criterion" --go "$CARGO_TARGET_DIR/go-layer.txt"
