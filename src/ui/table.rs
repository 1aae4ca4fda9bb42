//! The table of the current view. With `selection_marker` themes the selected row is shown
//! by a marker column alone (one cell changes per move on a slow link); otherwise the row is
//! also styled.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, HighlightSpacing, Row, Table, TableState};

use crate::app::state::State;
use crate::app::table::Tone;
use crate::app::views::View;
use crate::i18n::Lang;

use super::theme::{Role, Theme};

pub fn tone_role(tone: Tone) -> Role {
    match tone {
        Tone::Normal => Role::Base,
        Tone::Muted => Role::Muted,
        Tone::Ok => Role::Ok,
        Tone::Warning => Role::AlertWarning,
        Tone::Danger => Role::AlertDanger,
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let columns = state.view.columns();
    let sort_mark = |i: usize| match state.table.sort {
        Some((c, false)) if c == i => " ▲",
        Some((c, true)) if c == i => " ▼",
        _ => "",
    };
    let header = Row::new(columns.iter().enumerate().map(|(i, c)| {
        let title = match state.lang {
            Lang::Vi => c.vi,
            Lang::En => c.en,
        };
        Cell::from(format!("{title}{}", sort_mark(i)))
    }))
    .style(theme.style(Role::Header));
    let widths: Vec<Constraint> = columns
        .iter()
        .map(|c| {
            if c.width == 0 {
                Constraint::Min(8)
            } else {
                Constraint::Length(c.width)
            }
        })
        .collect();
    // What each cell holds, so that a cut text ends in `…` (`under investiga` reads as a
    // word): the fixed columns' widths, and what is left for the one that takes the rest
    // (after the `▶ ` marker and a space between columns).
    let fixed: usize = columns.iter().map(|c| usize::from(c.width)).sum();
    let flexible = columns.iter().filter(|c| c.width == 0).count().max(1);
    let rest = usize::from(area.width).saturating_sub(2 + fixed + columns.len().saturating_sub(1))
        / flexible;
    let cell_widths: Vec<usize> = columns
        .iter()
        .map(|c| match c.width {
            0 => rest.max(8),
            w => usize::from(w),
        })
        .collect();
    // Only the rows that fit are built: a 1,000,000-row table costs what a page costs.
    // Below the header (the status line above it stands where a border was).
    let height = usize::from(area.height.saturating_sub(1)).max(1);
    // Scroll a page at a time: scrolling by one row re-sends every row over the link
    // (about 1.8 KB at 80×24); turning the page sends it once per page instead. The last
    // page ends at the last row, so the screen is never mostly blank below a few rows (after
    // a save moved the selected record to the end, say).
    let offset = (state.table.selected / height * height)
        .min(state.table.shown.len().saturating_sub(height));
    let rows = state
        .table
        .shown
        .iter()
        .skip(offset)
        .take(height)
        .map(|&i| {
            Row::new(
                state.table.rows[i]
                    .cells
                    .iter()
                    .zip(&cell_widths)
                    .map(|(c, &w)| {
                        Cell::from(Span::styled(
                            crate::domain::text::cut(&c.text, w),
                            theme.style(tone_role(c.tone)),
                        ))
                    }),
            )
        });
    let mut table = Table::new(rows, widths)
        .header(header)
        .style(theme.style(Role::Base))
        .highlight_symbol("▶ ")
        // The marker column is kept when nothing is selected too, so the columns do not
        // shift (and re-send the header) when the first rows arrive after the opening frame.
        .highlight_spacing(HighlightSpacing::Always)
        .column_spacing(1);
    // The selection colours the ID cell only (with the ▶ marker): a full-row highlight
    // re-sends two whole rows per move (≈350 bytes at 80×24 against ≈125).
    if !theme.selection_marker {
        table = table.cell_highlight_style(theme.style(Role::Selection));
    }
    let mut table_state = TableState::new()
        .with_selected((!state.table.shown.is_empty()).then_some(state.table.selected - offset))
        .with_selected_column((!theme.selection_marker).then_some(0));
    if state.table.loaded && state.table.shown.is_empty() {
        let empty = if state.table.rows.is_empty() {
            match state.view {
                View::LateDeclarations => state.lang.pick(
                    "(không có khách khai báo muộn hay chưa khai báo)",
                    "(no late or undeclared guests)",
                ),
                View::ToInspect => state
                    .lang
                    .pick("(chưa có cơ sở lưu trú)", "(no establishments)"),
                _ => state.lang.pick("(chưa có hồ sơ)", "(no records)"),
            }
        } else {
            state
                .lang
                .pick("(không có dòng khớp bộ lọc)", "(no row matches the filter)")
        };
        table = table
            .footer(Row::new([Cell::from(""), Cell::from(empty)]).style(theme.style(Role::Muted)));
    }
    frame.render_stateful_widget(table, area, &mut table_state);
    // A view that could not be loaded is never shown as an empty one: under its header,
    // across the width, what is missing and why.
    if !state.table.loaded && (state.link_lost || state.store_away.is_some()) {
        let unknown = if state.link_lost {
            state.lang.pick(
                "  (chưa tải được: mất kết nối máy chủ)",
                "  (not loaded: the link to the server is lost)",
            )
        } else {
            state.lang.pick(
                "  (chưa tải được: cơ sở dữ liệu không trả lời)",
                "  (not loaded: the database does not answer)",
            )
        };
        let below_header = 1;
        if area.height > below_header {
            let line = Rect {
                y: area.y + below_header,
                height: 1,
                ..area
            };
            frame.render_widget(
                ratatui::widgets::Paragraph::new(unknown).style(theme.style(Role::StatusError)),
                line,
            );
        }
    }
}
