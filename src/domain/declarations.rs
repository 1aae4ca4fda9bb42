//! Lodging declarations (thông báo lưu trú): when a guest stay must be declared to the
//! commune police, whether it was, and the late-declaration board — late and undeclared
//! guests per establishment and night, with the fine band the count falls in.
//!
//! The rules, as [`DeclarationRules`] holds them by default:
//!
//! - Vietnamese guests (nationality `VNM`): before 23:00 local time of the arrival day, or
//!   before 08:00 the next day for guests arriving at 23:00 or later (Luật Cư trú 2020,
//!   art. 30). An arrival at exactly 23:00 has the next morning; a declaration at exactly
//!   the deadline is on time.
//! - Foreign guests (any other nationality, or none): within 12 hours of arrival, or 24 hours
//!   when the establishment is in a remote commune (Law 47/2014, art. 33).
//! - The night of a stay is the local date of its check-in: a guest arriving at 01:30 on the
//!   28th belongs to the night of the 28th, the same day the law counts the deadline from
//!   (before 23:00 that day), not to the night of the 27th.
//! - Fine bands by the number of late or undeclared guests: 1–3, 4–8, 9 or more (NĐ
//!   144/2021, art. 9; check for a successor decree before quoting amounts).
//!
//! Pure: no store and no clock (`now` comes in).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, Timelike};
use serde::{Deserialize, Serialize};

use super::codes::code_enum;
use super::ids::RecordId;
use super::lodging::GuestStay;
use super::text::fold;
use super::time::{Instant, local_date, local_day_start, to_local};

/// The deadlines, configurable (`[lodging]` in the config file) because the list of remote
/// communes is an administrative decision that changes, and because a successor law may move
/// the hours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeclarationRules {
    /// Vietnamese guests are declared before this local hour of the arrival day …
    pub citizen_cutoff_hour: u32,
    /// … or, when they arrive at the cutoff hour or later, before this local hour the next day.
    pub citizen_next_day_hour: u32,
    /// Foreign guests: hours after arrival.
    pub foreign_hours: u32,
    /// Foreign guests at an establishment in a remote commune: hours after arrival.
    pub foreign_remote_hours: u32,
    /// Remote communes (vùng sâu, vùng xa), compared without marks, case or the `xã`/`phường`
    /// /`thị trấn` prefix: `"Mù Cả"` matches `"xã Mù Cả"`.
    pub remote_communes: Vec<String>,
}

/// Border communes of Lai Châu taken as remote until the official list replaces them (names
/// as in docs/domain.md, unverified; Ka Lăng and Ma Ly Pho are pre-2025 communes that older
/// records still name).
pub const DEFAULT_REMOTE_COMMUNES: [&str; 10] = [
    "Mù Cả",
    "Thu Lũm",
    "Ka Lăng",
    "Pa Ủ",
    "Tà Tổng",
    "Dào San",
    "Sì Lở Lầu",
    "Ma Ly Pho",
    "Tủa Sín Chải",
    "Pa Tần",
];

impl Default for DeclarationRules {
    fn default() -> Self {
        DeclarationRules {
            citizen_cutoff_hour: 23,
            citizen_next_day_hour: 8,
            foreign_hours: 12,
            foreign_remote_hours: 24,
            remote_communes: DEFAULT_REMOTE_COMMUNES
                .iter()
                .map(|c| c.to_string())
                .collect(),
        }
    }
}

/// `xã Mù Cả` → `mu ca`: how communes are compared.
fn commune_key(name: &str) -> String {
    let folded = fold(name);
    let words: Vec<&str> = folded.split_whitespace().collect();
    let words = match words.as_slice() {
        ["xa" | "phuong", rest @ ..] if !rest.is_empty() => rest,
        ["thi", "tran", rest @ ..] if !rest.is_empty() => rest,
        all => all,
    };
    words.join(" ")
}

impl DeclarationRules {
    /// Checks the values a config file gave; the message names the key.
    pub fn validate(&self) -> Result<(), crate::i18n::Said> {
        use crate::i18n::out_of_range;
        if !(1..=23).contains(&self.citizen_cutoff_hour) {
            return Err(out_of_range(
                "citizen_cutoff_hour",
                self.citizen_cutoff_hour,
                (1, 23),
                ("giờ", "(hour of the day)"),
            ));
        }
        if self.citizen_next_day_hour > 23 {
            return Err(out_of_range(
                "citizen_next_day_hour",
                self.citizen_next_day_hour,
                (0, 23),
                ("giờ", "(hour of the day)"),
            ));
        }
        for (key, hours) in [
            ("foreign_hours", self.foreign_hours),
            ("foreign_remote_hours", self.foreign_remote_hours),
        ] {
            if !(1..=240).contains(&hours) {
                return Err(out_of_range(key, hours, (1, 240), ("giờ", "hours")));
            }
        }
        Ok(())
    }

    pub fn is_remote(&self, commune: &str) -> bool {
        let key = commune_key(commune);
        !key.is_empty() && self.remote_communes.iter().any(|c| commune_key(c) == key)
    }

    /// The moment by which a stay must be declared (a declaration at that moment is on time).
    pub fn deadline(&self, check_in: Instant, foreign: bool, remote: bool) -> Instant {
        if foreign {
            let hours = if remote {
                self.foreign_remote_hours
            } else {
                self.foreign_hours
            };
            return check_in + Duration::hours(i64::from(hours));
        }
        let local = to_local(check_in);
        let day = local.date_naive();
        if local.hour() >= self.citizen_cutoff_hour {
            local_day_start(day, 24 + self.citizen_next_day_hour)
        } else {
            local_day_start(day, self.citizen_cutoff_hour)
        }
    }

    /// Where a stay stands at `now`. `remote`: its establishment is in a remote commune.
    pub fn assess(&self, stay: &GuestStay, remote: bool, now: Instant) -> Assessment {
        let deadline = self.deadline(stay.check_in, is_foreign(&stay.guest.nationality), remote);
        let status = match stay.declared_at {
            Some(at) if at <= deadline => DeclarationStatus::OnTime,
            Some(_) => DeclarationStatus::Late,
            None if now > deadline => DeclarationStatus::Undeclared,
            None => DeclarationStatus::NotYetDue,
        };
        Assessment { deadline, status }
    }
}

/// Foreign for the deadline: anything but `VNM` (stateless guests and a missing nationality
/// too: Law 47/2014 covers every non-citizen).
pub fn is_foreign(nationality: &str) -> bool {
    !nationality.trim().eq_ignore_ascii_case("VNM")
}

code_enum!(DeclarationStatus {
    OnTime = "on_time", "đúng hạn", "on time";
    Late = "late", "muộn", "late";
    Undeclared = "undeclared", "chưa thông báo", "not declared";
    NotYetDue = "not_yet_due", "chưa đến hạn", "not yet due";
});

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assessment {
    pub deadline: Instant,
    pub status: DeclarationStatus,
}

code_enum!(
    /// How many late or undeclared guests one establishment had in one night, in the brackets
    /// the fines of NĐ 144/2021 art. 9 use.
    FineBand {
        UpTo3 = "1_3", "1–3 khách", "1–3 guests";
        UpTo8 = "4_8", "4–8 khách", "4–8 guests";
        NineOrMore = "9_or_more", "từ 9 khách", "9+ guests";
    }
);

impl FineBand {
    pub fn of(guests: usize) -> Option<FineBand> {
        match guests {
            0 => None,
            1..=3 => Some(FineBand::UpTo3),
            4..=8 => Some(FineBand::UpTo8),
            _ => Some(FineBand::NineOrMore),
        }
    }
}

/// One establishment's night on the board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NightCount {
    pub establishment_id: RecordId,
    /// The local date of check-in.
    pub night: NaiveDate,
    /// Every stay that checked in that night, declared or not.
    pub guests: usize,
    pub late: Vec<RecordId>,
    pub undeclared: Vec<RecordId>,
}

impl NightCount {
    /// Late and undeclared together: what the fine counts.
    pub fn offending(&self) -> usize {
        self.late.len() + self.undeclared.len()
    }

    pub fn band(&self) -> Option<FineBand> {
        FineBand::of(self.offending())
    }
}

/// The board: every (establishment, night) with at least one late or undeclared guest, worst
/// first (most offending guests, then most undeclared, then the latest night, then by ID).
/// `remote` says whether an establishment is in a remote commune.
pub fn late_nights<'a>(
    stays: impl IntoIterator<Item = &'a GuestStay>,
    remote: impl Fn(RecordId) -> bool,
    rules: &DeclarationRules,
    now: Instant,
) -> Vec<NightCount> {
    let mut nights: BTreeMap<(RecordId, NaiveDate), NightCount> = BTreeMap::new();
    for stay in stays {
        let night = local_date(stay.check_in);
        let count = nights
            .entry((stay.establishment_id, night))
            .or_insert_with(|| NightCount {
                establishment_id: stay.establishment_id,
                night,
                guests: 0,
                late: Vec::new(),
                undeclared: Vec::new(),
            });
        count.guests += 1;
        match rules
            .assess(stay, remote(stay.establishment_id), now)
            .status
        {
            DeclarationStatus::Late => count.late.push(stay.id),
            DeclarationStatus::Undeclared => count.undeclared.push(stay.id),
            DeclarationStatus::OnTime | DeclarationStatus::NotYetDue => {}
        }
    }
    let mut out: Vec<NightCount> = nights.into_values().filter(|n| n.offending() > 0).collect();
    out.sort_by(|a, b| {
        b.offending()
            .cmp(&a.offending())
            .then(b.undeclared.len().cmp(&a.undeclared.len()))
            .then(b.night.cmp(&a.night))
            .then(a.establishment_id.cmp(&b.establishment_id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::{format_instant, parse_instant};
    use crate::domain::{Gender, GuestIdentity, Kind};

    fn at(text: &str) -> Instant {
        parse_instant(text).unwrap_or_else(|| panic!("bad time {text}"))
    }

    fn stay(n: u64, nationality: &str, check_in: &str, declared: Option<&str>) -> GuestStay {
        GuestStay {
            id: RecordId::new(Kind::GuestStay, n),
            establishment_id: RecordId::new(Kind::Establishment, 1),
            guest: GuestIdentity {
                full_name: "Khách".into(),
                other_names: Vec::new(),
                birth: None,
                gender: Gender::Male,
                id_doc: None,
                nationality: nationality.into(),
            },
            check_in: at(check_in),
            check_out: None,
            room: None,
            declared_at: declared.map(at),
        }
    }

    fn status(s: &GuestStay, remote: bool, now: &str) -> DeclarationStatus {
        DeclarationRules::default()
            .assess(s, remote, at(now))
            .status
    }

    fn deadline(check_in: &str, foreign: bool, remote: bool) -> String {
        format_instant(DeclarationRules::default().deadline(at(check_in), foreign, remote))
    }

    const LATER: &str = "2027-06-01 00:00";

    #[test]
    fn vietnamese_guests_declare_before_23_or_next_morning() {
        use DeclarationStatus::*;
        assert_eq!(
            deadline("2026-11-27 14:00", false, false),
            "2026-11-27T23:00:00+07:00"
        );
        // 23:00 exactly is "after 23:00": the next morning.
        assert_eq!(
            deadline("2026-11-27 23:00", false, false),
            "2026-11-28T08:00:00+07:00"
        );
        assert_eq!(
            deadline("2026-11-27 22:59", false, false),
            "2026-11-27T23:00:00+07:00"
        );
        // Arrived 22:59, declared at 23:00 sharp: on time; at 23:01: late.
        let s = stay(1, "VNM", "2026-11-27 22:59", Some("2026-11-27 23:00"));
        assert_eq!(status(&s, false, LATER), OnTime);
        let s = stay(1, "VNM", "2026-11-27 22:59", Some("2026-11-27 23:01"));
        assert_eq!(status(&s, false, LATER), Late);
        // Arrived 23:30: 07:59 next day is on time, 08:01 late.
        let s = stay(1, "VNM", "2026-11-27 23:30", Some("2026-11-28 07:59"));
        assert_eq!(status(&s, false, LATER), OnTime);
        let s = stay(1, "VNM", "2026-11-27 23:30", Some("2026-11-28 08:01"));
        assert_eq!(status(&s, false, LATER), Late);
        // Remote makes no difference for citizens; `vnm` is a citizen too.
        let s = stay(1, " vnm ", "2026-11-27 23:30", Some("2026-11-28 08:01"));
        assert_eq!(status(&s, true, LATER), Late);
        // Arrived 01:30: the same day's 23:00 (the arrival day is the 28th).
        assert_eq!(
            deadline("2026-11-28 01:30", false, false),
            "2026-11-28T23:00:00+07:00"
        );
    }

    #[test]
    fn deadlines_cross_month_and_year_ends() {
        // Vietnamese, after 23:00 on the last day of a month and of the year.
        assert_eq!(
            deadline("2026-11-30 23:15", false, false),
            "2026-12-01T08:00:00+07:00"
        );
        assert_eq!(
            deadline("2026-12-31 23:59", false, false),
            "2027-01-01T08:00:00+07:00"
        );
        assert_eq!(
            deadline("2028-02-28 23:10", false, false),
            "2028-02-29T08:00:00+07:00"
        );
        // Foreign, 12 h and remote 24 h, across midnight, month end and year end.
        assert_eq!(
            deadline("2026-12-31 20:00", true, false),
            "2027-01-01T08:00:00+07:00"
        );
        assert_eq!(
            deadline("2026-12-31 20:00", true, true),
            "2027-01-01T20:00:00+07:00"
        );
        assert_eq!(
            deadline("2026-11-30 18:30", true, false),
            "2026-12-01T06:30:00+07:00"
        );
        assert_eq!(
            deadline("2026-11-30 18:30", true, true),
            "2026-12-01T18:30:00+07:00"
        );
        use DeclarationStatus::*;
        let s = stay(1, "CHN", "2026-12-31 20:00", Some("2027-01-01 08:00"));
        assert_eq!(status(&s, false, LATER), OnTime);
        let s = stay(1, "CHN", "2026-12-31 20:00", Some("2027-01-01 08:01"));
        assert_eq!(status(&s, false, LATER), Late);
        // The same declaration in a remote commune: on time until 20:00 on New Year's Day.
        assert_eq!(status(&s, true, LATER), OnTime);
        let s = stay(1, "LAO", "2026-12-31 20:00", Some("2027-01-01 20:01"));
        assert_eq!(status(&s, true, LATER), Late);
    }

    #[test]
    fn local_23_00_is_16_00_utc() {
        let d = DeclarationRules::default().deadline(
            at("2026-11-27T09:00:00Z"), // 16:00 local
            false,
            false,
        );
        assert_eq!(d.to_rfc3339(), "2026-11-27T16:00:00+00:00");
        // 16:30 UTC is 23:30 local: already the next-morning rule, though the UTC date
        // is still the 27th.
        let d = DeclarationRules::default().deadline(at("2026-11-27T16:30:00Z"), false, false);
        assert_eq!(d.to_rfc3339(), "2026-11-28T01:00:00+00:00");
        // 17:30 UTC on the 27th is 00:30 local on the 28th: that day's 23:00.
        let d = DeclarationRules::default().deadline(at("2026-11-27T17:30:00Z"), false, false);
        assert_eq!(d.to_rfc3339(), "2026-11-28T16:00:00+00:00");
        assert_eq!(
            local_date(at("2026-11-27T17:30:00Z")).to_string(),
            "2026-11-28"
        );
    }

    #[test]
    fn undeclared_only_once_the_deadline_has_passed() {
        use DeclarationStatus::*;
        let s = stay(1, "VNM", "2026-11-27 20:00", None);
        assert_eq!(status(&s, false, "2026-11-27 22:00"), NotYetDue);
        assert_eq!(status(&s, false, "2026-11-27 23:00"), NotYetDue);
        assert_eq!(status(&s, false, "2026-11-27 23:00:01"), Undeclared);
        let s = stay(1, "CHN", "2026-11-27 20:00", None);
        assert_eq!(status(&s, false, "2026-11-28 07:59"), NotYetDue);
        assert_eq!(status(&s, false, "2026-11-28 08:01"), Undeclared);
        assert_eq!(status(&s, true, "2026-11-28 08:01"), NotYetDue);
        assert_eq!(status(&s, true, "2026-11-28 20:01"), Undeclared);
    }

    #[test]
    fn remote_communes_match_without_marks_or_prefix() {
        let rules = DeclarationRules::default();
        assert!(rules.is_remote("xã Mù Cả"));
        assert!(rules.is_remote("Mu Ca"));
        assert!(rules.is_remote("XÃ  THU LŨM"));
        assert!(!rules.is_remote("phường Tân Phong"));
        assert!(!rules.is_remote("xã"));
        assert!(!rules.is_remote(""));
        let mut custom = rules.clone();
        custom.remote_communes = vec!["thị trấn Tân Uyên".into()];
        assert!(custom.is_remote("xã Tân Uyên"));
        assert!(!custom.is_remote("xã Mù Cả"));
    }

    #[test]
    fn configured_hours_move_the_deadlines() {
        let rules = DeclarationRules {
            citizen_cutoff_hour: 22,
            citizen_next_day_hour: 7,
            foreign_hours: 6,
            foreign_remote_hours: 48,
            ..DeclarationRules::default()
        };
        let d = |t: &str, foreign, remote| format_instant(rules.deadline(at(t), foreign, remote));
        assert_eq!(
            d("2026-11-27 21:59", false, false),
            "2026-11-27T22:00:00+07:00"
        );
        assert_eq!(
            d("2026-11-27 22:00", false, false),
            "2026-11-28T07:00:00+07:00"
        );
        assert_eq!(
            d("2026-11-27 20:00", true, false),
            "2026-11-28T02:00:00+07:00"
        );
        assert_eq!(
            d("2026-11-27 20:00", true, true),
            "2026-11-29T20:00:00+07:00"
        );
        assert!(rules.validate().is_ok());
        for bad in [
            DeclarationRules {
                citizen_cutoff_hour: 0,
                ..DeclarationRules::default()
            },
            DeclarationRules {
                citizen_next_day_hour: 24,
                ..DeclarationRules::default()
            },
            DeclarationRules {
                foreign_remote_hours: 0,
                ..DeclarationRules::default()
            },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn fine_bands_at_their_edges() {
        let bands: Vec<Option<FineBand>> = [0, 1, 3, 4, 8, 9, 40].map(FineBand::of).to_vec();
        use FineBand::*;
        assert_eq!(
            bands,
            [
                None,
                Some(UpTo3),
                Some(UpTo3),
                Some(UpTo8),
                Some(UpTo8),
                Some(NineOrMore),
                Some(NineOrMore)
            ]
        );
        assert_eq!(UpTo8.label(crate::i18n::Lang::Vi), "4–8 khách");
        assert_eq!(NineOrMore.label(crate::i18n::Lang::En), "9+ guests");
    }

    #[test]
    fn the_board_counts_per_establishment_and_night_worst_first() {
        let mut stays = vec![
            // Night of the 27th at CS-1: two late, one undeclared, one on time.
            stay(1, "VNM", "2026-11-27 20:00", Some("2026-11-27 23:30")),
            stay(2, "VNM", "2026-11-27 21:00", Some("2026-11-28 09:00")),
            stay(3, "VNM", "2026-11-27 21:00", None),
            stay(4, "VNM", "2026-11-27 21:00", Some("2026-11-27 21:05")),
            // 00:30 on the 28th belongs to the night of the 28th; undeclared but not yet due.
            stay(5, "VNM", "2026-11-28 00:30", None),
            // CS-2, night of the 26th: one late foreigner.
            stay(6, "CHN", "2026-11-26 10:00", Some("2026-11-26 22:01")),
        ];
        stays[5].establishment_id = RecordId::new(Kind::Establishment, 2);
        let board = late_nights(
            &stays,
            |_| false,
            &DeclarationRules::default(),
            at("2026-11-28 10:00"),
        );
        assert_eq!(board.len(), 2, "{board:?}");
        let first = &board[0];
        assert_eq!(first.night.to_string(), "2026-11-27");
        assert_eq!(
            (first.guests, first.late.len(), first.undeclared.len()),
            (4, 2, 1)
        );
        assert_eq!(first.band(), Some(FineBand::UpTo3));
        assert_eq!(board[1].establishment_id.num(), 2);
        assert_eq!(board[1].late, vec![RecordId::new(Kind::GuestStay, 6)]);
        // In a remote commune the foreigner had 24 hours: nothing to report there.
        let board = late_nights(
            &stays,
            |e| e.num() == 2,
            &DeclarationRules::default(),
            at("2026-11-28 10:00"),
        );
        assert_eq!(board.len(), 1);
    }
}
