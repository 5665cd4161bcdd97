//! Structure-aware: tokens built from fuzzer-chosen header and claims JSON
//! and signed with a test key (HS256/384/512, ES256), so fuzzing reaches the
//! claims checks behind a valid signature.
//!
//! Must hold: no panic; no heap allocation; `scratch_len` suffices; and the
//! verdict agrees with an independent oracle (serde_json + the policy rules
//! written out here with exact decimal arithmetic): an accepted token meets
//! every rule and its claims read back as serde_json reads them; a claims
//! rejection names a rule the token really breaks.
#![no_main]

use std::sync::LazyLock;

use arbitrary::{Result, Unstructured};
use hmac::{KeyInit as _, Mac as _};
use libfuzzer_sys::fuzz_target;
use libverifier_fuzz::tree::{self, J, number_ceil, number_floor};
use libverifier_fuzz::{
    HS256_SECRET_B64, HS384_SECRET_B64, HS512_SECRET_B64, NOW, b64d, b64e, no_alloc,
};
use p256::ecdsa::signature::Signer as _;
use verifier_core::policy::Profile;
use verifier_core::{AlgSet, Error, Key, KeySet, Policy, Verifier, scratch_len};

/// A fixed P-256 private scalar (test only).
const ES256_D: [u8; 32] = [
    0x1f, 0x2e, 0x3d, 0x4c, 0x5b, 0x6a, 0x79, 0x88, 0x97, 0xa6, 0xb5, 0xc4, 0xd3, 0xe2, 0xf1, 0x01,
    0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87, 0x98, 0xa9, 0xba, 0xcb, 0xdc, 0xed, 0xfe, 0x0f,
];

struct Keys {
    hs: [Vec<u8>; 3],
    es256: p256::ecdsa::SigningKey,
    verifier: Verifier<8>,
}

/// `FUZZ_VERDICTS=1`: print each verdict (to see what a corpus reaches).
static SHOW_VERDICTS: LazyLock<bool> =
    LazyLock::new(|| std::env::var_os("FUZZ_VERDICTS").is_some());

static KEYS: LazyLock<Keys> = LazyLock::new(|| {
    let hs = [
        b64d(HS256_SECRET_B64),
        b64d(HS384_SECRET_B64),
        b64d(HS512_SECRET_B64),
    ];
    let es256 = p256::ecdsa::SigningKey::from_slice(&ES256_D).unwrap();
    let sec1 = es256.verifying_key().to_sec1_point(false);
    let mut set = KeySet::new();
    for (i, kid) in ["hs256", "hs384", "hs512"].iter().enumerate() {
        set.push(Key::hmac(&hs[i], None).unwrap().with_kid(kid).unwrap())
            .unwrap();
    }
    set.push(
        Key::p256_sec1(sec1.as_bytes())
            .unwrap()
            .with_kid("es256")
            .unwrap(),
    )
    .unwrap();
    Keys {
        hs,
        es256,
        verifier: Verifier::new(set).unwrap(),
    }
});

const ALGS: [&str; 4] = ["HS256", "HS384", "HS512", "ES256"];
const KIDS: [&str; 4] = ["hs256", "hs384", "hs512", "es256"];

const ISS: &str = "https://issuer.example.com";
const AUD: &str = "https://api.example.com";
const AZP: &str = "https://app.example.com";

/// Strings as raw JSON text (between the quotes): policy values, escaped
/// spellings of them, near misses.
const STRINGS: &[&str] = &[
    ISS,
    "https://issuer.example.co\\u006d",
    "https://issuer.example.com/",
    "https:\\/\\/issuer.example.com",
    AUD,
    "https://api.example.co\\u006D",
    AZP,
    "https://app.example.com ",
    "user_123",
    "",
    "read",
    "read write",
    "write  read",
    "readwrite",
    "m2mapp",
    "M2MAPP",
    "at+jwt",
    "application/AT+JWT",
    "JWT",
    "jwt",
    "\\u0000",
    "\\ud83d\\ude00",
    "\\\"",
    "caf\u{e9}",
];

const NAMES: &[&str] = &[
    "iss",
    "sub",
    "aud",
    "exp",
    "nbf",
    "iat",
    "azp",
    "client_id",
    "scope",
    "jti",
    "sid",
    "\\u0065xp",
    "s\\u0075b",
    "a\\u0075d",
    "i\\u0073s",
    "\\u006ebf",
    "x",
    "exp ",
    "EXP",
];

const DELTAS: &[i64] = &[
    -3601, -3600, -3599, -61, -60, -6, -5, -4, -1, 0, 1, 4, 5, 6, 60, 600, 3600,
];

fn number(u: &mut Unstructured<'_>) -> Result<String> {
    let base = NOW + *u.choose(DELTAS)?;
    Ok(match u.int_in_range(0..=11)? {
        0..=4 => base.to_string(),
        5 => format!("{base}.{}", u.int_in_range(0..=999_999u32)?),
        6 => format!("{}.{:03}e{}", base / 1000, (base % 1000).abs(), 3),
        7 => format!("{base}.0000000000000000000001"),
        8 => format!("{}e-{}", base as i128 * 10, 1),
        9 => u
            .choose(&[
                "1e400",
                "-1e400",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775809",
                "0",
                "-0",
                "1E+9",
                "1.5",
                "-0.5",
                "17640000000000000000e-10",
            ])?
            .to_string(),
        10 => u.arbitrary::<i64>()?.to_string(),
        _ => format!("{base}.5"),
    })
}

fn string(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(1, 5)? {
        let s: String = u.arbitrary()?;
        let s: String = s.chars().take(40).collect();
        return Ok(serde_json::to_string(&s).unwrap());
    }
    Ok(format!("\"{}\"", u.choose(STRINGS)?))
}

fn value(u: &mut Unstructured<'_>, depth: u32) -> Result<String> {
    let max = if depth >= 3 { 5 } else { 7 };
    Ok(match u.int_in_range(0..=max)? {
        0 | 1 => string(u)?,
        2 | 3 => number(u)?,
        4 => u.choose(&["true", "false", "null"])?.to_string(),
        5 => format!("[{}]", {
            let n = u.int_in_range(0..=3)?;
            let mut v = Vec::new();
            for _ in 0..n {
                v.push(if u.ratio(3, 4)? {
                    string(u)?
                } else {
                    number(u)?
                });
            }
            v.join(",")
        }),
        6 => format!("[{}]", {
            let n = u.int_in_range(0..=2)?;
            let mut v = Vec::new();
            for _ in 0..n {
                v.push(value(u, depth + 1)?);
            }
            v.join(",")
        }),
        _ => object(u, depth + 1, &["a", "b", "exp", "sub"])?,
    })
}

fn object(u: &mut Unstructured<'_>, depth: u32, names: &[&str]) -> Result<String> {
    let n = u.int_in_range(0..=12)?;
    let mut members = Vec::new();
    let mut used = Vec::new();
    for _ in 0..n {
        let name = if u.ratio(1, 10)? {
            string(u)?
        } else {
            let name = *u.choose(names)?;
            // Mostly distinct names (the core refuses duplicates, which would
            // hide everything behind them); sometimes a duplicate on purpose.
            let decoded = decode_name(name);
            if used.contains(&decoded) && !u.ratio(1, 16)? {
                continue;
            }
            used.push(decoded);
            format!("\"{name}\"")
        };
        let v = match (depth, claim_value(u, &name)?) {
            (0, Some(v)) => v,
            _ => value(u, depth)?,
        };
        members.push(format!("{name}:{v}"));
    }
    Ok(format!("{{{}}}", members.join(",")))
}

/// A name from `NAMES` as the core and serde_json decode it.
fn decode_name(raw: &str) -> String {
    serde_json::from_str(&format!("\"{raw}\"")).unwrap_or_default()
}

/// Mostly a value that fits the registered claim `name` (quoted JSON name)
/// and the policies, so that tokens get past one rule to the next.
fn claim_value(u: &mut Unstructured<'_>, name: &str) -> Result<Option<String>> {
    if u.ratio(1, 4)? {
        return Ok(None);
    }
    let decoded: String = serde_json::from_str(name).unwrap_or_default();
    let pick = |u: &mut Unstructured<'_>, xs: &[&str]| -> Result<String> {
        Ok(format!("\"{}\"", u.choose(xs)?))
    };
    Ok(Some(match decoded.as_str() {
        "iss" => pick(
            u,
            &[
                ISS,
                ISS,
                "https://issuer.example.co\\u006d",
                "https://issuer.example.com/",
            ],
        )?,
        "aud" => match u.int_in_range(0..=3u8)? {
            0 => pick(u, &[AUD, "urn:other", "https://api.example.co\\u006D"])?,
            1 => format!("[\"x\",\"{AUD}\"]"),
            2 => "[]".into(),
            _ => format!("[\"{AUD}\"]"),
        },
        "sub" => pick(u, &["user_123", "", "u\\u0073er"])?,
        "azp" => pick(u, &[AZP, "https://evil.example.com"])?,
        "client_id" => pick(u, &["m2mapp", "other"])?,
        "scope" => pick(
            u,
            &["read write", "write read admin", "read", "readwrite", ""],
        )?,
        "exp" | "nbf" | "iat" => number(u)?,
        _ => return Ok(None),
    }))
}

/// The protected header: mostly well-formed, with the chosen algorithm.
fn header(u: &mut Unstructured<'_>, alg: usize) -> Result<Vec<u8>> {
    if u.ratio(1, 16)? {
        return u.arbitrary();
    }
    let mut m = Vec::new();
    let alg_text = match u.int_in_range(0..=15)? {
        0 => format!(
            "\"{}\"",
            u.choose(&["none", "nOnE", "RS256", "EdDSA", "HS256 ", "hs256"])?
        ),
        1 => format!("\"{}\"", ALGS[alg].replacen('S', "\\u0053", 1)),
        2 => "7".into(),
        _ => format!("\"{}\"", ALGS[alg]),
    };
    if !u.ratio(1, 32)? {
        m.push(format!("\"alg\":{alg_text}"));
    }
    match u.int_in_range(0..=7)? {
        0 => {}
        1 => m.push(format!("\"kid\":\"{}\"", u.choose(&KIDS)?)),
        2 => m.push("\"kid\":\"unknown\"".into()),
        3 => m.push(format!(
            "\"kid\":\"{}\"",
            KIDS[alg].replacen('s', "\\u0073", 1)
        )),
        4 => m.push("\"kid\":1".into()),
        _ => m.push(format!("\"kid\":\"{}\"", KIDS[alg])),
    }
    if u.ratio(1, 2)? {
        m.push(format!("\"typ\":{}", string(u)?));
    }
    if u.ratio(1, 16)? {
        m.push(format!(
            "\"crit\":{}",
            u.choose(&["[]", "[\"b64\"]", "\"b64\"", "[\"exp\"]"])?
        ));
    }
    if u.ratio(1, 16)? {
        m.push(format!("\"b64\":{}", u.choose(&["true", "false", "1"])?));
    }
    if u.ratio(1, 16)? {
        let cty = ["JWT", "jwt", "application/JWT", "json", "application/json"];
        m.push(format!("\"cty\":\"{}\"", u.choose(&cty)?));
    }
    if u.ratio(1, 32)? {
        m.push(format!("\"zip\":{}", u.choose(&["\"DEF\"", "null"])?));
    }
    if u.ratio(1, 8)? {
        let name = string(u)?;
        m.push(format!("{name}:{}", value(u, 1)?));
    }
    let mut out = Vec::with_capacity(m.len());
    while !m.is_empty() {
        let i = u.choose_index(m.len())?;
        out.push(m.swap_remove(i));
    }
    Ok(format!("{{{}}}", out.join(",")).into_bytes())
}

fn sign(keys: &Keys, alg: usize, msg: &[u8]) -> Vec<u8> {
    macro_rules! hmac {
        ($d:ty, $key:expr) => {{
            let mut m = hmac::Hmac::<$d>::new_from_slice($key).unwrap();
            m.update(msg);
            m.finalize().into_bytes().to_vec()
        }};
    }
    match alg {
        0 => hmac!(sha2::Sha256, &keys.hs[0]),
        1 => hmac!(sha2::Sha384, &keys.hs[1]),
        2 => hmac!(sha2::Sha512, &keys.hs[2]),
        _ => {
            let sig: p256::ecdsa::Signature = keys.es256.sign(msg);
            sig.to_bytes().to_vec()
        }
    }
}

/// serde_json's view of a document the core accepted: `None` only when
/// serde_json refuses an out-of-range number (which the core need not read).
fn oracle_view(doc: &[u8], what: &str) -> Option<J> {
    match tree::parse(doc) {
        Ok(j) => Some(j),
        Err(e) if e.to_string().contains("number out of range") => None,
        Err(e) => panic!("{what} accepted by the core, refused by serde_json: {e}"),
    }
}

struct Case {
    policy: Policy<'static>,
}

const ISSUERS: [&str; 1] = [ISS];
const AUDIENCES: [&str; 2] = [AUD, "urn:other"];
const AZPS: [&str; 1] = [AZP];
const CLIENTS: [&str; 1] = ["m2mapp"];
const AT_JWT: [&str; 1] = ["at+jwt"];
const JWT: [&str; 1] = ["JWT"];
const SCOPES: [&str; 2] = ["read", "write"];

fn policy(u: &mut Unstructured<'_>) -> Result<Case> {
    let p = match u.int_in_range(0..=5)? {
        0 => Policy {
            issuers: &ISSUERS,
            audiences: &AUDIENCES,
            leeway: 5,
            ..Policy::default()
        },
        1 => Policy {
            issuers: &ISSUERS,
            audiences: &AUDIENCES,
            client_ids: &CLIENTS,
            typ: &AT_JWT,
            required_scopes: &SCOPES,
            max_age: Some(3600),
            ..Policy::default()
        },
        2 => Policy {
            leeway: 60,
            issuers: &ISSUERS,
            authorized_parties: &AZPS,
            typ: &JWT,
            allow_missing_typ: true,
            require_sub: false,
            require_exp: false,
            max_age: Some(60),
            algorithms: AlgSet::ALL,
            ..Policy::default()
        },
        // The ID-token profile: azp against the audiences, required with
        // several; `typ: at+jwt` refused.
        3 => Policy {
            algorithms: AlgSet::ALL,
            ..Policy::id_token(&ISSUERS, &AUDIENCES).expect("id_token preset")
        },
        // Logto's access-token profile: client_id, iat and jti required,
        // a future iat not refused (no max age).
        4 => Policy {
            algorithms: AlgSet::ALL,
            ..Policy::logto(&ISSUERS, &AUDIENCES, &[]).expect("logto preset")
        },
        _ => Policy::default(),
    };
    Ok(Case { policy: p })
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let keys = &*KEYS;
    let alg = u.choose_index(ALGS.len())?;
    let header = header(u, alg)?;
    let payload = if u.ratio(1, 32)? {
        u.arbitrary::<Vec<u8>>()?
    } else {
        object(u, 0, NAMES)?.into_bytes()
    };
    let case = policy(u)?;
    let now = NOW + u.int_in_range(-2..=2)?;
    let signer = if u.ratio(1, 16)? {
        u.choose_index(ALGS.len())?
    } else {
        alg
    };
    let mut token = format!("{}.{}", b64e(&header), b64e(&payload)).into_bytes();
    let mut sig = sign(keys, signer, &token);
    let tampered = u.ratio(1, 32)?;
    if tampered && !sig.is_empty() {
        let i = u.choose_index(sig.len())?;
        sig[i] ^= 1 << u.int_in_range(0..=7)?;
    }
    token.push(b'.');
    token.extend_from_slice(b64e(&sig).as_bytes());

    let mut buf = vec![0u8; scratch_len(token.len())];
    let r = no_alloc("verify", || {
        keys.verifier.verify(&token, now, &case.policy, &mut buf)
    });
    if *SHOW_VERDICTS {
        eprintln!("verdict: {:?}", r.as_ref().map(|_| ()));
        eprintln!("header: {}", String::from_utf8_lossy(&header));
        eprintln!("claims: {}", String::from_utf8_lossy(&payload));
        eprintln!("now: {now} policy: {:?}", case.policy);
    }
    let p = &case.policy;
    match r {
        Err(Error::BufferTooSmall) => panic!("scratch_len({}) was not enough", token.len()),
        Ok(v) => {
            assert!(!tampered, "accepted a tampered signature");
            let Some(h) = oracle_view(&header, "header") else {
                return Ok(());
            };
            assert!(!h.has_duplicate());
            assert_eq!(h.get("alg").and_then(J::as_str), Some(v.header.alg.name()));
            assert!(p.algorithms.contains(v.header.alg));
            assert!(h.get("crit").is_none(), "accepted crit");
            assert!(h.get("zip").is_none(), "accepted zip");
            let cty = h
                .get("cty")
                .and_then(J::as_str)
                .map(str::to_ascii_lowercase);
            assert!(
                !matches!(cty.as_deref(), Some("jwt" | "application/jwt")),
                "accepted a nested token"
            );
            assert_eq!(
                v.header.alg.name(),
                ALGS[signer],
                "key of another algorithm accepted"
            );
            check_typ(p, h.get("typ")).expect("typ rule");
            let Some(c) = oracle_view(&payload, "claims") else {
                return Ok(());
            };
            assert!(!c.has_duplicate(), "accepted duplicate members");
            assert!(matches!(c, J::Obj(_)));
            check_claims(p, &c, now, &payload).expect("claims rule");
            // The claims read back as serde_json reads them.
            let cl = &v.claims;
            for (name, got) in [
                ("sub", cl.sub()),
                ("iss", cl.iss()),
                ("jti", cl.jti()),
                ("sid", cl.sid()),
                ("azp", cl.azp()),
                ("client_id", cl.client_id()),
                ("scope", cl.scope()),
            ] {
                assert_eq!(got, c.get(name).and_then(J::as_str), "claim {name}");
            }
            for (name, got) in [("exp", cl.exp()), ("nbf", cl.nbf()), ("iat", cl.iat())] {
                let want = c.get(name).map(|_| {
                    let raw = raw_member(&payload, name);
                    number_floor(&raw).expect("date") as i64
                });
                assert_eq!(got, want, "claim {name}");
            }
            let auds: Vec<&str> = cl.audiences().collect();
            let want: Vec<&str> = match c.get("aud") {
                None => vec![],
                Some(J::Str(s)) => vec![s],
                Some(J::Arr(a)) => a.iter().map(|x| x.as_str().unwrap()).collect(),
                Some(other) => panic!("aud {other:?} accepted"),
            };
            assert_eq!(auds, want, "aud");
        }
        Err(e) if (600..=629).contains(&e.code()) => {
            assert!(
                !tampered && signer == alg,
                "claims checked before the signature"
            );
            let (Some(c), Some(h)) = (
                oracle_view(&payload, "claims"),
                oracle_view(&header, "header"),
            ) else {
                return Ok(());
            };
            if let Some(broken) = claims_error(p, &c, h.get("typ"), now, &payload) {
                assert_eq!(e, broken, "claims verdict disagrees with the oracle");
            }
        }
        Err(e) if (300..=308).contains(&e.code()) => {
            // A JSON refusal must be explained by serde_json refusing the
            // header or the payload too, or by a documented strictness rule.
            let explains = |doc: &[u8]| match tree::parse(doc) {
                Err(_) => true,
                Ok(j) => match e {
                    Error::JsonDuplicateMember => j.has_duplicate(),
                    Error::JsonTooDeep => j.depth() > 32,
                    Error::JsonTooManyMembers => j.max_members() > 256,
                    Error::PayloadNotObject => doc == &payload[..] && !matches!(j, J::Obj(_)),
                    _ => false,
                },
            };
            assert!(
                explains(&header) || explains(&payload),
                "JSON refused ({e:?}) that serde_json accepts"
            );
        }
        Err(_) => {}
    }
    Ok(())
}

/// The raw text of top-level member `name` (decoded names compared), for exact numbers.
fn raw_member(doc: &[u8], name: &str) -> String {
    let v = verifier_core::json::parse(doc).unwrap();
    v.get(name).unwrap().raw().to_owned()
}

/// Whether `scope` or `scp` grants `want`: a string split on its raw
/// spaces (an escaped space does not split), or an array of strings; any
/// other shape, or a non-string element, is `ClaimWrongType`. Both members
/// are read, as the core does.
fn grants_scope(c: &J, payload: &[u8], want: &str) -> std::result::Result<bool, Error> {
    let mut found = false;
    for name in ["scope", "scp"] {
        match c.get(name) {
            None => {}
            Some(J::Str(_)) => {
                let raw = raw_member(payload, name);
                let inner = &raw[1..raw.len() - 1];
                found |= inner.split(' ').any(|w| {
                    serde_json::from_str::<String>(&format!("\"{w}\"")).is_ok_and(|w| w == want)
                });
            }
            Some(J::Arr(a)) => {
                for e in a {
                    let J::Str(e) = e else {
                        return Err(Error::ClaimWrongType);
                    };
                    found |= e == want;
                }
            }
            Some(_) => return Err(Error::ClaimWrongType),
        }
    }
    Ok(found)
}

fn typ_key(s: &str) -> String {
    let l = s.to_ascii_lowercase();
    l.strip_prefix("application/").unwrap_or(&l).to_owned()
}

fn check_typ(p: &Policy<'_>, typ: Option<&J>) -> std::result::Result<(), Error> {
    if p.typ.is_empty() {
        return Ok(());
    }
    match typ {
        None if p.allow_missing_typ => Ok(()),
        None => Err(Error::MissingTyp),
        Some(J::Str(t)) if t.len() <= 128 && p.typ.iter().any(|w| typ_key(w) == typ_key(t)) => {
            Ok(())
        }
        Some(_) => Err(Error::WrongTyp),
    }
}

/// The error the core must give, in its order: claim types while parsing,
/// then the ID-token profile's `typ` rule, `typ`, then the policy rules.
fn claims_error(p: &Policy<'_>, c: &J, typ: Option<&J>, now: i64, payload: &[u8]) -> Option<Error> {
    if let Err(e) = claim_types(c, payload) {
        return Some(e);
    }
    if p.profile == Profile::IdToken
        && let Some(J::Str(t)) = typ
        && t.len() <= 128
        && typ_key(t) == "at+jwt"
    {
        return Some(Error::AccessTokenAsIdToken);
    }
    if let Err(e) = check_typ(p, typ) {
        return Some(e);
    }
    match check_claims(p, c, now, payload) {
        Ok(()) => panic!("refused a token the oracle accepts"),
        Err(e) => Some(e),
    }
}

/// NumericDates of (exp, nbf, iat) as exact (ceil, floor).
type Dates = [Option<(i128, i128)>; 3];

/// Registered claims the core reads while parsing must have their types
/// (`sub`, `iss`, `aud`, the NumericDates, which must fit i64), checked
/// member by member in document order, as the core parses. `jti`, `sid`,
/// `azp`, `client_id` and `scope` are typed only by the checks that use them.
fn claim_types(c: &J, payload: &[u8]) -> std::result::Result<Dates, Error> {
    let J::Obj(members) = c else {
        return Err(Error::PayloadNotObject);
    };
    let mut dates = [None, None, None];
    for (name, v) in members {
        match name.as_str() {
            "sub" | "iss" if !matches!(v, J::Str(_)) => {
                return Err(Error::ClaimWrongType);
            }
            "aud" => match v {
                J::Str(_) => {}
                J::Arr(a) if a.iter().all(|x| matches!(x, J::Str(_))) => {}
                _ => return Err(Error::ClaimWrongType),
            },
            "exp" | "nbf" | "iat" => {
                if !matches!(v, J::Int(_) | J::Float(_)) {
                    return Err(Error::ClaimWrongType);
                }
                let raw = raw_member(payload, name);
                let (Some(ceil), Some(floor)) = (number_ceil(&raw), number_floor(&raw)) else {
                    return Err(Error::ClaimOutOfRange);
                };
                if i64::try_from(floor).is_err() {
                    return Err(Error::ClaimOutOfRange);
                }
                let slot = ["exp", "nbf", "iat"]
                    .iter()
                    .position(|n| n == name)
                    .unwrap();
                dates[slot] = Some((ceil, floor));
            }
            _ => {}
        }
    }
    Ok(dates)
}

/// The policy rules on a serde_json view of the claims; numbers exact.
fn check_claims(p: &Policy<'_>, c: &J, now: i64, payload: &[u8]) -> std::result::Result<(), Error> {
    let dates = claim_types(c, payload)?;
    let now = i128::from(now);
    let leeway = i128::from(p.leeway);
    let [exp, nbf, iat] = dates;
    match exp {
        None if p.require_exp => return Err(Error::MissingExp),
        Some((ceil, _)) if now >= ceil + leeway => return Err(Error::Expired),
        _ => {}
    }
    if let Some((ceil, _)) = nbf
        && now + leeway < ceil
    {
        return Err(Error::NotYetValid);
    }
    if let Some((ceil, _)) = iat
        && (p.reject_future_iat || p.max_age.is_some())
        && ceil > now + leeway
    {
        return Err(Error::IssuedInFuture);
    }
    if let Some(max_age) = p.max_age {
        let (_, floor) = iat.ok_or(Error::MissingIssuedAt)?;
        if now - floor > i128::from(max_age) + leeway {
            return Err(Error::TokenTooOld);
        }
    }
    let s = |n: &str| c.get(n).and_then(J::as_str);
    if !p.issuers.is_empty() {
        let iss = s("iss").ok_or(Error::MissingIssuer)?;
        if !p.issuers.contains(&iss) {
            return Err(Error::WrongIssuer);
        }
    }
    if !p.audiences.is_empty() {
        let auds: Vec<&str> = match c.get("aud") {
            Some(J::Str(a)) => vec![a],
            Some(J::Arr(a)) => a.iter().filter_map(J::as_str).collect(),
            _ => vec![],
        };
        if auds.is_empty() {
            return Err(Error::MissingAudience);
        }
        if !auds.iter().any(|a| p.audiences.contains(a)) {
            return Err(Error::WrongAudience);
        }
    }
    // A lenient claim is typed by the check that uses it.
    let checked = |n: &str| match c.get(n) {
        None => Ok(None),
        Some(J::Str(v)) => Ok(Some(v.as_str())),
        Some(_) => Err(Error::ClaimWrongType),
    };
    let id_token = p.profile == Profile::IdToken;
    if !p.authorized_parties.is_empty() || id_token {
        let azp = checked("azp")?;
        let several = matches!(c.get("aud"), Some(J::Arr(a)) if a.len() > 1);
        if id_token && azp.is_none() && several {
            return Err(Error::MissingAuthorizedParty);
        }
        let allowed = if p.authorized_parties.is_empty() {
            p.audiences
        } else {
            p.authorized_parties
        };
        if let Some(azp) = azp
            && !allowed.contains(&azp)
        {
            return Err(Error::WrongAuthorizedParty);
        }
    }
    let access = p.profile == Profile::AccessToken;
    if !p.client_ids.is_empty() || access {
        let id = checked("client_id")?.ok_or(Error::MissingClientId)?;
        if !p.client_ids.is_empty() && !p.client_ids.contains(&id) {
            return Err(Error::WrongClientId);
        }
    }
    if (p.require_sub || access) && s("sub").is_none() {
        return Err(Error::MissingSubject);
    }
    if access {
        if iat.is_none() {
            return Err(Error::MissingIssuedAt);
        }
        if checked("jti")?.is_none() {
            return Err(Error::MissingJti);
        }
    }
    for want in p.required_scopes {
        if !grants_scope(c, payload, want)? {
            return Err(Error::MissingScope);
        }
    }
    Ok(())
}
