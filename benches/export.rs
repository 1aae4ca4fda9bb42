//! Export benchmark (not run in CI): `cargo bench --bench export`.
//!
//! Generates a store of `EXPORT_GUESTS` (1,000,000) guest stays (`trucban gen`), serves it
//! with the release `trucban serve`, and runs `trucban --socket S export guests --output F`
//! as an administrator would, then the same embedded on the stopped store. Prints the time,
//! the file's size and rows, whether the two files are the same bytes, and the peak resident
//! memory of the daemon (`VmHWM`, with its `VmRSS` before the export) and of the client (its
//! `VmHWM` sampled every 10 ms until it exits).

mod common;

use std::path::Path;
use std::time::Instant;

use common::{Served, env_u64, run_measured, status_kib};

fn rows(path: &Path) -> anyhow::Result<(u64, usize)> {
    let bytes = std::fs::read(path)?;
    let lines = bytes.iter().filter(|&&b| b == b'\n').count();
    Ok((bytes.len() as u64, lines.saturating_sub(1)))
}

fn main() -> anyhow::Result<()> {
    let guests = env_u64("EXPORT_GUESTS", 1_000_000);
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    let socket = dir.path().join("run").join("trucban.sock");
    let began = Instant::now();
    common::trucban(
        &["gen", "--scale", "2000", "--guests", &guests.to_string()],
        &data,
    )?;
    println!(
        "export benchmark: {guests} guest stays generated in {:.1} s",
        began.elapsed().as_secs_f64()
    );
    // Export is an administrator's request.
    common::account_for_me(&data, "CB-000001")?;
    let served = Served::start(&data, &socket, None)?;
    let rss_before = served.rss();
    let through = dir.path().join("through.csv");
    let (took, client_peak) = run_measured(&[
        "--socket",
        socket.to_str().unwrap_or_default(),
        "export",
        "guests",
        "--output",
        through.to_str().unwrap_or_default(),
    ])?;
    let daemon_hwm = status_kib(served.pid(), "VmHWM:").unwrap_or(0);
    let daemon_after = served.rss();
    let (bytes, lines) = rows(&through)?;
    println!(
        "through the daemon: {lines} rows, {bytes} bytes in {:.1} s ({:.0} rows/s)",
        took.as_secs_f64(),
        lines as f64 / took.as_secs_f64().max(0.001)
    );
    println!(
        "daemon: VmRSS {rss_before} KiB before the export, {daemon_after} KiB after, VmHWM {daemon_hwm} KiB; client: VmHWM {client_peak} KiB"
    );
    let status = served.stop()?;
    println!("daemon stopped on SIGTERM: {status}");
    let embedded = dir.path().join("embedded.csv");
    let (took, embedded_peak) = run_measured(&[
        "--data-dir",
        data.to_str().unwrap_or_default(),
        "export",
        "guests",
        "--output",
        embedded.to_str().unwrap_or_default(),
    ])?;
    let same = std::fs::read(&embedded)? == std::fs::read(&through)?;
    println!(
        "embedded: {:.1} s, VmHWM {embedded_peak} KiB; the two files are {}",
        took.as_secs_f64(),
        if same { "the same bytes" } else { "DIFFERENT" }
    );
    anyhow::ensure!(same, "the daemon's export differs from the embedded one");
    anyhow::ensure!(
        lines as u64 == guests,
        "{lines} rows for {guests} guest stays"
    );
    Ok(())
}
