//! What each form field is called, in both languages: one table for every form.

use crate::i18n::Lang;

use super::Form;

impl Form {
    pub fn label(key: &str, lang: Lang) -> String {
        let label = match key {
            "status" => lang.pick("Tình trạng mới", "New status"),
            "note" => lang.pick("Ghi chú", "Note"),
            "officer" => lang.pick("Cán bộ (mã CB)", "Officer (CB ID)"),
            "at" => lang.pick("Thời gian", "Time"),
            "place" => lang.pick("Địa điểm", "Place"),
            "date" => lang.pick("Ngày", "Date"),
            "violations" => lang.pick("Vi phạm (cách nhau ;)", "Violations (separated by ;)"),
            "outcome" => lang.pick("Kết quả", "Outcome"),
            "confirmed_by" => lang.pick(
                "Người xác nhận (cơ quan ra QĐ)",
                "Confirmed by (issuing agency)",
            ),
            "confirmed_at" => lang.pick("Xác nhận lúc", "Confirmed at"),
            "text" => lang.pick("Nội dung bàn giao", "Handover notes"),
            "remarks" => lang.pick("Ý kiến người nhận", "Remarks"),
            "shift_start" => lang.pick("Ca từ", "Shift from"),
            "shift_end" => lang.pick("Đến", "To"),
            "received_at" => lang.pick("Tiếp nhận lúc", "Received at"),
            "channel" => lang.pick("Hình thức", "Channel"),
            "content" => lang.pick("Nội dung tin báo", "What was reported"),
            "verifier" => lang.pick("Cán bộ xác minh (mã CB)", "Verifier (CB ID)"),
            "informant_name" => lang.pick("Người báo tin (MẬT)", "Informant (RESTRICTED)"),
            "informant_contact" => {
                lang.pick("Liên hệ người báo (MẬT)", "Informant contact (RESTRICTED)")
            }
            "new_deadline" => lang.pick("Gia hạn đến (trống: không)", "Extend to (empty: no)"),
            "reason" => lang.pick("Lý do gia hạn", "Reason for extension"),
            "occurred_on" => lang.pick("Ngày xảy ra", "Happened on"),
            "summary" => lang.pick("Nội dung vụ việc", "What happened"),
            "article" => lang.pick("Điều (BLHS 2015)", "Article (Penal Code 2015)"),
            "clause" => lang.pick("Khoản", "Clause"),
            "group" => lang.pick("Băng nhóm gây ra (mã BN)", "Caused by group (BN ID)"),
            "source" => lang.pick("Nguồn (mã TB/NK/NT)", "Source (TB/NK/NT ID)"),
            "assignee" => lang.pick("Cán bộ được phân công (mã CB)", "Officer assigned (CB ID)"),
            "shift" => lang.pick("Ca", "Shift"),
            "post" => lang.pick("Chốt/tuyến", "Post"),
            "role" => lang.pick("Vai trò", "Role"),
            "first" => lang.pick("Phân công thứ nhất (mã PC)", "First assignment (PC ID)"),
            "second" => lang.pick("Phân công thứ hai (mã PC)", "Second assignment (PC ID)"),
            other => return crate::domain::lodging::check_item_label(other, lang).to_string(),
        };
        label.to_string()
    }
}
