//! ES256 / ES384 / ES512 verification, differential against the p256 / p384 /
//! p521 crates' own message verifier (`signature::Verifier`, which hashes
//! internally), for fixed keys on arbitrary messages and signatures.
//!
//! Modes: raw signature bytes; r and s from special values (0, n-1, n, n+1,
//! all ones) or the fuzzer; a valid signature, possibly of another message,
//! with its s negated (high-s) or bytes flipped.
//!
//! Both paths a verdict can take are forced for every input: the pinned keys
//! hold a comb (`ec_tables`, checked), and clones without their table verify
//! through `ecdsa_vartime` (the path of a key that found the pool full).
//! P-521 has no comb: its key always verifies through `ecdsa_vartime`.
//!
//! Must hold: no panic; no heap allocation; our verdict equals the crate's on
//! the raw r||s form, on both paths; a valid signature verifies; a refusal is
//! BadSignatureLength exactly when the length is wrong.
//!
//! Then the variable-time verifier (`ecdsa_vartime`, which `verify_signature`
//! uses for keys without a comb) on its own, against the crate's
//! `verify_prehash`: the same signature under the pinned key or a key `d·G`
//! (`d` small, `n - small` or arbitrary), over the message's digest, a digest
//! `c·r` for a small signed `c` (so `u1` and `u2` are related and the
//! interleaved chain meets its doubling and cancelling additions), or
//! arbitrary bytes of any length.
#![no_main]

use std::sync::LazyLock;

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use libverifier_fuzz::no_alloc;
use verifier_core::ecdsa_vartime;
use verifier_core::{Algorithm, Error, Key, verify_signature};

const D256: [u8; 32] = [0x5a; 32];
const D384: [u8; 48] = [0x3c; 48];
const N256: &str = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
const N384: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973";
// Below n (n's top byte is 0x01, then 0xff).
const D521: [u8; 66] = [0x01; 66];
const N521: &str = "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409";

/// Which curve an input exercises.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Curve {
    P256,
    P384,
    P521,
}

struct Keys {
    s256: p256::ecdsa::SigningKey,
    s384: p384::ecdsa::SigningKey,
    s521: p521::ecdsa::SigningKey,
    k256: Key,
    k384: Key,
    /// No comb for P-521: this key is already the fallback path.
    k521: Key,
    /// The same keys without their combs: the fallback path.
    plain256: Key,
    plain384: Key,
}

static KEYS: LazyLock<Keys> = LazyLock::new(|| {
    let s256 = p256::ecdsa::SigningKey::from_slice(&D256).unwrap();
    let s384 = p384::ecdsa::SigningKey::from_slice(&D384).unwrap();
    let k256 = Key::p256_sec1(s256.verifying_key().to_sec1_point(false).as_bytes()).unwrap();
    let k384 = Key::p384_sec1(s384.verifying_key().to_sec1_point(false).as_bytes()).unwrap();
    let s521 = p521::ecdsa::SigningKey::from_slice(&D521).unwrap();
    let k521 = Key::p521_sec1(s521.verifying_key().to_sec1_point(false).as_bytes()).unwrap();
    assert!(
        k256.has_table() && k384.has_table(),
        "a fresh pool gives tables"
    );
    assert!(!k521.has_table(), "P-521 has no comb");
    let plain256 = k256.clone().without_table();
    let plain384 = k384.clone().without_table();
    Keys {
        s256,
        s384,
        s521,
        k256,
        k384,
        k521,
        plain256,
        plain384,
    }
});

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Add `d` (-1, 0, 1) to a big-endian number, wrapping.
fn add(mut v: Vec<u8>, d: i8) -> Vec<u8> {
    for b in v.iter_mut().rev() {
        let (x, carry) = match d {
            1 => b.overflowing_add(1),
            -1 => b.overflowing_sub(1),
            _ => return v,
        };
        *b = x;
        if !carry {
            break;
        }
    }
    v
}

fn special(u: &mut Unstructured<'_>, n: &str, size: usize) -> Result<Vec<u8>> {
    Ok(match u.int_in_range(0..=6u8)? {
        0 => vec![0; size],
        1 => add(hex(n), -1),
        2 => hex(n),
        3 => add(hex(n), 1),
        4 => vec![0xff; size],
        5 => add(vec![0; size], 1),
        _ => {
            let mut v = u.bytes(size).map(<[u8]>::to_vec).unwrap_or_default();
            v.resize(size, 0);
            v
        }
    })
}

fn theirs_256(msg: &[u8], sig: &[u8]) -> bool {
    use p256::ecdsa::signature::Verifier as _;
    let Ok(s) = p256::ecdsa::Signature::from_slice(sig) else {
        return false;
    };
    KEYS.s256.verifying_key().verify(msg, &s).is_ok()
}

fn theirs_384(msg: &[u8], sig: &[u8]) -> bool {
    use p384::ecdsa::signature::Verifier as _;
    let Ok(s) = p384::ecdsa::Signature::from_slice(sig) else {
        return false;
    };
    KEYS.s384.verifying_key().verify(msg, &s).is_ok()
}

fn theirs_521(msg: &[u8], sig: &[u8]) -> bool {
    use p521::ecdsa::signature::Verifier as _;
    let Ok(s) = p521::ecdsa::Signature::from_slice(sig) else {
        return false;
    };
    KEYS.s521.verifying_key().verify(msg, &s).is_ok()
}

/// A valid signature over `msg` with s negated when `high` (the other valid s).
fn valid(curve: Curve, msg: &[u8], high: bool) -> Vec<u8> {
    use p256::ecdsa::signature::Signer as _;
    use p256::elliptic_curve::ff::PrimeField as _;
    if curve == Curve::P521 {
        let s: p521::ecdsa::Signature = KEYS.s521.sign(msg);
        if high {
            let (r, s) = s.split_scalars();
            let neg = -*s;
            return p521::ecdsa::Signature::from_scalars(r.to_repr(), neg.to_repr())
                .unwrap()
                .to_bytes()
                .to_vec();
        }
        return s.to_bytes().to_vec();
    }
    if curve == Curve::P384 {
        let s: p384::ecdsa::Signature = KEYS.s384.sign(msg);
        if high {
            let (r, s) = s.split_scalars();
            let neg = -*s;
            return p384::ecdsa::Signature::from_scalars(r.to_repr(), neg.to_repr())
                .unwrap()
                .to_bytes()
                .to_vec();
        }
        s.to_bytes().to_vec()
    } else {
        let s: p256::ecdsa::Signature = KEYS.s256.sign(msg);
        if high {
            let (r, s) = s.split_scalars();
            let neg = -*s;
            return p256::ecdsa::Signature::from_scalars(r.to_repr(), neg.to_repr())
                .unwrap()
                .to_bytes()
                .to_vec();
        }
        s.to_bytes().to_vec()
    }
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let curve = match u.int_in_range(0..=2u8)? {
        0 => Curve::P256,
        1 => Curve::P384,
        _ => Curve::P521,
    };
    let (alg, size, n) = match curve {
        Curve::P256 => (Algorithm::ES256, 32, N256),
        Curve::P384 => (Algorithm::ES384, 48, N384),
        Curve::P521 => (Algorithm::ES512, 66, N521),
    };
    let msg: Vec<u8> = u.arbitrary()?;
    let mut expect_ok = false;
    let sig = match u.int_in_range(0..=3u8)? {
        0 => u.arbitrary::<Vec<u8>>()?,
        1 => {
            let mut s = special(u, n, size)?;
            s.extend(special(u, n, size)?);
            s
        }
        _ => {
            let other: bool = u.ratio(1, 8)?;
            let signed = if other {
                [&msg[..], b"!"].concat()
            } else {
                msg.clone()
            };
            let high: bool = u.arbitrary()?;
            let mut s = valid(curve, &signed, high);
            expect_ok = !other;
            let flips = u.int_in_range(0..=2u8)?;
            for _ in 0..flips {
                let i = u.choose_index(s.len())?;
                let x: u8 = u.arbitrary()?;
                if x != 0 {
                    s[i] ^= x;
                    expect_ok = false;
                }
            }
            if u.ratio(1, 16)? {
                s.pop();
                expect_ok = false;
            }
            s
        }
    };
    let keys = &*KEYS;
    let (key, plain, wrong) = match curve {
        Curve::P256 => (&keys.k256, &keys.plain256, &keys.k384),
        Curve::P384 => (&keys.k384, &keys.plain384, &keys.k521),
        Curve::P521 => (&keys.k521, &keys.k521, &keys.k256),
    };
    let ours = no_alloc("ecdsa verify", || verify_signature(key, alg, &msg, &sig));
    let theirs = match curve {
        Curve::P256 => theirs_256(&msg, &sig),
        Curve::P384 => theirs_384(&msg, &sig),
        Curve::P521 => theirs_521(&msg, &sig),
    };
    assert_eq!(
        ours.is_ok(),
        theirs,
        "{alg:?}: ours {ours:?}, crate {theirs}"
    );
    if expect_ok {
        assert_eq!(ours, Ok(()), "{alg:?}: a valid signature refused");
    }
    let fallback = no_alloc("ecdsa verify (fallback)", || {
        verify_signature(plain, alg, &msg, &sig)
    });
    assert_eq!(ours, fallback, "{alg:?}: table and fallback paths differ");
    if let Err(e) = ours {
        let want = if sig.len() == 2 * size {
            Error::BadSignature
        } else {
            Error::BadSignatureLength
        };
        assert_eq!(e, want);
    }
    vartime_vs_crate(u, curve, &msg, &sig)?;
    // Another curve's key never verifies this algorithm.
    assert_eq!(
        verify_signature(wrong, alg, &msg, &sig),
        Err(Error::AlgNotAllowedForKey)
    );
    Ok(())
}

/// A key scalar: small, `n - small`, or from the input (`None` for zero).
macro_rules! key_scalar {
    ($u:expr, $c:ident, $len:expr) => {{
        use $c::elliptic_curve::ops::Reduce as _;
        let small = $c::Scalar::from(u64::from($u.int_in_range(1..=40u8)?));
        match $u.int_in_range(0..=2u8)? {
            0 => small,
            1 => -small,
            _ => {
                let mut b = $u.bytes($len).map(<[u8]>::to_vec).unwrap_or_default();
                b.resize($len, 0);
                $c::Scalar::reduce(&$c::FieldBytes::try_from(&b[..]).unwrap())
            }
        }
    }};
}

/// Digest: the message's hash, `c·r` (r from the signature, reduced), or raw bytes.
macro_rules! digest {
    ($u:expr, $c:ident, $hash:ty, $len:expr, $msg:expr, $sig:expr) => {{
        use sha2::Digest as _;
        use $c::elliptic_curve::ff::PrimeField as _;
        use $c::elliptic_curve::ops::Reduce as _;
        match $u.int_in_range(0..=2u8)? {
            0 => <$hash>::digest($msg).to_vec(),
            1 => {
                let mut r = $sig.get(..$len).map(<[u8]>::to_vec).unwrap_or_default();
                r.resize($len, 1);
                let r = $c::Scalar::reduce(&$c::FieldBytes::try_from(&r[..]).unwrap());
                let c = $c::Scalar::from(u64::from($u.int_in_range(1..=40u8)?));
                let c = if $u.arbitrary()? { -c } else { c };
                (c * r).to_repr().to_vec()
            }
            _ => $u.arbitrary::<Vec<u8>>()?,
        }
    }};
}

fn vartime_vs_crate(u: &mut Unstructured<'_>, curve: Curve, msg: &[u8], sig: &[u8]) -> Result<()> {
    use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
    let pinned: bool = u.arbitrary()?;
    if curve == Curve::P521 {
        let vk = if pinned {
            *KEYS.s521.verifying_key()
        } else {
            let d = key_scalar!(u, p521, 66);
            let q = (p521::ProjectivePoint::GENERATOR * d).to_affine();
            let Ok(vk) = p521::ecdsa::VerifyingKey::from_affine(q) else {
                return Ok(());
            };
            vk
        };
        let digest = digest!(u, p521, sha2::Sha512, 66, msg, sig);
        let ours = no_alloc("ecdsa_vartime P-521", || {
            ecdsa_vartime::verify::<p521::NistP521>(vk.as_affine(), &digest, sig)
        });
        let theirs = p521::ecdsa::Signature::from_slice(sig)
            .is_ok_and(|s| vk.verify_prehash(&digest, &s).is_ok());
        assert_eq!(ours, theirs, "P-521 vartime: ours {ours}, crate {theirs}");
    } else if curve == Curve::P384 {
        let vk = if pinned {
            *KEYS.s384.verifying_key()
        } else {
            let d = key_scalar!(u, p384, 48);
            let q = (p384::ProjectivePoint::GENERATOR * d).to_affine();
            let Ok(vk) = p384::ecdsa::VerifyingKey::from_affine(q) else {
                return Ok(());
            };
            vk
        };
        let digest = digest!(u, p384, sha2::Sha384, 48, msg, sig);
        let ours = no_alloc("ecdsa_vartime P-384", || {
            ecdsa_vartime::verify::<p384::NistP384>(vk.as_affine(), &digest, sig)
        });
        let theirs = p384::ecdsa::Signature::from_slice(sig)
            .is_ok_and(|s| vk.verify_prehash(&digest, &s).is_ok());
        assert_eq!(ours, theirs, "P-384 vartime: ours {ours}, crate {theirs}");
    } else {
        let vk = if pinned {
            *KEYS.s256.verifying_key()
        } else {
            let d = key_scalar!(u, p256, 32);
            let q = (p256::ProjectivePoint::GENERATOR * d).to_affine();
            let Ok(vk) = p256::ecdsa::VerifyingKey::from_affine(q) else {
                return Ok(());
            };
            vk
        };
        let digest = digest!(u, p256, sha2::Sha256, 32, msg, sig);
        let ours = no_alloc("ecdsa_vartime P-256", || {
            ecdsa_vartime::verify::<p256::NistP256>(vk.as_affine(), &digest, sig)
        });
        let theirs = p256::ecdsa::Signature::from_slice(sig)
            .is_ok_and(|s| vk.verify_prehash(&digest, &s).is_ok());
        assert_eq!(ours, theirs, "P-256 vartime: ours {ours}, crate {theirs}");
    }
    Ok(())
}
