//! Engine tests on a small hand-made index: NFD against NFC both ways, order, exact marks,
//! prefixes, highlight positions on letters with stacked marks, junk queries, stable order.

use unicode_normalization::UnicodeNormalization;

use crate::domain::{Kind, RecordId};

use super::entry::Entry;
use super::index::SearchIndex;

fn index(names: &[&str]) -> SearchIndex {
    SearchIndex::new(
        names
            .iter()
            .enumerate()
            .map(|(i, n)| Entry::new(Kind::Person, RecordId::new(Kind::Person, i as u64 + 1), n))
            .collect(),
    )
}

fn titles(index: &SearchIndex, query: &str) -> Vec<String> {
    index
        .search(query, None, 10)
        .into_iter()
        .map(|h| h.title)
        .collect()
}

#[test]
fn nfd_queries_find_nfc_names_and_the_reverse() {
    let nfd_name: String = "Giàng A Sử".nfd().collect();
    let idx = index(&["Giàng A Sử", &nfd_name]);
    let nfd_query: String = "giàng sử".nfd().collect();
    assert_eq!(titles(&idx, &nfd_query).len(), 2);
    assert_eq!(titles(&idx, "giàng sử").len(), 2);
    // Titles are shown in NFC whatever was stored.
    assert!(titles(&idx, "giang").iter().all(|t| t == "Giàng A Sử"));
}

#[test]
fn words_in_any_order_and_a_missing_middle_name() {
    let idx = index(&["Giàng A Sử", "Lò Văn Pánh"]);
    assert_eq!(titles(&idx, "su giang"), ["Giàng A Sử"]);
    assert_eq!(titles(&idx, "Sử Giàng"), ["Giàng A Sử"]);
    assert_eq!(titles(&idx, "lo panh"), ["Lò Văn Pánh"]);
    assert!(
        titles(&idx, "giang panh").is_empty(),
        "every word must match"
    );
}

#[test]
fn typed_with_marks_exact_marks_rank_first() {
    let idx = index(&["Nguyễn Văn Hưng", "Nguyễn Văn Hùng"]);
    assert_eq!(titles(&idx, "hùng")[0], "Nguyễn Văn Hùng");
    assert_eq!(titles(&idx, "hưng")[0], "Nguyễn Văn Hưng");
    // Without marks both match, equal scores keep ID order.
    assert_eq!(titles(&idx, "hung"), ["Nguyễn Văn Hưng", "Nguyễn Văn Hùng"]);
    let idx = index(&["Dục", "Đức"]);
    assert_eq!(titles(&idx, "Đức")[0], "Đức");
    assert_eq!(titles(&idx, "duc").len(), 2);
}

#[test]
fn highlight_is_by_character_on_stacked_marks() {
    let idx = index(&["Nguyễn Thị Ngọc Ánh"]);
    let hit = &idx.search("ngoc anh", None, 1)[0];
    let chars: Vec<char> = hit.title.chars().collect();
    let lit: String = hit.highlight.iter().map(|&i| chars[i]).collect();
    assert_eq!(lit, "NgọcÁnh");
    // A prefix lights only what was typed: "nguy" in "Nguyễn", with the stacked ễ untouched.
    let hit = &idx.search("nguy", None, 1)[0];
    let lit: String = hit.highlight.iter().map(|&i| chars[i]).collect();
    assert_eq!(lit, "Nguy");
}

#[test]
fn junk_and_huge_queries_return_nothing_quietly() {
    let idx = index(&["Giàng A Sử"]);
    assert!(idx.search("", None, 10).is_empty());
    assert!(idx.search(" ,.;:!?-()", None, 10).is_empty());
    assert!(
        idx.search("\u{1b}\u{7}\u{0}\u{9b}\u{202e}", None, 10)
            .is_empty()
    );
    let long = "giàng ".repeat(200);
    assert_eq!(long.chars().count(), 1200);
    // 1,200 characters: cut to the first 200, which all say "giàng" — and only one token
    // can match each word, so no hit, and no hang.
    let started = std::time::Instant::now();
    assert!(idx.search(&long, None, 10).is_empty());
    assert!(started.elapsed().as_secs() < 2);
}

#[test]
fn field_prefixes_and_kind() {
    let mut a = Entry::new(Kind::Person, RecordId::new(Kind::Person, 1), "Giàng A Sử");
    let b = Entry::new(
        Kind::GuestStay,
        RecordId::new(Kind::GuestStay, 2),
        "Giàng A Sử",
    );
    a = a.with_fields(
        Some("1990-05-01"),
        Some("999012345678"),
        Some("Thu Lũm"),
        Some("wanted đang truy nã"),
    );
    let idx = SearchIndex::new(vec![a, b]);
    let ids = |q: &str| {
        idx.search(q, None, 10)
            .into_iter()
            .map(|h| h.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("giang sinh:1990"), ["DT-000001"]);
    assert_eq!(ids("giang dob:1990-05"), ["DT-000001"]);
    assert_eq!(ids("id:0123"), ["DT-000001"]);
    assert_eq!(ids("xa:thu giang"), ["DT-000001"]);
    assert_eq!(ids("commune:Thu-Lũm"), ["DT-000001"]);
    assert_eq!(ids("tt:truy giang"), ["DT-000001"]);
    assert_eq!(ids("giang kind:guests"), ["LT-000002"]);
    assert_eq!(ids("giang 1990"), ["DT-000001"]);
    assert_eq!(ids("giang sinh:1985"), Vec::<String>::new());
}

#[test]
fn replacing_entries_answers_like_a_fresh_build() {
    let first = [
        "Giàng A Sử",
        "Lò Văn Pánh",
        "Nguyễn Văn Hùng",
        "Vàng Seo Thổng",
    ];
    let renamed = [
        "Sùng A Dình",
        "Lò Thị Xuân",
        "Nguyễn Văn Hưng",
        "Thào Mí Chứ",
    ];
    let entry = |i: usize, name: &str| {
        Entry::new(
            Kind::Person,
            RecordId::new(Kind::Person, i as u64 + 1),
            name,
        )
    };
    let count = 6_000; // more than the unsorted tail allows: replace sorts again midway
    let mut live = SearchIndex::new((0..count).map(|i| entry(i, first[i % 4])).collect());
    for i in (0..count).rev() {
        live.replace(
            RecordId::new(Kind::Person, i as u64 + 1),
            &[entry(i, renamed[i % 4])],
        );
    }
    // A record that is gone, and a new one.
    live.replace(RecordId::new(Kind::Person, 1), &[]);
    live.replace(
        RecordId::new(Kind::Person, count as u64 + 1),
        &[entry(count, "Giàng A Sử")],
    );
    let mut names: Vec<Entry> = (1..count).map(|i| entry(i, renamed[i % 4])).collect();
    names.push(entry(count, "Giàng A Sử"));
    let fresh = SearchIndex::new(names);
    assert_eq!(live.len(), fresh.len());
    for q in [
        "sung a dinh",
        "giang a su",
        "lo thi xuan",
        "hưng",
        "thao mi chu",
        "panh",
    ] {
        assert_eq!(live.search(q, None, 50), fresh.search(q, None, 50), "{q}");
    }
}

/// Issue 16 friction: typing `văn ma…` (for Lò Văn Mạnh) listed drug groups first. They
/// meet `văn` in their leader's middle name and `ma` in "ma túy" — words most groups' names
/// carry, as most people's names carry `Văn` or `Thị` — and outranked the person whose
/// distinctive part (`Mạnh`) the query matched. What a word weighs comes from how many
/// names of the same population carry it, counted in the index.
#[test]
fn common_words_rank_below_a_matched_distinctive_part() {
    let families = ["Lò", "Cà", "Quàng", "Lường", "Tòng", "Hoàng"];
    let given = ["Inh", "Khăm", "Pánh", "Phong", "Thoan"];
    let mut people: Vec<String> = families
        .iter()
        .flat_map(|f| given.iter().map(move |g| format!("{f} Văn {g}")))
        .collect();
    people.extend(["Lò Thị Xuân", "Cà Thị Dinh", "Đặng Thị Mẩy", "Lò Văn Mạnh"].map(String::from));
    let groups = [
        "Đường dây mua bán ma túy do Phan Văn Bình cầm đầu",
        "Nhóm vận chuyển ma túy do Cà Thị Xuân cầm đầu",
        "Nhóm vận chuyển ma túy do Lưu Văn Mình cầm đầu",
        "Băng nhóm trộm cắp xe máy do Hoàng Văn Khăm cầm đầu",
        "Nhóm khai thác gỗ trái phép do Lềm Văn Phong cầm đầu",
    ];
    let mut entries: Vec<Entry> = people
        .iter()
        .enumerate()
        .map(|(i, n)| Entry::new(Kind::Person, RecordId::new(Kind::Person, i as u64 + 1), n))
        .collect();
    entries.extend(
        groups
            .iter()
            .enumerate()
            .map(|(i, n)| Entry::new(Kind::Group, RecordId::new(Kind::Group, i as u64 + 1), n)),
    );
    let idx = SearchIndex::new(entries);
    for (query, person) in [
        ("văn ma", "Lò Văn Mạnh"),
        ("văn mạ", "Lò Văn Mạnh"),
        ("thị ma", "Đặng Thị Mẩy"),
    ] {
        let hits = idx.search(query, None, 20);
        let at = |title: &str| hits.iter().position(|h| h.title == title);
        let person_at = at(person).unwrap_or_else(|| panic!("{query}: {person} not found"));
        for group in groups {
            if let Some(group_at) = at(group) {
                assert!(
                    group_at > person_at,
                    "{query}: {group:?} ({group_at}) above {person:?} ({person_at}): {hits:#?}"
                );
            }
        }
    }
}
