//! [`PgBackend`] behind the [`Backend`] trait: each method is one of the engine's own.

use std::path::Path;

use crate::domain::access::{Account, RestrictedNote};
use crate::domain::audit::{AuditDraft, AuditEntry, AuditQuery, BrokenChain, ChainHead};
use crate::domain::{Informant, Kind, Record, RecordId};
use crate::store::backup::{BackupError, BackupSummary};
use crate::store::check::CheckReport;
use crate::store::{AccountChange, Backend, Lookup, Result, Write};

use super::PgBackend;

impl Backend for PgBackend {
    /// None: the database keeps the files, on its own host.
    fn files(&self) -> Option<&Path> {
        None
    }

    fn reserve_ids(&self, kind: Kind, count: u64) -> Result<u64> {
        self.reserve(kind, count)
    }

    fn get(&self, id: RecordId) -> Result<Option<Record>> {
        self.get_record(id)
    }

    fn contains(&self, id: RecordId) -> Result<bool> {
        self.contains_record(id)
    }

    fn get_many(&self, ids: &[RecordId]) -> Result<Vec<Option<Record>>> {
        self.get_records(ids)
    }

    fn page(
        &self,
        kind: Kind,
        after: Option<RecordId>,
        newest_first: bool,
        limit: usize,
    ) -> Result<Vec<Record>> {
        self.page_of(kind, after, newest_first, limit)
    }

    fn lookup(&self, lookup: &Lookup) -> Result<Vec<Record>> {
        self.look_up(lookup)
    }

    fn count(&self, kind: Kind) -> Result<u64> {
        self.count_of(kind)
    }

    fn write(&self, w: &Write<'_>) -> Result<Option<AuditEntry>> {
        self.write_all(w)
    }

    fn write_in_parts(
        &self,
        next: &mut dyn FnMut() -> Result<Option<Vec<Record>>>,
        audit: &dyn Fn() -> Option<AuditDraft>,
        check: Option<&crate::store::RecordCheck>,
    ) -> Result<Option<AuditEntry>> {
        self.write_parts(next, audit, check)
    }

    fn bulk_load(&self, records: &[Record]) -> Result<()> {
        self.load(records)
    }

    fn append_audit(&self, draft: &AuditDraft) -> Result<AuditEntry> {
        self.append_alone(draft)
    }

    fn audit_heads(&self) -> Result<Vec<ChainHead>> {
        self.heads()
    }

    fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        self.entries(query)
    }

    fn verify_audit(&self) -> Result<std::result::Result<u64, BrokenChain>> {
        self.verify_chain()
    }

    fn account(&self, user: &str) -> Result<Option<Account>> {
        self.account_of(user)
    }

    fn accounts(&self) -> Result<Vec<Account>> {
        self.all_accounts()
    }

    fn change_account(
        &self,
        user: &str,
        change: &dyn Fn(Option<Account>) -> AccountChange,
    ) -> Result<()> {
        self.change_one_account(user, change)
    }

    fn restricted_note(&self, record: RecordId) -> Result<Option<RestrictedNote>> {
        self.note_of(record)
    }

    fn informant(&self, tip: RecordId) -> Result<Option<Informant>> {
        self.informant_of(tip)
    }

    fn restricted_all(&self) -> Result<crate::store::Restricted> {
        self.all_restricted()
    }

    fn adopt_audit(&self, entries: &[AuditEntry]) -> Result<()> {
        self.adopt(entries)
    }

    fn generation(&self) -> Result<u64> {
        self.feed_generation()
    }

    fn cache_floor(&self) -> Result<u64> {
        self.floor()
    }

    fn store_id(&self) -> Result<u64> {
        self.id_of_store()
    }

    fn changes_since(&self, generation: u64) -> Result<Vec<(RecordId, u64)>> {
        self.changed_since(generation)
    }

    fn prune_changes(&self, generation: u64) -> Result<()> {
        self.prune(generation)
    }

    fn wait_for_change(&self, timeout: std::time::Duration) -> bool {
        self.wait_for_notice(timeout)
    }

    fn check(&self) -> Result<CheckReport> {
        self.check_all()
    }

    /// Refused: the database is backed up with its own tools (the README says how).
    fn backup(&self, _path: &Path) -> Result<BackupSummary, BackupError> {
        Err(BackupError::NotThisEngine)
    }

    /// Nothing to do: each write was committed (and flushed by the database) before it
    /// returned.
    fn sync_now(&self) -> Result<()> {
        Ok(())
    }

    fn read_only_reason(&self) -> Option<String> {
        None
    }
}
