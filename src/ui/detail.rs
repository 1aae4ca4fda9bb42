//! A record's detail: every field, its sections (status history …) and its links; the
//! selected link is marked by a glyph as well as style.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::state::Detail;
use crate::i18n::Lang;

use super::table::tone_role;
use super::theme::{Role, Theme};

pub fn render(frame: &mut Frame, area: Rect, detail: &Detail, lang: Lang, theme: &Theme) {
    let label_width = detail
        .fields
        .iter()
        .map(|(l, _, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(24);
    let mut lines: Vec<Line> = Vec::new();
    for (label, value, tone) in &detail.fields {
        lines.push(Line::from(vec![
            Span::styled(
                format!("{label:<label_width$}  "),
                theme.style(Role::FormLabel),
            ),
            Span::styled(value.as_str(), theme.style(tone_role(*tone))),
        ]));
    }
    for (title, items) in &detail.sections {
        lines.push(Line::from(Span::styled(
            format!("── {title} ({})", items.len()),
            theme.style(Role::Header),
        )));
        lines.extend(
            items
                .iter()
                .map(|i| Line::from(Span::styled(format!("  {i}"), theme.style(Role::Base)))),
        );
    }
    let links_title = lang.pick("Liên quan", "Linked records");
    lines.push(Line::from(Span::styled(
        format!("── {links_title} ({})", detail.links.len()),
        theme.style(Role::Header),
    )));
    let first_link = lines.len();
    for (i, link) in detail.links.iter().enumerate() {
        let (marker, role) = if i == detail.selected {
            ("▶ ", Role::Selection)
        } else {
            ("  ", Role::Base)
        };
        let role = if theme.selection_marker && i == detail.selected {
            Role::Base
        } else {
            role
        };
        lines.push(Line::from(Span::styled(
            format!("{marker}{}", link.label),
            theme.style(role),
        )));
    }
    // Keep the selected link in sight once the officer moves through the links; until then
    // the top of the record (what matters first) stays on screen. Counted in rows as they
    // wrap at this width, not in lines: a long field or handover text takes several rows.
    let height = area.height;
    let rows_through = |end: usize| {
        Paragraph::new(lines[..end].to_vec())
            .wrap(Wrap { trim: false })
            .line_count(area.width)
    };
    let scroll = if detail.links.is_empty() || !detail.browsing {
        // Paged by the officer (`PageDown`), never past the last page.
        let end = u16::try_from(rows_through(lines.len())).unwrap_or(u16::MAX);
        detail.top.min(end.saturating_sub(height))
    } else {
        let through_selected = rows_through(first_link + detail.selected + 1);
        u16::try_from(through_selected.saturating_sub(usize::from(height))).unwrap_or(u16::MAX)
    };
    frame.render_widget(
        Paragraph::new(lines)
            .style(theme.style(Role::Base))
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}
