//! libverifier on a Cortex-M: pin keys, verify a set of tokens against a full
//! claims policy, and exit 0 under QEMU only if every verdict is the expected
//! one. Also reports the RAM figures `scripts/firmware-table.sh` tabulates.
//!
//! Build variants are cargo features: `es256`, `rs256`, or both.
#![no_std]
#![no_main]

#[cfg(not(any(feature = "es256", feature = "rs256")))]
compile_error!("enable at least one algorithm feature: es256, rs256");

mod cases;
mod host;
mod marks;
mod stack;

use core::mem::MaybeUninit;

use cortex_m_rt::{ExceptionFrame, entry, exception};
use verifier_core::{Error, Policy, Verifier, scratch_len};

use cases::{CASES, Case, MAX_TOKEN_LEN, NOW, SUB, Window};
use host::Out;

/// One pinned key per algorithm the build carries.
const NKEYS: usize = cfg!(feature = "es256") as usize + cfg!(feature = "rs256") as usize;

/// The pinned keys, one per algorithm the build carries.
const JWKS: &[(&str, &[u8])] = &[
    #[cfg(feature = "es256")]
    ("es256", include_bytes!("../data/es256.jwk.json")),
    #[cfg(feature = "rs256")]
    ("rs256", include_bytes!("../data/rs256.jwk.json")),
];

/// Add one key, built in its slot in the verifier: no key is ever moved, so
/// loading takes one key's construction temporaries, not copies of the key
/// set. Out of line so that its stack is measured as key loading.
#[inline(never)]
fn add_key(verifier: &mut Verifier<NKEYS>, jwk: &[u8]) -> Result<(), Error> {
    verifier.keys_mut().add_jwk(jwk)
}
/// What the verifier decided about one token.
enum Verdict {
    /// Verified, and the claims read back are the ones signed.
    Verified,
    /// Verified, but a claim read back differs from what was signed.
    WrongClaims,
    Refused(Error),
}

fn judge(verifier: &Verifier<NKEYS>, policy: &Policy<'_>, case: &Case, buf: &mut [u8]) -> Verdict {
    let start_stop: Option<(extern "C" fn(), extern "C" fn())> = match case.window {
        #[cfg(feature = "es256")]
        Window::Es256 => Some((marks::fw_mark_es256_start, marks::fw_mark_es256_stop)),
        #[cfg(feature = "rs256")]
        Window::Rs256 => Some((marks::fw_mark_rs256_start, marks::fw_mark_rs256_stop)),
        Window::None => None,
    };
    if let Some((start, _)) = start_stop {
        start();
    }
    let result = verifier.verify(case.token, NOW, policy, buf);
    if let Some((_, stop)) = start_stop {
        stop();
    }
    match result {
        Err(e) => Verdict::Refused(e),
        Ok(v) => {
            let c = &v.claims;
            let right = c.sub() == Some(SUB)
                && c.client_id() == Some("fleet-ota")
                && c.has_scope("read:telemetry")
                && c.has_audience("https://other.example.com")
                && c.jti() == Some("a1b2c3d4")
                && c.exp() == Some(NOW + 600);
            if right {
                Verdict::Verified
            } else {
                Verdict::WrongClaims
            }
        }
    }
}

#[entry]
fn main() -> ! {
    // The caller's buffers live in static RAM, as on a device: cortex-m-rt
    // hands these to `main` as `&'static mut`. Nothing else is static.
    // Uninit, not `Option`: a `None` is not all zeros, so it would sit in
    // `.data` and cost its size in flash too.
    static mut VERIFIER: MaybeUninit<Verifier<NKEYS>> = MaybeUninit::uninit();
    static mut BUF: [u8; scratch_len(MAX_TOKEN_LEN)] = [0; scratch_len(MAX_TOKEN_LEN)];

    let mut out = Out::open();

    // The verifier is built in its static slot, and each key in its place
    // there (`Verifier::new` would move the whole key set).
    let verifier = VERIFIER.write(Verifier::empty());
    verifier.set_max_token_len(MAX_TOKEN_LEN);
    // Markers inside the measured call: the key-load instruction count leaves
    // out the stack painting.
    let (keys_stack, loaded) = stack::measure(|| {
        marks::fw_mark_keys_start();
        let loaded = JWKS
            .iter()
            .try_for_each(|(name, jwk)| add_key(verifier, jwk).map_err(|e| (*name, e)));
        marks::fw_mark_keys_stop();
        loaded
    });
    if let Err((name, e)) = loaded {
        out.str("FAIL loading pinned key ")
            .str(name)
            .str(": ")
            .str(e.name())
            .nl();
        host::exit(false)
    }
    let mut peak = keys_stack.peak;
    let verifier: &Verifier<NKEYS> = verifier;

    let policy = cases::policy();
    // Enough scratch for any token the verifier accepts.
    let buf: &mut [u8] = BUF;
    let mut failures = 0u64;
    let mut verify_stack = 0;
    #[cfg_attr(not(feature = "es256"), allow(unused_mut))]
    let mut es256_stack = 0;
    #[cfg_attr(not(feature = "rs256"), allow(unused_mut))]
    let mut rs256_stack = 0;
    for case in CASES {
        let (used, verdict) = stack::measure(|| judge(verifier, &policy, case, buf));
        verify_stack = verify_stack.max(used.depth);
        peak = peak.max(used.peak);
        match case.window {
            #[cfg(feature = "es256")]
            Window::Es256 => es256_stack = used.depth,
            #[cfg(feature = "rs256")]
            Window::Rs256 => rs256_stack = used.depth,
            Window::None => {}
        }
        let right = match (&verdict, case.expect) {
            (Verdict::Verified, None) => true,
            (Verdict::Refused(got), Some(want)) => *got == want,
            _ => false,
        };
        out.str(if right { "pass " } else { "FAIL " })
            .str(case.name);
        match verdict {
            Verdict::Verified => out.str(": verified, sub ").str(SUB),
            Verdict::WrongClaims => out.str(": verified but the claims read back are wrong"),
            Verdict::Refused(e) => out.str(": refused, ").str(e.name()),
        };
        if !right {
            out.str(" (expected ")
                .str(case.expect.map_or("verified", Error::name))
                .str(")");
            failures += 1;
        }
        out.nl();
    }

    let peak = peak.max(stack::peak());
    if peak >= stack::region() {
        out.str("FAIL the stack overflowed into static RAM").nl();
        failures += 1;
    }

    // Figures for scripts/firmware-table.sh, one `fw.name=value` a line.
    let figures: [(&str, usize); 7] = [
        ("fw.verifier_bytes", size_of::<Verifier<NKEYS>>()),
        ("fw.scratch_bytes", buf.len()),
        ("fw.stack_key_load", keys_stack.depth),
        ("fw.stack_verify_max", verify_stack),
        ("fw.stack_verify_es256", es256_stack),
        ("fw.stack_verify_rs256", rs256_stack),
        ("fw.stack_peak", peak),
    ];
    for (name, value) in figures {
        out.str(name).str("=").num(value as u64).nl();
    }
    out.str("fw.cases=").num(CASES.len() as u64).nl();
    out.str("fw.failures=").num(failures).nl();
    if failures == 0 {
        out.str("firmware: all verdicts right").nl();
    } else {
        out.str("firmware: WRONG VERDICTS").nl();
    }
    host::exit(failures == 0)
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    Out::open().str("FAIL panic").nl();
    host::exit(false)
}

#[exception]
unsafe fn HardFault(_: &ExceptionFrame) -> ! {
    Out::open().str("FAIL hard fault").nl();
    host::exit(false)
}
