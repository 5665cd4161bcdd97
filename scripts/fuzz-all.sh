#!/usr/bin/env bash
# Run every fuzz target in turn for SECONDS each and print a table of
# executions, coverage (libFuzzer's cov: edges, ft: features), corpus size and
# crashes:  scripts/fuzz-all.sh SECONDS [TARGET...]
#
# Runs all targets even after a crash; exits non-zero if any target failed.
# Logs go to fuzz/target/logs/TARGET.log (gitignored), or FUZZ_LOG_DIR.
set -uo pipefail

secs=${1:-60}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(verify_token verify_structured cache keys json rsa_diff ecdsa_diff ed25519_diff)
    # The C ABI target needs the ffi crate (built by another part of the tree).
    if [ -f ffi/Cargo.toml ] && [ -f fuzz/fuzz_targets/ffi.rs ]; then
        targets+=(ffi)
    fi
fi

logs=${FUZZ_LOG_DIR:-fuzz/target/logs}
mkdir -p "$logs"
status=0
rows=()
for t in "${targets[@]}"; do
    before=$(ls "fuzz/artifacts/$t" 2>/dev/null | wc -l)
    echo "== $t: ${secs}s" >&2
    if scripts/fuzz-run.sh "$t" "$secs" >"$logs/$t.log" 2>&1; then
        verdict=ok
    else
        verdict=FAILED
        status=1
        tail -n 40 "$logs/$t.log" >&2
    fi
    after=$(ls "fuzz/artifacts/$t" 2>/dev/null | wc -l)
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$logs/$t.log" | tail -1 | grep -o '[0-9]*$')
    last=$(grep -E '^#[0-9]+' "$logs/$t.log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*$')
    ft=$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*$')
    corp=$(grep -o 'corp: [0-9]*' <<<"$last" | grep -o '[0-9]*$')
    rows+=("$(printf '%-18s %8s %12s %7s %7s %7s %7s' "$t" "$verdict" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$((after - before))")")
done
printf '%-18s %8s %12s %7s %7s %7s %7s\n' target verdict executions cov ft corpus crashes
printf '%s\n' "${rows[@]}"
exit $status
