//! The change log that lets caches of the store (the search index file) catch up instead of
//! rebuilding. Every write bumps the store's generation and records, per changed record, the
//! generation of its last change — in the same transaction as the record itself, so the log
//! can never miss a saved write. A cache remembers the generation it was built at and asks
//! for what changed since; once it has saved itself, it prunes what it no longer needs.
//!
//! Bulk loads (generated benchmark stores) write no log: they raise the *floor* instead,
//! and a cache older than the floor rebuilds.
//!
//! The tree is keyed by record, so "what changed since G" would read all of it; the daemon
//! asks after every write (its pushes and its search index), and a log grows with every write
//! until the index is next saved (100,000 entries after an import: 67 ms a question, measured).
//! [`ChangeOrder`] keeps the same entries in memory in generation order, so the question
//! reads only what it answers. It is built from the tree at open and added to by each write
//! while that write commits (see [`ChangeOrder::committing`]); the tree stays the record.

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

/// Inside a write transaction: bumps the generation and logs `ids` at it; returns it.
pub(super) fn log_in_transaction(
    meta: &TransactionalTree,
    changes: &TransactionalTree,
    ids: impl Iterator<Item = RecordId>,
) -> Result<u64, ConflictableTransactionError<StoreError>> {
    let generation = u64_of(meta.get(GENERATION)?) + 1;
    meta.insert(GENERATION, &generation.to_be_bytes())?;
    for id in ids {
        changes.insert(&change_key(id), &generation.to_be_bytes())?;
    }
    Ok(generation)
}

/// Inside a write transaction: a write that logs no record (a write of parts, see
/// `parts.rs`) moves the generation and raises the cache floor to it, so that every cache
/// built before it is rebuilt. Returns the new generation.
pub(super) fn raise_floor_in_transaction(
    meta: &TransactionalTree,
) -> Result<u64, ConflictableTransactionError<StoreError>> {
    let generation = u64_of(meta.get(GENERATION)?) + 1;
    meta.insert(GENERATION, &generation.to_be_bytes())?;
    meta.insert(FLOOR, &generation.to_be_bytes())?;
    Ok(generation)
}

/// The change log in generation order (oldest first), in memory: a record changed twice
/// is in it twice until pruned; answers keep its last change, as the tree does.
#[derive(Default)]
pub(super) struct ChangeOrder {
    log: std::sync::Mutex<Vec<(u64, RecordId)>>,
}

/// A write's hold on the order while it commits: no question is answered between its
/// commit and its entries (a reader that saw its generation waits for them), and writes
/// that log records add their entries in the order of their generations.
pub(super) struct Committing<'a>(std::sync::MutexGuard<'a, Vec<(u64, RecordId)>>);

impl Committing<'_> {
    /// The write committed at `generation`, changing `ids`.
    pub(super) fn committed(mut self, generation: u64, ids: impl Iterator<Item = RecordId>) {
        self.0.extend(ids.map(|id| (generation, id)));
    }
}

impl ChangeOrder {
    /// The order of the entries in the tree.
    pub(super) fn load(tree: &sled::Tree) -> Result<ChangeOrder> {
        let mut log = Vec::new();
        for item in tree.iter() {
            let (key, value) = item?;
            if let Some(id) = id_of_change_key(&key) {
                log.push((u64_of(Some(value)), id));
            }
        }
        log.sort_by_key(|(at, id)| (*at, change_key(*id)));
        Ok(ChangeOrder {
            log: std::sync::Mutex::new(log),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(u64, RecordId)>> {
        // A poisoned lock only means a writer panicked; the entries before it are whole.
        self.log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Held by a write that logs records from before its transaction until it has added them.
    pub(super) fn committing(&self) -> Committing<'_> {
        Committing(self.lock())
    }

    /// Records changed after `generation`, each once with its last change, in key order.
    fn since(&self, generation: u64) -> Vec<(RecordId, u64)> {
        let log = self.lock();
        let start = log.partition_point(|(at, _)| *at <= generation);
        let mut out: Vec<(RecordId, u64)> =
            log[start..].iter().map(|(at, id)| (*id, *at)).collect();
        drop(log);
        // Stable: of one record's entries the last (its latest change) ends the run.
        out.sort_by_key(|(id, _)| change_key(*id));
        let mut last: Vec<(RecordId, u64)> = Vec::with_capacity(out.len());
        for (id, at) in out {
            match last.last_mut() {
                Some(prev) if prev.0 == id => prev.1 = at,
                _ => last.push((id, at)),
            }
        }
        last
    }

    fn prune(&self, generation: u64) {
        let mut log = self.lock();
        let end = log.partition_point(|(at, _)| *at <= generation);
        log.drain(..end);
    }
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
        Ok(self.change_order.since(generation))
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
        self.change_order.prune(generation);
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

    /// What the tree says changed after `generation` (the answer `changes_since` gave when
    /// it read the tree), to hold the in-memory order to.
    fn from_tree(store: &crate::store::SledBackend, generation: u64) -> Vec<(RecordId, u64)> {
        store
            .changes
            .iter()
            .map(|item| item.expect("entry"))
            .map(|(k, v)| {
                (
                    super::id_of_change_key(&k).expect("key"),
                    super::u64_of(Some(v)),
                )
            })
            .filter(|(_, at)| *at > generation)
            .collect()
    }

    #[test]
    fn the_order_in_memory_answers_what_the_tree_holds_also_after_reopening() {
        let dir = tempfile::tempdir().expect("temp");
        let open = || {
            crate::store::SledBackend::open(dir.path(), crate::domain::Instant::UNIX_EPOCH)
                .expect("open")
        };
        let officer = |num: u64, name: &str| {
            crate::domain::Record::Officer(crate::domain::Officer {
                id: RecordId::new(Kind::Officer, num),
                badge_no: format!("{num}"),
                full_name: name.into(),
                rank: "Đại úy".into(),
                unit: "Phòng Cảnh sát hình sự".into(),
                role: crate::domain::campaign::OfficerRole::Duty,
            })
        };
        let store = open();
        let start = store.generation().expect("generation");
        store
            .put(&[officer(1, "A"), officer(2, "B")])
            .expect("write");
        store.put(&[officer(3, "C")]).expect("write");
        // Officer 1 changed again: once in an answer, at its last change.
        store.put(&[officer(1, "A2")]).expect("write");
        for since in start..=start + 3 {
            assert_eq!(
                store.changes_since(since).expect("changes"),
                from_tree(&store, since)
            );
        }
        assert_eq!(
            store.changes_since(start).expect("changes"),
            vec![
                (RecordId::new(Kind::Officer, 1), start + 3),
                (RecordId::new(Kind::Officer, 2), start + 1),
                (RecordId::new(Kind::Officer, 3), start + 2),
            ]
        );
        drop(store);
        let store = open();
        for since in start..=start + 3 {
            assert_eq!(
                store.changes_since(since).expect("changes"),
                from_tree(&store, since)
            );
        }
        store.prune_changes(start + 2).expect("prune");
        assert_eq!(
            store.changes_since(0).expect("changes"),
            vec![(RecordId::new(Kind::Officer, 1), start + 3)]
        );
        assert_eq!(
            store.changes_since(0).expect("changes"),
            from_tree(&store, 0)
        );
    }
}
