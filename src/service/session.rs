//! One officer's session: the service API as that officer may use it. [`SessionDesk`]
//! wraps the shared [`LocalDesk`] and, for every request, refuses it while the session is
//! locked, checks the officer's role ([`crate::domain::access::allows`]), runs it acting as
//! the officer (so a change carries its audit entry in its own transaction), and audits
//! what must be audited: log-on and log-off, the opening of a record, every search with its
//! text, every change, every refusal. Arguments that name "who" (`by`, `officer`, `reader`)
//! are replaced by the session's own officer: a client cannot act as someone else.
//!
//! The daemon opens one session per connection ([`SessionDesk::admit`], identity from the
//! kernel); the embedded console opens an owner session ([`SessionDesk::owner`]): whoever
//! can open the store's files may do everything, and is audited all the same.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::Duration;

use crate::domain::access::{self, Permission, to_save};
use crate::domain::audit::{AuditDraft, AuditEntry, Outcome};
use crate::domain::{Instant, OfficerRole, Record, RecordId};

mod control;

use super::logon::{LogonLimiter, Verdict};
use super::{DeskApi, LocalDesk, Result, ServiceError};
use control::SessionControl;

/// The clock a session reads (the daemon's; a fake one in tests).
pub use crate::domain::Clock;

pub use super::gate::{account_name, current_os_user, user_name};

/// A session left without any request this long locks itself, whatever the console does
/// (the console locks after its own, shorter, idle time: 15 minutes by default).
pub fn max_idle() -> Duration {
    Duration::minutes(30)
}

/// Who acts in one request, and what the request is: the audit entry of a change.
pub struct Actor {
    user: String,
    officer: Option<RecordId>,
    /// The officer's unit: the audit chain the request's entries go to.
    unit: String,
    action: &'static str,
    /// The record the request names, for writes that write no record (an account).
    record: Option<RecordId>,
    detail: String,
    at: Instant,
    written: AtomicBool,
}

impl Actor {
    pub(super) fn draft(&self, record: Option<RecordId>) -> AuditDraft {
        AuditDraft {
            at: self.at,
            user: self.user.clone(),
            officer: self.officer,
            action: self.action.into(),
            record: record.or(self.record),
            detail: self.detail.clone(),
            outcome: Outcome::Ok,
            unit: self.unit.clone(),
        }
    }

    /// The officer acting, if the session has one.
    pub(super) fn officer(&self) -> Option<RecordId> {
        self.officer
    }

    /// When the request was made, in whole seconds (what records keep).
    pub(super) fn at(&self) -> Instant {
        chrono::SubsecRound::trunc_subsecs(self.at, 0)
    }

    pub(super) fn mark_written(&self) {
        self.written.store(true, Ordering::SeqCst);
    }
}

/// One request as the session sees it.
struct Call {
    action: &'static str,
    permission: Option<Permission>,
    record: Option<RecordId>,
    detail: String,
    /// Audited even when it changes nothing (openings, searches, exports …).
    audit_read: bool,
}

impl Call {
    fn new(action: &'static str, permission: Permission) -> Call {
        Call {
            action,
            permission: Some(permission),
            record: None,
            detail: String::new(),
            audit_read: false,
        }
    }
    /// The record acted on (a new record, number 0, has no ID yet: none).
    fn record(mut self, id: RecordId) -> Call {
        self.record = (id.num() != 0).then_some(id);
        self
    }
    fn detail(mut self, detail: impl Into<String>) -> Call {
        self.detail = detail.into();
        self
    }
    /// Audited whatever it does, when `audited`.
    fn audited_if(mut self, audited: bool) -> Call {
        self.audit_read = audited;
        self
    }
}

struct SessionState {
    locked: bool,
    last_request: Instant,
}

pub struct SessionDesk {
    desk: LocalDesk,
    user: String,
    officer: Option<RecordId>,
    /// The officer's unit (the audit chain of the session's entries; empty: the desk's).
    unit: String,
    /// None: the store's owner (embedded): every permission.
    role: Option<OfficerRole>,
    state: Mutex<SessionState>,
    clock: Clock,
}

impl SessionDesk {
    /// The session of OS user `user` connecting to the daemon: refused (and audited) when
    /// no account maps the user to an officer. The log-on is audited. A locked or
    /// locked-out account starts locked.
    pub fn admit(desk: &LocalDesk, user: &str, clock: Clock) -> Result<SessionDesk> {
        Self::admit_limited(desk, user, clock, &LogonLimiter::default())
    }

    /// [`SessionDesk::admit`], with `limiter` counting the user's refused log-ons: past
    /// [`super::logon::REFUSALS_PER_MINUTE`] a minute they are refused without a look, and
    /// at most one entry a minute is audited, with the count of the others.
    pub fn admit_limited(
        desk: &LocalDesk,
        user: &str,
        clock: Clock,
        limiter: &LogonLimiter,
    ) -> Result<SessionDesk> {
        let now = clock.now();
        let refuse = |error: ServiceError| -> Result<SessionDesk> {
            if let Verdict::Audit { earlier, since } = limiter.refused(user, now) {
                let mut detail = error.to_string();
                if let Some(since) = since.filter(|_| earlier > 0) {
                    detail.push_str(&format!(
                        " (and {earlier} more refused log-on(s) since {})",
                        crate::domain::time::to_local(since).format("%Y-%m-%d %H:%M")
                    ));
                }
                desk.store().append_audit(&AuditDraft {
                    at: now,
                    user: user.into(),
                    officer: None,
                    action: "logon".into(),
                    record: None,
                    detail,
                    outcome: Outcome::Refused,
                    unit: String::new(),
                })?;
            }
            Err(error)
        };
        if limiter.exhausted(user, now) {
            return refuse(ServiceError::TooManyLogons(user.into()));
        }
        let Some(account) = desk.store().account(user)? else {
            return refuse(ServiceError::UnknownUser(format!(
                "the user {user:?} has no trucban account: ask an administrator"
            )));
        };
        let (role, unit) = match desk.store().get(account.officer)? {
            Some(Record::Officer(o)) => (o.role, o.unit),
            _ => {
                return refuse(ServiceError::UnknownUser(format!(
                    "the account {user:?} names {}, who is not an officer in the store",
                    account.officer
                )));
            }
        };
        let session = SessionDesk {
            desk: desk.clone(),
            user: user.into(),
            officer: Some(account.officer),
            unit,
            role: Some(role),
            state: Mutex::new(SessionState {
                locked: false,
                last_request: now,
            }),
            clock,
        };
        let detail = if account.is_locked(now) {
            "the account is locked: the session starts locked"
        } else {
            ""
        };
        session.audit_only("logon", None, detail.into(), Outcome::Ok)?;
        Ok(session)
    }

    /// The session of the store's owner working on it directly (no daemon). `officer` is
    /// the configured officer, or the one the user's account names.
    pub fn owner(
        desk: &LocalDesk,
        user: &str,
        officer: Option<RecordId>,
        clock: Clock,
    ) -> Result<SessionDesk> {
        let account_officer = desk.store().account(user)?.map(|a| a.officer);
        let officer = officer.or(account_officer);
        let unit = match officer.map(|o| desk.store().get(o)).transpose()?.flatten() {
            Some(Record::Officer(o)) => o.unit,
            _ => String::new(),
        };
        let now = clock.now();
        let session = SessionDesk {
            desk: desk.clone(),
            user: user.into(),
            officer,
            unit,
            role: None,
            state: Mutex::new(SessionState {
                locked: false,
                last_request: now,
            }),
            clock,
        };
        session.audit_only("logon", None, "embedded".into(), Outcome::Ok)?;
        Ok(session)
    }

    fn audit_only(
        &self,
        action: &str,
        record: Option<RecordId>,
        detail: String,
        outcome: Outcome,
    ) -> Result<AuditEntry> {
        Ok(self.desk.store().append_audit(&AuditDraft {
            at: self.clock.now(),
            user: self.user.clone(),
            officer: self.officer,
            action: action.into(),
            record,
            detail,
            outcome,
            unit: self.unit.clone(),
        })?)
    }

    /// Whether the session may make a request now; a request that may counts as activity.
    /// An officer's session (through the daemon) is locked when its account is: the lock
    /// belongs to the account, shared by every connection of it, so a new connection
    /// cannot escape it. Idle for `max_idle`, the session locks the account. The owner's
    /// embedded session keeps its own lock (the owner holds the store's files anyway).
    fn check_unlocked(&self, now: Instant) -> Result<bool> {
        let idle = {
            let Ok(state) = self.state.lock() else {
                return Ok(false);
            };
            now - state.last_request > max_idle()
        };
        if self.role.is_some() {
            let Some(account) = self.desk.store().account(&self.user)? else {
                return Ok(false);
            };
            if account.is_locked(now) {
                return Ok(false);
            }
            if idle && !account.pin_hash.is_empty() {
                self.lock_account(now, "idle")?;
                return Ok(false);
            }
        } else {
            let Ok(mut state) = self.state.lock() else {
                return Ok(false);
            };
            if idle && self.has_pin() {
                state.locked = true;
            }
            if state.locked {
                return Ok(false);
            }
        }
        if let Ok(mut state) = self.state.lock() {
            state.last_request = now;
        }
        Ok(true)
    }

    /// Locks the account (every connection of it), audited with why.
    fn lock_account(&self, now: Instant, why: &str) -> Result<()> {
        let draft = AuditDraft {
            at: now,
            user: self.user.clone(),
            officer: self.officer,
            action: "lock".into(),
            record: None,
            detail: why.into(),
            outcome: Outcome::Ok,
            unit: self.unit.clone(),
        };
        self.desk.store().change_account(&self.user, &|account| {
            let next = account.map(|mut a| {
                a.locked = true;
                a
            });
            let draft = next.as_ref().map(|_| draft.clone());
            (next, draft)
        })?;
        Ok(())
    }

    /// Whether the session is locked now, without counting as activity.
    fn is_locked(&self, now: Instant) -> bool {
        let idle = self
            .state
            .lock()
            .map(|s| now - s.last_request > max_idle())
            .unwrap_or(true);
        if self.role.is_some() {
            return match self.desk.store().account(&self.user) {
                Ok(Some(a)) => a.is_locked(now) || (idle && !a.pin_hash.is_empty()),
                _ => true,
            };
        }
        self.state.lock().map(|s| s.locked).unwrap_or(true) || (idle && self.has_pin())
    }

    fn has_pin(&self) -> bool {
        self.desk
            .store()
            .account(&self.user)
            .ok()
            .flatten()
            .is_some_and(|a| !a.pin_hash.is_empty())
    }

    fn allowed(&self, permission: Permission) -> bool {
        self.role
            .is_none_or(|role| access::allows(role, permission))
    }

    fn refuse(&self, call: &Call, error: ServiceError) -> ServiceError {
        // A refusal that cannot be audited is still a refusal; the store error is worse news
        // and is what the caller gets.
        match self.audit_only(
            call.action,
            call.record,
            join(&call.detail, &error.to_string()),
            Outcome::Refused,
        ) {
            Ok(_) => error,
            Err(store) => store,
        }
    }

    /// The one path of every request (see the module doc).
    fn run<T>(&self, call: Call, f: impl FnOnce(&LocalDesk) -> Result<T>) -> Result<T> {
        let now = self.clock.now();
        if !self.check_unlocked(now)? {
            return Err(self.refuse(&call, ServiceError::Locked));
        }
        if let Some(p) = call.permission
            && !self.allowed(p)
        {
            let denial = crate::domain::access::Denial {
                user: self.user.clone(),
                role: self.role,
                needs: p,
            };
            return Err(self.refuse(&call, ServiceError::Forbidden(denial)));
        }
        let actor = Arc::new(Actor {
            user: self.user.clone(),
            officer: self.officer,
            unit: self.unit.clone(),
            action: call.action,
            record: call.record,
            detail: call.detail.clone(),
            at: now,
            written: AtomicBool::new(false),
        });
        let desk = self.desk.acting(actor.clone());
        let result = f(&desk);
        let written = actor.written.load(Ordering::SeqCst);
        let is_change = call.permission.is_some_and(|p| {
            !matches!(
                p,
                Permission::Read | Permission::ReadAudit | Permission::Export
            )
        });
        match &result {
            Ok(_) if written || !(call.audit_read || is_change) => {}
            Ok(_) => {
                self.audit_only(call.action, call.record, call.detail, Outcome::Ok)?;
            }
            Err(e) => {
                let outcome = match e {
                    ServiceError::Refused(_)
                    | ServiceError::Forbidden(_)
                    | ServiceError::Rule(_)
                    | ServiceError::RosterRefused(_) => Outcome::Refused,
                    _ => Outcome::Failed,
                };
                if call.audit_read || is_change || outcome == Outcome::Refused {
                    self.audit_only(
                        call.action,
                        call.record,
                        join(&call.detail, &e.to_string()),
                        outcome,
                    )?;
                }
            }
        }
        result
    }
}

fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.into(),
        (_, true) => a.into(),
        _ => format!("{a}: {b}"),
    }
}

impl Drop for SessionDesk {
    fn drop(&mut self) {
        // Nowhere to report a failure at log-off; the log-on and every request are audited.
        let _ = self.audit_only("logoff", None, String::new(), Outcome::Ok);
        // The entries of reads and the log-off are appended without a sync of their own;
        // a console hung up a moment after it read would leave them to the store's
        // background flusher, which dies with the process.
        let _ = self.desk.store().sync_now();
    }
}

/// One request of the list (`requests.rs`) as the session serves it: its permission, its
/// audit entry, then the shared desk acting as the session's officer.
macro_rules! session_method {
    ($name:ident ($($arg:ident : $ty:ty),*) -> $ret:ty { allow: session, $($rest:tt)* }) => {
        fn $name(&self, $($arg: $ty),*) -> Result<$ret> {
            SessionControl::$name(self, $($arg),*)
        }
    };
    ($name:ident ($($arg:ident : $ty:ty),*) -> $ret:ty
        { allow: kind($kind:expr), audited: $audited:literal, $($rest:tt)* }) => {
        session_method!(@call $name ($($arg: $ty),*) -> $ret, to_save($kind), $audited, $($rest)*);
    };
    ($name:ident ($($arg:ident : $ty:ty),*) -> $ret:ty
        { allow: P::$perm:ident, audited: $audited:literal, $($rest:tt)* }) => {
        session_method!(@call $name ($($arg: $ty),*) -> $ret, Permission::$perm, $audited, $($rest)*);
    };
    (@call $name:ident ($($arg:ident : $ty:ty),*) -> $ret:ty, $perm:expr, $audited:literal,
        $(record: $rec:expr,)? $(detail: $detail:expr,)? fills: $fills:literal, rule: $rule:literal) => {
        fn $name(&self, $($arg: $ty),*) -> Result<$ret> {
            let call = Call::new(stringify!($name), $perm)
                .audited_if($audited)
                $(.record($rec))?
                $(.detail($detail))?;
            self.run(call, |d| d.$name($($arg),*))
        }
    };
}

macro_rules! define_session {
    ($(
        $variant:ident fn $name:ident ( $( $arg:ident : $ty:ty $([$owned:ty])? ),* $(,)? )
            -> $ret:ty $(as $wire:ty)? { $($meta:tt)* }
    )*) => {
        impl DeskApi for SessionDesk {
            $( session_method!($name ($($arg: $ty),*) -> $ret { $($meta)* }); )*

            fn warm_up(&self) {
                self.desk.warm_up();
            }
        }
    };
}

crate::for_each_desk_method!(define_session);

/// The daemon's door: the peer's OS user (from the kernel) must have an account; the
/// session then has the account's officer and that officer's role. Refusals are audited.
pub struct AccountGate {
    clock: Clock,
    limiter: LogonLimiter,
}

impl AccountGate {
    pub fn new(clock: Clock) -> AccountGate {
        AccountGate {
            clock,
            limiter: LogonLimiter::default(),
        }
    }
}

impl super::gate::Gate for AccountGate {
    fn admit(&self, peer: &super::gate::Peer, desk: &LocalDesk) -> Result<super::gate::Session> {
        let user = account_name(peer.uid, peer.user.clone());
        Ok(Box::new(SessionDesk::admit_limited(
            desk,
            &user,
            self.clock.clone(),
            &self.limiter,
        )?))
    }
}
