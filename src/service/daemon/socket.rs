//! Where the daemon's socket lives and how it is put there safely.
//!
//! Default path: `$RUNTIME_DIRECTORY/trucban.sock` under systemd (`RuntimeDirectory=trucban`
//! gives `/run/trucban`), else `$XDG_RUNTIME_DIR/trucban/trucban.sock` (a personal daemon),
//! else `/run/trucban/trucban.sock`. A console tries `--socket`/`TRUCBAN_SOCKET`, else
//! `/run/trucban/trucban.sock` then `$XDG_RUNTIME_DIR/trucban/trucban.sock`.
//!
//! The socket's directory is never open to other users: created 0700, it is opened to the
//! group (0750) only once the socket inside is bound and set to 0660. An existing directory
//! that others can enter is refused. This is done with modes rather than the umask, which is
//! process-wide and would race with other threads creating files.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

pub const SOCKET_NAME: &str = "trucban.sock";
pub const SYSTEM_DIR: &str = "/run/trucban";
pub const DIR_MODE: u32 = 0o750;
pub const SOCKET_MODE: u32 = 0o660;

/// Why the daemon could not take its socket.
#[derive(Debug, thiserror::Error)]
pub enum SocketError {
    #[error(
        "another trucban serve is already listening on {0} (stop it first, or give another --socket)"
    )]
    InUse(PathBuf),
    #[error(
        "{} is not a socket: refusing to replace it (remove it, or give another --socket)",
        .0.display()
    )]
    NotASocket(PathBuf),
    #[error(
        "the socket directory {} is open to other users (mode {mode:o}): run chmod o-rwx on it, or give another --socket",
        dir.display()
    )]
    OpenDirectory { dir: PathBuf, mode: u32 },
    #[error(
        "the socket directory {} belongs to user {owner}, not to this process (uid {me}): give another --socket",
        dir.display()
    )]
    NotOwner { dir: PathBuf, owner: u32, me: u32 },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl SocketError {
    /// The refusal in both languages (`Display` is the English).
    pub fn said(&self) -> crate::i18n::Said {
        use crate::i18n::Said;
        let en = self.to_string();
        match self {
            SocketError::InUse(path) => Said::new(
                format!(
                    "một trucban serve khác đang nghe tại {} (dừng nó trước, hoặc chọn --socket khác)",
                    path.display()
                ),
                en,
            ),
            SocketError::NotASocket(path) => Said::new(
                format!(
                    "{} không phải socket: không thay nó (xoá nó đi, hoặc chọn --socket khác)",
                    path.display()
                ),
                en,
            ),
            SocketError::OpenDirectory { dir, mode } => Said::new(
                format!(
                    "thư mục socket {} mở cho người dùng khác (quyền {mode:o}): chạy chmod o-rwx cho nó, hoặc chọn --socket khác",
                    dir.display()
                ),
                en,
            ),
            SocketError::NotOwner { dir, owner, me } => Said::new(
                format!(
                    "thư mục socket {} thuộc người dùng {owner}, không phải tiến trình này (uid {me}): chọn --socket khác",
                    dir.display()
                ),
                en,
            ),
            SocketError::Io { path, source } => {
                let io = crate::i18n::io_error(source);
                Said::new(
                    format!("{}: {}", path.display(), io.vi),
                    format!("{}: {}", path.display(), io.en),
                )
            }
        }
    }
}

fn io_at(path: &Path) -> impl Fn(io::Error) -> SocketError + '_ {
    move |source| SocketError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Where `trucban serve` listens when not told.
pub fn default_socket() -> PathBuf {
    if let Some(dir) = std::env::var_os("RUNTIME_DIRECTORY").filter(|d| !d.is_empty()) {
        // systemd may list several, separated by ':'; ours is the first.
        let first = dir
            .to_string_lossy()
            .split(':')
            .next()
            .map(PathBuf::from)
            .unwrap_or_default();
        return first.join(SOCKET_NAME);
    }
    if let Some(dir) = std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("trucban").join(SOCKET_NAME);
    }
    Path::new(SYSTEM_DIR).join(SOCKET_NAME)
}

/// Where a console looks for a daemon when not told: the system one, then a personal one.
pub fn client_candidates() -> Vec<PathBuf> {
    let mut out = vec![Path::new(SYSTEM_DIR).join(SOCKET_NAME)];
    if let Some(dir) = std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        out.push(PathBuf::from(dir).join("trucban").join(SOCKET_NAME));
    }
    out
}

/// Binds the listening socket at `path`: the directory made private first, a stale socket
/// (nobody answering) replaced, a live one refused.
pub fn bind(path: &Path) -> Result<UnixListener, SocketError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let me = nix::unistd::geteuid().as_raw();
    match fs::metadata(&dir) {
        Ok(meta) => {
            if meta.uid() != me {
                return Err(SocketError::NotOwner {
                    dir,
                    owner: meta.uid(),
                    me,
                });
            }
            let mode = meta.mode() & 0o7777;
            if mode & 0o007 != 0 {
                return Err(SocketError::OpenDirectory { dir, mode });
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&dir)
                .map_err(io_at(&dir))?;
        }
        Err(e) => return Err(io_at(&dir)(e)),
    }
    // Closed to the group while the socket is bound and its mode set.
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).map_err(io_at(&dir))?;
    replace_stale(path)?;
    let listener = UnixListener::bind(path).map_err(io_at(path))?;
    fs::set_permissions(path, fs::Permissions::from_mode(SOCKET_MODE)).map_err(io_at(path))?;
    fs::set_permissions(&dir, fs::Permissions::from_mode(DIR_MODE)).map_err(io_at(&dir))?;
    Ok(listener)
}

/// A socket file nobody answers on is left by a daemon that died: removed. One that
/// answers is a running daemon: refused.
fn replace_stale(path: &Path) -> Result<(), SocketError> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_at(path)(e)),
    };
    if !meta.file_type().is_socket() {
        return Err(SocketError::NotASocket(path.to_path_buf()));
    }
    match UnixStream::connect(path) {
        Ok(_) => Err(SocketError::InUse(path.to_path_buf())),
        Err(_) => match fs::remove_file(path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_at(path)(e)),
        },
    }
}

/// True if a daemon answers at `path`.
pub fn answers(path: &Path) -> bool {
    UnixStream::connect(path).is_ok()
}
