//! Rows for watchlists, watch entries (with their person) and sightings.

use crate::domain::{Kind, Record, Risk, Sighting, WatchEntry, WatchStatus, Watchlist};

use super::{
    Mapping, col, id_column, person_columns, person_of, read_embedded_person, read_own_id,
    write_person,
};

pub fn watchlists() -> Mapping {
    Mapping {
        kind: Kind::Watchlist,
        columns: vec![
            id_column(),
            col("name", true, "list name"),
            col("purpose", true, "what the list is for"),
        ],
        read: |r| {
            let id = read_own_id(r, Kind::Watchlist);
            let name = r.text("name");
            let purpose = r.note("purpose");
            Some(vec![Record::Watchlist(Watchlist {
                id: id?,
                name: name?,
                purpose: purpose?,
            })])
        },
        write: |record, _, w| {
            let Record::Watchlist(l) = record else {
                return None;
            };
            w.show(l.id).text(&l.name).text(&l.purpose);
            Some(())
        },
    }
}

pub fn entries() -> Mapping {
    let mut columns = vec![
        id_column(),
        col("watchlist_id", true, "the list (`DS-000001`)"),
        col(
            "person_id",
            false,
            "the person's ID; empty = a person with the same identity number, or a new person",
        ),
    ];
    columns.extend(person_columns(false));
    columns.extend([
        col("reason", true, "why the person is watched"),
        col("risk", true, "`low`, `medium` or `high`"),
        col(
            "vehicles",
            false,
            "plates, separated by `;`: `25B1-234.56; 25A-012.34`",
        ),
        col("routes", false, "usual routes, separated by `;`"),
        col("added_by", true, "officer ID who added the entry"),
        col("added_at", true, "when it was added"),
        col(
            "review_due",
            true,
            "date the entry must be reviewed `YYYY-MM-DD`",
        ),
        col("status", true, "`active`, `suspended` or `closed`"),
    ]);
    Mapping {
        kind: Kind::WatchEntry,
        columns,
        read: |r| {
            let id = read_own_id(r, Kind::WatchEntry);
            let watchlist_id = r.id("watchlist_id", Kind::Watchlist);
            let person = read_embedded_person(r);
            let reason = r.note("reason");
            let risk = r.parsed("risk", Risk::parse, &Risk::expected());
            let vehicles = r.list("vehicles");
            let routes = r.list("routes");
            let added_by = r.id("added_by", Kind::Officer);
            let added_at = r.instant("added_at");
            let review_due = r.date("review_due");
            let status = r.parsed("status", WatchStatus::parse, &WatchStatus::expected());
            let person = person?;
            let entry = WatchEntry {
                id: id?,
                watchlist_id: watchlist_id?,
                person_id: person.id,
                reason: reason?,
                risk: risk?,
                vehicles: vehicles?,
                routes: routes?,
                added_by: added_by?,
                added_at: added_at?,
                review_due: review_due?,
                status: status?,
            };
            Some(vec![Record::Person(person), Record::WatchEntry(entry)])
        },
        write: |record, lookup, w| {
            let Record::WatchEntry(e) = record else {
                return None;
            };
            let person = person_of(lookup, e.person_id)?;
            w.show(e.id).show(e.watchlist_id).show(e.person_id);
            write_person(w, &person);
            w.text(&e.reason)
                .show(e.risk)
                .list(&e.vehicles)
                .list(&e.routes)
                .show(e.added_by)
                .instant(e.added_at)
                .show(e.review_due)
                .show(e.status);
            Some(())
        },
    }
}

pub fn sightings() -> Mapping {
    Mapping {
        kind: Kind::Sighting,
        columns: vec![
            id_column(),
            col("entry_id", true, "the watch entry (`LD-000012`)"),
            col("at", true, "when the person was seen"),
            col("place", true, "where"),
            col("officer_id", true, "officer who reports it"),
            col("note", false, "what was seen"),
        ],
        read: |r| {
            let id = read_own_id(r, Kind::Sighting);
            let entry_id = r.id("entry_id", Kind::WatchEntry);
            let at = r.instant("at");
            let place = r.text("place");
            let officer_id = r.id("officer_id", Kind::Officer);
            let note = r.note("note");
            Some(vec![Record::Sighting(Sighting {
                id: id?,
                entry_id: entry_id?,
                at: at?,
                place: place?,
                officer_id: officer_id?,
                note: note?,
            })])
        },
        write: |record, _, w| {
            let Record::Sighting(s) = record else {
                return None;
            };
            w.show(s.id)
                .show(s.entry_id)
                .instant(s.at)
                .text(&s.place)
                .show(s.officer_id)
                .text(&s.note);
            Some(())
        },
    }
}
