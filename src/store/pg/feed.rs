//! The change feed on PostgreSQL. Each write adds one row per record it wrote, numbered by
//! its transaction ID. Those IDs are given when a transaction starts writing, not when it
//! commits: a slow writer with a lower ID may commit after a quick one with a higher ID.
//! So a reader reads only below the xmin of its snapshot — the oldest transaction still
//! running — where every transaction has finished: a change can never appear behind a
//! cursor that has passed it. The generation is the newest change so numbered; nothing
//! is counted in a row every write updates.
//!
//! Readers are the daemons' search indexes, several per database: each says how far it
//! has saved (`feed_readers`), and the feed is pruned only below the slowest reader seen
//! in the last day; a reader that falls behind what was pruned rebuilds (the cache floor
//! is raised to what was pruned).

use crate::domain::RecordId;
use crate::store::Result;
use r2d2_postgres::postgres::types::ToSql;

use r2d2_postgres::postgres;

use super::PgBackend;

/// The channel every write notifies at its commit: a wake-up for the other daemons.
pub(super) const CHANNEL: &str = "trucban_changes";

/// Below this, every transaction has finished.
const XMIN: &str = "txid_snapshot_xmin(txid_current_snapshot())";

fn as_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl PgBackend {
    /// Waits for a write's NOTIFY on [`CHANNEL`], at most `timeout`. A listener that
    /// cannot connect or breaks waits out the timeout and is made again next time: the
    /// caller then only polls.
    pub(super) fn wait_for_notice(&self, timeout: std::time::Duration) -> bool {
        let mut listener = self
            .listener
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if listener.is_none() {
            let mut config = self.config.clone();
            config.connect_timeout(timeout);
            *listener = config
                .connect(postgres::NoTls)
                .and_then(|mut client| {
                    client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
                    Ok(client)
                })
                .ok();
        }
        let Some(client) = listener.as_mut() else {
            drop(listener);
            std::thread::sleep(timeout);
            return false;
        };
        use postgres::fallible_iterator::FallibleIterator;
        let woken = client
            .notifications()
            .timeout_iter(timeout)
            .next()
            .map(|notice| notice.is_some());
        let Ok(woken) = woken else {
            *listener = None;
            return false;
        };
        // Several writes may have notified: one wake-up answers them all.
        while let Ok(Some(_)) = client.notifications().iter().next() {}
        if client.is_closed() {
            *listener = None;
        }
        woken
    }

    pub(super) fn feed_generation(&self) -> Result<u64> {
        generation_in(&mut *self.connection()?)
    }

    pub(super) fn floor(&self) -> Result<u64> {
        let n: i64 = self
            .connection()?
            .query_one(
                "SELECT COALESCE(max(value), 0) FROM meta WHERE key IN ('cache_floor', 'pruned')",
                &[],
            )?
            .get(0);
        Ok(as_u64(n))
    }

    pub(super) fn id_of_store(&self) -> Result<u64> {
        let n: i64 = self
            .connection()?
            .query_one("SELECT value FROM meta WHERE key = 'store_id'", &[])?
            .get(0);
        Ok(as_u64(n))
    }

    /// Records changed after `generation` (below xmin), each once with its last change, in
    /// kind then number order as the sled engine answers.
    pub(super) fn changed_since(&self, generation: u64) -> Result<Vec<(RecordId, u64)>> {
        let since = i64::try_from(generation).unwrap_or(i64::MAX);
        let rows = self.connection()?.query(
            &format!(
                "SELECT kind, num, max(txid) FROM changes
                 WHERE txid > $1 AND txid < {XMIN} AND kind IS NOT NULL
                 GROUP BY kind, num"
            ),
            &[&since],
        )?;
        let mut out: Vec<(RecordId, u64)> = rows
            .iter()
            .filter_map(|row| {
                let kind = super::records::kind_named(row.get(0))?;
                let id = RecordId::new(kind, as_u64(row.get(1)));
                Some((id, as_u64(row.get(2))))
            })
            .collect();
        out.sort_by_key(|(id, _)| (id.kind().index(), id.num()));
        Ok(out)
    }

    /// This reader has saved up to `generation`: forgets the changes every reader seen in
    /// the last day has saved, keeping the newest row (the generation never goes back).
    pub(super) fn prune(&self, generation: u64) -> Result<()> {
        let upto = i64::try_from(generation).unwrap_or(i64::MAX);
        let reader = self.reader.clone();
        self.transaction(|tx| {
            tx.execute(
                "INSERT INTO feed_readers (reader, txid) VALUES ($1, $2)
                 ON CONFLICT (reader) DO UPDATE SET txid = excluded.txid, seen_at = now()",
                &[&reader as &(dyn ToSql + Sync), &upto],
            )?;
            tx.execute(
                "DELETE FROM feed_readers WHERE seen_at < now() - interval '1 day'",
                &[],
            )?;
            let slowest: i64 = tx
                .query_one("SELECT COALESCE(min(txid), 0) FROM feed_readers", &[])?
                .get(0);
            let pruned: Option<i64> = tx
                .query_one(
                    "WITH gone AS (
                        DELETE FROM changes
                        WHERE txid <= $1 AND txid < (SELECT max(txid) FROM changes)
                        RETURNING txid)
                     SELECT max(txid) FROM gone",
                    &[&slowest.min(upto)],
                )?
                .get(0);
            if let Some(pruned) = pruned {
                tx.execute(
                    "UPDATE meta SET value = GREATEST(value, $1) WHERE key = 'pruned'",
                    &[&pruned],
                )?;
            }
            Ok(())
        })
    }
}

/// The feed's generation as `client` sees it (a snapshot's own, in a transaction).
pub(super) fn generation_in(client: &mut impl postgres::GenericClient) -> Result<u64> {
    let n: i64 = client
        .query_one(
            &format!("SELECT COALESCE(max(txid), 0) FROM changes WHERE txid < {XMIN}"),
            &[],
        )?
        .get(0);
    Ok(as_u64(n))
}
