//! The daemon as deployed: it learns who connects from the kernel (SO_PEERCRED → uid → OS
//! user), admits only users with an officer account (refusals audited), serves each with
//! their role, and 20 clients working at once through their sessions lose and duplicate
//! nothing, each write with its audit entry. Latency figures are printed, not asserted
//! (`cargo bench --bench daemon` is the benchmark).

#![allow(clippy::panic)]

mod common;
use common::engine;

use std::sync::Arc;
use std::time::Duration;

use chrono::{SubsecRound, Utc};
use trucban::domain::audit::{AuditQuery, Outcome};
use trucban::domain::{DutyLogEntry, Kind, OfficerRole, Record, RecordId};
use trucban::service::daemon::{self, Daemon};
use trucban::service::session::AccountGate;
use trucban::service::{DeskApi, Format, ListQuery, LocalDesk, RemoteDesk, ServiceError};

fn seeded(dir: &std::path::Path) -> LocalDesk {
    let now = Utc::now().trunc_subsecs(0);
    let desk = LocalDesk::over(
        engine::open(&dir.join("data"), now),
        trucban::domain::Clock::fixed(now),
    );
    desk.load(&trucban::cli::sample_records(now).expect("sample"))
        .expect("load");
    desk
}

fn start(dir: &std::path::Path) -> Daemon {
    let desk = seeded(dir);
    Daemon::start(
        desk,
        Arc::new(AccountGate::new(trucban::domain::Clock::system())),
        daemon::Options::new(dir.join("run").join("trucban.sock")),
    )
    .expect("start the daemon")
}

fn id(text: &str) -> RecordId {
    text.parse().expect("id")
}

#[test]
fn the_kernel_names_the_peer_and_only_accounts_get_in_with_their_role() {
    let dir = tempfile::tempdir().expect("temp");
    let daemon = start(dir.path());
    let me = common::me();
    // No account for this OS user: refused, and the refusal is audited with the user.
    match RemoteDesk::connect(daemon.socket()) {
        Err(ServiceError::UnknownUser(why)) => assert!(why.contains(&me), "{why}"),
        other => panic!("admitted without an account: {:?}", other.map(|_| ())),
    }
    let refused = daemon
        .desk()
        .store()
        .audit_entries(&AuditQuery::default())
        .expect("audit");
    assert!(
        refused.iter().any(|e| e.draft.user == me
            && e.draft.action == "logon"
            && e.draft.outcome == Outcome::Refused),
        "{refused:#?}"
    );
    // With an account (a duty officer): admitted as that officer, with that role.
    daemon
        .desk()
        .set_account(&me, id("CB-000020"), Some("246810".into()))
        .expect("account");
    let desk = RemoteDesk::connect(daemon.socket()).expect("admitted");
    let who = desk.whoami().expect("whoami");
    assert_eq!(
        (who.user.as_str(), who.officer, who.role),
        (me.as_str(), Some(id("CB-000020")), Some(OfficerRole::Duty))
    );
    // The role holds over the socket: reading yes, exporting no (refused in the daemon).
    assert!(desk.get(id("DT-000001")).expect("read").is_some());
    assert!(matches!(
        desk.export(Kind::Person, Format::Csv),
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        desk.audit(&AuditQuery::default()),
        Err(ServiceError::Forbidden(_))
    ));
    // Locked over the socket: nothing but the PIN.
    desk.lock().expect("lock");
    assert!(matches!(
        desk.get(id("DT-000001")),
        Err(ServiceError::Locked)
    ));
    assert!(matches!(
        desk.unlock("111111"),
        Err(ServiceError::Unlock(_))
    ));
    desk.unlock("246810").expect("unlock");
    assert!(desk.get(id("DT-000001")).is_ok());
    drop(desk);
    // Log-on, the opening, the refusals and the log-off, under this user and officer.
    std::thread::sleep(Duration::from_millis(200));
    let mine: Vec<_> = daemon
        .desk()
        .store()
        .audit_entries(&AuditQuery {
            officer: Some(id("CB-000020")),
            ..AuditQuery::default()
        })
        .expect("audit")
        .into_iter()
        .map(|e| (e.draft.action, e.draft.outcome))
        .collect();
    for expected in [
        ("logon".to_string(), Outcome::Ok),
        ("get".to_string(), Outcome::Ok),
        ("export_page".to_string(), Outcome::Refused),
        ("audit".to_string(), Outcome::Refused),
        ("unlock".to_string(), Outcome::Refused),
        ("unlock".to_string(), Outcome::Ok),
        ("logoff".to_string(), Outcome::Ok),
    ] {
        assert!(mine.contains(&expected), "{expected:?} not in {mine:?}");
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// 20 clients (`TRUCBAN_DAEMON_CLIENTS`), each its own session of a supervisor account, for
/// `TRUCBAN_DAEMON_OPS` rounds (or `TRUCBAN_DAEMON_SECS` seconds) of a search, a page, a
/// record and its links, and a durable write. The 60 s run:
/// `TRUCBAN_DAEMON_SECS=60 cargo test --release --test daemon_sessions -- --nocapture`.
#[test]
fn twenty_sessions_at_once_lose_nothing_and_audit_every_write() {
    let clients = env_usize("TRUCBAN_DAEMON_CLIENTS", 20);
    let rounds = env_usize("TRUCBAN_DAEMON_OPS", 10);
    let seconds = env_usize("TRUCBAN_DAEMON_SECS", 0);
    let dir = tempfile::tempdir().expect("temp");
    let daemon = start(dir.path());
    daemon
        .desk()
        .set_account(&common::me(), id("CB-000004"), Some("246810".into()))
        .expect("account");
    // The index loads in the background; the clients start once it is there.
    while let Err(ServiceError::SearchNotReady) =
        daemon.desk().search("lo", None, 1, trucban::i18n::Lang::Vi)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    let socket = daemon.socket().to_path_buf();
    let deadline = std::time::Instant::now() + Duration::from_secs(seconds as u64);
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let socket = socket.clone();
            std::thread::spawn(move || -> (Vec<String>, Vec<Duration>) {
                let desk = RemoteDesk::connect(&socket).expect("connect");
                let mut written = Vec::new();
                let mut latencies = Vec::new();
                let mut timed = |f: &mut dyn FnMut()| {
                    let t = std::time::Instant::now();
                    f();
                    latencies.push(t.elapsed());
                };
                let mut round = 0;
                while if seconds > 0 {
                    std::time::Instant::now() < deadline
                } else {
                    round < rounds
                } {
                    timed(&mut || {
                        desk.search("nguyen van", None, 20, trucban::i18n::Lang::Vi)
                            .expect("search");
                    });
                    let mut first = None;
                    timed(&mut || {
                        first = desk
                            .list(&ListQuery {
                                limit: 30,
                                ..ListQuery::all(Kind::GuestStay)
                            })
                            .expect("list")
                            .records
                            .first()
                            .map(Record::id);
                    });
                    if let Some(record) = first {
                        timed(&mut || {
                            desk.get(record).expect("get");
                        });
                        timed(&mut || {
                            desk.related(record).expect("related");
                        });
                    }
                    let text = format!("client {c} round {round}");
                    let entry = Record::DutyLog(DutyLogEntry {
                        id: RecordId::new(Kind::DutyLog, 0),
                        at: Utc::now().trunc_subsecs(0),
                        officer_id: id("CB-000004"),
                        text: text.clone(),
                        record: None,
                        corrects: None,
                    });
                    timed(&mut || {
                        desk.save(entry.clone()).expect("save");
                    });
                    written.push(text);
                    round += 1;
                }
                (written, latencies)
            })
        })
        .collect();
    let mut written = Vec::new();
    let mut latencies = Vec::new();
    for worker in workers {
        let (w, l) = worker.join().expect("a client failed");
        written.extend(w);
        latencies.extend(l);
    }
    let logs: Vec<Record> = daemon
        .desk()
        .store()
        .scan(Kind::DutyLog)
        .map(|r| r.expect("record"))
        .collect();
    let mut texts: Vec<String> = logs
        .iter()
        .filter_map(|r| match r {
            Record::DutyLog(e) if e.text.starts_with("client ") => Some(e.text.clone()),
            _ => None,
        })
        .collect();
    texts.sort();
    written.sort();
    assert_eq!(texts, written, "every write exactly once");
    // Each write with its own audit entry, naming the record it wrote.
    let saved: std::collections::HashSet<RecordId> = daemon
        .desk()
        .store()
        .audit_entries(&AuditQuery::default())
        .expect("audit")
        .into_iter()
        .filter(|e| e.draft.action == "save" && e.draft.outcome == Outcome::Ok)
        .filter_map(|e| e.draft.record)
        .collect();
    for record in &logs {
        if let Record::DutyLog(e) = record
            && e.text.starts_with("client ")
        {
            assert!(saved.contains(&e.id), "{} has no audit entry", e.id);
        }
    }
    assert_eq!(daemon.desk().audit_verify().expect("verify").broken, None);
    latencies.sort();
    let p = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    println!(
        "{clients} sessions, {} requests, {} writes: p50 {:?}, p95 {:?}, p99 {:?}, max {:?}",
        latencies.len(),
        written.len(),
        p(0.5),
        p(0.95),
        p(0.99),
        latencies[latencies.len() - 1]
    );
}
