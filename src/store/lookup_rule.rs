//! What each [`Lookup`] answers, as one exact test per record: the sled engine applies it
//! to a collection where it keeps no index, and the PostgreSQL engine to the rows its
//! indexed columns narrowed to, so the two engines cannot disagree on what a lookup means.

use crate::domain::{Kind, Record};

use super::backend::Lookup;

impl Lookup {
    /// The kind of the records this lookup answers.
    pub fn kind(&self) -> Kind {
        match self {
            Lookup::WantedWithStatus(_) | Lookup::NoticesChangedIn { .. } => Kind::Wanted,
            Lookup::GuestsCheckedIn { .. }
            | Lookup::GuestsCheckedInAt(_)
            | Lookup::GuestsOf(_)
            | Lookup::GuestsWithDocument(_) => Kind::GuestStay,
            Lookup::PersonsWithDocumentNumber(_) => Kind::Person,
            Lookup::AssignmentsOn(_) => Kind::Assignment,
            Lookup::HitsFoundSince(_)
            | Lookup::HitsOpenAtOrClosedIn { .. }
            | Lookup::HitsOnPairsOf(_) => Kind::Hit,
            Lookup::HandoverStarting(_) => Kind::Handover,
            Lookup::LatestInspections => Kind::Inspection,
            Lookup::OpenTips => Kind::Tip,
            Lookup::ActiveWatchEntries => Kind::WatchEntry,
            Lookup::Referencing { kind, .. }
            | Lookup::Happened { kind, .. }
            | Lookup::Matching { kind, .. } => *kind,
        }
    }

    /// Whether `record` (of [`Lookup::kind`]) is in the answer. [`Lookup::LatestInspections`]
    /// keeps every inspection here: which one is latest is [`latest_inspections`]'s to say.
    pub fn keeps(&self, record: &Record) -> bool {
        match (self, record) {
            (Lookup::WantedWithStatus(status), Record::Wanted(w)) => w.status == *status,
            (Lookup::GuestsCheckedIn { from, to }, Record::GuestStay(g)) => {
                *from <= g.check_in && g.check_in < *to
            }
            (Lookup::GuestsCheckedInAt(instants), Record::GuestStay(g)) => {
                instants.contains(&g.check_in)
            }
            (Lookup::GuestsOf(establishment), Record::GuestStay(g)) => {
                g.establishment_id == *establishment
            }
            (Lookup::GuestsWithDocument(doc), Record::GuestStay(g)) => {
                g.guest.id_doc.as_ref() == Some(doc)
            }
            (Lookup::PersonsWithDocumentNumber(number), Record::Person(p)) => {
                p.id_doc.as_ref().is_some_and(|d| &d.number == number)
            }
            (Lookup::AssignmentsOn(date), Record::Assignment(a)) => a.date == *date,
            (Lookup::HitsFoundSince(since), Record::Hit(h)) => h.found_at >= *since,
            (Lookup::Referencing { kind, target }, record) => {
                record.kind() == *kind && record.references().iter().any(|(_, id)| id == target)
            }
            (Lookup::HandoverStarting(start), Record::Handover(h)) => h.shift_start == *start,
            (Lookup::LatestInspections, Record::Inspection(_)) => true,
            (Lookup::Happened { kind, from, to }, record) => {
                record.kind() == *kind && record.moment().is_some_and(|at| *from <= at && at < *to)
            }
            (Lookup::NoticesChangedIn { from, to }, Record::Wanted(w)) => {
                w.history.iter().any(|h| *from <= h.at && h.at < *to)
            }
            (Lookup::HitsOpenAtOrClosedIn { at, from, to }, Record::Hit(h)) => {
                h.open_at(*at) || h.closed_at().is_some_and(|c| *from <= c && c < *to)
            }
            (Lookup::HitsOnPairsOf(ids), Record::Hit(h)) => {
                ids.contains(&h.guest_stay_id) || ids.contains(&h.listed_id)
            }
            (Lookup::OpenTips, Record::Tip(t)) => t.is_open(),
            (Lookup::ActiveWatchEntries, Record::WatchEntry(e)) => {
                e.status == crate::domain::WatchStatus::Active
            }
            (Lookup::Matching { kind, folded }, record) => {
                record.kind() == *kind && record.matches_filter(folded)
            }
            _ => false,
        }
    }
}

/// Of `inspections` (any order), the latest of each establishment (by date, then ID), in
/// establishment ID order.
pub fn latest_inspections(
    inspections: impl Iterator<Item = super::Result<Record>>,
) -> super::Result<Vec<Record>> {
    let mut last = std::collections::BTreeMap::new();
    for record in inspections {
        if let Record::Inspection(i) = record? {
            let newer =
                last.get(&i.establishment_id)
                    .is_none_or(|seen: &crate::domain::Inspection| {
                        (i.date, i.id) > (seen.date, seen.id)
                    });
            if newer {
                last.insert(i.establishment_id, i);
            }
        }
    }
    Ok(last.into_values().map(Record::Inspection).collect())
}
