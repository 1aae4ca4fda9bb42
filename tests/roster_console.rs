//! The roster page of the console, driven by keys over `TestBackend` on the sample store
//! with the fixed clock (27/11/2026 09:30, the last day of the third campaign): a day at a
//! time, day to day, and a supervisor's add, move and swap through forms — saved when the
//! checks pass, refused with the problems in the officer's language (and nothing written)
//! when they do not. Also `trucban roster check` with a minimum rest from the config file.

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use chrono::NaiveDate;
use common::console::{Desk, desk, now, options, screen, text};
use trucban::app::App;
use trucban::domain::{Kind, Record, RecordId, Shift};
use trucban::i18n::Lang;
use trucban::service::roster::{Roster, RosterSlot};
use trucban::service::{DeskApi, ListQuery};

/// A supervisor in the sample (CB-000001/2 are administrators, CB-000003 the auditor).
const SUPERVISOR: &str = "CB-000004";
const CAMPAIGN: &str = "CD-000003";

fn campaign() -> RecordId {
    CAMPAIGN.parse().expect("id")
}

fn date(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("date")
}

fn app(desk: &Desk, lang: Lang) -> App<'_> {
    let mut options = options(lang, "default", None);
    options.officer = Some(SUPERVISOR.parse().expect("officer"));
    let mut app = App::new(&desk.desk, options);
    app.start(24, now());
    app
}

/// The slots of one post and shift of the campaign's roster.
fn slots(roster: &Roster, day: NaiveDate, shift: Shift, post: usize) -> Vec<RosterSlot> {
    roster
        .shifts
        .iter()
        .find(|s| s.date == day && s.shift == shift)
        .map(|s| s.posts[post].slots.clone())
        .unwrap_or_else(|| panic!("no {day} {shift:?}"))
}

fn roster(desk: &Desk) -> Roster {
    desk.desk.roster(campaign()).expect("roster")
}

fn assignments(desk: &Desk) -> usize {
    desk.desk
        .list(&ListQuery::all(Kind::Assignment))
        .expect("list")
        .total
}

/// An officer with no assignment from the day before `day` to the day after: adding them
/// on `day` can clash with nothing.
fn free_officer(desk: &Desk, day: NaiveDate) -> RecordId {
    let busy: Vec<RecordId> = [day.pred_opt(), Some(day), day.succ_opt()]
        .into_iter()
        .flatten()
        .flat_map(|d| desk.desk.roster_on(d).expect("roster on"))
        .filter_map(|r| match r {
            Record::Assignment(a) => Some(a.officer_id),
            _ => None,
        })
        .collect();
    desk.desk
        .list(&ListQuery::all(Kind::Officer))
        .expect("officers")
        .records
        .iter()
        .map(Record::id)
        .find(|id| !busy.contains(id))
        .unwrap_or_else(|| panic!("no free officer around {day}"))
}

/// The campaigns table, the last campaign (the current one), its roster page.
const OPEN: &str = ":cd<Enter>Gr";

#[test]
fn the_day_page_fits_80x24_with_five_posts_and_marks_the_shift_on_duty() {
    let desk = desk();
    let mut app = app(&desk, Lang::Vi);
    let buffer = screen(&mut app, OPEN);
    let shown = text(&buffer);
    insta::assert_snapshot!("roster_day_vi", shown);
    assert!(
        shown.starts_with("trucban │ Cao điểm › Phân công 27/11/2026\n"),
        "{shown}"
    );
    assert!(shown.contains("Thứ Sáu 27/11/2026 · ngày 14/14"), "{shown}");
    // 09:30 is in the day shift: marked by a glyph (and the ok role, checked below).
    assert!(shown.contains("● ca ngày 07:30–19:30"), "{shown}");
    assert!(!shown.contains("● ca đêm"), "{shown}");
    // Every post of the plan, every officer of the day with the leaders marked; no name cut.
    let r = roster(&desk);
    for shift in [Shift::Day, Shift::Night] {
        for post in 0..5 {
            for slot in slots(&r, date(27), shift, post) {
                assert!(shown.contains(&slot.officer), "{} missing", slot.officer);
                if slot.role == trucban::domain::AssignmentRole::Leader {
                    assert!(shown.contains(&format!("* {}", slot.officer)), "{shown}");
                }
            }
        }
    }
    // A long post name wraps within its column instead of being cut.
    assert!(shown.contains("\nTrạm kiểm soát QL4D "), "{shown}");
    assert!(shown.contains("\nBình Lư "), "{shown}");
    assert!(!shown.contains('…') || !shown.contains("Trạm kiểm soát QL4D…"));
    let row = shown
        .lines()
        .position(|l| l.contains("● ca ngày"))
        .expect("header row");
    let cell = buffer
        .content
        .iter()
        .skip(row * 80)
        .take(80)
        .find(|c| c.symbol() == "●")
        .expect("marker cell");
    let theme =
        trucban::ui::theme::load("default", &trucban::ui::theme::NoUserThemes).expect("theme");
    assert_eq!(
        cell.fg,
        theme
            .style(trucban::ui::theme::Role::Ok)
            .fg
            .unwrap_or_default()
    );
}

#[test]
fn previous_and_next_day_stop_at_the_campaign_and_today_comes_back() {
    let desk = desk();
    let mut app = app(&desk, Lang::En);
    let shown = text(&screen(&mut app, &format!("{OPEN}[")));
    assert!(
        shown.contains("Thursday 26 Nov 2026 · day 13/14"),
        "{shown}"
    );
    // Not today: nobody's shift is marked on duty.
    assert!(
        !shown.contains("● day") && !shown.contains("● night"),
        "{shown}"
    );
    let shown = text(&screen(&mut app, "<PageUp><PageUp>"));
    assert!(shown.contains("Tuesday 24 Nov 2026 · day 11/14"), "{shown}");
    let shown = text(&screen(&mut app, "]"));
    assert!(shown.contains("25 Nov 2026 · day 12/14"), "{shown}");
    let shown = text(&screen(&mut app, "t"));
    assert!(shown.contains("Friday 27 Nov 2026 · day 14/14"), "{shown}");
    // The last day: no further, and the officer is told.
    let shown = text(&screen(&mut app, "]"));
    assert!(shown.contains("27 Nov 2026 · day 14/14"), "{shown}");
    assert!(
        shown.contains("Already at the campaign's first/last day"),
        "{shown}"
    );
    // Every day of the campaign has both shifts of every post (nobody = shown as such).
    let shown = text(&screen(&mut app, &"[".repeat(20)));
    assert!(shown.contains("14 Nov 2026 · day 1/14"), "{shown}");
    // Esc leaves the page for the campaigns table.
    let shown = text(&screen(&mut app, "<Esc>"));
    assert!(shown.starts_with("trucban │ Campaigns\n"), "{shown}");
}

#[test]
fn a_supervisor_adds_an_officer_to_the_selected_post_and_shift() {
    let desk = desk();
    let newcomer = free_officer(&desk, date(26));
    let before = assignments(&desk);
    let mut app = app(&desk, Lang::Vi);
    // 26/11, night column, first post: the form is filled in with that slot.
    let shown = text(&screen(&mut app, &format!("{OPEN}[la")));
    assert!(shown.contains("Phân công: thêm người"), "{shown}");
    assert!(shown.contains("26/11/2026"), "{shown}");
    assert!(shown.contains("‹ ca đêm ›"), "{shown}");
    assert!(shown.contains("‹ Chốt Ma Lù Thàng ›"), "{shown}");
    let shown = text(&screen(&mut app, &format!("{newcomer}<Enter>")));
    assert!(shown.contains("Lưu nội dung này?"), "{shown}");
    let shown = text(&screen(&mut app, "<Enter>"));
    assert_eq!(assignments(&desk), before + 1);
    let night = slots(&roster(&desk), date(26), Shift::Night, 0);
    let added = night
        .iter()
        .find(|s| s.officer_id == newcomer)
        .unwrap_or_else(|| panic!("not added: {night:?}"));
    // What was saved is said, and the page shows it at once.
    assert!(
        shown.contains(&format!(
            "Đã lưu {}: {newcomer} tổ viên · 26/11 ca đêm · Chốt Ma Lù Thàng",
            added.assignment_id
        )),
        "{shown}"
    );
    assert!(shown.contains(&added.officer), "{shown}");
    assert!(shown.contains("Phân công 26/11/2026"), "{shown}");
}

#[test]
fn a_supervisor_moves_an_officer_to_another_post() {
    let desk = desk();
    let first = slots(&roster(&desk), date(27), Shift::Day, 0)[1].clone();
    let mut app = app(&desk, Lang::En);
    // Second line of the day column (the first post's first member); the move form opens
    // on its date; the post is the third field.
    let shown = text(&screen(&mut app, &format!("{OPEN}jm")));
    assert!(shown.contains("Roster: move"), "{shown}");
    assert!(shown.contains(&first.assignment_id.to_string()), "{shown}");
    let shown = text(&screen(&mut app, "<Tab><Tab><Right><Enter><Enter>"));
    assert!(
        shown.contains(&format!(
            "Saved {}: {} → 27 Nov day shift · Chốt U Ma Tu Khoòng",
            first.assignment_id, first.assignment_id
        )),
        "{shown}"
    );
    let r = roster(&desk);
    assert!(
        !slots(&r, date(27), Shift::Day, 0)
            .iter()
            .any(|s| s.assignment_id == first.assignment_id)
    );
    assert!(
        slots(&r, date(27), Shift::Day, 1)
            .iter()
            .any(|s| s.assignment_id == first.assignment_id && s.officer_id == first.officer_id)
    );
}

#[test]
fn a_supervisor_swaps_two_officers_chosen_with_x() {
    let desk = desk();
    let before = slots(&roster(&desk), date(27), Shift::Day, 0);
    let (a, b) = (before[0].clone(), before[2].clone());
    let mut app = app(&desk, Lang::En);
    let shown = text(&screen(&mut app, &format!("{OPEN}x")));
    assert!(
        shown.contains(&format!("Swap: {} chosen", a.assignment_id)),
        "{shown}"
    );
    let shown = text(&screen(&mut app, "jj"));
    assert!(shown.contains(&format!("⇄ * {}", a.officer)), "{shown}");
    let shown = text(&screen(&mut app, "x"));
    assert!(shown.contains("Roster: swap officers"), "{shown}");
    let shown = text(&screen(&mut app, "<Enter><Enter>"));
    assert!(
        shown.contains(&format!(
            "Saved {}, {}: officers swapped {} ⇄ {}",
            a.assignment_id, b.assignment_id, a.assignment_id, b.assignment_id
        )),
        "{shown}"
    );
    let after = slots(&roster(&desk), date(27), Shift::Day, 0);
    let officer_of = |id| {
        after
            .iter()
            .find(|s| s.assignment_id == id)
            .map(|s| s.officer_id)
    };
    assert_eq!(officer_of(a.assignment_id), Some(b.officer_id));
    assert_eq!(officer_of(b.assignment_id), Some(a.officer_id));
}

/// Adds the first post's day leader of 27/11 to the second post on the same shift: a
/// double booking. Returns the screen and the officer.
fn refused(lang: Lang) -> (String, RecordId, String, String) {
    let desk = desk();
    let leader = slots(&roster(&desk), date(27), Shift::Day, 0)[0].clone();
    let before = roster(&desk);
    let count = assignments(&desk);
    let mut app = app(&desk, lang);
    // j ×3: past the first post's three officers to the second post.
    let form = text(&screen(
        &mut app,
        &format!("{OPEN}jjja{}<Enter>", leader.officer_id),
    ));
    let shown = text(&screen(&mut app, "<Enter>"));
    assert_eq!(roster(&desk), before, "nothing written");
    assert_eq!(assignments(&desk), count);
    assert!(
        matches!(app.state.overlay, trucban::app::state::Overlay::Form(_)),
        "the form stays open to correct"
    );
    (shown, leader.officer_id, form, leader.officer)
}

#[test]
fn a_refused_edit_shows_its_problem_in_vietnamese_and_saves_nothing() {
    let (shown, officer, form, _) = refused(Lang::Vi);
    assert!(form.contains("ca ngày · Chốt U Ma Tu Khoòng"), "{form}");
    assert!(
        shown.contains(&format!(
            "✗ {officer} ở hai nơi cùng lúc: phân công mới, PC-"
        )),
        "{shown}"
    );
    assert!(
        shown.contains("Chưa lưu: thay đổi này tạo 1 vấn đề phân công (xem biểu mẫu)"),
        "{shown}"
    );
    assert!(!shown.contains("in two places"), "{shown}");
    insta::assert_snapshot!("roster_refused_vi", shown);
}

#[test]
fn a_refused_edit_shows_its_problem_in_english_and_saves_nothing() {
    let (shown, officer, _, _) = refused(Lang::En);
    assert!(
        shown.contains(&format!(
            "✗ {officer} in two places at once: the new assignment, PC-"
        )),
        "{shown}"
    );
    assert!(
        shown.contains("Not saved: the change would create 1 roster problem(s)"),
        "{shown}"
    );
}

#[test]
fn only_a_supervisor_edits_and_an_empty_post_can_only_be_added_to() {
    let desk = desk();
    let mut options = options(Lang::En, "default", None);
    // CB-000003 is the sample's auditor.
    options.officer = Some("CB-000003".parse().expect("officer"));
    let mut app = App::new(&desk.desk, options);
    app.start(24, now());
    let newcomer = free_officer(&desk, date(27));
    let count = assignments(&desk);
    let shown = text(&screen(
        &mut app,
        &format!("{OPEN}a{newcomer}<Enter><Enter>"),
    ));
    assert!(
        shown.contains("Not saved: CB-000003 is auditor; only a supervisor or an administrator"),
        "{shown}"
    );
    assert_eq!(assignments(&desk), count);
    // r outside a campaign says where it works.
    let mut app = app_vi_wanted(&desk);
    let shown = text(&screen(&mut app, "r"));
    assert!(
        shown.contains("Phân công theo ngày: chọn một đợt cao điểm (:cd) rồi bấm r"),
        "{shown}"
    );
}

fn app_vi_wanted(desk: &Desk) -> App<'_> {
    app(desk, Lang::Vi)
}

#[test]
fn roster_check_honours_the_minimum_rest_of_the_config_file() {
    let desk = common::Desk::new();
    desk.ok(&["seed", "--sample"]);
    // The sample's rotation rests 24 h between a day and the next night: clean by default,
    // short under a 25-hour minimum.
    let first = "CD-000001";
    let out = desk.run(&["roster", "check", "--campaign", first, "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let strict = desk.write("strict.toml", b"[roster]\nmin_rest_hours = 25\n");
    let out = desk.run(&[
        "--config",
        strict.to_str().expect("path"),
        "roster",
        "check",
        "--campaign",
        first,
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let problems = json[0]["problems"].as_array().expect("problems");
    assert!(!problems.is_empty());
    assert!(
        problems.iter().all(|p| p["problem"] == "short_rest"
            && p["rest_minutes"] == 1440
            && p["min_minutes"] == 1500),
        "{problems:?}"
    );
    // A bad value names the file and the key, and nothing runs.
    let bad = desk.write("bad.toml", b"[roster]\nmin_rest_hours = 0\n");
    let out = desk.run(&["--config", bad.to_str().expect("path"), "roster", "check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml: [roster] min_rest_hours = 0: expected 1 to 72 hours"),
        "{err}"
    );
}
