//! Several daemons, one database (issue 17): `trucban serve` on two hosts — two sockets
//! here — over one PostgreSQL database. A write through one reaches the other's consoles
//! pushed, within a second; 2 × 20 clients writing at once write every record exactly
//! once, and the audit chain verifies.
//!
//! Needs a PostgreSQL server (`TRUCBAN_TEST_POSTGRES`, which `.ci/run` sets): without one
//! these tests say so and do nothing, except under CI=true, where they fail.

#![allow(clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant as Clock};

use common::engine;
use common::running::{log_entry, now};
use trucban::domain::*;
use trucban::service::daemon::{self, Daemon, OpenGate};
use trucban::service::wire::Pushed;
use trucban::service::{DeskApi, ListQuery, LocalDesk, RemoteDesk};
use trucban::store::PgBackend;

struct TwoHosts {
    a: Daemon,
    b: Daemon,
    _dir: tempfile::TempDir,
}

/// Two daemons over one database holding the sample, or None with no server.
fn two_hosts(test: &str) -> Option<TwoHosts> {
    let server = engine::postgres_server(test)?;
    let dir = tempfile::tempdir().expect("temp dir");
    let url = engine::database_on(&server, dir.path()).expect("database");
    let desk = |load: bool| {
        let desk = LocalDesk::over(
            Arc::new(PgBackend::open(&url, now()).expect("open the database")),
            trucban::domain::Clock::fixed(now()),
        );
        if load {
            desk.load(&trucban::cli::sample_records(now()).expect("sample"))
                .expect("load");
        }
        desk
    };
    let start = |desk, name: &str| {
        let options = daemon::Options::new(dir.path().join(name).join("trucban.sock"));
        Daemon::start(desk, Arc::new(OpenGate), options).expect("start a daemon")
    };
    let a = start(desk(true), "host-a");
    let b = start(desk(false), "host-b");
    Some(TwoHosts { a, b, _dir: dir })
}

fn officer(desk: &LocalDesk) -> RecordId {
    desk.list(&ListQuery::all(Kind::Officer))
        .expect("list")
        .records
        .first()
        .expect("the sample has officers")
        .id()
}

#[test]
fn a_write_through_one_daemon_is_pushed_to_the_other_daemons_consoles_within_a_second() {
    let Some(hosts) = two_hosts("two_daemons::push") else {
        return;
    };
    let watcher = RemoteDesk::connect(hosts.b.socket()).expect("connect to b");
    let pushed = watcher.pushed().expect("pushes");
    let writer = RemoteDesk::connect(hosts.a.socket()).expect("connect to a");
    let officer = officer(hosts.a.desk());
    let mut delays = Vec::new();
    for round in 0..5 {
        let started = Clock::now();
        let id = writer
            .save(log_entry(officer, &format!("ghi qua máy A, lần {round}")))
            .expect("save through a");
        loop {
            match pushed.recv_timeout(Duration::from_secs(5)) {
                Ok(Pushed::Changed { ids }) if ids.contains(&id) => break,
                Ok(_) => continue,
                Err(e) => panic!("round {round}: no push reached b's console: {e}"),
            }
        }
        delays.push(started.elapsed());
        // And b reads it.
        assert!(watcher.get(id).expect("get through b").is_some());
    }
    eprintln!("save through a → push from b: {delays:?}");
    for (round, delay) in delays.iter().enumerate() {
        assert!(
            *delay <= Duration::from_secs(1),
            "round {round}: {delay:?} from the save to b's push"
        );
    }
}

#[test]
fn twenty_clients_on_each_of_two_daemons_write_every_record_exactly_once() {
    const CLIENTS: usize = 20;
    const WRITES: usize = 5;
    let Some(hosts) = two_hosts("two_daemons::writers") else {
        return;
    };
    let officer = officer(hosts.a.desk());
    let before = hosts.a.desk().store().count(Kind::DutyLog).expect("count");
    let writers: Vec<_> = [hosts.a.socket(), hosts.b.socket()]
        .into_iter()
        .enumerate()
        .flat_map(|(host, socket)| {
            (0..CLIENTS).map(move |client| (host, client, socket.to_path_buf()))
        })
        .map(|(host, client, socket)| {
            std::thread::spawn(move || {
                let desk = RemoteDesk::connect(&socket).expect("connect");
                (0..WRITES)
                    .map(|n| {
                        let text = format!("máy {host}, khách {client}, lần {n}");
                        let id = desk.save(log_entry(officer, &text)).expect("save");
                        (text, id)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut written: BTreeMap<String, RecordId> = BTreeMap::new();
    for writer in writers {
        for (text, id) in writer.join().expect("writer") {
            assert!(written.insert(text, id).is_none(), "a text written twice");
        }
    }
    assert_eq!(written.len(), 2 * CLIENTS * WRITES);
    let ids: std::collections::BTreeSet<_> = written.values().copied().collect();
    assert_eq!(ids.len(), written.len(), "an ID given twice");

    // Every write is there exactly once, read through either daemon's store.
    for daemon in [&hosts.a, &hosts.b] {
        let store = daemon.desk().store();
        let entries: Vec<Record> = store
            .scan(Kind::DutyLog)
            .collect::<Result<_, _>>()
            .expect("scan");
        assert_eq!(entries.len() as u64, before + written.len() as u64);
        let mut texts: BTreeMap<&str, usize> = BTreeMap::new();
        for entry in &entries {
            if let Record::DutyLog(e) = entry {
                *texts.entry(e.text.as_str()).or_default() += 1;
            }
        }
        for (text, id) in &written {
            assert_eq!(texts.get(text.as_str()), Some(&1), "{text} ({id})");
        }
    }
    let store = hosts.a.desk().store();
    let chain = store.verify_audit().expect("verify");
    assert!(chain.is_ok(), "{chain:?}");
    let report = store.check().expect("check");
    assert!(report.intact(), "{:?}", report.problems);
}
