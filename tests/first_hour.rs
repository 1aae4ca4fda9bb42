//! The desk a new duty officer meets in the first hour (issue 16): each bug they met, driven
//! as they drove it at 80×24 in both languages over ratatui's `TestBackend` on the sample.

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use common::console::{app, desk, screen, text};
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
