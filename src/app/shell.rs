//! The shell around the pure core: terminal set-up and restore, the event loop, and the
//! effects (service calls). It blocks on input and draws only when the state changed.

use std::io;

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::domain::text::display_safe;
use crate::domain::{Danger, Record};
use crate::i18n::Lang;
use crate::service::{DeskApi, ListQuery};

use super::state::{Action, Effect, Row, State, update};

/// Restores the terminal however the console ends (return, error or panic).
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        enable_raw_mode()?;
        crossterm::execute!(io::stdout(), EnterAlternateScreen)?;
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            default_hook(info);
        }));
        Ok(TerminalGuard)
    }
}

fn restore() {
    let _ = disable_raw_mode();
    let _ = crossterm::execute!(io::stdout(), LeaveAlternateScreen, crossterm::cursor::Show);
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

pub fn run(desk: &dyn DeskApi, lang: Lang) -> anyhow::Result<()> {
    let _guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let mut state = State::new(lang);
    let size = terminal.size()?;
    update(
        &mut state,
        Action::Resized {
            rows: usize::from(size.height).saturating_sub(4),
        },
    );
    let first = Effect::Load(state.kind());
    perform(desk, &mut state, first);
    terminal.draw(|f| crate::ui::render(f, &state))?;
    while !state.quit {
        // EOF or an error on input means the link is gone: leave, never spin.
        let Ok(event) = event::read() else { break };
        let mut changed = handle(desk, &mut state, event);
        while event::poll(std::time::Duration::ZERO).unwrap_or(false) {
            let Ok(event) = event::read() else { break };
            changed |= handle(desk, &mut state, event);
        }
        if changed && !state.quit {
            terminal.draw(|f| crate::ui::render(f, &state))?;
        }
    }
    Ok(())
}

fn handle(desk: &dyn DeskApi, state: &mut State, event: Event) -> bool {
    let action = match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => key_action(key),
        Event::Resize(_, height) => Some(Action::Resized {
            rows: usize::from(height).saturating_sub(4),
        }),
        _ => None,
    };
    let Some(action) = action else { return false };
    let resized = matches!(action, Action::Resized { .. });
    let (effects, mut changed) = update(state, action);
    for effect in effects {
        changed |= perform(desk, state, effect);
    }
    changed || resized
}

fn key_action(key: KeyEvent) -> Option<Action> {
    Some(match key.code {
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => Action::Quit,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Char('g') | KeyCode::Home => Action::First,
        KeyCode::Char('G') | KeyCode::End => Action::Last,
        KeyCode::Tab => Action::NextView,
        KeyCode::BackTab => Action::PrevView,
        _ => return None,
    })
}

fn perform(desk: &dyn DeskApi, state: &mut State, effect: Effect) -> bool {
    match effect {
        Effect::Load(kind) => {
            let action = match desk.list(&ListQuery::all(kind)) {
                Ok(page) => Action::Loaded(
                    page.records
                        .iter()
                        .map(|r| row(desk, r, state.lang))
                        .collect(),
                ),
                Err(e) => Action::Failed(e.to_string()),
            };
            update(state, action).1
        }
    }
}

/// A table row: the ID, a readable title (a person's name rather than a decision number),
/// and the record's status. All text passes `display_safe` before it is kept for drawing.
fn row(desk: &dyn DeskApi, record: &Record, lang: Lang) -> Row {
    let person_name = |id| match desk.get(id) {
        Ok(Some(Record::Person(p))) => p.full_name,
        _ => id.to_string(),
    };
    let (title, note) = match record {
        Record::Wanted(w) => (
            person_name(w.person_id),
            match w.danger {
                Danger::None => format!("{} · {}", w.status.label(lang), w.decision_no),
                danger => format!(
                    "{} · {} · {}",
                    w.status.label(lang),
                    danger.label(lang),
                    w.decision_no
                ),
            },
        ),
        Record::WatchEntry(e) => (
            person_name(e.person_id),
            format!("{} · {}", e.risk.label(lang), e.reason),
        ),
        Record::GuestStay(g) => (
            g.guest.full_name.clone(),
            format!(
                "{} · {}",
                crate::domain::time::format_instant_short(g.check_in),
                g.establishment_id
            ),
        ),
        Record::Group(g) => (
            g.name.clone(),
            format!("{} · {}", g.kind.label(lang), g.status.label(lang)),
        ),
        Record::Establishment(e) => (
            e.name.clone(),
            format!("{} · {}", e.kind.label(lang), e.commune),
        ),
        Record::Sighting(s) => (
            s.place.clone(),
            crate::domain::time::format_instant_short(s.at),
        ),
        Record::DutyLog(l) => (
            l.text.clone(),
            crate::domain::time::format_instant_short(l.at),
        ),
        other => (other.title(), String::new()),
    };
    Row {
        id: record.id().to_string(),
        title: display_safe(&title).into_owned(),
        note: display_safe(&note).into_owned(),
    }
}
