//! Cases through `trucban serve`'s socket, as a client that is not the console: the daemon
//! learns the officer from the kernel, and a case sent with another officer as recorder, a
//! forged time, a rewritten history or a step back is refused or filled from the session;
//! the report crosses the socket with the plan's figures as the store computes them.

#![allow(clippy::panic)]

mod common;
use common::engine;

use std::sync::Arc;

use chrono::{SubsecRound, Utc};
use trucban::domain::report::Period;
use trucban::domain::rules::Refusal;
use trucban::domain::{Case, CaseStatus, CaseStep, Charge, Kind, Record, RecordId};
use trucban::i18n::Lang;
use trucban::service::daemon::{self, Daemon};
use trucban::service::session::AccountGate;
use trucban::service::{DeskApi, LocalDesk, RemoteDesk, ServiceError};

fn id(text: &str) -> RecordId {
    text.parse().expect("id")
}

fn refusal(r: Result<RecordId, ServiceError>) -> Refusal {
    match r {
        Err(ServiceError::Rule(refusal)) => refusal,
        other => panic!("not refused by a rule: {other:?}"),
    }
}

#[test]
fn a_socket_client_cannot_sign_for_another_officer_or_rewrite_a_case() {
    let dir = tempfile::tempdir().expect("temp");
    let now = Utc::now().trunc_subsecs(0);
    let desk = LocalDesk::over(
        engine::open(&dir.path().join("data"), now),
        trucban::domain::Clock::fixed(now),
    );
    desk.load(&trucban::cli::sample_records(now).expect("sample"))
        .expect("load");
    let daemon = Daemon::start(
        desk,
        Arc::new(AccountGate::new(trucban::domain::Clock::system())),
        daemon::Options::new(dir.path().join("run").join("trucban.sock")),
    )
    .expect("start the daemon");
    // This OS user is the duty officer CB-000020.
    daemon
        .desk()
        .set_account(&common::me(), id("CB-000020"), Some("246810".into()))
        .expect("account");
    let client = RemoteDesk::connect(daemon.socket()).expect("admitted");

    let mut case = Case {
        id: RecordId::new(Kind::Case, 0),
        occurred_on: now.date_naive(),
        place: "xã Mù Cả".into(),
        summary: "Vận chuyển pháo nổ qua biên giới".into(),
        charge: Charge {
            article: 188,
            clause: 1,
        },
        group_id: None,
        source: None,
        recorded_at: now - chrono::Duration::days(400),
        recorded_by: id("CB-000004"),
        history: Vec::new(),
    };
    // Another officer as recorder: refused in the daemon, not corrected.
    assert!(matches!(
        refusal(client.save(Record::Case(case.clone()))),
        Refusal::NotTheActingOfficer { .. }
    ));
    // Left empty: the session's officer; the time the client sent is not kept.
    case.recorded_by = RecordId::new(Kind::Officer, 0);
    let saved = client.save(Record::Case(case)).expect("recorded");
    let Some(Record::Case(stored)) = client.get(saved).expect("get") else {
        panic!("saved")
    };
    assert_eq!(stored.recorded_by, id("CB-000020"));
    assert!(stored.recorded_at >= now, "{}", stored.recorded_at);
    // A step signed by someone else, then a history rewritten, then a step back.
    let mut step = stored.clone();
    step.history.push(CaseStep {
        at: now,
        status: CaseStatus::Investigating,
        officer_id: id("CB-000004"),
        note: String::new(),
    });
    assert!(matches!(
        refusal(client.save(Record::Case(step.clone()))),
        Refusal::NotTheActingOfficer { .. }
    ));
    step.history[0].officer_id = RecordId::new(Kind::Officer, 0);
    client.save(Record::Case(step)).expect("investigating");
    let Some(Record::Case(stored)) = client.get(saved).expect("get") else {
        panic!("saved")
    };
    let mut rewritten = stored.clone();
    rewritten.history[0].status = CaseStatus::Cleared;
    assert!(matches!(
        refusal(client.save(Record::Case(rewritten))),
        Refusal::HistoryChanged { .. }
    ));
    let mut back = stored.clone();
    back.history.push(CaseStep {
        at: now,
        status: CaseStatus::Reported,
        officer_id: RecordId::new(Kind::Officer, 0),
        note: String::new(),
    });
    assert!(matches!(
        refusal(client.save(Record::Case(back))),
        Refusal::Step { .. }
    ));
    // The report through the socket is the store's, the plan's figures with it.
    let today = trucban::domain::time::local_date(now);
    let period = Period::half_year_to(today);
    let remote = client.report(period, Lang::En).expect("report");
    let local = daemon.desk().report(period, Lang::En).expect("report");
    assert_eq!(remote.plan, local.plan);
    assert_eq!(remote.current.plan, local.current.plan);
    assert_eq!(
        remote.current.plan.cases_recorded,
        local.current.plan.cases_recorded
    );
    assert!(remote.current.plan.cases_recorded > 0);
}
