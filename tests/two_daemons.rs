//! Several daemons, one database (issue 17): `trucban serve` on two hosts — two sockets
//! here — over one PostgreSQL database. A write through one reaches the other's consoles
//! pushed, within a second; 2 × 20 clients, officers of four units, writing at once write
//! every record exactly once, each entry in its unit's audit chain, and every chain
//! verifies; one unit's chain being appended to holds back no other unit's.
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
use trucban::service::daemon::{self, Daemon, Gate, OpenGate, Peer, Session};
use trucban::service::session::SessionDesk;
use trucban::service::wire::Pushed;
use trucban::service::{DeskApi, ListQuery, LocalDesk, RemoteDesk};
use trucban::store::{Backend, PgBackend};

struct TwoHosts {
    a: Daemon,
    b: Daemon,
    _dir: tempfile::TempDir,
}

/// Admits each connection as the next of `users` in turn (officers' accounts), with the
/// session an account gets: what the account gate does for one OS user per officer.
struct ByTurn {
    users: Vec<String>,
    next: std::sync::atomic::AtomicUsize,
}

impl Gate for ByTurn {
    fn admit(&self, _peer: &Peer, desk: &LocalDesk) -> trucban::service::Result<Session> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let user = &self.users[n % self.users.len()];
        Ok(Box::new(SessionDesk::admit(
            desk,
            user,
            trucban::domain::Clock::system(),
        )?))
    }
}

/// Two daemons over one database holding the sample, or None with no server.
fn two_hosts(test: &str) -> Option<TwoHosts> {
    two_hosts_behind(test, |_| Arc::new(OpenGate))
}

/// [`two_hosts`], each daemon behind the gate `gate` makes from the loaded desk.
fn two_hosts_behind(
    test: &str,
    mut gate: impl FnMut(&LocalDesk) -> Arc<dyn Gate>,
) -> Option<TwoHosts> {
    let (dir, _, url) = engine::own_database(test)?;
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
    let start = |desk: LocalDesk, gate: Arc<dyn Gate>, name: &str| {
        let options = daemon::Options::new(dir.path().join(name).join("trucban.sock"));
        Daemon::start(desk, gate, options).expect("start a daemon")
    };
    let loaded = desk(true);
    let gate = gate(&loaded);
    let a = start(loaded, gate.clone(), "host-a");
    let b = start(desk(false), gate, "host-b");
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
    let mut units: BTreeMap<String, String> = BTreeMap::new();
    let Some(hosts) = two_hosts_behind("two_daemons::writers", |desk| {
        units = duty_officers_of_four_units(desk);
        Arc::new(ByTurn {
            users: units.keys().cloned().collect(),
            next: Default::default(),
        })
    }) else {
        return;
    };
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
                // Each writes as the officer its session is (the rules refuse another).
                let officer = desk.whoami().expect("whoami").officer.expect("an officer");
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
    // Each save is audited once, in the chain of its officer's unit; each of the four
    // units' chains verifies, and so do they all.
    let store = hosts.a.desk().store();
    let saves: Vec<_> = store
        .audit_entries(&Default::default())
        .expect("audit")
        .into_iter()
        .filter(|e| e.draft.action == "save")
        .collect();
    assert_eq!(saves.len(), written.len());
    let mut per_unit: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &saves {
        assert_eq!(Some(&e.draft.unit), units.get(&e.draft.user), "{e:?}");
        *per_unit.entry(e.draft.unit.as_str()).or_default() += 1;
    }
    assert_eq!(per_unit.len(), 4, "{per_unit:?}");
    let heads = store.audit_heads().expect("heads");
    for unit in per_unit.keys() {
        assert!(heads.iter().any(|h| h.unit == *unit), "no head for {unit}");
    }
    let chain = store.verify_audit().expect("verify");
    assert_eq!(chain, Ok(store.audit_length().expect("length")));
    let report = store.check().expect("check");
    assert!(report.intact(), "{:?}", report.problems);
}

/// Accounts for one duty officer of each of four units of the sample: user → unit.
fn duty_officers_of_four_units(desk: &LocalDesk) -> BTreeMap<String, String> {
    let mut users = BTreeMap::new();
    for record in desk
        .list(&ListQuery::all(Kind::Officer))
        .expect("list")
        .records
    {
        let Record::Officer(o) = record else { continue };
        if o.role != OfficerRole::Duty || users.values().any(|u| *u == o.unit) {
            continue;
        }
        let user = format!("unit{}", users.len());
        desk.set_account(&user, o.id, Some("135790".into()))
            .expect("account");
        users.insert(user, o.unit.clone());
        if users.len() == 4 {
            break;
        }
    }
    users
}

/// The answer on `rx` if it comes within `wait`, looked for every 5 ms. Not
/// `recv_timeout`: under libfaketime (CI's far-date pass) a timed wait that has to expire
/// never does, and a test that needs one to would hang, holding its transaction open.
fn answer_within<T>(rx: &std::sync::mpsc::Receiver<T>, wait: Duration) -> Option<T> {
    let until = Clock::now() + wait;
    loop {
        if let Ok(answer) = rx.try_recv() {
            return Some(answer);
        }
        if Clock::now() >= until {
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The draft of one entry in `unit`'s chain.
fn entry_of(unit: &str) -> trucban::domain::audit::AuditDraft {
    trucban::domain::audit::AuditDraft {
        at: now(),
        user: "test".into(),
        officer: None,
        action: "search".into(),
        record: None,
        detail: String::new(),
        outcome: trucban::domain::audit::Outcome::Ok,
        unit: unit.into(),
    }
}

#[test]
fn an_append_in_flight_in_one_units_chain_holds_back_no_other_unit() {
    let Some((_dir, _, url)) = engine::own_database("two_daemons::units_apart") else {
        return;
    };
    let store = Arc::new(PgBackend::open(&url, now()).expect("open"));
    let (a, b) = ("Công an xã Dào San", "Công an xã Pa Tần");
    store.append_audit(&entry_of(a)).expect("a first entry");
    // Another connection is in the middle of an append to A's chain: it holds the chain's
    // lock (as the store takes it) and A's head row.
    let mut other = <postgres::Config as std::str::FromStr>::from_str(&url)
        .expect("url")
        .connect(postgres::NoTls)
        .expect("connect");
    let mut in_flight = other.transaction().expect("begin");
    in_flight
        .execute(trucban::store::PG_AUDIT_CHAIN_LOCK, &[&a])
        .expect("A's lock");
    in_flight
        .execute("UPDATE audit_head SET seq = seq WHERE unit = $1", &[&a])
        .expect("A's head row");
    let append = |unit: &'static str| {
        let (done, answer) = std::sync::mpsc::channel();
        let writer = Arc::clone(&store);
        std::thread::spawn(move || {
            let _ = done.send(writer.append_audit(&entry_of(unit)).map(|e| e.seq));
        });
        answer
    };
    // B appends meanwhile, at once.
    let started = Clock::now();
    let b_answer = answer_within(&append(b), Duration::from_secs(2));
    let b_took = started.elapsed();
    // A waits for the append in flight.
    let a_answer = append(a);
    let waits = answer_within(&a_answer, Duration::from_millis(500)).is_none();
    in_flight.commit().expect("end the append in flight");
    let second = answer_within(&a_answer, Duration::from_secs(10))
        .expect("A appends once the other is done");
    eprintln!("B's append while A's was in flight: {b_took:?}; A waited: {waits}");
    assert!(
        matches!(b_answer, Some(Ok(1))),
        "B's append waited on A's ({b_took:?}): {b_answer:?}"
    );
    assert!(
        waits,
        "A's second append did not wait for the one in flight"
    );
    assert_eq!(second.expect("appended"), 2);
    assert_eq!(store.verify_audit().expect("verify"), Ok(3));
}
