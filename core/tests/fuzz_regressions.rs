//! Inputs found by the fuzz targets in `fuzz/`, replayed with exact verdicts
//! so that each fixed bug stays fixed without a fuzzer at hand.

use verifier_core::json::{self, Number};
use verifier_core::{Claims, Error, Header, Policy};

const NOW: i64 = 1_764_000_000;

/// The claims check alone (the signature layer is not involved in these).
fn check(claims: &str, now: i64, policy: &Policy<'_>) -> Result<(), Error> {
    let header = Header::parse(br#"{"alg":"HS256"}"#)?;
    let mut arena = [0u8; 512];
    let claims = Claims::parse(claims.as_bytes(), &mut arena)?;
    policy.check(&header, &claims, now)
}

fn number(text: &str) -> Number<'_> {
    json::parse(text.as_bytes()).unwrap().as_number().unwrap()
}

// verify_structured: a NumericDate with a fraction too small for an f64
// (1763999995.0000000000000000000001 rounds to 1763999995.0) lost its
// fraction, so the exact comparisons were off by one second: a token still
// valid by 1e-22 s was refused as expired, and (the security-relevant mirror)
// an `nbf` or `iat` just after `now` was accepted.
#[test]
fn tiny_fraction_in_exp_is_not_expired() {
    let policy = Policy {
        leeway: 5,
        require_sub: false,
        ..Policy::default()
    };
    let claims = r#"{"client_id":"m2mapp","x":0,"exp":1763999995.0000000000000000000001}"#;
    assert_eq!(check(claims, NOW, &policy), Ok(()));
    // One second later it is expired.
    assert_eq!(check(claims, NOW + 1, &policy), Err(Error::Expired));
}

#[test]
fn tiny_fraction_in_nbf_is_not_yet_valid() {
    let policy = Policy {
        require_sub: false,
        ..Policy::default()
    };
    let claims = r#"{"exp":1764003600,"nbf":1764000000.0000000000000000000001}"#;
    assert_eq!(check(claims, NOW, &policy), Err(Error::NotYetValid));
    assert_eq!(check(claims, NOW + 1, &policy), Ok(()));
}

#[test]
fn tiny_fraction_in_iat_is_in_the_future() {
    let policy = Policy {
        require_sub: false,
        ..Policy::default()
    };
    let claims = r#"{"exp":1764003600,"iat":1764000000.0000000000000000000001}"#;
    assert_eq!(check(claims, NOW, &policy), Err(Error::IssuedInFuture));
    assert_eq!(check(claims, NOW + 1, &policy), Ok(()));
}

#[test]
fn numeric_date_fraction_is_decided_on_the_digits() {
    for (text, want) in [
        ("1764000000.0000000000000000000001", Some((NOW, true))),
        ("1764000000.000000000000000000000", Some((NOW, false))),
        ("-1.00000000000000000001", Some((-2, true))),
        ("-1.0", Some((-1, false))),
        ("1e-400", Some((0, true))),
        ("-1e-400", Some((-1, true))),
        ("0e5", Some((0, false))),
        ("17640000000000000000e-10", Some((NOW, false))),
        ("17640000000000000001e-10", Some((NOW, true))),
        ("1.7640000000000000000000001e9", Some((NOW, true))),
        ("9223372036854775807.5", Some((i64::MAX, true))),
        ("9223372036854775808", None),
        ("-9223372036854775808.5", None),
    ] {
        let n = number(text);
        assert_eq!(n.to_seconds(), want, "{text}");
        assert_eq!(n.to_seconds_floor(), want.map(|(f, _)| f), "{text}");
    }
}
