//! The committed benchmark fixtures (`data/cases.json`, made by `gen_data.py`
//! with PyJWT, never by the code under test).

use serde::Deserialize;
use std::collections::BTreeMap;

/// Everything in `cases.json`.
#[derive(Deserialize)]
pub struct Cases {
    pub iat: i64,
    pub exp: i64,
    pub keys: BTreeMap<String, KeyData>,
    pub tokens: Vec<TokenCase>,
}

/// One pinned key: a JWKS of three keys (the signing one among two others),
/// the signing key alone as a JWK and as SPKI PEM for the peers, or an HMAC
/// secret.
#[derive(Deserialize)]
pub struct KeyData {
    pub kid: String,
    pub jwks: Option<String>,
    /// The signing key's JWK (the JWKS's middle entry), as JWKS users key peers.
    pub jwk: Option<String>,
    pub pem: Option<String>,
    /// base64url HMAC secret.
    pub secret: Option<String>,
}

/// One token to verify.
#[derive(Deserialize, Clone)]
pub struct TokenCase {
    /// Benchmark group, e.g. `RS256-2048` (RSA groups name the modulus size).
    pub group: String,
    pub alg: String,
    pub key: String,
    /// `clerk`, `logto` or `large`.
    pub shape: String,
    pub token: String,
}

/// The parsed fixtures.
pub fn cases() -> Cases {
    serde_json::from_str(include_str!("../data/cases.json")).expect("data/cases.json")
}

/// The HMAC secret of a key, decoded.
pub fn secret(k: &KeyData) -> Vec<u8> {
    use base64ct::{Base64UrlUnpadded, Encoding as _};
    Base64UrlUnpadded::decode_vec(k.secret.as_deref().expect("secret")).expect("base64url secret")
}

impl TokenCase {
    /// Whether the criterion groups run this case. They keep RS256 and PS256
    /// at every modulus size, RS384/RS512 at 2048 bits and every non-RSA
    /// group; the other RSA groups (the SHA-384/512 variants at 3072 and 4096,
    /// PS384, PS512) run in `interleaved`, or in criterion with
    /// `BENCH_ALL_RSA=1`.
    pub fn in_criterion(&self) -> bool {
        let all = std::env::var_os("BENCH_ALL_RSA").is_some_and(|v| v != "0");
        all || !self.key.starts_with("rsa")
            || self.alg == "RS256"
            || self.alg == "PS256"
            || self.group == "RS384-2048"
            || self.group == "RS512-2048"
    }
}
