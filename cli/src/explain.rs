//! The detail of a rejection: which check failed, with the numbers and names
//! it compared. The core says *what* failed (an `Error`); this module decodes
//! the token again, unverified, to say *why*, quoting the token's values.
//!
//! Everything here runs after the verdict and only shapes the message: a
//! token it cannot decode gets the error's generic message, never a panic.

use base64ct::{Base64UrlUnpadded, Encoding as _};
use verifier_core::json::{self, Kind, Value};
use verifier_core::{AlgSet, Algorithm, Error, Header, KeySet, Policy, token};

use crate::policy::alg_list;

/// What the check compared against: the pinned keys, the policy, the time.
pub struct Context<'a, const N: usize> {
    pub keys: &'a KeySet<N>,
    pub policy: &'a Policy<'a, String>,
    pub now: i64,
    pub max_token_len: usize,
}

/// The token's parts, decoded without any check of the signature.
struct Decoded {
    header: Option<Vec<u8>>,
    payload: Option<Vec<u8>>,
    signature: Option<Vec<u8>>,
}

fn decode(token: &[u8]) -> Option<Decoded> {
    let seg = token::split(token, usize::MAX).ok()?;
    Some(Decoded {
        header: b64(seg.header),
        payload: b64(seg.payload),
        signature: b64(seg.signature),
    })
}

/// Strict base64url, as the verifier decodes.
fn b64(seg: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![0u8; token::decoded_len(seg).ok()?];
    let n = token::decode(seg, &mut out).ok()?.len();
    out.truncate(n);
    Some(out)
}

/// The detail sentence for `err` (without the error name).
pub fn detail<const N: usize>(err: Error, token: &[u8], cx: &Context<'_, N>) -> String {
    explain(err, token, cx).unwrap_or_else(|| err.message().to_owned())
}

fn explain<const N: usize>(err: Error, token: &[u8], cx: &Context<'_, N>) -> Option<String> {
    use Error::*;
    match err {
        TokenTooLarge => {
            return Some(format!(
                "token is {} bytes, the maximum is {}",
                token.len(),
                cx.max_token_len
            ));
        }
        MalformedToken => return Some(framing(token)),
        BadBase64 => return bad_base64(token),
        _ => {}
    }
    let parts = decode(token)?;
    let header_json = parts.header.as_deref()?;
    // A header error is explained here; a JSON error here is the header's, not the payload's.
    let header = match Header::parse(header_json) {
        Ok(h) => h,
        Err(e) if e == err => return Some(header_problem(err, header_json)),
        Err(_) => return None,
    };
    let alg = header.alg;
    let policy = cx.policy;
    let payload_json = parts.payload.as_deref();
    let payload = payload_json.and_then(|p| json::parse(p).ok());
    let claim = |name: &str| payload.and_then(|p| p.get(name));
    let detail = match err {
        UnknownKid => {
            let kid = text(&header.raw.get("kid")?);
            let kids: Vec<String> = cx
                .keys
                .iter()
                .filter_map(|k| k.kid().map(|k| format!("{k:?}")))
                .collect();
            format!(
                "header kid {kid:?} matches none of the pinned keys ({})",
                kids.join(", ")
            )
        }
        NoMatchingKey => {
            let max = verifier_core::keys::MAX_CANDIDATES;
            match header.kid.as_ref() {
                Some(kid) => {
                    let n = cx
                        .keys
                        .iter()
                        .filter(|k| k.allows(alg) && k.kid().is_some_and(|m| kid.eq_str(m)))
                        .count();
                    format!(
                        "header kid {:?} is carried by {n} pinned keys that verify {}, more than the {max} a token may be tried against",
                        kid.chars().collect::<String>(),
                        alg.name()
                    )
                }
                None => {
                    let n = cx.keys.iter().filter(|k| k.allows(alg)).count();
                    format!(
                        "the token has no kid and {n} pinned keys verify {}, more than the {max} a token may be tried against",
                        alg.name()
                    )
                }
            }
        }
        AlgNotAllowedForKey => match header.kid.as_ref() {
            Some(kid)
                if cx
                    .keys
                    .iter()
                    .any(|k| k.kid().is_some_and(|m| kid.eq_str(m))) =>
            {
                let kid = kid.chars().collect::<String>();
                let key = cx.keys.iter().find(|k| k.kid() == Some(kid.as_str()))?;
                format!(
                    "header alg {} but the key with kid {kid:?} verifies only {}",
                    alg.name(),
                    alg_list(key.algorithms())
                )
            }
            kid => {
                // The keys `candidates` considered: all for a token without
                // kid, else the ones marked to answer any kid.
                let algs = cx
                    .keys
                    .iter()
                    .filter(|k| kid.is_none() || k.matches_any_kid())
                    .flat_map(|k| k.algorithms().iter())
                    .fold(AlgSet::EMPTY, AlgSet::with);
                format!(
                    "no pinned key that could be chosen verifies {} (they verify {})",
                    alg.name(),
                    alg_list(algs)
                )
            }
        },
        BadSignature => {
            let tried: Vec<usize> = cx
                .keys
                .candidates(header.kid.as_ref(), alg)
                .ok()?
                .iter()
                .collect();
            match tried.as_slice() {
                [i] => format!(
                    "{} signature does not verify with {}",
                    alg.name(),
                    key_name(cx.keys, *i)
                ),
                many => format!(
                    "{} signature verifies with none of the {} keys tried ({})",
                    alg.name(),
                    many.len(),
                    many.iter()
                        .map(|&i| key_name(cx.keys, i))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        }
        KeyIssuerMismatch => {
            let bound: Vec<String> = cx
                .keys
                .iter()
                .filter_map(|k| k.issuer().map(|i| format!("{i:?}")))
                .collect();
            match claim("iss").map(|v| text(&v)) {
                Some(iss) => format!(
                    "token iss {iss:?} is not the issuer its key is bound to (bound issuers: {})",
                    bound.join(", ")
                ),
                None => "the token has no iss and its key is bound to an issuer".to_string(),
            }
        }
        BadSignatureLength => {
            let got = parts.signature.as_ref().map_or(0, Vec::len);
            match expected_sig_len(alg) {
                Some(want) => format!("{} signature is {got} bytes, expected {want}", alg.name()),
                None => format!(
                    "{} signature is {got} bytes, not the key's modulus size",
                    alg.name()
                ),
            }
        }
        AlgNotAllowedByPolicy => format!(
            "header alg {} is not in the allow-list ({})",
            alg.name(),
            alg_list(policy.algorithms)
        ),
        MissingTyp => format!("header has no typ; expected {}", one_of(policy.typ)),
        WrongTyp => format!(
            "header typ {:?} is not {}",
            text(&header.raw.get("typ")?),
            one_of(policy.typ)
        ),
        JsonSyntax | JsonTooDeep | JsonDuplicateMember | JsonInvalidUtf8 | JsonControlChar
        | JsonBadEscape | JsonTrailingData | JsonTooManyMembers => {
            format!("{} in the payload", err.message())
        }
        PayloadNotObject => {
            let v = json::parse(payload_json?).ok()?;
            format!("the payload is {}, not a JSON object", kind_name(v.kind()))
        }
        Expired => {
            let exp = time(&claim("exp")?)?;
            format!(
                "exp {} is {} before now, leeway {} s",
                exp.raw,
                span(i128::from(cx.now) - exp.ceil),
                policy.leeway
            )
        }
        NotYetValid => {
            let nbf = time(&claim("nbf")?)?;
            format!(
                "nbf {} is {} after now, leeway {} s",
                nbf.raw,
                span(nbf.ceil - i128::from(cx.now)),
                policy.leeway
            )
        }
        IssuedInFuture => {
            let iat = time(&claim("iat")?)?;
            format!(
                "iat {} is {} after now, leeway {} s",
                iat.raw,
                span(iat.ceil - i128::from(cx.now)),
                policy.leeway
            )
        }
        TokenTooOld => {
            let iat = time(&claim("iat")?)?;
            format!(
                "iat {} is {} before now, max age {} s, leeway {} s",
                iat.raw,
                span(i128::from(cx.now) - i128::from(iat.floor)),
                policy.max_age?,
                policy.leeway
            )
        }
        MissingExp => "token has no exp, and one is required".into(),
        MissingIssuedAt => format!(
            "token has no iat, needed to enforce the max age of {} s",
            policy.max_age?
        ),
        ClaimWrongType => wrong_type(&payload?)?,
        ClaimOutOfRange => {
            let (name, v) = ["exp", "nbf", "iat"]
                .into_iter()
                .filter_map(|n| Some((n, claim(n)?.as_number()?)))
                .find(|(_, v)| v.to_seconds_floor().is_none())?;
            format!("{name} {} is out of range for a time in seconds", v.raw())
        }
        MissingIssuer => format!("token has no iss; expected {}", one_of(policy.issuers)),
        WrongIssuer => format!(
            "iss {:?} is not {}",
            text(&claim("iss")?),
            one_of(policy.issuers)
        ),
        MissingAudience => format!("token has no aud; expected {}", one_of(policy.audiences)),
        WrongAudience => {
            let aud = claim("aud")?;
            let got: Vec<String> = match aud.kind() {
                Kind::Array => aud.elements().map(|e| format!("{:?}", text(&e))).collect(),
                _ => vec![format!("{:?}", text(&aud))],
            };
            format!(
                "aud [{}] contains none of {}",
                got.join(", "),
                list(policy.audiences)
            )
        }
        WrongAuthorizedParty => format!(
            "azp {:?} is not {}",
            text(&claim("azp")?),
            one_of(policy.authorized_parties)
        ),
        MissingClientId => format!(
            "token has no client_id; expected {}",
            one_of(policy.client_ids)
        ),
        WrongClientId => format!(
            "client_id {:?} is not {}",
            text(&claim("client_id")?),
            one_of(policy.client_ids)
        ),
        MissingSubject => "token has no sub".into(),
        MissingScope => {
            let scope = claim("scope").map(|s| text(&s));
            let have: Vec<&str> = scope.as_deref().unwrap_or("").split(' ').collect();
            let missing: Vec<String> = policy
                .required_scopes
                .iter()
                .filter(|s| !have.contains(&s.as_str()))
                .cloned()
                .collect();
            match scope {
                Some(s) => format!("scope {s:?} lacks {}", list(&missing)),
                None => format!("token has no scope; required {}", list(&missing)),
            }
        }
        _ => return None,
    };
    Some(detail)
}

fn framing(token: &[u8]) -> String {
    let segments = token.iter().filter(|b| **b == b'.').count() + 1;
    if segments != 3 {
        format!("token has {segments} '.'-separated segments, a compact JWS has 3")
    } else {
        "the header segment is empty".into()
    }
}

fn bad_base64(token: &[u8]) -> Option<String> {
    let seg = token::split(token, usize::MAX).ok()?;
    let (name, s) = [
        ("header", seg.header),
        ("payload", seg.payload),
        ("signature", seg.signature),
    ]
    .into_iter()
    .find(|(_, s)| Base64UrlUnpadded::decode_vec(&String::from_utf8_lossy(s)).is_err())?;
    let why = if s.contains(&b'=') {
        " (it has '=' padding)"
    } else if s.iter().any(|b| matches!(b, b'+' | b'/')) {
        " (it uses the standard alphabet's '+' or '/')"
    } else if s.iter().any(u8::is_ascii_whitespace) {
        " (it contains whitespace)"
    } else if token::decoded_len(s).is_err() {
        " (its length is impossible)"
    } else {
        ""
    };
    Some(format!(
        "the {name} segment is not canonical unpadded base64url{why}"
    ))
}

fn header_problem(err: Error, header_json: &[u8]) -> String {
    let raw = json::parse(header_json).ok();
    let get = |name: &str| raw.and_then(|r| r.get(name));
    match err {
        Error::MalformedHeader => match raw {
            Some(v) => format!("the header is {}, not a JSON object", kind_name(v.kind())),
            None => err.message().to_owned(),
        },
        Error::AlgNone => format!(
            "header alg {:?}: unsigned tokens are never accepted",
            get("alg").map(|a| text(&a)).unwrap_or_default()
        ),
        Error::UnsupportedAlg => format!(
            "header alg {:?} is not supported (supported: {})",
            get("alg").map(|a| text(&a)).unwrap_or_default(),
            alg_list(verifier_core::AlgSet::ALL)
        ),
        Error::UnknownCrit => match get("crit") {
            Some(c) if c.kind() == Kind::Array && c.elements().next().is_some() => format!(
                "header crit {} names extensions this verifier does not understand",
                c.raw()
            ),
            Some(c) => format!(
                "header crit {} is not a non-empty array of extension names",
                c.raw()
            ),
            None => err.message().to_owned(),
        },
        Error::HeaderWrongType => ["alg", "kid", "typ", "cty", "b64"]
            .into_iter()
            .filter_map(|n| Some((n, get(n)?)))
            .find_map(|(n, v)| {
                let (want, expected) = match n {
                    "b64" => (Kind::Bool, "a boolean"),
                    _ => (Kind::String, "a string"),
                };
                (v.kind() != want)
                    .then(|| format!("header {n} is {}, expected {expected}", kind_name(v.kind())))
            })
            .unwrap_or_else(|| err.message().to_owned()),
        Error::JsonSyntax
        | Error::JsonTooDeep
        | Error::JsonDuplicateMember
        | Error::JsonInvalidUtf8
        | Error::JsonControlChar
        | Error::JsonBadEscape
        | Error::JsonTrailingData
        | Error::JsonTooManyMembers => format!("{} in the header", err.message()),
        _ => err.message().to_owned(),
    }
}

/// The first registered claim whose JSON type the verifier refuses.
fn wrong_type(payload: &Value<'_>) -> Option<String> {
    for (name, v) in payload.members() {
        let name = name.chars().collect::<String>();
        let expected = match name.as_str() {
            "exp" | "nbf" | "iat" if v.kind() != Kind::Number => "a number (NumericDate)",
            "sub" | "iss" | "jti" | "sid" | "azp" | "client_id" | "scope"
                if v.kind() != Kind::String =>
            {
                "a string"
            }
            "aud" if v.kind() == Kind::Array => {
                match v.elements().find(|e| e.kind() != Kind::String) {
                    Some(e) => {
                        return Some(format!(
                            "aud contains {}, expected only strings",
                            kind_name(e.kind())
                        ));
                    }
                    None => continue,
                }
            }
            "aud" if v.kind() != Kind::String => "a string or an array of strings",
            _ => continue,
        };
        return Some(format!(
            "{name} is {}, expected {expected}",
            kind_name(v.kind())
        ));
    }
    None
}

/// A NumericDate as written, and its ceiling (what the time checks compare).
struct Time {
    raw: String,
    floor: i64,
    ceil: i128,
}

fn time(v: &Value<'_>) -> Option<Time> {
    let n = v.as_number()?;
    // Same exact rule as core: the fraction is judged on the digits.
    let (floor, fractional) = n.to_seconds()?;
    Some(Time {
        raw: n.raw().to_owned(),
        floor,
        ceil: i128::from(floor) + i128::from(fractional),
    })
}

/// `42 s`, or `31843581 s (368 d 13 h)` when the seconds alone are hard to read.
fn span(secs: i128) -> String {
    let a = secs.unsigned_abs();
    match a {
        0..3600 => format!("{secs} s"),
        3600..86_400 => format!("{secs} s ({} h {} min)", a / 3600, a % 3600 / 60),
        _ => format!("{secs} s ({} d {} h)", a / 86_400, a % 86_400 / 3600),
    }
}

/// A string value unescaped, anything else as its JSON text.
pub fn text(v: &Value<'_>) -> String {
    match v.as_str() {
        Some(s) => s.chars().collect(),
        None => v.raw().to_owned(),
    }
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Object => "an object",
        Kind::Array => "an array",
        Kind::String => "a string",
        Kind::Number => "a number",
        Kind::Bool => "a boolean",
        Kind::Null => "null",
    }
}

/// `"a"` or `one of "a", "b"`.
fn one_of(set: &[String]) -> String {
    match set {
        [one] => format!("{one:?}"),
        _ => format!("one of {}", list(set)),
    }
}

fn list(set: &[String]) -> String {
    set.iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn key_name<const N: usize>(keys: &KeySet<N>, i: usize) -> String {
    match keys.get(i).and_then(|k| k.kid()) {
        Some(kid) => format!("the key with kid {kid:?}"),
        None => format!("pinned key #{} (no kid)", i + 1),
    }
}

/// Fixed signature sizes; RSA's follows the key's modulus.
fn expected_sig_len(alg: Algorithm) -> Option<usize> {
    use Algorithm::*;
    match alg {
        ES256 | EdDSA => Some(64),
        ES384 => Some(96),
        HS256 => Some(32),
        HS384 => Some(48),
        HS512 => Some(64),
        _ => None,
    }
}
