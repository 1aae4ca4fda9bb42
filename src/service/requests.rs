//! The one list of requests: every [`super::DeskApi`] method, who may call it, what the
//! service fills in from the session, and the rule it runs. It generates the wire protocol
//! (`wire.rs`: the request enum and the daemon's dispatch), the client
//! ([`super::RemoteDesk`]), the officer's session ([`super::session::SessionDesk`]: role,
//! lock and audit of every request) and the README's table of who may call what
//! ([`markdown`]). A request cannot be added without saying who may call it: the
//! generators do not compile an entry without `allow`, `fills` and `rule`.
//!
//! An entry: `Variant fn name(arg: Type [Owned], …) -> Result [as Wire] { … }` — `[Owned]`
//! is the type the request holds for an argument passed by reference, `as Wire` a type the
//! result crosses as (bytes as base64) — and in braces:
//!
//! - `allow`: a [`Permission`] (each role's is [`access::allows`]), `kind(expr)` (the
//!   permission to save records of that kind: [`access::to_save`]), or `session` (the
//!   session's own lock and identity: any officer, even while locked);
//! - `audited`: audited even when it changes nothing (openings of records, searches,
//!   exports); every change and every refusal is audited anyway;
//! - `record`, `detail`: what the audit entry names;
//! - `fills`: the fields the service fills in from the session, never from the client;
//! - `rule`: the domain rule the request runs (the record's own rules,
//!   [`crate::domain::rules`], run on every write whatever the request).
//!
//! `warm_up` and `pushed` stay local: the daemon warms its own desk.

use crate::domain::OfficerRole;
use crate::domain::access::{self, Permission};

/// Who may call a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allow {
    Permission(Permission),
    /// The permission to save records of the kind named (a record's kind, a note's record).
    SaveOfKind,
    /// The session's own identity and lock: any officer, locked or not.
    Session,
}

/// One row of the list, for the README and the tests.
#[derive(Clone, Copy, Debug)]
pub struct RequestSpec {
    pub name: &'static str,
    pub allow: Allow,
    pub audited: bool,
    pub fills: &'static str,
    pub rule: &'static str,
}

impl RequestSpec {
    /// Whether `role` may call it (for [`Allow::SaveOfKind`]: for some kind).
    pub fn allows(&self, role: OfficerRole) -> bool {
        match self.allow {
            Allow::Permission(p) => access::allows(role, p),
            Allow::SaveOfKind => crate::domain::Kind::ALL
                .iter()
                .any(|k| access::allows(role, access::to_save(*k))),
            Allow::Session => true,
        }
    }
}

#[macro_export]
#[doc(hidden)]
macro_rules! for_each_desk_method {
    ($then:ident) => {
        $then! {
            Stats fn stats() -> $crate::service::Stats {
                allow: P::Read, audited: false, fills: "", rule: ""
            }
            Get fn get(id: $crate::domain::RecordId) -> Option<$crate::domain::Record> {
                allow: P::Read, audited: true, record: id, fills: "", rule: ""
            }
            GetMany fn get_many(ids: Vec<$crate::domain::RecordId>) -> Vec<$crate::domain::Record> {
                allow: P::Read, audited: true, detail: format!("{} records named in a list", ids.len()), fills: "",
                rule: "at most 5,000 at once; what a get of each gives, in one request and one audit entry"
            }
            List fn list(query: &$crate::service::ListQuery [$crate::service::ListQuery]) -> $crate::service::Page {
                allow: P::Read, audited: false, fills: "", rule: ""
            }
            Save fn save(record: $crate::domain::Record) -> $crate::domain::RecordId {
                allow: kind(record.kind()), audited: false, record: record.id(),
                fills: "a new log entry's author and time; a new sighting's or inspection's officer; a new watch entry's adder and time; the officer and time of the status changes it adds",
                rule: "the record's rules; hits, handovers and tips are refused (their own requests write them); assignments pass the roster checks"
            }
            ChangeWantedStatus fn change_wanted_status(
                id: $crate::domain::RecordId,
                status: $crate::domain::WantedStatus,
                note: &str [String],
                by: Option<$crate::domain::RecordId>,
                at: $crate::domain::Instant
            ) -> $crate::domain::Record {
                allow: P::EditRecords, audited: false, record: id, detail: status.code(),
                fills: "by, at", rule: "the status history is only added to"
            }
            Import fn import(kind: $crate::domain::Kind, source: &$crate::service::ImportSource [$crate::service::ImportSource]) -> $crate::service::ImportReport {
                allow: P::Import, audited: true, detail: format!("{} {}", kind.name(), source.name),
                fills: "",
                rule: "the whole file is checked first; new records keep the history the file carries, what it adds to stored records is held to their rules; assignments pass the roster checks; guests and notices are screened"
            }
            ExportPage fn export_page(
                kind: $crate::domain::Kind,
                format: $crate::service::Format,
                after: Option<$crate::domain::RecordId>
            ) -> $crate::service::export::ExportPage {
                allow: P::Export, audited: true, detail: $crate::service::export::audit_detail(kind, after),
                fills: "", rule: "no restricted value; a row that cannot be written stops the export, named"
            }
            WantedWithStatus fn wanted_with_status(status: $crate::domain::WantedStatus) -> Vec<$crate::domain::Record> {
                allow: P::Read, audited: false, fills: "", rule: ""
            }
            GuestsCheckedIn fn guests_checked_in(from: $crate::domain::Instant, to: $crate::domain::Instant) -> Vec<$crate::domain::Record> {
                allow: P::Read, audited: false, fills: "", rule: ""
            }
            GuestsOf fn guests_of(establishment: $crate::domain::RecordId) -> Vec<$crate::domain::Record> {
                allow: P::Read, audited: false, record: establishment, fills: "", rule: ""
            }
            RosterOn fn roster_on(date: chrono::NaiveDate) -> Vec<$crate::domain::Record> {
                allow: P::Read, audited: false, fills: "", rule: ""
            }
            Related fn related(id: $crate::domain::RecordId) -> Vec<$crate::domain::Record> {
                allow: P::Read, audited: false, record: id, fills: "", rule: ""
            }
            LateDeclarations fn late_declarations(
                from: $crate::domain::Instant,
                to: $crate::domain::Instant,
                now: $crate::domain::Instant
            ) -> Vec<$crate::service::LateNight> {
                allow: P::Read, audited: false, fills: "", rule: "the declaration deadlines ([lodging])"
            }
            InspectionCandidates fn inspection_candidates(
                now: $crate::domain::Instant,
                hits: &$crate::service::HitCounts [$crate::service::HitCounts]
            ) -> Vec<$crate::service::InspectionCandidate> {
                allow: P::Read, audited: false, fills: "", rule: "the inspection priority"
            }
            HitCounts fn hit_counts(since: $crate::domain::Instant) -> $crate::service::HitCounts {
                allow: P::Read, audited: false, fills: "", rule: ""
            }
            Search fn search(
                query: &str [String],
                kind: Option<$crate::domain::Kind>,
                limit: usize,
                lang: $crate::i18n::Lang
            ) -> Vec<$crate::search::Hit> {
                allow: P::Read, audited: true, detail: query, fills: "", rule: "no restricted value is indexed"
            }
            AddHitStep fn add_hit_step(id: $crate::domain::RecordId, step: $crate::domain::HitStep) -> $crate::domain::Record {
                allow: P::Hits, audited: false, record: id, detail: step.outcome.code(),
                fills: "the step's officer and time",
                rule: "steps are only added; a confirmation names who confirmed and when; nothing follows a final outcome"
            }
            ScreenFile fn screen_file(source: &$crate::service::ImportSource [$crate::service::ImportSource]) -> Vec<$crate::service::ScreenedRow> {
                allow: P::Read, audited: true, detail: source.name.clone(), fills: "", rule: "nothing is written"
            }
            Roster fn roster(campaign: $crate::domain::RecordId) -> $crate::service::roster::Roster {
                allow: P::Read, audited: false, record: campaign, fills: "", rule: ""
            }
            OnDuty fn on_duty(campaign: $crate::domain::RecordId, at: $crate::domain::Instant) -> $crate::service::roster::OnDuty {
                allow: P::Read, audited: false, record: campaign, fills: "", rule: ""
            }
            RosterProblems fn roster_problems(campaign: $crate::domain::RecordId) -> Vec<$crate::domain::roster::RosterProblem> {
                allow: P::Read, audited: false, record: campaign, fills: "", rule: ""
            }
            EditRoster fn edit_roster(by: $crate::domain::RecordId, edit: $crate::service::roster::RosterEdit) -> Vec<$crate::domain::RecordId> {
                allow: P::EditRoster, audited: false, detail: edit.describe(),
                fills: "by",
                rule: "no new double booking or short rest; the campaign's days and posts"
            }
            HandoverSheet fn handover_sheet(
                shift: $crate::domain::shifts::ShiftWindow,
                next: $crate::domain::shifts::ShiftWindow,
                now: $crate::domain::Instant,
                lang: $crate::i18n::Lang
            ) -> $crate::domain::handover::Sheet {
                allow: P::Read, audited: false, fills: "", rule: "no restricted value"
            }
            SignHandover fn sign_handover(
                shift: $crate::domain::shifts::ShiftWindow,
                officer: $crate::domain::RecordId,
                text: &str [String],
                at: $crate::domain::Instant
            ) -> $crate::domain::Record {
                allow: P::Handover, audited: false, fills: "the signer, the time",
                rule: "an acknowledged handover never changes; once signed, its signer stays"
            }
            AcknowledgeHandover fn acknowledge_handover(
                id: $crate::domain::RecordId,
                officer: $crate::domain::RecordId,
                remarks: &str [String],
                at: $crate::domain::Instant
            ) -> $crate::domain::Record {
                allow: P::Handover, audited: false, record: id, fills: "the incoming officer, the time",
                rule: "signed first; the signer does not acknowledge; then closed"
            }
            Report fn report(period: $crate::domain::report::Period, lang: $crate::i18n::Lang) -> $crate::domain::report::Report {
                allow: P::Read, audited: true, detail: format!("{}..{}", period.from, period.to), fills: "", rule: ""
            }
            ReportRecords fn report_records(period: $crate::domain::report::Period, key: &str [String]) -> Vec<$crate::domain::RecordId> {
                allow: P::Read, audited: true, detail: format!("{}..{} {key}", period.from, period.to), fills: "", rule: "counted as the report counts"
            }
            SaveTip fn save_tip(tip: $crate::domain::Tip, informant: Option<$crate::domain::Informant>) -> $crate::domain::RecordId {
                allow: P::Tips, audited: false, record: tip.id,
                fills: "the officer who took a new tip",
                rule: "the deadline from [tips]; extensions only by tip_step; replacing an informant needs the right to read it (audited by hash)"
            }
            TipStep fn tip_step(id: $crate::domain::RecordId, step: $crate::service::TipStep) -> $crate::domain::Record {
                allow: P::Tips, audited: false, record: id, fills: "the extension's officer and time",
                rule: "an extension has a reason, moves the deadline later and at most 4 months from receipt; extensions are only added"
            }
            Informant fn informant(tip: $crate::domain::RecordId, reader: $crate::domain::RecordId) -> $crate::domain::Informant {
                allow: P::Read, audited: true, record: tip, fills: "the reader",
                rule: "only the officers named on it"
            }
            TipsOverdue fn tips_overdue(at: $crate::domain::Instant) -> Vec<$crate::domain::Tip> {
                allow: P::Read, audited: false, fills: "", rule: ""
            }
            DutyStatus fn duty_status(at: $crate::domain::Instant) -> $crate::domain::duty::DutyStatus {
                allow: P::Read, audited: false, fills: "", rule: "open hits and tips by deadline"
            }
            ShiftGlance fn shift_glance(
                shift: $crate::domain::shifts::ShiftWindow,
                now: $crate::domain::Instant,
                beside: bool
            ) -> $crate::domain::glance::Glance {
                allow: P::Read, audited: false, fills: "", rule: "the declaration deadlines ([lodging]); counts, not records, for the charts"
            }
            TipsReceived fn tips_received(from: $crate::domain::Instant, to: $crate::domain::Instant) -> Vec<$crate::domain::Tip> {
                allow: P::Read, audited: false, fills: "", rule: ""
            }
            Check fn check() -> $crate::store::check::CheckReport {
                allow: P::Accounts, audited: true, fills: "", rule: ""
            }
            Backup fn backup(path: &std::path::Path [std::path::PathBuf], replace: bool) -> $crate::store::backup::BackupSummary {
                allow: P::Accounts, audited: true, detail: path.display().to_string(), fills: "",
                rule: "written atomically, never inside the store's or the socket's directory; replaces only an earlier backup, and only when asked to"
            }
            Whoami fn whoami() -> $crate::domain::access::SessionInfo {
                allow: session, fills: "", rule: ""
            }
            Lock fn lock() -> () {
                allow: session, fills: "", rule: "the account stays locked for every connection until the PIN"
            }
            Unlock fn unlock(pin: &str [String]) -> () {
                allow: session, fills: "",
                rule: "five wrong PINs in all, counted in the store, lock the account for 10 minutes"
            }
            RestrictedNote fn restricted_note(
                record: $crate::domain::RecordId,
                reader: Option<$crate::domain::RecordId>
            ) -> $crate::domain::access::RestrictedNote {
                allow: P::Read, audited: true, record: record, fills: "the reader",
                rule: "only the officers named on it"
            }
            SetRestrictedNote fn set_restricted_note(
                record: $crate::domain::RecordId,
                note: $crate::domain::access::RestrictedNote
            ) -> () {
                allow: kind(record.kind()), audited: false, record: record, fills: "the author, the time",
                rule: "replacing a note needs the right to read it (audited by hash)"
            }
            Audit fn audit(query: &$crate::domain::audit::AuditQuery [$crate::domain::audit::AuditQuery]) -> Vec<$crate::domain::audit::AuditEntry> {
                allow: P::ReadAudit, audited: true, fills: "", rule: ""
            }
            AuditVerify fn audit_verify() -> $crate::service::AuditCheck {
                allow: P::ReadAudit, audited: true, fills: "", rule: ""
            }
            Accounts fn accounts() -> Vec<$crate::domain::access::AccountInfo> {
                allow: P::Accounts, audited: true, fills: "", rule: "no PIN hash leaves the store"
            }
            SetAccount fn set_account(user: &str [String], officer: $crate::domain::RecordId, pin: Option<String>) -> () {
                allow: P::Accounts, audited: false, record: officer, detail: user, fills: "",
                rule: "a PIN of 6 to 12 digits, kept as a slow salted hash"
            }
        }
    };
}

/// One row per request, from the entry's braces (see the module doc).
#[doc(hidden)]
#[macro_export]
macro_rules! request_spec {
    ($name:ident { allow: session, fills: $fills:literal, rule: $rule:literal }) => {
        $crate::service::requests::RequestSpec {
            name: stringify!($name),
            allow: $crate::service::requests::Allow::Session,
            audited: false,
            fills: $fills,
            rule: $rule,
        }
    };
    ($name:ident { allow: kind($kind:expr), audited: $audited:literal, $($rest:tt)* }) => {
        $crate::request_spec!(@text $name, $crate::service::requests::Allow::SaveOfKind, $audited, $($rest)*)
    };
    ($name:ident { allow: P::$perm:ident, audited: $audited:literal, $($rest:tt)* }) => {
        $crate::request_spec!(@text $name,
            $crate::service::requests::Allow::Permission($crate::domain::access::Permission::$perm),
            $audited, $($rest)*)
    };
    (@text $name:ident, $allow:expr, $audited:literal, $(record: $rec:expr,)? $(detail: $detail:expr,)? fills: $fills:literal, rule: $rule:literal) => {
        $crate::service::requests::RequestSpec {
            name: stringify!($name),
            allow: $allow,
            audited: $audited,
            fills: $fills,
            rule: $rule,
        }
    };
}

macro_rules! define_specs {
    ($(
        $variant:ident fn $name:ident ( $( $arg:ident : $ty:ty $([$owned:ty])? ),* $(,)? )
            -> $ret:ty $(as $wire:ty)? { $($meta:tt)* }
    )*) => {
        /// Every request, in the list's order.
        pub fn all() -> Vec<RequestSpec> {
            vec![$( $crate::request_spec!($name { $($meta)* }) ),*]
        }
    };
}

crate::for_each_desk_method!(define_specs);

/// The README's table: each request, each role's ✓, what the session fills in, the rule.
pub fn markdown() -> String {
    let roles = [
        OfficerRole::Duty,
        OfficerRole::Supervisor,
        OfficerRole::Admin,
        OfficerRole::Auditor,
    ];
    let mut out = String::from(
        "| request | duty | supervisor | admin | auditor | filled in from the session | rule |\n|---|---|---|---|---|---|---|\n",
    );
    for spec in all() {
        let marks: Vec<&str> = roles
            .iter()
            .map(|r| match (spec.allow, spec.allows(*r)) {
                (Allow::SaveOfKind, true) => "by kind",
                (_, true) => "✓",
                (_, false) => "",
            })
            .collect();
        let audited = if spec.audited { " (audited)" } else { "" };
        out.push_str(&format!(
            "| `{}`{audited} | {} | {} | {} |\n",
            spec.name,
            marks.join(" | "),
            dash(spec.fills),
            dash(spec.rule)
        ));
    }
    out.push_str("\n`save` and `set_restricted_note`, by the kind of the record:\n\n");
    out.push_str("| kind | duty | supervisor | admin | auditor |\n|---|---|---|---|---|\n");
    for kind in crate::domain::Kind::ALL {
        let marks: Vec<&str> = roles
            .iter()
            .map(|r| match access::allows(*r, access::to_save(kind)) {
                true => "✓",
                false => "",
            })
            .collect();
        out.push_str(&format!("| `{}` | {} |\n", kind.name(), marks.join(" | ")));
    }
    out
}

fn dash(text: &str) -> &str {
    if text.is_empty() { "–" } else { text }
}
