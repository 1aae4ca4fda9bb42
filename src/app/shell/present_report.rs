//! The periodic report in the console (`:baocao`): first the plan's targets (each with its
//! target and "met" or "not met" in words, this period beside the one before) and a bar
//! chart of cases recorded and cleared per month over the last year; then one table row per
//! figure of [`crate::domain::report::Report`] — this period, the previous period of the
//! same length, and the change — then the criminal groups on file now (one count, not by
//! period). The
//! title bar names the period; every row's note names the previous period and the keys that
//! step to the period before or after (`[`, `]`). A table, like the late-declaration board,
//! so the officer scrolls, filters (`/`) and sorts it with the keys of every view.

use crate::domain::RecordId;
use crate::domain::report::plan::{self, PlanValue};
use crate::domain::report::{Period, Report};
use crate::i18n::Lang;
use crate::service::{DeskApi, Result};

use super::present::Loaded;
use crate::app::table::{Cell, Row, Tone};

/// The rows are figures, not records: they all carry the ID of none
/// ([`Detail::not_a_record`]); `Enter` opens the records behind a figure, `a` does nothing
/// (see `update`).
fn no_record() -> RecordId {
    crate::app::state::Detail::not_a_record()
}

/// A count, right-aligned, sortable as a number.
fn count(n: i64, width: usize, signed: bool) -> Cell {
    let text = if signed {
        format!("{n:>+width$}")
    } else {
        format!("{n:>width$}")
    };
    // Sort key: offset so that negative changes sort below zero as text.
    Cell::new(text).sorted_by(format!("{:020}", i128::from(n) + i128::from(i64::MAX)))
}

fn change_tone(key: &str, change: i64) -> Tone {
    // Still wanted and open hits are work left: more is not better. Elsewhere a change is
    // only a change; the sign says which way.
    let backlog = key.starts_with("still_wanted") || key == "hits_open";
    match (backlog, change.signum()) {
        (_, 0) => Tone::Muted,
        (true, 1) => Tone::Warning,
        _ => Tone::Normal,
    }
}

/// A share or change as the narrow count columns show it (`61.5 %`, `−13.6 %`, `–`).
fn percent_cell(value: &PlanValue) -> Cell {
    let text = plan::percent_text(value);
    let tone = match value.met {
        Some(false) => Tone::Danger,
        _ => Tone::Normal,
    };
    Cell::new(format!("{text:>8}"))
        .tone(tone)
        .sorted_by(format!("{:020.3}", value.percent.unwrap_or(-1e9) + 1e9))
}

/// The plan's rows: label, target and this period's verdict in words; the note gives both
/// periods' values with their verdicts. `Enter` opens the records the figure is measured on.
fn plan_rows(report: &Report, lang: Lang) -> Vec<Row> {
    let mut rows: Vec<Row> = report
        .plan
        .iter()
        .map(|row| {
            let verdict = plan::verdict(&row.current, lang);
            // This period's value and verdict are on the row; the note says what it is
            // measured against: the baseline, or the period before with its own verdict.
            let before = format!(
                "{} ({})",
                plan::value_text(&row.key, &row.previous),
                plan::verdict(&row.previous, lang)
            );
            let note = match (&report.baseline, row.key.as_str()) {
                (Some(b), "plan.offences") => format!(
                    "{} · {} {before}",
                    plan::baseline_text(b, lang),
                    lang.pick("kỳ trước", "before")
                ),
                _ => format!(
                    "{}: {} · {before}",
                    lang.pick("Kỳ trước", "Before"),
                    report.previous_period.label(lang)
                ),
            };
            Row::keyed(
                no_record(),
                row.key.clone(),
                vec![
                    Cell::new(format!("{} {}: {verdict}", row.label, row.target_text)),
                    percent_cell(&row.current),
                    percent_cell(&row.previous),
                    Cell::new(""),
                ],
            )
            .with_note(note)
        })
        .collect();
    if !report.monthly.is_empty() {
        let (first, last) = (
            &report.monthly[0].month,
            &report.monthly[report.monthly.len() - 1].month,
        );
        let chart_note = lang.pick_owned(
            &format!("Mỗi cột một tháng, {first} → {last}; vụ khám phá tính vào tháng khám phá"),
            &format!(
                "One bar a month, {first} → {last}; a case counts as cleared in the month it was"
            ),
        );
        type Series = (
            &'static str,
            &'static str,
            &'static str,
            fn(&plan::MonthCount) -> usize,
        );
        let series: [Series; 2] = [
            (
                "chart.recorded",
                "Vụ án ghi nhận, 12 tháng",
                "Cases recorded, 12 months",
                |m| m.recorded,
            ),
            (
                "chart.cleared",
                "Vụ án khám phá, 12 tháng",
                "Cases cleared, 12 months",
                |m| m.cleared,
            ),
        ];
        for (key, vi, en, get) in series {
            let values: Vec<usize> = report.monthly.iter().map(get).collect();
            let total: usize = values.iter().sum();
            rows.push(
                Row::keyed(
                    no_record(),
                    key.into(),
                    vec![
                        Cell::new(format!("{:<27}{}", lang.pick(vi, en), plan::bars(&values))),
                        count(total as i64, 8, false),
                        Cell::new(""),
                        Cell::new(""),
                    ],
                )
                .with_note(chart_note.clone()),
            );
        }
    }
    rows
}

/// The report's rows (see the module doc).
pub fn rows(report: &Report, lang: Lang) -> Vec<Row> {
    let safe = |s: &str| crate::domain::text::display_safe(s).into_owned();
    let note = match lang {
        Lang::Vi => format!(
            "Kỳ trước: {} · [ kỳ trước  ] kỳ sau",
            report.previous_period.label(lang)
        ),
        Lang::En => format!(
            "Before: {} · [ previous period  ] next",
            report.previous_period.label(lang)
        ),
    };
    let mut rows = plan_rows(report, lang);
    rows.extend(report.lines.iter().map(|l| {
        Row::keyed(
            no_record(),
            l.key.clone(),
            vec![
                Cell::new(safe(&l.label)),
                count(l.current, 8, false),
                count(l.previous, 8, false),
                count(l.change, 5, true).tone(change_tone(&l.key, l.change)),
            ],
        )
        .with_note(note.clone())
    }));
    let g = &report.groups_now;
    let now_note = format!(
        "{}{}",
        lang.pick(
            "Hồ sơ băng nhóm hôm nay, không theo kỳ",
            "The group file today, not by period"
        ),
        report
            .undated_note(lang)
            .map(|n| format!(" · {n}"))
            .unwrap_or_default()
    );
    let file: [(&str, &str, &str, usize); 7] = [
        (
            "groups_now",
            "Băng nhóm trên hồ sơ (hiện nay)",
            "Criminal groups on file (now)",
            g.on_file,
        ),
        (
            "groups_now.active",
            "  đang hoạt động",
            "  active",
            g.active,
        ),
        (
            "groups_now.investigating",
            "  đang điều tra",
            "  under investigation",
            g.under_investigation,
        ),
        (
            "groups_now.dismantled",
            "  đã triệt phá",
            "  dismantled",
            g.dismantled,
        ),
        (
            "groups_now.transnational",
            "  xuyên quốc gia",
            "  transnational",
            g.transnational,
        ),
        (
            "groups_now.undated_filed",
            "  không có ngày đưa vào hồ sơ",
            "  with no filing date",
            g.undated_filed,
        ),
        (
            "groups_now.undated_neutralised",
            "  đã triệt phá, không có ngày",
            "  dismantled, no neutralised date",
            g.undated_neutralised,
        ),
    ];
    rows.extend(file.into_iter().map(|(key, vi, en, n)| {
        let tone = if key.starts_with("groups_now.undated") && n > 0 {
            Tone::Warning
        } else {
            Tone::Normal
        };
        Row::keyed(
            no_record(),
            key.into(),
            vec![
                Cell::new(lang.pick(vi, en)),
                count(n as i64, 8, false).tone(tone),
                Cell::new(""),
                Cell::new(""),
            ],
        )
        .with_note(now_note.clone())
    }));
    rows
}

/// The report for `period`, as rows.
pub fn load(desk: &dyn DeskApi, period: Period, lang: Lang) -> Result<Loaded> {
    let report = desk.report(period, lang)?;
    let rows = rows(&report, lang);
    Ok(Loaded {
        total: rows.len(),
        rows,
    })
}

/// The records behind a figure of the report (`Enter` on its row): a detail whose links
/// are the records counted, each opening as from any detail.
pub fn figure_detail(
    desk: &dyn DeskApi,
    period: Period,
    key: &str,
    label: &str,
    lang: Lang,
) -> Result<crate::app::state::Detail> {
    let ids = desk.report_records(period, key)?;
    let label = crate::domain::text::display_safe(label.trim()).into_owned();
    let mut detail = super::present::list_detail(desk, label.clone(), &ids, lang);
    detail.fields.splice(
        0..0,
        [
            (lang.pick("Chỉ tiêu", "Figure").into(), label, Tone::Normal),
            (
                lang.pick("Kỳ", "Period").into(),
                period.label(lang),
                Tone::Normal,
            ),
        ],
    );
    Ok(detail)
}
