//! Why a guest was matched to a listed person, feature by feature, so that an officer can
//! see why a screening fired and what to check. Each reason has a stable machine code (the
//! `code` field in `--json`: `{"code":"dob_equal","date":"1990-03-04"}`) and a label in
//! Vietnamese and English.

use serde::Serialize;

use super::similarity::How;
use crate::domain::Gender;
use crate::i18n::Lang;

/// Two name parts taken as the same part.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct AlignedPart {
    pub guest: String,
    pub listed: String,
    pub similarity: f64,
    pub how: How,
}

#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// An identity number both carry: decides on its own.
    IdEqual {
        number: String,
    },
    /// Both carry a for-life personal number (CCCD, CMND) and they differ.
    IdContradicts,
    /// The best-matching pair of written names, part by part.
    NameAligned {
        guest: String,
        listed: String,
        similarity: f64,
        parts: Vec<AlignedPart>,
        guest_only: Vec<String>,
        listed_only: Vec<String>,
    },
    /// The names agree only on common parts and at most one rarer one: a name alone
    /// cannot raise an alert.
    NameCommon,
    DobEqual {
        date: String,
    },
    DobYearOnly {
        year: i32,
    },
    DobNear {
        guest: String,
        listed: String,
    },
    DobContradicts {
        guest: String,
        listed: String,
    },
    GenderEqual {
        gender: Gender,
    },
    GenderContradicts {
        guest: Gender,
        listed: Gender,
    },
    NationalityEqual {
        nationality: String,
    },
    NationalityDiffers {
        guest: String,
        listed: String,
    },
}

/// A date of birth a reason holds as stored (ISO), as `lang` shows dates; the text as it
/// is if it is not one.
fn birth(stored: &str, lang: Lang) -> String {
    stored
        .parse::<crate::domain::BirthDate>()
        .map_or_else(|()| stored.to_string(), |b| b.shown(lang))
}

impl Reason {
    /// The machine code, as serialized.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::IdEqual { .. } => "id_equal",
            Reason::IdContradicts => "id_contradicts",
            Reason::NameAligned { .. } => "name_aligned",
            Reason::NameCommon => "name_common",
            Reason::DobEqual { .. } => "dob_equal",
            Reason::DobYearOnly { .. } => "dob_year_only",
            Reason::DobNear { .. } => "dob_near",
            Reason::DobContradicts { .. } => "dob_contradicts",
            Reason::GenderEqual { .. } => "gender_equal",
            Reason::GenderContradicts { .. } => "gender_contradicts",
            Reason::NationalityEqual { .. } => "nationality_equal",
            Reason::NationalityDiffers { .. } => "nationality_differs",
        }
    }

    /// Whether the reason speaks against the match (shown in the danger colour, say).
    pub fn is_against(&self) -> bool {
        matches!(
            self,
            Reason::IdContradicts
                | Reason::NameCommon
                | Reason::DobContradicts { .. }
                | Reason::GenderContradicts { .. }
                | Reason::NationalityDiffers { .. }
        )
    }

    /// One line for the officer.
    pub fn label(&self, lang: Lang) -> String {
        match self {
            Reason::IdEqual { number } => {
                format!(
                    "{} {number}",
                    lang.pick("Trùng số giấy tờ", "Same identity number")
                )
            }
            Reason::IdContradicts => lang
                .pick(
                    "Số CCCD/CMND khác nhau",
                    "Different personal identity numbers",
                )
                .to_string(),
            Reason::NameAligned {
                guest,
                listed,
                similarity,
                parts,
                guest_only,
                listed_only,
            } => {
                let mut line = format!(
                    "{} {:.0}%: «{guest}» ~ «{listed}»",
                    lang.pick("Họ tên giống", "Name similarity"),
                    similarity * 100.0
                );
                let aligned: Vec<String> = parts
                    .iter()
                    .map(|p| format!("{} = {} ({})", p.guest, p.listed, p.how.label(lang)))
                    .collect();
                if !aligned.is_empty() {
                    line.push_str(&format!("; {}", aligned.join(", ")));
                }
                if !guest_only.is_empty() {
                    line.push_str(&format!(
                        "; {} {}",
                        lang.pick("chỉ khách có", "guest only"),
                        guest_only.join(" ")
                    ));
                }
                if !listed_only.is_empty() {
                    line.push_str(&format!(
                        "; {} {}",
                        lang.pick("chỉ hồ sơ có", "listed only"),
                        listed_only.join(" ")
                    ));
                }
                line
            }
            Reason::NameCommon => lang
                .pick(
                    "Tên phổ biến: chỉ trùng tên thì chưa đủ để báo động",
                    "Common name: a name alone cannot raise an alert",
                )
                .to_string(),
            Reason::DobEqual { date } => {
                format!(
                    "{} {}",
                    lang.pick("Trùng ngày sinh", "Same date of birth"),
                    birth(date, lang)
                )
            }
            Reason::DobYearOnly { year } => format!(
                "{} {year} {}",
                lang.pick("Trùng năm sinh", "Same year of birth"),
                lang.pick("(chỉ biết năm)", "(year only known)")
            ),
            Reason::DobNear { guest, listed } => format!(
                "{} {} / {}",
                lang.pick(
                    "Ngày sinh gần giống (có thể ghi nhầm)",
                    "Dates of birth one slip apart"
                ),
                birth(guest, lang),
                birth(listed, lang)
            ),
            Reason::DobContradicts { guest, listed } => format!(
                "{} {} / {}",
                lang.pick("Ngày sinh khác", "Dates of birth differ"),
                birth(guest, lang),
                birth(listed, lang)
            ),
            Reason::GenderEqual { gender } => format!(
                "{} {}",
                lang.pick("Cùng giới tính", "Same gender"),
                gender.label(lang)
            ),
            Reason::GenderContradicts { guest, listed } => format!(
                "{} {} / {}",
                lang.pick("Giới tính khác", "Gender differs"),
                guest.label(lang),
                listed.label(lang)
            ),
            Reason::NationalityEqual { nationality } => format!(
                "{} {nationality}",
                lang.pick("Cùng quốc tịch", "Same nationality")
            ),
            Reason::NationalityDiffers { guest, listed } => format!(
                "{} {guest} / {listed}",
                lang.pick("Quốc tịch khác", "Nationality differs")
            ),
        }
    }
}
