//! What the daemon tells every console after a write: which records changed, or that some
//! news was lost and everything on screen should be reloaded. Data only; the daemon sends
//! it ([`crate::service::wire`]) and the console's core decides what to reload.

use serde::{Deserialize, Serialize};

use super::ids::RecordId;

/// A change pushed by the daemon to every console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pushed {
    /// These records were written (by anyone, this console included).
    Changed { ids: Vec<RecordId> },
    /// Some changes were not sent (the link was slow): reload what is on screen.
    Resync,
    /// Said by the console's own end of the link, never by the daemon (one that sends it is
    /// not listened to): the link to the daemon is lost; reconnecting.
    LinkLost,
    /// Said by the console's own end: the link is back (a new session); reload what is on
    /// screen.
    LinkBack,
    /// Said by the console's own end: the daemon answers but refuses this user (no account
    /// any more, too many log-ons…), with its code and words; tried again, slowly.
    LinkRefused {
        code: String,
        said: crate::i18n::Said,
    },
    /// Said by the daemon: its store does not answer (a database restarting, or the link to
    /// it cut), with the reason; screens stay as they are, writes are refused until it is
    /// back.
    StoreAway { said: crate::i18n::Said },
    /// Said by the daemon: its store answers again; reload what is on screen.
    StoreBack,
}

impl Pushed {
    /// Whether this tells of the link itself rather than of records.
    pub fn about_the_link(&self) -> bool {
        matches!(
            self,
            Pushed::LinkLost | Pushed::LinkBack | Pushed::LinkRefused { .. }
        )
    }

    /// Whether this tells of the daemon's store answering or not.
    pub fn about_the_store(&self) -> bool {
        matches!(self, Pushed::StoreAway { .. } | Pushed::StoreBack)
    }

    /// Whether the console acts on it at once, in order, rather than merged with other
    /// record changes into one reload.
    pub fn acted_on_at_once(&self) -> bool {
        self.about_the_link() || self.about_the_store()
    }
}
