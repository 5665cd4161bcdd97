//! The hot path, libverifier side by side with jsonwebtoken (aws-lc-rs and
//! RustCrypto backends) and jwt-simple, in CPU time per verification.
//!
//! Groups: one per algorithm (full path: decode, signature, claims policy) on
//! Clerk-, Logto- and large-shaped tokens (RSA groups per modulus size:
//! `RS256-3072`); `parse`, `overhead` (everything but the signature),
//! `claims`, `keys` (loading a three-key JWKS), `cache` and `adversarial`
//! (worst-case headers for the JSON parser next to a normal token), all in
//! CPU time; then in wall-clock time `layers` (core against the C ABI on the
//! same tokens; the Go package's share is `layers.sh`) and `throughput`
//! (verifications per second through the C ABI, 1 and 2 threads sharing one
//! verifier). `cargo run --release --bin bench-table` prints the comparison
//! afterwards.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use libverifier_benches::adversarial;
use libverifier_benches::capi;
use libverifier_benches::cpu_time::ThreadCpuTime;
use libverifier_benches::data::{self, Cases, TokenCase};
use libverifier_benches::machine;
use libverifier_benches::overhead::{decode, without_signature};
use libverifier_benches::peers::{self, Lib, PeerClaims};
use verifier_core::{CachedVerifier, Claims, Header, scratch_len};

type C = Criterion<ThreadCpuTime>;

fn config() -> C {
    Criterion::default()
        .with_measurement(ThreadCpuTime)
        .warm_up_time(Duration::from_millis(400))
        .measurement_time(Duration::from_millis(1500))
        .sample_size(30)
        .without_plots()
}

/// Wall-clock time, for what a CPU-time clock cannot see: several threads
/// (`throughput`) and the layers compared with Go's wall-clock `ns/op`.
fn wall_config() -> Criterion<WallTime> {
    Criterion::default()
        .warm_up_time(Duration::from_millis(400))
        .measurement_time(Duration::from_millis(2000))
        .sample_size(30)
        .without_plots()
}

/// Record the machine beside criterion's results, for `bench-table`.
fn record_machine() {
    let text = machine::describe();
    println!("{text}");
    let dir = machine::criterion_dir();
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join(machine::RECORD), format!("{text}\n"));
    }
}

fn groups(cases: &Cases) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in cases.tokens.iter().filter(|t| t.in_criterion()) {
        if !out.contains(&t.group) {
            out.push(t.group.clone());
        }
    }
    out
}

fn full_path(c: &mut C) {
    record_machine();
    let cases = data::cases();
    for group in groups(&cases) {
        let mut g = c.benchmark_group(&group);
        for case in cases.tokens.iter().filter(|t| t.group == group) {
            for lib in Lib::ALL.into_iter().filter(|l| l.applies(case)) {
                let verify = peers::build(lib, case, &cases);
                g.bench_function(BenchmarkId::new(lib.name(), &case.shape), |b| {
                    b.iter(|| verify(black_box(&case.token)))
                });
            }
        }
        g.finish();
    }
}

fn clerk_rs256(cases: &Cases) -> &TokenCase {
    cases
        .tokens
        .iter()
        .find(|t| t.group == "RS256-2048" && t.shape == "clerk")
        .expect("clerk RS256 case")
}

/// Decoding only: base64 of header and payload, header and claims JSON.
fn parse(c: &mut C) {
    let cases = data::cases();
    let case = clerk_rs256(&cases);
    let mut g = c.benchmark_group("parse");
    let mut buf = vec![0u8; scratch_len(case.token.len())];
    g.bench_function(BenchmarkId::new("libverifier", &case.shape), |b| {
        b.iter(|| {
            let t = black_box(case.token.as_bytes());
            let (_, header, payload, arena) = decode(t, &mut buf);
            let claims = Claims::parse(payload, arena).unwrap();
            black_box((header.alg, claims.sub()));
        })
    });
    g.bench_function(
        BenchmarkId::new("jsonwebtoken-insecure-decode", &case.shape),
        |b| {
            b.iter(|| {
                let d =
                    jsonwebtoken::dangerous::insecure_decode::<PeerClaims>(black_box(&case.token))
                        .unwrap();
                black_box(d.claims.sub);
            })
        },
    );
    g.finish();
}

/// Everything libverifier does per token except the signature check.
fn overhead(c: &mut C) {
    let cases = data::cases();
    let mut g = c.benchmark_group("overhead");
    for case in cases.tokens.iter().filter(|t| t.group == "RS256-2048") {
        let verifier = peers::libverifier_verifier(case, &cases);
        let policy = peers::policy(&case.shape, peers::alg(&case.alg));
        let mut buf = vec![0u8; scratch_len(case.token.len())];
        let now = 1_764_000_100;
        g.bench_function(
            BenchmarkId::new("libverifier-no-signature", &case.shape),
            |b| {
                b.iter(|| {
                    without_signature(
                        &verifier,
                        &policy,
                        black_box(case.token.as_bytes()),
                        &mut buf,
                        now,
                    )
                })
            },
        );
    }
    g.finish();
}

/// Claims JSON and policy only, on an already decoded payload.
fn claims(c: &mut C) {
    use base64ct::{Base64UrlUnpadded, Encoding as _};
    let cases = data::cases();
    let mut g = c.benchmark_group("claims");
    for case in cases.tokens.iter().filter(|t| t.group == "RS256-2048") {
        let seg: Vec<&str> = case.token.split('.').collect();
        let payload = Base64UrlUnpadded::decode_vec(seg[1]).unwrap();
        let header_json = Base64UrlUnpadded::decode_vec(seg[0]).unwrap();
        let header = Header::parse(&header_json).unwrap();
        let policy = peers::policy(&case.shape, peers::alg(&case.alg));
        let mut arena = vec![0u8; payload.len()];
        g.bench_function(BenchmarkId::new("libverifier", &case.shape), |b| {
            b.iter(|| {
                let claims = Claims::parse(black_box(&payload), &mut arena).unwrap();
                policy.check(&header, &claims, 1_764_000_100).unwrap();
                black_box(claims.sub());
            })
        });
        g.bench_function(BenchmarkId::new("serde_json", &case.shape), |b| {
            b.iter(|| {
                let claims: PeerClaims = serde_json::from_slice(black_box(&payload)).unwrap();
                black_box(claims.sub);
            })
        });
    }
    g.finish();
}

/// Loading a provider's JWKS of three keys.
fn keys(c: &mut C) {
    let cases = data::cases();
    let mut g = c.benchmark_group("keys");
    for kind in ["rsa2048", "rsa3072", "rsa4096", "p256", "p384"] {
        let jwks = cases.keys[kind].jwks.clone().unwrap();
        g.bench_function(BenchmarkId::new("libverifier", kind), |b| {
            b.iter(|| {
                black_box(
                    verifier_core::Verifier::<8>::from_jwks(black_box(jwks.as_bytes())).unwrap(),
                )
            })
        });
        g.bench_function(BenchmarkId::new("jsonwebtoken", kind), |b| {
            b.iter(|| {
                let set: jsonwebtoken::jwk::JwkSet =
                    serde_json::from_str(black_box(&jwks)).unwrap();
                let keys: Vec<_> = set
                    .keys
                    .iter()
                    .map(|k| jsonwebtoken::DecodingKey::from_jwk(k).unwrap())
                    .collect();
                black_box(keys)
            })
        });
    }
    // What the first load of a new EC key costs: building its comb (a key
    // loaded again reuses its comb, which is what the rows above measure).
    g.bench_function(BenchmarkId::new("libverifier-build-comb", "p256"), |b| {
        b.iter(|| {
            let comb = Box::new(verifier_core::ec_tables::P256Comb::new());
            comb.build(&p256::ProjectivePoint::GENERATOR);
            black_box(comb)
        })
    });
    g.bench_function(BenchmarkId::new("libverifier-build-comb", "p384"), |b| {
        b.iter(|| {
            let comb = Box::new(verifier_core::ec_tables::P384Comb::new());
            comb.build(&p384::ProjectivePoint::GENERATOR);
            black_box(comb)
        })
    });
    g.finish();
}

/// The verified-token cache: a hit compares the whole token, copies the
/// stored header, payload and claim strings into the buffer, rebuilds the
/// views (no base64, no JSON, no signature) and re-checks the policy against
/// `now`. Compare with the full-path groups' peers.
fn cache(c: &mut C) {
    let cases = data::cases();
    let mut g = c.benchmark_group("cache");
    for case in cases.tokens.iter().filter(|t| {
        t.shape == "clerk" && ["RS256-2048", "ES256", "EdDSA"].contains(&t.group.as_str())
    }) {
        let verifier = peers::libverifier_verifier(case, &cases);
        let policy = peers::policy(&case.shape, peers::alg(&case.alg));
        let mut cache = Box::new(CachedVerifier::<8, 64, 2048>::new(&verifier));
        let mut buf = vec![0u8; scratch_len(case.token.len())];
        let now = || {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        };
        cache
            .verify(case.token.as_bytes(), now(), &policy, &mut buf)
            .unwrap();
        g.bench_function(BenchmarkId::new("libverifier-hit", &case.group), |b| {
            b.iter(|| {
                let v = cache
                    .verify(black_box(case.token.as_bytes()), now(), &policy, &mut buf)
                    .unwrap();
                black_box(v.claims.sub());
            })
        });
        // Filtered out, the bench runs no call; run, every call after the first hits.
        assert_eq!(cache.stats().1, 1, "every call after the first hits");
    }
    g.finish();
}

/// The JSON parser's worst cases next to a normal token, through the full
/// verify path of one verifier: a 12 KB header of 256 member names sharing
/// one hash and a 13 KB one that overruns the name-hash stack, each with a garbage
/// signature (refused as `JsonTooComplex` before any key work), and the Clerk
/// RS256 token verified in full. The parser's budget keeps each within a few
/// normal verifications (about 30 and 100 before it).
fn adversarial(c: &mut C) {
    let cases = data::cases();
    let case = clerk_rs256(&cases);
    let verifier = peers::libverifier_verifier(case, &cases).with_max_token_len(32 * 1024);
    let policy = peers::policy(&case.shape, peers::alg(&case.alg));
    let mut g = c.benchmark_group("adversarial");
    let tokens = [
        ("normal-clerk", case.token.clone()),
        (
            "colliding-names",
            adversarial::token(&adversarial::collision_header(256), &case.token),
        ),
        (
            "hash-stack-full",
            adversarial::token(&adversarial::stack_full_header(), &case.token),
        ),
    ];
    for (name, token) in &tokens {
        let mut buf = vec![0u8; scratch_len(token.len())];
        let now = 1_764_000_100;
        if *name != "normal-clerk" {
            let err = verifier
                .verify(token.as_bytes(), now, &policy, &mut buf)
                .err();
            assert_eq!(err, Some(verifier_core::Error::JsonTooComplex), "{name}");
        }
        g.bench_function(BenchmarkId::new("libverifier", *name), |b| {
            b.iter(|| {
                let r = verifier.verify(black_box(token.as_bytes()), now, &policy, &mut buf);
                black_box(r.is_ok());
            })
        });
    }
    g.finish();
}

/// The Clerk-shaped RS256-2048 and ES256 tokens: what `layers` and
/// `throughput` verify (and `layers.sh` hands the Go package).
fn layer_cases(cases: &Cases) -> Vec<&TokenCase> {
    cases
        .tokens
        .iter()
        .filter(|t| t.shape == "clerk" && (t.group == "RS256-2048" || t.group == "ES256"))
        .collect()
}

/// What each layer adds: the same token through core (`Verifier::verify`
/// with the preset's policy, as the `libverifier` rows) and through the C
/// ABI (`vf_verify`: the `RwLock<Arc>` clone, the boundary, `vf_claims`
/// filled). Wall-clock, like Go's `ns/op` that `layers.sh` adds beside them.
fn layers(c: &mut Criterion<WallTime>) {
    let cases = data::cases();
    let mut g = c.benchmark_group("layers");
    for case in layer_cases(&cases) {
        let core = peers::build(Lib::Libverifier, case, &cases);
        g.bench_function(BenchmarkId::new("core", &case.group), |b| {
            b.iter(|| core(black_box(&case.token)))
        });
        let v = capi::verifier(case, &cases);
        let mut out = capi::Claims::new();
        g.bench_function(BenchmarkId::new("c-abi", &case.group), |b| {
            b.iter(|| v.verify(black_box(case.token.as_bytes()), &mut out))
        });
    }
    g.finish();
}

/// Verifications per second through the C ABI (`vf_verify_authorization` on
/// a `Bearer` header), 1 and 2 threads sharing one `vf_verifier`: whether
/// the read path (an `RwLock` read and an `Arc` clone per call) scales.
/// Criterion's time per iteration is wall time per verification across the
/// threads; `bench-table` turns it into verifications/s.
fn throughput(c: &mut Criterion<WallTime>) {
    let cases = data::cases();
    let mut g = c.benchmark_group("throughput");
    g.throughput(Throughput::Elements(1));
    for case in layer_cases(&cases) {
        let v = capi::verifier(case, &cases);
        let header = format!("Bearer {}", case.token);
        for threads in [1usize, 2] {
            let name = if threads == 1 {
                "c-abi-1-thread".to_string()
            } else {
                format!("c-abi-{threads}-threads")
            };
            g.bench_function(BenchmarkId::new(name, &case.group), |b| {
                b.iter_custom(|iters| {
                    let start = std::time::Instant::now();
                    std::thread::scope(|s| {
                        for t in 0..threads as u64 {
                            // Split the iterations; the first thread takes the remainder.
                            let n = iters / threads as u64
                                + if t == 0 { iters % threads as u64 } else { 0 };
                            let (v, header) = (&v, header.as_bytes());
                            s.spawn(move || {
                                let mut out = capi::Claims::new();
                                for _ in 0..n {
                                    assert!(v.verify_authorization(black_box(header), &mut out));
                                }
                            });
                        }
                    });
                    start.elapsed()
                })
            });
        }
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = full_path, parse, overhead, claims, keys, cache, adversarial
}
criterion_group! {
    name = wall;
    config = wall_config();
    targets = layers, throughput
}
criterion_main!(benches, wall);
