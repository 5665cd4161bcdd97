//! Issue 24 through the binary: RSA exponents of 2^32 and above are refused
//! (a --jwk load exits 2 naming the exponent; a JWKS skips the key and says
//! so on stderr), and a PSS token signed with the maximum salt (Python
//! cryptography, PSS.MAX_LENGTH) is `pss_salt_length` with the salt found,
//! and verifies with --pss-any-salt.

mod common;

use common::*;

const JWKS: &str = "core/tests/data/pss_salt_jwks.json";

fn max_salt_token() -> String {
    read("core/tests/data/pss_salt_max.jwt").trim().to_owned()
}

fn verify(extra: &[&str]) -> Run {
    let token = max_salt_token();
    let mut args = vec!["verify", "--now", "1764000000"];
    args.extend_from_slice(extra);
    args.push(&token);
    run(&args, None)
}

#[test]
fn large_exponent_jwk_is_a_usage_error() {
    let r = verify(&["--jwk", "core/tests/data/pss_salt_big_e.jwk.json"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("exponent") && r.stderr.contains("(rsa_exponent)"),
        "{}",
        r.stderr
    );
}

#[test]
fn max_salt_is_named_and_accepted_only_when_asked() {
    let r = verify(&["--jwks", JWKS, "--rsa-pss"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "verifier: JWKS {JWKS}: 3 keys loaded, 1 skipped (1 rsa_exponent)\n\
             pss_salt_length: PS256 signature uses a 222-byte salt; RFC 7518 requires 32\n"
        )
    );
    let r = verify(&["--jwks", JWKS, "--rsa-pss", "--pss-any-salt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"user_pss\""), "{}", r.stdout);
    // Without PSS the key does not verify PS256 at all.
    let r = verify(&["--jwks", JWKS, "--pss-any-salt"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("alg_not_allowed_for_key: "),
        "{}",
        r.stderr
    );
}
