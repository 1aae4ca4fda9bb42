//! Names that survive a power cut. A file's fsync makes its contents durable, not its name:
//! the name lives in its directory, and a directory made with `mkdir` is itself a name in
//! its parent. POSIX promises neither without an fsync of the directory that holds it (the
//! power-cut tests, `tests/power_cut`, keep no more than that).

use std::io;
use std::path::Path;

/// Fsyncs a directory: the names created, renamed or removed in it are then durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// `create_dir_all`, and each directory it makes made durable in its parent, from the top
/// down: after a cut the path is whole or was never there.
pub fn create_dir_all(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(parent) = parent {
        create_dir_all(parent)?;
    }
    match std::fs::create_dir(dir) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => return Ok(()),
        other => other?,
    }
    sync_dir(parent.unwrap_or(Path::new(".")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn makes_every_missing_level_and_accepts_what_exists() {
        let temp = tempfile::tempdir().expect("temp");
        let deep = temp.path().join("a").join("b").join("c");
        super::create_dir_all(&deep).expect("create");
        assert!(deep.is_dir());
        super::create_dir_all(&deep).expect("again");
        let file = temp.path().join("f");
        std::fs::write(&file, b"x").expect("file");
        assert!(super::create_dir_all(&file.join("d")).is_err());
    }
}
