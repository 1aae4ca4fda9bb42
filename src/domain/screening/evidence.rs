//! What the other fields say besides the name: date of birth, gender, identity numbers,
//! nationality. Each gives a verdict; [`super::score`] turns verdicts into the score.

use chrono::Datelike;

use crate::domain::{BirthDate, Gender};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dob {
    /// Both full dates, equal.
    Equal,
    /// The same year, and at least one side knows only the year.
    YearOnly,
    /// Full dates one slip apart: day and month swapped, the same year with another day,
    /// or the same day and month one year apart.
    Near,
    /// Different years, beyond a slip.
    Contradicts,
    Unknown,
}

pub fn dob(guest: Option<BirthDate>, listed: Option<BirthDate>) -> Dob {
    let (Some(g), Some(l)) = (guest, listed) else {
        return Dob::Unknown;
    };
    match (g, l) {
        (BirthDate::Full(a), BirthDate::Full(b)) if a == b => Dob::Equal,
        (BirthDate::Full(a), BirthDate::Full(b)) => {
            let swapped = a.year() == b.year() && a.day() == b.month() && a.month() == b.day();
            let same_year = a.year() == b.year() && (a.month() == b.month() || a.day() == b.day());
            let year_slip = a.month() == b.month()
                && a.day() == b.day()
                && year_digits_one_apart(a.year(), b.year());
            if swapped || same_year || year_slip {
                Dob::Near
            } else {
                Dob::Contradicts
            }
        }
        _ if g.year() == l.year() => Dob::YearOnly,
        _ => Dob::Contradicts,
    }
}

/// One digit typed wrong or one year off: `1990` / `1991`, `1990` / `1980`.
fn year_digits_one_apart(a: i32, b: i32) -> bool {
    if (a - b).abs() == 1 {
        return true;
    }
    let (a, b) = (a.to_string(), b.to_string());
    a.len() == b.len() && a.chars().zip(b.chars()).filter(|(x, y)| x != y).count() == 1
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sex {
    Equal,
    Contradicts,
    Unknown,
}

pub fn gender(guest: Gender, listed: Gender) -> Sex {
    match (guest, listed) {
        (Gender::Unknown, _) | (_, Gender::Unknown) => Sex::Unknown,
        (a, b) if a == b => Sex::Equal,
        _ => Sex::Contradicts,
    }
}

/// An identity number as compared: letters and digits only, upper case (`ZZ 123-4567` =
/// `zz1234567`).
pub fn normalise_id(number: &str) -> String {
    number
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Numbers shorter than this are no identity (a room number typed in the wrong field).
pub const MIN_ID_LEN: usize = 6;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ids {
    /// A number both sides carry.
    Equal(String),
    /// Both carry a personal number of the same form (all digits, same length: a CCCD or
    /// CMND) and they differ: those are for life, so a different one is another person.
    Contradicts,
    Unknown,
}

pub fn ids(guest: &[String], listed: &[String]) -> Ids {
    if let Some(n) = guest.iter().find(|g| listed.contains(g)) {
        return Ids::Equal(n.clone());
    }
    let personal = |n: &String| n.bytes().all(|b| b.is_ascii_digit());
    let contradicts = guest.iter().filter(|n| personal(n)).any(|g| {
        listed
            .iter()
            .filter(|n| personal(n))
            .any(|l| l.len() == g.len())
    });
    if contradicts {
        Ids::Contradicts
    } else {
        Ids::Unknown
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nationality {
    Equal,
    Differs,
    Unknown,
}

pub fn nationality(guest: Option<&str>, listed: Option<&str>) -> Nationality {
    match (guest, listed) {
        (Some(a), Some(b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
            if a.trim().eq_ignore_ascii_case(b.trim()) {
                Nationality::Equal
            } else {
                Nationality::Differs
            }
        }
        _ => Nationality::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn full(y: i32, m: u32, d: u32) -> Option<BirthDate> {
        NaiveDate::from_ymd_opt(y, m, d).map(BirthDate::Full)
    }

    #[test]
    fn dates_of_birth() {
        assert_eq!(dob(full(1990, 3, 4), full(1990, 3, 4)), Dob::Equal);
        assert_eq!(
            dob(Some(BirthDate::Year(1990)), full(1990, 3, 4)),
            Dob::YearOnly
        );
        assert_eq!(dob(full(1990, 3, 4), full(1990, 4, 3)), Dob::Near);
        assert_eq!(dob(full(1990, 3, 4), full(1991, 3, 4)), Dob::Near);
        assert_eq!(dob(full(1990, 3, 4), full(1985, 7, 9)), Dob::Contradicts);
        assert_eq!(
            dob(Some(BirthDate::Year(1990)), Some(BirthDate::Year(1992))),
            Dob::Contradicts
        );
        assert_eq!(dob(None, full(1990, 3, 4)), Dob::Unknown);
    }

    #[test]
    fn identity_numbers() {
        let n = |s: &str| vec![normalise_id(s)];
        assert_eq!(
            ids(&n("999 0000 12345"), &n("999000012345")),
            Ids::Equal("999000012345".into())
        );
        assert_eq!(
            ids(&n("999000012345"), &n("999000054321")),
            Ids::Contradicts
        );
        assert_eq!(ids(&n("999000012345"), &n("ZZ1234567")), Ids::Unknown);
        assert_eq!(ids(&[], &n("ZZ1234567")), Ids::Unknown);
    }

    #[test]
    fn gender_and_nationality() {
        assert_eq!(gender(Gender::Male, Gender::Female), Sex::Contradicts);
        assert_eq!(gender(Gender::Male, Gender::Unknown), Sex::Unknown);
        assert_eq!(nationality(Some("VNM"), Some("vnm")), Nationality::Equal);
        assert_eq!(nationality(Some("VNM"), Some("CHN")), Nationality::Differs);
    }
}
