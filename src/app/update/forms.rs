//! Forms: opening one on the record on screen (or a new one), and the keys inside it —
//! fields, choices, validation on Enter, then the confirmation.

use crate::app::command::Command;
use crate::app::forms::Form;
use crate::app::log_line;
use crate::app::messages::{Ctx, Effect, Outcome};
use crate::app::state::{Overlay, State, Status};
use crate::app::views::View;
use crate::i18n::Lang;

use super::cmdline::{command_with, logged_text};

pub(super) fn open_form(state: &mut State, ctx: &Ctx) -> Outcome {
    let target = match state.details.last() {
        Some(detail) => Some((detail.id, detail.crumb.clone())),
        None => state.table.selected_id().map(|id| {
            let title = state
                .table
                .selected_row()
                .map(|row| row.title().to_string())
                .unwrap_or_default();
            (id, title)
        }),
    };
    let Some((id, title)) = target else {
        return Outcome::default();
    };
    if id.kind() == crate::domain::Kind::DutyLog {
        // Entries are never edited: the correction is a new entry, its line pre-filled.
        let text = logged_text(state).unwrap_or_default();
        return command_with(state, log_line::correction_line(id, &text));
    }
    match Form::for_record(id.kind(), id, &title, state.officer, ctx.now, state.lang) {
        Some(form) => {
            state.overlay = Overlay::Form(form);
            Outcome::drawn(vec![])
        }
        None => {
            state.status = Some(Status {
                text: state
                    .lang
                    .pick(
                        "Không có thao tác cho loại hồ sơ này",
                        "Nothing to do on this kind of record",
                    )
                    .into(),
                error: true,
            });
            Outcome::drawn(vec![])
        }
    }
}

/// `n`: a new record in the views that take one (a tip; a duty-log line).
pub(super) fn new_record(state: &mut State, ctx: &Ctx) -> Outcome {
    match state.view {
        View::Tips => {
            state.overlay = Overlay::Form(Form::new_tip(state.officer, ctx.now, state.lang));
            Outcome::drawn(vec![])
        }
        View::Cases => {
            state.overlay = Overlay::Form(Form::new_case(state.officer, ctx.now, state.lang, None));
            Outcome::drawn(vec![])
        }
        View::Log => command_with(state, "ghi ".into()),
        _ => {
            state.status = Some(Status {
                text: state
                    .lang
                    .pick(
                        "Màn hình này không thêm mới được (n: trong Tin báo, Vụ án, Nhật ký)",
                        "Nothing to add in this view (n works in Tips, Cases and the duty log)",
                    )
                    .into(),
                error: true,
            });
            Outcome::drawn(vec![])
        }
    }
}

pub(super) fn form(state: &mut State, command: Command, lang: Lang) -> Outcome {
    let Overlay::Form(form) = &mut state.overlay else {
        return Outcome::default();
    };
    let edited = match command {
        Command::NextField => {
            form.move_focus(1);
            false
        }
        Command::PrevField => {
            form.move_focus(-1);
            false
        }
        Command::ChoiceNext => {
            form.cycle_choice(1);
            true
        }
        Command::ChoicePrev => {
            form.cycle_choice(-1);
            true
        }
        Command::Delete => {
            form.delete_char();
            true
        }
        Command::Cancel => {
            state.overlay = Overlay::None;
            state.status = Some(Status {
                text: lang
                    .pick(
                        "Đã đóng biểu mẫu; bản nháp được giữ",
                        "Form closed; the draft is kept",
                    )
                    .into(),
                error: false,
            });
            return Outcome::drawn(vec![]);
        }
        Command::Accept => {
            match form.validate(lang) {
                Ok(_) => {
                    form.errors.clear();
                    // An officer typed in is asked about first: an unknown one is caught
                    // here, not after the confirmation.
                    if let Some(officer) = form.officer_to_check() {
                        return Outcome::drawn(vec![Effect::CheckOfficer(officer)]);
                    }
                    state.overlay = Overlay::Confirm(form.clone());
                }
                Err(errors) => {
                    form.focus = errors.first().map_or(form.focus, |(i, _)| *i);
                    form.errors = errors;
                    state.status = Some(Status {
                        text: lang
                            .pick(
                                "Biểu mẫu còn lỗi: xem các ô được đánh dấu",
                                "The form has errors: see the marked fields",
                            )
                            .into(),
                        error: true,
                    });
                }
            }
            return Outcome::drawn(vec![]);
        }
        _ => return Outcome::default(),
    };
    let effects = if edited {
        form.recheck(lang);
        vec![Effect::SaveDraft(form.draftable())]
    } else {
        vec![]
    };
    Outcome::drawn(effects)
}

/// The service's answer on the form's officer: on to the confirmation, or the error on the
/// field (an unknown officer), or the reason it could not be asked.
pub(super) fn officer_checked(
    state: &mut State,
    officer: crate::domain::RecordId,
    known: Result<bool, String>,
    lang: Lang,
) -> Outcome {
    let Overlay::Form(form) = &mut state.overlay else {
        return Outcome::default();
    };
    // The officer changed the field while the answer travelled: it is about another ID.
    if form.officer_to_check() != Some(officer) {
        return Outcome::default();
    }
    match known {
        Ok(true) => {
            form.unknown_officer = None;
            state.overlay = Overlay::Confirm(form.clone());
        }
        Ok(false) => {
            form.unknown_officer = Some(officer.to_string());
            let errors = form.validate(lang).err().unwrap_or_default();
            form.focus = errors.first().map_or(form.focus, |(i, _)| *i);
            form.errors = errors;
            state.status = Some(Status {
                text: lang.pick_owned(
                    &format!("Không có cán bộ {officer} trong dữ liệu: sửa mã cán bộ"),
                    &format!("There is no officer {officer} in the store: correct the ID"),
                ),
                error: true,
            });
        }
        Err(why) => {
            state.status = Some(Status {
                text: format!(
                    "{}: {why}",
                    lang.pick("Chưa kiểm tra được cán bộ", "Could not check the officer")
                ),
                error: true,
            });
        }
    }
    Outcome::drawn(vec![])
}
