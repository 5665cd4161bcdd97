//! X.509 key maps (Firebase's published form, `{"<kid>": "<PEM certificate>"}`)
//! against certificates and tokens made by `cryptography` and PyJWT
//! (scripts/gen_x509_fixtures.py): each certificate's key under its kid, and
//! every malformed map refused with its own error, leaving the set unchanged.
#![cfg(all(feature = "rsa", feature = "ecdsa"))]

mod common;

use common::data_path;
use verifier_core::keys::JwksOptions;
use verifier_core::{Error, KeySet, Policy, Verifier, scratch_len};

const ISS: &str = "https://securetoken.google.com/x509-test";
const NOW: i64 = 1_764_000_100;

fn read(name: &str) -> Vec<u8> {
    std::fs::read(data_path(&format!("x509/{name}"))).unwrap()
}

fn verdict<const N: usize>(set: KeySet<N>, token: &str) -> Result<(), Error> {
    let verifier = Verifier::new(set).unwrap();
    let policy = Policy::firebase(&[ISS], &["x509-test"]).unwrap();
    let token = read(token);
    let token = token.trim_ascii();
    let mut buf = vec![0u8; scratch_len(token.len())];
    verifier.verify(token, NOW, &policy, &mut buf).map(|_| ())
}

fn load(name: &str) -> Result<usize, Error> {
    let mut set = KeySet::<4>::new();
    let r = set.add_x509_map(&read(name), &JwksOptions::default());
    if r.is_err() {
        assert!(
            set.is_empty(),
            "{name}: a refused map leaves the set unchanged"
        );
    }
    r
}

#[test]
fn each_certificate_key_under_its_kid() {
    let mut set = KeySet::<4>::new();
    assert_eq!(
        set.add_x509_map(&read("map.json"), &JwksOptions::default()),
        Ok(2)
    );
    let kids: Vec<_> = set.iter().map(|k| k.kid().unwrap().to_owned()).collect();
    assert_eq!(kids, ["a", "b"]);
    assert_eq!(verdict(set, "token_a.jwt"), Ok(()));

    let mut set = KeySet::<4>::new();
    set.add_x509_map(&read("map.json"), &JwksOptions::default())
        .unwrap();
    assert_eq!(verdict(set, "token_c.jwt"), Err(Error::UnknownKid));

    let mut set = KeySet::<4>::new();
    set.add_x509_map(&read("map_rotated.json"), &JwksOptions::default())
        .unwrap();
    assert_eq!(verdict(set, "token_c.jwt"), Ok(()));

    let mut set = KeySet::<4>::new();
    assert_eq!(
        set.add_x509_map(&read("map_ec.json"), &JwksOptions::default()),
        Ok(1)
    );
    let policy_ok = verdict(set, "token_e.jwt");
    // Firebase's preset allows RS256 only: the EC key loads, and the policy decides.
    assert_eq!(policy_ok, Err(Error::AlgNotAllowedByPolicy));
}

#[test]
fn validity_dates_are_not_checked() {
    let mut set = KeySet::<4>::new();
    set.add_x509_map(&read("map_expired.json"), &JwksOptions::default())
        .unwrap();
    assert_eq!(verdict(set, "token_a.jwt"), Ok(()));
}

#[test]
fn issuer_binding() {
    let mut set = KeySet::<4>::new();
    let other = JwksOptions {
        issuer: Some("https://other.example"),
        ..JwksOptions::default()
    };
    set.add_x509_map(&read("map.json"), &other).unwrap();
    assert_eq!(verdict(set, "token_a.jwt"), Err(Error::KeyIssuerMismatch));
    let mut set = KeySet::<4>::new();
    let empty = JwksOptions {
        issuer: Some(""),
        ..JwksOptions::default()
    };
    assert_eq!(
        set.add_x509_map(&read("map.json"), &empty),
        Err(Error::KeyIssuerInvalid)
    );
}

#[test]
fn refusals() {
    assert_eq!(load("map_malformed.json"), Err(Error::CertificateMalformed));
    assert_eq!(
        load("map_public_key.json"),
        Err(Error::CertificateMalformed)
    );
    assert_eq!(load("map_ed25519.json"), Err(Error::KeyUnsupported));
    assert_eq!(load("map_duplicate.json"), Err(Error::DuplicateKid));
    assert_eq!(load("map_too_many.json"), Err(Error::TooManyKeys));
    // A valid map, but more keys than the set holds.
    let mut small = KeySet::<1>::new();
    assert_eq!(
        small.add_x509_map(&read("map.json"), &JwksOptions::default()),
        Err(Error::TooManyKeys)
    );
    assert!(small.is_empty());
    let mut set = KeySet::<4>::new();
    for (doc, want) in [
        (&b"{}"[..], Error::NoKeys),
        (b"[]", Error::KeyMalformed),
        (b"{\"a\": 1}", Error::KeyMalformed),
        (b"{\"a\": \"not pem\"}", Error::CertificateMalformed),
        (b"{\"a\": ", Error::KeyMalformed),
    ] {
        assert_eq!(
            set.add_x509_map(doc, &JwksOptions::default()),
            Err(want),
            "{doc:?}"
        );
        assert!(set.is_empty());
    }
    // All or nothing: a good entry before a bad one is not kept.
    let good = String::from_utf8(read("map.json")).unwrap();
    let bad = good.replacen(
        "\"b\": \"-----BEGIN CERTIFICATE-----\\n",
        "\"b\": \"-----BEGIN CERTIFICATE-----\\nAAAA",
        1,
    );
    assert_ne!(good, bad);
    assert_eq!(
        set.add_x509_map(bad.as_bytes(), &JwksOptions::default()),
        Err(Error::CertificateMalformed)
    );
    assert!(set.is_empty());
}
