//! Pinned keys: loading from JWK, JWKS, PEM/DER SubjectPublicKeyInfo, X.509
//! certificates and raw HMAC secrets, with the algorithms each key may verify.
//!
//! A key's own type decides what it may verify (an RSA key never verifies
//! HS256); a JWK `alg` narrows that further. Nothing in a token's header can
//! widen it.

use base64ct::{Base64UrlUnpadded, Encoding as _};

use crate::Error;
#[cfg(feature = "hmac")]
use crate::alg::Family;
use crate::alg::{AlgSet, Algorithm};
use crate::der;
use crate::json::{self, JsonStr, Value};

/// Longest `kid` a pinned key may carry.
pub const MAX_KID_LEN: usize = 64;
/// Longest HMAC secret accepted.
pub const MAX_HMAC_SECRET_LEN: usize = 256;
/// Largest DER a PEM document may decode to (covers certificates with RSA-4096 keys).
pub const MAX_PEM_DER_LEN: usize = 6144;

/// The public (or, for HMAC, secret) key material.
// Variants differ in size (RSA keeps its Montgomery parameters inline); boxing
// would need an allocator, and a key set is built once.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub(crate) enum Material {
    #[cfg(feature = "rsa")]
    Rsa(crate::rsa::RsaPublicKey),
    #[cfg(feature = "p256")]
    P256(EcKey<p256::ecdsa::VerifyingKey, P256Table>),
    #[cfg(feature = "p384")]
    P384(EcKey<p384::ecdsa::VerifyingKey, P384Table>),
    #[cfg(feature = "eddsa")]
    Ed25519(EdKey),
    #[cfg(feature = "hmac")]
    Hmac {
        secret: [u8; MAX_HMAC_SECRET_LEN],
        len: usize,
    },
}

#[cfg(any(feature = "p256", feature = "p384"))]
pub(crate) use crate::key_tables::EcKey;
#[cfg(feature = "eddsa")]
pub(crate) use crate::key_tables::EdKey;
#[cfg(feature = "p256")]
pub(crate) use crate::key_tables::P256Table;
#[cfg(feature = "p384")]
pub(crate) use crate::key_tables::P384Table;

/// A pinned verification key with an optional `kid` and an algorithm restriction.
#[derive(Clone)]
pub struct Key {
    kid: [u8; MAX_KID_LEN],
    kid_len: u8,
    has_kid: bool,
    algs: AlgSet,
    pub(crate) material: Material,
}

impl core::fmt::Debug for Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print key material (HMAC secrets are secrets).
        f.debug_struct("Key")
            .field("kid", &self.kid())
            .field("algorithms", &self.algs)
            .finish_non_exhaustive()
    }
}

impl Key {
    fn new(material: Material, algs: AlgSet) -> Key {
        Key {
            kid: [0; MAX_KID_LEN],
            kid_len: 0,
            has_kid: false,
            algs,
            material,
        }
    }

    /// The key id, if the key has one.
    pub fn kid(&self) -> Option<&str> {
        if !self.has_kid {
            return None;
        }
        core::str::from_utf8(self.kid.get(..self.kid_len as usize)?).ok()
    }

    /// The algorithms this key may verify.
    pub fn algorithms(&self) -> AlgSet {
        self.algs
    }

    /// Whether this key may verify `alg`.
    pub fn allows(&self, alg: Algorithm) -> bool {
        self.algs.contains(alg)
    }

    /// Set (or replace) the key id.
    pub fn with_kid(mut self, kid: &str) -> Result<Key, Error> {
        self.set_kid(kid)?;
        Ok(self)
    }

    /// Restrict the key to one algorithm, which its type must allow.
    pub fn with_alg(mut self, alg: Algorithm) -> Result<Key, Error> {
        self.restrict_to(alg)?;
        Ok(self)
    }

    /// `with_kid` on a key in its slot (no move of the key).
    fn set_kid(&mut self, kid: &str) -> Result<(), Error> {
        let bytes = kid.as_bytes();
        if bytes.len() > MAX_KID_LEN {
            return Err(Error::KidTooLong);
        }
        self.kid = [0; MAX_KID_LEN];
        self.kid[..bytes.len()].copy_from_slice(bytes);
        self.kid_len = bytes.len() as u8;
        self.has_kid = true;
        Ok(())
    }

    /// `with_alg` on a key in its slot.
    fn restrict_to(&mut self, alg: Algorithm) -> Result<(), Error> {
        if !self.algs.contains(alg) {
            return Err(Error::AlgNotAllowedForKey);
        }
        self.algs = AlgSet::of(&[alg]);
        Ok(())
    }

    /// Whether the key's id equals the token's `kid` (compared after unescaping).
    pub(crate) fn kid_matches(&self, kid: &JsonStr<'_>) -> bool {
        match self.kid() {
            Some(mine) => kid.eq_str(mine),
            None => false,
        }
    }

    /// An HMAC secret (HS256/384/512). With `alg`, the key is restricted to it and
    /// must be at least as long as its hash output; without, it allows each HS
    /// algorithm whose hash output it covers, and must cover SHA-256's.
    #[cfg(feature = "hmac")]
    pub fn hmac(secret: &[u8], alg: Option<Algorithm>) -> Result<Key, Error> {
        by_value(|slot| hmac_into(secret, alg, slot))
    }

    /// An RSA public key from big-endian modulus and exponent.
    #[cfg(feature = "rsa")]
    // Out of line: the key is large, and so are its Montgomery temporaries.
    #[inline(never)]
    pub fn rsa(n: &[u8], e: &[u8]) -> Result<Key, Error> {
        by_value(|slot| rsa_into(n, e, slot))
    }

    /// A P-256 public key from its SEC1 encoding (uncompressed `04 || x || y`).
    #[cfg(feature = "p256")]
    pub fn p256_sec1(sec1: &[u8]) -> Result<Key, Error> {
        by_value(|slot| p256_into(sec1, slot))
    }

    /// A P-384 public key from its SEC1 encoding.
    #[cfg(feature = "p384")]
    pub fn p384_sec1(sec1: &[u8]) -> Result<Key, Error> {
        by_value(|slot| p384_into(sec1, slot))
    }

    /// An Ed25519 public key from its 32 bytes.
    #[cfg(feature = "eddsa")]
    pub fn ed25519(bytes: &[u8]) -> Result<Key, Error> {
        by_value(|slot| ed25519_into(bytes, slot))
    }

    /// A DER SubjectPublicKeyInfo (RSA, P-256, P-384 or Ed25519).
    pub fn from_spki_der(der: &[u8]) -> Result<Key, Error> {
        by_value(|slot| spki_into(der, slot))
    }

    /// A DER X.509 certificate: its subject public key is pinned. The
    /// certificate's validity and signature are not checked: pinning trusts it.
    pub fn from_certificate_der(der: &[u8]) -> Result<Key, Error> {
        by_value(|slot| spki_into(der::certificate_spki(der)?, slot))
    }

    /// A PEM document: `PUBLIC KEY` (SPKI), `CERTIFICATE`, or `RSA PUBLIC KEY` (PKCS#1).
    /// Decodes into a stack buffer of [`MAX_PEM_DER_LEN`] bytes, never the heap.
    pub fn from_pem(pem: &[u8]) -> Result<Key, Error> {
        by_value(|slot| pem_into(pem, slot))
    }

    /// A single JWK (RFC 7517) as JSON text.
    pub fn from_jwk(jwk: &[u8]) -> Result<Key, Error> {
        by_value(|slot| jwk_into(jwk, slot))
    }
}

/// Where a key is built. Every constructor writes the key straight into a
/// slot: a key set's next free one (`KeySet::add_jwk` and friends), or a
/// local for the by-value constructors above. A key is large (an RSA-2048 key
/// is about 900 B, twice that with `rsa-large`), and a device's stack peaks at
/// key loading when one is returned and moved by value frame after frame.
type Slot = Option<Key>;

/// Run an in-place builder into a local and return the key by value.
fn by_value(build: impl FnOnce(&mut Slot) -> Result<&mut Key, Error>) -> Result<Key, Error> {
    let mut slot = None;
    build(&mut slot)?;
    // A builder that succeeded has filled the slot.
    let mut key = slot.ok_or(Error::KeyMalformed)?;
    key.material.attach_table();
    Ok(key)
}

#[cfg(feature = "hmac")]
fn hmac_into<'s>(
    secret: &[u8],
    alg: Option<Algorithm>,
    slot: &'s mut Slot,
) -> Result<&'s mut Key, Error> {
    if secret.len() > MAX_HMAC_SECRET_LEN {
        return Err(Error::KeyUnsupported);
    }
    let mut algs = AlgSet::EMPTY;
    for a in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
        if secret.len() >= a.hash().output_len() {
            algs = algs.with(a);
        }
    }
    let algs = match alg {
        Some(a) if a.family() != Family::Hmac => return Err(Error::AlgNotAllowedForKey),
        Some(a) if !algs.contains(a) => return Err(Error::HmacKeyTooShort),
        Some(a) => AlgSet::of(&[a]),
        None if algs.is_empty() => return Err(Error::HmacKeyTooShort),
        None => algs,
    };
    let mut buf = [0u8; MAX_HMAC_SECRET_LEN];
    buf[..secret.len()].copy_from_slice(secret);
    Ok(slot.insert(Key::new(
        Material::Hmac {
            secret: buf,
            len: secret.len(),
        },
        algs,
    )))
}

#[cfg(feature = "rsa")]
// Out of line: its one temporary (the RSA key, before it goes into the slot)
// must not add up with the callers' buffers.
#[inline(never)]
fn rsa_into<'s>(n: &[u8], e: &[u8], slot: &'s mut Slot) -> Result<&'s mut Key, Error> {
    const ALGS: AlgSet = AlgSet::of(&[
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
    ]);
    let key = crate::rsa::RsaPublicKey::from_be_bytes(n, e)?;
    Ok(slot.insert(Key::new(Material::Rsa(key), ALGS)))
}

#[cfg(feature = "p256")]
fn p256_into<'s>(sec1: &[u8], slot: &'s mut Slot) -> Result<&'s mut Key, Error> {
    let key =
        p256::ecdsa::VerifyingKey::from_sec1_bytes(sec1).map_err(|_| Error::InvalidPublicKey)?;
    Ok(slot.insert(Key::new(
        Material::P256(EcKey { key, table: None }),
        AlgSet::of(&[Algorithm::ES256]),
    )))
}

#[cfg(feature = "p384")]
fn p384_into<'s>(sec1: &[u8], slot: &'s mut Slot) -> Result<&'s mut Key, Error> {
    let key =
        p384::ecdsa::VerifyingKey::from_sec1_bytes(sec1).map_err(|_| Error::InvalidPublicKey)?;
    Ok(slot.insert(Key::new(
        Material::P384(EcKey { key, table: None }),
        AlgSet::of(&[Algorithm::ES384]),
    )))
}

#[cfg(feature = "eddsa")]
fn ed25519_into<'s>(bytes: &[u8], slot: &'s mut Slot) -> Result<&'s mut Key, Error> {
    let bytes: &[u8; 32] = bytes.try_into().map_err(|_| Error::KeyMalformed)?;
    let key =
        ed25519_dalek::VerifyingKey::from_bytes(bytes).map_err(|_| Error::InvalidPublicKey)?;
    Ok(slot.insert(Key::new(
        Material::Ed25519(EdKey { key, table: None }),
        AlgSet::of(&[Algorithm::EdDSA]),
    )))
}

/// A DER SubjectPublicKeyInfo (RSA, P-256, P-384 or Ed25519).
fn spki_into<'s>(der: &[u8], slot: &'s mut Slot) -> Result<&'s mut Key, Error> {
    let spki = der::parse_spki(der)?;
    match (spki.algorithm, spki.parameter_oid) {
        #[cfg(feature = "rsa")]
        (der::OID_RSA_ENCRYPTION, _) => {
            let (n, e) = der::parse_rsa_public_key(spki.key)?;
            rsa_into(n, e, slot)
        }
        #[cfg(feature = "p256")]
        (der::OID_EC_PUBLIC_KEY, Some(der::OID_P256)) => p256_into(spki.key, slot),
        #[cfg(feature = "p384")]
        (der::OID_EC_PUBLIC_KEY, Some(der::OID_P384)) => p384_into(spki.key, slot),
        #[cfg(feature = "eddsa")]
        (der::OID_ED25519, None) => ed25519_into(spki.key, slot),
        _ => {
            let _ = slot;
            Err(Error::KeyUnsupported)
        }
    }
}

/// A PEM document (see [`Key::from_pem`]).
fn pem_into<'s>(pem: &[u8], slot: &'s mut Slot) -> Result<&'s mut Key, Error> {
    let mut buf = [0u8; MAX_PEM_DER_LEN];
    let (label, der) = pem_rfc7468::decode(pem, &mut buf).map_err(|_| Error::KeyMalformed)?;
    match label {
        "PUBLIC KEY" => spki_into(der, slot),
        "CERTIFICATE" => spki_into(der::certificate_spki(der)?, slot),
        #[cfg(feature = "rsa")]
        "RSA PUBLIC KEY" => {
            let (n, e) = der::parse_rsa_public_key(der)?;
            rsa_into(n, e, slot)
        }
        _ => Err(Error::KeyUnsupported),
    }
}

/// A single JWK as JSON text.
fn jwk_into<'s>(jwk: &[u8], slot: &'s mut Slot) -> Result<&'s mut Key, Error> {
    let value = json::parse(jwk).map_err(|_| Error::KeyMalformed)?;
    jwk_value_into(&value, slot)
}

/// A JWK already parsed as a JSON object. On error the slot may hold a
/// half-made key: callers discard it.
fn jwk_value_into<'s>(jwk: &Value<'_>, slot: &'s mut Slot) -> Result<&'s mut Key, Error> {
    if jwk.kind() != json::Kind::Object {
        return Err(Error::KeyMalformed);
    }
    let kty = str_member(jwk, "kty")?.ok_or(Error::KeyMalformed)?;
    // A key marked for encryption is not a signature key (RFC 7517 4.2).
    if let Some(use_) = str_member(jwk, "use")? {
        if !use_.eq_str("sig") {
            return Err(Error::KeyUnsupported);
        }
    }
    // key_ops (RFC 7517 4.3), when present, must allow "verify".
    if let Some(ops) = jwk.get("key_ops") {
        if ops.kind() != json::Kind::Array {
            return Err(Error::KeyMalformed);
        }
        if !ops
            .elements()
            .any(|op| op.as_str().is_some_and(|op| op.eq_str("verify")))
        {
            return Err(Error::KeyUnsupported);
        }
    }
    let alg = match str_member(jwk, "alg")? {
        None => None,
        Some(a) => Some(Algorithm::from_json_name(&a).ok_or(Error::KeyUnsupported)?),
    };
    let key = if kty.eq_str("RSA") {
        rsa_jwk(jwk, slot)?
    } else if kty.eq_str("EC") {
        ec_jwk(jwk, slot)?
    } else if kty.eq_str("OKP") {
        okp_jwk(jwk, slot)?
    } else if kty.eq_str("oct") {
        oct_jwk(jwk, alg, slot)?
    } else {
        return Err(Error::KeyUnsupported);
    };
    if let Some(a) = alg {
        // An `alg` the key type cannot do is a key we cannot use.
        key.restrict_to(a).map_err(|_| Error::KeyUnsupported)?;
    }
    if let Some(kid) = str_member(jwk, "kid")? {
        let mut buf = [0u8; MAX_KID_LEN];
        let kid = kid.unescape_into(&mut buf).map_err(|_| Error::KidTooLong)?;
        key.set_kid(kid)?;
    }
    Ok(key)
}

/// A string member, `None` when absent, `KeyMalformed` when of another type.
fn str_member<'a>(obj: &Value<'a>, name: &str) -> Result<Option<JsonStr<'a>>, Error> {
    match obj.get(name) {
        None => Ok(None),
        Some(v) => v.as_str().map(Some).ok_or(Error::KeyMalformed),
    }
}

/// Decode a required base64url member into `out`.
fn b64_member<'o>(obj: &Value<'_>, name: &str, out: &'o mut [u8]) -> Result<&'o [u8], Error> {
    let s = str_member(obj, name)?.ok_or(Error::KeyMalformed)?;
    // base64url never needs escapes; an escaped one is decoded all the same.
    let mut tmp = [0u8; 1024];
    let text = match s.as_unescaped() {
        Some(t) => t,
        None => s.unescape_into(&mut tmp).map_err(|_| Error::KeyMalformed)?,
    };
    Base64UrlUnpadded::decode(text, out).map_err(|_| Error::KeyMalformed)
}

// Out of line, as is each key type's reader: only the buffers of the key
// type being read are on the stack while its key is built.
#[cfg(feature = "rsa")]
#[inline(never)]
fn rsa_jwk<'s>(jwk: &Value<'_>, slot: &'s mut Slot) -> Result<&'s mut Key, Error> {
    let mut n = [0u8; 520];
    let mut e = [0u8; 16];
    let n = b64_member(jwk, "n", &mut n)?;
    let e = b64_member(jwk, "e", &mut e)?;
    rsa_into(n, e, slot)
}

#[cfg(not(feature = "rsa"))]
fn rsa_jwk<'s>(_: &Value<'_>, _: &'s mut Slot) -> Result<&'s mut Key, Error> {
    Err(Error::KeyUnsupported)
}

#[inline(never)]
fn ec_jwk<'s>(jwk: &Value<'_>, slot: &'s mut Slot) -> Result<&'s mut Key, Error> {
    let crv = str_member(jwk, "crv")?.ok_or(Error::KeyMalformed)?;
    let size = if crv.eq_str("P-256") {
        32
    } else if crv.eq_str("P-384") {
        48
    } else {
        return Err(Error::KeyUnsupported);
    };
    let mut x = [0u8; 64];
    let mut y = [0u8; 64];
    let x = b64_member(jwk, "x", &mut x)?;
    let y = b64_member(jwk, "y", &mut y)?;
    // RFC 7518 6.2.1.2: coordinates are the full field size, not trimmed.
    if x.len() != size || y.len() != size {
        return Err(Error::KeyMalformed);
    }
    let mut sec1 = [0u8; 97];
    sec1[0] = 0x04;
    sec1[1..1 + size].copy_from_slice(x);
    sec1[1 + size..1 + 2 * size].copy_from_slice(y);
    let sec1 = &sec1[..1 + 2 * size];
    match size {
        #[cfg(feature = "p256")]
        32 => p256_into(sec1, slot),
        #[cfg(feature = "p384")]
        48 => p384_into(sec1, slot),
        _ => {
            let _ = (sec1, slot);
            Err(Error::KeyUnsupported)
        }
    }
}

fn okp_jwk<'s>(jwk: &Value<'_>, slot: &'s mut Slot) -> Result<&'s mut Key, Error> {
    let crv = str_member(jwk, "crv")?.ok_or(Error::KeyMalformed)?;
    if !crv.eq_str("Ed25519") {
        return Err(Error::KeyUnsupported);
    }
    #[cfg(feature = "eddsa")]
    {
        let mut x = [0u8; 40];
        let x = b64_member(jwk, "x", &mut x)?;
        ed25519_into(x, slot)
    }
    #[cfg(not(feature = "eddsa"))]
    {
        let _ = slot;
        Err(Error::KeyUnsupported)
    }
}

fn oct_jwk<'s>(
    jwk: &Value<'_>,
    alg: Option<Algorithm>,
    slot: &'s mut Slot,
) -> Result<&'s mut Key, Error> {
    #[cfg(feature = "hmac")]
    {
        let mut k = [0u8; MAX_HMAC_SECRET_LEN + 3];
        let k = b64_member(jwk, "k", &mut k)?;
        // Only an HS alg can go with an oct key; others are left to `restrict_to` to refuse.
        hmac_into(k, alg.filter(|a| a.family() == Family::Hmac), slot)
    }
    #[cfg(not(feature = "hmac"))]
    {
        let _ = (jwk, alg, slot);
        Err(Error::KeyUnsupported)
    }
}

/// A fixed-capacity set of pinned keys. Exceeding the capacity is an error,
/// never a silent truncation.
#[derive(Clone, Debug)]
pub struct KeySet<const N: usize> {
    keys: [Option<Key>; N],
    len: usize,
}

impl<const N: usize> Default for KeySet<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> KeySet<N> {
    /// An empty set.
    pub const fn new() -> Self {
        KeySet {
            keys: Self::NO_KEYS,
            len: 0,
        }
    }

    // One constant for all the slots, not a loop over one per slot: its bytes
    // are one value (a `None` is its tag and padding), so it is written with
    // one memset straight into the destination, even a caller's static slot,
    // where a loop copied a `None` from flash into a temporary on the stack.
    const NO_KEYS: [Option<Key>; N] = [const { None }; N];

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The keys, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Key> {
        self.keys.iter().take(self.len).flatten()
    }

    /// Add one key.
    pub fn push(&mut self, key: Key) -> Result<(), Error> {
        let slot = self.keys.get_mut(self.len).ok_or(Error::TooManyKeys)?;
        *slot = Some(key);
        self.len += 1;
        Ok(())
    }

    /// Add the key of one JWK (RFC 7517), built in the set's next free slot.
    /// Same result as `push(Key::from_jwk(jwk)?)`, but the key is never
    /// moved: on a small stack that is the difference between one key's
    /// bytes and several (see [`Verifier::empty`](crate::Verifier::empty)).
    /// On error the set is unchanged.
    pub fn add_jwk(&mut self, jwk: &[u8]) -> Result<(), Error> {
        self.add_with(|slot| jwk_into(jwk, slot))
    }

    /// Add the key of a PEM document, built in place: `push(Key::from_pem(pem)?)`
    /// without moving the key. Decodes into a stack buffer of
    /// [`MAX_PEM_DER_LEN`] bytes. On error the set is unchanged.
    pub fn add_pem(&mut self, pem: &[u8]) -> Result<(), Error> {
        self.add_with(|slot| pem_into(pem, slot))
    }

    /// Add the key of a DER SubjectPublicKeyInfo, built in place:
    /// `push(Key::from_spki_der(der)?)` without moving the key. On error the
    /// set is unchanged.
    pub fn add_spki_der(&mut self, der: &[u8]) -> Result<(), Error> {
        self.add_with(|slot| spki_into(der, slot))
    }

    /// Add an RSA key from big-endian modulus and exponent, built in place:
    /// `push(Key::rsa(n, e)?)` without moving the key. On error the set is
    /// unchanged.
    #[cfg(feature = "rsa")]
    pub fn add_rsa(&mut self, n: &[u8], e: &[u8]) -> Result<(), Error> {
        self.add_with(|slot| rsa_into(n, e, slot))
    }

    /// Build a key in the next free slot and count it; on error the slot is
    /// emptied again. A full set still builds the key, aside, so that a bad
    /// key is named before `TooManyKeys`, in the order `push(Key::from_..(..)?)`
    /// reports them.
    fn add_with(
        &mut self,
        build: impl FnOnce(&mut Slot) -> Result<&mut Key, Error>,
    ) -> Result<(), Error> {
        let Some(slot) = self.keys.get_mut(self.len) else {
            return Err(build_aside(build));
        };
        if let Err(e) = build(slot) {
            *slot = None;
            return Err(e);
        }
        let Some(key) = slot else {
            return Err(Error::KeyMalformed);
        };
        key.material.attach_table();
        self.len += 1;
        Ok(())
    }

    /// Add every usable key of a JWKS document (`{"keys": [...]}`), returning how
    /// many were added. Keys of an unknown `kty`, `crv` or `alg`, keys marked
    /// `"use": "enc"` and RSA keys outside 2048..4096 bits are skipped; a key of a
    /// known type that is malformed fails the whole document, and so does a
    /// document with no usable key (`NoKeys`). On error the set is unchanged.
    pub fn add_jwks(&mut self, jwks: &[u8]) -> Result<usize, Error> {
        let doc = json::parse(jwks).map_err(|_| Error::KeyMalformed)?;
        let keys = doc.get("keys").ok_or(Error::KeyMalformed)?;
        if keys.kind() != json::Kind::Array {
            return Err(Error::KeyMalformed);
        }
        let start = self.len;
        let mut added = 0;
        for jwk in keys.elements() {
            match self.add_with(|slot| jwk_value_into(&jwk, slot)) {
                Ok(()) => added += 1,
                Err(Error::KeyUnsupported | Error::RsaKeySize) => continue,
                Err(e) => {
                    self.truncate(start);
                    return Err(e);
                }
            }
        }
        if added == 0 {
            return Err(Error::NoKeys);
        }
        Ok(added)
    }

    /// Add every key of a JSON object mapping key ids to PEM documents, the
    /// form Google publishes Firebase ID-token certificates in
    /// (`{"<kid>": "-----BEGIN CERTIFICATE-----\n..."}`). Each key gets its
    /// member name as `kid`. All or nothing: on error the set is unchanged.
    pub fn add_pem_map(&mut self, json: &[u8]) -> Result<usize, Error> {
        let doc = json::parse(json).map_err(|_| Error::KeyMalformed)?;
        if doc.kind() != json::Kind::Object {
            return Err(Error::KeyMalformed);
        }
        let start = self.len;
        let mut added = 0;
        for (kid, pem) in doc.members() {
            let result = (|| {
                let mut kid_buf = [0u8; MAX_KID_LEN];
                let kid = kid
                    .unescape_into(&mut kid_buf)
                    .map_err(|_| Error::KidTooLong)?;
                let pem = pem.as_str().ok_or(Error::KeyMalformed)?;
                // PEM text has newlines, so it always arrives escaped.
                let mut pem_buf = [0u8; MAX_PEM_DER_LEN * 2];
                let pem = pem
                    .unescape_into(&mut pem_buf)
                    .map_err(|_| Error::KeyMalformed)?;
                self.add_with(|slot| {
                    let key = pem_into(pem.as_bytes(), slot)?;
                    key.set_kid(kid)?;
                    Ok(key)
                })
            })();
            if let Err(e) = result {
                self.truncate(start);
                return Err(e);
            }
            added += 1;
        }
        if added == 0 {
            return Err(Error::NoKeys);
        }
        Ok(added)
    }

    fn truncate(&mut self, len: usize) {
        for slot in self.keys.iter_mut().skip(len) {
            *slot = None;
        }
        self.len = self.len.min(len);
    }

    /// The key at `index`.
    pub fn get(&self, index: usize) -> Option<&Key> {
        self.keys.get(index)?.as_ref()
    }

    /// Choose the key for a token, returning its index.
    ///
    /// With a `kid`: the key with that id, which must allow `alg`; failing an
    /// id match, a key pinned without an id (a PEM or a secret: Clerk's "JWT
    /// public key" is used this way) that allows `alg`. Without a `kid`: the
    /// only key that allows `alg`. Ambiguity is an error, never a guess.
    pub fn select(&self, kid: Option<&JsonStr<'_>>, alg: Algorithm) -> Result<usize, Error> {
        if self.is_empty() {
            return Err(Error::NoKeys);
        }
        let keys = || self.iter().enumerate();
        if let Some(kid) = kid {
            let mut named = keys().filter(|(_, k)| k.kid_matches(kid)).peekable();
            if named.peek().is_some() {
                return named
                    .find(|(_, k)| k.allows(alg))
                    .map(|(i, _)| i)
                    .ok_or(Error::AlgNotAllowedForKey);
            }
            if keys().all(|(_, k)| k.kid().is_some()) {
                return Err(Error::UnknownKid);
            }
        }
        // No kid, or a kid no key claims: only keys that fit (id-less ones, for a kid).
        let candidates = keys().filter(|(_, k)| kid.is_none() || k.kid().is_none());
        let mut fits = candidates.filter(|(_, k)| k.allows(alg));
        match (fits.next(), fits.next()) {
            (Some((i, _)), None) => Ok(i),
            (Some(_), Some(_)) => Err(Error::NoMatchingKey),
            (None, _) => Err(Error::AlgNotAllowedForKey),
        }
    }
}

/// A full set's key, built only to name what is wrong with it. Out of line
/// and cold: its slot must not add to the frame of the common path.
#[cold]
#[inline(never)]
fn build_aside(build: impl FnOnce(&mut Slot) -> Result<&mut Key, Error>) -> Error {
    let mut spare = None;
    match build(&mut spare) {
        Ok(_) => Error::TooManyKeys,
        Err(e) => e,
    }
}
