//! The store: the only code that uses sled. One tree per collection (`rec/<kind>`), keyed by
//! record number; secondary indexes in `idx/*` trees; `meta` for the schema version. A write
//! is one sled transaction across every tree it touches (record, old and new index entries,
//! reference checks), then made durable with a real fsync before it is reported saved.

mod audit;
mod backend;
pub mod backup;
mod changes;
pub mod check;
mod counts;
mod durability;
mod envelope;
mod error_text;
mod faults;
pub(crate) mod holder;
pub mod indexes;
pub mod keys;
mod lookup_rule;
pub mod moving;
mod parts;
mod pg;
mod restricted;
mod schema;
mod seal;
mod sled_backend;
mod writes;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::domain::{Instant, Kind, Record, RecordId};

pub use backend::{AccountChange, Backend, IdSet, Lookup, Restricted, SCAN_PAGE, Scan};
pub use durability::SyncMode;
pub use holder::Holder;
pub use indexes::Index;
pub use pg::PgBackend;
pub use pg::audit::CHAIN_LOCK as PG_AUDIT_CHAIN_LOCK;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// `holder` says who, and what to do (see [`Holder::refusal`]).
    #[error("the store at {dir} is in use by {holder}")]
    Locked {
        dir: PathBuf,
        holder: crate::i18n::Said,
    },
    #[error("store {dir}: {source}")]
    Io {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("store: {0}")]
    Sled(#[from] sled::Error),
    #[error("store tree {tree}, key {key}: cannot decode the value: {reason}")]
    Decode {
        tree: String,
        key: String,
        reason: String,
    },
    #[error(
        "{record}: field {field} names {target}, which is not in the store (add or import it first)"
    )]
    MissingReference {
        record: RecordId,
        field: &'static str,
        target: RecordId,
    },
    /// The write would break a rule of the record (see [`crate::domain::rules`]).
    #[error("{0}")]
    Rule(crate::domain::rules::Refusal),
    #[error("{record} is a {kind} record and cannot be stored in the {expected} collection")]
    WrongKind {
        record: RecordId,
        kind: Kind,
        expected: Kind,
    },
    /// sled's files are damaged (a failed check, a corrupt log, or a panic inside sled).
    #[error(
        "the store at {dir} is damaged ({reason}): restore it from a backup with `trucban restore FILE`"
    )]
    Corrupt { dir: PathBuf, reason: String },
    /// A write failed on the disk (full, I/O error): the store refuses every later write,
    /// and keeps serving reads, until trucban is restarted.
    #[error(
        "store read-only: {reason}. Nothing is saved until the disk is fixed and trucban restarted (the refused change may show until then, but is not saved)"
    )]
    ReadOnly { reason: String },
    /// An engine broke the [`Backend`] contract (a bug, not the disk).
    #[error("store engine: {0}")]
    Engine(String),
    /// A write of parts stopped by the one handing the parts (it says why itself):
    /// nothing of it was kept.
    #[error("the write was stopped before its end: nothing of it was kept")]
    Stopped,
    /// The PostgreSQL engine's database refused or failed a request; `unreachable` when the
    /// database could not be reached at all (down, the link cut): nothing was written.
    #[error("{}", if *unreachable {
        format!("cannot reach the PostgreSQL database ({reason}): nothing was saved; trucban reconnects by itself when it is back")
    } else {
        format!("PostgreSQL database: {reason}")
    })]
    Database { reason: String, unreachable: bool },
    #[error(
        "the store was written by a newer trucban (schema {found}; this one knows up to {supported}): upgrade trucban before opening it"
    )]
    SchemaTooNew { found: u32, supported: u32 },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What one [`SledBackend::write`] writes, all or nothing.
#[derive(Clone, Copy, Default)]
pub struct Write<'a> {
    pub records: &'a [Record],
    /// A tip's informant (restricted tree).
    pub informant: Option<(RecordId, &'a crate::domain::Informant)>,
    /// A record's restricted note.
    pub note: Option<(RecordId, &'a crate::domain::access::RestrictedNote)>,
    pub account: Option<&'a crate::domain::access::Account>,
    /// The audit entry recording this write.
    pub audit: Option<&'a crate::domain::audit::AuditDraft>,
    /// The rules every record must keep, checked inside the transaction against the
    /// version it replaces (see [`crate::domain::rules`]): a concurrent writer cannot slip a
    /// change past them.
    pub check: Option<&'a RecordCheck>,
}

/// What a record may become, given what it was (none for a new one).
pub type RecordCheck = dyn Fn(Option<&Record>, &Record) -> std::result::Result<(), crate::domain::rules::Refusal>
    + Sync;

pub struct SledBackend {
    db: sled::Db,
    dir: PathBuf,
    /// Record trees in `Kind::ALL` order, then index trees in `Index::ALL` order, then
    /// `meta`, `changes`, `restricted`, `audit`, `accounts` and `restricted/notes`: the
    /// slice a transaction spans.
    trees: Vec<sled::Tree>,
    meta: sled::Tree,
    /// Per changed record, the generation of its last change (see `changes.rs`).
    changes: sled::Tree,
    /// The same entries in generation order, in memory (see `changes.rs`).
    change_order: changes::ChangeOrder,
    /// Restricted values kept apart from the records (see `restricted.rs`).
    restricted: sled::Tree,
    /// The audit chain, the officer accounts, the restricted notes (see `audit.rs`).
    audit: sled::Tree,
    accounts: sled::Tree,
    notes: sled::Tree,
    /// What a write of parts under way changed, to undo it (see `parts.rs`).
    undo: sled::Tree,
    next_num: Vec<AtomicU64>,
    sync: SyncMode,
    /// Kept open so each commit can fsync without reopening the file.
    db_file: File,
    /// The blob files already made durable (see `durability.rs`).
    synced_blobs: std::sync::Mutex<std::collections::HashSet<std::ffi::OsString>>,
    /// Writes hold it shared for their transaction; a backup holds it exclusive while it
    /// reads every tree, so that it sees every write whole or not at all.
    gate: std::sync::RwLock<()>,
    /// Set by the first write that failed on the disk; every later write is refused with it.
    read_only: std::sync::OnceLock<String>,
    /// The witness of the last durable generation (see `seal.rs`); set at the end of open.
    seal: std::sync::OnceLock<seal::Seal>,
    /// Last: dropped after every sled handle, it waits until sled lets go of its lock.
    _released: holder::Released,
}

const CACHE_BYTES: u64 = 128 * 1024 * 1024;
/// The page cache of a store written or read through once (a restore writes, opens and
/// checks the store it builds): each page is touched once, so a larger cache only holds
/// memory (the check of a 1,000,000-record store took 39 s and 571 MB with 128 MB of
/// cache, 41 s and 233 MB with this).
pub(super) const SCAN_CACHE_BYTES: u64 = 16 * 1024 * 1024;

/// Where `meta` sits in the transaction slice; `changes` follows it.
const META_SLOT: usize = Kind::ALL.len() + Index::ALL.len();

impl SledBackend {
    /// Opens (or creates) the store in `data_dir/store`.
    /// Whether `data_dir` holds a store (its sled directory, or the seal of one whose files
    /// went missing — opening that is refused as damaged, not served empty).
    pub fn exists(data_dir: &Path) -> bool {
        data_dir.join("store").is_dir() || data_dir.join(seal::FILE).exists()
    }

    pub fn open(data_dir: &Path, now: Instant) -> Result<SledBackend> {
        Self::open_with(data_dir, now, SyncMode::from_env())
    }

    /// Opens the store; damage that makes sled fail or panic is [`StoreError::Corrupt`].
    pub fn open_with(data_dir: &Path, now: Instant, sync: SyncMode) -> Result<SledBackend> {
        Self::open_cached(data_dir, now, sync, CACHE_BYTES)
    }

    /// Opens the store to be read or written through once, with a small page cache (see
    /// [`SCAN_CACHE_BYTES`]): what a restore does with the store it has just written, and
    /// what `trucban import` does.
    pub fn open_for_scan(data_dir: &Path, now: Instant) -> Result<SledBackend> {
        Self::open_cached(data_dir, now, SyncMode::from_env(), SCAN_CACHE_BYTES)
    }

    fn open_cached(
        data_dir: &Path,
        now: Instant,
        sync: SyncMode,
        cache_bytes: u64,
    ) -> Result<SledBackend> {
        let dir = data_dir.join("store");
        faults::guard(&dir, || {
            Self::open_unguarded(data_dir, now, sync, cache_bytes)
        })
    }

    fn open_unguarded(
        data_dir: &Path,
        now: Instant,
        sync: SyncMode,
        cache_bytes: u64,
    ) -> Result<SledBackend> {
        let io = |source| StoreError::Io {
            dir: data_dir.to_path_buf(),
            source,
        };
        crate::durable::create_dir_all(data_dir).map_err(io)?;
        let dir = data_dir.join("store");
        let holder_path = data_dir.join(holder::FILE);
        let db = sled::Config::new()
            .path(&dir)
            .cache_capacity(cache_bytes)
            .open()
            .map_err(|e| match e {
                sled::Error::Io(ref io_err)
                    if io_err.to_string().contains("could not acquire lock") =>
                {
                    StoreError::Locked {
                        dir: dir.clone(),
                        holder: Holder::refusal(Holder::read(&holder_path).as_ref()),
                    }
                }
                other => StoreError::Sled(other),
            })?;
        // sled may have written a new snapshot while opening and removed the old one without
        // syncing the directory, while its flusher syncs the log: make the directory durable
        // before anything else, so that a cut does not pair an old snapshot with a newer log.
        if sync == SyncMode::Full {
            crate::durable::sync_dir(&dir).map_err(io)?;
        }
        Holder::current(now).write(&holder_path).map_err(io)?;
        let mut trees = Vec::new();
        for kind in Kind::ALL {
            trees.push(db.open_tree(format!("rec/{}", kind.name()))?);
        }
        for index in Index::ALL {
            trees.push(db.open_tree(index.tree_name())?);
        }
        let meta = db.open_tree("meta")?;
        let changes = db.open_tree("changes")?;
        let restricted = db.open_tree(restricted::TREE)?;
        let audit = db.open_tree(audit::AUDIT_TREE)?;
        let accounts = db.open_tree(audit::ACCOUNTS_TREE)?;
        let notes = db.open_tree(audit::NOTES_TREE)?;
        let undo = db.open_tree(parts::UNDO_TREE)?;
        for tree in [&meta, &changes, &restricted, &audit, &accounts, &notes] {
            trees.push(tree.clone());
        }
        let mut next_num = Vec::new();
        for kind in Kind::ALL {
            let last = trees[kind.index()].last()?;
            let last_num = last
                .and_then(|(k, _)| keys::id_from_key_tail(kind, &k))
                .map_or(0, |id| id.num());
            next_num.push(AtomicU64::new(last_num + 1));
        }
        let db_file = File::open(dir.join("db")).map_err(io)?;
        let dir_for_release = dir.clone();
        let store = SledBackend {
            db,
            dir,
            trees,
            meta,
            change_order: changes::ChangeOrder::load(&changes)?,
            changes,
            restricted,
            audit,
            accounts,
            notes,
            undo,
            next_num,
            sync,
            db_file,
            synced_blobs: Default::default(),
            gate: std::sync::RwLock::new(()),
            read_only: std::sync::OnceLock::new(),
            seal: std::sync::OnceLock::new(),
            _released: holder::Released(dir_for_release),
        };
        schema::migrate(&store)?;
        store.finish_interrupted_parts()?;
        store.ensure_counts()?;
        // What sled recovered may hold writes that were never made durable (the process
        // before was killed between its write and its fsync; the page cache kept them).
        // Sealing their generation before they are on the disk would make a power cut now
        // look like lost writes, and the store refuse to open: make them durable first.
        store.make_durable()?;
        let seal = seal::Seal::open(data_dir, &store.dir, store.generation()?)?;
        let _ = store.seal.set(seal);
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn tree(&self, kind: Kind) -> &sled::Tree {
        &self.trees[kind.index()]
    }

    fn index_tree(&self, index: Index) -> &sled::Tree {
        &self.trees[Kind::ALL.len() + index.position()]
    }

    /// Reserves `count` fresh numbers for `kind`; returns the first. Numbers never go back,
    /// so an ID read aloud once is never reused.
    pub fn reserve_ids(&self, kind: Kind, count: u64) -> u64 {
        self.next_num[kind.index()].fetch_add(count, Ordering::SeqCst)
    }

    /// Keeps the allocator ahead of IDs that arrive from outside (imports with an `id` column).
    fn note_used(&self, id: RecordId) {
        self.next_num[id.kind().index()].fetch_max(id.num() + 1, Ordering::SeqCst);
    }

    pub fn get(&self, id: RecordId) -> Result<Option<Record>> {
        let key = keys::record_key(id);
        let found = self.tree(id.kind()).get(key).map_err(StoreError::from);
        match self.read_after_failure(found)? {
            Some(bytes) => Ok(Some(self.decode(id.kind(), &key, &bytes)?)),
            None => Ok(None),
        }
    }

    pub fn contains(&self, id: RecordId) -> Result<bool> {
        Ok(self.tree(id.kind()).contains_key(keys::record_key(id))?)
    }

    fn decode(&self, kind: Kind, key: &[u8], bytes: &[u8]) -> Result<Record> {
        let err = |reason: String| StoreError::Decode {
            tree: format!("rec/{}", kind.name()),
            key: keys::id_from_key_tail(kind, key)
                .map_or_else(|| format!("{key:02x?}"), |id| id.to_string()),
            reason,
        };
        let record = envelope::decode(kind, bytes).map_err(err)?;
        if record.id().num().to_be_bytes() != key {
            return Err(err(format!("the value holds the ID {}", record.id())));
        }
        Ok(record)
    }

    /// Every record of a kind, in ID order.
    pub fn scan(&self, kind: Kind) -> impl Iterator<Item = Result<Record>> + '_ {
        self.scan_after(kind, None)
    }

    /// The records of a kind after `after` (all if `None`), in ID order: a page at a time
    /// from where the last one ended.
    pub fn scan_after(
        &self,
        kind: Kind,
        after: Option<RecordId>,
    ) -> impl Iterator<Item = Result<Record>> + '_ {
        use std::ops::Bound;
        let start = after.map_or(Bound::Unbounded, |id| {
            Bound::Excluded(keys::record_key(id).to_vec())
        });
        self.tree(kind)
            .range::<Vec<u8>, _>((start, Bound::Unbounded))
            .map(move |item| {
                let (key, value) = item?;
                self.decode(kind, &key, &value)
            })
    }

    /// Every record of a kind, newest (highest ID) first: a table can take the newest few
    /// without reading the rest.
    pub fn scan_rev(&self, kind: Kind) -> impl Iterator<Item = Result<Record>> + '_ {
        self.tree(kind).iter().rev().map(move |item| {
            let (key, value) = item?;
            self.decode(kind, &key, &value)
        })
    }

    /// The records of a kind before `before` (all if `None`), highest ID first.
    pub(crate) fn scan_before(
        &self,
        kind: Kind,
        before: Option<RecordId>,
    ) -> impl Iterator<Item = Result<Record>> + '_ {
        use std::ops::Bound;
        let end = before.map_or(Bound::Unbounded, |id| {
            Bound::Excluded(keys::record_key(id).to_vec())
        });
        self.tree(kind)
            .range::<Vec<u8>, _>((Bound::Unbounded, end))
            .rev()
            .map(move |item| {
                let (key, value) = item?;
                self.decode(kind, &key, &value)
            })
    }

    /// IDs whose index key starts with `prefix`, in key order.
    pub fn index_prefix(
        &self,
        index: Index,
        prefix: &[u8],
    ) -> impl Iterator<Item = Result<RecordId>> + '_ {
        self.index_tree(index).scan_prefix(prefix).map(move |item| {
            let (key, _) = item?;
            Ok(Self::index_target(index, &key))
        })
    }

    /// IDs whose index key is in `[start, end)`, in key order.
    pub fn index_range(
        &self,
        index: Index,
        start: &[u8],
        end: &[u8],
    ) -> impl Iterator<Item = Result<RecordId>> + '_ {
        self.index_tree(index)
            .range(start.to_vec()..end.to_vec())
            .map(move |item| {
                let (key, _) = item?;
                Ok(Self::index_target(index, &key))
            })
    }

    fn index_target(index: Index, key: &[u8]) -> RecordId {
        // Every index key we write ends in the 8-byte record number.
        keys::id_from_key_tail(index.target(), key).unwrap_or(RecordId::new(index.target(), 0))
    }

    /// Bytes on disk under the store directory.
    pub fn size_on_disk(&self) -> Result<u64> {
        Ok(self.db.size_on_disk()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// sled lets go of its lock a little after it is closed; the store waits for it, so the
    /// next opener — this process or another — is never told the store is "in use".
    #[test]
    fn a_closed_store_is_free_for_the_next_opener_at_once() {
        let temp = tempfile::tempdir().expect("temp");
        let records = crate::cli::sample_records(Instant::UNIX_EPOCH).expect("sample");
        for round in 0..10 {
            let store = SledBackend::open(temp.path(), Instant::UNIX_EPOCH).expect("open");
            if round == 0 {
                store.put(&records).expect("write");
            }
            drop(store);
            assert!(
                holder::wait_released(&temp.path().join("store"), std::time::Duration::ZERO),
                "round {round}: the lock is still held after the store was dropped"
            );
        }
    }

    #[test]
    fn a_store_from_a_newer_trucban_is_refused() {
        let temp = tempfile::tempdir().expect("temp");
        {
            let store = SledBackend::open(temp.path(), Instant::UNIX_EPOCH).expect("open");
            schema::set_version_for_test(&store, schema::SCHEMA_VERSION + 1).expect("set");
        }
        let Err(err) = SledBackend::open(temp.path(), Instant::UNIX_EPOCH) else {
            panic!("must refuse")
        };
        assert!(
            matches!(
                err,
                StoreError::SchemaTooNew {
                    found: 2,
                    supported: 1
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("upgrade trucban"));
    }

    #[test]
    fn an_undecodable_value_names_its_tree_and_key() {
        let temp = tempfile::tempdir().expect("temp");
        let store = SledBackend::open(temp.path(), Instant::UNIX_EPOCH).expect("open");
        let id = RecordId::new(Kind::Wanted, 42);
        store
            .tree(Kind::Wanted)
            .insert(keys::record_key(id), &b"{\"v\":1,\"data\":{\"id\":3}}"[..])
            .expect("raw insert");
        let err = store.get(id).expect_err("must not decode");
        let message = err.to_string();
        assert!(
            message.contains("store tree rec/wanted, key TN-000042: cannot decode"),
            "{message}"
        );
        let scanned: Vec<_> = store.scan(Kind::Wanted).collect();
        assert!(matches!(
            scanned.as_slice(),
            [Err(StoreError::Decode { .. })]
        ));
    }
}
