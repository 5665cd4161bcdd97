//! The Ed25519 comb path against ed25519-dalek's `verify_strict`: Wycheproof
//! vectors, random signatures with mutations (bit flips, s + l, small-order
//! R, non-canonical encodings). Same verdict everywhere, or the test fails.
#![cfg(all(feature = "ec-tables", feature = "eddsa"))]

mod common;

use common::{hex, read_json, vector_path};
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use sha2::Digest as _;
use verifier_core::ed_tables::{EdComb, verify_with};

/// The tests that load `Key`s share the process-wide pool: one at a time.
static POOL_TESTS: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn comb(p: &EdwardsPoint) -> Box<EdComb> {
    let c = Box::new(EdComb::new());
    c.build(p);
    c
}

fn combs_say(base: &EdComb, key: &EdComb, vk: &VerifyingKey, msg: &[u8], sig: &[u8]) -> bool {
    let Ok(sig) = <&[u8; 64]>::try_from(sig) else {
        return false;
    };
    let (r, s) = sig.split_at(32);
    verify_with(
        base,
        key,
        vk.as_bytes(),
        &vk.to_edwards(),
        msg,
        r.try_into().unwrap(),
        s.try_into().unwrap(),
    )
}

fn dalek_says(vk: &VerifyingKey, msg: &[u8], sig: &[u8]) -> bool {
    let Ok(sig) = <&[u8; 64]>::try_from(sig) else {
        return false;
    };
    vk.verify_strict(msg, &ed25519_dalek::Signature::from_bytes(sig))
        .is_ok()
}

#[test]
fn wycheproof_ed25519_through_combs() {
    let base = comb(&curve25519_dalek::constants::ED25519_BASEPOINT_POINT);
    let doc = read_json(vector_path("wycheproof/ed25519_test.json"));
    let (mut valid, mut invalid) = (0, 0);
    for group in doc["testGroups"].as_array().unwrap() {
        let pk: [u8; 32] = hex(&group["publicKey"]["pk"]).try_into().unwrap();
        let Ok(vk) = VerifyingKey::from_bytes(&pk) else {
            continue;
        };
        let key = comb(&vk.to_edwards());
        for t in group["tests"].as_array().unwrap() {
            let (msg, sig) = (hex(&t["msg"]), hex(&t["sig"]));
            let got = combs_say(&base, &key, &vk, &msg, &sig);
            assert_eq!(got, dalek_says(&vk, &msg, &sig), "tc {}", t["tcId"]);
            match t["result"].as_str().unwrap() {
                "valid" => assert!(got, "tc {}", t["tcId"]),
                "invalid" => assert!(!got, "tc {}", t["tcId"]),
                _ => {}
            }
            if got { valid += 1 } else { invalid += 1 }
        }
    }
    println!("Ed25519 combs: {valid} accepted, {invalid} rejected");
    assert!(valid > 0 && invalid > 0);
}

#[test]
fn random_signatures_and_mutations_agree() {
    let base = comb(&curve25519_dalek::constants::ED25519_BASEPOINT_POINT);
    // l, the group order, little-endian: s + l is the classic malleated s.
    let l: [u8; 32] =
        hex::decode("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")
            .unwrap()
            .try_into()
            .unwrap();
    let small_order_r = CompressedEdwardsY::default(); // y = 0: a point of order 4
    for k in 0..3u8 {
        let seed: [u8; 32] = sha2::Sha256::digest([b'k', k]).into();
        let sk = SigningKey::from_bytes(&seed);
        let vk = sk.verifying_key();
        let key = comb(&vk.to_edwards());
        for m in 0..6u8 {
            let msg: Vec<u8> = (0..(m as usize * 37)).map(|i| (i as u8) ^ m).collect();
            let sig = sk.sign(&msg).to_bytes();
            let mut cases = vec![(sig.to_vec(), msg.clone())];
            for pos in [0, 5, 31, 32, 40, 63] {
                let mut s = sig;
                s[pos] ^= 1 << (m % 8);
                cases.push((s.to_vec(), msg.clone()));
            }
            let mut plus_l = sig;
            let mut carry = 0u16;
            for i in 0..32 {
                let v = u16::from(plus_l[32 + i]) + u16::from(l[i]) + carry;
                plus_l[32 + i] = v as u8;
                carry = v >> 8;
            }
            cases.push((plus_l.to_vec(), msg.clone()));
            let mut small = sig;
            small[..32].copy_from_slice(small_order_r.as_bytes());
            cases.push((small.to_vec(), msg.clone()));
            let mut other = msg.clone();
            other.push(1);
            cases.push((sig.to_vec(), other));
            for (s, msg) in cases {
                assert_eq!(
                    combs_say(&base, &key, &vk, &msg, &s),
                    dalek_says(&vk, &msg, &s),
                    "key {k} msg {m}"
                );
            }
            assert!(combs_say(&base, &key, &vk, &msg, &sig));
        }
    }
}

#[test]
fn comb_scalar_mul_matches_dalek() {
    use curve25519_dalek::scalar::Scalar;
    let b = curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
    let base = comb(&b);
    let mut scalars = vec![Scalar::ZERO, Scalar::ONE, -Scalar::ONE];
    for v in [2u64, 31, 32, 33, 63, 64, 65, u64::MAX] {
        scalars.push(Scalar::from(v));
        scalars.push(-Scalar::from(v));
    }
    for i in 0..20u8 {
        let wide: [u8; 64] = sha2::Sha512::digest([i]).into();
        scalars.push(Scalar::from_bytes_mod_order_wide(&wide));
    }
    for k in scalars {
        let mut acc = EdwardsPoint::default();
        base.mul_add(&mut acc, &k.to_bytes()).unwrap();
        assert_eq!(acc, b * k);
    }
}

/// A = aB + T for each of the 7 non-identity 8-torsion points T: keys that
/// `verify_strict` loads and uses (only small-order A is refused). With R =
/// rB and s = r + k a, `[s]B - [k]A = R - [k]T`, which is R exactly when the
/// order of T divides k: some messages give signatures `verify_strict`
/// accepts, the others ones it refuses. The combs must say the same of each,
/// and of the same signatures mutated.
#[test]
fn mixed_order_keys_agree() {
    use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT as B, EIGHT_TORSION};
    use curve25519_dalek::scalar::Scalar;
    let base = comb(&B);
    for (t, torsion) in EIGHT_TORSION.iter().enumerate().skip(1) {
        let wide: [u8; 64] = sha2::Sha512::digest([b'a', t as u8]).into();
        let a = Scalar::from_bytes_mod_order_wide(&wide);
        let point = B * a + torsion;
        let vk = VerifyingKey::from_bytes(point.compress().as_bytes()).unwrap();
        let key = comb(&vk.to_edwards());
        let (mut accepted, mut refused) = (0, 0);
        for m in 0..40u8 {
            let msg = [b'm', t as u8, m];
            let wide: [u8; 64] = sha2::Sha512::digest(msg).into();
            let r = Scalar::from_bytes_mod_order_wide(&wide);
            let r_point = (B * r).compress();
            let mut h = sha2::Sha512::new();
            h.update(r_point.as_bytes());
            h.update(vk.as_bytes());
            h.update(msg);
            let k = Scalar::from_bytes_mod_order_wide(&h.finalize().into());
            let s = r + k * a;
            let mut sig = [0u8; 64];
            sig[..32].copy_from_slice(r_point.as_bytes());
            sig[32..].copy_from_slice(s.as_bytes());
            let mut flipped = sig;
            flipped[40] ^= 1;
            for sig in [sig, flipped] {
                let want = dalek_says(&vk, &msg, &sig);
                assert_eq!(
                    combs_say(&base, &key, &vk, &msg, &sig),
                    want,
                    "T{t} msg {m}"
                );
                if want { accepted += 1 } else { refused += 1 }
            }
        }
        assert!(
            accepted > 0 && refused > 0,
            "T{t}: {accepted} accepted, {refused} refused"
        );
    }
}

/// The same mixed-order keys through `Key` and `verify_signature`: on the
/// table path (the key holds a pool slot) and on the fallback path (the same
/// key without its table), the verdict is `verify_strict`'s. Also with the
/// key non-canonically encoded where one exists.
#[test]
fn mixed_order_keys_agree_through_key_on_both_paths() {
    use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT as B, EIGHT_TORSION};
    use curve25519_dalek::scalar::Scalar;
    use verifier_core::{Algorithm, Key, verify_signature};
    let _pool = POOL_TESTS.lock().unwrap_or_else(|e| e.into_inner());
    for (t, torsion) in EIGHT_TORSION.iter().enumerate() {
        let wide: [u8; 64] = sha2::Sha512::digest([b'K', t as u8]).into();
        let a = Scalar::from_bytes_mod_order_wide(&wide);
        let point = B * a + torsion;
        let vk = VerifyingKey::from_bytes(point.compress().as_bytes()).unwrap();
        let tabled = Key::ed25519(vk.as_bytes()).unwrap();
        assert!(tabled.has_table(), "T{t}: a free pool gives a table");
        let fallback = tabled.clone().without_table();
        assert!(!fallback.has_table());
        let (mut accepted, mut refused) = (0, 0);
        // One R = rB; messages chosen by k mod 8, cheap to hash: two with
        // 8 | k (accepted for every T), six others (refused for some T).
        let r = Scalar::from(7u64 + t as u64);
        let r_point = (B * r).compress();
        let (mut zero, mut other) = (0, 0);
        for m in 0..=255u8 {
            let msg = [b'M', t as u8, m];
            let mut h = sha2::Sha512::new();
            h.update(r_point.as_bytes());
            h.update(vk.as_bytes());
            h.update(msg);
            let k = Scalar::from_bytes_mod_order_wide(&h.finalize().into());
            if k.as_bytes()[0].is_multiple_of(8) {
                zero += 1;
                if zero > 2 {
                    continue;
                }
            } else {
                other += 1;
                if other > 6 {
                    continue;
                }
            }
            if zero >= 2 && other >= 6 && (zero > 2 || other > 6) {
                break;
            }
            let mut sig = [0u8; 64];
            sig[..32].copy_from_slice(r_point.as_bytes());
            sig[32..].copy_from_slice((r + k * a).as_bytes());
            let mut flipped = sig;
            flipped[3] ^= 0x10;
            for sig in [sig, flipped] {
                let want = dalek_says(&vk, &msg, &sig);
                for (path, key) in [("table", &tabled), ("fallback", &fallback)] {
                    let got = verify_signature(key, Algorithm::EdDSA, &msg, &sig).is_ok();
                    assert_eq!(got, want, "T{t} msg {m} {path}");
                }
                if want { accepted += 1 } else { refused += 1 }
            }
        }
        assert!(refused > 0, "T{t}");
        assert!(accepted > 0, "T{t}");
    }
}

/// y = p + 3 encodes the same point as y = 3 (which is on the curve and not
/// of small order). Both encodings load, share one pool slot, and give
/// `verify_strict`'s verdicts (which hash the bytes as given) on both paths.
#[test]
fn non_canonical_key_shares_the_canonical_slot() {
    use verifier_core::{Algorithm, Key, verify_signature};
    let _pool = POOL_TESTS.lock().unwrap_or_else(|e| e.into_inner());
    let mut canonical = [0u8; 32];
    canonical[0] = 3;
    let mut non_canonical = [0xffu8; 32];
    non_canonical[0] = 0xed + 3;
    non_canonical[31] = 0x7f;
    let a = Key::ed25519(&canonical).unwrap();
    let b = Key::ed25519(&non_canonical).unwrap();
    assert!(a.has_table() && b.has_table());
    let pool = &verifier_core::ed_tables::POOL;
    let in_use = pool.slots_in_use();
    drop(a);
    // b still holds the shared slot.
    assert_eq!(pool.slots_in_use(), in_use);
    for bytes in [canonical, non_canonical] {
        let vk = VerifyingKey::from_bytes(&bytes).unwrap();
        let key = Key::ed25519(&bytes).unwrap();
        let fallback = key.clone().without_table();
        for i in 0..8u8 {
            let msg = [i; 5];
            let mut sig = [i.wrapping_mul(37); 64];
            sig[..32].copy_from_slice(
                (curve25519_dalek::constants::ED25519_BASEPOINT_POINT
                    * curve25519_dalek::Scalar::from(u64::from(i) + 2))
                .compress()
                .as_bytes(),
            );
            sig[63] &= 0x0f;
            let want = dalek_says(&vk, &msg, &sig);
            assert_eq!(
                verify_signature(&key, Algorithm::EdDSA, &msg, &sig).is_ok(),
                want
            );
            assert_eq!(
                verify_signature(&fallback, Algorithm::EdDSA, &msg, &sig).is_ok(),
                want
            );
        }
    }
}
