//! "Shift at a glance" (tình hình ca trực): what an officer needs on the first screen of a
//! shift, gathered by the service in one answer — the open hits and tips, last night's late
//! declarations, who is on duty now, the latest duty-log entries, and fourteen days of
//! counts for the small charts. Plain data; the console words and draws it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{DutyLogEntry, Hit, Tip};

/// The days the charts cover, today included.
pub const CHART_DAYS: i64 = 14;

/// Duty-log entries shown.
pub const LOG_ENTRIES: usize = 3;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Glance {
    /// Open hits, in the queue's order (the least time left first).
    pub hits: Vec<Hit>,
    /// Open tips, overdue first, then by deadline.
    pub tips: Vec<Tip>,
    /// What stands beside the rows, when asked for (not by the countdown's refresh).
    pub beside: Option<Beside>,
}

/// What the view shows beside its rows of work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Beside {
    /// The last night (the night beginning, from 18:00): its late and undeclared guests.
    pub night: NightCounts,
    /// Who is on duty in this shift's roster slot, at which post.
    pub on_duty: Vec<OnDuty>,
    /// The latest duty-log entries, newest first.
    pub log: Vec<DutyLogEntry>,
    /// One per day, oldest first, today last.
    pub days: Vec<DayCounts>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NightCounts {
    pub night: Option<NaiveDate>,
    /// Establishments with a late or undeclared guest that night.
    pub establishments: usize,
    pub late: usize,
    pub undeclared: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnDuty {
    pub officer: String,
    pub post: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCounts {
    pub date: NaiveDate,
    /// Screening hits found that day.
    pub hits: u64,
    /// Guests who checked in that day.
    pub guests: u64,
    /// Guests of that night declared late or not at all.
    pub late: u64,
}

/// The night whose declarations are counted at `now`: until 18:00, the night before (a day
/// shift hands over last night's); from then on, the night beginning.
pub fn night_of(now: super::Instant) -> NaiveDate {
    super::time::local_date(now - chrono::Duration::hours(18))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_instant;

    #[test]
    fn the_night_counted_is_last_night_until_noon() {
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let at = |s: &str| parse_instant(s).expect("time");
        assert_eq!(
            night_of(at("2026-12-02T09:00:00+07:00")),
            date("2026-12-01")
        );
        assert_eq!(
            night_of(at("2026-12-02T17:59:00+07:00")),
            date("2026-12-01")
        );
        assert_eq!(
            night_of(at("2026-12-02T20:00:00+07:00")),
            date("2026-12-02")
        );
        assert_eq!(
            night_of(at("2026-12-03T02:00:00+07:00")),
            date("2026-12-02")
        );
    }
}
