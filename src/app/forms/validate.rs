//! Validation: a form's fields checked (messages in both languages) and turned into the
//! [`Submission`] the shell sends to the service.

use crate::domain::TipStep;
use crate::domain::time::{parse_date, parse_instant};
use crate::domain::{
    CheckItem, CheckResult, HitOutcome, HitStep, Inspection, Instant, Kind, RecordId, Sighting,
    WantedStatus,
};
use crate::domain::{Informant, Tip, TipChannel, TipExtension, TipStatus};
use crate::i18n::Lang;
use chrono::NaiveDate;

use super::{Form, FormKind, Submission};

impl Form {
    /// Checks every field; on success the submission, else every problem by field.
    pub fn validate(&self, lang: Lang) -> Result<Submission, Vec<(usize, String)>> {
        let mut errors = Vec::new();
        let need = |key: &str, errors: &mut Vec<(usize, String)>| {
            if self.value(key).is_empty() {
                errors.push((
                    self.index(key),
                    lang.pick("Cần nhập", "Required").to_string(),
                ));
            }
        };
        let officer = match self.value("officer").parse::<RecordId>() {
            Ok(id) if self.unknown_officer.as_deref() == Some(self.value("officer")) => {
                errors.push((
                    self.index("officer"),
                    lang.pick_owned(
                        &format!("Không có cán bộ {id} trong dữ liệu"),
                        &format!("There is no officer {id} in the store"),
                    ),
                ));
                None
            }
            Ok(id) if id.kind() == Kind::Officer => Some(id),
            _ => {
                errors.push((
                    self.index("officer"),
                    lang.pick(
                        "Nhập mã cán bộ dạng CB-000012",
                        "Enter an officer ID like CB-000012",
                    )
                    .into(),
                ));
                None
            }
        };
        let submission = match self.kind {
            FormKind::WantedStatus => {
                need("note", &mut errors);
                let status = WantedStatus::parse(self.value("status"));
                (errors.is_empty())
                    .then_some(())
                    .and(status.zip(officer))
                    .map(|(status, by)| Submission::WantedStatus {
                        id: self.target,
                        status,
                        note: self.value("note").to_string(),
                        by,
                        at: Instant::UNIX_EPOCH, // set by the shell to the moment of saving
                    })
            }
            FormKind::Sighting => {
                need("place", &mut errors);
                let at = parse_instant(self.value("at"));
                if at.is_none() {
                    errors.push((self.index("at"), lang.date_time_hint().into()));
                }
                (errors.is_empty())
                    .then_some(())
                    .and(at.zip(officer))
                    .map(|(at, officer_id)| {
                        Submission::Sighting(Sighting {
                            id: RecordId::new(Kind::Sighting, 0),
                            entry_id: self.target,
                            at,
                            place: self.value("place").to_string(),
                            officer_id,
                            note: self.value("note").to_string(),
                        })
                    })
            }
            FormKind::HitOutcome => self.hit_step(officer, lang, &mut errors),
            FormKind::Handover => {
                need("text", &mut errors);
                let mut time = |key: &str| {
                    let t = parse_instant(self.value(key));
                    if t.is_none() {
                        errors.push((self.index(key), lang.date_time_hint().into()));
                    }
                    t
                };
                let (start, end) = (time("shift_start"), time("shift_end"));
                match (start, end, officer) {
                    (Some(start), Some(end), Some(officer)) if errors.is_empty() => {
                        Some(Submission::SignHandover {
                            shift: crate::domain::shifts::ShiftWindow { start, end },
                            officer,
                            text: self.value("text").to_string(),
                        })
                    }
                    _ => None,
                }
            }
            FormKind::HandoverAck => officer.map(|officer| Submission::AcknowledgeHandover {
                id: self.target,
                officer,
                remarks: self.value("remarks").to_string(),
            }),
            FormKind::NewTip => self.new_tip_submission(officer, lang, &mut errors),
            FormKind::TipStep => self.tip_step(officer, lang, &mut errors),
            FormKind::NewCase => self.new_case_submission(officer, lang, &mut errors),
            FormKind::CaseStep => self.case_step_submission(officer),
            FormKind::RosterAdd | FormKind::RosterMove | FormKind::RosterSwap => {
                self.roster_submission(officer, lang, &mut errors)
            }
            FormKind::Inspection => {
                let date: Option<NaiveDate> = parse_date(self.value("date"));
                if date.is_none() {
                    errors.push((self.index("date"), lang.date_hint().into()));
                }
                let items: Vec<CheckItem> = self
                    .fields
                    .iter()
                    .filter(|f| !f.choices.is_empty())
                    .filter_map(|f| {
                        CheckResult::parse(&f.value).map(|result| CheckItem {
                            item: f.key.clone(),
                            result,
                        })
                    })
                    .collect();
                let violations: Vec<String> = self
                    .value("violations")
                    .split(';')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
                    .collect();
                if items.iter().any(|i| i.result == CheckResult::Fail) && violations.is_empty() {
                    errors.push((
                        self.index("violations"),
                        lang.pick(
                            "Có mục không đạt: ghi vi phạm",
                            "An item failed: write the violation",
                        )
                        .into(),
                    ));
                }
                (errors.is_empty())
                    .then_some(())
                    .and(date.zip(officer))
                    .map(|(date, officer_id)| {
                        Submission::Inspection(Inspection {
                            id: RecordId::new(Kind::Inspection, 0),
                            establishment_id: self.target,
                            date,
                            officer_id,
                            items,
                            violations,
                            note: self.value("note").to_string(),
                        })
                    })
            }
        };
        match submission {
            Some(s) if errors.is_empty() => Ok(s),
            _ => Err(errors),
        }
    }

    /// An optional officer ID field; an error if something else is typed.
    fn optional_officer(
        &self,
        key: &str,
        lang: Lang,
        errors: &mut Vec<(usize, String)>,
    ) -> Option<RecordId> {
        let hint = (
            "Nhập mã cán bộ dạng CB-000012, hoặc để trống",
            "Enter an officer ID like CB-000012, or leave it empty",
        );
        self.optional_id(key, &[Kind::Officer], hint, lang, errors)
            .flatten()
    }

    /// An optional ID field whose kind is one of `kinds`.
    pub(super) fn optional_id(
        &self,
        key: &str,
        kinds: &[Kind],
        hint: (&str, &str),
        lang: Lang,
        errors: &mut Vec<(usize, String)>,
    ) -> Option<Option<RecordId>> {
        let typed = self.value(key).trim();
        if typed.is_empty() {
            return Some(None);
        }
        match typed.parse::<RecordId>() {
            Ok(id) if kinds.contains(&id.kind()) => Some(Some(id)),
            _ => {
                errors.push((self.index(key), lang.pick_owned(hint.0, hint.1)));
                None
            }
        }
    }

    /// A new tip; the informant, if a name is given, readable by the officer who took the
    /// tip and the verifier. The deadline is set by the service from `[tips]`.
    fn new_tip_submission(
        &self,
        officer: Option<RecordId>,
        lang: Lang,
        errors: &mut Vec<(usize, String)>,
    ) -> Option<Submission> {
        for key in ["content", "place"] {
            if self.value(key).is_empty() {
                errors.push((self.index(key), lang.pick("Cần nhập", "Required").into()));
            }
        }
        let received_at = parse_instant(self.value("received_at"));
        if received_at.is_none() {
            errors.push((self.index("received_at"), lang.date_time_hint().into()));
        }
        let verifier = self.optional_officer("verifier", lang, errors);
        let channel = TipChannel::parse(self.value("channel"));
        let (received_at, taken_by) = received_at.zip(officer)?;
        let informant = (!self.value("informant_name").is_empty()).then(|| {
            let mut officers = vec![taken_by];
            officers.extend(verifier.filter(|v| *v != taken_by));
            Informant {
                name: self.value("informant_name").to_string(),
                contact: self.value("informant_contact").to_string(),
                note: String::new(),
                officers,
            }
        });
        Some(Submission::Tip {
            tip: Tip {
                id: RecordId::new(Kind::Tip, 0),
                received_at,
                channel: channel?,
                content: self.value("content").to_string(),
                place: self.value("place").to_string(),
                taken_by,
                verifier,
                status: TipStatus::Received,
                first_deadline: received_at, // set by the service from the `[tips]` rules
                extensions: Vec::new(),
                settled_at: None,
            },
            informant,
        })
    }

    /// A tip's new status, verifier, and an extension when a new deadline is typed (which
    /// then needs a reason).
    fn tip_step(
        &self,
        officer: Option<RecordId>,
        lang: Lang,
        errors: &mut Vec<(usize, String)>,
    ) -> Option<Submission> {
        let verifier = self.optional_officer("verifier", lang, errors);
        let typed = self.value("new_deadline");
        let new_deadline = if typed.is_empty() {
            None
        } else {
            let parsed = parse_instant(typed);
            if parsed.is_none() {
                errors.push((self.index("new_deadline"), lang.date_time_hint().into()));
            }
            parsed
        };
        if new_deadline.is_some() && self.value("reason").is_empty() {
            errors.push((
                self.index("reason"),
                lang.pick("Gia hạn cần lý do", "An extension needs a reason")
                    .into(),
            ));
        }
        let status = TipStatus::parse(self.value("status"))?;
        let officer = officer?;
        Some(Submission::TipStep {
            id: self.target,
            step: TipStep {
                status,
                verifier,
                extension: new_deadline.map(|new_deadline| TipExtension {
                    at: Instant::UNIX_EPOCH, // set by the shell to the moment of saving
                    officer_id: officer,
                    new_deadline,
                    reason: self.value("reason").to_string(),
                }),
            },
            officer,
        })
    }

    /// A hit's outcome: `confirmed` needs who at the issuing agency confirmed, and when.
    fn hit_step(
        &self,
        officer: Option<RecordId>,
        lang: Lang,
        errors: &mut Vec<(usize, String)>,
    ) -> Option<Submission> {
        let outcome = HitOutcome::parse(self.value("outcome"));
        let confirmed = outcome == Some(HitOutcome::Confirmed);
        if confirmed && self.value("confirmed_by").is_empty() {
            errors.push((
                self.index("confirmed_by"),
                lang.pick(
                    "Chỉ xác nhận khi cơ quan ra quyết định đã xác nhận: ghi tên, chức vụ, đơn vị",
                    "Confirm only on the issuing agency's word: name, position, unit",
                )
                .into(),
            ));
        }
        let confirmed_at = parse_instant(self.value("confirmed_at"));
        if confirmed && confirmed_at.is_none() {
            errors.push((self.index("confirmed_at"), lang.date_time_hint().into()));
        }
        if outcome.is_some_and(HitOutcome::needs_reason) && self.value("note").trim().is_empty() {
            errors.push((
                self.index("note"),
                lang.pick(
                    "Ghi lý do: điểm nào không khớp",
                    "Give the reason: what did not match",
                )
                .into(),
            ));
        }
        let (outcome, officer_id) = outcome.zip(officer)?;
        Some(Submission::HitStep {
            id: self.target,
            step: HitStep {
                at: Instant::UNIX_EPOCH, // set by the shell to the moment of saving
                officer_id,
                outcome,
                confirmed_by: confirmed.then(|| self.value("confirmed_by").to_string()),
                confirmed_at: if confirmed { confirmed_at } else { None },
                note: self.value("note").to_string(),
            },
        })
    }
}
