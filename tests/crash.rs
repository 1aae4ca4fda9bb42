//! Durability under kill -9: a child (examples/crash_writer.rs) does mixed writes through
//! the owner's session — guest imports, duty-log entries, a hit's outcome steps, the shift's
//! handover signed again with new text — and prints each once it is reported saved; we kill
//! it with SIGKILL at random moments (100 by default, `TRUCBAN_CRASH_KILLS=N` for more);
//! a second test kills `trucban serve` 100 times under a client doing the same.
//! After each kill the store must open and hold every reported write (records, the hit's
//! steps, the handover's latest text), its guest index must agree with its guest records,
//! the audit chain must verify, and records and audit entries must agree: every reported
//! write has its audit entry, and every audit entry of a change names a record that exists.
//!
//! To see that this test can fail, run it with `TRUCBAN_CRASH_UNSAFE=1`: the child then
//! skips the durability step (`TRUCBAN_UNSAFE_NO_SYNC=1`) and reported writes get lost.

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use chrono::Utc;
use rand::{Rng, SeedableRng};
use trucban::domain::{Kind, Record, RecordId};
use trucban::service::{DeskApi, LocalDesk};
use trucban::store::SledBackend;

fn kills() -> usize {
    std::env::var("TRUCBAN_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
}

fn writer_binary() -> std::path::PathBuf {
    // Integration tests run from target/<profile>/deps; cargo builds examples beside it.
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target profile dir");
    profile_dir.join("examples").join("crash_writer")
}

fn seed(dir: &std::path::Path) {
    let desk = LocalDesk::new(
        SledBackend::open(dir, Utc::now()).expect("open"),
        trucban::domain::Clock::system(),
    );
    desk.load(&trucban::cli::sample_records(Utc::now()).expect("sample"))
        .expect("seed the sample");
}

/// What the writer reported saved, by kind of write.
#[derive(Default)]
struct Reported {
    records: Vec<RecordId>,
    batches: Vec<RecordId>,
    /// The hit and the most steps it was reported to have.
    steps: Option<(RecordId, usize)>,
    /// The handover and the latest round of text it was reported to hold.
    signed: Option<(RecordId, u64)>,
}

impl Reported {
    fn take(&mut self, line: &str) {
        let mut words = line.split(' ');
        let (Some(what), Some(id)) = (words.next(), words.next().and_then(|w| w.parse().ok()))
        else {
            return;
        };
        let n: Option<u64> = words.next().and_then(|w| w.parse().ok());
        match (what, n) {
            ("saved", _) => self.records.push(id),
            ("batch", _) => self.batches.push(id),
            ("step", Some(n)) => self.steps = Some((id, n as usize)),
            ("signed", Some(n)) => self.signed = Some((id, n)),
            _ => {}
        }
    }
}

/// The child's stdout, line by line, until it ends.
fn read_lines(child: &mut std::process::Child) -> std::thread::JoinHandle<Vec<String>> {
    let stdout = child.stdout.take().expect("piped stdout");
    std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    })
}

/// Prints what the kills saw, and fails if too few writes happened for the test to mean
/// anything (`min_records`) or if any acknowledged write was lost.
fn summarise(what: &str, kills: usize, min_records: usize, reported: &Reported, lost: &[String]) {
    println!(
        "{kills} {what}, {} records reported saved ({} import batches), hit steps {:?}, handover {:?}; {} lost",
        reported.records.len(),
        reported.batches.len(),
        reported.steps,
        reported.signed,
        lost.len()
    );
    assert!(
        reported.records.len() >= min_records
            && reported.steps.is_some()
            && reported.signed.is_some(),
        "too few writes happened ({}) for the test to mean anything",
        reported.records.len()
    );
    assert!(
        lost.is_empty(),
        "{} reported writes lost after {what}, e.g. {:?}",
        lost.len(),
        &lost[..lost.len().min(5)]
    );
}

/// Every change action whose audit entry names the record it wrote.
const CHANGES: &[&str] = &["save", "import", "add_hit_step", "sign_handover"];

fn check_after_kill(
    kill: usize,
    dir: &std::path::Path,
    reported: &Reported,
    lost: &mut Vec<String>,
) {
    let store = SledBackend::open(dir, Utc::now())
        .unwrap_or_else(|e| panic!("kill {kill}: store does not open: {e}"));
    for id in &reported.records {
        if !store.contains(*id).expect("read") {
            lost.push(format!("kill {kill}: {id}"));
        }
    }
    if let Some((hit, n)) = reported.steps {
        match store.get(hit).expect("read") {
            Some(Record::Hit(h)) if h.steps.len() >= n => {}
            other => lost.push(format!(
                "kill {kill}: {hit} reported with {n} steps: {other:?}"
            )),
        }
    }
    if let Some((handover, round)) = reported.signed {
        let held = match store.get(handover).expect("read") {
            Some(Record::Handover(h)) => h
                .text
                .rsplit(' ')
                .next()
                .and_then(|r| r.parse::<u64>().ok()),
            _ => None,
        };
        if held.is_none_or(|r| r < round) {
            lost.push(format!(
                "kill {kill}: {handover} reported at round {round}, holds {held:?}"
            ));
        }
    }
    // The audit chain, and records and audit entries agreeing both ways.
    if let Err(broken) = store.verify_audit().expect("read audit") {
        panic!("kill {kill}: audit chain broken: {broken}");
    }
    let entries = store
        .audit_entries(&trucban::domain::audit::AuditQuery::default())
        .expect("audit");
    let audited: std::collections::HashSet<RecordId> = entries
        .iter()
        .filter(|e| CHANGES.contains(&e.draft.action.as_str()))
        .filter(|e| e.draft.outcome == trucban::domain::audit::Outcome::Ok)
        .filter_map(|e| e.draft.record)
        .collect();
    for id in &audited {
        assert!(
            store.contains(*id).expect("read"),
            "kill {kill}: an audit entry names {id}, which is not in the store"
        );
    }
    let log_ids = reported
        .records
        .iter()
        .filter(|id| id.kind() == Kind::DutyLog);
    for id in reported.batches.iter().chain(log_ids) {
        assert!(
            audited.contains(id),
            "kill {kill}: {id} was written without its audit entry"
        );
    }
    let desk = LocalDesk::new(store, trucban::domain::Clock::system());
    let guests = desk.stats().expect("stats").count(Kind::GuestStay);
    let far = chrono::DateTime::from_timestamp(4_000_000_000, 0).expect("valid");
    let indexed = desk
        .guests_checked_in(chrono::DateTime::UNIX_EPOCH, far)
        .expect("index")
        .len();
    assert_eq!(
        guests, indexed,
        "kill {kill}: guest index disagrees with guest records"
    );
}

#[test]
fn every_reported_write_survives_kill_9() {
    let writer = writer_binary();
    assert!(
        writer.exists(),
        "{} not built (cargo test builds examples)",
        writer.display()
    );
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("data");
    seed(&dir);
    let unsafe_mode = std::env::var("TRUCBAN_CRASH_UNSAFE").is_ok_and(|v| v == "1");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x7275_6362);
    let mut reported = Reported::default();
    let mut lost: Vec<String> = Vec::new();
    let kills = kills();
    for kill in 0..kills {
        let mut child = Command::new(&writer)
            .arg(&dir)
            .env(
                "TRUCBAN_UNSAFE_NO_SYNC",
                if unsafe_mode { "1" } else { "0" },
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start crash_writer");
        let reader = read_lines(&mut child);
        std::thread::sleep(Duration::from_millis(rng.random_range(30..400)));
        child.kill().expect("SIGKILL the writer");
        let status = child.wait().expect("reap the writer");
        let lines = reader.join().expect("reader thread");
        if let Some(code) = status.code() {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err).ok();
            panic!("kill {kill}: the writer exited by itself with {code} before the kill: {err}");
        }
        for line in &lines {
            reported.take(line);
        }
        check_after_kill(kill, &dir, &reported, &mut lost);
    }
    summarise("kills of the writer", kills, kills, &reported, &lost);
}

/// The same mixed writes by a client of `trucban serve`, and the daemon killed with SIGKILL
/// at random moments (100 by default, `TRUCBAN_CRASH_DAEMON_KILLS=N`); the client reports
/// what the daemon acknowledged. After each kill: the same checks as above.
#[test]
fn every_reported_write_survives_kill_9_of_the_daemon() {
    let writer = writer_binary();
    assert!(writer.exists(), "{} not built", writer.display());
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("data");
    seed(&dir);
    {
        // The daemon admits the OS user running the test: a supervisor's account.
        let desk = LocalDesk::new(
            SledBackend::open(&dir, Utc::now()).expect("open"),
            trucban::domain::Clock::system(),
        );
        desk.set_account(
            &common::me(),
            "CB-000004".parse().expect("id"),
            Some("246810".into()),
        )
        .expect("account");
    }
    let socket = temp.path().join("run").join("trucban.sock");
    let kills = std::env::var("TRUCBAN_CRASH_DAEMON_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100usize);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x6461_656d);
    let mut reported = Reported::default();
    let mut lost: Vec<String> = Vec::new();
    for kill in 0..kills {
        let mut daemon = Command::new(env!("CARGO_BIN_EXE_trucban"))
            .arg("serve")
            .arg("--data-dir")
            .arg(&dir)
            .arg("--socket")
            .arg(&socket)
            .env_remove("TRUCBAN_DATA_DIR")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start trucban serve");
        let started = std::time::Instant::now();
        while std::os::unix::net::UnixStream::connect(&socket).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "kill {kill}: trucban serve never answered"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut child = Command::new(&writer)
            .arg("--socket")
            .arg(&socket)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start crash_writer");
        let reader = read_lines(&mut child);
        std::thread::sleep(Duration::from_millis(rng.random_range(30..400)));
        daemon.kill().expect("SIGKILL the daemon");
        daemon.wait().expect("reap the daemon");
        // The client fails on its next call; it is stopped if it does not.
        let waited = std::time::Instant::now();
        while child.try_wait().expect("wait").is_none() {
            if waited.elapsed() > Duration::from_secs(5) {
                let _ = child.kill();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        for line in &reader.join().expect("reader thread") {
            reported.take(line);
        }
        check_after_kill(kill, &dir, &reported, &mut lost);
    }
    summarise("kills of the daemon", kills, kills / 4, &reported, &lost);
}
