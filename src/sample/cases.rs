//! Cases over the plan's years: from the year before it (the baseline, 09/08/2017) to the
//! sample's last day, about nine a month then, fewer each year after (about 4 % a year, as
//! the plan hopes), a fifth caused by the sample's criminal groups, most cleared within
//! months — serious cases more often than the rest — some suspended or passed on, the
//! latest still under investigation. The tips passed on to investigators in the sample's
//! last weeks each opened a case, linked to its tip. All fictional.

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::places::COMMUNES;
use super::{LAST_DAY, at_local, between, chance, id, pick, weighted};
use crate::domain::{
    Case, CaseStatus, CaseStep, Charge, CriminalGroup, Instant, Kind, Officer, OfficerRole, Tip,
    TipStatus,
};

/// The first day of the sample's cases: the plan's baseline year starts here.
const FIRST_DAY: NaiveDate = NaiveDate::from_ymd_opt(2017, 8, 9).expect("a valid date");
/// The plan's signing: offences fall from here on.
const PLAN_DAY: NaiveDate = NaiveDate::from_ymd_opt(2018, 8, 9).expect("a valid date");

/// (article, clause, weight, what happened).
#[rustfmt::skip]
const CHARGES: [(u16, u8, u32, &str); 16] = [
    (173, 1, 16, "Trộm cắp trâu, bò của hộ dân"),
    (173, 2, 5, "Trộm cắp tài sản giá trị lớn tại khu dân cư"),
    (134, 1, 8, "Đánh nhau gây thương tích sau cuộc nhậu"),
    (134, 3, 3, "Dùng hung khí gây thương tích nặng"),
    (174, 2, 5, "Lừa đảo qua mạng, giả danh cán bộ"),
    (249, 1, 9, "Tàng trữ heroin để sử dụng"),
    (250, 1, 4, "Vận chuyển ma túy qua đường mòn biên giới"),
    (251, 2, 4, "Mua bán trái phép chất ma túy"),
    (251, 1, 5, "Bán lẻ ma túy cho người nghiện"),
    (321, 1, 6, "Đánh bạc ăn tiền tại nhà dân"),
    (322, 1, 2, "Tổ chức đánh bạc dịp lễ hội"),
    (188, 1, 3, "Buôn lậu hàng hoá qua lối mòn"),
    (150, 1, 2, "Mua bán người qua biên giới"),
    (348, 1, 2, "Tổ chức đưa người xuất cảnh trái phép"),
    (168, 1, 2, "Cướp tài sản trên tuyến đường vắng"),
    (123, 1, 1, "Giết người do mâu thuẫn"),
];

/// Cases recorded a month at the plan's start, and the share fewer each year after.
const MONTHLY_AT_START: f64 = 9.0;
const YEARLY_FALL: f64 = 0.04;

pub fn build(
    rng: &mut ChaCha8Rng,
    officers: &[Officer],
    groups: &[CriminalGroup],
    tips: &[Tip],
) -> Vec<Case> {
    let desk: Vec<&Officer> = officers
        .iter()
        .filter(|o| o.role == OfficerRole::Duty)
        .take(8)
        .collect();
    let end = at_local(LAST_DAY + Duration::days(1), 0);
    let mut cases = Vec::new();
    let mut month = FIRST_DAY;
    while month <= LAST_DAY {
        let next = month
            .checked_add_months(chrono::Months::new(1))
            .expect("a month later");
        let years = ((month - PLAN_DAY).num_days() as f64 / 365.25).max(0.0);
        let rate = MONTHLY_AT_START * (1.0 - YEARLY_FALL).powf(years);
        let count = (rate + f64::from(rng.random_range(-20i32..=20)) / 10.0).round() as usize;
        for _ in 0..count {
            let recorded_at = between(rng, at_local(month, 0), at_local(next, 0).min(end));
            cases.push(one(rng, &desk, groups, recorded_at, end, None));
        }
        month = next;
    }
    // Each tip passed on to investigators opened a case.
    for tip in tips.iter().filter(|t| t.status == TipStatus::Passed) {
        let recorded_at = tip.settled_at.unwrap_or(tip.received_at);
        let mut case = one(rng, &desk, groups, recorded_at, end, Some(tip.id));
        case.place = tip.place.clone();
        cases.push(case);
    }
    cases.sort_by_key(|c| (c.recorded_at, c.charge));
    for (i, case) in cases.iter_mut().enumerate() {
        case.id = id(Kind::Case, i);
    }
    cases
}

fn one(
    rng: &mut ChaCha8Rng,
    desk: &[&Officer],
    groups: &[CriminalGroup],
    recorded_at: Instant,
    end: Instant,
    source: Option<crate::domain::RecordId>,
) -> Case {
    let weights: Vec<(usize, u32)> = CHARGES.iter().enumerate().map(|(i, c)| (i, c.2)).collect();
    let (article, clause, _, summary) = CHARGES[weighted(rng, &weights)];
    let charge = Charge { article, clause };
    let officer = pick(rng, desk).id;
    let group_id = (!groups.is_empty() && chance(rng, 0.22)).then(|| pick(rng, groups).id);
    let mut case = Case {
        id: id(Kind::Case, 0),
        occurred_on: crate::domain::time::local_date(
            recorded_at - Duration::hours(rng.random_range(1..60)),
        ),
        place: pick(rng, &COMMUNES).name.to_string(),
        summary: summary.to_string(),
        charge,
        group_id,
        source,
        recorded_at,
        recorded_by: officer,
        history: Vec::new(),
    };
    let mut at = recorded_at + Duration::hours(rng.random_range(2..72));
    let step = |case: &mut Case, at: Instant, status: CaseStatus| {
        if at < end {
            case.history.push(CaseStep {
                at,
                status,
                officer_id: officer,
                note: String::new(),
            });
            true
        } else {
            false
        }
    };
    if !step(&mut case, at, CaseStatus::Investigating) {
        return case;
    }
    let clears = if case.is_serious() {
        0.96
    } else if case.is_group_caused() {
        0.8
    } else {
        0.7
    };
    if chance(rng, clears) {
        // Most within weeks, some months later (a later period's clearance).
        let days = if chance(rng, 0.8) {
            rng.random_range(2..45)
        } else {
            rng.random_range(45..300)
        };
        at += Duration::days(days);
        step(&mut case, at, CaseStatus::Cleared);
    } else if chance(rng, 0.7) {
        at += Duration::days(rng.random_range(60..240));
        step(&mut case, at, CaseStatus::Suspended);
    } else {
        at += Duration::days(rng.random_range(5..40));
        step(&mut case, at, CaseStatus::Transferred);
    }
    case
}
