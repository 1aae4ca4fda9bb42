//! One officer's session: the service API as that officer may use it. [`SessionDesk`]
//! wraps the shared [`LocalDesk`] and, for every request, refuses it while the session is
//! locked, checks the officer's role ([`crate::domain::access::allows`]), runs it acting as
//! the officer (so a change carries its audit entry in its own transaction), and audits
//! what must be audited: log-on and log-off, the opening of a record, every search with its
//! text, every change, every refusal. Arguments that name "who" (`by`, `officer`, `reader`)
//! are replaced by the session's own officer: a client cannot act as someone else.
//!
//! The daemon opens one session per connection ([`SessionDesk::admit`], identity from the
//! kernel); the embedded console opens an owner session ([`SessionDesk::owner`]): whoever
//! can open the store's files may do everything, and is audited all the same.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{Duration, NaiveDate};

use crate::domain::access::{self, AccountInfo, Permission, RestrictedNote, SessionInfo, to_save};
use crate::domain::audit::{AuditDraft, AuditEntry, AuditQuery, Outcome};
use crate::domain::{Instant, Kind, OfficerRole, Record, RecordId, WantedStatus};

use super::{
    AuditCheck, DeskApi, Format, HitCounts, ImportReport, ImportSource, InspectionCandidate,
    LateNight, ListQuery, LocalDesk, Page, Result, ScreenedRow, ServiceError, Stats, TipStep,
    roster,
};

/// The clock a session reads (the daemon's; a fake one in tests).
pub use crate::domain::Clock;

/// The name of the OS user running this process (for the owner's session; the daemon
/// learns its clients' users from the kernel instead).
pub fn current_os_user() -> String {
    let uid = nix::unistd::geteuid().as_raw();
    account_name(uid, user_name(uid))
}

/// The name of OS user `uid` in the user database, if it has one.
pub fn user_name(uid: u32) -> Option<String> {
    nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
        .ok()
        .flatten()
        .map(|u| u.name)
}

/// The account an OS user is looked up under: its name, or `uid<N>` when it has none.
pub fn account_name(uid: u32, name: Option<String>) -> String {
    name.unwrap_or_else(|| format!("uid{uid}"))
}

/// A session left without any request this long locks itself, whatever the console does
/// (the console locks after its own, shorter, idle time: 15 minutes by default).
pub fn max_idle() -> Duration {
    Duration::minutes(30)
}

/// Who acts in one request, and what the request is: the audit entry of a change.
pub struct Actor {
    user: String,
    officer: Option<RecordId>,
    action: &'static str,
    /// The record the request names, for writes that write no record (an account).
    record: Option<RecordId>,
    detail: String,
    at: Instant,
    written: AtomicBool,
}

impl Actor {
    pub(super) fn draft(&self, record: Option<RecordId>) -> AuditDraft {
        AuditDraft {
            at: self.at,
            user: self.user.clone(),
            officer: self.officer,
            action: self.action.into(),
            record: record.or(self.record),
            detail: self.detail.clone(),
            outcome: Outcome::Ok,
        }
    }

    /// The officer acting, if the session has one.
    pub(super) fn officer(&self) -> Option<RecordId> {
        self.officer
    }

    /// When the request was made, in whole seconds (what records keep).
    pub(super) fn at(&self) -> Instant {
        chrono::SubsecRound::trunc_subsecs(self.at, 0)
    }

    pub(super) fn mark_written(&self) {
        self.written.store(true, Ordering::SeqCst);
    }
}

/// One request as the session sees it.
struct Call {
    action: &'static str,
    permission: Option<Permission>,
    record: Option<RecordId>,
    detail: String,
    /// Audited even when it changes nothing (openings, searches, exports …).
    audit_read: bool,
}

impl Call {
    fn new(action: &'static str, permission: Permission) -> Call {
        Call {
            action,
            permission: Some(permission),
            record: None,
            detail: String::new(),
            audit_read: false,
        }
    }
    /// The record acted on (a new record, number 0, has no ID yet: none).
    fn record(mut self, id: RecordId) -> Call {
        self.record = (id.num() != 0).then_some(id);
        self
    }
    fn detail(mut self, detail: impl Into<String>) -> Call {
        self.detail = detail.into();
        self
    }
    /// Audited whatever it does.
    fn audited(mut self) -> Call {
        self.audit_read = true;
        self
    }
}

struct SessionState {
    locked: bool,
    last_request: Instant,
}

pub struct SessionDesk {
    desk: LocalDesk,
    user: String,
    officer: Option<RecordId>,
    /// None: the store's owner (embedded): every permission.
    role: Option<OfficerRole>,
    state: Mutex<SessionState>,
    clock: Clock,
}

impl SessionDesk {
    /// The session of OS user `user` connecting to the daemon: refused (and audited) when
    /// no account maps the user to an officer. The log-on is audited.
    pub fn admit(desk: &LocalDesk, user: &str, clock: Clock) -> Result<SessionDesk> {
        let now = clock.now();
        let refuse = |why: String| -> Result<SessionDesk> {
            desk.store().append_audit(&AuditDraft {
                at: now,
                user: user.into(),
                officer: None,
                action: "logon".into(),
                record: None,
                detail: why.clone(),
                outcome: Outcome::Refused,
            })?;
            Err(ServiceError::UnknownUser(why))
        };
        let Some(account) = desk.store().account(user)? else {
            return refuse(format!(
                "the user {user:?} has no trucban account: ask an administrator"
            ));
        };
        let role = match desk.store().get(account.officer)? {
            Some(Record::Officer(o)) => o.role,
            _ => {
                return refuse(format!(
                    "the account {user:?} names {}, who is not an officer in the store",
                    account.officer
                ));
            }
        };
        let session = SessionDesk {
            desk: desk.clone(),
            user: user.into(),
            officer: Some(account.officer),
            role: Some(role),
            state: Mutex::new(SessionState {
                locked: false,
                last_request: now,
            }),
            clock,
        };
        session.audit_only("logon", None, String::new(), Outcome::Ok)?;
        Ok(session)
    }

    /// The session of the store's owner working on it directly (no daemon). `officer` is
    /// the configured officer, or the one the user's account names.
    pub fn owner(
        desk: &LocalDesk,
        user: &str,
        officer: Option<RecordId>,
        clock: Clock,
    ) -> Result<SessionDesk> {
        let account_officer = desk.store().account(user)?.map(|a| a.officer);
        let now = clock.now();
        let session = SessionDesk {
            desk: desk.clone(),
            user: user.into(),
            officer: officer.or(account_officer),
            role: None,
            state: Mutex::new(SessionState {
                locked: false,
                last_request: now,
            }),
            clock,
        };
        session.audit_only("logon", None, "embedded".into(), Outcome::Ok)?;
        Ok(session)
    }

    fn audit_only(
        &self,
        action: &str,
        record: Option<RecordId>,
        detail: String,
        outcome: Outcome,
    ) -> Result<AuditEntry> {
        Ok(self.desk.store().append_audit(&AuditDraft {
            at: self.clock.now(),
            user: self.user.clone(),
            officer: self.officer,
            action: action.into(),
            record,
            detail,
            outcome,
        })?)
    }

    /// Locked by request, or by `max_idle` without any request. A request that finds the
    /// session unlocked counts as activity.
    fn check_unlocked(&self, now: Instant) -> bool {
        let Ok(mut state) = self.state.lock() else {
            return false;
        };
        if now - state.last_request > max_idle() && self.has_pin() {
            state.locked = true;
        }
        if state.locked {
            return false;
        }
        state.last_request = now;
        true
    }

    fn has_pin(&self) -> bool {
        self.desk
            .store()
            .account(&self.user)
            .ok()
            .flatten()
            .is_some_and(|a| !a.pin_hash.is_empty())
    }

    fn allowed(&self, permission: Permission) -> bool {
        self.role
            .is_none_or(|role| access::allows(role, permission))
    }

    /// A "who" argument: the session's officer when the session has one (an empty one,
    /// number 0, is filled in); another officer is refused — a client cannot read, sign or
    /// act as someone else. Without an officer (the store's owner), as given.
    fn as_me(
        &self,
        given: Option<RecordId>,
        record: RecordId,
        field: &str,
    ) -> Result<Option<RecordId>> {
        let Some(me) = self.officer else {
            return Ok(given);
        };
        match given {
            Some(other) if other != me && other.num() != 0 => Err(ServiceError::Rule(
                crate::domain::rules::Refusal::NotTheActingOfficer {
                    id: record,
                    field: field.into(),
                    given: other,
                    acting: me,
                },
            )),
            _ => Ok(Some(me)),
        }
    }

    fn refuse(&self, call: &Call, error: ServiceError) -> ServiceError {
        // A refusal that cannot be audited is still a refusal; the store error is worse news
        // and is what the caller gets.
        match self.audit_only(
            call.action,
            call.record,
            join(&call.detail, &error.to_string()),
            Outcome::Refused,
        ) {
            Ok(_) => error,
            Err(store) => store,
        }
    }

    /// The one path of every request (see the module doc).
    fn run<T>(&self, call: Call, f: impl FnOnce(&LocalDesk) -> Result<T>) -> Result<T> {
        let now = self.clock.now();
        if !self.check_unlocked(now) {
            return Err(self.refuse(&call, ServiceError::Locked));
        }
        if let Some(p) = call.permission
            && !self.allowed(p)
        {
            let role = self.role.map_or("owner", |r| r.code());
            return Err(self.refuse(
                &call,
                ServiceError::Forbidden(format!("{} ({role}) may not {}", self.user, call.action)),
            ));
        }
        let actor = Arc::new(Actor {
            user: self.user.clone(),
            officer: self.officer,
            action: call.action,
            record: call.record,
            detail: call.detail.clone(),
            at: now,
            written: AtomicBool::new(false),
        });
        let desk = self.desk.acting(actor.clone());
        let result = f(&desk);
        let written = actor.written.load(Ordering::SeqCst);
        let is_change = call.permission.is_some_and(|p| {
            !matches!(
                p,
                Permission::Read | Permission::ReadAudit | Permission::Export
            )
        });
        match &result {
            Ok(_) if written || !(call.audit_read || is_change) => {}
            Ok(_) => {
                self.audit_only(call.action, call.record, call.detail, Outcome::Ok)?;
            }
            Err(e) => {
                let outcome = match e {
                    ServiceError::Refused(_) | ServiceError::Forbidden(_) => Outcome::Refused,
                    _ => Outcome::Failed,
                };
                if call.audit_read || is_change || outcome == Outcome::Refused {
                    self.audit_only(
                        call.action,
                        call.record,
                        join(&call.detail, &e.to_string()),
                        outcome,
                    )?;
                }
            }
        }
        result
    }
}

fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.into(),
        (_, true) => a.into(),
        _ => format!("{a}: {b}"),
    }
}

impl Drop for SessionDesk {
    fn drop(&mut self) {
        // Nowhere to report a failure at log-off; the log-on and every request are audited.
        let _ = self.audit_only("logoff", None, String::new(), Outcome::Ok);
    }
}

use Permission as P;

impl DeskApi for SessionDesk {
    fn stats(&self) -> Result<Stats> {
        self.run(Call::new("stats", P::Read), |d| d.stats())
    }
    fn get(&self, id: RecordId) -> Result<Option<Record>> {
        self.run(Call::new("get", P::Read).record(id).audited(), |d| {
            d.get(id)
        })
    }
    fn list(&self, query: &ListQuery) -> Result<Page> {
        self.run(Call::new("list", P::Read), |d| d.list(query))
    }
    fn save(&self, record: Record) -> Result<RecordId> {
        let id = record.id();
        let call = Call::new("save", to_save(record.kind())).record(id);
        self.run(call, |d| d.save(record))
    }
    fn change_wanted_status(
        &self,
        id: RecordId,
        status: WantedStatus,
        note: &str,
        by: Option<RecordId>,
        at: Instant,
    ) -> Result<Record> {
        let call = Call::new("change_wanted_status", P::EditRecords)
            .record(id)
            .detail(status.code());
        self.run(call, |d| d.change_wanted_status(id, status, note, by, at))
    }
    fn import(&self, kind: Kind, source: &ImportSource) -> Result<ImportReport> {
        let call =
            Call::new("import", P::Import).detail(format!("{} {}", kind.name(), source.name));
        self.run(call, |d| d.import(kind, source))
    }
    fn export(&self, kind: Kind, format: Format) -> Result<Vec<u8>> {
        let call = Call::new("export", P::Export).detail(kind.name()).audited();
        self.run(call, |d| d.export(kind, format))
    }
    fn wanted_with_status(&self, status: WantedStatus) -> Result<Vec<Record>> {
        self.run(Call::new("wanted_with_status", P::Read), |d| {
            d.wanted_with_status(status)
        })
    }
    fn guests_checked_in(&self, from: Instant, to: Instant) -> Result<Vec<Record>> {
        self.run(Call::new("guests_checked_in", P::Read), |d| {
            d.guests_checked_in(from, to)
        })
    }
    fn guests_of(&self, establishment: RecordId) -> Result<Vec<Record>> {
        self.run(Call::new("guests_of", P::Read).record(establishment), |d| {
            d.guests_of(establishment)
        })
    }
    fn roster_on(&self, date: NaiveDate) -> Result<Vec<Record>> {
        self.run(Call::new("roster_on", P::Read), |d| d.roster_on(date))
    }
    fn related(&self, id: RecordId) -> Result<Vec<Record>> {
        self.run(Call::new("related", P::Read).record(id), |d| d.related(id))
    }
    fn late_declarations(
        &self,
        from: Instant,
        to: Instant,
        now: Instant,
    ) -> Result<Vec<LateNight>> {
        self.run(Call::new("late_declarations", P::Read), |d| {
            d.late_declarations(from, to, now)
        })
    }
    fn inspection_candidates(
        &self,
        now: Instant,
        hits: &HitCounts,
    ) -> Result<Vec<InspectionCandidate>> {
        self.run(Call::new("inspection_candidates", P::Read), |d| {
            d.inspection_candidates(now, hits)
        })
    }
    fn hit_counts(&self, since: Instant) -> Result<HitCounts> {
        self.run(Call::new("hit_counts", P::Read), |d| d.hit_counts(since))
    }
    fn search(
        &self,
        query: &str,
        kind: Option<Kind>,
        limit: usize,
    ) -> Result<Vec<crate::search::Hit>> {
        let call = Call::new("search", P::Read).detail(query).audited();
        self.run(call, |d| d.search(query, kind, limit))
    }
    fn add_hit_step(&self, id: RecordId, step: crate::domain::HitStep) -> Result<Record> {
        let call = Call::new("add_hit_step", P::Hits)
            .record(id)
            .detail(step.outcome.code());
        self.run(call, |d| d.add_hit_step(id, step))
    }
    fn screen_file(&self, source: &ImportSource) -> Result<Vec<ScreenedRow>> {
        let call = Call::new("screen_file", P::Read)
            .detail(source.name.clone())
            .audited();
        self.run(call, |d| d.screen_file(source))
    }
    fn roster(&self, campaign: RecordId) -> Result<roster::Roster> {
        self.run(Call::new("roster", P::Read).record(campaign), |d| {
            d.roster(campaign)
        })
    }
    fn on_duty(&self, campaign: RecordId, at: Instant) -> Result<roster::OnDuty> {
        self.run(Call::new("on_duty", P::Read).record(campaign), |d| {
            d.on_duty(campaign, at)
        })
    }
    fn roster_problems(
        &self,
        campaign: RecordId,
    ) -> Result<Vec<crate::domain::roster::RosterProblem>> {
        self.run(
            Call::new("roster_problems", P::Read).record(campaign),
            |d| d.roster_problems(campaign),
        )
    }
    fn edit_roster(&self, by: RecordId, edit: roster::RosterEdit) -> Result<Vec<RecordId>> {
        let call = Call::new("edit_roster", P::EditRoster).detail(edit.describe());
        self.run(call, |d| d.edit_roster(by, edit))
    }
    fn handover_sheet(
        &self,
        shift: crate::domain::shifts::ShiftWindow,
        next: crate::domain::shifts::ShiftWindow,
        now: Instant,
        lang: crate::i18n::Lang,
    ) -> Result<crate::domain::handover::Sheet> {
        self.run(Call::new("handover_sheet", P::Read), |d| {
            d.handover_sheet(shift, next, now, lang)
        })
    }
    fn sign_handover(
        &self,
        shift: crate::domain::shifts::ShiftWindow,
        officer: RecordId,
        text: &str,
        at: Instant,
    ) -> Result<Record> {
        self.run(Call::new("sign_handover", P::Handover), |d| {
            d.sign_handover(shift, officer, text, at)
        })
    }
    fn acknowledge_handover(
        &self,
        id: RecordId,
        officer: RecordId,
        remarks: &str,
        at: Instant,
    ) -> Result<Record> {
        let call = Call::new("acknowledge_handover", P::Handover).record(id);
        self.run(call, |d| d.acknowledge_handover(id, officer, remarks, at))
    }
    fn report(
        &self,
        period: crate::domain::report::Period,
        lang: crate::i18n::Lang,
    ) -> Result<crate::domain::report::Report> {
        let call = Call::new("report", P::Read)
            .detail(format!("{}..{}", period.from, period.to))
            .audited();
        self.run(call, |d| d.report(period, lang))
    }
    fn save_tip(
        &self,
        tip: crate::domain::Tip,
        informant: Option<crate::domain::Informant>,
    ) -> Result<RecordId> {
        let id = tip.id;
        self.run(Call::new("save_tip", P::Tips).record(id), |d| {
            d.save_tip(tip, informant)
        })
    }
    fn tip_step(&self, id: RecordId, step: TipStep) -> Result<Record> {
        self.run(Call::new("tip_step", P::Tips).record(id), |d| {
            d.tip_step(id, step)
        })
    }
    fn informant(&self, tip: RecordId, reader: RecordId) -> Result<crate::domain::Informant> {
        let call = Call::new("informant", P::Read).record(tip).audited();
        let reader = match self.as_me(Some(reader), tip, "reader") {
            Ok(me) => me.unwrap_or(reader),
            Err(e) => return Err(self.refuse(&call, e)),
        };
        self.run(call, |d| d.informant(tip, reader))
    }
    fn tips_overdue(&self, at: Instant) -> Result<Vec<crate::domain::Tip>> {
        self.run(Call::new("tips_overdue", P::Read), |d| d.tips_overdue(at))
    }
    fn tips_received(&self, from: Instant, to: Instant) -> Result<Vec<crate::domain::Tip>> {
        self.run(Call::new("tips_received", P::Read), |d| {
            d.tips_received(from, to)
        })
    }
    fn warm_up(&self) {
        self.desk.warm_up();
    }

    fn whoami(&self) -> Result<SessionInfo> {
        let locked = self.state.lock().map(|s| s.locked).unwrap_or(true);
        Ok(SessionInfo {
            user: self.user.clone(),
            officer: self.officer,
            role: self.role,
            locked,
            has_pin: self.has_pin(),
        })
    }
    fn lock(&self) -> Result<()> {
        if !self.has_pin() {
            return Err(ServiceError::Invalid(format!(
                "the account of {} has no PIN: the session cannot be locked",
                self.user
            )));
        }
        if let Ok(mut state) = self.state.lock() {
            state.locked = true;
        }
        self.audit_only("lock", None, String::new(), Outcome::Ok)?;
        Ok(())
    }
    fn unlock(&self, pin: &str) -> Result<()> {
        let now = self.clock.now();
        let Some(account) = self.desk.store().account(&self.user)? else {
            return Err(ServiceError::Unlock(access::UnlockRefused::NoPin));
        };
        let (next, result) =
            access::attempt(&account, now, || super::pins::check(&account.pin_hash, pin));
        let outcome = if result.is_ok() {
            Outcome::Ok
        } else {
            Outcome::Refused
        };
        let detail = result
            .as_ref()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        let draft = AuditDraft {
            at: now,
            user: self.user.clone(),
            officer: self.officer,
            action: "unlock".into(),
            record: None,
            detail,
            outcome,
        };
        // The new count of wrong PINs and its audit entry in one durable write: a client
        // cannot escape the lockout by dropping the connection.
        self.desk.store().write(&crate::store::Write {
            account: Some(&next),
            audit: Some(&draft),
            ..Default::default()
        })?;
        result.map_err(ServiceError::Unlock)?;
        if let Ok(mut state) = self.state.lock() {
            state.locked = false;
            state.last_request = now;
        }
        Ok(())
    }
    fn restricted_note(
        &self,
        record: RecordId,
        reader: Option<RecordId>,
    ) -> Result<RestrictedNote> {
        let call = Call::new("restricted_note", P::Read)
            .record(record)
            .audited();
        let reader = match self.as_me(reader, record, "reader") {
            Ok(reader) => reader,
            Err(e) => return Err(self.refuse(&call, e)),
        };
        self.run(call, |d| d.restricted_note(record, reader))
    }
    fn set_restricted_note(&self, record: RecordId, note: RestrictedNote) -> Result<()> {
        let mut note = note;
        let call = Call::new("set_restricted_note", to_save(record.kind())).record(record);
        note.by = match self.as_me(note.by, record, "by") {
            Ok(by) => by,
            Err(e) => return Err(self.refuse(&call, e)),
        };
        self.run(call, |d| d.set_restricted_note(record, note))
    }
    fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        self.run(Call::new("audit", P::ReadAudit).audited(), |d| {
            d.audit(query)
        })
    }
    // A backup holds everything, restricted values and accounts included: administrators.
    fn check(&self) -> Result<crate::store::check::CheckReport> {
        self.run(Call::new("check", P::Accounts).audited(), |d| d.check())
    }
    fn backup(&self, path: &std::path::Path) -> Result<crate::store::backup::BackupSummary> {
        let call = Call::new("backup", P::Accounts)
            .detail(path.display().to_string())
            .audited();
        self.run(call, |d| d.backup(path))
    }
    fn audit_verify(&self) -> Result<AuditCheck> {
        self.run(Call::new("audit_verify", P::ReadAudit).audited(), |d| {
            d.audit_verify()
        })
    }
    fn accounts(&self) -> Result<Vec<AccountInfo>> {
        self.run(Call::new("accounts", P::Accounts).audited(), |d| {
            d.accounts()
        })
    }
    fn set_account(&self, user: &str, officer: RecordId, pin: Option<String>) -> Result<()> {
        let call = Call::new("set_account", P::Accounts)
            .record(officer)
            .detail(user);
        self.run(call, |d| d.set_account(user, officer, pin))
    }
}

/// The daemon's door: the peer's OS user (from the kernel) must have an account; the
/// session then has the account's officer and that officer's role. Refusals are audited.
pub struct AccountGate {
    clock: Clock,
}

impl AccountGate {
    pub fn new(clock: Clock) -> AccountGate {
        AccountGate { clock }
    }
}

impl super::daemon::Gate for AccountGate {
    fn admit(
        &self,
        peer: &super::daemon::Peer,
        desk: &LocalDesk,
    ) -> Result<super::daemon::Session> {
        let user = account_name(peer.uid, peer.user.clone());
        Ok(Box::new(SessionDesk::admit(
            desk,
            &user,
            self.clock.clone(),
        )?))
    }
}
