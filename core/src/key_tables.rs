//! The table part of a pinned key (`ec-tables`): an EC or Ed25519 key's
//! counted reference to its comb in a process-wide pool
//! (`crypto/table_pool.rs`), attached by `keys.rs` once a load has succeeded.
//! Kept apart from `keys.rs`, which is about key formats and selection.

use crate::keys::{Key, Material};

#[cfg(any(feature = "p256", feature = "p384"))]
/// An EC public key and, with `ec-tables`, a counted reference to its
/// precomputed comb in a process-wide pool (so the key stays small; see
/// `ec_tables`). Attached last, once the key's load has succeeded.
#[derive(Clone)]
pub(crate) struct EcKey<K, T> {
    pub(crate) key: K,
    pub(crate) table: Option<T>,
}

/// An Ed25519 key and, with `ec-tables`, its comb (see `ed_tables`).
#[cfg(feature = "eddsa")]
#[derive(Clone)]
pub(crate) struct EdKey {
    pub(crate) key: ed25519_dalek::VerifyingKey,
    pub(crate) table: Option<EdTable>,
}

// The key, where code only needs the key (`k.as_bytes()`).
#[cfg(feature = "eddsa")]
impl core::ops::Deref for EdKey {
    type Target = ed25519_dalek::VerifyingKey;
    fn deref(&self) -> &Self::Target {
        &self.key
    }
}

#[cfg(all(feature = "p256", feature = "ec-tables"))]
pub(crate) type P256Table = crate::crypto::table_pool::TableRef<crate::ec_tables::P256Comb>;
#[cfg(all(feature = "p384", feature = "ec-tables"))]
pub(crate) type P384Table = crate::crypto::table_pool::TableRef<crate::ec_tables::P384Comb>;
#[cfg(all(feature = "eddsa", feature = "ec-tables"))]
pub(crate) type EdTable = crate::crypto::table_pool::TableRef<crate::ed_tables::EdComb>;
/// Without tables the slot is always `None`.
#[cfg(all(feature = "p256", not(feature = "ec-tables")))]
pub(crate) type P256Table = ();
#[cfg(all(feature = "p384", not(feature = "ec-tables")))]
pub(crate) type P384Table = ();
#[cfg(all(feature = "eddsa", not(feature = "ec-tables")))]
pub(crate) type EdTable = ();

impl Material {
    /// Take a table slot for an EC or Ed25519 key (`ec-tables`). Called once
    /// a load can no longer fail, so a refused key never holds a slot.
    pub(crate) fn attach_table(&mut self) {
        match self {
            #[cfg(all(feature = "p256", feature = "ec-tables"))]
            Material::P256(k) if k.table.is_none() => {
                k.table = crate::ec_tables::P256.key(k.key.as_affine());
            }
            #[cfg(all(feature = "p384", feature = "ec-tables"))]
            Material::P384(k) if k.table.is_none() => {
                k.table = crate::ec_tables::P384.key(k.key.as_affine());
            }
            #[cfg(all(feature = "eddsa", feature = "ec-tables"))]
            Material::Ed25519(k) if k.table.is_none() => {
                k.table = crate::ed_tables::claim(&k.key.to_edwards());
            }
            _ => {}
        }
    }

    fn has_table(&self) -> bool {
        match self {
            #[cfg(feature = "p256")]
            Material::P256(k) => k.table.is_some(),
            #[cfg(feature = "p384")]
            Material::P384(k) => k.table.is_some(),
            #[cfg(feature = "eddsa")]
            Material::Ed25519(k) => k.table.is_some(),
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }

    fn drop_table(&mut self) {
        match self {
            #[cfg(feature = "p256")]
            Material::P256(k) => k.table = None,
            #[cfg(feature = "p384")]
            Material::P384(k) => k.table = None,
            #[cfg(feature = "eddsa")]
            Material::Ed25519(k) => k.table = None,
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }
}

impl Key {
    /// Whether the key verifies through a precomputed table (`ec-tables`).
    /// For tests of the table pools.
    #[doc(hidden)]
    pub fn has_table(&self) -> bool {
        self.material.has_table()
    }

    /// The key without its table, so it verifies on the fallback path (and
    /// its slot, if no clone uses it, returns to the pool). For tests.
    #[doc(hidden)]
    pub fn without_table(mut self) -> Key {
        self.material.drop_table();
        self
    }
}
