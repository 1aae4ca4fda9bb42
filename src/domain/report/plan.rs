//! The plan's own figures (Kế hoạch 1207/KH-UBND): criminal offences against the period
//! before the plan (down 3–5 %), the clearance rate (tỷ lệ điều tra khám phá) of cases
//! caused by criminal groups (above 75 %) and of serious cases (95 % or more), and tips
//! handled within the law's deadline.
//!
//! **Where a cleared case counts.** A case counts in the period it was recorded in; it is
//! *cleared* there when it was cleared by that period's end. A case cleared in a later
//! period counts in that period as an *old case cleared* (khám phá án tồn), a line of its
//! own, and in neither period's rate. So a report once sent does not change when an old
//! case is cleared later, a rate never passes 100 %, and no clearance is counted twice or
//! lost. (Counting a late clearance in the later period's rate instead would let a desk
//! reach 75 % by clearing old cases while this period's go unsolved.)
//!
//! **Tips.** Those received in the period, as they stand at its end (or now, for a period
//! not over): handled within the 20 days set at receipt; handled within an extension;
//! handled late; open within the deadline in force; open past it (overdue). Extended:
//! those with at least one extension. The plan's row is the share handled in time (within
//! the deadline in force) of those whose deadline has come or that were handled; the law
//! wants all of them (100 %).

use super::*;

/// Cases and tips, counted for one period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PlanFigures {
    pub cases_recorded: usize,
    /// Recorded in the period and cleared by its end.
    pub cases_cleared: usize,
    /// Recorded before the period, cleared in it.
    pub old_cases_cleared: usize,
    pub group_cases: usize,
    pub group_cases_cleared: usize,
    pub serious_cases: usize,
    pub serious_cases_cleared: usize,
    pub tips_received: usize,
    /// Handled within the 20 days set at receipt.
    pub tips_on_time: usize,
    /// Handled after the 20 days, within an extension.
    pub tips_in_extension: usize,
    pub tips_handled_late: usize,
    pub tips_extended: usize,
    /// Open past the deadline in force at the period's end.
    pub tips_overdue: usize,
    /// Open within the deadline in force at the period's end.
    pub tips_open: usize,
}

/// The count lines of the plan's figures: key, Vietnamese and English labels, reader.
pub(super) const PLAN_LINES: [Scalar; 14] = [
    (
        "cases_recorded",
        "Vụ án ghi nhận",
        "Cases recorded",
        |f| f.plan.cases_recorded,
    ),
    (
        "cases_cleared",
        "  trong đó đã khám phá",
        "  of which cleared",
        |f| f.plan.cases_cleared,
    ),
    (
        "old_cases_cleared",
        "Khám phá án kỳ trước",
        "Older cases cleared",
        |f| f.plan.old_cases_cleared,
    ),
    (
        "group_cases",
        "Vụ do băng nhóm gây ra",
        "Cases caused by groups",
        |f| f.plan.group_cases,
    ),
    (
        "group_cases_cleared",
        "  trong đó đã khám phá",
        "  of which cleared",
        |f| f.plan.group_cases_cleared,
    ),
    ("serious_cases", "Trọng án", "Serious cases", |f| {
        f.plan.serious_cases
    }),
    (
        "serious_cases_cleared",
        "  trong đó đã khám phá",
        "  of which cleared",
        |f| f.plan.serious_cases_cleared,
    ),
    (
        "tips_received",
        "Tin báo tiếp nhận",
        "Tips received",
        |f| f.plan.tips_received,
    ),
    (
        "tips_on_time",
        "  giải quyết trong 20 ngày",
        "  handled within 20 days",
        |f| f.plan.tips_on_time,
    ),
    (
        "tips_in_extension",
        "  giải quyết trong gia hạn",
        "  handled within an extension",
        |f| f.plan.tips_in_extension,
    ),
    (
        "tips_handled_late",
        "  giải quyết quá hạn",
        "  handled late",
        |f| f.plan.tips_handled_late,
    ),
    ("tips_extended", "  được gia hạn", "  extended", |f| {
        f.plan.tips_extended
    }),
    (
        "tips_overdue",
        "  quá hạn chưa giải quyết",
        "  overdue, not handled",
        |f| f.plan.tips_overdue,
    ),
    (
        "tips_open",
        "  đang trong hạn",
        "  open within the deadline",
        |f| f.plan.tips_open,
    ),
];

/// Counts the cases and tips of `period`, telling `note` each record where it counts.
pub(super) fn count(
    period: Period,
    r: Records,
    f: &mut PlanFigures,
    note: &mut dyn FnMut(&str, RecordId),
) {
    let mut tally = |count: &mut usize, key: &str, id: RecordId| {
        *count += 1;
        note(key, id);
    };
    for c in r.cases {
        let cleared_by_end = c.cleared_at().is_some_and(|at| at < period.end());
        if period.has(c.recorded_at) {
            tally(&mut f.cases_recorded, "cases_recorded", c.id);
            if cleared_by_end {
                tally(&mut f.cases_cleared, "cases_cleared", c.id);
            }
            if c.is_group_caused() {
                tally(&mut f.group_cases, "group_cases", c.id);
                if cleared_by_end {
                    tally(&mut f.group_cases_cleared, "group_cases_cleared", c.id);
                }
            }
            if c.is_serious() {
                tally(&mut f.serious_cases, "serious_cases", c.id);
                if cleared_by_end {
                    tally(&mut f.serious_cases_cleared, "serious_cases_cleared", c.id);
                }
            }
        } else if c.recorded_at < period.start() && c.cleared_at().is_some_and(|at| period.has(at))
        {
            tally(&mut f.old_cases_cleared, "old_cases_cleared", c.id);
        }
    }
    let end = period.end().min(r.as_of);
    for t in r.tips.iter().filter(|t| period.has(t.received_at)) {
        tally(&mut f.tips_received, "tips_received", t.id);
        let extensions = t.extensions.iter().filter(|e| e.at < end).count();
        if extensions > 0 {
            tally(&mut f.tips_extended, "tips_extended", t.id);
        }
        // The deadline in force at the end: the last extension made by then.
        let deadline = t.extensions[..extensions]
            .last()
            .map_or(t.first_deadline, |e| e.new_deadline);
        match t.settled_at.filter(|at| *at < end) {
            Some(at) if at <= t.first_deadline => tally(&mut f.tips_on_time, "tips_on_time", t.id),
            Some(at) if at <= deadline => {
                tally(&mut f.tips_in_extension, "tips_in_extension", t.id)
            }
            Some(_) => tally(&mut f.tips_handled_late, "tips_handled_late", t.id),
            // Handled (closed before settled_at was kept) but when is not known: counted
            // received only.
            None if !t.is_open() && t.settled_at.is_none() => {}
            None if crate::domain::duty::past(deadline, end) => {
                tally(&mut f.tips_overdue, "tips_overdue", t.id)
            }
            None => tally(&mut f.tips_open, "tips_open", t.id),
        }
    }
}

/// How a rate is held against its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compare {
    Above,
    AtLeast,
    AtMost,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Target {
    pub compare: Compare,
    pub percent: f64,
}

impl Target {
    pub fn met_by(self, percent: f64) -> bool {
        match self.compare {
            Compare::Above => percent > self.percent,
            Compare::AtLeast => percent >= self.percent,
            Compare::AtMost => percent <= self.percent,
        }
    }

    /// `> 75 %`, `≥ 95 %`, `≤ −3 %`.
    pub fn text(self) -> String {
        let sign = match self.compare {
            Compare::Above => ">",
            Compare::AtLeast => "≥",
            Compare::AtMost => "≤",
        };
        format!("{sign} {} %", signed_percent(self.percent))
    }
}

fn signed_percent(p: f64) -> String {
    let text = format!("{p:.1}");
    let text = text.trim_end_matches(".0").to_string();
    text.replace('-', "−")
}

/// One of the plan's targets in a period: the share (or change) measured, with what it
/// was measured from.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct PlanValue {
    pub numerator: i64,
    pub denominator: i64,
    /// None when there is nothing to measure (no case of the kind in the period).
    pub percent: Option<f64>,
    pub met: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct PlanRow {
    pub key: String,
    pub label: String,
    pub target: Target,
    pub target_text: String,
    pub current: PlanValue,
    pub previous: PlanValue,
}

/// The period the plan's "before" names (config `[report]`), and optionally the number of
/// criminal offences recorded in it, when the desk's own cases do not go back that far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Baseline {
    pub period: Period,
    /// None: counted from the cases on file.
    pub offences: Option<usize>,
}

impl Default for Baseline {
    /// The year before the plan was signed (9 Aug 2018).
    fn default() -> Baseline {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        Baseline {
            period: Period {
                from: d(2017, 8, 9),
                to: d(2018, 8, 8),
            },
            offences: None,
        }
    }
}

fn share(numerator: usize, denominator: usize, target: Target) -> PlanValue {
    let percent = (denominator > 0).then(|| numerator as f64 * 100.0 / denominator as f64);
    PlanValue {
        numerator: numerator as i64,
        denominator: denominator as i64,
        percent,
        met: percent.map(|p| target.met_by(p)),
    }
}

/// The change of offences per day against the baseline's, in percent.
fn change(count: usize, days: i64, base: usize, base_days: i64, target: Target) -> PlanValue {
    let percent = (base > 0 && days > 0 && base_days > 0).then(|| {
        let rate = count as f64 / days as f64;
        let base_rate = base as f64 / base_days as f64;
        (rate / base_rate - 1.0) * 100.0
    });
    PlanValue {
        numerator: count as i64,
        denominator: base as i64,
        percent,
        met: percent.map(|p| target.met_by(p)),
    }
}

/// The plan's rows for `period` and the one before it.
pub(super) fn rows(
    period: Period,
    current: &Figures,
    previous: &Figures,
    baseline_offences: usize,
    baseline: &Baseline,
    lang: Lang,
) -> Vec<PlanRow> {
    let previous_period = period.previous();
    let mut rows = Vec::new();
    let offences = Target {
        compare: Compare::AtMost,
        percent: -3.0,
    };
    rows.push(PlanRow {
        key: "plan.offences".into(),
        label: lang
            .pick("Tội phạm so với trước KH", "Offences vs before the plan")
            .into(),
        target: offences,
        target_text: offences.text(),
        current: change(
            current.plan.cases_recorded,
            period.days(),
            baseline_offences,
            baseline.period.days(),
            offences,
        ),
        previous: change(
            previous.plan.cases_recorded,
            previous_period.days(),
            baseline_offences,
            baseline.period.days(),
            offences,
        ),
    });
    /// Key, labels, target, and (numerator, denominator) from the counts.
    type Rate = (
        &'static str,
        &'static str,
        &'static str,
        Target,
        fn(&PlanFigures) -> (usize, usize),
    );
    let rates: [Rate; 3] = [
        (
            "plan.group_clearance",
            "Tỷ lệ khám phá án do băng nhóm",
            "Clearance, group-caused cases",
            Target {
                compare: Compare::Above,
                percent: 75.0,
            },
            |p| (p.group_cases_cleared, p.group_cases),
        ),
        (
            "plan.serious_clearance",
            "Tỷ lệ khám phá trọng án",
            "Clearance, serious cases",
            Target {
                compare: Compare::AtLeast,
                percent: 95.0,
            },
            |p| (p.serious_cases_cleared, p.serious_cases),
        ),
        (
            "plan.tips_in_time",
            "Tin báo giải quyết đúng hạn",
            "Tips handled in time",
            Target {
                compare: Compare::AtLeast,
                percent: 100.0,
            },
            |p| {
                let in_time = p.tips_on_time + p.tips_in_extension;
                (in_time, in_time + p.tips_handled_late + p.tips_overdue)
            },
        ),
    ];
    for (key, vi, en, target, get) in rates {
        let (a, b) = get(&current.plan);
        let (c, d) = get(&previous.plan);
        rows.push(PlanRow {
            key: key.into(),
            label: lang.pick(vi, en).into(),
            target,
            target_text: target.text(),
            current: share(a, b, target),
            previous: share(c, d, target),
        });
    }
    rows
}

/// The baseline as a line: `Trước KH: 09/08/2017 – 08/08/2018, 96 vụ`.
pub fn baseline_text(baseline: &Baseline, lang: Lang) -> String {
    let count = baseline.offences.unwrap_or(0);
    match lang {
        Lang::Vi => format!("Trước KH: {}, {count} vụ", baseline.period.label(lang)),
        Lang::En => format!(
            "Before the plan: {}, {count} offences",
            baseline.period.label(lang)
        ),
    }
}

/// "đạt" / "met", "không đạt" / "not met", "chưa có số liệu" / "nothing to measure".
pub fn verdict(value: &PlanValue, lang: Lang) -> &'static str {
    match value.met {
        Some(true) => lang.pick("đạt", "met"),
        Some(false) => lang.pick("không đạt", "not met"),
        None => lang.pick("chưa có số liệu", "nothing to measure"),
    }
}

/// The share or change alone: `80 %`, `−4.2 %`, `–` (nothing to measure).
pub fn percent_text(value: &PlanValue) -> String {
    value
        .percent
        .map_or_else(|| "–".into(), |p| format!("{} %", signed_percent(p)))
}

/// A value as the report shows it: `80 % (4/5)`, `−4.2 %`, `–`; a change against the
/// baseline without its counts (they are the baseline's line).
pub fn value_text(key: &str, value: &PlanValue) -> String {
    match value.percent {
        Some(_) if key != "plan.offences" => format!(
            "{} ({}/{})",
            percent_text(value),
            value.numerator,
            value.denominator
        ),
        _ => percent_text(value),
    }
}

/// Cases recorded and cleared in one calendar month (a case counts as cleared in the month
/// of its clearance, whenever it was recorded).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct MonthCount {
    /// `2026-03`.
    pub month: String,
    pub recorded: usize,
    pub cleared: usize,
}

/// The twelve months up to the one holding `last`, oldest first.
pub fn monthly(cases: &[crate::domain::cases::Case], last: NaiveDate) -> Vec<MonthCount> {
    use chrono::Datelike;
    let key = |d: NaiveDate| (d.year(), d.month());
    let first_of = |d: NaiveDate| d.with_day(1).expect("the first of a month");
    let mut months: Vec<NaiveDate> = (0..12u32)
        .filter_map(|back| first_of(last).checked_sub_months(chrono::Months::new(back)))
        .collect();
    months.reverse();
    months
        .into_iter()
        .map(|m| {
            let recorded = cases
                .iter()
                .filter(|c| key(local_date(c.recorded_at)) == key(m))
                .count();
            let cleared = cases
                .iter()
                .filter(|c| c.cleared_on().is_some_and(|d| key(d) == key(m)))
                .count();
            MonthCount {
                month: m.format("%Y-%m").to_string(),
                recorded,
                cleared,
            }
        })
        .collect()
}

/// A one-line bar chart of `values`, one character each, the highest a full block.
pub fn bars(values: &[usize]) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let top = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| match (v, top) {
            (0, _) => ' ',
            (v, top) => LEVELS[((v * LEVELS.len()).div_ceil(top)).clamp(1, LEVELS.len()) - 1],
        })
        .collect()
}

/// The records the plan's row `key` is measured on: its denominator's line.
pub fn behind(key: &str) -> &str {
    match key {
        "plan.offences" => "cases_recorded",
        "plan.group_clearance" => "group_cases",
        "plan.serious_clearance" => "serious_cases",
        "plan.tips_in_time" => "tips_received",
        other => other,
    }
}
