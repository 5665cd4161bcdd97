//! Why a token was refused, in words, through the ABI: the same sentence
//! the CLI prints ("exp 1764000060 is 10 s before now, leeway 5 s"), from
//! core's one implementation, written into the caller's buffer snprintf
//! style (always NUL-terminated, cut at a character boundary).

use std::ffi::{CStr, c_char};
use std::fmt;

use verifier_core::{Error, explain};

use crate::boundary::{bytes, catch};
use crate::status::vf_status::{self, *};
use crate::status::vf_status_message;
use crate::verifier::{bearer_token, vf_verifier};

/// A caller's buffer: keeps what fits (whole characters), counts what was meant.
struct CBuf<'b> {
    buf: &'b mut [u8],
    len: usize,
    needed: usize,
    cut: bool,
}

impl fmt::Write for CBuf<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.needed += s.len();
        if self.cut {
            return Ok(());
        }
        // One byte stays free for the NUL.
        let room = self.buf.len().saturating_sub(1) - self.len;
        let mut n = s.len().min(room);
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        self.cut = n < s.len();
        Ok(())
    }
}

/// Fill `buf` with `f`'s text; `VF_OUTPUT_TOO_SMALL` when it was cut.
///
/// # Safety
/// `buf` valid for writes of `buf_len` bytes; `out_len` NULL or valid for writes.
unsafe fn fill(
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
    f: impl FnOnce(&mut CBuf<'_>) -> Result<(), vf_status>,
) -> Result<(), vf_status> {
    if buf.is_null() {
        return Err(VF_NULL_ARGUMENT);
    }
    if buf_len == 0 || buf_len > isize::MAX as usize {
        return Err(VF_INVALID_ARGUMENT);
    }
    // SAFETY: non-NULL, valid for `buf_len` bytes by contract.
    let buf = unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), buf_len) };
    let mut w = CBuf {
        buf,
        len: 0,
        needed: 0,
        cut: false,
    };
    let r = f(&mut w);
    w.buf[w.len] = 0;
    if !out_len.is_null() {
        // SAFETY: non-NULL, valid for writes by contract.
        unsafe { out_len.write(w.needed + 1) };
    }
    r?;
    if w.cut {
        return Err(VF_OUTPUT_TOO_SMALL);
    }
    Ok(())
}

/// Explain `status` (what a verify call returned) for `token`.
fn explain_token(
    v: &vf_verifier,
    token: &[u8],
    now: i64,
    status: u32,
    w: &mut CBuf<'_>,
) -> Result<(), vf_status> {
    let Some(err) = Error::from_code(status) else {
        // Not a token verdict (VF_OK, an interface status): its sentence.
        // SAFETY: static NUL-terminated tables.
        let text = unsafe { CStr::from_ptr(vf_status_message(status)) };
        return fmt::Write::write_str(w, &text.to_string_lossy()).map_err(|_| VF_PANIC);
    };
    // Only the prefix the verifier would read matters: an over-long token is
    // explained by its length alone, so the scratch stays bounded.
    let len = token.len().min(v.max_token_len());
    let mut scratch = Vec::new();
    scratch
        .try_reserve_exact(explain::scratch_len(len))
        .map_err(|_| VF_ALLOCATION_FAILED)?;
    scratch.resize(explain::scratch_len(len), 0);
    v.explain(err, token, now, &mut scratch, w)
}

/// Why `status` (returned by `vf_verify` for `token` with the same `now`)
/// refused the token, with the values compared: `"exp 1764000060 is 10 s
/// before now, leeway 5 s"` (no status name; `vf_status_name` has it). The
/// same text as the CLI's. For a status that is not a verdict on the token
/// (`VF_OK`, `VF_NULL_ARGUMENT`...) the status sentence. Written into `buf`
/// NUL-terminated, snprintf style: `*out_len` (if not NULL) gets the size
/// the whole text needs, NUL included; a cut text returns
/// `VF_OUTPUT_TOO_SMALL` (256 bytes fit nearly every sentence). Runs after
/// the verdict only: it decodes the token again, unverified, in a heap
/// scratch of about 1.5 times the token length.
///
/// # Safety
/// `v` a live verifier; `token` valid for `len` bytes; `buf` valid for
/// writes of `buf_len` bytes (`buf_len >= 1`); `out_len` NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_explain(
    v: *const vf_verifier,
    token: *const u8,
    len: usize,
    now: i64,
    status: u32,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> vf_status {
    catch(|| {
        // SAFETY: NULL checked; otherwise the caller's contract.
        let v = unsafe { v.as_ref() }.ok_or(VF_NULL_ARGUMENT)?;
        // SAFETY: caller's contract for `token`.
        let token = unsafe { bytes(token, len) }?;
        // SAFETY: caller's contract for `buf` and `out_len`.
        unsafe {
            fill(buf, buf_len, out_len, |w| {
                explain_token(v, token, now, status, w)
            })
        }
    })
}

/// Like `vf_explain`, for `vf_verify_authorization`'s `header`: a header
/// that is not `Bearer <token>` gets the `VF_MISSING_BEARER` sentence.
///
/// # Safety
/// As for `vf_explain`, with `header` valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_explain_authorization(
    v: *const vf_verifier,
    header: *const u8,
    len: usize,
    now: i64,
    status: u32,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> vf_status {
    catch(|| {
        // SAFETY: NULL checked; otherwise the caller's contract.
        let v = unsafe { v.as_ref() }.ok_or(VF_NULL_ARGUMENT)?;
        // SAFETY: caller's contract for `header`.
        let header = unsafe { bytes(header, len) }?;
        let token = bearer_token(header);
        // SAFETY: caller's contract for `buf` and `out_len`.
        unsafe {
            fill(buf, buf_len, out_len, |w| match token {
                Some(t) => explain_token(v, t, now, status, w),
                None => explain_token(v, b"", now, VF_MISSING_BEARER as u32, w),
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    #[test]
    fn cut_at_a_character_boundary_and_counted() {
        let mut b = [0xffu8; 6];
        let mut w = CBuf {
            buf: &mut b,
            len: 0,
            needed: 0,
            cut: false,
        };
        w.write_str("ab").unwrap();
        w.write_str("é€x").unwrap();
        w.write_str("z").unwrap();
        assert_eq!((w.len, w.needed, w.cut), (4, 9, true));
        assert_eq!(&b[..4], "abé".as_bytes());
    }
}
