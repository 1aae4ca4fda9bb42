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
//! A kill keeps the kernel's page cache, so it cannot tell an fsync from none: that is what
//! `tests/power_cut.rs` does, with the same writer on a filesystem that loses what was not
//! synced.

#![allow(clippy::panic)] // test helpers fail loudly by design

#[path = "crash/acknowledged.rs"]
mod acknowledged;
mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use acknowledged::{Reported, check_after_kill, read_lines, seed, summarise, writer_binary};
use chrono::Utc;
use rand::{Rng, SeedableRng};
use trucban::service::{DeskApi, LocalDesk};
use trucban::store::SledBackend;

fn kills() -> usize {
    std::env::var("TRUCBAN_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
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
            // Every other run imports 180 guests at a time in parts of 6 (`write_in_parts`),
            // the others 20 in one transaction.
            .env(
                "TRUCBAN_IMPORT_PART_ROWS",
                if kill % 2 == 0 { "6" } else { "" },
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
        if !check_after_kill(kill, &dir, &reported, &mut lost) {
            break;
        }
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
        if !check_after_kill(kill, &dir, &reported, &mut lost) {
            break;
        }
    }
    summarise("kills of the daemon", kills, kills / 4, &reported, &lost);
}
