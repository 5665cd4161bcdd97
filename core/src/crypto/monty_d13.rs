//! Montgomery arithmetic for the 2048-bit RSA class on WebAssembly: numbers
//! as 160 digits of 13 bits, each column summed by the 16-bit dot product
//! (`i32x4.dot_i16x8_s`: eight digit products per instruction, which wazero
//! emits as one `pmaddwd`).
//!
//! Computes: `s^e mod n` for `s < n` (`Monty13::pow_be`). Reference:
//! crypto-bigint's modular arithmetic (this file's tests, on the host with
//! the hidden `rsa-d13` feature: `make test-split-acc`), and through RSA
//! verification the `rsa` crate and Wycheproof (`rsa.rs`'s tests,
//! `tests/wycheproof_rsa.rs`, the same target; fuzz `rsa_diff` with
//! `FUZZ_FEATURES=wasm-rsa`) and Go's crypto/rsa on the real WebAssembly
//! build (`go/wasm_diff_test.go`).
//!
//! Why 13-bit digits: wazero (the Go module's WebAssembly runtime) lowers
//! `i64x2.mul`, the only wide SIMD multiply, to three `pmuludq` and seven
//! more instructions, so the 32-bit words of `monty.rs` cost about 19
//! machine instructions per word product there. A 13-bit digit product is
//! one eighth of a `pmaddwd`, and 13 bits leave room to sum without
//! carries: a lane of the dot product is two products below 2^26, and
//! twenty of those stay below 2^32, which is as many as a column's
//! accumulator gets (below). 160 digits make `R = 2^2080 > 4n`, so products
//! of numbers below `2n` stay below `2n` and only the final result needs a
//! subtraction.
//!
//! The product scans columns ("FIPS", as `monty.rs`), with three tricks for
//! the dot product:
//! - Interleaving. `x` holds the pairs `(a_j, m_j)` and `y` the pairs
//!   `(b_(k-j), n_(k-j))`, so one dot product sums a column's `a b` and its
//!   `m n` terms together. `y` is stored reversed, so both walk forwards.
//! - Zero padding. Past its true length a column multiplies only zeros
//!   (`m_j` not yet chosen, or digits beyond either number), so every dot
//!   product runs whole blocks of 16 pairs with no remainder.
//! - Four columns per call (`dot4`): one load of `x` serves four, and the
//!   call's cost is shared.
//!
//! Measured (wazero 1.12, AMD EPYC, 2026-12): one 2048-bit Montgomery
//! product with one column per call and separate `a b` and `m n` dot
//! products 10.5 us; interleaved 7.5 us; two columns per call 6.2 us (a
//! throwaway crate); RS256 through the Go module 185 us with `monty.rs` on
//! 32-bit words (`acc_split`), 115 us with two columns per call, 107 us
//! with four, 103 us with each product writing its result straight into
//! the next one's arrays (`Layouts`).
//!
//! What wazero needs from the code (checked in its machine code): every load
//! is base plus a constant offset, which LLVM emits only from straight-line
//! code indexing a fixed-size array (in a loop it computes each address, and
//! wazero then checks each load's bounds); and each array's highest offset
//! is read first, so that wazero checks its bounds once per call.

use super::monty::{Monty, Word, neg_inv, words_to_be};
use lanes::V;

/// Bits per digit.
const DIGIT_BITS: u32 = 13;
const MASK: u32 = (1 << DIGIT_BITS) - 1;
/// Digits of a number: `R = 2^(13 * 160) = 2^2080`.
pub(crate) const DIGITS: usize = 160;
/// Bytes of the numbers this class takes (a 2048-bit modulus).
const BYTES: usize = 256;
// R > 4n for every n below 2^2048 (see the module comment).
const _: () = assert!(DIGIT_BITS as usize * DIGITS >= 8 * BYTES + 2);
/// Columns per dot-product call (`dot4`).
const COLS: usize = 4;
const _: () = assert!(DIGITS.is_multiple_of(COLS));
/// Zero pairs before `y`'s digits: the high half's columns reach back this far.
const Z: usize = COLS - 1;

/// Pairs per block (four dot products of eight lanes).
const BLOCK_PAIRS: usize = 16;
/// Most blocks a column's dot product runs: a column has at most `DIGITS`
/// pairs.
const MAX_BLOCKS: usize = DIGITS.div_ceil(BLOCK_PAIRS);
/// The `i16`s one dot product may read from each array.
const WINDOW: usize = 2 * BLOCK_PAIRS * MAX_BLOCKS;
/// The interleaved arrays: a window may start at any pair up to `Z + DIGITS`.
const ARRAY: usize = 2 * (Z + DIGITS) + WINDOW;
// So `window` never falls back to zeros: the furthest windows `mul` takes,
// y's for column 0 and x's for the last group of the high half, fit.
const _: () = assert!(2 * (Z + DIGITS - 1) + WINDOW <= ARRAY);
const _: () = assert!(2 * (DIGITS - COLS + 1) + WINDOW <= ARRAY);
// No lane overflows: each of the two accumulators of a column takes at most
// half the blocks, rounded up, of four dot products each, a dot product
// lane being two products of digits below 2^13.
const _: () =
    assert!((MAX_BLOCKS.div_ceil(2) * 4) as u64 * 2 * (MASK as u64 * MASK as u64) < 1 << 32);

type Digits = [u16; DIGITS];

/// A 2048-bit odd modulus with its constants for 13-bit digits.
#[derive(Clone, Debug)]
pub(crate) struct Monty13 {
    n: Digits,
    /// `-n^-1 mod 2^13`.
    n0: u32,
    /// `R^2 mod n`, to enter Montgomery form.
    rr: Digits,
}

/// A number as the two arrays a product reads. `x`: its digits at the even
/// slots of pairs 0.., the odd slots free for the product's m_j. `y`: `Z`
/// zero pairs, then its digits from the top down at the even slots, n's at
/// the odd ones. Zeros beyond. A product writes its result straight into
/// both, so a squaring chain never rebuilds them.
struct Layouts {
    x: [i16; ARRAY],
    y: [i16; ARRAY],
}

impl Layouts {
    /// The digits, from `x`.
    fn digits(&self) -> Digits {
        let mut out = [0; DIGITS];
        for (o, xp) in out.iter_mut().zip(self.x.chunks_exact(2)) {
            // Reinterpretation intended: digits are below 2^13.
            *o = xp[0] as u16;
        }
        out
    }
}

/// Big-endian bytes (at most `BYTES`) to little-endian digits.
fn digits_from_be(bytes: &[u8]) -> Option<Digits> {
    if bytes.len() > BYTES {
        return None;
    }
    let mut out = [0; DIGITS];
    let (mut acc, mut bits, mut i) = (0u32, 0, 0);
    for &b in bytes.iter().rev() {
        acc |= u32::from(b) << bits;
        bits += 8;
        if bits >= DIGIT_BITS {
            *out.get_mut(i)? = (acc & MASK) as u16;
            i += 1;
            acc >>= DIGIT_BITS;
            bits -= DIGIT_BITS;
        }
    }
    if bits > 0 {
        *out.get_mut(i)? = acc as u16;
    }
    Some(out)
}

/// The low `out.len()` bytes of `x`, big-endian.
fn digits_to_be(x: &Digits, out: &mut [u8]) {
    let (mut acc, mut bits) = (0u32, 0);
    let mut digits = x.iter();
    for o in out.iter_mut().rev() {
        if bits < 8 {
            acc |= u32::from(digits.next().copied().unwrap_or(0)) << bits;
            bits += DIGIT_BITS;
        }
        // Truncation intended: the low byte.
        *o = acc as u8;
        acc >>= 8;
        bits -= 8;
    }
}

/// `x >= n`.
fn at_least(x: &Digits, n: &Digits) -> bool {
    for (a, b) in x.iter().rev().zip(n.iter().rev()) {
        if a != b {
            return a > b;
        }
    }
    true
}

/// `x -= n` for `x >= n`.
fn sub(x: &mut Digits, n: &Digits) {
    let mut borrow = 0u32;
    for (a, b) in x.iter_mut().zip(n) {
        let d = u32::from(*a)
            .wrapping_sub(u32::from(*b))
            .wrapping_sub(borrow);
        // Truncation intended: the low 13 bits.
        *a = (d & MASK) as u16;
        borrow = d >> 31;
    }
}

impl Monty13 {
    /// The constants for the modulus of `m` (at most 2048 bits, odd, as
    /// `Monty::new` accepts it), whose `R_w^2 mod n` is `rr` (`R_w =
    /// 2^2048`). `None` if `n` is longer than 2048 bits.
    pub(crate) fn new<const L: usize>(m: &Monty<L>, n_be: &[u8], rr: &[Word; L]) -> Option<Self> {
        let n = digits_from_be(n_be)?;
        // R^2 = R_w^2 2^(2 * 2080 - 2 * 2048): 64 doublings mod n.
        if L * Word::BITS as usize != 8 * BYTES {
            return None;
        }
        let mut w = *rr;
        for _ in 0..2 * (DIGIT_BITS as usize * DIGITS - 8 * BYTES) {
            m.double(&mut w);
        }
        let mut be = [0; BYTES];
        words_to_be(&w, &mut be)?;
        Some(Self {
            n,
            // -n^-1 mod 2^13 is the low digit of -n^-1 mod 2^WORD_BITS.
            // Truncation intended.
            n0: (neg_inv(Word::from(n[0])) as u32) & MASK,
            rr: digits_from_be(&be)?,
        })
    }

    /// `s^e mod n` for a signature `s` (big-endian, below n) and odd
    /// `e >= 3`, as big-endian bytes into `out` (the modulus length).
    pub(crate) fn pow_be(&self, s_be: &[u8], e: u64, out: &mut [u8]) -> Option<()> {
        let s = digits_from_be(s_be)?;
        // e = 0 (refused at key load) fails closed rather than underflow.
        let top = 63u32.checked_sub(e.leading_zeros())?;
        // Square-and-multiply on the form s R. An odd e ends on a product:
        // by the plain s, which also leaves Montgomery form. Each product
        // writes its result straight into the layouts the next one reads.
        let mut s_in = self.layouts(&s);
        let rr = self.layouts(&self.rr);
        let (mut l0, mut l1) = (self.layouts(&[0; DIGITS]), self.layouts(&[0; DIGITS]));
        let (mut cur, mut next) = (&mut l0, &mut l1);
        self.mul_into(&mut s_in.x, &rr.y, cur);
        let form_y = cur.y;
        let mut in_form = true;
        for i in (0..top).rev() {
            self.mul_into(&mut cur.x, &cur.y, next);
            core::mem::swap(&mut cur, &mut next);
            if (e >> i) & 1 == 1 {
                let by = if i == 0 {
                    in_form = false;
                    &s_in.y
                } else {
                    &form_y
                };
                self.mul_into(&mut cur.x, by, next);
                core::mem::swap(&mut cur, &mut next);
            }
        }
        if in_form {
            // An even e (refused at key load): times 1, over R.
            let mut one = [0; DIGITS];
            one[0] = 1;
            self.mul_into(&mut cur.x, &self.layouts(&one).y, next);
            core::mem::swap(&mut cur, &mut next);
        }
        let mut y = cur.digits();
        // y < 2n.
        if at_least(&y, &self.n) {
            sub(&mut y, &self.n);
        }
        digits_to_be(&y, out);
        Some(())
    }

    /// `a` in both layouts a product reads (see `Layouts`).
    fn layouts(&self, a: &Digits) -> Layouts {
        let d = DIGITS;
        let mut l = Layouts {
            x: [0; ARRAY],
            y: [0; ARRAY],
        };
        for (j, (xp, ap)) in l.x.chunks_exact_mut(2).zip(a).enumerate() {
            // No truncation: digits are below 2^13.
            xp[0] = *ap as i16;
            let (Some(aj), Some(nj)) = (a.get(d - 1 - j), self.n.get(d - 1 - j)) else {
                break;
            };
            if let Some(yp) = l.y.get_mut(2 * (Z + j)..2 * (Z + j) + 2) {
                yp[0] = *aj as i16;
                yp[1] = *nj as i16;
            }
        }
        l
    }

    /// The Montgomery product `a b / R mod n`, below `2n`, for `a, b < 2n`
    /// (the tests' entry; `pow_be` chains `mul_into`).
    #[cfg(test)]
    fn mul(&self, a: &Digits, b: &Digits) -> Digits {
        let mut x = self.layouts(a).x;
        let mut out = self.layouts(&[0; DIGITS]);
        self.mul_into(&mut x, &self.layouts(b).y, &mut out);
        out.digits()
    }

    /// The Montgomery product `a b / R mod n`, below `2n`, for `a, b < 2n`:
    /// `a` as `x` (whose odd slots it uses for the m_j), `b` as `y`; the
    /// result into both of `out`'s layouts (whose `y` must hold n's digits,
    /// as `layouts` leaves them).
    fn mul_into(&self, x: &mut [i16; ARRAY], y: &[i16; ARRAY], out: &mut Layouts) {
        let d = DIGITS;
        let zero = lanes::opaque_zero();
        let n_low: [u64; COLS] = core::array::from_fn(|i| u64::from(self.n[i]));
        let mut t: u64 = 0;
        // Low half, columns k..k + 4 against x from its pair 0: the sums
        // lack the terms m_(k+i) n_(c-i) of column k + c (those m are still
        // zero in x), added here as each m is chosen to clear its column's
        // low digit.
        for k in (0..d).step_by(COLS) {
            // m_k..m_(k+3) must be zero for the dot product. Odd slots
            // further on may hold a previous product's m: they meet y's zero
            // tail.
            for c in 0..COLS {
                if let Some(xm) = x.get_mut(2 * (k + c) + 1) {
                    *xm = 0;
                }
            }
            let at = |c: usize| window(y, 2 * (Z + d - 1 - k - c));
            let s = dot4(
                window(x, 0),
                [at(0), at(1), at(2), at(3)],
                (k + COLS).div_ceil(BLOCK_PAIRS),
                zero,
            );
            let mut m = [0u64; COLS];
            for c in 0..COLS {
                t += s[c];
                for i in 0..c {
                    t += m[i] * n_low[c - i];
                }
                m[c] = u64::from((t as u32 & MASK).wrapping_mul(self.n0) & MASK);
                t += m[c] * n_low[0];
                t >>= DIGIT_BITS;
            }
            for (c, mc) in m.iter().enumerate() {
                if let Some(xm) = x.get_mut(2 * (k + c) + 1) {
                    // No truncation: below 2^13.
                    *xm = *mc as i16;
                }
            }
        }
        // High half, columns k..k + 4 (k = d + 4g) against x from its pair
        // lo = k + 1 - d: column k + c against y from its pair Z - c, whose
        // first c pairs are zero. The last column, 2d - 1, is the final
        // carry.
        for g in 0..d / COLS {
            let lo = COLS * g + 1;
            let at = |c: usize| window(y, 2 * (Z - c));
            let s = dot4(
                window(x, 2 * lo),
                [at(0), at(1), at(2), at(3)],
                (d - lo).div_ceil(BLOCK_PAIRS),
                zero,
            );
            for (c, sc) in s.into_iter().enumerate() {
                t += sc;
                // Truncation intended: the low 13 bits, below 2^13.
                let digit = (t as u32 & MASK) as i16;
                t >>= DIGIT_BITS;
                let j = COLS * g + c;
                if let Some(xo) = out.x.get_mut(2 * j) {
                    *xo = digit;
                }
                if let Some(yo) = out.y.get_mut(2 * (Z + d - 1 - j)) {
                    *yo = digit;
                }
            }
        }
    }
}

/// The `WINDOW` `i16`s of `a` from `at` (all zeros if `a` were too short,
/// which `ARRAY` rules out).
#[inline(always)]
fn window(a: &[i16; ARRAY], at: usize) -> &[i16; WINDOW] {
    a.get(at..at + WINDOW)
        .and_then(|s| s.try_into().ok())
        .unwrap_or(&[0; WINDOW])
}

/// Four column sums, `x . y[c]`, over the first `blocks` blocks.
///
/// `zero` is a zero vector the compiler cannot see through: the first
/// loads, at each array's highest offset, make wazero check each array's
/// bounds once per call, and they add nothing. Out of line: LLVM then folds
/// every offset into its load (see the module comment).
#[inline(never)]
fn dot4(x: &[i16; WINDOW], y: [&[i16; WINDOW]; COLS], blocks: usize, zero: V) -> [u64; COLS] {
    const LAST: usize = WINDOW - 8;
    let [y0, y1, y2, y3] = y;
    let guard = lanes::dot(lanes::load(x, LAST), zero)
        .add(lanes::dot(lanes::load(y0, LAST), zero))
        .add(lanes::dot(lanes::load(y1, LAST), zero))
        .add(lanes::dot(lanes::load(y2, LAST), zero))
        .add(lanes::dot(lanes::load(y3, LAST), zero));
    // Even blocks into the first four accumulators, odd blocks into the
    // others (the lane bound above).
    let mut even = [guard, zero, zero, zero];
    let mut odd = [zero; COLS];
    // Written out, not looped: in the whole library LLVM kept a loop over
    // the four steps (with computed offsets, 828 us per RS256 under wazero).
    macro_rules! block {
        ($i:expr, $acc:ident) => {{
            macro_rules! step {
                ($d:expr) => {{
                    let o = 2 * BLOCK_PAIRS * $i + $d;
                    let a = lanes::load(x, o);
                    $acc[0] = $acc[0].add(lanes::dot(a, lanes::load(y0, o)));
                    $acc[1] = $acc[1].add(lanes::dot(a, lanes::load(y1, o)));
                    $acc[2] = $acc[2].add(lanes::dot(a, lanes::load(y2, o)));
                    $acc[3] = $acc[3].add(lanes::dot(a, lanes::load(y3, o)));
                }};
            }
            step!(0);
            step!(8);
            step!(16);
            step!(24);
        }};
    }
    // Straight-line, so that every offset is a constant (MAX_BLOCKS = 10).
    const _: () = assert!(MAX_BLOCKS == 10);
    'done: {
        macro_rules! blocks {
            ($(($i:expr, $acc:ident))*) => {$(
                if blocks <= $i {
                    break 'done;
                }
                block!($i, $acc);
            )*};
        }
        blocks!(
            (0, even)(1, odd)(2, even)(3, odd)(4, even)(5, odd)(6, even)(7, odd)(8, even)(9, odd)
        );
    }
    core::array::from_fn(|c| even[c].sum() + odd[c].sum())
}

/// Four 32-bit lanes: `v128` on wasm32 with `simd128`, else four integers
/// (the host tests). Same operations, same results.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod lanes {
    use core::arch::wasm32::{
        i16x8, i32x4_add, i32x4_dot_i16x8, i32x4_splat, u32x4_extract_lane, v128,
    };

    #[derive(Clone, Copy)]
    pub(super) struct V(v128);

    /// Eight `i16`s from `a[o..o + 8]` (one `v128.load`).
    #[inline(always)]
    pub(super) fn load<const N: usize>(a: &[i16; N], o: usize) -> V {
        V(i16x8(
            a[o],
            a[o + 1],
            a[o + 2],
            a[o + 3],
            a[o + 4],
            a[o + 5],
            a[o + 6],
            a[o + 7],
        ))
    }

    /// Lane i: `a_2i b_2i + a_(2i+1) b_(2i+1)`.
    #[inline(always)]
    pub(super) fn dot(a: V, b: V) -> V {
        V(i32x4_dot_i16x8(a.0, b.0))
    }

    pub(super) fn opaque_zero() -> V {
        V(core::hint::black_box(i32x4_splat(0)))
    }

    impl V {
        /// Lane-wise sum modulo 2^32.
        #[inline(always)]
        pub(super) fn add(self, o: Self) -> Self {
            Self(i32x4_add(self.0, o.0))
        }

        /// The four lanes, unsigned, summed.
        #[inline(always)]
        pub(super) fn sum(self) -> u64 {
            u64::from(u32x4_extract_lane::<0>(self.0))
                + u64::from(u32x4_extract_lane::<1>(self.0))
                + u64::from(u32x4_extract_lane::<2>(self.0))
                + u64::from(u32x4_extract_lane::<3>(self.0))
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod lanes {
    #[derive(Clone, Copy)]
    pub(super) struct V([u32; 4]);

    #[inline(always)]
    pub(super) fn load<const N: usize>(a: &[i16; N], o: usize) -> V {
        V(core::array::from_fn(|i| {
            // Reinterpretation intended: each i16's own 16 bits, so that a
            // negative low half does not spill its sign into the high half.
            let p = |j: usize| u32::from(a[o + 2 * i + j] as u16);
            p(0) | (p(1) << 16)
        }))
    }

    /// Lane i: `a_2i b_2i + a_(2i+1) b_(2i+1)`, signed 16-bit products
    /// summed modulo 2^32 as `i32x4.dot_i16x8_s`.
    #[inline(always)]
    pub(super) fn dot(a: V, b: V) -> V {
        let half = |v: u32, j: u32| i32::from((v >> (16 * j)) as u16 as i16);
        V(core::array::from_fn(|i| {
            let (x, y) = (a.0[i], b.0[i]);
            (half(x, 0) * half(y, 0)).wrapping_add(half(x, 1) * half(y, 1)) as u32
        }))
    }

    pub(super) fn opaque_zero() -> V {
        V([0; 4])
    }

    impl V {
        #[inline(always)]
        pub(super) fn add(self, o: Self) -> Self {
            V(core::array::from_fn(|i| self.0[i].wrapping_add(o.0[i])))
        }

        #[inline(always)]
        pub(super) fn sum(self) -> u64 {
            self.0.iter().map(|&l| u64::from(l)).sum()
        }
    }

    /// The emulation against the wasm instructions as their spec words them
    /// (`i16x8` takes lane 0 first; `dot_i16x8_s` multiplies signed 16-bit
    /// lanes and adds pairs modulo 2^32; `i32x4.add` wraps;
    /// `u32x4.extract_lane` reads unsigned), on every sign, so that the host
    /// tests speak for the wasm build whatever the digits' range.
    #[cfg(test)]
    mod tests {
        use super::*;

        fn reference_dot(a: &[i16; 8], b: &[i16; 8]) -> [u32; 4] {
            core::array::from_fn(|i| {
                let p = |j: usize| i32::from(a[2 * i + j]).wrapping_mul(i32::from(b[2 * i + j]));
                p(0).wrapping_add(p(1)) as u32
            })
        }

        #[test]
        fn lanes_match_wasm_semantics() {
            let vals: [i16; 10] = [0, 1, -1, 2, 8191, -8192, 32767, -32768, 0x1234, -0x1235];
            let mut seed = 0x0123_4567_89ab_cdefu64;
            for round in 0..2000 {
                let mut pick = || {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    if round % 2 == 0 {
                        vals[(seed % vals.len() as u64) as usize]
                    } else {
                        seed as i16
                    }
                };
                // One element of slack before and after: `load` reads at `o`.
                let a: [i16; 10] = core::array::from_fn(|_| pick());
                let b: [i16; 10] = core::array::from_fn(|_| pick());
                let (a8, b8): (&[i16; 8], &[i16; 8]) =
                    (a[1..9].try_into().unwrap(), b[1..9].try_into().unwrap());
                let want = reference_dot(a8, b8);
                let got = dot(load(&a, 1), load(&b, 1));
                assert_eq!(got.0, want, "round {round}: {a8:?} . {b8:?}");
                let twice: [u32; 4] = core::array::from_fn(|i| want[i].wrapping_add(want[i]));
                assert_eq!(got.add(got).0, twice);
                let total: u64 = twice.iter().map(|&l| u64::from(l)).sum();
                assert_eq!(got.add(got).sum(), total);
            }
            // The one pair whose sum leaves i32: (-2^15)^2 twice is 2^31.
            let m = [-32768i16; 8];
            assert_eq!(dot(load(&m, 0), load(&m, 0)).0, [1 << 31; 4]);
            assert_eq!(opaque_zero().0, [0; 4]);
        }
    }
}

#[cfg(test)]
// `widen` is deprecated for a `resize` this version does not have on BoxedUint.
#[allow(deprecated)]
mod tests {
    //! Differential tests against crypto-bigint's plain modular arithmetic,
    //! over random and edge-shaped 2048-bit (and shorter) moduli, operands
    //! up to the `2n - 1` the lazy reduction allows, and the exponents a key
    //! may carry.
    extern crate std;
    use super::super::bigint_ref::{Rng, mul_mod, pow_ref};
    use super::super::monty::words_for_bits;
    use super::*;
    use crypto_bigint::{BoxedUint, NonZero};
    use std::vec::Vec;

    const L: usize = words_for_bits(2048);

    fn big(be: &[u8]) -> BoxedUint {
        BoxedUint::from_be_slice_vartime(be)
    }

    /// `x` (below 2^2112) as 264 big-endian bytes.
    fn be264(x: &BoxedUint) -> Vec<u8> {
        let v = x.to_be_bytes().to_vec();
        let z = v.iter().take_while(|&&b| b == 0).count();
        let mut out = std::vec![0u8; 264];
        out[264 - (v.len() - z)..].copy_from_slice(&v[z..]);
        out
    }

    fn be256(x: &BoxedUint) -> Vec<u8> {
        be264(x)[8..].to_vec()
    }

    /// Odd moduli: all ones, 2^2047 + 1, random full 2048-bit ones, and
    /// random shorter ones (the arithmetic takes any n below 2^2048).
    fn modulus(rng: &mut Rng, shape: usize) -> Vec<u8> {
        let mut n = match shape {
            0 => std::vec![0xff; BYTES],
            1 => {
                let mut n = std::vec![0u8; BYTES];
                n[0] = 0x80;
                n
            }
            2 => {
                let mut n = rng.bytes(BYTES);
                n[0] |= 0x80;
                n
            }
            _ => {
                let len = 3 + (rng.next() as usize) % (BYTES - 3);
                let mut n = std::vec![0u8; BYTES - len];
                n.extend(rng.bytes(len));
                n[BYTES - len] |= 1;
                n
            }
        };
        n[BYTES - 1] |= 1;
        n
    }

    fn setup(n_be: &[u8]) -> (Monty13, NonZero<BoxedUint>) {
        let m = Monty::<L>::new(n_be).unwrap();
        let d = Monty13::new(&m, n_be, &m.r_squared()).unwrap();
        (d, NonZero::new(big(n_be)).unwrap())
    }

    /// Digits of any `x` below `R` (up to `2n - 1`, one bit past
    /// `digits_from_be`'s 256 bytes).
    fn digits(x: &BoxedUint) -> Digits {
        let be = be264(x);
        let mut out = [0; DIGITS];
        for (i, d) in out.iter_mut().enumerate() {
            for bit in 0..DIGIT_BITS as usize {
                let at = i * DIGIT_BITS as usize + bit;
                let byte = be[263 - at / 8];
                *d |= u16::from((byte >> (at % 8)) & 1) << bit;
            }
        }
        assert!(x.bits() <= DIGIT_BITS * DIGITS as u32);
        out
    }

    fn value(x: &Digits) -> BoxedUint {
        let mut be = std::vec![0u8; BYTES + 1];
        digits_to_be(x, &mut be);
        big(&be)
    }

    #[test]
    fn digit_conversions_round_trip() {
        let mut rng = Rng(7);
        for _ in 0..50 {
            let mut b = rng.bytes(BYTES);
            b[0] &= (rng.next() as u8) | 0x7f;
            let d = digits_from_be(&b).unwrap();
            assert!(d.iter().all(|&x| u32::from(x) <= MASK));
            let mut back = std::vec![0u8; BYTES];
            digits_to_be(&d, &mut back);
            assert_eq!(back, b);
        }
        assert!(digits_from_be(&[1; BYTES + 1]).is_none());
    }

    #[test]
    fn products_match_reference() {
        let mut rng = Rng(0x05ee_dd13);
        let r_bits = DIGIT_BITS * DIGITS as u32;
        for i in 0..24 {
            let n_be = modulus(&mut rng, i % 4);
            let (d, n) = setup(&n_be);
            let nb = big(&n_be);
            let two_n = nb.widen(2112).shl_vartime(1).unwrap();
            let one = BoxedUint::one();
            let edges = [
                BoxedUint::zero(),
                one.clone(),
                nb.clone().wrapping_sub(&one),
                nb.clone(),
                two_n.clone().wrapping_sub(&one),
            ];
            let random_below_2n = |rng: &mut Rng| {
                big(&rng.bytes(BYTES + 1)).rem_vartime(&NonZero::new(two_n.clone()).unwrap())
            };
            for j in 0..40 {
                let a = if j < 5 {
                    edges[j].clone()
                } else {
                    random_below_2n(&mut rng)
                };
                let b = if j < 25 {
                    edges[j % 5].clone()
                } else {
                    random_below_2n(&mut rng)
                };
                let out = value(&d.mul(&digits(&a), &digits(&b)));
                assert!(
                    out < two_n,
                    "modulus {i}, operands {j}: product not below 2n"
                );
                // out R = a b (mod n).
                let out_r = out
                    .widen(out.bits_precision() + r_bits)
                    .shl_vartime(r_bits)
                    .unwrap()
                    .rem_vartime(&n);
                assert_eq!(out_r, mul_mod(&a, &b, &n), "modulus {i}, operands {j}");
            }
        }
    }

    #[test]
    fn powers_match_reference() {
        let mut rng = Rng(0xd13_0001);
        for i in 0..16 {
            let n_be = modulus(&mut rng, i % 4);
            let (d, n) = setup(&n_be);
            let nb = big(&n_be);
            let one = BoxedUint::one();
            let exps = [3, 5, 17, 65537, 0xffff_ffff, (rng.next() >> 32) | 1];
            for (j, &e) in exps.iter().enumerate() {
                let s = match j {
                    0 => BoxedUint::zero(),
                    1 => one.clone(),
                    2 => nb.clone().wrapping_sub(&one),
                    _ => big(&rng.bytes(BYTES)).rem_vartime(&n),
                };
                let mut out = std::vec![0u8; BYTES];
                d.pow_be(&be256(&s), e, &mut out).unwrap();
                assert_eq!(big(&out), pow_ref(&s, e, &n), "modulus {i}, e {e}");
            }
        }
    }

    /// Moduli of set digit shapes: the top digit small or full, low digits
    /// that make `n0` 1 or 2^13 - 1, the fix-up's four low digits full,
    /// digits alternating full and empty, and shorter moduli whose length
    /// ends on a digit boundary.
    fn shaped_moduli() -> Vec<Vec<u8>> {
        let from_digits = |ds: &[(usize, u16)]| {
            let mut x = BoxedUint::zero().widen(2048);
            for &(i, v) in ds {
                let term = BoxedUint::from(u64::from(v))
                    .widen(2048)
                    .shl_vartime(DIGIT_BITS * i as u32)
                    .unwrap();
                x = x.wrapping_add(&term);
            }
            be256(&x)
        };
        let top = |v: u16| (157, v);
        let mut out = std::vec![
            // 2^2047 + 1: top digit 64, n0 = 2^13 - 1.
            from_digits(&[top(64), (0, 1)]),
            // 2^2048 - 1: top digit 127, every digit full.
            std::vec![0xff; BYTES],
            // Top digit 64, the four low digits full (n0 = 1).
            from_digits(&[top(64), (0, 8191), (1, 8191), (2, 8191), (3, 8191)]),
            // Top digit 127, low digit 1, the rest empty.
            from_digits(&[top(127), (0, 1)]),
            // Digits alternating full and empty.
            from_digits(
                &(0..157)
                    .filter(|i| i % 2 == 0)
                    .map(|i| (i, 8191))
                    .chain([top(64)])
                    .collect::<Vec<_>>(),
            ),
            // Shorter: 13 * 157 + 1 bits (top digit 1) and 13 * 157 bits.
            from_digits(&[(157, 1), (0, 1)]),
            from_digits(&[(156, 4096), (5, 77), (0, 8191)]),
        ];
        // 2^2047 + a random odd low half.
        let mut rng = Rng(0x13_2047);
        let mut n = std::vec![0u8; BYTES];
        n[0] = 0x80;
        n[128..].copy_from_slice(&rng.bytes(128));
        n[BYTES - 1] |= 1;
        out.push(n);
        out
    }

    #[test]
    fn shaped_moduli_products_of_edges() {
        let r_bits = DIGIT_BITS * DIGITS as u32;
        for (i, n_be) in shaped_moduli().iter().enumerate() {
            let (d, n) = setup(n_be);
            let nb = big(n_be);
            let two_n = nb.widen(2112).shl_vartime(1).unwrap();
            let one = BoxedUint::one();
            let two = BoxedUint::from(2u8);
            // Every pair of the edge operands, up to the 2n - 1 the lazy
            // reduction allows, and the R^2 this class enters Montgomery
            // form by.
            let edges = [
                BoxedUint::zero(),
                one.clone(),
                two.clone(),
                nb.clone().wrapping_sub(&one),
                nb.clone(),
                nb.clone().wrapping_add(&one),
                two_n.clone().wrapping_sub(&two),
                two_n.clone().wrapping_sub(&one),
            ];
            for (ja, a) in edges.iter().enumerate() {
                for (jb, b) in edges.iter().enumerate() {
                    let out = value(&d.mul(&digits(a), &digits(b)));
                    assert!(out < two_n, "modulus {i}, operands {ja} {jb}");
                    let out_r = out
                        .widen(out.bits_precision() + r_bits)
                        .shl_vartime(r_bits)
                        .unwrap()
                        .rem_vartime(&n);
                    assert_eq!(out_r, mul_mod(a, b, &n), "modulus {i}, operands {ja} {jb}");
                }
            }
            // rr = R^2 mod n (below n).
            let rr = value(&d.rr);
            let r2 = BoxedUint::one()
                .widen(2 * r_bits + 64)
                .shl_vartime(2 * r_bits)
                .unwrap()
                .rem_vartime(&n);
            assert_eq!(rr, r2, "modulus {i}: R^2");
        }
    }

    #[test]
    fn shaped_moduli_powers() {
        let mut rng = Rng(0xd13_0002);
        // Every exponent a key may carry is odd in [3, 2^32); 1 and even
        // ones are pow_be's other path (refused at key load).
        let exps = [
            1,
            2,
            3,
            4,
            5,
            17,
            65537,
            0x8000_0001,
            0xaaaa_aaab,
            0xffff_fffd,
            0xffff_ffff,
        ];
        for (i, n_be) in shaped_moduli().iter().enumerate() {
            let (d, n) = setup(n_be);
            let nb = big(n_be);
            let one = BoxedUint::one();
            let ss = [
                BoxedUint::zero(),
                one.clone(),
                BoxedUint::from(2u8),
                nb.clone().wrapping_sub(BoxedUint::from(2u8)),
                nb.clone().wrapping_sub(&one),
                big(&rng.bytes(BYTES)).rem_vartime(&n),
            ];
            for s in &ss {
                for &e in &exps {
                    let mut out = std::vec![0u8; BYTES];
                    d.pow_be(&be256(s), e, &mut out).unwrap();
                    assert_eq!(big(&out), pow_ref(s, e, &n), "modulus {i}, e {e}");
                }
            }
            // e = 0 fails closed.
            let mut out = std::vec![0u8; BYTES];
            assert!(d.pow_be(&be256(&one), 0, &mut out).is_none());
        }
    }
}
