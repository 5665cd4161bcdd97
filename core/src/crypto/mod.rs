//! The audit boundary: every piece of hand-written public-key arithmetic on
//! the verify path lives here, and nowhere else. Each file opens with what it
//! computes, the reference it must agree with, and the test that proves it.
//!
//! | module | computes | reference | tests |
//! |---|---|---|---|
//! | `monty` | Montgomery products, `s^e mod n` | crypto-bigint | its unit tests (64- and 32-bit words) |
//! | `monty/rows` | Montgomery products and squares by operand scanning (32-bit words: every Cortex-M build) | crypto-bigint | `monty`'s tests and `tests/wycheproof_rsa.rs` under `rsa-word32` (`make test-word32`) |
//! | `monty/acc`, `monty/acc_split` | a column's sum of word products (add-with-carry on x86_64, SIMD on wasm32, portable elsewhere) | — | `monty`'s tests, with each accumulator (`make test-portable-acc`, `make test-split-acc`) |
//! | `monty_d13` | `s^e mod n` for 2048-bit n on 13-bit digits, by WebAssembly's 16-bit dot product (the Go module's build) | crypto-bigint, `rsa` crate | its unit tests, `rsa`'s tests and `tests/wycheproof_rsa.rs` under `rsa-d13` (`make test-split-acc`); `go/wasm_diff_test.go` on the real build |
//! | `monty/barrett` | `s R mod n` by a Barrett quotient (Montgomery form for PSS, 2304-4096 bits) | crypto-bigint | `monty`'s `barrett_entry`, `rsa`'s `large_public_op_matches_generic_pow` |
//! | `rsa` | RSASSA-PKCS1-v1_5 and PSS verification | `rsa` crate | `tests/wycheproof_rsa.rs`, fuzz `rsa_diff` |
//! | `ecdsa_vartime` | ECDSA `u1·G + u2·Q` by wNAF (P-256, P-384, P-521) | `p256`/`p384`/`p521` | `tests/ecdsa_vartime_diff.rs`, fuzz `ecdsa_diff` |
//! | `ecdsa_p384_fe` | P-384 field arithmetic on 32-bit words (Montgomery), `ecdsa_vartime`'s and the combs' on wasm32 | `p384`'s `FieldElement` | its unit tests; `ecdsa_vartime`'s and the combs' tests with `p384-fe32` (`make test-word32`), fuzz `ecdsa_diff` |
//! | `ecdsa_p256_fe` | P-256 field arithmetic on 32-bit words (Montgomery), `ecdsa_vartime`'s and the combs' on 32-bit targets | `p256`'s `FieldElement` | its unit tests; `ecdsa_vartime`'s tests and fuzz `ecdsa_diff` with `p256-fe32` (`make test-word32`) |
//! | `ecdsa_g_tables` | generated odd multiples of G | `p256`/`p384`/`p521` | `ecdsa_vartime_diff::g_tables_are_current` |
//! | `ec_tables` | ECDSA through fixed-base combs | `p256`/`p384` | `tests/ec_tables_diff.rs`, fuzz `ecdsa_diff` |
//! | `ed_tables` | Ed25519 through fixed-base combs | ed25519-dalek `verify_strict` | `tests/ed_tables_diff.rs`, fuzz `ed25519_diff` |
//! | `recode` | signed-digit recoding for the combs | integer arithmetic | `recode`'s unit tests, both comb diffs |
//! | `table_pool` | process-wide, reference-counted comb slots | — | `tests/table_pool.rs` |
//!
//! The signature dispatcher (`crate::signature`) stays outside: it chooses a
//! path, it does no arithmetic.

// Before the field modules: `unroll!` is visible only in modules declared after it.
#[cfg(any(
    feature = "p256",
    all(feature = "p384", any(target_arch = "wasm32", feature = "p384-fe32"))
))]
#[macro_use]
mod fe32;
#[cfg(all(feature = "ec-tables", any(feature = "p256", feature = "p384")))]
pub mod ec_tables;
#[cfg(any(feature = "p256", feature = "p384", feature = "p521"))]
mod ecdsa_g_tables;
#[cfg(feature = "p256")]
mod ecdsa_p256_fe;
// Core's own P-384 field: wasm32 (the Go module's build) and the tests.
#[cfg(all(test, feature = "rsa"))]
mod bigint_ref;
#[cfg(all(feature = "p384", any(target_arch = "wasm32", feature = "p384-fe32")))]
mod ecdsa_p384_fe;
#[cfg(any(feature = "p256", feature = "p384", feature = "p521"))]
pub mod ecdsa_vartime;
#[cfg(all(feature = "ec-tables", feature = "eddsa"))]
pub mod ed_tables;
#[cfg(feature = "rsa")]
mod monty;
// The 2048-bit RSA class on WebAssembly (the Go module's build) and the tests.
#[cfg(all(
    feature = "rsa",
    any(
        all(target_arch = "wasm32", target_feature = "simd128"),
        feature = "rsa-d13"
    )
))]
mod monty_d13;
#[cfg(all(
    feature = "ec-tables",
    any(feature = "p256", feature = "p384", feature = "eddsa")
))]
mod recode;
#[cfg(feature = "rsa")]
pub mod rsa;
#[cfg(all(
    feature = "ec-tables",
    any(feature = "p256", feature = "p384", feature = "eddsa")
))]
pub(crate) mod table_pool;

/// `a·b` as a double word. On ARMv6-M (Cortex-M0/M0+/M1: no `UMULL`), LLVM
/// calls the 64×64-bit `__aeabi_lmul` for this; four 16×16-bit `MULS` do it
/// in about half the instructions. Elsewhere the plain product (one `UMULL`).
// `v6` and `thumb2` are unstable cfgs: a stable compiler sees neither and
// takes the plain product, which is as correct.
#[inline(always)]
#[allow(dead_code)] // Used by the P-256 field and 32-bit RSA rows, per build.
pub(crate) const fn mul_wide(a: u32, b: u32) -> u64 {
    #[cfg(all(
        target_arch = "arm",
        target_feature = "v6",
        not(target_feature = "thumb2")
    ))]
    {
        mul_wide_halves(a, b)
    }
    #[cfg(not(all(
        target_arch = "arm",
        target_feature = "v6",
        not(target_feature = "thumb2")
    )))]
    {
        (a as u64) * (b as u64)
    }
}

/// `a·b` from the four products of 16-bit halves, each exact in 32 bits.
#[inline(always)]
#[allow(dead_code)]
const fn mul_wide_halves(a: u32, b: u32) -> u64 {
    let (al, ah) = (a & 0xffff, a >> 16);
    let (bl, bh) = (b & 0xffff, b >> 16);
    let ll = al * bl;
    let hh = ah * bh;
    // The middle terms sum below 2^33: the carry out weighs 2^48.
    let (mid, mid_carry) = (al * bh).overflowing_add(ah * bl);
    let (lo, lo_carry) = ll.overflowing_add(mid << 16);
    let hi = hh + (mid >> 16) + ((mid_carry as u32) << 16) + lo_carry as u32;
    ((hi as u64) << 32) | lo as u64
}

#[cfg(test)]
mod tests {
    #[test]
    fn mul_wide_halves_is_the_product() {
        let edges = [
            0u32,
            1,
            2,
            0xffff,
            0x1_0000,
            0x1_0001,
            0x8000_0000,
            0xffff_0000,
            0xffff_ffff,
            0xfffe_ffff,
        ];
        let mut x = 0x9e37_79b9_u32;
        let mut vals = edges.to_vec();
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            vals.push(x);
        }
        for (i, &a) in vals.iter().enumerate() {
            for &b in vals.iter().skip(i % 7).step_by(37).chain(&edges) {
                assert_eq!(
                    super::mul_wide_halves(a, b),
                    u64::from(a) * u64::from(b),
                    "{a:#x} {b:#x}"
                );
            }
        }
    }
}
