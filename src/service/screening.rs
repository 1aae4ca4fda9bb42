//! Screening in the service: guest stays against the active lists (wanted notices with the
//! status `wanted`, watch entries with the status `active`), turned into hit records that are
//! written in the same transaction as what caused them — the guests imported or saved, or the
//! notice added or changed (then the guests of the last `recent_days` are screened against
//! it). A pair (guest stay, notice) is hit at most once: a repeated import or a second change
//! of the notice does not raise it again.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::domain::screening::{Identity, Match, Reason, ScreeningIndex, Thresholds};
use crate::domain::{
    Danger, GuestIdentity, GuestStay, Hit, HitDeadlines, HitList, Instant, Kind, Person, Record,
    RecordId, WantedStatus, WatchStatus,
};
use crate::store::{Backend, Lookup};

use super::Result;

/// The `[screening]` section of the configuration.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScreeningConfig {
    /// Score from which a hit is an alert (default 0.70).
    pub alert: f64,
    /// Score from which a hit is shown for review (default 0.50).
    pub review: f64,
    /// Minutes the issuing agency has to confirm a hit on an especially dangerous person.
    pub especially_dangerous_minutes: i64,
    /// Minutes for any other hit.
    pub other_minutes: i64,
    /// A new or changed notice is screened against the guests of this many days.
    pub recent_days: i64,
}

impl Default for ScreeningConfig {
    fn default() -> Self {
        let th = Thresholds::default();
        ScreeningConfig {
            alert: th.alert,
            review: th.review,
            especially_dangerous_minutes: HitDeadlines::default().especially_dangerous_minutes,
            other_minutes: HitDeadlines::default().other_minutes,
            recent_days: 30,
        }
    }
}

impl ScreeningConfig {
    /// Refuses settings that would make screening silently wrong.
    pub fn validate(&self) -> std::result::Result<(), crate::i18n::Said> {
        use crate::i18n::{Said, out_of_range};
        if !(self.alert > 0.0 && self.alert <= 1.0) {
            return Err(Said::new(
                format!("alert = {}: cần điểm lớn hơn 0, tối đa 1", self.alert),
                format!(
                    "alert = {}: expected a score above 0, at most 1",
                    self.alert
                ),
            ));
        }
        if !(self.review > 0.0 && self.review <= self.alert) {
            let (review, alert) = (self.review, self.alert);
            return Err(Said::new(
                format!("review = {review}: cần điểm lớn hơn 0, tối đa bằng alert ({alert})"),
                format!("review = {review}: expected a score above 0, at most alert ({alert})"),
            ));
        }
        for (key, minutes) in [
            (
                "especially_dangerous_minutes",
                self.especially_dangerous_minutes,
            ),
            ("other_minutes", self.other_minutes),
        ] {
            if !(1..=24 * 60).contains(&minutes) {
                return Err(out_of_range(key, minutes, (1, 1440), ("phút", "minutes")));
            }
        }
        if !(1..=366).contains(&self.recent_days) {
            return Err(out_of_range(
                "recent_days",
                self.recent_days,
                (1, 366),
                ("ngày", "days"),
            ));
        }
        Ok(())
    }

    pub fn deadlines(&self) -> HitDeadlines {
        HitDeadlines {
            especially_dangerous_minutes: self.especially_dangerous_minutes,
            other_minutes: self.other_minutes,
        }
    }

    pub fn thresholds(&self) -> Thresholds {
        Thresholds {
            alert: self.alert,
            review: self.review,
        }
    }
}

/// A listed person: who, on which notice, how dangerous.
#[derive(Clone, Debug)]
pub struct Listed {
    pub list: HitList,
    pub listed_id: RecordId,
    pub person: Person,
    pub especially_dangerous: bool,
}

/// A guest's match against one listed person, before it is a hit record.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Screened {
    pub list: HitList,
    pub record_id: String,
    pub person_name: String,
    pub score: f64,
    pub band: crate::domain::screening::Band,
    pub reasons: Vec<Reason>,
}

/// The listed persons with their candidate index.
pub struct Lists {
    listed: Vec<Listed>,
    index: ScreeningIndex,
}

impl Lists {
    pub fn new(listed: Vec<Listed>) -> Lists {
        let index = ScreeningIndex::new(listed.iter().map(|l| Identity::of_person(&l.person)));
        Lists { listed, index }
    }

    /// The active notices and watch entries of the store.
    pub fn active(store: &dyn Backend) -> Result<Vec<Listed>> {
        let mut listed = Vec::new();
        let person = |id| person_in_store(store, id);
        for lookup in [
            Lookup::WantedWithStatus(WantedStatus::Wanted),
            Lookup::ActiveWatchEntries,
        ] {
            for record in store.lookup(&lookup)? {
                listed.extend(listed_of(&record, &person)?);
            }
        }
        Ok(listed)
    }

    /// Banded matches of a guest, best first.
    pub fn screen(&self, guest: &GuestIdentity, config: &ScreeningConfig) -> Vec<(&Listed, Match)> {
        self.index
            .screen(&Identity::of_guest(guest), &config.thresholds())
            .into_iter()
            .filter_map(|(n, m)| self.listed.get(n).map(|l| (l, m)))
            .collect()
    }
}

pub fn person_in_store(store: &dyn Backend, id: RecordId) -> Result<Option<Person>> {
    Ok(match store.get(id)? {
        Some(Record::Person(p)) => Some(p),
        _ => None,
    })
}

/// The listed person of a notice or watch entry if it is active (`None` otherwise);
/// `person` finds the person it names.
pub fn listed_of(
    record: &Record,
    person: &dyn Fn(RecordId) -> Result<Option<Person>>,
) -> Result<Option<Listed>> {
    let (list, person_id, especially_dangerous) = match record {
        Record::Wanted(w) if w.status.is_active() => (
            HitList::Wanted,
            w.person_id,
            w.danger == Danger::EspeciallyDangerous,
        ),
        Record::WatchEntry(e) if e.status == WatchStatus::Active => {
            (HitList::Watch, e.person_id, false)
        }
        _ => return Ok(None),
    };
    let Some(person) = person(person_id)? else {
        return Ok(None);
    };
    Ok(Some(Listed {
        list,
        listed_id: record.id(),
        person,
        especially_dangerous,
    }))
}

/// What the screening says of one guest, for `trucban screen`.
pub fn preview(lists: &Lists, guest: &GuestIdentity, config: &ScreeningConfig) -> Vec<Screened> {
    lists
        .screen(guest, config)
        .into_iter()
        .filter_map(|(l, m)| {
            Some(Screened {
                list: l.list,
                record_id: l.listed_id.to_string(),
                person_name: l.person.full_name.clone(),
                score: m.score,
                band: m.band?,
                reasons: m.reasons,
            })
        })
        .collect()
}

/// New hits (number 0: the caller gives them IDs) of `guests` against `lists`, leaving out
/// the pairs in `already`.
pub fn hits(
    lists: &Lists,
    guests: &[&GuestStay],
    config: &ScreeningConfig,
    now: Instant,
    already: &HashSet<(RecordId, RecordId)>,
) -> Vec<Hit> {
    let mut out = Vec::new();
    for guest in guests {
        for (listed, m) in lists.screen(&guest.guest, config) {
            let Some(band) = m.band else { continue };
            if already.contains(&(guest.id, listed.listed_id)) {
                continue;
            }
            out.push(Hit {
                id: RecordId::new(Kind::Hit, 0),
                guest_stay_id: guest.id,
                list: listed.list,
                listed_id: listed.listed_id,
                person_id: listed.person.id,
                score: (m.score * 10_000.0).round() / 10_000.0,
                band,
                reasons: m.reasons,
                found_at: now,
                deadline: config
                    .deadlines()
                    .deadline(now, listed.especially_dangerous),
                especially_dangerous: listed.especially_dangerous,
                steps: Vec::new(),
            });
        }
    }
    out
}

/// The (guest stay, notice) pairs already hit among those that name one of `ids` (the
/// guests and the notices or entries being screened: every pair a screening weighs names one).
pub fn pairs_already_hit(
    store: &dyn Backend,
    ids: Vec<RecordId>,
) -> Result<HashSet<(RecordId, RecordId)>> {
    let mut pairs = HashSet::new();
    if ids.is_empty() {
        return Ok(pairs);
    }
    for record in store.lookup(&Lookup::HitsOnPairsOf(crate::store::IdSet::new(ids)))? {
        if let Record::Hit(h) = record {
            pairs.insert((h.guest_stay_id, h.listed_id));
        }
    }
    Ok(pairs)
}

/// Guest stays that checked in during the last `days` days (and any later, in case of a
/// clock set behind).
pub fn recent_guests(store: &dyn Backend, now: Instant, days: i64) -> Result<Vec<GuestStay>> {
    let lookup = Lookup::GuestsCheckedIn {
        from: now - chrono::Duration::days(days.max(0)),
        to: now + chrono::Duration::days(366),
    };
    Ok(store
        .lookup(&lookup)?
        .into_iter()
        .filter_map(|r| match r {
            Record::GuestStay(g) => Some(g),
            _ => None,
        })
        .collect())
}
