//! Secondary indexes. Each is a tree of keys `<index key> ++ <record number>` with empty
//! values, written in the same transaction as its record; lookups are prefix or range scans.

use crate::domain::{Kind, Record};

use super::keys::KeyBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Index {
    WantedByStatus,
    GuestsByCheckIn,
    GuestsByEstablishment,
    AssignmentsByDate,
    PersonsByIdNumber,
}

impl Index {
    pub const ALL: [Index; 5] = [
        Index::WantedByStatus,
        Index::GuestsByCheckIn,
        Index::GuestsByEstablishment,
        Index::AssignmentsByDate,
        Index::PersonsByIdNumber,
    ];

    pub fn tree_name(self) -> &'static str {
        match self {
            Index::WantedByStatus => "idx/wanted_by_status",
            Index::GuestsByCheckIn => "idx/guests_by_check_in",
            Index::GuestsByEstablishment => "idx/guests_by_establishment",
            Index::AssignmentsByDate => "idx/roster_by_date",
            Index::PersonsByIdNumber => "idx/persons_by_id_number",
        }
    }

    /// The kind of the records an index points to.
    pub fn target(self) -> Kind {
        match self {
            Index::WantedByStatus => Kind::Wanted,
            Index::GuestsByCheckIn | Index::GuestsByEstablishment => Kind::GuestStay,
            Index::AssignmentsByDate => Kind::Assignment,
            Index::PersonsByIdNumber => Kind::Person,
        }
    }

    pub fn position(self) -> usize {
        self as usize
    }
}

/// The index keys a record contributes.
pub fn entries(record: &Record) -> Vec<(Index, Vec<u8>)> {
    let id = record.id();
    match record {
        Record::Wanted(w) => vec![(
            Index::WantedByStatus,
            KeyBuf::new().text(w.status.code()).id(id).finish(),
        )],
        Record::GuestStay(g) => vec![
            (
                Index::GuestsByCheckIn,
                KeyBuf::new().instant(g.check_in).id(id).finish(),
            ),
            (
                Index::GuestsByEstablishment,
                KeyBuf::new()
                    .id(g.establishment_id)
                    .instant(g.check_in)
                    .id(id)
                    .finish(),
            ),
        ],
        Record::Assignment(a) => vec![(
            Index::AssignmentsByDate,
            KeyBuf::new().date(a.date).id(id).finish(),
        )],
        Record::Person(p) => p
            .id_doc
            .iter()
            .map(|doc| {
                (
                    Index::PersonsByIdNumber,
                    KeyBuf::new().text(&doc.number).id(id).finish(),
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}
