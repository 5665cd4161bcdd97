//! What the adversarial headers of issue 14 cost next to a normal token, in
//! release mode: `cargo run --release -p libverifier-core --example parse_cost`.
//! A quick figure for the duplicate-name check's work bound; the criterion
//! group `adversarial` in benches/ is the measurement of record.

use std::hint::black_box;
use std::time::Instant;

use verifier_core::{Policy, Verifier, scratch_len};

/// Name `i` of the 256 names that share one hash (`fnv_collisions`, checked
/// by core/src/json.rs's tests).
fn colliding_name(i: usize) -> String {
    String::from_utf8(verifier_core::fnv_collisions::name(i).to_vec()).expect("ASCII")
}

/// `n` members whose names all collide under the parser's name hash.
fn collision_header(n: usize) -> String {
    let mut h = String::from(r#"{"alg":"RS256""#);
    for i in 0..n {
        h += &format!(r#","{}":0"#, colliding_name(i));
    }
    h + "}"
}

/// Two objects of 256 members open fill the name-hash stack (it holds 512
/// since the work budget; 256 before); then a third object whose first member
/// is a long array (walked byte by byte) and whose 254 later names each had to
/// be compared by walking back over it.
fn stack_full_header() -> String {
    let members = |p: &str| -> String { (0..254).map(|i| format!(r#","{p}{i}":0"#)).collect() };
    format!(
        r#"{{"alg":"RS256"{},"b":{{"b":0{},"c":{{"big":[0{}]{}}}}}}}"#,
        members("a"),
        members("b"),
        ",0".repeat(3000),
        members("c")
    )
}

fn b64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = c
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for k in 0..=c.len() {
            out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
        }
    }
    out
}

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
    let jwks = std::fs::read(format!("{root}/keys/clerk-jwks.json")).unwrap();
    let token = std::fs::read_to_string(format!("{root}/tokens/clerk.jwt")).unwrap();
    let token = token.trim();
    let verifier: Verifier = Verifier::from_jwks(&jwks)
        .unwrap()
        .with_max_token_len(64 * 1024);
    let payload = token.split('.').nth(1).unwrap();
    let garbage = b64(&[0x5a; 256]);
    let policy: Policy<'_> = Policy::default();
    let cases = [
        ("normal RS256 (clerk)", token.to_owned()),
        (
            "collisions (200 names)",
            format!(
                "{}.{payload}.{garbage}",
                b64(collision_header(200).as_bytes())
            ),
        ),
        (
            "stack full (3 objects, 6 KB array)",
            format!(
                "{}.{payload}.{garbage}",
                b64(stack_full_header().as_bytes())
            ),
        ),
    ];
    // Best of 7 rounds, interleaved: the machine is shared.
    let mut best = [f64::MAX; 3];
    for _ in 0..7 {
        for ((_, t), best) in cases.iter().zip(&mut best) {
            let mut buf = vec![0u8; scratch_len(t.len())];
            let iters = 200;
            let start = Instant::now();
            for _ in 0..iters {
                let _ = black_box(verifier.verify(black_box(t.as_bytes()), 0, &policy, &mut buf));
            }
            *best = best.min(start.elapsed().as_nanos() as f64 / f64::from(iters));
        }
    }
    for ((name, t), ns) in cases.iter().zip(best) {
        let mut buf = vec![0u8; scratch_len(t.len())];
        let verdict = verifier.verify(t.as_bytes(), 0, &policy, &mut buf).err();
        println!(
            "{name:34} {:6} bytes  {:9.1} us  x{:6.1}  {verdict:?}",
            t.len(),
            ns / 1000.0,
            ns / best[0]
        );
    }
}
