//! Import: the file parsed whole, then resolved — IDs given or allocated, persons matched by
//! identity document, every reference checked against the store and the file — before one
//! atomic, durable write; and the same reading for a file only screened.

use std::collections::HashMap;

use crate::domain::{IdDocument, Kind, Record, RecordId};
use crate::store::Lookup;

use super::super::interchange::{self, ParsedRow, Problem};
use super::super::screening::{self, Lists};
use super::super::{ImportReport, ImportSource, Result, ScreenedRow, ServiceError};
use super::LocalDesk;

impl LocalDesk {
    /// An existing person holding exactly this identity document.
    pub(super) fn person_with_document(&self, doc: &IdDocument) -> Result<Option<RecordId>> {
        let lookup = Lookup::PersonsWithDocumentNumber(doc.number.clone());
        for record in self.store.lookup(&lookup)? {
            if let Record::Person(p) = record
                && p.id_doc.as_ref() == Some(doc)
            {
                return Ok(Some(p.id));
            }
        }
        Ok(None)
    }

    /// The stored stays that checked in when the file's new stays did, by check-in: asked
    /// once for the whole file (one question instead of one per row).
    fn stored_stays_at(
        &self,
        rows: &[ParsedRow],
    ) -> Result<HashMap<crate::domain::Instant, Vec<crate::domain::GuestStay>>> {
        let instants: Vec<crate::domain::Instant> = rows
            .iter()
            .filter_map(|row| match row.records.first() {
                Some(Record::GuestStay(g)) if g.id.num() == 0 => Some(g.check_in),
                _ => None,
            })
            .collect();
        let mut stored: HashMap<crate::domain::Instant, Vec<crate::domain::GuestStay>> =
            HashMap::new();
        if instants.is_empty() {
            return Ok(stored);
        }
        for record in self.store.lookup(&Lookup::GuestsCheckedInAt(instants))? {
            if let Record::GuestStay(g) = record {
                stored.entry(g.check_in).or_default().push(g);
            }
        }
        Ok(stored)
    }

    /// The new numbers a file needs, reserved at once per kind (one reservation instead of
    /// one per row: on PostgreSQL each is a round trip): the records still without an ID,
    /// but for a stay declared again in the file, which takes the first one's. Per kind,
    /// the block's next number and its end.
    fn reserve_for(&self, rows: &[ParsedRow]) -> Result<HashMap<Kind, (u64, u64)>> {
        let mut needed: HashMap<Kind, u64> = HashMap::new();
        let mut seen = std::collections::HashSet::new();
        for row in rows {
            for (i, record) in row.records.iter().enumerate() {
                if let (0, Record::GuestStay(g)) = (i, record)
                    && !seen.insert(g.key())
                    && g.id.num() == 0
                {
                    continue;
                }
                if record.id().num() == 0 {
                    *needed.entry(record.kind()).or_default() += 1;
                }
            }
        }
        let mut blocks = HashMap::new();
        for (kind, count) in needed {
            let first = self.store.reserve_ids(kind, count)?;
            blocks.insert(kind, (first, first + count));
        }
        Ok(blocks)
    }

    /// Gives every record its final ID and checks the file against itself and the store.
    pub(super) fn resolve(&self, file: &str, rows: Vec<ParsedRow>) -> Result<Vec<Record>> {
        let mut problems = Vec::new();
        let mut problem = |line: usize, column: &str, message: crate::i18n::Said| {
            problems.push(Problem {
                file: file.to_string(),
                line,
                column: Some(column.to_string()),
                message,
            });
        };
        // Pass 1: persons without an ID that match by identity document, in the store or
        // earlier in the file, take that person's ID.
        let mut by_document: HashMap<IdDocument, RecordId> = HashMap::new();
        let mut rows = rows;
        let stored = self.stored_stays_at(&rows)?;
        for row in &mut rows {
            if let Some(Record::Person(p)) = row.records.first_mut()
                && let (0, Some(doc)) = (p.id.num(), p.id_doc.clone())
            {
                let known = match by_document.get(&doc) {
                    Some(id) => Some(*id),
                    None => self.person_with_document(&doc)?,
                };
                if let Some(id) = known {
                    p.id = id;
                }
            }
            // A stay declared again (the same file sent twice) is the stored stay (see
            // `GuestStay::is_same_stay`).
            if let Some(Record::GuestStay(g)) = row.records.first_mut()
                && g.id.num() == 0
                && let Some(same) = stored
                    .get(&g.check_in)
                    .and_then(|at| at.iter().find(|s| s.is_same_stay(g)))
            {
                g.id = same.id;
            }
        }
        let mut ids = self.reserve_for(&rows)?;
        let mut stays: HashMap<crate::domain::lodging::StayKey, RecordId> = HashMap::new();
        // Pass 2: allocate new IDs; link a row's record to the person it embeds.
        for row in &mut rows {
            // ... and one declared twice in the file is one stay.
            if let Some(Record::GuestStay(g)) = row.records.first_mut()
                && g.id.num() == 0
                && let Some(id) = stays.get(&g.key())
            {
                g.id = *id;
            }
            for record in &mut row.records {
                if record.id().num() == 0 {
                    let kind = record.kind();
                    let num = match ids.get_mut(&kind) {
                        Some((next, end)) if *next < *end => {
                            *next += 1;
                            *next - 1
                        }
                        _ => self.store.reserve_ids(kind, 1)?,
                    };
                    record.set_id(RecordId::new(kind, num));
                }
            }
            if let Some(Record::GuestStay(g)) = row.records.first() {
                stays.entry(g.key()).or_insert(g.id);
            }
            if let [Record::Person(p), rest @ ..] = row.records.as_mut_slice() {
                if let Some(doc) = &p.id_doc {
                    by_document.entry(doc.clone()).or_insert(p.id);
                }
                for record in rest {
                    match record {
                        Record::Wanted(w) => w.person_id = p.id,
                        Record::WatchEntry(e) => e.person_id = p.id,
                        _ => {}
                    }
                }
            }
        }
        // Pass 3: one record per ID (a person may recur, but only identical).
        let mut seen: HashMap<RecordId, (usize, &Record)> = HashMap::new();
        for row in &rows {
            for record in &row.records {
                match seen.get(&record.id()) {
                    Some((line, earlier)) if *earlier != record => {
                        let column = if record.kind() == Kind::Person {
                            "person_id"
                        } else {
                            "id"
                        };
                        problem(
                            row.line,
                            column,
                            crate::i18n::Said::new(
                                format!(
                                    "{} được ghi lại với giá trị khác (lần đầu ở dòng {line}; giữ một)",
                                    record.id()
                                ),
                                format!(
                                    "{} is given again with different values (first on line {line}; keep one)",
                                    record.id()
                                ),
                            ),
                        );
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(record.id(), (row.line, record));
                    }
                }
            }
        }
        // Pass 4: every reference exists, in the file or in the store (each asked of the
        // store once: a file's rows name the same few establishments again and again).
        let mut stored: HashMap<RecordId, bool> = HashMap::new();
        for row in &rows {
            for record in &row.records {
                for (field, target) in record.references() {
                    let in_store = match stored.get(&target) {
                        Some(known) => *known,
                        None if seen.contains_key(&target) => true,
                        None => {
                            let known = self.store.contains(target)?;
                            stored.insert(target, known);
                            known
                        }
                    };
                    if !in_store {
                        problem(
                            row.line,
                            field,
                            crate::i18n::Said::new(
                                format!(
                                    "{target} không có trong kho (nhập {} trước, hoặc sửa mã)",
                                    target.kind().name()
                                ),
                                format!(
                                    "{target} is not in the store (import {} first, or fix the ID)",
                                    target.kind().name()
                                ),
                            ),
                        );
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(ServiceError::Import(problems));
        }
        let mut records: Vec<Record> = Vec::new();
        let mut written: std::collections::HashSet<RecordId> = Default::default();
        for row in rows {
            for record in row.records {
                if written.insert(record.id()) {
                    records.push(record);
                }
            }
        }
        Ok(records)
    }

    pub(super) fn import_file(&self, kind: Kind, source: &ImportSource) -> Result<ImportReport> {
        crate::progress::stage(crate::progress::Stage::Reading, None);
        let rows = interchange::parse(kind, &source.name, &source.bytes, source.format)
            .map_err(ServiceError::Import)?;
        let row_count = rows.len();
        let records = self.resolve(&source.name, rows)?;
        self.refuse_changing_closed(&records)?;
        for record in &records {
            self.refuse_rewrite(record, true)?;
        }
        let assignments: Vec<_> = records
            .iter()
            .filter_map(|r| match r {
                Record::Assignment(a) => Some(a.clone()),
                _ => None,
            })
            .collect();
        let _roster = (!assignments.is_empty()).then(|| self.roster_gate());
        self.refuse_roster_problems(&assignments)?;
        let (mut created, mut updated, mut unchanged) = (0, 0, 0);
        let mut changed = Vec::with_capacity(records.len());
        let ids: Vec<RecordId> = records.iter().map(Record::id).collect();
        let all_stored = self.store.get_many(&ids)?;
        for (record, stored) in records.into_iter().zip(all_stored) {
            // A record the store already holds as it is: nothing to write, nothing to screen.
            if stored.as_ref() == Some(&record) {
                if record.kind() == kind {
                    unchanged += 1;
                }
                continue;
            }
            if record.kind() == kind {
                match stored {
                    Some(_) => updated += 1,
                    None => created += 1,
                }
            }
            changed.push(record);
        }
        let hits = self.put_screened(changed, true)?;
        Ok(ImportReport {
            kind: kind.name().to_string(),
            rows: row_count,
            created,
            updated,
            unchanged,
            hits,
        })
    }

    pub(super) fn screen_source(&self, source: &ImportSource) -> Result<Vec<ScreenedRow>> {
        use crate::progress::{Stage, advance, stage};
        stage(Stage::Reading, None);
        let rows = interchange::parse(Kind::GuestStay, &source.name, &source.bytes, source.format)
            .map_err(ServiceError::Import)?;
        let lists = Lists::new(Lists::active(&*self.store)?);
        stage(Stage::Screening, Some(rows.len() as u64));
        Ok(rows
            .iter()
            .inspect(|_| advance(1))
            .map(|row| ScreenedRow {
                line: row.line,
                hits: row
                    .records
                    .iter()
                    .filter_map(|r| match r {
                        Record::GuestStay(g) => {
                            Some(screening::preview(&lists, &g.guest, &self.screening))
                        }
                        _ => None,
                    })
                    .flatten()
                    .collect(),
            })
            .collect())
    }
}
