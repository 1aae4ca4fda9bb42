//! `trucban audit` (the auditor's: `verify` the chain, or list entries by officer, record
//! and time) and `trucban account` (the administrator's: map an OS user to an officer with
//! a PIN, list the accounts). Both go through the service, so over the daemon they are
//! refused to other roles (and the refusal is audited).
//!
//! Exit codes of `audit verify`: 0 intact; 4 broken (where is printed); 1 failed.

use std::io::Write;
use std::process::ExitCode;

use crate::domain::RecordId;
use crate::domain::audit::AuditQuery;
use crate::domain::text::display_safe;
use crate::i18n::Lang;
use crate::service::DeskApi;

pub const CHAIN_BROKEN: u8 = 4;

pub fn verify(desk: &dyn DeskApi, lang: Lang) -> anyhow::Result<ExitCode> {
    let check = desk.audit_verify()?;
    let mut out = std::io::stdout().lock();
    match check.broken {
        None => {
            let n = check.entries;
            let line = lang.pick_owned(
                &format!("Chuỗi nhật ký kiểm toán nguyên vẹn: {n} mục"),
                &format!("audit chain intact: {n} entries"),
            );
            writeln!(out, "{line}")?;
            Ok(ExitCode::SUCCESS)
        }
        Some(why) => {
            let why = display_safe(&why);
            let line = lang.pick_owned(
                &format!("Chuỗi nhật ký kiểm toán BỊ ĐỨT: {why}"),
                &format!("audit chain BROKEN: {why}"),
            );
            writeln!(out, "{line}")?;
            Ok(ExitCode::from(CHAIN_BROKEN))
        }
    }
}

pub fn list(
    desk: &dyn DeskApi,
    query: &AuditQuery,
    json: bool,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let entries = desk.audit(query)?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &entries)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    for e in &entries {
        let d = &e.draft;
        let line = format!(
            "{:>6} {} {} {} {} {} {} {}",
            e.seq,
            lang.date_time_secs(d.at),
            d.user,
            d.officer
                .map(|o| o.to_string())
                .unwrap_or_else(|| "-".into()),
            d.action,
            d.record
                .map(|r| r.to_string())
                .unwrap_or_else(|| "-".into()),
            d.outcome.code(),
            d.detail
        );
        writeln!(out, "{}", display_safe(&line))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The PIN typed twice without echo (or one line on stdin when it is not a terminal).
fn read_pin() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        return Ok(line.trim().to_string());
    }
    let first = rpassword::prompt_password("PIN (6–12 digits): ")?;
    let second = rpassword::prompt_password("PIN again: ")?;
    anyhow::ensure!(first == second, "the two PINs differ: nothing was changed");
    Ok(first)
}

pub fn set_account(
    desk: &dyn DeskApi,
    user: &str,
    officer: RecordId,
    new_pin: bool,
) -> anyhow::Result<ExitCode> {
    let pin = if new_pin { Some(read_pin()?) } else { None };
    desk.set_account(user, officer, pin)?;
    writeln!(
        std::io::stdout(),
        "account {} → {officer} saved{}",
        display_safe(user),
        if new_pin { " with its new PIN" } else { "" }
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn list_accounts(desk: &dyn DeskApi) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    for a in desk.accounts()? {
        let line = format!(
            "{} {} {}{}",
            a.user,
            a.officer,
            if a.has_pin { "pin" } else { "no-pin" },
            a.locked_until
                .map(|t| format!(" locked until {}", crate::domain::time::clock(t)))
                .unwrap_or_default()
        );
        writeln!(out, "{}", display_safe(&line))?;
    }
    Ok(ExitCode::SUCCESS)
}
