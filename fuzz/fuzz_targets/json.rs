//! The core's JSON parser on arbitrary bytes, differential against serde_json.
//!
//! Must hold: no panic; no heap allocation (parse and every accessor); on
//! documents both accept, the same tree: kinds, member names and order,
//! element order, strings after unescaping, numbers (integers exactly, others
//! as the correctly rounded f64 and exact floor). On disagreement only the
//! documented differences are allowed: the core refuses duplicate names,
//! nesting deeper than 32 and objects of more than 256 members (serde_json
//! takes them); serde_json refuses numbers beyond f64 (the core keeps them as
//! text); and the core refuses with `JsonTooComplex` a document whose
//! duplicate-name check would overrun its work budget, which needs sibling
//! names whose (folded 16-bit FNV-1a) hashes match or more than 512 names.
//!
//! Work bound: every parse re-walks at most `json::WALK_PER_BYTE` bytes and
//! compares at most 32 name hashes per input byte (`json::parse_counting`).
//! Besides the raw input, an input whose first byte is 0xf0 or more also
//! drives a document shaped from the rest: many
//! members, names that all collide under FNV-1a, deep nesting with members
//! at every level, more names open than the hash stack holds, duplicates.
#![no_main]

use libfuzzer_sys::fuzz_target;
use libverifier_fuzz::no_alloc;
use libverifier_fuzz::tree::{self, J, number_floor};
use verifier_core::Error;
use verifier_core::json::{self, Kind, Value};

fuzz_target!(|data: &[u8]| {
    check(data, true);
    // One input in 16 also drives a shaped document: large, so checked for
    // its verdict and work bound only (the tree comparison re-parses every
    // sub-value, which would slow the whole run down).
    if let Some((&(0xf0..=0xff), rest)) = data.split_first()
        && let Some(doc) = shaped(rest)
    {
        check(doc.as_bytes(), false);
    }
});

/// The verdict against serde_json's, the work bound, and with `full` the
/// whole tree and every accessor.
fn check(data: &[u8], full: bool) {
    let (ours, work) = no_alloc("json::parse", || json::parse_counting(data));
    let len = data.len();
    assert!(
        work.walked <= json::WALK_PER_BYTE * len,
        "walked {} bytes for {len}",
        work.walked
    );
    assert!(
        work.hash_compares <= 32 * len,
        "{} hash compares for {len} bytes",
        work.hash_compares
    );
    let theirs = tree::parse(data);
    match (ours, theirs) {
        (Ok(v), Ok(j)) => {
            assert!(!j.has_duplicate(), "duplicate member accepted");
            assert!(j.depth() <= json::MAX_DEPTH, "depth {} accepted", j.depth());
            assert!(
                j.max_members() <= json::MAX_MEMBERS,
                "too many members accepted"
            );
            if full {
                no_alloc("accessors", || walk(v));
                same(v, &j);
            }
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
            Error::JsonTooComplex => assert!(
                j_names(&j) > 512 || sibling_hashes_meet(&j),
                "too complex without colliding names or a full hash stack"
            ),
            e => panic!("refused ({e:?}) a document serde_json accepts"),
        },
        (Err(e), Err(_)) => assert!(
            (300..=307).contains(&e.code()) || e == Error::JsonTooComplex,
            "{e:?}"
        ),
    }
}

/// Member names in the whole document.
fn j_names(j: &J) -> usize {
    match j {
        J::Arr(v) => v.iter().map(j_names).sum(),
        J::Obj(v) => v.len() + v.iter().map(|(_, x)| j_names(x)).sum::<usize>(),
        _ => 0,
    }
}

/// The parser's name hash: 32-bit FNV-1a of the decoded name, folded to 16.
fn name_hash(name: &str) -> u16 {
    let h = name.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    (h ^ (h >> 16)) as u16
}

/// Whether two members of one object have the same name hash (equal names
/// included): the only way a document with few names makes the check walk.
fn sibling_hashes_meet(j: &J) -> bool {
    match j {
        J::Arr(v) => v.iter().any(sibling_hashes_meet),
        J::Obj(v) => {
            let mut hs: Vec<u16> = v.iter().map(|(k, _)| name_hash(k)).collect();
            hs.sort_unstable();
            hs.windows(2).any(|w| w[0] == w[1]) || v.iter().any(|(_, x)| sibling_hashes_meet(x))
        }
        _ => false,
    }
}

// Blocks that leave 32-bit FNV-1a in one state from its offset basis, in
// pairs: one block from each pair makes 256 names with the same hash.
use verifier_core::fnv_collisions::BLOCK_PAIRS as FNV_PAIRS;

/// A member name from one input byte and its index: mostly names that all
/// collide (so a repeated index is a duplicate), sometimes plain or escaped.
fn name(b: u8, i: usize) -> String {
    match b % 8 {
        0 => format!("k{i}"),
        1 => format!("\\u006b{i}"),
        _ => (0..8)
            .map(|k| FNV_PAIRS[k][((i >> k) & 1) ^ usize::from(b >> 7)])
            .collect(),
    }
}

/// `n` members, names and values driven by `bytes`.
fn members(bytes: &[u8], n: usize, prefix: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let b = bytes.get(i % bytes.len().max(1)).copied().unwrap_or(0);
            let value = match b % 5 {
                0 => "[0,0,0,0]".to_owned(),
                1 => format!("{{\"x\":{i}}}"),
                _ => i.to_string(),
            };
            format!("\"{}\":{value}", name(b, i + prefix))
        })
        .collect()
}

/// A document of one of the expensive shapes, sized and named by the input.
fn shaped(data: &[u8]) -> Option<String> {
    let (&[kind, a, b], rest) = data.split_first_chunk::<3>()?;
    let (a, b) = (usize::from(a), usize::from(b));
    Some(match kind % 4 {
        // One object of up to 300 members (past the member limit).
        0 => format!("{{{}}}", members(rest, a + b % 45, 0).join(",")),
        // Nesting up to 40 deep (past the depth limit), members at each level.
        1 => {
            let depth = a % 41;
            let mut doc = String::new();
            for d in 0..depth {
                doc += &format!("{{{},\"n\":", members(rest, b % 64, d * 64).join(","));
            }
            doc + "0" + &"}".repeat(depth)
        }
        // Names open beyond the hash stack: two outer objects, then an inner
        // one whose first member is long.
        2 => format!(
            "{{{},\"o\":{{{},\"i\":{{\"big\":[0{}],{}}}}}}}",
            members(rest, 200 + a % 56, 1000).join(","),
            members(rest, 200 + b % 56, 2000).join(","),
            ",0".repeat(a * 8),
            members(rest, b, 3000).join(",")
        ),
        // Names with one of them repeated at the end.
        _ => {
            let mut m = members(rest, 1 + a, 0);
            let again = m[b % m.len()].clone();
            m.push(again);
            format!("{{{}}}", m.join(","))
        }
    })
}

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
