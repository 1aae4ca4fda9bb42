//! Backup, restore and check of a large store (not run in CI): `cargo bench --bench restore`.
//!
//! Writes a store with `trucban gen --scale N` (`RESTORE_SCALE`, default 1,000,000: N
//! persons and N guest stays) into a temporary directory, backs it up, restores the backup
//! into an empty data directory and checks the restored store, each as its own process.
//! Prints each step's time and peak resident memory (`VmHWM`, sampled every 10 ms), beside
//! the targets: a restore within 2× the time of `gen` for the same store and in ≤ 300 MB,
//! a check within 60 s.

mod common;

use common::{env_u64, run_measured};

fn main() -> anyhow::Result<()> {
    let scale = env_u64("RESTORE_SCALE", 1_000_000).to_string();
    let dir = tempfile::tempdir()?;
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (original, restored, file) = (path("original"), path("restored"), path("store.bak"));
    let steps: [(&str, Vec<&str>); 4] = [
        (
            "gen",
            vec!["--data-dir", &original, "gen", "--scale", &scale],
        ),
        ("backup", vec!["--data-dir", &original, "backup", &file]),
        ("restore", vec!["--data-dir", &restored, "restore", &file]),
        ("check", vec!["--data-dir", &restored, "check"]),
    ];
    println!("store of {scale} persons and {scale} guest stays (gen --scale {scale})");
    println!("| step | time | peak resident memory |");
    println!("|---|---|---|");
    let mut times = Vec::new();
    for (name, args) in &steps {
        let (took, peak_kib) = run_measured(args)?;
        let (seconds, peak_mb) = (took.as_secs_f64(), peak_kib / 1024);
        println!("| {name} | {seconds:.1} s | {peak_mb} MB |");
        times.push((seconds, peak_mb));
    }
    let (gen_s, restore, check) = (times[0].0, times[2], times[3]);
    println!(
        "backup file: {} MB",
        std::fs::metadata(&file)?.len() / 1_000_000
    );
    println!(
        "restore: {:.2}× gen's time (target ≤ 2×), {} MB (target ≤ 300 MB); check: {:.1} s (target ≤ 60 s)",
        restore.0 / gen_s,
        restore.1,
        check.0
    );
    Ok(())
}
