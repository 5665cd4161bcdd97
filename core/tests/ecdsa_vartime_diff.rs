//! The variable-time ECDSA verifier (`ecdsa_vartime`) against the `p256` /
//! `p384` / `p521` crates' `verify_prehash`: Wycheproof vectors, random keys
//! and signatures with mutations, edge scalars, keys that make the interleaved
//! chain hit its exceptional cases; and the generator tables, recomputed.
//! P-521's tests need the `p521` feature (in `ecdsa`, the default).
#![cfg(all(feature = "p256", feature = "p384"))]

mod common;

use common::{seeded_bytes as bytes, signature_mutations, wycheproof_p1363};
use p256::ecdsa::signature::hazmat::{PrehashSigner as _, PrehashVerifier as _};
use p256::elliptic_curve::ff::PrimeField as _;
use p256::elliptic_curve::point::AffineCoordinates as _;
use p256::elliptic_curve::sec1::FromSec1Point as _;
use primeorder::PrimeCurveParams;
use sha2::Digest as _;
use verifier_core::ecdsa_vartime::{VartimeCurve, VtField as _, verify};

const N256: &str = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
const N384: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973";
#[cfg(feature = "p521")]
const N521: &str = "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409";

fn crate_256(k: &p256::ecdsa::VerifyingKey, digest: &[u8], sig: &[u8]) -> bool {
    p256::ecdsa::Signature::from_slice(sig).is_ok_and(|s| k.verify_prehash(digest, &s).is_ok())
}

fn crate_384(k: &p384::ecdsa::VerifyingKey, digest: &[u8], sig: &[u8]) -> bool {
    p384::ecdsa::Signature::from_slice(sig).is_ok_and(|s| k.verify_prehash(digest, &s).is_ok())
}

#[cfg(feature = "p521")]
fn crate_521(k: &p521::ecdsa::VerifyingKey, digest: &[u8], sig: &[u8]) -> bool {
    p521::ecdsa::Signature::from_slice(sig).is_ok_and(|s| k.verify_prehash(digest, &s).is_ok())
}

#[cfg(feature = "p521")]
fn ours_521(k: &p521::ecdsa::VerifyingKey, digest: &[u8], sig: &[u8]) -> bool {
    verify::<p521::NistP521>(k.as_affine(), digest, sig)
}

#[cfg(feature = "p521")]
fn check_521(k: &p521::ecdsa::VerifyingKey, digest: &[u8], sig: &[u8], what: &str) -> bool {
    let want = crate_521(k, digest, sig);
    assert_eq!(ours_521(k, digest, sig), want, "P-521 {what}");
    want
}

fn ours_256(k: &p256::ecdsa::VerifyingKey, digest: &[u8], sig: &[u8]) -> bool {
    verify::<p256::NistP256>(k.as_affine(), digest, sig)
}

fn ours_384(k: &p384::ecdsa::VerifyingKey, digest: &[u8], sig: &[u8]) -> bool {
    verify::<p384::NistP384>(k.as_affine(), digest, sig)
}

fn check_256(k: &p256::ecdsa::VerifyingKey, digest: &[u8], sig: &[u8], what: &str) -> bool {
    let want = crate_256(k, digest, sig);
    assert_eq!(ours_256(k, digest, sig), want, "P-256 {what}");
    want
}

fn check_384(k: &p384::ecdsa::VerifyingKey, digest: &[u8], sig: &[u8], what: &str) -> bool {
    let want = crate_384(k, digest, sig);
    assert_eq!(ours_384(k, digest, sig), want, "P-384 {what}");
    want
}

#[test]
fn wycheproof_p256() {
    let (valid, invalid) = wycheproof_p1363(
        "ecdsa_secp256r1_sha256_p1363_test.json",
        |sec1| p256::ecdsa::VerifyingKey::from_sec1_bytes(sec1).unwrap(),
        |key, msg, sig, tc| check_256(key, &sha2::Sha256::digest(msg), sig, tc),
    );
    println!("P-256 vartime: {valid} accepted, {invalid} rejected");
}

#[test]
fn wycheproof_p384() {
    let (valid, invalid) = wycheproof_p1363(
        "ecdsa_secp384r1_sha384_p1363_test.json",
        |sec1| p384::ecdsa::VerifyingKey::from_sec1_bytes(sec1).unwrap(),
        |key, msg, sig, tc| check_384(key, &sha2::Sha384::digest(msg), sig, tc),
    );
    println!("P-384 vartime: {valid} accepted, {invalid} rejected");
}

/// ES512's vectors are kept in `core/tests/data/wycheproof/` (not among the
/// shared ones); the digest is SHA-512's 64 bytes, shorter than the field.
#[cfg(feature = "p521")]
#[test]
fn wycheproof_p521() {
    let (valid, invalid) = common::wycheproof_p1363_at(
        common::data_path("wycheproof/ecdsa_secp521r1_sha512_p1363_test.json"),
        |sec1| p521::ecdsa::VerifyingKey::from_sec1_bytes(sec1).unwrap(),
        |key, msg, sig, tc| check_521(key, &sha2::Sha512::digest(msg), sig, tc),
    );
    println!("P-521 vartime: {valid} accepted, {invalid} rejected");
}

/// Mutations of a good signature: the shared ones (flipped bits in r, s and
/// the digest, r and s swapped), and truncated or extended.
fn mutations(sig: &[u8], digest: &[u8], i: u32) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = signature_mutations(sig, digest, i);
    out.push((sig[..sig.len() - 1].to_vec(), digest.to_vec()));
    out.push(([sig, &[0]].concat(), digest.to_vec()));
    out
}

#[test]
fn random_p256_signatures_agree() {
    for k in 0..8u32 {
        let sk = p256::ecdsa::SigningKey::from_slice(&bytes("p256-key", k, 32)).unwrap();
        let vk = *sk.verifying_key();
        for m in 0..8u32 {
            let digest = bytes("p256-msg", k * 100 + m, 32);
            let sig: p256::ecdsa::Signature = sk.sign_prehash(&digest).unwrap();
            // High-s form is valid too (JWS does not require low s).
            let high = p256::ecdsa::Signature::from_scalars(sig.r(), -*sig.s()).unwrap();
            for base in [sig.to_bytes().to_vec(), high.to_bytes().to_vec()] {
                assert!(check_256(&vk, &digest, &base, "valid"));
                for (s, d) in mutations(&base, &digest, m) {
                    check_256(&vk, &d, &s, &format!("key {k} msg {m}"));
                }
            }
        }
    }
}

#[test]
fn random_p384_signatures_agree() {
    for k in 0..4u32 {
        let sk = p384::ecdsa::SigningKey::from_slice(&bytes("p384-key", k, 48)).unwrap();
        let vk = *sk.verifying_key();
        for m in 0..8u32 {
            let digest = bytes("p384-msg", k * 100 + m, 48);
            let sig: p384::ecdsa::Signature = sk.sign_prehash(&digest).unwrap();
            let high = p384::ecdsa::Signature::from_scalars(sig.r(), -*sig.s()).unwrap();
            for base in [sig.to_bytes().to_vec(), high.to_bytes().to_vec()] {
                assert!(check_384(&vk, &digest, &base, "valid"));
                for (s, d) in mutations(&base, &digest, m) {
                    check_384(&vk, &d, &s, &format!("key {k} msg {m}"));
                }
            }
        }
    }
}

#[cfg(feature = "p521")]
#[test]
fn random_p521_signatures_agree() {
    for k in 0..3u32 {
        // A 66-byte secret below n: the top byte is at most 1.
        let mut d = bytes("p521-key", k, 66);
        d[0] &= 1;
        let sk = p521::ecdsa::SigningKey::from_slice(&d).unwrap();
        let vk = *sk.verifying_key();
        for m in 0..4u32 {
            // SHA-512-sized digests, as ES512 passes.
            let digest = bytes("p521-msg", k * 100 + m, 64);
            let sig: p521::ecdsa::Signature = sk.sign_prehash(&digest).unwrap();
            let high = p521::ecdsa::Signature::from_scalars(sig.r(), -*sig.s()).unwrap();
            for base in [sig.to_bytes().to_vec(), high.to_bytes().to_vec()] {
                assert!(check_521(&vk, &digest, &base, "valid"));
                for (s, d) in mutations(&base, &digest, m) {
                    check_521(&vk, &d, &s, &format!("key {k} msg {m}"));
                }
            }
        }
    }
}

/// Add a small signed number to a big-endian integer, wrapping.
fn add_small(v: &[u8], d: i64) -> Vec<u8> {
    let mut out = v.to_vec();
    let mut carry = d as i128;
    for b in out.iter_mut().rev() {
        let x = *b as i128 + carry;
        *b = x.rem_euclid(256) as u8;
        carry = x.div_euclid(256);
    }
    out
}

/// Edge values for r, s and the digest of a `len`-byte curve with order `n`.
fn edges(n: &str, len: usize) -> Vec<Vec<u8>> {
    let n = hex::decode(n).unwrap();
    let zero = vec![0u8; len];
    let mut half = n.clone();
    let mut carry = 0u8;
    for b in half.iter_mut() {
        let x = (*b >> 1) | (carry << 7);
        carry = *b & 1;
        *b = x;
    }
    vec![
        zero.clone(),
        add_small(&zero, 1),
        add_small(&zero, 2),
        add_small(&n, -2),
        add_small(&n, -1),
        n.clone(),
        add_small(&n, 1),
        half.clone(),
        add_small(&half, 1),
        vec![0xff; len],
        bytes("edge", len as u32, len),
    ]
}

#[test]
fn edge_scalars_agree() {
    let sk = p256::ecdsa::SigningKey::from_slice(&bytes("p256-edge", 0, 32)).unwrap();
    let vk = *sk.verifying_key();
    let e = edges(N256, 32);
    for r in &e {
        for s in &e {
            for d in &e {
                check_256(&vk, d, &[&r[..], s].concat(), "edge");
            }
        }
    }
    let sk = p384::ecdsa::SigningKey::from_slice(&bytes("p384-edge", 0, 48)).unwrap();
    let vk = *sk.verifying_key();
    let e = edges(N384, 48);
    for r in &e {
        for s in &e {
            for d in &e {
                check_384(&vk, d, &[&r[..], s].concat(), "edge");
            }
        }
    }
}

/// P-521: r and s over the edge values (0, 1, 2, n-2, n-1, n, n+1, n/2,
/// n/2+1, all ones, random) with a random and an all-ones SHA-512-sized
/// digest; fewer digests than the smaller curves (a P-521 verification costs
/// about 20 times a P-256 one in a debug build).
#[cfg(feature = "p521")]
#[test]
fn edge_scalars_agree_p521() {
    let mut d = bytes("p521-edge", 0, 66);
    d[0] &= 1;
    let vk = *p521::ecdsa::SigningKey::from_slice(&d)
        .unwrap()
        .verifying_key();
    let e = edges(N521, 66);
    for r in &e {
        for s in &e {
            for z in [bytes("p521-edge-z", 0, 64), vec![0xff; 64]] {
                let sig = [&r[..], s].concat();
                let what = format!("edge r {} s {}", hex::encode(r), hex::encode(s));
                let ok = check_521(&vk, &z, &sig, &what);
                // None of these is a signature of the key: all refused.
                assert!(!ok, "{what}");
            }
        }
    }
}

/// A valid P-521 signature with r or s replaced by 0, n, n + (r or s), or
/// 2^528 - 1 (out of range), each refused, as the crate refuses them.
#[cfg(feature = "p521")]
#[test]
fn p521_out_of_range_scalars_refused() {
    let mut d = bytes("p521-range", 0, 66);
    d[0] &= 1;
    let sk = p521::ecdsa::SigningKey::from_slice(&d).unwrap();
    let vk = *sk.verifying_key();
    let digest = bytes("p521-range-msg", 0, 64);
    let sig: p521::ecdsa::Signature = sk.sign_prehash(&digest).unwrap();
    let sig = sig.to_bytes().to_vec();
    assert!(check_521(&vk, &digest, &sig, "valid"));
    let n = hex::decode(N521).unwrap();
    let add = |a: &[u8], b: &[u8]| {
        let mut out = vec![0u8; 66];
        let mut carry = 0u16;
        for i in (0..66).rev() {
            let t = u16::from(a[i]) + u16::from(b[i]) + carry;
            out[i] = t as u8;
            carry = t >> 8;
        }
        out
    };
    let (r, s) = sig.split_at(66);
    for (what, r2, s2) in [
        ("r = 0", vec![0u8; 66], s.to_vec()),
        ("s = 0", r.to_vec(), vec![0u8; 66]),
        ("r = n", n.clone(), s.to_vec()),
        ("s = n", r.to_vec(), n.clone()),
        ("r + n", add(r, &n), s.to_vec()),
        ("s + n", r.to_vec(), add(s, &n)),
        ("r all ones", vec![0xff; 66], s.to_vec()),
        ("s all ones", r.to_vec(), vec![0xff; 66]),
    ] {
        let bad = [r2, s2].concat();
        assert!(!check_521(&vk, &digest, &bad, what), "{what}");
    }
}

/// ES512's digest (SHA-512, 512 bits) is shorter than P-521's 66-byte field
/// and 521-bit order: SEC 1 4.1.3/4.1.4 step 5 takes it as the integer it is
/// (zero-extended on the left, no bit shift; truncation is only for digests
/// longer than the order). A signature made here by hand from that integer
/// (`s = k⁻¹(z + r·d)`, with the `p521` crate's scalar arithmetic, not its
/// ECDSA) verifies; one made from the digest shifted left by 9 bits (the
/// leftmost 521 bits of a 66-byte left-aligned buffer, a plausible mistake)
/// and one from the digest shifted right do not.
#[cfg(feature = "p521")]
#[test]
fn p521_short_digest_is_zero_extended_not_shifted() {
    use p521::elliptic_curve::ops::Reduce as _;
    let d = p521::Scalar::from(0x1234_5678_9abc_def1u64) * p521::Scalar::from(0xfedc_ba98u64);
    let q = (p521::ProjectivePoint::GENERATOR * d).to_affine();
    let vk = p521::ecdsa::VerifyingKey::from_affine(q).unwrap();
    // A digest with its top bit set, so any shift shows.
    let mut digest = bytes("p521-bits2field", 0, 64);
    digest[0] |= 0x80;
    let sign = |z: p521::Scalar, nonce: u64| {
        let k = p521::Scalar::from(nonce) * p521::Scalar::from(0x9e37_79b9_7f4a_7c15u64);
        let big_r = (p521::ProjectivePoint::GENERATOR * k).to_affine();
        let r = <p521::Scalar as p521::elliptic_curve::ops::Reduce<p521::FieldBytes>>::reduce(
            &big_r.x(),
        );
        let s = k.invert().unwrap() * (z + r * d);
        [r.to_repr().to_vec(), s.to_repr().to_vec()].concat()
    };
    let as_scalar = |be66: &[u8]| {
        let fb = p521::FieldBytes::try_from(be66).unwrap();
        p521::Scalar::reduce(&fb)
    };
    // z = the digest as an integer: 2 zero bytes, then the 64 digest bytes.
    let padded = [&[0u8, 0][..], &digest].concat();
    let sig = sign(as_scalar(&padded), 7);
    assert!(ours_521(&vk, &digest, &sig), "zero-extended digest");
    assert!(crate_521(&vk, &digest, &sig));
    // z = digest << 9 (the digest's 512 bits as the leftmost of 521).
    let mut shifted = vec![0u8; 66];
    let mut wide = [&[0u8][..], &digest, &[0u8]].concat(); // digest << 8, 66 bytes
    let mut carry = 0u8;
    for b in wide.iter_mut().rev() {
        let nb = (*b << 1) | carry;
        carry = *b >> 7;
        *b = nb;
    }
    shifted.copy_from_slice(&wide);
    let sig_shl = sign(as_scalar(&shifted), 8);
    assert!(!ours_521(&vk, &digest, &sig_shl), "digest << 9");
    assert!(!crate_521(&vk, &digest, &sig_shl));
    // z = digest >> 1.
    let mut shr = padded.clone();
    let mut carry = 0u8;
    for b in shr.iter_mut() {
        let nb = (*b >> 1) | (carry << 7);
        carry = *b & 1;
        *b = nb;
    }
    let sig_shr = sign(as_scalar(&shr), 9);
    assert!(!ours_521(&vk, &digest, &sig_shr), "digest >> 1");
    assert!(!crate_521(&vk, &digest, &sig_shr));
}

#[test]
fn digest_lengths_agree() {
    // The crate truncates a long digest to the field's length and zero-extends a short one.
    let sk = p256::ecdsa::SigningKey::from_slice(&bytes("p256-len", 0, 32)).unwrap();
    let vk = *sk.verifying_key();
    let sk3 = p384::ecdsa::SigningKey::from_slice(&bytes("p384-len", 0, 48)).unwrap();
    let vk3 = *sk3.verifying_key();
    for len in [0usize, 1, 20, 31, 32, 33, 47, 48, 49, 64] {
        let digest = bytes("digest-len", len as u32, len);
        // RFC 6979 nonces need a nonempty digest.
        if len == 0 {
            check_256(&vk, &digest, &bytes("empty", 0, 64), "empty digest");
            check_384(&vk3, &digest, &bytes("empty", 0, 96), "empty digest");
            continue;
        }
        if let Ok(sig) = p256::ecdsa::SigningKey::sign_prehash(&sk, &digest) {
            let sig: p256::ecdsa::Signature = sig;
            assert!(check_256(&vk, &digest, &sig.to_bytes(), "own length"));
        }
        if let Ok(sig) = p384::ecdsa::SigningKey::sign_prehash(&sk3, &digest) {
            let sig: p384::ecdsa::Signature = sig;
            assert!(check_384(&vk3, &digest, &sig.to_bytes(), "own length"));
        }
        let other = bytes("digest-len-sig", len as u32, 96);
        check_256(&vk, &digest, &other[..64], "random sig");
        check_384(&vk3, &digest, &other, "random sig");
    }
}

/// Keys `d·G` for small `d` and `n - d`: with `z` a small multiple of `r`,
/// `u1` and `u2` are related, so the chain adds a point to itself or to its
/// negation (both exceptional cases of the mixed addition) and the sum can
/// be the identity. Same verdicts as the crate, and exact ones where known.
#[test]
fn exceptional_additions_agree() {
    for d in [1u64, 2, 3, 5, 7, 15, 16, 17, 31, 63, 64, 65] {
        for neg in [false, true] {
            let mut sk = p256::Scalar::from(d);
            if neg {
                sk = -sk;
            }
            let key = p256::ecdsa::SigningKey::from_bytes(&sk.to_repr()).unwrap();
            let vk = *key.verifying_key();
            let mut sk3 = p384::Scalar::from(d);
            if neg {
                sk3 = -sk3;
            }
            let key3 = p384::ecdsa::SigningKey::from_bytes(&sk3.to_repr()).unwrap();
            let vk3 = *key3.verifying_key();
            for i in 0..4u32 {
                // r and s pseudo-random, z = c·r with c in {±1, ±d, ...}: u1·G + u2·Q = (c + d)·(r/s)·G.
                let r = p256::Scalar::from_repr(
                    p256::FieldBytes::try_from(&bytes("exc-r", i, 32)[..]).unwrap(),
                )
                .unwrap_or(p256::Scalar::ONE);
                let s = p256::Scalar::from(u64::from(i) + 1);
                for c in [1i64, -1, d as i64, -(d as i64), 2, -2] {
                    let cz = if c < 0 {
                        -p256::Scalar::from(c.unsigned_abs())
                    } else {
                        p256::Scalar::from(c as u64)
                    };
                    let z = (cz * r).to_repr();
                    let sig = [r.to_repr().as_slice(), s.to_repr().as_slice()].concat();
                    check_256(&vk, &z, &sig, &format!("d {d} neg {neg} i {i} c {c}"));
                }
                let r3 = p384::Scalar::from_repr(
                    p384::FieldBytes::try_from(&bytes("exc-r3", i, 48)[..]).unwrap(),
                )
                .unwrap_or(p384::Scalar::ONE);
                let s3 = p384::Scalar::from(u64::from(i) + 1);
                for c in [1i64, -1, d as i64, -(d as i64), 2, -2] {
                    let cz = if c < 0 {
                        -p384::Scalar::from(c.unsigned_abs())
                    } else {
                        p384::Scalar::from(c as u64)
                    };
                    let z = (cz * r3).to_repr();
                    let sig = [r3.to_repr().as_slice(), s3.to_repr().as_slice()].concat();
                    check_384(&vk3, &z, &sig, &format!("d {d} neg {neg} i {i} c {c}"));
                }
            }
        }
    }
}

/// Signatures whose `R` is exactly the point the chain would cancel: key
/// `Q = -G` and `z = r` give `u1·G + u2·Q = 0`, the identity, refused.
#[test]
fn identity_sum_is_refused() {
    let sk = -p256::Scalar::ONE;
    let key = p256::ecdsa::SigningKey::from_bytes(&sk.to_repr()).unwrap();
    let vk = *key.verifying_key();
    let r = p256::Scalar::from(12345u64);
    let s = p256::Scalar::from(678u64);
    let sig = [r.to_repr().as_slice(), s.to_repr().as_slice()].concat();
    assert!(!ours_256(&vk, &r.to_repr(), &sig));
    assert!(!crate_256(&vk, &r.to_repr(), &sig));
}

/// Signatures whose `x(R)` lies in `[n, p)` (so `x mod n = x - n`), built
/// backwards from such a point `R`: `r = x - n`, any `s` and `z`, and the
/// key `Q = (s·R - z·G) / r`. Accepted only through the `r + n` branch; the
/// same signature with `r = x` is out of range and refused.
#[test]
fn x_above_order_accepted() {
    let n = hex::decode(N256).unwrap();
    let mut found = 0;
    for t in 1..400i64 {
        let x = add_small(&n, t);
        let sec1 = [&[0x02u8][..], &x].concat();
        let Some(big_r) = p256::Sec1Point::from_bytes(&sec1).ok().and_then(|p| {
            Option::<p256::AffinePoint>::from(p256::AffinePoint::from_sec1_point(&p))
        }) else {
            continue;
        };
        let r = p256::Scalar::from(t as u64);
        let s = p256::Scalar::from(1000 + t as u64);
        let z = p256::Scalar::from_repr(
            p256::FieldBytes::try_from(&bytes("x-above", t as u32, 32)[..]).unwrap(),
        )
        .unwrap();
        let q = ((p256::ProjectivePoint::from(big_r) * s - p256::ProjectivePoint::GENERATOR * z)
            * r.invert().unwrap())
        .to_affine();
        let vk = p256::ecdsa::VerifyingKey::from_affine(q).unwrap();
        let sig = [r.to_repr().as_slice(), s.to_repr().as_slice()].concat();
        assert!(check_256(&vk, &z.to_repr(), &sig, "x above n"));
        // -R has the same x: s negated verifies too.
        let sig_neg = [r.to_repr().as_slice(), (-s).to_repr().as_slice()].concat();
        assert!(check_256(&vk, &z.to_repr(), &sig_neg, "x above n, -s"));
        let sig_x = [&x[..], s.to_repr().as_slice()].concat();
        assert!(!check_256(&vk, &z.to_repr(), &sig_x, "r = x >= n"));
        found += 1;
        if found == 4 {
            break;
        }
    }
    assert_eq!(found, 4, "points with n < x < p");
}

/// P-521: the exceptional additions of `exceptional_additions_agree` (keys
/// `±d·G`, `z = c·r`), fewer keys.
#[cfg(feature = "p521")]
#[test]
fn exceptional_additions_agree_p521() {
    for d in [1u64, 2, 3, 17, 65] {
        for neg in [false, true] {
            let mut sk = p521::Scalar::from(d);
            if neg {
                sk = -sk;
            }
            let key = p521::ecdsa::SigningKey::from_bytes(&sk.to_repr()).unwrap();
            let vk = *key.verifying_key();
            for i in 0..2u32 {
                let mut rb = bytes("exc-r5", i, 66);
                rb[0] &= 1;
                let r = p521::Scalar::from_repr(p521::FieldBytes::try_from(&rb[..]).unwrap())
                    .unwrap_or(p521::Scalar::ONE);
                let s = p521::Scalar::from(u64::from(i) + 1);
                for c in [1i64, -1, d as i64, -(d as i64)] {
                    let cz = if c < 0 {
                        -p521::Scalar::from(c.unsigned_abs())
                    } else {
                        p521::Scalar::from(c as u64)
                    };
                    let z = (cz * r).to_repr();
                    let sig = [r.to_repr().as_slice(), s.to_repr().as_slice()].concat();
                    check_521(&vk, &z, &sig, &format!("d {d} neg {neg} i {i} c {c}"));
                }
            }
        }
    }
    // Q = -G and z = r: u1·G + u2·Q is the identity, refused.
    let key = p521::ecdsa::SigningKey::from_bytes(&(-p521::Scalar::ONE).to_repr()).unwrap();
    let vk = *key.verifying_key();
    let r = p521::Scalar::from(12345u64);
    let s = p521::Scalar::from(678u64);
    let sig = [r.to_repr().as_slice(), s.to_repr().as_slice()].concat();
    assert!(!ours_521(&vk, &r.to_repr(), &sig));
    assert!(!crate_521(&vk, &r.to_repr(), &sig));
}

/// P-521's `x_above_order_accepted`: `x(R)` in `[n, p)`, accepted only
/// through the `r + n` branch (p - n is about 2^260, so r is small here).
#[cfg(feature = "p521")]
#[test]
fn x_above_order_accepted_p521() {
    let n = hex::decode(N521).unwrap();
    let mut found = 0;
    for t in 1..400i64 {
        let x = add_small(&n, t);
        let sec1 = [&[0x02u8][..], &x].concat();
        let Some(big_r) = p521::Sec1Point::from_bytes(&sec1).ok().and_then(|p| {
            Option::<p521::AffinePoint>::from(p521::AffinePoint::from_sec1_point(&p))
        }) else {
            continue;
        };
        let r = p521::Scalar::from(t as u64);
        let s = p521::Scalar::from(1000 + t as u64);
        let mut zb = bytes("x-above-521", t as u32, 66);
        zb[0] &= 1;
        let z = p521::Scalar::from_repr(p521::FieldBytes::try_from(&zb[..]).unwrap()).unwrap();
        let q = ((p521::ProjectivePoint::from(big_r) * s - p521::ProjectivePoint::GENERATOR * z)
            * r.invert().unwrap())
        .to_affine();
        let vk = p521::ecdsa::VerifyingKey::from_affine(q).unwrap();
        let sig = [r.to_repr().as_slice(), s.to_repr().as_slice()].concat();
        assert!(check_521(&vk, &z.to_repr(), &sig, "x above n"));
        let sig_x = [&x[..], s.to_repr().as_slice()].concat();
        assert!(!check_521(&vk, &z.to_repr(), &sig_x, "r = x >= n"));
        found += 1;
        if found == 2 {
            break;
        }
    }
    assert_eq!(found, 2, "points with n < x < p");
}

/// The curves this module assumes `a = -3` for.
#[test]
fn curves_have_a_minus_3() {
    assert_eq!(
        p256::NistP256::EQUATION_A,
        -<p256::NistP256 as primeorder::FieldArithmetic>::FieldElement::from(3u64)
    );
    assert_eq!(
        p384::NistP384::EQUATION_A,
        -<p384::NistP384 as primeorder::FieldArithmetic>::FieldElement::from(3u64)
    );
    #[cfg(feature = "p521")]
    assert_eq!(
        p521::NistP521::EQUATION_A,
        -<p521::NistP521 as primeorder::FieldArithmetic>::FieldElement::from(3u64)
    );
}

/// Odd multiples `G, 3G, ..., (2k-1)G` as big-endian hex (x, y).
fn odd_multiples_hex<C: PrimeCurveParams>(count: usize) -> Vec<(String, String)> {
    use p256::elliptic_curve::group::Group as _;
    let g = primeorder::ProjectivePoint::<C>::GENERATOR;
    let g2 = g.double();
    let mut p = g;
    let mut out = Vec::new();
    for _ in 0..count {
        let a = p.to_affine();
        out.push((hex::encode(a.x()), hex::encode(a.y())));
        p += g2;
    }
    out
}

/// How many odd multiples of G each curve's table holds.
const G_ODD_256: usize = 16;
const G_ODD_384: usize = 32;
const G_ODD_521: usize = 32;

// The tables file holds all three curves; the `p521` crate is a
// dev-dependency, so P-521's is recomputed in every feature set.
fn g_tables_source() -> String {
    let mut s = String::from(
        "//! Odd multiples of the generator, `G, 3G, ..., (2k-1)·G` (affine), for\n\
         //! `ecdsa_vartime`: constants, so a device keeps them in flash.\n\
         //!\n\
         //! GENERATED by `core/tests/ecdsa_vartime_diff.rs` (`g_tables_are_current`,\n\
         //! which recomputes them with the `p256`/`p384`/`p521` crates). To change\n\
         //! the window, edit `G_ODD_256`/`G_ODD_384`/`G_ODD_521` there and run\n\
         //! `LIBVERIFIER_REGEN_G_TABLES=1 cargo test -p libverifier-core --test ecdsa_vartime_diff`.\n\
         \n\
         use crate::ecdsa_vartime::{Affine, VartimeCurve};\n",
    );
    // P-256 verifies on `P256Field` (core's 32-bit field on 32-bit targets),
    // P-384 on `P384Field` (core's on wasm32); both have a const
    // `from_hex_vartime`. P-521 on the crate's, whose hex constructor is
    // private: core's const one.
    for (feature, curve, fe, from_hex, table) in [
        (
            "p256",
            "p256::NistP256",
            "crate::ecdsa_vartime::P256Field",
            "Self::Fe::from_hex_vartime",
            odd_multiples_hex::<p256::NistP256>(G_ODD_256),
        ),
        (
            "p384",
            "p384::NistP384",
            "crate::ecdsa_vartime::P384Field",
            "Self::Fe::from_hex_vartime",
            odd_multiples_hex::<p384::NistP384>(G_ODD_384),
        ),
        (
            "p521",
            "p521::NistP521",
            "crate::ecdsa_vartime::P521Field",
            "crate::ecdsa_vartime::p521_fe_from_hex",
            odd_multiples_hex::<p521::NistP521>(G_ODD_521),
        ),
    ] {
        s += &format!(
            "\n#[cfg(feature = \"{feature}\")]\nimpl VartimeCurve for {curve} {{\n    \
             type Fe = {fe};\n    \
             const G_ODD: &'static [Affine<Self::Fe>] = &[\n"
        );
        // As rustfmt lays it out: on one line if it fits in 100 columns.
        let coord = |name: &str, v: &str| {
            let line = format!("            {name}: {from_hex}(\"{v}\"),\n");
            if line.len() <= 101 {
                line
            } else {
                format!(
                    "            {name}: {from_hex}(\n                \"{v}\",\n            ),\n"
                )
            }
        };
        for (i, (x, y)) in table.iter().enumerate() {
            s += &format!(
                "        // {}·G\n        Affine {{\n{}{}        }},\n",
                2 * i + 1,
                coord("x", x),
                coord("y", y)
            );
        }
        s += "    ];\n}\n";
    }
    s
}

#[test]
fn g_tables_are_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/crypto/ecdsa_g_tables.rs");
    let want = g_tables_source();
    if std::env::var_os("LIBVERIFIER_REGEN_G_TABLES").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let have = std::fs::read_to_string(path).unwrap();
    assert!(
        have == want,
        "{path} is stale: regenerate it (see its header)"
    );
}

#[test]
fn g_tables_hold_odd_multiples() {
    fn check<C: VartimeCurve>(want: Vec<(String, String)>) {
        assert_eq!(C::G_ODD.len(), want.len());
        assert!(C::G_ODD.len().is_power_of_two() && C::G_ODD.len() >= 2);
        let len = hex::decode(&want[0].0).unwrap().len();
        let be = |f: &C::Fe| {
            let mut b = vec![0u8; len];
            f.fe_write_be(&mut b);
            hex::encode(b)
        };
        for (p, (x, y)) in C::G_ODD.iter().zip(want) {
            assert_eq!(be(&p.x), x);
            assert_eq!(be(&p.y), y);
        }
    }
    check::<p256::NistP256>(odd_multiples_hex::<p256::NistP256>(
        <p256::NistP256 as VartimeCurve>::G_ODD.len(),
    ));
    check::<p384::NistP384>(odd_multiples_hex::<p384::NistP384>(
        <p384::NistP384 as VartimeCurve>::G_ODD.len(),
    ));
    #[cfg(feature = "p521")]
    check::<p521::NistP521>(odd_multiples_hex::<p521::NistP521>(
        <p521::NistP521 as VartimeCurve>::G_ODD.len(),
    ));
}
