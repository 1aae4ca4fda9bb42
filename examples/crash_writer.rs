//! The child of the crash test (tests/crash.rs): writes through the service API in a loop —
//! batches of guests by import, single duty-log entries by save — and prints `saved ID` for
//! every record only after the call that wrote it returned Ok. The test kills it with
//! SIGKILL at a random moment and checks that every printed ID is in the store.
//!
//! Usage: crash_writer DATA_DIR

use std::io::Write;

use chrono::Utc;
use trucban::domain::{DutyLogEntry, Kind, Record, RecordId};
use trucban::service::{DeskApi, Format, ImportSource, LocalDesk};
use trucban::store::Store;

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: crash_writer DATA_DIR"))?;
    let desk = LocalDesk::new(Store::open(std::path::Path::new(&dir), Utc::now())?);
    let mut out = std::io::stdout().lock();
    let mut next_guest = desk.store().reserve_ids(Kind::GuestStay, 0);
    for round in 0u64.. {
        if round % 4 == 0 {
            let ids: Vec<RecordId> = (0..20)
                .map(|i| RecordId::new(Kind::GuestStay, next_guest + i))
                .collect();
            next_guest += 20;
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
            };
            desk.import(Kind::GuestStay, &source)?;
            for id in ids {
                writeln!(out, "saved {id}")?;
            }
        } else {
            let entry = Record::DutyLog(DutyLogEntry {
                id: RecordId::new(Kind::DutyLog, 0),
                at: Utc::now().with_nanosecond_zero(),
                officer_id: RecordId::new(Kind::Officer, 1),
                text: format!("Vòng ghi {round}"),
                record: None,
                corrects: None,
            });
            let id = desk.save(entry)?;
            writeln!(out, "saved {id}")?;
        }
        out.flush()?;
    }
    Ok(())
}

trait WholeSeconds {
    fn with_nanosecond_zero(self) -> Self;
}

impl WholeSeconds for trucban::domain::Instant {
    fn with_nanosecond_zero(self) -> Self {
        use chrono::SubsecRound;
        self.trunc_subsecs(0)
    }
}
