//! The audit trail, the officer accounts and the restricted notes: three trees beside the
//! records. An audit entry is appended inside the transaction of the write it records (see
//! [`SledBackend::write`]), or alone for what writes nothing (a log-on, a search, a refusal).
//! The chain's head (last sequence number and hash) lives in `meta`, updated in the same
//! transaction, so a removed last entry is caught too. Nothing here ever deletes an audit
//! entry: retention is the life of the store (at least the year the plan asks).

use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

use crate::domain::RecordId;
use crate::domain::access::{Account, RestrictedNote};
use crate::domain::audit::{AuditDraft, AuditEntry, AuditQuery, ChainBreak};

use super::{Result, SledBackend, StoreError, keys};

pub(super) const AUDIT_TREE: &str = "audit";
pub(super) const ACCOUNTS_TREE: &str = "accounts";
pub(super) const NOTES_TREE: &str = "restricted/notes";
const HEAD: &[u8] = b"audit_head";

type TxResult<T> = std::result::Result<T, ConflictableTransactionError<StoreError>>;

fn decode_err(tree: &str, key: String, reason: String) -> StoreError {
    StoreError::Decode {
        tree: tree.into(),
        key,
        reason,
    }
}

fn head_of(bytes: Option<sled::IVec>) -> Result<Option<(u64, String)>> {
    match bytes {
        None => Ok(None),
        Some(b) => serde_json::from_slice(&b)
            .map(Some)
            .map_err(|e| decode_err("meta", "audit_head".into(), e.to_string())),
    }
}

/// Inside a write transaction: chains `draft` after the head and stores it.
pub(super) fn append_in_transaction(
    meta: &TransactionalTree,
    audit: &TransactionalTree,
    draft: &AuditDraft,
) -> TxResult<AuditEntry> {
    let head = head_of(meta.get(HEAD)?).map_err(ConflictableTransactionError::Abort)?;
    let entry = AuditEntry::chain(head.as_ref().map(|(s, h)| (*s, h.as_str())), draft.clone());
    // Plain data always serializes.
    let value = serde_json::to_vec(&entry).unwrap_or_default();
    audit.insert(&entry.seq.to_be_bytes(), value)?;
    let head = serde_json::to_vec(&(entry.seq, &entry.hash)).unwrap_or_default();
    meta.insert(HEAD, head)?;
    Ok(entry)
}

pub(super) fn put_account_in_transaction(
    accounts: &TransactionalTree,
    account: &Account,
) -> TxResult<()> {
    let value = serde_json::to_vec(account).unwrap_or_default();
    accounts.insert(account.user.as_bytes(), value)?;
    Ok(())
}

pub(super) fn put_note_in_transaction(
    notes: &TransactionalTree,
    record: RecordId,
    note: &RestrictedNote,
) -> TxResult<()> {
    let value = serde_json::to_vec(note).unwrap_or_default();
    notes.insert(record_note_key(record), value)?;
    Ok(())
}

/// The kind's prefix and the record number, so notes of different kinds never collide.
fn record_note_key(id: RecordId) -> Vec<u8> {
    let mut key = id.kind().prefix().as_bytes().to_vec();
    key.extend_from_slice(&keys::record_key(id));
    key
}

impl SledBackend {
    /// Appends one audit entry on its own (for what writes no record). Durable within
    /// sled's flush interval (≤ 0.5 s), not fsynced one by one: a search typed letter by
    /// letter must not cost an fsync per letter. Entries of changes are written with the
    /// change and fsynced with it ([`SledBackend::write`]).
    pub fn append_audit(&self, draft: &AuditDraft) -> Result<AuditEntry> {
        self.refuse_if_read_only()?;
        // Shared, like every write: a backup sees the entry and the head together.
        let gate = self
            .gate
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let result = (&self.meta, &self.audit)
            .transaction(|(meta, audit)| append_in_transaction(meta, audit, draft));
        drop(gate);
        let result = match result {
            Ok(entry) => Ok(entry),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        };
        self.note_write_failure(result)
    }

    /// Reads `user`'s account and writes what `change` makes of it, with the audit entry
    /// `change` drafts, in one durable transaction: two connections changing one account
    /// (two PIN guesses at once) are serialized, each sees the other's count. `change` may
    /// run more than once (a transaction retried on conflict), so it must only compute.
    /// Returns what `change` decided on the version it last saw.
    pub fn change_account<R>(
        &self,
        user: &str,
        change: &dyn Fn(Option<Account>) -> (Option<Account>, Option<AuditDraft>, R),
    ) -> Result<R> {
        self.refuse_if_read_only()?;
        let gate = self
            .gate
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let result = (&self.meta, &self.changes, &self.audit, &self.accounts).transaction(
            |(meta, changes, audit, accounts)| {
                let current = match accounts.get(user.as_bytes())? {
                    None => None,
                    Some(b) => Some(serde_json::from_slice::<Account>(&b).map_err(|e| {
                        ConflictableTransactionError::Abort(decode_err(
                            ACCOUNTS_TREE,
                            user.into(),
                            e.to_string(),
                        ))
                    })?),
                };
                let (next, draft, decided) = change(current);
                if let Some(next) = &next {
                    put_account_in_transaction(accounts, next)?;
                    // The seal covers the generation: an account write moves it.
                    super::changes::log_in_transaction(meta, changes, std::iter::empty())?;
                }
                if let Some(draft) = &draft {
                    append_in_transaction(meta, audit, draft)?;
                }
                Ok((decided, next.is_some()))
            },
        );
        drop(gate);
        let result = match result {
            Ok((decided, wrote)) => {
                if wrote {
                    self.make_durable()?;
                }
                Ok(decided)
            }
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        };
        self.note_write_failure(result)
    }

    /// The head of the chain: the last entry's number and hash.
    pub fn audit_head(&self) -> Result<Option<(u64, String)>> {
        head_of(self.meta.get(HEAD)?)
    }

    /// Entries matching `query`, oldest first (the newest `limit` when a limit is set).
    pub fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut out = Vec::new();
        for item in self.audit.iter().rev() {
            let (key, value) = item?;
            let entry = decode_entry(&key, &value)?;
            if query.matches(&entry) {
                out.push(entry);
                if query.limit > 0 && out.len() >= query.limit {
                    break;
                }
            }
        }
        out.reverse();
        Ok(out)
    }

    /// Walks the whole chain: the number of entries, or where it is broken.
    pub fn verify_audit(&self) -> Result<std::result::Result<u64, ChainBreak>> {
        let mut entries = Vec::new();
        for item in self.audit.iter() {
            let (key, value) = item?;
            let seq = <[u8; 8]>::try_from(key.as_ref()).map_or(0, u64::from_be_bytes);
            let entry = serde_json::from_slice::<AuditEntry>(&value).map_err(|e| e.to_string());
            entries.push((seq, entry));
        }
        Ok(crate::domain::audit::verify(entries, self.audit_head()?))
    }

    pub fn account(&self, user: &str) -> Result<Option<Account>> {
        match self.accounts.get(user.as_bytes())? {
            None => Ok(None),
            Some(b) => serde_json::from_slice(&b)
                .map(Some)
                .map_err(|e| decode_err(ACCOUNTS_TREE, user.into(), e.to_string())),
        }
    }

    pub fn accounts(&self) -> Result<Vec<Account>> {
        let mut out = Vec::new();
        for item in self.accounts.iter() {
            let (key, value) = item?;
            out.push(serde_json::from_slice(&value).map_err(|e| {
                decode_err(
                    ACCOUNTS_TREE,
                    String::from_utf8_lossy(&key).into_owned(),
                    e.to_string(),
                )
            })?);
        }
        Ok(out)
    }

    /// A record's restricted note, if any. Callers must check who reads.
    pub fn restricted_note(&self, record: RecordId) -> Result<Option<RestrictedNote>> {
        match self.notes.get(record_note_key(record))? {
            None => Ok(None),
            Some(b) => serde_json::from_slice(&b)
                .map(Some)
                .map_err(|e| decode_err(NOTES_TREE, record.to_string(), e.to_string())),
        }
    }
}

impl SledBackend {
    /// Every informant and note, in ID order (moving the store).
    pub fn restricted_all(&self) -> Result<super::Restricted> {
        let mut out = super::Restricted::default();
        for item in self.restricted.iter() {
            let (key, _) = item?;
            if let Some(tip) = keys::id_from_key_tail(crate::domain::Kind::Tip, &key)
                && let Some(informant) = self.informant(tip)?
            {
                out.informants.push((tip, informant));
            }
        }
        for item in self.notes.iter() {
            let (key, _) = item?;
            let prefix = key.get(..key.len().saturating_sub(8)).unwrap_or_default();
            let kind = std::str::from_utf8(prefix)
                .ok()
                .and_then(crate::domain::Kind::from_prefix);
            if let Some(record) = kind.and_then(|kind| keys::id_from_key_tail(kind, &key))
                && let Some(note) = self.restricted_note(record)?
            {
                out.notes.push((record, note));
            }
        }
        out.informants.sort_by_key(|(id, _)| *id);
        out.notes.sort_by_key(|(id, _)| *id);
        Ok(out)
    }

    /// Appends entries as they are, after the head, in one transaction, then durable.
    pub fn adopt_audit(&self, entries: &[AuditEntry]) -> Result<()> {
        self.refuse_if_read_only()?;
        super::backend::refuse_unchained(self.audit_head()?, entries)?;
        let gate = self
            .gate
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let result = (&self.meta, &self.audit).transaction(|(meta, audit)| {
            for entry in entries {
                let value = serde_json::to_vec(entry).unwrap_or_default();
                audit.insert(&entry.seq.to_be_bytes(), value)?;
            }
            if let Some(last) = entries.last() {
                let head = serde_json::to_vec(&(last.seq, &last.hash)).unwrap_or_default();
                meta.insert(HEAD, head)?;
            }
            Ok(())
        });
        drop(gate);
        let result = match result {
            Ok(()) => self.make_durable(),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        };
        self.note_write_failure(result)
    }
}

fn decode_entry(key: &[u8], value: &[u8]) -> Result<AuditEntry> {
    serde_json::from_slice(value).map_err(|e| {
        let seq = <[u8; 8]>::try_from(key).map_or(0, u64::from_be_bytes);
        decode_err(AUDIT_TREE, seq.to_string(), e.to_string())
    })
}
