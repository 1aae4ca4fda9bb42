//! Fictional names in the real patterns of Lai Châu's peoples (see `docs/domain.md`): family
//! name first, a middle name that often carries gender (`Văn`, `Thị`, Mông `A`/`Seo`), then
//! the given name. Pools are ordered most common first and drawn with a skew, so that
//! collisions such as several `Nguyễn Văn Hùng` happen as they do in real registers.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{chance, pick, skewed, weighted};
use crate::domain::Gender;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ethnic {
    Kinh,
    Thai,
    Mong,
    Dao,
    HaNhi,
    Giay,
    Lu,
    LaHu,
    Hoa,
}

impl Ethnic {
    /// The Vietnamese name of the people, as the `ethnicity` field stores it.
    pub fn label(self) -> &'static str {
        match self {
            Ethnic::Kinh => "Kinh",
            Ethnic::Thai => "Thái",
            Ethnic::Mong => "Mông",
            Ethnic::Dao => "Dao",
            Ethnic::HaNhi => "Hà Nhì",
            Ethnic::Giay => "Giáy",
            Ethnic::Lu => "Lự",
            Ethnic::LaHu => "La Hủ",
            Ethnic::Hoa => "Hoa",
        }
    }

    /// Roughly the province's make-up (Thái, Mông about a quarter each), which is also who
    /// the local police mostly deal with.
    pub fn local(rng: &mut ChaCha8Rng) -> Ethnic {
        weighted(
            rng,
            &[
                (Ethnic::Thai, 30),
                (Ethnic::Mong, 24),
                (Ethnic::Kinh, 16),
                (Ethnic::Dao, 13),
                (Ethnic::HaNhi, 4),
                (Ethnic::Giay, 5),
                (Ethnic::Lu, 3),
                (Ethnic::LaHu, 3),
                (Ethnic::Hoa, 2),
            ],
        )
    }

    /// Travellers staying in lodging: more Kinh (officials, traders, tourists).
    pub fn traveller(rng: &mut ChaCha8Rng) -> Ethnic {
        weighted(
            rng,
            &[
                (Ethnic::Kinh, 52),
                (Ethnic::Thai, 18),
                (Ethnic::Mong, 12),
                (Ethnic::Dao, 8),
                (Ethnic::Giay, 3),
                (Ethnic::HaNhi, 2),
                (Ethnic::Lu, 1),
                (Ethnic::LaHu, 1),
                (Ethnic::Hoa, 3),
            ],
        )
    }
}

struct Pool {
    families: &'static [(&'static str, u32)],
    male_middle: &'static [(&'static str, u32)],
    female_middle: &'static [(&'static str, u32)],
    male_given: &'static [&'static str],
    female_given: &'static [&'static str],
}

const VAN: &[(&str, u32)] = &[("Văn", 1)];
const THI: &[(&str, u32)] = &[("Thị", 1)];

fn pool(e: Ethnic) -> &'static Pool {
    match e {
        Ethnic::Kinh => &KINH,
        Ethnic::Thai => &THAI,
        Ethnic::Mong => &MONG,
        Ethnic::Dao => &DAO,
        Ethnic::HaNhi => &HA_NHI,
        Ethnic::Giay => &GIAY,
        Ethnic::Lu => &LU,
        Ethnic::LaHu => &LA_HU,
        Ethnic::Hoa => &HOA,
    }
}

// Nguyễn is about 38 % of Kinh people; the weights follow that shape.
#[rustfmt::skip]
const KINH: Pool = Pool {
    families: &[
        ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 4),
        ("Phan", 4), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Ngô", 1), ("Hồ", 1), ("Dương", 1),
        ("Đinh", 1), ("Đào", 1), ("Trịnh", 1),
    ],
    male_middle: &[
        ("Văn", 55), ("Đức", 8), ("Minh", 8), ("Quang", 6), ("Xuân", 5), ("Hữu", 5),
        ("Mạnh", 4), ("Thanh", 4), ("Tiến", 3), ("Ngọc", 2),
    ],
    female_middle: &[
        ("Thị", 70), ("Thu", 6), ("Thanh", 6), ("Ngọc", 6), ("Hồng", 5), ("Kim", 4), ("Minh", 3),
    ],
    // Hùng and Hưng sit side by side on purpose: they fold to the same key.
    male_given: &[
        "Hùng", "Dũng", "Hưng", "Tuấn", "Minh", "Nam", "Long", "Thắng", "Cường", "Hải", "Sơn",
        "Đức", "Hòa", "Quang", "Trung", "Thành", "Tùng", "Phong", "Kiên", "Bình", "Dục", "Lâm",
    ],
    female_given: &[
        "Hương", "Lan", "Thủy", "Hoa", "Hà", "Linh", "Mai", "Hằng", "Nga", "Trang", "Huyền",
        "Thảo", "Ánh", "Yến", "Phương", "Dung", "Nhung", "Loan", "Hạnh", "Xuân", "Hòa",
    ],
};

#[rustfmt::skip]
const THAI: Pool = Pool {
    families: &[
        ("Lò", 22), ("Lường", 10), ("Quàng", 10), ("Tòng", 8), ("Cà", 8), ("Hoàng", 8),
        ("Lù", 6), ("Cầm", 6), ("Vì", 6), ("Lềm", 5), ("Điêu", 5), ("Đèo", 3),
    ],
    male_middle: VAN,
    female_middle: THI,
    male_given: &[
        "Pánh", "Ún", "Hùng", "Khăm", "Hặc", "Phong", "Kiên", "Thoan", "Xiêng", "Chiến", "Bun",
        "Inh", "Pọm", "Tiến", "Dũng", "Sinh",
    ],
    female_given: &[
        "Xuân", "Ín", "Sương", "Thoa", "Hoa", "Ọn", "Lả", "Bích", "Kim", "Ơn", "Duyên",
    ],
};

#[rustfmt::skip]
const MONG: Pool = Pool {
    families: &[
        ("Giàng", 18), ("Sùng", 14), ("Vàng", 14), ("Thào", 12), ("Lý", 10), ("Mùa", 8),
        ("Vừ", 6), ("Hầu", 5), ("Hạng", 4), ("Lầu", 4), ("Cứ", 3), ("Tráng", 3),
    ],
    male_middle: &[("A", 50), ("Seo", 20), ("Páo", 10), ("Mí", 10)],
    female_middle: THI,
    male_given: &[
        "Sử", "Dính", "Chư", "Pó", "Chứ", "Lử", "Phứ", "Dế", "Khua", "Tủa", "Sình", "Vảng",
        "Dơ", "Chá", "Súa", "Nủ", "Dìa", "Của", "Lồng",
    ],
    female_given: &[
        "Mỷ", "Dở", "Súa", "Pà", "Chía", "Dợ", "Mai", "Sua", "Mua", "Ly", "Chi", "Dinh",
    ],
};

#[rustfmt::skip]
const DAO: Pool = Pool {
    families: &[
        ("Bàn", 20), ("Triệu", 18), ("Đặng", 14), ("Tẩn", 14), ("Phàn", 10), ("Lý", 10),
        ("Chu", 8), ("Lưu", 6),
    ],
    male_middle: &[("Văn", 40), ("Láo", 20), ("Khánh", 10), ("Ông", 8), ("Sành", 6), ("Kiềm", 6)],
    female_middle: &[("Thị", 70), ("Mý", 30)],
    male_given: &[
        "Mình", "Phương", "Chàn", "Lở", "Sài", "Quẩy", "Vảng", "Kiều", "Châu", "Chiêu", "Tả",
        "Lìu", "Pao",
    ],
    female_given: &["Mẩy", "Lai", "Chạn", "Xoan", "Phương", "Dung", "Chòi", "Nái", "Mây"],
};

#[rustfmt::skip]
const HA_NHI: Pool = Pool {
    families: &[("Lò", 20), ("Chu", 18), ("Pờ", 12), ("Lỳ", 12), ("Phìn", 8), ("Ly", 6)],
    male_middle: &[("Xá", 30), ("Gơ", 20), ("A", 20), ("Hà", 15), ("Văn", 15)],
    female_middle: &[("Thị", 50), ("Mì", 30), ("Xá", 20)],
    male_given: &[
        "Khừ", "Hừ", "Phạ", "Chừ", "Sò", "Xe", "Pó", "Chà", "Sừ", "Go", "Dà", "Gọ",
    ],
    female_given: &["Mé", "Pà", "Chà", "Mì", "Xè", "Mò", "Gơ"],
};

#[rustfmt::skip]
const GIAY: Pool = Pool {
    families: &[
        ("Sần", 15), ("Hoàng", 15), ("Vàng", 10), ("Lò", 10), ("Lù", 8), ("Giàng", 8),
        ("Nông", 6), ("Lục", 5),
    ],
    male_middle: &[("Văn", 70), ("Seo", 15), ("A", 15)],
    female_middle: THI,
    male_given: &[
        "Giang", "Sang", "Páo", "Vần", "Chương", "Pháo", "Khiêm", "Sìn", "Lìn", "Dần",
    ],
    female_given: &["Mai", "Làn", "Dung", "Thu", "Ngân", "Lìn"],
};

#[rustfmt::skip]
const LU: Pool = Pool {
    families: &[("Tao", 20), ("Lò", 20), ("Lù", 15), ("Vàng", 10), ("Chang", 8), ("Vì", 6)],
    male_middle: VAN,
    female_middle: THI,
    male_given: &["Ún", "Ọ", "Pắn", "Phăn", "Khun", "Xiêng", "Pằn", "Ọi", "Khăm"],
    female_given: &["Xuân", "Khăm", "Ín", "Ỏn", "Bua"],
};

#[rustfmt::skip]
const LA_HU: Pool = Pool {
    families: &[("Lý", 20), ("Chang", 15), ("Phàn", 12), ("Lò", 10), ("Vàng", 8), ("Pờ", 6)],
    male_middle: &[("Xe", 30), ("A", 25), ("Lò", 20), ("Na", 10)],
    female_middle: &[("Thị", 60), ("Na", 20), ("Mi", 20)],
    male_given: &["Phà", "Xá", "Chừ", "Pú", "Lao", "Pha", "Gơ", "Phì", "Nu", "Chè", "Ló"],
    female_given: &["Mi", "Na", "Xà", "Pé", "Mé", "Lu"],
};

#[rustfmt::skip]
const HOA: Pool = Pool {
    families: &[
        ("Lương", 10), ("Hoàng", 10), ("Trương", 10), ("Lý", 10), ("Lâm", 10), ("Châu", 8),
        ("Vương", 8), ("Dương", 8), ("Diệp", 6),
    ],
    male_middle: &[("Văn", 40), ("Chí", 20), ("Quốc", 20), ("Gia", 20)],
    female_middle: &[("Thị", 50), ("Mỹ", 25), ("Lệ", 25)],
    male_given: &["Phúc", "Hưng", "Tài", "Minh", "Kiến", "Vinh", "Cường", "Lộc"],
    female_given: &["Hoa", "Mai", "Lệ", "Anh", "Phương", "Quyên"],
};

/// A Vietnamese-citizen name: family, middle, given.
pub fn vietnamese(rng: &mut ChaCha8Rng, e: Ethnic, gender: Gender) -> String {
    let p = pool(e);
    let family = weighted(rng, p.families);
    let female = gender == Gender::Female;
    let middles = if female {
        p.female_middle
    } else {
        p.male_middle
    };
    let givens = if female { p.female_given } else { p.male_given };
    // `Lò Lò Phà`, `Lê Minh Minh` are not names: draw again on a repeat (a few tries).
    let mut middle = weighted(rng, middles);
    for _ in 0..4 {
        if middle != family {
            break;
        }
        middle = weighted(rng, middles);
    }
    let mut given = *skewed(rng, givens);
    for _ in 0..4 {
        if given != middle && given != family {
            break;
        }
        given = *skewed(rng, givens);
    }
    // Both tone placements are in use (`Hòa`/`Hoà`, `Thủy`/`Thuỷ`); search must cope.
    let given = match given {
        "Hòa" if chance(rng, 0.35) => "Hoà",
        "Thủy" if chance(rng, 0.35) => "Thuỷ",
        g => g,
    };
    format!("{family} {middle} {given}")
}

/// Swaps a leading consonant the way names get mistyped or misheard (`s/x`, `ch/tr`, `d/gi`).
fn confuse(word: &str) -> Option<String> {
    const SWAPS: [(&str, &str); 6] = [
        ("S", "X"),
        ("X", "S"),
        ("Ch", "Tr"),
        ("Tr", "Ch"),
        ("Gi", "D"),
        ("D", "Gi"),
    ];
    SWAPS
        .iter()
        .find_map(|(from, to)| word.strip_prefix(from).map(|rest| format!("{to}{rest}")))
}

/// An alias a record might carry: a nickname, a misspelling, or the name without its middle.
pub fn alias(rng: &mut ChaCha8Rng, full_name: &str) -> Option<String> {
    const EPITHETS: [&str; 8] = ["Sẹo", "Đen", "Lùn", "Béo", "Còi", "Gầy", "Tây", "Già"];
    let words: Vec<&str> = full_name.split(' ').collect();
    let (family, given) = (words.first()?, words.last()?);
    let candidate = match rng.random_range(0..4) {
        0 => format!("{given} {}", pick(rng, &EPITHETS)),
        1 => {
            let mut w: Vec<String> = words.iter().map(|s| s.to_string()).collect();
            let last = w.len() - 1;
            w[last] = confuse(given)?;
            w.join(" ")
        }
        2 => format!("{family} {given}"),
        _ => format!("A {given}"),
    };
    (candidate != full_name).then_some(candidate)
}

/// A Chinese name: (pinyin as written in a passport, Hán characters, Sino-Vietnamese reading).
pub fn chinese(rng: &mut ChaCha8Rng, gender: Gender) -> (String, String, String) {
    #[rustfmt::skip]
    const FAMILIES: [(&str, &str, &str); 20] = [
        ("Wang", "王", "Vương"), ("Li", "李", "Lý"), ("Zhang", "张", "Trương"),
        ("Liu", "刘", "Lưu"), ("Chen", "陈", "Trần"), ("Yang", "杨", "Dương"),
        ("Huang", "黄", "Hoàng"), ("Zhao", "赵", "Triệu"), ("Wu", "吴", "Ngô"),
        ("Zhou", "周", "Chu"), ("Xu", "徐", "Từ"), ("Sun", "孙", "Tôn"), ("Ma", "马", "Mã"),
        ("Zhu", "朱", "Chu"), ("Hu", "胡", "Hồ"), ("Guo", "郭", "Quách"), ("He", "何", "Hà"),
        ("Lin", "林", "Lâm"), ("Luo", "罗", "La"), ("Gao", "高", "Cao"),
    ];
    #[rustfmt::skip]
    const MALE: [(&str, &str, &str); 14] = [
        ("Wei", "伟", "Vĩ"), ("Qiang", "强", "Cường"), ("Lei", "磊", "Lỗi"), ("Jun", "军", "Quân"),
        ("Yong", "勇", "Dũng"), ("Jie", "杰", "Kiệt"), ("Tao", "涛", "Đào"), ("Ming", "明", "Minh"),
        ("Gang", "刚", "Cương"), ("Hai", "海", "Hải"), ("Jianguo", "建国", "Kiến Quốc"),
        ("Zhiqiang", "志强", "Chí Cường"), ("Jianjun", "建军", "Kiến Quân"), ("Dong", "东", "Đông"),
    ];
    #[rustfmt::skip]
    const FEMALE: [(&str, &str, &str); 10] = [
        ("Fang", "芳", "Phương"), ("Min", "敏", "Mẫn"), ("Jing", "静", "Tĩnh"), ("Li", "丽", "Lệ"),
        ("Hong", "红", "Hồng"), ("Xia", "霞", "Hà"), ("Hui", "慧", "Tuệ"), ("Haiyan", "海燕", "Hải Yến"),
        ("Hongmei", "红梅", "Hồng Mai"), ("Lihua", "丽华", "Lệ Hoa"),
    ];
    let (fp, fh, fv) = *skewed(rng, &FAMILIES);
    let (gp, gh, gv) = if gender == Gender::Female {
        *skewed(rng, &FEMALE)
    } else {
        *skewed(rng, &MALE)
    };
    (
        format!("{fp} {gp}"),
        format!("{fh}{gh}"),
        format!("{fv} {gv}"),
    )
}

/// A Lao name in the usual French-style romanisation, given name first.
pub fn lao(rng: &mut ChaCha8Rng, gender: Gender) -> String {
    const MALE: [&str; 10] = [
        "Somsak",
        "Souksavanh",
        "Bounmy",
        "Khamphan",
        "Phonsavan",
        "Bouasone",
        "Thongchanh",
        "Vilayphone",
        "Khamla",
        "Sengphet",
    ];
    const FEMALE: [&str; 7] = [
        "Chanthala",
        "Manivanh",
        "Vanida",
        "Malaythong",
        "Sengdao",
        "Noy",
        "Keo",
    ];
    const FAMILIES: [&str; 12] = [
        "Phommavong",
        "Sisavath",
        "Keomany",
        "Vongsa",
        "Inthavong",
        "Sayavong",
        "Chanthavong",
        "Souvannaphoum",
        "Douangmala",
        "Phanthavong",
        "Luangrath",
        "Xayasith",
    ];
    let given = if gender == Gender::Female {
        pick(rng, &FEMALE)
    } else {
        pick(rng, &MALE)
    };
    format!("{given} {}", pick(rng, &FAMILIES))
}
