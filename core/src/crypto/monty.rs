//! Montgomery arithmetic modulo an odd RSA modulus, for the public operation
//! `s^e mod n` (variable time: every input is public).
//!
//! Computes: Montgomery products and squares, `R^2 mod n`, `s^e mod n`, and
//! the unscaled power and congruence test `rsa.rs` uses for 3072/4096 bits.
//! Reference: crypto-bigint's plain modular arithmetic. Tested by this file's
//! unit tests (random and edge-shaped moduli of 1..8 words and RSA sizes),
//! with 64-bit words and, through the hidden `rsa-word32` feature
//! (`make test-word32`), with the 32-bit words of every Cortex-M build; on
//! x86_64 once more with the portable accumulator (`rsa-portable-acc`,
//! `make test-portable-acc`), the one aarch64 builds run, and with the
//! WebAssembly build's SIMD dot product in plain integers (`rsa-split-acc`,
//! `make test-split-acc`, see `monty/acc_split.rs`). The WebAssembly build's
//! 2048-bit class does not come here: `monty_d13.rs` (13-bit digits).
//!
//! Numbers are `L` little-endian machine words in fixed-size arrays. The
//! product and its reduction are interleaved column by column (product
//! scanning, "FIPS" in Koç et al., *Analyzing and comparing Montgomery
//! multiplication algorithms*, 1996): each column sums its word products into
//! an accumulator (`mul` and three add-with-carry steps, see `monty/acc.rs`),
//! and the reduction factors `m_j` live in the output array until the result
//! words overwrite them. So a product needs no wide (2L) temporary, and
//! a squaring computes each cross product once and doubles it (about a
//! quarter fewer word products than a multiplication).
//!
//! On 32-bit words (every Cortex-M build, and `rsa-word32` for the tests)
//! `mul` and `sqr` go by rows instead (`monty/rows.rs`): each word product
//! is one `UMAAL` on an M4, for a `2L`-word temporary (see there).
//!
//! A column is a sum of `x_j y_(k-j)`: with `y` stored in reverse order (the
//! modulus once at key load, the other operand copied per product) it becomes
//! a dot product of two slices walked forwards, which compiles to one loop
//! counter and no bounds checks.
//!
//! Measured and not taken (AMD EPYC Zen 4, 2026-12): a squaring runs at
//! about 2.2 cycles per word product where a lone 64x64->128 `mul` costs
//! 2.0, and at the same speed with `-C target-feature=+bmi2,+adx` (LLVM then
//! uses `mulx`): the multiplier, not the instruction count, bounds it, and
//! only fewer word products would be faster. One level of Karatsuba on the squaring
//! (three half squares, then the reduction) saves a quarter of the cross
//! products but ran 10-15% slower at 2048-4096 bits: the half squares'
//! short columns cost more than the products saved. Two accumulators fed by
//! one loop (two columns at once) ran slower still.
//!
//! Measured and not taken (same machine, 2026-12-02): in isolation a product
//! costs about 1.46 cycles with `mul` alone, 1.8-1.9 with two adds, 2.2-2.3
//! with the three this accumulator needs; a squaring costs about 6% more than
//! the same number of products in long dot products (the column overhead).
//! 62-bit limbs (sixteen products summed in two words, then one three-word
//! add) cut the cost per product by about 12%, but 4096 bits need 67 limbs
//! for 64 words: a squaring was 3-4% faster at 4096 bits and up to 10%
//! slower at 2048 and 3072. aws-lc's squaring (`bn_sqrx8x`, with
//! `mulx`/`adcx`/`adox`: two carry chains) takes about two thirds of the time
//! of ours for the same 16 squarings in a profile; LLVM emits neither `adcx`
//! nor `adox`, even from `_addcarryx_u64` in a function with
//! `target_feature(enable = "adx")`, so safe Rust has one carry chain.
//!
//! Key loading computes `R^2 mod n` (R = 2^(word bits * L)) by doublings and
//! Montgomery squarings, again without any wide temporary or division. The
//! 2048-bit RSA class keeps it and enters Montgomery form by a product with
//! it; the large classes keep a Barrett constant instead and enter with
//! about half the word products (`monty/barrett.rs`).

// 64-bit targets: 64x64->128 multiplications.
#[cfg(all(target_pointer_width = "64", not(feature = "rsa-word32")))]
pub(crate) type Word = u64;
#[cfg(all(target_pointer_width = "64", not(feature = "rsa-word32")))]
#[cfg_attr(target_arch = "x86_64", allow(dead_code))] // x86_64 adds words (`acc.rs`).
type Wide = u128;
// 32-bit targets (Cortex-M): 32x32->64 multiplications. The `rsa-word32`
// feature selects them on a 64-bit host too, so the tests run them there.
#[cfg(any(not(target_pointer_width = "64"), feature = "rsa-word32"))]
pub(crate) type Word = u32;
#[cfg(any(not(target_pointer_width = "64"), feature = "rsa-word32"))]
type Wide = u64;

const WORD_BITS: u32 = Word::BITS;
/// Bytes per word.
pub(crate) const WORD_BYTES: usize = (Word::BITS / 8) as usize;

/// Words needed for `bits` bits.
pub(crate) const fn words_for_bits(bits: usize) -> usize {
    bits.div_ceil(Word::BITS as usize)
}

mod acc;
use acc::Acc;
// 32-bit words: products and squares by rows (`monty/rows.rs`), one UMAAL a
// word product on a Cortex-M4: about 5 instructions where a column step
// compiles to about 10. Not on wasm32 with SIMD, whose columns sum four
// products per SIMD step (`monty/acc_split.rs`; `rsa-split-acc` tests that
// path on the host).
#[cfg(any(not(target_pointer_width = "64"), feature = "rsa-word32"))]
mod rows;
#[cfg(any(not(target_pointer_width = "64"), feature = "rsa-word32"))]
const ROWS: bool = !cfg!(any(
    all(target_arch = "wasm32", target_feature = "simd128"),
    feature = "rsa-split-acc"
));
#[cfg_attr(not(feature = "rsa-large"), allow(dead_code))]
mod barrett;
#[cfg_attr(not(feature = "rsa-large"), allow(unused_imports))]
pub(crate) use barrett::Barrett;

/// An odd modulus `n` of `L` words with its Montgomery constant. `R^2 mod n`
/// (`r_squared`) is the caller's to keep: the 2048-bit RSA class keeps it to
/// enter Montgomery form by a product, the large classes only use it at key
/// load.
#[derive(Clone, Debug)]
pub(crate) struct Monty<const L: usize> {
    /// The words of n in reverse (most significant first): see the module
    /// comment.
    n_rev: [Word; L],
    /// `-n^-1 mod 2^WORD_BITS`.
    n0: Word,
}

/// Big-endian bytes (at most `L` words' worth) to little-endian words.
pub(crate) fn words_from_be<const L: usize>(bytes: &[u8]) -> Option<[Word; L]> {
    if bytes.len() > L * WORD_BYTES {
        return None;
    }
    let mut out = [0; L];
    for (w, chunk) in out.iter_mut().zip(bytes.rchunks(WORD_BYTES)) {
        *w = chunk.iter().fold(0, |acc, &b| (acc << 8) | Word::from(b));
    }
    Some(out)
}

/// The low `out.len()` bytes of `x`, big-endian (`None` if `out` is longer
/// than `x`).
pub(crate) fn words_to_be<const L: usize>(x: &[Word; L], out: &mut [u8]) -> Option<()> {
    if out.len() > L * WORD_BYTES {
        return None;
    }
    // Word by word from the end; the first chunk may be a partial word.
    for (chunk, w) in out.rchunks_mut(WORD_BYTES).zip(x) {
        let bytes = w.to_be_bytes();
        let tail = bytes.get(WORD_BYTES - chunk.len()..)?;
        chunk.copy_from_slice(tail);
    }
    Some(())
}

/// The words of `x` in reverse order.
#[inline(always)]
fn reversed<const L: usize>(x: &[Word; L]) -> [Word; L] {
    let mut r = *x;
    r.reverse();
    r
}

/// `-n^-1 mod 2^WORD_BITS` for odd `n0` (Newton: each step doubles the
/// correct low bits; `n0 * n0 = 1 mod 8` gives the first three).
pub(crate) fn neg_inv(n0: Word) -> Word {
    let mut inv = n0;
    for _ in 0..5 {
        inv = inv.wrapping_mul((2 as Word).wrapping_sub(n0.wrapping_mul(inv)));
    }
    inv.wrapping_neg()
}

impl<const L: usize> Monty<L> {
    /// Constants for the odd modulus `n` (big-endian, at most `L` words, at
    /// least 2 bits). `None` if `n` is even, below 3, or too long.
    pub(crate) fn new(n_be: &[u8]) -> Option<Self> {
        let n = words_from_be::<L>(n_be)?;
        let n_low = *n.first()?;
        if n_low & 1 == 0 || (n_low < 3 && n.iter().skip(1).all(|&w| w == 0)) {
            return None;
        }
        Some(Self {
            n_rev: reversed(&n),
            n0: neg_inv(n_low),
        })
    }

    /// Bit length of n.
    pub(crate) fn bits(&self) -> usize {
        match self.n_rev.iter().position(|&w| w != 0) {
            Some(i) => (L - i) * WORD_BITS as usize - self.n_rev[i].leading_zeros() as usize,
            None => 0,
        }
    }

    /// `R^2 mod n`, for key load.
    // Out of line: its temporaries must not add up with the key loader's.
    #[inline(never)]
    pub(crate) fn r_squared(&self) -> [Word; L] {
        // R = 2^r_bits; write r_bits = t * 2^s. From 2^(bits-1) (below n),
        // doublings mod n reach 2^t * R mod n, the Montgomery form of 2^t;
        // s Montgomery squarings turn it into the form of 2^(t * 2^s) = R,
        // which is R^2 mod n. A doubling costs about 1/50 of a squaring, so
        // t stays at 64 or more: 64 doublings and 5 squarings for 2048 bits.
        let r_bits = L * WORD_BITS as usize;
        let mut s = 0;
        while (r_bits >> s).is_multiple_of(2) && (r_bits >> (s + 1)) >= 64 {
            s += 1;
        }
        let t = r_bits >> s;
        let mut x = [0; L];
        let b = self.bits() - 1;
        x[b / WORD_BITS as usize] = 1 << (b % WORD_BITS as usize);
        for _ in 0..(r_bits - b + t) {
            self.double(&mut x);
        }
        let mut y = [0; L];
        for _ in 0..s {
            self.sqr(&x, &mut y);
            x = y;
        }
        x
    }

    /// Same modulus, compared over every word without early exit.
    pub(crate) fn same_modulus(&self, other: &Self) -> bool {
        let diff = self
            .n_rev
            .iter()
            .zip(&other.n_rev)
            .fold(0, |acc, (x, y)| acc | (x ^ y));
        diff == 0
    }

    /// `x < n`.
    pub(crate) fn below_modulus(&self, x: &[Word; L]) -> bool {
        for (a, b) in x.iter().rev().zip(&self.n_rev) {
            if a != b {
                return a < b;
            }
        }
        false
    }

    /// `(top, x) < 2n` to `x mod n` by one conditional subtraction.
    #[inline(always)]
    fn reduce_once(&self, x: &mut [Word; L], top: Word) {
        if top != 0 || !self.below_modulus(x) {
            self.sub_modulus(x);
        }
    }

    /// `x -= n` modulo R; returns the borrow out (0 or 1).
    #[inline(always)]
    fn sub_modulus(&self, x: &mut [Word; L]) -> Word {
        let mut borrow = false;
        for (a, b) in x.iter_mut().zip(self.n_rev.iter().rev()) {
            let (d, b1) = a.overflowing_sub(*b);
            let (d, b2) = d.overflowing_sub(Word::from(borrow));
            *a = d;
            borrow = b1 | b2;
        }
        Word::from(borrow)
    }

    /// Plain `a b mod n` for `a, b < n`: a Montgomery product, then one with
    /// `R^2` to undo its `1/R`. For key-load constants.
    #[cfg_attr(not(feature = "rsa-large"), allow(dead_code))]
    pub(crate) fn mul_mod(
        &self,
        a: &[Word; L],
        b: &[Word; L],
        rr: &[Word; L],
        out: &mut [Word; L],
    ) {
        let mut t = [0; L];
        self.mul(a, b, &mut t);
        self.mul(&t, rr, out);
    }

    /// `x = 2x mod n` for `x < n`.
    pub(crate) fn double(&self, x: &mut [Word; L]) {
        let mut carry = 0;
        for w in x.iter_mut() {
            let next = *w >> (WORD_BITS - 1);
            *w = (*w << 1) | carry;
            carry = next;
        }
        self.reduce_once(x, carry);
    }

    /// Montgomery product `out = a * b / R mod n`, for `a, b < n`.
    pub(crate) fn mul(&self, a: &[Word; L], b: &[Word; L], out: &mut [Word; L]) {
        #[cfg(any(not(target_pointer_width = "64"), feature = "rsa-word32"))]
        if ROWS {
            return self.mul_rows(a, b, out);
        }
        let b_rev = reversed(b);
        let n_rev = &self.n_rev;
        let n_low = n_rev[L - 1];
        let mut acc = Acc::ZERO;
        // Columns 0..L: the products a_j b_(k-j), the known m_j n_(k-j), then
        // m_k chosen so that the column's low word becomes zero.
        for k in 0..L {
            let r = L - 1 - k;
            acc.dot(&a[..=k], &b_rev[r..]);
            acc.dot(&out[..k], &n_rev[r..L - 1]);
            let m = acc.low().wrapping_mul(self.n0);
            acc.mac(m, n_low);
            out[k] = m;
            acc.shift();
        }
        // Columns L..2L-1: result word k-L replaces m_(k-L), no longer needed.
        for k in L..2 * L - 1 {
            let lo = k + 1 - L;
            acc.dot(&a[lo..], &b_rev[..L - lo]);
            acc.dot(&out[lo..], &n_rev[..L - lo]);
            out[k - L] = acc.shift();
        }
        // Column 2L-1 has no products: the carry is the last result word,
        // and what remains (0 or 1) its top bit: (a b + m n) / R < 2n.
        out[L - 1] = acc.shift();
        self.reduce_once(out, acc.low());
    }

    /// Montgomery square `out = a^2 / R mod n`, for `a < n`.
    pub(crate) fn sqr(&self, a: &[Word; L], out: &mut [Word; L]) {
        #[cfg(any(not(target_pointer_width = "64"), feature = "rsa-word32"))]
        if ROWS {
            return self.sqr_rows(a, out);
        }
        let a_rev = reversed(a);
        let n_rev = &self.n_rev;
        let n_low = n_rev[L - 1];
        let mut acc = Acc::ZERO;
        for k in 0..L {
            let r = L - 1 - k;
            // Cross products a_i a_j, i < j, i + j = k: once, then doubled.
            let h = k.div_ceil(2);
            let mut cross = Acc::ZERO;
            cross.dot(&a[..h], &a_rev[r..r + h]);
            acc.add(&cross);
            acc.add(&cross);
            if k % 2 == 0 {
                let d = a[k / 2];
                acc.mac(d, d);
            }
            acc.dot(&out[..k], &n_rev[r..L - 1]);
            let m = acc.low().wrapping_mul(self.n0);
            acc.mac(m, n_low);
            out[k] = m;
            acc.shift();
        }
        for k in L..2 * L - 1 {
            let lo = k + 1 - L;
            let h = k.div_ceil(2);
            let mut cross = Acc::ZERO;
            cross.dot(&a[lo..h], &a_rev[..h - lo]);
            acc.add(&cross);
            acc.add(&cross);
            if k % 2 == 0 {
                let d = a[k / 2];
                acc.mac(d, d);
            }
            acc.dot(&out[lo..], &n_rev[..L - lo]);
            out[k - L] = acc.shift();
        }
        out[L - 1] = acc.shift();
        self.reduce_once(out, acc.low());
    }

    /// `s^e mod n` for `s < n` and odd `e >= 3`, into `out`.
    #[cfg(test)]
    pub(crate) fn pow(&self, s: &[Word; L], e: u64, out: &mut [Word; L]) {
        let mut x = [0; L];
        self.to_form_by_product(s, &self.r_squared(), &mut x);
        self.pow_from_form(&mut x, s, e, out);
    }

    /// `out = s R mod n` (the Montgomery form of s) as `s R^2 / R`, given
    /// `rr = R^2 mod n`.
    #[cfg_attr(
        any(
            all(target_arch = "wasm32", target_feature = "simd128"),
            feature = "rsa-d13"
        ),
        allow(dead_code)
    )]
    pub(crate) fn to_form_by_product(&self, s: &[Word; L], rr: &[Word; L], out: &mut [Word; L]) {
        self.mul(s, rr, out);
    }

    /// `s^e mod n` for `s < n` and odd `e >= 3`, given also `x = s R mod n`
    /// (`pow` makes it with a product by `R^2`, `to_form` with about half
    /// the word products). `x` is overwritten: borrowed, not copied, so a
    /// device's verify stack holds no extra number.
    // Without `rsa-large`, the WebAssembly build runs `monty_d13` only.
    #[cfg_attr(
        any(
            all(target_arch = "wasm32", target_feature = "simd128"),
            feature = "rsa-d13"
        ),
        allow(dead_code)
    )]
    pub(crate) fn pow_from_form(
        &self,
        x: &mut [Word; L],
        s: &[Word; L],
        e: u64,
        out: &mut [Word; L],
    ) {
        let mut y = [0; L];
        if e == 65537 {
            for _ in 0..8 {
                self.sqr(x, &mut y);
                self.sqr(&y, x);
            }
            // The last product also leaves Montgomery form: the form
            // s^65536 R times the plain s, over R, is s^65537.
            self.mul(x, s, out);
            return;
        }
        // Square-and-multiply on the form s R: (s R)^e / R^(e-1) = s^e R.
        self.pow_unscaled(x, e, &mut y);
        // Out of Montgomery form: times 1, over R.
        let mut one = [0; L];
        one[0] = 1;
        self.mul(&y, &one, out);
    }
}

/// The two steps that let a caller check `s^e = t (mod n)` with neither
/// conversion into Montgomery form nor out of it (used for the large RSA
/// moduli, see `rsa.rs`; `pow_unscaled` is also `pow`'s loop).
impl<const L: usize> Monty<L> {
    /// `s^e / R^(e-1) mod n` for `s < n` and `e >= 1`.
    ///
    /// Left-to-right square-and-multiply on the plain `s`: a Montgomery
    /// square of `s^i / R^(i-1)` is `s^2i / R^(2i-1)`, and a Montgomery
    /// product with `s` is `s^(i+1) / R^i`, so the invariant holds from
    /// `i = 1` to `i = e`. For e = 65537: 16 squares and one product, where
    /// `pow` needs one more product to enter Montgomery form. (Also `pow`'s
    /// own loop for other exponents.)
    // Without `rsa-large`, the WebAssembly build runs `monty_d13` only.
    #[cfg_attr(
        any(
            all(target_arch = "wasm32", target_feature = "simd128"),
            feature = "rsa-d13"
        ),
        allow(dead_code)
    )]
    pub(crate) fn pow_unscaled(&self, s: &[Word; L], e: u64, out: &mut [Word; L]) {
        let mut x = *s;
        let mut y = [0; L];
        let top = 63 - e.max(1).leading_zeros();
        for bit in (0..top).rev() {
            self.sqr(&x, &mut y);
            if (e >> bit) & 1 == 1 {
                self.mul(&y, s, &mut x);
            } else {
                x = y;
            }
        }
        *out = x;
    }

    /// Whether `x = c - v K (mod n)`, for `x, c, K < n` (`K` given as its
    /// words in reverse) and any `v` of `W` words.
    ///
    /// The sum `Y = v K + x + (n - c)` is a multiple of n exactly when the
    /// congruence holds. `W` Montgomery word steps turn it into
    /// `Z = (Y + M n) / B` for some `M < B = 2^(W WORD_BITS)`: the residue of
    /// `Y` times a unit. `v K <= (B - 1)(n - 1)`, `x + n - c <= 2n - 1` and
    /// `M n <= (B - 1) n` add up to at most `2 B n - B`, so `Z < 2n`; and
    /// `Z > 0`, as `n - c >= 1`. So the congruence holds exactly when
    /// `Z = n`. The product and the word steps run in one column
    /// scan, as in `mul`: about `2 W L` word products, against `2 L^2` for a
    /// Montgomery product.
    #[cfg_attr(not(feature = "rsa-large"), allow(dead_code))]
    pub(crate) fn is_difference<const W: usize>(
        &self,
        x: &[Word; L],
        c: &[Word; L],
        v: &[Word; W],
        k_rev: &[Word; L],
    ) -> bool {
        // a = x + (n - c): L words and a carry bit (a < 2n).
        let mut a = [0 as Word; L];
        let mut borrow = false;
        let mut carry = false;
        for (((out, &xj), &cj), &nj) in a.iter_mut().zip(x).zip(c).zip(self.n_rev.iter().rev()) {
            let (d, b1) = nj.overflowing_sub(cj);
            let (d, b2) = d.overflowing_sub(Word::from(borrow));
            borrow = b1 | b2;
            let (s, c1) = d.overflowing_add(xj);
            let (s, c2) = s.overflowing_add(Word::from(carry));
            carry = c1 | c2;
            *out = s;
        }
        let n_rev = &self.n_rev;
        let n_low = n_rev[L - 1];
        let mut m = [0 as Word; W];
        let mut y = [0 as Word; L];
        let mut acc = Acc::ZERO;
        for k in 0..L + W {
            // Terms v_i K_(k-i) and m_i n_(k-i) with i >= lo keep k - i < L.
            let lo = k.saturating_sub(L - 1);
            let r = (L - 1 + lo) - k;
            if let Some(vs) = v.get(lo..(k + 1).min(W)) {
                acc.dot(vs, &k_rev[r..]);
            }
            if let Some(ms) = m.get(lo..k.min(W)) {
                acc.dot(ms, &n_rev[r..]);
            }
            if let Some(&w) = a.get(k) {
                acc.add_word(w);
            } else if k == L {
                acc.add_word(Word::from(carry));
            }
            if let Some(mk) = m.get_mut(k) {
                // Choose m_k so that the column's low word becomes zero.
                *mk = acc.low().wrapping_mul(self.n0);
                acc.mac(*mk, n_low);
                acc.shift();
            } else {
                y[k - W] = acc.shift();
            }
        }
        acc.low() == 0 && y.iter().eq(n_rev.iter().rev())
    }
}

#[cfg(test)]
// `widen` is deprecated for a `resize` this version does not have on BoxedUint.
#[allow(deprecated)]
mod tests {
    //! Differential tests against crypto-bigint's plain (non-Montgomery)
    //! modular arithmetic, over random and edge-case moduli and operands.
    extern crate std;
    use super::super::bigint_ref::{Rng, mul_mod, pow_ref};
    use super::*;
    use crypto_bigint::{BoxedUint, NonZero};
    use std::vec::Vec;

    fn be<const L: usize>(x: &[Word; L]) -> Vec<u8> {
        let mut v = std::vec![0u8; L * WORD_BYTES];
        words_to_be(x, &mut v).unwrap();
        v
    }

    fn big<const L: usize>(x: &[Word; L]) -> BoxedUint {
        BoxedUint::from_be_slice_vartime(&be(x))
    }

    /// Minimal big-endian bytes (empty for zero).
    fn trimmed(x: &BoxedUint) -> Vec<u8> {
        let v = x.to_be_bytes().to_vec();
        let z = v.iter().take_while(|&&b| b == 0).count();
        v[z..].to_vec()
    }

    fn words<const L: usize>(x: &BoxedUint) -> [Word; L] {
        words_from_be::<L>(&trimmed(x)).unwrap()
    }

    /// `x * 2^r_bits mod n`.
    fn times_r(x: &BoxedUint, r_bits: u32, n: &NonZero<BoxedUint>) -> BoxedUint {
        let w = x.widen(x.bits_precision() + r_bits);
        w.shl_vartime(r_bits).unwrap().rem_vartime(n)
    }

    /// Random odd modulus of `L` words: random bit length in the top word
    /// (at least 2 bits overall), or a special shape.
    fn modulus<const L: usize>(rng: &mut Rng, shape: usize) -> [Word; L] {
        let mut n = [0 as Word; L];
        let r_bits = L * WORD_BITS as usize;
        match shape {
            // All ones: 2^(w L) - 1.
            0 => n = [Word::MAX; L],
            // 2^(bits-1) + 1: smallest with its top bit.
            1 => {
                let bits = r_bits - rng.below(WORD_BITS as usize).min(r_bits - 2);
                n[0] = 1;
                n[(bits - 1) / WORD_BITS as usize] |= 1 << ((bits - 1) % WORD_BITS as usize);
            }
            _ => {
                for w in n.iter_mut() {
                    *w = rng.next() as Word;
                }
                let bits = r_bits - rng.below(WORD_BITS as usize).min(r_bits - 2);
                let top = (bits - 1) / WORD_BITS as usize;
                let in_top = (bits - 1) % WORD_BITS as usize;
                for w in n.iter_mut().skip(top + 1) {
                    *w = 0;
                }
                n[top] &= Word::MAX >> (WORD_BITS as usize - 1 - in_top);
                n[top] |= 1 << in_top;
                n[0] |= 1;
            }
        }
        n
    }

    fn check_size<const L: usize>(rng: &mut Rng, moduli: usize, ops: usize) {
        let r_bits = (L * WORD_BITS as usize) as u32;
        for i in 0..moduli {
            let n = modulus::<L>(rng, i % 8);
            let m = Monty::<L>::new(&be(&n)).unwrap();
            assert_eq!(m.n_rev, reversed(&n));
            assert_eq!(m.n0.wrapping_mul(n[0]), Word::MAX, "n0, L={L}");
            let nb = NonZero::new(big(&n)).unwrap();
            // R^2 mod n.
            let one = BoxedUint::one();
            let rr = times_r(&times_r(&one, r_bits, &nb), r_bits, &nb);
            assert_eq!(
                trimmed(&big(&m.r_squared())),
                trimmed(&rr),
                "R^2, L={L} case {i}"
            );
            assert_eq!(
                m.bits() as u32,
                big(&n).bits_vartime(),
                "bits, L={L} case {i}"
            );

            let n_minus = |k: u64| {
                // Widened to n's precision, whole 64-bit limbs: with 32-bit
                // words r_bits can be less than one limb.
                let v = big(&n).wrapping_sub(BoxedUint::from(k).widen(big(&n).bits_precision()));
                words::<L>(&v)
            };
            // Up to 24 bits: enough for every bit pattern path, fast in debug builds.
            let exps: Vec<u64> = (0..ops).map(|_| (rng.next() >> 40) | 3).collect();
            let mut operand = |j: usize| -> [Word; L] {
                match j {
                    0 => [0; L],
                    1 => words::<L>(&BoxedUint::one()),
                    2 => n_minus(1),
                    3 => n_minus(2),
                    _ => {
                        let mut x = [0 as Word; L];
                        for w in x.iter_mut() {
                            *w = rng.next() as Word;
                        }
                        words::<L>(&big(&x).rem_vartime(&nb))
                    }
                }
            };
            for (j, &e_rand) in exps.iter().enumerate() {
                let a = operand(j % 6);
                let b = operand((j / 6) % 6);
                assert!(m.below_modulus(&a) && m.below_modulus(&b));
                let (ab, bb) = (big(&a), big(&b));
                // mul: out < n and out R = a b (mod n).
                let mut out = [0; L];
                m.mul(&a, &b, &mut out);
                assert!(m.below_modulus(&out), "mul range, L={L}");
                assert_eq!(
                    trimmed(&times_r(&big(&out), r_bits, &nb)),
                    trimmed(&mul_mod(&ab, &bb, &nb)),
                    "mul, L={L} case {i}/{j}"
                );
                // sqr equals mul by itself.
                let mut sq = [0; L];
                m.sqr(&a, &mut sq);
                let mut sq2 = [0; L];
                m.mul(&a, &a, &mut sq2);
                assert_eq!(sq, sq2, "sqr, L={L} case {i}/{j}");
                // pow for F4 and other exponents.
                let e = match j % 4 {
                    0 | 1 => 65537,
                    2 => 3,
                    _ => e_rand,
                };
                m.pow(&a, e, &mut out);
                assert_eq!(
                    trimmed(&big(&out)),
                    trimmed(&pow_ref(&ab, e, &nb)),
                    "pow e={e}, L={L} case {i}/{j}"
                );
            }
            // x >= n is not below the modulus (callers reject it).
            assert!(!m.below_modulus(&n));
            assert!(!m.below_modulus(&[Word::MAX; L]));
        }
    }

    fn random_below<const L: usize>(rng: &mut Rng, nb: &NonZero<BoxedUint>) -> BoxedUint {
        let mut x = [0 as Word; L];
        for w in x.iter_mut() {
            *w = rng.next() as Word;
        }
        big(&x).rem_vartime(nb)
    }

    /// `pow_unscaled` and `is_difference` against plain modular arithmetic.
    fn check_unscaled<const L: usize, const W: usize>(rng: &mut Rng, moduli: usize, ops: usize) {
        let r_bits = (L * WORD_BITS as usize) as u32;
        for i in 0..moduli {
            let n = modulus::<L>(rng, i % 8);
            let m = Monty::<L>::new(&be(&n)).unwrap();
            let nb = NonZero::new(big(&n)).unwrap();
            let r_mod_n = times_r(&BoxedUint::one(), r_bits, &nb);
            // n's precision (whole 64-bit limbs, so at least r_bits).
            let prec = big(&n).bits_precision();
            for j in 0..ops {
                // pow_unscaled: out R^(e-1) = s^e (mod n).
                let e = match j % 3 {
                    0 => 65537,
                    1 => 1 + (rng.next() >> 44),
                    _ => rng.next() >> 44 | 1,
                };
                let s = random_below::<L>(rng, &nb);
                let mut out = [0; L];
                m.pow_unscaled(&words::<L>(&s), e, &mut out);
                assert!(m.below_modulus(&out), "pow_unscaled range, L={L}");
                let scale = pow_ref(&r_mod_n, e - 1, &nb);
                assert_eq!(
                    trimmed(&mul_mod(&big(&out), &scale, &nb)),
                    trimmed(&pow_ref(&s, e, &nb)),
                    "pow_unscaled e={e}, L={L} case {i}/{j}"
                );

                // is_difference: x = c - v K (mod n) built by the reference,
                // then off by one either way, then an unrelated x.
                let kk = match j % 4 {
                    0 => big(&n).wrapping_sub(BoxedUint::one().widen(prec)),
                    1 => BoxedUint::zero().widen(prec),
                    _ => random_below::<L>(rng, &nb),
                };
                let c = match j % 5 {
                    0 => BoxedUint::zero().widen(prec),
                    _ => random_below::<L>(rng, &nb),
                };
                let mut v = [0 as Word; W];
                for w in v.iter_mut() {
                    *w = match j % 3 {
                        0 => Word::MAX,
                        _ => rng.next() as Word,
                    };
                }
                let mut v_be = std::vec![0u8; W * WORD_BYTES];
                words_to_be(&v, &mut v_be).unwrap();
                let vb = BoxedUint::from_be_slice_vartime(&v_be).rem_vartime(&nb);
                let vk = mul_mod(&vb, &kk, &nb);
                let wide = |x: &BoxedUint| x.widen(r_bits + 64);
                let nw = wide(&big(&n));
                let x = wide(&c)
                    .wrapping_add(&nw)
                    .wrapping_sub(wide(&vk))
                    .rem_vartime(&NonZero::new(nw.clone()).unwrap());
                let (xw, cw, kr) = (words::<L>(&x), words::<L>(&c), reversed(&words::<L>(&kk)));
                assert!(
                    m.is_difference(&xw, &cw, &v, &kr),
                    "holds, L={L} W={W} case {i}/{j}"
                );
                let one = BoxedUint::one().widen(r_bits + 64);
                let plus = x
                    .wrapping_add(&one)
                    .rem_vartime(&NonZero::new(nw.clone()).unwrap());
                let minus = x
                    .wrapping_add(&nw)
                    .wrapping_sub(&one)
                    .rem_vartime(&NonZero::new(nw.clone()).unwrap());
                for (what, other) in [
                    ("x+1", plus),
                    ("x-1", minus),
                    ("random", random_below::<L>(rng, &nb)),
                ] {
                    let expect = trimmed(&other) == trimmed(&x);
                    assert_eq!(
                        m.is_difference(&words::<L>(&other), &cw, &v, &kr),
                        expect,
                        "{what}, L={L} W={W} case {i}/{j}"
                    );
                }
            }
        }
    }

    /// `barrett` and `to_form` against plain arithmetic, for moduli of
    /// every bit length the class can hold (the 2304-bit RSA class holds
    /// moduli from 2049 bits, several words short of R).
    fn check_barrett<const L: usize>(rng: &mut Rng, moduli: usize, ops: usize) {
        let r_bits = (L * WORD_BITS as usize) as u32;
        for i in 0..moduli {
            let mut n = modulus::<L>(rng, i % 8);
            // Every shape at full length, at a whole number of words (the
            // quotient then needs no bit shift), and at random lengths >= 2.
            let bits = match (i / 8) % 4 {
                0 => r_bits as usize,
                1 => WORD_BITS as usize * (1 + rng.below(L)),
                _ => 2 + rng.below(r_bits as usize - 1),
            };
            for (j, w) in n.iter_mut().enumerate() {
                let from = j * WORD_BITS as usize;
                if from >= bits {
                    *w = 0;
                } else if bits - from < WORD_BITS as usize {
                    *w &= (1 << (bits - from)) - 1;
                }
            }
            let top_bit = bits - 1;
            n[top_bit / WORD_BITS as usize] |= 1 << (top_bit % WORD_BITS as usize);
            n[0] |= 1;
            let m = Monty::<L>::new(&be(&n)).unwrap();
            let nb = NonZero::new(big(&n)).unwrap();
            let b = m.barrett(&m.r_squared());
            let nbits = big(&n).bits_vartime();
            assert_eq!(b.nb, nbits as usize, "nb, L={L} case {i}");
            // mu' = floor(2^(wL + nb) / n) - 2^(wL).
            let prec = 2 * r_bits + 64;
            let pow2 = |k: u32| BoxedUint::one().widen(prec).shl_vartime(k).unwrap();
            let nw = NonZero::new(big(&n).widen(prec)).unwrap();
            let mu = pow2(r_bits + nbits).div_rem_vartime(&nw).0;
            let mu_prime = mu.wrapping_sub(pow2(r_bits));
            assert_eq!(
                trimmed(&big(&reversed(&b.mu_rev))),
                trimmed(&mu_prime),
                "mu', L={L} case {i}"
            );
            let n_minus = |k: u64| {
                let v = big(&n).wrapping_sub(BoxedUint::from(k).widen(big(&n).bits_precision()));
                words::<L>(&v)
            };
            for j in 0..ops {
                let s = match j {
                    0 => [0; L],
                    1 => words::<L>(&BoxedUint::one()),
                    2 => n_minus(1),
                    3 => n_minus(2),
                    _ => words::<L>(&random_below::<L>(rng, &nb)),
                };
                let mut out = [0; L];
                m.to_form(&s, &b, &mut out);
                assert_eq!(
                    trimmed(&big(&out)),
                    trimmed(&times_r(&big(&s), r_bits, &nb)),
                    "to_form, L={L} case {i}/{j}"
                );
            }
        }
        // The one shape known to need the second correction (the quotient
        // estimate two below the quotient): n = 2^b - 2^(b/2) + 1 and
        // s = n - 2^(b/2), so that s R = 1 (mod n), with b = wL.
        if r_bits >= 8 {
            let prec = r_bits + 64;
            let pow2 = |k: u32| BoxedUint::one().widen(prec).shl_vartime(k).unwrap();
            let n = pow2(r_bits)
                .wrapping_sub(pow2(r_bits / 2))
                .wrapping_add(BoxedUint::one().widen(prec));
            let s = n.wrapping_sub(pow2(r_bits / 2));
            let (n, s) = (words::<L>(&n), words::<L>(&s));
            let m = Monty::<L>::new(&be(&n)).unwrap();
            let mut out = [0; L];
            m.to_form(&s, &m.barrett(&m.r_squared()), &mut out);
            assert_eq!(trimmed(&big(&out)), [1], "to_form, L={L}, s R = 1");
        }
    }

    #[test]
    fn barrett_entry() {
        let mut rng = Rng(0x3c6e_f372_fe94_f82b);
        check_barrett::<1>(&mut rng, 200, 12);
        check_barrett::<2>(&mut rng, 200, 12);
        check_barrett::<3>(&mut rng, 100, 12);
        check_barrett::<5>(&mut rng, 64, 12);
        check_barrett::<8>(&mut rng, 64, 12);
        check_barrett::<{ words_for_bits(2304) }>(&mut rng, 32, 6);
        check_barrett::<{ words_for_bits(3072) }>(&mut rng, 24, 6);
        check_barrett::<{ words_for_bits(4096) }>(&mut rng, 24, 6);
    }

    #[test]
    fn unscaled_small_sizes() {
        let mut rng = Rng(0x5851_f42d_4c95_7f2d);
        check_unscaled::<1, 1>(&mut rng, 64, 40);
        check_unscaled::<1, 3>(&mut rng, 64, 40);
        check_unscaled::<2, 1>(&mut rng, 64, 40);
        check_unscaled::<2, 5>(&mut rng, 32, 40);
        check_unscaled::<3, 2>(&mut rng, 32, 40);
        check_unscaled::<5, 11>(&mut rng, 16, 24);
        check_unscaled::<8, 3>(&mut rng, 16, 24);
    }

    #[test]
    fn unscaled_rsa_sizes() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        const W: usize = words_for_bits(84 * 8);
        check_unscaled::<{ words_for_bits(2048) }, W>(&mut rng, 6, 9);
        check_unscaled::<{ words_for_bits(3072) }, W>(&mut rng, 3, 6);
        check_unscaled::<{ words_for_bits(4096) }, W>(&mut rng, 3, 6);
        // The SHA-256 and SHA-384 tails (rsa.rs sizes the check per hash).
        check_unscaled::<{ words_for_bits(3072) }, { words_for_bits(52 * 8) }>(&mut rng, 2, 6);
        check_unscaled::<{ words_for_bits(4096) }, { words_for_bits(68 * 8) }>(&mut rng, 2, 6);
    }

    #[test]
    fn differential_small_sizes() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        check_size::<1>(&mut rng, 64, 36);
        check_size::<2>(&mut rng, 64, 36);
        check_size::<3>(&mut rng, 64, 36);
        check_size::<4>(&mut rng, 32, 36);
        check_size::<5>(&mut rng, 32, 36);
        check_size::<7>(&mut rng, 16, 36);
        check_size::<8>(&mut rng, 16, 36);
    }

    #[test]
    fn differential_rsa_sizes() {
        let mut rng = Rng(0x0123_4567_89ab_cdef);
        check_size::<{ words_for_bits(2048) }>(&mut rng, 12, 14);
        check_size::<{ words_for_bits(3072) }>(&mut rng, 4, 8);
        check_size::<{ words_for_bits(4096) }>(&mut rng, 4, 8);
    }

    #[test]
    fn modulus_validation_and_encoding() {
        assert!(Monty::<2>::new(&[]).is_none());
        assert!(Monty::<2>::new(&[0, 0]).is_none());
        assert!(Monty::<2>::new(&[1]).is_none());
        assert!(Monty::<2>::new(&[4]).is_none());
        assert!(Monty::<2>::new(&[3]).is_some());
        assert!(Monty::<1>::new(&[1; 2 * WORD_BYTES]).is_none());
        assert!(words_from_be::<2>(&[1; 2 * WORD_BYTES + 1]).is_none());
        let bytes: Vec<u8> = (1..=2 * WORD_BYTES as u8).collect();
        let w = words_from_be::<2>(&bytes[3..]).unwrap();
        let mut back = std::vec![0u8; 2 * WORD_BYTES - 3];
        words_to_be(&w, &mut back).unwrap();
        assert_eq!(back, &bytes[3..]);
        assert!(words_to_be(&w, &mut [0u8; 2 * WORD_BYTES + 1]).is_none());
    }
}
