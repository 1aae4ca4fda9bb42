//! What every subcommand shares for its output: the exit code of bad input, and files that
//! appear only once complete (written beside their place, synced, renamed over it).

use std::io::Write;
use std::path::{Path, PathBuf};

/// Exit code of a command refused for its input (a bad file, an unknown ID): 2.
pub(super) const BAD_INPUT: u8 = 2;

/// A file being written. A regular file (or a new name) is written to a temporary file beside
/// it until [`AtomicFile::commit`] renames it into place; dropped without it, it leaves
/// nothing. A path that names something else (`/dev/null`, a named pipe, a terminal) is
/// written in place: renaming over it would replace the device with a file, for every
/// program on the host when the command runs as root.
pub(super) struct AtomicFile {
    into: Destination,
    path: PathBuf,
}

enum Destination {
    Beside(tempfile::NamedTempFile, PathBuf),
    InPlace(std::fs::File),
}

impl AtomicFile {
    pub fn beside(path: &Path) -> anyhow::Result<AtomicFile> {
        let failed =
            |at: &Path, e: &std::io::Error| super::told::file_failed("output.unwritable", at, e);
        // A link is followed: its target is replaced, the link stays.
        let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let into = match std::fs::metadata(&target) {
            Ok(meta) if !meta.is_file() && !meta.is_dir() => Destination::InPlace(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .map_err(|e| failed(path, &e))?,
            ),
            _ => {
                let parent = target
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
                    .to_path_buf();
                let temp =
                    tempfile::NamedTempFile::new_in(&parent).map_err(|e| failed(&parent, &e))?;
                Destination::Beside(temp, target)
            }
        };
        Ok(AtomicFile {
            into,
            path: path.to_path_buf(),
        })
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        let written = match &mut self.into {
            Destination::Beside(temp, _) => temp.write_all(bytes),
            Destination::InPlace(file) => file.write_all(bytes),
        };
        written.map_err(|e| super::told::file_failed("output.unwritable", &self.path, &e))
    }

    /// Synced, then renamed over the path, then its directory synced: a reader never sees
    /// half a file, and the new name survives a power cut.
    pub fn commit(self) -> anyhow::Result<()> {
        let failed =
            |e: &std::io::Error| super::told::file_failed("output.unwritable", &self.path, e);
        match self.into {
            Destination::InPlace(mut file) => file.flush().map_err(|e| failed(&e)),
            Destination::Beside(temp, target) => {
                temp.as_file().sync_all().map_err(|e| failed(&e))?;
                temp.persist(&target).map_err(|e| failed(&e.error))?;
                let dir = target
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                std::fs::File::open(dir)
                    .and_then(|d| d.sync_all())
                    .map_err(|e| failed(&e))
            }
        }
    }
}

/// Writes `bytes` to `path` whole or not at all.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut file = AtomicFile::beside(path)?;
    file.write_all(bytes)?;
    file.commit()
}
