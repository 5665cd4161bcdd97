//! Word helpers shared by core's 32-bit field arithmetic (`ecdsa_p256_fe`,
//! `ecdsa_p384_fe`): a multiply-add and add/subtract with carry on 32-bit
//! words through 64-bit sums, and `unroll!`.

use super::mul_wide;

/// `$body` once for each listed `$i` (a constant in each copy): loops
/// written out, so that the words stay in registers and need no bounds
/// checks even at opt-level z, which never unrolls a loop.
macro_rules! unroll {
    ($i:ident in [$($n:literal),*] $body:block) => {
        $(
            // The last copy's carry-out is often unused.
            #[allow(unused_assignments)]
            {
                let $i: usize = $n;
                $body
            }
        )*
    };
}

/// `a·b + c + d` as (low, high) words; never overflows 64 bits.
#[inline(always)]
pub(super) const fn mac(a: u32, b: u32, c: u32, d: u32) -> (u32, u32) {
    let v = mul_wide(a, b) + (c as u64) + (d as u64);
    (v as u32, (v >> 32) as u32)
}

/// `a + b + c` as (sum, carry).
#[inline(always)]
pub(super) const fn adc(a: u32, b: u32, c: u32) -> (u32, u32) {
    let v = (a as u64) + (b as u64) + (c as u64);
    (v as u32, (v >> 32) as u32)
}

/// `a - b - borrow` as (difference, borrow in {0, 1}).
#[inline(always)]
pub(super) const fn sbb(a: u32, b: u32, borrow: u32) -> (u32, u32) {
    let v = (a as u64)
        .wrapping_sub(b as u64)
        .wrapping_sub(borrow as u64);
    (v as u32, ((v >> 32) as u32) & 1)
}
