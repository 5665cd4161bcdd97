//! The process-wide comb pools (`ec-tables`): a slot per distinct key,
//! claimed only by a load that succeeds, found by the canonical point, given
//! back when the last `Key` (clones included) using it is dropped, shared by
//! concurrent loads of one key. Its own test binary, so its own pools.
#![cfg(all(
    feature = "ec-tables",
    feature = "p256",
    feature = "p384",
    feature = "eddsa"
))]

use std::collections::VecDeque;
use std::sync::{Barrier, Mutex};

use base64ct::{Base64UrlUnpadded, Encoding as _};
use ed25519_dalek::Signer as _;
use sha2::Digest as _;
use verifier_core::{Algorithm, Error, Key, KeySet, verify_signature};

/// The tests share the pools: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn ed_pool() -> usize {
    verifier_core::ed_tables::POOL.slots_in_use()
}

fn p256_pool() -> usize {
    verifier_core::ec_tables::P256.slots_in_use()
}

fn p384_pool() -> usize {
    verifier_core::ec_tables::P384.slots_in_use()
}

const SLOTS: usize = verifier_core::ec_tables::KEY_SLOTS;

fn ed_signer(i: u32) -> ed25519_dalek::SigningKey {
    let seed: [u8; 32] = sha2::Sha256::digest(i.to_le_bytes()).into();
    ed25519_dalek::SigningKey::from_bytes(&seed)
}

fn p256_signer(i: u32) -> p256::ecdsa::SigningKey {
    let seed: [u8; 32] =
        sha2::Sha256::digest([b"p256".as_slice(), &i.to_le_bytes()].concat()).into();
    p256::ecdsa::SigningKey::from_slice(&seed).unwrap()
}

fn p384_signer(i: u32) -> p384::ecdsa::SigningKey {
    let seed: [u8; 48] =
        sha2::Sha384::digest([b"p384".as_slice(), &i.to_le_bytes()].concat()).into();
    p384::ecdsa::SigningKey::from_slice(&seed).unwrap()
}

fn p256_jwk(sk: &p256::ecdsa::SigningKey, extra: &str) -> String {
    let point = sk.verifying_key().to_sec1_point(false);
    format!(
        r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"{extra}}}"#,
        Base64UrlUnpadded::encode_string(point.x().unwrap()),
        Base64UrlUnpadded::encode_string(point.y().unwrap()),
    )
}

/// Load, verify (a good and a bad signature), drop: `keys` times, with the
/// last `overlap` keys kept alive as a rotating server does. Every new key is
/// on the table path and the pool never holds more than the live keys.
fn rotate<S>(
    keys: u32,
    overlap: usize,
    signer: impl Fn(u32) -> S,
    load: impl Fn(&S) -> Key,
    sign: impl Fn(&S, &[u8]) -> Vec<u8>,
    alg: Algorithm,
    in_use: impl Fn() -> usize,
) {
    let mut live = VecDeque::new();
    for i in 0..keys {
        let s = signer(i);
        let key = load(&s);
        assert!(key.has_table(), "key {i} is not on the table path");
        let msg = i.to_be_bytes();
        let mut sig = sign(&s, &msg);
        assert_eq!(verify_signature(&key, alg, &msg, &sig), Ok(()), "key {i}");
        sig[10] ^= 1;
        assert_eq!(
            verify_signature(&key, alg, &msg, &sig),
            Err(Error::BadSignature)
        );
        live.push_back(key.clone());
        drop(key);
        if live.len() > overlap {
            live.pop_front();
        }
        assert_eq!(in_use(), live.len(), "key {i}: slots in use");
    }
    drop(live);
    assert_eq!(in_use(), 0);
}

#[test]
fn ed25519_rotation_through_thousands_of_keys() {
    let _s = serial();
    rotate(
        2000,
        3,
        ed_signer,
        |s| Key::ed25519(s.verifying_key().as_bytes()).unwrap(),
        |s, m| s.sign(m).to_bytes().to_vec(),
        Algorithm::EdDSA,
        ed_pool,
    );
}

#[test]
fn p256_rotation() {
    let _s = serial();
    rotate(
        P256_KEYS,
        2,
        p256_signer,
        |s| Key::from_jwk(p256_jwk(s, "").as_bytes()).unwrap(),
        |s, m| {
            let sig: p256::ecdsa::Signature = s.sign(m);
            sig.to_bytes().to_vec()
        },
        Algorithm::ES256,
        p256_pool,
    );
}

#[test]
fn p384_rotation() {
    let _s = serial();
    rotate(
        P384_KEYS,
        2,
        p384_signer,
        |s| Key::p384_sec1(s.verifying_key().to_sec1_point(false).as_bytes()).unwrap(),
        |s, m| {
            let sig: p384::ecdsa::Signature = s.sign(m);
            sig.to_bytes().to_vec()
        },
        Algorithm::ES384,
        p384_pool,
    );
}

// A P-256 comb is 2,400 point additions: a few ms in release, tens in a
// debug build, so the NIST curves rotate through fewer keys than Ed25519 —
// still many times the pool.
const P256_KEYS: u32 = 120;
const P384_KEYS: u32 = 40;

/// Loads that fail after the key is parsed (an `alg` the key cannot do, a
/// `kid` too long, a full set, a JWKS entry skipped) claim no slot.
#[test]
fn refused_loads_claim_nothing() {
    let _s = serial();
    let sk = p256_signer(9_999);
    let long_kid = "k".repeat(verifier_core::keys::MAX_KID_LEN + 1);
    assert_eq!(
        Key::from_jwk(p256_jwk(&sk, r#","alg":"RS256""#).as_bytes()).err(),
        Some(Error::KeyUnsupported)
    );
    assert_eq!(
        Key::from_jwk(p256_jwk(&sk, &format!(r#","kid":"{long_kid}""#)).as_bytes()).err(),
        Some(Error::KidTooLong)
    );
    let mut set = KeySet::<1>::new();
    set.add_jwk(p256_jwk(&p256_signer(1), "").as_bytes())
        .unwrap();
    assert_eq!(p256_pool(), 1);
    assert_eq!(
        set.add_jwk(p256_jwk(&sk, "").as_bytes()),
        Err(Error::TooManyKeys)
    );
    let jwks = format!(
        r#"{{"keys":[{},{}]}}"#,
        p256_jwk(&sk, r#","alg":"ES384""#),
        p256_jwk(&p256_signer(2), r#","use":"enc""#)
    );
    let mut other = KeySet::<4>::new();
    assert_eq!(other.add_jwks(jwks.as_bytes()), Err(Error::NoKeys));
    assert_eq!(p256_pool(), 1, "only the key in the set holds a slot");
    drop(set);
    assert_eq!(p256_pool(), 0);
}

/// A JWKS attaches its keys' tables only once the whole document is
/// accepted (issue 24): one refused for more usable keys than the set holds
/// builds none. Before, each key added before the overflow built its table
/// (150 KB of precomputation) for nothing.
#[test]
fn a_refused_jwks_builds_no_table() {
    let _s = serial();
    let built = || verifier_core::ec_tables::P256.tables_built();
    let doc = |first: u32, n: u32| {
        let keys: Vec<String> = (first..first + n)
            .map(|i| p256_jwk(&p256_signer(i), &format!(r#","kid":"k{i}""#)))
            .collect();
        format!(r#"{{"keys":[{}]}}"#, keys.join(","))
    };
    let before = built();
    let mut set = KeySet::<4>::new();
    assert_eq!(
        set.add_jwks(doc(50_000, 5).as_bytes()),
        Err(Error::TooManyKeys)
    );
    assert!(set.is_empty());
    assert_eq!(built() - before, 0, "a refused document built tables");
    assert_eq!(p256_pool(), 0);
    // Accepted: each new key gets its table.
    assert_eq!(set.add_jwks(doc(50_100, 3).as_bytes()), Ok(3));
    assert_eq!(built() - before, 3);
    assert_eq!(p256_pool(), 3);
    drop(set);
    assert_eq!(p256_pool(), 0);
}

/// Threads loading one key share one slot; threads loading as many distinct
/// keys as there are slots all get one; every slot comes back at the end.
#[test]
fn threads_share_slots_and_lose_none() {
    let _s = serial();
    const THREADS: usize = 8;
    let shared = ed_signer(1_000_000);
    let barrier = Barrier::new(THREADS);
    std::thread::scope(|scope| {
        for t in 0..THREADS {
            let (shared, barrier) = (&shared, &barrier);
            scope.spawn(move || {
                for round in 0..20u32 {
                    let key = Key::ed25519(shared.verifying_key().as_bytes()).unwrap();
                    assert!(key.has_table());
                    let copy = key.clone();
                    barrier.wait();
                    // Every thread holds the key: one slot between them.
                    assert_eq!(ed_pool(), 1, "thread {t} round {round}");
                    let msg = round.to_le_bytes();
                    let sig = shared.sign(&msg).to_bytes();
                    assert_eq!(
                        verify_signature(&copy, Algorithm::EdDSA, &msg, &sig),
                        Ok(())
                    );
                    barrier.wait();
                    drop((key, copy));
                    barrier.wait();
                    assert_eq!(ed_pool(), 0);
                    barrier.wait();
                }
            });
        }
    });
    // Distinct keys, loaded and dropped concurrently, many times over.
    std::thread::scope(|scope| {
        for t in 0..THREADS as u32 {
            scope.spawn(move || {
                for round in 0..60u32 {
                    let s = ed_signer(2_000_000 + t * 1000 + round);
                    let key = Key::ed25519(s.verifying_key().as_bytes()).unwrap();
                    assert!(key.has_table(), "thread {t} round {round}: no slot");
                    let sig = s.sign(b"m").to_bytes();
                    assert_eq!(verify_signature(&key, Algorithm::EdDSA, b"m", &sig), Ok(()));
                }
            });
        }
    });
    assert_eq!(ed_pool(), 0, "a slot was lost");
    // All slots held at once by distinct keys; one more finds none and
    // verifies on the fallback path all the same.
    let signers: Vec<_> = (0..=SLOTS as u32)
        .map(|i| ed_signer(3_000_000 + i))
        .collect();
    let keys: Vec<Key> = std::thread::scope(|scope| {
        let handles: Vec<_> = signers[..SLOTS]
            .iter()
            .map(|s| scope.spawn(move || Key::ed25519(s.verifying_key().as_bytes()).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(keys.iter().all(Key::has_table));
    assert_eq!(ed_pool(), SLOTS);
    let last = &signers[SLOTS];
    let extra = Key::ed25519(last.verifying_key().as_bytes()).unwrap();
    assert!(!extra.has_table());
    let sig = last.sign(b"x").to_bytes();
    assert_eq!(
        verify_signature(&extra, Algorithm::EdDSA, b"x", &sig),
        Ok(())
    );
    drop(keys);
    assert_eq!(ed_pool(), 0);
    // Now there is room again.
    assert!(
        Key::ed25519(last.verifying_key().as_bytes())
            .unwrap()
            .has_table()
    );
}
