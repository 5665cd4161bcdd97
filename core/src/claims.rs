//! The JWT claims set (RFC 7519 4.1), as borrowed views into the caller's buffer.
//!
//! Registered string claims are unescaped once, into the spare part of the
//! scratch buffer, so callers get plain `&str`s; any other claim is available
//! by name as raw JSON with typed helpers.

use crate::Error;
use crate::json::{self, JsonStr, Kind, Number, TopMember, Value};

/// A verified token's claims.
#[derive(Clone, Copy, Debug)]
pub struct Claims<'b> {
    // Crate-visible so the cache can store a hit's views as offsets and
    // rebuild them without parsing again.
    pub(crate) root: Value<'b>,
    pub(crate) sub: Option<&'b str>,
    pub(crate) iss: Option<&'b str>,
    pub(crate) jti: Option<&'b str>,
    pub(crate) sid: Option<&'b str>,
    pub(crate) azp: Option<&'b str>,
    pub(crate) client_id: Option<&'b str>,
    pub(crate) scope: Option<&'b str>,
    pub(crate) aud: AudStore<'b>,
    pub(crate) exp: Option<Time>,
    pub(crate) nbf: Option<Time>,
    pub(crate) iat: Option<Time>,
}

/// A NumericDate: whole seconds (floored) and whether a fraction was dropped,
/// so comparisons stay exact for fractional values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Time {
    pub floor: i64,
    pub fractional: bool,
}

impl Time {
    /// The exact value is in (floor, floor + 1) when fractional: compare with ceil.
    pub(crate) fn ceil(self) -> i128 {
        self.floor as i128 + self.fractional as i128
    }
}

/// Copy `s` unescaped into the front of `arena` when it has escapes, else borrow it.
fn intern<'b>(s: JsonStr<'b>, arena: &mut &'b mut [u8]) -> Result<&'b str, Error> {
    if let Some(plain) = s.as_unescaped() {
        return Ok(plain);
    }
    let len = s.decoded_len();
    if arena.len() < len {
        return Err(Error::BufferTooSmall);
    }
    let (dst, rest) = core::mem::take(arena).split_at_mut(len);
    *arena = rest;
    s.unescape_into(dst)
}

fn string<'b>(v: Value<'b>, arena: &mut &'b mut [u8]) -> Result<&'b str, Error> {
    intern(v.as_str().ok_or(Error::ClaimWrongType)?, arena)
}

/// A NumericDate (RFC 7519 2): a JSON number, fractions allowed (floored);
/// any other type is an error, never "absent".
fn numeric_date(v: Value<'_>) -> Result<Time, Error> {
    let n = v.as_number().ok_or(Error::ClaimWrongType)?;
    // The fraction is judged on the digits: an f64 rounds a tiny one away
    // (found by fuzzing: 1763999995.0000000000000000000001 + 5 s leeway
    // counted as expired at 1764000000).
    let (floor, fractional) = n.to_seconds().ok_or(Error::ClaimOutOfRange)?;
    Ok(Time { floor, fractional })
}

/// The registered claims [`Claims`] extracts, in the order of its fields.
#[derive(Clone, Copy)]
enum Registered {
    Sub,
    Iss,
    Jti,
    Sid,
    Azp,
    ClientId,
    Scope,
    Exp,
    Nbf,
    Iat,
    Aud,
}

impl Registered {
    const COUNT: usize = 11;

    fn from_name(name: &str) -> Option<Registered> {
        // Byte patterns compile to one decision tree (a `&str` match compares
        // each arm in turn): this runs for every member of every payload.
        Some(match name.as_bytes() {
            b"sub" => Registered::Sub,
            b"iss" => Registered::Iss,
            b"jti" => Registered::Jti,
            b"sid" => Registered::Sid,
            b"azp" => Registered::Azp,
            b"client_id" => Registered::ClientId,
            b"scope" => Registered::Scope,
            b"exp" => Registered::Exp,
            b"nbf" => Registered::Nbf,
            b"iat" => Registered::Iat,
            b"aud" => Registered::Aud,
            _ => return None,
        })
    }

    /// The claim a member names: registered names are short ASCII, so an
    /// escaped spelling is decoded (when short enough) to compare.
    fn of(m: &TopMember<'_>) -> Option<Registered> {
        if !m.name_escaped {
            return Self::from_name(m.name.raw());
        }
        let mut tmp = [0u8; 16];
        if m.name.decoded_len() > tmp.len() {
            return None;
        }
        Self::from_name(m.name.unescape_into(&mut tmp).ok()?)
    }
}

/// A registered string claim: borrowed when it has no escapes, else unescaped
/// into `arena`.
fn string_member<'b>(
    value: Value<'b>,
    escaped: bool,
    arena: &mut &'b mut [u8],
) -> Result<&'b str, Error> {
    match value
        .raw()
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
    {
        Some(plain) if !escaped => Ok(plain),
        _ => string(value, arena),
    }
}

/// A claim only some policies use (`jti`, `sid`, `azp`, `client_id`,
/// `scope`): a string is kept; another type is left as `None` here, and only
/// the checks that use the claim refuse it (see `Claims::azp_checked`), so a
/// provider's odd `sid` never refuses a token whose policy ignores `sid`.
fn lenient<'b>(
    value: Value<'b>,
    escaped: bool,
    arena: &mut &'b mut [u8],
) -> Result<Option<&'b str>, Error> {
    if value.kind() != Kind::String {
        return Ok(None);
    }
    string_member(value, escaped, arena).map(Some)
}

impl<'b> Claims<'b> {
    /// The claims of `root` before any registered claim is read.
    fn empty(root: Value<'b>) -> Self {
        Claims {
            root,
            sub: None,
            iss: None,
            jti: None,
            sid: None,
            azp: None,
            client_id: None,
            scope: None,
            aud: AudStore::Absent,
            exp: None,
            nbf: None,
            iat: None,
        }
    }

    /// Parse a decoded payload. Strings with escapes are unescaped into `arena`.
    pub fn parse(payload: &'b [u8], mut arena: &'b mut [u8]) -> Result<Claims<'b>, Error> {
        // The registered members, noted in document order while the parser
        // validates the payload (one pass), converted once it proved valid.
        // Names are unique, so there are at most `COUNT` of them.
        // Kept small (no name): this array sits on a device's stack.
        let mut found: [Option<(Registered, Value<'b>, bool)>; Registered::COUNT] =
            [None; Registered::COUNT];
        let mut n = 0;
        let root = json::parse_members(payload, &mut |m| {
            if let Some(r) = Registered::of(&m) {
                if let Some(slot) = found.get_mut(n) {
                    *slot = Some((r, m.value, m.value_escaped));
                    n += 1;
                }
            }
        })?;
        if root.kind() != Kind::Object {
            return Err(Error::PayloadNotObject);
        }
        let mut c = Claims::empty(root);
        let arena = &mut arena;
        for (r, value, escaped) in found.into_iter().flatten() {
            match r {
                Registered::Sub => c.sub = Some(string_member(value, escaped, arena)?),
                Registered::Iss => c.iss = Some(string_member(value, escaped, arena)?),
                Registered::Jti => c.jti = lenient(value, escaped, arena)?,
                Registered::Sid => c.sid = lenient(value, escaped, arena)?,
                Registered::Azp => c.azp = lenient(value, escaped, arena)?,
                Registered::ClientId => c.client_id = lenient(value, escaped, arena)?,
                Registered::Scope => c.scope = lenient(value, escaped, arena)?,
                Registered::Exp => c.exp = Some(numeric_date(value)?),
                Registered::Nbf => c.nbf = Some(numeric_date(value)?),
                Registered::Iat => c.iat = Some(numeric_date(value)?),
                Registered::Aud => c.aud = AudStore::parse(value, arena)?,
            }
        }
        Ok(c)
    }

    /// `sub`: the subject (the user id).
    pub fn sub(&self) -> Option<&'b str> {
        self.sub
    }
    /// `iss`: the issuer.
    pub fn iss(&self) -> Option<&'b str> {
        self.iss
    }
    /// A lenient claim for a check that uses it: `Ok(None)` when absent,
    /// `ClaimWrongType` when present but not a string.
    fn checked(&self, value: Option<&'b str>, name: &str) -> Result<Option<&'b str>, Error> {
        match value {
            Some(v) => Ok(Some(v)),
            None if self.root.get(name).is_some() => Err(Error::ClaimWrongType),
            None => Ok(None),
        }
    }
    /// `azp` for a check that uses it: `ClaimWrongType` if it is not a string.
    pub fn azp_checked(&self) -> Result<Option<&'b str>, Error> {
        self.checked(self.azp, "azp")
    }
    /// `client_id` for a check that uses it: `ClaimWrongType` if it is not a string.
    pub fn client_id_checked(&self) -> Result<Option<&'b str>, Error> {
        self.checked(self.client_id, "client_id")
    }
    /// `jti` for a check that uses it: `ClaimWrongType` if it is not a string.
    pub fn jti_checked(&self) -> Result<Option<&'b str>, Error> {
        self.checked(self.jti, "jti")
    }
    /// `sid` for a check that uses it: `ClaimWrongType` if it is not a string.
    pub fn sid_checked(&self) -> Result<Option<&'b str>, Error> {
        self.checked(self.sid, "sid")
    }

    /// `jti`: the token id (`None` also when it is not a string; see `jti_checked`).
    pub fn jti(&self) -> Option<&'b str> {
        self.jti
    }
    /// `sid`: the session id (Clerk, OIDC).
    pub fn sid(&self) -> Option<&'b str> {
        self.sid
    }
    /// `azp`: the authorized party (Clerk: the origin the token was made for).
    pub fn azp(&self) -> Option<&'b str> {
        self.azp
    }
    /// `client_id` (RFC 9068).
    pub fn client_id(&self) -> Option<&'b str> {
        self.client_id
    }
    /// `scope` when it is a space-separated string (see [`grants_scope`](Self::grants_scope)
    /// for the array form and `scp`).
    pub fn scope(&self) -> Option<&'b str> {
        self.scope
    }
    /// `exp` in seconds since the epoch.
    pub fn exp(&self) -> Option<i64> {
        self.exp.map(|t| t.floor)
    }
    /// `nbf` in seconds since the epoch.
    pub fn nbf(&self) -> Option<i64> {
        self.nbf.map(|t| t.floor)
    }
    /// `iat` in seconds since the epoch.
    pub fn iat(&self) -> Option<i64> {
        self.iat.map(|t| t.floor)
    }

    pub(crate) fn times(&self) -> (Option<Time>, Option<Time>, Option<Time>) {
        (self.exp, self.nbf, self.iat)
    }

    /// Each `aud` value (one for a string, each element for an array), unescaped.
    pub fn audiences(&self) -> Audiences<'b> {
        Audiences {
            store: self.aud,
            next: 0,
        }
    }

    /// Whether `aud` contains `audience`.
    pub fn has_audience(&self, audience: &str) -> bool {
        self.audiences().any(|a| a == audience)
    }

    /// Each scope in `scope` when it is a string (the RFC 9068 form).
    pub fn scopes(&self) -> impl Iterator<Item = &'b str> {
        self.scope
            .unwrap_or("")
            .split(' ')
            .filter(|s| !s.is_empty())
    }

    /// Whether the token grants `scope` ([`grants_scope`](Self::grants_scope);
    /// a claim of the wrong type grants nothing).
    pub fn has_scope(&self, scope: &str) -> bool {
        self.grants_scope(scope).unwrap_or(false)
    }

    /// Whether the token grants `scope`: a word of `scope` as a
    /// space-separated string (RFC 9068, RFC 8693) or an element of `scope`
    /// as an array of strings, or the same in `scp` (Okta, Ory, Entra ID).
    /// `ClaimWrongType` when `scope` or `scp` has another type.
    pub fn grants_scope(&self, scope: &str) -> Result<bool, Error> {
        grants_scope(&self.root, scope)
    }

    /// The whole claims object as JSON text.
    pub fn raw(&self) -> &'b str {
        self.root.raw()
    }

    /// The whole claims object.
    pub fn object(&self) -> Value<'b> {
        self.root
    }

    /// Any claim by name, as its raw JSON value.
    pub fn get(&self, name: &str) -> Option<Value<'b>> {
        self.root.get(name)
    }

    /// A claim that must be a string when present.
    pub fn get_str(&self, name: &str) -> Result<Option<JsonStr<'b>>, Error> {
        typed(self.get(name), |v| v.as_str())
    }

    /// A claim that must be a number when present.
    pub fn get_number(&self, name: &str) -> Result<Option<Number<'b>>, Error> {
        typed(self.get(name), |v| v.as_number())
    }

    /// A claim that must be an integer fitting `i64` when present.
    pub fn get_i64(&self, name: &str) -> Result<Option<i64>, Error> {
        typed(self.get(name), |v| v.as_number().and_then(|n| n.as_i64()))
    }

    /// A claim that must be a boolean when present.
    pub fn get_bool(&self, name: &str) -> Result<Option<bool>, Error> {
        typed(self.get(name), |v| v.as_bool())
    }

    /// A claim that must be an array of strings when present.
    pub fn get_str_array(&self, name: &str) -> Result<Option<StrArray<'b>>, Error> {
        typed(self.get(name), |v| {
            (v.kind() == Kind::Array && v.elements().all(|e| e.kind() == Kind::String))
                .then_some(StrArray(*v))
        })
    }
}

/// [`Claims::grants_scope`] over a claims object already parsed (a
/// binding that keeps only the verified payload's text).
pub fn grants_scope(claims: &Value<'_>, scope: &str) -> Result<bool, Error> {
    if scope.is_empty() {
        return Ok(false);
    }
    let mut found = false;
    for name in ["scope", "scp"] {
        if let Some(v) = claims.get(name) {
            found |= grants(&v, scope)?;
        }
    }
    Ok(found)
}

/// Whether a `scope`/`scp` value grants `want`: a string's words, or an array
/// of strings' elements.
fn grants(v: &Value<'_>, want: &str) -> Result<bool, Error> {
    match v.kind() {
        // Split on the raw text's spaces (an escape never holds a raw space,
        // so no escape is cut), each word compared decoded. An escaped space
        // does not split: such a word holds a space and matches no required
        // scope (they have none), which fails closed.
        Kind::String => {
            let raw = v.as_str().ok_or(Error::ClaimWrongType)?.raw();
            let mut start = 0;
            for (i, b) in raw.bytes().chain(core::iter::once(b' ')).enumerate() {
                if b == b' ' {
                    // Spaces are ASCII, so `start..i` lies on character boundaries.
                    let word = raw.get(start..i).unwrap_or("");
                    if JsonStr::from_validated(word).eq_str(want) {
                        return Ok(true);
                    }
                    start = i + 1;
                }
            }
            Ok(false)
        }
        Kind::Array => {
            let mut found = false;
            for e in v.elements() {
                found |= e.as_str().ok_or(Error::ClaimWrongType)?.eq_str(want);
            }
            Ok(found)
        }
        _ => Err(Error::ClaimWrongType),
    }
}

fn typed<'b, T>(
    v: Option<Value<'b>>,
    f: impl Fn(&Value<'b>) -> Option<T>,
) -> Result<Option<T>, Error> {
    match v {
        None => Ok(None),
        Some(v) => f(&v).map(Some).ok_or(Error::ClaimWrongType),
    }
}

/// A JSON array known to hold only strings.
#[derive(Clone, Copy, Debug)]
pub struct StrArray<'b>(Value<'b>);

impl<'b> StrArray<'b> {
    /// The strings, escapes not yet decoded.
    pub fn iter(&self) -> impl Iterator<Item = JsonStr<'b>> {
        self.0.elements().filter_map(|e| e.as_str())
    }
    /// Whether one element equals `s` after unescaping.
    pub fn contains(&self, s: &str) -> bool {
        self.iter().any(|e| e.eq_str(s))
    }
}

/// Where the `aud` values live: in the payload when none has an escape, else
/// unescaped into the arena as length-prefixed strings. The prefix is a LEB128
/// varint, never longer than an element's quotes and comma, so the packed form
/// fits in the payload's size and [`crate::scratch_len`] stays a guarantee.
#[derive(Clone, Copy, Debug)]
pub(crate) enum AudStore<'b> {
    Absent,
    Json(Value<'b>),
    Packed(&'b [u8]),
}

impl<'b> AudStore<'b> {
    fn parse(value: Value<'b>, arena: &mut &'b mut [u8]) -> Result<Self, Error> {
        let each = |f: &mut dyn FnMut(JsonStr<'b>) -> Result<(), Error>| -> Result<(), Error> {
            match value.kind() {
                Kind::String => f(value.as_str().ok_or(Error::ClaimWrongType)?),
                Kind::Array => {
                    for e in value.elements() {
                        f(e.as_str().ok_or(Error::ClaimWrongType)?)?;
                    }
                    Ok(())
                }
                _ => Err(Error::ClaimWrongType),
            }
        };
        let mut escaped = false;
        let mut packed_len = 0usize;
        each(&mut |s| {
            escaped |= s.has_escapes();
            packed_len = packed_len.saturating_add(varint_len(s.decoded_len()) + s.decoded_len());
            Ok(())
        })?;
        if !escaped {
            return Ok(AudStore::Json(value));
        }
        if arena.len() < packed_len {
            return Err(Error::BufferTooSmall);
        }
        let (dst, rest) = core::mem::take(arena).split_at_mut(packed_len);
        *arena = rest;
        let mut at = 0;
        each(&mut |s| {
            let len = s.decoded_len();
            let n = varint_len(len);
            let entry = dst.get_mut(at..at + n + len).ok_or(Error::BufferTooSmall)?;
            let (head, body) = entry.split_at_mut(n);
            let mut v = len;
            for b in head.iter_mut() {
                *b = (v & 0x7f) as u8 | if v >= 0x80 { 0x80 } else { 0 };
                v >>= 7;
            }
            s.unescape_into(body)?;
            at += n + len;
            Ok(())
        })?;
        Ok(AudStore::Packed(dst))
    }
}

fn varint_len(mut v: usize) -> usize {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

/// (prefix length, value) of a LEB128 varint.
fn read_varint(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut v = 0usize;
    for (i, b) in bytes.iter().enumerate().take(5) {
        v |= ((b & 0x7f) as usize) << (7 * i);
        if b & 0x80 == 0 {
            return Some((i + 1, v));
        }
    }
    None
}

/// Iterator over `aud` values, unescaped.
#[derive(Clone, Debug)]
pub struct Audiences<'b> {
    store: AudStore<'b>,
    next: usize,
}

impl<'b> Iterator for Audiences<'b> {
    type Item = &'b str;
    // Out of line: the policy walks audiences in two checks; one copy (device flash).
    #[inline(never)]
    fn next(&mut self) -> Option<&'b str> {
        let i = self.next;
        self.next += 1;
        match self.store {
            AudStore::Absent => None,
            AudStore::Json(v) => match v.as_str() {
                Some(s) if i == 0 => s.as_unescaped(),
                Some(_) => None,
                None => v.elements().nth(i)?.as_str()?.as_unescaped(),
            },
            AudStore::Packed(mut bytes) => {
                // Walk i entries in; audiences are few, so this stays cheap.
                for _ in 0..i {
                    let (n, len) = read_varint(bytes)?;
                    bytes = bytes.get(n + len..)?;
                }
                let (n, len) = read_varint(bytes)?;
                core::str::from_utf8(bytes.get(n..n + len)?).ok()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::format;

    /// The walk-the-members extraction `Claims::parse` did before it read the
    /// claims during validation: the reference for the differential test.
    fn reference<'b>(payload: &'b [u8], mut arena: &'b mut [u8]) -> Result<Claims<'b>, Error> {
        let root = json::parse(payload)?;
        if root.kind() != Kind::Object {
            return Err(Error::PayloadNotObject);
        }
        let mut c = Claims::empty(root);
        let arena = &mut arena;
        for (name, value) in root.members() {
            let mut tmp = [0u8; 16];
            let name = match name.as_unescaped() {
                Some(n) => n,
                None if name.decoded_len() <= tmp.len() => name.unescape_into(&mut tmp)?,
                None => continue,
            };
            match name {
                "sub" => c.sub = Some(string(value, arena)?),
                "iss" => c.iss = Some(string(value, arena)?),
                "jti" if value.kind() == Kind::String => c.jti = Some(string(value, arena)?),
                "sid" if value.kind() == Kind::String => c.sid = Some(string(value, arena)?),
                "azp" if value.kind() == Kind::String => c.azp = Some(string(value, arena)?),
                "client_id" if value.kind() == Kind::String => {
                    c.client_id = Some(string(value, arena)?)
                }
                "scope" if value.kind() == Kind::String => c.scope = Some(string(value, arena)?),
                "exp" => c.exp = Some(numeric_date(value)?),
                "nbf" => c.nbf = Some(numeric_date(value)?),
                "iat" => c.iat = Some(numeric_date(value)?),
                "aud" => c.aud = AudStore::parse(value, arena)?,
                _ => {}
            }
        }
        Ok(c)
    }

    /// Same result (views, arena use, errors) as the reference on a corpus of
    /// claims sets and thousands of mutations of them, with arenas of every
    /// size up to what `scratch_len` guarantees.
    #[test]
    fn one_pass_extraction_matches_the_member_walk() {
        let corpus: &[&[u8]] = &[
            br#"{"azp":"https://app.example.com","exp":4102444800,"fea":"o:a,o:b","fva":[12,-1],"iat":1764000000,"iss":"https://clerk.example.com","jti":"a1b2","nbf":1763999990,"o":{"id":"org_2","rol":"admin"},"sid":"sess_2","sub":"user_2","v":2}"#,
            br#"{"iss":"https:\/\/issuer.example.com","aud":["https:\/\/api.example.com","x"],"sub":"caf\u00e9 \ud83d\ude00","iat":1.5,"nbf":-3e2,"exp":1e400}"#,
            br#"{"\u0073ub":"a","client_id":"c","scope":"read write","aud":"solo","exp":17.0000000000000000001}"#,
            br#"{"sub":5,"exp":"x"}"#,
            br#"{"exp":99999999999999999999,"sub":5}"#,
            br#"{"sub":"u","\u0073ub":"dup"}"#,
            br#" { "aud" : [ ] , "sub" : "" , "azp" : "\\\"" } "#,
            br#"[{"sub":"x"}]"#,
            br#"{"a":{"sub":1,"exp":"no"},"b":[{"iat":"x"}],"exp":1}"#,
        ];
        let alphabet = b"{}[]\",:\\u0aexs1.-+ \x00\xc3\xa9";
        let mut checked = 0;
        crate::test_util::for_each_mutation(0x9e37_79b9, corpus, alphabet, 400, |doc| {
            for len in [0, 1, 4, 9, 17, 40, doc.len()] {
                let mut a = std::vec![0u8; len];
                let mut b = std::vec![0u8; len];
                let got = format!("{:?}", Claims::parse(doc, &mut a));
                let want = format!("{:?}", reference(doc, &mut b));
                assert_eq!(
                    got,
                    want,
                    "{:?} arena {len}",
                    std::string::String::from_utf8_lossy(doc)
                );
                assert_eq!(a, b, "arena bytes");
                checked += 1;
            }
        });
        assert!(checked > 20_000);
    }
}
