//! How a date or a time is shown to a person: the one place that decides it, by the officer's
//! language. Vietnamese writes the day first in figures (`26/11/2026 23:05`); English names the
//! month (`26 Nov 2026 23:05`), because `11/26` and `26/11` mean different days to different
//! English readers and a named month cannot be misread. Machine formats (exports, `--json`,
//! the audit chain, sort keys) stay ISO and never come here. What is shown here can be typed
//! back: [`super::parse_date`] and [`super::parse_instant`] read both languages' full forms.

use chrono::{Datelike, NaiveDate, Timelike};

use super::{Instant, to_local};
use crate::i18n::Lang;

/// English month abbreviations, January first: what [`Lang::date`] writes in English and what
/// [`english_month`] reads back.
pub const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The month (1–12) an English abbreviation names, in any case: `nov`, `Nov`, `NOV`.
pub fn english_month(text: &str) -> Option<u32> {
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(text))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// The widest [`Lang::date`] in either language (`26 Nov 2026`), in terminal cells: what a
/// table's date column is sized to. [`Lang::day`] and [`Lang::date_time`] likewise.
pub const DATE_WIDTH: u16 = 11;
pub const DAY_WIDTH: u16 = 6;
pub const DATE_TIME_WIDTH: u16 = 17;

fn month_name(d: NaiveDate) -> &'static str {
    // `month0` is 0..=11 by chrono's contract; "?" only if that ever broke.
    MONTHS
        .get(usize::try_from(d.month0()).unwrap_or(usize::MAX))
        .copied()
        .unwrap_or("?")
}

impl Lang {
    /// `26/11/2026` · `26 Nov 2026`.
    pub fn date(self, d: NaiveDate) -> String {
        match self {
            Lang::Vi => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
            Lang::En => format!("{:02} {} {}", d.day(), month_name(d), d.year()),
        }
    }

    /// What a form asks for when a typed date does not read, the shown form first.
    pub fn date_hint(self) -> &'static str {
        self.pick(
            "Dạng DD/MM/YYYY (hoặc YYYY-MM-DD)",
            "Use 26 Nov 2026 (or DD/MM/YYYY, YYYY-MM-DD)",
        )
    }

    /// As [`Lang::date_hint`], for a date and time.
    pub fn date_time_hint(self) -> &'static str {
        self.pick(
            "Dạng DD/MM/YYYY HH:MM (hoặc YYYY-MM-DD HH:MM)",
            "Use 26 Nov 2026 23:05 (or DD/MM/YYYY HH:MM)",
        )
    }

    /// The day without its year, where the year is plain from the context: `26/11` · `26 Nov`.
    pub fn day(self, d: NaiveDate) -> String {
        match self {
            Lang::Vi => format!("{:02}/{:02}", d.day(), d.month()),
            Lang::En => format!("{:02} {}", d.day(), month_name(d)),
        }
    }

    /// An instant in local time (UTC+7): `26/11/2026 23:05` · `26 Nov 2026 23:05`.
    pub fn date_time(self, t: Instant) -> String {
        let local = to_local(t);
        format!("{} {}", self.date(local.date_naive()), clock(t))
    }

    /// As [`Lang::date_time`] to the second, where the order of events within a minute
    /// matters (the audit list): `26/11/2026 23:05:09` · `26 Nov 2026 23:05:09`.
    pub fn date_time_secs(self, t: Instant) -> String {
        format!("{}:{:02}", self.date_time(t), to_local(t).second())
    }

    /// As [`Lang::date_time`] without the year: `26/11 23:05` · `26 Nov 23:05`.
    pub fn day_time(self, t: Instant) -> String {
        let local = to_local(t);
        format!("{} {}", self.day(local.date_naive()), clock(t))
    }
}

/// The local time of day, `23:05`, the same in both languages.
pub fn clock(t: Instant) -> String {
    let local = to_local(t);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::{parse_date, parse_instant};

    fn at(text: &str) -> Instant {
        parse_instant(text).expect("valid")
    }

    #[test]
    fn each_language_has_one_form() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
        assert_eq!(Lang::Vi.date(d), "26/11/2026");
        assert_eq!(Lang::En.date(d), "26 Nov 2026");
        assert_eq!(Lang::Vi.day(d), "26/11");
        assert_eq!(Lang::En.day(d), "26 Nov");
        // 16:05 UTC is 23:05 in Hanoi.
        let t = at("2026-11-26T16:05:00Z");
        assert_eq!(Lang::Vi.date_time(t), "26/11/2026 23:05");
        assert_eq!(Lang::En.date_time(t), "26 Nov 2026 23:05");
        assert_eq!(Lang::Vi.day_time(t), "26/11 23:05");
        assert_eq!(Lang::En.day_time(t), "26 Nov 23:05");
        // The local day, not the UTC one: 18:00 UTC on the 31st is the 1st in Hanoi.
        let new_year = at("2026-12-31T18:00:00Z");
        assert_eq!(Lang::En.date_time(new_year), "01 Jan 2027 01:00");
        assert_eq!(Lang::Vi.date_time(new_year), "01/01/2027 01:00");
    }

    #[test]
    fn what_is_shown_reads_back_in_both_languages() {
        let mut d = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        let mut t = at("2026-01-01 00:00");
        for _ in 0..400 {
            for lang in [Lang::Vi, Lang::En] {
                assert_eq!(parse_date(&lang.date(d)), Some(d), "{}", lang.date(d));
                assert_eq!(
                    parse_instant(&lang.date_time(t)),
                    Some(t),
                    "{}",
                    lang.date_time(t)
                );
            }
            d = d.succ_opt().expect("next day");
            t += chrono::Duration::minutes(22 * 60 + 17);
        }
    }

    #[test]
    fn the_widths_hold_every_form() {
        let d = NaiveDate::from_ymd_opt(2026, 9, 30).expect("date");
        let t = at("2026-09-30 23:59");
        for lang in [Lang::Vi, Lang::En] {
            assert!(lang.date(d).len() <= usize::from(DATE_WIDTH));
            assert!(lang.day(d).len() <= usize::from(DAY_WIDTH));
            assert!(lang.date_time(t).len() <= usize::from(DATE_TIME_WIDTH));
        }
        assert_eq!(Lang::En.date(d).len(), usize::from(DATE_WIDTH));
        assert_eq!(Lang::En.date_time(t).len(), usize::from(DATE_TIME_WIDTH));
    }

    #[test]
    fn months_read_in_any_case() {
        assert_eq!(english_month("nov"), Some(11));
        assert_eq!(english_month("JAN"), Some(1));
        assert_eq!(english_month("Dec"), Some(12));
        assert_eq!(english_month("Novem"), None);
    }
}
