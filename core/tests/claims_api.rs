//! The claims views and typed accessors, and hostile payloads through the
//! whole verify path. Tokens here are HS256, signed with the `hmac` crate.
#![cfg(all(feature = "rsa", feature = "p256", feature = "hmac"))]

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, KeyInit, Mac};
use verifier_core::{Algorithm, Error, Key, Policy, Verifier, scratch_len};

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

fn sign(header: &str, payload: &[u8]) -> String {
    let si = format!(
        "{}.{}",
        Base64UrlUnpadded::encode_string(header.as_bytes()),
        Base64UrlUnpadded::encode_string(payload)
    );
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET).unwrap();
    mac.update(si.as_bytes());
    format!(
        "{si}.{}",
        Base64UrlUnpadded::encode_string(&mac.finalize().into_bytes())
    )
}

fn verifier() -> Verifier<1> {
    Verifier::from_key(Key::hmac(SECRET, Some(Algorithm::HS256)).unwrap()).unwrap()
}

const NOW: i64 = 1_764_000_000;

#[test]
fn claims_are_borrowed_and_unescaped() {
    let payload = br#"{"sub":"caf\u00e9 \ud83d\ude00","iss":"https:\/\/issuer","aud":["a","b\/c"],"exp":1764000600.25,
        "iat":1764000000,"nbf":1763999999,"jti":"j1","sid":"s1","azp":"https://app","client_id":"c1",
        "scope":"read  write admin","org":{"id":7},"roles":["x","y"],"n":42,"f":1.5,"ok":true,"s":"t\"q"}"#;
    let token = sign(r#"{"alg":"HS256","typ":"JWT"}"#, payload);
    let v = verifier();
    let mut buf = vec![0u8; scratch_len(token.len())];
    let issuers = ["https://issuer"];
    let audiences = ["b/c"];
    let policy = Policy {
        issuers: &issuers,
        audiences: &audiences,
        ..Policy::default()
    };
    let ok = v.verify(token.as_bytes(), NOW, &policy, &mut buf).unwrap();
    let c = ok.claims;
    assert_eq!(c.sub(), Some("café 😀"));
    assert_eq!(c.iss(), Some("https://issuer"));
    assert_eq!(c.audiences().collect::<Vec<_>>(), ["a", "b/c"]);
    assert!(c.has_audience("b/c") && !c.has_audience("b"));
    assert_eq!(
        (c.exp(), c.iat(), c.nbf()),
        (Some(1_764_000_600), Some(NOW), Some(NOW - 1))
    );
    assert_eq!(
        (c.jti(), c.sid(), c.azp(), c.client_id()),
        (Some("j1"), Some("s1"), Some("https://app"), Some("c1"))
    );
    assert_eq!(c.scopes().collect::<Vec<_>>(), ["read", "write", "admin"]);
    assert!(c.has_scope("write") && !c.has_scope("writ") && !c.has_scope(""));
    assert_eq!(c.get("org").unwrap().raw(), r#"{"id":7}"#);
    assert_eq!(c.get_i64("n"), Ok(Some(42)));
    assert_eq!(c.get_number("f").unwrap().unwrap().as_f64(), Some(1.5));
    assert_eq!(c.get_bool("ok"), Ok(Some(true)));
    assert_eq!(c.get_bool("n"), Err(Error::ClaimWrongType));
    assert_eq!(c.get_str("missing").unwrap().map(|s| s.raw()), None);
    let mut out = [0u8; 8];
    assert_eq!(
        c.get_str("s").unwrap().unwrap().unescape_into(&mut out),
        Ok("t\"q")
    );
    let roles = c.get_str_array("roles").unwrap().unwrap();
    assert!(roles.contains("y") && !roles.contains("z"));
    assert_eq!(c.get_str_array("org").err(), Some(Error::ClaimWrongType));
    assert_eq!(ok.header.typ.unwrap().raw(), "JWT");
}

#[test]
fn buffer_too_small_is_reported_not_panicked() {
    let token = sign(
        r#"{"alg":"HS256"}"#,
        br#"{"sub":"\u00e9\u00e9\u00e9\u00e9","exp":1864000000}"#,
    );
    let v = verifier();
    let policy: Policy = Policy::default();
    for len in 0..scratch_len(token.len()) {
        let mut buf = vec![0u8; len];
        match v.verify(token.as_bytes(), NOW, &policy, &mut buf) {
            Ok(_) => {}
            Err(e) => assert_eq!(e, Error::BufferTooSmall, "len {len}"),
        }
    }
}

#[test]
fn deep_nesting_is_rejected_on_a_64k_stack() {
    let depth = 100_000;
    for (open, close) in [("[", "]"), (r#"{"a":"#, "}")] {
        let mut payload = String::from(r#"{"sub":"u","exp":1864000000,"x":"#);
        payload.push_str(&open.repeat(depth));
        payload.push_str(&close.repeat(depth));
        payload.push('}');
        let token = sign(r#"{"alg":"HS256"}"#, payload.as_bytes());
        let result = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || {
                let v = verifier().with_max_token_len(usize::MAX);
                let mut buf = vec![0u8; scratch_len(token.len())];
                let policy: Policy = Policy::default();
                v.verify(token.as_bytes(), NOW, &policy, &mut buf)
                    .map(|_| ())
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(result, Err(Error::JsonTooDeep));
    }
}

#[test]
fn presets_are_plain_policies() {
    let clerk =
        Policy::clerk(&["https://clerk.example.com"], &["https://app.example.com"]).unwrap();
    assert_eq!(clerk.leeway, 5);
    assert!(clerk.allows(Algorithm::RS256) && !clerk.allows(Algorithm::HS256));
    let logto = Policy::logto(&["https://t.logto.app/oidc"], &["https://api"], &[]).unwrap();
    assert!(logto.allows(Algorithm::ES384) && !logto.allows(Algorithm::RS256));
    assert_eq!(logto.typ, ["at+jwt"]);
    let oidc = Policy::id_token(&["https://accounts.google.com"], &["client"]).unwrap();
    assert!(!oidc.allows(Algorithm::HS256));
    let at = Policy::access_token(&["https://issuer"], &["https://api"]).unwrap();
    assert_eq!(at.typ, ["at+jwt"]);
    for p in [clerk, logto, oidc, at] {
        p.validate().unwrap();
    }
    let bad = Policy {
        issuers: &[""],
        ..Policy::default()
    };
    assert_eq!(bad.validate(), Err(Error::InvalidPolicy));
}

#[test]
fn escaped_audiences_fit_in_scratch_len() {
    // Many short escaped values: the packed, unescaped form must still fit.
    let mut aud = vec![r#""\/""#.to_string(); 300];
    aud.push(format!(r#""{}\/x""#, "a".repeat(200)));
    aud.push(r#""https:\/\/api""#.to_string());
    let payload = format!(
        r#"{{"sub":"\u0075","exp":1864000000,"aud":[{}]}}"#,
        aud.join(",")
    );
    let token = sign(r#"{"alg":"HS256"}"#, payload.as_bytes());
    let v = verifier();
    let mut buf = vec![0u8; scratch_len(token.len())];
    let audiences = ["https://api"];
    let policy = Policy {
        audiences: &audiences,
        ..Policy::default()
    };
    let ok = v.verify(token.as_bytes(), NOW, &policy, &mut buf).unwrap();
    let all: Vec<&str> = ok.claims.audiences().collect();
    assert_eq!(all.len(), 302);
    assert_eq!(all[0], "/");
    assert_eq!(all[300], format!("{}/x", "a".repeat(200)));
    assert_eq!(ok.claims.sub(), Some("u"));
}

#[test]
fn verifier_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Verifier<8>>();
    assert_send_sync::<Policy<'static>>();
    let v = std::sync::Arc::new(verifier());
    let token = sign(r#"{"alg":"HS256"}"#, br#"{"sub":"u","exp":1864000000}"#);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (v, token) = (v.clone(), token.clone());
            std::thread::spawn(move || {
                let mut buf = [0u8; 512];
                let policy: Policy = Policy::default();
                (0..100).all(|_| v.verify(token.as_bytes(), NOW, &policy, &mut buf).is_ok())
            })
        })
        .collect();
    assert!(handles.into_iter().all(|h| h.join().unwrap()));
}

#[test]
fn firebase_style_certificate_map_pins_each_kid() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/keys/");
    let rsa = std::fs::read_to_string(format!("{dir}rsa2048.cert.pem")).unwrap();
    let ec = std::fs::read_to_string(format!("{dir}p256.cert.pem")).unwrap();
    let map = serde_json::json!({ "rsa2048": rsa, "p256": ec }).to_string();
    let mut keys = verifier_core::KeySet::<4>::new();
    assert_eq!(keys.add_pem_map(map.as_bytes()), Ok(2));
    let mut kids: Vec<_> = keys.iter().map(|k| k.kid().unwrap().to_owned()).collect();
    kids.sort();
    assert_eq!(kids, ["p256", "rsa2048"]);
    // All or nothing: a broken entry leaves the set as it was.
    let bad = serde_json::json!({ "a": rsa, "b": "not a pem" }).to_string();
    assert_eq!(keys.add_pem_map(bad.as_bytes()), Err(Error::KeyMalformed));
    assert_eq!(keys.len(), 2);
}
