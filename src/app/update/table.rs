//! Moving in a view's table and between views: the selection, the view switch (which
//! clears what the last view showed), and the report's period step.

use crate::app::command::Command;
use crate::app::messages::{Effect, Outcome};
use crate::app::state::{Overlay, State, Status};
use crate::app::views::View;
use crate::domain::Instant;

pub(super) fn switch_view(state: &mut State, view: View, now: Instant) -> Outcome {
    if view == View::Report && state.report.is_none() {
        let today = crate::domain::time::local_date(now);
        state.report = Some(crate::domain::report::Period::half_year_to(today));
    }
    state.view = view;
    state.roster = None;
    state.table = Default::default();
    state.details.clear();
    state.overlay = Overlay::None;
    Outcome::drawn(vec![Effect::Load(view)])
}

/// `[` / `]` in the report: the calendar period (half-year, month, year) before or after,
/// or the span of the same length; never past today (the period under way is to date).
pub(super) fn step_period(
    state: &mut State,
    command: Command,
    now: crate::domain::Instant,
) -> Outcome {
    let today = crate::domain::time::local_date(now);
    match (state.view, state.report) {
        (View::Report, Some(period)) => {
            let stepped = if command == Command::PrevPeriod {
                period.step_back()
            } else {
                period.step_forward()
            };
            if stepped.from > today {
                return Outcome::default();
            }
            state.report = Some(crate::domain::report::Period {
                to: stepped.to.min(today),
                ..stepped
            });
            Outcome::drawn(vec![Effect::Load(View::Report)])
        }
        _ => {
            state.status = Some(Status {
                text: state
                    .lang
                    .pick(
                        "[ và ] đổi kỳ trong màn Báo cáo (:baocao)",
                        "[ and ] change the period in the report (:report)",
                    )
                    .into(),
                error: true,
            });
            Outcome::drawn(vec![])
        }
    }
}

pub(super) fn table_move(state: &mut State, delta: isize) -> Outcome {
    let before = state.table.selected;
    state.table.move_by(delta);
    Outcome {
        effects: vec![],
        redraw: state.table.selected != before,
    }
}
