//! The store the attacks run against: the fictional sample, plus the records an attack
//! needs in a known state (a closed hit, an acknowledged handover, a handover the attacker
//! signed, an informant and a restricted note the attacker may not read), planted directly
//! in the store before any daemon serves it. And the fingerprint that says "unchanged".

use sha2::Digest;
use trucban::domain::access::RestrictedNote;
use trucban::domain::{
    Acknowledgement, HitOutcome, HitStep, Informant, Instant, Kind, Record, RecordId,
};
use trucban::store::Backend;

pub const PIN: &str = "246810";

pub fn id(text: &str) -> RecordId {
    text.parse().expect("id")
}

/// The records each attack aims at (found or planted at set-up).
#[derive(Clone, Debug)]
pub struct Targets {
    /// The attacker's officer when on duty, and three others.
    pub me: RecordId,
    pub other: RecordId,
    pub third: RecordId,
    pub supervisor: RecordId,
    pub log_entry: RecordId,
    pub sighting: RecordId,
    pub inspection: RecordId,
    pub open_hit: RecordId,
    pub closed_hit: RecordId,
    pub signed_by_other: RecordId,
    pub signed_by_me: RecordId,
    pub acknowledged: RecordId,
    pub tip: RecordId,
    pub wanted: RecordId,
    pub assignment: RecordId,
    pub person: RecordId,
    pub now: Instant,
}

fn first(store: &dyn Backend, kind: Kind, keep: impl Fn(&Record) -> bool) -> Record {
    store
        .scan(kind)
        .map(|r| r.expect("read"))
        .find(|r| keep(r))
        .unwrap_or_else(|| panic!("no {} in the sample fits", kind.name()))
}

/// Seeds `dir` with the sample and plants the targets. The store is closed on return.
pub fn seed(dir: &std::path::Path, now: Instant) -> Targets {
    let store = crate::engine::open(dir, now);
    let desk = trucban::service::LocalDesk::over(store, trucban::domain::Clock::fixed(now));
    desk.load(&trucban::cli::sample_records(now).expect("sample"))
        .expect("load");
    let store = desk.store();
    let (me, other, third, supervisor) = (
        id("CB-000020"),
        id("CB-000033"),
        id("CB-000021"),
        id("CB-000004"),
    );
    let Record::Hit(mut open_hit) = first(
        store,
        Kind::Hit,
        |r| matches!(r, Record::Hit(h) if h.steps.is_empty()),
    ) else {
        unreachable!()
    };
    let Record::Hit(mut closed_hit) = first(
        store,
        Kind::Hit,
        |r| matches!(r, Record::Hit(h) if h.steps.is_empty() && h.id != open_hit.id),
    ) else {
        unreachable!()
    };
    closed_hit.steps.push(HitStep {
        at: now,
        officer_id: other,
        outcome: HitOutcome::NotThePerson,
        confirmed_by: None,
        confirmed_at: None,
        note: "Không phải đối tượng (dữ liệu thử)".into(),
    });
    open_hit.steps.clear();
    let handovers: Vec<Record> = store
        .scan(Kind::Handover)
        .map(|r| r.expect("read"))
        .collect();
    let pick = |n: usize| match handovers.get(n) {
        Some(Record::Handover(h)) => h.clone(),
        _ => panic!("the sample has fewer than 3 handovers"),
    };
    let mut by_other = pick(0);
    by_other.from_officer = other;
    by_other.signed_at = Some(by_other.shift_end);
    by_other.acknowledged = None;
    let mut by_me = pick(1);
    by_me.from_officer = me;
    by_me.signed_at = Some(by_me.shift_end);
    by_me.acknowledged = None;
    let mut acknowledged = pick(2);
    acknowledged.signed_at = Some(acknowledged.shift_end);
    acknowledged.from_officer = other;
    acknowledged.to_officer = Some(third);
    acknowledged.acknowledged = Some(Acknowledgement {
        officer: third,
        at: acknowledged.shift_end,
        remarks: "Đã nhận ca".into(),
    });
    let tip = first(
        store,
        Kind::Tip,
        |r| matches!(r, Record::Tip(t) if t.status.is_open()),
    );
    let sighting = first(store, Kind::Sighting, |_| true);
    store
        .put(&[
            Record::Hit(open_hit.clone()),
            Record::Hit(closed_hit.clone()),
            Record::Handover(by_other.clone()),
            Record::Handover(by_me.clone()),
            Record::Handover(acknowledged.clone()),
        ])
        .expect("plant");
    store
        .put_with_informant(
            std::slice::from_ref(&tip),
            Some((
                tip.id(),
                &Informant {
                    name: "Người báo tin (hư cấu)".into(),
                    contact: "0213 555 0100".into(),
                    note: String::new(),
                    officers: vec![supervisor],
                },
            )),
        )
        .expect("informant");
    store
        .write(&trucban::store::Write {
            note: Some((
                sighting.id(),
                &RestrictedNote {
                    text: "Nguồn tin mật (hư cấu)".into(),
                    officers: vec![supervisor],
                    by: Some(supervisor),
                    at: now,
                },
            )),
            ..Default::default()
        })
        .expect("note");
    let wanted = first(
        store,
        Kind::Wanted,
        |r| matches!(r, Record::Wanted(w) if !w.history.is_empty()),
    );
    Targets {
        me,
        other,
        third,
        supervisor,
        log_entry: first(store, Kind::DutyLog, |_| true).id(),
        sighting: sighting.id(),
        inspection: first(store, Kind::Inspection, |_| true).id(),
        open_hit: open_hit.id,
        closed_hit: closed_hit.id,
        signed_by_other: by_other.id,
        signed_by_me: by_me.id,
        acknowledged: acknowledged.id,
        tip: tip.id(),
        wanted: wanted.id(),
        assignment: first(store, Kind::Assignment, |_| true).id(),
        person: first(store, Kind::Person, |_| true).id(),
        now,
    }
}

/// Every record, every restricted note and informant of the targets: what an attack must
/// leave as it was. (Accounts and the audit are not in it: a PIN guess is counted, a
/// refusal is audited.)
pub fn fingerprint(store: &dyn Backend, targets: &Targets) -> String {
    let mut hash = sha2::Sha256::new();
    for kind in Kind::ALL {
        for record in store.scan(kind) {
            hash.update(serde_json::to_vec(&record.expect("read")).expect("json"));
        }
    }
    let note = store.restricted_note(targets.sighting).expect("note");
    hash.update(serde_json::to_vec(&note).expect("json"));
    for tip in store.scan(Kind::Tip) {
        let informant = store.informant(tip.expect("read").id()).expect("informant");
        hash.update(serde_json::to_vec(&informant).expect("json"));
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
