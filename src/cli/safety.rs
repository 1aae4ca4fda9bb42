//! `trucban check`, `trucban backup FILE` and `trucban restore FILE`.
//!
//! Exit codes: 0 intact / done; 1 the store or the file cannot be read (damaged, refused);
//! 3 `check` found problems.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::domain::text::display_safe;
use crate::service::DeskApi;
use crate::store::check::CheckReport;

pub(super) const PROBLEMS: u8 = 3;

/// `println!` panics when stdout is gone (`trucban check | head -1`, a dropped link); what
/// cannot be printed then is not worth a backtrace.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}
const RESTORE_ADVICE: &str = "restore from a backup: trucban restore FILE --data-dir NEW_DIR";

fn print_counts(counts: &[(String, u64)]) {
    for (kind, n) in counts {
        say!("  {kind:<16} {n:>9}");
    }
}

pub(super) fn check(desk: &dyn DeskApi, dir: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let report = desk.check()?;
    if json {
        say!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report, dir);
    }
    Ok(if report.intact() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(PROBLEMS)
    })
}

fn print_report(report: &CheckReport, dir: &Path) {
    let dir = display_safe(&dir.display().to_string()).into_owned();
    let records: u64 = report.counts.iter().map(|(_, n)| n).sum();
    if report.intact() {
        say!(
            "store {dir}: intact ({records} records, {} index entries, {} audit entries checked)",
            report.index_entries,
            report.audit_entries
        );
        print_counts(&report.counts);
        return;
    }
    let mut err = std::io::stderr().lock();
    for problem in &report.problems {
        let _ = writeln!(err, "{}", display_safe(problem));
    }
    if report.more_problems > 0 {
        let _ = writeln!(err, "… and {} more problems", report.more_problems);
    }
    let _ = writeln!(
        err,
        "trucban: the store at {dir} is damaged ({} problem(s)): {RESTORE_ADVICE}",
        report.problems.len() as u64 + report.more_problems
    );
}

pub(super) fn backup(desk: &dyn DeskApi, file: &Path) -> anyhow::Result<ExitCode> {
    // Absolute: the store's holder (a daemon) may not share our working directory.
    let file = std::path::absolute(file)?;
    let started = std::time::Instant::now();
    let summary = desk.backup(&file)?;
    say!(
        "backup written to {} ({} records, {} entries in {} trees, {:.1} s)",
        display_safe(&file.display().to_string()),
        summary.total_records(),
        summary.entries,
        summary.trees,
        started.elapsed().as_secs_f64()
    );
    say!("  sha256 {}", summary.sha256);
    print_counts(&summary.counts);
    Ok(ExitCode::SUCCESS)
}

pub(super) fn restore(data_dir: &Path, file: &Path) -> anyhow::Result<ExitCode> {
    let restored = crate::store::backup::restore(data_dir, file, chrono::Utc::now())?;
    let dir = display_safe(&data_dir.display().to_string()).into_owned();
    say!(
        "restored {} records into {dir} from {} (sha256 {})",
        restored.summary.total_records(),
        display_safe(&file.display().to_string()),
        restored.summary.sha256
    );
    print_counts(&restored.summary.counts);
    if restored.check.intact() {
        say!("check: intact");
        Ok(ExitCode::SUCCESS)
    } else {
        print_report(&restored.check, data_dir);
        Ok(ExitCode::from(PROBLEMS))
    }
}
