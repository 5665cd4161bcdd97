//! `vf_config`: the heap builder for keys and policy. Every call checks its
//! input at once; a failed call changes nothing and leaves a message naming
//! the field or key in the config (`vf_config_last_error`).

use std::ffi::c_char;
use std::fmt::{self, Write as _};
use std::sync::{Mutex, PoisonError};

use verifier_core::json::{self, Kind};
use verifier_core::keys::{JwksOptions, Key, KeySet, LoadReport, MAX_JWKS_ENTRIES};
use verifier_core::{Algorithm, Error};

use crate::MAX_KEYS;
use crate::boundary::{bytes, catch, optional_text, text, try_box, try_string};
use crate::policy::{LISTS, List, MAX_ROLES, Preset, Scalars};
use crate::status::from_error;
use crate::status::vf_status::{self, *};

/// Opaque configuration builder: keys plus policy. Create with
/// `vf_config_new`, free with `vf_config_free`. Not for concurrent
/// modification; `vf_verifier_new` may read it from several threads.
pub struct vf_config {
    pub(crate) keys: KeySet<MAX_KEYS>,
    pub(crate) lists: [Vec<String>; LISTS],
    /// The `role` values accepted (`vf_config_add_role`); none = the preset's.
    pub(crate) roles: Vec<String>,
    pub(crate) scalars: Scalars,
    /// Indices of the kid-less keys `vf_config_add_pem` added: under the
    /// Clerk preset they answer any `kid` (Clerk's PEM verification ignores it).
    pem_keys: u64,
    // A Mutex so that calls taking a const config (vf_verifier_new) can record errors.
    last_error: Mutex<ErrorText>,
}

/// A message in a fixed buffer: recording an error never allocates.
pub(crate) struct ErrorText {
    buf: [u8; 256],
    len: usize,
}

impl fmt::Write for ErrorText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // Truncate at a character boundary so the text stays UTF-8.
        let room = self.buf.len() - self.len;
        let mut take = s.len().min(room);
        while !s.is_char_boundary(take) {
            take -= 1;
        }
        self.buf[self.len..self.len + take].copy_from_slice(&s.as_bytes()[..take]);
        self.len += take;
        Ok(())
    }
}

impl vf_config {
    fn new() -> vf_config {
        vf_config {
            keys: KeySet::new(),
            lists: Default::default(),
            roles: Vec::new(),
            scalars: Scalars::default(),
            pem_keys: 0,
            last_error: Mutex::new(ErrorText {
                buf: [0; 256],
                len: 0,
            }),
        }
    }

    /// Record why a call failed and return its status.
    pub(crate) fn fail(&self, status: vf_status, message: fmt::Arguments<'_>) -> vf_status {
        let mut e = self
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        e.len = 0;
        let _ = e.write_fmt(message);
        status
    }

    /// Record a core error about `what`.
    pub(crate) fn fail_core(&self, what: fmt::Arguments<'_>, e: Error) -> vf_status {
        self.fail(
            from_error(e),
            format_args!("{what}: {}: {}", e.name(), e.message()),
        )
    }

    fn push_key(&mut self, key: Key, what: &str) -> Result<(), vf_status> {
        self.keys
            .push(key)
            .map_err(|e| self.fail_core(format_args!("{what}: key set full ({MAX_KEYS} keys)"), e))
    }

    /// Mark the kid-less PEM keys as answering any kid exactly when the
    /// Clerk preset is in force and no pinned key carries a kid: beside a
    /// JWKS an unknown kid stays `VF_UNKNOWN_KID`, so a JWKS refresh fires
    /// (`VF_KEY_ANY_KID` opts in explicitly). Re-run after every key added.
    fn sync_pem_any_kid(&mut self) {
        let clerk = self.scalars.preset == Some(Preset::Clerk)
            && !self.keys.iter().any(|k| k.kid().is_some());
        for i in 0..self.keys.len().min(64) {
            if self.pem_keys & (1 << i) != 0 {
                if let Some(k) = self.keys.get_mut(i) {
                    k.set_matching_any_kid(clerk);
                }
            }
        }
    }

    fn add_string(&mut self, list: List, s: *const c_char) -> Result<(), vf_status> {
        let field = list.field();
        // SAFETY: the caller passes a NUL-terminated string or NULL.
        let s =
            unsafe { text(s) }.map_err(|st| self.fail(st, format_args!("{field}: {}", why(st))))?;
        if let Some(reason) = list.refuse(s) {
            return Err(self.fail(VF_INVALID_POLICY, format_args!("{field}: {reason}")));
        }
        let owned =
            try_string(s).map_err(|st| self.fail(st, format_args!("{field}: out of memory")))?;
        if self.lists[list as usize].try_reserve(1).is_err() {
            return Err(self.fail(VF_ALLOCATION_FAILED, format_args!("{field}: out of memory")));
        }
        self.lists[list as usize].push(owned);
        Ok(())
    }

    fn add_role(&mut self, s: *const c_char) -> Result<(), vf_status> {
        // SAFETY: the caller passes a NUL-terminated string or NULL.
        let s =
            unsafe { text(s) }.map_err(|st| self.fail(st, format_args!("role: {}", why(st))))?;
        if s.is_empty() {
            return Err(self.fail(VF_INVALID_POLICY, format_args!("role: empty string")));
        }
        if self.roles.len() >= MAX_ROLES {
            return Err(self.fail(
                VF_INVALID_POLICY,
                format_args!("role: more than {MAX_ROLES} roles"),
            ));
        }
        let owned =
            try_string(s).map_err(|st| self.fail(st, format_args!("role: out of memory")))?;
        if self.roles.try_reserve(1).is_err() {
            return Err(self.fail(VF_ALLOCATION_FAILED, format_args!("role: out of memory")));
        }
        self.roles.push(owned);
        Ok(())
    }

    fn set_typ_list(&mut self, typ: &[&str]) -> Result<(), vf_status> {
        let mut v = Vec::new();
        v.try_reserve_exact(typ.len())
            .map_err(|_| VF_ALLOCATION_FAILED)?;
        for t in typ {
            v.push(try_string(t)?);
        }
        self.lists[List::Typ as usize] = v;
        Ok(())
    }

    /// The message of the last failure (empty if none).
    pub(crate) fn last_error(&self) -> ([u8; 256], usize) {
        let e = self
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        (e.buf, e.len)
    }
}

fn why(status: vf_status) -> &'static str {
    match status {
        VF_NULL_ARGUMENT => "NULL pointer",
        VF_INVALID_ARGUMENT => "not UTF-8",
        _ => "invalid",
    }
}

/// Run `f` on the config behind `cfg` inside the panic guard.
///
/// # Safety
/// `cfg` must be NULL or a pointer from `vf_config_new` not yet freed, used by one thread.
unsafe fn with_config(
    cfg: *mut vf_config,
    f: impl FnOnce(&mut vf_config) -> Result<(), vf_status>,
) -> vf_status {
    catch(|| {
        // SAFETY: NULL is checked; otherwise the caller's contract.
        let cfg = unsafe { cfg.as_mut() }.ok_or(VF_NULL_ARGUMENT)?;
        f(cfg)
    })
}

/// A new, empty configuration: no keys; policy defaults (`exp` and `sub`
/// required, leeway 0, every algorithm, max token length `VF_MAX_TOKEN_LEN`).
/// Returns NULL if memory is exhausted. Free with `vf_config_free`.
#[unsafe(no_mangle)]
pub extern "C" fn vf_config_new() -> *mut vf_config {
    let mut out = std::ptr::null_mut();
    catch(|| {
        out = Box::into_raw(try_box(vf_config::new())?);
        Ok(())
    });
    out
}

/// Free a configuration. NULL is a no-op. Verifiers built from it are independent of it.
///
/// # Safety
/// `cfg` must be NULL or a pointer from `vf_config_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_free(cfg: *mut vf_config) {
    catch(|| {
        if !cfg.is_null() {
            // SAFETY: from Box::into_raw in vf_config_new, freed once by contract.
            drop(unsafe { Box::from_raw(cfg) });
        }
        Ok(())
    });
}

/// Add every usable key of a JWKS document (`{"keys":[...]}`): keys that
/// cannot be used (unknown type, curve or algorithm, `"use":"enc"`, an RSA
/// modulus outside 2048..4096 bits, a long `kid`, a malformed key, and `oct`
/// keys) are skipped; the document fails only when no key is usable
/// (`VF_NO_KEYS`) or the configuration cannot hold every usable key
/// (`VF_TOO_MANY_KEYS`, at most `VF_MAX_KEYS`). Same as
/// `vf_config_add_jwks_ex(cfg, json, len, NULL, 0, NULL)`.
///
/// # Safety
/// `cfg` from `vf_config_new`; `json` valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_add_jwks(
    cfg: *mut vf_config,
    json: *const u8,
    len: usize,
) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { vf_config_add_jwks_ex(cfg, json, len, std::ptr::null(), 0, std::ptr::null_mut()) }
}

/// `vf_config_add_jwks_ex` flag: load `oct` (HMAC) keys from the JWKS
/// (skipped by default: whoever can read a JWKS could forge with them).
pub const VF_JWKS_ALLOW_SYMMETRIC: u32 = 1;
/// Key flag: RSA keys without a JWK `alg` (or from PEM) also verify PSS
/// (PS256/384/512); by default an RSA key serves PKCS#1 v1.5 (RS*) only.
pub const VF_KEY_RSA_PSS: u32 = 2;
/// `vf_config_add_pem_ex` flag: a key without `kid` also answers tokens whose
/// `kid` no key claims (Clerk's PEM verification ignores `kid`; the Clerk
/// preset sets this for `vf_config_add_pem` keys).
pub const VF_KEY_ANY_KID: u32 = 4;
/// Key flag: RSA keys accept PSS signatures with any salt length RFC 8017
/// allows, not only the hash length RFC 7518 requires (signers using the
/// maximum salt: Go's `PSSSaltLengthAuto`, older golang-jwt); without it
/// such tokens are `VF_PSS_SALT_LENGTH`. Only keys that verify PS* (a JWK
/// `alg` PS*, or `VF_KEY_RSA_PSS`) are affected.
pub const VF_KEY_PSS_ANY_SALT: u32 = 8;

/// What a JWKS load added and skipped, by reason (`vf_config_add_jwks_ex`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct vf_load_report {
    /// Keys added.
    pub added: usize,
    /// Keys skipped, all reasons.
    pub skipped: usize,
    /// Unknown `kty`, `crv` or `alg`, `"use":"enc"`, `key_ops` without verify.
    pub skipped_unsupported: usize,
    /// `oct` keys without `VF_JWKS_ALLOW_SYMMETRIC`.
    pub skipped_symmetric: usize,
    /// RSA modulus outside 2048..4096 bits, or even.
    pub skipped_rsa_size: usize,
    /// `kid` longer than 64 bytes.
    pub skipped_kid_too_long: usize,
    /// Malformed keys (bad base64, wrong coordinate length, not an object).
    pub skipped_malformed: usize,
    /// EC points not on their curve.
    pub skipped_invalid_public_key: usize,
    /// Other reasons (an HMAC secret too short for its `alg`, an `alg` the key cannot do).
    pub skipped_other: usize,
    /// RSA public exponent even, below 3, or 2^32 and above (`VF_RSA_EXPONENT`).
    /// Appended last: the layout of the fields above never changes.
    pub skipped_rsa_exponent: usize,
}

impl vf_load_report {
    fn from_core(r: &LoadReport) -> Self {
        let n = |e| r.skipped_for(e);
        let mut out = vf_load_report {
            added: r.added,
            skipped: r.skipped(),
            skipped_unsupported: n(Error::KeyUnsupported),
            skipped_symmetric: n(Error::SymmetricKeyInJwks),
            skipped_rsa_size: n(Error::RsaKeySize),
            skipped_kid_too_long: n(Error::KidTooLong),
            skipped_malformed: n(Error::KeyMalformed),
            skipped_invalid_public_key: n(Error::InvalidPublicKey),
            skipped_other: 0,
            skipped_rsa_exponent: n(Error::RsaExponent),
        };
        let named = out.skipped_unsupported
            + out.skipped_rsa_exponent
            + out.skipped_symmetric
            + out.skipped_rsa_size
            + out.skipped_kid_too_long
            + out.skipped_malformed
            + out.skipped_invalid_public_key;
        out.skipped_other = out.skipped - named;
        out
    }
}

/// Add every usable key of a JWKS document, as `vf_config_add_jwks`, with:
/// `issuer` (nullable) binding every key to that issuer (a token it
/// verifies must carry exactly this `iss`, else `VF_KEY_ISSUER_MISMATCH`:
/// the way to pin several tenants or providers in one verifier); `flags`,
/// `VF_JWKS_ALLOW_SYMMETRIC`, `VF_KEY_RSA_PSS` and `VF_KEY_PSS_ANY_SALT`; `report` (nullable)
/// receiving what was added and skipped, written only on success.
///
/// # Safety
/// `cfg` from `vf_config_new`; `json` valid for `len` bytes; `issuer` NULL
/// or NUL-terminated; `report` NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_add_jwks_ex(
    cfg: *mut vf_config,
    json: *const u8,
    len: usize,
    issuer: *const c_char,
    flags: u32,
    report: *mut vf_load_report,
) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_config(cfg, |cfg| {
            let doc =
                bytes(json, len).map_err(|st| cfg.fail(st, format_args!("jwks: NULL pointer")))?;
            let issuer = optional_text(issuer)
                .map_err(|st| cfg.fail(st, format_args!("jwks issuer: not UTF-8")))?;
            if flags & !(VF_JWKS_ALLOW_SYMMETRIC | VF_KEY_RSA_PSS | VF_KEY_PSS_ANY_SALT) != 0 {
                return Err(cfg.fail(
                    VF_INVALID_ARGUMENT,
                    format_args!("jwks flags: unknown bits {flags:#x}"),
                ));
            }
            let options = JwksOptions {
                issuer,
                allow_symmetric: flags & VF_JWKS_ALLOW_SYMMETRIC != 0,
                rsa_pss: flags & VF_KEY_RSA_PSS != 0,
                pss_any_salt: flags & VF_KEY_PSS_ANY_SALT != 0,
            };
            match cfg.keys.add_jwks_with(doc, &options) {
                Ok(r) => {
                    cfg.sync_pem_any_kid();
                    if !report.is_null() {
                        // SAFETY: non-NULL, valid for writes by contract.
                        report.write(vf_load_report::from_core(&r));
                    }
                    Ok(())
                }
                Err(e) => Err(describe_jwks_error(cfg, doc, &options, e)),
            }
        })
    }
}

/// Add every key of an X.509 map: a JSON object mapping key ids to PEM
/// certificates, the form Google publishes Firebase ID-token keys in
/// (`https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com`).
/// Each certificate's subjectPublicKeyInfo becomes a key (RSA, P-256,
/// P-384 or P-521) with its member name as `kid`; the certificate's validity dates,
/// signature and chain are not checked (Firebase's docs: use the key of the
/// kid's certificate). All or nothing: `VF_CERTIFICATE_MALFORMED` (an entry
/// that is not a `CERTIFICATE` PEM or not a certificate), `VF_KEY_UNSUPPORTED`
/// (another key type), `VF_DUPLICATE_KID`, `VF_TOO_MANY_KEYS` (over
/// `VF_MAX_KEYS` keys or 256 entries), `VF_NO_KEYS` (an empty map),
/// `VF_KEY_MALFORMED` (not a JSON object of strings), or the key's own error.
/// `issuer` (nullable) binds every key as in `vf_config_add_jwks_ex`; `flags`:
/// `VF_KEY_RSA_PSS`, `VF_KEY_PSS_ANY_SALT`; `report` (nullable) receives the
/// keys added (nothing is skipped), written only on success.
///
/// # Safety
/// `cfg` from `vf_config_new`; `json` valid for `len` bytes; `issuer` NULL
/// or NUL-terminated; `report` NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_add_x509_map(
    cfg: *mut vf_config,
    json: *const u8,
    len: usize,
    issuer: *const c_char,
    flags: u32,
    report: *mut vf_load_report,
) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_config(cfg, |cfg| {
            let doc = bytes(json, len)
                .map_err(|st| cfg.fail(st, format_args!("x509 map: NULL pointer")))?;
            let issuer = optional_text(issuer)
                .map_err(|st| cfg.fail(st, format_args!("x509 map issuer: not UTF-8")))?;
            if flags & !(VF_KEY_RSA_PSS | VF_KEY_PSS_ANY_SALT) != 0 {
                return Err(cfg.fail(
                    VF_INVALID_ARGUMENT,
                    format_args!("x509 map flags: unknown bits {flags:#x}"),
                ));
            }
            let options = JwksOptions {
                issuer,
                allow_symmetric: false,
                rsa_pss: flags & VF_KEY_RSA_PSS != 0,
                pss_any_salt: flags & VF_KEY_PSS_ANY_SALT != 0,
            };
            match cfg.keys.add_x509_map(doc, &options) {
                Ok(added) => {
                    cfg.sync_pem_any_kid();
                    if !report.is_null() {
                        // SAFETY: non-NULL, valid for writes by contract.
                        report.write(vf_load_report {
                            added,
                            ..vf_load_report::default()
                        });
                    }
                    Ok(())
                }
                Err(e) => Err(describe_x509_map_error(cfg, doc, e)),
            }
        })
    }
}

/// Say which entry of an X.509 map was refused, when one was.
fn describe_x509_map_error(cfg: &vf_config, doc: &[u8], e: Error) -> vf_status {
    let entry = json::parse(doc).ok().and_then(|root| {
        root.members().find_map(|(kid, pem)| {
            let mut one = KeySet::<1>::new();
            let (kid, pem) = (kid.raw(), pem.raw());
            let text = format!("{{\"{kid}\":{pem}}}");
            match one.add_x509_map(text.as_bytes(), &JwksOptions::default()) {
                Err(err) if err == e => Some(kid.to_owned()),
                _ => None,
            }
        })
    });
    match entry {
        Some(kid) => cfg.fail_core(format_args!("x509 map entry \"{kid}\""), e),
        None => cfg.fail_core(format_args!("x509 map"), e),
    }
}

/// Say why a JWKS was refused: for `NoKeys`, why its first key was skipped.
fn describe_jwks_error(
    cfg: &vf_config,
    doc: &[u8],
    options: &JwksOptions<'_>,
    e: Error,
) -> vf_status {
    let Ok(root) = json::parse(doc) else {
        return cfg.fail_core(format_args!("jwks: not valid JSON"), e);
    };
    let keys = root.get("keys").filter(|k| k.kind() == Kind::Array);
    let Some(keys) = keys else {
        return cfg.fail_core(format_args!("jwks: no \"keys\" array"), e);
    };
    match e {
        Error::NoKeys => {
            let first = keys.elements().next().map(|jwk| {
                let oct = jwk
                    .get("kty")
                    .and_then(|k| k.as_str())
                    .is_some_and(|k| k.eq_str("oct"));
                match Key::from_jwk(jwk.raw().as_bytes()) {
                    _ if oct && !options.allow_symmetric => Error::SymmetricKeyInJwks,
                    Ok(_) => Error::NoKeys,
                    Err(key_error) => key_error,
                }
            });
            match first {
                Some(k) => cfg.fail(
                    from_error(e),
                    format_args!(
                        "jwks: no usable key (keys[0] skipped: {}: {})",
                        k.name(),
                        k.message()
                    ),
                ),
                None => cfg.fail_core(format_args!("jwks: empty \"keys\" array"), e),
            }
        }
        Error::TooManyKeys if keys.elements().nth(MAX_JWKS_ENTRIES).is_some() => cfg.fail_core(
            format_args!("jwks: more than {MAX_JWKS_ENTRIES} entries in \"keys\""),
            e,
        ),
        Error::TooManyKeys => cfg.fail_core(
            format_args!("jwks: more keys than the key set holds ({MAX_KEYS})"),
            e,
        ),
        _ => cfg.fail_core(format_args!("jwks"), e),
    }
}

/// Add one JWK (RFC 7517) given as JSON text.
///
/// # Safety
/// `cfg` from `vf_config_new`; `json` valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_add_jwk(
    cfg: *mut vf_config,
    json: *const u8,
    len: usize,
) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_config(cfg, |cfg| {
            let doc =
                bytes(json, len).map_err(|st| cfg.fail(st, format_args!("jwk: NULL pointer")))?;
            let key = Key::from_jwk(doc).map_err(|e| cfg.fail_core(format_args!("jwk"), e))?;
            cfg.push_key(key, "jwk")?;
            cfg.sync_pem_any_kid();
            Ok(())
        })
    }
}

/// Add a PEM key: `PUBLIC KEY` (SPKI), `CERTIFICATE` or `RSA PUBLIC KEY`.
/// `kid` (nullable) names the key. A key without `kid` serves tokens
/// without one; under the Clerk preset (whose PEM verification ignores
/// `kid`), and while no pinned key carries a `kid`, it also answers tokens
/// with any `kid` (beside a JWKS an unknown `kid` is `VF_UNKNOWN_KID`). An RSA key
/// serves RS256/384/512 only. For an issuer binding, PSS or any-kid, see
/// `vf_config_add_pem_ex`.
///
/// # Safety
/// `cfg` from `vf_config_new`; `pem` valid for `len` bytes; `kid` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_add_pem(
    cfg: *mut vf_config,
    pem: *const u8,
    len: usize,
    kid: *const c_char,
) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_config(cfg, |cfg| {
            add_pem(cfg, pem, len, kid, std::ptr::null(), 0)?;
            if kid.is_null() {
                if let Some(i) = cfg.keys.len().checked_sub(1).filter(|&i| i < 64) {
                    cfg.pem_keys |= 1 << i;
                }
                cfg.sync_pem_any_kid();
            }
            Ok(())
        })
    }
}

/// `vf_config_add_pem` with `issuer` (nullable: the key's issuer binding,
/// see `vf_config_add_jwks_ex`) and `flags`: `VF_KEY_RSA_PSS` (an RSA key
/// also verifies PS256/384/512), `VF_KEY_ANY_KID` (a key without `kid` also
/// answers tokens whose `kid` no key claims), `VF_KEY_PSS_ANY_SALT` (PSS
/// signatures with any salt length). The Clerk preset changes
/// nothing about keys added here.
///
/// # Safety
/// `cfg` from `vf_config_new`; `pem` valid for `len` bytes; `kid`, `issuer`
/// NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_add_pem_ex(
    cfg: *mut vf_config,
    pem: *const u8,
    len: usize,
    kid: *const c_char,
    issuer: *const c_char,
    flags: u32,
) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { with_config(cfg, |cfg| add_pem(cfg, pem, len, kid, issuer, flags)) }
}

/// # Safety
/// As `vf_config_add_pem_ex`.
unsafe fn add_pem(
    cfg: &mut vf_config,
    pem: *const u8,
    len: usize,
    kid: *const c_char,
    issuer: *const c_char,
    flags: u32,
) -> Result<(), vf_status> {
    // SAFETY: forwarded contract.
    let pem =
        unsafe { bytes(pem, len) }.map_err(|st| cfg.fail(st, format_args!("pem: NULL pointer")))?;
    // SAFETY: forwarded contract.
    let kid = unsafe { optional_text(kid) }
        .map_err(|st| cfg.fail(st, format_args!("pem kid: not UTF-8")))?;
    // SAFETY: forwarded contract.
    let issuer = unsafe { optional_text(issuer) }
        .map_err(|st| cfg.fail(st, format_args!("pem issuer: not UTF-8")))?;
    if flags & !(VF_KEY_RSA_PSS | VF_KEY_ANY_KID | VF_KEY_PSS_ANY_SALT) != 0 {
        return Err(cfg.fail(
            VF_INVALID_ARGUMENT,
            format_args!("pem flags: unknown bits {flags:#x}"),
        ));
    }
    let mut key = Key::from_pem(pem).map_err(|e| cfg.fail_core(format_args!("pem"), e))?;
    if flags & VF_KEY_RSA_PSS != 0 {
        let all = key.capabilities();
        key = key
            .with_algorithms(all)
            .map_err(|e| cfg.fail_core(format_args!("pem"), e))?;
    }
    if flags & VF_KEY_ANY_KID != 0 {
        key = key.matching_any_kid();
    }
    if flags & VF_KEY_PSS_ANY_SALT != 0 {
        key = key.with_pss_any_salt();
    }
    if let Some(iss) = issuer {
        key = key
            .with_issuer(iss)
            .map_err(|e| cfg.fail_core(format_args!("pem issuer \"{iss}\""), e))?;
    }
    let key = with_kid(cfg, key, kid, "pem")?;
    cfg.push_key(key, "pem")
}

fn with_kid(cfg: &vf_config, key: Key, kid: Option<&str>, what: &str) -> Result<Key, vf_status> {
    match kid {
        None => Ok(key),
        Some(kid) => key
            .with_kid(kid)
            .map_err(|e| cfg.fail_core(format_args!("{what} kid \"{kid}\""), e)),
    }
}

/// Add an HMAC secret, serving one hash (RFC 8725 3.1): `alg` (nullable),
/// one of `"HS256"`, `"HS384"`, `"HS512"`, HS256 when NULL. The secret must
/// be at least as long as the hash output. `kid` is nullable.
///
/// # Safety
/// `cfg` from `vf_config_new`; `secret` valid for `len` bytes; `alg`, `kid` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_add_hmac_secret(
    cfg: *mut vf_config,
    secret: *const u8,
    len: usize,
    alg: *const c_char,
    kid: *const c_char,
) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_config(cfg, |cfg| {
            let secret = bytes(secret, len)
                .map_err(|st| cfg.fail(st, format_args!("hmac secret: NULL pointer")))?;
            let alg = optional_text(alg)
                .map_err(|st| cfg.fail(st, format_args!("hmac alg: not UTF-8")))?;
            let kid = optional_text(kid)
                .map_err(|st| cfg.fail(st, format_args!("hmac kid: not UTF-8")))?;
            let alg = match alg {
                None => None,
                Some(name) => match Algorithm::from_name(name) {
                    Some(a @ (Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512)) => Some(a),
                    _ => {
                        return Err(cfg.fail(
                            VF_INVALID_ARGUMENT,
                            format_args!("hmac alg \"{name}\": not HS256, HS384 or HS512"),
                        ));
                    }
                },
            };
            let key = Key::hmac(secret, alg)
                .map_err(|e| cfg.fail_core(format_args!("hmac secret ({len} bytes)"), e))?;
            let key = with_kid(cfg, key, kid, "hmac")?;
            cfg.push_key(key, "hmac")
        })
    }
}

/// Accept tokens whose `iss` is this issuer (exact match). None added = no issuer check.
///
/// # Safety
/// `cfg` from `vf_config_new`; `s` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_add_issuer(cfg: *mut vf_config, s: *const c_char) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { with_config(cfg, |cfg| cfg.add_string(List::Issuer, s)) }
}

/// Accept tokens whose `aud` contains this audience. None added = no audience check.
///
/// # Safety
/// `cfg` from `vf_config_new`; `s` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_add_audience(
    cfg: *mut vf_config,
    s: *const c_char,
) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { with_config(cfg, |cfg| cfg.add_string(List::Audience, s)) }
}

/// An authorized party: a token's `azp`, when present, must be one of them (Clerk: your app's origins).
///
/// # Safety
/// `cfg` from `vf_config_new`; `s` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_add_authorized_party(
    cfg: *mut vf_config,
    s: *const c_char,
) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { with_config(cfg, |cfg| cfg.add_string(List::AuthorizedParty, s)) }
}

/// Accept tokens whose `client_id` is this one (RFC 9068). None added = no check.
///
/// # Safety
/// `cfg` from `vf_config_new`; `s` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_add_client_id(
    cfg: *mut vf_config,
    s: *const c_char,
) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { with_config(cfg, |cfg| cfg.add_string(List::ClientId, s)) }
}

/// An accepted header `typ` (case-insensitive, `application/` optional). None added = any.
///
/// # Safety
/// `cfg` from `vf_config_new`; `s` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_add_typ(cfg: *mut vf_config, s: *const c_char) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { with_config(cfg, |cfg| cfg.add_string(List::Typ, s)) }
}

/// A scope every token must carry (no spaces): a word of its `scope`
/// string (RFC 9068, RFC 8693), or an element of a `scope` or `scp` array
/// (Okta, Entra ID). `VF_MISSING_SCOPE` otherwise.
///
/// # Safety
/// `cfg` from `vf_config_new`; `s` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_add_required_scope(
    cfg: *mut vf_config,
    s: *const c_char,
) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { with_config(cfg, |cfg| cfg.add_string(List::RequiredScope, s)) }
}

/// An expected subject: once one is added, `sub` must be present
/// (`VF_MISSING_SUBJECT`) and equal one of them exactly (`VF_WRONG_SUBJECT`).
///
/// # Safety
/// `cfg` from `vf_config_new`; `s` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_add_subject(cfg: *mut vf_config, s: *const c_char) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { with_config(cfg, |cfg| cfg.add_string(List::Subject, s)) }
}

/// Whether every added audience must be in the token's `aud` (a string or
/// an array), not just one (default false). `aud` with none of them is
/// `VF_WRONG_AUDIENCE`, with some but not all `VF_MISSING_REQUIRED_AUDIENCE`
/// (`vf_explain` names the missing ones). `vf_verifier_new` refuses it
/// without any audience (`VF_POLICY_ALL_AUDIENCES_EMPTY`).
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_set_require_all_audiences(
    cfg: *mut vf_config,
    on: bool,
) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_config(cfg, |cfg| {
            cfg.scalars.require_all_audiences = on;
            Ok(())
        })
    }
}

/// Whether a token without `azp` is refused (`VF_MISSING_AUTHORIZED_PARTY`;
/// default false). Clerk's preset, as Clerk's SDKs, accepts a token without
/// `azp`; turn this on where every token must name its origin. Presets leave
/// it as it is.
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_set_require_azp(cfg: *mut vf_config, on: bool) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_config(cfg, |cfg| {
            cfg.scalars.require_azp = on;
            Ok(())
        })
    }
}

/// With `typ` values configured: whether a header without `typ` is accepted.
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_allow_missing_typ(
    cfg: *mut vf_config,
    allow: bool,
) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_config(cfg, |cfg| {
            cfg.scalars.allow_missing_typ = allow;
            Ok(())
        })
    }
}

/// Allow an algorithm (`"RS256"`, ... `"EdDSA"`, case-sensitive). The first
/// call after `vf_config_new` replaces "every algorithm" with an allow-list;
/// later calls (and calls after a preset) add to it.
///
/// # Safety
/// `cfg` from `vf_config_new`; `alg` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_allow_alg(cfg: *mut vf_config, alg: *const c_char) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_config(cfg, |cfg| {
            let name = text(alg).map_err(|st| cfg.fail(st, format_args!("alg: {}", why(st))))?;
            let Some(a) = Algorithm::from_name(name) else {
                return Err(cfg.fail(
                    VF_INVALID_ARGUMENT,
                    format_args!("alg \"{name}\": unknown algorithm name"),
                ));
            };
            let s = &mut cfg.scalars;
            s.algorithms = if s.algorithms_listed {
                s.algorithms.with(a)
            } else {
                verifier_core::AlgSet::of(&[a])
            };
            s.algorithms_listed = true;
            Ok(())
        })
    }
}

/// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds.
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_set_leeway(cfg: *mut vf_config, seconds: u32) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_config(cfg, |cfg| {
            cfg.scalars.leeway = seconds;
            Ok(())
        })
    }
}

/// Maximum token age from `iat`, in seconds (then `iat` is required); 0 = no limit.
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_set_max_age(cfg: *mut vf_config, seconds: u32) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_config(cfg, |cfg| {
            cfg.scalars.max_age = (seconds != 0).then_some(seconds);
            Ok(())
        })
    }
}

/// Whether tokens without `exp` are refused (default true).
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_set_require_exp(cfg: *mut vf_config, on: bool) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_config(cfg, |cfg| {
            cfg.scalars.require_exp = on;
            Ok(())
        })
    }
}

/// Whether tokens without `sub` are refused (default true).
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_set_require_sub(cfg: *mut vf_config, on: bool) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_config(cfg, |cfg| {
            cfg.scalars.require_sub = on;
            Ok(())
        })
    }
}

/// Refuse tokens longer than `len` bytes before decoding anything;
/// 1..=`VF_MAX_TOKEN_LEN` (the default), else `VF_INVALID_ARGUMENT`.
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_set_max_token_len(cfg: *mut vf_config, len: usize) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_config(cfg, |cfg| {
            if len == 0 || len > crate::VF_MAX_TOKEN_LEN {
                return Err(cfg.fail(
                    VF_INVALID_ARGUMENT,
                    format_args!(
                        "max_token_len: {len} is not in 1..={}",
                        crate::VF_MAX_TOKEN_LEN
                    ),
                ));
            }
            cfg.scalars.max_token_len = len;
            Ok(())
        })
    }
}

/// # Safety
/// `cfg` from `vf_config_new`.
unsafe fn preset(cfg: *mut vf_config, p: Preset) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_config(cfg, |cfg| {
            let mut scalars = cfg.scalars;
            let typ = p.apply(&mut scalars);
            cfg.set_typ_list(typ)
                .map_err(|st| cfg.fail(st, format_args!("preset: out of memory")))?;
            cfg.scalars = scalars;
            cfg.sync_pem_any_kid();
            Ok(())
        })
    }
}

/// Clerk session tokens: RS256 only, leeway 5 s, `typ` `JWT` or absent;
/// kid-less `vf_config_add_pem` keys answer any `kid` while no pinned key
/// carries one (not beside a JWKS). Needs your app's
/// origins (`vf_config_add_authorized_party`): without one `vf_verifier_new`
/// fails with `VF_POLICY_NEEDS_AUTHORIZED_PARTY`. Add your Frontend API URL
/// with `vf_config_add_issuer` (recommended).
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_preset_clerk(cfg: *mut vf_config) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { preset(cfg, Preset::Clerk) }
}

/// Logto access tokens (RFC 9068): ES384 only, leeway 0 (an `iat` slightly
/// ahead is accepted unless a max age is set, as Logto's SDKs do), `typ`
/// `at+jwt`, `client_id`, `iat` and `jti` required. Needs the issuer
/// `https://<tenant>/oidc` and your API resource as audience: without them
/// `vf_verifier_new` fails with `VF_POLICY_NEEDS_ISSUER` / `_AUDIENCE`.
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_preset_logto(cfg: *mut vf_config) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { preset(cfg, Preset::Logto) }
}

/// OpenID Connect ID tokens (OIDC Core 3.1.3.7): asymmetric algorithms
/// only, leeway 60 s, `typ` `at+jwt` refused, `azp` required with several
/// audiences and, when present, one of the audiences. Needs an issuer and
/// your client id as audience (`VF_POLICY_NEEDS_ISSUER` / `_AUDIENCE`).
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_preset_id_token(cfg: *mut vf_config) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { preset(cfg, Preset::IdToken) }
}

/// OAuth 2.0 access tokens in JWT form (RFC 9068): asymmetric algorithms
/// only, leeway 60 s, `typ` `at+jwt`, `exp`, `sub`, `client_id`, `iat` and
/// `jti` required. Needs an issuer and this API's audience
/// (`VF_POLICY_NEEDS_ISSUER` / `_AUDIENCE`).
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_preset_access_token(cfg: *mut vf_config) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { preset(cfg, Preset::AccessToken) }
}

/// The ID-token preset under its former name: `vf_config_preset_id_token`.
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_preset_oidc(cfg: *mut vf_config) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { preset(cfg, Preset::IdToken) }
}

/// Copy the message of the last failed call on `cfg` (it names the field or
/// key) into `buf`, NUL-terminated and truncated to `len - 1` bytes. Returns
/// the message length in bytes (excluding the NUL), 0 when no call failed.
/// With `buf` NULL or `len` 0 nothing is written.
///
/// # Safety
/// `cfg` NULL or from `vf_config_new`; `buf` NULL or valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_last_error(
    cfg: *const vf_config,
    buf: *mut c_char,
    len: usize,
) -> usize {
    let mut needed = 0;
    catch(|| {
        // SAFETY: NULL checked; otherwise the caller's contract.
        let Some(cfg) = (unsafe { cfg.as_ref() }) else {
            return Ok(());
        };
        let (text, n) = cfg.last_error();
        needed = n;
        if !buf.is_null() && len > 0 {
            // Cut at a character boundary so the copy stays UTF-8.
            let message = std::str::from_utf8(&text[..n]).unwrap_or("");
            let mut take = n.min(len - 1);
            while !message.is_char_boundary(take) {
                take -= 1;
            }
            // SAFETY: `buf` is valid for `len` bytes and take + 1 <= len.
            unsafe {
                std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), take);
                *buf.add(take) = 0;
            }
        }
        Ok(())
    });
    needed
}

/// Accept tokens whose `role` claim is this value (up to 8 roles). Replaces
/// the Supabase preset's `authenticated`: add every role your API accepts,
/// e.g. `authenticated` and the custom roles a Supabase custom access token
/// hook sets (<https://supabase.com/docs/guides/auth/jwt-fields>). With any
/// role added, a token without `role` is refused (`VF_MISSING_ROLE`), one
/// with another role too (`VF_WRONG_ROLE`), whatever the preset. An empty
/// string or a ninth role is `VF_INVALID_POLICY`.
///
/// # Safety
/// `cfg` from `vf_config_new`; `s` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_add_role(cfg: *mut vf_config, s: *const c_char) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { with_config(cfg, |cfg| cfg.add_role(s)) }
}

// ---- provider presets (issue 25) -------------------------------------------
// Each applies core's preset of the same name (`Policy::auth0`, ...): its
// algorithms, leeway, `typ` rule, needs and provider claim checks. The
// caller's issuers, audiences, client ids and authorized parties are added
// with `vf_config_add_*`; `vf_verifier_new` refuses what the preset needs
// and lacks with `VF_POLICY_NEEDS_*`.

/// `preset`, then `values` into `list` when the caller has added none (sets
/// the provider fixes, such as Google's two issuer spellings).
///
/// # Safety
/// `cfg` from `vf_config_new`.
unsafe fn preset_with(cfg: *mut vf_config, p: Preset, list: List, values: &[&str]) -> vf_status {
    // SAFETY: forwarded contract.
    let st = unsafe { preset(cfg, p) };
    if st != VF_OK {
        return st;
    }
    // SAFETY: forwarded contract.
    unsafe {
        with_config(cfg, |cfg| {
            if !cfg.lists[list as usize].is_empty() {
                return Ok(());
            }
            let field = list.field();
            for v in values {
                let owned = try_string(v)
                    .map_err(|st| cfg.fail(st, format_args!("{field}: out of memory")))?;
                if cfg.lists[list as usize].try_reserve(1).is_err() {
                    return Err(
                        cfg.fail(VF_ALLOCATION_FAILED, format_args!("{field}: out of memory"))
                    );
                }
                cfg.lists[list as usize].push(owned);
            }
            Ok(())
        })
    }
}

/// Auth0 access tokens for your API
/// (<https://auth0.com/docs/secure/tokens/access-tokens/validate-access-tokens>):
/// RS256 or PS256, leeway 5 s, `typ` `JWT`, `at+jwt` or absent. Needs the
/// issuer `https://YOUR_DOMAIN/` (trailing slash) and your API identifier
/// as audience (`VF_POLICY_NEEDS_ISSUER` / `_AUDIENCE`); an Auth0 ID token
/// (audience: the client id) is refused with `VF_WRONG_AUDIENCE`.
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_preset_auth0(cfg: *mut vf_config) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { preset(cfg, Preset::Auth0) }
}

/// Firebase Authentication ID tokens
/// (<https://firebase.google.com/docs/auth/admin/verify-id-tokens#verify_id_tokens_using_a_third-party_jwt_library>):
/// RS256, leeway 0, `sub` non-empty (`VF_MISSING_SUBJECT`) and at most 128
/// characters (`VF_CLAIM_OUT_OF_RANGE`), `auth_time` present and in the past
/// (`VF_MISSING_AUTH_TIME`, `VF_AUTH_TIME_IN_FUTURE`). Needs the issuer
/// `https://securetoken.google.com/<projectId>` and the project id as
/// audience.
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_preset_firebase(cfg: *mut vf_config) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { preset(cfg, Preset::Firebase) }
}

/// Supabase Auth user sessions (<https://supabase.com/docs/guides/auth/jwts>,
/// <https://supabase.com/docs/guides/auth/jwt-fields>):
/// ES256, RS256 or HS256 (the legacy JWT secret), leeway 0, `role`
/// `authenticated` or the roles given with `vf_config_add_role` (the `anon`
/// and `service_role` keys are refused with `VF_WRONG_ROLE`), audience
/// `authenticated` (added when none was). Needs the issuer
/// `https://<project-ref>.supabase.co/auth/v1`.
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_preset_supabase(cfg: *mut vf_config) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { preset_with(cfg, Preset::Supabase, List::Audience, &["authenticated"]) }
}

/// AWS Cognito user pool ID tokens
/// (<https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html>):
/// RS256, leeway 0, `token_use` `id` (`VF_WRONG_TOKEN_USE`). Needs the issuer
/// `https://cognito-idp.<region>.amazonaws.com/<userPoolId>` and your app
/// client id as audience.
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_preset_cognito_id(cfg: *mut vf_config) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { preset(cfg, Preset::CognitoId) }
}

/// AWS Cognito user pool access tokens (same documentation): RS256, leeway
/// 0, `token_use` `access`, `client_id` your app client id (access tokens
/// carry no `aud`). Needs the issuer and a client id
/// (`vf_config_add_client_id`; `VF_POLICY_NEEDS_CLIENT_ID`).
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_preset_cognito_access(cfg: *mut vf_config) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { preset(cfg, Preset::CognitoAccess) }
}

/// Microsoft Entra ID access tokens
/// (<https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-tokens>):
/// RS256, leeway 300 s, `tid` present and the tenant the issuer names
/// (`VF_MISSING_TENANT`, `VF_WRONG_TENANT`). Needs the issuer
/// (`https://login.microsoftonline.com/<tid>/v2.0`, `https://sts.windows.net/<tid>/`,
/// or with `{tenantid}` in place of the tenant for a multi-tenant app) and
/// your application id (or `api://...` URI) as audience.
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_preset_entra(cfg: *mut vf_config) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { preset(cfg, Preset::Entra) }
}

/// Google ID tokens
/// (<https://developers.google.com/identity/gsi/web/guides/verify-google-id-token>):
/// RS256, leeway 60 s, issuer `https://accounts.google.com` or
/// `accounts.google.com` (both added when no issuer was). Needs your client
/// id as audience.
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_preset_google(cfg: *mut vf_config) -> vf_status {
    let issuers = verifier_core::policy::GOOGLE_ISSUERS;
    // SAFETY: forwarded contract.
    unsafe { preset_with(cfg, Preset::Google, List::Issuer, issuers) }
}

/// Okta access tokens from a custom authorization server
/// (<https://developer.okta.com/docs/guides/validate-access-tokens/main/>):
/// RS256, leeway 120 s, `cid` required (`VF_MISSING_CID`) and, with client
/// ids added, one of them (`VF_WRONG_CID`), audience `api://default` (the
/// default authorization server's) when none was added by the time
/// `vf_verifier_new` runs, as in the other bindings. Needs the issuer
/// `https://<org>.okta.com/oauth2/<authServerId>`.
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_preset_okta(cfg: *mut vf_config) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { preset(cfg, Preset::Okta) }
}

/// Keycloak access tokens (<https://www.keycloak.org/securing-apps/oidc-layers>):
/// asymmetric algorithms, leeway 0, the payload's `typ` claim `Bearer` (an
/// ID or refresh token is refused with `VF_WRONG_TYP_CLAIM`). Needs the
/// issuer `https://<host>/realms/<realm>` and your client id as authorized
/// party (`azp`).
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_preset_keycloak(cfg: *mut vf_config) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { preset(cfg, Preset::Keycloak) }
}

/// Keycloak ID tokens (same documentation as `vf_config_preset_keycloak`):
/// the ID-token checks (`vf_config_preset_id_token`) with the payload's
/// `typ` claim `ID` (an access or refresh token is refused with
/// `VF_WRONG_TYP_CLAIM`), leeway 0. Needs the issuer
/// `https://<host>/realms/<realm>` and your client id as audience.
///
/// # Safety
/// `cfg` from `vf_config_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_config_preset_keycloak_id(cfg: *mut vf_config) -> vf_status {
    // SAFETY: forwarded contract.
    unsafe { preset(cfg, Preset::KeycloakId) }
}
