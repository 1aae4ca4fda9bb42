//! The fuzz harness: the corpus of seeds, mutations of them, the watchdog that turns a hang
//! into a failure, and the runner every target of `tests/fuzz.rs` goes through.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use trucban::domain::text::is_hostile;

/// A case still running after this long is a hang: 2 s in the release campaign; an
/// unoptimised build (CI's `cargo test`) is about ten times slower, so it gets 20 s.
pub const HANG: Duration = if cfg!(debug_assertions) {
    Duration::from_secs(20)
} else {
    Duration::from_secs(2)
};

// ---------------------------------------------------------------------------------------
// The harness: corpus, mutations, the watchdog, the runner.

pub struct Seed {
    pub name: String,
    pub bytes: Vec<u8>,
}

pub fn corpus(target: &str) -> Vec<Seed> {
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
pub const HOSTILE: &[&str] = &[
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
pub const TOKENS: &[&str] = &[
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
pub enum Mutation {
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

pub fn mutation() -> impl Strategy<Value = Mutation> {
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
pub const MAX_INPUT: usize = 1 << 20;

pub fn apply(bytes: &mut Vec<u8>, m: &Mutation, seeds: &[Seed]) {
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
pub type Input = (Option<usize>, Vec<u8>);

pub fn inputs(seeds: &'static [Seed]) -> impl Strategy<Value = Input> {
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

pub fn leak(seeds: Vec<Seed>) -> &'static [Seed] {
    Box::leak(seeds.into_boxed_slice())
}

/// Per thread: the target and input of the case running, and since when.
pub type Running = HashMap<ThreadId, (&'static str, Vec<u8>, Instant)>;

pub fn running() -> &'static Mutex<Running> {
    static RUNNING: OnceLock<Mutex<Running>> = OnceLock::new();
    RUNNING.get_or_init(|| {
        std::thread::spawn(watchdog);
        Mutex::new(HashMap::new())
    })
}

pub fn failure_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures")
}

/// Saves an input that made a target fail, for the corpus; returns where.
pub fn save_failure(target: &str, bytes: &[u8]) -> PathBuf {
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
pub fn watchdog() {
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
pub fn guarded<T>(target: &'static str, bytes: &[u8], case: impl FnOnce() -> T) -> T {
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

pub fn cases() -> u32 {
    std::env::var("TRUCBAN_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300)
}

pub fn rng() -> (TestRng, String) {
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
pub fn fuzz(
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

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn no_hostile(what: &str, shown: &str) -> Result<(), TestCaseError> {
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
