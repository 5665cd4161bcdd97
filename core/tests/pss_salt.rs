//! PSS salt lengths (issue 24, item 2): RFC 7518 3.5 wants the salt as long
//! as the hash; signers using the maximum salt (Go's PSSSaltLengthAuto, older
//! golang-jwt, Python's PSS.MAX_LENGTH) are refused as `PssSaltLength`, named
//! with the salt found, and accepted by a key that allows any salt. Tokens
//! are signed by Python's `cryptography` (scripts/gen_pss_salt.py) and Go's
//! crypto/rsa (scripts/gen_pss_salt_go.go), never by this library.
#![cfg(feature = "rsa")]

use serde::Deserialize;
use verifier_core::explain::{Context, write_detail};
use verifier_core::keys::JwksOptions;
use verifier_core::{AlgSet, Algorithm, Error, Key, KeySet, Policy, Verifier, scratch_len};

#[derive(Deserialize)]
struct Fixture {
    now: i64,
    jwks: serde_json::Value,
    tokens: Vec<Tok>,
}

#[derive(Deserialize)]
struct Tok {
    name: String,
    kid: String,
    alg: String,
    salt_len: usize,
    hash_len: usize,
    token: String,
}

/// Whether this build loads the token's key: the 2049-bit key (EM one byte
/// shorter than the modulus) needs `rsa-large`.
fn usable(t: &Tok) -> bool {
    cfg!(feature = "rsa-large") || t.kid != "rsa2049"
}

fn fixtures() -> Vec<Fixture> {
    ["pss_salt.json", "pss_salt_go.json"]
        .iter()
        .map(|f| {
            let path = format!("{}/tests/data/{f}", env!("CARGO_MANIFEST_DIR"));
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
        })
        .collect()
}

fn verifier(f: &Fixture, any_salt: bool) -> Verifier<8> {
    let mut keys = KeySet::<8>::new();
    let options = JwksOptions {
        rsa_pss: true,
        pss_any_salt: any_salt,
        ..JwksOptions::default()
    };
    let doc = serde_json::to_vec(&f.jwks).unwrap();
    keys.add_jwks_with(&doc, &options).unwrap();
    Verifier::new(keys).unwrap()
}

fn verify(v: &Verifier<8>, token: &str, now: i64) -> Result<(), Error> {
    let policy: Policy<'_, &str> = Policy::default();
    let mut buf = vec![0u8; scratch_len(token.len())];
    v.verify(token.as_bytes(), now, &policy, &mut buf)
        .map(|_| ())
}

fn detail(v: &Verifier<8>, err: Error, token: &str, now: i64) -> String {
    let policy: Policy<'_, &str> = Policy::default();
    let cx = Context {
        keys: v.keys(),
        policy: &policy,
        now,
        max_token_len: v.max_token_len(),
    };
    let mut out = String::new();
    let mut scratch = vec![0u8; scratch_len(token.len())];
    write_detail(&mut out, err, token.as_bytes(), &cx, &mut scratch).unwrap();
    out
}

/// Salt = hash length verifies by default; any other salt is refused as
/// `PssSaltLength` naming the salt found, and verifies with the opt-in.
#[test]
fn salt_lengths_of_independent_signers() {
    let mut seen = [0usize; 3]; // [digest, longer, shorter]
    for f in fixtures() {
        let strict = verifier(&f, false);
        let lax = verifier(&f, true);
        for t in f.tokens.iter().filter(|t| usable(t)) {
            assert_eq!(
                verify(&lax, &t.token, f.now),
                Ok(()),
                "{}: any salt",
                t.name
            );
            if t.salt_len == t.hash_len {
                assert_eq!(verify(&strict, &t.token, f.now), Ok(()), "{}", t.name);
                seen[0] += 1;
                continue;
            }
            seen[if t.salt_len > t.hash_len { 1 } else { 2 }] += 1;
            let err = verify(&strict, &t.token, f.now).unwrap_err();
            assert_eq!(err, Error::PssSaltLength, "{}", t.name);
            assert_eq!(
                detail(&strict, err, &t.token, f.now),
                format!(
                    "{} signature uses a {}-byte salt; RFC 7518 requires {}",
                    t.alg, t.salt_len, t.hash_len
                ),
                "{}",
                t.name
            );
        }
    }
    // Python: 2 keys x 3 hashes, salts digest/max/zero; Go: auto/equals-hash.
    // Python: 2 keys (1 without rsa-large) x 3 hashes, salts digest/max/zero;
    // Go: 1 key x 3 hashes, auto/equals-hash.
    let want = if cfg!(feature = "rsa-large") {
        [9, 9, 6]
    } else {
        [6, 6, 3]
    };
    assert_eq!(seen, want);
}

/// The example: a maximum-salt PS256 token on a 2048-bit key.
#[test]
fn go_auto_salt_is_named() {
    let f = &fixtures()[1];
    let t = f
        .tokens
        .iter()
        .find(|t| t.name == "go2048 PS256 salt auto")
        .unwrap();
    let v = verifier(f, false);
    assert_eq!(verify(&v, &t.token, f.now), Err(Error::PssSaltLength));
    assert_eq!(
        detail(&v, Error::PssSaltLength, &t.token, f.now),
        "PS256 signature uses a 222-byte salt; RFC 7518 requires 32"
    );
}

/// Only a signature that verifies but for its salt length is
/// `PssSaltLength`: a tampered payload, another key's signature or a
/// corrupted signature is `BadSignature`, with or without the opt-in.
#[test]
fn salt_is_reported_only_for_otherwise_valid_signatures() {
    for f in fixtures() {
        for any_salt in [false, true] {
            let v = verifier(&f, any_salt);
            for t in f.tokens.iter().filter(|t| usable(t)) {
                let (head, sig) = t.token.rsplit_once('.').unwrap();
                let (header, payload) = head.split_once('.').unwrap();
                // Another payload under the same signature.
                let mut p = payload.as_bytes().to_vec();
                let last = p.len() - 2;
                p[last] = if p[last] == b'A' { b'B' } else { b'A' };
                let tampered = format!("{header}.{}.{sig}", String::from_utf8(p).unwrap());
                assert_eq!(
                    verify(&v, &tampered, f.now),
                    Err(Error::BadSignature),
                    "{}",
                    t.name
                );
                // The same signature under another key id (the fixture's
                // unused 2048-bit key, or none in the Go file: unknown kid).
                {
                    let other = header_with_kid(header, "other");
                    let got = verify(&v, &format!("{other}.{payload}.{sig}"), f.now);
                    let python = f.jwks["keys"].as_array().unwrap().len() == 3;
                    // The 2049-bit key's signatures are a byte longer.
                    let want = match (python, t.kid.as_str()) {
                        (false, _) => Error::UnknownKid,
                        (true, "rsa2049") => Error::BadSignatureLength,
                        (true, _) => Error::BadSignature,
                    };
                    assert_eq!(got, Err(want), "{}", t.name);
                }
                // One bit of the signature flipped.
                let mut s = base64ct_decode(sig);
                s[10] ^= 1;
                let flipped = format!("{head}.{}", base64ct_encode(&s));
                assert_eq!(
                    verify(&v, &flipped, f.now),
                    Err(Error::BadSignature),
                    "{}",
                    t.name
                );
            }
        }
    }
}

fn header_with_kid(header_b64: &str, kid: &str) -> String {
    let h: serde_json::Value = serde_json::from_slice(&base64ct_decode(header_b64)).unwrap();
    let mut h = h.as_object().unwrap().clone();
    h.insert("kid".into(), kid.into());
    base64ct_encode(&serde_json::to_vec(&h).unwrap())
}

fn base64ct_decode(s: &str) -> Vec<u8> {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::decode_vec(s).unwrap()
}

fn base64ct_encode(b: &[u8]) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::encode_string(b)
}

/// The opt-in is per key: `Key::with_pss_any_salt` on a PEM-less key built
/// from the JWK, and only on the key that carries it.
#[test]
fn opt_in_is_per_key() {
    let f = &fixtures()[0];
    let t = f
        .tokens
        .iter()
        .find(|t| t.name == "rsa2048 PS256 salt max")
        .unwrap();
    let jwk = serde_json::to_vec(&f.jwks["keys"][0]).unwrap();
    let pss = AlgSet::of(&[Algorithm::PS256]);
    let strict = Key::from_jwk(&jwk).unwrap().with_algorithms(pss).unwrap();
    assert!(!strict.pss_any_salt());
    let lax = strict.clone().with_pss_any_salt();
    assert!(lax.pss_any_salt());
    for (key, want) in [(strict, Err(Error::PssSaltLength)), (lax, Ok(()))] {
        let v: Verifier<8> = Verifier::from_key(key).unwrap();
        assert_eq!(verify(&v, &t.token, f.now), want);
    }
    // Without PSS the key refuses the algorithm before any salt is looked at.
    let rs_only: Verifier<8> =
        Verifier::from_key(Key::from_jwk(&jwk).unwrap().with_pss_any_salt()).unwrap();
    assert_eq!(
        verify(&rs_only, &t.token, f.now),
        Err(Error::AlgNotAllowedForKey)
    );
}

/// The salt-length reader against the `rsa` crate's verifier with automatic
/// salt length (`VerifyingKey::new_with_auto_salt_len`), and the strict
/// verdict against its fixed-salt `pss_verify`: on every fixture signature
/// and on one-bit mutations of each.
#[test]
fn differential_against_rsa_crate_auto_salt() {
    use rsa::signature::hazmat::PrehashVerifier;
    use sha2::{Sha256, Sha384, Sha512};
    use verifier_core::hash::HashAlg;
    use verifier_core::rsa::RsaPublicKey;
    let mut agreed = [0usize; 2];
    for f in fixtures() {
        for t in f.tokens.iter().filter(|t| usable(t)) {
            let jwk = f.jwks["keys"]
                .as_array()
                .unwrap()
                .iter()
                .find(|k| k["kid"] == t.kid.as_str())
                .unwrap();
            let n = base64ct_decode(jwk["n"].as_str().unwrap());
            let e = base64ct_decode(jwk["e"].as_str().unwrap());
            let ours = RsaPublicKey::from_be_bytes(&n, &e).unwrap();
            let theirs = rsa::PublicKey::new(
                crypto_bigint::BoxedUint::from_be_slice_vartime(&n),
                crypto_bigint::BoxedUint::from_be_slice_vartime(&e),
            )
            .unwrap();
            let (input, sig) = t.token.rsplit_once('.').unwrap();
            let sig = base64ct_decode(sig);
            let hash = match t.alg.as_str() {
                "PS256" => HashAlg::Sha256,
                "PS384" => HashAlg::Sha384,
                _ => HashAlg::Sha512,
            };
            let d = hash.digest(input.as_bytes());
            let d = d.as_bytes();
            let auto = |s: &[u8]| {
                let Ok(s) = rsa::pss::Signature::try_from(s) else {
                    return false;
                };
                let k = theirs.clone();
                match hash {
                    HashAlg::Sha256 => rsa::pss::VerifyingKey::<Sha256>::new_with_auto_salt_len(k)
                        .verify_prehash(d, &s),
                    HashAlg::Sha384 => rsa::pss::VerifyingKey::<Sha384>::new_with_auto_salt_len(k)
                        .verify_prehash(d, &s),
                    HashAlg::Sha512 => rsa::pss::VerifyingKey::<Sha512>::new_with_auto_salt_len(k)
                        .verify_prehash(d, &s),
                }
                .is_ok()
            };
            let fixed = |s: &[u8]| {
                match hash {
                    HashAlg::Sha256 => theirs.pss_verify_prehash::<Sha256>(d, s),
                    HashAlg::Sha384 => theirs.pss_verify_prehash::<Sha384>(d, s),
                    HashAlg::Sha512 => theirs.pss_verify_prehash::<Sha512>(d, s),
                }
                .is_ok()
            };
            assert_eq!(
                ours.pss_salt_len(hash, d, &sig),
                Ok(t.salt_len),
                "{}",
                t.name
            );
            assert!(auto(&sig), "{}: the rsa crate refuses it", t.name);
            let mut variants = vec![sig.clone()];
            for bit in [0usize, 7, 100, 8 * sig.len() - 1, 8 * sig.len() / 2] {
                let mut s = sig.clone();
                s[bit / 8] ^= 1 << (bit % 8);
                variants.push(s);
            }
            for s in &variants {
                let found = ours.pss_salt_len(hash, d, s);
                assert_eq!(
                    found.is_ok(),
                    auto(s),
                    "{}: auto-salt verdicts differ",
                    t.name
                );
                let strict = ours.verify_pss(hash, d, s, hash.output_len());
                assert_eq!(
                    strict.is_ok(),
                    fixed(s),
                    "{}: fixed-salt verdicts differ",
                    t.name
                );
                agreed[usize::from(found.is_err())] += 1;
            }
        }
    }
    let genuine = if cfg!(feature = "rsa-large") { 24 } else { 15 };
    assert!(agreed[0] == genuine && agreed[1] >= 75, "{agreed:?}");
}
