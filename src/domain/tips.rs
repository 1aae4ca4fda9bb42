//! Tips and denunciations (tin báo, tố giác về tội phạm): what the desk was told, by which
//! channel, who took it, who verifies it, and the verification deadline — 20 days from
//! receipt by default (Criminal Procedure Code 2015, art. 147(1)), configurable in `[tips]`.
//! A deadline is moved only by an extension, which is appended to the tip and never removed,
//! so the history of every extension (new deadline, reason, officer, time) stays readable.
//!
//! The informant's identity is not here: it is restricted (absolute secrecy for those who
//! report crime) and lives apart from the tip, see [`Informant`]. Pure: no store, no clock.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::codes::code_enum;
use super::ids::RecordId;
use super::time::Instant;

code_enum!(TipChannel {
    Phone = "phone", "điện thoại", "phone";
    InPerson = "in_person", "trực tiếp", "in person";
    OtherUnit = "other_unit", "đơn vị khác chuyển", "another unit";
    Letter = "letter", "đơn thư", "letter";
    Online = "online", "trực tuyến", "online";
    Other = "other", "khác", "other";
});

code_enum!(TipStatus {
    Received = "received", "mới tiếp nhận", "received";
    Verifying = "verifying", "đang xác minh", "verifying";
    Passed = "passed", "đã chuyển CQĐT", "passed on";
    Closed = "closed", "đã kết thúc", "closed";
});

impl TipStatus {
    /// Received or being verified: the deadline still runs.
    pub fn is_open(self) -> bool {
        matches!(self, TipStatus::Received | TipStatus::Verifying)
    }
}

/// One extension of the verification deadline. Appended, never removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TipExtension {
    /// When the extension was recorded.
    pub at: Instant,
    pub officer_id: RecordId,
    pub new_deadline: Instant,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tip {
    pub id: RecordId,
    pub received_at: Instant,
    pub channel: TipChannel,
    /// What was reported.
    pub content: String,
    /// Where it happened (or is said to).
    pub place: String,
    /// The officer who took the tip.
    pub taken_by: RecordId,
    /// The officer assigned to verify it.
    #[serde(default)]
    pub verifier: Option<RecordId>,
    pub status: TipStatus,
    /// The deadline set at receipt; extensions move it (see [`Tip::deadline`]).
    pub first_deadline: Instant,
    #[serde(default)]
    pub extensions: Vec<TipExtension>,
    /// When the tip was handled (passed on or closed): kept by the service from its clock
    /// when the status leaves "open", never taken from a client. None while open, and for
    /// a tip closed before this was kept.
    #[serde(default)]
    pub settled_at: Option<Instant>,
}

impl Tip {
    /// `settled_at` for this tip, saved over `old`, at `now`: set when the status leaves
    /// open, kept while it stays closed, cleared when the tip is opened again. The one rule
    /// for every way a tip is saved.
    pub fn settle(&mut self, old: Option<&Tip>, now: Instant) {
        let before = old.and_then(|o| o.settled_at);
        let was_open = old.is_none_or(Tip::is_open);
        self.settled_at = match (was_open, self.is_open()) {
            (_, true) => None,
            (true, false) => Some(now),
            (false, false) => before,
        };
    }

    /// The deadline in force: the last extension's, or the one set at receipt.
    pub fn deadline(&self) -> Instant {
        self.extensions
            .last()
            .map_or(self.first_deadline, |e| e.new_deadline)
    }

    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    /// Open and past its deadline at `now` (a tip due exactly now is not yet overdue).
    pub fn is_overdue(&self, now: Instant) -> bool {
        self.is_open() && super::duty::past(self.deadline(), now)
    }

    /// Moves the deadline later. Refused when the tip is no longer open, or when the new
    /// deadline is not after the one in force, or without a reason.
    pub fn extend(&mut self, extension: TipExtension) -> Result<(), TipRefused> {
        if !self.is_open() {
            return Err(TipRefused::NotOpen(self.status));
        }
        if extension.new_deadline <= self.deadline() {
            return Err(TipRefused::NotLater {
                current: self.deadline(),
                asked: extension.new_deadline,
            });
        }
        if extension.reason.trim().is_empty() {
            return Err(TipRefused::NoReason);
        }
        self.extensions.push(extension);
        Ok(())
    }

    /// Whether `self` keeps every extension of `before`, in order (only appends allowed).
    pub fn keeps_extensions_of(&self, before: &Tip) -> bool {
        self.extensions.starts_with(&before.extensions)
            && self.first_deadline == before.first_deadline
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TipRefused {
    #[error("the tip is {0} and its deadline no longer runs: nothing to extend")]
    NotOpen(TipStatus),
    #[error(
        "the new deadline {} is not after the deadline in force {} (an extension moves it later)",
        crate::i18n::Lang::En.date_time(*asked),
        crate::i18n::Lang::En.date_time(*current)
    )]
    NotLater { current: Instant, asked: Instant },
    #[error("an extension needs a reason")]
    NoReason,
}

/// The deadline rules, configurable (`[tips]` in the config file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TipRules {
    /// Days from receipt to the verification deadline (art. 147(1): 20).
    pub verify_days: u32,
}

impl Default for TipRules {
    fn default() -> Self {
        TipRules { verify_days: 20 }
    }
}

impl TipRules {
    pub fn deadline_for(&self, received_at: Instant) -> Instant {
        received_at + Duration::days(i64::from(self.verify_days))
    }

    pub fn validate(&self) -> Result<(), crate::i18n::Said> {
        if (1..=365).contains(&self.verify_days) {
            Ok(())
        } else {
            Err(crate::i18n::out_of_range(
                "verify_days",
                self.verify_days,
                (1, 365),
                ("ngày", "days"),
            ))
        }
    }
}

/// Who reported: restricted. Stored apart from the tip (never in a [`super::Record`], so no
/// export, search index, report, link or handover can reach it) and readable only by the
/// officers named here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Informant {
    pub name: String,
    /// Phone, address … how to reach them again.
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub note: String,
    /// The officers who may read this.
    pub officers: Vec<RecordId>,
}

impl Informant {
    pub fn readable_by(&self, officer: RecordId) -> bool {
        self.officers.contains(&officer)
    }
}

/// Tips open and overdue at `now` first (longest overdue first), then the other open ones
/// by deadline, then the closed ones newest first.
pub fn queue_order(a: &Tip, b: &Tip, now: Instant) -> std::cmp::Ordering {
    let rank = |t: &Tip| match (t.is_overdue(now), t.is_open()) {
        (true, _) => 0,
        (false, true) => 1,
        (false, false) => 2,
    };
    rank(a).cmp(&rank(b)).then_with(|| {
        if rank(a) == 2 {
            b.received_at.cmp(&a.received_at).then(b.id.cmp(&a.id))
        } else {
            a.deadline().cmp(&b.deadline()).then(a.id.cmp(&b.id))
        }
    })
}

/// A change to a tip from the desk: a new status, the verifying officer, and optionally an
/// extension of the deadline.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TipStep {
    pub status: TipStatus,
    pub verifier: Option<RecordId>,
    pub extension: Option<TipExtension>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::Kind;
    use crate::domain::time::parse_instant;

    fn at(text: &str) -> Instant {
        parse_instant(text).expect("time")
    }

    fn tip(received: &str) -> Tip {
        let received_at = at(received);
        Tip {
            id: RecordId::new(Kind::Tip, 1),
            received_at,
            channel: TipChannel::Phone,
            content: "vận chuyển ma túy".into(),
            place: "Ma Lù Thàng".into(),
            taken_by: RecordId::new(Kind::Officer, 1),
            verifier: None,
            status: TipStatus::Received,
            first_deadline: TipRules::default().deadline_for(received_at),
            extensions: Vec::new(),
            settled_at: None,
        }
    }

    #[test]
    fn the_deadline_is_twenty_days_after_receipt_and_overdue_after_it() {
        let t = tip("2026-11-01 09:30");
        assert_eq!(t.deadline(), at("2026-11-21 09:30"));
        assert!(!t.is_overdue(at("2026-11-21 09:30")), "due exactly now");
        assert!(t.is_overdue(at("2026-11-21 09:31")));
        let mut closed = t.clone();
        closed.status = TipStatus::Closed;
        assert!(!closed.is_overdue(at("2027-01-01 00:00")));
        let rules = TipRules { verify_days: 30 };
        assert_eq!(rules.deadline_for(t.received_at), at("2026-12-01 09:30"));
        assert!(TipRules { verify_days: 0 }.validate().is_err());
    }

    #[test]
    fn extensions_move_the_deadline_later_and_are_kept() {
        let mut t = tip("2026-11-01 09:30");
        let ext = |deadline: &str, reason: &str| TipExtension {
            at: at("2026-11-20 08:00"),
            officer_id: RecordId::new(Kind::Officer, 2),
            new_deadline: at(deadline),
            reason: reason.into(),
        };
        assert!(matches!(
            t.extend(ext("2026-11-10 00:00", "x")),
            Err(TipRefused::NotLater { .. })
        ));
        assert_eq!(
            t.extend(ext("2026-12-21 09:30", " ")),
            Err(TipRefused::NoReason)
        );
        let before = t.clone();
        t.extend(ext("2026-12-21 09:30", "nhiều tình tiết phức tạp"))
            .expect("later");
        assert_eq!(t.deadline(), at("2026-12-21 09:30"));
        assert_eq!(t.first_deadline, at("2026-11-21 09:30"));
        assert!(!t.is_overdue(at("2026-12-01 00:00")));
        assert!(t.keeps_extensions_of(&before));
        assert!(!before.keeps_extensions_of(&t), "an extension was removed");
        t.status = TipStatus::Passed;
        assert!(matches!(
            t.extend(ext("2027-01-30 00:00", "x")),
            Err(TipRefused::NotOpen(TipStatus::Passed))
        ));
    }

    #[test]
    fn overdue_tips_come_first() {
        let now = at("2026-11-25 00:00");
        let overdue = tip("2026-11-01 09:30");
        let mut open = tip("2026-11-10 09:30");
        open.id = RecordId::new(Kind::Tip, 2);
        let mut closed = tip("2026-10-01 09:30");
        closed.id = RecordId::new(Kind::Tip, 3);
        closed.status = TipStatus::Closed;
        let mut all = [closed.clone(), open.clone(), overdue.clone()];
        all.sort_by(|a, b| queue_order(a, b, now));
        assert_eq!(
            all.iter().map(|t| t.id.num()).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }
}
