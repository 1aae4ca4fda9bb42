//! `trucban check`: proves a store whole, or says what is wrong with it.
//!
//! Every record decodes, sits under its own ID in its own kind's tree, and names only
//! records that exist; the counts in `meta` agree with the trees; every record has each of
//! its index entries and the indexes hold nothing else; the change log names existing
//! records at generations the store has reached; every restricted value belongs to an
//! existing tip and decodes; every unit's audit chain verifies against its head. Runs
//! under [`super::faults::guard`]: damage that makes sled panic is reported, not raised.

use std::collections::HashSet;

use serde::Serialize;

use super::{Index, Result, SledBackend, faults, indexes, keys, restricted};
use crate::domain::{Kind, RecordId};

/// Problems listed before the rest are only counted.
const MAX_PROBLEMS: usize = 100;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CheckReport {
    /// Records per collection, in `Kind::ALL` order.
    pub counts: Vec<(String, u64)>,
    pub index_entries: u64,
    /// Entries of the audit chains, verified link by link against their heads.
    pub audit_entries: u64,
    /// What is wrong, one line each (at most [`MAX_PROBLEMS`]); empty when the store is whole.
    pub problems: Vec<String>,
    /// Problems found beyond those listed.
    pub more_problems: u64,
}

impl CheckReport {
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }

    pub(super) fn problem(&mut self, text: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(text);
        } else {
            self.more_problems += 1;
        }
    }
}

impl SledBackend {
    /// Verifies the whole store (see the module doc). `Err` only when the store cannot be
    /// read at all; a store that reads but is wrong gives a report with problems.
    ///
    /// Holds the gate exclusive while it reads (as a backup does): on a store a daemon
    /// serves, a write half applied across trees would read as damage. Writes wait.
    pub fn check(&self) -> Result<CheckReport> {
        let _gate = self
            .gate
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        faults::guard(&self.dir, || self.check_unguarded())
    }

    fn check_unguarded(&self) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        // Keys whose value is not a record of their own (it does not decode, or holds another
        // kind's): named once, and counted as absent where others name them. Only damage
        // grows it.
        let mut unreadable: HashSet<RecordId> = HashSet::new();
        let mut expected = [0u64; Index::ALL.len()];
        let mut missing = [0u64; Index::ALL.len()];
        let total: u64 = Kind::ALL.iter().map(|k| self.count(*k) as u64).sum();
        crate::progress::stage(crate::progress::Stage::Checking, Some(total));
        for kind in Kind::ALL {
            let tree_name = format!("rec/{}", kind.name());
            let mut n = 0u64;
            for item in self.tree(kind).iter() {
                let (key, value) = item?;
                n += 1;
                if n.is_multiple_of(256) {
                    crate::progress::advance(256);
                }
                if key.len() != 8 {
                    report.problem(format!("{tree_name}: a key of {} bytes", key.len()));
                    continue;
                }
                let record = match self.decode(kind, &key, &value) {
                    Ok(record) => record,
                    Err(e) => {
                        report.problem(e.to_string());
                        unreadable.extend(keys::id_from_key_tail(kind, &key));
                        continue;
                    }
                };
                if record.id().kind() != kind {
                    report.problem(format!("{tree_name}: holds {}", record.id()));
                    unreadable.extend(keys::id_from_key_tail(kind, &key));
                    continue;
                }
                // Looked up in the store, not kept: a set of every ID would grow with it.
                for (field, target) in record.references() {
                    if !self.holds(target, &unreadable)? {
                        report.problem(format!(
                            "{}: field {field} names {target}, which is not in the store",
                            record.id()
                        ));
                    }
                }
                let mut entries = indexes::entries(&record);
                entries.sort();
                entries.dedup();
                for (index, index_key) in entries {
                    expected[index.position()] += 1;
                    if !self.index_tree(index).contains_key(&index_key)? {
                        missing[index.position()] += 1;
                        report.problem(format!(
                            "{}: no entry for {} (the record is there, its index entry is not)",
                            index.tree_name(),
                            record.id()
                        ));
                    }
                }
            }
            let counted = self.count(kind) as u64;
            if counted != n {
                report.problem(format!(
                    "meta: the count of {} says {counted}, the tree holds {n}",
                    kind.name()
                ));
            }
            report.counts.push((kind.name().to_string(), n));
        }
        // The indexes and change log: counted no further, still alive on screen.
        crate::progress::stage(crate::progress::Stage::Checking, None);
        for index in Index::ALL {
            let at = index.position();
            self.check_index(index, expected[at], missing[at], &mut report)?;
        }
        self.check_meta_and_changes(&unreadable, &mut report)?;
        self.check_restricted(&unreadable, &mut report)?;
        match self.verify_audit_held()? {
            Ok(n) => report.audit_entries = n,
            Err(broken) => report.problem(format!("audit: {broken}")),
        }
        Ok(report)
    }

    /// An index holds exactly the entries its records give. Each of those was looked up
    /// from its record already, and entries of different records differ (each key ends
    /// with its record's ID): so when none was missing and the index holds as many as the
    /// records give, it holds nothing else, and reading each entry's record again (twice
    /// the time of the whole check) is needed only when the counts disagree, to name the
    /// stale ones.
    fn check_index(
        &self,
        index: Index,
        expected: u64,
        missing: u64,
        report: &mut CheckReport,
    ) -> Result<()> {
        let tree = self.index_tree(index);
        let mut n = 0u64;
        for item in tree.iter() {
            let (_, value) = item?;
            n += 1;
            if !value.is_empty() {
                report.problem(format!(
                    "{}: an entry with a value ({} bytes)",
                    index.tree_name(),
                    value.len()
                ));
            }
        }
        report.index_entries += n;
        if n + missing != expected {
            for item in tree.iter() {
                let (key, _) = item?;
                index_entry_has_record(self, index, &key, report)?;
            }
        }
        if n < expected {
            report.problem(format!(
                "{}: {n} entries, the records give {expected}",
                index.tree_name()
            ));
        }
        Ok(())
    }

    /// Whether the store holds `id` as a record that reads.
    fn holds(&self, id: RecordId, unreadable: &HashSet<RecordId>) -> Result<bool> {
        Ok(!unreadable.contains(&id) && self.contains(id)?)
    }

    fn check_meta_and_changes(
        &self,
        unreadable: &HashSet<RecordId>,
        report: &mut CheckReport,
    ) -> Result<()> {
        match self.meta.get(b"schema_version")? {
            Some(v) if v.as_ref() == super::schema::SCHEMA_VERSION.to_be_bytes() => {}
            other => report.problem(format!(
                "meta: schema_version is {:02x?}, expected {}",
                other.as_deref(),
                super::schema::SCHEMA_VERSION
            )),
        }
        let generation = self.generation()?;
        let floor = self.cache_floor()?;
        if floor > generation {
            report.problem(format!(
                "meta: the cache floor {floor} is past the generation {generation}"
            ));
        }
        for item in self.changes.iter() {
            let (key, value) = item?;
            let at = <[u8; 8]>::try_from(value.as_ref()).map(u64::from_be_bytes);
            match (super::changes::id_of_change_key(&key), at) {
                (Some(id), Ok(at)) if key.len() == 9 => {
                    if at > generation {
                        report.problem(format!(
                            "changes: {id} changed at generation {at}, past the store's {generation}"
                        ));
                    }
                    if !self.holds(id, unreadable)? {
                        report.problem(format!("changes: {id} is logged but not in the store"));
                    }
                }
                _ => report.problem(format!("changes: an entry that does not read ({key:02x?})")),
            }
        }
        Ok(())
    }

    fn check_restricted(
        &self,
        unreadable: &HashSet<RecordId>,
        report: &mut CheckReport,
    ) -> Result<()> {
        for item in self.restricted.iter() {
            let (key, _) = item?;
            let Some(tip) = keys::id_from_key_tail(Kind::Tip, &key).filter(|_| key.len() == 8)
            else {
                report.problem(format!("{}: a key that does not read", restricted::TREE));
                continue;
            };
            if !self.holds(tip, unreadable)? {
                report.problem(format!(
                    "{}: an informant for {tip}, which is not in the store",
                    restricted::TREE
                ));
            }
            if let Err(e) = self.informant(tip) {
                report.problem(e.to_string());
            }
        }
        Ok(())
    }
}

/// An index entry must point to a record that gives exactly this key.
fn index_entry_has_record(
    store: &SledBackend,
    index: Index,
    key: &[u8],
    report: &mut CheckReport,
) -> Result<()> {
    let Some(id) = keys::id_from_key_tail(index.target(), key) else {
        report.problem(format!(
            "{}: a key too short to name a record",
            index.tree_name()
        ));
        return Ok(());
    };
    let record = match store.get(id) {
        Ok(Some(record)) => record,
        Ok(None) => {
            report.problem(format!(
                "{}: an entry for {id}, which is not in the store",
                index.tree_name()
            ));
            return Ok(());
        }
        // Already reported when its tree was read.
        Err(super::StoreError::Decode { .. }) => return Ok(()),
        Err(e) => return Err(e),
    };
    if !indexes::entries(&record)
        .iter()
        .any(|(i, k)| *i == index && k.as_slice() == key)
    {
        report.problem(format!(
            "{}: an entry for {id} that its record does not give (stale)",
            index.tree_name()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{SledBackend, keys};
    use crate::domain::{Instant, Kind, RecordId};

    fn seeded() -> (tempfile::TempDir, SledBackend) {
        let temp = tempfile::tempdir().expect("temp");
        let store = SledBackend::open(temp.path(), Instant::UNIX_EPOCH).expect("open");
        let records = crate::cli::sample_records(Instant::UNIX_EPOCH).expect("sample");
        store.put(&records).expect("put");
        (temp, store)
    }

    #[test]
    fn a_whole_store_checks_intact() {
        let (_temp, store) = seeded();
        let report = store.check().expect("check");
        assert!(report.intact(), "{:?}", report.problems);
        assert!(report.index_entries > 0);
        assert_eq!(
            report.counts[Kind::Wanted.index()],
            ("wanted".to_string(), 300)
        );
    }

    /// The index pass reads entries back only when its counts disagree: a stale entry alone
    /// is found (one beside a missing entry, where the counts agree, is in the test below).
    #[test]
    fn a_stale_index_entry_alone_is_named() {
        let (_temp, store) = seeded();
        let stray = super::super::keys::KeyBuf::new()
            .text("wanted")
            .id(RecordId::new(Kind::Wanted, 888_888))
            .finish();
        store
            .index_tree(super::Index::WantedByStatus)
            .insert(stray, &[])
            .expect("insert");
        let report = store.check().expect("check");
        assert_eq!(
            report.problems,
            vec![
                "idx/wanted_by_status: an entry for TN-888888, which is not in the store"
                    .to_string()
            ]
        );
    }

    #[test]
    fn each_kind_of_damage_is_named() {
        let (_temp, store) = seeded();
        let index = super::Index::WantedByStatus;
        // A record without its index entry, an entry without its record, a wrong count, a
        // value that does not decode, a change logged for nothing, a dangling reference.
        let first = store
            .index_tree(index)
            .first()
            .expect("read")
            .expect("an entry");
        store.index_tree(index).remove(&first.0).expect("remove");
        let stray = super::super::keys::KeyBuf::new()
            .text("wanted")
            .id(RecordId::new(Kind::Wanted, 999_999))
            .finish();
        store.index_tree(index).insert(stray, &[]).expect("insert");
        store
            .meta
            .insert(b"count/officers", &1u64.to_be_bytes())
            .expect("count");
        store
            .tree(Kind::Person)
            .insert(
                keys::record_key(RecordId::new(Kind::Person, 1)),
                &b"{\"v\":1}"[..],
            )
            .expect("garbage");
        let mut change = [0u8; 9];
        change[0] = u8::try_from(Kind::Tip.index()).expect("small");
        change[1..].copy_from_slice(&777_777u64.to_be_bytes());
        store
            .changes
            .insert(change, &1u64.to_be_bytes())
            .expect("change");
        let report = store.check().expect("check");
        let all = report.problems.join("\n");
        for expected in [
            "idx/wanted_by_status: no entry for TN-",
            "idx/wanted_by_status: an entry for TN-999999, which is not in the store",
            "meta: the count of officers says 1, the tree holds",
            "store tree rec/persons, key DT-000001: cannot decode",
            "changes: TB-777777 is logged but not in the store",
            "names DT-000001, which is not in the store",
        ] {
            assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
        }
    }
}
