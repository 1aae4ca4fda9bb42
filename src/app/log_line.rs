//! The duty log typed in one line: `:ghi <text>` (or `:log <text>`) writes an entry now, by
//! the console's officer, linked to the record named first (`:ghi TN-000123 gọi cơ quan ra
//! QĐ`) or else to the record whose detail is open; `:dinhchinh NK-000012 <text>` (or
//! `:correct`) writes a correction, a new entry pointing at the old one. Pure: the time and
//! the officer come in.

use crate::domain::{DutyLogEntry, Instant, Kind, RecordId};
use crate::i18n::Lang;

/// How a duty-log row marks a correction (the text after it is the corrected text).
pub const CORRECTION_MARK: &str = "✎ ";

/// Why a line cannot become an entry, in the officer's language.
fn refuse(lang: Lang, vi: &'static str, en: &'static str) -> Result<DutyLogEntry, String> {
    Err(lang.pick(vi, en).to_string())
}

/// The first word as a record ID, and the rest.
fn leading_id(text: &str) -> (Option<RecordId>, &str) {
    let text = text.trim();
    let (head, rest) = text.split_once(' ').unwrap_or((text, ""));
    match head.parse::<RecordId>() {
        Ok(id) => (Some(id), rest.trim()),
        Err(_) => (None, text),
    }
}

fn entry(
    text: &str,
    officer: Option<RecordId>,
    now: Instant,
    lang: Lang,
) -> Result<DutyLogEntry, String> {
    let Some(officer_id) = officer else {
        return refuse(
            lang,
            "Chưa ghi: chưa đặt cán bộ trực (--officer, hoặc officer = trong tệp cấu hình)",
            "Not written: no officer set (--officer, or officer = in the config file)",
        );
    };
    if text.trim().is_empty() {
        return refuse(
            lang,
            "Chưa ghi: gõ nội dung sau lệnh (:ghi nội dung)",
            "Not written: type the entry after the command (:log text)",
        );
    }
    Ok(DutyLogEntry {
        id: RecordId::new(Kind::DutyLog, 0),
        at: chrono::SubsecRound::trunc_subsecs(now, 0),
        officer_id,
        text: text.trim().to_string(),
        record: None,
        corrects: None,
    })
}

/// `:ghi [ID] text`: linked to the ID typed first, else to `open` (the detail on screen).
pub fn log_entry(
    line: &str,
    open: Option<RecordId>,
    officer: Option<RecordId>,
    now: Instant,
    lang: Lang,
) -> Result<DutyLogEntry, String> {
    let (named, text) = leading_id(line);
    let mut entry = entry(text, officer, now, lang)?;
    entry.record = named.or(open);
    Ok(entry)
}

/// `:dinhchinh NK-… text`: a new entry that corrects the one named (and keeps its link).
pub fn correction(
    line: &str,
    officer: Option<RecordId>,
    now: Instant,
    lang: Lang,
) -> Result<DutyLogEntry, String> {
    let (named, text) = leading_id(line);
    let Some(old) = named.filter(|id| id.kind() == Kind::DutyLog) else {
        return refuse(
            lang,
            "Chưa ghi: nêu mục nhật ký cần đính chính trước (:dinhchinh NK-000012 nội dung đúng)",
            "Not written: name the log entry first (:correct NK-000012 corrected text)",
        );
    };
    let mut entry = entry(text, officer, now, lang)?;
    entry.corrects = Some(old);
    Ok(entry)
}

/// The command line a correction of `old` starts from: its text, ready to edit.
pub fn correction_line(old: RecordId, text: &str) -> String {
    format!("dinhchinh {old} {text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Instant {
        crate::domain::time::parse_instant("2026-11-27 09:30").expect("time")
    }

    #[test]
    fn a_line_becomes_an_entry_linked_to_the_named_or_open_record() {
        let officer = Some(RecordId::new(Kind::Officer, 3));
        let tn = RecordId::new(Kind::Wanted, 123);
        let e = log_entry(
            "TN-000123 gọi cơ quan ra QĐ",
            None,
            officer,
            now(),
            Lang::Vi,
        )
        .expect("entry");
        assert_eq!(
            (e.record, e.text.as_str(), e.at),
            (Some(tn), "gọi cơ quan ra QĐ", now())
        );
        let open = Some(RecordId::new(Kind::Tip, 4));
        let e = log_entry("đã gọi lại", open, officer, now(), Lang::Vi).expect("entry");
        assert_eq!((e.record, e.corrects), (open, None));
        assert!(log_entry("  ", None, officer, now(), Lang::En).is_err());
        let err = log_entry("x", None, None, now(), Lang::En).expect_err("no officer");
        assert!(err.contains("no officer"), "{err}");
    }

    #[test]
    fn a_correction_names_the_entry_it_corrects() {
        let officer = Some(RecordId::new(Kind::Officer, 3));
        let line = correction_line(RecordId::new(Kind::DutyLog, 12), "gọi lúc 9:40");
        assert_eq!(line, "dinhchinh NK-000012 gọi lúc 9:40");
        let rest = line.split_once(' ').map(|(_, r)| r).unwrap_or_default();
        let e = correction(rest, officer, now(), Lang::Vi).expect("correction");
        assert_eq!(e.corrects, Some(RecordId::new(Kind::DutyLog, 12)));
        assert_eq!(e.text, "gọi lúc 9:40");
        assert!(correction("TN-000001 x", officer, now(), Lang::En).is_err());
        assert!(correction("sai", officer, now(), Lang::En).is_err());
    }
}
