//! The duty log of the last three days and the handovers between its shifts (07:30–19:30,
//! 19:30–07:30). Entries point at records the desk actually worked on (declarations,
//! sightings, screening hits, wanted notices), and a few correct earlier entries, because
//! the log is append-only.

use std::collections::BTreeSet;

use chrono::Duration;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::SHIFT_HOURS;
use super::places::{BORDER_COMMUNES, COMMUNES, POSTS, ROUTES};
use super::{at_local, between, chance, days_back, id, pick, reference_end, weighted};
use crate::domain::time::local_date;
use crate::domain::{
    Assignment, DutyLogEntry, Establishment, GuestStay, Handover, Inspection, Instant, Kind,
    Officer, OfficerRole, Person, RecordId, Sighting, WantedNotice, WantedStatus, WatchEntry,
};

/// What the log may point at.
pub struct Refs<'a> {
    pub officers: &'a [Officer],
    pub persons: &'a [Person],
    pub notices: &'a [WantedNotice],
    pub entries: &'a [WatchEntry],
    pub sightings: &'a [Sighting],
    pub establishments: &'a [Establishment],
    pub guests: &'a [GuestStay],
    pub inspections: &'a [Inspection],
    pub roster: &'a [Assignment],
}

const ENTRIES: usize = 300;

const ROUTINE: [&str; 8] = [
    "Tiếp nhận tin báo của quần chúng về việc mất trộm xe máy tại {c}",
    "Tổ tuần tra tuyến {r} xuất phát",
    "Tổ tuần tra tuyến {r} về đơn vị, tình hình bình thường",
    "Điện đàm với {p}: tình hình bình thường",
    "Tiếp nhận tin báo đánh nhau tại {c}, đã cử tổ công tác đến hiện trường",
    "Phối hợp Đồn Biên phòng kiểm tra khu vực {b}",
    "Nhận công văn đề nghị phối hợp xác minh đối tượng, đã báo cáo chỉ huy",
    "Báo cáo nhanh tình hình an ninh trật tự trong ca lên chỉ huy",
];

pub fn build(rng: &mut ChaCha8Rng, r: &Refs) -> (Vec<DutyLogEntry>, Vec<Handover>) {
    // Seven shifts touch the last three days: from 19:30 the evening before, in 12 h steps.
    let first_start = at_local(days_back(3), 19 * 3600 + 1800);
    let shift_of = |t: Instant| ((t - first_start).num_hours() / SHIFT_HOURS) as usize;
    // Four desk officers take turns; they are not out at a campaign post at the same time.
    let at_posts: BTreeSet<RecordId> = r
        .roster
        .iter()
        .filter(|a| a.date >= days_back(3))
        .map(|a| a.officer_id)
        .collect();
    let duty = r.officers.iter().filter(|o| o.role == OfficerRole::Duty);
    let free = duty.clone().filter(|o| !at_posts.contains(&o.id));
    let desk: Vec<RecordId> = free.chain(duty).map(|o| o.id).take(4).collect();
    let desk_at = |shift: usize| {
        desk.get(shift % desk.len().max(1))
            .copied()
            .unwrap_or(r.officers[0].id)
    };

    let from = at_local(days_back(2), 0);
    let mut times: Vec<Instant> = (0..ENTRIES)
        .map(|_| between(rng, from, reference_end()))
        .collect();
    times.sort();
    let active: Vec<&WantedNotice> = r
        .notices
        .iter()
        .filter(|n| n.status == WantedStatus::Wanted)
        .collect();
    let wanted_names: BTreeSet<&str> = active
        .iter()
        .filter_map(|n| name_of(r, n.person_id))
        .collect();
    let mut log: Vec<DutyLogEntry> = Vec::with_capacity(ENTRIES);
    for (i, at) in times.into_iter().enumerate() {
        let officer_id = if chance(rng, 0.8) {
            desk_at(shift_of(at))
        } else {
            pick(rng, &r.officers[3..]).id
        };
        let (text, record, corrects) = if i > 20 && i % 50 == 7 {
            // A correction of one of the last thirty entries.
            let earlier: &DutyLogEntry = &log[rng.random_range(i - 30..i)];
            let fix = format!(
                "ghi nhầm giờ, đúng là {}",
                // Stored text, written by a Vietnamese officer: the Vietnamese form.
                crate::i18n::Lang::Vi
                    .date_time(earlier.at - Duration::minutes(rng.random_range(5..40)))
            );
            (
                format!("Đính chính mục {}: {fix}", earlier.id),
                earlier.record,
                Some(earlier.id),
            )
        } else {
            let (text, record) = entry(rng, r, at, &active, &wanted_names);
            (text, record, None)
        };
        log.push(DutyLogEntry {
            id: id(Kind::DutyLog, i),
            at,
            officer_id,
            text,
            record,
            corrects,
        });
    }

    let handovers = (0..6)
        .map(|k| {
            let shift_start = first_start + Duration::hours(SHIFT_HOURS * k as i64);
            let shift_end = shift_start + Duration::hours(SHIFT_HOURS);
            let in_shift: Vec<&DutyLogEntry> = log.iter().filter(|e| e.at >= shift_start && e.at < shift_end).collect();
            let open = in_shift.iter().filter(|e| e.text.contains("đang xác minh")).count();
            Handover {
                id: id(Kind::Handover, k),
                shift_start,
                shift_end,
                from_officer: desk_at(k),
                to_officer: Some(desk_at(k + 1)),
                text: format!(
                    "Trong ca ghi {} mục nhật ký, {} việc đang xác minh chuyển ca sau. Tình hình an ninh trật tự ổn định.",
                    in_shift.len(),
                    open
                ),
                signed_at: Some(shift_end + Duration::minutes(rng.random_range(5..25))),
                acknowledged: None,
            }
        })
        .collect();
    (log, handovers)
}

fn name_of<'a>(r: &'a Refs, person: RecordId) -> Option<&'a str> {
    r.persons
        .get(person.num() as usize - 1)
        .map(|p| p.full_name.as_str())
}

/// One ordinary entry at `at`, and the record it is about.
fn entry(
    rng: &mut ChaCha8Rng,
    r: &Refs,
    at: Instant,
    active: &[&WantedNotice],
    wanted_names: &BTreeSet<&str>,
) -> (String, Option<RecordId>) {
    let recent = |t: Instant| t <= at && t > at - Duration::days(3);
    let today = local_date(at);
    match weighted(rng, &[(0, 25), (1, 12), (2, 12), (3, 8), (4, 5), (5, 38)]) {
        0 => {
            let e = pick(rng, r.establishments);
            (
                format!(
                    "Nhận thông báo lưu trú của {}: {} khách",
                    e.name,
                    rng.random_range(1..15)
                ),
                Some(e.id),
            )
        }
        1 if !active.is_empty() => {
            let n = pick(rng, active);
            let name = name_of(r, n.person_id).unwrap_or("không rõ");
            (
                format!(
                    "Xác minh quyết định truy nã số {} ({name}): đối tượng vẫn lẩn trốn",
                    n.decision_no
                ),
                Some(n.id),
            )
        }
        2 => match pick_where(rng, r.sightings, |s| recent(s.at)) {
            Some(s) => {
                let person = r
                    .entries
                    .get(s.entry_id.num() as usize - 1)
                    .and_then(|e| name_of(r, e.person_id));
                let text = format!(
                    "Báo cáo phát hiện đối tượng {} tại {}",
                    person.unwrap_or("không rõ"),
                    s.place
                );
                (text, Some(s.id))
            }
            None => routine(rng),
        },
        3 => {
            let hits: Vec<&GuestStay> = r
                .guests
                .iter()
                .filter(|g| wanted_names.contains(g.guest.full_name.as_str()) && g.check_in <= at)
                .collect();
            if hits.is_empty() {
                return routine(rng);
            }
            let g = pick(rng, &hits);
            let place = r
                .establishments
                .get(g.establishment_id.num() as usize - 1)
                .map_or("", |e| e.name.as_str());
            (
                format!(
                    "Sàng lọc khách lưu trú {} tại {place}: trùng tên đối tượng truy nã, đang xác minh",
                    g.guest.full_name
                ),
                Some(g.id),
            )
        }
        4 => match pick_where(rng, r.inspections, |i| {
            i.date <= today && i.date > today - Duration::days(30)
        }) {
            Some(i) if !i.violations.is_empty() => (
                format!(
                    "Kết quả kiểm tra cơ sở lưu trú: {}",
                    i.violations.join(", ")
                ),
                Some(i.id),
            ),
            Some(i) => (
                "Kết quả kiểm tra cơ sở lưu trú: không phát hiện vi phạm".to_string(),
                Some(i.id),
            ),
            None => routine(rng),
        },
        _ => routine(rng),
    }
}

/// A random item among those that satisfy `keep`.
fn pick_where<'a, T>(
    rng: &mut ChaCha8Rng,
    items: &'a [T],
    keep: impl Fn(&T) -> bool,
) -> Option<&'a T> {
    let matching: Vec<&T> = items.iter().filter(|t| keep(t)).collect();
    (!matching.is_empty()).then(|| *pick(rng, &matching))
}

fn routine(rng: &mut ChaCha8Rng) -> (String, Option<RecordId>) {
    let text = pick(rng, &ROUTINE)
        .replace("{c}", pick(rng, &COMMUNES).name)
        .replace("{r}", pick::<&str>(rng, &ROUTES[..3]))
        .replace("{p}", pick::<&str>(rng, &POSTS))
        .replace("{b}", pick::<&str>(rng, &BORDER_COMMUNES));
    (text, None)
}
