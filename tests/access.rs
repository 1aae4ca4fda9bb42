//! Sessions over the sample store: each role's allowed and refused requests (refused in the
//! service, and audited), unknown users refused, restricted notes, the session lock and the
//! PIN lockout on a fake clock, one audit entry per action with every field, change entries
//! written with their change, and the audit chain caught when edited, cut or reordered.

#![allow(clippy::panic)]

mod engine;

use std::sync::{Arc, Mutex};

use trucban::domain::access::RestrictedNote;
use trucban::domain::audit::{AuditEntry, AuditQuery, Outcome};
use trucban::domain::time::parse_instant;
use trucban::domain::{Instant, Kind, Record, RecordId};
use trucban::service::session::{Clock, SessionDesk};
use trucban::service::{DeskApi, Format, ImportSource, LocalDesk, ServiceError};

fn at(text: &str) -> Instant {
    parse_instant(text).expect("time")
}

fn id(text: &str) -> RecordId {
    text.parse().expect("id")
}

const PIN: &str = "246810";

struct Fixture {
    dir: tempfile::TempDir,
    desk: LocalDesk,
    now: Arc<Mutex<Instant>>,
}

impl Fixture {
    fn new() -> Fixture {
        let now = at("2026-11-27 09:30");
        let dir = tempfile::tempdir().expect("temp");
        let desk = LocalDesk::over(
            engine::open(dir.path(), now),
            trucban::domain::Clock::fixed(now),
        );
        desk.load(&trucban::cli::sample_records(now).expect("sample"))
            .expect("load");
        // From the sample: CB-000001 admin, CB-000003 auditor, CB-000004 supervisor,
        // CB-000020 duty officer.
        for (user, officer) in [
            ("quang", "CB-000001"),
            ("panh", "CB-000003"),
            ("hung", "CB-000004"),
            ("dan", "CB-000020"),
        ] {
            desk.set_account(user, id(officer), Some(PIN.into()))
                .expect("account");
        }
        Fixture {
            dir,
            desk,
            now: Arc::new(Mutex::new(now)),
        }
    }

    fn clock(&self) -> Clock {
        let now = self.now.clone();
        Clock::from_fn(move || *now.lock().expect("clock"))
    }

    fn advance(&self, minutes: i64) {
        let mut now = self.now.lock().expect("clock");
        *now += chrono::Duration::minutes(minutes);
    }

    fn session(&self, user: &str) -> SessionDesk {
        SessionDesk::admit(&self.desk, user, self.clock()).expect("admitted")
    }

    fn audit(&self) -> Vec<AuditEntry> {
        self.desk
            .store()
            .audit_entries(&AuditQuery::default())
            .expect("audit")
    }
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> bool {
    matches!(r, Err(ServiceError::Forbidden(_)))
}

fn new_sighting(s: &SessionDesk) -> Record {
    let Some(Record::Sighting(mut sighting)) = s.get(id("PH-000001")).expect("get") else {
        panic!("sample sighting");
    };
    sighting.id = RecordId::new(Kind::Sighting, 0);
    // Left empty: the service fills in the session's officer.
    sighting.officer_id = RecordId::new(Kind::Officer, 0);
    sighting.note = "Tổ tuần tra ghi nhận lại".into();
    Record::Sighting(sighting)
}

fn changed_person(f: &Fixture) -> Record {
    let Some(Record::Person(mut p)) = f.desk.get(id("DT-000001")).expect("get") else {
        panic!("sample person");
    };
    p.features = Some("Sẹo ở cằm".into());
    Record::Person(p)
}

fn import_source() -> ImportSource {
    ImportSource {
        name: "sightings.csv".into(),
        bytes: "id,entry_id,at,place,officer_id,note\n,LD-000190,2026-11-27T08:00:00+07:00,Đèo Ô Quy Hồ (QL4D),CB-000020,Nhập từ tệp\n"
            .as_bytes()
            .to_vec(),
        format: Format::Csv,
        on_disk: None,
    }
}

#[test]
fn each_role_may_do_its_work_and_nothing_else() {
    let f = Fixture::new();
    let (duty, sup, admin, auditor) = (
        f.session("dan"),
        f.session("hung"),
        f.session("quang"),
        f.session("panh"),
    );
    let person = id("DT-000001");

    // Reading records: everyone but the auditor.
    for s in [&duty, &sup, &admin] {
        assert!(s.get(person).expect("read").is_some());
        assert!(
            !s.search("giang a su", None, 5, trucban::i18n::Lang::Vi)
                .is_err_and(|e| matches!(e, ServiceError::Forbidden(_)))
        );
    }
    assert!(forbidden(auditor.get(person)));
    assert!(forbidden(auditor.search(
        "giang",
        None,
        5,
        trucban::i18n::Lang::Vi
    )));

    // A sighting: the desk's own work (duty officer and supervisor).
    let sighting = new_sighting(&duty);
    assert!(duty.save(sighting.clone()).is_ok());
    assert!(sup.save(sighting.clone()).is_ok());
    assert!(forbidden(admin.save(sighting.clone())));
    assert!(forbidden(auditor.save(sighting)));

    // Editing a person: the supervisor only.
    assert!(forbidden(duty.save(changed_person(&f))));
    assert!(forbidden(admin.save(changed_person(&f))));
    assert!(sup.save(changed_person(&f)).is_ok());

    // Rosters: the supervisor only (the edit itself may be refused by the roster checks,
    // never by the role).
    let swap = trucban::service::roster::RosterEdit::Swap {
        first: id("PC-000001"),
        second: id("PC-000002"),
    };
    assert!(forbidden(duty.edit_roster(id("CB-000020"), swap.clone())));
    assert!(!forbidden(sup.edit_roster(id("CB-000004"), swap)));

    // Imports, exports and accounts: the administrator.
    assert!(forbidden(duty.import(Kind::Sighting, &import_source())));
    assert!(forbidden(sup.import(Kind::Sighting, &import_source())));
    assert!(admin.import(Kind::Sighting, &import_source()).is_ok());
    assert!(forbidden(duty.export(Kind::Person, Format::Csv)));
    assert!(admin.export(Kind::Person, Format::Csv).is_ok());
    assert!(forbidden(sup.set_account(
        "moi",
        id("CB-000021"),
        Some("135790".into())
    )));
    assert!(
        admin
            .set_account("moi", id("CB-000021"), Some("135790".into()))
            .is_ok()
    );

    // The audit: the auditor only.
    for s in [&duty, &sup, &admin] {
        assert!(forbidden(s.audit(&AuditQuery::default())));
        assert!(forbidden(s.audit_verify()));
    }
    assert!(
        !auditor
            .audit(&AuditQuery::default())
            .expect("audit")
            .is_empty()
    );
    assert_eq!(auditor.audit_verify().expect("verify").broken, None);

    // Every refusal above is in the audit, with the officer and the action.
    let refused: Vec<AuditEntry> = f
        .audit()
        .into_iter()
        .filter(|e| e.draft.outcome == Outcome::Refused)
        .collect();
    assert_eq!(refused.len(), 17, "{refused:#?}");
    assert!(refused.iter().all(|e| e.draft.officer.is_some()));
    assert!(
        refused
            .iter()
            .any(|e| e.draft.user == "panh" && e.draft.action == "search")
    );
}

#[test]
fn a_session_cannot_act_as_another_officer() {
    let f = Fixture::new();
    let duty = f.session("dan");
    let shift = trucban::domain::shifts::ShiftPlan::default().shift_at(at("2026-11-27 09:30"));
    let before = f.desk.stats().expect("stats");
    // Signed as someone else: refused, said in both languages, nothing written.
    let refused = duty
        .sign_handover(
            shift,
            id("CB-000004"),
            "Ca trực bình thường",
            at("2026-11-27 09:30"),
        )
        .expect_err("signing as another officer");
    assert!(matches!(refused, ServiceError::Rule(_)), "{refused:?}");
    assert!(refused.label(trucban::i18n::Lang::Vi).contains("CB-000004"));
    assert!(refused.label(trucban::i18n::Lang::En).contains("CB-000020"));
    assert_eq!(f.desk.stats().expect("stats"), before);
    // Left empty, the signer is the session's officer.
    let Record::Handover(h) = duty
        .sign_handover(
            shift,
            RecordId::new(Kind::Officer, 0),
            "Ca trực bình thường",
            at("2026-11-27 09:30"),
        )
        .expect("sign")
    else {
        panic!("handover");
    };
    assert_eq!(
        h.from_officer,
        id("CB-000020"),
        "signed as the session's officer"
    );
}

#[test]
fn unknown_users_are_refused_and_audited() {
    let f = Fixture::new();
    let r = SessionDesk::admit(&f.desk, "mallory", f.clock());
    assert!(matches!(r, Err(ServiceError::UnknownUser(_))));
    let last = f.audit().pop().expect("entry");
    assert_eq!(
        (
            last.draft.user.as_str(),
            last.draft.action.as_str(),
            last.draft.outcome
        ),
        ("mallory", "logon", Outcome::Refused)
    );
}

#[test]
fn a_restricted_note_is_read_only_by_the_officers_named_on_it() {
    let f = Fixture::new();
    let (duty, sup) = (f.session("dan"), f.session("hung"));
    let notice = id("TN-000001");
    let note = RestrictedNote {
        text: "Người làm chứng: Sùng Nhân Chứng Khẩu, 0213 555 0199".into(),
        officers: vec![id("CB-000004")],
        by: None,
        at: at("2026-11-27 09:30"),
    };
    assert!(forbidden(duty.set_restricted_note(notice, note.clone())));
    sup.set_restricted_note(notice, note).expect("set");
    assert!(
        sup.restricted_note(notice, None)
            .expect("read")
            .text
            .contains("Nhân Chứng Khẩu")
    );
    // Reading as someone else named on it is refused, as is reading as oneself.
    assert!(matches!(
        duty.restricted_note(notice, Some(id("CB-000004"))),
        Err(ServiceError::Rule(_))
    ));
    assert!(matches!(
        duty.restricted_note(notice, None),
        Err(ServiceError::Refused(_))
    ));
    // Never in an export, the search index, or the record itself.
    let admin = f.session("quang");
    for kind in Kind::ALL {
        let bytes = admin.export(kind, Format::Json).expect("export");
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Nhân Chứng Khẩu"),
            "{kind:?}"
        );
    }
    let hits = sup
        .search("nhan chung khau", None, 20, trucban::i18n::Lang::Vi)
        .expect("search");
    assert!(
        hits.iter().all(|h| !h.title.contains("Chứng Khẩu")),
        "{hits:?}"
    );
}

#[test]
fn the_lock_refuses_everything_until_the_pin_and_five_wrong_pins_lock_the_account() {
    let f = Fixture::new();
    let s = f.session("dan");
    s.lock().expect("lock");
    assert!(matches!(s.get(id("DT-000001")), Err(ServiceError::Locked)));
    assert!(matches!(
        s.search("giang", None, 5, trucban::i18n::Lang::Vi),
        Err(ServiceError::Locked)
    ));
    assert!(s.whoami().expect("whoami").locked);
    for _ in 0..4 {
        assert!(matches!(s.unlock("000000"), Err(ServiceError::Unlock(_))));
    }
    let fifth = s.unlock("000000");
    assert!(
        matches!(
            fifth,
            Err(ServiceError::Unlock(
                trucban::domain::access::UnlockRefused::LockedOut { .. }
            ))
        ),
        "{fifth:?}"
    );
    // The right PIN is refused while the account is locked out, also from a new session.
    assert!(s.unlock(PIN).is_err());
    let again = f.session("dan");
    again.lock().expect("lock");
    assert!(again.unlock(PIN).is_err());
    f.advance(10);
    s.unlock(PIN).expect("unlocked after 10 minutes");
    assert!(s.get(id("DT-000001")).is_ok());
}

#[test]
fn a_session_idle_past_the_maximum_locks_itself() {
    let f = Fixture::new();
    let s = f.session("dan");
    f.advance(29);
    assert!(s.get(id("DT-000001")).is_ok(), "29 minutes: still open");
    f.advance(31);
    assert!(matches!(s.get(id("DT-000001")), Err(ServiceError::Locked)));
    s.unlock(PIN).expect("unlock");
    assert!(s.get(id("DT-000001")).is_ok());
}

#[test]
fn every_action_leaves_exactly_one_entry_with_every_field() {
    let f = Fixture::new();
    let before = f.audit().len();
    let s = f.session("hung");
    let expect =
        |f: &Fixture, action: &str, record: Option<&str>, outcome: Outcome, seen: &mut usize| {
            let entries = f.audit();
            assert_eq!(
                entries.len(),
                *seen + 1,
                "one entry for {action}: {:#?}",
                &entries[*seen..]
            );
            let e = entries.last().expect("entry");
            assert_eq!(e.draft.action, action);
            assert_eq!(e.draft.user, "hung");
            assert_eq!(e.draft.officer, Some(id("CB-000004")));
            assert_eq!(e.draft.record, record.map(id));
            assert_eq!(e.draft.outcome, outcome);
            assert_eq!(e.draft.at, at("2026-11-27 09:30"));
            assert_eq!(e.hash.len(), 64);
            *seen += 1;
        };
    let mut seen = before;
    expect(&f, "logon", None, Outcome::Ok, &mut seen);
    s.get(id("DT-000001")).expect("get");
    expect(&f, "get", Some("DT-000001"), Outcome::Ok, &mut seen);
    s.search("giang a su", None, 5, trucban::i18n::Lang::Vi)
        .expect("search");
    expect(&f, "search", None, Outcome::Ok, &mut seen);
    assert_eq!(f.audit().last().expect("e").draft.detail, "giang a su");
    // A change: its entry is written in the change's own transaction (one entry, the
    // record's ID).
    let saved = s.save(changed_person(&f)).expect("save");
    expect(&f, "save", Some(&saved.to_string()), Outcome::Ok, &mut seen);
    // A failed change: one entry, failed.
    let mut bad = new_sighting(&s);
    expect(&f, "get", Some("PH-000001"), Outcome::Ok, &mut seen);
    if let Record::Sighting(x) = &mut bad {
        x.id = id("PH-009999");
        x.entry_id = id("LD-999999");
    }
    assert!(s.save(bad).is_err());
    expect(&f, "save", Some("PH-009999"), Outcome::Failed, &mut seen);
    // A refusal.
    assert!(forbidden(s.export(Kind::Person, Format::Csv)));
    expect(&f, "export_page", None, Outcome::Refused, &mut seen);
    // Lists and views are not openings: no entry.
    s.stats().expect("stats");
    assert_eq!(f.audit().len(), seen);
    drop(s);
    expect(&f, "logoff", None, Outcome::Ok, &mut seen);
}

/// Opens the store's sled database directly (trucban closed) and changes the audit tree.
/// What is done to the audit chain behind the store's back.
#[derive(Clone, Copy)]
enum Tamper {
    /// The text of entry 3 changed.
    Edit,
    /// Entry 2 removed.
    Remove,
    /// Entries 2 and 3 swapped.
    Swap,
    /// The last entry removed.
    RemoveLast,
    /// Entry 2 moved from the unit's chain to the desk's, under its number.
    Refile,
}

fn tamper(dir: &std::path::Path, how: Tamper) {
    if let Some(url) = engine::database_for(dir) {
        return tamper_database(&url, how);
    }
    let db = released(|| sled::open(dir.join("store")).ok()).expect("sled");
    let tree = db.open_tree("audit").expect("tree");
    // The entries are the duty officer's, in their unit's chain: its keys are the chain's
    // prefix and the number (see src/store/audit.rs).
    let (first, _) = tree.first().expect("first").expect("an entry");
    let prefix = first[..first.len() - 8].to_vec();
    assert!(!prefix.is_empty(), "the entries are in a unit's chain");
    let key = |seq: u64| [prefix.as_slice(), &seq.to_be_bytes()].concat();
    match how {
        Tamper::Edit => {
            let value = tree.get(key(3)).expect("get").expect("entry 3");
            let mut e: AuditEntry = serde_json::from_slice(&value).expect("entry");
            e.draft.detail = "something else".into();
            tree.insert(key(3), serde_json::to_vec(&e).expect("json"))
                .expect("insert");
        }
        Tamper::Remove => {
            tree.remove(key(2)).expect("remove");
        }
        Tamper::Swap => {
            let a = tree.get(key(2)).expect("get").expect("2");
            let b = tree.get(key(3)).expect("get").expect("3");
            tree.insert(key(2), b).expect("insert");
            tree.insert(key(3), a).expect("insert");
        }
        Tamper::RemoveLast => {
            let (last, _) = tree.last().expect("last").expect("some");
            tree.remove(last).expect("remove");
        }
        Tamper::Refile => {
            let value = tree.remove(key(2)).expect("remove").expect("2");
            tree.insert(2u64.to_be_bytes(), value).expect("insert");
        }
    }
    db.flush().expect("flush");
}

/// The same on PostgreSQL, as its superuser, with the append-only trigger switched off for
/// the session (what only someone who owns the database server can do).
fn tamper_database(url: &str, how: Tamper) {
    use std::str::FromStr;
    let mut client = postgres::Config::from_str(url)
        .expect("url")
        .connect(postgres::NoTls)
        .expect("connect");
    let change = match how {
        Tamper::Edit => {
            "UPDATE audit SET entry = jsonb_set(entry, '{detail}', '\"something else\"') WHERE seq = 3"
        }
        Tamper::Remove => "DELETE FROM audit WHERE seq = 2",
        Tamper::Swap => {
            "UPDATE audit a SET entry = b.entry, hash = b.hash FROM audit b
             WHERE (a.seq, b.seq) IN ((2, 3), (3, 2))"
        }
        Tamper::RemoveLast => "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)",
        Tamper::Refile => "UPDATE audit SET unit = '' WHERE seq = 2",
    };
    client
        .batch_execute(&format!(
            "SET session_replication_role = replica; {change}; RESET session_replication_role"
        ))
        .expect("tamper");
}

/// What `open` gives once the closed desk's last background thread (the search index it was
/// loading) has let go of the store: up to 10 s.
fn released<T>(open: impl Fn() -> Option<T>) -> Option<T> {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match open() {
            Some(opened) => return Some(opened),
            None if std::time::Instant::now() < until => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            None => return None,
        }
    }
}

fn verify(dir: &std::path::Path) -> Option<String> {
    let store = released(|| engine::try_open(dir, at("2026-11-27 09:30")).ok()).expect("open");
    let desk = LocalDesk::over(store, trucban::domain::Clock::fixed(at("2026-11-27 09:30")));
    desk.audit_verify().expect("verify").broken
}

fn entries_with_actions() -> Fixture {
    let f = Fixture::new();
    let s = f.session("dan");
    for q in ["giang", "lo van", "sung a"] {
        s.search(q, None, 5, trucban::i18n::Lang::Vi)
            .expect("search");
    }
    drop(s);
    f
}

fn close(f: Fixture) -> tempfile::TempDir {
    let Fixture { dir, desk, .. } = f;
    drop(desk);
    dir
}

#[test]
fn audit_verify_catches_an_edited_a_removed_and_a_swapped_entry() {
    // Intact.
    let dir = close(entries_with_actions());
    assert_eq!(verify(dir.path()), None);

    for (how, said) in [
        (Tamper::Edit, ["entry 3", "edited"].as_slice()),
        (Tamper::Remove, ["missing"].as_slice()),
        (Tamper::Swap, ["moved"].as_slice()),
        (Tamper::RemoveLast, ["removed at the end"].as_slice()),
        (Tamper::Refile, ["filed in the desk's chain"].as_slice()),
    ] {
        let dir = close(entries_with_actions());
        tamper(dir.path(), how);
        let broken = verify(dir.path()).expect("the change caught");
        assert!(said.iter().all(|s| broken.contains(s)), "{broken}");
    }
}

#[test]
fn an_empty_import_is_audited_too() {
    let f = Fixture::new();
    let admin = f.session("quang");
    let before = f.desk.store().generation().expect("generation");
    let result = admin.import(
        Kind::Sighting,
        &ImportSource {
            name: "empty.csv".into(),
            bytes: b"id,entry_id,at,place,officer_id,note\n".to_vec(),
            format: Format::Csv,
            on_disk: None,
        },
    );
    assert!(matches!(result, Err(ServiceError::Import(_))), "{result:?}");
    assert_eq!(f.desk.store().generation().expect("generation"), before);
    let last = f.audit().pop().expect("entry");
    assert_eq!(
        (
            last.draft.action.as_str(),
            last.draft.outcome,
            last.draft.user.as_str()
        ),
        ("import", Outcome::Failed, "quang")
    );
    assert!(last.draft.detail.contains("empty.csv"), "{:?}", last.draft);
}
