//! The sled engine's writes: one record or many, with what rides along (informant, audit
//! entry, account, note), in one sled transaction across every tree it touches; and the
//! bulk load that seeding and benchmarks use.

use std::collections::HashMap;

use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

use crate::domain::{Record, RecordId};

use super::*;

impl SledBackend {
    /// Writes records atomically (each record with its index entries; all or none) after
    /// checking that every record they reference exists in the store or in `records`, then
    /// makes the write durable. When this returns `Ok`, the write survives kill -9 and
    /// power loss.
    pub fn put(&self, records: &[Record]) -> Result<()> {
        self.put_with_informant(records, None)
    }

    /// [`SledBackend::put`], writing also a tip's informant in the same transaction, into the
    /// restricted tree (never into a record, an index or the change log).
    pub fn put_with_informant(
        &self,
        records: &[Record],
        informant: Option<(RecordId, &crate::domain::Informant)>,
    ) -> Result<()> {
        self.write(&Write {
            records,
            informant,
            ..Write::default()
        })
        .map(|_| ())
    }

    /// One atomic, durable write: records (with their index entries, reference checks and
    /// change log), and with them any restricted value, account, and the audit entry that
    /// records the write — all in one sled transaction, then fsynced. Returns the audit
    /// entry written, if any.
    pub fn write(&self, w: &Write<'_>) -> Result<Option<crate::domain::audit::AuditEntry>> {
        if w.records.is_empty() && w.informant.is_none() && w.note.is_none() && w.account.is_none()
        {
            return Ok(None);
        }
        self.refuse_if_read_only()?;
        let result = self.write_gated(w);
        self.note_write_failure(result)
    }

    fn write_gated(&self, w: &Write<'_>) -> Result<Option<crate::domain::audit::AuditEntry>> {
        let Write {
            records,
            informant,
            note,
            account,
            audit: draft,
            check,
        } = *w;
        // A poisoned gate only means another writer panicked; the trees are still whole.
        let gate = self
            .gate
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let committing = self.change_order.committing();
        let result = self.trees.as_slice().transaction(|tx| {
            let mut added = [0u64; Kind::ALL.len()];
            for record in records {
                if self.put_one(tx, record, check, None)? {
                    added[record.kind().index()] += 1;
                }
            }
            let (meta, changes) = (&tx[META_SLOT], &tx[META_SLOT + 1]);
            counts::add_in_transaction(meta, &added)?;
            // Every durable write moves the generation — also one that writes only an
            // account, a note or an informant — so that the seal (`seal.rs`) covers it.
            let generation =
                changes::log_in_transaction(meta, changes, records.iter().map(Record::id))?;
            if let Some((tip, informant)) = informant {
                restricted::put_in_transaction(&tx[META_SLOT + 2], tip, informant)?;
            }
            if let Some((record, note)) = note {
                audit::put_note_in_transaction(&tx[META_SLOT + 5], record, note)?;
            }
            if let Some(account) = account {
                audit::put_account_in_transaction(&tx[META_SLOT + 4], account)?;
            }
            refuse_missing_references(tx, records)?;
            let entry = match draft {
                Some(d) => Some(audit::append_in_transaction(meta, &tx[META_SLOT + 3], d)?),
                None => None,
            };
            Ok((entry, generation))
        });
        let entry = match result {
            Ok((entry, generation)) => {
                committing.committed(generation, records.iter().map(Record::id));
                entry
            }
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(e.into()),
        };
        drop(gate);
        for record in records {
            self.note_used(record.id());
        }
        self.make_durable()?;
        Ok(entry)
    }

    /// Writes one record and its index entries; true if the record is new. `part`: how a
    /// write of parts writes it (see `parts.rs`).
    pub(super) fn put_one(
        &self,
        tx: &[TransactionalTree],
        record: &Record,
        check: Option<&RecordCheck>,
        part: Option<parts::PartWrite<'_>>,
    ) -> Result<bool, ConflictableTransactionError<StoreError>> {
        let kind = record.kind();
        let key = keys::record_key(record.id());
        let records = &tx[kind.index()];
        let old = match part {
            Some(parts::PartWrite::New { first: true }) => None,
            _ => records.get(key)?,
        };
        if let Some(parts::PartWrite::Old(undo)) = part {
            parts::keep_for_undo(undo, kind, &key, old.as_ref())?;
        }
        let new = old.is_none();
        let old = match old {
            Some(old) => Some(
                self.decode(kind, &key, &old)
                    .map_err(ConflictableTransactionError::Abort)?,
            ),
            None => None,
        };
        if let Some(check) = check {
            check(old.as_ref(), record).map_err(|refusal| {
                ConflictableTransactionError::Abort(StoreError::Rule(refusal))
            })?;
        }
        if let Some(old) = old {
            for (index, index_key) in indexes::entries(&old) {
                tx[Kind::ALL.len() + index.position()].remove(index_key)?;
            }
        }
        records.insert(&key, envelope::encode(record))?;
        for (index, index_key) in indexes::entries(record) {
            tx[Kind::ALL.len() + index.position()].insert(index_key, &[])?;
        }
        Ok(new)
    }

    /// Loads many new records fast, for generated benchmark stores: per-tree batches, no
    /// reference checks, one fsync at the end. Not atomic across trees: never for user data.
    pub fn bulk_load(&self, records: &[Record]) -> Result<()> {
        self.refuse_if_read_only()?;
        let result = self.bulk_load_gated(records);
        self.note_write_failure(result)
    }

    fn bulk_load_gated(&self, records: &[Record]) -> Result<()> {
        let gate = self
            .gate
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut batches: HashMap<usize, sled::Batch> = HashMap::new();
        let mut added = [0u64; Kind::ALL.len()];
        let mut seen = std::collections::HashSet::new();
        for record in records {
            let key = keys::record_key(record.id());
            if seen.insert(record.id()) && !self.tree(record.kind()).contains_key(key)? {
                added[record.kind().index()] += 1;
            }
            batches
                .entry(record.kind().index())
                .or_default()
                .insert(&key, envelope::encode(record));
            for (index, index_key) in indexes::entries(record) {
                batches
                    .entry(Kind::ALL.len() + index.position())
                    .or_default()
                    .insert(index_key, &[]);
            }
            self.note_used(record.id());
        }
        for (tree, batch) in batches {
            self.trees[tree].apply_batch(batch)?;
        }
        self.add_counts(&added)?;
        self.raise_cache_floor()?;
        drop(gate);
        self.make_durable()
    }
}

/// Inside a write transaction: refuses a record naming one the store does not hold (after
/// this transaction's own writes).
fn refuse_missing_references(
    tx: &[TransactionalTree],
    records: &[Record],
) -> Result<(), ConflictableTransactionError<StoreError>> {
    for record in records {
        for (field, target) in record.references() {
            if tx[target.kind().index()]
                .get(keys::record_key(target))?
                .is_none()
            {
                return Err(ConflictableTransactionError::Abort(
                    StoreError::MissingReference {
                        record: record.id(),
                        field,
                        target,
                    },
                ));
            }
        }
    }
    Ok(())
}
