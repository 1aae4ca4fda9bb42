//! The console's views: one per collection the desk browses, with the names the `:` command
//! line takes (Vietnamese without marks, short forms, English) and the table columns.

use crate::domain::Kind;
use crate::domain::time::{DATE_TIME_WIDTH, DATE_WIDTH, DAY_WIDTH};
use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum View {
    /// "Shift at a glance": the open hits and tips as rows, with who is on duty, the last
    /// night's late declarations, the duty log and 14 days of charts beside them.
    Glance,
    Wanted,
    Hits,
    Groups,
    Watch,
    Sightings,
    Lodging,
    Guests,
    /// Late and undeclared guests per establishment and night (not a collection).
    LateDeclarations,
    Inspections,
    /// Establishments ranked for inspection (not a collection).
    ToInspect,
    Campaigns,
    Roster,
    Log,
    Handovers,
    /// Tips and denunciations (tin báo), overdue first.
    Tips,
    /// Cases (vụ án), the latest recorded first.
    Cases,
    /// The periodic report (báo cáo định kỳ): one row per figure, this period beside the
    /// previous one (not a collection; the period is `State::report`).
    Report,
}

pub struct Column {
    pub vi: &'static str,
    pub en: &'static str,
    /// Width in cells; 0 = takes the rest.
    pub width: u16,
}

/// A column literal; a macro so that the column lists can be promoted to `'static`.
macro_rules! col {
    ($vi:literal, $en:literal, $width:expr) => {
        Column {
            vi: $vi,
            en: $en,
            width: $width,
        }
    };
}

impl View {
    /// Tab order.
    pub const ALL: [View; 18] = [
        View::Glance,
        View::Wanted,
        View::Hits,
        View::Groups,
        View::Watch,
        View::Sightings,
        View::Lodging,
        View::Guests,
        View::LateDeclarations,
        View::Inspections,
        View::ToInspect,
        View::Campaigns,
        View::Roster,
        View::Log,
        View::Handovers,
        View::Tips,
        View::Cases,
        View::Report,
    ];

    /// The collection a view lists; `None` for the check lists, which the service computes.
    pub fn kind(self) -> Option<Kind> {
        Some(match self {
            View::Wanted => Kind::Wanted,
            View::Hits => Kind::Hit,
            View::Groups => Kind::Group,
            View::Watch => Kind::WatchEntry,
            View::Sightings => Kind::Sighting,
            View::Lodging => Kind::Establishment,
            View::Guests => Kind::GuestStay,
            View::Inspections => Kind::Inspection,
            View::Campaigns => Kind::Campaign,
            View::Roster => Kind::Assignment,
            View::Log => Kind::DutyLog,
            View::Handovers => Kind::Handover,
            View::Tips => Kind::Tip,
            View::Cases => Kind::Case,
            View::Glance | View::LateDeclarations | View::ToInspect | View::Report => {
                return None;
            }
        })
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            View::Glance => lang.pick("Tình hình ca trực", "Shift at a glance"),
            View::Wanted => lang.pick("Truy nã", "Wanted"),
            View::Hits => lang.pick("Nghi trùng", "Hits"),
            View::Groups => lang.pick("Băng nhóm", "Criminal groups"),
            View::Watch => lang.pick("Lưu động", "Watchlists"),
            View::Sightings => lang.pick("Phát hiện", "Sightings"),
            View::Lodging => lang.pick("Cơ sở lưu trú", "Lodging"),
            View::Guests => lang.pick("Khách lưu trú", "Guests"),
            // The window is `present::BOARD_NIGHTS`.
            View::LateDeclarations => {
                lang.pick("Khai báo muộn 7 đêm", "Late declarations, 7 nights")
            }
            View::Inspections => lang.pick("Kiểm tra", "Inspections"),
            View::ToInspect => lang.pick("Cần kiểm tra", "To inspect"),
            View::Campaigns => lang.pick("Cao điểm", "Campaigns"),
            View::Roster => lang.pick("Phân công", "Roster"),
            View::Log => lang.pick("Nhật ký", "Duty log"),
            View::Handovers => lang.pick("Giao ca", "Handovers"),
            View::Tips => lang.pick("Tin báo", "Tips"),
            View::Cases => lang.pick("Vụ án", "Cases"),
            View::Report => lang.pick("Báo cáo", "Report"),
        }
    }

    /// Names for `:`; the first is the canonical Vietnamese one.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            View::Glance => &["tinhhinh", "th", "glance"],
            View::Wanted => &["truyna", "tn", "wanted"],
            View::Hits => &["nghitrung", "nt", "hits", "trung"],
            View::Groups => &["bangnhom", "bn", "groups"],
            View::Watch => &["luudong", "ld", "watch", "watchlists"],
            View::Sightings => &["phathien", "ph", "sightings"],
            View::Lodging => &["luutru", "lt", "lodging"],
            View::Guests => &["khach", "kh", "guests"],
            View::LateDeclarations => &["khaibaomuon", "kbm", "late"],
            View::Inspections => &["kiemtra", "kt", "inspections"],
            View::ToInspect => &["cankiemtra", "ckt", "inspect-next", "toinspect"],
            View::Campaigns => &["caodiem", "cd", "campaigns"],
            View::Roster => &["phancong", "pc", "roster"],
            View::Log => &["nhatky", "nk", "log"],
            View::Handovers => &["giaoca", "gc", "handovers", "handover"],
            View::Tips => &["tinbao", "tb", "tips", "tip"],
            View::Cases => &["vuan", "va", "cases", "case"],
            View::Report => &["baocao", "bc", "report"],
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            // The ID says the kind of work (NT- a hit, TB- a tip): no column repeats it.
            View::Glance => &[
                col!("Mã", "ID", 10),
                col!("Hạn", "Time left", 14),
                col!("Nội dung", "About", 0),
            ],
            View::Wanted => &[
                col!("Mã", "ID", 10),
                col!("Họ tên", "Name", 22),
                col!("Sinh", "Born", 4),
                col!("Tình trạng", "Status", 12),
                col!("Nguy hiểm", "Danger", 12),
                col!("Quyết định", "Decision", 0),
            ],
            View::Hits => &[
                col!("Mã", "ID", 10),
                col!("Hạn", "Time left", 14),
                col!("Mức", "Band", 16),
                col!("Khách", "Guest", 20),
                col!("Đối tượng", "Listed person", 0),
            ],
            View::Groups => &[
                col!("Mã", "ID", 10),
                col!("Tên nhóm", "Name", 22),
                col!("Loại", "Kind", 13),
                col!("TV", "Mem", 3),
                col!("Lập hồ sơ", "Filed", DATE_WIDTH),
                col!("Tình trạng", "Status", 0),
            ],
            View::Watch => &[
                col!("Mã", "ID", 10),
                col!("Họ tên", "Name", 22),
                col!("Mức", "Risk", 11),
                col!("Hạn rà soát", "Review", DATE_WIDTH),
                col!("Lý do", "Reason", 0),
            ],
            View::Sightings => &[
                col!("Mã", "ID", 10),
                col!("Thời gian", "Time", DATE_TIME_WIDTH),
                col!("Đối tượng", "Entry", 10),
                col!("Địa điểm", "Place", 0),
            ],
            View::Lodging => &[
                col!("Mã", "ID", 10),
                col!("Tên cơ sở", "Name", 26),
                col!("Loại", "Kind", 10),
                col!("Xã/phường", "Commune", 16),
                col!("Rủi ro", "Risk", 0),
            ],
            View::Guests => &[
                col!("Mã", "ID", 10),
                col!("Họ tên khách", "Guest", 22),
                col!("QT", "Nat", 4),
                col!("Đến", "Check-in", DATE_TIME_WIDTH),
                col!("Cơ sở", "Place", 0),
            ],
            View::LateDeclarations => &[
                col!("Mã", "ID", 10),
                col!("Cơ sở", "Establishment", 20),
                col!("Đêm", "Night", DAY_WIDTH),
                col!("Muộn", "Late", 5),
                col!("Chưa TB", "Undecl", 7),
                col!("Mức phạt", "Fine band", 10),
                col!("Xã/phường", "Commune", 0),
            ],
            View::ToInspect => &[
                col!("Mã", "ID", 10),
                col!("Cơ sở", "Establishment", 22),
                col!("Điểm", "Score", 5),
                col!("Lý do", "Reasons", 0),
            ],
            View::Inspections => &[
                col!("Mã", "ID", 10),
                col!("Ngày", "Date", DATE_WIDTH),
                col!("Cơ sở", "Establishment", 26),
                col!("Vi phạm", "Violations", 0),
            ],
            View::Campaigns => &[
                col!("Mã", "ID", 10),
                col!("Từ", "From", DATE_WIDTH),
                col!("Đến", "To", DATE_WIDTH),
                col!("Tên đợt", "Name", 0),
            ],
            View::Roster => &[
                col!("Mã", "ID", 10),
                col!("Ngày", "Date", DATE_WIDTH),
                col!("Ca", "Shift", 8),
                col!("Cán bộ", "Officer", 20),
                col!("Chốt/tuyến", "Post", 0),
            ],
            View::Log => &[
                col!("Mã", "ID", 10),
                col!("Thời gian", "Time", DATE_TIME_WIDTH),
                col!("Nội dung", "Entry", 0),
            ],
            View::Tips => &[
                col!("Mã", "ID", 10),
                col!("Hạn", "Deadline", 15),
                col!("Tiếp nhận", "Received", DATE_TIME_WIDTH),
                col!("Địa điểm", "Place", 14),
                col!("Nội dung", "Reported", 0),
            ],
            // A mark (●) in TA: a serious case (trọng án); in BN: caused by a group.
            View::Cases => &[
                col!("Mã", "ID", 10),
                col!("Ghi nhận", "Recorded", DATE_WIDTH),
                col!("Điều", "Charge", 8),
                col!("Tình trạng", "Status", 13),
                col!("TA", "Se", 2),
                col!("BN", "Gr", 2),
                col!("Nội dung", "What happened", 0),
            ],
            // 2 (marker) + 54 + 1 + 8 + 1 + 8 + 1 + 5 = 80. The counts are right-aligned,
            // so are their headings.
            View::Report => &[
                col!("Chỉ tiêu", "Figure", 0),
                col!("  Kỳ này", "    This", 8),
                col!("Kỳ trước", "  Before", 8),
                col!("  +/-", "  +/-", 5),
            ],
            View::Handovers => &[
                col!("Mã", "ID", 10),
                col!("Ca bắt đầu", "Shift start", DATE_TIME_WIDTH),
                col!("Người giao", "From", 20),
                col!("Ký", "Signed", 0),
            ],
        }
    }

    pub fn from_alias(name: &str) -> Option<View> {
        let name = crate::domain::text::fold(name.trim());
        View::ALL
            .into_iter()
            .find(|v| v.aliases().contains(&name.as_str()))
    }
}
