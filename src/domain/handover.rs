//! The shift handover sheet (sổ giao ca): what happened in a shift's window, grouped and
//! counted, every item with the ID of its record, plus the outgoing officer's own text and
//! the sign-off and acknowledgement. Pure: the service reads the records of the window into
//! [`Inputs`]; each section comes from one small composer function in [`COMPOSERS`].
//!
//! Adding a section is adding one composer (and, if it needs records not read yet, one field
//! of [`Inputs`] that the service fills), as tips received and tips overdue were. Informants'
//! identities never enter `Inputs`: a tip record does not hold them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::campaign::Assignment;
use super::dutylog::Handover;
use super::hits::{Hit, HitOutcome};
use super::ids::RecordId;
use super::lodging::Inspection;
use super::shifts::ShiftWindow;
use super::text::display_safe;
use super::time::{Instant, clock, local_date};
use super::wanted::WantedNotice;
use super::watch::{Sighting, WatchEntry};
use crate::i18n::Lang;

mod cases;
mod sheet;

pub use cases::{cases_cleared, cases_opened};
pub use sheet::wrap;

/// One establishment's night with late or undeclared guests (from the late board).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct LateItem {
    pub establishment_id: RecordId,
    pub night: NaiveDate,
    pub late: usize,
    pub undeclared: usize,
}

/// An establishment high on the inspection list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DueItem {
    pub establishment_id: RecordId,
    pub score: u32,
}

/// The records a shift's handover is composed from, as the service read them.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    pub window: Option<ShiftWindow>,
    /// The moment the sheet describes: now for the current shift, the end for a past one.
    pub now: Option<Instant>,
    /// Notices with a status-history entry in the window (a first entry = a new notice).
    pub notices: Vec<WantedNotice>,
    /// Watch entries added in the window.
    pub watch_entries: Vec<WatchEntry>,
    pub sightings: Vec<Sighting>,
    /// Tips received in the window.
    pub tips_received: Vec<super::tips::Tip>,
    /// Tips open and past their verification deadline at `now`.
    pub tips_overdue: Vec<super::tips::Tip>,
    /// Cases recorded or cleared in the window.
    pub cases: Vec<super::cases::Case>,
    /// Hits open at `now`, or found or closed in the window.
    pub hits: Vec<Hit>,
    pub late: Vec<LateItem>,
    /// Inspections dated within the window's local days.
    pub inspections: Vec<Inspection>,
    /// The establishments to inspect first (the top of the list).
    pub due: Vec<DueItem>,
    pub log: Vec<crate::domain::DutyLogEntry>,
    /// The assignments of the next shift's roster slot.
    pub next_roster: Vec<Assignment>,
    /// Display names of the persons, officers, establishments, guests named above.
    pub names: BTreeMap<RecordId, String>,
}

impl Inputs {
    fn window(&self) -> ShiftWindow {
        self.window.unwrap_or(ShiftWindow {
            start: Instant::UNIX_EPOCH,
            end: Instant::UNIX_EPOCH,
        })
    }

    fn now(&self) -> Instant {
        self.now.unwrap_or(self.window().end)
    }

    fn name(&self, id: RecordId) -> String {
        self.names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn in_window(&self, t: Instant) -> bool {
        self.window().contains(t)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Item {
    pub id: RecordId,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Section {
    /// Stable, for JSON readers: `wanted_changes`, `hits_pending` …
    #[serde(deserialize_with = "crate::domain::text::static_str")]
    pub key: crate::domain::text::StaticStr,
    pub title: String,
    pub count: usize,
    pub items: Vec<Item>,
}

fn section(key: &'static str, title: &str, items: Vec<Item>) -> Section {
    Section {
        key,
        title: title.to_string(),
        count: items.len(),
        items,
    }
}

/// A composer: one section of the sheet from the inputs.
pub type Composer = fn(&Inputs, Lang) -> Section;

/// The sections, in the order the sheet shows them.
pub const COMPOSERS: &[Composer] = &[
    wanted_changes,
    new_wanted,
    new_watch,
    sightings,
    tips_received,
    tips_overdue,
    cases_opened,
    cases_cleared,
    hits_pending,
    hits_confirmed,
    hits_ruled_out,
    late_declarations,
    inspections_done,
    inspections_due,
    duty_log,
    next_roster,
];

pub fn compose(inputs: &Inputs, lang: Lang) -> Vec<Section> {
    COMPOSERS.iter().map(|c| c(inputs, lang)).collect()
}

/// Status changes in the window after a notice's first entry (the first is a new notice).
pub fn wanted_changes(inputs: &Inputs, lang: Lang) -> Section {
    let mut items = Vec::new();
    for n in &inputs.notices {
        for change in n.history.iter().skip(1) {
            if inputs.in_window(change.at) {
                items.push((
                    change.at,
                    Item {
                        id: n.id,
                        text: format!(
                            "{}, QĐ {}: {} ({})",
                            inputs.name(n.person_id),
                            n.decision_no,
                            change.status.label(lang),
                            lang.day_time(change.at)
                        ),
                    },
                ));
            }
        }
    }
    items.sort_by_key(|(at, i)| (*at, i.id));
    section(
        "wanted_changes",
        lang.pick("Thay đổi tình trạng truy nã", "Wanted status changes"),
        items.into_iter().map(|(_, i)| i).collect(),
    )
}

/// Tips received in the window: channel, place and what was reported (never who reported).
pub fn tips_received(inputs: &Inputs, lang: Lang) -> Section {
    let items = inputs
        .tips_received
        .iter()
        .map(|t| Item {
            id: t.id,
            text: format!(
                "{} {}, {}: {} ({})",
                lang.day_time(t.received_at),
                t.channel.label(lang),
                t.place,
                t.content,
                t.status.label(lang)
            ),
        })
        .collect();
    section(
        "tips_received",
        lang.pick("Tin báo tiếp nhận", "Tips received"),
        items,
    )
}

/// Tips open past their verification deadline at the sheet's moment, longest overdue first.
pub fn tips_overdue(inputs: &Inputs, lang: Lang) -> Section {
    let now = inputs.now.unwrap_or(inputs.window().end);
    let mut tips: Vec<&super::tips::Tip> = inputs.tips_overdue.iter().collect();
    tips.sort_by_key(|t| (t.deadline(), t.id));
    let items = tips
        .into_iter()
        .map(|t| {
            let days = (now - t.deadline()).num_days();
            Item {
                id: t.id,
                text: match lang {
                    Lang::Vi => format!(
                        "QUÁ HẠN {days} ngày (hạn {}): {} — xác minh: {}",
                        lang.day_time(t.deadline()),
                        t.content,
                        t.verifier
                            .map_or_else(|| "chưa giao".to_string(), |v| inputs.name(v))
                    ),
                    Lang::En => format!(
                        "OVERDUE {days} days (due {}): {} — verifier: {}",
                        lang.day_time(t.deadline()),
                        t.content,
                        t.verifier
                            .map_or_else(|| "none".to_string(), |v| inputs.name(v))
                    ),
                },
            }
        })
        .collect();
    section(
        "tips_overdue",
        lang.pick("Tin báo quá hạn xác minh", "Tips overdue for verification"),
        items,
    )
}

pub fn new_wanted(inputs: &Inputs, lang: Lang) -> Section {
    let items = inputs
        .notices
        .iter()
        .filter(|n| n.history.first().is_some_and(|h| inputs.in_window(h.at)))
        .map(|n| Item {
            id: n.id,
            text: format!(
                "{}, QĐ {} ({}, {})",
                inputs.name(n.person_id),
                n.decision_no,
                n.class.label(lang),
                n.danger.label(lang)
            ),
        })
        .collect();
    section(
        "new_wanted",
        lang.pick("Truy nã mới", "New wanted notices"),
        items,
    )
}

pub fn new_watch(inputs: &Inputs, lang: Lang) -> Section {
    let items = inputs
        .watch_entries
        .iter()
        .filter(|e| inputs.in_window(e.added_at))
        .map(|e| Item {
            id: e.id,
            text: format!(
                "{}: {} ({})",
                inputs.name(e.person_id),
                e.reason,
                e.risk.label(lang)
            ),
        })
        .collect();
    section(
        "new_watch",
        lang.pick("Đối tượng lưu động mới", "New watch entries"),
        items,
    )
}

pub fn sightings(inputs: &Inputs, lang: Lang) -> Section {
    let mut found: Vec<&Sighting> = inputs
        .sightings
        .iter()
        .filter(|s| inputs.in_window(s.at))
        .collect();
    found.sort_by_key(|s| (s.at, s.id));
    let items = found
        .into_iter()
        .map(|s| Item {
            id: s.id,
            text: format!(
                "{} @ {} ({})",
                inputs.name(s.entry_id),
                s.place,
                lang.day_time(s.at)
            ),
        })
        .collect();
    section("sightings", lang.pick("Phát hiện", "Sightings"), items)
}

fn hit_text(inputs: &Inputs, h: &Hit) -> String {
    format!(
        "{} ~ {}",
        inputs.name(h.person_id),
        inputs.name(h.guest_stay_id)
    )
}

/// Hits without a final outcome at the sheet's moment, with the time left to confirm.
pub fn hits_pending(inputs: &Inputs, lang: Lang) -> Section {
    let now = inputs.now();
    let mut open: Vec<&Hit> = inputs.hits.iter().filter(|h| h.open_at(now)).collect();
    open.sort_by_key(|h| (h.deadline, h.id));
    let items = open
        .into_iter()
        .map(|h| {
            let minutes = h.seconds_left(now).div_euclid(60);
            let left = match (lang, minutes >= 0) {
                (Lang::Vi, true) => format!("còn {minutes} phút"),
                (Lang::En, true) => format!("{minutes} min left"),
                (Lang::Vi, false) => format!("quá hạn {} phút", -minutes),
                (Lang::En, false) => format!("{} min overdue", -minutes),
            };
            Item {
                id: h.id,
                text: format!("{}; {left}", hit_text(inputs, h)),
            }
        })
        .collect();
    section(
        "hits_pending",
        lang.pick("Nghi trùng chờ xác minh", "Hits pending"),
        items,
    )
}

fn hits_closed_as(inputs: &Inputs, outcome: HitOutcome, lang: Lang) -> Vec<Item> {
    let mut closed: Vec<(Instant, &Hit)> = inputs
        .hits
        .iter()
        .filter_map(|h| {
            let step = h.final_step()?;
            (step.outcome == outcome && inputs.in_window(step.at)).then_some((step.at, h))
        })
        .collect();
    closed.sort_by_key(|(at, h)| (*at, h.id));
    closed
        .into_iter()
        .map(|(at, h)| Item {
            id: h.id,
            text: format!("{} ({})", hit_text(inputs, h), lang.day_time(at)),
        })
        .collect()
}

pub fn hits_confirmed(inputs: &Inputs, lang: Lang) -> Section {
    section(
        "hits_confirmed",
        lang.pick("Nghi trùng đã xác nhận", "Hits confirmed"),
        hits_closed_as(inputs, HitOutcome::Confirmed, lang),
    )
}

pub fn hits_ruled_out(inputs: &Inputs, lang: Lang) -> Section {
    section(
        "hits_ruled_out",
        lang.pick("Nghi trùng: không phải đối tượng", "Hits: not the person"),
        hits_closed_as(inputs, HitOutcome::NotThePerson, lang),
    )
}

pub fn late_declarations(inputs: &Inputs, lang: Lang) -> Section {
    let items = inputs
        .late
        .iter()
        .map(|l| Item {
            id: l.establishment_id,
            text: match lang {
                Lang::Vi => format!(
                    "{}, đêm {}: {} muộn, {} chưa khai báo",
                    inputs.name(l.establishment_id),
                    lang.day(l.night),
                    l.late,
                    l.undeclared
                ),
                Lang::En => format!(
                    "{}, night of {}: {} late, {} undeclared",
                    inputs.name(l.establishment_id),
                    lang.day(l.night),
                    l.late,
                    l.undeclared
                ),
            },
        })
        .collect();
    section(
        "late_declarations",
        lang.pick("Khai báo lưu trú muộn", "Late declarations"),
        items,
    )
}

pub fn inspections_done(inputs: &Inputs, lang: Lang) -> Section {
    let w = inputs.window();
    let (first, last) = (
        local_date(w.start),
        local_date(w.end - chrono::Duration::seconds(1)),
    );
    let mut done: Vec<&Inspection> = inputs
        .inspections
        .iter()
        .filter(|i| first <= i.date && i.date <= last)
        .collect();
    done.sort_by_key(|i| (i.date, i.id));
    let items = done
        .into_iter()
        .map(|i| Item {
            id: i.id,
            text: match lang {
                Lang::Vi => format!(
                    "{}, {}: {} vi phạm",
                    inputs.name(i.establishment_id),
                    lang.day(i.date),
                    i.violations.len()
                ),
                Lang::En => format!(
                    "{}, {}: {} violation(s)",
                    inputs.name(i.establishment_id),
                    lang.day(i.date),
                    i.violations.len()
                ),
            },
        })
        .collect();
    section(
        "inspections_done",
        lang.pick("Kiểm tra đã làm", "Inspections done"),
        items,
    )
}

pub fn inspections_due(inputs: &Inputs, lang: Lang) -> Section {
    let items = inputs
        .due
        .iter()
        .map(|d| Item {
            id: d.establishment_id,
            text: format!(
                "{} ({} {})",
                inputs.name(d.establishment_id),
                lang.pick("điểm", "score"),
                d.score
            ),
        })
        .collect();
    section(
        "inspections_due",
        lang.pick("Cần kiểm tra tiếp", "Inspections due"),
        items,
    )
}

pub fn duty_log(inputs: &Inputs, lang: Lang) -> Section {
    let mut entries: Vec<&crate::domain::DutyLogEntry> = inputs
        .log
        .iter()
        .filter(|e| inputs.in_window(e.at))
        .collect();
    entries.sort_by_key(|e| (e.at, e.id));
    let items = entries
        .into_iter()
        .map(|e| Item {
            id: e.id,
            text: format!("{} {}", clock(e.at), e.text),
        })
        .collect();
    section("duty_log", lang.pick("Nhật ký trực ban", "Duty log"), items)
}

pub fn next_roster(inputs: &Inputs, lang: Lang) -> Section {
    let mut roster: Vec<&Assignment> = inputs.next_roster.iter().collect();
    roster.sort_by(|a, b| (&a.post, a.role, a.id).cmp(&(&b.post, b.role, b.id)));
    let items = roster
        .into_iter()
        .map(|a| Item {
            id: a.id,
            text: format!(
                "{}: {} ({})",
                a.post,
                inputs.name(a.officer_id),
                a.role.label(lang)
            ),
        })
        .collect();
    section(
        "next_roster",
        lang.pick("Phân công ca sau", "Next shift's roster"),
        items,
    )
}

/// The whole sheet: the handover record (if one exists yet) and the composed sections.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Sheet {
    pub window: ShiftWindow,
    pub handover: Option<Handover>,
    /// The shift had not ended when the sheet was composed (a sheet without a handover then
    /// reads "under way", not "not handed over").
    #[serde(default)]
    pub under_way: bool,
    /// Names of the officers on the handover, by ID.
    pub officers: BTreeMap<RecordId, String>,
    pub sections: Vec<Section>,
    /// The unit heading the sheet (`[handover] unit`), set by whoever prints it.
    #[serde(default)]
    pub unit: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_line_within_the_width() {
        let text = "  TN-000015  Lò Văn Pánh, QĐ 15/QĐ-CSĐT: đã bắt tại chợ Tam Đường sau khi \
                    nhận tin báo của quần chúng nhân dân vào buổi sáng sớm, rất dài 中文字符测试中文字符测试";
        for width in [40, 80] {
            let lines = wrap(text, width, 13);
            assert!(lines.len() > 1);
            for l in &lines {
                assert!(l.width() <= width, "{l:?}");
            }
            assert!(lines[1].starts_with("             "));
        }
        let long = "x".repeat(200);
        assert!(wrap(&long, 80, 2).iter().all(|l| l.width() <= 80));
        assert_eq!(wrap("ngắn", 80, 2), vec!["ngắn".to_string()]);
    }
}
