//! Every case of core/tests/data/tokens.json (tokens signed by PyJWT) run
//! through the binary, its policy spelled as flags: the exit code and the
//! error name must be the core's verdict.

mod common;

use common::*;
use serde_json::Value as J;

/// The key flags for a case's `keys` source (see core/tests/fixtures.rs).
fn key_args(source: &str, jwk_dir: &std::path::Path) -> Vec<String> {
    let data = "core/tests/data/keys";
    // The fixtures' JWKS is private, holds HMAC secrets, and its RSA keys
    // (no JWK alg) sign PSS fixtures too: both asked for.
    if source == "jwks" {
        return vec![
            "--jwks".into(),
            format!("{data}/jwks.json"),
            "--jwks-allow-symmetric".into(),
            "--rsa-pss".into(),
        ];
    }
    if let Some(file) = source.strip_prefix("pem:") {
        return vec!["--pem".into(), format!("{data}/{file}"), "--rsa-pss".into()];
    }
    if let Some(kid) = source.strip_prefix("secret:") {
        // A secret serves one hash: the one --alg names.
        return vec![
            "--hs-secret-b64url".into(),
            format!("@{data}/{kid}.secret.b64url"),
            "--alg".into(),
            kid.to_uppercase(),
        ];
    }
    if let Some(kid) = source.strip_prefix("jwk:") {
        let jwks = json(&read(&format!("{data}/jwks.json")));
        let jwk = jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kid"] == kid)
            .unwrap();
        let path = jwk_dir.join(format!("{kid}.jwk.json"));
        std::fs::write(&path, jwk.to_string()).unwrap();
        return vec!["--jwk".into(), path.display().to_string()];
    }
    panic!("unknown key source {source}");
}

fn policy_args(p: &J) -> Vec<String> {
    let mut args = Vec::new();
    let mut set = |field: &str, flag: &str| {
        for v in p[field].as_array().into_iter().flatten() {
            args.push(flag.to_owned());
            args.push(v.as_str().unwrap().to_owned());
        }
    };
    set("issuers", "--iss");
    set("audiences", "--aud");
    set("authorized_parties", "--azp");
    set("client_ids", "--client-id");
    set("typ", "--typ");
    set("scopes", "--scope");
    set("algorithms", "--alg");
    if let Some(preset) = p["preset"].as_str() {
        args.extend(["--preset".into(), preset.into()]);
    }
    if let Some(l) = p["leeway"].as_u64() {
        args.extend(["--leeway".into(), l.to_string()]);
    }
    if let Some(m) = p["max_age"].as_u64() {
        args.extend(["--max-age".into(), m.to_string()]);
    }
    if p["require_exp"] == false {
        args.push("--no-require-exp".into());
    }
    if p["require_sub"] == false {
        args.push("--no-require-sub".into());
    }
    args
}

/// The core fixtures state `exp` as the core returns it, in whole seconds;
/// the CLI prints the token's own value (e.g. 1764000000.5).
fn same_claim(name: &str, got: &J, want: &J) -> bool {
    match (name, got.as_f64()) {
        ("exp", Some(f)) => Some(f.floor() as i64) == want.as_i64(),
        _ => got == want,
    }
}

#[test]
fn every_fixture_gets_the_cores_verdict() {
    let doc = json(&read("core/tests/data/tokens.json"));
    let jwk_dir =
        std::env::temp_dir().join(format!("verifier-cli-fixtures-{}", std::process::id()));
    std::fs::create_dir_all(&jwk_dir).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    // One process per case; run them on every core (key loading dominates in debug builds).
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = cases.len().div_ceil(threads);
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = cases
            .chunks(chunk)
            .map(|part| {
                s.spawn(|| {
                    part.iter()
                        .filter_map(|c| check_case(c, &jwk_dir))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let _ = std::fs::remove_dir_all(&jwk_dir);
    assert!(
        failures.is_empty(),
        "{} of {} cases wrong:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The run with the JWKS load report lines (the fixtures' JWKS has two keys
/// of unsupported types, reported on stderr) taken out of stderr.
fn without_load_notes(mut r: Run) -> Run {
    r.stderr = r
        .stderr
        .lines()
        .filter(|l| !l.starts_with("verifier: JWKS "))
        .map(|l| format!("{l}\n"))
        .collect();
    r
}

/// None when the binary's verdict on `case` is the expected one, else why not.
fn check_case(case: &J, jwk_dir: &std::path::Path) -> Option<String> {
    let name = case["name"].as_str().unwrap();
    let expect = case["expect"].as_str().unwrap();
    let mut args = vec!["verify".to_owned(), "--json".to_owned()];
    args.extend(key_args(case["keys"].as_str().unwrap(), jwk_dir));
    args.extend(policy_args(&case["policy"]));
    args.extend(["--now".into(), case["now"].as_i64().unwrap().to_string()]);
    // Through stdin: some fixtures are larger than a comfortable argument.
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = without_load_notes(run(&args, Some(case["token"].as_str().unwrap())));
    let ok = if expect == "ok" {
        let claims: J = serde_json::from_str(&r.stdout).unwrap_or_default();
        r.code == 0
            && r.stderr.is_empty()
            && case["claims"]
                .as_object()
                .unwrap()
                .iter()
                .all(|(k, v)| same_claim(k, &claims[k], v))
    } else {
        let j: J = serde_json::from_str(&r.stdout).unwrap_or_default();
        r.code == 1
            && j["error"] == expect
            && r.stderr.starts_with(&format!("{expect}: "))
            && r.stderr.ends_with('\n')
            && r.stderr.lines().count() == 1
            && j["detail"]
                .as_str()
                .is_some_and(|d| r.stderr == format!("{expect}: {d}\n"))
    };
    (!ok).then(|| {
        format!(
            "{name}: want {expect}, got exit {} stdout {} stderr {}",
            r.code,
            r.stdout.trim(),
            r.stderr.trim()
        )
    })
}

/// Each rejection in the fixtures gets a specific detail, not just the
/// error's generic message, for the errors that have values to quote.
#[test]
fn fixture_rejections_quote_the_token() {
    let doc = json(&read("core/tests/data/tokens.json"));
    let by_name = |n: &str| {
        doc["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == n)
            .unwrap()
            .clone()
    };
    let cases = [
        (
            "unknown kid",
            "unknown_kid: header kid \"nope\" matches none of the pinned keys (\"rsa2048\", \"rsa3072\", \"rsa4096\", \"p256\", \"p384\", \"p521\", \"ed25519\", \"hs256\", \"hs384\", \"hs512\")",
        ),
        (
            "ES256 token naming a P-384 key",
            "alg_not_allowed_for_key: header alg ES256 but the key with kid \"p384\" verifies only ES384",
        ),
        (
            "ES384 token naming a P-521 key",
            "alg_not_allowed_for_key: header alg ES384 but the key with kid \"p521\" verifies only ES512",
        ),
        (
            "HS256 with RSA public key as secret",
            "alg_not_allowed_for_key: header alg HS256 but the key with kid \"rsa2048\" verifies only RS256, RS384, RS512, PS256, PS384, PS512",
        ),
        (
            "wrong issuer",
            "wrong_issuer: iss \"https://evil.example.com\" is not \"https://issuer.example.com\"",
        ),
        (
            "client_id wrong",
            "wrong_client_id: client_id \"app2\" is not \"app1\"",
        ),
        (
            "typ missing refused",
            "missing_typ: header has no typ; expected \"at+jwt\"",
        ),
        (
            "scope missing one",
            "missing_scope: scope \"read:orders write:order\" lacks \"write:orders\"",
        ),
        (
            "max age without iat",
            "missing_issued_at: token has no iat, needed to enforce the max age of 600 s",
        ),
        (
            "too large",
            "token_too_large: token is 27262 bytes, the maximum is 16384",
        ),
        (
            "exp of type NoneType",
            "claim_wrong_type: exp is null, expected a number (NumericDate)",
        ),
        (
            "payload deep nesting",
            "json_too_deep: JSON nested too deeply in the payload",
        ),
    ];
    let jwk_dir = std::env::temp_dir();
    for (name, want) in cases {
        let case = by_name(name);
        let mut args = vec!["verify".to_owned()];
        args.extend(key_args(case["keys"].as_str().unwrap(), &jwk_dir));
        args.extend(policy_args(&case["policy"]));
        args.extend(["--now".into(), case["now"].as_i64().unwrap().to_string()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = without_load_notes(run(&args, Some(case["token"].as_str().unwrap())));
        assert_eq!(
            (r.code, r.stderr.as_str()),
            (1, format!("{want}\n").as_str()),
            "{name}"
        );
    }
}
