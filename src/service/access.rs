//! The embedded side of sessions, restricted notes, accounts and the audit trail: what
//! [`LocalDesk`] does for these requests once [`super::session::SessionDesk`] has let them
//! through (or directly, for tools working on the store).

use crate::domain::access::{Account, AccountInfo, RestrictedNote, SessionInfo, check_pin_shape};
use crate::domain::audit::{AuditEntry, AuditQuery};
use crate::domain::{Kind, Record, RecordId};

use super::{AuditCheck, LocalDesk, Result, ServiceError};
use crate::i18n::Said;

impl LocalDesk {
    pub(super) fn local_session(&self) -> SessionInfo {
        SessionInfo {
            user: String::new(),
            officer: None,
            role: None,
            locked: false,
            has_pin: false,
        }
    }

    pub(super) fn note_for(
        &self,
        record: RecordId,
        reader: Option<RecordId>,
    ) -> Result<RestrictedNote> {
        let reader = self.as_acting(reader, record, "reader")?;
        // One answer for "none" and "not yours": the refusal tells nothing.
        match self.store().restricted_note(record)? {
            Some(note) if note.readable_by(reader) => Ok(note),
            _ => Err(ServiceError::refused(
                format!("ghi chú mật của {record} chỉ các cán bộ có tên trong đó được đọc"),
                format!(
                    "the restricted note of {record} is readable only by the officers named on it"
                ),
            )),
        }
    }

    pub(super) fn put_note(&self, record: RecordId, note: RestrictedNote) -> Result<()> {
        if !self.store().contains(record)? {
            return Err(ServiceError::NotFound(record));
        }
        let text = crate::domain::text::nfc(note.text.trim());
        if let Some((_, c)) = crate::domain::text::find_hostile_multiline(&text) {
            let c = crate::domain::text::describe_char(c);
            return Err(ServiceError::invalid(
                format!("ghi chú mật: không được có {c} trong văn bản"),
                format!("restricted note: {c} is not allowed in text"),
            ));
        }
        if note.officers.is_empty() {
            return Err(ServiceError::invalid(
                "ghi chú mật: ghi ít nhất một cán bộ được đọc",
                "restricted note: name at least one officer who may read it",
            ));
        }
        for officer in &note.officers {
            if officer.kind() != Kind::Officer || !self.store().contains(*officer)? {
                return Err(ServiceError::invalid(
                    format!("ghi chú mật: {officer} không phải cán bộ có trong kho"),
                    format!("restricted note: {officer} is not an officer in the store"),
                ));
            }
        }
        let by = self.as_acting(note.by, record, "by")?;
        let at = match self.acting_officer() {
            Some(_) => self.now(),
            None => note.at,
        };
        // Replacing a note needs the right to read the one there; the audit says a note
        // was replaced, by the hashes of both, never their text.
        let replaced = self.store().restricted_note(record)?;
        if let Some(old) = &replaced
            && !old.readable_by(by.or(self.acting_officer()))
            && self.actor_officer().is_some()
        {
            return Err(ServiceError::refused(
                format!(
                    "ghi chú mật của {record} chỉ các cán bộ có tên trong đó được đọc, và chỉ họ được thay"
                ),
                format!(
                    "the restricted note of {record} is readable only by the officers named on it, and only they may replace it"
                ),
            ));
        }
        let note = RestrictedNote {
            text,
            by,
            at,
            ..note
        };
        let detail = replaced.map(|old| replacement_detail(&old, &note));
        self.write_detailed(
            crate::store::Write {
                note: Some((record, &note)),
                ..Default::default()
            },
            detail,
        )
    }

    pub(super) fn audit_of(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        Ok(self.store().audit_entries(query)?)
    }

    pub(super) fn verify_audit(&self) -> Result<AuditCheck> {
        let chains = self.store().audit_heads()?.len() as u64;
        Ok(match self.store().verify_audit()? {
            Ok(entries) => AuditCheck {
                entries,
                chains,
                broken: None,
            },
            Err(b) => AuditCheck {
                entries: 0,
                chains,
                broken: Some(b.to_string()),
            },
        })
    }

    pub(super) fn account_list(&self) -> Result<Vec<AccountInfo>> {
        Ok(self
            .store()
            .accounts()?
            .iter()
            .map(AccountInfo::from)
            .collect())
    }

    pub(super) fn put_account(
        &self,
        user: &str,
        officer: RecordId,
        pin: Option<&str>,
    ) -> Result<()> {
        let valid_user = !user.is_empty()
            && user.len() <= 32
            && user
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !valid_user {
            return Err(ServiceError::invalid(
                format!(
                    "tài khoản: {user:?} không phải tên người dùng hệ điều hành (chữ, số, _ - ., tối đa 32)"
                ),
                format!(
                    "account: {user:?} is not an OS user name (letters, digits, _ - ., at most 32)"
                ),
            ));
        }
        if !matches!(self.store().get(officer)?, Some(Record::Officer(_))) {
            return Err(ServiceError::invalid(
                format!("tài khoản: {officer} không phải cán bộ có trong kho"),
                format!("account: {officer} is not an officer in the store"),
            ));
        }
        let existing = self.store().account(user)?;
        let pin_hash = match (pin, &existing) {
            (Some(pin), _) => {
                check_pin_shape(pin).map_err(|e| {
                    ServiceError::Invalid(e.after(&Said::new("tài khoản: ", "account: ")))
                })?;
                super::pins::hash(pin)?
            }
            (None, Some(a)) => a.pin_hash.clone(),
            (None, None) => {
                return Err(ServiceError::invalid(
                    "tài khoản: tài khoản mới cần mã PIN",
                    "account: a new account needs a PIN",
                ));
            }
        };
        // A new PIN clears any lockout and lock; changing only the officer keeps them (an
        // administrator re-pointing an account must not unlock it).
        let kept = existing.filter(|_| pin.is_none());
        let account = Account {
            user: user.into(),
            officer,
            pin_hash,
            failed: kept.as_ref().map_or(0, |a| a.failed),
            locked_until: kept.as_ref().and_then(|a| a.locked_until),
            locked: kept.is_some_and(|a| a.locked),
        };
        self.write(crate::store::Write {
            account: Some(&account),
            ..Default::default()
        })
    }
}

/// "replaced sha256:… by sha256:…": what the audit keeps of a replaced restricted value —
/// enough to tell versions apart and to check one against a copy, never the content.
pub(super) fn replacement_detail<T: serde::Serialize>(old: &T, new: &T) -> String {
    format!("replaced sha256:{} by sha256:{}", digest(old), digest(new))
}

fn digest<T: serde::Serialize>(value: &T) -> String {
    use sha2::Digest;
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    let hash = sha2::Sha256::digest(&bytes);
    hash.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
