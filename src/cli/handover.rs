//! `trucban handover` and `trucban report`: the shift handover sheet and the periodic report
//! as plain text (80 columns), Markdown or JSON. The service composes and counts; this only
//! picks the shift or the period and prints. `handover sign` and `handover acknowledge` send
//! the console's two handover requests, as the session's officer.

use std::io::Write as _;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::domain::report::Period;
use crate::domain::shifts::{ShiftPlan, ShiftWindow};
use crate::domain::{Instant, Kind, Record, RecordId};
use crate::i18n::Lang;
use crate::service::DeskApi;

/// How `handover` and `report` print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Text,
    Markdown,
    Json,
}

pub fn parse_output(text: &str) -> Result<Output, String> {
    match text {
        "text" => Ok(Output::Text),
        "md" | "markdown" => Ok(Output::Markdown),
        "json" => Ok(Output::Json),
        _ => Err(super::told::early_lang().pick_owned(
            &format!("định dạng lạ {text:?} (cần text, md hoặc json)"),
            &format!("unknown format {text:?} (expected text, md or json)"),
        )),
    }
}

/// The plain-text width: the console's, so a sheet pastes into any 80-column message.
pub const TEXT_WIDTH: usize = 80;

fn bad(message: String) -> anyhow::Result<ExitCode> {
    super::writes::bad("invalid", &message)
}

/// The service answered a handover write with another record (a bug on its side).
fn answered(id: crate::domain::RecordId) -> anyhow::Error {
    super::told::told(
        "daemon.unexpected",
        format!("dịch vụ trả lời bằng {id}, không phải sổ giao ca"),
        format!("the service answered {id}, not a handover"),
    )
}

/// `--shift current|previous|GC-…`: the shift's window, or a message.
fn pick_shift(
    desk: &dyn DeskApi,
    plan: &ShiftPlan,
    shift: &str,
    now: Instant,
    lang: Lang,
) -> anyhow::Result<Result<ShiftWindow, String>> {
    Ok(Ok(match shift {
        "current" => plan.shift_at(now),
        "previous" => plan.previous(now),
        other => {
            let id = match other.parse::<RecordId>() {
                Ok(id) if id.kind() == Kind::Handover => id,
                _ => {
                    return Ok(Err(match lang {
                        Lang::Vi => format!(
                            "--shift {other:?}: dùng current, previous hoặc mã sổ giao ca như GC-000007"
                        ),
                        Lang::En => format!(
                            "--shift {other:?}: expected current, previous or a handover ID like GC-000007"
                        ),
                    }));
                }
            };
            match desk.get(id)? {
                Some(Record::Handover(h)) => ShiftWindow {
                    start: h.shift_start,
                    end: h.shift_end,
                },
                _ => return Ok(Err(crate::service::ServiceError::NotFound(id).label(lang))),
            }
        }
    }))
}

pub fn handover(
    desk: &dyn DeskApi,
    (plan, unit): (&ShiftPlan, &[String]),
    shift: &str,
    format: Output,
    lang: Lang,
    now: Instant,
) -> anyhow::Result<ExitCode> {
    let window = match pick_shift(desk, plan, shift, now, lang)? {
        Ok(w) => w,
        Err(message) => return bad(message),
    };
    let next = plan.shift_at(window.end);
    let mut sheet = desk.handover_sheet(window, next, now, lang)?;
    sheet.unit = unit.to_vec();
    let out = match format {
        Output::Text => sheet.to_text(lang, TEXT_WIDTH),
        Output::Markdown => sheet.to_markdown(lang),
        Output::Json => crate::domain::safe_json::to_string_pretty(&sheet)? + "\n",
    };
    print(&out)
}

/// `handover sign`: the shift's handover signed by the session's officer, now.
pub fn sign(
    desk: &dyn DeskApi,
    plan: &ShiftPlan,
    shift: &str,
    text: &str,
    lang: Lang,
    now: Instant,
) -> anyhow::Result<ExitCode> {
    let window = match pick_shift(desk, plan, shift, now, lang)? {
        Ok(w) => w,
        Err(message) => return bad(message),
    };
    if let Err(code) = super::writes::acting(desk, lang)? {
        return Ok(code);
    }
    let signed = desk.sign_handover(window, super::writes::SESSION_OFFICER, text, now);
    let h = match signed {
        Ok(Record::Handover(h)) => h,
        Ok(other) => return Err(answered(other.id())),
        Err(e) => return super::writes::refused(e, lang),
    };
    // The shift, not the time of signing: it is what the incoming officer looks for.
    let span = format!(
        "{}–{}",
        lang.date_time(h.shift_start),
        lang.date_time(h.shift_end)
    );
    super::writes::say(&match lang {
        Lang::Vi => format!(
            "Đã ký {}: bàn giao ca {span}, người ký {}",
            h.id, h.from_officer
        ),
        Lang::En => format!(
            "Signed {}: handover of the shift {span}, by {}",
            h.id, h.from_officer
        ),
    })
}

/// `handover acknowledge`: the session's officer takes the shift over; the handover closes.
pub fn acknowledge(
    desk: &dyn DeskApi,
    id: RecordId,
    remarks: &str,
    lang: Lang,
    now: Instant,
) -> anyhow::Result<ExitCode> {
    if let Err(code) = super::writes::acting(desk, lang)? {
        return Ok(code);
    }
    match desk.acknowledge_handover(id, super::writes::SESSION_OFFICER, remarks, now) {
        Ok(Record::Handover(h)) => {
            let by = h.to_officer.map(|o| o.to_string()).unwrap_or_default();
            super::writes::say(&match lang {
                Lang::Vi => format!("Đã nhận {}: {by} nhận ca; sổ giao ca đã khóa", h.id),
                Lang::En => format!(
                    "Acknowledged {}: {by} takes the shift over; the handover is closed",
                    h.id
                ),
            })
        }
        Ok(other) => Err(answered(other.id())),
        Err(e) => super::writes::refused(e, lang),
    }
}

pub fn report(
    desk: &dyn DeskApi,
    from: NaiveDate,
    to: NaiveDate,
    format: Output,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let period = match Period::new(from, to) {
        Ok(p) => p,
        Err(message) => return bad(message.get(lang).to_string()),
    };
    let report = desk.report(period, lang)?;
    let out = match format {
        Output::Text => report.to_text(lang),
        Output::Markdown => report.to_markdown(lang),
        Output::Json => crate::domain::safe_json::to_string_pretty(&report)? + "\n",
    };
    print(&out)
}

/// Not println!: it panics when stdout is gone (a closed pipe, a dropped link).
fn print(text: &str) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}
