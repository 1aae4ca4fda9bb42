//! The pure core: `update(state, action, ctx)` ⇒ effects. No I/O and no clock (the time is
//! `ctx.now`); tested as "state + keys ⇒ state + effects".

use crate::domain::{Instant, RecordId};
use crate::i18n::Lang;

use super::cmdline::{self, Parsed};
use super::command::Command;
use super::forms::{Form, Submission};
use super::keymap::{Keymap, Mode, Resolved};
use super::keys::KeyPress;
use super::log_line;
use super::search_box::{self, SearchBox};
use super::state::{Detail, Overlay, State, Status};
use super::table::Row;
use super::views::View;

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
    DetailLoaded(Detail),
    Saved {
        message: String,
    },
    SaveFailed(String),
    Failed(String),
    Resized {
        height: u16,
    },
    DraftsFound(Vec<Form>),
    /// The service's hits for a search box query.
    SearchResults {
        query: String,
        hits: Vec<crate::search::Hit>,
    },
    /// The service cannot search yet (its index is loading).
    SearchNotReady {
        query: String,
    },
    /// Time passed while something waits (see [`State::waiting`]), or the idle time of the
    /// session lock ran out.
    Tick,
    /// A campaign's roster for the roster page (opened, or reloaded after an edit).
    RosterLoaded(Box<super::roster_page::RosterData>),
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
    Pushed(crate::service::Pushed),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    Load(View),
    LoadDetail(RecordId),
    Submit {
        submission: Submission,
        draft: String,
    },
    SaveDraft(Form),
    DeleteDraft(String),
    /// Search every collection for `query`; at most `limit` hits.
    Search {
        query: String,
        limit: usize,
    },
    /// Load a campaign's roster for the roster page.
    LoadRoster(RecordId),
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
    pub(super) fn drawn(effects: Vec<Effect>) -> Outcome {
        Outcome {
            effects,
            redraw: true,
        }
    }
}

/// Rows above and below the table body: title, header, hint and status lines.
pub const CHROME_ROWS: u16 = 5;

pub fn update(state: &mut State, action: Action, ctx: &Ctx) -> Outcome {
    if let Action::Tick = action
        && let Some(locking) = super::lock::lock_if_due(state, ctx.now)
    {
        return locking;
    }
    if let Action::LockedByService = action
        && !state.lock.locked
    {
        return super::lock::locked_by_service(state);
    }
    if state.lock.locked {
        // Nothing but the PIN while locked; answers that arrive late are dropped.
        return match action {
            Action::Key(pressed) => super::lock::on_key(state, pressed),
            Action::Unlocked => super::lock::unlocked(state, ctx.now),
            Action::UnlockFailed(message) => super::lock::unlock_failed(state, message),
            Action::Resized { height } => {
                state.page = usize::from(height.saturating_sub(CHROME_ROWS)).max(1);
                Outcome::drawn(vec![])
            }
            _ => Outcome::default(),
        };
    }
    match action {
        Action::Key(pressed) => {
            super::lock::touched(state, ctx.now);
            on_key(state, pressed, ctx)
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
            match state.details.last_mut() {
                Some(top) if top.id == detail.id => {
                    let selected = top.selected.min(detail.links.len().saturating_sub(1));
                    *top = Detail { selected, ..detail };
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
            state.overlay = Overlay::None;
            state.status = Some(Status {
                text: message,
                error: false,
            });
            let mut effects = vec![Effect::Load(state.view)];
            effects.extend(state.details.last().map(|d| Effect::LoadDetail(d.id)));
            effects.extend(
                state
                    .roster
                    .as_ref()
                    .map(|page| Effect::LoadRoster(page.data.campaign_id)),
            );
            Outcome::drawn(effects)
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
            Overlay::Search(search) if search.waiting => search_request(state),
            // The countdown moves: reload what shows it (the table keeps its selection).
            _ if state.counting_down() => Outcome {
                effects: vec![match state.details.last() {
                    Some(detail) => Effect::LoadDetail(detail.id),
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
                    state.roster = Some(super::roster_page::RosterPage::new(*data, ctx.now));
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
        Action::Pushed(change) => super::pushed::on_pushed(state, &change),
        Action::DraftsFound(forms) => {
            if !forms.is_empty() && state.overlay == Overlay::None {
                state.overlay = Overlay::Drafts(forms);
            }
            Outcome::drawn(vec![])
        }
    }
}

fn on_key(state: &mut State, key: KeyPress, ctx: &Ctx) -> Outcome {
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

fn type_char(state: &mut State, c: char) -> Outcome {
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

/// Opens the search box, searching at once for `query` if it is not empty.
fn open_search(state: &mut State, query: String) -> Outcome {
    state.overlay = Overlay::Search(SearchBox::new(query));
    search_request(state)
}

/// Asks the service for the search box's query: as many hits as there are rows to show
/// them (the box fills the body; one row is the query line).
fn search_request(state: &mut State) -> Outcome {
    let limit = state.page.saturating_sub(1).max(1);
    let Overlay::Search(search) = &mut state.overlay else {
        return Outcome::default();
    };
    if search.query.trim().is_empty() {
        search.hits.clear();
        search.selected = 0;
        return Outcome::drawn(vec![]);
    }
    Outcome::drawn(vec![Effect::Search {
        query: search.query.clone(),
        limit,
    }])
}

fn search_keys(state: &mut State, command: Command) -> Outcome {
    let lang = state.lang;
    let Overlay::Search(search) = &mut state.overlay else {
        return Outcome::default();
    };
    match command {
        Command::Cancel => {
            state.overlay = Overlay::None;
            Outcome::drawn(vec![])
        }
        Command::Delete => {
            search.query.pop();
            search.recall_at = None;
            search_request(state)
        }
        Command::Down => {
            let last = search.hits.len().saturating_sub(1);
            let before = search.selected;
            search.selected = (search.selected + 1).min(last);
            Outcome {
                effects: vec![],
                redraw: search.selected != before,
            }
        }
        Command::Up => {
            // On an empty box (or at the top of a recalled query's hits) Up walks back
            // through the recent queries, newest first.
            let recalling =
                search.query.is_empty() || (search.recall_at.is_some() && search.selected == 0);
            let history = &state.search_history;
            if recalling && !history.is_empty() {
                let at = search
                    .recall_at
                    .map_or(0, |i| (i + 1).min(history.len() - 1));
                if search.recall_at == Some(at) {
                    return Outcome::default();
                }
                search.recall_at = Some(at);
                search.query = history[at].clone();
                return search_request(state);
            }
            let before = search.selected;
            search.selected = search.selected.saturating_sub(1);
            Outcome {
                effects: vec![],
                redraw: search.selected != before,
            }
        }
        Command::Open | Command::Accept => {
            let query = search.query.clone();
            let chosen = search.selected_hit().map(|hit| hit.id.clone());
            search_box::remember(&mut state.search_history, &query);
            match chosen {
                Some(text) => match text.parse::<RecordId>() {
                    Ok(id) => {
                        state.overlay = Overlay::None;
                        Outcome::drawn(vec![Effect::LoadDetail(id)])
                    }
                    Err(e) => {
                        state.status = Some(Status {
                            text: crate::domain::text::display_safe(&e.to_string()).into_owned(),
                            error: true,
                        });
                        Outcome::drawn(vec![])
                    }
                },
                None if query.trim().is_empty() => Outcome::default(),
                None => {
                    state.status = Some(Status {
                        text: lang
                            .pick("Không tìm thấy hồ sơ nào", "No record found")
                            .into(),
                        error: true,
                    });
                    Outcome::drawn(vec![])
                }
            }
        }
        _ => Outcome::default(),
    }
}

fn switch_view(state: &mut State, view: View, now: Instant) -> Outcome {
    if view == View::Report && state.report.is_none() {
        let today = crate::domain::time::local_date(now);
        state.report = Some(crate::domain::report::Period::half_year_to(today));
    }
    state.view = view;
    state.roster = None;
    state.table = Default::default();
    state.details.clear();
    state.overlay = Overlay::None;
    Outcome::drawn(vec![Effect::Load(view)])
}

fn open_form(state: &mut State, ctx: &Ctx) -> Outcome {
    let target = match state.details.last() {
        Some(detail) => Some((detail.id, detail.crumb.clone())),
        None => state.table.selected_id().map(|id| {
            let title = state
                .table
                .shown
                .get(state.table.selected)
                .and_then(|&i| state.table.rows[i].cells.get(1))
                .map(|c| c.text.clone())
                .unwrap_or_default();
            (id, title)
        }),
    };
    let Some((id, title)) = target else {
        return Outcome::default();
    };
    if id.kind() == crate::domain::Kind::DutyLog {
        // Entries are never edited: the correction is a new entry, its line pre-filled.
        let text = logged_text(state).unwrap_or_default();
        return command_with(state, log_line::correction_line(id, &text));
    }
    match Form::for_record(id.kind(), id, &title, state.officer, ctx.now) {
        Some(form) => {
            state.overlay = Overlay::Form(form);
            Outcome::drawn(vec![])
        }
        None => {
            state.status = Some(Status {
                text: state
                    .lang
                    .pick(
                        "Không có thao tác cho loại hồ sơ này",
                        "Nothing to do on this kind of record",
                    )
                    .into(),
                error: true,
            });
            Outcome::drawn(vec![])
        }
    }
}

/// The command line opened with `text` typed, ready to edit.
fn command_with(state: &mut State, text: String) -> Outcome {
    state.overlay = Overlay::Command {
        text,
        history_at: None,
        candidates: Vec::new(),
    };
    Outcome::drawn(vec![])
}

/// The text of the log entry on screen (its detail, or the selected row).
fn logged_text(state: &State) -> Option<String> {
    let entry_label = state.lang.pick("Nội dung", "Entry");
    let text = match state.details.last() {
        Some(detail) => detail
            .fields
            .iter()
            .find(|(label, _, _)| label == entry_label)
            .map(|(_, value, _)| value.clone()),
        None => state
            .table
            .selected_row()
            .and_then(|row| row.cells.get(2))
            .map(|cell| cell.text.clone()),
    }?;
    Some(
        text.trim_start_matches(crate::app::present::CORRECTION_MARK)
            .to_string(),
    )
}

/// Sends a duty-log entry from the command line, or says why not.
fn write_log(state: &mut State, entry: Result<crate::domain::DutyLogEntry, String>) -> Outcome {
    match entry {
        Ok(entry) => {
            state.status = Some(Status {
                text: state.lang.pick("Đang lưu…", "Saving…").into(),
                error: false,
            });
            Outcome::drawn(vec![Effect::Submit {
                submission: Submission::LogEntry(entry),
                draft: String::new(),
            }])
        }
        Err(message) => {
            state.status = Some(Status {
                text: message,
                error: true,
            });
            Outcome::drawn(vec![])
        }
    }
}

/// `n`: a new record in the views that take one (a tip; a duty-log line).
fn new_record(state: &mut State, ctx: &Ctx) -> Outcome {
    match state.view {
        View::Tips => {
            state.overlay = Overlay::Form(Form::new_tip(state.officer, ctx.now));
            Outcome::drawn(vec![])
        }
        View::Log => command_with(state, "ghi ".into()),
        _ => {
            state.status = Some(Status {
                text: state
                    .lang
                    .pick(
                        "Màn hình này không thêm mới được (n: trong Tin báo, Nhật ký)",
                        "Nothing to add in this view (n works in Tips and the duty log)",
                    )
                    .into(),
                error: true,
            });
            Outcome::drawn(vec![])
        }
    }
}

fn run(state: &mut State, mode: Mode, command: Command, ctx: &Ctx) -> Outcome {
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
        // The report's rows are figures, not records.
        (Mode::Table, Command::Open | Command::Act) if state.view == View::Report => {
            Outcome::default()
        }
        (Mode::Table | Mode::Detail, Command::Act) => open_form(state, ctx),
        (Mode::Table | Mode::Detail, Command::Search) => open_search(state, String::new()),
        (Mode::Search, _) => search_keys(state, command),
        (Mode::Table | Mode::Detail, Command::Roster) => super::roster_page::open(state),
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
        (Mode::Roster, _) => super::roster_page::keys(state, command, ctx),
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
        (Mode::Table, Command::PrevPeriod | Command::NextPeriod) => step_period(state, command),
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
                }
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
            if let Overlay::Help { scroll } = &mut state.overlay {
                *scroll = if command == Command::Down {
                    *scroll + 1
                } else {
                    scroll.saturating_sub(1)
                };
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

/// `[` / `]` in the report: the period of the same length just before or after.
fn step_period(state: &mut State, command: Command) -> Outcome {
    match (state.view, state.report) {
        (View::Report, Some(period)) => {
            state.report = Some(if command == Command::PrevPeriod {
                period.previous()
            } else {
                period.next()
            });
            Outcome::drawn(vec![Effect::Load(View::Report)])
        }
        _ => {
            state.status = Some(Status {
                text: state
                    .lang
                    .pick(
                        "[ và ] đổi kỳ trong màn Báo cáo (:baocao)",
                        "[ and ] change the period in the report (:report)",
                    )
                    .into(),
                error: true,
            });
            Outcome::drawn(vec![])
        }
    }
}

fn table_move(state: &mut State, delta: isize) -> Outcome {
    let before = state.table.selected;
    state.table.move_by(delta);
    Outcome {
        effects: vec![],
        redraw: state.table.selected != before,
    }
}

fn command_line(state: &mut State, command: Command, ctx: &Ctx) -> Outcome {
    let Overlay::Command {
        text,
        history_at,
        candidates,
    } = &mut state.overlay
    else {
        return Outcome::default();
    };
    match command {
        Command::Delete => {
            text.pop();
        }
        Command::Cancel => state.overlay = Overlay::None,
        Command::Complete => {
            let (completed, found) = cmdline::complete(text);
            *text = completed;
            *candidates = found.iter().map(|s| s.to_string()).collect();
        }
        Command::HistoryPrev | Command::HistoryNext => {
            if state.history.is_empty() {
                return Outcome::default();
            }
            let last = state.history.len() - 1;
            let at = match (command, *history_at) {
                (Command::HistoryPrev, None) => last,
                (Command::HistoryPrev, Some(i)) => i.saturating_sub(1),
                (_, None) => return Outcome::default(),
                (_, Some(i)) => (i + 1).min(last),
            };
            *history_at = Some(at);
            *text = state.history[at].clone();
        }
        Command::Accept => {
            let entered = text.trim().to_string();
            state.overlay = Overlay::None;
            if entered.is_empty() {
                return Outcome::drawn(vec![]);
            }
            if state.history.last() != Some(&entered) {
                state.history.push(entered.clone());
            }
            return match cmdline::parse(&entered) {
                Parsed::Go(view) => {
                    if view == View::Report {
                        // `:baocao` alone starts again from the half-year to date.
                        state.report = None;
                    }
                    switch_view(state, view, ctx.now)
                }
                Parsed::Report(args) => {
                    match super::present_report::parse_period(&args, state.lang) {
                        Ok(period) => {
                            state.report = Some(period);
                            switch_view(state, View::Report, ctx.now)
                        }
                        Err(text) => {
                            state.status = Some(Status { text, error: true });
                            Outcome::drawn(vec![])
                        }
                    }
                }
                Parsed::Quit => {
                    state.quit = true;
                    Outcome::drawn(vec![Effect::Quit])
                }
                Parsed::Help => {
                    state.overlay = Overlay::Help { scroll: 0 };
                    Outcome::drawn(vec![])
                }
                Parsed::Search(query) => open_search(state, query),
                Parsed::SignHandover => {
                    let shift = state.shifts.shift_at(ctx.now);
                    state.overlay = Overlay::Form(Form::handover(shift, state.officer));
                    Outcome::drawn(vec![])
                }
                Parsed::Log(line) => {
                    let open = state.details.last().map(|d| d.id);
                    let entry =
                        log_line::log_entry(&line, open, state.officer, ctx.now, state.lang);
                    write_log(state, entry)
                }
                Parsed::Correct(line) => {
                    let entry = log_line::correction(&line, state.officer, ctx.now, state.lang);
                    write_log(state, entry)
                }
                Parsed::Unknown(word) => {
                    let text = match state.lang {
                        Lang::Vi => format!("Không có lệnh :{word} (Tab để gợi ý)"),
                        Lang::En => format!("No command :{word} (Tab completes)"),
                    };
                    state.status = Some(Status {
                        text: crate::domain::text::display_safe(&text).into_owned(),
                        error: true,
                    });
                    Outcome::drawn(vec![])
                }
            };
        }
        _ => return Outcome::default(),
    }
    Outcome::drawn(vec![])
}

fn form(state: &mut State, command: Command, lang: Lang) -> Outcome {
    let Overlay::Form(form) = &mut state.overlay else {
        return Outcome::default();
    };
    let edited = match command {
        Command::NextField => {
            form.move_focus(1);
            false
        }
        Command::PrevField => {
            form.move_focus(-1);
            false
        }
        Command::ChoiceNext => {
            form.cycle_choice(1);
            true
        }
        Command::ChoicePrev => {
            form.cycle_choice(-1);
            true
        }
        Command::Delete => {
            form.delete_char();
            true
        }
        Command::Cancel => {
            state.overlay = Overlay::None;
            state.status = Some(Status {
                text: lang
                    .pick(
                        "Đã đóng biểu mẫu; bản nháp được giữ",
                        "Form closed; the draft is kept",
                    )
                    .into(),
                error: false,
            });
            return Outcome::drawn(vec![]);
        }
        Command::Accept => {
            match form.validate(lang) {
                Ok(_) => {
                    form.errors.clear();
                    state.overlay = Overlay::Confirm(form.clone());
                }
                Err(errors) => {
                    form.focus = errors.first().map_or(form.focus, |(i, _)| *i);
                    form.errors = errors;
                    state.status = Some(Status {
                        text: lang
                            .pick(
                                "Biểu mẫu còn lỗi: xem các ô được đánh dấu",
                                "The form has errors: see the marked fields",
                            )
                            .into(),
                        error: true,
                    });
                }
            }
            return Outcome::drawn(vec![]);
        }
        _ => return Outcome::default(),
    };
    let effects = if edited {
        vec![Effect::SaveDraft(form.draftable())]
    } else {
        vec![]
    };
    Outcome::drawn(effects)
}
