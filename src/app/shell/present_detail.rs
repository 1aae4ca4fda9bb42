//! A record's detail as the console shows it: every field in the officer's language, its
//! history and the records it links to, read through the service at the `now` it is handed.

use crate::domain::*;
use crate::i18n::Lang;
use crate::service::{DeskApi, Result};

use super::present_case;
use super::present_hit;
use super::present_tip;
use crate::app::state::{Detail, Link};
use crate::app::table::Tone;

use super::present_common::{Names, danger_cell};

/// A breadcrumb segment and link label for a record.
fn crumb(record: &Record, names: &mut Names, lang: Lang) -> String {
    match record {
        Record::Wanted(w) => format!("{} › QĐ {}", names.of(w.person_id), w.decision_no),
        Record::WatchEntry(e) => format!("{} › {}", names.of(e.person_id), e.id),
        Record::GuestStay(g) => format!("{} › {}", g.guest.full_name, g.id),
        Record::Officer(o) => format!("{} {}", o.rank, o.full_name),
        Record::Hit(h) => format!("{} ↔ {}", names.of(h.guest_stay_id), h.listed_id),
        other => other.title(lang),
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
    let mut names = Names::new(desk, lang);
    names.fetch_named_by(std::slice::from_ref(&record), &[]);
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
                format!("{} · {}", w.decision_no, lang.date(w.decision_date)),
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
                opt(w.last_verified.map(|d| lang.date(d))),
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
                        lang.date_time(h.at),
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
            add(p("Sinh", "Born"), opt(x.birth.map(|b| b.shown(lang))));
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
                format!("{} · {}", names.of(e.added_by), lang.date_time(e.added_at)),
            );
            add(p("Hạn rà soát", "Review due"), lang.date(e.review_due));
            add(p("Tình trạng", "Status"), e.status.label(lang).into());
        }
        Record::Sighting(s) => {
            add(p("Thời gian", "Time"), lang.date_time(s.at));
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
            add(p("Sinh", "Born"), opt(g.guest.birth.map(|b| b.shown(lang))));
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
            add(p("Đến", "Check-in"), lang.date_time(g.check_in));
            add(
                p("Đi", "Check-out"),
                opt(g.check_out.map(|t| lang.date_time(t))),
            );
            add(
                p("Thông báo lúc", "Declared at"),
                g.declared_at
                    .map(|t| lang.date_time(t))
                    .unwrap_or_else(|| p("chưa thông báo", "not declared")),
            );
            // Late or not, as the late-declaration board (the service's deadlines) says.
            let (said, tone) = match declaration_state(desk, g, now)? {
                Some(true) => (
                    p("MUỘN (quá hạn khai báo)", "LATE (past the deadline)"),
                    Tone::Warning,
                ),
                Some(false) => (
                    p("CHƯA KHAI BÁO (quá hạn)", "UNDECLARED (past the deadline)"),
                    Tone::Danger,
                ),
                None => (
                    p("đúng hạn, hoặc chưa đến hạn", "in time, or not yet due"),
                    Tone::Normal,
                ),
            };
            fields.push((p("Khai báo", "Declaration"), said, tone));
        }
        Record::Inspection(i) => {
            add(p("Cơ sở", "Establishment"), names.of(i.establishment_id));
            add(p("Ngày", "Date"), lang.date(i.date));
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
            add(
                p("Thời gian", "Dates"),
                format!("{} – {}", lang.date(c.start), lang.date(c.end)),
            );
            add(p("Mục tiêu", "Objective"), c.objective.clone());
            add(p("Tuyến", "Routes"), c.routes.join("; "));
            add(p("Chốt", "Posts"), c.posts.join("; "));
            add(p("Đơn vị chủ trì", "Lead unit"), c.lead_unit.clone());
        }
        Record::Assignment(a) => {
            add(p("Cán bộ", "Officer"), names.of(a.officer_id));
            add(p("Ngày", "Date"), lang.date(a.date));
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
            add(p("Thời gian", "Time"), lang.date_time(l.at));
            add(p("Cán bộ", "Officer"), names.of(l.officer_id));
            add(p("Nội dung", "Entry"), l.text.clone());
            add(p("Về hồ sơ", "About"), opt(l.record));
            add(p("Đính chính cho", "Corrects"), opt(l.corrects));
        }
        Record::Case(c) => {
            let mut name_of = |id| names.of(id);
            let (more, case_sections) = present_case::detail(c, &mut name_of, lang);
            fields.extend(more);
            sections.extend(case_sections);
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
                        lang.date_time(g.check_in)
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
                    lang.date_time(h.shift_start),
                    lang.date_time(h.shift_end)
                ),
            );
            add(p("Người giao", "From"), names.of(h.from_officer));
            add(
                p("Người nhận", "To"),
                opt(h.to_officer.map(|o| names.of(o))),
            );
            add(
                p("Ký lúc", "Signed"),
                opt(h.signed_at.map(|t| lang.date_time(t))),
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
                crumb(r, &mut names, lang)
            ))
            .into_owned(),
        })
        .collect();
    links.extend(handover_links);
    let safe = |s: String| crate::domain::text::display_safe(&s).into_owned();
    Ok(Detail {
        id,
        crumb: safe(crumb(&record, &mut names, lang)),
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
        browsing: false,
        top: 0,
    })
}

/// Whether a stay was declared late (`Some(true)`), is past its deadline undeclared
/// (`Some(false)`), or neither: the late-declaration board of its night and establishment.
fn declaration_state(
    desk: &dyn DeskApi,
    stay: &crate::domain::GuestStay,
    now: Instant,
) -> Result<Option<bool>> {
    let night = crate::domain::time::local_date(stay.check_in);
    let board = desk.late_declarations(
        crate::domain::time::local_day_start(night, 0),
        crate::domain::time::local_day_start(night + chrono::Duration::days(1), 0),
        now,
    )?;
    let place = board
        .iter()
        .find(|n| n.establishment_id == stay.establishment_id);
    Ok(match place {
        Some(n) if n.late_ids.contains(&stay.id) => Some(true),
        Some(n) if n.undeclared_ids.contains(&stay.id) => Some(false),
        _ => None,
    })
}
