//! Checks of the sample as a whole: determinism, counts, references, reserved numbers, text
//! rules, and the planted faults later features rely on.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Duration;
use unicode_normalization::is_nfc;

use super::lodging::deadline;
use super::numbers::is_reserved;
use super::{reference_end, sample, scale};
use crate::domain::text::find_hostile;
use crate::domain::{
    Assignment, AssignmentRole, GroupKind, Instant, Kind, MemberRole, Record, RecordId, Shift,
    WantedStatus,
};

fn by_kind(records: &[Record]) -> BTreeMap<Kind, usize> {
    let mut counts = BTreeMap::new();
    for r in records {
        *counts.entry(r.kind()).or_insert(0) += 1;
    }
    counts
}

fn all_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| all_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| all_strings(v, out)),
        _ => {}
    }
}

fn instants(r: &Record) -> Vec<Instant> {
    match r {
        Record::Wanted(w) => w.history.iter().map(|h| h.at).collect(),
        Record::WatchEntry(e) => vec![e.added_at],
        Record::Sighting(s) => vec![s.at],
        Record::GuestStay(g) => [Some(g.check_in), g.check_out, g.declared_at]
            .into_iter()
            .flatten()
            .collect(),
        Record::DutyLog(l) => vec![l.at],
        Record::Handover(h) => [Some(h.shift_start), Some(h.shift_end), h.signed_at]
            .into_iter()
            .flatten()
            .collect(),
        _ => Vec::new(),
    }
}

/// Lists whose items end up `;`-joined in exports.
fn list_items(r: &Record) -> Vec<&String> {
    match r {
        Record::Person(p) => p.aliases.iter().collect(),
        Record::GuestStay(g) => g.guest.other_names.iter().collect(),
        Record::WatchEntry(e) => e.vehicles.iter().chain(&e.routes).collect(),
        Record::Campaign(c) => c.routes.iter().chain(&c.posts).collect(),
        Record::Inspection(i) => i.violations.iter().collect(),
        _ => Vec::new(),
    }
}

#[test]
fn the_timeline_ends_at_midnight_local() {
    assert_eq!(reference_end().to_rfc3339(), "2026-11-15T17:00:00+00:00");
}

#[test]
fn same_seed_same_bytes_other_seed_other_data() {
    let a = serde_json::to_string(&sample(7)).expect("serialises");
    let b = serde_json::to_string(&sample(7)).expect("serialises");
    let c = serde_json::to_string(&sample(8)).expect("serialises");
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn counts_order_ids_and_references() {
    let records = sample(1);
    let expected = [
        (Kind::Officer, 72),
        (Kind::Person, 530),
        (Kind::Group, 40),
        (Kind::Wanted, 300),
        (Kind::Watchlist, 6),
        (Kind::WatchEntry, 250),
        (Kind::Sighting, 400),
        (Kind::Establishment, 80),
        (Kind::GuestStay, 5000),
        (Kind::Inspection, 300),
        (Kind::Campaign, 3),
        (Kind::Assignment, 3 * 14 * 2 * 15 + 2),
        (Kind::DutyLog, 300),
        (Kind::Handover, 6),
        (Kind::Tip, 24),
        (Kind::Case, 886),
    ];
    assert_eq!(by_kind(&records), expected.into_iter().collect());
    // Grouped in Kind::ALL order, numbered 1..=n, and every reference already emitted:
    // the sample imports in one pass.
    let mut seen: BTreeSet<RecordId> = BTreeSet::new();
    let mut last: Option<RecordId> = None;
    for r in &records {
        let id = r.id();
        match last {
            Some(prev) if prev.kind() == id.kind() => assert_eq!(id.num(), prev.num() + 1, "{id}"),
            Some(prev) => {
                assert!(prev.kind().index() < id.kind().index(), "{id} after {prev}");
                assert_eq!(id.num(), 1, "{id}");
            }
            None => assert_eq!(id, RecordId::new(Kind::Officer, 1)),
        }
        for (field, target) in r.references() {
            assert!(
                seen.contains(&target),
                "{id}.{field} -> {target} missing or later"
            );
        }
        seen.insert(id);
        last = Some(id);
    }
}

#[test]
fn numbers_reserved_text_clean_times_whole() {
    let end = reference_end();
    let mut person_numbers = BTreeSet::new();
    for r in sample(2) {
        let mut strings = Vec::new();
        all_strings(&serde_json::to_value(&r).expect("serialises"), &mut strings);
        for s in strings {
            assert!(is_nfc(&s), "{}: not NFC: {s:?}", r.id());
            assert_eq!(find_hostile(&s), None, "{}: {s:?}", r.id());
            assert_eq!(s.trim(), s, "{}: untrimmed {s:?}", r.id());
        }
        for item in list_items(&r) {
            assert!(
                !item.is_empty() && !item.contains(';'),
                "{}: list item {item:?}",
                r.id()
            );
        }
        for t in instants(&r) {
            assert_eq!(t.timestamp_subsec_nanos(), 0, "{}", r.id());
            assert!(t <= end, "{} at {t} after the end", r.id());
        }
        match &r {
            Record::Person(p) => {
                if let Some(doc) = &p.id_doc {
                    assert!(is_reserved(doc), "{doc:?}");
                    assert!(
                        person_numbers.insert(doc.number.clone()),
                        "duplicate {doc:?}"
                    );
                }
                assert!(["VNM", "CHN"].contains(&p.nationality.as_str()));
            }
            Record::GuestStay(g) => {
                if let Some(doc) = &g.guest.id_doc {
                    assert!(is_reserved(doc), "{doc:?}");
                }
                assert!(g.check_in > end - Duration::days(31));
                assert!(g.check_out.is_none_or(|o| o > g.check_in));
            }
            Record::Sighting(s) => assert!(s.at >= end - Duration::days(30)),
            Record::DutyLog(l) => assert!(l.at >= end - Duration::days(3)),
            _ => {}
        }
    }
}

#[test]
fn guests_have_foreigners_late_and_missing_declarations() {
    let records = sample(3);
    let guests: Vec<_> = records
        .iter()
        .filter_map(|r| match r {
            Record::GuestStay(g) => Some(g),
            _ => None,
        })
        .collect();
    let foreign = guests
        .iter()
        .filter(|g| g.guest.nationality != "VNM")
        .count();
    let share = foreign as f64 / guests.len() as f64;
    assert!((0.06..=0.10).contains(&share), "foreigners {share}");
    assert!(guests.iter().any(|g| g.guest.nationality == "LAO"));
    let chinese = guests
        .iter()
        .find(|g| g.guest.nationality == "CHN")
        .expect("a Chinese guest");
    assert_eq!(
        chinese.guest.other_names.len(),
        2,
        "Hán and Sino-Vietnamese forms"
    );
    let late = guests
        .iter()
        .filter(|g| {
            g.declared_at
                .is_some_and(|d| d > deadline(g.check_in, g.guest.nationality != "VNM"))
        })
        .count();
    let missing = guests.iter().filter(|g| g.declared_at.is_none()).count();
    assert!((150..=400).contains(&late), "late {late}");
    assert!((20..=150).contains(&missing), "missing {missing}");
    assert!(
        guests.iter().any(|g| g.check_out.is_none()),
        "someone is still staying"
    );
}

#[test]
fn wanted_groups_and_names_hang_together() {
    let records = sample(4);
    let mut wanted = 0;
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    let mut kinds = BTreeSet::new();
    for r in &records {
        match r {
            Record::Wanted(w) => {
                let first = w.history.first().expect("history");
                assert_eq!(first.status, WantedStatus::Wanted);
                assert_eq!(crate::domain::time::local_date(first.at), w.decision_date);
                assert_eq!(w.history.last().map(|h| h.status), Some(w.status));
                assert!(w.history.windows(2).all(|p| p[0].at < p[1].at), "{}", w.id);
                wanted += usize::from(w.status == WantedStatus::Wanted);
            }
            Record::Group(g) => {
                assert!((3..=8).contains(&g.members.len()), "{}", g.id);
                assert_eq!(
                    g.members
                        .iter()
                        .filter(|m| m.role == MemberRole::Leader)
                        .count(),
                    1
                );
                kinds.insert(g.kind);
            }
            Record::Person(p) => *names.entry(p.full_name.as_str()).or_insert(0) += 1,
            _ => {}
        }
    }
    assert!((210..=270).contains(&wanted), "active notices {wanted}");
    assert_eq!(kinds.len(), GroupKind::ALL.len());
    assert!(names.values().any(|&n| n >= 3), "common names must collide");
}

#[test]
fn rosters_keep_the_rules_except_the_two_planted_breaches() {
    let records = sample(5);
    let roster: Vec<&Assignment> = records
        .iter()
        .filter_map(|r| match r {
            Record::Assignment(a) => Some(a),
            _ => None,
        })
        .collect();
    let start = |a: &Assignment| {
        let hours = if a.shift == Shift::Day { 7 } else { 19 };
        super::at_local(a.date, hours * 3600 + 1800)
    };
    for c in 1..=3 {
        let camp = RecordId::new(Kind::Campaign, c);
        let rows: Vec<&&Assignment> = roster.iter().filter(|a| a.campaign_id == camp).collect();
        let officers: BTreeSet<_> = rows.iter().map(|a| a.officer_id).collect();
        assert_eq!(officers.len(), 60);
        let mut per_shift = BTreeSet::new();
        let mut leaders: BTreeMap<_, usize> = BTreeMap::new();
        for a in &rows {
            assert!(
                per_shift.insert((a.date, a.shift == Shift::Night, a.officer_id)),
                "twice in a shift"
            );
            if a.role == AssignmentRole::Leader {
                *leaders
                    .entry((a.date, a.shift == Shift::Night, a.post.clone()))
                    .or_insert(0) += 1;
            }
        }
        assert_eq!(leaders.len(), 14 * 2 * 5);
        assert!(leaders.values().all(|&n| n == 1));
        let mut short_rests = 0;
        for o in &officers {
            let mut starts: Vec<Instant> = rows
                .iter()
                .filter(|a| a.officer_id == *o)
                .map(|a| start(a))
                .collect();
            starts.sort();
            short_rests += starts
                .windows(2)
                .filter(|w| w[1] - w[0] < Duration::hours(24))
                .count();
        }
        assert_eq!(short_rests, if c == 3 { 2 } else { 0 }, "campaign {c}");
    }
}

#[test]
fn scale_streams_valid_chunks() {
    for (persons, n_est) in [(2000, 80), (12_345, 80)] {
        let mut seen: BTreeSet<RecordId> = BTreeSet::new();
        let mut counts: BTreeMap<Kind, u64> = BTreeMap::new();
        scale(persons, persons, 1, &mut |chunk| {
            assert!(!chunk.is_empty() && chunk.len() <= 10_000);
            for r in &chunk {
                for (field, target) in r.references() {
                    assert!(seen.contains(&target), "{}.{field} -> {target}", r.id());
                }
                if let Record::Person(p) = r {
                    assert!(p.id_doc.as_ref().is_none_or(is_reserved));
                }
                *counts.entry(r.kind()).or_insert(0) += 1;
                assert_eq!(r.id().num(), counts[&r.kind()], "numbered 1..");
            }
            seen.extend(chunk.iter().map(Record::id));
            Ok(())
        })
        .expect("scale");
        let expected = [
            (Kind::Officer, 60),
            (Kind::Person, persons),
            (Kind::Establishment, n_est),
            (Kind::GuestStay, persons),
        ];
        assert_eq!(counts, expected.into_iter().collect());
    }
}

#[test]
fn the_desk_log_and_handovers_fit_the_shifts() {
    let records = sample(6);
    let mut at_posts = BTreeSet::new();
    let mut log_times = BTreeMap::new();
    let mut corrections = 0;
    for r in &records {
        match r {
            Record::Assignment(a) if a.date >= super::days_back(3) => {
                at_posts.insert(a.officer_id);
            }
            Record::DutyLog(l) => {
                if let Some(c) = l.corrects {
                    assert!(
                        log_times.get(&c).is_some_and(|t| *t <= l.at),
                        "{} corrects {c}",
                        l.id
                    );
                    corrections += 1;
                }
                log_times.insert(l.id, l.at);
            }
            Record::Handover(h) => {
                let start = crate::domain::time::format_instant(h.shift_start);
                assert!(
                    start.contains("T07:30:00") || start.contains("T19:30:00"),
                    "{start}"
                );
                assert_eq!(h.shift_end - h.shift_start, Duration::hours(12));
                assert!(
                    !at_posts.contains(&h.from_officer),
                    "desk officer also at a post"
                );
            }
            _ => {}
        }
    }
    assert_eq!(log_times.len(), 300);
    assert!(corrections >= 3, "corrections {corrections}");
}

#[test]
fn the_sample_inspects_the_standard_check_items() {
    for (item, _) in super::inspections::ITEMS {
        assert!(
            crate::domain::lodging::CHECK_ITEMS
                .iter()
                .any(|(standard, _)| *standard == item),
            "{item} is not a standard check item"
        );
    }
}
