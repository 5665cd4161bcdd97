//! Wycheproof primitive vectors (ECDSA P1363, Ed25519, HMAC) through the core's
//! own key loading (`Key::from_spki_der`, `Key::hmac`) and signature check
//! (`verify_signature`), read as they are. Skips are counted and named.
#![cfg(all(
    feature = "p256",
    feature = "p384",
    feature = "eddsa",
    feature = "hmac"
))]

mod common;

use common::{data_path, hex, read_json, vector_path};
use verifier_core::{Algorithm, Error, Key, verify_signature};

struct Tally {
    file: &'static str,
    accepted: usize,
    rejected: usize,
    skipped: Vec<String>,
    failures: Vec<String>,
}

impl Tally {
    fn new(file: &'static str) -> Self {
        Tally {
            file,
            accepted: 0,
            rejected: 0,
            skipped: vec![],
            failures: vec![],
        }
    }
    fn record(&mut self, id: u64, result: &str, verdict: Result<(), Error>) {
        match (result, verdict) {
            ("valid", Ok(())) => self.accepted += 1,
            ("invalid", Err(_)) => self.rejected += 1,
            ("acceptable", Ok(())) => self.accepted += 1,
            ("acceptable", Err(_)) => self.rejected += 1,
            (r, v) => self
                .failures
                .push(format!("{} tc {id}: {r} but {v:?}", self.file)),
        }
    }
    fn finish(self, expected_skips: usize) {
        println!(
            "{}: {} accepted, {} rejected, {} skipped",
            self.file,
            self.accepted,
            self.rejected,
            self.skipped.len()
        );
        let mut reasons = std::collections::BTreeMap::<&str, usize>::new();
        for s in &self.skipped {
            *reasons
                .entry(s.split_once(": ").map_or(s.as_str(), |(_, r)| r))
                .or_default() += 1;
        }
        for (reason, n) in reasons {
            println!("  skipped {n}: {reason}");
        }
        assert!(self.failures.is_empty(), "{}", self.failures.join("\n"));
        assert!(self.accepted > 0);
        assert_eq!(self.skipped.len(), expected_skips, "{:#?}", self.skipped);
    }
}

fn signature_file(file: &'static str, alg: Algorithm, expected_skips: usize) {
    signature_file_at(
        file,
        vector_path(&format!("wycheproof/{file}")),
        alg,
        expected_skips,
    )
}

fn signature_file_at(
    file: &'static str,
    path: std::path::PathBuf,
    alg: Algorithm,
    expected_skips: usize,
) {
    let doc = read_json(path);
    let mut tally = Tally::new(file);
    for group in doc["testGroups"].as_array().unwrap() {
        let key = Key::from_spki_der(&hex(&group["publicKeyDer"]));
        for t in group["tests"].as_array().unwrap() {
            let id = t["tcId"].as_u64().unwrap();
            let verdict = match &key {
                Ok(k) => verify_signature(k, alg, &hex(&t["msg"]), &hex(&t["sig"])),
                Err(e) => Err(*e),
            };
            tally.record(id, t["result"].as_str().unwrap(), verdict);
        }
    }
    tally.finish(expected_skips);
}

#[test]
fn ecdsa_p256_p1363() {
    signature_file(
        "ecdsa_secp256r1_sha256_p1363_test.json",
        Algorithm::ES256,
        0,
    );
}

#[test]
fn ecdsa_p384_p1363() {
    signature_file(
        "ecdsa_secp384r1_sha384_p1363_test.json",
        Algorithm::ES384,
        0,
    );
}

/// ES512: the vectors kept in `core/tests/data/wycheproof/` (see its README),
/// keys through `Key::from_spki_der` (secp521r1), no skip.
#[cfg(feature = "p521")]
#[test]
fn ecdsa_p521_p1363() {
    signature_file_at(
        "ecdsa_secp521r1_sha512_p1363_test.json",
        data_path("wycheproof/ecdsa_secp521r1_sha512_p1363_test.json"),
        Algorithm::ES512,
        0,
    );
}

#[test]
fn ed25519() {
    signature_file("ed25519_test.json", Algorithm::EdDSA, 0);
}

fn hmac_file(file: &'static str, alg: Algorithm, expected_skips: usize) {
    let doc = read_json(vector_path(&format!("wycheproof/{file}")));
    let mut tally = Tally::new(file);
    let full = alg.hash().output_len() * 8;
    for group in doc["testGroups"].as_array().unwrap() {
        let (key_bits, tag_bits) = (
            group["keySize"].as_u64().unwrap() as usize,
            group["tagSize"].as_u64().unwrap() as usize,
        );
        for t in group["tests"].as_array().unwrap() {
            let id = t["tcId"].as_u64().unwrap();
            if tag_bits != full {
                tally.skipped.push(format!(
                    "tc {id}: {tag_bits}-bit truncated tag (JWS tags are never truncated)"
                ));
                continue;
            }
            let key = Key::hmac(&hex(&t["key"]), Some(alg));
            if key_bits < full {
                // JWS (RFC 7518 3.2) forbids keys shorter than the hash output: refused at load.
                assert_eq!(key.err(), Some(Error::HmacKeyTooShort), "tc {id}");
                tally.skipped.push(format!(
                    "tc {id}: {key_bits}-bit key, shorter than the hash, refused at load"
                ));
                continue;
            }
            let verdict = verify_signature(&key.unwrap(), alg, &hex(&t["msg"]), &hex(&t["tag"]));
            tally.record(id, t["result"].as_str().unwrap(), verdict);
        }
    }
    tally.finish(expected_skips);
}

#[test]
fn hmac_sha256() {
    hmac_file("hmac_sha256_test.json", Algorithm::HS256, 90);
}

#[test]
fn hmac_sha384() {
    hmac_file("hmac_sha384_test.json", Algorithm::HS384, 90);
}

#[test]
fn hmac_sha512() {
    hmac_file("hmac_sha512_test.json", Algorithm::HS512, 90);
}
