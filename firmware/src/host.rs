//! Output to the QEMU host over semihosting, without `core::fmt` or statics:
//! the firmware's flash and RAM figures should be the verifier's, not a
//! formatter's.

use cortex_m_semihosting::{debug, hio};

/// A line-oriented writer on the host's stdout.
pub struct Out(Option<hio::HostStream>);

impl Out {
    pub fn open() -> Out {
        Out(hio::hstdout().ok())
    }

    pub fn str(&mut self, s: &str) -> &mut Self {
        if let Some(h) = self.0.as_mut() {
            let _ = h.write_all(s.as_bytes());
        }
        self
    }

    pub fn num(&mut self, mut n: u64) -> &mut Self {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        // Only ASCII digits were written.
        self.str(core::str::from_utf8(&digits[i..]).unwrap_or("?"))
    }

    pub fn nl(&mut self) -> &mut Self {
        self.str("\n")
    }
}

/// End the QEMU run with the verdict as its exit status.
pub fn exit(success: bool) -> ! {
    debug::exit(if success {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    // Only reached off QEMU (no semihosting host): park.
    loop {
        cortex_m::asm::wfi();
    }
}
