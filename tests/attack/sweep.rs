//! Every request a role may not make, from the list of requests itself: one well-formed
//! request per method (per kind for `save` and `set_restricted_note`), sent as raw frames by
//! a small client of its own. A method added to the list without a request here fails the
//! sweep, so the sweep cannot fall behind the list.

use std::io::Write as _;
use std::os::unix::net::UnixStream;
use std::path::Path;

use trucban::domain::access::{self, RestrictedNote};
use trucban::domain::audit::AuditQuery;
use trucban::domain::report::Period;
use trucban::domain::shifts::ShiftWindow;
use trucban::domain::{
    HitOutcome, HitStep, Kind, OfficerRole, Record, RecordId, TipStatus, WantedStatus,
};
use trucban::i18n::Lang;
use trucban::service::requests::{self, Allow};
use trucban::service::roster::RosterEdit;
use trucban::service::wire::{self, Call, Message, Request, WireError};
use trucban::service::{Format, HitCounts, ImportSource, ListQuery, TipStep};
use trucban::store::Backend;

use super::fixtures::Targets;

/// A request of `method`, aimed at the targets: what an officer with a client could send.
/// `record` stands for the kind of a `save` or a note.
pub fn request(method: &str, t: &Targets, record: &Record) -> Option<Request> {
    let now = t.now;
    let window = ShiftWindow {
        start: now,
        end: now + chrono::Duration::hours(12),
    };
    let source = || ImportSource {
        name: "x.csv".into(),
        bytes: b"id\n".to_vec(),
        format: Format::Csv,
        on_disk: None,
    };
    let today = trucban::domain::time::local_date(now);
    Some(match method {
        "stats" => Request::Stats {},
        "get" => Request::Get { id: t.person },
        "get_many" => Request::GetMany {
            ids: vec![t.person, t.wanted],
        },
        "list" => Request::List {
            query: ListQuery::all(Kind::Tip),
        },
        "save" => Request::Save {
            record: record.clone(),
        },
        "change_wanted_status" => Request::ChangeWantedStatus {
            id: t.wanted,
            status: WantedStatus::Cancelled,
            note: String::new(),
            by: None,
            at: now,
        },
        "import" => Request::Import {
            kind: Kind::Person,
            source: source(),
        },
        "export_page" => Request::ExportPage {
            kind: Kind::Tip,
            format: Format::Csv,
            after: None,
        },
        "wanted_with_status" => Request::WantedWithStatus {
            status: WantedStatus::Wanted,
        },
        "guests_checked_in" => Request::GuestsCheckedIn { from: now, to: now },
        "guests_of" => Request::GuestsOf {
            establishment: RecordId::new(Kind::Establishment, 1),
        },
        "roster_on" => Request::RosterOn { date: today },
        "related" => Request::Related { id: t.wanted },
        "late_declarations" => Request::LateDeclarations {
            from: now,
            to: now,
            now,
        },
        "inspection_candidates" => Request::InspectionCandidates {
            now,
            hits: HitCounts::new(),
        },
        "hit_counts" => Request::HitCounts { since: now },
        "search" => Request::Search {
            query: "Lý".into(),
            kind: None,
            limit: 5,
            lang: Lang::Vi,
        },
        "add_hit_step" => Request::AddHitStep {
            id: t.open_hit,
            step: HitStep {
                at: now,
                officer_id: RecordId::new(Kind::Officer, 0),
                outcome: HitOutcome::Escalated,
                confirmed_by: None,
                confirmed_at: None,
                note: String::new(),
            },
        },
        "screen_file" => Request::ScreenFile { source: source() },
        "roster" => Request::Roster {
            campaign: RecordId::new(Kind::Campaign, 1),
        },
        "on_duty" => Request::OnDuty {
            campaign: RecordId::new(Kind::Campaign, 1),
            at: now,
        },
        "roster_problems" => Request::RosterProblems {
            campaign: RecordId::new(Kind::Campaign, 1),
        },
        "edit_roster" => Request::EditRoster {
            by: RecordId::new(Kind::Officer, 0),
            edit: RosterEdit::Swap {
                first: t.assignment,
                second: t.assignment,
            },
        },
        "handover_sheet" => Request::HandoverSheet {
            shift: window,
            next: window,
            now,
            lang: Lang::Vi,
        },
        "sign_handover" => Request::SignHandover {
            shift: window,
            officer: RecordId::new(Kind::Officer, 0),
            text: "Ký".into(),
            at: now,
        },
        "acknowledge_handover" => Request::AcknowledgeHandover {
            id: t.signed_by_other,
            officer: RecordId::new(Kind::Officer, 0),
            remarks: String::new(),
            at: now,
        },
        "report" => Request::Report {
            period: Period {
                from: today,
                to: today,
            },
            lang: Lang::Vi,
        },
        "report_records" => Request::ReportRecords {
            period: Period {
                from: today,
                to: today,
            },
            key: "hits_found".into(),
        },
        "save_tip" => {
            let Record::Tip(tip) = record.clone() else {
                return None;
            };
            Request::SaveTip {
                tip,
                informant: None,
            }
        }
        "tip_step" => Request::TipStep {
            id: t.tip,
            step: TipStep {
                status: TipStatus::Verifying,
                verifier: None,
                extension: None,
            },
        },
        "informant" => Request::Informant {
            tip: t.tip,
            reader: RecordId::new(Kind::Officer, 0),
        },
        "tips_overdue" => Request::TipsOverdue { at: now },
        "duty_status" => Request::DutyStatus { at: now },
        "shift_glance" => Request::ShiftGlance {
            shift: trucban::domain::shifts::ShiftPlan::default().shift_at(now),
            now,
            beside: true,
        },
        "tips_received" => Request::TipsReceived { from: now, to: now },
        "check" => Request::Check {},
        "backup" => Request::Backup {
            path: std::env::temp_dir().join("sweep.bak"),
            replace: false,
        },
        "whoami" => Request::Whoami {},
        "lock" => Request::Lock {},
        "unlock" => Request::Unlock {
            pin: "000000".into(),
        },
        "restricted_note" => Request::RestrictedNote {
            record: t.sighting,
            reader: None,
        },
        "set_restricted_note" => Request::SetRestrictedNote {
            record: record.id(),
            note: RestrictedNote {
                text: "Ghi chú".into(),
                officers: vec![t.me],
                by: None,
                at: now,
            },
        },
        "audit" => Request::Audit {
            query: AuditQuery::default(),
        },
        "audit_verify" => Request::AuditVerify {},
        "accounts" => Request::Accounts {},
        "set_account" => Request::SetAccount {
            user: "someone".into(),
            officer: t.me,
            pin: Some("246810".into()),
        },
        _ => return None,
    })
}

/// One call over a raw connection: the greeting read, the call sent, its reply read.
pub fn call(socket: &Path, request: Request) -> Result<serde_json::Value, WireError> {
    let mut stream = UnixStream::connect(socket).expect("connect");
    let frame = wire::encode_within(&Call { id: 7, request }, wire::MAX_REQUEST).expect("frame");
    stream.write_all(&frame).expect("send");
    loop {
        let body = wire::read_message(&mut stream, wire::MAX_REPLY)
            .expect("read")
            .expect("a reply before the end");
        match wire::decode_message(&body).expect("message") {
            Message::Reply { id: 7, result } => return result.map_err(said_in_both),
            Message::Bye(e) => return Err(said_in_both(e)),
            _ => {}
        }
    }
}

/// Every refusal a raw client gets carries a stable code and its sentence in both
/// languages, whatever the request: a client in any language can show it as it is.
fn said_in_both(failure: wire::Failure) -> WireError {
    assert!(!failure.code.is_empty(), "{failure:?}");
    assert!(
        !failure.vi.is_empty() && !failure.en.is_empty() && failure.vi != failure.en,
        "one language only: {failure:?}"
    );
    failure.error
}

/// Every (method, kind) a role may not call, with the request for it.
pub fn forbidden_for(
    role: OfficerRole,
    t: &Targets,
    store: &dyn Backend,
) -> Vec<(String, Request)> {
    let mut out = Vec::new();
    for spec in requests::all() {
        match spec.allow {
            Allow::Session => {}
            Allow::Permission(p) => {
                if !access::allows(role, p) {
                    let record = any_record(store, Kind::Tip);
                    let request = request(spec.name, t, &record)
                        .unwrap_or_else(|| panic!("no request for {} in the sweep", spec.name));
                    out.push((spec.name.to_string(), request));
                }
            }
            Allow::SaveOfKind => {
                for kind in Kind::ALL {
                    if !access::allows(role, access::to_save(kind)) {
                        let record = any_record(store, kind);
                        let request = request(spec.name, t, &record)
                            .unwrap_or_else(|| panic!("no request for {}", spec.name));
                        out.push((format!("{} {}", spec.name, kind.name()), request));
                    }
                }
            }
        }
    }
    out
}

fn any_record(store: &dyn Backend, kind: Kind) -> Record {
    store
        .scan(kind)
        .next()
        .unwrap_or_else(|| panic!("no {} in the sample", kind.name()))
        .expect("read")
}
