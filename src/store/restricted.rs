//! Restricted values, kept apart from the records: a tip's informant (absolute secrecy for
//! those who report crime). One tree, `restricted/informants`, keyed like the tip's record.
//! Nothing that walks records (export, the search index, the change log, reports, the
//! handover) reads this tree; only [`SledBackend::informant`] does, and only the service calls it,
//! behind its check of who reads.

use sled::transaction::{ConflictableTransactionError, TransactionalTree};

use crate::domain::{Informant, Kind, RecordId};

use super::{Result, SledBackend, StoreError, keys};

pub(super) const TREE: &str = "restricted/informants";

pub(super) fn put_in_transaction(
    tree: &TransactionalTree,
    tip: RecordId,
    informant: &Informant,
) -> Result<(), ConflictableTransactionError<StoreError>> {
    if tip.kind() != Kind::Tip {
        return Err(ConflictableTransactionError::Abort(StoreError::WrongKind {
            record: tip,
            kind: tip.kind(),
            expected: Kind::Tip,
        }));
    }
    // Serializing a plain struct of strings and IDs into a Vec cannot fail.
    let value =
        serde_json::to_vec(&serde_json::json!({ "v": 1, "data": informant })).unwrap_or_default();
    tree.insert(&keys::record_key(tip), value)?;
    Ok(())
}

impl SledBackend {
    /// The informant of a tip, if one was recorded. Callers must check who reads.
    pub fn informant(&self, tip: RecordId) -> Result<Option<Informant>> {
        let key = keys::record_key(tip);
        let Some(bytes) = self.restricted.get(key)? else {
            return Ok(None);
        };
        #[derive(serde::Deserialize)]
        struct Envelope {
            v: u32,
            data: Informant,
        }
        let err = |reason: String| StoreError::Decode {
            tree: TREE.into(),
            key: tip.to_string(),
            reason,
        };
        let envelope: Envelope = serde_json::from_slice(&bytes).map_err(|e| err(e.to_string()))?;
        if envelope.v != 1 {
            return Err(err(format!("unknown version {}", envelope.v)));
        }
        Ok(Some(envelope.data))
    }
}
