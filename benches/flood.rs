//! Flood benchmark (not run in CI): `cargo bench --bench flood`.
//!
//! The release `trucban serve` on the sample store, and at once: `FLOOD_WORKERS` (20)
//! officers working (a search, a page of guests, a record, the counts, in a loop),
//! `FLOOD_NON_READERS` (50) clients that send page requests and never read a byte (each
//! connects again when closed, so the flood lasts), `FLOOD_IDLE` (500) connections that say
//! nothing, and `FLOOD_HALF_SENT` (20) that send half a request and stop. For
//! `FLOOD_SECS` (60) seconds, after `FLOOD_WARMUP` (10) seconds of the officers alone. Prints the officers' latency (p50, p95, p99, max) and errors,
//! the daemon's resident memory at the start, sampled peak, `VmHWM` and end, and who was
//! closed: non-readers, half-sent, idle, officers (these two must be none).
//!
//! Every connection here is one OS user, so the `[daemon]` caps are raised for it to
//! `max_connections = max_per_user = 1024` (a real host has one user per officer); the
//! byte budgets and timeouts are the defaults.

mod common;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::{Served, env_u64, ms, percentile, status_kib};
use trucban::domain::Kind;
use trucban::service::wire::{self, Call, Request};
use trucban::service::{DeskApi, ListQuery, RemoteDesk};

/// Reads until the daemon closes the connection (or `stop`); true if it did.
fn closed_by_daemon(stream: &mut UnixStream, stop: &AtomicBool) -> bool {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let mut buf = [0u8; 4096];
    while !stop.load(Ordering::SeqCst) {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return true,
        }
    }
    false
}

fn main() -> anyhow::Result<()> {
    let workers = env_u64("FLOOD_WORKERS", 20) as usize;
    let non_readers = env_u64("FLOOD_NON_READERS", 50) as usize;
    let idle = env_u64("FLOOD_IDLE", 500) as usize;
    let half_sent = env_u64("FLOOD_HALF_SENT", 20) as usize;
    let seconds = env_u64("FLOOD_SECS", 60);
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    let socket = dir.path().join("run").join("trucban.sock");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[daemon]\nmax_connections = 1024\nmax_per_user = 1024\n",
    )?;
    common::trucban(&["seed", "--sample"], &data)?;
    common::account_for_me(&data, "CB-000004")?;
    let served = Served::start(&data, &socket, Some(&config))?;
    let pid = served.pid();
    // Settle, then the starting figure.
    for _ in 0..50 {
        served.first.stats()?;
    }
    std::thread::sleep(Duration::from_secs(1));
    let rss_start = served.rss();
    println!(
        "flood benchmark: {workers} officers, {non_readers} non-readers, {idle} idle, {half_sent} half-sent, {seconds} s (daemon pid {pid}, VmRSS {rss_start} KiB at the start)"
    );
    let stop = Arc::new(AtomicBool::new(false));
    let deadline = Instant::now() + Duration::from_secs(seconds);

    // The officers.
    let officer_threads: Vec<_> = (0..workers)
        .map(|w| {
            let socket = socket.clone();
            std::thread::spawn(move || -> (Vec<(Instant, Duration)>, Vec<String>) {
                let mut times = Vec::new();
                let mut errors = Vec::new();
                let desk = match RemoteDesk::connect(&socket) {
                    Ok(desk) => desk,
                    Err(e) => return (times, vec![e.to_string()]),
                };
                let queries = ["nguyen", "lò văn", "giàng", "mường tè"];
                let mut round = w;
                let think = Duration::from_millis(env_u64("FLOOD_THINK_MS", 50));
                while Instant::now() < deadline {
                    std::thread::sleep(think);
                    let steps: [&dyn Fn() -> Result<(), trucban::service::ServiceError>; 4] = [
                        &|| {
                            desk.search(
                                queries[round % queries.len()],
                                None,
                                20,
                                trucban::i18n::Lang::Vi,
                            )
                            .map(drop)
                        },
                        &|| {
                            desk.list(&ListQuery {
                                offset: (round * 7) % 200,
                                limit: 22,
                                ..ListQuery::all(Kind::GuestStay)
                            })
                            .map(drop)
                        },
                        &|| desk.stats().map(drop),
                        &|| {
                            desk.wanted_with_status(trucban::domain::WantedStatus::Wanted)
                                .map(drop)
                        },
                    ];
                    for step in steps {
                        let t = Instant::now();
                        if let Err(e) = step() {
                            errors.push(e.to_string());
                        }
                        times.push((t, t.elapsed()));
                    }
                    round += 1;
                }
                (times, errors)
            })
        })
        .collect();
    // The officers' own working memory (caches, the index in use) first: the flood's
    // cost is measured from there.
    std::thread::sleep(Duration::from_secs(env_u64("FLOOD_WARMUP", 10)));
    let rss_working = served.rss();
    let flood_began = Instant::now();

    // The memory, sampled.
    let peak = Arc::new(AtomicU64::new(rss_working));
    let sampler = {
        let (peak, stop) = (peak.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                peak.fetch_max(status_kib(pid, "VmRSS:").unwrap_or(0), Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };

    // The idle and the half-sent, held open.
    let mut held = Vec::new();
    for _ in 0..idle {
        held.push((UnixStream::connect(&socket)?, false));
    }
    for _ in 0..half_sent {
        let mut s = UnixStream::connect(&socket)?;
        s.write_all(&(1u32 << 20).to_be_bytes())?;
        s.write_all(&[b' '; 100])?;
        held.push((s, true));
    }
    let held_threads: Vec<_> = held
        .into_iter()
        .map(|(mut s, half)| {
            let stop = stop.clone();
            std::thread::Builder::new()
                .stack_size(64 << 10)
                .spawn(move || (half, closed_by_daemon(&mut s, &stop)))
        })
        .collect::<Result<_, _>>()?;

    // The non-readers: send until closed, then again.
    let request = wire::encode_within(
        &Call {
            id: 1,
            request: Request::List {
                query: ListQuery {
                    limit: 50,
                    ..ListQuery::all(Kind::Person)
                },
            },
        },
        wire::MAX_REQUEST,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let closed_non_readers = Arc::new(AtomicU64::new(0));
    let sent_requests = Arc::new(AtomicU64::new(0));
    let non_reader_threads: Vec<_> = (0..non_readers)
        .map(|_| {
            let (socket, stop, request) = (socket.clone(), stop.clone(), request.clone());
            let (closed, sent) = (closed_non_readers.clone(), sent_requests.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
                    let Ok(mut s) = UnixStream::connect(&socket) else {
                        std::thread::sleep(Duration::from_millis(100));
                        continue;
                    };
                    let _ = s.set_write_timeout(Some(Duration::from_millis(500)));
                    loop {
                        if stop.load(Ordering::SeqCst) {
                            return;
                        }
                        match s.write_all(&request) {
                            Ok(()) => {
                                sent.fetch_add(1, Ordering::Relaxed);
                            }
                            Err(e)
                                if matches!(
                                    e.kind(),
                                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                                ) => {}
                            Err(_) => {
                                closed.fetch_add(1, Ordering::Relaxed);
                                break;
                            }
                        }
                    }
                }
            })
        })
        .collect();

    let mut times = Vec::new();
    let mut before = Vec::new();
    let mut errors = Vec::new();
    for t in officer_threads {
        let (t, e) = t
            .join()
            .map_err(|_| anyhow::anyhow!("an officer panicked"))?;
        for (at, took) in t {
            if at >= flood_began {
                times.push(took);
            } else {
                before.push(took);
            }
        }
        errors.extend(e);
    }
    let rss_loaded = served.rss();
    stop.store(true, Ordering::SeqCst);
    for t in non_reader_threads {
        let _ = t.join();
    }
    let (mut idle_closed, mut half_closed) = (0, 0);
    for t in held_threads {
        match t.join() {
            Ok((true, true)) => half_closed += 1,
            Ok((false, true)) => idle_closed += 1,
            _ => {}
        }
    }
    let _ = sampler.join();
    std::thread::sleep(Duration::from_secs(2));
    let rss_end = served.rss();
    let hwm = status_kib(pid, "VmHWM:").unwrap_or(0);
    times.sort();
    before.sort();
    println!(
        "\nofficers before the flood: {} requests, p50 {} ms, p95 {} ms, p99 {} ms",
        before.len(),
        ms(percentile(&before, 0.50)),
        ms(percentile(&before, 0.95)),
        ms(percentile(&before, 0.99)),
    );
    println!(
        "officers during the flood: {} requests, p50 {} ms, p95 {} ms, p99 {} ms, max {} ms; {} errors{}",
        times.len(),
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.95)),
        ms(percentile(&times, 0.99)),
        ms(times.last().copied().unwrap_or_default()),
        errors.len(),
        errors
            .first()
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default()
    );
    println!(
        "non-readers: {} requests sent unread, {} connections closed by the daemon",
        sent_requests.load(Ordering::Relaxed),
        closed_non_readers.load(Ordering::Relaxed)
    );
    println!(
        "half-sent: {half_closed} of {half_sent} closed (frame timeout 30 s); idle: {idle_closed} of {idle} closed"
    );
    println!(
        "daemon memory: VmRSS {rss_start} KiB idle, {rss_working} KiB with the officers working (before the flood), {} KiB sampled peak, {rss_loaded} KiB at the end of the load, {rss_end} KiB after; VmHWM {hwm} KiB",
        peak.load(Ordering::SeqCst)
    );
    println!(
        "growth at peak: {} KiB over the working figure, {} KiB over the idle one (bound 65536)",
        peak.load(Ordering::SeqCst).saturating_sub(rss_working),
        peak.load(Ordering::SeqCst).saturating_sub(rss_start)
    );
    let p95 = percentile(&times, 0.95);
    let status = served.stop()?;
    println!("daemon stopped on SIGTERM: {status}");
    anyhow::ensure!(errors.is_empty(), "an officer was refused or disconnected");
    println!(
        "targets: RSS within start + 64 MiB: {}; officers' p95 <= 50 ms: {}",
        if peak.load(Ordering::SeqCst) <= rss_working + 65_536 {
            "met"
        } else {
            "NOT met"
        },
        if p95 <= Duration::from_millis(50) {
            "met"
        } else {
            "NOT met"
        }
    );
    Ok(())
}
