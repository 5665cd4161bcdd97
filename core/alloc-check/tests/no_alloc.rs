//! Proof, not claim: verifying a token of every algorithm, with a full claims
//! policy, performs zero heap allocations. A counting global allocator counts
//! allocations made by this thread while `verify` runs.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use std::path::PathBuf;
use verifier_core::{Algorithm, Key, KeySet, Policy, Verifier};

fn data_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data").join(rel)
}

fn read_json(path: PathBuf) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn b64url_decode(s: &str) -> Vec<u8> {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::decode_vec(s.trim()).unwrap()
}

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
        }
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Allocations made by `f` on this thread.
fn allocations<R>(f: impl FnOnce() -> R) -> (usize, R) {
    COUNT.with(|c| c.set(0));
    COUNTING.with(|c| c.set(true));
    let r = f();
    COUNTING.with(|c| c.set(false));
    (COUNT.with(Cell::get), r)
}

/// The fixtures' JWKS pinned, and the policy its fixture tokens are made for.
fn fixtures_verifier() -> (Verifier<16>, Policy<'static>) {
    let jwks = std::fs::read(data_path("keys/jwks.json")).unwrap();
    let mut keys = KeySet::<16>::new();
    // The fixtures' JWKS is private, holds HMAC secrets, and signs PSS with
    // RSA keys without JWK alg: both asked for.
    let options = verifier_core::keys::JwksOptions {
        allow_symmetric: true,
        rsa_pss: true,
        ..Default::default()
    };
    keys.add_jwks_with(&jwks, &options).unwrap();
    let policy = Policy {
        issuers: &["https://issuer.example.com"],
        audiences: &["https://api.example.com"],
        leeway: 5,
        ..Policy::default()
    };
    (Verifier::new(keys).unwrap(), policy)
}

#[test]
fn verification_of_every_algorithm_allocates_nothing() {
    let doc = read_json(data_path("tokens.json"));
    let (verifier, policy) = fixtures_verifier();
    let mut seen = std::collections::BTreeSet::new();
    let mut buf = vec![0u8; 64 * 1024];
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        if !(name.starts_with("valid ") && case["keys"] == "jwks") && !name.starts_with("tampered") {
            continue;
        }
        let token = case["token"].as_str().unwrap().as_bytes();
        let now = case["now"].as_i64().unwrap();
        let (n, result) = allocations(|| verifier.verify(token, now, &policy, &mut buf).map(|v| v.header.alg));
        assert_eq!(n, 0, "{name}: {n} allocations");
        if name.starts_with("valid ") {
            seen.insert(result.unwrap_or_else(|e| panic!("{name}: {e}")));
        } else {
            assert!(result.is_err());
        }
    }
    assert_eq!(seen.len(), Algorithm::ALL.len(), "every algorithm covered: {seen:?}");
}

#[test]
fn key_loading_allocates_nothing() {
    let jwks = std::fs::read(data_path("keys/jwks.json")).unwrap();
    let pem = std::fs::read(data_path("keys/rsa2048.cert.pem")).unwrap();
    let secret = b64url_decode(&std::fs::read_to_string(data_path("keys/hs256.secret.b64url")).unwrap());
    let (n, ok) = allocations(|| {
        let mut keys = KeySet::<16>::new();
        keys.add_jwks(&jwks).is_ok()
            && Key::from_pem(&pem).is_ok()
            && Key::hmac(&secret, Some(Algorithm::HS256)).is_ok()
    });
    assert!(ok);
    assert_eq!(n, 0);

    // In place, into caller storage (allocated before counting starts).
    let jwk = serde_json::to_vec(&read_json(data_path("keys/jwks.json"))["keys"][0]).unwrap();
    let mut verifier = Box::new(Verifier::<4>::empty());
    let (n, ok) = allocations(|| {
        verifier.set_max_token_len(4096);
        let keys = verifier.keys_mut();
        keys.add_jwk(&jwk).is_ok() && keys.add_pem(&pem).is_ok() && keys.add_jwks(&jwks) == Err(verifier_core::Error::TooManyKeys)
    });
    assert!(ok);
    assert_eq!(n, 0);
    assert_eq!(verifier.keys().len(), 2);
}

#[test]
fn cached_verification_allocates_nothing() {
    let doc = read_json(data_path("tokens.json"));
    let (verifier, policy) = fixtures_verifier();
    let mut cache = Box::new(verifier_core::CachedVerifier::<16, 8, 4096>::new(&verifier));
    let mut buf = vec![0u8; 64 * 1024];
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        if !(name.starts_with("valid ") && case["keys"] == "jwks") {
            continue;
        }
        let token = case["token"].as_str().unwrap().as_bytes();
        let now = case["now"].as_i64().unwrap();
        // A miss (full verification, then stored), then a hit.
        for _ in 0..2 {
            let (n, ok) = allocations(|| cache.verify(token, now, &policy, &mut buf).is_ok());
            assert!(ok, "{name}");
            assert_eq!(n, 0, "{name}: {n} allocations");
        }
    }
    assert!(cache.stats().0 > 0, "some calls hit");
}

/// Issue 24: reading a PSS signature's salt length, refusing it as
/// `PssSaltLength`, explaining it, accepting it with any salt, and loading a
/// JWKS that skips an RSA key for its exponent: no allocation either.
#[test]
fn pss_salt_and_exponent_paths_allocate_nothing() {
    use verifier_core::Error;
    use verifier_core::explain::{Context, write_detail};
    use verifier_core::keys::JwksOptions;
    let jwks = std::fs::read(data_path("pss_salt_jwks.json")).unwrap();
    let token = std::fs::read_to_string(data_path("pss_salt_max.jwt")).unwrap();
    let token = token.trim().as_bytes();
    let policy: Policy<'static> = Policy::default();
    let mut buf = vec![0u8; 64 * 1024];
    let mut sentence = String::with_capacity(256);
    for any_salt in [false, true] {
        let options = JwksOptions {
            rsa_pss: true,
            pss_any_salt: any_salt,
            ..Default::default()
        };
        let mut keys = Box::new(KeySet::<8>::new());
        let (n, report) = allocations(|| keys.add_jwks_with(&jwks, &options));
        assert_eq!(n, 0);
        assert_eq!(report.unwrap().skipped_for(Error::RsaExponent), 1);
        let verifier = Verifier::new(*keys).unwrap();
        let (n, result) = allocations(|| verifier.verify(token, 1_764_000_000, &policy, &mut buf).map(|_| ()));
        assert_eq!(n, 0);
        if any_salt {
            assert_eq!(result, Ok(()));
            continue;
        }
        assert_eq!(result, Err(Error::PssSaltLength));
        let cx = Context { keys: verifier.keys(), policy: &policy, now: 1_764_000_000, max_token_len: 16384 };
        let (n, r) = allocations(|| write_detail(&mut sentence, Error::PssSaltLength, token, &cx, &mut buf));
        assert!(r.is_ok());
        assert_eq!(n, 0, "{sentence}");
        assert_eq!(sentence, "PS256 signature uses a 222-byte salt; RFC 7518 requires 32");
    }
}
