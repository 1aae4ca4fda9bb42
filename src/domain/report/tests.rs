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
