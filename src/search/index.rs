//! The search index: one entry per searchable record (persons, wanted notices, watch
//! entries, guests, establishments, officers, groups, campaigns), its name folded into
//! tokens, and the fields the prefixes look at. Matching is tiered per query word —
//! exact token, prefix, digits against birth year or identity number, confusable sounds,
//! one typo, then fuzzy-matcher's subsequence over the whole name — and every word must
//! match a different token, in any order.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::domain::{Kind, Record, RecordId};

use super::fold::{Folded, fold, lower_marks, sound_key};
use super::query::{Filter, Query, Term};

#[derive(Clone, Debug)]
struct Token {
    folded: String,
    marked: String,
    sound: String,
    /// First folded char of the token in the entry's folded name.
    start: usize,
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub kind: Kind,
    pub id: RecordId,
    pub title: String,
    pub detail: String,
    name: Folded,
    tokens: Vec<Token>,
    /// Other names (aliases, Hán and pinyin forms): matched, not highlighted.
    other_tokens: Vec<Token>,
    born: Option<String>,
    id_number: Option<String>,
    commune: Option<String>,
    status: Option<String>,
}

/// A search result: the record, its one-line title, and the chars of the title to highlight.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Hit {
    pub kind: String,
    pub id: String,
    pub title: String,
    pub detail: String,
    pub score: u32,
    /// Char indices into `title` (never bytes) of the matched characters.
    pub highlight: Vec<usize>,
}

fn tokens_of(folded: &Folded, original: &str) -> Vec<Token> {
    let marked_words: Vec<String> = lower_marks(original)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let mut tokens = Vec::new();
    let mut start = None;
    let chars: Vec<char> = folded.text.chars().collect();
    for (i, c) in chars.iter().chain(std::iter::once(&' ')).enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                let word: String = chars[s..i].iter().collect();
                tokens.push(Token {
                    marked: marked_words
                        .get(tokens.len())
                        .cloned()
                        .unwrap_or_else(|| word.clone()),
                    sound: sound_key(&word),
                    folded: word,
                    start: s,
                });
                start = None;
            }
            _ => {}
        }
    }
    tokens
}

impl Entry {
    pub fn new(kind: Kind, id: RecordId, title: &str, detail: String) -> Entry {
        let title = crate::domain::text::display_safe(title).into_owned();
        let name = fold(&title);
        let tokens = tokens_of(&name, &title);
        Entry {
            kind,
            id,
            title,
            detail: crate::domain::text::display_safe(&detail).into_owned(),
            name,
            tokens,
            other_tokens: Vec::new(),
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
        self.id_number = id_number.map(str::to_string);
        self.commune = commune.map(super::fold::fold_text);
        self.status = status.map(super::fold::fold_text);
        self
    }

    fn other_names(mut self, names: &[String]) -> Entry {
        for n in names {
            let f = fold(n);
            self.other_tokens.extend(tokens_of(&f, n));
        }
        self
    }
}

/// Builds the entries of one record; `person` finds the person a notice or entry names.
pub fn entries_of(
    record: &Record,
    person: &dyn Fn(RecordId) -> Option<crate::domain::Person>,
) -> Vec<Entry> {
    let lang = crate::i18n::Lang::Vi;
    let mut out = Vec::new();
    let with_person =
        |kind: Kind, id: RecordId, person_id: RecordId, status: Option<String>, what: String| {
            person(person_id).map(|p| {
                let born = p.birth.map(|b| b.to_string());
                let mut e = Entry::new(
                    kind,
                    id,
                    &p.full_name,
                    format!("{what} · {}", born.clone().unwrap_or_default()),
                )
                .other_names(&p.aliases);
                e.born = born;
                e.id_number = p.id_doc.map(|d| d.number);
                e.commune = p.home_commune.map(|c| super::fold::fold_text(&c));
                e.status = status;
                e
            })
        };
    match record {
        Record::Person(p) => {
            let born = p.birth.map(|b| b.to_string());
            let mut e = Entry::new(
                Kind::Person,
                p.id,
                &p.full_name,
                format!(
                    "{} · {}",
                    born.clone().unwrap_or_default(),
                    p.home_commune.clone().unwrap_or_default()
                ),
            )
            .other_names(&p.aliases);
            e.born = born;
            e.id_number = p.id_doc.as_ref().map(|d| d.number.clone());
            e.commune = p.home_commune.as_deref().map(super::fold::fold_text);
            out.push(e);
        }
        Record::Wanted(w) => {
            let status = format!(
                "{} {}",
                w.status.code(),
                super::fold::fold_text(w.status.label(lang))
            );
            out.extend(with_person(
                Kind::Wanted,
                w.id,
                w.person_id,
                Some(status),
                format!("{} · {}", w.decision_no, w.status.label(lang)),
            ));
        }
        Record::WatchEntry(e) => {
            let status = format!(
                "{} {}",
                e.status.code(),
                super::fold::fold_text(e.status.label(lang))
            );
            out.extend(with_person(
                Kind::WatchEntry,
                e.id,
                e.person_id,
                Some(status),
                e.reason.clone(),
            ));
        }
        Record::GuestStay(g) => {
            let born = g.guest.birth.map(|b| b.to_string());
            let mut e = Entry::new(
                Kind::GuestStay,
                g.id,
                &g.guest.full_name,
                format!(
                    "{} · {} · {}",
                    g.guest.nationality,
                    born.clone().unwrap_or_default(),
                    crate::domain::time::format_instant_short(g.check_in)
                ),
            )
            .other_names(&g.guest.other_names);
            e.born = born;
            e.id_number = g.guest.id_doc.as_ref().map(|d| d.number.clone());
            out.push(e);
        }
        Record::Establishment(x) => {
            let mut e = Entry::new(
                Kind::Establishment,
                x.id,
                &x.name,
                format!("{} · {}", x.kind.label(lang), x.commune),
            );
            e.commune = Some(super::fold::fold_text(&x.commune));
            out.push(e);
        }
        Record::Officer(o) => {
            let mut e = Entry::new(
                Kind::Officer,
                o.id,
                &o.full_name,
                format!("{} · {}", o.rank, o.unit),
            );
            e.id_number = Some(o.badge_no.to_ascii_lowercase());
            out.push(e);
        }
        Record::Group(g) => out.push(Entry::new(Kind::Group, g.id, &g.name, g.area.clone())),
        Record::Campaign(c) => out.push(Entry::new(
            Kind::Campaign,
            c.id,
            &c.name,
            format!("{} – {}", c.start, c.end),
        )),
        _ => {}
    }
    out
}

#[derive(Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
}

/// How well one word matched one token.
fn term_score(term: &Term, token: &Token) -> Option<(u32, usize)> {
    let marks = |base: u32| match &term.marked {
        Some(m) if token.marked == *m => base + 25,
        Some(m) if token.marked.starts_with(m.as_str()) => base + 15,
        Some(_) => base,
        None => base,
    };
    let len = term.folded.chars().count();
    if token.folded == term.folded {
        return Some((marks(100), len));
    }
    if token.folded.starts_with(&term.folded) {
        let full = token.folded.chars().count().max(1) as u32;
        return Some((marks(50 + 30 * len as u32 / full), len));
    }
    if token.sound == term.sound {
        return Some((60, token.folded.chars().count()));
    }
    if len >= 4 && strsim::damerau_levenshtein(&token.folded, &term.folded) == 1 {
        return Some((45, token.folded.chars().count()));
    }
    None
}

fn filters_pass(entry: &Entry, filters: &[Filter]) -> bool {
    filters.iter().all(|f| match f {
        Filter::Kind(k) => entry.kind == *k,
        Filter::Born(b) => entry
            .born
            .as_deref()
            .is_some_and(|x| x.starts_with(b.as_str())),
        Filter::Id(i) => {
            entry
                .id_number
                .as_deref()
                .is_some_and(|n| n.to_ascii_lowercase().contains(i.as_str()))
                || entry
                    .id
                    .to_string()
                    .to_ascii_lowercase()
                    .replace('-', "")
                    .contains(&i.replace('-', ""))
        }
        Filter::Commune(c) => entry
            .commune
            .as_deref()
            .is_some_and(|x| x.contains(c.as_str())),
        Filter::Status(s) => entry
            .status
            .as_deref()
            .is_some_and(|x| x.contains(s.as_str())),
    })
}

impl SearchIndex {
    pub fn new(entries: Vec<Entry>) -> SearchIndex {
        SearchIndex { entries }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Scores one entry: `None` unless every word matches a different token (or a field).
    fn score(
        &self,
        entry: &Entry,
        query: &Query,
        fuzzy: &SkimMatcherV2,
    ) -> Option<(u32, Vec<usize>)> {
        if !filters_pass(entry, &query.filters) {
            return None;
        }
        let mut used = vec![false; entry.tokens.len()];
        let mut total = 0;
        let mut highlight = Vec::new();
        let mut last_token = None;
        let mut in_order = true;
        for term in &query.terms {
            let best = entry
                .tokens
                .iter()
                .enumerate()
                .filter(|(i, _)| !used[*i])
                .filter_map(|(i, t)| term_score(term, t).map(|(s, len)| (s, i, len)))
                .max_by_key(|(s, i, _)| (*s, std::cmp::Reverse(*i)));
            if let Some((score, i, len)) = best {
                used[i] = true;
                total += score;
                in_order &= last_token.is_none_or(|l| i > l);
                last_token = Some(i);
                let start = entry.tokens[i].start;
                highlight.extend(
                    (start..start + len)
                        .filter_map(|c| entry.name.origin.get(c).map(|o| *o as usize)),
                );
                continue;
            }
            // Digits: a birth year or part of an identity number.
            if term.folded.bytes().all(|b| b.is_ascii_digit()) {
                let field = entry
                    .born
                    .as_deref()
                    .is_some_and(|b| b.starts_with(term.folded.as_str()))
                    || entry
                        .id_number
                        .as_deref()
                        .is_some_and(|n| n.contains(term.folded.as_str()));
                if field {
                    total += 80;
                    continue;
                }
            }
            // Other written forms of the name (aliases, Hán, pinyin).
            if let Some(score) = entry
                .other_tokens
                .iter()
                .filter_map(|t| term_score(term, t).map(|(s, _)| s))
                .max()
            {
                total += score.saturating_sub(10);
                continue;
            }
            // Last resort: fuzzy-matcher's subsequence over the whole folded name.
            match fuzzy.fuzzy_indices(&entry.name.text, &term.folded) {
                Some((score, positions)) if term.folded.len() >= 3 && score > 40 => {
                    total += 20;
                    highlight.extend(
                        positions
                            .iter()
                            .filter_map(|c| entry.name.origin.get(*c).map(|o| *o as usize)),
                    );
                }
                _ => return None,
            }
        }
        if in_order && query.terms.len() > 1 {
            total += 10;
        }
        // A name fully covered ranks above a longer name that merely contains the words.
        let covered = used.iter().filter(|u| **u).count() as u32;
        total += 20 * covered / entry.tokens.len().max(1) as u32;
        highlight.sort_unstable();
        highlight.dedup();
        Some((total, highlight))
    }

    /// The best `limit` hits, best first; equal scores keep kind order, then ID order.
    pub fn search(&self, text: &str, kind: Option<Kind>, limit: usize) -> Vec<Hit> {
        let mut query = Query::parse(text);
        if let Some(kind) = kind {
            query.filters.push(Filter::Kind(kind));
        }
        if query.terms.is_empty() && query.filters.is_empty() {
            return Vec::new();
        }
        let fuzzy = SkimMatcherV2::default();
        let mut scored: Vec<(u32, usize, Vec<usize>)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| self.score(e, &query, &fuzzy).map(|(s, h)| (s, i, h)))
            .collect();
        scored.sort_by(|a, b| {
            let (ea, eb) = (&self.entries[a.1], &self.entries[b.1]);
            b.0.cmp(&a.0)
                .then(ea.kind.cmp(&eb.kind))
                .then(ea.id.cmp(&eb.id))
        });
        scored
            .into_iter()
            .take(limit)
            .map(|(score, i, highlight)| {
                let e = &self.entries[i];
                Hit {
                    kind: e.kind.name().to_string(),
                    id: e.id.to_string(),
                    title: e.title.clone(),
                    detail: e.detail.clone(),
                    score,
                    highlight,
                }
            })
            .collect()
    }
}
