//! Side-by-side CPU time of the full path (decode, signature, claims policy)
//! with the libraries measured in alternation, round after round, so that
//! load from other processes hits all of them alike; for a shared machine
//! where criterion's groups (one library after the other) drift.
//!
//!   cargo run --release --bin interleaved -- [GROUP-PREFIX ...] [--rounds N]
//!
//! Prints per group and token: each library's median and minimum of the
//! per-round means, and libverifier's ratio to jsonwebtoken+aws-lc and to
//! jwt-simple as the median of the per-round ratios.

use std::hint::black_box;

use libverifier_benches::cpu_time::now_ns;
use libverifier_benches::data;
use libverifier_benches::peers::{self, Lib};

/// The RustCrypto backend is 5-10x slower and not a contender: left out.
const LIBS: [Lib; 3] = [Lib::Libverifier, Lib::JsonwebtokenAwsLc, Lib::JwtSimple];

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut rounds = 200;
    if let Some(i) = args.iter().position(|a| a == "--rounds") {
        rounds = args
            .get(i + 1)
            .and_then(|r| r.parse().ok())
            .unwrap_or(rounds);
        args.drain(i..(i + 2).min(args.len()));
    }
    let cases = data::cases();
    println!(
        "| group | token | libverifier med (min) | jsonwebtoken-aws-lc med (min) | jwt-simple med (min) | libverifier / aws-lc | libverifier / jwt-simple |"
    );
    println!("|---|---|---|---|---|---|---|");
    for case in &cases.tokens {
        if !args.is_empty() && !args.iter().any(|p| case.group.starts_with(p.as_str())) {
            continue;
        }
        let fns: Vec<_> = LIBS
            .iter()
            .map(|&l| peers::build(l, case, &cases))
            .collect();
        // Calls per library per round: about 0.5 ms of work.
        let t = now_ns();
        for _ in 0..20 {
            black_box(fns[0](black_box(&case.token)));
        }
        let per_call = ((now_ns() - t) / 20).max(1);
        let calls = (500_000 / per_call).clamp(2, 1000) as usize;
        let mut times = vec![Vec::with_capacity(rounds); LIBS.len()];
        let mut ratio_aws = Vec::with_capacity(rounds);
        let mut ratio_js = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let mut this = [0f64; 3];
            for (i, f) in fns.iter().enumerate() {
                let t = now_ns();
                for _ in 0..calls {
                    black_box(f(black_box(&case.token)));
                }
                this[i] = (now_ns() - t) as f64 / calls as f64 / 1e3;
                times[i].push(this[i]);
            }
            ratio_aws.push(this[0] / this[1]);
            ratio_js.push(this[0] / this[2]);
        }
        let cell = |v: &mut Vec<f64>| {
            let min = v.iter().cloned().fold(f64::MAX, f64::min);
            format!("{:.1} µs ({:.1})", median(v), min)
        };
        let (a, b, c) = (
            cell(&mut times[0]),
            cell(&mut times[1]),
            cell(&mut times[2]),
        );
        println!(
            "| {} | {} | {a} | {b} | {c} | {:.2} | {:.2} |",
            case.group,
            case.shape,
            median(&mut ratio_aws),
            median(&mut ratio_js)
        );
    }
}
