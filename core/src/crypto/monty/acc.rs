//! The column accumulator of `monty.rs`'s product scanning: the three-word
//! value `lo + hi 2^w + carries 2^(2w)` (w = word bits), to which a column's
//! word products are added.
//!
//! Two implementations with one interface, chosen at compile time:
//!
//! - `carry_chain` (x86_64, 64-bit words): each product is added with
//!   `_addcarry_u64`, a safe intrinsic that needs no target feature, so
//!   LLVM emits one `add` and two `adc` per product, and `dot` walks
//!   sixteen products per loop test. Measured 12% faster than `wide` per
//!   Montgomery square at 2048-4096 bits on an AMD EPYC (Zen 4), where
//!   `wide` compiled to about ten instructions per product (register
//!   shuffles around a `setb`). `wide` unrolled by four was 50-75% slower
//!   on x86_64.
//! - `wide` (every other target, 32-bit words, and the hidden
//!   `rsa-portable-acc` feature that runs it on x86_64 for the tests): a
//!   double-word `acc` plus a word of carries, plain integer arithmetic.
//! - `split` (`acc_split.rs`: wasm32 with `simd128`, the Go module's
//!   WebAssembly build, and the hidden `rsa-split-acc` feature on the host):
//!   `wide` with a dot product that sums the halves of the word products
//!   apart, carry-free, four products per SIMD step.
//!
//! All are exercised by the same tests: `make test` runs the monty unit
//! tests and the RSA differential with the default build (`carry_chain` on
//! x86_64), with `rsa-portable-acc` (`wide`, 64-bit words), with
//! `rsa-word32` (`wide`, 32-bit words) and with `rsa-split-acc` (`split`).

#[cfg(all(
    target_arch = "x86_64",
    not(feature = "rsa-word32"),
    not(feature = "rsa-portable-acc")
))]
pub(super) use carry_chain::Acc;
#[cfg(any(
    all(target_arch = "wasm32", target_feature = "simd128"),
    feature = "rsa-split-acc"
))]
pub(super) use split::Acc;
#[cfg(not(any(
    all(
        target_arch = "x86_64",
        not(feature = "rsa-word32"),
        not(feature = "rsa-portable-acc")
    ),
    all(target_arch = "wasm32", target_feature = "simd128"),
    feature = "rsa-split-acc"
)))]
pub(super) use wide::Acc;

#[cfg(all(
    target_arch = "x86_64",
    not(feature = "rsa-word32"),
    not(feature = "rsa-portable-acc")
))]
mod carry_chain {
    use super::super::Word;
    use core::arch::x86_64::_addcarry_u64;

    #[derive(Clone, Copy)]
    pub(in super::super) struct Acc {
        lo: u64,
        hi: u64,
        carries: u64,
    }

    impl Acc {
        pub(in super::super) const ZERO: Self = Self {
            lo: 0,
            hi: 0,
            carries: 0,
        };

        /// `self += a * b`.
        #[inline(always)]
        pub(in super::super) fn mac(&mut self, a: Word, b: Word) {
            let p = u128::from(a) * u128::from(b);
            // Truncations intended: the product's two words.
            let c = _addcarry_u64(0, p as u64, self.lo, &mut self.lo);
            let c = _addcarry_u64(c, (p >> 64) as u64, self.hi, &mut self.hi);
            // No overflow: `carries` counts at most one per term of a
            // column (2L + 3 terms).
            _addcarry_u64(c, 0, self.carries, &mut self.carries);
        }

        /// `self += x`.
        #[inline(always)]
        pub(in super::super) fn add(&mut self, x: &Self) {
            let c = _addcarry_u64(0, x.lo, self.lo, &mut self.lo);
            let c = _addcarry_u64(c, x.hi, self.hi, &mut self.hi);
            _addcarry_u64(c, x.carries, self.carries, &mut self.carries);
        }

        /// `self += w`.
        #[inline(always)]
        pub(in super::super) fn add_word(&mut self, w: Word) {
            let c = _addcarry_u64(0, w, self.lo, &mut self.lo);
            let c = _addcarry_u64(c, 0, self.hi, &mut self.hi);
            _addcarry_u64(c, 0, self.carries, &mut self.carries);
        }

        /// `self += sum x_i y_i` over two slices of one length (a shorter
        /// `y` would end the sum early; callers pass equal lengths).
        #[inline(always)]
        pub(in super::super) fn dot(&mut self, x: &[Word], y: &[Word]) {
            // Sixteen products per loop test, then at most one block each of
            // eight, four, two and one, taken by slice patterns: no bounds
            // checks, and few branches in the short columns. Measured 1%
            // faster per exponentiation than eight per loop test then pairs
            // (itself 12% faster than pairs alone), and 1-2% faster than the
            // same blocks through `split_first_chunk`.
            let (mut x, mut y) = (x, y);
            macro_rules! block {
                ($kw:tt $($a:ident $b:ident)*) => {
                    $kw let ([$($a,)* xr @ ..], [$($b,)* yr @ ..]) = (x, y) {
                        $(self.mac(*$a, *$b);)*
                        (x, y) = (xr, yr);
                    }
                };
            }
            block!(while a0 b0 a1 b1 a2 b2 a3 b3 a4 b4 a5 b5 a6 b6 a7 b7
                a8 b8 a9 b9 a10 b10 a11 b11 a12 b12 a13 b13 a14 b14 a15 b15);
            block!(if a0 b0 a1 b1 a2 b2 a3 b3 a4 b4 a5 b5 a6 b6 a7 b7);
            block!(if a0 b0 a1 b1 a2 b2 a3 b3);
            block!(if a0 b0 a1 b1);
            if let ([a0, ..], [b0, ..]) = (x, y) {
                self.mac(*a0, *b0);
            }
        }

        /// The low word; the accumulator moves down one word (next column).
        #[inline(always)]
        pub(in super::super) fn shift(&mut self) -> Word {
            let low = self.lo;
            self.lo = self.hi;
            self.hi = self.carries;
            self.carries = 0;
            low
        }

        #[inline(always)]
        pub(in super::super) fn low(&self) -> Word {
            self.lo
        }
    }
}

#[cfg(not(any(
    all(
        target_arch = "x86_64",
        not(feature = "rsa-word32"),
        not(feature = "rsa-portable-acc")
    ),
    all(target_arch = "wasm32", target_feature = "simd128"),
    feature = "rsa-split-acc"
)))]
mod wide {
    use super::super::{WORD_BITS, Wide, Word};

    /// A product is added to `acc` whole (`add`/`adc`) and its carry out
    /// counted (one more `adc`): three add instructions per word product,
    /// where two independent two-word sums (low halves, high halves) took
    /// four. Measured 9% faster at 2048 and 4096 bits.
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
            let (sum, carry) = self.acc.overflowing_add(Wide::from(a) * Wide::from(b));
            self.acc = sum;
            self.carries += Word::from(carry);
        }

        /// `self += x`.
        #[inline(always)]
        pub(in super::super) fn add(&mut self, x: &Self) {
            let (sum, carry) = self.acc.overflowing_add(x.acc);
            self.acc = sum;
            self.carries += x.carries + Word::from(carry);
        }

        /// `self += w`.
        #[inline(always)]
        pub(in super::super) fn add_word(&mut self, w: Word) {
            let (sum, carry) = self.acc.overflowing_add(Wide::from(w));
            self.acc = sum;
            self.carries += Word::from(carry);
        }

        /// `self += sum x_i y_i` over two slices of one length (a shorter
        /// `y` would end the sum early; callers pass equal lengths).
        #[inline(always)]
        pub(in super::super) fn dot(&mut self, x: &[Word], y: &[Word]) {
            // Pairs taken by slice patterns: no bounds checks, one length
            // test per two products (measured faster than by four or one,
            // and than `chunks_exact`, which keeps per-element checks at
            // opt-level z).
            let (mut x, mut y) = (x, y);
            while let ([x0, x1, xr @ ..], [y0, y1, yr @ ..]) = (x, y) {
                self.mac(*x0, *y0);
                self.mac(*x1, *y1);
                (x, y) = (xr, yr);
            }
            if let ([x0, ..], [y0, ..]) = (x, y) {
                self.mac(*x0, *y0);
            }
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
}

#[cfg(any(
    all(target_arch = "wasm32", target_feature = "simd128"),
    feature = "rsa-split-acc"
))]
#[path = "acc_split.rs"]
mod split;
