//! Drawing: a pure function of the state. Layout for 80×24 and larger; smaller terminals
//! get a message instead of a broken layout.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Row as TableRow, Table, TableState};

use crate::app::state::{State, VIEWS};
use crate::domain::Kind;
use crate::i18n::Lang;

pub fn view_name(kind: Kind, lang: Lang) -> &'static str {
    match kind {
        Kind::Wanted => lang.pick("Truy nã", "Wanted"),
        Kind::Group => lang.pick("Băng nhóm", "Groups"),
        Kind::WatchEntry => lang.pick("Lưu động", "Watchlists"),
        Kind::Sighting => lang.pick("Phát hiện", "Sightings"),
        Kind::Establishment => lang.pick("Cơ sở lưu trú", "Lodging"),
        Kind::GuestStay => lang.pick("Khách lưu trú", "Guests"),
        Kind::Inspection => lang.pick("Kiểm tra", "Inspections"),
        Kind::Campaign => lang.pick("Cao điểm", "Campaigns"),
        Kind::DutyLog => lang.pick("Nhật ký", "Duty log"),
        _ => kind.name(),
    }
}

pub fn render(frame: &mut Frame, state: &State) {
    let area = frame.area();
    if area.width < 80 || area.height < 24 {
        let text = state.lang.pick(
            "Cửa sổ quá nhỏ: cần ít nhất 80×24.",
            "Terminal too small: 80×24 needed.",
        );
        frame.render_widget(Paragraph::new(text), area);
        return;
    }
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    // One view name, not all nine: the full list overflows 80 columns.
    let next = VIEWS[(state.view + 1) % VIEWS.len()];
    let title = format!(
        "trucban │ {} ({}) │ Tab › {}",
        view_name(state.kind(), state.lang),
        state.rows.len(),
        view_name(next, state.lang)
    );
    frame.render_widget(Paragraph::new(title), header);

    let rows = state
        .rows
        .iter()
        .map(|r| TableRow::new(vec![r.id.clone(), r.title.clone(), r.note.clone()]));
    let table = Table::new(
        rows,
        [
            Constraint::Length(10),
            Constraint::Length(26),
            Constraint::Min(10),
        ],
    )
    .header(
        TableRow::new(vec![
            "ID",
            state.lang.pick("Tên", "Name"),
            state.lang.pick("Tình trạng", "Status"),
        ])
        .style(Style::new().add_modifier(Modifier::BOLD)),
    )
    .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
    .highlight_symbol("▶ ");
    let mut table_state =
        TableState::new().with_selected((!state.rows.is_empty()).then_some(state.selected));
    frame.render_stateful_widget(table, body, &mut table_state);

    let count = if state.rows.is_empty() {
        0
    } else {
        state.selected + 1
    };
    let hint = match &state.status {
        Some(message) => message.clone(),
        None => format!(
            "{}/{}  {}",
            count,
            state.rows.len(),
            state.lang.pick(
                "j/k: di chuyển · Tab: màn khác · g/G: đầu/cuối · q: thoát",
                "j/k: move · Tab: next view · g/G: first/last · q: quit"
            )
        ),
    };
    frame.render_widget(Paragraph::new(Line::from(hint)), footer);
}
