//! Campaign rosters through the service and the command line: the grid, who is on duty now
//! and next, the checks on the sample's planted breaches, and a supervisor's edits — refused
//! with the problems they would create, saved otherwise, a swap written as one.

#![allow(clippy::panic)]

mod common;
use common::engine;

use chrono::{NaiveDate, Utc};
use trucban::domain::roster::RosterProblem;
use trucban::domain::time::parse_instant;
use trucban::domain::*;
use trucban::service::roster::RosterEdit;
use trucban::service::{DeskApi, LocalDesk, ServiceError};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn officer(n: u64, role: OfficerRole) -> Record {
    Record::Officer(Officer {
        id: RecordId::new(Kind::Officer, n),
        badge_no: format!("25{n:04}"),
        full_name: format!("Cán bộ {n}"),
        rank: "Đại úy".into(),
        unit: "PC02".into(),
        role,
    })
}

fn assignment(n: u64, officer: u64, date: NaiveDate, shift: Shift, post: &str) -> Record {
    Record::Assignment(Assignment {
        id: RecordId::new(Kind::Assignment, n),
        campaign_id: RecordId::new(Kind::Campaign, 1),
        officer_id: RecordId::new(Kind::Officer, officer),
        date,
        shift,
        post: post.into(),
        role: AssignmentRole::Member,
    })
}

const SUPERVISOR: u64 = 90;
const DUTY: u64 = 91;

/// Three days across the end of November, two posts, officers 1–4 on a clean rotation
/// (1 and 2 day, 3 and 4 night; nobody twice), officer 5 free.
fn desk(dir: &std::path::Path) -> LocalDesk {
    let desk = LocalDesk::over(
        engine::open(dir, Utc::now()),
        trucban::domain::Clock::system(),
    );
    let mut records = vec![
        officer(SUPERVISOR, OfficerRole::Supervisor),
        officer(DUTY, OfficerRole::Duty),
        Record::Campaign(Campaign {
            id: RecordId::new(Kind::Campaign, 1),
            name: "Cao điểm cuối năm".into(),
            start: date(2026, 11, 29),
            end: date(2026, 12, 1),
            objective: String::new(),
            routes: vec!["Lai Châu – Ma Lù Thàng (QL12)".into()],
            posts: vec!["Chốt A".into(), "Chốt B".into()],
            lead_unit: "PC02".into(),
        }),
    ];
    records.extend((1..=5).map(|n| officer(n, OfficerRole::Duty)));
    let mut n = 0;
    for d in [date(2026, 11, 29), date(2026, 11, 30), date(2026, 12, 1)] {
        for (shift, o) in [(Shift::Day, 1), (Shift::Night, 3)] {
            for (post, extra) in [("Chốt A", 0), ("Chốt B", 1)] {
                n += 1;
                // 1 and 2 every day (24 h rest), 3 and 4 every night (12 h rest).
                records.push(assignment(n, o + extra, d, shift, post));
            }
        }
    }
    desk.load(&records).expect("load");
    desk
}

fn campaign() -> RecordId {
    RecordId::new(Kind::Campaign, 1)
}

fn officer_of(desk: &LocalDesk, n: u64) -> RecordId {
    match desk.get(RecordId::new(Kind::Assignment, n)) {
        Ok(Some(Record::Assignment(a))) => a.officer_id,
        other => panic!("assignment {n}: {other:?}"),
    }
}

#[test]
fn the_grid_has_every_day_shift_and_post_and_a_clean_roster_has_no_problems() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = desk(dir.path());
    let roster = desk.roster(campaign()).expect("roster");
    assert_eq!(roster.shifts.len(), 6);
    assert!(roster.shifts.iter().all(|s| s.posts.len() == 2));
    let last = &roster.shifts[5];
    assert_eq!((last.date, last.shift), (date(2026, 12, 1), Shift::Night));
    assert_eq!(last.posts[1].slots[0].officer, "Cán bộ 4");
    assert_eq!(desk.roster_problems(campaign()).expect("check"), vec![]);
}

#[test]
fn on_duty_now_and_next_follow_the_clock_across_midnight() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = desk(dir.path());
    let at = parse_instant("2026-12-01 02:00").expect("t");
    let duty = desk.on_duty(campaign(), at).expect("duty");
    let now = duty.now.expect("a shift is under way");
    assert_eq!((now.date, now.shift), (date(2026, 11, 30), Shift::Night));
    let next = duty.next.expect("a next shift");
    assert_eq!((next.date, next.shift), (date(2026, 12, 1), Shift::Day));
    // After the last night there is nothing.
    let after = parse_instant("2026-12-02 08:00").expect("t");
    let duty = desk.on_duty(campaign(), after).expect("duty");
    assert_eq!((duty.now, duty.next), (None, None));
}

#[test]
fn an_edit_that_double_books_or_cuts_rest_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = desk(dir.path());
    let by = RecordId::new(Kind::Officer, SUPERVISOR);
    // Officer 1 already holds Chốt A on the day shift of 30/11: adding Chốt B is a clash.
    let clash = Assignment {
        id: RecordId::new(Kind::Assignment, 0),
        campaign_id: campaign(),
        officer_id: RecordId::new(Kind::Officer, 1),
        date: date(2026, 11, 30),
        shift: Shift::Day,
        post: "Chốt B".into(),
        role: AssignmentRole::Member,
    };
    let before = desk.stats().expect("stats").count(Kind::Assignment);
    match desk.edit_roster(by, RosterEdit::Add(clash.clone())) {
        Err(ServiceError::RosterRefused(problems)) => {
            assert!(matches!(problems[..], [RosterProblem::DoubleBooked { .. }]));
        }
        other => panic!("refused: {other:?}"),
    }
    // Officer 1 on the night of 30/11 after the day shift: 0 h rest (and then 0 h again
    // before the day shift of 1/12).
    let night = Assignment {
        shift: Shift::Night,
        ..clash.clone()
    };
    match desk.edit_roster(by, RosterEdit::Add(night)) {
        Err(ServiceError::RosterRefused(problems)) => {
            assert_eq!(problems.len(), 2, "{problems:?}");
            assert!(problems.iter().all(|p| matches!(
                p,
                RosterProblem::ShortRest {
                    rest_minutes: 0,
                    ..
                }
            )));
        }
        other => panic!("refused: {other:?}"),
    }
    // Moving officer 3 (nights) to the day shift of 30/11 lands between two nights.
    let moved = desk.edit_roster(
        by,
        RosterEdit::Move {
            id: RecordId::new(Kind::Assignment, 3),
            date: date(2026, 11, 30),
            shift: Shift::Day,
            post: "Chốt A".into(),
        },
    );
    assert!(
        matches!(moved, Err(ServiceError::RosterRefused(_))),
        "{moved:?}"
    );
    assert_eq!(desk.stats().expect("stats").count(Kind::Assignment), before);
    assert_eq!(desk.roster_problems(campaign()).expect("check"), vec![]);
    // The refused additions used no number: the next one saved takes the number after the
    // highest held.
    let highest = desk
        .store()
        .page(Kind::Assignment, None, true, 1)
        .expect("newest")[0]
        .id()
        .num();
    let free = Assignment {
        officer_id: RecordId::new(Kind::Officer, 5),
        shift: Shift::Night,
        ..clash
    };
    let written = desk.edit_roster(by, RosterEdit::Add(free)).expect("added");
    assert_eq!(written, vec![RecordId::new(Kind::Assignment, highest + 1)]);
}

#[test]
fn an_edit_that_creates_no_clash_is_saved_even_if_it_leaves_a_post_empty() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = desk(dir.path());
    let by = RecordId::new(Kind::Officer, SUPERVISOR);
    let free = Assignment {
        id: RecordId::new(Kind::Assignment, 0),
        campaign_id: campaign(),
        officer_id: RecordId::new(Kind::Officer, 5),
        date: date(2026, 11, 30),
        shift: Shift::Night,
        post: "Chốt A".into(),
        role: AssignmentRole::Leader,
    };
    let written = desk.edit_roster(by, RosterEdit::Add(free)).expect("added");
    assert_eq!(written.len(), 1);
    assert!(matches!(
        desk.get(written[0]),
        Ok(Some(Record::Assignment(_)))
    ));
    // Officer 5 from the night of 30/11 Chốt A to Chốt B on the same night: fine.
    desk.edit_roster(
        by,
        RosterEdit::Move {
            id: written[0],
            date: date(2026, 11, 30),
            shift: Shift::Night,
            post: "Chốt B".into(),
        },
    )
    .expect("moved");
    // Officer 2 from the day of 1/12 to the night of 1/12: 24 h after 2's day of 30/11,
    // so saved; it leaves Chốt B empty on the day of 1/12, which the check shows.
    assert_eq!(officer_of(&desk, 10), RecordId::new(Kind::Officer, 2));
    desk.edit_roster(
        by,
        RosterEdit::Move {
            id: RecordId::new(Kind::Assignment, 10),
            date: date(2026, 12, 1),
            shift: Shift::Night,
            post: "Chốt B".into(),
        },
    )
    .expect("moved");
    assert_eq!(
        desk.roster_problems(campaign()).expect("check"),
        vec![RosterProblem::EmptyPost {
            date: date(2026, 12, 1),
            shift: Shift::Day,
            post: "Chốt B".into()
        }]
    );
}

#[test]
fn a_swap_exchanges_both_officers_in_one_write_or_not_at_all() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = desk(dir.path());
    let by = RecordId::new(Kind::Officer, SUPERVISOR);
    // 1 (day A) and 2 (day B) of 29/11 swap: same shift, no clash.
    let (a, b) = (
        RecordId::new(Kind::Assignment, 1),
        RecordId::new(Kind::Assignment, 2),
    );
    let (oa, ob) = (officer_of(&desk, 1), officer_of(&desk, 2));
    let written = desk
        .edit_roster(
            by,
            RosterEdit::Swap {
                first: a,
                second: b,
            },
        )
        .expect("swapped");
    assert_eq!(written, vec![a, b]);
    assert_eq!((officer_of(&desk, 1), officer_of(&desk, 2)), (ob, oa));
    // Swapping assignment 1 (now officer 2, day of 29/11) with 5 (officer 1, day of
    // 30/11) would put 1 on both posts of 29/11 and 2 on both of 30/11: refused whole,
    // neither side changes.
    let refused = desk.edit_roster(
        by,
        RosterEdit::Swap {
            first: a,
            second: RecordId::new(Kind::Assignment, 5),
        },
    );
    match refused {
        Err(ServiceError::RosterRefused(problems)) => {
            assert_eq!(problems.len(), 2, "{problems:?}");
            assert!(
                problems
                    .iter()
                    .all(|p| matches!(p, RosterProblem::DoubleBooked { .. }))
            );
        }
        other => panic!("refused: {other:?}"),
    }
    assert_eq!((officer_of(&desk, 1), officer_of(&desk, 5)), (ob, oa));
}

#[test]
fn only_a_supervisor_or_an_administrator_edits() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = desk(dir.path());
    let swap = RosterEdit::Swap {
        first: RecordId::new(Kind::Assignment, 1),
        second: RecordId::new(Kind::Assignment, 2),
    };
    let refused = desk.edit_roster(RecordId::new(Kind::Officer, DUTY), swap.clone());
    match refused {
        Err(ServiceError::Invalid(message)) => {
            assert!(message.en.contains("supervisor"), "{message}")
        }
        other => panic!("refused: {other:?}"),
    }
    assert_eq!(officer_of(&desk, 1), RecordId::new(Kind::Officer, 1));
}

#[test]
fn the_sample_rosters_carry_the_plan_routes_and_only_the_two_planted_short_rests() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = LocalDesk::over(
        engine::open(dir.path(), Utc::now()),
        trucban::domain::Clock::system(),
    );
    desk.load(&trucban::sample::sample(20261115))
        .expect("sample");
    let mut routes = Vec::new();
    let mut found = Vec::new();
    for record in desk.store().scan(Kind::Campaign) {
        let Ok(Record::Campaign(c)) = record else {
            panic!("a campaign")
        };
        routes.extend(c.routes.clone());
        found.push(desk.roster_problems(c.id).expect("check"));
    }
    for route in [
        "Lai Châu – Lào Cai",
        "Lai Châu – Ma Lù Thàng",
        "Lai Châu – Mường Tè – U Ma Tu Khoòng",
        "Các xã biên giới",
    ] {
        assert!(routes.iter().any(|r| r.starts_with(route)), "{route}");
    }
    assert_eq!(found.len(), 3);
    assert_eq!(found[0], vec![]);
    assert_eq!(found[1], vec![]);
    assert_eq!(found[2].len(), 2, "{:?}", found[2]);
    assert!(found[2].iter().all(|p| matches!(
        p,
        RosterProblem::ShortRest {
            rest_minutes: 0,
            ..
        }
    )));
}

#[test]
fn roster_check_prints_the_problems_and_exits_3_when_there_are_some() {
    let desk = common::Desk::new();
    desk.ok(&["seed", "--sample"]);
    let out = desk.run(&["roster", "check", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let campaigns = json.as_array().expect("array");
    assert_eq!(campaigns.len(), 3);
    let problems: Vec<&serde_json::Value> = campaigns
        .iter()
        .flat_map(|c| c["problems"].as_array().expect("problems"))
        .collect();
    assert_eq!(problems.len(), 2);
    assert!(
        problems
            .iter()
            .all(|p| p["problem"] == "short_rest" && p["rest_minutes"] == 0)
    );
    let campaign = campaigns[0]["campaign_id"]
        .as_str()
        .expect("id")
        .to_string();
    // One clean campaign: exit 0; text fits 80 columns.
    let out = desk.run(&["--lang", "en", "roster", "check", "--campaign", &campaign]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{campaign}: 0 problem(s)\n")
    );
    let text = desk.run(&["--lang", "vi", "roster", "check"]);
    let text = String::from_utf8(text.stdout).expect("utf-8");
    assert!(text.contains("nghỉ 0:00 giờ (tối thiểu 12:00)"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    let grid = desk.ok(&["roster", "show", "--campaign", &campaign, "--json"]);
    let grid: serde_json::Value = serde_json::from_str(&grid).expect("json");
    assert_eq!(grid.as_array().expect("shifts").len(), 28);
    // An unknown campaign is bad input.
    let out = desk.run(&["roster", "check", "--campaign", "CD-000099"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Officer 5 is free; twenty writers at once each put them on the day shift of 29 November,
/// alternating posts: whichever comes first is saved, every other one is a double booking
/// and refused. The checks and the write hold the roster together (without that, several
/// writers checked against the roster before the others' writes all got through).
#[test]
fn twenty_writers_at_once_cannot_double_book_one_officer() {
    let dir = tempfile::tempdir().expect("temp");
    let desk = desk(dir.path());
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(20));
    let writers: Vec<_> = (0..20)
        .map(|i| {
            let (desk, barrier) = (desk.clone(), barrier.clone());
            std::thread::spawn(move || {
                let post = if i % 2 == 0 { "Chốt A" } else { "Chốt B" };
                let Record::Assignment(a) = assignment(0, 5, date(2026, 11, 29), Shift::Day, post)
                else {
                    unreachable!()
                };
                barrier.wait();
                desk.save(Record::Assignment(a))
            })
        })
        .collect();
    let results: Vec<_> = writers
        .into_iter()
        .map(|w| w.join().expect("writer"))
        .collect();
    let saved = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(saved, 1, "{results:?}");
    assert!(
        results
            .iter()
            .filter(|r| r.is_err())
            .all(|r| matches!(r, Err(ServiceError::RosterRefused(_)))),
        "{results:?}"
    );
    let problems = desk.roster_problems(campaign()).expect("problems");
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn an_addition_that_names_a_number_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = desk(dir.path());
    let by = RecordId::new(Kind::Officer, SUPERVISOR);
    let existing = desk
        .get(RecordId::new(Kind::Assignment, 1))
        .expect("get")
        .expect("PC-000001");
    let before = desk.stats().expect("stats").count(Kind::Assignment);
    // Over an existing assignment (officer 1 → 5 in its slot), and at a number of its own.
    for num in [1, 900_000] {
        let forged = Assignment {
            id: RecordId::new(Kind::Assignment, num),
            campaign_id: campaign(),
            officer_id: RecordId::new(Kind::Officer, 5),
            date: date(2026, 11, 29),
            shift: Shift::Day,
            post: "Chốt A".into(),
            role: AssignmentRole::Member,
        };
        match desk.edit_roster(by, RosterEdit::Add(forged)) {
            Err(ServiceError::Invalid(message)) => {
                assert!(message.en.contains("carries no number"), "{message}")
            }
            other => panic!("an addition naming {num}: {other:?}"),
        }
    }
    assert_eq!(
        desk.get(RecordId::new(Kind::Assignment, 1)).expect("get"),
        Some(existing)
    );
    assert_eq!(desk.stats().expect("stats").count(Kind::Assignment), before);
    assert_eq!(
        desk.get(RecordId::new(Kind::Assignment, 900_000))
            .expect("get"),
        None
    );
}
