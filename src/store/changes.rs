//! The change log that lets caches of the store (the search index file) catch up instead of
//! rebuilding. Every write bumps the store's generation and records, per changed record, the
//! generation of its last change — in the same transaction as the record itself, so the log
//! can never miss a saved write. A cache remembers the generation it was built at and asks
//! for what changed since; once it has saved itself, it prunes what it no longer needs.
//!
//! Bulk loads (generated benchmark stores) write no log: they raise the *floor* instead,
//! and a cache older than the floor rebuilds.

use sled::transaction::{ConflictableTransactionError, TransactionalTree};

use crate::domain::{Kind, RecordId};

use super::{Result, SledBackend, StoreError};

pub(super) const GENERATION: &[u8] = b"generation";
const FLOOR: &[u8] = b"cache_floor";
const STORE_ID: &[u8] = b"store_id";

fn u64_of(bytes: Option<sled::IVec>) -> u64 {
    bytes
        .and_then(|b| <[u8; 8]>::try_from(b.as_ref()).ok())
        .map_or(0, u64::from_be_bytes)
}

/// Change-log key: the kind's position, then the record number (big-endian).
fn change_key(id: RecordId) -> [u8; 9] {
    let mut key = [0u8; 9];
    key[0] = u8::try_from(id.kind().index()).unwrap_or(u8::MAX);
    key[1..].copy_from_slice(&id.num().to_be_bytes());
    key
}

pub(super) fn id_of_change_key(key: &[u8]) -> Option<RecordId> {
    let kind = *Kind::ALL.get(usize::from(*key.first()?))?;
    let num = u64::from_be_bytes(key.get(1..9)?.try_into().ok()?);
    Some(RecordId::new(kind, num))
}

/// Inside a write transaction: bumps the generation and logs `ids` at it.
pub(super) fn log_in_transaction(
    meta: &TransactionalTree,
    changes: &TransactionalTree,
    ids: impl Iterator<Item = RecordId>,
) -> Result<(), ConflictableTransactionError<StoreError>> {
    let generation = u64_of(meta.get(GENERATION)?) + 1;
    meta.insert(GENERATION, &generation.to_be_bytes())?;
    for id in ids {
        changes.insert(&change_key(id), &generation.to_be_bytes())?;
    }
    Ok(())
}

impl SledBackend {
    /// How many writes the store has seen; caches are stamped with it.
    pub fn generation(&self) -> Result<u64> {
        Ok(u64_of(self.meta.get(GENERATION)?))
    }

    /// A cache built before this generation must be rebuilt (a bulk load wrote no log).
    pub fn cache_floor(&self) -> Result<u64> {
        Ok(u64_of(self.meta.get(FLOOR)?))
    }

    /// A random number fixed when the store was created: a cache file names the store it
    /// belongs to, so a store replaced under the same directory is never served a stale one.
    pub fn store_id(&self) -> Result<u64> {
        if let Some(id) = self.meta.get(STORE_ID)? {
            return Ok(u64_of(Some(id)));
        }
        let id = rand::random::<u64>().max(1);
        // Another thread may have set it meanwhile: keep whichever landed first.
        let _ =
            self.meta
                .compare_and_swap(STORE_ID, None as Option<&[u8]>, Some(&id.to_be_bytes()))?;
        let id = u64_of(self.meta.get(STORE_ID)?);
        self.make_durable()?;
        Ok(id)
    }

    /// After a bulk load: bumps the generation and raises the floor to it.
    pub(super) fn raise_cache_floor(&self) -> Result<()> {
        let generation = self.generation()? + 1;
        self.meta.insert(GENERATION, &generation.to_be_bytes())?;
        self.meta.insert(FLOOR, &generation.to_be_bytes())?;
        Ok(())
    }

    /// Records changed after `generation`, each once, with the generation of its last change.
    pub fn changes_since(&self, generation: u64) -> Result<Vec<(RecordId, u64)>> {
        let mut out = Vec::new();
        for item in self.changes.iter() {
            let (key, value) = item?;
            let at = u64_of(Some(value));
            if at > generation
                && let Some(id) = id_of_change_key(&key)
            {
                out.push((id, at));
            }
        }
        Ok(out)
    }

    /// Forgets changes at or before `generation` (a cache has saved them). A record changed
    /// again meanwhile keeps its newer entry.
    pub fn prune_changes(&self, generation: u64) -> Result<()> {
        for item in self.changes.iter() {
            let (key, value) = item?;
            if u64_of(Some(value.clone())) <= generation {
                let _ = self
                    .changes
                    .compare_and_swap(&key, Some(value), None as Option<&[u8]>)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::{Kind, RecordId};

    #[test]
    fn change_keys_round_trip() {
        let id = RecordId::new(Kind::GuestStay, 123_456);
        assert_eq!(super::id_of_change_key(&super::change_key(id)), Some(id));
        assert_eq!(super::id_of_change_key(&[200, 0]), None);
    }

    #[test]
    fn a_write_of_an_account_alone_moves_the_generation_the_seal_covers() {
        let dir = tempfile::tempdir().expect("temp");
        let store = crate::store::SledBackend::open(dir.path(), crate::domain::Instant::UNIX_EPOCH)
            .expect("open");
        let before = store.generation().expect("generation");
        let account = crate::domain::access::Account {
            user: "dan".into(),
            officer: RecordId::new(Kind::Officer, 1),
            pin_hash: String::new(),
            failed: 0,
            locked_until: None,
            locked: false,
        };
        store
            .write(&crate::store::Write {
                account: Some(&account),
                ..Default::default()
            })
            .expect("write");
        assert_eq!(store.generation().expect("generation"), before + 1);
    }
}
