//! Fixed-base tables for Ed25519 verification against pinned keys: the same
//! comb as `ec_tables` (signed 6-bit digits, one addition per nonzero digit,
//! no doubling), over curve25519-dalek's public Edwards point arithmetic.
//!
//! Computes: `R' = [s]B - [k]A`, accepted iff `R'` encodes to the signature's
//! R, with `[s]B` and `[k]A` each read from a comb. Reference: ed25519-dalek's
//! `verify_strict`, which must give the same verdict for every key (keys with
//! a small-torsion component, A = aB + T, included: `[k]A` is computed as
//! such, never as `[l - k]A`, which differs from it by `[l]T`) and signature.
//! Tested by `tests/ed_tables_diff.rs` (Wycheproof, mutations, mixed-order
//! and non-canonical keys, table and fallback path through `Key`),
//! `tests/table_pool.rs` (slot ownership) and the fuzz target `ed25519_diff`.
//!
//! B is fixed, and A is a pinned key, so both get a comb. B's comb is built at
//! the first verification; a key's comb lives in one of [`KEY_SLOTS`] slots
//! of a process-wide pool (`table_pool`, zero-initialised `.bss`), found by
//! the point's canonical encoding, claimed once the key's load has succeeded
//! and given back when its last clone is dropped. All data is public, so the
//! code is variable-time. A key that finds no free slot verifies with
//! ed25519-dalek's own `verify_strict`.

use core::sync::atomic::{AtomicBool, Ordering};

use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity as _;
use sha2::{Digest as _, Sha512};
use spin::Once;

use super::recode::{Order, signed_digits};
use super::table_pool::{Table, TablePool, TableRef};

/// Window width: 2^(W-1) = 32 points per row.
const HALF: usize = 32;
const W: u32 = 6;
/// 43 rows of 6 bits cover 258 >= 253 + 1 bits (scalars are below 2^253).
const WINDOWS: usize = 43;
/// Key comb slots (process-wide).
pub const KEY_SLOTS: usize = 8;

/// A comb: `(j+1)·2^(W·i)·P` for every row `i` and `j < HALF`.
pub struct EdComb {
    rows: [Once<[EdwardsPoint; HALF]>; WINDOWS],
    /// The encoding of P, set before `ready`.
    key: Once<[u8; 32]>,
    ready: AtomicBool,
}

impl EdComb {
    /// An empty comb (const, for a static).
    pub const fn new() -> Self {
        EdComb {
            rows: [const { Once::new() }; WINDOWS],
            key: Once::new(),
            ready: AtomicBool::new(false),
        }
    }

    /// Whether every row is built.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// Build every row for `p` (rows a racing thread built are kept: each is
    /// derived from the previous one, so the result is the same).
    pub fn build(&self, p: &EdwardsPoint) {
        self.key.call_once(|| p.compress().to_bytes());
        let mut base = *p;
        for row in &self.rows {
            let built = row.call_once(|| Self::row(&base));
            base = match built.last() {
                Some(last) => last + last,
                None => return,
            };
        }
        self.ready.store(true, Ordering::Release);
    }

    /// Build every row for `p` anew, over whatever the comb held (a pool
    /// slot taken over for another key).
    pub fn rebuild(&mut self, p: &EdwardsPoint) {
        *self.ready.get_mut() = false;
        self.key = Once::initialized(p.compress().to_bytes());
        let mut base = *p;
        for row in self.rows.iter_mut() {
            *row = Once::initialized(Self::row(&base));
            base = match row.get().and_then(|r| r.last()) {
                Some(last) => last + last,
                None => return,
            };
        }
        *self.ready.get_mut() = true;
    }

    /// `(j+1)·base` for `j < HALF`.
    fn row(base: &EdwardsPoint) -> [EdwardsPoint; HALF] {
        let mut out = [*base; HALF];
        let mut acc = *base;
        for slot in out.iter_mut().skip(1) {
            acc += base;
            *slot = acc;
        }
        out
    }

    /// `acc += k·P` for `k` given little-endian (below 2^257). `None` if not built.
    pub fn mul_add(&self, acc: &mut EdwardsPoint, k_le: &[u8; 32]) -> Option<()> {
        if !self.is_ready() {
            return None;
        }
        signed_digits(k_le, Order::Little, W, WINDOWS, |i, digit, neg| {
            let entry = self.rows.get(i)?.get()?.get(digit - 1)?;
            if neg {
                *acc -= entry;
            } else {
                *acc += entry;
            }
            Some(())
        })
    }
}

impl Table for EdComb {
    /// The canonical encoding of the point (not the bytes a key came in).
    type Id = [u8; 32];
    const EMPTY: Self = Self::new();
    fn id(&self) -> Option<[u8; 32]> {
        if !self.is_ready() {
            return None;
        }
        self.key.get().copied()
    }
}

impl Default for EdComb {
    fn default() -> Self {
        Self::new()
    }
}

/// The basepoint's comb and a bounded pool of key combs.
pub struct EdPool {
    base: EdComb,
    keys: TablePool<EdComb, KEY_SLOTS>,
}

impl EdPool {
    const fn new() -> Self {
        EdPool {
            base: EdComb::new(),
            keys: TablePool::new(),
        }
    }

    /// B's comb, built on first use (the first verification).
    fn base(&self) -> &EdComb {
        if !self.base.is_ready() {
            self.base.build(&ED25519_BASEPOINT_POINT);
        }
        &self.base
    }

    /// Slots some live key uses (for tests).
    #[doc(hidden)]
    pub fn slots_in_use(&self) -> usize {
        self.keys.in_use()
    }
}

/// The basepoint comb and the key slots.
pub static POOL: EdPool = EdPool::new();

/// A counted reference to the comb for the point `a`: the slot that holds it
/// (found by canonical encoding, so `y` and `y + p` share one), or a free slot
/// built for it now. `None` when every slot is used by other keys, and for
/// small-order points, which verify nothing.
pub fn claim(a: &EdwardsPoint) -> Option<TableRef<EdComb>> {
    if a.is_small_order() {
        return None;
    }
    POOL.keys
        .claim(a.compress().to_bytes(), |comb| comb.rebuild(a))
}

/// Ed25519 verification with the same verdicts as ed25519-dalek's
/// `verify_strict` (canonical s, R decodes, neither R nor A of small order,
/// `[s]B - [k]A` encodes to R), through the key's comb `table` (from
/// [`claim`]). `None` when a comb is not built (the caller then takes
/// `verify_strict`).
pub fn verify_strict(
    key: &ed25519_dalek::VerifyingKey,
    table: &TableRef<EdComb>,
    msg: &[u8],
    sig: &[u8; 64],
) -> Option<bool> {
    let (r_bytes, s_bytes) = sig.split_at(32);
    let r_bytes: [u8; 32] = r_bytes.try_into().ok()?;
    let s_bytes: [u8; 32] = s_bytes.try_into().ok()?;
    let comb = table.read();
    if !comb.is_ready() {
        return None;
    }
    Some(verify_with(
        POOL.base(),
        &comb,
        key.as_bytes(),
        &key.to_edwards(),
        msg,
        &r_bytes,
        &s_bytes,
    ))
}

/// The check itself, with explicit combs for B (`base`) and for the key (`key`).
pub fn verify_with(
    base: &EdComb,
    key: &EdComb,
    a_bytes: &[u8; 32],
    a: &EdwardsPoint,
    msg: &[u8],
    r_bytes: &[u8; 32],
    s_bytes: &[u8; 32],
) -> bool {
    let Some(s) = Option::<Scalar>::from(Scalar::from_canonical_bytes(*s_bytes)) else {
        return false;
    };
    let Some(r) = CompressedEdwardsY(*r_bytes).decompress() else {
        return false;
    };
    if r.is_small_order() || a.is_small_order() {
        return false;
    }
    let mut h = Sha512::new();
    h.update(r_bytes);
    h.update(a_bytes);
    h.update(msg);
    let mut wide = [0u8; 64];
    wide.copy_from_slice(&h.finalize());
    let k = Scalar::from_bytes_mod_order_wide(&wide);
    // [s]B - [k]A, with [k]A computed as such: `[l - k]A` would equal it only
    // for A in the prime-order subgroup, and `verify_strict` loads keys with a
    // small-torsion component (A = aB + T), where the two differ by [l]T.
    let mut acc = EdwardsPoint::identity();
    let mut ka = EdwardsPoint::identity();
    if base.mul_add(&mut acc, &s.to_bytes()).is_none()
        || key.mul_add(&mut ka, &k.to_bytes()).is_none()
    {
        return false;
    }
    (acc - ka).compress().to_bytes() == *r_bytes
}
