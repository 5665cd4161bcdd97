//! libverifier through its C ABI (`libverifier-ffi`, linked as an rlib and
//! called through its `extern "C"` functions as a C program would), set up
//! with the same keys and policy as the core verifier of `peers`.
//!
//! Used by the `layers` group (core against the C ABI on the same tokens) and
//! the `throughput` group (threads sharing one `vf_verifier`).

use std::ffi::CString;
use std::mem::MaybeUninit;

use verifier::{
    VF_KEY_RSA_PSS, vf_claims, vf_config, vf_config_add_audience, vf_config_add_authorized_party,
    vf_config_add_client_id, vf_config_add_hmac_secret, vf_config_add_issuer,
    vf_config_add_jwks_ex, vf_config_allow_alg, vf_config_free, vf_config_last_error,
    vf_config_new, vf_config_preset_clerk, vf_config_preset_id_token, vf_config_preset_logto,
    vf_status, vf_status_name, vf_verifier, vf_verifier_free, vf_verifier_new, vf_verify,
    vf_verify_authorization,
};

use crate::data::{Cases, TokenCase, secret};
use crate::peers::{AUD, CLERK_AZP, CLERK_ISS, CLIENT_ID, LOGTO_ISS};

/// A `vf_verifier` from `vf_verifier_new`. The header promises it may be
/// shared by threads for verification, which is what `throughput` measures.
pub struct CVerifier(*mut vf_verifier);

// SAFETY: `vf_verifier` is Send + Sync on the Rust side (ffi/src/verifier.rs
// asserts it) and the header documents sharing across threads.
unsafe impl Send for CVerifier {}
// SAFETY: as above.
unsafe impl Sync for CVerifier {}

impl Drop for CVerifier {
    fn drop(&mut self) {
        // SAFETY: a live verifier from `vf_verifier_new`, freed once, and no
        // verification runs on it (borrows of `self` have ended).
        unsafe { vf_verifier_free(self.0) }
    }
}

fn status_name(st: vf_status) -> String {
    // SAFETY: `vf_status_name` returns a static NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(vf_status_name(st as u32)) }
        .to_string_lossy()
        .into_owned()
}

/// A configuration, freed on drop; every call checked.
struct Config(*mut vf_config);

impl Drop for Config {
    fn drop(&mut self) {
        // SAFETY: from `vf_config_new`, freed once.
        unsafe { vf_config_free(self.0) }
    }
}

impl Config {
    fn check(&self, what: &str, st: vf_status) {
        if st == vf_status::VF_OK {
            return;
        }
        let mut buf = [0u8; 256];
        // SAFETY: `buf` is valid for its length.
        let n = unsafe { vf_config_last_error(self.0, buf.as_mut_ptr().cast(), buf.len()) };
        let msg = String::from_utf8_lossy(&buf[..n.min(buf.len() - 1)]);
        panic!("{what}: {} ({msg})", status_name(st));
    }

    fn string(
        &self,
        what: &str,
        f: unsafe extern "C" fn(*mut vf_config, *const std::ffi::c_char) -> vf_status,
        s: &str,
    ) {
        let s = CString::new(s).expect("no NUL");
        // SAFETY: a live config and a NUL-terminated string.
        self.check(what, unsafe { f(self.0, s.as_ptr()) });
    }

    fn call(&self, what: &str, f: unsafe extern "C" fn(*mut vf_config) -> vf_status) {
        // SAFETY: a live config.
        self.check(what, unsafe { f(self.0) });
    }
}

/// The C ABI verifier for `case`: the key's three-key JWKS (RSA keys also
/// serving PSS) or its HMAC secret, and the preset of the token's shape
/// (Clerk, Logto, ID token) with the case's algorithm allowed, as
/// `peers::policy` sets up core. Checked once on the case's token, bare and
/// as an `Authorization` header.
pub fn verifier(case: &TokenCase, cases: &Cases) -> CVerifier {
    let cfg = Config(vf_config_new());
    assert!(!cfg.0.is_null(), "vf_config_new: out of memory");
    let k = &cases.keys[&case.key];
    match &k.jwks {
        Some(jwks) => {
            // SAFETY: a live config; `jwks` valid for its length; NULL issuer and report.
            let st = unsafe {
                vf_config_add_jwks_ex(
                    cfg.0,
                    jwks.as_ptr(),
                    jwks.len(),
                    std::ptr::null(),
                    VF_KEY_RSA_PSS,
                    std::ptr::null_mut(),
                )
            };
            cfg.check("vf_config_add_jwks_ex", st);
        }
        None => {
            let s = secret(k);
            let kid = CString::new(k.kid.as_str()).expect("kid");
            // SAFETY: a live config, the secret valid for its length, NUL-terminated strings.
            let st = unsafe {
                vf_config_add_hmac_secret(
                    cfg.0,
                    s.as_ptr(),
                    s.len(),
                    c"HS256".as_ptr(),
                    kid.as_ptr(),
                )
            };
            cfg.check("vf_config_add_hmac_secret", st);
        }
    }
    match case.shape.as_str() {
        "clerk" => {
            cfg.call("vf_config_preset_clerk", vf_config_preset_clerk);
            cfg.string("issuer", vf_config_add_issuer, CLERK_ISS);
            cfg.string("azp", vf_config_add_authorized_party, CLERK_AZP);
        }
        "logto" => {
            cfg.call("vf_config_preset_logto", vf_config_preset_logto);
            cfg.string("issuer", vf_config_add_issuer, LOGTO_ISS);
            cfg.string("audience", vf_config_add_audience, AUD);
            cfg.string("client_id", vf_config_add_client_id, CLIENT_ID);
        }
        _ => {
            cfg.call("vf_config_preset_id_token", vf_config_preset_id_token);
            cfg.string("issuer", vf_config_add_issuer, CLERK_ISS);
            cfg.string("audience", vf_config_add_audience, AUD);
            cfg.string("azp", vf_config_add_authorized_party, CLERK_AZP);
        }
    }
    // The presets fix one algorithm (Clerk RS256, Logto ES384); add the case's.
    cfg.string("alg", vf_config_allow_alg, &case.alg);
    let mut out = std::ptr::null_mut();
    // SAFETY: a live config; `out` valid for writes.
    let st = unsafe { vf_verifier_new(cfg.0, &mut out) };
    cfg.check("vf_verifier_new", st);
    let v = CVerifier(out);
    let mut claims = Claims::new();
    assert!(
        v.verify(case.token.as_bytes(), &mut claims),
        "C ABI refused {} {}",
        case.group,
        case.shape
    );
    let header = format!("Bearer {}", case.token);
    assert!(
        v.verify_authorization(header.as_bytes(), &mut claims),
        "C ABI refused the Authorization header for {} {}",
        case.group,
        case.shape
    );
    v
}

/// A caller's `vf_claims` (12 KB: boxed, one per thread, reused per call).
pub struct Claims(Box<MaybeUninit<vf_claims>>);

impl Claims {
    pub fn new() -> Self {
        Claims(Box::new_uninit())
    }
}

impl Default for Claims {
    fn default() -> Self {
        Self::new()
    }
}

impl CVerifier {
    /// `vf_verify` with the system clock (`now` 0), then read `sub` as a caller would.
    pub fn verify(&self, token: &[u8], out: &mut Claims) -> bool {
        // SAFETY: a live verifier; `token` valid for its length; `out` valid
        // for writes of a vf_claims (uninitialised is allowed).
        let st = unsafe { vf_verify(self.0, token.as_ptr(), token.len(), 0, out.0.as_mut_ptr()) };
        st == vf_status::VF_OK && Self::has_sub(out)
    }

    /// `vf_verify_authorization` on a `Bearer <token>` header value.
    pub fn verify_authorization(&self, header: &[u8], out: &mut Claims) -> bool {
        // SAFETY: as for `verify`.
        let st = unsafe {
            vf_verify_authorization(self.0, header.as_ptr(), header.len(), 0, out.0.as_mut_ptr())
        };
        st == vf_status::VF_OK && Self::has_sub(out)
    }

    fn has_sub(out: &Claims) -> bool {
        // SAFETY: on VF_OK the library has written the whole struct.
        let c = unsafe { out.0.assume_init_ref() };
        std::hint::black_box(c.sub.len) > 0
    }
}
