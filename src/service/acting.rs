//! Who acts and when, on what a write adds: filled in from the session, never taken from the
//! client. A "who" field left empty (number 0) becomes the session's officer; one that names
//! someone else is left as sent, and the record's rules refuse it
//! ([`crate::domain::rules`]) — a forged signature is an error, not silently corrected. A
//! "when" of acting (a log entry's time, an appended step's) is the session's time.
//!
//! Also here: which kinds the plain `save` refuses, naming the request that writes them.

use crate::domain::rules::Refusal;
use crate::domain::{Instant, Kind, Record, RecordId};

use super::{LocalDesk, Result, ServiceError};

impl LocalDesk {
    /// The officer acting for this request, if the session has one.
    pub(super) fn acting_officer(&self) -> Option<RecordId> {
        self.session_act().map(|(officer, _)| officer)
    }

    /// The session's officer and the request's time, when a session with an officer acts.
    fn session_act(&self) -> Option<(RecordId, Instant)> {
        let officer = self.actor_officer()?;
        Some((officer, self.now()))
    }

    /// `given`, or the acting officer when `given` is empty (number 0).
    pub(super) fn officer_or_acting(&self, given: RecordId) -> RecordId {
        match self.acting_officer() {
            Some(me) if given.num() == 0 => me,
            _ => given,
        }
    }

    /// A "who" argument of a read or a restricted write (the reader of an informant or a
    /// note, a note's author): the acting officer (an empty one, number 0, is filled in);
    /// another officer is refused — a client cannot read or write as someone else. Without
    /// a session officer (the store's owner, tests), as given.
    pub(super) fn as_acting(
        &self,
        given: Option<RecordId>,
        record: RecordId,
        field: &str,
    ) -> Result<Option<RecordId>> {
        let Some(me) = self.acting_officer() else {
            return Ok(given);
        };
        match given {
            Some(other) if other != me && other.num() != 0 => {
                Err(ServiceError::Rule(Refusal::NotTheActingOfficer {
                    id: record,
                    field: field.into(),
                    given: other,
                    acting: me,
                }))
            }
            _ => Ok(Some(me)),
        }
    }

    /// The officer and time of a dedicated request: `given` filled in when empty, and the
    /// session's time when a session acts (the client's otherwise: tests, tools).
    pub(super) fn who_and_when(&self, given: RecordId, at: Instant) -> (RecordId, Instant) {
        match self.session_act() {
            Some((_, now)) => (self.officer_or_acting(given), now),
            None => (given, chrono::SubsecRound::trunc_subsecs(at, 0)),
        }
    }

    /// Fills who acted and when on what `record` adds to `old` (see the module doc).
    pub(super) fn fill_acting(&self, record: &mut Record, old: Option<&Record>) {
        let Some((me, now)) = self.session_act() else {
            return;
        };
        let fill = |id: &mut RecordId| {
            if id.num() == 0 {
                *id = me;
            }
        };
        match (record, old) {
            (Record::DutyLog(entry), None) => {
                fill(&mut entry.officer_id);
                entry.at = now;
            }
            (Record::Sighting(s), None) => fill(&mut s.officer_id),
            (Record::Inspection(i), None) => fill(&mut i.officer_id),
            (Record::WatchEntry(e), None) => {
                fill(&mut e.added_by);
                e.added_at = now;
            }
            (Record::Case(c), old) => {
                let kept = match old {
                    Some(Record::Case(o)) => o.history.len(),
                    _ => {
                        fill(&mut c.recorded_by);
                        c.recorded_at = now;
                        0
                    }
                };
                for step in c.history.iter_mut().skip(kept) {
                    fill(&mut step.officer_id);
                    step.at = now;
                }
            }
            (Record::Wanted(w), old) => {
                let kept = match old {
                    Some(Record::Wanted(o)) => o.history.len(),
                    _ => 0,
                };
                for change in w.history.iter_mut().skip(kept) {
                    let by = change.by.get_or_insert(me);
                    fill(by);
                    change.at = now;
                }
            }
            _ => {}
        }
    }

    /// The plain `save` does not write the kinds that have their own requests (and rules
    /// of their own at the door): it says which request to use.
    pub(super) fn refuse_dedicated(&self, record: &Record) -> Result<()> {
        let request = match record.kind() {
            Kind::Hit => {
                "add_hit_step (a hit is raised by screening; its handling is added step by step)"
            }
            Kind::Handover => "sign_handover and acknowledge_handover",
            Kind::Tip => "save_tip and tip_step",
            _ => return Ok(()),
        };
        Err(ServiceError::Rule(Refusal::UseRequest {
            id: record.id(),
            request: request.into(),
        }))
    }
}
