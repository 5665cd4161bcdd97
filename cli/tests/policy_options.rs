//! Issue 25 item 4 through the binary: --sub, --require-all-aud,
//! --require-azp, --require-scope and --route ISS=FILE, against the PyJWT
//! tokens of scripts/gen_policy_option_fixtures.py.

mod common;

use common::*;

const DIR: &str = "core/tests/data/policyopts";
const ISS_A: &str = "https://clerk.example.com";
const ISS_B: &str = "https://tenant.logto.app/oidc";
const API: &str = "https://api.example.com";
const BILLING: &str = "https://billing.example.com";

fn tok(name: &str) -> String {
    read(&format!("{DIR}/{name}.jwt")).trim().to_owned()
}

fn go(args: &[&str], token: &str) -> Run {
    let mut all = vec!["verify", "--now", NOW];
    all.extend_from_slice(args);
    all.push(token);
    run(&all, None)
}

fn clerk(extra: &[&str], name: &str) -> Run {
    let jwks = format!("{DIR}/jwks-a.json");
    let mut args = vec![
        "--preset", "clerk", "--jwks", &jwks, "--iss", ISS_A, "--azp", CLERK_AZP,
    ];
    args.extend_from_slice(extra);
    go(&args, &tok(name))
}

fn logto(extra: &[&str], name: &str) -> Run {
    let jwks = format!("{DIR}/jwks-b.json");
    let mut args = vec![
        "--preset", "logto", "--jwks", &jwks, "--iss", ISS_B, "--aud", API,
    ];
    args.extend_from_slice(extra);
    go(&args, &tok(name))
}

fn verdict(r: &Run) -> (i32, &str) {
    (r.code, r.stderr.as_str())
}

#[test]
fn expected_subject() {
    assert_eq!(clerk(&["--sub", "user_123"], "a_user").code, 0);
    assert_eq!(
        verdict(&clerk(&["--sub", "user_123"], "a_other_sub")),
        (1, "wrong_subject: sub \"user_999\" is not \"user_123\"\n")
    );
    assert_eq!(
        verdict(&clerk(
            &["--sub", "user_123", "--no-require-sub"],
            "a_no_sub"
        )),
        (
            1,
            "missing_subject: token has no sub; expected \"user_123\"\n"
        )
    );
    let r = clerk(&["--sub", ""], "a_user");
    assert_eq!(verdict(&r), (2, "verifier: --sub must not be empty\n"));
}

#[test]
fn every_audience_required() {
    assert_eq!(logto(&["--aud", BILLING], "b_one_aud").code, 0);
    let all = ["--aud", BILLING, "--require-all-aud"];
    assert_eq!(logto(&all, "b_two_aud").code, 0);
    assert_eq!(
        verdict(&logto(&all, "b_one_aud")),
        (
            1,
            "missing_required_audience: aud [\"https://api.example.com\"] lacks \
             \"https://billing.example.com\"; every one of \"https://api.example.com\", \
             \"https://billing.example.com\" is required\n"
        )
    );
    assert_eq!(logto(&all, "b_other_aud").code, 1);
    assert!(
        logto(&all, "b_other_aud")
            .stderr
            .starts_with("wrong_audience: ")
    );
    let jwks = format!("{DIR}/jwks-b.json");
    let r = go(&["--jwks", &jwks, "--require-all-aud"], &tok("b_one_aud"));
    assert_eq!(
        verdict(&r),
        (
            2,
            "verifier: --require-all-aud needs --aud: the audiences every token must carry\n"
        )
    );
}

#[test]
fn azp_required_on_request() {
    assert_eq!(clerk(&[], "a_no_azp").code, 0);
    assert_eq!(clerk(&["--require-azp"], "a_user").code, 0);
    assert_eq!(
        verdict(&clerk(&["--require-azp"], "a_no_azp")),
        (
            1,
            "missing_authorized_party: token has no azp, and the policy requires one: \
             \"https://app.example.com\"\n"
        )
    );
}

#[test]
fn required_scopes() {
    let r = logto(&["--require-scope", "read:x"], "b_one_aud");
    assert_eq!(r.code, 0);
    assert_eq!(
        verdict(&logto(
            &["--require-scope", "read:x", "--require-scope", "write:x"],
            "b_one_aud"
        )),
        (1, "missing_scope: scope \"read:x\" lacks \"write:x\"\n")
    );
    // Okta's `scp` array.
    assert_eq!(
        logto(&["--require-scope", "write:x"], "b_scp_array").code,
        0
    );
}

fn routed(extra: &[&str], name: &str) -> Run {
    let a = format!("{ISS_A}={DIR}/jwks-a.json");
    let b = format!("{ISS_B}={DIR}/jwks-b.json");
    let mut args = vec!["--route", &a, "--route", &b, "--alg", "RS256,ES384"];
    args.extend_from_slice(extra);
    go(&args, &tok(name))
}

#[test]
fn routing_by_issuer() {
    let r = routed(&[], "a_user");
    assert_eq!(verdict(&r), (0, ""));
    assert!(r.stdout.contains("\"user_123\""));
    assert_eq!(verdict(&routed(&[], "b_one_aud")), (0, ""));
    assert_eq!(
        verdict(&routed(&[], "iss_unknown")),
        (
            1,
            "unknown_issuer: iss \"https://evil.example.com\" is not a routed issuer \
             (\"https://clerk.example.com\", \"https://tenant.logto.app/oidc\")\n"
        )
    );
    assert_eq!(
        verdict(&routed(&[], "no_iss")),
        (
            1,
            "missing_issuer: token has no iss, which routing needs (routed issuers: \
             \"https://clerk.example.com\", \"https://tenant.logto.app/oidc\")\n"
        )
    );
    // Claims issuer A, signed by B's key: A's keys refuse it.
    let r = routed(&[], "iss_a_signed_by_b");
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("bad_signature: "), "{}", r.stderr);
    let r = routed(&[], "iss_a_signed_by_b_kid_b");
    assert!(r.stderr.starts_with("unknown_kid: "), "{}", r.stderr);
    assert!(routed(&[], "b_expired").stderr.starts_with("expired: "));
    // With --json, the name and code of the new status.
    let r = routed(&["--json"], "iss_unknown");
    assert!(r.stdout.contains("\"code\":411"), "{}", r.stdout);
}

#[test]
fn route_usage_errors() {
    let a = format!("{ISS_A}={DIR}/jwks-a.json");
    let r = go(&["--route", &a, "--route", &a], &tok("a_user"));
    assert_eq!(
        verdict(&r),
        (2, "verifier: --route: two routes name the same issuer\n")
    );
    let r = go(&["--route", &a, "--iss", ISS_B], &tok("a_user"));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("not one of the --iss values"),
        "{}",
        r.stderr
    );
    let r = go(&["--route", "no-equals-sign"], &tok("a_user"));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("expected ISS=FILE"), "{}", r.stderr);
    let r = go(
        &["--route", &a, "--jwks", "examples/keys/clerk-jwks.json"],
        &tok("a_user"),
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot be combined"), "{}", r.stderr);
}
