#![allow(clippy::panic)]
//! The contract every storage engine under the service must keep ([`Backend`]): every
//! method, a write whole or not at all, the change cursor (no change missed or repeated),
//! counts, ID reservation under concurrent writers, the audit chain, accounts changed one
//! at a time, restricted values kept out of the records, check and backup.
//!
//! It runs on the sled engine. To run it on another engine, change [`engine`] (and nothing
//! else): every case builds its store through it and speaks only the trait.

mod engine;
// Beside this file, not in tests/: cargo would take a file there for a test of its own.
#[path = "backend_contract/lookups.rs"]
mod lookups;
#[path = "backend_contract/parts.rs"]
mod parts;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::sync::Arc;

use trucban::domain::access::{Account, RestrictedNote};
use trucban::domain::audit::{AuditDraft, AuditEntry, AuditQuery, ChainHead, Outcome};
use trucban::domain::rules::Refusal;
use trucban::domain::{Informant, Instant, Kind, Record, RecordId};
use trucban::store::{Backend, StoreError, Write};

/// The engine under test, over a fresh directory: `tests/engine/mod.rs` says which (one
/// constructor for this suite and the service-level tests).
fn engine(dir: &Path) -> Arc<dyn Backend> {
    engine::open(dir, now())
}

fn now() -> Instant {
    trucban::domain::time::parse_instant("2026-11-27 09:30").expect("clock")
}

/// A fresh engine holding the fictional sample, written in one transaction.
fn seeded() -> (tempfile::TempDir, Arc<dyn Backend>, Vec<Record>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let backend = engine(dir.path());
    let mut sample = trucban::cli::sample_records(now()).expect("sample");
    let hits = lookups::hits_for(&sample);
    sample.extend(hits);
    let before = backend.generation().expect("generation");
    backend
        .write(&Write {
            records: &sample,
            ..Write::default()
        })
        .expect("write the sample");
    // Until the store's generation covers the sample (at once on sled; on PostgreSQL once
    // the transactions that started before it have ended): a case that reads the changes
    // after it must not find the sample's.
    assert!(
        !changes_after(&*backend, before).is_empty(),
        "the sample's changes never showed"
    );
    (dir, backend, sample)
}

/// The changes after `generation`, once there are any (at most 10 s): PostgreSQL shows a
/// change once every transaction that started before it has ended (its feed is read below
/// the snapshot's xmin, so that no reader skips a slow writer's change), and the tests of
/// other databases on the same server are such transactions too.
fn changes_after(backend: &dyn Backend, generation: u64) -> Vec<(RecordId, u64)> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let changes = backend.changes_since(generation).expect("changes");
        if !changes.is_empty() || std::time::Instant::now() > deadline {
            return changes;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

fn all(backend: &dyn Backend, kind: Kind) -> Vec<Record> {
    backend
        .scan(kind)
        .collect::<Result<Vec<_>, _>>()
        .expect("scan")
}

/// The sample's records of a kind, in ID order: what the engine must answer from them.
fn of_kind(sample: &[Record], kind: Kind) -> Vec<Record> {
    let mut records: Vec<Record> = sample
        .iter()
        .filter(|r| r.kind() == kind)
        .cloned()
        .collect();
    records.sort_by_key(Record::id);
    records
}

fn ids(records: &[Record]) -> Vec<RecordId> {
    records.iter().map(Record::id).collect()
}

fn draft(action: &str, record: Option<RecordId>) -> AuditDraft {
    AuditDraft {
        at: now(),
        user: "contract".into(),
        officer: Some(id("CB-000001")),
        action: action.into(),
        record,
        detail: String::new(),
        outcome: Outcome::Ok,
        unit: String::new(),
    }
}

fn id(text: &str) -> RecordId {
    text.parse().expect("an ID")
}

/// A copy of the sample's first record of `kind`, under a fresh ID.
fn fresh(backend: &dyn Backend, sample: &[Record], kind: Kind) -> Record {
    let mut record = sample
        .iter()
        .find(|r| r.kind() == kind)
        .unwrap_or_else(|| panic!("the sample has a {kind}"))
        .clone();
    let num = backend.reserve_ids(kind, 1).expect("reserve");
    record.set_id(RecordId::new(kind, num));
    record
}

#[test]
fn what_is_written_is_read_back_by_get_page_and_count() {
    let (_dir, backend, sample) = seeded();
    for record in &sample {
        assert_eq!(
            backend.get(record.id()).expect("get").as_ref(),
            Some(record)
        );
        assert!(backend.contains(record.id()).expect("contains"));
    }
    let missing = RecordId::new(Kind::Person, 9_999_999);
    assert_eq!(backend.get(missing).expect("get"), None);
    assert!(!backend.contains(missing).expect("contains"));
    // Many at once: the same answers, in the order asked, kinds mixed, one missing, one
    // asked twice.
    let mut asked: Vec<RecordId> = sample.iter().rev().step_by(5).map(Record::id).collect();
    asked.insert(3, missing);
    asked.push(asked[0]);
    let one_by_one: Vec<Option<Record>> = asked
        .iter()
        .map(|id| backend.get(*id).expect("get"))
        .collect();
    assert_eq!(backend.get_many(&asked).expect("get many"), one_by_one);
    assert_eq!(backend.get_many(&[]).expect("get none"), Vec::new());
    for kind in Kind::ALL {
        let expected = of_kind(&sample, kind);
        assert_eq!(
            backend.count(kind).expect("count"),
            expected.len() as u64,
            "{kind}"
        );
        // Pages of every size walk the collection once, in order, both ways.
        for limit in [1, 3, 500] {
            let mut forward = Vec::new();
            let mut after = None;
            loop {
                let page = backend.page(kind, after, false, limit).expect("page");
                assert!(page.len() <= limit);
                let Some(last) = page.last() else { break };
                after = Some(last.id());
                forward.extend(page);
            }
            assert_eq!(forward, expected, "{kind} forward by {limit}");
            let mut backward = Vec::new();
            let mut before = None;
            loop {
                let page = backend.page(kind, before, true, limit).expect("page");
                let Some(last) = page.last() else { break };
                before = Some(last.id());
                backward.extend(page);
            }
            backward.reverse();
            assert_eq!(backward, expected, "{kind} backward by {limit}");
        }
        assert_eq!(all(&*backend, kind), expected);
        let mut newest_first: Vec<Record> = backend
            .scan_rev(kind)
            .collect::<Result<_, _>>()
            .expect("scan_rev");
        newest_first.reverse();
        assert_eq!(newest_first, expected);
        // The first n either way, across the scan's page size: exactly n (or all there are).
        for n in [0, 1, 22, 511, 512, 513, 1_100] {
            for newest in [false, true] {
                let first: Vec<Record> = backend
                    .first(kind, newest, n)
                    .collect::<Result<_, _>>()
                    .expect("first");
                let mut want = expected.clone();
                if newest {
                    want.reverse();
                }
                want.truncate(n);
                assert_eq!(ids(&first), ids(&want), "{kind} first {n} newest {newest}");
            }
        }
    }
}

#[test]
fn a_failed_write_leaves_nothing() {
    let (_dir, backend, sample) = seeded();
    let before_generation = backend.generation().expect("generation");
    let before_head = backend.audit_heads().expect("head");
    let counts: Vec<u64> = Kind::ALL
        .iter()
        .map(|k| backend.count(*k).expect("count"))
        .collect();

    // A new person, and a watch entry naming a person that is not there.
    let person = fresh(&*backend, &sample, Kind::Person);
    let mut entry = fresh(&*backend, &sample, Kind::WatchEntry);
    if let Record::WatchEntry(e) = &mut entry {
        e.person_id = RecordId::new(Kind::Person, 8_888_888);
    }
    let audit = draft("save", Some(person.id()));
    let note = RestrictedNote {
        text: "không được ghi".into(),
        officers: vec![id("CB-000001")],
        by: None,
        at: now(),
    };
    let result = backend.write(&Write {
        records: &[person.clone(), entry.clone()],
        note: Some((person.id(), &note)),
        audit: Some(&audit),
        ..Write::default()
    });
    assert!(
        matches!(result, Err(StoreError::MissingReference { .. })),
        "{result:?}"
    );

    // A rule refusing the second record of a batch.
    let first = fresh(&*backend, &sample, Kind::Person);
    let second = fresh(&*backend, &sample, Kind::Person);
    let refused = second.id();
    let check = move |_: Option<&Record>, new: &Record| match new.id() == refused {
        true => Err(Refusal::Closed {
            id: refused,
            what: "contract".into(),
        }),
        false => Ok(()),
    };
    let result = backend.write(&Write {
        records: &[first.clone(), second.clone()],
        audit: Some(&audit),
        check: Some(&check),
        ..Write::default()
    });
    assert!(matches!(result, Err(StoreError::Rule(_))), "{result:?}");

    for record in [&person, &entry, &first, &second] {
        assert_eq!(
            backend.get(record.id()).expect("get"),
            None,
            "{}",
            record.id()
        );
    }
    assert_eq!(backend.restricted_note(person.id()).expect("note"), None);
    assert_eq!(backend.generation().expect("generation"), before_generation);
    assert_eq!(backend.audit_heads().expect("head"), before_head);
    assert!(
        backend
            .changes_since(before_generation)
            .expect("changes")
            .is_empty()
    );
    let after: Vec<u64> = Kind::ALL
        .iter()
        .map(|k| backend.count(*k).expect("count"))
        .collect();
    assert_eq!(after, counts);
    assert!(backend.check().expect("check").intact());
}

#[test]
fn a_write_lands_whole_with_its_audit_entry_and_restricted_values() {
    let (_dir, backend, sample) = seeded();
    let generation = backend.generation().expect("generation");
    let tip = fresh(&*backend, &sample, Kind::Tip);
    let informant = Informant {
        name: "Người báo tin (hư cấu)".into(),
        contact: "0000".into(),
        note: String::new(),
        officers: vec![id("CB-000001")],
    };
    let note = RestrictedNote {
        text: "ghi chú mật".into(),
        officers: vec![id("CB-000002")],
        by: Some(id("CB-000001")),
        at: now(),
    };
    let audit = draft("save_tip", Some(tip.id()));
    let written = backend
        .write(&Write {
            records: std::slice::from_ref(&tip),
            informant: Some((tip.id(), &informant)),
            note: Some((tip.id(), &note)),
            audit: Some(&audit),
            ..Write::default()
        })
        .expect("write")
        .expect("the audit entry written");
    assert_eq!(written.draft, audit);
    assert_eq!(backend.get(tip.id()).expect("get"), Some(tip.clone()));
    assert_eq!(
        backend.informant(tip.id()).expect("informant"),
        Some(informant.clone())
    );
    assert_eq!(backend.restricted_note(tip.id()).expect("note"), Some(note));
    let desk_head = |seq, hash| {
        vec![ChainHead {
            unit: String::new(),
            seq,
            hash,
        }]
    };
    assert_eq!(
        backend.audit_heads().expect("head"),
        desk_head(written.seq, written.hash.clone())
    );
    // The informant is in no record, and the change log names only the tip (on
    // PostgreSQL once every write that started before it has ended: see `changes_after`).
    let changes = changes_after(&*backend, generation);
    assert_eq!(
        changes.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        vec![tip.id()]
    );
    let stored = serde_json::to_string(&backend.get(tip.id()).expect("get")).expect("json");
    assert!(!stored.contains(&informant.name), "{stored}");
    // An empty write writes nothing, not even an audit entry.
    assert_eq!(backend.write(&Write::default()).expect("empty write"), None);
    assert_eq!(
        backend.audit_heads().expect("head"),
        desk_head(written.seq, written.hash)
    );
}

#[test]
fn reserved_ids_are_never_handed_out_twice_even_to_concurrent_writers() {
    let (_dir, backend, sample) = seeded();
    let highest = sample
        .iter()
        .filter(|r| r.kind() == Kind::Person)
        .map(|r| r.id().num())
        .max()
        .expect("persons");
    let first = backend.reserve_ids(Kind::Person, 1).expect("reserve");
    assert!(first > highest, "{first} after {highest}");
    // An ID that arrived from outside (an import) moves the allocator past it.
    let mut imported = fresh(&*backend, &sample, Kind::Person);
    imported.set_id(RecordId::new(Kind::Person, first + 1_000));
    backend.put(std::slice::from_ref(&imported)).expect("put");
    assert!(backend.reserve_ids(Kind::Person, 1).expect("reserve") > first + 1_000);

    let template = fresh(&*backend, &sample, Kind::Person);
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let backend = Arc::clone(&backend);
            let template = template.clone();
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                for round in 0..25u64 {
                    let n = backend
                        .reserve_ids(Kind::Person, 1 + round % 3)
                        .expect("reserve");
                    let mut record = template.clone();
                    record.set_id(RecordId::new(Kind::Person, n));
                    backend.put(&[record]).expect("write");
                    mine.extend((0..1 + round % 3).map(|k| n + k));
                }
                mine
            })
        })
        .collect();
    let mut seen = HashSet::new();
    let mut total = 0;
    for thread in threads {
        for n in thread.join().expect("writer") {
            total += 1;
            assert!(seen.insert(n), "{n} reserved twice");
        }
    }
    assert_eq!(seen.len(), total);
    assert_eq!(
        backend.count(Kind::Person).expect("count"),
        all(&*backend, Kind::Person).len() as u64
    );
}

#[test]
fn the_change_cursor_misses_nothing_and_repeats_nothing_under_concurrent_writers() {
    const WRITERS: usize = 4;
    const WRITES: usize = 160;
    let (_dir, backend, sample) = seeded();
    let start = backend.generation().expect("generation");
    let template = fresh(&*backend, &sample, Kind::Person);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    // A reader follows the cursor while four writers write.
    let reader = {
        let backend = Arc::clone(&backend);
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut cursor = start;
            let mut seen: BTreeMap<RecordId, u64> = BTreeMap::new();
            let mut finished: Option<std::time::Instant> = None;
            loop {
                let done = stop.load(std::sync::atomic::Ordering::SeqCst);
                let changes = backend.changes_since(cursor).expect("changes");
                let mut ids = HashSet::new();
                for (id, at) in &changes {
                    assert!(*at > cursor, "{id} at {at}, cursor {cursor}");
                    assert!(ids.insert(*id), "{id} twice in one answer");
                    assert!(
                        seen.insert(*id, *at).is_none(),
                        "{id} seen again (each is written once)"
                    );
                }
                cursor = changes.iter().map(|(_, at)| *at).max().unwrap_or(cursor);
                // Once the writers are done, until every write is seen (on PostgreSQL a
                // change shows once every transaction that started before it has ended:
                // see `changes_after`), at most 10 s.
                if done && finished.is_none() {
                    finished = Some(std::time::Instant::now());
                }
                if finished.is_some_and(|at| seen.len() == WRITES || at.elapsed().as_secs() > 10) {
                    return (seen, cursor);
                }
            }
        })
    };
    let writers: Vec<_> = (0..WRITERS)
        .map(|_| {
            let backend = Arc::clone(&backend);
            let template = template.clone();
            std::thread::spawn(move || {
                let mut written = Vec::new();
                for _ in 0..WRITES / WRITERS {
                    let n = backend.reserve_ids(Kind::Person, 1).expect("reserve");
                    let mut record = template.clone();
                    record.set_id(RecordId::new(Kind::Person, n));
                    backend.put(std::slice::from_ref(&record)).expect("write");
                    written.push(record.id());
                }
                written
            })
        })
        .collect();
    let mut written = BTreeSet::new();
    for w in writers {
        written.extend(w.join().expect("writer"));
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let (seen, cursor) = reader.join().expect("reader");
    assert_eq!(seen.keys().copied().collect::<BTreeSet<_>>(), written);
    assert_eq!(cursor, backend.generation().expect("generation"));
    // Each write has a generation of its own (sled counts them one by one; PostgreSQL
    // numbers them by transaction ID, with gaps).
    let mut generations: Vec<u64> = seen.values().copied().collect();
    generations.sort_unstable();
    generations.dedup();
    assert_eq!(generations.len(), written.len(), "one generation per write");

    // Pruning forgets what a cache holds, and keeps later changes.
    let middle = generations[79];
    backend.prune_changes(middle).expect("prune");
    let left = backend.changes_since(0).expect("changes");
    assert!(left.iter().all(|(_, at)| *at > middle), "{left:?}");
    assert_eq!(left.len(), written.len() - 80);
}

#[test]
fn bulk_load_counts_and_raises_the_cache_floor() {
    let dir = tempfile::tempdir().expect("temp dir");
    let backend = engine(dir.path());
    let id_1 = backend.store_id().expect("store id");
    assert_eq!(
        backend.store_id().expect("store id"),
        id_1,
        "fixed once made"
    );
    assert!(id_1 > 0);
    assert_eq!(
        backend.files().is_some(),
        engine::server().is_none(),
        "the sled engine keeps files here, PostgreSQL on its own host"
    );
    assert_eq!(backend.read_only_reason(), None);
    let sample = trucban::cli::sample_records(now()).expect("sample");
    let floor = backend.cache_floor().expect("floor");
    backend.bulk_load(&sample).expect("bulk load");
    assert!(backend.cache_floor().expect("floor") > floor);
    assert_eq!(
        backend.cache_floor().expect("floor"),
        backend.generation().expect("generation")
    );
    for kind in Kind::ALL {
        let n = sample.iter().filter(|r| r.kind() == kind).count() as u64;
        assert_eq!(backend.count(kind).expect("count"), n, "{kind}");
    }
    let report = backend.check().expect("check");
    assert!(report.intact(), "{:?}", report.problems);
    backend.sync_now().expect("sync");
}

#[test]
fn the_audit_chain_holds_and_answers_queries() {
    let (_dir, backend, _sample) = seeded();
    assert_eq!(backend.audit_heads().expect("head"), vec![]);
    assert_eq!(backend.verify_audit().expect("verify"), Ok(0));
    let target = id("TN-000001");
    let mut entries = Vec::new();
    for n in 0..30u64 {
        let mut d = draft(
            if n % 3 == 0 { "get" } else { "search" },
            (n % 3 == 0).then_some(target),
        );
        d.at = now() + chrono::Duration::minutes(i64::try_from(n).expect("n"));
        d.officer = Some(if n % 2 == 0 {
            id("CB-000001")
        } else {
            id("CB-000002")
        });
        entries.push(backend.append_audit(&d).expect("append"));
    }
    for pair in entries.windows(2) {
        assert_eq!(pair[1].seq, pair[0].seq + 1);
        assert_eq!(pair[1].prev, pair[0].hash);
    }
    let last = entries.last().expect("entries");
    assert_eq!(
        backend.audit_heads().expect("head"),
        vec![ChainHead {
            unit: String::new(),
            seq: last.seq,
            hash: last.hash.clone()
        }]
    );
    assert_eq!(backend.verify_audit().expect("verify"), Ok(30));
    let query = |officer, record, since, limit| AuditQuery {
        officer,
        record,
        since,
        limit,
    };
    assert_eq!(
        backend
            .audit_entries(&query(None, None, None, 0))
            .expect("all"),
        entries
    );
    let by_two = backend
        .audit_entries(&query(Some(id("CB-000002")), None, None, 0))
        .expect("by officer");
    assert_eq!(by_two.len(), 15);
    let on_target = backend
        .audit_entries(&query(None, Some(target), None, 3))
        .expect("by record");
    assert_eq!(
        on_target,
        entries[21..].iter().step_by(3).cloned().collect::<Vec<_>>()
    );
    let since = backend
        .audit_entries(&query(
            None,
            None,
            Some(now() + chrono::Duration::minutes(25)),
            0,
        ))
        .expect("since");
    assert_eq!(since, entries[25..].to_vec());
}

#[test]
fn each_unit_keeps_its_own_chain_and_the_listing_merges_them_in_time() {
    let (_dir, backend, _sample) = seeded();
    let units = ["", "Phòng Tham mưu (PV01)", "Công an huyện Phong Thổ"];
    let mut written = Vec::new();
    for n in 0..30u64 {
        let mut d = draft("get", None);
        d.at = now() + chrono::Duration::minutes(i64::try_from(n).expect("n"));
        d.unit = units[usize::try_from(n * 7 % 3).expect("index")].into();
        written.push(backend.append_audit(&d).expect("append"));
    }
    // Each chain is numbered from 1 and linked within itself.
    for unit in units {
        let chain: Vec<&AuditEntry> = written.iter().filter(|e| e.draft.unit == unit).collect();
        assert_eq!(chain.len(), 10, "{unit}");
        assert_eq!(chain[0].seq, 1);
        for pair in chain.windows(2) {
            assert_eq!(pair[1].seq, pair[0].seq + 1, "{unit}");
            assert_eq!(pair[1].prev, pair[0].hash, "{unit}");
        }
    }
    let heads = backend.audit_heads().expect("heads");
    let mut want: Vec<(&str, u64)> = units.iter().map(|u| (*u, 10)).collect();
    want.sort();
    assert_eq!(
        heads
            .iter()
            .map(|h| (h.unit.as_str(), h.seq))
            .collect::<Vec<_>>(),
        want
    );
    assert_eq!(backend.audit_length().expect("length"), 30);
    assert_eq!(backend.verify_audit().expect("verify"), Ok(30));
    // Listed across chains in the order written (here, the order of time), whole and the
    // newest few.
    let all = AuditQuery::default();
    assert_eq!(backend.audit_entries(&all).expect("all"), written);
    let newest = AuditQuery {
        limit: 4,
        ..AuditQuery::default()
    };
    assert_eq!(
        backend.audit_entries(&newest).expect("newest"),
        written[26..].to_vec()
    );
    // Entries adopted into another store keep their chains; one that skips a number of
    // its chain is refused and nothing of the batch is kept.
    let (_other_dir, other, _) = seeded();
    let mut skipping = written.clone();
    skipping.remove(4);
    assert!(other.adopt_audit(&skipping).is_err());
    assert_eq!(other.audit_length().expect("length"), 0);
    other.adopt_audit(&written[..11]).expect("adopt");
    other.adopt_audit(&written[11..]).expect("adopt the rest");
    assert_eq!(other.audit_heads().expect("heads"), heads);
    assert_eq!(other.verify_audit().expect("verify"), Ok(30));
}

#[test]
fn account_changes_are_serialized_and_audited() {
    let (_dir, backend, _sample) = seeded();
    assert_eq!(backend.account("thao").expect("account"), None);
    let account = Account {
        user: "thao".into(),
        officer: id("CB-000001"),
        pin_hash: String::new(),
        failed: 0,
        locked_until: None,
        locked: false,
    };
    let made = account.clone();
    backend
        .change_account("thao", &|_| {
            (Some(made.clone()), Some(draft("set_account", None)))
        })
        .expect("make");
    assert_eq!(
        backend.account("thao").expect("account"),
        Some(account.clone())
    );
    assert_eq!(backend.accounts().expect("accounts"), vec![account]);
    let head = backend.audit_length().expect("head");

    // Eight connections count wrong PINs at once: every count lands.
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let backend = Arc::clone(&backend);
            std::thread::spawn(move || {
                for _ in 0..10 {
                    backend
                        .change_account("thao", &|current| {
                            let next = current.map(|mut a| {
                                a.failed += 1;
                                a
                            });
                            (next, Some(draft("unlock", None)))
                        })
                        .expect("change");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    let account = backend.account("thao").expect("account").expect("there");
    assert_eq!(account.failed, 80);
    let (before, after) = (head, backend.audit_length().expect("head"));
    assert_eq!(after - before, 80, "one audit entry per change");
    assert_eq!(backend.verify_audit().expect("verify"), Ok(after));

    // A decision taken on the version seen, returned to the caller.
    let verdict = backend
        .decide_account("thao", &|current| (None, None, current.map(|a| a.failed)))
        .expect("decide");
    assert_eq!(verdict, Some(80));
    // No change, no entry.
    assert_eq!(backend.audit_length().expect("head"), after);
}

#[test]
fn check_and_backup_see_the_whole_store() {
    let (_dir, backend, sample) = seeded();
    backend.append_audit(&draft("get", None)).expect("append");
    let report = backend.check().expect("check");
    assert!(report.intact(), "{:?}", report.problems);
    assert_eq!(report.audit_entries, 1);
    let total: u64 = report.counts.iter().map(|(_, n)| n).sum();
    assert_eq!(total, sample.len() as u64);
    let elsewhere = tempfile::tempdir().expect("backup dir");
    let backup = backend.backup(&elsewhere.path().join("contract.backup"));
    if engine::server().is_some() {
        // PostgreSQL is backed up with its own tools; the refusal says which.
        let refused = backup.expect_err("refused on PostgreSQL");
        assert_eq!(refused.code(), "backup.use_database_tools");
        assert!(refused.said().en.contains("pg_dump"), "{refused}");
        return;
    }
    let summary = backup.expect("backup");
    assert_eq!(summary.counts, report.counts);
}

/// `check` and the chain's verification, run while others write, see each write whole or
/// not at all: a store a daemon serves is checked while officers work (a write seen half
/// applied — an audit entry before its head moved, an informant before its tip — would be
/// reported as damage).
#[test]
fn check_and_verify_read_whole_writes_while_others_write() {
    let (_dir, backend, sample) = seeded();
    let template = fresh(&*backend, &sample, Kind::Tip);
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers: Vec<_> = (0..3)
        .map(|_| {
            let backend = Arc::clone(&backend);
            let template = template.clone();
            std::thread::spawn(move || {
                let informant = Informant {
                    name: "Người báo tin (hư cấu)".into(),
                    contact: "0000".into(),
                    note: String::new(),
                    officers: vec![id("CB-000001")],
                };
                for _ in 0..30 {
                    let mut tip = template.clone();
                    let num = backend.reserve_ids(Kind::Tip, 1).expect("reserve");
                    tip.set_id(RecordId::new(Kind::Tip, num));
                    let audit = draft("save_tip", Some(tip.id()));
                    backend
                        .write(&Write {
                            records: std::slice::from_ref(&tip),
                            informant: Some((tip.id(), &informant)),
                            audit: Some(&audit),
                            ..Write::default()
                        })
                        .expect("write");
                }
            })
        })
        .collect();
    let reader = {
        let backend = Arc::clone(&backend);
        let done = Arc::clone(&done);
        std::thread::spawn(move || {
            let mut rounds = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                assert_eq!(backend.verify_audit().expect("verify").err(), None);
                let report = backend.check().expect("check");
                assert!(report.intact(), "{:?}", report.problems);
                rounds += 1;
                // Let the writers in: a check holds them off while it reads.
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            rounds
        })
    };
    for writer in writers {
        writer.join().expect("writer");
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let rounds = reader
        .join()
        .expect("a check or a verification saw a half write");
    assert!(rounds > 0);
    assert_eq!(backend.verify_audit().expect("verify"), Ok(90));
}
