//! Who holds the store. sled locks its `db` file; when a second process is refused we want
//! to say which process holds it and what to do, so the holder writes a small note beside it.
//! This process's own stores are tracked too: one it still has open is refused at once, one
//! it has just closed is waited for while sled lets go of its lock.

use crate::i18n::Said;
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

    pub fn describe(&self) -> Said {
        let user = crate::domain::text::display_safe(&self.user);
        if let Some(socket) = &self.socket {
            let socket = crate::domain::text::display_safe(socket);
            return Said::new(
                format!(
                    "máy chủ `trucban serve` (tiến trình {} của người dùng {user} từ {}), nghe tại {socket}: chạy trucban với --socket {socket} (hoặc TRUCBAN_SOCKET) để làm việc qua nó",
                    self.pid, self.since,
                ),
                format!(
                    "the daemon `trucban serve` (process {} of user {user} since {}), listening on {socket}: run trucban with --socket {socket} (or TRUCBAN_SOCKET) to work through it",
                    self.pid, self.since,
                ),
            );
        }
        let command = crate::domain::text::display_safe(&self.command);
        Said::new(
            format!(
                "tiến trình {} của người dùng {user} từ {} ({command})",
                self.pid, self.since
            ),
            format!(
                "process {} of user {user} since {} ({command})",
                self.pid, self.since
            ),
        )
    }

    /// Who holds a store and what to do, for the refusal of a second opener: a console
    /// holding it is closed first (or a daemon started); a daemon holding it is worked
    /// through.
    pub fn refusal(holder: Option<&Holder>) -> Said {
        let who = holder.map_or_else(
            || Said::new("một tiến trình khác", "another process"),
            Holder::describe,
        );
        match holder {
            Some(h) if h.socket.is_some() => {
                Said::new(format!("{}.", who.vi), format!("{}.", who.en))
            }
            _ => Said::new(
                format!(
                    "{}. Đóng trucban đó trước, hoặc chạy `trucban serve` để nhiều cán bộ dùng chung một kho.",
                    who.vi
                ),
                format!(
                    "{}. Close that trucban first, or run `trucban serve` so that several officers can share one store.",
                    who.en
                ),
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

/// How long closing a store waits for sled to let go of its lock (see [`Released`]).
const RELEASE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Waits, at most `limit`, until nobody holds sled's lock on `sled_dir/db`; true when free.
/// sled takes a `flock` on that file and lets go of it only when the last of its background
/// threads drops the file — a little after the store was closed, longer on a busy machine —
/// so without this wait a store just closed may be refused as "in use" to the next opener,
/// in this process or another.
pub fn wait_released(sled_dir: &Path, limit: std::time::Duration) -> bool {
    use nix::fcntl::{Flock, FlockArg};
    let started = std::time::Instant::now();
    loop {
        let Ok(file) = std::fs::File::open(sled_dir.join("db")) else {
            return true;
        };
        match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            // Unlocked as it drops: the probe holds nothing.
            Ok(_probe) => return true,
            Err(_) if started.elapsed() < limit => {
                std::thread::sleep(std::time::Duration::from_millis(10))
            }
            Err(_) => return false,
        }
    }
}

/// The last field of a [`super::SledBackend`]: fields drop in order, so this drops after every
/// sled handle and waits until sled has let go of its lock. A store closed is free at once
/// for the next opener, in this process or another (a restore that checks what it wrote, a
/// daemon started right after a tool closed the store).
pub(super) struct Released(pub(super) PathBuf);

impl Drop for Released {
    fn drop(&mut self) {
        let _ = wait_released(&self.0, RELEASE_WAIT);
    }
}
