//! Who is at the door of the daemon, and what lets them in: the peer as the kernel names
//! it, the [`Gate`] that admits it with a session of its own. Apart from the daemon (which
//! asks a gate) and the sessions (which are one), so that neither imports the other.

use std::os::unix::net::UnixStream;

use super::{DeskApi, LocalDesk, Result};

/// The name of the OS user running this process (for the owner's session; the daemon
/// learns its clients' users from the kernel instead).
pub fn current_os_user() -> String {
    let uid = nix::unistd::geteuid().as_raw();
    account_name(uid, user_name(uid))
}

/// The name of OS user `uid` in the user database, if it has one.
pub fn user_name(uid: u32) -> Option<String> {
    nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
        .ok()
        .flatten()
        .map(|u| u.name)
}

/// The account an OS user is looked up under: its name, or `uid<N>` when it has none.
pub fn account_name(uid: u32, name: Option<String>) -> String {
    name.unwrap_or_else(|| format!("uid{uid}"))
}

/// Who is on the other end of a connection, as the kernel says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Peer {
    pub uid: u32,
    pub gid: u32,
    pub pid: i32,
    /// The OS user name of `uid`, if the system knows it.
    pub user: Option<String>,
}

impl Peer {
    /// The peer of a connected socket (`SO_PEERCRED`), its user name from the user database.
    pub fn of(stream: &UnixStream) -> std::io::Result<Peer> {
        let cred = nix::sys::socket::getsockopt(stream, nix::sys::socket::sockopt::PeerCredentials)
            .map_err(std::io::Error::from)?;
        let user = user_name(cred.uid());
        Ok(Peer {
            uid: cred.uid(),
            gid: cred.gid(),
            pid: cred.pid(),
            user,
        })
    }

    pub fn describe(&self) -> String {
        format!(
            "uid {} ({}) pid {}",
            self.uid,
            crate::domain::text::display_safe(self.user.as_deref().unwrap_or("?")),
            self.pid
        )
    }
}

/// A session for one connection: the desk its requests run on.
pub type Session = Box<dyn DeskApi + Send>;

/// Lets a peer in, with its own session, or refuses it (the refusal is sent to the client).
pub trait Gate: Send + Sync {
    fn admit(&self, peer: &Peer, desk: &LocalDesk) -> Result<Session>;
    /// The connection of an admitted peer ended (log-off).
    fn left(&self, _peer: &Peer) {}
}

/// Serves the shared desk to anyone who can open the socket (the directory and socket modes
/// decide who can): the embedded mode's rules, shared.
pub struct OpenGate;

impl Gate for OpenGate {
    fn admit(&self, _peer: &Peer, desk: &LocalDesk) -> Result<Session> {
        Ok(Box::new(desk.clone()))
    }
}
