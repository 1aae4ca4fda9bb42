//! Screening: how likely a declared guest is a listed person (the subject of a wanted notice
//! or a watch entry), as a score in [0, 1], a band (`alert`, `review`, none) and the reasons,
//! feature by feature. Pure: no store, no clock.
//!
//! The name comes first ([`align`]: parts aligned in any order, Vietnamese folding and
//! confusable sounds, look-alike typos, initials, joined words, other scripts transliterated;
//! common family and middle names weigh little). The other fields then move the score: an
//! equal date of birth or year raises a name that already agrees, a contradicting one or a
//! different gender pulls it down, and an equal identity number decides on its own. A name
//! alone, with nothing else agreeing, cannot reach `alert` when it is common.
//!
//! For many guests against many listed persons, [`ScreeningIndex`] finds the few candidates
//! worth scoring.

mod align;
mod common_names;
mod evidence;
mod index;
mod reason;
mod similarity;
#[cfg(test)]
mod tests;
mod tokens;

use serde::Serialize;

pub use align::name_similarity;
pub use index::ScreeningIndex;
pub use reason::{AlignedPart, Reason};
pub use similarity::How;

use self::align::{Alignment, align};
use self::evidence::{Dob, Ids, Nationality, Sex};
use self::tokens::{Token, tokens};
use super::codes::code_enum;
use super::{BirthDate, Gender, GuestIdentity, Person};

code_enum!(
    /// How urgently a match asks for an officer.
    Band {
        Alert = "alert", "báo động", "alert";
        Review = "review", "cần xem xét", "review";
    }
);

/// Where the bands start. `alert` ≥ 0.70 and `review` ≥ 0.50 by default.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Thresholds {
    pub alert: f64,
    pub review: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            alert: 0.70,
            review: 0.50,
        }
    }
}

impl Thresholds {
    pub fn band(&self, score: f64) -> Option<Band> {
        if score >= self.alert {
            Some(Band::Alert)
        } else if score >= self.review {
            Some(Band::Review)
        } else {
            None
        }
    }
}

/// An identity as screening sees it, borrowed from a guest declaration or a person record.
#[derive(Clone, Debug, PartialEq)]
pub struct Identity<'a> {
    /// The full name first, then other names (aliases; Hán characters, pinyin and
    /// Sino-Vietnamese readings of a Chinese name). Any name of one side may match any name
    /// of the other; the best pair counts.
    pub names: Vec<&'a str>,
    pub birth: Option<BirthDate>,
    pub gender: Gender,
    pub id_numbers: Vec<&'a str>,
    /// ISO 3166-1 alpha-3.
    pub nationality: Option<&'a str>,
}

impl<'a> Identity<'a> {
    pub fn of_guest(guest: &'a GuestIdentity) -> Self {
        Identity {
            names: std::iter::once(guest.full_name.as_str())
                .chain(guest.other_names.iter().map(String::as_str))
                .collect(),
            birth: guest.birth,
            gender: guest.gender,
            id_numbers: guest.id_doc.iter().map(|d| d.number.as_str()).collect(),
            nationality: Some(guest.nationality.as_str()),
        }
    }

    pub fn of_person(person: &'a Person) -> Self {
        Identity {
            names: std::iter::once(person.full_name.as_str())
                .chain(person.aliases.iter().map(String::as_str))
                .collect(),
            birth: person.birth,
            gender: person.gender,
            id_numbers: person.id_doc.iter().map(|d| d.number.as_str()).collect(),
            nationality: Some(person.nationality.as_str()),
        }
    }
}

/// The outcome of scoring one guest against one listed person.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Match {
    pub score: f64,
    pub band: Option<Band>,
    pub reasons: Vec<Reason>,
}

/// Scores a declared guest against a listed person.
pub fn score(guest: &Identity, listed: &Identity, th: &Thresholds) -> Match {
    let (g, l) = (Prepared::new(guest), Prepared::new(listed));
    assess(&g, &l, th).into_match(&g, &l)
}

/// An identity with its names cut into parts once, for scoring against many.
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    names: Vec<(String, Vec<Token>)>,
    birth: Option<BirthDate>,
    gender: Gender,
    ids: Vec<String>,
    nationality: Option<String>,
}

impl Prepared {
    pub(crate) fn new(identity: &Identity) -> Self {
        Prepared {
            names: identity
                .names
                .iter()
                .map(|n| (crate::domain::text::nfc(n.trim()), tokens(n)))
                .filter(|(_, t)| !t.is_empty())
                .collect(),
            birth: identity.birth,
            gender: identity.gender,
            ids: identity
                .id_numbers
                .iter()
                .map(|n| evidence::normalise_id(n))
                .filter(|n| n.len() >= evidence::MIN_ID_LEN)
                .collect(),
            nationality: identity
                .nationality
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_uppercase),
        }
    }

    pub(crate) fn tokens(&self) -> impl Iterator<Item = &Token> {
        self.names.iter().flat_map(|(_, t)| t)
    }

    pub(crate) fn ids(&self) -> &[String] {
        &self.ids
    }
}

/// How much an agreeing date of birth raises the name's score: what is left up to 1 is
/// closed by this share, for a name that agrees (see [`name_consistency`]).
const DOB_EQUAL_LIFT: f64 = 0.75;
const DOB_YEAR_LIFT: f64 = 0.4;
const DOB_NEAR_LIFT: f64 = 0.15;
/// What a contradiction keeps of the score. A date of birth years apart keeps a perfect
/// name under `review`: two people called `Lò Văn Pánh` born in 1980 and 1995 are two
/// people, and a review per namesake would bury the desk.
const DOB_CONTRADICTS_KEEP: f64 = 0.45;
const GENDER_CONTRADICTS_KEEP: f64 = 0.7;
const ID_CONTRADICTS_KEEP: f64 = 0.6;
const NATIONALITY_DIFFERS_KEEP: f64 = 0.9;
/// The least an equal identity number scores, whatever the name.
const ID_EQUAL_SCORE: f64 = 0.95;

/// How far a name agrees enough for other agreeing fields to count: a shared birthday is
/// no evidence between `Nguyễn Văn Hùng` and `Trần Văn Dũng`, and little between
/// `Nguyễn Văn Hùng` and `Nguyễn Văn Dũng` (one letter of the given name apart: a slip or
/// a brother). Full from a name score of 0.85, nothing at 0.5 or below.
fn name_consistency(name: f64) -> f64 {
    ((name - 0.5) / 0.35).clamp(0.0, 1.0)
}

/// The numbers behind a match, before reasons are written out.
struct Assessment {
    score: f64,
    band: Option<Band>,
    name: Alignment,
    names: (usize, usize),
    common_name: bool,
    dob: Dob,
    sex: Sex,
    ids: Ids,
    nationality: Nationality,
}

fn best_name(g: &Prepared, l: &Prepared) -> (Alignment, (usize, usize)) {
    let mut best = (Alignment::default(), (0, 0));
    for (i, (_, a)) in g.names.iter().enumerate() {
        for (j, (_, b)) in l.names.iter().enumerate() {
            let al = align(a, b);
            let better = al.score > best.0.score
                || (al.score == best.0.score && al.rare_agreeing > best.0.rare_agreeing);
            if better {
                best = (al, (i, j));
            }
        }
    }
    best
}

fn assess(g: &Prepared, l: &Prepared, th: &Thresholds) -> Assessment {
    let (name, names) = best_name(g, l);
    let dob = evidence::dob(g.birth, l.birth);
    let sex = evidence::gender(g.gender, l.gender);
    let ids = evidence::ids(&g.ids, &l.ids);
    let nationality = evidence::nationality(g.nationality.as_deref(), l.nationality.as_deref());

    let mut s = name.score;
    let consistency = name_consistency(name.score);
    match dob {
        Dob::Equal => s += (1.0 - s) * DOB_EQUAL_LIFT * consistency,
        Dob::YearOnly => s += (1.0 - s) * DOB_YEAR_LIFT * consistency,
        Dob::Near => s += (1.0 - s) * DOB_NEAR_LIFT * consistency,
        Dob::Contradicts => s *= DOB_CONTRADICTS_KEEP,
        Dob::Unknown => {}
    }
    if sex == Sex::Contradicts {
        s *= GENDER_CONTRADICTS_KEEP;
    }
    if ids == Ids::Contradicts {
        s *= ID_CONTRADICTS_KEEP;
    }
    if nationality == Nationality::Differs {
        s *= NATIONALITY_DIFFERS_KEEP;
    }
    let supported = matches!(dob, Dob::Equal | Dob::YearOnly | Dob::Near);
    let common_name = name.rare_agreeing < 2.0 && name.score > 0.0;
    let id_equal = matches!(ids, Ids::Equal(_));
    if common_name && !supported && !id_equal {
        // Just under the alert line: a common name alone is worth a look, not an alarm.
        s = s.min(th.alert - 0.01).max(0.0);
    }
    let mut band = th.band(s);
    if id_equal {
        s = s.max(ID_EQUAL_SCORE);
        band = Some(Band::Alert);
    }
    Assessment {
        score: s.clamp(0.0, 1.0),
        band,
        name,
        names,
        common_name: common_name && !supported && !id_equal,
        dob,
        sex,
        ids,
        nationality,
    }
}

impl Assessment {
    fn into_match(self, g: &Prepared, l: &Prepared) -> Match {
        let mut reasons = Vec::new();
        if let Ids::Equal(number) = &self.ids {
            reasons.push(Reason::IdEqual {
                number: number.clone(),
            });
        }
        if let (Some((gname, gt)), Some((lname, lt))) =
            (g.names.get(self.names.0), l.names.get(self.names.1))
        {
            let shown = |tokens: &[Token], idx: &[usize]| -> String {
                idx.iter()
                    .filter_map(|&i| tokens.get(i))
                    .map(|t| t.shown.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            reasons.push(Reason::NameAligned {
                guest: gname.clone(),
                listed: lname.clone(),
                similarity: self.name.score,
                parts: self
                    .name
                    .pairs
                    .iter()
                    .map(|p| AlignedPart {
                        guest: shown(gt, &p.a),
                        listed: shown(lt, &p.b),
                        similarity: p.similarity,
                        how: p.how,
                    })
                    .collect(),
                guest_only: self.name.a_only.iter().map(|&i| shown(gt, &[i])).collect(),
                listed_only: self.name.b_only.iter().map(|&i| shown(lt, &[i])).collect(),
            });
        }
        if self.common_name {
            reasons.push(Reason::NameCommon);
        }
        let date = |b: Option<BirthDate>| b.map(|b| b.to_string()).unwrap_or_default();
        match self.dob {
            Dob::Equal => reasons.push(Reason::DobEqual {
                date: date(g.birth),
            }),
            Dob::YearOnly => reasons.push(Reason::DobYearOnly {
                year: g.birth.map_or(0, BirthDate::year),
            }),
            Dob::Near => reasons.push(Reason::DobNear {
                guest: date(g.birth),
                listed: date(l.birth),
            }),
            Dob::Contradicts => reasons.push(Reason::DobContradicts {
                guest: date(g.birth),
                listed: date(l.birth),
            }),
            Dob::Unknown => {}
        }
        match self.sex {
            Sex::Equal => reasons.push(Reason::GenderEqual { gender: g.gender }),
            Sex::Contradicts => reasons.push(Reason::GenderContradicts {
                guest: g.gender,
                listed: l.gender,
            }),
            Sex::Unknown => {}
        }
        if self.ids == Ids::Contradicts {
            reasons.push(Reason::IdContradicts);
        }
        let nat = |p: &Prepared| p.nationality.clone().unwrap_or_default();
        match self.nationality {
            Nationality::Equal => reasons.push(Reason::NationalityEqual {
                nationality: nat(g),
            }),
            Nationality::Differs => reasons.push(Reason::NationalityDiffers {
                guest: nat(g),
                listed: nat(l),
            }),
            Nationality::Unknown => {}
        }
        Match {
            score: self.score,
            band: self.band,
            reasons,
        }
    }
}

/// Scores prepared identities; the match is written out only when it has a band.
pub(crate) fn screen_prepared(g: &Prepared, l: &Prepared, th: &Thresholds) -> Option<Match> {
    let a = assess(g, l, th);
    a.band.is_some().then(|| a.into_match(g, l))
}
