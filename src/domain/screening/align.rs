//! Two names aligned part by part, in any order (`Hùng Nguyễn Văn`, `Smith, John`), the way
//! OpenSanctions' logic-v2 aligns name tokens: the most alike pairs first, each part used
//! once; parts written as one word on one side and several on the other are joined first
//! (`FridrichBuchenberg`, `Patr ushev`).
//!
//! The score weighs what the parts say: agreeing on `Nguyễn` or `Văn` is weak evidence,
//! disagreeing about the family name is strong (see [`super::common_names`]). A part that
//! only one name has (a middle name left out, a patronymic added) costs a little; parts that
//! both names have and do not share (`Sergey Viktorovich` vs `Sergey Ivanevich`) are a
//! contradiction and cost their full weight on both sides.

use std::borrow::Cow;
use std::ops::Range;

use super::similarity::{How, compare, spelling};
use super::tokens::{Script, Token};

/// Similarity below which two parts are not the same part at all.
const FLOOR: f64 = 0.70;
/// Similarity from which two parts count as fully the same: one slip in a long word, a
/// look-alike letter in a short one. (Floor, full and extra were chosen together on the
/// nomenklatura pairs and the Vietnamese set; see `tests/screening_*.rs`.)
const FULL: f64 = 0.85;
/// What a part present in only one of the names costs, relative to its weight.
const EXTRA: f64 = 0.3;
/// A part that some part of the other side matches this well needs no joining.
const JOIN_GOOD: f64 = 0.9;
/// What an initial that fits is worth, relative to the part it stands for.
const INITIAL: f64 = 0.7;
/// The best a name can score when no whole part agrees (initials only).
const INITIALS_ONLY_CAP: f64 = 0.5;

/// What is left of a score when a patronymic is read backwards: `Salman bin Muhammad`
/// (Salman, son of Muhammad) is not `Muhammad bin Salman` (his son or father).
const PATRONYMIC_CROSSED: f64 = 0.6;

/// How far a similarity counts as agreement, from 0 at [`FLOOR`] to 1 at [`FULL`].
fn agreement(similarity: f64) -> f64 {
    ((similarity - FLOOR) / (FULL - FLOOR)).clamp(0.0, 1.0)
}

/// The position of `bin` inside a name (not first, not last), if any.
fn patronymic_at(tokens: &[Token]) -> Option<usize> {
    (1..tokens.len().saturating_sub(1))
        .find(|&i| tokens[i].common && matches!(tokens[i].folded.as_str(), "bin" | "bint"))
}

/// Whether some aligned pair stands before `bin` in one name and after it in the other.
fn patronymic_crossed(a: &[Token], b: &[Token], pairs: &[Pair]) -> bool {
    let (Some(pa), Some(pb)) = (patronymic_at(a), patronymic_at(b)) else {
        return false;
    };
    pairs.iter().any(|p| match (p.a.first(), p.b.first()) {
        (Some(&i), Some(&j)) if i != pa && j != pb => (i < pa) != (j < pb),
        _ => false,
    })
}

/// Two aligned parts; `a` and `b` hold several indices when words were joined.
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    pub a: Vec<usize>,
    pub b: Vec<usize>,
    pub similarity: f64,
    pub how: How,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Alignment {
    pub score: f64,
    pub pairs: Vec<Pair>,
    pub a_only: Vec<usize>,
    pub b_only: Vec<usize>,
    /// The [`information`] of the uncommon parts (not in the common-name list, not
    /// initials) that agree fully or nearly: a name that agrees on less than 2 is a common
    /// name for [`super::score`]'s purposes.
    pub rare_agreeing: f64,
}

/// How much an agreeing uncommon part tells: a long word (`Buchenberg`, `Zhiqiang`) a
/// whole unit, a syllable (`Hùng`, `Sìn`, one Hán character) half, since a one-syllable
/// Vietnamese or Chinese name part is shared by many people even when it is not on the
/// common-name list.
fn information(a: &Unit, b: &Unit) -> f64 {
    const LONG: usize = 6;
    if a.parts.len() > 1 || b.parts.len() > 1 {
        return 0.5 * a.parts.len().max(b.parts.len()) as f64;
    }
    let short = a.token.chars.len().min(b.token.chars.len()) < LONG;
    let syllabic = a.token.script == Script::Syllabic || b.token.script == Script::Syllabic;
    if short || syllabic { 0.5 } else { 1.0 }
}

/// One side's parts after joining: the original parts it covers and the part they make
/// (borrowed when it is a single part, which is nearly always).
struct Unit<'t> {
    parts: Range<usize>,
    token: Cow<'t, Token>,
}

pub fn align(a: &[Token], b: &[Token]) -> Alignment {
    if a.is_empty() || b.is_empty() {
        return Alignment::default();
    }
    // Compare every part with every part once; join split words only when some longer
    // part of one side found nothing good on the other (rare), then compare again.
    let mut matrix: Vec<(f64, How)> = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            matrix.push(compare(x, y));
        }
    }
    let unmet = |targets: &[Token], best: &dyn Fn(usize) -> f64| {
        targets.iter().enumerate().any(|(k, t)| {
            t.script == Script::Alphabetic && t.chars.len() >= 4 && best(k) < JOIN_GOOD
        })
    };
    let best_in_column = |j: usize| {
        (0..a.len())
            .map(|i| matrix[i * b.len() + j].0)
            .fold(0.0, f64::max)
    };
    let best_in_row = |i: usize| {
        (0..b.len())
            .map(|j| matrix[i * b.len() + j].0)
            .fold(0.0, f64::max)
    };
    let join_a = a.len() > 1 && unmet(b, &best_in_column);
    let join_b = b.len() > 1 && unmet(a, &best_in_row);
    let (mut ua, mut ub) = (singles(a), singles(b));
    if join_a || join_b {
        if join_a {
            join_into(&mut ua, b);
        }
        if join_b {
            join_into(&mut ub, a);
        }
        if ua.len() != a.len() || ub.len() != b.len() {
            matrix.clear();
            for x in &ua {
                for y in &ub {
                    matrix.push(compare(&x.token, &y.token));
                }
            }
        }
    }

    let mut candidates: Vec<(f64, How, usize, usize)> = Vec::with_capacity(ua.len() * ub.len());
    for i in 0..ua.len() {
        for j in 0..ub.len() {
            let (s, how) = matrix[i * ub.len() + j];
            if how == How::Initial && s > 0.0 || agreement(s) > 0.0 {
                candidates.push((s, how, i, j));
            }
        }
    }
    // Best pairs first; among equals, the heavier parts (a real name before an initial).
    candidates.sort_by(|p, q| {
        q.0.total_cmp(&p.0)
            .then_with(|| (p.1 == How::Initial).cmp(&(q.1 == How::Initial)))
    });

    let (mut used_a, mut used_b) = (vec![false; ua.len()], vec![false; ub.len()]);
    let mut out = Alignment::default();
    let (mut agreed, mut weighed) = (0.0, 0.0);
    let mut whole_part_agrees = false;
    for (s, how, i, j) in candidates {
        if used_a[i] || used_b[j] {
            continue;
        }
        used_a[i] = true;
        used_b[j] = true;
        let (x, y) = (&ua[i].token, &ub[j].token);
        let weight = f64::from(x.agree.min(y.agree));
        if how == How::Initial {
            agreed += INITIAL * weight;
            weighed += weight;
        } else {
            let g = agreement(s);
            agreed += g * weight;
            weighed += g * weight + (1.0 - g) * f64::from(x.disagree + y.disagree);
            whole_part_agrees = true;
            if s >= 0.9 && !x.common && !y.common {
                out.rare_agreeing += information(&ua[i], &ub[j]);
            }
        }
        let how = if ua[i].parts.len() > 1 || ub[j].parts.len() > 1 {
            How::Joined
        } else {
            how
        };
        out.pairs.push(Pair {
            a: ua[i].parts.clone().collect(),
            b: ub[j].parts.clone().collect(),
            similarity: s,
            how,
        });
    }
    let unmatched = |units: &[Unit], used: &[bool], only: &mut Vec<usize>| {
        let mut weight = 0.0;
        for (unit, _) in units.iter().zip(used).filter(|(_, u)| !**u) {
            weight += f64::from(unit.token.disagree);
            only.extend(unit.parts.clone());
        }
        weight
    };
    let only_a = unmatched(&ua, &used_a, &mut out.a_only);
    let only_b = unmatched(&ub, &used_b, &mut out.b_only);
    weighed += if only_a > 0.0 && only_b > 0.0 {
        only_a + only_b
    } else {
        EXTRA * (only_a + only_b)
    };
    out.score = if weighed > 0.0 { agreed / weighed } else { 0.0 };
    if patronymic_crossed(a, b, &out.pairs) {
        out.score *= PATRONYMIC_CROSSED;
    }
    if !whole_part_agrees {
        out.score = out.score.min(INITIALS_ONLY_CAP);
    }
    out
}

fn singles(tokens: &[Token]) -> Vec<Unit<'_>> {
    tokens
        .iter()
        .enumerate()
        .map(|(i, t)| Unit {
            parts: i..i + 1,
            token: Cow::Borrowed(t),
        })
        .collect()
}

/// Joins runs of 2–4 parts of `units` that spell a part of `other` better than any single
/// part does (`Nikolai Plat Ono Vich` ↔ `Platonovich`, `FridrichBuchenberg` ↔ `Friedrich
/// Buchenberg`). Only parts of the other side that nothing matches well are looked at.
fn join_into(units: &mut Vec<Unit>, other: &[Token]) {
    const GOOD: f64 = JOIN_GOOD;
    if units.len() < 2 {
        return;
    }
    for target in other {
        if target.script != Script::Alphabetic || target.chars.len() < 4 {
            continue;
        }
        let plainly_there = units
            .iter()
            .any(|u| u.token.folded == target.folded || u.token.sound == target.sound);
        if plainly_there {
            continue;
        }
        // Joined words keep their order, so the run starts with the target's first letter
        // and is about as long: test only such runs.
        let mut best: Option<(f64, usize, usize)> = None;
        for start in 0..units.len() {
            if units[start].token.chars.first() != target.chars.first() {
                continue;
            }
            let mut chars: Vec<char> = Vec::new();
            for (end, unit) in units.iter().enumerate().skip(start).take(4) {
                if unit.token.script != Script::Alphabetic {
                    break;
                }
                chars.extend(&unit.token.chars);
                if chars.len() > target.chars.len() + 3 {
                    break;
                }
                if end == start || chars.len() + 3 < target.chars.len() {
                    continue;
                }
                let s = spelling(&chars, &target.chars);
                if s >= GOOD && best.is_none_or(|(b, _, _)| s > b) {
                    best = Some((s, start, end));
                }
            }
        }
        // Only when the run spells the target better than any single part does.
        let single = |best: f64| units.iter().any(|u| compare(&u.token, target).0 >= best);
        if best.is_some_and(|(s, _, _)| single(s)) {
            continue;
        }
        if let Some((_, start, end)) = best {
            let joined: Vec<Unit> = units.drain(start..=end).collect();
            units.insert(start, join(joined));
        }
    }
}

fn join<'t>(units: Vec<Unit<'t>>) -> Unit<'t> {
    let first = units.first().map_or(0, |u| u.parts.start);
    let last = units.last().map_or(0, |u| u.parts.end);
    let mut token = Token {
        shown: String::new(),
        folded: String::new(),
        chars: Vec::new(),
        marks: Vec::new(),
        sound: String::new(),
        single: String::new(),
        skeleton: String::new(),
        script: Script::Alphabetic,
        agree: 0.0,
        disagree: 0.0,
        common: true,
        initial: false,
    };
    for u in units {
        let t = u.token;
        token.shown.push_str(&t.shown);
        token.folded.push_str(&t.folded);
        token.chars.extend(&t.chars);
        token.marks.extend(&t.marks);
        token.sound.push_str(&t.sound);
        token.single.push_str(&t.single);
        token.skeleton.push_str(&t.skeleton);
        token.agree += t.agree;
        token.disagree += t.disagree;
        token.common &= t.common;
    }
    token.marks.sort_unstable();
    Unit {
        parts: first..last,
        token: Cow::Owned(token),
    }
}

/// The name-only similarity of two written names, in [0, 1].
pub fn name_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (super::tokens::tokens(a), super::tokens::tokens(b));
    align(&a, &b).score
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_does_not_matter_and_dropped_middles_cost_little() {
        assert_eq!(name_similarity("Nguyễn Văn Hùng", "Hùng Nguyễn Văn"), 1.0);
        assert!(name_similarity("Nguyễn Hùng", "Nguyễn Văn Hùng") > 0.85);
        assert!(name_similarity("Vladimir Putin", "Putin, Vladimir") > 0.99);
    }

    #[test]
    fn contradicting_parts_cost_on_both_sides() {
        assert!(name_similarity("Sergey Viktorovich Lavrov", "Sergey Ivanevich Lavrov") < 0.6);
        assert!(name_similarity("Nguyễn Văn Hùng", "Trần Văn Hùng") < 0.5);
        // One letter apart in a one-syllable given name: a slip or another name, middling.
        assert!(name_similarity("Nguyễn Văn Hùng", "Nguyễn Văn Dũng") < 0.6);
        assert!(name_similarity("A Hùng", "Lò Văn Hùng") < 0.5);
        assert!(name_similarity("Abdul Kabir Abdul Jan", "Abdul Kabir Mohammad Jan") < 0.7);
        assert!(name_similarity("Salman bin Muhammad", "Muhammad bin Salman") < 0.7);
        assert!(name_similarity("Mohammed bin Salman", "Mohammed bin Salman") > 0.99);
    }

    #[test]
    fn initials_and_joined_words() {
        assert!(name_similarity("Hans J Friedrich", "Hans Joachim Friedrich") > 0.8);
        assert!(name_similarity("Hans O Friedrich", "Hans Joachim Friedrich") < 0.7);
        assert!(name_similarity("N.N.", "Nursultan Nazarbayev") <= INITIALS_ONLY_CAP);
        assert!(name_similarity("FridrichBuchenberg", "Friedrich Buchenberg") > 0.85);
        assert!(name_similarity("Nikolai Patr ushev", "Nikolai Platonovich Patrushev") > 0.8);
        let a = super::super::tokens::tokens("NguyenVanHung");
        let b = super::super::tokens::tokens("Nguyễn Văn Hùng");
        let al = align(&a, &b);
        assert_eq!(al.pairs[0].how, How::Joined);
    }
}
