#![allow(clippy::panic)] // test helpers fail loudly by design
//! An import written in parts (`write_in_parts`, for files larger than a part) is the same
//! import as one written at once: the same records, IDs, hits and report; a file whose rows
//! disagree across parts is refused before anything is written; and a refusal met in a
//! later part leaves no row of the file in the store.

mod engine;

use trucban::domain::{Kind, Record};
use trucban::service::{DeskApi, Format, ImportReport, ImportSource, LocalDesk, ServiceError};

fn now() -> trucban::domain::Instant {
    trucban::domain::time::parse_instant("2026-11-27 09:30").expect("time")
}

/// A store holding the sample but for `without` (kinds the test imports itself) and the
/// records naming one of those.
fn desk(dir: &std::path::Path, part_rows: Option<usize>, without: &[Kind]) -> LocalDesk {
    let desk = LocalDesk::over(
        engine::open(dir, now()),
        trucban::domain::Clock::fixed(now()),
    );
    let desk = match part_rows {
        Some(rows) => desk.with_import_part_rows(rows),
        None => desk,
    };
    let sample: Vec<Record> = trucban::cli::sample_records(now())
        .expect("sample")
        .into_iter()
        .filter(|r| !without.contains(&r.kind()))
        .filter(|r| {
            r.references()
                .iter()
                .all(|(_, t)| !without.contains(&t.kind()))
        })
        .collect();
    desk.load(&sample).expect("load the sample");
    desk
}

fn csv(name: &str, text: String) -> ImportSource {
    ImportSource {
        name: name.into(),
        bytes: text.into_bytes(),
        format: Format::Csv,
        on_disk: None,
    }
}

fn exported(desk: &LocalDesk, kind: Kind) -> String {
    String::from_utf8(desk.export(kind, Format::Csv).expect("export")).expect("UTF-8")
}

/// The sample's guest stays as a clerk's file: without IDs, every fifth row sent twice
/// (the second time far down the file, in another part).
fn guests_file() -> String {
    let temp = tempfile::tempdir().expect("temp");
    let full = desk(temp.path(), None, &[]);
    let text = exported(&full, Kind::GuestStay);
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    let rows: Vec<String> = lines
        .map(|line| {
            line.split_once(',')
                .map_or("", |(_, rest)| rest)
                .to_string()
        })
        .map(|rest| format!(",{rest}"))
        .collect();
    assert!(rows.len() > 20, "the sample has {} stays", rows.len());
    let mut file = format!("{header}\n");
    for row in rows.iter().chain(rows.iter().step_by(5)) {
        file.push_str(row);
        file.push('\n');
    }
    file
}

fn import(desk: &LocalDesk, kind: Kind, source: &ImportSource) -> ImportReport {
    desk.import(kind, source).expect("import")
}

#[test]
fn a_file_written_in_parts_is_the_file_written_at_once() {
    let temp = tempfile::tempdir().expect("temp");
    let file = csv("guests.csv", guests_file());
    let without = [Kind::GuestStay, Kind::Hit];
    let in_parts = desk(&temp.path().join("parts"), Some(7), &without);
    let at_once = desk(&temp.path().join("once"), None, &without);
    let a = import(&in_parts, Kind::GuestStay, &file);
    let b = import(&at_once, Kind::GuestStay, &file);
    assert_eq!(a, b, "the same report");
    assert!(a.created > 20 && !a.hits.is_empty(), "{a:?}");
    for kind in without {
        assert_eq!(
            exported(&in_parts, kind),
            exported(&at_once, kind),
            "{kind}"
        );
    }
    // Sent again: every row is a stored stay, in parts as at once.
    let again = import(&in_parts, Kind::GuestStay, &file);
    assert_eq!(
        (again.created, again.updated, again.hits.len()),
        (0, 0, 0),
        "{again:?}"
    );
    let report = in_parts.store().check().expect("check");
    assert!(report.intact(), "{:?}", report.problems);
}

#[test]
fn rows_that_disagree_across_parts_are_refused_before_anything_is_written() {
    let temp = tempfile::tempdir().expect("temp");
    let without = [Kind::GuestStay, Kind::Hit];
    let desk = desk(temp.path(), Some(7), &without);
    let file = guests_file();
    let mut lines: Vec<String> = file.lines().map(str::to_string).collect();
    // The last row repeats an earlier one (every fifth is sent twice): now with another room.
    let last = lines.len() - 1;
    let first = lines
        .iter()
        .position(|l| *l == lines[last])
        .expect("sent twice")
        + 1;
    assert!(first < last - 7, "the two rows are in different parts");
    let mut cells: Vec<String> = lines[last].split(',').map(str::to_string).collect();
    let room = cells.len() - 2;
    cells[room] = "999".into();
    lines[last] = cells.join(",");
    let before = desk.stats().expect("stats");
    let refused = desk.import(Kind::GuestStay, &csv("guests.csv", lines.join("\n")));
    let Err(ServiceError::Import(problems)) = refused else {
        panic!("refused: {refused:?}")
    };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].line, last + 1, "{problems:?}");
    assert!(
        problems[0]
            .message
            .en
            .contains(&format!("repeats line {first} ")),
        "{problems:?}"
    );
    assert_eq!(desk.stats().expect("stats"), before);
}

#[test]
fn a_refusal_in_a_later_part_leaves_no_row_of_the_file() {
    let temp = tempfile::tempdir().expect("temp");
    let desk = desk(temp.path(), Some(5), &[]);
    let text = exported(&desk, Kind::DutyLog);
    let mut lines = text.lines();
    let header = lines.next().expect("header").to_string();
    let stored = lines.next().expect("a sample entry").to_string();
    // 20 new entries (the sample's first, under no ID, with new text), then the stored
    // entry rewritten: a duty-log entry is never changed, so the 21st row is refused in
    // the fifth part, after four parts were written.
    let fields: Vec<&str> = stored.split(',').collect();
    let mut file = format!("{header}\n");
    for n in 0..20 {
        file.push_str(&format!(",{},{},Mục mới {n},,\n", fields[1], fields[2]));
    }
    file.push_str(&format!(
        "{},{},{},Viết lại,,\n",
        fields[0], fields[1], fields[2]
    ));
    let before = exported(&desk, Kind::DutyLog);
    let count = desk.stats().expect("stats").count(Kind::DutyLog);
    let refused = desk.import(Kind::DutyLog, &csv("log.csv", file));
    assert!(
        matches!(&refused, Err(ServiceError::Rule(_))),
        "{refused:?}"
    );
    assert_eq!(desk.stats().expect("stats").count(Kind::DutyLog), count);
    assert_eq!(exported(&desk, Kind::DutyLog), before);
    let report = desk.store().check().expect("check");
    assert!(report.intact(), "{:?}", report.problems);
}

#[test]
fn a_file_on_the_disk_travels_as_its_bytes_and_no_request_names_a_path() {
    let temp = tempfile::tempdir().expect("temp");
    let path = temp.path().join("guests.csv");
    std::fs::write(&path, b"establishment_id\nCS-000001\n").expect("write");
    let source = ImportSource {
        name: "guests.csv".into(),
        bytes: Vec::new(),
        format: Format::Csv,
        on_disk: Some(path.clone()),
    };
    let sent = serde_json::to_string(&source).expect("serialize");
    assert!(!sent.contains(&*path.to_string_lossy()), "{sent}");
    let received: ImportSource = serde_json::from_str(&sent).expect("deserialize");
    assert_eq!(received.bytes, b"establishment_id\nCS-000001\n");
    assert_eq!(received.on_disk, None);
    // A client that names a path of the daemon's host: the field is not read.
    let forged = sent.replacen('{', r#"{"on_disk":"/etc/shadow","#, 1);
    let received: ImportSource = serde_json::from_str(&forged).expect("deserialize");
    assert_eq!(received.on_disk, None);
}
