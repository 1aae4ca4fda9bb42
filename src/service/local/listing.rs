//! A page of a collection: in ID order straight off the store, or filtered and sorted;
//! and the records a page's rows name, asked for at once.

use crate::domain::text::fold;
use crate::domain::{Record, RecordId};

use super::super::{ListQuery, Page, Result, ServiceError, SortBy};
use super::LocalDesk;

impl LocalDesk {
    /// The records of `ids` that exist, for `get_many`: at most
    /// [`crate::service::MAX_GET_MANY`] at once.
    pub(super) fn records_named(&self, ids: &[RecordId]) -> Result<Vec<Record>> {
        if ids.len() > crate::service::MAX_GET_MANY {
            return Err(ServiceError::Invalid(crate::i18n::Said::new(
                format!(
                    "hỏi {} hồ sơ một lần; tối đa {}",
                    ids.len(),
                    crate::service::MAX_GET_MANY
                ),
                format!(
                    "{} records asked at once; at most {}",
                    ids.len(),
                    crate::service::MAX_GET_MANY
                ),
            )));
        }
        Ok(self.store.get_many(ids)?.into_iter().flatten().collect())
    }

    pub(super) fn list_page(&self, query: &ListQuery) -> Result<Page> {
        // A page is at most MAX_LIST_ROWS, whatever is asked: one request never makes the
        // daemon hold a whole collection (`total` still counts every match).
        let query = &ListQuery {
            limit: query.limit.min(super::super::MAX_LIST_ROWS),
            ..query.clone()
        };
        let needle = query
            .contains
            .as_deref()
            .map(fold)
            .filter(|n| !n.is_empty());
        // In ID order with no filter, the page is read straight off the tree (from its end
        // when descending) and the scan stops after it: the newest 5,000 of a million guest
        // stays decode 5,000 records, not a million.
        if needle.is_none() && query.sort == SortBy::Id {
            let end = query.offset.saturating_add(query.limit);
            let scan = self.store.first(query.kind, query.descending, end);
            let mut read = 0;
            let mut records = Vec::new();
            for record in scan {
                let record = record?;
                read += 1;
                if read > query.offset {
                    records.push(record);
                }
            }
            // A scan that ended early counted the collection itself; otherwise the store's
            // counter says (kept by every write: sled's own `len()` walks every entry,
            // 1.0–1.4 s for 500,000 guest stays).
            let total = if read < end {
                read
            } else {
                usize::try_from(self.store.count(query.kind)?)
                    .unwrap_or(usize::MAX)
                    .max(read)
            };
            return Ok(Page { total, records });
        }
        let mut records = match needle {
            Some(folded) => self.store.lookup(&crate::store::Lookup::Matching {
                kind: query.kind,
                folded,
            })?,
            None => self
                .store
                .scan(query.kind)
                .collect::<crate::store::Result<Vec<_>>>()?,
        };
        if query.sort == SortBy::Title {
            records.sort_by_cached_key(|r| (fold(&r.key_title()), r.id()));
        }
        if query.descending {
            records.reverse();
        }
        let total = records.len();
        let records = records
            .into_iter()
            .skip(query.offset)
            .take(query.limit)
            .collect();
        Ok(Page { total, records })
    }
}
