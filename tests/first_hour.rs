//! The desk a new duty officer meets in the first hour (issue 16): each bug they met, driven
//! as they drove it at 80×24 in both languages over ratatui's `TestBackend` on the sample.

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use common::console::{app, desk, hits_on, screen, text};
use trucban::i18n::Lang;

/// Table rows of hits on screen (the selected one included).
fn hit_rows(shown: &str) -> usize {
    shown
        .lines()
        .filter(|l| l.trim_start_matches(['▶', ' ']).starts_with("NT-"))
        .count()
}

/// Bug 3: the last page of a table ends at its last row — never two rows and a screen of
/// blank lines, as after a save that moved the selected hit to the end of the list.
#[test]
fn the_last_page_of_a_table_is_full() {
    let desk = desk();
    for lang in [Lang::Vi, Lang::En] {
        let mut app = app(&desk, lang, "default", None);
        let first = text(&screen(&mut app, ":nt<Enter>"));
        let page = hit_rows(&first);
        let last = text(&screen(&mut app, "G"));
        assert_eq!(
            hit_rows(&last),
            page,
            "{lang:?}: the last page shows fewer rows than fit:\n{last}"
        );
        assert!(last.contains("▶ NT-"), "{lang:?}: no selected row:\n{last}");
        // And one row up from the last stays on the same page.
        let up = text(&screen(&mut app, "k"));
        assert_eq!(hit_rows(&up), page, "{lang:?}:\n{up}");
    }
}

/// Bug 7: the hits queue is ordered by time left (open hits, the least time left first, then
/// the closed), and a form on a hit names the guest and the listed person, not a time left
/// that would stay frozen in its title and its draft.
#[test]
fn hits_are_queued_by_time_left_and_a_form_names_who_not_when() {
    let desk = desk();
    for lang in [Lang::Vi, Lang::En] {
        let mut app = app(&desk, lang, "default", None);
        let first = text(&screen(&mut app, ":nt<Enter>"));
        let hits = hits_on(&first, &desk.desk);
        assert!(
            hits.len() > 5,
            "{lang:?}: too few hits to tell an order:\n{first}"
        );
        let open: Vec<_> = hits.iter().take_while(|h| h.is_open()).collect();
        assert!(
            hits[open.len()..].iter().all(|h| !h.is_open()),
            "{lang:?}: an open hit below a closed one:\n{first}"
        );
        for pair in open.windows(2) {
            assert!(
                pair[0].deadline <= pair[1].deadline,
                "{lang:?}: {} (due {}) above {} (due {}):\n{first}",
                pair[0].id,
                pair[0].deadline,
                pair[1].id,
                pair[1].deadline
            );
        }
        let form = text(&screen(&mut app, "a"));
        let left = match lang {
            Lang::Vi => "còn",
            Lang::En => "left",
        };
        let title = form
            .lines()
            .find(|l| l.contains(&hits[0].id.to_string()) && l.contains('│'))
            .unwrap_or_else(|| panic!("{lang:?}: no form title:\n{form}"));
        assert!(
            title.contains('~') && !title.contains(left),
            "{lang:?}: the form's title: {title}"
        );
        screen(&mut app, "<Esc>");
    }
}

/// Bug 5: the same guest file imported again adds no stay and raises no second hit; a stay
/// declared again with a change (a check-out) is updated in place, not added.
#[test]
fn the_same_guest_file_imported_twice_is_the_same_stays() {
    let desk = common::Desk::new();
    desk.ok(&["seed", "--sample"]);
    let guests = |count: &str| -> usize {
        desk.ok(&["stats"])
            .lines()
            .find(|l| l.trim_start().starts_with("guests"))
            .and_then(|l| l.split_whitespace().last()?.parse().ok())
            .unwrap_or_else(|| panic!("no guest count in stats ({count})"))
    };
    // A guest named as a wanted person of the sample (so the first import raises a hit), one
    // with only a name and birth, one with an identity document.
    let file = |check_out: &str| {
        format!(
            "{}\n\
             CS-000001,Lò Văn Kiên,2007-04-08,male,,VNM,2026-11-26 20:00,,101,2026-11-26 20:10\n\
             CS-000001,Nguyễn Thị Lan,1990-05-06,female,,VNM,2026-11-26 21:00,,102,2026-11-26 21:10\n\
             CS-000001,Vàng A Sử,1985-02-03,male,001085012345,VNM,2026-11-26 22:00,{check_out},103,2026-11-26 22:10\n",
            common::GUEST_HEADER
        )
    };
    let before = guests("before");
    let first = desk.import("guests", "tonight.csv", file("").as_bytes());
    let first_out = String::from_utf8_lossy(&first.stdout).into_owned();
    assert!(
        first.status.success(),
        "{first_out}{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        first_out.contains("(3 new, 0 updated, 0 unchanged)"),
        "{first_out}"
    );
    assert!(
        !first_out.contains("screening: no hit"),
        "the fixture should raise a hit:\n{first_out}"
    );
    assert_eq!(guests("after the first import"), before + 3);

    let again = desk.import("guests", "tonight.csv", file("").as_bytes());
    let again_out = String::from_utf8_lossy(&again.stdout).into_owned();
    assert!(again.status.success(), "{again_out}");
    assert!(
        again_out.contains("(0 new, 0 updated, 3 unchanged)"),
        "{again_out}"
    );
    assert!(again_out.contains("screening: no hit"), "{again_out}");
    assert_eq!(guests("after the same file again"), before + 3);

    // Marks typed or not, the same guest: and a check-out added updates the stay.
    let changed = file("2026-11-27 08:00").replace("Nguyễn Thị Lan", "Nguyen Thi Lan");
    let third = desk.import("guests", "tonight-2.csv", changed.as_bytes());
    let third_out = String::from_utf8_lossy(&third.stdout).into_owned();
    assert!(third.status.success(), "{third_out}");
    assert!(
        third_out.contains("(0 new, 2 updated, 1 unchanged)"),
        "{third_out}"
    );
    assert!(third_out.contains("screening: no hit"), "{third_out}");
    assert_eq!(guests("after the check-out"), before + 3);
}

/// Bug 2: in a detail whose text wraps (a handover, a hit), the selected link stays on
/// screen as the officer moves through the links, so Enter opens the link they see marked.
#[test]
fn the_selected_link_stays_on_screen_in_a_detail_that_wraps() {
    let desk = desk();
    for lang in [Lang::Vi, Lang::En] {
        for (view, open) in [(":gc<Enter>", "G<Enter>"), (":nt<Enter>", "<Enter>")] {
            let mut app = app(&desk, lang, "default", None);
            screen(&mut app, view);
            let detail = text(&screen(&mut app, open));
            assert!(
                !detail.contains("▶ NT-") || view == ":gc<Enter>",
                "{detail}"
            );
            for step in 1..=6 {
                let shown = text(&screen(&mut app, "j"));
                assert!(
                    shown
                        .lines()
                        .skip(2)
                        .any(|l| l.trim_start().starts_with('▶')),
                    "{lang:?} {view} {open}: no selected link on screen after {step} × j:\n{shown}"
                );
            }
        }
    }
}

/// A record longer than the screen is read a page at a time (issue 16: "page scrolling
/// inside a detail"): `PageDown` brings its end into view — the last link of a handover
/// whose text wraps — and `PageUp` its top, in both languages.
#[test]
fn a_long_record_is_read_a_page_at_a_time() {
    let desk = desk();
    for lang in [Lang::Vi, Lang::En] {
        let mut app = app(&desk, lang, "default", None);
        screen(&mut app, ":gc<Enter>");
        let top = text(&screen(&mut app, "G<Enter>"));
        let detail = app
            .state
            .details
            .last()
            .expect("a handover's detail")
            .clone();
        let last_link = detail.links.last().expect("linked records").label.clone();
        let first_field = detail.fields[0].1.clone();
        assert!(
            !top.contains(&last_link) && top.contains(&first_field),
            "{lang:?}: the record fits on one screen, nothing to page:\n{top}"
        );
        // Page down until the screen no longer changes: the end of the record.
        let mut end = top.clone();
        for _ in 0..40 {
            let next = text(&screen(&mut app, "<PageDown>"));
            if next == end {
                break;
            }
            end = next;
        }
        // The last row of the body: above the hint bar (the message line below it is empty).
        let body_end = end.lines().rev().nth(1).unwrap_or_default();
        assert!(
            body_end.ends_with(&last_link) && !end.contains(&first_field),
            "{lang:?}: PageDown did not reach the last link {last_link:?}:\n{end}"
        );
        let mut back = String::new();
        for _ in 0..40 {
            back = text(&screen(&mut app, "<PageUp>"));
        }
        assert_eq!(back, top, "{lang:?}: PageUp did not come back to the top");
    }
}

/// A wanted notice links to the screening hits against it (issue 16), as a watch entry does:
/// the officer goes from the notice to the guest who came close, and back.
#[test]
fn a_wanted_notice_links_to_its_hits() {
    use trucban::service::DeskApi;
    let desk = desk();
    let hit = desk
        .desk
        .list(&trucban::service::ListQuery::all(
            trucban::domain::Kind::Hit,
        ))
        .expect("hits")
        .records
        .into_iter()
        .find_map(|r| match r {
            trucban::domain::Record::Hit(h)
                if h.listed_id.kind() == trucban::domain::Kind::Wanted =>
            {
                Some(h)
            }
            _ => None,
        })
        .expect("a hit against a wanted notice");
    for lang in [Lang::Vi, Lang::En] {
        let mut app = app(&desk, lang, "default", None);
        screen(&mut app, &format!(":tn<Enter>/{}<Enter>", hit.listed_id));
        screen(&mut app, "<Enter>");
        let detail = app.state.details.last().expect("the notice's detail");
        assert_eq!(detail.id, hit.listed_id, "{lang:?}");
        let at = detail
            .links
            .iter()
            .position(|l| l.id == hit.id)
            .unwrap_or_else(|| panic!("{lang:?}: {} does not link to {}", hit.listed_id, hit.id));
        let keys = "j".repeat(at) + "<Enter>";
        screen(&mut app, &keys);
        assert_eq!(
            app.state.details.last().map(|d| d.id),
            Some(hit.id),
            "{lang:?}"
        );
    }
}

/// The late-declaration board opens the late and undeclared stays of the row's night (not
/// the establishment's 200 links), and a guest's detail says the stay was declared late or
/// not at all (issue 16 friction), in both languages.
#[test]
fn a_late_night_opens_its_late_stays_and_a_stay_says_it_was_late() {
    let desk = desk();
    for lang in [Lang::Vi, Lang::En] {
        let mut app = app(&desk, lang, "default", None);
        screen(&mut app, ":kbm<Enter>");
        let row = app
            .state
            .table
            .selected_row()
            .expect("a late night")
            .clone();
        let note = row.note.clone().unwrap_or_default();
        screen(&mut app, "<Enter>");
        let list = app.state.details.last().expect("the night's list").clone();
        assert_eq!(
            list.links[0].id, row.id,
            "{lang:?}: the establishment first"
        );
        let stays: Vec<String> = list.links[1..].iter().map(|l| l.id.to_string()).collect();
        assert!(!stays.is_empty(), "{lang:?}: no stay listed");
        // The very stays the row's note names, no more.
        let named: Vec<&str> = note
            .split([' ', ':', '·'])
            .filter(|w| w.starts_with("LT-"))
            .collect();
        assert_eq!(stays, named, "{lang:?}: {note}");
        assert!(
            list.links.len() < 50,
            "{lang:?}: {} links",
            list.links.len()
        );
        let (late, undeclared) = match lang {
            Lang::Vi => ("MUỘN", "CHƯA KHAI BÁO"),
            Lang::En => ("LATE", "UNDECLARED"),
        };
        let shown = text(&screen(&mut app, "j<Enter>"));
        assert!(
            shown.contains(late) || shown.contains(undeclared),
            "{lang:?}: the stay does not say it was late:\n{shown}"
        );
        assert_eq!(app.state.details.len(), 2);
    }
}

/// The help lists the views with the names `:` takes and the other `:` commands, and its
/// scrolling stops at its end (issue 16 friction), in both languages.
#[test]
fn the_help_lists_views_and_commands_and_stops_at_its_end() {
    let desk = desk();
    for lang in [Lang::Vi, Lang::En] {
        let mut app = app(&desk, lang, "default", None);
        screen(&mut app, "?");
        let mut end = String::new();
        for _ in 0..400 {
            end = text(&screen(&mut app, "j"));
        }
        let (glance, quit) = match lang {
            Lang::Vi => ("Tình hình ca trực", "Thoát"),
            Lang::En => ("Shift at a glance", "Quit"),
        };
        let last = end
            .lines()
            .filter(|l| l.contains('│'))
            .nth_back(0)
            .unwrap_or_default();
        assert!(
            end.contains(":q :quit :thoat") && last.contains(quit),
            "{lang:?}: the help does not end with its last command:\n{end}"
        );
        // One more line down changes nothing: the end stays in place.
        assert_eq!(text(&screen(&mut app, "j")), end, "{lang:?}");
        let mut views = String::new();
        for _ in 0..30 {
            views.push_str(&text(&screen(&mut app, "k")));
        }
        assert!(
            views.contains(":tinhhinh :th :glance") && views.contains(glance),
            "{lang:?}: no view list in the help"
        );
    }
}

/// Friction: in every built-in theme, the danger mark and the selected cell never look the
/// same (under NO_COLOR both were reverse video, so a selected row read as a dangerous one).
#[test]
fn danger_and_selection_never_look_alike() {
    use trucban::ui::theme::{self, NoUserThemes, Role};
    for name in theme::builtin_names() {
        let theme = theme::load(name, &NoUserThemes).expect("theme");
        assert_ne!(
            theme.style(Role::AlertDanger),
            theme.style(Role::Selection),
            "{name}"
        );
        if !theme.selection_marker {
            // Attributes alone (mono): the danger mark must not be reversed like the
            // selection that carries no marker.
            let reversed = ratatui::style::Modifier::REVERSED;
            assert!(
                !(theme
                    .style(Role::AlertDanger)
                    .add_modifier
                    .contains(reversed)
                    && theme.style(Role::Selection).add_modifier.contains(reversed)),
                "{name}: both reversed"
            );
        }
    }
}
