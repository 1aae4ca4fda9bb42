//! `trucban serve`, and how the other commands find the daemon: `--socket` (or
//! `TRUCBAN_SOCKET`) means "through the daemon" and fails if none answers; with neither a
//! socket nor a data directory given, the default sockets are tried and the store is opened
//! in-process when no daemon answers; `--data-dir` alone opens that store in-process.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::service::daemon::{self, socket};
use crate::service::{DeskApi, LocalDesk, RemoteDesk};

/// A desk chosen at run time: the daemon's or the store's own.
pub type AnyDesk = Box<dyn DeskApi + Send>;

/// The daemon to talk to, if any: `Err` when `--socket` was given and nobody answers there.
pub(super) fn remote(
    socket: Option<&Path>,
    data_dir_given: bool,
) -> anyhow::Result<Option<RemoteDesk>> {
    if let Some(path) = socket {
        return Ok(Some(RemoteDesk::connect(path)?));
    }
    if data_dir_given {
        return Ok(None);
    }
    Ok(socket::client_candidates()
        .iter()
        .find_map(|path| RemoteDesk::connect(path).ok()))
}

/// The daemon's desk when one is to be used, else `local()`.
pub(super) fn desk<D: DeskApi + Send + 'static>(
    socket: Option<&Path>,
    data_dir_given: bool,
    local: impl FnOnce() -> anyhow::Result<D>,
) -> anyhow::Result<AnyDesk> {
    Ok(match remote(socket, data_dir_given)? {
        Some(remote) => Box::new(remote),
        None => Box::new(local()?),
    })
}

/// `trucban serve`: serves `desk` on `socket` (or the default) until SIGTERM or SIGINT.
pub(super) fn serve(desk: LocalDesk, socket: Option<PathBuf>) -> anyhow::Result<()> {
    let socket = socket.unwrap_or_else(socket::default_socket);
    // Who connects is known from the kernel; only OS users with an officer account get in,
    // each with their role (see `service/session.rs`).
    let gate = crate::service::session::AccountGate::new(crate::service::session::system_clock());
    daemon::serve(desk, Arc::new(gate), daemon::Options::new(socket))
}
