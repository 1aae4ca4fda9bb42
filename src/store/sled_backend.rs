//! [`SledBackend`] behind the [`Backend`] trait: each method is the store's own, and the
//! typed lookups are answered from the `idx/*` trees, or by reading the collection where
//! this engine keeps no index (the file format is unchanged: no tree was added for them).

use std::path::Path;

use crate::domain::access::{Account, RestrictedNote};
use crate::domain::audit::{AuditDraft, AuditEntry, AuditQuery, BrokenChain, ChainHead};
use crate::domain::{Informant, Kind, Record, RecordId};

use super::backend::{AccountChange, Backend, Lookup};
use super::backup::{BackupError, BackupSummary};
use super::check::CheckReport;
use super::keys::KeyBuf;
use super::{Index, Result, SledBackend, Write};

impl Backend for SledBackend {
    fn files(&self) -> Option<&Path> {
        Some(self.dir())
    }

    fn reserve_ids(&self, kind: Kind, count: u64) -> Result<u64> {
        Ok(SledBackend::reserve_ids(self, kind, count))
    }

    fn get(&self, id: RecordId) -> Result<Option<Record>> {
        SledBackend::get(self, id)
    }

    fn contains(&self, id: RecordId) -> Result<bool> {
        SledBackend::contains(self, id)
    }

    fn page(
        &self,
        kind: Kind,
        after: Option<RecordId>,
        newest_first: bool,
        limit: usize,
    ) -> Result<Vec<Record>> {
        match newest_first {
            false => self.scan_after(kind, after).take(limit).collect(),
            true => self.scan_before(kind, after).take(limit).collect(),
        }
    }

    fn lookup(&self, lookup: &Lookup) -> Result<Vec<Record>> {
        match lookup {
            Lookup::WantedWithStatus(status) => {
                let prefix = KeyBuf::new().text(status.code()).finish();
                self.records_of(self.index_prefix(Index::WantedByStatus, &prefix))
            }
            Lookup::GuestsCheckedIn { from, to } => {
                let start = KeyBuf::new().instant(*from).finish();
                let end = KeyBuf::new().instant(*to).finish();
                if start >= end {
                    return Ok(Vec::new());
                }
                self.records_of(self.index_range(Index::GuestsByCheckIn, &start, &end))
            }
            Lookup::GuestsCheckedInAt(instants) => {
                let mut instants = instants.clone();
                instants.sort();
                instants.dedup();
                let mut out = Vec::new();
                for at in instants {
                    let start = KeyBuf::new().instant(at).finish();
                    let end = KeyBuf::new()
                        .instant(at + chrono::Duration::seconds(1))
                        .finish();
                    out.extend(self.records_of(self.index_range(
                        Index::GuestsByCheckIn,
                        &start,
                        &end,
                    ))?);
                }
                out.retain(|r| lookup.keeps(r));
                Ok(out)
            }
            Lookup::GuestsOf(establishment) => {
                let prefix = KeyBuf::new().id(*establishment).finish();
                self.records_of(self.index_prefix(Index::GuestsByEstablishment, &prefix))
            }
            Lookup::PersonsWithDocumentNumber(number) => {
                let prefix = KeyBuf::new().text(number).finish();
                let mut persons =
                    self.records_of(self.index_prefix(Index::PersonsByIdNumber, &prefix))?;
                // A prefix of a longer number shares the prefix: keep the exact ones.
                persons.retain(|r| {
                    matches!(r, Record::Person(p) if p.id_doc.as_ref().is_some_and(|d| &d.number == number))
                });
                persons.sort_by_key(Record::id);
                persons.dedup_by_key(|r| r.id());
                Ok(persons)
            }
            Lookup::AssignmentsOn(date) => {
                let prefix = KeyBuf::new().date(*date).finish();
                self.records_of(self.index_prefix(Index::AssignmentsByDate, &prefix))
            }
            Lookup::LatestInspections => {
                super::lookup_rule::latest_inspections(self.scan(Kind::Inspection))
            }
            Lookup::HandoverStarting(_) => {
                let mut found = self.filtered(lookup.kind(), |r| lookup.keeps(r))?;
                found.truncate(1);
                Ok(found)
            }
            // The rest this engine answers by reading the collection.
            _ => self.filtered(lookup.kind(), |r| lookup.keeps(r)),
        }
    }

    fn count(&self, kind: Kind) -> Result<u64> {
        self.stored_count(kind)
    }

    fn write(&self, w: &Write<'_>) -> Result<Option<AuditEntry>> {
        SledBackend::write(self, w)
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
        SledBackend::bulk_load(self, records)
    }

    fn append_audit(&self, draft: &AuditDraft) -> Result<AuditEntry> {
        SledBackend::append_audit(self, draft)
    }

    fn audit_heads(&self) -> Result<Vec<ChainHead>> {
        SledBackend::audit_heads(self)
    }

    fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        SledBackend::audit_entries(self, query)
    }

    fn verify_audit(&self) -> Result<std::result::Result<u64, BrokenChain>> {
        SledBackend::verify_audit(self)
    }

    fn account(&self, user: &str) -> Result<Option<Account>> {
        SledBackend::account(self, user)
    }

    fn accounts(&self) -> Result<Vec<Account>> {
        SledBackend::accounts(self)
    }

    fn change_account(
        &self,
        user: &str,
        change: &dyn Fn(Option<Account>) -> AccountChange,
    ) -> Result<()> {
        SledBackend::change_account(self, user, &|current| {
            let (next, draft) = change(current);
            (next, draft, ())
        })
    }

    fn restricted_note(&self, record: RecordId) -> Result<Option<RestrictedNote>> {
        SledBackend::restricted_note(self, record)
    }

    fn informant(&self, tip: RecordId) -> Result<Option<Informant>> {
        SledBackend::informant(self, tip)
    }

    fn restricted_all(&self) -> Result<super::Restricted> {
        SledBackend::restricted_all(self)
    }

    fn adopt_audit(&self, entries: &[AuditEntry]) -> Result<()> {
        SledBackend::adopt_audit(self, entries)
    }

    fn generation(&self) -> Result<u64> {
        SledBackend::generation(self)
    }

    fn cache_floor(&self) -> Result<u64> {
        SledBackend::cache_floor(self)
    }

    fn store_id(&self) -> Result<u64> {
        SledBackend::store_id(self)
    }

    fn changes_since(&self, generation: u64) -> Result<Vec<(RecordId, u64)>> {
        SledBackend::changes_since(self, generation)
    }

    fn prune_changes(&self, generation: u64) -> Result<()> {
        SledBackend::prune_changes(self, generation)
    }

    fn check(&self) -> Result<CheckReport> {
        SledBackend::check(self)
    }

    fn backup(&self, path: &Path) -> Result<BackupSummary, BackupError> {
        SledBackend::backup(self, path)
    }

    fn sync_now(&self) -> Result<()> {
        SledBackend::sync_now(self)
    }

    fn read_only_reason(&self) -> Option<String> {
        SledBackend::read_only_reason(self).map(str::to_string)
    }
}

impl SledBackend {
    /// The records an index scan names, in its order.
    fn records_of(&self, ids: impl Iterator<Item = Result<RecordId>>) -> Result<Vec<Record>> {
        let mut out = Vec::new();
        for id in ids {
            if let Some(record) = SledBackend::get(self, id?)? {
                out.push(record);
            }
        }
        Ok(out)
    }

    /// The records of `kind` that `keep` keeps, in ID order: a lookup this engine keeps no
    /// index for.
    fn filtered(&self, kind: Kind, keep: impl Fn(&Record) -> bool) -> Result<Vec<Record>> {
        let mut out = Vec::new();
        for record in self.scan(kind) {
            let record = record?;
            if keep(&record) {
                out.push(record);
            }
        }
        Ok(out)
    }
}
