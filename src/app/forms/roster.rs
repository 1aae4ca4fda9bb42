//! The three roster forms a supervisor fills in on the roster page: add an officer to a
//! post and shift, move an assignment to another day, shift or post, swap the officers of
//! two assignments. The acting officer (`officer`, from the config or `--officer`) is the
//! supervisor the service checks; the service checks the roster before saving and refuses
//! an edit that would create a double booking or a short rest.

use chrono::NaiveDate;

use crate::domain::roster_grid::{RosterEdit, RosterSlot};
use crate::domain::time::parse_date;
use crate::domain::{Assignment, AssignmentRole, Kind, RecordId, Shift};
use crate::i18n::Lang;

use super::{Field, Form, FormKind, Submission};

fn text(key: &str, value: String) -> Field {
    Field {
        key: key.into(),
        value,
        choices: Vec::new(),
        fixed: false,
    }
}

/// A choice whose value is `first` (kept first) and then the others in order.
fn choice_from(key: &str, first: &str, all: &[String]) -> Field {
    let mut choices = vec![first.to_string()];
    choices.extend(all.iter().filter(|c| c.as_str() != first).cloned());
    Field {
        key: key.into(),
        value: first.to_string(),
        choices,
        fixed: false,
    }
}

fn shifts(first: Shift) -> Field {
    let all: Vec<String> = Shift::ALL.iter().map(|s| s.code().to_string()).collect();
    choice_from("shift", first.code(), &all)
}

/// A campaign's name cut to fit the form's heading on one line.
fn short(name: &str) -> String {
    const MAX: usize = 56;
    if name.chars().count() <= MAX {
        return name.to_string();
    }
    let mut cut: String = name.chars().take(MAX - 1).collect();
    cut.push('…');
    cut
}

/// The cell of the roster page a form opens on: its day, shift and post.
#[derive(Clone, Copy, Debug)]
pub struct Cell<'a> {
    pub date: NaiveDate,
    pub shift: Shift,
    pub post: &'a str,
}

fn acting(officer: Option<RecordId>) -> Field {
    text(
        "officer",
        officer.map(|o| o.to_string()).unwrap_or_default(),
    )
}

impl Form {
    /// A new assignment on the cell's post, shift and day in the campaign.
    pub fn roster_add(
        campaign: RecordId,
        campaign_name: &str,
        posts: &[String],
        at: Cell,
        officer: Option<RecordId>,
        lang: Lang,
    ) -> Form {
        let Cell { date, shift, post } = at;
        let roles: Vec<String> = AssignmentRole::ALL
            .iter()
            .map(|r| r.code().to_string())
            .collect();
        Form {
            kind: FormKind::RosterAdd,
            target: campaign,
            target_title: short(campaign_name),
            fields: vec![
                text("assignee", String::new()),
                text("date", lang.date(date)),
                shifts(shift),
                choice_from("post", post, posts),
                choice_from("role", AssignmentRole::Member.code(), &roles),
                acting(officer),
            ],
            focus: 0,
            errors: Vec::new(),
            unknown_officer: None,
        }
    }

    /// The selected assignment to another day, shift or post (the current ones filled in).
    pub fn roster_move(
        slot: &RosterSlot,
        posts: &[String],
        at: Cell,
        officer: Option<RecordId>,
        lang: Lang,
    ) -> Form {
        let Cell { date, shift, post } = at;
        Form {
            kind: FormKind::RosterMove,
            target: slot.assignment_id,
            target_title: format!("{} {}", slot.officer_id, slot.officer),
            fields: vec![
                text("date", lang.date(date)),
                shifts(shift),
                choice_from("post", post, posts),
                acting(officer),
            ],
            focus: 0,
            errors: Vec::new(),
            unknown_officer: None,
        }
    }

    /// The officers of two assignments exchanged.
    pub fn roster_swap(first: RecordId, second: RecordId, officer: Option<RecordId>) -> Form {
        Form {
            kind: FormKind::RosterSwap,
            target: first,
            target_title: String::new(),
            fields: vec![
                text("first", first.to_string()),
                text("second", second.to_string()),
                acting(officer),
            ],
            focus: 0,
            errors: Vec::new(),
            unknown_officer: None,
        }
    }

    /// The field a refused edit's problems are shown under: who (add), when (move), the
    /// second assignment (swap).
    pub fn refusal_field(&self) -> usize {
        let key = match self.kind {
            FormKind::RosterAdd => "assignee",
            FormKind::RosterMove => "date",
            _ => "second",
        };
        self.index(key)
    }

    fn assignment_field(
        &self,
        key: &str,
        lang: Lang,
        errors: &mut Vec<(usize, String)>,
    ) -> Option<RecordId> {
        match self.value(key).parse::<RecordId>() {
            Ok(id) if id.kind() == Kind::Assignment => Some(id),
            _ => {
                errors.push((
                    self.index(key),
                    lang.pick(
                        "Nhập mã phân công dạng PC-000012",
                        "Enter an assignment ID like PC-000012",
                    )
                    .into(),
                ));
                None
            }
        }
    }

    /// The edit the form asks for (see [`Form::validate`]).
    pub(super) fn roster_submission(
        &self,
        officer: Option<RecordId>,
        lang: Lang,
        errors: &mut Vec<(usize, String)>,
    ) -> Option<Submission> {
        let date = || {
            let date = parse_date(self.value("date"));
            date.ok_or((self.index("date"), lang.date_hint().to_string()))
        };
        let edit = match self.kind {
            FormKind::RosterAdd => {
                let assignee = match self.value("assignee").parse::<RecordId>() {
                    Ok(id) if id.kind() == Kind::Officer => Some(id),
                    _ => {
                        errors.push((
                            self.index("assignee"),
                            lang.pick(
                                "Nhập mã cán bộ được phân công dạng CB-000012",
                                "Enter the assigned officer's ID like CB-000012",
                            )
                            .into(),
                        ));
                        None
                    }
                };
                let date = date().map_err(|e| errors.push(e)).ok();
                let shift = Shift::parse(self.value("shift"));
                let role = AssignmentRole::parse(self.value("role"));
                let (((officer_id, date), shift), role) =
                    assignee.zip(date).zip(shift).zip(role)?;
                RosterEdit::Add(Assignment {
                    id: RecordId::new(Kind::Assignment, 0),
                    campaign_id: self.target,
                    officer_id,
                    date,
                    shift,
                    post: self.value("post").to_string(),
                    role,
                })
            }
            FormKind::RosterMove => {
                let date = date().map_err(|e| errors.push(e)).ok();
                let (date, shift) = date.zip(Shift::parse(self.value("shift")))?;
                RosterEdit::Move {
                    id: self.target,
                    date,
                    shift,
                    post: self.value("post").to_string(),
                }
            }
            _ => {
                let first = self.assignment_field("first", lang, errors);
                let second = self.assignment_field("second", lang, errors);
                if first.is_some() && first == second {
                    errors.push((
                        self.index("second"),
                        lang.pick(
                            "Chọn hai phân công khác nhau",
                            "Choose two different assignments",
                        )
                        .into(),
                    ));
                }
                let (first, second) = first.zip(second)?;
                RosterEdit::Swap { first, second }
            }
        };
        Some(Submission::RosterEdit { by: officer?, edit })
    }

    /// The confirmation line of a roster form.
    pub(super) fn roster_summary(&self, lang: Lang) -> String {
        match self.kind {
            FormKind::RosterAdd => format!(
                "{} {} · {} {} · {} ({})",
                lang.pick("Phân công", "Assign"),
                self.value("assignee"),
                self.value("date"),
                Form::choice_label(self.value("shift"), lang),
                self.value("post"),
                Form::choice_label(self.value("role"), lang),
            ),
            FormKind::RosterMove => format!(
                "{} {} {} → {} {} · {}",
                lang.pick("Chuyển", "Move"),
                self.target,
                self.target_title,
                self.value("date"),
                Form::choice_label(self.value("shift"), lang),
                self.value("post"),
            ),
            _ => format!(
                "{} {} ⇄ {}",
                lang.pick("Đổi người giữa", "Swap the officers of"),
                self.value("first"),
                self.value("second"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("date")
    }

    #[test]
    fn an_add_form_fills_in_the_slot_and_needs_the_officer() {
        let posts = vec!["Chốt A".to_string(), "Chốt B".to_string()];
        let campaign = RecordId::new(Kind::Campaign, 3);
        let by = RecordId::new(Kind::Officer, 3);
        let mut form = Form::roster_add(
            campaign,
            "Cao điểm",
            &posts,
            Cell {
                date: date(8),
                shift: Shift::Night,
                post: "Chốt B",
            },
            Some(by),
            Lang::En,
        );
        assert_eq!(form.value("date"), "08 Nov 2026");
        let errors = form.validate(Lang::Vi).expect_err("no assignee");
        assert_eq!(
            errors,
            vec![(
                0,
                "Nhập mã cán bộ được phân công dạng CB-000012".to_string()
            )]
        );
        "CB-000042".chars().for_each(|c| form.type_char(c));
        let Ok(Submission::RosterEdit {
            by: got_by,
            edit: RosterEdit::Add(a),
        }) = form.validate(Lang::En)
        else {
            panic!("valid: {:?}", form.validate(Lang::En))
        };
        assert_eq!(got_by, by);
        assert_eq!(
            (
                a.campaign_id,
                a.officer_id.num(),
                a.date,
                a.shift,
                a.post.as_str(),
                a.role
            ),
            (
                campaign,
                42,
                date(8),
                Shift::Night,
                "Chốt B",
                AssignmentRole::Member
            )
        );
        // The post is a choice among the plan's posts, the selected one first.
        form.focus = 3;
        form.cycle_choice(1);
        assert_eq!(form.fields[3].value, "Chốt A");
        let json = serde_json::to_string(&form).expect("draft");
        let back: Form = serde_json::from_str(&json).expect("draft back");
        assert_eq!(back.fields, form.fields);
        assert_eq!(form.draft_key(), "rosteradd-cd-000003");
    }

    #[test]
    fn a_swap_needs_two_different_assignments() {
        let a = RecordId::new(Kind::Assignment, 1);
        let form = Form::roster_swap(a, a, Some(RecordId::new(Kind::Officer, 3)));
        let errors = form.validate(Lang::En).expect_err("same");
        assert_eq!(errors, vec![(1, "Choose two different assignments".into())]);
        let b = RecordId::new(Kind::Assignment, 2);
        let form = Form::roster_swap(a, b, Some(RecordId::new(Kind::Officer, 3)));
        assert!(matches!(
            form.validate(Lang::En),
            Ok(Submission::RosterEdit {
                edit: RosterEdit::Swap { .. },
                ..
            })
        ));
        assert_eq!(
            form.roster_summary(Lang::Vi),
            "Đổi người giữa PC-000001 ⇄ PC-000002"
        );
    }
}
