//! The roster page (see `app/roster_page.rs`): the day line, then a grid of posts × the two
//! shifts, one line per officer. Post names wrap within their column rather than being cut;
//! an officer's name is cut (with `…`) only past the column's width. The shift on duty now
//! is marked with `●` and drawn in the `ok` role; the selection by `▶` and the selection
//! role; the first officer of a swap by `⇄`; a post with nobody by "(trống)" / "(nobody)"
//! in the warning role.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::app::roster_page::{Cell, RosterPage};
use crate::domain::text::display_safe;
use crate::domain::time::clock;
use crate::domain::{AssignmentRole, Shift};
use crate::i18n::Lang;

use super::theme::{Role, Theme};
use crate::domain::text::fit;

const POST_WIDTH: usize = 20;
const SEPARATOR: &str = " │ ";

/// Words onto lines of at most `width` columns (a longer word is cut by [`fit`]).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn weekday(date: chrono::NaiveDate, lang: Lang) -> &'static str {
    let n = date.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Vi => [
            "Thứ Hai",
            "Thứ Ba",
            "Thứ Tư",
            "Thứ Năm",
            "Thứ Sáu",
            "Thứ Bảy",
            "Chủ nhật",
        ][n],
        Lang::En => [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ][n],
    }
}

pub fn render(frame: &mut Frame, area: Rect, page: &RosterPage, lang: Lang, theme: &Theme) {
    let width = usize::from(area.width);
    let column = (width.saturating_sub(POST_WIDTH + 2 * SEPARATOR.width())) / 2;
    let (n, total) = page.day_number();
    let on_duty = page.on_duty();
    let heading = format!(
        "{} {} · {} {n}/{total} · ",
        weekday(page.date, lang),
        lang.date(page.date),
        lang.pick("ngày", "day"),
    );
    // What the heading leaves goes to the campaign's name (less a margin, as before).
    let room = width.saturating_sub(heading.width() + 3);
    let mut lines: Vec<Line> = vec![Line::from(vec![
        Span::styled(heading, theme.style(Role::Header)),
        Span::styled(
            fit(&display_safe(&page.data.campaign_name), room)
                .trim_end()
                .to_string(),
            theme.style(Role::Muted),
        ),
    ])];
    let mut head = vec![Span::styled(
        fit(lang.pick("Chốt/tuyến", "Post"), POST_WIDTH),
        theme.style(Role::Header),
    )];
    for shift in [Shift::Day, Shift::Night] {
        let now = on_duty == Some((page.date, shift));
        let title = match page.shift(shift) {
            Some(s) => format!(
                "{}{} {}–{}",
                if now { "● " } else { "" },
                shift.label(lang),
                clock(s.start),
                clock(s.end)
            ),
            None => shift.label(lang).to_string(),
        };
        head.push(Span::styled(SEPARATOR, theme.style(Role::Border)));
        head.push(Span::styled(
            fit(&title, column),
            theme.style(if now { Role::Ok } else { Role::Header }),
        ));
    }
    lines.push(Line::from(head));
    let fixed = lines.len();

    let day = page.cells(Shift::Day);
    let night = page.cells(Shift::Night);
    let posts = page.shift(Shift::Day).map_or(0, |s| s.posts.len());
    let mut body: Vec<Line> = Vec::new();
    let mut selected_line = 0;
    for p in 0..posts {
        fn of<'a>(cells: &[Cell<'a>], p: usize) -> Vec<(usize, Cell<'a>)> {
            cells
                .iter()
                .copied()
                .enumerate()
                .filter(|(_, c)| c.post_index == p)
                .collect()
        }
        let (d, nt) = (of(&day, p), of(&night, p));
        let post = d.first().or(nt.first()).map_or("", |(_, c)| c.post);
        let name = wrap(&display_safe(post), POST_WIDTH);
        let rows = name.len().max(d.len()).max(nt.len());
        for r in 0..rows {
            let mut spans = vec![Span::styled(
                fit(name.get(r).map_or("", String::as_str), POST_WIDTH),
                theme.style(Role::FormLabel),
            )];
            for (shift, cells) in [(Shift::Day, &d), (Shift::Night, &nt)] {
                spans.push(Span::styled(SEPARATOR, theme.style(Role::Border)));
                let Some((index, cell)) = cells.get(r) else {
                    spans.push(Span::raw(" ".repeat(column)));
                    continue;
                };
                let selected = shift == page.column && *index == page.row;
                if selected {
                    selected_line = body.len();
                }
                let marked = cell
                    .slot
                    .is_some_and(|s| Some(s.assignment_id) == page.swap_from);
                let marker = match (selected, marked) {
                    (true, _) => "▶ ",
                    (false, true) => "⇄ ",
                    _ => "  ",
                };
                let (text, role) = match cell.slot {
                    Some(slot) => {
                        let leader = if slot.role == AssignmentRole::Leader {
                            "* "
                        } else {
                            "  "
                        };
                        let role = if on_duty == Some((page.date, shift)) {
                            Role::Ok
                        } else {
                            Role::Base
                        };
                        (format!("{leader}{}", display_safe(&slot.officer)), role)
                    }
                    None => (
                        format!("  {}", lang.pick("(trống)", "(nobody)")),
                        Role::AlertWarning,
                    ),
                };
                let role = if selected && !theme.selection_marker {
                    Role::Selection
                } else {
                    role
                };
                spans.push(Span::styled(
                    fit(&format!("{marker}{text}"), column),
                    theme.style(role),
                ));
            }
            body.push(Line::from(spans));
        }
    }
    let problems = page.day_problems();
    let legend = {
        let mut text = lang
            .pick(
                "* tổ trưởng · ● ca đang trực · ⇄ chọn để đổi",
                "* team leader · ● on duty now · ⇄ chosen to swap",
            )
            .to_string();
        if let Some(first) = problems.first() {
            text = match lang {
                Lang::Vi => format!(
                    "{} vấn đề trong ngày: {}",
                    problems.len(),
                    first.label(lang)
                ),
                Lang::En => format!(
                    "{} problem(s) this day: {}",
                    problems.len(),
                    first.label(lang)
                ),
            };
        }
        Line::from(Span::styled(
            fit(&display_safe(&text), width).trim_end().to_string(),
            theme.style(if problems.is_empty() {
                Role::Muted
            } else {
                Role::AlertWarning
            }),
        ))
    };
    // The grid scrolls only if a day holds more than the screen: keep the selection in it.
    let room = usize::from(area.height).saturating_sub(fixed + 1);
    let skip = (selected_line + 1).saturating_sub(room);
    lines.extend(body.into_iter().skip(skip).take(room));
    while lines.len() < usize::from(area.height).saturating_sub(1) {
        lines.push(Line::from(""));
    }
    lines.push(legend);
    frame.render_widget(Paragraph::new(lines).style(theme.style(Role::Base)), area);
}
