//! The service API: the one door through which the console and the command line read and
//! write. [`DeskApi`] is the boundary; [`LocalDesk`] serves it in-process over any [`crate::store::Backend`].
//! A socket client will serve the same trait to several officers, with permissions and
//! audit behind it, so every argument and result here is plain data.

mod access;
mod acting;
pub mod daemon;
mod error_text;
pub mod export;
pub mod gate;
mod glance;
mod group_dates;
mod handover;
pub mod interchange;
mod live_search;
mod local;
pub mod logon;
mod pins;
pub mod remote;
pub mod requests;
pub mod roster;
mod safety;
pub mod screening;
pub mod session;
mod tips;
pub mod wire;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::declarations::FineBand;
use crate::domain::inspection_priority::Factor;
use crate::domain::{Instant, Kind, Record, RecordId, Risk, WantedStatus};
use crate::i18n::Said;
use crate::store::StoreError;

pub use handover::DUE_ON_SHEET;
pub use interchange::{Format, Problem};
pub use local::LocalDesk;
pub use remote::RemoteDesk;
pub use tips::TipStep;
pub use wire::Pushed;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Store(StoreError),
    /// The write would break a rule of the record (see [`crate::domain::rules`]).
    #[error("{0}")]
    Rule(crate::domain::rules::Refusal),
    #[error(transparent)]
    Backup(#[from] crate::store::backup::BackupError),
    /// Bad input file: every problem found, nothing written.
    #[error("{} problem(s) in the input; nothing was imported", .0.len())]
    Import(Vec<Problem>),
    #[error("{0} is not in the store")]
    NotFound(RecordId),
    #[error("{0}")]
    Invalid(Said),
    /// A roster edit refused: the double bookings and short rests it would create.
    #[error("the edit would create {} roster problem(s): {}; nothing was saved", .0.len(), roster_problems_en(.0))]
    RosterRefused(Vec<crate::domain::roster::RosterProblem>),
    /// The search index is still loading (the console retries shortly).
    #[error("the search index is still loading")]
    SearchNotReady,
    /// The reader may not see this (a restricted field such as a tip's informant).
    #[error("{0}")]
    Refused(Said),
    /// The session's role does not allow the request (audited).
    #[error("{0}")]
    Forbidden(crate::domain::access::Denial),
    /// The session is locked: unlock it with the officer's PIN first.
    #[error("the session is locked: unlock it with your PIN")]
    Locked,
    /// An unlock refused: wrong PIN, or the account locked after too many.
    #[error("{0}")]
    Unlock(crate::domain::access::UnlockRefused),
    /// The connecting OS user has no account (audited).
    #[error("{0}")]
    UnknownUser(String),
    /// The OS user made too many refused log-ons this minute (audited once a minute).
    #[error("too many refused log-ons for {0} this minute: wait a minute and try again")]
    TooManyLogons(String),
    /// A store error on the daemon's side, as its message (a [`StoreError`] does not cross
    /// the socket).
    #[error("{said}")]
    Remote { code: String, said: Said },
    /// The daemon cannot be reached, or broke the protocol.
    #[error("{0}")]
    Daemon(Said),
    /// Export stopped at a record it cannot write (a record it names cannot be read).
    #[error("{}", interchange::Unwritable(*.0))]
    Unwritable(RecordId),
    /// The daemon closed the connection on its own (see [`wire::Closed`]).
    #[error("trucban serve closed the connection: {0}")]
    Closed(wire::Closed),
}

impl ServiceError {
    /// Bad input refused, said in both languages.
    pub fn invalid(vi: impl Into<String>, en: impl Into<String>) -> ServiceError {
        ServiceError::Invalid(Said::new(vi, en))
    }

    /// A read refused (a restricted field), said in both languages.
    pub fn refused(vi: impl Into<String>, en: impl Into<String>) -> ServiceError {
        ServiceError::Refused(Said::new(vi, en))
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> ServiceError {
        match e {
            StoreError::Rule(refusal) => ServiceError::Rule(refusal),
            other => ServiceError::Store(other),
        }
    }
}

/// What `audit verify` found: how many entries are chained, in how many chains (one per
/// unit), or where a chain breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct AuditCheck {
    pub entries: u64,
    pub chains: u64,
    pub broken: Option<String>,
}

fn roster_problems_en(problems: &[crate::domain::roster::RosterProblem]) -> String {
    let labels: Vec<String> = problems
        .iter()
        .map(|p| p.label(crate::i18n::Lang::En))
        .collect();
    labels.join("; ")
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Stats {
    /// (collection name, record count) in `Kind::ALL` order.
    pub counts: Vec<(String, usize)>,
}

impl Stats {
    pub fn count(&self, kind: Kind) -> usize {
        self.counts
            .iter()
            .find(|(k, _)| k == kind.name())
            .map_or(0, |(_, n)| *n)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum SortBy {
    Id,
    Title,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ListQuery {
    pub kind: Kind,
    /// Keeps records whose ID or title contains this, ignoring marks and case.
    pub contains: Option<String>,
    pub sort: SortBy,
    pub descending: bool,
    pub offset: usize,
    pub limit: usize,
}

impl ListQuery {
    pub fn all(kind: Kind) -> ListQuery {
        ListQuery {
            kind,
            contains: None,
            sort: SortBy::Id,
            descending: false,
            offset: 0,
            limit: usize::MAX,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Page {
    /// Records matching the query, before offset and limit.
    pub total: usize,
    pub records: Vec<Record>,
}

/// A file to import: its name (for messages), its bytes and its format.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct ImportSource {
    pub name: String,
    #[serde(with = "wire::base64_bytes")]
    pub bytes: Vec<u8>,
    pub format: Format,
    /// The file on this host, read from the disk at each pass instead of `bytes` (a year of
    /// declarations need not fit in memory). Never taken from the wire: a daemon reads no
    /// path a client names; a client sends the file's bytes.
    #[serde(skip)]
    pub on_disk: Option<std::path::PathBuf>,
}

impl ImportSource {
    /// Opens the file for one reading from its start.
    pub fn open(&self) -> std::io::Result<Box<dyn std::io::BufRead + '_>> {
        Ok(match &self.on_disk {
            Some(path) => Box::new(std::io::BufReader::with_capacity(
                1 << 16,
                std::fs::File::open(path)?,
            )),
            None => Box::new(self.bytes.as_slice()),
        })
    }
}

/// On the wire an import file travels as its bytes (read from the disk when it is there).
impl Serialize for ImportSource {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct OnTheWire<'a> {
            name: &'a str,
            #[serde(with = "wire::base64_bytes")]
            bytes: &'a [u8],
            format: Format,
        }
        let read;
        let bytes = match &self.on_disk {
            Some(path) => {
                use serde::ser::Error as _;
                let size = std::fs::metadata(path).map_err(S::Error::custom)?.len();
                if size > wire::MAX_REQUEST as u64 {
                    return Err(S::Error::custom(format!(
                        "{} is {size} bytes, more than a request to the daemon carries ({} bytes): split it, or import it on the daemon's host",
                        path.display(),
                        wire::MAX_REQUEST
                    )));
                }
                read = std::fs::read(path).map_err(S::Error::custom)?;
                read.as_slice()
            }
            None => self.bytes.as_slice(),
        };
        OnTheWire {
            name: &self.name,
            bytes,
            format: self.format,
        }
        .serialize(s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ImportReport {
    pub kind: String,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Records the store already held exactly so (a file imported again): not rewritten.
    #[serde(default)]
    pub unchanged: usize,
    /// Screening hits the import raised (guests against the lists, or a notice against the
    /// recent guests), written with it.
    pub hits: Vec<RecordId>,
}

/// One input row of `trucban screen`: its number (1 = the first data row) and its matches.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct ScreenedRow {
    /// The line of the file the row is on (the header is line 1), as import's problems say.
    pub line: usize,
    pub hits: Vec<screening::Screened>,
}

/// One establishment's night on the late-declaration board (see
/// [`crate::domain::declarations`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct LateNight {
    pub establishment_id: RecordId,
    pub establishment: String,
    pub commune: String,
    /// The local date the guests checked in.
    pub night: NaiveDate,
    /// Guests who checked in that night, declared or not.
    pub guests: usize,
    pub late: usize,
    pub undeclared: usize,
    /// The fine band of `late + undeclared` (NĐ 144/2021 art. 9).
    pub band: Option<FineBand>,
    pub late_ids: Vec<RecordId>,
    pub undeclared_ids: Vec<RecordId>,
}

/// Screening hits per establishment: how many of its guests came close to a listed person
/// ([`DeskApi::hit_counts`]).
pub type HitCounts = std::collections::BTreeMap<RecordId, usize>;

/// An establishment on the inspection check list, with why (see
/// [`crate::domain::inspection_priority`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct InspectionCandidate {
    pub establishment_id: RecordId,
    pub establishment: String,
    pub commune: String,
    pub risk: Risk,
    pub score: u32,
    pub last_inspection: Option<NaiveDate>,
    /// Late and undeclared guests among those who arrived in the last 30 days.
    pub late: usize,
    pub undeclared: usize,
    /// Failed check items and violations at the last inspection.
    pub failed_items: usize,
    pub violations: usize,
    pub hits: usize,
    /// The factors that scored, most points first.
    pub factors: Vec<Factor>,
}

/// The most records one `list` answers (the console's tables load at most this many).
pub const MAX_LIST_ROWS: usize = 5_000;

/// The most records one `get_many` answers (a table's rows name at most this many each).
pub const MAX_GET_MANY: usize = 5_000;

/// The most hits one `search` answers.
pub const MAX_SEARCH_HITS: usize = 1_000;

pub trait DeskApi {
    fn stats(&self) -> Result<Stats>;
    fn get(&self, id: RecordId) -> Result<Option<Record>>;
    /// The records of `ids` that exist (at most [`MAX_GET_MANY`]): what a table's rows name
    /// (a notice's person, a stay's establishment), in one request and one audit entry.
    fn get_many(&self, ids: Vec<RecordId>) -> Result<Vec<Record>>;
    fn list(&self, query: &ListQuery) -> Result<Page>;
    /// Saves one record (number 0 = new; its ID is returned). Durable when it returns.
    fn save(&self, record: Record) -> Result<RecordId>;
    fn change_wanted_status(
        &self,
        id: RecordId,
        status: WantedStatus,
        note: &str,
        by: Option<RecordId>,
        at: Instant,
    ) -> Result<Record>;
    fn import(&self, kind: Kind, source: &ImportSource) -> Result<ImportReport>;
    /// One page of `kind`'s export, after the record `after` (see [`export::ExportPage`]).
    fn export_page(
        &self,
        kind: Kind,
        format: Format,
        after: Option<RecordId>,
    ) -> Result<export::ExportPage>;
    /// The whole export in memory (tests, small kinds); `trucban export` writes page by page.
    fn export(&self, kind: Kind, format: Format) -> Result<Vec<u8>> {
        let mut whole = Vec::new();
        export::export_pages::<ServiceError>(self, kind, format, &mut |bytes| {
            whole.extend_from_slice(bytes);
            Ok(())
        })?;
        Ok(whole)
    }
    fn wanted_with_status(&self, status: WantedStatus) -> Result<Vec<Record>>;
    fn guests_checked_in(&self, from: Instant, to: Instant) -> Result<Vec<Record>>;
    fn guests_of(&self, establishment: RecordId) -> Result<Vec<Record>>;
    fn roster_on(&self, date: NaiveDate) -> Result<Vec<Record>>;
    /// The records a detail view links to: a wanted notice's person, group, watch entries
    /// and guest stays under the same identity document; an establishment's guests and
    /// inspections; and so on for every kind.
    fn related(&self, id: RecordId) -> Result<Vec<Record>>;
    /// The late-declaration board for the guests who checked in in `[from, to)`, judged at
    /// `now` (an undeclared stay counts once its deadline has passed), worst first. For whole
    /// nights pass local midnights ([`crate::domain::time::local_day_start`]).
    fn late_declarations(&self, from: Instant, to: Instant, now: Instant)
    -> Result<Vec<LateNight>>;
    /// Every establishment ranked for inspection at `now`, highest score first; `hits` are
    /// the screening hits per establishment (see [`HitCounts`]).
    fn inspection_candidates(
        &self,
        now: Instant,
        hits: &HitCounts,
    ) -> Result<Vec<InspectionCandidate>>;
    /// Screening hits found since `since`, per establishment of the guest.
    fn hit_counts(&self, since: Instant) -> Result<HitCounts>;
    /// Ranked search across collections (or one kind): see [`crate::search`]. What is
    /// searched is the same in every language; each hit's detail line is in `lang`.
    fn search(
        &self,
        query: &str,
        kind: Option<Kind>,
        limit: usize,
        lang: crate::i18n::Lang,
    ) -> Result<Vec<crate::search::Hit>>;
    /// Records a step of a hit's handling (confirmed, not the person, escalated). Refused
    /// without the agency's confirmation, or after a final outcome.
    fn add_hit_step(&self, id: RecordId, step: crate::domain::HitStep) -> Result<Record>;
    /// Screens a guest file against the active lists without importing it.
    fn screen_file(&self, source: &ImportSource) -> Result<Vec<ScreenedRow>>;
    /// A campaign's roster: every day × shift × post of its plan, who holds each.
    fn roster(&self, campaign: RecordId) -> Result<roster::Roster>;
    /// The campaign's shift under way at `at`, and the next one.
    fn on_duty(&self, campaign: RecordId, at: Instant) -> Result<roster::OnDuty>;
    /// Double bookings, short rests and empty posts of a campaign's roster.
    fn roster_problems(
        &self,
        campaign: RecordId,
    ) -> Result<Vec<crate::domain::roster::RosterProblem>>;
    /// A supervisor's (or administrator's) edit by officer `by`, checked before it is
    /// saved: refused with [`ServiceError::RosterRefused`] when it would create a double
    /// booking or a short rest. Returns the assignments written (both, for a swap, in one
    /// transaction).
    fn edit_roster(&self, by: RecordId, edit: roster::RosterEdit) -> Result<Vec<RecordId>>;
    /// The handover sheet of `shift`: its handover record if one is written, and the
    /// sections composed from the records of its window as of `now` (or the shift's end);
    /// `next` is the following shift, whose roster the sheet lists.
    fn handover_sheet(
        &self,
        shift: crate::domain::shifts::ShiftWindow,
        next: crate::domain::shifts::ShiftWindow,
        now: Instant,
        lang: crate::i18n::Lang,
    ) -> Result<crate::domain::handover::Sheet>;
    /// The outgoing officer signs the handover of `shift` with their text (again, to amend
    /// it, until it is acknowledged). Durable when it returns.
    fn sign_handover(
        &self,
        shift: crate::domain::shifts::ShiftWindow,
        officer: RecordId,
        text: &str,
        at: Instant,
    ) -> Result<Record>;
    /// The incoming officer (not the one who signed) acknowledges a signed handover, with
    /// optional remarks. From then on the handover is refused every change.
    fn acknowledge_handover(
        &self,
        id: RecordId,
        officer: RecordId,
        remarks: &str,
        at: Instant,
    ) -> Result<Record>;
    /// The periodic report for `period`, beside the period of the same length before it.
    fn report(
        &self,
        period: crate::domain::report::Period,
        lang: crate::i18n::Lang,
    ) -> Result<crate::domain::report::Report>;
    /// Saves a tip (number 0 = new: its deadline is set from the `[tips]` rules) and, when
    /// given, its informant — written apart from the tip, in the same transaction, readable
    /// only through [`DeskApi::informant`]. An existing tip keeps its deadline and every
    /// extension (add them with [`DeskApi::tip_step`]). `None` keeps a stored informant.
    /// The records behind the figure of report line `key` in `period`.
    fn report_records(
        &self,
        period: crate::domain::report::Period,
        key: &str,
    ) -> Result<Vec<RecordId>>;

    fn save_tip(
        &self,
        tip: crate::domain::Tip,
        informant: Option<crate::domain::Informant>,
    ) -> Result<RecordId>;
    /// Changes a tip's status and verifier, and extends its deadline if asked (refused when
    /// the new deadline is not later, has no reason, or the tip is closed).
    fn tip_step(&self, id: RecordId, step: TipStep) -> Result<Record>;
    /// A tip's informant, for `reader` only if named on it; otherwise (or when none was
    /// recorded) [`ServiceError::Refused`].
    fn informant(&self, tip: RecordId, reader: RecordId) -> Result<crate::domain::Informant>;
    /// Open tips past their deadline at `at`, the longest overdue first.
    fn tips_overdue(&self, at: Instant) -> Result<Vec<crate::domain::Tip>>;
    /// Tips received in `[from, to)`, in order of receipt.
    /// "Shift at a glance" for `shift` at `now` (see [`crate::domain::glance`]); what stands
    /// beside its rows (duty, night, log, 14 days of counts) only when `beside` asks for it —
    /// the countdown refreshes the rows alone.
    fn shift_glance(
        &self,
        shift: crate::domain::shifts::ShiftWindow,
        now: Instant,
        beside: bool,
    ) -> Result<crate::domain::glance::Glance>;
    /// The deadlines of the hits open at `at` and of the open tips: the status line's counts.
    fn duty_status(&self, at: Instant) -> Result<crate::domain::duty::DutyStatus>;
    fn tips_received(&self, from: Instant, to: Instant) -> Result<Vec<crate::domain::Tip>>;
    /// Gets ready for a session: the console calls it once it has painted, so that slow
    /// preparations (loading the search index) run while the officer reads the screen.
    fn warm_up(&self) {}

    /// Verifies the whole store (`trucban check`).
    fn check(&self) -> Result<crate::store::check::CheckReport>;

    /// Writes a consistent backup of the store to `path`, a path the store's holder can
    /// reach (absolute when sent to a daemon); an existing backup there is replaced only
    /// when `replace` says so; see `service/safety.rs`.
    fn backup(
        &self,
        path: &std::path::Path,
        replace: bool,
    ) -> Result<crate::store::backup::BackupSummary>;
    // Sessions, access and audit (see `service/session.rs`).
    /// Who this session is, its role, and whether it is locked.
    fn whoami(&self) -> Result<crate::domain::access::SessionInfo>;
    /// Locks the session: every request but `whoami` and `unlock` is refused until it is
    /// unlocked with the officer's PIN.
    fn lock(&self) -> Result<()>;
    /// Unlocks with the officer's PIN; five wrong PINs lock the account for 10 minutes.
    fn unlock(&self, pin: &str) -> Result<()>;
    /// A record's restricted note, for `reader` only if named on it (else
    /// [`ServiceError::Refused`], also when there is none).
    fn restricted_note(
        &self,
        record: RecordId,
        reader: Option<RecordId>,
    ) -> Result<crate::domain::access::RestrictedNote>;
    /// Sets (replaces) a record's restricted note, kept apart from the record.
    fn set_restricted_note(
        &self,
        record: RecordId,
        note: crate::domain::access::RestrictedNote,
    ) -> Result<()>;
    /// Audit entries (the auditor's).
    fn audit(
        &self,
        query: &crate::domain::audit::AuditQuery,
    ) -> Result<Vec<crate::domain::audit::AuditEntry>>;
    /// Checks the whole audit chain.
    fn audit_verify(&self) -> Result<AuditCheck>;
    /// The officer accounts (never their PIN hashes).
    fn accounts(&self) -> Result<Vec<crate::domain::access::AccountInfo>>;
    /// Creates or changes the account of OS user `user`: the officer it maps to, and a new
    /// PIN when given (an existing account keeps its PIN otherwise; a new one needs one).
    fn set_account(&self, user: &str, officer: RecordId, pin: Option<String>) -> Result<()>;
    /// The changes a daemon pushes to this session, once (the console's shell reads them);
    /// `None` in-process, where nobody else writes.
    fn pushed(&self) -> Option<std::sync::mpsc::Receiver<Pushed>> {
        None
    }
}
