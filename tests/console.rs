//! The console driven as an officer drives it: key strings over ratatui's `TestBackend`, a
//! fixed clock and a seeded temporary store. Whole screens are snapshots (insta, 80×24);
//! styles that carry meaning are checked on the buffer, since snapshots cannot see them.

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use common::console::{Desk, app, desk, now, options, screen, text};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use trucban::app::App;
use trucban::i18n::Lang;
use trucban::ui::theme::{self, NoUserThemes, Role};

fn row_of(buffer: &Buffer, needle: &str) -> u16 {
    text(buffer)
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{}", text(buffer))) as u16
}

#[test]
fn every_view_at_80x24() {
    let desk = desk();
    for alias in [
        "tn", "nt", "bn", "ld", "ph", "lt", "kh", "kbm", "kt", "ckt", "cd", "pc", "nk", "gc",
    ] {
        let mut app = app(&desk, Lang::Vi, "default", None);
        let shown = text(&screen(&mut app, &format!(":{alias}<Enter>")));
        insta::assert_snapshot!(format!("view_{alias}"), shown);
    }
}

#[test]
fn english_names_and_labels() {
    let desk = desk();
    let mut app = app(&desk, Lang::En, "default", None);
    let shown = text(&screen(&mut app, ":lodging<Enter>"));
    assert!(
        shown.contains("Lodging") && shown.contains("Commune"),
        "{shown}"
    );
    insta::assert_snapshot!("lodging_en", shown);
    let shown = text(&screen(&mut app, "<Enter>"));
    insta::assert_snapshot!("lodging_detail_en", shown);
}

#[test]
fn detail_links_and_breadcrumbs() {
    let desk = desk();
    let mut app = app(&desk, Lang::Vi, "default", None);
    let shown = text(&screen(&mut app, "<Enter>"));
    assert!(
        shown.starts_with("trucban │ Truy nã › Lý Páo Khua › QĐ 100/QĐ-CSĐT"),
        "{shown}"
    );
    insta::assert_snapshot!("wanted_detail", shown);
    // Follow the link to the person, then back.
    let shown = text(&screen(&mut app, "<Enter>"));
    assert!(
        shown.starts_with("trucban │ Truy nã › Lý Páo Khua › QĐ 100/QĐ-CSĐT › Lý Páo Khua"),
        "{shown}"
    );
    assert!(shown.contains("CCCD 999"), "{shown}");
    let shown = text(&screen(&mut app, "<Esc>"));
    assert!(
        shown.starts_with("trucban │ Truy nã › Lý Páo Khua › QĐ 100/QĐ-CSĐT\n"),
        "{shown}"
    );
    let shown = text(&screen(&mut app, "<Esc>"));
    assert!(shown.starts_with("trucban │ Truy nã\n"), "{shown}");
}

#[test]
fn an_establishment_links_its_guests_and_inspections() {
    let desk = desk();
    let mut app = app(&desk, Lang::Vi, "default", None);
    let shown = text(&screen(&mut app, ":lt<Enter><Enter>"));
    assert!(shown.contains("── Liên quan"), "{shown}");
    let links = shown
        .lines()
        .skip_while(|l| !l.contains("── Liên quan"))
        .count();
    assert!(links > 1, "{shown}");
    assert!(
        app.state.details[0]
            .links
            .iter()
            .any(|l| l.id.kind() == trucban::domain::Kind::GuestStay)
    );
    assert!(
        app.state.details[0]
            .links
            .iter()
            .any(|l| l.id.kind() == trucban::domain::Kind::Inspection)
    );
}

#[test]
fn filter_sort_and_count() {
    let desk = desk();
    let mut app = app(&desk, Lang::Vi, "default", None);
    let shown = text(&screen(&mut app, "/hung"));
    assert!(shown.contains("(lọc từ 300)"), "{shown}");
    assert!(
        shown
            .lines()
            .last()
            .unwrap_or_default()
            .starts_with("/hung"),
        "{shown}"
    );
    let count = app.state.table.shown.len();
    assert!(count > 0 && count < 300);
    // Accept the filter, sort by ID descending, then by name.
    screen(&mut app, "<Enter>S");
    let ids: Vec<u64> = app
        .state
        .table
        .shown
        .iter()
        .map(|&i| app.state.table.rows[i].id.num())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "{ids:?}");
    let shown = text(&screen(&mut app, "s"));
    assert!(shown.contains("Họ tên ▲"), "{shown}");
    insta::assert_snapshot!("wanted_filtered_sorted", shown);
    // Esc clears the filter; G goes to the last row.
    let shown = text(&screen(&mut app, "<Esc>G"));
    assert!(shown.contains("300/300"), "{shown}");
}

#[test]
fn command_line_completes_and_remembers() {
    let desk = desk();
    let mut app = app(&desk, Lang::Vi, "default", None);
    let shown = text(&screen(&mut app, ":caod<Tab>"));
    assert!(
        shown
            .lines()
            .last()
            .unwrap_or_default()
            .starts_with(":caodiem"),
        "{shown}"
    );
    screen(&mut app, "<Enter>");
    assert_eq!(app.state.view, trucban::app::views::View::Campaigns);
    screen(&mut app, ":nope<Enter>");
    assert!(
        app.state
            .status
            .as_ref()
            .is_some_and(|s| s.error && s.text.contains(":nope"))
    );
    let shown = text(&screen(&mut app, ":<Up><Up>"));
    assert!(
        shown
            .lines()
            .last()
            .unwrap_or_default()
            .starts_with(":caodiem"),
        "{shown}"
    );
}

#[test]
fn help_is_generated_from_the_keymap() {
    let desk = desk();
    let mut app = app(&desk, Lang::En, "default", None);
    let shown = text(&screen(&mut app, "?"));
    for binding in app
        .keymap
        .bindings(trucban::app::keymap::Mode::Table)
        .iter()
        .take(8)
    {
        assert!(
            shown.contains(binding.en.as_str()),
            "help lacks {:?}:\n{shown}",
            binding.en
        );
    }
    insta::assert_snapshot!("help_en", shown);
    let shown = text(&screen(&mut app, "<Esc>"));
    assert!(!shown.contains("Help — keys"));
}

#[test]
fn the_three_forms_validate_confirm_and_save() {
    let desk = desk();
    let mut app = app(&desk, Lang::Vi, "default", None);
    // Wanted status: the note is required.
    let shown = text(&screen(&mut app, "a<Enter>"));
    assert!(shown.contains("✗ Cần nhập"), "{shown}");
    let shown = text(&screen(&mut app, "bắt tại chợ Mường Tè<Enter>"));
    assert!(shown.contains("Lưu nội dung này?"), "{shown}");
    insta::assert_snapshot!("wanted_status_confirm", shown);
    let shown = text(&screen(&mut app, "<Enter>"));
    assert!(shown.contains("Đã lưu TN-000001"), "{shown}");
    assert!(shown.contains("đã bắt"), "{shown}");
    // An officer who does not exist: caught at Enter, before the confirmation, in the
    // officer's language, on the field; the form stays.
    let shown = text(&screen(
        &mut app,
        ":ld<Enter>a<Tab>Bản Lả<Tab><Tab><BS><BS><BS>999<Enter>",
    ));
    assert!(
        shown.contains("✗ Không có cán bộ CB-000999 trong dữ liệu"),
        "{shown}"
    );
    assert!(matches!(
        app.state.overlay,
        trucban::app::state::Overlay::Form(_)
    ));
    screen(&mut app, "<Esc>:tn<Enter>");
    // Sighting on a watch entry.
    let shown = text(&screen(
        &mut app,
        ":ld<Enter>a<Tab>Chợ phiên Sìn Hồ<Enter><Enter>",
    ));
    assert!(shown.contains("Đã lưu PH-000401"), "{shown}");
    // Inspection: a failed item needs a violation.
    let shown = text(&screen(&mut app, ":lt<Enter>a<Tab><Tab><Right><Enter>"));
    assert!(shown.contains("✗ Có mục không đạt"), "{shown}");
    // The form put the cursor on the first bad field: the violations.
    let shown = text(&screen(&mut app, "Không có sổ đăng ký<Enter>y"));
    assert!(shown.contains("Đã lưu KT-000301"), "{shown}");
}

#[test]
fn a_closed_form_leaves_a_draft_that_is_offered_again() {
    let desk = desk();
    let drafts = tempfile::tempdir().expect("temp");
    {
        let mut app = app(
            &desk,
            Lang::Vi,
            "default",
            Some(drafts.path().to_path_buf()),
        );
        screen(&mut app, "ja<Tab>tin báo chưa xong");
        // The link drops here: no Esc, no save.
    }
    let mut app = app(
        &desk,
        Lang::Vi,
        "default",
        Some(drafts.path().to_path_buf()),
    );
    let shown = text(&screen(&mut app, ""));
    assert!(shown.contains("Có bản nháp chưa lưu"), "{shown}");
    let shown = text(&screen(&mut app, "<Enter>"));
    assert!(shown.contains("tin báo chưa xong"), "{shown}");
    screen(&mut app, "<Enter><Enter>");
    assert!(
        std::fs::read_dir(drafts.path())
            .expect("dir")
            .next()
            .is_none(),
        "the draft stays after saving"
    );
}

#[test]
fn danger_and_selection_carry_style_and_text() {
    let desk = desk();
    let theme = theme::load("default", &NoUserThemes).expect("theme");
    let mut app = app(&desk, Lang::Vi, "default", None);
    let buffer = screen(&mut app, "");
    // TN-000002 is especially dangerous and not selected (the selection style would win).
    let y = row_of(&buffer, "TN-000002");
    let x = text(&buffer)
        .lines()
        .nth(usize::from(y))
        .and_then(|l| l.chars().position(|c| c == '‼'))
        .expect("glyph on that row") as u16;
    let danger = theme.style(Role::AlertDanger);
    assert_eq!(
        buffer[(x, y)].fg,
        danger.fg.unwrap_or_default(),
        "especially dangerous is coloured"
    );
    // The selected row carries the marker glyph as well as a style.
    let selected = row_of(&buffer, "▶");
    assert_eq!(selected, row_of(&buffer, "TN-000001"));
    // The ID cell is coloured (cheap on the wire); the rest of the row keeps its own style.
    assert_eq!(
        buffer[(4, selected)].bg,
        theme.style(Role::Selection).bg.unwrap_or_default()
    );
    assert_eq!(
        buffer[(20, selected)].bg,
        theme.style(Role::Base).bg.unwrap_or_default()
    );
    // low-bandwidth: the marker alone shows the selection.
    let mut lean = app_with_theme(&desk, "low-bandwidth");
    let buffer = screen(&mut lean, "");
    let lean_theme = theme::load("low-bandwidth", &NoUserThemes).expect("theme");
    let selected = row_of(&buffer, "▶");
    assert_eq!(
        buffer[(20, selected)].bg,
        lean_theme.style(Role::Base).bg.unwrap_or_default()
    );
}

fn app_with_theme<'a>(desk: &'a Desk, name: &str) -> App<'a> {
    app(desk, Lang::Vi, name, None)
}

#[test]
fn every_theme_draws_every_view_without_panic() {
    let desk = desk();
    for name in theme::builtin_names() {
        let mut app = app_with_theme(&desk, name);
        for alias in ["tn", "lt", "cd", "nk"] {
            screen(&mut app, &format!(":{alias}<Enter><Enter>?<Esc><Esc>"));
        }
    }
}

#[test]
fn a_small_terminal_gets_a_message() {
    let desk = desk();
    let app = app(&desk, Lang::En, "default", None);
    let mut terminal = Terminal::new(TestBackend::new(60, 20)).expect("terminal");
    app.draw(&mut terminal).expect("draw");
    assert!(text(terminal.backend().buffer()).contains("Terminal too small"));
}

/// A view over more records than the cap holds the newest `cap`, newest first, and says how
/// many there are in all and how to reach the rest. (The cap is lowered here; the sample has
/// 300 wanted notices and 5,000 guest stays.)
#[test]
fn a_view_over_more_records_than_the_cap_loads_the_newest_and_says_so() {
    let desk = desk();
    for (lang, note) in [
        (
            Lang::Vi,
            "Hiện 100 hồ sơ mới nhất trong số 300 — tìm (<C-p>) để xem phần còn lại",
        ),
        (
            Lang::En,
            "Showing the newest 100 of 300 — search (<C-p>) finds the rest",
        ),
    ] {
        let mut options = options(lang, "default", None);
        options.row_cap = 100;
        let mut app = App::new(&desk.desk, options);
        app.start(24, now());
        let table = &app.state.table;
        assert_eq!((table.rows.len(), table.total), (100, 300));
        let ids: Vec<u64> = table.rows.iter().map(|r| r.id.num()).collect();
        assert_eq!(ids, (201..=300).rev().collect::<Vec<_>>());
        let shown = text(&screen(&mut app, ""));
        assert!(shown.contains("▶ TN-000300"), "{shown}");
        assert_eq!(shown.lines().last(), Some(note), "{shown}");
        assert!(shown.contains("1/100"), "{shown}");

        // A message takes the status line for a while; the note comes back after it.
        let shown = text(&screen(&mut app, ":nosuch<Enter>"));
        assert!(!shown.contains(note), "{shown}");
        let shown = text(&screen(&mut app, "j"));
        assert_eq!(shown.lines().last(), Some(note), "{shown}");

        // The guest stays: 5,000 of them, the newest 100 loaded.
        let shown = text(&screen(&mut app, ":khach<Enter>"));
        let table = &app.state.table;
        assert_eq!((table.rows.len(), table.total), (100, 5000));
        assert!(shown.contains("▶ LT-005000"), "{shown}");
        let total = if lang == Lang::Vi { "5.000" } else { "5,000" };
        assert!(
            shown.lines().last().is_some_and(|l| l.contains(total)),
            "{shown}"
        );
    }
}

/// At the cap or under it, the view holds every record in ID order and says nothing more.
#[test]
fn a_view_within_the_cap_holds_everything_in_id_order() {
    let desk = desk();
    let mut options = options(Lang::En, "default", None);
    options.row_cap = 300;
    let mut app = App::new(&desk.desk, options);
    app.start(24, now());
    let table = &app.state.table;
    assert_eq!((table.rows.len(), table.total), (300, 300));
    let ids: Vec<u64> = table.rows.iter().map(|r| r.id.num()).collect();
    assert_eq!(ids, (1..=300).collect::<Vec<_>>());
    let shown = text(&screen(&mut app, ""));
    // The status line, the last of the 24, is blank.
    assert_eq!(shown.split('\n').nth(23), Some(""), "{shown}");
}

/// The lodging check lists: the late-declaration board and the establishments to inspect
/// open the establishment on Enter, and `a` opens its inspection form, filled in for it.
#[test]
fn check_lists_open_the_establishment_and_its_inspection_form() {
    use trucban::app::forms::FormKind;
    use trucban::app::state::Overlay;
    use trucban::app::views::View;
    let desk = desk();
    let mut app = app(&desk, Lang::Vi, "default", None);
    let shown = text(&screen(&mut app, ":kbm<Enter>"));
    assert_eq!(app.state.view, View::LateDeclarations);
    assert!(
        shown.starts_with("trucban │ Khai báo muộn 7 đêm\n"),
        "{shown}"
    );
    assert!(!app.state.table.rows.is_empty());
    // The status line names the guest stays behind the selected row's counts.
    let last = shown.lines().last().unwrap_or_default();
    assert!(
        (last.starts_with("Muộn: LT-") || last.starts_with("Chưa TB: LT-")),
        "{shown}"
    );
    // Enter lists that night's stays, the establishment of the selected row first.
    let place = app.state.table.selected_id().expect("a row");
    assert_eq!(place.kind(), trucban::domain::Kind::Establishment);
    let shown = text(&screen(&mut app, "<Enter>"));
    assert_eq!(
        app.state.details.first().map(|d| d.links[0].id),
        Some(place)
    );
    assert!(
        shown.starts_with("trucban │ Khai báo muộn 7 đêm › "),
        "{shown}"
    );
    assert!(shown.contains(&place.to_string()), "{shown}");

    // The inspection list, worst first; Enter opens the establishment.
    let shown = text(&screen(&mut app, "<Esc>:ckt<Enter>"));
    assert_eq!(app.state.view, View::ToInspect);
    assert!(shown.contains("1/80"), "{shown}");
    let first = app.state.table.selected_id().expect("a row");
    let score_of = |app: &trucban::app::App, id| {
        app.state
            .table
            .rows
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.cells.get(2))
            .and_then(|c| c.text.trim().parse::<u32>().ok())
            .expect("a score")
    };
    let score_before = score_of(&app, first);
    screen(&mut app, "<Enter>");
    assert_eq!(app.state.details.first().map(|d| d.id), Some(first));
    // `a` from the list: the inspection form for that establishment, every check item in it.
    screen(&mut app, "<Esc>a");
    let Overlay::Form(form) = &app.state.overlay else {
        panic!("no form: {:?}", app.state.overlay)
    };
    assert_eq!((form.kind, form.target), (FormKind::Inspection, first));
    for (item, _) in trucban::domain::lodging::CHECK_ITEMS {
        assert!(form.fields.iter().any(|f| f.key == item), "{item}");
    }
    // Record a failed register with its violation: the list reloads and the place, just
    // inspected, scores lower.
    let shown = text(&screen(
        &mut app,
        "<Tab><Tab><Right><Down><Down><Down><Down><Down><Down><Down>Sổ ghi thiếu khách<Enter>y",
    ));
    assert!(shown.contains("Đã lưu KT-000301"), "{shown}");
    assert!(score_of(&app, first) < score_before, "{shown}");
    let saved =
        trucban::service::DeskApi::get(&desk.desk, "KT-000301".parse().expect("id")).expect("get");
    let Some(trucban::domain::Record::Inspection(inspection)) = saved else {
        panic!("not saved: {saved:?}")
    };
    assert_eq!(inspection.establishment_id, first);
    assert_eq!(
        inspection.items.len(),
        trucban::domain::lodging::CHECK_ITEMS.len()
    );
    assert_eq!(
        inspection.violations,
        vec!["Sổ ghi thiếu khách".to_string()]
    );
}

#[test]
fn check_lists_in_english() {
    let desk = desk();
    let mut app = app(&desk, Lang::En, "default", None);
    let shown = text(&screen(&mut app, ":late<Enter>"));
    assert!(
        shown.starts_with("trucban │ Late declarations, 7 nights\n"),
        "{shown}"
    );
    assert!(
        shown.contains("Fine band") && shown.contains("1–3 guests"),
        "{shown}"
    );
    let shown = text(&screen(&mut app, ":inspect-next<Enter>"));
    assert!(
        shown.contains("To inspect") && shown.contains("Reasons"),
        "{shown}"
    );
    insta::assert_snapshot!("to_inspect_en", shown);
    let shown = text(&screen(&mut app, "a"));
    for label in [
        "Guest register kept",
        "Guests' identity papers checked",
        "pass",
    ] {
        assert!(shown.contains(label), "{label}: {shown}");
    }
}

#[test]
fn the_hits_queue_shows_the_pair_side_by_side_and_confirming_needs_the_agency() {
    use trucban::app::state::Overlay;
    use trucban::app::update::{Action, Ctx, Effect, update};
    let desk = desk();
    let mut app = app(&desk, Lang::Vi, "default", None);
    assert_eq!(
        app.state.wakes_in(now()),
        Some(std::time::Duration::from_secs(60)),
        "the Wanted view wakes only for the status line's clock, at the next minute"
    );
    let shown = text(&screen(&mut app, ":nt<Enter>"));
    assert!(shown.starts_with("trucban │ Nghi trùng\n"), "{shown}");
    // Open hits first, especially dangerous first: the top row has the 10-minute deadline.
    let top = shown.lines().nth(3).unwrap_or_default();
    assert!(
        top.contains("còn 10 ph") && top.contains("báo động"),
        "{shown}"
    );
    // The countdown moves without a key: the shell wakes every 30 s and the view reloads.
    assert_eq!(
        app.state.wakes_in(now()),
        Some(std::time::Duration::from_secs(30))
    );
    let keymap = trucban::app::keymap::Keymap::builtin();
    let ctx = Ctx {
        now: now(),
        keymap: &keymap,
    };
    let mut state = app.state.clone();
    let tick = update(&mut state, Action::Tick, &ctx);
    assert_eq!(
        tick.effects,
        vec![Effect::Load(trucban::app::views::View::Hits)]
    );

    let shown = text(&screen(&mut app, "<Enter>"));
    for needed in [
        "Hạn xác nhận",
        "ĐT · địa chỉ",
        "0213 555",
        "Đối chiếu",
        "Lý do",
    ] {
        assert!(shown.contains(needed), "{needed}: {shown}");
    }
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with("  ≠ ") || l.starts_with("    ")),
        "{shown}"
    );
    // Confirming with no one named at the agency is refused, and nothing is saved.
    let shown = text(&screen(&mut app, "a<Enter>"));
    assert!(shown.contains("Chỉ xác nhận khi cơ quan"), "{shown}");
    assert!(matches!(app.state.overlay, Overlay::Form(_)));
    // Named: saved, with the officer and the time.
    // The focus is on the field in error.
    let shown = text(&screen(&mut app, "Đại úy Lò Văn Minh PC02<Enter>y"));
    assert!(shown.contains("Đã lưu NT-"), "{shown}");
    let id = app.state.details.last().map(|d| d.id).expect("the hit");
    let Some(trucban::domain::Record::Hit(hit)) =
        trucban::service::DeskApi::get(&desk.desk, id).expect("get")
    else {
        panic!("not a hit")
    };
    assert_eq!(hit.steps.len(), 1);
    assert_eq!(
        hit.steps[0].confirmed_by.as_deref(),
        Some("Đại úy Lò Văn Minh PC02")
    );
    assert!(!hit.is_open());
}

#[test]
fn a_campaign_shows_its_roster_on_duty_now_next_and_problems() {
    let desk = desk();
    let mut app = app(&desk, Lang::En, "default", None);
    let buffer = screen(&mut app, ":campaigns<Enter>G<Enter>");
    insta::assert_snapshot!(text(&buffer));
}
