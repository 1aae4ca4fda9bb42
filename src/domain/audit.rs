//! The audit trail: who did what, to which record, when, and with what outcome — every
//! log-on and log-off, every opening of a record, every search with its text, every change
//! and every refusal. Entries form a hash chain: each holds the SHA-256 of the one before,
//! and its own hash covers every field, so an edited, removed, inserted or reordered entry
//! breaks the chain where it happened ([`verify`]). Each unit keeps its own chain, numbered
//! from 1 (the entry's [`AuditDraft::unit`]): units append side by side, under their own lock
//! and head, and no write of one unit waits on another's. Pure: the store appends and reads
//! them.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::codes::code_enum;
use super::ids::RecordId;
use super::time::Instant;

code_enum!(Outcome {
    Ok = "ok", "thành công", "done";
    Refused = "refused", "bị từ chối", "refused";
    Failed = "failed", "không thành", "failed";
});

/// What an entry records, before the store numbers and chains it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditDraft {
    pub at: Instant,
    /// The operating-system account that connected (from the kernel, not from the client).
    pub user: String,
    /// The officer that account maps to; none for an unknown user (refused) or a local
    /// session without an account.
    pub officer: Option<RecordId>,
    /// The request: `logon`, `logoff`, `get`, `search`, `save`, `import` … (the service API
    /// method names, so that an auditor can match them with the documentation).
    pub action: String,
    /// The record acted on, when there is one.
    pub record: Option<RecordId>,
    /// What else identifies the action: a search's text, an import's kind and count, the
    /// reason of a refusal or failure.
    pub detail: String,
    pub outcome: Outcome,
    /// The chain the entry is kept in: the acting officer's unit, from the session (never
    /// from the client). Empty for what no officer did (a refused log-on, the daemon's own
    /// notes): the desk's chain, which is also where every entry went before chains were
    /// kept per unit — left out of the serialized form when empty, so those entries' hashes
    /// still verify.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
}

/// A numbered, chained entry as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// The entry's number in its unit's chain.
    pub seq: u64,
    #[serde(flatten)]
    pub draft: AuditDraft,
    /// The hash of entry `seq - 1` ([`GENESIS`] for the first).
    pub prev: String,
    /// SHA-256 (hex) of this entry's every other field, `prev` included.
    pub hash: String,
}

/// The `prev` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash an entry with these fields must carry.
pub fn hash_of(seq: u64, draft: &AuditDraft, prev: &str) -> String {
    #[derive(Serialize)]
    struct Hashed<'a> {
        seq: u64,
        draft: &'a AuditDraft,
        prev: &'a str,
    }
    // A struct of strings, numbers and IDs always serializes; field order is fixed by the
    // struct, so the bytes hashed are canonical.
    let bytes = serde_json::to_vec(&Hashed { seq, draft, prev }).unwrap_or_default();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl AuditEntry {
    /// The entry after `last` (or the first when `last` is none).
    pub fn chain(last: Option<(u64, &str)>, draft: AuditDraft) -> AuditEntry {
        let (seq, prev) = match last {
            Some((seq, hash)) => (seq + 1, hash.to_string()),
            None => (1, GENESIS.to_string()),
        };
        let hash = hash_of(seq, &draft, &prev);
        AuditEntry {
            seq,
            draft,
            prev,
            hash,
        }
    }
}

/// Where and how the chain is broken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("entry {seq}: its content does not match its hash (edited)")]
    Edited { seq: u64 },
    #[error("entry {found} follows entry {after}: entries are missing or out of order")]
    Sequence { after: u64, found: u64 },
    #[error("entry {seq}: it does not follow the entry before it (removed or reordered)")]
    Link { seq: u64 },
    #[error("entry {seq} is stored under position {key} (moved)")]
    Moved { seq: u64, key: u64 },
    #[error(
        "the chain ends at entry {last} but the store's head says {head} (entries removed at the end)"
    )]
    Truncated { last: u64, head: u64 },
    #[error("position {key}: {reason}")]
    Unreadable { key: u64, reason: String },
}

/// Checks a chain read in key order (`(key, entry)`), against the head the store keeps
/// (`(seq, hash)` of the last entry written). Returns the number of entries checked.
pub fn verify<I>(entries: I, head: Option<(u64, String)>) -> Result<u64, ChainBreak>
where
    I: IntoIterator<Item = (u64, Result<AuditEntry, String>)>,
{
    let mut last: Option<(u64, String)> = None;
    let mut count = 0;
    for (key, entry) in entries {
        let entry = entry.map_err(|reason| ChainBreak::Unreadable { key, reason })?;
        if entry.seq != key {
            return Err(ChainBreak::Moved {
                seq: entry.seq,
                key,
            });
        }
        let (after, prev) = match &last {
            Some((seq, hash)) => (*seq, hash.as_str()),
            None => (0, GENESIS),
        };
        if entry.seq != after + 1 {
            return Err(ChainBreak::Sequence {
                after,
                found: entry.seq,
            });
        }
        if entry.prev != prev {
            return Err(ChainBreak::Link { seq: entry.seq });
        }
        if hash_of(entry.seq, &entry.draft, &entry.prev) != entry.hash {
            return Err(ChainBreak::Edited { seq: entry.seq });
        }
        last = Some((entry.seq, entry.hash));
        count += 1;
    }
    let last_seq = last.as_ref().map_or(0, |(s, _)| *s);
    match head {
        Some((head_seq, head_hash)) => {
            if head_seq != last_seq {
                return Err(ChainBreak::Truncated {
                    last: last_seq,
                    head: head_seq,
                });
            }
            if last.is_some_and(|(_, h)| h != head_hash) {
                return Err(ChainBreak::Edited { seq: head_seq });
            }
        }
        None if last_seq > 0 => {
            return Err(ChainBreak::Truncated {
                last: last_seq,
                head: 0,
            });
        }
        None => {}
    }
    Ok(count)
}

/// The last entry of one unit's chain.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ChainHead {
    pub unit: String,
    pub seq: u64,
    pub hash: String,
}

/// Whether `entry` came after `heads` were read: past its chain's head then (or in a chain
/// that had none) — what a watcher of the trail has not seen yet.
pub fn is_after(entry: &AuditEntry, heads: &[ChainHead]) -> bool {
    let seen = heads
        .iter()
        .find(|h| h.unit == entry.draft.unit)
        .map_or(0, |h| h.seq);
    entry.seq > seen
}

/// How a chain is named to a person: the unit, or the desk's own chain.
pub fn chain_name(unit: &str) -> String {
    if unit.is_empty() {
        "the desk's chain".into()
    } else {
        format!("the chain of {unit:?}")
    }
}

/// A break, and the chain it is in.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {at}", chain_name(unit))]
pub struct BrokenChain {
    pub unit: String,
    pub at: ChainBreak,
}

/// [`verify`] for the chain of `unit`, read in key order: an entry written for another
/// unit and filed here (moved between chains) breaks it too.
pub fn verify_chain<I>(
    unit: &str,
    entries: I,
    head: Option<(u64, String)>,
) -> Result<u64, BrokenChain>
where
    I: IntoIterator<Item = (u64, Result<AuditEntry, String>)>,
{
    let filed = entries.into_iter().map(|(key, entry)| {
        let entry = entry.and_then(|e| {
            if e.draft.unit == unit {
                Ok(e)
            } else {
                Err(format!(
                    "written for {} but filed in {}",
                    chain_name(&e.draft.unit),
                    chain_name(unit)
                ))
            }
        });
        (key, entry)
    });
    verify(filed, head).map_err(|at| BrokenChain {
        unit: unit.into(),
        at,
    })
}

/// Puts the newest `limit` entries of several chains (each oldest first) in one list,
/// oldest first (all of them when `limit` is 0): each chain keeps its own order, and
/// between chains the later `at` comes later. Merged from the newest end, so that chains
/// cut to their newest `limit` entries give the same answer as whole ones.
pub fn merge_newest(mut chains: Vec<Vec<AuditEntry>>, limit: usize) -> Vec<AuditEntry> {
    let mut out = Vec::new();
    loop {
        if limit > 0 && out.len() >= limit {
            break;
        }
        let newest = chains
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.last().map(|e| (i, e)))
            .max_by(|(_, a), (_, b)| (a.draft.at, &a.draft.unit).cmp(&(b.draft.at, &b.draft.unit)))
            .map(|(i, _)| i);
        match newest.and_then(|i| chains.get_mut(i)).and_then(Vec::pop) {
            Some(entry) => out.push(entry),
            None => break,
        }
    }
    out.reverse();
    out
}

/// Which entries an auditor asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub officer: Option<RecordId>,
    pub record: Option<RecordId>,
    pub since: Option<Instant>,
    /// At most this many, the newest (0 = no limit).
    pub limit: usize,
}

impl AuditQuery {
    pub fn matches(&self, e: &AuditEntry) -> bool {
        self.officer.is_none_or(|o| e.draft.officer == Some(o))
            && self.record.is_none_or(|r| e.draft.record == Some(r))
            && self.since.is_none_or(|t| e.draft.at >= t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Kind;

    fn draft(n: u64) -> AuditDraft {
        AuditDraft {
            at: chrono::DateTime::from_timestamp(1_700_000_000 + n as i64, 0).unwrap_or_default(),
            user: "trucban1".into(),
            officer: Some(RecordId::new(Kind::Officer, 3)),
            action: "get".into(),
            record: Some(RecordId::new(Kind::Person, n)),
            detail: String::new(),
            outcome: Outcome::Ok,
            unit: String::new(),
        }
    }

    fn chain(n: u64) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for i in 1..=n {
            let last = out.last().map(|e| (e.seq, e.hash.as_str()));
            let e = AuditEntry::chain(last, draft(i));
            out.push(e);
        }
        out
    }

    fn keyed(v: &[AuditEntry]) -> Vec<(u64, Result<AuditEntry, String>)> {
        v.iter().map(|e| (e.seq, Ok(e.clone()))).collect()
    }

    fn head(v: &[AuditEntry]) -> Option<(u64, String)> {
        v.last().map(|e| (e.seq, e.hash.clone()))
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(keyed(&c), head(&c)), Ok(5));
        assert_eq!(verify(Vec::new(), None), Ok(0));
    }

    #[test]
    fn an_edited_entry_is_caught() {
        let mut c = chain(5);
        let h = head(&c);
        c[2].draft.detail = "changed".into();
        assert_eq!(verify(keyed(&c), h), Err(ChainBreak::Edited { seq: 3 }));
    }

    #[test]
    fn a_removed_entry_is_caught_in_the_middle_and_at_the_end() {
        let c = chain(5);
        let h = head(&c);
        let mut middle = c.clone();
        middle.remove(1);
        assert_eq!(
            verify(keyed(&middle), h.clone()),
            Err(ChainBreak::Sequence { after: 1, found: 3 })
        );
        let mut end = c.clone();
        end.pop();
        assert_eq!(
            verify(keyed(&end), h),
            Err(ChainBreak::Truncated { last: 4, head: 5 })
        );
    }

    #[test]
    fn swapped_entries_are_caught_with_or_without_renumbering() {
        let c = chain(5);
        let h = head(&c);
        // Values swapped under their keys.
        let mut swapped = keyed(&c);
        let (a, b) = (swapped[1].1.clone(), swapped[2].1.clone());
        swapped[1].1 = b;
        swapped[2].1 = a;
        assert_eq!(
            verify(swapped, h.clone()),
            Err(ChainBreak::Moved { seq: 3, key: 2 })
        );
        // Swapped and renumbered so that keys and seq agree: the links break.
        let mut renumbered = c.clone();
        renumbered.swap(1, 2);
        renumbered[1].seq = 2;
        renumbered[2].seq = 3;
        assert!(matches!(
            verify(keyed(&renumbered), h),
            Err(ChainBreak::Link { seq: 2 } | ChainBreak::Edited { seq: 2 })
        ));
    }

    #[test]
    fn a_rewritten_tail_without_the_head_is_caught() {
        let c = chain(3);
        let mut forged = c.clone();
        forged[2] = AuditEntry::chain(Some((2, &c[1].hash)), {
            let mut d = draft(3);
            d.action = "export".into();
            d
        });
        assert_eq!(
            verify(keyed(&forged), head(&c)),
            Err(ChainBreak::Edited { seq: 3 })
        );
    }

    #[test]
    fn an_entry_without_a_unit_hashes_as_before_units() {
        // The hash of an entry written before chains were per unit (no `unit` field).
        let before = r#"{"seq":1,"at":"2023-11-14T22:13:21Z","user":"trucban1","officer":"CB-000003","action":"get","record":"DT-000001","detail":"","outcome":"ok","prev":"0000000000000000000000000000000000000000000000000000000000000000","hash":"x"}"#;
        let old: AuditEntry = serde_json::from_str(before).expect("parses");
        assert_eq!(old.draft.unit, "");
        assert_eq!(hash_of(1, &old.draft, GENESIS), chain(1)[0].hash);
        let mut d = draft(1);
        d.unit = "Công an huyện Phong Thổ".into();
        assert_ne!(hash_of(1, &d, GENESIS), chain(1)[0].hash);
    }

    #[test]
    fn an_entry_filed_in_another_units_chain_is_caught() {
        let c = chain(3);
        assert_eq!(verify_chain("", keyed(&c), head(&c)), Ok(3));
        let broken = verify_chain("PV01", keyed(&c), head(&c)).expect_err("misfiled");
        assert_eq!(broken.unit, "PV01");
        assert!(matches!(broken.at, ChainBreak::Unreadable { key: 1, .. }));
    }

    #[test]
    fn chains_merge_by_time_each_in_its_own_order() {
        let in_unit = |unit: &str, secs: &[i64]| -> Vec<AuditEntry> {
            let mut out: Vec<AuditEntry> = Vec::new();
            for s in secs {
                let mut d = draft(1);
                d.at = chrono::DateTime::from_timestamp(1_700_000_000 + s, 0).unwrap_or_default();
                d.unit = unit.into();
                let last = out.last().map(|e| (e.seq, e.hash.as_str()));
                out.push(AuditEntry::chain(last, d));
            }
            out
        };
        // Unit B's second entry is dated before its first (taken before the lock): it
        // stays second.
        let (a, b) = (in_unit("A", &[1, 4, 6]), in_unit("B", &[2, 5, 3]));
        let order = |v: &[AuditEntry]| -> Vec<(String, u64)> {
            v.iter().map(|e| (e.draft.unit.clone(), e.seq)).collect()
        };
        let all = merge_newest(vec![a.clone(), b.clone()], 0);
        let want = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
            v.iter().map(|(u, s)| (u.to_string(), *s)).collect()
        };
        assert_eq!(
            order(&all),
            want(&[("A", 1), ("B", 1), ("B", 2), ("B", 3), ("A", 2), ("A", 3)])
        );
        let newest = merge_newest(vec![a[1..].to_vec(), b[1..].to_vec()], 3);
        assert_eq!(order(&newest), order(&all[3..]));
    }
}
