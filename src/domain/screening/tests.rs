//! One test per reason and per rule of the scorer.

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

use super::*;
use crate::i18n::Lang;

fn full(y: i32, m: u32, d: u32) -> Option<BirthDate> {
    NaiveDate::from_ymd_opt(y, m, d).map(BirthDate::Full)
}

fn id<'a>(names: &[&'a str], birth: Option<BirthDate>, gender: Gender) -> Identity<'a> {
    Identity {
        names: names.to_vec(),
        birth,
        gender,
        id_numbers: Vec::new(),
        nationality: Some("VNM"),
    }
}

fn codes(m: &Match) -> Vec<&'static str> {
    m.reasons.iter().map(Reason::code).collect()
}

fn th() -> Thresholds {
    Thresholds::default()
}

#[test]
fn an_equal_identity_number_decides_alone() {
    let mut guest = id(&["Trần Thị Lan"], full(1970, 1, 1), Gender::Female);
    guest.id_numbers = vec!["999 000 123 456"];
    let mut listed = id(&["Giàng A Sử"], full(1990, 5, 6), Gender::Male);
    listed.id_numbers = vec!["999000123456"];
    let m = score(&guest, &listed, &th());
    assert_eq!(m.band, Some(Band::Alert), "{m:?}");
    assert!(m.score >= 0.95);
    assert_eq!(codes(&m)[0], "id_equal");
}

#[test]
fn a_different_personal_number_pulls_down() {
    let mut guest = id(&["Lò Văn Pánh"], full(1990, 5, 6), Gender::Male);
    guest.id_numbers = vec!["999000123456"];
    let mut listed = guest.clone();
    let same = score(&guest, &listed, &th());
    listed.id_numbers = vec!["999000654321"];
    let m = score(&guest, &listed, &th());
    assert!(m.score < same.score);
    assert!(codes(&m).contains(&"id_contradicts"));
}

#[test]
fn date_of_birth_equal_year_only_near_and_contradicting() {
    let guest = |b| id(&["Lò Văn Pánh"], b, Gender::Male);
    let listed = id(&["Lò Văn Pánh"], full(1990, 5, 6), Gender::Male);
    let equal = score(&guest(full(1990, 5, 6)), &listed, &th());
    let year = score(&guest(Some(BirthDate::Year(1990))), &listed, &th());
    let near = score(&guest(full(1990, 6, 5)), &listed, &th());
    let other = score(&guest(full(1979, 2, 3)), &listed, &th());
    assert!(codes(&equal).contains(&"dob_equal"));
    assert!(codes(&year).contains(&"dob_year_only"));
    assert!(codes(&near).contains(&"dob_near"));
    assert!(codes(&other).contains(&"dob_contradicts"));
    assert_eq!(equal.band, Some(Band::Alert));
    assert_eq!(year.band, Some(Band::Alert));
    assert!(equal.score >= year.score && year.score >= near.score);
    assert!(other.band != Some(Band::Alert), "{other:?}");
    assert!(other.score < near.score);
}

#[test]
fn a_contradicting_gender_pulls_down() {
    let listed = id(&["Lò Văn Pánh"], full(1990, 5, 6), Gender::Male);
    let same = score(&listed, &listed, &th());
    let other = id(&["Lò Văn Pánh"], full(1990, 5, 6), Gender::Female);
    let m = score(&other, &listed, &th());
    assert!(m.score < same.score * 0.8, "{} vs {}", m.score, same.score);
    assert!(codes(&m).contains(&"gender_contradicts"));
    assert!(codes(&same).contains(&"gender_equal"));
}

#[test]
fn a_common_name_alone_never_alerts() {
    for name in ["Nguyễn Văn Hùng", "Giàng A Sử", "Lò Thị Xuân", "Wang Wei"] {
        let guest = id(&[name], None, Gender::Male);
        let listed = id(&[name], full(1990, 5, 6), Gender::Male);
        let m = score(&guest, &listed, &th());
        assert_eq!(m.band, Some(Band::Review), "{name}: {m:?}");
        assert!(codes(&m).contains(&"name_common"));
    }
    // A name with two uncommon parts may alert on its own.
    let guest = id(&["Friedrich Buchenberg"], None, Gender::Unknown);
    let m = score(&guest, &guest, &th());
    assert_eq!(m.band, Some(Band::Alert));
}

#[test]
fn hung_and_hung_with_other_marks_are_not_the_same_name() {
    let listed = id(&["Nguyễn Văn Hùng"], full(1990, 5, 6), Gender::Male);
    let other = id(&["Nguyễn Văn Hưng"], full(1984, 2, 9), Gender::Male);
    let m = score(&other, &listed, &th());
    assert_eq!(m.band, None, "{m:?}");
    let part = match &m.reasons[0] {
        Reason::NameAligned { parts, .. } => parts.iter().find(|p| p.listed == "hùng").cloned(),
        _ => None,
    };
    assert_eq!(part.map(|p| p.how), Some(How::MarksDiffer));
    // Typed without marks it is the same name.
    let plain = id(&["Nguyen Van Hung"], full(1990, 5, 6), Gender::Male);
    assert_eq!(score(&plain, &listed, &th()).band, Some(Band::Alert));
}

#[test]
fn nfd_input_scores_as_nfc() {
    let nfd: String = "Sùng Seo Dính".nfd().collect();
    let listed = id(&["Sùng Seo Dính"], full(1988, 1, 2), Gender::Male);
    let a = score(&id(&[&nfd], full(1988, 1, 2), Gender::Male), &listed, &th());
    let b = score(&listed, &listed, &th());
    assert_eq!(a.score, b.score);
    assert_eq!(a.band, Some(Band::Alert));
}

#[test]
fn confusable_sounds_swapped_order_and_dropped_middle_still_match() {
    let listed = id(&["Triệu Văn Sinh"], full(1985, 3, 3), Gender::Male);
    for guest in [
        "Chiệu Văn Xinh",
        "Sinh Triệu Văn",
        "Triệu Sinh",
        "Trieu Van Sinh",
    ] {
        let m = score(
            &id(&[guest], full(1985, 3, 3), Gender::Male),
            &listed,
            &th(),
        );
        assert_eq!(m.band, Some(Band::Alert), "{guest}: {m:?}");
    }
}

#[test]
fn chinese_names_match_across_han_pinyin_and_sino_vietnamese() {
    let mut guest = id(&["王伟"], full(1980, 7, 1), Gender::Male);
    guest.nationality = Some("CHN");
    let mut listed = id(&["Wang Wei", "Vương Vĩ"], full(1980, 7, 1), Gender::Male);
    listed.nationality = Some("CHN");
    let m = score(&guest, &listed, &th());
    assert_eq!(m.band, Some(Band::Alert), "{m:?}");
    // Hán against Hán: one different character is a different name.
    let other = id(&["王强"], full(1980, 7, 1), Gender::Male);
    let han = id(&["王伟"], full(1980, 7, 1), Gender::Male);
    assert_eq!(score(&other, &han, &th()).band, None);
    // The Sino-Vietnamese reading against itself.
    let viet = id(&["Vương Vĩ"], full(1980, 7, 1), Gender::Male);
    assert_eq!(score(&viet, &listed, &th()).band, Some(Band::Alert));
    assert!(codes(&m).contains(&"nationality_equal"));
}

#[test]
fn reasons_have_codes_and_labels_in_both_languages() {
    let mut guest = id(&["Lò Văn Pánh"], full(1990, 5, 6), Gender::Male);
    guest.nationality = Some("LAO");
    let listed = id(
        &["Lò Văn Panh"],
        Some(BirthDate::Year(1990)),
        Gender::Female,
    );
    let m = score(&guest, &listed, &th());
    for r in &m.reasons {
        let json = serde_json::to_value(r).expect("serializes");
        assert_eq!(json["code"], r.code(), "{json}");
        assert_ne!(r.label(Lang::Vi), r.label(Lang::En), "{}", r.code());
    }
    let json = serde_json::to_string(&m).expect("serializes");
    assert!(json.contains(r#""code":"dob_year_only""#), "{json}");
    assert!(json.contains(r#""code":"nationality_differs""#), "{json}");
    assert!(json.contains(r#""how":"marks_dropped""#), "{json}");
    assert_eq!(Band::Alert.label(Lang::Vi), "báo động");
}

#[test]
fn the_index_finds_the_same_person_and_not_everyone_called_nguyen_van() {
    let people: Vec<(String, Option<BirthDate>)> = [
        "Nguyễn Văn Hùng",
        "Nguyễn Văn Dũng",
        "Nguyễn Văn Nam",
        "Nguyễn Thị Lan",
        "Lò Văn Pánh",
        "Nguyễn Văn A",
    ]
    .iter()
    .map(|n| (n.to_string(), full(1990, 5, 6)))
    .collect();
    let index = ScreeningIndex::new(
        people
            .iter()
            .map(|(n, b)| id(&[n.as_str()], *b, Gender::Male)),
    );
    let guest = id(&["Nguyen Van Hùng"], full(1990, 5, 6), Gender::Male);
    let c: Vec<usize> = index.candidates(&guest).collect();
    // Hùng meets Hùng, and Dũng through `ung` plus the shared family name; not Nam, Lan,
    // Pánh or `Nguyễn Văn A`, who share only common parts.
    assert_eq!(c, [0, 1]);
    let hits = index.screen(&guest, &th());
    assert_eq!(hits[0].0, 0);
    assert_eq!(hits[0].1.band, Some(Band::Alert));
    // Dũng born the same day is worth a look, no more.
    assert!(
        hits[1..].iter().all(|h| h.1.band == Some(Band::Review)),
        "{hits:?}"
    );
    // One typo still meets, through a left-out letter and the shared family name.
    let typo = id(&["Nguyễn Văn Hùnh"], full(1990, 5, 6), Gender::Male);
    assert!(index.candidates(&typo).any(|n| n == 0));
    // A name of common parts only meets the names with all of them.
    let common = id(&["Nguyễn Văn A"], None, Gender::Male);
    assert_eq!(index.candidates(&common).collect::<Vec<_>>(), [5]);
    // An identity number meets on its own.
    let mut by_number = id(&["Somebody Else"], None, Gender::Male);
    by_number.id_numbers = vec!["999000123456"];
    let mut listed = id(&["Lò Văn Pánh"], None, Gender::Male);
    listed.id_numbers = vec!["999000123456"];
    let index = ScreeningIndex::new([listed]);
    assert_eq!(index.screen(&by_number, &th()).len(), 1);
}
