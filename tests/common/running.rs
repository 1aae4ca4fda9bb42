//! A daemon in this process over a seeded store, for the tests of the socket protocol
//! (`tests/daemon.rs`, `tests/daemon_socket.rs`).

use std::path::Path;
use std::sync::Arc;

use chrono::{SubsecRound, Utc};
use trucban::domain::{DutyLogEntry, Instant, Kind, Record, RecordId};
use trucban::service::daemon::{self, Daemon, OpenGate};
use trucban::service::{LocalDesk, RemoteDesk};
use trucban::store::SyncMode;

use super::engine;

pub fn now() -> Instant {
    Utc::now().trunc_subsecs(0)
}

/// A duty-log line by `officer`, to be given its ID when saved: the write the daemon tests
/// make.
pub fn log_entry(officer: RecordId, text: &str) -> Record {
    Record::DutyLog(DutyLogEntry {
        id: RecordId::new(Kind::DutyLog, 0),
        at: now(),
        officer_id: officer,
        text: text.to_string(),
        record: None,
        corrects: None,
    })
}

/// The daemon first: it stops (and its socket goes) before the directory is removed.
pub struct Running {
    pub daemon: Daemon,
    pub dir: tempfile::TempDir,
}

impl Running {
    pub fn socket(&self) -> &Path {
        self.daemon.socket()
    }

    pub fn connect(&self) -> RemoteDesk {
        RemoteDesk::connect(self.socket()).expect("connect to the daemon")
    }

    pub fn local(&self) -> &LocalDesk {
        self.daemon.desk()
    }
}

pub fn seeded(dir: &Path, sync: SyncMode) -> LocalDesk {
    let desk = LocalDesk::over(
        engine::open_with(&dir.join("data"), now(), sync),
        trucban::domain::Clock::fixed(now()),
    );
    desk.load(&trucban::cli::sample_records(now()).expect("sample"))
        .expect("load");
    desk
}

pub fn start_with(sync: SyncMode, tune: impl FnOnce(&mut daemon::Options)) -> Running {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = seeded(dir.path(), sync);
    let mut options = daemon::Options::new(dir.path().join("run").join("trucban.sock"));
    tune(&mut options);
    let daemon = Daemon::start(desk, Arc::new(OpenGate), options).expect("start the daemon");
    Running { dir, daemon }
}

pub fn start() -> Running {
    start_with(SyncMode::Full, |_| {})
}
