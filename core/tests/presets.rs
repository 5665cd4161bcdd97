//! Presets and token profiles (issue 14, items 2, 8 and 9): presets refuse a
//! configuration missing what their provider requires, the ID-token and
//! access-token profiles, Logto's `iat`, scopes in every form, and claims a
//! policy does not use never refuse a token over their type.
#![cfg(feature = "hmac")]

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, KeyInit, Mac};
use verifier_core::policy::{Needs, Profile};
use verifier_core::{AlgSet, Algorithm, Error, Key, Policy, Verifier, scratch_len};

const NOW: i64 = 1_764_000_000;
const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
const ISS: &str = "https://issuer.example.com";
const API: &str = "https://api.example.com";

fn token(header: &str, payload: &str) -> String {
    let b = |s: &str| Base64UrlUnpadded::encode_string(s.as_bytes());
    let si = format!("{}.{}", b(header), b(payload));
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET).unwrap();
    mac.update(si.as_bytes());
    format!(
        "{si}.{}",
        Base64UrlUnpadded::encode_string(&mac.finalize().into_bytes())
    )
}

fn check(policy: &Policy<'_>, header: &str, payload: &str) -> Result<(), Error> {
    let v = Verifier::<1>::from_key(Key::hmac(SECRET, None).unwrap()).unwrap();
    let t = token(header, payload);
    let mut buf = vec![0u8; scratch_len(t.len())];
    // The presets allow asymmetric algorithms only; these tests sign HS256.
    let policy = Policy {
        algorithms: AlgSet::of(&[Algorithm::HS256]),
        ..policy.clone()
    };
    v.verify(t.as_bytes(), NOW, &policy, &mut buf).map(|_| ())
}

const AT: &str = r#"{"alg":"HS256","typ":"at+jwt"}"#;
const JWT: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

fn at_claims(extra: &str) -> String {
    format!(
        r#"{{"iss":"{ISS}","aud":"{API}","sub":"u","client_id":"app","iat":{NOW},"jti":"j1","exp":{}{extra}}}"#,
        NOW + 600
    )
}

/// Item 2: presets refuse configurations without what the provider requires
/// (before: `Policy::logto(iss, &[], ..)` built a policy checking no audience).
#[test]
fn presets_refuse_missing_requirements() {
    assert_eq!(
        Policy::logto(&[ISS], &[], &[]).err(),
        Some(Error::PolicyNeedsAudience)
    );
    assert_eq!(
        Policy::logto(&[], &[API], &[]).err(),
        Some(Error::PolicyNeedsIssuer)
    );
    assert_eq!(
        Policy::id_token(&[ISS], &[]).err(),
        Some(Error::PolicyNeedsAudience)
    );
    assert_eq!(
        Policy::id_token(&[], &["client"]).err(),
        Some(Error::PolicyNeedsIssuer)
    );
    assert_eq!(
        Policy::access_token(&[ISS], &[]).err(),
        Some(Error::PolicyNeedsAudience)
    );
    assert_eq!(
        Policy::clerk(&[ISS], &[]).err(),
        Some(Error::PolicyNeedsAuthorizedParty)
    );
    assert!(Policy::clerk(&[], &["https://app.example.com"]).is_ok());
    // Emptying a set by struct update fails closed at verification too.
    let emptied = Policy {
        audiences: &[],
        ..Policy::logto(&[ISS], &[API], &[]).unwrap()
    };
    assert_eq!(emptied.validate(), Err(Error::PolicyNeedsAudience));
    assert_eq!(
        check(&emptied, AT, &at_claims("")),
        Err(Error::PolicyNeedsAudience)
    );
    // The default policy needs nothing (and its docs say what it does not check).
    assert_eq!(Policy::<&str>::default().needs, Needs::NONE);
}

/// Item 9: the access-token profile (RFC 9068 2.2) needs typ at+jwt, iss,
/// aud, exp, sub, client_id, iat and jti.
#[test]
fn access_token_profile_requires_rfc9068_claims() {
    let p = Policy::access_token(&[ISS], &[API]).unwrap();
    assert_eq!(check(&p, AT, &at_claims("")), Ok(()));
    assert_eq!(check(&p, JWT, &at_claims("")), Err(Error::WrongTyp));
    let drop = |name: &str| {
        let mut v: serde_json::Value = serde_json::from_str(&at_claims("")).unwrap();
        v.as_object_mut().unwrap().remove(name);
        v.to_string()
    };
    assert_eq!(check(&p, AT, &drop("jti")), Err(Error::MissingJti));
    assert_eq!(check(&p, AT, &drop("iat")), Err(Error::MissingIssuedAt));
    assert_eq!(
        check(&p, AT, &drop("client_id")),
        Err(Error::MissingClientId)
    );
    assert_eq!(check(&p, AT, &drop("aud")), Err(Error::MissingAudience));
    assert_eq!(check(&p, AT, &drop("sub")), Err(Error::MissingSubject));
    // The profile holds even if a caller turns the flags off.
    let lax = Policy {
        require_sub: false,
        ..p.clone()
    };
    assert_eq!(check(&lax, AT, &drop("sub")), Err(Error::MissingSubject));
    // The same checks through Logto's preset.
    let logto = Policy::logto(&[ISS], &[API], &[]).unwrap();
    assert_eq!(logto.profile, Profile::AccessToken);
    assert_eq!(check(&logto, AT, &drop("jti")), Err(Error::MissingJti));
}

/// Item 9: the ID-token profile (OIDC Core 3.1.3.7) refuses access tokens
/// and checks azp.
#[test]
fn id_token_profile_refuses_access_tokens_and_checks_azp() {
    let p = Policy::id_token(&[ISS], &["client"]).unwrap();
    let id = |aud: &str, azp: &str| {
        format!(
            r#"{{"iss":"{ISS}","aud":{aud},"sub":"u","exp":{}{azp}}}"#,
            NOW + 600
        )
    };
    assert_eq!(check(&p, JWT, &id(r#""client""#, "")), Ok(()));
    assert_eq!(
        check(&p, r#"{"alg":"HS256"}"#, &id(r#""client""#, "")),
        Ok(())
    );
    assert_eq!(
        check(&p, AT, &id(r#""client""#, "")),
        Err(Error::AccessTokenAsIdToken)
    );
    assert_eq!(
        check(
            &p,
            r#"{"alg":"HS256","typ":"application/AT+JWT"}"#,
            &id(r#""client""#, "")
        ),
        Err(Error::AccessTokenAsIdToken)
    );
    let two = r#"["client","other"]"#;
    assert_eq!(
        check(&p, JWT, &id(two, "")),
        Err(Error::MissingAuthorizedParty)
    );
    assert_eq!(check(&p, JWT, &id(two, r#","azp":"client""#)), Ok(()));
    assert_eq!(
        check(&p, JWT, &id(two, r#","azp":"other""#)),
        Err(Error::WrongAuthorizedParty)
    );
    assert_eq!(
        check(&p, JWT, &id(r#""client""#, r#","azp":"other""#)),
        Err(Error::WrongAuthorizedParty)
    );
}

/// Item 8: Logto's preset, like `jose` and Logto's SDKs, accepts an `iat` a
/// second ahead (the issuer's clock) unless `max_age` is set (before:
/// IssuedInFuture with zero leeway).
#[test]
fn logto_accepts_an_iat_slightly_ahead_unless_max_age_is_set() {
    let p = Policy::logto(&[ISS], &[API], &[]).unwrap();
    let ahead = at_claims("").replace(&format!(r#""iat":{NOW}"#), &format!(r#""iat":{}"#, NOW + 1));
    assert_eq!(check(&p, AT, &ahead), Ok(()));
    let aged = Policy {
        max_age: Some(300),
        ..p.clone()
    };
    assert_eq!(check(&aged, AT, &ahead), Err(Error::IssuedInFuture));
    // The default policy keeps refusing it.
    let strict: Policy = Policy::default();
    assert_eq!(check(&strict, JWT, &ahead), Err(Error::IssuedInFuture));
}

/// Item 8: scopes as a string, an array, or `scp` (string or array) (before:
/// only a `scope` string; an array was ClaimWrongType, `scp` ignored).
#[test]
fn scopes_in_every_form() {
    let p = Policy {
        required_scopes: &["read", "write"],
        require_exp: false,
        ..Policy::default()
    };
    for claims in [
        r#"{"sub":"u","scope":"read write"}"#,
        r#"{"sub":"u","scope":["read","write"]}"#,
        r#"{"sub":"u","scp":"write read"}"#,
        r#"{"sub":"u","scp":["read","write","x"]}"#,
        r#"{"sub":"u","scope":"read","scp":["write"]}"#,
        r#"{"sub":"u","scp":["r\u0065ad","write"]}"#,
        r#"{"sub":"u","scope":"wr\u0069te  r\u0065ad"}"#,
    ] {
        assert_eq!(check(&p, JWT, claims), Ok(()), "{claims}");
    }
    for (claims, want) in [
        (r#"{"sub":"u","scope":"read"}"#, Error::MissingScope),
        (r#"{"sub":"u","scope":"readx writ"}"#, Error::MissingScope),
        (r#"{"sub":"u","scope":["read write"]}"#, Error::MissingScope),
        (r#"{"sub":"u","scp":["read",5]}"#, Error::ClaimWrongType),
        (
            r#"{"sub":"u","scope":{"read":true}}"#,
            Error::ClaimWrongType,
        ),
    ] {
        assert_eq!(check(&p, JWT, claims), Err(want), "{claims}");
    }
}

/// Item 8: claims the policy does not use never refuse a token over their
/// type (before: any of `sid`, `azp`, `jti`, `client_id`, `scope` of another
/// type was ClaimWrongType); the checks that use them still refuse.
#[test]
fn unused_claims_of_odd_types_do_not_refuse() {
    let p = Policy {
        require_exp: false,
        ..Policy::default()
    };
    let odd = r#"{"sub":"u","sid":5,"azp":["a"],"jti":7,"client_id":{"x":1},"scope":false}"#;
    assert_eq!(check(&p, JWT, odd), Ok(()));
    let uses = |p: Policy<'static>| check(&p, JWT, odd);
    assert_eq!(
        uses(Policy {
            authorized_parties: &["a"],
            ..p.clone()
        }),
        Err(Error::ClaimWrongType)
    );
    assert_eq!(
        uses(Policy {
            client_ids: &["x"],
            ..p.clone()
        }),
        Err(Error::ClaimWrongType)
    );
    assert_eq!(
        uses(Policy {
            required_scopes: &["x"],
            ..p.clone()
        }),
        Err(Error::ClaimWrongType)
    );
}
