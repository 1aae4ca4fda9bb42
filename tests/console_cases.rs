//! Cases (vụ án) in the console on the seeded sample with a fixed clock (27 Nov 2026): the
//! view (`:vuan`), latest recorded first, a serious case and a group-caused one marked; the
//! detail with the offence, its class and the status history; in both languages (80×24
//! snapshots). A case recorded through the service gets its recorder from the session and a
//! history that cannot be rewritten.

#![allow(clippy::panic)]

mod common;

use common::console::{app, desk, screen, text};
use trucban::domain::{Record, RecordId};
use trucban::i18n::Lang;
use trucban::service::DeskApi;
use unicode_width::UnicodeWidthStr;

#[test]
fn the_cases_view_and_a_detail_in_both_languages() {
    let desk = desk();
    for (lang, command, name) in [
        (Lang::Vi, ":vuan<Enter>", "vi"),
        (Lang::En, ":cases<Enter>", "en"),
    ] {
        let mut app = app(&desk, lang, "default", None);
        let shown = text(&screen(&mut app, command));
        insta::assert_snapshot!(format!("cases_view_{name}"), shown);
        for line in shown.lines() {
            assert!(line.width() <= 80, "{line}");
        }
        // Latest recorded first.
        let ids: Vec<RecordId> = app.state.table.rows.iter().map(|r| r.id).collect();
        let recorded = |id: RecordId| match desk.desk.get(id).expect("get") {
            Some(Record::Case(c)) => c.recorded_at,
            other => panic!("{id}: {other:?}"),
        };
        assert!(recorded(ids[0]) >= recorded(ids[1]), "latest first");
        // A serious case's detail names its class and its history.
        let at = ids
            .iter()
            .position(|id| match desk.desk.get(*id).expect("get") {
                Some(Record::Case(c)) => c.is_serious() && c.history.len() >= 2,
                _ => false,
            })
            .expect("a serious case with a history on the first rows");
        let shown = text(&screen(&mut app, &format!("gg{}<Enter>", "j".repeat(at))));
        insta::assert_snapshot!(format!("case_detail_{name}"), shown);
        let (class, history) = match lang {
            Lang::Vi => ("trọng án", "Diễn biến"),
            Lang::En => ("serious case", "History"),
        };
        assert!(shown.contains(class), "{shown}");
        assert!(shown.contains(history), "{shown}");
    }
}

#[test]
fn a_case_is_recorded_and_moved_on_from_the_console_and_a_passed_tip_opens_one() {
    use trucban::app::forms::FormKind;
    use trucban::app::state::Overlay;
    use trucban::domain::{CaseStatus, Kind};
    let desk = desk();
    let mut app = app(&desk, Lang::Vi, "default", None);
    let before = desk.desk.stats().expect("stats").count(Kind::Case);
    let id = RecordId::new(Kind::Case, before as u64 + 1);
    // An article the table of brackets does not know is caught at the field.
    let shown = text(&screen(
        &mut app,
        ":vuan<Enter>n<Tab>bản Nậm Cung<Tab>Vận chuyển heroin qua suối<Tab>999<Tab>1<Enter>",
    ));
    assert!(
        shown.contains("chưa có trong bảng khung hình phạt"),
        "{shown}"
    );
    // Corrected where the focus went (the article): 250, clause 1 — confirmed and saved,
    // as the console's officer.
    let shown = text(&screen(&mut app, "<BS><BS><BS>250<Enter>"));
    assert!(shown.contains("Đ250 k1"), "the confirmation: {shown}");
    let shown = text(&screen(&mut app, "y"));
    assert!(shown.contains(&format!("Đã lưu {id}")), "{shown}");
    let case = match desk.desk.get(id).expect("get") {
        Some(Record::Case(c)) => c,
        other => panic!("{other:?}"),
    };
    assert_eq!(case.recorded_by, RecordId::new(Kind::Officer, 3));
    assert_eq!(
        (case.charge.article, case.charge.clause, case.status()),
        (250, 1, CaseStatus::Reported)
    );
    // `a` on it: under investigation.
    let shown = text(&screen(&mut app, "gga<Enter>y"));
    assert!(shown.contains(&format!("Đã lưu {id}")), "{shown}");
    match desk.desk.get(id).expect("get") {
        Some(Record::Case(c)) => assert_eq!(c.status(), CaseStatus::Investigating),
        other => panic!("{other:?}"),
    }
    // A tip passed on to investigators: the case it opens comes next, linked to it.
    screen(&mut app, ":tb<Enter>gg");
    let tip = app.state.table.selected_id().expect("a tip");
    screen(&mut app, "a<Right><Enter>y");
    match &app.state.overlay {
        Overlay::Form(form) => {
            assert_eq!(form.kind, FormKind::NewCase);
            assert_eq!(form.value("source"), tip.to_string());
        }
        other => panic!("no case form after the tip was passed on: {other:?}"),
    }
}
