//! The storage engine the service-level tests run on, opened in one place: the sled engine,
//! or PostgreSQL when `TRUCBAN_TEST_DATABASE` names a server (`.ci/run` starts one and runs
//! the contract, service, daemon, access, screening and handover tests again on it). Tests
//! of the sled engine itself (`store.rs`, `crash.rs`, `corrupt_store.rs`, `disk_full.rs`,
//! `backup.rs`) open `SledBackend` by name on purpose.
//!
//! On PostgreSQL each test directory gets a database of its own, named after the
//! directory: opening the same directory again opens the same store, as with sled.

#![allow(dead_code)]

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use trucban::domain::Instant;
use trucban::store::{Backend, PgBackend, SledBackend, SyncMode};

/// The server the tests run on, if any (a libpq connection string to its admin database).
pub fn server() -> Option<String> {
    std::env::var("TRUCBAN_TEST_DATABASE")
        .ok()
        .filter(|s| !s.is_empty())
}

/// A PostgreSQL server for the tests that need one whatever the engine of the rest
/// (several daemons over one database): `TRUCBAN_TEST_POSTGRES`, else the engine's.
/// Missing, such a test says it did not run — and fails under CI=true, where `.ci/run`
/// starts a server: there it never skips.
pub fn postgres_server(test: &str) -> Option<String> {
    let server = std::env::var("TRUCBAN_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
        .or_else(server);
    if server.is_none() {
        assert!(
            std::env::var("CI").map_or(true, |ci| ci != "true"),
            "{test}: CI=true and no PostgreSQL server (TRUCBAN_TEST_POSTGRES): `.ci/run` starts one; a test that needs it must not skip"
        );
        eprintln!(
            "{test}: not run: no PostgreSQL server (set TRUCBAN_TEST_POSTGRES, see .ci/postgres)"
        );
    }
    server
}

/// For a test that needs a PostgreSQL server (see [`postgres_server`]): a temporary
/// directory, the server's connection string, and a database of the test's own named by
/// that directory. None, said, without a server.
pub fn own_database(test: &str) -> Option<(tempfile::TempDir, String, String)> {
    let server = postgres_server(test)?;
    let dir = tempfile::tempdir().expect("temp dir");
    let url = database_on(&server, dir.path()).expect("a database");
    Some((dir, server, url))
}

/// The database that stands for the store in `dir` (made if missing), as a connection
/// string, when the tests run on PostgreSQL.
pub fn database_for(dir: &Path) -> Option<String> {
    database_on(&server()?, dir)
}

/// The database on `admin`'s server that stands for the store in `dir` (made if missing).
pub fn database_on(admin: &str, dir: &Path) -> Option<String> {
    let admin = admin.to_string();
    let name = database_name(dir);
    let config = postgres::Config::from_str(&admin).expect("TRUCBAN_TEST_DATABASE reads");
    let mut client = config
        .connect(postgres::NoTls)
        .expect("connect to the test server");
    let exists = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .expect("ask for the database")
        .is_some();
    if !exists {
        match client.batch_execute(&format!("CREATE DATABASE {name}")) {
            Ok(()) => {}
            // Made meanwhile by another opener of the same directory.
            Err(e) if e.code() == Some(&postgres::error::SqlState::DUPLICATE_DATABASE) => {}
            Err(e) => panic!("create the test database {name}: {e}"),
        }
    }
    Some(format!("{admin} dbname={name}"))
}

/// The command line's words for the store in `dir`: `--database URL` on PostgreSQL, else
/// `--data-dir DIR`.
pub fn store_args(dir: &Path) -> Vec<String> {
    match database_for(dir) {
        Some(url) => vec!["--database".into(), url],
        None => vec!["--data-dir".into(), dir.display().to_string()],
    }
}

fn database_name(dir: &Path) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    std::fs::canonicalize(dir)
        .unwrap_or_else(|_| dir.to_path_buf())
        .hash(&mut hasher);
    format!("trucban_test_{:016x}", hasher.finish())
}

/// The engine over `dir` (made if missing), its clock floor at `now`.
pub fn open(dir: &Path, now: Instant) -> Arc<dyn Backend> {
    try_open(dir, now).expect("open the store engine")
}

/// The same, with the durability asked for (tests that only measure throughput or limits
/// may ask for none; PostgreSQL commits durably either way).
pub fn open_with(dir: &Path, now: Instant, sync: SyncMode) -> Arc<dyn Backend> {
    match database_for(dir) {
        Some(url) => Arc::new(PgBackend::open(&url, now).expect("open the store engine")),
        None => Arc::new(SledBackend::open_with(dir, now, sync).expect("open the store engine")),
    }
}

/// The engine over `dir`, or why it cannot be opened now (another process holds it, say).
pub fn try_open(dir: &Path, now: Instant) -> trucban::store::Result<Arc<dyn Backend>> {
    match database_for(dir) {
        Some(url) => Ok(Arc::new(PgBackend::open(&url, now)?)),
        None => Ok(Arc::new(SledBackend::open(dir, now)?)),
    }
}
