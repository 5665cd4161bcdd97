//! Fixed-base tables for Ed25519 verification against pinned keys: the same
//! comb as `ec_tables` (signed 6-bit digits, one addition per nonzero digit,
//! no doubling), over curve25519-dalek's public Edwards point arithmetic.
//!
//! Verifying is `R' = s·B - k·A`, accepted iff `R'` encodes to the signature's
//! R. B is fixed, and A is a pinned key, so both get a comb. Tables live in a
//! process-wide static pool like `ec_tables` (zero-initialised `.bss`, built
//! once per key), so `Key` does not grow; a key's comb is built on its first
//! verification and found again by its encoding. All data is public, so the
//! code is variable-time. With no free slot, verification takes
//! ed25519-dalek's own `verify_strict`.

use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity as _;
use sha2::{Digest as _, Sha512};
use spin::Once;

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
            let built = row.call_once(|| {
                let mut out = [base; HALF];
                let mut acc = base;
                for slot in out.iter_mut().skip(1) {
                    acc += base;
                    *slot = acc;
                }
                out
            });
            base = match built.last() {
                Some(last) => last + last,
                None => return,
            };
        }
        self.ready.store(true, Ordering::Release);
    }

    /// `acc += k·P` for `k` given little-endian (below 2^257). `None` if not built.
    pub fn mul_add(&self, acc: &mut EdwardsPoint, k_le: &[u8; 32]) -> Option<()> {
        if !self.is_ready() {
            return None;
        }
        let mut carry = 0u32;
        for (i, row) in self.rows.iter().enumerate() {
            let bits = window_le(k_le, i * W as usize, W) + carry;
            let (digit, neg) = if bits as usize > HALF {
                carry = 1;
                ((1u32 << W) - bits, true)
            } else {
                carry = 0;
                (bits, false)
            };
            if digit == 0 {
                continue;
            }
            let entry = row.get()?.get(digit as usize - 1)?;
            if neg {
                *acc -= entry;
            } else {
                *acc += entry;
            }
        }
        (carry == 0).then_some(())
    }
}

impl Default for EdComb {
    fn default() -> Self {
        Self::new()
    }
}

/// `width` bits of the little-endian number `le` from bit `lo`; zero past the end.
fn window_le(le: &[u8], lo: usize, width: u32) -> u32 {
    let mut v = 0u32;
    for b in 0..width as usize {
        let bit = lo + b;
        if let Some(x) = le.get(bit / 8) {
            v |= u32::from((x >> (bit % 8)) & 1) << b;
        }
    }
    v
}

/// The basepoint's comb and a bounded pool of key combs.
pub struct EdPool {
    base: EdComb,
    keys: [EdComb; KEY_SLOTS],
    claimed: AtomicUsize,
}

impl EdPool {
    const fn new() -> Self {
        EdPool {
            base: EdComb::new(),
            keys: [const { EdComb::new() }; KEY_SLOTS],
            claimed: AtomicUsize::new(0),
        }
    }

    fn base(&self) -> &EdComb {
        if !self.base.is_ready() {
            self.base.build(&ED25519_BASEPOINT_POINT);
        }
        &self.base
    }

    /// The comb of the key encoded as `a_bytes` (point `a`): found, or built
    /// in a free slot now. `None` when every slot is taken.
    fn key(&self, a_bytes: &[u8; 32], a: &EdwardsPoint) -> Option<&EdComb> {
        let claimed = self.claimed.load(Ordering::Acquire).min(KEY_SLOTS);
        if let Some(c) = self
            .keys
            .iter()
            .take(claimed)
            .find(|c| c.is_ready() && c.key.get() == Some(a_bytes))
        {
            return Some(c);
        }
        let slot = self.claimed.fetch_add(1, Ordering::AcqRel);
        let Some(comb) = self.keys.get(slot) else {
            self.claimed.store(KEY_SLOTS, Ordering::Release);
            return None;
        };
        comb.build(a);
        Some(comb)
    }
}

static POOL: EdPool = EdPool::new();

/// Ed25519 verification with the same verdicts as ed25519-dalek's
/// `verify_strict` (canonical s, R decodes, neither R nor A of small order,
/// `[s]B - [k]A` encodes to R), through combs. `None` when no comb is
/// available (the caller then takes `verify_strict`).
pub fn verify_strict(
    key: &ed25519_dalek::VerifyingKey,
    msg: &[u8],
    sig: &[u8; 64],
) -> Option<bool> {
    let (r_bytes, s_bytes) = sig.split_at(32);
    let r_bytes: [u8; 32] = r_bytes.try_into().ok()?;
    let s_bytes: [u8; 32] = s_bytes.try_into().ok()?;
    let a = key.to_edwards();
    let comb = POOL.key(key.as_bytes(), &a)?;
    Some(verify_with(
        POOL.base(),
        comb,
        key.as_bytes(),
        &a,
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
