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
    /// The incoming officer's acknowledgement; once given the handover never changes.
    #[serde(default)]
    pub acknowledged: Option<Acknowledgement>,
}

/// The incoming officer takes over: who (not the outgoing officer), when, and any remarks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    pub officer: RecordId,
    pub at: Instant,
    #[serde(default)]
    pub remarks: String,
}

impl Handover {
    /// Acknowledged by the incoming officer: closed to every change.
    pub fn is_closed(&self) -> bool {
        self.acknowledged.is_some()
    }
}
