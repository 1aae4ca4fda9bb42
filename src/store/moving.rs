//! Moving a store from one engine to another (`trucban migrate`: a directory to a
//! PostgreSQL database, or back): every record a page at a time, the accounts, the
//! restricted values, and the audit chains entry for entry (its numbers and hashes kept);
//! then both stores are read again and compared, kind by kind, by count and by a SHA-256
//! of the records' content, with the accounts, the restricted values and the chains' heads.

use sha2::{Digest, Sha256};

use crate::domain::Kind;
use crate::domain::audit::AuditQuery;

use super::{Backend, Result, SCAN_PAGE, Write};

/// What a store holds, summed: equal fingerprints, equal stores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// Per kind: the number of records and the SHA-256 (hex) of their content in ID order.
    pub kinds: Vec<(String, u64, String)>,
    /// SHA-256 of the accounts (by user) and of the restricted values (by ID).
    pub accounts: (usize, String),
    pub restricted: (usize, String),
    /// The head of every unit's audit chain: its last number and hash.
    pub audit_heads: Vec<crate::domain::audit::ChainHead>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sum<T: serde::Serialize>(items: &[T]) -> String {
    let mut hash = Sha256::new();
    for item in items {
        hash.update(serde_json::to_vec(item).unwrap_or_default());
        hash.update(b"\n");
    }
    hex(&hash.finalize())
}

/// Reads the whole store and sums it.
pub fn fingerprint(store: &dyn Backend) -> Result<Fingerprint> {
    let mut kinds = Vec::new();
    for kind in Kind::ALL {
        let mut hash = Sha256::new();
        let mut n = 0u64;
        for record in store.scan(kind) {
            hash.update(serde_json::to_vec(&record?).unwrap_or_default());
            hash.update(b"\n");
            n += 1;
        }
        kinds.push((kind.name().to_string(), n, hex(&hash.finalize())));
    }
    let mut accounts = store.accounts()?;
    accounts.sort_by(|a, b| a.user.cmp(&b.user));
    let restricted = store.restricted_all()?;
    Ok(Fingerprint {
        kinds,
        accounts: (accounts.len(), sum(&accounts)),
        restricted: (
            restricted.informants.len() + restricted.notes.len(),
            format!("{}{}", sum(&restricted.informants), sum(&restricted.notes)),
        ),
        audit_heads: store.audit_heads()?,
    })
}

/// Whether a store holds nothing at all: no record, account, restricted value or audit
/// entry. Only such a store may be moved into.
pub fn is_empty(store: &dyn Backend) -> Result<bool> {
    for kind in Kind::ALL {
        if store.count(kind)? > 0 {
            return Ok(false);
        }
    }
    let restricted = store.restricted_all()?;
    Ok(store.audit_heads()?.is_empty()
        && store.accounts()?.is_empty()
        && restricted.informants.is_empty()
        && restricted.notes.is_empty())
}

/// Copies everything `from` holds into `to`, which the caller has found empty
/// ([`is_empty`]). The caller compares the fingerprints afterwards.
pub fn copy(from: &dyn Backend, to: &dyn Backend) -> Result<()> {
    let mut total = 0;
    for kind in Kind::ALL {
        total += from.count(kind)?;
    }
    crate::progress::stage(crate::progress::Stage::Moving, Some(total));
    for kind in Kind::ALL {
        let mut page = Vec::with_capacity(SCAN_PAGE);
        for record in from.scan(kind) {
            page.push(record?);
            if page.len() == SCAN_PAGE * 8 {
                to.bulk_load(&page)?;
                crate::progress::advance(page.len() as u64);
                page.clear();
            }
        }
        if !page.is_empty() {
            to.bulk_load(&page)?;
            crate::progress::advance(page.len() as u64);
        }
    }
    for account in from.accounts()? {
        to.write(&Write {
            account: Some(&account),
            ..Write::default()
        })?;
    }
    let restricted = from.restricted_all()?;
    for (tip, informant) in &restricted.informants {
        to.write(&Write {
            informant: Some((*tip, informant)),
            ..Write::default()
        })?;
    }
    for (record, note) in &restricted.notes {
        to.write(&Write {
            note: Some((*record, note)),
            ..Write::default()
        })?;
    }
    let entries = from.audit_entries(&AuditQuery::default())?;
    for chunk in entries.chunks(5_000) {
        to.adopt_audit(chunk)?;
    }
    to.sync_now()
}
