//! Periodic reports (báo cáo định kỳ): the figures the province's plan asks every six
//! months and every year, for a period of local dates, beside the period of the same length
//! just before it. Pure arithmetic over the records the service read.
//!
//! Criminal groups count twice: filed and neutralised within each period (by their
//! `filed_on` and `neutralised_on` dates, see [`super::group_dates`]), and, apart, the state
//! of the file when the report is made (on file now, by status). A group stored before the
//! dates existed has no filing date (or, dismantled, no neutralised date): it is in neither
//! period's count — it cannot be placed — and the file's state says how many such groups
//! there are, so that the reader knows the period counts may be short by that many.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::campaign::{Assignment, Campaign};
use super::hits::{Hit, HitOutcome};
use super::ids::RecordId;
use super::lodging::Inspection;
use super::time::{Instant, local_date, local_day_start};
use super::wanted::{CriminalGroup, GroupStatus, WantedNotice, WantedStatus};
use super::watch::Sighting;
use crate::i18n::Lang;

mod period;
pub mod plan;
mod render;

pub use period::Period;
pub use plan::{Baseline, PlanFigures, PlanRow};

/// The records a report counts (the service reads them).
#[derive(Clone, Copy, Debug)]
pub struct Records<'a> {
    pub notices: &'a [WantedNotice],
    pub groups: &'a [CriminalGroup],
    pub sightings: &'a [Sighting],
    pub hits: &'a [Hit],
    pub inspections: &'a [Inspection],
    pub campaigns: &'a [Campaign],
    pub assignments: &'a [Assignment],
    /// Every case on file (a case counts where it was recorded and where it was cleared).
    pub cases: &'a [super::cases::Case],
    pub tips: &'a [super::tips::Tip],
    /// When the report is made: a tip of a period not over is judged as it stands now.
    pub as_of: Instant,
    pub baseline: &'a Baseline,
}

/// Still wanted at the end of the period, by class and danger (codes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct StillWanted {
    #[serde(deserialize_with = "crate::domain::text::static_str")]
    pub class: crate::domain::text::StaticStr,
    #[serde(deserialize_with = "crate::domain::text::static_str")]
    pub danger: crate::domain::text::StaticStr,
    pub count: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Figures {
    pub arrested: usize,
    pub surrendered: usize,
    pub cancelled: usize,
    pub still_wanted: usize,
    pub still_wanted_by: Vec<StillWanted>,
    pub sightings: usize,
    /// Distinct watch entries sighted.
    pub persons_sighted: usize,
    pub hits_found: usize,
    pub hits_confirmed: usize,
    pub hits_not_the_person: usize,
    /// Found in the period and still without a final outcome at its end.
    pub hits_open: usize,
    pub inspections: usize,
    pub inspections_with_violations: usize,
    pub violations: usize,
    /// Criminal groups filed (`filed_on`) in the period.
    pub groups_filed: usize,
    /// Criminal groups neutralised (`neutralised_on`) in the period.
    pub groups_neutralised: usize,
    /// Campaign days in the period on each route (a campaign counts on each of its routes).
    pub campaign_days_by_route: BTreeMap<String, i64>,
    /// Assignments (one officer, one shift) in the period at each post or route.
    pub officer_shifts_by_post: BTreeMap<String, usize>,
    /// Cases and tips: the plan's figures.
    #[serde(default)]
    pub plan: PlanFigures,
}

/// The status a notice had at `t` (its last history entry at or before `t`), if it
/// existed then. A notice without history counts with its present status.
fn status_at(n: &WantedNotice, t: Instant) -> Option<WantedStatus> {
    if n.history.is_empty() {
        return Some(n.status);
    }
    n.history.iter().rev().find(|h| h.at < t).map(|h| h.status)
}

pub fn figures(period: Period, r: Records) -> Figures {
    figures_noting(period, r, &mut |_, _| {})
}

/// The records behind the figure of the report line `key` in `period`: the same counting
/// as [`figures`], each record noted where it counts (a notice once per change counted, a
/// watch entry once however often sighted).
pub fn records_behind(period: Period, r: Records, key: &str) -> Vec<RecordId> {
    let key = plan::behind(key);
    let mut ids = Vec::new();
    figures_noting(period, r, &mut |counted, id| {
        if counted == key && !ids.contains(&id) {
            ids.push(id);
        }
    });
    ids
}

/// Whether a report line counts records of the period, which [`records_behind`] lists: all
/// but the group file as it stands today (`groups_now…`) and the monthly chart (`chart.…`).
pub fn lists_records(key: &str) -> bool {
    !key.starts_with("groups_now") && !key.starts_with("chart.")
}

/// [`figures`], telling `note` each record as it is counted, with the key of its line.
fn figures_noting(period: Period, r: Records, note: &mut dyn FnMut(&str, RecordId)) -> Figures {
    let mut f = Figures::default();
    for n in r.notices {
        for change in n.history.iter().filter(|h| period.has(h.at)) {
            match change.status {
                WantedStatus::Arrested => f.arrested += 1,
                WantedStatus::Surrendered => f.surrendered += 1,
                WantedStatus::Cancelled => f.cancelled += 1,
                WantedStatus::Wanted | WantedStatus::Deceased => continue,
            }
            note(change.status.code(), n.id);
        }
    }
    let mut by: BTreeMap<(&'static str, &'static str), usize> = BTreeMap::new();
    for n in r.notices {
        if status_at(n, period.end()) == Some(WantedStatus::Wanted) {
            f.still_wanted += 1;
            *by.entry((n.class.code(), n.danger.code())).or_default() += 1;
            note("still_wanted", n.id);
            note(
                &format!("still_wanted.{}.{}", n.class.code(), n.danger.code()),
                n.id,
            );
        }
    }
    f.still_wanted_by = by
        .into_iter()
        .map(|((class, danger), count)| StillWanted {
            class,
            danger,
            count,
        })
        .collect();
    let sighted: Vec<&Sighting> = r.sightings.iter().filter(|s| period.has(s.at)).collect();
    f.sightings = sighted.len();
    for s in &sighted {
        note("sightings", s.id);
        note("persons_sighted", s.entry_id);
    }
    f.persons_sighted = sighted
        .iter()
        .map(|s| s.entry_id)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    for h in r.hits {
        if period.has(h.found_at) {
            f.hits_found += 1;
            note("hits_found", h.id);
            let closed = h.closed_at().is_some_and(|at| at < period.end());
            if !closed {
                f.hits_open += 1;
                note("hits_open", h.id);
            }
        }
        if let Some(step) = h.final_step()
            && period.has(step.at)
        {
            match step.outcome {
                HitOutcome::Confirmed => {
                    f.hits_confirmed += 1;
                    note("hits_confirmed", h.id);
                }
                HitOutcome::NotThePerson => {
                    f.hits_not_the_person += 1;
                    note("hits_not_the_person", h.id);
                }
                HitOutcome::Escalated => {}
            }
        }
    }
    for i in r.inspections.iter().filter(|i| period.has_date(i.date)) {
        f.inspections += 1;
        note("inspections", i.id);
        f.violations += i.violations.len();
        if !i.violations.is_empty() {
            f.inspections_with_violations += 1;
            note("inspections_with_violations", i.id);
            note("violations", i.id);
        }
    }
    for g in r.groups {
        if g.filed_on.is_some_and(|d| period.has_date(d)) {
            f.groups_filed += 1;
            note("groups_filed", g.id);
        }
        if g.neutralised_on.is_some_and(|d| period.has_date(d)) {
            f.groups_neutralised += 1;
            note("groups_neutralised", g.id);
        }
    }
    for c in r.campaigns {
        let days = period.overlap_days(c.start, c.end);
        if days > 0 {
            for route in &c.routes {
                *f.campaign_days_by_route.entry(route.clone()).or_default() += days;
                note(&format!("campaign_days.{route}"), c.id);
            }
        }
    }
    for a in r.assignments.iter().filter(|a| period.has_date(a.date)) {
        *f.officer_shifts_by_post.entry(a.post.clone()).or_default() += 1;
        note("officer_shifts", a.id);
        note(&format!("officer_shifts.{}", a.post), a.id);
    }
    plan::count(period, r, &mut f.plan, note);
    f
}

/// Criminal groups on file now, by status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct GroupFile {
    pub on_file: usize,
    pub active: usize,
    pub under_investigation: usize,
    /// Dismantled (neutralised).
    pub dismantled: usize,
    pub transnational: usize,
    /// Groups without a filing date (stored before the dates existed): in no period's count.
    pub undated_filed: usize,
    /// Dismantled groups without a neutralised date: in no period's count.
    pub undated_neutralised: usize,
}

pub fn group_file(groups: &[CriminalGroup]) -> GroupFile {
    let mut g = GroupFile {
        on_file: groups.len(),
        ..GroupFile::default()
    };
    for group in groups {
        match group.status {
            GroupStatus::Active => g.active += 1,
            GroupStatus::UnderInvestigation => g.under_investigation += 1,
            GroupStatus::Dismantled => g.dismantled += 1,
        }
        if group.transnational {
            g.transnational += 1;
        }
        if group.filed_on.is_none() {
            g.undated_filed += 1;
        }
        if group.status == GroupStatus::Dismantled && group.neutralised_on.is_none() {
            g.undated_neutralised += 1;
        }
    }
    g
}

/// One figure in both periods.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Line {
    pub key: String,
    pub label: String,
    pub current: i64,
    pub previous: i64,
    pub change: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Report {
    pub period: Period,
    pub previous_period: Period,
    pub lines: Vec<Line>,
    pub groups_now: GroupFile,
    pub current: Figures,
    pub previous: Figures,
    /// The plan's targets, each in both periods with met or not.
    #[serde(default)]
    pub plan: Vec<PlanRow>,
    #[serde(default)]
    pub baseline: Option<Baseline>,
    /// Cases recorded and cleared per month, the twelve months to the period's end.
    #[serde(default)]
    pub monthly: Vec<plan::MonthCount>,
}

/// A figure of [`Figures`]: key, Vietnamese and English labels, and how to read it.
type Scalar = (
    &'static str,
    &'static str,
    &'static str,
    fn(&Figures) -> usize,
);

pub fn report(period: Period, r: Records, lang: Lang) -> Report {
    let previous_period = period.previous();
    let current = figures(period, r);
    let previous = figures(previous_period, r);
    let mut lines = Vec::new();
    let mut line = |key: String, label: String, a: i64, b: i64| {
        lines.push(Line {
            key,
            label,
            current: a,
            previous: b,
            change: a - b,
        })
    };
    let scalar: [Scalar; 16] = [
        ("arrested", "Truy nã: bắt", "Wanted: arrested", |f| {
            f.arrested
        }),
        (
            "surrendered",
            "Truy nã: đầu thú",
            "Wanted: surrendered",
            |f| f.surrendered,
        ),
        (
            "cancelled",
            "Truy nã: đình nã",
            "Wanted: cancelled",
            |f| f.cancelled,
        ),
        (
            "still_wanted",
            "Còn truy nã (cuối kỳ)",
            "Still wanted (period end)",
            |f| f.still_wanted,
        ),
        (
            "groups_filed",
            "Băng nhóm: đưa vào hồ sơ",
            "Criminal groups filed",
            |f| f.groups_filed,
        ),
        (
            "groups_neutralised",
            "Băng nhóm: triệt phá",
            "Criminal groups neutralised",
            |f| f.groups_neutralised,
        ),
        (
            "sightings",
            "Phát hiện ĐT lưu động",
            "Mobile-offender sightings",
            |f| f.sightings,
        ),
        (
            "persons_sighted",
            "Số ĐT được phát hiện",
            "Offenders sighted",
            |f| f.persons_sighted,
        ),
        (
            "hits_found",
            "Nghi trùng khi sàng lọc",
            "Screening hits",
            |f| f.hits_found,
        ),
        (
            "hits_confirmed",
            "Nghi trùng: xác nhận đúng",
            "Hits confirmed",
            |f| f.hits_confirmed,
        ),
        (
            "hits_not_the_person",
            "Nghi trùng: không phải",
            "Hits: not the person",
            |f| f.hits_not_the_person,
        ),
        (
            "hits_open",
            "Nghi trùng chưa xong (cuối kỳ)",
            "Hits still open (period end)",
            |f| f.hits_open,
        ),
        (
            "inspections",
            "Lượt kiểm tra lưu trú",
            "Lodging inspections",
            |f| f.inspections,
        ),
        (
            "inspections_with_violations",
            "Lượt kiểm tra có vi phạm",
            "Inspections with violations",
            |f| f.inspections_with_violations,
        ),
        (
            "violations",
            "Vi phạm phát hiện",
            "Violations found",
            |f| f.violations,
        ),
        (
            "officer_shifts",
            "Lượt cán bộ-ca cao điểm",
            "Campaign officer-shifts",
            |f| f.officer_shifts_by_post.values().sum(),
        ),
    ];
    for (key, vi, en, get) in &scalar[..4] {
        line(
            key.to_string(),
            lang.pick(vi, en).to_string(),
            get(&current) as i64,
            get(&previous) as i64,
        );
    }
    let classes: std::collections::BTreeSet<(&str, &str)> = current
        .still_wanted_by
        .iter()
        .chain(&previous.still_wanted_by)
        .map(|s| (s.class, s.danger))
        .collect();
    let count = |f: &Figures, k: (&str, &str)| {
        f.still_wanted_by
            .iter()
            .find(|s| (s.class, s.danger) == k)
            .map_or(0, |s| s.count as i64)
    };
    for k in classes {
        let label = format!(
            "  {} / {}",
            super::wanted::WantedClass::parse(k.0).map_or(k.0, |c| c.label(lang)),
            super::wanted::Danger::parse(k.1).map_or(k.1, |d| d.label(lang))
        );
        line(
            format!("still_wanted.{}.{}", k.0, k.1),
            label,
            count(&current, k),
            count(&previous, k),
        );
    }
    for (key, vi, en, get) in &scalar[4..] {
        line(
            key.to_string(),
            lang.pick(vi, en).to_string(),
            get(&current) as i64,
            get(&previous) as i64,
        );
    }
    let routes: std::collections::BTreeSet<&String> = current
        .campaign_days_by_route
        .keys()
        .chain(previous.campaign_days_by_route.keys())
        .collect();
    for route in routes {
        let get = |f: &Figures| f.campaign_days_by_route.get(route).copied().unwrap_or(0);
        line(
            format!("campaign_days.{route}"),
            format!("{}: {route}", lang.pick("Ngày cao điểm", "Campaign days")),
            get(&current),
            get(&previous),
        );
    }
    let posts: std::collections::BTreeSet<&String> = current
        .officer_shifts_by_post
        .keys()
        .chain(previous.officer_shifts_by_post.keys())
        .collect();
    for post in posts {
        let get = |f: &Figures| f.officer_shifts_by_post.get(post).copied().unwrap_or(0) as i64;
        line(
            format!("officer_shifts.{post}"),
            format!("{}: {post}", lang.pick("Cán bộ-ca", "Officer-shifts")),
            get(&current),
            get(&previous),
        );
    }
    for (key, vi, en, get) in &plan::PLAN_LINES {
        line(
            key.to_string(),
            lang.pick(vi, en).to_string(),
            get(&current) as i64,
            get(&previous) as i64,
        );
    }
    // The baseline's offences: as configured, else the cases on file in it.
    let baseline_offences = r.baseline.offences.unwrap_or_else(|| {
        // Only the cases are counted for the baseline, not every figure of that year.
        let mut base = PlanFigures::default();
        plan::count(r.baseline.period, r, &mut base, &mut |_, _| {});
        base.cases_recorded
    });
    let plan = plan::rows(
        period,
        &current,
        &previous,
        baseline_offences,
        r.baseline,
        lang,
    );
    Report {
        period,
        previous_period,
        lines,
        groups_now: group_file(r.groups),
        current,
        previous,
        plan,
        baseline: Some(Baseline {
            period: r.baseline.period,
            offences: Some(baseline_offences),
        }),
        monthly: plan::monthly(r.cases, period.to),
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod plan_tests;
