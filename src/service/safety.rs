//! The store's safety calls through the service: `check` and `backup`. A backup is written
//! by whoever holds the store — this process, or the daemon once officers share one — to a
//! path that process can reach, rather than streamed back as bytes: a store of a million
//! records would otherwise cross the socket (and its bounded queues) whole. The CLI hands
//! the daemon an absolute path.

use std::path::Path;

use super::{LocalDesk, Result, ServiceError};
use crate::store::backup::BackupSummary;
use crate::store::check::CheckReport;

impl LocalDesk {
    pub(super) fn check_store(&self) -> Result<CheckReport> {
        Ok(self.store().check()?)
    }

    /// A backup goes to an absolute path outside the store's directory and the daemon's
    /// socket directory, and replaces only an earlier backup: the daemon writes it with
    /// its own rights, which must not become a way for an officer to overwrite the store,
    /// the socket or any other file the daemon may write.
    pub(super) fn backup_store(&self, path: &Path, replace: bool) -> Result<BackupSummary> {
        refuse_backup_path(
            path,
            replace,
            self.guarded_dirs().iter().map(|d| d.as_path()),
        )?;
        Ok(self.store().backup(path)?)
    }
}

fn refuse_backup_path<'a>(
    path: &Path,
    replace: bool,
    guarded: impl Iterator<Item = &'a Path>,
) -> Result<()> {
    let shown = crate::domain::text::display_safe(&path.display().to_string()).into_owned();
    if !path.is_absolute() {
        return Err(ServiceError::invalid(
            format!(
                "sao lưu: {shown} không phải đường dẫn tuyệt đối: ghi đầy đủ đường dẫn tệp sao lưu"
            ),
            format!(
                "backup: {shown} is not an absolute path: give the full path of the backup file"
            ),
        ));
    }
    let (Some(parent), Some(_)) = (path.parent(), path.file_name()) else {
        return Err(ServiceError::invalid(
            format!("sao lưu: {shown} không chỉ tới tệp nào: ghi đường dẫn tệp sao lưu"),
            format!("backup: {shown} names no file: give the path of the backup file"),
        ));
    };
    // Where the file would really land, links followed (a missing directory fails later,
    // when the backup is written, with its own error).
    let parent = parent
        .canonicalize()
        .unwrap_or_else(|_| parent.to_path_buf());
    for dir in guarded {
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        if parent.starts_with(&dir) {
            let dir = crate::domain::text::display_safe(&dir.display().to_string()).into_owned();
            return Err(ServiceError::invalid(
                format!(
                    "sao lưu: {shown} nằm trong {dir}, nơi kho dữ liệu hoặc trucban serve dùng: ghi bản sao lưu ở chỗ khác"
                ),
                format!(
                    "backup: {shown} is inside {dir}, which the store or the daemon uses: write the backup somewhere else"
                ),
            ));
        }
    }
    if path.exists() && !crate::store::backup::is_backup_file(path) {
        return Err(ServiceError::invalid(
            format!(
                "sao lưu: {shown} đã có và không phải bản sao lưu trucban: sao lưu chỉ thay một bản sao lưu trước; ghi tên tệp mới"
            ),
            format!(
                "backup: {shown} exists and is not a trucban backup: a backup replaces only an earlier backup; give a new file name"
            ),
        ));
    }
    // An earlier backup is a way back: replaced only when the officer says so.
    if path.exists() && !replace {
        return Err(ServiceError::invalid(
            format!("sao lưu: {shown} đã có: thêm --force để thay, hoặc ghi tên tệp mới"),
            format!("backup: {shown} exists: give --force to replace it, or a new file name"),
        ));
    }
    Ok(())
}
