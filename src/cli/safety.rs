//! `trucban check`, `trucban backup FILE` and `trucban restore FILE`.
//!
//! Exit codes: 0 intact / done; 1 the store or the file cannot be read (damaged, refused);
//! 3 `check` found problems.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::open::Place;
use crate::domain::text::display_safe;
use crate::i18n::Lang;
use crate::service::DeskApi;
use crate::store::check::CheckReport;

pub(super) const PROBLEMS: u8 = 3;

/// The command line's [`say!`], its error dropped: a check's or a backup's exit code says
/// what happened even when nobody reads the rest (`trucban check | head -1`).
macro_rules! say_or_drop {
    ($($arg:tt)*) => {{
        let _ = say!($($arg)*);
    }};
}

fn print_counts(counts: &[(String, u64)]) {
    for (kind, n) in counts {
        say_or_drop!("  {kind:<16} {n:>9}");
    }
}

pub(super) fn check(
    desk: &dyn DeskApi,
    place: &Place,
    json: bool,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let report = desk.check();
    crate::progress::finish();
    let report = report?;
    if json {
        say_or_drop!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report, place, lang);
    }
    Ok(if report.intact() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(PROBLEMS)
    })
}

fn print_report(report: &CheckReport, place: &Place, lang: Lang) {
    let place = place.describe(lang);
    let records: u64 = report.counts.iter().map(|(_, n)| n).sum();
    let (index, audit) = (report.index_entries, report.audit_entries);
    if report.intact() {
        match lang {
            Lang::Vi => say_or_drop!(
                "{place}: nguyên vẹn ({records} bản ghi, {index} mục chỉ mục, {audit} mục nhật ký kiểm toán đã kiểm tra)"
            ),
            Lang::En => say_or_drop!(
                "{place}: intact ({records} records, {index} index entries, {audit} audit entries checked)"
            ),
        }
        print_counts(&report.counts);
        return;
    }
    let mut err = std::io::stderr().lock();
    for problem in &report.problems {
        let _ = writeln!(err, "{}", display_safe(problem));
    }
    let more = report.more_problems;
    if more > 0 {
        let _ = match lang {
            Lang::Vi => writeln!(err, "… và {more} lỗi nữa"),
            Lang::En => writeln!(err, "… and {more} more problems"),
        };
    }
    let total = report.problems.len() as u64 + more;
    let _ = match lang {
        Lang::Vi => writeln!(
            err,
            "trucban [store.damaged]: {place} bị hỏng ({total} lỗi): khôi phục từ bản sao lưu: trucban restore FILE --data-dir NEW_DIR"
        ),
        Lang::En => writeln!(
            err,
            "trucban [store.damaged]: {place} is damaged ({total} problem(s)): restore from a backup: trucban restore FILE --data-dir NEW_DIR"
        ),
    };
}

pub(super) fn backup(
    desk: &dyn DeskApi,
    file: &Path,
    force: bool,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    // Absolute: the store's holder (a daemon) may not share our working directory.
    let file = std::path::absolute(file)?;
    let started = std::time::Instant::now();
    let summary = desk.backup(&file, force);
    crate::progress::finish();
    let summary = summary?;
    let (path, records) = (
        display_safe(&file.display().to_string()).into_owned(),
        summary.total_records(),
    );
    let (entries, trees, secs) = (
        summary.entries,
        summary.trees,
        started.elapsed().as_secs_f64(),
    );
    say_or_drop!(
        "{}",
        lang.pick_owned(
            &format!("đã ghi bản sao lưu {path} ({records} hồ sơ, {entries} mục trong {trees} cây, {secs:.1} giây)"),
            &format!("backup written to {path} ({records} records, {entries} entries in {trees} trees, {secs:.1} s)"),
        )
    );
    say_or_drop!("  sha256 {}", summary.sha256);
    print_counts(&summary.counts);
    Ok(ExitCode::SUCCESS)
}

pub(super) fn restore(
    data_dir: &Path,
    file: &Path,
    now: crate::domain::Instant,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let restored = crate::store::backup::restore(data_dir, file, now);
    crate::progress::finish();
    let restored = restored?;
    let dir = display_safe(&data_dir.display().to_string()).into_owned();
    let (records, from, sha) = (
        restored.summary.total_records(),
        display_safe(&file.display().to_string()).into_owned(),
        &restored.summary.sha256,
    );
    say_or_drop!(
        "{}",
        lang.pick_owned(
            &format!("đã khôi phục {records} hồ sơ vào {dir} từ {from} (sha256 {sha})"),
            &format!("restored {records} records into {dir} from {from} (sha256 {sha})"),
        )
    );
    print_counts(&restored.summary.counts);
    if restored.check.intact() {
        say_or_drop!("{}", lang.pick("kiểm tra: nguyên vẹn", "check: intact"));
        Ok(ExitCode::SUCCESS)
    } else {
        print_report(&restored.check, &Place::Store(data_dir.to_path_buf()), lang);
        Ok(ExitCode::from(PROBLEMS))
    }
}

/// `trucban migrate --from SRC --to DST`: copies the store into an empty one on another
/// engine, then reads both again and compares them.
pub(super) fn migrate(
    from: &str,
    to: &str,
    clock: &crate::domain::Clock,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    use crate::store::moving;
    let (source, source_shown) = super::open::engine_at(from, clock, false)?;
    let (target, target_shown) = super::open::engine_at(to, clock, true)?;
    if !moving::is_empty(&*target)? {
        return Err(super::told::told(
            "migrate.target_not_empty",
            format!(
                "chuyển kho: {target_shown} đã có dữ liệu; chỉ chuyển vào một kho trống (một thư mục mới, hoặc một cơ sở dữ liệu vừa tạo); chưa ghi gì"
            ),
            format!(
                "migrate: {target_shown} already holds data; a store is moved only into an empty one (a new directory, or a newly created database); nothing was written"
            ),
        ));
    }
    let started = std::time::Instant::now();
    let copied = moving::copy(&*source, &*target);
    crate::progress::finish();
    copied?;
    let (before, after) = (
        moving::fingerprint(&*source)?,
        moving::fingerprint(&*target)?,
    );
    let chain = target.verify_audit()?;
    if before != after || chain.is_err() {
        let differs: Vec<String> = before
            .kinds
            .iter()
            .zip(&after.kinds)
            .filter(|(a, b)| a != b)
            .map(|(a, b)| format!("{} ({} → {})", a.0, a.1, b.1))
            .collect();
        return Err(super::told::told(
            "migrate.differs",
            format!(
                "chuyển kho: {target_shown} không giống {source_shown} sau khi chép ({}; chuỗi nhật ký: {chain:?}): đừng dùng {target_shown}, xoá nó và chạy lại",
                differs.join(", ")
            ),
            format!(
                "migrate: {target_shown} differs from {source_shown} after the copy ({}; audit chain: {chain:?}): do not use {target_shown}; remove it and run again",
                differs.join(", ")
            ),
        ));
    }
    let records: u64 = after.kinds.iter().map(|(_, n, _)| n).sum();
    let audited: u64 = after.audit_heads.iter().map(|h| h.seq).sum();
    let secs = started.elapsed().as_secs_f64();
    say_or_drop!(
        "{}",
        lang.pick_owned(
            &format!("đã chuyển {source_shown} sang {target_shown}: {records} hồ sơ, {} tài khoản, {} giá trị hạn chế, {} mục nhật ký kiểm toán trong {} chuỗi ({secs:.1} giây); hai kho giống nhau theo số lượng và tổng kiểm tra nội dung", after.accounts.0, after.restricted.0, audited, after.audit_heads.len()),
            &format!("moved {source_shown} to {target_shown}: {records} records, {} accounts, {} restricted values, {} audit entries in {} chains ({secs:.1} s); the two stores agree in counts and content checksums", after.accounts.0, after.restricted.0, audited, after.audit_heads.len()),
        )
    );
    for (kind, n, sha) in &after.kinds {
        say_or_drop!("  {kind:<16} {n:>9}  sha256 {}", &sha[..16]);
    }
    Ok(ExitCode::SUCCESS)
}
