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

use super::keys::KeyPress;
use super::state::{Overlay, State};
use super::update::{Effect, Outcome};

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

/// A key while unlocked: counts as activity.
pub fn touched(state: &mut State, now: Instant) {
    if !state.lock.locked {
        state.lock.last_key = Some(now);
    }
}

/// At a tick: lock if the idle time has passed.
pub fn lock_if_due(state: &mut State, now: Instant) -> Option<Outcome> {
    let due = state.lock.due_at()?;
    if now < due {
        return None;
    }
    Some(lock_now(state, vec![Effect::Lock]))
}

/// The service says the session is locked (the account was locked or locked out from
/// another connection, or when this one began): the PIN screen, with nothing to ask.
pub fn locked_by_service(state: &mut State) -> Outcome {
    lock_now(state, vec![])
}

fn lock_now(state: &mut State, effects: Vec<Effect>) -> Outcome {
    state.lock.locked = true;
    state.lock.pin.clear();
    state.lock.message = None;
    state.lock.resume = state.details.iter().map(|d| d.id).collect();
    // Nothing of a record stays in the console while it is locked. A form being typed is
    // the officer's own text: it stays (it is also in the drafts file) and is not drawn.
    state.details.clear();
    state.roster = None;
    state.table.set_rows(Vec::new());
    state.status = None;
    if matches!(
        state.overlay,
        Overlay::Search(_) | Overlay::Help { .. } | Overlay::Filter | Overlay::Command { .. }
    ) {
        state.overlay = Overlay::None;
    }
    Outcome {
        effects,
        redraw: true,
    }
}

/// A key on the lock screen: digits build the PIN, Backspace takes one back, Esc clears,
/// Enter asks the service to unlock.
pub fn on_key(state: &mut State, key: KeyPress) -> Outcome {
    use crossterm::event::KeyCode;
    let lock = &mut state.lock;
    let effects = match key.code {
        KeyCode::Char(c) if c.is_ascii_digit() && !key.ctrl && !key.alt => {
            if lock.pin.len() < 12 {
                lock.pin.push(c);
            }
            vec![]
        }
        KeyCode::Backspace => {
            lock.pin.pop();
            vec![]
        }
        KeyCode::Esc => {
            lock.pin.clear();
            vec![]
        }
        KeyCode::Enter if !lock.pin.is_empty() => {
            let pin = std::mem::take(&mut lock.pin);
            vec![Effect::Unlock(pin)]
        }
        _ => return Outcome::default(),
    };
    Outcome {
        effects,
        redraw: true,
    }
}

/// The service unlocked the session: back where the officer was.
pub fn unlocked(state: &mut State, now: Instant) -> Outcome {
    let lock = &mut state.lock;
    lock.locked = false;
    lock.message = None;
    lock.last_key = Some(now);
    let mut effects = vec![Effect::Load(state.view)];
    effects.extend(
        std::mem::take(&mut lock.resume)
            .into_iter()
            .map(Effect::LoadDetail),
    );
    Outcome {
        effects,
        redraw: true,
    }
}

pub fn unlock_failed(state: &mut State, message: String) -> Outcome {
    state.lock.message = Some(message);
    Outcome {
        effects: vec![],
        redraw: true,
    }
}
