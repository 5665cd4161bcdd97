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

/// Each preset's issuers must have the form its provider documents: one that
/// cannot be the provider's is refused at configuration (`InvalidPolicy`,
/// from `validate` and every `check`), not left to refuse every token.
#[test]
fn issuers_not_of_the_documented_form_are_refused() {
    use verifier_core::policy::IssuerForm;
    type Make = fn(&'static [&'static str]) -> Result<Policy<'static>, Error>;
    let cases: &[(Make, &[&str], &[&str])] = &[
        (
            |i| Policy::auth0(i, &["https://api.example.com"]),
            &[
                "https://dev-abc123.us.auth0.com/",
                "https://login.example.com/",
            ],
            &[
                "https://dev-abc123.us.auth0.com",
                "dev-abc123.us.auth0.com/",
                "https://dev-abc123.us.auth0.com/api/",
                "http://dev-abc123.us.auth0.com/",
            ],
        ),
        (
            |i| Policy::firebase(i, &["my-project-1234"]),
            &["https://securetoken.google.com/my-project-1234"],
            &[
                "https://securetoken.google.com/other-project",
                "https://securetoken.google.com/",
                "https://accounts.google.com",
                "https://securetoken.google.com/my-project-1234/",
            ],
        ),
        (
            |i| Policy::cognito_id(i, &["client"]),
            &[
                "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI",
                "https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_AbCdEfGhI",
            ],
            &[
                "https://cognito-idp.us-east-1.amazonaws.com/",
                "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI/",
                "https://cognito-identity.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI",
                "https://cognito-idp.evil.com/x.amazonaws.com/us-east-1_AbCdEfGhI",
                "us-east-1_AbCdEfGhI",
            ],
        ),
        (
            |i| Policy::cognito_access(i, &["client"]),
            &["https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_ZyXwVuTsR"],
            &["https://cognito-idp.eu-west-1.amazonaws.com"],
        ),
        (
            |i| Policy::entra(i, &["api://app"]),
            &[
                "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
                "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
                "https://login.microsoftonline.com/{tenantid}/v2.0",
                "https://sts.windows.net/{tenantid}/",
            ],
            &[
                "https://login.microsoftonline.com/v2.0",
                "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47",
                "https://login.microsoftonline.com/common/oauth2/v2.0",
                "https://login.microsoftonline.com//v2.0",
            ],
        ),
        (
            |i| Policy::okta(i, &[], &[]),
            &[
                "https://dev-123456.okta.com/oauth2/default",
                "https://dev-123456.okta.com/oauth2/aus9o8wzkhckw9TLa0h7",
            ],
            &[
                "https://dev-123456.okta.com",
                "https://dev-123456.okta.com/",
                "https://dev-123456.okta.com/oauth2/",
                "https://dev-123456.okta.com/oauth2/default/",
            ],
        ),
        (
            |i| Policy::keycloak(i, &["my-app"]),
            &[
                "https://keycloak.example.com/realms/myrealm",
                "https://sso.example.com/auth/realms/myrealm",
                "http://localhost:8080/realms/dev",
            ],
            &[
                "https://keycloak.example.com/realms/",
                "https://keycloak.example.com/myrealm",
                "https://keycloak.example.com/realms/myrealm/",
                "keycloak.example.com/realms/myrealm",
            ],
        ),
        (
            |i| Policy::keycloak_id(i, &["my-app"]),
            &["https://keycloak.example.com/realms/myrealm"],
            &["https://keycloak.example.com"],
        ),
    ];
    let now = 1_764_000_000;
    let header = verifier_core::Header::parse(br#"{"alg":"RS256"}"#).unwrap();
    let claims_json = br#"{"sub":"s","exp":1764003600}"#;
    let mut buf = [0u8; 512];
    let claims = verifier_core::Claims::parse(claims_json, &mut buf).unwrap();
    for (make, good, bad) in cases {
        for iss in *good {
            let p = make(std::slice::from_ref(Box::leak(Box::new(*iss)))).unwrap();
            assert_eq!(p.validate(), Ok(()), "{iss}");
            assert_eq!(p.misformed_issuer(), None, "{iss}");
        }
        for iss in *bad {
            let p = make(std::slice::from_ref(Box::leak(Box::new(*iss)))).unwrap();
            assert!(p.needs.issuer_form.is_some());
            assert_eq!(p.validate(), Err(Error::InvalidPolicy), "{iss}");
            assert_eq!(p.misformed_issuer(), Some(iss), "{iss}");
            // Fail closed on every check, whatever the token.
            assert_eq!(
                p.check(&header, &claims, now),
                Err(Error::InvalidPolicy),
                "{iss}"
            );
        }
    }
    // Google's issuers are built in; another spelling is refused.
    let g = Policy::google(&["client"]).unwrap();
    assert_eq!(g.validate(), Ok(()));
    let other = Policy {
        issuers: &["https://accounts.google.com/"],
        ..g
    };
    assert_eq!(other.validate(), Err(Error::InvalidPolicy));
    // Presets without one documented form keep any issuer (Supabase: custom
    // domains and self-hosting; Clerk, Logto), and so does a plain policy.
    let sb = Policy::supabase(&["https://auth.example.com/auth/v1"], &[]).unwrap();
    assert_eq!(sb.validate(), Ok(()));
    assert_eq!(sb.needs.issuer_form, None);
    assert_eq!(
        IssuerForm::Okta.expected(),
        "https://DOMAIN/oauth2/AUTH_SERVER_ID (a custom authorization server)"
    );
}
