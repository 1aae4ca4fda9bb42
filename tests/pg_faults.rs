//! The database restarted under load (issue 17): a daemon over PostgreSQL keeps serving
//! while the database restarts — writes in that moment are refused as "cannot reach the
//! database", never reported saved — and goes on by itself once it is back; nothing that
//! was acknowledged is lost, and the audit chain verifies.
//!
//! The test starts a cluster of its own (`.ci/postgres`), so that restarting it disturbs no
//! other test. It needs PostgreSQL installed (`TRUCBAN_TEST_POSTGRES` set, as `.ci/run`
//! does): without, it says so and does nothing, except under CI=true, where it fails.

#![allow(clippy::panic)]

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::engine;
use common::running::{log_entry, now};
use trucban::domain::*;
use trucban::service::daemon::{self, Daemon, OpenGate};
use trucban::service::{DeskApi, ListQuery, LocalDesk, RemoteDesk, ServiceError};
use trucban::store::{Backend, PgBackend};

fn cluster(command: &str, dir: &Path) -> String {
    let out = Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/postgres"))
        .args([command, dir.to_str().expect("utf-8")])
        .output()
        .expect("run .ci/postgres");
    assert!(
        out.status.success(),
        ".ci/postgres {command}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Its own cluster, stopped when dropped.
struct Cluster(tempfile::TempDir);

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/postgres"))
            .args(["stop", self.0.path().to_str().unwrap_or_default()])
            .output();
    }
}

#[test]
fn a_daemon_rides_out_a_database_restart_and_loses_nothing_acknowledged() {
    if engine::postgres_server("pg_faults::restart").is_none() {
        return;
    }
    let dir = tempfile::Builder::new()
        .prefix("trucban-pg-fault")
        .tempdir_in("/tmp")
        .expect("temp");
    let url = cluster("start", dir.path());
    let cluster_dir = dir.path().to_path_buf();
    let _cluster = Cluster(dir);
    let store = PgBackend::open(&url, now()).expect("open");
    let desk = LocalDesk::over(Arc::new(store), trucban::domain::Clock::fixed(now()));
    desk.load(&trucban::cli::sample_records(now()).expect("sample"))
        .expect("load");
    let officer = desk
        .list(&ListQuery::all(Kind::Officer))
        .expect("list")
        .records[0]
        .id();
    let socket_dir = tempfile::tempdir().expect("socket dir");
    let daemon = Daemon::start(
        desk,
        Arc::new(OpenGate),
        daemon::Options::new(socket_dir.path().join("run").join("trucban.sock")),
    )
    .expect("daemon");

    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (socket, stop) = (daemon.socket().to_path_buf(), stop.clone());
            std::thread::spawn(move || {
                let desk = RemoteDesk::connect(&socket).expect("connect");
                let (mut saved, mut refused) = (Vec::new(), Vec::new());
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let text = format!("người ghi {w}, dòng {n}");
                    match desk.save(log_entry(officer, &text)) {
                        Ok(id) => saved.push((Instant::now(), id, text)),
                        Err(e) => refused.push((Instant::now(), e)),
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                (saved, refused)
            })
        })
        .collect();
    // A quick restart: the pool waits for the database (up to 5 s) rather than refuse.
    std::thread::sleep(Duration::from_millis(1000));
    let restarted_at = Instant::now();
    cluster("restart", &cluster_dir);
    let restarted = restarted_at.elapsed();
    std::thread::sleep(Duration::from_millis(1000));
    // Down for longer than that: writes are refused, and said why.
    cluster("stop", &cluster_dir);
    std::thread::sleep(Duration::from_secs(7));
    cluster("start", &cluster_dir);
    let back_at = Instant::now();
    std::thread::sleep(Duration::from_secs(3));
    stop.store(true, Ordering::SeqCst);

    let (mut saved, mut refused) = (Vec::new(), Vec::new());
    for writer in writers {
        let (s, r) = writer.join().expect("writer");
        saved.extend(s);
        refused.extend(r);
    }
    eprintln!(
        "restart took {restarted:?}; {} saves acknowledged, {} refused while the database was down for 7 s",
        saved.len(),
        refused.len()
    );
    assert!(
        !refused.is_empty(),
        "no write was refused while the database was down"
    );
    // Refused while the database was away, and said so; none after it was back for a second.
    for (at, e) in &refused {
        let code = e.code();
        assert!(
            code == "store.database_unreachable",
            "refused with {code}: {e}"
        );
        assert!(
            *at < back_at + Duration::from_secs(1),
            "still refused {:?} after the database was back: {e}",
            *at - back_at
        );
        if let ServiceError::Remote { said, .. } = e {
            assert!(
                said.vi.contains("không kết nối được cơ sở dữ liệu"),
                "{said:?}"
            );
        }
    }
    // And it went on by itself.
    let after = saved
        .iter()
        .filter(|(at, _, _)| *at > back_at + Duration::from_secs(1))
        .count();
    assert!(
        after > 20,
        "{after} writes acknowledged once the database was back"
    );
    // Every acknowledged write is in the store, once.
    let store = PgBackend::open(&url, now()).expect("reopen");
    for (_, id, text) in &saved {
        match store.get(*id).expect("get") {
            Some(Record::DutyLog(e)) => assert_eq!(&e.text, text),
            other => panic!("{id} acknowledged but {other:?}"),
        }
    }
    assert_eq!(store.verify_audit().expect("verify").map(drop), Ok(()));
    drop(daemon);
}
