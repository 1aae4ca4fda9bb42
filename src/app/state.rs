//! The console's state and its pure `update`: state + action ⇒ new state + effects. No I/O
//! and no clock here; the shell performs the effects and feeds results back as actions.

use crate::domain::Kind;
use crate::i18n::Lang;

/// The collections the console browses, in Tab order.
pub const VIEWS: [Kind; 9] = [
    Kind::Wanted,
    Kind::Group,
    Kind::WatchEntry,
    Kind::Sighting,
    Kind::Establishment,
    Kind::GuestStay,
    Kind::Inspection,
    Kind::Campaign,
    Kind::DutyLog,
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub title: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    pub lang: Lang,
    pub view: usize,
    pub rows: Vec<Row>,
    pub selected: usize,
    /// Rows visible at once, set by the shell from the terminal size.
    pub page: usize,
    pub status: Option<String>,
    pub quit: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    NextView,
    PrevView,
    Quit,
    Loaded(Vec<Row>),
    Failed(String),
    Resized { rows: usize },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    Load(Kind),
}

impl State {
    pub fn new(lang: Lang) -> State {
        State {
            lang,
            view: 0,
            rows: Vec::new(),
            selected: 0,
            page: 10,
            status: None,
            quit: false,
        }
    }

    pub fn kind(&self) -> Kind {
        VIEWS[self.view]
    }
}

/// Applies an action. Returns the effects to perform; `changed` tells the shell to redraw.
pub fn update(state: &mut State, action: Action) -> (Vec<Effect>, bool) {
    let last = state.rows.len().saturating_sub(1);
    let before = state.clone();
    let mut effects = Vec::new();
    match action {
        Action::Up => state.selected = state.selected.saturating_sub(1),
        Action::Down => state.selected = (state.selected + 1).min(last),
        Action::PageUp => state.selected = state.selected.saturating_sub(state.page),
        Action::PageDown => state.selected = (state.selected + state.page).min(last),
        Action::First => state.selected = 0,
        Action::Last => state.selected = last,
        Action::NextView | Action::PrevView => {
            let n = VIEWS.len();
            state.view = if action == Action::NextView {
                (state.view + 1) % n
            } else {
                (state.view + n - 1) % n
            };
            state.rows.clear();
            state.selected = 0;
            effects.push(Effect::Load(state.kind()));
        }
        Action::Quit => state.quit = true,
        Action::Loaded(rows) => {
            state.rows = rows;
            state.selected = state.selected.min(state.rows.len().saturating_sub(1));
            state.status = None;
        }
        Action::Failed(message) => state.status = Some(message),
        Action::Resized { rows } => state.page = rows.max(1),
    }
    let changed = *state != before;
    (effects, changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize) -> Vec<Row> {
        (0..n)
            .map(|i| Row {
                id: format!("TN-{i:06}"),
                title: format!("t{i}"),
                note: String::new(),
            })
            .collect()
    }

    #[test]
    fn moving_stays_inside_the_table() {
        let mut s = State::new(Lang::Vi);
        update(&mut s, Action::Loaded(rows(25)));
        assert_eq!(update(&mut s, Action::Up), (vec![], false));
        update(&mut s, Action::PageDown);
        assert_eq!(s.selected, 10);
        update(&mut s, Action::Last);
        assert_eq!(s.selected, 24);
        assert_eq!(update(&mut s, Action::Down), (vec![], false));
        update(&mut s, Action::First);
        assert_eq!(s.selected, 0);
    }

    #[test]
    fn switching_view_asks_for_its_rows() {
        let mut s = State::new(Lang::En);
        let (effects, changed) = update(&mut s, Action::NextView);
        assert!(changed);
        assert_eq!(effects, vec![Effect::Load(Kind::Group)]);
        let (effects, _) = update(&mut s, Action::PrevView);
        assert_eq!(effects, vec![Effect::Load(Kind::Wanted)]);
        update(&mut s, Action::PrevView);
        assert_eq!(s.kind(), Kind::DutyLog);
    }
}
