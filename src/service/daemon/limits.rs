//! How many connections the daemon holds, in all and per OS user, and the audit of the
//! connections it closes or turns away (at most one entry a minute per user and reason,
//! with the count of the others, as for refused log-ons).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::domain::audit::{AuditDraft, Outcome};

use super::super::LocalDesk;
use super::super::logon::{LogonLimiter, Verdict};
use super::super::wire::Closed;
use super::Peer;

/// Connections open now, per uid.
#[derive(Default)]
pub(super) struct Connections {
    open: Mutex<HashMap<u32, usize>>,
}

/// One admitted connection's place; given back when dropped.
pub(super) struct Place {
    connections: Arc<Connections>,
    uid: u32,
}

impl Connections {
    /// A place for a connection of `uid`, or why there is none.
    pub fn take(
        self: &Arc<Self>,
        uid: u32,
        in_all: usize,
        per_user: usize,
    ) -> Result<Place, Closed> {
        let mut open = self.open.lock().map_err(|_| Closed::TooManyConnections)?;
        let total: usize = open.values().sum();
        if total >= in_all {
            return Err(Closed::TooManyConnections);
        }
        let mine = open.entry(uid).or_default();
        if *mine >= per_user {
            return Err(Closed::TooManyForUser);
        }
        *mine += 1;
        Ok(Place {
            connections: self.clone(),
            uid,
        })
    }

    pub fn total(&self) -> usize {
        self.open.lock().map(|o| o.values().sum()).unwrap_or(0)
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        if let Ok(mut open) = self.connections.open.lock()
            && let Some(n) = open.get_mut(&self.uid)
        {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.uid);
            }
        }
    }
}

/// Audits the daemon's own closings, bounded per user and reason.
#[derive(Default)]
pub(super) struct ClosingAudit {
    limiter: LogonLimiter,
}

impl ClosingAudit {
    /// `peer`'s connection closed (or turned away) for `why`: audited unless an entry for
    /// the same user and reason was written this minute (then counted for the next).
    pub fn closed(&self, desk: &LocalDesk, peer: &Peer, why: Closed) {
        let user = super::super::gate::account_name(peer.uid, peer.user.clone());
        let now = desk.clock().now();
        let key = format!("{user}\u{0}{}", why.code());
        let Verdict::Audit { earlier, since } = self.limiter.refused(&key, now) else {
            return;
        };
        let mut detail = format!("{}: {}", why.code(), why.label(crate::i18n::Lang::En));
        if let Some(since) = since.filter(|_| earlier > 0) {
            detail.push_str(&format!(
                " (and {earlier} more since {})",
                crate::domain::time::to_local(since).format("%Y-%m-%d %H:%M")
            ));
        }
        let action = match why {
            Closed::TooManyConnections | Closed::TooManyForUser => "connect",
            _ => "disconnect",
        };
        // The daemon carries on if the audit cannot be written; the store says why on the
        // next write that needs it.
        let _ = desk.store().append_audit(&AuditDraft {
            at: now,
            user,
            officer: None,
            action: action.into(),
            record: None,
            detail,
            outcome: Outcome::Refused,
            unit: String::new(),
        });
    }
}
