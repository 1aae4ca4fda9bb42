//! When a criminal group was filed and when it was neutralised, and the rule that ties the
//! dates to the status: every group has a filing date; a group has a neutralised date exactly
//! when its status is `dismantled` (đã triệt phá — the only status that means neutralised;
//! `active` and `investigating` are both still on the books), and that date is not before
//! the filing date. Import names the column; a save refuses the record.
//!
//! Records stored before the dates existed decode with both empty. They are not given
//! invented dates: the periodic report counts them apart, as undated.

use chrono::NaiveDate;

use super::wanted::{CriminalGroup, GroupStatus};

/// What is wrong with a group's dates, and the import column it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateProblem {
    pub column: &'static str,
    /// Says the bad value and what to do, after the column name.
    pub message: crate::i18n::Said,
}

/// Checks the rule of the module doc.
pub fn check(
    status: GroupStatus,
    filed_on: Option<NaiveDate>,
    neutralised_on: Option<NaiveDate>,
) -> Result<(), DateProblem> {
    let problem = |column, vi: String, en: String| {
        Err(DateProblem {
            column,
            message: crate::i18n::Said::new(vi, en),
        })
    };
    let Some(filed) = filed_on else {
        return problem(
            "filed_on",
            "trống (ghi ngày lập hồ sơ nhóm, YYYY-MM-DD)".into(),
            "is empty (give the date the group was filed, YYYY-MM-DD)".into(),
        );
    };
    match (status, neutralised_on) {
        (GroupStatus::Dismantled, None) => problem(
            "neutralised_on",
            "trống nhưng trạng thái là dismantled (ghi ngày triệt phá, YYYY-MM-DD)".into(),
            "is empty but status is dismantled (give the date it was neutralised, YYYY-MM-DD)"
                .into(),
        ),
        (GroupStatus::Dismantled, Some(done)) if done < filed => problem(
            "neutralised_on",
            format!("\"{done}\" trước filed_on \"{filed}\" (nhóm bị triệt phá sau khi lập hồ sơ)"),
            format!(
                "\"{done}\" is before filed_on \"{filed}\" (a group is neutralised after it is filed)"
            ),
        ),
        (GroupStatus::Dismantled, Some(_)) => Ok(()),
        (other, Some(done)) => problem(
            "neutralised_on",
            format!(
                "là \"{done}\" nhưng trạng thái là {} (chỉ nhóm đã triệt phá có ngày này: xoá đi, hoặc đặt trạng thái dismantled)",
                other.code()
            ),
            format!(
                "is \"{done}\" but status is {} (only a dismantled group has this date: clear it, or set status dismantled)",
                other.code()
            ),
        ),
        (_, None) => Ok(()),
    }
}

impl CriminalGroup {
    pub fn check_dates(&self) -> Result<(), DateProblem> {
        check(self.status, self.filed_on, self.neutralised_on)
    }

    /// True when the group lacks a date its status calls for (a record stored before the
    /// dates existed): the report cannot place it in a period.
    pub fn undated(&self) -> bool {
        self.filed_on.is_none()
            || (self.status == GroupStatus::Dismantled && self.neutralised_on.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        Some(crate::domain::time::parse_date(s).expect("date"))
    }

    #[test]
    fn dates_follow_the_status() {
        use GroupStatus::*;
        assert!(check(Active, d("2026-01-02"), None).is_ok());
        assert!(check(UnderInvestigation, d("2026-01-02"), None).is_ok());
        assert!(check(Dismantled, d("2026-01-02"), d("2026-01-02")).is_ok());
        assert!(check(Dismantled, d("2026-01-02"), d("2026-05-01")).is_ok());
        let column = |r: Result<(), DateProblem>| r.map_err(|p| p.column);
        assert_eq!(column(check(Active, None, None)), Err("filed_on"));
        assert_eq!(
            column(check(Dismantled, d("2026-01-02"), None)),
            Err("neutralised_on")
        );
        assert_eq!(
            column(check(Active, d("2026-01-02"), d("2026-03-01"))),
            Err("neutralised_on")
        );
        let before = check(Dismantled, d("2026-01-02"), d("2026-01-01")).expect_err("before");
        assert_eq!(
            before.message.en,
            "\"2026-01-01\" is before filed_on \"2026-01-02\" (a group is neutralised after it is filed)"
        );
    }

    #[test]
    fn a_group_stored_before_the_dates_still_decodes() {
        let old = r#"{"id":"BN-000001","name":"Nhóm 1","kind":"drug","area":"Phong Thổ",
            "members":[],"transnational":false,"status":"dismantled"}"#;
        let g: CriminalGroup = serde_json::from_str(old).expect("decodes");
        assert_eq!((g.filed_on, g.neutralised_on), (None, None));
        assert!(g.undated());
        assert!(g.check_dates().is_err());
    }
}
