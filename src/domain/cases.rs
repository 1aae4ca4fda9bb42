//! Cases (vụ án, vụ việc): a crime the desk recorded — when and where it happened, the
//! offence (article and clause, see [`super::offences`]), whether a criminal group caused
//! it, where the desk learnt of it (a tip, a duty-log entry, a screening hit), and its status
//! history: reported → under investigation → cleared, suspended or transferred. The history
//! is appended to, never rewritten; the status and the cleared date are read from it, so
//! they cannot disagree with it. Pure: no store, no clock.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::code_enum;
use super::ids::{Kind, RecordId};
use super::offences::Charge;
use super::time::Instant;

code_enum!(CaseStatus {
    Reported = "reported", "mới tiếp nhận", "reported";
    Investigating = "investigating", "đang điều tra", "investigating";
    Cleared = "cleared", "đã khám phá", "cleared";
    Suspended = "suspended", "tạm đình chỉ", "suspended";
    Transferred = "transferred", "đã chuyển", "transferred";
});

impl CaseStatus {
    /// Whether a case may go from `self` to `next`. Cleared and transferred are final; a
    /// suspended case may be resumed.
    pub fn may_become(self, next: CaseStatus) -> bool {
        use CaseStatus::*;
        matches!(
            (self, next),
            (Reported, Investigating | Cleared | Transferred)
                | (Investigating, Cleared | Suspended | Transferred)
                | (Suspended, Investigating)
        )
    }
}

/// One change of status. Appended, never removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseStep {
    /// When it was recorded (for `cleared`, the day the case counts as cleared).
    pub at: Instant,
    pub status: CaseStatus,
    pub officer_id: RecordId,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: RecordId,
    /// The day it happened (local).
    pub occurred_on: NaiveDate,
    pub place: String,
    /// What happened, in a line.
    pub summary: String,
    pub charge: Charge,
    /// The criminal group that caused it, when one did.
    #[serde(default)]
    pub group_id: Option<RecordId>,
    /// Where the desk learnt of it: a tip (TB-), a duty-log entry (NK-) or a hit (NT-).
    #[serde(default)]
    pub source: Option<RecordId>,
    /// When the desk recorded it: the period the case counts in.
    pub recorded_at: Instant,
    pub recorded_by: RecordId,
    /// Oldest first; empty while the case is as reported.
    #[serde(default)]
    pub history: Vec<CaseStep>,
}

/// The kinds a case may come from.
pub const SOURCE_KINDS: [Kind; 3] = [Kind::Tip, Kind::DutyLog, Kind::Hit];

impl Case {
    /// The status now: the last step's, or reported.
    pub fn status(&self) -> CaseStatus {
        self.history
            .last()
            .map_or(CaseStatus::Reported, |s| s.status)
    }

    /// When the case was cleared, if it was (a cleared case stays cleared).
    pub fn cleared_at(&self) -> Option<Instant> {
        self.history
            .iter()
            .find(|s| s.status == CaseStatus::Cleared)
            .map(|s| s.at)
    }

    pub fn cleared_on(&self) -> Option<NaiveDate> {
        self.cleared_at().map(super::time::local_date)
    }

    pub fn is_group_caused(&self) -> bool {
        self.group_id.is_some()
    }

    /// A serious case (trọng án), by its charge: see [`super::offences`].
    pub fn is_serious(&self) -> bool {
        self.charge.is_serious()
    }

    /// Appends a change of status, refused when the status may not follow the one now or
    /// the step is dated before the last one (or before the case was recorded).
    pub fn add_step(&mut self, step: CaseStep) -> Result<(), CaseRefused> {
        let from = self.status();
        if !from.may_become(step.status) {
            return Err(CaseRefused::NotFrom {
                from,
                to: step.status,
            });
        }
        let last = self.history.last().map_or(self.recorded_at, |s| s.at);
        if step.at < last {
            return Err(CaseRefused::BeforeLast);
        }
        self.history.push(step);
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CaseRefused {
    #[error("a case {from} cannot become {to}")]
    NotFrom { from: CaseStatus, to: CaseStatus },
    #[error("a change of status cannot be dated before the one before it")]
    BeforeLast,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> Instant {
        chrono::Utc
            .with_ymd_and_hms(2026, 3, day, 3, 0, 0)
            .single()
            .expect("date")
    }

    fn case() -> Case {
        Case {
            id: RecordId::new(Kind::Case, 1),
            occurred_on: NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
            place: "Ma Lù Thàng".into(),
            summary: "vận chuyển heroin".into(),
            charge: Charge {
                article: 250,
                clause: 2,
            },
            group_id: None,
            source: None,
            recorded_at: at(2),
            recorded_by: RecordId::new(Kind::Officer, 1),
            history: Vec::new(),
        }
    }

    fn step(day: u32, status: CaseStatus) -> CaseStep {
        CaseStep {
            at: at(day),
            status,
            officer_id: RecordId::new(Kind::Officer, 1),
            note: String::new(),
        }
    }

    #[test]
    fn the_status_and_cleared_date_come_from_the_history() {
        let mut c = case();
        assert_eq!(c.status(), CaseStatus::Reported);
        c.add_step(step(3, CaseStatus::Investigating)).expect("on");
        c.add_step(step(5, CaseStatus::Suspended)).expect("on");
        c.add_step(step(9, CaseStatus::Investigating))
            .expect("resumed");
        assert_eq!(c.cleared_at(), None);
        c.add_step(step(20, CaseStatus::Cleared)).expect("cleared");
        assert_eq!(c.status(), CaseStatus::Cleared);
        assert_eq!(c.cleared_at(), Some(at(20)));
        assert!(c.is_serious());
    }

    #[test]
    fn final_statuses_stay_and_steps_keep_their_order() {
        let mut c = case();
        assert_eq!(
            c.add_step(step(3, CaseStatus::Suspended)),
            Err(CaseRefused::NotFrom {
                from: CaseStatus::Reported,
                to: CaseStatus::Suspended
            })
        );
        assert_eq!(
            c.add_step(step(1, CaseStatus::Investigating)),
            Err(CaseRefused::BeforeLast)
        );
        c.add_step(step(4, CaseStatus::Cleared)).expect("cleared");
        for next in CaseStatus::ALL {
            assert!(c.add_step(step(6, *next)).is_err(), "cleared → {next}");
        }
    }
}
