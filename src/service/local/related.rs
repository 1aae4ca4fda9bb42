//! The records a detail view links to, both ways: what a record names, and what names it.

use crate::domain::{Kind, Record, RecordId};
use crate::store::Lookup;

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
        // What names this record: one lookup per kind that can (an engine with indexes
        // answers each itself).
        let naming = |kind: Kind, target: RecordId| -> Result<Vec<Record>> {
            Ok(self.store.lookup(&Lookup::Referencing { kind, target })?)
        };
        let mut extra: Vec<Record> = Vec::new();
        match &record {
            Record::Wanted(w) => {
                // The screening hits against this notice: the guests who came close.
                extra.extend(naming(Kind::Hit, w.id)?);
                extra.extend(naming(Kind::WatchEntry, w.person_id)?);
                if let Some(Record::Person(p)) = self.store.get(w.person_id)?
                    && let Some(doc) = p.id_doc
                {
                    extra.extend(self.store.lookup(&Lookup::GuestsWithDocument(doc))?);
                }
            }
            Record::Person(p) => {
                extra.extend(naming(Kind::Wanted, p.id)?);
                extra.extend(naming(Kind::WatchEntry, p.id)?);
                extra.extend(naming(Kind::Group, p.id)?);
            }
            Record::Group(g) => extra.extend(naming(Kind::Wanted, g.id)?),
            Record::WatchEntry(e) => {
                extra.extend(naming(Kind::Hit, e.id)?);
                extra.extend(naming(Kind::Sighting, e.id)?);
                extra.extend(naming(Kind::Wanted, e.person_id)?);
            }
            Record::Watchlist(l) => extra.extend(naming(Kind::WatchEntry, l.id)?),
            Record::Establishment(e) => {
                extra.extend(self.guests_of(e.id)?);
                extra.extend(naming(Kind::Inspection, e.id)?);
            }
            Record::Campaign(c) => extra.extend(naming(Kind::Assignment, c.id)?),
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
