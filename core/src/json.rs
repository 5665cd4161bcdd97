//! Strict, zero-copy, allocation-free JSON for the JWS protected header and
//! the JWT claims set.
//!
//! [`parse`] validates a whole document once (RFC 8259 plus hardening: no
//! duplicate member names, bounded nesting and member counts, no lone
//! surrogates) without recursion and without allocating. The returned
//! [`Value`] is a slice of the original text; lookups walk that text again,
//! which is cheap because it is known to be valid.
//!
//! Peak stack use of [`parse`] is about 1.8 KiB: a per-depth record of open
//! objects (start offset, member count, hash-stack base, a 64-bit filter of
//! its name hashes) and one shared stack of at most 512 16-bit hashes
//! (32-bit FNV-1a, folded) of decoded member names.
//! A new member name is compared against the hashes of its object's earlier
//! names; only on a hash match (or when the shared hash stack is full) are the
//! earlier names compared in full, by walking the object's text again.
//!
//! Work is linear in the input, whatever the names: FNV-1a is not
//! collision-resistant, so an attacker can choose names that all match (or
//! open more names than the hash stack holds) and make each new name walk its
//! object again. Those walks draw on a budget of [`WALK_PER_BYTE`] bytes per
//! input byte; a document that would exceed it is refused with
//! [`Error::JsonTooComplex`] before the walk that would overdraw it. A new
//! name is compared with at most its object's earlier hashes, so an object of
//! `c` members (`c <= MAX_MEMBERS`) costs at most `c(c-1)/2` comparisons, and
//! takes at least 5 bytes a member (`"":0,`) that no other object counts. So
//! parsing touches each input byte once, plus at most [`WALK_PER_BYTE`]
//! re-walked bytes and 26 hash comparisons per input byte.

use crate::Error;

/// Maximum nesting of objects and arrays; deeper documents are refused with
/// [`Error::JsonTooDeep`].
pub const MAX_DEPTH: usize = 32;

/// Maximum number of members in one object; more are refused with
/// [`Error::JsonTooManyMembers`].
pub const MAX_MEMBERS: usize = 256;

/// The duplicate-name check may re-walk at most this many bytes of object
/// text per input byte; a document that needs more is refused with
/// [`Error::JsonTooComplex`]. Ordinary documents re-walk nothing (a walk
/// happens only on a 16-bit hash match between sibling names, or with more
/// than 512 names open at once), so the budget only caps adversarial ones.
pub const WALK_PER_BYTE: usize = 4;

/// Name hashes the shared stack holds (all open objects together).
const HASH_STACK: usize = 2 * MAX_MEMBERS;

/// What a parse spent on the duplicate-name check beyond its one pass over
/// the input (see [`parse_counting`]).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParseWork {
    /// Name hashes compared against a new name's.
    pub hash_compares: usize,
    /// Bytes of object text walked again to compare names in full.
    pub walked: usize,
}

// ---------------------------------------------------------------------------
// Byte-level helpers
// ---------------------------------------------------------------------------

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

#[inline(always)]
fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

#[inline(always)]
fn skip_ws(b: &[u8], i: usize) -> usize {
    // Token JSON rarely has whitespace: one test for the usual case (every
    // whitespace byte is at most b' ').
    match b.get(i) {
        Some(&c) if c > b' ' => i,
        _ => skip_ws_slow(b, i),
    }
}

#[inline(never)]
fn skip_ws_slow(b: &[u8], mut i: usize) -> usize {
    while let Some(&c) = b.get(i) {
        if !is_ws(c) {
            break;
        }
        i += 1;
    }
    i
}

/// Index of the first `"` or `\` at or after `i` (and, when `ctl`, of the
/// first byte below 0x20), or `b.len()` when there is none. Eight bytes at a
/// time (SWAR); in each mask only bytes above a true match can be false
/// positives, so the lowest set bit is always exact.
#[inline]
fn find_special(b: &[u8], mut i: usize, ctl: bool) -> usize {
    while let Some(arr) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let w = u64::from_le_bytes(*arr);
        let q = w ^ (LO * u64::from(b'"'));
        let s = w ^ (LO * u64::from(b'\\'));
        let mut m = (q.wrapping_sub(LO) & !q) | (s.wrapping_sub(LO) & !s);
        if ctl {
            m |= w.wrapping_sub(LO * 0x20) & !w;
        }
        m &= HI;
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == b'"' || c == b'\\' || (ctl && c < 0x20) {
            return i;
        }
        i += 1;
    }
    i.min(b.len())
}

fn hex4(b: &[u8], i: usize) -> Option<u32> {
    let h = b.get(i..i.checked_add(4)?)?;
    let mut v = 0u32;
    for &c in h {
        v = (v << 4) | char::from(c).to_digit(16)?;
    }
    Some(v)
}

/// Decode the escape whose backslash is at `i`: the character and the index
/// just after the escape. `None` for anything RFC 8259 does not allow,
/// including lone or reversed surrogates.
fn decode_escape(b: &[u8], i: usize) -> Option<(char, usize)> {
    if b.get(i) != Some(&b'\\') {
        return None;
    }
    let ch = match *b.get(i.checked_add(1)?)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let hi = hex4(b, i.checked_add(2)?)?;
            if (0xD800..0xDC00).contains(&hi) {
                let j = i.checked_add(6)?;
                if b.get(j..j.checked_add(2)?) != Some(b"\\u") {
                    return None;
                }
                let lo = hex4(b, j.checked_add(2)?)?;
                if !(0xDC00..0xE000).contains(&lo) {
                    return None;
                }
                let cp = 0x1_0000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                return Some((char::from_u32(cp)?, j.checked_add(6)?));
            }
            // `from_u32` refuses a lone low surrogate.
            return Some((char::from_u32(hi)?, i.checked_add(6)?));
        }
        _ => return None,
    };
    Some((ch, i.checked_add(2)?))
}

/// Validate a string whose opening quote is just before `i`: the index of the
/// closing quote and whether any escape occurs.
#[inline]
fn parse_string(b: &[u8], mut i: usize) -> Result<(usize, bool), Error> {
    let mut esc = false;
    loop {
        i = find_special(b, i, true);
        match b.get(i) {
            None => return Err(Error::JsonSyntax),
            Some(b'"') => return Ok((i, esc)),
            Some(b'\\') => {
                esc = true;
                i = decode_escape(b, i).ok_or(Error::JsonBadEscape)?.1;
            }
            Some(_) => return Err(Error::JsonControlChar),
        }
    }
}

#[inline(always)]
fn is_digit(c: Option<&u8>) -> bool {
    matches!(c, Some(b'0'..=b'9'))
}

#[inline]
fn skip_digits(b: &[u8], mut i: usize) -> usize {
    while is_digit(b.get(i)) {
        i += 1;
    }
    i
}

/// A value must not run straight into something that could continue a number
/// or a literal (`01`, `0x1`, `1.2.3`, `truex` are syntax errors, not
/// trailing data).
#[inline]
fn check_token_end(b: &[u8], i: usize) -> Result<usize, Error> {
    match b.get(i) {
        Some(&c) if c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-' | b'_') => {
            Err(Error::JsonSyntax)
        }
        _ => Ok(i),
    }
}

/// Validate a number starting at `i` (`-` or a digit): the index just after it.
fn parse_number(b: &[u8], mut i: usize) -> Result<usize, Error> {
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i = skip_digits(b, i + 1),
        _ => return Err(Error::JsonSyntax),
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !is_digit(b.get(i)) {
            return Err(Error::JsonSyntax);
        }
        i = skip_digits(b, i);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !is_digit(b.get(i)) {
            return Err(Error::JsonSyntax);
        }
        i = skip_digits(b, i);
    }
    check_token_end(b, i)
}

fn parse_literal(b: &[u8], i: usize, lit: &[u8]) -> Result<usize, Error> {
    let end = i.checked_add(lit.len()).ok_or(Error::JsonSyntax)?;
    if b.get(i..end) != Some(lit) {
        return Err(Error::JsonSyntax);
    }
    check_token_end(b, end)
}

/// Index of the closing quote of a (validated) string whose opening quote is
/// just before `i`, and whether the string contains an escape.
#[inline]
fn string_end(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
    let mut esc = false;
    loop {
        i = find_special(b, i, false);
        match *b.get(i)? {
            b'"' => return Some((i, esc)),
            _ => {
                esc = true;
                i = i.checked_add(2)?;
            }
        }
    }
}

/// Index just after the (validated) value starting at `i`.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_end(b, i + 1)?.0.checked_add(1),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match *b.get(j)? {
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return j.checked_add(1);
                        }
                    }
                    b'"' => j = string_end(b, j + 1)?.0,
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while let Some(&c) = b.get(j) {
                if is_ws(c) || matches!(c, b',' | b'}' | b']' | b':') {
                    break;
                }
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

/// Slice equality that stays inline for the short names JWTs use.
#[inline]
fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() <= 16 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    a == b
}

const FNV_OFFSET: u32 = 0x811c_9dc5;
const FNV_PRIME: u32 = 0x0100_0193;

#[inline]
fn fnv1a(mut h: u32, bytes: &[u8]) -> u32 {
    for &x in bytes {
        h ^= u32::from(x);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// FNV-1a of the decoded UTF-8 bytes of a member name.
fn name_hash(name: JsonStr<'_>, escaped: bool) -> u32 {
    if !escaped {
        return fnv1a(FNV_OFFSET, name.raw.as_bytes());
    }
    let mut h = FNV_OFFSET;
    let mut buf = [0u8; 4];
    for c in name.chars() {
        h = fnv1a(h, c.encode_utf8(&mut buf).as_bytes());
    }
    h
}

// ---------------------------------------------------------------------------
// The parser
// ---------------------------------------------------------------------------

/// Bookkeeping for the objects currently open, for member counting and
/// duplicate detection. About 1.7 KiB.
struct OpenObjects {
    /// Offset just after the `{` of the object open at each depth.
    start: [usize; MAX_DEPTH],
    /// Members seen so far in the object open at each depth.
    count: [u16; MAX_DEPTH],
    /// Where that object's hashes begin in `hashes`.
    base: [u16; MAX_DEPTH],
    /// One bit per name hash (its low 6 bits) of the object at each depth:
    /// most new names miss it, which spares scanning the earlier hashes.
    bloom: [u64; MAX_DEPTH],
    /// Bit `d`: the object at depth `d` could not keep all its name hashes
    /// (shared stack full), so its names are compared by walking.
    unhashed: u64,
    /// Shared stack of name hashes of all open objects, innermost last:
    /// 16 bits each (FNV-1a folded), so twice [`MAX_MEMBERS`] fit in 1 KiB.
    /// A false match only costs a walk, which the budget bounds.
    hashes: [u16; HASH_STACK],
    top: usize,
    /// Bytes the duplicate check may still walk again (the document's budget).
    walk_left: usize,
    /// What the check has spent so far.
    work: ParseWork,
}

impl OpenObjects {
    fn open(&mut self, d: usize, start: usize) -> Result<(), Error> {
        *self.start.get_mut(d).ok_or(Error::JsonTooDeep)? = start;
        *self.count.get_mut(d).ok_or(Error::JsonTooDeep)? = 0;
        *self.bloom.get_mut(d).ok_or(Error::JsonTooDeep)? = 0;
        *self.base.get_mut(d).ok_or(Error::JsonTooDeep)? =
            u16::try_from(self.top).map_err(|_| Error::JsonSyntax)?;
        self.unhashed &= !(1u64 << d);
        Ok(())
    }

    fn close(&mut self, d: usize) {
        if let Some(&b) = self.base.get(d) {
            self.top = usize::from(b);
        }
    }

    /// Record the name whose opening quote is at `quote` in the object open
    /// at depth `d`, refusing a duplicate or one member too many.
    fn add_name(
        &mut self,
        s: &str,
        d: usize,
        quote: usize,
        name: JsonStr<'_>,
        escaped: bool,
    ) -> Result<(), Error> {
        let count = self.count.get_mut(d).ok_or(Error::JsonSyntax)?;
        if usize::from(*count) >= MAX_MEMBERS {
            return Err(Error::JsonTooManyMembers);
        }
        *count += 1;
        let first = *count == 1;
        let base = usize::from(*self.base.get(d).ok_or(Error::JsonSyntax)?);
        let hashed = self.unhashed & (1u64 << d) == 0;
        let h = name_hash(name, escaped);
        let bloom = self.bloom.get_mut(d).ok_or(Error::JsonSyntax)?;
        let bit = 1u64 << (h & 63);
        let maybe_seen = *bloom & bit != 0;
        *bloom |= bit;
        let h = (h ^ (h >> 16)) as u16;
        if !first {
            let suspect = !hashed
                || (maybe_seen
                    && self.hashes.get(base..self.top).is_none_or(|hs| {
                        self.work.hash_compares += hs.len();
                        hs.contains(&h)
                    }));
            if suspect {
                let start = *self.start.get(d).ok_or(Error::JsonSyntax)?;
                let prefix = s.get(start..quote).ok_or(Error::JsonSyntax)?;
                // Charged before walking: the budget is never overdrawn, so
                // these walks cost at most `WALK_PER_BYTE` per input byte.
                self.walk_left = self
                    .walk_left
                    .checked_sub(prefix.len())
                    .ok_or(Error::JsonTooComplex)?;
                self.work.walked += prefix.len();
                let earlier = Members { s: prefix, pos: 0 };
                for (k, _) in earlier {
                    if k == name {
                        return Err(Error::JsonDuplicateMember);
                    }
                }
            }
        }
        if hashed {
            match self.hashes.get_mut(self.top) {
                Some(slot) => {
                    *slot = h;
                    self.top += 1;
                }
                None => self.unhashed |= 1u64 << d,
            }
        }
        Ok(())
    }
}

/// Parse a member name at `i` (which must be its opening quote) in the object
/// open at depth `d`, then the `:`; returns the index of the member's value,
/// the name and whether it has escapes.
#[inline]
fn member_name<'a>(
    s: &'a str,
    i: usize,
    d: usize,
    objs: &mut OpenObjects,
) -> Result<(usize, JsonStr<'a>, bool), Error> {
    let b = s.as_bytes();
    if b.get(i) != Some(&b'"') {
        return Err(Error::JsonSyntax);
    }
    let (end, escaped) = parse_string(b, i + 1)?;
    let raw = s.get(i + 1..end).ok_or(Error::JsonSyntax)?;
    let name = JsonStr { raw };
    objs.add_name(s, d, i, name, escaped)?;
    let j = skip_ws(b, end + 1);
    if b.get(j) != Some(&b':') {
        return Err(Error::JsonSyntax);
    }
    Ok((skip_ws(b, j + 1), name, escaped))
}

/// One member of the top-level object, as [`parse_members`] hands it over:
/// the name, the value, and whether each has escapes (`value_escaped` only
/// means something for a string value).
#[derive(Clone, Copy, Debug)]
pub(crate) struct TopMember<'a> {
    pub name: JsonStr<'a>,
    pub name_escaped: bool,
    pub value: Value<'a>,
    pub value_escaped: bool,
}

impl<'a> TopMember<'a> {
    /// Whether the decoded name equals `want` (as [`JsonStr::eq_str`]).
    #[inline]
    pub fn name_is(&self, want: &str) -> bool {
        if self.name_escaped {
            self.name.eq_str(want)
        } else {
            bytes_eq(self.name.raw.as_bytes(), want.as_bytes())
        }
    }
}

/// Parse a complete JSON document strictly; returns the top-level value
/// (any kind).
///
/// The input must be UTF-8 and hold exactly one value, optionally surrounded
/// by JSON whitespace. Never recurses, never allocates, never panics.
pub fn parse(input: &[u8]) -> Result<Value<'_>, Error> {
    parse_members(input, &mut |_| {})
}

/// [`parse`], and what its duplicate-name check spent: for the tests and the
/// fuzz target that bound the parser's work per input byte. Not a stable API.
#[doc(hidden)]
pub fn parse_counting(input: &[u8]) -> (Result<Value<'_>, Error>, ParseWork) {
    let mut work = ParseWork::default();
    let r = parse_inner(input, &mut |_| {}, &mut work);
    (r, work)
}

/// [`parse`], handing each member of the top-level object (when it is one) to
/// `visit` as soon as its value is validated, in document order: a header or
/// claims set is read in the same pass that validates it, instead of walking
/// the text again. `visit` may see members of a document that then fails:
/// its findings count only when this returns `Ok`.
#[inline]
pub(crate) fn parse_members<'a>(
    input: &'a [u8],
    visit: &mut dyn FnMut(TopMember<'a>),
) -> Result<Value<'a>, Error> {
    parse_inner(input, visit, &mut ParseWork::default())
}

/// The parser; `work` receives what the duplicate check spent.
// One copy, never inlined: a device keeps one parser in flash, and its
// bookkeeping (about 1.8 KiB) on the stack only while it runs.
#[inline(never)]
fn parse_inner<'a>(
    input: &'a [u8],
    visit: &mut dyn FnMut(TopMember<'a>),
    work: &mut ParseWork,
) -> Result<Value<'a>, Error> {
    let s = core::str::from_utf8(input).map_err(|_| Error::JsonInvalidUtf8)?;
    let b = s.as_bytes();
    let mut objs = OpenObjects {
        start: [0; MAX_DEPTH],
        count: [0; MAX_DEPTH],
        base: [0; MAX_DEPTH],
        bloom: [0; MAX_DEPTH],
        unhashed: 0,
        hashes: [0; HASH_STACK],
        top: 0,
        walk_left: WALK_PER_BYTE.saturating_mul(input.len()),
        work: ParseWork::default(),
    };
    let r = parse_doc(s, b, &mut objs, visit);
    *work = objs.work;
    r
}

/// The parse proper, over the bookkeeping `objs`.
#[inline(always)]
fn parse_doc<'a>(
    s: &'a str,
    b: &'a [u8],
    objs: &mut OpenObjects,
    visit: &mut dyn FnMut(TopMember<'a>),
) -> Result<Value<'a>, Error> {
    // Number of open containers; bit `d` of `is_obj`: the one at depth `d`
    // is an object.
    let mut depth = 0usize;
    let mut is_obj = 0u64;
    // The top-level member whose value is being parsed: name, its escapes,
    // where the value starts; and whether the last string had escapes.
    let mut pending: Option<(JsonStr<'a>, bool, usize)> = None;
    let mut last_escaped = false;

    let start = skip_ws(b, 0);
    let mut i = start;
    'value: loop {
        // A value is expected at `i`.
        match b.get(i) {
            Some(b'{') => {
                if depth >= MAX_DEPTH {
                    return Err(Error::JsonTooDeep);
                }
                let d = depth;
                objs.open(d, i + 1)?;
                is_obj |= 1u64 << d;
                depth += 1;
                i = skip_ws(b, i + 1);
                if b.get(i) == Some(&b'}') {
                    i += 1;
                    objs.close(d);
                    depth = d;
                } else {
                    let (v, name, escaped) = member_name(s, i, d, objs)?;
                    if d == 0 {
                        pending = Some((name, escaped, v));
                    }
                    i = v;
                    continue 'value;
                }
            }
            Some(b'[') => {
                if depth >= MAX_DEPTH {
                    return Err(Error::JsonTooDeep);
                }
                is_obj &= !(1u64 << depth);
                depth += 1;
                i = skip_ws(b, i + 1);
                if b.get(i) == Some(&b']') {
                    i += 1;
                    depth -= 1;
                } else {
                    continue 'value;
                }
            }
            Some(b'"') => {
                let (end, escaped) = parse_string(b, i + 1)?;
                last_escaped = escaped;
                i = end + 1;
            }
            Some(b't') => i = parse_literal(b, i, b"true")?,
            Some(b'f') => i = parse_literal(b, i, b"false")?,
            Some(b'n') => i = parse_literal(b, i, b"null")?,
            Some(b'-' | b'0'..=b'9') => i = parse_number(b, i)?,
            _ => return Err(Error::JsonSyntax),
        }
        // A value just ended at `i`: close containers until one continues.
        while let Some(d) = depth.checked_sub(1) {
            let obj = is_obj & (1u64 << d) != 0;
            if d == 0 {
                // A top-level member's value ends here.
                if let Some((name, name_escaped, start)) = pending.take() {
                    let raw = s.get(start..i).ok_or(Error::JsonSyntax)?;
                    visit(TopMember {
                        name,
                        name_escaped,
                        value: Value { raw },
                        value_escaped: last_escaped && raw.starts_with('"'),
                    });
                }
            }
            i = skip_ws(b, i);
            match b.get(i) {
                Some(b',') => {
                    i = skip_ws(b, i + 1);
                    if obj {
                        let (v, name, escaped) = member_name(s, i, d, objs)?;
                        if d == 0 {
                            pending = Some((name, escaped, v));
                        }
                        i = v;
                    }
                    continue 'value;
                }
                Some(b'}') if obj => {
                    i += 1;
                    objs.close(d);
                    depth = d;
                }
                Some(b']') if !obj => {
                    i += 1;
                    depth = d;
                }
                _ => return Err(Error::JsonSyntax),
            }
        }
        break;
    }
    if skip_ws(b, i) != b.len() {
        return Err(Error::JsonTrailingData);
    }
    let raw = s.get(start..i).ok_or(Error::JsonSyntax)?;
    Ok(Value { raw })
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

/// The kind of a JSON value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `{ ... }`
    Object,
    /// `[ ... ]`
    Array,
    /// `"..."`
    String,
    /// A number.
    Number,
    /// `true` or `false`.
    Bool,
    /// `null`.
    Null,
}

/// A validated JSON value: a slice of the original document.
#[derive(Clone, Copy, Debug)]
pub struct Value<'a> {
    raw: &'a str,
}

impl<'a> Value<'a> {
    /// A view of `raw`, which must be a value [`parse`] validated (the cache
    /// rebuilds views of text it saw parsed; anything else gives wrong answers
    /// but never a panic).
    #[inline]
    pub(crate) fn from_validated(raw: &'a str) -> Self {
        Value { raw }
    }

    /// The exact JSON text of the value.
    #[inline]
    pub fn raw(&self) -> &'a str {
        self.raw
    }

    /// The kind of the value.
    #[inline]
    pub fn kind(&self) -> Kind {
        match self.raw.as_bytes().first() {
            Some(b'{') => Kind::Object,
            Some(b'[') => Kind::Array,
            Some(b'"') => Kind::String,
            Some(b't' | b'f') => Kind::Bool,
            Some(b'-' | b'0'..=b'9') => Kind::Number,
            _ => Kind::Null,
        }
    }

    /// The string, if the value is one.
    #[inline]
    pub fn as_str(&self) -> Option<JsonStr<'a>> {
        let inner = self.raw.strip_prefix('"')?.strip_suffix('"')?;
        Some(JsonStr { raw: inner })
    }

    /// The boolean, if the value is one.
    #[inline]
    pub fn as_bool(&self) -> Option<bool> {
        match self.raw {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// Whether the value is `null`.
    #[inline]
    pub fn is_null(&self) -> bool {
        self.raw == "null"
    }

    /// The number, if the value is one.
    #[inline]
    pub fn as_number(&self) -> Option<Number<'a>> {
        (self.kind() == Kind::Number).then_some(Number { raw: self.raw })
    }

    /// The member whose decoded name equals `name`; `None` if there is none
    /// or the value is not an object. (Names are unique: [`parse`] refuses
    /// duplicates.)
    pub fn get(&self, name: &str) -> Option<Value<'a>> {
        let [v] = self.get_many([name]);
        v
    }

    /// Several members in one pass over the object: element `k` of the
    /// result is the member whose decoded name equals `names[k]` (as
    /// [`Value::get`] would return it). Cheaper than separate
    /// [`Value::get`] calls when looking up many names.
    pub fn get_many<const N: usize>(&self, names: [&str; N]) -> [Option<Value<'a>>; N] {
        let mut out = [None; N];
        if !self.raw.starts_with('{') || N == 0 {
            return out;
        }
        let b = self.raw.as_bytes();
        let mut left = N;
        let mut pos = 1;
        while let Some(m) = next_member(b, pos) {
            pos = m.value_end;
            let Some(raw) = b.get(m.name_start..m.name_end) else {
                break;
            };
            for (slot, want) in out.iter_mut().zip(names) {
                if slot.is_some() {
                    continue;
                }
                let hit = if m.escaped {
                    // Escapes only shorten, so a raw name shorter than `want`
                    // cannot match.
                    raw.len() > want.len()
                        && self
                            .raw
                            .get(m.name_start..m.name_end)
                            .is_some_and(|r| JsonStr { raw: r }.eq_str(want))
                } else {
                    bytes_eq(raw, want.as_bytes())
                };
                if hit {
                    *slot = self
                        .raw
                        .get(m.value_start..m.value_end)
                        .map(|raw| Value { raw });
                    left -= 1;
                    // Names are unique: this member matches no other slot
                    // unless `names` repeats a name.
                }
            }
            if left == 0 {
                break;
            }
        }
        out
    }

    /// The members of an object, in document order; empty if the value is
    /// not an object.
    #[inline]
    pub fn members(&self) -> Members<'a> {
        Members {
            s: self.raw,
            pos: if self.raw.starts_with('{') {
                1
            } else {
                usize::MAX
            },
        }
    }

    /// The elements of an array, in document order; empty if the value is
    /// not an array.
    #[inline]
    pub fn elements(&self) -> Elements<'a> {
        Elements {
            s: self.raw,
            pos: if self.raw.starts_with('[') {
                1
            } else {
                usize::MAX
            },
        }
    }
}

/// Iterator over the `(name, value)` members of an object; see
/// [`Value::members`].
#[derive(Clone, Debug)]
pub struct Members<'a> {
    s: &'a str,
    pos: usize,
}

/// Byte offsets of one object member: name text (between the quotes) and
/// value text.
struct RawMember {
    name_start: usize,
    name_end: usize,
    escaped: bool,
    value_start: usize,
    value_end: usize,
}

/// The member after offset `pos` of an object's text (after its `{` or a
/// previous member); `None` at the end or on anything unexpected.
#[inline]
fn next_member(b: &[u8], pos: usize) -> Option<RawMember> {
    let mut i = skip_ws(b, pos);
    if *b.get(i)? == b',' {
        i = skip_ws(b, i + 1);
    }
    if *b.get(i)? != b'"' {
        return None;
    }
    let name_start = i + 1;
    let (name_end, escaped) = string_end(b, name_start)?;
    i = skip_ws(b, name_end + 1);
    if *b.get(i)? != b':' {
        return None;
    }
    let value_start = skip_ws(b, i + 1);
    let value_end = skip_value(b, value_start)?;
    Some(RawMember {
        name_start,
        name_end,
        escaped,
        value_start,
        value_end,
    })
}

impl<'a> Members<'a> {
    fn step(&mut self) -> Option<(JsonStr<'a>, Value<'a>)> {
        let m = next_member(self.s.as_bytes(), self.pos)?;
        let name = self.s.get(m.name_start..m.name_end)?;
        let value = self.s.get(m.value_start..m.value_end)?;
        self.pos = m.value_end;
        Some((JsonStr { raw: name }, Value { raw: value }))
    }
}

impl<'a> Iterator for Members<'a> {
    type Item = (JsonStr<'a>, Value<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.step();
        if item.is_none() {
            self.pos = usize::MAX;
        }
        item
    }
}

/// Iterator over the elements of an array; see [`Value::elements`].
#[derive(Clone, Debug)]
pub struct Elements<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Elements<'a> {
    fn step(&mut self) -> Option<Value<'a>> {
        let b = self.s.as_bytes();
        let mut i = skip_ws(b, self.pos);
        if *b.get(i)? == b',' {
            i = skip_ws(b, i + 1);
        }
        if matches!(b.get(i)?, b']' | b'}' | b',' | b':') {
            return None;
        }
        let ve = skip_value(b, i)?;
        let value = self.s.get(i..ve)?;
        self.pos = ve;
        Some(Value { raw: value })
    }
}

impl<'a> Iterator for Elements<'a> {
    type Item = Value<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.step();
        if item.is_none() {
            self.pos = usize::MAX;
        }
        item
    }
}

// ---------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------

/// A validated JSON string, held as its raw text between the quotes
/// (escapes not decoded).
#[derive(Clone, Copy, Debug)]
pub struct JsonStr<'a> {
    raw: &'a str,
}

impl<'a> JsonStr<'a> {
    /// A view of `raw`, the validated text between a string's quotes (see
    /// [`Value::from_validated`]).
    #[inline]
    pub(crate) fn from_validated(raw: &'a str) -> Self {
        JsonStr { raw }
    }

    /// The text between the quotes, escapes as written.
    #[inline]
    pub fn raw(&self) -> &'a str {
        self.raw
    }

    /// Whether the string contains any escape sequence.
    #[inline]
    pub fn has_escapes(&self) -> bool {
        self.raw.as_bytes().contains(&b'\\')
    }

    /// The string itself when it contains no escape (so no decoding is
    /// needed); `None` otherwise.
    #[inline]
    pub fn as_unescaped(&self) -> Option<&'a str> {
        (!self.has_escapes()).then_some(self.raw)
    }

    /// The decoded characters (escapes resolved, surrogate pairs combined).
    #[inline]
    pub fn chars(&self) -> Chars<'a> {
        Chars { rest: self.raw }
    }

    /// Length in bytes of the decoded string as UTF-8.
    pub fn decoded_len(&self) -> usize {
        if !self.has_escapes() {
            return self.raw.len();
        }
        self.chars().map(char::len_utf8).sum()
    }

    /// Whether the decoded string equals `s`, without allocating.
    #[inline]
    pub fn eq_str(&self, s: &str) -> bool {
        // Decoding never lengthens a string and every escape shortens it, so
        // with equal lengths only an escape-free, byte-equal text matches, and
        // a shorter raw text never does.
        match self.raw.len().cmp(&s.len()) {
            core::cmp::Ordering::Equal => self.raw == s && !self.has_escapes(),
            core::cmp::Ordering::Less => false,
            core::cmp::Ordering::Greater => self.has_escapes() && self.chars().eq(s.chars()),
        }
    }

    /// Decode into `out` and return the decoded text;
    /// [`Error::BufferTooSmall`] if it does not fit.
    pub fn unescape_into<'b>(&self, out: &'b mut [u8]) -> Result<&'b str, Error> {
        let mut n = 0usize;
        if self.has_escapes() {
            for c in self.chars() {
                let end = n.checked_add(c.len_utf8()).ok_or(Error::BufferTooSmall)?;
                let dst = out.get_mut(n..end).ok_or(Error::BufferTooSmall)?;
                c.encode_utf8(dst);
                n = end;
            }
        } else {
            n = self.raw.len();
            out.get_mut(..n)
                .ok_or(Error::BufferTooSmall)?
                .copy_from_slice(self.raw.as_bytes());
        }
        let out: &'b [u8] = out;
        core::str::from_utf8(out.get(..n).ok_or(Error::BufferTooSmall)?)
            .map_err(|_| Error::JsonInvalidUtf8)
    }
}

/// Decoded equality.
impl PartialEq for JsonStr<'_> {
    fn eq(&self, other: &Self) -> bool {
        if self.raw == other.raw {
            return true;
        }
        match (self.has_escapes(), other.has_escapes()) {
            (false, false) => false,
            (false, true) => other.eq_str(self.raw),
            (true, false) => self.eq_str(other.raw),
            (true, true) => self.chars().eq(other.chars()),
        }
    }
}

impl Eq for JsonStr<'_> {}

/// Iterator over the decoded characters of a [`JsonStr`].
#[derive(Clone, Debug)]
pub struct Chars<'a> {
    rest: &'a str,
}

impl Iterator for Chars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let b = self.rest.as_bytes();
        if *b.first()? == b'\\' {
            match decode_escape(b, 0) {
                Some((c, n)) => {
                    self.rest = self.rest.get(n..).unwrap_or("");
                    Some(c)
                }
                None => {
                    self.rest = "";
                    None
                }
            }
        } else {
            let c = self.rest.chars().next()?;
            self.rest = self.rest.get(c.len_utf8()..).unwrap_or("");
            Some(c)
        }
    }
}

// ---------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------

/// A validated JSON number, as its raw text.
#[derive(Clone, Copy, Debug)]
pub struct Number<'a> {
    raw: &'a str,
}

impl<'a> Number<'a> {
    /// The number exactly as written.
    #[inline]
    pub fn raw(&self) -> &'a str {
        self.raw
    }

    /// The value, only for integer syntax (no fraction or exponent) that
    /// fits in `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        if self
            .raw
            .bytes()
            .any(|c| matches!(c, b'.' | b'e' | b'E' | b'+'))
        {
            return None;
        }
        self.raw.parse().ok()
    }

    /// The value as the nearest `f64`; `None` if it overflows to infinity.
    pub fn as_f64(&self) -> Option<f64> {
        self.raw.parse::<f64>().ok().filter(|f| f.is_finite())
    }

    /// Seconds for a JWT NumericDate: the value rounded toward negative
    /// infinity, exact for integers of any size that fit i64 (including
    /// forms like 1.7e9 or 1700000000.75), None when the value does not fit
    /// in i64 (e.g. 1e400, -1e30, 99999999999999999999).
    pub fn to_seconds_floor(&self) -> Option<i64> {
        self.to_seconds().map(|(floor, _)| floor)
    }

    /// Like [`Number::to_seconds_floor`], with whether a fraction was
    /// dropped, decided on the decimal digits (an f64 would lose a fraction
    /// such as 1764000000.0000000000000000001).
    pub fn to_seconds(&self) -> Option<(i64, bool)> {
        // The usual case, a plain integer of up to 18 digits, without the
        // general digit walk (same result: such a value always fits i64).
        let digits = self.raw.strip_prefix('-').unwrap_or(self.raw).as_bytes();
        if !digits.is_empty() && digits.len() <= 18 && digits.iter().all(u8::is_ascii_digit) {
            let mag = digits
                .iter()
                .fold(0i64, |acc, &c| acc * 10 + i64::from(c - b'0'));
            let neg = digits.len() != self.raw.len();
            return Some((if neg { -mag } else { mag }, false));
        }
        self.seconds_by_digits()
    }

    /// [`Number::to_seconds`] for any number syntax, digit by digit.
    fn seconds_by_digits(&self) -> Option<(i64, bool)> {
        let (neg, b) = match self.raw.as_bytes().split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, self.raw.as_bytes()),
        };
        let digits_len = |s: &[u8]| {
            s.iter()
                .position(|c| !c.is_ascii_digit())
                .unwrap_or(s.len())
        };
        let (int, rest) = b.split_at_checked(digits_len(b))?;
        if int.is_empty() {
            return None;
        }
        let (frac, rest): (&[u8], &[u8]) = match rest.split_first() {
            Some((b'.', r)) => {
                let n = digits_len(r);
                if n == 0 {
                    return None;
                }
                r.split_at_checked(n)?
            }
            _ => (&[], rest),
        };
        let exp: i64 = match rest.split_first() {
            None => 0,
            Some((b'e' | b'E', r)) => {
                let (eneg, r) = match r.split_first() {
                    Some((b'-', r)) => (true, r),
                    Some((b'+', r)) => (false, r),
                    _ => (false, r),
                };
                if r.is_empty() {
                    return None;
                }
                let mut e: i64 = 0;
                for &c in r {
                    if !c.is_ascii_digit() {
                        return None;
                    }
                    // Saturate far beyond any meaningful exponent.
                    e = (e * 10 + i64::from(c - b'0')).min(1 << 40);
                }
                if eneg { -e } else { e }
            }
            _ => return None,
        };
        // The significant digits D = int ++ frac; the decimal point sits
        // after `point` digits of D (digits beyond D are zeros).
        let n = int.len().checked_add(frac.len())?;
        let digit = |k: usize| -> u64 {
            let c = if k < int.len() {
                int.get(k)
            } else {
                frac.get(k - int.len())
            };
            c.map_or(0, |c| u64::from(c.wrapping_sub(b'0')))
        };
        let Some(first) = (0..n).find(|&k| digit(k) != 0) else {
            return Some((0, false));
        };
        let point = i64::try_from(int.len()).ok()?.saturating_add(exp);
        let first_i = i64::try_from(first).ok()?;
        let mut mag: u64 = 0;
        if point > first_i {
            // The first digit is non-zero: 20 or more integer digits are at
            // least 1e19, beyond i64.
            if point - first_i > 19 {
                return None;
            }
            let end = usize::try_from(point).ok()?;
            for k in first..end {
                mag = mag.checked_mul(10)?.checked_add(digit(k))?;
            }
        }
        let from = usize::try_from(point.clamp(0, i64::try_from(n).ok()?)).ok()?;
        let frac_nonzero = (from..n).any(|k| digit(k) != 0);
        let floor = if neg {
            let m = if frac_nonzero {
                mag.checked_add(1)?
            } else {
                mag
            };
            0i64.checked_sub_unsigned(m)?
        } else {
            i64::try_from(mag).ok()?
        };
        Some((floor, frac_nonzero))
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use std::format;
    use std::string::{String, ToString};
    use std::vec::Vec;

    fn err(s: &str) -> Error {
        parse(s.as_bytes()).expect_err(s)
    }

    fn ok(s: &str) -> Value<'_> {
        parse(s.as_bytes()).unwrap_or_else(|e| panic!("{s:?}: {e:?}"))
    }

    #[test]
    fn accepts_all_kinds() {
        assert_eq!(ok("{}").kind(), Kind::Object);
        assert_eq!(ok("[]").kind(), Kind::Array);
        assert_eq!(ok("\"\"").kind(), Kind::String);
        assert_eq!(ok("0").kind(), Kind::Number);
        assert_eq!(ok("true").kind(), Kind::Bool);
        assert_eq!(ok("false").kind(), Kind::Bool);
        assert_eq!(ok("null").kind(), Kind::Null);
        assert!(ok("null").is_null());
        assert_eq!(ok("true").as_bool(), Some(true));
        assert_eq!(ok("false").as_bool(), Some(false));
        assert_eq!(ok("1").as_bool(), None);
        assert_eq!(ok(" \t\r\n{ } \n").raw(), "{ }");
        assert_eq!(
            ok("[1, {\"a\" : [ ]} , \"x\"]").raw(),
            "[1, {\"a\" : [ ]} , \"x\"]"
        );
        assert_eq!(ok("  -12.5e+3 ").raw(), "-12.5e+3");
    }

    #[test]
    fn whitespace_and_trailing() {
        assert_eq!(err(""), Error::JsonSyntax);
        assert_eq!(err("   "), Error::JsonSyntax);
        assert_eq!(err("{} x"), Error::JsonTrailingData);
        assert_eq!(err("{}{}"), Error::JsonTrailingData);
        assert_eq!(err("1 2"), Error::JsonTrailingData);
        assert_eq!(err("1,"), Error::JsonTrailingData);
        assert_eq!(err("\"a\"\"b\""), Error::JsonTrailingData);
        assert_eq!(err("{}\u{0c}"), Error::JsonTrailingData);
        assert_eq!(err("\u{0b}{}"), Error::JsonSyntax);
        assert_eq!(err("\u{a0}{}"), Error::JsonSyntax);
        assert_eq!(err("\u{feff}{}"), Error::JsonSyntax);
        assert_eq!(err("{}\0"), Error::JsonTrailingData);
        assert_eq!(err("[1\u{0c}]"), Error::JsonSyntax);
    }

    #[test]
    fn structural_errors() {
        for s in [
            "{",
            "[",
            "}",
            "]",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{,}",
            "{1:2}",
            "{a:1}",
            "{'a':1}",
            "['a']",
            "[1}",
            "{\"a\":1]",
            "{\"a\":1",
            "[[]",
            "\"abc",
            ":",
            ",",
            "{\"a\"::1}",
            "[1,,2]",
            "{\"a\":1 \"b\":2}",
            "tru",
            "nul",
            "True",
            "NULL",
            "truex",
            "nullnull",
            "[true false]",
        ] {
            assert_eq!(err(s), Error::JsonSyntax, "{s:?}");
        }
    }

    #[test]
    fn utf8() {
        assert_eq!(parse(b"\"\xff\"").unwrap_err(), Error::JsonInvalidUtf8);
        assert_eq!(parse(b"\"\xc3\"").unwrap_err(), Error::JsonInvalidUtf8);
        assert_eq!(
            parse(b"\"\xed\xa0\x80\"").unwrap_err(),
            Error::JsonInvalidUtf8
        );
        assert_eq!(parse(b"{\"\xe9\":1}").unwrap_err(), Error::JsonInvalidUtf8);
        let v = ok("\"h\u{e9}llo \u{1f600}\"");
        assert!(v.as_str().unwrap().eq_str("h\u{e9}llo \u{1f600}"));
    }

    #[test]
    fn control_chars() {
        for c in 0u8..0x20 {
            let doc = [b'"', b'a', c, b'"'];
            assert_eq!(parse(&doc).unwrap_err(), Error::JsonControlChar, "{c}");
            // Also deep in a long string (SWAR path).
            let mut long = Vec::from(&b"\"0123456789abcdef"[..]);
            long.push(c);
            long.extend_from_slice(b"0123456789\"");
            assert_eq!(parse(&long).unwrap_err(), Error::JsonControlChar, "{c}");
        }
        assert!(parse(b"\"\x7f\"").is_ok());
        assert!(parse(b"\" \"").is_ok());
    }

    #[test]
    fn escapes_accepted() {
        let v = ok(r#""https:\/\/issuer""#);
        let s = v.as_str().unwrap();
        assert!(s.has_escapes());
        assert_eq!(s.as_unescaped(), None);
        assert!(s.eq_str("https://issuer"));
        assert!(!s.eq_str("https:\\/\\/issuer"));
        assert_eq!(s.raw(), r"https:\/\/issuer");
        assert_eq!(s.decoded_len(), "https://issuer".len());

        let s = ok(r#""\u00e9""#).as_str().unwrap();
        assert!(s.eq_str("\u{e9}"));
        assert_eq!(s.decoded_len(), 2);
        let s = ok(r#""\u00E9\u00e9""#).as_str().unwrap();
        assert!(s.eq_str("\u{e9}\u{e9}"));

        let s = ok(r#""\ud83d\ude00""#).as_str().unwrap();
        assert_eq!(s.chars().collect::<String>(), "\u{1f600}");
        assert!(s.eq_str("\u{1f600}"));
        assert_eq!(s.decoded_len(), 4);
        let s = ok(r#""\uD83D\uDE00x""#).as_str().unwrap();
        assert!(s.eq_str("\u{1f600}x"));

        let s = ok(r#""\"\\\/\b\f\n\r\t""#).as_str().unwrap();
        assert!(s.eq_str("\"\\/\u{8}\u{c}\n\r\t"));
        let s = ok(r#""a\u0000b""#).as_str().unwrap();
        assert!(s.eq_str("a\0b"));
        let s = ok(r#""\uFFFF\uE000\u0041""#).as_str().unwrap();
        assert!(s.eq_str("\u{ffff}\u{e000}A"));

        let plain = ok("\"plain\"").as_str().unwrap();
        assert!(!plain.has_escapes());
        assert_eq!(plain.as_unescaped(), Some("plain"));
        assert!(plain.eq_str("plain"));
        assert!(!plain.eq_str("plainx"));
        assert!(!plain.eq_str("plai"));
    }

    #[test]
    fn escapes_rejected() {
        for s in [
            r#""\a""#,
            r#""\x41""#,
            r#""\U0041""#,
            r#""\u""#,
            r#""\u12""#,
            r#""\u12G4""#,
            r#""\'""#,
            r#""\0""#,
            r#""\ ""#,
            r#""\ud800""#,
            r#""\ud800x""#,
            r#""\udc00""#,
            r#""\ude00\ud83d""#,
            r#""\ud83d\u0041""#,
            r#""\ud83d\ud83d""#,
            r#""\ud83d\n""#,
            r#""\ud83d\""#,
            r#""\uDBFF\uE000""#,
            "\"\\\u{e9}\"",
            r#"{"\q":1}"#,
        ] {
            assert_eq!(err(s), Error::JsonBadEscape, "{s:?}");
        }
        // Unterminated.
        assert_eq!(err(r#""\u00e9"#), Error::JsonSyntax);
    }

    #[test]
    fn unescape_into_buffers() {
        let s = ok(r#""https:\/\/issuer""#).as_str().unwrap();
        let mut buf = [0u8; 64];
        assert_eq!(s.unescape_into(&mut buf).unwrap(), "https://issuer");
        let mut exact = [0u8; 14];
        assert_eq!(s.unescape_into(&mut exact).unwrap(), "https://issuer");
        let mut small = [0u8; 13];
        assert_eq!(
            s.unescape_into(&mut small).unwrap_err(),
            Error::BufferTooSmall
        );
        let s = ok(r#""\ud83d\ude00""#).as_str().unwrap();
        let mut small = [0u8; 3];
        assert_eq!(
            s.unescape_into(&mut small).unwrap_err(),
            Error::BufferTooSmall
        );
        let mut four = [0u8; 4];
        assert_eq!(s.unescape_into(&mut four).unwrap(), "\u{1f600}");
        let p = ok("\"abc\"").as_str().unwrap();
        assert_eq!(
            p.unescape_into(&mut [0u8; 2]).unwrap_err(),
            Error::BufferTooSmall
        );
        assert_eq!(p.unescape_into(&mut [0u8; 3]).unwrap(), "abc");
        let e = ok("\"\"").as_str().unwrap();
        assert_eq!(e.unescape_into(&mut []).unwrap(), "");
    }

    #[test]
    fn str_equality() {
        let v = ok(r#"["a/b", "a\/b", "a\u002fb", "a\u002Fc", "ab"]"#);
        let e: Vec<JsonStr<'_>> = v.elements().map(|x| x.as_str().unwrap()).collect();
        assert_eq!(e[0], e[1]);
        assert_eq!(e[1], e[2]);
        assert_eq!(e[0], e[2]);
        assert_ne!(e[2], e[3]);
        assert_ne!(e[0], e[4]);
        assert_ne!(e[1], e[4]);
    }

    #[test]
    fn numbers_accepted() {
        for s in [
            "0",
            "-0",
            "1",
            "-1",
            "10",
            "1234567890",
            "0.5",
            "-0.5",
            "1.25",
            "1e5",
            "1E5",
            "1e+5",
            "1e-5",
            "1.5e10",
            "-1.5E-10",
            "0e0",
            "0.0",
            "123.456e789",
            "1e400",
            "99999999999999999999999",
        ] {
            assert_eq!(ok(s).kind(), Kind::Number, "{s}");
            assert_eq!(ok(&format!("[{s}]")).elements().next().unwrap().raw(), s);
            assert_eq!(ok(&format!("{{\"n\":{s}}}")).get("n").unwrap().raw(), s);
        }
    }

    #[test]
    fn numbers_rejected() {
        for s in [
            "+1",
            "01",
            "-01",
            "00",
            "0.",
            "1.",
            ".5",
            "-.5",
            "-",
            "1e",
            "1e+",
            "1E-",
            "1.e5",
            "0x10",
            "0X1",
            "NaN",
            "Infinity",
            "-Infinity",
            "inf",
            "1.2.3",
            "1e5.5",
            "1ee5",
            "--1",
            "-+1",
            "1_000",
            "[01]",
            "[1.]",
            "{\"a\":.5}",
            "[-]",
            "[1e]",
            "1a",
        ] {
            assert_eq!(err(s), Error::JsonSyntax, "{s}");
        }
    }

    #[test]
    fn number_accessors() {
        fn n(s: &str) -> Number<'_> {
            ok(s).as_number().unwrap()
        }
        assert_eq!(n("42").as_i64(), Some(42));
        assert_eq!(n("-42").as_i64(), Some(-42));
        assert_eq!(n("-0").as_i64(), Some(0));
        assert_eq!(n("9223372036854775807").as_i64(), Some(i64::MAX));
        assert_eq!(n("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(n("9223372036854775808").as_i64(), None);
        assert_eq!(n("1.0").as_i64(), None);
        assert_eq!(n("1e2").as_i64(), None);
        assert_eq!(n("1.5").as_f64(), Some(1.5));
        assert_eq!(n("-2e3").as_f64(), Some(-2000.0));
        assert_eq!(n("1e400").as_f64(), None);
        assert_eq!(n("7").raw(), "7");
        assert!(ok("\"1\"").as_number().is_none());
        assert!(ok("null").as_number().is_none());
    }

    #[test]
    fn seconds_floor() {
        let f = |s: &str| ok(s).as_number().unwrap().to_seconds_floor();
        assert_eq!(f("0"), Some(0));
        assert_eq!(f("-0"), Some(0));
        assert_eq!(f("-0.0e-5"), Some(0));
        assert_eq!(f("-1"), Some(-1));
        assert_eq!(f("1.5"), Some(1));
        assert_eq!(f("-1.5"), Some(-2));
        assert_eq!(f("-0.5"), Some(-1));
        assert_eq!(f("0.5"), Some(0));
        assert_eq!(f("1.7e9"), Some(1_700_000_000));
        assert_eq!(f("1700000000.75"), Some(1_700_000_000));
        assert_eq!(f("-1700000000.75"), Some(-1_700_000_001));
        assert_eq!(f("1e400"), None);
        assert_eq!(f("-1e400"), None);
        assert_eq!(f("-1e30"), None);
        assert_eq!(f("1e-400"), Some(0));
        assert_eq!(f("-1e-400"), Some(-1));
        assert_eq!(f("0e999999999999999999999"), Some(0));
        assert_eq!(f("1e-999999999999999999999"), Some(0));
        assert_eq!(f("9223372036854775807"), Some(i64::MAX));
        assert_eq!(f("9223372036854775807.5"), Some(i64::MAX));
        assert_eq!(f("9223372036854775808"), None);
        assert_eq!(f("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(f("-9223372036854775808.5"), None);
        assert_eq!(f("-9223372036854775809"), None);
        assert_eq!(f("99999999999999999999"), None);
        assert_eq!(f("1E2"), Some(100));
        assert_eq!(f("0.0001e4"), Some(1));
        assert_eq!(f("0.00015e4"), Some(1));
        assert_eq!(f("17e8"), Some(1_700_000_000));
        assert_eq!(f("170000000000e-2"), Some(1_700_000_000));
        assert_eq!(f("0.000000000000000000000000001e27"), Some(1));
        assert_eq!(f("9.223372036854775807e18"), Some(i64::MAX));
        assert_eq!(f("9.223372036854775808e18"), None);
        assert_eq!(f("123456.789e-3"), Some(123));
        assert_eq!(f("-123456.789e-3"), Some(-124));
        assert_eq!(f("-123000e-3"), Some(-123));
    }

    /// The integer fast path agrees with the digit walk around every length
    /// and sign it covers (and just beyond).
    #[test]
    fn seconds_fast_path_matches_digit_walk() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for len in 1..=20usize {
            for _ in 0..300 {
                let mut s = String::new();
                for k in 0..len {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    let d = (x % 10) as u8;
                    // Mostly no leading zero (as JSON has it), sometimes all nines.
                    let d = if k == 0 && len > 1 && d == 0 { 1 } else { d };
                    let d = if x.is_multiple_of(17) { 9 } else { d };
                    s.push(char::from(b'0' + d));
                }
                for t in [s.clone(), format!("-{s}")] {
                    let n = Number { raw: &t };
                    assert_eq!(n.to_seconds(), n.seconds_by_digits(), "{t}");
                }
            }
        }
    }

    #[test]
    fn object_access() {
        let v = ok(
            r#"{"iss":"https:\/\/issuer","aud":["a","b",{"x":[1,"]}"]}],"exp":1700000000,
                "n\u0061me":"x","nested":{"iss":"inner"},"t":true,"f":false,"z":null,"e":{},"ea":[]}"#,
        );
        assert_eq!(v.kind(), Kind::Object);
        assert!(
            v.get("iss")
                .unwrap()
                .as_str()
                .unwrap()
                .eq_str("https://issuer")
        );
        assert_eq!(
            v.get("exp").unwrap().as_number().unwrap().as_i64(),
            Some(1_700_000_000)
        );
        assert_eq!(v.get("name").unwrap().raw(), "\"x\"");
        assert!(v.get("n\\u0061me").is_none());
        assert!(v.get("missing").is_none());
        assert_eq!(
            v.get("nested").unwrap().get("iss").unwrap().raw(),
            "\"inner\""
        );
        assert_eq!(v.get("t").unwrap().as_bool(), Some(true));
        assert_eq!(v.get("f").unwrap().as_bool(), Some(false));
        assert!(v.get("z").unwrap().is_null());
        assert_eq!(v.get("e").unwrap().members().count(), 0);
        assert_eq!(v.get("ea").unwrap().elements().count(), 0);
        let aud: Vec<&str> = v.get("aud").unwrap().elements().map(|e| e.raw()).collect();
        assert_eq!(aud, ["\"a\"", "\"b\"", "{\"x\":[1,\"]}\"]}"]);
        let names: Vec<String> = v.members().map(|(k, _)| k.chars().collect()).collect();
        assert_eq!(
            names,
            [
                "iss", "aud", "exp", "name", "nested", "t", "f", "z", "e", "ea"
            ]
        );
        // Not an object / not an array.
        assert!(ok("[1]").get("a").is_none());
        assert_eq!(ok("[1]").members().count(), 0);
        assert_eq!(ok("{\"a\":1}").elements().count(), 0);
        assert_eq!(ok("\"{\\\"a\\\":1}\"").members().count(), 0);
        assert_eq!(ok("3").elements().count(), 0);
        // Iterators are fused.
        let mut m = ok("{\"a\":1}").members();
        assert!(m.next().is_some());
        assert!(m.next().is_none());
        assert!(m.next().is_none());
        // Whitespace everywhere.
        let v = ok(" {\n \"a\" \t: \r [ 1 , 2 ] , \"b\" : { } } ");
        assert_eq!(v.get("a").unwrap().elements().count(), 2);
        assert_eq!(v.get("b").unwrap().raw(), "{ }");
    }

    #[test]
    fn get_many_one_pass() {
        let v = ok(r#"{"iss":"i","sub":"s","a\"b":1,"\u00e9t\u00e9":2,"exp":3,"x":{"iss":"no"}}"#);
        let [iss, exp, quoted, ete, missing, sub, iss2] =
            v.get_many(["iss", "exp", "a\"b", "\u{e9}t\u{e9}", "nope", "sub", "iss"]);
        assert_eq!(iss.unwrap().raw(), "\"i\"");
        assert_eq!(iss2.unwrap().raw(), "\"i\"");
        assert_eq!(exp.unwrap().raw(), "3");
        assert_eq!(quoted.unwrap().raw(), "1");
        assert_eq!(ete.unwrap().raw(), "2");
        assert!(missing.is_none());
        assert_eq!(sub.unwrap().raw(), "\"s\"");
        assert_eq!(v.get("a\"b").unwrap().raw(), "1");
        assert!(v.get("a\\\"b").is_none());
        assert!(v.get("\\u00e9t\\u00e9").is_none());
        assert_eq!(v.get("\u{e9}t\u{e9}").unwrap().raw(), "2");
        assert!(ok("[1]").get_many(["a", "b"]).iter().all(Option::is_none));
        let [] = v.get_many([]);
    }

    #[test]
    fn wrongly_constructed_values_do_not_panic() {
        for raw in [
            "",
            "{",
            "[",
            "{\"",
            "{\"a",
            "{\"a\"",
            "{\"a\":",
            "{\"a\":\"",
            "{\"a\":[",
            "[\"",
            "[{",
            "{\"a\\",
            "\"",
            "\"\\",
            "\"\\u12",
            "\"\\ud800\"",
            "-",
            "1e",
            "1.",
            "--",
            "{\"a\":}",
            "[,]",
            "{]",
            "[}",
            "{\"a\":1,,}",
            "\\",
            "{\"\\u\":1}",
        ] {
            let v = Value { raw };
            let _ = v.kind();
            let _ = v.get("a");
            let _ = v.members().count();
            let _ = v.elements().count();
            if let Some(s) = v.as_str() {
                let _ = s.chars().count();
                let _ = s.decoded_len();
                let _ = s.eq_str("abc");
                let _ = s.unescape_into(&mut [0u8; 8]);
            }
            let n = Number { raw };
            let _ = (n.as_i64(), n.as_f64(), n.to_seconds_floor());
            let s = JsonStr { raw };
            let _ = (s.chars().count(), s.decoded_len(), s.eq_str("\\"), s == s);
        }
    }

    #[test]
    fn depth_limit() {
        let nest = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(nest(MAX_DEPTH).as_bytes()).is_ok());
        assert_eq!(
            parse(nest(MAX_DEPTH + 1).as_bytes()).unwrap_err(),
            Error::JsonTooDeep
        );
        let obj = |n: usize| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
        assert!(parse(obj(MAX_DEPTH).as_bytes()).is_ok());
        assert_eq!(
            parse(obj(MAX_DEPTH + 1).as_bytes()).unwrap_err(),
            Error::JsonTooDeep
        );
        let mixed = format!("{}0{}", "[{\"a\":".repeat(16), "}]".repeat(16));
        let v = parse(mixed.as_bytes()).unwrap();
        assert_eq!(
            v.elements().next().unwrap().get("a").unwrap().kind(),
            Kind::Array
        );
        let mixed = format!("{}0{}", "[{\"a\":".repeat(17), "}]".repeat(17));
        assert_eq!(parse(mixed.as_bytes()).unwrap_err(), Error::JsonTooDeep);
        // Depth is released when containers close.
        let many = format!("[{}]", std::vec![nest(MAX_DEPTH - 1); 50].join(","));
        assert!(parse(many.as_bytes()).is_ok());
    }

    #[test]
    fn deep_nesting_small_stack() {
        let h = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(|| {
                let arr = "[".repeat(100_000);
                assert_eq!(parse(arr.as_bytes()).unwrap_err(), Error::JsonTooDeep);
                let obj = "{\"a\":".repeat(100_000);
                assert_eq!(parse(obj.as_bytes()).unwrap_err(), Error::JsonTooDeep);
                let closed = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
                assert_eq!(parse(closed.as_bytes()).unwrap_err(), Error::JsonTooDeep);
            })
            .unwrap();
        h.join().unwrap();
    }

    #[test]
    fn duplicates() {
        for s in [
            r#"{"a":1,"a":2}"#,
            r#"{"a":1,"b":2,"a":3}"#,
            r#"{"a":1,"\u0061":2}"#,
            r#"{"\u0061":1,"a":2}"#,
            r#"{"\u0061":1,"\u0061":2}"#,
            r#"{"\u0061":1,"\u0041":2,"\u0061":2}"#,
            r#"{"a/b":1,"a\/b":2}"#,
            "{\"\u{e9}\":1,\"\\u00e9\":2}",
            "{\"\u{1f600}\":1,\"\\ud83d\\ude00\":2}",
            r#"{"x":{"a":1,"a":2}}"#,
            r#"[{"a":1},{"b":1,"b":2}]"#,
            r#"{"x":[{"y":{"a":[],"a":{}}}]}"#,
            r#"{"a":{"b":1},"a":{"b":1}}"#,
            r#"{"":1,"":2}"#,
        ] {
            assert_eq!(err(s), Error::JsonDuplicateMember, "{s}");
        }
        for s in [
            r#"{"a":1,"A":2}"#,
            r#"{"a":{"a":1},"b":{"a":2}}"#,
            r#"{"a":{"a":{"a":{"a":1}}}}"#,
            r#"[{"a":1},{"a":1}]"#,
            r#"{"a":"a","b":"a"}"#,
            r#"{"ab":1,"a":2,"b":3,"\u0061\u0062c":4}"#,
            r#"{"":1," ":2}"#,
        ] {
            assert!(parse(s.as_bytes()).is_ok(), "{s}");
        }
    }

    /// Two different names with the same FNV-1a hash are not duplicates.
    #[test]
    fn hash_collisions_are_not_duplicates() {
        let mut seen = std::collections::HashMap::new();
        let (a, b) = (0u32..)
            .find_map(|i| {
                let name = format!("k{i}");
                let h = fnv1a(FNV_OFFSET, name.as_bytes());
                seen.insert(h, name.clone()).map(|prev| (prev, name))
            })
            .unwrap();
        assert_ne!(a, b);
        let doc = format!(r#"{{"{a}":1,"{b}":2}}"#);
        let v = parse(doc.as_bytes()).unwrap();
        assert_eq!(v.get(&b).unwrap().raw(), "2");
        let doc = format!(r#"{{"{a}":1,"{b}":2,"{a}":3}}"#);
        assert_eq!(
            parse(doc.as_bytes()).unwrap_err(),
            Error::JsonDuplicateMember
        );
        // Escaped spelling hashes the same as the decoded name.
        let esc: String = b.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
        let doc = format!(r#"{{"{a}":1,"{b}":2,"{esc}":3}}"#);
        assert_eq!(
            parse(doc.as_bytes()).unwrap_err(),
            Error::JsonDuplicateMember
        );
    }

    fn object_with(n: usize, prefix: &str) -> String {
        let members: Vec<String> = (0..n).map(|i| format!("\"{prefix}{i}\":{i}")).collect();
        format!("{{{}}}", members.join(","))
    }

    #[test]
    fn member_limit() {
        let max = object_with(MAX_MEMBERS, "m");
        let v = parse(max.as_bytes()).unwrap();
        assert_eq!(v.members().count(), MAX_MEMBERS);
        assert_eq!(v.get("m255").unwrap().raw(), "255");
        let over = object_with(MAX_MEMBERS + 1, "m");
        assert_eq!(
            parse(over.as_bytes()).unwrap_err(),
            Error::JsonTooManyMembers
        );
        let nested = format!("[{{\"x\":{over}}}]");
        assert_eq!(
            parse(nested.as_bytes()).unwrap_err(),
            Error::JsonTooManyMembers
        );
        // Arrays have no member limit.
        let arr = format!("[{}]", ["1"; 1000].join(","));
        assert_eq!(parse(arr.as_bytes()).unwrap().elements().count(), 1000);
    }

    /// When the shared hash stack is full, duplicates are still found.
    #[test]
    fn duplicates_beyond_hash_capacity() {
        let outer: Vec<String> = (0..200).map(|i| format!("\"o{i}\":{i}")).collect();
        let inner_ok = object_with(200, "i");
        let doc = format!("{{{},\"inner\":{inner_ok},\"o200\":1}}", outer.join(","));
        let v = parse(doc.as_bytes()).unwrap();
        assert_eq!(v.get("inner").unwrap().members().count(), 200);
        // Duplicate inside the inner object, after the stack filled.
        let inner_dup = format!("{{{},\"i150\":0}}", &inner_ok[1..inner_ok.len() - 1]);
        let doc = format!("{{{},\"inner\":{inner_dup}}}", outer.join(","));
        assert_eq!(
            parse(doc.as_bytes()).unwrap_err(),
            Error::JsonDuplicateMember
        );
        // Duplicate in the outer object after the inner one closed.
        let doc = format!("{{{},\"inner\":{inner_ok},\"o7\":1}}", outer.join(","));
        assert_eq!(
            parse(doc.as_bytes()).unwrap_err(),
            Error::JsonDuplicateMember
        );
        // Two levels each with MAX_MEMBERS.
        let full = object_with(MAX_MEMBERS, "q");
        let rest = object_with(MAX_MEMBERS - 1, "q");
        let doc = format!("{{\"a\":{full},{}", &rest[1..]);
        let v = parse(doc.as_bytes()).unwrap();
        assert_eq!(v.members().count(), MAX_MEMBERS);
        assert_eq!(v.get("a").unwrap().members().count(), MAX_MEMBERS);
    }

    /// Name `i` of the colliding set (`crate::fnv_collisions`).
    fn colliding_name(i: usize) -> String {
        String::from_utf8(crate::fnv_collisions::name(i).to_vec()).unwrap()
    }

    /// `n` members with fresh names `{prefix}{i}`, comma-separated.
    fn members(n: usize, prefix: &str) -> String {
        let m: Vec<String> = (0..n).map(|i| format!("\"{prefix}{i}\":0")).collect();
        m.join(",")
    }

    /// Parse `doc` and check the work bound: re-walked bytes within the
    /// budget, hash comparisons within 32 per input byte.
    fn bounded(doc: &str) -> Result<ParseWork, Error> {
        let (r, w) = parse_counting(doc.as_bytes());
        let len = doc.len();
        assert!(
            w.walked <= WALK_PER_BYTE * len,
            "walked {} bytes for {len} ({:.1} per byte)",
            w.walked,
            w.walked as f64 / len as f64
        );
        assert!(
            w.hash_compares <= 32 * len,
            "{} hash compares for {len} bytes",
            w.hash_compares
        );
        r.map(|_| w)
    }

    #[test]
    fn colliding_names_collide() {
        let h = fnv1a(FNV_OFFSET, colliding_name(0).as_bytes());
        assert_eq!(h, 0x09bf_205f);
        for i in 1..256 {
            assert_eq!(fnv1a(FNV_OFFSET, colliding_name(i).as_bytes()), h);
            assert_ne!(colliding_name(i), colliding_name(i - 1));
        }
    }

    /// Worst-case shapes of about 14 KB: the duplicate check's extra work stays
    /// within `WALK_PER_BYTE` re-walked bytes and 32 hash comparisons per
    /// input byte, refusing with `JsonTooComplex` what would need more.
    /// Without the budget the collision document re-walks 1.47 MB for its
    /// 11.5 KB (127 bytes per byte, quadratic in the member count).
    #[test]
    fn parse_work_is_linear_in_the_input() {
        // 256 names sharing one 32-bit hash: each new name matched them all.
        let names: Vec<String> = (0..256)
            .map(|i| format!("\"{}\":0", colliding_name(i)))
            .collect();
        let doc = format!("{{{}}}", names.join(","));
        assert_eq!(bounded(&doc).unwrap_err(), Error::JsonTooComplex);
        // The same names one level down, and with a duplicate at the end: still
        // refused, never accepted.
        assert_eq!(
            bounded(&format!("{{\"alg\":\"RS256\",\"x\":{doc}}}")).unwrap_err(),
            Error::JsonTooComplex
        );
        let dup = format!("{{{},{}}}", names.join(","), names[3]);
        assert!(matches!(
            bounded(&dup).unwrap_err(),
            Error::JsonTooComplex | Error::JsonDuplicateMember
        ));
        // Full hash stack (two objects of 256 names open), then an object whose
        // first member is a long array and whose later names each walked it.
        let doc = format!(
            "{{{},\"b\":{{{},\"c\":{{\"big\":[0{}],{}}}}}}}",
            members(255, "a"),
            members(255, "b"),
            ",0".repeat(3000),
            members(255, "c")
        );
        assert!(doc.len() < 16 * 1024);
        assert_eq!(bounded(&doc).unwrap_err(), Error::JsonTooComplex);
        // Deep nesting, many members at every level: more than the hash stack
        // holds (1271 names open) may be refused, fewer (403) parse.
        let deep = |per: usize| {
            let mut doc = String::new();
            for d in 0..MAX_DEPTH - 1 {
                doc += &format!("{{{},\"n\":", members(per, &format!("d{d}_")));
            }
            doc + "0" + &"}".repeat(MAX_DEPTH - 1)
        };
        assert!(matches!(
            bounded(&deep(40)),
            Ok(_) | Err(Error::JsonTooComplex)
        ));
        bounded(&deep(12)).unwrap();
        // Distinct names at the member limit: hash comparisons only.
        let w = bounded(&object_with(MAX_MEMBERS, "m")).unwrap();
        assert_eq!(w.walked, 0);
    }

    /// Ordinary documents re-walk nothing, and an accidental collision costs
    /// one walk: the budget never refuses them.
    #[test]
    fn ordinary_documents_walk_nothing() {
        for doc in [
            r#"{"alg":"RS256","kid":"ins_2abc","typ":"JWT"}"#,
            r#"{"sub":"user_1","iss":"https://clerk.example.com","aud":["a","b"],"exp":1,"iat":0,"nbf":0,"azp":"x","sid":"s","org":{"id":"o","role":"admin","perms":["r","w"]}}"#,
        ] {
            assert_eq!(bounded(doc).unwrap().walked, 0, "{doc}");
        }
        let doc = format!(
            "{{\"{}\":1,\"{}\":2}}",
            colliding_name(0),
            colliding_name(1)
        );
        let w = bounded(&doc).unwrap();
        assert!(w.walked > 0 && w.walked < doc.len());
        // 400 names open at once (beyond MAX_MEMBERS, within the hash stack):
        // only 16-bit collisions between siblings walk, once each.
        let doc = format!("{{{},\"i\":{}}}", members(200, "o"), object_with(200, "i"));
        assert!(bounded(&doc).unwrap().walked <= doc.len());
    }

    /// Our value as a serde_json value; `None` for a number that overflows f64.
    fn to_serde(v: Value<'_>) -> Option<serde_json::Value> {
        Some(match v.kind() {
            Kind::Object => {
                let mut m = serde_json::Map::new();
                for (k, v) in v.members() {
                    m.insert(k.chars().collect(), to_serde(v)?);
                }
                serde_json::Value::Object(m)
            }
            Kind::Array => {
                serde_json::Value::Array(v.elements().map(to_serde).collect::<Option<_>>()?)
            }
            Kind::String => {
                let s = v.as_str().unwrap();
                let mut buf = std::vec![0u8; s.decoded_len()];
                let t = s.unescape_into(&mut buf).unwrap();
                assert_eq!(t, s.chars().collect::<String>());
                serde_json::Value::String(t.into())
            }
            Kind::Number => {
                let n = v.as_number().unwrap();
                match (n.as_i64(), n.raw().parse::<u64>()) {
                    (Some(0), _) if n.raw().starts_with('-') => {
                        serde_json::Number::from_f64(-0.0)?.into()
                    }
                    (Some(i), _) => i.into(),
                    (None, Ok(u)) => u.into(),
                    (None, Err(_)) => serde_json::Number::from_f64(n.as_f64()?)?.into(),
                }
            }
            Kind::Bool => v.as_bool().unwrap().into(),
            Kind::Null => serde_json::Value::Null,
        })
    }

    /// Structural equality, numbers compared to within rounding (serde_json's
    /// default float parser is not always correctly rounded).
    fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
        use serde_json::Value as J;
        match (a, b) {
            (J::Object(x), J::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
            }
            (J::Array(x), J::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
            }
            (J::Number(x), J::Number(y)) => {
                x == y || {
                    let (p, q) = (x.as_f64().unwrap(), y.as_f64().unwrap());
                    (p - q).abs() <= 1e-14 * p.abs().max(q.abs())
                }
            }
            _ => a == b,
        }
    }

    const DOCS: &[&str] = &[
        r#"{"iss":"https:\/\/issuer.example.com","sub":"user-123","aud":["api","web"],
            "exp":1700000000,"nbf":1699990000,"iat":1699990000,"jti":"abc\u00e9\ud83d\ude00",
            "scope":"read write","nested":{"a":[1,2.5,-3e2,{"b":null}],"c":true,"d":false},
            "esc":"\"\\\/\b\f\n\r\t\u0000\u001f","empty":"","e":{},"ea":[]}"#,
        r#"{"alg":"RS256","kid":"key-1","typ":"JWT"}"#,
        r#"[1, -0.25, 1e10, 12345678901234, "x", [], [[]], {"a":{"b":{"c":[]}}}]"#,
        r#""just a string \u2028""#,
        "  123  ",
        "null",
        r#"{"\u0041\u00DF\u6771\uD800\uDC00":"k","unicode":"héllo wörld 😀"}"#,
    ];

    #[test]
    fn differential_serde_json() {
        for doc in DOCS {
            let ours = to_serde(ok(doc)).unwrap();
            let theirs: serde_json::Value = serde_json::from_str(doc).unwrap();
            assert_eq!(ours, theirs, "{doc}");
        }
    }

    /// Random mutations of valid documents: never panics, and whatever we
    /// accept serde_json accepts too, with the same content.
    #[test]
    fn mutation_fuzz() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let alphabet = b"{}[]\":,\\/u0123456789abcdefABCDEF.eE+- \t\n\rtrunlsx\x00\x1f\x7f\xc3\xa9";
        for _ in 0..20_000 {
            let doc = DOCS[(rnd() % DOCS.len() as u64) as usize];
            let mut bytes = Vec::from(doc.as_bytes());
            for _ in 0..(1 + rnd() % 3) {
                let pos = (rnd() % (bytes.len() as u64 + 1)) as usize;
                match rnd() % 3 {
                    0 if pos < bytes.len() => {
                        bytes.remove(pos);
                    }
                    1 if pos < bytes.len() => {
                        bytes[pos] = alphabet[(rnd() % alphabet.len() as u64) as usize];
                    }
                    _ => bytes.insert(pos, alphabet[(rnd() % alphabet.len() as u64) as usize]),
                }
            }
            if let Ok(v) = parse(&bytes) {
                let theirs: serde_json::Value = match serde_json::from_slice(&bytes) {
                    Ok(t) => t,
                    // serde_json refuses exponents it cannot represent; RFC 8259 does not.
                    Err(e) if e.to_string().starts_with("number out of range") => continue,
                    Err(e) => panic!("{:?}: {e}", String::from_utf8_lossy(&bytes)),
                };
                if let Some(ours) = to_serde(v) {
                    assert!(
                        same(&ours, &theirs),
                        "{:?}",
                        String::from_utf8_lossy(&bytes)
                    );
                }
            }
        }
    }
}
