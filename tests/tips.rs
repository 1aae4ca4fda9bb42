//! Tips and the duty log: the 20-day verification deadline (configurable), extensions kept
//! and moving it later, overdue tips at a fixed clock; the informant stored apart, readable
//! only by the officers named on it and never in exports, the search index or another
//! officer's detail; duty-log entries never rewritten, corrected by new entries.

#![allow(clippy::panic)]

mod common;
use common::engine;

use trucban::domain::time::parse_instant;
use trucban::domain::*;
use trucban::service::{DeskApi, Format, ImportSource, LocalDesk, ServiceError, TipStep};

fn at(text: &str) -> Instant {
    parse_instant(text).expect("time")
}

fn officer(n: u64) -> Officer {
    Officer {
        id: RecordId::new(Kind::Officer, n),
        badge_no: format!("LC-{n:04}"),
        full_name: format!("Cán bộ số {n}"),
        rank: "Thượng úy".into(),
        unit: "Công an tỉnh Lai Châu".into(),
        role: OfficerRole::Duty,
    }
}

const INFORMANT: &str = "Vàng Thị Mỷ";

struct Fixture {
    _dir: tempfile::TempDir,
    desk: LocalDesk,
}

fn fixture(rules: TipRules) -> Fixture {
    let dir = tempfile::tempdir().expect("temp");
    let desk = LocalDesk::over(
        engine::open(dir.path(), at("2026-11-01 00:00")),
        trucban::domain::Clock::fixed(at("2026-11-01 00:00")),
    )
    .with_tip_rules(rules);
    desk.load(&[
        Record::Officer(officer(1)),
        Record::Officer(officer(2)),
        Record::Officer(officer(3)),
    ])
    .expect("officers");
    Fixture { _dir: dir, desk }
}

fn new_tip(received: &str, place: &str) -> Tip {
    Tip {
        id: RecordId::new(Kind::Tip, 0),
        received_at: at(received),
        channel: TipChannel::Phone,
        content: "Nghi vận chuyển ma túy qua đường mòn".into(),
        place: place.into(),
        taken_by: RecordId::new(Kind::Officer, 1),
        verifier: Some(RecordId::new(Kind::Officer, 2)),
        status: TipStatus::Received,
        first_deadline: Instant::UNIX_EPOCH,
        extensions: Vec::new(),
        settled_at: None,
    }
}

fn informant() -> Informant {
    Informant {
        name: INFORMANT.into(),
        contact: "0912 000 111".into(),
        note: String::new(),
        officers: vec![
            RecordId::new(Kind::Officer, 1),
            RecordId::new(Kind::Officer, 2),
        ],
    }
}

fn tip(desk: &LocalDesk, id: RecordId) -> Tip {
    match desk.get(id) {
        Ok(Some(Record::Tip(t))) => t,
        other => panic!("{id}: {other:?}"),
    }
}

#[test]
fn a_tip_is_due_twenty_days_after_receipt_and_extensions_move_it_later() {
    let f = fixture(TipRules::default());
    let id = f
        .desk
        .save_tip(new_tip("2026-11-01 09:30", "xã Dào San"), None)
        .expect("saved");
    assert_eq!(id.to_string(), "TB-000001");
    assert_eq!(tip(&f.desk, id).deadline(), at("2026-11-21 09:30"));

    let extension = |deadline: &str, reason: &str| TipStep {
        status: TipStatus::Verifying,
        verifier: None,
        extension: Some(TipExtension {
            at: at("2026-11-20 08:00"),
            officer_id: RecordId::new(Kind::Officer, 2),
            new_deadline: at(deadline),
            reason: reason.into(),
        }),
    };
    let err = f
        .desk
        .tip_step(id, extension("2026-11-15 00:00", "sớm hơn"))
        .expect_err("earlier");
    assert!(
        err.to_string()
            .contains("is not after the deadline in force"),
        "{err}"
    );
    f.desk
        .tip_step(id, extension("2026-12-21 09:30", "vụ việc phức tạp"))
        .expect("extended");
    let extended = tip(&f.desk, id);
    assert_eq!(extended.deadline(), at("2026-12-21 09:30"));
    assert_eq!(extended.first_deadline, at("2026-11-21 09:30"), "kept");
    assert_eq!(extended.status, TipStatus::Verifying);
    assert_eq!(
        extended.verifier,
        Some(RecordId::new(Kind::Officer, 2)),
        "kept"
    );

    // An extension is never removed, and the first deadline never changed, through save.
    let mut dropped = extended.clone();
    dropped.extensions.clear();
    let err = f.desk.save_tip(dropped, None).expect_err("dropped");
    // (Extensions are written by tip_step alone; save_tip carries the stored ones.)
    assert!(err.to_string().contains("tip_step"), "{err}");
    let mut moved = extended.clone();
    moved.first_deadline = at("2027-01-01 00:00");
    assert!(f.desk.save(Record::Tip(moved)).is_err());
    assert_eq!(tip(&f.desk, id), extended);
}

#[test]
fn the_deadline_follows_the_tips_configuration() {
    let f = fixture(TipRules { verify_days: 30 });
    let id = f
        .desk
        .save_tip(new_tip("2026-11-01 09:30", "xã Mù Cả"), None)
        .expect("saved");
    assert_eq!(tip(&f.desk, id).deadline(), at("2026-12-01 09:30"));
}

#[test]
fn overdue_and_received_tips_at_a_fixed_clock() {
    let f = fixture(TipRules::default());
    let old = f
        .desk
        .save_tip(new_tip("2026-10-01 08:00", "A"), None)
        .expect("old");
    let older = f
        .desk
        .save_tip(new_tip("2026-09-20 08:00", "B"), None)
        .expect("older");
    let recent = f
        .desk
        .save_tip(new_tip("2026-11-10 08:00", "C"), None)
        .expect("recent");
    let closed = f
        .desk
        .save_tip(new_tip("2026-09-01 08:00", "D"), None)
        .expect("closed");
    f.desk
        .tip_step(
            closed,
            TipStep {
                status: TipStatus::Closed,
                verifier: None,
                extension: None,
            },
        )
        .expect("closed");
    let now = at("2026-11-25 12:00");
    let overdue: Vec<RecordId> = f
        .desk
        .tips_overdue(now)
        .expect("overdue")
        .iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(
        overdue,
        vec![older, old],
        "longest overdue first; closed and recent left out"
    );
    // Due exactly at the instant: not yet overdue.
    assert!(
        f.desk
            .tips_overdue(at("2026-10-21 08:00"))
            .expect("o")
            .iter()
            .all(|t| t.id != old)
    );
    assert!(
        f.desk
            .tips_overdue(at("2026-10-21 08:00:01"))
            .expect("o")
            .iter()
            .any(|t| t.id == old)
    );
    let received: Vec<RecordId> = f
        .desk
        .tips_received(at("2026-09-20 08:00"), at("2026-11-10 08:00"))
        .expect("window")
        .iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(received, vec![older, old], "[from, to)");
    let _ = recent;
}

#[test]
fn the_informant_is_read_only_by_officers_named_on_it() {
    let f = fixture(TipRules::default());
    let id = f
        .desk
        .save_tip(new_tip("2026-11-01 09:30", "xã Dào San"), Some(informant()))
        .expect("saved");
    let named = f
        .desk
        .informant(id, RecordId::new(Kind::Officer, 2))
        .expect("named officer reads");
    assert_eq!(named.name, INFORMANT);
    let Err(ServiceError::Refused(message)) = f.desk.informant(id, RecordId::new(Kind::Officer, 3))
    else {
        panic!("an officer not named must be refused");
    };
    assert!(
        message.en.contains("restricted")
            && !message.en.contains(INFORMANT)
            && !message.vi.contains(INFORMANT),
        "{message}"
    );
    // Not in the tip record itself.
    let stored = serde_json::to_string(&f.desk.get(id).expect("get")).expect("json");
    assert!(
        !stored.contains(INFORMANT) && !stored.contains("0912"),
        "{stored}"
    );

    // The detail: the named officer sees it, another officer and no officer do not.
    let lang = trucban::i18n::Lang::Vi;
    let shown = |reader: Option<RecordId>| {
        let detail =
            trucban::app::present::detail_for(&f.desk, id, lang, reader, at("2026-11-02 00:00"))
                .expect("detail");
        format!("{:?}", detail)
    };
    assert!(shown(Some(RecordId::new(Kind::Officer, 1))).contains(INFORMANT));
    assert!(!shown(Some(RecordId::new(Kind::Officer, 3))).contains(INFORMANT));
    assert!(!shown(None).contains(INFORMANT));

    // A later save without an informant keeps it; a status change keeps it too.
    f.desk.save_tip(tip(&f.desk, id), None).expect("resaved");
    assert_eq!(
        f.desk
            .informant(id, RecordId::new(Kind::Officer, 1))
            .expect("kept")
            .name,
        INFORMANT
    );
}

#[test]
fn the_informant_is_never_exported_nor_searchable() {
    let f = fixture(TipRules::default());
    let id = f
        .desk
        .save_tip(new_tip("2026-11-01 09:30", "xã Dào San"), Some(informant()))
        .expect("saved");
    for format in [Format::Csv, Format::Json] {
        let bytes = f.desk.export(Kind::Tip, format).expect("export");
        let text = String::from_utf8(bytes).expect("utf-8");
        assert!(
            text.contains("TB-000001") && text.contains("Dào San"),
            "{text}"
        );
        assert!(
            !text.contains(INFORMANT) && !text.contains("0912"),
            "{text}"
        );
        assert!(!text.to_lowercase().contains("informant"), "{text}");
    }
    // Every collection's export, not only tips.
    for kind in Kind::ALL {
        let text =
            String::from_utf8(f.desk.export(kind, Format::Json).expect("export")).expect("utf-8");
        assert!(!text.contains(INFORMANT), "{kind}");
    }
    f.desk.prepare_search().expect("index");
    for query in [INFORMANT, "Vang Thi My", "0912"] {
        let hits = f
            .desk
            .search(query, None, 50, trucban::i18n::Lang::Vi)
            .expect("search");
        assert!(hits.is_empty(), "{query}: {hits:?}");
    }
    // The export reads back into a store as the same tip, without an informant.
    let exported = f.desk.export(Kind::Tip, Format::Csv).expect("export");
    let g = fixture(TipRules::default());
    g.desk
        .import(
            Kind::Tip,
            &ImportSource {
                name: "tips.csv".into(),
                bytes: exported,
                format: Format::Csv,
                on_disk: None,
            },
        )
        .expect("import");
    assert_eq!(tip(&g.desk, id), tip(&f.desk, id));
    assert!(
        g.desk
            .informant(id, RecordId::new(Kind::Officer, 1))
            .is_err()
    );
}

#[test]
fn trucban_export_tips_carries_no_informant() {
    let cli = common::Desk::new();
    {
        let dir = cli.path().join("data");
        let desk = LocalDesk::over(
            engine::open(&dir, at("2026-11-01 00:00")),
            trucban::domain::Clock::fixed(at("2026-11-01 00:00")),
        );
        desk.load(&[Record::Officer(officer(1)), Record::Officer(officer(2))])
            .expect("officers");
        desk.save_tip(new_tip("2026-11-01 09:30", "xã Dào San"), Some(informant()))
            .expect("saved");
    }
    for format in ["csv", "json"] {
        let out = cli.ok(&["export", "tips", "--format", format]);
        assert!(out.contains("TB-000001"), "{out}");
        assert!(!out.contains(INFORMANT) && !out.contains("0912"), "{out}");
    }
}

#[test]
fn log_entries_are_never_changed_and_corrections_point_at_them() {
    let f = fixture(TipRules::default());
    let entry = DutyLogEntry {
        id: RecordId::new(Kind::DutyLog, 0),
        at: at("2026-11-27 09:40"),
        officer_id: RecordId::new(Kind::Officer, 1),
        text: "Gọi cơ quan ra QĐ lúc 9:30".into(),
        record: None,
        corrects: None,
    };
    let first = f.desk.save(Record::DutyLog(entry.clone())).expect("entry");
    let mut edited = entry.clone();
    edited.id = first;
    edited.text = "Gọi cơ quan ra QĐ lúc 9:35".into();
    let err = f
        .desk
        .save(Record::DutyLog(edited.clone()))
        .expect_err("edit");
    assert!(matches!(err, ServiceError::Rule(_)));
    assert!(
        err.to_string()
            .contains("never rewritten: write a correction"),
        "{err}"
    );
    let Ok(Some(Record::DutyLog(kept))) = f.desk.get(first) else {
        panic!("kept")
    };
    assert_eq!(kept.text, entry.text);

    let correction = DutyLogEntry {
        corrects: Some(first),
        text: "Đính chính: gọi lúc 9:35".into(),
        ..entry.clone()
    };
    let second = f
        .desk
        .save(Record::DutyLog(correction))
        .expect("correction");
    let Ok(Some(Record::DutyLog(c))) = f.desk.get(second) else {
        panic!("correction")
    };
    assert_eq!((c.corrects, second.num()), (Some(first), 2));
    // A correction must point at a log entry.
    let wrong = DutyLogEntry {
        corrects: Some(RecordId::new(Kind::Officer, 1)),
        ..entry.clone()
    };
    assert!(f.desk.save(Record::DutyLog(wrong)).is_err());

    // Importing the log back unchanged passes; an import that changes an entry is refused.
    let exported = f.desk.export(Kind::DutyLog, Format::Csv).expect("export");
    let source = |bytes: Vec<u8>| ImportSource {
        name: "log.csv".into(),
        bytes,
        format: Format::Csv,
        on_disk: None,
    };
    f.desk
        .import(Kind::DutyLog, &source(exported.clone()))
        .expect("same");
    let changed = String::from_utf8(exported)
        .expect("utf-8")
        .replace("lúc 9:30", "lúc 9:31");
    let err = f
        .desk
        .import(Kind::DutyLog, &source(changed.into_bytes()))
        .expect_err("changed");
    assert!(err.to_string().contains("never rewritten"), "{err}");
}
