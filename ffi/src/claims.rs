//! `vf_claims`: the caller-owned result. It carries its own scratch buffer,
//! so every view (pointer + length) points into the struct itself and stays
//! valid as long as the caller keeps the struct and does not reuse it.

use std::ptr::{addr_of, addr_of_mut};

use verifier_core::token;
use verifier_core::{Policy, Verifier, json};

use crate::VF_SCRATCH_LEN;
use crate::boundary::{bytes, catch};
use crate::status::from_error;
use crate::status::vf_status::{self, *};

/// A view of bytes owned elsewhere (here: inside a `vf_claims`). Not
/// NUL-terminated. `{NULL, 0}` when absent.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct vf_str {
    /// First byte, or NULL when absent.
    pub ptr: *const u8,
    /// Length in bytes.
    pub len: usize,
}

impl vf_str {
    const ABSENT: vf_str = vf_str {
        ptr: std::ptr::null(),
        len: 0,
    };

    fn of(s: Option<&str>) -> vf_str {
        match s {
            Some(s) => vf_str {
                ptr: s.as_ptr(),
                len: s.len(),
            },
            None => vf_str::ABSENT,
        }
    }
}

/// A verified token's claims. Declare it on your stack or in your own
/// memory and pass its address to `vf_verify`; the views point into
/// `scratch` and are valid while the struct lives and until it is passed to
/// another verification. Do not copy the struct (copies' views still point
/// into the original). On failure every view is reset to absent. It is
/// about 12.5 KB (`vf_claims_size()`): where stack is tight, keep a
/// `vf_result` (heap, reusable) instead and read it with `vf_result_claims`.
#[repr(C)]
pub struct vf_claims {
    /// `sub`: the subject (user id). Unescaped UTF-8.
    pub sub: vf_str,
    /// `iss`: the issuer.
    pub iss: vf_str,
    /// `sid`: the session id (Clerk, OIDC).
    pub sid: vf_str,
    /// `azp`: the authorized party.
    pub azp: vf_str,
    /// `client_id` (RFC 9068).
    pub client_id: vf_str,
    /// `scope`: space-separated scopes.
    pub scope: vf_str,
    /// `jti`: the token id.
    pub jti: vf_str,
    /// The protected header's `typ`.
    pub typ: vf_str,
    /// `exp`, seconds since the epoch (fractions floored); 0 when absent.
    pub exp: i64,
    /// `nbf`; 0 when absent.
    pub nbf: i64,
    /// `iat`; 0 when absent.
    pub iat: i64,
    /// Whether `exp` is present.
    pub has_exp: bool,
    /// Whether `nbf` is present.
    pub has_nbf: bool,
    /// Whether `iat` is present.
    pub has_iat: bool,
    /// The whole claims set as JSON text (UTF-8).
    pub payload: vf_str,
    /// The algorithm that verified the token (a `vf_alg` value).
    pub alg: u32,
    /// Work space and backing store of the views. Do not touch.
    pub scratch: [u8; VF_SCRATCH_LEN],
}

/// Reset every view of `out` (the scratch is left as it is).
///
/// # Safety
/// `out` must be valid for writes of a `vf_claims` (it may be uninitialised).
pub(crate) unsafe fn reset(out: *mut vf_claims) {
    // SAFETY: field writes through a pointer valid for the whole struct.
    unsafe {
        for view in [
            addr_of_mut!((*out).sub),
            addr_of_mut!((*out).iss),
            addr_of_mut!((*out).sid),
            addr_of_mut!((*out).azp),
            addr_of_mut!((*out).client_id),
            addr_of_mut!((*out).scope),
            addr_of_mut!((*out).jti),
            addr_of_mut!((*out).typ),
            addr_of_mut!((*out).payload),
        ] {
            view.write(vf_str::ABSENT);
        }
        addr_of_mut!((*out).exp).write(0);
        addr_of_mut!((*out).nbf).write(0);
        addr_of_mut!((*out).iat).write(0);
        addr_of_mut!((*out).has_exp).write(false);
        addr_of_mut!((*out).has_nbf).write(false);
        addr_of_mut!((*out).has_iat).write(false);
        addr_of_mut!((*out).alg).write(0);
    }
}

/// Split the scratch into what core's verify uses (decoded header, decoded
/// payload, then unescaped claim strings: at most the payload again) and a
/// tail where an escaped header `typ` is unescaped. The sizes only need the
/// segment lengths; a token that cannot be framed gets the whole buffer and
/// is refused by core anyway.
fn split_scratch<'s>(token: &[u8], scratch: &'s mut [u8]) -> (&'s mut [u8], &'s mut [u8]) {
    let need = token::split(token, usize::MAX).ok().and_then(|seg| {
        let h = token::decoded_len(seg.header).ok()?;
        let p = token::decoded_len(seg.payload).ok()?;
        Some(h + 2 * p)
    });
    let at = need.unwrap_or(scratch.len()).min(scratch.len());
    scratch.split_at_mut(at)
}

/// Verify `token` and fill `out`. Views are written only on success; on
/// failure they are all absent.
///
/// # Safety
/// `out` must be valid for writes of a `vf_claims` (it may be uninitialised).
pub(crate) unsafe fn verify_into<const N: usize, S: AsRef<str>>(
    verifier: &Verifier<N>,
    policy: &Policy<'_, S>,
    token: &[u8],
    now: i64,
    out: *mut vf_claims,
) -> Result<(), vf_status> {
    // SAFETY: `out` is valid for writes by contract; the scratch is a plain
    // byte array that core writes before it reads, and the other fields are
    // written only through raw field pointers, never overlapping it.
    unsafe {
        reset(out);
        // The length before anything reads the token (the scratch split
        // below scans it for dots): a huge `len` costs nothing.
        if token.len() > verifier.max_token_len() {
            return Err(VF_TOKEN_TOO_LARGE);
        }
        let scratch = std::slice::from_raw_parts_mut(
            addr_of_mut!((*out).scratch).cast::<u8>(),
            VF_SCRATCH_LEN,
        );
        let (work, tail) = split_scratch(token, scratch);
        let ok = verifier
            .verify(token, now, policy, work)
            .map_err(from_error)?;
        let typ = match ok.header.typ {
            None => None,
            Some(t) => Some(match t.as_unescaped() {
                Some(plain) => plain,
                None => t.unescape_into(tail).map_err(from_error)?,
            }),
        };
        let c = &ok.claims;
        addr_of_mut!((*out).sub).write(vf_str::of(c.sub()));
        addr_of_mut!((*out).iss).write(vf_str::of(c.iss()));
        addr_of_mut!((*out).sid).write(vf_str::of(c.sid()));
        addr_of_mut!((*out).azp).write(vf_str::of(c.azp()));
        addr_of_mut!((*out).client_id).write(vf_str::of(c.client_id()));
        addr_of_mut!((*out).scope).write(vf_str::of(c.scope()));
        addr_of_mut!((*out).jti).write(vf_str::of(c.jti()));
        addr_of_mut!((*out).typ).write(vf_str::of(typ));
        addr_of_mut!((*out).exp).write(c.exp().unwrap_or(0));
        addr_of_mut!((*out).nbf).write(c.nbf().unwrap_or(0));
        addr_of_mut!((*out).iat).write(c.iat().unwrap_or(0));
        addr_of_mut!((*out).has_exp).write(c.exp().is_some());
        addr_of_mut!((*out).has_nbf).write(c.nbf().is_some());
        addr_of_mut!((*out).has_iat).write(c.iat().is_some());
        addr_of_mut!((*out).payload).write(vf_str::of(Some(c.raw())));
        addr_of_mut!((*out).alg).write(ok.header.alg as u32);
    }
    Ok(())
}

/// The payload view of `c` if it points into `c`'s own scratch, which only
/// a successful verification leaves; `None` for a struct never filled, a
/// failed one, or a copy (whose views still point into the original).
///
/// # Safety
/// `c` non-NULL and valid for reads of a `vf_claims`.
pub(crate) unsafe fn payload_of<'c>(c: *const vf_claims) -> Option<&'c [u8]> {
    // SAFETY: only the payload view and the scratch are read, through raw
    // field pointers; the slice is built only inside the scratch.
    unsafe {
        let view = addr_of!((*c).payload).read();
        let base = addr_of!((*c).scratch).cast::<u8>() as usize;
        let start = view.ptr as usize;
        let inside = !view.ptr.is_null()
            && start >= base
            && view.len <= VF_SCRATCH_LEN
            && start - base <= VF_SCRATCH_LEN - view.len;
        inside.then(|| std::slice::from_raw_parts(view.ptr, view.len))
    }
}

/// Any claim by name (UTF-8, `name_len` bytes, no NUL needed), as its raw
/// JSON text (`"text"` with quotes and escapes as in the token, `42`,
/// `["a","b"]`, `{...}`), a view into `c`. An absent claim gives `VF_OK` and
/// `out_raw_json->ptr == NULL`. `VF_INVALID_ARGUMENT` when `c` does not hold
/// a successful verification or `name` is not UTF-8.
///
/// # Safety
/// `c` a `vf_claims` filled by a verify call; `name` valid for `name_len`
/// bytes; `out_raw_json` valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_claims_get(
    c: *const vf_claims,
    name: *const u8,
    name_len: usize,
    out_raw_json: *mut vf_str,
) -> vf_status {
    catch(|| {
        if c.is_null() || out_raw_json.is_null() {
            return Err(VF_NULL_ARGUMENT);
        }
        // SAFETY: caller's contract for `name`.
        let name = unsafe { bytes(name, name_len) }?;
        let name = std::str::from_utf8(name).map_err(|_| VF_INVALID_ARGUMENT)?;
        // SAFETY: `c` is non-NULL and points to a vf_claims by contract.
        let payload = unsafe { payload_of(c) }.ok_or(VF_INVALID_ARGUMENT)?;
        let root = json::parse(payload).map_err(|_| VF_INVALID_ARGUMENT)?;
        let value = root.get(name).map(|v| v.raw());
        // SAFETY: non-NULL, valid for writes by contract.
        unsafe { out_raw_json.write(vf_str::of(value)) };
        Ok(())
    })
}
