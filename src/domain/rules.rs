//! What a write may change: the rules that live with the record, whichever request writes
//! it (`save`, an import, a dedicated step, the sample loader). The store runs
//! [`check_change`] inside the write's own transaction, against the version it is about to
//! replace, so two officers writing at once cannot slip a change past it.
//!
//! - A duty-log entry is never rewritten (a correction is a new entry).
//! - A hit's steps, a tip's extensions and a wanted notice's status history are only ever
//!   added to; what a step says and who signed it never changes; a closed hit takes no step.
//! - A confirmed hit names who at the issuing agency confirmed, and when.
//! - A tip's extension has a reason, moves the deadline later and no further than the law
//!   allows ([`TIP_DEADLINE_LIMIT_MONTHS`] from receipt).
//! - A case's status history is only added to, along the allowed changes (see
//!   [`super::cases`]); its charge is one the table of penalty brackets knows; its source is a
//!   tip, a duty-log entry or a hit, its group a group.
//! - An acknowledged handover never changes; the incoming officer is not the outgoing one.
//! - Who acted — the author of a log entry, the officer of a step, a sighting or an
//!   inspection, the signer and the acknowledger of a handover — is the acting officer for
//!   whatever a write adds, and never changes afterwards.
//!
//! Pure: the caller says who is acting ([`Acting`]).

use serde::{Deserialize, Serialize};

use super::hits::{Hit, StepRefused};
use super::ids::RecordId;
use super::record::Record;
use super::time::Instant;
use super::tips::{Tip, TipRefused};
use crate::i18n::Lang;

/// The latest deadline a tip may have, counted from its receipt: 20 days to verify, up to
/// 2 months for a complex case, extended once by up to 2 more (Bộ luật Tố tụng hình sự 2015,
/// art. 147).
pub const TIP_DEADLINE_LIMIT_MONTHS: u32 = 4;

/// Who writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Acting {
    /// The officer of the session; `None` for the store's owner without an account, the
    /// sample loader and tests, whose writes are checked for everything but the signer.
    pub officer: Option<RecordId>,
    /// An import creates records with the history its file carries (signed by whoever
    /// signed it then); what it adds to a stored record is held to the same rules as any
    /// other write.
    pub import: bool,
}

/// Why a write was refused. Crosses the daemon's socket as it is, so the console says it in
/// the officer's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Refusal {
    #[error(
        "{id} is a duty-log entry and is never rewritten: write a correction (a new entry that corrects {id})"
    )]
    LogRewritten { id: RecordId },
    #[error("{id} is closed ({what}) and cannot change")]
    Closed { id: RecordId, what: String },
    #[error("{id}: {what} are only ever added to; one was changed or removed")]
    HistoryChanged { id: RecordId, what: String },
    #[error("{id}: {field} names {given}, but the officer acting is {acting}")]
    NotTheActingOfficer {
        id: RecordId,
        field: String,
        given: RecordId,
        acting: RecordId,
    },
    #[error("{id}: {field} is set when the record is made and never changes")]
    FixedField { id: RecordId, field: String },
    #[error("{id}: {reason}")]
    Step { id: RecordId, reason: StepReason },
    #[error("{id}: the extension moves the deadline to {}, later than the law allows ({}, {TIP_DEADLINE_LIMIT_MONTHS} months from receipt)", Lang::En.date_time(*asked), Lang::En.date_time(*limit))]
    BeyondTheLaw {
        id: RecordId,
        asked: Instant,
        limit: Instant,
    },
    #[error("{id}: the officer who hands over cannot also take over ({officer})")]
    SelfAcknowledged { id: RecordId, officer: RecordId },
    #[error("{id}: records of this kind are written by {request}, not by save")]
    UseRequest { id: RecordId, request: String },
}

impl Refusal {
    pub fn label(&self, lang: Lang) -> String {
        if lang == Lang::En {
            let text = self.to_string();
            return format!("Not saved: {text}");
        }
        let text = match self {
            Refusal::LogRewritten { id } => format!(
                "{id} là mục nhật ký, không bao giờ được sửa: ghi một mục đính chính (mục mới đính chính cho {id})"
            ),
            Refusal::Closed { id, what } => {
                format!("{id} đã kết thúc ({what}), không thay đổi được")
            }
            Refusal::HistoryChanged { id, what } => {
                format!("{id}: {what} chỉ được ghi thêm; có mục đã bị sửa hoặc xoá")
            }
            Refusal::NotTheActingOfficer {
                id,
                field,
                given,
                acting,
            } => format!("{id}: {field} ghi {given}, nhưng cán bộ đang làm việc là {acting}"),
            Refusal::FixedField { id, field } => {
                format!("{id}: {field} được ghi khi tạo hồ sơ và không bao giờ thay đổi")
            }
            Refusal::Step { id, reason } => format!("{id}: {}", reason.label(lang)),
            Refusal::BeyondTheLaw { id, asked, limit } => format!(
                "{id}: gia hạn đến {}, quá thời hạn luật cho phép ({}, {TIP_DEADLINE_LIMIT_MONTHS} tháng kể từ khi tiếp nhận)",
                lang.date_time(*asked),
                lang.date_time(*limit)
            ),
            Refusal::SelfAcknowledged { id, officer } => {
                format!("{id}: người giao ca không thể tự nhận ca ({officer})")
            }
            Refusal::UseRequest { id, request } => {
                format!("{id}: loại hồ sơ này được ghi bằng {request}, không bằng lệnh lưu")
            }
        };
        format!("Chưa lưu: {text}")
    }
}

/// Why a step — a hit's, a tip's extension, a handover's acknowledgement — cannot be added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum StepReason {
    #[error(
        "a hit is confirmed only with the issuing agency's confirmation: give who confirmed and when"
    )]
    ConfirmationMissing,
    #[error("the agency's confirmation cannot be later than the step that records it")]
    ConfirmedInTheFuture,
    #[error("the tip is {} and its deadline no longer runs: nothing to extend", status.code())]
    TipNotOpen { status: super::tips::TipStatus },
    #[error(
        "the new deadline {} is not after the deadline in force {} (an extension moves it later)",
        Lang::En.date_time(*asked),
        Lang::En.date_time(*current)
    )]
    NotLater { current: Instant, asked: Instant },
    #[error("an extension needs a reason")]
    NoReason,
    #[error("a handover is acknowledged only once it is signed")]
    Unsigned,
    #[error("'not the person' needs the reason in the note (what did not match)")]
    NotThePersonWithoutReason,
    #[error("a case {} cannot become {}", from.code(), to.code())]
    CaseNotFrom {
        from: super::cases::CaseStatus,
        to: super::cases::CaseStatus,
    },
    #[error("a change of a case's status cannot be dated before the one before it")]
    CaseBeforeLast,
    #[error("{}", super::offences::Charge { article: *article, clause: *clause }.unknown_said(Lang::En))]
    UnknownCharge { article: u16, clause: u8 },
    #[error("{field} names {given}, which is not {expected}")]
    WrongKind {
        field: String,
        given: RecordId,
        expected: String,
    },
}

impl StepReason {
    pub fn label(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            StepReason::ConfirmationMissing => {
                "chỉ xác nhận khi cơ quan ra quyết định đã xác nhận: ghi rõ ai xác nhận và lúc nào"
                    .into()
            }
            StepReason::ConfirmedInTheFuture => {
                "thời điểm cơ quan xác nhận không thể sau lúc ghi".into()
            }
            StepReason::TipNotOpen { status } => format!(
                "tin báo {} và thời hạn không còn tính: không có gì để gia hạn",
                status.label(lang)
            ),
            StepReason::NotLater { current, asked } => format!(
                "hạn mới {} không sau hạn đang áp dụng {} (gia hạn phải lùi hạn về sau)",
                lang.date_time(*asked),
                lang.date_time(*current)
            ),
            StepReason::NoReason => "gia hạn phải có lý do".into(),
            StepReason::Unsigned => "chỉ nhận ca khi biên bản giao ca đã được ký".into(),
            StepReason::NotThePersonWithoutReason => {
                "\"không phải đối tượng\" phải ghi lý do ở ghi chú (điểm nào không khớp)".into()
            }
            StepReason::CaseNotFrom { from, to } => format!(
                "vụ án {} không thể chuyển sang {}",
                from.label(lang),
                to.label(lang)
            ),
            StepReason::CaseBeforeLast => {
                "lần chuyển tình trạng không thể ghi ngày trước lần trước đó".into()
            }
            StepReason::UnknownCharge { article, clause } => super::offences::Charge {
                article: *article,
                clause: *clause,
            }
            .unknown_said(lang),
            StepReason::WrongKind {
                field,
                given,
                expected,
            } => format!("{field} ghi {given}, không phải {expected}"),
        }
    }
}

/// A hit's step refused, as a refusal of the hit.
pub fn hit_step_refused(id: RecordId, e: StepRefused) -> Refusal {
    match e {
        StepRefused::Closed { outcome, .. } => Refusal::Closed {
            id,
            what: outcome.into(),
        },
        StepRefused::ConfirmationMissing => Refusal::Step {
            id,
            reason: StepReason::ConfirmationMissing,
        },
        StepRefused::ConfirmedInTheFuture => Refusal::Step {
            id,
            reason: StepReason::ConfirmedInTheFuture,
        },
        StepRefused::NoReason => Refusal::Step {
            id,
            reason: StepReason::NotThePersonWithoutReason,
        },
    }
}

/// A tip's extension refused, as a refusal of the tip.
pub fn tip_extension_refused(id: RecordId, e: TipRefused) -> Refusal {
    let reason = match e {
        TipRefused::NotOpen(status) => StepReason::TipNotOpen { status },
        TipRefused::NotLater { current, asked } => StepReason::NotLater { current, asked },
        TipRefused::NoReason => StepReason::NoReason,
    };
    Refusal::Step { id, reason }
}

/// Checks `new` against the version it replaces (`old`, none for a new record).
pub fn check_change(old: Option<&Record>, new: &Record, acting: &Acting) -> Result<(), Refusal> {
    let id = new.id();
    match (old, new) {
        (Some(Record::DutyLog(old)), Record::DutyLog(new)) if old != new => {
            Err(Refusal::LogRewritten { id })
        }
        (None, Record::DutyLog(entry)) => signed(acting, id, "officer_id", entry.officer_id),
        (old, Record::Hit(new)) => hit(
            old_as(old, |r| match r {
                Record::Hit(h) => Some(h),
                _ => None,
            }),
            new,
            acting,
        ),
        (old, Record::Tip(new)) => tip(
            old_as(old, |r| match r {
                Record::Tip(t) => Some(t),
                _ => None,
            }),
            new,
            acting,
        ),
        (old, Record::Case(new)) => cases::case(
            old_as(old, |r| match r {
                Record::Case(c) => Some(c),
                _ => None,
            }),
            new,
            acting,
        ),
        (old, Record::Handover(new)) => handover(
            old_as(old, |r| match r {
                Record::Handover(h) => Some(h),
                _ => None,
            }),
            new,
            acting,
        ),
        (old, Record::Wanted(new)) => {
            let before = old_as(old, |r| match r {
                Record::Wanted(w) => Some(&w.history),
                _ => None,
            });
            let before: &[_] = before.map_or(&[], |h| h.as_slice());
            if !new.history.starts_with(before) {
                return Err(Refusal::HistoryChanged {
                    id,
                    what: "status changes".into(),
                });
            }
            for change in &new.history[before.len()..] {
                if let Some(by) = change.by {
                    signed_added(acting, old.is_some(), id, "history.by", by)?;
                }
            }
            Ok(())
        }
        (Some(Record::Sighting(old)), Record::Sighting(new)) => {
            fixed(id, "officer_id", old.officer_id == new.officer_id)
        }
        (None, Record::Sighting(s)) => signed(acting, id, "officer_id", s.officer_id),
        (Some(Record::Inspection(old)), Record::Inspection(new)) => {
            fixed(id, "officer_id", old.officer_id == new.officer_id)
        }
        (None, Record::Inspection(i)) => signed(acting, id, "officer_id", i.officer_id),
        (Some(Record::WatchEntry(old)), Record::WatchEntry(new)) => fixed(
            id,
            "added_by, added_at",
            old.added_by == new.added_by && old.added_at == new.added_at,
        ),
        (None, Record::WatchEntry(e)) => signed(acting, id, "added_by", e.added_by),
        _ => Ok(()),
    }
}

mod cases;

fn old_as<'a, T: ?Sized>(
    old: Option<&'a Record>,
    pick: impl Fn(&'a Record) -> Option<&'a T>,
) -> Option<&'a T> {
    old.and_then(pick)
}

pub(super) fn fixed(id: RecordId, field: &str, same: bool) -> Result<(), Refusal> {
    match same {
        true => Ok(()),
        false => Err(Refusal::FixedField {
            id,
            field: field.into(),
        }),
    }
}

/// A new record's "who acted": the acting officer's (an import brings its own history).
pub(super) fn signed(
    acting: &Acting,
    id: RecordId,
    field: &str,
    given: RecordId,
) -> Result<(), Refusal> {
    if acting.import {
        return Ok(());
    }
    signed_added(acting, true, id, field, given)
}

/// Something added to a record: signed by the acting officer. `to_stored` is false when the
/// whole record is new (an import's new records keep the signers of their file).
pub(super) fn signed_added(
    acting: &Acting,
    to_stored: bool,
    id: RecordId,
    field: &str,
    given: RecordId,
) -> Result<(), Refusal> {
    match acting.officer {
        Some(me) if given != me && (to_stored || !acting.import) => {
            Err(Refusal::NotTheActingOfficer {
                id,
                field: field.into(),
                given,
                acting: me,
            })
        }
        _ => Ok(()),
    }
}

fn hit(old: Option<&Hit>, new: &Hit, acting: &Acting) -> Result<(), Refusal> {
    let id = new.id;
    let mut replay = match old {
        Some(old) => {
            let mut same = new.clone();
            same.steps.clone_from(&old.steps);
            if &same != old {
                return Err(Refusal::FixedField {
                    id,
                    field: "what screening found (guest, listed person, score, deadline)".into(),
                });
            }
            if !new.steps.starts_with(&old.steps) {
                return Err(Refusal::HistoryChanged {
                    id,
                    what: "steps".into(),
                });
            }
            old.clone()
        }
        None => Hit {
            steps: Vec::new(),
            ..new.clone()
        },
    };
    let added = &new.steps[replay.steps.len()..];
    for step in added {
        signed_added(
            acting,
            old.is_some(),
            id,
            "step officer_id",
            step.officer_id,
        )?;
        replay
            .add_step(step.clone())
            .map_err(|e| hit_step_refused(id, e))?;
    }
    Ok(())
}

fn tip(old: Option<&Tip>, new: &Tip, acting: &Acting) -> Result<(), Refusal> {
    let id = new.id;
    let limit = tip_limit(new);
    let mut replay = match old {
        Some(old) => {
            if old.received_at != new.received_at
                || old.first_deadline != new.first_deadline
                || old.taken_by != new.taken_by
            {
                return Err(Refusal::FixedField {
                    id,
                    field: "received_at, first_deadline, taken_by".into(),
                });
            }
            if !new.extensions.starts_with(&old.extensions) {
                return Err(Refusal::HistoryChanged {
                    id,
                    what: "deadline extensions".into(),
                });
            }
            old.clone()
        }
        None => {
            signed(acting, id, "taken_by", new.taken_by)?;
            if new.first_deadline > limit {
                return Err(Refusal::BeyondTheLaw {
                    id,
                    asked: new.first_deadline,
                    limit,
                });
            }
            Tip {
                extensions: Vec::new(),
                ..new.clone()
            }
        }
    };
    for extension in &new.extensions[replay.extensions.len()..] {
        signed_added(
            acting,
            old.is_some(),
            id,
            "extension officer_id",
            extension.officer_id,
        )?;
        if extension.new_deadline > limit {
            return Err(Refusal::BeyondTheLaw {
                id,
                asked: extension.new_deadline,
                limit,
            });
        }
        replay
            .extend(extension.clone())
            .map_err(|e| tip_extension_refused(id, e))?;
    }
    Ok(())
}

/// The latest deadline `tip` may reach.
pub fn tip_limit(tip: &Tip) -> Instant {
    tip.received_at
        .checked_add_months(chrono::Months::new(TIP_DEADLINE_LIMIT_MONTHS))
        .unwrap_or(tip.received_at)
}

fn handover(
    old: Option<&super::dutylog::Handover>,
    new: &super::dutylog::Handover,
    acting: &Acting,
) -> Result<(), Refusal> {
    let id = new.id;
    if let Some(old) = old {
        if old.is_closed() && old != new {
            return Err(Refusal::Closed {
                id,
                what: "acknowledged".into(),
            });
        }
        if old.signed_at.is_some() && old.from_officer != new.from_officer {
            return Err(Refusal::FixedField {
                id,
                field: "from_officer".into(),
            });
        }
    }
    let stored = old.is_some();
    let signature_changed = old.is_none_or(|o| o.text != new.text || o.signed_at != new.signed_at);
    if new.signed_at.is_some() && signature_changed {
        signed_added(acting, stored, id, "from_officer", new.from_officer)?;
    }
    if let Some(ack) = &new.acknowledged {
        if ack.officer == new.from_officer {
            return Err(Refusal::SelfAcknowledged {
                id,
                officer: ack.officer,
            });
        }
        if old.is_none_or(|o| o.acknowledged.is_none()) {
            signed_added(acting, stored, id, "acknowledged.officer", ack.officer)?;
            if new.signed_at.is_none() {
                return Err(Refusal::Step {
                    id,
                    reason: StepReason::Unsigned,
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
