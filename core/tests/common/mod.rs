//! Shared helpers for the integration tests: paths to the vectors and fixtures.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared/testvectors/<rel>` from the repository root.
pub fn vector_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/testvectors")
        .join(rel)
}

/// `core/tests/data/<rel>`.
pub fn data_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

pub fn read_json(path: PathBuf) -> serde_json::Value {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

pub fn b64url_decode(s: &str) -> Vec<u8> {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::decode_vec(s.trim()).unwrap()
}

/// A JSON string of hex digits, decoded.
pub fn hex(v: &serde_json::Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

/// Every test of a Wycheproof ECDSA P1363 file (`wycheproof/<file>`): `key`
/// turns each group's uncompressed SEC1 public key into whatever the caller
/// verifies with, `verdict` judges one (key, message, signature, test label).
/// A "valid" test must be accepted and an "invalid" one refused; returns
/// (accepted, refused), and both must be non-zero.
pub fn wycheproof_p1363<K>(
    file: &str,
    mut key: impl FnMut(&[u8]) -> K,
    mut verdict: impl FnMut(&K, &[u8], &[u8], &str) -> bool,
) -> (usize, usize) {
    let doc = read_json(vector_path(&format!("wycheproof/{file}")));
    let (mut valid, mut invalid) = (0, 0);
    for group in doc["testGroups"].as_array().unwrap() {
        let k = key(&hex(&group["publicKey"]["uncompressed"]));
        for t in group["tests"].as_array().unwrap() {
            let tc = format!("tc {}", t["tcId"]);
            let got = verdict(&k, &hex(&t["msg"]), &hex(&t["sig"]), &tc);
            match t["result"].as_str().unwrap() {
                "valid" => assert!(got, "{tc}"),
                "invalid" => assert!(!got, "{tc}"),
                _ => {}
            }
            if got { valid += 1 } else { invalid += 1 }
        }
    }
    assert!(
        valid > 0 && invalid > 0,
        "{file}: {valid} accepted, {invalid} refused"
    );
    (valid, invalid)
}
