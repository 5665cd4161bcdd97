//! The detail of a rejection, for the CLI: core's `explain` (one
//! implementation, shared with the C ABI) written into a `String`.

use verifier_core::explain::{self, Context as CoreContext};
use verifier_core::{Error, KeySet, Policy};

/// What the check compared against: the pinned keys, the policy, the time.
pub struct Context<'a, const N: usize> {
    pub keys: &'a KeySet<N>,
    pub policy: &'a Policy<'a, String>,
    pub now: i64,
    pub max_token_len: usize,
}

/// The detail sentence for `err` (without the error name).
pub fn detail<const N: usize>(err: Error, token: &[u8], cx: &Context<'_, N>) -> String {
    let core_cx = CoreContext {
        keys: cx.keys,
        policy: cx.policy,
        now: cx.now,
        max_token_len: cx.max_token_len,
    };
    let mut scratch = vec![0u8; explain::scratch_len(token.len())];
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = explain::write_detail(&mut out, err, token, &core_cx, &mut scratch);
    out
}
