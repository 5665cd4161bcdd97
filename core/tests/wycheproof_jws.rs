//! Wycheproof `json_web_signature_test.json`: whole-JWS cases read as they are.
//! Every `valid` case must verify and every `invalid` one must be refused;
//! skips are counted and named.
#![cfg(all(feature = "rsa", feature = "p256", feature = "hmac"))]

mod common;

use common::{read_json, vector_path};
use verifier_core::{AlgSet, Error, Key, Verifier};

#[test]
fn wycheproof_json_web_signature() {
    let doc = read_json(vector_path("wycheproof/json_web_signature_test.json"));
    let (mut accepted, mut rejected) = (0, 0);
    let mut skipped: Vec<String> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    for group in doc["testGroups"].as_array().unwrap() {
        let jwk = if group["public"].is_object() {
            &group["public"]
        } else {
            &group["private"]
        };
        let key = Key::from_jwk(jwk.to_string().as_bytes());
        for t in group["tests"].as_array().unwrap() {
            let id = t["tcId"].as_u64().unwrap();
            let valid = t["result"] == "valid";
            assert!(
                t["result"] == "valid" || t["result"] == "invalid",
                "tc {id}"
            );
            let Some(token) = t["jws"].as_str() else {
                skipped.push(format!(
                    "tc {id}: JSON serialization (libverifier takes compact JWS only)"
                ));
                continue;
            };
            let verdict: Result<(), Error> = match &key {
                Err(e) => Err(*e),
                Ok(k) => {
                    let verifier = Verifier::<1>::from_key(k.clone()).unwrap();
                    let mut buf = vec![0u8; token.len()];
                    verifier
                        .verify_jws(token.as_bytes(), AlgSet::ALL, &mut buf)
                        .map(|_| ())
                }
            };
            match (valid, verdict) {
                (true, Ok(())) => accepted += 1,
                (false, Err(_)) => rejected += 1,
                (true, Err(Error::KeyUnsupported))
                    if jwk["crv"] == "P-521" && !cfg!(feature = "p521") =>
                {
                    skipped.push(format!("tc {id}: ES512 / P-521 is not in this build"));
                }
                (true, Err(Error::KeyUnsupported))
                    if jwk["crv"] == "P-521" && jwk["alg"] == "ES521" =>
                {
                    // The vector's key (RFC 7520 figure 27) says alg "ES521",
                    // which is not a registered alg: libverifier refuses a JWK
                    // whose alg it does not know (RFC 7517 4.4). The ES512
                    // signature itself is checked below with alg removed.
                    let mut unrestricted = jwk.clone();
                    unrestricted.as_object_mut().unwrap().remove("alg");
                    let k = Key::from_jwk(unrestricted.to_string().as_bytes()).unwrap();
                    let v = Verifier::<1>::from_key(k).unwrap();
                    let mut buf = vec![0u8; token.len()];
                    assert!(
                        v.verify_jws(token.as_bytes(), AlgSet::ALL, &mut buf)
                            .is_ok(),
                        "tc {id} without alg"
                    );
                    skipped.push(format!("tc {id}: key alg \"ES521\" (unregistered), refused by JWK alg; verified with alg removed"));
                }
                (true, Err(Error::AlgNotAllowedForKey))
                    if jwk["alg"] == "PS256" && token.starts_with("eyJhbGciOiJQUzM4NCIs") =>
                {
                    // The vector's key says alg PS256 but the token is PS384 (RFC 7520
                    // figure 20). libverifier enforces a JWK's alg (RFC 7517 4.4), so it
                    // refuses; the signature itself is checked below with alg removed.
                    let mut unrestricted = jwk.clone();
                    unrestricted.as_object_mut().unwrap().remove("alg");
                    // Without alg an RSA key serves PKCS#1 only: widen it to PSS.
                    let k = Key::from_jwk(unrestricted.to_string().as_bytes())
                        .unwrap()
                        .with_alg(verifier_core::Algorithm::PS384)
                        .unwrap();
                    let v = Verifier::<1>::from_key(k).unwrap();
                    let mut buf = vec![0u8; token.len()];
                    assert!(
                        v.verify_jws(token.as_bytes(), AlgSet::ALL, &mut buf)
                            .is_ok(),
                        "tc {id} without alg"
                    );
                    skipped.push(format!("tc {id}: key alg PS256 vs token PS384, refused by JWK alg; verified with alg removed"));
                }
                (false, Ok(())) if same_as_valid(group, token) => {
                    skipped.push(format!(
                        "tc {id}: marked invalid, but its bytes equal a valid case of the same group (the padding it names is not in the file)"
                    ));
                }
                (true, Err(Error::BadBase64)) if token.contains('?') => {
                    // Valid only for a decoder that drops characters outside the
                    // alphabet; RFC 7515 2 and this library's strict decoding refuse them.
                    skipped.push(format!(
                        "tc {id}: '?' inside a segment, refused as bad base64url by design"
                    ));
                }
                (valid, verdict) => failures.push(format!(
                    "tc {id} ({}): valid={valid} got {verdict:?}",
                    t["comment"]
                )),
            }
        }
    }
    println!(
        "wycheproof JWS: {accepted} accepted, {rejected} rejected, {} skipped",
        skipped.len()
    );
    for s in &skipped {
        println!("  skipped {s}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Pin the skip count so a regression that skips more cases fails here.
    assert_eq!(skipped.len(), EXPECTED_SKIPS, "{skipped:#?}");
}

fn same_as_valid(group: &serde_json::Value, token: &str) -> bool {
    group["tests"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["result"] == "valid" && t["jws"] == token)
}

/// Two P-521 (ES512) cases whose key says alg "ES521" (verified with alg
/// removed; without `p521`, not in the build), two PS256-key/PS384-token
/// cases, two invalid cases identical to a valid one, two with '?' inside
/// base64url.
const EXPECTED_SKIPS: usize = 8;
