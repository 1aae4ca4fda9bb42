//! Search benchmark (not run in CI): `cargo bench --bench search`.
//!
//! Builds the search index in-process from the generator's records (`sample::scale`, seed 1)
//! through the public API only (`search::entries_of`, `SearchIndex::new`,
//! `SearchIndex::search`), then simulates an officer typing a query one character at a time
//! (every prefix is a search, limit 20) and backspacing it to empty. Reported:
//!
//! - **per keystroke**: p50 / p95 / max latency (ms), typing and backspacing separately, for
//!   `nguyen van hung`, `giang a su`, `lo van panh 1990` and `hùng` (with marks);
//! - **build**: time spent in `entries_of` (folding, tokens) and in `push`/`seal` — the
//!   generator's own time is left out — and the build's peak memory;
//! - **the index file**: its size and write time; then a fresh child process reads it back
//!   (as the console and `trucban search` do), reports the read time and its VmRSS / VmHWM
//!   from `/proc/self/status`, and runs the keystrokes on the index it read.
//!
//! Two index contents, each at 100,000 and 1,000,000 persons:
//!
//! - `persons`: only the Person records (N entries);
//! - `all`: every record `scale` yields — N persons, N guest stays, establishments, officers
//!   (≈ 2N entries), which is what the console indexes (`LocalDesk` indexes every searchable
//!   kind).
//!
//! Each (content, scale) runs in a fresh child process (this binary re-run with
//! `TRUCBAN_SEARCH_BENCH_RUN=<content>:<persons>`), so that one run's freed heap does not
//! pollute the next one's resident memory.
//!
//! - `TRUCBAN_SEARCH_BENCH_SCALES=100000,1000000` changes the scales;
//! - `TRUCBAN_SEARCH_BENCH_CONTENTS=persons,all` changes the contents.
//!
//! Runtime: about 3 min on an idle 2-core machine (1M `all` is most of it), over 10 min when
//! the machine is busy.
//!
//! Targets (2-core machine): p95 ≤ 10 ms at 100k, ≤ 80 ms at 1M; the console with 1M persons
//! ≤ 250 MB resident. The whole-process comparison with fzf is `benches/search-vs-fzf.sh`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use trucban::domain::{Kind, Record};
use trucban::search::persist::{self, Stamp};
use trucban::search::{Entry, SearchIndex, entries_of};

const SEED: u64 = 1;
const LIMIT: usize = 20;
const QUERIES: [&str; 4] = ["nguyen van hung", "giang a su", "lo van panh 1990", "hùng"];

fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
}

fn mb(kb: Option<u64>) -> String {
    kb.map_or_else(
        || "n/a".to_string(),
        |kb| format!("{:.1}", kb as f64 / 1024.0),
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Nearest-rank percentile of sorted samples.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn summary(samples: &[Duration]) -> String {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    format!(
        "{:>3} keys  p50 {:>8.2}  p95 {:>8.2}  max {:>8.2}",
        sorted.len(),
        ms(percentile(&sorted, 50.0)),
        ms(percentile(&sorted, 95.0)),
        ms(sorted.last().copied().unwrap_or_default()),
    )
}

/// Every prefix of `query` typed, then every prefix backspaced down to the empty query.
fn keystrokes(index: &SearchIndex, query: &str) -> (Vec<Duration>, Vec<Duration>) {
    let chars: Vec<char> = query.chars().collect();
    let prefix = |n: usize| chars[..n].iter().collect::<String>();
    let time = |text: String| {
        let started = Instant::now();
        let hits = index.search(black_box(&text), None, LIMIT);
        let took = started.elapsed();
        black_box(hits);
        took
    };
    let typing = (1..=chars.len()).map(|n| time(prefix(n))).collect();
    let backspacing = (0..chars.len()).rev().map(|n| time(prefix(n))).collect();
    (typing, backspacing)
}

fn run(content: &str, persons: u64) -> anyhow::Result<()> {
    let all = match content {
        "all" => true,
        "persons" => false,
        other => anyhow::bail!("unknown content {other:?} (persons or all)"),
    };
    let mut index = SearchIndex::default();
    let mut folding = Duration::ZERO;
    let mut packing = Duration::ZERO;
    let no_person = |_| None;
    trucban::sample::scale(persons, persons, SEED, &mut |chunk: Vec<Record>| {
        let started = Instant::now();
        let entries: Vec<Entry> = chunk
            .iter()
            .filter(|r| all || r.kind() == Kind::Person)
            .flat_map(|r| entries_of(r, &no_person))
            .collect();
        folding += started.elapsed();
        let started = Instant::now();
        entries.iter().for_each(|e| index.push(e));
        packing += started.elapsed();
        Ok(())
    })?;
    let started = Instant::now();
    index.seal();
    packing += started.elapsed();
    println!(
        "\n== {content}: {persons} persons → {} entries ==",
        index.len()
    );
    println!(
        "build: entries_of {:.2} s + push/seal {:.2} s; peak VmHWM of the build {} MB",
        folding.as_secs_f64(),
        packing.as_secs_f64(),
        mb(status_kb("VmHWM:")),
    );
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("search-index");
    let started = Instant::now();
    let stamp = Stamp {
        store_id: 1,
        generation: 1,
    };
    persist::write(&index, stamp, std::fs::File::create(&path)?)?;
    let size = std::fs::metadata(&path)?.len();
    println!(
        "index file: {:.1} MB ({:.0} bytes/entry), written in {:.2} s",
        size as f64 / 1e6,
        size as f64 / index.len().max(1) as f64,
        started.elapsed().as_secs_f64()
    );
    drop(index);
    // Queries run in a fresh process that reads the file, as the console does: its resident
    // memory is the loaded index's, without the build's freed heap.
    let status = std::process::Command::new(std::env::current_exe()?)
        .env("TRUCBAN_SEARCH_BENCH_LOAD", &path)
        .env("TRUCBAN_SEARCH_BENCH_PERSONS", persons.to_string())
        .status()?;
    anyhow::ensure!(status.success(), "query run failed: {status}");
    Ok(())
}

fn query_run(path: &str, persons: u64) -> anyhow::Result<()> {
    let rss_before = status_kb("VmRSS:");
    let started = Instant::now();
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    let (index, _) = persist::read(file, size)?;
    let loading = started.elapsed();
    let rss_after = status_kb("VmRSS:");
    println!(
        "read back in a fresh process: {:.3} s; VmRSS {} MB → {} MB, peak VmHWM {} MB",
        loading.as_secs_f64(),
        mb(rss_before),
        mb(rss_after),
        mb(status_kb("VmHWM:")),
    );

    println!("latency per keystroke, ms (limit {LIMIT}):");
    let (mut all_typing, mut all_back) = (Vec::new(), Vec::new());
    for query in QUERIES {
        let (typing, back) = keystrokes(&index, query);
        let top = index.search(query, None, LIMIT);
        println!(
            "  {:<18} typing      {}   ({} hits, top: {})",
            format!("{query:?}"),
            summary(&typing),
            top.len(),
            top.first().map_or("-", |h| h.title.as_str()),
        );
        println!("  {:<18} backspacing {}", "", summary(&back));
        all_typing.extend(typing);
        all_back.extend(back);
    }
    println!("  {:<18} typing      {}", "ALL", summary(&all_typing));
    println!("  {:<18} backspacing {}", "", summary(&all_back));
    let mut both = all_typing;
    both.extend(all_back);
    both.sort_unstable();
    let target = if persons >= 1_000_000 { 80.0 } else { 10.0 };
    let p95 = ms(percentile(&both, 95.0));
    println!(
        "  p95 over every keystroke {p95:.2} ms vs target ≤ {target} ms: {}",
        if p95 <= target { "MET" } else { "MISSED" }
    );
    if let Some(rss) = status_kb("VmRSS:") {
        println!(
            "  resident with the index loaded and queried: {:.1} MB (the console adds the store's cache and the screen: measure it with benches/first_paint.rs)",
            rss as f64 / 1024.0
        );
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    if let Ok(path) = std::env::var("TRUCBAN_SEARCH_BENCH_LOAD") {
        let persons = std::env::var("TRUCBAN_SEARCH_BENCH_PERSONS")?.parse()?;
        return query_run(&path, persons);
    }
    if let Ok(spec) = std::env::var("TRUCBAN_SEARCH_BENCH_RUN") {
        let (content, persons) = spec
            .split_once(':')
            .ok_or_else(|| anyhow::anyhow!("TRUCBAN_SEARCH_BENCH_RUN is content:persons"))?;
        return run(content, persons.parse()?);
    }
    let scales: Vec<u64> = std::env::var("TRUCBAN_SEARCH_BENCH_SCALES")
        .unwrap_or_else(|_| "100000,1000000".to_string())
        .split(',')
        .map(|s| s.trim().parse())
        .collect::<Result<_, _>>()?;
    let contents = std::env::var("TRUCBAN_SEARCH_BENCH_CONTENTS")
        .unwrap_or_else(|_| "persons,all".to_string());
    println!(
        "search benchmark: seed {SEED}, limit {LIMIT}, {} CPUs, load average at start: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let exe = std::env::current_exe()?;
    for persons in scales {
        for content in contents.split(',').map(str::trim) {
            let status = std::process::Command::new(&exe)
                .env("TRUCBAN_SEARCH_BENCH_RUN", format!("{content}:{persons}"))
                .status()?;
            if !status.success() {
                anyhow::bail!("run {content}:{persons} failed: {status}");
            }
        }
    }
    Ok(())
}
