//! Signature verification for each algorithm family, over a pinned key.

use crate::Error;
use crate::alg::Algorithm;
#[cfg(any(
    feature = "rsa",
    feature = "p256",
    feature = "p384",
    feature = "p521",
    feature = "eddsa",
    feature = "hmac"
))]
use crate::alg::Family;
use crate::keys::Key;
#[cfg(any(
    feature = "rsa",
    feature = "p256",
    feature = "p384",
    feature = "p521",
    feature = "eddsa",
    feature = "hmac"
))]
use crate::keys::Material;

/// Verify `sig` over `msg` (the JWS signing input) with `key`, which must allow `alg`.
// Out of line, and each big family below too: their frames must not add up
// in one frame with the JSON and claims code (LLVM does not overlap them).
#[inline(never)]
pub fn verify(key: &Key, alg: Algorithm, msg: &[u8], sig: &[u8]) -> Result<(), Error> {
    if !key.allows(alg) {
        return Err(Error::AlgNotAllowedForKey);
    }
    match (&key.material, alg.family()) {
        #[cfg(feature = "rsa")]
        (Material::Rsa(k), Family::RsaPkcs1 | Family::RsaPss) => {
            rsa_verify(k, alg, msg, sig, key.pss_any_salt())
        }
        #[cfg(feature = "p256")]
        (Material::P256(k), Family::P256) => p256_verify(k, alg, msg, sig),
        #[cfg(feature = "p384")]
        (Material::P384(k), Family::P384) => p384_verify(k, alg, msg, sig),
        #[cfg(feature = "p521")]
        (Material::P521(k), Family::P521) => p521_verify(k, alg, msg, sig),
        #[cfg(feature = "eddsa")]
        (Material::Ed25519(k), Family::Ed25519) => {
            let sig: &[u8; 64] = sig.try_into().map_err(|_| Error::BadSignatureLength)?;
            #[cfg(feature = "ec-tables")]
            if let Some(t) = &k.table {
                if let Some(ok) = crate::ed_tables::verify_strict(&k.key, t, msg, sig) {
                    return if ok { Ok(()) } else { Err(Error::BadSignature) };
                }
            }
            let sig = ed25519_dalek::Signature::from_bytes(sig);
            // Strict: refuses non-canonical S and small-order keys and R (RFC 8032 5.1.7).
            k.key
                .verify_strict(msg, &sig)
                .map_err(|_| Error::BadSignature)
        }
        #[cfg(feature = "hmac")]
        (Material::Hmac { secret, len }, Family::Hmac) => {
            let secret = secret.get(..*len).ok_or(Error::KeyMalformed)?;
            hmac_verify(alg, secret, msg, sig)
        }
        #[allow(unreachable_patterns)]
        _ => {
            // Without any algorithm feature nothing reads the token's bytes.
            let _ = (msg, sig);
            Err(Error::AlgNotAllowedForKey)
        }
    }
}

#[cfg(feature = "rsa")]
fn check_rsa_len(k: &crate::rsa::RsaPublicKey, sig: &[u8]) -> Result<(), Error> {
    if sig.len() != k.modulus_len() {
        Err(Error::BadSignatureLength)
    } else {
        Ok(())
    }
}

/// HMAC tag check, constant-time in the tag comparison (the MAC crate compares with `subtle`).
#[cfg(feature = "hmac")]
pub(crate) fn hmac_verify(
    alg: Algorithm,
    secret: &[u8],
    msg: &[u8],
    tag: &[u8],
) -> Result<(), Error> {
    use crate::hash::HashAlg;
    use hmac::{Hmac, KeyInit as _, Mac as _};
    // JWS tags are never truncated (RFC 7518 3.2): the length is public, so checking it first leaks nothing.
    if tag.len() != alg.hash().output_len() {
        return Err(Error::BadSignatureLength);
    }
    let ok = match alg.hash() {
        HashAlg::Sha256 => {
            let mut m =
                Hmac::<sha2::Sha256>::new_from_slice(secret).map_err(|_| Error::KeyMalformed)?;
            m.update(msg);
            m.verify_slice(tag).is_ok()
        }
        HashAlg::Sha384 => {
            let mut m =
                Hmac::<sha2::Sha384>::new_from_slice(secret).map_err(|_| Error::KeyMalformed)?;
            m.update(msg);
            m.verify_slice(tag).is_ok()
        }
        HashAlg::Sha512 => {
            let mut m =
                Hmac::<sha2::Sha512>::new_from_slice(secret).map_err(|_| Error::KeyMalformed)?;
            m.update(msg);
            m.verify_slice(tag).is_ok()
        }
    };
    if ok { Ok(()) } else { Err(Error::BadSignature) }
}

#[cfg(feature = "p256")]
#[inline(never)]
fn p256_verify(
    k: &crate::keys::EcKey<p256::ecdsa::VerifyingKey, crate::keys::P256Table>,
    alg: Algorithm,
    msg: &[u8],
    sig: &[u8],
) -> Result<(), Error> {
    // Raw r||s only (RFC 7518 3.4): DER or any other length is refused.
    if sig.len() != 64 {
        return Err(Error::BadSignatureLength);
    }
    let digest = alg.hash().digest(msg);
    #[cfg(feature = "ec-tables")]
    if let Some(q) = &k.table {
        // A signature from_slice refuses (r or s out of [1, n-1]) is refused below as well.
        let z = p256::FieldBytes::try_from(digest.as_bytes());
        if let (Ok(sig), Ok(z)) = (p256::ecdsa::Signature::from_slice(sig), z) {
            let (r, s) = sig.split_scalars();
            let g = crate::ec_tables::P256.generator();
            if let Some(ok) = crate::ec_tables::verify_p256(g, &q.read(), &z, &r, &s) {
                return if ok { Ok(()) } else { Err(Error::BadSignature) };
            }
        }
    }
    if crate::ecdsa_vartime::verify::<p256::NistP256>(k.key.as_affine(), digest.as_bytes(), sig) {
        Ok(())
    } else {
        Err(Error::BadSignature)
    }
}

#[cfg(feature = "p384")]
#[inline(never)]
fn p384_verify(
    k: &crate::keys::EcKey<p384::ecdsa::VerifyingKey, crate::keys::P384Table>,
    alg: Algorithm,
    msg: &[u8],
    sig: &[u8],
) -> Result<(), Error> {
    if sig.len() != 96 {
        return Err(Error::BadSignatureLength);
    }
    let digest = alg.hash().digest(msg);
    #[cfg(feature = "ec-tables")]
    if let Some(q) = &k.table {
        // A signature from_slice refuses (r or s out of [1, n-1]) is refused below as well.
        let z = p384::FieldBytes::try_from(digest.as_bytes());
        if let (Ok(sig), Ok(z)) = (p384::ecdsa::Signature::from_slice(sig), z) {
            let (r, s) = sig.split_scalars();
            let g = crate::ec_tables::P384.generator();
            if let Some(ok) = crate::ec_tables::verify_p384(g, &q.read(), &z, &r, &s) {
                return if ok { Ok(()) } else { Err(Error::BadSignature) };
            }
        }
    }
    if crate::ecdsa_vartime::verify::<p384::NistP384>(k.key.as_affine(), digest.as_bytes(), sig) {
        Ok(())
    } else {
        Err(Error::BadSignature)
    }
}

/// ES512: `ecdsa_vartime` only (no comb for P-521). The digest is SHA-512's
/// 64 bytes, shorter than the 66-byte field: `ecdsa_vartime` zero-extends it
/// on the left (SEC 1 4.1.4 step 5: 512 bits < 521, so no truncation).
#[cfg(feature = "p521")]
#[inline(never)]
fn p521_verify(
    k: &p521::ecdsa::VerifyingKey,
    alg: Algorithm,
    msg: &[u8],
    sig: &[u8],
) -> Result<(), Error> {
    // Raw r||s only, 66 bytes each (RFC 7518 3.4), not DER.
    if sig.len() != 132 {
        return Err(Error::BadSignatureLength);
    }
    let digest = alg.hash().digest(msg);
    if crate::ecdsa_vartime::verify::<p521::NistP521>(k.as_affine(), digest.as_bytes(), sig) {
        Ok(())
    } else {
        Err(Error::BadSignature)
    }
}

#[cfg(feature = "rsa")]
#[inline(never)]
fn rsa_verify(
    k: &crate::rsa::RsaPublicKey,
    alg: Algorithm,
    msg: &[u8],
    sig: &[u8],
    any_salt: bool,
) -> Result<(), Error> {
    check_rsa_len(k, sig)?;
    let digest = alg.hash().digest(msg);
    if alg.family() == Family::RsaPss {
        // RFC 7518 3.5: the salt is as long as the hash output; a valid
        // signature with another salt is `PssSaltLength`, unless the key
        // accepts any salt.
        let found = k.pss_salt_len(alg.hash(), digest.as_bytes(), sig)?;
        if found == alg.hash().output_len() || any_salt {
            Ok(())
        } else {
            Err(Error::PssSaltLength)
        }
    } else {
        k.verify_pkcs1v15(alg.hash(), digest.as_bytes(), sig)
    }
}

/// The salt length of a PSS signature that verifies with `key` except for
/// its salt length (what `PssSaltLength` reports), for the explanation.
#[cfg(feature = "rsa")]
pub(crate) fn pss_salt_len(key: &Key, alg: Algorithm, msg: &[u8], sig: &[u8]) -> Option<usize> {
    match &key.material {
        Material::Rsa(k) if alg.family() == Family::RsaPss => {
            let digest = alg.hash().digest(msg);
            k.pss_salt_len(alg.hash(), digest.as_bytes(), sig).ok()
        }
        #[allow(unreachable_patterns)]
        _ => None,
    }
}
