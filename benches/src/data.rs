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
/// the signing key's SPKI PEM for the peers, or an HMAC secret.
#[derive(Deserialize)]
pub struct KeyData {
    pub kid: String,
    pub jwks: Option<String>,
    pub pem: Option<String>,
    /// base64url HMAC secret.
    pub secret: Option<String>,
}

/// One token to verify.
#[derive(Deserialize, Clone)]
pub struct TokenCase {
    /// Benchmark group, e.g. `RS256-2048`.
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
