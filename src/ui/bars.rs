//! The title bar (breadcrumbs), the hint bar (keys that work here, from the keymap) and the
//! status line (messages, or the `/` filter and `:` command being typed).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::app::command::Command;
use crate::app::keymap::{Keymap, Mode};
use crate::app::state::{Overlay, State};
use crate::domain::text::{cut, display_safe};
use crate::i18n::Lang;

use super::theme::{Role, Theme};

pub fn title(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    // The link to the daemon (or its store) lost: said first, in words and a glyph, over the breadcrumbs.
    let where_or_banner = if let Some(why) = &state.link_refused {
        let room = usize::from(area.width).saturating_sub(10);
        let said = format!(
            "{} {}",
            state.lang.pick("⚠ Máy chủ từ chối:", "⚠ Server refuses:"),
            display_safe(why)
        );
        Span::styled(
            cut(&said, room).into_owned(),
            theme.style(Role::StatusError),
        )
    } else if state.link_lost {
        Span::styled(
            state.lang.pick(
                "⚠ Mất kết nối máy chủ: màn hình có thể đã cũ, đang kết nối lại…",
                "⚠ Link to the server lost: screen may be stale, reconnecting…",
            ),
            theme.style(Role::StatusError),
        )
    } else if state.store_away.is_some() {
        let room = usize::from(area.width).saturating_sub(10);
        let said = state.lang.pick(
            "⚠ Mất kết nối cơ sở dữ liệu: màn hình có thể đã cũ, đang kết nối lại…",
            "⚠ The database does not answer: screen may be stale, reconnecting…",
        );
        Span::styled(cut(said, room).into_owned(), theme.style(Role::StatusError))
    } else {
        // "trucban │ " takes 10 columns; a long trail is cut with `…`, never mid-word silently.
        let room = usize::from(area.width).saturating_sub(10);
        Span::styled(
            cut(&state.breadcrumbs(), room).into_owned(),
            theme.style(Role::Breadcrumb),
        )
    };
    let line = Line::from(vec![
        Span::styled("trucban │ ", theme.style(Role::Title)),
        where_or_banner,
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.style(Role::Title)), area);
}

/// The status line under the title (see [`crate::app::duty_line`]): plain text, the
/// counts in their tone; cut with `…` from the end (the officer goes first) at 80 columns.
pub fn duty(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let mut room = usize::from(area.width);
    let mut spans = Vec::new();
    for (i, (text, tone)) in crate::app::duty_line::parts(state).into_iter().enumerate() {
        if i > 0 {
            let separator = crate::app::duty_line::SEPARATOR;
            if room <= separator.width() {
                break;
            }
            room -= separator.width();
            spans.push(Span::styled(separator, theme.style(Role::Muted)));
        }
        let text = cut(&text, room).into_owned();
        room = room.saturating_sub(text.width());
        spans.push(Span::styled(
            text,
            theme.style(super::table::tone_role(tone)),
        ));
        if room == 0 {
            break;
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Columns kept at the right of the hint bar for the table's row count, whether or not it
/// is known yet: the hints then sit in the same place in the frame drawn while the store
/// opens and in the loaded one, and are not sent twice.
const COUNT_ROOM: usize = 12;

pub fn hint(frame: &mut Frame, area: Rect, state: &State, theme: &Theme, keymap: &Keymap) {
    // The table's position ("  9/300", fixed width: "9/300" → "10/300" would shift and so
    // re-send it), right-aligned, in the base style: a move then changes a digit or two and
    // no colour. No count before the rows are loaded: "0/0" would read as an empty view.
    let table_shown = state.details.is_empty()
        && state.roster.is_none()
        && matches!(state.overlay, Overlay::None | Overlay::Filter);
    let count = if table_shown && state.table.loaded {
        let shown = if state.table.shown.is_empty() {
            0
        } else {
            state.table.selected + 1
        };
        let total = state.table.shown.len();
        let width = total.to_string().len();
        if state.table.shown.len() == state.table.rows.len() {
            format!(" {shown:>width$}/{total}")
        } else {
            format!(
                " {shown:>width$}/{total} ({} {})",
                state.lang.pick("lọc từ", "of"),
                state.table.rows.len()
            )
        }
    } else {
        String::new()
    };
    let count_room = if table_shown {
        count.width().max(COUNT_ROOM)
    } else {
        0
    };
    // Every hint the mode has, as (key, " description  ", always shown).
    let mut hints: Vec<(String, String, bool)> = keymap
        .bindings(state.mode())
        .iter()
        .filter(|b| b.hint)
        .map(|binding| {
            let key = binding
                .keys
                .first()
                .map(|k| crate::app::keys::chord_text(k))
                .unwrap_or_default();
            let desc = binding
                .desc(state.lang)
                .split(" (")
                .next()
                .unwrap_or_default();
            let pinned = matches!(
                binding.command,
                Command::CommandLine | Command::Help | Command::Quit
            );
            (key, format!(" {desc}  "), pinned)
        })
        .collect();
    // At 80 columns not every hint fits: the command line, help and quit always show (they
    // lead to everything else), the others drop from the end.
    let room = usize::from(area.width).saturating_sub(count_room);
    let used = |hints: &[(String, String, bool)]| {
        hints
            .iter()
            .map(|(k, d, _)| k.width() + d.trim_end().width() + 2)
            .sum::<usize>()
    };
    while used(&hints) > room + 2 {
        match hints.iter().rposition(|(_, _, pinned)| !pinned) {
            Some(i) => {
                hints.remove(i);
            }
            None => break,
        }
    }
    let mut spans = Vec::new();
    for (key, desc, _) in hints {
        spans.push(Span::styled(key, theme.style(Role::HelpKey)));
        spans.push(Span::styled(desc, theme.style(Role::Hint)));
    }
    let room = u16::try_from(count_room)
        .unwrap_or(area.width)
        .min(area.width);
    let [hints_area, count_area] = ratatui::layout::Layout::horizontal([
        ratatui::layout::Constraint::Min(0),
        ratatui::layout::Constraint::Length(room),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme.style(Role::Hint)),
        hints_area,
    );
    frame.render_widget(
        Paragraph::new(count)
            .alignment(ratatui::layout::Alignment::Right)
            .style(theme.style(Role::Base)),
        count_area,
    );
}

pub fn status(frame: &mut Frame, area: Rect, state: &State, theme: &Theme, keymap: &Keymap) {
    // The selected row's note, on the table alone (a form or a detail has its own business).
    let row_note = state
        .table
        .selected_row()
        .and_then(|r| r.note.as_ref())
        .filter(|_| state.overlay == Overlay::None);
    let (text, role) = match &state.overlay {
        Overlay::Filter => (format!("/{}", state.table.filter), Role::Status),
        Overlay::Command {
            text, candidates, ..
        } if !candidates.is_empty() && candidates.len() > 1 => {
            (format!(":{text}   {}", candidates.join(" ")), Role::Status)
        }
        Overlay::Command { text, .. } => (format!(":{text}"), Role::Status),
        _ => match &state.status {
            Some(s) if s.error => (s.text.clone(), Role::StatusError),
            Some(s) => (s.text.clone(), Role::Status),
            None if state.opening => (
                state
                    .lang
                    .pick("Đang mở kho dữ liệu…", "Opening the store…")
                    .to_string(),
                Role::Status,
            ),
            None if state.details.is_empty() && row_note.is_some() => {
                (row_note.cloned().unwrap_or_default(), Role::Status)
            }
            None if state.details.is_empty() && state.table.capped() => {
                (capped_note(state, keymap), Role::Status)
            }
            None => (String::new(), Role::Status),
        },
    };
    frame.render_widget(
        Paragraph::new(cut(&display_safe(&text), usize::from(area.width)).into_owned())
            .style(theme.style(role)),
        area,
    );
}

/// "Showing the newest 5,000 of 1,000,000 — search (<C-p>) finds the rest", with the key
/// the keymap gives to search.
fn capped_note(state: &State, keymap: &Keymap) -> String {
    let lang = state.lang;
    let key = keymap
        .bindings(Mode::Table)
        .iter()
        .find(|b| b.command == Command::Search)
        .and_then(|b| b.keys.first())
        .map(|k| crate::app::keys::chord_text(k))
        .unwrap_or_else(|| lang.pick(":tim", ":find").to_string());
    let shown = lang.number(state.table.rows.len());
    let total = lang.number(state.table.total);
    match lang {
        Lang::Vi => {
            format!(
                "Hiện {shown} hồ sơ mới nhất trong số {total} — tìm ({key}) để xem phần còn lại"
            )
        }
        Lang::En => {
            format!("Showing the newest {shown} of {total} — search ({key}) finds the rest")
        }
    }
}
