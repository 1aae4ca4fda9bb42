//! Storage benchmark (not run in CI): `cargo bench --bench store`.
//!
//! Reports: import of 100,000 guest stays through the service (validation, reference
//! checks, one atomic durable write), what changed since now with that import in the change
//! log (asked after every write in the daemon), the store's size on disk, and the open time of a
//! store of 1,000,000 records made by the generator (500,000 persons + 500,000 guest
//! stays; `TRUCBAN_BENCH_SCALE` changes the number of persons). With `BENCH_DATABASE` set to
//! an empty PostgreSQL database, the import runs on that engine instead (and only it).
//!
//! `TRUCBAN_BENCH_IMPORT_FILES=10` imports ten such files one after the other (1,000,000
//! stays; each file is one all-or-nothing import, as a clerk's export would be), with the
//! rate of each and overall; `TRUCBAN_BENCH_LISTS=sample` loads the built-in sample first
//! (its establishments, wanted notices and watch entries), so that every stay is screened
//! against real lists, instead of the generator's establishments alone;
//! `TRUCBAN_BENCH_LISTS=notices:10000` loads the sample and 10,000 more wanted notices
//! (`trucban::sample::more_notices`), lists of a province's size.
//!
//! `TRUCBAN_BENCH_ONE_FILE=1000000` instead imports that many stays as one file, into a
//! store holding the sample (its lists screen every stay), by `trucban import` in a process
//! of its own, as an administrator would: its time, rate and peak resident memory (the
//! import is checked whole, then written in parts, all or nothing), then `trucban check`.

use std::time::Instant;

mod common;

use trucban::domain::Kind;
use trucban::service::{DeskApi, Format, ImportSource, LocalDesk};
use trucban::store::SledBackend;

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// Stays per imported file.
const FILE_ROWS: usize = 100_000;

fn guests_csv(first: usize, rows: usize, establishments: usize) -> String {
    let given = [
        "Hùng", "Hưng", "Sử", "Pánh", "Dính", "Mỷ", "Xuân", "Phương", "Mình", "Lan",
    ];
    let family = [
        "Nguyễn Văn",
        "Giàng A",
        "Lò Văn",
        "Sùng Seo",
        "Vàng Thị",
        "Tòng Thị",
        "Bàn Văn",
        "Triệu Thị",
    ];
    let mut csv = String::from(
        "establishment_id,full_name,date_of_birth,gender,id_number,nationality,check_in,check_out,room,declared_at\n",
    );
    for i in first..first + rows {
        let day = 1 + i % 28;
        // Each file is a month of declarations (October back to January), as a clerk's
        // export by period would be: about 3,500 stays a day, a region's flow.
        let month = 10 - (i / FILE_ROWS) % 10;
        csv.push_str(&format!(
            "CS-{:06},{} {},{},{},9990{:08},VNM,2026-{month:02}-{day:02} {:02}:{:02},2026-{month:02}-{day:02} 23:59,{},2026-{month:02}-{day:02} 23:30\n",
            1 + i % establishments,
            family[i % family.len()],
            given[(i / 7) % given.len()],
            1960 + i % 45,
            if i % 2 == 0 { "male" } else { "female" },
            i,
            12 + i % 11,
            i % 60,
            100 + i % 40,
        ));
    }
    csv
}

fn main() -> anyhow::Result<()> {
    // Child mode: open a store in this fresh process, then count it; print both times and
    // this process's peak memory.
    if let Some(dir) = std::env::var_os("TRUCBAN_BENCH_OPEN_ONLY") {
        let started = Instant::now();
        let desk = LocalDesk::new(
            SledBackend::open(
                std::path::Path::new(&dir),
                trucban::domain::Clock::system().now(),
            )?,
            trucban::domain::Clock::system(),
        );
        let open_ms = started.elapsed().as_secs_f64() * 1000.0;
        let started = Instant::now();
        let records: usize = desk.stats()?.counts.iter().map(|(_, n)| n).sum();
        let count_ms = started.elapsed().as_secs_f64() * 1000.0;
        println!(
            "open {open_ms:.0} ms, then counting {records} records {count_ms:.0} ms, peak {:.0} MB",
            peak_rss_mb()
        );
        return Ok(());
    }
    if let Some(rows) = std::env::var("TRUCBAN_BENCH_ONE_FILE")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return one_file(rows);
    }
    let scale: u64 = std::env::var("TRUCBAN_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(500_000);

    // 1. Import 100,000 guest stays into a store holding the generator's establishments:
    // in a sled store, or in the empty PostgreSQL database BENCH_DATABASE names (then only
    // this step runs: the rest measures sled's files).
    let temp = tempfile::tempdir()?;
    let database = std::env::var("BENCH_DATABASE")
        .ok()
        .filter(|s| !s.is_empty());
    let now = trucban::domain::Clock::system().now();
    let store: std::sync::Arc<dyn trucban::store::Backend> = match &database {
        Some(url) => std::sync::Arc::new(trucban::store::PgBackend::open(url, now)?),
        None => std::sync::Arc::new(SledBackend::open(temp.path(), now)?),
    };
    let desk = LocalDesk::over(store, trucban::domain::Clock::system());
    let lists = std::env::var("TRUCBAN_BENCH_LISTS").unwrap_or_default();
    if let Some(more) = lists.strip_prefix("notices:") {
        let mut records = trucban::cli::sample_records(now)?;
        let more: usize = more.parse()?;
        records.extend(trucban::sample::more_notices(&records, more, 7));
        desk.load(&records)?;
    } else if lists == "sample" {
        desk.load(&trucban::cli::sample_records(now)?)?;
    } else {
        trucban::sample::scale(1, 1, 1, &mut |chunk| {
            let keep: Vec<_> = chunk
                .into_iter()
                .filter(|r| matches!(r.kind(), Kind::Establishment | Kind::Officer))
                .collect();
            Ok(desk.store().bulk_load(&keep)?)
        })?;
    }
    let stats = desk.stats()?;
    let establishments = stats.count(Kind::Establishment);
    println!(
        "lists loaded: {} wanted notices, {} watch entries, {establishments} establishments",
        stats.count(Kind::Wanted),
        stats.count(Kind::WatchEntry)
    );
    let files = std::env::var("TRUCBAN_BENCH_IMPORT_FILES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1usize);
    let (mut import_s, mut bytes, mut rows, mut created) = (0.0, 0, 0, 0);
    for file in 0..files {
        let csv = guests_csv(file * FILE_ROWS, FILE_ROWS, establishments);
        bytes += csv.len();
        let started = Instant::now();
        let report = desk.import(
            Kind::GuestStay,
            &ImportSource {
                name: format!("guests-{file}.csv"),
                bytes: csv.into_bytes(),
                format: Format::Csv,
                on_disk: None,
            },
        )?;
        let took = started.elapsed().as_secs_f64();
        import_s += took;
        rows += report.rows;
        created += report.created;
        if files > 1 {
            println!(
                "  file {}: {} rows in {took:.2} s ({:.0} rows/s), {} hits raised, peak {:.0} MB",
                file + 1,
                report.rows,
                report.rows as f64 / took,
                report.hits.len(),
                peak_rss_mb()
            );
        }
    }
    let import_peak = peak_rss_mb();
    // What the daemon asks after every write (its pushes, its search index): what changed
    // since now, with the import's 100,000 entries still in the change log.
    let started = Instant::now();
    for _ in 0..20 {
        let now = desk.store().generation()?;
        desk.store().changes_since(now)?;
    }
    let since_ms = started.elapsed().as_secs_f64() * 1000.0 / 20.0;
    let logged = desk.store().changes_since(0)?.len();
    drop(desk);
    println!(
        "import {rows} guest stays in {files} file(s) ({:.1} MB CSV): {import_s:.2} s ({:.0} rows/s), {created} created",
        bytes as f64 / 1e6,
        rows as f64 / import_s,
    );
    println!("what changed since now, {logged} entries in the change log: {since_ms:.3} ms");
    println!(
        "store size on disk after that import: {:.1} MB; peak resident memory so far: {import_peak:.0} MB",
        dir_size(temp.path()) as f64 / 1e6
    );

    if database.is_some() {
        return Ok(());
    }

    // 2. A generated store of `scale` persons + `scale` guest stays: write, then reopen.
    let big = tempfile::tempdir()?;
    let started = Instant::now();
    {
        let desk = LocalDesk::new(
            SledBackend::open(big.path(), trucban::domain::Clock::system().now())?,
            trucban::domain::Clock::system(),
        );
        trucban::sample::scale(scale, scale, 7, &mut |chunk| {
            Ok(desk.store().bulk_load(&chunk)?)
        })?;
    }
    let gen_s = started.elapsed().as_secs_f64();
    println!(
        "generate {} records ({scale} persons + {scale} guest stays): {gen_s:.1} s, {:.1} MB on disk",
        2 * scale,
        dir_size(big.path()) as f64 / 1e6
    );
    // Open in a fresh process each time, as a console does: reopening inside this process
    // would also wait for the previous sled instance's background threads to wind down.
    for run in 1..=3 {
        let out = std::process::Command::new(std::env::current_exe()?)
            .env("TRUCBAN_BENCH_OPEN_ONLY", big.path())
            .output()?;
        println!(
            "fresh process {run}: {}",
            String::from_utf8_lossy(&out.stdout).trim()
        );
    }
    println!(
        "peak resident memory of the writing process: {:.0} MB",
        peak_rss_mb()
    );
    Ok(())
}

/// One file of `rows` stays imported by `trucban import` into a store holding the sample.
fn one_file(rows: usize) -> anyhow::Result<()> {
    use std::io::Write as _;
    let temp = tempfile::tempdir()?;
    let data = temp.path().join("data");
    let now = trucban::domain::Clock::system().now();
    let establishments = {
        let desk = LocalDesk::new(
            SledBackend::open(&data, now)?,
            trucban::domain::Clock::system(),
        );
        desk.load(&trucban::cli::sample_records(now)?)?;
        let stats = desk.stats()?;
        println!(
            "lists loaded: {} wanted notices, {} watch entries",
            stats.count(Kind::Wanted),
            stats.count(Kind::WatchEntry)
        );
        stats.count(Kind::Establishment)
    };
    let file = temp.path().join("guests.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file)?);
    for first in (0..rows).step_by(FILE_ROWS) {
        let csv = guests_csv(first, FILE_ROWS.min(rows - first), establishments);
        let body = if first == 0 {
            csv.as_str()
        } else {
            csv.split_once('\n').map_or("", |(_, rest)| rest)
        };
        out.write_all(body.as_bytes())?;
    }
    out.flush()?;
    drop(out);
    let size = std::fs::metadata(&file)?.len();
    let (data, file) = (data.display().to_string(), file.display().to_string());
    let (took, peak_kib) = common::run_measured(&["import", "guests", &file, "--data-dir", &data])?;
    println!(
        "import of one file of {rows} stays ({:.1} MB CSV): {:.1} s ({:.0} rows/s), peak {:.0} MB resident",
        size as f64 / 1e6,
        took.as_secs_f64(),
        rows as f64 / took.as_secs_f64(),
        peak_kib as f64 / 1024.0
    );
    let (took, peak_kib) = common::run_measured(&["check", "--data-dir", &data])?;
    println!(
        "check of the store after it: {:.1} s, peak {:.0} MB (it passed)",
        took.as_secs_f64(),
        peak_kib as f64 / 1024.0
    );
    Ok(())
}
