//! The typed columns a record's row carries beside its JSONB value: what the lookups ask,
//! derived here from the record at each write, in one place, and compared with the value by
//! `trucban check`.

use chrono::NaiveDate;

use crate::domain::{Instant, Record};

#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Columns {
    /// The record's `status`, as it is written in its value (wanted notices, watch entries,
    /// tips).
    pub status: Option<String>,
    /// The number of the identity document of a person or of a guest.
    pub doc_number: Option<String>,
    /// A guest stay's establishment (its number).
    pub establishment: Option<i64>,
    pub check_in: Option<Instant>,
    /// The day an inspection or a roster assignment is on.
    pub day: Option<NaiveDate>,
    /// The record's moment ([`Record::moment`]); a handover's shift start.
    pub at: Option<Instant>,
    /// Every record this one names (`NT-000001`, …).
    pub refs: Vec<String>,
}

/// A status value as its record writes it (the JSON string of the enum).
pub(super) fn status_text<T: serde::Serialize>(status: &T) -> Option<String> {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
}

pub(super) fn columns(record: &Record) -> Columns {
    let mut c = Columns {
        at: record.moment(),
        refs: record
            .references()
            .into_iter()
            .map(|(_, id)| id.to_string())
            .collect(),
        ..Columns::default()
    };
    c.refs.sort();
    c.refs.dedup();
    match record {
        Record::Wanted(w) => c.status = status_text(&w.status),
        Record::WatchEntry(e) => c.status = status_text(&e.status),
        Record::Tip(t) => c.status = status_text(&t.status),
        Record::Case(x) => c.status = status_text(&x.status()),
        Record::Person(p) => c.doc_number = p.id_doc.as_ref().map(|d| d.number.clone()),
        Record::GuestStay(g) => {
            c.doc_number = g.guest.id_doc.as_ref().map(|d| d.number.clone());
            c.establishment = i64::try_from(g.establishment_id.num()).ok();
            c.check_in = Some(g.check_in);
        }
        Record::Inspection(i) => c.day = Some(i.date),
        Record::Assignment(a) => c.day = Some(a.date),
        Record::Handover(h) => c.at = Some(h.shift_start),
        _ => {}
    }
    c
}
