//! Keys into commands: the keymap resolves the keys typed so far in the current mode, a
//! key that is no command types text where the mode takes text, and [`run`] does what
//! each command means in each mode.

use crate::app::command::Command;
use crate::app::forms::Submission;
use crate::app::keymap::{Mode, Resolved};
use crate::app::keys::KeyPress;
use crate::app::messages::{Ctx, Effect, Outcome};
use crate::app::state::{Overlay, State, Status};
use crate::app::views::View;

use super::cmdline::command_line;
use super::forms::{form, new_record, open_form};
use super::roster;
use super::search::{open_search, search_keys, search_request};
use super::table::{step_period, switch_view, table_move};

pub(super) fn on_key(state: &mut State, key: KeyPress, ctx: &Ctx) -> Outcome {
    let mode = state.mode();
    state.pending.push(key);
    match ctx.keymap.resolve(mode, &state.pending) {
        Resolved::Run(command) => {
            state.pending.clear();
            state.status = None;
            run(state, mode, command, ctx)
        }
        Resolved::Pending => Outcome::default(),
        Resolved::Unbound => {
            let was_chord = state.pending.len() > 1;
            state.pending.clear();
            if was_chord {
                // `g j`: the chord failed; the last key may still mean something alone.
                return on_key(state, key, ctx);
            }
            match key.code {
                crossterm::event::KeyCode::Char(c)
                    if mode.takes_text() && !key.ctrl && !key.alt =>
                {
                    type_char(state, c)
                }
                _ => Outcome::default(),
            }
        }
    }
}

pub(super) fn type_char(state: &mut State, c: char) -> Outcome {
    if crate::domain::text::is_hostile(c) {
        return Outcome::default();
    }
    match &mut state.overlay {
        Overlay::Filter => {
            let mut filter = state.table.filter.clone();
            filter.push(c);
            state.table.set_filter(filter);
            Outcome::drawn(vec![])
        }
        Overlay::Command {
            text,
            history_at,
            candidates,
        } => {
            text.push(c);
            *history_at = None;
            candidates.clear();
            Outcome::drawn(vec![])
        }
        Overlay::Form(form) => {
            form.type_char(c);
            form.recheck(state.lang);
            Outcome::drawn(vec![Effect::SaveDraft(form.draftable())])
        }
        Overlay::Search(search) => {
            search.query.push(c);
            search.recall_at = None;
            search_request(state)
        }
        _ => Outcome::default(),
    }
}

pub(super) fn run(state: &mut State, mode: Mode, command: Command, ctx: &Ctx) -> Outcome {
    let lang = state.lang;
    let page = state.page as isize;
    match (mode, command) {
        (_, Command::Quit) => {
            state.quit = true;
            Outcome::drawn(vec![Effect::Quit])
        }
        (Mode::Table | Mode::Detail, Command::Help) => {
            state.overlay = Overlay::Help { scroll: 0 };
            Outcome::drawn(vec![])
        }
        (Mode::Table | Mode::Detail, Command::CommandLine) => {
            state.overlay = Overlay::Command {
                text: String::new(),
                history_at: None,
                candidates: Vec::new(),
            };
            Outcome::drawn(vec![])
        }
        // The report's rows are figures: Enter opens the records behind one; no form.
        (Mode::Table, Command::Open) if state.view == View::Report => {
            match (state.report, state.table.selected_row()) {
                (Some(period), Some(row)) if crate::domain::report::lists_records(&row.key) => {
                    Outcome::drawn(vec![Effect::LoadFigure {
                        period,
                        key: row.key.clone(),
                        label: row
                            .cells
                            .first()
                            .map(|c| c.text.clone())
                            .unwrap_or_default(),
                    }])
                }
                _ => Outcome::default(),
            }
        }
        (Mode::Table, Command::Act) if state.view == View::Report => Outcome::default(),
        // A row that stands for several records lists them.
        (Mode::Table, Command::Open)
            if state
                .table
                .selected_row()
                .is_some_and(|r| !r.opens.is_empty()) =>
        {
            match state.table.selected_row() {
                Some(row) => Outcome::drawn(vec![Effect::LoadList {
                    // The row's second and third cells: the establishment and the night.
                    crumb: (row.cells.iter().skip(1).take(2))
                        .map(|c| c.text.trim())
                        .collect::<Vec<_>>()
                        .join(" "),
                    ids: row.opens.clone(),
                }]),
                None => Outcome::default(),
            }
        }
        (Mode::Detail, Command::Act) if !state.details.last().is_some_and(|d| d.is_record()) => {
            Outcome::default()
        }
        (Mode::Table | Mode::Detail, Command::Act) => open_form(state, ctx),
        (Mode::Table | Mode::Detail, Command::Search) => open_search(state, String::new()),
        (Mode::Search, _) => search_keys(state, command),
        (Mode::Table | Mode::Detail, Command::Roster) => roster::open(state),
        (Mode::Roster, Command::Help) => {
            state.overlay = Overlay::Help { scroll: 0 };
            Outcome::drawn(vec![])
        }
        (Mode::Roster, Command::CommandLine) => {
            state.overlay = Overlay::Command {
                text: String::new(),
                history_at: None,
                candidates: Vec::new(),
            };
            Outcome::drawn(vec![])
        }
        (Mode::Roster, _) => roster::keys(state, command, ctx),
        (Mode::Table, Command::Down) => table_move(state, 1),
        (Mode::Table, Command::Up) => table_move(state, -1),
        (Mode::Table, Command::PageDown) => table_move(state, page),
        (Mode::Table, Command::PageUp) => table_move(state, -page),
        (Mode::Table, Command::First) => {
            state.table.first();
            Outcome::drawn(vec![])
        }
        (Mode::Table, Command::Last) => {
            state.table.last();
            Outcome::drawn(vec![])
        }
        (Mode::Table, Command::PrevPeriod | Command::NextPeriod) => {
            step_period(state, command, ctx.now)
        }
        (Mode::Table, Command::Open) => match state.table.selected_id() {
            Some(id) => Outcome::drawn(vec![Effect::LoadDetail(id)]),
            None => Outcome::default(),
        },
        (Mode::Table, Command::Filter) => {
            state.overlay = Overlay::Filter;
            Outcome::drawn(vec![])
        }
        (Mode::Table, Command::Back) => {
            state.table.set_filter(String::new());
            Outcome::drawn(vec![])
        }
        (Mode::Table, Command::SortNext) => {
            state.table.sort_next(state.view.columns().len());
            Outcome::drawn(vec![])
        }
        (Mode::Table, Command::SortReverse) => {
            state.table.sort_reverse();
            Outcome::drawn(vec![])
        }
        (Mode::Table, Command::NextView | Command::PrevView) => {
            let n = View::ALL.len();
            let at = View::ALL.iter().position(|v| *v == state.view).unwrap_or(0);
            let next = if command == Command::NextView {
                (at + 1) % n
            } else {
                (at + n - 1) % n
            };
            switch_view(state, View::ALL[next], ctx.now)
        }
        (Mode::Detail, Command::Down | Command::Up) => {
            if let Some(detail) = state.details.last_mut() {
                let n = detail.links.len();
                if n > 0 {
                    let delta = if command == Command::Down { 1 } else { n - 1 };
                    detail.selected = (detail.selected + delta) % n;
                    detail.browsing = true;
                }
            }
            Outcome::drawn(vec![])
        }
        // A page through the record's text, keeping a row of the last page in sight; the
        // links are left to `j`/`k`, which bring the selected one back into view.
        (Mode::Detail, Command::PageDown | Command::PageUp) => {
            let page = u16::try_from(state.page.saturating_sub(1).max(1)).unwrap_or(u16::MAX);
            if let Some(detail) = state.details.last_mut() {
                let end = u16::try_from(detail.rows_at_most()).unwrap_or(u16::MAX);
                detail.top = if command == Command::PageDown {
                    detail
                        .top
                        .saturating_add(page)
                        .min(end.saturating_sub(page))
                } else {
                    detail.top.saturating_sub(page)
                };
                detail.browsing = false;
            }
            Outcome::drawn(vec![])
        }
        (Mode::Detail, Command::Open) => {
            let link = state
                .details
                .last()
                .and_then(|d| d.links.get(d.selected))
                .map(|l| l.id);
            match link {
                // Push a placeholder-free detail only when loaded: the effect loads it.
                Some(id) => Outcome::drawn(vec![Effect::LoadDetail(id)]),
                None => Outcome::default(),
            }
        }
        (Mode::Detail, Command::Back) => {
            state.details.pop();
            Outcome::drawn(vec![])
        }
        (Mode::Filter, Command::Accept) => {
            state.overlay = Overlay::None;
            Outcome::drawn(vec![])
        }
        (Mode::Filter, Command::Cancel) => {
            state.overlay = Overlay::None;
            state.table.set_filter(String::new());
            Outcome::drawn(vec![])
        }
        (Mode::Filter, Command::Delete) => {
            let mut filter = state.table.filter.clone();
            filter.pop();
            state.table.set_filter(filter);
            Outcome::drawn(vec![])
        }
        (Mode::Command, _) => command_line(state, command, ctx),
        (Mode::Table, Command::New) => new_record(state, ctx),
        (Mode::Form, _) => form(state, command, lang),
        (Mode::Confirm, Command::Accept) => {
            let Overlay::Confirm(form) = &state.overlay else {
                return Outcome::default();
            };
            match form.validate(lang) {
                Ok(mut submission) => {
                    if let Submission::WantedStatus { at, .. } = &mut submission {
                        *at = ctx.now;
                    }
                    state.status = Some(Status {
                        text: lang.pick("Đang lưu…", "Saving…").into(),
                        error: false,
                    });
                    Outcome::drawn(vec![Effect::Submit {
                        submission,
                        draft: form.draft_key(),
                    }])
                }
                Err(_) => {
                    state.overlay = Overlay::Form(form.clone());
                    Outcome::drawn(vec![])
                }
            }
        }
        (Mode::Confirm, Command::Cancel) => {
            if let Overlay::Confirm(form) = &state.overlay {
                state.overlay = Overlay::Form(form.clone());
            }
            Outcome::drawn(vec![])
        }
        (Mode::Draft, Command::Accept) => {
            if let Overlay::Drafts(forms) = &state.overlay {
                state.overlay = forms.first().cloned().map_or(Overlay::None, Overlay::Form);
            }
            Outcome::drawn(vec![])
        }
        (Mode::Draft, Command::Discard) => {
            let Overlay::Drafts(forms) = &mut state.overlay else {
                return Outcome::default();
            };
            let key = forms.remove(0).draft_key();
            if forms.is_empty() {
                state.overlay = Overlay::None;
            }
            Outcome::drawn(vec![Effect::DeleteDraft(key)])
        }
        (Mode::Draft, Command::Cancel) => {
            state.overlay = Overlay::None;
            Outcome::drawn(vec![])
        }
        (Mode::Help, Command::Down | Command::Up) => {
            // The help's box shows the body less its borders: it stops at its last line.
            let lines = crate::app::help::lines(ctx.keymap, state.lang).len();
            let last = lines.saturating_sub(state.page.saturating_sub(1));
            if let Overlay::Help { scroll } = &mut state.overlay {
                let before = *scroll;
                *scroll = if command == Command::Down {
                    (*scroll + 1).min(last)
                } else {
                    scroll.saturating_sub(1)
                };
                if *scroll == before {
                    return Outcome::default();
                }
            }
            Outcome::drawn(vec![])
        }
        (Mode::Help, Command::Back) => {
            state.overlay = Overlay::None;
            Outcome::drawn(vec![])
        }
        _ => Outcome::default(),
    }
}
