//! EC JWKs are read from their coordinates (no SEC1 buffer, no point
//! decompression linked): every coordinate pair gets the verdict the curve
//! crates' SEC1 reader gives the same point in uncompressed form.
#![cfg(feature = "p256")]

mod common;

use base64ct::{Base64UrlUnpadded, Encoding};
use common::{data_path, read_json};
use verifier_core::{Error, Key};

/// The fixture's P-256 or P-384 key: (x, y) as bytes.
fn fixture(kid: &str) -> (Vec<u8>, Vec<u8>) {
    let jwks = read_json(data_path("keys/jwks.json"));
    let k = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid)
        .unwrap();
    let b = |m: &str| Base64UrlUnpadded::decode_vec(k[m].as_str().unwrap()).unwrap();
    (b("x"), b("y"))
}

fn jwk(crv: &str, x: &[u8], y: &[u8]) -> String {
    format!(
        r#"{{"kty":"EC","crv":"{crv}","x":"{}","y":"{}"}}"#,
        Base64UrlUnpadded::encode_string(x),
        Base64UrlUnpadded::encode_string(y)
    )
}

/// Valid, off the curve, out of the field, all zeroes, all ones.
fn cases(x: &[u8], y: &[u8], p: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut y1 = y.to_vec();
    *y1.last_mut().unwrap() ^= 1;
    let zero = vec![0u8; x.len()];
    let ones = vec![0xffu8; x.len()];
    vec![
        (x.to_vec(), y.to_vec()),
        (x.to_vec(), y1),
        (p.to_vec(), y.to_vec()),
        (x.to_vec(), p.to_vec()),
        (zero.clone(), zero),
        (ones.clone(), ones),
    ]
}

fn sec1(x: &[u8], y: &[u8]) -> Vec<u8> {
    [&[4u8][..], x, y].concat()
}

#[test]
fn p256_coordinates_read_as_sec1_reads_them() {
    let (x, y) = fixture("p256");
    let p =
        hex::decode("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff").unwrap();
    let mut seen = [0, 0];
    for (x, y) in cases(&x, &y, &p) {
        let ours = Key::from_jwk(jwk("P-256", &x, &y).as_bytes()).map(|_| ());
        let reference = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1(&x, &y))
            .map(|_| ())
            .map_err(|_| Error::InvalidPublicKey);
        assert_eq!(ours, reference, "x {x:02x?} y {y:02x?}");
        seen[ours.is_ok() as usize] += 1;
    }
    assert_eq!(seen, [5, 1]);
}

#[cfg(feature = "p384")]
#[test]
fn p384_coordinates_read_as_sec1_reads_them() {
    let (x, y) = fixture("p384");
    let p = hex::decode(
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe\
         ffffffff0000000000000000ffffffff",
    )
    .unwrap();
    let mut seen = [0, 0];
    for (x, y) in cases(&x, &y, &p) {
        let ours = Key::from_jwk(jwk("P-384", &x, &y).as_bytes()).map(|_| ());
        let reference = p384::ecdsa::VerifyingKey::from_sec1_bytes(&sec1(&x, &y))
            .map(|_| ())
            .map_err(|_| Error::InvalidPublicKey);
        assert_eq!(ours, reference, "x {x:02x?} y {y:02x?}");
        seen[ours.is_ok() as usize] += 1;
    }
    assert_eq!(seen, [5, 1]);
}
