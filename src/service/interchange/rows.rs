//! What each kind's rows look like: its columns (with the help text the README shows),
//! how a row becomes records, and how a record becomes a row. Import and export go
//! through the same mapping, so what export writes import reads back unchanged.

mod campaign;
mod cases;
mod hits;
mod lodging;
mod people;
mod tips;
mod watch;

use std::sync::LazyLock;

use crate::domain::{IdDocument, IdKind, Kind, Person, Record, RecordId};

use super::cells::{CellReader, CellWriter};
use super::table::Column;
use crate::i18n::Said;

/// Finds a referenced record when a row embeds it (a wanted row carries its person).
pub type Lookup<'a> = &'a dyn Fn(RecordId) -> Option<Record>;

pub struct Mapping {
    pub kind: Kind,
    pub columns: Vec<Column>,
    /// Row → records. A row that embeds a person yields `[person, record]`; IDs not given
    /// in the row are number 0, filled in by the service before saving.
    pub read: fn(&mut CellReader) -> Option<Vec<Record>>,
    /// Record → cells in column order; `None` for a record of another kind.
    pub write: fn(&Record, Lookup, &mut CellWriter) -> Option<()>,
}

static MAPPINGS: LazyLock<Vec<Mapping>> = LazyLock::new(|| {
    Kind::ALL
        .into_iter()
        .map(|kind| match kind {
            Kind::Officer => people::officers(),
            Kind::Person => people::persons(),
            Kind::Group => people::groups(),
            Kind::Wanted => people::wanted(),
            Kind::Watchlist => watch::watchlists(),
            Kind::WatchEntry => watch::entries(),
            Kind::Sighting => watch::sightings(),
            Kind::Establishment => lodging::establishments(),
            Kind::GuestStay => lodging::guests(),
            Kind::Inspection => lodging::inspections(),
            Kind::Campaign => campaign::campaigns(),
            Kind::Assignment => campaign::roster(),
            Kind::DutyLog => campaign::log(),
            Kind::Handover => campaign::handovers(),
            Kind::Hit => hits::hits(),
            Kind::Tip => tips::tips(),
            Kind::Case => cases::cases(),
        })
        .collect()
});

pub fn mapping(kind: Kind) -> &'static Mapping {
    &MAPPINGS[kind.index()]
}

pub(super) fn col(name: &'static str, required: bool, help: &'static str) -> Column {
    Column {
        name,
        required,
        help,
    }
}

pub(super) fn id_column() -> Column {
    col(
        "id",
        false,
        "the record's ID (e.g. `TN-000123`); empty = new record, a new ID is given",
    )
}

/// The row's own ID, or number 0 for "give it a new one".
pub(super) fn read_own_id(r: &mut CellReader, kind: Kind) -> Option<RecordId> {
    r.opt_id("id", kind)
        .map(|id| id.unwrap_or(RecordId::new(kind, 0)))
}

/// The Vietnamese names lodging software and clerks write for the countries guests come
/// from most here (the border's neighbours first), by ISO 3166-1 alpha-3.
const VIETNAMESE_NAMES: &[(&str, &str)] = &[
    ("Việt Nam", "VNM"),
    ("Trung Quốc", "CHN"),
    ("Lào", "LAO"),
    ("Campuchia", "KHM"),
    ("Thái Lan", "THA"),
    ("Myanmar", "MMR"),
    ("Hàn Quốc", "KOR"),
    ("Nhật Bản", "JPN"),
    ("Đài Loan", "TWN"),
    ("Hoa Kỳ", "USA"),
    ("Mỹ", "USA"),
    ("Nga", "RUS"),
    ("Anh", "GBR"),
    ("Pháp", "FRA"),
    ("Đức", "DEU"),
    ("Úc", "AUS"),
];

/// Nationality, stored as ISO 3166-1 alpha-3 (`VNM`): taken as alpha-3 or alpha-2 (`VN`),
/// the English short name (`Viet Nam`) or the Vietnamese one, marks or not (`Việt Nam`,
/// `viet nam`).
pub(super) fn parse_nationality(text: &str) -> Option<String> {
    let text = text.trim();
    let upper = text.to_ascii_uppercase();
    let by_code = match upper.len() {
        3 => rust_iso3166::from_alpha3(&upper),
        2 => rust_iso3166::from_alpha2(&upper),
        _ => None,
    };
    if let Some(country) = by_code {
        return Some(country.alpha3.to_string());
    }
    let folded = crate::domain::text::fold(text);
    VIETNAMESE_NAMES
        .iter()
        .find(|(name, _)| crate::domain::text::fold(name) == folded)
        .map(|(_, code)| code.to_string())
        .or_else(|| {
            rust_iso3166::ALL
                .iter()
                .find(|c| crate::domain::text::fold(c.name) == folded)
                .map(|c| c.alpha3.to_string())
        })
}

pub(super) const NATIONALITY: &str =
    "an ISO 3166 code such as VNM or VN, CHN or CN, LAO or LA, or the country's name (Việt Nam)";

pub(super) fn nationality_forms() -> Said {
    Said::new(
        "mã ISO 3166 như VNM hoặc VN, CHN hoặc CN, LAO hoặc LA, hoặc tên nước (Việt Nam)",
        NATIONALITY,
    )
}

/// The identity document from `id_kind` + `id_number`. A 12-digit number with no kind is a
/// CCCD and a 9-digit one a CMND; anything else must say its kind.
pub(super) fn read_id_doc(r: &mut CellReader) -> Option<Option<IdDocument>> {
    let kind = r.opt_parsed("id_kind", IdKind::parse, &IdKind::expected())?;
    let number = r.opt_text("id_number");
    let Some(number) = number else {
        if kind.is_some() {
            r.fail(
                "id_number",
                Said::new(
                    "trống nhưng id_kind có giá trị (ghi số giấy tờ, hoặc để trống cả hai)",
                    "is empty but id_kind is given (give the number, or leave both empty)",
                ),
            );
            return None;
        }
        return Some(None);
    };
    let digits = number.bytes().all(|b| b.is_ascii_digit());
    let kind = match kind {
        Some(k) => k,
        None if digits && number.len() == 12 => IdKind::Cccd,
        None if digits && number.len() == 9 => IdKind::Cmnd,
        None => {
            r.fail(
                "id_kind",
                Said::new(
                    format!(
                        "trống và {} không phải CCCD 12 số hay CMND 9 số (ghi rõ loại: {})",
                        super::problem::quote(&number),
                        IdKind::expected().vi
                    ),
                    format!(
                        "is empty and {} is not a 12-digit CCCD or 9-digit CMND (say which: {})",
                        super::problem::quote(&number),
                        IdKind::expected().en
                    ),
                ),
            );
            return None;
        }
    };
    let well_formed = match kind {
        IdKind::Cccd => digits && number.len() == 12,
        IdKind::Cmnd => digits && number.len() == 9,
        _ => (5..=20).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_alphanumeric()),
    };
    if !well_formed {
        let number = super::problem::quote(&number);
        r.fail("id_number", Said::new(
            format!("{number} không phải số {} hợp lệ (CCCD: 12 chữ số; CMND: 9 chữ số; loại khác: 5–20 chữ cái hoặc chữ số)", kind.code()),
            format!("{number} is not a valid {} number (CCCD: 12 digits; CMND: 9 digits; others: 5–20 letters or digits)", kind.code())));
        return None;
    }
    Some(Some(IdDocument { kind, number }))
}

pub(super) fn write_id_doc(w: &mut CellWriter, doc: Option<&IdDocument>) {
    w.opt_text(doc.map(|d| d.kind.code()));
    w.opt_text(doc.map(|d| d.number.as_str()));
}

/// The person columns that wanted and watch rows embed.
pub(super) fn person_columns(strict: bool) -> Vec<Column> {
    vec![
        col(
            "full_name",
            true,
            "full name, family name first, with or without marks (stored NFC)",
        ),
        col("aliases", false, "other names, separated by `;`"),
        col(
            "date_of_birth",
            strict,
            "`YYYY-MM-DD`, or the year alone `YYYY`; empty = unknown",
        ),
        col(
            "gender",
            true,
            "`male`, `female` or `unknown` (or `M`, `F`, `nam`, `nữ`, `không rõ`)",
        ),
        col(
            "ethnicity",
            false,
            "ethnic group: `Kinh`, `Thái`, `Mông`, `Dao`, `Hà Nhì` …",
        ),
        col(
            "nationality",
            true,
            "ISO 3166 alpha-3 `VNM`, `CHN`, `LAO` … (also alpha-2 `VN` or the name `Việt Nam`; stored alpha-3)",
        ),
        col(
            "id_kind",
            false,
            "`cccd`, `cmnd`, `passport`, `border_pass`, `other`; empty = guessed from a 12- or 9-digit number",
        ),
        col(
            "id_number",
            strict,
            "identity document number; empty = unknown",
        ),
        col("home_commune", strict, "commune (xã/phường) of residence"),
        col("former_district", false, "district before the 2025 reform"),
        col("features", false, "identifying features"),
    ]
}

pub(super) fn read_person(r: &mut CellReader, id: RecordId) -> Option<Person> {
    let full_name = r.text("full_name");
    let aliases = r.list("aliases");
    let birth = r.birth("date_of_birth");
    let gender = r.parsed(
        "gender",
        crate::domain::Gender::parse_declared,
        &crate::domain::Gender::expected(),
    );
    let ethnicity = r.opt_text("ethnicity");
    let nationality = r.parsed("nationality", parse_nationality, &nationality_forms());
    let id_doc = read_id_doc(r);
    let home_commune = r.opt_text("home_commune");
    let former_district = r.opt_text("former_district");
    let features = r.opt_text("features");
    Some(Person {
        id,
        full_name: full_name?,
        aliases: aliases?,
        birth: birth?,
        gender: gender?,
        ethnicity,
        nationality: nationality?,
        id_doc: id_doc?,
        home_commune,
        former_district,
        features,
    })
}

pub(super) fn write_person(w: &mut CellWriter, p: &Person) {
    w.text(&p.full_name)
        .list(&p.aliases)
        .opt_show(p.birth)
        .show(p.gender)
        .opt_text(p.ethnicity.as_deref())
        .text(&p.nationality);
    write_id_doc(w, p.id_doc.as_ref());
    w.opt_text(p.home_commune.as_deref())
        .opt_text(p.former_district.as_deref())
        .opt_text(p.features.as_deref());
}

/// The person a row names by `person_id`, or the one it embeds (number 0 = new).
pub(super) fn read_embedded_person(r: &mut CellReader) -> Option<Person> {
    let person_id = r.opt_id("person_id", Kind::Person);
    let person = read_person(r, RecordId::new(Kind::Person, 0));
    let mut person = person?;
    person.id = person_id?.unwrap_or(person.id);
    Some(person)
}

pub(super) fn person_of(lookup: Lookup, id: RecordId) -> Option<Person> {
    match lookup(id)? {
        Record::Person(p) => Some(p),
        _ => None,
    }
}
