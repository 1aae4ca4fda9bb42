//! The audit chain (its head beside it, as the sled engine keeps it), the officer accounts and the restricted values on PostgreSQL. An entry
//! is chained under a transaction-level advisory lock, taken last in its transaction so it
//! is held only for the append and the commit; the table refuses UPDATE, DELETE and
//! TRUNCATE (see the migration), so the chain can only grow.

use r2d2_postgres::postgres::{self, GenericClient, Transaction};

use crate::domain::access::{Account, RestrictedNote};
use crate::domain::audit::{AuditDraft, AuditEntry, AuditQuery, ChainBreak};
use crate::domain::{Informant, RecordId};
use crate::store::{AccountChange, Result, StoreError};
use r2d2_postgres::postgres::types::ToSql;

use super::records::json;
use super::{Failed, PgBackend};

/// The advisory lock that serializes appends to the chain.
const AUDIT_LOCK: i64 = 0x6175_6469_7400; // "audit"
/// Entries read per query when walking the chain.
const AUDIT_PAGE: i64 = 5_000;

fn decode_err(table: &str, key: String, reason: String) -> StoreError {
    StoreError::Decode {
        tree: table.into(),
        key,
        reason,
    }
}

/// The chain's head (last number and hash), read by a transaction or a connection.
fn read_head(
    client: &mut impl GenericClient,
) -> std::result::Result<Option<(u64, String)>, postgres::Error> {
    Ok(client
        .query_opt("SELECT seq, hash FROM audit_head", &[])?
        .map(|row| {
            (
                u64::try_from(row.get::<_, i64>(0)).unwrap_or(0),
                row.get::<_, String>(1),
            )
        }))
}

/// Takes the chain's lock for the rest of the transaction and reads its head.
fn locked_head(
    tx: &mut Transaction<'_>,
) -> std::result::Result<Option<(u64, String)>, postgres::Error> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&AUDIT_LOCK])?;
    read_head(tx)
}

/// Stores entries that follow the head, and makes the last one the head.
fn store_entries(
    tx: &mut Transaction<'_>,
    entries: &[AuditEntry],
) -> std::result::Result<(), postgres::Error> {
    for entry in entries {
        tx.execute(
            "INSERT INTO audit (seq, hash, entry) VALUES ($1, $2, $3::text::jsonb)",
            &[
                &i64::try_from(entry.seq).unwrap_or(i64::MAX) as &(dyn ToSql + Sync),
                &entry.hash,
                &json(entry),
            ],
        )?;
    }
    if let Some(last) = entries.last() {
        tx.execute(
            "INSERT INTO audit_head (only_row, seq, hash) VALUES (true, $1, $2)
             ON CONFLICT (only_row) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            &[
                &i64::try_from(last.seq).unwrap_or(i64::MAX) as &(dyn ToSql + Sync),
                &last.hash,
            ],
        )?;
    }
    Ok(())
}

/// Inside a transaction: chains `draft` after the head and stores it.
pub(super) fn append(
    tx: &mut Transaction<'_>,
    draft: &AuditDraft,
) -> std::result::Result<AuditEntry, Failed> {
    let head = locked_head(tx)?;
    let entry = AuditEntry::chain(head.as_ref().map(|(s, h)| (*s, h.as_str())), draft.clone());
    store_entries(tx, std::slice::from_ref(&entry))?;
    Ok(entry)
}

pub(super) fn put_account(
    tx: &mut Transaction<'_>,
    account: &Account,
) -> std::result::Result<(), Failed> {
    tx.execute(
        "INSERT INTO accounts (username, body) VALUES ($1, $2::text::jsonb)
         ON CONFLICT (username) DO UPDATE SET body = excluded.body",
        &[&account.user as &(dyn ToSql + Sync), &json(account)],
    )?;
    Ok(())
}

impl PgBackend {
    pub(super) fn append_alone(&self, draft: &AuditDraft) -> Result<AuditEntry> {
        self.transaction(|tx| append(tx, draft))
    }

    pub(super) fn head(&self) -> Result<Option<(u64, String)>> {
        Ok(read_head(&mut *self.connection()?)?)
    }

    /// Entries matching `query`, oldest first (the newest `limit` with a limit): read
    /// newest first, a page at a time, until the limit is reached.
    pub(super) fn entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut conn = self.connection()?;
        let mut out = Vec::new();
        let mut before = i64::MAX;
        loop {
            let rows = conn.query(
                "SELECT seq, entry::text FROM audit WHERE seq < $1 ORDER BY seq DESC LIMIT $2",
                &[&before as &(dyn ToSql + Sync), &AUDIT_PAGE],
            )?;
            for row in &rows {
                let seq: i64 = row.get(0);
                before = seq;
                let entry: AuditEntry = serde_json::from_str(row.get(1))
                    .map_err(|e| decode_err("audit", seq.to_string(), e.to_string()))?;
                if query.matches(&entry) {
                    out.push(entry);
                    if query.limit > 0 && out.len() >= query.limit {
                        out.reverse();
                        return Ok(out);
                    }
                }
            }
            if (rows.len() as i64) < AUDIT_PAGE {
                out.reverse();
                return Ok(out);
            }
        }
    }

    /// Walks the whole chain, a page at a time.
    pub(super) fn verify_chain(&self) -> Result<std::result::Result<u64, ChainBreak>> {
        let head = self.head()?;
        let mut conn = self.connection()?;
        let mut entries = Vec::new();
        let mut after = 0i64;
        loop {
            let rows = conn.query(
                "SELECT seq, entry::text FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&after as &(dyn ToSql + Sync), &AUDIT_PAGE],
            )?;
            for row in &rows {
                let seq: i64 = row.get(0);
                after = seq;
                let entry =
                    serde_json::from_str::<AuditEntry>(row.get(1)).map_err(|e| e.to_string());
                entries.push((u64::try_from(seq).unwrap_or(0), entry));
            }
            if (rows.len() as i64) < AUDIT_PAGE {
                break;
            }
        }
        Ok(crate::domain::audit::verify(entries, head))
    }

    pub(super) fn account_of(&self, user: &str) -> Result<Option<Account>> {
        let row = self.connection()?.query_opt(
            "SELECT body::text FROM accounts WHERE username = $1",
            &[&user],
        )?;
        row.map(|row| {
            serde_json::from_str(row.get(0))
                .map_err(|e| decode_err("accounts", user.into(), e.to_string()))
        })
        .transpose()
    }

    pub(super) fn all_accounts(&self) -> Result<Vec<Account>> {
        let rows = self.connection()?.query(
            "SELECT username, body::text FROM accounts ORDER BY username",
            &[],
        )?;
        rows.iter()
            .map(|row| {
                serde_json::from_str(row.get(1))
                    .map_err(|e| decode_err("accounts", row.get(0), e.to_string()))
            })
            .collect()
    }

    /// Reads `user`'s account under a lock on that name (two PIN guesses at once are
    /// serialized, each sees the other's count), writes what `change` makes of it and its
    /// audit entry, in one transaction.
    pub(super) fn change_one_account(
        &self,
        user: &str,
        change: &dyn Fn(Option<Account>) -> AccountChange,
    ) -> Result<()> {
        self.transaction(|tx| {
            tx.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended('account:' || $1, 0))",
                &[&user],
            )?;
            let current = tx
                .query_opt(
                    "SELECT body::text FROM accounts WHERE username = $1",
                    &[&user],
                )?
                .map(|row| {
                    serde_json::from_str::<Account>(row.get(0))
                        .map_err(|e| decode_err("accounts", user.into(), e.to_string()))
                })
                .transpose()?;
            let (next, draft) = change(current);
            if let Some(next) = &next {
                put_account(tx, next)?;
            }
            if let Some(draft) = &draft {
                append(tx, draft)?;
            }
            Ok(())
        })
    }

    /// Every informant and note, in ID order (moving the store).
    pub(super) fn all_restricted(&self) -> Result<crate::store::Restricted> {
        fn all<T: serde::de::DeserializeOwned>(
            conn: &mut super::Connection,
            table: &str,
        ) -> Result<Vec<(RecordId, T)>> {
            let rows = conn.query(&format!("SELECT kind, num, body::text FROM {table}"), &[])?;
            let mut out = Vec::new();
            for row in &rows {
                let (name, num): (&str, i64) = (row.get(0), row.get(1));
                let Some(kind) = super::records::kind_named(name) else {
                    continue;
                };
                let id = RecordId::new(kind, u64::try_from(num).unwrap_or(0));
                let value = serde_json::from_str(row.get(2))
                    .map_err(|e| decode_err(table, id.to_string(), e.to_string()))?;
                out.push((id, value));
            }
            out.sort_by_key(|(id, _)| *id);
            Ok(out)
        }
        let mut conn = self.connection()?;
        Ok(crate::store::Restricted {
            informants: all(&mut conn, "informants")?,
            notes: all(&mut conn, "notes")?,
        })
    }

    /// Appends entries as they are, after the head, under the chain's lock.
    pub(super) fn adopt(&self, entries: &[AuditEntry]) -> Result<()> {
        self.transaction(|tx| {
            let head = locked_head(tx)?;
            crate::store::backend::refuse_unchained(head, entries)?;
            store_entries(tx, entries)?;
            Ok(())
        })
    }

    fn restricted<T: serde::de::DeserializeOwned>(
        &self,
        table: &str,
        id: RecordId,
    ) -> Result<Option<T>> {
        let row = self.connection()?.query_opt(
            &format!("SELECT body::text FROM {table} WHERE kind = $1 AND num = $2"),
            &[
                &id.kind().name() as &(dyn ToSql + Sync),
                &i64::try_from(id.num()).unwrap_or(i64::MAX),
            ],
        )?;
        row.map(|row| {
            serde_json::from_str(row.get(0))
                .map_err(|e| decode_err(table, id.to_string(), e.to_string()))
        })
        .transpose()
    }

    pub(super) fn note_of(&self, record: RecordId) -> Result<Option<RestrictedNote>> {
        self.restricted("notes", record)
    }

    pub(super) fn informant_of(&self, tip: RecordId) -> Result<Option<Informant>> {
        self.restricted("informants", tip)
    }
}
