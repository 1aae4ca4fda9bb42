//! [`LocalDesk`]: the service API served in-process over a store (the embedded, single-user
//! mode). Its jobs beyond delegation live beside it: import resolution ([`resolve`]), writes
//! that screen ([`screened`]), the lodging check lists ([`checklists`]) and related records
//! ([`related`]).

mod checklists;
mod file_check;
mod import;
mod listing;
mod related;
mod resolve;
mod roster;
mod screened;
mod writing;

use chrono::{NaiveDate, SubsecRound};

use crate::domain::declarations::DeclarationRules;
use crate::domain::{HitStep, Instant, Kind, Record, RecordId, StatusChange, WantedStatus};
use crate::store::{Backend, Lookup};

use super::live_search::LiveSearch;
use super::screening::ScreeningConfig;
use super::{
    DeskApi, Format, HitCounts, ImportReport, ImportSource, InspectionCandidate, LateNight,
    ListQuery, Page, Result, ScreenedRow, ServiceError, Stats,
};

#[derive(Clone)]
pub struct LocalDesk {
    store: std::sync::Arc<dyn Backend>,
    screening: ScreeningConfig,
    /// The search index, kept current with every write (see `live_search.rs`).
    search: std::sync::Arc<LiveSearch>,
    /// The lodging declaration deadlines (configuration: `[lodging]` in the config file).
    rules: DeclarationRules,
    /// Shift times and the minimum rest (see `service/roster.rs`).
    roster: crate::domain::roster::RosterRules,
    /// The tip verification deadline (configuration: `[tips]`).
    tip_rules: crate::domain::TipRules,
    report_baseline: crate::domain::report::Baseline,
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
    /// Rows of an import written together (see `import.rs`).
    import_part_rows: usize,
}

impl LocalDesk {
    /// The desk over `backend` (the sled store, or any engine that passes the contract).
    pub fn new(backend: impl Backend + 'static, clock: crate::domain::Clock) -> LocalDesk {
        LocalDesk::over(std::sync::Arc::new(backend), clock)
    }

    pub fn over(store: std::sync::Arc<dyn Backend>, clock: crate::domain::Clock) -> LocalDesk {
        LocalDesk {
            clock,
            search: LiveSearch::new(store.clone()),
            store,
            screening: ScreeningConfig::default(),
            rules: DeclarationRules::default(),
            roster: Default::default(),
            tip_rules: crate::domain::TipRules::default(),
            report_baseline: crate::domain::report::Baseline::default(),
            actor: None,
            guarded: Default::default(),
            roster_gate: Default::default(),
            import_part_rows: import::PART_ROWS,
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

    pub(super) fn guarded_dirs(&self) -> Vec<std::path::PathBuf> {
        // The data directory: the store's trees, its seal, its holder note, the search index.
        let data_dir = self.store.data_dir();
        data_dir
            .into_iter()
            .chain(self.guarded.iter().cloned())
            .collect()
    }

    /// The same desk acting for `actor`: its writes carry `actor`'s audit entry.
    pub(super) fn acting(&self, actor: std::sync::Arc<super::session::Actor>) -> LocalDesk {
        LocalDesk {
            actor: Some(actor),
            ..self.clone()
        }
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

    /// The plan's "before" the report compares offences with (`[report]` in the config).
    pub fn with_report_baseline(
        self,
        report_baseline: crate::domain::report::Baseline,
    ) -> LocalDesk {
        LocalDesk {
            report_baseline,
            ..self
        }
    }

    pub fn report_baseline(&self) -> &crate::domain::report::Baseline {
        &self.report_baseline
    }

    /// After a write outside `put_screened` (a roster edit, a tip): the search index
    /// follows.
    pub(super) fn after_write(&self) {
        self.follow_in_search();
    }

    /// After a write made elsewhere (another daemon on the same database): the search
    /// index follows.
    pub fn follow_store(&self) {
        self.follow_in_search();
    }

    /// Screening thresholds, deadlines and window from the configuration.
    pub fn with_screening(mut self, config: ScreeningConfig) -> LocalDesk {
        self.screening = config;
        self
    }

    /// The same desk judging declarations by `rules` instead of the defaults.
    pub fn with_declaration_rules(self, rules: DeclarationRules) -> LocalDesk {
        LocalDesk { rules, ..self }
    }

    pub fn declaration_rules(&self) -> &DeclarationRules {
        &self.rules
    }

    /// The storage under this desk.
    pub fn store(&self) -> &dyn Backend {
        &*self.store
    }

    /// Loads (or builds and saves) the search index now, waiting for it: after a bulk load,
    /// so that the first console on the new store finds it ready.
    pub fn prepare_search(&self) -> Result<()> {
        self.search
            .search("", None, 0, true, crate::i18n::Lang::Vi)
            .map(drop)
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

    /// After a write: the search index takes in what changed. The write is saved already;
    /// an index that cannot follow is rebuilt on the next start, so this never fails it.
    fn follow_in_search(&self) {
        drop(self.search.after_write());
    }
}

impl DeskApi for LocalDesk {
    fn stats(&self) -> Result<Stats> {
        let counts = Kind::ALL
            .iter()
            .map(|k| {
                let count = usize::try_from(self.store.count(*k)?).unwrap_or(usize::MAX);
                Ok((k.name().to_string(), count))
            })
            .collect::<Result<_>>()?;
        Ok(Stats { counts })
    }

    fn get(&self, id: RecordId) -> Result<Option<Record>> {
        Ok(self.store.get(id)?)
    }

    fn get_many(&self, ids: Vec<RecordId>) -> Result<Vec<Record>> {
        self.records_named(&ids)
    }

    fn list(&self, query: &ListQuery) -> Result<Page> {
        self.list_page(query)
    }

    fn save(&self, mut record: Record) -> Result<RecordId> {
        self.refuse_dedicated(&record)?;
        if let Record::Assignment(a) = record {
            return self.save_assignment(a);
        }
        if record.id().num() == 0 {
            let kind = record.kind();
            record.set_id(RecordId::new(kind, self.store.reserve_ids(kind, 1)?));
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
            let c = crate::domain::text::describe_char(c);
            return Err(ServiceError::invalid(
                format!(
                    "ghi chú chứa {c} ở ký tự thứ {} (xoá ký tự đó)",
                    at_char + 1
                ),
                format!(
                    "the note contains {c} at character {} (remove it)",
                    at_char + 1
                ),
            ));
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
        self.import_file(kind, source)
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
        Ok(self.store.lookup(&Lookup::WantedWithStatus(status))?)
    }

    fn guests_checked_in(&self, from: Instant, to: Instant) -> Result<Vec<Record>> {
        Ok(self.store.lookup(&Lookup::GuestsCheckedIn { from, to })?)
    }

    fn guests_of(&self, establishment: RecordId) -> Result<Vec<Record>> {
        Ok(self.store.lookup(&Lookup::GuestsOf(establishment))?)
    }

    fn roster_on(&self, date: NaiveDate) -> Result<Vec<Record>> {
        Ok(self.store.lookup(&Lookup::AssignmentsOn(date))?)
    }

    fn search(
        &self,
        query: &str,
        kind: Option<Kind>,
        limit: usize,
        lang: crate::i18n::Lang,
    ) -> Result<Vec<crate::search::Hit>> {
        self.search
            .search(query, kind, limit.min(super::MAX_SEARCH_HITS), false, lang)
    }

    fn hit_counts(&self, since: Instant) -> Result<HitCounts> {
        let mut counts = HitCounts::new();
        for record in self.store.lookup(&Lookup::HitsFoundSince(since))? {
            if let Record::Hit(h) = record
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
        self.screen_source(source)
    }

    fn check(&self) -> Result<crate::store::check::CheckReport> {
        self.check_store()
    }

    fn backup(
        &self,
        path: &std::path::Path,
        replace: bool,
    ) -> Result<crate::store::backup::BackupSummary> {
        self.backup_store(path, replace)
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

    fn report_records(
        &self,
        period: crate::domain::report::Period,
        key: &str,
    ) -> Result<Vec<RecordId>> {
        self.period_records(period, key)
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

    fn shift_glance(
        &self,
        shift: crate::domain::shifts::ShiftWindow,
        now: Instant,
        beside: bool,
    ) -> Result<crate::domain::glance::Glance> {
        self.glance_at(shift, now, beside)
    }

    fn duty_status(&self, at: Instant) -> Result<crate::domain::duty::DutyStatus> {
        self.duty_status_at(at)
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
        self.late_declarations_between(from, to, now)
    }

    fn inspection_candidates(
        &self,
        now: Instant,
        hits: &HitCounts,
    ) -> Result<Vec<InspectionCandidate>> {
        self.inspection_candidates_at(now, hits)
    }

    fn related(&self, id: RecordId) -> Result<Vec<Record>> {
        self.related_records(id)
    }

    fn whoami(&self) -> Result<crate::domain::access::SessionInfo> {
        Ok(self.local_session())
    }
    fn lock(&self) -> Result<()> {
        Err(ServiceError::invalid(
            "không có phiên để khoá: bàn này không chạy qua phiên đăng nhập",
            "no session to lock: this desk is not behind a session",
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
        Some(c) => {
            let (id, c) = (record.id(), crate::domain::text::describe_char(c));
            Err(ServiceError::invalid(
                format!("{id}: văn bản chứa {c} (xoá ký tự điều khiển và chuỗi thoát)"),
                format!(
                    "{id}: the text contains {c} (remove control characters and escape sequences)"
                ),
            ))
        }
        None => Ok(()),
    }
}
