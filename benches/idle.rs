//! Idle bytes benchmark (not run in CI): `cargo bench --bench idle`.
//!
//! What an idle console costs the link, counted where it leaves the process — at the
//! pseudo-terminal — rather than reasoned from the shell's code: the release `trucban` in an
//! 80×24 pty on a store seeded with the sample (`TRUCBAN_BENCH_STORE=DIR` for another),
//! once on the Wanted view (only the status line's clock moves: a few bytes a minute) and
//! once on the hits queue, whose confirmation deadlines count down on screen (a refresh
//! every half minute), for the default and the low-bandwidth theme. After its first frame
//! the console is left until it has written nothing for 3 s (the search index loads in the
//! background), then everything it writes in `TRUCBAN_BENCH_IDLE_SECS` (default 60) is
//! counted: bytes, and writes (reads of the pty, each at most one frame).

mod common;

use std::ffi::OsStr;
use std::time::Duration;

use common::pty::{Session, hint_count};

fn main() -> anyhow::Result<()> {
    let idle = Duration::from_secs(common::env_u64("TRUCBAN_BENCH_IDLE_SECS", 60));
    let seeded = tempfile::tempdir()?;
    let dir = match std::env::var_os("TRUCBAN_BENCH_STORE") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => {
            let data = seeded.path().join("data");
            common::trucban(&["seed", "--sample"], &data)?;
            data
        }
    };
    let store = [OsStr::new("--data-dir"), dir.as_os_str()];
    println!(
        "idle console, 80×24 pty, {} s each, store {}",
        idle.as_secs(),
        dir.display()
    );
    println!(
        "{:<34} {:>14} {:>8} {:>7}  countdown on screen",
        "view, theme", "bytes", "writes", "B/min"
    );
    for (view, label) in [("truyna", "Wanted"), ("nghitrung", "hits queue")] {
        for theme in ["default", "low-bandwidth"] {
            let home = tempfile::tempdir()?;
            let (mut session, _) = Session::start(&store, view, &["--theme", theme], home.path())?;
            session
                .until(|s| hint_count(s).map(|_| ()))
                .ok_or_else(|| anyhow::anyhow!("{label}: the view never showed its rows"))?;
            session.settle(Duration::from_secs(3));
            let countdown = counting_down(&session.screen());
            let written = session.record(idle);
            let bytes: usize = written.iter().map(|(_, b)| b.len()).sum();
            let per_minute = bytes as f64 * 60.0 / idle.as_secs_f64();
            println!(
                "{:<34} {:>14} {:>8} {:>7.1}  {}",
                format!("{label}, {theme}"),
                bytes,
                written.len(),
                per_minute,
                if countdown { "yes" } else { "no" }
            );
            if std::env::var_os("TRUCBAN_BENCH_SHOW").is_some() {
                println!("{}", session.screen());
            }
            session.quit()?;
        }
    }
    Ok(())
}

/// Whether a deadline's countdown shows: a time left such as `còn 1:59` or `2h 05m`.
fn counting_down(screen: &str) -> bool {
    screen.contains("còn ") || screen.contains(" left")
}
