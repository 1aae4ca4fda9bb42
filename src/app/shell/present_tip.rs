//! Tips as the console shows them: the queue's row (overdue first, with the days over or
//! left), and the detail with the extensions history. The informant shows only to an officer
//! named on it — the service decides (`DeskApi::informant`); this never asks otherwise.

use crate::domain::{Instant, RecordId, Tip};
use crate::i18n::Lang;
use crate::service::DeskApi;

use crate::app::table::{Cell, Tone};

/// `QUÁ HẠN 3 ngày` / `còn 5 ngày` (`OVERDUE 3 days` / `5 days left`), how urgent it looks,
/// and its rank for sorting (overdue, open, closed).
pub fn deadline_state(tip: &Tip, now: Instant, lang: Lang) -> (String, Tone, u8) {
    if !tip.is_open() {
        return (tip.status.label(lang).into(), Tone::Muted, 2);
    }
    let seconds = (tip.deadline() - now).num_seconds();
    let days = seconds.unsigned_abs().div_ceil(86_400);
    if tip.is_overdue(now) {
        let text = match lang {
            Lang::Vi => format!("QUÁ HẠN {days} ngày"),
            Lang::En => format!("OVERDUE {days} d"),
        };
        (text, Tone::Danger, 0)
    } else {
        let text = match lang {
            Lang::Vi => format!("còn {days} ngày"),
            Lang::En => format!("{days} d left"),
        };
        (
            text,
            if days <= 3 {
                Tone::Warning
            } else {
                Tone::Normal
            },
            1,
        )
    }
}

pub fn cells(tip: &Tip, now: Instant, lang: Lang) -> Vec<Cell> {
    let (left, tone, rank) = deadline_state(tip, now, lang);
    vec![
        Cell::new(tip.id.to_string()).sorted_by(format!("{:020}", tip.id.num())),
        Cell::new(left)
            .tone(tone)
            .sorted_by(format!("{rank}{}", tip.deadline().to_rfc3339())),
        Cell::new(lang.date_time(tip.received_at)).sorted_by(tip.received_at.to_rfc3339()),
        Cell::new(tip.place.clone()),
        Cell::new(tip.content.clone()),
    ]
}

/// One line per extension: when, who, the new deadline and why.
pub fn extension_lines(
    tip: &Tip,
    name_of: &mut dyn FnMut(RecordId) -> String,
    lang: Lang,
) -> Vec<String> {
    let mut lines = vec![format!(
        "{} · {} {}",
        lang.date_time(tip.received_at),
        lang.pick("hạn ban đầu", "first deadline"),
        lang.date_time(tip.first_deadline)
    )];
    lines.extend(tip.extensions.iter().map(|e| {
        format!(
            "{} · {} · {} {} · {}",
            lang.date_time(e.at),
            name_of(e.officer_id),
            lang.pick("gia hạn đến", "extended to"),
            lang.date_time(e.new_deadline),
            e.reason
        )
    }));
    lines
}

/// The detail's fields for a tip (label, value, tone), and its sections.
#[allow(clippy::type_complexity)]
pub fn detail(
    desk: &dyn DeskApi,
    tip: &Tip,
    reader: Option<RecordId>,
    now: Instant,
    name_of: &mut dyn FnMut(RecordId) -> String,
    lang: Lang,
) -> (Vec<(String, String, Tone)>, Vec<(String, Vec<String>)>) {
    let p = |vi: &str, en: &str| lang.pick_owned(vi, en);
    let (left, tone, _) = deadline_state(tip, now, lang);
    let mut fields = vec![
        (
            p("Hạn xác minh", "Verify by"),
            format!("{} · {left}", lang.date_time(tip.deadline())),
            tone,
        ),
        (
            p("Tiếp nhận", "Received"),
            format!(
                "{} · {}",
                lang.date_time(tip.received_at),
                tip.channel.label(lang)
            ),
            Tone::Normal,
        ),
        (p("Nội dung", "Reported"), tip.content.clone(), Tone::Normal),
        (p("Địa điểm", "Place"), tip.place.clone(), Tone::Normal),
        (
            p("Người tiếp nhận", "Taken by"),
            name_of(tip.taken_by),
            Tone::Normal,
        ),
        (
            p("Người xác minh", "Verifier"),
            tip.verifier.map_or_else(|| "–".into(), &mut *name_of),
            Tone::Normal,
        ),
        (
            p("Tình trạng", "Status"),
            tip.status.label(lang).into(),
            Tone::Normal,
        ),
    ];
    // Asked only for an officer; the service refuses anyone not named on the informant.
    if let Some(informant) = reader.and_then(|r| desk.informant(tip.id, r).ok()) {
        fields.push((
            p("Người báo tin (MẬT)", "Informant (RESTRICTED)"),
            [informant.name, informant.contact, informant.note]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
            Tone::Warning,
        ));
    }
    let sections = vec![(
        p("Hạn và gia hạn", "Deadline and extensions"),
        extension_lines(tip, name_of, lang),
    )];
    (fields, sections)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_instant;
    use crate::domain::{Kind, TipChannel, TipStatus};

    #[test]
    fn overdue_tips_take_the_danger_tone_and_say_so() {
        let at = |t: &str| parse_instant(t).expect("time");
        let tip = Tip {
            id: RecordId::new(Kind::Tip, 1),
            received_at: at("2026-11-01 09:30"),
            channel: TipChannel::Phone,
            content: "x".into(),
            place: "y".into(),
            taken_by: RecordId::new(Kind::Officer, 1),
            verifier: None,
            status: TipStatus::Verifying,
            first_deadline: at("2026-11-21 09:30"),
            extensions: Vec::new(),
            settled_at: None,
        };
        let state = |now: &str, lang| deadline_state(&tip, at(now), lang);
        assert_eq!(
            state("2026-11-23 09:00", Lang::Vi),
            ("QUÁ HẠN 2 ngày".into(), Tone::Danger, 0)
        );
        assert_eq!(
            state("2026-11-19 09:30", Lang::En),
            ("2 d left".into(), Tone::Warning, 1)
        );
        assert_eq!(
            state("2026-11-01 09:30", Lang::En),
            ("20 d left".into(), Tone::Normal, 1)
        );
        let closed = Tip {
            status: TipStatus::Closed,
            ..tip.clone()
        };
        assert_eq!(
            deadline_state(&closed, at("2027-01-01 00:00"), Lang::En).1,
            Tone::Muted
        );
    }
}
