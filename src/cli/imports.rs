//! `trucban import` and `trucban screen`: a file read, sent to the service (the daemon's or
//! the store's own), and what it said printed — every problem of a refused file, or the
//! screening hits.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::domain::{Kind, Record, RecordId};
use crate::i18n::Lang;
use crate::service::{DeskApi, Format, ImportSource, ServiceError};

use super::output::BAD_INPUT;

const MAX_PROBLEMS_SHOWN: usize = 200;

/// The file to import or screen, its format from `--format` or its name; `None` (said on
/// stderr) when it cannot be read. It is read at each pass over it, not held (see
/// [`ImportSource::on_disk`]).
fn read_source(file: &Path, format: Option<Format>, lang: Lang) -> Option<ImportSource> {
    let name = file.display().to_string();
    match std::fs::File::open(file) {
        Ok(_) => Some(ImportSource {
            format: format.unwrap_or_else(|| Format::from_file_name(&name)),
            name,
            bytes: Vec::new(),
            on_disk: Some(file.to_path_buf()),
        }),
        Err(e) => {
            let (name, io) = (
                crate::domain::text::display_safe(&name),
                crate::i18n::io_error(&e),
            );
            let said = lang.pick_owned(
                &format!("không đọc được {name}: {}", io.vi),
                &format!("cannot read {name}: {}", io.en),
            );
            let _ = writeln!(std::io::stderr(), "trucban [input.unreadable]: {said}");
            None
        }
    }
}

/// A bad file's problems, one per line (at most [`MAX_PROBLEMS_SHOWN`]), then what to do.
fn print_problems(
    problems: &[crate::service::Problem],
    nothing: (&str, &str),
    lang: Lang,
) -> anyhow::Result<()> {
    let mut err = std::io::stderr().lock();
    for problem in problems.iter().take(MAX_PROBLEMS_SHOWN) {
        writeln!(err, "{}", problem.label(lang))?;
    }
    if problems.len() > MAX_PROBLEMS_SHOWN {
        let more = problems.len() - MAX_PROBLEMS_SHOWN;
        let said = lang.pick_owned(
            &format!("… và {more} lỗi nữa"),
            &format!("… and {more} more problems"),
        );
        writeln!(err, "{said}")?;
    }
    let n = problems.len();
    let said = lang.pick_owned(
        &format!("{n} lỗi; {}", nothing.0),
        &format!("{n} problem(s); {}", nothing.1),
    );
    writeln!(err, "trucban [import.problems]: {said}")?;
    Ok(())
}

pub(super) fn import(
    desk: &dyn DeskApi,
    kind: Kind,
    file: &Path,
    format: Option<Format>,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let Some(source) = read_source(file, format, lang) else {
        return Ok(ExitCode::from(BAD_INPUT));
    };
    let imported = desk.import(kind, &source);
    crate::progress::finish();
    match imported {
        Ok(report) => {
            let name = crate::domain::text::display_safe(&source.name);
            let (rows, kind) = (lang.number(report.rows), report.kind);
            let (new, updated, same) = (
                lang.number(report.created),
                lang.number(report.updated),
                lang.number(report.unchanged),
            );
            say!(
                "{}",
                lang.pick_owned(
                    &format!("{name}: đã nhập {rows} dòng vào {kind} ({new} mới, {updated} cập nhật, {same} không đổi)"),
                    &format!("{name}: {rows} rows imported into {kind} ({new} new, {updated} updated, {same} unchanged)"),
                )
            )?;
            print_hits(desk, &report.hits, lang)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(ServiceError::Import(problems)) => {
            print_problems(
                &problems,
                (
                    "không nhập gì. Sửa tệp rồi nhập lại.",
                    "nothing was imported. Fix the file and import it again.",
                ),
                lang,
            )?;
            Ok(ExitCode::from(BAD_INPUT))
        }
        Err(e) => Err(e.into()),
    }
}

/// The hits an import raised, one line each, after a count by band.
fn print_hits(desk: &dyn DeskApi, ids: &[RecordId], lang: Lang) -> anyhow::Result<()> {
    if ids.is_empty() {
        say!(
            "{}",
            lang.pick("đối chiếu: không có nghi trùng", "screening: no hit")
        )?;
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
    let (all, review) = (hits.len(), hits.len() - alerts);
    say!(
        "{}",
        lang.pick_owned(
            &format!("đối chiếu: {all} nghi trùng, {alerts} báo động, {review} cần xem — xác minh với cơ quan ra quyết định trước khi xử lý (giao diện: :nghitrung)"),
            &format!("screening: {all} possible hit(s), {alerts} alert, {review} review — confirm with the issuing agency before acting (console: :nghitrung)"),
        )
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
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let Some(source) = read_source(file, format, lang) else {
        return Ok(ExitCode::from(BAD_INPUT));
    };
    let screened = desk.screen_file(&source);
    crate::progress::finish();
    let rows = match screened {
        Ok(rows) => rows,
        Err(ServiceError::Import(problems)) => {
            print_problems(
                &problems,
                (
                    "không đối chiếu gì. Sửa tệp rồi đối chiếu lại.",
                    "nothing was screened. Fix the file and screen it again.",
                ),
                lang,
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
    let (name, n) = (
        crate::domain::text::display_safe(&source.name),
        lang.number(rows.len()),
    );
    say!(
        "{}",
        lang.pick_owned(
            &format!("{name}: đã đối chiếu {n} dòng, {hits} nghi trùng"),
            &format!("{name}: {n} row(s) screened, {hits} possible hit(s)"),
        )
    )?;
    let line_word = lang.pick("dòng", "line");
    for row in &rows {
        for hit in &row.hits {
            say!(
                "  {line_word} {:<5} {:<6} {:.2}  {} {} ({})",
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
