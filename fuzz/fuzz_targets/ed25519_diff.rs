//! EdDSA (Ed25519) verification, differential against ed25519-dalek's
//! `verify_strict`, on both paths a verdict can take: the comb path (a `Key`
//! holding a pool slot) and the fallback path (the same key without its
//! table, which verifies with dalek itself). Both are forced for every input.
//!
//! Keys: an honest key (a fuzzer-chosen seed); a mixed-order key A = aB + T
//! for each of the 8 torsion points T (the identity included), for which
//! signatures are built that `verify_strict` accepts exactly when the order
//! of T divides k; the non-canonical encodings y + p of the points with
//! y < 19; the small-order points; arbitrary 32 bytes.
//! Signatures: raw bytes; a valid one (honest key) or a constructed one
//! (R = rB or rB + T', s = r + k a); either with s + l, bytes flipped, or R
//! replaced by a small-order point.
//!
//! Must hold: no panic; no heap allocation in our verification; both of our
//! paths give `verify_strict`'s verdict; a valid signature verifies; an
//! Ed25519 key loads exactly when dalek's `VerifyingKey::from_bytes` does.
#![no_main]

use arbitrary::{Result, Unstructured};
use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT as B, EIGHT_TORSION};
use curve25519_dalek::scalar::Scalar;
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use libfuzzer_sys::fuzz_target;
use libverifier_fuzz::no_alloc;
use sha2::Digest as _;
use verifier_core::{Algorithm, Error, Key, verify_signature};

/// l, little-endian.
const L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

fn scalar(u: &mut Unstructured<'_>) -> Result<Scalar> {
    let mut wide = [0u8; 64];
    u.fill_buffer(&mut wide)?;
    Ok(Scalar::from_bytes_mod_order_wide(&wide))
}

fn challenge(r: &[u8], a: &[u8], msg: &[u8]) -> Scalar {
    let mut h = sha2::Sha512::new();
    h.update(r);
    h.update(a);
    h.update(msg);
    Scalar::from_bytes_mod_order_wide(&h.finalize().into())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let msg: Vec<u8> = u.arbitrary()?;
    // The key's bytes, and (when we can sign) its discrete log part.
    let mut secret: Option<Scalar> = None;
    let mut signer: Option<SigningKey> = None;
    let key_bytes: [u8; 32] = match u.int_in_range(0..=4u8)? {
        0 => {
            let seed: [u8; 32] = u.arbitrary()?;
            let sk = SigningKey::from_bytes(&seed);
            let bytes = sk.verifying_key().to_bytes();
            signer = Some(sk);
            bytes
        }
        1 => {
            let a = scalar(u)?;
            let t = &EIGHT_TORSION[u.choose_index(8)?];
            secret = Some(a);
            (B * a + t).compress().to_bytes()
        }
        2 => {
            // y + p for y < 19 (the only y with a second encoding), sign bit chosen.
            let y = u.int_in_range(0..=18u8)?;
            let mut b = [0xffu8; 32];
            b[0] = 0xed + y;
            b[31] = if u.arbitrary()? { 0xff } else { 0x7f };
            b
        }
        3 => EIGHT_TORSION[u.choose_index(8)?].compress().to_bytes(),
        _ => u.arbitrary()?,
    };
    let dalek_key = VerifyingKey::from_bytes(&key_bytes);
    let ours_key = Key::ed25519(&key_bytes);
    assert_eq!(dalek_key.is_ok(), ours_key.is_ok(), "key load differs");
    let (Ok(vk), Ok(tabled)) = (dalek_key, ours_key) else {
        if let Err(e) = Key::ed25519(&key_bytes) {
            assert_eq!(e, Error::InvalidPublicKey);
        }
        return Ok(());
    };
    if !vk.to_edwards().is_small_order() {
        // A fresh process has free slots: the key must be on the table path.
        assert!(tabled.has_table(), "no table for a usable key");
    }
    let fallback = tabled.clone().without_table();

    let mut expect_ok = false;
    let mut sig: [u8; 64] = match u.int_in_range(0..=2u8)? {
        0 => u.arbitrary()?,
        _ => {
            if let Some(sk) = &signer {
                expect_ok = true;
                sk.sign(&msg).to_bytes()
            } else {
                // R = rB, or rB + T' (R of mixed order); s = r + k a.
                let a = secret.unwrap_or(Scalar::ZERO);
                let r = scalar(u)?;
                let mut r_point = B * r;
                if u.ratio(1, 4)? {
                    r_point += EIGHT_TORSION[u.choose_index(8)?];
                }
                let r_bytes = r_point.compress().to_bytes();
                let k = challenge(&r_bytes, &key_bytes, &msg);
                let mut s = [0u8; 64];
                s[..32].copy_from_slice(&r_bytes);
                s[32..].copy_from_slice((r + k * a).as_bytes());
                s
            }
        }
    };
    match u.int_in_range(0..=5u8)? {
        0 => {
            // s + l: the classic malleation (refused: s not canonical).
            let mut carry = 0u16;
            for (b, l) in sig[32..].iter_mut().zip(L) {
                let v = u16::from(*b) + u16::from(l) + carry;
                *b = v as u8;
                carry = v >> 8;
            }
            expect_ok = false;
        }
        1 => {
            let i = u.choose_index(64)?;
            let x: u8 = u.arbitrary()?;
            if x != 0 {
                sig[i] ^= x;
                expect_ok = false;
            }
        }
        2 => {
            sig[..32].copy_from_slice(&EIGHT_TORSION[u.choose_index(8)?].compress().to_bytes());
            expect_ok = false;
        }
        _ => {}
    }
    let theirs = vk
        .verify_strict(&msg, &ed25519_dalek::Signature::from_bytes(&sig))
        .is_ok();
    for (path, key) in [("table", &tabled), ("fallback", &fallback)] {
        let ours = no_alloc("ed25519 verify", || {
            verify_signature(key, Algorithm::EdDSA, &msg, &sig)
        });
        assert_eq!(
            ours.is_ok(),
            theirs,
            "{path}: ours {ours:?}, verify_strict {theirs}"
        );
        if let Err(e) = ours {
            assert_eq!(e, Error::BadSignature);
        }
    }
    if expect_ok {
        assert!(theirs, "a valid signature refused");
    }
    // A wrong length is refused as such on both paths.
    assert_eq!(
        verify_signature(&tabled, Algorithm::EdDSA, &msg, &sig[..63]),
        Err(Error::BadSignatureLength)
    );
    Ok(())
}
