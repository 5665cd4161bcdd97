//! `verifier`: verify a JSON Web Token against pinned keys and a policy, or
//! decode one unverified. Exit 0 valid/decoded, 1 rejected, 2 bad usage.

mod args;
mod explain;
mod fail;
mod input;
mod inspect;
mod keys;
mod policy;
mod route;
mod time;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;
use verifier_core::{Verifier, scratch_len};

use crate::args::{Cli, Command, InspectArgs, VerifyArgs};
use crate::fail::{REJECTED, Rejection, USAGE, Usage};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version (exit 0) and usage errors (exit 2) itself.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { USAGE } else { 0 });
        }
    };
    match cli.command {
        Command::Verify(args) => verify(&args),
        Command::Inspect(args) => inspect(&args),
    }
}

fn usage(u: Usage) -> ExitCode {
    warn(&format!("verifier: {}\n", u.0));
    ExitCode::from(USAGE)
}

fn reject(r: &Rejection, json: bool) -> ExitCode {
    warn(&format!("{}\n", r.line()));
    if json {
        emit(&format!("{}\n", r.to_json()));
    }
    ExitCode::from(REJECTED)
}

// Unlike println!, these do not panic on a closed pipe (`| head`): the exit
// status still says what happened.
fn emit(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn warn(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

fn verify(args: &VerifyArgs) -> ExitCode {
    // Configuration first: bad flags or keys are exit 2 whatever the token.
    let spec = match policy::PolicySpec::from_args(args) {
        Ok(s) => s,
        Err(u) => return usage(u),
    };
    if !args.route.is_empty() {
        return verify_routed(args, &spec);
    }
    let keys = match keys::load(args, spec.preset(), spec.policy().algorithms) {
        Ok((k, notes)) => {
            for n in notes {
                warn(&format!("verifier: {n}\n"));
            }
            k
        }
        Err(u) => return usage(u),
    };
    let token = match input::read_token(&args.source) {
        Ok(t) => t,
        Err(u) => return usage(u),
    };
    let verifier = match Verifier::new(keys) {
        Ok(v) => v,
        Err(e) => return usage(Usage(e.message().into())),
    };
    let policy = spec.policy();
    let now = args.now.unwrap_or_else(time::now);
    let mut buf = vec![0u8; scratch_len(token.len())];
    match verifier.verify(token.as_bytes(), now, &policy, &mut buf) {
        Ok(ok) => accepted(ok.claims.raw()),
        Err(error) => {
            let cx = explain::Context {
                keys: verifier.keys(),
                policy: &policy,
                now,
                max_token_len: verifier.max_token_len(),
            };
            let detail = explain::detail(error, token.as_bytes(), &cx);
            reject(&Rejection { error, detail }, args.json)
        }
    }
}

/// Print the verified claims.
fn accepted(raw: &str) -> ExitCode {
    // Pretty JSON in the token's member order; the core has already
    // accepted the text, so the fallback only covers numbers serde_json
    // cannot hold (e.g. 1e400 in a custom claim).
    let out = serde_json::from_str::<serde_json::Value>(raw)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| raw.to_owned());
    emit(&format!("{out}\n"));
    ExitCode::SUCCESS
}

/// `--route`: the keys of the route the token's `iss` names.
fn verify_routed(args: &VerifyArgs, spec: &policy::PolicySpec) -> ExitCode {
    let policy = spec.policy();
    let routes = match route::load(args, spec.preset(), &policy) {
        Ok(r) => r,
        Err(u) => return usage(u),
    };
    for n in &routes.notes {
        warn(&format!("verifier: {n}\n"));
    }
    let token = match input::read_token(&args.source) {
        Ok(t) => t,
        Err(u) => return usage(u),
    };
    let now = args.now.unwrap_or_else(time::now);
    let mut buf = vec![0u8; scratch_len(token.len())];
    match routes.verify(&policy, token.as_bytes(), now, &mut buf) {
        Ok(ok) => accepted(ok.claims.raw()),
        Err(error) => {
            let detail = routes.detail(error, token.as_bytes(), &policy, now);
            reject(&Rejection { error, detail }, args.json)
        }
    }
}

fn inspect(args: &InspectArgs) -> ExitCode {
    let token = match input::read_token(&args.source) {
        Ok(t) => t,
        Err(u) => return usage(u),
    };
    let now = args.now.unwrap_or_else(time::now);
    match inspect::run(&token, now, args.json) {
        Ok(out) => {
            emit(&out);
            ExitCode::SUCCESS
        }
        Err(r) => reject(&r, args.json),
    }
}
