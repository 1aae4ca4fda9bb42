//! Records as the console shows them: table rows (details: `present_detail.rs`), in the officer's
//! language. This is the shell's side (it reads through the service); everything it
//! returns is plain data with text already made safe for a terminal.

use crate::domain::declarations::FineBand;
use crate::domain::time::{local_date, local_day_start};
use crate::domain::*;
use crate::i18n::Lang;
use crate::service::{DeskApi, InspectionCandidate, LateNight, ListQuery, Result};

use super::present_hit;
use super::present_tip;
use crate::app::table::{Cell, Row, Tone};
use crate::app::views::View;

use super::present_common::Names;
pub use super::present_common::{danger_cell, status_tone};
pub use super::present_detail::detail_for;

fn id_cell(id: RecordId) -> Cell {
    Cell::new(id.to_string()).sorted_by(format!("{:020}", id.num()))
}

fn time_cell(t: Instant, lang: Lang) -> Cell {
    Cell::new(lang.date_time(t)).sorted_by(t.to_rfc3339())
}

/// A date shown in the officer's language, sorted as ISO (in time order in either).
fn date_cell(d: chrono::NaiveDate, lang: Lang) -> Cell {
    Cell::new(lang.date(d)).sorted_by(d.to_string())
}

pub use crate::app::log_line::CORRECTION_MARK;

/// The most rows a view loads. The table draws a page at a time, but every row it holds is
/// read, decoded and formatted first: 5,000 rows take a few milliseconds, the million guest
/// stays of a large store take seconds and gigabytes. Past the cap a view holds the newest
/// records and the status line says so; search (Ctrl-P) reaches every record.
pub const ROW_CAP: usize = crate::service::MAX_LIST_ROWS;

/// A view's rows and the size of its collection (more than the rows when capped).
pub struct Loaded {
    pub rows: Vec<Row>,
    pub total: usize,
}

/// At most `cap` rows of `view`: all of them in ID order when they fit, otherwise the
/// newest `cap`, newest first. The check lists are computed at `now`.
pub fn rows(
    desk: &dyn DeskApi,
    view: View,
    lang: Lang,
    cap: usize,
    now: Instant,
) -> Result<Loaded> {
    let Some(kind) = view.kind() else {
        return check_list_rows(desk, view, lang, now);
    };
    let page = desk.list(&ListQuery {
        descending: true,
        limit: cap,
        ..ListQuery::all(kind)
    })?;
    let mut records = page.records;
    if page.total <= records.len() {
        // The whole collection: in the store's order, as it has always been shown.
        records.reverse();
    }
    if view == View::Hits {
        // The queue (see `Hit::queue_order`): open hits by time left, then the closed.
        records.sort_by(|a, b| match (a, b) {
            (Record::Hit(a), Record::Hit(b)) => a.queue_order(b),
            _ => a.id().cmp(&b.id()),
        });
    }
    if view == View::Tips {
        // Overdue first (the longest overdue first), then open by deadline, then closed.
        records.sort_by(|a, b| match (a, b) {
            (Record::Tip(a), Record::Tip(b)) => crate::domain::tips::queue_order(a, b, now),
            _ => a.id().cmp(&b.id()),
        });
    }
    if view == View::Cases {
        // The latest recorded first: the desk works the new cases.
        records.sort_by(|a, b| b.moment().cmp(&a.moment()).then(b.id().cmp(&a.id())));
    }
    let mut names = Names::new(desk, lang);
    names.fetch_named_by(&records, &[]);
    let mut rows: Vec<Row> = records
        .iter()
        .map(|r| match r {
            Record::Tip(t) => Row::new(t.id, present_tip::cells(t, now, lang)),
            Record::Case(c) => Row::new(c.id, super::present_case::cells(c, lang)),
            other => row(other, &mut names, lang, now),
        })
        .collect();
    if view == View::Log {
        // An entry that a later one corrects is muted and says so; the correction names it.
        let corrected: std::collections::HashSet<RecordId> = records
            .iter()
            .filter_map(|r| match r {
                Record::DutyLog(l) => l.corrects,
                _ => None,
            })
            .collect();
        for row in &mut rows {
            if corrected.contains(&row.id) {
                for cell in &mut row.cells {
                    cell.tone = Tone::Muted;
                }
            }
        }
    }
    Ok(Loaded {
        rows,
        total: page.total,
    })
}

/// The nights the late-declaration board shows: the last seven, tonight included.
pub const BOARD_NIGHTS: i64 = 7;

fn check_list_rows(desk: &dyn DeskApi, view: View, lang: Lang, now: Instant) -> Result<Loaded> {
    let rows: Vec<Row> = match view {
        View::LateDeclarations => {
            let today = local_date(now);
            let from = local_day_start(today - chrono::Duration::days(BOARD_NIGHTS - 1), 0);
            let to = local_day_start(today + chrono::Duration::days(1), 0);
            desk.late_declarations(from, to, now)?
                .iter()
                .map(|n| late_row(n, lang))
                .collect()
        }
        // Screening hits are not counted yet (see `HitCounts`): none are passed.
        View::ToInspect => desk
            .inspection_candidates(now, &desk.hit_counts(now - chrono::Duration::days(30))?)?
            .iter()
            .map(|c| candidate_row(c, lang))
            .collect(),
        _ => Vec::new(),
    };
    let total = rows.len();
    Ok(Loaded { rows, total })
}

/// A count, right-aligned in a column of `width`.
fn count_cell(n: usize, width: usize) -> Cell {
    Cell::new(format!("{n:>width$}")).sorted_by(format!("{n:06}"))
}

fn late_row(n: &LateNight, lang: Lang) -> Row {
    let (band, tone, rank) = match n.band {
        Some(FineBand::NineOrMore) => (FineBand::NineOrMore.label(lang), Tone::Danger, "0"),
        Some(FineBand::UpTo8) => (FineBand::UpTo8.label(lang), Tone::Warning, "1"),
        Some(FineBand::UpTo3) => (FineBand::UpTo3.label(lang), Tone::Normal, "2"),
        None => ("–", Tone::Muted, "3"),
    };
    let ids = |ids: &[RecordId]| {
        ids.iter()
            .map(|id| id.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut note = Vec::new();
    if !n.late_ids.is_empty() {
        note.push(format!(
            "{}: {}",
            lang.pick("Muộn", "Late"),
            ids(&n.late_ids)
        ));
    }
    if !n.undeclared_ids.is_empty() {
        note.push(format!(
            "{}: {}",
            lang.pick("Chưa TB", "Undeclared"),
            ids(&n.undeclared_ids)
        ));
    }
    let cells = vec![
        id_cell(n.establishment_id),
        Cell::new(n.establishment.clone()),
        Cell::new(lang.day(n.night)).sorted_by(n.night.to_string()),
        count_cell(n.late, 4),
        count_cell(n.undeclared, 6),
        Cell::new(band).sorted_by(rank).tone(tone),
        Cell::new(n.commune.clone()),
    ];
    // Enter lists that night's late and undeclared stays, after the establishment.
    let opens = std::iter::once(n.establishment_id)
        .chain(n.late_ids.iter().copied())
        .chain(n.undeclared_ids.iter().copied())
        .collect();
    Row::keyed(
        n.establishment_id,
        format!("{} {}", n.establishment_id, n.night),
        cells,
    )
    .with_note(note.join(" · "))
    .opening(opens)
}

fn candidate_row(c: &InspectionCandidate, lang: Lang) -> Row {
    let short: Vec<String> = c.factors.iter().map(|f| f.reason.short(lang)).collect();
    // The status line: every factor with its points, short enough to fit 80 columns.
    let points: Vec<String> = c
        .factors
        .iter()
        .map(|f| format!("{} +{}", f.reason.short(lang), f.points))
        .collect();
    let score = Cell::new(format!("{:>4}", c.score))
        .sorted_by(format!("{:06}", c.score))
        .tone(if c.score >= 60 {
            Tone::Warning
        } else {
            Tone::Normal
        });
    Row::new(
        c.establishment_id,
        vec![
            id_cell(c.establishment_id),
            Cell::new(c.establishment.clone()),
            score,
            Cell::new(short.join(" · ")),
        ],
    )
    .with_note(points.join(" · "))
}

pub(super) fn row(record: &Record, names: &mut Names, lang: Lang, now: Instant) -> Row {
    let id = record.id();
    let cells = match record {
        Record::Wanted(w) => {
            let person = names.record(w.person_id);
            let (name, born) = match &person {
                Some(Record::Person(p)) => (
                    p.full_name.clone(),
                    p.birth.map(|b| b.year().to_string()).unwrap_or_default(),
                ),
                _ => (w.person_id.to_string(), String::new()),
            };
            vec![
                id_cell(id),
                Cell::new(name),
                Cell::new(born),
                Cell::new(w.status.label(lang)).tone(status_tone(w.status)),
                danger_cell(w.danger, lang, true),
                Cell::new(w.decision_no.clone()),
            ]
        }
        Record::Group(g) => return super::present_group::row(g, lang),
        Record::WatchEntry(e) => vec![
            id_cell(id),
            Cell::new(names.of(e.person_id)),
            Cell::new(e.risk.label(lang)).tone(if e.risk == Risk::High {
                Tone::Warning
            } else {
                Tone::Normal
            }),
            date_cell(e.review_due, lang),
            Cell::new(e.reason.clone()),
        ],
        Record::Sighting(s) => vec![
            id_cell(id),
            time_cell(s.at, lang),
            Cell::new(s.entry_id.to_string()),
            Cell::new(s.place.clone()),
        ],
        Record::Establishment(e) => vec![
            id_cell(id),
            Cell::new(e.name.clone()),
            Cell::new(e.kind.label(lang)),
            Cell::new(e.commune.clone()),
            Cell::new(e.risk.label(lang)).tone(if e.risk == Risk::High {
                Tone::Warning
            } else {
                Tone::Normal
            }),
        ],
        Record::GuestStay(g) => vec![
            id_cell(id),
            Cell::new(g.guest.full_name.clone()),
            Cell::new(g.guest.nationality.clone()),
            time_cell(g.check_in, lang),
            Cell::new(names.of(g.establishment_id)),
        ],
        Record::Inspection(i) => vec![
            id_cell(id),
            date_cell(i.date, lang),
            Cell::new(names.of(i.establishment_id)),
            Cell::new(i.violations.join("; ")).tone(if i.violations.is_empty() {
                Tone::Normal
            } else {
                Tone::Warning
            }),
        ],
        Record::Campaign(c) => vec![
            id_cell(id),
            date_cell(c.start, lang),
            date_cell(c.end, lang),
            Cell::new(c.name.clone()),
        ],
        Record::Assignment(a) => vec![
            id_cell(id),
            date_cell(a.date, lang),
            Cell::new(a.shift.label(lang)),
            Cell::new(names.of(a.officer_id)),
            Cell::new(a.post.clone()),
        ],
        Record::DutyLog(l) => {
            let text = match l.corrects {
                Some(_) => format!("{CORRECTION_MARK}{}", l.text),
                None => l.text.clone(),
            };
            let mut note = Vec::new();
            if let Some(old) = l.corrects {
                note.push(format!("{} {old}", lang.pick("Đính chính cho", "Corrects")));
            }
            if let Some(about) = l.record {
                note.push(format!("{} {about}", lang.pick("Về hồ sơ", "About")));
            }
            let cells = vec![id_cell(id), time_cell(l.at, lang), Cell::new(text)];
            return match note.is_empty() {
                true => Row::new(id, cells),
                false => Row::new(id, cells).with_note(note.join(" · ")),
            };
        }
        Record::Handover(h) => vec![
            id_cell(id),
            time_cell(h.shift_start, lang),
            Cell::new(names.of(h.from_officer)),
            Cell::new(
                h.signed_at
                    .map(|t| lang.date_time(t))
                    .unwrap_or_else(|| lang.pick("nháp", "draft").into()),
            ),
        ],
        Record::Hit(h) => {
            let (left, tone) = present_hit::time_left_short(h, now, lang);
            let mut born = |id| match names.record(id) {
                Some(Record::Person(p)) => p.birth.map(|b| format!(" {}", b.year())),
                Some(Record::GuestStay(g)) => g.guest.birth.map(|b| format!(" {}", b.year())),
                _ => None,
            };
            let guest_born = born(h.guest_stay_id).unwrap_or_default();
            let person_born = born(h.person_id).unwrap_or_default();
            let guest = format!("{}{guest_born}", names.of(h.guest_stay_id));
            let person = format!("{}{person_born}", names.of(h.person_id));
            // A form names the guest and the listed person, not a time left that moves.
            let title = format!("{guest} ~ {person}");
            let cells = vec![
                id_cell(id),
                Cell::new(left)
                    .tone(tone)
                    .sorted_by(h.deadline.to_rfc3339()),
                present_hit::band_cell(h, lang),
                Cell::new(guest),
                // The notice's ID is in the detail: at 80 columns the name comes first.
                Cell::new(person),
            ];
            return Row::new(id, cells).with_title(title);
        }
        other => vec![id_cell(id), Cell::new(other.title(lang))],
    };
    Row::new(id, cells)
}

/// A list of records as a detail (a row that stands for several): a link to each, named.
/// Its ID is `Detail::not_a_record`: neither reloaded nor acted on.
pub fn list_detail(
    desk: &dyn DeskApi,
    crumb: String,
    ids: &[RecordId],
    lang: Lang,
) -> crate::app::state::Detail {
    let mut names = Names::new(desk, lang);
    names.fetch_named_by(&[], ids);
    let links = ids
        .iter()
        .map(|id| crate::app::state::Link {
            id: *id,
            label: format!("{id} {}", names.of(*id)),
        })
        .collect();
    crate::app::state::Detail {
        id: crate::app::state::Detail::not_a_record(),
        crumb: crate::domain::text::display_safe(&crumb).into_owned(),
        fields: vec![(
            lang.pick("Số hồ sơ", "Records").into(),
            ids.len().to_string(),
            Tone::Normal,
        )],
        sections: vec![],
        links,
        selected: 0,
        browsing: false,
        top: 0,
    }
}
