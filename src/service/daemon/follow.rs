//! What the daemon tells its consoles without being asked: the records changed by a write
//! (this daemon's, or another's over the same PostgreSQL database), and whether its store
//! answers at all.
//!
//! Writes that did not come through this daemon — another daemon's over the same
//! PostgreSQL database, or one whose change only showed once a slower transaction ended —
//! reach this daemon's search index and its consoles: woken by the store (NOTIFY on
//! PostgreSQL) or after [`FOLLOW_EVERY`], the daemon asks the store's generation, and when
//! it moved, the index catches up and the change is pushed.
//!
//! The same question tells whether the store answers. When a database restarts or the link
//! to it is cut, every console is told once ([`Pushed::StoreAway`], with the reason in both
//! languages) and keeps its screen; a console that connects meanwhile is told as it is
//! listed; when the database answers again they are told so ([`Pushed::StoreBack`]) and
//! reload. Writes meanwhile are refused by the store itself, each with its reason.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::{Client, Pushed, Shared, push_frame};
use crate::store::StoreError;

/// How long the daemon waits, at most, before it asks the store whether someone else
/// wrote to it (and whether it answers).
const FOLLOW_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

pub(super) fn follow_loop(shared: &Arc<Shared>) {
    let has_moved = || match (
        shared.desk.store().generation(),
        shared.pushed_generation.lock(),
    ) {
        (Ok(now), Ok(pushed)) => {
            store_answers(shared, None);
            now > *pushed
        }
        (Err(e), _) => {
            store_answers(shared, Some(&e));
            false
        }
        _ => false,
    };
    while !shared.stopping.load(Ordering::SeqCst) {
        let woken = shared.desk.store().wait_for_change(FOLLOW_EVERY);
        let mut moved = has_moved();
        // Woken by a write that does not show yet (PostgreSQL shows a change once every
        // transaction that started before it has ended): asked again shortly.
        let mut pause = std::time::Duration::from_millis(5);
        while woken && !moved && pause < FOLLOW_EVERY {
            std::thread::sleep(pause);
            pause *= 2;
            moved = has_moved();
        }
        if moved {
            shared.desk.follow_store();
            push_changes(shared);
        }
    }
}

/// Notes whether the store answered (`failed` is `None`) and tells every console when that
/// changed. Only an unreachable database counts as away: any other error is one request's.
fn store_answers(shared: &Shared, failed: Option<&StoreError>) {
    let away = failed.filter(|e| e.is_unreachable()).map(StoreError::said);
    if failed.is_some() && away.is_none() {
        return;
    }
    // The usual case, four times a second: it answers, as it did. No need for the clients.
    let was_away = shared.store_away.lock().is_ok_and(|noted| noted.is_some());
    if away.is_none() && !was_away {
        return;
    }
    // Under the clients' lock, so that a console listed meanwhile hears the latest state.
    let Ok(clients) = shared.clients.lock() else {
        return;
    };
    let Ok(mut noted) = shared.store_away.lock() else {
        return;
    };
    let change = match (noted.is_some(), &away) {
        (false, Some(said)) => Pushed::StoreAway { said: said.clone() },
        (true, None) => Pushed::StoreBack,
        _ => return,
    };
    *noted = away;
    if let Some(frame) = push_frame(&change) {
        for client in clients.values() {
            client.push(&frame);
        }
    }
}

/// Lists a new console for pushes, and tells it at once if the store is away (it would
/// otherwise learn only at its first refused request).
pub(super) fn listen(shared: &Shared, id: u64, client: &Arc<Client>) {
    let Ok(mut clients) = shared.clients.lock() else {
        return;
    };
    clients.insert(id, client.clone());
    let away = shared
        .store_away
        .lock()
        .ok()
        .and_then(|noted| noted.clone());
    if let Some(said) = away
        && let Some(frame) = push_frame(&Pushed::StoreAway { said })
    {
        client.push(&frame);
    }
}

/// Pushes the records changed since the last push to every console.
pub(super) fn push_changes(shared: &Shared) {
    let store = shared.desk.store();
    let Ok(now) = store.generation() else { return };
    let Ok(mut pushed) = shared.pushed_generation.lock() else {
        return;
    };
    if now <= *pushed {
        return;
    }
    let ids: Vec<_> = store
        .changes_since(*pushed)
        .map(|changes| changes.into_iter().map(|(id, _)| id).collect())
        .unwrap_or_default();
    *pushed = now;
    // None found (a bulk write, or a log pruned meanwhile) or too many: reload everything.
    let change = if ids.is_empty() || ids.len() > shared.options.max_ids_per_push {
        Pushed::Resync
    } else {
        Pushed::Changed { ids }
    };
    let Some(frame) = push_frame(&change) else {
        return;
    };
    if let Ok(clients) = shared.clients.lock() {
        for client in clients.values() {
            client.push(&frame);
        }
    }
}
