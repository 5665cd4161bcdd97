//! Into Montgomery form by a Barrett quotient: `s R mod n` in about `L^2`
//! word products, where the Montgomery product `s R^2 / R` takes `2 L^2`.
//!
//! Computes: the per-key constant `mu' = floor(2^(wL + nb) / n) - 2^(wL)`
//! (w = word bits, n of nb bits), and from it `s R mod n` for `s < n`.
//! Reference: crypto-bigint's plain modular arithmetic, in `monty.rs`'s unit
//! tests (moduli of every bit length in their class, both word sizes).
//!
//! Why it is exact. With `mu = 2^(wL) + mu'`, `X = s R` and `q = floor(X/n)`:
//! `mu > 2^(wL + nb)/n - 1`, so `s mu / 2^nb > X/n - s/2^nb > X/n - 1`, and
//! `s mu / 2^nb <= X/n`: `floor(s mu / 2^nb)` is `q - 1` or `q`. The columns
//! of `s mu'` below `k0 = floor(nb/w) - 2` are left out; they sum to less
//! than `k0 2^(w(k0+1)) (1 + 2^(1-w)) <= k0 (1 + 2^(1-w)) 2^(nb-w) < 2^nb`
//! (`k0 < L < 2^(w-1)`), so the quotient taken, `q'`, is `q - 2 .. q`. Then
//! `r = X - q' n` lies in `[0, 3n)`, below `2^(w(L+1))`: it is computed
//! modulo that (only `s_0` of `X` and the low `L + 1` words of `q' n`), and
//! at most two subtractions of n reduce it.
//!
//! `mu'` needs no division: `mu n = 2^(wL + nb) - rho` with
//! `rho = 2^(wL + nb) mod n`, so `mu' = -rho n^-1 (mod R)`, which is the
//! quotient `m` of a Montgomery reduction of `rho` (`rho + m n = 0 mod R`);
//! and `mu'` lies in `[0, R)` because `2^(nb-1) < n < 2^nb`.
//!
//! Used by the large RSA classes for RSASSA-PSS, which must read `s^e mod n`
//! itself: one Montgomery product fewer of 18 at e = 65537 (3072/4096 bits).

use super::{Acc, Monty, WORD_BITS, Word, reversed};

/// `mu'` of a modulus (see the module comment), with n's bit length.
#[derive(Clone, Debug)]
pub(crate) struct Barrett<const L: usize> {
    /// The words of `mu'` in reverse (most significant first), the column
    /// order of `Acc::dot`.
    pub(super) mu_rev: [Word; L],
    /// Bit length of n.
    pub(super) nb: usize,
}

impl<const L: usize> Monty<L> {
    /// The Barrett constant of this modulus, given `rr = R^2 mod n`.
    pub(crate) fn barrett(&self, rr: &[Word; L]) -> Barrett<L> {
        let w = WORD_BITS as usize;
        let nb = self.bits();
        // v = 2^nb - n, below n as n > 2^(nb-1); when nb = wL, 2^nb wraps to
        // zero and the difference is still right modulo R.
        let mut v = [0 as Word; L];
        if let Some(x) = v.get_mut(nb / w) {
            *x = 1 << (nb % w);
        }
        self.sub_modulus(&mut v);
        // rho = v R mod n = 2^(wL + nb) mod n.
        let mut rho = [0; L];
        self.mul(&v, rr, &mut rho);
        Barrett {
            mu_rev: reversed(&self.redc_quotient(&rho)),
            nb,
        }
    }

    /// The `m < R` with `x + m n = 0 (mod R)`: the first L columns of `mul`.
    fn redc_quotient(&self, x: &[Word; L]) -> [Word; L] {
        let n_rev = &self.n_rev;
        let n_low = n_rev[L - 1];
        let mut m = [0; L];
        let mut acc = Acc::ZERO;
        for k in 0..L {
            let r = L - 1 - k;
            acc.dot(&m[..k], &n_rev[r..L - 1]);
            acc.add_word(x[k]);
            let mk = acc.low().wrapping_mul(self.n0);
            acc.mac(mk, n_low);
            m[k] = mk;
            acc.shift();
        }
        m
    }

    /// `out = s R mod n` (the Montgomery form of s), for `s < n`.
    pub(crate) fn to_form(&self, s: &[Word; L], b: &Barrett<L>, out: &mut [Word; L]) {
        let w = WORD_BITS as usize;
        let (w0, sh) = (b.nb / w, b.nb % w);
        // q' = floor(Z / 2^nb) for Z = s R + (columns k0.. of s mu'): word i
        // of q' is made of Z's words w0 + i and w0 + i + 1. q' < R, so Z has
        // no words above w0 + L.
        let mut q = [0 as Word; L];
        let mut acc = Acc::ZERO;
        let mut prev: Word = 0;
        for k in w0.saturating_sub(2)..=w0 + L {
            if k <= 2 * L - 2 {
                // Pairs s_i mu'_(k-i) with both indices below L.
                let lo = k.saturating_sub(L - 1);
                let hi = k.min(L - 1);
                let r = (L - 1 + lo) - k;
                acc.dot(&s[lo..=hi], &b.mu_rev[r..=r + (hi - lo)]);
            }
            if let Some(&x) = k.checked_sub(L).and_then(|j| s.get(j)) {
                acc.add_word(x);
            }
            let z = acc.shift();
            if sh == 0 {
                if let Some(qi) = k.checked_sub(w0).and_then(|i| q.get_mut(i)) {
                    *qi = z;
                }
            } else if let Some(qi) = k.checked_sub(w0 + 1).and_then(|i| q.get_mut(i)) {
                *qi = (prev >> sh) | (z << (w - sh));
            }
            prev = z;
        }
        // (top, r) = X - q' n modulo 2^(w(L+1)): X contributes s_0 at word L.
        let n_rev = &self.n_rev;
        let mut r = [0 as Word; L];
        let mut acc = Acc::ZERO;
        for k in 0..L {
            acc.dot(&q[..=k], &n_rev[L - 1 - k..]);
            r[k] = acc.shift();
        }
        acc.dot(&q[1..], &n_rev[..L - 1]);
        let mut borrow = false;
        for x in r.iter_mut() {
            let (d, b1) = (0 as Word).overflowing_sub(*x);
            let (d, b2) = d.overflowing_sub(Word::from(borrow));
            *x = d;
            borrow = b1 | b2;
        }
        let mut top = s[0]
            .wrapping_sub(acc.low())
            .wrapping_sub(Word::from(borrow));
        // r < 3n: two conditional subtractions.
        for _ in 0..2 {
            if top != 0 || !self.below_modulus(&r) {
                top = top.wrapping_sub(self.sub_modulus(&mut r));
            }
        }
        *out = r;
    }
}
