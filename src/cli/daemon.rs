//! `trucban serve`: the daemon over the store at the data directory. How the other commands
//! find it is `open.rs`.

use std::path::PathBuf;
use std::sync::Arc;

use crate::service::LocalDesk;
use crate::service::daemon::{self, socket};

/// `trucban serve`: serves `desk` on `socket` (or the default) until SIGTERM or SIGINT.
pub(super) fn serve(desk: LocalDesk, socket: Option<PathBuf>) -> anyhow::Result<()> {
    let socket = socket.unwrap_or_else(socket::default_socket);
    // Who connects is known from the kernel; only OS users with an officer account get in,
    // each with their role (see `service/session.rs`). Sessions read the daemon's clock.
    let gate = crate::service::session::AccountGate::new(desk.clock().clone());
    daemon::serve(desk, Arc::new(gate), daemon::Options::new(socket))
}
