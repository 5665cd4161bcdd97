//! Empty: see tests/no_alloc.rs.
