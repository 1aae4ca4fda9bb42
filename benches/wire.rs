//! Wire benchmark (not run in CI): `cargo bench --bench wire`.
//!
//! Counts the bytes the console sends to the terminal — what an officer pays for over SSH on
//! a 3G link. It drives the real [`App`] (keys → `press` → `draw` only when `press` says so,
//! as `shell::run` does) through the backend the shell uses (`LeanBackend`, over crossterm)
//! into a writer that keeps every
//! byte, at 80×24 and 120×40, for each built-in theme:
//!
//! - **first paint**: what `TerminalGuard::enter` writes (alternate screen, hide cursor),
//!   the frame drawn while the store opens, then `start` and the first frame of rows; on the
//!   Wanted view (the figures go back to it) and on "Shift at a glance" (**glance**), the
//!   view an officer's console opens on;
//! - **move**: one `j`, averaged over 10 moves from the top row (median and largest too);
//! - **page**: one `<PageDown>` from the top row; **scroll**: then one `j`, which scrolls the
//!   table by one row;
//! - **detail**: `<Enter>` on the top row (opens the record's detail);
//! - **`/`** and **`h`**: starting the filter, then typing one character of it;
//! - **idle/min**: the bytes a minute with no input, run as `shell::run` runs it over ten
//!   minutes of the bench's clock: woken only when `State::wakes_in(now)` asks (the status
//!   line's clock, once a minute; the countdown of the hits queue, every half minute), a
//!   `Tick` acted at that time and a frame drawn only when the core says the screen changed.
//!   On the Wanted view (the clock alone) and on the hits queue (the clock and the
//!   countdown). Keys that change nothing are checked to ask for no redraw;
//! - **(redraw)**: a frame with nothing changed — the fixed cost of every frame.
//!
//! It prints the table of bytes, where they go (cursor moves, style changes, text) and the
//! targets at 80×24 met or missed. Each operation starts from a fresh session after its
//! first paint, over one store loaded with the built-in sample at a fixed time, in
//! Vietnamese (the default language), so runs give the same numbers.
//!
//! - `WIRE_DUMP=1` (or `WIRE_DUMP=default,low-bandwidth`) also prints, at 80×24, the decoded
//!   escape sequences of one-row moves, the first paint and the filter character;
//! - `WIRE_STRICT=1` makes a missed target exit with status 1.

#[path = "wire/decode.rs"]
mod decode;
use decode::*;

use std::cell::RefCell;
use std::io;
use std::rc::Rc;

use anyhow::Context;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use trucban::app::keymap::Keymap;
use trucban::app::keys::parse_script;
use trucban::app::lean_backend::LeanBackend;
use trucban::app::state::State;
use trucban::app::views::View;
use trucban::app::{App, Options};
use trucban::domain::Instant;
use trucban::i18n::Lang;
use trucban::service::LocalDesk;
use trucban::ui::theme::{self, NoUserThemes};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const MOVES: usize = 10;

/// Targets at 80×24, in bytes.
const FIRST_PAINT_MAX: usize = 6_000;
const MOVE_MAX_DEFAULT: f64 = 300.0;
const MOVE_MAX_LOW_BANDWIDTH: f64 = 60.0;
const FILTER_CHAR_MAX: usize = 2_000;
/// Issue 16: the status line and the at-a-glance view came within the figures of the day
/// it was filed — first paint and one-row move in `default`, one-row move in
/// `low-bandwidth` — and the at-a-glance view's first paint within the same budget.
const FIRST_PAINT_BUDGET_DEFAULT: usize = 3_259;
const MOVE_BUDGET_DEFAULT: f64 = 94.0;
const MOVE_BUDGET_LOW_BANDWIDTH: f64 = 24.0;
/// The status line's clock, idle (issue 16): at most this many bytes a minute.
const IDLE_PER_MINUTE_MAX: f64 = 40.0;

/// The terminal: keeps every byte written, shared with the bench that reads them (the
/// backend owns its writer).
#[derive(Clone, Default)]
struct CountingWriter(Rc<RefCell<Vec<u8>>>);

impl io::Write for CountingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

type Term = Terminal<LeanBackend<CountingWriter>>;

struct Session<'d> {
    app: App<'d>,
    terminal: Term,
    wire: CountingWriter,
    now: Instant,
}

impl<'d> Session<'d> {
    /// A console as `shell::run` starts it; returns it with the bytes of its first paint.
    fn open(
        desk: &'d LocalDesk,
        theme_name: &str,
        size: (u16, u16),
        now: Instant,
    ) -> anyhow::Result<(Session<'d>, Vec<u8>)> {
        Session::open_on(desk, theme_name, size, now, View::Wanted)
    }

    /// As [`Session::open`], on `first_view`.
    fn open_on(
        desk: &'d LocalDesk,
        theme_name: &str,
        (width, height): (u16, u16),
        now: Instant,
        first_view: View,
    ) -> anyhow::Result<(Session<'d>, Vec<u8>)> {
        let options = Options {
            lang: Lang::Vi,
            officer: None,
            keymap: Keymap::builtin(),
            theme: theme::load(theme_name, &NoUserThemes)?,
            drafts_dir: None,
            place_file: None,
            row_cap: trucban::app::present::ROW_CAP,
            shifts: Default::default(),
            lock_after: trucban::app::lock::default_after(),
            first_view,
        };
        let wire = CountingWriter::default();
        let backend = LeanBackend::with_width(wire.clone(), width);
        let mut terminal = Terminal::with_options(
            backend,
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
            },
        )?;
        // What TerminalGuard::enter writes before the first frame.
        crossterm::execute!(
            terminal.backend_mut(),
            crossterm::terminal::EnterAlternateScreen,
            crossterm::cursor::Hide
        )?;
        // The frame `shell::run` draws before it opens the store.
        let opening = State {
            view: first_view,
            ..State::opening(options.lang, options.officer, now)
        };
        terminal
            .draw(|frame| trucban::ui::render(frame, &opening, &options.theme, &options.keymap))?;
        let mut app = App::new(desk, options);
        app.start(height, now);
        app.draw(&mut terminal)?;
        let mut session = Session {
            app,
            terminal,
            wire,
            now,
        };
        let first = session.take();
        Ok((session, first))
    }

    /// Everything written since the last call.
    fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut *self.wire.0.borrow_mut())
    }

    /// Presses the keys one at a time, drawing after each that asks for it (a person typing
    /// on a slow link: one event per wake-up); returns the bytes sent.
    fn keys(&mut self, script: &str) -> anyhow::Result<Vec<u8>> {
        for key in parse_script(script)? {
            if self.app.press(key, self.now) {
                self.app.draw(&mut self.terminal)?;
            }
        }
        Ok(self.take())
    }

    /// Whether the keys asked for a redraw (and sends nothing, as the shell would not).
    fn asks_redraw(&mut self, script: &str) -> anyhow::Result<bool> {
        let mut redraw = false;
        for key in parse_script(script)? {
            redraw |= self.app.press(key, self.now);
        }
        Ok(redraw)
    }
}

/// The bytes of one theme at one size.
struct Measure {
    theme: &'static str,
    size: (u16, u16),
    first_paint: Vec<u8>,
    glance_first_paint: Vec<u8>,
    moves: Vec<Vec<u8>>,
    page: Vec<u8>,
    /// A `j` on the last row shown, which scrolls the table by one row.
    scroll: Vec<u8>,
    detail: Vec<u8>,
    slash: Vec<u8>,
    filter_char: Vec<u8>,
    /// A redraw with nothing changed: the fixed cost of any frame.
    unchanged_redraw: Vec<u8>,
    idle: Idle,
    idle_hits: Idle,
}

impl Measure {
    fn move_avg(&self) -> f64 {
        let total: usize = self.moves.iter().map(Vec::len).sum();
        total as f64 / self.moves.len().max(1) as f64
    }

    fn move_median(&self) -> usize {
        let mut sizes: Vec<usize> = self.moves.iter().map(Vec::len).collect();
        sizes.sort_unstable();
        sizes.get(sizes.len() / 2).copied().unwrap_or(0)
    }

    fn move_max(&self) -> usize {
        self.moves.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// What the console sends per minute with no input, and how often it wakes.
struct Idle {
    per_minute: f64,
    wakes_per_minute: f64,
}

fn measure(
    desk: &LocalDesk,
    theme: &'static str,
    size: (u16, u16),
    now: Instant,
) -> anyhow::Result<Measure> {
    let (_, first_paint) = Session::open(desk, theme, size, now)?;
    // What an officer's console opens on: "Shift at a glance".
    let (_, glance_first_paint) = Session::open_on(desk, theme, size, now, View::Glance)?;

    let (mut s, _) = Session::open(desk, theme, size, now)?;
    let moves = (0..MOVES)
        .map(|_| s.keys("j"))
        .collect::<anyhow::Result<Vec<_>>>()?;

    let (mut s, _) = Session::open(desk, theme, size, now)?;
    let page = s.keys("<PageDown>")?;
    // The selection is now on the last row shown: the next `j` scrolls the table one row.
    let scroll = s.keys("j")?;

    let (mut s, _) = Session::open(desk, theme, size, now)?;
    let detail = s.keys("<Enter>")?;
    anyhow::ensure!(
        !s.app.state.details.is_empty(),
        "{theme}: <Enter> did not open a detail"
    );

    let (mut s, _) = Session::open(desk, theme, size, now)?;
    let slash = s.keys("/")?;
    let filter_char = s.keys("h")?;
    anyhow::ensure!(
        s.app.state.table.filter == "h",
        "{theme}: the filter is {:?}, not \"h\"",
        s.app.state.table.filter
    );

    let (mut s, _) = Session::open(desk, theme, size, now)?;
    s.app.draw(&mut s.terminal)?;
    let unchanged_redraw = s.take();
    anyhow::ensure!(
        !s.asks_redraw("k")? && !s.asks_redraw("g")? && s.take().is_empty(),
        "{theme}: a key that changes nothing asked for a redraw or wrote to the terminal"
    );
    let idle = run_idle(&mut s)?;
    // The hits queue counts its deadlines down: it wakes every half minute.
    let (mut s, _) = Session::open(desk, theme, size, now)?;
    s.keys(":nt<Enter>")?;
    let idle_hits = run_idle(&mut s)?;

    Ok(Measure {
        theme,
        size,
        first_paint,
        glance_first_paint,
        moves,
        page,
        scroll,
        detail,
        slash,
        filter_char,
        unchanged_redraw,
        idle,
        idle_hits,
    })
}

/// Minutes of the bench's clock the idle console is run for.
const IDLE_MINUTES: i64 = 10;

/// What the console sends with no input, run as `shell::run` runs it: woken only when
/// `State::wakes_in` asks (the status line's clock each minute, the countdown of a hit's
/// deadline every half minute while one shows), acting a `Tick` then and drawing only when
/// it says so, over [`IDLE_MINUTES`] minutes of the bench's clock.
fn run_idle(s: &mut Session) -> anyhow::Result<Idle> {
    s.take();
    let end = s.now + chrono::Duration::minutes(IDLE_MINUTES);
    let mut wakes = 0;
    while let Some(after) = s.app.state.wakes_in(s.now) {
        let next =
            s.now + chrono::Duration::from_std(after)?.max(chrono::Duration::milliseconds(1));
        if next > end {
            break;
        }
        s.now = next;
        wakes += 1;
        if s.app.act(trucban::app::messages::Action::Tick, s.now) {
            s.app.draw(&mut s.terminal)?;
        }
    }
    let bytes = s.take().len();
    Ok(Idle {
        per_minute: bytes as f64 / IDLE_MINUTES as f64,
        wakes_per_minute: wakes as f64 / IDLE_MINUTES as f64,
    })
}

/// The decoded bytes of one theme's operations (`WIRE_DUMP`).
fn print_dumps(m: &Measure) {
    let sizes: Vec<usize> = m.moves.iter().map(Vec::len).collect();
    let (w, h) = m.size;
    println!("\n═══ {} {w}×{h}: each `j` in bytes: {sizes:?}", m.theme);
    let largest = (0..m.moves.len())
        .max_by_key(|&i| (m.moves[i].len(), std::cmp::Reverse(i)))
        .unwrap_or(0);
    let mut shown = vec![1, largest];
    shown.dedup();
    for i in shown.into_iter().filter(|&i| i < m.moves.len()) {
        let bytes = &m.moves[i];
        println!("── `j` no. {} ({} bytes) ──", i + 1, bytes.len());
        print!("{}", dump(bytes, 400));
    }
    for (name, bytes) in [
        ("first paint", &m.first_paint),
        ("`h` after `/`", &m.filter_char),
    ] {
        println!("── {name} ({} bytes) ──", bytes.len());
        print!("{}", dump(bytes, 2_000));
    }
}

// ── report ──────────────────────────────────────────────────────────────────────────────

fn print_table(results: &[Measure]) {
    println!(
        "{:<14} {:>7} {:>11} {:>7} {:>8} {:>9} {:>6} {:>7} {:>7} {:>6} {:>6} {:>8} {:>13} {:>9}",
        "theme",
        "size",
        "first paint",
        "glance",
        "move",
        "(med/max)",
        "page",
        "scroll",
        "detail",
        "/",
        "h",
        "idle/min",
        "hits idle/min",
        "(redraw)"
    );
    for m in results {
        println!(
            "{:<14} {:>7} {:>11} {:>7} {:>8.1} {:>9} {:>6} {:>7} {:>7} {:>6} {:>6} {:>8.1} {:>13.1} {:>9}",
            m.theme,
            format!("{}×{}", m.size.0, m.size.1),
            m.first_paint.len(),
            m.glance_first_paint.len(),
            m.move_avg(),
            format!("{}/{}", m.move_median(), m.move_max()),
            m.page.len(),
            m.scroll.len(),
            m.detail.len(),
            m.slash.len(),
            m.filter_char.len(),
            m.idle.per_minute,
            m.idle_hits.per_minute,
            m.unchanged_redraw.len(),
        );
    }
    println!(
        "first paint: on the Wanted view; glance: on \"Shift at a glance\", the view an officer's console opens on;\n\
         move: mean of {MOVES} `j` from the top row, with the median and the largest; \
         scroll: `j` after `<PageDown>`, on the last row shown;\n\
         idle/min: bytes a minute with no input, over {IDLE_MINUTES} minutes (the status line's clock), \
         on the Wanted view and on the hits queue (its countdown);\n\
         (redraw): a frame with nothing changed, which the shell never draws"
    );
}

fn print_breakdown(results: &[Measure]) {
    println!("\nWhere the bytes go at 80×24 (cursor moves / style changes / text / other):");
    for m in results.iter().filter(|m| m.size == (80, 24)) {
        let all_moves: Vec<u8> = m.moves.concat();
        for (name, bytes, n) in [
            ("first paint", &m.first_paint, 1),
            ("move ×10", &all_moves, MOVES),
            ("h", &m.filter_char, 1),
        ] {
            let [mv, sgr, text, other] = breakdown(bytes);
            println!(
                "  {:<14} {:<12} {:>6} = {:>5} move + {:>5} style + {:>5} text + {:>3} other{}",
                m.theme,
                name,
                bytes.len(),
                mv,
                sgr,
                text,
                other,
                if n > 1 {
                    format!("  (per move {:.1})", bytes.len() as f64 / n as f64)
                } else {
                    String::new()
                }
            );
        }
    }
}

fn check_targets(results: &[Measure]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut verdict = |ok: bool, text: String| {
        lines.push(format!("{}  {text}", if ok { "met " } else { "MISS" }));
    };
    for m in results.iter().filter(|m| m.size == (80, 24)) {
        let t = m.theme;
        let fp = m.first_paint.len();
        verdict(
            fp <= FIRST_PAINT_MAX,
            format!("{t}: first paint {fp} ≤ {FIRST_PAINT_MAX}"),
        );
        let budgets = match t {
            "default" => Some((Some(FIRST_PAINT_BUDGET_DEFAULT), MOVE_BUDGET_DEFAULT)),
            "low-bandwidth" => Some((None, MOVE_BUDGET_LOW_BANDWIDTH)),
            _ => None,
        };
        if let Some((first, mv_budget)) = budgets {
            if let Some(first) = first {
                verdict(
                    fp <= first,
                    format!("{t}: first paint {fp} ≤ {first} (issue 16)"),
                );
                let glance = m.glance_first_paint.len();
                verdict(
                    glance <= first,
                    format!("{t}: first paint of Shift at a glance {glance} ≤ {first} (issue 16)"),
                );
            }
            let mv = m.move_avg();
            verdict(
                mv <= mv_budget,
                format!("{t}: one-row move {mv:.1} ≤ {mv_budget} (issue 16)"),
            );
        }
        let limit = match t {
            "default" => Some(MOVE_MAX_DEFAULT),
            "low-bandwidth" => Some(MOVE_MAX_LOW_BANDWIDTH),
            _ => None,
        };
        if let Some(limit) = limit {
            let mv = m.move_avg();
            verdict(mv <= limit, format!("{t}: one-row move {mv:.1} ≤ {limit}"));
        }
        let h = m.filter_char.len();
        verdict(
            h <= FILTER_CHAR_MAX,
            format!("{t}: one filter character {h} ≤ {FILTER_CHAR_MAX}"),
        );
        let (idle, wakes) = (m.idle.per_minute, m.idle.wakes_per_minute);
        verdict(
            idle <= IDLE_PER_MINUTE_MAX,
            format!("{t}: idle {idle:.1} B/min ≤ {IDLE_PER_MINUTE_MAX} ({wakes:.1} wakes/min)"),
        );
    }
    lines
}

fn main() -> anyhow::Result<()> {
    let now = trucban::domain::time::parse_instant("2026-11-27 09:30")
        .context("the fixed bench time parses")?;
    let dir = tempfile::tempdir()?;
    let desk = LocalDesk::new(
        trucban::store::SledBackend::open(dir.path(), now)?,
        trucban::domain::Clock::fixed(now),
    );
    desk.load(&trucban::cli::sample_records(now)?)?;

    let mut results = Vec::new();
    for &theme in theme::builtin_names() {
        for size in SIZES {
            results.push(measure(&desk, theme, size, now)?);
        }
    }

    println!("Bytes sent to the terminal (trucban wire bench, Vietnamese, sample data)\n");
    print_table(&results);
    print_breakdown(&results);
    let verdicts = check_targets(&results);
    println!("\nTargets at 80×24:");
    for line in &verdicts {
        println!("  {line}");
    }

    if let Ok(which) = std::env::var("WIRE_DUMP") {
        let wanted = |theme: &str| which == "1" || which.split(',').any(|t| t == theme);
        for m in results
            .iter()
            .filter(|m| m.size == (80, 24) && wanted(m.theme))
        {
            print_dumps(m);
        }
    }

    if std::env::var_os("WIRE_STRICT").is_some() && verdicts.iter().any(|l| l.starts_with("MISS")) {
        std::process::exit(1);
    }
    Ok(())
}
