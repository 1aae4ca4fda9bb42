//! The console in a real terminal (a pty), the way a duty officer meets it over SSH on a
//! flaky link: when the link drops (the terminal hangs up) it must leave within 2 s and keep
//! the draft of the form being typed; the next start offers that draft; SIGTERM and `q`
//! restore the terminal (leave the alternate screen).
//!
//! The pty harness is `tests/common/pty.rs`.
//!
//! `cargo test --test pty -- --nocapture` prints the measured exit latencies.

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::pty::{Console, squeeze, visible_text};

const ECHO: Duration = Duration::from_secs(1);

const NOTE: &str = "bắt tại chợ";
const LEAVE_ALTERNATE_SCREEN: &str = "\x1b[?1049l";

fn drafts_in(data: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(data.join("drafts")) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    found.sort();
    found
}

/// Opens the demo, starts "Change wanted status" on the first record, types the note, then
/// drops the link. Asserts the exit within 2 s and the draft on disk; returns the latency.
fn type_a_note_and_drop_the_link(home: &Path, data: &Path) -> Duration {
    let data_arg = data.to_str().expect("utf-8 temp path");
    let mut console = Console::start(
        home,
        &["--data-dir", data_arg, "demo", "--officer", "CB-000003"],
    );
    console.wait_for_first_screen();
    console.send(b"a");
    assert!(
        console.wait_for("Đổi tình trạng truy nã", ECHO * 5),
        "`a` did not open the form; screen text:\n{}",
        visible_text(&console.output())
    );
    console.send(b"\t");
    console.send(NOTE.as_bytes());
    let echoed = console.wait_for(NOTE, ECHO);
    if !echoed {
        println!("(the note was not seen on screen within {ECHO:?}; hanging up anyway)");
    }

    let hung_up = console.hang_up();
    let (status, latency) = console.wait_exit(hung_up, "the terminal hung up");
    println!("hang-up → exit: {} ms ({status:?})", latency.as_millis());
    assert!(
        status.success(),
        "a hang-up must end the console cleanly, not in a crash: {status:?}"
    );

    let drafts = drafts_in(data);
    assert_eq!(
        drafts.len(),
        1,
        "expected exactly one draft in {}/drafts, found {drafts:?}",
        data.display()
    );
    let draft = std::fs::read_to_string(&drafts[0]).expect("read the draft");
    assert!(
        draft.contains(NOTE),
        "the draft {} lacks the typed note {NOTE:?}: {draft}",
        drafts[0].display()
    );
    latency
}

#[test]
fn the_console_exits_within_2s_when_the_terminal_closes_and_keeps_the_draft() {
    let home = tempfile::tempdir().expect("temp dir");
    let data = home.path().join("data");
    type_a_note_and_drop_the_link(home.path(), &data);
}

#[test]
fn a_second_start_offers_the_draft() {
    let home = tempfile::tempdir().expect("temp dir");
    let data = home.path().join("data");
    type_a_note_and_drop_the_link(home.path(), &data);

    let data_arg = data.to_str().expect("utf-8 temp path");
    let mut console = Console::start(home.path(), &["--data-dir", data_arg]);
    console.wait_for_first_screen();
    assert!(
        console.wait_for("Bản nháp", ECHO * 5),
        "the second start did not offer the draft; screen text:\n{}",
        visible_text(&console.output())
    );
    console.send(b"\x1b");
    // A lone ESC: give it time to be read alone, or ESC q would read as Alt-q.
    std::thread::sleep(Duration::from_millis(300));
    console.send(b"q");
    let sent = Instant::now();
    let (status, latency) = console.wait_exit(sent, "`q`");
    println!("q → exit: {} ms ({status:?})", latency.as_millis());
    assert!(status.success(), "`q` should exit with success: {status:?}");
    let output = console.final_output();
    let tail = &output[output.len().saturating_sub(64)..];
    assert!(
        String::from_utf8_lossy(tail).contains(LEAVE_ALTERNATE_SCREEN),
        "the last output does not leave the alternate screen: {:?}",
        String::from_utf8_lossy(tail)
    );
}

#[test]
fn sigterm_restores_the_terminal() {
    let home = tempfile::tempdir().expect("temp dir");
    let data = home.path().join("data");
    let data_arg = data.to_str().expect("utf-8 temp path");
    let mut console = Console::start(
        home.path(),
        &["--data-dir", data_arg, "demo", "--officer", "CB-000003"],
    );
    console.wait_for_first_screen();
    let pid = console.pid().to_string();
    let sent = Instant::now();
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("run kill");
    assert!(kill.success(), "kill -TERM {pid} failed: {kill:?}");
    let (status, latency) = console.wait_exit(sent, "SIGTERM");
    println!("SIGTERM → exit: {} ms ({status:?})", latency.as_millis());
    let output = console.final_output();
    assert!(
        String::from_utf8_lossy(&output).contains(LEAVE_ALTERNATE_SCREEN),
        "the console did not leave the alternate screen after SIGTERM; last output: {:?}",
        String::from_utf8_lossy(&output[output.len().saturating_sub(200)..])
    );
}

/// The first frame is drawn before the store is opened; when the open fails (here: another
/// process holds the store), the terminal is restored first and the reason printed after,
/// where it stays readable.
#[test]
fn a_store_in_use_is_reported_after_the_terminal_is_restored() {
    let home = tempfile::tempdir().expect("temp dir");
    let data = home.path().join("data");
    let _held =
        trucban::store::SledBackend::open(&data, chrono::Utc::now()).expect("hold the store");
    let data_arg = data.to_str().expect("utf-8 temp path");
    let mut console = Console::start(home.path(), &["--data-dir", data_arg]);
    let (status, _) = console.wait_exit(Instant::now(), "a refused open");
    assert_eq!(status.exit_code(), 1, "{status:?}");
    let output = String::from_utf8_lossy(&console.final_output()).into_owned();
    let Some((console_part, after)) = output.split_once(LEAVE_ALTERNATE_SCREEN) else {
        panic!("the terminal was not restored: {output:?}")
    };
    let drawn = squeeze(&visible_text(console_part.as_bytes()));
    assert!(
        drawn.contains(&squeeze("trucban │ Truy nã"))
            && drawn.contains(&squeeze("Đang mở kho dữ liệu…")),
        "the first frame did not say the store was opening: {drawn:?}"
    );
    let message = visible_text(after.as_bytes());
    assert!(
        // In the console's language (Vietnamese here), with the code.
        message.contains("trucban [store.in_use]: ")
            && message.contains("đang được dùng bởi tiến trình")
            && message.contains("Đóng trucban đó trước"),
        "the reason is not printed after the terminal is restored: {message:?}"
    );
}
