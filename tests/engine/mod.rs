//! The storage engine the service-level tests run on, opened in one place: a second engine
//! (issue 17: PostgreSQL) is put under the service, access, daemon, screening, handover,
//! roster and tips tests by changing these functions, not the tests. Tests of the sled
//! engine itself (`store.rs`, `crash.rs`, `corrupt_store.rs`, `disk_full.rs`, `backup.rs`)
//! open `SledBackend` by name on purpose.

#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use trucban::domain::Instant;
use trucban::store::{Backend, SledBackend, SyncMode};

/// The engine over `dir` (made if missing), its clock floor at `now`.
pub fn open(dir: &Path, now: Instant) -> Arc<dyn Backend> {
    Arc::new(SledBackend::open(dir, now).expect("open the store engine"))
}

/// The same, with the durability asked for (tests that only measure throughput or limits
/// may ask for none).
pub fn open_with(dir: &Path, now: Instant, sync: SyncMode) -> Arc<dyn Backend> {
    Arc::new(SledBackend::open_with(dir, now, sync).expect("open the store engine"))
}

/// The engine over `dir`, or why it cannot be opened now (another process holds it, say).
pub fn try_open(dir: &Path, now: Instant) -> trucban::store::Result<Arc<dyn Backend>> {
    Ok(Arc::new(SledBackend::open(dir, now)?))
}
