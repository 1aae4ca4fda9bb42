//! The records a detail view links to, both ways: what a record names, and what names it.

use crate::domain::{Kind, Record, RecordId};

use super::super::{DeskApi, Result, ServiceError};
use super::LocalDesk;

impl LocalDesk {
    pub(super) fn related_records(&self, id: RecordId) -> Result<Vec<Record>> {
        let Some(record) = self.store.get(id)? else {
            return Err(ServiceError::NotFound(id));
        };
        let mut ids: Vec<RecordId> = record
            .references()
            .into_iter()
            .map(|(_, target)| target)
            .collect();
        let mut extra: Vec<Record> = Vec::new();
        let scan = |kind: Kind, keep: &dyn Fn(&Record) -> bool| -> Result<Vec<Record>> {
            let mut out = Vec::new();
            for r in self.store.scan(kind) {
                let r = r?;
                if keep(&r) {
                    out.push(r);
                }
            }
            Ok(out)
        };
        match &record {
            Record::Wanted(w) => {
                let person = w.person_id;
                extra.extend(scan(
                    Kind::WatchEntry,
                    &|r| matches!(r, Record::WatchEntry(e) if e.person_id == person),
                )?);
                if let Some(Record::Person(p)) = self.store.get(person)?
                    && let Some(doc) = p.id_doc
                {
                    extra.extend(scan(Kind::GuestStay, &|r| matches!(r, Record::GuestStay(g) if g.guest.id_doc.as_ref() == Some(&doc)))?);
                }
            }
            Record::Person(p) => {
                let person = p.id;
                extra.extend(scan(
                    Kind::Wanted,
                    &|r| matches!(r, Record::Wanted(w) if w.person_id == person),
                )?);
                extra.extend(scan(
                    Kind::WatchEntry,
                    &|r| matches!(r, Record::WatchEntry(e) if e.person_id == person),
                )?);
                extra.extend(scan(Kind::Group, &|r| matches!(r, Record::Group(g) if g.members.iter().any(|m| m.person_id == person)))?);
            }
            Record::Group(g) => {
                let group = g.id;
                extra.extend(scan(
                    Kind::Wanted,
                    &|r| matches!(r, Record::Wanted(w) if w.group_id == Some(group)),
                )?);
            }
            Record::WatchEntry(e) => {
                let (entry, person) = (e.id, e.person_id);
                extra.extend(scan(
                    Kind::Sighting,
                    &|r| matches!(r, Record::Sighting(s) if s.entry_id == entry),
                )?);
                extra.extend(scan(
                    Kind::Wanted,
                    &|r| matches!(r, Record::Wanted(w) if w.person_id == person),
                )?);
            }
            Record::Watchlist(l) => {
                let list = l.id;
                extra.extend(scan(
                    Kind::WatchEntry,
                    &|r| matches!(r, Record::WatchEntry(e) if e.watchlist_id == list),
                )?);
            }
            Record::Establishment(e) => {
                let place = e.id;
                extra.extend(self.guests_of(place)?);
                extra.extend(scan(
                    Kind::Inspection,
                    &|r| matches!(r, Record::Inspection(i) if i.establishment_id == place),
                )?);
            }
            Record::Campaign(c) => {
                let campaign = c.id;
                extra.extend(scan(
                    Kind::Assignment,
                    &|r| matches!(r, Record::Assignment(a) if a.campaign_id == campaign),
                )?);
            }
            _ => {}
        }
        ids.dedup();
        let mut out = Vec::new();
        for target in ids {
            if let Some(r) = self.store.get(target)? {
                out.push(r);
            }
        }
        out.extend(extra);
        Ok(out)
    }
}
