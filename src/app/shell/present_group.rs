//! A criminal group in the console: its table row (the filing date in a column, the
//! neutralised date in the status line's note) and its two dates in the detail. A group
//! stored before the dates existed says so rather than show an empty field.

use crate::domain::{CriminalGroup, GroupStatus};
use crate::i18n::Lang;

use crate::app::table::{Cell, Row};

fn not_recorded(lang: Lang) -> String {
    lang.pick_owned("(không ghi)", "(not recorded)")
}

pub fn row(g: &CriminalGroup, lang: Lang) -> Row {
    let filed = match g.filed_on {
        Some(d) => Cell::new(lang.date(d)).sorted_by(d.to_string()),
        None => Cell::new("–").sorted_by(""),
    };
    let cells = vec![
        Cell::new(g.id.to_string()).sorted_by(format!("{:020}", g.id.num())),
        Cell::new(g.name.clone()),
        Cell::new(g.kind.label(lang)),
        Cell::new(g.members.len().to_string()).sorted_by(format!("{:05}", g.members.len())),
        filed,
        Cell::new(format!(
            "{}{}",
            g.status.label(lang),
            if g.transnational {
                lang.pick(" · xuyên quốc gia", " · transnational")
            } else {
                ""
            }
        )),
    ];
    let row = Row::new(g.id, cells);
    if g.status != GroupStatus::Dismantled {
        return row;
    }
    let date = g
        .neutralised_on
        .map_or_else(|| not_recorded(lang), |d| lang.date(d));
    row.with_note(format!("{} {date}", lang.pick("Triệt phá", "Neutralised")))
}

/// The detail's date fields: filed, and neutralised when the status says it was.
pub fn date_fields(g: &CriminalGroup, lang: Lang) -> Vec<(String, String)> {
    let shown =
        |d: Option<chrono::NaiveDate>| d.map_or_else(|| not_recorded(lang), |d| lang.date(d));
    let mut fields = vec![(
        lang.pick_owned("Ngày đưa vào hồ sơ", "Filed on"),
        shown(g.filed_on),
    )];
    if g.status == GroupStatus::Dismantled || g.neutralised_on.is_some() {
        fields.push((
            lang.pick_owned("Ngày triệt phá", "Neutralised on"),
            shown(g.neutralised_on),
        ));
    }
    fields
}
