//! `vf_static_policy`: the policy of a heap-free verifier, as a plain C
//! struct. Its strings are copied into a fixed pool inside the verifier's
//! memory, so the caller's arrays need not outlive the call.

use std::ffi::c_char;

use verifier_core::policy::{Needs, Profile};
use verifier_core::{AlgSet, Algorithm};

use crate::boundary::{catch, text};
use crate::policy::{LISTS, List, Preset, Scalars};
use crate::status::vf_status::{self, *};

/// Most strings in one list of a static policy.
pub const VF_STATIC_MAX_STRINGS: usize = 8;
/// Total bytes of all strings of a static policy.
pub const VF_STATIC_STRINGS_LEN: usize = 1024;

/// Policy of a verifier built by `vf_verifier_init_static`. Fill it with
/// `vf_static_policy_default` (or a preset function), then set fields. A list
/// is `(array of NUL-terminated UTF-8 strings, count)`; a count of 0 means
/// "no check" and the array may then be NULL.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct vf_static_policy {
    /// Accepted issuers.
    pub issuers: *const *const c_char,
    /// Number of issuers.
    pub issuers_len: usize,
    /// Accepted audiences.
    pub audiences: *const *const c_char,
    /// Number of audiences.
    pub audiences_len: usize,
    /// Authorized parties (`azp`, when present, must be one).
    pub authorized_parties: *const *const c_char,
    /// Number of authorized parties.
    pub authorized_parties_len: usize,
    /// Accepted `client_id` values.
    pub client_ids: *const *const c_char,
    /// Number of client ids.
    pub client_ids_len: usize,
    /// Accepted header `typ` values.
    pub typs: *const *const c_char,
    /// Number of `typ` values.
    pub typs_len: usize,
    /// Scopes every token must carry.
    pub required_scopes: *const *const c_char,
    /// Number of required scopes.
    pub required_scopes_len: usize,
    /// With `typ` values: accept a header without `typ`.
    pub allow_missing_typ: bool,
    /// Refuse tokens without `exp`.
    pub require_exp: bool,
    /// Refuse tokens without `sub`.
    pub require_sub: bool,
    /// Clock skew tolerated, in seconds.
    pub leeway: u32,
    /// Maximum age from `iat` in seconds; 0 = none.
    pub max_age: u32,
    /// Allowed algorithms as a bit set (`1u << VF_ALG_RS256` | ...); 0 = all.
    pub algorithms: u32,
    /// Maximum token length, 1..=`VF_MAX_TOKEN_LEN`; 0 = `VF_MAX_TOKEN_LEN`.
    pub max_token_len: usize,
    /// Accept an `iat` in the future unless `max_age` is set (Logto's preset;
    /// `jose`'s rule). False (the default) refuses it beyond the leeway.
    pub allow_future_iat: bool,
    /// The token profile: `VF_PROFILE_ANY` (0), `VF_PROFILE_ID_TOKEN` or
    /// `VF_PROFILE_ACCESS_TOKEN` (see `vf_config_preset_id_token` /
    /// `vf_config_preset_access_token` for what each checks).
    pub profile: u32,
    /// Lists that must not be empty, as bits: `VF_NEEDS_ISSUER`,
    /// `VF_NEEDS_AUDIENCE`, `VF_NEEDS_AUTHORIZED_PARTY` (set by the presets;
    /// `vf_verifier_init_static` refuses a policy that leaves one empty with
    /// `VF_POLICY_NEEDS_*`).
    pub needs: u32,
    /// A PEM key (without `kid`) also answers tokens whose `kid` no key
    /// claims: Clerk's PEM verification ignores `kid` (set by
    /// `vf_static_policy_clerk`). Otherwise it serves only tokens without `kid`.
    pub key_any_kid: bool,
    /// Expected subjects (`vf_config_add_subject`).
    pub subjects: *const *const c_char,
    /// Number of expected subjects.
    pub subjects_len: usize,
    /// Every audience must be in `aud` (`vf_config_set_require_all_audiences`).
    pub require_all_audiences: bool,
    /// Refuse tokens without `azp` (`vf_config_set_require_azp`).
    pub require_azp: bool,
}

/// `vf_static_policy.profile`: no profile checks.
pub const VF_PROFILE_ANY: u32 = 0;
/// `vf_static_policy.profile`: an OpenID Connect ID token.
pub const VF_PROFILE_ID_TOKEN: u32 = 1;
/// `vf_static_policy.profile`: an RFC 9068 access token.
pub const VF_PROFILE_ACCESS_TOKEN: u32 = 2;
/// `vf_static_policy.needs` bit: at least one issuer.
pub const VF_NEEDS_ISSUER: u32 = 1;
/// `vf_static_policy.needs` bit: at least one audience.
pub const VF_NEEDS_AUDIENCE: u32 = 2;
/// `vf_static_policy.needs` bit: at least one authorized party.
pub const VF_NEEDS_AUTHORIZED_PARTY: u32 = 4;

fn profile_code(p: Profile) -> u32 {
    match p {
        Profile::IdToken => VF_PROFILE_ID_TOKEN,
        Profile::AccessToken => VF_PROFILE_ACCESS_TOKEN,
        _ => VF_PROFILE_ANY,
    }
}

fn needs_bits(n: Needs) -> u32 {
    let bit = |on: bool, b: u32| if on { b } else { 0 };
    bit(n.issuer, VF_NEEDS_ISSUER)
        | bit(n.audience, VF_NEEDS_AUDIENCE)
        | bit(n.authorized_party, VF_NEEDS_AUTHORIZED_PARTY)
}

/// `[*const c_char; 1]` is not `Sync`; this wrapper holds pointers to static text only.
struct StaticList([*const c_char; 1]);
// SAFETY: the pointers refer to immutable 'static C string literals.
unsafe impl Sync for StaticList {}
// The presets' `typ` values (a test checks them against core's presets).
static TYP_JWT: StaticList = StaticList([c"JWT".as_ptr()]);
static TYP_AT_JWT: StaticList = StaticList([c"at+jwt".as_ptr()]);

fn bits(set: AlgSet) -> u32 {
    set.iter().fold(0, |b, a| b | u32::from(a.bit()))
}

fn defaults() -> vf_static_policy {
    let s = Scalars::default();
    let none = std::ptr::null();
    vf_static_policy {
        issuers: none,
        issuers_len: 0,
        audiences: none,
        audiences_len: 0,
        authorized_parties: none,
        authorized_parties_len: 0,
        client_ids: none,
        client_ids_len: 0,
        typs: none,
        typs_len: 0,
        required_scopes: none,
        required_scopes_len: 0,
        allow_missing_typ: s.allow_missing_typ,
        require_exp: s.require_exp,
        require_sub: s.require_sub,
        leeway: s.leeway,
        max_age: 0,
        algorithms: 0,
        max_token_len: 0,
        allow_future_iat: !s.reject_future_iat,
        profile: profile_code(s.profile),
        needs: needs_bits(s.needs),
        key_any_kid: false,
        subjects: none,
        subjects_len: 0,
        require_all_audiences: s.require_all_audiences,
        require_azp: s.require_azp,
    }
}

fn with_preset(p: Preset) -> vf_static_policy {
    let mut s = Scalars::default();
    p.apply(&mut s);
    let mut out = defaults();
    out.leeway = s.leeway;
    out.allow_missing_typ = s.allow_missing_typ;
    out.algorithms = bits(s.algorithms);
    out.max_age = s.max_age.unwrap_or(0);
    out.allow_future_iat = !s.reject_future_iat;
    out.profile = profile_code(s.profile);
    out.needs = needs_bits(s.needs);
    out.key_any_kid = p == Preset::Clerk;
    let typ = match p {
        Preset::Clerk => Some(&TYP_JWT),
        Preset::Logto | Preset::AccessToken => Some(&TYP_AT_JWT),
        Preset::IdToken => None,
        // The provider presets have no static form: their claim checks
        // have no field in `vf_static_policy`.
        _ => None,
    };
    if let Some(list) = typ {
        out.typs = list.0.as_ptr();
        out.typs_len = list.0.len();
    }
    out
}

/// Fill `p` with the defaults: every list empty, `exp` and `sub` required,
/// leeway 0, every algorithm, max token length `VF_MAX_TOKEN_LEN`. NULL is a no-op.
///
/// # Safety
/// `p` NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_static_policy_default(p: *mut vf_static_policy) {
    // SAFETY: NULL checked; valid for writes by contract.
    catch(|| {
        if !p.is_null() {
            unsafe { p.write(defaults()) };
        }
        Ok(())
    });
}

/// Defaults plus the Clerk preset: RS256 only, leeway 5, `typ` `JWT` or absent.
///
/// # Safety
/// `p` NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_static_policy_clerk(p: *mut vf_static_policy) {
    // SAFETY: NULL checked; valid for writes by contract.
    catch(|| {
        if !p.is_null() {
            unsafe { p.write(with_preset(Preset::Clerk)) };
        }
        Ok(())
    });
}

/// Defaults plus the Logto preset (see `vf_config_preset_logto`): fill in
/// `issuers` and `audiences`, which it needs.
///
/// # Safety
/// `p` NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_static_policy_logto(p: *mut vf_static_policy) {
    // SAFETY: NULL checked; valid for writes by contract.
    catch(|| {
        if !p.is_null() {
            unsafe { p.write(with_preset(Preset::Logto)) };
        }
        Ok(())
    });
}

/// Defaults plus the ID-token preset (see `vf_config_preset_id_token`):
/// fill in `issuers` and `audiences` (your client id), which it needs.
///
/// # Safety
/// `p` NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_static_policy_id_token(p: *mut vf_static_policy) {
    // SAFETY: NULL checked; valid for writes by contract.
    catch(|| {
        if !p.is_null() {
            unsafe { p.write(with_preset(Preset::IdToken)) };
        }
        Ok(())
    });
}

/// Defaults plus the access-token preset (see `vf_config_preset_access_token`):
/// fill in `issuers` and `audiences`, which it needs.
///
/// # Safety
/// `p` NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_static_policy_access_token(p: *mut vf_static_policy) {
    // SAFETY: NULL checked; valid for writes by contract.
    catch(|| {
        if !p.is_null() {
            unsafe { p.write(with_preset(Preset::AccessToken)) };
        }
        Ok(())
    });
}

/// The policy's strings, copied into a fixed pool.
#[derive(Clone, Debug)]
pub(crate) struct StaticStrings {
    pool: [u8; VF_STATIC_STRINGS_LEN],
    used: usize,
    spans: [[(u16, u16); VF_STATIC_MAX_STRINGS]; LISTS],
    counts: [usize; LISTS],
}

impl StaticStrings {
    fn new() -> Self {
        StaticStrings {
            pool: [0; VF_STATIC_STRINGS_LEN],
            used: 0,
            spans: [[(0, 0); VF_STATIC_MAX_STRINGS]; LISTS],
            counts: [0; LISTS],
        }
    }

    fn push(&mut self, list: List, s: &str) -> Result<(), vf_status> {
        if list.refuse(s).is_some() {
            return Err(VF_INVALID_POLICY);
        }
        let count = &mut self.counts[list as usize];
        let slot = self.spans[list as usize]
            .get_mut(*count)
            .ok_or(VF_INVALID_ARGUMENT)?;
        let dst = self
            .pool
            .get_mut(self.used..self.used + s.len())
            .ok_or(VF_INVALID_ARGUMENT)?;
        dst.copy_from_slice(s.as_bytes());
        // The pool is 1024 bytes, so offsets and lengths fit u16.
        *slot = (self.used as u16, s.len() as u16);
        self.used += s.len();
        *count += 1;
        Ok(())
    }

    /// Call `f` with the seven lists as `&str` slices, built on the stack.
    pub(crate) fn with_lists<R>(&self, f: impl FnOnce([&[&str]; LISTS]) -> R) -> R {
        let mut strs: [[&str; VF_STATIC_MAX_STRINGS]; LISTS] = [[""; VF_STATIC_MAX_STRINGS]; LISTS];
        for (l, list) in strs.iter_mut().enumerate() {
            for (i, s) in list.iter_mut().enumerate().take(self.counts[l]) {
                let (at, len) = self.spans[l][i];
                let (at, len) = (at as usize, len as usize);
                // Checked UTF-8 when copied in; an empty string would match nothing.
                *s = self
                    .pool
                    .get(at..at + len)
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .unwrap_or("");
            }
        }
        let [a, b, c, d, e, g, h] = &strs;
        let n = self.counts;
        f([
            &a[..n[0]],
            &b[..n[1]],
            &c[..n[2]],
            &d[..n[3]],
            &e[..n[4]],
            &g[..n[5]],
            &h[..n[6]],
        ])
    }
}

/// Check and copy a `vf_static_policy`: its scalars and its strings.
///
/// # Safety
/// The lists' pointers must be valid for their counts, each string NUL-terminated.
pub(crate) unsafe fn load(p: &vf_static_policy) -> Result<(Scalars, StaticStrings), vf_status> {
    let mut s = Scalars {
        leeway: p.leeway,
        require_exp: p.require_exp,
        require_sub: p.require_sub,
        allow_missing_typ: p.allow_missing_typ,
        max_age: (p.max_age != 0).then_some(p.max_age),
        reject_future_iat: !p.allow_future_iat,
        require_all_audiences: p.require_all_audiences,
        require_azp: p.require_azp,
        profile: match p.profile {
            VF_PROFILE_ANY => Profile::Any,
            VF_PROFILE_ID_TOKEN => Profile::IdToken,
            VF_PROFILE_ACCESS_TOKEN => Profile::AccessToken,
            _ => return Err(VF_INVALID_ARGUMENT),
        },
        needs: {
            let all = VF_NEEDS_ISSUER | VF_NEEDS_AUDIENCE | VF_NEEDS_AUTHORIZED_PARTY;
            if p.needs & !all != 0 {
                return Err(VF_INVALID_ARGUMENT);
            }
            Needs {
                issuer: p.needs & VF_NEEDS_ISSUER != 0,
                audience: p.needs & VF_NEEDS_AUDIENCE != 0,
                authorized_party: p.needs & VF_NEEDS_AUTHORIZED_PARTY != 0,
                client_id: false,
                issuer_form: None,
            }
        },
        ..Scalars::default()
    };
    if p.algorithms != 0 {
        if p.algorithms >> Algorithm::ALL.len() != 0 {
            return Err(VF_INVALID_ARGUMENT);
        }
        s.algorithms = Algorithm::ALL
            .into_iter()
            .filter(|a| p.algorithms & u32::from(a.bit()) != 0)
            .fold(AlgSet::EMPTY, AlgSet::with);
        s.algorithms_listed = true;
    }
    s.max_token_len = match p.max_token_len {
        0 => crate::VF_MAX_TOKEN_LEN,
        n if n <= crate::VF_MAX_TOKEN_LEN => n,
        _ => return Err(VF_INVALID_ARGUMENT),
    };
    let mut strings = StaticStrings::new();
    let lists = [
        (List::Issuer, p.issuers, p.issuers_len),
        (List::Audience, p.audiences, p.audiences_len),
        (
            List::AuthorizedParty,
            p.authorized_parties,
            p.authorized_parties_len,
        ),
        (List::ClientId, p.client_ids, p.client_ids_len),
        (List::Typ, p.typs, p.typs_len),
        (
            List::RequiredScope,
            p.required_scopes,
            p.required_scopes_len,
        ),
        (List::Subject, p.subjects, p.subjects_len),
    ];
    for (list, ptr, len) in lists {
        if len == 0 {
            continue;
        }
        if ptr.is_null() {
            return Err(VF_NULL_ARGUMENT);
        }
        if len > VF_STATIC_MAX_STRINGS {
            return Err(VF_INVALID_ARGUMENT);
        }
        for i in 0..len {
            // SAFETY: `ptr` holds `len` string pointers by contract; each is checked by `text`.
            let item = unsafe { text(ptr.add(i).read()) }?;
            strings.push(list, item)?;
        }
    }
    Ok((s, strings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_presets_match_core() {
        for p in [
            Preset::Clerk,
            Preset::Logto,
            Preset::IdToken,
            Preset::AccessToken,
        ] {
            let sp = with_preset(p);
            let mut s = Scalars::default();
            let typ = p.apply(&mut s);
            // SAFETY: the preset's list points at static C strings.
            let (loaded, strings) = unsafe { load(&sp) }.unwrap();
            assert_eq!(loaded.algorithms, s.algorithms);
            assert_eq!(loaded.leeway, s.leeway);
            assert_eq!(loaded.allow_missing_typ, s.allow_missing_typ);
            assert_eq!(loaded.max_age, s.max_age);
            assert_eq!(loaded.reject_future_iat, s.reject_future_iat);
            assert_eq!(loaded.profile, s.profile);
            assert_eq!(loaded.needs, s.needs);
            strings.with_lists(|lists| assert_eq!(lists[List::Typ as usize], typ));
        }
    }
}
