//! Making a write durable. sled 0.34's `flush()` writes its buffers and calls
//! `sync_file_range` on Linux, which neither flushes the drive's cache nor the file's
//! metadata: a power cut can still lose an "flushed" write. After the flush we therefore
//! fsync the data file ourselves (fsync on any descriptor of the inode syncs all of its
//! dirty pages) and the store directory (new snapshot and blob files).

use super::{Result, SledBackend, StoreError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncMode {
    /// flush + fsync: survives kill -9 and power loss.
    Full,
    /// Nothing: sled's background flusher writes within ~500 ms. Only for showing that the
    /// crash test catches a missing durability step (`TRUCBAN_UNSAFE_NO_SYNC=1`).
    UnsafeNone,
    /// sled's flush only, without our fsync of the data file and the directory: what a
    /// power cut can take (`TRUCBAN_UNSAFE_NO_FSYNC=1`, for showing that the power-cut test
    /// catches it; a kill -9 cannot, as the page cache survives it).
    UnsafeFlushOnly,
}

impl SyncMode {
    pub fn from_env() -> SyncMode {
        if std::env::var_os("TRUCBAN_UNSAFE_NO_SYNC").is_some_and(|v| v == "1") {
            SyncMode::UnsafeNone
        } else if std::env::var_os("TRUCBAN_UNSAFE_NO_FSYNC").is_some_and(|v| v == "1") {
            SyncMode::UnsafeFlushOnly
        } else {
            SyncMode::Full
        }
    }
}

impl SledBackend {
    /// Flushes and syncs now (the daemon, stopping). Every write is durable already; this
    /// also covers what sled keeps for itself.
    pub fn sync_now(&self) -> Result<()> {
        self.make_durable()
    }

    pub(super) fn make_durable(&self) -> Result<()> {
        if self.sync == SyncMode::UnsafeNone {
            return Ok(());
        }
        // Read before the flush: everything up to it is then on the disk (see `seal.rs`).
        let generation = self.generation()?;
        self.db.flush()?;
        if self.sync == SyncMode::UnsafeFlushOnly {
            return Ok(());
        }
        let io = |source| StoreError::Io {
            dir: self.dir.clone(),
            source,
        };
        self.db_file.sync_all().map_err(io)?;
        std::fs::File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(io)?;
        if let Some(seal) = self.seal.get() {
            seal.advance(generation, false)?;
        }
        Ok(())
    }
}
