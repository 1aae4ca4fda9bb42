//! `trucban check` on PostgreSQL: every record decodes under its own kind and number, its
//! typed columns agree with its value (they are what the lookups read), it names only
//! records that exist; restricted values belong to existing records and decode; the change
//! feed names existing records; the audit chain verifies against its head.

use std::collections::HashSet;

use crate::domain::{Kind, RecordId};
use crate::store::check::CheckReport;
use crate::store::{Result, SCAN_PAGE};
use r2d2_postgres::postgres::types::ToSql;
use r2d2_postgres::postgres::{self, GenericClient};

use super::PgBackend;
use super::columns::columns;

impl PgBackend {
    /// Reads everything in one snapshot: a write committed meanwhile (a daemon keeps
    /// serving) is either wholly seen or not at all, never reported as damage.
    pub(super) fn check_all(&self) -> Result<CheckReport> {
        self.in_snapshot(Self::check_in)
    }

    fn check_in(tx: &mut postgres::Transaction<'_>) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        let mut ids: HashSet<RecordId> = HashSet::new();
        let mut references: Vec<(RecordId, &'static str, RecordId)> = Vec::new();
        let mut total = 0;
        for kind in Kind::ALL {
            total += super::records::count_in(tx, kind)?;
        }
        crate::progress::stage(crate::progress::Stage::Checking, Some(total));
        for kind in Kind::ALL {
            let mut after = -1i64;
            let mut n = 0u64;
            loop {
                let rows = tx.query(
                    "SELECT num, body::text, status, doc_number, establishment, check_in, day, at, refs
                     FROM records WHERE kind = $1 AND num > $2 ORDER BY num LIMIT $3",
                    &[&kind.name() as &(dyn ToSql + Sync), &after, &(SCAN_PAGE as i64)],
                )?;
                for row in &rows {
                    let num: i64 = row.get(0);
                    after = num;
                    n += 1;
                    let record = match super::records::decode(kind, num, row.get(1)) {
                        Ok(record) => record,
                        Err(e) => {
                            report.problem(e.to_string());
                            continue;
                        }
                    };
                    let stored = super::columns::Columns {
                        status: row.get(2),
                        doc_number: row.get(3),
                        establishment: row.get(4),
                        check_in: row.get(5),
                        day: row.get(6),
                        at: row.get(7),
                        refs: row.get(8),
                    };
                    let derived = columns(&record);
                    report.index_entries += count_values(&derived);
                    if stored != derived {
                        report.problem(format!(
                            "records: the columns of {} do not agree with its value (lookups would miss it): stored {stored:?}, the value gives {derived:?}",
                            record.id()
                        ));
                    }
                    ids.insert(record.id());
                    references.extend(
                        record
                            .references()
                            .into_iter()
                            .map(|(field, target)| (record.id(), field, target)),
                    );
                }
                crate::progress::advance(rows.len() as u64);
                if rows.len() < SCAN_PAGE {
                    break;
                }
            }
            report.counts.push((kind.name().to_string(), n));
        }
        crate::progress::stage(crate::progress::Stage::Checking, None);
        for (record, field, target) in references {
            if !ids.contains(&target) {
                report.problem(format!(
                    "{record}: field {field} names {target}, which is not in the store"
                ));
            }
        }
        check_apart(tx, &ids, &mut report)?;
        match Self::verify_chain_in(tx)? {
            Ok(n) => report.audit_entries = n,
            Err(broken) => report.problem(format!("audit: {broken}")),
        }
        Ok(report)
    }
}

/// The change feed, the informants and the notes name records that exist.
fn check_apart(
    tx: &mut impl GenericClient,
    ids: &HashSet<RecordId>,
    report: &mut CheckReport,
) -> Result<()> {
    for (table, what) in [
        ("changes", "is in the change feed"),
        ("informants", "has an informant"),
        ("notes", "has a restricted note"),
    ] {
        let rows = tx.query(
            &format!("SELECT DISTINCT kind, num FROM {table} WHERE kind IS NOT NULL"),
            &[],
        )?;
        for row in &rows {
            let name: String = row.get(0);
            let num: i64 = row.get(1);
            let known = super::records::kind_named(&name);
            match known {
                Some(kind) if ids.contains(&RecordId::new(kind, num.max(0) as u64)) => {}
                _ => report.problem(format!(
                    "{table}: {name}/{num} {what} but is not in the store"
                )),
            }
        }
    }
    let generation = super::feed::generation_in(tx)?;
    let floor: i64 = tx
        .query_one("SELECT value FROM meta WHERE key = 'cache_floor'", &[])?
        .get(0);
    if u64::try_from(floor).unwrap_or(0) > generation {
        report.problem(format!(
            "meta: the cache floor {floor} is past the generation {generation}"
        ));
    }
    Ok(())
}

/// Index entries a row gives: one per typed column it fills, one per record it names.
fn count_values(c: &super::columns::Columns) -> u64 {
    [
        c.status.is_some(),
        c.doc_number.is_some(),
        c.establishment.is_some(),
        c.check_in.is_some(),
        c.day.is_some(),
        c.at.is_some(),
    ]
    .into_iter()
    .filter(|b| *b)
    .count() as u64
        + c.refs.len() as u64
}
