//! The console's tips view and duty-log line on the seeded sample with a fixed clock: a tip
//! recorded through the form (its informant in restricted fields that no draft holds), the
//! view with its deadline, the detail for a named officer; `:ghi` entries linked to a record
//! and a correction pre-filled from the selected entry.

#![allow(clippy::panic)]

mod common;

use common::console::{app, desk, now, screen, text};
use trucban::domain::{Kind, Record, RecordId, TipStatus};
use trucban::i18n::Lang;
use trucban::service::DeskApi;

const RECORD_TIP: &str = ":tb<Enter>n<Tab><Tab>Nghi buôn bán ma túy<Tab>bản Pa Tần<Tab>CB-000004<Tab>Vàng Thị Mỷ<Tab>0912000111";

#[test]
fn a_tip_is_recorded_shown_with_its_deadline_and_its_informant_never_drafted() {
    let desk = desk();
    let drafts = tempfile::tempdir().expect("drafts");
    let mut first = app(
        &desk,
        Lang::Vi,
        "default",
        Some(drafts.path().to_path_buf()),
    );
    // Typed, then closed: the draft is kept without the informant.
    let shown = text(&screen(&mut first, &format!("{RECORD_TIP}<Esc>")));
    drop(first);
    assert!(shown.contains("Đã đóng biểu mẫu"), "{shown}");
    let mut drafted = String::new();
    for file in std::fs::read_dir(drafts.path()).expect("drafts dir") {
        drafted.push_str(&std::fs::read_to_string(file.expect("file").path()).expect("draft"));
    }
    assert!(
        drafted.contains("Pa Tần"),
        "the draft holds the tip: {drafted}"
    );
    assert!(
        !drafted.contains("Vàng Thị Mỷ") && !drafted.contains("0912000111"),
        "{drafted}"
    );

    let before = desk.desk.stats().expect("stats").count(Kind::Tip);
    let id = RecordId::new(Kind::Tip, before as u64 + 1);
    let mut app = app(&desk, Lang::Vi, "default", None);
    let shown = text(&screen(&mut app, &format!("{RECORD_TIP}<Enter>")));
    assert!(
        !shown.contains("Vàng Thị Mỷ"),
        "the confirmation hides the informant: {shown}"
    );
    let shown = text(&screen(&mut app, "y"));
    assert!(shown.contains(&format!("Đã lưu {id}")), "{shown}");
    // Overdue first: the sample's overdue tips lead the view.
    insta::assert_snapshot!("tips_view_vi", shown);
    let shown = text(&screen(&mut app, "/Pa Tần<Enter>"));
    assert!(shown.contains(&format!("{id}  còn 20 ngày")), "{shown}");
    let Ok(Some(Record::Tip(tip))) = desk.desk.get(id) else {
        panic!("saved")
    };
    assert_eq!(tip.deadline(), now() + chrono::Duration::days(20));
    assert_eq!(tip.verifier, Some(RecordId::new(Kind::Officer, 4)));
    let informant = desk
        .desk
        .informant(id, RecordId::new(Kind::Officer, 4))
        .expect("the verifier is named");
    assert_eq!(informant.name, "Vàng Thị Mỷ");

    // The detail, as CB-000003 (who took it) sees it: the informant, restricted.
    let shown = text(&screen(&mut app, "G<Enter>"));
    assert!(shown.contains(&id.to_string()), "{shown}");
    assert!(
        shown.contains("Vàng Thị Mỷ") && shown.contains("MẬT"),
        "{shown}"
    );
    assert!(shown.contains("Hạn và gia hạn"), "{shown}");

    // Extend it from the detail: status, a new deadline and its reason.
    let keys = "a<Right><Tab><Tab>2026-12-31 17:00<Tab>vụ việc phức tạp<Enter>y";
    let shown = text(&screen(&mut app, keys));
    assert!(shown.contains(&format!("Đã lưu {id}")), "{shown}");
    // Passed on to investigators: the case it opens is offered next, linked to it; Esc
    // leaves it for later (its draft kept) and shows the tip again.
    assert!(shown.contains("Ghi nhận vụ án"), "{shown}");
    let shown = text(&screen(&mut app, "<Esc>"));
    assert!(shown.contains("gia hạn đến 31/12/2026 17:00"), "{shown}");
    let Ok(Some(Record::Tip(tip))) = desk.desk.get(id) else {
        panic!("saved")
    };
    assert_eq!(tip.extensions.len(), 1);
    assert_eq!(tip.status, TipStatus::Passed);
}

#[test]
fn overdue_tips_come_first_in_the_view() {
    let desk = desk();
    let received = |days_ago: i64| {
        let mut tip = trucban::domain::Tip {
            id: RecordId::new(Kind::Tip, 0),
            received_at: now() - chrono::Duration::days(days_ago),
            channel: trucban::domain::TipChannel::InPerson,
            content: format!("tin báo {days_ago} ngày trước"),
            place: "xã Mù Cả".into(),
            taken_by: RecordId::new(Kind::Officer, 3),
            verifier: None,
            status: TipStatus::Received,
            first_deadline: now(),
            extensions: Vec::new(),
            settled_at: None,
        };
        tip.content = format!("tin báo {days_ago} ngày trước");
        desk.desk.save_tip(tip, None).expect("tip")
    };
    let fresh = received(2);
    let five_over = received(25);
    let one_over = received(21);
    let mut app = app(&desk, Lang::En, "default", None);
    let shown = text(&screen(&mut app, ":tips<Enter>"));
    let rows: Vec<&str> = shown.lines().filter(|l| l.contains(" TB-0")).collect();
    let overdue = rows.iter().take_while(|r| r.contains("OVERDUE")).count();
    assert!(overdue >= 3, "{shown}");
    assert!(
        rows[overdue..].iter().all(|r| !r.contains("OVERDUE")),
        "{shown}"
    );
    // The longest overdue first, then the open ones by deadline.
    let at = |id: RecordId| rows.iter().position(|r| r.contains(&id.to_string()));
    assert!(
        at(five_over) < at(one_over) && at(one_over) < at(fresh),
        "{shown}"
    );
    let row = |id: RecordId| rows[at(id).unwrap_or(0)];
    assert!(row(five_over).contains("OVERDUE 5 d"), "{shown}");
    assert!(row(one_over).contains("OVERDUE 1 d"), "{shown}");
    assert!(row(fresh).contains("18 d left"), "{shown}");
}

#[test]
fn a_log_line_is_written_linked_and_corrected_never_edited() {
    let desk = desk();
    let mut app = app(&desk, Lang::Vi, "default", None);
    let before = desk.desk.stats().expect("stats").count(Kind::DutyLog);
    let shown = text(&screen(&mut app, ":ghi TN-000001 gọi cơ quan ra QĐ<Enter>"));
    let id = RecordId::new(Kind::DutyLog, before as u64 + 1);
    assert!(shown.contains(&format!("Đã lưu {id}")), "{shown}");
    let Ok(Some(Record::DutyLog(entry))) = desk.desk.get(id) else {
        panic!("written")
    };
    assert_eq!(entry.record, Some(RecordId::new(Kind::Wanted, 1)));
    assert_eq!(entry.officer_id, RecordId::new(Kind::Officer, 3));
    assert_eq!(entry.text, "gọi cơ quan ra QĐ");

    // In the log view: the last row, `a` pre-fills the correction of it.
    let shown = text(&screen(&mut app, ":nk<Enter>G"));
    assert!(shown.contains("gọi cơ quan ra QĐ"), "{shown}");
    let shown = text(&screen(&mut app, "a"));
    assert!(
        shown.contains(&format!(":dinhchinh {id} gọi cơ quan ra QĐ")),
        "{shown}"
    );
    let shown = text(&screen(&mut app, "<BS><BS>lúc 9:35<Enter>"));
    let correction = RecordId::new(Kind::DutyLog, before as u64 + 2);
    assert!(shown.contains(&format!("Đã lưu {correction}")), "{shown}");
    let Ok(Some(Record::DutyLog(fixed))) = desk.desk.get(correction) else {
        panic!("written")
    };
    assert_eq!(fixed.corrects, Some(id));
    assert_eq!(fixed.text, "gọi cơ quan ra lúc 9:35");
    let Ok(Some(Record::DutyLog(old))) = desk.desk.get(id) else {
        panic!("kept")
    };
    assert_eq!(old, entry, "the old entry is unchanged");

    // `n` in the log view opens the line; a detail open links the entry to its record.
    let shown = text(&screen(&mut app, "<Esc>n"));
    assert!(shown.contains(":ghi"), "{shown}");
    let shown = text(&screen(
        &mut app,
        "<Esc>:tn<Enter><Enter>:ghi đã xác minh<Enter>",
    ));
    assert!(shown.contains("Đã lưu NK-"), "{shown}");
    let last = RecordId::new(Kind::DutyLog, before as u64 + 3);
    let Ok(Some(Record::DutyLog(linked))) = desk.desk.get(last) else {
        panic!("written")
    };
    assert!(
        linked.record.is_some_and(|r| r.kind() == Kind::Wanted),
        "{linked:?}"
    );
}
