//! Screening hits: a declared guest who may be a listed person (the subject of an active
//! wanted notice or watch entry). A hit is not an arrest: the issuing agency must confirm the
//! identity first, within a deadline (10 minutes for an especially dangerous person, 60
//! otherwise, after NCIC's practice — no Vietnamese rule sets one, so both are configurable).
//! Officers add steps (confirmed, not the person, escalated); steps are only ever added, so
//! the whole handling stays on record.

use serde::{Deserialize, Serialize};

use super::codes::code_enum;
use super::ids::RecordId;
use super::screening::{Band, Reason};
use super::time::Instant;

code_enum!(
    /// Which list a hit is on.
    HitList {
        Wanted = "wanted", "truy nã", "wanted";
        Watch = "watch", "lưu động", "watch";
    }
);

code_enum!(
    /// What an officer recorded about a hit.
    HitOutcome {
        Confirmed = "confirmed", "cơ quan ra QĐ xác nhận đúng", "confirmed by the issuing agency";
        NotThePerson = "not_the_person", "không phải đối tượng", "not the person";
        Escalated = "escalated", "đã báo cáo lãnh đạo", "escalated";
    }
);

impl HitOutcome {
    /// Ends the handling of the hit: no step may follow.
    pub fn is_final(self) -> bool {
        matches!(self, HitOutcome::Confirmed | HitOutcome::NotThePerson)
    }

    /// Recorded only with the reason in the note: closing a possible match on a listed
    /// person is a decision someone must be able to check later (what did not match).
    pub fn needs_reason(self) -> bool {
        self == HitOutcome::NotThePerson
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HitStep {
    pub at: Instant,
    pub officer_id: RecordId,
    pub outcome: HitOutcome,
    /// For `confirmed`: who at the issuing agency confirmed (name, position, unit).
    #[serde(default)]
    pub confirmed_by: Option<String>,
    /// For `confirmed`: when the agency confirmed.
    #[serde(default)]
    pub confirmed_at: Option<Instant>,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: RecordId,
    pub guest_stay_id: RecordId,
    pub list: HitList,
    /// The wanted notice or watch entry the guest may be the subject of.
    pub listed_id: RecordId,
    pub person_id: RecordId,
    pub score: f64,
    pub band: Band,
    pub reasons: Vec<Reason>,
    pub found_at: Instant,
    /// When the issuing agency's confirmation is due.
    pub deadline: Instant,
    /// The listed person is especially dangerous (the shorter deadline; first in the queue).
    pub especially_dangerous: bool,
    #[serde(default)]
    pub steps: Vec<HitStep>,
}

/// Why a step cannot be recorded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StepRefused {
    #[error(
        "a hit is confirmed only with the issuing agency's confirmation: give who confirmed and when"
    )]
    ConfirmationMissing,
    #[error("the agency's confirmation cannot be later than the step that records it")]
    ConfirmedInTheFuture,
    #[error("{id} is closed ({outcome}): nothing can follow")]
    Closed { id: RecordId, outcome: &'static str },
    #[error("'not the person' needs the reason in the note (what did not match)")]
    NoReason,
}

impl StepRefused {
    pub fn label(&self, lang: crate::i18n::Lang) -> String {
        match self {
            StepRefused::ConfirmationMissing => lang
                .pick(
                    "Chỉ xác nhận khi cơ quan ra quyết định đã xác nhận: ghi rõ ai xác nhận và lúc nào",
                    "A hit is confirmed only with the issuing agency's confirmation: give who confirmed and when",
                )
                .to_string(),
            StepRefused::ConfirmedInTheFuture => lang
                .pick(
                    "Thời điểm cơ quan xác nhận không thể sau lúc ghi",
                    "The agency's confirmation cannot be later than the step that records it",
                )
                .to_string(),
            StepRefused::Closed { id, .. } => match lang {
                crate::i18n::Lang::Vi => format!("{id} đã kết thúc xử lý: không ghi thêm được"),
                crate::i18n::Lang::En => format!("{id} is closed: nothing can follow"),
            },
            StepRefused::NoReason => lang
                .pick(
                    "\"Không phải đối tượng\" phải ghi lý do ở ghi chú (điểm nào không khớp)",
                    "'Not the person' needs the reason in the note (what did not match)",
                )
                .to_string(),
        }
    }
}

/// The confirmation deadlines, in minutes from the moment the hit was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HitDeadlines {
    pub especially_dangerous_minutes: i64,
    pub other_minutes: i64,
}

impl Default for HitDeadlines {
    fn default() -> Self {
        HitDeadlines {
            especially_dangerous_minutes: 10,
            other_minutes: 60,
        }
    }
}

impl HitDeadlines {
    pub fn deadline(&self, found_at: Instant, especially_dangerous: bool) -> Instant {
        let minutes = if especially_dangerous {
            self.especially_dangerous_minutes
        } else {
            self.other_minutes
        };
        found_at + chrono::Duration::minutes(minutes.max(0))
    }
}

impl Hit {
    /// The latest outcome recorded, if any.
    pub fn outcome(&self) -> Option<HitOutcome> {
        self.steps.last().map(|s| s.outcome)
    }

    /// Still waiting for a final outcome.
    pub fn is_open(&self) -> bool {
        !self.outcome().is_some_and(HitOutcome::is_final)
    }

    /// The step that gave the hit its final outcome, if one did (nothing follows it).
    pub fn final_step(&self) -> Option<&HitStep> {
        self.steps.iter().find(|s| s.outcome.is_final())
    }

    /// When a final outcome closed the hit.
    pub fn closed_at(&self) -> Option<Instant> {
        self.final_step().map(|s| s.at)
    }

    /// Found by `at` and not yet closed then.
    pub fn open_at(&self, at: Instant) -> bool {
        self.found_at <= at && self.closed_at().is_none_or(|c| c > at)
    }

    /// The order of the hits queue: open hits first, the least time left (the longest
    /// overdue) first; on the same deadline an especially dangerous one, then an alert before
    /// a review, then the stronger match; then the closed ones, the most recently closed
    /// first. The time left is the deadline's, so the order is the same whenever it is read.
    pub fn queue_order(&self, other: &Hit) -> std::cmp::Ordering {
        let when = |h: &Hit| match h.closed_at() {
            // Open: the earliest deadline first; closed: the latest closing first.
            None => (
                false,
                h.deadline,
                std::cmp::Reverse(crate::domain::Instant::MIN_UTC),
            ),
            Some(at) => (true, crate::domain::Instant::MIN_UTC, std::cmp::Reverse(at)),
        };
        let band = |h: &Hit| match h.band {
            Band::Alert => 0,
            Band::Review => 1,
        };
        when(self)
            .cmp(&when(other))
            .then(other.especially_dangerous.cmp(&self.especially_dangerous))
            .then(band(self).cmp(&band(other)))
            .then(other.score.total_cmp(&self.score))
            .then(self.id.cmp(&other.id))
    }

    /// Seconds left before the deadline (negative once it has passed).
    pub fn seconds_left(&self, now: Instant) -> i64 {
        (self.deadline - now).num_seconds()
    }

    /// Adds a step after checking the rules: `confirmed` names the agency's confirmation;
    /// nothing follows a final outcome.
    pub fn add_step(&mut self, mut step: HitStep) -> Result<(), StepRefused> {
        if let Some(outcome) = self.outcome().filter(|o| o.is_final()) {
            return Err(StepRefused::Closed {
                id: self.id,
                outcome: outcome.code(),
            });
        }
        step.confirmed_by = step
            .confirmed_by
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        if step.outcome.needs_reason() && step.note.trim().is_empty() {
            return Err(StepRefused::NoReason);
        }
        if step.outcome == HitOutcome::Confirmed {
            let (Some(_), Some(at)) = (&step.confirmed_by, step.confirmed_at) else {
                return Err(StepRefused::ConfirmationMissing);
            };
            if at > step.at {
                return Err(StepRefused::ConfirmedInTheFuture);
            }
        }
        self.steps.push(step);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Kind;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> Instant {
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 27, h, m, 0)
            .single()
            .expect("a valid time")
    }

    fn hit(especially_dangerous: bool) -> Hit {
        let found_at = at(14, 0);
        Hit {
            id: RecordId::new(Kind::Hit, 1),
            guest_stay_id: RecordId::new(Kind::GuestStay, 1),
            list: HitList::Wanted,
            listed_id: RecordId::new(Kind::Wanted, 1),
            person_id: RecordId::new(Kind::Person, 1),
            score: 0.9,
            band: Band::Alert,
            reasons: Vec::new(),
            found_at,
            deadline: HitDeadlines::default().deadline(found_at, especially_dangerous),
            especially_dangerous,
            steps: Vec::new(),
        }
    }

    fn step(outcome: HitOutcome, by: Option<&str>, confirmed_at: Option<Instant>) -> HitStep {
        HitStep {
            at: at(14, 5),
            officer_id: RecordId::new(Kind::Officer, 1),
            outcome,
            confirmed_by: by.map(str::to_string),
            confirmed_at,
            note: String::new(),
        }
    }

    #[test]
    fn deadlines_are_ten_minutes_for_especially_dangerous_and_sixty_otherwise() {
        assert_eq!(hit(true).deadline, at(14, 10));
        assert_eq!(hit(false).deadline, at(15, 0));
        assert_eq!(hit(true).seconds_left(at(14, 4)), 360);
        assert_eq!(hit(true).seconds_left(at(14, 11)), -60);
        let custom = HitDeadlines {
            especially_dangerous_minutes: 5,
            other_minutes: 30,
        };
        assert_eq!(custom.deadline(at(14, 0), false), at(14, 30));
    }

    #[test]
    fn confirming_needs_the_agencys_confirmation() {
        let mut h = hit(true);
        for (by, when) in [
            (None, Some(at(14, 4))),
            (Some("  "), Some(at(14, 4))),
            (Some("Đại úy Lò Văn Minh, PC02 Điện Biên"), None),
        ] {
            assert_eq!(
                h.add_step(step(HitOutcome::Confirmed, by, when)),
                Err(StepRefused::ConfirmationMissing)
            );
        }
        assert_eq!(
            h.add_step(step(
                HitOutcome::Confirmed,
                Some("Lò Văn Minh"),
                Some(at(14, 6))
            )),
            Err(StepRefused::ConfirmedInTheFuture)
        );
        assert!(h.steps.is_empty(), "a refused step leaves nothing");
        h.add_step(step(HitOutcome::Escalated, None, None))
            .expect("escalating needs no confirmation");
        assert!(h.is_open());
        h.add_step(step(
            HitOutcome::Confirmed,
            Some("Lò Văn Minh"),
            Some(at(14, 4)),
        ))
        .expect("confirmed by the agency");
        assert!(!h.is_open());
        assert_eq!(h.steps.len(), 2, "every step is kept");
        assert!(matches!(
            h.add_step(step(HitOutcome::NotThePerson, None, None)),
            Err(StepRefused::Closed { .. })
        ));
    }

    #[test]
    fn not_the_person_needs_a_reason() {
        let mut h = hit(false);
        for note in ["", "   "] {
            let mut s = step(HitOutcome::NotThePerson, None, None);
            s.note = note.into();
            assert_eq!(h.add_step(s), Err(StepRefused::NoReason), "{note:?}");
        }
        assert!(h.is_open());
        let mut s = step(HitOutcome::NotThePerson, None, None);
        s.note = "khác năm sinh (1971, không phải 1991)".into();
        h.add_step(s).expect("with a reason");
        assert!(!h.is_open());
    }

    #[test]
    fn refusals_read_in_both_languages() {
        use crate::i18n::Lang;
        let closed = StepRefused::Closed {
            id: RecordId::new(Kind::Hit, 7),
            outcome: "confirmed",
        };
        for refusal in [
            StepRefused::ConfirmationMissing,
            StepRefused::ConfirmedInTheFuture,
            StepRefused::NoReason,
            closed,
        ] {
            assert_ne!(refusal.label(Lang::Vi), refusal.label(Lang::En));
        }
    }

    #[test]
    fn the_queue_puts_the_least_time_left_first_and_the_closed_last() {
        let found = |n: u64, ed: bool, h: u32, m: u32| {
            let found_at = at(h, m);
            Hit {
                id: RecordId::new(Kind::Hit, n),
                found_at,
                deadline: HitDeadlines::default().deadline(found_at, ed),
                ..hit(ed)
            }
        };
        // Found at 13:00 (due 14:00), 13:05 (due 14:05), an especially dangerous one at 13:40
        // (due 13:50), and one closed: newest first would put 2 above 1.
        let first = found(1, false, 13, 0);
        let second = found(2, false, 13, 5);
        let dangerous = found(3, true, 13, 40);
        let mut closed = found(4, true, 13, 45);
        closed
            .steps
            .push(step(HitOutcome::NotThePerson, None, None));
        let mut queue = [closed, second, first, dangerous];
        queue.sort_by(Hit::queue_order);
        let ids: Vec<u64> = queue.iter().map(|h| h.id.num()).collect();
        assert_eq!(ids, vec![3, 1, 2, 4]);
    }
}
