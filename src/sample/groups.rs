//! Criminal groups (băng nhóm): their members are drawn from wanted persons whose offence
//! fits the group's kind and from watched mobile offenders on a matching list, each person
//! in one group at most, with exactly one leader. Members' wanted notices get the group ID.
//! Dates come after, from a stream of their own ([`date`]).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::places;
use super::wanted::fits;
use super::watch;
use super::{chance, id, pick, weighted};
use crate::domain::{
    CriminalGroup, GroupKind, GroupStatus, Kind, Member, MemberRole, Person, RecordId, WantedNotice,
};

pub fn groups(
    rng: &mut ChaCha8Rng,
    notices: &mut [WantedNotice],
    watch: &watch::Built,
    persons: &[Person],
    count: usize,
) -> Vec<CriminalGroup> {
    use GroupKind::*;
    // Every kind is represented; drug groups dominate, as on the border.
    let mut kinds: Vec<GroupKind> = [
        (Drug, 14),
        (Criminal, 8),
        (Economic, 5),
        (HighTech, 4),
        (Environmental, 5),
        (Trafficking, 4),
    ]
    .iter()
    .flat_map(|&(k, n)| std::iter::repeat_n(k, n))
    .collect();
    kinds.resize(count, Drug);
    kinds.shuffle(rng);
    let notice_of: BTreeMap<RecordId, usize> = notices
        .iter()
        .enumerate()
        .map(|(i, n)| (n.person_id, i))
        .collect();
    let mut taken: BTreeSet<RecordId> = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut out = Vec::with_capacity(count);
    for (g, kind) in kinds.into_iter().enumerate() {
        let gid = id(Kind::Group, g);
        let size = rng.random_range(3..=8);
        let mut members: Vec<Member> = Vec::new();
        while members.len() < size {
            let wanted_first = chance(rng, 0.6);
            let from_wanted: Vec<RecordId> = notices
                .iter()
                .filter(|n| fits(kind, n.offence.article.as_deref()))
                .map(|n| n.person_id)
                .filter(|p| !taken.contains(p))
                .collect();
            let from_watch: Vec<RecordId> = watch
                .entries
                .iter()
                .filter(|e| watch.theme(e.watchlist_id) == kind)
                .map(|e| e.person_id)
                .filter(|p| !taken.contains(p))
                .collect();
            let any: Vec<RecordId> = persons
                .iter()
                .map(|p| p.id)
                .filter(|p| !taken.contains(p))
                .collect();
            let pools = if wanted_first {
                [&from_wanted, &from_watch, &any]
            } else {
                [&from_watch, &from_wanted, &any]
            };
            let Some(pool) = pools.into_iter().find(|p| !p.is_empty()) else {
                break;
            };
            let person = *pick(rng, pool);
            taken.insert(person);
            let role = if members.is_empty() {
                MemberRole::Leader
            } else {
                MemberRole::Member
            };
            members.push(Member {
                person_id: person,
                role,
            });
            if let Some(&n) = notice_of.get(&person) {
                notices[n].group_id = Some(gid);
            }
        }
        let leader = members
            .first()
            .and_then(|m| persons.get(m.person_id.num() as usize - 1))
            .map_or("không rõ", |p| p.full_name.as_str());
        let transnational = chance(
            rng,
            match kind {
                Trafficking => 0.9,
                Drug => 0.6,
                Environmental | Economic => 0.4,
                _ => 0.15,
            },
        );
        let (what, area) = describe(rng, kind, transnational);
        let mut name = format!("{what} do {leader} cầm đầu");
        if !names.insert(name.clone()) {
            name = format!("{name} (nhóm {})", g + 1);
            names.insert(name.clone());
        }
        out.push(CriminalGroup {
            id: gid,
            name,
            kind,
            area,
            members,
            transnational,
            filed_on: None,
            neutralised_on: None,
            status: weighted(
                rng,
                &[
                    (GroupStatus::Active, 55),
                    (GroupStatus::UnderInvestigation, 30),
                    (GroupStatus::Dismantled, 15),
                ],
            ),
        });
    }
    out
}

fn describe(rng: &mut ChaCha8Rng, kind: GroupKind, transnational: bool) -> (&'static str, String) {
    use GroupKind::*;
    let what = match kind {
        Drug => pick(rng, &["Đường dây mua bán ma túy", "Nhóm vận chuyển ma túy"]),
        Criminal => pick(
            rng,
            &[
                "Băng nhóm trộm cắp xe máy",
                "Nhóm cướp tài sản",
                "Băng nhóm cố ý gây thương tích",
            ],
        ),
        Economic => pick(
            rng,
            &["Đường dây buôn lậu hàng hóa", "Nhóm tổ chức đánh bạc"],
        ),
        HighTech => pick(
            rng,
            &["Ổ nhóm lừa đảo qua mạng xã hội", "Nhóm đánh bạc trực tuyến"],
        ),
        Environmental => pick(
            rng,
            &[
                "Nhóm khai thác gỗ trái phép",
                "Đường dây buôn bán động vật hoang dã",
            ],
        ),
        Trafficking => pick(
            rng,
            &[
                "Đường dây mua bán người qua biên giới",
                "Nhóm môi giới đưa người xuất cảnh trái phép",
            ],
        ),
    };
    let commune = pick(rng, &places::BORDER_COMMUNES);
    let route = pick(rng, &places::ROUTES[..3]);
    let area = if transnational {
        format!("{commune}, tuyến {route}, sang khu vực Vân Nam (Trung Quốc)")
    } else {
        format!("{commune}, tuyến {route}")
    };
    (what, area)
}

/// Filing dates spread from the plan's start (late 2018) to a month before `last_day`, more
/// of them recent (the file grows); a dismantled group is neutralised 2 months to 3 years
/// after it was filed, never after `last_day` (a group filed too late for that was filed
/// earlier). So every period of the timeline has some groups filed and some neutralised.
pub fn date(rng: &mut ChaCha8Rng, groups: &mut [CriminalGroup], last_day: NaiveDate) {
    let first = NaiveDate::from_ymd_opt(2018, 9, 1).unwrap_or(last_day);
    let span = (last_day - first).num_days() - 30;
    for g in groups {
        // The larger of two draws leans towards recent dates.
        let at = rng.random_range(0..span).max(rng.random_range(0..span));
        let mut filed = first + Duration::days(at);
        if g.status == GroupStatus::Dismantled {
            let latest = (last_day - filed).num_days();
            if latest < 60 {
                filed = last_day - Duration::days(rng.random_range(60..400));
            }
            let latest = (last_day - filed).num_days().min(3 * 365);
            g.neutralised_on = Some(filed + Duration::days(rng.random_range(60..=latest)));
        }
        g.filed_on = Some(filed);
    }
}
