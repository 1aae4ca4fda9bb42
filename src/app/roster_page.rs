//! A campaign's roster a day at a time (`r` on a campaign): both shifts side by side, every
//! post of the plan with its officers (the leader marked), nobody shown as such, the shift
//! on duty now marked. The officer selects an officer or an empty post and edits from
//! there: add an officer to the selected post and shift, move the selected assignment, or
//! swap the officers of two assignments (`x` on the first, `x` on the second) — each
//! through a form, checked by the service before anything is saved.
//!
//! The page holds the whole roster (14 days × 2 shifts × 5 posts is small), so moving from
//! day to day is pure. This is the page as data; its keys are in `update/roster.rs`, and the
//! shell loads it (`shell/roster_loader.rs`) and reloads it after an edit is saved.

use chrono::NaiveDate;

use crate::domain::roster::RosterProblem;
use crate::domain::roster_grid::{Roster, RosterShift, RosterSlot};
use crate::domain::time::local_date;
use crate::domain::{Instant, RecordId, Shift};

/// What the shell loads for the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterData {
    pub campaign_id: RecordId,
    pub campaign_name: String,
    /// The plan's posts, in its order: the choices of the add and move forms.
    pub posts: Vec<String>,
    pub roster: Roster,
    pub problems: Vec<RosterProblem>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterPage {
    pub data: RosterData,
    /// The day shown.
    pub date: NaiveDate,
    /// When the page was loaded: which shift is on duty, and what "today" is.
    pub now: Instant,
    /// The selected column (shift) and line within it (see [`RosterPage::cells`]).
    pub column: Shift,
    pub row: usize,
    /// The first assignment of a swap, chosen with `x`.
    pub swap_from: Option<RecordId>,
}

/// One selectable line of a column: an officer on a post, or a post with nobody on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell<'a> {
    pub post_index: usize,
    pub post: &'a str,
    pub slot: Option<&'a RosterSlot>,
}

impl RosterPage {
    /// The page on today if the campaign runs today, else on its nearest day; the column
    /// of the shift on duty if it started today.
    pub fn new(data: RosterData, now: Instant) -> RosterPage {
        let mut page = RosterPage {
            data,
            date: local_date(now),
            now,
            column: Shift::Day,
            row: 0,
            swap_from: None,
        };
        page.go_to(local_date(now));
        if let Some((date, shift)) = page.on_duty()
            && date == page.date
        {
            page.column = shift;
        }
        page
    }

    /// The same page over a reloaded roster: same day and selection where they still exist.
    pub fn reload(&mut self, data: RosterData, now: Instant) {
        self.data = data;
        self.now = now;
        let date = self.date;
        self.go_to(date);
        self.clamp();
    }

    fn days(&self) -> (NaiveDate, NaiveDate) {
        let shifts = &self.data.roster.shifts;
        match (shifts.first(), shifts.last()) {
            (Some(first), Some(last)) => (first.date, last.date),
            _ => (self.date, self.date),
        }
    }

    /// Day `n` of the campaign's `total` (1-based).
    pub fn day_number(&self) -> (i64, i64) {
        let (first, last) = self.days();
        (
            (self.date - first).num_days() + 1,
            (last - first).num_days() + 1,
        )
    }

    /// Shows `date`, or the campaign's nearest day; false if that is not `date`.
    pub fn go_to(&mut self, date: NaiveDate) -> bool {
        let (first, last) = self.days();
        self.date = date.clamp(first, last);
        self.clamp();
        self.date == date
    }

    fn clamp(&mut self) {
        self.row = self
            .row
            .min(self.cells(self.column).len().saturating_sub(1));
    }

    pub fn shift(&self, shift: Shift) -> Option<&RosterShift> {
        self.data
            .roster
            .shifts
            .iter()
            .find(|s| s.date == self.date && s.shift == shift)
    }

    /// The lines of a column: each post's officers (leaders first), or the post alone when
    /// nobody holds it.
    pub fn cells(&self, shift: Shift) -> Vec<Cell<'_>> {
        let Some(s) = self.shift(shift) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (post_index, post) in s.posts.iter().enumerate() {
            if post.slots.is_empty() {
                out.push(Cell {
                    post_index,
                    post: &post.post,
                    slot: None,
                });
            }
            out.extend(post.slots.iter().map(|slot| Cell {
                post_index,
                post: &post.post,
                slot: Some(slot),
            }));
        }
        out
    }

    pub fn selected(&self) -> Option<Cell<'_>> {
        self.cells(self.column).get(self.row).copied()
    }

    /// The campaign's shift under way when the page was loaded.
    pub fn on_duty(&self) -> Option<(NaiveDate, Shift)> {
        self.data
            .roster
            .shifts
            .iter()
            .find(|s| s.start <= self.now && self.now < s.end)
            .map(|s| (s.date, s.shift))
    }

    /// The problems that touch the day shown: its empty posts, and the double bookings and
    /// short rests of its assignments.
    pub fn day_problems(&self) -> Vec<&RosterProblem> {
        let ids: Vec<RecordId> = [Shift::Day, Shift::Night]
            .into_iter()
            .flat_map(|s| self.cells(s))
            .filter_map(|c| c.slot.map(|s| s.assignment_id))
            .collect();
        self.data
            .problems
            .iter()
            .filter(|p| match p {
                RosterProblem::EmptyPost { date, .. } => *date == self.date,
                _ => p.records().iter().any(|r| ids.contains(r)),
            })
            .collect()
    }

    /// Moves the selection to the line of `post_index` nearest the current one when the
    /// column changes, so that h/l stay on the same post.
    pub(crate) fn switch_column(&mut self, to: Shift) {
        let post = self.selected().map(|c| c.post_index);
        self.column = to;
        self.row = post
            .and_then(|p| self.cells(to).iter().position(|c| c.post_index == p))
            .unwrap_or(0);
        self.clamp();
    }
}
