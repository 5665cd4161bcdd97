//! Headers built to make the JSON parser's duplicate-name check expensive
//! (issue 14): member names that all collide under its 32-bit FNV-1a hash,
//! and more names open at once than its hash stack holds. Each goes in a
//! token with a garbage signature, so all the work is before any key work.

use base64ct::{Base64UrlUnpadded, Encoding as _};

/// Name `i` of the 256 names that share one hash (`fnv_collisions`, checked
/// by core/src/json.rs's tests).
fn colliding_name(i: usize) -> String {
    String::from_utf8(verifier_core::fnv_collisions::name(i).to_vec()).expect("ASCII")
}

/// `{"alg":"RS256", ...}` with `n` members whose names share one hash.
pub fn collision_header(n: usize) -> String {
    let mut h = String::from(r#"{"alg":"RS256""#);
    for i in 0..n {
        h += &format!(r#","{}":0"#, colliding_name(i));
    }
    h + "}"
}

/// Two objects of 256 members open (the hash stack's 512), then a third
/// whose first member is a 6 KB array and whose 254 later names each would
/// walk back over it.
pub fn stack_full_header() -> String {
    let members = |p: &str| -> String { (0..254).map(|i| format!(r#","{p}{i}":0"#)).collect() };
    format!(
        r#"{{"alg":"RS256"{},"b":{{"b":0{},"c":{{"big":[0{}]{}}}}}}}"#,
        members("a"),
        members("b"),
        ",0".repeat(3000),
        members("c")
    )
}

/// A token: `header`, the payload segment of `like` (a real token), and a
/// 256-byte garbage signature.
pub fn token(header: &str, like: &str) -> String {
    let payload = like.split('.').nth(1).expect("a compact JWS");
    format!(
        "{}.{payload}.{}",
        Base64UrlUnpadded::encode_string(header.as_bytes()),
        Base64UrlUnpadded::encode_string(&[0x5a; 256])
    )
}
