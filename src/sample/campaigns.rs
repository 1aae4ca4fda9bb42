//! Three peak campaigns (đợt cao điểm) on the plan's routes and their rosters.
//!
//! Each roster uses 60 distinct officers in four crews of 15 on the classic rotation day,
//! night, off, off (07:30–19:30 and 19:30–07:30): nobody is twice in one shift and everyone
//! gets at least 24 h between shifts. Each crew holds five posts with one leader and two
//! members per post-shift.
//!
//! Two rest-rule violations are planted in the last campaign, for the roster checks to find:
//! - on day 7 (2026-11-08) a day-crew member also covers the night shift at the first post:
//!   0 h rest between 19:30 and 19:30;
//! - a night-crew member of day 10 (2026-11-11) is also put on the day shift of 2026-11-12:
//!   0 h rest between 07:30 and 07:30.

use chrono::{Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::places::{POSTS, ROUTES, UNIT_PC02, UNIT_PC04};
use super::{LAST_DAY, id};
use crate::domain::{
    Assignment, AssignmentRole, Campaign, Kind, Officer, OfficerRole, RecordId, Shift,
};

const DAYS: i64 = 14;
const CREW: usize = 15;

struct Spec {
    name: &'static str,
    start: NaiveDate,
    objective: &'static str,
    routes: &'static [usize],
    posts: [usize; 5],
    lead_unit: &'static str,
}

fn specs() -> [Spec; 3] {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(LAST_DAY);
    [
        Spec {
            name: "Đợt cao điểm tấn công, trấn áp tội phạm, bảo đảm an ninh trật tự dịp Tết Nguyên đán Bính Ngọ 2026",
            start: date(2026, 2, 3),
            objective: "Kiềm chế tội phạm trộm cắp, cướp tài sản, đánh bạc dịp Tết; kiểm soát người và phương tiện trên QL4D, QL12",
            routes: &[0, 1],
            posts: [2, 3, 0, 8, 7],
            lead_unit: UNIT_PC02,
        },
        Spec {
            name: "Đợt cao điểm tấn công, trấn áp tội phạm ma túy tuyến biên giới",
            start: date(2026, 6, 12),
            objective: "Triệt phá đường dây vận chuyển ma túy qua cửa khẩu Ma Lù Thàng, U Ma Tu Khoòng và đường mòn biên giới",
            routes: &[1, 2, 3],
            posts: [0, 1, 6, 4, 5],
            lead_unit: UNIT_PC04,
        },
        Spec {
            name: "Đợt cao điểm tấn công, trấn áp tội phạm trên các tuyến trọng điểm và khu vực biên giới",
            start: LAST_DAY - Duration::days(DAYS - 1),
            objective: "Truy bắt đối tượng truy nã, kiểm soát đối tượng hình sự lưu động trên các tuyến trọng điểm và các xã biên giới",
            routes: &[0, 1, 2, 3],
            posts: [0, 1, 2, 3, 4],
            lead_unit: UNIT_PC02,
        },
    ]
}

/// Seniority, for choosing post leaders.
fn seniority(rank: &str) -> usize {
    [
        "Thiếu úy",
        "Trung úy",
        "Thượng úy",
        "Đại úy",
        "Thiếu tá",
        "Trung tá",
    ]
    .iter()
    .position(|r| *r == rank)
    .unwrap_or(0)
}

pub fn build(rng: &mut ChaCha8Rng, officers: &[Officer]) -> (Vec<Campaign>, Vec<Assignment>) {
    let mut campaigns = Vec::new();
    let mut roster: Vec<Assignment> = Vec::new();
    for (c, spec) in specs().into_iter().enumerate() {
        let campaign_id = id(Kind::Campaign, c);
        campaigns.push(Campaign {
            id: campaign_id,
            name: spec.name.into(),
            start: spec.start,
            end: spec.start + Duration::days(DAYS - 1),
            objective: spec.objective.into(),
            routes: spec.routes.iter().map(|&r| ROUTES[r].to_string()).collect(),
            posts: spec.posts.iter().map(|&p| POSTS[p].to_string()).collect(),
            lead_unit: spec.lead_unit.into(),
        });
        let crews = crews(rng, officers);
        let mut rows: Vec<(NaiveDate, Shift, usize, AssignmentRole, RecordId)> = Vec::new();
        for d in 0..DAYS {
            let date = spec.start + Duration::days(d);
            for (crew, shift) in crews.iter().enumerate().filter_map(|(k, crew)| {
                // Crew k works days when (d + k) % 4 == 0 and nights one day later.
                match (d as usize + k) % 4 {
                    0 => Some((crew, Shift::Day)),
                    1 => Some((crew, Shift::Night)),
                    _ => None,
                }
            }) {
                for (k, &officer) in crew.iter().enumerate() {
                    let (role, slot) = if k < 5 {
                        (AssignmentRole::Leader, k)
                    } else {
                        (AssignmentRole::Member, k - 5)
                    };
                    rows.push((date, shift, (slot + d as usize) % 5, role, officer));
                }
            }
        }
        if c == 2 {
            plant_violations(&mut rows, spec.start);
        }
        // Leader first within each post-shift; the sort is stable.
        rows.sort_by_key(|r| (r.0, r.1 == Shift::Night, r.2, r.3 == AssignmentRole::Member));
        roster.extend(
            rows.into_iter()
                .map(|(date, shift, post, role, officer_id)| Assignment {
                    id: id(Kind::Assignment, 0),
                    campaign_id,
                    officer_id,
                    date,
                    shift,
                    post: POSTS[spec.posts[post]].to_string(),
                    role,
                }),
        );
    }
    for (n, a) in roster.iter_mut().enumerate() {
        a.id = id(Kind::Assignment, n);
    }
    (campaigns, roster)
}

/// Four crews of 15 from 60 distinct duty officers and supervisors: the 20 most senior lead
/// the posts (five per crew, listed first), the rest are members.
fn crews(rng: &mut ChaCha8Rng, officers: &[Officer]) -> Vec<Vec<RecordId>> {
    let mut pool: Vec<&Officer> = officers
        .iter()
        .filter(|o| matches!(o.role, OfficerRole::Duty | OfficerRole::Supervisor))
        .collect();
    pool.shuffle(rng);
    pool.truncate(4 * CREW);
    pool.sort_by_key(|o| std::cmp::Reverse(seniority(&o.rank)));
    let mut crews: Vec<Vec<RecordId>> = (0..4).map(|_| Vec::with_capacity(CREW)).collect();
    for (k, o) in pool.iter().enumerate() {
        crews[k % 4].push(o.id);
    }
    crews
}

/// See the module doc: two planted breaches of the 12-hour rest rule.
fn plant_violations(
    rows: &mut Vec<(NaiveDate, Shift, usize, AssignmentRole, RecordId)>,
    start: NaiveDate,
) {
    let member_of = |rows: &[(NaiveDate, Shift, usize, AssignmentRole, RecordId)], date, shift| {
        rows.iter()
            .find(|r| r.0 == date && r.1 == shift && r.3 == AssignmentRole::Member)
            .map(|r| r.4)
    };
    let day7 = start + Duration::days(6);
    if let Some(o) = member_of(rows, day7, Shift::Day) {
        rows.push((day7, Shift::Night, 0, AssignmentRole::Member, o));
    }
    let day10 = start + Duration::days(9);
    if let Some(o) = member_of(rows, day10, Shift::Night) {
        rows.push((
            day10 + Duration::days(1),
            Shift::Day,
            0,
            AssignmentRole::Member,
            o,
        ));
    }
}
