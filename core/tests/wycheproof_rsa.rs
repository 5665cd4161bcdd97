//! RSA verification tests: Wycheproof vectors (read from the shared vector
//! directory as they are), signatures made by the `rsa` crate, exact error
//! variants for malformed input, key-size limits, and a differential loop.
#![cfg(feature = "rsa-large")]

mod common;

use std::sync::OnceLock;

use common::{XorShift, vector_path};
use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd};
use rsa::pkcs8::DecodePrivateKey;
use rsa::sha2::{Sha256, Sha384, Sha512};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use serde::Deserialize;
use verifier_core::Error;
use verifier_core::hash::HashAlg;
use verifier_core::rsa::RsaPublicKey;

// ---------------------------------------------------------------------------
// Wycheproof
// ---------------------------------------------------------------------------

#[derive(Deserialize)]
struct WpFile {
    #[serde(rename = "testGroups")]
    test_groups: Vec<WpGroup>,
}

#[derive(Deserialize)]
struct WpGroup {
    sha: String,
    #[serde(rename = "publicKey")]
    public_key: WpKey,
    mgf: Option<String>,
    #[serde(rename = "mgfSha")]
    mgf_sha: Option<String>,
    #[serde(rename = "sLen")]
    s_len: Option<usize>,
    tests: Vec<WpCase>,
}

#[derive(Deserialize)]
struct WpKey {
    modulus: String,
    #[serde(rename = "publicExponent")]
    public_exponent: String,
}

#[derive(Deserialize)]
struct WpCase {
    #[serde(rename = "tcId")]
    tc_id: u32,
    comment: String,
    msg: String,
    sig: String,
    result: String,
    flags: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scheme {
    Pkcs1,
    Pss,
}

fn hash_by_name(name: &str) -> Option<HashAlg> {
    match name {
        "SHA-256" => Some(HashAlg::Sha256),
        "SHA-384" => Some(HashAlg::Sha384),
        "SHA-512" => Some(HashAlg::Sha512),
        _ => None,
    }
}

/// Run one Wycheproof file; returns (accepted, rejected, skipped).
fn run_wycheproof(file: &str, scheme: Scheme, expected_skips: usize) -> (usize, usize, usize) {
    let path = vector_path(&format!("wycheproof/{file}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let wp: WpFile = serde_json::from_str(&text).unwrap();
    let (mut accepted, mut rejected, mut skipped) = (0, 0, 0);
    let mut salt_named = 0;
    let mut acceptable = Vec::new();
    let skip = |g: &WpGroup, reason: &str, skipped: &mut usize| {
        for t in &g.tests {
            println!("{file}: SKIP tcId {} ({}): {reason}", t.tc_id, t.comment);
            *skipped += 1;
        }
    };
    for g in &wp.test_groups {
        let Some(hash) = hash_by_name(&g.sha) else {
            skip(g, &format!("unsupported hash {}", g.sha), &mut skipped);
            continue;
        };
        let salt_len = match scheme {
            Scheme::Pkcs1 => 0,
            Scheme::Pss => {
                if g.mgf.as_deref() != Some("MGF1") || g.mgf_sha.as_deref() != Some(&g.sha[..]) {
                    skip(g, "MGF is not MGF1 with the message hash", &mut skipped);
                    continue;
                }
                match g.s_len {
                    Some(s) => s,
                    None => {
                        skip(g, "no sLen", &mut skipped);
                        continue;
                    }
                }
            }
        };
        let n = hex::decode(&g.public_key.modulus).unwrap();
        let e = hex::decode(&g.public_key.public_exponent).unwrap();
        let key = match RsaPublicKey::from_be_bytes(&n, &e) {
            Ok(k) => k,
            Err(err) => {
                skip(g, &format!("key not loadable: {err:?}"), &mut skipped);
                continue;
            }
        };
        for t in &g.tests {
            let msg = hex::decode(&t.msg).unwrap();
            let sig = hex::decode(&t.sig).unwrap();
            let digest = hash.digest(&msg);
            let r = match scheme {
                Scheme::Pkcs1 => key.verify_pkcs1v15(hash, digest.as_bytes(), &sig),
                Scheme::Pss => key.verify_pss(hash, digest.as_bytes(), &sig, salt_len),
            };
            match t.result.as_str() {
                "valid" => assert_eq!(
                    r,
                    Ok(()),
                    "{file} tcId {} ({}) {:?} must verify",
                    t.tc_id,
                    t.comment,
                    t.flags
                ),
                // A genuine signature with another salt than the group's
                // sLen is refused as `PssSaltLength` (issue 24): counted
                // and named below.
                "invalid" if r == Err(Error::PssSaltLength) => {
                    println!(
                        "{file}: tcId {} ({}): refused as pss_salt_length",
                        t.tc_id, t.comment
                    );
                    assert!(
                        t.comment.starts_with("s_len changed to"),
                        "tcId {}",
                        t.tc_id
                    );
                    salt_named += 1;
                }
                "invalid" => assert!(
                    matches!(r, Err(Error::BadSignature | Error::BadSignatureLength)),
                    "{file} tcId {} ({}) {:?} must be rejected, got {r:?}",
                    t.tc_id,
                    t.comment,
                    t.flags
                ),
                "acceptable" => acceptable.push((t.tc_id, t.comment.clone(), r.is_ok())),
                other => panic!("{file} tcId {}: unknown result {other}", t.tc_id),
            }
            if r.is_ok() {
                accepted += 1;
            } else {
                rejected += 1;
            }
        }
    }
    for (id, comment, ok) in &acceptable {
        println!(
            "{file}: acceptable tcId {id} ({comment}): {}",
            if *ok { "accepted" } else { "rejected" }
        );
    }
    println!(
        "{file}: accepted {accepted}, rejected {rejected}, skipped {skipped} \
         (of which 'acceptable': {})",
        acceptable.len()
    );
    // The PSS file's six "s_len changed to 0/1/20/31/33/222" signatures.
    let expected_salt_named = if file.starts_with("rsa_pss_") { 6 } else { 0 };
    assert_eq!(
        salt_named, expected_salt_named,
        "{file}: pss_salt_length count"
    );
    assert_eq!(
        skipped, expected_skips,
        "{file}: unexpected number of skipped cases"
    );
    assert!(accepted > 0 && rejected > 0, "{file}: suspicious counts");
    (accepted, rejected, skipped)
}

macro_rules! wycheproof_test {
    ($name:ident, $file:literal, $scheme:expr, $skips:expr) => {
        #[test]
        fn $name() {
            run_wycheproof($file, $scheme, $skips);
        }
    };
}

wycheproof_test!(
    wp_pkcs1_2048_sha256,
    "rsa_signature_2048_sha256_test.json",
    Scheme::Pkcs1,
    0
);
wycheproof_test!(
    wp_pkcs1_2048_sha384,
    "rsa_signature_2048_sha384_test.json",
    Scheme::Pkcs1,
    0
);
wycheproof_test!(
    wp_pkcs1_2048_sha512,
    "rsa_signature_2048_sha512_test.json",
    Scheme::Pkcs1,
    0
);
wycheproof_test!(
    wp_pkcs1_3072_sha256,
    "rsa_signature_3072_sha256_test.json",
    Scheme::Pkcs1,
    0
);
wycheproof_test!(
    wp_pkcs1_3072_sha384,
    "rsa_signature_3072_sha384_test.json",
    Scheme::Pkcs1,
    0
);
wycheproof_test!(
    wp_pkcs1_3072_sha512,
    "rsa_signature_3072_sha512_test.json",
    Scheme::Pkcs1,
    0
);
wycheproof_test!(
    wp_pkcs1_4096_sha256,
    "rsa_signature_4096_sha256_test.json",
    Scheme::Pkcs1,
    0
);
wycheproof_test!(
    wp_pkcs1_4096_sha384,
    "rsa_signature_4096_sha384_test.json",
    Scheme::Pkcs1,
    0
);
wycheproof_test!(
    wp_pkcs1_4096_sha512,
    "rsa_signature_4096_sha512_test.json",
    Scheme::Pkcs1,
    0
);
wycheproof_test!(
    wp_pss_2048_sha256_mgf1_32,
    "rsa_pss_2048_sha256_mgf1_32_test.json",
    Scheme::Pss,
    0
);

// ---------------------------------------------------------------------------
// Keys and signatures from the `rsa` crate
// ---------------------------------------------------------------------------

// Fixed keys (generated once with OpenSSL) so the tests do not spend their time
// on prime generation in debug builds.
const PEM_2048: &str = r"-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCUdI9m4WgTfAUL
LZ5/fzlfY79S+e73qb/t2G1BW0jlJaj3t+OgHoO1j5FTG/mSW7ZdYRu/fZdEviv/
rTRaPaXM4T5dE9VTTN1vRul/T9wmCtsy1JXjvjxln5A+StTXdmTGgjlafCOGfOXv
kW5tQfP/BnQYT1K3sLMRxYqUfAohtu+DSTE/hr9ErT7QnCwbbfRZnEuOs1+5NIGo
VvI2Yjm0TOBILs6chjx8YrhwfAkWc+08q73h0WqzJm1rnWT0HcrLKjOJxXdt006Q
pLUnwWuf5yCW5iAfjn5DvAMoibufAqAemCEt2kVABhAaTImUPbxfvJj3Tnpvp/LB
G3U2G0+rAgMBAAECggEAAhODHYPdczIteEfJBKh20GHyUDmrfOGQLiyvznv1cjJx
3zdxiRlyBPwhM+G5LYciXeSyOI0Uikdqd6XXYggcFnprCW5peoghkiWJ17pG9vZw
o8PZskWZ3tcs4kxG4/ffFnjXLJIowSq5aTDB3qQtIGEd5Jvxy2EDGS8HtuZgiX9q
++h0WSxVXi3nksVFmzh0m45rElJDnOoR8F/0yBmuqMxJLB6eE6LLdgbi9Gj0FiKs
towV0dkk63UpBnjSgpQ7TC3X3UfQTN7auxVQrXlkbOfETRTBjlkLL1MmXBljerJu
XYVnlAApCMvtpWmscEKhjy6VLn7nhuc2TOH6mDzeKQKBgQDJ44CEh1oniKgyoQJa
UqjI/ambcn4ieC7bNpnPA5zOSaQZ2bT1vWFotkVNCsxBTVM1GP+Z0/Nm+LrlU1/m
Sx7SD+xM2hW9Fl2MA77fTdZx39oJCosKEeOHEyntRdsUeIQXaphq/qxuBRWZpHK3
4MmLDf6YVDhnR86QqOvviDBoYwKBgQC8PsCkl+HsamV57lyTIR16KBfAw6Pogpat
bHO4iQezP+dpmVVOV0oYsMgPbtYQh1NVh6d1MRQuLogu/03DuN4MXQpBUEOT55Vz
gaEJCCkHDhTRTKihA9O+eNg5C51VNPMw22OXN6i+NRf7RFDJuNpY0+eEYY5pMpKi
fA+aqOHKGQKBgBNtzHl0mS2CzkUJD7PnjozBNKhcDV192WyJRaYRf+6uUZeXRv37
OrucBvFSH7QNH/vVKwv/xMXdHAdjza/Y/N9UXvZKapsm4tvNpHnTANc2psIF/Ll8
XTwrkPZfqaS/sF6ciIyLc8amwJxnog6mGF9EeoLoYAE4fN2ZFBOaNKZnAoGAOK4Y
aTbGMt4yYc1QmIhvDLoHtOXzc23mmp8+FMFFzUYfkp81nVoRGHAaPPNdhyqIAAfR
dyro7aLbJHOA4b7HNSfKj7HwNxeS222bpFGNsO8fe4m+eITje8V9LWf+3ooL85kL
WpvKtkLcTq7aOHLtY7OiUSziqXAt0LjUJfhVy/kCgYEAnnkQG8tcWRJfBgrN1Bgx
ygoreJ7Fbl7wP/3oQFyyXJpItaMNd0T0MsEX4+4bKm0tjTGO+ehucKHEhaCR7x6U
WAX33UVWcdyI+CBkJp5O5/tFP0OyPPv2hG9DHafADCqKskuPUgb+ZYVa03LP23RC
q78JCN7//nNU5UmiKZY0yn8=
-----END PRIVATE KEY-----";
const PEM_3072: &str = r"-----BEGIN PRIVATE KEY-----
MIIG/gIBADANBgkqhkiG9w0BAQEFAASCBugwggbkAgEAAoIBgQCpCQ88hChkOFkd
g+SzJrpixL33La1q4WWQX6z7xDwqrhDTSCIy4ff+xnOh0bRRiRy9Rs7XnWo75quv
M6LtTT51bqYzpzP/lORc0BwLTeWcW+bDATehlKUnar/WreNDQQNQz+eVsIKFZgjU
3hI+UorgMHIxeq9JEd2xIiqHINwkY2XegxJT9ukjyGuythcpGrPuYSIuK85ZdTg8
VBuaxgqehrSLGhYifVGZWBFzSm4+7pyWDQ1UJtTDajsrmNY0qf8oGYdxHdvzkVsR
4quHZRzC8O74rJCiHQ/H+wlfIfRPsUQv9qics0RYYLCExCeFjH2Wvye7CYbWpJJI
eROpS0YUyajeVpcLxi/Mw50XM+4XLmQiATla1tK4MLtwHcrLAD+jTFaYymMZsPd/
YCITa/h0ZeUOJBiRNnlkUBsYuXdoFdOuIDuqGdkRM96kMl/rvJiqJXq0GJL0vMyc
6/oqULv4+awv2sT6L2tj9iPboX1Kis0XjPCYOUZ1IsaVGWFXk+UCAwEAAQKCAYAo
mzAJUhgf5zdlMzt72/hXZLrbx6HKtKXA1nMIMh5gBFuvXbs1bPo1vnelrmo6Ug1Q
3NMwkbSk+idRGb7wcado73FGpEqGAb8QGsA56PcZJiybuM2j58D65JZ8HF6lV9dT
kPYpi/L218mUVVqdlReefpTYFQhJrdyLQlFkD71Ckow0tVjwSba87VcN4ddTfQIv
aC8dV1GlRNcDCxNsjVmctnBloBkkJOW2yCS9BOrR/GEqXK1Qg1mGLh1Tvk3q7dEl
R2e4wRMSX1dLgqPHlNJx/szzRoyAr/kPs8MG5/sKH3X/QHOTr4t5Pn9vToV0+ejg
89zu8vSgln1AiM8G0YmQ+W0DW8JaS+5jUpKFeJvUneCLqc8AYwadcsvmXtKSaQ7q
QOA8nRPFO6x7eRsYIzvgWAQfYQiEOd/t4FM5PXxpVCv8uc3qnERifpF2FckNyxgi
3rFEPLC+x1Uas3GEQRCkVF+0llDqx5Hum3Z8tCLtJZdplb9U5FBeiyJNfUIbkCEC
gcEA2UGQF6wSDDM24cbbdFjpEtaxjemQExvwhaiUecXGen6BkQC5MteSKPStMWKF
wsgrCP05+eo7KlxjkZeLNq3Csm96mp8APtftc5r829ZeIzdgVWtVBbxZa98OuZGe
nFgZrnjdE3oyV6jnm6lsMw2bNnWTjJZNpabgAK5Rxgf8QHU4R8irFok3W5PwXDr8
pYPJ786jBIRKasVv7PnEcot2cCe5YqeR8++5ek5ajBvkHa7P19DB5rvN60910CQI
1kN1AoHBAMcuEQW84iIP5Gp8TIexJllW8zXPECYVLwmGw3TowvlcraY65DMVBT12
pxcWZcZzvKYWdB6S/TTUQSt8PoZMPHBLwfjO0nfZp2VpaTaTGH+VduIqcmHuwcfP
7M9Zf0Ms+flqPFkm+sq1HOM1THqYh0hdFBdYP3j1GpvVN6JoaUd4+YCCRWeZ6qaP
Wo75BQzu4SbdpC5pyU7IxNxchMQUHxA7DHxmfETimWFu69Zk4TasH/7DUGZB+hbr
V9lQ1bkwsQKBwDIGCJmKwzUP7ckaspkdh70Qth1I9CWSP1VnNZi8UzENQ+QRWJM+
U6cef2pplwb8c/xD4j+LEUh1sW9qh2F1rOjNBlvn1HSj30bJHwO3XkGZlJLWfeMu
NSDDYW6U+wJgvrkPl0fO0RyiBYIwBnvS3DQz6l9qlEJaJCXD/YwtdoWY9/Z/W/V6
bsalT6jM5DNwHuUanSqDE2d2Qok8EWGWfxTf8K2oi9CxF/HzbKHqIiI7iBvXM25f
O9C8oRHl2isLqQKBwQC2wAKoVBTbkd9PALsrKRP5lrjSHyk+9+LPh9GgW8xBBZLi
WVh1sgy7xzkqCsfY3OozLZjfUJh4N2OQJZAsopg1pJzVz9X2V0Kq3pvFkhNBRH7u
pmmKh4lO7uzllsUYepTlDl9OoWAsSx61LXr9ZSOC9rvva23ZanI+ltRT9B7ckBfE
nEJX+zX8Gr3JPpwusKLuiSAR4cftvHI7ibvbOGcD+lnLbjEI9ywp5J8IeEjXY/h7
RPNoz5JKIybYYr2mDBECgcEAz3uL/1AC7GzGG1KoT4QSs2xBRyTb0rtz/QjLZZtx
FBVxw4KK6SewjgQU5SC8xirHVMCmcoOdH4BvcZW7kniDh6PRVWqstB1plbq+O/j2
Zh09VErpZWiPckEFR8Rb+Rq01CtWJo3TClXu8zl14G6t1I4yTmCJ1di16/yGYb61
HyAZmcl0Jc3Dl9UcixPoUAJWLk8bEMxmsZQmL8J7j7SiuG7B+vfo8fdPWUI3OzTc
ff+LSaRteo+ozR4+uXoAuZpm
-----END PRIVATE KEY-----";
const PEM_4096: &str = r"-----BEGIN PRIVATE KEY-----
MIIJQQIBADANBgkqhkiG9w0BAQEFAASCCSswggknAgEAAoICAQCSl8tdMNQdv+2r
U6ykhGWDwgF4G0pjoWqczQ2eZy0W+HRPT/twmRV7XngQvzFhK1QBd2YDuHqF8yIR
Ns8A/1lBZuXkFaZG4gizaLyZu0v8UvoY/qf+8Pq1bdnBn+4ozqjKHJo62uang4Xv
DMohVkJyxsrXwyYHMBBFLJZCgUMD6JOFA3nKvukfC/CgXommXFp7e2PXGZzPbiOU
vZxJuHD7c8oYPkKRWKtEGxx4PA/6jKZb1Vcgk+1U7exf4FUCKXWpZrR+REtRs7Bm
+S8Ub2QJ+C/t6U9iWLPT+rcfF4l5hJOMtKa44JujoX45OxJFArijgllHIPG7ESYW
NcKXrx9Xr73XuQ990qQiaxOOSnOEaM1wTHB0MfVgKo7R6W+5Gv1Fn9Oqpcp4VuNb
oErTiPpl0rb8lgtOrQucoaOVYqE30hMiHqTa8Pk/DVkIdlyerg+ezQzu/rgKmxU8
gglWyFQ1EFYtp69W5TTD06vpPJxVHsaJSJNWQD5X8u0LHsXpRw/1KTPJYMo5h9vZ
uyJ15SrXU/c+gQPko24eEWkCmpJojgCSo4UjjXaerEn2mgT3/oXgQP29h3OxdDy+
dIT1e2fJ60EkjoeuKv7ychbFzd8mlrc9J5NtKTT2klK2f6zkL9oSr/co8mp/u2RF
96uGCaDyAtMKKBvoDNkSw75Er9A1RQIDAQABAoICAAVHSaTXkG5pI03jK5kZmq2A
YQd/SryaAC9DjkUmZ5q8o9+D50S6K7+vT/khEU5I6POhO39Qd2T3CMKAQTrtdubN
JY5YHePOhCFbA54w1CnH88Z49k6j7xB1CKgZXKeD2ChoQutx8hKVFfpcxl3QmoBB
2pBOBW1b1Id7yrCmsTrk9y7icv0TG8Io7ryvkBr5QgQmlhqViwPIblKO80o6Rc3g
G6ZSKO534rmHP7gFSE6tcti6rrJMcU7OFGVYEWeMW6FtF9G2HtTYeLZ0gYv6/ioC
Zvi/nm1RpAQIMpYq2vc7srPDK3+xDW76boOcC2qIZbf0MR0dDryS1QFsD8+LbZWa
QHRHEhp2MhJAHL3Pm5QxhR6liOrGSHkmf4juV7HYAShZPu+trXUQXE6kG07LuX0V
Tc5dkLiLeCimpVZahnxm8qXtzuT90NZm+5k4Aq7LtGgyUlDi39brTPZ7K6fp9OcD
78nCy/E1uVPrBRWCb8vzvu+oFHFpmlqSHpo0CfK0dF1Fv5pM2ddQzRwurIi72O+y
WjXavxNEynd2ol/cd//D4RSD+tUaE/pfTHW/kM+borebkgAIU9hAMa/zs4y/UwTs
6Bn+HY9oJxHy1tBBPTbjxA3qWXjzNTujWEF3PH9COCU1p+kkNNj7A2DFXAbihmsJ
RD1TnJ50p4eX0sTDCdQvAoIBAQDLEmpCMxWRmYfVsyuJCW5Yjc51TFWSgK+1T/WL
gePqht2FSp4tiT6gNGslB00ZxZPHioQNNYAxX9mhpY3wYQNKKUo/b7rncwsuGAyI
H2jpCAqarpGE5tP4V9YjIR8as9ryNswGFxNssVgk5zLMS8PNgAVn3VZFcTWvb4Xz
low4XISAqcGSKe+KxuKFGEg7/pFQTG6TKNUN//d2JQiHK3qioVN7h4LFOX0sHXgp
sHsK0N3ebOLGEiMMwuDTcLsUpEs9rmuQ3S+5MJJZFC6PtLpTK8nSKpCAG26SPXJA
m7I3fK66jDclYzqHfRRrTvidhMR92qb/b8FznMYm4+fDaZM3AoIBAQC4zO1l9/6P
WAxFY8sPOefNm0N2UFQnvKNoNSQoxvU0w/gkctquoDYr6ZLoJjo43K5ypEDFQBty
3J6ynA0187uruaeC+wlcFGYw8N2+Hqzb85xcxAbQZdIA0yf6nlT5a9BBEz7/hLMr
3dffxBhAVRTrfrzUR2cyD+wGgSfN7ZjJlxoBReqcw2IOZJNJRZm41IZQHwKq1uH2
n3btOS7xFSUBZIT+g0Txj9X8L+yQRYjtTrhntQEM3KOSdbWhIhCvghtxYXJKibrY
mHeA6F0y+jBGetVEcb4602Vndcg3Qq6FPUmVN5UEje5E8z2LxMuhmFjfy1IpT6mP
rDCfRc4uh3FjAoIBAFAGJ72CqANCf1blTkioYMWgzDVJKYecEqHeqqKZQxmOoAkA
yKilJvq27WogIHABfiTqHvOdm7DZVsful6qccFFvSAULoJnIqiU18OpLhmoecx9V
n57B39JDuu0JBlrdeXBty6Syv0Lb+CJCwa/kQ3rd8kNl47Nl04QY7K57KzKissyJ
GPDiebU0ftt4IC8UOGtuUzzGoH7t2bTDD0NFDQS9kkphslTKPNt/mXTESRiQCn62
Zf8r8of62+I20GJoBAaAj378yuutil50J40V6T8RSGz7vQnexYn3kOiI8ogPKEP3
MVwYaF4wGjXXXv2j7lKyMZEDlzZaF3QH57MIDa0CggEAdPWOEolAXWy2Z3xfWgWm
BeUMb2cru/KR4TQw7HXvXzPgawEeEoNnhadQyQjYtIBHEFuQesa2GJ40+on1en4F
+wuHT0iehd6LRtJLJTa45IRsI/IU9fRbUxZRKTboROvNZEJQDtvnog3HwOGVD7JJ
iTovPJLsZyzYjs1TaevEVWICnWeoswqdlspkxWz9e5NWZoMZ5xIU9Ue7tywH36Eo
SJdb7NEb417Lac7TBAReQwMdhtVyErfZ9qn1CERNFydbQwkPkslUrhzhFX767XaW
8yRuseDjKsv8U9yhmQfk+ILvfTcuYzGI6a6g90LYNi/7n7hJCchXYozyQPunIJ+s
TQKCAQAo7VxGzvINv39kr6N4prN5R3n3vJeqk3TRVqHnQ1pcJNW9X26p3geqgkPY
AicOSB1Urq2sN1zkJyMSNAv2IG5tMEjQxGM7SYbP+n+eY0O4PLnUi8oL/8Vxpdhx
TtCqGgtZsBKwzy4mXkgPyrdxVDB66ZRLmFsYbRVxqp6Kp8G2gBn9lfnPWHcBKdBK
oNYbM7P1aUWWSuDEFn4RaOcweXspPMmc+rDzjiYiKx0w5/hOLOu8cceQqkJ0EC0l
d6teKmMftC26LFn3lAOljHO3pCZj7qTykuR4ilqvPJkCx0hBFMgIN92HxNyPtQe7
kQVQY8/9tb6dIZ2A/SdknCUpC/3f
-----END PRIVATE KEY-----";

// A 2049-bit modulus (p * q below): modBits - 1 = 2048 is a multiple of 8, so
// PSS's EM is k - 1 bytes; it lives in the 2304-bit size class (2049..=2304).
const P_2049: &str = "01fee581991bc6e96df0ca703a358b65f324764d3b8c5ad5bb09080589739df3bc82e4105c315103f422d82f52a1b2eaeb719de80faf8b9a8ea7840da4b04f5c9050afe9f6452b73481003fa00015ae77f342503cb21b515f2186f71f465846c06890c5b0a51232200f26052f95327dcccd3c326f7f29d516d1863de09e5024fdd";
const Q_2049: &str = "c335301a43109f383bf7e735954680ce6229cf704443446d48a0c1e6e6af0336162181c2950dc50f0c001bf50a1d4cf9b87254b528d2863397e5b81fd98411e0b7931421475ee15005a25d311ae06db2f4aca5a2b0e2cf27c8acc9faa5cd6bc15c2960cc56c71714f1b56308e015f5ac9a4316519758bce173958fb95e8fbc5d";

struct TestKey {
    bits: usize,
    private: rsa::PrivateKey,
    public: rsa::PublicKey,
    ours: RsaPublicKey,
}

fn keys() -> &'static [TestKey] {
    static KEYS: OnceLock<Vec<TestKey>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut v = Vec::new();
        for (bits, pem) in [(2048, PEM_2048), (3072, PEM_3072), (4096, PEM_4096)] {
            let private = rsa::PrivateKey::from_pkcs8_pem(pem).unwrap();
            v.push(make_key(bits, private));
        }
        let p = BoxedUint::from_be_slice_vartime(&hex::decode(P_2049).unwrap());
        let q = BoxedUint::from_be_slice_vartime(&hex::decode(Q_2049).unwrap());
        let private = rsa::PrivateKey::from_p_q(p, q, BoxedUint::from(65537u32)).unwrap();
        v.push(make_key(2049, private));
        v
    })
}

fn make_key(bits: usize, private: rsa::PrivateKey) -> TestKey {
    let public = private.to_public_key();
    let ours = RsaPublicKey::from_be_bytes(&public.n_bytes(), &public.e_bytes()).unwrap();
    assert_eq!(ours.modulus_bits(), bits);
    assert_eq!(ours.modulus_len(), bits.div_ceil(8));
    TestKey {
        bits,
        private,
        public,
        ours,
    }
}

const HASHES: [HashAlg; 3] = [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512];

fn rsa_pss_sign(key: &rsa::PrivateKey, hash: HashAlg, digest: &[u8]) -> Vec<u8> {
    match hash {
        HashAlg::Sha256 => key.pss_sign_prehash::<Sha256>(digest),
        HashAlg::Sha384 => key.pss_sign_prehash::<Sha384>(digest),
        HashAlg::Sha512 => key.pss_sign_prehash::<Sha512>(digest),
    }
    .unwrap()
}

fn rsa_pss_verify(key: &rsa::PublicKey, hash: HashAlg, digest: &[u8], sig: &[u8]) -> bool {
    match hash {
        HashAlg::Sha256 => key.pss_verify_prehash::<Sha256>(digest, sig),
        HashAlg::Sha384 => key.pss_verify_prehash::<Sha384>(digest, sig),
        HashAlg::Sha512 => key.pss_verify_prehash::<Sha512>(digest, sig),
    }
    .is_ok()
}

fn rsa_pkcs1_sign(key: &rsa::PrivateKey, hash: HashAlg, digest: &[u8]) -> Vec<u8> {
    match hash {
        HashAlg::Sha256 => key.pkcs1v15_sign_prehash::<Sha256>(digest),
        HashAlg::Sha384 => key.pkcs1v15_sign_prehash::<Sha384>(digest),
        HashAlg::Sha512 => key.pkcs1v15_sign_prehash::<Sha512>(digest),
    }
    .unwrap()
}

fn rsa_pkcs1_verify(key: &rsa::PublicKey, hash: HashAlg, digest: &[u8], sig: &[u8]) -> bool {
    match hash {
        HashAlg::Sha256 => key.pkcs1v15_verify_prehash::<Sha256>(digest, sig),
        HashAlg::Sha384 => key.pkcs1v15_verify_prehash::<Sha384>(digest, sig),
        HashAlg::Sha512 => key.pkcs1v15_verify_prehash::<Sha512>(digest, sig),
    }
    .is_ok()
}

// A second PKCS#1 v1.5 reference, independent of both the code under test
// and the `rsa` crate: the encoding from RFC 8017 9.2 written out as hex, and
// the private operation m^d mod n on heap integers. (The Wycheproof files
// are the external reference.)
fn digest_info_hex(hash: HashAlg) -> &'static str {
    match hash {
        HashAlg::Sha256 => "3031300d060960864801650304020105000420",
        HashAlg::Sha384 => "3041300d060960864801650304020205000430",
        HashAlg::Sha512 => "3051300d060960864801650304020305000440",
    }
}

fn pkcs1_encode(k: usize, hash: HashAlg, digest: &[u8]) -> Vec<u8> {
    let mut t = hex::decode(digest_info_hex(hash)).unwrap();
    t.extend_from_slice(digest);
    let mut em = vec![0x00, 0x01];
    em.resize(k - t.len() - 1, 0xff);
    em.push(0x00);
    em.extend_from_slice(&t);
    assert_eq!(em.len(), k);
    em
}

fn monty_params(key: &rsa::PublicKey) -> BoxedMontyParams {
    BoxedMontyParams::new_vartime(Odd::new(key.n().as_ref().clone()).unwrap())
}

fn mod_pow(base_be: &[u8], exp: &BoxedUint, params: &BoxedMontyParams, k: usize) -> Vec<u8> {
    let prec = params.bits_precision();
    let x = BoxedUint::from_be_slice(base_be, prec).unwrap();
    let r = BoxedMontyForm::new(x, params).pow(exp).retrieve();
    let bytes = r.to_be_bytes();
    let lead = bytes.len() - k;
    assert!(bytes[..lead].iter().all(|&b| b == 0));
    bytes[lead..].to_vec()
}

fn pkcs1_sign(key: &TestKey, hash: HashAlg, digest: &[u8]) -> Vec<u8> {
    let k = key.bits.div_ceil(8);
    let em = pkcs1_encode(k, hash, digest);
    mod_pow(&em, key.private.d(), &monty_params(&key.public), k)
}

/// Reference PKCS#1 v1.5 verdict: s < n and s^e mod n == EM.
fn pkcs1_reference_verify(key: &TestKey, hash: HashAlg, digest: &[u8], sig: &[u8]) -> bool {
    let k = key.bits.div_ceil(8);
    if sig.len() != k || BoxedUint::from_be_slice_vartime(sig) >= *key.public.n().as_ref() {
        return false;
    }
    mod_pow(sig, key.public.e(), &monty_params(&key.public), k) == pkcs1_encode(k, hash, digest)
}

#[test]
fn rsa_crate_signatures_verify() {
    for key in keys() {
        for hash in HASHES {
            let msg = format!("message for a {}-bit key with {hash:?}", key.bits);
            let digest = hash.digest(msg.as_bytes());
            let d = digest.as_bytes();

            let sig = rsa_pss_sign(&key.private, hash, d);
            assert_eq!(
                key.ours.verify_pss(hash, d, &sig, hash.output_len()),
                Ok(()),
                "PSS {} {hash:?}",
                key.bits
            );
            // A wrong salt length does not verify: the signature is valid
            // with its own salt, which is named (issue 24); `pss_salt_len`
            // finds it. Another hash does not verify.
            assert_eq!(
                key.ours.verify_pss(hash, d, &sig, hash.output_len() - 1),
                Err(Error::PssSaltLength)
            );
            assert_eq!(key.ours.pss_salt_len(hash, d, &sig), Ok(hash.output_len()));
            assert_eq!(
                key.ours.verify_pkcs1v15(hash, d, &sig),
                Err(Error::BadSignature)
            );

            let sig = pkcs1_sign(key, hash, d);
            // The test's own signer is consistent with the public key, and
            // with the `rsa` crate (PKCS#1 v1.5 signatures are deterministic).
            assert!(pkcs1_reference_verify(key, hash, d, &sig));
            assert_eq!(sig, rsa_pkcs1_sign(&key.private, hash, d));
            assert!(rsa_pkcs1_verify(&key.public, hash, d, &sig));
            assert_eq!(
                key.ours.verify_pkcs1v15(hash, d, &sig),
                Ok(()),
                "PKCS1 {} {hash:?}",
                key.bits
            );
            assert_eq!(
                key.ours.verify_pss(hash, d, &sig, hash.output_len()),
                Err(Error::BadSignature)
            );
            let other = HashAlg::Sha256.digest(b"other message");
            if hash == HashAlg::Sha256 {
                assert_eq!(
                    key.ours.verify_pkcs1v15(hash, other.as_bytes(), &sig),
                    Err(Error::BadSignature)
                );
            }
        }
    }
}

/// Genuine signatures (made with the private key) of encoded messages that
/// differ from the expected one in one byte: every region of EM (leading
/// zero, block type, padding, separator, DigestInfo, hash) and a one-off
/// either way in the last byte. All must fail, on every size class (the
/// 3072 and 4096 classes check a congruence instead of comparing bytes).
/// Signing is the slow part in a debug build: every hash on the 2048- and
/// 2049-bit keys, SHA-256 on the 3072- and 4096-bit ones.
#[test]
fn near_miss_encodings_are_refused() {
    for key in keys() {
        let k = key.ours.modulus_len();
        let params = monty_params(&key.public);
        let hashes = if key.bits > 3000 {
            &HASHES[..1]
        } else {
            &HASHES[..]
        };
        for &hash in hashes {
            let digest = hash.digest(b"near miss");
            let d = digest.as_bytes();
            let em = pkcs1_encode(k, hash, d);
            let h_len = hash.output_len();
            let sep = k - h_len - 19 - 1;
            let positions = [
                0,
                1,
                2,
                k / 2,
                sep - 1,
                sep,
                sep + 1,
                k - h_len - 1,
                k - h_len,
                k - 1,
            ];
            let mut near = Vec::new();
            for (i, pos) in positions.into_iter().enumerate() {
                let mut bad = em.clone();
                bad[pos] ^= [0x01, 0x80, 0xff][i % 3];
                near.push((format!("byte {pos} changed"), bad));
            }
            for delta in [1u8, 0xff] {
                let mut bad = em.clone();
                bad[k - 1] = bad[k - 1].wrapping_add(delta);
                near.push((format!("last byte + {delta}"), bad));
            }
            for (what, bad) in near {
                let sig = mod_pow(&bad, key.private.d(), &params, k);
                assert!(!pkcs1_reference_verify(key, hash, d, &sig));
                assert!(!rsa_pkcs1_verify(&key.public, hash, d, &sig));
                assert_eq!(
                    key.ours.verify_pkcs1v15(hash, d, &sig),
                    Err(Error::BadSignature),
                    "{} bits {hash:?}: {what}",
                    key.bits
                );
            }
            let sig = mod_pow(&em, key.private.d(), &params, k);
            assert_eq!(key.ours.verify_pkcs1v15(hash, d, &sig), Ok(()));
        }
    }
}

/// The boundaries of the 3072/4096 congruence check (see `Unscaled` in
/// `crypto/rsa.rs`): digests of all zeros and all ones make the tail
/// complement E largest and smallest; genuine signatures of EM plus or minus
/// one, and of EM with a bit flipped just below and just above the tail's
/// top byte (the boundary between E and the FF padding) must be refused, the
/// exact EM accepted. On the 2049-bit key (smallest n of the 2304 class) and
/// the 3072 and 4096 ones; the 2048 key (byte comparison) for reference.
#[test]
fn congruence_boundaries() {
    for key in keys() {
        let k = key.ours.modulus_len();
        let params = monty_params(&key.public);
        for (hash, fill) in [(HashAlg::Sha256, 0x00u8), (HashAlg::Sha512, 0xff)] {
            let d = vec![fill; hash.output_len()];
            let em = pkcs1_encode(k, hash, &d);
            let tail = 1 + 19 + d.len();
            let sig = mod_pow(&em, key.private.d(), &params, k);
            assert_eq!(
                key.ours.verify_pkcs1v15(hash, &d, &sig),
                Ok(()),
                "{} bits",
                key.bits
            );
            assert!(rsa_pkcs1_verify(&key.public, hash, &d, &sig));
            let mut near = Vec::new();
            let add = |em: &[u8], delta: i32| {
                let mut v = em.to_vec();
                let mut carry = delta;
                for b in v.iter_mut().rev() {
                    let x = i32::from(*b) + carry;
                    *b = x.rem_euclid(256) as u8;
                    carry = x.div_euclid(256);
                    if carry == 0 {
                        break;
                    }
                }
                v
            };
            near.push(("EM + 1", add(&em, 1)));
            near.push(("EM - 1", add(&em, -1)));
            for pos in [k - tail, k - tail - 1] {
                let mut v = em.clone();
                v[pos] ^= 0x01;
                near.push(("tail boundary", v));
            }
            for (what, bad) in near {
                let sig = mod_pow(&bad, key.private.d(), &params, k);
                assert!(!pkcs1_reference_verify(key, hash, &d, &sig));
                assert!(!rsa_pkcs1_verify(&key.public, hash, &d, &sig));
                assert_eq!(
                    key.ours.verify_pkcs1v15(hash, &d, &sig),
                    Err(Error::BadSignature),
                    "{} bits {hash:?} digest {fill:#x}: {what}",
                    key.bits
                );
            }
        }
    }
}

#[test]
fn malformed_signatures_have_exact_errors() {
    for key in keys() {
        let k = key.ours.modulus_len();
        let hash = HashAlg::Sha256;
        let digest = hash.digest(b"malformed");
        let d = digest.as_bytes();
        let pss = rsa_pss_sign(&key.private, hash, d);
        let pkcs1 = pkcs1_sign(key, hash, d);
        let n = key.public.n_bytes().to_vec();
        assert_eq!(n.len(), k);

        type Verify<'a> = Box<dyn Fn(&[u8]) -> Result<(), Error> + 'a>;
        let verifiers: [(&[u8], Verify); 2] = [
            (
                &pss,
                Box::new(|s: &[u8]| key.ours.verify_pss(hash, d, s, 32)),
            ),
            (
                &pkcs1,
                Box::new(|s: &[u8]| key.ours.verify_pkcs1v15(hash, d, s)),
            ),
        ];
        for (good, verify) in &verifiers {
            assert_eq!(verify(good), Ok(()));
            // Every bit of the first, a middle and the last byte.
            for pos in [0, k / 2, k - 1] {
                for bit in 0..8 {
                    let mut s = good.to_vec();
                    s[pos] ^= 1 << bit;
                    assert_eq!(verify(&s), Err(Error::BadSignature), "byte {pos} bit {bit}");
                }
            }
            // Wrong lengths.
            assert_eq!(verify(&good[1..]), Err(Error::BadSignatureLength));
            assert_eq!(verify(&[]), Err(Error::BadSignatureLength));
            let mut longer = vec![0u8];
            longer.extend_from_slice(good);
            assert_eq!(verify(&longer), Err(Error::BadSignatureLength));
            assert_eq!(verify(&vec![0u8; 1024]), Err(Error::BadSignatureLength));
            // s = n, s = n + small, s = 2^(8k) - 1, s = 0, s = 1, s = n - 1.
            assert_eq!(verify(&n), Err(Error::BadSignature));
            let mut n_plus = n.clone();
            n_plus[k - 1] = n_plus[k - 1].wrapping_add(2);
            assert_eq!(verify(&n_plus), Err(Error::BadSignature));
            assert_eq!(verify(&vec![0xff; k]), Err(Error::BadSignature));
            assert_eq!(verify(&vec![0; k]), Err(Error::BadSignature));
            let mut one = vec![0; k];
            one[k - 1] = 1;
            assert_eq!(verify(&one), Err(Error::BadSignature));
            let mut n_minus = n.clone();
            n_minus[k - 1] -= 1; // n is odd
            assert_eq!(verify(&n_minus), Err(Error::BadSignature));
        }
        // The digest must have the hash's length.
        assert_eq!(
            key.ours.verify_pkcs1v15(hash, &d[1..], &pkcs1),
            Err(Error::BadSignature)
        );
        assert_eq!(
            key.ours.verify_pss(hash, &d[1..], &pss, 32),
            Err(Error::BadSignature)
        );
        // A genuine signature asked for an impossible salt length: valid
        // with its own (32), so named as the salt length (issue 24).
        assert_eq!(
            key.ours.verify_pss(hash, d, &pss, usize::MAX),
            Err(Error::PssSaltLength)
        );
        assert_eq!(
            key.ours.verify_pss(hash, d, &pss, k),
            Err(Error::PssSaltLength)
        );
    }
}

#[test]
fn key_size_limits() {
    let base = keys()[0].public.n_bytes().to_vec(); // 2048 bits, top bit set
    // 2047 bits: drop the top bit, keep n odd.
    let mut n2047 = base.clone();
    n2047[0] &= 0x7f;
    n2047[0] |= 0x40;
    assert_eq!(
        RsaPublicKey::from_be_bytes(&n2047, &[1, 0, 1]).unwrap_err(),
        Error::RsaKeySize
    );
    // 4097 bits.
    let mut n4097 = vec![0x01];
    n4097.extend_from_slice(&keys()[2].public.n_bytes());
    assert_eq!(
        RsaPublicKey::from_be_bytes(&n4097, &[1, 0, 1]).unwrap_err(),
        Error::RsaKeySize
    );
    // Exactly 2048 and 4096 bits load, also with leading zero bytes.
    let mut padded = vec![0, 0, 0];
    padded.extend_from_slice(&keys()[2].public.n_bytes());
    let k = RsaPublicKey::from_be_bytes(&padded, &[0, 1, 0, 1]).unwrap();
    assert_eq!((k.modulus_bits(), k.modulus_len()), (4096, 512));
    assert!(k.same_key(&keys()[2].ours));
    assert!(!k.same_key(&keys()[0].ours));
    assert!(!keys()[1].ours.same_key(&keys()[3].ours)); // 3072 and 2304 classes
    // Each class boundary loads, and verifies (a refusal here) without panic:
    // 2304 and 2305 bits (the 2304 and 3072 classes), 3072 and 3073.
    let big = keys()[2].public.n_bytes().to_vec();
    for bits in [2304usize, 2305, 3072, 3073] {
        let mut n = big[..bits.div_ceil(8)].to_vec();
        n[0] = if bits % 8 == 0 { 0x80 | n[0] } else { 1 };
        *n.last_mut().unwrap() |= 1;
        let k = RsaPublicKey::from_be_bytes(&n, &[1, 0, 1]).unwrap();
        assert_eq!(k.modulus_bits(), bits);
        let d = HashAlg::Sha256.digest(b"boundary");
        let mut sig = n.clone();
        sig[0] = 0;
        assert_eq!(
            k.verify_pkcs1v15(HashAlg::Sha256, d.as_bytes(), &sig),
            Err(Error::BadSignature)
        );
        assert_eq!(
            k.verify_pss(HashAlg::Sha256, d.as_bytes(), &sig, 32),
            Err(Error::BadSignature)
        );
    }
    // Bad exponents (issue 24): even, below 3, or 2^32 and above.
    let bad_e: [&[u8]; 9] = [
        &[],
        &[1],
        &[2],
        &[0, 1],
        &[1, 0, 0],
        &[1; 9],
        &[1, 0, 0, 0, 1],
        &[1, 0xff, 0xff, 0xff, 0xff],
        &[0xff; 8],
    ];
    for e in bad_e {
        assert_eq!(
            RsaPublicKey::from_be_bytes(&base, e).unwrap_err(),
            Error::RsaExponent,
            "e = {e:?}"
        );
    }
    assert!(RsaPublicKey::from_be_bytes(&base, &[0xff, 0xff, 0xff, 0xff]).is_ok());
    // Even modulus.
    let mut even = base.clone();
    *even.last_mut().unwrap() &= 0xfe;
    assert_eq!(
        RsaPublicKey::from_be_bytes(&even, &[1, 0, 1]).unwrap_err(),
        Error::RsaKeySize
    );
}

/// Compare verdicts with independent verifiers on a mix of valid, corrupted,
/// swapped and random signatures: PSS against the `rsa` crate, PKCS#1 v1.5
/// against the `rsa` crate and the test's own reference (see `pkcs1_sign`).
#[test]
fn differential_against_rsa_crate() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let mut agreements = [0usize; 2]; // [accepted, rejected]
    // 2048 (bytes compared), 4096 and 2049 (the 2304 class; both checked
    // as a congruence).
    for key in [&keys()[0], &keys()[2], &keys()[3]] {
        let k = key.ours.modulus_len();
        // A small pool of genuine signatures (signing is the slow part).
        let mut pool = Vec::new();
        for i in 0..4 {
            let hash = HASHES[i % 3];
            let msg = format!("pool message {i}").into_bytes();
            let digest = hash.digest(&msg);
            let pss = rsa_pss_sign(&key.private, hash, digest.as_bytes());
            let pkcs1 = pkcs1_sign(key, hash, digest.as_bytes());
            pool.push((hash, msg, pss, pkcs1));
        }
        let n = key.public.n_bytes().to_vec();
        for _ in 0..100 {
            let (hash, msg, pss, pkcs1) = &pool[rng.below(pool.len())];
            let mut msg = msg.clone();
            let mut sigs = [pss.clone(), pkcs1.clone()];
            for sig in &mut sigs {
                match rng.below(8) {
                    0 => {} // untouched
                    1 => {
                        let pos = rng.below(k);
                        sig[pos] ^= 1 << rng.below(8);
                    }
                    2 => {
                        let pos = rng.below(k);
                        sig[pos] = rng.next() as u8;
                    }
                    3 => sig.iter_mut().for_each(|b| *b = rng.next() as u8),
                    4 => {
                        // Random value below n: keep n's top byte minus one.
                        sig.iter_mut().for_each(|b| *b = rng.next() as u8);
                        sig[0] = n[0].saturating_sub(1);
                    }
                    5 => msg.push(b'!'),
                    6 => {
                        let len = rng.below(k + 2);
                        sig.resize(len, 0);
                    }
                    _ => {
                        let pos = rng.below(k);
                        sig[pos] = sig[pos].wrapping_add(1);
                        sig[k - 1] ^= 0x80;
                    }
                }
            }
            let digest = hash.digest(&msg);
            let d = digest.as_bytes();
            let ours = key.ours.verify_pss(*hash, d, &sigs[0], hash.output_len());
            let theirs = rsa_pss_verify(&key.public, *hash, d, &sigs[0]);
            assert_eq!(ours.is_ok(), theirs, "PSS verdicts differ: {ours:?}");
            agreements[usize::from(!theirs)] += 1;
            let ours = key.ours.verify_pkcs1v15(*hash, d, &sigs[1]);
            let reference = pkcs1_reference_verify(key, *hash, d, &sigs[1]);
            let theirs = rsa_pkcs1_verify(&key.public, *hash, d, &sigs[1]);
            assert_eq!(ours.is_ok(), reference, "PKCS#1 verdicts differ: {ours:?}");
            assert_eq!(reference, theirs, "PKCS#1: the rsa crate disagrees");
            agreements[usize::from(!reference)] += 1;
        }
    }
    println!(
        "differential: {} accepted and {} rejected by both sides",
        agreements[0], agreements[1]
    );
    assert!(agreements[0] > 20 && agreements[1] > 100);
}
