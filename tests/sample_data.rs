//! The committed sample under data/ is exactly what the seeded generator makes, is fictional
//! by construction (reserved identity ranges), and `seed --sample` brings its timeline to now.

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use chrono::{Duration, Utc};
use trucban::domain::time::local_date;
use trucban::domain::{IdKind, Kind, Record};

#[test]
fn committed_files_equal_the_generator_output() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for (file, bytes) in
        trucban::cli::sample_files(trucban::cli::SAMPLE_SEED).expect("the sample exports")
    {
        let committed = std::fs::read(root.join(&file)).unwrap_or_default();
        assert!(
            committed == bytes,
            "data/{file} is stale: run `cargo run -- write-sample data`"
        );
    }
}

#[test]
fn identity_numbers_come_from_the_reserved_ranges() {
    let records = trucban::cli::sample_records(Utc::now()).expect("sample");
    let docs = records.iter().filter_map(|r| match r {
        Record::Person(p) => p.id_doc.clone(),
        Record::GuestStay(g) => g.guest.id_doc.clone(),
        _ => None,
    });
    let mut n = 0;
    for doc in docs {
        n += 1;
        let reserved = match doc.kind {
            IdKind::Cccd => doc.number.starts_with("999"),
            IdKind::Cmnd => doc.number.starts_with("000"),
            _ => doc.number.starts_with("ZZ"),
        };
        assert!(
            reserved,
            "{:?} {} is outside the reserved fictional ranges",
            doc.kind, doc.number
        );
    }
    assert!(n > 4000, "only {n} identity documents");
}

#[test]
fn the_sample_timeline_ends_now() {
    let now = Utc::now();
    let records = trucban::cli::sample_records(now).expect("sample");
    let latest = records
        .iter()
        .filter_map(|r| match r {
            Record::GuestStay(g) => Some(g.check_in),
            Record::DutyLog(l) => Some(l.at),
            _ => None,
        })
        .max()
        .expect("timed records");
    // Moved by whole shifts: its end is within one shift before now (and its last entry a
    // little before its end).
    assert!(
        latest <= now && now - latest < Duration::hours(13),
        "latest {latest} vs now {now}"
    );
    let today = local_date(now);
    let on_roster_today = records
        .iter()
        .any(|r| matches!(r, Record::Assignment(a) if a.date == today));
    assert!(
        on_roster_today,
        "the current campaign has nobody rostered today"
    );
}

#[test]
fn seed_fills_an_empty_store_and_refuses_a_full_one() {
    let desk = common::Desk::new();
    let out = desk.ok(&["seed", "--sample"]);
    assert!(
        out.contains("records of the fictional sample loaded"),
        "{out}"
    );
    let stats = desk.stats();
    for kind in [Kind::Wanted, Kind::GuestStay, Kind::Assignment] {
        assert!(
            !stats.contains(&format!("\"{}\":0", kind.name())),
            "{stats}"
        );
    }
    let again = desk.run(&["seed", "--sample"]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(desk.stats(), stats);
}

/// Bug 6 of issue 16: whatever the hour the demo starts, the sample's handovers are those of
/// the configured shifts (07:30 and 19:30), nothing in it lies after now, and the sheet of a
/// shift says whether it is under way or ended without a handover.
#[test]
fn the_sample_handovers_line_up_with_the_configured_shifts() {
    use trucban::domain::shifts::ShiftPlan;
    use trucban::domain::time::to_local;
    let plan = ShiftPlan::default();
    let base = trucban::domain::time::parse_instant("2026-12-02 00:10").expect("time");
    // Every 35 minutes over a day: every part of a shift, both shifts.
    for step in 0..(24 * 60 / 35) {
        let now = base + Duration::minutes(35 * step);
        let records = trucban::cli::sample_records(now).expect("sample");
        let mut handovers = 0;
        for record in &records {
            match record {
                Record::Handover(h) => {
                    handovers += 1;
                    let start = to_local(h.shift_start).format("%H:%M").to_string();
                    assert!(
                        start == "07:30" || start == "19:30",
                        "at {now}: {} starts {start}",
                        h.id
                    );
                    assert_eq!(
                        plan.shift_at(h.shift_start).start,
                        h.shift_start,
                        "at {now}: {} is not a configured shift",
                        h.id
                    );
                    assert!(h.signed_at.is_none_or(|t| t <= now), "at {now}: {}", h.id);
                }
                Record::DutyLog(l) => assert!(l.at <= now, "at {now}: {} after now", l.id),
                Record::GuestStay(g) => assert!(g.check_in <= now, "at {now}: {}", g.id),
                _ => {}
            }
        }
        assert!(handovers > 0, "at {now}: no handover");
    }
}
