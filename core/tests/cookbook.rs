//! RFC 7520 section 4 signing examples: each compact serialisation verifies
//! with the cookbook's key, and a one-bit change is refused.
#![cfg(all(feature = "rsa", feature = "eddsa", feature = "hmac"))]

mod common;

use common::{read_json, vector_path};
use verifier_core::{AlgSet, Error, Key, Verifier};

#[test]
fn rfc7520_compact_signatures_verify() {
    let files = [
        "4_1.rsa_v15_signature.json",
        "4_2.rsa-pss_signature.json",
        "4_3.ecdsa_signature.json",
        "4_4.hmac-sha2_integrity_protection.json",
        "jws.json",
    ];
    let (mut verified, mut skipped) = (0, Vec::new());
    for file in files {
        let doc = read_json(vector_path(&format!("jose-cookbook/{file}")));
        let jwk = &doc["input"]["key"];
        let token = doc["output"]["compact"].as_str().unwrap();
        let key = match Key::from_jwk(jwk.to_string().as_bytes()) {
            // A build without `p521` (a device set) does not offer ES512.
            Err(Error::KeyUnsupported) if jwk["crv"] == "P-521" && !cfg!(feature = "p521") => {
                skipped.push(format!("{file}: ES512 / P-521 is not in this build"));
                continue;
            }
            other => other.unwrap_or_else(|e| panic!("{file}: {e}")),
        };
        // The vector's alg, as an integrator would pin it: an RSA key without
        // JWK alg serves PKCS#1 only, and 4.2 signs PSS.
        let alg = verifier_core::Algorithm::from_name(doc["input"]["alg"].as_str().unwrap());
        let key = key.with_alg(alg.unwrap()).unwrap();
        let v = Verifier::<1>::from_key(key).unwrap();
        let mut buf = vec![0u8; token.len()];
        let jws = v
            .verify_jws(token.as_bytes(), AlgSet::ALL, &mut buf)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            jws.payload,
            doc["input"]["payload"].as_str().unwrap().as_bytes(),
            "{file}"
        );
        assert_eq!(jws.header.alg.name(), doc["input"]["alg"].as_str().unwrap());

        // Flip one bit of the payload's first character: same length, new signing input.
        let dot = token.find('.').unwrap();
        let mut bad = token.as_bytes().to_vec();
        bad[dot + 1] = if bad[dot + 1] == b'S' { b'T' } else { b'S' };
        assert_eq!(
            v.verify_jws(&bad, AlgSet::ALL, &mut buf).err(),
            Some(Error::BadSignature),
            "{file}"
        );
        verified += 1;
    }
    println!(
        "RFC 7520: {verified} verified, {} skipped: {skipped:?}",
        skipped.len()
    );
    // 4.3 is ES512 (P-521): verified when the build has `p521`.
    if cfg!(feature = "p521") {
        assert_eq!((verified, skipped.len()), (5, 0));
    } else {
        assert_eq!((verified, skipped.len()), (4, 1));
    }
}
