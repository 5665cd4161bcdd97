//! `vf_result`: a heap home for one `vf_claims`, so a worker thread or an
//! event-loop callback keeps a pointer on its stack instead of the 12 KB
//! struct. Allocated once (per thread or per connection) and reused by
//! every verification; the views point into it, valid until its next use.

use std::alloc::{Layout, alloc_zeroed, dealloc};

use crate::boundary::catch;
use crate::claims::vf_claims;
use crate::status::vf_status::{self, *};
use crate::verifier::{vf_verifier, vf_verify, vf_verify_authorization};

/// Opaque: the claims of the last verification made with it, and whether it succeeded.
pub struct vf_result {
    claims: vf_claims,
    ok: bool,
}

/// Allocate a result (about `sizeof(vf_claims)`, 12.5 KB, zeroed: it holds
/// no verification yet). Free it with `vf_result_free`.
///
/// # Safety
/// `out` valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_result_new(out: *mut *mut vf_result) -> vf_status {
    catch(|| {
        if out.is_null() {
            return Err(VF_NULL_ARGUMENT);
        }
        let layout = Layout::new::<vf_result>();
        // SAFETY: non-zero size. All-zero bytes are a valid vf_result: NULL
        // views, zero numbers, `false` flags, `ok == false`. Built in place,
        // never on this stack.
        let r = unsafe { alloc_zeroed(layout) }.cast::<vf_result>();
        if r.is_null() {
            return Err(VF_ALLOCATION_FAILED);
        }
        // SAFETY: checked non-NULL above.
        unsafe { out.write(r) };
        Ok(())
    })
}

/// Free a result from `vf_result_new`. NULL is a no-op.
///
/// # Safety
/// `r` NULL or a live result, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_result_free(r: *mut vf_result) {
    catch(|| {
        if !r.is_null() {
            // SAFETY: allocated by vf_result_new with this layout; nothing to drop.
            unsafe { dealloc(r.cast(), Layout::new::<vf_result>()) };
        }
        Ok(())
    });
}

/// `vf_verify` into `r`. On success `vf_result_claims(r)` gives the claims.
///
/// # Safety
/// `v` a live verifier; `token` valid for `len` bytes; `r` a live result
/// not used by another thread during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_verify_result(
    v: *const vf_verifier,
    token: *const u8,
    len: usize,
    now: i64,
    r: *mut vf_result,
) -> vf_status {
    // SAFETY: NULL checked; otherwise the caller's contract.
    let Some(r) = (unsafe { r.as_mut() }) else {
        return VF_NULL_ARGUMENT;
    };
    r.ok = false;
    // SAFETY: forwarded contract; `vf_verify` has its own panic boundary.
    let s = unsafe { vf_verify(v, token, len, now, &mut r.claims) };
    r.ok = s == VF_OK;
    s
}

/// `vf_verify_authorization` into `r`.
///
/// # Safety
/// As for `vf_verify_result`, with `header` valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_verify_authorization_result(
    v: *const vf_verifier,
    header: *const u8,
    len: usize,
    now: i64,
    r: *mut vf_result,
) -> vf_status {
    // SAFETY: NULL checked; otherwise the caller's contract.
    let Some(r) = (unsafe { r.as_mut() }) else {
        return VF_NULL_ARGUMENT;
    };
    r.ok = false;
    // SAFETY: forwarded contract.
    let s = unsafe { vf_verify_authorization(v, header, len, now, &mut r.claims) };
    r.ok = s == VF_OK;
    s
}

/// The claims of the last verification with `r` if it succeeded, else NULL.
/// Valid until `r` is used again or freed; use with every `vf_claims_*` getter.
///
/// # Safety
/// `r` NULL or a live result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_result_claims(r: *const vf_result) -> *const vf_claims {
    // SAFETY: NULL checked; otherwise a live result by contract.
    match unsafe { r.as_ref() } {
        Some(r) if r.ok => &r.claims,
        _ => std::ptr::null(),
    }
}

/// `sizeof(vf_claims)` in bytes, for callers sizing thread stacks.
#[unsafe(no_mangle)]
pub extern "C" fn vf_claims_size() -> usize {
    std::mem::size_of::<vf_claims>()
}
