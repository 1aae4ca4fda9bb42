//! How much a matched word says about a record: its rarity among the records of the same
//! kind, counted from the index itself (an inverse document frequency). `Văn` and `Thị` are
//! in a third of the people's names, `ma túy` and `đường dây` in most groups' names: matching
//! them tells one record from another as little as it tells the officer which one was meant,
//! so a name whose distinctive part matched ranks above a record that met the query only on
//! such words. Counted per population of names, because they are different languages:
//! people's names (persons, the notices and watch entries naming them, guests, officers —
//! one population, so that one name weighs the same whichever record carries it), the
//! descriptions that name groups, establishments' trade names, campaigns' titles. No word
//! list: a province whose registers show other patterns needs no edit.

use crate::domain::Kind;

const KINDS: usize = Kind::ALL.len();

/// The population a kind's titles are counted in: people's names together, any other kind
/// by itself.
fn population(kind: Kind) -> usize {
    match kind {
        Kind::Officer | Kind::Person | Kind::Wanted | Kind::WatchEntry | Kind::GuestStay => {
            Kind::Person.index()
        }
        other => other.index(),
    }
}

/// A word in at most this share of its kind's names weighs in full.
const RARE_SHARE: f64 = 0.05;
/// What a word every record of its kind carries still weighs (percent): a match stays a
/// match, it only ranks lower.
const FLOOR: u8 = 25;
/// How many records of its own a kind needs before its shares speak for themselves: below
/// that, a word's share is pulled towards its share over the whole index (a kind of three
/// campaigns says nothing about which words are common).
const PRIOR: f64 = 20.0;

/// Per dictionary token and kind, how many live entries carry it; and per kind, how many
/// live entries there are. Kept current as entries are added and replaced, so a live index
/// weighs as a fresh build of the same records does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Frequency {
    /// `token * KINDS + population`.
    carrying: Vec<u32>,
    /// Per token, over every population.
    carrying_all: Vec<u32>,
    /// Per population.
    entries: [u32; KINDS],
    entries_all: u32,
}

impl Frequency {
    /// Counts one entry of `kind` in or out (`add` false); `tokens` are its distinct tokens.
    pub(super) fn count(&mut self, kind: Kind, tokens: &[u32], add: bool) {
        let k = population(kind);
        let step = |n: &mut u32| {
            *n = if add {
                n.saturating_add(1)
            } else {
                n.saturating_sub(1)
            }
        };
        step(&mut self.entries[k]);
        step(&mut self.entries_all);
        for &token in tokens {
            let t = token as usize;
            if self.carrying_all.len() <= t {
                self.carrying_all.resize(t + 1, 0);
                self.carrying.resize((t + 1) * KINDS, 0);
            }
            step(&mut self.carrying_all[t]);
            step(&mut self.carrying[t * KINDS + k]);
        }
    }

    /// The weight (percent, [`FLOOR`]..=100) of `token` in a record of `kind`.
    pub(super) fn weight(&self, kind: Kind, token: u32) -> u8 {
        let t = token as usize;
        let k = population(kind);
        let of = |v: &[u32], i: usize| f64::from(v.get(i).copied().unwrap_or(0));
        let (all, n_all) = (of(&self.carrying_all, t), f64::from(self.entries_all));
        let (carrying, n) = (
            of(&self.carrying, t * KINDS + k),
            f64::from(self.entries[k]),
        );
        if n_all < 1.0 {
            return 100;
        }
        let share_all = (all / n_all).clamp(0.0, 1.0);
        let share = ((carrying + PRIOR * share_all) / (n + PRIOR)).clamp(f64::MIN_POSITIVE, 1.0);
        let weight = (1.0 / share).ln() / (1.0 / RARE_SHARE).ln();
        let percent = (100.0 * weight).round().clamp(f64::from(FLOOR), 100.0);
        // In FLOOR..=100 by the clamp.
        percent as u8
    }
}

impl Frequency {
    /// The weights of the `tokens` tokens for which `wanted` holds (those a query's words
    /// matched), for every kind: looked up while scoring, so that no entry pays a logarithm.
    pub(super) fn table(&self, tokens: usize, wanted: impl Fn(usize) -> bool) -> Table {
        let mut weights = vec![0u8; tokens * KINDS];
        for (token, row) in weights.chunks_mut(KINDS).enumerate() {
            if wanted(token) {
                let token = u32::try_from(token).unwrap_or(u32::MAX);
                for kind in Kind::ALL {
                    row[kind.index()] = self.weight(kind, token);
                }
            }
        }
        Table { weights }
    }
}

/// Per token and kind, a weight from [`Frequency::weight`] (0 where no word matched).
pub(super) struct Table {
    weights: Vec<u8>,
}

impl Table {
    pub(super) fn get(&self, kind: Kind, token: u32) -> u8 {
        self.weights
            .get(token as usize * KINDS + kind.index())
            .copied()
            .unwrap_or(0)
    }
}

/// `points` weighed by a weight from [`Frequency::weight`].
pub(super) fn weigh(points: u32, weight: u8) -> u32 {
    points * u32::from(weight) / 100
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(kind: Kind, names: &[&[u32]]) -> Frequency {
        let mut f = Frequency::default();
        for tokens in names {
            f.count(kind, tokens, true);
        }
        f
    }

    #[test]
    fn a_word_most_names_carry_weighs_little_a_rare_one_in_full() {
        // Token 0 in every name, 1 in a third, 2 in one of 60.
        let names: Vec<Vec<u32>> = (0..60u32)
            .map(|i| {
                let mut t = vec![0];
                if i % 3 == 0 {
                    t.push(1);
                }
                if i == 7 {
                    t.push(2);
                }
                t.push(100 + i);
                t
            })
            .collect();
        let refs: Vec<&[u32]> = names.iter().map(Vec::as_slice).collect();
        let f = counted(Kind::Person, &refs);
        assert_eq!(f.weight(Kind::Person, 0), FLOOR);
        let third = f.weight(Kind::Person, 1);
        assert!(FLOOR < third && third < 50, "{third}");
        // A guest's or an officer's name is a person's name: one name weighs the same in each.
        assert_eq!(f.weight(Kind::GuestStay, 1), third);
        assert_eq!(f.weight(Kind::Officer, 1), third);
        assert_eq!(f.weight(Kind::Person, 2), 100);
    }

    #[test]
    fn counted_out_is_as_never_counted_and_small_kinds_lean_on_the_whole_index() {
        let people: Vec<[u32; 2]> = (0..40u32).map(|i| [0, 10 + i]).collect();
        let refs: Vec<&[u32]> = people.iter().map(|t| t.as_slice()).collect();
        let mut f = counted(Kind::Person, &refs);
        let before = f.weight(Kind::Group, 0);
        f.count(Kind::Group, &[0, 5], true);
        f.count(Kind::Group, &[0, 5], false);
        assert_eq!(f.weight(Kind::Group, 0), before);
        // The one group carries token 5: every record of its kind has it, but it is rare
        // over the index, so a kind of one record does not make it a common word.
        f.count(Kind::Group, &[5], true);
        assert!(
            f.weight(Kind::Group, 5) > 75,
            "{}",
            f.weight(Kind::Group, 5)
        );
        assert_eq!(weigh(200, 50), 100);
    }
}
