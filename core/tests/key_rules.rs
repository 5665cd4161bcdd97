//! Which key answers which token (issue 14, items 3, 4, 6 and 7): issuer
//! bindings, kid-less keys beside a JWKS, symmetric keys in public documents,
//! one algorithm family per key, odd keys in a JWKS, duplicate kids and
//! tokens without kid. Tokens are HS256 signed with the `hmac` crate, or the
//! PyJWT fixtures of `tokens.json`.
#![cfg(all(feature = "rsa", feature = "p256", feature = "hmac"))]

mod common;

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, KeyInit, Mac};
use verifier_core::keys::{JwksOptions, MAX_CANDIDATES};
use verifier_core::{AlgSet, Algorithm, Error, Key, KeySet, Policy, Verifier, scratch_len};

const NOW: i64 = 1_764_000_000;
const A: &[u8] = b"tenant-a-secret-0123456789abcdef";
const B: &[u8] = b"tenant-b-secret-0123456789abcdef";
const ISS_A: &str = "https://a.example.com";
const ISS_B: &str = "https://b.example.com";

fn b64(b: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(b)
}

fn hs256(secret: &[u8], header: &str, payload: &str) -> String {
    let si = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
    mac.update(si.as_bytes());
    format!("{si}.{}", b64(&mac.finalize().into_bytes()))
}

fn claims(iss: &str) -> String {
    format!(r#"{{"iss":"{iss}","sub":"u","exp":{}}}"#, NOW + 600)
}

fn verify<const N: usize>(v: &Verifier<N>, token: &str) -> Result<usize, Error> {
    let mut buf = vec![0u8; scratch_len(token.len())];
    let policy: Policy = Policy::default();
    v.verify(token.as_bytes(), NOW, &policy, &mut buf)
        .map(|ok| ok.key_index)
}

fn hmac(secret: &[u8]) -> Key {
    Key::hmac(secret, None).unwrap()
}

/// Item 3: two tenants in one verifier, each key bound to its issuer: a token
/// passes only with its own tenant's key, with kids and without.
#[test]
fn two_tenants_each_token_passes_only_with_its_own_key() {
    for with_kids in [true, false] {
        let mut keys = KeySet::<4>::new();
        let (a, b) = (hmac(A).with_issuer(ISS_A), hmac(B).with_issuer(ISS_B));
        let (mut a, mut b) = (a.unwrap(), b.unwrap());
        if with_kids {
            a = a.with_kid("a").unwrap();
            b = b.with_kid("b").unwrap();
        }
        keys.push(a).unwrap();
        keys.push(b).unwrap();
        let v = Verifier::new(keys).unwrap();
        let header = |kid: &str| {
            if with_kids {
                format!(r#"{{"alg":"HS256","kid":"{kid}"}}"#)
            } else {
                r#"{"alg":"HS256"}"#.to_string()
            }
        };
        assert_eq!(verify(&v, &hs256(A, &header("a"), &claims(ISS_A))), Ok(0));
        assert_eq!(verify(&v, &hs256(B, &header("b"), &claims(ISS_B))), Ok(1));
        // Tenant A's key minting tenant B's issuer: the signature verifies,
        // the binding refuses. Before issue 14 this passed.
        assert_eq!(
            verify(&v, &hs256(A, &header("a"), &claims(ISS_B))),
            Err(Error::KeyIssuerMismatch)
        );
        // A token without iss under a bound key.
        let no_iss = format!(r#"{{"sub":"u","exp":{}}}"#, NOW + 600);
        assert_eq!(
            verify(&v, &hs256(A, &header("a"), &no_iss)),
            Err(Error::KeyIssuerMismatch)
        );
    }
}

/// Item 3: a JWKS loaded for an issuer binds every key; an invalid binding is refused.
#[test]
fn jwks_for_issuer_binds_every_key() {
    let jwks = common::read_fixture_jwks();
    let mut keys = KeySet::<16>::new();
    let n = keys.add_jwks_for_issuer(&jwks, ISS_A).unwrap();
    assert!(n >= 6);
    assert!(keys.iter().all(|k| k.issuer() == Some(ISS_A)));
    let long = "x".repeat(verifier_core::keys::MAX_ISSUER_LEN + 1);
    assert_eq!(
        keys.add_jwks_for_issuer(&jwks, &long),
        Err(Error::KeyIssuerInvalid)
    );
    assert_eq!(keys.len(), n);
    assert_eq!(hmac(A).with_issuer("").err(), Some(Error::KeyIssuerInvalid));
}

/// Item 3: a partner's kid-less secret pinned beside a JWKS does not answer
/// tokens naming a kid the JWKS lacks (before: it did, so the partner could
/// mint tokens with any kid); the unknown kid is `UnknownKid`, the signal to
/// refresh the JWKS. Opting in with `matching_any_kid` restores the old
/// answer for that key only.
#[test]
fn kidless_key_beside_a_jwks_answers_no_unknown_kid() {
    let jwks = common::read_fixture_jwks();
    let forged = hs256(A, r#"{"alg":"HS256","kid":"rotated-away"}"#, &claims(ISS_A));
    let mut keys = KeySet::<16>::new();
    keys.add_jwks(&jwks).unwrap();
    keys.push(hmac(A)).unwrap();
    let v = Verifier::new(keys.clone()).unwrap();
    assert_eq!(verify(&v, &forged), Err(Error::UnknownKid));
    // The same key answers tokens without kid.
    let plain = hs256(A, r#"{"alg":"HS256"}"#, &claims(ISS_A));
    assert!(verify(&v, &plain).is_ok());

    // Opted in: the any-kid key answers; a wrong signature with an unknown
    // kid is still reported as the unknown kid beside a JWKS.
    let mut keys = KeySet::<16>::new();
    keys.add_jwks(&jwks).unwrap();
    keys.push(hmac(A).matching_any_kid()).unwrap();
    let v = Verifier::new(keys).unwrap();
    assert!(verify(&v, &forged).is_ok());
    let other = hs256(B, r#"{"alg":"HS256","kid":"rotated-away"}"#, &claims(ISS_A));
    assert_eq!(verify(&v, &other), Err(Error::UnknownKid));

    // Alone (Clerk's PEM verification): any-kid key, bad signature is BadSignature.
    let v = Verifier::<1>::from_key(hmac(A).matching_any_kid()).unwrap();
    assert!(verify(&v, &forged).is_ok());
    assert_eq!(verify(&v, &other), Err(Error::BadSignature));
}

/// Item 4: `oct` keys in a JWKS are skipped unless asked for (before: loaded,
/// so anyone reading the JWKS could forge HS256 tokens).
#[test]
fn symmetric_keys_in_a_jwks_are_skipped_unless_asked() {
    let jwks = format!(
        r#"{{"keys":[{{"kty":"oct","kid":"s","k":"{}"}},{}]}}"#,
        b64(A),
        common::fixture_jwk("p256")
    );
    let mut keys = KeySet::<4>::new();
    let report = keys
        .add_jwks_with(jwks.as_bytes(), &JwksOptions::default())
        .unwrap();
    assert_eq!(report.added, 1);
    assert_eq!(report.skipped_for(Error::SymmetricKeyInJwks), 1);
    let v = Verifier::new(keys).unwrap();
    let forged = hs256(A, r#"{"alg":"HS256","kid":"s"}"#, &claims(ISS_A));
    assert_eq!(verify(&v, &forged), Err(Error::UnknownKid));

    let mut keys = KeySet::<4>::new();
    let options = JwksOptions {
        allow_symmetric: true,
        ..JwksOptions::default()
    };
    assert_eq!(
        keys.add_jwks_with(jwks.as_bytes(), &options).unwrap().added,
        2
    );
    // Only a JWKS with nothing but oct keys: nothing usable.
    let only = format!(r#"{{"keys":[{{"kty":"oct","k":"{}"}}]}}"#, b64(A));
    assert_eq!(
        KeySet::<4>::new().add_jwks(only.as_bytes()),
        Err(Error::NoKeys)
    );
}

/// Item 4: one family per key. An HMAC secret serves HS256 unless told
/// (before: every hash its length covered); an RSA key without JWK alg
/// serves PKCS#1 only until widened (before: PSS too).
#[test]
fn each_key_serves_one_family() {
    let long = [7u8; 64];
    let k = Key::hmac(&long, None).unwrap();
    assert_eq!(k.algorithms(), AlgSet::of(&[Algorithm::HS256]));
    let k = Key::hmac(&long, Some(Algorithm::HS512)).unwrap();
    assert_eq!(k.algorithms(), AlgSet::of(&[Algorithm::HS512]));

    let rsa = Key::from_jwk(common::fixture_jwk("rsa2048").as_bytes()).unwrap();
    assert!(rsa.allows(Algorithm::RS256) && !rsa.allows(Algorithm::PS256));
    let widened = rsa
        .clone()
        .with_algorithms(AlgSet::of(&[Algorithm::RS256, Algorithm::PS256]))
        .unwrap();
    assert!(widened.allows(Algorithm::PS256) && !widened.allows(Algorithm::RS384));
    assert_eq!(
        rsa.with_algorithms(AlgSet::of(&[Algorithm::ES256])).err(),
        Some(Error::AlgNotAllowedForKey)
    );
    // A JWK alg of PS256 still works: the capability, not the default, bounds it.
    let mut jwk: serde_json::Value = serde_json::from_str(&common::fixture_jwk("rsa2048")).unwrap();
    jwk["alg"] = "PS256".into();
    let k = Key::from_jwk(jwk.to_string().as_bytes()).unwrap();
    assert_eq!(k.algorithms(), AlgSet::of(&[Algorithm::PS256]));

    // A PSS fixture token against the default-loaded JWKS, then widened.
    let token = common::fixture_token("valid PS256 rsa2048");
    let jwks = common::read_fixture_jwks();
    let v = Verifier::<16>::from_jwks(&jwks).unwrap();
    let mut buf = vec![0u8; token.len()];
    assert_eq!(
        v.verify_jws(token.as_bytes(), AlgSet::ALL, &mut buf).err(),
        Some(Error::AlgNotAllowedForKey)
    );
    let mut keys = KeySet::<16>::new();
    let options = JwksOptions {
        rsa_pss: true,
        ..JwksOptions::default()
    };
    keys.add_jwks_with(&jwks, &options).unwrap();
    let v = Verifier::new(keys).unwrap();
    assert!(
        v.verify_jws(token.as_bytes(), AlgSet::ALL, &mut buf)
            .is_ok()
    );
}

/// Item 6: odd keys in a JWKS are skipped and counted, the rest load (before:
/// one 65-byte kid or short EC coordinate failed the whole document, and an
/// RSA-8192 key reported `KeyMalformed`).
#[test]
fn odd_keys_in_a_jwks_are_skipped_and_reported() {
    let n8192 = b64(&[0xc5; 1024]);
    let p256: serde_json::Value = serde_json::from_str(&common::fixture_jwk("p256")).unwrap();
    let mut short_x = p256.clone();
    short_x["kid"] = "short".into();
    short_x["x"] = b64(&[1; 31]).into();
    let mut long_kid = p256.clone();
    long_kid["kid"] = "k".repeat(65).into();
    let jwks = format!(
        r#"{{"keys":[{{"kty":"RSA","kid":"big","n":"{n8192}","e":"AQAB"}},{short_x},{long_kid},{p256},{{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"}},7]}}"#
    );
    let mut keys = KeySet::<4>::new();
    let report = keys
        .add_jwks_with(jwks.as_bytes(), &JwksOptions::default())
        .unwrap();
    assert_eq!(report.added, 1);
    assert_eq!(report.skipped(), 5);
    assert_eq!(report.skipped_for(Error::RsaKeySize), 1);
    assert_eq!(report.skipped_for(Error::KeyMalformed), 2);
    assert_eq!(report.skipped_for(Error::KidTooLong), 1);
    assert_eq!(report.skipped_for(Error::KeyUnsupported), 1);
    assert_eq!(keys.get(0).unwrap().kid(), Some("p256"));
    let reasons: Vec<_> = report.reasons().collect();
    assert_eq!(reasons.len(), 4);
    // The single-key loader names the size, not a decode failure.
    let big = format!(r#"{{"kty":"RSA","n":"{n8192}","e":"AQAB"}}"#);
    assert_eq!(Key::from_jwk(big.as_bytes()).err(), Some(Error::RsaKeySize));
}

/// Item 6: a JWKS with many keys loads whole or not at all.
#[test]
fn a_large_jwks_loads_whole_or_reports_too_many_keys() {
    let one = common::fixture_jwk("p256");
    let many = |n: usize| {
        let keys: Vec<String> = (0..n)
            .map(|i| one.replace(r#""kid":"p256""#, &format!(r#""kid":"k{i}""#)))
            .collect();
        format!(r#"{{"keys":[{}]}}"#, keys.join(","))
    };
    let mut keys = KeySet::<32>::new();
    assert_eq!(keys.add_jwks(many(20).as_bytes()), Ok(20));
    let mut keys = KeySet::<16>::new();
    assert_eq!(keys.add_jwks(many(17).as_bytes()), Err(Error::TooManyKeys));
    assert!(keys.is_empty());
}

/// Item 7: a kid carried by several keys (a rotation): each fitting one is
/// tried (before: only the first, so the new key's tokens failed).
#[test]
fn duplicate_kids_try_each_fitting_key() {
    let mut keys = KeySet::<4>::new();
    keys.push(hmac(A).with_kid("k").unwrap()).unwrap();
    keys.push(hmac(B).with_kid("k").unwrap()).unwrap();
    let v = Verifier::new(keys).unwrap();
    let header = r#"{"alg":"HS256","kid":"k"}"#;
    assert_eq!(verify(&v, &hs256(A, header, &claims(ISS_A))), Ok(0));
    assert_eq!(verify(&v, &hs256(B, header, &claims(ISS_A))), Ok(1));
    let c = [7u8; 32];
    assert_eq!(
        verify(&v, &hs256(&c, header, &claims(ISS_A))),
        Err(Error::BadSignature)
    );
}

/// Item 7: without kid, up to MAX_CANDIDATES fitting keys are tried (before:
/// NoMatchingKey as soon as two fit); more is NoMatchingKey, never a guess.
#[test]
fn no_kid_tries_a_bounded_number_of_keys() {
    let secrets: Vec<[u8; 32]> = (0..=MAX_CANDIDATES as u8).map(|i| [i + 1; 32]).collect();
    let mut keys = KeySet::<8>::new();
    for s in &secrets[..MAX_CANDIDATES] {
        keys.push(hmac(s)).unwrap();
    }
    let v = Verifier::new(keys.clone()).unwrap();
    let last = &secrets[MAX_CANDIDATES - 1];
    let token = hs256(last, r#"{"alg":"HS256"}"#, &claims(ISS_A));
    assert_eq!(verify(&v, &token), Ok(MAX_CANDIDATES - 1));
    keys.push(hmac(&secrets[MAX_CANDIDATES])).unwrap();
    let v = Verifier::new(keys).unwrap();
    assert_eq!(verify(&v, &token), Err(Error::NoMatchingKey));
}
