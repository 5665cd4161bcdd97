//! An optional cache of tokens whose signature verified, so a backend that
//! sees the same session token on many requests checks its signature, and
//! parses its JSON, once.
//!
//! - Fixed capacity (`SLOTS` entries, each holding a token of up to `MAX_LEN`
//!   bytes), no allocation, `no_std`; direct-mapped: a newly verified token
//!   evicts the one in its slot.
//! - A slot is picked by a fast keyed hash of the whole token, and a hit needs
//!   the stored token to equal the presented one byte for byte: a hash alone
//!   is never trusted, so a colliding token cannot borrow a cached verdict.
//!   Only a slot a successful verify filled can match: a never-used or
//!   cleared one matches nothing, and a token shorter than `a.b.c` (the empty
//!   one included) skips the cache and gets the verifier's own verdict.
//! - A slot keeps what the verify produced: the decoded header and payload,
//!   the unescaped claim strings, and every view of the parsed header and
//!   claims as an offset range. A hit copies those bytes into the caller's
//!   buffer, where [`Verifier::verify`] would have put them, and rebuilds the
//!   views there without parsing: no base64, no JSON, no signature.
//! - What depends on the call is checked on every hit, as on a miss and in
//!   the same order: the buffer size, the policy's algorithm allow-list, the
//!   key's algorithms, then `policy.check` (`exp`/`nbf`/`iat` against this
//!   `now`; issuer, audience, ... against this call's policy). So a hit
//!   returns exactly what [`Verifier::verify`] returns. Only full successes
//!   are cached: a failure never is, and a failing call never evicts.
//! - The cache borrows its [`Verifier`]: the pinned keys cannot change under
//!   it, and a token verified by one verifier never passes another.
//!
//! Hash key: [`CachedVerifier::new`] derives it from addresses (the stack and
//! the verifier; random on hosts with ASLR, fixed on most devices);
//! [`CachedVerifier::with_seed`] takes one from the caller's RNG. The key only
//! keeps an attacker who holds many valid tokens from aiming them all at one
//! victim's slot: a collision costs a miss (a full verification), never a
//! wrong answer.
//!
//! Synchronisation: lookups and inserts take `&mut self`, and there is no
//! lock inside. Keep one cache per worker thread (a `thread_local!`, or a
//! field of the worker), or put it behind your own mutex.

use crate::alg::Algorithm;
use crate::claims::{AudStore, Claims, Time};
use crate::header::Header;
use crate::json::{JsonStr, Value};
use crate::policy::Policy;
use crate::verifier::{Verified, Verifier};
use crate::{Error, token};

/// Where a view lies in a slot's data (and, on a hit, in the caller's buffer).
#[derive(Clone, Copy, Debug)]
struct Span {
    start: usize,
    end: usize,
}

/// [`AudStore`] with its view as a span.
#[derive(Clone, Copy, Debug)]
enum AudSpan {
    Absent,
    Json(Span),
    Packed(Span),
}

/// A verify's result with every view replaced by its span: what a hit needs
/// to rebuild the [`Verified`] without parsing.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// The decoded header and payload are `data[..json_end]`, the strings
    /// the claims unescaped `data[json_end..end]` (buffer layout of a verify).
    json_end: usize,
    end: usize,
    key_index: usize,
    alg: Algorithm,
    header: Span,
    kid: Option<Span>,
    typ: Option<Span>,
    cty: Option<Span>,
    root: Span,
    /// sub, iss, jti, sid, azp, client_id, scope.
    strs: [Option<Span>; 7],
    aud: AudSpan,
    times: [Option<Time>; 3],
}

impl Entry {
    const EMPTY: Entry = Entry {
        json_end: 0,
        end: 0,
        key_index: 0,
        alg: Algorithm::RS256,
        header: Span { start: 0, end: 0 },
        kid: None,
        typ: None,
        cty: None,
        root: Span { start: 0, end: 0 },
        strs: [None; 7],
        aud: AudSpan::Absent,
        times: [None; 3],
    };
}

/// One cached token: its hash, its length, its bytes, and what its verify
/// left in the caller's buffer, with the views as spans. `filled` is false
/// until a verify succeeds into the slot, and again after [`CachedVerifier::clear`]
/// or an eviction that failed to store: only a filled slot can match, so a
/// never-used slot (length 0, hash 0, `Entry::EMPTY`) never answers a token.
#[derive(Clone)]
struct Slot<const MAX_LEN: usize> {
    filled: bool,
    hash: u64,
    len: usize,
    token: [u8; MAX_LEN],
    data: [u8; MAX_LEN],
    entry: Entry,
}

/// A [`Verifier`] with a cache of `SLOTS` verified tokens of at most
/// `MAX_LEN` bytes each. A token is not cached (but still verified) when it is
/// longer than `MAX_LEN`, or when its decoded header and payload plus its
/// unescaped claim strings exceed `MAX_LEN` (only possible with many escapes:
/// without them they take 3/4 of the token). Its size is at most
/// `SLOTS * (2 * MAX_LEN + 400)` bytes (on 64-bit targets; less on 32-bit):
/// keep it in a static, a thread local or a long-lived worker, not in a small
/// stack frame.
pub struct CachedVerifier<'v, const N: usize, const SLOTS: usize, const MAX_LEN: usize> {
    verifier: &'v Verifier<N>,
    seed: u64,
    slots: [Slot<MAX_LEN>; SLOTS],
    hits: u64,
    misses: u64,
}

/// 64x64->128 multiply, halves folded: the mixing step of the hash.
#[inline(always)]
fn fold(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

#[inline(always)]
fn word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    if let Some(dst) = w.get_mut(..b.len().min(8)) {
        dst.copy_from_slice(b.get(..dst.len()).unwrap_or_default());
    }
    u64::from_le_bytes(w)
}

/// Keyed hash of the whole token: four independent folded-multiply lanes of
/// 16 bytes, so a 900-byte token takes a few dozen nanoseconds. It only picks
/// the slot (a hit still needs the full byte comparison), so speed matters
/// more than strength; the seed keeps collisions from being aimed blind.
fn hash(seed: u64, token: &[u8]) -> u64 {
    // Digits of pi: arbitrary odd-looking constants, one per lane.
    const P: [u64; 4] = [
        0x243f_6a88_85a3_08d3,
        0x1319_8a2e_0370_7344,
        0xa409_3822_299f_31d0,
        0x082e_fa98_ec4e_6c89,
    ];
    let mut lanes = [seed ^ P[0], seed ^ P[1], seed ^ P[2], seed ^ P[3]];
    let mut step = |block: &[u8]| {
        for ((lane, pair), p) in lanes.iter_mut().zip(block.chunks_exact(16)).zip(P) {
            let (a, b) = pair.split_at(8);
            *lane = fold(word(a) ^ *lane, word(b) ^ p);
        }
    };
    let mut blocks = token.chunks_exact(64);
    for block in &mut blocks {
        step(block);
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        // The last 64 bytes again, overlapping (the length is mixed in below);
        // only a token shorter than that is copied to a padded block.
        match token.len().checked_sub(64).and_then(|at| token.get(at..)) {
            Some(last) => step(last),
            None => {
                let mut last = [0u8; 64];
                if let Some(dst) = last.get_mut(..rest.len()) {
                    dst.copy_from_slice(rest);
                }
                step(&last);
            }
        }
    }
    let [a, b, c, d] = lanes;
    fold(fold(a ^ token.len() as u64, b ^ P[1]) ^ c, d ^ seed ^ P[3])
}

/// A seed for [`CachedVerifier::new`]: addresses of the stack and of the
/// verifier (randomised by ASLR where there is one), mixed.
fn address_seed<T>(verifier: &T) -> u64 {
    let local = 0u8;
    let a = core::ptr::addr_of!(local) as usize as u64;
    let b = core::ptr::from_ref(verifier) as usize as u64;
    fold(
        a ^ 0x9e37_79b9_7f4a_7c15,
        b.rotate_left(32) ^ 0xc2b2_ae3d_27d4_eb4f,
    )
}

impl<'v, const N: usize, const SLOTS: usize, const MAX_LEN: usize>
    CachedVerifier<'v, N, SLOTS, MAX_LEN>
{
    /// An empty cache in front of `verifier`, its hash keyed from addresses
    /// (see the module documentation; [`Self::with_seed`] takes a key).
    pub fn new(verifier: &'v Verifier<N>) -> Self {
        Self::with_seed(verifier, address_seed(verifier))
    }

    /// An empty cache in front of `verifier`, its slot hash keyed by `seed`
    /// (best from a random source).
    pub fn with_seed(verifier: &'v Verifier<N>, seed: u64) -> Self {
        CachedVerifier {
            verifier,
            seed,
            slots: [const {
                Slot {
                    filled: false,
                    hash: 0,
                    len: 0,
                    token: [0; MAX_LEN],
                    data: [0; MAX_LEN],
                    entry: Entry::EMPTY,
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

    /// (hits, misses) so far. A hit is a token found in the cache, whether
    /// or not the checks that follow pass.
    pub fn stats(&self) -> (u64, u64) {
        (self.hits, self.misses)
    }

    /// Forget every cached token: every slot is emptied and wiped (token,
    /// decoded claims, views), so nothing left can match or be read back.
    pub fn clear(&mut self) {
        for s in &mut self.slots {
            s.empty();
            s.token.fill(0);
            s.data.fill(0);
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
        // A token too short to be a compact JWS ("h.p.s") never touches the
        // cache: it gets the uncached verifier's verdict (an error), and an
        // empty token, whose hash is seed-independent, cannot meet a slot.
        if token.len() < MIN_CACHED_LEN {
            self.misses += 1;
            return self.verifier.verify(token, now, policy, buf);
        }
        let h = hash(self.seed, token);
        let idx = if SLOTS == 0 {
            None
        } else {
            Some((h % SLOTS as u64) as usize)
        };
        let hit = idx.and_then(|i| self.slots.get(i)).filter(|s| {
            s.filled && s.len == token.len() && s.hash == h && s.token.get(..s.len) == Some(token)
        });
        if let Some(slot) = hit {
            self.hits += 1;
            return recheck(self.verifier, slot, now, policy, buf);
        }
        self.misses += 1;
        // Where the views will point: their offsets are what the slot keeps.
        let (base, cap) = (buf.as_ptr() as usize, buf.len());
        let verified = self.verifier.verify(token, now, policy, buf)?;
        // Only a full success is remembered; one that does not fit is not.
        if let Some(slot) = idx.and_then(|i| self.slots.get_mut(i)) {
            slot.empty();
            if store(slot, token, &verified, base, cap).is_some() {
                slot.len = token.len();
                slot.hash = h;
                slot.filled = true;
            }
        }
        Ok(verified)
    }
}

impl<const MAX_LEN: usize> Slot<MAX_LEN> {
    /// Mark the slot as holding nothing: it matches no token until a store
    /// succeeds into it.
    fn empty(&mut self) {
        self.filled = false;
        self.len = 0;
        self.hash = 0;
        self.entry = Entry::EMPTY;
    }
}

/// The shortest token the cache looks up: `a.b.c`. Anything shorter cannot
/// verify, so it goes straight to the verifier.
const MIN_CACHED_LEN: usize = 5;

/// Turns views into spans relative to the buffer they borrow, and tracks how
/// far into it they reach.
struct Recorder {
    base: usize,
    cap: usize,
    end: usize,
}

impl Recorder {
    fn span(&mut self, s: &[u8]) -> Option<Span> {
        // Pointer to offset: plain address arithmetic, checked to lie in the buffer.
        let start = (s.as_ptr() as usize).checked_sub(self.base)?;
        let end = start.checked_add(s.len())?;
        if end > self.cap {
            return None;
        }
        self.end = self.end.max(end);
        Some(Span { start, end })
    }

    /// `Some(None)` for an absent view, `None` if a present one is out of range.
    fn opt(&mut self, s: Option<&[u8]>) -> Option<Option<Span>> {
        match s {
            None => Some(None),
            Some(s) => self.span(s).map(Some),
        }
    }
}

/// Store `token` and the verify's result `v` (whose views borrow the buffer
/// at address `base`, `cap` bytes long) in `slot`. `None` if it does not fit,
/// or if any view is not where a verify puts it: then the caller leaves the
/// slot empty, so a layout surprise costs a miss, never a wrong hit.
fn store<'a, const MAX_LEN: usize>(
    slot: &mut Slot<MAX_LEN>,
    token: &[u8],
    v: &Verified<'a>,
    base: usize,
    cap: usize,
) -> Option<()> {
    slot.token.get_mut(..token.len())?.copy_from_slice(token);
    let seg = token::split(token, usize::MAX).ok()?;
    let hlen = token::decoded_len(seg.header).ok()?;
    let json_end = hlen.checked_add(token::decoded_len(seg.payload).ok()?)?;

    let (h, c) = (&v.header, &v.claims);
    let j = |x: Option<JsonStr<'a>>| -> Option<&'a [u8]> { x.map(|x| x.raw().as_bytes()) };
    let aud = match c.aud {
        AudStore::Absent => None,
        AudStore::Json(a) => Some(a.raw().as_bytes()),
        AudStore::Packed(p) => Some(p),
    };
    // Every view, in `Entry` order: header, kid, typ, cty, root, aud, then
    // sub, iss, jti, sid, azp, client_id, scope.
    let views: [Option<&'a [u8]>; 13] = [
        Some(h.raw.raw().as_bytes()),
        j(h.kid),
        j(h.typ),
        j(h.cty),
        Some(c.root.raw().as_bytes()),
        aud,
        c.sub.map(str::as_bytes),
        c.iss.map(str::as_bytes),
        c.jti.map(str::as_bytes),
        c.sid.map(str::as_bytes),
        c.azp.map(str::as_bytes),
        c.client_id.map(str::as_bytes),
        c.scope.map(str::as_bytes),
    ];
    let mut rec = Recorder {
        base,
        cap,
        end: json_end,
    };
    let mut spans = [None; 13];
    for (span, view) in spans.iter_mut().zip(views) {
        *span = rec.opt(view)?;
    }
    let [header, kid, typ, cty, root, aud_span, strs @ ..] = spans;
    let entry = Entry {
        json_end,
        end: rec.end,
        key_index: v.key_index,
        alg: h.alg,
        header: header?,
        kid,
        typ,
        cty,
        root: root?,
        strs,
        aud: match (c.aud, aud_span) {
            (AudStore::Absent, _) => AudSpan::Absent,
            (AudStore::Json(_), Some(a)) => AudSpan::Json(a),
            (AudStore::Packed(_), Some(a)) => AudSpan::Packed(a),
            _ => return None,
        },
        times: [c.exp, c.nbf, c.iat],
    };

    // The bytes: header and payload decoded from the token as the verify
    // decoded them (so valid UTF-8, as the JSON parser checked), then each
    // unescaped string copied from its view.
    let data = slot.data.get_mut(..entry.end)?;
    let (json, arena) = data.split_at_mut(json_end);
    let (hbuf, pbuf) = json.split_at_mut(hlen);
    token::decode(seg.header, hbuf).ok()?;
    token::decode(seg.payload, pbuf).ok()?;
    core::str::from_utf8(json).ok()?;
    arena.fill(0);
    for (span, view) in spans.iter().zip(views) {
        if let (Some(span), Some(view)) = (span, view) {
            // A view lies in the JSON or in the arena, never across.
            if span.start >= json_end {
                slot.data
                    .get_mut(span.start..span.end)?
                    .copy_from_slice(view);
            } else if span.end > json_end {
                return None;
            }
        }
    }
    // Every view must read back exactly: proof that the layout is the
    // verify's, so a hit rebuilds the very same views.
    for (span, view) in spans.iter().zip(views) {
        if span.map(|x| slot.data.get(x.start..x.end)) != view.map(Some) {
            return None;
        }
    }
    slot.entry = entry;
    Some(())
}

/// What [`Verifier::verify`] checks after the signature, in the same order,
/// for a cached token: the decoded bytes come from the slot, the views are
/// rebuilt from their spans, nothing is parsed.
fn recheck<'b, const N: usize, const MAX_LEN: usize, S: AsRef<str>>(
    verifier: &Verifier<N>,
    slot: &Slot<MAX_LEN>,
    now: i64,
    policy: &Policy<'_, S>,
    buf: &'b mut [u8],
) -> Result<Verified<'b>, Error> {
    let e = &slot.entry;
    // The verify's checks, in its order: room for header and payload, the
    // policy's algorithms, the key (fixed under a borrowed verifier, so
    // checked again only for form), room for the unescaped strings.
    if buf.len() < e.json_end {
        return Err(Error::BufferTooSmall);
    }
    if !policy.algorithms.contains(e.alg) {
        return Err(Error::AlgNotAllowedByPolicy);
    }
    let keys = verifier.keys();
    if !keys.get(e.key_index).is_some_and(|k| k.allows(e.alg)) {
        return Err(Error::AlgNotAllowedForKey);
    }
    let (Some(dst), Some(src)) = (buf.get_mut(..e.end), slot.data.get(..e.end)) else {
        return Err(Error::BufferTooSmall);
    };
    dst.copy_from_slice(src);
    let buf: &'b [u8] = buf;
    // Cannot fail: the slot's bytes were checked when stored.
    let (header, claims) = rebuild(e, buf).ok_or(Error::JsonInvalidUtf8)?;
    policy.check(&header, &claims, now)?;
    Ok(Verified {
        header,
        claims,
        key_index: e.key_index,
    })
}

/// The header and claims views over `buf`, which holds a slot's data.
fn rebuild<'b>(e: &Entry, buf: &'b [u8]) -> Option<(Header<'b>, Claims<'b>)> {
    let (json, arena) = buf.get(..e.end)?.split_at_checked(e.json_end)?;
    let json = core::str::from_utf8(json).ok()?;
    let bytes = |s: Span| -> Option<&'b [u8]> {
        arena.get(s.start.checked_sub(e.json_end)?..s.end.checked_sub(e.json_end)?)
    };
    // JSON text slices the checked string; an unescaped copy is checked alone
    // (it is short, and the arena also holds the binary `aud` list).
    let text = |s: Span| -> Option<&'b str> {
        if s.end <= e.json_end {
            json.get(s.start..s.end)
        } else {
            core::str::from_utf8(bytes(s)?).ok()
        }
    };
    let opt = |s: Option<Span>| -> Option<Option<&'b str>> {
        match s {
            None => Some(None),
            Some(s) => text(s).map(Some),
        }
    };
    let jstr = |s| opt(s).map(|o| o.map(JsonStr::from_validated));
    let header = Header {
        alg: e.alg,
        kid: jstr(e.kid)?,
        typ: jstr(e.typ)?,
        cty: jstr(e.cty)?,
        raw: Value::from_validated(text(e.header)?),
    };
    let [sub, iss, jti, sid, azp, client_id, scope] = e.strs;
    let [exp, nbf, iat] = e.times;
    let claims = Claims {
        root: Value::from_validated(text(e.root)?),
        sub: opt(sub)?,
        iss: opt(iss)?,
        jti: opt(jti)?,
        sid: opt(sid)?,
        azp: opt(azp)?,
        client_id: opt(client_id)?,
        scope: opt(scope)?,
        aud: match e.aud {
            AudSpan::Absent => AudStore::Absent,
            AudSpan::Json(s) => AudStore::Json(Value::from_validated(text(s)?)),
            AudSpan::Packed(s) => AudStore::Packed(bytes(s)?),
        },
        exp,
        nbf,
        iat,
    };
    Some((header, claims))
}

#[cfg(test)]
mod tests {
    use super::{Slot, hash};

    #[test]
    fn slot_size_is_as_documented() {
        assert!(core::mem::size_of::<Slot<0>>() <= 400);
        assert!(core::mem::size_of::<Slot<1024>>() <= 2 * 1024 + 400);
    }

    #[test]
    fn hash_depends_on_every_byte_length_and_seed() {
        for len in [1usize, 37, 64, 100, 130] {
            let base = [7u8; 130];
            let base = &base[..len];
            let h = hash(1, base);
            for i in 0..len {
                let mut t = [7u8; 130];
                t[i] ^= 1;
                assert_ne!(hash(1, &t[..len]), h, "len {len} byte {i}");
            }
            assert_ne!(hash(1, &base[..len - 1]), h);
            assert_ne!(hash(2, base), h, "seed");
        }
        assert_ne!(hash(1, &[]), hash(1, &[0]));
    }
}
