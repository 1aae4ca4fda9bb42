//! What the console's status line counts on every view: the open screening hits and the
//! open tips, by deadline. The service sends the deadlines rather than the counts, so the
//! console can say at each minute which have become overdue without asking again (on a
//! thin link an idle console sends and receives nothing but its clock).

use serde::{Deserialize, Serialize};

use super::{Hit, Instant, Tip};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyStatus {
    /// The confirmation deadline of every open hit.
    pub hit_deadlines: Vec<Instant>,
    /// The deadline in force of every open tip.
    pub tip_deadlines: Vec<Instant>,
}

/// The one rule of "overdue" for both: past the deadline at `now` (a deadline due exactly
/// now is not yet overdue, as [`Tip::is_overdue`] says).
pub fn past(deadline: Instant, now: Instant) -> bool {
    now > deadline
}

impl DutyStatus {
    /// From the open hits and tips (closed ones are left out here, whatever is passed).
    pub fn of<'a>(
        hits: impl IntoIterator<Item = &'a Hit>,
        tips: impl IntoIterator<Item = &'a Tip>,
    ) -> DutyStatus {
        let mut hit_deadlines: Vec<Instant> = hits
            .into_iter()
            .filter(|h| h.is_open())
            .map(|h| h.deadline)
            .collect();
        let mut tip_deadlines: Vec<Instant> = tips
            .into_iter()
            .filter(|t| t.is_open())
            .map(Tip::deadline)
            .collect();
        hit_deadlines.sort();
        tip_deadlines.sort();
        DutyStatus {
            hit_deadlines,
            tip_deadlines,
        }
    }

    pub fn open_hits(&self) -> usize {
        self.hit_deadlines.len()
    }

    pub fn overdue_hits(&self, now: Instant) -> usize {
        self.hit_deadlines.iter().filter(|d| past(**d, now)).count()
    }

    pub fn overdue_tips(&self, now: Instant) -> usize {
        self.tip_deadlines.iter().filter(|d| past(**d, now)).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_instant;

    fn t(text: &str) -> Instant {
        parse_instant(text).expect("time")
    }

    #[test]
    fn a_deadline_is_overdue_only_once_it_has_passed() {
        let status = DutyStatus {
            hit_deadlines: vec![
                t("2026-12-02T10:00:00+07:00"),
                t("2026-12-02T11:00:00+07:00"),
            ],
            tip_deadlines: vec![t("2026-12-01T00:00:00+07:00")],
        };
        assert_eq!(status.open_hits(), 2);
        assert_eq!(status.overdue_hits(t("2026-12-02T10:00:00+07:00")), 0);
        assert_eq!(status.overdue_hits(t("2026-12-02T10:00:01+07:00")), 1);
        assert_eq!(status.overdue_hits(t("2026-12-02T11:30:00+07:00")), 2);
        assert_eq!(status.overdue_tips(t("2026-12-02T10:00:00+07:00")), 1);
    }
}
