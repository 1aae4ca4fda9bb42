//! The lodging check lists the desk computes: late and missing guest declarations per
//! establishment and night, and which establishments to inspect next.

use std::collections::HashMap;

use crate::domain::declarations::{DeclarationStatus, late_nights};
use crate::domain::inspection_priority::{LastInspection, PriorityInput, score};
use crate::domain::time::local_date;
use crate::domain::{CheckResult, Establishment, GuestStay, Instant, Kind, Record, RecordId};

use super::super::{DeskApi, HitCounts, InspectionCandidate, LateNight, Result};
use super::LocalDesk;

impl LocalDesk {
    pub(super) fn stays_checked_in(&self, from: Instant, to: Instant) -> Result<Vec<GuestStay>> {
        Ok(self
            .guests_checked_in(from, to)?
            .into_iter()
            .filter_map(|r| match r {
                Record::GuestStay(g) => Some(g),
                _ => None,
            })
            .collect())
    }

    /// The establishments these stays name, by ID (one read each).
    pub(super) fn establishments_of(
        &self,
        stays: &[GuestStay],
    ) -> Result<HashMap<RecordId, Establishment>> {
        let mut out = HashMap::new();
        for stay in stays {
            if !out.contains_key(&stay.establishment_id)
                && let Some(Record::Establishment(e)) = self.store.get(stay.establishment_id)?
            {
                out.insert(e.id, e);
            }
        }
        Ok(out)
    }

    /// Whether each establishment is in a remote commune, for the foreign-guest deadline.
    pub(super) fn remoteness(
        &self,
        places: &HashMap<RecordId, Establishment>,
    ) -> HashMap<RecordId, bool> {
        places
            .values()
            .map(|e| (e.id, self.rules.is_remote(&e.commune)))
            .collect()
    }

    pub(super) fn late_declarations_between(
        &self,
        from: Instant,
        to: Instant,
        now: Instant,
    ) -> Result<Vec<LateNight>> {
        let stays = self.stays_checked_in(from, to)?;
        let places = self.establishments_of(&stays)?;
        let remote = self.remoteness(&places);
        let board = late_nights(
            &stays,
            |id| remote.get(&id).copied().unwrap_or(false),
            &self.rules,
            now,
        );
        Ok(board
            .into_iter()
            .map(|n| {
                let place = places.get(&n.establishment_id);
                LateNight {
                    establishment_id: n.establishment_id,
                    establishment: place.map_or_else(String::new, |e| e.name.clone()),
                    commune: place.map_or_else(String::new, |e| e.commune.clone()),
                    night: n.night,
                    guests: n.guests,
                    late: n.late.len(),
                    undeclared: n.undeclared.len(),
                    band: n.band(),
                    late_ids: n.late,
                    undeclared_ids: n.undeclared,
                }
            })
            .collect())
    }

    pub(super) fn inspection_candidates_at(
        &self,
        now: Instant,
        hits: &HitCounts,
    ) -> Result<Vec<InspectionCandidate>> {
        let mut places = HashMap::new();
        for record in self.store.scan(Kind::Establishment) {
            if let Record::Establishment(e) = record? {
                places.insert(e.id, e);
            }
        }
        let remote = self.remoteness(&places);
        // The latest inspection of each place (by date, then by ID for two on one day).
        let last: HashMap<RecordId, crate::domain::Inspection> = self
            .store
            .lookup(&crate::store::Lookup::LatestInspections)?
            .into_iter()
            .filter_map(|r| match r {
                Record::Inspection(i) => Some((i.establishment_id, i)),
                _ => None,
            })
            .collect();
        // Late and undeclared among the guests of the last 30 days.
        let mut declarations: HashMap<RecordId, (usize, usize)> = HashMap::new();
        for stay in self.stays_checked_in(now - chrono::Duration::days(30), now)? {
            let is_remote = remote.get(&stay.establishment_id).copied().unwrap_or(false);
            let counts = declarations.entry(stay.establishment_id).or_default();
            match self.rules.assess(&stay, is_remote, now).status {
                DeclarationStatus::Late => counts.0 += 1,
                DeclarationStatus::Undeclared => counts.1 += 1,
                DeclarationStatus::OnTime | DeclarationStatus::NotYetDue => {}
            }
        }
        let today = local_date(now);
        let mut out: Vec<InspectionCandidate> = places
            .into_values()
            .map(|e| {
                let (late, undeclared) = declarations.get(&e.id).copied().unwrap_or_default();
                let inspection = last.get(&e.id);
                let last_inspection = inspection.map(|i| LastInspection {
                    date: i.date,
                    failed_items: i
                        .items
                        .iter()
                        .filter(|c| c.result == CheckResult::Fail)
                        .count(),
                    violations: i.violations.len(),
                });
                let hits = hits.get(&e.id).copied().unwrap_or(0);
                let priority = score(
                    &PriorityInput {
                        risk: e.risk,
                        late,
                        undeclared,
                        last_inspection,
                        hits,
                    },
                    today,
                );
                InspectionCandidate {
                    establishment_id: e.id,
                    establishment: e.name,
                    commune: e.commune,
                    risk: e.risk,
                    score: priority.score,
                    last_inspection: last_inspection.map(|l| l.date),
                    late,
                    undeclared,
                    failed_items: last_inspection.map_or(0, |l| l.failed_items),
                    violations: last_inspection.map_or(0, |l| l.violations),
                    hits,
                    factors: priority.factors,
                }
            })
            .collect();
        // Highest score first; on a tie the longest uninspected (never first), then by ID.
        out.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then(a.last_inspection.cmp(&b.last_inspection))
                .then(a.establishment_id.cmp(&b.establishment_id))
        });
        Ok(out)
    }
}
