//! The in-place construction paths (`KeySet::add_jwk`, `add_pem`,
//! `add_spki_der`, `add_rsa`; `Verifier::empty` with `keys_mut`) against the
//! by-value ones they replace on a device, and the signature decoded into the
//! caller's scratch against its stack fallback: same keys, same verdicts, same
//! errors in the same order.
// Every algorithm family (`ecdsa` is P-256, P-384 and P-521).
#![cfg(all(
    feature = "rsa-large",
    feature = "ecdsa",
    feature = "eddsa",
    feature = "hmac"
))]

mod common;

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use common::{data_path, read_json};
use serde_json::Value as J;
use verifier_core::{AlgSet, Error, Key, KeySet, Policy, Verifier, scratch_len};

fn jwks() -> Vec<String> {
    read_json(data_path("keys/jwks.json"))["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(J::to_string)
        .collect()
}

/// What a test can see of a key: its id and algorithms (the material is
/// compared through verdicts below).
fn shown(key: Result<&Key, Error>) -> Result<String, Error> {
    key.map(|k| format!("{k:?}"))
}

/// JWKs every reader must treat alike: the fixtures' keys and hostile ones,
/// each failing at a different step of reading.
fn jwk_cases() -> Vec<String> {
    let mut cases = jwks();
    let rsa: J = serde_json::from_str(&cases[0]).unwrap();
    let ec: J = serde_json::from_str(&cases[3]).unwrap();
    let with = |base: &J, name: &str, value: J| {
        let mut k = base.clone();
        k[name] = value;
        k.to_string()
    };
    let without = |base: &J, name: &str| {
        let mut k = base.clone();
        k.as_object_mut().unwrap().remove(name);
        k.to_string()
    };
    cases.extend([
        "not json".to_owned(),
        "[]".to_owned(),
        without(&rsa, "kty"),
        without(&rsa, "n"),
        with(&rsa, "n", J::from("AQAB")),
        with(&rsa, "n", J::from("!!")),
        with(&rsa, "e", J::from("AA")),
        with(&rsa, "alg", J::from("RS512")),
        with(&rsa, "alg", J::from("ES256")),
        with(&rsa, "alg", J::from("XX999")),
        with(&rsa, "use", J::from("enc")),
        with(&rsa, "key_ops", J::from(vec!["encrypt"])),
        with(&rsa, "key_ops", J::from("verify")),
        with(&rsa, "kid", J::from("k".repeat(64))),
        with(&rsa, "kid", J::from("k".repeat(65))),
        with(&rsa, "kid", J::from(7)),
        with(&ec, "x", J::from("AAAA")),
        with(&ec, "crv", J::from("P-521")),
        with(&ec, "alg", J::from("ES256")),
        with(&ec, "kid", J::from("caf\u{e9}")),
        r#"{"kty":"EC","crv":"P-256","x":"AAAA\u0041","y":"AAAA"}"#.to_owned(),
    ]);
    cases
}

#[test]
fn add_jwk_builds_what_from_jwk_builds() {
    for jwk in jwk_cases() {
        let mut set = KeySet::<2>::new();
        let got = set.add_jwk(jwk.as_bytes());
        let want = Key::from_jwk(jwk.as_bytes());
        assert_eq!(
            got.map(|()| set.len()),
            want.as_ref().map(|_| 1).map_err(|e| *e),
            "{jwk}"
        );
        if got.is_ok() {
            assert_eq!(
                shown(set.get(0).ok_or(Error::NoKeys)),
                shown(want.as_ref().map_err(|e| *e)),
                "{jwk}"
            );
        } else {
            // On error the set is unchanged and its slot free again.
            assert!(set.is_empty() && set.get(0).is_none(), "{jwk}");
        }
    }
}

#[test]
fn a_full_set_names_a_bad_key_before_too_many_keys() {
    let keys = jwks();
    let mut set = KeySet::<1>::new();
    set.add_jwk(keys[0].as_bytes()).unwrap();
    assert_eq!(set.add_jwk(keys[3].as_bytes()), Err(Error::TooManyKeys));
    assert_eq!(set.add_jwk(b"not json"), Err(Error::KeyMalformed));
    // The encryption key, and secp256k1: what push(Key::from_jwk(..)?) says.
    assert_eq!(set.add_jwk(keys[11].as_bytes()), Err(Error::KeyUnsupported));
    assert_eq!(set.add_jwk(keys[10].as_bytes()), Err(Error::KeyUnsupported));
    assert_eq!(set.len(), 1);
    assert_eq!(set.get(0).unwrap().kid(), Some("rsa2048"));
}

/// PEM documents of the fixtures, and the DER inside each.
fn pems() -> Vec<(String, Vec<u8>, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(data_path("keys")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "pem") {
            let pem = std::fs::read_to_string(&path).unwrap();
            let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
            let der = Base64::decode_vec(&body).unwrap();
            out.push((path.display().to_string(), pem.into_bytes(), der));
        }
    }
    out.sort();
    assert!(out.len() >= 8);
    out
}

#[test]
fn add_pem_and_add_spki_der_build_what_the_by_value_constructors_build() {
    for (name, pem, der) in pems() {
        let mut set = KeySet::<1>::new();
        let got = set
            .add_pem(&pem)
            .map(|()| shown(set.get(0).ok_or(Error::NoKeys)));
        let want = Key::from_pem(&pem).map(|k| shown(Ok(&k)));
        assert_eq!(got, want, "{name}");
        assert!(got.is_ok(), "{name}");

        // A certificate is not an SPKI: both paths refuse it alike.
        let mut set = KeySet::<1>::new();
        let got = set
            .add_spki_der(&der)
            .map(|()| shown(set.get(0).ok_or(Error::NoKeys)));
        let want = Key::from_spki_der(&der).map(|k| shown(Ok(&k)));
        assert_eq!(got, want, "{name}");
        assert_eq!(got.is_ok(), !name.ends_with(".cert.pem"), "{name}");
        assert_eq!(set.len(), usize::from(got.is_ok()));
    }
    let mut set = KeySet::<1>::new();
    assert_eq!(
        set.add_pem(b"-----BEGIN NOTHING-----\n-----END NOTHING-----\n"),
        Err(Error::KeyMalformed)
    );
    assert_eq!(
        set.add_spki_der(&[0x30, 0x00]),
        Key::from_spki_der(&[0x30, 0x00]).map(|_| ())
    );
    assert!(set.is_empty());
}

#[test]
fn add_rsa_builds_what_key_rsa_builds() {
    let keys = jwks();
    let n_e = |i: usize| {
        let k: J = serde_json::from_str(&keys[i]).unwrap();
        let n = Base64UrlUnpadded::decode_vec(k["n"].as_str().unwrap()).unwrap();
        let e = Base64UrlUnpadded::decode_vec(k["e"].as_str().unwrap()).unwrap();
        (n, e)
    };
    for i in 0..3 {
        let (n, e) = n_e(i);
        let mut set = KeySet::<1>::new();
        assert_eq!(set.add_rsa(&n, &e), Ok(()));
        assert_eq!(
            shown(set.get(0).ok_or(Error::NoKeys)),
            shown(Key::rsa(&n, &e).as_ref().map_err(|e| *e))
        );
    }
    let (n, e) = n_e(0);
    let mut set = KeySet::<1>::new();
    for (n, e, want) in [
        (&n[..200], &e[..], Error::RsaKeySize),
        (&n[..], &[2u8][..], Error::RsaExponent),
        (&n[..], &[1u8, 0, 0, 0, 1][..], Error::RsaExponent),
        (&[][..], &e[..], Error::RsaKeySize),
    ] {
        assert_eq!(set.add_rsa(n, e), Err(want));
        assert_eq!(Key::rsa(n, e).err(), Some(want));
    }
    assert!(set.is_empty());
}

/// A verifier over the fixtures' JWKS built the by-value way, and one built in
/// place in caller storage, key by key, skipping what `add_jwks` skips.
fn both_verifiers() -> (Verifier<16>, Box<Verifier<16>>) {
    let text = std::fs::read(data_path("keys/jwks.json")).unwrap();
    // The fixtures' JWKS is private and holds HMAC secrets: asked for.
    let mut keys = KeySet::<16>::new();
    let options = verifier_core::keys::JwksOptions {
        allow_symmetric: true,
        ..Default::default()
    };
    keys.add_jwks_with(&text, &options).unwrap();
    let by_value = Verifier::<16>::new(keys).unwrap();
    let mut in_place = Box::new(Verifier::<16>::empty());
    for jwk in jwks() {
        match in_place.keys_mut().add_jwk(jwk.as_bytes()) {
            Ok(()) | Err(Error::KeyUnsupported) => {}
            Err(e) => panic!("{jwk}: {e:?}"),
        }
    }
    // `ecdsa` includes P-521: every key but secp256k1 and the encryption key.
    assert_eq!(in_place.keys().len(), 10);
    let kids = |v: &Verifier<16>| {
        v.keys()
            .iter()
            .map(|k| format!("{k:?}"))
            .collect::<Vec<_>>()
    };
    assert_eq!(kids(&in_place), kids(&by_value));
    (by_value, in_place)
}

#[test]
fn a_verifier_filled_in_place_gives_the_same_verdicts() {
    let (by_value, in_place) = both_verifiers();
    let doc = read_json(data_path("tokens.json"));
    let mut verified = 0;
    for case in doc["cases"].as_array().unwrap() {
        let token = case["token"].as_str().unwrap().as_bytes();
        let now = case["now"].as_i64().unwrap();
        let policy: Policy<'_> = Policy {
            require_sub: false,
            ..Policy::default()
        };
        let mut a = vec![0u8; scratch_len(token.len())];
        let mut b = vec![0u8; scratch_len(token.len())];
        let want = by_value.verify(token, now, &policy, &mut a);
        let got = in_place.verify(token, now, &policy, &mut b);
        assert_eq!(format!("{got:?}"), format!("{want:?}"), "{}", case["name"]);
        verified += usize::from(got.is_ok());
    }
    assert!(verified > 40, "{verified}");
}

#[test]
fn an_empty_verifier_refuses_with_no_keys_until_filled() {
    static EMPTY: Verifier<1> = Verifier::empty();
    assert!(EMPTY.keys().is_empty());

    let doc = read_json(data_path("tokens.json"));
    let case = &doc["cases"][0];
    assert_eq!(case["name"], "valid RS256 rsa2048");
    let token = case["token"].as_str().unwrap().as_bytes();
    let now = case["now"].as_i64().unwrap();
    let policy: Policy<'_> = Policy::default();
    let mut buf = vec![0u8; scratch_len(token.len())];

    let mut v = Verifier::<1>::empty();
    assert_eq!(v.max_token_len(), verifier_core::DEFAULT_MAX_TOKEN_LEN);
    assert_eq!(
        v.verify(token, now, &policy, &mut buf).err(),
        Some(Error::NoKeys)
    );
    // Framing is judged before keys.
    assert_eq!(
        v.verify(b"a.b", now, &policy, &mut buf).err(),
        Some(Error::MalformedToken)
    );
    v.keys_mut().add_jwk(jwks()[0].as_bytes()).unwrap();
    let ok = v.verify(token, now, &policy, &mut buf).unwrap();
    assert_eq!((ok.key_index, ok.claims.sub()), (0, Some("user_123")));
    v.set_max_token_len(token.len() - 1);
    assert_eq!(v.max_token_len(), token.len() - 1);
    assert_eq!(
        v.verify(token, now, &policy, &mut buf).err(),
        Some(Error::TokenTooLarge)
    );
    v.set_max_token_len(token.len());
    assert!(v.verify(token, now, &policy, &mut buf).is_ok());
}

/// Bytes the header and payload decode to: what `verify_jws` needs at least.
fn jws_len(token: &str) -> usize {
    token.split('.').take(2).map(|s| s.len() * 3 / 4).sum()
}

#[test]
fn the_signature_in_scratch_or_on_the_stack_gives_the_same_verdict() {
    let (v, _) = both_verifiers();
    let doc = read_json(data_path("tokens.json"));
    let mut cases = 0;
    for case in doc["cases"].as_array().unwrap() {
        let token = case["token"].as_str().unwrap();
        if token.split('.').count() != 3 || case["keys"] != "jwks" {
            continue;
        }
        let need = jws_len(token);
        let mut big = vec![0u8; scratch_len(token.len())];
        let want = v
            .verify_jws(token.as_bytes(), AlgSet::ALL, &mut big)
            .map(|j| (j.key_index, j.payload.to_vec()));
        // Errors found before the buffer is looked at.
        if matches!(
            want,
            Err(Error::BadBase64 | Error::MalformedToken | Error::TokenTooLarge)
        ) {
            continue;
        }
        // Below `need` the buffer is too small; from `need` up, the signature
        // is decoded on the stack until it fits after the payload, then in
        // the scratch: each size gives the same verdict.
        let slen = token.rsplit('.').next().unwrap().len() * 3 / 4;
        let edges = [need + slen - 1, need + slen, need + slen + 1, big.len()];
        for len in (need.saturating_sub(2)..need + 2).chain(edges) {
            let mut buf = vec![0u8; len];
            let got = v
                .verify_jws(token.as_bytes(), AlgSet::ALL, &mut buf)
                .map(|j| (j.key_index, j.payload.to_vec()));
            if len < need {
                assert_eq!(got, Err(Error::BufferTooSmall), "{} at {len}", case["name"]);
            } else {
                assert_eq!(got, want, "{} at {len} (need {need})", case["name"]);
            }
        }
        cases += 1;
    }
    assert!(cases > 100, "{cases}");
}
