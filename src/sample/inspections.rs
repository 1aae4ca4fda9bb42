//! Inspections of lodging establishments over the last six months, against a fixed list of
//! check items. Risky places are visited and fail more often; a place without its security
//! certificate always fails that item, so records agree with each other.

use chrono::Duration;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::places::UNIT_PC06;
use super::{LAST_DAY, chance, date_between, days_back, id, pick, weighted};
use crate::domain::{
    CheckItem, CheckResult, Establishment, EstablishmentKind, Inspection, Kind, Officer, Risk,
};

/// The check items, each with the violation written when it fails.
pub const ITEMS: [(&str, &str); 6] = [
    (
        "Sổ đăng ký khách lưu trú",
        "Không ghi đầy đủ thông tin khách vào sổ đăng ký",
    ),
    ("Thông báo lưu trú đúng hạn", "Thông báo lưu trú muộn"),
    (
        "Giấy chứng nhận đủ điều kiện ANTT",
        "Chưa được cấp Giấy chứng nhận đủ điều kiện về ANTT",
    ),
    ("Phòng cháy chữa cháy", "Bình chữa cháy hết hạn kiểm định"),
    ("Camera an ninh", "Camera an ninh không hoạt động"),
    ("Niêm yết nội quy", "Không niêm yết nội quy tại phòng nghỉ"),
];

const CLEAN_NOTES: [&str; 4] = [
    "",
    "Cơ sở chấp hành tốt quy định",
    "Đã hướng dẫn chủ cơ sở thông báo lưu trú qua ứng dụng",
    "Kiểm tra đột xuất ban đêm, không phát hiện vi phạm",
];

const FAIL_NOTES: [&str; 3] = [
    "Lập biên bản vi phạm hành chính",
    "Nhắc nhở, yêu cầu khắc phục trong 7 ngày",
    "Đề nghị xử phạt theo Nghị định 144/2021/NĐ-CP",
];

pub fn inspections(
    rng: &mut ChaCha8Rng,
    establishments: &[Establishment],
    officers: &[Officer],
    count: usize,
) -> Vec<Inspection> {
    let by_risk: Vec<(usize, u32)> = establishments
        .iter()
        .enumerate()
        .map(|(i, e)| {
            (
                i,
                match e.risk {
                    Risk::Low => 1,
                    Risk::Medium => 2,
                    Risk::High => 4,
                },
            )
        })
        .collect();
    let pc06: Vec<&Officer> = officers.iter().filter(|o| o.unit == UNIT_PC06).collect();
    let mut out: Vec<Inspection> = (0..count)
        .map(|_| {
            let e = &establishments[weighted(rng, &by_risk)];
            // The commune's own police when it has officers here, else the PC06 team.
            let local: Vec<&Officer> = officers
                .iter()
                .filter(|o| o.unit.strip_prefix("Công an ") == Some(e.commune.as_str()))
                .collect();
            let officer = match (local.is_empty(), pc06.is_empty()) {
                (false, _) if chance(rng, 0.6) => pick(rng, &local).id,
                (_, false) => pick(rng, &pc06).id,
                _ => pick(rng, officers).id,
            };
            let fail_rate = match e.risk {
                Risk::Low => 0.03,
                Risk::Medium => 0.08,
                Risk::High => 0.18,
            };
            let small = matches!(
                e.kind,
                EstablishmentKind::Homestay | EstablishmentKind::LodgingHouse
            );
            let mut items = Vec::new();
            let mut violations = Vec::new();
            for (i, (item, violation)) in ITEMS.iter().enumerate() {
                let result = if i == 2 && e.certificate_no.is_none() {
                    CheckResult::Fail
                } else if i == 4 && small && chance(rng, 0.5) {
                    CheckResult::NotApplicable
                } else if chance(rng, fail_rate) {
                    CheckResult::Fail
                } else {
                    CheckResult::Pass
                };
                if result == CheckResult::Fail {
                    violations.push(if i == 1 {
                        format!("{violation} cho {} khách", rng.random_range(1..10))
                    } else {
                        violation.to_string()
                    });
                }
                items.push(CheckItem {
                    item: item.to_string(),
                    result,
                });
            }
            let note = if violations.is_empty() {
                pick(rng, &CLEAN_NOTES)
            } else {
                pick(rng, &FAIL_NOTES)
            };
            Inspection {
                id: id(Kind::Inspection, 0),
                establishment_id: e.id,
                date: date_between(rng, days_back(182), LAST_DAY + Duration::days(1)),
                officer_id: officer,
                items,
                violations,
                note: note.to_string(),
            }
        })
        .collect();
    out.sort_by_key(|i| (i.date, i.establishment_id));
    for (n, i) in out.iter_mut().enumerate() {
        i.id = id(Kind::Inspection, n);
    }
    out
}
