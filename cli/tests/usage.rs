//! Bad arguments, unreadable keys and missing input: exit 2 with a message
//! that names the problem; `--help` and `--version` exit 0.

mod common;

use common::*;

fn usage_error(args: &[&str], stdin: Option<&str>, want: &str) {
    let r = run(args, stdin);
    assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    assert_eq!(r.stdout, "", "{args:?}");
    assert!(
        r.stderr.contains(want),
        "{args:?}: {:?} lacks {want:?}",
        r.stderr
    );
}

#[test]
fn key_problems_name_the_file_and_the_reason() {
    let t = clerk_token();
    usage_error(
        &["verify", "--now", NOW, &t],
        None,
        "verifier: no keys: give --jwks, --jwk, --pem or --hs-secret-b64url",
    );
    usage_error(
        &["verify", "--jwks", "examples/keys/missing.json", &t],
        None,
        "verifier: cannot read examples/keys/missing.json: ",
    );
    usage_error(
        &["verify", "--jwks", "examples/keys/clerk.pem", &t],
        None,
        "verifier: cannot load JWKS examples/keys/clerk.pem: key could not be parsed (key_malformed)",
    );
    usage_error(
        &["verify", "--pem", "examples/keys/clerk-jwks.json", &t],
        None,
        "verifier: cannot load PEM examples/keys/clerk-jwks.json: key could not be parsed (key_malformed)",
    );
    usage_error(
        &["verify", "--jwk", "examples/keys/clerk-jwks.json", &t],
        None,
        "verifier: cannot load JWK examples/keys/clerk-jwks.json: key could not be parsed (key_malformed)",
    );
    usage_error(
        &["verify", "--hs-secret-b64url", "c2hvcnQ", &t],
        None,
        "verifier: cannot load HMAC secret #1: 5 bytes is too short; HS256 needs at least 32",
    );
    usage_error(
        &["verify", "--hs-secret-b64url", "not base64!", &t],
        None,
        "verifier: cannot load HMAC secret #1: not base64url",
    );
    usage_error(
        &["verify", "--hs-secret-b64url", "@examples/keys/nope", &t],
        None,
        "verifier: cannot read examples/keys/nope: ",
    );
}

#[test]
fn too_many_keys() {
    let mut args = vec!["verify"];
    for _ in 0..33 {
        args.extend(["--pem", "examples/keys/clerk.pem"]);
    }
    args.push("a.b.c");
    usage_error(
        &args,
        None,
        "more keys than the key set can hold (at most 32 keys, and 256 entries in a JWKS) (too_many_keys)",
    );
}

#[test]
fn policy_flag_problems() {
    let jwks = ["verify", "--jwks", "examples/keys/clerk-jwks.json"];
    fn with<'a>(jwks: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        let mut a = jwks.to_vec();
        a.extend_from_slice(extra);
        a.push("a.b.c");
        a
    }
    usage_error(
        &with(&jwks, &["--alg", "none"]),
        None,
        "--alg none: unsigned tokens are never accepted",
    );
    usage_error(
        &with(&jwks, &["--alg", "RS256,rs384"]),
        None,
        "--alg \"rs384\" is not a supported algorithm",
    );
    usage_error(
        &with(&jwks, &["--iss", ""]),
        None,
        "--iss must not be empty",
    );
    usage_error(
        &with(&jwks, &["--scope", "read write"]),
        None,
        "--scope \"read write\" contains a space",
    );
    usage_error(
        &with(&jwks, &["--preset", "ory"]),
        None,
        "invalid value 'ory' for '--preset <PRESET>'",
    );
    usage_error(
        &with(&jwks, &["--leeway", "-1"]),
        None,
        "unexpected argument '-1'",
    );
    usage_error(
        &with(&jwks, &["--now", "soon"]),
        None,
        "invalid value 'soon' for '--now <UNIX_SECONDS>'",
    );
    usage_error(
        &with(&jwks, &["--bogus"]),
        None,
        "unexpected argument '--bogus'",
    );
    usage_error(
        &["frobnicate"],
        None,
        "unrecognized subcommand 'frobnicate'",
    );
    usage_error(&[], None, "Usage: verifier <COMMAND>");
}

#[test]
fn token_input_problems() {
    let keys = ["verify", "--jwks", "examples/keys/clerk-jwks.json"];
    usage_error(&keys, Some(""), "no token given");
    usage_error(&keys, Some("Bearer \n"), "no token given");
    let mut file = keys.to_vec();
    file.extend(["--token-file", "examples/tokens/none.jwt"]);
    usage_error(
        &file,
        None,
        "cannot read the token from examples/tokens/none.jwt",
    );
    let mut both = keys.to_vec();
    both.extend(["--token-file", "examples/tokens/clerk.jwt", "a.b.c"]);
    usage_error(&both, None, "cannot be used with");
    usage_error(&["inspect"], Some(""), "no token given");
}

#[test]
fn help_and_version() {
    let r = run(&["--help"], None);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("verify") && r.stdout.contains("inspect"));
    assert!(r.stdout.contains("Exit status: 0"));
    let r = run(&["verify", "--help"], None);
    assert_eq!(r.code, 0);
    for flag in [
        "--jwks",
        "--jwk",
        "--pem",
        "--hs-secret-b64url",
        "--preset",
        "--iss",
        "--aud",
        "--azp",
        "--client-id",
        "--typ",
        "--scope",
        "--leeway",
        "--alg",
        "--now",
        "--json",
        "--token-file",
        "Examples:",
    ] {
        assert!(r.stdout.contains(flag), "verify --help lacks {flag}");
    }
    let r = run(&["inspect", "--help"], None);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("WITHOUT verifying"));
    let r = run(&["--version"], None);
    assert_eq!((r.code, r.stdout.as_str()), (0, "verifier 0.1.0\n"));
}
