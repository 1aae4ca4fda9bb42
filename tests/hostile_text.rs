//! Text from the store never reaches the terminal raw: records written straight into the
//! store (past the service, which refuses such text) carry every C0 and C1 control, CSI,
//! OSC 52 (clipboard write), DCS and bidi overrides in their displayed fields. Every view
//! and detail is drawn through the real crossterm backend; its bytes hold none of them.

#![allow(clippy::panic)]

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
use trucban::store::Store;
use trucban::ui::theme::{self, NoUserThemes};

fn poison() -> String {
    let mut s = String::from("Lò");
    for c in (0u32..0x20).chain([0x7F]).chain(0x80..0xA0) {
        s.push(char::from_u32(c).expect("control char"));
    }
    s.push_str(
        "\u{1b}[2J\u{1b}[31m\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}]0;owned\u{1b}\\\u{1b}P1$qm\u{1b}\\",
    );
    s.push_str("\u{202e}ửS\u{202d}\u{2066}x\u{2069}\u{200f}Pánh");
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
    let store = Store::open(dir.path(), now()).expect("open");
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
    let desk = LocalDesk::new(store);
    for theme_name in ["default", "mono"] {
        let options = Options {
            lang: Lang::Vi,
            officer: None,
            keymap: Keymap::builtin(),
            theme: theme::load(theme_name, &NoUserThemes).expect("theme"),
            drafts_dir: None,
            row_cap: trucban::app::present::ROW_CAP,
            shifts: Default::default(),
            lock_after: trucban::app::lock::default_after(),
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
