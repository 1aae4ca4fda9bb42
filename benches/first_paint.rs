//! First-paint benchmark (not run in CI):
//! `TRUCBAN_BENCH_STORE=DIR cargo bench --bench first_paint`, or with the store in a
//! PostgreSQL database: `TRUCBAN_BENCH_STORE=postgres://… cargo bench --bench first_paint`
//! (any value with `=` or `://` in it is a connection string, given as `--database`).
//!
//! Starts the release `trucban --data-dir DIR` in an 80×24 pty, as an officer's SSH session
//! does, ten times (`TRUCBAN_BENCH_RUNS` changes that), feeds what it writes to a terminal
//! emulator (vt100) and reports, from the spawn:
//!
//! - **first paint**: the first output after which the screen holds the title bar
//!   (`trucban │`); the store is opened after that frame;
//! - **first data frame**: the first output after which the screen holds the first view's
//!   rows (a `TN-` ID) or, when the Wanted view is empty (a store made by `trucban gen` has no
//!   wanted notices), its "(chưa có hồ sơ)" line: the store is open and the view loaded;
//!
//! - **search hits**: `Ctrl-P` and `giang a su` are typed as soon as the first data frame
//!   shows; the time from the spawn until the hits are on screen (the search index loads in
//!   the background after the first frame: this is when search becomes available);
//!
//! and then, from the moment `:khach` and Enter are typed, the time until the Guests view
//! shows its rows: how long a view over a large collection takes to load.
//!
//! A view's frame counts as shown once the hint bar below its rows shows the row count
//! (`1/5000`), which it does only for loaded rows; frames are written top to bottom.
//! Each run ends with `q`, and the next starts only once that process has exited (a store
//! is opened by one process at a time).
//!
//! `TRUCBAN_BENCH_BIN=PATH` runs another build instead (e.g. one from before a change).
//! DIR must not be in use by another process. Times are wall-clock and include the
//! process start. Percentiles are nearest-rank: over 10 runs p95 is the slowest run.
//! `TRUCBAN_BENCH_SHOW=1` also prints the screens of the first run.

#![allow(clippy::panic)]

mod common;

use std::ffi::OsStr;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use common::pty::{COLS, ROWS, Session, binary, hint_count};

#[derive(Default)]
struct Run {
    first_paint: Option<Duration>,
    first_data: Option<Duration>,
    /// What the first data frame showed: rows, or the empty view's line.
    data_seen: &'static str,
    /// From the spawn to the first hits of a search typed as soon as the view showed.
    search: Option<Duration>,
    guests: Option<Duration>,
    screens: Vec<(&'static str, String)>,
}

fn one_run(store: &[&OsStr], show: bool) -> anyhow::Result<Run> {
    let home = tempfile::tempdir()?;
    // The Wanted view, whose rows the runs wait for (an officer's console opens on Shift
    // at a glance).
    let (mut session, spawned) = Session::start(store, "truyna", &[], home.path())?;
    let mut run = Run::default();
    if let Some((at, ())) = session.until(|s| s.contains("trucban │").then_some(())) {
        run.first_paint = Some(at - spawned);
        if show {
            run.screens.push(("first paint", session.screen()));
        }
    }
    // The rows, then the hint bar below them, which counts rows only once they are loaded:
    // a count on screen means the frame is complete (frames are written top to bottom).
    let data = |s: &str| {
        hint_count(s)?;
        Some(if s.contains("TN-0") {
            "rows (TN-)"
        } else {
            "the empty view's \"(chưa có hồ sơ)\""
        })
    };
    // The first frame may already hold the rows (then `until` waits for nothing more).
    let found = match data(&session.screen()) {
        Some(seen) => run.first_paint.map(|t| (spawned + t, seen)),
        None => session.until(data),
    };
    if let Some((at, seen)) = found {
        run.first_data = Some(at - spawned);
        run.data_seen = seen;
        if show {
            run.screens.push(("first data frame", session.screen()));
        }
        // Search at once: the index loads in the background after this frame, and a search
        // typed before it is ready says so, then answers when it is.
        session.send(b"\x10")?;
        session.send("giang a su".as_bytes())?;
        let hits = |s: &str| {
            s.lines()
                .any(|l| l.contains("▶") && l.contains("Giàng A Sử"))
                .then_some(())
        };
        if let Some((at, ())) = session.until(hits) {
            run.search = Some(at - spawned);
            if show {
                run.screens.push(("search", session.screen()));
            }
        }
        session.send(b"\x1b")?;
        std::thread::sleep(Duration::from_millis(300));
        session.send(b":khach\r")?;
        let typed = Instant::now();
        let guests = |s: &str| {
            let title = s.lines().next().unwrap_or_default();
            let shown = hint_count(s)?;
            (title.contains("Khách lưu trú") && (shown.0 > 0 || s.contains("(chưa có hồ sơ)")))
                .then_some(())
        };
        if let Some((at, ())) = session.until(guests) {
            run.guests = Some(at.saturating_duration_since(typed));
            if show {
                run.screens.push(("Guests view", session.screen()));
            }
        }
    }
    session.quit()?;
    Ok(run)
}

/// (median, p95, max) in ms, nearest-rank.
fn summary(mut times: Vec<Duration>) -> Option<(f64, f64, f64)> {
    if times.is_empty() {
        return None;
    }
    times.sort();
    let rank = |p: f64| times[((p * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Some((ms(rank(0.50)), ms(rank(0.95)), ms(rank(1.0))))
}

fn main() -> anyhow::Result<()> {
    let Some(dir) = std::env::var_os("TRUCBAN_BENCH_STORE") else {
        println!(
            "first_paint: set TRUCBAN_BENCH_STORE to a store directory (the --data-dir of \
             trucban, e.g. one made by `trucban gen --scale 1000000 --data-dir DIR`); it must \
             not be open in another process. Nothing measured."
        );
        return Ok(());
    };
    let text = dir.to_string_lossy();
    let store: Vec<&OsStr> = if text.contains("://") || text.contains('=') {
        vec![OsStr::new("--database"), dir.as_os_str()]
    } else {
        let dir = Path::new(&dir);
        anyhow::ensure!(
            dir.join("store").is_dir(),
            "{} holds no store (no {}/store directory)",
            dir.display(),
            dir.display()
        );
        vec![OsStr::new("--data-dir"), dir.as_os_str()]
    };
    let runs: usize = std::env::var("TRUCBAN_BENCH_RUNS")
        .ok()
        .map(|s| s.parse().context("TRUCBAN_BENCH_RUNS is a number"))
        .transpose()?
        .unwrap_or(10);
    let show = std::env::var_os("TRUCBAN_BENCH_SHOW").is_some();
    println!(
        "{} {} in an {COLS}×{ROWS} pty, {runs} runs",
        binary().to_string_lossy(),
        store.join(OsStr::new(" ")).to_string_lossy()
    );
    let mut results = Vec::new();
    for i in 1..=runs {
        let run = one_run(&store, show && i == 1)?;
        let ms = |d: Option<Duration>| {
            d.map_or("—".to_string(), |d| {
                format!("{:.0} ms", d.as_secs_f64() * 1000.0)
            })
        };
        println!(
            "run {i:>2}: first paint {:>7}, first data frame {:>7} ({}), search hits {:>7}, Guests view {:>7}",
            ms(run.first_paint),
            ms(run.first_data),
            run.data_seen,
            ms(run.search),
            ms(run.guests)
        );
        for (what, screen) in &run.screens {
            println!("--- {what} ---\n{screen}\n---");
        }
        results.push(run);
    }
    let line = |what: &str, times: Vec<Duration>| {
        let n = times.len();
        match summary(times) {
            Some((p50, p95, max)) => println!(
                "{what:<36} median {p50:>6.0} ms   p95 {p95:>6.0} ms   max {max:>6.0} ms   ({n} runs)"
            ),
            None => println!("{what:<36} not seen"),
        }
    };
    println!();
    line(
        "first paint (title bar)",
        results.iter().filter_map(|r| r.first_paint).collect(),
    );
    line(
        "first data frame (first view loaded)",
        results.iter().filter_map(|r| r.first_data).collect(),
    );
    line(
        "search hits, from the spawn",
        results.iter().filter_map(|r| r.search).collect(),
    );
    line(
        "Guests view, from `:khach` Enter",
        results.iter().filter_map(|r| r.guests).collect(),
    );
    Ok(())
}
