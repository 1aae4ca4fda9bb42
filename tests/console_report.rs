//! The periodic report in the console (`:baocao`) on the seeded sample with a fixed clock
//! (27 Nov 2026): the half-year to date by default, in Vietnamese and English (80×24
//! snapshots); every row the service's figure; `[` and `]` step to the period of the same
//! length before and after; a period typed after the command; a figure opens the records
//! behind it.

#![allow(clippy::panic)]

mod common;

use common::console::{app, desk, screen, text};
use trucban::domain::report::Period;
use trucban::domain::time::parse_date;
use trucban::i18n::Lang;
use trucban::service::DeskApi;
use unicode_width::UnicodeWidthStr;

fn d(s: &str) -> chrono::NaiveDate {
    parse_date(s).expect("date")
}

/// Each row's key and its three figures as shown (blank cells as they are).
fn figures(app: &trucban::app::App) -> Vec<(String, [String; 3])> {
    app.state
        .table
        .rows
        .iter()
        .map(|r| {
            let cell = |i: usize| r.cells[i].text.trim().to_string();
            (r.key.clone(), [cell(1), cell(2), cell(3)])
        })
        .collect()
}

#[test]
fn the_report_shows_the_half_year_to_date_beside_the_period_before() {
    let desk = desk();
    let mut app = app(&desk, Lang::Vi, "default", None);
    let shown = text(&screen(&mut app, ":baocao<Enter>"));
    insta::assert_snapshot!("report_vi", shown);
    for line in shown.lines() {
        assert!(line.width() <= 80, "{line}");
    }
    let period = Period::new(d("2026-07-01"), d("2026-11-27")).expect("period");
    assert_eq!(app.state.report, Some(period));
    assert!(
        shown.starts_with("trucban │ Báo cáo 01/07/2026 – 27/11/2026 (150 ngày)"),
        "{shown}"
    );
    assert!(
        shown.contains("Trước KH: 09/08/2017 – 08/08/2018"),
        "{shown}"
    );
    let next = text(&screen(&mut app, "j"));
    assert!(next.contains("Kỳ trước: 01/02/2026 – 30/06/2026"), "{next}");
    screen(&mut app, "k");
    // First the plan's targets, each with its target and verdict, and the monthly chart
    // (two rows); then every figure is the service's, in the service's order, then the
    // group file now.
    let report = desk.desk.report(period, Lang::Vi).expect("report");
    let rows = figures(&app);
    let head = report.plan.len() + 2;
    assert_eq!(rows.len(), head + report.lines.len() + 7);
    for (plan, (key, _)) in report.plan.iter().zip(&rows) {
        assert_eq!(key, &plan.key);
        let label = &app
            .state
            .table
            .rows
            .iter()
            .find(|r| &r.key == key)
            .expect("row")
            .cells[0]
            .text;
        assert!(label.contains(&plan.target_text), "{label}");
        let verdict = trucban::domain::report::plan::verdict(&plan.current, Lang::Vi);
        assert!(label.ends_with(verdict), "{label}");
    }
    assert_eq!(rows[head - 2].0, "chart.recorded");
    assert_eq!(rows[head - 1].0, "chart.cleared");
    for (line, (key, cells)) in report.lines.iter().zip(&rows[head..]) {
        assert_eq!(key, &line.key);
        assert_eq!(
            cells,
            &[
                line.current.to_string(),
                line.previous.to_string(),
                format!("{:+}", line.change)
            ]
        );
    }
    let (key, cells) = &rows[head + report.lines.len()];
    assert_eq!(
        (key.as_str(), cells[0].as_str()),
        ("groups_now", report.groups_now.on_file.to_string().as_str())
    );
    // The sample's groups are dated, and some were filed in these periods.
    assert_eq!(report.groups_now.undated_filed, 0);
    assert!(report.current.groups_filed + report.previous.groups_filed > 0);

    // Scrollable: the last row (the group file) is reached and drawn.
    let shown = text(&screen(&mut app, "G"));
    assert!(shown.contains("đã triệt phá, không có ngày"), "{shown}");
    // The group file as it stands is not a figure of the period: Enter and `a` open nothing.
    screen(&mut app, "<Enter>a");
    assert!(app.state.details.is_empty());
    assert_eq!(app.state.overlay, trucban::app::state::Overlay::None);
}

/// A figure opens the records behind it (issue 16): as many as it counts — for the figures
/// that count records — each opening its own detail; `a` on the list does nothing.
#[test]
fn a_figure_opens_the_records_behind_it() {
    let desk = desk();
    for lang in [Lang::Vi, Lang::En] {
        let mut app = app(&desk, lang, "default", None);
        screen(&mut app, ":baocao<Enter>");
        let rows: Vec<(String, i64)> = figures(&app)
            .into_iter()
            .map(|(key, [current, _, _])| (key, current.parse().unwrap_or(-1)))
            .collect();
        let mut opened = 0;
        for (at, (key, current)) in rows.iter().enumerate() {
            if !trucban::domain::report::lists_records(key) {
                continue;
            }
            screen(&mut app, &format!("gg{}<Enter>", "j".repeat(at)));
            let detail = app
                .state
                .details
                .last()
                .unwrap_or_else(|| panic!("{lang:?} {key}: Enter opened nothing"));
            // Violations count the items, campaign days the days: the records behind them
            // are the inspections and the campaigns. A target of the plan opens the
            // records it is measured on: those of its denominator's line.
            let behind = trucban::domain::report::plan::behind(key);
            let current = match rows.iter().find(|(k, _)| k == behind) {
                Some((_, n)) if key.starts_with("plan.") => n,
                _ => current,
            };
            if key != "violations" && !key.starts_with("campaign_days") {
                assert_eq!(detail.links.len() as i64, *current, "{lang:?} {key}");
            }
            if *current > 0 {
                opened += 1;
            }
            screen(&mut app, "a");
            assert_eq!(app.state.overlay, trucban::app::state::Overlay::None);
            screen(&mut app, "<Esc>");
        }
        assert!(opened > 5, "{lang:?}: too few figures with records to tell");
        // The hits found open as hits.
        let at = rows
            .iter()
            .position(|(k, _)| k == "hits_found")
            .expect("hits_found");
        let shown = text(&screen(&mut app, &format!("gg{}<Enter>", "j".repeat(at))));
        let first = app.state.details.last().expect("list").links[0].id;
        assert_eq!(first.kind(), trucban::domain::Kind::Hit, "{shown}");
        screen(&mut app, "<Enter>");
        assert_eq!(app.state.details.last().map(|d| d.id), Some(first));
    }
}

#[test]
fn the_report_in_english() {
    let desk = desk();
    let mut app = app(&desk, Lang::En, "default", None);
    let shown = text(&screen(&mut app, ":report<Enter>"));
    insta::assert_snapshot!("report_en", shown);
    assert!(
        shown.starts_with("trucban │ Report 01 Jul 2026 – 27 Nov 2026 (150 days)"),
        "{shown}"
    );
    let next = text(&screen(&mut app, "j"));
    assert!(next.contains("Before: 01 Feb 2026 – 30 Jun 2026"), "{next}");
}

#[test]
fn brackets_step_to_the_period_before_and_after() {
    let desk = desk();
    let mut app = app(&desk, Lang::Vi, "default", None);
    screen(&mut app, ":baocao<Enter>");
    let first = figures(&app);
    // `[` from the half-year to date: the whole half-year before (issue 16), in both
    // directions by half-years, and `]` comes back to the half-year to date, not past today.
    let shown = text(&screen(&mut app, "["));
    let before = Period::new(d("2026-01-01"), d("2026-06-30")).expect("period");
    assert_eq!(app.state.report, Some(before));
    assert!(
        shown.starts_with("trucban │ Báo cáo 01/01/2026 – 30/06/2026 (181 ngày)"),
        "{shown}"
    );
    screen(&mut app, "[");
    assert_eq!(
        app.state.report,
        Some(Period::new(d("2025-07-01"), d("2025-12-31")).expect("period"))
    );
    screen(&mut app, "]]");
    assert_eq!(
        app.state.report,
        Some(Period::new(d("2026-07-01"), d("2026-11-27")).expect("period"))
    );
    assert_eq!(figures(&app), first);
    // Nothing after today.
    screen(&mut app, "]");
    assert_eq!(
        app.state.report,
        Some(Period::new(d("2026-07-01"), d("2026-11-27")).expect("period"))
    );
    // Elsewhere the keys say where they work.
    let shown = text(&screen(&mut app, ":tn<Enter>["));
    assert!(shown.contains("[ và ] đổi kỳ trong màn Báo cáo"), "{shown}");
    // `:baocao` alone starts again from the half-year to date.
    screen(&mut app, ":bc<Enter>[[:bc<Enter>");
    assert_eq!(
        app.state.report,
        Some(Period::new(d("2026-07-01"), d("2026-11-27")).expect("period"))
    );
}

#[test]
fn a_period_typed_after_the_command() {
    let desk = desk();
    let mut app = app(&desk, Lang::En, "default", None);
    let shown = text(&screen(&mut app, ":report 2026-01-01 30/06/2026<Enter>"));
    assert_eq!(
        app.state.report,
        Some(Period::new(d("2026-01-01"), d("2026-06-30")).expect("period"))
    );
    assert!(
        shown.starts_with("trucban │ Report 01 Jan 2026 – 30 Jun 2026 (181 days)"),
        "{shown}"
    );
    let shown = text(&screen(&mut app, ":report 2026-06-30 2026-01-01<Enter>"));
    assert!(
        shown.contains("The end 2026-01-01 is before the start 2026-06-30"),
        "{shown}"
    );
    let shown = text(&screen(&mut app, ":report 2026-13-01 2026-12-31<Enter>"));
    assert!(shown.contains("\"2026-13-01\" is not a date"), "{shown}");
    // A refused period leaves the one shown.
    assert_eq!(
        app.state.report,
        Some(Period::new(d("2026-01-01"), d("2026-06-30")).expect("period"))
    );
}
