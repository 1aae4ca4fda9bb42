//! Wanted notices (truy nã) and criminal groups (băng nhóm).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::code_enum;
use super::ids::RecordId;
use super::time::Instant;

code_enum!(WantedClass {
    Special = "special", "đặc biệt", "special";
    Ordinary = "ordinary", "thường", "ordinary";
});

code_enum!(Danger {
    None = "none", "không", "none";
    Dangerous = "dangerous", "nguy hiểm", "dangerous";
    EspeciallyDangerous = "especially_dangerous", "đặc biệt nguy hiểm", "especially dangerous";
});

code_enum!(WantedStatus {
    Wanted = "wanted", "đang truy nã", "wanted";
    Arrested = "arrested", "đã bắt", "arrested";
    Surrendered = "surrendered", "đầu thú", "surrendered";
    Cancelled = "cancelled", "đã đình nã", "cancelled";
    Deceased = "deceased", "đã chết", "deceased";
});

impl WantedStatus {
    /// Still to be looked for: the only status that screening and patrols act on.
    pub fn is_active(self) -> bool {
        self == WantedStatus::Wanted
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub name: String,
    #[serde(default)]
    pub address: Option<String>,
    pub phone: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offence {
    /// Penal Code 2015 article, as written on the decision (`251`, `250 khoản 2`).
    #[serde(default)]
    pub article: Option<String>,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub at: Instant,
    pub status: WantedStatus,
    #[serde(default)]
    pub by: Option<RecordId>,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WantedNotice {
    pub id: RecordId,
    pub person_id: RecordId,
    /// `15/QĐ-CSĐT`
    pub decision_no: String,
    pub decision_date: NaiveDate,
    pub agency: Agency,
    #[serde(default)]
    pub signer: Option<String>,
    pub offence: Offence,
    pub class: WantedClass,
    pub danger: Danger,
    pub status: WantedStatus,
    /// Oldest first; the last entry's status equals `status`.
    #[serde(default)]
    pub history: Vec<StatusChange>,
    #[serde(default)]
    pub last_known_location: Option<String>,
    #[serde(default)]
    pub group_id: Option<RecordId>,
    #[serde(default)]
    pub last_verified: Option<NaiveDate>,
}

code_enum!(GroupKind {
    Criminal = "criminal", "hình sự", "criminal";
    Drug = "drug", "ma túy", "drug";
    Economic = "economic", "kinh tế", "economic";
    HighTech = "high_tech", "công nghệ cao", "high-tech";
    Environmental = "environmental", "môi trường", "environmental";
    Trafficking = "trafficking", "mua bán người", "trafficking";
});

code_enum!(MemberRole {
    Leader = "leader", "cầm đầu", "leader";
    Member = "member", "thành viên", "member";
});

code_enum!(GroupStatus {
    Active = "active", "đang hoạt động", "active";
    UnderInvestigation = "investigating", "đang điều tra", "under investigation";
    Dismantled = "dismantled", "đã triệt phá", "dismantled";
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub person_id: RecordId,
    pub role: MemberRole,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriminalGroup {
    pub id: RecordId,
    pub name: String,
    pub kind: GroupKind,
    /// Where it operates: communes, routes.
    pub area: String,
    #[serde(default)]
    pub members: Vec<Member>,
    pub transnational: bool,
    pub status: GroupStatus,
    /// Local date the group was filed (đưa vào hồ sơ quản lý). `None` only on records stored
    /// before the field existed; a save requires it (see [`super::group_dates`]).
    #[serde(default)]
    pub filed_on: Option<NaiveDate>,
    /// Local date it was neutralised (triệt phá): set exactly when `status` is `dismantled`.
    #[serde(default)]
    pub neutralised_on: Option<NaiveDate>,
}
