//! One verifier per library, each doing the full path a backend does per
//! request: decode, check the signature, check the claims, hand back `sub`.
//!
//! Fairness: libverifier picks the key by `kid` among three pinned keys; the
//! peers are handed the right key directly (the best case for them). Every
//! library reads the wall clock per call and deserializes the claims it checks.
//!
//! jsonwebtoken runs keyed two ways: from the SPKI PEM, and from the JWK (as
//! a JWKS user configures it: `DecodingKey::from_jwk`, which keeps an RSA
//! key as modulus and exponent, so aws-lc takes another path per call).

use std::cell::RefCell;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use verifier_core::{AlgSet, Algorithm, Policy, Verifier, scratch_len};

use crate::data::{Cases, TokenCase, secret};

pub const CLERK_ISS: &str = "https://clerk.example.com";
pub const CLERK_AZP: &str = "https://app.example.com";
pub const LOGTO_ISS: &str = "https://tenant.logto.app/oidc";
pub const AUD: &str = "https://api.example.com";
pub const CLIENT_ID: &str = "m2mapp";

/// The libraries compared, in table order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lib {
    Libverifier,
    /// jsonwebtoken + aws-lc-rs, keyed from the PEM.
    JsonwebtokenAwsLc,
    /// jsonwebtoken + aws-lc-rs, keyed from the JWK.
    JsonwebtokenAwsLcJwk,
    JsonwebtokenRustCrypto,
    JwtSimple,
}

impl Lib {
    pub const ALL: [Lib; 5] = [
        Lib::Libverifier,
        Lib::JsonwebtokenAwsLc,
        Lib::JsonwebtokenAwsLcJwk,
        Lib::JsonwebtokenRustCrypto,
        Lib::JwtSimple,
    ];

    /// Whether the library has a row for this case (an HMAC secret has no JWK here).
    pub fn applies(self, case: &TokenCase) -> bool {
        self != Lib::JsonwebtokenAwsLcJwk || case.alg != "HS256"
    }

    /// The benchmark id's function name (and the table's column).
    pub fn name(self) -> &'static str {
        match self {
            Lib::Libverifier => "libverifier",
            Lib::JsonwebtokenAwsLc => "jsonwebtoken-aws-lc",
            Lib::JsonwebtokenAwsLcJwk => "jsonwebtoken-aws-lc-jwk",
            Lib::JsonwebtokenRustCrypto => "jsonwebtoken-rust-crypto",
            Lib::JwtSimple => "jwt-simple",
        }
    }
}

/// A ready verifier: `verify(token)` is the per-request work.
pub type VerifyFn = Box<dyn Fn(&str) -> bool>;

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The verifier of `lib` for `case`, checked once on the case's own token.
pub fn build(lib: Lib, case: &TokenCase, cases: &Cases) -> VerifyFn {
    let f = match lib {
        Lib::Libverifier => libverifier(case, cases),
        Lib::JsonwebtokenAwsLc => jsonwebtoken(case, cases, false, false),
        Lib::JsonwebtokenAwsLcJwk => jsonwebtoken(case, cases, false, true),
        Lib::JsonwebtokenRustCrypto => jsonwebtoken(case, cases, true, false),
        Lib::JwtSimple => jwt_simple(case, cases),
    };
    assert!(
        f(&case.token),
        "{} refused {} {}",
        lib.name(),
        case.group,
        case.shape
    );
    f
}

// ---------------------------------------------------------------- libverifier

/// The policy for a token shape, narrowed to the algorithm under test.
pub fn policy(shape: &str, alg: Algorithm) -> Policy<'static> {
    let algorithms = AlgSet::of(&[alg]);
    match shape {
        "clerk" => Policy {
            algorithms,
            ..Policy::clerk(&[CLERK_ISS], &[CLERK_AZP]).expect("clerk preset")
        },
        "logto" => Policy {
            algorithms,
            ..Policy::logto(&[LOGTO_ISS], &[AUD], &[CLIENT_ID]).expect("logto preset")
        },
        // The large token is an ID-token shape carrying Clerk's azp.
        _ => Policy {
            algorithms,
            authorized_parties: &[CLERK_AZP],
            ..Policy::id_token(&[CLERK_ISS], &[AUD]).expect("id-token preset")
        },
    }
}

pub fn alg(name: &str) -> Algorithm {
    Algorithm::ALL
        .into_iter()
        .find(|a| a.name() == name)
        .expect("known alg")
}

/// libverifier over the key's three-key JWKS (or its HMAC secret).
pub fn libverifier_verifier(case: &TokenCase, cases: &Cases) -> Verifier {
    let k = &cases.keys[&case.key];
    match &k.jwks {
        Some(jwks) => {
            // The PS groups sign with RSA keys whose JWKs carry no alg.
            let mut keys = verifier_core::KeySet::new();
            let options = verifier_core::keys::JwksOptions {
                rsa_pss: true,
                ..Default::default()
            };
            keys.add_jwks_with(jwks.as_bytes(), &options).expect("jwks");
            Verifier::new(keys).expect("verifier")
        }
        None => {
            let key = verifier_core::Key::hmac(&secret(k), Some(Algorithm::HS256))
                .and_then(|key| key.with_kid(&k.kid))
                .expect("hmac key");
            Verifier::from_key(key).expect("verifier")
        }
    }
}

fn libverifier(case: &TokenCase, cases: &Cases) -> VerifyFn {
    let verifier = libverifier_verifier(case, cases);
    let policy = policy(&case.shape, alg(&case.alg));
    // A backend keeps one scratch buffer per worker; allocate it once here.
    let buf = RefCell::new(vec![0u8; scratch_len(case.token.len())]);
    Box::new(move |token: &str| {
        let mut buf = buf.borrow_mut();
        match verifier.verify(token.as_bytes(), unix_now(), &policy, &mut buf) {
            Ok(v) => std::hint::black_box(v.claims.sub()).is_some(),
            Err(_) => false,
        }
    })
}

// ---------------------------------------------------------------- jsonwebtoken

/// Which jsonwebtoken backend the switching provider uses for the next call.
static USE_RUST_CRYPTO: AtomicBool = AtomicBool::new(false);

/// jsonwebtoken picks its backend through one process-wide provider. This one
/// forwards to aws-lc-rs or RustCrypto per call, so both backends run in the
/// same benchmark group of the same process (one relaxed load per call).
fn install_switching_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, aws_lc, rust_crypto};
        use jsonwebtoken::{DecodingKey, EncodingKey};
        fn pick() -> &'static CryptoProvider {
            if USE_RUST_CRYPTO.load(Ordering::Relaxed) {
                &rust_crypto::DEFAULT_PROVIDER
            } else {
                &aws_lc::DEFAULT_PROVIDER
            }
        }
        fn signer(
            a: &jsonwebtoken::Algorithm,
            k: &EncodingKey,
        ) -> jsonwebtoken::errors::Result<Box<dyn JwtSigner>> {
            (pick().signer_factory)(a, k)
        }
        fn verifier(
            a: &jsonwebtoken::Algorithm,
            k: &DecodingKey,
        ) -> jsonwebtoken::errors::Result<Box<dyn JwtVerifier>> {
            (pick().verifier_factory)(a, k)
        }
        let provider = Box::leak(Box::new(CryptoProvider {
            signer_factory: signer,
            verifier_factory: verifier,
            key_utils: aws_lc::DEFAULT_PROVIDER.key_utils.clone(),
        }));
        provider
            .install_default()
            .expect("no other jsonwebtoken provider installed");
    });
}

/// The claims a backend reads, deserialized by serde as users do.
#[derive(Deserialize)]
pub struct PeerClaims {
    pub sub: Option<String>,
    pub sid: Option<String>,
    pub azp: Option<String>,
    pub client_id: Option<String>,
    pub scope: Option<String>,
}

fn jsonwebtoken(case: &TokenCase, cases: &Cases, rust_crypto: bool, from_jwk: bool) -> VerifyFn {
    use jsonwebtoken::{DecodingKey, Validation};
    install_switching_provider();
    let k = &cases.keys[&case.key];
    let algorithm: jsonwebtoken::Algorithm = case.alg.parse().expect("alg");
    let key = match case.alg.as_str() {
        _ if from_jwk => {
            let jwk: jsonwebtoken::jwk::Jwk =
                serde_json::from_str(k.jwk.as_deref().expect("jwk")).expect("jwk json");
            DecodingKey::from_jwk(&jwk)
        }
        "HS256" => Ok(DecodingKey::from_secret(&secret(k))),
        a if a.starts_with("ES") => DecodingKey::from_ec_pem(k.pem.as_ref().unwrap().as_bytes()),
        "EdDSA" => DecodingKey::from_ed_pem(k.pem.as_ref().unwrap().as_bytes()),
        _ => DecodingKey::from_rsa_pem(k.pem.as_ref().unwrap().as_bytes()),
    }
    .expect("jsonwebtoken key");
    let mut v = Validation::new(algorithm);
    v.validate_nbf = true;
    let shape = case.shape.clone();
    match shape.as_str() {
        "clerk" => {
            v.leeway = 5;
            v.set_issuer(&[CLERK_ISS]);
            v.validate_aud = false;
        }
        "logto" => {
            v.leeway = 0;
            v.set_issuer(&[LOGTO_ISS]);
            v.set_audience(&[AUD]);
        }
        _ => {
            v.leeway = 60;
            v.set_issuer(&[CLERK_ISS]);
            v.set_audience(&[AUD]);
        }
    }
    v.set_required_spec_claims(&["exp", "sub"]);
    Box::new(move |token: &str| {
        USE_RUST_CRYPTO.store(rust_crypto, Ordering::Relaxed);
        let Ok(data) = jsonwebtoken::decode::<PeerClaims>(token, &key, &v) else {
            return false;
        };
        // What the library does not check, the caller does (as libverifier's presets do).
        let ok = match shape.as_str() {
            "clerk" => data.claims.azp.as_deref().is_none_or(|a| a == CLERK_AZP),
            "logto" => {
                data.header.typ.as_deref() == Some("at+jwt")
                    && data.claims.client_id.as_deref() == Some(CLIENT_ID)
            }
            _ => true,
        };
        ok && std::hint::black_box(&data.claims.sub).is_some()
    })
}

// ---------------------------------------------------------------- jwt-simple

#[derive(Deserialize, serde::Serialize)]
pub struct SimpleCustom {
    pub sid: Option<String>,
    pub azp: Option<String>,
    pub client_id: Option<String>,
    pub scope: Option<String>,
}

fn jwt_simple(case: &TokenCase, cases: &Cases) -> VerifyFn {
    use jwt_simple::prelude::*;
    let k = &cases.keys[&case.key];
    let pem = k.pem.clone().unwrap_or_default();
    let shape = case.shape.clone();
    let set = |s: &[&str]| -> HashSet<String> { s.iter().map(|s| s.to_string()).collect() };
    let mut opts = VerificationOptions::default();
    match shape.as_str() {
        "clerk" => {
            opts.allowed_issuers = Some(set(&[CLERK_ISS]));
            opts.time_tolerance = Some(Duration::from_secs(5));
        }
        "logto" => {
            opts.allowed_issuers = Some(set(&[LOGTO_ISS]));
            opts.allowed_audiences = Some(set(&[AUD]));
            opts.time_tolerance = Some(Duration::from_secs(0));
        }
        _ => {
            opts.allowed_issuers = Some(set(&[CLERK_ISS]));
            opts.allowed_audiences = Some(set(&[AUD]));
            opts.time_tolerance = Some(Duration::from_secs(60));
        }
    }
    type R = Result<JWTClaims<SimpleCustom>, jwt_simple::Error>;
    type Verify = Box<dyn Fn(&str, VerificationOptions) -> R>;
    let verify: Verify = match case.alg.as_str() {
        "RS256" => {
            let key = RS256PublicKey::from_pem(&pem).expect("key");
            Box::new(move |t, o| key.verify_token::<SimpleCustom>(t, Some(o)))
        }
        "RS384" => {
            let key = RS384PublicKey::from_pem(&pem).expect("key");
            Box::new(move |t, o| key.verify_token::<SimpleCustom>(t, Some(o)))
        }
        "RS512" => {
            let key = RS512PublicKey::from_pem(&pem).expect("key");
            Box::new(move |t, o| key.verify_token::<SimpleCustom>(t, Some(o)))
        }
        "PS256" => {
            let key = PS256PublicKey::from_pem(&pem).expect("key");
            Box::new(move |t, o| key.verify_token::<SimpleCustom>(t, Some(o)))
        }
        "PS384" => {
            let key = PS384PublicKey::from_pem(&pem).expect("key");
            Box::new(move |t, o| key.verify_token::<SimpleCustom>(t, Some(o)))
        }
        "PS512" => {
            let key = PS512PublicKey::from_pem(&pem).expect("key");
            Box::new(move |t, o| key.verify_token::<SimpleCustom>(t, Some(o)))
        }
        "ES256" => {
            let key = ES256PublicKey::from_pem(&pem).expect("key");
            Box::new(move |t, o| key.verify_token::<SimpleCustom>(t, Some(o)))
        }
        "ES384" => {
            let key = ES384PublicKey::from_pem(&pem).expect("key");
            Box::new(move |t, o| key.verify_token::<SimpleCustom>(t, Some(o)))
        }
        "EdDSA" => {
            let key = Ed25519PublicKey::from_pem(&pem).expect("key");
            Box::new(move |t, o| key.verify_token::<SimpleCustom>(t, Some(o)))
        }
        "HS256" => {
            let key = HS256Key::from_bytes(&secret(k));
            Box::new(move |t, o| key.verify_token::<SimpleCustom>(t, Some(o)))
        }
        other => panic!("no jwt-simple key for {other}"),
    };
    Box::new(move |token: &str| {
        // The API takes the options by value: a caller clones them per call.
        let Ok(claims) = verify(token, opts.clone()) else {
            return false;
        };
        let ok = match shape.as_str() {
            "clerk" => claims.custom.azp.as_deref().is_none_or(|a| a == CLERK_AZP),
            "logto" => claims.custom.client_id.as_deref() == Some(CLIENT_ID),
            _ => true,
        };
        ok && std::hint::black_box(&claims.subject).is_some()
    })
}
