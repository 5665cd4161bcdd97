//! Strict, zero-copy, allocation-free JSON (being written).
