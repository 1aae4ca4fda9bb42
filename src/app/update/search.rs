//! The search box (Ctrl-P): typing asks the service for hits, the arrows choose one or walk
//! back through recent queries, Enter opens the chosen record.

use crate::app::command::Command;
use crate::app::messages::{Effect, Outcome};
use crate::app::search_box::{self, SearchBox};
use crate::app::state::{Overlay, State, Status};
use crate::domain::RecordId;

/// Opens the search box, searching at once for `query` if it is not empty.
pub(super) fn open_search(state: &mut State, query: String) -> Outcome {
    state.overlay = Overlay::Search(SearchBox::new(query));
    search_request(state)
}

/// Asks the service for the search box's query: as many hits as there are rows to show
/// them (the box fills the body; one row is the query line).
pub(super) fn search_request(state: &mut State) -> Outcome {
    let limit = state.page.saturating_sub(1).max(1);
    let Overlay::Search(search) = &mut state.overlay else {
        return Outcome::default();
    };
    if search.query.trim().is_empty() {
        search.hits.clear();
        search.selected = 0;
        return Outcome::drawn(vec![]);
    }
    Outcome::drawn(vec![Effect::Search {
        query: search.query.clone(),
        limit,
    }])
}

pub(super) fn search_keys(state: &mut State, command: Command) -> Outcome {
    let lang = state.lang;
    let Overlay::Search(search) = &mut state.overlay else {
        return Outcome::default();
    };
    match command {
        Command::Cancel => {
            state.overlay = Overlay::None;
            Outcome::drawn(vec![])
        }
        Command::Delete => {
            search.query.pop();
            search.recall_at = None;
            search_request(state)
        }
        Command::Down => {
            let last = search.hits.len().saturating_sub(1);
            let before = search.selected;
            search.selected = (search.selected + 1).min(last);
            Outcome {
                effects: vec![],
                redraw: search.selected != before,
            }
        }
        Command::Up => {
            // On an empty box (or at the top of a recalled query's hits) Up walks back
            // through the recent queries, newest first.
            let recalling =
                search.query.is_empty() || (search.recall_at.is_some() && search.selected == 0);
            let history = &state.search_history;
            if recalling && !history.is_empty() {
                let at = search
                    .recall_at
                    .map_or(0, |i| (i + 1).min(history.len() - 1));
                if search.recall_at == Some(at) {
                    return Outcome::default();
                }
                search.recall_at = Some(at);
                search.query = history[at].clone();
                return search_request(state);
            }
            let before = search.selected;
            search.selected = search.selected.saturating_sub(1);
            Outcome {
                effects: vec![],
                redraw: search.selected != before,
            }
        }
        Command::Open | Command::Accept => {
            let query = search.query.clone();
            let chosen = search.selected_hit().map(|hit| hit.id.clone());
            search_box::remember(&mut state.search_history, &query);
            match chosen {
                Some(text) => match text.parse::<RecordId>() {
                    Ok(id) => {
                        state.overlay = Overlay::None;
                        Outcome::drawn(vec![Effect::LoadDetail(id)])
                    }
                    Err(e) => {
                        state.status = Some(Status {
                            text: crate::domain::text::display_safe(&e.to_string()).into_owned(),
                            error: true,
                        });
                        Outcome::drawn(vec![])
                    }
                },
                None if query.trim().is_empty() => Outcome::default(),
                None => {
                    state.status = Some(Status {
                        text: lang
                            .pick("Không tìm thấy hồ sơ nào", "No record found")
                            .into(),
                        error: true,
                    });
                    Outcome::drawn(vec![])
                }
            }
        }
        _ => Outcome::default(),
    }
}
