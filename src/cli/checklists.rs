//! `trucban late` and `trucban inspect-next`: the lodging check lists as text that fits 80
//! columns (in the officer's language) or as JSON. The lists themselves come from the service.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use chrono::{Duration, NaiveDate};
use unicode_width::UnicodeWidthChar;

use crate::domain::Instant;
use crate::domain::text::display_safe;
use crate::domain::time::{local_date, local_day_start};
use crate::i18n::Lang;
use crate::service::DeskApi;

/// Nights `late` covers without `--from`: the last seven, tonight included.
const DEFAULT_NIGHTS: i64 = 7;

/// `text` made safe, cut to `width` terminal cells (with `…` when cut) and padded to it.
fn fit(text: &str, width: usize) -> String {
    crate::domain::text::fit(&display_safe(text), width)
}

/// Words of `text` on lines of at most `width` cells, each after `indent`.
fn wrap(text: &str, indent: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in display_safe(text).split(' ') {
        let w: usize = word.chars().map(|c| c.width().unwrap_or(0)).sum();
        if used > 0 && used + 1 + w > width {
            lines.push(format!("{indent}{line}"));
            line.clear();
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        line.push_str(word);
        used += w;
    }
    if !line.is_empty() {
        lines.push(format!("{indent}{line}"));
    }
    lines
}

pub fn late(
    desk: &dyn DeskApi,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    json: bool,
    lang: Lang,
    now: Instant,
) -> anyhow::Result<ExitCode> {
    let to = to.unwrap_or_else(|| local_date(now));
    let from = from.unwrap_or(to - Duration::days(DEFAULT_NIGHTS - 1));
    if from > to {
        let _ = writeln!(
            std::io::stderr(),
            "trucban: --from {} is after --to {} (give the first night first)",
            lang.date(from),
            lang.date(to)
        );
        return Ok(ExitCode::from(super::output::BAD_INPUT));
    }
    let board = desk.late_declarations(
        local_day_start(from, 0),
        local_day_start(to + Duration::days(1), 0),
        now,
    )?;
    let mut out = String::new();
    if json {
        writeln!(
            out,
            "{}",
            crate::domain::safe_json::to_string_pretty(&board)?
        )?;
        print_out(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let range = format!("{} – {}", lang.date(from), lang.date(to));
    if board.is_empty() {
        let text = match lang {
            Lang::Vi => format!("Không có khách khai báo muộn hay chưa khai báo, đêm {range}"),
            Lang::En => format!("No late or undeclared guests, nights {range}"),
        };
        writeln!(out, "{text}")?;
        print_out(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    // 10 + 1 + 9 + 1 + 22 + 1 + 12 + 1 + 4 + 1 + 6 + 1 + 10 = 79 columns; a longer date
    // (English `26 Nov 2026`) takes its extra from the establishment's name.
    let night = lang.date(to).chars().count();
    let name = 32 - night.min(12);
    writeln!(
        out,
        "{} {} {} {} {:>4} {:>6} {}",
        fit(lang.pick("Đêm", "Night"), night),
        fit(lang.pick("Mã", "ID"), 9),
        fit(lang.pick("Cơ sở", "Establishment"), name),
        fit(lang.pick("Xã/phường", "Commune"), 12),
        lang.pick("Muộn", "Late"),
        lang.pick("Chưa", "Undecl"),
        lang.pick("Mức phạt", "Fine band"),
    )?;
    for n in &board {
        writeln!(
            out,
            "{} {} {} {} {:>4} {:>6} {}",
            fit(&lang.date(n.night), night),
            fit(&n.establishment_id.to_string(), 9),
            fit(&n.establishment, name),
            fit(&n.commune, 12),
            n.late,
            n.undeclared,
            n.band.map_or("–", |b| b.label(lang)),
        )?;
    }
    let late: usize = board.iter().map(|n| n.late).sum();
    let undeclared: usize = board.iter().map(|n| n.undeclared).sum();
    let total = match lang {
        Lang::Vi => format!(
            "Đêm {range}: {} dòng, {late} khách muộn, {undeclared} chưa khai báo",
            board.len()
        ),
        Lang::En => format!(
            "Nights {range}: {} rows, {late} late, {undeclared} undeclared",
            board.len()
        ),
    };
    for line in wrap(&total, "", 79) {
        writeln!(out, "{line}")?;
    }
    print_out(&out)?;
    Ok(ExitCode::SUCCESS)
}

pub fn inspect_next(
    desk: &dyn DeskApi,
    limit: usize,
    json: bool,
    lang: Lang,
    now: Instant,
) -> anyhow::Result<()> {
    // Screening hits are not counted yet (see `HitCounts`): none are passed.
    let mut list =
        desk.inspection_candidates(now, &desk.hit_counts(now - chrono::Duration::days(30))?)?;
    list.truncate(limit);
    let mut out = String::new();
    if json {
        writeln!(
            out,
            "{}",
            crate::domain::safe_json::to_string_pretty(&list)?
        )?;
        return print_out(&out);
    }
    // 3 + 1 + 9 + 1 + 30 + 1 + 16 + 1 + 5 = 67 columns, reasons wrapped under at 79.
    writeln!(
        out,
        "{:>3} {} {} {} {:>5}",
        "#",
        fit(lang.pick("Mã", "ID"), 9),
        fit(lang.pick("Cơ sở", "Establishment"), 30),
        fit(lang.pick("Xã/phường", "Commune"), 16),
        lang.pick("Điểm", "Score"),
    )?;
    for (i, c) in list.iter().enumerate() {
        writeln!(
            out,
            "{:>3} {} {} {} {:>5}",
            i + 1,
            fit(&c.establishment_id.to_string(), 9),
            fit(&c.establishment, 30),
            fit(&c.commune, 16),
            c.score,
        )?;
        let reasons: Vec<String> = c
            .factors
            .iter()
            .map(|f| format!("{} (+{})", f.reason.text(lang), f.points))
            .collect();
        for line in wrap(&reasons.join(" · "), "    ", 75) {
            writeln!(out, "{line}")?;
        }
    }
    print_out(&out)
}

/// Writes the output; a reader that stopped early (`| head`) is not an error.
fn print_out(text: &str) -> anyhow::Result<()> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_and_pads_by_cells() {
        assert_eq!(fit("Nhà nghỉ Hoa Ban", 10), "Nhà nghỉ …");
        assert_eq!(fit("Mù Cả", 8), "Mù Cả   ");
        assert_eq!(fit("汉字汉字", 5), "汉字…");
        assert_eq!(fit("a\u{1b}[2Jb", 8), "a\u{fffd}[2Jb  ");
    }

    #[test]
    fn wrap_keeps_lines_within_the_width() {
        let lines = wrap("rủi ro cao (+30) · chưa kiểm tra lần nào (+30)", "    ", 20);
        assert!(lines.iter().all(|l| l.chars().count() <= 24), "{lines:?}");
        assert_eq!(lines.join(" ").split_whitespace().count(), 11);
    }
}
