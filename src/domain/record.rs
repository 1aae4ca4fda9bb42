//! [`Record`]: one value of any collection, so that the store, the service and the
//! interchange formats handle every kind through one path.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::campaign::{Assignment, Campaign, Officer};
use super::cases::Case;
use super::dutylog::{DutyLogEntry, Handover};
use super::hits::Hit;
use super::ids::{Kind, RecordId};
use super::lodging::{Establishment, GuestStay, Inspection};
use super::person::Person;
use super::time::Instant;
use super::tips::Tip;
use super::wanted::{CriminalGroup, WantedNotice};
use super::watch::{Sighting, WatchEntry, Watchlist};
use crate::i18n::Lang;

// Not `Eq`: a hit holds its score and similarities as numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "record", rename_all = "snake_case")]
pub enum Record {
    Officer(Officer),
    Person(Person),
    Group(CriminalGroup),
    Wanted(WantedNotice),
    Watchlist(Watchlist),
    WatchEntry(WatchEntry),
    Sighting(Sighting),
    Establishment(Establishment),
    GuestStay(GuestStay),
    Inspection(Inspection),
    Campaign(Campaign),
    Assignment(Assignment),
    DutyLog(DutyLogEntry),
    Handover(Handover),
    Hit(Hit),
    Tip(Tip),
    Case(Case),
}

/// Calls `$body` with `$r` bound to the inner record, whatever the variant.
macro_rules! each_variant {
    ($record:expr, $r:ident => $body:expr) => {
        match $record {
            Record::Officer($r) => $body,
            Record::Person($r) => $body,
            Record::Group($r) => $body,
            Record::Wanted($r) => $body,
            Record::Watchlist($r) => $body,
            Record::WatchEntry($r) => $body,
            Record::Sighting($r) => $body,
            Record::Establishment($r) => $body,
            Record::GuestStay($r) => $body,
            Record::Inspection($r) => $body,
            Record::Campaign($r) => $body,
            Record::Assignment($r) => $body,
            Record::DutyLog($r) => $body,
            Record::Handover($r) => $body,
            Record::Hit($r) => $body,
            Record::Tip($r) => $body,
            Record::Case($r) => $body,
        }
    };
}

impl Record {
    pub fn id(&self) -> RecordId {
        each_variant!(self, r => r.id)
    }

    pub fn set_id(&mut self, id: RecordId) {
        each_variant!(self, r => r.id = id)
    }

    pub fn kind(&self) -> Kind {
        self.id().kind()
    }

    /// A one-line title, as a list or a breadcrumb shows the record, its dates in `lang`.
    pub fn title(&self, lang: Lang) -> String {
        self.title_in(Some(lang))
    }

    /// The title with its dates in ISO, what a list sorts and a filter matches on: the same
    /// for every console, and in time order where the title starts with a date.
    pub fn key_title(&self) -> String {
        self.title_in(None)
    }

    /// Whether a list filter (`folded`, see [`super::text::fold`]) finds this record: in its
    /// ID, its title as sorted, or — where the title holds a date — the title as either
    /// language shows it, so `26/11/2026` and `26 Nov` find what the officer sees.
    pub fn matches_filter(&self, folded: &str) -> bool {
        let finds = |text: &str| super::text::fold(text).contains(folded);
        let dated = matches!(
            self,
            Record::Inspection(_) | Record::Assignment(_) | Record::Handover(_)
        );
        finds(&self.key_title())
            || finds(&self.id().to_string())
            || (dated && [Lang::Vi, Lang::En].iter().any(|l| finds(&self.title(*l))))
    }

    fn title_in(&self, lang: Option<Lang>) -> String {
        let date = |d: NaiveDate| lang.map_or_else(|| d.to_string(), |l| l.date(d));
        match self {
            Record::Officer(o) => format!("{} {}", o.rank, o.full_name),
            Record::Person(p) => p.full_name.clone(),
            Record::Group(g) => g.name.clone(),
            Record::Wanted(w) => format!("QĐ {}", w.decision_no),
            Record::Watchlist(l) => l.name.clone(),
            Record::WatchEntry(e) => e.reason.clone(),
            Record::Sighting(s) => s.place.clone(),
            Record::Establishment(e) => e.name.clone(),
            Record::GuestStay(g) => g.guest.full_name.clone(),
            Record::Inspection(i) => date(i.date),
            Record::Campaign(c) => c.name.clone(),
            Record::Assignment(a) => format!("{} {} {}", date(a.date), a.shift, a.post),
            Record::DutyLog(l) => l.text.clone(),
            Record::Handover(h) => match lang {
                Some(l) => l.date_time(h.shift_start),
                None => super::time::to_local(h.shift_start)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            },
            Record::Hit(h) => format!("{} {:.2}", h.band.code(), h.score),
            Record::Tip(t) => t.content.clone(),
            Record::Case(c) => c.summary.clone(),
        }
    }

    /// When the thing the record tells of happened, for the kinds that tell of a moment: a
    /// sighting, a watch entry's addition, a duty-log entry, a tip's receipt, a hit's finding,
    /// a guest's check-in. The handover sheet and the report ask for records by this time
    /// (a lookup of the store); an engine may index it.
    pub fn moment(&self) -> Option<super::Instant> {
        match self {
            Record::Sighting(s) => Some(s.at),
            Record::WatchEntry(e) => Some(e.added_at),
            Record::DutyLog(l) => Some(l.at),
            Record::Tip(t) => Some(t.received_at),
            Record::Case(c) => Some(c.recorded_at),
            Record::Hit(h) => Some(h.found_at),
            Record::GuestStay(g) => Some(g.check_in),
            // An inspection and a roster assignment tell of a day: the moment that day
            // starts, in local time.
            Record::Inspection(i) => Some(super::time::local_day_start(i.date, 0)),
            Record::Assignment(a) => Some(super::time::local_day_start(a.date, 0)),
            _ => None,
        }
    }

    /// The first character in any of the record's text that must not reach a terminal.
    pub fn first_hostile_char(&self) -> Option<char> {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| super::text::first_hostile_in_json(&v))
    }

    /// Every other record this one names, with the field that names it: the store
    /// refuses a record whose references do not exist.
    pub fn references(&self) -> Vec<(&'static str, RecordId)> {
        let mut refs: Vec<(&'static str, RecordId)> = Vec::new();
        match self {
            Record::Officer(_) | Record::Person(_) | Record::Watchlist(_) => {}
            Record::Establishment(_) | Record::Campaign(_) => {}
            Record::Group(g) => refs.extend(g.members.iter().map(|m| ("members", m.person_id))),
            Record::Wanted(w) => {
                refs.push(("person_id", w.person_id));
                refs.extend(w.group_id.map(|g| ("group_id", g)));
                refs.extend(
                    w.history
                        .iter()
                        .filter_map(|h| h.by.map(|b| ("status_history", b))),
                );
            }
            Record::WatchEntry(e) => {
                refs.push(("watchlist_id", e.watchlist_id));
                refs.push(("person_id", e.person_id));
                refs.push(("added_by", e.added_by));
            }
            Record::Sighting(s) => {
                refs.push(("entry_id", s.entry_id));
                refs.push(("officer_id", s.officer_id));
            }
            Record::GuestStay(g) => refs.push(("establishment_id", g.establishment_id)),
            Record::Inspection(i) => {
                refs.push(("establishment_id", i.establishment_id));
                refs.push(("officer_id", i.officer_id));
            }
            Record::Assignment(a) => {
                refs.push(("campaign_id", a.campaign_id));
                refs.push(("officer_id", a.officer_id));
            }
            Record::DutyLog(l) => {
                refs.push(("officer_id", l.officer_id));
                refs.extend(l.record.map(|r| ("record_id", r)));
                refs.extend(l.corrects.map(|r| ("corrects", r)));
            }
            Record::Handover(h) => {
                refs.push(("from_officer", h.from_officer));
                refs.extend(h.to_officer.map(|o| ("to_officer", o)));
                refs.extend(
                    h.acknowledged
                        .as_ref()
                        .map(|a| ("acknowledged_by", a.officer)),
                );
            }
            Record::Hit(h) => {
                refs.push(("guest_stay_id", h.guest_stay_id));
                refs.push(("listed_id", h.listed_id));
                refs.push(("person_id", h.person_id));
                refs.extend(h.steps.iter().map(|s| ("steps", s.officer_id)));
            }
            Record::Tip(t) => {
                refs.push(("taken_by", t.taken_by));
                refs.extend(t.verifier.map(|v| ("verifier", v)));
                refs.extend(t.extensions.iter().map(|e| ("extensions", e.officer_id)));
            }
            Record::Case(c) => {
                refs.push(("recorded_by", c.recorded_by));
                refs.extend(c.group_id.map(|g| ("group_id", g)));
                refs.extend(c.source.map(|s| ("source", s)));
                refs.extend(c.history.iter().map(|s| ("history", s.officer_id)));
            }
        }
        refs
    }

    /// Moves the record's timeline: instants by `by`, calendar dates by `days`.
    /// Dates of birth do not move. Used to bring the sample's fixed timeline up to today.
    pub fn shift_timeline(&mut self, by: Duration, days: i64) {
        let t = |i: &mut Instant| *i += by;
        let d = |date: &mut NaiveDate| *date += Duration::days(days);
        match self {
            Record::Officer(_) | Record::Person(_) => {}
            Record::Group(g) => {
                g.filed_on.iter_mut().for_each(d);
                g.neutralised_on.iter_mut().for_each(d);
            }
            Record::Watchlist(_) | Record::Establishment(_) => {}
            Record::Wanted(w) => {
                d(&mut w.decision_date);
                w.last_verified.iter_mut().for_each(d);
                w.history.iter_mut().for_each(|h| t(&mut h.at));
            }
            Record::WatchEntry(e) => {
                t(&mut e.added_at);
                d(&mut e.review_due);
            }
            Record::Sighting(s) => t(&mut s.at),
            Record::GuestStay(g) => {
                t(&mut g.check_in);
                g.check_out.iter_mut().for_each(t);
                g.declared_at.iter_mut().for_each(t);
            }
            Record::Inspection(i) => d(&mut i.date),
            Record::Campaign(c) => {
                d(&mut c.start);
                d(&mut c.end);
            }
            Record::Assignment(a) => d(&mut a.date),
            Record::DutyLog(l) => t(&mut l.at),
            Record::Handover(h) => {
                t(&mut h.shift_start);
                t(&mut h.shift_end);
                h.signed_at.iter_mut().for_each(t);
                h.acknowledged.iter_mut().for_each(|a| t(&mut a.at));
            }
            Record::Hit(h) => {
                t(&mut h.found_at);
                t(&mut h.deadline);
                for s in &mut h.steps {
                    t(&mut s.at);
                    s.confirmed_at.iter_mut().for_each(t);
                }
            }
            Record::Tip(x) => {
                t(&mut x.received_at);
                t(&mut x.first_deadline);
                for e in &mut x.extensions {
                    t(&mut e.at);
                    t(&mut e.new_deadline);
                }
            }
            Record::Case(c) => {
                d(&mut c.occurred_on);
                t(&mut c.recorded_at);
                c.history.iter_mut().for_each(|s| t(&mut s.at));
            }
        }
    }
}
