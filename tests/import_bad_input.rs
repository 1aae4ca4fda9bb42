//! Bad import files: each gets `FILE:LINE: column NAME: what (expected)`, exit code 2, and
//! leaves the store exactly as it was (checked with `stats` before and after).

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use common::{GUEST_HEADER, desk_with_establishment, guest_row};

/// Imports `bytes` as guests and returns stderr, asserting exit 2 and an unchanged store.
fn rejected(name: &str, bytes: &[u8]) -> String {
    let desk = desk_with_establishment();
    let before = desk.stats();
    let out = desk.import("guests", name, bytes);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert_eq!(
        desk.stats(),
        before,
        "the store changed after a rejected import"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "an escape character reached the terminal: {stderr:?}"
    );
    stderr
}

fn good_row() -> String {
    guest_row("Giàng A Sử", "1990", "2026-11-20 21:15")
}

#[test]
fn a_good_file_imports() {
    let desk = desk_with_establishment();
    let file = format!(
        "{GUEST_HEADER}\n{}\n{}\n",
        good_row(),
        guest_row("Lò Văn Pánh", "1985-03-02", "2026-11-20T23:40:00+07:00")
    );
    let out = desk.import("guests", "guests.csv", file.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(desk.stats().contains("\"guests\":2"), "{}", desk.stats());
}

#[test]
fn a_bad_date_names_file_line_and_column() {
    let file = format!(
        "{GUEST_HEADER}\n{}\n{}\n",
        good_row(),
        guest_row("Lò Văn Pánh", "31/02/1990", "2026-11-20 21:15")
    );
    let stderr = rejected("guests.csv", file.as_bytes());
    assert!(stderr.contains("guests.csv:3: column date_of_birth: \"31/02/1990\" is not valid (expected a date DD/MM/YYYY or YYYY-MM-DD, or a year YYYY"), "{stderr}");
}

#[test]
fn a_missing_required_column_is_named() {
    let header = GUEST_HEADER.replace(",check_in", "");
    let row = good_row().replacen(",2026-11-20 21:15", "", 1);
    let stderr = rejected("guests.csv", format!("{header}\n{row}\n").as_bytes());
    assert!(
        stderr.contains(
            "guests.csv:1: column check_in: required column is missing (add it to the header)"
        ),
        "{stderr}"
    );
}

#[test]
fn an_unknown_column_is_named_with_the_valid_ones() {
    let file = format!("{GUEST_HEADER},favourite_colour\n{},blue\n", good_row());
    let stderr = rejected("guests.csv", file.as_bytes());
    assert!(stderr.contains("guests.csv:1: column favourite_colour: unknown column \"favourite_colour\" (expected one of: id, establishment_id"), "{stderr}");
}

#[test]
fn a_non_utf8_byte_is_located() {
    let mut file = format!("{GUEST_HEADER}\n{}\n", good_row()).into_bytes();
    file.extend_from_slice(b"CS-000001,L\xF2 V\xE3n P\xE1nh,1990,male,,VNM,2026-11-20 21:15,,,\n");
    let stderr = rejected("guests.csv", &file);
    assert!(
        stderr.contains(
            "guests.csv:3: byte 0xF2 at byte 12 of the line is not UTF-8 (save the file as UTF-8)"
        ),
        "{stderr}"
    );
}

#[test]
fn an_embedded_escape_sequence_is_refused_and_not_echoed() {
    for (name, payload) in [
        ("csi", "Giàng\u{1b}[2J A Sử"),
        ("osc52", "\u{1b}]52;c;cm0gLXJmIH4=\u{7}Giàng A Sử"),
        ("c1", "Giàng\u{9b}31m A Sử"),
        ("bidi", "Giàng \u{202e}ửS A"),
    ] {
        let file = format!(
            "{GUEST_HEADER}\n{}\n",
            guest_row(payload, "1990", "2026-11-20 21:15")
        );
        let stderr = rejected(&format!("{name}.csv"), file.as_bytes());
        assert!(
            stderr.contains(&format!("{name}.csv:2: column full_name: contains U+")),
            "{stderr}"
        );
        assert!(
            stderr.contains("(remove control characters and escape sequences)"),
            "{stderr}"
        );
    }
}

#[test]
fn an_escape_hidden_in_a_json_cell_is_refused() {
    let desk = desk_with_establishment();
    let before = desk.stats();
    let file = r#"establishment_id,date,officer_id,items
CS-000001,2026-11-20,CB-000001,"[{""item"":""\u001b]52;c;eA==\u0007"",""result"":""pass""}]"
"#;
    let out = desk.import("inspections", "inspections.csv", file.as_bytes());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("inspections.csv:2: column items:"),
        "{stderr}"
    );
    assert!(stderr.contains("U+001B"), "{stderr}");
    assert_eq!(desk.stats(), before);
}

#[test]
fn an_empty_file_says_what_was_expected() {
    let stderr = rejected("empty.csv", b"");
    assert!(
        stderr.contains(
            "empty.csv:1: file is empty (expected a header row: id,establishment_id,full_name"
        ),
        "{stderr}"
    );
    let stderr = rejected("header-only.csv", format!("{GUEST_HEADER}\n").as_bytes());
    assert!(
        stderr.contains("header-only.csv:1: file has a header but no rows"),
        "{stderr}"
    );
}

#[test]
fn a_50_mb_line_is_refused_without_parsing_it() {
    let mut file = format!("{GUEST_HEADER}\n{}\n", good_row()).into_bytes();
    file.extend(std::iter::repeat_n(b'A', 50 * 1024 * 1024));
    file.push(b'\n');
    let stderr = rejected("huge.csv", &file);
    assert!(
        stderr
            .contains("huge.csv:3: line is 52428800 bytes long, more than the 1048576-byte limit"),
        "{stderr}"
    );
}

#[test]
fn one_bad_row_among_good_ones_imports_nothing_and_all_problems_are_listed() {
    let mut file = format!("{GUEST_HEADER}\n");
    for i in 0..50 {
        file.push_str(&guest_row(
            &format!("Nguyễn Văn Hùng {i}"),
            "1990",
            "2026-11-20 21:15",
        ));
        file.push('\n');
    }
    file.push_str("CS-000999,Lò Văn Pánh,1990,robot,999012345678,XQ,yesterday,,1,\n");
    let stderr = rejected("guests.csv", file.as_bytes());
    // References are checked once every value is valid, so only the value problems show here.
    for expected in [
        "guests.csv:52: column gender: \"robot\" is not valid (expected one of: male, female, unknown)",
        "guests.csv:52: column nationality: \"XQ\" is not valid (expected an ISO 3166 code",
        "guests.csv:52: column check_in: \"yesterday\" is not valid (expected a time DD/MM/YYYY HH:MM or YYYY-MM-DD HH:MM (UTC+7), or RFC 3339)",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in {stderr}"
        );
    }
}

#[test]
fn an_unknown_reference_is_named() {
    let file = format!(
        "{GUEST_HEADER}\n{}\n",
        good_row().replace("CS-000001", "CS-000999")
    );
    let stderr = rejected("guests.csv", file.as_bytes());
    assert!(stderr.contains("guests.csv:2: column establishment_id: CS-000999 is not in the store (import establishments first, or fix the ID)"), "{stderr}");
}

#[test]
fn a_ragged_row_and_bad_json_are_refused() {
    let stderr = rejected(
        "guests.csv",
        format!("{GUEST_HEADER}\nCS-000001,Giàng A Sử\n").as_bytes(),
    );
    assert!(
        stderr.contains("guests.csv:2: row has 2 fields but the header has 10"),
        "{stderr}"
    );
    let stderr = rejected("guests.json", b"[\n{\"full_name\": \"x\"},\n");
    assert!(stderr.contains("guests.json:"), "{stderr}");
    assert!(stderr.contains("not a JSON array of objects"), "{stderr}");
}

#[test]
fn json_problems_carry_the_line_of_the_object() {
    let good = r#"{"establishment_id":"CS-000001","full_name":"Giàng A Sử","date_of_birth":"1990","gender":"male","id_number":"","nationality":"VNM","check_in":"2026-11-20 21:15","check_out":"","room":"","declared_at":""}"#;
    let bad = good.replace("\"1990\"", "\"1990-13-01\"");
    let file = format!("[\n{good},\n{good},\n{bad}\n]\n");
    let stderr = rejected("guests.json", file.as_bytes());
    assert!(
        stderr.contains("guests.json:4: column date_of_birth: \"1990-13-01\" is not valid"),
        "{stderr}"
    );
}

/// Friction (issue 16): files as clerks and lodging software write them — gender `M`/`F`/
/// `Nữ`, nationality as alpha-2, alpha-3 or the country's name, dates day first — are taken,
/// and the store holds the canonical values (what export writes).
#[test]
fn values_as_clerks_write_them_are_stored_canonically() {
    let desk = desk_with_establishment();
    let rows = [
        "CS-000001,Giàng A Sử,20/11/1990,M,999012345678,VN,20/11/2026 21:15,,101,20/11/2026 21:20",
        "CS-000001,Lò Thị Pánh,1985-03-02,Nữ,999012345679,Việt Nam,2026-11-20 22:00,,102,2026-11-20 22:05",
        "CS-000001,Vương Lệ Hoa,02/03/1992,F,999012345680,CN,20/11/2026 22:30,,103,20/11/2026 22:31",
        "CS-000001,Somsak Phommavong,1988,m,999012345681,lao,20/11/2026 23:00,,104,20/11/2026 23:02",
    ];
    let file = format!("{GUEST_HEADER}\n{}\n", rows.join("\n"));
    let out = desk.import("guests", "guests.csv", file.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exported = desk.ok(&["export", "guests"]);
    for expected in [
        "Giàng A Sử,,1990-11-20,male,cccd,999012345678,VNM,2026-11-20T21:15:00+07:00",
        "Lò Thị Pánh,,1985-03-02,female,cccd,999012345679,VNM,",
        "Vương Lệ Hoa,,1992-03-02,female,",
        ",CHN,2026-11-20T22:30:00+07:00",
        "Somsak Phommavong,,1988,male,",
        ",LAO,2026-11-20T23:00:00+07:00",
    ] {
        assert!(exported.contains(expected), "{expected}\n{exported}");
    }
    // A code that names no country is still refused, with what is expected.
    let bad = format!("{GUEST_HEADER}\n{}\n", rows[0].replace(",VN,", ",XQ,"));
    let stderr = rejected("guests.csv", bad.as_bytes());
    assert!(
        stderr.contains("column nationality: \"XQ\" is not valid"),
        "{stderr}"
    );
}
