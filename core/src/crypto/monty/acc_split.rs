//! The column accumulator for WebAssembly with SIMD (32-bit words): `wide`'s
//! double word plus a word of carries, with a dot product that needs no
//! carry per word product and takes four products per SIMD step.
//!
//! `dot` sums the high halves of the 64-bit word products exactly (each is
//! below 2^32, so up to 2^32 of them fit in 64 bits) and the whole products
//! modulo 2^64; the sum of the low halves is the difference, below 2^64.
//! It adds `lo + hi 2^32` to the accumulator once per call. Four products
//! at a time are one `v128.load` per operand, two `i64x2.mul` (of the even
//! and of the odd words), a shift each, and four lane additions
//! (`lanes::Pair`); the accumulator's own add-with-carry (a compare and an
//! add per product in `wide`) runs once per call. wazero compiles the
//! module with a bounds check per memory access and lowers `i64x2.mul`
//! (and `i64x2.extmul_*`, which it turns into one) to three `pmuludq`.
//!
//! Measured (Go module, wazero 1.12 on AMD EPYC, shared machine, 2026-12,
//! RS256-2048 per verification): `wide` 303 us; this dot product with
//! extmul, four per loop test 240 us; eight per loop test 213; one v128
//! load per operand 195; no mask per product (the low halves' sum as a
//! difference) 186. `wide` built with `simd128` (LLVM vectorises nothing
//! there) and this file without it (the halves summed in scalar code:
//! 379 us) were no faster.
//!
//! Selected on `wasm32` with `simd128` (the Go module's build, `go/go.mk`),
//! where it now serves the 2304-4096-bit classes only: the 2048-bit class
//! runs on 13-bit digits there (`monty_d13.rs`, RS256 107 us). Through the
//! hidden `rsa-split-acc` feature (which implies `rsa-word32`) it runs on
//! the host with `lanes::Pair` in plain integers, so that `make
//! test-split-acc` runs the monty unit tests and the RSA differential
//! through the same dot product; only `Pair`'s one-line wrappers around the
//! intrinsics differ between the two.

use super::super::{WORD_BITS, Wide, Word};
use lanes::Pair;

#[derive(Clone, Copy)]
pub(in super::super) struct Acc {
    acc: Wide,
    carries: Word,
}

impl Acc {
    pub(in super::super) const ZERO: Self = Self { acc: 0, carries: 0 };

    /// `self += a * b`.
    #[inline(always)]
    pub(in super::super) fn mac(&mut self, a: Word, b: Word) {
        self.add_wide(Wide::from(a) * Wide::from(b));
    }

    /// `self += x`.
    #[inline(always)]
    pub(in super::super) fn add(&mut self, x: &Self) {
        self.add_wide(x.acc);
        self.carries += x.carries;
    }

    /// `self += w`.
    #[inline(always)]
    pub(in super::super) fn add_word(&mut self, w: Word) {
        self.add_wide(Wide::from(w));
    }

    /// `self += x` for a double word `x`.
    #[inline(always)]
    fn add_wide(&mut self, x: Wide) {
        let (sum, carry) = self.acc.overflowing_add(x);
        self.acc = sum;
        self.carries += Word::from(carry);
    }

    /// `self += sum x_i y_i` over two slices of one length (a shorter
    /// `y` would end the sum early; callers pass equal lengths).
    #[inline(always)]
    pub(in super::super) fn dot(&mut self, x: &[Word], y: &[Word]) {
        // No overflow: each half of a product is below 2^WORD_BITS, and a
        // slice has far fewer than 2^(WORD_BITS - 1) words.
        let (mut x, mut y) = (x, y);
        let (mut lo, mut hi) = (Pair::ZERO, Pair::ZERO);
        // Blocks of eight, then at most one of four, taken by slice patterns
        // (no bounds checks); the rest one by one. Eight per loop test
        // measured 9% faster per RS256 than four, sixteen no faster.
        macro_rules! block {
            ($kw:tt $([$a0:ident $a1:ident $a2:ident $a3:ident] [$b0:ident $b1:ident $b2:ident $b3:ident])*) => {
                $kw let ([$($a0, $a1, $a2, $a3,)* xr @ ..], [$($b0, $b1, $b2, $b3,)* yr @ ..]) = (x, y) {
                    $(
                        let (p, q) = Pair::products([*$a0, *$a1, *$a2, *$a3], [*$b0, *$b1, *$b2, *$b3]);
                        lo = lo.add(p).add(q);
                        hi = hi.add(p.high_halves()).add(q.high_halves());
                    )*
                    (x, y) = (xr, yr);
                }
            };
        }
        block!(while [a0 a1 a2 a3] [b0 b1 b2 b3] [a4 a5 a6 a7] [b4 b5 b6 b7]);
        block!(if [a0 a1 a2 a3] [b0 b1 b2 b3]);
        let (mut lo, mut hi) = (lo.sum(), hi.sum());
        for (a, b) in x.iter().zip(y) {
            let p = Wide::from(*a) * Wide::from(*b);
            lo = lo.wrapping_add(p);
            hi += p >> WORD_BITS;
        }
        // `lo` is the sum of the whole products modulo 2^(2w) (no mask per
        // product), the sum of their high halves times 2^w plus that of
        // their low halves: the low halves' sum, below 2^(2w), is the
        // difference.
        let lo = lo.wrapping_sub(hi << WORD_BITS);
        // lo + hi 2^w: hi's low word shifted up, its high word into carries.
        self.add_wide(lo);
        self.add_wide(hi << WORD_BITS);
        // Truncation intended: hi < 2^(2w), this is its high word.
        self.carries += (hi >> WORD_BITS) as Word;
    }

    /// The low word; the accumulator moves down one word (next column).
    #[inline(always)]
    pub(in super::super) fn shift(&mut self) -> Word {
        // Truncation intended: the low word.
        let low = self.acc as Word;
        // No overflow: a column has at most 2L + 3 terms, so `carries`
        // stays far below 2^WORD_BITS.
        self.acc = (self.acc >> WORD_BITS) | (Wide::from(self.carries) << WORD_BITS);
        self.carries = 0;
        low
    }

    #[inline(always)]
    pub(in super::super) fn low(&self) -> Word {
        // Truncation intended: the low word.
        self.acc as Word
    }
}

/// Two 64-bit lanes: `v128` on wasm32 with `simd128`, else two integers
/// (the host tests). Same operations, same results.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod lanes {
    use core::arch::wasm32::{
        i64x2_add, i64x2_mul, u32x4, u64x2, u64x2_extract_lane, u64x2_shr, v128, v128_and,
    };

    #[derive(Clone, Copy)]
    pub(super) struct Pair(v128);

    impl Pair {
        pub(super) const ZERO: Self = Self(u64x2(0, 0));

        /// `([a0 b0, a2 b2], [a1 b1, a3 b3])`.
        #[inline(always)]
        pub(super) fn products(a: [u32; 4], b: [u32; 4]) -> (Self, Self) {
            // One v128 load per operand (u64x2_extmul_* compiled to two
            // i64x2.load32x2_u each, with a bounds check per load under
            // wazero); the even and odd words as 64-bit lanes, then
            // i64x2.mul, as wazero also lowers an extmul.
            let va = u32x4(a[0], a[1], a[2], a[3]);
            let vb = u32x4(b[0], b[1], b[2], b[3]);
            let low = u64x2(0xffff_ffff, 0xffff_ffff);
            (
                Self(i64x2_mul(v128_and(va, low), v128_and(vb, low))),
                Self(i64x2_mul(u64x2_shr(va, 32), u64x2_shr(vb, 32))),
            )
        }

        /// Each lane's high 32 bits.
        #[inline(always)]
        pub(super) fn high_halves(self) -> Self {
            Self(u64x2_shr(self.0, 32))
        }

        /// Lane-wise sum modulo 2^64.
        #[inline(always)]
        pub(super) fn add(self, o: Self) -> Self {
            Self(i64x2_add(self.0, o.0))
        }

        /// The sum of the two lanes modulo 2^64.
        #[inline(always)]
        pub(super) fn sum(self) -> u64 {
            u64x2_extract_lane::<0>(self.0).wrapping_add(u64x2_extract_lane::<1>(self.0))
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod lanes {
    #[derive(Clone, Copy)]
    pub(super) struct Pair([u64; 2]);

    impl Pair {
        pub(super) const ZERO: Self = Self([0; 2]);

        /// `([a0 b0, a2 b2], [a1 b1, a3 b3])`.
        #[inline(always)]
        pub(super) fn products(a: [u32; 4], b: [u32; 4]) -> (Self, Self) {
            let p = |i: usize| u64::from(a[i]) * u64::from(b[i]);
            (Self([p(0), p(2)]), Self([p(1), p(3)]))
        }

        /// Each lane's high 32 bits.
        #[inline(always)]
        pub(super) fn high_halves(self) -> Self {
            Self(self.0.map(|v| v >> 32))
        }

        /// Lane-wise sum modulo 2^64.
        #[inline(always)]
        pub(super) fn add(self, o: Self) -> Self {
            Self([
                self.0[0].wrapping_add(o.0[0]),
                self.0[1].wrapping_add(o.0[1]),
            ])
        }

        /// The sum of the two lanes modulo 2^64.
        #[inline(always)]
        pub(super) fn sum(self) -> u64 {
            self.0[0].wrapping_add(self.0[1])
        }
    }
}
