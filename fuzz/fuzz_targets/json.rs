//! The core's JSON parser on arbitrary bytes, differential against serde_json.
//!
//! Must hold: no panic; no heap allocation (parse and every accessor); on
//! documents both accept, the same tree: kinds, member names and order,
//! element order, strings after unescaping, numbers (integers exactly, others
//! as the correctly rounded f64 and exact floor). On disagreement only the
//! documented differences are allowed: the core refuses duplicate names,
//! nesting deeper than 32 and objects of more than 256 members (serde_json
//! takes them); serde_json refuses numbers beyond f64 (the core keeps them as
//! text).
#![no_main]

use libfuzzer_sys::fuzz_target;
use libverifier_fuzz::no_alloc;
use libverifier_fuzz::tree::{self, J, number_floor};
use verifier_core::Error;
use verifier_core::json::{self, Kind, Value};

fuzz_target!(|data: &[u8]| {
    let ours = no_alloc("json::parse", || json::parse(data));
    let theirs = tree::parse(data);
    match (ours, theirs) {
        (Ok(v), Ok(j)) => {
            assert!(!j.has_duplicate(), "duplicate member accepted");
            assert!(j.depth() <= json::MAX_DEPTH, "depth {} accepted", j.depth());
            assert!(
                j.max_members() <= json::MAX_MEMBERS,
                "too many members accepted"
            );
            no_alloc("accessors", || walk(v));
            same(v, &j);
        }
        (Ok(v), Err(e)) => {
            assert!(
                e.to_string().contains("number out of range") && has_huge_number(v),
                "accepted what serde_json refuses: {e}"
            );
            no_alloc("accessors", || walk(v));
        }
        (Err(e), Ok(j)) => match e {
            Error::JsonDuplicateMember => assert!(j.has_duplicate(), "false duplicate"),
            Error::JsonTooDeep => assert!(j.depth() > json::MAX_DEPTH, "false too deep"),
            Error::JsonTooManyMembers => {
                assert!(
                    j.max_members() > json::MAX_MEMBERS,
                    "false too many members"
                )
            }
            e => panic!("refused ({e:?}) a document serde_json accepts"),
        },
        (Err(e), Err(_)) => assert!((300..=307).contains(&e.code()), "{e:?}"),
    }
});

/// Every accessor on every value, with nothing but core code (for the allocation count).
fn walk(v: Value<'_>) -> usize {
    let mut n = v.raw().len();
    match v.kind() {
        Kind::Object => {
            for (k, x) in v.members() {
                n += k.decoded_len() + k.chars().count();
                let mut buf = [0u8; 64];
                if let Ok(name) = k.unescape_into(&mut buf) {
                    n += v.get(name).map_or(0, |g| g.raw().len());
                }
                n += walk(x);
            }
            let [a, b] = v.get_many(["alg", "kid"]);
            n += a.is_some() as usize + b.is_some() as usize;
        }
        Kind::Array => n += v.elements().map(walk).sum::<usize>(),
        Kind::String => n += v.as_str().unwrap().decoded_len(),
        Kind::Number => {
            let x = v.as_number().unwrap();
            n += x.as_i64().is_some() as usize
                + x.as_f64().is_some() as usize
                + x.to_seconds_floor().is_some() as usize;
        }
        Kind::Bool => n += v.as_bool().unwrap() as usize,
        Kind::Null => n += v.is_null() as usize,
    }
    n
}

fn has_huge_number(v: Value<'_>) -> bool {
    match v.kind() {
        Kind::Object => v.members().any(|(_, x)| has_huge_number(x)),
        Kind::Array => v.elements().any(has_huge_number),
        Kind::Number => v.as_number().unwrap().as_f64().is_none(),
        _ => false,
    }
}

fn same(v: Value<'_>, j: &J) {
    // A sub-value of a valid document is itself a valid document.
    let again = json::parse(v.raw().as_bytes()).expect("sub-value refused on its own");
    assert_eq!(again.raw(), v.raw());
    match j {
        J::Null => assert!(v.is_null() && v.kind() == Kind::Null),
        J::Bool(b) => assert_eq!(v.as_bool(), Some(*b)),
        J::Int(i) => {
            let n = v.as_number().expect("number kind");
            assert_eq!(
                n.raw().parse::<i128>().ok(),
                Some(*i),
                "integer {}",
                n.raw()
            );
            assert_eq!(n.as_i64(), i64::try_from(*i).ok(), "as_i64 {}", n.raw());
            assert_eq!(
                n.to_seconds_floor(),
                i64::try_from(*i).ok(),
                "floor {}",
                n.raw()
            );
        }
        J::Float(f) => {
            let n = v.as_number().expect("number kind");
            assert_eq!(n.as_f64(), Some(*f), "as_f64 {}", n.raw());
            let exact = number_floor(n.raw()).and_then(|x| i64::try_from(x).ok());
            if exact.is_some() || f.abs() > 1e31 {
                assert_eq!(n.to_seconds_floor(), exact, "floor {}", n.raw());
            }
        }
        J::Str(s) => {
            let js = v.as_str().expect("string kind");
            assert_eq!(js.decoded_len(), s.len(), "decoded_len");
            assert!(js.eq_str(s), "eq_str");
            assert!(!js.eq_str(&format!("{s}x")));
            assert_eq!(js.chars().collect::<String>(), *s);
            let mut buf = vec![0u8; s.len()];
            assert_eq!(js.unescape_into(&mut buf).ok(), Some(s.as_str()));
            if !s.is_empty() {
                let mut short = vec![0u8; s.len() - 1];
                assert!(
                    js.unescape_into(&mut short).is_err(),
                    "unescape into a short buffer"
                );
            }
            assert_eq!(js.as_unescaped().is_some(), !js.has_escapes());
            if let Some(raw) = js.as_unescaped() {
                assert_eq!(raw, s);
            }
        }
        J::Arr(items) => {
            assert_eq!(v.kind(), Kind::Array);
            let ours: Vec<Value<'_>> = v.elements().collect();
            assert_eq!(ours.len(), items.len(), "element count");
            for (x, y) in ours.into_iter().zip(items) {
                same(x, y);
            }
        }
        J::Obj(members) => {
            assert_eq!(v.kind(), Kind::Object);
            let ours: Vec<_> = v.members().collect();
            assert_eq!(ours.len(), members.len(), "member count");
            for ((k, x), (name, y)) in ours.into_iter().zip(members) {
                assert!(k.eq_str(name), "member name");
                let got = v.get(name).expect("get by decoded name");
                assert_eq!(got.raw(), x.raw(), "get({name:?})");
                let [many] = v.get_many([name.as_str()]);
                assert_eq!(many.map(|m| m.raw()), Some(x.raw()));
                same(x, y);
            }
            assert!(
                v.get("\u{0}no such member\u{0}").is_none()
                    || members.iter().any(|(k, _)| k == "\u{0}no such member\u{0}")
            );
        }
    }
}
