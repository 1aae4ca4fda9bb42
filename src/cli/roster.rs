//! `trucban roster check` and `trucban roster show`: a campaign's roster problems and its
//! grid, in text that fits 80 columns or in JSON. `roster add`, `move` and `swap` send the
//! console's roster edits (the same service request, the same rules); an edit that would
//! create a double booking or a short rest is refused with those problems (exit 2).
//!
//! Exit codes of `check`: 0 no problems; 3 problems found (printed); 1 failed; 2 bad
//! input (an unknown campaign). 3, not 1, so that a script tells "the roster needs work"
//! from "the check could not run".

use std::io::Write;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::domain::text::display_safe;
use crate::domain::{Kind, Record, RecordId, Shift};
use crate::i18n::Lang;
use crate::service::roster::RosterEdit;
use crate::service::{DeskApi, ListQuery, ServiceError};

pub const PROBLEMS_FOUND: u8 = 3;

/// The campaigns to check: the one given, or every campaign.
fn campaigns(desk: &dyn DeskApi, given: Option<RecordId>) -> anyhow::Result<Option<Vec<RecordId>>> {
    if let Some(id) = given {
        return Ok(match desk.get(id)? {
            Some(Record::Campaign(_)) => Some(vec![id]),
            _ => None,
        });
    }
    let campaigns = desk.list(&ListQuery::all(Kind::Campaign))?.records;
    Ok(Some(campaigns.iter().map(Record::id).collect()))
}

fn unknown(id: Option<RecordId>, lang: Lang) -> anyhow::Result<ExitCode> {
    let id = id.map(|i| i.to_string()).unwrap_or_default();
    super::writes::bad(
        "not_found",
        &match lang {
            Lang::Vi => {
                format!(
                    "{id} không phải chuyên đề trong kho dữ liệu (xem `trucban export campaigns`)"
                )
            }
            Lang::En => {
                format!("{id} is not a campaign in the store (see `trucban export campaigns`)")
            }
        },
    )
}

pub fn check(
    desk: &dyn DeskApi,
    campaign: Option<RecordId>,
    json: bool,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let Some(ids) = campaigns(desk, campaign)? else {
        return unknown(campaign, lang);
    };
    let mut out = std::io::stdout().lock();
    let mut total = 0;
    let mut all = Vec::new();
    for id in ids {
        let problems = desk.roster_problems(id)?;
        total += problems.len();
        if json {
            all.push(serde_json::json!({ "campaign_id": id, "problems": problems }));
            continue;
        }
        let head = match lang {
            Lang::Vi => format!("{id}: {} vấn đề", problems.len()),
            Lang::En => format!("{id}: {} problem(s)", problems.len()),
        };
        writeln!(out, "{head}")?;
        for p in &problems {
            for line in wrap(&display_safe(&p.label(lang)), 76) {
                writeln!(out, "  {line}")?;
            }
            // The IDs say which records; the officer's name and the shifts say what to fix.
            let context = problem_context(desk, p, lang)?;
            if !context.is_empty() {
                for line in wrap(&display_safe(&context), 74) {
                    writeln!(out, "    {line}")?;
                }
            }
        }
    }
    if json {
        writeln!(
            out,
            "{}",
            crate::domain::safe_json::to_string(&serde_json::Value::Array(all))?
        )?;
    }
    Ok(if total == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(PROBLEMS_FOUND)
    })
}

/// Words onto lines of at most `width` characters (a longer word stands alone).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

pub fn show(
    desk: &dyn DeskApi,
    campaign: RecordId,
    date: Option<NaiveDate>,
    json: bool,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    if campaigns(desk, Some(campaign))?.is_none() {
        return unknown(Some(campaign), lang);
    }
    let roster = desk.roster(campaign)?;
    let shifts: Vec<_> = roster
        .shifts
        .iter()
        .filter(|s| date.is_none_or(|d| s.date == d))
        .collect();
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", crate::domain::safe_json::to_string(&shifts)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    for s in shifts {
        let (start, end) = (
            crate::domain::time::clock(s.start),
            crate::domain::time::clock(s.end),
        );
        writeln!(
            out,
            "{} {} {start}–{end}",
            lang.date(s.date),
            s.shift.label(lang)
        )?;
        for p in &s.posts {
            let names: Vec<String> = p
                .slots
                .iter()
                .map(|slot| format!("{} {}", slot.officer_id, slot.officer))
                .collect();
            let names = if names.is_empty() {
                lang.pick("(trống)", "(nobody)").to_string()
            } else {
                names.join(", ")
            };
            let text = display_safe(&format!("{}: {names}", p.post)).into_owned();
            for line in wrap(&text, 76) {
                writeln!(out, "  {line}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `roster add|move|swap`: the edit sent as the session's officer; what was saved, or why not.
pub fn edit(desk: &dyn DeskApi, edit: RosterEdit, lang: Lang) -> anyhow::Result<ExitCode> {
    if let Err(code) = super::writes::acting(desk, lang)? {
        return Ok(code);
    }
    // The console's words for the edit, so that both say the same.
    let what = edit.summary(lang);
    match desk.edit_roster(super::writes::SESSION_OFFICER, edit) {
        Ok(ids) => {
            let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
            super::writes::say(&match lang {
                Lang::Vi => format!("Đã lưu {}: {what}", ids.join(", ")),
                Lang::En => format!("Saved {}: {what}", ids.join(", ")),
            })
        }
        Err(e) => super::writes::refused(e, lang),
    }
}

/// `roster move`: what is not given stays as the assignment has it (the service needs the
/// whole new place); `Err` with the exit code when it is not an assignment in the store.
pub fn moved(
    desk: &dyn DeskApi,
    id: RecordId,
    date: Option<NaiveDate>,
    shift: Option<Shift>,
    post: Option<String>,
    lang: Lang,
) -> anyhow::Result<Result<RosterEdit, ExitCode>> {
    let Some(Record::Assignment(a)) = desk.get(id)? else {
        return super::writes::refused(ServiceError::NotFound(id), lang).map(Err);
    };
    Ok(Ok(RosterEdit::Move {
        id,
        date: date.unwrap_or(a.date),
        shift: shift.unwrap_or(a.shift),
        post: post.unwrap_or(a.post),
    }))
}

/// Who and when a roster problem is about: "Nguyễn Văn Hải (CB-000017) · PC-001140 27/11/2026
/// ca đêm, Chốt Ma Lù Thàng · PC-001145 …" (empty for an empty post, whose label says it all).
fn problem_context(
    desk: &dyn DeskApi,
    problem: &crate::domain::roster::RosterProblem,
    lang: Lang,
) -> anyhow::Result<String> {
    use crate::domain::Record;
    let mut parts = Vec::new();
    if let Some(officer) = problem.officer() {
        parts.push(match desk.get(officer)? {
            Some(Record::Officer(o)) => format!("{} ({officer})", o.full_name),
            _ => officer.to_string(),
        });
    }
    for id in problem.records() {
        parts.push(match desk.get(id)? {
            Some(Record::Assignment(a)) => format!(
                "{id} {} {}, {}",
                lang.date(a.date),
                a.shift.label(lang),
                a.post
            ),
            _ => id.to_string(),
        });
    }
    Ok(parts.join(" · "))
}

#[cfg(test)]
mod tests {
    #[test]
    fn wrapped_lines_fit() {
        let lines = super::wrap(&"Chốt Ma Lù Thàng ".repeat(20), 76);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| l.chars().count() <= 76));
    }
}
