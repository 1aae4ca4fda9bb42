//! An import's rows resolved — IDs given or allocated, persons matched by identity document,
//! every reference checked against the store and the rows — before they are written (see
//! `import.rs`); and the reading of a file only screened.

use std::collections::HashMap;

use crate::domain::{IdDocument, Kind, Record, RecordId};
use crate::store::Lookup;

use super::super::interchange::{self, ParsedRow, Problem};
use super::super::screening::{self, Lists};
use super::super::{ImportSource, Result, ScreenedRow, ServiceError};
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
    pub(super) fn stored_stays_at(
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

    /// Gives every record of `rows` its final ID and checks them against themselves and the
    /// store. `checked`: the rows are a part of a file checked whole (`file_check.rs`),
    /// which checked their references and found their stays declared again — not asked
    /// again here. The row of each line in `firsts` tells there the ID its first record
    /// took. Returns the records, and the IDs given new here (none of them is stored).
    pub(super) fn resolve(
        &self,
        file: &str,
        rows: Vec<ParsedRow>,
        firsts: &mut HashMap<usize, Option<RecordId>>,
        checked: bool,
    ) -> Result<(Vec<Record>, std::collections::HashSet<RecordId>)> {
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
        let stored = match checked {
            true => HashMap::new(),
            false => self.stored_stays_at(&rows)?,
        };
        let mut fresh = std::collections::HashSet::new();
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
                    fresh.insert(record.id());
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
        for row in rows.iter().filter(|_| !checked) {
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
                        problem(row.line, field, not_in_store(target));
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(ServiceError::Import(problems));
        }
        for row in &rows {
            if let Some(first) = firsts.get_mut(&row.line) {
                *first = row.records.first().map(Record::id);
            }
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
        Ok((records, fresh))
    }

    pub(super) fn screen_source(&self, source: &ImportSource) -> Result<Vec<ScreenedRow>> {
        use crate::progress::{Stage, advance, stage};
        stage(Stage::Reading, None);
        let mut rows = Vec::new();
        interchange::read_rows(
            Kind::GuestStay,
            &source.name,
            &|| source.open(),
            source.format,
            &mut |row| rows.push(row),
        )
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

/// What a row naming a record neither the store nor the file holds is told.
pub(super) fn not_in_store(target: RecordId) -> crate::i18n::Said {
    crate::i18n::Said::new(
        format!(
            "{target} không có trong kho (nhập {} trước, hoặc sửa mã)",
            target.kind().name()
        ),
        format!(
            "{target} is not in the store (import {} first, or fix the ID)",
            target.kind().name()
        ),
    )
}
