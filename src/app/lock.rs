//! The session lock in the console: after the idle time (15 minutes by default, at most 30:
//! `[session] lock_after_minutes`) without a key, the console asks the service to lock the
//! session, drops every record it holds (rows, details, search hits) and shows only the
//! lock screen, which asks for the officer's PIN. The service refuses every request of a
//! locked session, so a console that skipped this would still get nothing; unlocking goes
//! through the service too (five wrong PINs lock the account for ten minutes).
//!
//! Only a session whose account has a PIN locks (a demo or a store owner without an
//! account has nothing to unlock with).

use chrono::Duration;

use crate::domain::{Instant, RecordId};

/// The default idle time, and the most the configuration may set.
pub fn default_after() -> Duration {
    Duration::minutes(15)
}
pub fn max_after() -> Duration {
    Duration::minutes(30)
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lock {
    /// Idle time before locking; none: this session does not lock.
    pub after: Option<Duration>,
    /// The last key (or unlock).
    pub last_key: Option<Instant>,
    pub locked: bool,
    /// The PIN typed so far (never drawn: dots only).
    pub pin: String,
    /// Why the last unlock failed.
    pub message: Option<String>,
    /// The details open when the session locked, reopened after unlocking.
    pub resume: Vec<RecordId>,
}

impl Lock {
    /// When the console must lock, if it may.
    pub fn due_at(&self) -> Option<Instant> {
        match (self.after, self.last_key, self.locked) {
            (Some(after), Some(last), false) => Some(last + after),
            _ => None,
        }
    }
}
