//! The sled engine's write of parts: records too many for one transaction in memory (a
//! year's guest declarations) written part by part, still all or nothing.
//!
//! Before the first part, a durable mark in `meta` says a write of parts is under way, and
//! notes each collection's first free number. A record numbered below it may exist: before
//! a part changes it, the part's own transaction keeps in the `undo` tree what it held
//! (nothing, or the old record). A record numbered from it on cannot have existed before:
//! the undo removes every such record, so nothing is kept for it, nor read first. The last
//! transaction removes the mark and adds the audit entry; then the undo entries are thrown
//! away. A write that fails is undone at once; one cut short by `kill -9` or a power cut is
//! undone when the store next opens, because the mark is still there. The store's gate is
//! held exclusive throughout: no other write can change what the undo would put back.

use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

use crate::domain::audit::{AuditDraft, AuditEntry};
use crate::domain::{Kind, Record, RecordId};

use super::*;

/// In `meta` while a write of parts is under way: each collection's first free number at
/// its start, big-endian, in `Kind::ALL` order.
const UNDER_WAY: &[u8] = b"parts_under_way";
/// Records per sled transaction within a part: sled holds a transaction's writes in
/// memory, and the undo makes the parts whole anyway.
const TRANSACTION_RECORDS: usize = 1_000;
/// New numbers remembered as written (one bit each) above a collection's first free
/// number; a number further up is read before it is written, as an old one is.
const NEW_NUMBERS_NOTED: u64 = 1 << 26;
/// The tree of undo entries: `[kind index] ++ record key` → the old record, or empty.
pub(super) const UNDO_TREE: &str = "undo/parts";

/// How a write of parts writes one record (see [`SledBackend::put_one`]).
pub(super) enum PartWrite<'a> {
    /// Numbered from the collection's first free number on; `first`: not written before in
    /// this write, so there is nothing to read.
    New { first: bool },
    /// Numbered below it: what it held is kept in this undo tree first.
    Old(&'a TransactionalTree),
}

/// Inside a part's transaction: keeps what `key` of `kind` held before the write of parts
/// changed it first (an empty value: nothing).
pub(super) fn keep_for_undo(
    undo: &TransactionalTree,
    kind: Kind,
    key: &[u8],
    old: Option<&sled::IVec>,
) -> Result<(), ConflictableTransactionError<StoreError>> {
    let mut undo_key = Vec::with_capacity(key.len() + 1);
    undo_key.push(kind.index() as u8);
    undo_key.extend_from_slice(key);
    if undo.get(&undo_key)?.is_none() {
        undo.insert(undo_key, old.map_or(&[][..], |v| v.as_ref()))?;
    }
    Ok(())
}

/// The new numbers written so far, per collection, from its first free number on.
struct NewNumbers {
    starts: Vec<u64>,
    written: Vec<Vec<u64>>,
}

impl NewNumbers {
    fn new(starts: Vec<u64>) -> NewNumbers {
        let written = starts.iter().map(|_| Vec::new()).collect();
        NewNumbers { starts, written }
    }

    /// How `id` is written: new (`Some`: the first time, or again) or old (`None`).
    fn write_of(&mut self, id: RecordId) -> Option<bool> {
        let k = id.kind().index();
        let offset = id.num().checked_sub(self.starts[k])?;
        if offset >= NEW_NUMBERS_NOTED {
            return Some(false);
        }
        let (word, bit) = ((offset / 64) as usize, 1u64 << (offset % 64));
        let words = &mut self.written[k];
        if words.len() <= word {
            words.resize(word + 1, 0);
        }
        let first = words[word] & bit == 0;
        words[word] |= bit;
        Some(first)
    }
}

fn starts_of(mark: &[u8]) -> Vec<u64> {
    Kind::ALL
        .iter()
        .enumerate()
        .map(|(i, _)| {
            mark.get(i * 8..i * 8 + 8)
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .map_or(u64::MAX, u64::from_be_bytes)
        })
        .collect()
}

impl SledBackend {
    /// See [`Backend::write_in_parts`].
    pub fn write_parts(
        &self,
        next: &mut dyn FnMut() -> Result<Option<Vec<Record>>>,
        audit: &dyn Fn() -> Option<AuditDraft>,
        check: Option<&RecordCheck>,
    ) -> Result<Option<AuditEntry>> {
        self.refuse_if_read_only()?;
        let result = self.write_parts_gated(next, audit, check);
        self.note_write_failure(result)
    }

    fn write_parts_gated(
        &self,
        next: &mut dyn FnMut() -> Result<Option<Vec<Record>>>,
        audit: &dyn Fn() -> Option<AuditDraft>,
        check: Option<&RecordCheck>,
    ) -> Result<Option<AuditEntry>> {
        let gate = self
            .gate
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.undo.clear()?;
        let starts: Vec<u64> = self
            .next_num
            .iter()
            .map(|n| n.load(std::sync::atomic::Ordering::SeqCst))
            .collect();
        let mark: Vec<u8> = starts.iter().flat_map(|n| n.to_be_bytes()).collect();
        self.meta.insert(UNDER_WAY, mark)?;
        self.make_durable()?;
        let written = self.write_each_part(next, audit, check, NewNumbers::new(starts));
        let entry = match written {
            Ok(entry) => entry,
            Err(e) => {
                self.undo_parts()?;
                return Err(e);
            }
        };
        self.make_durable()?;
        // The mark is gone with the last part: what the undo tree holds is no longer needed.
        self.undo.clear()?;
        drop(gate);
        Ok(entry)
    }

    fn write_each_part(
        &self,
        next: &mut dyn FnMut() -> Result<Option<Vec<Record>>>,
        audit: &dyn Fn() -> Option<AuditDraft>,
        check: Option<&RecordCheck>,
        mut new_numbers: NewNumbers,
    ) -> Result<Option<AuditEntry>> {
        let mut trees = self.trees.clone();
        trees.push(self.undo.clone());
        let undo_slot = trees.len() - 1;
        while let Some(records) = next()? {
            for record in &records {
                self.note_used(record.id());
            }
            // Transactions of a thousand records: sled holds a transaction's writes in
            // memory, and the undo entries make the part whole anyway.
            for chunk in records.chunks(TRANSACTION_RECORDS) {
                let new: Vec<Option<bool>> =
                    chunk.iter().map(|r| new_numbers.write_of(r.id())).collect();
                let written = trees.as_slice().transaction(|tx| {
                    let mut added = [0u64; Kind::ALL.len()];
                    for (record, new) in chunk.iter().zip(&new) {
                        let how = match new {
                            Some(first) => PartWrite::New { first: *first },
                            None => PartWrite::Old(&tx[undo_slot]),
                        };
                        if self.put_one(tx, record, check, Some(how))? {
                            added[record.kind().index()] += 1;
                        }
                    }
                    counts::add_in_transaction(&tx[META_SLOT], &added)?;
                    Ok(())
                });
                unwrap_transaction(written)?;
            }
            // No other write runs meanwhile (the gate): what is there now stays there.
            for record in &records {
                for (field, target) in record.references() {
                    if !self
                        .tree(target.kind())
                        .contains_key(keys::record_key(target))?
                    {
                        return Err(StoreError::MissingReference {
                            record: record.id(),
                            field,
                            target,
                        });
                    }
                }
            }
            // Each part durable with its undo entries: a cut after it finds them on the disk
            // (and the mark, which undoes them), whatever sled had flushed by itself.
            self.make_durable()?;
        }
        let done = self.trees.as_slice().transaction(|tx| {
            let meta = &tx[META_SLOT];
            meta.remove(UNDER_WAY)?;
            changes::raise_floor_in_transaction(meta)?;
            match audit() {
                Some(d) => Ok(Some(audit::append_in_transaction(
                    meta,
                    &tx[META_SLOT + 3],
                    &d,
                )?)),
                None => Ok(None),
            }
        });
        unwrap_transaction(done)
    }

    /// Puts back what the undo tree kept and removes every record numbered from its
    /// collection's first free number at the start (a write of parts that failed, or that
    /// a cut left under way), then removes the mark; durable on return. Doing it twice does
    /// no harm.
    fn undo_parts(&self) -> Result<()> {
        let starts = starts_of(&self.meta.get(UNDER_WAY)?.unwrap_or_default());
        for item in self.undo.iter() {
            let (undo_key, old) = item?;
            let Some((&slot, key)) = undo_key.split_first() else {
                continue;
            };
            let Some(kind) = Kind::ALL.get(usize::from(slot)).copied() else {
                continue;
            };
            self.drop_current(kind, key)?;
            if !old.is_empty() {
                self.tree(kind).insert(key, old.clone())?;
                let record = self.decode(kind, key, &old)?;
                for (index, index_key) in indexes::entries(&record) {
                    self.index_tree(index).insert(index_key, &[])?;
                }
                self.add_to_count(kind, 1)?;
            }
        }
        for (kind, start) in Kind::ALL.into_iter().zip(starts) {
            if start == u64::MAX {
                continue;
            }
            let from = keys::record_key(RecordId::new(kind, start));
            for item in self.tree(kind).range(from.as_slice()..) {
                let (key, _) = item?;
                self.drop_current(kind, &key)?;
            }
        }
        self.meta.remove(UNDER_WAY)?;
        self.raise_cache_floor()?;
        self.make_durable()?;
        self.undo.clear()?;
        Ok(())
    }

    /// Removes the record at `key` of `kind`, if any, with its index entries and count.
    fn drop_current(&self, kind: Kind, key: &[u8]) -> Result<()> {
        if let Some(current) = self.tree(kind).remove(key)? {
            if let Ok(record) = self.decode(kind, key, &current) {
                for (index, index_key) in indexes::entries(&record) {
                    self.index_tree(index).remove(index_key)?;
                }
            }
            self.add_to_count(kind, -1)?;
        }
        Ok(())
    }

    /// At open: undoes a write of parts a cut left under way.
    pub(super) fn finish_interrupted_parts(&self) -> Result<()> {
        if self.meta.contains_key(UNDER_WAY)? {
            self.undo_parts()?;
        } else if !self.undo.is_empty() {
            self.undo.clear()?;
        }
        Ok(())
    }
}

fn unwrap_transaction<T>(
    result: std::result::Result<T, TransactionError<StoreError>>,
) -> Result<T> {
    match result {
        Ok(value) => Ok(value),
        Err(TransactionError::Abort(e)) => Err(e),
        Err(TransactionError::Storage(e)) => Err(e.into()),
    }
}
