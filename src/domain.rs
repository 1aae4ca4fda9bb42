//! The records a duty desk works with, and the rules that hold for them whatever stores or
//! shows them: IDs, text (NFC, hostile characters, folding), local time, the lodging rules
//! (declaration deadlines, inspection priority), and the screening scorer that compares a
//! declared guest with a listed person. No ratatui, no sled.

pub mod access;
pub mod audit;
pub mod campaign;
pub mod cases;
pub mod codes;
pub mod declarations;
pub mod duty;
pub mod dutylog;
pub mod glance;
pub mod group_dates;
pub mod handover;
pub mod hits;
pub mod ids;
pub mod inspection_priority;
pub mod lodging;
pub mod offences;
pub mod person;
pub mod pushed;
pub mod record;
pub mod report;
pub mod roster;
pub mod roster_grid;
pub mod rules;
pub mod safe_json;
pub mod screening;
pub mod shifts;
pub mod text;
pub mod time;
pub mod tips;
pub mod wanted;
pub mod watch;

pub use campaign::{Assignment, AssignmentRole, Campaign, Officer, OfficerRole, Shift};
pub use cases::{Case, CaseStatus, CaseStep};
pub use codes::{Gender, IdKind, Risk};
pub use dutylog::{Acknowledgement, DutyLogEntry, Handover};
pub use hits::{Hit, HitDeadlines, HitList, HitOutcome, HitStep};
pub use ids::{Kind, RecordId};
pub use lodging::{
    CheckItem, CheckResult, Establishment, EstablishmentKind, GuestIdentity, GuestStay, Inspection,
};
pub use offences::Charge;
pub use person::{IdDocument, Person};
pub use pushed::Pushed;
pub use record::Record;
pub use time::{BirthDate, Clock, Instant};
pub use tips::{Informant, Tip, TipChannel, TipExtension, TipRules, TipStatus, TipStep};
pub use wanted::{
    Agency, CriminalGroup, Danger, GroupKind, GroupStatus, Member, MemberRole, Offence,
    StatusChange, WantedClass, WantedNotice, WantedStatus,
};
pub use watch::{Sighting, WatchEntry, WatchStatus, Watchlist};
