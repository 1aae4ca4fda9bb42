//! Record kinds and the human-readable IDs an officer can read aloud over a phone
//! (`TN-000123`): a two-letter Vietnamese prefix per kind and a sequence number.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Every collection the desk keeps. The order here is the order of `Kind::ALL`,
/// which is also the import order that satisfies references (officers before the
/// records that name them, establishments before their guests, …).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Kind {
    Officer,
    Person,
    Group,
    Wanted,
    Watchlist,
    WatchEntry,
    Sighting,
    Establishment,
    GuestStay,
    Inspection,
    Campaign,
    Assignment,
    DutyLog,
    Handover,
    Hit,
    Tip,
    Case,
}

impl Kind {
    pub const ALL: [Kind; 17] = [
        Kind::Officer,
        Kind::Person,
        Kind::Group,
        Kind::Wanted,
        Kind::Watchlist,
        Kind::WatchEntry,
        Kind::Sighting,
        Kind::Establishment,
        Kind::GuestStay,
        Kind::Inspection,
        Kind::Campaign,
        Kind::Assignment,
        Kind::DutyLog,
        Kind::Handover,
        Kind::Hit,
        Kind::Tip,
        Kind::Case,
    ];

    /// The ID prefix: initials of the Vietnamese name of the collection.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Officer => "CB",       // cán bộ
            Kind::Person => "DT",        // đối tượng
            Kind::Group => "BN",         // băng nhóm
            Kind::Wanted => "TN",        // truy nã
            Kind::Watchlist => "DS",     // danh sách
            Kind::WatchEntry => "LD",    // lưu động
            Kind::Sighting => "PH",      // phát hiện
            Kind::Establishment => "CS", // cơ sở lưu trú
            Kind::GuestStay => "LT",     // lưu trú
            Kind::Inspection => "KT",    // kiểm tra
            Kind::Campaign => "CD",      // cao điểm
            Kind::Assignment => "PC",    // phân công
            Kind::DutyLog => "NK",       // nhật ký
            Kind::Handover => "GC",      // giao ca
            Kind::Hit => "NT",           // nghi trùng
            Kind::Tip => "TB",           // tin báo
            Kind::Case => "VA",          // vụ án
        }
    }

    /// Stable machine name, used for tree names, the `import`/`export` KIND
    /// argument and JSON output. Never change one: stores are keyed by it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Officer => "officers",
            Kind::Person => "persons",
            Kind::Group => "groups",
            Kind::Wanted => "wanted",
            Kind::Watchlist => "watchlists",
            Kind::WatchEntry => "watch",
            Kind::Sighting => "sightings",
            Kind::Establishment => "establishments",
            Kind::GuestStay => "guests",
            Kind::Inspection => "inspections",
            Kind::Campaign => "campaigns",
            Kind::Assignment => "roster",
            Kind::DutyLog => "log",
            Kind::Handover => "handovers",
            Kind::Hit => "hits",
            Kind::Tip => "tips",
            Kind::Case => "cases",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub fn from_prefix(prefix: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.prefix() == prefix)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `TN-000123`: kind prefix, a dash, at least six digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId {
    kind: Kind,
    num: u64,
}

impl RecordId {
    pub const fn new(kind: Kind, num: u64) -> Self {
        RecordId { kind, num }
    }
    pub fn kind(self) -> Kind {
        self.kind
    }
    pub fn num(self) -> u64 {
        self.num
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:06}", self.kind.prefix(), self.num)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{text}\" is not a record ID (expected a form like TN-000123)")]
pub struct BadId {
    pub text: String,
}

impl FromStr for RecordId {
    type Err = BadId;
    fn from_str(s: &str) -> Result<Self, BadId> {
        let bad = || BadId {
            text: s.to_string(),
        };
        let (prefix, digits) = s.trim().split_once('-').ok_or_else(bad)?;
        let kind = Kind::from_prefix(&prefix.to_ascii_uppercase()).ok_or_else(bad)?;
        if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let num = digits.parse().map_err(|_| bad())?;
        if num == 0 {
            return Err(bad());
        }
        Ok(RecordId { kind, num })
    }
}

impl Serialize for RecordId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RecordId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        // Number 0 is a record not saved yet (`DeskApi::save` gives it its number): it
        // crosses the daemon's socket, though nobody may type it.
        if let Some((prefix, digits)) = text.split_once('-')
            && !digits.is_empty()
            && digits.len() <= 18
            && digits.bytes().all(|b| b == b'0')
            && let Some(kind) = Kind::from_prefix(prefix)
        {
            return Ok(RecordId::new(kind, 0));
        }
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_aloud_and_parse_back() {
        for kind in Kind::ALL {
            let id = RecordId::new(kind, 123);
            let text = id.to_string();
            assert_eq!(text.len(), 9, "{text}");
            assert_eq!(text.parse::<RecordId>(), Ok(id));
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(
            RecordId::new(Kind::GuestStay, 4512).to_string(),
            "LT-004512"
        );
        assert_eq!(
            RecordId::new(Kind::Wanted, 1_234_567).to_string(),
            "TN-1234567"
        );
        assert_eq!("tn-000123".parse::<RecordId>().map(|i| i.num()), Ok(123));
        for bad in ["", "TN", "TN-", "XX-000001", "TN-12a", "TN-000000", "TN--1"] {
            assert!(bad.parse::<RecordId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn prefixes_are_unique() {
        let mut seen: Vec<&str> = Kind::ALL.iter().map(|k| k.prefix()).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), Kind::ALL.len());
    }
}
