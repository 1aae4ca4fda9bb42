//! Drawing: a pure function of `&State`, `&Theme` and `&Keymap`. No I/O, no clock, no
//! state changes. Layout for 80×24 and larger; smaller terminals get a message instead.

pub mod theme;

mod bars;
mod detail;
mod glance;
mod lock;
mod overlay;
mod roster;
mod table;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Paragraph;

use crate::app::keymap::Keymap;
use crate::app::state::State;
use theme::{Role, Theme};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn render(frame: &mut Frame, state: &State, theme: &Theme, keymap: &Keymap) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = state.lang.pick(
            "Cửa sổ quá nhỏ: cần ít nhất 80×24 ký tự.",
            "Terminal too small: at least 80×24 is needed.",
        );
        frame.render_widget(
            Paragraph::new(text).style(theme.style(Role::StatusError)),
            area,
        );
        return;
    }
    if state.lock.locked {
        lock::render(frame, area, state, theme);
        return;
    }
    let [top, duty, body, hint, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    bars::title(frame, top, state, theme);
    bars::duty(frame, duty, state, theme);
    match (&state.roster, state.details.last()) {
        (Some(page), _) => roster::render(frame, body, page, state.lang, theme),
        (None, Some(detail)) => detail::render(frame, body, detail, state.lang, theme),
        (None, None) if state.view == crate::app::views::View::Glance => {
            let [rows, beside] =
                Layout::vertical([Constraint::Min(3), Constraint::Length(glance::HEIGHT)])
                    .areas(body);
            table::render(frame, rows, state, theme);
            glance::render(frame, beside, state, theme);
        }
        (None, None) => table::render(frame, body, state, theme),
    }
    bars::hint(frame, hint, state, theme, keymap);
    bars::status(frame, status, state, theme, keymap);
    overlay::render(frame, body, state, theme, keymap);
}

/// A centred box of at most `width`×`height` inside `area`.
pub(crate) fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}
