//! [`Backend`]: everything the service asks of storage, as one synchronous, object-safe
//! trait (`Arc<dyn Backend>`), so that a second engine (PostgreSQL) can stand where sled
//! stands. The service names this trait and its types only: no sled, no keys, no trees.
//!
//! Questions come typed ([`Lookup`]): an engine with indexes answers each itself; the sled
//! engine ([`super::SledBackend`]) answers from its `idx/*` trees, or by reading the
//! collection where it keeps no index (hits, references, handovers).
//!
//! Every method of the trait is exercised by the contract suite (`tests/backend_contract.rs`),
//! which any engine must pass.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::domain::access::{Account, RestrictedNote};
use crate::domain::audit::{AuditDraft, AuditEntry, AuditQuery, BrokenChain, ChainHead};
use crate::domain::{IdDocument, Informant, Instant, Kind, Record, RecordId, WantedStatus};

use super::backup::{BackupError, BackupSummary};
use super::check::CheckReport;
use super::{Result, StoreError, Write};

/// A set of record IDs, sorted once so that asking whether it holds one costs a binary
/// search: an import weighs a file's 100,000 guests against every hit in the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdSet(Vec<RecordId>);

impl IdSet {
    pub fn new(ids: impl IntoIterator<Item = RecordId>) -> IdSet {
        let mut ids: Vec<RecordId> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        IdSet(ids)
    }

    pub fn contains(&self, id: &RecordId) -> bool {
        self.0.binary_search(id).is_ok()
    }

    pub fn iter(&self) -> impl Iterator<Item = &RecordId> {
        self.0.iter()
    }
}

/// The index questions the service asks. Each answers records (not keys), in a stated order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Wanted notices with this status, in ID order.
    WantedWithStatus(WantedStatus),
    /// Guest stays that checked in in `[from, to)`, by check-in time.
    GuestsCheckedIn { from: Instant, to: Instant },
    /// Guest stays that checked in at one of these instants (to the second), by check-in
    /// time (then ID): an import's rows asked at once whether each is a stay declared again.
    GuestsCheckedInAt(Vec<Instant>),
    /// The guest stays declared by an establishment, by check-in time (then ID).
    GuestsOf(RecordId),
    /// Guest stays whose guest carried this identity document, in ID order.
    GuestsWithDocument(IdDocument),
    /// Persons whose identity document has this number (any type or country), in ID order.
    PersonsWithDocumentNumber(String),
    /// Roster assignments on a date, in ID order.
    AssignmentsOn(NaiveDate),
    /// Screening hits found at or after an instant, in ID order.
    HitsFoundSince(Instant),
    /// Records of `kind` with a field naming `target`, in ID order.
    Referencing { kind: Kind, target: RecordId },
    /// The handover written for the shift starting at an instant (at most one).
    HandoverStarting(Instant),
    /// The latest inspection of each establishment inspected (by date, then ID), in
    /// establishment ID order.
    LatestInspections,
    /// Records of `kind` whose moment ([`Record::moment`]) is in `[from, to)`, in ID order
    /// (none for a kind that tells of no moment).
    Happened {
        kind: Kind,
        from: Instant,
        to: Instant,
    },
    /// Wanted notices with a history entry in `[from, to)`, in ID order: the notices a shift
    /// changed.
    NoticesChangedIn { from: Instant, to: Instant },
    /// Hits open at `at` (found by then and not closed by then) or closed in `[from, to)`
    /// (their final step), in ID order: the hits a shift hands over.
    HitsOpenAtOrClosedIn {
        at: Instant,
        from: Instant,
        to: Instant,
    },
    /// Hits whose guest stay or whose listed notice or watch entry is one of these, in ID
    /// order: the pairs a screening must not hit twice.
    HitsOnPairsOf(IdSet),
    /// Tips still open (received, being verified), in ID order.
    OpenTips,
    /// Watch entries still active, in ID order: with the wanted notices, the lists guests
    /// are screened against.
    ActiveWatchEntries,
    /// Records of `kind` whose folded title or ID ([`crate::domain::text::fold`]) contains
    /// `folded` (already folded), in ID order: a filtered list.
    Matching { kind: Kind, folded: String },
}

/// A store's restricted values (see [`Backend::restricted_all`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Restricted {
    pub informants: Vec<(RecordId, Informant)>,
    pub notes: Vec<(RecordId, RestrictedNote)>,
}

/// Refuses entries that do not continue their unit's chain, whose heads are `heads` (see
/// [`Backend::adopt_audit`]); the hashes themselves are verified by `check` afterwards.
/// Returns the new heads of the chains the entries go to.
pub fn refuse_unchained(heads: &[ChainHead], entries: &[AuditEntry]) -> Result<Vec<ChainHead>> {
    let mut last: std::collections::BTreeMap<&str, (u64, &str)> = heads
        .iter()
        .map(|h| (h.unit.as_str(), (h.seq, h.hash.as_str())))
        .collect();
    let mut moved = std::collections::BTreeSet::new();
    for entry in entries {
        let unit = entry.draft.unit.as_str();
        let (seq, prev) = match last.get(unit) {
            Some((seq, hash)) => (seq + 1, *hash),
            None => (1, crate::domain::audit::GENESIS),
        };
        if entry.seq != seq || entry.prev != prev {
            return Err(StoreError::Engine(format!(
                "audit entry {} of {} does not follow entry {} of the chain it is added to",
                entry.seq,
                crate::domain::audit::chain_name(unit),
                seq - 1
            )));
        }
        last.insert(unit, (entry.seq, entry.hash.as_str()));
        moved.insert(unit);
    }
    Ok(moved
        .into_iter()
        .filter_map(|unit| {
            last.get(unit).map(|(seq, hash)| ChainHead {
                unit: unit.into(),
                seq: *seq,
                hash: (*hash).into(),
            })
        })
        .collect())
}

/// What an account change decided: the new account (none: unchanged) and its audit entry.
pub type AccountChange = (Option<Account>, Option<AuditDraft>);

/// Storage under the service. Every write is one atomic, durable transaction: when a
/// method that writes returns `Ok`, the write survives `kill -9` and power loss; when it
/// returns `Err`, nothing of it was written.
pub trait Backend: Send + Sync {
    /// The directory holding this engine's files on this host, if it keeps any (a backup
    /// may not be written into it; the search index is cached beside it).
    fn files(&self) -> Option<&Path>;

    /// Reserves `count` fresh numbers for `kind` and returns the first. Numbers are never
    /// handed out twice, even to writers in other processes or hosts.
    fn reserve_ids(&self, kind: Kind, count: u64) -> Result<u64>;
    fn get(&self, id: RecordId) -> Result<Option<Record>>;
    fn contains(&self, id: RecordId) -> Result<bool>;
    /// The records of these IDs, as [`Backend::get`] answers each, in the same order: an
    /// engine across a network answers them in one question per kind.
    fn get_many(&self, ids: &[RecordId]) -> Result<Vec<Option<Record>>> {
        ids.iter().map(|id| self.get(*id)).collect()
    }
    /// Up to `limit` records of `kind` in ID order after `after` (from the start if `None`);
    /// with `newest_first`, in descending order before `after`.
    fn page(
        &self,
        kind: Kind,
        after: Option<RecordId>,
        newest_first: bool,
        limit: usize,
    ) -> Result<Vec<Record>>;
    fn lookup(&self, lookup: &Lookup) -> Result<Vec<Record>>;
    /// Records in a collection, without reading them.
    fn count(&self, kind: Kind) -> Result<u64>;

    /// One atomic write: records (checked by `w.check` against the versions they replace,
    /// their references checked), their index entries, the change log, any restricted value
    /// or account, and the audit entry — all or nothing, then durable.
    fn write(&self, w: &Write<'_>) -> Result<Option<AuditEntry>>;
    /// One atomic write of records too many to hold at once (an import of a year's guest
    /// declarations): `next` hands them part by part (`None`: no more), each part written
    /// and checked as [`Backend::write`] writes records; the audit entry `audit` gives at
    /// the end is added with the end. All or nothing: when this returns `Err` — or the process dies, or the power
    /// goes, before it returns — no part of it stays. It logs no record changed: it raises
    /// the cache floor (every cache rebuilds). `next` may read the store, never write it
    /// (other writes wait until this one ends).
    fn write_in_parts(
        &self,
        next: &mut dyn FnMut() -> Result<Option<Vec<Record>>>,
        audit: &dyn Fn() -> Option<AuditDraft>,
        check: Option<&super::RecordCheck>,
    ) -> Result<Option<AuditEntry>>;
    /// Loads records into an empty collection without change log or audit (seeding,
    /// benchmarks); caches built before it are invalidated.
    fn bulk_load(&self, records: &[Record]) -> Result<()>;

    /// Appends an audit entry on its own (a refusal, a read) to its unit's chain, durable
    /// on return.
    fn append_audit(&self, draft: &AuditDraft) -> Result<AuditEntry>;
    /// The head of every unit's audit chain (its last entry's number and hash), by unit.
    fn audit_heads(&self) -> Result<Vec<ChainHead>>;
    /// How many audit entries the store holds, all chains together.
    fn audit_length(&self) -> Result<u64> {
        Ok(self.audit_heads()?.iter().map(|h| h.seq).sum())
    }
    /// Entries matching `query`, of every chain, oldest first (the newest `limit` when a
    /// limit is set); each chain's entries in its own order.
    fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>>;
    /// Walks every chain: the number of entries, or where one is broken.
    fn verify_audit(&self) -> Result<std::result::Result<u64, BrokenChain>>;

    fn account(&self, user: &str) -> Result<Option<Account>>;
    fn accounts(&self) -> Result<Vec<Account>>;
    /// Reads `user`'s account and writes what `change` makes of it, with its audit entry,
    /// in one durable transaction serialized with every other change of that account.
    /// `change` may run more than once (a retried transaction): it must only compute.
    fn change_account(
        &self,
        user: &str,
        change: &dyn Fn(Option<Account>) -> AccountChange,
    ) -> Result<()>;

    /// A record's restricted note. Callers check who reads.
    fn restricted_note(&self, record: RecordId) -> Result<Option<RestrictedNote>>;
    /// A tip's informant. Callers check who reads.
    fn informant(&self, tip: RecordId) -> Result<Option<Informant>>;

    /// Every restricted value — tips' informants and records' notes — for moving a store
    /// to another engine (`trucban migrate`), in ID order.
    fn restricted_all(&self) -> Result<Restricted>;
    /// Appends audit entries as they are — their numbers and hashes — after their chains'
    /// heads, in one durable write: moving a store keeps its chains. Refused unless each
    /// entry follows the one before it in its unit's chain (the first, the head).
    fn adopt_audit(&self, entries: &[AuditEntry]) -> Result<()>;

    /// How many writes the store has seen; caches are stamped with it.
    fn generation(&self) -> Result<u64>;
    /// A cache built before this generation must be rebuilt (a bulk load wrote no log).
    fn cache_floor(&self) -> Result<u64>;
    /// A number fixed when the store was created, naming it to its caches.
    fn store_id(&self) -> Result<u64>;
    /// Records changed after `generation`, each once, with the generation of its last change.
    fn changes_since(&self, generation: u64) -> Result<Vec<(RecordId, u64)>>;
    /// Forgets changes at or before `generation`; a record changed again keeps its entry.
    fn prune_changes(&self, generation: u64) -> Result<()>;

    /// Waits until someone else may have written — up to `timeout` — so that a daemon
    /// follows writes made elsewhere at once: PostgreSQL wakes it with NOTIFY (only a
    /// wake-up: what changed is read from the change feed). True when woken by a write; an
    /// engine with no other writer waits out the timeout.
    fn wait_for_change(&self, timeout: std::time::Duration) -> bool {
        std::thread::sleep(timeout);
        false
    }

    /// Reads everything back and checks it (values, indexes, references, counts, audit).
    fn check(&self) -> Result<CheckReport>;
    /// A consistent backup of the whole store into `path`.
    fn backup(&self, path: &Path) -> Result<BackupSummary, BackupError>;
    /// Makes every write so far durable (the daemon calls it when it stops).
    fn sync_now(&self) -> Result<()>;
    /// Why the store refuses writes, if a write failed on the disk.
    fn read_only_reason(&self) -> Option<String>;
}

/// Records a scan reads per page: big enough that a million rows take ~2,000 calls, small
/// enough that a page is a few hundred kilobytes.
pub const SCAN_PAGE: usize = 512;

impl dyn Backend + '_ {
    /// Every record of a kind, in ID order, read a page at a time.
    pub fn scan(&self, kind: Kind) -> Scan<'_> {
        Scan::new(self, kind, false, usize::MAX)
    }

    /// Every record of a kind, newest (highest ID) first, read a page at a time.
    pub fn scan_rev(&self, kind: Kind) -> Scan<'_> {
        Scan::new(self, kind, true, usize::MAX)
    }

    /// The first `count` records of a kind (the newest with `newest_first`), read a page at
    /// a time and no further: a list's page near the start reads only what it shows and
    /// skips, not a whole page of the scan.
    pub fn first(&self, kind: Kind, newest_first: bool, count: usize) -> Scan<'_> {
        Scan::new(self, kind, newest_first, count)
    }

    /// Writes records (with their indexes and change log) atomically and durably.
    pub fn put(&self, records: &[Record]) -> Result<()> {
        self.put_with_informant(records, None)
    }

    /// `put`, with a tip's informant in the same transaction.
    pub fn put_with_informant(
        &self,
        records: &[Record],
        informant: Option<(RecordId, &Informant)>,
    ) -> Result<()> {
        self.write(&Write {
            records,
            informant,
            ..Write::default()
        })
        .map(drop)
    }

    /// [`Backend::change_account`] where `change` also decides something for the caller
    /// (an unlock's verdict): what it decided on the version it last saw.
    pub fn decide_account<R>(
        &self,
        user: &str,
        change: &dyn Fn(Option<Account>) -> (Option<Account>, Option<AuditDraft>, R),
    ) -> Result<R> {
        let decided = std::sync::Mutex::new(None);
        self.change_account(user, &|current| {
            let (next, draft, verdict) = change(current);
            *decided
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(verdict);
            (next, draft)
        })?;
        let decided = decided
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // An engine returns Ok only after running `change`; one that did not is broken.
        decided
            .ok_or_else(|| StoreError::Engine("an account change returned without running".into()))
    }

    /// The directory a data directory's other files sit in (the parent of the engine's).
    pub fn data_dir(&self) -> Option<PathBuf> {
        let files = self.files()?;
        Some(files.parent().unwrap_or(files).to_path_buf())
    }
}

/// The records of a kind, a page at a time ([`Backend::page`]); an error ends it.
pub struct Scan<'a> {
    backend: &'a dyn Backend,
    kind: Kind,
    newest_first: bool,
    after: Option<RecordId>,
    page: std::vec::IntoIter<Record>,
    done: bool,
    /// Records still to be read from the engine.
    left: usize,
}

impl<'a> Scan<'a> {
    fn new(backend: &'a dyn Backend, kind: Kind, newest_first: bool, count: usize) -> Scan<'a> {
        Scan {
            backend,
            kind,
            newest_first,
            after: None,
            page: Vec::new().into_iter(),
            done: count == 0,
            left: count,
        }
    }
}

impl Iterator for Scan<'_> {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        if let Some(record) = self.page.next() {
            self.after = Some(record.id());
            return Some(Ok(record));
        }
        if self.done {
            return None;
        }
        let size = SCAN_PAGE.min(self.left);
        match self
            .backend
            .page(self.kind, self.after, self.newest_first, size)
        {
            Ok(page) => {
                self.left -= page.len();
                self.done = page.len() < size || self.left == 0;
                self.page = page.into_iter();
                let record = self.page.next()?;
                self.after = Some(record.id());
                Some(Ok(record))
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}
