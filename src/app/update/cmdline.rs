//! The command line (`:`): editing, completion and history, and what each command does
//! once entered — switch view, open the report on a period, search, sign the handover,
//! write or correct a duty-log line.

use crate::app::cmdline::{self, Parsed};
use crate::app::command::Command;
use crate::app::forms::{Form, Submission};
use crate::app::log_line;
use crate::app::messages::{Ctx, Effect, Outcome};
use crate::app::state::{Overlay, State, Status};
use crate::app::views::View;
use crate::i18n::Lang;

use super::search::open_search;
use super::table::switch_view;

pub(super) fn command_line(state: &mut State, command: Command, ctx: &Ctx) -> Outcome {
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
                Parsed::Report(args) => match crate::app::period::parse_period(&args, state.lang) {
                    Ok(period) => {
                        state.report = Some(period);
                        switch_view(state, View::Report, ctx.now)
                    }
                    Err(text) => {
                        state.status = Some(Status { text, error: true });
                        Outcome::drawn(vec![])
                    }
                },
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
                    state.overlay = Overlay::Form(Form::handover(shift, state.officer, state.lang));
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

/// The command line opened with `text` typed, ready to edit.
pub(super) fn command_with(state: &mut State, text: String) -> Outcome {
    state.overlay = Overlay::Command {
        text,
        history_at: None,
        candidates: Vec::new(),
    };
    Outcome::drawn(vec![])
}

/// The text of the log entry on screen (its detail, or the selected row).
pub(super) fn logged_text(state: &State) -> Option<String> {
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
        text.trim_start_matches(log_line::CORRECTION_MARK)
            .to_string(),
    )
}

/// Sends a duty-log entry from the command line, or says why not.
pub(super) fn write_log(
    state: &mut State,
    entry: Result<crate::domain::DutyLogEntry, String>,
) -> Outcome {
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
