//! The contract's lookups: each asked of the engine and answered again by reading the
//! records themselves, over windows and values taken from the sample.

use std::collections::{BTreeMap, BTreeSet};

use trucban::domain::{Instant, Kind, Record, RecordId};
use trucban::store::Lookup;

use super::{id, ids, now, of_kind, seeded};

/// Each lookup against the same question answered by reading everything.
#[test]
fn every_lookup_answers_what_reading_everything_answers() {
    let (_dir, backend, sample) = seeded();
    let of = |kind: Kind| of_kind(&sample, kind);
    let ask = |lookup: Lookup| backend.lookup(&lookup).expect("lookup");
    let mut asked = 0;
    let mut answered = 0;
    let mut check = |lookup: Lookup, expected: Vec<Record>| {
        asked += 1;
        answered += usize::from(!expected.is_empty());
        assert_eq!(ids(&ask(lookup.clone())), ids(&expected), "{lookup:?}");
    };

    let wanted = of(Kind::Wanted);
    let statuses: BTreeSet<_> = wanted
        .iter()
        .filter_map(|r| match r {
            Record::Wanted(w) => Some(w.status.code()),
            _ => None,
        })
        .collect();
    for record in &wanted {
        let Record::Wanted(w) = record else { continue };
        if !statuses.contains(w.status.code()) {
            continue;
        }
        let status = w.status;
        let expected = wanted
            .iter()
            .filter(|r| matches!(r, Record::Wanted(x) if x.status == status))
            .cloned()
            .collect();
        check(Lookup::WantedWithStatus(status), expected);
    }

    let guests = of(Kind::GuestStay);
    let by_check_in = |keep: &dyn Fn(&trucban::domain::GuestStay) -> bool| -> Vec<Record> {
        let mut v: Vec<&trucban::domain::GuestStay> = guests
            .iter()
            .filter_map(|r| match r {
                Record::GuestStay(g) if keep(g) => Some(g),
                _ => None,
            })
            .collect();
        v.sort_by_key(|g| (g.check_in, g.id));
        v.into_iter()
            .map(|g| Record::GuestStay(g.clone()))
            .collect()
    };
    for days in [1, 3, 30] {
        let from = now() - chrono::Duration::days(days);
        let to = now() - chrono::Duration::days(days / 2);
        check(
            Lookup::GuestsCheckedIn { from, to },
            by_check_in(&|g| g.check_in >= from && g.check_in < to),
        );
    }
    check(
        Lookup::GuestsCheckedIn {
            from: now(),
            to: now() - chrono::Duration::days(1),
        },
        Vec::new(),
    );
    // Bounds on guests' own check-in times: the start is in, the end is out.
    let mut times: Vec<Instant> = guests
        .iter()
        .filter_map(|r| match r {
            Record::GuestStay(g) => Some(g.check_in),
            _ => None,
        })
        .collect();
    times.sort();
    times.dedup();
    for pair in times.windows(6).step_by((times.len() / 12).max(1)) {
        let (from, to) = (pair[0], pair[5]);
        check(
            Lookup::GuestsCheckedIn { from, to },
            by_check_in(&|g| g.check_in >= from && g.check_in < to),
        );
    }
    // Exact instants, some shared by several stays, one no stay has, given in any order.
    let mut at: Vec<Instant> = times.iter().step_by(7).copied().collect();
    at.push(now() + chrono::Duration::days(400));
    at.reverse();
    check(
        Lookup::GuestsCheckedInAt(at.clone()),
        by_check_in(&|g| at.contains(&g.check_in)),
    );
    check(Lookup::GuestsCheckedInAt(Vec::new()), Vec::new());
    for establishment in of(Kind::Establishment).iter().map(Record::id).take(6) {
        check(
            Lookup::GuestsOf(establishment),
            by_check_in(&|g| g.establishment_id == establishment),
        );
    }
    for record in guests.iter().take(40) {
        let Record::GuestStay(g) = record else {
            continue;
        };
        let Some(doc) = g.guest.id_doc.clone() else {
            continue;
        };
        let expected = guests
            .iter()
            .filter(|r| matches!(r, Record::GuestStay(x) if x.guest.id_doc.as_ref() == Some(&doc)))
            .cloned()
            .collect();
        check(Lookup::GuestsWithDocument(doc), expected);
    }

    let persons = of(Kind::Person);
    for record in persons.iter().take(40) {
        let Record::Person(p) = record else { continue };
        let Some(doc) = &p.id_doc else { continue };
        let number = doc.number.clone();
        let expected = persons
            .iter()
            .filter(|r| matches!(r, Record::Person(x) if x.id_doc.as_ref().is_some_and(|d| d.number == number)))
            .cloned()
            .collect();
        check(Lookup::PersonsWithDocumentNumber(number), expected);
    }
    check(
        Lookup::PersonsWithDocumentNumber("no such number".into()),
        Vec::new(),
    );

    let assignments = of(Kind::Assignment);
    let dates: BTreeSet<chrono::NaiveDate> = assignments
        .iter()
        .filter_map(|r| match r {
            Record::Assignment(a) => Some(a.date),
            _ => None,
        })
        .collect();
    for date in dates.iter().take(10) {
        let expected = assignments
            .iter()
            .filter(|r| matches!(r, Record::Assignment(a) if a.date == *date))
            .cloned()
            .collect();
        check(Lookup::AssignmentsOn(*date), expected);
    }

    let hits = of(Kind::Hit);
    for days in [0, 2, 30, 3650] {
        let since = now() - chrono::Duration::days(days);
        let expected = hits
            .iter()
            .filter(|r| matches!(r, Record::Hit(h) if h.found_at >= since))
            .cloned()
            .collect();
        check(Lookup::HitsFoundSince(since), expected);
    }

    // Records by the moment they tell of: windows that start on one record's moment (kept)
    // and end on another's (left out), for every kind with a moment and one without.
    for kind in [
        Kind::Sighting,
        Kind::WatchEntry,
        Kind::DutyLog,
        Kind::Tip,
        Kind::Hit,
        Kind::GuestStay,
        Kind::Inspection,
        Kind::Assignment,
        Kind::Person,
    ] {
        let records = of(kind);
        let mut moments: Vec<_> = records.iter().filter_map(Record::moment).collect();
        moments.sort();
        let far = now() + chrono::Duration::days(4000);
        let windows = match (moments.first(), moments.get(moments.len() / 2)) {
            (Some(first), Some(middle)) => vec![(*first, *middle), (*middle, far), (far, far)],
            _ => vec![(now() - chrono::Duration::days(4000), far)],
        };
        for (from, to) in windows {
            let expected = records
                .iter()
                .filter(|r| r.moment().is_some_and(|at| from <= at && at < to))
                .cloned()
                .collect();
            check(Lookup::Happened { kind, from, to }, expected);
        }
    }

    // The notices, hits and tips a shift hands over, over windows of the sample's own
    // moments (a window starting on a moment keeps it, one ending on a moment leaves it out).
    let notices = of(Kind::Wanted);
    let hits = of(Kind::Hit);
    let mut moments: Vec<Instant> = notices
        .iter()
        .flat_map(|r| match r {
            Record::Wanted(w) => w.history.iter().map(|h| h.at).collect(),
            _ => Vec::new(),
        })
        .chain(hits.iter().flat_map(|r| {
            match r {
                Record::Hit(h) => std::iter::once(h.found_at)
                    .chain(h.steps.iter().map(|s| s.at))
                    .collect(),
                _ => Vec::new(),
            }
        }))
        .collect();
    moments.sort();
    moments.dedup();
    let step = (moments.len() / 10).max(1);
    let mut windows: Vec<(Instant, Instant)> = moments
        .iter()
        .step_by(step)
        .zip(moments.iter().skip(step / 2 + 1).step_by(step))
        .map(|(a, b)| (*a, *b))
        .collect();
    windows.push((now() - chrono::Duration::days(4000), now()));
    // Windows ending (left out) and starting (kept) on a hit's closing step.
    for record in &hits {
        let Record::Hit(h) = record else { continue };
        if let Some(closed) = h.steps.iter().find(|s| s.outcome.is_final()).map(|s| s.at) {
            windows.push((closed - chrono::Duration::days(1), closed));
            windows.push((closed, closed + chrono::Duration::days(1)));
        }
    }
    for (from, to) in windows {
        let changed = notices
            .iter()
            .filter(|r| matches!(r, Record::Wanted(w) if w.history.iter().any(|h| from <= h.at && h.at < to)))
            .cloned()
            .collect();
        check(Lookup::NoticesChangedIn { from, to }, changed);
        for at in [from, to] {
            let handed_over = hits
                .iter()
                .filter(|r| {
                    let Record::Hit(h) = r else { return false };
                    let closed = h.steps.iter().find(|s| s.outcome.is_final()).map(|s| s.at);
                    let open = h.found_at <= at && closed.is_none_or(|c| c > at);
                    open || closed.is_some_and(|c| from <= c && c < to)
                })
                .cloned()
                .collect();
            check(Lookup::HitsOpenAtOrClosedIn { at, from, to }, handed_over);
        }
    }
    let open_tips = of(Kind::Tip)
        .into_iter()
        .filter(|r| matches!(r, Record::Tip(t) if t.status.is_open()))
        .collect();
    check(Lookup::OpenTips, open_tips);
    // Hits on pairs naming some guests and some notices (and on none).
    let named: Vec<RecordId> = hits
        .iter()
        .step_by(4)
        .filter_map(|r| match r {
            Record::Hit(h) => Some(h.guest_stay_id),
            _ => None,
        })
        .chain(hits.iter().skip(1).step_by(5).filter_map(|r| match r {
            Record::Hit(h) => Some(h.listed_id),
            _ => None,
        }))
        .collect();
    for ids in [named.clone(), named[..1].to_vec(), Vec::new()] {
        let on_pairs = hits
            .iter()
            .filter(|r| matches!(r, Record::Hit(h) if ids.contains(&h.guest_stay_id) || ids.contains(&h.listed_id)))
            .cloned()
            .collect();
        check(
            Lookup::HitsOnPairsOf(trucban::store::IdSet::new(ids)),
            on_pairs,
        );
    }
    let active_entries = of(Kind::WatchEntry)
        .into_iter()
        .filter(|r| {
            matches!(r, Record::WatchEntry(e) if e.status == trucban::domain::WatchStatus::Active)
        })
        .collect();
    check(Lookup::ActiveWatchEntries, active_entries);

    // References: every record that names something, asked from the target's side.
    let mut pairs: BTreeSet<(Kind, RecordId)> = BTreeSet::new();
    for record in &sample {
        for (_, target) in record.references() {
            pairs.insert((record.kind(), target));
        }
    }
    for (kind, target) in pairs.iter().step_by((pairs.len() / 60).max(1)) {
        let expected = of(*kind)
            .into_iter()
            .filter(|r| r.references().iter().any(|(_, t)| t == target))
            .collect();
        check(
            Lookup::Referencing {
                kind: *kind,
                target: *target,
            },
            expected,
        );
    }

    for record in of(Kind::Handover) {
        let Record::Handover(h) = &record else {
            continue;
        };
        let first = of(Kind::Handover)
            .into_iter()
            .find(|r| matches!(r, Record::Handover(x) if x.shift_start == h.shift_start));
        check(
            Lookup::HandoverStarting(h.shift_start),
            first.into_iter().collect(),
        );
    }
    check(
        Lookup::HandoverStarting(now() + chrono::Duration::days(400)),
        Vec::new(),
    );

    let mut latest: BTreeMap<RecordId, trucban::domain::Inspection> = BTreeMap::new();
    for record in of(Kind::Inspection) {
        let Record::Inspection(i) = record else {
            continue;
        };
        let newer = latest
            .get(&i.establishment_id)
            .is_none_or(|seen| (i.date, i.id) > (seen.date, seen.id));
        if newer {
            latest.insert(i.establishment_id, i);
        }
    }
    check(
        Lookup::LatestInspections,
        latest.into_values().map(Record::Inspection).collect(),
    );

    use trucban::domain::text::fold;
    // A dated title is found as either language shows it (`27/11`, `27 Nov`) and as sorted.
    let handover = of(Kind::Handover).into_iter().next().expect("a handover");
    let vi_day: String = handover
        .title(trucban::i18n::Lang::Vi)
        .chars()
        .take(5)
        .collect();
    let en_day: String = handover
        .title(trucban::i18n::Lang::En)
        .chars()
        .take(6)
        .collect();
    let iso_day: String = handover.key_title().chars().take(10).collect();
    for (kind, needle) in [
        (Kind::Person, "giang"),
        (Kind::Person, "Lò Văn"),
        (Kind::Establishment, "nha nghi"),
        (Kind::Wanted, "tn-0000"),
        (Kind::Officer, "zzz-not-there"),
        (Kind::Handover, vi_day.as_str()),
        (Kind::Handover, en_day.as_str()),
        (Kind::Handover, iso_day.as_str()),
    ] {
        let folded = fold(needle);
        let expected: Vec<Record> = of(kind)
            .into_iter()
            .filter(|r| r.matches_filter(&folded))
            .collect();
        if kind == Kind::Handover {
            assert!(
                expected.iter().any(|r| r.id() == handover.id()),
                "{needle:?} does not find {}",
                handover.id()
            );
        }
        check(Lookup::Matching { kind, folded }, expected);
    }

    assert!(
        asked > 100 && answered > 50,
        "{asked} lookups, {answered} with records"
    );
}

/// The sample's files hold no screening hit (the seed finds them): hits of its guests
/// against its notices, some left open, some escalated, some closed by a final outcome hours
/// later, so that every question about hits has records to answer with.
pub(super) fn hits_for(sample: &[Record]) -> Vec<Record> {
    use trucban::domain::{HitList, HitOutcome, HitStep};
    let guests = sample.iter().filter_map(|r| match r {
        Record::GuestStay(g) => Some(g),
        _ => None,
    });
    let notices = sample.iter().filter_map(|r| match r {
        Record::Wanted(w) => Some(w),
        _ => None,
    });
    guests
        .step_by(7)
        .zip(notices)
        .take(60)
        .enumerate()
        .map(|(n, (guest, notice))| {
            let found_at = guest.check_in + chrono::Duration::minutes(30);
            let step = |hours: i64, outcome| HitStep {
                at: found_at + chrono::Duration::hours(hours),
                officer_id: id("CB-000001"),
                outcome,
                confirmed_by: None,
                confirmed_at: None,
                note: String::new(),
            };
            let hours = i64::try_from(n % 30).unwrap_or(0) + 2;
            let steps = match n % 3 {
                0 => Vec::new(),
                1 => vec![step(1, HitOutcome::Escalated)],
                _ => vec![
                    step(1, HitOutcome::Escalated),
                    step(hours, HitOutcome::NotThePerson),
                ],
            };
            Record::Hit(trucban::domain::Hit {
                id: RecordId::new(Kind::Hit, u64::try_from(n).unwrap_or(0) + 1),
                guest_stay_id: guest.id,
                list: HitList::Wanted,
                listed_id: notice.id,
                person_id: notice.person_id,
                score: 0.9,
                band: trucban::domain::screening::Band::Alert,
                reasons: Vec::new(),
                found_at,
                deadline: found_at + chrono::Duration::hours(24),
                especially_dangerous: false,
                steps,
            })
        })
        .collect()
}
