//! Name parts so common in Lai Châu's registers that agreeing on them says little about
//! whether two records are one person (see `docs/domain.md`, "People and names"). Kept as
//! data, in folded form (no marks, lower case), so that a clerk's `Nguyen` and `Nguyễn` weigh
//! the same. Edit the tables, not the scorer, when the registers show another pattern.
//!
//! Two weights per part: what agreeing on it is worth, and what it costs when one name has
//! it and the other has a different part in its place. They differ on purpose: two people
//! called `Nguyễn` are no evidence of anything, but `Nguyễn` against `Trần` is a real
//! disagreement about the family.

/// How a common part counts: (agreement weight, disagreement weight). A part not listed
/// counts (1.0, 1.0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Commonness {
    pub agree: f32,
    pub disagree: f32,
}

/// Middle names that mostly carry gender (`Văn` male, `Thị` female) or the Mông male
/// markers: nearly every name has one, so they weigh almost nothing either way.
const MARKERS: Commonness = Commonness {
    agree: 0.15,
    disagree: 0.3,
};

/// The most frequent family names: weak agreement, real disagreement.
const TOP_FAMILY: Commonness = Commonness {
    agree: 0.2,
    disagree: 0.8,
};

/// Other common family, clan and middle names.
const COMMON: Commonness = Commonness {
    agree: 0.35,
    disagree: 0.8,
};

/// Folded parts with their commonness. Sources: `docs/domain.md` (Kinh, Thái, Mông, Dao
/// family names; `Văn`, `Thị`, `A`, `Seo` middles) and the most common Chinese surnames in
/// pinyin and Hán characters, for guests from Yunnan. Ha Nhì, La Hủ and Lự names are drawn
/// from the same small family pools (`Lò`, `Chu`, `Lý`, `Pờ`, …).
#[rustfmt::skip]
const TABLE: &[(&str, Commonness)] = &[
    // Middle names and markers.
    ("van", MARKERS), ("thi", MARKERS), ("a", MARKERS), ("seo", MARKERS),
    ("pao", COMMON), ("mi", COMMON), ("my", COMMON), ("duc", COMMON), ("minh", COMMON),
    ("quang", COMMON), ("xuan", COMMON), ("huu", COMMON), ("ngoc", COMMON), ("thanh", COMMON),
    ("thu", COMMON), ("hong", COMMON), ("kim", COMMON), ("manh", COMMON), ("tien", COMMON),
    // Kinh family names, Nguyễn (about 38 %) first.
    ("nguyen", TOP_FAMILY), ("tran", TOP_FAMILY), ("le", TOP_FAMILY), ("pham", TOP_FAMILY),
    ("hoang", TOP_FAMILY), ("huynh", COMMON), ("vu", COMMON), ("vo", COMMON), ("phan", COMMON),
    ("dang", COMMON), ("bui", COMMON), ("do", COMMON), ("ho", COMMON), ("ngo", COMMON),
    ("duong", COMMON), ("dinh", COMMON), ("dao", COMMON), ("trinh", COMMON),
    // Thái family names.
    ("lo", TOP_FAMILY), ("luong", COMMON), ("quang", COMMON), ("tong", COMMON), ("ca", COMMON),
    ("lu", COMMON), ("lem", COMMON), ("cam", COMMON), ("dieu", COMMON), ("deo", COMMON),
    ("vi", COMMON),
    // Mông clan names.
    ("giang", TOP_FAMILY), ("sung", TOP_FAMILY), ("vang", TOP_FAMILY), ("thao", COMMON),
    ("ly", COMMON), ("mua", COMMON), ("vu", COMMON), ("hau", COMMON), ("hang", COMMON),
    ("lau", COMMON), ("cu", COMMON), ("trang", COMMON),
    // Dao family names.
    ("ban", COMMON), ("trieu", COMMON), ("tan", COMMON), ("chu", COMMON), ("luu", COMMON),
    // Chinese surnames: pinyin, then Hán characters.
    ("wang", TOP_FAMILY), ("li", TOP_FAMILY), ("zhang", TOP_FAMILY), ("liu", COMMON),
    ("chen", COMMON), ("yang", COMMON), ("huang", COMMON), ("zhao", COMMON), ("wu", COMMON),
    ("zhou", COMMON),
    ("王", TOP_FAMILY), ("李", TOP_FAMILY), ("张", TOP_FAMILY), ("刘", COMMON), ("陈", COMMON),
    ("杨", COMMON), ("黄", COMMON), ("赵", COMMON), ("吴", COMMON), ("周", COMMON),
];

/// The commonness of a folded name part, if it is one of the common ones. When a part is
/// listed twice (`quang` is both a middle and a Thái family name) the first entry counts.
pub fn commonness(folded: &str) -> Option<Commonness> {
    TABLE
        .iter()
        .find(|(part, _)| *part == folded)
        .map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_folded_and_the_markers_weigh_least() {
        for (part, _) in TABLE {
            assert_eq!(
                crate::domain::text::fold(part),
                *part,
                "{part} must be folded"
            );
        }
        assert_eq!(commonness("van"), Some(MARKERS));
        assert_eq!(commonness("nguyen"), Some(TOP_FAMILY));
        assert_eq!(commonness("pánh"), None);
        const { assert!(MARKERS.agree < TOP_FAMILY.agree && TOP_FAMILY.agree < COMMON.agree) };
    }
}
