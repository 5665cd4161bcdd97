//! Tokens signed by an independent implementation (PyJWT over Python's
//! `cryptography`, see scripts/gen_fixtures.py): every algorithm and key size,
//! each attack, each claims rule, with the exact error asserted.
// Every algorithm family (`ecdsa` is P-256 and P-384).
#![cfg(all(
    feature = "rsa-large",
    feature = "ecdsa",
    feature = "eddsa",
    feature = "hmac"
))]

mod common;

use common::{apply_policy_options, data_path, fixture_keys, read_json};
use serde_json::Value as J;
use verifier_core::{Error, Policy, Verifier, scratch_len};

fn v(s: &[String]) -> Vec<&str> {
    s.iter().map(String::as_str).collect()
}

fn strs(p: &J, name: &str) -> Vec<String> {
    p[name]
        .as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

#[test]
fn independent_tokens_get_the_expected_verdict() {
    let doc = read_json(data_path("tokens.json"));
    let jwks = read_json(data_path("keys/jwks.json"));
    let mut failures = Vec::new();
    let cases = doc["cases"].as_array().unwrap();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let token = case["token"].as_str().unwrap();
        let now = case["now"].as_i64().unwrap();
        let p = &case["policy"];
        let verifier = Verifier::new(fixture_keys(case["keys"].as_str().unwrap(), &jwks)).unwrap();

        let (iss, aud, azp, cid, typ, scopes) = (
            strs(p, "issuers"),
            strs(p, "audiences"),
            strs(p, "authorized_parties"),
            strs(p, "client_ids"),
            strs(p, "typ"),
            strs(p, "scopes"),
        );
        let (iss, aud, azp, cid, typ, scopes) =
            (v(&iss), v(&aud), v(&azp), v(&cid), v(&typ), v(&scopes));
        let mut policy: Policy<'_> = match p["preset"].as_str() {
            Some("clerk") => Policy::clerk(&iss, &azp).unwrap(),
            Some("logto") => Policy::logto(&iss, &aud, &cid).unwrap(),
            None => Policy {
                issuers: &iss,
                audiences: &aud,
                authorized_parties: &azp,
                client_ids: &cid,
                typ: &typ,
                required_scopes: &scopes,
                ..Policy::default()
            },
            Some(other) => panic!("preset {other}"),
        };
        apply_policy_options(&mut policy, p);
        policy.validate().unwrap();

        let mut buf = vec![0u8; scratch_len(token.len())];
        let got = verifier.verify(token.as_bytes(), now, &policy, &mut buf);
        let expect = case["expect"].as_str().unwrap();
        match (&got, expect) {
            (Ok(ok), "ok") => {
                for (k, want) in case["claims"].as_object().unwrap() {
                    let c = &ok.claims;
                    let have: Option<J> = match k.as_str() {
                        "sub" => c.sub().map(Into::into),
                        "iss" => c.iss().map(Into::into),
                        "azp" => c.azp().map(Into::into),
                        "sid" => c.sid().map(Into::into),
                        "client_id" => c.client_id().map(Into::into),
                        "scope" => c.scope().map(Into::into),
                        "exp" => c.exp().map(Into::into),
                        other => panic!("claim {other}"),
                    };
                    if have.as_ref() != Some(want) {
                        failures.push(format!("{name}: claim {k} = {have:?}, want {want}"));
                    }
                }
            }
            (Err(e), want) if e.name() == want => {}
            _ => failures.push(format!("{name}: got {:?}, want {expect}", got.map(|_| ()))),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases wrong:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    println!("{} independent-implementation cases passed", cases.len());
}

#[test]
fn every_error_a_fixture_expects_exists() {
    let doc = read_json(data_path("tokens.json"));
    for case in doc["cases"].as_array().unwrap() {
        let e = case["expect"].as_str().unwrap();
        assert!(e == "ok" || Error::ALL.iter().any(|x| x.name() == e), "{e}");
    }
}
