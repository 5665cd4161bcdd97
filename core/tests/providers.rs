//! The provider presets against tokens shaped as each provider documents them,
//! signed by PyJWT (scripts/gen_provider_fixtures.py): the token each must
//! accept and the confusions it must refuse (an ID token for an access token
//! and the reverse, an anon or service key for a user session, another
//! tenant's token), with the exact error.
#![cfg(all(feature = "rsa", feature = "ecdsa", feature = "hmac"))]

mod common;

use common::{b64url_decode, data_path, read_json};
use serde_json::Value as J;
use verifier_core::{Algorithm, Error, Key, KeySet, Policy, Verifier, scratch_len};

fn strs(config: &J, name: &str) -> Vec<String> {
    config[name]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

fn v(s: &[String]) -> Vec<&str> {
    s.iter().map(String::as_str).collect()
}

fn keys(source: &str) -> KeySet<4> {
    let mut set = KeySet::new();
    match source {
        "jwks" => {
            let text = std::fs::read(data_path("providers/jwks.json")).unwrap();
            assert_eq!(set.add_jwks(&text).unwrap(), 2);
        }
        "hs256" => {
            let secret =
                std::fs::read_to_string(data_path("providers/hs256.secret.b64url")).unwrap();
            let key = Key::hmac(&b64url_decode(&secret), Some(Algorithm::HS256)).unwrap();
            set.push(key).unwrap();
        }
        other => panic!("keys {other}"),
    }
    set
}

/// The sets a case configures, as the CLI flags would.
struct Sets<'a> {
    iss: &'a [&'a str],
    aud: &'a [&'a str],
    cid: &'a [&'a str],
    azp: &'a [&'a str],
    role: &'a [&'a str],
}

/// The preset a case names, configured as the CLI flags would be.
fn preset<'a>(provider: &str, s: &Sets<'a>) -> Result<Policy<'a>, Error> {
    let Sets {
        iss,
        aud,
        cid,
        azp,
        role,
    } = *s;
    match provider {
        "auth0" => Policy::auth0(iss, aud),
        "firebase" => Policy::firebase(iss, aud),
        "supabase" => Policy::supabase(iss, role),
        "cognito-id" => Policy::cognito_id(iss, aud),
        "cognito-access" => Policy::cognito_access(iss, cid),
        "entra" => Policy::entra(iss, aud),
        "google" => Policy::google(aud),
        "okta" => Policy::okta(iss, aud, cid),
        "keycloak" => Policy::keycloak(iss, azp),
        "keycloak-id" => Policy::keycloak_id(iss, aud),
        other => panic!("provider {other}"),
    }
}

#[test]
fn provider_tokens_get_the_documented_verdict() {
    let doc = read_json(data_path("providers/cases.json"));
    let now = doc["now"].as_i64().unwrap();
    let mut failures = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for case in doc["cases"].as_array().unwrap() {
        let provider = case["provider"].as_str().unwrap();
        let name = format!("{provider}: {}", case["name"].as_str().unwrap());
        seen.insert(provider.to_owned());
        let c = &case["config"];
        let (iss, aud, cid, azp, role) = (
            strs(c, "iss"),
            strs(c, "aud"),
            strs(c, "client_id"),
            strs(c, "azp"),
            strs(c, "role"),
        );
        let sets = Sets {
            iss: &v(&iss),
            aud: &v(&aud),
            cid: &v(&cid),
            azp: &v(&azp),
            role: &v(&role),
        };
        let policy = preset(provider, &sets).unwrap();
        policy.validate().unwrap();
        let verifier = Verifier::new(keys(case["keys"].as_str().unwrap())).unwrap();
        let token = case["token"].as_str().unwrap();
        let mut buf = vec![0u8; scratch_len(token.len())];
        let got = verifier
            .verify(token.as_bytes(), now, &policy, &mut buf)
            .map(|_| ())
            .map_err(|e| e.name());
        let expect = case["expect"].as_str().unwrap();
        let ok = match &got {
            Ok(()) => expect == "ok",
            Err(e) => *e == expect,
        };
        if !ok {
            failures.push(format!("{name}: expected {expect}, got {got:?}"));
        }
    }
    assert_eq!(seen.len(), 10, "every provider has cases: {seen:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn presets_refuse_a_configuration_missing_what_they_need() {
    const X: &[&str] = &["x"];
    let none: &[&str] = &[];
    assert_eq!(Policy::auth0(none, X).err(), Some(Error::PolicyNeedsIssuer));
    assert_eq!(
        Policy::auth0(X, none).err(),
        Some(Error::PolicyNeedsAudience)
    );
    assert_eq!(
        Policy::firebase(X, none).err(),
        Some(Error::PolicyNeedsAudience)
    );
    assert_eq!(
        Policy::supabase(none, none).err(),
        Some(Error::PolicyNeedsIssuer)
    );
    assert_eq!(
        Policy::cognito_id(X, none).err(),
        Some(Error::PolicyNeedsAudience)
    );
    assert_eq!(
        Policy::cognito_access(X, none).err(),
        Some(Error::PolicyNeedsClientId)
    );
    assert_eq!(
        Policy::entra(X, none).err(),
        Some(Error::PolicyNeedsAudience)
    );
    assert_eq!(Policy::google(none).err(), Some(Error::PolicyNeedsAudience));
    assert_eq!(
        Policy::okta(none, none, none).err(),
        Some(Error::PolicyNeedsIssuer)
    );
    assert_eq!(
        Policy::keycloak(X, none).err(),
        Some(Error::PolicyNeedsAuthorizedParty)
    );
    assert_eq!(
        Policy::keycloak_id(X, none).err(),
        Some(Error::PolicyNeedsAudience)
    );
    // A struct update that empties a needed set fails closed on validate.
    let emptied = Policy {
        client_ids: none,
        ..Policy::cognito_access(X, X).unwrap()
    };
    assert_eq!(emptied.validate(), Err(Error::PolicyNeedsClientId));
}

#[test]
fn defaults_the_presets_fill_in() {
    let x: &[&str] = &["x"];
    let sb = Policy::supabase(x, &[]).unwrap();
    assert_eq!(sb.audiences, &["authenticated"]);
    assert_eq!(sb.claim_checks.roles, &["authenticated"]);
    let custom = Policy::supabase(x, &["authenticated", "premium"]).unwrap();
    assert_eq!(custom.claim_checks.roles, &["authenticated", "premium"]);
    assert_eq!(
        Policy::okta(x, &[], &[]).unwrap().audiences,
        &["api://default"]
    );
    assert_eq!(
        Policy::google(x).unwrap().issuers,
        verifier_core::policy::GOOGLE_ISSUERS
    );
}
