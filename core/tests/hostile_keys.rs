//! Keys a hostile or broken provider may publish (issue 24, items 1 and 5):
//! each is refused at load with its own error, skipped in a JWKS and counted
//! in the load report by reason, before it can make a verification costly.
#![cfg(feature = "rsa")]

mod common;

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use verifier_core::keys::{JwksOptions, LoadReport};
use verifier_core::{Error, Key, KeySet};

/// The fixtures' 2048-bit RSA modulus (big-endian, no leading zero).
fn modulus() -> Vec<u8> {
    let jwk: serde_json::Value = serde_json::from_str(&common::fixture_jwk("rsa2048")).unwrap();
    common::b64url_decode(jwk["n"].as_str().unwrap())
}

fn der_len(len: usize) -> Vec<u8> {
    match len {
        0..0x80 => vec![len as u8],
        0x80..0x100 => vec![0x81, len as u8],
        _ => vec![0x82, (len >> 8) as u8, len as u8],
    }
}

fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    v.extend(der_len(body.len()));
    v.extend_from_slice(body);
    v
}

fn der_uint(be: &[u8]) -> Vec<u8> {
    let mut b = be.to_vec();
    if b.first().is_none_or(|&x| x & 0x80 != 0) {
        b.insert(0, 0);
    }
    tlv(0x02, &b)
}

/// RSAPublicKey (PKCS#1) DER.
fn pkcs1_der(n: &[u8], e: &[u8]) -> Vec<u8> {
    tlv(0x30, &[der_uint(n), der_uint(e)].concat())
}

/// SubjectPublicKeyInfo DER for an RSA key.
fn spki_der(n: &[u8], e: &[u8]) -> Vec<u8> {
    let alg = tlv(
        0x30,
        &[
            tlv(
                0x06,
                &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
            ),
            vec![0x05, 0x00],
        ]
        .concat(),
    );
    let mut bits = vec![0u8];
    bits.extend(pkcs1_der(n, e));
    tlv(0x30, &[alg, tlv(0x03, &bits)].concat())
}

fn pem(label: &str, der: &[u8]) -> Vec<u8> {
    let b64 = Base64::encode_string(der);
    let mut s = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        s.push_str(std::str::from_utf8(line).unwrap());
        s.push('\n');
    }
    s.push_str(&format!("-----END {label}-----\n"));
    s.into_bytes()
}

fn rsa_jwk(kid: &str, n: &[u8], e: &[u8]) -> String {
    format!(
        r#"{{"kty":"RSA","kid":"{kid}","n":"{}","e":"{}"}}"#,
        Base64UrlUnpadded::encode_string(n),
        Base64UrlUnpadded::encode_string(e)
    )
}

/// Exponents refused: even, below 3, 2^32 and above (the `rsa` crate's
/// limit 2^33 - 1 and the old limit 2^64 - 1 among them).
const BAD_E: [&[u8]; 8] = [
    &[],
    &[1],
    &[2],
    &[1, 0, 0],
    &[1, 0, 0, 0, 1],
    &[1, 0xff, 0xff, 0xff, 0xff],
    &[0xff; 8],
    &[0xff; 9],
];

/// Every single-key loader refuses them as `RsaExponent`; the largest
/// accepted exponent, 2^32 - 1, and 3 and 65537 still load.
#[test]
fn single_key_loads_refuse_bad_exponents() {
    let n = modulus();
    for e in BAD_E {
        let jwk = rsa_jwk("k", &n, e);
        let spki = spki_der(&n, e);
        let loads: [(&str, Result<Key, Error>); 6] = [
            ("Key::rsa", Key::rsa(&n, e)),
            ("JWK", Key::from_jwk(jwk.as_bytes())),
            ("SPKI DER", Key::from_spki_der(&spki)),
            ("PEM SPKI", Key::from_pem(&pem("PUBLIC KEY", &spki))),
            (
                "PEM PKCS#1",
                Key::from_pem(&pem("RSA PUBLIC KEY", &pkcs1_der(&n, e))),
            ),
            ("add_rsa", {
                let mut set = KeySet::<1>::new();
                set.add_rsa(&n, e)
                    .map(|()| Key::rsa(&n, &[1, 0, 1]).unwrap())
            }),
        ];
        for (what, got) in loads {
            assert_eq!(got.err(), Some(Error::RsaExponent), "{what}, e = {e:02x?}");
        }
    }
    for e in [&[3u8][..], &[1, 0, 1], &[0xff, 0xff, 0xff, 0xff]] {
        assert!(Key::rsa(&n, e).is_ok(), "e = {e:02x?}");
        assert!(Key::from_spki_der(&spki_der(&n, e)).is_ok());
        assert!(Key::from_jwk(rsa_jwk("k", &n, e).as_bytes()).is_ok());
    }
}

/// In a JWKS they are skipped and counted as `RsaExponent`, apart from the
/// modulus sizes, and the document's good key still loads.
#[test]
fn jwks_skips_and_counts_bad_exponents() {
    let n = modulus();
    let mut keys: Vec<String> = BAD_E
        .iter()
        .enumerate()
        .map(|(i, e)| rsa_jwk(&format!("bad{i}"), &n, e))
        .collect();
    keys.push(rsa_jwk("small", &n[..200], &[1, 0, 1]));
    keys.push(rsa_jwk("good", &n, &[1, 0, 1]));
    let doc = format!(r#"{{"keys":[{}]}}"#, keys.join(","));
    let mut set = KeySet::<4>::new();
    let r: LoadReport = set
        .add_jwks_with(doc.as_bytes(), &JwksOptions::default())
        .unwrap();
    assert_eq!(r.added, 1);
    assert_eq!(r.skipped(), BAD_E.len() + 1);
    assert_eq!(r.skipped_for(Error::RsaExponent), BAD_E.len());
    assert_eq!(r.skipped_for(Error::RsaKeySize), 1);
    assert_eq!(set.get(0).unwrap().kid(), Some("good"));
    let reasons: Vec<_> = r.reasons().collect();
    assert!(reasons.contains(&(Error::RsaExponent, BAD_E.len())));
}

/// A JWKS document has at most `MAX_JWKS_ENTRIES` entries: more is
/// `TooManyKeys` before any key is read, so a provider's document cannot
/// make a load examine (and build keys for) an unbounded number of entries.
/// Before: 257 unusable entries were each read and skipped.
#[test]
fn jwks_entries_are_bounded() {
    use verifier_core::keys::MAX_JWKS_ENTRIES;
    let good = rsa_jwk("good", &modulus(), &[1, 0, 1]);
    let doc = |junk: usize| {
        let mut keys = vec![r#"{"kty":"none"}"#.to_owned(); junk];
        keys.push(good.clone());
        format!(r#"{{"keys":[{}]}}"#, keys.join(","))
    };
    let mut set = KeySet::<4>::new();
    let r = set
        .add_jwks_with(
            doc(MAX_JWKS_ENTRIES - 1).as_bytes(),
            &JwksOptions::default(),
        )
        .unwrap();
    assert_eq!((r.added, r.skipped()), (1, MAX_JWKS_ENTRIES - 1));
    let mut set = KeySet::<4>::new();
    assert_eq!(
        set.add_jwks_with(doc(MAX_JWKS_ENTRIES).as_bytes(), &JwksOptions::default())
            .unwrap_err(),
        Error::TooManyKeys
    );
    assert!(set.is_empty());
}

/// What needs no arithmetic is checked first: a `kid` too long, or an `alg`
/// the `kty` cannot do, refuses the key before its modulus is read (and, for
/// a good modulus, before its Montgomery constants are computed). Before,
/// these keys were reported by their modulus, after building it.
#[test]
fn cheap_checks_come_before_key_arithmetic() {
    let mut even = modulus();
    *even.last_mut().unwrap() &= 0xfe;
    let long_kid = "k".repeat(65);
    let jwk = rsa_jwk(&long_kid, &even, &[1, 0, 1]);
    assert_eq!(Key::from_jwk(jwk.as_bytes()).err(), Some(Error::KidTooLong));
    let jwk =
        rsa_jwk("k", &even, &[1, 0, 1]).replace(r#""kty":"RSA""#, r#""kty":"RSA","alg":"ES256""#);
    assert_eq!(
        Key::from_jwk(jwk.as_bytes()).err(),
        Some(Error::KeyUnsupported)
    );
    // The verdicts for good keys are unchanged.
    let jwk = rsa_jwk(&"k".repeat(64), &modulus(), &[1, 0, 1]);
    assert!(Key::from_jwk(jwk.as_bytes()).is_ok());
    let jwk = rsa_jwk("k", &modulus(), &[1, 0, 1])
        .replace(r#""kty":"RSA""#, r#""kty":"RSA","alg":"PS256""#);
    assert!(Key::from_jwk(jwk.as_bytes()).is_ok());
}

/// Checked, already refused: EC points at infinity and off the curve, in a
/// JWK and in SPKI; a token naming a huge `kid`; a modulus far too long.
#[cfg(feature = "p256")]
#[test]
fn other_hostile_inputs_already_refused() {
    use verifier_core::{Policy, Verifier, scratch_len};
    let zero = Base64UrlUnpadded::encode_string(&[0u8; 32]);
    let jwk = format!(r#"{{"kty":"EC","crv":"P-256","x":"{zero}","y":"{zero}"}}"#);
    assert_eq!(
        Key::from_jwk(jwk.as_bytes()).err(),
        Some(Error::InvalidPublicKey)
    );
    // SEC1 identity (a single 0x00) in an SPKI.
    let alg = tlv(
        0x30,
        &[
            tlv(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]),
            tlv(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]),
        ]
        .concat(),
    );
    let spki = tlv(0x30, &[alg, tlv(0x03, &[0, 0])].concat());
    assert!(Key::from_spki_der(&spki).is_err());
    assert!(Key::p256_sec1(&[0]).is_err());
    // A 1 MB modulus is the size error, read no further.
    let huge = rsa_jwk("k", &vec![0xc5; 1 << 20], &[1, 0, 1]);
    assert_eq!(
        Key::from_jwk(huge.as_bytes()).err(),
        Some(Error::RsaKeySize)
    );
    // A token with an 8 KB kid: one comparison per key, unknown.
    let v: Verifier<4> = Verifier::new({
        let mut k = KeySet::new();
        k.add_jwk(rsa_jwk("good", &modulus(), &[1, 0, 1]).as_bytes())
            .unwrap();
        k
    })
    .unwrap();
    let header = format!(r#"{{"alg":"RS256","kid":"{}"}}"#, "k".repeat(8 << 10));
    let token = format!(
        "{}.{}.{}",
        Base64UrlUnpadded::encode_string(header.as_bytes()),
        Base64UrlUnpadded::encode_string(br#"{"sub":"x","exp":2000000000}"#),
        Base64UrlUnpadded::encode_string(&[1; 256])
    );
    let policy: Policy<'_, &str> = Policy::default();
    let mut buf = vec![0u8; scratch_len(token.len())];
    assert_eq!(
        v.verify(token.as_bytes(), 0, &policy, &mut buf).err(),
        Some(Error::UnknownKid)
    );
}
