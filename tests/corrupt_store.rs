//! A damaged store: on fresh copies of a seeded store, one byte flipped at random offsets
//! (seeded), files cut at random lengths, the snapshot deleted. Each time trucban must either
//! open and prove the data intact — `check` passes and a backup of it has the original's
//! content checksum, so every tree holds exactly what it held — or refuse with a message
//! that points to restore. Never silently wrong data, never a panic.
//!
//! `TRUCBAN_CORRUPT_TRIALS=N` raises the number of flipped bytes (default 50); the counts
//! are printed (`cargo test --test corrupt_store -- --nocapture`).

#![allow(clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use rand::{Rng, SeedableRng};
use trucban::domain::Instant;
use trucban::store::SledBackend;

fn now() -> Instant {
    trucban::domain::time::parse_instant("2026-11-27 09:30").expect("fixed clock")
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Intact,
    Refused,
}

/// The seeded store and its backup checksum.
struct Original {
    _desk: common::Desk,
    data: PathBuf,
    sha256: String,
}

fn original() -> Original {
    // Seeded by a process of its own, so that sled is closed when it ends (the service's
    // search thread would keep an in-process store open).
    let desk = common::Desk::new();
    desk.ok(&["seed", "--sample"]);
    let data = desk.path().join("data");
    let sha256 = SledBackend::open(&data, now())
        .expect("open")
        .backup(&desk.path().join("original.bak"))
        .expect("backup")
        .sha256;
    Original {
        _desk: desk,
        data,
        sha256,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn store_file(data: &Path, prefix: &str) -> PathBuf {
    std::fs::read_dir(data.join("store"))
        .expect("store dir")
        .map(|e| e.expect("entry").path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no {prefix}* in the store"))
}

/// Opens, checks and backs up a damaged copy; says whether it proved intact or refused,
/// and fails on silently wrong data.
fn judge(data: &Path, original_sha: &str, what: &str) -> Outcome {
    let refused = |message: String| {
        assert!(
            message.contains("restore"),
            "{what}: the refusal does not point to restore: {message}"
        );
        Outcome::Refused
    };
    let store = match SledBackend::open(data, now()) {
        Ok(store) => store,
        Err(e) => return refused(e.to_string()),
    };
    let report = match store.check() {
        Ok(report) => report,
        Err(e) => return refused(e.to_string()),
    };
    if !report.intact() {
        // What the CLI says then (tests/backup.rs checks the wording end to end).
        return refused(format!("{:?} restore", report.problems));
    }
    let backup = data.join("check.bak");
    let sha = match store.backup(&backup) {
        Ok(summary) => summary.sha256,
        Err(e) => return refused(e.to_string()),
    };
    assert_eq!(
        sha, original_sha,
        "{what}: the store opened and its check passed, but its content differs from the original (silently wrong data)"
    );
    Outcome::Intact
}

/// The CLI on a damaged copy: never a panic (exit 101); a failure points to restore.
fn cli_on(data: &Path, args: &[&str], what: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_trucban"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("run trucban");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(
        out.status.code(),
        Some(101),
        "{what}: {args:?} panicked: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{what}: {args:?}: {stderr}");
    if !out.status.success() {
        assert!(
            stderr.contains("restore"),
            "{what}: {args:?} failed without pointing to restore: {stderr}"
        );
    }
}

struct Tally {
    tried: usize,
    intact: usize,
    refused: usize,
}

impl Tally {
    fn add(&mut self, outcome: Outcome) {
        self.tried += 1;
        match outcome {
            Outcome::Intact => self.intact += 1,
            Outcome::Refused => self.refused += 1,
        }
    }
}

fn trials() -> usize {
    std::env::var("TRUCBAN_CORRUPT_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
}

#[test]
fn a_flipped_byte_is_caught_or_harmless() {
    let original = original();
    let work = tempfile::tempdir().expect("temp");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x636f_7272);
    let mut tally = Tally {
        tried: 0,
        intact: 0,
        refused: 0,
    };
    for trial in 0..trials() {
        let data = work.path().join(format!("t{trial}"));
        copy_dir(&original.data, &data);
        // Mostly the log; now and then the snapshot or the config.
        let prefix = match rng.random_range(0..10) {
            0 => "snap.",
            1 => "conf",
            _ => "db",
        };
        let file = store_file(&data, prefix);
        let mut bytes = std::fs::read(&file).expect("read");
        let offset = rng.random_range(0..bytes.len());
        bytes[offset] ^= rng.random_range(1..=255u8);
        std::fs::write(&file, &bytes).expect("write");
        let what = format!("trial {trial}: byte {offset} of {}", file.display());
        if trial % 10 == 0 {
            let cli_copy = work.path().join(format!("t{trial}-cli"));
            copy_dir(&data, &cli_copy);
            cli_on(&cli_copy, &["stats"], &what);
            cli_on(&cli_copy, &["check"], &what);
            std::fs::remove_dir_all(&cli_copy).expect("clean");
        }
        tally.add(judge(&data, &original.sha256, &what));
        std::fs::remove_dir_all(&data).expect("clean");
    }
    println!(
        "flipped bytes: {} tried, {} opened and proved intact, {} refused, 0 silent, 0 panics",
        tally.tried, tally.intact, tally.refused
    );
    assert_eq!(tally.tried, trials());
}

#[test]
fn a_cut_or_missing_file_is_caught_or_harmless() {
    let original = original();
    let work = tempfile::tempdir().expect("temp");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x7472_756e);
    let mut tally = Tally {
        tried: 0,
        intact: 0,
        refused: 0,
    };
    let mut cases: Vec<(String, Option<f64>)> = Vec::new();
    for _ in 0..8 {
        cases.push(("db".into(), Some(rng.random_range(0.0..1.0))));
    }
    for _ in 0..3 {
        cases.push(("snap.".into(), Some(rng.random_range(0.0..1.0))));
    }
    cases.push(("conf".into(), Some(0.5)));
    cases.push(("snap.".into(), None));
    cases.push(("conf".into(), None));
    for (n, (prefix, cut)) in cases.iter().enumerate() {
        let data = work.path().join(format!("c{n}"));
        copy_dir(&original.data, &data);
        let file = store_file(&data, prefix);
        let what = match cut {
            Some(fraction) => {
                let len = std::fs::metadata(&file).expect("meta").len();
                let keep = (len as f64 * fraction) as u64;
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&file)
                    .and_then(|f| f.set_len(keep))
                    .expect("truncate");
                format!("{} cut to {keep} of {len} bytes", file.display())
            }
            None => {
                std::fs::remove_file(&file).expect("delete");
                format!("{} deleted", file.display())
            }
        };
        let cli_copy = work.path().join(format!("c{n}-cli"));
        copy_dir(&data, &cli_copy);
        cli_on(&cli_copy, &["check"], &what);
        tally.add(judge(&data, &original.sha256, &what));
        println!("{what}: {:?}", tally.intact);
    }
    println!(
        "cut or deleted files: {} tried, {} opened and proved intact, {} refused, 0 silent, 0 panics",
        tally.tried, tally.intact, tally.refused
    );
    assert_eq!(tally.tried, cases.len());
}
