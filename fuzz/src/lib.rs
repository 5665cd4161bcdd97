//! Shared pieces of the fuzz targets: a counting allocator (the core promises
//! never to allocate), an order-preserving serde_json tree used as the JSON
//! oracle, and the pinned test keys.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

pub mod tree;

pub use base64ct::{Base64UrlUnpadded, Encoding};

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
    /// Bytes allocated minus bytes freed on this thread, always kept.
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

// SAFETY: forwards to `System`; the bookkeeping touches only const-initialised
// thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump();
        live(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        bump();
        live(layout.size() as isize);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        live(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        bump();
        live(new as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new) }
    }
}

fn bump() {
    // try_with: the allocator may run during thread teardown.
    let _ = COUNTING.try_with(|on| {
        if on.get() {
            let _ = COUNT.try_with(|c| c.set(c.get() + 1));
        }
    });
}

fn live(delta: isize) {
    let _ = LIVE.try_with(|l| l.set(l.get() + delta));
}

/// Heap bytes allocated and not yet freed by this thread (a leak check:
/// compare before and after a self-contained piece of work).
pub fn live_bytes() -> isize {
    LIVE.with(Cell::get)
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Run `f`, returning its result and the heap allocations it made on this thread.
pub fn allocations<R>(f: impl FnOnce() -> R) -> (usize, R) {
    COUNT.with(|c| c.set(0));
    COUNTING.with(|c| c.set(true));
    let r = f();
    COUNTING.with(|c| c.set(false));
    (COUNT.with(Cell::get), r)
}

/// Run `f` and panic (a libFuzzer crash) if it allocated.
#[track_caller]
pub fn no_alloc<R>(what: &str, f: impl FnOnce() -> R) -> R {
    let (n, r) = allocations(f);
    assert_eq!(
        n, 0,
        "{what}: {n} heap allocation(s) where the core promises none"
    );
    r
}

/// `now` at which the core test tokens are valid.
pub const NOW: i64 = 1_764_000_000;

/// The test fixtures' JWKS: RSA 2048/3072/4096, P-256, P-384, Ed25519, HS256/384/512
/// (plus a secp256k1 and an `enc` key the loader skips).
pub const TEST_JWKS: &[u8] = include_bytes!("../../core/tests/data/keys/jwks.json");

/// The HMAC secrets of `TEST_JWKS` (kid = the algorithm name, lower case).
pub const HS256_SECRET_B64: &str = include_str!("../../core/tests/data/keys/hs256.secret.b64url");
pub const HS384_SECRET_B64: &str = include_str!("../../core/tests/data/keys/hs384.secret.b64url");
pub const HS512_SECRET_B64: &str = include_str!("../../core/tests/data/keys/hs512.secret.b64url");

/// Decode unpadded base64url (panics on bad input: for fixtures only).
pub fn b64d(s: &str) -> Vec<u8> {
    Base64UrlUnpadded::decode_vec(s.trim()).expect("fixture base64url")
}

/// Encode unpadded base64url.
pub fn b64e(b: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(b)
}
