//! Which machine a figure came from. RSA's cost depends on the CPU (aws-lc
//! picks ADX/BMI2 and AVX-512 IFMA code paths at run time; libverifier's core
//! is portable Rust), so a ratio without its CPU reads as universal when it is
//! not. Every table the benches print starts with [`describe`].

use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// The CPU features that decide RSA and hashing speed, as (name, detected).
pub fn features() -> Vec<(&'static str, bool)> {
    #[cfg(target_arch = "x86_64")]
    {
        vec![
            ("ADX", std::arch::is_x86_feature_detected!("adx")),
            ("BMI2", std::arch::is_x86_feature_detected!("bmi2")),
            ("AVX2", std::arch::is_x86_feature_detected!("avx2")),
            (
                "AVX-512 IFMA",
                std::arch::is_x86_feature_detected!("avx512ifma"),
            ),
            ("SHA-NI", std::arch::is_x86_feature_detected!("sha")),
        ]
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        Vec::new()
    }
}

/// The CPU model (`model name` in /proc/cpuinfo), or why it is unknown.
pub fn cpu_model() -> String {
    let Ok(info) = std::fs::read_to_string("/proc/cpuinfo") else {
        return format!("unknown ({} without /proc/cpuinfo)", std::env::consts::ARCH);
    };
    info.lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.trim() == "model name").then(|| v.trim().to_string())
        })
        .unwrap_or_else(|| {
            format!(
                "unknown ({} cpuinfo has no model name)",
                std::env::consts::ARCH
            )
        })
}

/// The libverifier commit the benches run (`+dirty` with uncommitted changes
/// to core/, ffi/ or benches/), if git can say.
pub fn commit() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .current_dir(dir)
            .args(args)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let Some(head) = git(&["rev-parse", "--short=9", "HEAD"]) else {
        return "commit unknown".into();
    };
    let dirty = git(&[
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        "../core",
        "../ffi",
        ".",
    ])
    .is_some_and(|s| !s.is_empty());
    format!("{head}{}", if dirty { "+dirty" } else { "" })
}

/// Now, as `YYYY-MM-DD HH:MM UTC`.
pub fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

/// One Markdown paragraph: CPU, features, logical CPUs, load, date, commit.
pub fn describe() -> String {
    let features: Vec<String> = features()
        .into_iter()
        .map(|(n, on)| format!("{n} {}", if on { "yes" } else { "no" }))
        .collect();
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into());
    format!(
        "Machine: **{}**; {}; {cpus} logical CPUs; load average {load}; {}; libverifier {}",
        cpu_model(),
        if features.is_empty() {
            "features: not x86-64".into()
        } else {
            features.join(", ")
        },
        utc_now(),
        commit()
    )
}

/// Where criterion writes its results, as criterion finds it (less its
/// `cargo metadata` fallback, which `run.sh` makes moot by setting
/// `CARGO_TARGET_DIR`).
pub fn criterion_dir() -> std::path::PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return home.into();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").unwrap_or_else(|| "target".into());
    Path::new(&target).join("criterion")
}

/// The file in the criterion directory that records the machine of a run.
pub const RECORD: &str = "machine.md";
