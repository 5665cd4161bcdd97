# Shared by scripts/firmware-run.sh and scripts/firmware-table.sh (sourced, not run).
#
# The firmware builds with Debian's rustc (apt: rustc-web cargo-web rust-web-src),
# the one toolchain here whose library source `-Zbuild-std=core` can compile;
# RUSTC_BOOTSTRAP=1 lets its stable cargo take the -Z flags of firmware/.cargo/config.toml.

FW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FW_DIR="$FW_ROOT/firmware"
# Its own target dir: the root Makefile exports CARGO_TARGET_DIR for host builds.
export CARGO_TARGET_DIR="${FW_TARGET_DIR:-$FW_DIR/target}"
export RUSTC_BOOTSTRAP=1
export RUSTC="${FW_RUSTC:-/usr/bin/rustc}"
export RUSTDOC="${FW_RUSTDOC:-/usr/bin/rustdoc}"
FW_CARGO="${FW_CARGO:-/usr/bin/cargo}"
FW_OUT="${FW_OUT:-$CARGO_TARGET_DIR/fw-out}"
# firmware/.cargo/config.toml builds sha2 with its compact rounds (smaller,
# and the hash is a sliver of a verification). FW_SHA2_UNROLLED=1 measures
# the unrolled rounds: RUSTFLAGS replaces every configured target rustflags
# (a CARGO_TARGET_<triple>_RUSTFLAGS would be merged with the config's list,
# keeping the compact cfg), so it repeats the one other flag, the linker script.
FW_TAG=""
if [ "${FW_SHA2_UNROLLED:-0}" = 1 ]; then
    export RUSTFLAGS="-C link-arg=-Tlink.x"
    FW_TAG="-sha2u"
fi

fw_require() {
    local missing=()
    for tool in "$RUSTC" "$FW_CARGO" qemu-system-arm arm-none-eabi-ld arm-none-eabi-nm arm-none-eabi-size; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    if [ ! -d /usr/lib/rustlib/src/rust/library ]; then missing+=(rust-web-src); fi
    if [ ${#missing[@]} -gt 0 ]; then
        echo "firmware: missing ${missing[*]}; install with:" >&2
        echo "  apt-get install -y --no-install-recommends rustc-web cargo-web rust-web-src qemu-system-arm binutils-arm-none-eabi" >&2
        return 1
    fi
}

# QEMU machine for a target triple: a Cortex-M4 board, or the micro:bit (nRF51, M0, 16 KiB RAM).
fw_qemu() {
    local triple="$1"; shift
    case "$triple" in
        thumbv6m-*) set -- -machine microbit -cpu cortex-m0 "$@" ;;
        *) set -- -machine mps2-an386 -cpu cortex-m4 "$@" ;;
    esac
    timeout 120 qemu-system-arm "$@" -nographic -monitor none \
        -semihosting-config enable=on,target=native
}

# fw_build NAME TRIPLE FEATURES PROFILE: build one variant, copy its ELF to $FW_OUT/NAME-PROFILE.elf.
fw_build() {
    local name="$1" triple="$2" features="$3" profile="$4"
    (cd "$FW_DIR" && "$FW_CARGO" build -q --profile "$profile" \
        --target "$triple" --features "$features") || return 1
    mkdir -p "$FW_OUT"
    cp "$CARGO_TARGET_DIR/$triple/$profile/verifier-firmware" "$FW_OUT/$name-$profile$FW_TAG.elf"
}
