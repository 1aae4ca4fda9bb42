//! Search through `trucban serve` on a large store (not run in CI):
//! `cargo bench --bench search_served`.
//!
//! What an officer waits for when typing a name into the console over the daemon: each
//! keystroke is one `search` request on the socket, answered from the daemon's index and
//! audited (one durable write each: the audit says who searched for what). The bench makes
//! a store of `SEARCH_SERVED_PERSONS` persons (default 1,000,000; `trucban gen`, no guest
//! stays) in a temporary directory, or in the empty PostgreSQL database `BENCH_DATABASE`
//! (the same side by side); `SEARCH_SERVED_STORE=DIR` keeps the sled store in DIR and
//! reuses it when it is there already (a database already generated is reused as well).
//!
//! Then it starts the release `trucban serve` on it (a process of its own), reports the time
//! until the daemon's search index answers and its resident memory, and types the queries
//! of `benches/search.rs` one character at a time and backspaces them, three rounds:
//! per-keystroke p50 / p95 / max over every request.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{Served, env_u64, ms, percentile, status_kib};
use trucban::service::DeskApi;

const QUERIES: [&str; 4] = ["nguyen van hung", "giang a su", "lo van panh 1990", "hùng"];
const LIMIT: usize = 20;
const ROUNDS: usize = 3;

fn persons_in(data: &std::path::Path) -> anyhow::Result<u64> {
    let out = std::process::Command::new(common::BIN)
        .args(["stats", "--json"])
        .args(common::store_args(data))
        .output()?;
    if !out.status.success() {
        return Ok(0);
    }
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    Ok(stats
        .get("persons")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0))
}

fn main() -> anyhow::Result<()> {
    let persons = env_u64("SEARCH_SERVED_PERSONS", 1_000_000);
    let temp = tempfile::tempdir()?;
    let data = std::env::var_os("SEARCH_SERVED_STORE")
        .map_or_else(|| temp.path().join("data"), PathBuf::from);
    let engine = if std::env::var("BENCH_DATABASE").is_ok_and(|v| !v.is_empty()) {
        "PostgreSQL"
    } else {
        "embedded store"
    };
    let found = persons_in(&data)?;
    if found < persons {
        let started = Instant::now();
        common::trucban(
            &["gen", "--scale", &persons.to_string(), "--guests", "0"],
            &data,
        )?;
        println!(
            "{engine}: generated {persons} persons in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    } else {
        println!("{engine}: reusing the store's {found} persons");
    }
    // Set again on a reused store: `account set` replaces.
    common::account_for_me(&data, "CB-000001")?;
    let socket = temp.path().join("run").join("trucban.sock");
    let started = Instant::now();
    let served = Served::start(&data, &socket, None)?;
    let ready = started.elapsed();
    let desk = &served.first;
    println!(
        "{engine}: serve answered searches {:.1} s after it started; VmRSS {} MB",
        ready.as_secs_f64(),
        status_kib(served.pid(), "VmRSS:").unwrap_or(0) / 1024
    );
    let mut took: Vec<Duration> = Vec::new();
    for _ in 0..ROUNDS {
        for query in QUERIES {
            let chars: Vec<char> = query.chars().collect();
            let typed = (1..=chars.len()).chain((1..chars.len()).rev());
            for n in typed {
                let text: String = chars[..n].iter().collect();
                let started = Instant::now();
                let hits = desk.search(&text, None, LIMIT, trucban::i18n::Lang::Vi)?;
                took.push(started.elapsed());
                std::hint::black_box(hits);
            }
        }
    }
    took.sort_unstable();
    println!(
        "{engine}, {persons} persons: {} keystrokes through the daemon: p50 {} ms, p95 {} ms, max {} ms; VmRSS after {} MB, peak {} MB",
        took.len(),
        ms(percentile(&took, 0.50)),
        ms(percentile(&took, 0.95)),
        ms(*took.last().unwrap_or(&Duration::ZERO)),
        status_kib(served.pid(), "VmRSS:").unwrap_or(0) / 1024,
        status_kib(served.pid(), "VmHWM:").unwrap_or(0) / 1024,
    );
    served.stop()?;
    Ok(())
}
