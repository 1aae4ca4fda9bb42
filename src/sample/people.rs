//! Officers and persons. A person is made from a [`Profile`] (who the section needs: wanted
//! men in their thirties, mobile offenders, …) so that wanted notices, watch entries and the
//! benchmark store share one generator and one name distribution.

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::names::{self, Ethnic};
use super::places::{self, COMMUNES};
use super::{chance, date_between, id, numbers, pick, stream, weighted};
use crate::domain::{BirthDate, Gender, Kind, Officer, OfficerRole, Person};

pub fn officers(rng: &mut ChaCha8Rng, count: usize) -> Vec<Officer> {
    let supervisors = count.div_ceil(8);
    let mut badge: u32 = 10_000 + rng.random_range(200..400);
    (0..count)
        .map(|i| {
            // Fixed positions keep the role mix exact: 2 admins, 1 auditor, then supervisors.
            let role = match i {
                0 | 1 => OfficerRole::Admin,
                2 => OfficerRole::Auditor,
                i if i < 3 + supervisors => OfficerRole::Supervisor,
                _ => OfficerRole::Duty,
            };
            badge += rng.random_range(7..60);
            let gender = if chance(rng, 0.85) {
                Gender::Male
            } else {
                Gender::Female
            };
            let ethnic = weighted(
                rng,
                &[
                    (Ethnic::Kinh, 45),
                    (Ethnic::Thai, 25),
                    (Ethnic::Mong, 12),
                    (Ethnic::Dao, 8),
                    (Ethnic::Giay, 4),
                    (Ethnic::HaNhi, 3),
                    (Ethnic::Lu, 1),
                    (Ethnic::LaHu, 1),
                ],
            );
            Officer {
                id: id(Kind::Officer, i),
                badge_no: format!("LC-{badge}"),
                full_name: names::vietnamese(rng, ethnic, gender),
                rank: rank(rng, role).to_string(),
                unit: unit(rng, role, i).to_string(),
                role,
            }
        })
        .collect()
}

fn rank(rng: &mut ChaCha8Rng, role: OfficerRole) -> &'static str {
    let table: &[(&str, u32)] = match role {
        OfficerRole::Admin => &[("Thượng úy", 1), ("Đại úy", 1)],
        OfficerRole::Auditor => &[("Thiếu tá", 1)],
        OfficerRole::Supervisor => &[("Đại úy", 2), ("Thiếu tá", 4), ("Trung tá", 3)],
        OfficerRole::Duty => &[
            ("Thiếu úy", 20),
            ("Trung úy", 30),
            ("Thượng úy", 25),
            ("Đại úy", 20),
            ("Thiếu tá", 5),
        ],
    };
    weighted(rng, table)
}

fn unit(rng: &mut ChaCha8Rng, role: OfficerRole, i: usize) -> &'static str {
    use places::{UNIT_PC02, UNIT_PC04, UNIT_PC06, UNIT_PC08, UNIT_PV01};
    match role {
        OfficerRole::Admin | OfficerRole::Auditor => UNIT_PV01,
        OfficerRole::Supervisor => pick::<&str>(rng, &[UNIT_PC02, UNIT_PC04, UNIT_PC06, UNIT_PV01]),
        // Every commune unit appears: every other duty officer serves in one, in turn.
        OfficerRole::Duty if i.is_multiple_of(2) => {
            places::COMMUNE_UNITS[(i / 2) % places::COMMUNE_UNITS.len()]
        }
        OfficerRole::Duty => pick::<&str>(
            rng,
            &[
                UNIT_PC02, UNIT_PC04, UNIT_PC06, UNIT_PC06, UNIT_PC08, UNIT_PV01,
            ],
        ),
    }
}

/// Who a section needs.
pub struct Profile {
    pub male: f64,
    /// Age range at `as_of`.
    pub ages: (i32, i32),
    pub as_of: NaiveDate,
    /// Share of Chinese nationals.
    pub chinese: f64,
    /// Share with no identity document on file.
    pub no_document: f64,
    pub aliases: f64,
    pub features: f64,
}

const FEATURES: [&str; 12] = [
    "Sẹo dài khoảng 3 cm ở má trái",
    "Xăm hình rồng ở cánh tay phải",
    "Cao khoảng 1m65, dáng gầy",
    "Cao khoảng 1m58, người đậm",
    "Nốt ruồi to dưới cằm",
    "Tóc xoăn, da ngăm đen",
    "Thiếu một đốt ngón trỏ tay trái",
    "Nói được tiếng Mông và tiếng Quan Thoại",
    "Đi hơi tập tễnh chân phải",
    "Răng cửa bọc vàng",
    "Xăm chữ Hán ở mu bàn tay",
    "Hay đội mũ lưỡi trai, đi xe máy",
];

/// A person with `serial` as the source of their identity number (unique per serial).
pub fn person(rng: &mut ChaCha8Rng, seed: u64, serial: u64, index: usize, p: &Profile) -> Person {
    let gender = if chance(rng, p.male) {
        Gender::Male
    } else {
        Gender::Female
    };
    let age = rng.random_range(p.ages.0..=p.ages.1);
    let year = p.as_of.year() - age;
    let birth = match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(from), Some(to)) if chance(rng, 0.8) => BirthDate::Full(date_between(rng, from, to)),
        _ => BirthDate::Year(year),
    };
    let mut aliases = Vec::new();
    let (full_name, nationality, ethnicity, id_doc, commune);
    if chance(rng, p.chinese) {
        let (pinyin, han, viet) = names::chinese(rng, gender);
        aliases.extend([han, viet]);
        full_name = pinyin;
        nationality = "CHN";
        ethnicity = None;
        id_doc = chance(rng, 0.5).then(|| numbers::passport(serial, seed));
        commune = None;
    } else {
        let ethnic = Ethnic::local(rng);
        full_name = names::vietnamese(rng, ethnic, gender);
        nationality = "VNM";
        ethnicity = Some(ethnic.label().to_string());
        id_doc = if chance(rng, p.no_document) {
            None
        } else if age >= 40 && chance(rng, 0.3) && serial < numbers::GUEST_CMND_BASE {
            Some(numbers::cmnd(serial, seed)) // older people may still hold the old card
        } else {
            Some(numbers::cccd(serial, seed))
        };
        commune = Some(pick(rng, &COMMUNES));
        if chance(rng, p.aliases) {
            aliases.extend(names::alias(rng, &full_name));
        }
    }
    let features = chance(rng, p.features).then(|| {
        let first = pick(rng, &FEATURES);
        let second = pick(rng, &FEATURES);
        if first == second {
            first.to_string()
        } else {
            // Lower-case only the first letter: `chữ Hán`, `tiếng Mông` keep theirs.
            let mut rest = second.chars();
            let head: String = rest
                .next()
                .into_iter()
                .flat_map(char::to_lowercase)
                .collect();
            format!("{first}, {head}{}", rest.as_str())
        }
    });
    Person {
        id: id(Kind::Person, index),
        full_name,
        aliases,
        birth: Some(birth),
        gender,
        ethnicity,
        nationality: nationality.to_string(),
        id_doc,
        home_commune: commune.map(|c| c.name.to_string()),
        former_district: commune.map(|c| c.district.to_string()),
        features,
    }
}

/// Person `i` of the benchmark store, from a stream of its own so that any guest can
/// regenerate it (to plant a hit) without the persons being kept in memory.
pub fn scale_person(seed: u64, i: u64) -> Person {
    let profile = Profile {
        male: 0.7,
        ages: (18, 70),
        as_of: super::LAST_DAY,
        chinese: 0.03,
        no_document: 0.05,
        aliases: 0.1,
        features: 0.2,
    };
    person(&mut person_stream(seed, i), seed, i, i as usize, &profile)
}

fn person_stream(seed: u64, i: u64) -> ChaCha8Rng {
    stream(seed, (1 << 40) + i)
}
