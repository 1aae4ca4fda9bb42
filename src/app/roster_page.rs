//! A campaign's roster a day at a time (`r` on a campaign): both shifts side by side, every
//! post of the plan with its officers (the leader marked), nobody shown as such, the shift
//! on duty now marked. The officer selects an officer or an empty post and edits from
//! there: add an officer to the selected post and shift, move the selected assignment, or
//! swap the officers of two assignments (`x` on the first, `x` on the second) — each
//! through a form, checked by the service before anything is saved.
//!
//! The page holds the whole roster (14 days × 2 shifts × 5 posts is small), so moving from
//! day to day is pure; the shell reloads it after an edit is saved.

use chrono::NaiveDate;

use crate::domain::roster::RosterProblem;
use crate::domain::time::local_date;
use crate::domain::{Instant, Kind, RecordId, Shift};
use crate::service::roster::{Roster, RosterShift, RosterSlot};

use super::command::Command;
use super::forms::Form;
use super::state::{Overlay, State, Status};
use super::update::{Ctx, Effect, Outcome};

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
    fn switch_column(&mut self, to: Shift) {
        let post = self.selected().map(|c| c.post_index);
        self.column = to;
        self.row = post
            .and_then(|p| self.cells(to).iter().position(|c| c.post_index == p))
            .unwrap_or(0);
        self.clamp();
    }
}

fn say(state: &mut State, text: String, error: bool) -> Outcome {
    state.status = Some(Status {
        text: crate::domain::text::display_safe(&text).into_owned(),
        error,
    });
    Outcome {
        effects: vec![],
        redraw: true,
    }
}

fn drawn() -> Outcome {
    Outcome {
        effects: vec![],
        redraw: true,
    }
}

/// Opens the roster of the campaign on screen: the detail on top, or the selected row of
/// the campaigns table.
pub(super) fn open(state: &mut State) -> Outcome {
    let id = match state.details.last() {
        Some(detail) => Some(detail.id),
        None => state.table.selected_id(),
    };
    match id {
        Some(id) if id.kind() == Kind::Campaign => Outcome {
            effects: vec![Effect::LoadRoster(id)],
            redraw: false,
        },
        _ => {
            let text = state
                .lang
                .pick(
                    "Phân công theo ngày: chọn một đợt cao điểm (:cd) rồi bấm r",
                    "Roster by day: select a campaign (:campaigns), then press r",
                )
                .to_string();
            say(state, text, true)
        }
    }
}

/// The keys of the roster page.
pub(super) fn keys(state: &mut State, command: Command, ctx: &Ctx) -> Outcome {
    let lang = state.lang;
    let officer = state.officer;
    let Some(page) = state.roster.as_mut() else {
        return Outcome::default();
    };
    match command {
        Command::Down | Command::Up => {
            let n = page.cells(page.column).len();
            if n > 0 {
                let delta = if command == Command::Down { 1 } else { n - 1 };
                page.row = (page.row + delta) % n;
            }
            drawn()
        }
        Command::Left => {
            page.switch_column(Shift::Day);
            drawn()
        }
        Command::Right => {
            page.switch_column(Shift::Night);
            drawn()
        }
        Command::NextDay | Command::PrevDay => {
            let to = if command == Command::NextDay {
                page.date.succ_opt()
            } else {
                page.date.pred_opt()
            };
            if to.is_some_and(|d| page.go_to(d)) {
                drawn()
            } else {
                let text = lang
                    .pick(
                        "Đã ở ngày đầu/cuối của đợt",
                        "Already at the campaign's first/last day",
                    )
                    .to_string();
                say(state, text, false)
            }
        }
        Command::Today => {
            if page.go_to(local_date(ctx.now)) {
                drawn()
            } else {
                let text = lang
                    .pick(
                        "Hôm nay ngoài đợt: đang xem ngày gần nhất của đợt",
                        "Today is outside the campaign: showing its nearest day",
                    )
                    .to_string();
                say(state, text, false)
            }
        }
        Command::Back => {
            if page.swap_from.take().is_none() {
                state.roster = None;
            }
            drawn()
        }
        Command::Add => {
            let Some(cell) = page.selected() else {
                return Outcome::default();
            };
            let form = Form::roster_add(
                page.data.campaign_id,
                &page.data.campaign_name,
                &page.data.posts,
                page.date,
                page.column,
                cell.post,
                officer,
            );
            state.overlay = Overlay::Form(form);
            drawn()
        }
        Command::MoveAssignment => {
            let Some(slot) = page.selected().and_then(|c| c.slot.map(|s| (c, s))) else {
                let text = lang
                    .pick(
                        "Chốt này chưa có ai: chọn một người để chuyển (a: thêm người)",
                        "Nobody on this post: select an officer to move (a: add one)",
                    )
                    .to_string();
                return say(state, text, true);
            };
            let (cell, slot) = slot;
            let form = Form::roster_move(
                slot,
                &page.data.posts,
                page.date,
                page.column,
                cell.post,
                officer,
            );
            state.overlay = Overlay::Form(form);
            drawn()
        }
        Command::Swap => {
            let Some(id) = page
                .selected()
                .and_then(|c| c.slot)
                .map(|s| s.assignment_id)
            else {
                let text = lang
                    .pick(
                        "Chốt này chưa có ai: chọn một người để đổi",
                        "Nobody on this post: select an officer to swap",
                    )
                    .to_string();
                return say(state, text, true);
            };
            match page.swap_from {
                None => {
                    page.swap_from = Some(id);
                    let text = match lang {
                        crate::i18n::Lang::Vi => format!(
                            "Đổi người: đã chọn {id}; chọn người thứ hai (có thể ngày khác) rồi bấm x · Esc: bỏ"
                        ),
                        crate::i18n::Lang::En => format!(
                            "Swap: {id} chosen; select the second officer (any day) and press x · Esc: drop"
                        ),
                    };
                    say(state, text, false)
                }
                Some(first) if first == id => {
                    page.swap_from = None;
                    drawn()
                }
                Some(first) => {
                    page.swap_from = None;
                    state.overlay = Overlay::Form(Form::roster_swap(first, id, officer));
                    drawn()
                }
            }
        }
        _ => Outcome::default(),
    }
}

/// The roster page's data from the service.
pub fn load(
    desk: &dyn crate::service::DeskApi,
    id: RecordId,
) -> crate::service::Result<RosterData> {
    let Some(crate::domain::Record::Campaign(campaign)) = desk.get(id)? else {
        return Err(crate::service::ServiceError::NotFound(id));
    };
    Ok(RosterData {
        campaign_id: id,
        campaign_name: campaign.name,
        posts: campaign.posts,
        roster: desk.roster(id)?,
        problems: desk.roster_problems(id)?,
    })
}

/// What an edit does, for the message that says it was saved.
pub fn edit_summary(edit: &crate::service::roster::RosterEdit, lang: crate::i18n::Lang) -> String {
    use crate::service::roster::RosterEdit;
    let text = match edit {
        RosterEdit::Add(a) => format!(
            "{} {} · {} {} · {}",
            a.officer_id,
            a.role.label(lang),
            a.date.format("%d/%m"),
            a.shift.label(lang),
            a.post
        ),
        RosterEdit::Move {
            id,
            date,
            shift,
            post,
        } => format!(
            "{id} → {} {} · {post}",
            date.format("%d/%m"),
            shift.label(lang)
        ),
        RosterEdit::Swap { first, second } => format!(
            "{} {first} ⇄ {second}",
            lang.pick("đổi người", "officers swapped")
        ),
    };
    crate::domain::text::display_safe(&text).into_owned()
}
