#!/usr/bin/env bash
# Run one cargo-fuzz target for a given time:  scripts/fuzz-run.sh TARGET SECONDS [libFuzzer args...]
#
# Uses the nightly toolchain when installed, else stable with RUSTC_BOOTSTRAP=1
# (cargo-fuzz's instrumentation flags need it). The run's corpus grows in
# fuzz/corpus/TARGET (gitignored) starting from the committed fuzz/seeds/TARGET;
# crashes land in fuzz/artifacts/TARGET. The exit status is libFuzzer's:
# non-zero on a crash, a leak, a timeout or an out-of-memory.
#
# Environment: FUZZ_TARGET_DIR (default fuzz/target); FUZZ_FEATURES (more
# features of the fuzz crate, e.g. wasm-rsa).
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 TARGET [SECONDS] [libFuzzer args...]" >&2
    exit 2
fi
target=$1
secs=${2:-60}
shift $(( $# >= 2 ? 2 : 1 ))

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if cargo +nightly --version >/dev/null 2>&1; then
    toolchain=(+nightly)
else
    toolchain=()
    export RUSTC_BOOTSTRAP=1
fi

# The rsa crate is the oracle of rsa_diff only: other targets build without it
# so that their zero-allocation assertions see the production feature set.
# The ffi target links the C ABI crate, which allocates by design.
# FUZZ_FEATURES adds more of the fuzz crate's features (cargo-fuzz takes
# one comma list), e.g. wasm-rsa for rsa_diff.
list=${FUZZ_FEATURES:-}
case $target in
    rsa_diff) list=oracle-rsa${list:+,$list} ;;
    ffi) list=ffi${list:+,$list} ;;
esac
features=()
if [ -n "$list" ]; then
    features=(--features "$list")
fi

export CARGO_TARGET_DIR=${FUZZ_TARGET_DIR:-$root/fuzz/target}
corpus=fuzz/corpus/$target
artifacts=fuzz/artifacts/$target
seeds=fuzz/seeds/$target
mkdir -p "$corpus" "$artifacts" "$seeds"

# -s none: the core is safe Rust, so ASan buys little and halves throughput;
# -a: debug assertions, so integer overflow in the core is a crash.
exec cargo "${toolchain[@]}" fuzz run --fuzz-dir fuzz -s none -a "${features[@]}" \
    "$target" "$corpus" "$seeds" -- \
    -max_total_time="$secs" -dict=fuzz/jose.dict -print_final_stats=1 \
    -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/" "$@"
