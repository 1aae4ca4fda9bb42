//! Lodging (lưu trú): establishments, the guest stays they declare, and inspections.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::{Gender, Risk, code_enum};
use super::ids::RecordId;
use super::person::IdDocument;
use super::time::{BirthDate, Instant};

code_enum!(EstablishmentKind {
    Hotel = "hotel", "khách sạn", "hotel";
    Guesthouse = "guesthouse", "nhà nghỉ", "guesthouse";
    LodgingHouse = "lodging_house", "nhà trọ", "lodging house";
    Homestay = "homestay", "homestay", "homestay";
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Establishment {
    pub id: RecordId,
    pub name: String,
    pub kind: EstablishmentKind,
    pub commune: String,
    #[serde(default)]
    pub former_district: Option<String>,
    pub address: String,
    pub owner: String,
    pub phone: String,
    /// Giấy chứng nhận đủ điều kiện về an ninh, trật tự.
    #[serde(default)]
    pub certificate_no: Option<String>,
    pub rooms: u16,
    pub risk: Risk,
}

/// The guest as declared by the establishment: not linked to a person record, because
/// the declaration is exactly what must be screened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestIdentity {
    pub full_name: String,
    /// Other written forms of the name: Hán characters, pinyin, Sino-Vietnamese reading.
    #[serde(default)]
    pub other_names: Vec<String>,
    #[serde(default)]
    pub birth: Option<BirthDate>,
    pub gender: Gender,
    #[serde(default)]
    pub id_doc: Option<IdDocument>,
    pub nationality: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestStay {
    pub id: RecordId,
    pub establishment_id: RecordId,
    pub guest: GuestIdentity,
    pub check_in: Instant,
    #[serde(default)]
    pub check_out: Option<Instant>,
    #[serde(default)]
    pub room: Option<String>,
    /// When the establishment told the police; `None` means not declared at all.
    #[serde(default)]
    pub declared_at: Option<Instant>,
}

/// Who a stay is for, as a re-declaration names them again: the identity document when the
/// declaration has one, else the name (folded: with or without marks) and the date of birth.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum StayGuest {
    Document(IdDocument),
    NameAndBirth(String, Option<BirthDate>),
}

/// A stay as a declaration names it: the same establishment, guest and check-in are the
/// same stay, however often the lodging sends its file (a re-import updates it).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StayKey {
    pub establishment_id: RecordId,
    pub check_in: Instant,
    pub guest: StayGuest,
}

impl GuestStay {
    pub fn key(&self) -> StayKey {
        StayKey {
            establishment_id: self.establishment_id,
            check_in: self.check_in,
            guest: match &self.guest.id_doc {
                Some(doc) => StayGuest::Document(doc.clone()),
                None => StayGuest::NameAndBirth(
                    super::text::fold(&self.guest.full_name),
                    self.guest.birth,
                ),
            },
        }
    }

    /// Whether `other` is this stay declared again: same establishment and check-in, and
    /// the same identity document when both have one, else the same name and birth.
    pub fn is_same_stay(&self, other: &GuestStay) -> bool {
        if self.establishment_id != other.establishment_id || self.check_in != other.check_in {
            return false;
        }
        match (&self.guest.id_doc, &other.guest.id_doc) {
            (Some(a), Some(b)) => a == b,
            _ => {
                super::text::fold(&self.guest.full_name)
                    == super::text::fold(&other.guest.full_name)
                    && self.guest.birth == other.guest.birth
            }
        }
    }
}

code_enum!(CheckResult {
    Pass = "pass", "đạt", "pass";
    Fail = "fail", "không đạt", "fail";
    NotApplicable = "n/a", "không áp dụng", "not applicable";
});

/// The standard check items of an inspection, in the order the form asks them: the
/// Vietnamese text is what a record stores (older records and imports may hold others), the
/// English one is only shown.
pub const CHECK_ITEMS: [(&str, &str); 7] = [
    ("Sổ đăng ký khách lưu trú", "Guest register kept"),
    ("Thông báo lưu trú đúng hạn", "Guests declared on time"),
    (
        "Giấy chứng nhận đủ điều kiện ANTT",
        "Security conditions certificate",
    ),
    ("Phòng cháy chữa cháy", "Fire safety"),
    ("Camera an ninh", "Security cameras"),
    ("Niêm yết nội quy", "House rules posted"),
    (
        "Giấy tờ tùy thân của khách",
        "Guests' identity papers checked",
    ),
];

/// How a stored check item is shown: a standard item in the officer's language, any other
/// as it was written.
pub fn check_item_label(item: &str, lang: crate::i18n::Lang) -> &str {
    CHECK_ITEMS
        .iter()
        .find(|(vi, _)| *vi == item)
        .map_or(item, |(vi, en)| match lang {
            crate::i18n::Lang::Vi => vi,
            crate::i18n::Lang::En => en,
        })
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckItem {
    pub item: String,
    pub result: CheckResult,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    pub id: RecordId,
    pub establishment_id: RecordId,
    pub date: NaiveDate,
    pub officer_id: RecordId,
    #[serde(default)]
    pub items: Vec<CheckItem>,
    #[serde(default)]
    pub violations: Vec<String>,
    #[serde(default)]
    pub note: String,
}
