//! Issue 14 through the binary: presets refuse missing flags, issuer-bound
//! JWKS, kid-less keys and --any-kid, the JWKS load report on stderr, and
//! the key-selection explanations.

mod common;

use common::*;

fn temp(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("verifier-cli-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Item 2: `--preset logto|id-token|access-token|clerk` without what the
/// provider requires is a usage error naming the flag (before: exit 0 with
/// no audience checked).
#[test]
fn presets_without_required_flags_exit_2() {
    let logto = read("examples/tokens/logto.jwt");
    let logto = logto.trim();
    for (preset, flags, missing) in [
        (
            "logto",
            vec!["--iss", "https://tenant.logto.app/oidc"],
            "--aud",
        ),
        ("logto", vec!["--aud", "https://api.example.com"], "--iss"),
        (
            "oidc",
            vec!["--iss", "https://tenant.logto.app/oidc"],
            "--aud",
        ),
        ("id-token", vec!["--aud", "client"], "--iss"),
        ("access-token", vec!["--iss", "https://i"], "--aud"),
        ("clerk", vec!["--iss", CLERK_ISS], "--azp"),
    ] {
        let mut args = vec![
            "verify",
            "--preset",
            preset,
            "--jwks",
            "examples/keys/logto-jwks.json",
            "--now",
            NOW,
        ];
        args.extend(flags);
        args.push(logto);
        let r = run(&args, None);
        assert_eq!(r.code, 2, "{preset}: {}", r.stderr);
        assert!(
            r.stderr
                .starts_with(&format!("verifier: --preset {preset} needs {missing}"))
                || (preset == "oidc" && r.stderr.contains(&format!("needs {missing}"))),
            "{preset}: {}",
            r.stderr
        );
    }
}

/// Item 3: a JWKS pinned for one issuer refuses tokens of another iss after
/// the signature verifies.
#[test]
fn issuer_jwks_binds_the_keys() {
    let token = clerk_token();
    let base = ["verify", "--azp", CLERK_AZP, "--now", NOW];
    let bound = |iss: &str| {
        run(
            &[
                &base[..],
                &[
                    "--issuer-jwks",
                    iss,
                    "examples/keys/clerk-jwks.json",
                    &token,
                ],
            ]
            .concat(),
            None,
        )
    };
    let r = bound(CLERK_ISS);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let r = bound("https://other-tenant.example.com");
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "key_issuer_mismatch: token iss \"https://clerk.example.com\" is not the issuer its key is bound to (bound issuers: \"https://other-tenant.example.com\")\n"
    );
}

/// Item 3: a --pem key without kid answers a token's kid only with --any-kid
/// or the Clerk preset (Clerk's PEM verification ignores kid).
#[test]
fn kidless_pem_answers_a_kid_only_when_asked() {
    let token = clerk_token();
    let args = |extra: &[&str]| {
        let base = [
            "verify",
            "--pem",
            "examples/keys/clerk.pem",
            "--azp",
            CLERK_AZP,
            "--now",
            NOW,
        ];
        run(&[&base[..], extra, &[token.as_str()]].concat(), None)
    };
    let r = args(&[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("unknown_kid: "), "{}", r.stderr);
    assert_eq!(args(&["--any-kid"]).code, 0);
    assert_eq!(args(&["--preset", "clerk"]).code, 0);
}

/// Item 3: beside a JWKS, the Clerk preset does not silently make its PEM key
/// answer any kid: a kid the JWKS does not carry (the provider rotated) is
/// `unknown_kid`, so a refresh fires; `--any-kid` opts in. Before: the PEM
/// key answered it and the token passed.
#[test]
fn clerk_pem_beside_a_jwks_leaves_unknown_kids_unknown() {
    let token = clerk_token();
    let args = |extra: &[&str]| {
        let base = [
            "verify",
            "--preset",
            "clerk",
            "--jwks",
            "examples/keys/clerk-rotated-jwks.json",
            "--pem",
            "examples/keys/clerk.pem",
            "--azp",
            CLERK_AZP,
            "--now",
            NOW,
        ];
        run(&[&base[..], extra, &[token.as_str()]].concat(), None)
    };
    let r = args(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("unknown_kid: "), "{}", r.stderr);
    let r = args(&["--any-kid"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// Item 6: a JWKS with unusable keys loads the rest and says what it skipped.
#[test]
fn jwks_load_report_on_stderr() {
    let jwks: serde_json::Value = json(&read("examples/keys/clerk-jwks.json"));
    let good = jwks["keys"][0].clone();
    let mut long_kid = good.clone();
    long_kid["kid"] = "k".repeat(65).into();
    let big = serde_json::json!({"kty": "RSA", "kid": "big", "n": b64(&[0xc5; 1024]), "e": "AQAB"});
    let oct = serde_json::json!({"kty": "oct", "kid": "s", "k": b64(&[1; 32])});
    let doc = serde_json::json!({"keys": [long_kid, big, oct, good]});
    let path = temp("odd-jwks.json", &doc.to_string());
    let r = verify_clerk(&["--jwks", &path, "--now", NOW], &clerk_token());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "verifier: JWKS {path}: 1 keys loaded, 3 skipped (1 symmetric_key_in_jwks, 1 rsa_key_size, 1 kid_too_long)\n"
        )
    );
}

/// Item 7: the NoMatchingKey explanation says whether the token had a kid
/// (before: "the token has no kid" even when it named one).
#[test]
fn no_matching_key_explanations() {
    let jwk = |i: usize, kid: Option<&str>| {
        let mut k = serde_json::json!({"kty": "oct", "k": b64(&[i as u8 + 1; 32])});
        if let Some(kid) = kid {
            k["kid"] = kid.into();
        }
        temp(
            &format!("k{i}-{}.jwk", kid.unwrap_or("none")),
            &k.to_string(),
        )
    };
    let payload = b64(br#"{"sub":"u","exp":1764000600}"#);
    for kid in [Some("dup"), None] {
        let mut args = vec!["verify".to_string(), "--now".into(), NOW.into()];
        for i in 0..5 {
            args.extend(["--jwk".to_string(), jwk(i, kid)]);
        }
        let header = match kid {
            Some(k) => format!(r#"{{"alg":"HS256","kid":"{k}"}}"#),
            None => r#"{"alg":"HS256"}"#.to_string(),
        };
        args.push(format!(
            "{}.{payload}.{}",
            b64(header.as_bytes()),
            b64(&[0; 32])
        ));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run(&args, None);
        assert_eq!(r.code, 1);
        let want = match kid {
            Some(_) => {
                "no_matching_key: header kid \"dup\" is carried by 5 pinned keys that verify HS256, more than the 4 a token may be tried against\n"
            }
            None => {
                "no_matching_key: the token has no kid and 5 pinned keys verify HS256, more than the 4 a token may be tried against\n"
            }
        };
        assert_eq!(r.stderr, want);
    }
}
