//! Variable-time ECDSA verification for P-256, P-384 and P-521, without tables in RAM.
//!
//! Computes: ECDSA verification (SEC 1 4.1.4), `x(u1·G + u2·Q) mod n == r`.
//! Reference: `ecdsa::hazmat::verify_prehashed` through the `p256`/`p384`/`p521`
//! crates. Tested by `tests/ecdsa_vartime_diff.rs` (Wycheproof, random
//! signatures and mutations, exceptional additions) and the fuzz target
//! `ecdsa_diff`, on every path a verdict can take.
//!
//! Everything a verifier sees is public (key, digest, signature), so nothing
//! here needs constant time, and dropping it pays: the curve crates'
//! `verify_prehash` uses complete projective formulas (about 13 field
//! multiplications per doubling). This module computes `u1·G + u2·Q` with
//!
//! - Jacobian coordinates (`x = X/Z²`, `y = Y/Z³`, `Z = 0` the identity), the
//!   `a = -3` doubling (dbl-2001-b rearranged: 4M+4S, 12 additions) and the
//!   mixed Jacobian + affine addition (madd-2004-hmv, 8M+3S), each exceptional
//!   case (identity, `P == Q`, `P == -Q`) handled explicitly;
//! - interleaved width-w NAF digits for both scalars over one doubling chain
//!   (w = 7 for `G`, w = 5 for `Q`);
//! - odd multiples of `Q` built per verification and batch-normalised to affine
//!   with one inversion (a device keeps no per-key RAM), odd multiples of `G`
//!   as a constant table (flash on a device, see `ecdsa_g_tables`);
//! - the final comparison without an inversion: `x = X/Z²` and `x mod n == r`
//!   iff `X == r·Z²`, or `r + n < p` and `X == (r + n)·Z²`.
//!
//! The field arithmetic is `VtField`, `VartimeCurve::Fe` (which the combs in
//! `ec_tables` use too): for P-256 on 32-bit targets core's own field
//! (`ecdsa_p256_fe`, shaped for a Cortex-M's `UMAAL`; `P256Field`), for P-384
//! on wasm32 core's own (`ecdsa_p384_fe`; `P384Field`), otherwise the curve
//! crate's (through `ff`/`primeorder` traits). P-521
//! (ES512) runs on the `p521` crate's field (fiat-crypto, `p = 2^521 - 1`)
//! everywhere, with no comb (`ec-tables` leaves it out: ES512 is rare and a
//! P-521 comb would cost about 280 KB per key).
//! Verdicts equal `ecdsa::hazmat::verify_prehashed` (differential tests in
//! `core/tests/ecdsa_vartime_diff.rs`, fuzz target `ecdsa_diff`).

use elliptic_curve::ff::{Field as _, PrimeField as _};
use elliptic_curve::ops::{Invert, Reduce};
use elliptic_curve::point::AffineCoordinates as _;
use elliptic_curve::subtle::CtOption;
use elliptic_curve::{FieldBytes, Scalar};
use primeorder::{AffinePoint, PrimeCurveParams, PrimeFieldExt};

#[cfg(feature = "p256")]
pub use super::ecdsa_p256_fe::Fe256;
#[cfg(feature = "p256")]
type P256Fe = <p256::NistP256 as primeorder::FieldArithmetic>::FieldElement;

/// The field P-256 verifies on: core's `Fe256` (32-bit words) on 32-bit
/// targets, where the crate's multiplication costs 2.4 times as much on a
/// Cortex-M4; the `p256` crate's own on 64-bit ones, where its 64-bit words
/// beat `Fe256` (about 270 against 390 µs a verification on x86_64). The hidden
/// `p256-fe32` feature selects `Fe256` on a 64-bit host, for the tests.
#[cfg(all(
    feature = "p256",
    any(not(target_pointer_width = "64"), feature = "p256-fe32")
))]
pub type P256Field = Fe256;
/// The field P-256 verifies on (see the 32-bit definition).
#[cfg(all(
    feature = "p256",
    not(any(not(target_pointer_width = "64"), feature = "p256-fe32"))
))]
pub type P256Field = P256Fe;

#[cfg(all(feature = "p384", any(target_arch = "wasm32", feature = "p384-fe32")))]
pub use super::ecdsa_p384_fe::Fe384;
#[cfg(feature = "p384")]
type P384Fe = <p384::NistP384 as primeorder::FieldArithmetic>::FieldElement;

/// The field P-384 verifies on: core's `Fe384` (32-bit words, constant-folded
/// reduction) on wasm32, where the crate's ran ES384 about as slowly as
/// golang-jwt's pure Go; the crate's everywhere else (Cortex-M builds
/// included, where `Fe384` is unmeasured). The hidden `p384-fe32` feature
/// selects `Fe384` on the host, for the tests.
#[cfg(all(feature = "p384", any(target_arch = "wasm32", feature = "p384-fe32")))]
pub type P384Field = Fe384;
/// The field P-384 verifies on (see the wasm32 definition).
#[cfg(all(
    feature = "p384",
    not(any(target_arch = "wasm32", feature = "p384-fe32"))
))]
pub type P384Field = P384Fe;

/// A curve this module verifies on: `a = -3` (checked by a test), the field
/// arithmetic to verify with, and a constant table of odd multiples of the
/// generator.
pub trait VartimeCurve: PrimeCurveParams {
    /// The field arithmetic `verify` runs on.
    type Fe: VtField;
    /// `G, 3G, 5G, ..., (2·len - 1)·G`, affine; `len` a power of two >= 2.
    const G_ODD: &'static [Affine<Self::Fe>];
}

/// The field operations the point arithmetic here needs (distinct names, so
/// that they never clash with `ff::Field`'s where both are in scope).
pub trait VtField: Copy + PartialEq + Send + Sync + 'static {
    /// Zero.
    const FE_ZERO: Self;
    /// One.
    const FE_ONE: Self;
    /// `self·rhs`.
    fn fe_mul(&self, rhs: &Self) -> Self;
    /// `self²`.
    fn fe_sqr(&self) -> Self;
    /// `self + rhs`.
    fn fe_add(&self, rhs: &Self) -> Self;
    /// `self - rhs`.
    fn fe_sub(&self, rhs: &Self) -> Self;
    /// `-self`.
    fn fe_neg(&self) -> Self;
    /// `2·self`.
    fn fe_dbl(&self) -> Self {
        self.fe_add(self)
    }
    /// Whether `self` is zero.
    fn fe_is_zero(&self) -> bool;
    /// `1/self`; `None` for zero.
    fn fe_inv(&self) -> Option<Self>;
    /// From big-endian bytes of the field's length; `None` if not below the modulus.
    fn fe_from_be(b: &[u8]) -> Option<Self>;
    /// Big-endian bytes of the field's length into `out`.
    fn fe_write_be(&self, out: &mut [u8]);
}

/// The curve crates' field elements.
impl<F: PrimeFieldExt + Invert<Output = CtOption<F>> + Send + Sync + 'static> VtField for F {
    const FE_ZERO: Self = F::ZERO;
    const FE_ONE: Self = F::ONE;
    fn fe_mul(&self, rhs: &Self) -> Self {
        *self * rhs
    }
    fn fe_sqr(&self) -> Self {
        self.square()
    }
    fn fe_add(&self, rhs: &Self) -> Self {
        *self + rhs
    }
    fn fe_sub(&self, rhs: &Self) -> Self {
        *self - rhs
    }
    fn fe_neg(&self) -> Self {
        -*self
    }
    fn fe_dbl(&self) -> Self {
        self.double()
    }
    fn fe_is_zero(&self) -> bool {
        self.is_zero_vartime()
    }
    fn fe_inv(&self) -> Option<Self> {
        Option::from(self.invert_vartime())
    }
    fn fe_from_be(b: &[u8]) -> Option<Self> {
        let mut repr = F::Repr::default();
        let dst = repr.as_mut();
        if dst.len() != b.len() {
            return None;
        }
        dst.copy_from_slice(b);
        if F::REPR_ENDIANNESS != primeorder::ByteOrder::BigEndian {
            dst.reverse();
        }
        Option::from(F::from_repr(repr))
    }
    fn fe_write_be(&self, out: &mut [u8]) {
        for (o, b) in out.iter_mut().zip(self.to_be_repr().as_ref()) {
            *o = *b;
        }
    }
}

/// `VtField` for core's own 32-bit fields: inversion through the curve
/// crate's (once per verification; its code is linked anyway for the scalar
/// inversion).
#[cfg(any(
    feature = "p256",
    all(feature = "p384", any(target_arch = "wasm32", feature = "p384-fe32"))
))]
macro_rules! own_field {
    ($fe:ty, $crate_fe:ty, $bytes:ty) => {
        impl VtField for $fe {
            const FE_ZERO: Self = <$fe>::ZERO;
            const FE_ONE: Self = <$fe>::ONE;
            fn fe_mul(&self, rhs: &Self) -> Self {
                self.mul(rhs)
            }
            fn fe_sqr(&self) -> Self {
                self.square()
            }
            fn fe_add(&self, rhs: &Self) -> Self {
                self.add(rhs)
            }
            fn fe_sub(&self, rhs: &Self) -> Self {
                self.sub(rhs)
            }
            fn fe_neg(&self) -> Self {
                self.neg()
            }
            fn fe_is_zero(&self) -> bool {
                self.is_zero()
            }
            fn fe_inv(&self) -> Option<Self> {
                let mut b = <$bytes>::default();
                self.write_be_bytes(&mut b);
                let fe = Option::<$crate_fe>::from(<$crate_fe>::from_repr(b))?;
                let inv = Option::<$crate_fe>::from(fe.invert_vartime())?;
                <$fe>::from_be_bytes(&inv.to_repr())
            }
            fn fe_from_be(b: &[u8]) -> Option<Self> {
                <$fe>::from_be_bytes(b)
            }
            fn fe_write_be(&self, out: &mut [u8]) {
                self.write_be_bytes(out)
            }
        }
    };
}

#[cfg(feature = "p256")]
own_field!(Fe256, P256Fe, p256::FieldBytes);
#[cfg(all(feature = "p384", any(target_arch = "wasm32", feature = "p384-fe32")))]
own_field!(Fe384, P384Fe, p384::FieldBytes);

/// An affine point that is never the identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Affine<F> {
    /// x-coordinate.
    pub x: F,
    /// y-coordinate.
    pub y: F,
}

impl<F: VtField> Affine<F> {
    pub(crate) fn neg(&self) -> Self {
        Affine {
            x: self.x,
            y: self.y.fe_neg(),
        }
    }
}

/// Jacobian coordinates; `z == 0` is the identity.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Jacobian<F> {
    x: F,
    y: F,
    z: F,
}

impl<F: VtField> Jacobian<F> {
    pub(crate) const IDENTITY: Self = Jacobian {
        x: F::FE_ONE,
        y: F::FE_ONE,
        z: F::FE_ZERO,
    };

    fn from_affine(p: &Affine<F>) -> Self {
        Jacobian {
            x: p.x,
            y: p.y,
            z: F::FE_ONE,
        }
    }

    pub(crate) fn is_identity(&self) -> bool {
        self.z.fe_is_zero()
    }

    /// Affine coordinates (one inversion); `None` for the identity.
    #[cfg(all(feature = "ec-tables", any(feature = "p256", feature = "p384")))]
    pub(crate) fn to_affine(self) -> Option<Affine<F>> {
        let zinv = self.z.fe_inv()?;
        let zinv2 = zinv.fe_sqr();
        Some(Affine {
            x: self.x.fe_mul(&zinv2),
            y: self.y.fe_mul(&zinv2).fe_mul(&zinv),
        })
    }

    /// `2·self` on a curve with `a = -3` (dbl-2001-b, rearranged).
    // Out of line: called 256 or 384 times, and opt-level z would otherwise
    // copy it into every caller.
    #[inline(never)]
    fn double(&self) -> Self {
        if self.is_identity() {
            return *self;
        }
        // No point of order 2 on a prime-order curve: y != 0, so the result is not the identity.
        // With C = 2Y², S = 4XY² = 2XC and M = 3(X - Z²)(X + Z²): X3 = M² - 2S,
        // Y3 = M(S - X3) - 8Y⁴ (8Y⁴ = 2C²), Z3 = 2YZ. 8 multiplications and 12
        // additions; at opt-level z an addition costs a quarter of a multiplication.
        let delta = self.z.fe_sqr();
        let c = self.y.fe_sqr().fe_dbl();
        let s = self.x.fe_mul(&c).fe_dbl();
        let t = self.x.fe_sub(&delta).fe_mul(&self.x.fe_add(&delta));
        let m = t.fe_dbl().fe_add(&t);
        let x3 = m.fe_sqr().fe_sub(&s.fe_dbl());
        let y3 = m.fe_mul(&s.fe_sub(&x3)).fe_sub(&c.fe_sqr().fe_dbl());
        let z3 = self.y.fe_mul(&self.z).fe_dbl();
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `self + q` (madd-2004-hmv), with every exceptional case.
    #[inline(never)]
    pub(crate) fn add_affine(&self, q: &Affine<F>) -> Self {
        if self.is_identity() {
            return Self::from_affine(q);
        }
        let z1z1 = self.z.fe_sqr();
        let u2 = q.x.fe_mul(&z1z1);
        let s2 = q.y.fe_mul(&self.z).fe_mul(&z1z1);
        let h = u2.fe_sub(&self.x);
        let r = s2.fe_sub(&self.y);
        if h.fe_is_zero() {
            // Same x: the same point (double it) or its negation (the sum is the identity).
            return if r.fe_is_zero() {
                self.double()
            } else {
                Self::IDENTITY
            };
        }
        let hh = h.fe_sqr();
        let hhh = h.fe_mul(&hh);
        let v = self.x.fe_mul(&hh);
        let x3 = r.fe_sqr().fe_sub(&hhh).fe_sub(&v.fe_dbl());
        let y3 = r.fe_mul(&v.fe_sub(&x3)).fe_sub(&self.y.fe_mul(&hhh));
        let z3 = self.z.fe_mul(&h);
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }
}

/// Width of the signed digits for `Q`: 8 odd multiples, built per verification.
const Q_WINDOW: u32 = 5;
const Q_ODD: usize = 1 << (Q_WINDOW - 2);

/// Digits for the longest scalar a build carries (one more than its bits, for the final carry).
#[cfg(feature = "p521")]
const MAX_DIGITS: usize = 522;
#[cfg(all(feature = "p384", not(feature = "p521")))]
const MAX_DIGITS: usize = 385;
#[cfg(not(any(feature = "p384", feature = "p521")))]
const MAX_DIGITS: usize = 257;

/// The `p521` crate's field element (`p = 2^521 - 1`), what P-521 verifies on.
#[cfg(feature = "p521")]
pub type P521Field = <p521::NistP521 as primeorder::FieldArithmetic>::FieldElement;

/// A P-521 field element from 132 hex digits (big-endian), at compile time,
/// for the generator table: the crate's own `from_hex` is private, so this
/// builds the value from its public `const` arithmetic (Horner's rule on
/// 32-bit chunks). The digits are below `p` (the table is generated and
/// checked by `tests/ecdsa_vartime_diff.rs`); a bad digit fails the build.
#[cfg(feature = "p521")]
pub(crate) const fn p521_fe_from_hex(hex: &str) -> P521Field {
    let h = hex.as_bytes();
    assert!(h.len() == 132, "132 hex digits");
    let base = P521Field::from_u64(1 << 32);
    let mut acc = P521Field::ZERO;
    // 132 = 4 + 16·8: a 16-bit head, then sixteen 32-bit chunks.
    let mut i = 0;
    while i < h.len() {
        let take = if i == 0 { 4 } else { 8 };
        let mut chunk = 0u64;
        let mut j = 0;
        while j < take {
            let c = h[i + j];
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                _ => panic!("lower-case hex digits"),
            };
            chunk = (chunk << 4) | d as u64;
            j += 1;
        }
        if i > 0 {
            acc = acc.multiply(&base);
        }
        acc = acc.add(&P521Field::from_u64(chunk));
        i += take;
    }
    acc
}

/// ECDSA verification (SEC 1 4.1.4): `prehash` is the message digest (taken
/// as the `ecdsa` crate does: its leftmost field-size bytes, big-endian),
/// `sig` is `r || s`, big-endian, each as long as the field. True iff `r` and
/// `s` are in `[1, n-1]` and `x(u1·G + u2·Q) mod n == r` with `u1 = z/s`,
/// `u2 = r/s`. `q` must not be the identity (a parsed public key never is).
pub fn verify<C: VartimeCurve>(q: &AffinePoint<C>, prehash: &[u8], sig: &[u8]) -> bool {
    let n_len = FieldBytes::<C>::default().len();
    if sig.len() != 2 * n_len {
        return false;
    }
    let Some((r, s)) = sig.split_at_checked(n_len) else {
        return false;
    };
    let (Some(r), Some(s)) = (scalar::<C>(r), scalar::<C>(s)) else {
        return false;
    };
    let Some(q) = affine_fe::<C, C::Fe>(q) else {
        return false;
    };
    let z = <Scalar<C> as Reduce<FieldBytes<C>>>::reduce(&bits2field::<C>(prehash));
    let Some(s_inv) = Option::<Scalar<C>>::from(s.invert_vartime()) else {
        return false;
    };
    let u1 = z * s_inv;
    let u2 = r * s_inv;
    let Some(sum) = lincomb::<C>(&u1, &u2, &q) else {
        return false;
    };
    x_matches_r::<C, C::Fe>(&sum, &r)
}

/// A scalar in `[1, n-1]` from big-endian bytes of the field's length.
fn scalar<C: VartimeCurve>(be: &[u8]) -> Option<Scalar<C>> {
    let bytes = FieldBytes::<C>::try_from(be).ok()?;
    let k = Option::<Scalar<C>>::from(Scalar::<C>::from_repr(bytes))?;
    (!bool::from(k.is_zero())).then_some(k)
}

/// A point's coordinates as field elements (`None` for the identity).
pub(crate) fn affine_fe<C: PrimeCurveParams, F: VtField>(q: &AffinePoint<C>) -> Option<Affine<F>> {
    if bool::from(q.is_identity()) {
        return None;
    }
    let x = F::fe_from_be(&q.x())?;
    let y = F::fe_from_be(&q.y())?;
    Some(Affine { x, y })
}

/// The digest as a field-sized big-endian integer: its leftmost bytes if
/// longer, zero-extended on the left if shorter (as `ecdsa`'s `bits2field`).
/// P-256 and P-384 orders are whole bytes, so no bit shift. P-521's order
/// has 521 bits in 66 bytes: a digest of at most 520 bits (SHA-512's 512,
/// all ES512 ever passes) is the integer as it stands, zero-extended, which
/// is what SEC 1 4.1.4 step 5 / FIPS 186-5 6.4.2 ask (truncation only
/// applies to a digest longer than the order). A longer digest would need
/// its leftmost 521 bits, not bytes; no JWS algorithm makes one.
fn bits2field<C: VartimeCurve>(prehash: &[u8]) -> FieldBytes<C> {
    let mut out = FieldBytes::<C>::default();
    let take = prehash.len().min(out.len());
    let skip = out.len() - take;
    if let (Some(dst), Some(src)) = (out.get_mut(skip..), prehash.get(..take)) {
        dst.copy_from_slice(src);
    }
    out
}

/// `u1·G + u2·Q` in Jacobian coordinates; `None` if it is the identity.
// Out of line so that its frame (digits and the table of Q) is not merged
// into the caller's.
#[inline(never)]
fn lincomb<C: VartimeCurve>(
    u1: &Scalar<C>,
    u2: &Scalar<C>,
    q: &Affine<C::Fe>,
) -> Option<Jacobian<C::Fe>> {
    let g_odd = C::G_ODD;
    let g_window = g_odd.len().trailing_zeros() + 2;
    // Digits are i8: windows up to 8 bits (a table of up to 64 points).
    if !(3..=8).contains(&g_window) {
        return None;
    }
    let mut d1 = [0i8; MAX_DIGITS];
    let mut d2 = [0i8; MAX_DIGITS];
    let top1 = wnaf(&u1.to_le_repr(), g_window, &mut d1);
    let top2 = wnaf(&u2.to_le_repr(), Q_WINDOW, &mut d2);
    let q_odd = odd_multiples(q)?;

    let mut acc = Jacobian::<C::Fe>::IDENTITY;
    let top = top1.max(top2)?;
    for i in (0..=top).rev() {
        acc = acc.double();
        let a = d1.get(i).copied().unwrap_or(0);
        if a != 0 {
            acc = acc.add_affine(&signed(g_odd, a)?);
        }
        let b = d2.get(i).copied().unwrap_or(0);
        if b != 0 {
            acc = acc.add_affine(&signed(&q_odd, b)?);
        }
    }
    (!acc.is_identity()).then_some(acc)
}

/// `d·P` from the odd multiples of `P` (`odd[k] = (2k+1)·P`), `d` odd and nonzero.
fn signed<F: VtField>(odd: &[Affine<F>], d: i8) -> Option<Affine<F>> {
    let p = odd.get(usize::from(d.unsigned_abs() >> 1))?;
    Some(if d < 0 { p.neg() } else { *p })
}

/// Width-`w` NAF of the little-endian integer `k` into `out` (digit `i`
/// weighs `2^i`; each nonzero digit odd, below `2^(w-1)` in magnitude, and
/// at least `w` apart). Returns the index of the top nonzero digit, `None`
/// for zero. `out` needs one more digit than `k` has bits.
fn wnaf(k: &[u8], w: u32, out: &mut [i8]) -> Option<usize> {
    let bit = |i: usize| -> u32 { k.get(i / 8).map_or(0, |b| u32::from(b >> (i % 8)) & 1) };
    let len = out.len().min(k.len() * 8 + 1);
    let mut top = None;
    let mut carry = 0u32;
    let mut i = 0;
    while i < len {
        if bit(i) == carry {
            i += 1;
            continue;
        }
        // The window's value plus the carry is odd: the bit differs from the carry.
        let now = (w as usize).min(len - i);
        let mut word = carry;
        for j in 0..now {
            word += bit(i + j) << j;
        }
        // Above 2^(w-1): take 2^w from the next window, leaving a negative digit.
        carry = (word >> (w - 1)) & 1;
        let digit = word as i32 - ((carry as i32) << w);
        if let Some(slot) = out.get_mut(i) {
            *slot = digit as i8;
        }
        top = Some(i);
        i += now;
    }
    top
}

/// `P, 3P, 5P, ..., 15P`, affine. Built on the curve isomorphic by `Z(2P)`,
/// where `2P` is affine, so every step is a mixed addition; then one batch
/// inversion (which also undoes the isomorphism) normalises all of them.
/// `None` only if an intermediate were the identity, which a prime group
/// order larger than 16 rules out.
// Out of line: its Jacobian temporaries need not sit in the main loop's frame.
#[inline(never)]
fn odd_multiples<F: VtField>(p: &Affine<F>) -> Option<[Affine<F>; Q_ODD]> {
    let d = Jacobian::from_affine(p).double();
    // 2P = (X/Z², Y/Z³); under (x, y) -> (x·Z², y·Z³) it is (X, Y) and P is (x·Z², y·Z³).
    // Additions do not involve a or b, so they work unchanged on that curve.
    let lambda = d.z;
    let ll = lambda.fe_sqr();
    let d_iso = Affine { x: d.x, y: d.y };
    let p_iso = Affine {
        x: p.x.fe_mul(&ll),
        y: p.y.fe_mul(&ll).fe_mul(&lambda),
    };
    let mut jac = [Jacobian::from_affine(&p_iso); Q_ODD];
    // prefix[k] = Z_1···Z_k (prefix[0] = 1), for the batch inversion.
    let mut prefix = [F::FE_ONE; Q_ODD];
    for k in 1..Q_ODD {
        // (2k+1)·P = (2k-1)·P + 2P: never a doubling or a cancellation.
        jac[k] = jac[k - 1].add_affine(&d_iso);
        prefix[k] = prefix[k - 1].fe_mul(&jac[k].z);
    }
    // A point (X, Y, Z) on the isomorphic curve is (X, Y, Z·lambda) on ours.
    let mut inv = prefix[Q_ODD - 1].fe_mul(&lambda).fe_inv()?;
    let mut out = [*p; Q_ODD];
    for k in (1..Q_ODD).rev() {
        // Invariant: inv = 1/(lambda·Z_1···Z_k).
        let zinv = if k > 1 {
            inv.fe_mul(&prefix[k - 1])
        } else {
            inv
        };
        inv = inv.fe_mul(&jac[k].z);
        let zinv2 = zinv.fe_sqr();
        out[k] = Affine {
            x: jac[k].x.fe_mul(&zinv2),
            y: jac[k].y.fe_mul(&zinv2).fe_mul(&zinv),
        };
    }
    Some(out)
}

/// Whether the affine x of `p` (Jacobian, not the identity), reduced mod n, equals `r`.
pub(crate) fn x_matches_r<C: PrimeCurveParams, F: VtField>(p: &Jacobian<F>, r: &Scalar<C>) -> bool {
    let zz = p.z.fe_sqr();
    // r < n < p, so r is a field element as it stands.
    let r_be = r.to_be_repr();
    let Some(r_fe) = F::fe_from_be(&r_be) else {
        return false;
    };
    if p.x == r_fe.fe_mul(&zz) {
        return true;
    }
    // x in [n, p) reduces to x - n: the other candidate is r + n, if below p.
    let Some(n_fe) = order_fe::<C, F>() else {
        return false;
    };
    let mut p_minus_n = FieldBytes::<C>::default();
    n_fe.fe_neg().fe_write_be(&mut p_minus_n);
    // Equal-length big-endian byte strings compare as the integers do.
    if r_be.as_slice() >= p_minus_n.as_slice() {
        return false;
    }
    p.x == r_fe.fe_add(&n_fe).fe_mul(&zz)
}

/// The group order `n` as a field element (`n < p` on both curves).
fn order_fe<C: PrimeCurveParams, F: VtField>() -> Option<F> {
    let n_minus_1 = -Scalar::<C>::ONE;
    let fe = F::fe_from_be(&n_minus_1.to_be_repr())?;
    Some(fe.fe_add(&F::FE_ONE))
}
