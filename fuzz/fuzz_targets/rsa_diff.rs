//! RSA PKCS#1 v1.5 and PSS verification, differential against the `rsa`
//! crate, for fixed keys (2048, 2049, 3072, 4096 bits) on arbitrary messages
//! and signatures.
//!
//! Random signatures almost never get past the first padding byte, so most
//! inputs choose the *encoded message* instead and the target signs it with
//! the private key (sig = EM^d mod n): the fuzzer then controls every byte the
//! padding checks see. Modes: raw signature bytes; arbitrary EM; a correct EM
//! (PKCS#1, or PSS with a fuzzer-chosen salt of any length) with fuzzer-chosen
//! byte flips.
//!
//! The 3072- and 4096-bit keys (signing with them per input would cut
//! throughput tenfold) get raw signatures and genuine ones made once at
//! start-up: one per algorithm (both schemes, three hashes) on a fixed
//! message, used as they are, with bytes flipped, on another message or
//! under another algorithm.
//!
//! Every verification runs the core's own Montgomery arithmetic (core/src/crypto/monty.rs:
//! product-scanning multiplication and squaring, R^2 from doublings and squarings
//! at key load) on the four moduli, so this is also its differential test against
//! the `rsa` crate at full size; the arithmetic alone is checked against
//! crypto-bigint in the core's unit tests. PKCS#1 v1.5 on the 2049-, 3072- and
//! 4096-bit keys (the 2304, 3072 and 4096 size classes) is checked as a congruence without
//! Montgomery conversions (`Unscaled` in core/src/crypto/rsa.rs): the 2049-bit key's
//! arbitrary and flipped encodings exercise it against the crate's verdict.
//!
//! With the fuzz crate's `wasm-rsa` feature (`FUZZ_FEATURES=wasm-rsa`), the
//! 2048-bit key runs the WebAssembly build's arithmetic instead
//! (core/src/crypto/monty_d13.rs: 13-bit digits, its SIMD lanes in plain
//! integers) and the larger ones its accumulator (monty/acc_split.rs).
//!
//! Must hold: no panic; our verdict equals the `rsa` crate's; a correct,
//! unflipped encoding verifies; refusals are BadSignatureLength exactly when
//! the length is not k; and our verification allocates nothing (the RSA path
//! does not touch the `signature` crate whose `alloc` feature this build has on).
#![no_main]

use std::sync::LazyLock;

use arbitrary::{Result, Unstructured};
use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd};
use libfuzzer_sys::fuzz_target;
use libverifier_fuzz::no_alloc;
use rsa::pkcs8::DecodePrivateKey;
use rsa::sha2::{Sha256, Sha384, Sha512};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use verifier_core::hash::HashAlg;
use verifier_core::{Algorithm, Error, Key, verify_signature};

struct TestKey {
    k: usize,
    bits: usize,
    public: rsa::PublicKey,
    d: BoxedUint,
    params: BoxedMontyParams,
    ours: Key,
    /// One genuine signature of `GENUINE_MSG` per entry of `ALGS`.
    genuine: Vec<Vec<u8>>,
}

const GENUINE_MSG: &[u8] = b"a genuine signature made at start-up";

static KEYS: LazyLock<Vec<TestKey>> = LazyLock::new(|| {
    let mut privs = Vec::new();
    for pem in [
        include_str!("../keys/rsa2048.key.pem"),
        include_str!("../keys/rsa3072.key.pem"),
        include_str!("../keys/rsa4096.key.pem"),
    ] {
        privs.push(rsa::PrivateKey::from_pkcs8_pem(pem).unwrap());
    }
    // modBits - 1 = 2048 is a multiple of 8: PSS's EM is k - 1 bytes.
    let hex = |s: &str| {
        let s = s.trim();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect::<Vec<u8>>()
    };
    let p = BoxedUint::from_be_slice_vartime(&hex(include_str!("../keys/rsa2049.p.hex")));
    let q = BoxedUint::from_be_slice_vartime(&hex(include_str!("../keys/rsa2049.q.hex")));
    privs.push(rsa::PrivateKey::from_p_q(p, q, BoxedUint::from(65537u32)).unwrap());
    privs
        .into_iter()
        .map(|private| {
            let public = private.to_public_key();
            // Both schemes are under test: a key serves PKCS#1 only
            // unless widened (one family per key, RFC 8725 3.1).
            let ours = Key::rsa(&public.n_bytes(), &public.e_bytes()).unwrap();
            let caps = ours.capabilities();
            let ours = ours.with_algorithms(caps).unwrap();
            let params =
                BoxedMontyParams::new_vartime(Odd::new(public.n().as_ref().clone()).unwrap());
            let mut key = TestKey {
                k: public.size(),
                bits: public.n().as_ref().bit_width_vartime() as usize,
                d: private.d().clone(),
                params,
                public,
                ours,
                genuine: Vec::new(),
            };
            key.genuine = ALGS.iter().map(|&alg| sign_genuine(&key, alg)).collect();
            key
        })
        .collect()
});

const ALGS: [Algorithm; 6] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
];

fn digest(hash: HashAlg, parts: &[&[u8]]) -> Vec<u8> {
    fn go<D: rsa::sha2::Digest>(parts: &[&[u8]]) -> Vec<u8> {
        let mut h = D::new();
        for p in parts {
            h.update(p);
        }
        h.finalize().to_vec()
    }
    match hash {
        HashAlg::Sha256 => go::<Sha256>(parts),
        HashAlg::Sha384 => go::<Sha384>(parts),
        HashAlg::Sha512 => go::<Sha512>(parts),
    }
}

/// EMSA-PKCS1-v1_5 (RFC 8017 9.2), written out independently of the core.
fn pkcs1_em(k: usize, hash: HashAlg, h: &[u8]) -> Vec<u8> {
    let prefix: &[u8] = match hash {
        HashAlg::Sha256 => &[
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x01, 0x05, 0x00, 0x04, 0x20,
        ],
        HashAlg::Sha384 => &[
            0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x02, 0x05, 0x00, 0x04, 0x30,
        ],
        HashAlg::Sha512 => &[
            0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x03, 0x05, 0x00, 0x04, 0x40,
        ],
    };
    let t_len = prefix.len() + h.len();
    let mut em = vec![0x00, 0x01];
    em.resize(k - t_len - 1, 0xff);
    em.push(0);
    em.extend_from_slice(prefix);
    em.extend_from_slice(h);
    em
}

/// EMSA-PSS-ENCODE (RFC 8017 9.1.1) with MGF1 of the same hash, as k bytes
/// (a leading zero byte when emBits is a multiple of 8). `None` if the salt
/// does not fit.
fn pss_em(key: &TestKey, hash: HashAlg, m_hash: &[u8], salt: &[u8]) -> Option<Vec<u8>> {
    let h_len = m_hash.len();
    let em_bits = key.bits - 1;
    let em_len = em_bits.div_ceil(8);
    if em_len < h_len + salt.len() + 2 {
        return None;
    }
    let h = digest(hash, &[&[0u8; 8], m_hash, salt]);
    let db_len = em_len - h_len - 1;
    let mut db = vec![0u8; db_len - salt.len() - 1];
    db.push(1);
    db.extend_from_slice(salt);
    let mut counter = 0u32;
    let mut off = 0;
    while off < db_len {
        let mask = digest(hash, &[&h, &counter.to_be_bytes()]);
        for (b, m) in db[off..].iter_mut().zip(&mask) {
            *b ^= m;
        }
        off += h_len;
        counter += 1;
    }
    db[0] &= 0xff >> (8 * em_len - em_bits);
    let mut em = vec![0u8; key.k - em_len];
    em.extend_from_slice(&db);
    em.extend_from_slice(&h);
    em.push(0xbc);
    Some(em)
}

/// sig = em^d mod n as k bytes; `None` when em >= n (no such signature).
fn private_op(key: &TestKey, em: &[u8]) -> Option<Vec<u8>> {
    let x = BoxedUint::from_be_slice_vartime(em);
    if x >= *key.public.n().as_ref() {
        return None;
    }
    let x = BoxedUint::from_be_slice(em, key.params.bits_precision()).ok()?;
    let r = BoxedMontyForm::new(x, &key.params).pow(&key.d).retrieve();
    let bytes = r.to_be_bytes();
    Some(bytes[bytes.len() - key.k..].to_vec())
}

/// A genuine signature of `GENUINE_MSG` under `alg` (PSS with a salt as long
/// as the hash, as RFC 7518 3.5 asks).
fn sign_genuine(key: &TestKey, alg: Algorithm) -> Vec<u8> {
    let hash = alg.hash();
    let h = digest(hash, &[GENUINE_MSG]);
    let em = if matches!(alg, Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512) {
        pss_em(key, hash, &h, &vec![0x5a; h.len()]).unwrap()
    } else {
        pkcs1_em(key.k, hash, &h)
    };
    let sig = private_op(key, &em).unwrap();
    assert!(
        theirs(key, alg, GENUINE_MSG, &sig),
        "the crate refuses a genuine signature"
    );
    sig
}

fn theirs(key: &TestKey, alg: Algorithm, msg: &[u8], sig: &[u8]) -> bool {
    let p = &key.public;
    match alg {
        Algorithm::RS256 => p.pkcs1v15_verify::<Sha256>(msg, sig),
        Algorithm::RS384 => p.pkcs1v15_verify::<Sha384>(msg, sig),
        Algorithm::RS512 => p.pkcs1v15_verify::<Sha512>(msg, sig),
        Algorithm::PS256 => p.pss_verify::<Sha256>(msg, sig),
        Algorithm::PS384 => p.pss_verify::<Sha384>(msg, sig),
        _ => p.pss_verify::<Sha512>(msg, sig),
    }
    .is_ok()
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    // The private operation (a full-size exponentiation) dominates the cost, so
    // the modes that sign use the 2048- and 2049-bit keys; 3072 and 4096 get
    // raw signatures only.
    let key = &KEYS[*u.choose(&[0usize, 0, 3, 3, 1, 2])?];
    let can_sign = key.k <= 257;
    let alg_index = u.choose_index(ALGS.len())?;
    let alg = ALGS[alg_index];
    let hash = alg.hash();
    let pss = matches!(alg, Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512);
    if u.ratio(1, 4)? {
        return genuine(u, key, alg_index);
    }
    let msg: Vec<u8> = u.arbitrary()?;
    let h = digest(hash, &[&msg]);
    let mut correct = false;
    // A genuine PSS encoding with another salt than the hash length: the
    // verifier names it (PssSaltLength) instead of BadSignature.
    let mut other_salt = false;
    let mode = if can_sign {
        u.int_in_range(0..=3u8)?
    } else {
        0
    };
    let sig = match mode {
        0 => {
            let mut s: Vec<u8> = u.arbitrary()?;
            if u.ratio(3, 4)? {
                s.resize(key.k, 0);
            }
            s
        }
        1 => {
            let mut em: Vec<u8> = u.arbitrary()?;
            em.resize(key.k, 0);
            match private_op(key, &em) {
                Some(s) => s,
                None => em,
            }
        }
        _ => {
            let mut em = if pss {
                let salt_len = if u.ratio(3, 4)? {
                    h.len()
                } else {
                    u.int_in_range(0..=80usize)?
                };
                let salt = u
                    .bytes(salt_len)
                    .map(<[u8]>::to_vec)
                    .unwrap_or_else(|_| vec![0; salt_len]);
                match pss_em(key, hash, &h, &salt) {
                    Some(em) => {
                        correct = salt_len == h.len();
                        other_salt = !correct;
                        em
                    }
                    None => return Ok(()),
                }
            } else {
                correct = true;
                pkcs1_em(key.k, hash, &h)
            };
            let flips = u.int_in_range(0..=3u8)?;
            let before = em.clone();
            for _ in 0..flips {
                let i = u.choose_index(em.len())?;
                let x: u8 = u.arbitrary()?;
                em[i] ^= x;
            }
            // Two flips of the same byte can cancel: judge the result, not
            // the number of flips.
            if em != before {
                correct = false;
                other_salt = false;
            }
            match private_op(key, &em) {
                Some(s) => s,
                None => return Ok(()),
            }
        }
    };
    let ours = agree(key, alg, &msg, &sig, correct, "correct encoding");
    if let Err(e) = ours {
        let want = if sig.len() != key.k {
            Error::BadSignatureLength
        } else if other_salt {
            Error::PssSaltLength
        } else {
            Error::BadSignature
        };
        assert_eq!(e, want);
    }
    Ok(())
}

/// A start-up signature of `GENUINE_MSG`: as it is, bytes flipped, on
/// another message, or checked under another algorithm.
fn genuine(u: &mut Unstructured<'_>, key: &TestKey, alg_index: usize) -> Result<()> {
    let mut sig = key.genuine[alg_index].clone();
    let mut alg = ALGS[alg_index];
    let mut msg = GENUINE_MSG.to_vec();
    let mut correct = true;
    match u.int_in_range(0..=3u8)? {
        0 => {}
        1 => {
            for _ in 0..u.int_in_range(1..=3u8)? {
                let i = u.choose_index(sig.len())?;
                let x: u8 = u.arbitrary()?;
                if x != 0 {
                    sig[i] ^= x;
                    correct = false;
                }
            }
        }
        2 => {
            msg = u.arbitrary()?;
            correct = msg == GENUINE_MSG;
        }
        _ => {
            alg = *u.choose(&ALGS)?;
            correct = alg == ALGS[alg_index];
        }
    }
    // Verdicts only: the genuine cases pin no error kind.
    let _ = agree(key, alg, &msg, &sig, correct, "genuine signature");
    Ok(())
}

/// Our verdict (computed without allocating) beside the `rsa` crate's: they
/// must agree, and `correct` (a `what` the signer made right) must verify.
fn agree(
    key: &TestKey,
    alg: Algorithm,
    msg: &[u8],
    sig: &[u8],
    correct: bool,
    what: &str,
) -> core::result::Result<(), Error> {
    let ours = no_alloc("rsa verify", || verify_signature(&key.ours, alg, msg, sig));
    let theirs = theirs(key, alg, msg, sig);
    assert_eq!(
        ours.is_ok(),
        theirs,
        "{alg:?} {}-bit ({what}): ours {ours:?}, rsa crate {theirs}",
        key.bits
    );
    if correct {
        assert_eq!(ours, Ok(()), "{alg:?} {}-bit: a {what} refused", key.bits);
    }
    ours
}
