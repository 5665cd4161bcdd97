//! Stack measurement on the paint cortex-m-rt's `paint-stack` lays down at
//! reset: every word between `_stack_end` and `_stack_start` starts as
//! `STACK_PAINT_VALUE`, and the lowest scrubbed word is the high-water mark.

use cortex_m_rt::STACK_PAINT_VALUE;

unsafe extern "C" {
    static _stack_start: u32;
    static _stack_end: u32;
}

fn bounds() -> (usize, usize) {
    // Only the symbols' addresses are used, never their contents.
    let top = core::ptr::addr_of!(_stack_start) as usize;
    let bottom = core::ptr::addr_of!(_stack_end) as usize;
    (bottom, top)
}

/// Lowest address written since the paint (or since `repaint`).
fn low_water() -> usize {
    let (bottom, top) = bounds();
    let mut p = bottom;
    while p < top {
        // SAFETY: bottom..top is the stack region of the linker script,
        // word-aligned (asserted there), and reading it has no side effects.
        if unsafe { core::ptr::read_volatile(p as *const u32) } != STACK_PAINT_VALUE {
            break;
        }
        p += 4;
    }
    p
}

/// Peak stack use of the whole run so far, in bytes.
pub fn peak() -> usize {
    bounds().1 - low_water()
}

/// Size of the stack region. A peak this large means the paint was scrubbed
/// to the very bottom: the stack ran into the statics below it (no guard on
/// these parts), so nothing after that can be trusted.
pub fn region() -> usize {
    let (bottom, top) = bounds();
    top - bottom
}

/// What a measured call took.
pub struct Use {
    /// Stack used by the call beyond its caller's frame, in bytes.
    pub depth: usize,
    /// Stack in use at the call's deepest point, from the top, in bytes.
    pub peak: usize,
}

/// Run `f`, measuring its stack. The free stack below this frame is painted
/// again first, so earlier, deeper calls do not count: callers keep the
/// running maximum of `peak` (there is no static to keep it in).
#[inline(never)]
pub fn measure<R>(f: impl FnOnce() -> R) -> (Use, R) {
    let sp = cortex_m::register::msp::read() as usize;
    repaint_below(sp);
    let r = f();
    let low = low_water();
    let used = Use {
        depth: sp - low,
        peak: bounds().1 - low,
    };
    (used, r)
}

#[inline(never)]
fn repaint_below(caller_sp: usize) {
    // Leave a margin for this function's own frame, which sits below caller_sp.
    let (bottom, _) = bounds();
    let end = caller_sp.saturating_sub(256) & !3;
    let mut p = bottom;
    while p < end {
        // SAFETY: bottom..end lies below every live frame (the margin covers
        // this one) and no interrupt handler runs, so nothing owns it.
        unsafe { core::ptr::write_volatile(p as *mut u32, STACK_PAINT_VALUE) };
        p += 4;
    }
}
