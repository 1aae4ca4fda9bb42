//! What every subcommand shares for its output: the exit code of bad input, and files that
//! appear only once complete (written beside their place, synced, renamed over it).

use std::io::Write;
use std::path::{Path, PathBuf};

/// Exit code of a command refused for its input (a bad file, an unknown ID): 2.
pub(super) const BAD_INPUT: u8 = 2;

/// A file being written: a temporary file beside `path` until [`AtomicFile::commit`]; dropped
/// without it, it leaves nothing.
pub(super) struct AtomicFile {
    temp: tempfile::NamedTempFile,
    path: PathBuf,
}

impl AtomicFile {
    pub fn beside(path: &Path) -> anyhow::Result<AtomicFile> {
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let temp = tempfile::NamedTempFile::new_in(parent)
            .map_err(|e| super::told::file_failed("output.unwritable", parent, &e))?;
        Ok(AtomicFile {
            temp,
            path: path.to_path_buf(),
        })
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.temp
            .write_all(bytes)
            .map_err(|e| super::told::file_failed("output.unwritable", &self.path, &e))
    }

    /// Synced, then renamed over the path: a reader never sees half a file.
    pub fn commit(self) -> anyhow::Result<()> {
        let failed =
            |e: &std::io::Error| super::told::file_failed("output.unwritable", &self.path, e);
        self.temp.as_file().sync_all().map_err(|e| failed(&e))?;
        self.temp
            .persist(&self.path)
            .map_err(|e| failed(&e.error))?;
        Ok(())
    }
}

/// Writes `bytes` to `path` whole or not at all.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut file = AtomicFile::beside(path)?;
    file.write_all(bytes)?;
    file.commit()
}
