//! Exports for the WebAssembly build only (the Go module's backend without
//! cgo, on wazero). The host has no C allocator to call, so it asks the
//! module's own for the memory it passes tokens, keys and strings through,
//! and gives it back with the same length.

use std::alloc::{Layout, alloc, dealloc};

/// `len` bytes (at least 1) aligned for any `vf_*` struct, or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn vf_wasm_alloc(len: usize) -> *mut u8 {
    match Layout::from_size_align(len.max(1), 8) {
        // SAFETY: the size is non-zero.
        Ok(layout) => unsafe { alloc(layout) },
        Err(_) => std::ptr::null_mut(),
    }
}

/// Free what `vf_wasm_alloc(len)` returned. NULL is a no-op.
///
/// # Safety
/// `ptr` is NULL or came from `vf_wasm_alloc` with this `len`, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vf_wasm_free(ptr: *mut u8, len: usize) {
    if ptr.is_null() {
        return;
    }
    if let Ok(layout) = Layout::from_size_align(len.max(1), 8) {
        // SAFETY: the caller's contract: allocated above with this layout.
        unsafe { dealloc(ptr, layout) }
    }
}
