//! The boundary itself: every exported function runs its body inside
//! [`catch`], so no panic unwinds into C, and raw pointer arguments become
//! Rust views only through the checked helpers here.

use std::alloc::{Layout, alloc};
use std::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::status::vf_status::{self, *};

/// Run `f`, turning `Err` into its status and a panic into `VF_PANIC`.
pub(crate) fn catch(f: impl FnOnce() -> Result<(), vf_status>) -> vf_status {
    // AssertUnwindSafe: after a caught panic the caller gets VF_PANIC and the
    // objects it passed are at worst left as before the call (we only commit
    // state at the end of each function).
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => VF_OK,
        Ok(Err(status)) => status,
        Err(_) => VF_PANIC,
    }
}

/// `len` bytes at `ptr`. NULL is refused even for `len == 0`: every pointer
/// argument is checked, and an empty token or key is never meaningful.
///
/// # Safety
/// A non-NULL `ptr` must be valid for reads of `len` bytes for `'a`.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], vf_status> {
    if ptr.is_null() {
        return Err(VF_NULL_ARGUMENT);
    }
    if len > isize::MAX as usize {
        return Err(VF_INVALID_ARGUMENT);
    }
    // SAFETY: non-NULL, length bounded; validity is the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// A NUL-terminated UTF-8 string.
///
/// # Safety
/// A non-NULL `ptr` must point to a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn text<'a>(ptr: *const c_char) -> Result<&'a str, vf_status> {
    if ptr.is_null() {
        return Err(VF_NULL_ARGUMENT);
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's contract.
    let s = unsafe { CStr::from_ptr(ptr) };
    s.to_str().map_err(|_| VF_INVALID_ARGUMENT)
}

/// Like [`text`], with NULL meaning "not given".
///
/// # Safety
/// As for [`text`].
pub(crate) unsafe fn optional_text<'a>(ptr: *const c_char) -> Result<Option<&'a str>, vf_status> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded contract.
    unsafe { text(ptr) }.map(Some)
}

/// Box `value` without aborting when memory is exhausted (`Box::new` would).
pub(crate) fn try_box<T>(value: T) -> Result<Box<T>, vf_status> {
    let layout = Layout::new::<T>();
    if layout.size() == 0 {
        return Ok(Box::new(value));
    }
    // SAFETY: non-zero size; the pointer is checked, written once, and owned by the Box.
    unsafe {
        let ptr = alloc(layout).cast::<T>();
        if ptr.is_null() {
            return Err(VF_ALLOCATION_FAILED);
        }
        ptr.write(value);
        Ok(Box::from_raw(ptr))
    }
}

/// Copy `s` into a new `String`, reporting allocation failure instead of aborting.
pub(crate) fn try_string(s: &str) -> Result<String, vf_status> {
    let mut out = String::new();
    out.try_reserve_exact(s.len())
        .map_err(|_| VF_ALLOCATION_FAILED)?;
    out.push_str(s);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_status() {
        assert_eq!(catch(|| panic!("boom")), VF_PANIC);
        assert_eq!(catch(|| Err(VF_MISSING_BEARER)), VF_MISSING_BEARER);
        assert_eq!(catch(|| Ok(())), VF_OK);
    }

    #[test]
    fn pointers_are_checked() {
        // SAFETY: NULL pointers only; the helpers must refuse them.
        unsafe {
            assert_eq!(bytes(std::ptr::null(), 0), Err(VF_NULL_ARGUMENT));
            assert_eq!(text(std::ptr::null()), Err(VF_NULL_ARGUMENT));
            assert_eq!(optional_text(std::ptr::null()), Ok(None));
            assert_eq!(text(c"\xff".as_ptr()), Err(VF_INVALID_ARGUMENT));
            let b = [1u8];
            assert_eq!(bytes(b.as_ptr(), usize::MAX), Err(VF_INVALID_ARGUMENT));
        }
    }
}
