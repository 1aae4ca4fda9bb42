//! Who holds the store. sled locks its `db` file; when a second process is refused we want
//! to say which process holds it and what to do, so the holder writes a small note beside it.
//! This process's own stores are tracked too: one it still has open is refused at once, one
//! it has just closed is waited for while sled lets go of its lock.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The note's name in the data directory.
pub const FILE: &str = "store.holder";

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: u32,
    pub user: String,
    pub since: String,
    pub command: String,
    /// The socket of `trucban serve`, when the holder is the daemon.
    #[serde(default)]
    pub socket: Option<String>,
}

impl Holder {
    pub fn current(now: crate::domain::Instant) -> Holder {
        Holder {
            pid: std::process::id(),
            user: std::env::var("USER")
                .or_else(|_| std::env::var("LOGNAME"))
                .unwrap_or_else(|_| "?".into()),
            since: crate::domain::time::format_instant(now),
            command: std::env::args().collect::<Vec<_>>().join(" "),
            socket: None,
        }
    }

    pub fn describe(&self) -> String {
        if let Some(socket) = &self.socket {
            return format!(
                "the daemon `trucban serve` (process {} of user {} since {}), listening on {}: run trucban with --socket {} (or TRUCBAN_SOCKET) to work through it",
                self.pid,
                crate::domain::text::display_safe(&self.user),
                self.since,
                crate::domain::text::display_safe(socket),
                crate::domain::text::display_safe(socket),
            );
        }
        format!(
            "process {} of user {} since {} ({})",
            self.pid,
            crate::domain::text::display_safe(&self.user),
            self.since,
            crate::domain::text::display_safe(&self.command)
        )
    }

    /// Who holds a store and what to do, for the refusal of a second opener: a console
    /// holding it is closed first (or a daemon started); a daemon holding it is worked
    /// through.
    pub fn refusal(holder: Option<&Holder>) -> String {
        let who = holder.map_or_else(|| "another process".to_string(), Holder::describe);
        match holder {
            Some(h) if h.socket.is_some() => format!("{who}."),
            _ => format!(
                "{who}. Close that trucban first, or run `trucban serve` so that several officers can share one store."
            ),
        }
    }

    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        std::fs::write(path, serde_json::to_vec(self).unwrap_or_default())
    }

    pub fn read(path: &Path) -> Option<Holder> {
        serde_json::from_slice(&std::fs::read(path).ok()?).ok()
    }
}

/// How long an open waits for this same process to let go of a store it has closed: sled
/// releases its file lock only when the last of its background threads lets go of the file,
/// a little after the store was dropped (a restore that checks what it wrote, a test that
/// reopens). Slow machines and a moved clock make "a little" longer.
const OWN_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The stores this process has open now (their sled directories): a second open of one of
/// them is refused at once, as it would be from another process.
static OPEN_HERE: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn open_here(dir: &Path) -> bool {
    let Ok(dir) = std::fs::canonicalize(dir) else {
        return false;
    };
    OPEN_HERE.lock().is_ok_and(|open| open.contains(&dir))
}

/// Opens sled at `dir`. A lock held by another process, or by a store this process still
/// has open, is refused at once (the caller says who holds it); one that this process is
/// still letting go of is waited for.
pub(super) fn open_sled(
    dir: &Path,
    holder_path: &Path,
    cache_bytes: u64,
) -> sled::Result<sled::Db> {
    let started = std::time::Instant::now();
    loop {
        let opened = sled::Config::new()
            .path(dir)
            .cache_capacity(cache_bytes)
            .open();
        match opened {
            Err(sled::Error::Io(ref e))
                if e.to_string().contains("could not acquire lock")
                    && Holder::read(holder_path).is_some_and(|h| h.pid == std::process::id())
                    && !open_here(dir)
                    && started.elapsed() < OWN_LOCK_WAIT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

pub(super) fn opened_here(dir: &Path) {
    if let (Ok(dir), Ok(mut open)) = (std::fs::canonicalize(dir), OPEN_HERE.lock()) {
        open.push(dir);
    }
}

pub(super) fn closed_here(dir: &Path) {
    if let (Ok(dir), Ok(mut open)) = (std::fs::canonicalize(dir), OPEN_HERE.lock())
        && let Some(at) = open.iter().position(|d| d == &dir)
    {
        open.swap_remove(at);
    }
}
