//! What the rows and the details share: the names of referenced records, fetched once per
//! load, and the cells that say a wanted status and a danger.

use std::collections::HashMap;

use crate::app::table::{Cell, Tone};
use crate::domain::{Danger, Record, RecordId, WantedStatus};
use crate::i18n::Lang;
use crate::service::DeskApi;

/// Names of referenced records, fetched once per load: the records a table's rows name
/// are asked for in one request ([`Names::fetch_named_by`]), not one per row — over a 3G
/// link each request is a round trip, and each is an audit entry.
pub(super) struct Names<'a> {
    desk: &'a dyn DeskApi,
    /// Every record asked for so far (`None`: asked, and not there).
    fetched: HashMap<RecordId, Option<Record>>,
    /// The language of a title that has a date in it.
    lang: crate::i18n::Lang,
}

impl<'a> Names<'a> {
    pub(super) fn new(desk: &'a dyn DeskApi, lang: crate::i18n::Lang) -> Names<'a> {
        Names {
            desk,
            fetched: HashMap::new(),
            lang,
        }
    }

    /// Fetches at once every record that `records` name (and those of `extra`).
    pub(super) fn fetch_named_by(&mut self, records: &[Record], extra: &[RecordId]) {
        let mut ids: Vec<RecordId> = records
            .iter()
            .flat_map(|r| r.references().into_iter().map(|(_, target)| target))
            .chain(extra.iter().copied())
            .filter(|id| !self.fetched.contains_key(id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for part in ids.chunks(crate::service::MAX_GET_MANY) {
            // A failed fetch leaves the rows to ask one by one, as before.
            if let Ok(found) = self.desk.get_many(part.to_vec()) {
                self.fetched.extend(part.iter().map(|id| (*id, None)));
                self.fetched
                    .extend(found.into_iter().map(|r| (r.id(), Some(r))));
            }
        }
    }

    /// The record `id`, fetched with the others or asked for now.
    pub(super) fn record(&mut self, id: RecordId) -> Option<&Record> {
        let desk = self.desk;
        self.fetched
            .entry(id)
            .or_insert_with(|| desk.get(id).ok().flatten())
            .as_ref()
    }

    pub(super) fn of(&mut self, id: RecordId) -> String {
        let lang = self.lang;
        match self.record(id) {
            Some(Record::Person(p)) => p.full_name.clone(),
            Some(Record::Officer(o)) => o.full_name.clone(),
            Some(Record::Establishment(e)) => e.name.clone(),
            Some(other) => other.title(lang),
            None => id.to_string(),
        }
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
