//! P-256 field arithmetic on 32-bit words, for `ecdsa_vartime`.
//!
//! Computes: `a·b`, `a²`, `a ± b`, `-a` modulo `p = 2^256 - 2^224 + 2^192 +
//! 2^96 - 1`, in Montgomery form (`x·2^256 mod p`, the same form as the `p256`
//! crate's `FieldElement`), every value fully reduced (below `p`), so equality
//! and zero tests are word comparisons. Reference: the `p256` crate's field
//! arithmetic. Tested by this file's unit tests (every operation against the
//! crate's, on random and edge values), and through `ecdsa_vartime` by
//! `tests/ecdsa_vartime_diff.rs` and the fuzz target `ecdsa_diff`.
//!
//! Why not the crate's: on a Cortex-M at opt-level z its multiplication goes
//! through crypto-bigint's generic (Karatsuba) widening product, the
//! reduction and `borrowing_sub` out of line, and 32-byte values copied with
//! `memcpy`: about 1250 instructions. Here the product is operand scanning in
//! which each step is `a·b + t + c` on 32-bit words, one `UMAAL` on an M4 (no
//! overflow: `(2^32-1)² + 2(2^32-1) = 2^64 - 1`; on the M0, which has no
//! `UMULL`, `mul_wide`'s four 16-bit products), and the reduction uses `p`'s
//! shape: `-p⁻¹ mod 2^32 = 1`, so each word's Montgomery step adds `m·p` with
//! `m` the word itself, and `m·p` is additions at words 3 and 6 and one
//! multiply-add by `2^32 - 1`. The loops are written out (`unroll!`): opt-level
//! z never unrolls, and rolled they kept the product in memory (685 against
//! about 530 instructions a product on the M4). Squares use the product: a
//! dedicated squaring measured no faster there and cost 1.7 KB of flash.
//!
//! Nothing here is constant time: `ecdsa_vartime` works on public values only.
//!
//! Used on 32-bit targets (`ecdsa_vartime::P256Field`, also the combs'
//! field there: in the Go module's WebAssembly build ES256 took 92 against
//! 170 µs on the crate's); on 64-bit hosts only with the hidden `p256-fe32`
//! feature (`make test-word32`, `make test-wasm-combs`, fuzz `ecdsa_diff`).

use super::fe32::{adc, mac, sbb};

/// `p`, little-endian 32-bit words.
const P: [u32; 8] = [
    0xffff_ffff,
    0xffff_ffff,
    0xffff_ffff,
    0,
    0,
    0,
    1,
    0xffff_ffff,
];

/// `2^512 mod p`: multiplying by it enters Montgomery form.
const R2: [u32; 8] = [
    3,
    0,
    0xffff_ffff,
    0xffff_fffb,
    0xffff_fffe,
    0xffff_ffff,
    0xffff_fffd,
    4,
];

/// An element of the P-256 field in Montgomery form, below `p`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fe256([u32; 8]);

/// `x - p` if `top·2^256 + x >= p`, else `x`; for `top·2^256 + x < 2p`.
#[inline(always)]
const fn sub_p_if_ge(x: [u32; 8], top: u32) -> [u32; 8] {
    let mut d = [0u32; 8];
    let mut borrow = 0;
    unroll!(i in [0, 1, 2, 3, 4, 5, 6, 7] {
        (d[i], borrow) = sbb(x[i], P[i], borrow);
    });
    if top != 0 || borrow == 0 { d } else { x }
}

/// Montgomery reduction of the 512-bit `t` (below `p·2^256`): `t/2^256 mod p`.
#[inline(always)]
const fn reduce(t: &mut [u32; 16]) -> [u32; 8] {
    // Round i adds m·p·2^(32i), m = t[i], which clears word i:
    // m·p = m·2^256 - m·2^224 + m·2^192 + m·2^96 - m, i.e. -m at word i (which
    // cancels it), +m at words i+3 and i+6, and m·(2^32 - 1) at words i+7, i+8.
    // The carry out of word i+8 waits in `top` for the next round's word i+9.
    let mut top = 0u32;
    unroll!(i in [0, 1, 2, 3, 4, 5, 6, 7] {
        let m = t[i];
        let (x, c) = adc(t[i + 3], m, 0);
        t[i + 3] = x;
        let (x, c) = adc(t[i + 4], c, 0);
        t[i + 4] = x;
        let (x, c) = adc(t[i + 5], c, 0);
        t[i + 5] = x;
        let (x, c) = adc(t[i + 6], m, c);
        t[i + 6] = x;
        let (x, c) = mac(m, 0xffff_ffff, t[i + 7], c);
        t[i + 7] = x;
        (t[i + 8], top) = adc(t[i + 8], top, c);
    });
    let hi = [t[8], t[9], t[10], t[11], t[12], t[13], t[14], t[15]];
    // (t + M·p)/2^256 < (p² + 2^256·p)/2^256 < 2p.
    sub_p_if_ge(hi, top)
}

/// Montgomery product `a·b/2^256 mod p`. Squares use it too: a dedicated
/// squaring (each cross product once) measured no faster here and costs
/// 1.7 KB of flash.
const fn mont_mul(a: &[u32; 8], b: &[u32; 8]) -> [u32; 8] {
    let mut t = [0u32; 16];
    // Operand scanning, written out: each step is one UMAAL on a Cortex-M4.
    unroll!(i in [0, 1, 2, 3, 4, 5, 6, 7] {
        let ai = a[i];
        let mut c = 0;
        unroll!(j in [0, 1, 2, 3, 4, 5, 6, 7] {
            (t[i + j], c) = mac(ai, b[j], t[i + j], c);
        });
        t[i + 8] = c;
    });
    reduce(&mut t)
}

impl Fe256 {
    /// Zero.
    pub const ZERO: Self = Fe256([0; 8]);
    /// One (`2^256 mod p` in Montgomery form).
    pub const ONE: Self = Fe256([
        1,
        0,
        0,
        0xffff_ffff,
        0xffff_ffff,
        0xffff_ffff,
        0xffff_fffe,
        0,
    ]);

    /// From 64 hex digits, big-endian, below `p` (constants; panics otherwise,
    /// at compile time when used in a constant).
    pub const fn from_hex_vartime(hex: &str) -> Self {
        let h = hex.as_bytes();
        assert!(h.len() == 64);
        let mut w = [0u32; 8];
        let mut k = 0;
        while k < 64 {
            let d = match h[k] {
                b @ b'0'..=b'9' => b - b'0',
                b @ b'a'..=b'f' => b - b'a' + 10,
                b @ b'A'..=b'F' => b - b'A' + 10,
                _ => panic!("not hex"),
            };
            let bit = 4 * (63 - k);
            w[bit / 32] |= (d as u32) << (bit % 32);
            k += 1;
        }
        assert!(!is_ge_p(&w));
        Fe256(mont_mul(&w, &R2))
    }

    /// From 32 big-endian bytes; `None` unless below `p`.
    pub fn from_be_bytes(b: &[u8]) -> Option<Self> {
        if b.len() != 32 {
            return None;
        }
        let mut w = [0u32; 8];
        for (i, chunk) in b.chunks_exact(4).enumerate() {
            let v = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
            if let Some(slot) = w.get_mut(7 - i) {
                *slot = v;
            }
        }
        if is_ge_p(&w) {
            return None;
        }
        Some(Fe256(mont_mul(&w, &R2)))
    }

    /// The canonical value as 32 big-endian bytes into `out` (32 bytes long).
    pub fn write_be_bytes(&self, out: &mut [u8]) {
        // Out of Montgomery form: times 1, divided by 2^256.
        let w = mont_mul(&self.0, &[1, 0, 0, 0, 0, 0, 0, 0]);
        for (chunk, v) in out.chunks_exact_mut(4).zip(w.iter().rev()) {
            chunk.copy_from_slice(&v.to_be_bytes());
        }
    }

    /// `self·rhs`.
    #[inline(never)]
    pub fn mul(&self, rhs: &Self) -> Self {
        Fe256(mont_mul(&self.0, &rhs.0))
    }

    /// `self²`.
    #[inline(never)]
    pub fn square(&self) -> Self {
        Fe256(mont_mul(&self.0, &self.0))
    }

    /// `self + rhs`.
    #[inline(never)]
    pub fn add(&self, rhs: &Self) -> Self {
        let (a, b) = (&self.0, &rhs.0);
        let mut s = [0u32; 8];
        let mut c = 0;
        unroll!(i in [0, 1, 2, 3, 4, 5, 6, 7] {
            (s[i], c) = adc(a[i], b[i], c);
        });
        Fe256(sub_p_if_ge(s, c))
    }

    /// `self - rhs`.
    #[inline(never)]
    pub fn sub(&self, rhs: &Self) -> Self {
        let (a, b) = (&self.0, &rhs.0);
        let mut d = [0u32; 8];
        let mut borrow = 0;
        unroll!(i in [0, 1, 2, 3, 4, 5, 6, 7] {
            (d[i], borrow) = sbb(a[i], b[i], borrow);
        });
        if borrow != 0 {
            let mut c = 0;
            unroll!(i in [0, 1, 2, 3, 4, 5, 6, 7] {
                (d[i], c) = adc(d[i], P[i], c);
            });
        }
        Fe256(d)
    }

    /// `-self`.
    pub fn neg(&self) -> Self {
        Self::ZERO.sub(self)
    }

    /// Whether `self` is zero.
    pub fn is_zero(&self) -> bool {
        self.0 == [0; 8]
    }
}

/// Whether the little-endian words `w` are `>= p`.
const fn is_ge_p(w: &[u32; 8]) -> bool {
    let mut borrow = 0;
    let mut i = 0;
    while i < 8 {
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
    type Crate = <p256::NistP256 as primeorder::FieldArithmetic>::FieldElement;

    fn ours(c: &Crate) -> Fe256 {
        Fe256::from_be_bytes(&c.to_repr()).unwrap()
    }

    fn back(f: &Fe256) -> Crate {
        let mut b = [0u8; 32];
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
            "8000000000000000000000000000000000000000000000000000000000000000",
            "ffffffff00000001000000000000000000000000fffffffffffffffffffffffe",
            "ffffffff00000000ffffffffffffffffffffffffffffffffffffffffffffffff",
            "00000000ffffffffffffffffffffffff00000000000000000000000000000000",
            "7fffffff80000000800000000000000000000000800000000000000000000000",
            "00000001000000000000000000000000000000000000000000000000ffffffff",
        ] {
            let b: [u8; 32] = hex::decode(hex).unwrap().try_into().unwrap();
            v.push(Crate::from_repr(b.into()).unwrap());
        }
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..200 {
            let mut b = [0u8; 32];
            for chunk in b.chunks_mut(8) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                chunk.copy_from_slice(&x.to_be_bytes());
            }
            // Some with many all-ones or all-zero words, which carries stress.
            match x % 4 {
                0 => b[4..20].fill(0xff),
                1 => b[8..28].fill(0),
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
        assert_eq!(back(&Fe256::ONE), Crate::ONE);
        assert_eq!(back(&Fe256::ZERO), Crate::ZERO);
        assert_eq!(ours(&Crate::ONE), Fe256::ONE);
        let g = Fe256::from_hex_vartime(
            "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
        );
        let mut b = [0u8; 32];
        g.write_be_bytes(&mut b);
        assert_eq!(
            hex::encode(b),
            "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
        );
    }

    #[test]
    fn out_of_range_bytes_refused() {
        let p = hex::decode("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff")
            .unwrap();
        assert_eq!(Fe256::from_be_bytes(&p), None);
        assert_eq!(Fe256::from_be_bytes(&[0xff; 32]), None);
        assert_eq!(Fe256::from_be_bytes(&[0; 31]), None);
        let mut below = p.clone();
        below[31] = 0xfe;
        assert!(Fe256::from_be_bytes(&below).is_some());
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
