//! The command line as a new officer meets it (issue 16, friction): nothing found is said
//! and is exit status 1; a reader that stops early (`| head`) ends it quietly; dates are
//! taken day first as well as ISO.

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn seeded() -> common::Desk {
    let desk = common::Desk::new();
    desk.ok(&["seed", "--sample"]);
    desk
}

#[test]
fn a_search_that_finds_nothing_says_so_with_status_one() {
    let desk = seeded();
    for (lang, said) in [
        ("vi", "Không tìm thấy hồ sơ nào khớp với \"zzzz\""),
        ("en", "No record matches \"zzzz\""),
    ] {
        let out = desk.run(&["--lang", lang, "search", "zzzz"]);
        assert_eq!(out.status.code(), Some(1), "{lang}");
        assert!(out.stdout.is_empty(), "{lang}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(said), "{lang}: {err}");
    }
    let found = desk.run(&["search", "giang"]);
    assert_eq!(found.status.code(), Some(0));
    assert!(!found.stdout.is_empty());
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    let desk = seeded();
    for args in [
        &["search", "--limit", "5000", "van"][..],
        &["stats"][..],
        &["audit"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_trucban"))
            .arg("--data-dir")
            .arg(desk.path().join("data"))
            .args(args)
            .env_remove("TRUCBAN_DATA_DIR")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("one line");
        // The reader is gone: the rest of the output meets a closed pipe.
        let out = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!first.is_empty(), "{args:?}");
        assert!(
            !err.contains("Broken pipe") && !err.contains("panicked"),
            "{args:?}: {err}"
        );
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    }
}

#[test]
fn dates_are_taken_day_first_on_the_command_line() {
    let desk = seeded();
    let iso = desk.ok(&["late", "--from", "2026-11-20", "--to", "2026-11-27"]);
    let day_first = desk.ok(&["late", "--from", "20/11/2026", "--to", "27/11/2026"]);
    assert_eq!(iso, day_first);
}

#[test]
fn a_backup_replaces_an_earlier_one_only_when_forced() {
    let desk = seeded();
    let file = desk.path().join("ca-truc.bak");
    let file = file.to_str().expect("utf-8 path");
    desk.ok(&["backup", file]);
    let first = std::fs::read(file).expect("backup");
    let again = desk.run(&["backup", file]);
    let err = String::from_utf8_lossy(&again.stderr);
    assert_ne!(again.status.code(), Some(0), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(
        std::fs::read(file).expect("backup"),
        first,
        "the refusal wrote"
    );
    desk.ok(&["backup", file, "--force"]);
}

/// The handover sheet as Markdown: one blank line between blocks even where a section is
/// empty, and the two signature lines (the sample's last shift has empty sections).
#[test]
fn the_handover_in_markdown_has_no_double_blank_lines_and_two_signatures() {
    let desk = seeded();
    for (lang, outgoing) in [("vi", "NGƯỜI GIAO CA"), ("en", "OUTGOING OFFICER")] {
        let md = desk.ok(&[
            "--lang", lang, "handover", "--shift", "previous", "--format", "md",
        ]);
        assert!(
            md.contains("(0)\n\n## "),
            "{lang}: no empty section to test:\n{md}"
        );
        assert!(!md.contains("\n\n\n"), "{lang}: double blank line:\n{md}");
        assert!(md.contains(outgoing), "{lang}:\n{md}");
    }
}

/// `roster check` names the officer and the day, shift and post of each assignment a
/// problem is about, not only their IDs.
#[test]
fn roster_check_names_who_and_when() {
    let desk = seeded();
    for (lang, shift, words) in [("vi", "ca ", 1), ("en", " shift, ", 3)] {
        let out = desk.run(&["--lang", lang, "roster", "check"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(3), "{lang}: {text}");
        let context: Vec<&str> = text.lines().filter(|l| l.starts_with("    ")).collect();
        assert!(!context.is_empty(), "{lang}: no names or dates:\n{text}");
        let joined = context.join(" ");
        assert!(
            joined.contains("(CB-") && joined.contains(shift),
            "{lang}:\n{text}"
        );
        // A date as the language shows it: `26/11/2026` (one word) or `26 Nov 2026` (three).
        let shown = trucban::i18n::Lang::parse(lang).expect("lang");
        let all: Vec<&str> = joined.split_whitespace().collect();
        let date = all.windows(words).find_map(|w| {
            let d = trucban::domain::time::parse_date(&w.join(" "))?;
            (shown.date(d) == w.join(" ")).then_some(d)
        });
        assert!(
            date.is_some(),
            "{lang}: no date as {lang} shows it:\n{text}"
        );
    }
}
