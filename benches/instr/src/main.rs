//! One step of the verify path (or a cache hit) in a loop over the Clerk-shaped
//! RS256 token of `../data/cases.json`: `libverifier-instr STEP ITERATIONS`,
//! STEP one of overhead, b64, header, json, claims, hit. `count.sh` turns two
//! runs under callgrind into instructions per iteration.

// The criterion crate's copy, by path: depending on that crate would build
// every peer library for this small binary.
#[path = "../../src/overhead.rs"]
mod overhead;

use std::hint::black_box;
use std::time::Instant;
use verifier_core::{
    AlgSet, Algorithm, CachedVerifier, Claims, Header, Policy, Verifier, scratch_len, token,
};

fn main() {
    let which = std::env::args().nth(1).unwrap_or("overhead".into());
    let iters: u64 = std::env::args()
        .nth(2)
        .map(|s| s.parse().unwrap())
        .unwrap_or(2_000_000);
    let cases: serde_json::Value =
        serde_json::from_str(include_str!("../../data/cases.json")).unwrap();
    let case = cases["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["group"] == "RS256-2048" && t["shape"] == "clerk")
        .unwrap();
    let tok = case["token"].as_str().unwrap().to_owned();
    let jwks = cases["keys"][case["key"].as_str().unwrap()]["jwks"]
        .as_str()
        .unwrap()
        .as_bytes()
        .to_vec();
    let verifier = Verifier::<8>::from_jwks(&jwks).unwrap();
    let policy = Policy {
        algorithms: AlgSet::of(&[Algorithm::RS256]),
        ..Policy::clerk(&["https://clerk.example.com"], &["https://app.example.com"]).unwrap()
    };
    let mut buf = vec![0u8; scratch_len(tok.len())];
    let now = 1_764_000_100;
    let t0 = Instant::now();
    match which.as_str() {
        "overhead" => {
            for _ in 0..iters {
                overhead::without_signature(
                    &verifier,
                    &policy,
                    black_box(tok.as_bytes()),
                    &mut buf,
                    now,
                );
            }
        }
        "b64" => {
            for _ in 0..iters {
                let t = black_box(tok.as_bytes());
                let seg = token::split(t, 16 * 1024).unwrap();
                let hlen = token::decoded_len(seg.header).unwrap();
                let plen = token::decoded_len(seg.payload).unwrap();
                let (hbuf, rest) = buf.split_at_mut(hlen);
                black_box(token::decode(seg.header, hbuf).unwrap());
                let (pbuf, _arena) = rest.split_at_mut(plen);
                black_box(token::decode(seg.payload, pbuf).unwrap());
                let mut sig = [0u8; 512];
                black_box(token::decode(seg.signature, &mut sig).unwrap());
            }
        }
        "json" => {
            let seg = token::split(tok.as_bytes(), 16 * 1024).unwrap();
            let mut p = vec![0u8; 2000];
            let payload = token::decode(seg.payload, &mut p).unwrap().to_vec();
            for _ in 0..iters {
                black_box(verifier_core::json::parse(black_box(&payload)).unwrap());
            }
        }
        "claims" => {
            let seg = token::split(tok.as_bytes(), 16 * 1024).unwrap();
            let mut p = vec![0u8; 2000];
            let payload = token::decode(seg.payload, &mut p).unwrap().to_vec();
            let mut arena = vec![0u8; 1000];
            for _ in 0..iters {
                black_box(
                    Claims::parse(black_box(&payload), &mut arena)
                        .unwrap()
                        .sub(),
                );
            }
        }
        "header" => {
            let seg = token::split(tok.as_bytes(), 16 * 1024).unwrap();
            let mut p = vec![0u8; 2000];
            let h = token::decode(seg.header, &mut p).unwrap().to_vec();
            for _ in 0..iters {
                black_box(Header::parse(black_box(&h)).unwrap().alg);
            }
        }
        "hit" => {
            let mut cache = Box::new(CachedVerifier::<8, 64, 2048>::new(&verifier));
            cache
                .verify(tok.as_bytes(), now, &policy, &mut buf)
                .unwrap();
            for _ in 0..iters {
                let v = cache
                    .verify(black_box(tok.as_bytes()), now, &policy, &mut buf)
                    .unwrap();
                black_box(v.claims.sub());
            }
        }
        _ => panic!(),
    }
    let dt = t0.elapsed();
    println!(
        "{which}: {:.1} ns/iter",
        dt.as_nanos() as f64 / iters as f64
    );
}
