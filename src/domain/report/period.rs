//! The period a report covers, and the one it is compared with.

use super::*;

/// Local dates `from..=to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The `months` whole months from `from` (None past the calendar's end).
fn months_from(from: NaiveDate, months: u32) -> Option<Period> {
    let to = from
        .checked_add_months(chrono::Months::new(months))?
        .pred_opt()?;
    Some(Period { from, to })
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, crate::i18n::Said> {
        if to < from {
            use crate::i18n::Lang::{En, Vi};
            return Err(crate::i18n::Said::new(
                format!("--to {} trước --from {}", Vi.date(to), Vi.date(from)),
                format!("--to {} is before --from {}", En.date(to), En.date(from)),
            ));
        }
        Ok(Period { from, to })
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The period a report compares this one with: the whole calendar period before a
    /// whole half-year, month or year (01/07–31/12/2025 before 01/01–30/06/2026), else the
    /// period of the same length that ends the day before this one starts (the half-year
    /// to date is compared with as many days before it).
    pub fn previous(&self) -> Period {
        let whole = self
            .calendar_months()
            .and_then(|months| months_from(self.from, months))
            == Some(*self);
        if whole {
            self.step_back()
        } else {
            self.same_length_before()
        }
    }

    fn same_length_before(&self) -> Period {
        let to = self.from - chrono::Duration::days(1);
        Period {
            from: to - chrono::Duration::days(self.days() - 1),
            to,
        }
    }

    /// The period of the same length that starts the day after this one ends.
    pub fn next(&self) -> Period {
        let from = self.to + chrono::Duration::days(1);
        Period {
            from,
            to: from + chrono::Duration::days(self.days() - 1),
        }
    }

    /// The calendar period this one is (or is the part to date of): a year, a half-year or
    /// a month, by where it starts and ends; None for any other span.
    fn calendar_months(&self) -> Option<u32> {
        use chrono::Datelike;
        if self.from.day() != 1 {
            return None;
        }
        let end_of = |months| months_from(self.from, months).map(|p| p.to);
        let month = self.from.month();
        // A whole year, a whole month; then a half-year or the part of it to date (the
        // default period), then a month to date.
        if month == 1 && end_of(12) == Some(self.to) {
            return Some(12);
        }
        if end_of(1) == Some(self.to) {
            return Some(1);
        }
        if (month == 1 || month == 7) && end_of(6).is_some_and(|end| self.to <= end) {
            return Some(6);
        }
        end_of(1).is_some_and(|end| self.to <= end).then_some(1)
    }

    /// The console's `[`: the whole calendar period before (the half-year before a
    /// half-year to date, the month before a month), else the period of the same length
    /// before.
    pub fn step_back(&self) -> Period {
        self.calendar_months()
            .and_then(|months| {
                let from = self.from.checked_sub_months(chrono::Months::new(months))?;
                months_from(from, months)
            })
            .unwrap_or_else(|| self.same_length_before())
    }

    /// The console's `]`: the whole calendar period after, else the same length after.
    pub fn step_forward(&self) -> Period {
        self.calendar_months()
            .and_then(|months| {
                let from = self.from.checked_add_months(chrono::Months::new(months))?;
                months_from(from, months)
            })
            .unwrap_or_else(|| self.next())
    }

    /// The half-year to date: from 1 January or 1 July, whichever began the half-year
    /// `today` is in, to `today`. The plan reports every six months (and every year, which
    /// is two halves), so the desk's running figures are those of the half-year under way;
    /// `:baocao FROM TO` or `trucban report` gives any other period.
    pub fn half_year_to(today: NaiveDate) -> Period {
        use chrono::Datelike;
        let month = if today.month() <= 6 { 1 } else { 7 };
        let from = NaiveDate::from_ymd_opt(today.year(), month, 1).unwrap_or(today);
        Period { from, to: today }
    }

    /// `01/01/2026 – 30/06/2026` · `01 Jan 2026 – 30 Jun 2026`
    pub fn label(&self, lang: Lang) -> String {
        format!("{} – {}", lang.date(self.from), lang.date(self.to))
    }

    pub fn has_date(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    pub fn has(&self, t: Instant) -> bool {
        self.has_date(local_date(t))
    }

    /// The instant the period starts (00:00 local on `from`).
    pub fn start(&self) -> Instant {
        local_day_start(self.from, 0)
    }

    /// The instant just after the period (00:00 local the day after `to`).
    pub fn end(&self) -> Instant {
        local_day_start(self.to, 24)
    }

    /// Days of `from..=to` that fall in this period.
    pub(super) fn overlap_days(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let start = from.max(self.from);
        let end = to.min(self.to);
        if end < start {
            0
        } else {
            (end - start).num_days() + 1
        }
    }
}
