//! The comb (fixed-base table) ECDSA path against the `p256`/`p384` crates'
//! own verifier: Wycheproof vectors, random signatures with mutations, and
//! scalar recoding at the edges. Same verdict everywhere, or the test fails.
#![cfg(all(feature = "ec-tables", feature = "p256", feature = "p384"))]

mod common;

use common::{seeded_bytes as bytes, signature_mutations as mutations, wycheproof_p1363};
use p256::ecdsa::signature::hazmat::{PrehashSigner as _, PrehashVerifier as _};
use sha2::Digest as _;
use verifier_core::ec_tables::{Comb, P256Comb, P384Comb, verify_p256, verify_p384};

/// Narrow combs (W = 3) for the many Wycheproof keys: quick to build in a
/// debug test, and they exercise the recoding at another width.
type Narrow256 = Comb<p256::NistP256, 86, 4>;
type Narrow384 = Comb<p384::NistP384, 129, 4>;

fn comb256(p: &p256::ProjectivePoint) -> Box<P256Comb> {
    let c = Box::new(P256Comb::new());
    c.build(p);
    c
}

fn comb384(p: &p384::ProjectivePoint) -> Box<P384Comb> {
    let c = Box::new(P384Comb::new());
    c.build(p);
    c
}

/// Verdict of the comb path (generator comb `g`, key comb `q` of any width)
/// for a P1363 signature, refusing what the crate refuses before any
/// arithmetic (length, r or s out of range).
fn comb_verdict_256<const W: usize, const H: usize>(
    g: &P256Comb,
    q: &Comb<p256::NistP256, W, H>,
    digest: &[u8],
    sig: &[u8],
) -> bool {
    let Ok(sig) = p256::ecdsa::Signature::from_slice(sig) else {
        return false;
    };
    let (r, s) = sig.split_scalars();
    let z = p256::FieldBytes::try_from(digest).unwrap();
    verify_p256(g, q, &z, &r, &s).expect("combs are built")
}

fn comb_verdict_384<const W: usize, const H: usize>(
    g: &P384Comb,
    q: &Comb<p384::NistP384, W, H>,
    digest: &[u8],
    sig: &[u8],
) -> bool {
    let Ok(sig) = p384::ecdsa::Signature::from_slice(sig) else {
        return false;
    };
    let (r, s) = sig.split_scalars();
    let z = p384::FieldBytes::try_from(digest).unwrap();
    verify_p384(g, q, &z, &r, &s).expect("combs are built")
}

fn crate_verdict_256(k: &p256::ecdsa::VerifyingKey, digest: &[u8], sig: &[u8]) -> bool {
    p256::ecdsa::Signature::from_slice(sig).is_ok_and(|s| k.verify_prehash(digest, &s).is_ok())
}

fn crate_verdict_384(k: &p384::ecdsa::VerifyingKey, digest: &[u8], sig: &[u8]) -> bool {
    p384::ecdsa::Signature::from_slice(sig).is_ok_and(|s| k.verify_prehash(digest, &s).is_ok())
}

#[test]
fn wycheproof_p256_through_combs() {
    let g = comb256(&p256::ProjectivePoint::GENERATOR);
    let (valid, invalid) = wycheproof_p1363(
        "ecdsa_secp256r1_sha256_p1363_test.json",
        |sec1| {
            let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(sec1).unwrap();
            let q = Box::new(Narrow256::new());
            q.build(&p256::ProjectivePoint::from(*key.as_affine()));
            (key, q)
        },
        |(key, q), msg, sig, tc| {
            let digest = sha2::Sha256::digest(msg);
            let got = comb_verdict_256(&g, q, &digest, sig);
            assert_eq!(got, crate_verdict_256(key, &digest, sig), "{tc}");
            got
        },
    );
    println!("P-256 combs: {valid} accepted, {invalid} rejected");
}

#[test]
fn wycheproof_p384_through_combs() {
    let g = comb384(&p384::ProjectivePoint::GENERATOR);
    let (valid, invalid) = wycheproof_p1363(
        "ecdsa_secp384r1_sha384_p1363_test.json",
        |sec1| {
            let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(sec1).unwrap();
            let q = Box::new(Narrow384::new());
            q.build(&p384::ProjectivePoint::from(*key.as_affine()));
            (key, q)
        },
        |(key, q), msg, sig, tc| {
            let digest = sha2::Sha384::digest(msg);
            let got = comb_verdict_384(&g, q, &digest, sig);
            assert_eq!(got, crate_verdict_384(key, &digest, sig), "{tc}");
            got
        },
    );
    println!("P-384 combs: {valid} accepted, {invalid} rejected");
}

#[test]
fn random_p256_signatures_agree() {
    let g = comb256(&p256::ProjectivePoint::GENERATOR);
    for k in 0..3u32 {
        let sk = p256::ecdsa::SigningKey::from_slice(&bytes("p256-key", k, 32)).unwrap();
        let vk = *sk.verifying_key();
        let q = comb256(&p256::ProjectivePoint::from(*vk.as_affine()));
        for m in 0..8u32 {
            let digest = bytes("p256-msg", k * 100 + m, 32);
            let sig: p256::ecdsa::Signature = sk.sign_prehash(&digest).unwrap();
            // High-s form is valid too (JWS does not require low s).
            let high = p256::ecdsa::Signature::from_scalars(sig.r(), -*sig.s()).unwrap();
            for base in [sig.to_bytes().to_vec(), high.to_bytes().to_vec()] {
                for (s, d) in mutations(&base, &digest, m) {
                    let want = crate_verdict_256(&vk, &d, &s);
                    assert_eq!(comb_verdict_256(&g, &q, &d, &s), want, "key {k} msg {m}");
                }
                assert!(comb_verdict_256(&g, &q, &digest, &base));
            }
        }
    }
}

#[test]
fn random_p384_signatures_agree() {
    let g = comb384(&p384::ProjectivePoint::GENERATOR);
    for k in 0..2u32 {
        let sk = p384::ecdsa::SigningKey::from_slice(&bytes("p384-key", k, 48)).unwrap();
        let vk = *sk.verifying_key();
        let q = comb384(&p384::ProjectivePoint::from(*vk.as_affine()));
        for m in 0..6u32 {
            let digest = bytes("p384-msg", k * 100 + m, 48);
            let sig: p384::ecdsa::Signature = sk.sign_prehash(&digest).unwrap();
            let high = p384::ecdsa::Signature::from_scalars(sig.r(), -*sig.s()).unwrap();
            for base in [sig.to_bytes().to_vec(), high.to_bytes().to_vec()] {
                for (s, d) in mutations(&base, &digest, m) {
                    let want = crate_verdict_384(&vk, &d, &s);
                    assert_eq!(comb_verdict_384(&g, &q, &d, &s), want, "key {k} msg {m}");
                }
                assert!(comb_verdict_384(&g, &q, &digest, &base));
            }
        }
    }
}

/// Scalars whose signed-digit recoding hits every carry case: 0, small values,
/// window boundaries, all-ones runs, n-1 and its neighbours.
#[test]
fn comb_scalar_mul_matches_double_and_add() {
    use p256::elliptic_curve::ff::PrimeField as _;
    let g = comb256(&p256::ProjectivePoint::GENERATOR);
    let mut scalars = vec![p256::Scalar::ZERO, p256::Scalar::ONE, -p256::Scalar::ONE];
    for v in [2u64, 63, 64, 65, 127, 128, 129, 0x7f7f_7f7f, u64::MAX] {
        scalars.push(p256::Scalar::from(v));
        scalars.push(-p256::Scalar::from(v));
    }
    for i in 0..40 {
        let b = bytes("scalar", i, 32);
        let mut repr = p256::FieldBytes::default();
        repr.copy_from_slice(&b);
        repr[0] &= 0x7f;
        scalars.push(Option::from(p256::Scalar::from_repr(repr)).unwrap());
    }
    for k in scalars {
        let mut acc = p256::ProjectivePoint::IDENTITY;
        g.mul_add(&mut acc, &k.to_repr()).unwrap();
        assert_eq!(acc, p256::ProjectivePoint::GENERATOR * k, "{k:?}");
    }
    let g384 = comb384(&p384::ProjectivePoint::GENERATOR);
    for v in [0u64, 1, 31, 32, 33, u64::MAX] {
        for k in [p384::Scalar::from(v), -p384::Scalar::from(v)] {
            let mut acc = p384::ProjectivePoint::IDENTITY;
            g384.mul_add(&mut acc, &k.to_repr()).unwrap();
            assert_eq!(acc, p384::ProjectivePoint::GENERATOR * k);
        }
    }
}

#[test]
fn unbuilt_comb_declines() {
    let g = Box::new(P256Comb::new());
    let mut acc = p256::ProjectivePoint::IDENTITY;
    assert!(g.mul_add(&mut acc, &[1]).is_none());
    assert!(g.base().is_none());
}
