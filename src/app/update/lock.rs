//! The session lock's handlers (the lock itself is data in [`crate::app::lock`]): a key
//! counts as activity, a tick past the idle time locks, the lock screen takes the PIN, and
//! the service's answer unlocks or says why not.

use crate::app::keys::KeyPress;
use crate::app::messages::{Effect, Outcome};
use crate::app::state::{Overlay, State};
use crate::domain::Instant;

/// A key while unlocked: counts as activity.
pub(super) fn touched(state: &mut State, now: Instant) {
    if !state.lock.locked {
        state.lock.last_key = Some(now);
    }
}

/// At a tick: lock if the idle time has passed.
pub(super) fn lock_if_due(state: &mut State, now: Instant) -> Option<Outcome> {
    let due = state.lock.due_at()?;
    if now < due {
        return None;
    }
    Some(lock_now(state, vec![Effect::Lock]))
}

/// The service says the session is locked (the account was locked or locked out from
/// another connection, or when this one began): the PIN screen, with nothing to ask.
pub(super) fn locked_by_service(state: &mut State) -> Outcome {
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
pub(super) fn on_key(state: &mut State, key: KeyPress) -> Outcome {
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
pub(super) fn unlocked(state: &mut State, now: Instant) -> Outcome {
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

pub(super) fn unlock_failed(state: &mut State, message: String) -> Outcome {
    state.lock.message = Some(message);
    Outcome {
        effects: vec![],
        redraw: true,
    }
}
