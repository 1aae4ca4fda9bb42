//! Lodging establishments in the real communes and the guest stays they declared, with the
//! faults a duty desk looks for: late and missing declarations (Luật Cư trú art. 30, Law
//! 47/2014 art. 33 for foreigners) and guests whose names come close to wanted persons.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::names::{self, Ethnic};
use super::places::{self, COMMUNES};
use super::{at_local, chance, days_back, id, numbers, people, pick, reference_end, weighted};
use crate::domain::declarations::DeclarationRules;
use crate::domain::{
    BirthDate, Establishment, EstablishmentKind, Gender, GuestIdentity, GuestStay, Instant, Kind,
    Person, Risk, WantedNotice, WantedStatus,
};

#[rustfmt::skip]
const NAME_BODIES: [&str; 30] = [
    "Hoàng Long", "Bình Minh", "Thanh Bình", "Hải Yến", "Phúc Lộc", "Hương Sen", "Ngọc Lan",
    "Tây Bắc", "Sơn Thủy", "Mây Trắng", "Đỉnh Núi", "Hoa Ban", "Suối Reo", "Biên Cương",
    "An Khang", "Phương Nam", "Hồng Hà", "Trường An", "Minh Châu", "Kim Ngân", "Thu Hà",
    "Sao Mai", "Hoa Đào", "Ban Mai", "Ngân Hà", "Thảo Nguyên", "Đồi Chè", "Bản Mây",
    "Sương Sớm", "Thung Lũng Xanh",
];

pub fn establishments(rng: &mut ChaCha8Rng, count: usize) -> Vec<Establishment> {
    use EstablishmentKind::*;
    let weights: Vec<(usize, u32)> = COMMUNES
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c.lodging_weight))
        .collect();
    let mut names = BTreeSet::new();
    (0..count)
        .map(|i| {
            let commune = &COMMUNES[weighted(rng, &weights)];
            let town = commune.lodging_weight >= 4;
            let kind = if town {
                weighted(
                    rng,
                    &[
                        (Hotel, 30),
                        (Guesthouse, 45),
                        (LodgingHouse, 15),
                        (Homestay, 10),
                    ],
                )
            } else {
                weighted(
                    rng,
                    &[
                        (Hotel, 3),
                        (Guesthouse, 30),
                        (LodgingHouse, 25),
                        (Homestay, 42),
                    ],
                )
            };
            let prefix = match kind {
                Hotel => "Khách sạn",
                Guesthouse => "Nhà nghỉ",
                LodgingHouse => "Nhà trọ",
                Homestay => "Homestay",
            };
            let short = commune
                .name
                .trim_start_matches("xã ")
                .trim_start_matches("phường ");
            let mut name = format!("{prefix} {}", pick(rng, &NAME_BODIES));
            if !names.insert(name.clone()) {
                name = format!("{name} {short}");
                let base = name.clone();
                let mut n = 2;
                while !names.insert(name.clone()) {
                    name = format!("{base} {n}");
                    n += 1;
                }
            }
            let rooms = match kind {
                Hotel => rng.random_range(20..=80),
                Guesthouse => rng.random_range(8..=25),
                LodgingHouse => rng.random_range(5..=20),
                Homestay => rng.random_range(5..=12),
            };
            let certified = chance(rng, 0.85);
            let mut risk = weighted(
                rng,
                &[(Risk::Low, 55), (Risk::Medium, 35), (Risk::High, 10)],
            );
            if !certified && risk == Risk::Low {
                risk = Risk::Medium;
            }
            let owner_gender = if chance(rng, 0.6) {
                Gender::Male
            } else {
                Gender::Female
            };
            let owner_ethnic = Ethnic::local(rng);
            Establishment {
                id: id(Kind::Establishment, i),
                name,
                kind,
                commune: commune.name.to_string(),
                former_district: Some(commune.district.to_string()),
                address: places::address(rng, commune),
                owner: names::vietnamese(rng, owner_ethnic, owner_gender),
                phone: numbers::phone(rng),
                certificate_no: certified
                    .then(|| format!("{}/GCN-ANTT", rng.random_range(1..2000))),
                rooms,
                risk,
            }
        })
        .collect()
}

/// `count` stays over the last `window_days`, numbered from `first + 1`; identity numbers
/// come from the guest serials `first..first + count`.
pub fn guests(
    rng: &mut ChaCha8Rng,
    seed: u64,
    establishments: &[Establishment],
    count: usize,
    window_days: i64,
    first: u64,
) -> Vec<GuestStay> {
    // Bigger places take more guests: choose by rooms through a cumulative table.
    let cumulative: Vec<u64> = establishments
        .iter()
        .scan(0u64, |sum, e| {
            *sum += u64::from(e.rooms.max(1));
            Some(*sum)
        })
        .collect();
    let total = cumulative.last().copied().unwrap_or(1);
    (0..count)
        .map(|i| {
            let serial = first + i as u64;
            let roll = rng.random_range(0..total);
            let e = &establishments[cumulative.partition_point(|&c| c <= roll)];
            let guest = identity(rng, seed, serial);
            let day = days_back(rng.random_range(0..window_days));
            // Most arrive in the evening; a few after 23:00 or past midnight.
            let (from_h, to_h) = weighted(
                rng,
                &[
                    ((6, 12), 15),
                    ((12, 17), 20),
                    ((17, 23), 55),
                    ((23, 24), 6),
                    ((0, 3), 4),
                ],
            );
            let check_in = at_local(day, rng.random_range(from_h * 3600..to_h * 3600));
            let nights = weighted(rng, &[(1, 50), (2, 25), (3, 12), (5, 10), (12, 3)]);
            let out_day = day + Duration::days(nights);
            let check_out = at_local(out_day, rng.random_range(6 * 3600..12 * 3600));
            let declared_at = declaration(rng, check_in, guest.nationality != "VNM");
            let room = rng.random_range(0..e.rooms);
            GuestStay {
                id: id(Kind::GuestStay, serial as usize),
                establishment_id: e.id,
                guest,
                check_in,
                check_out: (check_out <= reference_end()).then_some(check_out),
                room: Some(match e.kind {
                    EstablishmentKind::Hotel | EstablishmentKind::Guesthouse => {
                        format!("{}{:02}", 1 + room / 10, 1 + room % 10)
                    }
                    _ => format!("Phòng {}", room + 1),
                }),
                declared_at: declared_at.filter(|&t| t <= reference_end()),
            }
        })
        .collect()
}

/// The deadline the generator aims its declarations at: the console's rule
/// ([`DeclarationRules`], default hours) without the remote-commune extension, so a few
/// foreign guests it made late in remote communes are on time by the 24-hour rule. (Kept so
/// that the committed sample does not change.)
pub fn deadline(check_in: Instant, foreign: bool) -> Instant {
    DeclarationRules::default().deadline(check_in, foreign, false)
}

/// ~1 % never declared, ~5 % late, the rest within an hour or two and before the deadline.
fn declaration(rng: &mut ChaCha8Rng, check_in: Instant, foreign: bool) -> Option<Instant> {
    let due = deadline(check_in, foreign);
    match rng.random_range(0..100) {
        0 => None,
        1..=5 => Some(due + Duration::seconds(rng.random_range(600..30 * 3600))),
        _ => {
            let room = (due - check_in).num_seconds() - 60;
            let delay = rng.random_range(300..7200).min(room).max(60);
            Some(check_in + Duration::seconds(delay))
        }
    }
}

/// A guest as declared: ~8 % foreigners (Chinese with Hán and Sino-Vietnamese forms of the
/// name, Lao), Vietnamese mostly with a CCCD.
fn identity(rng: &mut ChaCha8Rng, seed: u64, serial: u64) -> GuestIdentity {
    let gender = if chance(rng, 0.65) {
        Gender::Male
    } else {
        Gender::Female
    };
    let birth = birth(rng);
    if chance(rng, 0.08) {
        let passport = Some(numbers::passport(
            numbers::GUEST_PASSPORT_BASE + serial,
            seed,
        ));
        if chance(rng, 0.8) {
            let (pinyin, han, viet) = names::chinese(rng, gender);
            return GuestIdentity {
                full_name: pinyin,
                other_names: vec![han, viet],
                birth: Some(birth),
                gender,
                id_doc: passport,
                nationality: "CHN".into(),
            };
        }
        return GuestIdentity {
            full_name: names::lao(rng, gender),
            other_names: Vec::new(),
            birth: Some(birth),
            gender,
            id_doc: passport,
            nationality: "LAO".into(),
        };
    }
    let id_doc = match rng.random_range(0..100) {
        0..4 => None, // children travelling with their parents
        4..12 if serial < numbers::GUEST_CMND_BASE => {
            Some(numbers::cmnd(numbers::GUEST_CMND_BASE + serial, seed))
        }
        _ => Some(numbers::cccd(numbers::GUEST_CCCD_BASE + serial, seed)),
    };
    let ethnic = Ethnic::traveller(rng);
    GuestIdentity {
        full_name: names::vietnamese(rng, ethnic, gender),
        other_names: Vec::new(),
        birth: Some(birth),
        gender,
        id_doc,
        nationality: "VNM".into(),
    }
}

fn birth(rng: &mut ChaCha8Rng) -> BirthDate {
    let year = super::LAST_DAY.year() - rng.random_range(16..72);
    let day = NaiveDate::from_yo_opt(year, rng.random_range(1..=365));
    day.map_or(BirthDate::Year(year), BirthDate::Full)
}

/// Replaces a dozen Vietnamese guests with near-matches of active wanted persons, so that
/// screening has something to find: two true hits (same name, birth and number), the rest
/// near misses (other birth year, mark-only difference, no middle name, no document).
pub fn plant_near_matches(
    rng: &mut ChaCha8Rng,
    guests: &mut [GuestStay],
    notices: &[WantedNotice],
    persons: &[Person],
) {
    let wanted: Vec<&Person> = notices
        .iter()
        .filter(|n| n.status == WantedStatus::Wanted)
        .filter_map(|n| persons.get(n.person_id.num() as usize - 1))
        .filter(|p| p.nationality == "VNM")
        .collect();
    let mut used = BTreeSet::new();
    for variant in 0..12 {
        let (Some(&p), Some(g)) = (
            wanted.get(rng.random_range(0..wanted.len().max(1))),
            free_guest(rng, guests, &mut used),
        ) else {
            return;
        };
        let guest = &mut guests[g].guest;
        guest.full_name = p.full_name.clone();
        guest.gender = p.gender;
        guest.birth = p.birth;
        guest.other_names.clear();
        match variant {
            0 | 1 => guest.id_doc = p.id_doc.clone(),
            2..=4 => {
                let year = p.birth.map_or(1990, |b| b.year()) + pick(rng, &[-2, -1, 1, 2]);
                guest.birth = Some(BirthDate::Year(year));
            }
            5..=7 => guest.full_name = fold_equal_variant(&p.full_name),
            8 | 9 => {
                let words: Vec<&str> = p.full_name.split(' ').collect();
                if let (Some(f), Some(l)) = (words.first(), words.last()) {
                    guest.full_name = format!("{f} {l}");
                }
            }
            _ => guest.id_doc = None,
        }
    }
}

fn free_guest(
    rng: &mut ChaCha8Rng,
    guests: &[GuestStay],
    used: &mut BTreeSet<usize>,
) -> Option<usize> {
    (0..1000)
        .map(|_| rng.random_range(0..guests.len().max(1)))
        .find(|&g| guests.get(g).is_some_and(|s| s.guest.nationality == "VNM") && used.insert(g))
}

/// The same letters with other marks, as a hurried clerk types it: `Hùng` → `Hưng`.
fn fold_equal_variant(name: &str) -> String {
    const SWAPS: [(&str, &str); 8] = [
        ("Hùng", "Hưng"),
        ("Hưng", "Hùng"),
        ("Thủy", "Thuỷ"),
        ("Hòa", "Hoà"),
        ("Dũng", "Dung"),
        ("Sử", "Sư"),
        ("Pánh", "Panh"),
        ("Đức", "Dục"),
    ];
    SWAPS
        .iter()
        .find(|(from, _)| name.ends_with(from))
        .map(|(from, to)| format!("{}{to}", &name[..name.len() - from.len()]))
        .unwrap_or_else(|| {
            name.replacen(" Văn ", " Van ", 1)
                .replacen(" Thị ", " Thi ", 1)
        })
}

/// Benchmark hits: ~1 % of guests carry the name of person `j` of the scale store, half of
/// them also its birth, a third its document number.
pub fn echo_persons(rng: &mut ChaCha8Rng, seed: u64, guests: &mut [GuestStay], persons: u64) {
    for stay in guests.iter_mut() {
        if !chance(rng, 0.01) {
            continue;
        }
        let p = people::scale_person(seed, rng.random_range(0..persons));
        let g = &mut stay.guest;
        if chance(rng, 0.33) {
            g.id_doc = p.id_doc;
        } else if g.nationality != p.nationality {
            g.id_doc = None; // a Vietnamese name with a foreign guest's passport would be odd
        }
        g.full_name = p.full_name;
        g.gender = p.gender;
        g.nationality = p.nationality;
        g.other_names = if g.nationality == "CHN" {
            p.aliases
        } else {
            Vec::new()
        };
        if chance(rng, 0.5) {
            g.birth = p.birth;
        }
    }
}
