//! What the subcommands that write through a session share (`roster add|move|swap`,
//! `handover sign|acknowledge`): who acts, and how a refusal is said. Who acted is never
//! taken from the command line: the request carries an empty officer (number 0) and the
//! session — the daemon's, or the store owner's — fills in its own.

use std::io::Write as _;
use std::process::ExitCode;

use crate::domain::{Kind, RecordId};
use crate::i18n::Lang;
use crate::service::{DeskApi, ServiceError};

use super::output::BAD_INPUT;

/// The empty officer a write request carries: the session fills it in.
pub const SESSION_OFFICER: RecordId = RecordId::new(Kind::Officer, 0);

/// The session's officer, or `Err(exit code)` after saying there is none. Through a daemon
/// there always is one (the account's); on the store itself only with `--officer` or an
/// account for the OS user — without one the service could only name "CB-000000".
pub fn acting(desk: &dyn DeskApi, lang: Lang) -> anyhow::Result<Result<RecordId, ExitCode>> {
    if let Some(officer) = desk.whoami()?.officer {
        return Ok(Ok(officer));
    }
    let code = bad(
        "session.no_officer",
        lang.pick(
        "không biết cán bộ nào đang làm việc: chỉ định --officer CB-000012, hoặc tạo tài khoản cho người dùng này (`trucban account set`); không có gì được ghi",
        "no officer is acting: give --officer CB-000012, or give this OS user an account (`trucban account set`); nothing was written",
        ),
    )?;
    Ok(Err(code))
}

/// A write the service refused for what was asked — a rule, a record not in the store, the
/// problems a roster edit would create — said in the officer's language, exit 2 (nothing
/// was written, as for any bad input). Any other failure (permission, store, daemon) is
/// returned: the caller says it and exits 1, like every other subcommand.
pub fn refused(e: ServiceError, lang: Lang) -> anyhow::Result<ExitCode> {
    match e {
        ServiceError::Rule(_)
        | ServiceError::NotFound(_)
        | ServiceError::Invalid(_)
        | ServiceError::RosterRefused(_) => bad(&e.code(), &e.label(lang)),
        other => Err(other.into()),
    }
}

/// `trucban [CODE]: MESSAGE` on stderr (neutralised: it may quote outside text), exit 2.
pub fn bad(code: &str, message: &str) -> anyhow::Result<ExitCode> {
    let message = crate::domain::text::display_safe(message).into_owned();
    // Not eprintln!: it panics when stderr is gone (a dropped SSH link).
    let _ = writeln!(std::io::stderr(), "trucban [{code}]: {message}");
    Ok(ExitCode::from(BAD_INPUT))
}

/// One line on stdout (neutralised); a closed pipe is not a failure of the write, which is
/// done.
pub fn say(line: &str) -> anyhow::Result<ExitCode> {
    let line = crate::domain::text::display_safe(line).into_owned();
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{line}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}
