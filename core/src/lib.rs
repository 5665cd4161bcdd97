//! libverifier core: allocation-free verification of compact JWS / JWT tokens
//! against pinned public keys. `#![no_std]`, no `alloc`, no `unsafe`.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
pub mod hash;
#[cfg(feature = "rsa")]
pub mod rsa;
pub mod json;

pub use error::Error;
