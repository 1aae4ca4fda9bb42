//! What a crash test's writer (examples/crash_writer.rs) reported saved, and the checks that
//! a store opened after a kill or a power cut holds all of it. Shared by `tests/crash.rs`
//! (SIGKILL) and `tests/power_cut.rs` (a cut on the power-cut filesystem).

use std::io::{BufRead, BufReader};

use chrono::Utc;
use trucban::domain::{Kind, Record, RecordId};
use trucban::service::{DeskApi, LocalDesk};
use trucban::store::SledBackend;

pub fn writer_binary() -> std::path::PathBuf {
    // Integration tests run from target/<profile>/deps; cargo builds examples beside it.
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target profile dir");
    profile_dir.join("examples").join("crash_writer")
}

pub fn seed(dir: &std::path::Path) {
    let desk = LocalDesk::new(
        SledBackend::open(dir, Utc::now()).expect("open"),
        trucban::domain::Clock::system(),
    );
    desk.load(&trucban::cli::sample_records(Utc::now()).expect("sample"))
        .expect("seed the sample");
}

/// What the writer reported saved, by kind of write.
#[derive(Default)]
pub struct Reported {
    pub records: Vec<RecordId>,
    batches: Vec<RecordId>,
    /// The first guest of each import asked for, acknowledged or not, and its guests; and
    /// how many of them were checked (a later run may give an undone import's numbers to
    /// other guests: each is checked only after the run that asked for it).
    importing: Vec<(RecordId, u64)>,
    importing_checked: std::cell::Cell<usize>,
    /// The hit and the most steps it was reported to have.
    steps: Option<(RecordId, usize)>,
    /// The handover and the latest round of text it was reported to hold.
    signed: Option<(RecordId, u64)>,
}

impl Reported {
    pub fn take(&mut self, line: &str) {
        let mut words = line.split(' ');
        let (Some(what), Some(id)) = (words.next(), words.next().and_then(|w| w.parse().ok()))
        else {
            return;
        };
        let n: Option<u64> = words.next().and_then(|w| w.parse().ok());
        match (what, n) {
            ("saved", _) => self.records.push(id),
            ("batch", _) => self.batches.push(id),
            ("importing", Some(n)) => self.importing.push((id, n)),
            ("step", Some(n)) => self.steps = Some((id, n as usize)),
            ("signed", Some(n)) => self.signed = Some((id, n)),
            _ => {}
        }
    }
}

/// The child's stdout, line by line, until it ends.
pub fn read_lines(child: &mut std::process::Child) -> std::thread::JoinHandle<Vec<String>> {
    let stdout = child.stdout.take().expect("piped stdout");
    std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    })
}

/// Prints what the kills saw, and fails if too few writes happened for the test to mean
/// anything (`min_records`) or if any acknowledged write was lost.
pub fn summarise(
    what: &str,
    kills: usize,
    min_records: usize,
    reported: &Reported,
    lost: &[String],
) {
    println!(
        "{kills} {what}, {} records reported saved ({} import batches), hit steps {:?}, handover {:?}; {} lost",
        reported.records.len(),
        reported.batches.len(),
        reported.steps,
        reported.signed,
        lost.len()
    );
    assert!(
        lost.is_empty(),
        "{} reported writes lost after {what}, e.g. {:?}",
        lost.len(),
        &lost[..lost.len().min(5)]
    );
    assert!(
        reported.records.len() >= min_records
            && reported.steps.is_some()
            && reported.signed.is_some(),
        "too few writes happened ({}) for the test to mean anything",
        reported.records.len()
    );
}

/// Every change action whose audit entry names the record it wrote.
const CHANGES: &[&str] = &["save", "import", "add_hit_step", "sign_handover"];

/// Checks the store after kill (or cut) number `kill`; what is missing goes to `lost`.
/// Returns false when the store does not open (it refuses itself: every reported write is
/// then lost to the officer, and the caller stops).
pub fn check_after_kill(
    kill: usize,
    dir: &std::path::Path,
    reported: &Reported,
    lost: &mut Vec<String>,
) -> bool {
    let store = match SledBackend::open(dir, Utc::now()) {
        Ok(store) => store,
        Err(e) => {
            lost.push(format!(
                "kill {kill}: the store does not open, so all {} writes reported saved are out of reach: {e}",
                reported.records.len()
            ));
            return false;
        }
    };
    for id in &reported.records {
        if !store.contains(*id).expect("read") {
            lost.push(format!("kill {kill}: {id}"));
        }
    }
    if let Some((hit, n)) = reported.steps {
        match store.get(hit).expect("read") {
            Some(Record::Hit(h)) if h.steps.len() >= n => {}
            other => lost.push(format!(
                "kill {kill}: {hit} reported with {n} steps: {other:?}"
            )),
        }
    }
    if let Some((handover, round)) = reported.signed {
        let held = match store.get(handover).expect("read") {
            Some(Record::Handover(h)) => h
                .text
                .rsplit(' ')
                .next()
                .and_then(|r| r.parse::<u64>().ok()),
            _ => None,
        };
        if held.is_none_or(|r| r < round) {
            lost.push(format!(
                "kill {kill}: {handover} reported at round {round}, holds {held:?}"
            ));
        }
    }
    // An import is all or nothing, also one written in parts and cut in the middle.
    for (first, n) in &reported.importing[reported.importing_checked.get()..] {
        let there = (0..*n)
            .filter(|i| {
                let id = RecordId::new(Kind::GuestStay, first.num() + i);
                store.contains(id).expect("read")
            })
            .count();
        if there != 0 && there as u64 != *n {
            lost.push(format!(
                "kill {kill}: {there} of the {n} guests of the import from {first} are in the store (all or none)"
            ));
        }
        if !reported.batches.contains(first) {
            // The import the cut fell in: whole (it ended, unreported) or gone.
            eprintln!("kill {kill}: cut during an import of {n} guests; {there} of them there");
        }
    }
    reported.importing_checked.set(reported.importing.len());
    // The audit chain, and records and audit entries agreeing both ways.
    if let Err(broken) = store.verify_audit().expect("read audit") {
        panic!("kill {kill}: audit chain broken: {broken}");
    }
    let entries = store
        .audit_entries(&trucban::domain::audit::AuditQuery::default())
        .expect("audit");
    let audited: std::collections::HashSet<RecordId> = entries
        .iter()
        .filter(|e| CHANGES.contains(&e.draft.action.as_str()))
        .filter(|e| e.draft.outcome == trucban::domain::audit::Outcome::Ok)
        .filter_map(|e| e.draft.record)
        .collect();
    for id in &audited {
        assert!(
            store.contains(*id).expect("read"),
            "kill {kill}: an audit entry names {id}, which is not in the store"
        );
    }
    let log_ids = reported
        .records
        .iter()
        .filter(|id| id.kind() == Kind::DutyLog);
    for id in reported.batches.iter().chain(log_ids) {
        assert!(
            audited.contains(id),
            "kill {kill}: {id} was written without its audit entry"
        );
    }
    let desk = LocalDesk::new(store, trucban::domain::Clock::system());
    let guests = desk.stats().expect("stats").count(Kind::GuestStay);
    let far = chrono::DateTime::from_timestamp(4_000_000_000, 0).expect("valid");
    let indexed = desk
        .guests_checked_in(chrono::DateTime::UNIX_EPOCH, far)
        .expect("index")
        .len();
    assert_eq!(
        guests, indexed,
        "kill {kill}: guest index disagrees with guest records"
    );
    true
}
