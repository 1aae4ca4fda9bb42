//! Which lodging establishments to inspect first: a score from what the desk knows about each
//! one, and the reasons behind it, so that an officer can see why a place is on the list.
//!
//! Points (the score is their sum; each factor is capped so that no single one buries the
//! others):
//!
//! | factor | points | cap |
//! |---|---|---|
//! | risk level of the establishment | high 30, medium 15, low 0 | 30 |
//! | late declarations in the last 30 days | 2 each | 30 (with undeclared) |
//! | undeclared guests in the last 30 days | 4 each | 30 (with late) |
//! | never inspected | 30 | |
//! | days since the last inspection | 1 per 6 days | 30 (180 days) |
//! | failed check items or violations at the last inspection (the larger count) | 6 each | 24 |
//! | screening hits among its guests | 15 each | 30 |
//!
//! Pure: the inputs are counted by the service; the day comes in as `today`.

use chrono::NaiveDate;
use serde::Serialize;

use super::codes::Risk;
use crate::i18n::Lang;

/// What the desk knows about one establishment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriorityInput {
    pub risk: Risk,
    /// Late declarations among the guests who arrived in the last 30 days.
    pub late: usize,
    /// Guests of the last 30 days never declared although their deadline has passed.
    pub undeclared: usize,
    pub last_inspection: Option<LastInspection>,
    /// Screening hits among its guests (guests whose identity comes close to a wanted person).
    pub hits: usize,
}

impl PriorityInput {
    /// An establishment of this risk with nothing else known: never inspected, no late
    /// declarations, no hits.
    pub fn new(risk: Risk) -> PriorityInput {
        PriorityInput {
            risk,
            late: 0,
            undeclared: 0,
            last_inspection: None,
            hits: 0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LastInspection {
    pub date: NaiveDate,
    pub failed_items: usize,
    pub violations: usize,
}

/// One reason an establishment is on the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    Risk {
        risk: Risk,
    },
    Declarations {
        late: usize,
        undeclared: usize,
    },
    NeverInspected,
    SinceInspection {
        days: i64,
        last: NaiveDate,
    },
    Findings {
        failed_items: usize,
        violations: usize,
        last: NaiveDate,
    },
    ScreeningHits {
        hits: usize,
    },
}

impl Reason {
    /// The reason in a sentence, as the command line and the console show it.
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Reason::Risk { risk }, _) => match lang {
                Lang::Vi => format!("rủi ro {}", risk.label(lang)),
                Lang::En => format!("{} risk", risk.label(lang)),
            },
            (Reason::Declarations { late, undeclared }, Lang::Vi) => match (late, undeclared) {
                (l, 0) => format!("{l} khai báo muộn/30 ngày"),
                (0, u) => format!("{u} chưa khai báo/30 ngày"),
                (l, u) => format!("{l} muộn, {u} chưa khai báo/30 ngày"),
            },
            (Reason::Declarations { late, undeclared }, Lang::En) => match (late, undeclared) {
                (l, 0) => format!("{l} late/30 days"),
                (0, u) => format!("{u} undeclared/30 days"),
                (l, u) => format!("{l} late, {u} undeclared/30 days"),
            },
            (Reason::NeverInspected, _) => {
                lang.pick("chưa kiểm tra lần nào", "never inspected").into()
            }
            (Reason::SinceInspection { days, .. }, Lang::Vi) => {
                format!("{days} ngày từ lần kiểm tra trước")
            }
            (Reason::SinceInspection { days, .. }, Lang::En) => {
                format!("{days} days since the last inspection")
            }
            (
                Reason::Findings {
                    failed_items,
                    violations,
                    ..
                },
                Lang::Vi,
            ) => format!("lần trước: {failed_items} mục không đạt, {violations} vi phạm"),
            (
                Reason::Findings {
                    failed_items,
                    violations,
                    ..
                },
                Lang::En,
            ) => format!("last inspection: failed {failed_items}, violations {violations}"),
            (Reason::ScreeningHits { hits }, Lang::Vi) => {
                format!("{hits} khách nghi trùng đối tượng truy nã hoặc lưu động")
            }
            (Reason::ScreeningHits { hits }, Lang::En) => {
                format!("screening hits: {hits}")
            }
        }
    }
}

impl Reason {
    /// The reason in a few words, for a table column.
    pub fn short(&self, lang: Lang) -> String {
        match (self, lang) {
            (Reason::Risk { risk }, Lang::Vi) => format!("rủi ro {}", risk.label(lang)),
            (Reason::Risk { risk }, Lang::En) => format!("{} risk", risk.label(lang)),
            (Reason::Declarations { late, undeclared }, Lang::Vi) => match (late, undeclared) {
                (l, 0) => format!("{l} muộn"),
                (0, u) => format!("{u} chưa TB"),
                (l, u) => format!("{l} muộn+{u} chưa TB"),
            },
            (Reason::Declarations { late, undeclared }, Lang::En) => match (late, undeclared) {
                (l, 0) => format!("{l} late"),
                (0, u) => format!("{u} undecl."),
                (l, u) => format!("{l} late+{u} undecl."),
            },
            (Reason::NeverInspected, _) => lang.pick("chưa KT lần nào", "never inspected").into(),
            (Reason::SinceInspection { days, .. }, Lang::Vi) => format!("KT {days} ngày trước"),
            (Reason::SinceInspection { days, .. }, Lang::En) => format!("inspected {days}d ago"),
            (
                Reason::Findings {
                    failed_items,
                    violations,
                    ..
                },
                _,
            ) => {
                let n = failed_items.max(violations);
                match lang {
                    Lang::Vi => format!("lần trước {n} lỗi"),
                    Lang::En => format!("{n} faults last time"),
                }
            }
            (Reason::ScreeningHits { hits }, Lang::Vi) => format!("{hits} nghi trùng"),
            (Reason::ScreeningHits { hits: 1 }, Lang::En) => "1 hit".to_string(),
            (Reason::ScreeningHits { hits }, Lang::En) => format!("{hits} hits"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Factor {
    #[serde(flatten)]
    pub reason: Reason,
    pub points: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Priority {
    pub score: u32,
    /// The factors that scored, most points first.
    pub factors: Vec<Factor>,
}

fn capped(count: usize, each: u32, cap: u32) -> u32 {
    u32::try_from(count)
        .unwrap_or(u32::MAX)
        .saturating_mul(each)
        .min(cap)
}

pub fn score(input: &PriorityInput, today: NaiveDate) -> Priority {
    let mut factors = Vec::new();
    let risk = match input.risk {
        Risk::High => 30,
        Risk::Medium => 15,
        Risk::Low => 0,
    };
    factors.push(Factor {
        reason: Reason::Risk { risk: input.risk },
        points: risk,
    });
    let declared = capped(input.late, 2, 30)
        .saturating_add(capped(input.undeclared, 4, 30))
        .min(30);
    factors.push(Factor {
        reason: Reason::Declarations {
            late: input.late,
            undeclared: input.undeclared,
        },
        points: declared,
    });
    match input.last_inspection {
        None => factors.push(Factor {
            reason: Reason::NeverInspected,
            points: 30,
        }),
        Some(last) => {
            let days = (today - last.date).num_days().max(0);
            factors.push(Factor {
                reason: Reason::SinceInspection {
                    days,
                    last: last.date,
                },
                points: capped(usize::try_from(days / 6).unwrap_or(0), 1, 30),
            });
            factors.push(Factor {
                reason: Reason::Findings {
                    failed_items: last.failed_items,
                    violations: last.violations,
                    last: last.date,
                },
                points: capped(last.failed_items.max(last.violations), 6, 24),
            });
        }
    }
    factors.push(Factor {
        reason: Reason::ScreeningHits { hits: input.hits },
        points: capped(input.hits, 15, 30),
    });
    factors.retain(|f| f.points > 0);
    // Stable: equal points keep the order above (risk, declarations, inspection, hits).
    factors.sort_by_key(|f| std::cmp::Reverse(f.points));
    Priority {
        score: factors.iter().map(|f| f.points).sum(),
        factors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        crate::domain::time::parse_date(text).unwrap_or_else(|| panic!("bad date {text}"))
    }

    const TODAY: &str = "2026-11-27";

    fn inspected(date: &str, failed_items: usize, violations: usize) -> Option<LastInspection> {
        Some(LastInspection {
            date: day(date),
            failed_items,
            violations,
        })
    }

    #[test]
    fn a_quiet_place_inspected_last_week_scores_almost_nothing() {
        let p = score(
            &PriorityInput {
                risk: Risk::Low,
                last_inspection: inspected("2026-11-20", 0, 0),
                ..PriorityInput::new(Risk::Low)
            },
            day(TODAY),
        );
        assert_eq!(p.score, 1);
        assert_eq!(
            p.factors[0].reason.text(Lang::En),
            "7 days since the last inspection"
        );
    }

    #[test]
    fn each_factor_adds_its_points_with_caps() {
        let p = score(
            &PriorityInput {
                risk: Risk::High,
                late: 4,
                undeclared: 1,
                last_inspection: inspected("2026-05-31", 2, 3),
                hits: 1,
            },
            day(TODAY),
        );
        let points: Vec<(String, u32)> = p
            .factors
            .iter()
            .map(|f| (f.reason.text(Lang::En), f.points))
            .collect();
        assert_eq!(
            points,
            [
                ("high risk".to_string(), 30),
                ("180 days since the last inspection".to_string(), 30),
                ("last inspection: failed 2, violations 3".to_string(), 18),
                ("screening hits: 1".to_string(), 15),
                ("4 late, 1 undeclared/30 days".to_string(), 12),
            ]
        );
        assert_eq!(p.score, 105);
        // Caps: 40 late declarations score 30, not 80; 5 hits 30; 9 failed items 24.
        let p = score(
            &PriorityInput {
                risk: Risk::Medium,
                late: 40,
                undeclared: 40,
                last_inspection: inspected("2020-01-01", 9, 0),
                hits: 5,
            },
            day(TODAY),
        );
        assert_eq!(p.score, 15 + 30 + 30 + 24 + 30);
    }

    #[test]
    fn never_inspected_ranks_above_recently_inspected() {
        let never = score(&PriorityInput::new(Risk::Low), day(TODAY));
        assert_eq!(never.score, 30);
        assert_eq!(never.factors[0].reason, Reason::NeverInspected);
        assert_eq!(
            never.factors[0].reason.text(Lang::Vi),
            "chưa kiểm tra lần nào"
        );
        let recent = score(
            &PriorityInput {
                risk: Risk::Medium,
                last_inspection: inspected("2026-11-01", 0, 0),
                ..PriorityInput::new(Risk::Low)
            },
            day(TODAY),
        );
        assert!(never.score > recent.score, "{never:?} {recent:?}");
    }

    #[test]
    fn reasons_read_in_both_languages() {
        let r = Reason::Declarations {
            late: 0,
            undeclared: 2,
        };
        assert_eq!(r.text(Lang::Vi), "2 chưa khai báo/30 ngày");
        assert_eq!(r.text(Lang::En), "2 undeclared/30 days");
        assert_eq!(r.short(Lang::Vi), "2 chưa TB");
        assert_eq!(r.short(Lang::En), "2 undecl.");
        let r = Reason::Risk { risk: Risk::High };
        assert_eq!(r.text(Lang::Vi), "rủi ro cao");
        assert_eq!(r.short(Lang::En), "high risk");
        let json = serde_json::to_value(Factor {
            reason: Reason::NeverInspected,
            points: 30,
        })
        .expect("json");
        assert_eq!(
            json,
            serde_json::json!({"reason": "never_inspected", "points": 30})
        );
    }
}
