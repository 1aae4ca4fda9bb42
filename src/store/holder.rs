//! Who holds the store. sled locks its `db` file; when a second process is refused we want
//! to say which process holds it and what to do, so the holder writes a small note beside it.

use std::path::Path;

use serde::{Deserialize, Serialize};

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
