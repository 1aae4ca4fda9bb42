//! Index entries as built from records: a title (the name as shown) and the fields the
//! prefixes look at, which [`super::SearchIndex::new`] packs; and the detail line shown
//! beside a hit, made only for the hits.

use crate::domain::{Kind, Record, RecordId};

use super::fold::fold_text;

#[derive(Clone, Debug)]
pub struct Entry {
    pub kind: Kind,
    pub id: RecordId,
    pub title: String,
    /// Other written forms of the name: aliases, Hán characters, pinyin.
    pub other_names: Vec<String>,
    pub born: Option<String>,
    pub id_number: Option<String>,
    /// Folded.
    pub commune: Option<String>,
    /// Folded code and label.
    pub status: Option<String>,
}

impl Entry {
    pub fn new(kind: Kind, id: RecordId, title: &str) -> Entry {
        Entry {
            kind,
            id,
            title: crate::domain::text::display_safe(title).into_owned(),
            other_names: Vec::new(),
            born: None,
            id_number: None,
            commune: None,
            status: None,
        }
    }

    /// Sets the fields the prefixes look at (birth, identity number, commune, status).
    pub fn with_fields(
        mut self,
        born: Option<&str>,
        id_number: Option<&str>,
        commune: Option<&str>,
        status: Option<&str>,
    ) -> Entry {
        self.born = born.map(str::to_string);
        self.id_number = id_number.map(|n| n.to_ascii_lowercase());
        self.commune = commune.map(fold_text);
        self.status = status.map(fold_text);
        self
    }

    fn other_names(mut self, names: &[String]) -> Entry {
        self.other_names = names.to_vec();
        self
    }
}

/// Builds the entries of one record; `person` finds the person a notice or entry names.
pub fn entries_of(
    record: &Record,
    person: &dyn Fn(RecordId) -> Option<crate::domain::Person>,
) -> Vec<Entry> {
    // What is searched (`tt:` takes the code or the Vietnamese label) is the same whatever
    // the officer's language: one index serves every console. Only the detail line shown
    // beside a hit is in the officer's language (see `detail_of`).
    let lang = crate::i18n::Lang::Vi;
    let status_of = |code: &str, label: &str| format!("{code} {label}");
    let with_person = |kind: Kind, id: RecordId, person_id: RecordId, status: String| {
        person(person_id).map(|p| {
            let born = p.birth.map(|b| b.to_string());
            Entry::new(kind, id, &p.full_name)
                .other_names(&p.aliases)
                .with_fields(
                    born.as_deref(),
                    p.id_doc.as_ref().map(|d| d.number.as_str()),
                    p.home_commune.as_deref(),
                    Some(&status),
                )
        })
    };
    let mut out = Vec::new();
    match record {
        Record::Person(p) => {
            let born = p.birth.map(|b| b.to_string());
            out.push(
                Entry::new(Kind::Person, p.id, &p.full_name)
                    .other_names(&p.aliases)
                    .with_fields(
                        born.as_deref(),
                        p.id_doc.as_ref().map(|d| d.number.as_str()),
                        p.home_commune.as_deref(),
                        None,
                    ),
            );
        }
        Record::Wanted(w) => {
            let status = status_of(w.status.code(), w.status.label(lang));
            out.extend(with_person(Kind::Wanted, w.id, w.person_id, status));
        }
        Record::WatchEntry(e) => {
            let status = status_of(e.status.code(), e.status.label(lang));
            out.extend(with_person(Kind::WatchEntry, e.id, e.person_id, status));
        }
        Record::GuestStay(g) => {
            let born = g.guest.birth.map(|b| b.to_string());
            out.push(
                Entry::new(Kind::GuestStay, g.id, &g.guest.full_name)
                    .other_names(&g.guest.other_names)
                    .with_fields(
                        born.as_deref(),
                        g.guest.id_doc.as_ref().map(|d| d.number.as_str()),
                        None,
                        None,
                    ),
            );
        }
        Record::Establishment(x) => {
            out.push(Entry::new(Kind::Establishment, x.id, &x.name).with_fields(
                None,
                None,
                Some(&x.commune),
                None,
            ))
        }
        Record::Officer(o) => out.push(Entry::new(Kind::Officer, o.id, &o.full_name).with_fields(
            None,
            Some(&o.badge_no),
            None,
            None,
        )),
        Record::Group(g) => out.push(Entry::new(Kind::Group, g.id, &g.name)),
        Record::Campaign(c) => out.push(Entry::new(Kind::Campaign, c.id, &c.name)),
        // A case is found by what happened, where, and its status (`tt:dang dieu tra`).
        Record::Case(c) => {
            let status = status_of(c.status().code(), c.status().label(lang));
            out.push(Entry::new(Kind::Case, c.id, &c.summary).with_fields(
                None,
                None,
                Some(&c.place),
                Some(&status),
            ));
        }
        _ => {}
    }
    out
}

/// The one-line detail shown beside a hit (birth, commune, decision, …) in the officer's
/// language, made for the few records a query returns rather than kept in the index for all
/// of them. Display-safe.
pub fn detail_of(
    record: &Record,
    person: &dyn Fn(RecordId) -> Option<crate::domain::Person>,
    lang: crate::i18n::Lang,
) -> String {
    let born = |b: Option<crate::domain::BirthDate>| b.map(|b| b.shown(lang)).unwrap_or_default();
    let detail = match record {
        Record::Person(p) => format!(
            "{} · {}",
            born(p.birth),
            p.home_commune.clone().unwrap_or_default()
        ),
        Record::Wanted(w) => format!(
            "{} · {} · {}",
            w.decision_no,
            w.status.label(lang),
            born(person(w.person_id).and_then(|p| p.birth))
        ),
        Record::WatchEntry(e) => format!(
            "{} · {}",
            e.reason,
            born(person(e.person_id).and_then(|p| p.birth))
        ),
        Record::GuestStay(g) => format!(
            "{} · {} · {}",
            g.guest.nationality,
            born(g.guest.birth),
            lang.date_time(g.check_in)
        ),
        Record::Establishment(x) => format!("{} · {}", x.kind.label(lang), x.commune),
        Record::Officer(o) => format!("{} · {}", o.rank, o.unit),
        Record::Group(g) => g.area.clone(),
        Record::Campaign(c) => format!("{} – {}", lang.date(c.start), lang.date(c.end)),
        Record::Case(c) => format!(
            "{} · {} · {} · {}",
            c.charge,
            c.status().label(lang),
            c.place,
            lang.date(c.occurred_on)
        ),
        _ => String::new(),
    };
    crate::domain::text::display_safe(&detail).into_owned()
}
