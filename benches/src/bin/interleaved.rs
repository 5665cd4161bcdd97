//! Side-by-side CPU time of the full path (decode, signature, claims policy)
//! with the libraries measured in alternation, round after round, so that
//! load from other processes hits all of them alike; for a shared machine
//! where criterion's groups (one library after the other) drift.
//!
//!   cargo run --release --bin interleaved -- [GROUP-PREFIX ...] [--rounds N]
//!
//! Prints the machine (CPU model and features, date, commit), then per group
//! and token: each library's median and minimum of the per-round means, and
//! libverifier's ratio to jsonwebtoken+aws-lc keyed from the PEM and from the
//! JWK and to jwt-simple, as the median of the per-round ratios. The order
//! of the libraries rotates from round to round.

use std::hint::black_box;

use libverifier_benches::cpu_time::now_ns;
use libverifier_benches::peers::{self, Lib, VerifyFn};
use libverifier_benches::{data, machine};

/// The RustCrypto backend is 5-10x slower and not a contender: left out.
const LIBS: [Lib; 4] = [
    Lib::Libverifier,
    Lib::JsonwebtokenAwsLc,
    Lib::JsonwebtokenAwsLcJwk,
    Lib::JwtSimple,
];

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
            .unwrap_or(rounds)
            .max(1);
        args.drain(i..(i + 2).min(args.len()));
    }
    let cases = data::cases();
    println!("{}\n", machine::describe());
    println!(
        "`interleaved {}--rounds {rounds}`: CPU time per verification, median (min) of per-round means; ratios are medians of per-round ratios\n",
        args.iter().map(|a| format!("{a} ")).collect::<String>()
    );
    println!(
        "| group | token | libverifier med (min) | jsonwebtoken-aws-lc PEM med (min) | jsonwebtoken-aws-lc JWK med (min) | jwt-simple med (min) | libverifier / aws-lc PEM | libverifier / aws-lc JWK | libverifier / jwt-simple |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for case in &cases.tokens {
        if !args.is_empty() && !args.iter().any(|p| case.group.starts_with(p.as_str())) {
            continue;
        }
        let fns: Vec<Option<VerifyFn>> = LIBS
            .iter()
            .map(|&l| l.applies(case).then(|| peers::build(l, case, &cases)))
            .collect();
        let lv = fns[0].as_ref().expect("libverifier runs every case");
        // Calls per library per round: about 0.5 ms of work.
        let t = now_ns();
        for _ in 0..20 {
            black_box(lv(black_box(&case.token)));
        }
        let per_call = ((now_ns() - t) / 20).max(1);
        let calls = (500_000 / per_call).clamp(2, 1000) as usize;
        let mut times = vec![Vec::with_capacity(rounds); LIBS.len()];
        let mut ratios = vec![Vec::with_capacity(rounds); LIBS.len()];
        for round in 0..rounds {
            let mut this = [f64::NAN; LIBS.len()];
            // Rotate who goes first, so no library always follows another.
            for k in 0..LIBS.len() {
                let i = (k + round) % LIBS.len();
                let Some(f) = &fns[i] else { continue };
                let t = now_ns();
                for _ in 0..calls {
                    black_box(f(black_box(&case.token)));
                }
                this[i] = (now_ns() - t) as f64 / calls as f64 / 1e3;
                times[i].push(this[i]);
            }
            for i in 1..LIBS.len() {
                if fns[i].is_some() {
                    ratios[i].push(this[0] / this[i]);
                }
            }
        }
        let cells: Vec<String> = times
            .iter_mut()
            .map(|v| {
                if v.is_empty() {
                    return "-".into();
                }
                let min = v.iter().cloned().fold(f64::MAX, f64::min);
                format!("{:.1} µs ({:.1})", median(v), min)
            })
            .collect();
        let ratio_cells: Vec<String> = ratios[1..]
            .iter_mut()
            .map(|r| {
                if r.is_empty() {
                    "-".into()
                } else {
                    format!("{:.2}", median(r))
                }
            })
            .collect();
        println!(
            "| {} | {} | {} | {} |",
            case.group,
            case.shape,
            cells.join(" | "),
            ratio_cells.join(" | ")
        );
    }
}
