//! serde_json as an independent JSON oracle, into a tree that keeps member
//! order and duplicate names (serde_json's own `Value` would silently keep the
//! last duplicate, hiding exactly what the core must refuse).

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON value as serde_json parsed it.
#[derive(Clone, Debug, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    /// An integer that fits i64/u64 (serde_json's integer path).
    Int(i128),
    /// Any other number, as the nearest f64 (`float_roundtrip`: correctly rounded).
    Float(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    /// Nesting depth: scalars 0, `[]` and `{}` 1.
    pub fn depth(&self) -> usize {
        match self {
            J::Arr(v) => 1 + v.iter().map(J::depth).max().unwrap_or(0),
            J::Obj(v) => 1 + v.iter().map(|(_, x)| x.depth()).max().unwrap_or(0),
            _ => 0,
        }
    }

    /// Largest member count of any object.
    pub fn max_members(&self) -> usize {
        match self {
            J::Arr(v) => v.iter().map(J::max_members).max().unwrap_or(0),
            J::Obj(v) => v
                .iter()
                .map(|(_, x)| x.max_members())
                .max()
                .unwrap_or(0)
                .max(v.len()),
            _ => 0,
        }
    }

    /// Whether some object repeats a member name.
    pub fn has_duplicate(&self) -> bool {
        match self {
            J::Arr(v) => v.iter().any(J::has_duplicate),
            J::Obj(v) => {
                let mut names: Vec<&str> = v.iter().map(|(k, _)| k.as_str()).collect();
                names.sort_unstable();
                names.windows(2).any(|w| w[0] == w[1]) || v.iter().any(|(_, x)| x.has_duplicate())
            }
            _ => false,
        }
    }

    /// The member `name` of an object (first one).
    pub fn get(&self, name: &str) -> Option<&J> {
        match self {
            J::Obj(v) => v.iter().find(|(k, _)| k == name).map(|(_, x)| x),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Parse with serde_json (RFC 8259, its own recursion limit of 128).
pub fn parse(input: &[u8]) -> Result<J, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(input);
    let v = J::deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

impl<'de> Deserialize<'de> for J {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<J, D::Error> {
        d.deserialize_any(JVisitor)
    }
}

struct JVisitor;

impl<'de> Visitor<'de> for JVisitor {
    type Value = J;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<J, E> {
        Ok(J::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<J, E> {
        Ok(J::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<J, E> {
        Ok(J::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<J, E> {
        Ok(J::Int(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<J, E> {
        Ok(J::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<J, E> {
        Ok(J::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<J, E> {
        Ok(J::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<J, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = seq.next_element()? {
            v.push(x);
        }
        Ok(J::Arr(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<J, A::Error> {
        let mut v = Vec::new();
        while let Some((k, x)) = map.next_entry::<String, J>()? {
            v.push((k, x));
        }
        Ok(J::Obj(v))
    }
}

/// The exact ceiling of a JSON number's text, computed on its decimal digits
/// (no floating point); `None` when it exceeds 10^30 in magnitude.
pub fn number_ceil(raw: &str) -> Option<i128> {
    let (neg, rest) = match raw.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, raw),
    };
    let (mant, exp) = match rest.find(['e', 'E']) {
        Some(p) => (&rest[..p], rest[p + 1..].parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let (int, frac) = match mant.find('.') {
        Some(p) => (&mant[..p], &mant[p + 1..]),
        None => (mant, ""),
    };
    let mut digits: String = format!("{int}{frac}");
    // value = digits * 10^shift
    let shift = exp.checked_sub(frac.len() as i64)?;
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() {
        return Some(0);
    }
    digits = trimmed.to_owned();
    let (whole, fractional) = if shift >= 0 {
        if digits.len() as i64 + shift > 31 {
            return None;
        }
        (format!("{digits}{}", "0".repeat(shift as usize)), false)
    } else {
        let cut = digits.len() as i64 + shift;
        if cut <= 0 {
            (String::from("0"), true)
        } else {
            let (w, f) = digits.split_at(cut as usize);
            (w.to_owned(), f.bytes().any(|b| b != b'0'))
        }
    };
    if whole.len() > 31 {
        return None;
    }
    let w: i128 = whole.parse().ok()?;
    Some(match (neg, fractional) {
        (false, false) => w,
        (false, true) => w + 1,
        (true, _) => -w,
    })
}

/// The exact floor, like [`number_ceil`]: floor(x) = -ceil(-x).
pub fn number_floor(raw: &str) -> Option<i128> {
    let negated = match raw.strip_prefix('-') {
        Some(r) => r.to_owned(),
        None => format!("-{raw}"),
    };
    Some(-number_ceil(&negated)?)
}
