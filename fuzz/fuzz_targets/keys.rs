//! Key loading from arbitrary bytes: JWKS, JWK, PEM, SPKI DER, certificate
//! DER and raw HMAC secrets (the first byte picks the loader).
//!
//! Must hold: no panic; no heap allocation; a refusal is a key-loading error;
//! a failed `add_jwks` leaves the set unchanged, a successful one added or
//! counted as skipped every key, bound each to the issuer asked for, and
//! loaded no `oct` key unless asked; a loaded JWK carries the
//! `kid` and `alg` serde_json reads in it; a key that loads behaves: it allows
//! some algorithm, refuses the others, and never accepts a garbage signature.
#![no_main]

use libfuzzer_sys::fuzz_target;
use libverifier_fuzz::no_alloc;
use libverifier_fuzz::tree::{self, J};
use verifier_core::{Algorithm, Error, Key, KeySet, Verifier, verify_signature};

/// Signing input and garbage signatures of every length a JWS algorithm uses.
const MSG: &[u8] = b"eyJhbGciOiJIUzI1NiJ9.e30";
const SIG_LENS: [usize; 9] = [0, 32, 48, 64, 96, 256, 384, 512, 513];
/// The issuer a fuzzed JWKS is bound to when the selector asks.
const ISSUER: &str = "https://issuer.example.com";

fn is_load_error(e: Error) -> bool {
    (500..=507).contains(&e.code())
        || matches!(
            e,
            Error::RsaExponent | Error::CertificateMalformed | Error::DuplicateKid
        )
}

fn behaves(key: &Key) {
    let algs = key.algorithms();
    assert!(!algs.is_empty(), "a loaded key allows no algorithm");
    let mut sig = [0u8; 513];
    for (i, b) in sig.iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(151).wrapping_add(7);
    }
    for alg in Algorithm::ALL {
        for len in SIG_LENS {
            let r = no_alloc("verify_signature", || {
                verify_signature(key, alg, MSG, &sig[..len])
            });
            if algs.contains(alg) {
                assert!(
                    matches!(r, Err(Error::BadSignature | Error::BadSignatureLength)),
                    "{alg:?} garbage signature of {len} bytes: {r:?}"
                );
            } else {
                assert_eq!(r, Err(Error::AlgNotAllowedForKey), "{alg:?} not allowed");
            }
        }
    }
    let named = key.clone().with_kid("fuzz-kid").unwrap();
    assert_eq!(named.kid(), Some("fuzz-kid"));
    assert_eq!(named.algorithms(), algs);
    // The whole path with the key pinned: a token signed by nobody is refused.
    let v = Verifier::<1>::from_key(key.clone()).unwrap();
    for alg in Algorithm::ALL.into_iter().filter(|a| algs.contains(*a)) {
        let token = format!("{}.e30.AAAA", header_b64(alg));
        let mut buf = [0u8; 256];
        let r = no_alloc("verify_jws", || {
            v.verify_jws(token.as_bytes(), algs, &mut buf)
        });
        assert!(r.is_err(), "{alg:?}: garbage token accepted");
    }
}

fn header_b64(alg: Algorithm) -> String {
    libverifier_fuzz::b64e(format!("{{\"alg\":\"{}\"}}", alg.name()).as_bytes())
}

/// A JWK that loaded carries what serde_json reads in it.
fn jwk_agrees(key: &Key, jwk: &J) {
    if let Some(J::Str(kid)) = jwk.get("kid") {
        assert_eq!(key.kid(), Some(kid.as_str()), "kid");
    } else {
        assert_eq!(key.kid(), None, "kid");
    }
    if let Some(J::Str(alg)) = jwk.get("alg") {
        let alg = Algorithm::from_name(alg).expect("a JWK with an unknown alg loaded");
        assert_eq!(key.algorithms(), verifier_core::AlgSet::of(&[alg]), "alg");
    }
    if let Some(J::Str(u)) = jwk.get("use") {
        assert_eq!(u, "sig", "a non-signature key loaded");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, input)) = data.split_first() else {
        return;
    };
    match sel % 6 {
        0 => {
            let mut set = KeySet::<4>::new();
            if sel & 0x80 != 0 {
                set.push(Key::hmac(&[7; 32], None).unwrap()).unwrap();
            }
            let before = set.len();
            // Odd keys are skipped and counted; options from the selector.
            let options = verifier_core::keys::JwksOptions {
                issuer: (sel & 0x10 != 0).then_some(ISSUER),
                allow_symmetric: sel & 0x40 != 0,
                rsa_pss: sel & 0x20 != 0,
                pss_any_salt: sel & 0x08 != 0,
            };
            match no_alloc("add_jwks", || set.add_jwks_with(input, &options)) {
                Ok(report) => {
                    let n = report.added;
                    assert!(n >= 1);
                    assert_eq!(set.len(), before + n);
                    let hs = verifier_core::AlgSet::of(&[
                        Algorithm::HS256,
                        Algorithm::HS384,
                        Algorithm::HS512,
                    ]);
                    for key in set.iter().skip(before) {
                        behaves(key);
                        assert_eq!(key.issuer(), options.issuer, "issuer binding");
                        assert!(
                            options.allow_symmetric || key.algorithms().intersect(hs).is_empty(),
                            "an oct key loaded from a JWKS without being asked for"
                        );
                    }
                    if let Ok(doc) = tree::parse(input) {
                        let Some(J::Arr(jwks)) = doc.get("keys") else {
                            panic!("a JWKS without a keys array loaded");
                        };
                        assert_eq!(
                            jwks.len(),
                            n + report.skipped(),
                            "every key added or counted"
                        );
                    }
                }
                Err(e) => {
                    assert!(is_load_error(e), "add_jwks: {e:?}");
                    assert_eq!(set.len(), before, "a failed add_jwks changed the set");
                }
            }
        }
        1 => match no_alloc("from_jwk", || Key::from_jwk(input)) {
            Ok(key) => {
                behaves(&key);
                match tree::parse(input) {
                    Ok(jwk) => jwk_agrees(&key, &jwk),
                    Err(e) => assert!(
                        e.to_string().contains("number out of range"),
                        "a JWK serde_json refuses loaded: {e}"
                    ),
                }
            }
            Err(e) => assert!(is_load_error(e), "from_jwk: {e:?}"),
        },
        2 => load(no_alloc("from_pem", || Key::from_pem(input))),
        3 => load(no_alloc("from_spki_der", || Key::from_spki_der(input))),
        // A DER certificate starts with 0x30: '{' is an X.509 map (Firebase's form).
        4 if input.first() == Some(&b'{') => {
            let mut set = KeySet::<4>::new();
            let options = verifier_core::keys::JwksOptions::default();
            match no_alloc("add_x509_map", || set.add_x509_map(input, &options)) {
                Ok(n) => {
                    assert!(n >= 1);
                    assert_eq!(set.len(), n);
                    for key in set.iter() {
                        assert!(key.kid().is_some(), "an X.509 map key without kid");
                        behaves(key);
                    }
                }
                Err(e) => {
                    assert!(is_load_error(e), "add_x509_map: {e:?}");
                    assert!(set.is_empty(), "a failed add_x509_map changed the set");
                }
            }
        }
        4 => load(no_alloc("from_certificate_der", || {
            Key::from_certificate_der(input)
        })),
        _ => {
            let alg = Algorithm::ALL.get(usize::from(sel >> 3) % 14).copied();
            match no_alloc("hmac", || Key::hmac(input, alg)) {
                Ok(key) => {
                    behaves(&key);
                    if let Some(a) = alg {
                        assert_eq!(key.algorithms(), verifier_core::AlgSet::of(&[a]));
                    }
                    for a in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
                        if key.allows(a) {
                            assert!(
                                input.len() >= a.hash().output_len(),
                                "short secret for {a:?}"
                            );
                        }
                    }
                }
                Err(e) => assert!(
                    is_load_error(e) || e == Error::AlgNotAllowedForKey,
                    "hmac: {e:?}"
                ),
            }
        }
    }
});

fn load(r: Result<Key, Error>) {
    match r {
        Ok(key) => behaves(&key),
        Err(e) => assert!(is_load_error(e), "{e:?}"),
    }
}
