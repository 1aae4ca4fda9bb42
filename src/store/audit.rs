//! The audit trail, the officer accounts and the restricted notes: three trees beside the
//! records. An audit entry is appended inside the transaction of the write it records (see
//! [`SledBackend::write`]), or alone for what writes nothing (a log-on, a search, a refusal).
//! Each unit's chain has its head (last sequence number and hash) in `meta`, updated in the
//! same transaction, so a removed last entry is caught too. Nothing here ever deletes an
//! audit entry: retention is the life of the store (at least the year the plan asks).
//!
//! Keys: the desk's chain (no unit, and every entry of a store from before chains were
//! kept per unit) under the entry's number alone, 8 bytes big-endian, its head under
//! `audit_head`; a unit's chain under `0xFF`, the unit, `0x00`, the number — `0xFF` never
//! begins a number below 2⁵⁶ nor occurs in UTF-8, so the desk's chain is every key below
//! it — and its head under `audit_head/` and the unit.

use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

use crate::domain::RecordId;
use crate::domain::access::{Account, RestrictedNote};
use crate::domain::audit::{AuditDraft, AuditEntry, AuditQuery, BrokenChain, ChainHead};

use super::{Result, SledBackend, StoreError, keys};

pub(super) const AUDIT_TREE: &str = "audit";
pub(super) const ACCOUNTS_TREE: &str = "accounts";
pub(super) const NOTES_TREE: &str = "restricted/notes";
const HEAD: &[u8] = b"audit_head";
const UNIT_HEAD_PREFIX: &[u8] = b"audit_head/";
/// The first byte of a unit chain's keys.
const UNIT_KEYS: u8 = 0xFF;

/// Where entry `seq` of `unit`'s chain is kept.
fn entry_key(unit: &str, seq: u64) -> Vec<u8> {
    let mut key = chain_prefix(unit);
    key.extend_from_slice(&seq.to_be_bytes());
    key
}

/// What every key of `unit`'s chain begins with (nothing for the desk's chain).
fn chain_prefix(unit: &str) -> Vec<u8> {
    if unit.is_empty() {
        return Vec::new();
    }
    let mut key = vec![UNIT_KEYS];
    key.extend_from_slice(unit.as_bytes());
    key.push(0);
    key
}

/// Where `unit`'s head is kept in `meta`.
fn head_key(unit: &str) -> Vec<u8> {
    if unit.is_empty() {
        return HEAD.to_vec();
    }
    [UNIT_HEAD_PREFIX, unit.as_bytes()].concat()
}

/// The chain and number a key names; none for a key of no chain's shape.
fn key_place(key: &[u8]) -> Option<(String, u64)> {
    let (rest, seq) = key.split_at_checked(key.len().checked_sub(8)?)?;
    let seq = u64::from_be_bytes(<[u8; 8]>::try_from(seq).ok()?);
    match rest {
        [] => Some((String::new(), seq)),
        [UNIT_KEYS, unit @ .., 0] if !unit.is_empty() => {
            Some((std::str::from_utf8(unit).ok()?.to_string(), seq))
        }
        _ => None,
    }
}

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
    let head_key = head_key(&draft.unit);
    let head = head_of(meta.get(&head_key)?).map_err(ConflictableTransactionError::Abort)?;
    let entry = AuditEntry::chain(head.as_ref().map(|(s, h)| (*s, h.as_str())), draft.clone());
    // Plain data always serializes.
    let value = serde_json::to_vec(&entry).unwrap_or_default();
    audit.insert(entry_key(&draft.unit, entry.seq), value)?;
    let head = serde_json::to_vec(&(entry.seq, &entry.hash)).unwrap_or_default();
    meta.insert(head_key, head)?;
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

    /// The head of every unit's chain, by unit (the desk's first).
    pub fn audit_heads(&self) -> Result<Vec<ChainHead>> {
        let mut heads = Vec::new();
        let desk = std::iter::once(self.meta.get(HEAD).map(|v| v.map(|v| (HEAD.into(), v))));
        let units = self
            .meta
            .scan_prefix(UNIT_HEAD_PREFIX)
            .map(|item| item.map(Some));
        for item in desk.chain(units) {
            let Some((key, value)) = item? else {
                continue;
            };
            let unit = key.get(UNIT_HEAD_PREFIX.len()..).unwrap_or_default();
            let unit = String::from_utf8_lossy(unit).into_owned();
            if let Some((seq, hash)) = head_of(Some(value))? {
                heads.push(ChainHead { unit, seq, hash });
            }
        }
        Ok(heads)
    }

    /// The entries of `unit`'s chain, newest first, as (number, stored bytes).
    fn chain_newest_first(
        &self,
        unit: &str,
    ) -> impl Iterator<Item = Result<(Vec<u8>, sled::IVec)>> + use<> {
        let prefix = chain_prefix(unit);
        let entries = if unit.is_empty() {
            self.audit.range(..&[UNIT_KEYS][..])
        } else {
            self.audit.scan_prefix(&prefix)
        };
        let length = prefix.len() + 8;
        entries
            .rev()
            .filter(move |item| item.as_ref().map_or(true, |(key, _)| key.len() == length))
            .map(|item| {
                item.map(|(key, value)| (key.to_vec(), value))
                    .map_err(Into::into)
            })
    }

    /// Entries matching `query`, oldest first (the newest `limit` when a limit is set):
    /// each chain read from its newest end, then merged by time.
    pub fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut chains = Vec::new();
        for head in self.audit_heads()? {
            let mut chain = Vec::new();
            for item in self.chain_newest_first(&head.unit) {
                let (key, value) = item?;
                let entry = decode_entry(&key, &value)?;
                if query.matches(&entry) {
                    chain.push(entry);
                    if query.limit > 0 && chain.len() >= query.limit {
                        break;
                    }
                }
            }
            chain.reverse();
            chains.push(chain);
        }
        Ok(crate::domain::audit::merge_newest(chains, query.limit))
    }

    /// Walks every chain: the number of entries, or where one is broken. The chains are
    /// taken from the keys as well as from the heads, so a chain whose head was removed, or
    /// a head whose chain was, is caught.
    ///
    /// Holds the gate exclusive while it reads: sled applies a transaction's trees one by
    /// one, so a reader beside a write could see an entry before its head moved.
    pub fn verify_audit(&self) -> Result<std::result::Result<u64, BrokenChain>> {
        let _gate = self
            .gate
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.verify_audit_held()
    }

    /// [`Self::verify_audit`] for a caller that holds the gate already.
    pub(super) fn verify_audit_held(&self) -> Result<std::result::Result<u64, BrokenChain>> {
        type Keyed = Vec<(u64, std::result::Result<AuditEntry, String>)>;
        let mut chains: std::collections::BTreeMap<String, Keyed> = Default::default();
        for item in self.audit.iter() {
            let (key, value) = item?;
            let Some((unit, seq)) = key_place(&key) else {
                return Ok(Err(BrokenChain {
                    unit: String::new(),
                    at: crate::domain::audit::ChainBreak::Unreadable {
                        key: 0,
                        reason: format!("a key of no chain's shape: {key:?}"),
                    },
                }));
            };
            let entry = serde_json::from_slice::<AuditEntry>(&value).map_err(|e| e.to_string());
            chains.entry(unit).or_default().push((seq, entry));
        }
        let mut heads: std::collections::BTreeMap<String, (u64, String)> = self
            .audit_heads()?
            .into_iter()
            .map(|h| (h.unit, (h.seq, h.hash)))
            .collect();
        for unit in heads.keys() {
            chains.entry(unit.clone()).or_default();
        }
        let mut count = 0;
        for (unit, entries) in chains {
            let head = heads.remove(&unit);
            match crate::domain::audit::verify_chain(&unit, entries, head) {
                Ok(n) => count += n,
                Err(broken) => return Ok(Err(broken)),
            }
        }
        Ok(Ok(count))
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

    /// Appends entries as they are, after their chains' heads, in one transaction, then
    /// durable.
    pub fn adopt_audit(&self, entries: &[AuditEntry]) -> Result<()> {
        self.refuse_if_read_only()?;
        let heads = super::backend::refuse_unchained(&self.audit_heads()?, entries)?;
        let gate = self
            .gate
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let result = (&self.meta, &self.audit).transaction(|(meta, audit)| {
            for entry in entries {
                let value = serde_json::to_vec(entry).unwrap_or_default();
                audit.insert(entry_key(&entry.draft.unit, entry.seq), value)?;
            }
            for head in &heads {
                let value = serde_json::to_vec(&(head.seq, &head.hash)).unwrap_or_default();
                meta.insert(head_key(&head.unit), value)?;
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
        let place = key_place(key).map_or_else(
            || format!("{key:?}"),
            |(unit, seq)| format!("{} #{seq}", crate::domain::audit::chain_name(&unit)),
        );
        decode_err(AUDIT_TREE, place, e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_their_chain_and_number() {
        for (unit, seq) in [("", 1), ("", 77), ("Phòng PV01", 1), ("A\u{0}B", 9)] {
            assert_eq!(
                key_place(&entry_key(unit, seq)),
                Some((unit.to_string(), seq))
            );
        }
        // The desk's chain is every key below a unit's.
        assert!(entry_key("", u64::from(u32::MAX)) < entry_key("A", 1));
        assert_eq!(key_place(b"short"), None);
    }
}
