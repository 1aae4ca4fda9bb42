//! The committed fictional sample (`data/*.csv`), built into the binary so that `demo`
//! works from anywhere. The files are written by `trucban write-sample data` from the
//! seeded generator; a test keeps them equal to what the generator makes.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{Duration, SubsecRound};

use crate::domain::time::local_date;
use crate::domain::{Instant, Kind, Record, RecordId};
use crate::service::interchange::{self, Format};

pub const SAMPLE_SEED: u64 = 20_261_115;

/// The demo store's account for whoever runs `trucban demo`: this officer (a duty officer
/// of the sample) unless `--officer` names another, and this PIN, so that the session lock
/// can be tried. Only ever on the temporary, fictional demo store.
pub const DEMO_OFFICER: RecordId = RecordId::new(Kind::Officer, 20);
pub const DEMO_PIN: &str = "246810";

macro_rules! sample_files {
    ($($kind:ident => $file:literal),+ $(,)?) => {
        pub const FILES: &[(Kind, &str, &[u8])] = &[
            $((Kind::$kind, concat!("data/", $file), include_bytes!(concat!("../../data/", $file)))),+
        ];
    };
}

sample_files! {
    Officer => "officers.csv",
    Person => "persons.csv",
    Group => "groups.csv",
    Wanted => "wanted.csv",
    Watchlist => "watchlists.csv",
    WatchEntry => "watch.csv",
    Sighting => "sightings.csv",
    Establishment => "establishments.csv",
    GuestStay => "guests.csv",
    Inspection => "inspections.csv",
    Campaign => "campaigns.csv",
    Assignment => "roster.csv",
    DutyLog => "log.csv",
    Handover => "handovers.csv",
    Tip => "tips.csv",
    Case => "cases.csv",
}

/// The sample's records with their timeline moved so that its last day ends at `now`:
/// instants move by the exact gap, calendar dates by whole days, dates of birth not at all.
pub fn sample_records(now: Instant) -> anyhow::Result<Vec<Record>> {
    // Stored instants are whole seconds (exports write seconds); keep the shift whole too.
    let now = now.trunc_subsecs(0);
    let end = crate::sample::reference_end();
    // Moved by whole shifts (12 h), never past now: the sample's shifts stay on the
    // 07:30/19:30 boundaries they were written on, so its handovers are those of the
    // configured shifts whatever the hour the demo starts.
    let shift = crate::sample::SHIFT_HOURS * 3600;
    let by = Duration::seconds((now - end).num_seconds().div_euclid(shift) * shift);
    let days = (local_date(now) - local_date(end - Duration::seconds(1))).num_days();
    let mut seen: HashSet<RecordId> = HashSet::new();
    let mut records = Vec::new();
    for (kind, name, bytes) in FILES {
        let rows = interchange::parse(*kind, name, bytes, Format::Csv).map_err(|problems| {
            let lines = |lang| {
                let lines: Vec<String> = problems.iter().take(5).map(|p| p.label(lang)).collect();
                lines.join("\n")
            };
            super::told::told(
                "sample.damaged",
                format!(
                    "bộ dữ liệu mẫu có sẵn bị hỏng:\n{}",
                    lines(crate::i18n::Lang::Vi)
                ),
                format!(
                    "the built-in sample is damaged:\n{}",
                    lines(crate::i18n::Lang::En)
                ),
            )
        })?;
        for record in rows.into_iter().flat_map(|r| r.records) {
            // Persons recur in persons.csv, wanted.csv and watch.csv; identical each time.
            if seen.insert(record.id()) {
                let mut record = record;
                record.shift_timeline(by, days);
                records.push(record);
            }
        }
    }
    Ok(records)
}

/// The sample as export writes it: one CSV per kind, keyed by file name.
pub fn sample_files(seed: u64) -> Result<Vec<(String, Vec<u8>)>, interchange::Unwritable> {
    let records = crate::sample::sample(seed);
    let by_id: HashMap<RecordId, &Record> = records.iter().map(|r| (r.id(), r)).collect();
    let lookup = |id: RecordId| by_id.get(&id).map(|r| (*r).clone());
    FILES
        .iter()
        .map(|(kind, name, _)| {
            let of_kind = records.iter().filter(|r| r.kind() == *kind);
            let bytes = interchange::export(
                *kind,
                of_kind,
                &lookup,
                Format::Csv,
                interchange::Piece::WHOLE,
            )?;
            let file = name.trim_start_matches("data/").to_string();
            Ok((file, bytes))
        })
        .collect()
}

pub fn write_sample_files(dir: &Path, seed: u64) -> anyhow::Result<()> {
    crate::durable::create_dir_all(dir)?;
    for (file, bytes) in sample_files(seed)? {
        super::output::write_atomically(&dir.join(file), &bytes)?;
    }
    Ok(())
}
