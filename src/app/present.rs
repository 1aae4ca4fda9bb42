//! Records as the console shows them: table rows and detail views, in the officer's
//! language. This is the shell's side (it reads through the service); everything it
//! returns is plain data with text already made safe for a terminal.

use std::collections::HashMap;

use crate::domain::declarations::FineBand;
use crate::domain::time::{format_instant_short, local_date, local_day_start};
use crate::domain::*;
use crate::i18n::Lang;
use crate::service::{DeskApi, InspectionCandidate, LateNight, ListQuery, Result};

use super::present_hit;
use super::present_tip;
use super::state::{Detail, Link};
use super::table::{Cell, Row, Tone};
use super::views::View;

/// Names of referenced records, fetched once per load.
struct Names<'a> {
    desk: &'a dyn DeskApi,
    cache: HashMap<RecordId, String>,
}

impl Names<'_> {
    fn of(&mut self, id: RecordId) -> String {
        if let Some(name) = self.cache.get(&id) {
            return name.clone();
        }
        let name = match self.desk.get(id) {
            Ok(Some(Record::Person(p))) => p.full_name,
            Ok(Some(Record::Officer(o))) => o.full_name,
            Ok(Some(Record::Establishment(e))) => e.name,
            Ok(Some(other)) => other.title(),
            _ => id.to_string(),
        };
        self.cache.insert(id, name.clone());
        name
    }
}

pub fn status_tone(status: WantedStatus) -> Tone {
    match status {
        WantedStatus::Wanted => Tone::Warning,
        WantedStatus::Arrested | WantedStatus::Surrendered => Tone::Ok,
        _ => Tone::Muted,
    }
}

/// Text and glyph say the danger without colour: `‼` especially dangerous, `!` dangerous.
/// `short` for the table column (its header says "danger"); the detail says it in full.
pub fn danger_cell(danger: Danger, lang: Lang, short: bool) -> Cell {
    let (text, tone, rank) = match danger {
        Danger::EspeciallyDangerous if short => (
            format!("‼ {}", lang.pick("đặc biệt", "especially")),
            Tone::Danger,
            "0",
        ),
        Danger::EspeciallyDangerous => (format!("‼ {}", danger.label(lang)), Tone::Danger, "0"),
        Danger::Dangerous => (format!("! {}", danger.label(lang)), Tone::Warning, "1"),
        Danger::None => ("–".to_string(), Tone::Muted, "2"),
    };
    Cell::new(text).sorted_by(rank).tone(tone)
}

fn id_cell(id: RecordId) -> Cell {
    Cell::new(id.to_string()).sorted_by(format!("{:020}", id.num()))
}

fn time_cell(t: Instant) -> Cell {
    Cell::new(format_instant_short(t)).sorted_by(t.to_rfc3339())
}

/// How a duty-log row marks a correction (the text after it is the corrected text).
pub const CORRECTION_MARK: &str = "✎ ";

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
        // The queue: open hits first, especially dangerous first, then the newest.
        records.sort_by_key(|r| match r {
            Record::Hit(h) => (
                !h.is_open(),
                !h.especially_dangerous,
                std::cmp::Reverse(h.found_at),
                std::cmp::Reverse(h.id),
            ),
            other => (
                true,
                true,
                std::cmp::Reverse(Instant::MIN_UTC),
                std::cmp::Reverse(other.id()),
            ),
        });
    }
    if view == View::Tips {
        // Overdue first (the longest overdue first), then open by deadline, then closed.
        records.sort_by(|a, b| match (a, b) {
            (Record::Tip(a), Record::Tip(b)) => crate::domain::tips::queue_order(a, b, now),
            _ => a.id().cmp(&b.id()),
        });
    }
    let mut names = Names {
        desk,
        cache: HashMap::new(),
    };
    let mut rows: Vec<Row> = records
        .iter()
        .map(|r| match r {
            Record::Tip(t) => Row::new(t.id, present_tip::cells(t, now, lang)),
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
        Cell::new(n.night.format("%d/%m").to_string()).sorted_by(n.night.to_string()),
        count_cell(n.late, 4),
        count_cell(n.undeclared, 6),
        Cell::new(band).sorted_by(rank).tone(tone),
        Cell::new(n.commune.clone()),
    ];
    Row::keyed(
        n.establishment_id,
        format!("{} {}", n.establishment_id, n.night),
        cells,
    )
    .with_note(note.join(" · "))
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

fn row(record: &Record, names: &mut Names, lang: Lang, now: Instant) -> Row {
    let id = record.id();
    let cells = match record {
        Record::Wanted(w) => {
            let person = names.desk.get(w.person_id).ok().flatten();
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
            Cell::new(e.review_due.to_string()),
            Cell::new(e.reason.clone()),
        ],
        Record::Sighting(s) => vec![
            id_cell(id),
            time_cell(s.at),
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
            time_cell(g.check_in),
            Cell::new(names.of(g.establishment_id)),
        ],
        Record::Inspection(i) => vec![
            id_cell(id),
            Cell::new(i.date.to_string()),
            Cell::new(names.of(i.establishment_id)),
            Cell::new(i.violations.join("; ")).tone(if i.violations.is_empty() {
                Tone::Normal
            } else {
                Tone::Warning
            }),
        ],
        Record::Campaign(c) => vec![
            id_cell(id),
            Cell::new(c.start.to_string()),
            Cell::new(c.end.to_string()),
            Cell::new(c.name.clone()),
        ],
        Record::Assignment(a) => vec![
            id_cell(id),
            Cell::new(a.date.to_string()),
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
            let cells = vec![id_cell(id), time_cell(l.at), Cell::new(text)];
            return match note.is_empty() {
                true => Row::new(id, cells),
                false => Row::new(id, cells).with_note(note.join(" · ")),
            };
        }
        Record::Handover(h) => vec![
            id_cell(id),
            time_cell(h.shift_start),
            Cell::new(names.of(h.from_officer)),
            Cell::new(
                h.signed_at
                    .map(format_instant_short)
                    .unwrap_or_else(|| lang.pick("nháp", "draft").into()),
            ),
        ],
        Record::Hit(h) => {
            let (left, tone) = present_hit::time_left_short(h, now, lang);
            let born = |id| match names.desk.get(id) {
                Ok(Some(Record::Person(p))) => p.birth.map(|b| format!(" {}", b.year())),
                Ok(Some(Record::GuestStay(g))) => g.guest.birth.map(|b| format!(" {}", b.year())),
                _ => None,
            };
            let guest_born = born(h.guest_stay_id).unwrap_or_default();
            let person_born = born(h.person_id).unwrap_or_default();
            vec![
                id_cell(id),
                Cell::new(left)
                    .tone(tone)
                    .sorted_by(h.deadline.to_rfc3339()),
                present_hit::band_cell(h, lang),
                Cell::new(format!("{}{guest_born}", names.of(h.guest_stay_id))),
                // The notice's ID is in the detail: at 80 columns the name comes first.
                Cell::new(format!("{}{person_born}", names.of(h.person_id))),
            ]
        }
        other => vec![id_cell(id), Cell::new(other.title())],
    };
    Row::new(id, cells)
}

/// A breadcrumb segment and link label for a record.
fn crumb(record: &Record, names: &mut Names) -> String {
    match record {
        Record::Wanted(w) => format!("{} › QĐ {}", names.of(w.person_id), w.decision_no),
        Record::WatchEntry(e) => format!("{} › {}", names.of(e.person_id), e.id),
        Record::GuestStay(g) => format!("{} › {}", g.guest.full_name, g.id),
        Record::Officer(o) => format!("{} {}", o.rank, o.full_name),
        Record::Hit(h) => format!("{} ↔ {}", names.of(h.guest_stay_id), h.listed_id),
        other => other.title(),
    }
}

fn opt(value: Option<impl ToString>) -> String {
    value.map(|v| v.to_string()).unwrap_or_else(|| "–".into())
}

/// The detail as `reader` sees it at `now`: a tip's informant shows only to an officer the
/// service lets read it.
pub fn detail_for(
    desk: &dyn DeskApi,
    id: RecordId,
    lang: Lang,
    reader: Option<RecordId>,
    now: Instant,
) -> Result<Detail> {
    let record = desk
        .get(id)?
        .ok_or(crate::service::ServiceError::NotFound(id))?;
    let mut names = Names {
        desk,
        cache: HashMap::new(),
    };
    let p = |vi: &str, en: &str| lang.pick_owned(vi, en);
    let mut fields: Vec<(String, String, Tone)> =
        vec![(p("Mã", "ID"), id.to_string(), Tone::Normal)];
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |label: String, value: String| fields.push((label, value, Tone::Normal));
    match &record {
        Record::Wanted(w) => {
            add(
                p("Đối tượng", "Person"),
                format!("{} ({})", names.of(w.person_id), w.person_id),
            );
            add(
                p("Quyết định", "Decision"),
                format!("{} · {}", w.decision_no, w.decision_date),
            );
            add(p("Cơ quan ra QĐ", "Issuing agency"), w.agency.name.clone());
            add(
                p("Địa chỉ cơ quan", "Agency address"),
                opt(w.agency.address.as_ref()),
            );
            add(
                p("Điện thoại cơ quan", "Agency phone"),
                w.agency.phone.clone(),
            );
            add(p("Người ký", "Signed by"), opt(w.signer.as_ref()));
            add(
                p("Tội danh", "Offence"),
                match &w.offence.article {
                    Some(a) => format!("Điều {a} BLHS · {}", w.offence.name),
                    None => w.offence.name.clone(),
                },
            );
            add(p("Loại truy nã", "Class"), w.class.label(lang).into());
            add(p("Tình trạng", "Status"), w.status.label(lang).into());
            add(
                p("Nơi ở/xuất hiện cuối", "Last known location"),
                opt(w.last_known_location.as_ref()),
            );
            add(p("Băng nhóm", "Group"), opt(w.group_id));
            add(
                p("Xác minh lần cuối", "Last verified"),
                opt(w.last_verified),
            );
            let danger = danger_cell(w.danger, lang, false);
            fields.push((p("Mức nguy hiểm", "Danger"), danger.text, danger.tone));
            let history = w
                .history
                .iter()
                .map(|h| {
                    let by =
                        h.by.map(|b| format!(" · {}", names.of(b)))
                            .unwrap_or_default();
                    format!(
                        "{} {}{by} {}",
                        format_instant_short(h.at),
                        h.status.label(lang),
                        h.note
                    )
                })
                .collect();
            sections.push((p("Lịch sử tình trạng", "Status history"), history));
        }
        Record::Person(x) => {
            add(p("Họ tên", "Name"), x.full_name.clone());
            add(p("Tên khác", "Aliases"), x.aliases.join("; "));
            add(p("Sinh", "Born"), opt(x.birth));
            add(p("Giới tính", "Gender"), x.gender.label(lang).into());
            add(p("Dân tộc", "Ethnicity"), opt(x.ethnicity.as_ref()));
            add(p("Quốc tịch", "Nationality"), x.nationality.clone());
            add(
                p("Giấy tờ", "Identity document"),
                opt(x
                    .id_doc
                    .as_ref()
                    .map(|d| format!("{} {}", d.kind.label(lang), d.number))),
            );
            add(p("Xã/phường", "Commune"), opt(x.home_commune.as_ref()));
            add(
                p("Huyện cũ", "Former district"),
                opt(x.former_district.as_ref()),
            );
            add(
                p("Đặc điểm nhận dạng", "Identifying features"),
                opt(x.features.as_ref()),
            );
        }
        Record::Group(g) => {
            add(p("Tên nhóm", "Name"), g.name.clone());
            add(p("Loại", "Kind"), g.kind.label(lang).into());
            add(p("Địa bàn", "Area"), g.area.clone());
            add(
                p("Xuyên quốc gia", "Transnational"),
                p(
                    if g.transnational { "có" } else { "không" },
                    if g.transnational { "yes" } else { "no" },
                ),
            );
            add(p("Tình trạng", "Status"), g.status.label(lang).into());
            for (label, value) in super::present_group::date_fields(g, lang) {
                add(label, value);
            }
            let members = g
                .members
                .iter()
                .map(|m| {
                    format!(
                        "{} {} ({})",
                        names.of(m.person_id),
                        m.person_id,
                        m.role.label(lang)
                    )
                })
                .collect();
            sections.push((p("Thành viên", "Members"), members));
        }
        Record::Watchlist(l) => {
            add(p("Tên danh sách", "Name"), l.name.clone());
            add(p("Mục đích", "Purpose"), l.purpose.clone());
        }
        Record::WatchEntry(e) => {
            add(
                p("Đối tượng", "Person"),
                format!("{} ({})", names.of(e.person_id), e.person_id),
            );
            add(p("Danh sách", "List"), names.of(e.watchlist_id));
            add(p("Lý do", "Reason"), e.reason.clone());
            add(p("Mức rủi ro", "Risk"), e.risk.label(lang).into());
            add(p("Phương tiện", "Vehicles"), e.vehicles.join("; "));
            add(p("Tuyến thường đi", "Usual routes"), e.routes.join("; "));
            add(
                p("Người thêm", "Added by"),
                format!(
                    "{} · {}",
                    names.of(e.added_by),
                    format_instant_short(e.added_at)
                ),
            );
            add(p("Hạn rà soát", "Review due"), e.review_due.to_string());
            add(p("Tình trạng", "Status"), e.status.label(lang).into());
        }
        Record::Sighting(s) => {
            add(p("Thời gian", "Time"), format_instant_short(s.at));
            add(p("Địa điểm", "Place"), s.place.clone());
            add(p("Cán bộ", "Officer"), names.of(s.officer_id));
            add(p("Ghi chú", "Note"), s.note.clone());
        }
        Record::Establishment(e) => {
            add(p("Tên cơ sở", "Name"), e.name.clone());
            add(p("Loại", "Kind"), e.kind.label(lang).into());
            add(
                p("Xã/phường", "Commune"),
                format!("{} ({})", e.commune, opt(e.former_district.as_ref())),
            );
            add(p("Địa chỉ", "Address"), e.address.clone());
            add(p("Chủ cơ sở", "Owner"), e.owner.clone());
            add(p("Điện thoại", "Phone"), e.phone.clone());
            add(
                p("Giấy CN ANTT", "Security certificate"),
                opt(e.certificate_no.as_ref()),
            );
            add(p("Số phòng", "Rooms"), e.rooms.to_string());
            add(p("Mức rủi ro", "Risk"), e.risk.label(lang).into());
        }
        Record::GuestStay(g) => {
            add(p("Họ tên khách", "Guest"), g.guest.full_name.clone());
            add(p("Tên khác", "Other names"), g.guest.other_names.join("; "));
            add(p("Sinh", "Born"), opt(g.guest.birth));
            add(p("Giới tính", "Gender"), g.guest.gender.label(lang).into());
            add(
                p("Giấy tờ", "Identity document"),
                opt(g
                    .guest
                    .id_doc
                    .as_ref()
                    .map(|d| format!("{} {}", d.kind.label(lang), d.number))),
            );
            add(p("Quốc tịch", "Nationality"), g.guest.nationality.clone());
            add(p("Cơ sở", "Establishment"), names.of(g.establishment_id));
            add(p("Phòng", "Room"), opt(g.room.as_ref()));
            add(p("Đến", "Check-in"), format_instant_short(g.check_in));
            add(
                p("Đi", "Check-out"),
                opt(g.check_out.map(format_instant_short)),
            );
            add(
                p("Thông báo lúc", "Declared at"),
                g.declared_at
                    .map(format_instant_short)
                    .unwrap_or_else(|| p("chưa thông báo", "not declared")),
            );
        }
        Record::Inspection(i) => {
            add(p("Cơ sở", "Establishment"), names.of(i.establishment_id));
            add(p("Ngày", "Date"), i.date.to_string());
            add(p("Cán bộ", "Officer"), names.of(i.officer_id));
            add(p("Vi phạm", "Violations"), i.violations.join("; "));
            add(p("Ghi chú", "Note"), i.note.clone());
            let items = i
                .items
                .iter()
                .map(|c| {
                    format!(
                        "{}: {}",
                        crate::domain::lodging::check_item_label(&c.item, lang),
                        c.result.label(lang)
                    )
                })
                .collect();
            sections.push((p("Nội dung kiểm tra", "Check items"), items));
        }
        Record::Campaign(c) => {
            add(p("Tên đợt", "Name"), c.name.clone());
            add(p("Thời gian", "Dates"), format!("{} – {}", c.start, c.end));
            add(p("Mục tiêu", "Objective"), c.objective.clone());
            add(p("Tuyến", "Routes"), c.routes.join("; "));
            add(p("Chốt", "Posts"), c.posts.join("; "));
            add(p("Đơn vị chủ trì", "Lead unit"), c.lead_unit.clone());
        }
        Record::Assignment(a) => {
            add(p("Cán bộ", "Officer"), names.of(a.officer_id));
            add(p("Ngày", "Date"), a.date.to_string());
            add(p("Ca", "Shift"), a.shift.label(lang).into());
            add(p("Chốt/tuyến", "Post"), a.post.clone());
            add(p("Vai trò", "Role"), a.role.label(lang).into());
        }
        Record::Officer(o) => {
            add(p("Số hiệu", "Badge"), o.badge_no.clone());
            add(p("Họ tên", "Name"), o.full_name.clone());
            add(p("Cấp bậc", "Rank"), o.rank.clone());
            add(p("Đơn vị", "Unit"), o.unit.clone());
            add(p("Vai trò", "Role"), o.role.label(lang).into());
        }
        Record::DutyLog(l) => {
            add(p("Thời gian", "Time"), format_instant_short(l.at));
            add(p("Cán bộ", "Officer"), names.of(l.officer_id));
            add(p("Nội dung", "Entry"), l.text.clone());
            add(p("Về hồ sơ", "About"), opt(l.record));
            add(p("Đính chính cho", "Corrects"), opt(l.corrects));
        }
        Record::Tip(t) => {
            let mut name_of = |id| names.of(id);
            let (more, tip_sections) =
                present_tip::detail(desk, t, reader, now, &mut name_of, lang);
            fields.extend(more);
            sections.extend(tip_sections);
        }
        Record::Hit(h) => {
            let (left, tone) = present_hit::time_left(h, now, lang);
            fields.push((
                p("Hạn xác nhận", "Confirm by"),
                format!("{left} · {}", present_hit::outcome_label(h, lang)),
                tone,
            ));
            let listed = desk.get(h.listed_id)?;
            let danger = match &listed {
                Some(Record::Wanted(w)) => Some(danger_cell(w.danger, lang, false)),
                _ => None,
            };
            fields.push((
                p("Danh sách", "List"),
                format!(
                    "{} · {}{}",
                    h.list.label(lang),
                    h.listed_id,
                    danger
                        .as_ref()
                        .map(|d| format!(" · {}", d.text))
                        .unwrap_or_default()
                ),
                danger.map_or(Tone::Normal, |d| d.tone),
            ));
            if let Some(Record::Wanted(w)) = &listed {
                fields.push((
                    p("Cơ quan ra QĐ", "Issuing agency"),
                    format!("{} · QĐ {}", w.agency.name, w.decision_no),
                    Tone::Normal,
                ));
                fields.push((
                    p("ĐT · địa chỉ", "Phone · address"),
                    format!("{} · {}", w.agency.phone, opt(w.agency.address.as_ref())),
                    Tone::Warning,
                ));
            }
            if let (Some(Record::GuestStay(g)), Some(Record::Person(person))) =
                (desk.get(h.guest_stay_id)?, desk.get(h.person_id)?)
            {
                fields.push((
                    p("Nơi lưu trú", "Staying at"),
                    format!(
                        "{} · {} {}",
                        names.of(g.establishment_id),
                        p("đến", "since"),
                        format_instant_short(g.check_in)
                    ),
                    Tone::Normal,
                ));
                sections.push((
                    p("Đối chiếu (≠: khác nhau)", "Side by side (≠: differs)"),
                    present_hit::side_by_side(&g.guest, &person, lang),
                ));
            }
            sections.push((
                p("Lý do", "Reasons"),
                h.reasons.iter().map(|r| r.label(lang)).collect(),
            ));
            let mut name_of = |id| names.of(id);
            sections.push((
                p("Các bước xử lý", "Steps"),
                present_hit::step_lines(h, &mut name_of, lang),
            ));
        }
        Record::Handover(h) => {
            add(
                p("Ca", "Shift"),
                format!(
                    "{} – {}",
                    format_instant_short(h.shift_start),
                    format_instant_short(h.shift_end)
                ),
            );
            add(p("Người giao", "From"), names.of(h.from_officer));
            add(
                p("Người nhận", "To"),
                opt(h.to_officer.map(|o| names.of(o))),
            );
            add(
                p("Ký lúc", "Signed"),
                opt(h.signed_at.map(format_instant_short)),
            );
            add(p("Nội dung", "Text"), h.text.clone());
        }
    }
    let mut handover_links = Vec::new();
    if let Record::Handover(h) = &record {
        let extra = super::present_handover::extra(desk, h, lang, now)?;
        fields.extend(extra.fields.into_iter().map(|(l, v)| (l, v, Tone::Normal)));
        sections.extend(extra.sections);
        handover_links = extra.links;
    }
    let mut links: Vec<Link> = desk
        .related(id)?
        .iter()
        .map(|r| Link {
            id: r.id(),
            label: crate::domain::text::display_safe(&format!(
                "{} {}",
                r.id(),
                crumb(r, &mut names)
            ))
            .into_owned(),
        })
        .collect();
    links.extend(handover_links);
    let safe = |s: String| crate::domain::text::display_safe(&s).into_owned();
    Ok(Detail {
        id,
        crumb: safe(crumb(&record, &mut names)),
        fields: fields
            .into_iter()
            .map(|(l, v, t)| (l, safe(v), t))
            .collect(),
        sections: sections
            .into_iter()
            .map(|(t, lines)| (t, lines.into_iter().map(safe).collect()))
            .collect(),
        links,
        selected: 0,
    })
}
