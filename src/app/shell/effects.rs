//! The effects the core asks for, performed against the service and the drafts on disk:
//! load a view, a detail or a roster page, save a form, keep or drop a draft, search, lock
//! and unlock. Each answer goes back to the core as an action, stamped with the same `now`.

use crate::app::forms::Submission;
use crate::app::messages::{Action, Effect};
use crate::domain::{Instant, Record};
use crate::i18n::Lang;

use super::{App, present, present_glance, present_report, present_roster, roster_loader};

impl App<'_> {
    pub(super) fn perform(&mut self, effect: Effect, now: Instant) -> bool {
        let lang = self.state.lang;
        let action = match effect {
            Effect::Load(view @ crate::app::views::View::Report) => {
                let today = crate::domain::time::local_date(now);
                let period = self
                    .state
                    .report
                    .unwrap_or_else(|| crate::domain::report::Period::half_year_to(today));
                match present_report::load(self.desk, period, lang) {
                    Ok(loaded) => Action::Loaded {
                        view,
                        rows: loaded.rows,
                        total: loaded.total,
                    },
                    Err(e) => failed(e, lang),
                }
            }
            Effect::Load(crate::app::views::View::Glance) | Effect::LoadGlanceRows => {
                let view = crate::app::views::View::Glance;
                let shift = self.state.shifts.shift_at(now);
                let beside = effect != Effect::LoadGlanceRows;
                match present_glance::load(self.desk, shift, lang, now, beside) {
                    Ok((glance, loaded)) => {
                        if let Some(beside) = glance.beside {
                            self.act(Action::GlanceLoaded(Box::new(beside)), now);
                        }
                        Action::Loaded {
                            view,
                            rows: loaded.rows,
                            total: loaded.total,
                        }
                    }
                    Err(e) => failed(e, lang),
                }
            }
            Effect::Load(view) => match present::rows(self.desk, view, lang, self.row_cap, now) {
                Ok(loaded) => Action::Loaded {
                    view,
                    rows: loaded.rows,
                    total: loaded.total,
                },
                Err(e) => failed(e, lang),
            },
            Effect::LoadDetail(id) => {
                let detail = if id.kind() == crate::domain::Kind::Campaign {
                    present_roster::campaign_detail(self.desk, id, lang, now)
                } else {
                    present::detail_for(self.desk, id, lang, self.state.officer, now)
                };
                match detail {
                    Ok(detail) => Action::DetailLoaded(Box::new(detail)),
                    Err(e) => failed(e, lang),
                }
            }
            Effect::LoadFigure { period, key, label } => {
                match present_report::figure_detail(self.desk, period, &key, &label, lang) {
                    Ok(detail) => Action::DetailLoaded(Box::new(detail)),
                    Err(e) => failed(e, lang),
                }
            }
            Effect::LoadList { crumb, ids } => {
                let detail = present::list_detail(self.desk, crumb, &ids, lang);
                Action::DetailLoaded(Box::new(detail))
            }
            Effect::LoadRoster(id) => match roster_loader::load(self.desk, id) {
                Ok(data) => Action::RosterLoaded(Box::new(data)),
                Err(e) => failed(e, lang),
            },
            Effect::Submit {
                submission: Submission::RosterEdit { by, edit },
                draft,
            } => match self.edit_roster(by, edit) {
                Ok(message) => {
                    if let Some(drafts) = &self.drafts {
                        let _ = drafts.delete(&draft);
                    }
                    Action::Saved { message }
                }
                Err(action) => action,
            },
            Effect::Submit { submission, draft } => match self.submit(submission, now) {
                Ok(message) => {
                    if let Some(drafts) = &self.drafts {
                        let _ = drafts.delete(&draft);
                    }
                    Action::Saved { message }
                }
                Err(message) => Action::SaveFailed(message),
            },
            Effect::SaveDraft(form) => match self.drafts.as_ref().map(|d| d.save(&form)) {
                Some(Err(e)) => Action::Failed(format!(
                    "{}: {e}",
                    lang.pick("Không lưu được bản nháp", "Draft not saved")
                )),
                _ => return false,
            },
            Effect::DeleteDraft(key) => {
                if let Some(drafts) = &self.drafts {
                    let _ = drafts.delete(&key);
                }
                return false;
            }
            Effect::CheckOfficer(officer) => Action::OfficerChecked {
                officer,
                known: match self.desk.get(officer) {
                    Ok(record) => Ok(matches!(record, Some(Record::Officer(_)))),
                    Err(e) => Err(e.label(lang)),
                },
            },
            Effect::Search { query, limit } => match self.desk.search(&query, None, limit, lang) {
                Ok(hits) => Action::SearchResults { query, hits },
                Err(crate::service::ServiceError::SearchNotReady) => {
                    Action::SearchNotReady { query }
                }
                Err(e) => failed(e, lang),
            },
            Effect::LoadDuty => match self.desk.duty_status(now) {
                Ok(duty) => Action::DutyLoaded(duty),
                // The counts on screen stay as they were: a lost link is said by the title
                // bar's banner, a failing store by the view's own load.
                Err(_) => return false,
            },
            Effect::Lock => {
                // The console has already dropped every record; a service that cannot lock
                // (an owner session without a PIN) changes nothing on screen.
                let _ = self.desk.lock();
                return true;
            }
            Effect::Unlock(pin) => match self.desk.unlock(&pin) {
                Ok(()) => Action::Unlocked,
                // A wrong PIN or a lockout reads as the refusal's own label.
                Err(e) => Action::UnlockFailed(e.label(lang)),
            },
            Effect::Quit => return true,
        };
        self.act(action, now)
    }

    /// Sends a confirmed form to the service, stamped `now`; the message says what was saved.
    fn submit(&self, submission: Submission, now: Instant) -> Result<String, String> {
        let now = chrono::SubsecRound::trunc_subsecs(now, 0);
        let lang = self.state.lang;
        let saved = |id: crate::domain::RecordId| match lang {
            Lang::Vi => format!("Đã lưu {id}"),
            Lang::En => format!("Saved {id}"),
        };
        // Say it in the officer's language rather than pass on the store's reference error.
        let officer = match &submission {
            Submission::WantedStatus { by, .. } => *by,
            Submission::Sighting(s) => s.officer_id,
            Submission::Inspection(i) => i.officer_id,
            Submission::HitStep { step, .. } => step.officer_id,
            Submission::SignHandover { officer, .. }
            | Submission::AcknowledgeHandover { officer, .. } => *officer,
            Submission::Tip { tip, .. } => tip.taken_by,
            Submission::TipStep { officer, .. } => *officer,
            Submission::LogEntry(entry) => entry.officer_id,
            Submission::NewCase(case) => case.recorded_by,
            Submission::CaseStep { step, .. } => step.officer_id,
            Submission::RosterEdit { by, .. } => *by,
        };
        match self.desk.get(officer) {
            Ok(Some(Record::Officer(_))) => {}
            Ok(_) => {
                return Err(match lang {
                    Lang::Vi => format!("Chưa lưu: không có cán bộ {officer} trong dữ liệu"),
                    Lang::En => format!("Not saved: there is no officer {officer} in the store"),
                });
            }
            // The true reason (the link to the daemon lost, the store failing), not "no officer".
            Err(e) => {
                return Err(format!(
                    "{}: {}",
                    lang.pick("Chưa lưu", "Not saved"),
                    e.label(lang)
                ));
            }
        }
        let result = match submission {
            Submission::WantedStatus {
                id,
                status,
                note,
                by,
                at,
            } => self
                .desk
                .change_wanted_status(id, status, &note, Some(by), at)
                .map(|r| saved(r.id())),
            Submission::Sighting(s) => self.desk.save(Record::Sighting(s)).map(saved),
            Submission::Inspection(i) => self.desk.save(Record::Inspection(i)).map(saved),
            Submission::HitStep { id, mut step } => {
                step.at = now;
                self.desk.add_hit_step(id, step).map(|r| saved(r.id()))
            }
            Submission::SignHandover {
                shift,
                officer,
                text,
            } => self
                .desk
                .sign_handover(shift, officer, &text, now)
                .map(|r| saved(r.id())),
            Submission::AcknowledgeHandover {
                id,
                officer,
                remarks,
            } => self
                .desk
                .acknowledge_handover(id, officer, &remarks, now)
                .map(|r| saved(r.id())),
            Submission::Tip { tip, informant } => self.desk.save_tip(tip, informant).map(saved),
            Submission::TipStep { id, mut step, .. } => {
                if let Some(extension) = &mut step.extension {
                    extension.at = now;
                }
                self.desk.tip_step(id, step).map(|r| saved(r.id()))
            }
            Submission::LogEntry(entry) => self.desk.save(Record::DutyLog(entry)).map(saved),
            Submission::NewCase(mut case) => {
                case.recorded_at = now;
                self.desk.save(Record::Case(case)).map(saved)
            }
            Submission::CaseStep { id, mut step } => {
                step.at = now;
                // The case as stored now, with the step added: the service checks, in the
                // write, that the history it replaces is the one read here.
                match self.desk.get(id) {
                    Ok(Some(Record::Case(mut case))) => {
                        case.history.push(step);
                        self.desk.save(Record::Case(case)).map(saved)
                    }
                    Ok(_) => Err(crate::service::ServiceError::NotFound(id)),
                    Err(e) => Err(e),
                }
            }
            Submission::RosterEdit { by, edit } => {
                return self.edit_roster(by, edit).map_err(|action| match action {
                    Action::SaveFailed(message) => message,
                    Action::RosterRefused(problems) => problems.join("; "),
                    _ => String::new(),
                });
            }
        };
        result.map_err(|e| format!("{}: {}", lang.pick("Chưa lưu", "Not saved"), e.label(lang)))
    }
}

impl App<'_> {
    /// Sends a roster edit: what was saved, or the action that says why not — the problems
    /// the edit would create in the officer's language (the service error's own text is
    /// English), or any other failure.
    fn edit_roster(
        &self,
        by: crate::domain::RecordId,
        edit: crate::domain::roster_grid::RosterEdit,
    ) -> Result<String, Action> {
        let lang = self.state.lang;
        match self.desk.get(by) {
            Ok(Some(Record::Officer(o)))
                if matches!(
                    o.role,
                    crate::domain::OfficerRole::Supervisor | crate::domain::OfficerRole::Admin
                ) => {}
            Ok(Some(Record::Officer(o))) => {
                return Err(Action::SaveFailed(match lang {
                    Lang::Vi => format!(
                        "Chưa lưu: {by} là {}; chỉ chỉ huy hoặc quản trị sửa phân công",
                        o.role.label(lang)
                    ),
                    Lang::En => format!(
                        "Not saved: {by} is {}; only a supervisor or an administrator edits a roster",
                        o.role.label(lang)
                    ),
                }));
            }
            Ok(_) => {
                return Err(Action::SaveFailed(match lang {
                    Lang::Vi => format!("Chưa lưu: không có cán bộ {by} trong dữ liệu"),
                    Lang::En => format!("Not saved: there is no officer {by} in the store"),
                }));
            }
            Err(e) => {
                return Err(Action::SaveFailed(format!(
                    "{}: {}",
                    lang.pick("Chưa lưu", "Not saved"),
                    e.label(lang)
                )));
            }
        }
        let what = edit.summary(lang);
        match self.desk.edit_roster(by, edit) {
            Ok(ids) => {
                let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
                Ok(match lang {
                    Lang::Vi => format!("Đã lưu {}: {what}", ids.join(", ")),
                    Lang::En => format!("Saved {}: {what}", ids.join(", ")),
                })
            }
            Err(crate::service::ServiceError::RosterRefused(problems)) => Err(
                Action::RosterRefused(problems.iter().map(|p| p.label(lang)).collect()),
            ),
            Err(e) => Err(Action::SaveFailed(format!(
                "{}: {}",
                lang.pick("Chưa lưu", "Not saved"),
                e.label(lang)
            ))),
        }
    }
}

/// A failed request as the console takes it: a locked session shows the PIN screen, any
/// other failure its label in the officer's language.
fn failed(e: crate::service::ServiceError, lang: crate::i18n::Lang) -> Action {
    match e {
        crate::service::ServiceError::Locked => Action::LockedByService,
        e => Action::Failed(e.label(lang)),
    }
}
