//! Time: stored in UTC, shown and typed in Asia/Ho_Chi_Minh (UTC+7 all year, no daylight
//! saving, so a fixed offset is exact). Stored times are whole seconds so that every export
//! reads back to the same value.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, SubsecRound, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

mod shown;
pub use shown::{DATE_TIME_WIDTH, DATE_WIDTH, DAY_WIDTH, MONTHS, clock, english_month};

pub type Instant = DateTime<Utc>;

/// Where "now" comes from. Nothing in the domain, the store, the service or the console reads
/// the host clock: each is handed a clock (the session's, the import's, the sample's) or an
/// instant. The host clock is read only by [`Clock::system`], and only the edges call it —
/// the command line, the example programs and benchmarks (`tests/guards.rs` holds them to
/// that). So a test can fix the time, and a record is stamped with the time it was handed.
#[derive(Clone)]
pub struct Clock(std::sync::Arc<dyn Fn() -> Instant + Send + Sync>);

impl Clock {
    /// The host's clock: the one place it is read.
    pub fn system() -> Clock {
        Clock(std::sync::Arc::new(Utc::now))
    }

    /// A clock that always says `at` (tests, and work done "as of" a given moment).
    pub fn fixed(at: Instant) -> Clock {
        Clock(std::sync::Arc::new(move || at))
    }

    /// A clock that asks `read` (a test that moves time along).
    pub fn from_fn(read: impl Fn() -> Instant + Send + Sync + 'static) -> Clock {
        Clock(std::sync::Arc::new(read))
    }

    pub fn now(&self) -> Instant {
        (self.0)()
    }

    /// Now, in whole seconds (what the store keeps).
    pub fn now_secs(&self) -> Instant {
        self.now().trunc_subsecs(0)
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Clock({})", self.now())
    }
}

/// Asia/Ho_Chi_Minh.
pub fn vn_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

pub fn to_local(t: Instant) -> DateTime<FixedOffset> {
    t.with_timezone(&vn_offset())
}

/// The local calendar day of an instant.
pub fn local_date(t: Instant) -> NaiveDate {
    to_local(t).date_naive()
}

/// The instant a local day starts (00:00 UTC+7), plus `hours`: `local_day_start(d, 23)` is
/// 23:00 local on `d`, which is 16:00 UTC. `hours` may pass 24 (into the next days).
pub fn local_day_start(date: NaiveDate, hours: u32) -> Instant {
    date.and_time(chrono::NaiveTime::MIN).and_utc() + chrono::Duration::hours(i64::from(hours) - 7)
}

/// `2026-11-26T23:05:00+07:00`: RFC 3339 in local time, what exports write.
pub fn format_instant(t: Instant) -> String {
    to_local(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// RFC 3339 with any offset, or a local (UTC+7) date and time as it is typed or shown:
/// `2026-11-26 23:05`, `26/11/2026 23:05`, `26 Nov 2026 23:05` (seconds optional).
pub fn parse_instant(text: &str) -> Option<Instant> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc).trunc_subsecs(0));
    }
    // ISO as exports write it, or day first as officers and clerks write it.
    for pattern in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y %H:%M:%S",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, pattern) {
            return local_instant(naive);
        }
    }
    // As the English console shows it: the date's three words, then the time.
    let (date, time) = text.rsplit_once(char::is_whitespace)?;
    let date = parse_english_date(date)?;
    let time = ["%H:%M", "%H:%M:%S"]
        .into_iter()
        .find_map(|pattern| chrono::NaiveTime::parse_from_str(time, pattern).ok())?;
    local_instant(date.and_time(time))
}

fn local_instant(naive: NaiveDateTime) -> Option<Instant> {
    naive
        .and_local_timezone(vn_offset())
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// `26 Nov 2026` in any case, the day in one or two figures, the year in four.
fn parse_english_date(text: &str) -> Option<NaiveDate> {
    let mut words = text.split_whitespace();
    let (day, month, year) = (words.next()?, words.next()?, words.next()?);
    if words.next().is_some()
        || !(1..=2).contains(&day.len())
        || year.len() != 4
        || !day.bytes().chain(year.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, english_month(month)?, day.parse().ok()?)
}

/// `2026-11-26`, `26/11/2026` or `26 Nov 2026`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Some(date) = parse_english_date(text) {
        return Some(date);
    }
    // chrono accepts `2024-1-5`; exports always write two digits, so demand them.
    if text.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .ok()
}

/// A date of birth, or only the year when that is all the record knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BirthDate {
    Full(NaiveDate),
    Year(i32),
}

impl BirthDate {
    pub fn year(self) -> i32 {
        match self {
            BirthDate::Full(d) => d.year(),
            BirthDate::Year(y) => y,
        }
    }
}

impl BirthDate {
    /// As a person reads it, in `lang` ([`fmt::Display`] is the ISO form exports write).
    pub fn shown(self, lang: crate::i18n::Lang) -> String {
        match self {
            BirthDate::Full(d) => lang.date(d),
            BirthDate::Year(y) => format!("{y:04}"),
        }
    }
}

impl fmt::Display for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BirthDate::Full(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            BirthDate::Year(y) => write!(f, "{y:04}"),
        }
    }
}

impl FromStr for BirthDate {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let s = s.trim();
        if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
            let year: i32 = s.parse().map_err(|_| ())?;
            return if (1900..=2100).contains(&year) {
                Ok(BirthDate::Year(year))
            } else {
                Err(())
            };
        }
        let date = parse_date(s).ok_or(())?;
        if (1900..=2100).contains(&date.year()) {
            Ok(BirthDate::Full(date))
        } else {
            Err(())
        }
    }
}

impl Serialize for BirthDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for BirthDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse()
            .map_err(|_| serde::de::Error::custom(format!("bad date of birth {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_taken_day_first_as_well_as_iso() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2);
        assert_eq!(parse_date("02/12/2026"), day);
        assert_eq!(parse_date("2026-12-02"), day);
        assert_eq!(parse_date(" 02/12/2026 "), day);
        for bad in ["2/12/2026", "12/02/26", "31/02/2026", "2026/12/02"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(
            parse_instant("02/12/2026 07:30"),
            parse_instant("2026-12-02 07:30")
        );
        assert!(parse_instant("02/12/2026 07:30").is_some());
    }

    #[test]
    fn dates_are_taken_as_the_english_console_shows_them() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2);
        for text in ["02 Dec 2026", "2 dec 2026", " 02 DEC 2026 ", "2  Dec  2026"] {
            assert_eq!(parse_date(text), day, "{text}");
        }
        for bad in [
            "02 Dez 2026",
            "32 Dec 2026",
            "02 Dec 26",
            "02 Dec 2026 x",
            "Dec 02 2026",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        let t = parse_instant("2026-12-02 07:30");
        assert!(t.is_some());
        assert_eq!(parse_instant("02 Dec 2026 07:30"), t);
        assert_eq!(parse_instant("2 dec 2026 07:30:00"), t);
        for bad in [
            "02 Dec 2026",
            "02 Dec 2026 7h30",
            "02 Dec 07:30",
            "31 Feb 2026 07:30",
        ] {
            assert_eq!(parse_instant(bad), None, "{bad}");
        }
    }

    #[test]
    fn local_time_is_utc_plus_seven() {
        let t = parse_instant("2026-11-26 23:05").expect("valid");
        assert_eq!(t.to_rfc3339(), "2026-11-26T16:05:00+00:00");
        assert_eq!(format_instant(t), "2026-11-26T23:05:00+07:00");
        assert_eq!(parse_instant(&format_instant(t)), Some(t));
        assert_eq!(local_date(t).to_string(), "2026-11-26");
        assert_eq!(parse_instant("2026-11-26T16:05:00.789Z"), Some(t));
        assert_eq!(parse_instant("26/11/2026"), None);
    }

    #[test]
    fn local_day_start_is_seven_hours_before_utc_midnight() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        assert_eq!(
            local_day_start(d, 0).to_rfc3339(),
            "2025-12-31T17:00:00+00:00"
        );
        assert_eq!(
            local_day_start(d, 23).to_rfc3339(),
            "2026-01-01T16:00:00+00:00"
        );
        assert_eq!(local_date(local_day_start(d, 0)), d);
        assert_eq!(
            local_date(local_day_start(d, 24)),
            d.succ_opt().expect("next")
        );
    }

    #[test]
    fn birth_dates_full_or_year() {
        assert_eq!("1990".parse(), Ok(BirthDate::Year(1990)));
        assert_eq!(
            "1990-02-28".parse::<BirthDate>().map(|b| b.year()),
            Ok(1990)
        );
        for bad in ["1990-02-30", "31/02/1990", "90", "1800", "1990-2-3"] {
            assert!(bad.parse::<BirthDate>().is_err(), "{bad}");
        }
        assert_eq!(BirthDate::Year(1990).to_string(), "1990");
    }
}
