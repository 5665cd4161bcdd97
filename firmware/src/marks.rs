//! Markers for QEMU's instruction-counting plugin (qemu/insncount.c): the
//! plugin counts from the first instruction of a `*_start` function to the
//! `*_stop` one. Each body differs so that LTO cannot fold two into one
//! address; `scripts/firmware-table.sh` finds them with `nm`.

macro_rules! marker {
    ($name:ident, $asm:literal) => {
        #[unsafe(no_mangle)]
        #[inline(never)]
        pub extern "C" fn $name() {
            // SAFETY: `nop`s only. Not `nomem`: the marker must also order memory
            // accesses, so no work of the counted call moves across it.
            unsafe { core::arch::asm!($asm, options(nostack, preserves_flags)) }
        }
    };
}

marker!(fw_mark_keys_start, "nop");
marker!(fw_mark_keys_stop, "nop\nnop");
marker!(fw_mark_es256_start, "nop\nnop\nnop");
marker!(fw_mark_es256_stop, "nop\nnop\nnop\nnop");
marker!(fw_mark_rs256_start, "nop\nnop\nnop\nnop\nnop");
marker!(fw_mark_rs256_stop, "nop\nnop\nnop\nnop\nnop\nnop");
