//! Every write of the service: the records with the rules they must keep and the audit entry
//! of the acting session, in one transaction (or, for a large import, in parts), durable on
//! return.

use crate::domain::{Record, RecordId};

use super::super::Result;
use super::LocalDesk;

impl LocalDesk {
    /// Every write of the service goes through here: one transaction with the audit entry
    /// of the acting session, then fsync.
    pub(in crate::service) fn write(&self, w: crate::store::Write<'_>) -> Result<()> {
        self.write_checked(w, false, None)
    }

    /// As [`LocalDesk::write`], with `detail` added to the audit entry's.
    pub(in crate::service) fn write_detailed(
        &self,
        w: crate::store::Write<'_>,
        detail: Option<String>,
    ) -> Result<()> {
        self.write_checked(w, false, detail)
    }

    /// As [`LocalDesk::write`]; `import` says the records come from an import file, whose
    /// new records keep the history the file carries (see [`crate::domain::rules`]).
    pub(super) fn write_checked(
        &self,
        w: crate::store::Write<'_>,
        import: bool,
        detail: Option<String>,
    ) -> Result<()> {
        let record = w
            .records
            .first()
            .map(Record::id)
            .or(w.note.map(|(id, _)| id))
            .or(w.informant.map(|(id, _)| id));
        let (check, draft) = (self.rules(import), self.audit_draft(record, detail));
        self.store.write(&crate::store::Write {
            audit: draft.as_ref(),
            check: Some(&check),
            ..w
        })?;
        if let Some(a) = &self.actor {
            a.mark_written();
        }
        Ok(())
    }

    /// [`LocalDesk::write_checked`] of an import's records handed part by part (see
    /// [`crate::store::Backend::write_in_parts`]); its audit entry names the first record
    /// written, once `next` has said it in `first`.
    pub(super) fn write_checked_parts(
        &self,
        next: &mut dyn FnMut() -> crate::store::Result<Option<Vec<Record>>>,
        first: &std::sync::OnceLock<RecordId>,
    ) -> Result<()> {
        let (check, draft) = (self.rules(true), self.audit_draft(None, None));
        let audit = || {
            draft.clone().map(|mut d| {
                d.record = first.get().copied().or(d.record);
                d
            })
        };
        self.store.write_in_parts(next, &audit, Some(&check))?;
        if let Some(a) = &self.actor {
            a.mark_written();
        }
        Ok(())
    }

    /// The rules a write by this desk must keep, checked against each record's stored
    /// version.
    fn rules(
        &self,
        import: bool,
    ) -> impl Fn(Option<&Record>, &Record) -> std::result::Result<(), crate::domain::rules::Refusal>
    + Sync
    + use<> {
        let acting = crate::domain::rules::Acting {
            officer: self.actor.as_ref().and_then(|a| a.officer()),
            import,
        };
        move |old: Option<&Record>, new: &Record| {
            crate::domain::rules::check_change(old, new, &acting)
        }
    }

    /// The audit entry that records a write by this desk (none without a session).
    fn audit_draft(
        &self,
        record: Option<RecordId>,
        detail: Option<String>,
    ) -> Option<crate::domain::audit::AuditDraft> {
        self.actor.as_ref().map(|a| {
            let mut draft = a.draft(record);
            if let Some(extra) = &detail {
                draft.detail = match draft.detail.is_empty() {
                    true => extra.clone(),
                    false => format!("{}: {extra}", draft.detail),
                };
            }
            draft
        })
    }
}
