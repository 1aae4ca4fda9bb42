//! The handover in the console: `:kyca` opens the current shift's handover with the notes
//! field first; every key is in the draft on disk before the next key is read (measured
//! here), with no timer on the console; the draft reopens where it was; signing saves the
//! handover and removes the draft.

#![allow(clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::console::{self, now};
use trucban::app::keys::parse_script;
use trucban::app::state::Overlay;
use trucban::domain::{Kind, Record};
use trucban::i18n::Lang;
use trucban::service::DeskApi;

const NOTES: &str = "Đối tượng Lò Văn Pánh tạm giữ tại trụ sở; ca sau theo dõi NT-000009.";

fn drafts(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.retain(|p| p.extension().is_some_and(|x| x == "json"));
    found
}

#[test]
fn every_key_of_the_notes_is_on_disk_at_once_and_the_draft_reopens() {
    let desk = console::desk();
    let dir = tempfile::tempdir().expect("temp");
    let drafts_dir = dir.path().join("drafts");
    let mut app = console::app(&desk, Lang::Vi, "default", Some(drafts_dir.clone()));
    console::screen(&mut app, ":kyca<Enter>");
    assert!(matches!(&app.state.overlay, Overlay::Form(f) if f.focus == 0));
    let mut typed = String::new();
    let mut slowest = Duration::ZERO;
    let mut total = Duration::ZERO;
    for c in NOTES.chars() {
        let key = parse_script(&c.to_string()).expect("key").remove(0);
        let pressed = Instant::now();
        app.press(key, now());
        typed.push(c);
        // The draft holds the text up to this key when the key has been handled.
        let found = drafts(&drafts_dir);
        let took = pressed.elapsed();
        assert_eq!(found.len(), 1, "{found:?}");
        let draft = std::fs::read_to_string(&found[0]).expect("draft");
        let json: serde_json::Value = serde_json::from_str(&draft).expect("json");
        assert_eq!(json["fields"][0]["value"], typed.as_str());
        // No debounce timer: the console asks to be woken for its clock alone.
        assert_eq!(
            app.state.wakes_in(common::console::now()),
            Some(std::time::Duration::from_secs(60))
        );
        slowest = slowest.max(took);
        total += took;
    }
    let n = NOTES.chars().count() as u32;
    println!(
        "draft write per key (temp file + fsync + rename + dir fsync): mean {:?}, slowest {:?} over {n} keys",
        total / n,
        slowest
    );
    assert!(slowest < Duration::from_secs(1), "slowest {slowest:?}");

    // A new session on the same drafts offers it; Enter reopens it with the notes.
    drop(app);
    let draft = std::fs::read_to_string(&drafts(&drafts_dir)[0]).expect("draft");
    if let Err(e) = serde_json::from_str::<trucban::app::forms::Form>(&draft) {
        panic!("{e}: {draft}");
    }
    let mut again = console::app(&desk, Lang::Vi, "default", Some(drafts_dir.clone()));
    assert!(matches!(&again.state.overlay, Overlay::Drafts(d) if d.len() == 1));
    let screen = console::text(&console::screen(&mut again, "<Enter>"));
    let Overlay::Form(form) = &again.state.overlay else {
        panic!("the draft did not reopen:\n{screen}")
    };
    assert_eq!(form.fields[0].value, NOTES);
    assert!(screen.contains("Sổ giao ca: ký giao"), "{screen}");

    // Signing saves the handover of the current shift and removes the draft.
    let screen = console::text(&console::screen(&mut again, "<Enter><Enter>"));
    assert!(screen.contains("Đã lưu GC-"), "{screen}");
    assert!(drafts(&drafts_dir).is_empty());
    let shift = trucban::domain::shifts::ShiftPlan::default().shift_at(now());
    let sheet = desk
        .desk
        .handover_sheet(shift, shift, now(), Lang::Vi)
        .expect("sheet");
    let h = sheet.handover.expect("signed");
    assert_eq!(
        (h.text.as_str(), h.from_officer.to_string().as_str()),
        (NOTES, "CB-000003")
    );
    assert!(matches!(desk.desk.get(h.id), Ok(Some(Record::Handover(_)))));
    assert_eq!(h.id.kind(), Kind::Handover);
}
