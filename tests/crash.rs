//! Durability under kill -9: a child (examples/crash_writer.rs) writes through the service
//! in a loop and prints each ID once the write is reported saved; we kill it with SIGKILL
//! at 50 random moments. After each kill the store must open, hold every reported write,
//! and its guest index must agree with its guest records.
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
use trucban::domain::{Kind, RecordId};
use trucban::service::{DeskApi, Format, ImportSource, LocalDesk};
use trucban::store::Store;

const KILLS: usize = 50;

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
    let desk = LocalDesk::new(Store::open(dir, Utc::now()).expect("open"));
    for (kind, name, text) in [
        (Kind::Officer, "officers.csv", common::OFFICERS),
        (
            Kind::Establishment,
            "establishments.csv",
            common::ESTABLISHMENTS,
        ),
    ] {
        let source = ImportSource {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
            format: Format::Csv,
        };
        desk.import(kind, &source).expect("seed import");
    }
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
    let mut reported: Vec<RecordId> = Vec::new();
    let mut lost: Vec<RecordId> = Vec::new();
    for kill in 0..KILLS {
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
        let stdout = child.stdout.take().expect("piped stdout");
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| {
                    l.strip_prefix("saved ")
                        .and_then(|id| id.parse::<RecordId>().ok())
                })
                .collect::<Vec<_>>()
        });
        std::thread::sleep(Duration::from_millis(rng.random_range(30..400)));
        child.kill().expect("SIGKILL the writer");
        let status = child.wait().expect("reap the writer");
        let saved = reader.join().expect("reader thread");
        if let Some(code) = status.code() {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err).ok();
            panic!("kill {kill}: the writer exited by itself with {code} before the kill: {err}");
        }
        reported.extend(saved);

        let store = Store::open(&dir, Utc::now())
            .unwrap_or_else(|e| panic!("kill {kill}: store does not open: {e}"));
        for id in &reported {
            if !store.contains(*id).expect("read") && !lost.contains(id) {
                lost.push(*id);
            }
        }
        let desk = LocalDesk::new(store);
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
    println!(
        "{KILLS} kills, {} writes reported saved, {} lost",
        reported.len(),
        lost.len()
    );
    assert!(
        reported.len() >= KILLS,
        "too few writes happened ({}) for the test to mean anything",
        reported.len()
    );
    assert!(
        lost.is_empty(),
        "{} reported writes lost after kill -9, e.g. {:?}",
        lost.len(),
        &lost[..lost.len().min(5)]
    );
}
