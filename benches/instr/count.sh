#!/usr/bin/env bash
# Instructions per call of each step (default: all), exact and independent of
# machine load: callgrind totals of 12000 and 2000 iterations, differenced.
#   bash benches/instr/count.sh [overhead b64 header json claims hit]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
cargo build -q --release --manifest-path "$here/Cargo.toml"
bin="$CARGO_TARGET_DIR/release/libverifier-instr"
steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(overhead b64 header json claims hit)
total() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 |
        awk '/Collected/{print $4}'
}
for s in "${steps[@]}"; do
    a=$(total "$s" 2000)
    b=$(total "$s" 12000)
    echo "$s: $(( (b - a) / 10000 )) instructions per call"
done
