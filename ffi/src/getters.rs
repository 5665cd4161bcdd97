//! Typed claim getters over a verified `vf_claims`, in libjwt's habit
//! (`jwt_get_grant`, `jwt_get_grant_int`): a claim by its C-string name,
//! read as a string (unescaped, NUL-terminated, into the caller's buffer),
//! an int64, a bool, a double, or an array of strings; `aud` as one or many;
//! and any view (`c->sub`...) copied out as a C string.
//!
//! Every getter re-reads the payload JSON that verification already
//! accepted (linear in its size, no allocation). Statuses: `VF_CLAIM_NOT_FOUND`,
//! `VF_CLAIM_TYPE_MISMATCH`, `VF_OUTPUT_TOO_SMALL` (then `*out_len` is the
//! size needed, NUL included, and the buffer is untouched), `VF_CLAIM_HAS_NUL`
//! (a `\u0000` would cut the C string short: refused rather than truncated),
//! `VF_NOT_VERIFIED` (the struct holds no successful verification).

use std::ffi::c_char;

use verifier_core::json::{self, Kind, Value};

use crate::boundary::{catch, text};
use crate::claims::{payload_of, vf_claims, vf_str};
use crate::status::vf_status::{self, *};

/// The claim `name` of `c`, as a JSON value borrowed from `c`.
///
/// # Safety
/// `c` NULL or valid for reads of a `vf_claims`; `name` NULL or a C string.
unsafe fn claim<'c>(c: *const vf_claims, name: *const c_char) -> Result<Value<'c>, vf_status> {
    if c.is_null() {
        return Err(VF_NULL_ARGUMENT);
    }
    // SAFETY: caller's contract; NULL checked by `text`.
    let name = unsafe { text(name) }?;
    // SAFETY: non-NULL, a vf_claims by contract.
    let payload = unsafe { payload_of(c) }.ok_or(VF_NOT_VERIFIED)?;
    // Verification parsed this very text, so failure means a foreign struct.
    let root = json::parse(payload).map_err(|_| VF_NOT_VERIFIED)?;
    root.get(name).ok_or(VF_CLAIM_NOT_FOUND)
}

/// Write `out` through a nullable pointer.
///
/// # Safety
/// `p` NULL or valid for writes.
unsafe fn put<T>(p: *mut T, v: T) {
    if !p.is_null() {
        // SAFETY: non-NULL, valid by the caller's contract.
        unsafe { p.write(v) };
    }
}

/// Copy a JSON string value, unescaped, into `buf` with a NUL.
///
/// # Safety
/// `buf` NULL or valid for writes of `buf_len` bytes; `out_len` NULL or valid for writes.
unsafe fn string_out(
    v: &Value<'_>,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> Result<(), vf_status> {
    let s = v.as_str().ok_or(VF_CLAIM_TYPE_MISMATCH)?;
    if s.chars().any(|c| c == '\0') {
        return Err(VF_CLAIM_HAS_NUL);
    }
    let need = s.decoded_len() + 1;
    // SAFETY: forwarded contract.
    let dst = unsafe { room(buf, buf_len, need, out_len) }?;
    let n = s.unescape_into(dst).map_err(|_| VF_OUTPUT_TOO_SMALL)?.len();
    dst[n] = 0;
    Ok(())
}

/// `need` bytes of `buf` (after reporting `need` through `out_len`), or
/// `VF_OUTPUT_TOO_SMALL`.
///
/// # Safety
/// As for [`string_out`].
unsafe fn room<'b>(
    buf: *mut c_char,
    buf_len: usize,
    need: usize,
    out_len: *mut usize,
) -> Result<&'b mut [u8], vf_status> {
    // SAFETY: forwarded contract.
    unsafe { put(out_len, need) };
    if buf.is_null() {
        return Err(VF_NULL_ARGUMENT);
    }
    if buf_len < need {
        return Err(VF_OUTPUT_TOO_SMALL);
    }
    // SAFETY: non-NULL, valid for `buf_len >= need` bytes by contract.
    Ok(unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), need) })
}

/// The string claim `name`, unescaped, into `buf` with a terminating NUL.
/// `*out_len` (if not NULL) gets the bytes needed, NUL included, on success
/// and on `VF_OUTPUT_TOO_SMALL`.
///
/// # Safety
/// `c` a `vf_claims` filled by a verify call; `name` a C string; `buf`
/// valid for writes of `buf_len` bytes; `out_len` NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_claims_get_string(
    c: *const vf_claims,
    name: *const c_char,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> vf_status {
    catch(|| {
        // SAFETY: caller's contract.
        unsafe {
            let v = claim(c, name)?;
            string_out(&v, buf, buf_len, out_len)
        }
    })
}

/// The claim `name` as an integer: JSON integer syntax (no fraction or
/// exponent) that fits `int64_t`; anything else is `VF_CLAIM_TYPE_MISMATCH`.
///
/// # Safety
/// `c` a `vf_claims` filled by a verify call; `name` a C string; `out` valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_claims_get_int(
    c: *const vf_claims,
    name: *const c_char,
    out: *mut i64,
) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { get_scalar(c, name, out, |v| v.as_number()?.as_i64()) }
}

/// The claim `name` as a boolean (`true` / `false` only).
///
/// # Safety
/// As for `vf_claims_get_int`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_claims_get_bool(
    c: *const vf_claims,
    name: *const c_char,
    out: *mut bool,
) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { get_scalar(c, name, out, |v| v.as_bool()) }
}

/// Whether the verified token grants `scope`: a word of its `scope` string
/// (space-separated, RFC 9068 / RFC 8693), or an element of a `scope` or
/// `scp` array of strings (Okta, Entra ID). `*out` is false when neither
/// claim is there or none grants it. `VF_CLAIM_TYPE_MISMATCH` when `scope`
/// or `scp` has another type; `VF_INVALID_ARGUMENT` for an empty `scope`
/// argument or one holding a space (ask for one scope per call).
///
/// # Safety
/// `c` a `vf_claims` (or NULL); `scope` a C string (or NULL); `out` valid
/// for writes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_claims_has_scope(
    c: *const vf_claims,
    scope: *const c_char,
    out: *mut bool,
) -> vf_status {
    catch(|| {
        if c.is_null() || out.is_null() {
            return Err(VF_NULL_ARGUMENT);
        }
        // SAFETY: caller's contract; NULL checked by `text`.
        let scope = unsafe { text(scope) }?;
        if scope.is_empty() || scope.contains(' ') {
            return Err(VF_INVALID_ARGUMENT);
        }
        // SAFETY: non-NULL, a vf_claims by contract.
        let payload = unsafe { payload_of(c) }.ok_or(VF_NOT_VERIFIED)?;
        let root = json::parse(payload).map_err(|_| VF_NOT_VERIFIED)?;
        let granted = verifier_core::claims::grants_scope(&root, scope)
            .map_err(|_| VF_CLAIM_TYPE_MISMATCH)?;
        // SAFETY: non-NULL, valid for writes by contract.
        unsafe { out.write(granted) };
        Ok(())
    })
}

/// The scalar getters' one shape: `out` checked, the claim found, read by
/// `read` (`None` is `VF_CLAIM_TYPE_MISMATCH`), written only on success.
///
/// # Safety
/// As for `vf_claims_get_int`, with `out` valid for writes of a `T`.
unsafe fn get_scalar<T>(
    c: *const vf_claims,
    name: *const c_char,
    out: *mut T,
    read: impl FnOnce(Value<'_>) -> Option<T>,
) -> vf_status {
    catch(|| {
        if out.is_null() {
            return Err(VF_NULL_ARGUMENT);
        }
        // SAFETY: caller's contract.
        let v = unsafe { claim(c, name) }?;
        let x = read(v).ok_or(VF_CLAIM_TYPE_MISMATCH)?;
        // SAFETY: non-NULL, valid for writes by contract.
        unsafe { out.write(x) };
        Ok(())
    })
}

/// The claim `name` as the nearest double (any JSON number; one that
/// overflows to infinity, e.g. `1e400`, is `VF_CLAIM_TYPE_MISMATCH`).
///
/// # Safety
/// As for `vf_claims_get_int`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_claims_get_number(
    c: *const vf_claims,
    name: *const c_char,
    out: *mut f64,
) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { get_scalar(c, name, out, |v| v.as_number()?.as_f64()) }
}

/// The number of elements of the array claim `name` (of any types; read
/// the strings with `vf_claims_get_array_string`).
///
/// # Safety
/// `c` a `vf_claims` filled by a verify call; `name` a C string; `out_count` valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_claims_get_array_len(
    c: *const vf_claims,
    name: *const c_char,
    out_count: *mut usize,
) -> vf_status {
    catch(|| {
        if out_count.is_null() {
            return Err(VF_NULL_ARGUMENT);
        }
        // SAFETY: caller's contract.
        let v = unsafe { claim(c, name) }?;
        if v.kind() != Kind::Array {
            return Err(VF_CLAIM_TYPE_MISMATCH);
        }
        // SAFETY: non-NULL, valid for writes by contract.
        unsafe { out_count.write(v.elements().count()) };
        Ok(())
    })
}

/// Element `index` of the array claim `name`, which must be a string, as
/// for `vf_claims_get_string`. An index past the end is `VF_CLAIM_NOT_FOUND`.
///
/// # Safety
/// As for `vf_claims_get_string`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_claims_get_array_string(
    c: *const vf_claims,
    name: *const c_char,
    index: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> vf_status {
    catch(|| {
        // SAFETY: caller's contract.
        let v = unsafe { claim(c, name) }?;
        if v.kind() != Kind::Array {
            return Err(VF_CLAIM_TYPE_MISMATCH);
        }
        let e = v.elements().nth(index).ok_or(VF_CLAIM_NOT_FOUND)?;
        // SAFETY: forwarded contract.
        unsafe { string_out(&e, buf, buf_len, out_len) }
    })
}

/// The audiences of `aud`: 1 for a single string, the length of an array
/// of strings. `VF_CLAIM_NOT_FOUND` without `aud`; `VF_CLAIM_TYPE_MISMATCH`
/// for any other shape (which the policy refuses anyway).
///
/// # Safety
/// `c` a `vf_claims` filled by a verify call; `out_count` valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_claims_aud_count(
    c: *const vf_claims,
    out_count: *mut usize,
) -> vf_status {
    catch(|| {
        if out_count.is_null() {
            return Err(VF_NULL_ARGUMENT);
        }
        // SAFETY: caller's contract; the name is a static C string.
        let v = unsafe { claim(c, c"aud".as_ptr()) }?;
        let n = match v.kind() {
            Kind::String => 1,
            Kind::Array if v.elements().all(|e| e.kind() == Kind::String) => v.elements().count(),
            _ => return Err(VF_CLAIM_TYPE_MISMATCH),
        };
        // SAFETY: non-NULL, valid for writes by contract.
        unsafe { out_count.write(n) };
        Ok(())
    })
}

/// Audience `index` (0 for a single-string `aud`), as for `vf_claims_get_string`.
///
/// # Safety
/// `c` a `vf_claims` filled by a verify call; `buf` valid for writes of
/// `buf_len` bytes; `out_len` NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_claims_aud_get(
    c: *const vf_claims,
    index: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> vf_status {
    catch(|| {
        // SAFETY: caller's contract; the name is a static C string.
        let v = unsafe { claim(c, c"aud".as_ptr()) }?;
        let e = match v.kind() {
            Kind::String if index == 0 => v,
            Kind::String => return Err(VF_CLAIM_NOT_FOUND),
            Kind::Array => v.elements().nth(index).ok_or(VF_CLAIM_NOT_FOUND)?,
            _ => return Err(VF_CLAIM_TYPE_MISMATCH),
        };
        // SAFETY: forwarded contract.
        unsafe { string_out(&e, buf, buf_len, out_len) }
    })
}

/// Copy a view (`c->sub`, `c->iss`...) into `buf` as a C string.
/// `VF_CLAIM_NOT_FOUND` for an absent view (`ptr == NULL`). `*out_len` as
/// for `vf_claims_get_string`.
///
/// # Safety
/// `view` absent or pointing to `view.len` readable bytes (a view of a live
/// `vf_claims`); `buf` valid for writes of `buf_len` bytes; `out_len` NULL
/// or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_str_copy(
    view: vf_str,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> vf_status {
    catch(|| {
        if view.ptr.is_null() {
            return Err(VF_CLAIM_NOT_FOUND);
        }
        if view.len > isize::MAX as usize - 1 {
            return Err(VF_INVALID_ARGUMENT);
        }
        // SAFETY: caller's contract for the view.
        let src = unsafe { std::slice::from_raw_parts(view.ptr, view.len) };
        if src.contains(&0) {
            return Err(VF_CLAIM_HAS_NUL);
        }
        // SAFETY: forwarded contract.
        let dst = unsafe { room(buf, buf_len, src.len() + 1, out_len) }?;
        dst[..src.len()].copy_from_slice(src);
        dst[src.len()] = 0;
        Ok(())
    })
}

/// The string member `name` of a JSON object document (`json`, `len`
/// bytes), unescaped, into `buf` with a terminating NUL, as
/// `vf_claims_get_string` reads a claim: for small documents a C program
/// fetched itself, such as an OpenID Connect discovery document
/// (`issuer`, `jwks_uri`), read by the same strict parser as tokens
/// (duplicate members, bad escapes, trailing data refused with their
/// `VF_JSON_*` status). A document that is not an object is
/// `VF_PAYLOAD_NOT_OBJECT`; a missing member `VF_CLAIM_NOT_FOUND`; one
/// that is not a string `VF_CLAIM_TYPE_MISMATCH`; `*out_len` (if not
/// NULL) gets the bytes needed, NUL included, on success and on
/// `VF_OUTPUT_TOO_SMALL`.
///
/// # Safety
/// `json` valid for `len` bytes; `name` a C string; `buf` valid for writes
/// of `buf_len` bytes; `out_len` NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_json_get_string(
    json: *const u8,
    len: usize,
    name: *const c_char,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> vf_status {
    catch(|| {
        // SAFETY: caller's contract.
        unsafe {
            let doc = crate::boundary::bytes(json, len)?;
            let name = text(name)?;
            let root = json::parse(doc).map_err(crate::status::from_error)?;
            if root.kind() != Kind::Object {
                return Err(VF_PAYLOAD_NOT_OBJECT);
            }
            let v = root.get(name).ok_or(VF_CLAIM_NOT_FOUND)?;
            string_out(&v, buf, buf_len, out_len)
        }
    })
}
