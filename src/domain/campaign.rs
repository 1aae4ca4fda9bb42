//! Peak campaigns (đợt cao điểm), their rosters, and the officers who staff them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::code_enum;
use super::ids::RecordId;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: RecordId,
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub objective: String,
    #[serde(default)]
    pub routes: Vec<String>,
    #[serde(default)]
    pub posts: Vec<String>,
    pub lead_unit: String,
}

code_enum!(Shift {
    Day = "day", "ca ngày", "day shift";
    Night = "night", "ca đêm", "night shift";
});

code_enum!(AssignmentRole {
    Leader = "leader", "tổ trưởng", "team leader";
    Member = "member", "tổ viên", "team member";
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub id: RecordId,
    pub campaign_id: RecordId,
    pub officer_id: RecordId,
    pub date: NaiveDate,
    pub shift: Shift,
    /// A post (`Chốt Ma Lù Thàng`) or a route.
    pub post: String,
    pub role: AssignmentRole,
}

code_enum!(OfficerRole {
    Duty = "duty", "trực ban", "duty officer";
    Supervisor = "supervisor", "chỉ huy", "supervisor";
    Admin = "admin", "quản trị", "administrator";
    Auditor = "auditor", "kiểm tra viên", "auditor";
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub id: RecordId,
    pub badge_no: String,
    pub full_name: String,
    /// `Thượng úy`, `Đại úy` …
    pub rank: String,
    pub unit: String,
    pub role: OfficerRole,
}
