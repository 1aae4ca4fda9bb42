//! Long work shows how far it has got on a terminal, in the officer's language, and says
//! nothing of it when its output goes to a pipe or a file (issue 16): the bar is drawn on
//! stderr only when stdout and stderr are terminals, and it is gone before the result is
//! printed.

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use std::time::{Duration, Instant};

use common::pty::Console;

/// Everything `console` wrote, once it has ended (read to the end of the terminal's
/// output: a command that prints and exits at once may end before its last bytes are read).
fn to_the_end(mut console: Console, what: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !console.exited() {
        assert!(
            Instant::now() < deadline,
            "{what}: still running after 60 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let (status, _) = console.wait_exit(Instant::now(), what);
    assert!(status.success(), "{what}: {status:?}");
    String::from_utf8_lossy(&console.final_output()).into_owned()
}

/// `trucban ARGS` in an 80×24 terminal (its stdout into `into` when given), to its end:
/// what the terminal showed. Run by `sh`, which says the exit status and stays a moment, so
/// that the last bytes are read before the terminal closes.
fn in_a_terminal(desk: &common::Desk, args: &[&str], into: Option<&std::path::Path>) -> String {
    let mut shell = portable_pty::CommandBuilder::new("sh");
    let script = match into {
        Some(_) => "out=$1; shift; \"$0\" \"$@\" > \"$out\"; echo exit=$?; sleep 1",
        None => "\"$0\" \"$@\"; echo exit=$?; sleep 1",
    };
    shell.args(["-c", script, env!("CARGO_BIN_EXE_trucban")]);
    if let Some(file) = into {
        shell.arg(file);
    }
    let data = desk.path().join("data");
    shell.args(["--data-dir", data.to_str().expect("utf-8 path")]);
    shell.args(args);
    shell.env("TERM", "xterm-256color");
    shell.env("HOME", desk.path());
    shell.env_remove("TRUCBAN_DATA_DIR");
    let drawn = to_the_end(Console::start_command(shell), &format!("{args:?}"));
    assert!(drawn.contains("exit=0"), "{args:?}: {drawn:?}");
    drawn
}

#[test]
fn long_work_shows_its_stages_on_a_terminal_and_nothing_in_a_pipe() {
    let desk = common::Desk::new();
    desk.ok(&["seed", "--sample"]);
    let backup = desk.path().join("ca.bak");
    let backup = backup.to_str().expect("utf-8 path");
    let exported = desk.path().join("guests.csv");
    let exported = exported.to_str().expect("utf-8 path");

    // Into a pipe: the result, and not a byte of progress.
    for args in [
        &["--lang", "vi", "check"][..],
        &["--lang", "vi", "backup", backup, "--force"][..],
        &["--lang", "en", "export", "guests", "--output", exported][..],
    ] {
        let out = desk.run(args);
        assert!(out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.is_empty(), "{args:?}: progress in a pipe: {err:?}");
    }

    // On a terminal: each stage by name, in the officer's language, before the result.
    let drawn = in_a_terminal(&desk, &["--lang", "vi", "check"], None);
    let stage = drawn
        .find("Kiểm tra kho")
        .unwrap_or_else(|| panic!("no stage: {drawn:?}"));
    let result = drawn.find("nguyên vẹn").expect("result");
    assert!(stage < result, "the stage came after the result: {drawn:?}");
    // Its output sent to a file from a terminal (stderr still the terminal): nothing drawn.
    let file = desk.path().join("check.txt");
    let drawn = in_a_terminal(&desk, &["--lang", "vi", "check"], Some(&file));
    assert!(
        !drawn.contains("Kiểm tra kho"),
        "drawn with stdout in a file: {drawn:?}"
    );
    let written = std::fs::read_to_string(&file).expect("check.txt");
    assert!(
        written.contains("nguyên vẹn") && !written.contains("Kiểm tra kho"),
        "{written}"
    );

    let drawn = in_a_terminal(&desk, &["--lang", "en", "backup", backup, "--force"], None);
    assert!(
        drawn.contains("Backing up") && drawn.contains("sha256"),
        "{drawn:?}"
    );
    assert!(!drawn.contains("Sao lưu"), "{drawn:?}");
}
