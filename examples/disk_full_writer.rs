//! The child of the disk-full test (tests/disk_full.rs). It opens a seeded store, then caps
//! the size of any file it may write (RLIMIT_FSIZE) at the store file's current size, with
//! SIGXFSZ caught so that a write past it fails with EFBIG instead of killing the process —
//! a full disk, as far as sled can tell, without privileges.
//!
//! Then: duty-log entries through the service until one fails (`saved ID` after each Ok,
//! `refused MESSAGE` for the failure), two more writes (`again MESSAGE`), reads through the
//! service (`read …`), and the console on a test terminal: a `:ghi` line and the screen
//! after it, then the wanted list (`screen` blocks ending with `end`).
//!
//! Usage: disk_full_writer DATA_DIR LANG SLACK_BYTES (the cap is the store file's size plus
//! SLACK_BYTES, so that the first few writes fit).

use std::io::Write;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use trucban::domain::{DutyLogEntry, Kind, Record, RecordId};
use trucban::service::{DeskApi, ListQuery, LocalDesk};
use trucban::store::SledBackend;

fn screen(app: &mut trucban::app::App, keys: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let now = trucban::domain::Clock::system().now();
    for key in trucban::app::keys::parse_script(keys).map_err(|e| anyhow::anyhow!("{e}"))? {
        app.press(key, now);
    }
    let mut terminal = Terminal::new(TestBackend::new(80, 24))?;
    app.draw(&mut terminal)?;
    let buffer = terminal.backend().buffer();
    writeln!(out, "screen {keys}")?;
    for row in buffer.content.chunks(usize::from(buffer.area.width)) {
        let line: String = row.iter().map(|c| c.symbol()).collect();
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(out, "end")?;
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_default());
    let lang = trucban::i18n::Lang::parse(&args.next().unwrap_or_default())
        .unwrap_or(trucban::i18n::Lang::En);
    let slack: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let desk = LocalDesk::new(
        SledBackend::open(&dir, trucban::domain::Clock::system().now())?,
        trucban::domain::Clock::system(),
    );
    // The search index is built (and saved) before the cap, like a console that has run.
    desk.prepare_search()?;
    let cap = std::fs::metadata(dir.join("store").join("db"))?.len() + slack;
    let xfsz = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGXFSZ, xfsz)?;
    rustix::process::setrlimit(
        rustix::process::Resource::Fsize,
        rustix::process::Rlimit {
            current: Some(cap),
            maximum: None,
        },
    )?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "cap {cap}")?;
    let officer = RecordId::new(Kind::Officer, 3);
    let entry = |n: u64| {
        Record::DutyLog(DutyLogEntry {
            id: RecordId::new(Kind::DutyLog, 0),
            at: trucban::domain::Clock::system().now_secs(),
            officer_id: officer,
            text: format!("ghi chép thử đĩa đầy số {n} — {}", "x".repeat(1_500)),
            record: None,
            corrects: None,
        })
    };
    let mut n = 0u64;
    loop {
        n += 1;
        match desk.save(entry(n)) {
            Ok(id) => writeln!(out, "saved {id}")?,
            Err(e) => {
                writeln!(out, "refused {e}")?;
                break;
            }
        }
        if n > 100_000 {
            anyhow::bail!("100000 writes and the cap never hit");
        }
    }
    for _ in 0..2 {
        n += 1;
        let started = std::time::Instant::now();
        let result = desk.save(entry(n));
        let ms = started.elapsed().as_millis();
        match result {
            Ok(id) => writeln!(out, "saved {id}")?,
            Err(e) => writeln!(out, "again {ms} ms {e}")?,
        }
    }
    let stats = desk.stats()?;
    writeln!(out, "read stats {} log entries", stats.count(Kind::DutyLog))?;
    let page = desk.list(&ListQuery::all(Kind::Wanted))?;
    writeln!(out, "read list {} wanted", page.records.len())?;
    if let Some(first) = page.records.first() {
        let got = desk.get(first.id())?;
        writeln!(
            out,
            "read get {}",
            got.map_or("none".into(), |r| r.id().to_string())
        )?;
    }
    let hits = desk.search("Giàng", None, 5, trucban::i18n::Lang::Vi)?;
    writeln!(out, "read search {} hits", hits.len())?;

    let options = trucban::app::Options {
        lang,
        officer: Some(officer),
        keymap: trucban::app::keymap::Keymap::builtin(),
        theme: trucban::ui::theme::load("mono", &trucban::ui::theme::NoUserThemes)?,
        drafts_dir: None,
        place_file: None,
        row_cap: trucban::app::present::ROW_CAP,
        shifts: Default::default(),
        lock_after: trucban::app::lock::default_after(),
        first_view: trucban::app::views::View::Wanted,
    };
    let mut app = trucban::app::App::new(&desk, options);
    app.start(24, trucban::domain::Clock::system().now());
    screen(&mut app, ":ghi thử khi đĩa đầy<Enter>", &mut out)?;
    screen(&mut app, "<Esc>:tn<Enter>", &mut out)?;
    screen(&mut app, "<Enter>", &mut out)?;
    screen(&mut app, "<Esc>:ghi lần nữa<Enter>", &mut out)?;
    writeln!(out, "done")?;
    Ok(())
}
