//! `CachedVerifier` against `Verifier` on fuzzer-chosen sequences of calls:
//! a small pool of HS256-signed tokens (fuzzer-chosen header, claim values and
//! raw claim bytes, sometimes one byte changed after signing), each call with
//! its own `now`, policy and buffer size, through a cache of two slots (so
//! calls collide, evict and hit), with a fuzzer-chosen hash seed. The pool
//! also holds empty and very short tokens (up to 6 bytes, or a signed
//! token's first few bytes), and a call may clear the cache first: a
//! never-filled or cleared slot must never answer.
//!
//! Must hold: no panic; no heap allocation in the cached call; every call
//! gives the uncached call's result: the same error, or the same header,
//! claims and key, with the views at the same offsets of the caller's buffer.
#![no_main]

use std::sync::LazyLock;

use arbitrary::{Result, Unstructured};
use hmac::{KeyInit as _, Mac as _};
use libfuzzer_sys::fuzz_target;
use libverifier_fuzz::{HS256_SECRET_B64, NOW, b64d, b64e, no_alloc};
use verifier_core::{CachedVerifier, Key, KeySet, Policy, Verified, Verifier, scratch_len};

/// `FUZZ_VERDICTS=1`: print each call's verdict and the hit count (to see
/// what a corpus reaches).
static SHOW_VERDICTS: LazyLock<bool> =
    LazyLock::new(|| std::env::var_os("FUZZ_VERDICTS").is_some());

static SECRET: LazyLock<Vec<u8>> = LazyLock::new(|| b64d(HS256_SECRET_B64));

static VERIFIER: LazyLock<Verifier<2>> = LazyLock::new(|| {
    let mut keys = KeySet::new();
    keys.push(Key::hmac(&SECRET, None).unwrap().with_kid("hs256").unwrap())
        .unwrap();
    Verifier::new(keys).unwrap()
});

const ISSUERS: [&str; 2] = ["https://issuer.example.com", "https://other.example.com"];
const AUDIENCES: [&str; 2] = ["https://api.example.com", "aud-2"];
const SCOPES: [&str; 2] = ["read", "write"];

/// The policies a call picks from: none, issuer and audience, scopes and a
/// maximum age.
fn policy(i: u8) -> Policy<'static> {
    match i % 3 {
        0 => Policy::default(),
        1 => Policy {
            issuers: &ISSUERS[..1],
            audiences: &AUDIENCES,
            leeway: 5,
            ..Policy::default()
        },
        _ => Policy {
            required_scopes: &SCOPES[..1],
            max_age: Some(120),
            require_sub: false,
            ..Policy::default()
        },
    }
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// One HS256 token from fuzzer-chosen parts.
fn token(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let header = match u.int_in_range(0..=3)? {
        0 => r#"{"alg":"HS256","typ":"JWT"}"#.to_owned(),
        1 => r#"{"alg":"HS256","kid":"hs256"}"#.to_owned(),
        2 => r#"{"alg":"HS256","kid":"other"}"#.to_owned(),
        _ => {
            let n = u.int_in_range(0..=40)?;
            String::from_utf8_lossy(u.bytes(n)?).into_owned()
        }
    };
    let sub: &str = u.arbitrary()?;
    let iss = ISSUERS[usize::from(u.arbitrary::<bool>()?)];
    let aud = if u.arbitrary()? {
        json_str(AUDIENCES[0])
    } else {
        format!("[{},{}]", json_str(AUDIENCES[1]), json_str(AUDIENCES[0]))
    };
    let exp = NOW + i64::from(u.arbitrary::<i8>()?);
    let iat = NOW - i64::from(u.arbitrary::<u8>()?);
    let scope = ["read", "read write", "write", ""][u.int_in_range(0..=3)?];
    let n = u.int_in_range(0..=24)?;
    let extra = String::from_utf8_lossy(u.bytes(n)?).into_owned();
    let claims = format!(
        r#"{{"sub":{},"iss":{},"aud":{aud},"exp":{exp},"iat":{iat},"scope":{}{extra}}}"#,
        json_str(sub),
        json_str(iss),
        json_str(scope)
    );
    let mut t = format!("{}.{}", b64e(header.as_bytes()), b64e(claims.as_bytes()));
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&SECRET).unwrap();
    mac.update(t.as_bytes());
    t.push('.');
    t.push_str(&b64e(&mac.finalize().into_bytes()));
    let mut t = t.into_bytes();
    if u.ratio(1, 8)? {
        let at = u.choose_index(t.len())?;
        t[at] = u.arbitrary()?;
    }
    Ok(t)
}

/// Where a view starts in the buffer.
fn offset(s: &str, base: usize) -> usize {
    s.as_ptr() as usize - base
}

/// What must agree: everything `Debug` shows, and where the main views lie.
fn summary(r: &Result<Verified<'_>, verifier_core::Error>, base: usize) -> String {
    match r {
        Err(e) => format!("Err({e:?})"),
        Ok(v) => format!(
            "{v:?} at {:?}",
            (
                offset(v.header.raw.raw(), base),
                offset(v.claims.raw(), base),
                v.claims.sub().map(|s| offset(s, base)),
                v.claims.iss().map(|s| offset(s, base)),
            )
        ),
    }
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let mut pool = Vec::new();
    for _ in 0..u.int_in_range(1..=4)? {
        pool.push(match u.int_in_range(0..=7)? {
            0 => Vec::new(),
            1 => {
                let n = u.int_in_range(1..=6)?;
                u.bytes(n)?.to_vec()
            }
            2 => {
                let mut t = token(u)?;
                t.truncate(u.int_in_range(0..=8)?);
                t
            }
            _ => token(u)?,
        });
    }
    let mut cache = CachedVerifier::<'_, 2, 2, 384>::with_seed(&VERIFIER, u.arbitrary()?);
    for _ in 0..u.int_in_range(1..=24)? {
        let t = &pool[u.choose_index(pool.len())?];
        if u.ratio(1, 16)? {
            cache.clear();
        }
        let now = NOW + i64::from(u.arbitrary::<i8>()?) * 3;
        let policy = policy(u.arbitrary()?);
        let full = scratch_len(t.len());
        let len = if u.ratio(1, 6)? {
            u.int_in_range(0..=full)?
        } else {
            full
        };
        let mut a = vec![0u8; len];
        let mut b = vec![0u8; len];
        let (base_a, base_b) = (a.as_ptr() as usize, b.as_ptr() as usize);
        let direct = VERIFIER.verify(t, now, &policy, &mut a);
        let cached = no_alloc("cached verify", || cache.verify(t, now, &policy, &mut b));
        let got = summary(&cached, base_b);
        assert_eq!(
            got,
            summary(&direct, base_a),
            "cached and direct differ (stats {:?})",
            cache.stats()
        );
        if *SHOW_VERDICTS {
            let verdict = got.split(['(', ' ']).next().unwrap_or_default();
            eprintln!("verdict {verdict} hits {}", cache.stats().0);
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
