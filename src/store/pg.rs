//! [`PgBackend`]: the [`super::Backend`] trait over PostgreSQL, for daemons on several hosts
//! over one database. The synchronous `postgres` client through an `r2d2` pool; the schema
//! in versioned migrations (`refinery`, `pg/migrations/`).
//!
//! - Records as JSONB (the sled engine's value envelope), with typed columns for what the
//!   lookups ask and an index per lookup (`columns.rs`); each lookup's exact test is the
//!   one the sled engine applies ([`super::Lookup::keeps`]).
//! - A write is one transaction: the records it replaces are locked and checked against
//!   their rules, references checked, the change feed and the audit entry written with
//!   them. Serialization failures (40001) and deadlocks (40P01) are retried with backoff.
//! - The change feed is numbered by transaction ID and read only below the snapshot's
//!   xmin, so no reader skips a change a slower transaction commits later (`feed.rs`).
//! - Each unit's audit chain is appended under that unit's advisory lock, beside its own
//!   head row, and is append-only (a trigger refuses UPDATE, DELETE and TRUNCATE)
//!   (`audit.rs`).
//! - IDs come from one sequence per kind; no row is updated by every write, nor by every
//!   write of two units.

/// Public for its chain lock, which the tests hold as an append in flight would.
pub mod audit;
mod check;
mod columns;
mod engine;
mod feed;
mod records;

use std::str::FromStr;
use std::time::Duration;

use r2d2_postgres::PostgresConnectionManager;
use r2d2_postgres::postgres::{self, NoTls};

use crate::domain::Instant;

use super::{Result, StoreError};

mod embedded {
    refinery::embed_migrations!("src/store/pg/migrations");
}

/// Connections a daemon keeps to the database.
const POOL_SIZE: u32 = 16;
/// How long a request waits for a connection (the database down: refused after this).
const CONNECT_WAIT: Duration = Duration::from_secs(5);
/// How long a request waits for a connection once the database was found away.
const AWAY_WAIT: Duration = Duration::from_millis(1000);
/// Tries of a transaction the database asked to retry (serialization failure, deadlock).
const TRIES: u32 = 8;
/// Over TCP, how long a link may stay silent — data sent and never acknowledged, or an idle
/// link whose keep-alive probes go unanswered — before the connection is given up, so that
/// a link that drops packets without a reset is noticed and the database said away rather
/// than a request hanging on it (libpq's defaults wait two hours). Set in the connection
/// string (`tcp_user_timeout`, `keepalives_idle`) to choose otherwise.
const SILENT_LINK: Duration = Duration::from_secs(30);
/// Idle time before the first keep-alive probe; probes then every 5 s, 3 unanswered end it.
const KEEPALIVE_IDLE: Duration = Duration::from_secs(15);
/// Session advisory lock held while migrating: two daemons starting at once migrate once.
const MIGRATION_LOCK: i64 = 0x7472_7563_6261_6e00; // "trucban\0"

type Pool = r2d2_postgres::r2d2::Pool<PostgresConnectionManager<NoTls>>;
pub(super) type Connection =
    r2d2_postgres::r2d2::PooledConnection<PostgresConnectionManager<NoTls>>;

pub struct PgBackend {
    pool: Pool,
    /// Where to open the listening connection (see `feed.rs`).
    config: postgres::Config,
    /// A connection of its own that LISTENs for writes; None until first asked, and again
    /// after it broke.
    listener: std::sync::Mutex<Option<postgres::Client>>,
    /// Names this process among the change feed's readers (see `feed.rs`).
    reader: String,
    /// The last wait for a connection failed: the database is away (see `connection`).
    away: std::sync::atomic::AtomicBool,
}

/// Why a transaction's body stopped: the database (retried when it asks), or the store's
/// own refusal (a rule, a missing reference).
pub(super) enum Failed {
    Pg(postgres::Error),
    Store(StoreError),
}

impl From<postgres::Error> for Failed {
    fn from(e: postgres::Error) -> Failed {
        Failed::Pg(e)
    }
}

impl From<StoreError> for Failed {
    fn from(e: StoreError) -> Failed {
        Failed::Store(e)
    }
}

impl From<Failed> for StoreError {
    fn from(f: Failed) -> StoreError {
        match f {
            Failed::Pg(e) => database_error(&e),
            Failed::Store(e) => e,
        }
    }
}

/// A database error as the store says it; `unreachable` when no server answered.
pub(super) fn database_error(e: &postgres::Error) -> StoreError {
    // Class 08 (connection exception) and 57 (the server shutting down or starting up):
    // the database is away, not refusing this request.
    let away = e
        .code()
        .is_some_and(|c| c.code().starts_with("08") || c.code().starts_with("57"));
    let unreachable = away || e.is_closed() || (e.as_db_error().is_none() && e.code().is_none());
    let reason = match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    };
    StoreError::Database {
        reason: crate::domain::text::display_safe(&reason).into_owned(),
        unreachable,
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        database_error(&e)
    }
}

fn retryable(e: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    matches!(
        e.code(),
        Some(&SqlState::T_R_SERIALIZATION_FAILURE) | Some(&SqlState::T_R_DEADLOCK_DETECTED)
    )
}

/// Sets [`SILENT_LINK`] and keep-alives on `config` where its connection string left the
/// protocol's defaults.
fn silent_link_noticed(config: &mut postgres::Config) {
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(SILENT_LINK);
    }
    // Two hours is the protocol's default: left as it is only when the string says so.
    if config.get_keepalives_idle() == Duration::from_secs(2 * 60 * 60) {
        config
            .keepalives(true)
            .keepalives_idle(KEEPALIVE_IDLE)
            .keepalives_interval(Duration::from_secs(5))
            .keepalives_retries(3);
    }
}

impl PgBackend {
    /// Connects to the database at `url` (`postgres://…` or `host=… dbname=…`) and brings
    /// its schema to this trucban's.
    pub fn open(url: &str, now: Instant) -> Result<PgBackend> {
        let config = postgres::Config::from_str(url).map_err(|e| StoreError::Database {
            reason: format!("the database address is not valid: {e}"),
            unreachable: false,
        })?;
        Self::open_config(config, now)
    }

    pub fn open_config(mut config: postgres::Config, _now: Instant) -> Result<PgBackend> {
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_WAIT);
        }
        silent_link_noticed(&mut config);
        config.application_name("trucban");
        let manager = PostgresConnectionManager::new(config.clone(), NoTls);
        let pool = r2d2_postgres::r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(1))
            .connection_timeout(CONNECT_WAIT)
            .error_handler(Box::new(r2d2_postgres::r2d2::NopErrorHandler))
            .build(manager)
            .map_err(|e| StoreError::Database {
                reason: e.to_string(),
                unreachable: true,
            })?;
        let backend = PgBackend {
            pool,
            config,
            listener: std::sync::Mutex::new(None),
            away: std::sync::atomic::AtomicBool::new(false),
            reader: format!("{}:{:016x}", std::process::id(), rand::random::<u64>()),
        };
        backend.migrate()?;
        Ok(backend)
    }

    /// Brings the schema of the database at `url` to migration `version` and no further,
    /// as an older trucban left it: for the tests of an upgrade, never for a store in use.
    #[doc(hidden)]
    pub fn schema_up_to(url: &str, version: i32) -> Result<()> {
        let mut client = postgres::Client::connect(url, postgres::NoTls)?;
        embedded::migrations::runner()
            .set_target(refinery::Target::Version(version))
            .run(&mut client)
            .map_err(|e| StoreError::Database {
                reason: format!("migrating the schema: {e}"),
                unreachable: false,
            })?;
        Ok(())
    }

    fn migrate(&self) -> Result<()> {
        let mut conn = self.connection()?;
        conn.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])?;
        let ran = embedded::migrations::runner()
            .run(&mut *conn)
            .map_err(|e| StoreError::Database {
                reason: format!("migrating the schema: {e}"),
                unreachable: false,
            })
            .and_then(|_| records::make_sequences(&mut conn));
        conn.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])?;
        ran
    }

    /// A connection from the pool. The pool waits up to [`CONNECT_WAIT`] for one (a
    /// database restarting in a moment is waited for, not refused); once a wait has failed,
    /// only up to [`AWAY_WAIT`] until one succeeds again, so that while the database is
    /// away each request is refused at once rather than after seconds.
    pub(super) fn connection(&self) -> Result<Connection> {
        use std::sync::atomic::Ordering;
        let wait = if self.away.load(Ordering::Relaxed) {
            AWAY_WAIT
        } else {
            CONNECT_WAIT
        };
        match self.pool.get_timeout(wait) {
            Ok(connection) => {
                self.away.store(false, Ordering::Relaxed);
                Ok(connection)
            }
            Err(e) => {
                self.away.store(true, Ordering::Relaxed);
                Err(StoreError::Database {
                    reason: e.to_string(),
                    unreachable: true,
                })
            }
        }
    }

    /// Runs `body` in one read-only snapshot (REPEATABLE READ): every query in it sees the
    /// same committed state, however many writes commit meanwhile.
    pub(super) fn in_snapshot<T>(
        &self,
        body: impl FnOnce(&mut postgres::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut conn = self.connection()?;
        let mut tx = conn
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let value = body(&mut tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Runs `body` in one transaction and commits it, again (after a pause that doubles)
    /// when the database asks for a retry. `body` may run more than once: it must only
    /// compute and write through the transaction.
    pub(super) fn transaction<T>(
        &self,
        mut body: impl FnMut(&mut postgres::Transaction<'_>) -> std::result::Result<T, Failed>,
    ) -> Result<T> {
        let mut pause = Duration::from_millis(2);
        for attempt in 1.. {
            let mut conn = self.connection()?;
            let outcome = (|| {
                let mut tx = conn.transaction()?;
                let value = body(&mut tx)?;
                tx.commit()?;
                Ok(value)
            })();
            match outcome {
                Ok(value) => return Ok(value),
                Err(Failed::Pg(e)) if retryable(&e) && attempt < TRIES => {
                    let jitter = Duration::from_micros(rand::random::<u64>() % 1000);
                    std::thread::sleep(pause + jitter);
                    pause *= 2;
                }
                Err(failed) => return Err(failed.into()),
            }
        }
        unreachable!("the loop returns")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_silent_link_is_given_up_unless_the_connection_string_says_otherwise() {
        let config = |text: &str| {
            let mut config = postgres::Config::from_str(text).expect("a connection string");
            silent_link_noticed(&mut config);
            config
        };
        let plain = config("host=db.example dbname=trucban");
        assert_eq!(plain.get_tcp_user_timeout(), Some(&SILENT_LINK));
        assert_eq!(plain.get_keepalives_idle(), KEEPALIVE_IDLE);
        assert!(plain.get_keepalives());
        // (The `postgres` crate reads `tcp_user_timeout` in seconds, libpq in milliseconds.)
        let chosen = config("host=db.example keepalives_idle=60 tcp_user_timeout=5");
        assert_eq!(chosen.get_keepalives_idle(), Duration::from_secs(60));
        assert_eq!(chosen.get_tcp_user_timeout(), Some(&Duration::from_secs(5)));
    }
}
