//! The verified-token cache: a hit gives exactly what `Verifier::verify` gives,
//! claims are re-checked on every hit, failures are never cached, and a hit
//! needs the whole token to match.

use verifier_core::{AlgSet, Algorithm, CachedVerifier, Error, Policy, Verifier, scratch_len};

const NOW: i64 = 1_764_000_000;

fn clerk() -> (Verifier, String) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
    let jwks = std::fs::read(format!("{root}/keys/clerk-jwks.json")).unwrap();
    let token = std::fs::read_to_string(format!("{root}/tokens/clerk.jwt")).unwrap();
    (
        Verifier::from_jwks(&jwks).unwrap(),
        token.trim().to_string(),
    )
}

const ISS: &[&str] = &["https://clerk.example.com"];
const AZP: &[&str] = &["https://app.example.com"];

#[test]
fn hit_equals_direct_verification() {
    let (v, token) = clerk();
    let policy = Policy::clerk(ISS, AZP);
    let mut cache = CachedVerifier::<8, 4, 2048>::new(&v);
    let mut buf = vec![0u8; scratch_len(token.len())];
    let direct = v.verify(token.as_bytes(), NOW, &policy, &mut buf).unwrap();
    let (sub, sid, idx) = (
        direct.claims.sub().map(String::from),
        direct.claims.sid().map(String::from),
        direct.key_index,
    );
    for round in 0..3 {
        let mut buf = vec![0u8; scratch_len(token.len())];
        let got = cache
            .verify(token.as_bytes(), NOW, &policy, &mut buf)
            .unwrap();
        assert_eq!(got.claims.sub().map(String::from), sub, "round {round}");
        assert_eq!(got.claims.sid().map(String::from), sid);
        assert_eq!(got.key_index, idx);
        assert_eq!(got.header.alg, Algorithm::RS256);
    }
    assert_eq!(cache.stats(), (2, 1));
}

#[test]
fn claims_are_rechecked_on_a_hit() {
    let (v, token) = clerk();
    let policy = Policy::clerk(ISS, AZP);
    let mut cache = CachedVerifier::<8, 4, 2048>::new(&v);
    let mut buf = vec![0u8; scratch_len(token.len())];
    cache
        .verify(token.as_bytes(), NOW, &policy, &mut buf)
        .unwrap();
    // Later: expired, even though the signature verdict is cached.
    let later = NOW + 10 * 365 * 86400;
    assert_eq!(
        cache
            .verify(token.as_bytes(), later, &policy, &mut buf)
            .err(),
        Some(Error::Expired)
    );
    // Another policy: wrong issuer, wrong azp, algorithm not allowed.
    let other = Policy::clerk(&["https://evil.example.com"], AZP);
    assert_eq!(
        cache.verify(token.as_bytes(), NOW, &other, &mut buf).err(),
        Some(Error::WrongIssuer)
    );
    let other = Policy::clerk(ISS, &["https://evil.example.com"]);
    assert_eq!(
        cache.verify(token.as_bytes(), NOW, &other, &mut buf).err(),
        Some(Error::WrongAuthorizedParty)
    );
    let es_only = Policy {
        algorithms: AlgSet::of(&[Algorithm::ES256]),
        ..Policy::clerk(ISS, AZP)
    };
    assert_eq!(
        cache
            .verify(token.as_bytes(), NOW, &es_only, &mut buf)
            .err(),
        Some(Error::AlgNotAllowedByPolicy)
    );
    // Each of those was a hit on the signature, and each got the direct path's error.
    for (p, now) in [
        (&Policy::clerk(&["https://evil.example.com"], AZP), NOW),
        (&policy, later),
    ] {
        assert_eq!(
            cache.verify(token.as_bytes(), now, p, &mut buf).err(),
            v.verify(token.as_bytes(), now, p, &mut buf).err()
        );
    }
    let mut small = [0u8; 16];
    assert_eq!(
        cache
            .verify(token.as_bytes(), NOW, &policy, &mut small)
            .err(),
        Some(Error::BufferTooSmall)
    );
    assert!(
        cache
            .verify(token.as_bytes(), NOW, &policy, &mut buf)
            .is_ok()
    );
    assert_eq!(cache.stats().1, 1, "one miss: the first call");
}

#[test]
fn failures_are_never_cached() {
    let (v, token) = clerk();
    let policy = Policy::clerk(ISS, AZP);
    // One slot: every token maps to it, so only the full comparison tells them apart.
    let mut cache = CachedVerifier::<8, 1, 2048>::new(&v);
    let mut buf = vec![0u8; scratch_len(token.len())];
    // Expired at first sight: not cached, so no hit later either.
    let later = NOW + 10 * 365 * 86400;
    for _ in 0..2 {
        assert_eq!(
            cache
                .verify(token.as_bytes(), later, &policy, &mut buf)
                .err(),
            Some(Error::Expired)
        );
    }
    assert_eq!(cache.stats(), (0, 2));
    cache
        .verify(token.as_bytes(), NOW, &policy, &mut buf)
        .unwrap();
    // Same length, one signature character changed: full verification, refused.
    let mut forged = token.clone().into_bytes();
    let last = forged.len() - 2;
    forged[last] = if forged[last] == b'A' { b'B' } else { b'A' };
    assert_eq!(
        cache.verify(&forged, NOW, &policy, &mut buf).err(),
        Some(Error::BadSignature)
    );
    // A changed payload with the cached signature: refused too.
    let mut parts: Vec<&str> = token.split('.').collect();
    let payload = parts[1].replacen("e", "f", 1);
    parts[1] = &payload;
    let spliced = parts.join(".");
    assert!(
        cache
            .verify(spliced.as_bytes(), NOW, &policy, &mut buf)
            .is_err()
    );
    assert_eq!(cache.stats(), (0, 5));
    // The genuine token is still cached.
    cache
        .verify(token.as_bytes(), NOW, &policy, &mut buf)
        .unwrap();
    assert_eq!(cache.stats(), (1, 5));
    cache.clear();
    cache
        .verify(token.as_bytes(), NOW, &policy, &mut buf)
        .unwrap();
    assert_eq!(cache.stats(), (1, 6));
}

#[test]
fn long_tokens_and_zero_slots_are_never_cached() {
    let (v, token) = clerk();
    let policy = Policy::clerk(ISS, AZP);
    let mut buf = vec![0u8; scratch_len(token.len())];
    let mut short = CachedVerifier::<8, 4, 64>::new(&v);
    let mut none = CachedVerifier::<8, 0, 2048>::new(&v);
    for _ in 0..3 {
        short
            .verify(token.as_bytes(), NOW, &policy, &mut buf)
            .unwrap();
        none.verify(token.as_bytes(), NOW, &policy, &mut buf)
            .unwrap();
    }
    assert_eq!(short.stats(), (0, 3));
    assert_eq!(none.stats(), (0, 3));
}
