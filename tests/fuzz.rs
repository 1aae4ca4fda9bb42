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

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use trucban::app::keymap::Keymap;
use trucban::app::keys::{chord_text, parse_chord, parse_key, parse_script};
use trucban::domain::Kind;
use trucban::domain::text::is_hostile;
use trucban::search::{Query, SearchIndex};
use trucban::service::interchange::{self, Format};
use trucban::service::{DeskApi, ImportSource, LocalDesk, ServiceError};
use trucban::ui::theme::{self, ThemeError, ThemeText, UserThemes};

/// A case still running after this long is a hang: 2 s in the release campaign; an
/// unoptimised build (CI's `cargo test`) is about ten times slower, so it gets 20 s.
const HANG: Duration = if cfg!(debug_assertions) {
    Duration::from_secs(20)
} else {
    Duration::from_secs(2)
};

// ---------------------------------------------------------------------------------------
// The harness: corpus, mutations, the watchdog, the runner.

struct Seed {
    name: String,
    bytes: Vec<u8>,
}

fn corpus(target: &str) -> Vec<Seed> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-corpus")
        .join(target);
    let mut seeds: Vec<Seed> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("corpus entry").path();
            Seed {
                name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                bytes: std::fs::read(&path).expect("corpus file"),
            }
        })
        .filter(|s| !s.name.ends_with(".md") && !s.name.ends_with(".py"))
        .collect();
    seeds.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(!seeds.is_empty(), "no seeds in {}", dir.display());
    seeds
}

/// Sequences that have broken terminals and parsers elsewhere.
const HOSTILE: &[&str] = &[
    "\u{1b}[2J",
    "\u{1b}]52;c;cm0gLXJmIH4=\u{7}",
    "\u{1b}]0;title\u{1b}\\",
    "\u{1b}P1$qm\u{1b}\\",
    "\u{9b}31m",
    "\u{9d}0;x\u{9c}",
    "\u{202e}",
    "\u{2066}\u{2069}",
    "\u{200b}\u{200d}\u{2060}",
    "\u{feff}",
    "\0",
    "\r",
    "\r\n",
    "\n",
    "\"",
    "\"\"",
    ",",
    "\\",
    "\\u0000",
    "\\ud800",
    "{",
    "}",
    "[",
    "]",
    "<",
    ">",
    "=",
    "'",
    ":",
    "\u{fffd}",
    "\u{301}",
    "đ",
    "Nguyễn",
    "\u{10ffff}",
];

/// Tokens for dictionary soup (like a libFuzzer dictionary): the grammar of every target.
const TOKENS: &[&str] = &[
    "id",
    "full_name",
    "establishment_id",
    "check_in",
    "date_of_birth",
    "LT-000001",
    "CS-000001",
    "TN-000001",
    "CB-000003",
    "2026-11-20 21:15",
    "1990",
    "1990-05-12",
    "male",
    "cccd",
    "VNM",
    "<Enter>",
    "<Esc>",
    "<C-",
    "<A-",
    "<F",
    "S-Tab",
    ">",
    "g",
    " ",
    "[[list]]",
    "on",
    "run",
    "desc",
    "select-first",
    "=",
    "\"",
    "'''",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\n",
    "inherits",
    "default",
    "[roles]",
    "[palette]",
    "base",
    "fg",
    "bg",
    "mods",
    "#ff0000",
    "ansi:255",
    "bold",
    "alert.danger",
    "[screening]",
    "alert",
    "0.8",
    "[handover]",
    "shift_starts",
    "07:30",
    "[lodging]",
    "[tips]",
    "verify_days",
    "lang",
    "theme",
    "officer",
    "sinh:",
    "xa:",
    "id:",
    "kind:",
    "tt:",
    "hùng",
    "Giàng",
    "null",
    "true",
    "1e999",
    "-0",
];

#[derive(Clone, Debug)]
enum Mutation {
    FlipBit(prop::sample::Index, u8),
    SetByte(prop::sample::Index, u8),
    Delete(prop::sample::Index, usize),
    Insert(prop::sample::Index, prop::sample::Index),
    InsertBytes(prop::sample::Index, Vec<u8>),
    /// Bytes of another seed at a point of this one.
    Splice(
        prop::sample::Index,
        prop::sample::Index,
        prop::sample::Index,
        usize,
    ),
    Truncate(prop::sample::Index),
    /// A slice repeated: huge fields, long lines, deep nesting.
    Repeat(prop::sample::Index, usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<prop::sample::Index>;
    prop_oneof![
        3 => (at(), 0u8..8).prop_map(|(a, b)| Mutation::FlipBit(a, b)),
        2 => (at(), any::<u8>()).prop_map(|(a, b)| Mutation::SetByte(a, b)),
        2 => (at(), 1usize..64).prop_map(|(a, n)| Mutation::Delete(a, n)),
        3 => (at(), at()).prop_map(|(a, h)| Mutation::Insert(a, h)),
        1 => (at(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(a, b)| Mutation::InsertBytes(a, b)),
        2 => (at(), at(), at(), 1usize..256)
            .prop_map(|(a, s, f, n)| Mutation::Splice(a, s, f, n)),
        1 => at().prop_map(Mutation::Truncate),
        1 => (at(), 1usize..16, 2usize..2000).prop_map(|(a, n, t)| Mutation::Repeat(a, n, t)),
    ]
}

/// The most a mutated input may grow to (the importers' own line limit is 1 MiB).
const MAX_INPUT: usize = 1 << 20;

fn apply(bytes: &mut Vec<u8>, m: &Mutation, seeds: &[Seed]) {
    let pos = |i: &prop::sample::Index, len: usize| if len == 0 { 0 } else { i.index(len + 1) };
    match m {
        Mutation::FlipBit(a, bit) if !bytes.is_empty() => {
            let i = a.index(bytes.len());
            bytes[i] ^= 1 << bit;
        }
        Mutation::SetByte(a, b) if !bytes.is_empty() => {
            let i = a.index(bytes.len());
            bytes[i] = *b;
        }
        Mutation::Delete(a, n) if !bytes.is_empty() => {
            let i = a.index(bytes.len());
            let end = (i + n).min(bytes.len());
            bytes.drain(i..end);
        }
        Mutation::Insert(a, h) => {
            let i = pos(a, bytes.len());
            let what = HOSTILE[h.index(HOSTILE.len())].as_bytes();
            bytes.splice(i..i, what.iter().copied());
        }
        Mutation::InsertBytes(a, b) => {
            let i = pos(a, bytes.len());
            bytes.splice(i..i, b.iter().copied());
        }
        Mutation::Splice(a, s, f, n) => {
            let other = &seeds[s.index(seeds.len())].bytes;
            if !other.is_empty() {
                let from = f.index(other.len());
                let piece = &other[from..(from + n).min(other.len())];
                let i = pos(a, bytes.len());
                bytes.splice(i..i, piece.iter().copied());
            }
        }
        Mutation::Truncate(a) => {
            let i = pos(a, bytes.len());
            bytes.truncate(i);
        }
        Mutation::Repeat(a, n, times) if !bytes.is_empty() => {
            let i = a.index(bytes.len());
            let piece = bytes[i..(i + n).min(bytes.len())].to_vec();
            let times = (*times).min(MAX_INPUT.saturating_sub(bytes.len()) / piece.len().max(1));
            let grown: Vec<u8> = piece.repeat(times);
            bytes.splice(i..i, grown);
        }
        _ => {}
    }
}

/// An input: (the seed it came from, if any; its bytes).
type Input = (Option<usize>, Vec<u8>);

fn inputs(seeds: &'static [Seed]) -> impl Strategy<Value = Input> {
    let mutated =
        (0..seeds.len(), prop::collection::vec(mutation(), 0..6)).prop_map(move |(i, ms)| {
            let mut bytes = seeds[i].bytes.clone();
            for m in &ms {
                apply(&mut bytes, m, seeds);
            }
            (Some(i), bytes)
        });
    let soup = prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(TOKENS).prop_map(|t| t.as_bytes().to_vec()),
            1 => prop::sample::select(HOSTILE).prop_map(|t| t.as_bytes().to_vec()),
            1 => any::<char>().prop_map(|c| c.to_string().into_bytes()),
        ],
        0..64,
    )
    .prop_map(|parts| (None, parts.concat()));
    let random = prop::collection::vec(any::<u8>(), 0..512).prop_map(|b| (None, b));
    prop_oneof![6 => mutated, 2 => soup, 1 => random]
}

fn leak(seeds: Vec<Seed>) -> &'static [Seed] {
    Box::leak(seeds.into_boxed_slice())
}

/// Per thread: the target and input of the case running, and since when.
type Running = HashMap<ThreadId, (&'static str, Vec<u8>, Instant)>;

fn running() -> &'static Mutex<Running> {
    static RUNNING: OnceLock<Mutex<Running>> = OnceLock::new();
    RUNNING.get_or_init(|| {
        std::thread::spawn(watchdog);
        Mutex::new(HashMap::new())
    })
}

fn failure_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures")
}

/// Saves an input that made a target fail, for the corpus; returns where.
fn save_failure(target: &str, bytes: &[u8]) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    let dir = failure_dir();
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{target}-{:016x}.bin", h.finish()));
    let _ = std::fs::write(&path, bytes);
    path
}

/// A case that runs past [`HANG`] never returns to be reported: say which, keep its
/// input, and end the test process with a failure.
fn watchdog() {
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let Ok(running) = running().lock() else {
            continue;
        };
        for (target, bytes, since) in running.values() {
            if since.elapsed() > HANG {
                let path = save_failure(target, bytes);
                eprintln!(
                    "HANG: {target} ran more than {HANG:?} on {} bytes (saved to {}): {:?}",
                    bytes.len(),
                    path.display(),
                    String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
                );
                std::process::exit(70);
            }
        }
    }
}

/// Runs `case` with the watchdog on.
fn guarded<T>(target: &'static str, bytes: &[u8], case: impl FnOnce() -> T) -> T {
    let id = std::thread::current().id();
    if let Ok(mut r) = running().lock() {
        r.insert(id, (target, bytes.to_vec(), Instant::now()));
    }
    let out = case();
    if let Ok(mut r) = running().lock() {
        r.remove(&id);
    }
    out
}

fn cases() -> u32 {
    std::env::var("TRUCBAN_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300)
}

fn rng() -> (TestRng, String) {
    let seed: u64 = match std::env::var("TRUCBAN_FUZZ_SEED").ok().as_deref() {
        Some("random") => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
        Some(n) => n.parse().unwrap_or(1),
        None => 1,
    };
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    (
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
        seed.to_string(),
    )
}

/// Runs `check` on `cases()` inputs of `target`, and prints how many ran.
fn fuzz(
    target: &'static str,
    strategy: impl Strategy<Value = Input>,
    check: impl Fn(&[u8], Option<usize>) -> Result<(), TestCaseError>,
) {
    let executions = AtomicU64::new(0);
    let (rng, seed) = rng();
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..Config::default()
    };
    let started = Instant::now();
    let mut runner = TestRunner::new_with_rng(config, rng);
    let result = runner.run(&strategy, |(seed_index, bytes)| {
        executions.fetch_add(1, Ordering::Relaxed);
        let outcome = guarded(target, &bytes, || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&bytes, seed_index)))
        });
        match outcome {
            Ok(result) => result.inspect_err(|_| {
                save_failure(target, &bytes);
            }),
            Err(panic) => {
                let path = save_failure(target, &bytes);
                let what = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                Err(TestCaseError::fail(format!(
                    "panicked: {what} (input saved to {})",
                    path.display()
                )))
            }
        }
    });
    let n = executions.load(Ordering::Relaxed);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "fuzz {target:<14} {n:>9} executions in {secs:>7.1} s ({:>8.0}/s), seed {seed}",
        n as f64 / secs.max(1e-9)
    );
    if let Err(e) = result {
        panic!("{target}: {e}");
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn no_hostile(what: &str, shown: &str) -> Result<(), TestCaseError> {
    match shown.chars().find(|c| *c != '\n' && is_hostile(*c)) {
        Some(c) => Err(TestCaseError::fail(format!(
            "{what} shows U+{:04X} raw: {shown:?}",
            c as u32
        ))),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------
// Import files.

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
