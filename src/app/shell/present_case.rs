//! Cases as the console shows them: the row (recorded, charge, status, and whether it is a
//! serious case or caused by a group), and the detail with the status history.

use crate::domain::{Case, RecordId};
use crate::i18n::Lang;

use crate::app::table::{Cell, Tone};

/// Marks a serious case or a group-caused one in its narrow column.
const MARK: &str = "●";

pub fn cells(case: &Case, lang: Lang) -> Vec<Cell> {
    let status = case.status();
    let tone = match status {
        crate::domain::CaseStatus::Cleared | crate::domain::CaseStatus::Transferred => Tone::Muted,
        _ if case.is_serious() => Tone::Warning,
        _ => Tone::Normal,
    };
    let mark = |on: bool| Cell::new(if on { MARK } else { "" });
    vec![
        Cell::new(case.id.to_string()).sorted_by(format!("{:020}", case.id.num())),
        Cell::new(lang.date(crate::domain::time::local_date(case.recorded_at)))
            .sorted_by(case.recorded_at.to_rfc3339()),
        Cell::new(case.charge.to_string()).sorted_by(format!(
            "{:05}{:03}",
            case.charge.article, case.charge.clause
        )),
        Cell::new(status.label(lang)).tone(tone),
        mark(case.is_serious()),
        mark(case.is_group_caused()),
        Cell::new(case.summary.clone()),
    ]
}

/// The detail's fields for a case (label, value, tone), and its status history.
#[allow(clippy::type_complexity)]
pub fn detail(
    case: &Case,
    name_of: &mut dyn FnMut(RecordId) -> String,
    lang: Lang,
) -> (Vec<(String, String, Tone)>, Vec<(String, Vec<String>)>) {
    let p = |vi: &str, en: &str| lang.pick_owned(vi, en);
    let gravity = case
        .charge
        .gravity()
        .map_or_else(|_| "–".to_string(), |g| g.label(lang).to_string());
    let serious = if case.is_serious() {
        format!(" · {}", lang.pick("trọng án", "serious case"))
    } else {
        String::new()
    };
    let fields = vec![
        (
            p("Tình trạng", "Status"),
            match case.cleared_on() {
                Some(day) => format!("{} {}", case.status().label(lang), lang.date(day)),
                None => case.status().label(lang).to_string(),
            },
            Tone::Normal,
        ),
        (
            p("Tội danh", "Offence"),
            format!(
                "{} {} {} {} · {}",
                lang.pick("Điều", "Art."),
                case.charge.article,
                lang.pick("khoản", "cl."),
                case.charge.clause,
                case.charge.name(lang)
            ),
            Tone::Normal,
        ),
        (
            p("Loại tội", "Class"),
            format!("{gravity}{serious}"),
            if case.is_serious() {
                Tone::Warning
            } else {
                Tone::Normal
            },
        ),
        (
            p("Nội dung", "What happened"),
            case.summary.clone(),
            Tone::Normal,
        ),
        (
            p("Xảy ra", "Happened"),
            format!("{} · {}", lang.date(case.occurred_on), case.place),
            Tone::Normal,
        ),
        (
            p("Ghi nhận", "Recorded"),
            format!(
                "{} · {}",
                lang.date_time(case.recorded_at),
                name_of(case.recorded_by)
            ),
            Tone::Normal,
        ),
        (
            p("Băng nhóm", "Group"),
            case.group_id.map_or_else(|| "–".into(), &mut *name_of),
            Tone::Normal,
        ),
        (
            p("Nguồn", "Source"),
            case.source.map_or_else(|| "–".into(), |s| s.to_string()),
            Tone::Normal,
        ),
    ];
    let history = case
        .history
        .iter()
        .map(|s| {
            let note = if s.note.is_empty() {
                String::new()
            } else {
                format!(" · {}", s.note)
            };
            format!(
                "{} · {} · {}{note}",
                lang.date_time(s.at),
                s.status.label(lang),
                name_of(s.officer_id)
            )
        })
        .collect();
    (fields, vec![(p("Diễn biến", "History"), history)])
}
