//! Who may do what: the roles of the desk and what each may ask of the service, officer
//! accounts (an operating-system user mapped to an officer, with a PIN kept only as a salted
//! slow hash) and the PIN lockout, and restricted notes readable only by the officers named
//! on them. Pure rules; the service enforces them on every request.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::campaign::OfficerRole;
use super::ids::{Kind, RecordId};
use super::time::Instant;

super::codes::code_enum!(
    /// What a request needs; the labels finish "may not …" / "không được …".
    Permission {
        Read = "read", "xem hồ sơ", "read records";
        Hits = "hits", "ghi kết quả đối chiếu", "record hit outcomes";
        Sightings = "sightings", "ghi phát hiện đối tượng", "record sightings";
        Inspections = "inspections", "ghi kiểm tra cơ sở lưu trú", "record lodging inspections";
        Log = "log", "ghi nhật ký trực ban", "write the duty log";
        Handover = "handover", "ký hoặc nhận bàn giao ca", "sign or acknowledge handovers";
        Tips = "tips", "tiếp nhận và xử lý tin báo", "take and follow tips";
        Cases = "cases", "ghi và theo dõi vụ án", "record and follow cases";
        EditRecords = "edit_records", "sửa hồ sơ", "edit records";
        EditRoster = "edit_roster", "sửa lịch phân công", "edit rosters";
        Import = "import", "nhập dữ liệu", "import data";
        Export = "export", "xuất dữ liệu", "export data";
        Accounts = "accounts", "quản lý tài khoản", "manage accounts";
        ReadAudit = "read_audit", "xem nhật ký kiểm toán", "read the audit trail";
    }
);

/// Why a session was refused a request: who, in which role, and what the request needs —
/// said in words (never the name of the service's method).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Denial {
    pub user: String,
    /// None for the store owner's own session.
    pub role: Option<OfficerRole>,
    pub needs: Permission,
}

impl Denial {
    pub fn label(&self, lang: crate::i18n::Lang) -> String {
        let role = self.role.map_or(
            lang.pick("chủ kho dữ liệu", "the store's owner"),
            |r| r.label(lang),
        );
        let who_may: Vec<&str> = OfficerRole::ALL
            .iter()
            .filter(|r| allows(**r, self.needs))
            .map(|r| r.label(lang))
            .collect();
        let who_may = who_may.join(", ");
        // Short enough for the console's status line at 80 columns; the account is the
        // officer's own (the audit trail names it).
        lang.pick_owned(
            &format!(
                "Vai trò {role} không được {} (dành cho: {who_may})",
                self.needs.label(lang)
            ),
            &format!(
                "Role {role} may not {} (for: {who_may})",
                self.needs.label(lang)
            ),
        )
    }
}

impl std::fmt::Display for Denial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.user, self.label(crate::i18n::Lang::En))
    }
}

/// What `role` may do. A supervisor can do all a duty officer can and edit records and
/// rosters; an administrator imports, exports and keeps accounts (and reads records); an
/// auditor reads the audit trail and nothing else (least privilege: the auditor checks the
/// desk, it does not work it).
pub fn allows(role: OfficerRole, permission: Permission) -> bool {
    use Permission as P;
    let duty = matches!(
        permission,
        P::Read
            | P::Hits
            | P::Sightings
            | P::Inspections
            | P::Log
            | P::Handover
            | P::Tips
            | P::Cases
    );
    match role {
        OfficerRole::Duty => duty,
        OfficerRole::Supervisor => duty || matches!(permission, P::EditRecords | P::EditRoster),
        OfficerRole::Admin => matches!(permission, P::Read | P::Import | P::Export | P::Accounts),
        OfficerRole::Auditor => permission == P::ReadAudit,
    }
}

/// What saving a record of `kind` needs.
pub fn to_save(kind: Kind) -> Permission {
    match kind {
        Kind::Sighting => Permission::Sightings,
        Kind::Inspection => Permission::Inspections,
        Kind::DutyLog => Permission::Log,
        Kind::Handover => Permission::Handover,
        Kind::Tip => Permission::Tips,
        Kind::Case => Permission::Cases,
        Kind::Hit => Permission::Hits,
        Kind::Assignment => Permission::EditRoster,
        _ => Permission::EditRecords,
    }
}

/// An officer account: the OS user the kernel names on the socket, the officer it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub user: String,
    pub officer: RecordId,
    /// Argon2id PHC string (salt and parameters inside); empty = no PIN set (cannot unlock).
    pub pin_hash: String,
    /// Wrong PINs since the last right one.
    #[serde(default)]
    pub failed: u32,
    #[serde(default)]
    pub locked_until: Option<Instant>,
    /// The officer locked the console, or it locked itself when idle: every connection of
    /// the account starts locked until the PIN is given (the lock belongs to the account,
    /// not to one connection).
    #[serde(default)]
    pub locked: bool,
}

impl Account {
    /// Whether a session of this account must give the PIN before anything else at `now`.
    pub fn is_locked(&self, now: Instant) -> bool {
        self.locked || self.locked_until.is_some_and(|until| now < until)
    }
}

/// What an account shows to an administrator (never the hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    pub user: String,
    pub officer: RecordId,
    pub has_pin: bool,
    pub locked_until: Option<Instant>,
}

impl From<&Account> for AccountInfo {
    fn from(a: &Account) -> AccountInfo {
        AccountInfo {
            user: a.user.clone(),
            officer: a.officer,
            has_pin: !a.pin_hash.is_empty(),
            locked_until: a.locked_until,
        }
    }
}

/// Wrong PINs allowed before the account locks, and for how long it locks.
pub const PIN_TRIES: u32 = 5;
pub fn pin_lockout() -> Duration {
    Duration::minutes(10)
}

/// Why an unlock failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum UnlockRefused {
    #[error("wrong PIN ({left} tries left before the account locks for 10 minutes)")]
    WrongPin { left: u32 },
    #[error("too many wrong PINs: the account is locked until {until}")]
    LockedOut { until: Instant },
    #[error("this account has no PIN: ask an administrator to set one")]
    NoPin,
}

impl UnlockRefused {
    pub fn label(&self, lang: crate::i18n::Lang) -> String {
        let local = |t: &Instant| super::time::clock(*t);
        match self {
            UnlockRefused::WrongPin { left } => lang.pick_owned(
                &format!("Sai mã PIN (còn {left} lần trước khi khoá tài khoản 10 phút)"),
                &format!("Wrong PIN ({left} tries left before the account locks for 10 minutes)"),
            ),
            UnlockRefused::LockedOut { until } => lang.pick_owned(
                &format!(
                    "Nhập sai quá nhiều lần: tài khoản bị khoá đến {}",
                    local(until)
                ),
                &format!(
                    "Too many wrong PINs: the account is locked until {}",
                    local(until)
                ),
            ),
            UnlockRefused::NoPin => lang.pick_owned(
                "Tài khoản chưa có mã PIN: đề nghị quản trị đặt mã",
                "This account has no PIN: ask an administrator to set one",
            ),
        }
    }
}

/// The account after a PIN attempt at `now`, and whether it unlocks. `pin_ok` is the hash
/// check (not made while locked out, so a locked account gives no oracle).
pub fn attempt(
    account: &Account,
    now: Instant,
    pin_ok: impl FnOnce() -> bool,
) -> (Account, Result<(), UnlockRefused>) {
    let mut next = account.clone();
    if let Some(until) = account.locked_until
        && now < until
    {
        return (next, Err(UnlockRefused::LockedOut { until }));
    }
    next.locked_until = None;
    if account.pin_hash.is_empty() {
        return (next, Err(UnlockRefused::NoPin));
    }
    if pin_ok() {
        next.failed = 0;
        return (next, Ok(()));
    }
    next.failed += 1;
    if next.failed >= PIN_TRIES {
        let until = now + pin_lockout();
        next.failed = 0;
        next.locked_until = Some(until);
        return (next, Err(UnlockRefused::LockedOut { until }));
    }
    let left = PIN_TRIES - next.failed;
    (next, Err(UnlockRefused::WrongPin { left }))
}

/// A PIN must be 6 to 12 digits.
pub fn check_pin_shape(pin: &str) -> Result<(), crate::i18n::Said> {
    if (6..=12).contains(&pin.chars().count()) && pin.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(crate::i18n::Said::new(
            "mã PIN gồm 6 đến 12 chữ số",
            "a PIN is 6 to 12 digits",
        ))
    }
}

/// A note on a record about an informant or a witness: kept apart from the record (never in
/// exports, reports, the search index or the handover) and readable only by the officers
/// named on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestrictedNote {
    pub text: String,
    pub officers: Vec<RecordId>,
    pub by: Option<RecordId>,
    pub at: Instant,
}

impl RestrictedNote {
    pub fn readable_by(&self, officer: Option<RecordId>) -> bool {
        officer.is_some_and(|o| self.officers.contains(&o))
    }
}

/// Who a session is, as the console shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: String,
    pub officer: Option<RecordId>,
    /// None: the store's owner working on it directly (no daemon): every permission.
    pub role: Option<OfficerRole>,
    pub locked: bool,
    /// Whether this session can be unlocked with a PIN (an account with a PIN).
    pub has_pin: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> Account {
        Account {
            user: "trucban1".into(),
            officer: RecordId::new(Kind::Officer, 3),
            pin_hash: "x".into(),
            failed: 0,
            locked_until: None,
            locked: false,
        }
    }

    fn t(min: i64) -> Instant {
        chrono::DateTime::from_timestamp(1_800_000_000 + min * 60, 0).unwrap_or_default()
    }

    #[test]
    fn each_role_has_exactly_its_permissions() {
        use OfficerRole::*;
        use Permission as P;
        let all = [
            P::Read,
            P::Hits,
            P::Sightings,
            P::Inspections,
            P::Log,
            P::Handover,
            P::Tips,
            P::EditRecords,
            P::EditRoster,
            P::Import,
            P::Export,
            P::Accounts,
            P::ReadAudit,
        ];
        let granted = |role| -> Vec<P> { all.into_iter().filter(|p| allows(role, *p)).collect() };
        assert_eq!(
            granted(Duty),
            [
                P::Read,
                P::Hits,
                P::Sightings,
                P::Inspections,
                P::Log,
                P::Handover,
                P::Tips
            ]
        );
        assert_eq!(
            granted(Supervisor),
            [
                P::Read,
                P::Hits,
                P::Sightings,
                P::Inspections,
                P::Log,
                P::Handover,
                P::Tips,
                P::EditRecords,
                P::EditRoster
            ]
        );
        assert_eq!(granted(Admin), [P::Read, P::Import, P::Export, P::Accounts]);
        assert_eq!(granted(Auditor), [P::ReadAudit]);
    }

    #[test]
    fn five_wrong_pins_lock_the_account_for_ten_minutes() {
        let mut a = account();
        for left in (1..PIN_TRIES).rev() {
            let (next, r) = attempt(&a, t(0), || false);
            assert_eq!(r, Err(UnlockRefused::WrongPin { left }));
            a = next;
        }
        let (a, r) = attempt(&a, t(0), || false);
        assert_eq!(r, Err(UnlockRefused::LockedOut { until: t(10) }));
        // Even the right PIN is refused, unchecked, until the lockout ends.
        let (a, r) = attempt(&a, t(9), || panic!("the PIN must not be checked"));
        assert_eq!(r, Err(UnlockRefused::LockedOut { until: t(10) }));
        let (a, r) = attempt(&a, t(10), || true);
        assert_eq!(r, Ok(()));
        assert_eq!((a.failed, a.locked_until), (0, None));
    }

    #[test]
    fn a_right_pin_resets_the_count() {
        let (a, _) = attempt(&account(), t(0), || false);
        let (a, _) = attempt(&a, t(0), || false);
        assert_eq!(a.failed, 2);
        let (a, r) = attempt(&a, t(0), || true);
        assert_eq!((r, a.failed), (Ok(()), 0));
    }

    #[test]
    fn pins_are_six_to_twelve_digits() {
        assert!(check_pin_shape("123456").is_ok());
        assert!(check_pin_shape("12345").is_err());
        assert!(check_pin_shape("1234567890123").is_err());
        assert!(check_pin_shape("12345a").is_err());
    }
}
