//! The small store the handover and report tests are worked out on by hand: officers,
//! persons, notices with their status changes, hits and their steps, groups, and the rest,
//! at fixed times around the shift of 27/11/2026.

use chrono::{Duration, Utc};
use trucban::domain::screening::Band;
use trucban::domain::time::{parse_date, parse_instant};
use trucban::domain::*;
use trucban::service::LocalDesk;

use super::engine;

pub fn t(text: &str) -> Instant {
    parse_instant(text).expect("time")
}

pub fn id(kind: Kind, n: u64) -> RecordId {
    RecordId::new(kind, n)
}

pub fn officer(n: u64, name: &str) -> Record {
    Record::Officer(Officer {
        id: id(Kind::Officer, n),
        badge_no: format!("LC-{n:04}"),
        full_name: name.into(),
        rank: "Đại úy".into(),
        unit: "Phòng CSHS".into(),
        role: OfficerRole::Duty,
    })
}

pub fn person(n: u64, name: &str) -> Record {
    Record::Person(Person {
        id: id(Kind::Person, n),
        full_name: name.into(),
        aliases: vec![],
        birth: Some(BirthDate::Year(1980 + n as i32)),
        gender: Gender::Male,
        ethnicity: None,
        nationality: "VNM".into(),
        id_doc: None,
        home_commune: None,
        former_district: None,
        features: None,
    })
}

pub fn change(at: &str, status: WantedStatus) -> StatusChange {
    StatusChange {
        at: t(at),
        status,
        by: Some(id(Kind::Officer, 1)),
        note: String::new(),
    }
}

pub fn notice(
    n: u64,
    person: u64,
    class: WantedClass,
    danger: Danger,
    history: Vec<StatusChange>,
) -> Record {
    let status = history.last().map_or(WantedStatus::Wanted, |h| h.status);
    Record::Wanted(WantedNotice {
        id: id(Kind::Wanted, n),
        person_id: id(Kind::Person, person),
        decision_no: format!("{n}/QĐ-CSĐT"),
        decision_date: parse_date("2026-01-05").expect("date"),
        agency: Agency {
            name: "Cơ quan CSĐT Công an tỉnh Lai Châu".into(),
            address: None,
            phone: "0213 3876 000".into(),
        },
        signer: None,
        offence: Offence {
            article: Some("251".into()),
            name: "Mua bán trái phép chất ma túy".into(),
        },
        class,
        danger,
        status,
        history,
        last_known_location: None,
        group_id: None,
        last_verified: None,
    })
}

pub fn hit(n: u64, found: &str, steps: Vec<HitStep>) -> Record {
    Record::Hit(Hit {
        id: id(Kind::Hit, n),
        guest_stay_id: id(Kind::GuestStay, 1),
        list: HitList::Wanted,
        listed_id: id(Kind::Wanted, 1),
        person_id: id(Kind::Person, 1),
        score: 0.9,
        band: Band::Alert,
        reasons: vec![],
        found_at: t(found),
        deadline: t(found) + Duration::minutes(60),
        especially_dangerous: false,
        steps,
    })
}

pub fn step(at: &str, outcome: HitOutcome) -> HitStep {
    HitStep {
        at: t(at),
        officer_id: id(Kind::Officer, 1),
        outcome,
        confirmed_by: (outcome == HitOutcome::Confirmed).then(|| "Trung tá Vàng A Lử".into()),
        confirmed_at: (outcome == HitOutcome::Confirmed).then(|| t(at)),
        // "Not the person" is recorded only with what did not match.
        note: if outcome.needs_reason() {
            "khác năm sinh".into()
        } else {
            String::new()
        },
    }
}

pub fn group(
    n: u64,
    status: GroupStatus,
    transnational: bool,
    filed_on: Option<&str>,
    neutralised_on: Option<&str>,
) -> CriminalGroup {
    CriminalGroup {
        id: id(Kind::Group, n),
        name: format!("Nhóm {n}"),
        kind: GroupKind::Drug,
        area: "Phong Thổ".into(),
        members: vec![],
        transnational,
        status,
        filed_on: filed_on.map(|d| parse_date(d).expect("date")),
        neutralised_on: neutralised_on.map(|d| parse_date(d).expect("date")),
    }
}

/// The fixture. The shift under test is the night of 26 → 27 November 2026 (19:30–07:30).
pub fn fixture() -> Vec<Record> {
    let mut r = vec![
        officer(1, "Lò Văn Pánh"),
        officer(2, "Tòng Thị Xuân"),
        officer(3, "Giàng A Sử"),
        person(1, "Sùng Seo Dính"),
        person(2, "Vàng Thị Mỷ"),
        person(3, "Triệu Khánh Phương"),
        person(4, "Bàn Văn Mình"),
        // Listed long ago, arrested in the night shift (23:10).
        notice(
            1,
            1,
            WantedClass::Special,
            Danger::EspeciallyDangerous,
            vec![
                change("2026-02-01 09:00", WantedStatus::Wanted),
                change("2026-11-26 23:10", WantedStatus::Arrested),
            ],
        ),
        // New in the night shift (02:00).
        notice(
            2,
            2,
            WantedClass::Ordinary,
            Danger::Dangerous,
            vec![change("2026-11-27 02:00", WantedStatus::Wanted)],
        ),
        // Surrendered in the report period; cancelled in the previous period.
        notice(
            3,
            3,
            WantedClass::Ordinary,
            Danger::None,
            vec![
                change("2026-03-01 08:00", WantedStatus::Wanted),
                change("2026-10-10 08:00", WantedStatus::Surrendered),
            ],
        ),
        notice(
            4,
            4,
            WantedClass::Ordinary,
            Danger::None,
            vec![
                change("2026-01-02 08:00", WantedStatus::Wanted),
                change("2026-09-20 08:00", WantedStatus::Cancelled),
            ],
        ),
        Record::Watchlist(Watchlist {
            id: id(Kind::Watchlist, 1),
            name: "Ma túy tuyến biên giới".into(),
            purpose: "theo dõi".into(),
        }),
        Record::WatchEntry(WatchEntry {
            id: id(Kind::WatchEntry, 1),
            watchlist_id: id(Kind::Watchlist, 1),
            person_id: id(Kind::Person, 3),
            reason: "Nghi vận chuyển ma túy qua Ma Lù Thàng".into(),
            risk: Risk::High,
            vehicles: vec![],
            routes: vec![],
            added_by: id(Kind::Officer, 1),
            added_at: t("2026-11-26 21:00"),
            review_due: parse_date("2027-02-01").expect("date"),
            status: WatchStatus::Active,
        }),
        Record::Establishment(Establishment {
            id: id(Kind::Establishment, 1),
            name: "Nhà nghỉ Hoa Ban".into(),
            kind: EstablishmentKind::Guesthouse,
            commune: "phường Tân Phong".into(),
            former_district: None,
            address: "12 Trần Phú".into(),
            owner: "Lê Thị Hoa".into(),
            phone: "0213 3800 111".into(),
            certificate_no: None,
            rooms: 10,
            risk: Risk::Medium,
        }),
        Record::GuestStay(GuestStay {
            id: id(Kind::GuestStay, 1),
            establishment_id: id(Kind::Establishment, 1),
            guest: GuestIdentity {
                full_name: "Phạm Quốc Tuấn".into(),
                other_names: vec![],
                birth: None,
                gender: Gender::Male,
                id_doc: None,
                nationality: "VNM".into(),
            },
            // Checked in at 14:00, never declared: due 23:00, undeclared in the night.
            check_in: t("2026-11-26 14:00"),
            check_out: None,
            room: Some("3".into()),
            declared_at: None,
        }),
        // Pending (found 04:30, due 05:30: 30 min left at 05:00).
        hit(1, "2026-11-27 04:30", vec![]),
        // Confirmed at 01:00; ruled out at 03:00; closed before the shift (not shown).
        hit(2, "2026-11-27 00:30", vec![step("2026-11-27 01:00", HitOutcome::Confirmed)]),
        hit(3, "2026-11-27 02:30", vec![step("2026-11-27 03:00", HitOutcome::NotThePerson)]),
        hit(4, "2026-11-26 10:00", vec![step("2026-11-26 11:00", HitOutcome::NotThePerson)]),
        Record::Sighting(Sighting {
            id: id(Kind::Sighting, 1),
            entry_id: id(Kind::WatchEntry, 1),
            at: t("2026-11-27 01:15"),
            place: "Chợ Mường Tè".into(),
            officer_id: id(Kind::Officer, 2),
            note: String::new(),
        }),
        Record::Inspection(Inspection {
            id: id(Kind::Inspection, 1),
            establishment_id: id(Kind::Establishment, 1),
            date: parse_date("2026-11-26").expect("date"),
            officer_id: id(Kind::Officer, 2),
            items: vec![],
            violations: vec!["Không khai báo lưu trú".into(), "Sổ sách thiếu".into()],
            note: String::new(),
        }),
        Record::Inspection(Inspection {
            id: id(Kind::Inspection, 2),
            establishment_id: id(Kind::Establishment, 1),
            date: parse_date("2026-08-15").expect("date"),
            officer_id: id(Kind::Officer, 2),
            items: vec![],
            violations: vec![],
            note: String::new(),
        }),
        Record::DutyLog(DutyLogEntry {
            id: id(Kind::DutyLog, 1),
            at: t("2026-11-26 20:05"),
            officer_id: id(Kind::Officer, 1),
            text: "Nhận ca, kiểm tra trang thiết bị đầy đủ".into(),
            record: None,
            corrects: None,
        }),
        Record::DutyLog(DutyLogEntry {
            id: id(Kind::DutyLog, 2),
            at: t("2026-11-27 03:40"),
            officer_id: id(Kind::Officer, 1),
            text: "Điện báo Đồn Biên phòng Ma Lù Thàng về đối tượng Sùng Seo Dính đã bị bắt giữ, đề nghị phối hợp dẫn giải về trụ sở".into(),
            record: Some(id(Kind::Wanted, 1)),
            corrects: None,
        }),
        Record::Campaign(Campaign {
            id: id(Kind::Campaign, 1),
            name: "Cao điểm cuối năm 2026".into(),
            start: parse_date("2026-11-20").expect("date"),
            end: parse_date("2026-12-05").expect("date"),
            objective: "Tấn công trấn áp tội phạm".into(),
            routes: vec!["Lai Châu – Ma Lù Thàng".into()],
            posts: vec!["Chốt Ma Lù Thàng".into()],
            lead_unit: "Phòng CSHS".into(),
        }),
        Record::Campaign(Campaign {
            id: id(Kind::Campaign, 2),
            name: "Cao điểm tháng 9".into(),
            start: parse_date("2026-09-25").expect("date"),
            end: parse_date("2026-10-04").expect("date"),
            objective: "Tấn công trấn áp tội phạm".into(),
            routes: vec!["Lai Châu – Ma Lù Thàng".into(), "Các xã biên giới".into()],
            posts: vec![],
            lead_unit: "Phòng CSHS".into(),
        }),
    ];
    // The next shift (day, 27 Nov) at the post; one in the night (not listed); one later.
    for (n, date, shift, officer) in [
        (1, "2026-11-27", Shift::Day, 3),
        (2, "2026-11-27", Shift::Day, 2),
        (3, "2026-11-26", Shift::Night, 3),
        (4, "2026-10-01", Shift::Day, 3),
    ] {
        r.push(Record::Assignment(Assignment {
            id: id(Kind::Assignment, n),
            campaign_id: id(Kind::Campaign, 1),
            officer_id: id(Kind::Officer, officer),
            date: parse_date(date).expect("date"),
            shift,
            post: "Chốt Ma Lù Thàng".into(),
            role: if n == 1 {
                AssignmentRole::Leader
            } else {
                AssignmentRole::Member
            },
        }));
    }
    // The report period is 1 Oct – 30 Nov, the previous one 1 Aug – 30 Sep.
    r.extend(
        [
            // Filed now.
            group(1, GroupStatus::Active, true, Some("2026-10-15"), None),
            // Filed long before; neutralised in the previous period.
            group(
                2,
                GroupStatus::Dismantled,
                false,
                Some("2025-03-01"),
                Some("2026-09-10"),
            ),
            // Filed in the previous period.
            group(
                3,
                GroupStatus::UnderInvestigation,
                true,
                Some("2026-08-20"),
                None,
            ),
            // Filed on the first day and neutralised on the last day of the period.
            group(
                4,
                GroupStatus::Dismantled,
                false,
                Some("2026-10-01"),
                Some("2026-11-30"),
            ),
            // Filed the day after the period: in neither.
            group(5, GroupStatus::Active, false, Some("2026-12-01"), None),
        ]
        .map(Record::Group),
    );
    r
}

/// A dismantled group stored before groups had dates (written under the service, which
/// refuses it now): no filing date, no neutralised date.
pub fn undated_group() -> Record {
    Record::Group(group(6, GroupStatus::Dismantled, false, None, None))
}

pub fn desk(dir: &std::path::Path) -> LocalDesk {
    let store = engine::open(dir, Utc::now());
    store.put(&[undated_group()]).expect("old group");
    let desk = LocalDesk::over(store, trucban::domain::Clock::system());
    desk.load(&fixture()).expect("fixture");
    desk
}
