//! The messages of the console's core: what comes in ([`Action`], with the [`Ctx`] it is
//! read in), what goes out ([`Effect`], gathered in an [`Outcome`]). The shell turns key
//! presses, service answers and timers into actions and performs the effects; `update`
//! only ever sees these types, so it is tested without a terminal, a service or a clock.

use crate::domain::{Instant, Pushed, RecordId};
use crate::search::Hit;

use super::forms::{Form, Submission};
use super::keymap::Keymap;
use super::keys::KeyPress;
use super::roster_page::RosterData;
use super::state::Detail;
use super::table::Row;
use super::views::View;

/// What an action is read with: the time (the only clock the core sees) and the keys.
pub struct Ctx<'a> {
    pub now: Instant,
    pub keymap: &'a Keymap,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Key(KeyPress),
    Loaded {
        view: View,
        rows: Vec<Row>,
        /// Records in the collection: more than `rows` when the view holds only the newest.
        total: usize,
    },
    DetailLoaded(Box<Detail>),
    Saved {
        message: String,
    },
    SaveFailed(String),
    /// The service's answer on the officer a form names, asked before its confirmation:
    /// whether it knows it, or why it could not say (the link lost, the store failing).
    OfficerChecked {
        officer: RecordId,
        known: Result<bool, String>,
    },
    Failed(String),
    Resized {
        height: u16,
    },
    DraftsFound(Vec<Form>),
    /// The service's hits for a search box query.
    SearchResults {
        query: String,
        hits: Vec<Hit>,
    },
    /// The service cannot search yet (its index is loading).
    SearchNotReady {
        query: String,
    },
    /// Time passed while something waits (see [`State::waiting`](super::state::State::waiting)), or the idle time of the
    /// session lock ran out.
    Tick,
    /// A campaign's roster for the roster page (opened, or reloaded after an edit).
    RosterLoaded(Box<RosterData>),
    /// A roster edit refused by the checks: the problems it would create, in the officer's
    /// language. Nothing was saved.
    RosterRefused(Vec<String>),
    /// The service unlocked the session.
    Unlocked,
    /// The service refused a request because the session is locked (from another
    /// connection of the account, or since it began).
    LockedByService,
    /// The service refused the PIN (the message says why, in the officer's language).
    UnlockFailed(String),
    /// Another officer's change, pushed by the daemon.
    Pushed(Pushed),
    /// The deadlines the status line counts (see [`crate::domain::duty`]).
    DutyLoaded(crate::domain::duty::DutyStatus),
    /// What the "Shift at a glance" view shows beside its rows (its rows come as `Loaded`).
    GlanceLoaded(Box<crate::domain::glance::Beside>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    Load(View),
    /// Shift at a glance's rows alone, as its countdown moves: what stands beside them
    /// (14 days of counts, duty, night, log) does not move with the clock.
    LoadGlanceRows,
    LoadDetail(RecordId),
    Submit {
        submission: Submission,
        draft: String,
    },
    SaveDraft(Form),
    DeleteDraft(String),
    /// Ask the service whether this officer exists (a form's, before its confirmation).
    CheckOfficer(RecordId),
    /// Search every collection for `query`; at most `limit` hits.
    Search {
        query: String,
        limit: usize,
    },
    /// Load a campaign's roster for the roster page.
    LoadRoster(RecordId),
    /// Open the records behind the report's figure `key` (its row's label) in `period`.
    LoadFigure {
        period: crate::domain::report::Period,
        key: String,
        label: String,
    },
    /// Open a list of records (a row that stands for several): `crumb` names it.
    LoadList {
        crumb: String,
        ids: Vec<RecordId>,
    },
    /// Ask the service for the open hits and tips the status line counts.
    LoadDuty,
    /// Lock the session in the service.
    Lock,
    /// Ask the service to unlock with this PIN.
    Unlock(String),
    Quit,
}

/// What an action did: the effects to perform, and whether the screen may have changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub effects: Vec<Effect>,
    pub redraw: bool,
}

impl Outcome {
    /// The screen changed; perform `effects`.
    pub(crate) fn drawn(effects: Vec<Effect>) -> Outcome {
        Outcome {
            effects,
            redraw: true,
        }
    }
}
