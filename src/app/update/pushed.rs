//! Changes pushed by the daemon (another officer saved something): reload what is on
//! screen if it may show them. The reload goes through the ordinary `Loaded` and
//! `DetailLoaded` actions, so the screen is redrawn only with what they bring, and ratatui
//! sends only the cells that differ.

use crate::app::messages::{Effect, Outcome};
use crate::app::state::{State, Status};
use crate::domain::Pushed;
use crate::domain::RecordId;

pub(super) fn on_pushed(state: &State, change: &Pushed) -> Outcome {
    // The console is still opening: the first load is on its way.
    if state.opening {
        return Outcome::default();
    }
    let all = matches!(change, Pushed::Resync);
    let ids: &[RecordId] = match change {
        Pushed::Changed { ids } => ids,
        Pushed::Resync
        | Pushed::LinkLost
        | Pushed::LinkBack
        | Pushed::LinkRefused { .. }
        | Pushed::StoreAway { .. }
        | Pushed::StoreBack => &[],
    };
    let mut effects = Vec::new();
    if all || view_shows(state, ids) {
        effects.push(Effect::Load(state.view));
    }
    if let Some(detail) = state.details.last().filter(|d| d.is_record())
        && (all
            || ids
                .iter()
                .any(|id| *id == detail.id || detail.links.iter().any(|l| l.id == *id)))
    {
        effects.push(Effect::LoadDetail(detail.id));
    }
    // The status line counts open hits and tips, whatever view is on screen.
    if all
        || ids.iter().any(|id| {
            matches!(
                id.kind(),
                crate::domain::Kind::Hit | crate::domain::Kind::Tip
            )
        })
    {
        effects.push(Effect::LoadDuty);
    }
    Outcome {
        effects,
        redraw: false,
    }
}

/// The link to the daemon (or the daemon's store) lost, or back. Lost: the screen keeps what it shows, under a
/// banner that says it may be out of date (see `ui::bars`). Back: everything on screen is
/// reloaded from the new session, and the status says so; a locked console stays locked.
pub(super) fn on_link(state: &mut State, change: &Pushed) -> Outcome {
    match change {
        Pushed::LinkLost => {
            state.link_lost = true;
            Outcome::drawn(vec![])
        }
        Pushed::LinkRefused { said, .. } => {
            state.link_lost = true;
            state.link_refused = Some(said.get(state.lang).to_string());
            Outcome::drawn(vec![])
        }
        Pushed::LinkBack => {
            state.link_lost = false;
            state.link_refused = None;
            back(
                state,
                "Đã kết nối lại với máy chủ",
                "Reconnected to the server",
            )
        }
        // The daemon's store away: the screen keeps what it shows, under a banner; writes
        // are refused by the service meanwhile, each saying why.
        Pushed::StoreAway { said } => {
            let why = said.get(state.lang).to_string();
            state.status = Some(Status {
                text: why.clone(),
                error: true,
            });
            state.store_away = Some(why);
            Outcome::drawn(vec![])
        }
        Pushed::StoreBack => {
            state.store_away = None;
            back(
                state,
                "Cơ sở dữ liệu đã trả lời lại",
                "The database answers again",
            )
        }
        Pushed::Changed { .. } | Pushed::Resync => on_pushed(state, change),
    }
}

/// The link or the store back: said, and everything on screen reloaded — unless the
/// console is locked or still opening, or its link to the daemon is still lost (its own
/// return reloads then).
fn back(state: &mut State, vi: &'static str, en: &'static str) -> Outcome {
    state.status = Some(Status {
        text: state.lang.pick(vi, en).into(),
        error: false,
    });
    if state.lock.locked || state.opening || state.link_lost {
        return Outcome::drawn(vec![]);
    }
    Outcome::drawn(super::reload_on_screen(state))
}

/// Whether the current view may show one of `ids`: a collection view shows its own kind;
/// the check lists and queues (late declarations, to inspect) are computed from several.
fn view_shows(state: &State, ids: &[RecordId]) -> bool {
    match state.view.kind() {
        Some(kind) => ids.iter().any(|id| id.kind() == kind),
        None => !ids.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::state::{Detail, Link};
    use crate::app::views::View;
    use crate::domain::Kind;
    use crate::i18n::Lang;

    fn id(kind: Kind, n: u64) -> RecordId {
        RecordId::new(kind, n)
    }

    fn state(view: View) -> State {
        State {
            view,
            ..State::new(Lang::Vi, None)
        }
    }

    #[test]
    fn a_change_of_the_views_kind_reloads_it_and_nothing_else() {
        let s = state(View::Wanted);
        let changed = Pushed::Changed {
            ids: vec![id(Kind::Wanted, 3)],
        };
        assert_eq!(
            on_pushed(&s, &changed).effects,
            vec![Effect::Load(View::Wanted)]
        );
        let elsewhere = Pushed::Changed {
            ids: vec![id(Kind::DutyLog, 9)],
        };
        assert_eq!(on_pushed(&s, &elsewhere), Outcome::default());
        // A hit or a tip changed anywhere: the status line counts them on every view.
        for kind in [Kind::Hit, Kind::Tip] {
            let counted = Pushed::Changed {
                ids: vec![id(kind, 4)],
            };
            assert_eq!(on_pushed(&s, &counted).effects, vec![Effect::LoadDuty]);
        }
    }

    #[test]
    fn a_detail_reloads_when_it_or_a_record_it_links_to_changes() {
        let mut s = state(View::Wanted);
        s.details.push(Detail {
            id: id(Kind::Wanted, 1),
            crumb: String::new(),
            fields: vec![],
            sections: vec![],
            links: vec![Link {
                id: id(Kind::Person, 5),
                label: String::new(),
            }],
            selected: 0,
            browsing: false,
            top: 0,
        });
        let linked = Pushed::Changed {
            ids: vec![id(Kind::Person, 5)],
        };
        assert_eq!(
            on_pushed(&s, &linked).effects,
            vec![Effect::LoadDetail(id(Kind::Wanted, 1))]
        );
        assert_eq!(
            on_pushed(&s, &Pushed::Resync).effects,
            vec![
                Effect::Load(View::Wanted),
                Effect::LoadDetail(id(Kind::Wanted, 1)),
                Effect::LoadDuty
            ]
        );
    }

    #[test]
    fn a_computed_list_reloads_on_any_change_and_nothing_draws_by_itself() {
        let s = state(View::ToInspect);
        let outcome = on_pushed(
            &s,
            &Pushed::Changed {
                ids: vec![id(Kind::GuestStay, 2)],
            },
        );
        assert_eq!(outcome.effects, vec![Effect::Load(View::ToInspect)]);
        assert!(!outcome.redraw, "the reload's own action asks for the draw");
    }

    #[test]
    fn a_lost_link_keeps_the_screen_and_its_return_reloads_it_unless_locked() {
        let mut s = state(View::Hits);
        let lost = on_link(&mut s, &Pushed::LinkLost);
        assert!(s.link_lost);
        assert_eq!(
            lost.effects,
            vec![],
            "nothing to ask of a link that is gone"
        );
        let back = on_link(&mut s, &Pushed::LinkBack);
        assert!(!s.link_lost);
        assert_eq!(
            back.effects,
            vec![Effect::Load(View::Hits), Effect::LoadDuty]
        );
        assert_eq!(
            s.status.as_ref().map(|st| st.text.as_str()),
            Some("Đã kết nối lại với máy chủ")
        );
        // Locked: the PIN screen stays, and nothing is loaded behind it.
        let mut locked = state(View::Hits);
        locked.lock.locked = true;
        on_link(&mut locked, &Pushed::LinkLost);
        assert!(locked.link_lost);
        assert_eq!(on_link(&mut locked, &Pushed::LinkBack).effects, vec![]);
        assert!(!locked.link_lost);
    }

    #[test]
    fn a_store_away_keeps_the_screen_says_why_and_its_return_reloads_it() {
        let mut s = state(View::Wanted);
        let why = crate::i18n::Said::new(
            "không kết nối được cơ sở dữ liệu".to_string(),
            "cannot reach the database".to_string(),
        );
        let away = on_link(&mut s, &Pushed::StoreAway { said: why });
        assert_eq!(away.effects, vec![], "nothing to ask of a store away");
        assert!(away.redraw);
        assert_eq!(
            s.store_away.as_deref(),
            Some("không kết nối được cơ sở dữ liệu")
        );
        assert!(s.status.as_ref().is_some_and(|st| st.error));
        let back = on_link(&mut s, &Pushed::StoreBack);
        assert_eq!(s.store_away, None);
        assert_eq!(
            back.effects,
            vec![Effect::Load(View::Wanted), Effect::LoadDuty]
        );
        // The link to the daemon itself lost meanwhile: its own return reloads.
        let mut cut = state(View::Wanted);
        on_link(&mut cut, &Pushed::LinkLost);
        assert_eq!(on_link(&mut cut, &Pushed::StoreBack).effects, vec![]);
    }
}
