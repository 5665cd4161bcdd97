//! `verifier verify` on good, expired, tampered and malformed tokens: exit
//! codes, the claims on stdout, the one-line reasons on stderr, `--json`.

mod common;

use common::*;

#[test]
fn readme_command_verifies_the_clerk_example() {
    // Exactly the README's first command.
    let r = run(
        &[
            "verify",
            "--preset",
            "clerk",
            "--jwks",
            "examples/keys/clerk-jwks.json",
            "--iss",
            "https://clerk.example.com",
            "--azp",
            "https://app.example.com",
            "--now",
            "1764000000",
            &clerk_token(),
        ],
        None,
    );
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let claims = json(&r.stdout);
    assert_eq!(claims["sub"], "user_2abcDEF");
    assert_eq!(claims["sid"], "sess_2abcDEF");
    assert_eq!(claims["iss"], CLERK_ISS);
    assert_eq!(claims["azp"], CLERK_AZP);
    assert_eq!(claims["exp"], 1764000060);
    assert_eq!(claims["pla"], "u:free");
    // Members in the token's order.
    let order: Vec<&str> = claims
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        order,
        [
            "azp", "exp", "iat", "iss", "nbf", "sid", "sub", "v", "fva", "pla", "fea"
        ]
    );
}

#[test]
fn pem_key_verifies_the_clerk_example_too() {
    let token = clerk_token();
    let r = run(
        &[
            "verify",
            "--preset",
            "clerk",
            "--pem",
            "examples/keys/clerk.pem",
            "--azp",
            "https://app.example.com",
            "--now",
            NOW,
            &token,
        ],
        None,
    );
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(json(&r.stdout)["sub"], "user_2abcDEF");
}

#[test]
fn logto_example_from_stdin_as_an_authorization_header() {
    let token = read("examples/tokens/logto.jwt");
    let args = [
        "verify",
        "--preset",
        "logto",
        "--jwks",
        "examples/keys/logto-jwks.json",
        "--iss",
        "https://tenant.logto.app/oidc",
        "--aud",
        "https://api.example.com",
        "--client-id",
        "m2mapp",
        "--scope",
        "read",
        "--now",
        NOW,
    ];
    for input in [
        format!("Bearer {}", token.trim()),
        format!("Authorization: Bearer {}\r\n", token.trim()),
        token.clone(),
    ] {
        let r = run(&args, Some(&input));
        assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{input:?}");
        let claims = json(&r.stdout);
        assert_eq!(claims["client_id"], "m2mapp");
        assert_eq!(claims["aud"], "https://api.example.com");
    }
    // "-" also means stdin.
    let mut with_dash = args.to_vec();
    with_dash.push("-");
    assert_eq!(run(&with_dash, Some(&token)).code, 0);
}

#[test]
fn token_from_a_file() {
    let r = run(
        &[
            "verify",
            "--preset",
            "clerk",
            "--jwks",
            "examples/keys/clerk-jwks.json",
            "--azp",
            "https://app.example.com",
            "--now",
            NOW,
            "--token-file",
            "examples/tokens/clerk.jwt",
        ],
        None,
    );
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(json(&r.stdout)["sub"], "user_2abcDEF");
}

#[test]
fn expired_names_exp_now_and_leeway() {
    // exp is 1764000060; Clerk's leeway is 5 s.
    let r = verify_clerk(&["--now", "1764000070"], &clerk_token());
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "expired: exp 1764000060 is 10 s before now, leeway 5 s\n"
    );
    assert_eq!(r.stdout, "");

    let r = verify_clerk(&["--now", "1764000070", "--json"], &clerk_token());
    assert_eq!(r.code, 1);
    assert_eq!(
        json(&r.stdout),
        serde_json::json!({
            "error": "expired",
            "code": 600,
            "message": "token has expired",
            "detail": "exp 1764000060 is 10 s before now, leeway 5 s",
        })
    );

    // Within the leeway it passes; --leeway overrides the preset's.
    assert_eq!(
        verify_clerk(&["--now", "1764000064"], &clerk_token()).code,
        0
    );
    let r = verify_clerk(&["--now", "1764000064", "--leeway", "0"], &clerk_token());
    assert_eq!(
        r.stderr,
        "expired: exp 1764000060 is 4 s before now, leeway 0 s\n"
    );

    // Long ago also in days.
    let r = verify_clerk(&["--now", "1764100000"], &clerk_token());
    assert_eq!(
        r.stderr,
        "expired: exp 1764000060 is 99940 s (1 d 3 h) before now, leeway 5 s\n"
    );
}

#[test]
fn the_clock_is_the_default_now() {
    // The example expired in 2025: with the real clock it is refused.
    let r = verify_clerk(&[], &clerk_token());
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("expired: exp 1764000060 is "),
        "{}",
        r.stderr
    );
}

#[test]
fn not_yet_valid_and_issued_in_future() {
    // nbf 1763999989, iat 1763999999.
    let r = verify_clerk(&["--now", "1763999980", "--leeway", "0"], &clerk_token());
    assert_eq!(
        r.stderr,
        "not_yet_valid: nbf 1763999989 is 9 s after now, leeway 0 s\n"
    );
    let r = verify_clerk(&["--now", "1763999990", "--leeway", "0"], &clerk_token());
    assert_eq!(
        r.stderr,
        "issued_in_future: iat 1763999999 is 9 s after now, leeway 0 s\n"
    );
    let r = verify_clerk(
        &["--now", NOW, "--max-age", "0", "--leeway", "0"],
        &clerk_token(),
    );
    assert_eq!(
        r.stderr,
        "token_too_old: iat 1763999999 is 1 s before now, max age 0 s, leeway 0 s\n"
    );
    assert_eq!(
        verify_clerk(&["--now", NOW, "--max-age", "0"], &clerk_token()).code,
        0
    );
}

#[test]
fn policy_mismatches_quote_both_sides() {
    let t = clerk_token();
    let cases: &[(&[&str], &str)] = &[
        (
            &["--aud", "https://api.example.com"],
            "missing_audience: token has no aud; expected \"https://api.example.com\"",
        ),
        (
            &["--client-id", "app1"],
            "missing_client_id: token has no client_id; expected \"app1\"",
        ),
        (
            &["--scope", "read", "--scope", "write"],
            "missing_scope: token has no scope; required \"read\", \"write\"",
        ),
        (
            &["--typ", "at+jwt"],
            "wrong_typ: header typ \"JWT\" is not \"at+jwt\"",
        ),
        (
            &["--alg", "ES256,PS256"],
            "alg_not_allowed_by_policy: header alg RS256 is not in the allow-list (PS256, ES256)",
        ),
    ];
    for (extra, want) in cases {
        let mut args = vec!["--now", NOW];
        args.extend_from_slice(extra);
        let r = verify_clerk(&args, &t);
        assert_eq!(r.code, 1, "{extra:?}");
        assert_eq!(r.stderr, format!("{want}\n"), "{extra:?}");
    }
    // Other issuers and authorized parties than the token's.
    let clerk = [
        "verify",
        "--preset",
        "clerk",
        "--jwks",
        "examples/keys/clerk-jwks.json",
    ];
    let with = |extra: &[&str]| run(&[&clerk[..], extra, &["--now", NOW, &t]].concat(), None);
    let r = with(&[
        "--iss",
        "https://a.example.com",
        "--iss",
        "https://b.example.com",
        "--azp",
        "https://app.example.com",
    ]);
    assert_eq!(
        r.stderr,
        "wrong_issuer: iss \"https://clerk.example.com\" is not one of \"https://a.example.com\", \"https://b.example.com\"\n"
    );
    let r = with(&[
        "--azp",
        "https://evil.example.com",
        "--azp",
        "https://x.example.com",
    ]);
    assert_eq!(
        r.stderr,
        "wrong_authorized_party: azp \"https://app.example.com\" is not one of \"https://evil.example.com\", \"https://x.example.com\"\n"
    );
}

#[test]
fn tampered_payload_and_signature_are_bad_signatures() {
    let token = clerk_token();
    let parts: Vec<&str> = token.split('.').collect();
    let payload = String::from_utf8(unb64(parts[1])).unwrap();
    let forged = payload.replace("user_2abcDEF", "user_2admin0");
    assert_ne!(forged, payload);
    let tampered = format!("{}.{}.{}", parts[0], b64(forged.as_bytes()), parts[2]);
    let r = verify_clerk(&["--now", NOW], &tampered);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "bad_signature: RS256 signature does not verify with the key with kid \"ins_2example\"\n"
    );
    assert_eq!(r.stdout, "");

    let mut sig = unb64(parts[2]);
    sig[100] ^= 1;
    let tampered = format!("{}.{}.{}", parts[0], parts[1], b64(&sig));
    let r = verify_clerk(&["--now", NOW, "--json"], &tampered);
    assert_eq!(r.code, 1);
    let j = json(&r.stdout);
    assert_eq!(
        (j["error"].as_str(), j["code"].as_u64()),
        (Some("bad_signature"), Some(403))
    );

    let short = format!("{}.{}.{}", parts[0], parts[1], b64(&sig[..255]));
    let r = verify_clerk(&["--now", NOW], &short);
    assert_eq!(
        r.stderr,
        "bad_signature_length: RS256 signature is 255 bytes, not the key's modulus size\n"
    );
}

#[test]
fn malformed_tokens_say_what_is_wrong() {
    let token = clerk_token();
    let parts: Vec<&str> = token.split('.').collect();
    let header = |h: &str| format!("{}.{}.{}", b64(h.as_bytes()), parts[1], parts[2]);
    let cases: Vec<(String, &str)> = vec![
        (
            "not-a-token".into(),
            "malformed_token: token has 1 '.'-separated segments, a compact JWS has 3",
        ),
        (
            format!("{}.{}", parts[0], parts[1]),
            "malformed_token: token has 2 '.'-separated segments, a compact JWS has 3",
        ),
        (
            format!(".{}.{}", parts[1], parts[2]),
            "malformed_token: the header segment is empty",
        ),
        (
            format!("{}.{}.{}==", parts[0], parts[1], parts[2]),
            "bad_base64: the signature segment is not canonical unpadded base64url (it has '=' padding)",
        ),
        (
            format!("{}.{}+.{}", parts[0], parts[1], parts[2]),
            "bad_base64: the payload segment is not canonical unpadded base64url (it uses the standard alphabet's '+' or '/')",
        ),
        (
            header(r#"{"alg":"none"}"#),
            "alg_none: header alg \"none\": unsigned tokens are never accepted",
        ),
        (
            header(r#"{"alg":"NoNe","typ":"JWT"}"#),
            "alg_none: header alg \"NoNe\": unsigned tokens are never accepted",
        ),
        (
            header(r#"{"alg":"ES256K"}"#),
            "unsupported_alg: header alg \"ES256K\" is not supported (supported: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, HS256, HS384, HS512)",
        ),
        (
            header(r#"{"typ":"JWT"}"#),
            "missing_alg: protected header has no \"alg\"",
        ),
        (
            header(r#"["RS256"]"#),
            "malformed_header: the header is an array, not a JSON object",
        ),
        (
            header(r#"{"alg":"RS256","kid":7}"#),
            "header_wrong_type: header kid is a number, expected a string",
        ),
        (
            header(r#"{"alg":"RS256","alg":"RS256"}"#),
            "json_duplicate_member: duplicate member name in a JSON object in the header",
        ),
        (
            header(r#"{"alg":"RS256","crit":["exp"]}"#),
            "unknown_crit: header crit [\"exp\"] names extensions this verifier does not understand",
        ),
        (
            header(r#"{"alg":"RS256","crit":[]}"#),
            "unknown_crit: header crit [] is not a non-empty array of extension names",
        ),
        (
            header(r#"{"alg":"RS256","kid":"nope"}"#),
            "unknown_kid: header kid \"nope\" matches none of the pinned keys (\"ins_2example\")",
        ),
    ];
    for (token, want) in &cases {
        for json_flag in [false, true] {
            let mut extra = vec!["--now", NOW];
            if json_flag {
                extra.push("--json");
            }
            let r = verify_clerk(&extra, token);
            assert_eq!(r.code, 1, "{token}");
            assert_eq!(r.stderr, format!("{want}\n"), "{token}");
            if json_flag {
                let j = json(&r.stdout);
                let (name, detail) = want.split_once(": ").unwrap();
                assert_eq!(j["error"], name);
                assert_eq!(j["detail"], detail);
            } else {
                assert_eq!(r.stdout, "");
            }
        }
    }
}

#[test]
fn payload_problems_are_named() {
    // Claims are checked only once the signature verifies: sign with a secret.
    let secret = b"0123456789abcdef0123456789abcdef";
    let sign = |payload: &str| {
        let h = b64(br#"{"alg":"HS256"}"#);
        let p = b64(payload.as_bytes());
        let mac = hmac_sha256(secret, format!("{h}.{p}").as_bytes());
        format!("{h}.{p}.{}", b64(&mac))
    };
    let key = b64(secret);
    let cases = [
        (
            r#"{"sub":"u","exp":"soon"}"#,
            "claim_wrong_type: exp is a string, expected a number (NumericDate)",
        ),
        (
            r#"{"sub":"u","exp":1764000060,"aud":["a",1]}"#,
            "claim_wrong_type: aud contains a number, expected only strings",
        ),
        (
            r#"{"sub":7,"exp":1764000060}"#,
            "claim_wrong_type: sub is a number, expected a string",
        ),
        (
            r#"{"sub":"u","exp":1e400}"#,
            "claim_out_of_range: exp 1e400 is out of range for a time in seconds",
        ),
        (
            "[1]",
            "payload_not_object: the payload is an array, not a JSON object",
        ),
        (
            r#"{"sub":"u","sub":"v"}"#,
            "json_duplicate_member: duplicate member name in a JSON object in the payload",
        ),
        (
            r#"{"sub":"u"}"#,
            "missing_exp: token has no exp, and one is required",
        ),
        (r#"{"exp":1764000060}"#, "missing_subject: token has no sub"),
        (
            r#"{"sub":"u","exp":1764000060,"scope":"read"}"#,
            "missing_scope: scope \"read\" lacks \"write\"",
        ),
        (
            r#"{"sub":"u","exp":1764000060,"aud":["x","y"]}"#,
            "wrong_audience: aud [\"x\", \"y\"] contains none of \"https://api.example.com\"",
        ),
        (
            r#"{"sub":"u","exp":1763999999.5}"#,
            "expired: exp 1763999999.5 is 0 s before now, leeway 0 s",
        ),
    ];
    for (payload, want) in cases {
        let needs_scope = want.starts_with("missing_scope");
        let needs_aud = want.starts_with("wrong_audience");
        let mut args = vec!["verify", "--hs-secret-b64url", &key, "--now", NOW];
        if needs_scope {
            args.extend(["--scope", "read", "--scope", "write"]);
        }
        if needs_aud {
            args.extend(["--aud", "https://api.example.com"]);
        }
        let token = sign(payload);
        args.push(&token);
        let r = run(&args, None);
        assert_eq!(
            (r.code, r.stderr.as_str()),
            (1, format!("{want}\n").as_str()),
            "{payload}"
        );
    }
    // Without exp or sub when allowed, and a custom claim beyond f64 is printed as written.
    let token = sign(r#"{"big":1e400}"#);
    let r = run(
        &[
            "verify",
            "--hs-secret-b64url",
            &key,
            "--no-require-exp",
            "--no-require-sub",
            &token,
        ],
        None,
    );
    assert_eq!((r.code, r.stdout.as_str()), (0, "{\"big\":1e400}\n"));
}

/// HMAC-SHA-256 (RFC 2104) over the core's SHA-256, to sign test tokens.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    use verifier_core::hash::HashAlg::Sha256;
    let mut k = [0u8; 64];
    k[..key.len()].copy_from_slice(key);
    let pad = |b: u8| k.iter().map(|x| x ^ b).collect::<Vec<u8>>();
    let inner = Sha256.digest_parts(&[&pad(0x36), msg]);
    Sha256
        .digest_parts(&[&pad(0x5c), inner.as_bytes()])
        .as_bytes()
        .to_vec()
}

/// A `kid` that names no key, with several id-less keys that fit: the detail
/// quotes the kid instead of saying the token has none, and says why the
/// id-less keys do not answer it (they answer a kid only when marked to).
#[test]
fn kid_matching_no_key_among_idless_keys_is_quoted() {
    let (k1, k2) = ([7u8; 32], [9u8; 32]);
    let h = b64(br#"{"alg":"HS256","kid":"gone"}"#);
    let p = b64(br#"{"sub":"u","exp":1764000600}"#);
    let token = format!(
        "{h}.{p}.{}",
        b64(&hmac_sha256(&k1, format!("{h}.{p}").as_bytes()))
    );
    let (k1, k2) = (b64(&k1), b64(&k2));
    let args = [
        "verify",
        "--hs-secret-b64url",
        &k1,
        "--hs-secret-b64url",
        &k2,
        "--now",
        NOW,
        &token,
    ];
    let r = run(&args, None);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "unknown_kid: header kid \"gone\" matches none of the pinned keys: none has a kid, \
             and the 2 pinned without one are not marked to answer any kid\n"
        )
    );
}
