//! Running the built `verifier` binary from the workspace root.

#![allow(dead_code)] // each test file uses its own part of this

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use base64ct::{Base64UrlUnpadded, Encoding as _};

pub const NOW: &str = "1764000000";
pub const CLERK_ISS: &str = "https://clerk.example.com";
pub const CLERK_AZP: &str = "https://app.example.com";

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap()
}

/// Run the binary in the workspace root with `args` and `stdin`.
pub fn run(args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_verifier"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// `verify` with the Clerk example keys and policy, then `extra`, then the token.
pub fn verify_clerk(extra: &[&str], token: &str) -> Run {
    let mut args = vec![
        "verify",
        "--preset",
        "clerk",
        "--jwks",
        "examples/keys/clerk-jwks.json",
        "--iss",
        CLERK_ISS,
        "--azp",
        CLERK_AZP,
    ];
    args.extend_from_slice(extra);
    args.push(token);
    run(&args, None)
}

pub fn clerk_token() -> String {
    read("examples/tokens/clerk.jwt").trim().to_owned()
}

pub fn b64(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

pub fn unb64(s: &str) -> Vec<u8> {
    Base64UrlUnpadded::decode_vec(s).unwrap()
}

pub fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}
