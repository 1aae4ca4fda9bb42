//! The handover notes survive a dropped link: the real binary in an 80×24 pty, the officer
//! types the notes of `:kyca`, the terminal is closed mid-typing (as a dropped SSH link
//! closes it), and the next start offers the draft holding at least everything typed up to
//! one second before the drop — here, everything the console read, since every key is
//! written through. (The pty harness is `tests/common/pty.rs`.)

#![allow(clippy::panic)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::pty::{Console, FIRST_SCREEN};

/// Typed, then a pause longer than a second: all of it must survive.
const BEFORE_PAUSE: &str = "Tình hình ổn định";
/// Typed right before the drop: may be lost (it is not, with writes on every key).
const LAST_SECOND: &str = " bàn giao";

fn expect(console: &Console, needle: &str, timeout: Duration) {
    if !console.wait_for(needle, timeout) {
        panic!("{needle:?} did not appear; screen text: {}", console.text());
    }
}

/// Types like a person: one character at a time.
fn type_slowly(console: &mut Console, text: &str) {
    for c in text.chars() {
        console.send(c.to_string().as_bytes());
        std::thread::sleep(Duration::from_millis(40));
    }
}

/// Waits for a clean exit within the harness's limit (2 s) from `since`.
fn exits_cleanly(console: &mut Console, since: Instant, what: &str) {
    let (status, _) = console.wait_exit(since, what);
    assert!(status.success(), "{status:?}");
}

fn handover_draft(data: &Path) -> String {
    let dir = data.join("drafts");
    let entries: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    let Some(path) = entries.iter().find(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("handover-"))
    }) else {
        panic!("no handover draft in {}: {entries:?}", dir.display())
    };
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json");
    json["fields"][0]["value"]
        .as_str()
        .expect("the notes field")
        .to_string()
}

#[test]
fn the_handover_notes_survive_a_dropped_link() {
    let home = tempfile::tempdir().expect("temp dir");
    let data = home.path().join("data");
    let data_arg = data.to_str().expect("utf-8 path");
    let mut console = Console::start(
        home.path(),
        &["--data-dir", data_arg, "demo", "--officer", "CB-000003"],
    );
    expect(&console, "TN-000001", FIRST_SCREEN);
    console.send(b":kyca\r");
    expect(&console, "Sổ giao ca: ký giao", Duration::from_secs(5));
    type_slowly(&mut console, BEFORE_PAUSE);
    std::thread::sleep(Duration::from_millis(1200));
    type_slowly(&mut console, LAST_SECOND);
    let dropped = console.hang_up();
    exits_cleanly(&mut console, dropped, "the hang-up");

    let notes = handover_draft(&data);
    assert!(
        notes.starts_with(BEFORE_PAUSE),
        "the draft lost text typed more than a second before the drop: {notes:?}"
    );
    println!("draft after the drop: {notes:?}");

    // The next start offers the draft; Enter reopens the form with the notes.
    let mut console = Console::start(home.path(), &["--data-dir", data_arg]);
    expect(&console, "TN-000001", FIRST_SCREEN);
    expect(&console, "Bản nháp", Duration::from_secs(5));
    console.send(b"\r");
    expect(
        &console,
        &format!("Nộidungbàngiao{BEFORE_PAUSE}"),
        Duration::from_secs(5),
    );
    console.send(b"\x1b");
    std::thread::sleep(Duration::from_millis(300));
    console.send(b"q");
    exits_cleanly(&mut console, Instant::now(), "q");
}
