//! The whole verify path on arbitrary bytes as the token, against the test
//! fixtures' keys (every algorithm) and two policies.
//!
//! Must hold: no panic; no heap allocation; a `scratch_len` buffer always
//! suffices; a smaller buffer changes nothing but may give `BufferTooSmall`;
//! an accepted token also passes `verify_jws` with the same key and satisfies
//! the policy by the claims it returns; error codes round-trip.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use libverifier_fuzz::{HS256_SECRET_B64, NOW, TEST_JWKS, b64d, no_alloc};
use verifier_core::{Error, Key, KeySet, Policy, Verified, Verifier, scratch_len};

const ISSUERS: [&str; 1] = ["https://issuer.example.com"];
const AUDIENCES: [&str; 1] = ["https://api.example.com"];

/// Every fixture key, each with its `kid`.
static JWKS: LazyLock<Verifier<16>> = LazyLock::new(|| {
    let mut keys = KeySet::new();
    keys.add_jwks(TEST_JWKS).unwrap();
    Verifier::new(keys).unwrap()
});

/// Keys pinned without a `kid` (PEM and secret): the id-less fallback path.
static PINNED: LazyLock<Verifier<4>> = LazyLock::new(|| {
    let mut keys = KeySet::new();
    for pem in [
        &include_bytes!("../../core/tests/data/keys/rsa2048.pem")[..],
        include_bytes!("../../core/tests/data/keys/p256.cert.pem"),
        include_bytes!("../../core/tests/data/keys/ed25519.pem"),
    ] {
        keys.push(Key::from_pem(pem).unwrap()).unwrap();
    }
    keys.push(Key::hmac(&b64d(HS256_SECRET_B64), None).unwrap())
        .unwrap();
    Verifier::new(keys).unwrap()
});

fn full_policy() -> Policy<'static> {
    Policy {
        issuers: &ISSUERS,
        audiences: &AUDIENCES,
        leeway: 5,
        ..Policy::default()
    }
}

fn check<const N: usize>(v: &Verifier<N>, token: &[u8], policy: &Policy<'_>) {
    let mut buf = vec![0u8; scratch_len(token.len())];
    let full: Result<Verified<'_>, Error> =
        no_alloc("verify", || v.verify(token, NOW, policy, &mut buf));
    match &full {
        Err(e) => {
            assert_ne!(
                *e,
                Error::BufferTooSmall,
                "scratch_len({}) was not enough",
                token.len()
            );
            assert_eq!(Error::from_code(e.code()), Some(*e));
            if token.len() > v.max_token_len() {
                assert_eq!(*e, Error::TokenTooLarge);
            }
        }
        Ok(ok) => {
            let c = &ok.claims;
            // i128: a NumericDate may be any i64.
            let (now, leeway) = (i128::from(NOW), i128::from(policy.leeway));
            let exp = i128::from(c.exp().expect("accepted without exp"));
            assert!(now < exp + leeway + 1, "accepted expired token");
            if let Some(nbf) = c.nbf() {
                assert!(
                    i128::from(nbf) <= now + leeway,
                    "accepted token not yet valid"
                );
            }
            assert!(c.sub().is_some(), "accepted without sub");
            if !policy.issuers.is_empty() {
                assert!(
                    policy.issuers.contains(&c.iss().unwrap()),
                    "wrong iss accepted"
                );
            }
            if !policy.audiences.is_empty() {
                assert!(
                    policy.audiences.iter().any(|a| c.has_audience(a)),
                    "wrong aud accepted"
                );
            }
            assert!(policy.algorithms.contains(ok.header.alg));
            let mut buf2 = vec![0u8; scratch_len(token.len())];
            let jws = no_alloc("verify_jws", || {
                v.verify_jws(token, policy.algorithms, &mut buf2)
            })
            .expect("verify accepted what verify_jws refuses");
            assert_eq!(jws.key_index, ok.key_index);
            let key = v.keys().get(ok.key_index).unwrap();
            assert!(key.allows(ok.header.alg));
        }
    }
    let verdict = full.as_ref().map(|ok| ok.key_index).map_err(|e| *e);
    // Half the scratch: the same verdict, or BufferTooSmall, never anything else.
    let mut small = vec![0u8; scratch_len(token.len()) / 2];
    let half = no_alloc("verify small", || v.verify(token, NOW, policy, &mut small))
        .map(|ok| ok.key_index);
    assert!(
        half == verdict || half == Err(Error::BufferTooSmall),
        "buffer size changed the verdict: {verdict:?} vs {half:?}"
    );
}

fuzz_target!(|token: &[u8]| {
    let full = full_policy();
    let clerk = Policy::clerk(&ISSUERS, &["https://app.example.com"]).unwrap();
    check(&JWKS, token, &full);
    check(&JWKS, token, &Policy::default());
    check(&PINNED, token, &full);
    check(&PINNED, token, &clerk);
});
