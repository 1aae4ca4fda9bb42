//! The session's own requests: who am I, lock, unlock. The lock of an officer's session
//! is its account's (see [`SessionDesk::check_unlocked`]); an unlock is counted in the
//! store, inside one transaction per attempt.

use crate::domain::access::{self, SessionInfo};
use crate::domain::audit::{AuditDraft, Outcome};

use super::super::{Result, ServiceError};
use super::SessionDesk;

/// The session's own identity and lock: served whatever the session's role, and while it
/// is locked (`allow: session` in the list of requests).
pub(super) trait SessionControl {
    fn whoami(&self) -> Result<SessionInfo>;
    fn lock(&self) -> Result<()>;
    fn unlock(&self, pin: &str) -> Result<()>;
}

impl SessionControl for SessionDesk {
    fn whoami(&self) -> Result<SessionInfo> {
        Ok(SessionInfo {
            user: self.user.clone(),
            officer: self.officer,
            role: self.role,
            locked: self.is_locked(self.clock.now()),
            has_pin: self.has_pin(),
        })
    }

    fn lock(&self) -> Result<()> {
        if !self.has_pin() {
            return Err(ServiceError::invalid(
                format!(
                    "tài khoản {} chưa có mã PIN: không khoá được phiên",
                    self.user
                ),
                format!(
                    "the account of {} has no PIN: the session cannot be locked",
                    self.user
                ),
            ));
        }
        if self.role.is_some() {
            return self.lock_account(self.clock.now(), "");
        }
        if let Ok(mut state) = self.state.lock() {
            state.locked = true;
        }
        self.audit_only("lock", None, String::new(), Outcome::Ok)?;
        Ok(())
    }

    fn unlock(&self, pin: &str) -> Result<()> {
        let now = self.clock.now();
        let Some(account) = self.desk.store().account(&self.user)? else {
            return Err(ServiceError::Unlock(access::UnlockRefused::NoPin));
        };
        // The hash is checked outside the transaction (it is slow on purpose), and only
        // while the account is not locked out: a locked account is no oracle. What the
        // check means is decided inside it, on the account as it is then: parallel guesses
        // on many connections are counted one after another, five in all.
        let checked_hash = account.pin_hash.clone();
        let pin_ok = account.locked_until.is_none_or(|until| now >= until)
            && super::super::pins::check(&checked_hash, pin);
        let user = self.user.clone();
        let officer = self.officer;
        let unit = self.unit.clone();
        let result = self.desk.store().decide_account(&self.user, &|current| {
            let Some(current) = current else {
                return (None, None, Err(access::UnlockRefused::NoPin));
            };
            let same_hash = current.pin_hash == checked_hash;
            let (mut next, result) = access::attempt(&current, now, || pin_ok && same_hash);
            if result.is_ok() {
                next.locked = false;
            }
            let draft = AuditDraft {
                at: now,
                user: user.clone(),
                officer,
                action: "unlock".into(),
                record: None,
                detail: result
                    .as_ref()
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default(),
                outcome: if result.is_ok() {
                    Outcome::Ok
                } else {
                    Outcome::Refused
                },
                unit: unit.clone(),
            };
            (Some(next), Some(draft), result)
        })?;
        result.map_err(ServiceError::Unlock)?;
        if let Ok(mut state) = self.state.lock() {
            state.locked = false;
            state.last_request = now;
        }
        Ok(())
    }
}
