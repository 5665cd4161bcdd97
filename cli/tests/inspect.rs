//! `verifier inspect`: decoded header and claims, labelled NOT verified,
//! times as RFC 3339 dates.

mod common;

use common::*;

#[test]
fn inspect_shows_header_claims_and_dates_unverified() {
    let r = run(&["inspect", "--now", NOW, &clerk_token()], None);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let mut lines = r.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("NOT VERIFIED: decoded only; neither the signature nor any claim was checked.")
    );
    assert!(r.stdout.contains(
        "Header:\n{\n  \"alg\": \"RS256\",\n  \"kid\": \"ins_2example\",\n  \"typ\": \"JWT\"\n}\n"
    ));
    assert!(r.stdout.contains("\"sub\": \"user_2abcDEF\""));
    assert!(
        r.stdout
            .contains("  exp       1764000060    2025-11-24T16:01:00Z  (in 1 min 0 s)\n")
    );
    assert!(
        r.stdout
            .contains("  nbf       1763999989    2025-11-24T15:59:49Z  (11 s ago)\n")
    );
    assert!(
        r.stdout
            .contains("  iat       1763999999    2025-11-24T15:59:59Z  (1 s ago)\n")
    );
    assert!(r.stdout.ends_with("\nSignature: 256 bytes, not checked\n"));
}

#[test]
fn inspect_json_and_stdin() {
    let token = read("examples/tokens/logto.jwt");
    let r = run(&["inspect", "--json"], Some(&format!("Bearer {token}")));
    assert_eq!(r.code, 0);
    let j = json(&r.stdout);
    assert_eq!(j["verified"], false);
    assert_eq!(j["header"]["alg"], "ES384");
    assert_eq!(j["header"]["typ"], "at+jwt");
    assert_eq!(j["claims"]["client_id"], "m2mapp");
    assert_eq!(j["times"]["exp"], "2025-11-24T17:00:00Z");
    assert_eq!(j["signature_bytes"], 96);
}

#[test]
fn inspect_decodes_what_verify_refuses() {
    // alg none and a tampered payload decode fine: inspect checks nothing.
    let parts: Vec<String> = clerk_token().split('.').map(String::from).collect();
    let none = format!("{}.{}.", b64(br#"{"alg":"none"}"#), parts[1]);
    let r = run(&["inspect", "--json", &none], None);
    assert_eq!(r.code, 0);
    let j = json(&r.stdout);
    assert_eq!(
        (j["verified"].as_bool(), j["header"]["alg"].as_str()),
        (Some(false), Some("none"))
    );
    assert_eq!(j["signature_bytes"], 0);
    // A number serde_json cannot hold is shown as written.
    let big = format!("{}.{}.{}", parts[0], b64(br#"{"exp":1e400}"#), parts[2]);
    let r = run(&["inspect", "--now", NOW, &big], None);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Claims:\n{\"exp\":1e400}\n"));
    assert!(
        r.stdout
            .contains("  exp       1e400         not a time in seconds\n")
    );
}

#[test]
fn inspect_rejects_undecodable_tokens() {
    let r = run(&["inspect", "a.b"], None);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "malformed_token: token has 2 '.'-separated segments, a compact JWS has 3\n"
    );
    let r = run(&["inspect", "--json", "e30.e30=.x"], None);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "bad_base64: the payload segment is not canonical unpadded base64url\n"
    );
    assert_eq!(json(&r.stdout)["error"], "bad_base64");
    let not_json = format!("{}.{}.x", b64(b"{\"alg\":"), b64(b"{}"));
    let r = run(&["inspect", &not_json], None);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "json_syntax: the header is not valid JSON\n");
}
