//! The three edit forms of the desk — change a wanted status, add a sighting, record an
//! inspection — as plain data: fields, validation (messages in both languages) and the
//! submission the shell sends to the service. A form serializes as its own draft.

mod cases;
mod labels;
mod roster;
pub use roster::Cell as RosterCell;
mod validate;

use serde::{Deserialize, Serialize};

use crate::domain::TipStep;
use crate::domain::time::local_date;
use crate::domain::{
    CheckResult, HitOutcome, HitStep, Inspection, Instant, Kind, RecordId, Sighting, WantedStatus,
};
use crate::domain::{DutyLogEntry, Informant, Tip, TipChannel, TipStatus};
use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormKind {
    WantedStatus,
    Sighting,
    Inspection,
    HitOutcome,
    /// The outgoing officer's text and sign-off of a shift's handover.
    Handover,
    /// The incoming officer's acknowledgement of a signed handover.
    HandoverAck,
    /// Record a new tip, with its informant in separate, restricted fields.
    NewTip,
    /// Change a tip's status or verifier, or extend its deadline.
    TipStep,
    /// Record a new case (from a tip passed on, linked to it).
    NewCase,
    /// Change a case's status.
    CaseStep,
    /// A supervisor's roster edits (see `forms/roster.rs`).
    RosterAdd,
    RosterMove,
    RosterSwap,
}

impl FormKind {
    /// What saving this form asks of the session's role (the service checks it again; the
    /// console asks first so that nobody fills in a form only to be refused).
    pub fn needs(self) -> crate::domain::access::Permission {
        use crate::domain::access::Permission as P;
        match self {
            FormKind::WantedStatus => P::EditRecords,
            FormKind::Sighting => P::Sightings,
            FormKind::Inspection => P::Inspections,
            FormKind::HitOutcome => P::Hits,
            FormKind::Handover | FormKind::HandoverAck => P::Handover,
            FormKind::NewTip | FormKind::TipStep => P::Tips,
            FormKind::NewCase | FormKind::CaseStep => P::Cases,
            FormKind::RosterAdd | FormKind::RosterMove | FormKind::RosterSwap => P::EditRoster,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub key: String,
    pub value: String,
    /// Non-empty for a choice: `value` is one of these codes.
    pub choices: Vec<String>,
    /// Filled in from the session and not to be changed here (the officer, through the
    /// daemon: the service acts as the session's officer whatever the form says).
    #[serde(skip)]
    pub fixed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Form {
    pub kind: FormKind,
    /// Number 0 for a record not written yet (a new handover).
    #[serde(with = "draft_target")]
    pub target: RecordId,
    pub target_title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    #[serde(skip)]
    pub errors: Vec<(usize, String)>,
    /// An officer ID the service said it does not know: an error while the field still
    /// holds it (caught before the confirmation, not after it).
    #[serde(skip)]
    pub unknown_officer: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Submission {
    WantedStatus {
        id: RecordId,
        status: WantedStatus,
        note: String,
        by: RecordId,
        at: Instant,
    },
    Sighting(Sighting),
    Inspection(Inspection),
    HitStep {
        id: RecordId,
        step: HitStep,
    },
    SignHandover {
        shift: crate::domain::shifts::ShiftWindow,
        officer: RecordId,
        text: String,
    },
    AcknowledgeHandover {
        id: RecordId,
        officer: RecordId,
        remarks: String,
    },
    Tip {
        tip: Tip,
        informant: Option<Informant>,
    },
    TipStep {
        id: RecordId,
        step: TipStep,
        officer: RecordId,
    },
    LogEntry(DutyLogEntry),
    NewCase(crate::domain::Case),
    CaseStep {
        id: RecordId,
        step: crate::domain::CaseStep,
    },
    RosterEdit {
        by: RecordId,
        edit: crate::domain::roster_grid::RosterEdit,
    },
}

/// A form's target in its draft: a record ID, or `GC-new` for a record not written yet
/// (record IDs never have number 0, so `GC-000000` would not read back).
mod draft_target {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::domain::{Kind, RecordId};

    pub fn serialize<S: Serializer>(id: &RecordId, s: S) -> Result<S::Ok, S::Error> {
        if id.num() == 0 {
            s.collect_str(&format_args!("{}-new", id.kind().prefix()))
        } else {
            s.collect_str(id)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<RecordId, D::Error> {
        let text = String::deserialize(d)?;
        if let Some(kind) = text.strip_suffix("-new").and_then(Kind::from_prefix) {
            return Ok(RecordId::new(kind, 0));
        }
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The longest handover text a form takes (other fields: 2,000 characters).
pub const HANDOVER_TEXT_MAX: usize = 8000;

fn text(key: &str, value: String) -> Field {
    Field {
        key: key.into(),
        value,
        choices: Vec::new(),
        fixed: false,
    }
}

fn choice(key: &str, choices: &[&str]) -> Field {
    Field {
        key: key.into(),
        value: choices[0].to_string(),
        choices: choices.iter().map(|c| c.to_string()).collect(),
        fixed: false,
    }
}

impl Form {
    /// The form that acts on a record of this kind, if the desk acts on it.
    pub fn for_record(
        kind: Kind,
        target: RecordId,
        title: &str,
        officer: Option<RecordId>,
        now: Instant,
        lang: Lang,
    ) -> Option<Form> {
        let officer = officer.map(|o| o.to_string()).unwrap_or_default();
        let fields =
            match kind {
                Kind::Wanted => vec![
                    choice(
                        "status",
                        &["arrested", "surrendered", "cancelled", "deceased", "wanted"],
                    ),
                    text("note", String::new()),
                    text("officer", officer),
                ],
                Kind::WatchEntry => vec![
                    text("at", lang.date_time(now)),
                    text("place", String::new()),
                    text("note", String::new()),
                    text("officer", officer),
                ],
                Kind::Establishment => {
                    let mut fields = vec![
                        text("date", lang.date(local_date(now))),
                        text("officer", officer),
                    ];
                    // One pass/fail/n/a choice per standard check item, keyed by the text the
                    // record stores (shown in the officer's language by `label`).
                    fields.extend(crate::domain::lodging::CHECK_ITEMS.iter().map(|(item, _)| {
                        Field {
                            key: (*item).to_string(),
                            value: "pass".into(),
                            choices: vec!["pass".into(), "fail".into(), "n/a".into()],
                            fixed: false,
                        }
                    }));
                    fields.push(text("violations", String::new()));
                    fields.push(text("note", String::new()));
                    fields
                }
                Kind::Handover => vec![text("officer", officer), text("remarks", String::new())],
                Kind::Tip => vec![
                    choice("status", &["verifying", "passed", "closed", "received"]),
                    text("verifier", String::new()),
                    text("new_deadline", String::new()),
                    text("reason", String::new()),
                    text("officer", officer),
                ],
                Kind::Case => Form::case_step_fields(officer),
                Kind::Hit => vec![
                    choice("outcome", &["confirmed", "not_the_person", "escalated"]),
                    text("confirmed_by", String::new()),
                    text("confirmed_at", lang.date_time(now)),
                    text("note", String::new()),
                    text("officer", officer),
                ],
                _ => return None,
            };
        let kind = match kind {
            Kind::Wanted => FormKind::WantedStatus,
            Kind::WatchEntry => FormKind::Sighting,
            Kind::Hit => FormKind::HitOutcome,
            Kind::Handover => FormKind::HandoverAck,
            Kind::Tip => FormKind::TipStep,
            Kind::Case => FormKind::CaseStep,
            _ => FormKind::Inspection,
        };
        Some(Form {
            kind,
            target,
            target_title: title.to_string(),
            fields,
            focus: 0,
            errors: Vec::new(),
            unknown_officer: None,
        })
    }

    /// The handover form of a shift: its text first (where the officer types), the
    /// signing officer, and the shift (filled in; the draft keeps which shift it was for).
    pub fn handover(
        shift: crate::domain::shifts::ShiftWindow,
        officer: Option<RecordId>,
        lang: Lang,
    ) -> Form {
        Form {
            kind: FormKind::Handover,
            target: RecordId::new(Kind::Handover, 0),
            target_title: format!(
                "{} – {}",
                lang.date_time(shift.start),
                lang.date_time(shift.end)
            ),
            fields: vec![
                text("text", String::new()),
                text(
                    "officer",
                    officer.map(|o| o.to_string()).unwrap_or_default(),
                ),
                text("shift_start", lang.date_time(shift.start)),
                text("shift_end", lang.date_time(shift.end)),
            ],
            focus: 0,
            errors: Vec::new(),
            unknown_officer: None,
        }
    }

    /// The form that records a new tip received now by `officer`.
    pub fn new_tip(officer: Option<RecordId>, now: Instant, lang: Lang) -> Form {
        let officer = officer.map(|o| o.to_string()).unwrap_or_default();
        let channels: Vec<&str> = TipChannel::ALL.iter().map(|c| c.code()).collect();
        Form {
            kind: FormKind::NewTip,
            target: RecordId::new(Kind::Tip, 0),
            target_title: String::new(),
            fields: vec![
                text("received_at", lang.date_time(now)),
                choice("channel", &channels),
                text("content", String::new()),
                text("place", String::new()),
                text("verifier", String::new()),
                text("informant_name", String::new()),
                text("informant_contact", String::new()),
                text("officer", officer),
            ],
            focus: 0,
            errors: Vec::new(),
            unknown_officer: None,
        }
    }

    /// What the form is about, as its heading shows it: the record; for a record not yet
    /// saved (its number is given on saving) its title (a new handover's shift), or "new".
    pub fn subject(&self, lang: Lang) -> String {
        if self.target.num() == 0 {
            if !self.target_title.is_empty() {
                return self.target_title.clone();
            }
            return lang.pick("(hồ sơ mới)", "(new record)").into();
        }
        format!("{} {}", self.target, self.target_title)
    }

    /// Whether a field holds restricted text (the informant): never written to a draft.
    pub fn is_restricted(key: &str) -> bool {
        key.starts_with("informant_")
    }

    /// The form as its draft file may hold it: restricted fields left empty, so that the
    /// informant's identity never lands on disk outside the store's restricted tree.
    pub fn draftable(&self) -> Form {
        let mut form = self.clone();
        for field in &mut form.fields {
            if Form::is_restricted(&field.key) {
                field.value.clear();
            }
        }
        form
    }

    /// The draft file's name: one draft per form and record (per shift for a handover).
    pub fn draft_key(&self) -> String {
        if self.kind == FormKind::Handover {
            let start: String = self
                .value("shift_start")
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            return format!("handover-{start}");
        }
        format!("{:?}-{}", self.kind, self.target).to_lowercase()
    }

    pub fn title(&self, lang: Lang) -> &'static str {
        match self.kind {
            FormKind::WantedStatus => lang.pick("Đổi tình trạng truy nã", "Change wanted status"),
            FormKind::Sighting => lang.pick("Thêm phát hiện", "Add a sighting"),
            FormKind::Inspection => lang.pick("Ghi kết quả kiểm tra", "Record an inspection"),
            FormKind::HitOutcome => lang.pick("Ghi kết quả xác minh", "Record the outcome"),
            FormKind::Handover => lang.pick("Sổ giao ca: ký giao", "Handover: sign off"),
            FormKind::HandoverAck => lang.pick("Sổ giao ca: nhận ca", "Handover: acknowledge"),
            FormKind::NewTip => lang.pick("Tiếp nhận tin báo", "Record a tip"),
            FormKind::TipStep => lang.pick("Cập nhật tin báo", "Update the tip"),
            FormKind::NewCase => lang.pick("Ghi nhận vụ án", "Record a case"),
            FormKind::CaseStep => lang.pick("Cập nhật vụ án", "Update the case"),
            FormKind::RosterAdd => lang.pick("Phân công: thêm người", "Roster: add an officer"),
            FormKind::RosterMove => lang.pick("Phân công: chuyển", "Roster: move"),
            FormKind::RosterSwap => lang.pick("Phân công: đổi người", "Roster: swap officers"),
        }
    }

    /// How a choice code is shown.
    pub fn choice_label(code: &str, lang: Lang) -> String {
        if let Some(status) = WantedStatus::parse(code) {
            return status.label(lang).to_string();
        }
        if let Some(outcome) = HitOutcome::parse(code) {
            return outcome.label(lang).to_string();
        }
        if let Some(status) = TipStatus::parse(code) {
            return status.label(lang).to_string();
        }
        if let Some(status) = crate::domain::CaseStatus::parse(code) {
            return status.label(lang).to_string();
        }
        if let Some(channel) = TipChannel::parse(code) {
            return channel.label(lang).to_string();
        }
        if let Some(shift) = crate::domain::Shift::parse(code) {
            return shift.label(lang).to_string();
        }
        if let Some(role) = crate::domain::AssignmentRole::parse(code) {
            return role.label(lang).to_string();
        }
        CheckResult::parse(code).map_or_else(|| code.to_string(), |r| r.label(lang).to_string())
    }

    pub fn focused(&mut self) -> &mut Field {
        let last = self.fields.len().saturating_sub(1);
        &mut self.fields[self.focus.min(last)]
    }

    pub fn move_focus(&mut self, delta: isize) {
        let n = self.fields.len() as isize;
        self.focus = ((self.focus as isize + delta).rem_euclid(n.max(1))) as usize;
    }

    /// Makes the acting officer's field the session's `officer`, not to be changed here.
    pub fn fix_officer(&mut self, officer: RecordId) {
        for field in self.fields.iter_mut().filter(|f| f.key == "officer") {
            field.value = officer.to_string();
            field.fixed = true;
        }
    }

    /// After an edit, the marked errors that are fixed go away and the others say what is
    /// wrong now; a field not marked yet is marked at the next save, not while typing.
    pub fn recheck(&mut self, lang: Lang) {
        if self.errors.is_empty() {
            return;
        }
        let fresh = self.validate(lang).err().unwrap_or_default();
        let marked: Vec<usize> = self.errors.iter().map(|(i, _)| *i).collect();
        self.errors = fresh
            .into_iter()
            .filter(|(i, _)| marked.contains(i))
            .collect();
    }

    /// The officer the form is saved as, when it needs asking the service whether it
    /// exists (not when the session fixed it).
    pub fn officer_to_check(&self) -> Option<RecordId> {
        let field = self.fields.iter().find(|f| f.key == "officer")?;
        if field.fixed {
            return None;
        }
        field.value.trim().parse().ok()
    }

    /// Whether the form has an officer field not yet fixed to the session's.
    pub fn officer_unfixed(&self) -> bool {
        self.fields.iter().any(|f| f.key == "officer" && !f.fixed)
    }

    /// Whether the field in focus is filled in from the session (never edited here).
    fn focused_is_fixed(&self) -> bool {
        self.fields.get(self.focus).is_some_and(|f| f.fixed)
    }

    pub fn cycle_choice(&mut self, delta: isize) {
        if self.focused_is_fixed() {
            return;
        }
        let field = self.focused();
        if let Some(at) = field.choices.iter().position(|c| *c == field.value) {
            let n = field.choices.len() as isize;
            field.value = field.choices[(at as isize + delta).rem_euclid(n) as usize].clone();
        }
    }

    pub fn type_char(&mut self, c: char) {
        if self.focused_is_fixed() {
            return;
        }
        let field = self.focused();
        let max = if field.key == "text" {
            HANDOVER_TEXT_MAX
        } else {
            2000
        };
        if field.choices.is_empty()
            && !crate::domain::text::is_hostile(c)
            && field.value.chars().count() < max
        {
            field.value.push(c);
        }
    }

    pub fn delete_char(&mut self) {
        if self.focused_is_fixed() {
            return;
        }
        let field = self.focused();
        if field.choices.is_empty() {
            field.value.pop();
        }
    }

    pub fn value(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or("", |f| f.value.trim())
    }

    fn index(&self, key: &str) -> usize {
        self.fields.iter().position(|f| f.key == key).unwrap_or(0)
    }

    /// One line that says what will be saved, for the confirmation.
    pub fn summary(&self, lang: Lang) -> String {
        match self.kind {
            FormKind::WantedStatus => format!(
                "{} {} → {}: {}",
                self.target,
                self.target_title,
                Form::choice_label(self.value("status"), lang),
                self.value("note")
            ),
            FormKind::Sighting => format!(
                "{} {} @ {} {}",
                self.target,
                self.target_title,
                self.value("at"),
                self.value("place")
            ),
            FormKind::Inspection => {
                // What failed is what the confirmation must show: the officer signs for it.
                let failed: Vec<String> = self
                    .fields
                    .iter()
                    .filter(|f| {
                        !f.choices.is_empty()
                            && CheckResult::parse(&f.value) == Some(CheckResult::Fail)
                    })
                    .map(|f| Form::label(&f.key, lang))
                    .collect();
                let verdict = if failed.is_empty() {
                    lang.pick("mọi mục đạt", "every item passed").to_string()
                } else {
                    format!(
                        "{}: {}",
                        lang.pick("không đạt", "failed"),
                        failed.join(", ")
                    )
                };
                format!(
                    "{} {} {} · {verdict}",
                    self.target,
                    self.target_title,
                    self.value("date")
                )
            }
            FormKind::Handover => format!(
                "{} {}: {} {}",
                lang.pick("Ký giao ca", "Sign off the shift"),
                self.target_title,
                self.value("text").chars().count(),
                lang.pick("ký tự", "characters")
            ),
            FormKind::HandoverAck => format!(
                "{} {} {}",
                lang.pick("Nhận ca", "Acknowledge"),
                self.target,
                self.value("officer")
            ),
            FormKind::HitOutcome => format!(
                "{} {} → {} {}",
                self.target,
                self.target_title,
                Form::choice_label(self.value("outcome"), lang),
                self.value("confirmed_by")
            ),
            // Never the informant: the confirmation line is on screen for anyone nearby.
            FormKind::NewTip => format!(
                "{} · {} · {}",
                self.value("received_at"),
                self.value("place"),
                self.value("content")
            ),
            FormKind::RosterAdd | FormKind::RosterMove | FormKind::RosterSwap => {
                self.roster_summary(lang)
            }
            FormKind::TipStep => format!(
                "{} → {} {}",
                self.target,
                Form::choice_label(self.value("status"), lang),
                self.value("new_deadline")
            ),
            FormKind::NewCase => format!(
                "Đ{} k{} · {} · {}",
                self.value("article"),
                self.value("clause"),
                self.value("place"),
                self.value("summary")
            ),
            FormKind::CaseStep => format!(
                "{} {} → {}",
                self.target,
                self.target_title,
                Form::choice_label(self.value("status"), lang)
            ),
        }
    }
}

#[cfg(test)]
mod tests;
