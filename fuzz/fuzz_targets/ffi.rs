//! The C ABI (`ffi/`, see `ffi/API.md`), called as Rust functions through the
//! rlib: a configuration built by a fuzzer-chosen sequence of `vf_config_*`
//! calls (fixture or arbitrary keys, arbitrary strings, NULL where the
//! contract allows a pointer to be checked), then a heap or static verifier,
//! then `vf_verify` / `vf_verify_authorization` / `vf_claims_get` on fixture
//! or arbitrary tokens.
//!
//! Must hold: no call panics or returns `VF_PANIC`; every status has a name;
//! a NULL pointer where a value is required gives `VF_NULL_ARGUMENT`;
//! `vf_config_last_error` reports the same length however large the buffer
//! and always NUL-terminates within it; after a successful verification every
//! view lies inside `scratch` and is UTF-8, after a failure every view is
//! absent and `vf_claims_get` refuses; the static verifier allocates nothing
//! (init and verify); and a whole run frees everything it allocated.
#![no_main]

use std::ffi::{CStr, CString, c_char};
use std::ptr::{null, null_mut};

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use libverifier_fuzz::{NOW, TEST_JWKS, allocations, live_bytes, no_alloc};
use verifier::*;

const TOKENS: &[&str] = &[
    include_str!("../../examples/tokens/clerk.jwt"),
    include_str!("../../examples/tokens/logto.jwt"),
];
const KEY_DOCS: &[&[u8]] = &[
    TEST_JWKS,
    include_bytes!("../../examples/keys/clerk-jwks.json"),
    include_bytes!("../../examples/keys/logto-jwks.json"),
    include_bytes!("../../examples/keys/clerk.pem"),
    include_bytes!("../../core/tests/data/keys/p256.pem"),
    include_bytes!("../../core/tests/data/keys/rsa2048.cert.pem"),
];
const STRINGS: &[&str] = &[
    "https://clerk.example.com",
    "https://app.example.com",
    "https://tenant.logto.app/oidc",
    "https://api.example.com",
    "https://issuer.example.com",
    "m2mapp",
    "at+jwt",
    "JWT",
    "read",
    "",
    "a b",
];
const ALGS: &[&str] = &[
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "HS256",
    "HS384", "HS512", "none", "rs256",
];

/// A byte argument: pointer, length, and whether the pointer is NULL.
struct Bytes {
    data: Vec<u8>,
    null: bool,
    len: usize,
}

impl Bytes {
    fn ptr(&self) -> *const u8 {
        if self.null {
            null()
        } else {
            self.data.as_ptr()
        }
    }
}

fn bytes_arg(u: &mut Unstructured<'_>, fixtures: &[&[u8]]) -> Result<Bytes> {
    let data = if u.ratio(1, 3)? {
        u.arbitrary::<Vec<u8>>()?
    } else {
        u.choose(fixtures)?.to_vec()
    };
    let null = u.ratio(1, 32)?;
    // A NULL pointer with a length (VF_NULL_ARGUMENT) or with none.
    let len = if null && u.arbitrary()? {
        0
    } else {
        data.len()
    };
    Ok(Bytes { data, null, len })
}

/// A text argument: NULL, a fixture string, or arbitrary bytes (maybe not UTF-8).
fn text_arg(u: &mut Unstructured<'_>, pool: &[&str]) -> Result<Option<CString>> {
    Ok(match u.int_in_range(0..=15u8)? {
        0 => None,
        1 | 2 => {
            let mut b: Vec<u8> = u.arbitrary()?;
            b.retain(|&c| c != 0);
            Some(CString::new(b).unwrap())
        }
        _ => Some(CString::new(*u.choose(pool)?).unwrap()),
    })
}

fn cptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(null(), |c| c.as_ptr())
}

fn status_ok(st: vf_status, what: &str) {
    assert_ne!(st, vf_status::VF_PANIC, "{what}: panicked inside the C ABI");
    let name = unsafe { CStr::from_ptr(vf_status_name(st as u32)) };
    assert_ne!(
        name.to_bytes(),
        b"unknown",
        "{what}: status {} has no name",
        st as u32
    );
    assert!(
        !unsafe { CStr::from_ptr(vf_status_message(st as u32)) }
            .to_bytes()
            .is_empty()
    );
}

fn last_error(cfg: *const vf_config, u: &mut Unstructured<'_>) -> Result<()> {
    let needed = unsafe { vf_config_last_error(cfg, null_mut(), 0) };
    let len = u.int_in_range(0..=needed + 2)?;
    let mut buf = vec![0x55u8; len + 1];
    let n = unsafe { vf_config_last_error(cfg, buf.as_mut_ptr().cast(), len) };
    assert_eq!(n, needed, "last_error length depends on the buffer");
    assert_eq!(buf[len], 0x55, "last_error wrote past the buffer");
    if len > 0 {
        let nul = buf[..len]
            .iter()
            .position(|&b| b == 0)
            .expect("last_error: no NUL");
        assert!(nul <= needed);
        assert!(
            std::str::from_utf8(&buf[..nul]).is_ok(),
            "last_error: not UTF-8"
        );
    }
    Ok(())
}

/// One configuration call chosen by the fuzzer.
fn config_op(u: &mut Unstructured<'_>, cfg: *mut vf_config) -> Result<()> {
    let target = if u.ratio(1, 32)? { null_mut() } else { cfg };
    let mut null_required = target.is_null();
    let op = u.int_in_range(0..=19u8)?;
    let st = unsafe {
        match op {
            0 | 1 => {
                let b = bytes_arg(u, &[TEST_JWKS, KEY_DOCS[1], KEY_DOCS[2]])?;
                null_required |= b.null && b.len > 0;
                if op == 0 {
                    vf_config_add_jwks(target, b.ptr(), b.len)
                } else {
                    vf_config_add_jwk(target, b.ptr(), b.len)
                }
            }
            2 => {
                let b = bytes_arg(u, &KEY_DOCS[3..])?;
                null_required |= b.null && b.len > 0;
                let kid = text_arg(u, &["kid-1", "rsa2048"])?;
                vf_config_add_pem(target, b.ptr(), b.len, cptr(&kid))
            }
            3 => {
                let b = bytes_arg(u, &[&[7u8; 32], &[9u8; 64], b"short"])?;
                null_required |= b.null && b.len > 0;
                let alg = text_arg(u, ALGS)?;
                let kid = text_arg(u, &["hs"])?;
                vf_config_add_hmac_secret(target, b.ptr(), b.len, cptr(&alg), cptr(&kid))
            }
            4..=9 => {
                let s = text_arg(u, STRINGS)?;
                null_required |= s.is_none();
                let f = [
                    vf_config_add_issuer,
                    vf_config_add_audience,
                    vf_config_add_authorized_party,
                    vf_config_add_client_id,
                    vf_config_add_typ,
                    vf_config_add_required_scope,
                ][usize::from(op - 4)];
                f(target, cptr(&s))
            }
            10 => vf_config_allow_missing_typ(target, u.arbitrary()?),
            11 => {
                let s = text_arg(u, ALGS)?;
                null_required |= s.is_none();
                vf_config_allow_alg(target, cptr(&s))
            }
            12 => vf_config_set_leeway(target, u.arbitrary()?),
            13 => vf_config_set_max_age(target, u.arbitrary()?),
            14 => vf_config_set_require_exp(target, u.arbitrary()?),
            15 => vf_config_set_require_sub(target, u.arbitrary()?),
            16 => {
                let len = *u.choose(&[
                    0,
                    1,
                    100,
                    VF_MAX_TOKEN_LEN,
                    VF_MAX_TOKEN_LEN + 1,
                    usize::MAX,
                ])?;
                vf_config_set_max_token_len(target, len)
            }
            17 => vf_config_preset_clerk(target),
            18 => vf_config_preset_logto(target),
            _ => vf_config_preset_oidc(target),
        }
    };
    status_ok(st, "vf_config_*");
    if null_required {
        assert_eq!(st, vf_status::VF_NULL_ARGUMENT, "op {op}: NULL accepted");
    }
    Ok(())
}

fn zeroed_claims() -> Box<vf_claims> {
    // SAFETY: vf_claims is plain data (pointers, integers, bools, bytes): all-zero is valid.
    unsafe {
        let layout = std::alloc::Layout::new::<vf_claims>();
        let p = std::alloc::alloc_zeroed(layout).cast::<vf_claims>();
        assert!(!p.is_null());
        Box::from_raw(p)
    }
}

fn views(c: &vf_claims) -> [vf_str; 9] {
    [
        c.sub,
        c.iss,
        c.sid,
        c.azp,
        c.client_id,
        c.scope,
        c.jti,
        c.typ,
        c.payload,
    ]
}

fn inside(c: &vf_claims, v: vf_str) -> bool {
    let base = c.scratch.as_ptr() as usize;
    let p = v.ptr as usize;
    p >= base
        && p.checked_add(v.len)
            .is_some_and(|end| end <= base + c.scratch.len())
}

/// The views after a verification with status `st`.
fn check_claims(c: &vf_claims, st: vf_status, u: &mut Unstructured<'_>) -> Result<()> {
    let name: Vec<u8> = if u.arbitrary()? {
        b"sub".to_vec()
    } else {
        u.arbitrary()?
    };
    let mut raw = vf_str {
        ptr: null(),
        len: 0,
    };
    let got = unsafe { vf_claims_get(c, name.as_ptr(), name.len(), &mut raw) };
    status_ok(got, "vf_claims_get");
    if st == vf_status::VF_OK {
        for v in views(c) {
            if v.ptr.is_null() {
                assert_eq!(v.len, 0);
                continue;
            }
            assert!(inside(c, v), "a view outside the scratch");
            let b = unsafe { std::slice::from_raw_parts(v.ptr, v.len) };
            assert!(std::str::from_utf8(b).is_ok(), "a view is not UTF-8");
        }
        assert!(!c.payload.ptr.is_null(), "no payload after success");
        assert!(c.alg < 12);
        if std::str::from_utf8(&name).is_ok() {
            assert_eq!(got, vf_status::VF_OK);
            if !raw.ptr.is_null() {
                assert!(inside(c, raw), "vf_claims_get: a view outside the scratch");
            }
        } else {
            assert_eq!(got, vf_status::VF_INVALID_ARGUMENT);
        }
    } else if st == vf_status::VF_NULL_ARGUMENT {
        // A NULL token is refused before `out` is touched: the views of an
        // earlier success stay (and stay valid, the scratch is untouched),
        // although API.md says every failure resets them. Reported, not asserted.
    } else {
        for v in views(c) {
            assert!(
                v.ptr.is_null() && v.len == 0,
                "a view left after failure ({st:?})"
            );
        }
        assert!(!c.has_exp && !c.has_nbf && !c.has_iat);
        assert_ne!(
            got,
            vf_status::VF_OK,
            "vf_claims_get after a failed verification"
        );
    }
    Ok(())
}

fn token_arg(u: &mut Unstructured<'_>) -> Result<Bytes> {
    let tokens: Vec<&[u8]> = TOKENS.iter().map(|t| t.trim().as_bytes()).collect();
    let mut b = bytes_arg(u, &tokens)?;
    if !b.null && u.ratio(1, 4)? && !b.data.is_empty() {
        // Corrupt one byte of a real token.
        let i = u.choose_index(b.data.len())?;
        b.data[i] ^= u.int_in_range(1..=255u8)?;
    }
    Ok(b)
}

fn verify_with(v: *const vf_verifier, u: &mut Unstructured<'_>, heap_free: bool) -> Result<()> {
    let n = u.int_in_range(1..=3u8)?;
    let mut claims = zeroed_claims();
    for _ in 0..n {
        let b = token_arg(u)?;
        let now = *u.choose(&[NOW, 1_764_000_000 + 3600, 1, i64::MAX, i64::MIN])?;
        let auth = u.ratio(1, 3)?;
        let header = if auth {
            let prefix =
                *u.choose(&["Bearer ", "bearer\t ", "  BEARER  ", "Basic ", "Bearer", ""])?;
            let mut h = prefix.as_bytes().to_vec();
            h.extend_from_slice(&b.data[..b.len.min(b.data.len())]);
            Some(h)
        } else {
            None
        };
        let out: *mut vf_claims = if u.ratio(1, 32)? {
            null_mut()
        } else {
            &mut *claims
        };
        let call = || unsafe {
            match &header {
                Some(h) => vf_verify_authorization(v, h.as_ptr(), h.len(), now, out),
                None => vf_verify(v, b.ptr(), b.len, now, out),
            }
        };
        let st = if heap_free {
            no_alloc("static vf_verify", call)
        } else {
            call()
        };
        status_ok(st, "vf_verify");
        if out.is_null() || (header.is_none() && b.null && b.len > 0) {
            assert_eq!(st, vf_status::VF_NULL_ARGUMENT);
        }
        if !out.is_null() {
            check_claims(&claims, st, u)?;
        }
    }
    // NULL verifier.
    let st = unsafe { vf_verify(null(), b"x".as_ptr(), 1, NOW, &mut *claims) };
    assert_eq!(st, vf_status::VF_NULL_ARGUMENT);
    Ok(())
}

fn heap(u: &mut Unstructured<'_>) -> Result<()> {
    let cfg = vf_config_new();
    assert!(!cfg.is_null());
    let ops = u.int_in_range(0..=10u8)?;
    for _ in 0..ops {
        config_op(u, cfg)?;
        if u.ratio(1, 4)? {
            last_error(cfg, u)?;
        }
    }
    let mut v: *mut vf_verifier = null_mut();
    let st = if u.ratio(1, 32)? {
        let st = unsafe { vf_verifier_new(cfg, null_mut()) };
        assert_eq!(st, vf_status::VF_NULL_ARGUMENT);
        st
    } else {
        unsafe { vf_verifier_new(cfg, &mut v) }
    };
    status_ok(st, "vf_verifier_new");
    last_error(cfg, u)?;
    if st == vf_status::VF_OK {
        assert!(!v.is_null());
        verify_with(v, u, false)?;
        if u.ratio(1, 4)? {
            let keys = vf_config_new();
            config_op(u, keys)?;
            let st = unsafe { vf_verifier_replace_keys(v, keys) };
            status_ok(st, "vf_verifier_replace_keys");
            unsafe { vf_config_free(keys) };
            verify_with(v, u, false)?;
        }
        unsafe { vf_verifier_free(v) };
    } else {
        assert!(v.is_null(), "out written on failure");
    }
    unsafe { vf_config_free(cfg) };
    Ok(())
}

fn static_verifier(u: &mut Unstructured<'_>) -> Result<()> {
    // Strings for the policy lists, kept alive across the call.
    let mut owned: Vec<Vec<CString>> = Vec::new();
    let mut ptrs: Vec<Vec<*const c_char>> = Vec::new();
    for _ in 0..6 {
        let n = u.int_in_range(0..=9u8)?;
        let mut list = Vec::new();
        for _ in 0..n {
            list.push(text_arg(u, STRINGS)?.unwrap_or_default());
        }
        ptrs.push(list.iter().map(|c| c.as_ptr()).collect());
        owned.push(list);
    }
    let mut policy = std::mem::MaybeUninit::<vf_static_policy>::uninit();
    unsafe {
        match u.int_in_range(0..=2u8)? {
            0 => vf_static_policy_default(policy.as_mut_ptr()),
            1 => vf_static_policy_clerk(policy.as_mut_ptr()),
            _ => vf_static_policy_logto(policy.as_mut_ptr()),
        }
    }
    let mut p = unsafe { policy.assume_init() };
    let lists = [
        (&mut p.issuers, &mut p.issuers_len),
        (&mut p.audiences, &mut p.audiences_len),
        (&mut p.authorized_parties, &mut p.authorized_parties_len),
        (&mut p.client_ids, &mut p.client_ids_len),
        (&mut p.typs, &mut p.typs_len),
        (&mut p.required_scopes, &mut p.required_scopes_len),
    ];
    let mut null_list = false;
    for ((ptr, len), list) in lists.into_iter().zip(&ptrs) {
        if u.ratio(1, 3)? {
            *ptr = list.as_ptr();
            *len = list.len();
            if u.ratio(1, 32)? && !list.is_empty() {
                *ptr = null();
                null_list = true;
            }
        }
    }
    p.leeway = u.arbitrary()?;
    p.max_age = if u.arbitrary()? { 0 } else { u.arbitrary()? };
    p.algorithms = if u.arbitrary()? { 0 } else { u.arbitrary()? };
    p.max_token_len = *u.choose(&[0, 1, 64, VF_MAX_TOKEN_LEN, VF_MAX_TOKEN_LEN + 1])?;
    let keys = bytes_arg(u, KEY_DOCS)?;
    // 16-aligned memory, maybe too short or misaligned.
    let mut mem = vec![0u128; VF_VERIFIER_STATIC_SIZE / 16 + 1];
    let mem_mode = u.int_in_range(0..=15u8)?;
    let (mem_ptr, mem_len) = match mem_mode {
        0 => (mem.as_mut_ptr().cast::<u8>(), VF_VERIFIER_STATIC_SIZE - 1),
        1 => (
            unsafe { mem.as_mut_ptr().cast::<u8>().add(1) },
            VF_VERIFIER_STATIC_SIZE,
        ),
        _ => (mem.as_mut_ptr().cast::<u8>(), VF_VERIFIER_STATIC_SIZE),
    };
    let mut v: *mut vf_verifier = null_mut();
    let st = no_alloc("vf_verifier_init_static", || unsafe {
        vf_verifier_init_static(mem_ptr.cast(), mem_len, keys.ptr(), keys.len, &p, &mut v)
    });
    status_ok(st, "vf_verifier_init_static");
    if mem_mode <= 1 {
        assert_eq!(
            st,
            vf_status::VF_INVALID_ARGUMENT,
            "short or misaligned memory accepted"
        );
    } else if keys.null && keys.len > 0 {
        assert_eq!(st, vf_status::VF_NULL_ARGUMENT);
    } else if null_list {
        assert_ne!(st, vf_status::VF_OK, "a NULL list with a length accepted");
    }
    if st == vf_status::VF_OK {
        assert_eq!(v.cast::<u8>(), mem_ptr, "static verifier not placed in mem");
        verify_with(v, u, true)?;
        let st = unsafe { vf_verifier_replace_keys(v, null()) };
        status_ok(st, "replace_keys on static");
        let (n, ()) = allocations(|| unsafe { vf_verifier_free(v) });
        assert_eq!(n, 0);
    }
    drop(owned);
    Ok(())
}

fn run(data: &[u8]) {
    let u = &mut Unstructured::new(data);
    let _ = if u.ratio(1, 3).unwrap_or(false) {
        static_verifier(u)
    } else {
        heap(u)
    };
    // NULL everywhere the contract checks it.
    unsafe {
        vf_config_free(null_mut());
        vf_verifier_free(null_mut());
        assert_eq!(vf_config_last_error(null(), null_mut(), 0), 0);
        let mut out = null_mut();
        assert_eq!(
            vf_verifier_new(null(), &mut out),
            vf_status::VF_NULL_ARGUMENT
        );
    }
}

fuzz_target!(|data: &[u8]| {
    // Twice: the first run may initialise lazily allocated statics; the
    // second must free everything it allocates.
    run(data);
    let before = live_bytes();
    run(data);
    assert_eq!(live_bytes(), before, "the C ABI leaked heap memory");
});
