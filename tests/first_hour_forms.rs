//! The forms a new duty officer meets in the first hour (issue 16): errors said when they
//! are wrong and not after, a role refused at `a`, the hint bar's way out, a box that keeps
//! its shape whatever is typed, a confirmation that lists what failed — at 80×24 in both
//! languages over ratatui's `TestBackend` on the sample.

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use common::console::{app, desk, hits_on, screen, text};
use trucban::i18n::Lang;

/// The form's box on screen (between its top and bottom border), as text.
fn overlay_kind(app: &trucban::app::App) -> &'static str {
    use trucban::app::state::Overlay;
    match &app.state.overlay {
        Overlay::Form(_) => "form",
        Overlay::Confirm(_) => "confirm",
        Overlay::None => "none",
        _ => "other",
    }
}

/// Bug 9: a marked error goes away as soon as the field is put right; "not the person" is
/// refused without a reason (by the form, and by the service whoever asks); an unknown
/// officer is caught before the confirmation.
#[test]
fn a_form_says_what_is_wrong_when_it_is_wrong_and_not_after() {
    use trucban::domain::{HitOutcome, HitStep};
    use trucban::service::{DeskApi, ServiceError};
    let desk = desk();
    for lang in [Lang::Vi, Lang::En] {
        let (reason, no_officer) = match lang {
            Lang::Vi => ("Ghi lý do", "Không có cán bộ CB-000999"),
            Lang::En => ("Give the reason", "There is no officer CB-000999"),
        };
        let mut app = app(&desk, lang, "default", None);
        screen(&mut app, ":nt<Enter>");
        // Outcome: confirmed → not the person; saved with no note.
        let refused = text(&screen(&mut app, "a<Right><Enter>"));
        assert_eq!(overlay_kind(&app), "form", "{lang:?}:\n{refused}");
        assert!(refused.contains(reason), "{lang:?}:\n{refused}");
        // The focus is on the note: one letter of a reason and the mark is gone at once.
        let typed = text(&screen(&mut app, "k"));
        assert!(!typed.contains(reason), "{lang:?}: still marked:\n{typed}");
        // An officer nobody knows: caught on Enter, on the field, before any confirmation.
        let unknown = text(&screen(
            &mut app,
            "hác năm sinh<Down><BS><BS><BS><BS><BS><BS><BS><BS><BS>CB-000999<Enter>",
        ));
        assert_eq!(overlay_kind(&app), "form", "{lang:?}:\n{unknown}");
        assert!(unknown.contains(no_officer), "{lang:?}:\n{unknown}");
        // Put right, the mark goes; Enter now asks for the confirmation.
        let fixed = text(&screen(&mut app, "<BS><BS><BS>003"));
        assert!(!fixed.contains(no_officer), "{lang:?}:\n{fixed}");
        let confirming = text(&screen(&mut app, "<Enter>"));
        assert_eq!(overlay_kind(&app), "confirm", "{lang:?}:\n{confirming}");
        screen(&mut app, "<Esc><Esc>");
    }
    // The rule is the service's: a step without a reason is refused however it comes.
    let mut app = app(&desk, Lang::En, "default", None);
    let listed = text(&screen(&mut app, ":nt<Enter>"));
    let open = hits_on(&listed, &desk.desk).remove(0);
    assert!(open.is_open(), "{}", open.id);
    let step = HitStep {
        at: common::console::now(),
        officer_id: "CB-000003".parse().expect("id"),
        outcome: HitOutcome::NotThePerson,
        confirmed_by: None,
        confirmed_at: None,
        note: "  ".into(),
    };
    assert!(
        matches!(
            desk.desk.add_hit_step(open.id, step),
            Err(ServiceError::Rule(_))
        ),
        "a 'not the person' with no reason was saved"
    );
}

/// Bug 9: an administrator through the daemon is refused as the form would open, in words
/// (the role and what it may not do), never an internal method name.
#[test]
fn a_role_that_may_not_save_a_form_is_told_at_a() {
    use trucban::service::DeskApi;
    use trucban::service::session::{Clock, SessionDesk};
    let desk = desk();
    desk.desk
        .set_account(
            "quang",
            "CB-000001".parse().expect("id"),
            Some("246810".into()),
        )
        .expect("account");
    let now = common::console::now();
    let session =
        SessionDesk::admit(&desk.desk, "quang", Clock::from_fn(move || now)).expect("admitted");
    for lang in [Lang::Vi, Lang::En] {
        let (refusal, form_title) = match lang {
            Lang::Vi => (
                "Vai trò quản trị không được ghi kết quả đối chiếu (dành cho: trực ban, chỉ huy)",
                "~",
            ),
            Lang::En => (
                "Role administrator may not record hit outcomes (for: duty officer, supervisor)",
                "~",
            ),
        };
        let mut app =
            trucban::app::App::new(&session, common::console::options(lang, "default", None));
        app.start(24, now);
        screen(&mut app, ":nt<Enter>");
        let shown = text(&screen(&mut app, "a"));
        assert_eq!(
            overlay_kind(&app),
            "none",
            "{lang:?}: a form opened:\n{shown}"
        );
        assert!(shown.contains(refusal), "{lang:?}:\n{shown}");
        assert!(
            !shown.contains("add_hit_step")
                && !shown
                    .lines()
                    .any(|l| l.contains(form_title) && l.contains('│')),
            "{lang:?}:\n{shown}"
        );
    }
}

/// Friction: at 80 columns the hint bar keeps the command line, help and quit on every
/// table view, in both languages (other hints give way), and every cut text ends in `…`.
#[test]
fn the_hint_bar_always_shows_the_way_out() {
    let desk = desk();
    let dir = tempfile::tempdir().expect("temp");
    let long_words = dir.path().join("keymap.toml");
    std::fs::write(
        &long_words,
        "[[table]]\non = \"/\"\nrun = \"filter\"\nhint = true\n\
         vi = \"Lọc các dòng của bảng theo bất kỳ chữ nào trong đó, có dấu hay không\"\n\
         en = \"Filter the rows of this table by any text in them, with or without marks\"\n\
         [[table]]\non = \":\"\nrun = \"command-line\"\nhint = true\nvi = \"Lệnh\"\nen = \"Command\"\n\
         [[table]]\non = \"?\"\nrun = \"help\"\nhint = true\nvi = \"Trợ giúp\"\nen = \"Help\"\n\
         [[table]]\non = \"q\"\nrun = \"quit\"\nhint = true\nvi = \"Thoát\"\nen = \"Quit\"\n",
    )
    .expect("write");
    for lang in [Lang::Vi, Lang::En] {
        let pinned = match lang {
            Lang::Vi => [": Lệnh", "? Trợ giúp", "q Thoát"],
            Lang::En => [": Command", "? Help", "q Quit"],
        };
        for alias in [
            "tn", "nt", "bn", "ld", "ph", "lt", "kh", "kbm", "kt", "ckt", "cd", "pc", "nk", "gc",
            "baocao",
        ] {
            let mut app = app(&desk, lang, "default", None);
            // An officer's own keymap with long words before the three: the others give way.
            app.keymap = trucban::app::keymap::Keymap::load(Some(&long_words)).expect("keymap");
            let shown = text(&screen(&mut app, &format!(":{alias}<Enter>")));
            let hint = shown.split('\n').rev().nth(1).unwrap_or_default();
            for key in pinned {
                assert!(hint.contains(key), "{lang:?} :{alias}: {hint:?}");
            }
        }
    }
}

/// Bug 4: a form's box keeps its shape whatever is typed — every line inside its borders,
/// long values cut with `…`, long choices on their own line, and the field in focus always
/// inside the box (a long form scrolls), in both languages.
#[test]
fn a_form_keeps_its_box_whatever_is_typed() {
    let desk = desk();
    let long =
        "cơ sở không xuất trình sổ đăng ký lưu trú, không thông báo lưu trú cho 3 khách nước ngoài";
    for lang in [Lang::Vi, Lang::En] {
        let (violations, note) = match lang {
            Lang::Vi => ("Vi phạm", "Ghi chú"),
            Lang::En => ("Violations", "Note"),
        };
        let mut app = app(&desk, lang, "default", None);
        let opened = text(&screen(&mut app, ":lt<Enter>a"));
        // Down to the violations, type a long text, then on to the note and the officer.
        let mut shown = opened.clone();
        for _ in 0..30 {
            if focused_line(&shown).is_some_and(|l| l.contains(violations)) {
                break;
            }
            shown = text(&screen(&mut app, "<Tab>"));
        }
        assert!(
            focused_line(&shown).is_some_and(|l| l.contains(violations)),
            "{lang:?}:\n{shown}"
        );
        let typed = text(&screen(&mut app, long));
        for (shown, on) in [
            (typed.clone(), violations),
            (text(&screen(&mut app, "<Tab>")), note),
            (text(&screen(&mut app, "<S-Tab>")), violations),
        ] {
            box_is_whole(&shown, lang);
            let focus = focused_line(&shown)
                .unwrap_or_else(|| panic!("{lang:?}: focus off the box:\n{shown}"));
            assert!(focus.contains(on), "{lang:?}: {on}: {focus}\n{shown}");
        }
        // Typing: the end of the text and the cursor; elsewhere: its start, cut with `…`.
        assert!(
            focused_line(&typed).is_some_and(|l| l.contains("… lưu trú cho 3 khách nước ngoài▏│")),
            "{lang:?}:\n{typed}"
        );
        let away = text(&screen(&mut app, "<Tab>"));
        assert!(
            away.contains("cơ sở không xuất trình sổ đăng k…│"),
            "{lang:?}:\n{away}"
        );
        screen(&mut app, "<Esc>");
    }
}

/// The line of the field in focus inside a form's box.
fn focused_line(shown: &str) -> Option<&str> {
    shown.lines().find(|l| l.contains("│› "))
}

/// Every line of the form's box has both borders in the same columns.
fn box_is_whole(shown: &str, lang: Lang) {
    use unicode_width::UnicodeWidthStr;
    // Below the title and the status line (whose parts are parted by `│` too).
    let inside: Vec<&str> = shown.lines().skip(2).filter(|l| l.contains('│')).collect();
    assert!(!inside.is_empty(), "{lang:?}: no box:\n{shown}");
    let right = |l: &str| l.rfind('│').map(|i| l[..i].width());
    let first = right(inside[0]);
    for line in &inside {
        assert_eq!(
            right(line),
            first,
            "{lang:?}: a line out of the box: {line:?}\n{shown}"
        );
    }
}

/// Friction: an inspection's confirmation lists the items that failed, and the box grows
/// to hold them with its keys still showing.
#[test]
fn an_inspection_confirmation_lists_what_failed() {
    let desk = desk();
    for (lang, failed, keys) in [
        (
            Lang::Vi,
            "không đạt: Sổ đăng ký khách lưu trú, Camera an ninh",
            "Enter/y: lưu",
        ),
        (Lang::En, "failed: ", "Enter/y: save"),
    ] {
        let mut app = app(&desk, lang, "default", None);
        // Date, officer, then the first item and the camera item set to "fail".
        let shown = text(&screen(
            &mut app,
            ":lt<Enter>a<Tab><Tab><Right><Tab><Tab><Tab><Tab><Right><Tab><Tab><Tab>sổ không ghi khách; camera hỏng<Enter>",
        ));
        assert_eq!(overlay_kind(&app), "confirm", "{lang:?}:\n{shown}");
        let joined: String = shown
            .lines()
            .filter(|l| l.contains('│'))
            .map(|l| l.split('│').nth(1).unwrap_or_default().trim())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(joined.contains(failed), "{lang:?}: {joined}\n{shown}");
        assert!(shown.contains(keys), "{lang:?}:\n{shown}");
        screen(&mut app, "<Esc><Esc>");
    }
}
