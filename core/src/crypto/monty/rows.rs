//! Montgomery products and squares by operand scanning, for 32-bit words
//! (every Cortex-M build, and `rsa-word32` on a host for the tests).
//!
//! Computes the same `a b / R mod n` and `a^2 / R mod n` as `monty.rs`'s
//! product scanning (separated operand scanning, "SOS" in Koç et al., 1996):
//! the full `2L`-word product (a squaring: each cross product once, then
//! doubled, then the squares), then `L` reduction rows, each adding `m n`
//! shifted so that one more low word becomes zero. Reference and tests: the
//! same as `monty.rs` (its unit tests and `tests/wycheproof_rsa.rs` under
//! `make test-word32`, against crypto-bigint and the `rsa` crate).
//!
//! Why rows on a Cortex-M: each step is `x y + t + c` on words, which cannot
//! overflow two words and is one `UMAAL` on an M4 (load, `UMAAL`, store, four
//! steps per loop test): about 5 instructions per word product, where the
//! column accumulator (a double word plus carries) compiled at opt-level z to
//! about 10 (LLVM recomputes each product with `UMLAL` for the sum and `UMULL`
//! for the carry). The price is a `2L`-word temporary (512 bytes at 2048
//! bits) and a forward copy of `n` on the stack of each product.

use super::{Monty, WORD_BITS, Wide, Word, reversed};

/// `x y + c + d` as (low, high) words; never overflows.
#[inline(always)]
fn mac(x: Word, y: Word, c: Word, d: Word) -> (Word, Word) {
    let v = crate::crypto::mul_wide(x, y) + Wide::from(c) + Wide::from(d);
    (v as Word, (v >> WORD_BITS) as Word)
}

/// `t += x y` over `t.len() == x.len()` words; returns the carry word out.
#[inline(always)]
fn row(t: &mut [Word], x: &[Word], y: Word) -> Word {
    let mut c = 0;
    let mut tc = t.chunks_exact_mut(4);
    let mut xc = x.chunks_exact(4);
    for (tt, xx) in (&mut tc).zip(&mut xc) {
        if let ([t0, t1, t2, t3], [x0, x1, x2, x3]) = (tt, xx) {
            (*t0, c) = mac(*x0, y, *t0, c);
            (*t1, c) = mac(*x1, y, *t1, c);
            (*t2, c) = mac(*x2, y, *t2, c);
            (*t3, c) = mac(*x3, y, *t3, c);
        }
    }
    for (tt, xx) in tc.into_remainder().iter_mut().zip(xc.remainder()) {
        (*tt, c) = mac(*xx, y, *tt, c);
    }
    c
}

impl<const L: usize> Monty<L> {
    /// Montgomery product `out = a b / R mod n`, for `a, b < n`.
    pub(super) fn mul_rows(&self, a: &[Word; L], b: &[Word; L], out: &mut [Word; L]) {
        let mut t = [[0; L]; 2];
        let t = t.as_flattened_mut();
        for (i, &bi) in b.iter().enumerate() {
            // Row i reaches word i + L - 1; word i + L is still zero.
            let c = row(&mut t[i..i + L], a, bi);
            t[i + L] = c;
        }
        self.reduce_rows(t, out);
    }

    /// Montgomery square `out = a^2 / R mod n`, for `a < n`.
    pub(super) fn sqr_rows(&self, a: &[Word; L], out: &mut [Word; L]) {
        let mut t = [[0; L]; 2];
        let t = t.as_flattened_mut();
        // Cross products a_i a_j, i < j: row i covers words 2i+1 .. i+L-1.
        for i in 0..L.saturating_sub(1) {
            let c = row(&mut t[2 * i + 1..i + L], &a[i + 1..], a[i]);
            t[i + L] = c;
        }
        // Twice that (below 2^(2 W L - 1), so it fits), plus the squares a_i^2.
        let mut shift_in = 0;
        let mut c = 0;
        for (i, &ai) in a.iter().enumerate() {
            let (lo, hi) = mac(ai, ai, 0, 0);
            let (t0, t1) = (t[2 * i], t[2 * i + 1]);
            let d0 = (t0 << 1) | shift_in;
            let d1 = (t1 << 1) | (t0 >> (WORD_BITS - 1));
            shift_in = t1 >> (WORD_BITS - 1);
            (t[2 * i], c) = mac(1, d0, lo, c);
            (t[2 * i + 1], c) = mac(1, d1, hi, c);
        }
        self.reduce_rows(t, out);
    }

    /// `out = t / R mod n` for the `2L`-word `t < n R` (Montgomery reduction).
    fn reduce_rows(&self, t: &mut [Word], out: &mut [Word; L]) {
        let n = reversed(&self.n_rev);
        // The carry out of word i + L waits in `top` for the next row's word i + L + 1.
        let mut top = 0;
        for i in 0..L {
            let m = t[i].wrapping_mul(self.n0);
            let c = row(&mut t[i..i + L], &n, m);
            (t[i + L], top) = mac(1, t[i + L], c, top);
        }
        out.copy_from_slice(&t[L..2 * L]);
        // (t + M n) / R < (n^2 + R n) / R < 2n.
        self.reduce_once(out, top);
    }
}
