//! The report's period as the officer types and reads it: `:baocao FROM TO` parsed (the
//! error in the officer's language) and the title bar's crumb. Pure; the report itself is
//! loaded by the shell (`shell/present_report.rs`).

use chrono::NaiveDate;

use crate::domain::report::Period;
use crate::i18n::Lang;

/// `Báo cáo 01/07/2026 – 27/11/2026 (150 ngày)`: the title bar's first crumb.
pub fn crumb(period: Period, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("Báo cáo {} ({} ngày)", period.label(lang), period.days()),
        Lang::En => format!("Report {} ({} days)", period.label(lang), period.days()),
    }
}

/// A date typed on the command line: `2026-01-31` or `31/01/2026` (a word each, so not the
/// English `31 Jan 2026`, which the forms take).
fn parse_date(text: &str) -> Option<NaiveDate> {
    crate::domain::time::parse_date(text)
}

/// `FROM TO` after `:baocao`; the error says what is wrong, in the officer's language.
pub fn parse_period(text: &str, lang: Lang) -> std::result::Result<Period, String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let usage = lang.pick(
        ":baocao TỪ ĐẾN (ngày 2026-01-01 hoặc 01/01/2026)",
        ":report FROM TO (dates 2026-01-01 or 01/01/2026)",
    );
    let [from, to] = words.as_slice() else {
        return Err(usage.to_string());
    };
    let date = |w: &str| {
        parse_date(w).ok_or_else(|| {
            let w = crate::domain::text::display_safe(w);
            match lang {
                Lang::Vi => format!("\"{w}\" không phải ngày: {usage}"),
                Lang::En => format!("\"{w}\" is not a date: {usage}"),
            }
        })
    };
    let (from, to) = (date(from)?, date(to)?);
    Period::new(from, to).map_err(|_| match lang {
        Lang::Vi => format!("Ngày đến {to} trước ngày từ {from}"),
        Lang::En => format!("The end {to} is before the start {from}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_typed_on_the_command_line() {
        let d = |s| crate::domain::time::parse_date(s).expect("date");
        assert_eq!(
            parse_period("2026-01-01 30/06/2026", Lang::En),
            Ok(Period::new(d("2026-01-01"), d("2026-06-30")).expect("period"))
        );
        assert!(parse_period("2026-01-01", Lang::En).is_err());
        assert_eq!(
            parse_period("2026-02-30 2026-03-01", Lang::En),
            Err(
                "\"2026-02-30\" is not a date: :report FROM TO (dates 2026-01-01 or 01/01/2026)"
                    .into()
            )
        );
        assert_eq!(
            parse_period("2026-03-01 2026-01-01", Lang::Vi),
            Err("Ngày đến 2026-01-01 trước ngày từ 2026-03-01".into())
        );
    }
}
