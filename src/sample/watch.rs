//! Watchlists of mobile offenders, their entries (each its own person, a few reusing the
//! subjects of wanted notices) and the sightings officers reported in the last 30 days.

use chrono::Duration;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::people::{self, Profile};
use super::places::{self, BORDER_COMMUNES, ROUTES};
use super::{LAST_DAY, between, chance, id, numbers, pick, reference_end, weighted};
use crate::domain::time::local_date;
use crate::domain::{
    GroupKind, Kind, Officer, Person, RecordId, Risk, Sighting, WantedNotice, WatchEntry,
    WatchStatus, Watchlist,
};

pub struct Built {
    pub lists: Vec<Watchlist>,
    pub entries: Vec<WatchEntry>,
    pub sightings: Vec<Sighting>,
    themes: Vec<GroupKind>,
}

impl Built {
    /// The kind of group a list's people would belong to.
    pub fn theme(&self, list: RecordId) -> GroupKind {
        self.themes
            .get(list.num() as usize - 1)
            .copied()
            .unwrap_or(GroupKind::Criminal)
    }
}

struct ListSpec {
    name: &'static str,
    purpose: &'static str,
    theme: GroupKind,
    weight: u32,
    /// Indexes into `ROUTES`.
    routes: &'static [usize],
    reasons: &'static [&'static str],
}

#[rustfmt::skip]
const LISTS: [ListSpec; 6] = [
    ListSpec {
        name: "Đối tượng ma túy tuyến Ma Lù Thàng",
        purpose: "Theo dõi đối tượng mua bán, vận chuyển trái phép chất ma túy qua cửa khẩu Ma Lù Thàng và QL12",
        theme: GroupKind::Drug, weight: 70, routes: &[1, 3],
        reasons: &[
            "Nghi vận chuyển ma túy từ Kim Thủy Hà (Vân Nam) về Phong Thổ",
            "Có tiền án về tội mua bán trái phép chất ma túy, thường qua lại cửa khẩu",
            "Người nghiện có biểu hiện bán lẻ ma túy",
            "Quan hệ với đối tượng truy nã trong đường dây ma túy",
        ],
    },
    ListSpec {
        name: "Đối tượng hình sự lưu động tuyến QL4D",
        purpose: "Theo dõi đối tượng hoạt động lưu động trên tuyến Lai Châu – Lào Cai",
        theme: GroupKind::Criminal, weight: 40, routes: &[0],
        reasons: &[
            "Có tiền án trộm cắp, thường xuyên di chuyển giữa Tam Đường và Sa Pa",
            "Nghi cướp giật tài sản trên QL4D",
            "Đi lại nhiều tỉnh không rõ lý do, không có nghề nghiệp ổn định",
        ],
    },
    ListSpec {
        name: "Đối tượng nghi mua bán người khu vực biên giới Mường Tè",
        purpose: "Phòng ngừa mua bán người qua cửa khẩu U Ma Tu Khoòng và đường mòn biên giới",
        theme: GroupKind::Trafficking, weight: 30, routes: &[2, 3],
        reasons: &[
            "Nghi môi giới đưa phụ nữ sang Trung Quốc lấy chồng",
            "Nhiều lần dẫn người qua đường mòn biên giới",
            "Liên quan vụ mua bán người đã khởi tố",
        ],
    },
    ListSpec {
        name: "Đối tượng trộm cắp, cướp tài sản lưu động",
        purpose: "Theo dõi đối tượng trộm cắp, cướp tài sản tại thành phố Lai Châu và các chợ phiên",
        theme: GroupKind::Criminal, weight: 45, routes: &[0, 1],
        reasons: &[
            "Có tiền án trộm cắp xe máy",
            "Nghi trộm cắp tài sản tại các chợ phiên",
            "Mới chấp hành xong án phạt tù về tội cướp tài sản",
        ],
    },
    ListSpec {
        name: "Đối tượng khai thác rừng, buôn bán động vật hoang dã",
        purpose: "Theo dõi đối tượng khai thác gỗ trái phép và buôn bán động vật hoang dã qua biên giới",
        theme: GroupKind::Environmental, weight: 30, routes: &[2, 3],
        reasons: &[
            "Nghi khai thác gỗ pơ mu trái phép",
            "Nghi thu gom, vận chuyển động vật hoang dã sang Trung Quốc",
        ],
    },
    ListSpec {
        name: "Đối tượng đánh bạc, lừa đảo công nghệ cao",
        purpose: "Theo dõi đối tượng tổ chức đánh bạc, lừa đảo chiếm đoạt tài sản qua mạng",
        theme: GroupKind::HighTech, weight: 35, routes: &[0, 1],
        reasons: &[
            "Nghi tổ chức đánh bạc qua mạng",
            "Nghi cho thuê, mua bán tài khoản ngân hàng phục vụ lừa đảo",
            "Có tiền án lừa đảo chiếm đoạt tài sản",
        ],
    },
];

const NOTES: [&str; 6] = [
    "Đi cùng 2 người lạ, không mang theo hàng hóa",
    "Ngồi quán nước gần chợ khoảng 30 phút rồi rời đi",
    "Lên xe khách tuyến Lai Châu – Lào Cai",
    "Quần chúng báo tin, tổ công tác đã đến xác minh",
    "Hỏi chuyện, đối tượng khai đi thăm người thân",
    "Mang theo ba lô lớn, từ chối cho kiểm tra lúc đầu",
];

pub fn build(
    rng: &mut ChaCha8Rng,
    seed: u64,
    officers: &[Officer],
    persons: &mut Vec<Person>,
    notices: &[WantedNotice],
) -> Built {
    let lists: Vec<Watchlist> = LISTS
        .iter()
        .enumerate()
        .map(|(i, l)| Watchlist {
            id: id(Kind::Watchlist, i),
            name: l.name.into(),
            purpose: l.purpose.into(),
        })
        .collect();
    let weights: Vec<(usize, u32)> = LISTS
        .iter()
        .enumerate()
        .map(|(i, l)| (i, l.weight))
        .collect();
    // 20 entries are people already wanted: every 12th of the first 240, distinct notices.
    let mut reuse: Vec<RecordId> = notices.iter().map(|n| n.person_id).collect();
    let mut entries = Vec::with_capacity(250);
    for i in 0..250 {
        let l = weighted(rng, &weights);
        let spec = &LISTS[l];
        let person_id = if i % 12 == 5 && i < 240 && !reuse.is_empty() {
            reuse.swap_remove(rng.random_range(0..reuse.len()))
        } else {
            let profile = Profile {
                male: 0.85,
                ages: (18, 60),
                as_of: LAST_DAY,
                chinese: if spec.theme == GroupKind::Drug {
                    0.08
                } else {
                    0.03
                },
                no_document: 0.1,
                aliases: 0.25,
                features: 0.4,
            };
            let serial = persons.len() as u64;
            let p = people::person(rng, seed, serial, persons.len(), &profile);
            let pid = p.id;
            persons.push(p);
            pid
        };
        let vehicles = match rng.random_range(0..100) {
            0..45 => vec![numbers::plate(rng)],
            45..55 => vec![numbers::plate(rng), numbers::plate(rng)],
            _ => Vec::new(),
        };
        let mut routes = vec![ROUTES[*pick(rng, spec.routes)].to_string()];
        if chance(rng, 0.3) {
            routes.push(pick(rng, &BORDER_COMMUNES).to_string());
        }
        let added_at = between(
            rng,
            reference_end() - Duration::days(730),
            reference_end() - Duration::days(1),
        );
        let status = weighted(
            rng,
            &[
                (WatchStatus::Active, 80),
                (WatchStatus::Suspended, 10),
                (WatchStatus::Closed, 10),
            ],
        );
        let period = Duration::days(if chance(rng, 0.5) { 180 } else { 365 });
        let mut review_due = local_date(added_at) + period;
        // Reviews are kept up to date, except ~15 % left overdue for the desk to chase.
        if status == WatchStatus::Active && !chance(rng, 0.15) {
            while review_due < LAST_DAY {
                review_due += period;
            }
        }
        entries.push(WatchEntry {
            id: id(Kind::WatchEntry, i),
            watchlist_id: lists[l].id,
            person_id,
            reason: pick(rng, spec.reasons).to_string(),
            risk: weighted(
                rng,
                &[(Risk::Low, 30), (Risk::Medium, 45), (Risk::High, 25)],
            ),
            vehicles,
            routes,
            added_by: pick(rng, officers).id,
            added_at,
            review_due,
            status,
        });
    }
    let sightings = sightings(rng, &entries, officers, 400);
    Built {
        lists,
        entries,
        sightings,
        themes: LISTS.iter().map(|l| l.theme).collect(),
    }
}

fn sightings(
    rng: &mut ChaCha8Rng,
    entries: &[WatchEntry],
    officers: &[Officer],
    count: usize,
) -> Vec<Sighting> {
    let active: Vec<&WatchEntry> = entries
        .iter()
        .filter(|e| e.status == WatchStatus::Active)
        .collect();
    let start = reference_end() - Duration::days(30);
    let mut out: Vec<Sighting> = (0..count)
        .map(|_| {
            let e = if chance(rng, 0.9) && !active.is_empty() {
                *pick(rng, &active)
            } else {
                pick(rng, entries)
            };
            let note = match e.vehicles.first() {
                Some(plate) if chance(rng, 0.5) => {
                    format!(
                        "Đi xe biển số {plate} hướng về {}",
                        pick(rng, &places::BORDER_COMMUNES)
                    )
                }
                _ => pick(rng, &NOTES).to_string(),
            };
            Sighting {
                id: id(Kind::Sighting, 0),
                entry_id: e.id,
                at: between(rng, e.added_at.max(start), reference_end()),
                place: pick(rng, &places::SIGHTING_PLACES).to_string(),
                officer_id: pick(rng, &officers[3..]).id,
                note,
            }
        })
        .collect();
    // Numbered in time order, as a desk would have received them.
    out.sort_by_key(|s| (s.at, s.entry_id));
    for (i, s) in out.iter_mut().enumerate() {
        s.id = id(Kind::Sighting, i);
    }
    out
}
