//! RSA signature verification (RFC 8017): RSASSA-PKCS1-v1_5 (JWS `RS256`,
//! `RS384`, `RS512`) and RSASSA-PSS with MGF1 (JWS `PS256`, `PS384`, `PS512`).
//!
//! Computes: RSAVP1 and the EMSA-PKCS1-v1_5 / EMSA-PSS checks. Reference:
//! the `rsa` crate (PSS and PKCS#1 v1.5 verdicts) and an independent
//! heap-integer reference in the tests. Tested by `tests/wycheproof_rsa.rs`
//! (Wycheproof, crate signatures, near misses, congruence boundaries, a
//! differential loop; also with 32-bit words in `make test-word32`) and the
//! fuzz target `rsa_diff` (real signatures on 2048/2049/3072/4096-bit keys).
//!
//! Everything lives on the stack: the modulus is held in one of three fixed
//! size classes (2048, 2304, 3072 and 4096 bits) of machine words, with the
//! Montgomery constants computed once when the key is loaded (arithmetic in
//! `monty.rs`). Verification is a public operation on public data, so
//! variable-time code is fine here.
//!
//! No step parses the decrypted block: PKCS#1 v1.5 rebuilds the whole expected
//! encoded message and compares all `k` bytes (2048-bit class) or checks
//! `s^e = EM (mod n)` as a congruence (3072 and 4096, see `Unscaled`); PSS
//! follows EMSA-PSS-VERIFY (RFC 8017 9.1.2) with bounds-checked slicing only.

use subtle::ConstantTimeEq;

#[cfg(feature = "rsa-large")]
use super::monty::Barrett;
use super::monty::{Monty, Word, words_for_bits, words_from_be, words_to_be};
#[cfg(any(
    all(target_arch = "wasm32", target_feature = "simd128"),
    feature = "rsa-d13"
))]
use super::monty_d13::Monty13;
use crate::Error;
use crate::hash::HashAlg;

/// Smallest accepted modulus, in bits.
const MIN_BITS: usize = 2048;
/// Largest accepted modulus, in bits.
#[cfg(feature = "rsa-large")]
const MAX_BITS: usize = 4096;
/// Without `rsa-large`, 2048-bit moduli only.
#[cfg(not(feature = "rsa-large"))]
const MAX_BITS: usize = 2048;
/// Largest modulus length in bytes (size of the stack buffers).
const MAX_BYTES: usize = MAX_BITS / 8;
/// Longest public exponent, in bytes after leading zeros: `e < 2^32`.
/// Verification costs one Montgomery squaring per bit of `e` and one product
/// per one bit, so `e = 2^32 - 1` costs 62 products against 17 for the
/// usual 65537 (3.6 times), where `e` up to `2^64 - 1` cost 126 (7.4 times,
/// multiplied by the 4 candidate keys a forged token may be tried against).
/// No provider uses more than 65537; the `rsa` crate refuses `e > 2^33 - 1`.
pub const MAX_E_BYTES: usize = 4;

const L2048: usize = words_for_bits(2048);
#[cfg(feature = "rsa-large")]
const L2304: usize = words_for_bits(2304);
#[cfg(feature = "rsa-large")]
const L3072: usize = words_for_bits(3072);
#[cfg(feature = "rsa-large")]
const L4096: usize = words_for_bits(4096);

/// DigestInfo prefixes from RFC 8017 9.2 note 1 (the form with NULL parameters).
const DIGEST_INFO_SHA256: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];
const DIGEST_INFO_SHA384: [u8; 19] = [
    0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05,
    0x00, 0x04, 0x30,
];
const DIGEST_INFO_SHA512: [u8; 19] = [
    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05,
    0x00, 0x04, 0x40,
];

/// Bytes of `00 || DigestInfo || H` for the longest hash (SHA-512).
#[cfg(feature = "rsa-large")]
const T_MAX: usize = 1 + DIGEST_INFO_SHA512.len() + 64;
/// Words of `00 || DigestInfo || H` per hash: the congruence check costs
/// about `2 W L` word products, so SHA-256 does not pay for SHA-512's tail.
#[cfg(feature = "rsa-large")]
const fn tail_words(hash_len: usize) -> usize {
    words_for_bits(8 * (1 + DIGEST_INFO_SHA256.len() + hash_len))
}

fn digest_info_prefix(hash: HashAlg) -> &'static [u8] {
    match hash {
        HashAlg::Sha256 => &DIGEST_INFO_SHA256,
        HashAlg::Sha384 => &DIGEST_INFO_SHA384,
        HashAlg::Sha512 => &DIGEST_INFO_SHA512,
    }
}

/// The modulus with its precomputed Montgomery parameters, in a size class.
// The variants differ in size on purpose: the key must have one fixed size
// without allocation, so boxing the large variant is not an option.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
enum Modulus {
    C2048(Small<L2048>),
    #[cfg(feature = "rsa-large")]
    C2304(Unscaled<L2304>),
    #[cfg(feature = "rsa-large")]
    C3072(Unscaled<L3072>),
    #[cfg(feature = "rsa-large")]
    C4096(Unscaled<L4096>),
}

/// The 2048-bit class, the one devices hold in RAM: the modulus and
/// `R^2 mod n`, by which `s` enters Montgomery form with one product. On
/// WebAssembly the power runs on 13-bit digits (`monty_d13.rs`), which keep
/// their own `R^2`; `m` still checks the signature's range and compares keys.
#[derive(Clone, Debug)]
struct Small<const L: usize> {
    m: Monty<L>,
    #[cfg(not(any(
        all(target_arch = "wasm32", target_feature = "simd128"),
        feature = "rsa-d13"
    )))]
    rr: [Word; L],
    #[cfg(any(
        all(target_arch = "wasm32", target_feature = "simd128"),
        feature = "rsa-d13"
    ))]
    d: Monty13,
}

impl<const L: usize> Small<L> {
    fn new(n: &[u8]) -> Result<Self, Error> {
        let m = params_for::<L>(n)?;
        let rr = m.r_squared();
        #[cfg(any(
            all(target_arch = "wasm32", target_feature = "simd128"),
            feature = "rsa-d13"
        ))]
        {
            let d = Monty13::new(&m, n, &rr).ok_or(Error::RsaKeySize)?;
            Ok(Self { m, d })
        }
        #[cfg(not(any(
            all(target_arch = "wasm32", target_feature = "simd128"),
            feature = "rsa-d13"
        )))]
        Ok(Self { m, rr })
    }

    /// RSAVP1 (see `rsa_ep`).
    #[cfg(not(any(
        all(target_arch = "wasm32", target_feature = "simd128"),
        feature = "rsa-d13"
    )))]
    fn ep(&self, e: u64, sig: &[u8], out: &mut [u8; MAX_BYTES]) -> Result<(), Error> {
        rsa_ep(&self.m, e, sig, out, |s, x| {
            self.m.to_form_by_product(s, &self.rr, x)
        })
    }

    /// RSAVP1 on 13-bit digits: the same checks as `rsa_ep`, then
    /// `Monty13::pow_be`.
    #[cfg(any(
        all(target_arch = "wasm32", target_feature = "simd128"),
        feature = "rsa-d13"
    ))]
    fn ep(&self, e: u64, sig: &[u8], out: &mut [u8; MAX_BYTES]) -> Result<(), Error> {
        representative(&self.m, sig)?;
        let out = out.get_mut(..sig.len()).ok_or(Error::BadSignature)?;
        self.d.pow_be(sig, e, out).ok_or(Error::BadSignature)
    }
}

/// A large modulus with two more constants, so that PKCS#1 v1.5 checks
/// `s^e = EM (mod n)` with neither conversion into Montgomery form nor out of
/// it: `x = s^e / R^(e-1)` (`Monty::pow_unscaled`) is compared with
/// `EM K = (F - E) K`, where `K = R^-(e-1) mod n`, `F` is the k-byte block
/// `00 01 FF .. FF` and `E = F - EM` is the complement of the short tail
/// `00 || DigestInfo || H` (at most 84 bytes). With `F K` stored,
/// `Monty::is_difference` checks `x = F K - E K (mod n)` for about one tenth
/// of a Montgomery product. At e = 65537 that is one product fewer of 18:
/// 6% off RS256-4096. The 2048-bit class keeps its two conversions and
/// smaller keys (devices hold them in RAM; 3072 and 4096 are server sizes).
///
/// Why the congruence gives exactly the byte comparison's verdict (RFC 8017
/// 8.2.2 accepts iff `s < n` and `I2OSP(s^e mod n, k) = EM`):
///
/// 1. `s < n` is checked first, as in the byte path.
/// 2. `EM < n`: EM's first two bytes are `00 01`, so `EM < 2^(8k - 15)`,
///    while `n >= 2^(8(k - 1))` (its top byte is nonzero). So `EM mod n = EM`,
///    and with `s^e mod n` in `[0, n)`: `s^e mod n = EM` iff
///    `s^e = EM (mod n)`. Equal numbers below `2^(8k)` have equal k-byte
///    encodings, so this is the byte comparison.
/// 3. `EM = F - E` exactly: F and EM agree up to the tail, and there
///    `FF..FF - (00 || T)` is the bytewise complement, with no borrow.
/// 4. n is odd, so R and K are units mod n, and `x = s^e K (mod n)`
///    (`pow_unscaled`): `s^e = EM` iff `x = EM K = F K - E K (mod n)`.
/// 5. `is_difference` decides that congruence exactly for any `E` of
///    `W` words, here the tail's words for the hash in use (its own bound,
///    proved beside it and tested with all-ones `v`).
///
/// Boundary tests: `tests/wycheproof_rsa.rs` (`congruence_boundaries`:
/// digests of all zeros and all ones, the extremes of `E`; genuine
/// signatures of EM off by one and across the tail/padding boundary; the
/// 2049-bit key, the smallest n of the 2304 class, whose EM is nearest n) and the monty unit tests.
#[cfg(feature = "rsa-large")]
#[derive(Clone, Debug)]
struct Unscaled<const L: usize> {
    m: Monty<L>,
    /// `K = R^-(e-1) mod n`, its words in reverse (the column order of
    /// `Monty::is_difference`).
    k_rev: [Word; L],
    /// `F K mod n`.
    fk: [Word; L],
    /// For RSASSA-PSS, which needs `s^e mod n` itself: the Barrett constant
    /// that moves `s` into Montgomery form with half the word products of a
    /// Montgomery product (`monty/barrett.rs`); PS256-4096 73.1 -> 71.4 us here.
    b: Barrett<L>,
}

#[cfg(feature = "rsa-large")]
impl<const L: usize> Unscaled<L> {
    /// The constants for a key with public exponent `e` and a modulus of `k`
    /// bytes (`k >= 2`; `F < 2^(8k - 15) < n`).
    fn new(m: Monty<L>, e: u64, k: usize) -> Result<Self, Error> {
        let mut one = [0; L];
        one[0] = 1;
        // 1^e / R^(e-1).
        let mut kk = [0; L];
        m.pow_unscaled(&one, e, &mut kk);
        let mut f_be = [0xffu8; MAX_BYTES];
        let f_be = f_be.get_mut(..k).ok_or(Error::RsaKeySize)?;
        if let [b0, b1, ..] = f_be {
            (*b0, *b1) = (0x00, 0x01);
        }
        let f = words_from_be::<L>(f_be).ok_or(Error::RsaKeySize)?;
        let mut fk = [0; L];
        let rr = m.r_squared();
        m.mul_mod(&f, &kk, &rr, &mut fk);
        kk.reverse();
        let b = m.barrett(&rr);
        Ok(Self {
            m,
            k_rev: kk,
            fk,
            b,
        })
    }

    /// RSAVP1 with the Barrett entry into Montgomery form (see `rsa_ep`).
    fn ep(&self, e: u64, sig: &[u8], out: &mut [u8; MAX_BYTES]) -> Result<(), Error> {
        rsa_ep(&self.m, e, sig, out, |s, x| self.m.to_form(s, &self.b, x))
    }

    /// RSASSA-PKCS1-v1_5 for `digest` under `hash`, whose DigestInfo prefix
    /// is `prefix` (lengths checked by the caller): the check sized to the
    /// hash's tail.
    fn pkcs1(
        &self,
        e: u64,
        sig: &[u8],
        hash: HashAlg,
        prefix: &[u8],
        digest: &[u8],
    ) -> Result<(), Error> {
        match hash {
            HashAlg::Sha256 => self.pkcs1_holds::<{ tail_words(32) }>(e, sig, prefix, digest),
            HashAlg::Sha384 => self.pkcs1_holds::<{ tail_words(48) }>(e, sig, prefix, digest),
            HashAlg::Sha512 => self.pkcs1_holds::<{ tail_words(64) }>(e, sig, prefix, digest),
        }
    }

    /// RSASSA-PKCS1-v1_5: `sig^e = F - E (mod n)` for the tail complement
    /// `E` of `00 || prefix || digest`, in `W` words (see the type).
    fn pkcs1_holds<const W: usize>(
        &self,
        e: u64,
        sig: &[u8],
        prefix: &[u8],
        digest: &[u8],
    ) -> Result<(), Error> {
        let tail = tail_complement::<W>(prefix, digest)?;
        let s = words_from_be::<L>(sig).ok_or(Error::BadSignatureLength)?;
        // RFC 8017 5.2.2 step 1: the signature representative must be below n.
        if !self.m.below_modulus(&s) {
            return Err(Error::BadSignature);
        }
        let mut x = [0; L];
        self.m.pow_unscaled(&s, e, &mut x);
        if self.m.is_difference(&x, &self.fk, &tail, &self.k_rev) {
            Ok(())
        } else {
            Err(Error::BadSignature)
        }
    }
}

/// An RSA public key pinned for signature verification (modulus of
/// 2048..=4096 bits), with its Montgomery parameters precomputed.
#[derive(Clone, Debug)]
pub struct RsaPublicKey {
    modulus: Modulus,
    /// Modulus length in bytes (`k` in RFC 8017).
    k: usize,
    /// Modulus length in bits.
    bits: usize,
    /// Public exponent (odd, at least 3, below 2^32).
    e: u64,
}

/// Drop leading zero bytes.
fn strip_leading_zeros(mut b: &[u8]) -> &[u8] {
    while let [0, rest @ ..] = b {
        b = rest;
    }
    b
}

/// `E`, the complement of `00 || prefix || digest` as a number (see
/// `Unscaled`): `EM = F - E`.
#[cfg(feature = "rsa-large")]
fn tail_complement<const W: usize>(prefix: &[u8], digest: &[u8]) -> Result<[Word; W], Error> {
    let mut buf = [0u8; T_MAX];
    let len = 1 + prefix.len() + digest.len();
    let (first, rest) = buf
        .get_mut(..len)
        .and_then(|t| t.split_first_mut())
        .ok_or(Error::BadSignature)?;
    *first = 0xff;
    for (b, &t) in rest.iter_mut().zip(prefix.iter().chain(digest)) {
        *b = !t;
    }
    words_from_be::<W>(buf.get(..len).ok_or(Error::BadSignature)?).ok_or(Error::BadSignature)
}

/// The Montgomery constants of `n` (big-endian, odd, at most `L` words).
fn params_for<const L: usize>(n: &[u8]) -> Result<Monty<L>, Error> {
    Monty::new(n).ok_or(Error::RsaKeySize)
}

/// One large class's constants, as the `Modulus` `class` makes of them. Out
/// of line, and returning the one enum: inlined, the three classes'
/// temporaries added up in one frame (14.8 KB of key-load stack on the M4).
#[cfg(feature = "rsa-large")]
#[inline(never)]
fn unscaled_for<const L: usize>(
    n: &[u8],
    e: u64,
    class: fn(Unscaled<L>) -> Modulus,
) -> Result<Modulus, Error> {
    Ok(class(Unscaled::new(params_for::<L>(n)?, e, n.len())?))
}

/// The signature as a number, refused unless below n (RFC 8017 5.2.2 step
/// 1). Every class's RSAVP1 starts here.
fn representative<const L: usize>(m: &Monty<L>, sig: &[u8]) -> Result<[Word; L], Error> {
    let s = words_from_be::<L>(sig).ok_or(Error::BadSignatureLength)?;
    if !m.below_modulus(&s) {
        return Err(Error::BadSignature);
    }
    Ok(s)
}

/// `s^e mod n` for a signature `sig` of exactly `k` bytes: writes the
/// `k`-byte big-endian result into `out[..k]`. `to_form` makes `s R mod n`
/// (`Monty::mul` by `R^2`, or `Monty::to_form`).
#[cfg_attr(
    any(
        all(target_arch = "wasm32", target_feature = "simd128"),
        feature = "rsa-d13"
    ),
    allow(dead_code)
)]
fn rsa_ep<const L: usize>(
    m: &Monty<L>,
    e: u64,
    sig: &[u8],
    out: &mut [u8; MAX_BYTES],
    to_form: impl Fn(&[Word; L], &mut [Word; L]),
) -> Result<(), Error> {
    let k = sig.len();
    let s = representative(m, sig)?;
    let mut x: [Word; L] = [0; L];
    to_form(&s, &mut x);
    let mut r: [Word; L] = [0; L];
    m.pow_from_form(&mut x, &s, e, &mut r);
    // r < n < 2^(8k): its low k bytes are all of it.
    words_to_be(&r, out.get_mut(..k).ok_or(Error::BadSignature)?).ok_or(Error::BadSignature)
}

impl RsaPublicKey {
    /// Load a public key from its modulus `n` and public exponent `e`, both
    /// big-endian; leading zero bytes are allowed (JWK `n`/`e` and DER
    /// INTEGERs may carry them).
    ///
    /// Errors: [`Error::RsaKeySize`] when n's bit length is outside
    /// 2048..=4096 or n is even; [`Error::RsaExponent`] when e is even,
    /// e < 3 or e >= 2^32 (longer than [`MAX_E_BYTES`] after leading zeros).
    pub fn from_be_bytes(n: &[u8], e: &[u8]) -> Result<Self, Error> {
        let n = strip_leading_zeros(n);
        let e_bytes = strip_leading_zeros(e);

        let first = *n.first().ok_or(Error::RsaKeySize)?;
        let bits = (n.len() - 1) * 8 + (8 - first.leading_zeros() as usize);
        if !(MIN_BITS..=MAX_BITS).contains(&bits) {
            return Err(Error::RsaKeySize);
        }
        if n.last().is_none_or(|b| b & 1 == 0) {
            return Err(Error::RsaKeySize);
        }

        // The exponent first: it is what a verification costs (one Montgomery
        // product per bit and per one bit), so a provider's key must not set it.
        if e_bytes.len() > MAX_E_BYTES {
            return Err(Error::RsaExponent);
        }
        let e = e_bytes
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        if e < 3 || e & 1 == 0 {
            return Err(Error::RsaExponent);
        }
        // e < 2^32 <= 2^2047 <= n, so e < n holds for every accepted modulus;
        // it is checked anyway in case the limits above ever change.
        if bits <= 32 {
            return Err(Error::RsaKeySize);
        }

        #[cfg(not(feature = "rsa-large"))]
        let modulus = Modulus::C2048(Small::new(n)?);
        #[cfg(feature = "rsa-large")]
        let modulus = if bits <= 2048 {
            Modulus::C2048(Small::new(n)?)
        } else if bits <= 2304 {
            // Just above 2048 (2049..=2304): a class of its own, sized to the
            // modulus, not the 3072 one (which cost 2.5 times a 2048-bit key).
            unscaled_for::<L2304>(n, e, Modulus::C2304)?
        } else if bits <= 3072 {
            unscaled_for::<L3072>(n, e, Modulus::C3072)?
        } else {
            unscaled_for::<L4096>(n, e, Modulus::C4096)?
        };
        Ok(Self {
            modulus,
            k: n.len(),
            bits,
            e,
        })
    }

    /// Bit length of the modulus n (2048..=4096).
    pub fn modulus_bits(&self) -> usize {
        self.bits
    }

    /// Byte length `k` of the modulus, which is also the signature length.
    pub fn modulus_len(&self) -> usize {
        self.k
    }

    /// RSAVP1: check the signature length and range, and compute
    /// `sig^e mod n` as `k` big-endian bytes into `out[..k]`.
    fn public_op(&self, sig: &[u8], out: &mut [u8; MAX_BYTES]) -> Result<(), Error> {
        if sig.len() != self.k {
            return Err(Error::BadSignatureLength);
        }
        match &self.modulus {
            Modulus::C2048(p) => p.ep(self.e, sig, out),
            #[cfg(feature = "rsa-large")]
            Modulus::C2304(u) => u.ep(self.e, sig, out),
            #[cfg(feature = "rsa-large")]
            Modulus::C3072(u) => u.ep(self.e, sig, out),
            #[cfg(feature = "rsa-large")]
            Modulus::C4096(u) => u.ep(self.e, sig, out),
        }
    }

    /// Verify an RSASSA-PKCS1-v1_5 signature (RFC 8017 8.2.2).
    ///
    /// `digest` is the message hash (its length must equal
    /// `hash.output_len()`, else [`Error::BadSignature`]). A signature whose
    /// length is not `k` gives [`Error::BadSignatureLength`]; any other
    /// failure gives [`Error::BadSignature`].
    pub fn verify_pkcs1v15(&self, hash: HashAlg, digest: &[u8], sig: &[u8]) -> Result<(), Error> {
        if sig.len() != self.k {
            return Err(Error::BadSignatureLength);
        }
        if digest.len() != hash.output_len() {
            return Err(Error::BadSignature);
        }
        let k = self.k;
        let prefix = digest_info_prefix(hash);
        let t_len = prefix.len() + digest.len();
        // At least 8 bytes of 0xFF padding (always true for k >= 256).
        let ps_end = k.checked_sub(t_len + 1).ok_or(Error::BadSignature)?;
        if ps_end < 2 + 8 {
            return Err(Error::BadSignature);
        }
        #[cfg(feature = "rsa-large")]
        match &self.modulus {
            Modulus::C2048(_) => {}
            Modulus::C2304(u) => return u.pkcs1(self.e, sig, hash, prefix, digest),
            Modulus::C3072(u) => return u.pkcs1(self.e, sig, hash, prefix, digest),
            Modulus::C4096(u) => return u.pkcs1(self.e, sig, hash, prefix, digest),
        }
        let mut em = [0u8; MAX_BYTES];
        self.public_op(sig, &mut em)?;

        // Build the expected EM = 0x00 0x01 FF..FF 0x00 || DigestInfo || H.
        let mut expected = [0u8; MAX_BYTES];
        let exp = expected.get_mut(..k).ok_or(Error::BadSignature)?;
        let (head, t) = exp.split_at_mut(ps_end + 1);
        head.fill(0xff);
        head[0] = 0x00;
        head[1] = 0x01;
        head[ps_end] = 0x00;
        let (p, d) = t.split_at_mut(prefix.len());
        p.copy_from_slice(prefix);
        d.copy_from_slice(digest);

        let got = em.get(..k).ok_or(Error::BadSignature)?;
        // Every byte, without early exit. Not `subtle`'s per-byte barrier:
        // both sides are public (signature and message), and at 256-512
        // bytes that loop cost about as much as two dozen word products.
        let diff = got.iter().zip(&*exp).fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if diff == 0 {
            Ok(())
        } else {
            Err(Error::BadSignature)
        }
    }

    /// Verify an RSASSA-PSS signature (RFC 8017 8.1.2 and EMSA-PSS-VERIFY
    /// 9.1.2) with MGF1 using the same hash as the message, and salt length
    /// `salt_len` (JWS uses `salt_len == hash.output_len()`, RFC 7518 3.5).
    ///
    /// `digest` is the message hash (its length must equal
    /// `hash.output_len()`, else [`Error::BadSignature`]). A signature whose
    /// length is not `k` gives [`Error::BadSignatureLength`]; a signature
    /// that is valid, but with another salt length, gives
    /// [`Error::PssSaltLength`] (see [`pss_salt_len`](Self::pss_salt_len));
    /// any other failure gives [`Error::BadSignature`].
    pub fn verify_pss(
        &self,
        hash: HashAlg,
        digest: &[u8],
        sig: &[u8],
        salt_len: usize,
    ) -> Result<(), Error> {
        match self.pss_salt_len(hash, digest, sig)? {
            found if found == salt_len => Ok(()),
            _ => Err(Error::PssSaltLength),
        }
    }

    /// EMSA-PSS-VERIFY (RFC 8017 9.1.2) with the salt length read from the
    /// encoded message: the length of the salt of a valid signature. The
    /// checks are RFC 8017's for that length (DB = zeros || 0x01 || salt,
    /// `H = Hash(0^8 || mHash || salt)`); any salt RFC 8017 allows, 0 to
    /// `emLen - hLen - 2` bytes, is found. A signature valid with salt
    /// length `s` is valid with no other, so `verify_pss(.., s)` accepts
    /// exactly when this returns `Ok(s)`.
    ///
    /// Errors as [`verify_pss`](Self::verify_pss), never `PssSaltLength`.
    pub fn pss_salt_len(&self, hash: HashAlg, digest: &[u8], sig: &[u8]) -> Result<usize, Error> {
        if sig.len() != self.k {
            return Err(Error::BadSignatureLength);
        }
        let h_len = hash.output_len();
        if digest.len() != h_len {
            return Err(Error::BadSignature);
        }
        let mut m = [0u8; MAX_BYTES];
        self.public_op(sig, &mut m)?;
        let k = self.k;
        let m = m.get(..k).ok_or(Error::BadSignature)?;

        // emBits = modBits - 1, emLen = ceil(emBits / 8).
        let em_bits = self.bits - 1;
        let em_len = em_bits.div_ceil(8);
        // When emBits is a multiple of 8, EM is k-1 bytes and the leading byte
        // of the k-byte integer must be zero.
        let lead = k.checked_sub(em_len).ok_or(Error::BadSignature)?;
        let (lead_bytes, em) = m.split_at_checked(lead).ok_or(Error::BadSignature)?;
        if lead_bytes.iter().any(|&b| b != 0) {
            return Err(Error::BadSignature);
        }

        // Step 3 for the shortest salt (0 bytes); a longer one is bounded
        // by where the 0x01 separator is found in DB (step 10).
        if em_len < h_len + 2 {
            return Err(Error::BadSignature);
        }
        // Step 4.
        let (&last, rest) = em.split_last().ok_or(Error::BadSignature)?;
        if last != 0xbc {
            return Err(Error::BadSignature);
        }
        // Step 5.
        let db_len = em_len - h_len - 1;
        let (masked_db, h) = rest.split_at_checked(db_len).ok_or(Error::BadSignature)?;
        // Step 6: the leftmost 8*emLen - emBits bits of maskedDB must be zero.
        let unused_bits = 8 * em_len - em_bits; // 0..=7
        let top_mask: u8 = 0xffu8 >> unused_bits;
        let first = *masked_db.first().ok_or(Error::BadSignature)?;
        if first & !top_mask != 0 {
            return Err(Error::BadSignature);
        }

        // Steps 7-8: DB = maskedDB xor MGF1(H, dbLen).
        let mut db_buf = [0u8; MAX_BYTES];
        let db = db_buf.get_mut(..db_len).ok_or(Error::BadSignature)?;
        db.copy_from_slice(masked_db);
        for (counter, chunk) in db.chunks_mut(h_len).enumerate() {
            let c = u32::try_from(counter).map_err(|_| Error::BadSignature)?;
            let mask = hash.digest_parts(&[h, &c.to_be_bytes()]);
            for (b, m) in chunk.iter_mut().zip(mask.as_bytes()) {
                *b ^= m;
            }
        }
        // Step 9.
        if let Some(b) = db.first_mut() {
            *b &= top_mask;
        }
        // Step 10: DB = PS (zeros) || 0x01 || salt, the salt being what
        // follows the first non-zero byte.
        let ps_len = db.iter().position(|&b| b != 0).ok_or(Error::BadSignature)?;
        let (&sep, salt) = db
            .get(ps_len..)
            .and_then(<[u8]>::split_first)
            .ok_or(Error::BadSignature)?;
        if sep != 0x01 {
            return Err(Error::BadSignature);
        }
        // Steps 11-14.
        let h2 = hash.digest_parts(&[&[0u8; 8], digest, salt]);
        if bool::from(h2.as_bytes().ct_eq(h)) {
            Ok(salt.len())
        } else {
            Err(Error::BadSignature)
        }
    }

    /// Constant-shape equality of two keys (same n and e), used to
    /// de-duplicate pinned keys: every limb is compared, without early exit.
    pub fn same_key(&self, other: &Self) -> bool {
        let same_modulus = match (&self.modulus, &other.modulus) {
            (Modulus::C2048(a), Modulus::C2048(b)) => a.m.same_modulus(&b.m),
            #[cfg(feature = "rsa-large")]
            (Modulus::C2304(a), Modulus::C2304(b)) => a.m.same_modulus(&b.m),
            #[cfg(feature = "rsa-large")]
            (Modulus::C3072(a), Modulus::C3072(b)) => a.m.same_modulus(&b.m),
            #[cfg(feature = "rsa-large")]
            (Modulus::C4096(a), Modulus::C4096(b)) => a.m.same_modulus(&b.m),
            #[cfg(feature = "rsa-large")]
            _ => false,
        };
        same_modulus & (self.e == other.e) & (self.k == other.k)
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec;
    use std::vec::Vec;

    // Wycheproof rsa_signature_2048_sha256_test.json, group 1, tcId 1 (msg "").
    const N_HEX: &str = "00a2b451a07d0aa5f96e455671513550514a8a5b462ebef717094fa1fee82224e637f9746d3f7cafd31878d80325b6ef5a1700f65903b469429e89d6eac8845097b5ab393189db92512ed8a7711a1253facd20f79c15e8247f3d3e42e46e48c98e254a2fe9765313a03eff8f17e1a029397a1fa26a8dce26f490ed81299615d9814c22da610428e09c7d9658594266f5c021d0fceca08d945a12be82de4d1ece6b4c03145b5d3495d4ed5411eb878daf05fd7afc3e09ada0f1126422f590975a1969816f48698bcbba1b4d9cae79d460d8f9f85e7975005d9bc22c4e5ac0f7c1a45d12569a62807d3b9a02e5a530e773066f453d1f5b4c2e9cf7820283f742b9d5";
    const SIG_HEX: &str = "840f5dac53106dd1f9c57219224cf51289290c42f20466875ba8e830ac5690e541536fcc8ab03b731f82bf66d83f194e7e180b3963ec7a2f3f7904a7ce49aed47da4d4b79421eaf937d301b3e696169297b797c32c076a12be4de0b58e003c5123051a84a10c62f8dac2f42a8640008eb3c7cccd6760ff5b51b689763922582845f048fb8150e5a7a6ca2eccc7bdc85349ad5b26c52137a79fa3fe5c29ab5cd7615013219c1941b6708e9c3c23feff5febaf0c8ebca5750b54e3e6e99a3e876b396f27860b7f3ec4e9191703c6332d944f6f69751167680c79c4f6b57f1cc8755d24b6ec158ccdbacdb23107a33cb6b332516c13274d1f9dccc21dced869e486";

    fn key() -> RsaPublicKey {
        RsaPublicKey::from_be_bytes(&hex::decode(N_HEX).unwrap(), &[1, 0, 1]).unwrap()
    }

    #[test]
    fn known_vector_verifies() {
        let k = key();
        assert_eq!(k.modulus_bits(), 2048);
        assert_eq!(k.modulus_len(), 256);
        let sig = hex::decode(SIG_HEX).unwrap();
        let d = HashAlg::Sha256.digest(b"");
        assert_eq!(
            k.verify_pkcs1v15(HashAlg::Sha256, d.as_bytes(), &sig),
            Ok(())
        );
        let d = HashAlg::Sha256.digest(b"x");
        assert_eq!(
            k.verify_pkcs1v15(HashAlg::Sha256, d.as_bytes(), &sig),
            Err(Error::BadSignature)
        );
        // Wrong digest length.
        assert_eq!(
            k.verify_pkcs1v15(HashAlg::Sha384, d.as_bytes(), &sig),
            Err(Error::BadSignature)
        );
        assert_eq!(
            k.verify_pkcs1v15(HashAlg::Sha256, d.as_bytes(), &sig[1..]),
            Err(Error::BadSignatureLength)
        );
        // PSS on a PKCS#1 signature fails cleanly.
        assert_eq!(
            k.verify_pss(HashAlg::Sha256, d.as_bytes(), &sig, 32),
            Err(Error::BadSignature)
        );
        assert_eq!(
            k.verify_pss(HashAlg::Sha256, d.as_bytes(), &sig, usize::MAX),
            Err(Error::BadSignature)
        );
    }

    /// The public operation against crypto-bigint's generic modular
    /// exponentiation, for F4 and e = 3, on many signatures (monty.rs has the
    /// arithmetic's own differential tests).
    #[test]
    fn public_op_matches_generic_pow() {
        use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
        use crypto_bigint::{BoxedUint, Odd};
        let n = hex::decode(N_HEX).unwrap();
        let params = Small::<L2048>::new(&n[1..]).unwrap();
        let rsa_ep = |e, sig: &[u8], out: &mut [u8; MAX_BYTES]| params.ep(e, sig, out);
        let big_n = BoxedUint::from_be_slice(&n[1..], 2048).unwrap();
        let ref_params = BoxedMontyParams::new_vartime(Odd::new(big_n).unwrap());
        let mut seed = hex::decode(SIG_HEX).unwrap();
        for i in 0..24u8 {
            seed[0] = i; // stays below n (n's top byte is 0xa2)
            seed[255] = seed[255].wrapping_mul(31).wrapping_add(i);
            for e in [65537u64, 3] {
                let mut out = [0u8; MAX_BYTES];
                rsa_ep(e, &seed, &mut out).unwrap();
                let s = BoxedUint::from_be_slice(&seed, 2048).unwrap();
                let want = BoxedMontyForm::new(s, &ref_params)
                    .pow(&BoxedUint::from(e))
                    .retrieve()
                    .to_be_bytes();
                assert_eq!(&out[..256], &want[..], "case {i} e={e}");
            }
        }
        // s >= n is refused before any arithmetic: n itself, and all ones.
        let mut out = [0u8; MAX_BYTES];
        assert_eq!(rsa_ep(65537, &n[1..], &mut out), Err(Error::BadSignature));
        assert_eq!(
            rsa_ep(65537, &[0xff; 256], &mut out),
            Err(Error::BadSignature)
        );
        // 0 and 1 are their own powers.
        let mut one = [0u8; 256];
        one[255] = 1;
        rsa_ep(65537, &one, &mut out).unwrap();
        assert_eq!(&out[..256], &one[..]);
        rsa_ep(65537, &[0; 256], &mut out).unwrap();
        assert_eq!(&out[..256], &[0; 256][..]);
    }

    /// The 2048-bit class's range check at its edges, and a value whose power
    /// is known without a reference: (n - 1)^e = n - 1 for odd e.
    #[test]
    fn public_op_range_edges() {
        let n = hex::decode(N_HEX).unwrap();
        let n = &n[1..];
        for e in [3u64, 65537, 0xffff_ffff] {
            let params = Small::<L2048>::new(n).unwrap();
            let mut out = [0u8; MAX_BYTES];
            // n + 1 (n is odd: only the last byte changes) and n + 2^8.
            let mut above = n.to_vec();
            above[255] += 1;
            assert_eq!(params.ep(e, &above, &mut out), Err(Error::BadSignature));
            let mut above = n.to_vec();
            above[254] += 1;
            assert_eq!(params.ep(e, &above, &mut out), Err(Error::BadSignature));
            // n - 1 is in range, and its own power.
            let mut below = n.to_vec();
            below[255] -= 1;
            params.ep(e, &below, &mut out).unwrap();
            assert_eq!(&out[..256], &below[..], "e = {e}");
            // Through the key: a signature equal to n is refused as a
            // signature, not as a length.
            let key = RsaPublicKey::from_be_bytes(n, &e.to_be_bytes()).unwrap();
            let d = HashAlg::Sha256.digest(b"");
            assert_eq!(
                key.verify_pkcs1v15(HashAlg::Sha256, d.as_bytes(), n),
                Err(Error::BadSignature)
            );
            assert_eq!(
                key.verify_pss(HashAlg::Sha256, d.as_bytes(), n, 32),
                Err(Error::BadSignature)
            );
        }
    }

    /// A 2048-bit key with e = 3 and its RS256 and PS256 signatures from
    /// Python's `cryptography` (scripts/gen_rsa_e3.py).
    #[test]
    fn e3_key_verifies() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/rsa_e3.json")).unwrap();
        let field = |k: &str| hex::decode(v[k].as_str().unwrap()).unwrap();
        let key = RsaPublicKey::from_be_bytes(&field("n"), &[3]).unwrap();
        assert_eq!(key.modulus_bits(), 2048);
        let d = HashAlg::Sha256.digest(v["msg"].as_str().unwrap().as_bytes());
        let (pkcs1, pss) = (field("rs256"), field("ps256_salt32"));
        assert_eq!(
            key.verify_pkcs1v15(HashAlg::Sha256, d.as_bytes(), &pkcs1),
            Ok(())
        );
        assert_eq!(
            key.verify_pss(HashAlg::Sha256, d.as_bytes(), &pss, 32),
            Ok(())
        );
        // One bit off, in the signature or the digest: refused.
        let mut bad = pkcs1.clone();
        bad[200] ^= 1;
        assert_eq!(
            key.verify_pkcs1v15(HashAlg::Sha256, d.as_bytes(), &bad),
            Err(Error::BadSignature)
        );
        let mut bad = pss.clone();
        bad[17] ^= 0x80;
        assert_eq!(
            key.verify_pss(HashAlg::Sha256, d.as_bytes(), &bad, 32),
            Err(Error::BadSignature)
        );
        let other = HashAlg::Sha256.digest(b"libverifier: another message");
        assert_eq!(
            key.verify_pkcs1v15(HashAlg::Sha256, other.as_bytes(), &pkcs1),
            Err(Error::BadSignature)
        );
        // The same modulus with e = 65537 does not accept them.
        let f4 = RsaPublicKey::from_be_bytes(&field("n"), &[1, 0, 1]).unwrap();
        assert_eq!(
            f4.verify_pkcs1v15(HashAlg::Sha256, d.as_bytes(), &pkcs1),
            Err(Error::BadSignature)
        );
    }

    /// The large classes' public operation (entry into Montgomery form by a
    /// Barrett quotient) against crypto-bigint, on odd moduli at both ends
    /// of each class and random signatures below them.
    #[cfg(feature = "rsa-large")]
    #[test]
    fn large_public_op_matches_generic_pow() {
        use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
        use crypto_bigint::{BoxedUint, NonZero, Odd};
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut byte = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        };
        // Random moduli at both ends of each class and a whole number of
        // words inside one; then, for each class's full length b, the
        // modulus 2^b - 2^(b/2) + 1 with s = n - 2^(b/2), which needs the
        // Barrett entry's second correction (`monty`'s `barrett_entry` checks
        // the entry itself, which fails without it; here the whole power).
        let mut moduli = std::vec::Vec::new();
        for bits in [2049usize, 2304, 2305, 2560, 3000, 3072, 3073, 4095, 4096] {
            let k = bits.div_ceil(8);
            let mut n: std::vec::Vec<u8> = (0..k).map(|_| byte()).collect();
            let lead = bits - 8 * (k - 1);
            n[0] = (n[0] & ((1u16 << lead) - 1) as u8) | (1 << (lead - 1));
            n[k - 1] |= 1;
            moduli.push((n, None));
        }
        for bits in [2304usize, 3072, 4096] {
            let k = bits / 8;
            // n = 2^b - 2^(b/2) + 1 = ff..ff 00..01, s = n - 2^(b/2) = ff..fe 00..01.
            let mut n = std::vec![0u8; k];
            n[..k / 2].fill(0xff);
            n[k - 1] = 1;
            let mut s = n.clone();
            s[k / 2 - 1] = 0xfe;
            moduli.push((n, Some(s)));
        }
        for (n, special) in &moduli {
            let k = n.len();
            let bits = 8 * k - n[0].leading_zeros() as usize;
            let big_n = BoxedUint::from_be_slice_vartime(n);
            let ref_params = BoxedMontyParams::new_vartime(Odd::new(big_n.clone()).unwrap());
            for e in [65537u32, 3] {
                let key = RsaPublicKey::from_be_bytes(n, &e.to_be_bytes()).unwrap();
                for i in 0..7 {
                    let s = match (i, special) {
                        (0, _) => BoxedUint::zero(),
                        (1, _) => BoxedUint::one(),
                        (2, _) => big_n.wrapping_sub(BoxedUint::one()),
                        (3, Some(s)) => BoxedUint::from_be_slice_vartime(s),
                        _ => {
                            let r: std::vec::Vec<u8> = (0..k).map(|_| byte()).collect();
                            BoxedUint::from_be_slice_vartime(&r)
                                .rem_vartime(&NonZero::new(big_n.clone()).unwrap())
                        }
                    };
                    // k bytes, big-endian.
                    let be = s.to_be_bytes();
                    let mut sig = std::vec![0u8; k];
                    let used = be.len().min(k);
                    sig[k - used..].copy_from_slice(&be[be.len() - used..]);
                    let mut out = [0u8; MAX_BYTES];
                    key.public_op(&sig, &mut out).unwrap();
                    let s = BoxedUint::from_be_slice(&sig, big_n.bits_precision()).unwrap();
                    let want = BoxedMontyForm::new(s, &ref_params)
                        .pow(&BoxedUint::from(e))
                        .retrieve()
                        .to_be_bytes();
                    let want = &want[want.len() - k..];
                    assert_eq!(&out[..k], want, "{bits} bits, e={e}, case {i}");
                }
            }
        }
    }

    /// The key holds n and R^2 mod n in the largest size class, one word
    /// (-n^-1) and three lengths: nothing else (issue 9: keys live in
    /// device RAM). The large classes (servers) add `K`, `F K` and the
    /// Barrett constant with n's bit length.
    #[test]
    fn key_struct_stays_small() {
        let words = core::mem::size_of::<Word>();
        let numbers = if cfg!(feature = "rsa-large") { 5 } else { 2 };
        let lengths = if cfg!(feature = "rsa-large") { 5 } else { 4 };
        // The WebAssembly 2048-bit class keeps n and R^2 in 13-bit digits too.
        #[cfg(any(
            all(target_arch = "wasm32", target_feature = "simd128"),
            feature = "rsa-d13"
        ))]
        let digits = 2 * 2 * super::super::monty_d13::DIGITS;
        #[cfg(not(any(
            all(target_arch = "wasm32", target_feature = "simd128"),
            feature = "rsa-d13"
        )))]
        let digits = 0;
        assert!(
            core::mem::size_of::<RsaPublicKey>()
                <= numbers * MAX_BYTES + words + lengths * 8 + digits
        );
    }

    #[test]
    fn same_key_and_leading_zeros() {
        let n = hex::decode(N_HEX).unwrap();
        let a = key();
        let mut padded = vec![0u8; 5];
        padded.extend_from_slice(&n);
        let b = RsaPublicKey::from_be_bytes(&padded, &[0, 0, 1, 0, 1]).unwrap();
        assert!(a.same_key(&b));
        let c = RsaPublicKey::from_be_bytes(&n, &[3]).unwrap();
        assert!(!a.same_key(&c));
        let mut n2 = n.clone();
        n2[100] ^= 1;
        let d = RsaPublicKey::from_be_bytes(&n2, &[1, 0, 1]).unwrap();
        assert!(!a.same_key(&d));
    }

    #[test]
    fn key_validation() {
        let n = hex::decode(N_HEX).unwrap();
        let bad = |n: &[u8], e: &[u8]| RsaPublicKey::from_be_bytes(n, e).unwrap_err();
        assert_eq!(bad(&n, &[1]), Error::RsaExponent);
        assert_eq!(bad(&n, &[]), Error::RsaExponent);
        assert_eq!(bad(&n, &[0, 0]), Error::RsaExponent);
        assert_eq!(bad(&n, &[2]), Error::RsaExponent);
        assert_eq!(bad(&n, &[1, 0, 0]), Error::RsaExponent);
        assert_eq!(bad(&n, &[1, 0, 0, 0, 0, 0, 0, 0, 1]), Error::RsaExponent);
        // e >= 2^32: 2^32 + 1, 2^33 - 1 (the `rsa` crate's limit), 2^64 - 1.
        assert_eq!(bad(&n, &[1, 0, 0, 0, 1]), Error::RsaExponent);
        assert_eq!(bad(&n, &[1, 0xff, 0xff, 0xff, 0xff]), Error::RsaExponent);
        assert_eq!(bad(&n, &[0xff; 8]), Error::RsaExponent);
        // The largest accepted, with leading zeros, and the smallest.
        assert!(RsaPublicKey::from_be_bytes(&n, &[0, 0, 0xff, 0xff, 0xff, 0xff]).is_ok());
        assert!(RsaPublicKey::from_be_bytes(&n, &[0, 3]).is_ok());
        let mut even = n.clone();
        *even.last_mut().unwrap() &= 0xfe;
        assert_eq!(bad(&even, &[1, 0, 1]), Error::RsaKeySize);
        assert_eq!(bad(&[], &[1, 0, 1]), Error::RsaKeySize);
        assert_eq!(bad(&[0, 0], &[1, 0, 1]), Error::RsaKeySize);
        // 2047 bits, 4097 bits, 4096 bits, 2049 bits.
        let mk = |bytes: usize, top: u8| {
            let mut v: Vec<u8> = vec![0x55; bytes];
            v[0] = top;
            *v.last_mut().unwrap() |= 1;
            v
        };
        assert_eq!(bad(&mk(256, 0x7f), &[1, 0, 1]), Error::RsaKeySize);
        assert_eq!(bad(&mk(513, 0x01), &[1, 0, 1]), Error::RsaKeySize);
        #[cfg(not(feature = "rsa-large"))]
        {
            // 2048-bit moduli only: 4096 and 2049 bits are refused.
            assert_eq!(bad(&mk(512, 0x80), &[1, 0, 1]), Error::RsaKeySize);
            assert_eq!(bad(&mk(257, 0x01), &[1, 0, 1]), Error::RsaKeySize);
        }
        #[cfg(feature = "rsa-large")]
        {
            let k = RsaPublicKey::from_be_bytes(&mk(512, 0x80), &[1, 0, 1]).unwrap();
            assert_eq!((k.modulus_bits(), k.modulus_len()), (4096, 512));
            let k = RsaPublicKey::from_be_bytes(&mk(257, 0x01), &[1, 0, 1]).unwrap();
            assert_eq!((k.modulus_bits(), k.modulus_len()), (2049, 257));
            // s >= n and s = 0 on a synthetic key.
            let n = mk(257, 0x01);
            let d = HashAlg::Sha256.digest(b"");
            assert_eq!(
                k.verify_pss(HashAlg::Sha256, d.as_bytes(), &n, 32),
                Err(Error::BadSignature)
            );
            assert_eq!(
                k.verify_pss(HashAlg::Sha256, d.as_bytes(), &[0; 257], 32),
                Err(Error::BadSignature)
            );
        }
    }
}
