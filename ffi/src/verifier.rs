//! `vf_verifier`: built once from a configuration (or in place, without a
//! heap), shared by any number of threads for verification, with its key set
//! replaceable while they verify.
//!
//! Rotation: the keys live in an `Arc` behind an `RwLock`. A verification
//! holds the read lock only to clone the `Arc` (one atomic increment, no
//! allocation), then verifies without any lock; `replace_keys` builds the new
//! set first and holds the write lock only to swap the pointer. Keys a
//! running verification uses stay alive through its `Arc` clone.

use std::ffi::{c_char, c_void};
use std::sync::{Arc, PoisonError, RwLock};

use verifier_core::keys::KeySet;
use verifier_core::{Error, Verifier, explain, json, route};

use crate::MAX_KEYS;
use crate::boundary::{bytes, catch, text, try_box, try_string};
use crate::claims::{verify_into, vf_claims};
use crate::config::vf_config;
use crate::policy::{LISTS, List, Preset, Scalars, assemble, check_keys_fit, with_roles};
use crate::static_policy::{StaticStrings, load, vf_static_policy};
use crate::status::from_error;
use crate::status::vf_status::{self, *};

/// Opaque verifier. Safe to share across threads for verification
/// (`vf_verify`, `vf_verify_authorization`) and key replacement.
pub struct vf_verifier {
    inner: Inner,
}

// Large variant inline on purpose: the static verifier must not box.
#[allow(clippy::large_enum_variant)]
enum Inner {
    Heap {
        current: RwLock<Arc<Verifier<MAX_KEYS>>>,
        lists: [Vec<String>; LISTS],
        /// The `role` values accepted (`vf_config_add_role`); none = the preset's.
        roles: Vec<String>,
        scalars: Scalars,
    },
    Static {
        verifier: Verifier<VF_STATIC_MAX_KEYS>,
        strings: StaticStrings,
        scalars: Scalars,
    },
    /// Several issuers (`vf_verifier_new_routed`): `routes[i]`, a heap
    /// verifier, serves the tokens whose unverified `iss` is `issuers[i]`.
    Routed {
        issuers: Vec<String>,
        routes: Vec<vf_verifier>,
    },
}

/// Most routes of one routed verifier (`vf_verifier_new_routed`).
pub const VF_MAX_ROUTES: usize = 16;
const _: () = assert!(VF_MAX_ROUTES == route::MAX_ROUTES);

/// Most keys a static verifier holds (fewer than a heap one, to keep it small).
pub const VF_STATIC_MAX_KEYS: usize = 4;
/// Bytes of caller memory `vf_verifier_init_static` needs.
pub const VF_VERIFIER_STATIC_SIZE: usize = 11264;
/// Alignment `vf_verifier_init_static` needs for its memory.
pub const VF_VERIFIER_STATIC_ALIGN: usize = 16;

const _: () = assert!(std::mem::size_of::<vf_verifier>() <= VF_VERIFIER_STATIC_SIZE);
const _: () = assert!(std::mem::align_of::<vf_verifier>() <= VF_VERIFIER_STATIC_ALIGN);

// The header promises that threads may share a verifier.
const _: fn() = || {
    fn shareable<T: Send + Sync>() {}
    shareable::<vf_verifier>();
};

/// What an `Authorization` value may add to the token and still be read:
/// the scheme and one blank (`Bearer `). Any further blanks count against
/// the token's maximum.
const BEARER_PREFIX_LEN: usize = b"Bearer ".len();

impl vf_verifier {
    fn verify(&self, token: &[u8], now: i64, out: *mut vf_claims) -> Result<(), vf_status> {
        let now = if now == 0 { system_now()? } else { now };
        match &self.inner {
            Inner::Heap {
                current,
                lists,
                roles,
                scalars,
            } => {
                // The read guard is dropped at the end of this statement.
                let verifier = Arc::clone(&current.read().unwrap_or_else(PoisonError::into_inner));
                with_roles(roles, |roles| {
                    let policy = assemble(scalars, lists.each_ref().map(|l| l.as_slice()), roles);
                    // SAFETY: `out` checked non-NULL by the caller of this method; valid by contract.
                    unsafe { verify_into(&verifier, &policy, token, now, out) }
                })
            }
            Inner::Static {
                verifier,
                strings,
                scalars,
            } => strings.with_lists(|lists| {
                let policy = assemble(scalars, lists, &[]);
                // SAFETY: as above.
                unsafe { verify_into(verifier, &policy, token, now, out) }
            }),
            Inner::Routed { issuers, routes } => {
                // SAFETY: as above.
                let i = unsafe { select_into(issuers, self.max_token_len(), token, out) }?;
                let r = routes.get(i).ok_or(VF_UNKNOWN_ISSUER)?;
                r.verify(token, now, out)
            }
        }
    }
}

/// The route for `token` by its unverified `iss`, read in `out`'s scratch
/// (which the route's verification then overwrites). On failure `out`'s
/// views are all absent.
///
/// # Safety
/// `out` valid for writes of a `vf_claims` (it may be uninitialised).
unsafe fn select_into(
    issuers: &[String],
    max_token_len: usize,
    token: &[u8],
    out: *mut vf_claims,
) -> Result<usize, vf_status> {
    // SAFETY: as in `verify_into`: the scratch is a plain byte array written
    // before it is read; the views are written through raw field pointers.
    unsafe {
        crate::claims::reset(out);
        if token.len() > max_token_len {
            return Err(VF_TOKEN_TOO_LARGE);
        }
        let scratch = std::slice::from_raw_parts_mut(
            std::ptr::addr_of_mut!((*out).scratch).cast::<u8>(),
            crate::VF_SCRATCH_LEN,
        );
        route::select(issuers, token, max_token_len, scratch).map_err(from_error)
    }
}

impl vf_verifier {
    /// Write why `err` refused `token` at `now` (0 = the system clock), with
    /// this verifier's keys and policy: core's shared explanation.
    pub(crate) fn explain(
        &self,
        err: verifier_core::Error,
        token: &[u8],
        now: i64,
        scratch: &mut [u8],
        out: &mut impl std::fmt::Write,
    ) -> Result<(), vf_status> {
        let now = if now == 0 { system_now()? } else { now };
        let written = match &self.inner {
            Inner::Heap {
                current,
                lists,
                roles,
                scalars,
            } => {
                let verifier = Arc::clone(&current.read().unwrap_or_else(PoisonError::into_inner));
                with_roles(roles, |roles| {
                    let policy = assemble(scalars, lists.each_ref().map(|l| l.as_slice()), roles);
                    let cx = explain::Context {
                        keys: verifier.keys(),
                        policy: &policy,
                        now,
                        max_token_len: verifier.max_token_len(),
                    };
                    explain::write_detail(out, err, token, &cx, scratch)
                })
            }
            Inner::Static {
                verifier,
                strings,
                scalars,
            } => strings.with_lists(|lists| {
                let policy = assemble(scalars, lists, &[]);
                let cx = explain::Context {
                    keys: verifier.keys(),
                    policy: &policy,
                    now,
                    max_token_len: verifier.max_token_len(),
                };
                explain::write_detail(out, err, token, &cx, scratch)
            }),
            Inner::Routed { issuers, routes } => {
                let max = self.max_token_len();
                match route::select(issuers, token, max, scratch) {
                    // The refusal came from this route's keys or policy.
                    Ok(i) => return routes[i].explain(err, token, now, scratch, out),
                    Err(Error::UnknownIssuer) if err == Error::UnknownIssuer => {
                        explain::write_unknown_issuer(out, token, issuers, scratch)
                    }
                    Err(Error::MissingIssuer) if err == Error::MissingIssuer => write!(
                        out,
                        "token has no iss, which routing needs (routed issuers: {})",
                        issuers
                            .iter()
                            .map(|i| format!("{i:?}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    // Framing, header and JSON refusals depend on no route:
                    // any route's context explains them.
                    Err(_) => return routes[0].explain(err, token, now, scratch, out),
                }
            }
        };
        // The writers used here never fail; a truncating one reports itself.
        written.map_err(|_| VF_PANIC)
    }

    /// The maximum token length this verifier accepts.
    pub(crate) fn max_token_len(&self) -> usize {
        match &self.inner {
            Inner::Heap { scalars, .. } | Inner::Static { scalars, .. } => scalars.max_token_len,
            Inner::Routed { routes, .. } => routes
                .iter()
                .map(vf_verifier::max_token_len)
                .max()
                .unwrap_or(0),
        }
    }
}

fn system_now() -> Result<i64, vf_status> {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| VF_INVALID_ARGUMENT)?;
    i64::try_from(d.as_secs()).map_err(|_| VF_INVALID_ARGUMENT)
}

/// A verifier over `keys` with the configured maximum token length.
fn build<const N: usize>(keys: &KeySet<N>, scalars: &Scalars) -> Result<Verifier<N>, vf_status> {
    Ok(Verifier::new(keys.clone())
        .map_err(from_error)?
        .with_max_token_len(scalars.max_token_len))
}

/// Build a verifier from `cfg` (keys and policy are copied: `cfg` may be
/// changed or freed afterwards). Checks that there is a key, that the
/// policy is consistent and that some key can verify an allowed algorithm;
/// on failure `*out` is untouched and `vf_config_last_error(cfg)` says why.
///
/// # Safety
/// `cfg` from `vf_config_new`; `out` valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_verifier_new(
    cfg: *const vf_config,
    out: *mut *mut vf_verifier,
) -> vf_status {
    catch(|| {
        // SAFETY: NULL checked; otherwise the caller's contract.
        let cfg = unsafe { cfg.as_ref() }.ok_or(VF_NULL_ARGUMENT)?;
        if out.is_null() {
            return Err(cfg.fail(VF_NULL_ARGUMENT, format_args!("out: NULL pointer")));
        }
        let v = try_box(heap_verifier(cfg)?)?;
        // SAFETY: checked non-NULL above.
        unsafe { out.write(Box::into_raw(v)) };
        Ok(())
    })
}

/// A heap verifier from `cfg`, its failures noted in `cfg`'s last error.
fn heap_verifier(cfg: &vf_config) -> Result<vf_verifier, vf_status> {
    check_keys_fit(&cfg.keys, cfg.scalars.algorithms)
        .map_err(|(st, msg)| cfg.fail(st, format_args!("{msg}")))?;
    let mut copies: [Vec<String>; LISTS] = Default::default();
    for (dst, src) in copies.iter_mut().zip(&cfg.lists) {
        dst.try_reserve_exact(src.len() + 1)
            .map_err(|_| VF_ALLOCATION_FAILED)?;
        for s in src {
            dst.push(try_string(s)?);
        }
    }
    // Okta: no audience added = the default authorization server's
    // (`api://default`), as core's `Policy::okta` and the other bindings.
    let audiences = &mut copies[List::Audience as usize];
    if cfg.scalars.preset == Some(Preset::Okta) && audiences.is_empty() {
        audiences.push(try_string(verifier_core::policy::OKTA_DEFAULT_AUDIENCE)?);
    }
    let mut roles = Vec::new();
    roles
        .try_reserve_exact(cfg.roles.len())
        .map_err(|_| VF_ALLOCATION_FAILED)?;
    for s in &cfg.roles {
        roles.push(try_string(s)?);
    }
    with_roles(&roles, |r| {
        let policy = assemble(&cfg.scalars, copies.each_ref().map(|l| l.as_slice()), r);
        match (
            policy.validate(),
            policy.misformed_issuer(),
            policy.needs.issuer_form,
        ) {
            (Err(verifier_core::Error::InvalidPolicy), Some(iss), Some(form)) => Err(cfg.fail(
                VF_INVALID_POLICY,
                format_args!(
                    "issuer: {iss:?} is not of the form the preset's provider documents: {}",
                    form.expected()
                ),
            )),
            (r, ..) => r.map_err(|e| cfg.fail_core(format_args!("policy"), e)),
        }
    })?;
    let verifier =
        build(&cfg.keys, &cfg.scalars).map_err(|st| cfg.fail(st, format_args!("keys: refused")))?;
    Ok(vf_verifier {
        inner: Inner::Heap {
            current: RwLock::new(Arc::new(verifier)),
            lists: copies,
            roles,
            scalars: cfg.scalars,
        },
    })
}

/// Build one verifier serving several issuers, each with its own keys and
/// policy: `configs[i]` (copied, as by `vf_verifier_new`) serves the tokens
/// whose `iss` is exactly `issuers[i]`. `vf_verify` and the other verify
/// and explain calls then read the token's `iss` **before** checking the
/// signature, choose that route, and check the token with its keys and its
/// policy only. That is sound because the chosen keys must then verify the
/// signature: a token lying about its issuer meets keys that did not sign
/// it (`VF_BAD_SIGNATURE`, `VF_UNKNOWN_KID`). A token whose `iss` names no
/// route is `VF_UNKNOWN_ISSUER` and one without `iss` `VF_MISSING_ISSUER`:
/// never another route's refusal. Framing, header and JSON refusals come
/// first, as from a single verifier.
///
/// `n` is 1..=`VF_MAX_ROUTES` (`VF_INVALID_ARGUMENT`, `VF_TOO_MANY_ROUTES`);
/// issuers must differ (`VF_DUPLICATE_ROUTE`) and be non-empty; a route's
/// configuration may list issuers, but then must list its own
/// (`VF_ROUTE_ISSUER_NOT_ACCEPTED`). A route's failure is described by
/// `vf_config_last_error(configs[i])`. On success `*out` is a verifier to
/// free with `vf_verifier_free`; on failure it is untouched.
///
/// # Safety
/// `issuers` and `configs` valid for reads of `n` pointers, each issuer
/// NUL-terminated and each config from `vf_config_new`; `out` valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_verifier_new_routed(
    issuers: *const *const c_char,
    configs: *const *const vf_config,
    n: usize,
    out: *mut *mut vf_verifier,
) -> vf_status {
    catch(|| {
        if issuers.is_null() || configs.is_null() || out.is_null() {
            return Err(VF_NULL_ARGUMENT);
        }
        if n == 0 {
            return Err(VF_INVALID_ARGUMENT);
        }
        if n > VF_MAX_ROUTES {
            return Err(VF_TOO_MANY_ROUTES);
        }
        let mut names: Vec<String> = Vec::new();
        let mut routes: Vec<vf_verifier> = Vec::new();
        names
            .try_reserve_exact(n)
            .map_err(|_| VF_ALLOCATION_FAILED)?;
        routes
            .try_reserve_exact(n)
            .map_err(|_| VF_ALLOCATION_FAILED)?;
        for i in 0..n {
            // SAFETY: `configs` holds `n` pointers by contract; NULL checked.
            let cfg = unsafe { configs.add(i).read().as_ref() }.ok_or(VF_NULL_ARGUMENT)?;
            // SAFETY: `issuers` holds `n` pointers by contract; `text` checks each.
            let iss = unsafe { text(issuers.add(i).read()) }
                .map_err(|st| cfg.fail(st, format_args!("route issuer: invalid")))?;
            let route = heap_verifier(cfg)?;
            let Inner::Heap {
                lists,
                roles,
                scalars,
                ..
            } = &route.inner
            else {
                return Err(VF_PANIC);
            };
            with_roles(roles, |r| {
                let policy = assemble(scalars, lists.each_ref().map(|l| l.as_slice()), r);
                route::validate_route(iss, &policy)
                    .map_err(|e| cfg.fail_core(format_args!("route {iss:?}"), e))
            })?;
            if names.iter().any(|s| s == iss) {
                return Err(cfg.fail(
                    VF_DUPLICATE_ROUTE,
                    format_args!("route {iss:?}: another route has this issuer"),
                ));
            }
            names.push(try_string(iss)?);
            routes.push(route);
        }
        let v = try_box(vf_verifier {
            inner: Inner::Routed {
                issuers: names,
                routes,
            },
        })?;
        // SAFETY: checked non-NULL above.
        unsafe { out.write(Box::into_raw(v)) };
        Ok(())
    })
}

/// Atomically replace the keys of the route for `issuer` of a routed
/// verifier (see `vf_verifier_replace_keys`; the route's policy stays).
/// `VF_UNKNOWN_ISSUER` when no route has this issuer, `VF_INVALID_ARGUMENT`
/// for a verifier that is not routed.
///
/// # Safety
/// `v` a live verifier; `issuer` NUL-terminated; `keys` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_verifier_replace_route_keys(
    v: *mut vf_verifier,
    issuer: *const c_char,
    keys: *const vf_config,
) -> vf_status {
    catch(|| {
        // SAFETY: NULL checked; otherwise the caller's contract.
        let (vr, cfg) = unsafe { (v.as_ref(), keys.as_ref()) };
        let (vr, cfg) = (vr.ok_or(VF_NULL_ARGUMENT)?, cfg.ok_or(VF_NULL_ARGUMENT)?);
        // SAFETY: caller's contract; NULL checked by `text`.
        let iss = unsafe { text(issuer) }?;
        let Inner::Routed { issuers, routes } = &vr.inner else {
            return Err(cfg.fail(
                VF_INVALID_ARGUMENT,
                format_args!("replace_route_keys: the verifier is not routed"),
            ));
        };
        let i = issuers.iter().position(|s| s == iss).ok_or_else(|| {
            cfg.fail(
                VF_UNKNOWN_ISSUER,
                format_args!("replace_route_keys: no route for {iss:?}"),
            )
        })?;
        let r: *const vf_verifier = &routes[i];
        // SAFETY: a live heap verifier inside `v`; only shared access is used.
        let st = unsafe { vf_verifier_replace_keys(r.cast_mut(), keys) };
        if st == VF_OK { Ok(()) } else { Err(st) }
    })
}

/// Free a verifier from `vf_verifier_new`, or end one from
/// `vf_verifier_init_static` (its memory is the caller's and is not freed).
/// NULL is a no-op. No verification may be running on it.
///
/// # Safety
/// `v` NULL or a live verifier, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_verifier_free(v: *mut vf_verifier) {
    catch(|| {
        if v.is_null() {
            return Ok(());
        }
        // SAFETY: a live verifier by contract; which kind decides who owns the memory.
        unsafe {
            match (*v).inner {
                Inner::Heap { .. } | Inner::Routed { .. } => drop(Box::from_raw(v)),
                Inner::Static { .. } => std::ptr::drop_in_place(v),
            }
        }
        Ok(())
    });
}

/// Atomically replace the verifier's keys with the keys of `keys` (its
/// policy is ignored). Safe while other threads verify: they are blocked at
/// most for a pointer swap, and a verification already running finishes with
/// the old keys, which are freed after it. On failure the old keys stay and
/// `vf_config_last_error(keys)` says why. `VF_INVALID_ARGUMENT` for a static
/// verifier: build a second one and switch your pointer instead.
///
/// # Safety
/// `v` a live verifier; `keys` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_verifier_replace_keys(
    v: *mut vf_verifier,
    keys: *const vf_config,
) -> vf_status {
    catch(|| {
        // SAFETY: NULL checked; otherwise the caller's contract. Only shared
        // access is needed: the swap goes through the RwLock.
        let (v, cfg) = unsafe { (v.as_ref(), keys.as_ref()) };
        let (v, cfg) = (v.ok_or(VF_NULL_ARGUMENT)?, cfg.ok_or(VF_NULL_ARGUMENT)?);
        let Inner::Heap {
            current, scalars, ..
        } = &v.inner
        else {
            return Err(cfg.fail(
                VF_INVALID_ARGUMENT,
                format_args!(
                    "replace_keys: a static verifier cannot change keys, a routed one \
                     changes a route's with vf_verifier_replace_route_keys"
                ),
            ));
        };
        check_keys_fit(&cfg.keys, scalars.algorithms)
            .map_err(|(st, msg)| cfg.fail(st, format_args!("{msg}")))?;
        let fresh = Arc::new(
            build(&cfg.keys, scalars).map_err(|st| cfg.fail(st, format_args!("keys: refused")))?,
        );
        let old = {
            let mut slot = current.write().unwrap_or_else(PoisonError::into_inner);
            std::mem::replace(&mut *slot, fresh)
        };
        // Dropped outside the lock: freeing never delays readers.
        drop(old);
        Ok(())
    })
}

/// Verify a compact JWS token: signature against the pinned keys, then the
/// policy at time `now` (seconds since the epoch; 0 = the system clock).
/// On success `out` holds the claims; on failure its views are all absent.
/// `len` is compared with the maximum token length before any byte is read
/// (`VF_TOKEN_TOO_LARGE`).
///
/// # Safety
/// `v` a live verifier; `token` valid for `len` bytes; `out` valid for
/// writes of a `vf_claims` (uninitialised memory is fine).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_verify(
    v: *const vf_verifier,
    token: *const u8,
    len: usize,
    now: i64,
    out: *mut vf_claims,
) -> vf_status {
    catch(|| {
        // SAFETY: NULL checked; otherwise the caller's contract.
        let v = unsafe { v.as_ref() }.ok_or(VF_NULL_ARGUMENT)?;
        if out.is_null() {
            return Err(VF_NULL_ARGUMENT);
        }
        // SAFETY: caller's contract for `token`.
        let token = unsafe { bytes(token, len) }?;
        v.verify(token, now, out)
    })
}

/// The token of an `Authorization` header value `Bearer <token>`: scheme
/// case-insensitive, spaces and tabs around and between ignored.
pub(crate) fn bearer_token(header: &[u8]) -> Option<&[u8]> {
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let start = header.iter().position(|b| !blank(b))?;
    let end = header.iter().rposition(|b| !blank(b))? + 1;
    let value = &header[start..end];
    let (scheme, rest) = value.split_at_checked(6)?;
    if !scheme.eq_ignore_ascii_case(b"Bearer") || !rest.first().is_some_and(blank) {
        return None;
    }
    let skip = rest.iter().position(|b| !blank(b))?;
    Some(&rest[skip..])
}

/// Like `vf_verify`, from an `Authorization` header value: `Bearer <token>`,
/// scheme case-insensitive, surrounding spaces and tabs ignored; anything
/// else is `VF_MISSING_BEARER`. The maximum applies to the whole value: more
/// than the maximum token length plus 7 (`Bearer `) is `VF_TOKEN_TOO_LARGE`,
/// checked before any byte is read, so extra blanks count against it.
///
/// # Safety
/// As for `vf_verify`, with `header` valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_verify_authorization(
    v: *const vf_verifier,
    header: *const u8,
    len: usize,
    now: i64,
    out: *mut vf_claims,
) -> vf_status {
    catch(|| {
        // SAFETY: NULL checked; otherwise the caller's contract.
        let v = unsafe { v.as_ref() }.ok_or(VF_NULL_ARGUMENT)?;
        if out.is_null() {
            return Err(VF_NULL_ARGUMENT);
        }
        // SAFETY: caller's contract for `header`.
        let header = unsafe { bytes(header, len) }?;
        // The whole value is bounded before it is scanned for blanks.
        if header.len() > v.max_token_len().saturating_add(BEARER_PREFIX_LEN) {
            // SAFETY: non-NULL, valid for writes by contract.
            unsafe { crate::claims::reset(out) };
            return Err(VF_TOKEN_TOO_LARGE);
        }
        let Some(token) = bearer_token(header) else {
            // Views are reset on every failure, this one included.
            // SAFETY: non-NULL, valid for writes by contract.
            unsafe { crate::claims::reset(out) };
            return Err(VF_MISSING_BEARER);
        };
        v.verify(token, now, out)
    })
}

/// Keys of a static verifier: a JWKS, a single JWK, or one PEM document.
/// With `any_kid` (`vf_static_policy.key_any_kid`), a PEM key answers any `kid`.
fn static_keys(doc: &[u8], any_kid: bool) -> Result<KeySet<VF_STATIC_MAX_KEYS>, vf_status> {
    let text = doc.trim_ascii_start();
    let mut keys = KeySet::new();
    // Keys built in their slots (no `Key` moved through this frame).
    if text.starts_with(b"-----BEGIN") {
        keys.add_pem(doc).map_err(from_error)?;
        if let Some(k) = keys.get_mut(0) {
            k.set_matching_any_kid(any_kid);
        }
    } else {
        let root = json::parse(doc).map_err(|_| VF_KEY_MALFORMED)?;
        if root.get("keys").is_some() {
            keys.add_jwks(doc).map_err(from_error)?;
        } else {
            keys.add_jwk(doc).map_err(from_error)?;
        }
    }
    Ok(keys)
}

/// Build a verifier inside caller memory, using no heap at all (neither
/// here nor when verifying): `mem` must hold `VF_VERIFIER_STATIC_SIZE` bytes
/// aligned to `VF_VERIFIER_STATIC_ALIGN`. `keys` is a JWKS, a single JWK or
/// one PEM document; `policy` is copied (its strings too). On success
/// `*out == mem`; end it with `vf_verifier_free` (frees nothing). Keys
/// cannot be replaced: build another in other memory and switch pointers.
///
/// # Safety
/// `mem` valid for writes of `mem_len` bytes and not used otherwise while
/// the verifier lives; `keys` valid for `keys_len` bytes; `policy` a valid
/// `vf_static_policy`; `out` valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_verifier_init_static(
    mem: *mut c_void,
    mem_len: usize,
    keys: *const u8,
    keys_len: usize,
    policy: *const vf_static_policy,
    out: *mut *mut vf_verifier,
) -> vf_status {
    catch(|| {
        if mem.is_null() || policy.is_null() || out.is_null() {
            return Err(VF_NULL_ARGUMENT);
        }
        if mem_len < VF_VERIFIER_STATIC_SIZE
            || !(mem as usize).is_multiple_of(VF_VERIFIER_STATIC_ALIGN)
        {
            return Err(VF_INVALID_ARGUMENT);
        }
        // SAFETY: caller's contract for `keys` and `policy` (non-NULL checked).
        let (doc, (scalars, strings)) = unsafe { (bytes(keys, keys_len)?, load(&*policy)?) };
        // What the preset needs (`needs`), as `vf_verifier_new` checks it.
        strings
            .with_lists(|lists| assemble(&scalars, lists, &[]).validate())
            .map_err(from_error)?;
        // SAFETY: non-NULL checked; caller's contract.
        let any_kid = unsafe { (*policy).key_any_kid };
        let keys = static_keys(doc, any_kid)?;
        check_keys_fit(&keys, scalars.algorithms).map_err(|(st, _)| st)?;
        let verifier = build(&keys, &scalars)?;
        let v = vf_verifier {
            inner: Inner::Static {
                verifier,
                strings,
                scalars,
            },
        };
        let at = mem.cast::<vf_verifier>();
        // SAFETY: size and alignment checked; the memory is the caller's to give.
        unsafe {
            at.write(v);
            out.write(at);
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn bearer_forms() {
        let ok: &[(&[u8], &[u8])] = &[
            (b"Bearer a.b.c", b"a.b.c"),
            (b"bearer a.b.c", b"a.b.c"),
            (b"BEARER\ta.b.c", b"a.b.c"),
            (b"  Bearer   a.b.c \t ", b"a.b.c"),
        ];
        for (h, t) in ok {
            assert_eq!(bearer_token(h), Some(*t));
        }
        for h in [
            &b""[..],
            b"Bearer",
            b"Bearer ",
            b"Bearera.b.c",
            b"Basic a.b.c",
            b"Token a.b.c",
            b" \t ",
            b"Bear a.b.c",
        ] {
            assert_eq!(bearer_token(h), None, "{:?}", std::str::from_utf8(h));
        }
    }
}
