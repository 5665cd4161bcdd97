//! P-384 field arithmetic on 32-bit words, for `ecdsa_vartime` and the
//! ECDSA combs on WebAssembly.
//!
//! Computes: `a·b`, `a²`, `a ± b`, `-a` modulo `p = 2^384 - 2^128 - 2^96 +
//! 2^32 - 1`, in Montgomery form (`x·2^384 mod p`), every value fully reduced
//! (below `p`), so equality and zero tests are word comparisons. Reference:
//! the `p384` crate's field arithmetic. Tested by this file's unit tests
//! (every operation against the crate's, on random and edge values), and
//! through `ecdsa_vartime` and the combs by `tests/ecdsa_vartime_diff.rs`,
//! `tests/ec_tables_diff.rs` and the fuzz target `ecdsa_diff`, all with the
//! hidden `p384-fe32` feature.
//!
//! Why not the crate's: in the Go module's WebAssembly build (wazero 1.12)
//! ES384 spent about 825 µs a verification on the crate's 32-bit field, as
//! long as golang-jwt's pure-Go P-384. Here the product is operand scanning
//! written out (`unroll!`: the words stay in locals, which wazero keeps in
//! registers, where memory operands each pay a bounds check), and the
//! reduction uses `-p⁻¹ mod 2^32 = 1` (`p ≡ -1 mod 2^32`): each word's
//! Montgomery step adds `m·p` with `m` the word itself, its products by `p`'s
//! words constant-folded (by 0: an add; by `2^32 - 1`: a shift and a
//! subtract). Squares use the product.
//!
//! Nothing here is constant time: `ecdsa_vartime` works on public values only.
//!
//! Used on wasm32 (`ecdsa_vartime::P384Field`); elsewhere only with the
//! hidden `p384-fe32` feature (tests, fuzz). Cortex-M builds keep the crate's
//! field: this one is unmeasured there in speed and flash.

use super::fe32::{adc, mac, sbb};

/// `p`, little-endian 32-bit words.
const P: [u32; 12] = [
    0xffff_ffff,
    0,
    0,
    0xffff_ffff,
    0xffff_fffe,
    0xffff_ffff,
    0xffff_ffff,
    0xffff_ffff,
    0xffff_ffff,
    0xffff_ffff,
    0xffff_ffff,
    0xffff_ffff,
];

/// `2^768 mod p`: multiplying by it enters Montgomery form.
const R2: [u32; 12] = [1, 0xffff_fffe, 0, 2, 0, 0xffff_fffe, 0, 2, 1, 0, 0, 0];

/// An element of the P-384 field in Montgomery form, below `p`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fe384([u32; 12]);

/// `x - p` if `top·2^384 + x >= p`, else `x`; for `top·2^384 + x < 2p`.
#[inline(always)]
const fn sub_p_if_ge(x: [u32; 12], top: u32) -> [u32; 12] {
    let mut d = [0u32; 12];
    let mut borrow = 0;
    unroll!(i in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] {
        (d[i], borrow) = sbb(x[i], P[i], borrow);
    });
    if top != 0 || borrow == 0 { d } else { x }
}

/// Montgomery reduction of the 768-bit `t` (below `p·2^384`): `t/2^384 mod p`.
#[inline(always)]
const fn reduce(t: &mut [u32; 24]) -> [u32; 12] {
    // Round i adds m·p·2^(32i), m = t[i] (as -p⁻¹ = 1 mod 2^32), which
    // clears word i. The carry out of word i+12 waits in `top` for the next
    // round's word i+13.
    let mut top = 0u32;
    unroll!(i in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] {
        let m = t[i];
        let mut c = 0;
        unroll!(j in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] {
            (t[i + j], c) = mac(m, P[j], t[i + j], c);
        });
        (t[i + 12], top) = adc(t[i + 12], top, c);
    });
    let mut hi = [0u32; 12];
    unroll!(i in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] {
        hi[i] = t[i + 12];
    });
    // (t + M·p)/2^384 < (p² + 2^384·p)/2^384 < 2p.
    sub_p_if_ge(hi, top)
}

/// Montgomery product `a·b/2^384 mod p`.
const fn mont_mul(a: &[u32; 12], b: &[u32; 12]) -> [u32; 12] {
    let mut t = [0u32; 24];
    unroll!(i in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] {
        let ai = a[i];
        let mut c = 0;
        unroll!(j in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] {
            (t[i + j], c) = mac(ai, b[j], t[i + j], c);
        });
        t[i + 12] = c;
    });
    reduce(&mut t)
}

impl Fe384 {
    /// Zero.
    pub const ZERO: Self = Fe384([0; 12]);
    /// One (`2^384 mod p` in Montgomery form).
    pub const ONE: Self = Fe384([1, 0xffff_ffff, 0xffff_ffff, 0, 1, 0, 0, 0, 0, 0, 0, 0]);

    /// From 96 hex digits, big-endian, below `p` (constants; panics otherwise,
    /// at compile time when used in a constant).
    pub const fn from_hex_vartime(hex: &str) -> Self {
        let h = hex.as_bytes();
        assert!(h.len() == 96);
        let mut w = [0u32; 12];
        let mut k = 0;
        while k < 96 {
            let d = match h[k] {
                b @ b'0'..=b'9' => b - b'0',
                b @ b'a'..=b'f' => b - b'a' + 10,
                b @ b'A'..=b'F' => b - b'A' + 10,
                _ => panic!("not hex"),
            };
            let bit = 4 * (95 - k);
            w[bit / 32] |= (d as u32) << (bit % 32);
            k += 1;
        }
        assert!(!is_ge_p(&w));
        Fe384(mont_mul(&w, &R2))
    }

    /// From 48 big-endian bytes; `None` unless below `p`.
    pub fn from_be_bytes(b: &[u8]) -> Option<Self> {
        if b.len() != 48 {
            return None;
        }
        let mut w = [0u32; 12];
        for (i, chunk) in b.chunks_exact(4).enumerate() {
            let v = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
            if let Some(slot) = w.get_mut(11 - i) {
                *slot = v;
            }
        }
        if is_ge_p(&w) {
            return None;
        }
        Some(Fe384(mont_mul(&w, &R2)))
    }

    /// The canonical value as 48 big-endian bytes into `out` (48 bytes long).
    pub fn write_be_bytes(&self, out: &mut [u8]) {
        // Out of Montgomery form: times 1, divided by 2^384.
        let w = mont_mul(&self.0, &[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        for (chunk, v) in out.chunks_exact_mut(4).zip(w.iter().rev()) {
            chunk.copy_from_slice(&v.to_be_bytes());
        }
    }

    /// `self·rhs`.
    #[inline(never)]
    pub fn mul(&self, rhs: &Self) -> Self {
        Fe384(mont_mul(&self.0, &rhs.0))
    }

    /// `self²`.
    #[inline(never)]
    pub fn square(&self) -> Self {
        Fe384(mont_mul(&self.0, &self.0))
    }

    /// `self + rhs`.
    #[inline(never)]
    pub fn add(&self, rhs: &Self) -> Self {
        let (a, b) = (&self.0, &rhs.0);
        let mut s = [0u32; 12];
        let mut c = 0;
        unroll!(i in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] {
            (s[i], c) = adc(a[i], b[i], c);
        });
        Fe384(sub_p_if_ge(s, c))
    }

    /// `self - rhs`.
    #[inline(never)]
    pub fn sub(&self, rhs: &Self) -> Self {
        let (a, b) = (&self.0, &rhs.0);
        let mut d = [0u32; 12];
        let mut borrow = 0;
        unroll!(i in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] {
            (d[i], borrow) = sbb(a[i], b[i], borrow);
        });
        if borrow != 0 {
            let mut c = 0;
            unroll!(i in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] {
                (d[i], c) = adc(d[i], P[i], c);
            });
        }
        Fe384(d)
    }

    /// `-self`.
    pub fn neg(&self) -> Self {
        Self::ZERO.sub(self)
    }

    /// Whether `self` is zero.
    pub fn is_zero(&self) -> bool {
        self.0 == [0; 12]
    }
}

/// Whether the little-endian words `w` are `>= p`.
const fn is_ge_p(w: &[u32; 12]) -> bool {
    let mut borrow = 0;
    let mut i = 0;
    while i < 12 {
        (_, borrow) = sbb(w[i], P[i], borrow);
        i += 1;
    }
    borrow == 0
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use elliptic_curve::ff::PrimeField as _;
    use std::vec;
    use std::vec::Vec;
    type Crate = <p384::NistP384 as primeorder::FieldArithmetic>::FieldElement;

    fn ours(c: &Crate) -> Fe384 {
        Fe384::from_be_bytes(&c.to_repr()).unwrap()
    }

    fn back(f: &Fe384) -> Crate {
        let mut b = [0u8; 48];
        f.write_be_bytes(&mut b);
        Crate::from_repr(b.into()).unwrap()
    }

    /// Edge values and pseudo-random ones (a fixed xorshift stream).
    fn values() -> Vec<Crate> {
        let mut v = vec![
            Crate::ZERO,
            Crate::ONE,
            -Crate::ONE,
            -Crate::from(2u64),
            Crate::from(2u64),
            Crate::from(u64::MAX),
        ];
        for hex in [
            "800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffe",
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffffffffffff",
            "00000000000000000000000000000000000000000000000000000000000000010000000000000000ffffffff00000000",
            "7fffffff80000000800000000000000000000000800000000000000000000000000000000000000000000000ffffffff",
            "0000000100000000000000000000000000000000000000000000000000000000000000000000000000000000ffffffff",
        ] {
            let b: [u8; 48] = hex::decode(hex).unwrap().try_into().unwrap();
            v.push(Crate::from_repr(b.into()).unwrap());
        }
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..200 {
            let mut b = [0u8; 48];
            for chunk in b.chunks_mut(8) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                chunk.copy_from_slice(&x.to_be_bytes());
            }
            // Some with many all-ones or all-zero words, which carries stress.
            match x % 4 {
                0 => b[4..36].fill(0xff),
                1 => b[8..44].fill(0),
                _ => {}
            }
            if let Some(c) = Option::<Crate>::from(Crate::from_repr(b.into())) {
                v.push(c);
            }
        }
        v
    }

    #[test]
    fn constants() {
        assert_eq!(back(&Fe384::ONE), Crate::ONE);
        assert_eq!(back(&Fe384::ZERO), Crate::ZERO);
        assert_eq!(ours(&Crate::ONE), Fe384::ONE);
        let gx = "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7";
        let g = Fe384::from_hex_vartime(gx);
        let mut b = [0u8; 48];
        g.write_be_bytes(&mut b);
        assert_eq!(hex::encode(b), gx);
    }

    #[test]
    fn out_of_range_bytes_refused() {
        let p = hex::decode("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff")
            .unwrap();
        assert_eq!(Fe384::from_be_bytes(&p), None);
        assert_eq!(Fe384::from_be_bytes(&[0xff; 48]), None);
        assert_eq!(Fe384::from_be_bytes(&[0; 47]), None);
        let mut below = p.clone();
        below[47] = 0xfe;
        assert!(Fe384::from_be_bytes(&below).is_some());
    }

    #[test]
    fn operations_match_the_crate() {
        let vs = values();
        for a in &vs {
            let fa = ours(a);
            assert_eq!(back(&fa), *a);
            assert_eq!(back(&fa.square()), a.square(), "square {a:?}");
            assert_eq!(back(&fa.neg()), -*a, "neg {a:?}");
            assert_eq!(fa.is_zero(), bool::from(a.is_zero()));
            for b in vs.iter().step_by(7) {
                let fb = ours(b);
                assert_eq!(back(&fa.mul(&fb)), *a * b, "mul {a:?} {b:?}");
                assert_eq!(back(&fa.add(&fb)), *a + b, "add {a:?} {b:?}");
                assert_eq!(back(&fa.sub(&fb)), *a - b, "sub {a:?} {b:?}");
                assert_eq!(fa == fb, a == b);
            }
        }
    }
}
