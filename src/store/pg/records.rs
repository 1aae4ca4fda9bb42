//! Records on PostgreSQL: IDs from sequences, reads, lookups, and the one write that
//! carries records, restricted values, an account and the audit entry in one transaction.

use std::collections::BTreeMap;

use r2d2_postgres::postgres::{self, Transaction};

use crate::domain::audit::AuditEntry;
use crate::domain::{Kind, Record, RecordId};
use crate::store::backend::Lookup;
use crate::store::{Result, StoreError, Write, envelope};
use r2d2_postgres::postgres::types::ToSql;

use super::columns::{Columns, columns, status_text};
use super::{Failed, PgBackend};

/// The sequence that numbers a kind's records.
fn sequence(kind: Kind) -> String {
    let name: String = kind
        .name()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("ids_{name}")
}

/// The advisory lock taken to move a kind's sequence (a reservation, or past imported IDs).
fn sequence_lock(kind: Kind) -> i64 {
    0x6964_0000 + kind.index() as i64
}

/// Makes each kind's sequence, if missing (a kind added by a later trucban gets its own).
pub(super) fn make_sequences(conn: &mut postgres::Client) -> Result<()> {
    for kind in Kind::ALL {
        conn.batch_execute(&format!("CREATE SEQUENCE IF NOT EXISTS {}", sequence(kind)))?;
    }
    Ok(())
}

/// The kind whose name a row's `kind` column holds.
pub(super) fn kind_named(name: &str) -> Option<Kind> {
    Kind::ALL.into_iter().find(|k| k.name() == name)
}

fn num_of(id: RecordId) -> i64 {
    i64::try_from(id.num()).unwrap_or(i64::MAX)
}

/// A row's value read back as a record; the error names the row.
pub(super) fn decode(kind: Kind, num: i64, body: &str) -> Result<Record> {
    let err = |reason: String| StoreError::Decode {
        tree: format!("records/{}", kind.name()),
        key: RecordId::new(kind, u64::try_from(num).unwrap_or(0)).to_string(),
        reason,
    };
    // JSONB gives the envelope back as `{"v": 1, "data": …}`; in the compact form the
    // envelope's fast path reads it straight into the record, without a JSON tree between.
    let compact;
    let bytes = match body.strip_prefix(r#"{"v": 1, "data": "#) {
        Some(rest) => {
            compact = format!(r#"{{"v":1,"data":{rest}"#);
            compact.as_bytes()
        }
        None => body.as_bytes(),
    };
    let record = envelope::decode(kind, bytes).map_err(err)?;
    if num_of(record.id()) != num || record.kind() != kind {
        return Err(err(format!("the value holds the ID {}", record.id())));
    }
    Ok(record)
}

fn decode_rows(kind: Kind, rows: &[postgres::Row]) -> Result<Vec<Record>> {
    rows.iter()
        .map(|row| decode(kind, row.get(0), row.get(1)))
        .collect()
}

impl PgBackend {
    pub(super) fn reserve(&self, kind: Kind, count: u64) -> Result<u64> {
        let seq = sequence(kind);
        if count == 0 {
            // Nothing reserved: the number the next reservation would start at.
            let next: i64 = self
                .connection()?
                .query_one(
                    &format!(
                        "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM {seq}"
                    ),
                    &[],
                )?
                .get(0);
            return Ok(u64::try_from(next).unwrap_or(0));
        }
        let count = i64::try_from(count).unwrap_or(i64::MAX);
        self.transaction(|tx| {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&sequence_lock(kind)])?;
            let first: i64 = tx
                .query_one(&format!("SELECT nextval('{seq}')"), &[])?
                .get(0);
            if count > 1 {
                tx.execute(
                    &format!("SELECT setval('{seq}', $1)"),
                    &[&(first + count - 1)],
                )?;
            }
            Ok(u64::try_from(first).unwrap_or(0))
        })
    }

    /// Moves each kind's sequence past the IDs `records` bring (an import with an `id`
    /// column), before they are written: a number is never handed out after it is used.
    fn raise_sequences(&self, records: &[Record]) -> Result<()> {
        let mut highest: BTreeMap<usize, (Kind, i64)> = BTreeMap::new();
        for record in records {
            let entry = highest
                .entry(record.kind().index())
                .or_insert((record.kind(), 0));
            entry.1 = entry.1.max(num_of(record.id()));
        }
        for (kind, num) in highest.into_values() {
            let seq = sequence(kind);
            let last: i64 = self
                .connection()?
                .query_one(&format!("SELECT last_value FROM {seq}"), &[])?
                .get(0);
            if last >= num {
                continue;
            }
            self.transaction(|tx| {
                tx.execute("SELECT pg_advisory_xact_lock($1)", &[&sequence_lock(kind)])?;
                tx.execute(
                    &format!(
                        "SELECT setval('{seq}', $1) WHERE $1 > (SELECT last_value FROM {seq})"
                    ),
                    &[&num],
                )?;
                Ok(())
            })?;
        }
        Ok(())
    }

    pub(super) fn get_record(&self, id: RecordId) -> Result<Option<Record>> {
        let row = self.connection()?.query_opt(
            "SELECT num, body::text FROM records WHERE kind = $1 AND num = $2",
            &[&id.kind().name() as &(dyn ToSql + Sync), &num_of(id)],
        )?;
        row.map(|row| decode(id.kind(), row.get(0), row.get(1)))
            .transpose()
    }

    /// Records by ID, one question per kind, in the order asked.
    pub(super) fn get_records(&self, ids: &[RecordId]) -> Result<Vec<Option<Record>>> {
        let mut by_kind: BTreeMap<usize, (Kind, Vec<i64>)> = BTreeMap::new();
        for id in ids {
            by_kind
                .entry(id.kind().index())
                .or_insert((id.kind(), Vec::new()))
                .1
                .push(num_of(*id));
        }
        let mut found: std::collections::HashMap<RecordId, Record> =
            std::collections::HashMap::new();
        let mut conn = self.connection()?;
        for (kind, nums) in by_kind.into_values() {
            let rows = conn.query(
                "SELECT num, body::text FROM records WHERE kind = $1 AND num = ANY($2)",
                &[&kind.name() as &(dyn ToSql + Sync), &nums],
            )?;
            for record in decode_rows(kind, &rows)? {
                found.insert(record.id(), record);
            }
        }
        Ok(ids.iter().map(|id| found.get(id).cloned()).collect())
    }

    pub(super) fn contains_record(&self, id: RecordId) -> Result<bool> {
        Ok(self
            .connection()?
            .query_opt(
                "SELECT 1 FROM records WHERE kind = $1 AND num = $2",
                &[&id.kind().name() as &(dyn ToSql + Sync), &num_of(id)],
            )?
            .is_some())
    }

    pub(super) fn page_of(
        &self,
        kind: Kind,
        after: Option<RecordId>,
        newest_first: bool,
        limit: usize,
    ) -> Result<Vec<Record>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let sql = match (newest_first, after.is_some()) {
            (false, false) => {
                "SELECT num, body::text FROM records WHERE kind = $1 AND $2::bigint IS NULL ORDER BY num LIMIT $3"
            }
            (false, true) => {
                "SELECT num, body::text FROM records WHERE kind = $1 AND num > $2 ORDER BY num LIMIT $3"
            }
            (true, false) => {
                "SELECT num, body::text FROM records WHERE kind = $1 AND $2::bigint IS NULL ORDER BY num DESC LIMIT $3"
            }
            (true, true) => {
                "SELECT num, body::text FROM records WHERE kind = $1 AND num < $2 ORDER BY num DESC LIMIT $3"
            }
        };
        let after = after.map(num_of);
        let rows = self
            .connection()?
            .query(sql, &[&kind.name() as &(dyn ToSql + Sync), &after, &limit])?;
        decode_rows(kind, &rows)
    }

    pub(super) fn count_of(&self, kind: Kind) -> Result<u64> {
        count_in(&mut *self.connection()?, kind)
    }

    /// A lookup: the rows its indexed column narrows to, then [`Lookup::keeps`] — the
    /// same exact test as the sled engine's — on each.
    pub(super) fn look_up(&self, lookup: &Lookup) -> Result<Vec<Record>> {
        let kind = lookup.kind();
        let mut conn = self.connection()?;
        let select = "SELECT num, body::text FROM records WHERE kind = $1";
        let k = kind.name();
        let rows = match lookup {
            Lookup::WantedWithStatus(status) => conn.query(
                &format!("{select} AND status = $2 ORDER BY num"),
                &[&k as &(dyn ToSql + Sync), &status_text(status)],
            )?,
            Lookup::ActiveWatchEntries => conn.query(
                &format!("{select} AND status = $2 ORDER BY num"),
                &[
                    &k as &(dyn ToSql + Sync),
                    &status_text(&crate::domain::WatchStatus::Active),
                ],
            )?,
            Lookup::GuestsCheckedIn { from, to } => conn.query(
                &format!("{select} AND check_in >= $2 AND check_in < $3 ORDER BY check_in, num"),
                &[&k as &(dyn ToSql + Sync), from, to],
            )?,
            Lookup::GuestsCheckedInAt(instants) => conn.query(
                &format!("{select} AND check_in = ANY($2) ORDER BY check_in, num"),
                &[&k as &(dyn ToSql + Sync), instants],
            )?,
            Lookup::GuestsOf(establishment) => conn.query(
                &format!("{select} AND establishment = $2 ORDER BY check_in, num"),
                &[&k as &(dyn ToSql + Sync), &num_of(*establishment)],
            )?,
            Lookup::GuestsWithDocument(doc) => conn.query(
                &format!("{select} AND doc_number = $2 ORDER BY num"),
                &[&k as &(dyn ToSql + Sync), &doc.number],
            )?,
            Lookup::PersonsWithDocumentNumber(number) => conn.query(
                &format!("{select} AND doc_number = $2 ORDER BY num"),
                &[&k as &(dyn ToSql + Sync), number],
            )?,
            Lookup::AssignmentsOn(date) => conn.query(
                &format!("{select} AND day = $2 ORDER BY num"),
                &[&k as &(dyn ToSql + Sync), date],
            )?,
            Lookup::HitsFoundSince(since) => conn.query(
                &format!("{select} AND at >= $2 ORDER BY num"),
                &[&k as &(dyn ToSql + Sync), since],
            )?,
            Lookup::HandoverStarting(start) => conn.query(
                &format!("{select} AND at = $2 ORDER BY num LIMIT 1"),
                &[&k as &(dyn ToSql + Sync), start],
            )?,
            Lookup::Happened { from, to, .. } => conn.query(
                &format!("{select} AND at >= $2 AND at < $3 ORDER BY num"),
                &[&k as &(dyn ToSql + Sync), from, to],
            )?,
            Lookup::Referencing { target, .. } => conn.query(
                &format!("{select} AND refs @> ARRAY[$2::text] ORDER BY num"),
                &[&k as &(dyn ToSql + Sync), &target.to_string()],
            )?,
            // A semi-join on the hit's references rather than `refs && $2`: with a file's
            // 100,000 guests in $2 the planner tested each hit against the whole array
            // (27 s for an import into a store of 900,000 stays and 7,000 hits).
            Lookup::HitsOnPairsOf(ids) => {
                let ids: Vec<String> = ids.iter().map(RecordId::to_string).collect();
                conn.query(
                    "SELECT num, body::text FROM records WHERE kind = $1 AND num IN \
                     (SELECT num FROM records, unnest(refs) AS named(id) \
                      WHERE kind = $1 AND named.id IN (SELECT unnest($2::text[]))) \
                     ORDER BY num",
                    &[&k as &(dyn ToSql + Sync), &ids],
                )?
            }
            // The rest are read from the whole collection, as the sled engine reads them.
            _ => conn.query(&format!("{select} ORDER BY num"), &[&k])?,
        };
        drop(conn);
        let records = decode_rows(kind, &rows)?;
        if *lookup == Lookup::LatestInspections {
            return crate::store::lookup_rule::latest_inspections(records.into_iter().map(Ok));
        }
        Ok(records.into_iter().filter(|r| lookup.keeps(r)).collect())
    }

    /// One atomic write (see [`crate::store::Backend::write`]).
    pub(super) fn write_all(&self, w: &Write<'_>) -> Result<Option<AuditEntry>> {
        if w.records.is_empty() && w.informant.is_none() && w.note.is_none() && w.account.is_none()
        {
            return Ok(None);
        }
        self.raise_sequences(w.records)?;
        self.transaction(|tx| {
            let finals = lock_and_check(tx, w)?;
            upsert(tx, &finals)?;
            refuse_missing_references(tx, &finals)?;
            log_changes(tx, &finals)?;
            if let Some((tip, informant)) = w.informant {
                if tip.kind() != Kind::Tip {
                    return Err(Failed::Store(StoreError::WrongKind {
                        record: tip,
                        kind: tip.kind(),
                        expected: Kind::Tip,
                    }));
                }
                tx.execute(
                    "INSERT INTO informants (kind, num, body) VALUES ($1, $2, $3::text::jsonb)
                     ON CONFLICT (kind, num) DO UPDATE SET body = excluded.body",
                    &[
                        &tip.kind().name() as &(dyn ToSql + Sync),
                        &num_of(tip),
                        &json(informant),
                    ],
                )?;
            }
            if let Some((record, note)) = w.note {
                tx.execute(
                    "INSERT INTO notes (kind, num, body) VALUES ($1, $2, $3::text::jsonb)
                     ON CONFLICT (kind, num) DO UPDATE SET body = excluded.body",
                    &[
                        &record.kind().name() as &(dyn ToSql + Sync),
                        &num_of(record),
                        &json(note),
                    ],
                )?;
            }
            if let Some(account) = w.account {
                super::audit::put_account(tx, account)?;
            }
            match w.audit {
                Some(draft) => Ok(Some(super::audit::append(tx, draft)?)),
                None => Ok(None),
            }
        })
    }

    /// [`crate::store::Backend::write_in_parts`]: every part in one transaction on one
    /// connection (the database keeps a large transaction on its disk, not in our memory).
    /// Not tried again on a conflict, unlike [`PgBackend::transaction`]: the parts, once
    /// handed, cannot be asked for again.
    pub(super) fn write_parts(
        &self,
        next: &mut dyn FnMut() -> Result<Option<Vec<Record>>>,
        audit: &dyn Fn() -> Option<crate::domain::audit::AuditDraft>,
        check: Option<&crate::store::RecordCheck>,
    ) -> Result<Option<AuditEntry>> {
        let mut conn = self.connection()?;
        let written = (|| {
            let mut tx = conn.transaction()?;
            while let Some(records) = next().map_err(Failed::Store)? {
                self.raise_sequences(&records).map_err(Failed::Store)?;
                let part = Write {
                    records: &records,
                    check,
                    ..Write::default()
                };
                let finals = lock_and_check(&mut tx, &part)?;
                upsert(&mut tx, &finals)?;
                refuse_missing_references(&mut tx, &finals)?;
                log_changes(&mut tx, &finals)?;
            }
            let entry = match audit() {
                Some(draft) => Some(super::audit::append(&mut tx, &draft)?),
                None => None,
            };
            tx.commit()?;
            Ok(entry)
        })();
        written.map_err(|failed: Failed| failed.into())
    }

    /// Loads records without checks, change rows or audit (seeding, benchmarks), and
    /// raises the cache floor to this load: caches built before it rebuild.
    pub(super) fn load(&self, records: &[Record]) -> Result<()> {
        self.raise_sequences(records)?;
        let mut last: BTreeMap<RecordId, &Record> = BTreeMap::new();
        for record in records {
            last.insert(record.id(), record);
        }
        let finals: Vec<&Record> = last.into_values().collect();
        self.transaction(|tx| {
            for chunk in finals.chunks(2_000) {
                upsert(tx, chunk)?;
            }
            tx.execute("INSERT INTO changes (kind, num) VALUES (NULL, NULL)", &[])?;
            tx.execute("SELECT pg_notify($1, '')", &[&super::feed::CHANNEL])?;
            tx.execute(
                "UPDATE meta SET value = txid_current() WHERE key = 'cache_floor'",
                &[],
            )?;
            Ok(())
        })
    }
}

pub(super) fn json<T: serde::Serialize>(value: &T) -> String {
    // Our own plain data always serializes.
    serde_json::to_string(value).unwrap_or_default()
}

/// Locks the rows `w` replaces (in ID order, so two writes never wait on each other in a
/// circle), checks each new version against the one before it — the stored one, or the
/// one earlier in the same write — and returns the last version of each record.
fn lock_and_check<'a>(
    tx: &mut Transaction<'_>,
    w: &Write<'a>,
) -> std::result::Result<Vec<&'a Record>, Failed> {
    let mut by_kind: BTreeMap<usize, (Kind, Vec<i64>)> = BTreeMap::new();
    for record in w.records {
        by_kind
            .entry(record.kind().index())
            .or_insert((record.kind(), Vec::new()))
            .1
            .push(num_of(record.id()));
    }
    let mut current: BTreeMap<RecordId, Record> = BTreeMap::new();
    for (kind, mut nums) in by_kind.into_values() {
        nums.sort_unstable();
        nums.dedup();
        let rows = tx.query(
            "SELECT num, body::text FROM records WHERE kind = $1 AND num = ANY($2)
             ORDER BY num FOR UPDATE",
            &[&kind.name() as &(dyn ToSql + Sync), &nums],
        )?;
        for record in decode_rows(kind, &rows)? {
            current.insert(record.id(), record);
        }
    }
    let mut last: BTreeMap<RecordId, &'a Record> = BTreeMap::new();
    for record in w.records {
        if let Some(check) = w.check {
            let before = last
                .get(&record.id())
                .map(|r| (*r).clone())
                .or_else(|| current.get(&record.id()).cloned());
            check(before.as_ref(), record).map_err(|r| Failed::Store(StoreError::Rule(r)))?;
        }
        last.insert(record.id(), record);
    }
    Ok(last.into_values().collect())
}

/// Inserts or replaces `records` (one of each ID), with their typed columns.
fn upsert(tx: &mut Transaction<'_>, records: &[&Record]) -> std::result::Result<(), Failed> {
    let mut kinds = Vec::with_capacity(records.len());
    let mut nums = Vec::with_capacity(records.len());
    let mut bodies = Vec::with_capacity(records.len());
    let mut cols: Vec<Columns> = Vec::with_capacity(records.len());
    for record in records {
        kinds.push(record.kind().name());
        nums.push(num_of(record.id()));
        bodies.push(String::from_utf8(envelope::encode(record)).unwrap_or_default());
        cols.push(columns(record));
    }
    let status: Vec<Option<&str>> = cols.iter().map(|c| c.status.as_deref()).collect();
    let doc: Vec<Option<&str>> = cols.iter().map(|c| c.doc_number.as_deref()).collect();
    let establishment: Vec<Option<i64>> = cols.iter().map(|c| c.establishment).collect();
    let check_in: Vec<_> = cols.iter().map(|c| c.check_in).collect();
    let day: Vec<_> = cols.iter().map(|c| c.day).collect();
    let at: Vec<_> = cols.iter().map(|c| c.at).collect();
    // One text per row (an array of arrays cannot be unnested row by row); IDs hold no comma.
    let refs: Vec<String> = cols.iter().map(|c| c.refs.join(",")).collect();
    tx.execute(
        "INSERT INTO records (kind, num, body, status, doc_number, establishment, check_in, day, at, refs)
         SELECT k, n, b::jsonb, s, d, e, c, y, a, string_to_array(r, ',')
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                     $7::timestamptz[], $8::date[], $9::timestamptz[], $10::text[])
              AS t(k, n, b, s, d, e, c, y, a, r)
         ON CONFLICT (kind, num) DO UPDATE SET
            body = excluded.body, status = excluded.status, doc_number = excluded.doc_number,
            establishment = excluded.establishment, check_in = excluded.check_in,
            day = excluded.day, at = excluded.at, refs = excluded.refs",
        &[
            &kinds,
            &nums,
            &bodies,
            &status,
            &doc,
            &establishment,
            &check_in,
            &day,
            &at,
            &refs,
        ],
    )?;
    Ok(())
}

/// Refuses the write when a record names one that is neither stored nor in the write.
fn refuse_missing_references(
    tx: &mut Transaction<'_>,
    records: &[&Record],
) -> std::result::Result<(), Failed> {
    let mut wanted: Vec<(RecordId, &'static str, RecordId)> = Vec::new();
    for record in records {
        for (field, target) in record.references() {
            wanted.push((record.id(), field, target));
        }
    }
    if wanted.is_empty() {
        return Ok(());
    }
    let kinds: Vec<&str> = wanted.iter().map(|(_, _, t)| t.kind().name()).collect();
    let nums: Vec<i64> = wanted.iter().map(|(_, _, t)| num_of(*t)).collect();
    let missing = tx.query(
        "SELECT DISTINCT t.k, t.n FROM unnest($1::text[], $2::bigint[]) AS t(k, n)
         WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.kind = t.k AND r.num = t.n)",
        &[&kinds as &(dyn ToSql + Sync), &nums],
    )?;
    let Some(row) = missing.first() else {
        return Ok(());
    };
    let (kind, num): (String, i64) = (row.get(0), row.get(1));
    let found = wanted
        .iter()
        .find(|(_, _, t)| t.kind().name() == kind && num_of(*t) == num);
    match found {
        Some((record, field, target)) => Err(Failed::Store(StoreError::MissingReference {
            record: *record,
            field,
            target: *target,
        })),
        None => Err(Failed::Store(StoreError::Engine(format!(
            "a missing reference {kind}/{num} that no record names"
        )))),
    }
}

/// One change row per record written, numbered by this transaction (see `feed.rs`).
fn log_changes(tx: &mut Transaction<'_>, records: &[&Record]) -> std::result::Result<(), Failed> {
    if records.is_empty() {
        return Ok(());
    }
    // Delivered at commit, and only then: the other daemons wake and read the feed.
    tx.execute("SELECT pg_notify($1, '')", &[&super::feed::CHANNEL])?;
    let kinds: Vec<&str> = records.iter().map(|r| r.kind().name()).collect();
    let nums: Vec<i64> = records.iter().map(|r| num_of(r.id())).collect();
    tx.execute(
        "INSERT INTO changes (kind, num) SELECT * FROM unnest($1::text[], $2::bigint[])",
        &[&kinds as &(dyn ToSql + Sync), &nums],
    )?;
    Ok(())
}

/// The records of `kind` as `client` sees them (a snapshot's own, in a transaction).
pub(super) fn count_in(client: &mut impl postgres::GenericClient, kind: Kind) -> Result<u64> {
    let n: i64 = client
        .query_one(
            "SELECT count(*) FROM records WHERE kind = $1",
            &[&kind.name()],
        )?
        .get(0);
    Ok(u64::try_from(n).unwrap_or(0))
}
