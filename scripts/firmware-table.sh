#!/usr/bin/env bash
# Build every firmware variant at opt-level z and 3 (more with FW_PROFILES), run
# each under QEMU (failing on a wrong verdict), and print the table of figures:
#   flash   = .vector_table + .text + .rodata + .data (what the part stores)
#   static  = .data + .bss + .uninit (RAM taken before main runs)
#   buffers = the caller's, in static RAM: Verifier<N> + scratch buffer (so
#             static - buffers is what anything else holds: alignment only)
#   key-load stack = deepest stack of loading the pinned keys, beyond the caller's frame
#   verify stack = deepest stack of one verify() call beyond its caller's frame
#   peak stack   = whole run, from cortex-m-rt's paint-stack (key loading included)
#   insns   = guest instructions for one full verification of a valid token, and
#             for loading every key (QEMU plugin firmware/qemu/insncount.c,
#             between marker functions)
# Prints (and writes to FW_TABLE) a markdown block: a line naming the toolchain,
# QEMU and the core commit measured, the table, and the issue's targets met or
# missed. FW_UPDATE_README=1 (`make firmware-readme`) also puts that block into
# firmware/README.md, between its firmware-table markers.
# Environment: FW_PROFILES="release release-o3 ..." FW_VARIANTS="m4-es256 ..." FW_TABLE=path
#   FW_SHA2_UNROLLED=1 (see firmware-lib.sh). Profiles (firmware/Cargo.toml): release (z),
#   release-o3, release-s, release-zfast (z, EC/bignum crates at 3), release-zp256 (z, p256 at 3).
set -euo pipefail
source "$(dirname "$0")/firmware-lib.sh"
fw_require

ALL_VARIANTS=(
    "m4-es256 thumbv7em-none-eabihf es256"
    "m4-rs256 thumbv7em-none-eabihf rs256"
    "m4-both thumbv7em-none-eabihf es256,rs256"
    "m0-es256 thumbv6m-none-eabi es256"
    "m0-both thumbv6m-none-eabi es256,rs256"
    # Not in the default set: RSA with the 3072/4096-bit classes, for its cost.
    "m4-rs256-large thumbv7em-none-eabihf rs256,rsa-large"
)
PROFILES=(${FW_PROFILES:-release release-o3})
WANT=" ${FW_VARIANTS:-m4-es256 m4-rs256 m4-both m0-es256 m0-both} "
TABLE="${FW_TABLE:-$FW_OUT/table.md}"

mkdir -p "$FW_OUT"
PLUGIN="$FW_OUT/libinsncount.so"
gcc -O2 -shared -fPIC -fvisibility=hidden -o "$PLUGIN" "$FW_DIR/qemu/insncount.c"

opt_of() {
    case "$1" in
        release) echo z ;;
        release-o3) echo 3 ;;
        release-s) echo s ;;
        release-zfast) echo "z, math 3" ;;
        release-zp256) echo "z, p256 3" ;;
        *) echo "$1" ;;
    esac | sed "s/\$/${FW_TAG:+, unrolled sha2}/"
}

section() { # section ELF NAME -> size in bytes (0 if absent)
    arm-none-eabi-size -A "$1" | awk -v s="$2" '$1 == s { print $2; found = 1 } END { if (!found) print 0 }'
}

addr() { arm-none-eabi-nm "$1" | awk -v s="$2" '$3 == s { print "0x" $1 }'; }

insns() { # insns TRIPLE ELF WINDOW -> instructions between fw_mark_WINDOW_start and _stop
    local start stop
    start=$(addr "$2" "fw_mark_$3_start")
    stop=$(addr "$2" "fw_mark_$3_stop")
    fw_qemu "$1" -plugin "$PLUGIN,start=$start,stop=$stop" -kernel "$2" 2>&1 >/dev/null |
        sed -n 's/.*insns_window=\([0-9]*\) window_entries=1$/\1/p'
}

fig() { sed -n "s/^fw\.$1=//p" <<<"$2"; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
mi() { [ -n "$1" ] && awk -v n="$1" 'BEGIN { printf "%.2fM", n / 1e6 }' || echo "-"; }

rows=()
checks=()
failed=0
for v in "${ALL_VARIANTS[@]}"; do
    read -r name triple features <<<"$v"
    [[ "$WANT" == *" $name "* ]] || continue
    for profile in "${PROFILES[@]}"; do
        echo "building $name ($features) $profile ..." >&2
        fw_build "$name" "$triple" "$features" "$profile"
        elf="$FW_OUT/$name-$profile$FW_TAG.elf"
        flash=$(( $(section "$elf" .vector_table) + $(section "$elf" .text) + $(section "$elf" .rodata) + $(section "$elf" .data) ))
        if ! run=$(fw_qemu "$triple" -kernel "$elf" 2>&1); then
            echo "$run" >&2
            echo "firmware $name $profile: WRONG VERDICT OR CRASH" >&2
            why="wrong verdict"
            grep -q Lockup <<<"$run" && why="crashed (stack overflow: Lockup)"
            grep -q "stack overflowed" <<<"$run" && why="stack overflowed into static RAM"
            rows+=("| $name | $(opt_of "$profile") | $(kb "$flash") KB | $why | | | | | | | |")
            checks+=("$name opt $(opt_of "$profile"): runs with every verdict right: MISSED ($why)")
            failed=1
            continue
        fi
        static=$(( $(section "$elf" .data) + $(section "$elf" .bss) + $(section "$elf" .uninit) ))
        buffers=$(( $(fig verifier_bytes "$run") + $(fig scratch_bytes "$run") ))
        kstack=$(fig stack_key_load "$run")
        vstack=$(fig stack_verify_max "$run")
        peak=$(fig stack_peak "$run")
        es="" rs=""
        [[ "$features" == *es256* ]] && es=$(insns "$triple" "$elf" es256)
        [[ "$features" == *rs256* ]] && rs=$(insns "$triple" "$elf" rs256)
        keys=$(insns "$triple" "$elf" keys)
        opt=$(opt_of "$profile")
        rows+=("| $name | $opt | $(kb "$flash") KB | $static B | $buffers B | $kstack B | $vstack B | $peak B | $(mi "$es") | $(mi "$rs") | $(mi "$keys") |")

        # The issue's targets, checked where they apply.
        ok() { if [ "$1" -eq 1 ]; then echo met; else echo MISSED; fi; }
        # The issue sets the ES256 budget (flash, stack, RAM, instructions) for the
        # opt-level z build; the opt 3 row is reported for comparison only.
        # Issue 26 halved the instruction budgets: 3.5 M for ES256 on the M4 within
        # the same 48 KB and 8 KB, 15 M on the M0 within 64 KB of flash, and
        # 1.3 M for RS256 on the M4 within its former 38.4 KB of flash plus 4 KB.
        if [ "$name" = m4-es256 ] && [ "$opt" = z ]; then
            checks+=("m4-es256 opt $opt: flash $(kb "$flash") KB <= 48 KB: $(ok $((flash <= 48 * 1024)))")
            checks+=("m4-es256 opt $opt: peak stack $peak B <= 8192 B: $(ok $((peak <= 8192)))")
            checks+=("m4-es256 opt $opt: static RAM beyond the caller's buffers $((static - buffers)) B == 0 (up to 3 B of alignment): $(ok $((static - buffers < 4)))")
            checks+=("m4-es256 opt $opt: $(mi "$es") instructions <= 3.5M: $(ok $((es <= 3500000)))")
        fi
        if [ "$name" = m4-rs256 ]; then
            checks+=("m4-rs256 opt $opt: peak stack $peak B <= 8192 B: $(ok $((peak <= 8192)))")
        fi
        if [ "$name" = m4-rs256 ] && [ "$opt" = z ]; then
            checks+=("m4-rs256 opt $opt: flash $(kb "$flash") KB <= 42.4 KB: $(ok $((flash * 10 <= 424 * 1024)))")
            checks+=("m4-rs256 opt $opt: $(mi "$rs") instructions <= 1.3M: $(ok $((rs <= 1300000)))")
        fi
        if [ "$name" = m0-es256 ] && [ "$opt" = z ]; then
            checks+=("m0-es256 opt $opt: flash $(kb "$flash") KB <= 64 KB: $(ok $((flash <= 64 * 1024)))")
            checks+=("m0-es256 opt $opt: $(mi "$es") instructions <= 15M: $(ok $((es <= 15000000)))")
        fi
        if [[ "$name" == m0-* ]]; then
            checks+=("$name opt $opt: static $static B + peak stack $peak B in 16 KiB RAM: $(ok $((static + peak <= 16384)))")
        fi
    done
done

# What was measured: the last commit touching core/ (and whether core/ or
# firmware/ had uncommitted changes), the compiler and QEMU.
core_rev=$(cd "$FW_ROOT" && TZ=UTC git log -1 --format='%h, %cd' \
    --date=format-local:'%Y-%m-%d %H:%M UTC' -- core 2>/dev/null || echo unknown)
if [ -n "$(cd "$FW_ROOT" && git status --porcelain -- core firmware 2>/dev/null)" ]; then
    core_rev="$core_rev, with uncommitted changes"
fi
qemu_ver=$(qemu-system-arm --version | sed -n '1s/.*version \([0-9.]*\).*/\1/p')
rustc_ver=$("$RUSTC" --version | awk '{ print $2 }')
sha2_rounds=compact
[ -n "$FW_TAG" ] && sha2_rounds=unrolled

block=$(
    echo "Measured by \`scripts/firmware-table.sh\` on QEMU $qemu_ver (\`mps2-an386\` Cortex-M4,"
    echo "\`microbit\` Cortex-M0), Debian rustc $rustc_ver, sha2 with $sha2_rounds rounds,"
    echo "core at $core_rev:"
    echo
    echo "| build | opt | flash | static RAM | caller buffers | key-load stack | verify stack | peak stack | ES256 verify | RS256 verify | key load |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Against the issue's targets:"
    echo
    printf -- '- %s\n' "${checks[@]}"
)
printf '%s\n' "$block" | tee "$TABLE"

# Splice the block into the README between its markers (lines of their own).
if [ "${FW_UPDATE_README:-0}" = 1 ]; then
    readme="$FW_DIR/README.md"
    begin='<!-- firmware-table: begin (scripts/firmware-table.sh writes this block) -->'
    end='<!-- firmware-table: end -->'
    if ! grep -qxF "$begin" "$readme" || ! grep -qxF "$end" "$readme"; then
        echo "firmware-table: no markers in $readme; not updated" >&2
        exit 1
    fi
    BLOCK="$block" awk -v b="$begin" -v e="$end" '
        $0 == b { print; print ENVIRON["BLOCK"]; skip = 1; next }
        $0 == e { skip = 0 }
        !skip { print }' "$readme" >"$readme.tmp" && mv "$readme.tmp" "$readme"
    echo "firmware-table: updated $readme" >&2
fi
exit $failed
