//! The two ways a run fails, and their exit codes: a rejected token (1) and
//! bad usage, unreadable keys or input (2).

use serde_json::json;
use verifier_core::Error;

/// Exit status for a rejected token.
pub const REJECTED: u8 = 1;
/// Exit status for bad usage, unreadable keys or unreadable input.
pub const USAGE: u8 = 2;

/// Bad usage or unusable configuration: a sentence for stderr.
#[derive(Debug)]
pub struct Usage(pub String);

/// A token the verifier refused, with the specific reason.
#[derive(Debug)]
pub struct Rejection {
    pub error: Error,
    pub detail: String,
}

impl Rejection {
    /// The one line for stderr: `<name>: <detail>`.
    pub fn line(&self) -> String {
        format!("{}: {}", self.error.name(), self.detail)
    }

    /// The machine-readable form for `--json`.
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "error": self.error.name(),
            "code": self.error.code(),
            "message": self.error.message(),
            "detail": self.detail,
        })
    }
}
