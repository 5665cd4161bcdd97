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
    key: impl FnMut(&[u8]) -> K,
    verdict: impl FnMut(&K, &[u8], &[u8], &str) -> bool,
) -> (usize, usize) {
    wycheproof_p1363_at(vector_path(&format!("wycheproof/{file}")), key, verdict)
}

/// [`wycheproof_p1363`] for a file at `path` (the vectors kept in
/// `core/tests/data/wycheproof/`).
pub fn wycheproof_p1363_at<K>(
    path: PathBuf,
    mut key: impl FnMut(&[u8]) -> K,
    mut verdict: impl FnMut(&K, &[u8], &[u8], &str) -> bool,
) -> (usize, usize) {
    let file = path.display().to_string();
    let doc = read_json(path);
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

/// Deterministic pseudo-random bytes (SHA-256 in counter mode): no RNG needed.
pub fn seeded_bytes(seed: &str, i: u32, len: usize) -> Vec<u8> {
    use sha2::Digest as _;
    let mut out = Vec::new();
    let mut c = 0u32;
    while out.len() < len {
        out.extend(sha2::Sha256::digest(format!("{seed}/{i}/{c}")));
        c += 1;
    }
    out.truncate(len);
    out
}

/// Mutations of a good P1363 signature `r || s` and its digest, the original
/// first: a flipped bit in r and in s at several places (chosen by `i`), a
/// flipped digest bit, and r and s swapped.
pub fn signature_mutations(sig: &[u8], digest: &[u8], i: u32) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = vec![(sig.to_vec(), digest.to_vec())];
    for pos in [
        0,
        sig.len() / 2 - 1,
        sig.len() / 2,
        sig.len() - 1,
        (i as usize * 7) % sig.len(),
    ] {
        let mut s = sig.to_vec();
        s[pos] ^= 1 << (i % 8);
        out.push((s, digest.to_vec()));
    }
    let mut d = digest.to_vec();
    let at = i as usize % d.len();
    d[at] ^= 0x80;
    out.push((sig.to_vec(), d));
    let (r, s) = sig.split_at(sig.len() / 2);
    out.push(([s, r].concat(), digest.to_vec()));
    out
}

/// The options of a fixture policy (`tokens.json`'s `policy` object) beyond
/// its string sets and preset: leeway, maximum age, `require_exp`,
/// `require_sub` and the algorithm list, each only when the case gives it.
pub fn apply_policy_options<S: AsRef<str>>(
    policy: &mut verifier_core::Policy<'_, S>,
    p: &serde_json::Value,
) {
    if let Some(l) = p["leeway"].as_u64() {
        policy.leeway = l as u32;
    }
    if let Some(m) = p["max_age"].as_u64() {
        policy.max_age = Some(m as u32);
    }
    if let Some(b) = p["require_exp"].as_bool() {
        policy.require_exp = b;
    }
    if let Some(b) = p["require_sub"].as_bool() {
        policy.require_sub = b;
    }
    if let Some(a) = p["algorithms"].as_array() {
        policy.algorithms = a.iter().fold(verifier_core::AlgSet::EMPTY, |s, n| {
            s.with(verifier_core::Algorithm::from_name(n.as_str().unwrap()).unwrap())
        });
    }
}

/// Small deterministic generator (xorshift64) for randomised test loops.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// The keys a fixture case of `tokens.json` names: `jwks` (the whole
/// `keys/jwks.json`), `pem:<file>`, `secret:<kid>` or `jwk:<kid>` (one key of
/// the JWKS).
#[cfg(feature = "hmac")]
pub fn fixture_keys(source: &str, jwks: &serde_json::Value) -> verifier_core::KeySet<16> {
    let mut set = verifier_core::KeySet::new();
    if source == "jwks" {
        let text = std::fs::read(data_path("keys/jwks.json")).unwrap();
        // 10 usable keys; a secp256k1 key and an encryption key are skipped
        // (and the P-521 key in a build without `p521`).
        // The fixtures' JWKS is private and holds HMAC secrets: asked for.
        // Its RSA keys (no JWK alg) sign both RS* and PS* fixtures: widened.
        let options = verifier_core::keys::JwksOptions {
            allow_symmetric: true,
            rsa_pss: true,
            ..Default::default()
        };
        let report = set.add_jwks_with(&text, &options).unwrap();
        let want = if cfg!(feature = "p521") {
            (10, 2)
        } else {
            (9, 3)
        };
        assert_eq!((report.added, report.skipped()), want);
    } else if let Some(file) = source.strip_prefix("pem:") {
        let pem = std::fs::read(data_path(&format!("keys/{file}"))).unwrap();
        let key = verifier_core::Key::from_pem(&pem).unwrap();
        // RSA keys serve PKCS#1 only unless widened; the fixtures sign PSS too.
        let all = key.capabilities();
        set.push(key.with_algorithms(all).unwrap()).unwrap();
    } else if let Some(kid) = source.strip_prefix("secret:") {
        let secret =
            std::fs::read_to_string(data_path(&format!("keys/{kid}.secret.b64url"))).unwrap();
        let alg = verifier_core::Algorithm::from_name(&kid.to_uppercase()).unwrap();
        set.push(verifier_core::Key::hmac(&b64url_decode(&secret), Some(alg)).unwrap())
            .unwrap();
    } else if let Some(kid) = source.strip_prefix("jwk:") {
        let jwk = jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kid"] == kid)
            .unwrap();
        set.push(verifier_core::Key::from_jwk(jwk.to_string().as_bytes()).unwrap())
            .unwrap();
    } else {
        panic!("unknown key source {source}");
    }
    set
}

/// The fixtures' JWKS document, as bytes.
pub fn read_fixture_jwks() -> Vec<u8> {
    std::fs::read(data_path("keys/jwks.json")).unwrap()
}

/// One key of the fixtures' JWKS, by kid, as JSON text.
pub fn fixture_jwk(kid: &str) -> String {
    let jwks = read_json(data_path("keys/jwks.json"));
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid)
        .unwrap_or_else(|| panic!("no fixture key {kid}"))
        .to_string()
}

/// The token of the `tokens.json` case named `name`.
pub fn fixture_token(name: &str) -> String {
    let doc = read_json(data_path("tokens.json"));
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no fixture case {name}"))["token"]
        .as_str()
        .unwrap()
        .to_string()
}
