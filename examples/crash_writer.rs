//! The child of the crash test (tests/crash.rs): writes through the service API as the
//! store owner's session (so every write carries its audit entry) in a loop of mixed
//! writes — batches of guests by import, duty-log entries, a hit's outcome steps, the
//! handover text of the current shift signed again and again — and prints what each call
//! wrote only after it returned Ok:
//!
//! - `saved ID` for every record written,
//! - `batch ID` for the first guest of an import (the import's audit entry names it),
//! - `importing ID N` before an import of N guests from ID on is asked for (after a cut,
//!   all N or none must be there): 20 guests, or with `TRUCBAN_IMPORT_PART_ROWS=R` (R > 0), 30
//!   parts of R guests (written in parts, so that cuts fall in the middle of them),
//! - `step ID N` when hit ID has N steps,
//! - `signed ID R` when handover ID holds the text of round R.
//!
//! The test kills it with SIGKILL at a random moment and checks all of it in the store.
//!
//! Usage: crash_writer DATA_DIR (the store itself, as its owner), or
//! crash_writer --socket PATH (a client of `trucban serve`, as the OS user's account; guest
//! stays are then saved one by one, since imports are the administrator's and the rest is not).

use std::io::Write;

use trucban::domain::shifts::ShiftPlan;
use trucban::domain::{DutyLogEntry, HitOutcome, HitStep, Kind, Record, RecordId};
use trucban::service::session::SessionDesk;
use trucban::service::{DeskApi, Format, ImportSource, ListQuery, LocalDesk, RemoteDesk};
use trucban::store::SledBackend;

const OFFICER: RecordId = RecordId::new(Kind::Officer, 20);
/// "Whoever the session is": the service fills in the acting officer (the embedded owner
/// session's OFFICER, or the daemon account's officer).
const SESSION_OFFICER: RecordId = RecordId::new(Kind::Officer, 0);

fn open_hit(records: impl Iterator<Item = Record>) -> anyhow::Result<RecordId> {
    records
        .filter_map(|r| match r {
            Record::Hit(h) if h.outcome().is_none_or(|o| !o.is_final()) => Some(h.id),
            _ => None,
        })
        .next()
        .ok_or_else(|| anyhow::anyhow!("the seeded store has no open hit"))
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut import_rows = 20;
    let (desk, local): (Box<dyn DeskApi>, Option<LocalDesk>) = match args.as_slice() {
        [flag, socket] if flag == "--socket" => (
            Box::new(RemoteDesk::connect(std::path::Path::new(socket))?),
            None,
        ),
        [dir] => {
            let part_rows: Option<u64> = std::env::var("TRUCBAN_IMPORT_PART_ROWS")
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|r| *r > 0);
            let local = LocalDesk::new(
                SledBackend::open(
                    std::path::Path::new(dir),
                    trucban::domain::Clock::system().now(),
                )?,
                trucban::domain::Clock::system(),
            )
            .with_import_part_rows(part_rows.map_or(10_000, |r| r as usize));
            import_rows = part_rows.map_or(20, |r| 30 * r);
            let desk = SessionDesk::owner(
                &local,
                "crash-writer",
                Some(OFFICER),
                trucban::domain::Clock::system(),
            )?;
            (Box::new(desk), Some(local))
        }
        _ => anyhow::bail!("usage: crash_writer DATA_DIR | crash_writer --socket PATH"),
    };
    // An open hit to record steps on (escalation may repeat; a final outcome may not).
    let hit = open_hit(desk.list(&ListQuery::all(Kind::Hit))?.records.into_iter())?;
    // Over the daemon, guests are copies of a stored one, saved one by one.
    let template = desk
        .list(&ListQuery {
            limit: 1,
            ..ListQuery::all(Kind::GuestStay)
        })?
        .records
        .into_iter()
        .next();
    let shift = ShiftPlan::default().shift_at(trucban::domain::Clock::system().now());
    let mut out = std::io::stdout().lock();
    let mut next_guest = match &local {
        Some(l) => l.store().reserve_ids(Kind::GuestStay, 0)?,
        None => 0,
    };
    // Rounds keep growing from one run to the next (the test compares the handover's
    // latest round with the last one reported, across kills).
    let first_round =
        u64::try_from(trucban::domain::Clock::system().now().timestamp_millis()).unwrap_or(0) * 4;
    for round in first_round.. {
        match round % 4 {
            0 if local.is_none() => {
                let Some(Record::GuestStay(mut guest)) = template.clone() else {
                    anyhow::bail!("the seeded store has no guest stay");
                };
                guest.id = RecordId::new(Kind::GuestStay, 0);
                guest.guest.full_name = format!("Khách {round}");
                let id = desk.save(Record::GuestStay(guest))?;
                writeln!(out, "batch {id}")?;
                writeln!(out, "saved {id}")?;
            }
            0 => {
                let ids: Vec<RecordId> = (0..import_rows)
                    .map(|i| RecordId::new(Kind::GuestStay, next_guest + i))
                    .collect();
                next_guest += import_rows;
                let mut csv = String::from(
                    "id,establishment_id,full_name,date_of_birth,gender,id_number,nationality,check_in,check_out,room,declared_at\n",
                );
                for id in &ids {
                    csv.push_str(&format!(
                        "{id},CS-000001,Khách {},1990,female,,VNM,2026-11-20 21:{:02},,{},\n",
                        id.num(),
                        id.num() % 60,
                        id.num() % 40
                    ));
                }
                let source = ImportSource {
                    name: "guests.csv".into(),
                    bytes: csv.into_bytes(),
                    format: Format::Csv,
                    on_disk: None,
                };
                writeln!(out, "importing {} {import_rows}", ids[0])?;
                desk.import(Kind::GuestStay, &source)?;
                writeln!(out, "batch {}", ids[0])?;
                for id in ids {
                    writeln!(out, "saved {id}")?;
                }
            }
            1 => {
                let entry = Record::DutyLog(DutyLogEntry {
                    id: RecordId::new(Kind::DutyLog, 0),
                    at: trucban::domain::Clock::system().now_secs(),
                    officer_id: SESSION_OFFICER,
                    text: format!("Vòng ghi {round}"),
                    record: None,
                    corrects: None,
                });
                let id = desk.save(entry)?;
                writeln!(out, "saved {id}")?;
            }
            2 => {
                let step = HitStep {
                    at: trucban::domain::Clock::system().now_secs(),
                    officer_id: SESSION_OFFICER,
                    outcome: HitOutcome::Escalated,
                    confirmed_by: None,
                    confirmed_at: None,
                    note: format!("Báo cáo lãnh đạo lần {round}"),
                };
                if let Record::Hit(h) = desk.add_hit_step(hit, step)? {
                    writeln!(out, "step {} {}", h.id, h.steps.len())?;
                }
            }
            _ => {
                let text = format!("Giao ca: tình hình bình thường. Vòng {round}");
                let record = desk.sign_handover(
                    shift,
                    SESSION_OFFICER,
                    &text,
                    trucban::domain::Clock::system().now_secs(),
                )?;
                writeln!(out, "signed {} {round}", record.id())?;
            }
        }
        out.flush()?;
    }
    Ok(())
}
