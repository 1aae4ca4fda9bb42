//! A campaign's roster as the desk hands it out: the grid (days × shifts × posts, who holds
//! each post), who is on duty at an instant, and a supervisor's edits (add, move, swap).
//! Data only: the service builds it ([`crate::service::roster`]), the console shows and
//! edits it.

use chrono::NaiveDate;
use serde::Serialize;

use super::campaign::{Assignment, AssignmentRole, Shift};
use super::ids::RecordId;
use super::time::Instant;

/// One officer on a post for a shift.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RosterSlot {
    pub assignment_id: RecordId,
    pub officer_id: RecordId,
    pub officer: String,
    pub badge_no: String,
    pub role: AssignmentRole,
}

/// A post on a shift and who holds it (leaders first); empty when nobody does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PostShift {
    pub post: String,
    pub slots: Vec<RosterSlot>,
}

/// One shift of the campaign: its local date, its interval and every post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RosterShift {
    pub date: NaiveDate,
    pub shift: Shift,
    #[serde(serialize_with = "local_time", deserialize_with = "local_time_back")]
    pub start: Instant,
    #[serde(serialize_with = "local_time", deserialize_with = "local_time_back")]
    pub end: Instant,
    pub posts: Vec<PostShift>,
}

/// A campaign's roster: every day, both shifts, the plan's posts in its order (then any
/// post an assignment names that the plan does not).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Roster {
    pub campaign_id: RecordId,
    pub shifts: Vec<RosterShift>,
}

/// The shift under way at an instant and the one after it, within the campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct OnDuty {
    pub now: Option<RosterShift>,
    pub next: Option<RosterShift>,
}

/// A supervisor's change to a roster.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RosterEdit {
    /// A new assignment (its number 0: the ID is allocated).
    Add(Assignment),
    /// The same officer to another date, shift or post.
    Move {
        id: RecordId,
        date: NaiveDate,
        shift: Shift,
        post: String,
    },
    /// The two assignments exchange their officers.
    Swap { first: RecordId, second: RecordId },
}

impl RosterEdit {
    /// For the audit trail: `add CB-000012 2026-11-27 day Chốt Ma Lù Thàng`, `move PC-000003 …`.
    pub fn describe(&self) -> String {
        match self {
            RosterEdit::Add(a) => format!(
                "add {} {} {} {}",
                a.officer_id,
                a.date,
                a.shift.code(),
                a.post
            ),
            RosterEdit::Move {
                id,
                date,
                shift,
                post,
            } => format!("move {id} {date} {} {post}", shift.code()),
            RosterEdit::Swap { first, second } => format!("swap {first} {second}"),
        }
    }
}

/// Times in JSON as the console shows them: local RFC 3339 (`2026-11-08T19:30:00+07:00`).
fn local_time<S: serde::Serializer>(t: &Instant, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(&crate::domain::time::format_instant(*t))
}

/// The other way: the local RFC 3339 text back to the instant (whole seconds, as stored).
fn local_time_back<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Instant, D::Error> {
    let text = <String as serde::Deserialize>::deserialize(d)?;
    crate::domain::time::parse_instant(&text)
        .ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not a time")))
}

impl RosterEdit {
    /// What the edit does, for the message that says it was saved (console and command
    /// line alike), safe for a terminal.
    pub fn summary(&self, lang: crate::i18n::Lang) -> String {
        let text = match self {
            RosterEdit::Add(a) => format!(
                "{} {} · {} {} · {}",
                a.officer_id,
                a.role.label(lang),
                lang.day(a.date),
                a.shift.label(lang),
                a.post
            ),
            RosterEdit::Move {
                id,
                date,
                shift,
                post,
            } => format!("{id} → {} {} · {post}", lang.day(*date), shift.label(lang)),
            RosterEdit::Swap { first, second } => format!(
                "{} {first} ⇄ {second}",
                lang.pick("đổi người", "officers swapped")
            ),
        };
        crate::domain::text::display_safe(&text).into_owned()
    }
}
