//! Penal Code 2015 offences (Bộ luật Hình sự 2015, amended 2017) and how grave each clause
//! is. The plan's clearance target for *serious cases* (trọng án, ≥ 95 %) needs to know
//! which cases are serious; this is the one place that says so.
//!
//! **The rule.** Article 9(1) classes a crime by the highest penalty of the bracket the
//! offence falls under — the clause (khoản) of its article: less serious (up to 3 years),
//! serious (over 3 to 7), very serious (over 7 to 15), particularly serious (over 15 to 20,
//! life or death). A case is a *serious case* (trọng án) when its clause is very serious
//! or particularly serious: a bracket whose highest penalty is above 7 years. That the
//! police's statistics draw the line there is how the Ministry's statistical guidance is
//! commonly read (*unverified*: check the current circular before real use).
//!
//! The brackets below are the Code's as amended in 2017, for the offences a border desk
//! meets. An article or clause not listed is refused where a case is saved, with the list of
//! those known: a new one is added here, once, with its brackets.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// The highest penalty of a clause's bracket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MaxPenalty {
    /// Years of imprisonment (0: no prison term, a fine or non-custodial reform at most).
    Years(u8),
    Life,
    Death,
}

super::codes::code_enum!(
    /// Article 9(1) of the Penal Code.
    Gravity {
        LessSerious = "less_serious", "ít nghiêm trọng", "less serious";
        Serious = "serious", "nghiêm trọng", "serious";
        VerySerious = "very_serious", "rất nghiêm trọng", "very serious";
        ParticularlySerious = "particularly_serious", "đặc biệt nghiêm trọng", "particularly serious";
    }
);

impl MaxPenalty {
    /// Article 9(1): the class of a crime whose bracket tops out at `self`.
    pub fn gravity(self) -> Gravity {
        match self {
            MaxPenalty::Years(0..=3) => Gravity::LessSerious,
            MaxPenalty::Years(4..=7) => Gravity::Serious,
            MaxPenalty::Years(8..=15) => Gravity::VerySerious,
            MaxPenalty::Years(_) | MaxPenalty::Life | MaxPenalty::Death => {
                Gravity::ParticularlySerious
            }
        }
    }
}

impl Gravity {
    /// A serious case (trọng án): very serious or particularly serious.
    pub fn is_serious_case(self) -> bool {
        matches!(self, Gravity::VerySerious | Gravity::ParticularlySerious)
    }
}

use MaxPenalty::{Death, Life, Years};

/// (article, Vietnamese name, English name, highest penalty of clauses 1, 2, …).
#[rustfmt::skip]
const ARTICLES: &[(u16, &str, &str, &[MaxPenalty])] = &[
    (123, "Giết người", "Murder", &[Death, Years(15)]),
    (134, "Cố ý gây thương tích", "Intentional injury",
        &[Years(3), Years(6), Years(10), Years(14), Life, Years(2)]),
    (150, "Mua bán người", "Human trafficking", &[Years(10), Years(15), Life]),
    (151, "Mua bán người dưới 16 tuổi", "Trafficking of a person under 16",
        &[Years(12), Years(20), Life]),
    (168, "Cướp tài sản", "Robbery", &[Years(10), Years(15), Years(20), Life]),
    (169, "Bắt cóc nhằm chiếm đoạt tài sản", "Kidnapping for ransom",
        &[Years(7), Years(12), Years(18), Life]),
    (170, "Cưỡng đoạt tài sản", "Extortion", &[Years(5), Years(10), Years(15), Years(20)]),
    (171, "Cướp giật tài sản", "Snatching", &[Years(5), Years(10), Years(15), Years(20)]),
    (173, "Trộm cắp tài sản", "Theft", &[Years(3), Years(7), Years(15), Years(20)]),
    (174, "Lừa đảo chiếm đoạt tài sản", "Fraud", &[Years(3), Years(7), Years(15), Life]),
    (188, "Buôn lậu", "Smuggling", &[Years(3), Years(7), Years(15), Years(20)]),
    (232, "Vi phạm quy định về khai thác, bảo vệ rừng", "Illegal logging",
        &[Years(3), Years(7), Years(12)]),
    (244, "Vi phạm quy định về quản lý, bảo vệ động vật nguy cấp, quý, hiếm",
        "Offences against endangered wildlife", &[Years(5), Years(10), Years(15)]),
    (248, "Sản xuất trái phép chất ma túy", "Illegal production of narcotics",
        &[Years(7), Years(15), Years(20), Death]),
    (249, "Tàng trữ trái phép chất ma túy", "Illegal possession of narcotics",
        &[Years(5), Years(10), Years(15), Life]),
    (250, "Vận chuyển trái phép chất ma túy", "Illegal transport of narcotics",
        &[Years(7), Years(15), Years(20), Death]),
    (251, "Mua bán trái phép chất ma túy", "Illegal trading in narcotics",
        &[Years(7), Years(15), Years(20), Death]),
    (304, "Chế tạo, tàng trữ, vận chuyển, sử dụng, mua bán trái phép vũ khí quân dụng",
        "Illegal military weapons", &[Years(7), Years(12), Years(15), Life]),
    (321, "Đánh bạc", "Gambling", &[Years(3), Years(7)]),
    (322, "Tổ chức đánh bạc hoặc gá bạc", "Organising gambling", &[Years(5), Years(10)]),
    (348, "Tổ chức, môi giới cho người khác xuất cảnh, nhập cảnh hoặc ở lại Việt Nam trái phép",
        "Organising illegal entry, exit or stay", &[Years(5), Years(10), Years(15)]),
];

/// An offence as a case records it: article and clause of the Penal Code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Charge {
    pub article: u16,
    /// Khoản, from 1.
    pub clause: u8,
}

impl std::fmt::Display for Charge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Đ{} k{}", self.article, self.clause)
    }
}

/// Why a charge is not known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnknownCharge {
    Article(u16),
    Clause { article: u16, clauses: usize },
}

impl UnknownCharge {
    pub fn said(&self, lang: Lang) -> String {
        let known: Vec<String> = ARTICLES.iter().map(|a| a.0.to_string()).collect();
        match self {
            UnknownCharge::Article(a) => lang.pick_owned(
                &format!(
                    "điều {a} chưa có trong bảng khung hình phạt (có: {}); thêm vào src/domain/offences.rs",
                    known.join(", ")
                ),
                &format!(
                    "article {a} is not in the table of penalty brackets (known: {}); add it in src/domain/offences.rs",
                    known.join(", ")
                ),
            ),
            UnknownCharge::Clause { article, clauses } => lang.pick_owned(
                &format!("điều {article} có khoản 1 đến {clauses}"),
                &format!("article {article} has clauses 1 to {clauses}"),
            ),
        }
    }
}

impl Charge {
    fn entry(
        self,
    ) -> Result<&'static (u16, &'static str, &'static str, &'static [MaxPenalty]), UnknownCharge>
    {
        ARTICLES
            .iter()
            .find(|a| a.0 == self.article)
            .ok_or(UnknownCharge::Article(self.article))
    }

    /// The highest penalty of the clause's bracket.
    pub fn max_penalty(self) -> Result<MaxPenalty, UnknownCharge> {
        let entry = self.entry()?;
        usize::from(self.clause)
            .checked_sub(1)
            .and_then(|i| entry.3.get(i).copied())
            .ok_or(UnknownCharge::Clause {
                article: self.article,
                clauses: entry.3.len(),
            })
    }

    pub fn gravity(self) -> Result<Gravity, UnknownCharge> {
        self.max_penalty().map(MaxPenalty::gravity)
    }

    /// A serious case (trọng án), by [`Gravity::is_serious_case`]. An unknown charge is not
    /// serious here; the service refuses to save one.
    pub fn is_serious(self) -> bool {
        self.gravity().is_ok_and(Gravity::is_serious_case)
    }

    /// Why the charge is not known, in `lang` (empty when it is).
    pub fn unknown_said(self, lang: Lang) -> String {
        self.gravity()
            .err()
            .map_or_else(String::new, |e| e.said(lang))
    }

    /// The offence's name in `lang` (the article number when unknown).
    pub fn name(self, lang: Lang) -> String {
        self.entry().map_or_else(
            |_| format!("{} {}", lang.pick("Điều", "Article"), self.article),
            |e| lang.pick(e.1, e.2).to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn charge(article: u16, clause: u8) -> Charge {
        Charge { article, clause }
    }

    #[test]
    fn article_9_classes_by_the_top_of_the_bracket() {
        assert_eq!(Years(3).gravity(), Gravity::LessSerious);
        assert_eq!(Years(4).gravity(), Gravity::Serious);
        assert_eq!(Years(7).gravity(), Gravity::Serious);
        assert_eq!(Years(8).gravity(), Gravity::VerySerious);
        assert_eq!(Years(15).gravity(), Gravity::VerySerious);
        assert_eq!(Years(16).gravity(), Gravity::ParticularlySerious);
        assert_eq!(Life.gravity(), Gravity::ParticularlySerious);
        assert_eq!(Death.gravity(), Gravity::ParticularlySerious);
    }

    #[test]
    fn serious_cases_per_article_and_clause() {
        // (article, clause, serious case?) — the clause decides, not the article.
        let expected = [
            (123, 1, true),  // murder: up to death
            (123, 2, true),  // 7–15 years
            (134, 1, false), // injury: up to 3 years
            (134, 2, false), // 2–6
            (134, 3, true),  // 5–10
            (134, 6, false), // preparing: up to 2
            (168, 1, true),  // robbery: 3–10
            (173, 1, false), // theft: up to 3
            (173, 2, false), // 2–7: serious, not a serious case
            (173, 3, true),  // 7–15
            (174, 4, true),
            (188, 2, false),
            (249, 1, false), // possession: 1–5
            (249, 2, true),  // 5–10
            (250, 1, false), // transport: 2–7
            (251, 1, false),
            (251, 2, true),
            (251, 4, true),
            (321, 1, false),
            (321, 2, false), // gambling 3–7
            (322, 2, true),  // organising gambling 5–10
            (348, 1, false),
            (150, 1, true),
        ];
        for (article, clause, serious) in expected {
            assert_eq!(
                charge(article, clause).is_serious(),
                serious,
                "Điều {article} khoản {clause}"
            );
        }
    }

    #[test]
    fn an_unknown_article_or_clause_is_named() {
        assert_eq!(charge(999, 1).gravity(), Err(UnknownCharge::Article(999)));
        assert_eq!(
            charge(173, 5).gravity(),
            Err(UnknownCharge::Clause {
                article: 173,
                clauses: 4
            })
        );
        assert_eq!(
            charge(173, 0).gravity(),
            Err(UnknownCharge::Clause {
                article: 173,
                clauses: 4
            })
        );
        assert!(
            UnknownCharge::Article(999)
                .said(Lang::En)
                .contains("known: 123")
        );
        assert!(!charge(999, 1).is_serious());
    }
}
