//! The store's safety calls through the service: `check` and `backup`. A backup is written
//! by whoever holds the store — this process, or the daemon once officers share one — to a
//! path that process can reach, rather than streamed back as bytes: a store of a million
//! records would otherwise cross the socket (and its bounded queues) whole. The CLI hands
//! the daemon an absolute path.

use std::path::Path;

use super::{LocalDesk, Result};
use crate::store::backup::BackupSummary;
use crate::store::check::CheckReport;

impl LocalDesk {
    pub(super) fn check_store(&self) -> Result<CheckReport> {
        Ok(self.store().check()?)
    }

    pub(super) fn backup_store(&self, path: &Path) -> Result<BackupSummary> {
        Ok(self.store().backup(path)?)
    }
}
