//! One date format per language (the issue: views mixed ISO and dd/mm). On the seeded
//! sample with the fixed clock (27 Nov 2026 09:30) at 80×24, every view of the console and
//! the detail of its first row show a date only as the officer's language writes it —
//! `27/11/2026` in Vietnamese, `27 Nov 2026` in English, never `2026-11-27` — and a form
//! pre-filled in English saves as it stands.

#![allow(clippy::panic)]

mod common;

use common::console::{app, desk, now, screen, text};
use trucban::app::views::View;
use trucban::domain::time::MONTHS;
use trucban::domain::{Kind, Record, RecordId};
use trucban::i18n::Lang;
use trucban::service::DeskApi;

/// Each place in `text` where `shape` matches, `d` standing for a digit, `M` for an English
/// month abbreviation, anything else for itself; the match with a little context.
fn found(text: &str, shape: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let matches_at = |at: usize| -> Option<usize> {
        let mut i = at;
        for s in shape.chars() {
            match s {
                'd' => {
                    chars.get(i).filter(|c| c.is_ascii_digit())?;
                    i += 1;
                }
                'M' => {
                    let word: String = chars.get(i..i + 3)?.iter().collect();
                    MONTHS.contains(&word.as_str()).then_some(())?;
                    i += 3;
                }
                other => {
                    chars.get(i).filter(|c| **c == other)?;
                    i += 1;
                }
            }
        }
        // Not the middle of a longer number.
        let digit = |j: usize| chars.get(j).is_some_and(|c| c.is_ascii_digit());
        (!digit(i) && (at == 0 || !digit(at - 1))).then_some(i)
    };
    (0..chars.len())
        .filter_map(|at| {
            let end = matches_at(at)?;
            let from = at.saturating_sub(20);
            Some(chars[from..(end + 10).min(chars.len())].iter().collect())
        })
        .collect()
}

/// Every view, and the detail its first row opens, as `lang` shows them.
fn every_screen(lang: Lang) -> String {
    let desk = desk();
    let mut all = String::new();
    for view in View::ALL {
        let mut app = app(&desk, lang, "default", None);
        let alias = view.aliases()[0];
        all.push_str(&text(&screen(&mut app, &format!(":{alias}<Enter>"))));
        all.push_str(&text(&screen(&mut app, "<Enter>")));
    }
    all
}

#[test]
fn every_view_shows_dates_one_way_per_language() {
    let vi = every_screen(Lang::Vi);
    let en = every_screen(Lang::En);
    for (lang, shown) in [("vi", &vi), ("en", &en)] {
        let iso = found(shown, "dddd-dd-dd");
        assert!(iso.is_empty(), "{lang} shows ISO dates: {iso:#?}");
    }
    // The same campaign's last day, each language's way.
    assert!(vi.contains("27/11/2026"), "{vi}");
    assert!(en.contains("27 Nov 2026"), "{en}");
    let english_in_vi = found(&vi, "dd M");
    assert!(english_in_vi.is_empty(), "vi: {english_in_vi:#?}");
    // Day first in figures is Vietnamese; in English only stored text may hold it (an
    // officer's correction, "đúng là 26/11/2026 23:05", is what they wrote).
    let figures_in_en: Vec<String> = found(&en, "dd/dd/dddd")
        .into_iter()
        .filter(|m| !m.contains("đúng là"))
        .collect();
    assert!(figures_in_en.is_empty(), "en: {figures_in_en:#?}");
    let short_in_en = found(&en, "dd/dd dd:dd");
    assert!(short_in_en.is_empty(), "en: {short_in_en:#?}");
}

const NEW_TIP: &str = "<Tab><Tab>Nghi buôn bán ma túy<Tab>bản Pa Tần<Tab>CB-000004<Tab>Vàng Thị Mỷ<Tab>0912000111<Enter>y";

/// The new-tip form fills in the time received as the officer's language writes it; saved
/// untouched, the tip holds the moment the form was opened.
#[test]
fn a_form_pre_filled_in_either_language_saves_as_it_stands() {
    for (lang, view, shown_at, saved) in [
        (Lang::Vi, "tb", "27/11/2026 09:30", "Đã lưu"),
        (Lang::En, "tips", "27 Nov 2026 09:30", "Saved"),
    ] {
        let desk = desk();
        let mut app = app(&desk, lang, "default", None);
        let form = text(&screen(&mut app, &format!(":{view}<Enter>n")));
        assert!(form.contains(shown_at), "{lang:?}: {form}");
        let before = desk.desk.stats().expect("stats").count(Kind::Tip);
        let id = RecordId::new(Kind::Tip, before as u64 + 1);
        let shown = text(&screen(&mut app, NEW_TIP));
        assert!(
            shown.contains(&format!("{saved} {id}")),
            "{lang:?}: {shown}"
        );
        let Ok(Some(Record::Tip(tip))) = desk.desk.get(id) else {
            panic!("{lang:?}: not saved")
        };
        assert_eq!(tip.received_at, now(), "{lang:?}");
    }
}
