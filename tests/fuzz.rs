//! Fuzzing on the stable toolchain: proptest drives every parser that reads text from
//! outside — import files (`interchange::parse` for every kind, and a whole
//! `LocalDesk::import` on a temporary store), key strings, keymap files, search queries,
//! config files and theme files. Inputs are seeds from `tests/fuzz-corpus/<target>/`
//! mutated (bit flips, deletions, splices of two seeds, repeats, hostile sequences put in),
//! token soup from a dictionary, and plain random bytes.
//!
//! For every input the target must answer `Ok` or a clear error: never a panic, never a
//! hang (a case still running after [`HANG`] is a failure: a watchdog reports it and
//! ends the process), never a half-written store (counts unchanged after a refused import),
//! never hostile text accepted into a record.
//!
//! CI runs a few hundred cases per target. The long campaign:
//!
//! ```text
//! TRUCBAN_FUZZ_CASES=200000 TRUCBAN_FUZZ_SEED=random \
//!     cargo test --release --test fuzz -- --nocapture --test-threads 2
//! ```
//!
//! prints the executions per target. A failing input is written to
//! `target/fuzz-failures/<target>-<hash>.bin`: copy it into the corpus with the fix.

#![allow(clippy::panic)]

mod engine;
#[path = "fuzz/harness.rs"]
mod harness;
use harness::*;

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use trucban::app::keymap::Keymap;
use trucban::app::keys::{chord_text, parse_chord, parse_key, parse_script};
use trucban::domain::Kind;
use trucban::search::{Query, SearchIndex};
use trucban::service::interchange::{self, Format};
use trucban::service::{DeskApi, ImportSource, LocalDesk, ServiceError};
use trucban::ui::theme::{self, ThemeError, ThemeText, UserThemes};

fn import_seeds() -> &'static [Seed] {
    static SEEDS: OnceLock<&'static [Seed]> = OnceLock::new();
    SEEDS.get_or_init(|| leak(corpus("import")))
}

/// The kind and format a seed is for: `guests.head.csv` is guests, CSV.
fn seed_kind(seed: &Seed) -> (Option<Kind>, Format) {
    let kind = seed.name.split('.').next().and_then(Kind::from_name);
    (kind, Format::from_file_name(&seed.name))
}

#[test]
fn fuzz_import_parse() {
    let seeds = import_seeds();
    fuzz("import-parse", inputs(seeds), |bytes, seed| {
        let format = seed.map_or(Format::Csv, |i| seed_kind(&seeds[i]).1);
        for kind in Kind::ALL {
            for format in [format, other(format)] {
                match interchange::parse(kind, "f.csv", bytes, format) {
                    Ok(rows) => {
                        prop_assert!(!rows.is_empty(), "{kind:?}: Ok with no row");
                        for record in rows.iter().flat_map(|r| &r.records) {
                            if let Some(c) = record.first_hostile_char() {
                                return Err(TestCaseError::fail(format!(
                                    "{kind:?}: accepted U+{:04X} into {}",
                                    c as u32,
                                    record.id()
                                )));
                            }
                        }
                    }
                    Err(problems) => {
                        prop_assert!(!problems.is_empty(), "{kind:?}: Err with no problem");
                        for p in &problems {
                            let shown = p.to_string();
                            prop_assert!(
                                !p.message.en.is_empty() && !p.message.vi.is_empty(),
                                "{kind:?}: empty message"
                            );
                            no_hostile("an import problem", &shown)?;
                        }
                    }
                }
            }
        }
        Ok(())
    });
}

fn other(format: Format) -> Format {
    match format {
        Format::Csv => Format::Json,
        Format::Json => Format::Csv,
    }
}

#[test]
fn fuzz_import_into_a_store() {
    let seeds = import_seeds();
    let dir = tempfile::tempdir().expect("temp");
    let now = trucban::domain::time::parse_instant("2026-11-27 09:30").expect("clock");
    let desk = LocalDesk::over(
        engine::open(dir.path(), now),
        trucban::domain::Clock::fixed(now),
    );
    desk.load(&trucban::cli::sample_records(now).expect("sample"))
        .expect("sample loads");
    let imported = AtomicU64::new(0);
    // Each case imports into the same store; kinds come from the seed, or in turn.
    let turn = AtomicU64::new(0);
    fuzz("import-store", inputs(seeds), |bytes, seed| {
        let (kind, format) = match seed.map(|i| seed_kind(&seeds[i])) {
            Some((Some(kind), format)) => (kind, format),
            Some((None, format)) => (Kind::GuestStay, format),
            None => {
                let n = turn.fetch_add(1, Ordering::Relaxed) as usize;
                (Kind::ALL[n % Kind::ALL.len()], Format::Csv)
            }
        };
        let before = desk.stats().expect("stats");
        let source = ImportSource {
            name: "fuzz.csv".into(),
            bytes: bytes.to_vec(),
            format,
            on_disk: None,
        };
        match desk.import(kind, &source) {
            Ok(report) => {
                imported.fetch_add(1, Ordering::Relaxed);
                prop_assert!(report.rows > 0);
            }
            Err(e) => {
                let after = desk.stats().expect("stats");
                prop_assert_eq!(&after, &before, "a refused import changed the store: {}", e);
                if let ServiceError::Import(problems) = &e {
                    prop_assert!(!problems.is_empty());
                }
                no_hostile("an import refusal", &e.to_string())?;
            }
        }
        Ok(())
    });
    println!(
        "fuzz import-store: {} imports accepted",
        imported.load(Ordering::Relaxed)
    );
    // The store still opens and reads after all that.
    drop(desk);
    let store = engine::open(dir.path(), now);
    for kind in Kind::ALL {
        for record in store.scan(kind) {
            let record = record.expect("every record decodes");
            assert_eq!(record.first_hostile_char(), None, "{}", record.id());
        }
    }
}

// ---------------------------------------------------------------------------------------
// Key strings and keymap files.

#[test]
fn fuzz_keys() {
    let seeds = leak(corpus("keys"));
    fuzz("keys", inputs(seeds), |bytes, _| {
        let text = text(bytes);
        match parse_key(&text) {
            Ok(key) => {
                let shown = key.to_string();
                prop_assert_eq!(
                    parse_key(&shown).ok(),
                    Some(key),
                    "{:?} ⇒ {:?}",
                    text,
                    shown
                );
            }
            Err(e) => no_hostile("a bad key", &e.to_string())?,
        }
        match parse_chord(&text) {
            Ok(keys) => {
                prop_assert!(!keys.is_empty());
                let shown = chord_text(&keys);
                prop_assert_eq!(
                    parse_chord(&shown).ok(),
                    Some(keys),
                    "{:?} ⇒ {:?}",
                    text,
                    shown
                );
            }
            Err(e) => no_hostile("a bad chord", &e.to_string())?,
        }
        match parse_script(&text) {
            Ok(keys) => prop_assert!(keys.len() <= text.chars().count()),
            Err(e) => no_hostile("a bad script", &e.to_string())?,
        }
        Ok(())
    });
}

#[test]
fn fuzz_keymap_files() {
    let seeds = leak(corpus("keymap"));
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("keymap.toml");
    fuzz("keymap", inputs(seeds), |bytes, _| {
        std::fs::write(&path, bytes).expect("write");
        match Keymap::load(Some(&path)) {
            Ok(map) => prop_assert!(!map.markdown().is_empty()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------
// Search queries.

fn sample_index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let now = trucban::domain::time::parse_instant("2026-11-27 09:30").expect("clock");
        let records = trucban::cli::sample_records(now).expect("sample");
        let persons: HashMap<_, _> = records
            .iter()
            .filter_map(|r| match r {
                trucban::domain::Record::Person(p) => Some((r.id(), p.clone())),
                _ => None,
            })
            .collect();
        let person = |id| persons.get(&id).cloned();
        let entries = records
            .iter()
            .flat_map(|r| trucban::search::entries_of(r, &person))
            .collect();
        SearchIndex::new(entries)
    })
}

#[test]
fn fuzz_search_queries() {
    let seeds = leak(corpus("query"));
    let index = sample_index();
    fuzz("query", inputs(seeds), |bytes, _| {
        let text = text(bytes);
        let query = Query::parse(&text);
        prop_assert!(query.terms.len() + query.filters.len() <= text.chars().count());
        for kind in [None, Some(Kind::Person), Some(Kind::GuestStay)] {
            let hits = index.search(&text, kind, 20);
            prop_assert!(hits.len() <= 20);
            for hit in &hits {
                no_hostile("a search hit", &hit.title)?;
                let width = hit.title.chars().count();
                prop_assert!(
                    hit.highlight.iter().all(|&i| i < width),
                    "highlight {:?} past the title {:?}",
                    hit.highlight,
                    hit.title
                );
            }
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------
// Config and theme files.

#[test]
fn fuzz_config_files() {
    let seeds = leak(corpus("config"));
    fuzz("config", inputs(seeds), |bytes, _| {
        match trucban::cli::parse_config("c.toml", &text(bytes)) {
            Ok(config) => {
                prop_assert!(config.screening.validate().is_ok());
                prop_assert!(config.tips.validate().is_ok());
            }
            Err(e) => {
                let shown = format!("{e:#}");
                prop_assert!(shown.starts_with("c.toml"), "{}", shown);
            }
        }
        Ok(())
    });
}

/// The fuzzed text as the user's theme `fuzz`.
struct OneTheme(String);

impl UserThemes for OneTheme {
    fn read(&self, name: &str) -> Result<Option<ThemeText>, ThemeError> {
        Ok((name == "fuzz").then(|| ThemeText {
            path: "fuzz.toml".into(),
            text: self.0.clone(),
        }))
    }
}

#[test]
fn fuzz_theme_files() {
    let seeds = leak(corpus("theme"));
    fuzz("theme", inputs(seeds), |bytes, _| {
        match theme::load("fuzz", &OneTheme(text(bytes))) {
            Ok(theme) => prop_assert_eq!(theme.name, "fuzz"),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------
// The daemon's request decoder.
//
// DAEMON TARGET GOES HERE: when `service::wire::decode_request(&[u8])` is on main, add
// `fn fuzz_wire_requests()` over `corpus("wire")` (seeds: one encoded request of each
// kind, truncated frames, a length prefix past the end, oversized lengths): any input ⇒
// a request or an error, never a panic, never an allocation of the claimed length before
// the bytes are there.
