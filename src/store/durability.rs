//! Making a write durable. sled 0.34's `flush()` writes its buffers and calls
//! `sync_file_range` on Linux, which neither flushes the drive's cache nor the file's
//! metadata: a power cut can still lose an "flushed" write. After the flush we therefore
//! fsync the data file ourselves (fsync on any descriptor of the inode syncs all of its
//! dirty pages) and the store directory (new snapshot and blob files).
//!
//! sled writes a value larger than a quarter of its segment (128 KiB: a hit with hundreds of
//! steps, a long handover) to a file of its own under `blobs/`, and never fsyncs that file
//! or that directory. A power cut then loses the value while the log that names it stays,
//! and sled opens the version before it: an acknowledged write gone (the power-cut test's
//! long run found it). So each durable write also fsyncs the blob files it has not synced
//! yet, and the `blobs/` directory when its names changed.

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
        self.sync_blobs().map_err(io)?;
        self.db_file.sync_all().map_err(io)?;
        crate::durable::sync_dir(&self.dir).map_err(io)?;
        if let Some(seal) = self.seal.get() {
            seal.advance(generation, false)?;
        }
        Ok(())
    }

    /// Fsyncs the blob files not yet synced, then `blobs/` if a name came or went.
    fn sync_blobs(&self) -> std::io::Result<()> {
        let blobs = self.dir.join("blobs");
        let names: std::collections::HashSet<std::ffi::OsString> = match std::fs::read_dir(&blobs) {
            Ok(entries) => entries
                .map(|e| e.map(|e| e.file_name()))
                .collect::<std::io::Result<_>>()?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let mut synced = self
            .synced_blobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if names == *synced {
            return Ok(());
        }
        for name in names.difference(&synced) {
            match std::fs::File::open(blobs.join(name)) {
                Ok(file) => file.sync_all()?,
                // Removed by sled's collector meanwhile: nothing left to make durable.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        crate::durable::sync_dir(&blobs)?;
        *synced = names;
        Ok(())
    }
}
