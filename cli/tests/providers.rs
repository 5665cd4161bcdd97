//! The provider presets through the binary: every case of
//! core/tests/data/providers/cases.json (tokens shaped as each provider
//! documents them, signed by PyJWT) run with `--preset <provider>` and the
//! case's configuration as flags; the exit code and the error name must be
//! the documented verdict.

mod common;

use common::*;
use serde_json::Value as J;

const DATA: &str = "core/tests/data/providers";

fn args_of(case: &J) -> Vec<String> {
    let mut args: Vec<String> = vec!["verify".into(), "--json".into(), "--now".into()];
    args.push(NOW.into());
    args.extend(["--preset".into(), case["provider"].as_str().unwrap().into()]);
    match case["keys"].as_str().unwrap() {
        "jwks" => args.extend(["--jwks".into(), format!("{DATA}/jwks.json")]),
        "hs256" => args.extend([
            "--hs-secret-b64url".into(),
            format!("@{DATA}/hs256.secret.b64url"),
            "--alg".into(),
            "HS256".into(),
        ]),
        other => panic!("keys {other}"),
    }
    for (field, flag) in [
        ("iss", "--iss"),
        ("aud", "--aud"),
        ("client_id", "--client-id"),
        ("azp", "--azp"),
        ("role", "--role"),
    ] {
        for v in case["config"][field].as_array().unwrap() {
            args.extend([flag.into(), v.as_str().unwrap().into()]);
        }
    }
    args
}

#[test]
fn every_provider_case_gets_its_verdict() {
    let doc = json(&read(&format!("{DATA}/cases.json")));
    assert_eq!(doc["now"].as_i64().unwrap().to_string(), NOW);
    let mut failures = Vec::new();
    for case in doc["cases"].as_array().unwrap() {
        let name = format!(
            "{}: {}",
            case["provider"].as_str().unwrap(),
            case["name"].as_str().unwrap()
        );
        let args = args_of(case);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run(&args, Some(case["token"].as_str().unwrap()));
        let expect = case["expect"].as_str().unwrap();
        let ok = if expect == "ok" {
            r.code == 0
        } else {
            let j: J = serde_json::from_str(&r.stdout).unwrap_or_default();
            r.code == 1 && j["error"] == expect
        };
        if !ok {
            failures.push(format!(
                "{name}: want {expect}, got exit {} stdout {} stderr {}",
                r.code,
                r.stdout.trim(),
                r.stderr.trim()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each preset refuses to start without what it needs, naming the flag.
#[test]
fn presets_name_the_flag_they_need() {
    let jwks = format!("{DATA}/jwks.json");
    let cases: &[(&[&str], &str)] = &[
        (
            &["--preset", "auth0", "--aud", "https://api.example.com"],
            "--iss",
        ),
        (
            &["--preset", "auth0", "--iss", "https://t.auth0.com/"],
            "--aud",
        ),
        (&["--preset", "firebase"], "--iss"),
        (&["--preset", "supabase"], "--iss"),
        (
            &["--preset", "cognito-id", "--iss", "https://cognito-idp.x/p"],
            "--aud",
        ),
        (
            &[
                "--preset",
                "cognito-access",
                "--iss",
                "https://cognito-idp.x/p",
            ],
            "--client-id",
        ),
        (
            &["--preset", "entra", "--iss", "https://sts.windows.net/t/"],
            "--aud",
        ),
        (&["--preset", "google"], "--aud"),
        (&["--preset", "okta"], "--iss"),
        (
            &["--preset", "keycloak", "--iss", "https://kc/realms/r"],
            "--azp",
        ),
        (
            &["--preset", "keycloak-id", "--iss", "https://kc/realms/r"],
            "--aud",
        ),
    ];
    for (flags, needed) in cases {
        let mut args = vec!["verify", "--jwks", &jwks];
        args.extend_from_slice(flags);
        args.push("x.y.z");
        let r = run(&args, None);
        assert_eq!(r.code, 2, "{flags:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("needs {needed}")),
            "{flags:?}: {}",
            r.stderr
        );
    }
}

/// An issuer not of the form the provider documents is a usage error, naming
/// the form (here Okta's org authorization server, whose tokens only Okta
/// may validate, and an Auth0 issuer without its trailing slash).
#[test]
fn issuers_not_of_the_documented_form_are_refused() {
    let jwks = format!("{DATA}/jwks.json");
    for (preset, iss, form) in [
        ("okta", "https://dev-123456.okta.com", "/oauth2/"),
        ("auth0", "https://dev-abc123.us.auth0.com", "trailing slash"),
        ("cognito-access", "https://example.com/pool", "cognito-idp"),
    ] {
        let r = run(
            &[
                "verify",
                "--jwks",
                &jwks,
                "--preset",
                preset,
                "--iss",
                iss,
                "--aud",
                "a",
                "--client-id",
                "c",
                "x.y.z",
            ],
            None,
        );
        assert_eq!(r.code, 2, "{preset}: {}", r.stderr);
        assert!(
            r.stderr.contains("is not of the form") && r.stderr.contains(form),
            "{preset}: {}",
            r.stderr
        );
    }
}

/// An empty --role is a usage error, not a role nobody has.
#[test]
fn an_empty_role_is_refused() {
    let jwks = format!("{DATA}/jwks.json");
    let r = run(
        &[
            "verify",
            "--jwks",
            &jwks,
            "--preset",
            "supabase",
            "--iss",
            "https://ref.supabase.co/auth/v1",
            "--role",
            "",
            "x.y.z",
        ],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--role"), "{}", r.stderr);
}

/// Firebase's issuer follows from the project id when --iss is not given.
#[test]
fn firebase_issuer_follows_from_the_project_id() {
    let doc = json(&read(&format!("{DATA}/cases.json")));
    let case = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["provider"] == "firebase" && c["expect"] == "ok")
        .unwrap();
    let aud = case["config"]["aud"][0].as_str().unwrap();
    let jwks = format!("{DATA}/jwks.json");
    let token = case["token"].as_str().unwrap();
    let r = run(
        &[
            "verify", "--now", NOW, "--preset", "firebase", "--jwks", &jwks, "--aud", aud, token,
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}
