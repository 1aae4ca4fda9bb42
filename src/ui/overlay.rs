//! Boxes drawn over the body: help (generated from the keymap), the edit form, its
//! confirmation, the offer to reopen drafts, and the search box.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::forms::Form;
use crate::app::keymap::Keymap;
use crate::app::search_box::{SearchBox, kind_label};
use crate::app::state::{Overlay, State};
use crate::domain::text::{cut, display_safe};
use crate::i18n::Lang;

use super::centred;
use super::theme::{Role, Theme};

pub fn render(frame: &mut Frame, body: Rect, state: &State, theme: &Theme, keymap: &Keymap) {
    let lang = state.lang;
    match &state.overlay {
        Overlay::Help { scroll } => {
            let lines = help_lines(keymap, lang, theme);
            let title = lang.pick(" Trợ giúp — phím ", " Help — keys ");
            boxed(
                frame,
                centred(body, 76, body.height),
                title,
                lines,
                *scroll,
                theme,
            );
        }
        Overlay::Form(form) => {
            let (lines, focus) = form_lines(form, lang, theme);
            // The box is as tall as the form, up to the body; a longer form scrolls so that
            // the field in focus and its errors are inside, and the title says more is
            // above (▲) or below (▼).
            let visible = usize::from(body.height.saturating_sub(2)).max(1);
            let scroll = (focus.end).saturating_sub(visible).min(focus.start);
            let height = u16::try_from(lines.len().min(visible) + 2).unwrap_or(u16::MAX);
            let more = match (scroll > 0, scroll + visible < lines.len()) {
                (true, true) => "▲▼ ",
                (true, false) => "▲ ",
                (false, true) => "▼ ",
                (false, false) => "",
            };
            boxed(
                frame,
                centred(body, FORM_WIDTH, height),
                &format!("{}{more}", form.title(lang)),
                lines,
                scroll,
                theme,
            );
        }
        Overlay::Confirm(form) => {
            let lines = vec![
                Line::from(Span::styled(
                    lang.pick("Lưu nội dung này?", "Save this?"),
                    theme.style(Role::FormLabel),
                )),
                Line::from(Span::styled(
                    display_safe(&form.summary(lang)).into_owned(),
                    theme.style(Role::FormInput),
                )),
                Line::from(""),
                Line::from(Span::styled(
                    lang.pick(
                        "Enter/y: lưu · Esc/n: quay lại sửa",
                        "Enter/y: save · Esc/n: back to the form",
                    ),
                    theme.style(Role::Hint),
                )),
            ];
            // As tall as its lines wrap to (an inspection lists its failed items).
            let rows = Paragraph::new(lines.clone())
                .wrap(Wrap { trim: false })
                .line_count(FORM_WIDTH - 2);
            let height = u16::try_from(rows + 2).unwrap_or(u16::MAX);
            boxed(
                frame,
                centred(body, 72, height),
                lang.pick(" Xác nhận ", " Confirm "),
                lines,
                0,
                theme,
            );
        }
        Overlay::Drafts(forms) => {
            let Some(form) = forms.first() else { return };
            let lines = vec![
                Line::from(lang.pick(
                    "Có bản nháp chưa lưu từ phiên trước:",
                    "An unsaved draft from an earlier session:",
                )),
                Line::from(Span::styled(
                    display_safe(&format!("{} — {}", form.title(lang), form.subject(lang)))
                        .into_owned(),
                    theme.style(Role::FormInput),
                )),
                Line::from(format!(
                    "({} {})",
                    forms.len(),
                    lang.pick("bản nháp", "draft(s)")
                )),
                Line::from(Span::styled(
                    lang.pick(
                        "Enter: mở lại · x: bỏ · Esc: để sau",
                        "Enter: reopen · x: discard · Esc: later",
                    ),
                    theme.style(Role::Hint),
                )),
            ];
            boxed(
                frame,
                centred(body, 72, 6),
                lang.pick(" Bản nháp ", " Draft "),
                lines,
                0,
                theme,
            );
        }
        Overlay::Search(search) => search_box(frame, body, search, lang, theme),
        Overlay::None | Overlay::Filter | Overlay::Command { .. } => {}
    }
}

fn boxed(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line>,
    scroll: usize,
    theme: &Theme,
) {
    frame.render_widget(Clear, area);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Span::styled(title.to_string(), theme.style(Role::Title)));
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .style(theme.style(Role::Base))
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}

/// Columns inside the help's box (76 wide, less its borders).
const HELP_WIDTH: usize = 74;

/// The help ([`crate::app::help`]), styled; one row a line, cut with `…` (the core counts
/// lines to stop the scrolling at the end).
fn help_lines(keymap: &Keymap, lang: Lang, theme: &Theme) -> Vec<Line<'static>> {
    use crate::app::help::HelpLine;
    use unicode_width::UnicodeWidthStr;
    crate::app::help::lines(keymap, lang)
        .into_iter()
        .map(|line| match line {
            HelpLine::Heading(title) => Line::from(Span::styled(
                format!("── {title}"),
                theme.style(Role::Header),
            )),
            HelpLine::Entry(keys, what) => {
                // A long list of names keeps a space before what it does.
                let keys = if keys.width() < 18 {
                    format!("  {keys:<18}")
                } else {
                    format!("  {keys} ")
                };
                let room = HELP_WIDTH.saturating_sub(keys.width());
                Line::from(vec![
                    Span::styled(keys, theme.style(Role::HelpKey)),
                    Span::styled(cut(&what, room).into_owned(), theme.style(Role::HelpDesc)),
                ])
            }
        })
        .collect()
}

/// The end of `text` that fits `width` columns, after `…` when cut.
fn tail(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_string();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        kept.push(c);
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// The form's box: 72 columns, 70 inside its borders, of which the marker and the label
/// take 37 and the value the rest. Every line fits: a long value is cut with `…` (its end,
/// where the cursor is, while it is typed in), never wrapped out of place.
const FORM_WIDTH: u16 = 72;
const FORM_INNER: usize = FORM_WIDTH as usize - 2;
const LABEL_WIDTH: usize = 34;
const VALUE_ROOM: usize = FORM_INNER - LABEL_WIDTH - 3;

/// The form's lines, and the lines of the field in focus (with its errors).
fn form_lines(
    form: &Form,
    lang: Lang,
    theme: &Theme,
) -> (Vec<Line<'static>>, std::ops::Range<usize>) {
    use crate::domain::text::{cut, fit};
    let mut lines = vec![Line::from(Span::styled(
        cut(&display_safe(&form.subject(lang)), FORM_INNER).into_owned(),
        theme.style(Role::Muted),
    ))];
    let mut focus = 0..1;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let start = lines.len();
        let marker = if focused { "› " } else { "  " };
        let value = if field.fixed {
            // Filled in from the session: said so, and no cursor (it cannot be typed in).
            let value = format!(
                "{} ({})",
                display_safe(&field.value),
                lang.pick("theo phiên đăng nhập", "from the session")
            );
            cut(&value, VALUE_ROOM).into_owned()
        } else if field.choices.is_empty() {
            let shown = display_safe(&field.value);
            if focused {
                // Where the officer is typing: the end of the text, then the cursor.
                format!("{}▏", tail(&shown, VALUE_ROOM - 1))
            } else {
                cut(&shown, VALUE_ROOM).into_owned()
            }
        } else {
            // A post is a choice too, and its name comes from a record.
            let label = display_safe(&Form::choice_label(&field.value, lang)).into_owned();
            format!("‹ {} ›", cut(&label, VALUE_ROOM - 4))
        };
        let label = Form::label(&field.key, lang);
        lines.push(Line::from(vec![
            Span::styled(
                format!("{marker}{} ", fit(&label, LABEL_WIDTH)),
                theme.style(if focused {
                    Role::Selection
                } else {
                    Role::FormLabel
                }),
            ),
            Span::styled(value, theme.style(Role::FormInput)),
        ]));
        for (_, message) in form.errors.iter().filter(|(at, _)| *at == i) {
            lines.push(Line::from(Span::styled(
                cut(&format!("    ✗ {message}"), FORM_INNER).into_owned(),
                theme.style(Role::FormError),
            )));
        }
        if focused {
            focus = start..lines.len();
        }
    }
    (lines, focus)
}

/// Width of the title column of the search box (longer titles push their detail right).
const TITLE_WIDTH: usize = 22;

/// The search box over the whole body: the query line, then one row per hit — kind, ID,
/// the title with its matched characters in the match style, and the hit's detail.
fn search_box(frame: &mut Frame, body: Rect, search: &SearchBox, lang: Lang, theme: &Theme) {
    let mut lines = vec![Line::from(vec![
        Span::styled(lang.pick("Tìm: ", "Search: "), theme.style(Role::FormLabel)),
        Span::styled(
            display_safe(&search.query).into_owned(),
            theme.style(Role::FormInput),
        ),
        Span::styled("▏", theme.style(Role::FormInput)),
    ])];
    if search.hits.is_empty() {
        let text = if search.waiting {
            lang.pick(
                "Đang nạp chỉ mục tìm kiếm… kết quả hiện ngay khi xong",
                "Loading the search index… results appear as soon as it is ready",
            )
        } else if search.query.trim().is_empty() {
            lang.pick(
                "Gõ tên (có dấu hay không), năm sinh, số giấy tờ · ↑: các lần tìm gần đây",
                "Type a name (marks optional), birth year or ID number · Up: recent searches",
            )
        } else {
            lang.pick("Không tìm thấy hồ sơ nào", "No record found")
        };
        lines.push(Line::from(Span::styled(text, theme.style(Role::Muted))));
    }
    for (i, hit) in search.hits.iter().enumerate() {
        let selected = i == search.selected;
        let mut spans = vec![
            Span::styled(if selected { "▶ " } else { "  " }, theme.style(Role::Base)),
            Span::styled(
                format!("{:<10}", kind_label(&hit.kind, lang)),
                theme.style(Role::Muted),
            ),
            Span::styled(
                format!("{:<10}", display_safe(&hit.id)),
                theme.style(if selected {
                    Role::Selection
                } else {
                    Role::Base
                }),
            ),
            Span::raw(" "),
        ];
        spans.extend(highlighted(&hit.title, &hit.highlight, theme));
        // Titles in a column of their own, so that the details line up.
        let pad = TITLE_WIDTH.saturating_sub(hit.title.chars().count());
        spans.push(Span::styled(
            format!("{:pad$}  {}", "", display_safe(&hit.detail)),
            theme.style(Role::Muted),
        ));
        lines.push(Line::from(spans));
    }
    frame.render_widget(Clear, body);
    let mut block = Block::new()
        .title(Span::styled(
            lang.pick(" Tìm kiếm ", " Search "),
            theme.style(Role::Title),
        ))
        .border_style(theme.style(Role::Border));
    if theme.borders {
        block = block.borders(Borders::ALL);
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .style(theme.style(Role::Base)),
        body,
    );
}

/// `title` cut into runs of matched and unmatched characters; `highlight` holds char
/// indices (never bytes) of the matched ones.
fn highlighted(title: &str, highlight: &[usize], theme: &Theme) -> Vec<Span<'static>> {
    let title = display_safe(title);
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_matched = false;
    for (i, c) in title.chars().enumerate() {
        let matched = highlight.contains(&i);
        if matched != run_matched && !run.is_empty() {
            spans.push(title_span(std::mem::take(&mut run), run_matched, theme));
        }
        run_matched = matched;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(title_span(run, run_matched, theme));
    }
    spans
}

fn title_span(text: String, matched: bool, theme: &Theme) -> Span<'static> {
    let role = if matched { Role::Match } else { Role::Base };
    Span::styled(text, theme.style(role))
}
