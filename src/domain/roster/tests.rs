use super::*;
use crate::domain::AssignmentRole;
use crate::domain::ids::Kind;
use crate::domain::time::format_instant;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn a(n: u64, officer: u64, date: NaiveDate, shift: Shift, post: &str) -> Assignment {
    Assignment {
        id: RecordId::new(Kind::Assignment, n),
        campaign_id: RecordId::new(Kind::Campaign, 1),
        officer_id: RecordId::new(Kind::Officer, officer),
        date,
        shift,
        post: post.into(),
        role: AssignmentRole::Member,
    }
}

fn campaign(start: NaiveDate, end: NaiveDate, posts: &[&str]) -> Campaign {
    Campaign {
        id: RecordId::new(Kind::Campaign, 1),
        name: "Cao điểm".into(),
        start,
        end,
        objective: String::new(),
        routes: vec![],
        posts: posts.iter().map(|p| p.to_string()).collect(),
        lead_unit: String::new(),
    }
}

#[test]
fn the_night_shift_crosses_midnight_and_month_and_year_ends() {
    let times = ShiftTimes::default();
    let (s, e) = times.interval(date(2026, 12, 31), Shift::Night);
    assert_eq!(format_instant(s), "2026-12-31T19:30:00+07:00");
    assert_eq!(format_instant(e), "2027-01-01T07:30:00+07:00");
    let (s, e) = times.interval(date(2026, 2, 28), Shift::Night);
    assert_eq!(format_instant(s), "2026-02-28T19:30:00+07:00");
    assert_eq!(format_instant(e), "2026-03-01T07:30:00+07:00");
    let (s, e) = times.interval(date(2026, 11, 30), Shift::Day);
    assert_eq!(format_instant(s), "2026-11-30T07:30:00+07:00");
    assert_eq!(format_instant(e), "2026-11-30T19:30:00+07:00");
}

#[test]
fn the_shift_under_way_after_midnight_is_last_nights() {
    let times = ShiftTimes::default();
    let t = crate::domain::time::parse_instant("2026-12-01 03:00").expect("t");
    assert_eq!(times.at(t), Some((date(2026, 11, 30), Shift::Night)));
    assert_eq!(times.next_after(t), (date(2026, 12, 1), Shift::Day));
    let t = crate::domain::time::parse_instant("2026-12-01 07:30").expect("t");
    assert_eq!(times.at(t), Some((date(2026, 12, 1), Shift::Day)));
    assert_eq!(times.next_after(t), (date(2026, 12, 1), Shift::Night));
}

#[test]
fn two_posts_on_one_shift_is_a_double_booking() {
    let d = date(2026, 11, 8);
    let roster = [
        a(1, 7, d, Shift::Day, "Chốt Ma Lù Thàng"),
        a(2, 7, d, Shift::Day, "Chốt Pa Tần"),
    ];
    let problems = officer_problems(&roster, &RosterRules::default());
    assert_eq!(
        problems,
        vec![RosterProblem::DoubleBooked {
            officer_id: RecordId::new(Kind::Officer, 7),
            first: RecordId::new(Kind::Assignment, 1),
            second: RecordId::new(Kind::Assignment, 2),
        }]
    );
    assert_eq!(
        problems[0].label(Lang::Vi),
        "CB-000007 ở hai nơi cùng lúc: PC-000001, PC-000002"
    );
}

#[test]
fn a_night_shift_overlaps_the_next_day_only_if_the_hours_do() {
    // Default times: night of 31/10 ends 07:30 on 1/11 when the day shift starts.
    let roster = [
        a(1, 7, date(2026, 10, 31), Shift::Night, "A"),
        a(2, 7, date(2026, 11, 1), Shift::Day, "B"),
    ];
    let rules = RosterRules::default();
    let problems = officer_problems(&roster, &rules);
    assert_eq!(problems.len(), 1);
    assert!(
        matches!(
            problems[0],
            RosterProblem::ShortRest {
                rest_minutes: 0,
                ..
            }
        ),
        "{problems:?}"
    );
    // With a night shift running to 08:00 the same pair overlaps across midnight and
    // the month end.
    let longer = RosterRules {
        shifts: ShiftTimes {
            night: (hm(19, 30), hm(8, 0)),
            ..ShiftTimes::default()
        },
        ..rules
    };
    assert!(matches!(
        officer_problems(&roster, &longer)[..],
        [RosterProblem::DoubleBooked { .. }]
    ));
}

#[test]
fn rest_under_the_minimum_is_reported_with_its_length() {
    let rules = RosterRules {
        min_rest: Duration::hours(24),
        ..RosterRules::default()
    };
    // Day on 30/11, night on 1/12: 24 h rest, exactly the minimum: fine.
    let ok = [
        a(1, 3, date(2026, 11, 30), Shift::Day, "A"),
        a(2, 3, date(2026, 12, 1), Shift::Night, "A"),
    ];
    assert_eq!(officer_problems(&ok, &rules), vec![]);
    // Night on 30/11 (ends 07:30 on 1/12), night on 1/12: 12 h rest.
    let short = [
        a(1, 3, date(2026, 11, 30), Shift::Night, "A"),
        a(2, 3, date(2026, 12, 1), Shift::Night, "A"),
    ];
    let problems = officer_problems(&short, &rules);
    assert_eq!(
        problems,
        vec![RosterProblem::ShortRest {
            officer_id: RecordId::new(Kind::Officer, 3),
            first: RecordId::new(Kind::Assignment, 1),
            second: RecordId::new(Kind::Assignment, 2),
            rest_minutes: 720,
            min_minutes: 1440,
        }]
    );
    assert_eq!(
        problems[0].label(Lang::En),
        "CB-000003 rests 12:00 h (minimum 24:00) between PC-000001 and PC-000002"
    );
    // The default minimum (12 h) lets the same pair pass.
    assert_eq!(officer_problems(&short, &RosterRules::default()), vec![]);
}

#[test]
fn different_officers_never_clash() {
    let d = date(2026, 11, 8);
    let roster = [a(1, 1, d, Shift::Day, "A"), a(2, 2, d, Shift::Day, "A")];
    assert_eq!(officer_problems(&roster, &RosterRules::default()), vec![]);
}

#[test]
fn every_day_shift_and_post_of_the_campaign_is_checked_for_somebody() {
    // Three days across a month end, two posts: 12 slots, 11 filled.
    let c = campaign(date(2026, 1, 30), date(2026, 2, 1), &["A", "B"]);
    let mut roster = Vec::new();
    let mut n = 0;
    for d in c.start.iter_days().take(3) {
        for s in [Shift::Day, Shift::Night] {
            for p in ["A", "B"] {
                n += 1;
                if !(d == date(2026, 2, 1) && s == Shift::Night && p == "B") {
                    roster.push(a(n, n, d, s, p));
                }
            }
        }
    }
    let problems = check(&c, &roster, &RosterRules::default());
    assert_eq!(
        problems,
        vec![RosterProblem::EmptyPost {
            date: date(2026, 2, 1),
            shift: Shift::Night,
            post: "B".into()
        }]
    );
    assert_eq!(
        problems[0].label(Lang::Vi),
        "Chốt không người 01/02/2026 ca đêm: B"
    );
    // Another campaign's assignment does not fill this campaign's post.
    let mut other = a(99, 99, date(2026, 2, 1), Shift::Night, "B");
    other.campaign_id = RecordId::new(Kind::Campaign, 2);
    roster.push(other);
    assert_eq!(check(&c, &roster, &RosterRules::default()).len(), 1);
}

#[test]
fn a_clash_with_another_campaign_counts_but_only_if_one_side_is_ours() {
    let c = campaign(date(2026, 11, 1), date(2026, 11, 1), &[]);
    let mut theirs = a(2, 5, date(2026, 11, 1), Shift::Day, "X");
    theirs.campaign_id = RecordId::new(Kind::Campaign, 2);
    let mut theirs_too = a(3, 5, date(2026, 11, 1), Shift::Day, "Y");
    theirs_too.campaign_id = RecordId::new(Kind::Campaign, 2);
    let ours = a(1, 6, date(2026, 11, 1), Shift::Day, "A");
    let problems = check(
        &c,
        &[ours.clone(), theirs.clone(), theirs_too],
        &RosterRules::default(),
    );
    assert_eq!(
        problems,
        vec![],
        "a clash wholly in another campaign is not ours"
    );
    let mine = a(1, 5, date(2026, 11, 1), Shift::Day, "A");
    let problems = check(&c, &[mine, theirs], &RosterRules::default());
    assert_eq!(problems.len(), 1);
}

#[test]
fn only_new_officer_problems_block_an_edit() {
    let d = date(2026, 11, 8);
    let before = officer_problems(
        &[a(1, 7, d, Shift::Day, "A"), a(2, 7, d, Shift::Day, "B")],
        &RosterRules::default(),
    );
    let empty = RosterProblem::EmptyPost {
        date: d,
        shift: Shift::Day,
        post: "C".into(),
    };
    let mut after = before.clone();
    after.push(empty);
    assert_eq!(new_problems(&before, &after), vec![]);
    assert_eq!(new_problems(&[], &before), before);
}

#[test]
fn the_roster_takes_its_shifts_from_the_shift_plan_and_its_rest_from_the_config() {
    use crate::domain::shifts::HandoverConfig;
    let plan = |starts: &[&str]| {
        HandoverConfig {
            shift_starts: starts.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
        .plan()
        .expect("plan")
    };
    let rules = RosterConfig::default()
        .rules(&ShiftPlan::default())
        .expect("default");
    assert_eq!(rules, RosterRules::default());
    let rules = RosterConfig { min_rest_hours: 24 }
        .rules(&plan(&["20:00", "08:00"]))
        .expect("valid");
    assert_eq!(rules.shifts.day, (hm(8, 0), hm(20, 0)));
    assert_eq!(rules.shifts.night, (hm(20, 0), hm(8, 0)));
    assert_eq!(rules.min_rest, Duration::hours(24));
    for (config, starts, message) in [
        (
            0,
            &["07:30", "19:30"][..],
            "[roster] min_rest_hours = 0: expected 1 to 72 hours",
        ),
        (73, &["07:30", "19:30"][..], "min_rest_hours = 73"),
        (
            12,
            &["06:00", "14:00", "22:00"][..],
            "[handover] shift_starts = [\"06:00\", \"14:00\", \"22:00\"]: the campaign rosters have a day and a night shift",
        ),
        (
            12,
            &["07:00", "12:00"][..],
            "two times, one from 06:00 to before 18:00",
        ),
        (12, &["08:00"][..], "[handover] shift_starts = [\"08:00\"]"),
    ] {
        let err = RosterConfig {
            min_rest_hours: config,
        }
        .rules(&plan(starts))
        .expect_err("bad");
        assert!(err.en.contains(message), "{err}");
    }
}

#[test]
fn a_refused_addition_is_named_as_the_new_assignment_not_as_a_number() {
    let problem = RosterProblem::DoubleBooked {
        officer_id: RecordId::new(Kind::Officer, 12),
        first: RecordId::new(Kind::Assignment, 0),
        second: RecordId::new(Kind::Assignment, 31),
    };
    assert_eq!(
        problem.label(Lang::Vi),
        "CB-000012 ở hai nơi cùng lúc: phân công mới, PC-000031"
    );
    assert_eq!(
        problem.label(Lang::En),
        "CB-000012 in two places at once: the new assignment, PC-000031"
    );
}
