//! A screening hit as the console shows it: the queue's row, and the detail that puts the
//! guest and the listed person side by side with the differing fields marked, the reasons,
//! the issuing agency's phone and address, the time left to the confirmation deadline and
//! every step recorded.

use crate::domain::time::clock;
use crate::domain::*;
use crate::i18n::Lang;

use crate::app::table::{Cell, Tone};

/// `còn 6 ph (14:10)` / `QUÁ HẠN 3 ph (14:10)` (`6 min left` / `OVERDUE 3 min`), and how
/// urgent it looks.
pub fn time_left(hit: &Hit, now: Instant, lang: Lang) -> (String, Tone) {
    if !hit.is_open() {
        return (lang.pick("đã xử lý", "handled").into(), Tone::Muted);
    }
    let seconds = hit.seconds_left(now);
    let minutes = seconds.unsigned_abs().div_ceil(60);
    let clock = clock(hit.deadline);
    if seconds < 0 {
        let text = match lang {
            Lang::Vi => format!("QUÁ HẠN {minutes} ph ({clock})"),
            Lang::En => format!("OVERDUE {minutes} min ({clock})"),
        };
        (text, Tone::Danger)
    } else {
        let text = match lang {
            Lang::Vi => format!("còn {minutes} ph ({clock})"),
            Lang::En => format!("{minutes} min left ({clock})"),
        };
        (
            text,
            if minutes <= 10 {
                Tone::Warning
            } else {
                Tone::Normal
            },
        )
    }
}

/// The state of the handling: pending, or the latest outcome.
pub fn outcome_label(hit: &Hit, lang: Lang) -> String {
    match hit.outcome() {
        None => lang.pick("chờ xác minh", "pending").into(),
        Some(o) => o.label(lang).into(),
    }
}

/// The queue's column: the time left without the clock (the detail gives the clock).
pub fn time_left_short(hit: &Hit, now: Instant, lang: Lang) -> (String, Tone) {
    let (text, tone) = time_left(hit, now, lang);
    (
        text.split(" (").next().unwrap_or_default().to_string(),
        tone,
    )
}

pub fn band_cell(hit: &Hit, lang: Lang) -> Cell {
    let tone = match hit.band {
        screening::Band::Alert => Tone::Danger,
        screening::Band::Review => Tone::Warning,
    };
    // Open alerts first, then open reviews, then handled ones; the sort key says so.
    let rank = match (hit.is_open(), hit.band) {
        (true, screening::Band::Alert) => 0,
        (true, screening::Band::Review) => 1,
        (false, _) => 2,
    };
    Cell::new(format!("{} {:.2}", hit.band.label(lang), hit.score))
        .sorted_by(format!("{rank}{:04}", 9999 - (hit.score * 9999.0) as u32))
        .tone(tone)
}

/// One identity's fields as compared: name, other names, birth, gender, document,
/// nationality.
fn identity_lines(
    names: (&str, &[String]),
    birth: Option<BirthDate>,
    gender: Gender,
    doc: Option<&IdDocument>,
    nationality: &str,
    lang: Lang,
) -> [String; 6] {
    [
        names.0.to_string(),
        names.1.join("; "),
        birth.map(|b| b.shown(lang)).unwrap_or_else(|| "–".into()),
        gender.label(lang).to_string(),
        doc.map(|d| d.number.clone()).unwrap_or_else(|| "–".into()),
        nationality.to_string(),
    ]
}

fn clip(text: &str, width: usize) -> String {
    let mut out: String = text.chars().take(width).collect();
    if text.chars().count() > width {
        out.pop();
        out.push('…');
    }
    format!("{out:<width$}")
}

/// The guest and the listed person side by side; `≠` marks a field that differs (ignoring
/// case and marks for names, so that only a real difference stands out).
pub fn side_by_side(guest: &GuestIdentity, person: &Person, lang: Lang) -> Vec<String> {
    let labels = [
        lang.pick("Họ tên", "Name"),
        lang.pick("Tên khác", "Other names"),
        lang.pick("Sinh", "Born"),
        lang.pick("Giới tính", "Gender"),
        lang.pick("Giấy tờ", "ID number"),
        lang.pick("Quốc tịch", "Nationality"),
    ];
    let g = identity_lines(
        (&guest.full_name, &guest.other_names),
        guest.birth,
        guest.gender,
        guest.id_doc.as_ref(),
        &guest.nationality,
        lang,
    );
    let p = identity_lines(
        (&person.full_name, &person.aliases),
        person.birth,
        person.gender,
        person.id_doc.as_ref(),
        &person.nationality,
        lang,
    );
    let mut lines = vec![format!(
        "  {} {} {}",
        clip("", 11),
        clip(lang.pick("Khách khai báo", "Guest as declared"), 27),
        lang.pick("Đối tượng trong danh sách", "Listed person")
    )];
    for ((label, a), b) in labels.iter().zip(&g).zip(&p) {
        let same = crate::domain::text::fold(a) == crate::domain::text::fold(b);
        let mark = if same { " " } else { "≠" };
        lines.push(format!("{mark} {} {} {b}", clip(label, 11), clip(a, 27)));
    }
    lines
}

/// One line per recorded step: when, who, what, and the agency's confirmation.
pub fn step_lines(
    hit: &Hit,
    name_of: &mut dyn FnMut(RecordId) -> String,
    lang: Lang,
) -> Vec<String> {
    hit.steps
        .iter()
        .map(|s| {
            let mut line = format!(
                "{} {} · {}",
                lang.date_time(s.at),
                name_of(s.officer_id),
                s.outcome.label(lang)
            );
            if let (Some(by), Some(at)) = (&s.confirmed_by, s.confirmed_at) {
                line.push_str(&match lang {
                    Lang::Vi => format!(" · xác nhận: {by}, lúc {}", lang.date_time(at)),
                    Lang::En => format!(" · confirmed by {by} at {}", lang.date_time(at)),
                });
            }
            if !s.note.is_empty() {
                line.push_str(&format!(" · {}", s.note));
            }
            line
        })
        .collect()
}
