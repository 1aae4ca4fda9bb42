//! The lock screen: the product's name, that the session is locked, the PIN as dots, why
//! the last try failed. Drawn instead of everything else, from nothing but the lock state,
//! so no record can show while the session is locked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::app::state::State;

use super::theme::{Role, Theme};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let p = |vi: &'static str, en: &'static str| state.lang.pick(vi, en);
    frame.render_widget(Paragraph::new("").style(theme.style(Role::Base)), area);
    let dots: String = "●".repeat(state.lock.pin.chars().count());
    let mut lines = vec![
        Line::styled(
            p(
                "trucban — phiên làm việc đã khoá",
                "trucban — session locked",
            ),
            theme.style(Role::Title),
        ),
        Line::raw(""),
        Line::styled(
            p(
                "Không có thao tác trong thời gian quy định: màn hình đã khoá.",
                "No key for the idle time: the screen is locked.",
            ),
            theme.style(Role::Base),
        ),
        Line::raw(""),
        Line::styled(
            format!(
                "{} {dots}",
                p("Nhập mã PIN rồi Enter:", "Type your PIN, then Enter:")
            ),
            theme.style(Role::FormLabel),
        ),
    ];
    if let Some(message) = &state.lock.message {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            crate::domain::text::display_safe(message).into_owned(),
            theme.style(Role::StatusError),
        ));
    }
    let height = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let box_area = super::centred(area, 70, height);
    frame.render_widget(Paragraph::new(lines), box_area);
}
