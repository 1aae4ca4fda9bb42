//! Record counts per collection, kept in `meta` by every write (in the same transaction), so
//! that a view can say "the newest 5,000 of 1,000,000" without walking a million keys: sled's
//! own `len()` iterates the whole tree (about 1 s for 500,000 guest stays).

use sled::transaction::{ConflictableTransactionError, TransactionalTree};

use crate::domain::Kind;

use super::{Result, SledBackend, StoreError};

/// Set once the counters agree with the trees (a store written before counters existed has
/// them computed once, at open).
const READY: &[u8] = b"counts_ready";

fn key(kind: Kind) -> Vec<u8> {
    format!("count/{}", kind.name()).into_bytes()
}

fn value(bytes: Option<sled::IVec>) -> u64 {
    bytes
        .and_then(|b| <[u8; 8]>::try_from(b.as_ref()).ok())
        .map_or(0, u64::from_be_bytes)
}

/// Inside a write transaction: adds `added[kind.index()]` new records to each count.
pub(super) fn add_in_transaction(
    meta: &TransactionalTree,
    added: &[u64],
) -> Result<(), ConflictableTransactionError<StoreError>> {
    for (kind, n) in Kind::ALL.iter().zip(added) {
        if *n > 0 {
            let k = key(*kind);
            let count = value(meta.get(&k)?) + n;
            meta.insert(k, &count.to_be_bytes())?;
        }
    }
    Ok(())
}

impl SledBackend {
    /// Records in a collection.
    pub fn count(&self, kind: Kind) -> usize {
        match self.meta.get(key(kind)) {
            Ok(bytes) => usize::try_from(value(bytes)).unwrap_or(usize::MAX),
            Err(_) => self.tree(kind).len(),
        }
    }

    /// Records in a collection, as its counter says; a counter that cannot be read is an
    /// error (the trait's answer), where [`SledBackend::count`] falls back to counting.
    pub(super) fn stored_count(&self, kind: Kind) -> Result<u64> {
        Ok(value(self.meta.get(key(kind))?))
    }

    /// At open: counts every collection once if this store has no counters yet.
    pub(super) fn ensure_counts(&self) -> Result<()> {
        if self.meta.contains_key(READY)? {
            return Ok(());
        }
        for kind in Kind::ALL {
            let n = self.tree(kind).len() as u64;
            self.meta.insert(key(kind), &n.to_be_bytes())?;
        }
        self.meta.insert(READY, &[1])?;
        self.make_durable()
    }

    /// Moves one collection's count by `delta` (outside a transaction: undoing a write of
    /// parts, see `parts.rs`).
    pub(super) fn add_to_count(&self, kind: Kind, delta: i64) -> Result<()> {
        let k = key(kind);
        let count = value(self.meta.get(&k)?).saturating_add_signed(delta);
        self.meta.insert(k, &count.to_be_bytes())?;
        Ok(())
    }

    /// After a bulk load (outside a transaction).
    pub(super) fn add_counts(&self, added: &[u64]) -> Result<()> {
        for (kind, n) in Kind::ALL.iter().zip(added) {
            if *n > 0 {
                let k = key(*kind);
                let count = value(self.meta.get(&k)?) + n;
                self.meta.insert(k, &count.to_be_bytes())?;
            }
        }
        Ok(())
    }
}
