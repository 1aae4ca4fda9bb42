//! `trucban import` and `trucban screen`: a file read, sent to the service (the daemon's or
//! the store's own), and what it said printed — every problem of a refused file, or the
//! screening hits.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::domain::{Kind, Record, RecordId};
use crate::service::{DeskApi, Format, ImportSource, ServiceError};

use super::output::BAD_INPUT;

const MAX_PROBLEMS_SHOWN: usize = 200;

/// The file to import or screen, its format from `--format` or its name; `None` (said on
/// stderr) when it cannot be read.
fn read_source(file: &Path, format: Option<Format>) -> Option<ImportSource> {
    let name = file.display().to_string();
    match std::fs::read(file) {
        Ok(bytes) => Some(ImportSource {
            format: format.unwrap_or_else(|| Format::from_file_name(&name)),
            name,
            bytes,
        }),
        Err(e) => {
            eprintln!(
                "trucban: cannot read {}: {e}",
                crate::domain::text::display_safe(&name)
            );
            None
        }
    }
}

/// A bad file's problems, one per line (at most [`MAX_PROBLEMS_SHOWN`]), then what to do.
fn print_problems(problems: &[crate::service::Problem], nothing: &str) -> anyhow::Result<()> {
    let mut err = std::io::stderr().lock();
    for problem in problems.iter().take(MAX_PROBLEMS_SHOWN) {
        writeln!(err, "{problem}")?;
    }
    if problems.len() > MAX_PROBLEMS_SHOWN {
        writeln!(
            err,
            "… and {} more problems",
            problems.len() - MAX_PROBLEMS_SHOWN
        )?;
    }
    writeln!(err, "trucban: {} problem(s); {nothing}", problems.len())?;
    Ok(())
}

pub(super) fn import(
    desk: &dyn DeskApi,
    kind: Kind,
    file: &Path,
    format: Option<Format>,
) -> anyhow::Result<ExitCode> {
    let Some(source) = read_source(file, format) else {
        return Ok(ExitCode::from(BAD_INPUT));
    };
    match desk.import(kind, &source) {
        Ok(report) => {
            say!(
                "{}: {} rows imported into {} ({} new, {} updated, {} unchanged)",
                crate::domain::text::display_safe(&source.name),
                report.rows,
                report.kind,
                report.created,
                report.updated,
                report.unchanged
            )?;
            print_hits(desk, &report.hits)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(ServiceError::Import(problems)) => {
            print_problems(
                &problems,
                "nothing was imported. Fix the file and import it again.",
            )?;
            Ok(ExitCode::from(BAD_INPUT))
        }
        Err(e) => Err(e.into()),
    }
}

/// The hits an import raised, one line each, after a count by band.
fn print_hits(desk: &dyn DeskApi, ids: &[RecordId]) -> anyhow::Result<()> {
    if ids.is_empty() {
        say!("screening: no hit")?;
        return Ok(());
    }
    let hits: Vec<crate::domain::Hit> = ids
        .iter()
        .filter_map(|id| match desk.get(*id) {
            Ok(Some(Record::Hit(h))) => Some(h),
            _ => None,
        })
        .collect();
    let alerts = hits
        .iter()
        .filter(|h| h.band == crate::domain::screening::Band::Alert)
        .count();
    say!(
        "screening: {} possible hit(s), {alerts} alert, {} review — confirm with the issuing agency before acting (console: :nghitrung)",
        hits.len(),
        hits.len() - alerts
    )?;
    let name = |id: RecordId| match desk.get(id) {
        Ok(Some(Record::GuestStay(g))) => g.guest.full_name,
        Ok(Some(Record::Person(p))) => p.full_name,
        _ => String::new(),
    };
    for h in hits {
        say!(
            "  {} {:<6} {:.2}  {} {} ↔ {} {}",
            h.id,
            h.band.code(),
            h.score,
            h.guest_stay_id,
            crate::domain::text::display_safe(&name(h.guest_stay_id)),
            h.listed_id,
            crate::domain::text::display_safe(&name(h.person_id)),
        )?;
    }
    Ok(())
}

/// `trucban screen`: what screening says of each row of a guest file, nothing written.
pub(super) fn screen(
    desk: &dyn DeskApi,
    file: &Path,
    format: Option<Format>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let Some(source) = read_source(file, format) else {
        return Ok(ExitCode::from(BAD_INPUT));
    };
    let rows = match desk.screen_file(&source) {
        Ok(rows) => rows,
        Err(ServiceError::Import(problems)) => {
            print_problems(
                &problems,
                "nothing was screened. Fix the file and screen it again.",
            )?;
            return Ok(ExitCode::from(BAD_INPUT));
        }
        Err(e) => return Err(e.into()),
    };
    if json {
        // Every control, bidi and zero-width character is escaped: nothing raw reaches a terminal.
        say!("{}", crate::domain::safe_json::to_string_pretty(&rows)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let hits: usize = rows.iter().map(|r| r.hits.len()).sum();
    say!(
        "{}: {} row(s) screened, {hits} possible hit(s)",
        crate::domain::text::display_safe(&source.name),
        rows.len()
    )?;
    for row in &rows {
        for hit in &row.hits {
            say!(
                "  line {:<5} {:<6} {:.2}  {} {} ({})",
                row.line,
                hit.band.code(),
                hit.score,
                hit.record_id,
                crate::domain::text::display_safe(&hit.person_name),
                hit.list.code()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
