use super::*;
use crate::domain::hits::{HitList, HitOutcome, HitStep};
use crate::domain::ids::Kind;
use crate::domain::screening::Band;
use crate::domain::time::parse_instant;
use crate::domain::tips::{TipChannel, TipExtension, TipRules, TipStatus};
use crate::domain::{Acknowledgement, DutyLogEntry, Handover};

fn at(text: &str) -> Instant {
    parse_instant(text).expect("time")
}

fn officer(n: u64) -> RecordId {
    RecordId::new(Kind::Officer, n)
}

const ME: Acting = Acting {
    officer: Some(RecordId::new(Kind::Officer, 1)),
    import: false,
};

fn hit() -> Hit {
    Hit {
        id: RecordId::new(Kind::Hit, 1),
        guest_stay_id: RecordId::new(Kind::GuestStay, 1),
        list: HitList::Wanted,
        listed_id: RecordId::new(Kind::Wanted, 1),
        person_id: RecordId::new(Kind::Person, 1),
        score: 0.9,
        band: Band::Alert,
        reasons: Vec::new(),
        found_at: at("2026-11-27 14:00"),
        deadline: at("2026-11-27 14:10"),
        especially_dangerous: true,
        steps: Vec::new(),
    }
}

fn step(by: u64, outcome: HitOutcome) -> HitStep {
    let confirmed = outcome == HitOutcome::Confirmed;
    HitStep {
        at: at("2026-11-27 14:05"),
        officer_id: officer(by),
        outcome,
        confirmed_by: confirmed.then(|| "Đại úy Lò Văn Minh, PC02".to_string()),
        confirmed_at: confirmed.then(|| at("2026-11-27 14:04")),
        note: String::new(),
    }
}

fn check(old: Option<Record>, new: Record, acting: Acting) -> Result<(), Refusal> {
    check_change(old.as_ref(), &new, &acting)
}

#[test]
fn hit_steps_are_only_added_signed_by_the_acting_officer_and_closed_hits_take_none() {
    let open = hit();
    let mut one = hit();
    one.steps.push(step(1, HitOutcome::Escalated));
    assert_eq!(
        check(
            Some(Record::Hit(open.clone())),
            Record::Hit(one.clone()),
            ME
        ),
        Ok(())
    );
    let mut forged = hit();
    forged.steps.push(step(2, HitOutcome::Escalated));
    assert!(matches!(
        check(Some(Record::Hit(open.clone())), Record::Hit(forged), ME),
        Err(Refusal::NotTheActingOfficer { .. })
    ));
    // Rewritten: the first step replaced by a confirmation with no confirmer.
    let mut rewritten = one.clone();
    rewritten.steps[0] = HitStep {
        confirmed_by: None,
        ..step(1, HitOutcome::Confirmed)
    };
    assert!(matches!(
        check(Some(Record::Hit(one.clone())), Record::Hit(rewritten), ME),
        Err(Refusal::HistoryChanged { .. })
    ));
    let mut unconfirmed = one.clone();
    unconfirmed.steps.push(HitStep {
        confirmed_at: None,
        ..step(1, HitOutcome::Confirmed)
    });
    assert!(matches!(
        check(Some(Record::Hit(one.clone())), Record::Hit(unconfirmed), ME),
        Err(Refusal::Step { .. })
    ));
    let mut closed = one.clone();
    closed.steps.push(step(1, HitOutcome::NotThePerson));
    let mut after = closed.clone();
    after.steps.push(step(1, HitOutcome::Escalated));
    assert!(matches!(
        check(Some(Record::Hit(closed.clone())), Record::Hit(after), ME),
        Err(Refusal::Closed { .. })
    ));
    let mut rescored = closed.clone();
    rescored.score = 0.1;
    assert!(matches!(
        check(Some(Record::Hit(closed)), Record::Hit(rescored), ME),
        Err(Refusal::FixedField { .. })
    ));
    // A new hit with history from an import keeps its signers; without one, none is forged.
    let import = Acting { import: true, ..ME };
    let mut history = hit();
    history.steps.push(step(7, HitOutcome::Escalated));
    assert_eq!(check(None, Record::Hit(history.clone()), import), Ok(()));
    assert!(check(None, Record::Hit(history.clone()), ME).is_err());
    assert_eq!(check(None, Record::Hit(history), Acting::default()), Ok(()));
}

fn log(id: u64, by: u64, text: &str) -> Record {
    Record::DutyLog(DutyLogEntry {
        id: RecordId::new(Kind::DutyLog, id),
        at: at("2026-11-27 08:00"),
        officer_id: officer(by),
        text: text.into(),
        record: None,
        corrects: None,
    })
}

#[test]
fn a_log_entry_is_written_once_by_its_author() {
    assert_eq!(check(None, log(1, 1, "bắt đầu ca"), ME), Ok(()));
    assert!(matches!(
        check(None, log(1, 2, "ghi thay người khác"), ME),
        Err(Refusal::NotTheActingOfficer { .. })
    ));
    assert!(matches!(
        check(Some(log(1, 1, "bắt đầu ca")), log(1, 1, "sửa lại"), ME),
        Err(Refusal::LogRewritten { .. })
    ));
    // The same entry again (an export imported back) is no change.
    assert_eq!(
        check(Some(log(1, 1, "bắt đầu ca")), log(1, 1, "bắt đầu ca"), ME),
        Ok(())
    );
}

fn tip() -> Tip {
    let received_at = at("2026-11-01 09:30");
    Tip {
        id: RecordId::new(Kind::Tip, 1),
        received_at,
        channel: TipChannel::Phone,
        content: "vận chuyển ma túy".into(),
        place: "Ma Lù Thàng".into(),
        taken_by: officer(1),
        verifier: None,
        status: TipStatus::Received,
        first_deadline: TipRules::default().deadline_for(received_at),
        extensions: Vec::new(),
        settled_at: None,
    }
}

fn extension(by: u64, to: &str, reason: &str) -> TipExtension {
    TipExtension {
        at: at("2026-11-15 10:00"),
        officer_id: officer(by),
        new_deadline: at(to),
        reason: reason.into(),
    }
}

#[test]
fn tip_extensions_have_a_reason_stay_within_the_law_and_are_never_removed() {
    let old = tip();
    let extended = |e: TipExtension| {
        let mut t = tip();
        t.extensions.push(e);
        Record::Tip(t)
    };
    assert_eq!(
        check(
            Some(Record::Tip(old.clone())),
            extended(extension(1, "2026-12-31 17:00", "cần giám định")),
            ME
        ),
        Ok(())
    );
    assert!(matches!(
        check(
            Some(Record::Tip(old.clone())),
            extended(extension(1, "2030-01-01 00:00", "cần giám định")),
            ME
        ),
        Err(Refusal::BeyondTheLaw { .. })
    ));
    // The limit: four months from receipt.
    assert_eq!(tip_limit(&old), at("2027-03-01 09:30"));
    assert!(matches!(
        check(
            Some(Record::Tip(old.clone())),
            extended(extension(1, "2026-12-31 17:00", " ")),
            ME
        ),
        Err(Refusal::Step { .. })
    ));
    assert!(matches!(
        check(
            Some(Record::Tip(old.clone())),
            extended(extension(3, "2026-12-31 17:00", "cần giám định")),
            ME
        ),
        Err(Refusal::NotTheActingOfficer { .. })
    ));
    let Record::Tip(with_one) = extended(extension(1, "2026-12-31 17:00", "cần giám định"))
    else {
        unreachable!()
    };
    assert!(matches!(
        check(Some(Record::Tip(with_one)), Record::Tip(tip()), ME),
        Err(Refusal::HistoryChanged { .. })
    ));
    let mut moved = tip();
    moved.first_deadline = at("2027-01-30 00:00");
    assert!(matches!(
        check(Some(Record::Tip(old)), Record::Tip(moved), ME),
        Err(Refusal::FixedField { .. })
    ));
}

fn handover(from: u64) -> Handover {
    Handover {
        id: RecordId::new(Kind::Handover, 1),
        shift_start: at("2026-11-27 07:30"),
        shift_end: at("2026-11-27 19:30"),
        from_officer: officer(from),
        to_officer: None,
        text: "bình thường".into(),
        signed_at: Some(at("2026-11-27 19:20")),
        acknowledged: None,
    }
}

#[test]
fn a_handover_is_signed_and_acknowledged_by_the_acting_officers_and_then_never_changes() {
    assert_eq!(check(None, Record::Handover(handover(1)), ME), Ok(()));
    assert!(matches!(
        check(None, Record::Handover(handover(2)), ME),
        Err(Refusal::NotTheActingOfficer { .. })
    ));
    let signed = handover(2);
    let acknowledge = |by: u64| {
        let mut h = handover(2);
        h.to_officer = Some(officer(by));
        h.acknowledged = Some(Acknowledgement {
            officer: officer(by),
            at: at("2026-11-27 19:35"),
            remarks: String::new(),
        });
        h
    };
    assert_eq!(
        check(
            Some(Record::Handover(signed.clone())),
            Record::Handover(acknowledge(1)),
            ME
        ),
        Ok(())
    );
    assert!(matches!(
        check(
            Some(Record::Handover(signed.clone())),
            Record::Handover(acknowledge(3)),
            ME
        ),
        Err(Refusal::NotTheActingOfficer { .. })
    ));
    let me_twice = Acting {
        officer: Some(officer(2)),
        import: false,
    };
    assert!(matches!(
        check(
            Some(Record::Handover(signed)),
            Record::Handover(acknowledge(2)),
            me_twice
        ),
        Err(Refusal::SelfAcknowledged { .. })
    ));
    let closed = acknowledge(1);
    let mut changed = closed.clone();
    changed.text = "sửa sau khi giao".into();
    assert!(matches!(
        check(
            Some(Record::Handover(closed)),
            Record::Handover(changed),
            Acting::default()
        ),
        Err(Refusal::Closed { .. })
    ));
}

#[test]
fn every_refusal_reads_in_both_languages() {
    let refusals = [
        Refusal::LogRewritten {
            id: RecordId::new(Kind::DutyLog, 1),
        },
        Refusal::BeyondTheLaw {
            id: RecordId::new(Kind::Tip, 1),
            asked: at("2030-01-01 00:00"),
            limit: at("2027-03-01 09:30"),
        },
        Refusal::UseRequest {
            id: RecordId::new(Kind::Hit, 1),
            request: "add_hit_step".into(),
        },
    ];
    for refusal in refusals {
        let (vi, en) = (refusal.label(Lang::Vi), refusal.label(Lang::En));
        assert!(vi.starts_with("Chưa lưu: "), "{vi}");
        assert!(en.starts_with("Not saved: "), "{en}");
        assert_ne!(vi, en);
    }
}
