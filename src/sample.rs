//! A deterministic generator of FICTIONAL data for demos, tests and benchmarks. Every name
//! is drawn from pools, every identity number from a reserved range that no real document
//! uses (see [`numbers`]), every decision and event is invented: no record is a real person.
//!
//! The sample lives on a fixed timeline that ends at [`reference_end`]; a caller that wants it
//! "now" moves it with `Record::shift_timeline`. Output depends on the seed only: ChaCha8
//! streams (one per section, so that changing one section leaves the others alone), no hash
//! maps, no clock.

mod campaigns;
mod cases;
mod desk;
mod groups;
mod inspections;
mod lodging;
mod names;
mod numbers;
mod people;
mod places;
mod tips;
mod wanted;
mod watch;

#[cfg(test)]
mod tests;

use chrono::{Duration, NaiveDate, NaiveTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::{Instant, Kind, Record, RecordId};

/// The last local day of the timeline.
const LAST_DAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 11, 15).expect("a valid date");

/// The sample's shifts: 12 hours from 07:30 and 19:30 local, the default shift plan.
pub const SHIFT_HOURS: i64 = 12;

/// End of the sample's fixed timeline: 2026-11-15 24:00 local (UTC+7) = 2026-11-15T17:00:00Z.
pub fn reference_end() -> Instant {
    at_local(LAST_DAY + Duration::days(1), 0)
}

/// The sample store: every record, grouped by kind in `Kind::ALL` order (officers first, …),
/// IDs numbered 1.. per kind (RecordId::new(kind, n)), every reference valid.
pub fn sample(seed: u64) -> Vec<Record> {
    let officers = people::officers(&mut stream(seed, 1), 72);
    let mut persons = Vec::new();
    let mut notices = wanted::notices(&mut stream(seed, 2), seed, &officers, &mut persons, 300);
    let watch = watch::build(
        &mut stream(seed, 3),
        seed,
        &officers,
        &mut persons,
        &notices,
    );
    let mut groups = groups::groups(&mut stream(seed, 4), &mut notices, &watch, &persons, 40);
    // A stream of its own, so that the dates leave every other section as it was.
    groups::date(&mut stream(seed, 12), &mut groups, LAST_DAY);
    let establishments = lodging::establishments(&mut stream(seed, 5), 80);
    let mut guests = lodging::guests(&mut stream(seed, 6), seed, &establishments, 5000, 30, 0);
    lodging::plant_near_matches(&mut stream(seed, 7), &mut guests, &notices, &persons);
    let inspections =
        inspections::inspections(&mut stream(seed, 8), &establishments, &officers, 300);
    let (campaigns, roster) = campaigns::build(&mut stream(seed, 9), &officers);
    let refs = desk::Refs {
        officers: &officers,
        persons: &persons,
        notices: &notices,
        entries: &watch.entries,
        sightings: &watch.sightings,
        establishments: &establishments,
        guests: &guests,
        inspections: &inspections,
        roster: &roster,
    };
    let (log, handovers) = desk::build(&mut stream(seed, 10), &refs);
    let tips = tips::build(&mut stream(seed, 11), &mut stream(seed, 14), &officers);
    let cases = cases::build(&mut stream(seed, 13), &officers, &groups, &tips);

    let mut out = Vec::new();
    out.extend(officers.into_iter().map(Record::Officer));
    out.extend(persons.into_iter().map(Record::Person));
    out.extend(groups.into_iter().map(Record::Group));
    out.extend(notices.into_iter().map(Record::Wanted));
    out.extend(watch.lists.into_iter().map(Record::Watchlist));
    out.extend(watch.entries.into_iter().map(Record::WatchEntry));
    out.extend(watch.sightings.into_iter().map(Record::Sighting));
    out.extend(establishments.into_iter().map(Record::Establishment));
    out.extend(guests.into_iter().map(Record::GuestStay));
    out.extend(inspections.into_iter().map(Record::Inspection));
    out.extend(campaigns.into_iter().map(Record::Campaign));
    out.extend(roster.into_iter().map(Record::Assignment));
    out.extend(log.into_iter().map(Record::DutyLog));
    out.extend(handovers.into_iter().map(Record::Handover));
    out.extend(tips.into_iter().map(Record::Tip));
    out.extend(cases.into_iter().map(Record::Case));
    out
}

/// Records per chunk handed to the `scale` sink.
const CHUNK: u64 = 10_000;

/// A large store for benchmarks: `persons` Person records and `persons` GuestStay records,
/// plus what they need (establishments: max(80, persons/1000); officers 60), delivered in
/// chunks of at most 10_000 records, referenced records before the records referencing them.
///
/// Guests spread over the last 365 days. About 1 % of them carry the name (and sometimes the
/// birth date and number) of a generated person, so that screening benchmarks find hits.
/// Every chunk is generated from its own stream, and a person from a stream of its own
/// index, so memory stays at one chunk whatever `persons` is.
pub fn scale(
    persons: u64,
    guest_stays: u64,
    seed: u64,
    sink: &mut dyn FnMut(Vec<Record>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let officers = people::officers(&mut stream(seed, 101), 60);
    sink(officers.into_iter().map(Record::Officer).collect())?;

    for start in (0..persons).step_by(CHUNK as usize) {
        let end = (start + CHUNK).min(persons);
        sink(
            (start..end)
                .map(|i| Record::Person(people::scale_person(seed, i)))
                .collect(),
        )?;
    }

    let n_est = (persons / 1000).max(80);
    let establishments = lodging::establishments(&mut stream(seed, 102), n_est as usize);
    for chunk in establishments.chunks(CHUNK as usize) {
        sink(chunk.iter().cloned().map(Record::Establishment).collect())?;
    }

    for (k, start) in (0..guest_stays).step_by(CHUNK as usize).enumerate() {
        let count = (guest_stays - start).min(CHUNK) as usize;
        let mut rng = stream(seed, 1_000 + k as u64);
        let mut guests = lodging::guests(&mut rng, seed, &establishments, count, 365, start);
        if persons > 0 {
            lodging::echo_persons(&mut rng, seed, &mut guests, persons);
        }
        sink(guests.into_iter().map(Record::GuestStay).collect())?;
    }
    Ok(())
}

// ---- helpers shared by the sections ------------------------------------------------------

/// One ChaCha8 stream per section of the sample.
fn stream(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

fn id(kind: Kind, index: usize) -> RecordId {
    RecordId::new(kind, index as u64 + 1)
}

/// Local (UTC+7) midnight of `date` plus `secs`.
fn at_local(date: NaiveDate, secs: i64) -> Instant {
    date.and_time(NaiveTime::MIN).and_utc() + Duration::seconds(secs - 7 * 3600)
}

/// The local day `n` days before the last day of the timeline (0 = the last day).
fn days_back(n: i64) -> NaiveDate {
    LAST_DAY - Duration::days(n)
}

/// A whole-second instant in `[from, to)`.
fn between(rng: &mut ChaCha8Rng, from: Instant, to: Instant) -> Instant {
    let span = (to - from).num_seconds().max(1);
    from + Duration::seconds(rng.random_range(0..span))
}

fn date_between(rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(1);
    from + Duration::days(rng.random_range(0..span))
}

fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.random_bool(p)
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Like [`pick`] but the first items are much more likely (index ∝ u^1.5, so the first of
/// 16 comes up ~16 % of the time): the most common names come first in the pools.
/// `sqrt` rather than `powf`: IEEE rounds it exactly, so every platform draws alike.
fn skewed<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    let u: f64 = rng.random();
    &items[((u * u.sqrt() * items.len() as f64) as usize).min(items.len() - 1)]
}

fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total.max(1));
    for (item, w) in items {
        if roll < *w {
            return *item;
        }
        roll -= w;
    }
    items[items.len() - 1].0
}

/// `count` more wanted notices for `records` (a sample), each naming a person of its own
/// made as the benchmark store's persons are, its other fields those of one of the
/// sample's notices in turn, under new IDs and decision numbers: lists of a province's
/// size, to screen imports against (`TRUCBAN_BENCH_LISTS=notices:N`).
pub fn more_notices(records: &[Record], count: usize, seed: u64) -> Vec<Record> {
    let templates: Vec<&crate::domain::WantedNotice> = records
        .iter()
        .filter_map(|r| match r {
            Record::Wanted(w) => Some(w),
            _ => None,
        })
        .collect();
    let highest = |kind: Kind| {
        records
            .iter()
            .filter(|r| r.kind() == kind)
            .map(|r| r.id().num())
            .max()
            .unwrap_or(0)
    };
    let (persons, notices) = (highest(Kind::Person), highest(Kind::Wanted));
    let mut out = Vec::with_capacity(count * 2);
    for (k, template) in (0..count).zip(templates.iter().cycle()) {
        let n = k as u64 + 1;
        let mut person = people::scale_person(seed, n);
        person.id = RecordId::new(Kind::Person, persons + n);
        let mut notice = (*template).clone();
        notice.id = RecordId::new(Kind::Wanted, notices + n);
        notice.person_id = person.id;
        notice.decision_no = format!("{n}/QĐ-BENCH");
        notice.group_id = None;
        out.push(Record::Person(person));
        out.push(Record::Wanted(notice));
    }
    out
}
