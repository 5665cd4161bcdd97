//! RSA verification on crypto-bigint (being written).
