//! Campaign rosters as time: when each shift starts and ends (local time, the night shift
//! crossing midnight), and the three checks a roster must pass — an officer in two places
//! at once, too little rest between two of an officer's shifts, a post with nobody on a
//! shift. Every check works on real intervals (UTC instants), so a night shift on day D and
//! a day shift on D+1 are compared by their hours, whatever the calendar says (month and
//! year ends included).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveTime, Timelike};
use serde::Serialize;

use super::campaign::{Assignment, Campaign, Shift};
use super::ids::RecordId;
use super::shifts::ShiftPlan;
use super::time::{Instant, vn_offset};
use crate::i18n::Lang;

/// Local start and end of each shift. An end at or before its start is on the next day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShiftTimes {
    pub day: (NaiveTime, NaiveTime),
    pub night: (NaiveTime, NaiveTime),
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

impl Default for ShiftTimes {
    /// Two 12-hour shifts: day 07:30–19:30, night 19:30–07:30 the next morning.
    fn default() -> ShiftTimes {
        ShiftTimes {
            day: (hm(7, 30), hm(19, 30)),
            night: (hm(19, 30), hm(7, 30)),
        }
    }
}

impl ShiftTimes {
    /// The shift of `date` as `[start, end)` in UTC.
    pub fn interval(&self, date: NaiveDate, shift: Shift) -> (Instant, Instant) {
        let (start, end) = match shift {
            Shift::Day => self.day,
            Shift::Night => self.night,
        };
        let at = |date: NaiveDate, time: NaiveTime| {
            (date.and_time(time) - Duration::seconds(i64::from(vn_offset().local_minus_utc())))
                .and_utc()
        };
        let end_date = if end <= start {
            date.succ_opt().unwrap_or(date)
        } else {
            date
        };
        (at(date, start), at(end_date, end))
    }

    /// The shift under way at `t` (its local start date and the shift), if any.
    pub fn at(&self, t: Instant) -> Option<(NaiveDate, Shift)> {
        let today = super::time::local_date(t);
        let yesterday = today.pred_opt().unwrap_or(today);
        [yesterday, today]
            .into_iter()
            .flat_map(|d| [(d, Shift::Day), (d, Shift::Night)])
            .find(|&(d, s)| {
                let (start, end) = self.interval(d, s);
                start <= t && t < end
            })
    }

    /// The first shift that starts after `t`.
    pub fn next_after(&self, t: Instant) -> (NaiveDate, Shift) {
        let today = super::time::local_date(t);
        let mut best: Option<(Instant, NaiveDate, Shift)> = None;
        for d in [Some(today), today.succ_opt()].into_iter().flatten() {
            for s in [Shift::Day, Shift::Night] {
                let start = self.interval(d, s).0;
                if start > t && best.is_none_or(|b| start < b.0) {
                    best = Some((start, d, s));
                }
            }
        }
        best.map_or((today, Shift::Day), |(_, d, s)| (d, s))
    }
}

/// The roster rules: shift times and the minimum rest between two shifts of one officer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RosterRules {
    pub shifts: ShiftTimes,
    /// Default 12 hours: as long as a shift, so the classic day, night, off, off rotation
    /// (24 h and 48 h of rest) passes and a double shift back to back does not.
    pub min_rest: Duration,
}

impl Default for RosterRules {
    fn default() -> RosterRules {
        RosterRules {
            shifts: ShiftTimes::default(),
            min_rest: Duration::hours(12),
        }
    }
}

/// The `[roster]` section of the config file as written. The shift times are not here:
/// the roster and the handover share one definition, `[handover] shift_starts`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RosterConfig {
    /// The least rest between two shifts of one officer, in hours (default 12).
    pub min_rest_hours: i64,
}

impl Default for RosterConfig {
    fn default() -> RosterConfig {
        RosterConfig { min_rest_hours: 12 }
    }
}

/// The longest minimum rest the config file takes: three days.
pub const MAX_MIN_REST_HOURS: i64 = 72;

impl RosterConfig {
    /// The rules, with the shift times taken from the shift plan; or a message naming the
    /// section and key at fault (the caller adds the file).
    pub fn rules(&self, plan: &ShiftPlan) -> Result<RosterRules, crate::i18n::Said> {
        if !(1..=MAX_MIN_REST_HOURS).contains(&self.min_rest_hours) {
            return Err(crate::i18n::out_of_range(
                "[roster] min_rest_hours",
                self.min_rest_hours,
                (1, MAX_MIN_REST_HOURS),
                ("giờ", "hours"),
            ));
        }
        Ok(RosterRules {
            shifts: ShiftTimes::from_plan(plan)?,
            min_rest: Duration::hours(self.min_rest_hours),
        })
    }
}

impl ShiftTimes {
    /// The roster's day and night shifts from the handover's shift plan, so that both read
    /// one definition: the plan must have two starts, one from 06:00 to before 18:00 (the
    /// day shift, which ends when the night shift starts) and one outside it (the night
    /// shift, which ends at the next day shift) — the same rule as
    /// [`super::shifts::ShiftWindow::roster_slot`].
    pub fn from_plan(plan: &ShiftPlan) -> Result<ShiftTimes, crate::i18n::Said> {
        let is_day = |t: &NaiveTime| (6..18).contains(&t.hour());
        let starts = plan.starts();
        let days: Vec<&NaiveTime> = starts.iter().filter(|t| is_day(t)).collect();
        let nights: Vec<&NaiveTime> = starts.iter().filter(|t| !is_day(t)).collect();
        match (&days[..], &nights[..]) {
            ([day], [night]) => Ok(ShiftTimes {
                day: (**day, **night),
                night: (**night, **day),
            }),
            _ => {
                let given = starts
                    .iter()
                    .map(|t| format!("\"{}\"", t.format("%H:%M")))
                    .collect::<Vec<_>>()
                    .join(", ");
                Err(crate::i18n::Said::new(
                    format!(
                        "[handover] shift_starts = [{given}]: bảng phân công chuyên đề có ca ngày và ca đêm, \
                         nên ghi hai giờ, một từ 06:00 đến trước 18:00 (ngày) và một ngoài khoảng đó \
                         (đêm), ví dụ [\"07:30\", \"19:30\"]"
                    ),
                    format!(
                        "[handover] shift_starts = [{given}]: the campaign rosters have a day and a night \
                         shift, so give two times, one from 06:00 to before 18:00 (day) and one \
                         outside it (night), e.g. [\"07:30\", \"19:30\"]"
                    ),
                ))
            }
        }
    }
}

/// One thing wrong with a roster, with the records involved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum RosterProblem {
    /// Two assignments of one officer overlap in time.
    DoubleBooked {
        officer_id: RecordId,
        first: RecordId,
        second: RecordId,
    },
    /// The officer's second shift starts less than the minimum rest after the first ends.
    ShortRest {
        officer_id: RecordId,
        first: RecordId,
        second: RecordId,
        rest_minutes: i64,
        min_minutes: i64,
    },
    /// Nobody is on this post for this shift.
    EmptyPost {
        date: NaiveDate,
        shift: Shift,
        post: String,
    },
}

impl RosterProblem {
    /// The assignments involved (none for an empty post).
    pub fn records(&self) -> Vec<RecordId> {
        match self {
            RosterProblem::DoubleBooked { first, second, .. }
            | RosterProblem::ShortRest { first, second, .. } => vec![*first, *second],
            RosterProblem::EmptyPost { .. } => Vec::new(),
        }
    }

    pub fn officer(&self) -> Option<RecordId> {
        match self {
            RosterProblem::DoubleBooked { officer_id, .. }
            | RosterProblem::ShortRest { officer_id, .. } => Some(*officer_id),
            RosterProblem::EmptyPost { .. } => None,
        }
    }

    /// `CB-000012 ở hai nơi cùng lúc: PC-000031, PC-000040` /
    /// `CB-000012 in two places at once: …`. Post names come from records: display them
    /// through `display_safe`.
    pub fn label(&self, lang: Lang) -> String {
        let hours = |m: i64| format!("{}:{:02}", m / 60, m % 60);
        // A refused addition never took a number (it is numbered only once saved): it is
        // named as the new assignment rather than as a number nobody holds.
        let name = |id: &RecordId| {
            if id.num() == 0 {
                lang.pick("phân công mới", "the new assignment").to_string()
            } else {
                id.to_string()
            }
        };
        match self {
            RosterProblem::DoubleBooked {
                officer_id,
                first,
                second,
            } => format!(
                "{officer_id} {}: {}, {}",
                lang.pick("ở hai nơi cùng lúc", "in two places at once"),
                name(first),
                name(second)
            ),
            RosterProblem::ShortRest {
                officer_id,
                first,
                second,
                rest_minutes,
                min_minutes,
            } => match lang {
                Lang::Vi => format!(
                    "{officer_id} nghỉ {} giờ (tối thiểu {}) giữa {} và {}",
                    hours(*rest_minutes),
                    hours(*min_minutes),
                    name(first),
                    name(second)
                ),
                Lang::En => format!(
                    "{officer_id} rests {} h (minimum {}) between {} and {}",
                    hours(*rest_minutes),
                    hours(*min_minutes),
                    name(first),
                    name(second)
                ),
            },
            RosterProblem::EmptyPost { date, shift, post } => format!(
                "{} {} {}: {post}",
                lang.pick("Chốt không người", "Post unmanned"),
                lang.date(*date),
                shift.label(lang)
            ),
        }
    }

    /// Double booking and short rest are about officers; an empty post is about the plan.
    pub fn is_about_officers(&self) -> bool {
        !matches!(self, RosterProblem::EmptyPost { .. })
    }
}

/// Overlaps and short rests among `assignments` (of any campaigns). Each officer's shifts
/// are taken in time order; a pair is reported once, earlier shift first.
pub fn officer_problems(assignments: &[Assignment], rules: &RosterRules) -> Vec<RosterProblem> {
    let mut by_officer: BTreeMap<RecordId, Vec<(Instant, Instant, RecordId)>> = BTreeMap::new();
    for a in assignments {
        let (start, end) = rules.shifts.interval(a.date, a.shift);
        by_officer
            .entry(a.officer_id)
            .or_default()
            .push((start, end, a.id));
    }
    let mut out = Vec::new();
    for (officer_id, mut shifts) in by_officer {
        shifts.sort();
        for (i, &(_, end, first)) in shifts.iter().enumerate() {
            // Every later shift that starts before this one ends overlaps it.
            let mut later = shifts[i + 1..].iter();
            for &(start, _, second) in later.by_ref() {
                if start < end {
                    out.push(RosterProblem::DoubleBooked {
                        officer_id,
                        first,
                        second,
                    });
                } else {
                    let rest = start - end;
                    if rest < rules.min_rest {
                        out.push(RosterProblem::ShortRest {
                            officer_id,
                            first,
                            second,
                            rest_minutes: rest.num_minutes(),
                            min_minutes: rules.min_rest.num_minutes(),
                        });
                    }
                    break;
                }
            }
        }
    }
    out
}

/// Every day of the campaign, every shift, every post of the plan with nobody on it.
pub fn empty_posts(campaign: &Campaign, assignments: &[Assignment]) -> Vec<RosterProblem> {
    let mut out = Vec::new();
    for date in campaign
        .start
        .iter_days()
        .take_while(|d| *d <= campaign.end)
    {
        for shift in [Shift::Day, Shift::Night] {
            for post in &campaign.posts {
                let manned = assignments.iter().any(|a| {
                    a.campaign_id == campaign.id
                        && a.date == date
                        && a.shift == shift
                        && a.post == *post
                });
                if !manned {
                    out.push(RosterProblem::EmptyPost {
                        date,
                        shift,
                        post: post.clone(),
                    });
                }
            }
        }
    }
    out
}

/// All the problems of a campaign's roster. `assignments` are the campaign's and any
/// others of the same officers near its dates; an officer problem is kept when one of its
/// records belongs to the campaign.
pub fn check(
    campaign: &Campaign,
    assignments: &[Assignment],
    rules: &RosterRules,
) -> Vec<RosterProblem> {
    let ours = |id: RecordId| {
        assignments
            .iter()
            .any(|a| a.id == id && a.campaign_id == campaign.id)
    };
    let mut out: Vec<RosterProblem> = officer_problems(assignments, rules)
        .into_iter()
        .filter(|p| p.records().into_iter().any(ours))
        .collect();
    out.extend(empty_posts(campaign, assignments));
    out
}

/// The officer problems in `after` that were not in `before`: what an edit would create.
pub fn new_problems(before: &[RosterProblem], after: &[RosterProblem]) -> Vec<RosterProblem> {
    after
        .iter()
        .filter(|p| p.is_about_officers() && !before.contains(p))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests;
