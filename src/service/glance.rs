//! The "Shift at a glance" answer ([`crate::domain::glance`]), gathered from the store in one
//! request so that a console on a thin link asks once, and the fourteen days of counts
//! behind its charts are counted here, never sent as records.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::domain::glance::{self, Beside, DayCounts, Glance, NightCounts, OnDuty};
use crate::domain::shifts::ShiftWindow;
use crate::domain::time::{local_date, local_day_start};
use crate::domain::{Hit, Instant, Kind, Record, Tip};
use crate::store::Lookup;

use super::{DeskApi, ListQuery, LocalDesk, Result};

impl LocalDesk {
    /// The work waiting at `at`: the hits open then and the open tips (in no order). What
    /// the status line counts and the glance lists.
    pub(super) fn open_work(&self, at: Instant) -> Result<(Vec<Hit>, Vec<Tip>)> {
        let hits = (self.store())
            .lookup(&Lookup::HitsOpenAtOrClosedIn {
                at,
                from: at,
                to: at,
            })?
            .into_iter()
            .filter_map(|r| match r {
                Record::Hit(h) if h.open_at(at) => Some(h),
                _ => None,
            })
            .collect();
        let tips = (self.store().lookup(&Lookup::OpenTips)?)
            .into_iter()
            .filter_map(|r| match r {
                Record::Tip(t) => Some(t),
                _ => None,
            })
            .collect();
        Ok((hits, tips))
    }

    pub(super) fn glance_at(
        &self,
        shift: ShiftWindow,
        now: Instant,
        beside: bool,
    ) -> Result<Glance> {
        let (mut hits, mut tips) = self.open_work(now)?;
        hits.sort_by(|a, b| a.queue_order(b));
        tips.sort_by(|a, b| crate::domain::tips::queue_order(a, b, now));
        let beside = if beside {
            Some(Beside {
                night: self.night_counts(now)?,
                on_duty: self.on_duty_in(shift)?,
                log: self.latest_log()?,
                days: self.day_counts(now)?,
            })
        } else {
            None
        };
        Ok(Glance { hits, tips, beside })
    }

    fn latest_log(&self) -> Result<Vec<crate::domain::DutyLogEntry>> {
        Ok(self
            .list(&ListQuery {
                descending: true,
                limit: glance::LOG_ENTRIES,
                ..ListQuery::all(Kind::DutyLog)
            })?
            .records
            .into_iter()
            .filter_map(|r| match r {
                Record::DutyLog(l) => Some(l),
                _ => None,
            })
            .collect())
    }

    fn night_counts(&self, now: Instant) -> Result<NightCounts> {
        let night = glance::night_of(now);
        let boards = self.late_declarations(
            local_day_start(night, 0),
            local_day_start(night + chrono::Duration::days(1), 0),
            now,
        )?;
        Ok(NightCounts {
            night: Some(night),
            establishments: boards.iter().filter(|n| n.late + n.undeclared > 0).count(),
            late: boards.iter().map(|n| n.late).sum(),
            undeclared: boards.iter().map(|n| n.undeclared).sum(),
        })
    }

    /// The officers of this shift's roster slot (every campaign), by name, with their post.
    fn on_duty_in(&self, shift: ShiftWindow) -> Result<Vec<OnDuty>> {
        let (date, slot) = shift.roster_slot();
        let mut on_duty = Vec::new();
        for record in self.roster_on(date)? {
            if let Record::Assignment(a) = record
                && a.shift == slot
            {
                let officer = match self.get(a.officer_id)? {
                    Some(Record::Officer(o)) => o.full_name,
                    _ => a.officer_id.to_string(),
                };
                on_duty.push(OnDuty {
                    officer,
                    post: a.post,
                });
            }
        }
        Ok(on_duty)
    }

    /// Hits found, guests checked in and late declarations per day, over the chart's days.
    fn day_counts(&self, now: Instant) -> Result<Vec<DayCounts>> {
        let today = local_date(now);
        let first = today - chrono::Duration::days(glance::CHART_DAYS - 1);
        let (from, to) = (
            local_day_start(first, 0),
            local_day_start(today + chrono::Duration::days(1), 0),
        );
        let mut days: BTreeMap<NaiveDate, DayCounts> = (0..glance::CHART_DAYS)
            .map(|n| first + chrono::Duration::days(n))
            .map(|date| {
                (
                    date,
                    DayCounts {
                        date,
                        hits: 0,
                        guests: 0,
                        late: 0,
                    },
                )
            })
            .collect();
        for record in self.store().lookup(&Lookup::HitsFoundSince(from))? {
            if let Record::Hit(h) = record
                && let Some(day) = days.get_mut(&local_date(h.found_at))
            {
                day.hits += 1;
            }
        }
        for record in self.store().lookup(&Lookup::GuestsCheckedIn { from, to })? {
            if let Record::GuestStay(g) = record
                && let Some(day) = days.get_mut(&local_date(g.check_in))
            {
                day.guests += 1;
            }
        }
        for night in self.late_declarations(from, to, now)? {
            if let Some(day) = days.get_mut(&night.night) {
                day.late += (night.late + night.undeclared) as u64;
            }
        }
        Ok(days.into_values().collect())
    }
}
