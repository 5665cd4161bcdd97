//! Fixed-base tables for ECDSA verification against pinned keys.
//!
//! Computes: `x(u1·G + u2·Q) mod n == r` (SEC 1 4.1.4) with `u1·G` and `u2·Q`
//! each read from a comb. Reference: the `p256`/`p384` crates' verifier,
//! which must give the same verdict for every key, digest and signature.
//! Tested by `tests/ec_tables_diff.rs` (Wycheproof, random signatures and
//! mutations, recoding edges), `tests/table_pool.rs` (slot ownership) and the
//! fuzz target `ecdsa_diff` (table and fallback paths, forced each way).
//!
//! Verifying is `u1·G + u2·Q`. Both points are fixed once a key is pinned, so
//! each gets a comb: every multiple `(j+1)·2^(W·i)·P` for `j < 2^(W-1)`, stored
//! affine. A scalar, recoded into signed `W`-bit digits (`recode`), then costs
//! one mixed addition per nonzero digit and no doubling at all. Everything here
//! is public data (keys, signatures, digests), so the code is variable-time:
//! the additions are `ecdsa_vartime`'s Jacobian + affine ones (8M+3S,
//! exceptional cases handled explicitly), and the final check compares `X`
//! with `r·Z²` instead of inverting `Z`.
//!
//! Where the tables live: a table is large (P-256: 37 rows of 64 points, about
//! 150 KB), far too large for a [`Key`](crate::Key) that users build by value
//! on the stack. So tables sit in process-wide statics (zero-initialised, so
//! in `.bss`: untouched pages cost no memory). The generator's comb is built
//! at the first verification that uses it; each pinned key holds a counted
//! reference to one of [`KEY_SLOTS`] slots (`table_pool`), taken once its load
//! has succeeded and given back when its last clone is dropped. A key that
//! finds no free slot verifies through `ecdsa_vartime`, which is slower but
//! gives the same verdicts.
//!
//! Behind the `ec-tables` feature (in `default`, not implied by `p256`/`p384`),
//! so device builds carry none of this.

use core::sync::atomic::{AtomicBool, Ordering};

use elliptic_curve::BatchNormalize;
use elliptic_curve::ff::PrimeField as _;
use elliptic_curve::group::Group as _;
use elliptic_curve::ops::{Invert as _, Reduce as _};
use elliptic_curve::point::AffineCoordinates as _;
use primeorder::{AffinePoint, ProjectivePoint};
use spin::Once;

use super::ecdsa_vartime::{Affine, Jacobian, VartimeCurve, VtField, affine_fe, x_matches_r};
use super::recode::{Order, signed_digits};
use super::table_pool::{Table, TablePool, TableRef};

/// Table slots per curve for pinned public keys (process-wide).
pub const KEY_SLOTS: usize = 8;

/// A comb of `WINDOWS` rows of `HALF = 2^(W-1)` affine multiples.
pub struct Comb<C: VartimeCurve, const WINDOWS: usize, const HALF: usize> {
    // Bare field elements: what the additions take, and smaller than `AffinePoint`.
    rows: [Once<[Affine<C::Fe>; HALF]>; WINDOWS],
    /// Set once every row is built (Release), read before use (Acquire).
    ready: AtomicBool,
}

impl<C: VartimeCurve, const WINDOWS: usize, const HALF: usize> Comb<C, WINDOWS, HALF> {
    /// Window width in bits.
    const W: u32 = HALF.trailing_zeros() + 1;

    /// An empty comb (const, so it can be a static).
    pub const fn new() -> Self {
        Comb {
            rows: [const { Once::new() }; WINDOWS],
            ready: AtomicBool::new(false),
        }
    }

    /// Whether every row is built.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// The point this comb multiplies (row 0, entry 0), once built.
    pub fn base(&self) -> Option<AffinePoint<C>> {
        point(&self.base_fe()?)
    }

    fn base_fe(&self) -> Option<Affine<C::Fe>> {
        if !self.is_ready() {
            return None;
        }
        self.rows.first()?.get()?.first().copied()
    }

    /// Build every row for `p`. Rows already built (by a racing thread, for
    /// the shared generator table) are kept; each row is derived from the one
    /// before, so the result is the same whoever built what.
    pub fn build(&self, p: &ProjectivePoint<C>) {
        let mut base = *p;
        for row in &self.rows {
            let built = row.call_once(|| Self::row(&base));
            base = match Self::next_base(built) {
                Some(b) => b,
                None => return,
            };
        }
        self.ready.store(true, Ordering::Release);
    }

    /// Build every row for `p` anew, over whatever the comb held (a pool
    /// slot taken over for another key).
    pub fn rebuild(&mut self, p: &ProjectivePoint<C>) {
        *self.ready.get_mut() = false;
        let mut base = *p;
        for row in self.rows.iter_mut() {
            *row = Once::initialized(Self::row(&base));
            let Some(built) = row.get() else { return };
            base = match Self::next_base(built) {
                Some(b) => b,
                None => return,
            };
        }
        *self.ready.get_mut() = true;
    }

    /// `(j+1)·base` for `j < HALF`, affine.
    fn row(base: &ProjectivePoint<C>) -> [Affine<C::Fe>; HALF] {
        let mut proj = [*base; HALF];
        let mut acc = *base;
        for slot in proj.iter_mut().skip(1) {
            acc += base;
            *slot = acc;
        }
        let affine =
            <ProjectivePoint<C> as BatchNormalize<[ProjectivePoint<C>; HALF]>>::batch_normalize(
                &proj,
            );
        // No multiple below n is the identity, so every entry converts.
        let mut row = [Affine {
            x: C::Fe::FE_ZERO,
            y: C::Fe::FE_ZERO,
        }; HALF];
        for (slot, p) in row.iter_mut().zip(&affine) {
            if let Some(a) = affine_fe::<C, C::Fe>(p) {
                *slot = a;
            }
        }
        row
    }

    /// Next row's base: 2^W·base = 2·(HALF·base), the row's last entry doubled.
    fn next_base(row: &[Affine<C::Fe>; HALF]) -> Option<ProjectivePoint<C>> {
        let last = point::<C>(row.last()?)?;
        Some(ProjectivePoint::from(last).double())
    }

    /// `acc += k·P` for the scalar `k` given big-endian in `k_be` (at most
    /// `WINDOWS·W - 1` bits). `None` if the comb is not built. (Verification
    /// accumulates in Jacobian coordinates instead; this form, which pays an
    /// inversion, is for callers holding a `ProjectivePoint`.)
    pub fn mul_add(&self, acc: &mut ProjectivePoint<C>, k_be: &[u8]) -> Option<()> {
        let mut sum = Jacobian::IDENTITY;
        self.mul_add_jacobian(&mut sum, k_be)?;
        if let Some(a) = sum.to_affine() {
            *acc += point::<C>(&a)?;
        }
        Some(())
    }

    /// [`Comb::mul_add`] into a Jacobian accumulator.
    pub(crate) fn mul_add_jacobian(&self, acc: &mut Jacobian<C::Fe>, k_be: &[u8]) -> Option<()> {
        if !self.is_ready() {
            return None;
        }
        signed_digits(k_be, Order::Big, Self::W, WINDOWS, |i, digit, neg| {
            let entry = self.rows.get(i)?.get()?.get(digit - 1)?;
            *acc = if neg {
                acc.add_affine(&entry.neg())
            } else {
                acc.add_affine(entry)
            };
            Some(())
        })
    }
}

/// The crate's affine point for table coordinates (the tables hold the
/// curve's verification field, `VartimeCurve::Fe`: on wasm32 core's own
/// 32-bit P-256 field, which ran ES256 faster there than the crate's).
fn point<C: VartimeCurve>(a: &Affine<C::Fe>) -> Option<AffinePoint<C>> {
    let (mut x, mut y) = (
        elliptic_curve::FieldBytes::<C>::default(),
        elliptic_curve::FieldBytes::<C>::default(),
    );
    a.x.fe_write_be(&mut x);
    a.y.fe_write_be(&mut y);
    Option::from(AffinePoint::<C>::from_coordinates(&x, &y))
}

impl<C: VartimeCurve, const WINDOWS: usize, const HALF: usize> Table for Comb<C, WINDOWS, HALF> {
    type Id = Affine<C::Fe>;
    const EMPTY: Self = Self::new();
    fn id(&self) -> Option<Self::Id> {
        self.base_fe()
    }
}

impl<C: VartimeCurve, const WINDOWS: usize, const HALF: usize> Default for Comb<C, WINDOWS, HALF> {
    fn default() -> Self {
        Self::new()
    }
}

/// A process-wide generator comb and a bounded pool of key combs for one curve.
pub struct Pool<C: VartimeCurve, const WINDOWS: usize, const HALF: usize> {
    generator: Comb<C, WINDOWS, HALF>,
    keys: TablePool<Comb<C, WINDOWS, HALF>, KEY_SLOTS>,
}

impl<C: VartimeCurve, const WINDOWS: usize, const HALF: usize> Pool<C, WINDOWS, HALF> {
    /// An empty pool (const, for a static).
    pub const fn new() -> Self {
        Pool {
            generator: Comb::new(),
            keys: TablePool::new(),
        }
    }

    /// The generator's comb, built on first use (the first verification).
    pub fn generator(&self) -> &Comb<C, WINDOWS, HALF> {
        if !self.generator.is_ready() {
            self.generator.build(&ProjectivePoint::GENERATOR);
        }
        &self.generator
    }

    /// A counted reference to the comb for public key `q`: the slot that
    /// holds it, or a free slot built for it now. `None` when every slot is
    /// used by other keys, or for the identity.
    pub fn key(&'static self, q: &AffinePoint<C>) -> Option<TableRef<Comb<C, WINDOWS, HALF>>> {
        let id = affine_fe::<C, C::Fe>(q)?;
        self.keys
            .claim(id, |comb| comb.rebuild(&ProjectivePoint::from(*q)))
    }

    /// Slots some live key uses (for tests).
    #[doc(hidden)]
    pub fn slots_in_use(&self) -> usize {
        self.keys.in_use()
    }

    /// Key tables built since the start (for tests).
    #[doc(hidden)]
    pub fn tables_built(&self) -> usize {
        self.keys.builds()
    }
}

impl<C: VartimeCurve, const WINDOWS: usize, const HALF: usize> Default for Pool<C, WINDOWS, HALF> {
    fn default() -> Self {
        Self::new()
    }
}

/// P-256 combs: W = 7, 37 rows of 64 points (37·7 = 259 bits, enough for the
/// 256-bit scalar plus the final carry); on wasm32, W = 8 (see `WIDE`).
#[cfg(feature = "p256")]
pub type P256Comb = Comb<p256::NistP256, P256_ROWS, P256_HALF>;
/// P-384 combs: W = 6, 65 rows of 32 points (390 bits >= 384 + 1); on
/// wasm32, W = 7 (see `WIDE`).
#[cfg(feature = "p384")]
pub type P384Comb = Comb<p384::NistP384, P384_ROWS, P384_HALF>;

/// Wider combs for the WebAssembly build (the Go module's wazero backend),
/// and through the hidden `ec-wasm-combs` feature on the host, so that
/// `make test-wasm-combs` runs the comb tests at these widths. Under wazero
/// a field multiplication costs several times what it does natively, and
/// the additions are nearly all of a verification: W = 8 for P-256 (33 rows
/// of 128 points, 33·8 = 264 >= 257 bits) and W = 7 for P-384 (55 rows of
/// 64, 385 bits) take 64 and 110 additions instead of 74 and 130. Measured
/// (wazero 1.12, AMD EPYC, 2026-12): ES256 196 -> 177 us, ES384 981 -> 850
/// us. The cost: a table is 270 KB instead of 150 KB (P-256) and 338 KB
/// instead of 200 KB (P-384), in each instance's linear memory (about 2.3 MB
/// more with every slot in use), and a key load builds it (ES384 key load
/// plus first verification about 116 -> 180 ms under wazero).
const WIDE: bool = cfg!(any(target_arch = "wasm32", feature = "ec-wasm-combs"));
#[cfg(feature = "p256")]
const P256_ROWS: usize = if WIDE { 33 } else { 37 };
#[cfg(feature = "p256")]
const P256_HALF: usize = if WIDE { 128 } else { 64 };
#[cfg(feature = "p384")]
const P384_ROWS: usize = if WIDE { 55 } else { 65 };
#[cfg(feature = "p384")]
const P384_HALF: usize = if WIDE { 64 } else { 32 };

/// The P-256 generator comb and key slots.
#[cfg(feature = "p256")]
pub static P256: Pool<p256::NistP256, P256_ROWS, P256_HALF> = Pool::new();
/// The P-384 generator comb and key slots.
#[cfg(feature = "p384")]
pub static P384: Pool<p384::NistP384, P384_ROWS, P384_HALF> = Pool::new();

/// ECDSA verification with combs (SEC 1 4.1.4, as the `ecdsa` crate does it):
/// `u1 = z/s`, `u2 = r/s`, accept iff `x(u1·G + u2·Q) mod n == r`. `r` and `s`
/// must already be in `1..n`; `z` is the digest, as long as the curve's field.
/// `None` when a comb is not built (the caller then takes the crate's path).
/// The combs may have any width (the pinned ones are [`P256Comb`]).
#[cfg(feature = "p256")]
pub fn verify_p256<const GW: usize, const GH: usize, const QW: usize, const QH: usize>(
    g: &Comb<p256::NistP256, GW, GH>,
    q: &Comb<p256::NistP256, QW, QH>,
    z: &p256::FieldBytes,
    r: &p256::Scalar,
    s: &p256::Scalar,
) -> Option<bool> {
    verify_combs(g, q, z, r, s)
}

/// [`verify_p256`] for P-384.
#[cfg(feature = "p384")]
pub fn verify_p384<const GW: usize, const GH: usize, const QW: usize, const QH: usize>(
    g: &Comb<p384::NistP384, GW, GH>,
    q: &Comb<p384::NistP384, QW, QH>,
    z: &p384::FieldBytes,
    r: &p384::Scalar,
    s: &p384::Scalar,
) -> Option<bool> {
    verify_combs(g, q, z, r, s)
}

fn verify_combs<
    C: VartimeCurve,
    const GW: usize,
    const GH: usize,
    const QW: usize,
    const QH: usize,
>(
    g: &Comb<C, GW, GH>,
    q: &Comb<C, QW, QH>,
    z: &elliptic_curve::FieldBytes<C>,
    r: &elliptic_curve::Scalar<C>,
    s: &elliptic_curve::Scalar<C>,
) -> Option<bool> {
    let z = <elliptic_curve::Scalar<C>>::reduce(z);
    let s_inv: elliptic_curve::Scalar<C> = Option::from(s.invert_vartime())?;
    let mut acc = Jacobian::IDENTITY;
    g.mul_add_jacobian(&mut acc, &(z * s_inv).to_repr())?;
    q.mul_add_jacobian(&mut acc, &(*r * s_inv).to_repr())?;
    // The identity has no x: no r matches it.
    Some(!acc.is_identity() && x_matches_r::<C, C::Fe>(&acc, r))
}
