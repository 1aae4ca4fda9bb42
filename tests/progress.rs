//! Long work shows how far it has got on a terminal, in the officer's language, and says
//! nothing of it when its output goes to a pipe or a file (issue 16): the bar is drawn on
//! stderr only when stdout and stderr are terminals, and it is gone before the result is
//! printed.

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use std::time::{Duration, Instant};

use common::pty::Console;

/// `trucban ARGS` in an 80×24 terminal until it has printed `result`; what it drew.
fn on_a_terminal(desk: &common::Desk, args: &[&str], result: &str) -> String {
    let data = desk.path().join("data");
    let mut full = vec!["--data-dir", data.to_str().expect("utf-8 path")];
    full.extend_from_slice(args);
    let mut console = Console::start(desk.path(), &full);
    assert!(
        console.wait_for(result, Duration::from_secs(60)),
        "{args:?}: no {result:?} in {:?}",
        console.text()
    );
    let (status, _) = console.wait_exit(Instant::now(), "its result");
    assert!(status.success(), "{args:?}: {status:?}");
    String::from_utf8_lossy(&console.final_output()).into_owned()
}

#[test]
fn long_work_shows_its_stages_on_a_terminal_and_nothing_in_a_pipe() {
    let desk = common::Desk::new();
    desk.ok(&["seed", "--sample"]);
    let backup = desk.path().join("ca.bak");
    let backup = backup.to_str().expect("utf-8 path");

    // Into a pipe: the result, and not a byte of progress.
    for args in [
        &["--lang", "vi", "check"][..],
        &["--lang", "vi", "backup", backup, "--force"][..],
        &["--lang", "en", "export", "guests", "--output", "/dev/null"][..],
    ] {
        let out = desk.run(args);
        assert!(out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.is_empty(), "{args:?}: progress in a pipe: {err:?}");
    }

    // On a terminal: each stage by name, in the officer's language, before the result.
    let drawn = on_a_terminal(&desk, &["--lang", "vi", "check"], "nguyên vẹn");
    let stage = drawn
        .find("Kiểm tra kho")
        .unwrap_or_else(|| panic!("no stage: {drawn:?}"));
    let result = drawn.find("nguyên vẹn").expect("result");
    assert!(stage < result, "the stage came after the result: {drawn:?}");
    // Its output sent to a file from a terminal (stderr still the terminal): nothing drawn.
    let file = desk.path().join("check.txt");
    let mut shell = portable_pty::CommandBuilder::new("sh");
    shell.args([
        "-c",
        "\"$0\" --data-dir \"$1\" --lang vi check > \"$2\"; echo exit=$?",
        env!("CARGO_BIN_EXE_trucban"),
        desk.path().join("data").to_str().expect("utf-8 path"),
        file.to_str().expect("utf-8 path"),
    ]);
    shell.env("TERM", "xterm-256color");
    shell.env("HOME", desk.path());
    shell.env_remove("TRUCBAN_DATA_DIR");
    let mut redirected = Console::start_command(shell);
    assert!(
        redirected.wait_for("exit=0", Duration::from_secs(60)),
        "{}",
        redirected.text()
    );
    let drawn = String::from_utf8_lossy(&redirected.final_output()).into_owned();
    assert!(
        !drawn.contains("Kiểm tra kho"),
        "drawn with stdout in a file: {drawn:?}"
    );
    let written = std::fs::read_to_string(&file).expect("check.txt");
    assert!(
        written.contains("nguyên vẹn") && !written.contains("Kiểm tra kho"),
        "{written}"
    );

    let drawn = on_a_terminal(
        &desk,
        &["--lang", "en", "backup", backup, "--force"],
        "sha256",
    );
    assert!(drawn.contains("Backing up"), "{drawn:?}");
    assert!(!drawn.contains("Sao lưu"), "{drawn:?}");
}
