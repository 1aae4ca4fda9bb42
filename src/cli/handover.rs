//! `trucban handover` and `trucban report`: the shift handover sheet and the periodic report
//! as plain text (80 columns), Markdown or JSON. The service composes and counts; this only
//! picks the shift or the period and prints.

use std::io::Write as _;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::domain::report::Period;
use crate::domain::shifts::{ShiftPlan, ShiftWindow};
use crate::domain::{Instant, Kind, Record, RecordId};
use crate::i18n::Lang;
use crate::service::DeskApi;

use super::output::BAD_INPUT;

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
        _ => Err(format!(
            "unknown format {text:?} (expected text, md or json)"
        )),
    }
}

/// The plain-text width: the console's, so a sheet pastes into any 80-column message.
pub const TEXT_WIDTH: usize = 80;

fn bad(message: String) -> anyhow::Result<ExitCode> {
    let message = crate::domain::text::display_safe(&message).into_owned();
    let _ = writeln!(std::io::stderr(), "trucban: {message}");
    Ok(ExitCode::from(BAD_INPUT))
}

/// `--shift current|previous|GC-…`: the shift's window, or a message.
fn pick_shift(
    desk: &dyn DeskApi,
    plan: &ShiftPlan,
    shift: &str,
    now: Instant,
) -> anyhow::Result<Result<ShiftWindow, String>> {
    Ok(Ok(match shift {
        "current" => plan.shift_at(now),
        "previous" => plan.previous(now),
        other => {
            let id = match other.parse::<RecordId>() {
                Ok(id) if id.kind() == Kind::Handover => id,
                _ => {
                    return Ok(Err(format!(
                        "--shift {other:?}: expected current, previous or a handover ID like GC-000007"
                    )));
                }
            };
            match desk.get(id)? {
                Some(Record::Handover(h)) => ShiftWindow {
                    start: h.shift_start,
                    end: h.shift_end,
                },
                _ => return Ok(Err(format!("{id} is not in the store"))),
            }
        }
    }))
}

pub fn handover(
    desk: &dyn DeskApi,
    plan: &ShiftPlan,
    shift: &str,
    format: Output,
    lang: Lang,
    now: Instant,
) -> anyhow::Result<ExitCode> {
    let window = match pick_shift(desk, plan, shift, now)? {
        Ok(w) => w,
        Err(message) => return bad(message),
    };
    let next = plan.shift_at(window.end);
    let sheet = desk.handover_sheet(window, next, now, lang)?;
    let out = match format {
        Output::Text => sheet.to_text(lang, TEXT_WIDTH),
        Output::Markdown => sheet.to_markdown(lang),
        Output::Json => crate::domain::safe_json::to_string_pretty(&sheet)? + "\n",
    };
    print(&out)
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
        Err(message) => return bad(message),
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
