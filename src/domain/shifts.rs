//! Duty shifts (ca trực): the local times at which shifts start, and the shift an instant
//! falls in. Each shift runs from its start to the next start; the last one of the day runs
//! past midnight to the first start of the next day. The default is two 12-hour shifts,
//! 07:30 and 19:30 local time (configuration: `[handover]` in the config file).

use chrono::{NaiveDate, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use super::campaign::Shift;
use super::time::{Instant, local_date, local_day_start, to_local};

/// The shift starts as the config file writes them (`["07:30", "19:30"]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HandoverConfig {
    pub shift_starts: Vec<String>,
    /// The unit heading the handover sheet, one line each, as a paper sổ giao ca names it
    /// top left (`["CÔNG AN TỈNH LAI CHÂU", "PHÒNG CẢNH SÁT HÌNH SỰ"]`).
    pub unit: Vec<String>,
}

impl Default for HandoverConfig {
    fn default() -> Self {
        HandoverConfig {
            shift_starts: vec!["07:30".into(), "19:30".into()],
            unit: vec!["CÔNG AN TỈNH LAI CHÂU".into()],
        }
    }
}

impl HandoverConfig {
    /// The validated plan, or a message naming the bad value.
    pub fn plan(&self) -> Result<ShiftPlan, crate::i18n::Said> {
        use crate::i18n::Said;
        let mut starts = Vec::new();
        for text in &self.shift_starts {
            let time = NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
                Said::new(
                    format!("shift_starts: {text:?} không phải giờ địa phương (dùng HH:MM, ví dụ \"07:30\")"),
                    format!("shift_starts: {text:?} is not a local time (use HH:MM, e.g. \"07:30\")"),
                )
            })?;
            starts.push(time);
        }
        starts.sort();
        if starts.is_empty() || starts.len() > 6 {
            let n = starts.len();
            return Err(Said::new(
                format!("shift_starts có {n} giờ: cần từ 1 đến 6"),
                format!("shift_starts has {n} time(s): expected 1 to 6"),
            ));
        }
        if starts.windows(2).any(|w| w[0] == w[1]) {
            return Err(Said::new(
                "shift_starts: một giờ được ghi hai lần",
                "shift_starts: a time is given twice",
            ));
        }
        Ok(ShiftPlan { starts })
    }
}

/// Shift start times, sorted, at least one (see [`HandoverConfig::plan`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShiftPlan {
    starts: Vec<NaiveTime>,
}

impl Default for ShiftPlan {
    fn default() -> Self {
        ShiftPlan {
            starts: vec![at(7, 30), at(19, 30)],
        }
    }
}

fn at(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)
}

/// One shift: `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub struct ShiftWindow {
    pub start: Instant,
    pub end: Instant,
}

impl ShiftWindow {
    pub fn contains(&self, t: Instant) -> bool {
        self.start <= t && t < self.end
    }

    /// The roster slot this shift staffs: the local date it starts on, and day (a start
    /// from 06:00 to before 18:00) or night.
    pub fn roster_slot(&self) -> (NaiveDate, Shift) {
        let hour = to_local(self.start).hour();
        let shift = if (6..18).contains(&hour) {
            Shift::Day
        } else {
            Shift::Night
        };
        (local_date(self.start), shift)
    }
}

impl ShiftPlan {
    /// The local start times, sorted.
    pub fn starts(&self) -> &[NaiveTime] {
        &self.starts
    }

    fn start_on(date: NaiveDate, time: NaiveTime) -> Instant {
        local_day_start(date, 0) + (time - NaiveTime::MIN)
    }

    /// Every start from the local day before `t` to the day after, in order.
    fn starts_around(&self, t: Instant) -> Vec<Instant> {
        let day = local_date(t);
        let mut out = Vec::new();
        for date in [day.pred_opt(), Some(day), day.succ_opt()]
            .into_iter()
            .flatten()
        {
            out.extend(self.starts.iter().map(|s| ShiftPlan::start_on(date, *s)));
        }
        out
    }

    /// The shift `t` falls in.
    pub fn shift_at(&self, t: Instant) -> ShiftWindow {
        let starts = self.starts_around(t);
        // The day before holds a start at or before `t` (every day has one), the day after
        // one after it.
        let at = starts.iter().rposition(|s| *s <= t).unwrap_or(0);
        let start = starts[at];
        let end = starts
            .get(at + 1)
            .copied()
            .unwrap_or(start + chrono::Duration::days(1));
        ShiftWindow { start, end }
    }

    /// The shift before the one `t` falls in.
    pub fn previous(&self, t: Instant) -> ShiftWindow {
        self.shift_at(self.shift_at(t).start - chrono::Duration::seconds(1))
    }

    /// The shift after the one `t` falls in.
    pub fn next(&self, t: Instant) -> ShiftWindow {
        self.shift_at(self.shift_at(t).end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_instant;

    fn t(text: &str) -> Instant {
        parse_instant(text).expect("time")
    }

    fn window(plan: &ShiftPlan, at: &str) -> (String, String) {
        let w = plan.shift_at(t(at));
        (
            crate::domain::time::format_instant(w.start),
            crate::domain::time::format_instant(w.end),
        )
    }

    #[test]
    fn the_night_shift_runs_across_midnight() {
        let plan = ShiftPlan::default();
        let night = (
            "2026-11-26T19:30:00+07:00".to_string(),
            "2026-11-27T07:30:00+07:00".to_string(),
        );
        for at in ["2026-11-26 19:30", "2026-11-26 23:59", "2026-11-27 00:00"] {
            assert_eq!(window(&plan, at), night, "{at}");
        }
        assert_eq!(window(&plan, "2026-11-27 07:29:59"), night);
        assert_eq!(
            window(&plan, "2026-11-27 07:30"),
            (
                "2026-11-27T07:30:00+07:00".to_string(),
                "2026-11-27T19:30:00+07:00".to_string()
            )
        );
        // 00:30 local is the previous UTC day: the shift still starts the evening before.
        let w = plan.shift_at(t("2026-11-27 00:30"));
        assert_eq!(
            w.roster_slot(),
            (t("2026-11-26 12:00").date_naive(), Shift::Night)
        );
        let prev = plan.previous(t("2026-11-27 00:30"));
        assert_eq!(prev.start, t("2026-11-26 07:30"));
        assert_eq!(prev.end, w.start);
        let next = plan.next(t("2026-11-27 00:30"));
        assert_eq!(
            (next.start, next.end),
            (t("2026-11-27 07:30"), t("2026-11-27 19:30"))
        );
        assert_eq!(next.roster_slot().1, Shift::Day);
        assert!(w.contains(t("2026-11-27 07:29")) && !w.contains(t("2026-11-27 07:30")));
    }

    #[test]
    fn three_shifts_and_bad_configs() {
        let plan = HandoverConfig {
            shift_starts: vec!["22:00".into(), "06:00".into(), "14:00".into()],
            ..Default::default()
        }
        .plan()
        .expect("valid");
        let w = plan.shift_at(t("2026-01-01 03:00"));
        assert_eq!(
            (w.start, w.end),
            (t("2025-12-31 22:00"), t("2026-01-01 06:00"))
        );
        assert_eq!(
            plan.previous(t("2026-01-01 03:00")).start,
            t("2025-12-31 14:00")
        );
        let one = HandoverConfig {
            shift_starts: vec!["08:00".into()],
            ..Default::default()
        }
        .plan()
        .expect("one shift a day");
        let w = one.shift_at(t("2026-01-01 07:00"));
        assert_eq!(
            (w.start, w.end),
            (t("2025-12-31 08:00"), t("2026-01-01 08:00"))
        );
        for (starts, message) in [
            (vec![], "expected 1 to 6"),
            (vec!["7h30"], "\"7h30\" is not a local time"),
            (vec!["07:30", "07:30"], "given twice"),
        ] {
            let config = HandoverConfig {
                shift_starts: starts.into_iter().map(String::from).collect(),
                ..Default::default()
            };
            let err = config.plan().expect_err("bad");
            assert!(err.en.contains(message), "{err}");
        }
        assert_eq!(HandoverConfig::default().plan(), Ok(ShiftPlan::default()));
    }
}
