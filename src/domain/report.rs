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

/// Local dates `from..=to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The `months` whole months from `from` (None past the calendar's end).
fn months_from(from: NaiveDate, months: u32) -> Option<Period> {
    let to = from
        .checked_add_months(chrono::Months::new(months))?
        .pred_opt()?;
    Some(Period { from, to })
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, crate::i18n::Said> {
        if to < from {
            return Err(crate::i18n::Said::new(
                format!("--to {to} trước --from {from}"),
                format!("--to {to} is before --from {from}"),
            ));
        }
        Ok(Period { from, to })
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The period a report compares this one with: the whole calendar period before a
    /// whole half-year, month or year (01/07–31/12/2025 before 01/01–30/06/2026), else the
    /// period of the same length that ends the day before this one starts (the half-year
    /// to date is compared with as many days before it).
    pub fn previous(&self) -> Period {
        let whole = self
            .calendar_months()
            .and_then(|months| months_from(self.from, months))
            == Some(*self);
        if whole {
            self.step_back()
        } else {
            self.same_length_before()
        }
    }

    fn same_length_before(&self) -> Period {
        let to = self.from - chrono::Duration::days(1);
        Period {
            from: to - chrono::Duration::days(self.days() - 1),
            to,
        }
    }

    /// The period of the same length that starts the day after this one ends.
    pub fn next(&self) -> Period {
        let from = self.to + chrono::Duration::days(1);
        Period {
            from,
            to: from + chrono::Duration::days(self.days() - 1),
        }
    }

    /// The calendar period this one is (or is the part to date of): a year, a half-year or
    /// a month, by where it starts and ends; None for any other span.
    fn calendar_months(&self) -> Option<u32> {
        use chrono::Datelike;
        if self.from.day() != 1 {
            return None;
        }
        let end_of = |months| months_from(self.from, months).map(|p| p.to);
        let month = self.from.month();
        // A whole year, a whole month; then a half-year or the part of it to date (the
        // default period), then a month to date.
        if month == 1 && end_of(12) == Some(self.to) {
            return Some(12);
        }
        if end_of(1) == Some(self.to) {
            return Some(1);
        }
        if (month == 1 || month == 7) && end_of(6).is_some_and(|end| self.to <= end) {
            return Some(6);
        }
        end_of(1).is_some_and(|end| self.to <= end).then_some(1)
    }

    /// The console's `[`: the whole calendar period before (the half-year before a
    /// half-year to date, the month before a month), else the period of the same length
    /// before.
    pub fn step_back(&self) -> Period {
        self.calendar_months()
            .and_then(|months| {
                let from = self.from.checked_sub_months(chrono::Months::new(months))?;
                months_from(from, months)
            })
            .unwrap_or_else(|| self.same_length_before())
    }

    /// The console's `]`: the whole calendar period after, else the same length after.
    pub fn step_forward(&self) -> Period {
        self.calendar_months()
            .and_then(|months| {
                let from = self.from.checked_add_months(chrono::Months::new(months))?;
                months_from(from, months)
            })
            .unwrap_or_else(|| self.next())
    }

    /// The half-year to date: from 1 January or 1 July, whichever began the half-year
    /// `today` is in, to `today`. The plan reports every six months (and every year, which
    /// is two halves), so the desk's running figures are those of the half-year under way;
    /// `:baocao FROM TO` or `trucban report` gives any other period.
    pub fn half_year_to(today: NaiveDate) -> Period {
        use chrono::Datelike;
        let month = if today.month() <= 6 { 1 } else { 7 };
        let from = NaiveDate::from_ymd_opt(today.year(), month, 1).unwrap_or(today);
        Period { from, to: today }
    }

    /// `01/01/2026 – 30/06/2026` · `01 Jan 2026 – 30 Jun 2026`
    pub fn label(&self, lang: Lang) -> String {
        format!("{} – {}", lang.date(self.from), lang.date(self.to))
    }

    pub fn has_date(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    pub fn has(&self, t: Instant) -> bool {
        self.has_date(local_date(t))
    }

    /// The instant just after the period (00:00 local the day after `to`).
    pub fn end(&self) -> Instant {
        local_day_start(self.to, 24)
    }

    /// Days of `from..=to` that fall in this period.
    fn overlap_days(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let start = from.max(self.from);
        let end = to.min(self.to);
        if end < start {
            0
        } else {
            (end - start).num_days() + 1
        }
    }
}

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
    let mut ids = Vec::new();
    figures_noting(period, r, &mut |counted, id| {
        if counted == key && !ids.contains(&id) {
            ids.push(id);
        }
    });
    ids
}

/// Whether a report line counts records of the period, which [`records_behind`] lists: all
/// but the group file as it stands today (`groups_now…`).
pub fn lists_records(key: &str) -> bool {
    !key.starts_with("groups_now")
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Report {
    pub period: Period,
    pub previous_period: Period,
    pub lines: Vec<Line>,
    pub groups_now: GroupFile,
    pub current: Figures,
    pub previous: Figures,
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
    Report {
        period,
        previous_period,
        lines,
        groups_now: group_file(r.groups),
        current,
        previous,
    }
}

impl Report {
    fn groups_lines(&self, lang: Lang) -> Vec<(String, usize)> {
        let g = &self.groups_now;
        vec![
            (
                lang.pick("Băng nhóm đang quản lý", "Criminal groups on file")
                    .into(),
                g.on_file,
            ),
            (lang.pick("  đang hoạt động", "  active").into(), g.active),
            (
                lang.pick("  đang điều tra", "  under investigation").into(),
                g.under_investigation,
            ),
            (
                lang.pick("  đã triệt phá", "  dismantled (neutralised)")
                    .into(),
                g.dismantled,
            ),
            (
                lang.pick("  xuyên quốc gia", "  transnational").into(),
                g.transnational,
            ),
            (
                lang.pick("  không có ngày đưa vào hồ sơ", "  with no filing date")
                    .into(),
                g.undated_filed,
            ),
            (
                lang.pick(
                    "  đã triệt phá, không có ngày triệt phá",
                    "  dismantled with no neutralised date",
                )
                .into(),
                g.undated_neutralised,
            ),
        ]
    }

    /// Under the file's state: why the undated groups are not in the period counts.
    pub fn undated_note(&self, lang: Lang) -> Option<String> {
        let g = &self.groups_now;
        let n = g.undated_filed.max(g.undated_neutralised);
        (n > 0).then(|| {
            lang.pick_owned(
                "Băng nhóm không ghi ngày (hồ sơ cũ) không được tính vào kỳ nào.",
                "Groups without dates (older records) are counted in no period.",
            )
        })
    }

    fn title(&self, lang: Lang) -> [String; 2] {
        let p = |x: Period| x.label(lang);
        match lang {
            Lang::Vi => [
                format!("BÁO CÁO {} ({} ngày)", p(self.period), self.period.days()),
                format!("So với kỳ trước: {}", p(self.previous_period)),
            ],
            Lang::En => [
                format!("REPORT {} ({} days)", p(self.period), self.period.days()),
                format!("Compared with: {}", p(self.previous_period)),
            ],
        }
    }

    /// Plain text, 80 columns.
    pub fn to_text(&self, lang: Lang) -> String {
        use unicode_width::UnicodeWidthStr;
        let pad = |s: &str, w: usize| {
            let s = super::text::display_safe(s);
            let cut: String = super::handover::wrap(&s, w, 0)
                .into_iter()
                .next()
                .unwrap_or_default();
            format!("{cut}{}", " ".repeat(w.saturating_sub(cut.width())))
        };
        let mut out = self.title(lang).join("\n");
        out.push_str(&format!(
            "\n\n{}{:>9}{:>9}{:>9}\n",
            pad("", 50),
            lang.pick("kỳ này", "this"),
            lang.pick("kỳ trước", "before"),
            "+/-"
        ));
        for l in &self.lines {
            out.push_str(&format!(
                "{}{:>9}{:>9}{:>+9}\n",
                pad(&l.label, 50),
                l.current,
                l.previous,
                l.change
            ));
        }
        out.push_str(&format!(
            "\n{}\n",
            lang.pick(
                "Băng nhóm trên hồ sơ hiện nay (không theo kỳ):",
                "Criminal groups on file now (not by period):"
            )
        ));
        for (label, n) in self.groups_lines(lang) {
            out.push_str(&format!("{}{n:>9}\n", pad(&label, 50)));
        }
        if let Some(note) = self.undated_note(lang) {
            out.push_str(&format!("{note}\n"));
        }
        out
    }

    pub fn to_markdown(&self, lang: Lang) -> String {
        let [title, compared] = self.title(lang);
        let esc = |t: &str| super::text::display_safe(t).replace('|', "\\|");
        let mut out = format!("# {title}\n\n{compared}\n\n");
        out.push_str(&format!(
            "| | {} | {} | +/- |\n|---|---:|---:|---:|\n",
            lang.pick("kỳ này", "this period"),
            lang.pick("kỳ trước", "previous")
        ));
        for l in &self.lines {
            out.push_str(&format!(
                "| {} | {} | {} | {:+} |\n",
                esc(l.label.trim()),
                l.current,
                l.previous,
                l.change
            ));
        }
        out.push_str(&format!(
            "\n## {}\n\n",
            lang.pick(
                "Băng nhóm trên hồ sơ hiện nay (không theo kỳ)",
                "Criminal groups on file now (not by period)"
            )
        ));
        for (label, n) in self.groups_lines(lang) {
            out.push_str(&format!("- {}: {n}\n", esc(label.trim())));
        }
        if let Some(note) = self.undated_note(lang) {
            out.push_str(&format!("\n{note}\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_period_is_the_calendar_one_or_as_long() {
        let d = |s| crate::domain::time::parse_date(s).expect("date");
        // A whole half-year is compared with the whole half-year before (issue 16).
        let p = Period::new(d("2026-01-01"), d("2026-06-30")).expect("period");
        assert_eq!(p.days(), 181);
        let q = p.previous();
        assert_eq!(
            (q.from, q.to, q.days()),
            (d("2025-07-01"), d("2025-12-31"), 184)
        );
        // Any other span, the half-year to date included: as many days just before.
        let r = Period::new(d("2026-03-05"), d("2026-03-11")).expect("period");
        assert_eq!(
            r.previous(),
            Period::new(d("2026-02-26"), d("2026-03-04")).expect("period")
        );
        assert_eq!(r.next().previous(), r);
        let h = Period::half_year_to(d("2026-11-27"));
        assert_eq!(h.previous().days(), h.days());
        assert!(Period::new(d("2026-01-02"), d("2026-01-01")).is_err());
        assert_eq!(p.overlap_days(d("2025-12-25"), d("2026-01-03")), 3);
        assert_eq!(p.overlap_days(d("2026-07-01"), d("2026-07-03")), 0);
    }

    #[test]
    fn the_console_steps_by_calendar_periods() {
        let d = |s| crate::domain::time::parse_date(s).expect("date");
        let p = |a, b| Period::new(d(a), d(b)).expect("period");
        // The half-year to date: back to the whole half-year before, and on.
        let h = Period::half_year_to(d("2026-11-27"));
        assert_eq!(h.step_back(), p("2026-01-01", "2026-06-30"));
        assert_eq!(h.step_back().step_back(), p("2025-07-01", "2025-12-31"));
        assert_eq!(h.step_back().step_forward(), p("2026-07-01", "2026-12-31"));
        let h = Period::half_year_to(d("2026-03-10"));
        assert_eq!(h.step_back(), p("2025-07-01", "2025-12-31"));
        // A year, a month, and any other span.
        assert_eq!(
            p("2025-01-01", "2025-12-31").step_back(),
            p("2024-01-01", "2024-12-31")
        );
        assert_eq!(
            p("2026-03-01", "2026-03-31").step_back(),
            p("2026-02-01", "2026-02-28")
        );
        assert_eq!(
            p("2026-03-01", "2026-03-31").step_forward(),
            p("2026-04-01", "2026-04-30")
        );
        assert_eq!(
            p("2026-01-01", "2026-01-31").step_back(),
            p("2025-12-01", "2025-12-31")
        );
        assert_eq!(
            p("2026-03-05", "2026-03-11").step_back(),
            p("2026-02-26", "2026-03-04")
        );
    }

    #[test]
    fn the_default_period_is_the_half_year_to_date() {
        let d = |s| crate::domain::time::parse_date(s).expect("date");
        let h = Period::half_year_to(d("2026-11-27"));
        assert_eq!((h.from, h.to), (d("2026-07-01"), d("2026-11-27")));
        let h = Period::half_year_to(d("2026-06-30"));
        assert_eq!(
            (h.from, h.to, h.days()),
            (d("2026-01-01"), d("2026-06-30"), 181)
        );
        let h = Period::half_year_to(d("2026-07-01"));
        assert_eq!(
            (h.from, h.to, h.days()),
            (d("2026-07-01"), d("2026-07-01"), 1)
        );
    }
}
