//! An import file checked whole before anything of it is written, in the memory of a part
//! and a few words per row: every row parsed, resolved against the store as it is, and
//! weighed against the others through *claims* — a row's record ID, its guest stay, its
//! person's identity document — sorted once at the end, so that two rows giving one record
//! different values, or naming a record nowhere to be found, are refused with their lines.
//! What the writing needs of it stays: which rows repeat an earlier one (see [`FilePlan`]).

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use crate::domain::{Kind, Record, RecordId};
use crate::i18n::Said;

use super::super::interchange::{self, Digest, ParsedRow, Problem};
use super::super::{ImportSource, Result, ServiceError};
use super::LocalDesk;

/// What a row claims. `key`: a record ID (top bit set), or the hash of a stay or of a
/// person's identity document; `value`: the hash of the record (without its ID where the
/// key is not the ID); `adopt`: the row takes the ID of the first row with the same key.
#[derive(Clone, Copy)]
struct Claim {
    key: (u64, u64),
    value: u64,
    line: u32,
    adopt: bool,
}

const ID_KEY: u64 = 1 << 63;

fn id_key(id: RecordId) -> (u64, u64) {
    (ID_KEY | id.kind().index() as u64, id.num())
}

/// Two independent 64-bit hashes of `what` (a false match of both is beyond reach).
fn wide_hash(what: &impl Hash) -> (u64, u64) {
    let half = |seed: u8| {
        let mut h = std::hash::DefaultHasher::new();
        seed.hash(&mut h);
        what.hash(&mut h);
        h.finish()
    };
    (half(1) & !ID_KEY, half(2))
}

/// The hash of a record's values, with the ID it is given.
fn value_hash(record: &Record, id: RecordId) -> u64 {
    let json = match record.id() == id {
        true => serde_json::to_vec(record),
        false => {
            let mut record = record.clone();
            record.set_id(id);
            serde_json::to_vec(&record)
        }
    };
    let mut h = std::hash::DefaultHasher::new();
    json.unwrap_or_default().hash(&mut h);
    h.finish()
}

/// What the writing of a checked file needs to know.
pub(super) struct FilePlan {
    pub rows: usize,
    pub digest: Digest,
    /// A row that repeats an earlier one (by guest stay or identity document, without an
    /// ID of its own) → the line of the first.
    same_as: HashMap<usize, usize>,
    /// The lines of those first rows, and the ID each took once written.
    firsts: HashSet<usize>,
    /// A row whose stay the store holds already (the same stay declared again) → its ID.
    stored: HashMap<usize, RecordId>,
    first_ids: std::sync::Mutex<HashMap<usize, RecordId>>,
    /// The rows of a file of one part, as the check read them.
    pub whole: Option<Vec<ParsedRow>>,
}

impl FilePlan {
    pub fn is_first(&self, line: usize) -> bool {
        self.firsts.contains(&line)
    }

    /// A part's rows as they are written: a stay that repeats an earlier one is left out
    /// (the first is written), a person that does takes the first one's ID, and a stay the
    /// store holds takes its ID (as the check found it: the store before the import).
    pub fn prepare(&self, rows: Vec<ParsedRow>) -> Vec<ParsedRow> {
        let ids = self
            .first_ids
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        rows.into_iter()
            .filter_map(|mut row| {
                if let (Some(id), Some(Record::GuestStay(g))) =
                    (self.stored.get(&row.line), row.records.first_mut())
                {
                    g.id = *id;
                }
                let Some(first) = self.same_as.get(&row.line) else {
                    return Some(row);
                };
                match row.records.first_mut() {
                    Some(Record::GuestStay(_)) => None,
                    Some(record) => {
                        if let Some(id) = ids.get(first) {
                            record.set_id(*id);
                        }
                        Some(row)
                    }
                    None => Some(row),
                }
            })
            .collect()
    }

    pub fn note_firsts_ids(&self, firsts: HashMap<usize, Option<RecordId>>) {
        let mut ids = self
            .first_ids
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (line, id) in firsts {
            if let Some(id) = id {
                ids.insert(line, id);
            }
        }
    }
}

/// Reads `source` as rows of `kind`, handing them to `each_part` `part` rows at a time
/// (the last part shorter) until it says stop (`false`); returns how the reading ended.
pub(super) fn read_in_parts(
    kind: Kind,
    source: &ImportSource,
    part: usize,
    each_part: &mut dyn FnMut(Vec<ParsedRow>) -> bool,
) -> std::result::Result<Digest, Vec<Problem>> {
    let mut rows = Vec::new();
    let mut going = true;
    let end = interchange::read_rows(
        kind,
        &source.name,
        &|| source.open(),
        source.format,
        &mut |row| {
            if going {
                rows.push(row);
                if rows.len() == part {
                    going = each_part(std::mem::take(&mut rows));
                }
            }
        },
    );
    if going && !rows.is_empty() {
        each_part(rows);
    }
    end
}

/// What the check gathers while it reads.
#[derive(Default)]
struct Gathered {
    claims: Vec<Claim>,
    /// References to records the store does not hold: the file must (target, line, field).
    pending: Vec<(RecordId, usize, &'static str)>,
    in_store: HashMap<RecordId, bool>,
    /// Rows whose stay the store holds already, with its ID.
    stored: HashMap<usize, RecordId>,
}

impl LocalDesk {
    /// Reads the whole file, in parts of `part` rows, and checks it; writes nothing. The
    /// rows of a file of one part are kept in the plan (they are written without reading
    /// the file again).
    pub(super) fn check_file(
        &self,
        kind: Kind,
        source: &ImportSource,
        part: usize,
    ) -> Result<FilePlan> {
        use crate::progress::{Stage, advance, stage};
        stage(Stage::Reading, None);
        let mut gathered = Gathered::default();
        let mut count = 0usize;
        let mut whole = None;
        let mut failure = None;
        let read = read_in_parts(kind, source, part, &mut |rows| {
            count += rows.len();
            advance(rows.len() as u64);
            if let Err(e) = self.claim_part(&rows, &mut gathered) {
                failure = Some(e);
                return false;
            }
            whole = (count <= part).then_some(rows);
            true
        });
        let digest = read.map_err(ServiceError::Import)?;
        if let Some(e) = failure {
            return Err(e);
        }
        let mut plan = FilePlan {
            rows: count,
            digest,
            same_as: HashMap::new(),
            firsts: HashSet::new(),
            stored: std::mem::take(&mut gathered.stored),
            first_ids: Default::default(),
            whole,
        };
        let problems = weigh_claims(&source.name, gathered, &mut plan);
        if problems.is_empty() {
            Ok(plan)
        } else {
            Err(ServiceError::Import(problems))
        }
    }

    /// One part's claims and references, asked of the store as it is.
    fn claim_part(&self, rows: &[ParsedRow], gathered: &mut Gathered) -> Result<()> {
        let stored = self.stored_stays_at(rows)?;
        for row in rows {
            let line = u32::try_from(row.line).unwrap_or(u32::MAX);
            for (i, record) in row.records.iter().enumerate() {
                let mut id = record.id();
                if i == 0 {
                    match record {
                        Record::Person(p) => {
                            if let Some(doc) = &p.id_doc {
                                if id.num() == 0
                                    && let Some(known) = self.person_with_document(doc)?
                                {
                                    id = known;
                                }
                                gathered.claims.push(Claim {
                                    key: wide_hash(&(0u8, doc)),
                                    value: value_hash(record, RecordId::new(Kind::Person, 0)),
                                    line,
                                    adopt: p.id.num() == 0,
                                });
                            }
                        }
                        Record::GuestStay(g) => {
                            if id.num() == 0
                                && let Some(same) = stored
                                    .get(&g.check_in)
                                    .and_then(|at| at.iter().find(|s| s.is_same_stay(g)))
                            {
                                id = same.id;
                                gathered.stored.insert(row.line, id);
                            }
                            gathered.claims.push(Claim {
                                key: wide_hash(&(1u8, g.key())),
                                value: value_hash(record, RecordId::new(Kind::GuestStay, 0)),
                                line,
                                adopt: id.num() == 0,
                            });
                        }
                        _ => {}
                    }
                }
                if id.num() != 0 {
                    gathered.claims.push(Claim {
                        key: id_key(id),
                        value: value_hash(record, id),
                        line,
                        adopt: false,
                    });
                }
                for (field, target) in record.references() {
                    // Number 0: the row's own person, whose ID the writing gives.
                    if target.num() == 0 {
                        continue;
                    }
                    let known = match gathered.in_store.get(&target) {
                        Some(known) => *known,
                        None => {
                            let known = self.store.contains(target)?;
                            gathered.in_store.insert(target, known);
                            known
                        }
                    };
                    if !known {
                        gathered.pending.push((target, row.line, field));
                    }
                }
            }
        }
        Ok(())
    }
}

/// Sorts the claims and finds, per key, the rows that disagree with the first; notes in
/// `plan` the rows that repeat it. References the store could not answer must be records
/// the file gives.
fn weigh_claims(file: &str, gathered: Gathered, plan: &mut FilePlan) -> Vec<Problem> {
    let Gathered {
        mut claims,
        pending,
        ..
    } = gathered;
    claims.sort_unstable_by_key(|c| (c.key, c.line));
    let mut problems = Vec::new();
    let problem = |line: usize, column: Option<&str>, message: Said| Problem {
        file: file.to_string(),
        line,
        column: column.map(str::to_string),
        message,
    };
    for group in claims.chunk_by(|a, b| a.key == b.key) {
        let first = group[0];
        for claim in &group[1..] {
            let (line, first_line) = (claim.line as usize, first.line as usize);
            let by_id = claim.key.0 & ID_KEY != 0;
            if by_id || claim.adopt {
                if claim.value != first.value {
                    let (column, what) = match (by_id, claim.key) {
                        (true, (kind, num)) => {
                            let kind = Kind::ALL[(kind & !ID_KEY) as usize];
                            let column = if kind == Kind::Person {
                                "person_id"
                            } else {
                                "id"
                            };
                            (Some(column), RecordId::new(kind, num).to_string())
                        }
                        _ => (None, String::new()),
                    };
                    let message = if by_id {
                        Said::new(
                            format!(
                                "{what} được ghi lại với giá trị khác (lần đầu ở dòng {first_line}; giữ một)"
                            ),
                            format!(
                                "{what} is given again with different values (first on line {first_line}; keep one)"
                            ),
                        )
                    } else {
                        Said::new(
                            format!(
                                "dòng này lặp lại dòng {first_line} (cùng người hoặc cùng lượt lưu trú) với giá trị khác (giữ một)"
                            ),
                            format!(
                                "this row repeats line {first_line} (the same person or stay) with different values (keep one)"
                            ),
                        )
                    };
                    problems.push(problem(line, column, message));
                } else if claim.adopt {
                    plan.same_as.insert(line, first_line);
                    plan.firsts.insert(first_line);
                }
            }
        }
    }
    for (target, line, field) in pending {
        let key = id_key(target);
        if claims.binary_search_by_key(&key, |c| c.key).is_err() {
            problems.push(problem(
                line,
                Some(field),
                super::resolve::not_in_store(target),
            ));
        }
    }
    problems.sort_by_key(|p| p.line);
    problems
}
