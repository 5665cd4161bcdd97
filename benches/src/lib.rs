//! Shared pieces of the libverifier benchmarks: a CPU-time measurement, the
//! committed keys and tokens, and one verifier per library under the same
//! interface, so every group runs every library on the same token.

pub mod adversarial;
pub mod capi;
pub mod cpu_time;
pub mod data;
pub mod machine;
pub mod overhead;
pub mod peers;
