//! The JOSE protected header (RFC 7515 4.1): `alg`, `kid`, `typ`, `crit`.
//! A nested token (`cty: JWT`) and a compressed payload (`zip`, defined for
//! JWE only) are refused with their own errors. Key-carrying parameters (`jwk`, `jku`, `x5u`, `x5c`) are never read: keys
//! come only from what the verifier pinned.

use crate::Error;
use crate::alg::Algorithm;
use crate::json::{self, JsonStr, Kind, Value};

/// A parsed protected header, borrowing the decoded header JSON.
#[derive(Clone, Copy, Debug)]
pub struct Header<'a> {
    /// The signature algorithm.
    pub alg: Algorithm,
    /// The key id, if present.
    pub kid: Option<JsonStr<'a>>,
    /// The media type of the whole token, if present.
    pub typ: Option<JsonStr<'a>>,
    /// The content type, if present; never `JWT` (a nested token is refused
    /// with [`Error::NestedToken`]).
    pub cty: Option<JsonStr<'a>>,
    /// The whole header object, for any other parameter.
    pub raw: Value<'a>,
}

/// The header parameters this library reads.
const NAMES: [&str; 7] = ["crit", "alg", "b64", "kid", "typ", "cty", "zip"];

impl<'a> Header<'a> {
    /// Parse and check a decoded protected header.
    pub fn parse(json: &'a [u8]) -> Result<Header<'a>, Error> {
        // The parameters this library reads, picked up while the JSON is
        // validated (one pass), then checked in a fixed order.
        let mut found: [Option<Value<'a>>; 7] = [None; 7];
        let raw = json::parse_members(json, &mut |m| {
            for (slot, want) in found.iter_mut().zip(NAMES) {
                if m.name_is(want) {
                    *slot = Some(m.value);
                }
            }
        })?;
        if raw.kind() != Kind::Object {
            return Err(Error::MalformedHeader);
        }
        Self::checked(raw, found)
    }

    /// The header's checks, in a fixed order, on the parameters found in
    /// `raw` (in `NAMES` order: crit, alg, b64, kid, typ, cty, zip).
    fn checked(raw: Value<'a>, found: [Option<Value<'a>>; 7]) -> Result<Header<'a>, Error> {
        let [crit, alg, b64, kid, typ, cty, zip] = found;
        // crit first: a token whose extensions we do not understand is refused
        // whatever else it says (RFC 7515 4.1.11).
        if let Some(crit) = crit {
            check_crit(&crit)?;
        }
        let alg = match alg {
            None => return Err(Error::MissingAlg),
            Some(v) => v.as_str().ok_or(Error::HeaderWrongType)?,
        };
        if is_none(&alg) {
            return Err(Error::AlgNone);
        }
        let alg = Algorithm::from_json_name(&alg).ok_or(Error::UnsupportedAlg)?;
        // RFC 7797: b64=false changes what is signed; we only do the default.
        match b64 {
            None => {}
            Some(v) => match v.as_bool() {
                Some(true) => {}
                Some(false) => return Err(Error::UnencodedPayload),
                None => return Err(Error::HeaderWrongType),
            },
        }
        // RFC 7516 4.1.3: `zip` belongs to JWE. In a JWS it would mean a
        // payload the signer compressed and we would read as claims: refused
        // whatever its value.
        if zip.is_some() {
            return Err(Error::CompressedPayload);
        }
        let cty = opt_str(cty)?;
        // RFC 7519 5.2: `cty: JWT` says the payload is itself a token. This
        // library does not unwrap one, and reading it as claims would be
        // wrong: refused by name rather than as a misleading JSON error.
        if cty.is_some_and(|c| is_jwt_media_type(&c)) {
            return Err(Error::NestedToken);
        }
        Ok(Header {
            alg,
            kid: opt_str(kid)?,
            typ: opt_str(typ)?,
            cty,
            raw,
        })
    }
}

fn opt_str(v: Option<Value<'_>>) -> Result<Option<JsonStr<'_>>, Error> {
    match v {
        None => Ok(None),
        Some(v) => v.as_str().map(Some).ok_or(Error::HeaderWrongType),
    }
}

/// `none` in any letter case (and any escaping) is the unsigned algorithm.
fn is_none(alg: &JsonStr<'_>) -> bool {
    let mut chars = alg.chars();
    for expected in "none".chars() {
        match chars.next() {
            Some(c) if c.to_ascii_lowercase() == expected => {}
            _ => return false,
        }
    }
    chars.next().is_none()
}

/// `JWT` or `application/jwt`, in any letter case (media types are
/// case-insensitive, and RFC 7515 4.1.10 lets `application/` be omitted).
fn is_jwt_media_type(cty: &JsonStr<'_>) -> bool {
    let mut chars = cty.chars();
    let mut rest = chars.clone();
    // Skip an `application/` prefix when there is one.
    if "application/"
        .chars()
        .all(|want| rest.next().is_some_and(|c| c.eq_ignore_ascii_case(&want)))
    {
        chars = rest;
    }
    "jwt"
        .chars()
        .all(|want| chars.next().is_some_and(|c| c.eq_ignore_ascii_case(&want)))
        && chars.next().is_none()
}

/// `crit` must be a non-empty array of strings; this library understands no
/// extension, so any entry is refused (including `b64`, RFC 7797).
fn check_crit(crit: &Value<'_>) -> Result<(), Error> {
    if crit.kind() != Kind::Array {
        return Err(Error::UnknownCrit);
    }
    // Empty lists are forbidden too (RFC 7515 4.1.11), so every well-formed value fails.
    Err(Error::UnknownCrit)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::format;

    #[test]
    fn header_rules() {
        let h = Header::parse(br#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#).unwrap();
        assert_eq!(h.alg, Algorithm::RS256);
        assert!(h.kid.unwrap().eq_str("k1"));
        let cases: &[(&[u8], Error)] = &[
            (br#"{"typ":"JWT"}"#, Error::MissingAlg),
            (br#"{"alg":"none"}"#, Error::AlgNone),
            (br#"{"alg":"NoNe"}"#, Error::AlgNone),
            (br#"{"alg":"\u006eone"}"#, Error::AlgNone),
            (br#"{"alg":"rs256"}"#, Error::UnsupportedAlg),
            (br#"{"alg":"ES256K"}"#, Error::UnsupportedAlg),
            (br#"{"alg":256}"#, Error::HeaderWrongType),
            (br#"{"alg":"RS256","kid":7}"#, Error::HeaderWrongType),
            (
                br#"{"alg":"RS256","crit":["exp"],"exp":1}"#,
                Error::UnknownCrit,
            ),
            (
                br#"{"alg":"RS256","crit":["b64"],"b64":false}"#,
                Error::UnknownCrit,
            ),
            (br#"{"alg":"RS256","crit":[]}"#, Error::UnknownCrit),
            (br#"{"alg":"RS256","crit":"b64"}"#, Error::UnknownCrit),
            (br#"{"alg":"RS256","b64":false}"#, Error::UnencodedPayload),
            (br#"{"alg":"RS256","cty":"JWT"}"#, Error::NestedToken),
            (br#"{"alg":"RS256","cty":"jwt"}"#, Error::NestedToken),
            (br#"{"alg":"RS256","cty":"jWt"}"#, Error::NestedToken),
            (
                br#"{"alg":"RS256","cty":"application/jwt"}"#,
                Error::NestedToken,
            ),
            (
                br#"{"alg":"RS256","cty":"Application/JWT"}"#,
                Error::NestedToken,
            ),
            (br#"{"alg":"RS256","cty":"JWT"}"#, Error::NestedToken),
            (br#"{"alg":"RS256","cty":7}"#, Error::HeaderWrongType),
            (br#"{"alg":"RS256","zip":"DEF"}"#, Error::CompressedPayload),
            (br#"{"alg":"RS256","zip":null}"#, Error::CompressedPayload),
            (br#"{"alg":"RS256","zip":"DEF"}"#, Error::CompressedPayload),
            (
                br#"{"alg":"RS256","zip":"DEF","cty":"JWT"}"#,
                Error::CompressedPayload,
            ),
            (br#"["RS256"]"#, Error::MalformedHeader),
            (
                br#"{"alg":"RS256","alg":"HS256"}"#,
                Error::JsonDuplicateMember,
            ),
            (br#"{"alg":"RS256"} x"#, Error::JsonTrailingData),
        ];
        // Other content types are the application's business, not refused.
        for cty in [
            "json",
            "JWS",
            "application/json",
            "application/",
            "jwt+x",
            "xjwt",
        ] {
            let json = format!(r#"{{"alg":"RS256","cty":"{cty}"}}"#);
            let h = Header::parse(json.as_bytes()).unwrap();
            assert!(h.cty.unwrap().eq_str(cty));
        }
        for (json, err) in cases {
            assert_eq!(
                Header::parse(json).err(),
                Some(*err),
                "{}",
                core::str::from_utf8(json).unwrap()
            );
        }
    }
}

#[cfg(test)]
mod differential {
    extern crate std;
    use super::*;
    use std::format;

    /// `Header::parse` as it was before it read the parameters during
    /// validation: a lookup per parameter, then the same checks. The
    /// reference for how the one-pass walk finds them.
    fn reference(json: &[u8]) -> Result<Header<'_>, Error> {
        let raw = json::parse(json)?;
        if raw.kind() != Kind::Object {
            return Err(Error::MalformedHeader);
        }
        Header::checked(raw, NAMES.map(|n| raw.get(n)))
    }

    #[test]
    fn one_pass_header_matches_lookups() {
        let corpus: &[&[u8]] = &[
            br#"{"alg":"RS256","kid":"rsa2048-main","typ":"JWT"}"#,
            br#"{"alg":"ES256","\u006bid":"k","cty":"JWT","b64":true,"x":{"alg":1}}"#,
            br#"{"typ":"at+jwt","crit":["b64"],"alg":"none"}"#,
            br#"{"alg":"\u0052S256","kid":7,"typ":null}"#,
            br#"{"alg":"HS256","b64":false,"kid":"a\"b"}"#,
            br#"{"alg":"RS256","cty":"application/JWT","zip":"DEF"}"#,
        ];
        let alphabet = b"{}[]\",:\\u0aklt2RSEH56 \x00";
        crate::test_util::for_each_mutation(0x1234_5679, corpus, alphabet, 1500, |doc| {
            assert_eq!(
                format!("{:?}", Header::parse(doc)),
                format!("{:?}", reference(doc)),
                "{:?}",
                std::string::String::from_utf8_lossy(doc)
            );
        });
    }
}
