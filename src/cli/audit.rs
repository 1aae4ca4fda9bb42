//! `trucban audit` (the auditor's: `verify` the chain, or list entries by officer, record
//! and time) and `trucban account` (the administrator's: map an OS user to an officer with
//! a PIN, list the accounts). Both go through the service, so over the daemon they are
//! refused to other roles (and the refusal is audited).
//!
//! A listed entry's number is its place in its unit's chain (the unit in brackets; `-` is
//! the desk's own chain).
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
            let (n, k) = (check.entries, check.chains);
            let line = lang.pick_owned(
                &format!("Nhật ký kiểm toán nguyên vẹn: {n} mục trong {k} chuỗi"),
                &format!("audit chains intact: {n} entries in {k} chains"),
            );
            writeln!(out, "{line}")?;
            Ok(ExitCode::SUCCESS)
        }
        Some(why) => {
            let why = display_safe(&why);
            let line = lang.pick_owned(
                &format!("Nhật ký kiểm toán BỊ ĐỨT: {why}"),
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
            "{:>6} {} [{}] {} {} {} {} {} {}",
            e.seq,
            lang.date_time_secs(d.at),
            if d.unit.is_empty() { "-" } else { &d.unit },
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
fn read_pin(lang: Lang) -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        return Ok(line.trim().to_string());
    }
    let first =
        rpassword::prompt_password(lang.pick("Mã PIN (6–12 chữ số): ", "PIN (6–12 digits): "))?;
    let second = rpassword::prompt_password(lang.pick("Nhập lại mã PIN: ", "PIN again: "))?;
    if first != second {
        return Err(super::told::told(
            "account.pins_differ",
            "hai lần nhập mã PIN khác nhau: không thay đổi gì",
            "the two PINs differ: nothing was changed",
        ));
    }
    Ok(first)
}

pub fn set_account(
    desk: &dyn DeskApi,
    user: &str,
    officer: RecordId,
    new_pin: bool,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let pin = if new_pin { Some(read_pin(lang)?) } else { None };
    desk.set_account(user, officer, pin)?;
    let user = display_safe(user);
    let line = match (lang, new_pin) {
        (Lang::Vi, true) => format!("đã lưu tài khoản {user} → {officer} với mã PIN mới"),
        (Lang::Vi, false) => format!("đã lưu tài khoản {user} → {officer}"),
        (Lang::En, true) => format!("account {user} → {officer} saved with its new PIN"),
        (Lang::En, false) => format!("account {user} → {officer} saved"),
    };
    writeln!(std::io::stdout(), "{line}")?;
    Ok(ExitCode::SUCCESS)
}

pub fn list_accounts(desk: &dyn DeskApi, lang: Lang) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    for a in desk.accounts()? {
        let line = format!(
            "{} {} {}{}",
            a.user,
            a.officer,
            match (a.has_pin, lang) {
                (true, Lang::Vi) => "có PIN",
                (false, Lang::Vi) => "chưa có PIN",
                (true, Lang::En) => "pin",
                (false, Lang::En) => "no-pin",
            },
            a.locked_until
                .map(|t| {
                    let at = crate::domain::time::clock(t);
                    lang.pick_owned(&format!(" khoá đến {at}"), &format!(" locked until {at}"))
                })
                .unwrap_or_default()
        );
        writeln!(out, "{}", display_safe(&line))?;
    }
    Ok(ExitCode::SUCCESS)
}
