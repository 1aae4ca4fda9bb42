//! Import: the whole file checked first (`file_check.rs`), nothing written; then written, all
//! or nothing. A file of one part is written in one transaction, as any write, from the rows
//! the check read; a larger one part by part ([`crate::store::Backend::write_in_parts`]), read
//! from its start again, so that a year of declarations is imported in the memory of a part.

use std::collections::HashMap;
use std::sync::mpsc;

use crate::domain::{Kind, Record, RecordId};
use crate::store::StoreError;

use super::super::interchange::{Digest, ParsedRow, Problem};
use super::super::screening::Lists;
use super::super::{ImportReport, ImportSource, Result, ServiceError};
use super::LocalDesk;
use super::file_check::{FilePlan, read_in_parts};

/// Rows read, resolved, screened and written together: parts of 10,000 stays keep an
/// import of 1,000,000 in bounded memory (see the README's import figures).
pub(super) const PART_ROWS: usize = 10_000;

/// What the rows written so far came to.
#[derive(Default)]
struct Tally {
    created: usize,
    updated: usize,
    unchanged: usize,
    hits: Vec<RecordId>,
}

/// What the reading thread hands the writer: a part's rows, then how the reading ended.
enum Piece {
    Rows(Vec<ParsedRow>),
    End(std::result::Result<Digest, Vec<Problem>>),
}

impl LocalDesk {
    /// The same desk importing in parts of `rows` rows (at least 1) instead of
    /// [`PART_ROWS`]: tests cut small files into parts with it.
    pub fn with_import_part_rows(self, rows: usize) -> LocalDesk {
        LocalDesk {
            import_part_rows: rows.max(1),
            ..self
        }
    }

    pub(super) fn import_file(&self, kind: Kind, source: &ImportSource) -> Result<ImportReport> {
        let part = self.import_part_rows;
        let mut plan = self.check_file(kind, source, part)?;
        let mut tally = Tally::default();
        if let Some(rows) = plan.whole.take() {
            let records = self.records_of_part(kind, source, rows, &plan, &mut tally, None)?;
            crate::progress::stage(crate::progress::Stage::Writing, None);
            self.write_checked(
                crate::store::Write {
                    records: &records,
                    ..Default::default()
                },
                true,
                None,
            )?;
        } else {
            self.write_file_in_parts(kind, source, part, &plan, &mut tally)?;
        }
        self.follow_in_search();
        Ok(ImportReport {
            kind: kind.name().to_string(),
            rows: plan.rows,
            created: tally.created,
            updated: tally.updated,
            unchanged: tally.unchanged,
            hits: tally.hits,
        })
    }

    /// Reads the file again on a thread of its own and makes each part's records on
    /// another, while the parts before are written: each stage waits for the next when it
    /// is a part ahead.
    fn write_file_in_parts(
        &self,
        kind: Kind,
        source: &ImportSource,
        part: usize,
        plan: &FilePlan,
        tally: &mut Tally,
    ) -> Result<()> {
        use crate::progress::{Stage, stage};
        let lists = Lists::new(Lists::active(&*self.store)?);
        stage(Stage::Writing, Some(plan.rows as u64));
        std::thread::scope(|scope| {
            let (send_rows, rows) = mpsc::sync_channel::<Piece>(1);
            let (send_records, records) = mpsc::sync_channel::<Result<Option<Vec<Record>>>>(1);
            scope.spawn(move || read_parts(kind, source, part, &send_rows));
            let lists = &lists;
            scope.spawn(move || {
                for piece in rows {
                    let made = match piece {
                        Piece::Rows(rows) => {
                            let n = rows.len() as u64;
                            let made = self
                                .records_of_part(kind, source, rows, plan, tally, Some(lists))
                                .map(Some);
                            crate::progress::advance(n);
                            made
                        }
                        Piece::End(Ok(digest)) => {
                            refuse_changed(&source.name, digest, plan).map(|()| None)
                        }
                        Piece::End(Err(problems)) => Err(ServiceError::Import(problems)),
                    };
                    let last = !matches!(made, Ok(Some(_)));
                    // Nobody takes it: the write has stopped.
                    if send_records.send(made).is_err() || last {
                        return;
                    }
                }
            });
            let mut failure: Option<ServiceError> = None;
            let first = std::sync::OnceLock::new();
            let mut next = || -> crate::store::Result<Option<Vec<Record>>> {
                let made = records
                    .recv()
                    .unwrap_or_else(|_| Err(changed_file(&source.name)));
                if let Ok(Some(part)) = &made
                    && let Some(record) = part.first()
                {
                    let _ = first.set(record.id());
                }
                made.map_err(|e| {
                    failure = Some(e);
                    StoreError::Stopped
                })
            };
            let written = self.write_checked_parts(&mut next, &first);
            // The stages before stop at their next part once nobody takes it.
            drop(records);
            match written {
                Err(ServiceError::Store(StoreError::Stopped)) => {
                    Err(failure.unwrap_or(ServiceError::Store(StoreError::Stopped)))
                }
                other => other,
            }
        })
    }

    /// One part's rows as the records to write: resolved, refused if they break a rule,
    /// those the store holds as they are left out, and the hits they raise added. `lists`:
    /// the file is written in parts (see `file_check.rs` for what its check did), screened
    /// against these lists.
    fn records_of_part(
        &self,
        kind: Kind,
        source: &ImportSource,
        rows: Vec<ParsedRow>,
        plan: &FilePlan,
        tally: &mut Tally,
        lists: Option<&Lists>,
    ) -> Result<Vec<Record>> {
        let rows = plan.prepare(rows);
        let mut firsts: HashMap<usize, Option<RecordId>> = rows
            .iter()
            .filter(|row| plan.is_first(row.line))
            .map(|row| (row.line, None))
            .collect();
        let (records, fresh) = self.resolve(&source.name, rows, &mut firsts, lists.is_some())?;
        plan.note_firsts_ids(firsts);
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
        let mut changed = Vec::with_capacity(records.len());
        // A record given a new ID is not stored: only the others are asked for.
        let asked: Vec<RecordId> = records
            .iter()
            .map(Record::id)
            .filter(|id| !fresh.contains(id))
            .collect();
        let mut answers = self.store.get_many(&asked)?.into_iter();
        for record in records {
            let stored = match fresh.contains(&record.id()) {
                true => None,
                false => answers.next().flatten(),
            };
            // A record the store already holds as it is: nothing to write, nothing to screen.
            if stored.as_ref() == Some(&record) {
                if record.kind() == kind {
                    tally.unchanged += 1;
                }
                continue;
            }
            if record.kind() == kind {
                match stored {
                    Some(_) => tally.updated += 1,
                    None => tally.created += 1,
                }
            }
            changed.push(record);
        }
        let hits = self.hits_caused_by(&changed, self.now(), lists, &fresh)?;
        tally.hits.extend(hits.iter().map(Record::id));
        changed.extend(hits);
        Ok(changed)
    }
}

fn changed_file(file: &str) -> ServiceError {
    ServiceError::Import(vec![Problem {
        file: file.to_string(),
        line: 1,
        column: None,
        message: crate::i18n::Said::new(
            "tệp bị thay đổi trong khi đang nhập (không ghi gì; chờ ghi xong tệp rồi nhập lại)",
            "the file changed while it was being imported (nothing was written; wait until it is written, then import again)",
        ),
    }])
}

/// The file read for writing must be the file checked.
fn refuse_changed(file: &str, digest: Digest, plan: &FilePlan) -> Result<()> {
    if digest == plan.digest {
        Ok(())
    } else {
        Err(changed_file(file))
    }
}

/// The file read again, its rows sent a part at a time, then how the reading ended; stops
/// when nobody takes them.
fn read_parts(kind: Kind, source: &ImportSource, part: usize, send: &mpsc::SyncSender<Piece>) {
    let end = read_in_parts(kind, source, part, &mut |rows| {
        send.send(Piece::Rows(rows)).is_ok()
    });
    // Refused when the writing has stopped: nobody needs it then.
    let _ = send.send(Piece::End(end));
}
