//! Store behaviour seen from outside: locking, schema versions, decode errors, indexes kept
//! in step with their records, and references refused atomically.

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use chrono::{NaiveDate, Utc};
use trucban::domain::*;
use trucban::service::{DeskApi, LocalDesk};
use trucban::store::{SledBackend, StoreError};

fn officer(n: u64) -> Record {
    Record::Officer(Officer {
        id: RecordId::new(Kind::Officer, n),
        badge_no: format!("LC-{n:05}"),
        full_name: "Tòng Văn Khánh".into(),
        rank: "Đại úy".into(),
        unit: "Phòng PC02".into(),
        role: OfficerRole::Duty,
    })
}

fn person(n: u64) -> Record {
    Record::Person(Person {
        id: RecordId::new(Kind::Person, n),
        full_name: "Giàng A Sử".into(),
        aliases: vec![],
        birth: Some(BirthDate::Year(1990)),
        gender: Gender::Male,
        ethnicity: Some("Mông".into()),
        nationality: "VNM".into(),
        id_doc: Some(IdDocument {
            kind: IdKind::Cccd,
            number: format!("9990123456{n:02}"),
        }),
        home_commune: Some("Thu Lũm".into()),
        former_district: Some("Mường Tè".into()),
        features: None,
    })
}

fn notice(n: u64, person: u64, status: WantedStatus) -> Record {
    Record::Wanted(WantedNotice {
        id: RecordId::new(Kind::Wanted, n),
        person_id: RecordId::new(Kind::Person, person),
        decision_no: format!("{n}/QĐ-CSĐT"),
        decision_date: NaiveDate::from_ymd_opt(2024, 3, 1).expect("date"),
        agency: Agency {
            name: "Cơ quan CSĐT Công an tỉnh Lai Châu".into(),
            address: None,
            phone: "0213 555 0100".into(),
        },
        signer: None,
        offence: Offence {
            article: Some("251".into()),
            name: "Mua bán trái phép chất ma túy".into(),
        },
        class: WantedClass::Special,
        danger: Danger::Dangerous,
        status,
        history: vec![],
        last_known_location: None,
        group_id: None,
        last_verified: None,
    })
}

#[test]
fn a_second_opener_is_told_who_holds_the_store() {
    let temp = tempfile::tempdir().expect("temp");
    let _first = SledBackend::open(temp.path(), Utc::now()).expect("first open");
    let Err(err) = SledBackend::open(temp.path(), Utc::now()) else {
        panic!("second open must fail")
    };
    let message = err.to_string();
    assert!(matches!(err, StoreError::Locked { .. }), "{message}");
    assert!(
        message.contains(&format!("process {}", std::process::id())),
        "{message}"
    );
    assert!(message.contains("trucban serve"), "{message}");
}

#[test]
fn a_second_cli_process_gets_a_clear_message() {
    let desk = common::Desk::new();
    let _held = SledBackend::open(&desk.path().join("data"), Utc::now()).expect("hold the store");
    let out = desk.run(&["stats"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("is in use by process"), "{stderr}");
    assert!(stderr.contains("Close that trucban first"), "{stderr}");
}

#[test]
fn indexes_follow_status_changes_and_references_are_checked() {
    let temp = tempfile::tempdir().expect("temp");
    let desk = LocalDesk::new(
        SledBackend::open(temp.path(), Utc::now()).expect("open"),
        trucban::domain::Clock::system(),
    );
    // A notice whose person does not exist is refused, and nothing of the batch is written.
    let err = desk
        .load(&[officer(1), notice(1, 7, WantedStatus::Wanted)])
        .expect_err("missing person");
    assert!(
        err.to_string()
            .contains("TN-000001: field person_id names DT-000007"),
        "{err}"
    );
    assert_eq!(
        desk.stats().expect("stats").count(Kind::Officer),
        0,
        "half a batch was written"
    );

    desk.load(&[
        officer(1),
        person(1),
        person(2),
        notice(1, 1, WantedStatus::Wanted),
        notice(2, 2, WantedStatus::Wanted),
    ])
    .expect("load");
    assert_eq!(
        desk.wanted_with_status(WantedStatus::Wanted)
            .expect("index")
            .len(),
        2
    );
    desk.change_wanted_status(
        RecordId::new(Kind::Wanted, 1),
        WantedStatus::Arrested,
        "bắt tại Ma Lù Thàng",
        Some(RecordId::new(Kind::Officer, 1)),
        Utc::now(),
    )
    .expect("change");
    let wanted = desk
        .wanted_with_status(WantedStatus::Wanted)
        .expect("index");
    let arrested = desk
        .wanted_with_status(WantedStatus::Arrested)
        .expect("index");
    assert_eq!(
        wanted.iter().map(Record::id).collect::<Vec<_>>(),
        vec![RecordId::new(Kind::Wanted, 2)]
    );
    assert_eq!(
        arrested.iter().map(Record::id).collect::<Vec<_>>(),
        vec![RecordId::new(Kind::Wanted, 1)]
    );
    let Some(Record::Wanted(n)) = desk.get(RecordId::new(Kind::Wanted, 1)).expect("get") else {
        panic!("notice")
    };
    assert_eq!(
        n.history.last().map(|h| (h.status, h.note.as_str())),
        Some((WantedStatus::Arrested, "bắt tại Ma Lù Thàng"))
    );
}

#[test]
fn ids_are_never_reused_after_reopening() {
    let temp = tempfile::tempdir().expect("temp");
    {
        let desk = LocalDesk::new(
            SledBackend::open(temp.path(), Utc::now()).expect("open"),
            trucban::domain::Clock::system(),
        );
        let mut o = officer(0);
        o.set_id(RecordId::new(Kind::Officer, 0));
        assert_eq!(
            desk.save(o.clone()).expect("save"),
            RecordId::new(Kind::Officer, 1)
        );
        assert_eq!(desk.save(o).expect("save"), RecordId::new(Kind::Officer, 2));
    }
    let desk = LocalDesk::new(
        SledBackend::open(temp.path(), Utc::now()).expect("reopen"),
        trucban::domain::Clock::system(),
    );
    assert_eq!(
        desk.save(officer(0)).expect("save"),
        RecordId::new(Kind::Officer, 3)
    );
}

#[test]
fn saving_text_with_an_escape_sequence_is_refused() {
    let temp = tempfile::tempdir().expect("temp");
    let desk = LocalDesk::new(
        SledBackend::open(temp.path(), Utc::now()).expect("open"),
        trucban::domain::Clock::system(),
    );
    desk.load(&[officer(1)]).expect("officer");
    let entry = Record::DutyLog(DutyLogEntry {
        id: RecordId::new(Kind::DutyLog, 0),
        at: Utc::now(),
        officer_id: RecordId::new(Kind::Officer, 1),
        text: "tin báo \u{1b}]52;c;ZXZpbA==\u{7}".into(),
        record: None,
        corrects: None,
    });
    let err = desk.save(entry).expect_err("must refuse");
    assert!(err.to_string().contains("U+001B"), "{err}");
    assert_eq!(desk.stats().expect("stats").count(Kind::DutyLog), 0);
}

/// Listing in ID order without a filter reads only the page, from either end, and still
/// gives the collection's size.
#[test]
fn a_list_in_id_order_pages_from_either_end() {
    use trucban::service::{ListQuery, SortBy};
    let temp = tempfile::tempdir().expect("temp");
    let desk = LocalDesk::new(
        SledBackend::open(temp.path(), Utc::now()).expect("open"),
        trucban::domain::Clock::system(),
    );
    desk.load(&(1..=7).map(officer).collect::<Vec<_>>())
        .expect("load");
    let ids = |query: ListQuery| {
        let page = desk.list(&query).expect("list");
        let ids: Vec<u64> = page.records.iter().map(|r| r.id().num()).collect();
        (ids, page.total)
    };
    let all = ListQuery::all(Kind::Officer);
    assert_eq!(ids(all.clone()), ((1..=7).collect(), 7));
    let page = |descending, offset, limit| ListQuery {
        descending,
        offset,
        limit,
        ..all.clone()
    };
    assert_eq!(ids(page(true, 0, 3)), (vec![7, 6, 5], 7));
    assert_eq!(ids(page(true, 5, 3)), (vec![2, 1], 7));
    assert_eq!(ids(page(false, 2, 2)), (vec![3, 4], 7));
    assert_eq!(ids(page(false, 0, 7)), ((1..=7).collect(), 7));
    assert_eq!(ids(page(true, 9, 3)), (vec![], 7));
    // Sorted by title, or filtered, it is the general path: same answers.
    let by_title = ListQuery {
        sort: SortBy::Title,
        ..page(true, 0, 3)
    };
    assert_eq!(ids(by_title).1, 7);
    let filtered = ListQuery {
        contains: Some("CB-000006".into()),
        ..all.clone()
    };
    assert_eq!(ids(filtered), (vec![6], 1));
}

#[test]
fn counts_follow_new_records_not_updates_and_survive_reopening() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SledBackend::open(dir.path(), Utc::now()).expect("open");
    assert_eq!(store.count(Kind::Person), 0);
    // The same person twice in one write, and an officer: two new records.
    store.put(&[person(1), person(1), officer(1)]).expect("put");
    store
        .put(&[person(1), person(2)])
        .expect("an update and one new");
    store.bulk_load(&[person(2), person(3)]).expect("bulk");
    // A write refused for a missing reference counts nothing.
    assert!(store.put(&[notice(1, 99, WantedStatus::Wanted)]).is_err());
    assert_eq!(store.count(Kind::Person), 3);
    assert_eq!(store.count(Kind::Officer), 1);
    assert_eq!(store.count(Kind::Wanted), 0);
    drop(store);
    let store = SledBackend::open(dir.path(), Utc::now()).expect("reopen");
    assert_eq!(store.count(Kind::Person), store.scan(Kind::Person).count());
    assert_eq!(store.count(Kind::Person), 3);
}
