//! The case forms: a new case (from the Cases view, or opened from a tip just passed on to
//! investigators, linked to it), and a change of a case's status. Who recorded it and when
//! are the session's (the service fills them); the form only asks.

use crate::domain::time::{local_date, parse_date};
use crate::domain::{Case, CaseStatus, CaseStep, Charge, Instant, Kind, RecordId};
use crate::i18n::Lang;

use super::{Field, Form, FormKind, Submission, choice, text};

/// The statuses a step may set, the usual next one first.
const STEP_STATUSES: [&str; 4] = ["investigating", "cleared", "suspended", "transferred"];

impl Form {
    /// A new case recorded now by `officer`; from a tip, its source and what was reported.
    pub fn new_case(
        officer: Option<RecordId>,
        now: Instant,
        lang: Lang,
        from_tip: Option<(RecordId, String)>,
    ) -> Form {
        let (source, summary) = from_tip
            .map(|(id, content)| (id.to_string(), content))
            .unwrap_or_default();
        Form {
            kind: FormKind::NewCase,
            target: RecordId::new(Kind::Case, 0),
            target_title: source.clone(),
            fields: vec![
                text("occurred_on", lang.date(local_date(now))),
                text("place", String::new()),
                text("summary", summary),
                text("article", String::new()),
                text("clause", String::new()),
                text("group", String::new()),
                text("source", source),
                text(
                    "officer",
                    officer.map(|o| o.to_string()).unwrap_or_default(),
                ),
            ],
            focus: 0,
            errors: Vec::new(),
            unknown_officer: None,
        }
    }

    pub(super) fn case_step_fields(officer: String) -> Vec<Field> {
        vec![
            choice("status", &STEP_STATUSES),
            text("note", String::new()),
            text("officer", officer),
        ]
    }

    pub(super) fn new_case_submission(
        &self,
        officer: Option<RecordId>,
        lang: Lang,
        errors: &mut Vec<(usize, String)>,
    ) -> Option<Submission> {
        for key in ["place", "summary"] {
            if self.value(key).trim().is_empty() {
                errors.push((self.index(key), lang.pick("Cần nhập", "Required").into()));
            }
        }
        let occurred_on = parse_date(self.value("occurred_on"));
        if occurred_on.is_none() {
            errors.push((self.index("occurred_on"), lang.date_hint().into()));
        }
        let number = |key: &str, errors: &mut Vec<(usize, String)>| {
            let parsed = self.value(key).trim().parse::<u16>().ok();
            if parsed.is_none() {
                errors.push((
                    self.index(key),
                    lang.pick("Nhập một số (251)", "Enter a number (251)")
                        .into(),
                ));
            }
            parsed
        };
        let article = number("article", errors);
        let clause = number("clause", errors).and_then(|c| u8::try_from(c).ok());
        // The table of brackets is asked here so that the officer sees it at the field; the
        // service refuses an unknown charge all the same.
        if let (Some(article), Some(clause)) = (article, clause)
            && let Err(unknown) = (Charge { article, clause }).gravity()
        {
            errors.push((self.index("article"), unknown.said(lang)));
        }
        let group = self.optional_id(
            "group",
            &[Kind::Group],
            (
                "Mã băng nhóm dạng BN-000004, hoặc để trống",
                "A group ID like BN-000004, or empty",
            ),
            lang,
            errors,
        );
        let source = self.optional_id(
            "source",
            &crate::domain::cases::SOURCE_KINDS,
            (
                "Mã tin báo (TB-), nhật ký (NK-) hoặc nghi trùng (NT-), hoặc để trống",
                "A tip (TB-), duty-log (NK-) or hit (NT-) ID, or empty",
            ),
            lang,
            errors,
        );
        if !errors.is_empty() {
            return None;
        }
        Some(Submission::NewCase(Case {
            id: RecordId::new(Kind::Case, 0),
            occurred_on: occurred_on?,
            place: self.value("place").trim().to_string(),
            summary: self.value("summary").trim().to_string(),
            charge: Charge {
                article: article?,
                clause: clause?,
            },
            group_id: group?,
            source: source?,
            recorded_at: Instant::UNIX_EPOCH, // set by the shell to the moment of saving
            recorded_by: officer?,
            history: Vec::new(),
        }))
    }

    pub(super) fn case_step_submission(&self, officer: Option<RecordId>) -> Option<Submission> {
        let status = CaseStatus::parse(self.value("status"))?;
        Some(Submission::CaseStep {
            id: self.target,
            step: CaseStep {
                at: Instant::UNIX_EPOCH, // set by the shell to the moment of saving
                status,
                officer_id: officer?,
                note: self.value("note").trim().to_string(),
            },
        })
    }
}
