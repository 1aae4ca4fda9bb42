//! Daemon benchmark (not run in CI): `cargo bench --bench daemon`.
//!
//! Starts the release `trucban serve` (a separate process, so its memory is its own) on a
//! fresh store seeded with the built-in sample, connects `DAEMON_BENCH_CLIENTS` clients
//! (default 20, each a thread with its own connection) and has each repeat for
//! `DAEMON_BENCH_SECS` seconds (default 60): a search, a page of guest stays, a record and
//! its related records, and one durable write (a duty-log line; fsynced, as in service).
//! `DAEMON_BENCH_PACE_MS=1000` paces each client to one request a second (an officer's
//! pace) instead of a closed loop; `BENCH_DATABASE` puts the store in that empty
//! PostgreSQL database, and `DAEMON_BENCH_DAEMONS=2` serves it from two daemons (two hosts'
//! worth), the clients alternating between them.
//! Prints the request latency per kind and overall (p50, p95, p99, max), the requests
//! served, the writes found in the store afterwards (each exactly once), and the daemon's
//! resident memory (VmRSS now, VmHWM peak) from /proc.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Served, env_u64, ms, percentile, status_kib};
use trucban::domain::{DutyLogEntry, Kind, Record, RecordId};
use trucban::service::{DeskApi, ListQuery, RemoteDesk};

/// The officer the OS user acts as: a supervisor of the sample.
const ACTING: &str = "CB-000004";
const KINDS: [&str; 5] = ["search", "list", "get", "related", "save"];

fn main() -> anyhow::Result<()> {
    let clients = env_u64("DAEMON_BENCH_CLIENTS", 20) as usize;
    let seconds = env_u64("DAEMON_BENCH_SECS", 60);
    let pace = Duration::from_millis(env_u64("DAEMON_BENCH_PACE_MS", 0));
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    let socket = dir.path().join("run").join("trucban.sock");
    common::trucban(&["seed", "--sample"], &data)?;
    // The daemon admits only OS users with an account: this one, as a supervisor.
    common::account_for_me(&data, ACTING)?;
    // All the clients are this one OS user: let it hold them all (and the first).
    let config = dir.path().join("trucban.toml");
    std::fs::write(
        &config,
        format!("[daemon]\nmax_per_user = {}\n", clients + 2),
    )?;
    let served = Served::start(&data, &socket, Some(&config))?;
    // With DAEMON_BENCH_DAEMONS=2 (and BENCH_DATABASE), a second `trucban serve` over the
    // same database, as on a second host: the clients alternate between the two.
    let second = match env_u64("DAEMON_BENCH_DAEMONS", 1) {
        2 => Some(Served::start(
            &data,
            &dir.path().join("run2").join("trucban.sock"),
            Some(&config),
        )?),
        _ => None,
    };
    let sockets: Vec<std::path::PathBuf> = std::iter::once(socket.clone())
        .chain(second.as_ref().map(|s| s.socket.clone()))
        .collect();
    let pid = served.pid();
    let first = &served.first;
    // The duty log entries name the officer acting (the service refuses any other).
    let officer: RecordId = ACTING.parse()?;
    let before = first.stats()?.count(Kind::DutyLog);
    let rss_idle = status_kib(pid, "VmRSS:");
    println!(
        "daemon benchmark: {clients} clients for {seconds} s on the sample store, {} daemon(s) (pid {pid})",
        sockets.len()
    );
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let sockets = Arc::new(sockets);
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let socket = sockets[c % sockets.len()].clone();
            std::thread::spawn(move || -> anyhow::Result<(Vec<Vec<Duration>>, usize)> {
                let desk = RemoteDesk::connect(&socket)?;
                let mut times = vec![Vec::new(); KINDS.len()];
                let mut writes = 0;
                let queries = ["nguyen", "lò văn", "giàng", "sinh:1990", "mường tè"];
                let mut round = 0usize;
                // At an officer's pace (DAEMON_BENCH_PACE_MS between requests), the clients'
                // starts spread over one pace; a closed loop without.
                std::thread::sleep(pace * u32::try_from(c).unwrap_or(0) / clients.max(1) as u32);
                let timed = |times: &mut Vec<Vec<Duration>>, k: usize, started: Instant| {
                    times[k].push(started.elapsed());
                    std::thread::sleep(pace);
                };
                while Instant::now() < deadline {
                    let t = Instant::now();
                    desk.search(
                        queries[round % queries.len()],
                        None,
                        20,
                        trucban::i18n::Lang::Vi,
                    )?;
                    timed(&mut times, 0, t);
                    let t = Instant::now();
                    let page = desk.list(&ListQuery {
                        offset: (round * 7) % 200,
                        limit: 22,
                        ..ListQuery::all(Kind::GuestStay)
                    })?;
                    timed(&mut times, 1, t);
                    if let Some(record) = page.records.first() {
                        let t = Instant::now();
                        desk.get(record.id())?;
                        timed(&mut times, 2, t);
                        let t = Instant::now();
                        desk.related(record.id())?;
                        timed(&mut times, 3, t);
                    }
                    let t = Instant::now();
                    desk.save(Record::DutyLog(DutyLogEntry {
                        id: RecordId::new(Kind::DutyLog, 0),
                        at: trucban::domain::Clock::system().now(),
                        officer_id: officer,
                        text: format!("bench client {c} round {round}"),
                        record: None,
                        corrects: None,
                    }))?;
                    timed(&mut times, 4, t);
                    writes += 1;
                    round += 1;
                }
                Ok((times, writes))
            })
        })
        .collect();
    let mut all: Vec<Vec<Duration>> = vec![Vec::new(); KINDS.len()];
    let mut writes = 0;
    let mut rss_peak_sampled = 0;
    for worker in workers {
        let (times, w) = worker
            .join()
            .map_err(|_| anyhow::anyhow!("a client panicked"))??;
        for (k, t) in times.into_iter().enumerate() {
            all[k].extend(t);
        }
        writes += w;
        rss_peak_sampled = rss_peak_sampled.max(status_kib(pid, "VmRSS:").unwrap_or(0));
    }
    let after = first.stats()?.count(Kind::DutyLog);
    println!(
        "\n{:<10} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "request", "count", "p50 ms", "p95 ms", "p99 ms", "max ms"
    );
    let mut overall = Vec::new();
    for (k, times) in all.iter_mut().enumerate() {
        times.sort();
        overall.extend(times.iter().copied());
        println!(
            "{:<10} {:>9} {:>9} {:>9} {:>9} {:>9}",
            KINDS[k],
            times.len(),
            ms(percentile(times, 0.50)),
            ms(percentile(times, 0.95)),
            ms(percentile(times, 0.99)),
            ms(times.last().copied().unwrap_or_default())
        );
    }
    overall.sort();
    println!(
        "{:<10} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "all",
        overall.len(),
        ms(percentile(&overall, 0.50)),
        ms(percentile(&overall, 0.95)),
        ms(percentile(&overall, 0.99)),
        ms(overall.last().copied().unwrap_or_default())
    );
    println!(
        "\nthroughput: {:.0} requests/s; writes: {writes} sent, {} in the store ({})",
        overall.len() as f64 / seconds.max(1) as f64,
        after - before,
        if after - before == writes {
            "none lost or duplicated"
        } else {
            "MISMATCH"
        }
    );
    println!(
        "daemon memory: VmRSS {} KiB before the load, {} KiB after, VmHWM (peak) {} KiB",
        rss_idle.unwrap_or(0),
        status_kib(pid, "VmRSS:").unwrap_or(rss_peak_sampled),
        status_kib(pid, "VmHWM:").unwrap_or(0)
    );
    if let Some(second) = second {
        println!("second daemon stopped on SIGTERM: {}", second.stop()?);
    }
    let status = served.stop()?;
    println!("daemon stopped on SIGTERM: {status}");
    anyhow::ensure!(after - before == writes, "writes lost or duplicated");
    Ok(())
}
