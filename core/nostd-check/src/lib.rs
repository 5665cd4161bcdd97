//! A no_std, allocator-free consumer of core: verifies the shipped example
//! tokens so the whole verify path is linked in, not just declared.
#![no_std]
#![deny(unsafe_code)]

use verifier_core::{Policy, Verifier};

const CLERK_JWKS: &[u8] = include_bytes!("../../../examples/keys/clerk-jwks.json");
const CLERK_TOKEN: &[u8] = include_bytes!("../../../examples/tokens/clerk.jwt");
const LOGTO_JWKS: &[u8] = include_bytes!("../../../examples/keys/logto-jwks.json");
const LOGTO_TOKEN: &[u8] = include_bytes!("../../../examples/tokens/logto.jwt");
const NOW: i64 = 1_764_000_000;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}

fn trim(t: &[u8]) -> &[u8] {
    t.strip_suffix(b"\n").unwrap_or(t)
}

/// 0 when both example tokens verify, else the first error's code.
#[allow(unsafe_code)] // only to export an unmangled symbol for the C link
#[unsafe(no_mangle)]
pub extern "C" fn nostd_check() -> u32 {
    let mut buf = [0u8; 4096];
    let clerk = match Verifier::<2>::from_jwks(CLERK_JWKS) {
        Ok(v) => v,
        Err(e) => return e.code(),
    };
    let policy = match Policy::clerk(&["https://clerk.example.com"], &["https://app.example.com"]) {
        Ok(p) => p,
        Err(e) => return e.code(),
    };
    if let Err(e) = clerk.verify(trim(CLERK_TOKEN), NOW, &policy, &mut buf) {
        return e.code();
    }
    let logto = match Verifier::<2>::from_jwks(LOGTO_JWKS) {
        Ok(v) => v,
        Err(e) => return e.code(),
    };
    let policy = match Policy::logto(&["https://tenant.logto.app/oidc"], &["https://api.example.com"], &["m2mapp"]) {
        Ok(p) => p,
        Err(e) => return e.code(),
    };
    match logto.verify(trim(LOGTO_TOKEN), NOW, &policy, &mut buf) {
        Ok(_) => 0,
        Err(e) => e.code(),
    }
}
