//! Backups and restores: the restore drill (a backup taken in `trucban serve`'s process while
//! five clients write through its socket, then restored, checked, and proved equal by its
//! content checksum), refusals that write
//! nothing (a store already there, a damaged or cut file), and the command line.

#![allow(clippy::panic)]

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use trucban::domain::{DutyLogEntry, Instant, Kind, Record, RecordId};
use trucban::service::session::SessionDesk;
use trucban::service::{DeskApi, LocalDesk};
use trucban::store::SledBackend;
use trucban::store::backup::{self, BackupError};

fn now() -> Instant {
    trucban::domain::time::parse_instant("2026-11-27 09:30").expect("fixed clock")
}

fn seeded(dir: &Path) -> LocalDesk {
    let desk = LocalDesk::new(
        SledBackend::open(dir, now()).expect("open"),
        trucban::domain::Clock::fixed(now()),
    );
    desk.load(&trucban::cli::sample_records(now()).expect("sample"))
        .expect("load");
    desk
}

fn entry(text: String) -> Record {
    Record::DutyLog(DutyLogEntry {
        id: RecordId::new(Kind::DutyLog, 0),
        at: now(),
        // Left empty: the service fills in the session's officer (CB-000004).
        officer_id: RecordId::new(Kind::Officer, 0),
        text,
        record: None,
        corrects: None,
    })
}

#[test]
fn restore_drill_backup_while_five_clients_write() {
    let temp = tempfile::tempdir().expect("temp");
    let desk = seeded(&temp.path().join("live"));
    // The writers are clients of the daemon, as this OS user's account (a supervisor).
    let me = trucban::service::session::current_os_user();
    desk.set_account(&me, RecordId::new(Kind::Officer, 4), Some("246810".into()))
        .expect("account");
    let clock = trucban::domain::Clock::from_fn(now);
    let daemon = trucban::service::daemon::Daemon::start(
        desk,
        Arc::new(trucban::service::session::AccountGate::new(clock.clone())),
        trucban::service::daemon::Options::new(temp.path().join("run").join("trucban.sock")),
    )
    .expect("start the daemon");
    let desk = daemon.desk().clone();
    let acked: Arc<Mutex<Vec<(RecordId, std::time::Instant)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..5)
        .map(|_| {
            let session = trucban::service::RemoteDesk::connect(daemon.socket()).expect("client");
            let (acked, stop) = (acked.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let id = session
                        .save(entry(format!("sổ trực: lần {n}")))
                        .expect("save");
                    acked
                        .lock()
                        .expect("lock")
                        .push((id, std::time::Instant::now()));
                }
                n
            })
        })
        .collect();
    while acked.lock().expect("lock").len() < 50 {
        assert!(
            !writers.iter().any(|w| w.is_finished()),
            "a writer stopped (its save failed)"
        );
        std::thread::yield_now();
    }
    // The backup in the daemon's process, on the store it holds, while the clients write.
    let admin = SessionDesk::owner(&desk, "admin", None, clock.clone()).expect("admin");
    let file = temp.path().join("drill.bak");
    let started = std::time::Instant::now();
    let summary = admin.backup(&file, false).expect("backup");
    // Let the writers go on past the backup, then stop them.
    let at_end = acked.lock().expect("lock").len();
    while acked.lock().expect("lock").len() < at_end + 20 {
        assert!(
            !writers.iter().any(|w| w.is_finished()),
            "a writer stopped (its save failed)"
        );
        std::thread::yield_now();
    }
    stop.store(true, Ordering::SeqCst);
    let written: usize = writers.into_iter().map(|w| w.join().expect("writer")).sum();
    let acked = acked.lock().expect("lock").clone();
    let before: Vec<RecordId> = acked
        .iter()
        .filter(|(_, at)| *at < started)
        .map(|(id, _)| *id)
        .collect();
    assert!(
        before.len() >= 50 && acked.len() > before.len(),
        "{} {}",
        before.len(),
        acked.len()
    );

    let restored_dir = temp.path().join("restored");
    let restored = backup::restore(&restored_dir, &file, now()).expect("restore");
    assert!(restored.check.intact(), "{:?}", restored.check.problems);
    assert!(
        restored.check.audit_entries > 0,
        "the audit chain came along"
    );
    assert_eq!(restored.summary, summary);
    let store = SledBackend::open(&restored_dir, now()).expect("open restored");
    for id in &before {
        assert!(
            store.contains(*id).expect("read"),
            "{id} was acknowledged before the backup started but is not in it"
        );
    }
    let in_backup = summary.counts[Kind::DutyLog.index()].1 as usize;
    let again = store
        .backup(&temp.path().join("again.bak"))
        .expect("backup of the restored store");
    assert_eq!(
        again.sha256, summary.sha256,
        "the restored store equals its backup"
    );
    println!(
        "drill: {written} writes by 5 daemon clients, {} acknowledged before the backup began, {} log entries in the backup, {} records; restored and checked intact with {} audit entries",
        before.len(),
        in_backup,
        summary.total_records(),
        restored.check.audit_entries
    );
}

#[test]
fn restore_refuses_a_store_that_is_there_and_writes_nothing() {
    let temp = tempfile::tempdir().expect("temp");
    let desk = seeded(&temp.path().join("a"));
    let file = temp.path().join("a.bak");
    desk.store().backup(&file).expect("backup");
    let err = backup::restore(&temp.path().join("a"), &file, now()).expect_err("must refuse");
    assert!(matches!(err, BackupError::NotEmpty { .. }), "{err}");
    assert!(
        err.to_string().contains("only into an empty store"),
        "{err}"
    );
    assert_eq!(desk.stats().expect("stats").count(Kind::Wanted), 300);
}

#[test]
fn a_damaged_or_cut_backup_is_refused_before_anything_is_written() {
    let temp = tempfile::tempdir().expect("temp");
    let desk = seeded(&temp.path().join("a"));
    let file = temp.path().join("a.bak");
    let summary = desk.store().backup(&file).expect("backup");
    assert_eq!(backup::verify(&file).expect("verify"), summary);
    let good = std::fs::read(&file).expect("read");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("a byte in the content", {
            let mut b = good.clone();
            b[good.len() / 2] ^= 0x01;
            b
        }),
        ("a byte in the trailer", {
            let mut b = good.clone();
            let i = good.len() - 20;
            b[i] ^= 0x01;
            b
        }),
        ("a count in the trailer (the sum does not cover it)", {
            let at = good
                .windows(14)
                .rposition(|w| w == b"[\"wanted\",300]")
                .expect("the trailer counts the wanted notices");
            let mut b = good.clone();
            b[at + 12] = b'1';
            b
        }),
        ("cut in half", good[..good.len() / 2].to_vec()),
        ("not a backup", b"guests.csv,not,a,backup\n".to_vec()),
    ];
    for (what, bytes) in cases {
        let bad = temp.path().join("bad.bak");
        std::fs::write(&bad, bytes).expect("write");
        let target = temp.path().join("r");
        let err = backup::restore(&target, &bad, now()).expect_err(what);
        assert!(matches!(err, BackupError::Invalid { .. }), "{what}: {err}");
        assert!(
            err.to_string().contains("Nothing was written"),
            "{what}: {err}"
        );
        assert!(
            !target.join("store").exists(),
            "{what}: a store was written"
        );
        assert!(
            !target.join("restoring").exists(),
            "{what}: left a partial store"
        );
    }
}

#[test]
fn a_backup_replaces_its_file_whole_and_leaves_no_temporary_file() {
    let temp = tempfile::tempdir().expect("temp");
    let desk = seeded(&temp.path().join("a"));
    let out = temp.path().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    let file = out.join("nightly.bak");
    std::fs::write(&file, b"yesterday").expect("old file");
    let first = desk.store().backup(&file).expect("backup");
    let second = desk.store().backup(&file).expect("backup again");
    assert_eq!(first.sha256, second.sha256, "same content, same checksum");
    let names: Vec<String> = std::fs::read_dir(&out)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["nightly.bak"]);
    assert_eq!(backup::verify(&file).expect("verify"), second);
}

fn trucban(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_trucban"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("run trucban")
}

#[test]
fn the_command_line_checks_backs_up_and_restores() {
    let temp = tempfile::tempdir().expect("temp");
    let (a, r) = (temp.path().join("a"), temp.path().join("r"));
    assert!(trucban(&a, &["seed", "--sample"]).status.success());
    let check = trucban(&a, &["check"]);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{check:?}");
    assert!(stdout.contains(": intact ("), "{stdout}");
    let file = temp.path().join("a.bak");
    let out = trucban(&a, &["backup", file.to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "{out:?}");
    let sha = String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.trim().strip_prefix("sha256 ").map(str::to_string))
        .expect("the backup's checksum is printed");
    let out = trucban(&r, &["restore", file.to_str().expect("utf-8 path")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(stdout.contains(&format!("(sha256 {sha})")), "{stdout}");
    assert!(stdout.contains("wanted                 300"), "{stdout}");
    assert!(stdout.contains("check: intact"), "{stdout}");
    let again = trucban(&r, &["restore", file.to_str().expect("utf-8 path")]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("only into an empty store"),
        "{again:?}"
    );
    let json = trucban(&r, &["check", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(report["problems"], serde_json::json!([]));
}
