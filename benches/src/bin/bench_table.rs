//! Print the comparison table from criterion's results of one `cargo bench`
//! run: median CPU time per library, the best peer, and libverifier's ratio.
//!
//! Usage: bench-table [CRITERION_DIR]   (default: $CARGO_TARGET_DIR/criterion
//! or target/criterion)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

const ORDER: [&str; 9] = [
    "RS256-2048",
    "RS256-4096",
    "RS384",
    "RS512",
    "PS256",
    "ES256",
    "ES384",
    "EdDSA",
    "HS256",
];

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
            Path::new(&target).join("criterion")
        });
    let mut results = Results::new();
    collect(&dir, &mut results);
    if results.is_empty() {
        eprintln!("no criterion results under {}", dir.display());
        std::process::exit(1);
    }

    println!("Median CPU time per verification (full path: decode, signature, claims policy)\n");
    let libs = Lib::ALL.map(Lib::name);
    println!(
        "| algorithm | token | {} | best peer | libverifier / best peer | libverifier / jsonwebtoken+aws-lc |",
        libs.join(" | ")
    );
    println!("|---|---|{}---|---|---|", "---|".repeat(libs.len()));
    let mut rows: Vec<_> = results
        .iter()
        .filter(|((g, _), _)| ORDER.contains(&g.as_str()))
        .collect();
    let shape_rank = |s: &str| ["clerk", "logto", "large"].iter().position(|x| *x == s);
    rows.sort_by_key(|((g, s), _)| (ORDER.iter().position(|o| o == g), shape_rank(s)));
    for ((group, shape), m) in rows {
        let lv = m.get(Lib::Libverifier.name()).copied();
        let peers = Lib::ALL[1..]
            .iter()
            .filter_map(|l| m.get(l.name()).map(|v| (*v, l.name())));
        let best = peers.min_by(|a, b| a.0.total_cmp(&b.0));
        let aws = m.get(Lib::JsonwebtokenAwsLc.name()).copied();
        let cells: Vec<String> = libs.iter().map(|l| fmt(m.get(*l).copied())).collect();
        let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => format!("{:.2}", a / b),
            _ => "-".into(),
        };
        println!(
            "| {group} | {shape} | {} | {} | {} | {} |",
            cells.join(" | "),
            best.map(|(v, n)| format!("{} ({n})", fmt(Some(v))))
                .unwrap_or_else(|| "-".into()),
            ratio(lv, best.map(|b| b.0)),
            ratio(lv, aws),
        );
    }

    println!("\nOther groups (median CPU time)\n");
    println!("| group | benchmark | token/key | median |");
    println!("|---|---|---|---|");
    for ((group, param), m) in &results {
        if ORDER.contains(&group.as_str()) {
            continue;
        }
        for (function, v) in m {
            println!("| {group} | {function} | {param} | {} |", fmt(Some(*v)));
        }
    }
}
