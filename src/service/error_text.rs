//! What the console says when the service refuses or fails, in the officer's language. The
//! error's own text (`Display`) is English for logs and the command line; the parts that
//! come from data (a message naming a field, a store path) stay as they are, behind a
//! sentence in the officer's language.

use crate::i18n::Lang;

use super::ServiceError;
use crate::store::StoreError;

impl ServiceError {
    pub fn label(&self, lang: Lang) -> String {
        let both = |vi: String, en: String| lang.pick_owned(&vi, &en);
        match self {
            ServiceError::NotFound(id) => both(
                format!("{id} không có trong kho dữ liệu"),
                format!("{id} is not in the store"),
            ),
            ServiceError::Import(problems) => both(
                format!("{} lỗi trong tệp nhập; không ghi gì", problems.len()),
                format!(
                    "{} problem(s) in the input; nothing was imported",
                    problems.len()
                ),
            ),
            ServiceError::RosterRefused(problems) => {
                let labels: Vec<String> = problems.iter().map(|p| p.label(lang)).collect();
                both(
                    format!("Không lưu: phân công sẽ gây {}", labels.join("; ")),
                    format!("Not saved: the edit would create {}", labels.join("; ")),
                )
            }
            ServiceError::SearchNotReady => both(
                "Đang nạp chỉ mục tìm kiếm…".into(),
                "Loading the search index…".into(),
            ),
            ServiceError::Forbidden(denial) => denial.label(lang),
            ServiceError::Locked => both(
                "Phiên làm việc đang khoá: nhập mã PIN để mở".into(),
                "The session is locked: type your PIN to unlock it".into(),
            ),
            ServiceError::Unlock(refused) => refused.label(lang),
            ServiceError::Rule(refusal) => refusal.label(lang),
            ServiceError::UnknownUser(why) => both(
                format!("Tài khoản không được nhận: {why}"),
                format!("Account not recognised: {why}"),
            ),
            ServiceError::TooManyLogons(user) => both(
                format!(
                    "Quá nhiều lần đăng nhập bị từ chối cho {user} trong phút này: chờ một phút rồi thử lại"
                ),
                format!(
                    "Too many refused log-ons for {user} this minute: wait a minute and try again"
                ),
            ),
            ServiceError::Refused(why) => {
                both(format!("Không được xem: {why}"), format!("Refused: {why}"))
            }
            ServiceError::Invalid(why) => {
                both(format!("Không hợp lệ: {why}"), format!("Not valid: {why}"))
            }
            // The two an officer must act on: the disk failed, the store is damaged.
            ServiceError::Store(StoreError::ReadOnly { reason }) => both(
                format!(
                    "kho dữ liệu chỉ đọc (store read-only): {reason}. Không lưu được gì cho đến khi sửa đĩa và khởi động lại trucban (thay đổi bị từ chối có thể vẫn hiện đến lúc đó, nhưng không được lưu)"
                ),
                self.to_string(),
            ),
            ServiceError::Store(StoreError::Corrupt { dir, reason }) => both(
                format!(
                    "kho dữ liệu tại {} bị hỏng ({reason}): khôi phục từ bản sao lưu bằng `trucban restore TỆP`",
                    dir.display()
                ),
                self.to_string(),
            ),
            ServiceError::Store(e) => {
                both(format!("Lỗi kho dữ liệu: {e}"), format!("Store error: {e}"))
            }
            ServiceError::Remote(e) => both(
                format!("Lỗi kho dữ liệu (máy chủ): {e}"),
                format!("Store error (daemon): {e}"),
            ),
            ServiceError::Daemon(e) => both(
                format!("Không liên lạc được với trucban serve: {e}"),
                format!("Cannot talk to trucban serve: {e}"),
            ),
            ServiceError::Backup(e) => both(format!("Sao lưu: {e}"), format!("Backup: {e}")),
            ServiceError::Closed(why) => why.label(lang).to_string(),
            ServiceError::Unwritable(id) => both(
                format!(
                    "Không xuất được {id}: không đọc được hồ sơ mà nó dẫn tới (người); chạy `trucban check`"
                ),
                format!(
                    "Cannot export {id}: a record it names (its person) cannot be read; run `trucban check`"
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_reads_in_both_languages() {
        let e = ServiceError::Locked;
        assert!(e.label(Lang::Vi).contains("khoá"));
        assert!(e.label(Lang::En).contains("locked"));
        let f = ServiceError::Forbidden(crate::domain::access::Denial {
            user: "dan".into(),
            role: Some(crate::domain::OfficerRole::Admin),
            needs: crate::domain::access::Permission::Hits,
        });
        assert_eq!(
            f.label(Lang::Vi),
            "Vai trò quản trị không được ghi kết quả đối chiếu (dành cho: trực ban, chỉ huy)"
        );
        assert_eq!(
            f.label(Lang::En),
            "Role administrator may not record hit outcomes (for: duty officer, supervisor)"
        );
    }
}
