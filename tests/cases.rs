//! Cases through an officer's session, as `trucban serve` runs every request: who recorded a
//! case and who changed its status come from the session, never the client; the history is
//! only added to, along the allowed changes; an unknown charge, a source of the wrong kind
//! and a role without the right are refused; an export is read back the same; a tip passed on
//! to investigators opens a case linked to it.

#![allow(clippy::panic)]

mod engine;

use trucban::domain::rules::{Refusal, StepReason};
use trucban::domain::time::parse_instant;
use trucban::domain::{Case, CaseStatus, CaseStep, Charge, Instant, Kind, Record, RecordId};
use trucban::service::session::{Clock, SessionDesk};
use trucban::service::{DeskApi, Format, ListQuery, LocalDesk, ServiceError};

const PIN: &str = "246810";

fn at(text: &str) -> Instant {
    parse_instant(text).expect("time")
}

fn id(text: &str) -> RecordId {
    text.parse().expect("id")
}

fn now() -> Instant {
    at("2026-11-27 09:30")
}

struct Fixture {
    _dir: tempfile::TempDir,
    desk: LocalDesk,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp");
        let desk = LocalDesk::over(
            engine::open(dir.path(), now()),
            trucban::domain::Clock::fixed(now()),
        );
        desk.load(&trucban::cli::sample_records(now()).expect("sample"))
            .expect("load");
        // From the sample: CB-000003 auditor, CB-000020 duty officer.
        for (user, officer) in [("panh", "CB-000003"), ("dan", "CB-000020")] {
            desk.set_account(user, id(officer), Some(PIN.into()))
                .expect("account");
        }
        Fixture { _dir: dir, desk }
    }

    fn session(&self, user: &str) -> SessionDesk {
        SessionDesk::admit(&self.desk, user, Clock::from_fn(now)).expect("admitted")
    }
}

/// A new case as a client sends it, claiming `recorded_by` and a time of its choosing.
fn new_case(recorded_by: &str) -> Case {
    Case {
        id: RecordId::new(Kind::Case, 0),
        occurred_on: at("2026-11-26 20:00").date_naive(),
        place: "xã Dào San".into(),
        summary: "Vận chuyển 2 bánh heroin qua đường mòn".into(),
        charge: Charge {
            article: 250,
            clause: 2,
        },
        group_id: Some(id("BN-000001")),
        source: None,
        recorded_at: at("2020-01-01 00:00"),
        // "CB-000000" (no one) does not parse: number 0 is how a client leaves it empty.
        recorded_by: if recorded_by == "CB-000000" {
            RecordId::new(Kind::Officer, 0)
        } else {
            id(recorded_by)
        },
        history: Vec::new(),
    }
}

fn stored(s: &SessionDesk, case: RecordId) -> Case {
    match s.get(case).expect("get") {
        Some(Record::Case(c)) => c,
        other => panic!("{case}: {other:?}"),
    }
}

fn refusal(r: Result<RecordId, ServiceError>) -> Refusal {
    match r {
        Err(ServiceError::Rule(refusal)) => refusal,
        other => panic!("not refused by a rule: {other:?}"),
    }
}

#[test]
fn the_session_signs_a_case_and_its_history_only_grows() {
    let f = Fixture::new();
    let s = f.session("dan");
    // Left empty, the recorder is the session's officer; the time is the session's.
    let case = s
        .save(Record::Case(new_case("CB-000000")))
        .expect("recorded");
    let c = stored(&s, case);
    assert_eq!(c.recorded_by, id("CB-000020"));
    assert_eq!(c.recorded_at, now());
    assert!(c.is_serious() && c.is_group_caused());
    // Naming another officer is refused, not corrected.
    assert!(matches!(
        refusal(s.save(Record::Case(new_case("CB-000004")))),
        Refusal::NotTheActingOfficer { .. }
    ));
    // A step: its officer and time are the session's.
    let mut next = c.clone();
    next.history.push(CaseStep {
        at: at("2030-01-01 00:00"),
        status: CaseStatus::Investigating,
        officer_id: RecordId::new(Kind::Officer, 0),
        note: "Chuyển Đội điều tra".into(),
    });
    s.save(Record::Case(next)).expect("investigating");
    let c = stored(&s, case);
    assert_eq!(c.status(), CaseStatus::Investigating);
    assert_eq!(
        (c.history[0].officer_id, c.history[0].at),
        (id("CB-000020"), now())
    );
    // The recorder and the time of recording never change.
    let mut moved = c.clone();
    moved.recorded_at = at("2026-01-01 00:00");
    assert!(matches!(
        refusal(s.save(Record::Case(moved))),
        Refusal::FixedField { .. }
    ));
    // The history is never rewritten.
    let mut rewritten = c.clone();
    rewritten.history.clear();
    assert!(matches!(
        refusal(s.save(Record::Case(rewritten))),
        Refusal::HistoryChanged { .. }
    ));
    // Only the allowed changes: under investigation cannot go back to reported.
    let mut back = c.clone();
    back.history.push(CaseStep {
        at: now(),
        status: CaseStatus::Reported,
        officer_id: RecordId::new(Kind::Officer, 0),
        note: String::new(),
    });
    assert!(matches!(
        refusal(s.save(Record::Case(back))),
        Refusal::Step {
            reason: StepReason::CaseNotFrom { .. },
            ..
        }
    ));
    // Cleared: the cleared date is the step's.
    let mut cleared = c.clone();
    cleared.history.push(CaseStep {
        at: now(),
        status: CaseStatus::Cleared,
        officer_id: RecordId::new(Kind::Officer, 0),
        note: String::new(),
    });
    s.save(Record::Case(cleared)).expect("cleared");
    assert_eq!(
        stored(&s, case).cleared_on(),
        Some(trucban::domain::time::local_date(now()))
    );
}

#[test]
fn unknown_charges_wrong_sources_and_roles_without_the_right_are_refused() {
    let f = Fixture::new();
    let s = f.session("dan");
    let mut unknown = new_case("CB-000000");
    unknown.charge = Charge {
        article: 999,
        clause: 1,
    };
    let refused = refusal(s.save(Record::Case(unknown)));
    assert!(
        refused
            .label(trucban::i18n::Lang::Vi)
            .contains("chưa có trong bảng khung hình phạt"),
        "{refused}"
    );
    let mut clause = new_case("CB-000000");
    clause.charge.clause = 9;
    assert!(
        refusal(s.save(Record::Case(clause)))
            .to_string()
            .contains("clauses 1 to 4")
    );
    // A source must be a tip, a duty-log entry or a hit; a group a group.
    let mut source = new_case("CB-000000");
    source.source = Some(id("DT-000001"));
    assert!(matches!(
        refusal(s.save(Record::Case(source))),
        Refusal::Step {
            reason: StepReason::WrongKind { .. },
            ..
        }
    ));
    let mut group = new_case("CB-000000");
    group.group_id = Some(id("TN-000001"));
    assert!(
        refusal(s.save(Record::Case(group)))
            .to_string()
            .contains("group_id")
    );
    // The auditor reads the audit trail and nothing else.
    let auditor = f.session("panh");
    assert!(matches!(
        auditor.save(Record::Case(new_case("CB-000000"))),
        Err(ServiceError::Forbidden(_))
    ));
}

#[test]
fn cases_export_and_import_back_the_same_and_a_passed_tip_opened_one() {
    let f = Fixture::new();
    let all = |kind| f.desk.list(&ListQuery::all(kind)).expect("list").records;
    let cases: Vec<Case> = all(Kind::Case)
        .into_iter()
        .filter_map(|r| match r {
            Record::Case(c) => Some(c),
            _ => None,
        })
        .collect();
    assert!(cases.len() > 500, "{}", cases.len());
    // Every tip passed on to investigators opened a case that names it.
    for tip in all(Kind::Tip) {
        if let Record::Tip(t) = tip
            && t.status == trucban::domain::TipStatus::Passed
        {
            assert!(
                cases.iter().any(|c| c.source == Some(t.id)),
                "{} was passed on and opened no case",
                t.id
            );
        }
    }
    let bytes = f.desk.export(Kind::Case, Format::Csv).expect("export");
    let parsed = trucban::service::interchange::parse(Kind::Case, "cases.csv", &bytes, Format::Csv)
        .expect("parses");
    let back: Vec<Record> = parsed.into_iter().flat_map(|r| r.records).collect();
    assert_eq!(back.len(), cases.len());
    for (a, b) in back.iter().zip(&cases) {
        assert_eq!(a, &Record::Case(b.clone()));
    }
}

/// `trucban report --format json` on the sample, over the last whole half-year: every target with its target and both
/// periods' numerator, denominator, percent and verdict; the counts; the baseline; twelve
/// months. The shape a higher unit adds up many desks with.
#[test]
fn the_report_json_carries_every_figure_with_its_target() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("store");
    // The province's count for the plan's "before": the sample is moved to end today, so
    // whether its cases reach back to 2017 depends on the date the suite runs at.
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[report]\nbaseline_from = 2017-08-09\nbaseline_to = 2018-08-08\nbaseline_offences = 120\n",
    )
    .expect("config");
    // The last whole half-year: the sample ends today and holds it.
    let today = trucban::domain::time::local_date(trucban::domain::Clock::system().now());
    let period = trucban::domain::report::Period::half_year_to(today).step_back();
    let (from, to) = (period.from.to_string(), period.to.to_string());
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_trucban"))
            .arg("--data-dir")
            .arg(&data)
            .args(["--lang", "en", "--config"])
            .arg(&config)
            .args(args)
            .env("HOME", dir.path())
            .output()
            .expect("trucban");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    run(&["seed", "--sample"]);
    let json = run(&["report", "--from", &from, "--to", &to, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json).expect("json");
    let plan = report["plan"].as_array().expect("plan rows");
    let keys: Vec<&str> = plan.iter().filter_map(|r| r["key"].as_str()).collect();
    assert_eq!(
        keys,
        [
            "plan.offences",
            "plan.group_clearance",
            "plan.serious_clearance",
            "plan.tips_in_time"
        ]
    );
    let expected_targets = [
        ("at_most", -3.0),
        ("above", 75.0),
        ("at_least", 95.0),
        ("at_least", 100.0),
    ];
    for (row, (compare, percent)) in plan.iter().zip(expected_targets) {
        assert_eq!(row["target"]["compare"], compare, "{row}");
        assert_eq!(row["target"]["percent"].as_f64(), Some(percent), "{row}");
        for period in ["current", "previous"] {
            let value = &row[period];
            assert!(
                value["numerator"].is_i64() && value["denominator"].is_i64(),
                "{value}"
            );
            // A percent and a verdict, or neither (nothing to measure).
            assert_eq!(
                value["percent"].is_null(),
                value["met"].is_null(),
                "{value}"
            );
            if let (Some(p), Some(met)) = (value["percent"].as_f64(), value["met"].as_bool()) {
                let holds = match compare {
                    "at_most" => p <= percent,
                    "above" => p > percent,
                    _ => p >= percent,
                };
                assert_eq!(holds, met, "{row}");
            }
        }
    }
    // A rate is its numerator over its denominator, in percent.
    let group = &plan[1]["current"];
    let (n, d) = (
        group["numerator"].as_f64().expect("n"),
        group["denominator"].as_f64().expect("d"),
    );
    assert!(
        d > 0.0,
        "the sample has group-caused cases in the half-year"
    );
    assert!((group["percent"].as_f64().expect("percent") - n * 100.0 / d).abs() < 1e-9);
    for count in [
        "cases_recorded",
        "cases_cleared",
        "old_cases_cleared",
        "group_cases",
        "group_cases_cleared",
        "serious_cases",
        "serious_cases_cleared",
        "tips_received",
        "tips_on_time",
        "tips_in_extension",
        "tips_handled_late",
        "tips_extended",
        "tips_overdue",
        "tips_open",
    ] {
        assert!(report["current"]["plan"][count].is_u64(), "current {count}");
        assert!(
            report["previous"]["plan"][count].is_u64(),
            "previous {count}"
        );
    }
    assert_eq!(report["baseline"]["period"]["from"], "2017-08-09");
    assert_eq!(report["baseline"]["offences"], 120);
    assert_eq!(plan[0]["current"]["denominator"], 120);
    assert!(
        plan[0]["current"]["percent"].is_f64(),
        "measured against the configured count"
    );
    assert_eq!(report["monthly"].as_array().expect("months").len(), 12);
    assert_eq!(
        report["monthly"][11]["month"],
        period.to.format("%Y-%m").to_string()
    );
    // And the text carries the same targets, each with met or not in words.
    let text = run(&["report", "--from", &from, "--to", &to]);
    assert!(text.contains("The plan's targets (1207/KH-UBND)"), "{text}");
    assert!(
        text.contains("target > 75 %") && text.contains("target ≥ 95 %"),
        "{text}"
    );
    assert!(text.contains("met"), "{text}");
}
