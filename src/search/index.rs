//! The packed search index. Every entry's text lives in one arena string: no allocation per
//! entry, about 32 bytes of bookkeeping each, so a million names fit in ~150 MB. A query
//! scans the entries on every core with no allocation on the path that rejects an entry.
//! Matching is tiered per query word — exact token, prefix, digits against birth year or
//! identity number, confusable sounds, one typo, other written names — and every word must
//! match a different token, in any order. A word's match weighs as the token it met is rare
//! among names of its population (see `weight.rs`): `Văn` little, `Pánh` in full. Only when
//! those find fewer than asked does a second pass try fuzzy-matcher's subsequence over the
//! whole name.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::domain::{Kind, RecordId};

use std::collections::HashMap;

use super::entry::Entry;
use super::fold::{fold, lower_marks, sound_key};
use super::query::{Filter, Query};
use super::strings::StrTable;
use super::tiers::term_score;
use super::weight::{self, Frequency};

/// The text fields of an entry kept for display and prefixes, in arena order. The detail
/// line is not kept: the service composes it for the few records a query returns.
#[derive(Clone, Copy)]
enum Field {
    Title,
    Born,
    IdNumber,
    Commune,
    Status,
}

pub(super) const FIELDS: usize = 5;

/// One entry, 40 bytes; its text is in the arena and its tokens in `token_ids`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Packed {
    pub(super) id: u64,
    pub(super) at: u32,
    /// Start of this entry's token ids in `SearchIndex::token_ids`: `names` name tokens,
    /// then `others` tokens of other written names, then the `names` name tokens again in
    /// their marked form (ids into `SearchIndex::marked`).
    pub(super) tokens: u32,
    /// Which of a–z occur in the folded name: the fuzzy pass skips entries lacking a letter.
    pub(super) letters: u32,
    pub(super) lens: [u16; FIELDS],
    pub(super) names: u8,
    pub(super) others: u8,
    pub(super) kind: Kind,
    /// Replaced by a newer version of its record; skipped by every query.
    pub(super) dead: bool,
}

/// A search result: the record, its one-line title, and the chars of the title to highlight.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Hit {
    pub kind: String,
    pub id: String,
    pub title: String,
    /// Filled in by the service from the record (empty from the index).
    pub detail: String,
    pub score: u32,
    /// Char indices into `title` (never bytes) of the matched characters.
    pub highlight: Vec<usize>,
}

/// Token text → number, for adding entries. Built when needed and dropped once the index
/// is sealed: at a million names it is tens of megabytes no query needs.
#[derive(Default)]
struct Interner {
    tokens: HashMap<String, u32>,
    marked: HashMap<String, u32>,
}

#[derive(Default)]
pub struct SearchIndex {
    pub(super) arena: String,
    pub(super) entries: Vec<Packed>,
    pub(super) token_ids: Vec<u32>,
    /// Distinct folded tokens, once for the whole index, and their sound keys (same order).
    pub(super) dictionary: StrTable,
    pub(super) sounds: StrTable,
    /// Distinct name tokens lower-cased with their marks (`hùng`, `hưng`).
    pub(super) marked: StrTable,
    /// `entries[..sorted]` are in (kind, id) order, so a record's entries are found by
    /// binary search; entries added since are after it.
    pub(super) sorted: usize,
    pub(super) live: usize,
    /// How many live entries of each kind carry each token: what a match on it weighs.
    frequency: Frequency,
    interner: Option<Box<Interner>>,
}

/// Entries added after the last sort beyond which `replace` sorts again.
const UNSORTED_TAIL: usize = 4096;

/// Per query word, the score of every dictionary token (0: no match), computed once per
/// query so that scoring an entry is a few array lookups.
struct Scores {
    per_term: Vec<Vec<u8>>,
    /// Per word typed with marks, the bonus of every marked token (exact 25, prefix 15).
    marks: Vec<Option<Vec<u8>>>,
    /// What a match on each token some word matched weighs, per kind (see [`weight`]).
    weights: weight::Table,
}

/// The number of `token` in `table`, adding it if new.
fn intern(numbers: &mut HashMap<String, u32>, table: &mut StrTable, token: &str) -> u32 {
    if let Some(n) = numbers.get(token) {
        return *n;
    }
    let n = table.push(token);
    numbers.insert(token.to_string(), n);
    n
}

fn letter_mask(text: &str) -> u32 {
    text.bytes()
        .filter(u8::is_ascii_lowercase)
        .fold(0, |m, b| m | 1 << (b - b'a'))
}

fn field_len(text: &str) -> u16 {
    u16::try_from(text.len()).unwrap_or(u16::MAX)
}

/// Cut to at most `max` bytes on a char boundary (an absurd field must not break the arena).
fn clip(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

struct Scored {
    score: u32,
    index: usize,
}

impl SearchIndex {
    pub fn new(entries: Vec<Entry>) -> SearchIndex {
        let mut index = SearchIndex::default();
        for e in &entries {
            index.push(e);
        }
        index.seal();
        index
    }

    /// Adds one entry. Call [`SearchIndex::seal`] after the last one.
    pub fn push(&mut self, e: &Entry) {
        let mut interner = self
            .interner
            .take()
            .unwrap_or_else(|| self.rebuild_interner());
        let tokens = u32::try_from(self.token_ids.len()).unwrap_or(u32::MAX);
        let folded = fold(&e.title).text;
        let mut names = 0u8;
        for token in folded.split_whitespace().take(60) {
            let id = intern(&mut interner.tokens, &mut self.dictionary, token);
            if usize::try_from(id).is_ok_and(|i| i == self.sounds.len()) {
                self.sounds.push(&sound_key(token));
            }
            self.token_ids.push(id);
            names += 1;
        }
        let mut others = 0u8;
        for name in &e.other_names {
            for token in fold(name).text.split_whitespace() {
                if others < 60 {
                    let id = intern(&mut interner.tokens, &mut self.dictionary, token);
                    if usize::try_from(id).is_ok_and(|i| i == self.sounds.len()) {
                        self.sounds.push(&sound_key(token));
                    }
                    self.token_ids.push(id);
                    others += 1;
                }
            }
        }
        // The marked form of each name token; where folding split differently, the folded one.
        let marked_title = lower_marks(&e.title);
        let mut marked_words = marked_title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty());
        for token in folded.split_whitespace().take(usize::from(names)) {
            let marked = marked_words.next().unwrap_or(token);
            let id = intern(&mut interner.marked, &mut self.marked, marked);
            self.token_ids.push(id);
        }
        let letters = letter_mask(&folded);
        let texts: [&str; FIELDS] = [
            clip(&e.title, 400),
            e.born.as_deref().unwrap_or(""),
            e.id_number.as_deref().unwrap_or(""),
            e.commune.as_deref().unwrap_or(""),
            e.status.as_deref().unwrap_or(""),
        ];
        let at = u32::try_from(self.arena.len()).unwrap_or(u32::MAX);
        let mut lens = [0u16; FIELDS];
        for (slot, text) in lens.iter_mut().zip(texts) {
            let text = clip(text, usize::from(u16::MAX));
            *slot = field_len(text);
            self.arena.push_str(text);
        }
        let packed = Packed {
            id: e.id.num(),
            at,
            tokens,
            letters,
            lens,
            names,
            others,
            kind: e.kind,
            dead: false,
        };
        self.count(&packed, true);
        self.entries.push(packed);
        self.live += 1;
        self.interner = Some(interner);
    }

    fn rebuild_interner(&self) -> Box<Interner> {
        let numbered = |table: &StrTable| {
            table
                .iter()
                .enumerate()
                .map(|(i, t)| (t.to_string(), u32::try_from(i).unwrap_or(u32::MAX)))
                .collect()
        };
        Box::new(Interner {
            tokens: numbered(&self.dictionary),
            marked: numbered(&self.marked),
        })
    }

    /// Sorts the entries by record, trims spare capacity and drops the interner: the index
    /// as queries use it.
    pub fn seal(&mut self) {
        self.entries.sort_by_key(|e| (e.kind, e.id));
        self.sorted = self.entries.len();
        self.interner = None;
        self.arena.shrink_to_fit();
        self.entries.shrink_to_fit();
        self.token_ids.shrink_to_fit();
        self.dictionary.shrink_to_fit();
        self.sounds.shrink_to_fit();
        self.marked.shrink_to_fit();
    }

    /// Puts `entries` in place of whatever the index held for record `id` (none: the record
    /// is gone from the index). The old entries stay in the arena, marked dead.
    pub fn replace(&mut self, id: RecordId, entries: &[Entry]) {
        let key = (id.kind(), id.num());
        let start = self.entries[..self.sorted].partition_point(|e| (e.kind, e.id) < key);
        let mut dead = Vec::new();
        let (sorted, tail) = self.entries.split_at_mut(self.sorted);
        for e in sorted[start..]
            .iter_mut()
            .take_while(|e| (e.kind, e.id) == key)
            .chain(tail.iter_mut())
        {
            if (e.kind, e.id) == key && !e.dead {
                e.dead = true;
                dead.push(*e);
            }
        }
        self.live -= dead.len();
        for e in &dead {
            self.count(e, false);
        }
        for entry in entries {
            self.push(entry);
        }
        if self.entries.len() - self.sorted > UNSORTED_TAIL {
            self.seal();
        }
    }

    /// Live entries (those of the records' current versions).
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// An index from the tables of a file; [`SearchIndex::check_and_count`] must pass
    /// before it is used.
    pub(super) fn from_parts(
        arena: String,
        entries: Vec<Packed>,
        token_ids: Vec<u32>,
        [dictionary, sounds, marked]: [StrTable; 3],
        sorted: usize,
    ) -> SearchIndex {
        SearchIndex {
            arena,
            entries,
            token_ids,
            dictionary,
            sounds,
            marked,
            sorted,
            live: 0,
            frequency: Frequency::default(),
            interner: None,
        }
    }

    /// Counts an entry's distinct tokens (of its names and other names) in or out of the
    /// frequencies that weigh a match.
    pub(super) fn count(&mut self, e: &Packed, add: bool) {
        let mut tokens = [self.names(e), self.others(e)].concat();
        tokens.sort_unstable();
        tokens.dedup();
        self.frequency.count(e.kind, &tokens, add);
    }

    fn get(&self, e: &Packed, field: Field) -> &str {
        let skip: usize = e.lens[..field as usize]
            .iter()
            .map(|l| usize::from(*l))
            .sum();
        let start = e.at as usize + skip;
        self.arena
            .get(start..start + usize::from(e.lens[field as usize]))
            .unwrap_or("")
    }

    fn names(&self, e: &Packed) -> &[u32] {
        let start = e.tokens as usize;
        self.token_ids
            .get(start..start + usize::from(e.names))
            .unwrap_or(&[])
    }

    fn others(&self, e: &Packed) -> &[u32] {
        let start = e.tokens as usize + usize::from(e.names);
        self.token_ids
            .get(start..start + usize::from(e.others))
            .unwrap_or(&[])
    }

    fn marked_names(&self, e: &Packed) -> &[u32] {
        let start = e.tokens as usize + usize::from(e.names) + usize::from(e.others);
        self.token_ids
            .get(start..start + usize::from(e.names))
            .unwrap_or(&[])
    }

    fn scores(&self, query: &Query) -> Scores {
        let marks = query
            .terms
            .iter()
            .map(|term| {
                term.marked.as_deref().map(|m| {
                    self.marked
                        .iter()
                        .map(|t| {
                            if t == m {
                                25
                            } else if t.starts_with(m) {
                                15
                            } else {
                                0
                            }
                        })
                        .collect()
                })
            })
            .collect();
        let per_term: Vec<Vec<u8>> = query
            .terms
            .iter()
            .map(|term| {
                self.dictionary
                    .iter()
                    .zip(self.sounds.iter())
                    .map(|(text, sound)| {
                        term_score(term, text, sound)
                            .map_or(0, |(s, _)| u8::try_from(s).unwrap_or(u8::MAX))
                    })
                    .collect()
            })
            .collect();
        let weights = self.frequency.table(self.dictionary.len(), |token| {
            per_term
                .iter()
                .any(|t| t.get(token).is_some_and(|s| *s > 0))
        });
        Scores {
            per_term,
            marks,
            weights,
        }
    }

    fn filters_pass(&self, e: &Packed, filters: &[Filter]) -> bool {
        filters.iter().all(|f| match f {
            Filter::Kind(k) => e.kind == *k,
            Filter::Born(b) => self.get(e, Field::Born).starts_with(b.as_str()),
            Filter::Id(i) => {
                self.get(e, Field::IdNumber).contains(i.as_str())
                    || RecordId::new(e.kind, e.id)
                        .to_string()
                        .to_ascii_lowercase()
                        .replace('-', "")
                        .contains(&i.replace('-', ""))
            }
            Filter::Commune(c) => self.get(e, Field::Commune).contains(c.as_str()),
            Filter::Status(s) => self.get(e, Field::Status).contains(s.as_str()),
        })
    }

    /// Scores one entry; `None` unless every word matches (a different token, a field, an
    /// other name, or — with `fuzzy` — a subsequence of the name). No allocation except in
    /// the fuzzy pass.
    fn score(
        &self,
        e: &Packed,
        query: &Query,
        scores: &Scores,
        fuzzy: Option<&SkimMatcherV2>,
    ) -> Option<u32> {
        if e.dead || !self.filters_pass(e, &query.filters) {
            return None;
        }
        let names = self.names(e);
        let mut used: u64 = 0;
        let (mut total, mut last, mut in_order) = (0u32, None, true);
        for ((term, table), marks) in query.terms.iter().zip(&scores.per_term).zip(&scores.marks) {
            let mut best: Option<(u8, usize)> = None;
            for (i, token) in names.iter().enumerate() {
                let s = table.get(*token as usize).copied().unwrap_or(0);
                if s > 0 && used & (1 << i) == 0 && best.is_none_or(|(b, _)| s > b) {
                    best = Some((s, i));
                }
            }
            if let Some((s, i)) = best {
                used |= 1 << i;
                let mut points = u32::from(s);
                if let Some(marks) = marks {
                    let marked = self.marked_names(e).get(i).copied().unwrap_or(u32::MAX);
                    points += u32::from(marks.get(marked as usize).copied().unwrap_or(0));
                }
                total += weight::weigh(points, scores.weights.get(e.kind, names[i]));
                in_order &= last.is_none_or(|l| i > l);
                last = Some(i);
                continue;
            }
            if term.folded.bytes().all(|b| b.is_ascii_digit())
                && (self.get(e, Field::Born).starts_with(term.folded.as_str())
                    || self.get(e, Field::IdNumber).contains(term.folded.as_str()))
            {
                total += 80;
                continue;
            }
            if let Some((s, t)) = self
                .others(e)
                .iter()
                .map(|t| (table.get(*t as usize).copied().unwrap_or(0), *t))
                .max()
                && s > 0
            {
                let points = u32::from(s).saturating_sub(10);
                total += weight::weigh(points, scores.weights.get(e.kind, t));
                continue;
            }
            let matcher = fuzzy?;
            if letter_mask(&term.folded) & !e.letters != 0 {
                return None;
            }
            let folded: Vec<&str> = names
                .iter()
                .map(|t| self.dictionary.get(*t as usize))
                .collect();
            match matcher.fuzzy_match(&folded.join(" "), &term.folded) {
                Some(s) if term.folded.len() >= 3 && s > 40 => total += 20,
                _ => return None,
            }
        }
        if in_order && query.terms.len() > 1 {
            total += 10;
        }
        // A name fully covered ranks above a longer name that merely contains the words.
        total += 20 * used.count_ones() / u32::from(e.names.max(1));
        Some(total)
    }

    /// The chars of the title that the query matched, by character.
    fn highlight(&self, e: &Packed, query: &Query) -> Vec<usize> {
        let title = self.get(e, Field::Title);
        let name = fold(title);
        let mut starts = Vec::new();
        let mut at = 0;
        for token in name.text.split(' ') {
            starts.push((at, token));
            at += token.chars().count() + 1;
        }
        let mut used = vec![false; starts.len()];
        let mut lit = Vec::new();
        for term in &query.terms {
            let best = starts
                .iter()
                .enumerate()
                .filter(|(i, _)| !used[*i])
                .filter_map(|(i, (start, token))| {
                    term_score(term, token, &sound_key(token)).map(|(s, len)| (s, i, *start, len))
                })
                .max_by_key(|(s, i, _, _)| (*s, std::cmp::Reverse(*i)));
            if let Some((_, i, start, len)) = best {
                used[i] = true;
                lit.extend(
                    (start..start + len).filter_map(|c| name.origin.get(c).map(|o| *o as usize)),
                );
            }
        }
        lit.sort_unstable();
        lit.dedup();
        lit
    }

    fn scan(&self, query: &Query, scores: &Scores, fuzzy: Option<&SkimMatcherV2>) -> Vec<Scored> {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        let chunk = self.entries.len().div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            let workers: Vec<_> = self
                .entries
                .chunks(chunk)
                .enumerate()
                .map(|(n, part)| {
                    scope.spawn(move || {
                        part.iter()
                            .enumerate()
                            .filter_map(|(i, e)| {
                                self.score(e, query, scores, fuzzy).map(|score| Scored {
                                    score,
                                    index: n * chunk + i,
                                })
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_default())
                .collect()
        })
    }

    /// The best `limit` hits, best first; equal scores keep kind order, then ID order.
    pub fn search(&self, text: &str, kind: Option<Kind>, limit: usize) -> Vec<Hit> {
        let mut query = Query::parse(text);
        if let Some(kind) = kind {
            query.filters.push(Filter::Kind(kind));
        }
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        let scores = self.scores(&query);
        let mut scored = self.scan(&query, &scores, None);
        if scored.len() < limit && !query.terms.is_empty() {
            // Too few by the fast tiers: let subsequences in (abbreviations, glued words).
            scored = self.scan(&query, &scores, Some(&SkimMatcherV2::default()));
        }
        let order = |a: &Scored, b: &Scored| {
            let (ea, eb) = (&self.entries[a.index], &self.entries[b.index]);
            b.score
                .cmp(&a.score)
                .then(ea.kind.cmp(&eb.kind))
                .then(ea.id.cmp(&eb.id))
        };
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit - 1, order);
            scored.truncate(limit);
        }
        scored.sort_by(order);
        scored
            .into_iter()
            .map(|s| {
                let e = &self.entries[s.index];
                Hit {
                    kind: e.kind.name().to_string(),
                    id: RecordId::new(e.kind, e.id).to_string(),
                    title: self.get(e, Field::Title).to_string(),
                    detail: String::new(),
                    score: s.score,
                    highlight: self.highlight(e, &query),
                }
            })
            .collect()
    }
}
