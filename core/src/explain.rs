//! The detail of a rejection: which check failed, with the numbers and names
//! it compared ("exp 1764000060 is 10 s before now, leeway 5 s"). The
//! verifier says *what* failed (an [`Error`]); this decodes the token again,
//! unverified, to say *why*, quoting the token's values.
//!
//! One implementation for every front end (the CLI, the C ABI): it writes to
//! any [`core::fmt::Write`] and needs only a caller's scratch buffer. It runs
//! after the verdict and only shapes the message: a token it cannot decode
//! gets the error's generic message, never a panic. Every explanation first
//! gathers what it quotes and only then writes, so a failed look-up never
//! leaves half a sentence before the fallback.

use core::fmt::{self, Display, Formatter, Write};

use crate::json::{self, JsonStr, Kind, Value};
use crate::{AlgSet, Algorithm, Error, Header, KeySet, Policy, token};

/// What the check compared against: the pinned keys, the policy, the time.
pub struct Context<'a, 'p, const N: usize, S: AsRef<str>> {
    /// The verifier's keys.
    pub keys: &'a KeySet<N>,
    /// The policy the token was checked against.
    pub policy: &'a Policy<'p, S>,
    /// The time of the check (seconds since the epoch).
    pub now: i64,
    /// The verifier's maximum token length.
    pub max_token_len: usize,
}

/// Scratch bytes [`write_detail`] needs for a token of `token_len` bytes
/// (decoded header and payload, then room to unescape the `scope`). With
/// less it may fall back to the generic message.
pub const fn scratch_len(token_len: usize) -> usize {
    crate::scratch_len(token_len)
}

/// Write the detail sentence for `err` (without the error name) to `out`:
/// the explanation when the token can be decoded far enough, else
/// `err.message()`.
pub fn write_detail<W: Write, const N: usize, S: AsRef<str>>(
    out: &mut W,
    err: Error,
    token: &[u8],
    cx: &Context<'_, '_, N, S>,
    scratch: &mut [u8],
) -> fmt::Result {
    match explain(out, err, token, cx, scratch) {
        Some(result) => result,
        None => out.write_str(err.message()),
    }
}

/// `None`: nothing was written, use the generic message.
fn explain<W: Write, const N: usize, S: AsRef<str>>(
    out: &mut W,
    err: Error,
    token: &[u8],
    cx: &Context<'_, '_, N, S>,
    scratch: &mut [u8],
) -> Option<fmt::Result> {
    use Error::*;
    match err {
        TokenTooLarge => {
            return Some(write!(
                out,
                "token is {} bytes, the maximum is {}",
                token.len(),
                cx.max_token_len
            ));
        }
        MalformedToken => return Some(framing(out, token)),
        BadBase64 => return bad_base64(out, token, scratch),
        _ => {}
    }
    let seg = token::split(token, usize::MAX).ok()?;
    let h_len = token::decoded_len(seg.header).ok()?;
    if scratch.len() < h_len {
        return None;
    }
    let (h_buf, rest) = scratch.split_at_mut(h_len);
    let header_json = token::decode(seg.header, h_buf).ok()?;
    // The payload may not decode; a header error is still explained.
    let p_len = token::decoded_len(seg.payload).unwrap_or(0);
    let (p_buf, tail) = rest.split_at_mut(p_len.min(rest.len()));
    let payload_json = token::decode(seg.payload, p_buf).ok();
    // A header error is explained here; a JSON error here is the header's, not the payload's.
    let header = match Header::parse(header_json) {
        Ok(h) => h,
        Err(e) if e == err => return Some(header_problem(out, err, header_json)),
        Err(_) => return None,
    };
    let alg = header.alg;
    let policy = cx.policy;
    let payload = payload_json.and_then(|p| json::parse(p).ok());
    let claim = |name: &str| payload.and_then(|p| p.get(name));
    let r = match err {
        UnknownKid => {
            let kid = header.raw.get("kid")?;
            // Keys pinned without an id answer a kid only when marked to.
            let idless = cx
                .keys
                .iter()
                .filter(|k| k.kid().is_none() && !k.matches_any_kid())
                .count();
            if cx.keys.iter().any(|k| k.kid().is_some()) {
                write!(
                    out,
                    "header kid {} matches none of the pinned keys ({})",
                    Quoted(kid),
                    Kids(cx.keys)
                )
            } else {
                write!(
                    out,
                    "header kid {} matches none of the pinned keys: none has a kid, and the \
                     {idless} pinned without one are not marked to answer any kid",
                    Quoted(kid)
                )
            }
        }
        NoMatchingKey => {
            // More fitting keys than a token may be tried against.
            let max = crate::keys::MAX_CANDIDATES;
            match header.kid.as_ref() {
                Some(kid) => {
                    let n = cx
                        .keys
                        .iter()
                        .filter(|k| k.allows(alg) && k.kid_matches(kid))
                        .count();
                    write!(
                        out,
                        "header kid {} is carried by {n} pinned keys that verify {}, \
                         more than the {max} a token may be tried against",
                        QuotedStr(kid),
                        alg.name()
                    )
                }
                None => {
                    let n = cx.keys.iter().filter(|k| k.allows(alg)).count();
                    write!(
                        out,
                        "the token has no kid and {n} pinned keys verify {}, \
                         more than the {max} a token may be tried against",
                        alg.name()
                    )
                }
            }
        }
        AlgNotAllowedForKey => {
            let named = header.kid.as_ref().and_then(|kid| {
                let key = cx.keys.iter().find(|k| k.kid_matches(kid))?;
                Some((kid, key))
            });
            match named {
                Some((kid, key)) => write!(
                    out,
                    "header alg {} but the key with kid {} verifies only {}",
                    alg.name(),
                    QuotedStr(kid),
                    Algs(key.algorithms())
                ),
                None => {
                    // The keys `candidates` considered: all for a token without
                    // kid, else the ones marked to answer any kid.
                    let kid = header.kid.as_ref();
                    let algs = cx
                        .keys
                        .iter()
                        .filter(|k| kid.is_none() || k.matches_any_kid())
                        .flat_map(|k| k.algorithms().iter())
                        .fold(AlgSet::EMPTY, AlgSet::with);
                    write!(
                        out,
                        "no pinned key that could be chosen verifies {} (they verify {})",
                        alg.name(),
                        Algs(algs)
                    )
                }
            }
        }
        BadSignature => {
            let tried = cx.keys.candidates(header.kid.as_ref(), alg).ok()?;
            let first = tried.iter().next()?;
            let key_name = |out: &mut W, i: usize| match cx.keys.get(i).and_then(|k| k.kid()) {
                Some(kid) => write!(out, "the key with kid {kid:?}"),
                None => write!(out, "pinned key #{} (no kid)", i + 1),
            };
            if tried.iter().count() == 1 {
                write!(out, "{} signature does not verify with ", alg.name())
                    .and_then(|()| key_name(out, first))
            } else {
                write!(
                    out,
                    "{} signature verifies with none of the {} keys tried (",
                    alg.name(),
                    tried.iter().count()
                )
                .and_then(|()| {
                    for (n, i) in tried.iter().enumerate() {
                        if n > 0 {
                            out.write_str(", ")?;
                        }
                        key_name(out, i)?;
                    }
                    out.write_str(")")
                })
            }
        }
        #[cfg(feature = "rsa")]
        PssSaltLength => {
            // Which salt the signature carries: the candidate key it
            // verifies with, but for the salt length.
            let tried = cx.keys.candidates(header.kid.as_ref(), alg).ok()?;
            let mut sig = [0u8; crate::verifier::MAX_SIGNATURE_LEN];
            let sig = token::decode(seg.signature, &mut sig).ok()?;
            let found = tried.iter().find_map(|i| {
                crate::signature::pss_salt_len(cx.keys.get(i)?, alg, seg.signing_input, sig)
            })?;
            write!(
                out,
                "{} signature uses a {found}-byte salt; RFC 7518 requires {}",
                alg.name(),
                alg.hash().output_len()
            )
        }
        KeyIssuerMismatch => match claim("iss") {
            Some(iss) => write!(
                out,
                "token iss {} is not the issuer its key is bound to (bound issuers: {})",
                Quoted(iss),
                BoundIssuers(cx.keys)
            ),
            None => out.write_str("the token has no iss and its key is bound to an issuer"),
        },
        BadSignatureLength => {
            let got = token::decoded_len(seg.signature).unwrap_or(0);
            match expected_sig_len(alg) {
                Some(want) => write!(
                    out,
                    "{} signature is {got} bytes, expected {want}",
                    alg.name()
                ),
                None => write!(
                    out,
                    "{} signature is {got} bytes, not the key's modulus size",
                    alg.name()
                ),
            }
        }
        AlgNotAllowedByPolicy => write!(
            out,
            "header alg {} is not in the allow-list ({})",
            alg.name(),
            Algs(policy.algorithms)
        ),
        MissingTyp => write!(out, "header has no typ; expected {}", OneOf(policy.typ)),
        WrongTyp => {
            let typ = header.raw.get("typ")?;
            write!(
                out,
                "header typ {} is not {}",
                Quoted(typ),
                OneOf(policy.typ)
            )
        }
        JsonSyntax | JsonTooDeep | JsonDuplicateMember | JsonInvalidUtf8 | JsonControlChar
        | JsonBadEscape | JsonTrailingData | JsonTooManyMembers => {
            write!(out, "{} in the payload", err.message())
        }
        PayloadNotObject => {
            let v = json::parse(payload_json?).ok()?;
            write!(
                out,
                "the payload is {}, not a JSON object",
                kind_name(v.kind())
            )
        }
        Expired => {
            let exp = time(&claim("exp")?)?;
            write!(
                out,
                "exp {} is {} before now, leeway {} s",
                exp.raw,
                Span(i128::from(cx.now) - exp.ceil),
                policy.leeway
            )
        }
        NotYetValid => {
            let nbf = time(&claim("nbf")?)?;
            write!(
                out,
                "nbf {} is {} after now, leeway {} s",
                nbf.raw,
                Span(nbf.ceil - i128::from(cx.now)),
                policy.leeway
            )
        }
        IssuedInFuture => {
            let iat = time(&claim("iat")?)?;
            write!(
                out,
                "iat {} is {} after now, leeway {} s",
                iat.raw,
                Span(iat.ceil - i128::from(cx.now)),
                policy.leeway
            )
        }
        TokenTooOld => {
            let iat = time(&claim("iat")?)?;
            let max_age = policy.max_age?;
            write!(
                out,
                "iat {} is {} before now, max age {max_age} s, leeway {} s",
                iat.raw,
                Span(i128::from(cx.now) - i128::from(iat.floor)),
                policy.leeway
            )
        }
        MissingExp => out.write_str("token has no exp, and one is required"),
        MissingIssuedAt => {
            let max_age = policy.max_age?;
            write!(
                out,
                "token has no iat, needed to enforce the max age of {max_age} s"
            )
        }
        ClaimWrongType => return wrong_type(out, &payload?, policy),
        ClaimOutOfRange => {
            let date = ["exp", "nbf", "iat", "auth_time"]
                .into_iter()
                .filter_map(|n| Some((n, claim(n)?.as_number()?)))
                .find(|(_, v)| v.to_seconds_floor().is_none());
            match date {
                Some((name, v)) => write!(
                    out,
                    "{name} {} is out of range for a time in seconds",
                    v.raw()
                ),
                // The Firebase check's other range: the uid's length.
                None if policy.claim_checks.require_auth_time => out
                    .write_str("sub is longer than 128 characters (a Firebase uid is at most 128)"),
                None => return None,
            }
        }
        MissingIssuer => write!(out, "token has no iss; expected {}", OneOf(policy.issuers)),
        WrongIssuer => {
            let iss = claim("iss")?;
            write!(out, "iss {} is not {}", Quoted(iss), OneOf(policy.issuers))
        }
        MissingAudience => write!(
            out,
            "token has no aud; expected {}",
            OneOf(policy.audiences)
        ),
        WrongAudience => {
            let aud = claim("aud")?;
            write!(
                out,
                "aud [{}] contains none of {}",
                Audiences(aud),
                List(policy.audiences)
            )
        }
        MissingRequiredAudience => {
            let aud = claim("aud")?;
            write!(
                out,
                "aud [{}] lacks {}; every one of {} is required",
                Audiences(aud),
                MissingAuds {
                    required: policy.audiences,
                    aud
                },
                List(policy.audiences)
            )
        }
        MissingAuthorizedParty if policy.require_azp => {
            if policy.authorized_parties.is_empty() {
                out.write_str("token has no azp, and the policy requires one")
            } else {
                write!(
                    out,
                    "token has no azp, and the policy requires one: {}",
                    OneOf(policy.authorized_parties)
                )
            }
        }
        MissingAuthorizedParty => {
            let n = claim("aud")?.elements().count();
            write!(
                out,
                "ID token with {n} audiences has no azp (OpenID Connect Core 3.1.3.7)"
            )
        }
        WrongAuthorizedParty => {
            let azp = claim("azp")?;
            write!(
                out,
                "azp {} is not {}",
                Quoted(azp),
                OneOf(policy.authorized_parties)
            )
        }
        MissingClientId => write!(
            out,
            "token has no client_id; expected {}",
            OneOf(policy.client_ids)
        ),
        WrongClientId => {
            let id = claim("client_id")?;
            write!(
                out,
                "client_id {} is not {}",
                Quoted(id),
                OneOf(policy.client_ids)
            )
        }
        MissingSubject if !policy.subjects.is_empty() => {
            write!(out, "token has no sub; expected {}", OneOf(policy.subjects))
        }
        MissingSubject => out.write_str("token has no sub"),
        WrongSubject => {
            let sub = claim("sub")?;
            write!(out, "sub {} is not {}", Quoted(sub), OneOf(policy.subjects))
        }
        UnknownIssuer => {
            let iss = claim("iss")?;
            write!(out, "iss {} names no configured issuer route", Quoted(iss))
        }
        MissingScope => {
            let required = policy.required_scopes;
            match claim("scope") {
                Some(v) => {
                    // Scopes are compared unescaped, as the policy does.
                    let have = match v.as_str() {
                        Some(s) => match s.as_unescaped() {
                            Some(plain) => plain,
                            None => s.unescape_into(tail).ok()?,
                        },
                        None => v.raw(),
                    };
                    write!(
                        out,
                        "scope {have:?} lacks {}",
                        Missing {
                            required,
                            have: Some(have)
                        }
                    )
                }
                None => write!(
                    out,
                    "token has no scope; required {}",
                    Missing {
                        required,
                        have: None
                    }
                ),
            }
        }
        // Provider claim checks (policy::ClaimChecks).
        MissingTokenUse | WrongTokenUse => {
            let want = policy.claim_checks.token_use?;
            match claim("token_use") {
                Some(v) => write!(out, "token_use {} is not \"{want}\"", Quoted(v)),
                None => write!(out, "token has no token_use; expected \"{want}\""),
            }
        }
        MissingTypClaim | WrongTypClaim => {
            let want = policy.claim_checks.typ_claim?;
            match claim("typ") {
                Some(v) => write!(out, "typ claim {} is not \"{want}\"", Quoted(v)),
                None => write!(out, "token has no typ claim; expected \"{want}\""),
            }
        }
        MissingRole | WrongRole => {
            let roles = policy.claim_checks.roles;
            match claim("role") {
                Some(v) => write!(out, "role {} is not {}", Quoted(v), OneOf(roles)),
                None => write!(out, "token has no role; expected {}", OneOf(roles)),
            }
        }
        MissingTenant => out.write_str("token has no tid, the tenant its issuer must name"),
        WrongTenant => {
            let tid = claim("tid")?;
            let iss = claim("iss")?;
            write!(
                out,
                "tid {} is not the tenant of iss {}",
                Quoted(tid),
                Quoted(iss)
            )
        }
        MissingCid => write!(
            out,
            "token has no cid; expected {}",
            OneOf(policy.client_ids)
        ),
        WrongCid => {
            let cid = claim("cid")?;
            write!(
                out,
                "cid {} is not {}",
                Quoted(cid),
                OneOf(policy.client_ids)
            )
        }
        MissingAuthTime => out.write_str("token has no auth_time, and one is required"),
        AuthTimeInFuture => {
            let at = time(&claim("auth_time")?)?;
            write!(
                out,
                "auth_time {} is {} after now, leeway {} s",
                at.raw,
                Span(at.ceil - i128::from(cx.now)),
                policy.leeway
            )
        }
        _ => return None,
    };
    Some(r)
}

fn framing<W: Write>(out: &mut W, token: &[u8]) -> fmt::Result {
    let segments = token.iter().filter(|b| **b == b'.').count() + 1;
    if segments != 3 {
        write!(
            out,
            "token has {segments} '.'-separated segments, a compact JWS has 3"
        )
    } else {
        out.write_str("the header segment is empty")
    }
}

fn bad_base64<W: Write>(out: &mut W, token: &[u8], scratch: &mut [u8]) -> Option<fmt::Result> {
    let seg = token::split(token, usize::MAX).ok()?;
    let mut decodes = |s: &[u8]| -> Option<bool> {
        match token::decoded_len(s) {
            Err(_) => Some(false),
            Ok(n) if n > scratch.len() => None,
            Ok(_) => Some(token::decode(s, scratch).is_ok()),
        }
    };
    let mut bad = None;
    for (name, s) in [
        ("header", seg.header),
        ("payload", seg.payload),
        ("signature", seg.signature),
    ] {
        if !decodes(s)? {
            bad = Some((name, s));
            break;
        }
    }
    let (name, s) = bad?;
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
    Some(write!(
        out,
        "the {name} segment is not canonical unpadded base64url{why}"
    ))
}

fn header_problem<W: Write>(out: &mut W, err: Error, header_json: &[u8]) -> fmt::Result {
    let raw = json::parse(header_json).ok();
    let get = |name: &str| raw.and_then(|r| r.get(name));
    match err {
        Error::MalformedHeader => match raw {
            Some(v) => write!(
                out,
                "the header is {}, not a JSON object",
                kind_name(v.kind())
            ),
            None => out.write_str(err.message()),
        },
        Error::AlgNone => write!(
            out,
            "header alg {}: unsigned tokens are never accepted",
            OptQuoted(get("alg"))
        ),
        Error::UnsupportedAlg => write!(
            out,
            "header alg {} is not supported (supported: {})",
            OptQuoted(get("alg")),
            Algs(AlgSet::ALL)
        ),
        Error::UnknownCrit => match get("crit") {
            Some(c) if c.kind() == Kind::Array && c.elements().next().is_some() => write!(
                out,
                "header crit {} names extensions this verifier does not understand",
                c.raw()
            ),
            Some(c) => write!(
                out,
                "header crit {} is not a non-empty array of extension names",
                c.raw()
            ),
            None => out.write_str(err.message()),
        },
        Error::HeaderWrongType => {
            let wrong = ["alg", "kid", "typ", "cty", "b64"]
                .into_iter()
                .filter_map(|n| Some((n, get(n)?)))
                .find_map(|(n, v)| {
                    let (want, expected) = match n {
                        "b64" => (Kind::Bool, "a boolean"),
                        _ => (Kind::String, "a string"),
                    };
                    (v.kind() != want).then_some((n, v.kind(), expected))
                });
            match wrong {
                Some((n, kind, expected)) => write!(
                    out,
                    "header {n} is {}, expected {expected}",
                    kind_name(kind)
                ),
                None => out.write_str(err.message()),
            }
        }
        Error::JsonSyntax
        | Error::JsonTooDeep
        | Error::JsonDuplicateMember
        | Error::JsonInvalidUtf8
        | Error::JsonControlChar
        | Error::JsonBadEscape
        | Error::JsonTrailingData
        | Error::JsonTooManyMembers => write!(out, "{} in the header", err.message()),
        _ => out.write_str(err.message()),
    }
}

/// The claim whose JSON type refused the token, found in the verifier's own
/// order: first what parsing the claims refuses (`sub`, `iss`, `exp`, `nbf`,
/// `iat`, `aud`, in document order), then what the policy's checks refuse
/// (`azp`, `client_id`, `jti`, `scope`/`scp`, only when the policy uses
/// them: another type there is ignored otherwise). `null` is a type like any
/// other: `"aud": null` is `aud is null, expected a string or an array of
/// strings`, never an absent `aud`.
fn wrong_type<W: Write, S: AsRef<str>>(
    out: &mut W,
    payload: &Value<'_>,
    policy: &Policy<'_, S>,
) -> Option<fmt::Result> {
    const TIMES: [&str; 3] = ["exp", "nbf", "iat"];
    const STRINGS: [&str; 2] = ["sub", "iss"];
    const NUMERIC_DATE: &str = "a number (NumericDate)";
    const STRING: &str = "a string";
    const STRING_OR_ARRAY: &str = "a string or an array of strings";
    let is_a = |out: &mut W, name: &dyn Display, v: &Value<'_>, expected: &str| {
        write!(
            out,
            "{name} is {}, expected {expected}",
            kind_name(v.kind())
        )
    };
    // A string, or an array of strings: which element is not.
    let string_or_array = |out: &mut W, name: &dyn Display, v: &Value<'_>| match v.kind() {
        Kind::String => None,
        Kind::Array => v.elements().find(|e| e.kind() != Kind::String).map(|e| {
            write!(
                out,
                "{name} contains {}, expected only strings",
                kind_name(e.kind())
            )
        }),
        _ => Some(is_a(out, name, v, STRING_OR_ARRAY)),
    };
    for (name, v) in payload.members() {
        let is = |set: &[&str]| set.iter().any(|n| name.eq_str(n));
        let shown = Plain(&name);
        if is(&TIMES) && v.kind() != Kind::Number {
            return Some(is_a(out, &shown, &v, NUMERIC_DATE));
        }
        if is(&STRINGS) && v.kind() != Kind::String {
            return Some(is_a(out, &shown, &v, STRING));
        }
        if name.eq_str("aud") {
            if let Some(r) = string_or_array(out, &shown, &v) {
                return Some(r);
            }
        }
    }
    use crate::policy::Profile;
    let access = policy.profile == Profile::AccessToken;
    let used = [
        (
            "azp",
            !policy.authorized_parties.is_empty() || policy.profile == Profile::IdToken,
        ),
        ("client_id", !policy.client_ids.is_empty() || access),
        ("jti", access),
    ];
    for (name, used) in used {
        match payload.get(name) {
            Some(v) if used && v.kind() != Kind::String => {
                return Some(is_a(out, &name, &v, STRING));
            }
            _ => {}
        }
    }
    if !policy.required_scopes.is_empty() {
        for name in ["scope", "scp"] {
            if let Some(r) = payload
                .get(name)
                .and_then(|v| string_or_array(out, &name, &v))
            {
                return Some(r);
            }
        }
    }
    None
}

/// A NumericDate as written, and its ceiling (what the time checks compare).
struct Time<'a> {
    raw: &'a str,
    floor: i64,
    ceil: i128,
}

fn time<'a>(v: &Value<'a>) -> Option<Time<'a>> {
    let n = v.as_number()?;
    // Same exact rule as the policy: the fraction is judged on the digits.
    let (floor, fractional) = n.to_seconds()?;
    Some(Time {
        raw: n.raw(),
        floor,
        ceil: i128::from(floor) + i128::from(fractional),
    })
}

/// Fixed signature sizes; RSA's follows the key's modulus.
fn expected_sig_len(alg: Algorithm) -> Option<usize> {
    use Algorithm::*;
    match alg {
        ES256 | EdDSA => Some(64),
        ES384 => Some(96),
        ES512 => Some(132),
        HS256 => Some(32),
        HS384 => Some(48),
        HS512 => Some(64),
        _ => None,
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

/// Write `chars` as Rust's `{:?}` writes a `str`: quoted, escaped, but with
/// `'` left alone (the CLI has always printed names this way).
fn debug_chars(f: &mut Formatter<'_>, chars: impl Iterator<Item = char>) -> fmt::Result {
    f.write_char('"')?;
    for c in chars {
        if c == '\'' {
            f.write_char(c)?;
        } else {
            for e in c.escape_debug() {
                f.write_char(e)?;
            }
        }
    }
    f.write_char('"')
}

/// A JSON string unescaped and quoted.
struct QuotedStr<'a, 'b>(&'b JsonStr<'a>);

impl Display for QuotedStr<'_, '_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        debug_chars(f, self.0.chars())
    }
}

/// A JSON value quoted: a string unescaped, anything else as its JSON text.
struct Quoted<'a>(Value<'a>);

impl Display for Quoted<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.0.as_str() {
            Some(s) => debug_chars(f, s.chars()),
            None => debug_chars(f, self.0.raw().chars()),
        }
    }
}

/// [`Quoted`], or `""` when absent.
struct OptQuoted<'a>(Option<Value<'a>>);

impl Display for OptQuoted<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(v) => Quoted(v).fmt(f),
            None => f.write_str("\"\""),
        }
    }
}

/// A JSON string unescaped, unquoted.
struct Plain<'a, 'b>(&'b JsonStr<'a>);

impl Display for Plain<'_, '_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.0.chars().try_for_each(|c| f.write_char(c))
    }
}

/// `42 s`, or `31843581 s (368 d 13 h)` when the seconds alone are hard to read.
struct Span(i128);

impl Display for Span {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let secs = self.0;
        let a = secs.unsigned_abs();
        match a {
            0..3600 => write!(f, "{secs} s"),
            3600..86_400 => write!(f, "{secs} s ({} h {} min)", a / 3600, a % 3600 / 60),
            _ => write!(f, "{secs} s ({} d {} h)", a / 86_400, a % 86_400 / 3600),
        }
    }
}

/// Items separated by `, `.
fn join<T>(
    f: &mut Formatter<'_>,
    items: impl Iterator<Item = T>,
    mut each: impl FnMut(&mut Formatter<'_>, T) -> fmt::Result,
) -> fmt::Result {
    for (i, item) in items.enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        each(f, item)?;
    }
    Ok(())
}

/// `RS256, ES256`.
struct Algs(AlgSet);

impl Display for Algs {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        join(f, self.0.iter(), |f, a| f.write_str(a.name()))
    }
}

/// `"a", "b"`.
struct List<'s, S>(&'s [S]);

impl<S: AsRef<str>> Display for List<'_, S> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        join(f, self.0.iter(), |f, s| write!(f, "{:?}", s.as_ref()))
    }
}

/// `"a"` or `one of "a", "b"`.
struct OneOf<'s, S>(&'s [S]);

impl<S: AsRef<str>> Display for OneOf<'_, S> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.0 {
            [one] => write!(f, "{:?}", one.as_ref()),
            set => write!(f, "one of {}", List(set)),
        }
    }
}

/// The pinned keys' ids, quoted.
/// The issuers the pinned keys are bound to, quoted, comma-separated.
struct BoundIssuers<'k, const N: usize>(&'k KeySet<N>);

impl<const N: usize> Display for BoundIssuers<'_, N> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        join(f, self.0.iter().filter_map(|k| k.issuer()), |f, iss| {
            write!(f, "{iss:?}")
        })
    }
}

struct Kids<'k, const N: usize>(&'k KeySet<N>);

impl<const N: usize> Display for Kids<'_, N> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        join(f, self.0.iter().filter_map(|k| k.kid()), |f, kid| {
            write!(f, "{kid:?}")
        })
    }
}

/// The `aud` values quoted: one, or each of an array.
struct Audiences<'a>(Value<'a>);

impl Display for Audiences<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.0.kind() {
            Kind::Array => join(f, self.0.elements(), |f, e| Quoted(e).fmt(f)),
            _ => Quoted(self.0).fmt(f),
        }
    }
}

/// The required audiences `aud` (a string or an array) lacks, quoted.
struct MissingAuds<'s, 'a, S> {
    required: &'s [S],
    aud: Value<'a>,
}

impl<S: AsRef<str>> Display for MissingAuds<'_, '_, S> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let is = |v: Value<'_>, want: &str| v.as_str().is_some_and(|s| s.eq_str(want));
        let has = |want: &str| match self.aud.kind() {
            Kind::Array => self.aud.elements().any(|e| is(e, want)),
            _ => is(self.aud, want),
        };
        let missing = self.required.iter().filter(|s| !has(s.as_ref()));
        join(f, missing, |f, s| write!(f, "{:?}", s.as_ref()))
    }
}

/// The route issuers, quoted, for an `UnknownIssuer` explanation.
pub fn write_unknown_issuer<W: Write, S: AsRef<str>>(
    out: &mut W,
    token: &[u8],
    routes: &[S],
    scratch: &mut [u8],
) -> fmt::Result {
    fn iss<'s>(token: &[u8], scratch: &'s mut [u8]) -> Option<Value<'s>> {
        let seg = token::split(token, usize::MAX).ok()?;
        let len = token::decoded_len(seg.payload).ok()?;
        let payload = token::decode(seg.payload, scratch.get_mut(..len)?).ok()?;
        json::parse(payload).ok()?.get("iss")
    }
    match iss(token, scratch) {
        Some(iss) => write!(
            out,
            "iss {} is not a routed issuer ({})",
            Quoted(iss),
            List(routes)
        ),
        None => out.write_str(Error::UnknownIssuer.message()),
    }
}

/// The required scopes not in `have` (space-separated), quoted.
struct Missing<'s, 'h, S> {
    required: &'s [S],
    have: Option<&'h str>,
}

impl<S: AsRef<str>> Display for Missing<'_, '_, S> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let have = self.have.unwrap_or("");
        let missing = self
            .required
            .iter()
            .filter(|s| !have.split(' ').any(|h| h == s.as_ref()));
        join(f, missing, |f, s| write!(f, "{:?}", s.as_ref()))
    }
}

// The fixtures are the RS256 Clerk example.
#[cfg(all(test, feature = "rsa"))]
mod tests {
    extern crate std;
    use std::string::String;
    use std::vec;

    use super::*;
    use crate::test_util::for_each_mutation;

    const JWKS: &[u8] = include_bytes!("../../examples/keys/clerk-jwks.json");
    const TOKEN: &str = include_str!("../../examples/tokens/clerk.jwt");

    fn keys() -> KeySet<4> {
        let mut k = KeySet::new();
        k.add_jwks(JWKS).unwrap();
        k
    }

    fn detail(err: Error, token: &[u8], now: i64, scratch_len: usize) -> String {
        let keys = keys();
        let policy: Policy<'_, &str> = Policy {
            leeway: 5,
            ..Policy::default()
        };
        let cx = Context {
            keys: &keys,
            policy: &policy,
            now,
            max_token_len: 16384,
        };
        let mut out = String::new();
        let mut scratch = vec![0u8; scratch_len];
        write_detail(&mut out, err, token, &cx, &mut scratch).unwrap();
        out
    }

    #[test]
    fn expiry_is_explained_with_its_numbers() {
        let t = TOKEN.trim().as_bytes();
        assert_eq!(
            detail(Error::Expired, t, 1_764_000_100, scratch_len(t.len())),
            "exp 1764000060 is 40 s before now, leeway 5 s"
        );
    }

    #[test]
    fn too_little_scratch_gives_the_generic_message_whole() {
        let t = TOKEN.trim().as_bytes();
        for len in [0, 10, 60] {
            assert_eq!(
                detail(Error::Expired, t, 1_764_000_100, len),
                Error::Expired.message()
            );
        }
    }

    /// A fixed buffer, as a device or the C ABI would use: no allocation.
    #[test]
    fn writes_into_a_fixed_buffer() {
        struct Fixed {
            buf: [u8; 96],
            len: usize,
        }
        impl Write for Fixed {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                let end = self.len + s.len();
                self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
                self.buf[self.len..end].copy_from_slice(s.as_bytes());
                self.len = end;
                Ok(())
            }
        }
        let t = TOKEN.trim().as_bytes();
        let keys = keys();
        let policy: Policy<'_, &str> = Policy::default();
        let cx = Context {
            keys: &keys,
            policy: &policy,
            now: 1_764_000_000,
            max_token_len: 16384,
        };
        let mut out = Fixed {
            buf: [0; 96],
            len: 0,
        };
        let mut scratch = [0u8; 2048];
        write_detail(&mut out, Error::UnknownKid, t, &cx, &mut scratch).unwrap();
        assert_eq!(
            core::str::from_utf8(&out.buf[..out.len]).unwrap(),
            "header kid \"ins_2example\" matches none of the pinned keys (\"ins_2example\")"
        );
    }

    /// Issue 24, item 3: a claim of the wrong type, `null` included, is
    /// named as the verifier met it: parsing first (in document order), then
    /// the policy's checks, and only the claims the policy uses. Before, a
    /// `sid` the policy ignores was blamed for `exp`, an array `scope` was
    /// "expected a string", and `scp` was not named at all.
    #[test]
    fn the_wrong_typed_claim_is_the_one_named() {
        use base64ct::{Base64UrlUnpadded, Encoding as _};
        let token = |payload: &str| {
            std::format!(
                "{}.{}.c2ln",
                Base64UrlUnpadded::encode_string(br#"{"alg":"RS256"}"#),
                Base64UrlUnpadded::encode_string(payload.as_bytes())
            )
        };
        let explain = |payload: &str, policy: &Policy<'_, &str>| {
            let t = token(payload);
            let keys = keys();
            let cx = Context {
                keys: &keys,
                policy,
                now: 0,
                max_token_len: 16384,
            };
            let mut out = String::new();
            let mut scratch = vec![0u8; scratch_len(t.len())];
            write_detail(
                &mut out,
                Error::ClaimWrongType,
                t.as_bytes(),
                &cx,
                &mut scratch,
            )
            .unwrap();
            out
        };
        let plain: Policy<'_, &str> = Policy::default();
        let scoped: Policy<'_, &str> = Policy {
            required_scopes: &["read"],
            ..Policy::default()
        };
        let azp: Policy<'_, &str> = Policy {
            authorized_parties: &["https://app"],
            ..Policy::default()
        };
        let cases: [(&str, &Policy<'_, &str>, &str); 11] = [
            (
                r#"{"aud":null}"#,
                &plain,
                "aud is null, expected a string or an array of strings",
            ),
            (
                r#"{"exp":null}"#,
                &plain,
                "exp is null, expected a number (NumericDate)",
            ),
            (r#"{"sub":null}"#, &plain, "sub is null, expected a string"),
            (
                r#"{"aud":["a",null]}"#,
                &plain,
                "aud contains null, expected only strings",
            ),
            // A claim the policy ignores is not the culprit.
            (
                r#"{"sid":null,"exp":"x"}"#,
                &plain,
                "exp is a string, expected a number (NumericDate)",
            ),
            (
                r#"{"azp":null,"nbf":true}"#,
                &plain,
                "nbf is a boolean, expected a number (NumericDate)",
            ),
            // Parsing comes before the policy's checks.
            (
                r#"{"azp":null,"iss":1}"#,
                &azp,
                "iss is a number, expected a string",
            ),
            (r#"{"azp":null}"#, &azp, "azp is null, expected a string"),
            (
                r#"{"scope":["read",5]}"#,
                &scoped,
                "scope contains a number, expected only strings",
            ),
            (
                r#"{"scope":"read","scp":null}"#,
                &scoped,
                "scp is null, expected a string or an array of strings",
            ),
            (
                r#"{"scp":{}}"#,
                &scoped,
                "scp is an object, expected a string or an array of strings",
            ),
        ];
        for (payload, policy, want) in cases {
            assert_eq!(explain(payload, policy), want, "{payload}");
        }
    }

    /// Any error code with any token, whole scratch or too little: a
    /// sentence, never a panic.
    #[test]
    fn every_error_on_mutated_tokens_never_panics() {
        let t = TOKEN.trim().as_bytes();
        for_each_mutation(7, &[t], b"eyJ.-_=+/ \"{}0A", 40, |m| {
            for &e in Error::ALL {
                for len in [0, scratch_len(m.len()) / 2, scratch_len(m.len())] {
                    assert!(!detail(e, m, 1_764_000_000, len).is_empty());
                }
            }
        });
    }
}
