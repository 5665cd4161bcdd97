//! Signed-digit recoding for the fixed-base combs (`ec_tables`, `ed_tables`).
//!
//! Computes: digits `d_i` in `[-(2^(W-1) - 1), 2^(W-1)]` with
//! `k = sum d_i 2^(W i)` for a scalar `k` given as bytes. Each window's `W`
//! bits plus the carry from the window below make `b` in `[0, 2^W]`; above
//! `2^(W-1)` the digit is `b - 2^W` (negative) and one is carried up.
//! Reference: plain integer arithmetic; tested by this file's unit tests (the
//! digits sum back to `k`) and by the comb differentials
//! (`tests/ec_tables_diff.rs`, `tests/ed_tables_diff.rs`), which compare every
//! comb product with the curve crates' own scalar multiplication.

/// Byte order of the scalar.
// A build with only the NIST curves or only Ed25519 uses one of the two.
#[allow(dead_code)]
#[derive(Clone, Copy)]
pub(crate) enum Order {
    /// Least significant byte first (curve25519-dalek's `Scalar`).
    Little,
    /// Most significant byte first (SEC 1 / `PrimeField::to_repr` on NIST curves).
    Big,
}

/// `width` bits of `k` from bit `lo` (bit 0 least significant); bits past the
/// end read as zero.
fn window(k: &[u8], order: Order, lo: usize, width: u32) -> u32 {
    let mut v = 0u32;
    for b in 0..width as usize {
        let bit = lo + b;
        let idx = match order {
            Order::Little => Some(bit / 8),
            Order::Big => k.len().checked_sub(bit / 8 + 1),
        };
        if let Some(x) = idx.and_then(|i| k.get(i)) {
            v |= u32::from((x >> (bit % 8)) & 1) << b;
        }
    }
    v
}

/// Call `f(i, |d_i|, d_i < 0)` for each nonzero digit of `k` in windows of
/// `w` bits (`w <= 16`), `i < windows`, lowest first. `None` if `f` returns
/// `None` or `k` does not fit in `windows` digits (a carry is left over).
pub(crate) fn signed_digits(
    k: &[u8],
    order: Order,
    w: u32,
    windows: usize,
    mut f: impl FnMut(usize, usize, bool) -> Option<()>,
) -> Option<()> {
    let half = 1u32 << (w - 1);
    let mut carry = 0u32;
    for i in 0..windows {
        let bits = window(k, order, i * w as usize, w) + carry;
        let (digit, neg) = if bits > half {
            carry = 1;
            ((1u32 << w) - bits, true)
        } else {
            carry = 0;
            (bits, false)
        };
        if digit != 0 {
            f(i, digit as usize, neg)?;
        }
    }
    // The top window must have room for the final carry, and no bit of k
    // may lie above the last window.
    let covered = windows * w as usize;
    let beyond = (covered..k.len() * 8).any(|bit| window(k, order, bit, 1) != 0);
    (carry == 0 && !beyond).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digits of `k` (as a u128, little-endian bytes) sum back to `k`.
    fn sum(k: u128, w: u32, windows: usize, order: Order) -> Option<i128> {
        let le = k.to_le_bytes();
        let mut be = le;
        be.reverse();
        let bytes = match order {
            Order::Little => le,
            Order::Big => be,
        };
        let mut total = 0i128;
        signed_digits(&bytes, order, w, windows, |i, d, neg| {
            assert!(d <= 1 << (w - 1) && d > 0);
            let v = (d as i128) << (w as usize * i);
            total += if neg { -v } else { v };
            Some(())
        })?;
        Some(total)
    }

    #[test]
    fn digits_sum_back() {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        let mut ks = [0u128, 1, 31, 32, 33, 63, 64, 65, u64::MAX as u128].to_vec();
        for _ in 0..200 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ks.push(u128::from(x) >> (x % 64));
        }
        for &k in &ks {
            for w in [3, 6, 7] {
                for order in [Order::Little, Order::Big] {
                    // Enough windows for 64 bits plus a carry.
                    let windows = (65usize).div_ceil(w as usize);
                    assert_eq!(sum(k, w, windows, order), Some(k as i128), "k={k} w={w}");
                }
            }
        }
    }

    #[test]
    fn too_long_is_refused() {
        // 2^6 - 1 in one 6-bit window leaves a carry: refused.
        assert_eq!(sum(63, 6, 1, Order::Little), None);
        assert_eq!(sum(32, 6, 1, Order::Big), Some(32));
        // A bit above the last window: refused.
        assert_eq!(sum(1 << 12, 6, 2, Order::Little), None);
        assert_eq!(sum(1 << 12, 6, 3, Order::Big), Some(1 << 12));
    }
}
