//! A supervisor's roster work on the store: the grid of a campaign, who is on duty now and
//! next, the checks ([`crate::domain::roster`]) and the edits (add, move, swap), each checked
//! before it is saved and refused when it would create a double booking or a short rest. A
//! swap is one atomic write of both assignments. The types it answers with are in
//! `service/roster.rs`, which names no desk: the dependency goes one way.

use chrono::{Duration, NaiveDate};

use crate::domain::roster::{self, RosterProblem};
use crate::domain::{
    Assignment, AssignmentRole, Campaign, Instant, Kind, OfficerRole, Record, RecordId, Shift,
};
use crate::service::roster::{OnDuty, PostShift, Roster, RosterEdit, RosterShift, RosterSlot};
use crate::service::{Result, ServiceError};

use super::LocalDesk;

impl LocalDesk {
    fn campaign(&self, id: RecordId) -> Result<Campaign> {
        match self.store().get(id)? {
            Some(Record::Campaign(c)) => Ok(c),
            _ => Err(ServiceError::NotFound(id)),
        }
    }

    fn assignment(&self, id: RecordId) -> Result<Assignment> {
        match self.store().get(id)? {
            Some(Record::Assignment(a)) => Ok(a),
            _ => Err(ServiceError::NotFound(id)),
        }
    }

    /// Every assignment (of any campaign) from the day before the campaign to the day
    /// after: enough to see a clash or a short rest at either end.
    fn assignments_near(&self, campaign: &Campaign) -> Result<Vec<Assignment>> {
        let from = campaign.start - Duration::days(1);
        let to = campaign.end + Duration::days(1);
        let mut out = Vec::new();
        for date in from.iter_days().take_while(|d| *d <= to) {
            for record in crate::service::DeskApi::roster_on(self, date)? {
                if let Record::Assignment(a) = record {
                    out.push(a);
                }
            }
        }
        Ok(out)
    }

    pub(super) fn roster_of(&self, campaign: RecordId) -> Result<Roster> {
        let campaign = self.campaign(campaign)?;
        let near = self.assignments_near(&campaign)?;
        let ours: Vec<&Assignment> = near
            .iter()
            .filter(|a| a.campaign_id == campaign.id)
            .collect();
        let mut names = std::collections::HashMap::new();
        let mut shifts = Vec::new();
        for date in campaign
            .start
            .iter_days()
            .take_while(|d| *d <= campaign.end)
        {
            for shift in [Shift::Day, Shift::Night] {
                shifts.push(self.shift_of(&campaign, &ours, date, shift, &mut names)?);
            }
        }
        Ok(Roster {
            campaign_id: campaign.id,
            shifts,
        })
    }

    fn shift_of(
        &self,
        campaign: &Campaign,
        ours: &[&Assignment],
        date: NaiveDate,
        shift: Shift,
        names: &mut std::collections::HashMap<RecordId, (String, String)>,
    ) -> Result<RosterShift> {
        let (start, end) = self.roster_rules().shifts.interval(date, shift);
        let here: Vec<&&Assignment> = ours
            .iter()
            .filter(|a| a.date == date && a.shift == shift)
            .collect();
        let mut posts: Vec<String> = campaign.posts.clone();
        for a in &here {
            if !posts.contains(&a.post) {
                posts.push(a.post.clone());
            }
        }
        let mut out = Vec::new();
        for post in posts {
            let mut slots = Vec::new();
            for a in here.iter().filter(|a| a.post == post) {
                if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(a.officer_id) {
                    slot.insert(match self.store().get(a.officer_id)? {
                        Some(Record::Officer(o)) => (o.full_name, o.badge_no),
                        _ => (a.officer_id.to_string(), String::new()),
                    });
                }
                let (officer, badge_no) = names.get(&a.officer_id).cloned().unwrap_or_default();
                slots.push(RosterSlot {
                    assignment_id: a.id,
                    officer_id: a.officer_id,
                    officer,
                    badge_no,
                    role: a.role,
                });
            }
            slots.sort_by_key(|s| (s.role != AssignmentRole::Leader, s.assignment_id));
            out.push(PostShift { post, slots });
        }
        Ok(RosterShift {
            date,
            shift,
            start,
            end,
            posts: out,
        })
    }

    pub(super) fn on_duty_at(&self, campaign: RecordId, at: Instant) -> Result<OnDuty> {
        let roster = self.roster_of(campaign)?;
        let now = roster
            .shifts
            .iter()
            .find(|s| s.start <= at && at < s.end)
            .cloned();
        let next = roster.shifts.iter().find(|s| s.start > at).cloned();
        Ok(OnDuty { now, next })
    }

    pub(super) fn problems_of(&self, campaign: RecordId) -> Result<Vec<RosterProblem>> {
        let campaign = self.campaign(campaign)?;
        let near = self.assignments_near(&campaign)?;
        Ok(roster::check(&campaign, &near, self.roster_rules()))
    }

    /// Checks and saves an edit; see the module doc. Returns the assignments written.
    pub(super) fn edit(&self, by: RecordId, edit: RosterEdit) -> Result<Vec<RecordId>> {
        let by = self.officer_or_acting(by);
        if let Some(me) = self.acting_officer().filter(|me| *me != by) {
            return Err(ServiceError::Rule(
                crate::domain::rules::Refusal::NotTheActingOfficer {
                    id: RecordId::new(Kind::Assignment, 0),
                    field: "by".into(),
                    given: by,
                    acting: me,
                },
            ));
        }
        match self.store().get(by)? {
            Some(Record::Officer(o))
                if matches!(o.role, OfficerRole::Supervisor | OfficerRole::Admin) => {}
            Some(Record::Officer(o)) => {
                use crate::i18n::Lang;
                return Err(ServiceError::invalid(
                    format!(
                        "{by} là cán bộ {}: chỉ chỉ huy hoặc quản trị được sửa phân công",
                        o.role.label(Lang::Vi)
                    ),
                    format!(
                        "{by} is a {} officer: only a supervisor or an administrator edits a roster",
                        o.role.label(Lang::En)
                    ),
                ));
            }
            _ => return Err(ServiceError::NotFound(by)),
        }
        let changed: Vec<Assignment> = match edit {
            RosterEdit::Add(mut a) => {
                // An addition is a new assignment: the service numbers it. One carrying a
                // number would replace that assignment (or claim a number out of turn)
                // under the name of an addition.
                if a.id.num() != 0 {
                    return Err(ServiceError::invalid(
                        format!(
                            "phân công thêm mới không mang số, nhưng phân công này ghi {}: hãy chuyển hoặc đổi một phân công có sẵn",
                            a.id
                        ),
                        format!(
                            "an addition carries no number, but this one names {}: move or swap an existing assignment instead",
                            a.id
                        ),
                    ));
                }
                if !matches!(self.store().get(a.officer_id)?, Some(Record::Officer(_))) {
                    return Err(ServiceError::NotFound(a.officer_id));
                }
                a.post = crate::domain::text::nfc(a.post.trim());
                vec![a]
            }
            RosterEdit::Move {
                id,
                date,
                shift,
                post,
            } => {
                let mut a = self.assignment(id)?;
                a.date = date;
                a.shift = shift;
                a.post = crate::domain::text::nfc(post.trim());
                vec![a]
            }
            RosterEdit::Swap { first, second } => {
                let mut a = self.assignment(first)?;
                let mut b = self.assignment(second)?;
                if a.campaign_id != b.campaign_id {
                    return Err(ServiceError::invalid(
                        format!(
                            "{first} và {second} thuộc hai đợt khác nhau: chỉ đổi trong một bảng phân công"
                        ),
                        format!(
                            "{first} and {second} are in different campaigns: swap within one roster"
                        ),
                    ));
                }
                if a.officer_id == b.officer_id {
                    return Err(ServiceError::invalid(
                        format!("{first} và {second} cùng một cán bộ: không có gì để đổi"),
                        format!("{first} and {second} are the same officer's: nothing to swap"),
                    ));
                }
                std::mem::swap(&mut a.officer_id, &mut b.officer_id);
                vec![a, b]
            }
        };
        self.write_assignments(changed)
    }

    /// A supervisor's `save` of one assignment: the same checks as a roster edit.
    pub(super) fn save_assignment(&self, mut a: Assignment) -> Result<RecordId> {
        if !matches!(self.store().get(a.officer_id)?, Some(Record::Officer(_))) {
            return Err(ServiceError::NotFound(a.officer_id));
        }
        a.post = crate::domain::text::nfc(a.post.trim());
        let written = self.write_assignments(vec![a])?;
        written.first().copied().ok_or_else(|| {
            ServiceError::invalid("không ghi được phân công nào", "no assignment was written")
        })
    }

    /// Refuses assignments that leave their campaign's days or posts, or that create a
    /// double booking or a short rest the roster does not already have. Every write of an
    /// assignment passes here: a roster edit, a `save`, an import.
    pub(super) fn refuse_roster_problems(&self, changed: &[Assignment]) -> Result<()> {
        let mut campaigns: Vec<RecordId> = changed.iter().map(|a| a.campaign_id).collect();
        campaigns.sort();
        campaigns.dedup();
        for campaign_id in campaigns {
            let campaign = self.campaign(campaign_id)?;
            let ours: Vec<&Assignment> = changed
                .iter()
                .filter(|a| a.campaign_id == campaign_id)
                .collect();
            for a in &ours {
                if a.date < campaign.start || a.date > campaign.end {
                    use crate::i18n::Lang::{En, Vi};
                    return Err(ServiceError::invalid(
                        format!(
                            "{}: {} nằm ngoài đợt ({} – {}): chọn một ngày trong đợt",
                            a.id,
                            Vi.date(a.date),
                            Vi.date(campaign.start),
                            Vi.date(campaign.end)
                        ),
                        format!(
                            "{}: {} is outside the campaign ({} – {}): choose a day within it",
                            a.id,
                            En.date(a.date),
                            En.date(campaign.start),
                            En.date(campaign.end)
                        ),
                    ));
                }
                if !campaign.posts.contains(&a.post) {
                    let posts = campaign.posts.join("; ");
                    return Err(ServiceError::invalid(
                        format!(
                            "{}: {:?} không phải chốt của đợt (một trong: {posts})",
                            a.id, a.post
                        ),
                        format!(
                            "{}: {:?} is not a post of the campaign (one of: {posts})",
                            a.id, a.post
                        ),
                    ));
                }
            }
            let near = self.assignments_near(&campaign)?;
            let before = roster::check(&campaign, &near, self.roster_rules());
            let mut after_roster: Vec<Assignment> = near
                .into_iter()
                .filter(|a| !changed.iter().any(|c| c.id == a.id))
                .collect();
            after_roster.extend(ours.into_iter().cloned());
            let after = roster::check(&campaign, &after_roster, self.roster_rules());
            let created = roster::new_problems(&before, &after);
            if !created.is_empty() {
                return Err(ServiceError::RosterRefused(created));
            }
        }
        Ok(())
    }

    /// Checks and writes assignments in one transaction (both sides of a swap together). A
    /// new assignment (number 0) gets its number only once the checks pass, so a refused
    /// edit uses none.
    fn write_assignments(&self, changed: Vec<Assignment>) -> Result<Vec<RecordId>> {
        let _roster = self.roster_gate();
        self.refuse_roster_problems(&changed)?;
        let mut records: Vec<Record> = changed.into_iter().map(Record::Assignment).collect();
        records.iter().try_for_each(super::refuse_hostile_text)?;
        for record in records.iter_mut().filter(|r| r.id().num() == 0) {
            let num = self.store().reserve_ids(Kind::Assignment, 1)?;
            record.set_id(RecordId::new(Kind::Assignment, num));
        }
        self.write_records(&records)?;
        self.after_write();
        Ok(records.iter().map(Record::id).collect())
    }
}
