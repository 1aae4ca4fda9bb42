//! The roster page's keys (the page itself is data in [`crate::app::roster_page`]): move
//! within a day and from day to day, and open the add, move and swap forms.

use crate::app::command::Command;
use crate::app::forms::{Form, RosterCell};
use crate::app::messages::{Ctx, Effect, Outcome};
use crate::app::state::{Overlay, State, Status};
use crate::domain::time::local_date;
use crate::domain::{Kind, Shift};

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
                RosterCell {
                    date: page.date,
                    shift: page.column,
                    post: cell.post,
                },
                officer,
                lang,
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
                RosterCell {
                    date: page.date,
                    shift: page.column,
                    post: cell.post,
                },
                officer,
                lang,
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
