//! Print the comparison table from criterion's results of one `cargo bench`
//! run: median CPU time per library, the best peer, and libverifier's ratio;
//! then verifications per second through the C ABI (`throughput`) and what
//! each layer costs (`layers`, with the Go package's `ns/op` when given).
//! Every table is headed by the machine the results came from.
//!
//! Usage: bench-table [CRITERION_DIR] [--go GO_BENCH_OUTPUT]
//!   (default: $CARGO_TARGET_DIR/criterion or target/criterion; the Go
//!   output is what `benches/go-layer` prints, see `layers.sh`; with it,
//!   only the layers table)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use libverifier_benches::machine;
use libverifier_benches::peers::Lib;
use serde_json::Value;

/// (group, parameter) -> function -> median ns.
type Results = BTreeMap<(String, String), BTreeMap<String, f64>>;

fn collect(dir: &Path, out: &mut Results) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if !p.is_dir() {
            continue;
        }
        if p.file_name().is_some_and(|n| n == "new") {
            read_one(&p, out);
        } else {
            collect(&p, out);
        }
    }
}

fn read_one(new: &Path, out: &mut Results) {
    let read = |name: &str| -> Option<Value> {
        serde_json::from_str(&std::fs::read_to_string(new.join(name)).ok()?).ok()
    };
    let (Some(b), Some(est)) = (read("benchmark.json"), read("estimates.json")) else {
        return;
    };
    let group = b["group_id"].as_str().unwrap_or("").to_string();
    let function = b["function_id"].as_str().unwrap_or("").to_string();
    let param = b["value_str"].as_str().unwrap_or("").to_string();
    let Some(median) = est["median"]["point_estimate"].as_f64() else {
        return;
    };
    out.entry((group, param))
        .or_default()
        .insert(function, median);
}

fn fmt(ns: Option<f64>) -> String {
    match ns {
        None => "-".into(),
        Some(v) if v >= 1e6 => format!("{:.2} ms", v / 1e6),
        Some(v) if v >= 1e3 => format!("{:.1} µs", v / 1e3),
        Some(v) => format!("{v:.0} ns"),
    }
}

/// The algorithm groups in table order: RSA by algorithm, then modulus size
/// (`RS256-2048`, `RS256-3072`, ...), then the others. None for other groups.
fn rank(group: &str) -> Option<(usize, u32)> {
    const ALGS: [&str; 10] = [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "HS256",
    ];
    let (alg, bits) = match group.split_once('-') {
        Some((a, b)) => (a, b.parse().ok()?),
        None => (group, 0),
    };
    Some((ALGS.iter().position(|a| *a == alg)?, bits))
}

/// The machine the results came from: the record `cargo bench` left beside
/// them, else this machine now (marked as such).
fn machine_header(dir: &Path) -> String {
    match std::fs::read_to_string(dir.join(machine::RECORD)) {
        Ok(text) => format!("{} (recorded by the bench run)", text.trim_end()),
        Err(_) => format!(
            "{} (now: the bench run left no record)",
            machine::describe()
        ),
    }
}

/// Go benchmark lines (`BenchmarkLayers/RS256-2048/go-package-2  N  123 ns/op`)
/// as (token group, benchmark) -> ns/op: the median over the lines of one
/// benchmark (`go test -count N` prints N), since one run's mean can carry a
/// noisy second of a shared machine.
fn go_results(text: &str) -> BTreeMap<(String, String), f64> {
    let mut runs: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        let Some(name) = words
            .next()
            .and_then(|n| n.strip_prefix("BenchmarkLayers/"))
        else {
            continue;
        };
        let words: Vec<&str> = words.collect();
        let Some(ns) = words
            .iter()
            .position(|w| *w == "ns/op")
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| words[i].parse::<f64>().ok())
        else {
            continue;
        };
        // Drop go's `-GOMAXPROCS` suffix, if any.
        let name = match name.rsplit_once('-') {
            Some((n, procs)) if procs.chars().all(|c| c.is_ascii_digit()) => n,
            _ => name,
        };
        if let Some((group, bench)) = name.split_once('/') {
            runs.entry((group.to_string(), bench.to_string()))
                .or_default()
                .push(ns);
        }
    }
    runs.into_iter()
        .map(|(k, mut v)| {
            v.sort_by(f64::total_cmp);
            let m = v.len() / 2;
            let median = if v.len() % 2 == 1 {
                v[m]
            } else {
                (v[m - 1] + v[m]) / 2.0
            };
            (k, median)
        })
        .collect()
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut go = None;
    if let Some(i) = args.iter().position(|a| a == "--go") {
        let Some(path) = args.get(i + 1).cloned() else {
            eprintln!("--go needs the Go benchmark output file");
            std::process::exit(2);
        };
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            eprintln!("{path}: {e}");
            std::process::exit(2)
        });
        go = Some(go_results(&text));
        args.drain(i..i + 2);
    }
    let dir = args.first().map(PathBuf::from).unwrap_or_else(|| {
        let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
        Path::new(&target).join("criterion")
    });
    let mut results = Results::new();
    collect(&dir, &mut results);
    if results.is_empty() {
        eprintln!("no criterion results under {}", dir.display());
        std::process::exit(1);
    }
    let header = machine_header(&dir);
    // With the Go output (layers.sh), only the layers table.
    if go.is_some() {
        layers_table(&results, go.as_ref(), &header);
        return;
    }
    println!("{header}\n");

    println!("Median CPU time per verification (full path: decode, signature, claims policy)\n");
    let libs = Lib::ALL.map(Lib::name);
    println!(
        "| algorithm | token | {} | best peer | libverifier / best peer | libverifier / jsonwebtoken+aws-lc (PEM) | libverifier / jsonwebtoken+aws-lc (JWK) |",
        libs.join(" | ")
    );
    println!("|---|---|{}---|---|---|---|", "---|".repeat(libs.len()));
    let mut rows: Vec<_> = results
        .iter()
        .filter(|((g, _), _)| rank(g).is_some())
        .collect();
    let shape_rank = |s: &str| ["clerk", "logto", "large"].iter().position(|x| *x == s);
    rows.sort_by_key(|((g, s), _)| (rank(g), shape_rank(s)));
    for ((group, shape), m) in rows {
        let lv = m.get(Lib::Libverifier.name()).copied();
        let peers = Lib::ALL[1..]
            .iter()
            .filter_map(|l| m.get(l.name()).map(|v| (*v, l.name())));
        let best = peers.min_by(|a, b| a.0.total_cmp(&b.0));
        let aws = m.get(Lib::JsonwebtokenAwsLc.name()).copied();
        let aws_jwk = m.get(Lib::JsonwebtokenAwsLcJwk.name()).copied();
        let cells: Vec<String> = libs.iter().map(|l| fmt(m.get(*l).copied())).collect();
        let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => format!("{:.2}", a / b),
            _ => "-".into(),
        };
        println!(
            "| {group} | {shape} | {} | {} | {} | {} | {} |",
            cells.join(" | "),
            best.map(|(v, n)| format!("{} ({n})", fmt(Some(v))))
                .unwrap_or_else(|| "-".into()),
            ratio(lv, best.map(|b| b.0)),
            ratio(lv, aws),
            ratio(lv, aws_jwk),
        );
    }

    throughput_table(&results, &header);
    layers_table(&results, go.as_ref(), &header);

    println!("\nOther groups (median CPU time)\n");
    println!("| group | benchmark | token/key | median |");
    println!("|---|---|---|---|");
    for ((group, param), m) in &results {
        if rank(group).is_some() || group == "throughput" || group == "layers" {
            continue;
        }
        for (function, v) in m {
            println!("| {group} | {function} | {param} | {} |", fmt(Some(*v)));
        }
    }
}

/// Verifications per second through the C ABI, by thread count.
fn throughput_table(results: &Results, header: &str) {
    let rows: Vec<_> = results
        .iter()
        .filter(|((g, _), _)| g == "throughput")
        .collect();
    if rows.is_empty() {
        return;
    }
    println!("\n{header}\n");
    println!(
        "Throughput through the C ABI (`vf_verify_authorization`, threads sharing one verifier; wall clock)\n"
    );
    println!("| token | 1 thread | 2 threads | 2 threads / 1 thread |");
    println!("|---|---|---|---|");
    for ((_, token), m) in rows {
        let per_s = |f: &str| m.get(f).map(|ns| 1e9 / ns);
        let (one, two) = (per_s("c-abi-1-thread"), per_s("c-abi-2-threads"));
        let cell = |v: Option<f64>| v.map_or("-".into(), |v| format!("{v:.0} /s"));
        let scale = match (one, two) {
            (Some(a), Some(b)) => format!("{:.2}", b / a),
            _ => "-".into(),
        };
        println!("| {token} | {} | {} | {scale} |", cell(one), cell(two));
    }
}

/// What each layer costs on the same token: core, the C ABI and (from the
/// Go benchmark's output) the Go package, with golang-jwt for reference.
fn layers_table(results: &Results, go: Option<&BTreeMap<(String, String), f64>>, header: &str) {
    let rows: Vec<_> = results.iter().filter(|((g, _), _)| g == "layers").collect();
    if rows.is_empty() {
        if go.is_some() {
            eprintln!("no criterion `layers` results: run the `layers` group first");
        }
        return;
    }
    println!("\n{header}\n");
    println!(
        "Layers: one verification of the same Clerk-shaped token (median wall time; Go: ns/op, the median of `go test -count` runs, each the mean over b.N, GOMAXPROCS=1){}\n",
        if go.is_some() {
            ""
        } else {
            " - no Go output given (`--go`), Go columns empty"
        }
    );
    println!("| token | core | C ABI | Go package | golang-jwt | C ABI - core | Go - C ABI |");
    println!("|---|---|---|---|---|---|---|");
    for ((_, token), m) in rows {
        let core = m.get("core").copied();
        let cabi = m.get("c-abi").copied();
        let go_ns = |b: &str| go.and_then(|g| g.get(&(token.clone(), b.to_string())).copied());
        let (gopkg, gojwt) = (go_ns("go-package"), go_ns("golang-jwt"));
        let diff = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => {
                let d = a - b;
                format!("{}{}", if d < 0.0 { "-" } else { "+" }, fmt(Some(d.abs())))
            }
            _ => "-".into(),
        };
        println!(
            "| {token} | {} | {} | {} | {} | {} | {} |",
            fmt(core),
            fmt(cabi),
            fmt(gopkg),
            fmt(gojwt),
            diff(cabi, core),
            diff(gopkg, cabi)
        );
    }
}
