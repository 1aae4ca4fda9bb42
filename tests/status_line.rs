//! The status line under the title (issue 16): on every view, the shift and its clock, the
//! open and overdue hits, the overdue tips, and the officer with the role — an overdue hit
//! said in words and with `‼`, never by colour alone. Driven at 80×24 in both languages on
//! the sample, at the sample's fixed time and as that time passes.

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use common::console::{app, desk, now, screen, text};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use trucban::app::App;
use trucban::app::messages::Action;
use trucban::domain::{Instant, Pushed, Record};
use trucban::i18n::Lang;
use trucban::service::DeskApi;

/// The screen's second row: the status line.
fn status_line(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    app.draw(&mut terminal).expect("draw");
    text(terminal.backend().buffer())
        .lines()
        .nth(1)
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_status_line_shows_on_every_view_in_both_languages() {
    let desk = desk();
    for (lang, name) in [(Lang::Vi, "vi"), (Lang::En, "en")] {
        let mut app = app(&desk, lang, "default", None);
        let shown = text(&screen(&mut app, ""));
        insta::assert_snapshot!(format!("status_line_wanted_{name}"), shown);
        let line = status_line(&app);
        for keys in [":nt<Enter>", "<Enter>", "<Esc>:tb<Enter>", ":bc<Enter>"] {
            screen(&mut app, keys);
            assert_eq!(status_line(&app), line, "{lang:?}: after {keys}");
        }
    }
}

/// The open hits' deadlines, earliest first, as the service gives them.
fn deadlines(desk: &common::console::Desk) -> Vec<Instant> {
    desk.desk
        .duty_status(now())
        .expect("duty status")
        .hit_deadlines
}

#[test]
fn an_open_hit_is_said_overdue_once_its_deadline_passes() {
    let desk = desk();
    let due = deadlines(&desk);
    let first = *due.first().expect("the sample has open hits");
    let open = due.len();
    for lang in [Lang::Vi, Lang::En] {
        let mut app = app(&desk, lang, "mono", None);
        let (before, after) = (
            first - chrono::Duration::minutes(1),
            first + chrono::Duration::minutes(1),
        );
        let late = due.iter().filter(|d| **d < after).count();
        app.act(Action::Tick, before);
        let line = status_line(&app);
        let clock = trucban::domain::time::to_local(before)
            .format("%H:%M")
            .to_string();
        assert!(line.contains(&clock), "{lang:?}: no clock {clock}: {line}");
        assert!(
            !line.contains("QUÁ HẠN") && !line.contains("OVERDUE"),
            "{lang:?}: overdue before the deadline: {line}"
        );
        app.act(Action::Tick, after);
        let line = status_line(&app);
        let words = match lang {
            Lang::Vi => format!("⚑ {open} nghi trùng, ‼ {late} QUÁ HẠN"),
            Lang::En => format!("⚑ {open} open hits, ‼ {late} OVERDUE"),
        };
        assert!(line.contains(&words), "{lang:?}: {words:?} not in {line:?}");
    }
}

#[test]
fn a_hit_closed_at_another_desk_leaves_the_count_when_its_change_is_pushed() {
    let desk = desk();
    let mut app = app(&desk, Lang::En, "default", None);
    let open = deadlines(&desk).len();
    assert!(
        status_line(&app).contains(&format!("⚑ {open} open hits")),
        "{}",
        status_line(&app)
    );
    // Another officer closes the first open hit (their desk writes the same store).
    let hit = desk
        .desk
        .list(&trucban::service::ListQuery::all(
            trucban::domain::Kind::Hit,
        ))
        .expect("hits")
        .records
        .into_iter()
        .find_map(|r| match r {
            Record::Hit(h) if h.is_open() => Some(h),
            _ => None,
        })
        .expect("an open hit");
    desk.desk
        .add_hit_step(
            hit.id,
            trucban::domain::HitStep {
                outcome: trucban::domain::HitOutcome::NotThePerson,
                officer_id: "CB-000001".parse().expect("officer"),
                at: now(),
                note: "other birth date, other home commune".into(),
                confirmed_by: None,
                confirmed_at: None,
            },
        )
        .expect("step");
    // On another view than the hits queue: the line counts whatever is on screen.
    screen(&mut app, ":tn<Enter>");
    app.act(Action::Pushed(Pushed::Changed { ids: vec![hit.id] }), now());
    let line = status_line(&app);
    assert!(
        line.contains(&format!("⚑ {} open hits", open - 1)),
        "the pushed change did not reach the line: {line}"
    );
}
