//! What the rows and the details share: the names of referenced records, fetched once per
//! load, and the cells that say a wanted status and a danger.

use std::collections::HashMap;

use crate::app::table::{Cell, Tone};
use crate::domain::{Danger, Record, RecordId, WantedStatus};
use crate::i18n::Lang;
use crate::service::DeskApi;

/// Names of referenced records, fetched once per load.
pub(super) struct Names<'a> {
    pub(super) desk: &'a dyn DeskApi,
    pub(super) cache: HashMap<RecordId, String>,
    /// The language of a title that has a date in it.
    pub(super) lang: crate::i18n::Lang,
}

impl Names<'_> {
    pub(super) fn of(&mut self, id: RecordId) -> String {
        if let Some(name) = self.cache.get(&id) {
            return name.clone();
        }
        let name = match self.desk.get(id) {
            Ok(Some(Record::Person(p))) => p.full_name,
            Ok(Some(Record::Officer(o))) => o.full_name,
            Ok(Some(Record::Establishment(e))) => e.name,
            Ok(Some(other)) => other.title(self.lang),
            _ => id.to_string(),
        };
        self.cache.insert(id, name.clone());
        name
    }
}

pub fn status_tone(status: WantedStatus) -> Tone {
    match status {
        WantedStatus::Wanted => Tone::Warning,
        WantedStatus::Arrested | WantedStatus::Surrendered => Tone::Ok,
        _ => Tone::Muted,
    }
}

/// Text and glyph say the danger without colour: `‼` especially dangerous, `!` dangerous.
/// `short` for the table column (its header says "danger"); the detail says it in full.
pub fn danger_cell(danger: Danger, lang: Lang, short: bool) -> Cell {
    let (text, tone, rank) = match danger {
        Danger::EspeciallyDangerous if short => (
            format!("‼ {}", lang.pick("đặc biệt", "especially")),
            Tone::Danger,
            "0",
        ),
        Danger::EspeciallyDangerous => (format!("‼ {}", danger.label(lang)), Tone::Danger, "0"),
        Danger::Dangerous => (format!("! {}", danger.label(lang)), Tone::Warning, "1"),
        Danger::None => ("–".to_string(), Tone::Muted, "2"),
    };
    Cell::new(text).sorted_by(rank).tone(tone)
}
