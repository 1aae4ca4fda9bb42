//! The console driven over `TestBackend`: a seeded sample store with a fixed clock, an app
//! on it, key strings typed, and the screen read back as text.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use trucban::app::keymap::Keymap;
use trucban::app::keys::parse_script;
use trucban::app::{App, Options};
use trucban::domain::Instant;
use trucban::i18n::Lang;
use trucban::service::LocalDesk;
use trucban::ui::theme::{self, NoUserThemes};

pub fn now() -> Instant {
    trucban::domain::time::parse_instant("2026-11-27 09:30").expect("fixed clock")
}

pub struct Desk {
    _dir: tempfile::TempDir,
    pub desk: LocalDesk,
}

pub fn desk() -> Desk {
    let dir = tempfile::tempdir().expect("temp");
    let desk = LocalDesk::over(
        super::engine::open(dir.path(), now()),
        trucban::domain::Clock::fixed(now()),
    );
    desk.load(&trucban::cli::sample_records(now()).expect("sample"))
        .expect("load");
    Desk { _dir: dir, desk }
}

/// The console's options as the tests use them: an officer for the forms, the built-in keys.
pub fn options(lang: Lang, theme_name: &str, drafts: Option<std::path::PathBuf>) -> Options {
    Options {
        lang,
        officer: Some("CB-000003".parse().expect("officer id")),
        keymap: Keymap::builtin(),
        theme: theme::load(theme_name, &NoUserThemes).expect("theme"),
        drafts_dir: drafts,
        place_file: None,
        row_cap: trucban::app::present::ROW_CAP,
        shifts: Default::default(),
        lock_after: trucban::app::lock::default_after(),
        first_view: trucban::app::views::View::Wanted,
    }
}

pub fn app<'a>(
    desk: &'a Desk,
    lang: Lang,
    theme_name: &str,
    drafts: Option<std::path::PathBuf>,
) -> App<'a> {
    let mut app = App::new(&desk.desk, options(lang, theme_name, drafts));
    app.start(24, now());
    app
}

/// Types a key string and returns the screen after it.
pub fn screen(app: &mut App, keys: &str) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    for key in parse_script(keys).expect("key string") {
        app.press(key, now());
    }
    app.draw(&mut terminal).expect("draw");
    terminal.backend().buffer().clone()
}

pub fn text(buffer: &Buffer) -> String {
    let width = usize::from(buffer.area.width);
    buffer
        .content
        .chunks(width)
        .map(|row| {
            row.iter()
                .map(|c| c.symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The hits on screen, top to bottom.
pub fn hits_on(shown: &str, desk: &trucban::service::LocalDesk) -> Vec<trucban::domain::Hit> {
    use trucban::service::DeskApi;
    shown
        .lines()
        .filter_map(|l| l.trim_start_matches(['▶', ' ']).split_whitespace().next())
        .filter(|w| w.starts_with("NT-"))
        .map(|id| match desk.get(id.parse().expect("hit id")) {
            Ok(Some(trucban::domain::Record::Hit(h))) => h,
            other => panic!("{id}: {other:?}"),
        })
        .collect()
}
