//! Process-wide pools of precomputed tables (the combs of `ec_tables` and
//! `ed_tables`), one slot per distinct pinned key, reference-counted by the
//! keys that use it.
//!
//! Why a pool of statics with reference counts, rather than tables owned by
//! the caller: a comb is 100-200 KB, a [`Key`](crate::Key) is built by value
//! (on a device, on the stack) and `core` has no allocator. A `&'static` slot
//! keeps `Key` one pointer larger and the public API unchanged; the counts
//! make a slot return to the pool when the last `Key` (clones included) that
//! uses it is dropped, so a server that rotates keys keeps every new key on
//! the table path with memory bounded by the pool. A caller-owned
//! `TableStore` would give the same bound, but every binding (C, Go) and every
//! `Verifier` would have to carry and size it.
//!
//! The rules (tested in `tests/table_pool.rs`):
//! - a slot is claimed by `Key` loading only once the load can no longer fail
//!   (`keys.rs` attaches tables last);
//! - a key is found by its canonical identity (the curve point, not the bytes
//!   it came in), so a re-encoded key shares its slot;
//! - claims take one pool-wide lock: two threads loading one key share one
//!   slot, and the slot a claim picks cannot be claimed twice. Verification
//!   never takes it: a verifier holds its slot through its `TableRef`;
//! - a slot with no references keeps its table: loading that key again finds
//!   it without rebuilding, until another key needs the slot.

use core::sync::atomic::{AtomicUsize, Ordering};

use spin::{Mutex, RwLock, RwLockReadGuard};

/// A table a pool can hold.
pub trait Table: Sized + Send + Sync + 'static {
    /// The canonical identity of the point a table is built for.
    type Id: PartialEq + Copy;
    /// An empty table (for a static).
    const EMPTY: Self;
    /// The identity of the point this table holds, `None` while empty.
    fn id(&self) -> Option<Self::Id>;
}

/// One table and the number of live [`TableRef`]s to it.
pub struct Slot<T> {
    refs: AtomicUsize,
    table: RwLock<T>,
}

/// A bounded pool of `N` slots.
pub struct TablePool<T, const N: usize> {
    claims: Mutex<()>,
    /// Tables built so far (for tests: what a load cost).
    builds: AtomicUsize,
    slots: [Slot<T>; N],
}

impl<T: Table, const N: usize> TablePool<T, N> {
    /// An empty pool (const, for a static: zero-initialised `.bss`).
    pub const fn new() -> Self {
        TablePool {
            claims: Mutex::new(()),
            builds: AtomicUsize::new(0),
            slots: [const {
                Slot {
                    refs: AtomicUsize::new(0),
                    table: RwLock::new(T::EMPTY),
                }
            }; N],
        }
    }

    /// A reference to the table for `id`: the slot that already holds it, or
    /// a slot no key uses, rebuilt by `build`. `None` when every slot is in
    /// use by other keys (the caller then verifies without a table).
    pub fn claim(&'static self, id: T::Id, build: impl FnOnce(&mut T)) -> Option<TableRef<T>> {
        let _claiming = self.claims.lock();
        // Only claims raise a count from zero, and they hold the lock: a
        // slot seen here at zero stays free until this claim is done.
        if let Some(slot) = self.slots.iter().find(|s| s.table.read().id() == Some(id)) {
            slot.refs.fetch_add(1, Ordering::AcqRel);
            return Some(TableRef { slot });
        }
        let free = || {
            self.slots
                .iter()
                .filter(|s| s.refs.load(Ordering::Acquire) == 0)
        };
        // An empty slot first; failing that, the table of a key no longer used.
        let slot = free()
            .find(|s| s.table.read().id().is_none())
            .or_else(|| free().next())?;
        {
            // No reference exists, so no reader: the write lock is free.
            let mut table = slot.table.write();
            build(&mut table);
            self.builds.fetch_add(1, Ordering::Relaxed);
        }
        slot.refs.store(1, Ordering::Release);
        Some(TableRef { slot })
    }

    /// Tables built since the start (a claim that found its table built
    /// none): for tests of what a load costs.
    pub fn builds(&self) -> usize {
        self.builds.load(Ordering::Relaxed)
    }

    /// Slots some live [`TableRef`] uses.
    pub fn in_use(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| s.refs.load(Ordering::Acquire) != 0)
            .count()
    }
}

impl<T: Table, const N: usize> Default for TablePool<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

/// A counted reference to a pool slot: cloning counts one more user,
/// dropping one fewer.
pub struct TableRef<T: 'static> {
    slot: &'static Slot<T>,
}

impl<T> TableRef<T> {
    /// The table, for the length of a verification (a shared lock nobody
    /// contends: the slot is only rebuilt when no `TableRef` exists).
    pub fn read(&self) -> RwLockReadGuard<'_, T> {
        self.slot.table.read()
    }
}

impl<T> Clone for TableRef<T> {
    fn clone(&self) -> Self {
        // This reference keeps the count above zero: no claim can take the slot.
        self.slot.refs.fetch_add(1, Ordering::Relaxed);
        TableRef { slot: self.slot }
    }
}

impl<T> Drop for TableRef<T> {
    fn drop(&mut self) {
        self.slot.refs.fetch_sub(1, Ordering::Release);
    }
}
