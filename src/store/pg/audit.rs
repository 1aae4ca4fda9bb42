//! The audit chains (each unit's head beside it, as the sled engine keeps them), the officer
//! accounts and the restricted values on PostgreSQL. An entry is chained under its unit's
//! transaction-level advisory lock, taken last in its transaction so it is held only for the
//! append and the commit; units append side by side (migration V2). The table refuses
//! UPDATE, DELETE and TRUNCATE (see the migrations), so the chains can only grow.

use r2d2_postgres::postgres::{self, GenericClient, Transaction};

use crate::domain::access::{Account, RestrictedNote};
use crate::domain::audit::{AuditDraft, AuditEntry, AuditQuery, BrokenChain, ChainHead};
use crate::domain::{Informant, RecordId};
use crate::store::{AccountChange, Result, StoreError};
use r2d2_postgres::postgres::types::ToSql;

use super::records::json;
use super::{Failed, PgBackend};

/// Takes unit `$1`'s chain lock for the rest of the transaction. Two units' locks are
/// different keys (a hash collision only makes two units wait on each other).
pub const CHAIN_LOCK: &str = "SELECT pg_advisory_xact_lock(hashtextextended('audit:' || $1, 0))";

/// Entries read per query when walking a chain.
const AUDIT_PAGE: i64 = 5_000;

fn decode_err(table: &str, key: String, reason: String) -> StoreError {
    StoreError::Decode {
        tree: table.into(),
        key,
        reason,
    }
}

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// `unit`'s head (last number and hash), read by a transaction or a connection.
fn read_head(
    client: &mut impl GenericClient,
    unit: &str,
) -> std::result::Result<Option<(u64, String)>, postgres::Error> {
    Ok(client
        .query_opt("SELECT seq, hash FROM audit_head WHERE unit = $1", &[&unit])?
        .map(|row| {
            (
                u64::try_from(row.get::<_, i64>(0)).unwrap_or(0),
                row.get::<_, String>(1),
            )
        }))
}

/// Takes `unit`'s chain lock for the rest of the transaction and reads its head.
fn locked_head(
    tx: &mut Transaction<'_>,
    unit: &str,
) -> std::result::Result<Option<(u64, String)>, postgres::Error> {
    tx.execute(CHAIN_LOCK, &[&unit])?;
    read_head(tx, unit)
}

/// Stores entries that follow their heads, and makes `heads` the new heads.
fn store_entries(
    tx: &mut Transaction<'_>,
    entries: &[AuditEntry],
    heads: &[ChainHead],
) -> std::result::Result<(), postgres::Error> {
    for entry in entries {
        tx.execute(
            "INSERT INTO audit (unit, seq, hash, entry) VALUES ($1, $2, $3, $4::text::jsonb)",
            &[
                &entry.draft.unit as &(dyn ToSql + Sync),
                &as_i64(entry.seq),
                &entry.hash,
                &json(entry),
            ],
        )?;
    }
    for head in heads {
        tx.execute(
            "INSERT INTO audit_head (unit, seq, hash) VALUES ($1, $2, $3)
             ON CONFLICT (unit) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            &[
                &head.unit as &(dyn ToSql + Sync),
                &as_i64(head.seq),
                &head.hash,
            ],
        )?;
    }
    Ok(())
}

/// Inside a transaction: chains `draft` after its unit's head and stores it.
pub(super) fn append(
    tx: &mut Transaction<'_>,
    draft: &AuditDraft,
) -> std::result::Result<AuditEntry, Failed> {
    let head = locked_head(tx, &draft.unit)?;
    let entry = AuditEntry::chain(head.as_ref().map(|(s, h)| (*s, h.as_str())), draft.clone());
    let new_head = ChainHead {
        unit: draft.unit.clone(),
        seq: entry.seq,
        hash: entry.hash.clone(),
    };
    store_entries(tx, std::slice::from_ref(&entry), &[new_head])?;
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

    pub(super) fn heads(&self) -> Result<Vec<ChainHead>> {
        heads_in(&mut *self.connection()?)
    }

    /// Entries matching `query`, oldest first (the newest `limit` with a limit), in the
    /// order they were appended (each unit's in its chain's order, since a unit appends
    /// under its lock): read newest first, a page at a time, until the limit is reached.
    pub(super) fn entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut conn = self.connection()?;
        let mut out = Vec::new();
        let mut before = i64::MAX;
        loop {
            let rows = conn.query(
                "SELECT pos, entry::text FROM audit WHERE pos < $1 ORDER BY pos DESC LIMIT $2",
                &[&before as &(dyn ToSql + Sync), &AUDIT_PAGE],
            )?;
            for row in &rows {
                let pos: i64 = row.get(0);
                before = pos;
                let entry: AuditEntry = serde_json::from_str(row.get(1))
                    .map_err(|e| decode_err("audit", format!("pos {pos}"), e.to_string()))?;
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

    /// Walks every chain, a page at a time: the chains named by a head or by an entry, so
    /// a removed head, or a head whose entries were removed, is caught.
    /// In one snapshot: an entry appended meanwhile is seen with its head or not at all.
    pub(super) fn verify_chain(&self) -> Result<std::result::Result<u64, BrokenChain>> {
        self.in_snapshot(Self::verify_chain_in)
    }

    pub(super) fn verify_chain_in(
        conn: &mut postgres::Transaction<'_>,
    ) -> Result<std::result::Result<u64, BrokenChain>> {
        let heads = heads_in(conn)?;
        let units: Vec<String> = conn
            .query(
                "SELECT unit FROM audit_head UNION SELECT DISTINCT unit FROM audit ORDER BY 1",
                &[],
            )?
            .iter()
            .map(|row| row.get(0))
            .collect();
        let mut count = 0;
        for unit in units {
            let mut entries = Vec::new();
            let mut after = 0i64;
            loop {
                let rows = conn.query(
                    "SELECT seq, entry::text FROM audit WHERE unit = $1 AND seq > $2
                     ORDER BY seq LIMIT $3",
                    &[&unit as &(dyn ToSql + Sync), &after, &AUDIT_PAGE],
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
            let head = heads
                .iter()
                .find(|h| h.unit == unit)
                .map(|h| (h.seq, h.hash.clone()));
            match crate::domain::audit::verify_chain(&unit, entries, head) {
                Ok(n) => count += n,
                Err(broken) => return Ok(Err(broken)),
            }
        }
        Ok(Ok(count))
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

    /// Appends entries as they are, after their chains' heads, under those chains' locks
    /// (taken in unit order, so two adopters never wait on each other in a circle).
    pub(super) fn adopt(&self, entries: &[AuditEntry]) -> Result<()> {
        let units: std::collections::BTreeSet<&str> =
            entries.iter().map(|e| e.draft.unit.as_str()).collect();
        self.transaction(|tx| {
            let mut heads = Vec::new();
            for unit in &units {
                if let Some((seq, hash)) = locked_head(tx, unit)? {
                    heads.push(ChainHead {
                        unit: (*unit).into(),
                        seq,
                        hash,
                    });
                }
            }
            let heads = crate::store::backend::refuse_unchained(&heads, entries)?;
            store_entries(tx, entries, &heads)?;
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

fn heads_in(client: &mut impl postgres::GenericClient) -> Result<Vec<ChainHead>> {
    let rows = client.query("SELECT unit, seq, hash FROM audit_head ORDER BY unit", &[])?;
    Ok(rows
        .iter()
        .map(|row| ChainHead {
            unit: row.get(0),
            seq: u64::try_from(row.get::<_, i64>(1)).unwrap_or(0),
            hash: row.get(2),
        })
        .collect())
}
