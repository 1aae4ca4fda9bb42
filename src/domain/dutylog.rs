//! The duty log (nhật ký trực ban) and the shift handover (sổ giao ca). Log entries are
//! never edited: a correction is a new entry that points at the one it corrects.

use serde::{Deserialize, Serialize};

use super::ids::RecordId;
use super::time::Instant;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyLogEntry {
    pub id: RecordId,
    pub at: Instant,
    pub officer_id: RecordId,
    pub text: String,
    /// The record this entry is about (a tip, a hit, a wanted notice …).
    #[serde(default)]
    pub record: Option<RecordId>,
    #[serde(default)]
    pub corrects: Option<RecordId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    pub id: RecordId,
    pub shift_start: Instant,
    pub shift_end: Instant,
    pub from_officer: RecordId,
    #[serde(default)]
    pub to_officer: Option<RecordId>,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub signed_at: Option<Instant>,
}
