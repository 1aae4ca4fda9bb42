//! Candidate generation: which listed persons are worth scoring against a guest, without
//! scoring every pair. Listed names are posted under keys of their parts: the folded part,
//! its sound key, its consonant skeleton, each Hán character, and the part with one letter
//! left out (so one typo still meets: `hunh` and `hung` share `hun`); identity numbers are
//! posted too.
//!
//! A guest meets a listed person through an uncommon part: `Nguyễn` and `Văn` would make
//! everyone a candidate, so their postings are not walked. A meeting through a frequent
//! part (`Hùng`, posted for more than 1 in 500 listed) or through a left-out letter alone
//! (`hun` is in `hung`, `hung` is in `thung`…) is weak: it counts only when the two names
//! also share a second part, exactly or by sound, that is not a mere marker like `Văn`,
//! `Thị` or `A` (`Nguyễn Văn Hùng` meets `Nguyễn Hùng` and `Hùng Nguyễn`, not `Lò Văn Hùng`
//! nor the alias `A Hùng`). A guest whose name is all common parts
//! (`Nguyễn Văn A`) meets those listed with all the same parts.

use std::collections::HashMap;

use super::tokens::{Script, Token};
use super::{Identity, Match, Prepared, Thresholds, screen_prepared};

/// Parts shorter than this get no left-out-letter keys: `hùng` has four letters; three
/// would post `ly` as `l` and `y`, which meet everything.
const MIN_DELETION_LEN: usize = 4;
/// Skeletons shorter than this are too ambiguous to meet on (`hng` is `hùng`, `hằng`, …).
const MIN_SKELETON_LEN: usize = 4;

/// Keys are namespaced by their first byte so that a folded part and a sound key never
/// meet by accident.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ns {
    Word = b'w' as isize,
    Sound = b's' as isize,
    Skeleton = b'k' as isize,
    Deletion = b'd' as isize,
}

fn key(ns: Ns, text: &str) -> String {
    let mut k = String::with_capacity(text.len() + 1);
    k.push(ns as u8 as char);
    k.push_str(text);
    k
}

/// The strong keys of a part: meeting on one makes a candidate.
fn strong_keys(t: &Token, out: &mut Vec<String>) {
    match t.script {
        Script::Syllabic => {
            out.push(key(Ns::Word, &t.shown));
            out.push(key(Ns::Word, &t.folded));
        }
        Script::Alphabetic => {
            // Initials are posted for names of common parts only (`Nguyễn Văn A`); they
            // never make a candidate on their own (see `candidates_of`).
            out.push(key(Ns::Word, &t.folded));
            if !t.initial {
                out.push(key(Ns::Sound, &t.sound));
                if t.skeleton.chars().count() >= MIN_SKELETON_LEN {
                    out.push(key(Ns::Skeleton, &t.skeleton));
                }
            }
        }
    }
}

/// The weak keys of a part: the part and each form with one letter left out.
fn deletion_keys(t: &Token, out: &mut Vec<String>) {
    if t.script != Script::Alphabetic || t.chars.len() < MIN_DELETION_LEN {
        return;
    }
    out.push(key(Ns::Deletion, &t.folded));
    for skip in 0..t.chars.len() {
        let variant: String = t
            .chars
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, c)| c)
            .collect();
        out.push(key(Ns::Deletion, &variant));
    }
}

/// The key a part is counted under for frequency: its folded letters, or its Hán character.
fn word_key(t: &Token) -> &str {
    match t.script {
        Script::Syllabic => &t.shown,
        Script::Alphabetic => &t.folded,
    }
}

/// Parts that weigh this little (`Văn`, `Thị`, `A`, `Seo`, particles) never back a weak
/// meeting: nearly every name has one.
const MARKER_AGREE: f32 = 0.15;

/// Listed identities prepared once, with postings for candidate generation.
pub struct ScreeningIndex {
    listed: Vec<Prepared>,
    postings: HashMap<String, Vec<u32>>,
    /// A part posted for more listed persons than this is frequent (`Hùng`): meeting on it
    /// alone makes no candidate.
    frequent: usize,
}

/// The frequent-part limit: a share of the listed, but never below a few dozen, so that
/// small lists meet on any uncommon part.
fn frequent_limit(listed: usize) -> usize {
    (listed / 500).max(32)
}

impl ScreeningIndex {
    pub fn new<'a>(listed: impl IntoIterator<Item = Identity<'a>>) -> Self {
        let mut index = ScreeningIndex {
            listed: Vec::new(),
            postings: HashMap::new(),
            frequent: 0,
        };
        let mut keys = Vec::new();
        for identity in listed {
            let n = u32::try_from(index.listed.len()).unwrap_or(u32::MAX);
            let prepared = Prepared::new(&identity);
            keys.clear();
            for t in prepared.tokens() {
                if t.common {
                    // Common parts are posted exactly and by sound: a guest's rare part that
                    // sounds like one (`Trang` for `Chang`) meets it, as a weak meeting
                    // (its posting is long; see `candidates_of`).
                    keys.push(key(Ns::Word, word_key(t)));
                    if t.script == Script::Alphabetic && !t.initial {
                        keys.push(key(Ns::Sound, &t.sound));
                    }
                } else {
                    strong_keys(t, &mut keys);
                    deletion_keys(t, &mut keys);
                }
            }
            keys.extend(prepared.ids().iter().map(|id| format!("#{id}")));
            keys.sort_unstable();
            keys.dedup();
            for k in keys.drain(..) {
                index.postings.entry(k).or_default().push(n);
            }
            index.listed.push(prepared);
        }
        index.frequent = frequent_limit(index.listed.len());
        index
    }

    pub fn len(&self) -> usize {
        self.listed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    fn posting(&self, key: &str) -> &[u32] {
        self.postings.get(key).map_or(&[], Vec::as_slice)
    }

    /// The listed identities worth scoring against `guest`, each once, in index order.
    pub fn candidates(&self, guest: &Identity) -> impl Iterator<Item = usize> + use<> {
        self.candidates_of(&Prepared::new(guest)).into_iter()
    }

    fn candidates_of(&self, g: &Prepared) -> Vec<usize> {
        let mut found: Vec<u32> = Vec::new();
        let mut keys = Vec::new();
        for id in g.ids() {
            found.extend_from_slice(self.posting(&format!("#{id}")));
        }
        let tokens: Vec<&Token> = g.tokens().collect();
        // Where each part of the guest's names is posted exactly or by sound: the second
        // part that backs a weak meeting is looked up here by binary search (postings are
        // in index order).
        let exact: Vec<[&[u32]; 2]> = tokens
            .iter()
            .map(|t| {
                [
                    self.posting(&key(Ns::Word, word_key(t))),
                    self.posting(&key(Ns::Sound, &t.sound)),
                ]
            })
            .collect();
        let backed = |n: u32, by: usize| {
            tokens.iter().enumerate().any(|(i, t)| {
                i != by
                    && t.agree > MARKER_AGREE
                    && exact[i].iter().any(|p| p.binary_search(&n).is_ok())
            })
        };
        let mut any_rare = false;
        for (i, t) in tokens.iter().enumerate() {
            if t.common || t.initial {
                continue;
            }
            any_rare = true;
            keys.clear();
            strong_keys(t, &mut keys);
            // A part is frequent when it, or any of its keys, is posted for many listed.
            let frequent = exact[i][0].len() > self.frequent;
            for k in &keys {
                let posting = self.posting(k);
                if frequent || posting.len() > self.frequent {
                    found.extend(posting.iter().filter(|&&n| backed(n, i)));
                } else {
                    found.extend_from_slice(posting);
                }
            }
            // One letter left out of the guest's part (`Lââm`, `Vààng`: a doubled key)
            // meets the listed part itself, exactly or by sound — weakly, as a
            // left-out letter does.
            keys.clear();
            deletion_keys(t, &mut keys);
            for k in keys
                .iter()
                .filter_map(|k| k.strip_prefix(Ns::Deletion as u8 as char))
            {
                let sound = crate::domain::text::sound_key(k);
                for posting in [
                    self.posting(&key(Ns::Deletion, k)),
                    self.posting(&key(Ns::Word, k)),
                    self.posting(&key(Ns::Sound, &sound)),
                ] {
                    found.extend(posting.iter().filter(|&&n| backed(n, i)));
                }
            }
        }
        let rare = any_rare;
        if !rare {
            self.all_common_candidates(g, &mut found);
        }
        found.sort_unstable();
        found.dedup();
        found.into_iter().map(|n| n as usize).collect()
    }

    /// For a guest whose name has only common parts: the listed whose names carry all of
    /// them, each exactly or by sound (`Trang A Ló` for `Chang A Ló`), walking the shortest
    /// posting.
    fn all_common_candidates(&self, g: &Prepared, found: &mut Vec<u32>) {
        for (_, name) in &g.names {
            let shortest = name
                .iter()
                .map(|t| match t.script {
                    Script::Alphabetic if !t.initial => self.posting(&key(Ns::Sound, &t.sound)),
                    _ => self.posting(&key(Ns::Word, word_key(t))),
                })
                .min_by_key(|p| p.len());
            let Some(shortest) = shortest else { continue };
            for &n in shortest {
                let has_all = self.listed.get(n as usize).is_some_and(|l| {
                    name.iter().all(|w| {
                        l.tokens().any(|t| {
                            t.folded == w.folded || (!w.initial && !t.initial && t.sound == w.sound)
                        })
                    })
                });
                if has_all {
                    found.push(n);
                }
            }
        }
    }

    /// The listed identities that match `guest` with a band, best first, with their index.
    pub fn screen(&self, guest: &Identity, th: &Thresholds) -> Vec<(usize, Match)> {
        self.screen_counted(guest, th).0
    }

    /// As [`ScreeningIndex::screen`], with the number of candidates scored (for benchmarks).
    pub fn screen_counted(
        &self,
        guest: &Identity,
        th: &Thresholds,
    ) -> (Vec<(usize, Match)>, usize) {
        let g = Prepared::new(guest);
        let candidates = self.candidates_of(&g);
        let scored = candidates.len();
        let mut out: Vec<(usize, Match)> = candidates
            .into_iter()
            .filter_map(|n| {
                let l = self.listed.get(n)?;
                screen_prepared(&g, l, th).map(|m| (n, m))
            })
            .collect();
        out.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
        (out, scored)
    }
}
