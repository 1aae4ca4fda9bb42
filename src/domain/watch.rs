//! Watchlists of mobile offenders (đối tượng hình sự hoạt động lưu động), their entries and
//! the sightings officers report.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::{Risk, code_enum};
use super::ids::RecordId;
use super::time::Instant;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watchlist {
    pub id: RecordId,
    pub name: String,
    pub purpose: String,
}

code_enum!(WatchStatus {
    Active = "active", "đang theo dõi", "active";
    Suspended = "suspended", "tạm dừng", "suspended";
    Closed = "closed", "đã kết thúc", "closed";
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchEntry {
    pub id: RecordId,
    pub watchlist_id: RecordId,
    pub person_id: RecordId,
    pub reason: String,
    pub risk: Risk,
    /// Plates as written: `25A-123.45`, `25B1-678.90`.
    #[serde(default)]
    pub vehicles: Vec<String>,
    #[serde(default)]
    pub routes: Vec<String>,
    pub added_by: RecordId,
    pub added_at: Instant,
    pub review_due: NaiveDate,
    pub status: WatchStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sighting {
    pub id: RecordId,
    pub entry_id: RecordId,
    pub at: Instant,
    pub place: String,
    pub officer_id: RecordId,
    #[serde(default)]
    pub note: String,
}
