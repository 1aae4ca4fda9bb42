//! Tips (tin báo) and the duty log behind the service: deadlines from the `[tips]` rules,
//! extensions only appended, the informant written apart (restricted tree) and read only by
//! the officers named on it, and duty-log entries never rewritten. The `DeskApi for
//! LocalDesk` impl calls these in one line each.

use chrono::SubsecRound;

use crate::domain::text::{describe_char, find_hostile_multiline, nfc};
use crate::domain::{Informant, Instant, Kind, Record, RecordId, Tip};

use super::{LocalDesk, Result, ServiceError};
use crate::domain::rules::Refusal;

pub use crate::domain::tips::TipStep;

fn refuse_hostile(field: &str, text: &str) -> Result<()> {
    match find_hostile_multiline(text) {
        Some((at, c)) => {
            let (c, at) = (describe_char(c), at + 1);
            Err(ServiceError::invalid(
                format!("{field} của người báo tin chứa {c} ở ký tự thứ {at} (xoá ký tự đó)"),
                format!("the informant's {field} contains {c} at character {at} (remove it)"),
            ))
        }
        None => Ok(()),
    }
}

fn clean_informant(informant: Informant) -> Result<Informant> {
    refuse_hostile("name", &informant.name)?;
    refuse_hostile("contact", &informant.contact)?;
    refuse_hostile("note", &informant.note)?;
    if informant.name.trim().is_empty() {
        return Err(ServiceError::invalid(
            "người báo tin chưa có tên (tin báo nặc danh thì bỏ trống phần người báo tin)",
            "the informant has no name (leave the informant out for an anonymous tip)",
        ));
    }
    if informant.officers.is_empty() {
        return Err(ServiceError::invalid(
            "ghi ít nhất một cán bộ được xem người báo tin",
            "name at least one officer who may read the informant",
        ));
    }
    if let Some(o) = informant
        .officers
        .iter()
        .find(|o| o.kind() != Kind::Officer)
    {
        return Err(ServiceError::invalid(
            format!("{o} không phải cán bộ: chỉ cán bộ được ghi tên xem người báo tin"),
            format!("{o} is not an officer: only officers may be named on an informant"),
        ));
    }
    Ok(Informant {
        name: nfc(informant.name.trim()),
        contact: nfc(informant.contact.trim()),
        note: nfc(informant.note.trim()),
        officers: informant.officers,
    })
}

impl LocalDesk {
    /// Refuses what would rewrite history: a duty-log entry saved again (a correction is a
    /// new entry), a correction pointing at something other than a log entry, and a tip
    /// that drops or changes an extension. `same_ok`: an identical copy passes (an import
    /// of an export).
    pub(super) fn refuse_rewrite(&self, record: &Record, same_ok: bool) -> Result<()> {
        match record {
            Record::DutyLog(entry) => {
                if let Some(old) = entry.corrects
                    && old.kind() != Kind::DutyLog
                {
                    return Err(ServiceError::invalid(
                        format!(
                            "{}: corrects ghi {old}, không phải một mục nhật ký trực",
                            entry.id
                        ),
                        format!(
                            "{}: corrects names {old}, which is not a duty-log entry",
                            entry.id
                        ),
                    ));
                }
                match self.store().get(entry.id)? {
                    Some(old) if !(same_ok && &old == record) => {
                        Err(ServiceError::Rule(Refusal::LogRewritten { id: entry.id }))
                    }
                    _ => Ok(()),
                }
            }
            Record::Tip(tip) => match self.store().get(tip.id)? {
                Some(Record::Tip(old)) if !tip.keeps_extensions_of(&old) => {
                    Err(ServiceError::Rule(Refusal::HistoryChanged {
                        id: tip.id,
                        what: "the deadline set at receipt and the extensions".into(),
                    }))
                }
                _ => Ok(()),
            },
            _ => Ok(()),
        }
    }

    pub(super) fn save_tip_now(&self, tip: Tip, informant: Option<Informant>) -> Result<RecordId> {
        let mut tip = tip;
        if tip.id.kind() != Kind::Tip {
            return Err(ServiceError::invalid(
                format!("{} không phải tin báo", tip.id),
                format!("{} is not a tip", tip.id),
            ));
        }
        tip.content = nfc(tip.content.trim());
        tip.place = nfc(tip.place.trim());
        if tip.content.is_empty() {
            return Err(ServiceError::invalid(
                "tin báo cần có nội dung được báo",
                "a tip needs what was reported",
            ));
        }
        if tip.id.num() == 0 {
            tip.taken_by = self.officer_or_acting(tip.taken_by);
            tip.received_at = tip.received_at.trunc_subsecs(0);
            tip.first_deadline = self.tip_rules().deadline_for(tip.received_at);
            tip.id = RecordId::new(Kind::Tip, self.store().reserve_ids(Kind::Tip, 1)?);
        }
        // An extension is a step of its own (a reason, the law's limit, who and when,
        // filled from the session): saving the tip only carries the ones already there.
        let old = match self.store().get(tip.id)? {
            Some(Record::Tip(old)) => Some(old),
            _ => None,
        };
        let stored = old.as_ref().map_or(&[][..], |o| o.extensions.as_slice());
        if tip.extensions != stored {
            return Err(ServiceError::Rule(Refusal::UseRequest {
                id: tip.id,
                request: "tip_step".into(),
            }));
        }
        tip.settle(old.as_ref(), self.now());
        let informant = informant.map(clean_informant).transpose()?;
        let record = Record::Tip(tip);
        super::local::refuse_hostile_text(&record)?;
        self.refuse_rewrite(&record, false)?;
        let id = record.id();
        // Replacing an informant needs the right to read the one there; the audit keeps
        // the hashes of both, never who they are.
        let mut detail = None;
        if let Some(new) = &informant
            && let Some(old) = self.store().informant(id)?
        {
            if let Some(me) = self.acting_officer()
                && !old.readable_by(me)
            {
                return Err(ServiceError::refused(
                    format!(
                        "người báo tin của {id} là thông tin hạn chế: chỉ các cán bộ có tên được thay"
                    ),
                    format!(
                        "the informant of {id} is restricted: only the officers named on it may replace it"
                    ),
                ));
            }
            detail = Some(super::access::replacement_detail(&old, new));
        }
        self.write_detailed(
            crate::store::Write {
                records: std::slice::from_ref(&record),
                informant: informant.as_ref().map(|i| (id, i)),
                ..Default::default()
            },
            detail,
        )?;
        self.after_write();
        Ok(id)
    }

    pub(super) fn tip_step_now(&self, id: RecordId, step: TipStep) -> Result<Record> {
        let Some(Record::Tip(mut tip)) = self.store().get(id)? else {
            return Err(ServiceError::NotFound(id));
        };
        let old = tip.clone();
        if let Some(mut extension) = step.extension {
            extension.reason = nfc(extension.reason.trim());
            (extension.officer_id, extension.at) =
                self.who_and_when(extension.officer_id, extension.at);
            tip.extend(extension).map_err(|refused| {
                ServiceError::Rule(crate::domain::rules::tip_extension_refused(id, refused))
            })?;
        }
        tip.status = step.status;
        tip.verifier = step.verifier.or(tip.verifier);
        tip.settle(Some(&old), self.now());
        let record = Record::Tip(tip);
        super::local::refuse_hostile_text(&record)?;
        self.refuse_rewrite(&record, false)?;
        self.write_records(std::slice::from_ref(&record))?;
        self.after_write();
        Ok(record)
    }

    pub(super) fn informant_for(&self, tip: RecordId, reader: RecordId) -> Result<Informant> {
        let reader = self
            .as_acting(Some(reader), tip, "reader")?
            .unwrap_or(reader);
        // One answer for "none recorded" and "not yours": the refusal tells nothing.
        let refused = || {
            ServiceError::refused(
                format!("người báo tin của {tip} là thông tin hạn chế: {reader} không có tên"),
                format!("the informant of {tip} is restricted: {reader} is not named on it"),
            )
        };
        match self.store().informant(tip)? {
            Some(informant) if informant.readable_by(reader) => Ok(informant),
            _ => Err(refused()),
        }
    }

    /// Open tips past their deadline at `at`, the longest overdue first.
    pub(super) fn tips_overdue_at(&self, at: Instant) -> Result<Vec<Tip>> {
        let open = self.store().lookup(&crate::store::Lookup::OpenTips)?;
        let mut tips: Vec<Tip> = open
            .into_iter()
            .filter_map(|r| match r {
                Record::Tip(t) if t.is_overdue(at) => Some(t),
                _ => None,
            })
            .collect();
        tips.sort_by_key(|t| (t.deadline(), t.id));
        Ok(tips)
    }

    /// The open hits' and open tips' deadlines (see [`crate::domain::duty`]).
    pub(super) fn duty_status_at(&self, at: Instant) -> Result<crate::domain::duty::DutyStatus> {
        let (hits, tips) = self.open_work(at)?;
        Ok(crate::domain::duty::DutyStatus::of(&hits, &tips))
    }

    /// Tips received in `[from, to)`, in order of receipt.
    pub(super) fn tips_received_in(&self, from: Instant, to: Instant) -> Result<Vec<Tip>> {
        let lookup = crate::store::Lookup::Happened {
            kind: Kind::Tip,
            from,
            to,
        };
        let mut tips: Vec<Tip> = (self.store().lookup(&lookup)?.into_iter())
            .filter_map(|r| match r {
                Record::Tip(t) => Some(t),
                _ => None,
            })
            .collect();
        tips.sort_by_key(|t| (t.received_at, t.id));
        Ok(tips)
    }
}
