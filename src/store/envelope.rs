//! The value envelope: `{"v":1,"data":{…}}`. Adding a field with `#[serde(default)]` keeps
//! v1 readable; a change that old values cannot be read into bumps `v` and adds a step to
//! [`upgrade`], which rewrites an old value's JSON before it is decoded.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::domain::{Kind, Record};

pub const CURRENT_VERSION: u32 = 1;
const CURRENT_PREFIX: &[u8] = br#"{"v":1,"data":"#;

#[derive(Serialize)]
struct EnvelopeOut<'a, T> {
    v: u32,
    data: &'a T,
}

#[derive(serde::Deserialize)]
struct EnvelopeIn<T> {
    v: u32,
    data: T,
}

pub fn encode(record: &Record) -> Vec<u8> {
    fn put<T: Serialize>(data: &T) -> Vec<u8> {
        // Serializing our own plain structs into a Vec cannot fail.
        serde_json::to_vec(&EnvelopeOut {
            v: CURRENT_VERSION,
            data,
        })
        .unwrap_or_default()
    }
    match record {
        Record::Officer(r) => put(r),
        Record::Person(r) => put(r),
        Record::Group(r) => put(r),
        Record::Wanted(r) => put(r),
        Record::Watchlist(r) => put(r),
        Record::WatchEntry(r) => put(r),
        Record::Sighting(r) => put(r),
        Record::Establishment(r) => put(r),
        Record::GuestStay(r) => put(r),
        Record::Inspection(r) => put(r),
        Record::Campaign(r) => put(r),
        Record::Assignment(r) => put(r),
        Record::DutyLog(r) => put(r),
        Record::Handover(r) => put(r),
        Record::Hit(r) => put(r),
        Record::Tip(r) => put(r),
        Record::Case(r) => put(r),
    }
}

/// Decodes a stored value of the given kind; the error is a reason, to which the caller
/// adds the tree and key.
pub fn decode(kind: Kind, bytes: &[u8]) -> Result<Record, String> {
    fn get<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
        if bytes.starts_with(CURRENT_PREFIX) {
            let env: EnvelopeIn<T> = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
            return Ok(env.data);
        }
        let env: EnvelopeIn<Value> = serde_json::from_slice(bytes)
            .map_err(|e| format!("not a trucban value envelope: {e}"))?;
        let data = upgrade(env.v, env.data)?;
        serde_json::from_value(data).map_err(|e| e.to_string())
    }
    Ok(match kind {
        Kind::Officer => Record::Officer(get(bytes)?),
        Kind::Person => Record::Person(get(bytes)?),
        Kind::Group => Record::Group(get(bytes)?),
        Kind::Wanted => Record::Wanted(get(bytes)?),
        Kind::Watchlist => Record::Watchlist(get(bytes)?),
        Kind::WatchEntry => Record::WatchEntry(get(bytes)?),
        Kind::Sighting => Record::Sighting(get(bytes)?),
        Kind::Establishment => Record::Establishment(get(bytes)?),
        Kind::GuestStay => Record::GuestStay(get(bytes)?),
        Kind::Inspection => Record::Inspection(get(bytes)?),
        Kind::Campaign => Record::Campaign(get(bytes)?),
        Kind::Assignment => Record::Assignment(get(bytes)?),
        Kind::DutyLog => Record::DutyLog(get(bytes)?),
        Kind::Handover => Record::Handover(get(bytes)?),
        Kind::Hit => Record::Hit(get(bytes)?),
        Kind::Tip => Record::Tip(get(bytes)?),
        Kind::Case => Record::Case(get(bytes)?),
    })
}

/// Brings an old envelope's data up to [`CURRENT_VERSION`], one version at a time.
fn upgrade(version: u32, data: Value) -> Result<Value, String> {
    match version {
        CURRENT_VERSION => Ok(data),
        v if v > CURRENT_VERSION => Err(format!(
            "value version {v} is newer than this trucban reads ({CURRENT_VERSION}): upgrade trucban"
        )),
        v => Err(format!("value version {v} has no upgrade step")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Officer, OfficerRole, RecordId};

    #[test]
    fn value_written_before_optional_fields_existed_still_reads() {
        // A v1 person as an older build wrote it: none of the optional fields.
        let old = r#"{"v":1,"data":{"id":"DT-000007","full_name":"Lò Văn Pánh","gender":"male","nationality":"VNM"}}"#.as_bytes();
        let Ok(Record::Person(p)) = decode(Kind::Person, old) else {
            panic!("old value must decode")
        };
        assert_eq!(p.full_name, "Lò Văn Pánh");
        assert!(p.aliases.is_empty() && p.birth.is_none() && p.id_doc.is_none());
    }

    #[test]
    fn envelope_round_trips_and_rejects_garbage() {
        let officer = Record::Officer(Officer {
            id: RecordId::new(Kind::Officer, 1),
            badge_no: "LC-0001".into(),
            full_name: "Tòng Văn Khánh".into(),
            rank: "Đại úy".into(),
            unit: "Phòng PC02".into(),
            role: OfficerRole::Duty,
        });
        let bytes = encode(&officer);
        assert!(bytes.starts_with(CURRENT_PREFIX));
        assert_eq!(decode(Kind::Officer, &bytes), Ok(officer));
        assert!(decode(Kind::Officer, b"\xff\x00").is_err());
        assert!(
            decode(Kind::Officer, br#"{"v":9,"data":{}}"#)
                .unwrap_err()
                .contains("newer")
        );
    }
}
