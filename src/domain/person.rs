//! A person the desk knows of: the subject of a wanted notice, a watch entry or a group
//! membership. Guests are not persons: a guest stay carries the identity as declared.

use serde::{Deserialize, Serialize};

use super::codes::{Gender, IdKind};
use super::ids::RecordId;
use super::time::BirthDate;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IdDocument {
    pub kind: IdKind,
    pub number: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: RecordId,
    /// NFC, family name first: `Giàng A Sử`.
    pub full_name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub birth: Option<BirthDate>,
    pub gender: Gender,
    #[serde(default)]
    pub ethnicity: Option<String>,
    /// ISO 3166-1 alpha-3 (`VNM`, `CHN`, `LAO`).
    pub nationality: String,
    #[serde(default)]
    pub id_doc: Option<IdDocument>,
    #[serde(default)]
    pub home_commune: Option<String>,
    /// Records before the 2025 reform are filed by district: keep it beside the commune.
    #[serde(default)]
    pub former_district: Option<String>,
    #[serde(default)]
    pub features: Option<String>,
}
