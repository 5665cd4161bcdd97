//! Test helpers shared by the Montgomery arithmetic's differential tests
//! (`monty.rs`, `monty_d13.rs`): a seeded generator, and the plain modular
//! product and power of crypto-bigint they are compared with.

extern crate std;
use crypto_bigint::{BoxedUint, ConcatenatingMul, NonZero};
use std::vec::Vec;

/// xorshift64*, seeded: the same cases on every run.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    // Only the 13-bit digits' tests draw bytes.
    #[allow(dead_code)]
    pub(crate) fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// `a b mod n`.
pub(crate) fn mul_mod(a: &BoxedUint, b: &BoxedUint, n: &NonZero<BoxedUint>) -> BoxedUint {
    a.concatenating_mul(b).rem_vartime(n)
}

/// `s^e mod n`, square-and-multiply on `mul_mod`.
pub(crate) fn pow_ref(s: &BoxedUint, e: u64, n: &NonZero<BoxedUint>) -> BoxedUint {
    let mut acc = BoxedUint::one().rem_vartime(n);
    for bit in (0..64 - e.leading_zeros()).rev() {
        acc = mul_mod(&acc, &acc, n);
        if (e >> bit) & 1 == 1 {
            acc = mul_mod(&acc, s, n);
        }
    }
    acc
}
