//! Verification through the C ABI allocates nothing, and the static
//! verifier uses no heap at all (building included): a counting global
//! allocator, counting only on the test's own thread, proves it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::mem::MaybeUninit;

use verifier::*;

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
        }
        // SAFETY: forwarded.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by `f` on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    COUNT.with(|c| c.set(0));
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    COUNT.with(Cell::get)
}

fn example(path: &str) -> Vec<u8> {
    let p = format!("{}/../examples/{path}", env!("CARGO_MANIFEST_DIR"));
    let mut v = std::fs::read(p).unwrap();
    while v.last().is_some_and(u8::is_ascii_whitespace) {
        v.pop();
    }
    v
}

const NOW: i64 = 1_764_000_000;

#[test]
fn verification_allocates_nothing() {
    let jwks = example("keys/clerk-jwks.json");
    let pem = example("keys/clerk.pem");
    let token = example("tokens/clerk.jwt");
    let header = [b"Bearer ".as_slice(), &token].concat();
    let mut claims: Box<MaybeUninit<vf_claims>> = Box::new_uninit();
    let out = claims.as_mut_ptr();

    // SAFETY: every pointer is valid for the lengths given; out is a vf_claims.
    unsafe {
        let cfg = vf_config_new();
        assert_eq!(
            vf_config_add_jwks(cfg, jwks.as_ptr(), jwks.len()),
            vf_status::VF_OK
        );
        assert_eq!(vf_config_preset_clerk(cfg), vf_status::VF_OK);
        assert_eq!(
            vf_config_add_issuer(cfg, c"https://clerk.example.com".as_ptr()),
            vf_status::VF_OK
        );
        assert_eq!(
            vf_config_add_authorized_party(cfg, c"https://app.example.com".as_ptr()),
            vf_status::VF_OK
        );
        let mut v = std::ptr::null_mut();
        assert_eq!(vf_verifier_new(cfg, &mut v), vf_status::VF_OK);
        vf_config_free(cfg);

        let n = allocations(|| {
            for _ in 0..3 {
                let s = vf_verify(v, token.as_ptr(), token.len(), NOW, out);
                assert_eq!(s, vf_status::VF_OK);
                let s = vf_verify_authorization(v, header.as_ptr(), header.len(), NOW, out);
                assert_eq!(s, vf_status::VF_OK);
                let mut raw = vf_str {
                    ptr: std::ptr::null(),
                    len: 0,
                };
                assert_eq!(
                    vf_claims_get(out, b"sid".as_ptr(), 3, &mut raw),
                    vf_status::VF_OK
                );
                assert!(!raw.ptr.is_null());
                let s = vf_verify(v, token.as_ptr(), token.len(), NOW + 86_400, out);
                assert_eq!(s, vf_status::VF_EXPIRED);
                let s = vf_verify(v, token.as_ptr(), 10, NOW, out);
                assert_eq!(s, vf_status::VF_MALFORMED_TOKEN);
            }
        });
        assert_eq!(n, 0, "allocations while verifying");
        vf_verifier_free(v);

        // The static verifier: no heap from initialisation to the end.
        #[repr(C, align(16))]
        struct Mem([u8; VF_VERIFIER_STATIC_SIZE]);
        let mut mem = Box::new(Mem([0; VF_VERIFIER_STATIC_SIZE]));
        let mut policy = MaybeUninit::<vf_static_policy>::uninit();
        let n = allocations(|| {
            vf_static_policy_clerk(policy.as_mut_ptr());
            let issuers = [c"https://clerk.example.com".as_ptr()];
            let parties = [c"https://app.example.com".as_ptr()];
            let mut p = policy.assume_init();
            p.issuers = issuers.as_ptr();
            p.issuers_len = 1;
            p.authorized_parties = parties.as_ptr();
            p.authorized_parties_len = 1;
            let mut v = std::ptr::null_mut();
            let s = vf_verifier_init_static(
                mem.0.as_mut_ptr().cast(),
                VF_VERIFIER_STATIC_SIZE,
                pem.as_ptr(),
                pem.len(),
                &p,
                &mut v,
            );
            assert_eq!(s, vf_status::VF_OK);
            let s = vf_verify(v, token.as_ptr(), token.len(), NOW, out);
            assert_eq!(s, vf_status::VF_OK);
            vf_verifier_free(v);
        });
        assert_eq!(n, 0, "allocations by the static verifier");
    }
}
