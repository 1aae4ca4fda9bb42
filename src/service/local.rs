//! [`LocalDesk`]: the service API served in-process over a store (the embedded, single-user
//! mode). Imports are resolved here: IDs given or allocated, persons matched by identity
//! document, every reference checked against the store and the file, then one atomic,
//! durable write.

use std::collections::HashMap;

use chrono::{NaiveDate, SubsecRound};

use crate::domain::declarations::{DeclarationRules, DeclarationStatus, late_nights};
use crate::domain::inspection_priority::{LastInspection, PriorityInput, score};
use crate::domain::text::fold;
use crate::domain::time::local_date;
use crate::domain::{
    CheckResult, Establishment, GuestStay, HitStep, IdDocument, Instant, Kind, Record, RecordId,
    StatusChange, WantedStatus,
};
use crate::store::{Index, Store, keys::KeyBuf};

use super::interchange::{self, ParsedRow, Problem};
use super::live_search::LiveSearch;
use super::screening::{self, Listed, Lists, ScreeningConfig};
use super::{
    DeskApi, Format, HitCounts, ImportReport, ImportSource, InspectionCandidate, LateNight,
    ListQuery, Page, Result, ScreenedRow, ServiceError, SortBy, Stats,
};

#[derive(Clone)]
pub struct LocalDesk {
    store: std::sync::Arc<Store>,
    screening: ScreeningConfig,
    /// The search index, kept current with every write (see `live_search.rs`).
    search: std::sync::Arc<LiveSearch>,
    /// The lodging declaration deadlines (configuration: `[lodging]` in the config file).
    rules: DeclarationRules,
    /// Shift times and the minimum rest (see `service/roster.rs`).
    roster: crate::domain::roster::RosterRules,
    /// The tip verification deadline (configuration: `[tips]`).
    tip_rules: crate::domain::TipRules,
    /// Who is acting (a session of the daemon, or the store's owner): every write carries
    /// its audit entry in its own transaction. None: unaudited (tests, bulk tools).
    actor: Option<std::sync::Arc<super::session::Actor>>,
    /// The time a write is stamped with when no session acts (a session's request carries
    /// its own): the command line's, a test's fixed clock, the sample's.
    clock: crate::domain::Clock,
    /// Directories a backup may not be written into besides the store's own: the daemon's
    /// socket directory (see [`LocalDesk::guarding`]).
    guarded: std::sync::Arc<Vec<std::path::PathBuf>>,
    /// Held from the roster checks to the write of assignments: the checks read the
    /// campaign's other assignments, so two supervisors writing at once must not each be
    /// checked against a roster without the other's change. One process holds the store.
    roster_gate: std::sync::Arc<std::sync::Mutex<()>>,
}

impl LocalDesk {
    pub fn new(store: Store, clock: crate::domain::Clock) -> LocalDesk {
        let store = std::sync::Arc::new(store);
        LocalDesk {
            clock,
            search: LiveSearch::new(store.clone()),
            store,
            screening: ScreeningConfig::default(),
            rules: DeclarationRules::default(),
            roster: Default::default(),
            tip_rules: crate::domain::TipRules::default(),
            actor: None,
            guarded: Default::default(),
            roster_gate: Default::default(),
        }
    }

    /// The same desk, refusing backups into `dir` too (the daemon guards its socket's).
    pub fn guarding(&self, dir: &std::path::Path) -> LocalDesk {
        let mut guarded = (*self.guarded).clone();
        guarded.push(dir.to_path_buf());
        LocalDesk {
            guarded: std::sync::Arc::new(guarded),
            ..self.clone()
        }
    }

    /// The roster gate (see the field); a poisoned gate only means a writer panicked.
    pub(super) fn roster_gate(&self) -> std::sync::MutexGuard<'_, ()> {
        self.roster_gate
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(super) fn guarded_dirs(&self) -> impl Iterator<Item = &std::path::Path> {
        // The data directory: the store's trees, its seal, its holder note, the search index.
        let data_dir = self.store.dir().parent().unwrap_or(self.store.dir());
        std::iter::once(data_dir).chain(self.guarded.iter().map(|d| d.as_path()))
    }

    /// The same desk acting for `actor`: its writes carry `actor`'s audit entry.
    pub(super) fn acting(&self, actor: std::sync::Arc<super::session::Actor>) -> LocalDesk {
        LocalDesk {
            actor: Some(actor),
            ..self.clone()
        }
    }

    /// Every write of the service goes through here: one transaction with the audit entry
    /// of the acting session, then fsync.
    pub(super) fn write(&self, w: crate::store::Write<'_>) -> Result<()> {
        self.write_checked(w, false, None)
    }

    /// As [`LocalDesk::write`], with `detail` added to the audit entry's.
    pub(super) fn write_detailed(
        &self,
        w: crate::store::Write<'_>,
        detail: Option<String>,
    ) -> Result<()> {
        self.write_checked(w, false, detail)
    }

    /// As [`LocalDesk::write`]; `import` says the records come from an import file, whose
    /// new records keep the history the file carries (see [`crate::domain::rules`]).
    fn write_checked(
        &self,
        w: crate::store::Write<'_>,
        import: bool,
        detail: Option<String>,
    ) -> Result<()> {
        let acting = crate::domain::rules::Acting {
            officer: self.actor.as_ref().and_then(|a| a.officer()),
            import,
        };
        let check = move |old: Option<&Record>, new: &Record| {
            crate::domain::rules::check_change(old, new, &acting)
        };
        let draft = self.actor.as_ref().map(|a| {
            let record = w
                .records
                .first()
                .map(Record::id)
                .or(w.note.map(|(id, _)| id))
                .or(w.informant.map(|(id, _)| id));
            let mut draft = a.draft(record);
            if let Some(extra) = &detail {
                draft.detail = match draft.detail.is_empty() {
                    true => extra.clone(),
                    false => format!("{}: {extra}", draft.detail),
                };
            }
            draft
        });
        self.store.write(&crate::store::Write {
            audit: draft.as_ref(),
            check: Some(&check),
            ..w
        })?;
        if let Some(a) = &self.actor {
            a.mark_written();
        }
        Ok(())
    }

    /// The moment of the current request: the acting session's, else the desk's clock.
    pub(super) fn now(&self) -> Instant {
        match &self.actor {
            Some(actor) => actor.at(),
            None => self.clock.now_secs(),
        }
    }

    /// The officer of the session acting, if any.
    pub(super) fn actor_officer(&self) -> Option<RecordId> {
        self.actor.as_ref().and_then(|a| a.officer())
    }

    pub fn clock(&self) -> &crate::domain::Clock {
        &self.clock
    }

    /// [`LocalDesk::write`] of records alone.
    pub(super) fn write_records(&self, records: &[Record]) -> Result<()> {
        self.write(crate::store::Write {
            records,
            ..Default::default()
        })
    }

    /// Roster shift times and minimum rest instead of the defaults.
    pub fn with_roster_rules(self, roster: crate::domain::roster::RosterRules) -> LocalDesk {
        LocalDesk { roster, ..self }
    }

    pub fn roster_rules(&self) -> &crate::domain::roster::RosterRules {
        &self.roster
    }

    /// The same desk setting tip deadlines by `rules` (`[tips]`).
    pub fn with_tip_rules(self, tip_rules: crate::domain::TipRules) -> LocalDesk {
        LocalDesk { tip_rules, ..self }
    }

    pub fn tip_rules(&self) -> &crate::domain::TipRules {
        &self.tip_rules
    }

    /// After a write outside `put_screened` (a roster edit, a tip): the search index
    /// follows.
    pub(super) fn after_write(&self) {
        self.follow_in_search();
    }

    /// Screening thresholds, deadlines and window from the configuration.
    pub fn with_screening(mut self, config: ScreeningConfig) -> LocalDesk {
        self.screening = config;
        self
    }

    /// The hits that writing `records` raises, with their IDs: the guest stays among them
    /// screened against the active lists (as they will be after the write), and the
    /// notices and watch entries among them — or naming a person among them — screened
    /// against the guests of the last days. Pairs already hit are left out.
    fn hits_caused_by(&self, records: &[Record], now: Instant) -> Result<Vec<Record>> {
        let guests: Vec<&GuestStay> = records
            .iter()
            .filter_map(|r| match r {
                Record::GuestStay(g) => Some(g),
                _ => None,
            })
            .collect();
        let written_person = |id: RecordId| {
            records.iter().find_map(|r| match r {
                Record::Person(p) if p.id == id => Some(p.clone()),
                _ => None,
            })
        };
        let person = |id: RecordId| match written_person(id) {
            Some(p) => Ok(Some(p)),
            None => screening::person_in_store(&self.store, id),
        };
        // Notices written now, and the active notices of persons written now.
        let mut changed: Vec<Listed> = Vec::new();
        for record in records {
            if matches!(record, Record::Wanted(_) | Record::WatchEntry(_)) {
                changed.extend(screening::listed_of(record, &person)?);
            }
        }
        if records.iter().any(|r| matches!(r, Record::Person(_))) {
            for listed in Lists::active(&self.store)? {
                if written_person(listed.person.id).is_some()
                    && !changed.iter().any(|c| c.listed_id == listed.listed_id)
                {
                    changed.extend(screening::listed_of(
                        &self
                            .store
                            .get(listed.listed_id)?
                            .ok_or(ServiceError::NotFound(listed.listed_id))?,
                        &person,
                    )?);
                }
            }
        }
        if guests.is_empty() && changed.is_empty() {
            return Ok(Vec::new());
        }
        let already = screening::pairs_already_hit(&self.store)?;
        let config = &self.screening;
        let mut hits = Vec::new();
        if !guests.is_empty() {
            let mut lists: Vec<Listed> = Lists::active(&self.store)?
                .into_iter()
                .filter(|l| !changed.iter().any(|c| c.listed_id == l.listed_id))
                .collect();
            lists.extend(changed.iter().cloned());
            hits.extend(screening::hits(
                &Lists::new(lists),
                &guests,
                config,
                now,
                &already,
            ));
        }
        if !changed.is_empty() {
            let recent: Vec<GuestStay> =
                screening::recent_guests(&self.store, now, config.recent_days)?
                    .into_iter()
                    .filter(|g| !guests.iter().any(|w| w.id == g.id))
                    .collect();
            let recent: Vec<&GuestStay> = recent.iter().collect();
            hits.extend(screening::hits(
                &Lists::new(changed),
                &recent,
                config,
                now,
                &already,
            ));
        }
        let first = self.store.reserve_ids(Kind::Hit, hits.len() as u64);
        Ok(hits
            .into_iter()
            .zip(first..)
            .map(|(mut hit, n)| {
                hit.id = RecordId::new(Kind::Hit, n);
                Record::Hit(hit)
            })
            .collect())
    }

    /// Writes `records` with the hits they raise, in one transaction; returns the hit IDs.
    /// `import`: they come from an import file (see [`LocalDesk::write_checked`]).
    fn put_screened(&self, mut records: Vec<Record>, import: bool) -> Result<Vec<RecordId>> {
        let hits = self.hits_caused_by(&records, self.now())?;
        let ids = hits.iter().map(Record::id).collect();
        records.extend(hits);
        self.write_checked(
            crate::store::Write {
                records: &records,
                ..Default::default()
            },
            import,
            None,
        )?;
        self.follow_in_search();
        Ok(ids)
    }

    /// The same desk judging declarations by `rules` instead of the defaults.
    pub fn with_declaration_rules(self, rules: DeclarationRules) -> LocalDesk {
        LocalDesk { rules, ..self }
    }

    pub fn declaration_rules(&self) -> &DeclarationRules {
        &self.rules
    }

    fn stays_checked_in(&self, from: Instant, to: Instant) -> Result<Vec<GuestStay>> {
        Ok(self
            .guests_checked_in(from, to)?
            .into_iter()
            .filter_map(|r| match r {
                Record::GuestStay(g) => Some(g),
                _ => None,
            })
            .collect())
    }

    /// The establishments these stays name, by ID (one read each).
    fn establishments_of(&self, stays: &[GuestStay]) -> Result<HashMap<RecordId, Establishment>> {
        let mut out = HashMap::new();
        for stay in stays {
            if !out.contains_key(&stay.establishment_id)
                && let Some(Record::Establishment(e)) = self.store.get(stay.establishment_id)?
            {
                out.insert(e.id, e);
            }
        }
        Ok(out)
    }

    /// Whether each establishment is in a remote commune, for the foreign-guest deadline.
    fn remoteness(&self, places: &HashMap<RecordId, Establishment>) -> HashMap<RecordId, bool> {
        places
            .values()
            .map(|e| (e.id, self.rules.is_remote(&e.commune)))
            .collect()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Loads (or builds and saves) the search index now, waiting for it: after a bulk load,
    /// so that the first console on the new store finds it ready.
    pub fn prepare_search(&self) -> Result<()> {
        self.search.search("", None, 0, true).map(drop)
    }

    /// Writes already-valid records (the sample) in one atomic, durable write.
    pub fn load(&self, records: &[Record]) -> Result<()> {
        records.iter().try_for_each(refuse_hostile_text)?;
        records
            .iter()
            .try_for_each(super::group_dates::refuse_bad_group_dates)?;
        self.put_screened(records.to_vec(), false)?;
        Ok(())
    }

    fn records(
        &self,
        ids: impl Iterator<Item = crate::store::Result<RecordId>>,
    ) -> Result<Vec<Record>> {
        let mut out = Vec::new();
        for id in ids {
            if let Some(record) = self.store.get(id?)? {
                out.push(record);
            }
        }
        Ok(out)
    }

    /// After a write: the search index takes in what changed. The write is saved already;
    /// an index that cannot follow is rebuilt on the next start, so this never fails it.
    fn follow_in_search(&self) {
        drop(self.search.after_write());
    }

    /// An existing person holding exactly this identity document.
    fn person_with_document(&self, doc: &IdDocument) -> Result<Option<RecordId>> {
        let prefix = KeyBuf::new().text(&doc.number).finish();
        for id in self.store.index_prefix(Index::PersonsByIdNumber, &prefix) {
            if let Some(Record::Person(p)) = self.store.get(id?)?
                && p.id_doc.as_ref() == Some(doc)
            {
                return Ok(Some(p.id));
            }
        }
        Ok(None)
    }

    /// Gives every record its final ID and checks the file against itself and the store.
    fn resolve(&self, file: &str, rows: Vec<ParsedRow>) -> Result<Vec<Record>> {
        let mut problems = Vec::new();
        let mut problem = |line: usize, column: &str, message: String| {
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
        }
        // Pass 2: allocate new IDs; link a row's record to the person it embeds.
        for row in &mut rows {
            for record in &mut row.records {
                if record.id().num() == 0 {
                    let kind = record.kind();
                    record.set_id(RecordId::new(kind, self.store.reserve_ids(kind, 1)));
                }
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
                            format!(
                                "{} is given again with different values (first on line {line}; keep one)",
                                record.id()
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
        // Pass 4: every reference exists, in the file or in the store.
        for row in &rows {
            for record in &row.records {
                for (field, target) in record.references() {
                    if !seen.contains_key(&target) && !self.store.contains(target)? {
                        problem(
                            row.line,
                            field,
                            format!(
                                "{target} is not in the store (import {} first, or fix the ID)",
                                target.kind().name()
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
}

impl DeskApi for LocalDesk {
    fn stats(&self) -> Result<Stats> {
        let counts = Kind::ALL
            .iter()
            .map(|k| (k.name().to_string(), self.store.count(*k)))
            .collect();
        Ok(Stats { counts })
    }

    fn get(&self, id: RecordId) -> Result<Option<Record>> {
        Ok(self.store.get(id)?)
    }

    fn list(&self, query: &ListQuery) -> Result<Page> {
        // A page is at most MAX_LIST_ROWS, whatever is asked: one request never makes the
        // daemon hold a whole collection (`total` still counts every match).
        let query = &ListQuery {
            limit: query.limit.min(super::MAX_LIST_ROWS),
            ..query.clone()
        };
        let needle = query
            .contains
            .as_deref()
            .map(fold)
            .filter(|n| !n.is_empty());
        // In ID order with no filter, the page is read straight off the tree (from its end
        // when descending) and the scan stops after it: the newest 5,000 of a million guest
        // stays decode 5,000 records, not a million.
        if needle.is_none() && query.sort == SortBy::Id {
            let end = query.offset.saturating_add(query.limit);
            let scan: Box<dyn Iterator<Item = _>> = if query.descending {
                Box::new(self.store.scan_rev(query.kind))
            } else {
                Box::new(self.store.scan(query.kind))
            };
            let mut read = 0;
            let mut records = Vec::new();
            for record in scan.take(end) {
                let record = record?;
                read += 1;
                if read > query.offset {
                    records.push(record);
                }
            }
            // A scan that ended early counted the collection itself; otherwise the store's
            // counter says (kept by every write: sled's own `len()` walks every entry,
            // 1.0–1.4 s for 500,000 guest stays).
            let total = if read < end {
                read
            } else {
                self.store.count(query.kind).max(read)
            };
            return Ok(Page { total, records });
        }
        let mut records = Vec::new();
        for record in self.store.scan(query.kind) {
            let record = record?;
            let keep = needle.as_ref().is_none_or(|n| {
                fold(&record.title()).contains(n.as_str())
                    || fold(&record.id().to_string()).contains(n.as_str())
            });
            if keep {
                records.push(record);
            }
        }
        if query.sort == SortBy::Title {
            records.sort_by_cached_key(|r| (fold(&r.title()), r.id()));
        }
        if query.descending {
            records.reverse();
        }
        let total = records.len();
        let records = records
            .into_iter()
            .skip(query.offset)
            .take(query.limit)
            .collect();
        Ok(Page { total, records })
    }

    fn save(&self, mut record: Record) -> Result<RecordId> {
        self.refuse_dedicated(&record)?;
        if let Record::Assignment(a) = record {
            return self.save_assignment(a);
        }
        if record.id().num() == 0 {
            let kind = record.kind();
            record.set_id(RecordId::new(kind, self.store.reserve_ids(kind, 1)));
        }
        let old = self.store.get(record.id())?;
        self.fill_acting(&mut record, old.as_ref());
        refuse_hostile_text(&record)?;
        super::group_dates::refuse_bad_group_dates(&record)?;
        self.refuse_changing_closed(std::slice::from_ref(&record))?;
        self.refuse_rewrite(&record, false)?;
        let id = record.id();
        self.put_screened(vec![record], false)?;
        Ok(id)
    }

    fn change_wanted_status(
        &self,
        id: RecordId,
        status: WantedStatus,
        note: &str,
        by: Option<RecordId>,
        at: Instant,
    ) -> Result<Record> {
        let Some(Record::Wanted(mut notice)) = self.store.get(id)? else {
            return Err(ServiceError::NotFound(id));
        };
        if let Some((at_char, c)) = crate::domain::text::find_hostile_multiline(note) {
            return Err(ServiceError::Invalid(format!(
                "the note contains {} at character {} (remove it)",
                crate::domain::text::describe_char(c),
                at_char + 1
            )));
        }
        notice.status = status;
        // Who and when come from the session when one acts (see `acting.rs`).
        let by = by
            .map(|b| self.officer_or_acting(b))
            .or(self.acting_officer());
        let at = match self.acting_officer() {
            Some(_) => self.now(),
            None => at.trunc_subsecs(0),
        };
        notice.history.push(StatusChange {
            at,
            status,
            by,
            note: crate::domain::text::nfc(note),
        });
        let record = Record::Wanted(notice);
        self.put_screened(vec![record.clone()], false)?;
        Ok(record)
    }

    fn import(&self, kind: Kind, source: &ImportSource) -> Result<ImportReport> {
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
        let mut created = 0;
        let mut updated = 0;
        for record in records.iter().filter(|r| r.kind() == kind) {
            if self.store.contains(record.id())? {
                updated += 1
            } else {
                created += 1
            }
        }
        let hits = self.put_screened(records, true)?;
        Ok(ImportReport {
            kind: kind.name().to_string(),
            rows: row_count,
            created,
            updated,
            hits,
        })
    }

    fn export_page(
        &self,
        kind: Kind,
        format: Format,
        after: Option<RecordId>,
    ) -> Result<super::export::ExportPage> {
        self.export_page_after(kind, format, after)
    }

    fn wanted_with_status(&self, status: WantedStatus) -> Result<Vec<Record>> {
        let prefix = KeyBuf::new().text(status.code()).finish();
        self.records(self.store.index_prefix(Index::WantedByStatus, &prefix))
    }

    fn guests_checked_in(&self, from: Instant, to: Instant) -> Result<Vec<Record>> {
        let start = KeyBuf::new().instant(from).finish();
        let end = KeyBuf::new().instant(to).finish();
        self.records(self.store.index_range(Index::GuestsByCheckIn, &start, &end))
    }

    fn guests_of(&self, establishment: RecordId) -> Result<Vec<Record>> {
        let prefix = KeyBuf::new().id(establishment).finish();
        self.records(
            self.store
                .index_prefix(Index::GuestsByEstablishment, &prefix),
        )
    }

    fn roster_on(&self, date: NaiveDate) -> Result<Vec<Record>> {
        let prefix = KeyBuf::new().date(date).finish();
        self.records(self.store.index_prefix(Index::AssignmentsByDate, &prefix))
    }

    fn search(
        &self,
        query: &str,
        kind: Option<Kind>,
        limit: usize,
    ) -> Result<Vec<crate::search::Hit>> {
        self.search
            .search(query, kind, limit.min(super::MAX_SEARCH_HITS), false)
    }

    fn hit_counts(&self, since: Instant) -> Result<HitCounts> {
        let mut counts = HitCounts::new();
        for record in self.store.scan(Kind::Hit) {
            if let Record::Hit(h) = record?
                && h.found_at >= since
                && let Some(Record::GuestStay(g)) = self.store.get(h.guest_stay_id)?
            {
                *counts.entry(g.establishment_id).or_default() += 1;
            }
        }
        Ok(counts)
    }

    fn add_hit_step(&self, id: RecordId, step: HitStep) -> Result<Record> {
        let Some(Record::Hit(mut hit)) = self.store.get(id)? else {
            return Err(ServiceError::NotFound(id));
        };
        let mut step = step;
        step.officer_id = self.officer_or_acting(step.officer_id);
        if self.acting_officer().is_some() {
            step.at = self.now();
        }
        step.note = crate::domain::text::nfc(&step.note);
        step.confirmed_by = step.confirmed_by.map(|c| crate::domain::text::nfc(&c));
        hit.add_step(step).map_err(|refused| {
            ServiceError::Rule(crate::domain::rules::hit_step_refused(id, refused))
        })?;
        let record = Record::Hit(hit);
        refuse_hostile_text(&record)?;
        self.write_records(std::slice::from_ref(&record))?;
        Ok(record)
    }

    fn screen_file(&self, source: &ImportSource) -> Result<Vec<ScreenedRow>> {
        let rows = interchange::parse(Kind::GuestStay, &source.name, &source.bytes, source.format)
            .map_err(ServiceError::Import)?;
        let lists = Lists::new(Lists::active(&self.store)?);
        Ok(rows
            .iter()
            .enumerate()
            .map(|(n, row)| ScreenedRow {
                row: n + 1,
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

    fn check(&self) -> Result<crate::store::check::CheckReport> {
        self.check_store()
    }

    fn backup(&self, path: &std::path::Path) -> Result<crate::store::backup::BackupSummary> {
        self.backup_store(path)
    }

    fn warm_up(&self) {
        self.search.start_loading();
    }

    fn roster(&self, campaign: RecordId) -> Result<super::roster::Roster> {
        self.roster_of(campaign)
    }

    fn on_duty(&self, campaign: RecordId, at: Instant) -> Result<super::roster::OnDuty> {
        self.on_duty_at(campaign, at)
    }

    fn roster_problems(
        &self,
        campaign: RecordId,
    ) -> Result<Vec<crate::domain::roster::RosterProblem>> {
        self.problems_of(campaign)
    }

    fn edit_roster(&self, by: RecordId, edit: super::roster::RosterEdit) -> Result<Vec<RecordId>> {
        self.edit(by, edit)
    }

    fn handover_sheet(
        &self,
        shift: crate::domain::shifts::ShiftWindow,
        next: crate::domain::shifts::ShiftWindow,
        now: Instant,
        lang: crate::i18n::Lang,
    ) -> Result<crate::domain::handover::Sheet> {
        self.sheet(shift, next, now, lang)
    }

    fn sign_handover(
        &self,
        shift: crate::domain::shifts::ShiftWindow,
        officer: RecordId,
        text: &str,
        at: Instant,
    ) -> Result<Record> {
        self.sign(shift, officer, text, at)
    }

    fn acknowledge_handover(
        &self,
        id: RecordId,
        officer: RecordId,
        remarks: &str,
        at: Instant,
    ) -> Result<Record> {
        self.acknowledge(id, officer, remarks, at)
    }

    fn report(
        &self,
        period: crate::domain::report::Period,
        lang: crate::i18n::Lang,
    ) -> Result<crate::domain::report::Report> {
        self.period_report(period, lang)
    }

    fn save_tip(
        &self,
        tip: crate::domain::Tip,
        informant: Option<crate::domain::Informant>,
    ) -> Result<RecordId> {
        self.save_tip_now(tip, informant)
    }

    fn tip_step(&self, id: RecordId, step: super::TipStep) -> Result<Record> {
        self.tip_step_now(id, step)
    }

    fn informant(&self, tip: RecordId, reader: RecordId) -> Result<crate::domain::Informant> {
        self.informant_for(tip, reader)
    }

    fn tips_overdue(&self, at: Instant) -> Result<Vec<crate::domain::Tip>> {
        self.tips_overdue_at(at)
    }

    fn tips_received(&self, from: Instant, to: Instant) -> Result<Vec<crate::domain::Tip>> {
        self.tips_received_in(from, to)
    }

    fn late_declarations(
        &self,
        from: Instant,
        to: Instant,
        now: Instant,
    ) -> Result<Vec<LateNight>> {
        let stays = self.stays_checked_in(from, to)?;
        let places = self.establishments_of(&stays)?;
        let remote = self.remoteness(&places);
        let board = late_nights(
            &stays,
            |id| remote.get(&id).copied().unwrap_or(false),
            &self.rules,
            now,
        );
        Ok(board
            .into_iter()
            .map(|n| {
                let place = places.get(&n.establishment_id);
                LateNight {
                    establishment_id: n.establishment_id,
                    establishment: place.map_or_else(String::new, |e| e.name.clone()),
                    commune: place.map_or_else(String::new, |e| e.commune.clone()),
                    night: n.night,
                    guests: n.guests,
                    late: n.late.len(),
                    undeclared: n.undeclared.len(),
                    band: n.band(),
                    late_ids: n.late,
                    undeclared_ids: n.undeclared,
                }
            })
            .collect())
    }

    fn inspection_candidates(
        &self,
        now: Instant,
        hits: &HitCounts,
    ) -> Result<Vec<InspectionCandidate>> {
        let mut places = HashMap::new();
        for record in self.store.scan(Kind::Establishment) {
            if let Record::Establishment(e) = record? {
                places.insert(e.id, e);
            }
        }
        let remote = self.remoteness(&places);
        // The latest inspection of each place (by date, then by ID for two on one day).
        let mut last: HashMap<RecordId, crate::domain::Inspection> = HashMap::new();
        for record in self.store.scan(Kind::Inspection) {
            if let Record::Inspection(i) = record? {
                let newer = last
                    .get(&i.establishment_id)
                    .is_none_or(|seen| (i.date, i.id) > (seen.date, seen.id));
                if newer {
                    last.insert(i.establishment_id, i);
                }
            }
        }
        // Late and undeclared among the guests of the last 30 days.
        let mut declarations: HashMap<RecordId, (usize, usize)> = HashMap::new();
        for stay in self.stays_checked_in(now - chrono::Duration::days(30), now)? {
            let is_remote = remote.get(&stay.establishment_id).copied().unwrap_or(false);
            let counts = declarations.entry(stay.establishment_id).or_default();
            match self.rules.assess(&stay, is_remote, now).status {
                DeclarationStatus::Late => counts.0 += 1,
                DeclarationStatus::Undeclared => counts.1 += 1,
                DeclarationStatus::OnTime | DeclarationStatus::NotYetDue => {}
            }
        }
        let today = local_date(now);
        let mut out: Vec<InspectionCandidate> = places
            .into_values()
            .map(|e| {
                let (late, undeclared) = declarations.get(&e.id).copied().unwrap_or_default();
                let inspection = last.get(&e.id);
                let last_inspection = inspection.map(|i| LastInspection {
                    date: i.date,
                    failed_items: i
                        .items
                        .iter()
                        .filter(|c| c.result == CheckResult::Fail)
                        .count(),
                    violations: i.violations.len(),
                });
                let hits = hits.get(&e.id).copied().unwrap_or(0);
                let priority = score(
                    &PriorityInput {
                        risk: e.risk,
                        late,
                        undeclared,
                        last_inspection,
                        hits,
                    },
                    today,
                );
                InspectionCandidate {
                    establishment_id: e.id,
                    establishment: e.name,
                    commune: e.commune,
                    risk: e.risk,
                    score: priority.score,
                    last_inspection: last_inspection.map(|l| l.date),
                    late,
                    undeclared,
                    failed_items: last_inspection.map_or(0, |l| l.failed_items),
                    violations: last_inspection.map_or(0, |l| l.violations),
                    hits,
                    factors: priority.factors,
                }
            })
            .collect();
        // Highest score first; on a tie the longest uninspected (never first), then by ID.
        out.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then(a.last_inspection.cmp(&b.last_inspection))
                .then(a.establishment_id.cmp(&b.establishment_id))
        });
        Ok(out)
    }

    fn related(&self, id: RecordId) -> Result<Vec<Record>> {
        let Some(record) = self.store.get(id)? else {
            return Err(ServiceError::NotFound(id));
        };
        let mut ids: Vec<RecordId> = record
            .references()
            .into_iter()
            .map(|(_, target)| target)
            .collect();
        let mut extra: Vec<Record> = Vec::new();
        let scan = |kind: Kind, keep: &dyn Fn(&Record) -> bool| -> Result<Vec<Record>> {
            let mut out = Vec::new();
            for r in self.store.scan(kind) {
                let r = r?;
                if keep(&r) {
                    out.push(r);
                }
            }
            Ok(out)
        };
        match &record {
            Record::Wanted(w) => {
                let person = w.person_id;
                extra.extend(scan(
                    Kind::WatchEntry,
                    &|r| matches!(r, Record::WatchEntry(e) if e.person_id == person),
                )?);
                if let Some(Record::Person(p)) = self.store.get(person)?
                    && let Some(doc) = p.id_doc
                {
                    extra.extend(scan(Kind::GuestStay, &|r| matches!(r, Record::GuestStay(g) if g.guest.id_doc.as_ref() == Some(&doc)))?);
                }
            }
            Record::Person(p) => {
                let person = p.id;
                extra.extend(scan(
                    Kind::Wanted,
                    &|r| matches!(r, Record::Wanted(w) if w.person_id == person),
                )?);
                extra.extend(scan(
                    Kind::WatchEntry,
                    &|r| matches!(r, Record::WatchEntry(e) if e.person_id == person),
                )?);
                extra.extend(scan(Kind::Group, &|r| matches!(r, Record::Group(g) if g.members.iter().any(|m| m.person_id == person)))?);
            }
            Record::Group(g) => {
                let group = g.id;
                extra.extend(scan(
                    Kind::Wanted,
                    &|r| matches!(r, Record::Wanted(w) if w.group_id == Some(group)),
                )?);
            }
            Record::WatchEntry(e) => {
                let (entry, person) = (e.id, e.person_id);
                extra.extend(scan(
                    Kind::Sighting,
                    &|r| matches!(r, Record::Sighting(s) if s.entry_id == entry),
                )?);
                extra.extend(scan(
                    Kind::Wanted,
                    &|r| matches!(r, Record::Wanted(w) if w.person_id == person),
                )?);
            }
            Record::Watchlist(l) => {
                let list = l.id;
                extra.extend(scan(
                    Kind::WatchEntry,
                    &|r| matches!(r, Record::WatchEntry(e) if e.watchlist_id == list),
                )?);
            }
            Record::Establishment(e) => {
                let place = e.id;
                extra.extend(self.guests_of(place)?);
                extra.extend(scan(
                    Kind::Inspection,
                    &|r| matches!(r, Record::Inspection(i) if i.establishment_id == place),
                )?);
            }
            Record::Campaign(c) => {
                let campaign = c.id;
                extra.extend(scan(
                    Kind::Assignment,
                    &|r| matches!(r, Record::Assignment(a) if a.campaign_id == campaign),
                )?);
            }
            _ => {}
        }
        ids.dedup();
        let mut out = Vec::new();
        for target in ids {
            if let Some(r) = self.store.get(target)? {
                out.push(r);
            }
        }
        out.extend(extra);
        Ok(out)
    }

    fn whoami(&self) -> Result<crate::domain::access::SessionInfo> {
        Ok(self.local_session())
    }
    fn lock(&self) -> Result<()> {
        Err(ServiceError::Invalid(
            "no session to lock: this desk is not behind a session".into(),
        ))
    }
    fn unlock(&self, _pin: &str) -> Result<()> {
        Ok(())
    }
    fn restricted_note(
        &self,
        record: RecordId,
        reader: Option<RecordId>,
    ) -> Result<crate::domain::access::RestrictedNote> {
        self.note_for(record, reader)
    }
    fn set_restricted_note(
        &self,
        record: RecordId,
        note: crate::domain::access::RestrictedNote,
    ) -> Result<()> {
        self.put_note(record, note)
    }
    fn audit(
        &self,
        query: &crate::domain::audit::AuditQuery,
    ) -> Result<Vec<crate::domain::audit::AuditEntry>> {
        self.audit_of(query)
    }
    fn audit_verify(&self) -> Result<super::AuditCheck> {
        self.verify_audit()
    }
    fn accounts(&self) -> Result<Vec<crate::domain::access::AccountInfo>> {
        self.account_list()
    }
    fn set_account(&self, user: &str, officer: RecordId, pin: Option<String>) -> Result<()> {
        self.put_account(user, officer, pin.as_deref())
    }
}

/// Stored text is printed on terminals later: refuse it here rather than trust every caller.
pub(super) fn refuse_hostile_text(record: &Record) -> Result<()> {
    match record.first_hostile_char() {
        Some(c) => Err(ServiceError::Invalid(format!(
            "{}: the text contains {} (remove control characters and escape sequences)",
            record.id(),
            crate::domain::text::describe_char(c)
        ))),
        None => Ok(()),
    }
}
