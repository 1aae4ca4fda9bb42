//! The periodic report in the console (`:baocao`): one table row per figure of
//! [`crate::domain::report::Report`] — this period, the previous period of the same length,
//! and the change — then the criminal groups on file now (one count, not by period). The
//! title bar names the period; every row's note names the previous period and the keys that
//! step to the period before or after (`[`, `]`). A table, like the late-declaration board,
//! so the officer scrolls, filters (`/`) and sorts it with the keys of every view.

use crate::domain::RecordId;
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
    let mut rows: Vec<Row> = report
        .lines
        .iter()
        .map(|l| {
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
        })
        .collect();
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
