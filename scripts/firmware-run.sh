#!/usr/bin/env bash
# Build the firmware for Cortex-M4 and Cortex-M0, run each under QEMU, and fail
# unless every verdict is right (the firmware's semihosting exit status).
# `make firmware` runs this; scripts/firmware-table.sh measures the same builds.
set -euo pipefail
source "$(dirname "$0")/firmware-lib.sh"
fw_require

# name triple features: both algorithms on the M4 and on the M0 (16 KiB of
# RAM, which the memory map enforces: RSA key loading used to overflow it),
# and ES256 alone on the M0, as a small device would carry it (and refusing
# the RS256 tokens it has no key for).
VARIANTS=(
    "m4-both thumbv7em-none-eabihf es256,rs256"
    "m0-both thumbv6m-none-eabi es256,rs256"
    "m0-es256 thumbv6m-none-eabi es256"
)
PROFILE="${FW_PROFILE:-release}"

status=0
for v in "${VARIANTS[@]}"; do
    read -r name triple features <<<"$v"
    echo "== firmware $name ($triple, features $features, profile $PROFILE)"
    fw_build "$name" "$triple" "$features" "$PROFILE"
    if fw_qemu "$triple" -kernel "$FW_OUT/$name-$PROFILE$FW_TAG.elf"; then
        echo "== firmware $name: pass"
    else
        echo "== firmware $name: FAILED (exit $?)" >&2
        status=1
    fi
done
exit $status
