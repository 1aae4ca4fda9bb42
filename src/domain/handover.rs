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

impl Sheet {
    fn officer(&self, id: RecordId) -> String {
        match self.officers.get(&id) {
            Some(name) => format!("{name} ({id})"),
            None => id.to_string(),
        }
    }

    /// The heading lines (label, value), for the text and Markdown forms.
    fn heading(&self, lang: Lang) -> Vec<(String, String)> {
        let p = |vi: &'static str, en: &'static str| lang.pick(vi, en).to_string();
        let mut out = vec![(
            p("Ca", "Shift"),
            format!(
                "{} – {}",
                lang.date_time(self.window.start),
                lang.date_time(self.window.end)
            ),
        )];
        match &self.handover {
            None if self.under_way => out.push((
                p("Trạng thái", "Status"),
                p(
                    "ca đang diễn ra, chưa lập bàn giao",
                    "shift under way, no handover yet",
                ),
            )),
            None => out.push((
                p("Trạng thái", "Status"),
                p(
                    "ca đã hết, chưa có biên bản bàn giao",
                    "shift ended, no handover signed",
                ),
            )),
            Some(h) => {
                out.push((p("Số", "ID"), h.id.to_string()));
                let signed = match h.signed_at {
                    Some(at) => format!(
                        "{}, {} {}",
                        self.officer(h.from_officer),
                        p("ký", "signed"),
                        lang.date_time(at)
                    ),
                    None => format!("{} ({})", self.officer(h.from_officer), p("nháp", "draft")),
                };
                out.push((p("Người giao", "From"), signed));
                match &h.acknowledged {
                    Some(a) => {
                        out.push((
                            p("Người nhận", "To"),
                            format!(
                                "{}, {} {}",
                                self.officer(a.officer),
                                p("nhận", "acknowledged"),
                                lang.date_time(a.at)
                            ),
                        ));
                        if !a.remarks.trim().is_empty() {
                            out.push((p("Ý kiến người nhận", "Remarks"), a.remarks.clone()));
                        }
                    }
                    None => out.push((
                        p("Người nhận", "To"),
                        match h.to_officer {
                            Some(o) => {
                                format!("{} ({})", self.officer(o), p("chưa nhận", "not yet"))
                            }
                            None => p("chưa nhận", "not yet acknowledged"),
                        },
                    )),
                }
            }
        }
        out
    }

    fn own_text(&self) -> &str {
        self.handover.as_ref().map_or("", |h| h.text.as_str())
    }

    /// Plain text for pasting into a message: no line wider than `width` columns.
    pub fn to_text(&self, lang: Lang, width: usize) -> String {
        let width = width.max(40);
        let mut out: Vec<String> = Vec::new();
        // A paper sổ giao ca: the unit top left, the state's name and motto top right.
        let half = width / 2;
        let motto = Sheet::motto(lang);
        for n in 0..self.unit.len().max(motto.len()) {
            let left = self.unit.get(n).map_or("", String::as_str);
            let right = motto.get(n).copied().unwrap_or_default();
            out.push(format!("{}{right}", crate::domain::text::fit(left, half)));
        }
        out.push(String::new());
        out.push(lang.pick("SỔ GIAO CA", "SHIFT HANDOVER").to_string());
        for (label, value) in self.heading(lang) {
            out.extend(wrap(&format!("{label}: {value}"), width, 2));
        }
        for s in &self.sections {
            out.push(String::new());
            out.extend(wrap(&format!("{} ({})", s.title, s.count), width, 2));
            for item in &s.items {
                let prefix = format!("  {}  ", item.id);
                let room = width.saturating_sub(prefix.width()).max(20);
                for (n, line) in wrap(&item.text, room, 0).into_iter().enumerate() {
                    let lead = if n == 0 {
                        prefix.clone()
                    } else {
                        " ".repeat(prefix.width())
                    };
                    out.push(format!("{lead}{line}"));
                }
            }
        }
        out.push(String::new());
        out.push(
            lang.pick("Nội dung bàn giao:", "Handover notes:")
                .to_string(),
        );
        let text = self.own_text();
        if text.trim().is_empty() {
            out.push(format!("  {}", lang.pick("(trống)", "(empty)")));
        }
        for line in text.lines() {
            out.extend(wrap(&format!("  {line}"), width, 2));
        }
        // The two signatures of a paper sổ giao ca, side by side.
        out.push(String::new());
        let ([left_title, right_title], [left, right]) = self.signatures(lang);
        let half = width / 2;
        let pair = |a: &str, b: &str| format!("{}{b}", crate::domain::text::fit(a, half));
        out.push(pair(&left_title, &right_title));
        out.push(pair(
            lang.pick("(ký, ghi rõ họ tên)", "(signature, full name)"),
            lang.pick("(ký, ghi rõ họ tên)", "(signature, full name)"),
        ));
        out.push(String::new());
        out.push(pair(&left, &right));
        out.iter()
            .map(|l| display_safe(l.trim_end()).into_owned())
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    }

    /// Markdown: a heading, a list per section.
    pub fn to_markdown(&self, lang: Lang) -> String {
        let esc = |t: &str| display_safe(t).replace('|', "\\|");
        let mut out = String::new();
        for line in &self.unit {
            out.push_str(&format!("**{}**  \n", esc(line)));
        }
        out.push_str(&Sheet::motto(lang).join("  \n"));
        out.push_str(&format!(
            "\n\n# {}\n\n",
            lang.pick("Sổ giao ca", "Shift handover")
        ));
        for (label, value) in self.heading(lang) {
            out.push_str(&format!("- **{}:** {}\n", esc(&label), esc(&value)));
        }
        for s in &self.sections {
            out.push_str(&format!("\n## {} ({})\n", esc(&s.title), s.count));
            // One blank line between blocks, never two (an empty section is its heading).
            if !s.items.is_empty() {
                out.push('\n');
            }
            for item in &s.items {
                out.push_str(&format!("- `{}` {}\n", item.id, esc(&item.text)));
            }
        }
        out.push_str(&format!(
            "\n## {}\n",
            lang.pick("Nội dung bàn giao", "Handover notes")
        ));
        // A blank line opens the quote; with no text (no handover yet) the signature table's
        // own blank line follows the heading, so there is never a double one.
        if !self.own_text().trim().is_empty() {
            out.push('\n');
        }
        for line in self.own_text().lines() {
            out.push_str(&format!("> {}\n", esc(line)));
        }
        let ([left_title, right_title], [left, right]) = self.signatures(lang);
        let note = lang.pick("(ký, ghi rõ họ tên)", "(signature, full name)");
        out.push_str(&format!(
            "\n| {} | {} |\n|---|---|\n| {note} | {note} |\n| {} | {} |\n",
            esc(&left_title),
            esc(&right_title),
            esc(&left),
            esc(&right)
        ));
        out
    }

    /// The state's name and motto, as an official paper heads with them.
    fn motto(lang: Lang) -> [&'static str; 2] {
        [
            lang.pick(
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "SOCIALIST REPUBLIC OF VIET NAM",
            ),
            lang.pick(
                "Độc lập - Tự do - Hạnh phúc",
                "Independence - Freedom - Happiness",
            ),
        ]
    }

    /// The two signature blocks: their titles and who signs (blank to sign by hand).
    fn signatures(&self, lang: Lang) -> ([String; 2], [String; 2]) {
        let titles = [
            lang.pick("NGƯỜI GIAO CA", "OUTGOING OFFICER").to_string(),
            lang.pick("NGƯỜI NHẬN CA", "INCOMING OFFICER").to_string(),
        ];
        let name = |id: Option<RecordId>| {
            id.map(|id| {
                self.officers
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| id.to_string())
            })
            .unwrap_or_default()
        };
        let handover = self.handover.as_ref();
        let names = [
            name(handover.map(|h| h.from_officer)),
            name(handover.and_then(|h| h.to_officer)),
        ];
        (titles, names)
    }
}

/// Word-wraps `line` to `width` display columns; continuation lines start with `indent`
/// spaces. A word longer than a line is cut by characters.
pub fn wrap(line: &str, width: usize, indent: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let lead = " ".repeat(indent.min(width / 2));
    // Keep the line's own leading spaces.
    let own_lead: String = line.chars().take_while(|c| *c == ' ').collect();
    current.push_str(&own_lead);
    let mut fresh = true;
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        let need = if fresh { 0 } else { 1 } + word.width();
        if current.width() + need > width && !fresh {
            out.push(std::mem::take(&mut current));
            current.push_str(&lead);
            fresh = true;
        }
        if !fresh {
            current.push(' ');
        }
        for c in word.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if current.width() + w > width {
                out.push(std::mem::take(&mut current));
                current.push_str(&lead);
            }
            current.push(c);
        }
        fresh = false;
    }
    out.push(current);
    out
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
