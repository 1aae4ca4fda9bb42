//! The attacks, one row each: who the attacker is (the role of their account), what they
//! send, the refusal expected and the audit action it is recorded under. Every row goes
//! through the real socket with the real client; the values are whatever an officer with
//! a small client could put in a request.

use std::path::Path;

use trucban::domain::access::RestrictedNote;
use trucban::domain::shifts::ShiftWindow;
use trucban::domain::{
    Assignment, AssignmentRole, DutyLogEntry, HitOutcome, HitStep, Informant, Kind, OfficerRole,
    Record, RecordId, Sighting, TipExtension, TipStatus, WantedStatus,
};
use trucban::service::roster::RosterEdit;
use trucban::service::{
    DeskApi, Format, ImportSource, ListQuery, RemoteDesk, ServiceError, TipStep,
};

use super::fixtures::{PIN, Targets};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    Forbidden,
    Rule,
    Refused,
    Invalid,
    RosterRefused,
    Locked,
    LockedOut,
}

impl Expect {
    pub fn matches(self, e: &ServiceError) -> bool {
        use trucban::domain::access::UnlockRefused;
        matches!(
            (self, e),
            (Expect::Forbidden, ServiceError::Forbidden(_))
                | (Expect::Rule, ServiceError::Rule(_))
                | (Expect::Refused, ServiceError::Refused(_))
                | (Expect::Invalid, ServiceError::Invalid(_))
                | (Expect::RosterRefused, ServiceError::RosterRefused(_))
                | (Expect::Locked, ServiceError::Locked)
                | (
                    Expect::LockedOut,
                    ServiceError::Unlock(UnlockRefused::LockedOut { .. })
                )
        )
    }
}

pub struct Ctx<'a> {
    pub desk: &'a RemoteDesk,
    pub t: &'a Targets,
    pub socket: &'a Path,
    /// Where a backup may not go: the store's own directory.
    pub store_dir: &'a Path,
}

pub struct Row {
    pub name: &'static str,
    pub role: OfficerRole,
    /// The audit entry's action that records the refusal.
    pub action: &'static str,
    pub expect: Expect,
    pub attack: fn(&Ctx) -> Result<(), ServiceError>,
}

fn get(c: &Ctx, id: RecordId) -> Record {
    match c.desk.get(id) {
        Ok(Some(r)) => r,
        other => panic!("the attacker cannot read {id}: {other:?}"),
    }
}

fn done<T>(r: Result<T, ServiceError>) -> Result<(), ServiceError> {
    r.map(|_| ())
}

fn log_entry(c: &Ctx, officer: RecordId) -> Record {
    Record::DutyLog(DutyLogEntry {
        id: RecordId::new(Kind::DutyLog, 0),
        at: c.t.now,
        officer_id: officer,
        text: "Ghi thay người khác".into(),
        record: None,
        corrects: None,
    })
}

fn step(c: &Ctx, officer: RecordId, outcome: HitOutcome) -> HitStep {
    HitStep {
        at: c.t.now,
        officer_id: officer,
        outcome,
        confirmed_by: None,
        confirmed_at: None,
        note: String::new(),
    }
}

fn window_of(c: &Ctx, handover: RecordId) -> ShiftWindow {
    match get(c, handover) {
        Record::Handover(h) => ShiftWindow {
            start: h.shift_start,
            end: h.shift_end,
        },
        other => panic!("{other:?}"),
    }
}

fn extension(c: &Ctx, officer: RecordId, months: i64, reason: &str) -> TipStep {
    let Record::Tip(tip) = get(c, c.t.tip) else {
        panic!("tip")
    };
    TipStep {
        status: tip.status,
        verifier: tip.verifier,
        extension: Some(TipExtension {
            at: c.t.now,
            officer_id: officer,
            new_deadline: tip.received_at + chrono::Duration::days(30 * months),
            reason: reason.into(),
        }),
    }
}

fn assignment_double_booked(c: &Ctx) -> Assignment {
    let Record::Assignment(a) = get(c, c.t.assignment) else {
        panic!("assignment")
    };
    Assignment {
        id: RecordId::new(Kind::Assignment, 0),
        role: AssignmentRole::Member,
        ..a
    }
}

fn note_for(officers: Vec<RecordId>, by: Option<RecordId>, c: &Ctx) -> RestrictedNote {
    RestrictedNote {
        text: "Ghi đè ghi chú mật".into(),
        officers,
        by,
        at: c.t.now,
    }
}

macro_rules! rows {
    ($( $role:ident $name:literal $action:literal $expect:ident => $attack:expr; )*) => {
        pub fn all() -> Vec<Row> {
            vec![$( Row {
                name: $name,
                role: OfficerRole::$role,
                action: $action,
                expect: Expect::$expect,
                attack: $attack,
            }, )*]
        }
    };
}

rows! {
    // Forged who-acted fields, on every request that has one.
    Duty "log entry signed as another officer" "save" Rule => |c| done(c.desk.save(log_entry(c, c.t.other)));
    Duty "log entry rewritten" "save" Rule => |c| {
        let Record::DutyLog(mut e) = get(c, c.t.log_entry) else { panic!() };
        e.text.push_str(" (sửa lại)");
        done(c.desk.save(Record::DutyLog(e)))
    };
    Duty "log entry's author changed" "save" Rule => |c| {
        let Record::DutyLog(mut e) = get(c, c.t.log_entry) else { panic!() };
        e.officer_id = c.t.me;
        done(c.desk.save(Record::DutyLog(e)))
    };
    Duty "sighting recorded as another officer" "save" Rule => |c| {
        let Record::Sighting(s) = get(c, c.t.sighting) else { panic!() };
        done(c.desk.save(Record::Sighting(Sighting { id: RecordId::new(Kind::Sighting, 0), officer_id: c.t.other, ..s })))
    };
    Duty "sighting's officer changed" "save" Rule => |c| {
        let Record::Sighting(mut s) = get(c, c.t.sighting) else { panic!() };
        s.officer_id = if s.officer_id == c.t.me { c.t.other } else { c.t.me };
        done(c.desk.save(Record::Sighting(s)))
    };
    Duty "inspection recorded as another officer" "save" Rule => |c| {
        let Record::Inspection(mut i) = get(c, c.t.inspection) else { panic!() };
        i.id = RecordId::new(Kind::Inspection, 0);
        i.officer_id = c.t.other;
        done(c.desk.save(Record::Inspection(i)))
    };
    Duty "hit step signed as another officer" "add_hit_step" Rule =>
        |c| done(c.desk.add_hit_step(c.t.open_hit, step(c, c.t.other, HitOutcome::Escalated)));
    Duty "handover signed as another officer" "sign_handover" Rule => |c| {
        let w = window_of(c, c.t.signed_by_me);
        let next = ShiftWindow { start: w.end + chrono::Duration::days(30), end: w.end + chrono::Duration::days(30) + chrono::Duration::hours(12) };
        done(c.desk.sign_handover(next, c.t.other, "Ký thay", c.t.now))
    };
    Duty "handover acknowledged as another officer" "acknowledge_handover" Rule =>
        |c| done(c.desk.acknowledge_handover(c.t.signed_by_other, c.t.third, "", c.t.now));
    Duty "tip taken as another officer" "save_tip" Rule => |c| {
        let Record::Tip(mut tip) = get(c, c.t.tip) else { panic!() };
        tip.id = RecordId::new(Kind::Tip, 0);
        tip.taken_by = c.t.other;
        tip.extensions.clear();
        done(c.desk.save_tip(tip, None))
    };
    Duty "tip extension signed as another officer" "tip_step" Rule =>
        |c| done(c.desk.tip_step(c.t.tip, extension(c, c.t.other, 2, "Cần xác minh thêm")));
    Duty "informant read as another officer" "informant" Rule =>
        |c| done(c.desk.informant(c.t.tip, c.t.supervisor));
    Duty "restricted note read as another officer" "restricted_note" Rule =>
        |c| done(c.desk.restricted_note(c.t.sighting, Some(c.t.supervisor)));
    Duty "restricted note written as another officer" "set_restricted_note" Rule =>
        |c| done(c.desk.set_restricted_note(c.t.log_entry, note_for(vec![c.t.me], Some(c.t.other), c)));
    Supervisor "roster edited as another officer" "edit_roster" Rule =>
        |c| done(c.desk.edit_roster(c.t.other, RosterEdit::Add(assignment_double_booked(c))));
    Supervisor "status change signed as another officer" "change_wanted_status" Rule =>
        |c| done(c.desk.change_wanted_status(c.t.wanted, WantedStatus::Arrested, "Đã bắt", Some(c.t.other), c.t.now));

    // Steps and histories rewritten or removed; closed records changed.
    Duty "hit confirmed with no confirmer" "add_hit_step" Rule =>
        |c| done(c.desk.add_hit_step(c.t.open_hit, step(c, c.t.me, HitOutcome::Confirmed)));
    Duty "step added to a closed hit" "add_hit_step" Rule =>
        |c| done(c.desk.add_hit_step(c.t.closed_hit, step(c, c.t.me, HitOutcome::Escalated)));
    Duty "closed hit's steps replaced by save" "save" Rule => |c| {
        let Record::Hit(mut h) = get(c, c.t.closed_hit) else { panic!() };
        h.steps = vec![step(c, c.t.me, HitOutcome::Confirmed)];
        done(c.desk.save(Record::Hit(h)))
    };
    Duty "hit's steps removed by save" "save" Rule => |c| {
        let Record::Hit(mut h) = get(c, c.t.closed_hit) else { panic!() };
        h.steps.clear();
        done(c.desk.save(Record::Hit(h)))
    };
    Duty "acknowledged handover changed by save" "save" Rule => |c| {
        let Record::Handover(mut h) = get(c, c.t.acknowledged) else { panic!() };
        h.text = "Viết lại sau khi đã giao ca".into();
        done(c.desk.save(Record::Handover(h)))
    };
    Duty "acknowledged handover signed again" "sign_handover" Rule => |c| {
        let w = window_of(c, c.t.acknowledged);
        done(c.desk.sign_handover(w, c.t.me, "Ký lại", c.t.now))
    };
    Duty "acknowledged handover acknowledged again" "acknowledge_handover" Rule =>
        |c| done(c.desk.acknowledge_handover(c.t.acknowledged, c.t.me, "", c.t.now));
    Duty "another officer's signed handover re-signed" "sign_handover" Rule => |c| {
        let w = window_of(c, c.t.signed_by_other);
        done(c.desk.sign_handover(w, c.t.me, "Ký đè", c.t.now))
    };
    Duty "own handover acknowledged by its signer" "acknowledge_handover" Rule =>
        |c| done(c.desk.acknowledge_handover(c.t.signed_by_me, c.t.me, "", c.t.now));
    Duty "handover saved with a forged acknowledgement" "save" Rule => |c| {
        let Record::Handover(mut h) = get(c, c.t.signed_by_other) else { panic!() };
        h.acknowledged = Some(trucban::domain::Acknowledgement { officer: c.t.third, at: c.t.now, remarks: String::new() });
        done(c.desk.save(Record::Handover(h)))
    };
    Duty "tip extension with no reason" "tip_step" Rule =>
        |c| done(c.desk.tip_step(c.t.tip, extension(c, c.t.me, 2, "")));
    Duty "tip deadline beyond the law (2030)" "tip_step" Rule => |c| {
        let mut s = extension(c, c.t.me, 2, "Kéo dài");
        if let Some(e) = s.extension.as_mut() {
            e.new_deadline = trucban::domain::time::parse_instant("2030-01-01 00:00").expect("time");
        }
        done(c.desk.tip_step(c.t.tip, s))
    };
    Duty "tip extension written by save_tip" "save_tip" Rule => |c| {
        let Record::Tip(mut tip) = get(c, c.t.tip) else { panic!() };
        if let Some(e) = extension(c, c.t.me, 2, "Kéo dài").extension { tip.extensions.push(e); }
        done(c.desk.save_tip(tip, None))
    };
    Duty "tip's extensions removed" "save_tip" Rule => |c| {
        let Record::Tip(mut tip) = get(c, c.t.tip) else { panic!() };
        tip.extensions.clear();
        tip.status = TipStatus::Closed;
        tip.first_deadline += chrono::Duration::days(300);
        done(c.desk.save_tip(tip, None))
    };
    Duty "hit saved whole" "save" Rule => |c| done(c.desk.save(get(c, c.t.open_hit)));
    Supervisor "wanted history cut" "save" Rule => |c| {
        let Record::Wanted(mut w) = get(c, c.t.wanted) else { panic!() };
        w.history.clear();
        done(c.desk.save(Record::Wanted(w)))
    };
    Supervisor "wanted history step rewritten" "save" Rule => |c| {
        let Record::Wanted(mut w) = get(c, c.t.wanted) else { panic!() };
        if let Some(first) = w.history.first_mut() { first.note = "Sửa lại lịch sử".into(); }
        done(c.desk.save(Record::Wanted(w)))
    };
    Supervisor "assignment double-booked by save" "save" RosterRefused =>
        |c| done(c.desk.save(Record::Assignment(assignment_double_booked(c))));
    Supervisor "assignment double-booked by edit" "edit_roster" RosterRefused =>
        |c| done(c.desk.edit_roster(c.t.supervisor, RosterEdit::Add(assignment_double_booked(c))));
    Supervisor "roster addition over an existing assignment" "edit_roster" Invalid => |c| {
        let Record::Assignment(a) = get(c, c.t.assignment) else { panic!("assignment") };
        done(c.desk.edit_roster(c.t.supervisor, RosterEdit::Add(Assignment { officer_id: c.t.other, ..a })))
    };
    Admin "log entry rewritten by import" "import" Rule => |c| {
        let Record::DutyLog(e) = get(c, c.t.log_entry) else { panic!() };
        let at = e.at.with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).expect("tz")).to_rfc3339();
        let csv = format!("id,at,officer_id,text,record_id,corrects\n{},{at},{},Viết lại bằng tệp nhập,,\n", e.id, e.officer_id);
        done(c.desk.import(Kind::DutyLog, &ImportSource { name: "log.csv".into(), bytes: csv.into_bytes(), format: Format::Csv, on_disk: None }))
    };

    // Restricted data the attacker may not read.
    Duty "informant replaced without the right to read it" "save_tip" Refused => |c| {
        let Record::Tip(tip) = get(c, c.t.tip) else { panic!() };
        done(c.desk.save_tip(tip, Some(Informant { name: "Người khác".into(), contact: String::new(), note: String::new(), officers: vec![c.t.me] })))
    };
    Duty "informant read without being named" "informant" Refused =>
        |c| done(c.desk.informant(c.t.tip, c.t.me));
    Duty "restricted note overwritten without the right to read it" "set_restricted_note" Refused =>
        |c| done(c.desk.set_restricted_note(c.t.sighting, note_for(vec![c.t.me], None, c)));
    Duty "restricted note read without being named" "restricted_note" Refused =>
        |c| done(c.desk.restricted_note(c.t.sighting, Some(c.t.me)));

    // The lock belongs to the account.
    Duty "lockout escaped by reconnecting" "get" Locked => |c| {
        let first = RemoteDesk::connect(c.socket)?;
        for _ in 0..5 { let _ = first.unlock("000000"); }
        drop(first);
        done(RemoteDesk::connect(c.socket)?.get(c.t.person))
    };
    Duty "lock escaped by reconnecting" "get" Locked => |c| {
        c.desk.lock()?;
        done(RemoteDesk::connect(c.socket)?.get(c.t.person))
    };
    Duty "twenty PIN guesses at once, the right one last" "unlock" LockedOut => |c| {
        let socket = c.socket.to_path_buf();
        let guesses: Vec<_> = (0..20).map(|i| {
            let socket = socket.clone();
            std::thread::spawn(move || RemoteDesk::connect(&socket).map(|d| d.unlock(&format!("{:06}", 100_000 + i))))
        }).collect();
        for g in guesses { let _ = g.join(); }
        c.desk.unlock(PIN)
    };

    // Requests the role may not make.
    Duty "save a person" "save" Forbidden => |c| done(c.desk.save(get(c, c.t.person)));
    Duty "save a wanted notice" "save" Forbidden => |c| done(c.desk.save(get(c, c.t.wanted)));
    Duty "make oneself an administrator" "save" Forbidden => |c| {
        let Record::Officer(mut o) = get(c, c.t.me) else { panic!() };
        o.role = OfficerRole::Admin;
        done(c.desk.save(Record::Officer(o)))
    };
    Duty "save a roster assignment" "save" Forbidden => |c| done(c.desk.save(get(c, c.t.assignment)));
    Duty "edit the roster" "edit_roster" Forbidden => |c| done(c.desk.edit_roster(c.t.me, RosterEdit::Swap { first: c.t.assignment, second: c.t.assignment }));
    Duty "change a wanted status" "change_wanted_status" Forbidden =>
        |c| done(c.desk.change_wanted_status(c.t.wanted, WantedStatus::Cancelled, "", None, c.t.now));
    Duty "import" "import" Forbidden => |c| done(c.desk.import(Kind::Person, &ImportSource { name: "p.csv".into(), bytes: b"id\n".to_vec(), format: Format::Csv, on_disk: None }));
    Duty "export" "export_page" Forbidden => |c| done(c.desk.export(Kind::Person, Format::Csv));
    Duty "check the store" "check" Forbidden => |c| done(c.desk.check());
    Duty "back the store up" "backup" Forbidden => |c| done(c.desk.backup(&std::env::temp_dir().join("attack.bak"), false));
    Duty "read the audit" "audit" Forbidden => |c| done(c.desk.audit(&Default::default()));
    Duty "verify the audit" "audit_verify" Forbidden => |c| done(c.desk.audit_verify());
    Duty "list the accounts" "accounts" Forbidden => |c| done(c.desk.accounts());
    Duty "point own account at an administrator" "set_account" Forbidden =>
        |c| done(c.desk.set_account(&trucban::service::session::current_os_user(), RecordId::new(Kind::Officer, 1), None));
    Supervisor "import" "import" Forbidden => |c| done(c.desk.import(Kind::Person, &ImportSource { name: "p.csv".into(), bytes: b"id\n".to_vec(), format: Format::Csv, on_disk: None }));
    Supervisor "export" "export_page" Forbidden => |c| done(c.desk.export(Kind::Tip, Format::Json));
    Supervisor "set an account" "set_account" Forbidden =>
        |c| done(c.desk.set_account("someone", c.t.supervisor, Some(PIN.into())));
    Supervisor "read the audit" "audit" Forbidden => |c| done(c.desk.audit(&Default::default()));
    Admin "save a sighting" "save" Forbidden => |c| done(c.desk.save(get(c, c.t.sighting)));
    Admin "add a hit step" "add_hit_step" Forbidden =>
        |c| done(c.desk.add_hit_step(c.t.open_hit, step(c, RecordId::new(Kind::Officer, 0), HitOutcome::Escalated)));
    Admin "sign a handover" "sign_handover" Forbidden =>
        |c| done(c.desk.sign_handover(window_of(c, c.t.signed_by_me), RecordId::new(Kind::Officer, 0), "", c.t.now));
    Admin "read the audit" "audit" Forbidden => |c| done(c.desk.audit(&Default::default()));
    Admin "backup into the store's directory" "backup" Invalid => |c| done(c.desk.backup(&c.store_dir.join("snap.bak"), true));
    Admin "backup from a relative path" "backup" Invalid => |c| done(c.desk.backup(Path::new("snap.bak"), true));
    Auditor "read a record" "get" Forbidden => |c| done(c.desk.get(c.t.person));
    Auditor "search" "search" Forbidden => |c| done(c.desk.search("Lý", None, 10, trucban::i18n::Lang::Vi));
    Auditor "list" "list" Forbidden => |c| done(c.desk.list(&ListQuery::all(Kind::Tip)));
    Auditor "export" "export_page" Forbidden => |c| done(c.desk.export(Kind::Tip, Format::Csv));
    Auditor "write a log entry" "save" Forbidden => |c| done(c.desk.save(log_entry(c, RecordId::new(Kind::Officer, 0))));
}
