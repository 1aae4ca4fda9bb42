//! The plan's figures on a fixture counted by hand (see the comments beside each record).

use super::plan::{Compare, PlanFigures};
use super::*;
use crate::domain::cases::{Case, CaseStatus, CaseStep};
use crate::domain::ids::Kind;
use crate::domain::offences::Charge;
use crate::domain::time::{parse_date, parse_instant};
use crate::domain::tips::{Tip, TipChannel, TipExtension, TipRules, TipStatus};

fn at(text: &str) -> Instant {
    parse_instant(text).expect("time")
}

fn officer() -> RecordId {
    RecordId::new(Kind::Officer, 1)
}

/// Case `n`: recorded at `recorded`, with `article`/`clause`, caused by a group or not,
/// and its steps (status, when).
fn case(
    n: u64,
    recorded: &str,
    (article, clause): (u16, u8),
    group: bool,
    steps: &[(CaseStatus, &str)],
) -> Case {
    Case {
        id: RecordId::new(Kind::Case, n),
        occurred_on: local_date(at(recorded)),
        place: "xã Phong Thổ".into(),
        summary: format!("vụ {n}"),
        charge: Charge { article, clause },
        group_id: group.then(|| RecordId::new(Kind::Group, 1)),
        source: None,
        recorded_at: at(recorded),
        recorded_by: officer(),
        history: steps
            .iter()
            .map(|(status, when)| CaseStep {
                at: at(when),
                status: *status,
                officer_id: officer(),
                note: String::new(),
            })
            .collect(),
    }
}

fn tip(n: u64, received: &str, status: TipStatus, settled: Option<&str>) -> Tip {
    let received_at = at(received);
    Tip {
        id: RecordId::new(Kind::Tip, n),
        received_at,
        channel: TipChannel::Phone,
        content: format!("tin {n}"),
        place: "xã Dào San".into(),
        taken_by: officer(),
        verifier: None,
        status,
        first_deadline: TipRules::default().deadline_for(received_at),
        extensions: Vec::new(),
        settled_at: settled.map(at),
    }
}

fn fixture() -> (Vec<Case>, Vec<Tip>) {
    use CaseStatus::{Cleared, Investigating, Suspended};
    const THEFT: (u16, u8) = (173, 1); // up to 3 years: not serious
    const DRUGS: (u16, u8) = (251, 2); // 7–15 years: serious
    let cases = vec![
        // This half-year (H1 2026):
        // 1. group, cleared within the period.
        case(
            1,
            "2026-02-01 08:00",
            THEFT,
            true,
            &[
                (Investigating, "2026-02-02 08:00"),
                (Cleared, "2026-03-01 08:00"),
            ],
        ),
        // 2. group and serious, cleared within the period.
        case(
            2,
            "2026-03-01 08:00",
            DRUGS,
            true,
            &[(Cleared, "2026-04-01 08:00")],
        ),
        // 3. group, cleared in the next period: not cleared here, an old case cleared there.
        case(
            3,
            "2026-05-01 08:00",
            THEFT,
            true,
            &[
                (Investigating, "2026-05-02 08:00"),
                (Cleared, "2026-08-01 08:00"),
            ],
        ),
        // 4. group, still under investigation.
        case(
            4,
            "2026-06-01 08:00",
            THEFT,
            true,
            &[(Investigating, "2026-06-02 08:00")],
        ),
        // 5. serious (murder), cleared.
        case(
            5,
            "2026-01-10 08:00",
            (123, 1),
            false,
            &[(Cleared, "2026-01-20 08:00")],
        ),
        // 6. serious (robbery), suspended.
        case(
            6,
            "2026-06-20 08:00",
            (168, 1),
            false,
            &[
                (Investigating, "2026-06-21 08:00"),
                (Suspended, "2026-06-25 08:00"),
            ],
        ),
        // The half-year before (H2 2025):
        // 7. recorded then, cleared in H1 2026: an old case cleared in H1.
        case(
            7,
            "2025-11-01 08:00",
            THEFT,
            false,
            &[(Cleared, "2026-02-01 08:00")],
        ),
        // 8. serious, cleared within H2 2025.
        case(
            8,
            "2025-12-01 08:00",
            (173, 3),
            false,
            &[(Cleared, "2025-12-15 08:00")],
        ),
    ];
    let mut extended = tip(
        2,
        "2026-02-01 09:00",
        TipStatus::Passed,
        Some("2026-03-10 09:00"),
    );
    extended.extensions.push(TipExtension {
        at: at("2026-02-20 09:00"),
        officer_id: officer(),
        new_deadline: at("2026-03-20 09:00"),
        reason: "phức tạp".into(),
    });
    let tips = vec![
        // a. handled in 14 days: on time.
        tip(
            1,
            "2026-02-01 09:00",
            TipStatus::Closed,
            Some("2026-02-15 09:00"),
        ),
        // b. handled on day 37, within its extension.
        extended,
        // c. handled on day 24, no extension: late.
        tip(
            3,
            "2026-03-01 09:00",
            TipStatus::Passed,
            Some("2026-03-25 09:00"),
        ),
        // d. open, its deadline (21/06) passed before the period's end: overdue.
        tip(4, "2026-06-01 09:00", TipStatus::Verifying, None),
        // e. open, deadline 15/07 after the period's end: open within the deadline.
        tip(5, "2026-06-25 09:00", TipStatus::Received, None),
        // f. closed before the handling time was kept: received only.
        tip(6, "2026-04-01 09:00", TipStatus::Closed, None),
        // g. handled exactly at the 20th day's deadline: on time.
        tip(
            7,
            "2026-04-10 10:00",
            TipStatus::Closed,
            Some("2026-04-30 10:00"),
        ),
    ];
    (cases, tips)
}

fn report_of(cases: &[Case], tips: &[Tip], baseline: &Baseline) -> Report {
    let period = Period::new(
        parse_date("2026-01-01").expect("date"),
        parse_date("2026-06-30").expect("date"),
    )
    .expect("period");
    report(
        period,
        Records {
            notices: &[],
            groups: &[],
            sightings: &[],
            hits: &[],
            inspections: &[],
            campaigns: &[],
            assignments: &[],
            cases,
            tips,
            as_of: at("2026-12-01 08:00"),
            baseline,
        },
        Lang::En,
    )
}

fn baseline() -> Baseline {
    Baseline {
        period: Period::new(
            parse_date("2017-08-09").expect("date"),
            parse_date("2018-08-08").expect("date"),
        )
        .expect("period"),
        offences: Some(12),
    }
}

#[test]
fn clearance_counts_a_case_where_it_was_recorded_and_a_late_clearance_apart() {
    let (cases, tips) = fixture();
    let r = report_of(&cases, &tips, &baseline());
    let counted = PlanFigures {
        cases_recorded: 6,
        cases_cleared: 3,
        old_cases_cleared: 1,
        group_cases: 4,
        group_cases_cleared: 2,
        serious_cases: 3,
        serious_cases_cleared: 2,
        tips_received: 7,
        tips_on_time: 2,
        tips_in_extension: 1,
        tips_handled_late: 1,
        tips_extended: 1,
        tips_overdue: 1,
        tips_open: 1,
    };
    assert_eq!(r.current.plan, counted);
    assert_eq!(
        (
            r.previous.plan.cases_recorded,
            r.previous.plan.cases_cleared,
            r.previous.plan.serious_cases,
            r.previous.plan.serious_cases_cleared,
            r.previous.plan.group_cases
        ),
        (2, 1, 1, 1, 0)
    );
    let row = |key: &str| r.plan.iter().find(|p| p.key == key).expect(key).clone();
    // Group-caused: 2 of 4 = 50 % against > 75 %: not met; none before: nothing to measure.
    let group = row("plan.group_clearance");
    assert_eq!((group.current.numerator, group.current.denominator), (2, 4));
    assert_eq!(group.current.percent, Some(50.0));
    assert_eq!(group.current.met, Some(false));
    assert_eq!(group.previous.met, None);
    assert_eq!(group.target.compare, Compare::Above);
    // Serious: 2 of 3 against ≥ 95 %: not met; before, 1 of 1: met.
    let serious = row("plan.serious_clearance");
    assert_eq!(
        (serious.current.numerator, serious.current.denominator),
        (2, 3)
    );
    assert_eq!(serious.current.met, Some(false));
    assert_eq!(serious.previous.percent, Some(100.0));
    assert_eq!(serious.previous.met, Some(true));
    // Offences: 6 in 181 days against 12 in 365 days: +0.8 %, not down 3 %; before, 2 in
    // 184 days: −66.9 %, met.
    let offences = row("plan.offences");
    let up = offences.current.percent.expect("measured");
    assert!((up - 0.83).abs() < 0.01, "{up}");
    assert_eq!(offences.current.met, Some(false));
    let down = offences.previous.percent.expect("measured");
    assert!((down + 66.94).abs() < 0.01, "{down}");
    assert_eq!(offences.previous.met, Some(true));
    // Tips in time: on time 2 + in extension 1, of 5 whose deadline came or that were
    // handled (f is not placed): 60 % against 100 %.
    let in_time = row("plan.tips_in_time");
    assert_eq!(
        (in_time.current.numerator, in_time.current.denominator),
        (3, 5)
    );
    assert_eq!(in_time.current.met, Some(false));
}

#[test]
fn a_figure_opens_the_records_it_is_measured_on() {
    let (cases, tips) = fixture();
    let baseline = baseline();
    let period = Period::new(
        parse_date("2026-01-01").expect("date"),
        parse_date("2026-06-30").expect("date"),
    )
    .expect("period");
    let records = Records {
        notices: &[],
        groups: &[],
        sightings: &[],
        hits: &[],
        inspections: &[],
        campaigns: &[],
        assignments: &[],
        cases: &cases,
        tips: &tips,
        as_of: at("2026-12-01 08:00"),
        baseline: &baseline,
    };
    let nums = |key: &str| -> Vec<u64> {
        records_behind(period, records, key)
            .iter()
            .map(|id| id.num())
            .collect()
    };
    assert_eq!(nums("plan.group_clearance"), vec![1, 2, 3, 4]);
    assert_eq!(nums("serious_cases_cleared"), vec![2, 5]);
    assert_eq!(nums("old_cases_cleared"), vec![7]);
    assert_eq!(nums("tips_overdue"), vec![4]);
    assert_eq!(nums("tips_on_time"), vec![1, 7]);
}

#[test]
fn the_baseline_is_counted_from_the_cases_when_not_configured() {
    let (mut cases, tips) = fixture();
    // Two offences in the baseline year (365 days): H1 2026's 6 in 181 days is up 505 %.
    for n in [20, 21] {
        cases.push(case(n, "2018-01-15 08:00", (173, 1), false, &[]));
    }
    let base = Baseline {
        offences: None,
        ..baseline()
    };
    let r = report_of(&cases, &tips, &base);
    assert_eq!(r.baseline.as_ref().and_then(|b| b.offences), Some(2));
    let offences = r
        .plan
        .iter()
        .find(|p| p.key == "plan.offences")
        .expect("row");
    let up = offences.current.percent.expect("measured");
    assert!((up - 504.97).abs() < 0.01, "{up}");
}

#[test]
fn the_monthly_chart_counts_clearances_in_their_own_month() {
    let (cases, _) = fixture();
    let months = plan::monthly(&cases, parse_date("2026-06-30").expect("date"));
    assert_eq!(months.len(), 12);
    assert_eq!(months[0].month, "2025-07");
    let feb = months.iter().find(|m| m.month == "2026-02").expect("feb");
    // Case 1 recorded; cases 7 (recorded Nov) cleared in February.
    assert_eq!((feb.recorded, feb.cleared), (1, 1));
    let jan = months.iter().find(|m| m.month == "2026-01").expect("jan");
    assert_eq!((jan.recorded, jan.cleared), (1, 1));
    assert_eq!(plan::bars(&[0, 1, 4, 8]), " ▁▄█");
}
