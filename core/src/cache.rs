//! An optional cache of tokens whose signature verified, so a backend that
//! sees the same session token on many requests checks its signature once.
//!
//! - Fixed capacity (`SLOTS` entries of up to `MAX_LEN` token bytes), no
//!   allocation, `no_std`; direct-mapped: a new token evicts the one in its slot.
//! - A slot is found by a fast hash of the whole token, and a hit needs the
//!   stored token to equal the presented one byte for byte: a hash alone is
//!   never trusted, so a colliding token cannot borrow a cached verdict.
//! - Only the signature verdict is cached. On a hit the header and claims are
//!   decoded again and checked against the caller's policy and `now`, exactly
//!   as on a miss, so an expired token or a different policy fails as it would
//!   without the cache. Failures are never cached.
//! - The cache borrows its [`Verifier`]: the pinned keys cannot change under
//!   it, and a token verified by one verifier never passes another.
//!
//! Synchronisation: lookups and inserts take `&mut self`, and there is no
//! lock inside. Keep one cache per worker thread (a `thread_local!`, or a
//! field of the worker), or put it behind your own mutex.

use crate::claims::Claims;
use crate::header::Header;
use crate::policy::Policy;
use crate::verifier::{Verified, Verifier};
use crate::{Error, token};

/// One cached token: its hash, its length (0 = empty), its bytes, and its
/// decoded header and payload (so a hit skips base64, not the JSON).
#[derive(Clone)]
struct Slot<const MAX_LEN: usize> {
    hash: u64,
    len: usize,
    token: [u8; MAX_LEN],
    /// Decoded header (`hlen` bytes) then decoded payload (`plen` bytes).
    decoded: [u8; MAX_LEN],
    hlen: usize,
    plen: usize,
}

/// A [`Verifier`] with a cache of `SLOTS` verified tokens of at most
/// `MAX_LEN` bytes each (longer tokens are verified but not cached). Its size
/// is about `SLOTS * (2 * MAX_LEN + 32)` bytes: keep it in a static, a thread
/// local or a long-lived worker, not in a small stack frame.
pub struct CachedVerifier<'v, const N: usize, const SLOTS: usize, const MAX_LEN: usize> {
    verifier: &'v Verifier<N>,
    slots: [Slot<MAX_LEN>; SLOTS],
    hits: u64,
    misses: u64,
}

/// Multiply-rotate mixing over four independent lanes of eight bytes: it only
/// picks the slot, so speed matters more than strength (a hit still needs the
/// full byte comparison).
fn hash(token: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    fn word(b: &[u8]) -> u64 {
        let mut w = [0u8; 8];
        if let Some(dst) = w.get_mut(..b.len().min(8)) {
            dst.copy_from_slice(b.get(..dst.len()).unwrap_or_default());
        }
        u64::from_le_bytes(w)
    }
    let mut lanes = [K, K.rotate_left(16), K.rotate_left(32), K.rotate_left(48)];
    let mut blocks = token.chunks_exact(32);
    for block in &mut blocks {
        for (lane, w) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            *lane = (*lane ^ word(w)).wrapping_mul(K).rotate_left(29);
        }
    }
    let mut h = (token.len() as u64).wrapping_mul(K);
    for lane in lanes {
        h = (h ^ lane).wrapping_mul(K).rotate_left(31);
    }
    for w in blocks.remainder().chunks(8) {
        h = (h ^ word(w)).wrapping_mul(K).rotate_left(29);
    }
    h ^ (h >> 32)
}

impl<'v, const N: usize, const SLOTS: usize, const MAX_LEN: usize>
    CachedVerifier<'v, N, SLOTS, MAX_LEN>
{
    /// An empty cache in front of `verifier`.
    pub fn new(verifier: &'v Verifier<N>) -> Self {
        CachedVerifier {
            verifier,
            slots: [const {
                Slot {
                    hash: 0,
                    len: 0,
                    token: [0; MAX_LEN],
                    decoded: [0; MAX_LEN],
                    hlen: 0,
                    plen: 0,
                }
            }; SLOTS],
            hits: 0,
            misses: 0,
        }
    }

    /// The verifier behind the cache.
    pub fn verifier(&self) -> &'v Verifier<N> {
        self.verifier
    }

    /// (hits, misses) so far.
    pub fn stats(&self) -> (u64, u64) {
        (self.hits, self.misses)
    }

    /// Forget every cached token.
    pub fn clear(&mut self) {
        for s in &mut self.slots {
            s.len = 0;
        }
    }

    /// [`Verifier::verify`] with the cache: same arguments, same results.
    pub fn verify<'b, S: AsRef<str>>(
        &mut self,
        token: &[u8],
        now: i64,
        policy: &Policy<'_, S>,
        buf: &'b mut [u8],
    ) -> Result<Verified<'b>, Error> {
        let h = hash(token);
        let idx = if SLOTS == 0 {
            None
        } else {
            Some((h % SLOTS as u64) as usize)
        };
        let hit = idx
            .and_then(|i| self.slots.get(i))
            .filter(|s| s.len != 0 && s.hash == h && s.token.get(..s.len) == Some(token));
        if let Some(slot) = hit {
            self.hits += 1;
            return recheck(self.verifier, slot, now, policy, buf);
        }
        self.misses += 1;
        let verified = self.verifier.verify(token, now, policy, buf)?;
        // Only a full success is remembered; a token too long for a slot is not.
        if let Some(slot) = idx.and_then(|i| self.slots.get_mut(i)) {
            slot.len = 0;
            if fill(slot, token).is_some() {
                slot.len = token.len();
                slot.hash = h;
            }
        }
        Ok(verified)
    }
}

/// Store `token` and its decoded header and payload in `slot`; `None` if it
/// does not fit (the slot is then left empty by the caller).
fn fill<const MAX_LEN: usize>(slot: &mut Slot<MAX_LEN>, token: &[u8]) -> Option<()> {
    slot.token.get_mut(..token.len())?.copy_from_slice(token);
    let seg = token::split(token, MAX_LEN).ok()?;
    let (hbuf, pbuf) = slot
        .decoded
        .split_at_mut(token::decoded_len(seg.header).ok()?);
    slot.hlen = token::decode(seg.header, hbuf).ok()?.len();
    slot.plen = token::decode(seg.payload, pbuf).ok()?.len();
    Some(())
}

/// Everything [`Verifier::verify`] does but the signature check, in the same
/// order, for a cached token (whose signature verified with these keys): the
/// decoded header and payload come from the slot, the JSON is parsed again.
fn recheck<'b, const N: usize, const MAX_LEN: usize, S: AsRef<str>>(
    verifier: &Verifier<N>,
    slot: &Slot<MAX_LEN>,
    now: i64,
    policy: &Policy<'_, S>,
    buf: &'b mut [u8],
) -> Result<Verified<'b>, Error> {
    let (hlen, plen) = (slot.hlen, slot.plen);
    if buf.len() < hlen + plen {
        return Err(Error::BufferTooSmall);
    }
    let decoded = slot
        .decoded
        .get(..hlen + plen)
        .ok_or(Error::BufferTooSmall)?;
    let (hbuf, rest) = buf.split_at_mut(hlen);
    let (pbuf, arena) = rest.split_at_mut(plen);
    let (hsrc, psrc) = decoded.split_at(hlen);
    hbuf.copy_from_slice(hsrc);
    pbuf.copy_from_slice(psrc);
    let header = Header::parse(hbuf)?;
    if !policy.algorithms.contains(header.alg) {
        return Err(Error::AlgNotAllowedByPolicy);
    }
    let keys = verifier.keys();
    let key_index = keys.select(header.kid.as_ref(), header.alg)?;
    // The key allowed this algorithm when the token was cached, and keys
    // never change under a borrowed verifier; checked again all the same.
    if !keys.get(key_index).is_some_and(|k| k.allows(header.alg)) {
        return Err(Error::AlgNotAllowedForKey);
    }
    let claims = Claims::parse(pbuf, arena)?;
    policy.check(&header, &claims, now)?;
    Ok(Verified {
        header,
        claims,
        key_index,
    })
}

#[cfg(test)]
mod tests {
    use super::hash;

    #[test]
    fn hash_depends_on_every_byte_and_length() {
        let base = [7u8; 37];
        let h = hash(&base);
        for i in 0..base.len() {
            let mut t = base;
            t[i] ^= 1;
            assert_ne!(hash(&t), h, "byte {i}");
        }
        assert_ne!(hash(&base[..36]), h);
        assert_ne!(hash(&[]), hash(&[0]));
    }
}
