//! What "Shift at a glance" shows under its rows of work: who is on duty at which post,
//! last night's late declarations, the latest duty-log entries, and fourteen days of hits,
//! guests declared and late declarations as small charts (ratatui's `Sparkline`, one bar
//! a day, today at the right).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline};

use crate::app::state::State;
use crate::domain::glance::{Beside, DayCounts};
use crate::domain::text::{cut, display_safe};
use crate::i18n::Lang;

use super::theme::{Role, Theme};

/// Rows the part under the table takes: duty, night, three log entries, a chart's title
/// and its two rows.
pub const HEIGHT: u16 = 8;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(beside) = &state.glance else {
        return;
    };
    let lang = state.lang;
    let width = usize::from(area.width);
    let [duty, night_area, log, charts] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Length(3),
    ])
    .areas(area);
    let labelled = |label: &str, text: String| {
        let room = width.saturating_sub(label.chars().count() + 1);
        Line::from(vec![
            Span::styled(format!("{label} "), theme.style(Role::Header)),
            Span::styled(
                cut(&display_safe(&text), room).into_owned(),
                theme.style(Role::Base),
            ),
        ])
    };
    frame.render_widget(
        Paragraph::new(labelled(
            lang.pick("Trực ca:", "On duty:"),
            on_duty(beside, lang),
        )),
        duty,
    );
    frame.render_widget(
        Paragraph::new(labelled(&night_label(beside, lang), night(beside, lang))),
        night_area,
    );
    let entries: Vec<Line> = if beside.log.is_empty() {
        vec![Line::from(Span::styled(
            lang.pick("(nhật ký trực ban trống)", "(the duty log is empty)"),
            theme.style(Role::Muted),
        ))]
    } else {
        beside
            .log
            .iter()
            .map(|entry| {
                let at = format!("{} ", lang.day_time(entry.at));
                let room = width.saturating_sub(at.chars().count());
                Line::from(vec![
                    Span::styled(at, theme.style(Role::Muted)),
                    Span::styled(
                        cut(&display_safe(&entry.text), room).into_owned(),
                        theme.style(Role::Base),
                    ),
                ])
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(entries), log);
    render_charts(frame, charts, &beside.days, lang, theme);
}

fn on_duty(beside: &Beside, lang: Lang) -> String {
    if beside.on_duty.is_empty() {
        return lang
            .pick(
                "không ai trong phân công của ca này",
                "no one on this shift's roster",
            )
            .to_string();
    }
    beside
        .on_duty
        .iter()
        .map(|d| format!("{} ({})", d.officer, d.post))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn night_label(beside: &Beside, lang: Lang) -> String {
    let night = beside.night.night.map(|n| lang.day(n)).unwrap_or_default();
    match lang {
        Lang::Vi => format!("Đêm {night}:"),
        Lang::En => format!("Night of {night}:"),
    }
}

fn night(beside: &Beside, lang: Lang) -> String {
    let n = &beside.night;
    if n.late + n.undeclared == 0 {
        return lang
            .pick(
                "mọi khách đã khai báo đúng hạn",
                "every guest declared in time",
            )
            .to_string();
    }
    match lang {
        Lang::Vi => format!(
            "{} cơ sở · {} khách khai báo muộn · {} chưa khai báo (:kbm)",
            n.establishments, n.late, n.undeclared
        ),
        Lang::En => format!(
            "{} places · {} declared late · {} undeclared (:late)",
            n.establishments, n.late, n.undeclared
        ),
    }
}

/// Three charts side by side, each a title with its total over the days and a two-row
/// sparkline, one bar a day, today's at the right.
fn render_charts(frame: &mut Frame, area: Rect, days: &[DayCounts], lang: Lang, theme: &Theme) {
    let thirds = Layout::horizontal([Constraint::Ratio(1, 3); 3]).areas::<3>(area);
    let series: [(&str, Vec<u64>); 3] = [
        (
            lang.pick("Nghi trùng", "Hits"),
            days.iter().map(|d| d.hits).collect(),
        ),
        (
            lang.pick("Khách", "Guests"),
            days.iter().map(|d| d.guests).collect(),
        ),
        (
            lang.pick("Khai báo muộn", "Late"),
            days.iter().map(|d| d.late).collect(),
        ),
    ];
    for ((title, data), third) in series.into_iter().zip(thirds) {
        let [head, chart] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(2)]).areas(third);
        // The total over the days; the last bar is today.
        let total: u64 = data.iter().sum();
        let days = data.len();
        let heading = match lang {
            Lang::Vi => format!("{title}: {total}/{days} ngày"),
            Lang::En => format!("{title}: {total} in {days} days"),
        };
        frame.render_widget(
            Paragraph::new(cut(&heading, usize::from(head.width).saturating_sub(1)).into_owned())
                .style(theme.style(Role::Muted)),
            head,
        );
        let width = u16::try_from(data.len())
            .unwrap_or(u16::MAX)
            .min(chart.width);
        frame.render_widget(
            Sparkline::default()
                .data(&data)
                .style(theme.style(Role::Header)),
            Rect { width, ..chart },
        );
    }
}
