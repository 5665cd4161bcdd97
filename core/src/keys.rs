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
/// Longest issuer a key may be bound to (Microsoft's tenant issuers are about 80 bytes).
pub const MAX_ISSUER_LEN: usize = 128;
/// Most entries a JWKS document's `keys` array may have: a larger document
/// is refused as `TooManyKeys` before any key is read, so what a provider's
/// document costs to load is bounded whatever it holds (issue 24). Real
/// documents have a handful; this is 8 times the C configuration's 32.
pub const MAX_JWKS_ENTRIES: usize = 256;
/// Most keys one token may be tried against: a token without `kid`, or with
/// a `kid` several keys carry (seen during rotations), costs at most this many
/// signature checks; more fitting keys than this is `NoMatchingKey`.
pub const MAX_CANDIDATES: usize = 4;

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
    /// No comb for P-521: always verified by `ecdsa_vartime`.
    #[cfg(feature = "p521")]
    P521(p521::ecdsa::VerifyingKey),
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

/// A pinned verification key with an optional `kid`, an algorithm
/// restriction and an optional issuer binding.
///
/// Each key verifies one algorithm family (RFC 8725 3.1): an RSA key serves
/// PKCS#1 v1.5 (RS256/384/512) unless its JWK `alg` or the caller
/// ([`with_algorithms`](Self::with_algorithms)) says PSS; an HMAC secret
/// serves one hash (HS256 unless told otherwise).
#[derive(Clone)]
pub struct Key {
    kid: [u8; MAX_KID_LEN],
    kid_len: u8,
    has_kid: bool,
    /// Answers tokens whose `kid` no key claims (opt-in, see `matching_any_kid`).
    any_kid: bool,
    /// Accepts PSS signatures with any salt length (opt-in, see `with_pss_any_salt`).
    pss_any_salt: bool,
    issuer_len: u8,
    issuer: [u8; MAX_ISSUER_LEN],
    algs: AlgSet,
    pub(crate) material: Material,
}

impl core::fmt::Debug for Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print key material (HMAC secrets are secrets).
        f.debug_struct("Key")
            .field("kid", &self.kid())
            .field("algorithms", &self.algs)
            .field("issuer", &self.issuer())
            .field("any_kid", &self.any_kid)
            .field("pss_any_salt", &self.pss_any_salt)
            .finish_non_exhaustive()
    }
}

impl Key {
    // Unused only in a build without any algorithm feature.
    #[cfg_attr(
        not(any(
            feature = "rsa",
            feature = "p256",
            feature = "p384",
            feature = "p521",
            feature = "eddsa",
            feature = "hmac"
        )),
        allow(dead_code)
    )]
    fn new(material: Material, algs: AlgSet) -> Key {
        Key {
            kid: [0; MAX_KID_LEN],
            kid_len: 0,
            has_kid: false,
            any_kid: false,
            pss_any_salt: false,
            issuer_len: 0,
            issuer: [0; MAX_ISSUER_LEN],
            algs,
            material,
        }
    }

    /// The issuer this key is bound to, if any: a token it verifies must
    /// carry exactly this `iss` (checked by `Verifier::verify` after the
    /// signature, as `KeyIssuerMismatch`).
    pub fn issuer(&self) -> Option<&str> {
        if self.issuer_len == 0 {
            return None;
        }
        core::str::from_utf8(self.issuer.get(..self.issuer_len as usize)?).ok()
    }

    /// Bind the key to an issuer (RFC 8725 3.8: the key must belong to the
    /// issuer). With several issuers in one verifier, bind each one's keys:
    /// then a token verifies only with a key of its own `iss`.
    pub fn with_issuer(mut self, issuer: &str) -> Result<Key, Error> {
        self.bind_issuer(issuer)?;
        Ok(self)
    }

    /// [`with_issuer`](Self::with_issuer) on a key in its slot
    /// (`KeySet::get_mut`), without moving it.
    pub fn bind_issuer(&mut self, issuer: &str) -> Result<(), Error> {
        let bytes = issuer.as_bytes();
        if bytes.is_empty() || bytes.len() > MAX_ISSUER_LEN {
            return Err(Error::KeyIssuerInvalid);
        }
        self.issuer = [0; MAX_ISSUER_LEN];
        self.issuer[..bytes.len()].copy_from_slice(bytes);
        self.issuer_len = bytes.len() as u8;
        Ok(())
    }

    /// Let this key answer tokens whose `kid` no pinned key claims. Off by
    /// default: a key pinned without a `kid` then serves only tokens without
    /// one, so beside a JWKS an unknown `kid` stays `UnknownKid` (the signal
    /// to refresh the JWKS). Clerk's networkless PEM verification ignores
    /// `kid`, and is the use this is for.
    pub fn matching_any_kid(mut self) -> Key {
        self.any_kid = true;
        self
    }

    /// [`matching_any_kid`](Self::matching_any_kid) on a key in its slot.
    pub fn set_matching_any_kid(&mut self, on: bool) {
        self.any_kid = on;
    }

    /// Whether the key answers tokens whose `kid` no key claims.
    pub fn matches_any_kid(&self) -> bool {
        self.any_kid
    }

    /// Accept RSASSA-PSS signatures with any salt length RFC 8017's
    /// EMSA-PSS-VERIFY allows (0 to `emLen - hLen - 2` bytes), not only the
    /// hash length RFC 7518 3.5 requires. For signers that use the maximum
    /// salt (Go's `rsa.PSSSaltLengthAuto`, older golang-jwt, Python's
    /// `PSS.MAX_LENGTH`): without it their tokens are `PssSaltLength`. A PSS
    /// signature is as strong with any salt; the opt-in keeps the default
    /// to the RFC. It changes nothing unless the key also verifies PS*
    /// (its JWK `alg`, or [`with_algorithms`](Self::with_algorithms)).
    pub fn with_pss_any_salt(mut self) -> Key {
        self.pss_any_salt = true;
        self
    }

    /// [`with_pss_any_salt`](Self::with_pss_any_salt) on a key in its slot.
    pub fn set_pss_any_salt(&mut self, on: bool) {
        self.pss_any_salt = on;
    }

    /// Whether the key accepts PSS signatures with any salt length.
    pub fn pss_any_salt(&self) -> bool {
        self.pss_any_salt
    }

    /// Every algorithm the key material could verify: the bound for
    /// [`with_alg`](Self::with_alg) and [`with_algorithms`](Self::with_algorithms).
    pub fn capabilities(&self) -> AlgSet {
        match &self.material {
            #[cfg(feature = "rsa")]
            Material::Rsa(_) => RSA_ALL,
            #[cfg(feature = "p256")]
            Material::P256(_) => AlgSet::of(&[Algorithm::ES256]),
            #[cfg(feature = "p384")]
            Material::P384(_) => AlgSet::of(&[Algorithm::ES384]),
            #[cfg(feature = "p521")]
            Material::P521(_) => AlgSet::of(&[Algorithm::ES512]),
            #[cfg(feature = "eddsa")]
            Material::Ed25519(_) => AlgSet::of(&[Algorithm::EdDSA]),
            #[cfg(feature = "hmac")]
            Material::Hmac { len, .. } => hmac_capabilities(*len),
            // Without any algorithm feature `Material` has no variant, but a
            // match on a reference to it still needs an arm.
            #[allow(unreachable_patterns)]
            _ => AlgSet::EMPTY,
        }
    }

    /// Set the algorithms the key may verify, within its
    /// [`capabilities`](Self::capabilities): how a caller widens an RSA key
    /// to PSS (`RS256 | PS256`, ...), knowing its issuer signs with both.
    pub fn with_algorithms(mut self, algs: AlgSet) -> Result<Key, Error> {
        if algs.is_empty() || algs.intersect(self.capabilities()) != algs {
            return Err(Error::AlgNotAllowedForKey);
        }
        self.algs = algs;
        Ok(self)
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
        if !self.capabilities().contains(alg) {
            return Err(Error::AlgNotAllowedForKey);
        }
        self.algs = AlgSet::of(&[alg]);
        Ok(())
    }

    /// Widen an RSA key without JWK `alg` to PSS too (`JwksOptions::rsa_pss`).
    fn widen_rsa_to_pss(&mut self) {
        #[cfg(feature = "rsa")]
        if self.algs == RSA_PKCS1 {
            self.algs = RSA_ALL;
        }
    }

    /// Whether the key's id equals the token's `kid` (compared after unescaping).
    pub(crate) fn kid_matches(&self, kid: &JsonStr<'_>) -> bool {
        match self.kid() {
            Some(mine) => kid.eq_str(mine),
            None => false,
        }
    }

    /// An HMAC secret (HS256/384/512), serving one hash (RFC 8725 3.1): `alg`,
    /// or HS256 when `None`. The secret must be at least as long as the
    /// hash output.
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

    /// A P-521 public key from its SEC1 encoding (uncompressed `04 || x || y`).
    #[cfg(feature = "p521")]
    pub fn p521_sec1(sec1: &[u8]) -> Result<Key, Error> {
        by_value(|slot| p521_into(sec1, slot))
    }

    /// An Ed25519 public key from its 32 bytes.
    #[cfg(feature = "eddsa")]
    pub fn ed25519(bytes: &[u8]) -> Result<Key, Error> {
        by_value(|slot| ed25519_into(bytes, slot))
    }

    /// A DER SubjectPublicKeyInfo (RSA, P-256, P-384, P-521 or Ed25519).
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
    let algs = match alg.unwrap_or(Algorithm::HS256) {
        a if a.family() != Family::Hmac => return Err(Error::AlgNotAllowedForKey),
        a if !hmac_capabilities(secret.len()).contains(a) => return Err(Error::HmacKeyTooShort),
        a => AlgSet::of(&[a]),
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

/// The HS algorithms whose hash output a secret of `len` bytes covers.
#[cfg(feature = "hmac")]
fn hmac_capabilities(len: usize) -> AlgSet {
    let mut algs = AlgSet::EMPTY;
    for a in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
        if len >= a.hash().output_len() {
            algs = algs.with(a);
        }
    }
    algs
}

/// What an RSA key serves unless told otherwise: PKCS#1 v1.5, the family
/// providers sign with; PSS only by a JWK `alg` or the caller's widening.
#[cfg(feature = "rsa")]
const RSA_PKCS1: AlgSet = AlgSet::of(&[Algorithm::RS256, Algorithm::RS384, Algorithm::RS512]);
#[cfg(feature = "rsa")]
const RSA_ALL: AlgSet = AlgSet::of(&[
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
]);

#[cfg(feature = "rsa")]
// Out of line: its one temporary (the RSA key, before it goes into the slot)
// must not add up with the callers' buffers.
#[inline(never)]
fn rsa_into<'s>(n: &[u8], e: &[u8], slot: &'s mut Slot) -> Result<&'s mut Key, Error> {
    let key = crate::rsa::RsaPublicKey::from_be_bytes(n, e)?;
    Ok(slot.insert(Key::new(Material::Rsa(key), RSA_PKCS1)))
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

#[cfg(feature = "p521")]
fn p521_into<'s>(sec1: &[u8], slot: &'s mut Slot) -> Result<&'s mut Key, Error> {
    let key =
        p521::ecdsa::VerifyingKey::from_sec1_bytes(sec1).map_err(|_| Error::InvalidPublicKey)?;
    Ok(slot.insert(Key::new(
        Material::P521(key),
        AlgSet::of(&[Algorithm::ES512]),
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

/// A DER SubjectPublicKeyInfo (RSA, P-256, P-384, P-521 or Ed25519).
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
        #[cfg(feature = "p521")]
        (der::OID_EC_PUBLIC_KEY, Some(der::OID_P521)) => p521_into(spki.key, slot),
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

/// A PEM `CERTIFICATE` whose key is RSA or EC (an X.509 map's entry).
fn certificate_pem_into<'s>(pem: &[u8], slot: &'s mut Slot) -> Result<&'s mut Key, Error> {
    let mut buf = [0u8; MAX_PEM_DER_LEN];
    let (label, der) =
        pem_rfc7468::decode(pem, &mut buf).map_err(|_| Error::CertificateMalformed)?;
    if label != "CERTIFICATE" {
        return Err(Error::CertificateMalformed);
    }
    let spki = der::certificate_spki(der)?;
    let algorithm = der::parse_spki(spki)?.algorithm;
    if algorithm != der::OID_RSA_ENCRYPTION && algorithm != der::OID_EC_PUBLIC_KEY {
        return Err(Error::KeyUnsupported);
    }
    spki_into(spki, slot)
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
    // What needs no key arithmetic is checked before any (issue 24): a JWKS
    // entry with a long `kid`, or an `alg` its `kty` cannot do, must not
    // cost an RSA key's Montgomery constants (or a curve point's) first.
    let mut kid_buf = [0u8; MAX_KID_LEN];
    let kid = match str_member(jwk, "kid")? {
        None => None,
        Some(kid) => Some(
            kid.unescape_into(&mut kid_buf)
                .map_err(|_| Error::KidTooLong)?,
        ),
    };
    if let Some(a) = alg {
        let fits = match a.family() {
            crate::alg::Family::RsaPkcs1 | crate::alg::Family::RsaPss => kty.eq_str("RSA"),
            crate::alg::Family::P256 | crate::alg::Family::P384 | crate::alg::Family::P521 => {
                kty.eq_str("EC")
            }
            crate::alg::Family::Ed25519 => kty.eq_str("OKP"),
            crate::alg::Family::Hmac => kty.eq_str("oct"),
        };
        if !fits {
            return Err(Error::KeyUnsupported);
        }
    }
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
    if let Some(kid) = kid {
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
    // A modulus above 4096 bits (and a leading zero byte) is the size error
    // it is, skippable in a JWKS, not an overflow of the buffer below.
    let n_text = str_member(jwk, "n")?.ok_or(Error::KeyMalformed)?;
    if n_text.decoded_len() / 4 * 3 > 513 {
        return Err(Error::RsaKeySize);
    }
    // Likewise an exponent too long for its buffer is the exponent error.
    let e_text = str_member(jwk, "e")?.ok_or(Error::KeyMalformed)?;
    if e_text.decoded_len() / 4 * 3 > e.len() {
        return Err(Error::RsaExponent);
    }
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
    } else if crv.eq_str("P-521") {
        66
    } else {
        return Err(Error::KeyUnsupported);
    };
    let mut x = [0u8; 66];
    let mut y = [0u8; 66];
    let x = b64_member(jwk, "x", &mut x)?;
    let y = b64_member(jwk, "y", &mut y)?;
    // RFC 7518 6.2.1.2: coordinates are the full field size, not trimmed.
    if x.len() != size || y.len() != size {
        return Err(Error::KeyMalformed);
    }
    match size {
        #[cfg(feature = "p256")]
        32 => {
            let point = ec_from_coordinates::<p256::NistP256>(x, y)?;
            let key = p256::ecdsa::VerifyingKey::from_affine(point)
                .map_err(|_| Error::InvalidPublicKey)?;
            Ok(slot.insert(Key::new(
                Material::P256(EcKey { key, table: None }),
                AlgSet::of(&[Algorithm::ES256]),
            )))
        }
        #[cfg(feature = "p384")]
        48 => {
            let point = ec_from_coordinates::<p384::NistP384>(x, y)?;
            let key = p384::ecdsa::VerifyingKey::from_affine(point)
                .map_err(|_| Error::InvalidPublicKey)?;
            Ok(slot.insert(Key::new(
                Material::P384(EcKey { key, table: None }),
                AlgSet::of(&[Algorithm::ES384]),
            )))
        }
        #[cfg(feature = "p521")]
        66 => {
            let point = ec_from_coordinates::<p521::NistP521>(x, y)?;
            let key = p521::ecdsa::VerifyingKey::from_affine(point)
                .map_err(|_| Error::InvalidPublicKey)?;
            Ok(slot.insert(Key::new(
                Material::P521(key),
                AlgSet::of(&[Algorithm::ES512]),
            )))
        }
        _ => {
            let _ = slot;
            Err(Error::KeyUnsupported)
        }
    }
}

/// A JWK's coordinates as a point, on the curve (checked as SEC1's
/// uncompressed form is; `from_affine` then refuses the identity), without a
/// SEC1 buffer and without linking point decompression (a square root, 2.7 KB
/// of device flash) that a JWK, always carrying `y`, never needs.
#[cfg(any(feature = "p256", feature = "p384", feature = "p521"))]
fn ec_from_coordinates<C: primeorder::PrimeCurveParams>(
    x: &[u8],
    y: &[u8],
) -> Result<primeorder::AffinePoint<C>, Error> {
    use elliptic_curve::point::AffineCoordinates as _;
    let x = elliptic_curve::FieldBytes::<C>::try_from(x).map_err(|_| Error::KeyMalformed)?;
    let y = elliptic_curve::FieldBytes::<C>::try_from(y).map_err(|_| Error::KeyMalformed)?;
    Option::from(primeorder::AffinePoint::<C>::from_coordinates(&x, &y))
        .ok_or(Error::InvalidPublicKey)
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
        self.add_untabled(build)?;
        if let Some(Some(key)) = self.len.checked_sub(1).and_then(|i| self.keys.get_mut(i)) {
            key.material.attach_table();
        }
        Ok(())
    }

    /// [`add_with`](Self::add_with) without the EC table: a JWKS attaches
    /// its keys' tables once the whole document is accepted, so a document
    /// refused after some keys (`TooManyKeys`) builds none (each is 150-220
    /// KB of precomputation).
    fn add_untabled(
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
        if slot.is_none() {
            return Err(Error::KeyMalformed);
        }
        self.len += 1;
        Ok(())
    }

    /// Add every usable key of a JWKS document (`{"keys": [...]}`) with the
    /// default [`JwksOptions`], returning how many were added. See
    /// [`add_jwks_with`](Self::add_jwks_with).
    pub fn add_jwks(&mut self, jwks: &[u8]) -> Result<usize, Error> {
        self.add_jwks_with(jwks, &JwksOptions::default())
            .map(|r| r.added)
    }

    /// [`add_jwks`](Self::add_jwks) with every key bound to `issuer`
    /// ([`Key::with_issuer`]): the way to pin several tenants or providers in
    /// one verifier, each token passing only with its own issuer's keys.
    pub fn add_jwks_for_issuer(&mut self, jwks: &[u8], issuer: &str) -> Result<usize, Error> {
        let options = JwksOptions {
            issuer: Some(issuer),
            ..JwksOptions::default()
        };
        self.add_jwks_with(jwks, &options).map(|r| r.added)
    }

    /// Add every usable key of a JWKS document and report what was skipped.
    ///
    /// A key that cannot be used (unknown `kty`, `crv` or `alg`, `"use":
    /// "enc"`, an RSA modulus outside 2048..4096 bits or an exponent that is
    /// even, below 3 or 2^32 and above, a `kid` over
    /// [`MAX_KID_LEN`], a malformed or off-curve key, an `oct` key unless
    /// [`JwksOptions::allow_symmetric`]) is skipped and counted in the
    /// [`LoadReport`]: one odd key published by a provider must not cut off
    /// every token. The document fails only when it is not a JWKS
    /// (`KeyMalformed`), when no key is usable (`NoKeys`), or when the set
    /// cannot hold every usable key (`TooManyKeys`: a silently dropped key
    /// would refuse good tokens after a rotation), or when it has more than
    /// [`MAX_JWKS_ENTRIES`] entries (`TooManyKeys`, before any key is read).
    /// On error the set is unchanged.
    pub fn add_jwks_with(
        &mut self,
        jwks: &[u8],
        options: &JwksOptions<'_>,
    ) -> Result<LoadReport, Error> {
        if let Some(iss) = options.issuer {
            if iss.is_empty() || iss.len() > MAX_ISSUER_LEN {
                return Err(Error::KeyIssuerInvalid);
            }
        }
        let doc = json::parse(jwks).map_err(|_| Error::KeyMalformed)?;
        let keys = doc.get("keys").ok_or(Error::KeyMalformed)?;
        if keys.kind() != json::Kind::Array {
            return Err(Error::KeyMalformed);
        }
        if keys.elements().nth(MAX_JWKS_ENTRIES).is_some() {
            return Err(Error::TooManyKeys);
        }
        let start = self.len;
        let mut report = LoadReport::default();
        for jwk in keys.elements() {
            let result = if !options.allow_symmetric && is_oct(&jwk) {
                Err(Error::SymmetricKeyInJwks)
            } else {
                self.add_untabled(|slot| {
                    let key = jwk_value_into(&jwk, slot)?;
                    if options.rsa_pss && jwk.get("alg").is_none() {
                        key.widen_rsa_to_pss();
                    }
                    key.pss_any_salt = options.pss_any_salt;
                    if let Some(iss) = options.issuer {
                        key.bind_issuer(iss)?;
                    }
                    Ok(key)
                })
            };
            match result {
                Ok(()) => report.added += 1,
                Err(Error::TooManyKeys) => {
                    self.truncate(start);
                    return Err(Error::TooManyKeys);
                }
                Err(e) => report.skip(e),
            }
        }
        if report.added == 0 {
            return Err(Error::NoKeys);
        }
        for key in self.keys.iter_mut().take(self.len).skip(start).flatten() {
            key.material.attach_table();
        }
        Ok(report)
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
        self.add_kid_pems(&doc, Error::KeyMalformed, |set, kid, pem| {
            set.add_with(|slot| {
                let key = pem_into(pem, slot)?;
                key.set_kid(kid)?;
                Ok(key)
            })
        })
    }

    /// `add(self, kid, pem)` for each member of the JSON object `doc`, its
    /// name and string value unescaped (a string too long or not a string:
    /// `pem_err`; a name too long: `KidTooLong`). All or nothing: on the
    /// first error the set is truncated back and the error returned; no
    /// member at all is `NoKeys`. Returns how many were added.
    fn add_kid_pems(
        &mut self,
        doc: &json::Value<'_>,
        pem_err: Error,
        mut add: impl FnMut(&mut Self, &str, &[u8]) -> Result<(), Error>,
    ) -> Result<usize, Error> {
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
                let pem = pem.unescape_into(&mut pem_buf).map_err(|_| pem_err)?;
                add(self, kid, pem.as_bytes())
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

    /// Add every key of an X.509 map: a JSON object mapping key ids to PEM
    /// `CERTIFICATE`s, the form Google publishes Firebase ID-token keys in
    /// (`https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com`).
    /// Each certificate's subjectPublicKeyInfo becomes a key with its member
    /// name as `kid`, under `options` (issuer binding, `rsa_pss`,
    /// `pss_any_salt`; `allow_symmetric` has no meaning here). Only the
    /// certificate's structure is read, as the provider's docs ask (use the
    /// key of the kid's certificate): its validity dates, signature and
    /// chain are not checked.
    ///
    /// All or nothing, since a map is the provider's whole current key set:
    /// an entry that is not a `CERTIFICATE` PEM or whose DER is not a
    /// certificate is `CertificateMalformed`; a key other than RSA, P-256,
    /// P-384 or P-521 (Ed25519) is `KeyUnsupported`; a `kid` given twice is `DuplicateKid`;
    /// more than [`MAX_JWKS_ENTRIES`] entries, or more keys than the set
    /// holds, is `TooManyKeys`; an empty map is `NoKeys`; anything not a
    /// JSON object of strings is `KeyMalformed`; a bad key is its own error
    /// (`RsaKeySize`, `InvalidPublicKey`, ...). On error the set is unchanged.
    pub fn add_x509_map(&mut self, json: &[u8], options: &JwksOptions<'_>) -> Result<usize, Error> {
        if let Some(iss) = options.issuer {
            if iss.is_empty() || iss.len() > MAX_ISSUER_LEN {
                return Err(Error::KeyIssuerInvalid);
            }
        }
        let doc = json::parse(json).map_err(|e| match e {
            Error::JsonDuplicateMember => Error::DuplicateKid,
            Error::JsonTooManyMembers => Error::TooManyKeys,
            _ => Error::KeyMalformed,
        })?;
        if doc.kind() != json::Kind::Object {
            return Err(Error::KeyMalformed);
        }
        if doc.members().nth(MAX_JWKS_ENTRIES).is_some() {
            return Err(Error::TooManyKeys);
        }
        let start = self.len;
        let added = self.add_kid_pems(&doc, Error::CertificateMalformed, |set, kid, pem| {
            set.add_untabled(|slot| {
                let key = certificate_pem_into(pem, slot)?;
                key.set_kid(kid)?;
                if options.rsa_pss {
                    key.widen_rsa_to_pss();
                }
                key.pss_any_salt = options.pss_any_salt;
                if let Some(iss) = options.issuer {
                    key.bind_issuer(iss)?;
                }
                Ok(key)
            })
        })?;
        for key in self.keys.iter_mut().take(self.len).skip(start).flatten() {
            key.material.attach_table();
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

    /// The key at `index`, to change in place (`Key::bind_issuer`,
    /// `Key::set_matching_any_kid`) without moving it.
    pub fn get_mut(&mut self, index: usize) -> Option<&mut Key> {
        self.keys.get_mut(index)?.as_mut()
    }

    /// The first key [`candidates`](Self::candidates) would try.
    pub fn select(&self, kid: Option<&JsonStr<'_>>, alg: Algorithm) -> Result<usize, Error> {
        let c = self.candidates(kid, alg)?;
        c.iter().next().ok_or(Error::NoMatchingKey)
    }

    /// The keys a token may be tried against, in insertion order, at most
    /// [`MAX_CANDIDATES`] of them.
    ///
    /// With a `kid`: the keys carrying that id that allow `alg` (several
    /// during a rotation); failing an id match, the keys marked
    /// [`Key::matching_any_kid`] that allow `alg`; failing those,
    /// `UnknownKid`. A key pinned without an id does not answer a `kid`
    /// unless so marked. Without a `kid`: every key that allows `alg`. More
    /// fitting keys than the bound is `NoMatchingKey`, never a guess.
    pub fn candidates(
        &self,
        kid: Option<&JsonStr<'_>>,
        alg: Algorithm,
    ) -> Result<Candidates, Error> {
        if self.is_empty() {
            return Err(Error::NoKeys);
        }
        // Who may answer: the keys the kid names; failing any, the keys
        // marked to answer any kid; without a kid, every key.
        let named = kid.is_some_and(|kid| self.iter().any(|k| k.kid_matches(kid)));
        let mut out = Candidates::default();
        let mut eligible = false;
        for (i, k) in self.iter().enumerate() {
            let may = match kid {
                None => true,
                Some(kid) if named => k.kid_matches(kid),
                Some(_) => k.any_kid,
            };
            eligible |= may;
            if may && k.allows(alg) {
                out.push(i)?;
            }
        }
        if !eligible {
            return Err(Error::UnknownKid);
        }
        // A kid no key claims, tried on any-kid keys: when none verifies,
        // report the kid as unknown if keys with ids are pinned (a JWKS to
        // refresh).
        out.unknown_kid = kid.is_some() && !named && self.iter().any(|k| k.kid().is_some());
        if out.len == 0 {
            return Err(Error::AlgNotAllowedForKey);
        }
        Ok(out)
    }
}

/// The keys one token is tried against (see [`KeySet::candidates`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Candidates {
    index: [u16; MAX_CANDIDATES],
    len: u8,
    unknown_kid: bool,
}

impl Candidates {
    fn push(&mut self, i: usize) -> Result<(), Error> {
        let slot = self
            .index
            .get_mut(self.len as usize)
            .ok_or(Error::NoMatchingKey)?;
        // Key sets hold far fewer than 65536 keys; a larger index is refused.
        *slot = u16::try_from(i).map_err(|_| Error::NoMatchingKey)?;
        self.len += 1;
        Ok(())
    }

    /// The key indices, in the order to try them.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.index[..self.len as usize].iter().map(|&i| i as usize)
    }

    /// The error when no candidate verifies: `UnknownKid` when the token's
    /// `kid` matched no key (only any-kid keys were tried) beside keys with
    /// ids, else `first`, the first candidate's error.
    pub fn failure(&self, first: Error) -> Error {
        if self.unknown_kid {
            Error::UnknownKid
        } else {
            first
        }
    }
}

/// How [`KeySet::add_jwks_with`] reads a JWKS document.
#[derive(Clone, Copy, Debug, Default)]
pub struct JwksOptions<'a> {
    /// Bind every key to this issuer ([`Key::with_issuer`]).
    pub issuer: Option<&'a str>,
    /// Load `oct` (symmetric) keys. Off by default: a JWKS is a public
    /// document, and whoever can read an HMAC secret can forge tokens.
    pub allow_symmetric: bool,
    /// Let RSA keys without a JWK `alg` verify PSS as well as PKCS#1 v1.5
    /// (RFC 8725 3.1: by default each key serves one family).
    pub rsa_pss: bool,
    /// Let every key accept PSS signatures with any salt length
    /// ([`Key::with_pss_any_salt`]), for signers using the maximum salt.
    pub pss_any_salt: bool,
}

/// What a JWKS load added and what it skipped, by reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Keys added to the set.
    pub added: usize,
    skipped: [u16; SKIP_REASONS.len()],
}

/// Why a key of a JWKS is skipped, in report order.
const SKIP_REASONS: [Error; 9] = [
    Error::KeyUnsupported,
    Error::SymmetricKeyInJwks,
    Error::RsaKeySize,
    Error::RsaExponent,
    Error::KidTooLong,
    Error::KeyMalformed,
    Error::InvalidPublicKey,
    Error::HmacKeyTooShort,
    Error::AlgNotAllowedForKey,
];

impl LoadReport {
    fn skip(&mut self, e: Error) {
        // An error outside the list counts as malformed.
        let malformed = SKIP_REASONS
            .iter()
            .position(|&r| r == Error::KeyMalformed)
            .unwrap_or(0);
        let i = SKIP_REASONS
            .iter()
            .position(|&r| r == e)
            .unwrap_or(malformed);
        if let Some(n) = self.skipped.get_mut(i) {
            *n = n.saturating_add(1);
        }
    }

    /// Keys skipped, all reasons.
    pub fn skipped(&self) -> usize {
        self.skipped.iter().map(|&n| n as usize).sum()
    }

    /// Keys skipped for `reason` (an [`Error`] a key load returns).
    pub fn skipped_for(&self, reason: Error) -> usize {
        SKIP_REASONS
            .iter()
            .position(|&r| r == reason)
            .map_or(0, |i| self.skipped[i] as usize)
    }

    /// Each reason with the number of keys skipped for it, the non-zero ones.
    pub fn reasons(&self) -> impl Iterator<Item = (Error, usize)> + '_ {
        SKIP_REASONS
            .iter()
            .zip(self.skipped)
            .filter(|(_, n)| *n > 0)
            .map(|(&e, n)| (e, n as usize))
    }
}

/// Whether a JWKS entry is a symmetric key.
fn is_oct(jwk: &Value<'_>) -> bool {
    jwk.get("kty")
        .and_then(|k| k.as_str())
        .is_some_and(|k| k.eq_str("oct"))
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
