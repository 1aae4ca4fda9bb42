//! Writes that screen: guests and notices are checked against the wanted and watch lists in
//! the same write, and the hits they cause are written with them.

use crate::domain::{GuestStay, Instant, Kind, Record, RecordId};

use super::super::screening::{self, Listed, Lists};
use super::super::{Result, ServiceError};
use super::LocalDesk;

/// Guests screened between two reports of progress.
const SCREENED_PER_STEP: usize = 512;

impl LocalDesk {
    /// The hits that writing `records` raises, with their IDs: the guest stays among them
    /// screened against the active lists (as they will be after the write), and the
    /// notices and watch entries among them — or naming a person among them — screened
    /// against the guests of the last days. Pairs already hit are left out. `active`: the
    /// active lists built already (a large import's parts share them), used when `records`
    /// change none of them. `new`: IDs given to records just now (no hit names them yet).
    pub(super) fn hits_caused_by(
        &self,
        records: &[Record],
        now: Instant,
        active: Option<&Lists>,
        new: &std::collections::HashSet<RecordId>,
    ) -> Result<Vec<Record>> {
        let guests: Vec<&GuestStay> = records
            .iter()
            .filter_map(|r| match r {
                Record::GuestStay(g) => Some(g),
                _ => None,
            })
            .collect();
        let written_person = |id: RecordId| {
            records.iter().find_map(|r| match r {
                Record::Person(p) if p.id == id => Some(p.clone()),
                _ => None,
            })
        };
        let person = |id: RecordId| match written_person(id) {
            Some(p) => Ok(Some(p)),
            None => screening::person_in_store(&*self.store, id),
        };
        // Notices written now, and the active notices of persons written now.
        let mut changed: Vec<Listed> = Vec::new();
        for record in records {
            if matches!(record, Record::Wanted(_) | Record::WatchEntry(_)) {
                changed.extend(screening::listed_of(record, &person)?);
            }
        }
        if records.iter().any(|r| matches!(r, Record::Person(_))) {
            for listed in Lists::active(&*self.store)? {
                if written_person(listed.person.id).is_some()
                    && !changed.iter().any(|c| c.listed_id == listed.listed_id)
                {
                    changed.extend(screening::listed_of(
                        &self
                            .store
                            .get(listed.listed_id)?
                            .ok_or(ServiceError::NotFound(listed.listed_id))?,
                        &person,
                    )?);
                }
            }
        }
        if guests.is_empty() && changed.is_empty() {
            return Ok(Vec::new());
        }
        // Every pair weighed below names a guest written now or a notice changed now.
        let weighed: Vec<RecordId> = guests
            .iter()
            .map(|g| g.id)
            .chain(changed.iter().map(|c| c.listed_id))
            .filter(|id| !new.contains(id))
            .collect();
        let already = screening::pairs_already_hit(&*self.store, weighed)?;
        let config = &self.screening;
        let mut hits = Vec::new();
        if !guests.is_empty() {
            let built;
            let lists = match active {
                Some(lists) if changed.is_empty() => lists,
                _ => {
                    let mut lists: Vec<Listed> = Lists::active(&*self.store)?
                        .into_iter()
                        .filter(|l| !changed.iter().any(|c| c.listed_id == l.listed_id))
                        .collect();
                    lists.extend(changed.iter().cloned());
                    built = Lists::new(lists);
                    crate::progress::stage(
                        crate::progress::Stage::Screening,
                        Some(guests.len() as u64),
                    );
                    &built
                }
            };
            hits.extend(screen_in_parallel(&guests, |slice| {
                screening::hits(lists, slice, config, now, &already)
            }));
        }
        if !changed.is_empty() {
            let recent: Vec<GuestStay> =
                screening::recent_guests(&*self.store, now, config.recent_days)?
                    .into_iter()
                    .filter(|g| !guests.iter().any(|w| w.id == g.id))
                    .collect();
            let recent: Vec<&GuestStay> = recent.iter().collect();
            hits.extend(screening::hits(
                &Lists::new(changed),
                &recent,
                config,
                now,
                &already,
            ));
        }
        let first = self.store.reserve_ids(Kind::Hit, hits.len() as u64)?;
        Ok(hits
            .into_iter()
            .zip(first..)
            .map(|(mut hit, n)| {
                hit.id = RecordId::new(Kind::Hit, n);
                Record::Hit(hit)
            })
            .collect())
    }

    /// Writes `records` with the hits they raise, in one transaction; returns the hit IDs.
    /// `import`: they come from an import file (see [`LocalDesk::write_checked`]).
    pub(super) fn put_screened(
        &self,
        mut records: Vec<Record>,
        import: bool,
    ) -> Result<Vec<RecordId>> {
        let hits = self.hits_caused_by(&records, self.now(), None, &Default::default())?;
        let ids = hits.iter().map(Record::id).collect();
        records.extend(hits);
        crate::progress::stage(crate::progress::Stage::Writing, None);
        self.write_checked(
            crate::store::Write {
                records: &records,
                ..Default::default()
            },
            import,
            None,
        )?;
        self.follow_in_search();
        Ok(ids)
    }
}

/// Screens `guests` on every core (a large import's longest step but for the write), in
/// slices so that progress shows how far it has got; the hits come back in the guests'
/// order, as one thread would give them.
fn screen_in_parallel<F>(guests: &[&GuestStay], screen: F) -> Vec<crate::domain::Hit>
where
    F: Fn(&[&GuestStay]) -> Vec<crate::domain::Hit> + Sync,
{
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let per_thread = guests.len().div_ceil(threads).max(SCREENED_PER_STEP);
    let screen = &screen;
    std::thread::scope(|scope| {
        let workers: Vec<_> = guests
            .chunks(per_thread)
            .map(|part| {
                scope.spawn(move || {
                    let mut hits = Vec::new();
                    for slice in part.chunks(SCREENED_PER_STEP) {
                        hits.extend(screen(slice));
                        crate::progress::advance(slice.len() as u64);
                    }
                    hits
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))
            })
            .collect()
    })
}
