//! The console's state. Everything the screen shows is derived from it; only `update`
//! changes it (and the shell, through actions).

use crate::domain::RecordId;
use crate::i18n::Lang;

use super::forms::Form;
use super::keymap::Mode;
use super::keys::KeyPress;
use super::search_box::SearchBox;
use super::table::{Table, Tone};
use super::views::View;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub id: RecordId,
    pub label: String,
}

/// A record's detail view: every field, its history, and the records it links to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detail {
    pub id: RecordId,
    /// This record's part of the breadcrumbs (`Lò Văn Pánh › QĐ 15/QĐ-CSĐT`).
    pub crumb: String,
    pub fields: Vec<(String, String, Tone)>,
    /// Titled lists: the status history, check items …
    pub sections: Vec<(String, Vec<String>)>,
    pub links: Vec<Link>,
    pub selected: usize,
    /// The officer has moved through the links: the view keeps the selected one in sight
    /// (until then it shows the record's top, what matters first).
    pub browsing: bool,
    /// The first row shown while not browsing the links: moved a page at a time (`PageDown`,
    /// `PageUp`) through a record longer than the screen, such as a handover's text.
    pub top: u16,
}

impl Detail {
    /// The ID of what is not a record: a report figure's row, a list of records opened from
    /// a row that stands for several (its number 0 is never given to a record).
    pub fn not_a_record() -> RecordId {
        RecordId::new(crate::domain::Kind::Wanted, 0)
    }

    /// A record's detail, not a list of records (see [`Detail::not_a_record`]): only a
    /// record is reloaded when it changes, or acted on with `a`.
    pub fn is_record(&self) -> bool {
        self.id != Detail::not_a_record()
    }

    /// About how many rows the detail takes at the narrowest width the console draws (80
    /// columns), its lines wrapped at spaces as the drawing wraps them, with a margin (the
    /// drawing breaks some lines sooner, 5 rows in 284 on a handover of the sample): the
    /// limit of its page-down. The drawing stops at its own end; past it by less than a
    /// page, the first `PageUp` still moves.
    pub fn rows_at_most(&self) -> usize {
        use unicode_width::UnicodeWidthStr;
        let label = self
            .fields
            .iter()
            .map(|(l, _, _)| l.width())
            .max()
            .unwrap_or(0);
        let pad = " ".repeat(label + 2);
        let fields: usize = (self.fields.iter())
            .map(|(_, value, _)| wrapped_rows(&format!("{pad}{value}")))
            .sum();
        let sections: usize = (self.sections.iter())
            .map(|(_, items)| {
                1 + items
                    .iter()
                    .map(|i| wrapped_rows(&format!("  {i}")))
                    .sum::<usize>()
            })
            .sum();
        let links: usize = 1
            + (self.links.iter())
                .map(|l| wrapped_rows(&format!("  {}", l.label)))
                .sum::<usize>();
        let rows = fields + sections + links;
        rows + rows / 32 + 2
    }
}

/// The rows a line takes wrapped at spaces in 80 columns (the console's least width,
/// `ui::MIN_WIDTH`; the core does not name the ui); a word longer than a row is cut.
fn wrapped_rows(line: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    const WIDTH: usize = 80;
    let (mut rows, mut used) = (1, 0);
    for word in line.split(' ') {
        let width = word.width();
        let needed = if used == 0 { width } else { used + 1 + width };
        if needed <= WIDTH {
            used = needed;
        } else {
            rows += 1 + (width.saturating_sub(1)) / WIDTH;
            used = width % WIDTH;
        }
    }
    rows
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    None,
    Filter,
    Command {
        text: String,
        history_at: Option<usize>,
        candidates: Vec<String>,
    },
    Form(Form),
    Confirm(Form),
    Drafts(Vec<Form>),
    Help {
        scroll: usize,
    },
    Search(SearchBox),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    pub lang: Lang,
    pub view: View,
    pub table: Table,
    pub details: Vec<Detail>,
    pub overlay: Overlay,
    /// Keys of a chord typed so far (`g` of `g g`).
    pub pending: Vec<KeyPress>,
    pub status: Option<Status>,
    /// Table rows visible at once, from the terminal height.
    pub page: usize,
    pub history: Vec<String>,
    /// Recent search queries, newest first (in memory only).
    pub search_history: Vec<String>,
    /// The officer the forms are filled in for (`--officer`).
    pub officer: Option<RecordId>,
    /// The store is still being opened: the body is empty and the status line says so.
    /// The shell draws this state before it opens the store (see [`State::opening`]).
    pub opening: bool,
    pub quit: bool,
    /// The duty shifts: which shift `:kyca` opens the handover of.
    pub shifts: crate::domain::shifts::ShiftPlan,
    /// The period the report view shows; set when the view opens (the half-year to date
    /// unless `:baocao FROM TO` says otherwise), stepped by `[` and `]`.
    pub report: Option<crate::domain::report::Period>,
    /// A campaign's roster page (`r`), over the views and details while open.
    pub roster: Option<super::roster_page::RosterPage>,
    /// The session lock (see `lock.rs`).
    pub lock: super::lock::Lock,
    /// The link to the daemon is lost and being reconnected: what is on screen may be out
    /// of date, and nothing can be saved until it is back.
    pub link_lost: bool,
    /// Why the daemon refuses to take this console back (no account any more…), in the
    /// officer's language: said in the banner instead of "reconnecting".
    pub link_refused: Option<String>,
    /// The daemon says its store does not answer (a database restarting, or the link to it
    /// cut), with why in the officer's language: what is on screen may be out of date, and
    /// saves are refused until it answers again.
    pub store_away: Option<String>,
    /// The session names its officer (through the daemon, which acts as that officer
    /// whatever a form says): forms show that officer and do not let it be changed.
    pub officer_fixed: bool,
    /// The session's account and role through the daemon (None: the store's owner, who may
    /// do everything): a form the role may not save is refused as it opens.
    pub session_role: Option<(String, crate::domain::OfficerRole)>,
    /// The minute the status line's clock shows (the time of the latest action).
    pub clock: Option<crate::domain::Instant>,
    /// The open hits' and tips' deadlines for the status line; None until the service
    /// has answered (kept, as the rest of the screen, while the link is lost).
    pub duty: Option<crate::domain::duty::DutyStatus>,
    /// What the "Shift at a glance" view shows beside its rows (None until loaded).
    pub glance: Option<Box<crate::domain::glance::Beside>>,
}

impl State {
    /// True while something waits on the service and must be asked again (a search typed
    /// before the index was loaded): the shell then wakes on a timer.
    pub fn waiting(&self) -> bool {
        matches!(&self.overlay, Overlay::Search(search) if search.waiting)
    }

    /// True while the screen shows a countdown to a hit's confirmation deadline: the hits
    /// queue, or a hit's detail, with nothing over it.
    pub fn counting_down(&self) -> bool {
        self.overlay == Overlay::None
            && self.roster.is_none()
            && match self.details.last() {
                Some(detail) => detail.id.kind() == crate::domain::Kind::Hit,
                None => matches!(self.view, View::Hits | View::Glance),
            }
    }

    /// When the shell must wake with no input: soon while a search waits for the index,
    /// every half minute while a countdown shows; otherwise never (an idle console sends
    /// nothing).
    /// And once, when the idle time of the session lock runs out.
    pub fn wakes_in(&self, now: crate::domain::Instant) -> Option<std::time::Duration> {
        let lock = self
            .lock
            .due_at()
            .map(|due| (due - now).to_std().unwrap_or_default());
        let other = if self.lock.locked {
            None
        } else if self.waiting() {
            Some(std::time::Duration::from_millis(200))
        } else if self.counting_down() {
            Some(std::time::Duration::from_secs(30).min(next_minute(now)))
        } else {
            // The status line's clock: one wake, and a few bytes, a minute.
            Some(next_minute(now))
        };
        match (lock, other) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The minute the status line shows at `now`.
    pub fn minute_of(now: crate::domain::Instant) -> crate::domain::Instant {
        use chrono::{DurationRound, TimeDelta};
        now.duration_trunc(TimeDelta::minutes(1)).unwrap_or(now)
    }

    pub fn new(lang: Lang, officer: Option<RecordId>) -> State {
        State {
            lang,
            view: View::Wanted,
            table: Table::default(),
            details: Vec::new(),
            overlay: Overlay::None,
            pending: Vec::new(),
            status: None,
            page: 18,
            history: Vec::new(),
            search_history: Vec::new(),
            officer,
            opening: false,
            quit: false,
            shifts: Default::default(),
            report: None,
            roster: None,
            lock: Default::default(),
            link_lost: false,
            link_refused: None,
            store_away: None,
            officer_fixed: false,
            session_role: None,
            clock: None,
            duty: None,
            glance: None,
        }
    }

    /// The console before its store is open: the first view's chrome, no rows, and "Opening
    /// the store…". Opening sled takes 0.3 s and more on a million records, so the shell
    /// paints this first rather than leave the officer before a blank terminal.
    /// Its clock is `now`'s minute, so the loaded frame sends no more of the status line.
    pub fn opening(lang: Lang, officer: Option<RecordId>, now: crate::domain::Instant) -> State {
        State {
            opening: true,
            clock: Some(State::minute_of(now)),
            ..State::new(lang, officer)
        }
    }

    /// The keymap mode for what is on screen.
    pub fn mode(&self) -> Mode {
        match &self.overlay {
            Overlay::Help { .. } => Mode::Help,
            Overlay::Search(_) => Mode::Search,
            Overlay::Drafts(_) => Mode::Draft,
            Overlay::Confirm(_) => Mode::Confirm,
            Overlay::Form(_) => Mode::Form,
            Overlay::Command { .. } => Mode::Command,
            Overlay::Filter => Mode::Filter,
            Overlay::None if self.roster.is_some() => Mode::Roster,
            Overlay::None if !self.details.is_empty() => Mode::Detail,
            Overlay::None => Mode::Table,
        }
    }

    /// `Truy nã › Lò Văn Pánh › QĐ 15/QĐ-CSĐT`
    pub fn breadcrumbs(&self) -> String {
        let mut parts = vec![self.view.label(self.lang).to_string()];
        if let (View::Report, Some(period)) = (self.view, self.report) {
            parts[0] = super::period::crumb(period, self.lang);
        }
        parts.extend(self.details.iter().map(|d| d.crumb.clone()));
        if let Some(page) = &self.roster {
            parts.push(format!(
                "{} {}",
                self.lang.pick("Phân công", "Roster"),
                self.lang.date(page.date)
            ));
        }
        parts.join(" › ")
    }
}

/// The time until the clock shows the next minute.
fn next_minute(now: crate::domain::Instant) -> std::time::Duration {
    let next = State::minute_of(now) + chrono::TimeDelta::minutes(1);
    (next - now).to_std().unwrap_or_default()
}
