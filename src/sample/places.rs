//! Real places of Lai Châu (communes after the July 2025 reform with the district that older
//! records use, routes and border gates of plan 1207/KH-UBND) and the invented ones that go
//! with fictional records (posts, units, agencies, addresses). Spellings are from
//! `docs/domain.md`, marked there as unverified against NQ 1670.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{numbers, pick};
use crate::domain::Agency;

#[derive(Clone, Copy, Debug)]
pub struct Commune {
    /// `xã Bình Lư`, `phường Tân Phong`: with its level, as the new registers write it.
    pub name: &'static str,
    /// The district before 1 March 2025: `huyện Tam Đường`.
    pub district: &'static str,
    /// How many lodging places it has compared with others (town centres, gates, tourism).
    pub lodging_weight: u32,
}

const fn c(name: &'static str, district: &'static str, lodging_weight: u32) -> Commune {
    Commune {
        name,
        district,
        lodging_weight,
    }
}

const TP: &str = "thành phố Lai Châu";
const TU: &str = "huyện Than Uyên";
const TNU: &str = "huyện Tân Uyên";
const TD: &str = "huyện Tam Đường";
const PT: &str = "huyện Phong Thổ";
const SH: &str = "huyện Sìn Hồ";
const NN: &str = "huyện Nậm Nhùn";
const MT: &str = "huyện Mường Tè";

#[rustfmt::skip]
pub const COMMUNES: [Commune; 38] = [
    c("phường Tân Phong", TP, 14), c("phường Đoàn Kết", TP, 12),
    c("xã Mường Kim", TU, 2), c("xã Khoen On", TU, 1), c("xã Than Uyên", TU, 6),
    c("xã Mường Than", TU, 1),
    c("xã Pắc Ta", TNU, 1), c("xã Nậm Sỏ", TNU, 1), c("xã Tân Uyên", TNU, 5),
    c("xã Mường Khoa", TNU, 1),
    c("xã Bản Bo", TD, 1), c("xã Bình Lư", TD, 3), c("xã Tả Lèng", TD, 2), c("xã Khun Há", TD, 1),
    c("xã Sin Suối Hồ", PT, 4), c("xã Phong Thổ", PT, 7), c("xã Dào San", PT, 2),
    c("xã Sì Lở Lầu", PT, 1), c("xã Khổng Lào", PT, 1),
    c("xã Tủa Sín Chải", SH, 1), c("xã Sìn Hồ", SH, 4), c("xã Hồng Thu", SH, 1),
    c("xã Nậm Tăm", SH, 1), c("xã Pu Sam Cáp", SH, 1), c("xã Nậm Cuổi", SH, 1),
    c("xã Nậm Mạ", SH, 1),
    c("xã Lê Lợi", NN, 2), c("xã Nậm Hàng", NN, 1), c("xã Mường Mô", NN, 1),
    c("xã Hua Bum", NN, 1), c("xã Pa Tần", NN, 1),
    c("xã Bum Nưa", MT, 1), c("xã Bum Tở", MT, 1), c("xã Mường Tè", MT, 5),
    c("xã Thu Lũm", MT, 2), c("xã Pa Ủ", MT, 1), c("xã Mù Cả", MT, 1), c("xã Tà Tổng", MT, 1),
];

/// Communes on the Chinese border (as far as the public map shows; unverified).
pub const BORDER_COMMUNES: [&str; 8] = [
    "xã Sì Lở Lầu",
    "xã Dào San",
    "xã Phong Thổ",
    "xã Tủa Sín Chải",
    "xã Pa Tần",
    "xã Mù Cả",
    "xã Thu Lũm",
    "xã Mường Tè",
];

/// The key routes of plan 1207/KH-UBND.
pub const ROUTES: [&str; 4] = [
    "Lai Châu – Lào Cai (QL4D)",
    "Lai Châu – Ma Lù Thàng (QL12)",
    "Lai Châu – Mường Tè – U Ma Tu Khoòng",
    "Các xã biên giới",
];

pub const POSTS: [&str; 9] = [
    "Chốt Ma Lù Thàng",
    "Chốt U Ma Tu Khoòng",
    "Trạm kiểm soát QL4D Bình Lư",
    "Chốt QL12 Phong Thổ",
    "Chốt Pa Tần",
    "Chốt Mường Tè",
    "Chốt Dào San",
    "Tổ tuần tra cơ động QL4D",
    "Tổ tuần tra phường Đoàn Kết",
];

/// Where an officer might see someone: posts plus markets, bus stations, gates.
pub const SIGHTING_PLACES: [&str; 14] = [
    "Chốt Ma Lù Thàng",
    "Chốt U Ma Tu Khoòng",
    "Trạm kiểm soát QL4D Bình Lư",
    "Bến xe khách Lai Châu",
    "Chợ phiên Sìn Hồ",
    "Chợ trung tâm xã Phong Thổ",
    "Chợ Mường Tè",
    "Cửa khẩu Ma Lù Thàng",
    "Khu vực mốc biên giới xã Dào San",
    "Ngã ba Bình Lư",
    "Đèo Ô Quy Hồ (QL4D)",
    "QL12 đoạn qua xã Phong Thổ",
    "Bến xe xã Than Uyên",
    "Đường Trần Phú, phường Tân Phong",
];

pub const UNIT_PC02: &str = "Phòng Cảnh sát hình sự (PC02)";
pub const UNIT_PC04: &str = "Phòng Cảnh sát điều tra tội phạm về ma túy (PC04)";
pub const UNIT_PC06: &str = "Phòng Cảnh sát quản lý hành chính về TTXH (PC06)";
pub const UNIT_PC08: &str = "Phòng Cảnh sát giao thông (PC08)";
pub const UNIT_PV01: &str = "Phòng Tham mưu (PV01)";

/// Commune police units that appear in the officer list.
pub const COMMUNE_UNITS: [&str; 8] = [
    "Công an xã Thu Lũm",
    "Công an xã Phong Thổ",
    "Công an xã Dào San",
    "Công an xã Sìn Hồ",
    "Công an xã Mường Tè",
    "Công an xã Pa Tần",
    "Công an phường Tân Phong",
    "Công an phường Đoàn Kết",
];

/// Where a wanted person was last heard of.
pub const LAST_KNOWN: [&str; 12] = [
    "Khu vực cửa khẩu Ma Lù Thàng, xã Phong Thổ",
    "Có thể đã xuất cảnh sang Trung Quốc qua khu vực Kim Thủy Hà (Vân Nam)",
    "Khu vực biên giới xã Thu Lũm, gần cửa khẩu U Ma Tu Khoòng",
    "Làm thuê tại các lán trại khai thác rừng xã Mù Cả",
    "Thường lui tới bến xe khách Lai Châu",
    "Có thể đang ở tỉnh Lào Cai (khu vực Sa Pa)",
    "Có thể đang ở Hà Nội, làm thuê tự do",
    "Ẩn náu tại nương rẫy xã Dào San",
    "Khu vực xã Sìn Hồ, hay đi chợ phiên",
    "Có thể đã sang Lào qua tỉnh Điện Biên",
    "Khu vực phường Đoàn Kết",
    "Không rõ, đã bỏ địa phương từ lâu",
];

/// A province with its wanted-issuing agency (for decisions not from Lai Châu).
pub struct Province {
    pub name: &'static str,
    pub street: &'static str,
}

pub const LAI_CHAU: Province = Province {
    name: "Lai Châu",
    street: "đường Trần Phú",
};

pub const OTHER_PROVINCES: [Province; 6] = [
    Province {
        name: "Điện Biên",
        street: "đường Võ Nguyên Giáp",
    },
    Province {
        name: "Lào Cai",
        street: "đường Hoàng Liên",
    },
    Province {
        name: "Sơn La",
        street: "đường Tô Hiệu",
    },
    Province {
        name: "Thanh Hóa",
        street: "đường Lê Lợi",
    },
    Province {
        name: "Nghệ An",
        street: "đường Lê Hồng Phong",
    },
    Province {
        name: "Hà Nội",
        street: "phố Trần Hưng Đạo",
    },
];

/// The investigation agency (Cơ quan CSĐT) of a province. Address and phone are invented.
pub fn agency(rng: &mut ChaCha8Rng, p: &Province) -> Agency {
    let level = if p.name == "Hà Nội" {
        "thành phố"
    } else {
        "tỉnh"
    };
    Agency {
        name: format!("Cơ quan CSĐT Công an {level} {}", p.name),
        address: Some(format!(
            "Số {}, {}, {level} {}",
            rng.random_range(1..200),
            p.street,
            p.name
        )),
        phone: numbers::phone(rng),
    }
}

/// A postal address in a commune: a street number in town centres, a village elsewhere.
pub fn address(rng: &mut ChaCha8Rng, commune: &Commune) -> String {
    const STREETS: [&str; 6] = [
        "Trần Phú",
        "Lê Duẩn",
        "Trường Chinh",
        "Điện Biên Phủ",
        "Nguyễn Chí Thanh",
        "Hoàng Văn Thụ",
    ];
    const VILLAGES: [&str; 12] = [
        "Nà Ít",
        "Phiêng Lúc",
        "Hua Pầu",
        "Nậm Cha",
        "Co Muông",
        "Sà Phìn",
        "Tả Pìn",
        "Lao Chải",
        "Chu Va",
        "Nà Bó",
        "Pá Khoang",
        "Lùng Thàng",
    ];
    if commune.lodging_weight >= 4 {
        let street = pick(rng, &STREETS);
        format!(
            "Số {}, đường {street}, {}",
            rng.random_range(1..250),
            commune.name
        )
    } else {
        format!("Bản {}, {}", pick(rng, &VILLAGES), commune.name)
    }
}
