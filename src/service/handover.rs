//! The shift handover and the periodic report, served by [`LocalDesk`]: the records of a
//! shift's window read into [`handover::Inputs`] for the pure composition, the sign-off and
//! the acknowledgement (after which a handover is refused every change, whichever door the
//! change comes through: `save`, `import`, sign-off), and the report's records.

use std::collections::BTreeMap;

use crate::domain::handover::{self, DueItem, Inputs, LateItem, Sheet};
use crate::domain::report::{self, Period, Report};
use crate::domain::shifts::ShiftWindow;
use crate::domain::text::{describe_char, find_hostile_multiline, nfc};
use crate::domain::time::{local_date, local_day_start};
use crate::domain::{Acknowledgement, Handover, Instant, Kind, Record, RecordId};
use crate::i18n::Lang;

use super::{DeskApi, LocalDesk, Result, ServiceError};
use crate::domain::rules::Refusal;

/// How many establishments of the inspection list the handover names.
pub const DUE_ON_SHEET: usize = 5;

fn refuse_hostile(what: &str, text: &str) -> Result<()> {
    match find_hostile_multiline(text) {
        Some((at, c)) => Err(ServiceError::invalid(
            format!(
                "{what} chứa {} ở ký tự thứ {} (xoá ký tự đó)",
                describe_char(c),
                at + 1
            ),
            format!(
                "{what} contains {} at character {} (remove it)",
                describe_char(c),
                at + 1
            ),
        )),
        None => Ok(()),
    }
}

impl LocalDesk {
    fn all(&self, kind: Kind) -> Result<Vec<Record>> {
        Ok(self
            .store()
            .scan(kind)
            .collect::<crate::store::Result<Vec<_>>>()?)
    }

    /// Records of `kind` that happened in the shift ([`Record::moment`]), asked of the store.
    fn happened_in(&self, kind: Kind, shift: ShiftWindow) -> Result<Vec<Record>> {
        Ok(self.store().lookup(&crate::store::Lookup::Happened {
            kind,
            from: shift.start,
            to: shift.end,
        })?)
    }

    /// The handover written for the shift starting at `start`, if any.
    pub(super) fn handover_starting(&self, start: Instant) -> Result<Option<Handover>> {
        let found = self
            .store()
            .lookup(&crate::store::Lookup::HandoverStarting(start))?;
        Ok(found.into_iter().find_map(|r| match r {
            Record::Handover(h) => Some(h),
            _ => None,
        }))
    }

    /// Refuses a write that would change an acknowledged handover (the same values again
    /// are not a change: an export imported back stays possible).
    pub(super) fn refuse_changing_closed(&self, records: &[Record]) -> Result<()> {
        for record in records {
            if let Record::Handover(new) = record
                && let Some(Record::Handover(old)) = self.store().get(new.id)?
                && old.is_closed()
                && old != *new
            {
                return Err(ServiceError::Rule(Refusal::Closed {
                    id: new.id,
                    what: "acknowledged".into(),
                }));
            }
        }
        Ok(())
    }

    fn name_of(&self, id: RecordId) -> Result<Option<String>> {
        Ok(match self.store().get(id)? {
            Some(Record::Person(p)) => Some(p.full_name),
            Some(Record::Officer(o)) => Some(format!("{} {}", o.rank, o.full_name)),
            Some(Record::Establishment(e)) => Some(e.name),
            Some(Record::GuestStay(g)) => Some(g.guest.full_name),
            Some(Record::WatchEntry(e)) => self.name_of(e.person_id)?,
            _ => None,
        })
    }

    pub(super) fn sheet(
        &self,
        shift: ShiftWindow,
        next: ShiftWindow,
        now: Instant,
        lang: Lang,
    ) -> Result<Sheet> {
        let now = now.min(shift.end);
        let mut inputs = Inputs {
            window: Some(shift),
            now: Some(now),
            ..Inputs::default()
        };
        let changed = crate::store::Lookup::NoticesChangedIn {
            from: shift.start,
            to: shift.end,
        };
        for record in self.store().lookup(&changed)? {
            if let Record::Wanted(n) = record {
                inputs.notices.push(n);
            }
        }
        for record in self.happened_in(Kind::WatchEntry, shift)? {
            if let Record::WatchEntry(e) = record {
                inputs.watch_entries.push(e);
            }
        }
        for record in self.happened_in(Kind::Sighting, shift)? {
            if let Record::Sighting(s) = record {
                inputs.sightings.push(s);
            }
        }
        inputs.tips_received = self.tips_received(shift.start, shift.end)?;
        inputs.tips_overdue = self.tips_overdue(now)?;
        // Recorded in the shift, or cleared in it whenever recorded: the whole file is read
        // (a case's clearance is not a moment the store looks up by).
        for record in self.all(Kind::Case)? {
            if let Record::Case(c) = record
                && (shift.contains(c.recorded_at)
                    || c.cleared_at().is_some_and(|at| shift.contains(at)))
            {
                inputs.cases.push(c);
            }
        }
        // Open now, or closed during the shift.
        let handed_over = crate::store::Lookup::HitsOpenAtOrClosedIn {
            at: now,
            from: shift.start,
            to: shift.end,
        };
        for record in self.store().lookup(&handed_over)? {
            if let Record::Hit(h) = record {
                inputs.hits.push(h);
            }
        }
        // Guests of the day before as well: an undeclared guest of last evening falls due
        // (08:00) in the morning shift.
        let late =
            self.late_declarations(shift.start - chrono::Duration::days(1), shift.end, now)?;
        inputs.late = late
            .into_iter()
            .filter(|n| n.late + n.undeclared > 0)
            .map(|n| LateItem {
                establishment_id: n.establishment_id,
                night: n.night,
                late: n.late,
                undeclared: n.undeclared,
            })
            .collect();
        // Inspections of the local days the shift covers (the sheet keeps those days).
        let days = crate::store::Lookup::Happened {
            kind: Kind::Inspection,
            from: local_day_start(local_date(shift.start), 0),
            to: local_day_start(local_date(shift.end - chrono::Duration::seconds(1)), 24),
        };
        for record in self.store().lookup(&days)? {
            if let Record::Inspection(i) = record {
                inputs.inspections.push(i);
            }
        }
        let hits = self.hit_counts(now - chrono::Duration::days(30))?;
        inputs.due = self
            .inspection_candidates(now, &hits)?
            .into_iter()
            .take(DUE_ON_SHEET)
            .map(|c| DueItem {
                establishment_id: c.establishment_id,
                score: c.score,
            })
            .collect();
        for record in self.happened_in(Kind::DutyLog, shift)? {
            if let Record::DutyLog(e) = record {
                inputs.log.push(e);
            }
        }
        let (date, slot) = next.roster_slot();
        for record in self.roster_on(date)? {
            if let Record::Assignment(a) = record
                && a.shift == slot
            {
                inputs.next_roster.push(a);
            }
        }
        let handover = self.handover_starting(shift.start)?;
        let mut named: Vec<RecordId> = Vec::new();
        named.extend(inputs.notices.iter().map(|n| n.person_id));
        named.extend(inputs.watch_entries.iter().map(|e| e.person_id));
        named.extend(inputs.sightings.iter().map(|s| s.entry_id));
        named.extend(
            inputs
                .hits
                .iter()
                .flat_map(|h| [h.person_id, h.guest_stay_id]),
        );
        named.extend(inputs.late.iter().map(|l| l.establishment_id));
        named.extend(inputs.inspections.iter().map(|i| i.establishment_id));
        named.extend(inputs.due.iter().map(|d| d.establishment_id));
        named.extend(inputs.next_roster.iter().map(|a| a.officer_id));
        named.extend(inputs.tips_overdue.iter().filter_map(|t| t.verifier));
        named.sort();
        named.dedup();
        for id in named {
            if let Some(name) = self.name_of(id)? {
                inputs.names.insert(id, name);
            }
        }
        let mut officers = BTreeMap::new();
        if let Some(h) = &handover {
            let ids = [
                Some(h.from_officer),
                h.to_officer,
                h.acknowledged.as_ref().map(|a| a.officer),
            ];
            for id in ids.into_iter().flatten() {
                if let Some(name) = self.name_of(id)? {
                    officers.insert(id, name);
                }
            }
        }
        Ok(Sheet {
            window: shift,
            sections: handover::compose(&inputs, lang),
            under_way: now < shift.end,
            handover,
            officers,
            // The deployment's unit: the printing side's config fills it in.
            unit: Vec::new(),
        })
    }

    pub(super) fn sign(
        &self,
        shift: ShiftWindow,
        officer: RecordId,
        text: &str,
        at: Instant,
    ) -> Result<Record> {
        refuse_hostile("the handover text", text)?;
        let (officer, at) = self.who_and_when(officer, at);
        let handover = match self.handover_starting(shift.start)? {
            Some(h) if h.is_closed() => {
                return Err(ServiceError::Rule(Refusal::Closed {
                    id: h.id,
                    what: "acknowledged".into(),
                }));
            }
            Some(h) => Handover {
                from_officer: officer,
                text: nfc(text),
                signed_at: Some(at),
                ..h
            },
            None => Handover {
                id: RecordId::new(Kind::Handover, self.store().reserve_ids(Kind::Handover, 1)?),
                shift_start: shift.start,
                shift_end: shift.end,
                from_officer: officer,
                to_officer: None,
                text: nfc(text),
                signed_at: Some(at),
                acknowledged: None,
            },
        };
        let record = Record::Handover(handover);
        self.write_records(std::slice::from_ref(&record))?;
        Ok(record)
    }

    pub(super) fn acknowledge(
        &self,
        id: RecordId,
        officer: RecordId,
        remarks: &str,
        at: Instant,
    ) -> Result<Record> {
        let Some(Record::Handover(mut h)) = self.store().get(id)? else {
            return Err(ServiceError::NotFound(id));
        };
        refuse_hostile("the remarks", remarks)?;
        let (officer, at) = self.who_and_when(officer, at);
        if h.is_closed() {
            return Err(ServiceError::Rule(Refusal::Closed {
                id,
                what: "acknowledged".into(),
            }));
        }
        if h.signed_at.is_none() {
            return Err(ServiceError::Rule(Refusal::Step {
                id,
                reason: crate::domain::rules::StepReason::Unsigned,
            }));
        }
        if officer == h.from_officer {
            return Err(ServiceError::Rule(Refusal::SelfAcknowledged {
                id,
                officer,
            }));
        }
        if !matches!(self.store().get(officer)?, Some(Record::Officer(_))) {
            return Err(ServiceError::NotFound(officer));
        }
        h.to_officer = Some(officer);
        h.acknowledged = Some(Acknowledgement {
            officer,
            at,
            remarks: nfc(remarks.trim()),
        });
        let record = Record::Handover(h);
        self.write_records(std::slice::from_ref(&record))?;
        Ok(record)
    }

    pub(super) fn period_report(&self, period: Period, lang: Lang) -> Result<Report> {
        self.with_report_records(period, |records| report::report(period, records, lang))
    }

    /// The records behind one line of the report (see [`report::records_behind`]).
    pub(super) fn period_records(&self, period: Period, key: &str) -> Result<Vec<RecordId>> {
        self.with_report_records(period, |records| {
            report::records_behind(period, records, key)
        })
    }

    /// Reads what a report of `period` counts and hands it to `count`.
    fn with_report_records<T>(
        &self,
        period: Period,
        count: impl FnOnce(report::Records) -> T,
    ) -> Result<T> {
        // The report compares the period with the one before: what happened (sightings,
        // inspections, officer-shifts) is asked for both periods' days; the notices, groups
        // and campaigns are the whole file (the notices still wanted and the groups on file
        // are counted as they stand), and so are the hits (a hit counts where it was found
        // and where it was closed).
        let span_start = local_day_start(period.previous().from, 0);
        let happened = |kind: Kind| -> Result<Vec<Record>> {
            Ok(self.store().lookup(&crate::store::Lookup::Happened {
                kind,
                from: span_start,
                to: period.end(),
            })?)
        };
        macro_rules! collect {
            ($records:expr, $variant:ident) => {
                $records
                    .into_iter()
                    .filter_map(|r| match r {
                        Record::$variant(x) => Some(x),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            };
        }
        let notices = collect!(self.all(Kind::Wanted)?, Wanted);
        let groups = collect!(self.all(Kind::Group)?, Group);
        let sightings = collect!(happened(Kind::Sighting)?, Sighting);
        let hits = collect!(self.all(Kind::Hit)?, Hit);
        let inspections = collect!(happened(Kind::Inspection)?, Inspection);
        let campaigns = collect!(self.all(Kind::Campaign)?, Campaign);
        let assignments = collect!(happened(Kind::Assignment)?, Assignment);
        // Cases count where recorded and where cleared, against a baseline that may lie
        // years back: the whole file. Tips: those received in both periods.
        let cases = collect!(self.all(Kind::Case)?, Case);
        let tips = collect!(happened(Kind::Tip)?, Tip);
        Ok(count(report::Records {
            notices: &notices,
            groups: &groups,
            sightings: &sightings,
            hits: &hits,
            inspections: &inspections,
            campaigns: &campaigns,
            assignments: &assignments,
            cases: &cases,
            tips: &tips,
            as_of: self.now(),
            baseline: self.report_baseline(),
        }))
    }
}
