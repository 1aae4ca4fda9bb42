//! The pure core: `update(state, action, ctx)` ⇒ effects. No I/O and no clock (the time is
//! `ctx.now`); tested as "state + keys ⇒ state + effects". This file takes the service's
//! answers and the lock; the keys go through [`commands`], and each part of the screen has
//! its handlers beside it (search, table, command line, forms, roster page, pushed changes).

mod cmdline;
mod commands;
mod forms;
mod lock;
mod pushed;
mod roster;
mod search;
mod table;

use crate::i18n::Lang;

pub use super::messages::{Action, Ctx, Effect, Outcome};
use super::roster_page::RosterPage;
use super::state::{Detail, Overlay, State, Status};

/// Rows above and below the table body: title, status line, header, hint and message lines.
pub const CHROME_ROWS: u16 = 5;

pub fn update(state: &mut State, action: Action, ctx: &Ctx) -> Outcome {
    let mut outcome = act(state, action, ctx);
    // The status line's clock moves with the time of whatever happens, a tick included.
    let minute = State::minute_of(ctx.now);
    if state.clock != Some(minute) {
        state.clock = Some(minute);
        outcome.redraw = true;
    }
    // However the form was opened (an action, the roster page, a draft offered again), the
    // session's officer is its officer when the session names one.
    if state.officer_fixed
        && let (Some(officer), Overlay::Form(form)) = (state.officer, &mut state.overlay)
        && form.officer_unfixed()
    {
        form.fix_officer(officer);
    }
    refuse_form_the_role_may_not_save(state);
    outcome
}

/// However a form opened, a role that may not save it is told so at once, in words.
fn refuse_form_the_role_may_not_save(state: &mut State) {
    let (Some((user, role)), Overlay::Form(form)) = (&state.session_role, &state.overlay) else {
        return;
    };
    let needs = form.kind.needs();
    if crate::domain::access::allows(*role, needs) {
        return;
    }
    let denial = crate::domain::access::Denial {
        user: user.clone(),
        role: Some(*role),
        needs,
    };
    state.overlay = Overlay::None;
    state.status = Some(Status {
        text: denial.label(state.lang),
        error: true,
    });
}

/// Loads again everything on screen: the view, the detail on top, the roster page.
pub(super) fn reload_on_screen(state: &State) -> Vec<Effect> {
    let mut effects = vec![Effect::Load(state.view)];
    effects.extend(
        (state.details.last())
            .filter(|d| d.is_record())
            .map(|d| Effect::LoadDetail(d.id)),
    );
    effects.extend(
        state
            .roster
            .as_ref()
            .map(|page| Effect::LoadRoster(page.data.campaign_id)),
    );
    effects.push(Effect::LoadDuty);
    effects
}

fn act(state: &mut State, action: Action, ctx: &Ctx) -> Outcome {
    // The link's state is kept whatever is on screen, the PIN screen included.
    if let Action::Pushed(change) = &action
        && change.acted_on_at_once()
    {
        return pushed::on_link(state, change);
    }
    if let Action::Tick = action
        && let Some(locking) = lock::lock_if_due(state, ctx.now)
    {
        return locking;
    }
    if let Action::LockedByService = action
        && !state.lock.locked
    {
        return lock::locked_by_service(state);
    }
    if state.lock.locked {
        // Nothing but the PIN while locked; answers that arrive late are dropped.
        return match action {
            Action::Key(pressed) => lock::on_key(state, pressed),
            Action::Unlocked => lock::unlocked(state, ctx.now),
            Action::UnlockFailed(message) => lock::unlock_failed(state, message),
            Action::Resized { height } => {
                state.page = usize::from(height.saturating_sub(CHROME_ROWS)).max(1);
                Outcome::drawn(vec![])
            }
            _ => Outcome::default(),
        };
    }
    match action {
        Action::Key(pressed) => {
            lock::touched(state, ctx.now);
            commands::on_key(state, pressed, ctx)
        }
        Action::Unlocked | Action::UnlockFailed(_) | Action::LockedByService => Outcome::default(),
        Action::Loaded { view, rows, total } => {
            if view == state.view {
                state.table.set_rows(rows);
                state.table.total = total;
            }
            Outcome::drawn(vec![])
        }
        Action::DetailLoaded(detail) => {
            let detail = *detail;
            match state.details.last_mut() {
                Some(top) if top.id == detail.id => {
                    let selected = top.selected.min(detail.links.len().saturating_sub(1));
                    *top = Detail {
                        selected,
                        browsing: top.browsing,
                        top: top.top,
                        ..detail
                    };
                }
                _ => {
                    // A record opened from the roster page (a search) shows over it.
                    state.roster = None;
                    state.details.push(detail);
                }
            }
            Outcome::drawn(vec![])
        }
        Action::Saved { message } => {
            // A tip passed on to investigators turned out to be a crime: the case it opens
            // comes next, linked to it (Esc leaves it, its draft kept).
            state.overlay = match &state.overlay {
                Overlay::Confirm(form)
                    if form.kind == crate::app::forms::FormKind::TipStep
                        && form.value("status") == crate::domain::TipStatus::Passed.code() =>
                {
                    Overlay::Form(crate::app::forms::Form::new_case(
                        state.officer,
                        ctx.now,
                        state.lang,
                        Some((form.target, form.target_title.clone())),
                    ))
                }
                _ => Overlay::None,
            };
            state.status = Some(Status {
                text: message,
                error: false,
            });
            Outcome::drawn(reload_on_screen(state))
        }
        Action::SaveFailed(message) => {
            if let Overlay::Confirm(form) = &state.overlay {
                state.overlay = Overlay::Form(form.clone());
            }
            state.status = Some(Status {
                text: message,
                error: true,
            });
            Outcome::drawn(vec![])
        }
        Action::OfficerChecked { officer, known } => {
            forms::officer_checked(state, officer, known, state.lang)
        }
        Action::Failed(message) => {
            state.status = Some(Status {
                text: message,
                error: true,
            });
            Outcome::drawn(vec![])
        }
        Action::Resized { height } => {
            state.page = usize::from(height.saturating_sub(CHROME_ROWS)).max(1);
            Outcome::drawn(vec![])
        }
        Action::SearchResults { query, hits } => {
            match &mut state.overlay {
                // A late answer for an older query is dropped.
                Overlay::Search(search) if search.query == query => {
                    search.hits = hits;
                    search.selected = 0;
                    search.waiting = false;
                    Outcome::drawn(vec![])
                }
                _ => Outcome::default(),
            }
        }
        Action::SearchNotReady { query } => match &mut state.overlay {
            Overlay::Search(search) if search.query == query => {
                let redraw = !search.waiting;
                search.waiting = true;
                Outcome {
                    effects: vec![],
                    redraw,
                }
            }
            _ => Outcome::default(),
        },
        Action::Tick => match &state.overlay {
            Overlay::Search(search) if search.waiting => search::search_request(state),
            // The countdown moves: reload what shows it (the table keeps its selection).
            _ if state.counting_down() => Outcome {
                effects: vec![match state.details.last() {
                    Some(detail) => Effect::LoadDetail(detail.id),
                    None if state.view == super::views::View::Glance => Effect::LoadGlanceRows,
                    None => Effect::Load(state.view),
                }],
                redraw: false,
            },
            _ => Outcome::default(),
        },
        Action::RosterLoaded(data) => {
            match &mut state.roster {
                Some(page) if page.data.campaign_id == data.campaign_id => {
                    page.reload(*data, ctx.now)
                }
                _ => {
                    state.roster = Some(RosterPage::new(*data, ctx.now));
                }
            }
            Outcome::drawn(vec![])
        }
        Action::RosterRefused(problems) => {
            let lang = state.lang;
            if let Overlay::Confirm(form) = &state.overlay {
                let mut form = form.clone();
                let at = form.refusal_field();
                form.focus = at;
                form.errors = problems.iter().map(|p| (at, p.clone())).collect();
                state.overlay = Overlay::Form(form);
            }
            state.status = Some(Status {
                text: match lang {
                    Lang::Vi => format!(
                        "Chưa lưu: thay đổi này tạo {} vấn đề phân công (xem biểu mẫu)",
                        problems.len()
                    ),
                    Lang::En => format!(
                        "Not saved: the change would create {} roster problem(s) (see the form)",
                        problems.len()
                    ),
                },
                error: true,
            });
            Outcome::drawn(vec![])
        }
        Action::Pushed(change) => pushed::on_pushed(state, &change),
        Action::GlanceLoaded(glance) => {
            state.glance = Some(glance);
            Outcome::drawn(vec![])
        }
        Action::DutyLoaded(duty) => {
            let redraw = state.duty.as_ref() != Some(&duty);
            state.duty = Some(duty);
            Outcome {
                effects: vec![],
                redraw,
            }
        }
        Action::DraftsFound(forms) => {
            if !forms.is_empty() && state.overlay == Overlay::None {
                state.overlay = Overlay::Drafts(forms);
            }
            Outcome::drawn(vec![])
        }
    }
}
