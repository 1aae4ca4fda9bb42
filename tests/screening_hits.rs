//! Screening in the service and on the command line: a declared guest who is a listed person
//! raises a hit in the same write; a pair is hit once; a new notice is screened against the
//! guests of the last 30 days; confirming needs the issuing agency's confirmation and every
//! step is kept; `trucban screen` screens a file without writing anything.

#![allow(clippy::panic)]

mod common;
use common::engine;

use chrono::{Duration, SubsecRound, Utc};
use trucban::domain::screening::Band;
use trucban::domain::*;
use trucban::service::{DeskApi, ImportSource, LocalDesk, ServiceError};

fn seeded(dir: &std::path::Path) -> LocalDesk {
    let desk = LocalDesk::over(
        engine::open(dir, Utc::now()),
        trucban::domain::Clock::system(),
    );
    desk.load(&trucban::sample::sample(20261115))
        .expect("sample");
    desk
}

/// An active, especially dangerous notice and its person.
fn listed(desk: &LocalDesk) -> (WantedNotice, Person) {
    for record in desk.store().scan(Kind::Wanted) {
        if let Ok(Record::Wanted(w)) = record
            && w.status.is_active()
            && w.danger == Danger::EspeciallyDangerous
            && let Ok(Some(Record::Person(p))) = desk.get(w.person_id)
            && p.birth.is_some()
        {
            return (w, p);
        }
    }
    panic!("the sample has an especially dangerous wanted person");
}

fn any_establishment(desk: &LocalDesk) -> RecordId {
    match desk.store().scan(Kind::Establishment).next() {
        Some(Ok(r)) => r.id(),
        other => panic!("an establishment: {other:?}"),
    }
}

/// A guest declaring `person`'s identity (name without marks), checked in `days_ago`.
fn guest_like(person: &Person, establishment: RecordId, days_ago: i64) -> GuestStay {
    let check_in = (Utc::now() - Duration::days(days_ago)).trunc_subsecs(0);
    GuestStay {
        id: RecordId::new(Kind::GuestStay, 0),
        establishment_id: establishment,
        guest: GuestIdentity {
            full_name: trucban::domain::text::fold(&person.full_name),
            other_names: Vec::new(),
            birth: person.birth,
            gender: person.gender,
            id_doc: None,
            nationality: person.nationality.clone(),
        },
        check_in,
        check_out: None,
        room: Some("101".into()),
        declared_at: Some(check_in),
    }
}

fn hits_of(desk: &LocalDesk, guest: RecordId) -> Vec<Hit> {
    desk.store()
        .scan(Kind::Hit)
        .filter_map(|r| match r {
            Ok(Record::Hit(h)) if h.guest_stay_id == guest => Some(h),
            _ => None,
        })
        .collect()
}

#[test]
fn a_guest_who_is_a_listed_person_raises_one_alert_with_its_reasons() {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = seeded(dir.path());
    let (notice, person) = listed(&desk);
    let guest = desk
        .save(Record::GuestStay(guest_like(
            &person,
            any_establishment(&desk),
            0,
        )))
        .expect("save");
    let hits = hits_of(&desk, guest);
    let hit = hits
        .iter()
        .find(|h| h.listed_id == notice.id)
        .unwrap_or_else(|| panic!("no hit on {}: {hits:?}", notice.id));
    assert_eq!(hit.band, Band::Alert);
    assert!(hit.score >= 0.7 && hit.score <= 1.0);
    assert!(hit.especially_dangerous);
    assert_eq!(hit.deadline - hit.found_at, Duration::minutes(10));
    let codes: Vec<&str> = hit.reasons.iter().map(|r| r.code()).collect();
    assert!(
        codes.contains(&"name_aligned") && codes.contains(&"dob_equal"),
        "{codes:?}"
    );

    // Saving the same stay again (a correction) does not raise the pair again.
    let Some(Record::GuestStay(mut stay)) = desk.get(guest).expect("get") else {
        panic!("the stay");
    };
    stay.room = Some("102".into());
    desk.save(Record::GuestStay(stay)).expect("save again");
    assert_eq!(hits_of(&desk, guest).len(), hits.len());
}

#[test]
fn a_new_notice_is_screened_against_the_guests_of_the_last_30_days() {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = seeded(dir.path());
    let (notice, person) = listed(&desk);
    let place = any_establishment(&desk);
    // A person nobody lists yet, under a rare name, and two guests who are them.
    let mut newcomer = person.clone();
    newcomer.id = RecordId::new(Kind::Person, 0);
    newcomer.full_name = "Thào Mí Chứ".into();
    newcomer.aliases.clear();
    newcomer.id_doc = None;
    let newcomer_id = desk.save(Record::Person(newcomer.clone())).expect("person");
    newcomer.id = newcomer_id;
    let recent = desk
        .save(Record::GuestStay(guest_like(&newcomer, place, 10)))
        .expect("recent guest");
    let old = desk
        .save(Record::GuestStay(guest_like(&newcomer, place, 40)))
        .expect("old guest");
    assert!(hits_of(&desk, recent).is_empty(), "not listed yet");

    let mut new_notice = notice.clone();
    new_notice.id = RecordId::new(Kind::Wanted, 0);
    new_notice.person_id = newcomer_id;
    new_notice.group_id = None;
    let new_notice = desk.save(Record::Wanted(new_notice)).expect("notice");
    let hits = hits_of(&desk, recent);
    assert!(hits.iter().any(|h| h.listed_id == new_notice), "{hits:?}");
    assert!(
        hits_of(&desk, old).is_empty(),
        "40 days ago is outside the window"
    );

    // Cancelled, then wanted again: the pair is not raised a second time.
    for status in [WantedStatus::Cancelled, WantedStatus::Wanted] {
        desk.change_wanted_status(new_notice, status, "test", None, Utc::now())
            .expect("status");
    }
    assert_eq!(hits_of(&desk, recent).len(), hits.len());
}

#[test]
fn confirming_needs_the_agency_and_every_step_is_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = seeded(dir.path());
    let (_, person) = listed(&desk);
    let guest = desk
        .save(Record::GuestStay(guest_like(
            &person,
            any_establishment(&desk),
            0,
        )))
        .expect("save");
    let hit = hits_of(&desk, guest)[0].id;
    let officer = match desk.store().scan(Kind::Officer).next() {
        Some(Ok(r)) => r.id(),
        other => panic!("an officer: {other:?}"),
    };
    let now = Utc::now().trunc_subsecs(0);
    let step = |outcome, by: Option<&str>| HitStep {
        at: now,
        officer_id: officer,
        outcome,
        confirmed_by: by.map(str::to_string),
        confirmed_at: by.map(|_| now - Duration::minutes(2)),
        note: String::new(),
    };
    let refused = desk.add_hit_step(hit, step(HitOutcome::Confirmed, None));
    assert!(matches!(refused, Err(ServiceError::Rule(_))), "{refused:?}");
    desk.add_hit_step(hit, step(HitOutcome::Escalated, None))
        .expect("escalate");
    desk.add_hit_step(
        hit,
        step(HitOutcome::Confirmed, Some("Đại úy Lò Văn Minh, PC02")),
    )
    .expect("confirm");
    assert!(
        desk.add_hit_step(hit, step(HitOutcome::NotThePerson, None))
            .is_err()
    );
    let Some(Record::Hit(h)) = desk.get(hit).expect("get") else {
        panic!("the hit");
    };
    let outcomes: Vec<HitOutcome> = h.steps.iter().map(|s| s.outcome).collect();
    assert_eq!(outcomes, [HitOutcome::Escalated, HitOutcome::Confirmed]);
    assert!(!h.is_open());

    // Officers and the queue: the import of hits round-trips through export.
    let csv = desk
        .export(Kind::Hit, trucban::service::Format::Csv)
        .expect("export");
    let report = desk
        .import(
            Kind::Hit,
            &ImportSource {
                name: "hits.csv".into(),
                bytes: csv,
                format: trucban::service::Format::Csv,
                on_disk: None,
            },
        )
        .expect("import back");
    assert_eq!(report.created, 0);
}

#[test]
fn screen_prints_one_object_per_row_and_writes_nothing() {
    let desk = common::Desk::new();
    desk.ok(&["seed", "--sample"]);
    let wanted = desk.ok(&["export", "wanted", "--format", "json"]);
    let wanted: serde_json::Value = serde_json::from_str(&wanted).expect("json");
    let row = wanted
        .as_array()
        .and_then(|rows| {
            rows.iter().find(|r| {
                r["status"] == "wanted"
                    && r["date_of_birth"].as_str().is_some_and(|d| d.len() == 10)
            })
        })
        .expect("an active notice with a full date of birth")
        .clone();
    let name = row["full_name"].as_str().expect("name");
    let dob = row["date_of_birth"].as_str().expect("dob");
    let establishments = desk.ok(&["export", "establishments"]);
    let place = establishments
        .lines()
        .nth(1)
        .and_then(|l| l.split(',').next())
        .expect("an establishment");
    let file = desk.write(
        "guests.csv",
        format!(
            "establishment_id,full_name,date_of_birth,gender,id_number,nationality,check_in,check_out,room,declared_at\n\
             {place},Ma Văn Không Có,1950,male,,VNM,2026-11-26 20:00,,1,2026-11-26 20:30\n\
             {place},{},{dob},{},,VNM,2026-11-26 21:00,,2,2026-11-26 21:30\n",
            trucban::domain::text::fold(name),
            row["gender"].as_str().expect("gender"),
        )
        .as_bytes(),
    );
    let before = desk.stats();
    let out = desk.ok(&["screen", file.to_str().expect("path"), "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&out).expect("json");
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), 2);
    // Lines of the file, as import's problems count them (the header is line 1).
    assert_eq!(rows[0]["line"], 2);
    assert_eq!(rows[0]["hits"], serde_json::json!([]));
    assert_eq!(rows[1]["line"], 3);
    let hit = &rows[1]["hits"][0];
    for key in [
        "list",
        "record_id",
        "person_name",
        "score",
        "band",
        "reasons",
    ] {
        assert!(!hit[key].is_null(), "{key} missing: {hit}");
    }
    assert_eq!(hit["list"], "wanted");
    assert_eq!(hit["record_id"], row["id"]);
    assert_eq!(hit["band"], "alert");
    assert!(hit["reasons"].as_array().is_some_and(|r| !r.is_empty()));
    assert_eq!(desk.stats(), before, "screen writes nothing");

    // A bad row: every problem by file, line and column; nothing screened, exit 2.
    let bad = desk.write(
        "bad.csv",
        format!(
            "establishment_id,full_name,date_of_birth,gender,id_number,nationality,check_in,check_out,room,declared_at\n\
             {place},Ma Văn A,31/02/1990,male,,VNM,2026-11-26 20:00,,1,\n"
        )
        .as_bytes(),
    );
    let out = desk.run(&["screen", bad.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csv:2: column date_of_birth"), "{err}");
    assert!(err.contains("nothing was screened"), "{err}");

    // Importing the same file screens it and says so.
    let out = desk.ok(&["import", "guests", file.to_str().expect("path")]);
    assert!(
        out.contains("possible hit(s)") && out.contains("alert"),
        "{out}"
    );
}
