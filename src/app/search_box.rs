//! The global search box (`Ctrl-P`, `:tim`): its query, the hits the service returned for
//! it, the selection, and the recent queries it can recall. Searching itself is the
//! service's ([`crate::service::DeskApi::search`]); this is only the console's side.

use crate::domain::Kind;
use crate::i18n::Lang;
use crate::search::Hit;

/// Recent queries kept (in memory only, newest first).
pub const HISTORY_LEN: usize = 20;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchBox {
    pub query: String,
    /// Hits for `query`, best first (at most the rows that fit).
    pub hits: Vec<Hit>,
    pub selected: usize,
    /// While recalling: the index into the history (0 = newest) of the query shown.
    pub recall_at: Option<usize>,
    /// The service's index is still loading: the query is asked again shortly.
    pub waiting: bool,
}

impl SearchBox {
    pub fn new(query: String) -> SearchBox {
        SearchBox {
            query,
            ..SearchBox::default()
        }
    }

    pub fn selected_hit(&self) -> Option<&Hit> {
        self.hits.get(self.selected)
    }
}

/// Puts `query` first in `history` (newest first, distinct, at most [`HISTORY_LEN`]).
pub fn remember(history: &mut Vec<String>, query: &str) {
    let query = query.trim();
    if query.is_empty() {
        return;
    }
    history.retain(|q| q != query);
    history.insert(0, query.to_string());
    history.truncate(HISTORY_LEN);
}

/// A hit's kind (the collection name the search API reports) in the officer's language.
pub fn kind_label(kind: &str, lang: Lang) -> &'static str {
    let Some(kind) = Kind::from_name(kind) else {
        return lang.pick("Hồ sơ", "Record");
    };
    match kind {
        Kind::Officer => lang.pick("Cán bộ", "Officer"),
        Kind::Person => lang.pick("Đối tượng", "Person"),
        Kind::Group => lang.pick("Băng nhóm", "Group"),
        Kind::Wanted => lang.pick("Truy nã", "Wanted"),
        Kind::Watchlist => lang.pick("Danh sách", "Watchlist"),
        Kind::WatchEntry => lang.pick("Lưu động", "Watch"),
        Kind::Sighting => lang.pick("Phát hiện", "Sighting"),
        Kind::Establishment => lang.pick("Cơ sở", "Lodging"),
        Kind::GuestStay => lang.pick("Khách", "Guest"),
        Kind::Inspection => lang.pick("Kiểm tra", "Inspection"),
        Kind::Campaign => lang.pick("Cao điểm", "Campaign"),
        Kind::Assignment => lang.pick("Phân công", "Duty"),
        Kind::DutyLog => lang.pick("Nhật ký", "Duty log"),
        Kind::Handover => lang.pick("Giao ca", "Handover"),
        Kind::Hit => lang.pick("Nghi trùng", "Hit"),
        Kind::Tip => lang.pick("Tin báo", "Tip"),
        Kind::Case => lang.pick("Vụ án", "Case"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_is_newest_first_distinct_and_bounded() {
        let mut history = Vec::new();
        for q in ["a", "b", " a ", "", "   "] {
            remember(&mut history, q);
        }
        assert_eq!(history, ["a", "b"]);
        for n in 0..30 {
            remember(&mut history, &format!("q{n}"));
        }
        assert_eq!(history.len(), HISTORY_LEN);
        assert_eq!(history[0], "q29");
    }

    #[test]
    fn a_search_before_the_index_is_ready_waits_and_asks_again() {
        use crate::app::state::{Overlay, State};
        use crate::app::update::{Action, Ctx, Effect, update};
        let keymap = crate::app::keymap::Keymap::builtin();
        let ctx = Ctx {
            now: crate::domain::Instant::UNIX_EPOCH,
            keymap: &keymap,
        };
        let mut state = State::new(Lang::En, None);
        state.overlay = Overlay::Search(SearchBox::new("giang".into()));
        assert!(!state.waiting());
        let outcome = update(
            &mut state,
            Action::SearchNotReady {
                query: "giang".into(),
            },
            &ctx,
        );
        assert!(outcome.redraw && outcome.effects.is_empty());
        assert!(state.waiting(), "the shell now wakes on a timer");
        let outcome = update(&mut state, Action::Tick, &ctx);
        assert!(matches!(
            outcome.effects.as_slice(),
            [Effect::Search { query, .. }] if query == "giang"
        ));
        update(
            &mut state,
            Action::SearchResults {
                query: "giang".into(),
                hits: Vec::new(),
            },
            &ctx,
        );
        assert!(!state.waiting(), "answered: no more timer");
        assert_eq!(update(&mut state, Action::Tick, &ctx).effects, Vec::new());
    }

    #[test]
    fn every_kind_has_a_label_in_both_languages() {
        for kind in Kind::ALL {
            assert_ne!(kind_label(kind.name(), Lang::Vi), "Hồ sơ");
            assert_ne!(kind_label(kind.name(), Lang::En), "Record");
        }
        assert_eq!(kind_label("guests", Lang::Vi), "Khách");
        assert_eq!(kind_label("persons", Lang::En), "Person");
    }
}
