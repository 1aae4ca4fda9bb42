//! Text from the store never reaches the terminal raw: records written straight into the
//! store (past the service, which refuses such text) carry every C0 and C1 control, CSI,
//! OSC 52 (clipboard write), DCS, bidi overrides and zero-width characters in their
//! displayed fields. Every view and detail is drawn through the real crossterm backend; its
//! bytes hold none of them. Every command that prints stored text (`search`, `screen`,
//! `handover`, `report`, `export` in each format, `late`, `inspect-next`, `roster`) prints
//! none of them either, nor do the error messages that quote a bad cell, config value, key
//! or theme colour. And no such text gets into the store by import, save or load.

#![allow(clippy::panic)]

mod engine;

use ratatui::Terminal;
use ratatui::layout::Rect;
use ratatui::{TerminalOptions, Viewport};
use trucban::app::keymap::Keymap;
use trucban::app::keys::parse_script;
use trucban::app::lean_backend::LeanBackend;
use trucban::app::{App, Options};
use trucban::domain::*;
use trucban::i18n::Lang;
use trucban::service::LocalDesk;
use trucban::ui::theme::{self, NoUserThemes};

fn poison() -> String {
    let mut s = String::from("Lò");
    // PostgreSQL holds no NUL in text or JSONB (it refuses the write), so a store there can
    // never hold one; on sled the raw write plants it too.
    let first = if engine::server().is_some() { 1 } else { 0 };
    for c in (first..0x20).chain([0x7F]).chain(0x80..0xA0) {
        s.push(char::from_u32(c).expect("control char"));
    }
    s.push_str(
        "\u{1b}[2J\u{1b}[31m\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}]0;owned\u{1b}\\\u{1b}P1$qm\u{1b}\\",
    );
    s.push_str("\u{202e}ửS\u{202d}\u{2066}x\u{2069}\u{200f}\u{200b}\u{2060}\u{feff}Pánh");
    s
}

fn now() -> Instant {
    trucban::domain::time::parse_instant("2026-11-27 09:30").expect("clock")
}

/// The record with `bad` in every string leaf that can hold it.
fn poisoned(record: &Record, bad: &str) -> Record {
    let mut value = serde_json::to_value(record).expect("record to JSON");
    let mut paths = Vec::new();
    collect_strings(&value, &mut Vec::new(), &mut paths);
    for path in paths {
        let mut trial = value.clone();
        if let Some(leaf) = path.iter().try_fold(&mut trial, |v, key| match key {
            Key::Field(name) => v.get_mut(name.as_str()),
            Key::Item(i) => v.get_mut(*i),
        }) {
            *leaf = serde_json::Value::String(bad.to_string());
        }
        if serde_json::from_value::<Record>(trial.clone()).is_ok() {
            value = trial;
        }
    }
    serde_json::from_value(value).expect("poisoned record decodes")
}

enum Key {
    Field(String),
    Item(usize),
}

fn collect_strings(value: &serde_json::Value, at: &mut Vec<Key>, out: &mut Vec<Vec<Key>>) {
    match value {
        serde_json::Value::String(_) => out.push(
            at.iter()
                .map(|k| match k {
                    Key::Field(f) => Key::Field(f.clone()),
                    Key::Item(i) => Key::Item(*i),
                })
                .collect(),
        ),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                at.push(Key::Item(i));
                collect_strings(item, at, out);
                at.pop();
            }
        }
        serde_json::Value::Object(map) => {
            for (name, item) in map {
                at.push(Key::Field(name.clone()));
                collect_strings(item, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[test]
fn no_control_sequence_from_stored_text_reaches_the_terminal() {
    let dir = tempfile::tempdir().expect("temp");
    let store = engine::open(dir.path(), now());
    let mut records = trucban::cli::sample_records(now()).expect("sample");
    let bad = poison();
    // Every string field of the first records of each kind, wherever the record still
    // decodes with it (IDs, dates and codes do not, and stay as they are).
    for record in records
        .iter_mut()
        .filter(|r| r.id().num() <= 3 || r.kind() == Kind::Officer)
    {
        *record = poisoned(record, &bad);
    }
    let poisoned_fields: usize = records
        .iter()
        .map(|r| {
            // The poison's JSON form begins with a unique run of escaped controls.
            let marker = &serde_json::to_string(&bad).expect("json")[1..20];
            serde_json::to_string(r)
                .expect("json")
                .matches(marker)
                .count()
        })
        .sum();
    println!("{poisoned_fields} string fields poisoned");
    assert!(
        poisoned_fields > 150,
        "only {poisoned_fields} fields poisoned"
    );
    store.put(&records).expect("raw write past the service");
    let desk = LocalDesk::over(store, trucban::domain::Clock::fixed(now()));
    for theme_name in ["default", "mono"] {
        let options = Options {
            lang: Lang::Vi,
            officer: None,
            keymap: Keymap::builtin(),
            theme: theme::load(theme_name, &NoUserThemes).expect("theme"),
            drafts_dir: None,
            place_file: None,
            row_cap: trucban::app::present::ROW_CAP,
            shifts: Default::default(),
            lock_after: trucban::app::lock::default_after(),
            first_view: trucban::app::views::View::Wanted,
        };
        let mut app = App::new(&desk, options);
        app.start(24, now());
        let mut out: Vec<u8> = Vec::new();
        {
            let backend = LeanBackend::new(&mut out);
            let mut terminal = Terminal::with_options(
                backend,
                TerminalOptions {
                    viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
                },
            )
            .expect("terminal");
            app.draw(&mut terminal).expect("draw");
            for alias in ["tn", "bn", "ld", "ph", "lt", "kh", "kt", "cd", "pc", "nk"] {
                for keys in [
                    format!(":{alias}<Enter>"),
                    "<Enter>".into(),
                    "j<Enter>".into(),
                    "<Esc><Esc>".into(),
                    "ja".into(),
                    "<Esc>".into(),
                ] {
                    for key in parse_script(&keys).expect("keys") {
                        if app.press(key, now()) {
                            app.draw(&mut terminal).expect("draw");
                        }
                    }
                }
            }
        }
        let shown = String::from_utf8_lossy(&out);
        assert!(
            shown.contains('\u{FFFD}'),
            "the poisoned fields were never drawn"
        );
        for (what, needle) in [
            ("OSC", "\u{1b}]"),
            ("DCS", "\u{1b}P"),
            ("string terminator", "\u{1b}\\"),
            ("BEL", "\u{7}"),
            ("clear screen from data", "\u{1b}[2J"),
            ("RLO", "\u{202e}"),
            ("LRO", "\u{202d}"),
            ("LRI", "\u{2066}"),
            ("RLM", "\u{200f}"),
        ] {
            assert!(
                !shown.contains(needle),
                "{theme_name}: {what} reached the terminal"
            );
        }
        for c in shown.chars() {
            let code = c as u32;
            assert!(
                !(0x80..0xA0).contains(&code),
                "{theme_name}: C1 control U+{code:04X} reached the terminal"
            );
            assert!(
                code >= 0x20 || c == '\u{1b}' || c == '\r' || c == '\n',
                "{theme_name}: C0 control U+{code:04X} reached the terminal"
            );
        }
        // Every ESC is the start of a CSI that the backend itself wrote (cursor moves, SGR).
        for (at, _) in shown.match_indices('\u{1b}') {
            assert!(
                shown[at..].starts_with("\u{1b}["),
                "{theme_name}: a non-CSI escape at byte {at}"
            );
        }
    }
}

/// A store under `dir/data` whose first records of each kind carry the poison everywhere
/// they can, written past the service (as an older version or a damaged disk would).
fn poisoned_store(dir: &std::path::Path) -> usize {
    let store = engine::open(&dir.join("data"), now());
    let mut records = trucban::cli::sample_records(now()).expect("sample");
    let bad = poison();
    let mut n = 0;
    for record in records
        .iter_mut()
        .filter(|r| r.id().num() <= 3 || r.kind() == Kind::Officer)
    {
        *record = poisoned(record, &bad);
        n += 1;
    }
    store.put(&records).expect("raw write past the service");
    n
}

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_trucban"))
        .args(engine::store_args(&dir.join("data")))
        .args(args)
        .env_remove("TRUCBAN_DATA_DIR")
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("HOME", dir)
        .output()
        .expect("run trucban")
}

/// No control, bidi or zero-width character in `bytes` but line ends (`\r` only before `\n`).
fn assert_clean(what: &str, bytes: &[u8]) {
    let shown = String::from_utf8_lossy(bytes);
    let chars: Vec<char> = shown.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let line_end = c == '\n' || (c == '\r' && chars.get(i + 1) == Some(&'\n'));
        assert!(
            line_end || !trucban::domain::text::is_hostile(c),
            "{what}: U+{:04X} reached the output raw, near {:?}",
            c as u32,
            chars[i.saturating_sub(30)..(i + 30).min(chars.len())]
                .iter()
                .collect::<String>()
        );
    }
}

#[test]
fn no_command_prints_stored_control_sequences() {
    let dir = tempfile::tempdir().expect("temp");
    poisoned_store(dir.path());
    let guests = dir.path().join("guests.csv");
    std::fs::write(
        &guests,
        "establishment_id,full_name,date_of_birth,gender,id_number,nationality,check_in,check_out,room,declared_at\n\
         CS-000001,Lò Pánh,1990,male,999012345678,VNM,2026-11-20 21:15,,101,2026-11-20 21:15\n",
    )
    .expect("guest file");
    let guests = guests.to_string_lossy().into_owned();
    let mut commands: Vec<Vec<String>> = Vec::new();
    let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    for query in ["Lò", "Pánh", "ửS", "x", "a", "kind:wanted Lò"] {
        commands.push(args(&["search", query, "--limit", "200"]));
        commands.push(args(&["search", query, "--limit", "200", "--json"]));
    }
    for format in ["text", "md", "json"] {
        for shift in ["current", "previous", "GC-000001", "GC-000002"] {
            commands.push(args(&["handover", "--shift", shift, "--format", format]));
        }
        commands.push(args(&[
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--format",
            format,
        ]));
    }
    for kind in Kind::ALL {
        for format in ["csv", "json", "text"] {
            commands.push(args(&["export", kind.name(), "--format", format]));
        }
    }
    commands.push(args(&["screen", &guests]));
    commands.push(args(&["screen", &guests, "--json"]));
    commands.push(args(&[
        "late",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
    ]));
    commands.push(args(&[
        "late",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--json",
    ]));
    commands.push(args(&["inspect-next", "--limit", "100"]));
    commands.push(args(&["inspect-next", "--limit", "100", "--json"]));
    commands.push(args(&["roster", "check"]));
    commands.push(args(&["roster", "check", "--json"]));
    commands.push(args(&["roster", "show", "--campaign", "CD-000001"]));
    commands.push(args(&[
        "roster",
        "show",
        "--campaign",
        "CD-000001",
        "--json",
    ]));
    let mut printed_poison = 0;
    for command in &commands {
        let list: Vec<&str> = command.iter().map(String::as_str).collect();
        let out = run(dir.path(), &list);
        let what = command.join(" ");
        assert_clean(&format!("{what} (stdout)"), &out.stdout);
        assert_clean(&format!("{what} (stderr)"), &out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        // The poison was there, shown neutralised (or escaped, in JSON).
        if stdout.contains("\u{fffd}") || stdout.contains("\\u001b") {
            printed_poison += 1;
        }
    }
    assert!(
        printed_poison >= 40,
        "only {printed_poison} of {} commands showed a poisoned field",
        commands.len()
    );
}

#[test]
fn exports_of_a_sound_store_import_back_exactly_and_formulas_stay_text() {
    let dir = tempfile::tempdir().expect("temp");
    let out = run(dir.path(), &["seed", "--sample"]);
    assert!(out.status.success());
    // A spreadsheet formula is a name like any other to trucban: kept exactly (see README,
    // "Hostile input").
    let persons = dir.path().join("persons.csv");
    std::fs::write(
        &persons,
        "id,full_name,aliases,date_of_birth,gender,ethnicity,nationality,id_kind,id_number,home_commune,former_district,features\n\
         ,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",@SUM(A1),1990,male,Kinh,VNM,,,xã Mù Cả,huyện Mường Tè,+84 213 -1\n",
    )
    .expect("file");
    let out = run(
        dir.path(),
        &["import", "persons", &persons.to_string_lossy()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for format in ["csv", "json"] {
        let first = run(dir.path(), &["export", "persons", "--format", format]).stdout;
        assert!(String::from_utf8_lossy(&first).contains("=HYPERLINK("));
        let file = dir.path().join(format!("again.{format}"));
        std::fs::write(&file, &first).expect("write");
        let out = run(dir.path(), &["import", "persons", &file.to_string_lossy()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let second = run(dir.path(), &["export", "persons", "--format", format]).stdout;
        assert_eq!(first, second, "{format} export did not round-trip");
    }
}

#[test]
fn error_messages_quote_hostile_input_neutralised() {
    let dir = tempfile::tempdir().expect("temp");
    let bad = poison();
    // A command-line argument cannot hold NUL.
    let arg = bad.replace('\0', "");
    let mut cases: Vec<(String, std::process::Output)> = Vec::new();
    // An import file with the poison in a cell, in a column name and in the file name.
    let name = dir
        .path()
        .join(format!("x{}.csv", "\u{1b}]0;t\u{7}\u{202e}"));
    std::fs::write(
        &name,
        format!("id,badge_no,full_name,rank,unit,role,{bad}\n,123,\"{bad}\",thiếu tá,PC02,duty\n"),
    )
    .expect("file");
    cases.push((
        "import".into(),
        run(dir.path(), &["import", "officers", &name.to_string_lossy()]),
    ));
    let json = dir.path().join("o.json");
    let escaped = serde_json::to_string(&bad).expect("json");
    std::fs::write(
        &json,
        format!("[{{\"badge_no\":\"1\",\"full_name\":{escaped},\"rank\":\"x\",\"unit\":\"y\",\"role\":\"duty\"}}]"),
    )
    .expect("file");
    cases.push((
        "import json".into(),
        run(dir.path(), &["import", "officers", &json.to_string_lossy()]),
    ));
    // A config value, a key in a keymap file, a theme colour, a search and a shift ID.
    let config = dir.path().join("c.toml");
    std::fs::write(&config, format!("lang = {escaped}\n")).expect("config");
    cases.push((
        "config".into(),
        run(dir.path(), &["--config", &config.to_string_lossy(), "late"]),
    ));
    let toml_escaped = escaped.replace("\\u001b", "\\u001B");
    std::fs::write(&config, format!("theme = \"x\"\n{bad} = 1\n")).expect("config");
    cases.push((
        "config syntax".into(),
        run(dir.path(), &["--config", &config.to_string_lossy(), "late"]),
    ));
    let keymap = dir.path().join("k.toml");
    std::fs::write(
        &keymap,
        format!("[[list]]\non = {toml_escaped}\nrun = \"select-first\"\n"),
    )
    .expect("keymap");
    cases.push((
        "keymap".into(),
        run(dir.path(), &["--keymap", &keymap.to_string_lossy()]),
    ));
    let themes = dir.path().join("config/trucban/themes");
    std::fs::create_dir_all(&themes).expect("theme dir");
    std::fs::write(
        themes.join("evil.toml"),
        format!("inherits = \"default\"\n[roles]\nbase = {{ fg = {toml_escaped} }}\n"),
    )
    .expect("theme");
    cases.push(("theme".into(), run(dir.path(), &["--theme", "evil"])));
    cases.push((
        "handover id".into(),
        run(dir.path(), &["handover", "--shift", &arg]),
    ));
    cases.push(("kind".into(), run(dir.path(), &["export", &arg])));
    cases.push(("search".into(), run(dir.path(), &["search", &arg])));
    for (what, out) in &cases {
        assert_clean(&format!("{what} (stdout)"), &out.stdout);
        assert_clean(&format!("{what} (stderr)"), &out.stderr);
    }
    // The refusals did say what was wrong (not just nothing).
    for (what, out) in cases.iter().take(6) {
        assert!(!out.status.success(), "{what} was accepted");
        assert!(!out.stderr.is_empty(), "{what}: no message");
    }
}

#[test]
fn hostile_text_cannot_get_into_the_store() {
    use trucban::service::{DeskApi, Format, ImportSource};
    let dir = tempfile::tempdir().expect("temp");
    let desk = LocalDesk::over(
        engine::open(dir.path(), now()),
        trucban::domain::Clock::fixed(now()),
    );
    let sample = trucban::cli::sample_records(now()).expect("sample");
    desk.load(&sample).expect("sample loads");
    let before = desk.stats().expect("stats");
    let mut tried = 0;
    for bad in [
        "\u{1b}[2J",
        "\u{1b}]52;c;eA==\u{7}",
        "\u{1b}P1$qm\u{1b}\\",
        "\u{9b}31m",
        "\u{202e}",
        "\u{2067}",
        "\u{200b}",
        "\u{2060}",
        "\u{0}",
    ] {
        let text = format!("Lò{bad}Pánh");
        for kind in Kind::ALL {
            let Some(record) = sample.iter().find(|r| r.kind() == kind) else {
                continue;
            };
            let record = poisoned(record, &text);
            if record.first_hostile_char().is_none() {
                continue;
            }
            tried += 1;
            assert!(
                desk.save(record.clone()).is_err(),
                "save took {bad:?} into {kind:?}"
            );
            assert!(
                desk.load(std::slice::from_ref(&record)).is_err(),
                "load took {bad:?} into {kind:?}"
            );
            // The JSON export of such a record (escaped) read back by import.
            let json = trucban::service::interchange::export(
                kind,
                std::iter::once(&record),
                &|id| desk.store().get(id).ok().flatten(),
                Format::Json,
                trucban::service::interchange::Piece::WHOLE,
            )
            .expect("exported");
            let source = ImportSource {
                name: "x.json".into(),
                bytes: json,
                format: Format::Json,
                on_disk: None,
            };
            if let Ok(report) = desk.import(kind, &source) {
                panic!("import took {bad:?} into {kind:?}: {report:?}");
            }
        }
    }
    assert!(tried > 100, "only {tried} poisoned records tried");
    assert_eq!(desk.stats().expect("stats"), before, "the store changed");
}
