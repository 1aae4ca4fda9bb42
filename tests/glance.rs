//! "Shift at a glance" (issue 16): the first screen of a shift. Its rows are the work
//! waiting — every open hit by time left, then every open tip — and each opens its record;
//! beside them, who is on duty in this shift's roster slot, last night's late declarations,
//! the latest duty-log entries and fourteen days of counts, which are checked here against
//! the store counted another way. At 80×24 in both languages on the sample.

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use common::console::{app, desk, now, screen, text};
use trucban::domain::Record;
use trucban::domain::shifts::ShiftPlan;
use trucban::domain::time::{local_date, local_day_start};
use trucban::i18n::Lang;
use trucban::service::DeskApi;

#[test]
fn the_glance_shows_the_work_waiting_and_the_shift_in_both_languages() {
    let desk = desk();
    let duty = desk.desk.duty_status(now()).expect("duty");
    let open_tips = desk
        .desk
        .list(&trucban::service::ListQuery::all(
            trucban::domain::Kind::Tip,
        ))
        .expect("tips")
        .records
        .iter()
        .filter(|r| matches!(r, Record::Tip(t) if t.is_open()))
        .count();
    for (lang, name) in [(Lang::Vi, "vi"), (Lang::En, "en")] {
        let mut app = app(&desk, lang, "default", None);
        let shown = text(&screen(&mut app, ":th<Enter>"));
        // Every open hit, then every open tip, as rows; the first is the least time left.
        let rows = &app.state.table.rows;
        assert_eq!(rows.len(), duty.open_hits() + open_tips, "{lang:?}");
        assert!(
            rows[..duty.open_hits()]
                .iter()
                .all(|r| r.id.kind() == trucban::domain::Kind::Hit)
        );
        assert!(
            rows[duty.open_hits()..]
                .iter()
                .all(|r| r.id.kind() == trucban::domain::Kind::Tip)
        );
        insta::assert_snapshot!(format!("glance_{name}"), shown);
        // On duty: the names of this shift's roster slot.
        let (date, slot) = ShiftPlan::default().shift_at(now()).roster_slot();
        let on_duty: Vec<String> = desk
            .desk
            .roster_on(date)
            .expect("roster")
            .into_iter()
            .filter_map(|r| match r {
                Record::Assignment(a) if a.shift == slot => Some(a.officer_id),
                _ => None,
            })
            .map(|id| match desk.desk.get(id) {
                Ok(Some(Record::Officer(o))) => o.full_name,
                other => panic!("{id}: {other:?}"),
            })
            .collect();
        let first = on_duty.first().expect("the sample staffs this shift");
        let label = match lang {
            Lang::Vi => "Trực ca:",
            Lang::En => "On duty:",
        };
        let line = shown
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("{lang:?}: no {label}:\n{shown}"));
        assert!(
            line.contains(first.as_str()),
            "{lang:?}: {first} not in {line}"
        );
        // The countdown refreshes the rows alone; what stands beside them stays.
        let beside = app.state.glance.clone();
        app.act(
            trucban::app::messages::Action::Tick,
            now() + chrono::Duration::seconds(30),
        );
        let count = duty.open_hits() + open_tips;
        assert_eq!(app.state.table.rows.len(), count, "{lang:?}");
        assert!(beside.is_some() && app.state.glance == beside, "{lang:?}");
        let rows = &app.state.table.rows;
        // Enter opens the selected row's record: the first hit.
        let first_id = rows[0].id;
        let opened = text(&screen(&mut app, "<Enter>"));
        assert!(
            opened.contains(&first_id.to_string()) && app.state.details.len() == 1,
            "{lang:?}: Enter did not open {first_id}:\n{opened}"
        );
    }
}

#[test]
fn the_charts_count_what_the_store_holds() {
    let desk = desk();
    let shift = ShiftPlan::default().shift_at(now());
    let glance = desk.desk.shift_glance(shift, now(), true).expect("glance");
    let days = &glance.beside.expect("asked for").days;
    assert_eq!(days.len(), 14);
    let today = local_date(now());
    assert_eq!(days.last().map(|d| d.date), Some(today));
    for day in days {
        let (from, to) = (
            local_day_start(day.date, 0),
            local_day_start(day.date + chrono::Duration::days(1), 0),
        );
        // Guests: the guests who checked in that day, asked for that day alone.
        let guests = desk.desk.guests_checked_in(from, to).expect("guests").len();
        assert_eq!(day.guests, guests as u64, "{}: guests", day.date);
        // Hits: every hit, filtered here by the day it was found.
        let hits = desk
            .desk
            .list(&trucban::service::ListQuery::all(
                trucban::domain::Kind::Hit,
            ))
            .expect("hits")
            .records
            .iter()
            .filter(|r| matches!(r, Record::Hit(h) if local_date(h.found_at) == day.date))
            .count();
        assert_eq!(day.hits, hits as u64, "{}: hits", day.date);
        // Late declarations: that night's board, asked for that night alone.
        let late: usize = desk
            .desk
            .late_declarations(from, to, now())
            .expect("late")
            .iter()
            .map(|n| n.late + n.undeclared)
            .sum();
        assert_eq!(day.late, late as u64, "{}: late", day.date);
    }
    assert!(
        days.iter().map(|d| d.guests).sum::<u64>() > 0,
        "the sample declares guests in the last 14 days"
    );
}
