//! The lean backend draws exactly what ratatui's crossterm backend draws: the same key
//! script through both, each byte stream fed to a terminal emulator (vt100), and the two
//! screens compared cell by cell — text, colours and attributes — after every frame.

#![allow(clippy::panic)]

mod engine;

use std::io::Write;

use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use trucban::app::keymap::Keymap;
use trucban::app::keys::parse_script;
use trucban::app::lean_backend::LeanBackend;
use trucban::app::{App, Options};
use trucban::domain::Instant;
use trucban::i18n::Lang;
use trucban::service::LocalDesk;
use trucban::ui::theme::{self, NoUserThemes};

fn now() -> Instant {
    trucban::domain::time::parse_instant("2026-11-27 09:30").expect("clock")
}

/// Runs `script` through a backend made by `make`, feeding every frame to a vt100 screen;
/// returns the screen after each frame, and the bytes sent.
fn frames<B: Backend + Write>(
    desk: &LocalDesk,
    theme_name: &str,
    script: &str,
    backend: B,
) -> (Vec<vt100::Screen>, usize)
where
    B::Error: std::fmt::Debug,
{
    let options = Options {
        lang: Lang::Vi,
        officer: Some("CB-000003".parse().expect("id")),
        keymap: Keymap::builtin(),
        theme: theme::load(theme_name, &NoUserThemes).expect("theme"),
        drafts_dir: None,
        place_file: None,
        row_cap: trucban::app::present::ROW_CAP,
        shifts: Default::default(),
        lock_after: trucban::app::lock::default_after(),
        first_view: trucban::app::views::View::Wanted,
    };
    let mut app = App::new(desk, options);
    app.start(24, now());
    let mut terminal = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
        },
    )
    .expect("terminal");
    let size = |n: u16| std::num::NonZeroU16::new(n).expect("non-zero");
    let mut parser = vt100::Parser::new(size(24), size(80), 0);
    let mut screens = Vec::new();
    let mut sent = 0;
    let frame = |app: &App,
                 terminal: &mut Terminal<B>,
                 parser: &mut vt100::Parser,
                 screens: &mut Vec<vt100::Screen>,
                 sent: &mut usize| {
        app.draw(terminal).expect("draw");
        let bytes = take_bytes(terminal.backend_mut());
        *sent += bytes.len();
        parser.process(&bytes);
        screens.push(parser.screen().clone());
    };
    frame(&app, &mut terminal, &mut parser, &mut screens, &mut sent);
    for key in parse_script(script).expect("script") {
        if app.press(key, now()) {
            frame(&app, &mut terminal, &mut parser, &mut screens, &mut sent);
        }
    }
    (screens, sent)
}

thread_local! {
    static SINK: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A writer into the thread's sink, so bytes can be taken out between frames.
#[derive(Clone, Copy)]
struct Sink;

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        SINK.with(|s| s.borrow_mut().extend_from_slice(buf));
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn take_bytes<B>(_: &mut B) -> Vec<u8> {
    SINK.with(|s| std::mem::take(&mut *s.borrow_mut()))
}

#[test]
fn the_lean_backend_draws_the_same_screens_with_fewer_bytes() {
    let dir = tempfile::tempdir().expect("temp");
    let desk = LocalDesk::over(
        engine::open(dir.path(), now()),
        trucban::domain::Clock::fixed(now()),
    );
    desk.load(&trucban::cli::sample_records(now()).expect("sample"))
        .expect("load");
    let script = "jjjj<PageDown>jG<Enter>jj<Enter><Esc><Esc>/hung<BS>ư<Enter>s<Esc>:lt<Enter><Enter><Esc>a<Tab><Right>x<Esc>?<Esc>:kh<Enter>G";
    for theme_name in theme::builtin_names() {
        let (reference, reference_bytes) =
            frames(&desk, theme_name, script, CrosstermBackend::new(Sink));
        let (lean, lean_bytes) =
            frames(&desk, theme_name, script, LeanBackend::with_width(Sink, 80));
        assert_eq!(reference.len(), lean.len());
        for (n, (a, b)) in reference.iter().zip(&lean).enumerate() {
            for row in 0..24 {
                for col in 0..80 {
                    let (ca, cb) = (a.cell(row, col), b.cell(row, col));
                    let same = match (ca, cb) {
                        // A blank shows only its background, underline and inverse: an
                        // erased cell (`CSI K`) has no contents and the plain foreground.
                        (Some(x), Some(y))
                            if x.contents().trim().is_empty() && y.contents().trim().is_empty() =>
                        {
                            x.bgcolor() == y.bgcolor()
                                && x.underline() == y.underline()
                                && x.inverse() == y.inverse()
                        }
                        (Some(x), Some(y)) => {
                            x.contents() == y.contents()
                                && x.fgcolor() == y.fgcolor()
                                && x.bgcolor() == y.bgcolor()
                                && x.bold() == y.bold()
                                && x.italic() == y.italic()
                                && x.underline() == y.underline()
                                && x.inverse() == y.inverse()
                        }
                        (None, None) => true,
                        _ => false,
                    };
                    assert!(
                        same,
                        "{theme_name}, frame {n}, row {row}, column {col}: {ca:?} vs {cb:?}"
                    );
                }
            }
        }
        println!(
            "{theme_name}: {reference_bytes} bytes with ratatui's backend, {lean_bytes} with the lean one"
        );
        assert!(
            lean_bytes < reference_bytes,
            "{theme_name}: the lean backend sent more"
        );
    }
}
