//! A full disk: a child (examples/disk_full_writer.rs) writes duty-log entries to a seeded
//! store with the size of any file it may write capped just above the store file's size
//! (RLIMIT_FSIZE, SIGXFSZ caught: writes past it fail with EFBIG, as on a full disk). The
//! write that does not fit must fail cleanly and say "store read-only: …"; later writes are
//! refused with the same message at once; reads and the console keep working; the console
//! says it in the officer's language. Afterwards, without the cap: every acknowledged write
//! is there, nothing else is, and the store checks intact.
//!
//! What sled does (found here): the failed log write sets sled's global error, after which
//! sled refuses every write but keeps serving reads; the failed write's transaction is not
//! visible to readers, in the process or after reopening.

#![allow(clippy::panic)]

mod common;

use std::process::Command;

use trucban::domain::{Instant, Kind, RecordId};
use trucban::store::SledBackend;

fn now() -> Instant {
    trucban::domain::time::parse_instant("2026-11-27 09:30").expect("fixed clock")
}

fn example(name: &str) -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    exe.parent()
        .and_then(|d| d.parent())
        .expect("target profile dir")
        .join("examples")
        .join(name)
}

/// The screen blocks the child printed, by the keys typed.
fn screens(out: &str) -> Vec<(String, String)> {
    let mut screens = Vec::new();
    let mut lines = out.lines();
    while let Some(line) = lines.next() {
        if let Some(keys) = line.strip_prefix("screen ") {
            let text: Vec<&str> = lines.by_ref().take_while(|l| *l != "end").collect();
            screens.push((keys.to_string(), text.join("\n")));
        }
    }
    screens
}

#[test]
fn a_full_disk_refuses_writes_cleanly_and_keeps_reading() {
    let desk = common::Desk::new();
    desk.ok(&["seed", "--sample"]);
    let data = desk.path().join("data");
    let before = SledBackend::open(&data, now())
        .expect("open")
        .count(Kind::DutyLog);

    let writer = example("disk_full_writer");
    assert!(writer.exists(), "{} not built", writer.display());
    let out = Command::new(&writer)
        .arg(&data)
        .arg("vi")
        .arg("600000")
        .output()
        .expect("run the writer");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "writer failed: {stderr}\n{stdout}");

    let saved: Vec<RecordId> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("saved ")?.parse().ok())
        .collect();
    assert!(!saved.is_empty(), "no write fitted under the cap: {stdout}");
    let refused = stdout
        .lines()
        .find_map(|l| l.strip_prefix("refused "))
        .unwrap_or_else(|| panic!("no write was refused: {stdout}"));
    assert!(
        refused.starts_with("store read-only: ") && refused.contains("may not grow"),
        "{refused}"
    );
    let again: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("again ")?.split_once(" ms ").map(|(_, m)| m))
        .collect();
    assert_eq!(again, [refused, refused], "later writes: {stdout}");
    // Reads go on. The write that failed may or may not show in this process (sled had
    // applied it in memory when its flush failed, or refused it before): whole, or not.
    let seen = stdout
        .lines()
        .find_map(|l| {
            l.strip_prefix("read stats ")?
                .strip_suffix(" log entries")?
                .parse::<usize>()
                .ok()
        })
        .unwrap_or_else(|| panic!("no stats read: {stdout}"));
    assert!(
        seen == before + saved.len() || seen == before + saved.len() + 1,
        "{seen} log entries seen, {} saved on {before}",
        saved.len()
    );
    assert!(stdout.contains("read list 300 wanted"), "{stdout}");
    assert!(stdout.contains("read get TN-000001"), "{stdout}");
    assert!(stdout.contains("read search 5 hits"), "{stdout}");

    let screens = screens(&stdout);
    assert_eq!(screens.len(), 4, "{stdout}");
    let status = |screen: &str| screen.lines().last().unwrap_or_default().to_string();
    for (keys, screen) in [&screens[0], &screens[3]] {
        assert!(
            status(screen).starts_with("Chưa lưu: kho dữ liệu chỉ đọc (store read-only): "),
            "{keys}:\n{screen}"
        );
    }
    assert!(
        screens[1].1.contains("TN-000001  Lý Páo Khua"),
        "{}",
        screens[1].1
    );
    assert!(
        screens[2].1.contains("Quyết định            100/QĐ-CSĐT"),
        "{}",
        screens[2].1
    );

    // Without the cap: every acknowledged write, nothing else, and a whole store.
    let store = SledBackend::open(&data, now()).expect("reopen without the cap");
    for id in &saved {
        assert!(
            store.contains(*id).expect("read"),
            "{id} was acknowledged but is gone"
        );
    }
    // The refused write: absent, or there whole (written, then its fsync failed); `check`
    // proves it is not there in part (record without index, count or change log entry).
    let on_disk = store.scan(Kind::DutyLog).count();
    assert!(
        on_disk == before + saved.len() || on_disk == before + saved.len() + 1,
        "{on_disk} log entries on disk, {} saved on {before}",
        saved.len()
    );
    let report = store.check().expect("check");
    assert!(report.intact(), "{:?}", report.problems);
    println!(
        "disk full: {} writes acknowledged under the cap, then refused ({refused}); in the process {} entries seen, after reopening {} on disk (before: {before})",
        saved.len(),
        seen,
        on_disk
    );
}
