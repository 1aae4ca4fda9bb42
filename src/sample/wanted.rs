//! Wanted notices, each with its own person. Decision numbers, dates, signers, agencies'
//! addresses and phones are invented; offences are real Penal Code 2015 articles. The
//! history of a notice runs from `wanted` at the decision to its present status.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::names::{self, Ethnic};
use super::people::{self, Profile};
use super::places::{self, LAI_CHAU, OTHER_PROVINCES};
use super::{
    at_local, between, chance, date_between, days_back, id, pick, reference_end, weighted,
};
use crate::domain::{
    Agency, Danger, Gender, GroupKind, Kind, Offence, Officer, Person, RecordId, StatusChange,
    WantedClass, WantedNotice, WantedStatus,
};

/// (article, name, weight, serious, the group kind it belongs to).
#[rustfmt::skip]
const OFFENCES: [(&str, &str, u32, bool, GroupKind); 14] = [
    ("123", "Giết người", 4, true, GroupKind::Criminal),
    ("134", "Cố ý gây thương tích", 10, false, GroupKind::Criminal),
    ("150", "Mua bán người", 5, true, GroupKind::Trafficking),
    ("168", "Cướp tài sản", 6, true, GroupKind::Criminal),
    ("173", "Trộm cắp tài sản", 14, false, GroupKind::Criminal),
    ("174", "Lừa đảo chiếm đoạt tài sản", 9, false, GroupKind::HighTech),
    ("188", "Buôn lậu", 4, false, GroupKind::Economic),
    ("232", "Vi phạm quy định về khai thác, bảo vệ rừng", 5, false, GroupKind::Environmental),
    ("244", "Vi phạm quy định về quản lý, bảo vệ động vật nguy cấp, quý, hiếm", 3, false,
        GroupKind::Environmental),
    ("248", "Sản xuất trái phép chất ma túy", 3, true, GroupKind::Drug),
    ("249", "Tàng trữ trái phép chất ma túy", 10, false, GroupKind::Drug),
    ("250", "Vận chuyển trái phép chất ma túy", 8, true, GroupKind::Drug),
    ("251", "Mua bán trái phép chất ma túy", 14, true, GroupKind::Drug),
    ("321", "Đánh bạc", 5, false, GroupKind::Economic),
];

/// The group kind an offence article belongs to (economic groups also take fraud).
pub fn fits(kind: GroupKind, article: Option<&str>) -> bool {
    let article = article.unwrap_or("").split(' ').next().unwrap_or("");
    OFFENCES.iter().any(|o| o.0 == article && o.4 == kind)
        || (kind == GroupKind::Economic && article == "174")
}

pub fn notices(
    rng: &mut ChaCha8Rng,
    seed: u64,
    officers: &[Officer],
    persons: &mut Vec<Person>,
    count: usize,
) -> Vec<WantedNotice> {
    // One address and phone per agency, and two signers each, as on real decisions.
    let provinces: Vec<_> = std::iter::once(&LAI_CHAU)
        .chain(OTHER_PROVINCES.iter())
        .collect();
    let agencies: Vec<Agency> = provinces.iter().map(|p| places::agency(rng, p)).collect();
    let signers: Vec<[String; 2]> = (0..agencies.len())
        .map(|_| [signer(rng, "Đại tá"), signer(rng, "Thượng tá")])
        .collect();
    let mut used_numbers = BTreeSet::new();
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let a = if chance(rng, 0.7) {
            0
        } else {
            rng.random_range(1..agencies.len())
        };
        let status = weighted(
            rng,
            &[
                (WantedStatus::Wanted, 80),
                (WantedStatus::Arrested, 10),
                (WantedStatus::Surrendered, 5),
                (WantedStatus::Cancelled, 3),
                (WantedStatus::Deceased, 2),
            ],
        );
        // A notice that has ended needs time after its decision for the ending.
        let latest = if status == WantedStatus::Wanted {
            days_back(5)
        } else {
            days_back(60)
        };
        let date = date_between(rng, days_back(8 * 365), latest);
        let number = loop {
            let n: u32 = rng.random_range(1..200);
            if used_numbers.insert((a, date.year(), n)) {
                break n;
            }
        };
        let off = OFFENCES[weighted(rng, &OFFENCE_WEIGHTS)];
        let profile = Profile {
            male: 0.88,
            ages: (18, 55),
            as_of: date,
            chinese: 0.03,
            no_document: 0.25,
            aliases: 0.3,
            features: 0.7,
        };
        let mut person = people::person(rng, seed, i as u64, persons.len(), &profile);
        if a != 0 && chance(rng, 0.6) {
            // From the issuing province, not Lai Châu: no local commune on file.
            person.home_commune = None;
            person.former_district = None;
        }
        let class = if chance(rng, if off.3 { 0.55 } else { 0.12 }) {
            WantedClass::Special
        } else {
            WantedClass::Ordinary
        };
        let danger = match class {
            WantedClass::Special => &[
                (Danger::EspeciallyDangerous, 40),
                (Danger::Dangerous, 50),
                (Danger::None, 10),
            ],
            WantedClass::Ordinary => &[
                (Danger::None, 60),
                (Danger::Dangerous, 35),
                (Danger::EspeciallyDangerous, 5),
            ],
        };
        let decision_no = format!("{number}/QĐ-CSĐT");
        let issued = at_local(date, rng.random_range(8 * 3600..17 * 3600));
        let issuer = (a == 0 && chance(rng, 0.6)).then(|| pick(rng, officers).id);
        let history = history(rng, officers, issued, issuer, &decision_no, status);
        let last_verified = if status == WantedStatus::Wanted {
            let from = date.max(days_back(720));
            chance(rng, 0.85).then(|| date_between(rng, from, days_back(0) + Duration::days(1)))
        } else {
            history
                .last()
                .map(|h| crate::domain::time::local_date(h.at))
        };
        out.push(WantedNotice {
            id: id(Kind::Wanted, i),
            person_id: person.id,
            decision_no,
            decision_date: date,
            agency: agencies[a].clone(),
            signer: Some(pick(rng, &signers[a]).clone()),
            offence: Offence {
                article: Some(if chance(rng, 0.3) {
                    format!("{} khoản {}", off.0, rng.random_range(2..5))
                } else {
                    off.0.to_string()
                }),
                name: off.1.to_string(),
            },
            class,
            danger: weighted(rng, danger),
            status,
            history,
            last_known_location: chance(rng, 0.8)
                .then(|| pick(rng, &places::LAST_KNOWN).to_string()),
            group_id: None,
            last_verified,
        });
        persons.push(person);
    }
    out
}

const OFFENCE_WEIGHTS: [(usize, u32); 14] = {
    let mut w = [(0, 0); 14];
    let mut i = 0;
    while i < 14 {
        w[i] = (i, OFFENCES[i].2);
        i += 1;
    }
    w
};

fn signer(rng: &mut ChaCha8Rng, rank: &str) -> String {
    let ethnic = if chance(rng, 0.7) {
        Ethnic::Kinh
    } else {
        Ethnic::Thai
    };
    format!("{rank} {}", names::vietnamese(rng, ethnic, Gender::Male))
}

/// Oldest first: `wanted` at the decision, then what ended it, if anything.
fn history(
    rng: &mut ChaCha8Rng,
    officers: &[Officer],
    issued: crate::domain::Instant,
    issuer: Option<RecordId>,
    decision_no: &str,
    status: WantedStatus,
) -> Vec<StatusChange> {
    let mut h = vec![StatusChange {
        at: issued,
        status: WantedStatus::Wanted,
        by: issuer,
        note: format!("Ra quyết định truy nã số {decision_no}"),
    }];
    let end = reference_end() - Duration::days(1);
    let later = between(rng, issued + Duration::days(7), end);
    let officer = pick(rng, officers).id;
    let change = |at, status, by, note: String| StatusChange {
        at,
        status,
        by,
        note,
    };
    match status {
        WantedStatus::Wanted => {}
        WantedStatus::Arrested | WantedStatus::Cancelled => {
            let place = pick(rng, &places::SIGHTING_PLACES);
            h.push(change(
                later,
                WantedStatus::Arrested,
                Some(officer),
                format!("Bắt theo quyết định truy nã tại {place}"),
            ));
            if status == WantedStatus::Cancelled {
                let at = between(
                    rng,
                    later + Duration::days(1),
                    (later + Duration::days(20)).min(end + Duration::days(1)),
                );
                let note = format!(
                    "Quyết định đình nã số {}/QĐ-CSĐT sau khi bắt được đối tượng",
                    rng.random_range(1..200)
                );
                h.push(change(
                    at.max(later + Duration::hours(1)),
                    WantedStatus::Cancelled,
                    None,
                    note,
                ));
            }
        }
        WantedStatus::Surrendered => {
            let unit = pick(rng, &places::COMMUNE_UNITS);
            h.push(change(
                later,
                status,
                Some(officer),
                format!("Đối tượng ra đầu thú tại {unit}, có người thân đi cùng"),
            ));
        }
        WantedStatus::Deceased => {
            h.push(change(
                later,
                status,
                None,
                "Xác minh đối tượng đã chết, có trích lục khai tử".to_string(),
            ));
        }
    }
    h
}
