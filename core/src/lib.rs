//! libverifier core: allocation-free verification of compact JWS / JWT tokens
//! against pinned public keys. `#![no_std]`, no `alloc`, no `unsafe`.
//!
//! ```text
//! keys (JWKS / JWK / PEM / secret) -> KeySet -> Verifier   (once, at start-up)
//! token + now + Policy + scratch buffer -> Verified { header, claims }   (per request, &self)
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod alg;
mod b64;
pub mod cache;
pub mod claims;
mod crypto;
mod der;
mod error;
pub mod explain;
#[doc(hidden)]
pub mod fnv_collisions;
pub mod hash;
pub mod header;
pub mod json;
mod key_tables;
pub mod keys;
pub mod policy;
pub mod route;
pub mod signature;
#[cfg(test)]
mod test_util;
pub mod token;
mod verifier;

// The hand-written arithmetic, at the paths it has always had.
#[cfg(all(feature = "ec-tables", any(feature = "p256", feature = "p384")))]
pub use crypto::ec_tables;
#[cfg(any(feature = "p256", feature = "p384", feature = "p521"))]
pub use crypto::ecdsa_vartime;
#[cfg(all(feature = "ec-tables", feature = "eddsa"))]
pub use crypto::ed_tables;
#[cfg(feature = "rsa")]
pub use crypto::rsa;

pub use alg::{AlgSet, Algorithm};
pub use cache::CachedVerifier;
pub use claims::Claims;
pub use error::Error;
pub use header::Header;
pub use keys::{Key, KeySet};
pub use policy::Policy;
pub use signature::verify as verify_signature;
pub use verifier::{DEFAULT_MAX_TOKEN_LEN, Jws, Verified, Verifier, scratch_len};
