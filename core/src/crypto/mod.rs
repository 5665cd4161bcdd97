//! The audit boundary: every piece of hand-written public-key arithmetic on
//! the verify path lives here, and nowhere else. Each file opens with what it
//! computes, the reference it must agree with, and the test that proves it.
//!
//! | module | computes | reference | tests |
//! |---|---|---|---|
//! | `monty` | Montgomery products, `s^e mod n` | crypto-bigint | its unit tests (64- and 32-bit words) |
//! | `monty/acc`, `monty/acc_split` | a column's sum of word products (add-with-carry on x86_64, SIMD on wasm32, portable elsewhere) | — | `monty`'s tests, with each accumulator (`make test-portable-acc`, `make test-split-acc`) |
//! | `monty/barrett` | `s R mod n` by a Barrett quotient (Montgomery form for PSS, 2304-4096 bits) | crypto-bigint | `monty`'s `barrett_entry`, `rsa`'s `large_public_op_matches_generic_pow` |
//! | `rsa` | RSASSA-PKCS1-v1_5 and PSS verification | `rsa` crate | `tests/wycheproof_rsa.rs`, fuzz `rsa_diff` |
//! | `ecdsa_vartime` | ECDSA `u1·G + u2·Q` by wNAF | `p256`/`p384` | `tests/ecdsa_vartime_diff.rs`, fuzz `ecdsa_diff` |
//! | `ecdsa_g_tables` | generated odd multiples of G | `p256`/`p384` | `ecdsa_vartime_diff::g_tables_are_current` |
//! | `ec_tables` | ECDSA through fixed-base combs | `p256`/`p384` | `tests/ec_tables_diff.rs`, fuzz `ecdsa_diff` |
//! | `ed_tables` | Ed25519 through fixed-base combs | ed25519-dalek `verify_strict` | `tests/ed_tables_diff.rs`, fuzz `ed25519_diff` |
//! | `recode` | signed-digit recoding for the combs | integer arithmetic | `recode`'s unit tests, both comb diffs |
//! | `table_pool` | process-wide, reference-counted comb slots | — | `tests/table_pool.rs` |
//!
//! The signature dispatcher (`crate::signature`) stays outside: it chooses a
//! path, it does no arithmetic.

#[cfg(all(feature = "ec-tables", any(feature = "p256", feature = "p384")))]
pub mod ec_tables;
#[cfg(any(feature = "p256", feature = "p384"))]
mod ecdsa_g_tables;
#[cfg(any(feature = "p256", feature = "p384"))]
pub mod ecdsa_vartime;
#[cfg(all(feature = "ec-tables", feature = "eddsa"))]
pub mod ed_tables;
#[cfg(feature = "rsa")]
mod monty;
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
