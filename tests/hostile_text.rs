//! Text from the store never reaches the terminal raw: records written straight into the
//! store (past the service, which refuses such text) carry every C0 and C1 control, CSI,
//! OSC 52 (clipboard write), DCS and bidi overrides in their displayed fields. Every view
//! and detail is drawn through the real crossterm backend; its bytes hold none of them.

#![allow(clippy::panic)]

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{TerminalOptions, Viewport};
use trucban::app::keymap::Keymap;
use trucban::app::keys::parse_script;
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

#[test]
fn no_control_sequence_from_stored_text_reaches_the_terminal() {
    let dir = tempfile::tempdir().expect("temp");
    let store = Store::open(dir.path(), now()).expect("open");
    let mut records = trucban::cli::sample_records(now()).expect("sample");
    let bad = poison();
    for record in &mut records {
        match record {
            Record::Person(p) if p.id.num() <= 3 => {
                p.full_name = bad.clone();
                p.aliases = vec![bad.clone()];
                p.features = Some(bad.clone());
                p.home_commune = Some(bad.clone());
            }
            Record::Wanted(w) if w.id.num() <= 3 => {
                w.decision_no = bad.clone();
                w.agency.name = bad.clone();
                w.agency.phone = bad.clone();
                w.offence.name = bad.clone();
                w.last_known_location = Some(bad.clone());
                if let Some(h) = w.history.first_mut() {
                    h.note = bad.clone();
                }
            }
            Record::Establishment(e) if e.id.num() <= 3 => {
                e.name = bad.clone();
                e.address = bad.clone();
                e.owner = bad.clone();
            }
            Record::GuestStay(g) if g.id.num() <= 3 => {
                g.guest.full_name = bad.clone();
                g.guest.other_names = vec![bad.clone()];
                g.room = Some(bad.clone());
            }
            Record::DutyLog(l) if l.id.num() <= 3 => l.text = bad.clone(),
            Record::Group(g) if g.id.num() <= 3 => g.name = bad.clone(),
            Record::WatchEntry(e) if e.id.num() <= 3 => e.reason = bad.clone(),
            Record::Sighting(s) if s.id.num() <= 3 => s.place = bad.clone(),
            Record::Campaign(c) if c.id.num() <= 3 => c.name = bad.clone(),
            Record::Assignment(a) if a.id.num() <= 3 => a.post = bad.clone(),
            Record::Inspection(i) if i.id.num() <= 3 => i.note = bad.clone(),
            Record::Officer(o) => o.full_name = bad.clone(),
            _ => {}
        }
    }
    store.put(&records).expect("raw write past the service");
    let desk = LocalDesk::new(store);
    for theme_name in ["default", "mono"] {
        let options = Options {
            lang: Lang::Vi,
            officer: None,
            keymap: Keymap::builtin(),
            theme: theme::load(theme_name, &NoUserThemes).expect("theme"),
            drafts_dir: None,
        };
        let mut app = App::new(&desk, options);
        app.start(24, now());
        let mut out: Vec<u8> = Vec::new();
        {
            let backend = CrosstermBackend::new(&mut out);
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
