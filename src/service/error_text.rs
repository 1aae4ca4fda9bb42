//! What the console says when the service refuses or fails, in the officer's language. The
//! error's own text (`Display`) is English for logs and the command line; the parts that
//! come from data (a message naming a field, a store path) stay as they are, behind a
//! sentence in the officer's language.

use crate::i18n::{Lang, Said};

use super::ServiceError;

impl ServiceError {
    /// A stable code for scripts and the daemon's clients (`not_found`, `rule.log_rewritten`,
    /// `store.read_only`, …), the same whether the error happened here or in the daemon.
    pub fn code(&self) -> String {
        use crate::domain::access::UnlockRefused;
        match self {
            ServiceError::Store(e) => e.code().to_string(),
            // The rule's name as its serde tag says it (`log_rewritten`…): written once, in
            // the refusal's own `#[serde(tag = "rule", rename_all)]`.
            ServiceError::Rule(refusal) => {
                let name = serde_json::to_value(refusal)
                    .ok()
                    .and_then(|v| v.get("rule").and_then(|r| r.as_str()).map(str::to_string))
                    .unwrap_or_default();
                format!("rule.{name}")
            }
            ServiceError::Backup(e) => e.code().to_string(),
            ServiceError::Import(_) => "import.problems".into(),
            ServiceError::NotFound(_) => "not_found".into(),
            ServiceError::Invalid(_) => "invalid".into(),
            ServiceError::RosterRefused(_) => "roster.refused".into(),
            ServiceError::SearchNotReady => "search.not_ready".into(),
            ServiceError::Refused(_) => "refused".into(),
            ServiceError::Forbidden(_) => "forbidden".into(),
            ServiceError::Locked => "session.locked".into(),
            ServiceError::Unlock(UnlockRefused::WrongPin { .. }) => "unlock.wrong_pin".into(),
            ServiceError::Unlock(UnlockRefused::LockedOut { .. }) => "unlock.locked_out".into(),
            ServiceError::Unlock(UnlockRefused::NoPin) => "unlock.no_pin".into(),
            ServiceError::UnknownUser(_) => "account.unknown".into(),
            ServiceError::TooManyLogons(_) => "account.too_many_logons".into(),
            ServiceError::Remote { code, .. } => code.clone(),
            ServiceError::Daemon(_) => "daemon.unreachable".into(),
            ServiceError::Unwritable(_) => "export.unwritable".into(),
            ServiceError::Closed(why) => format!("closed.{}", why.code()),
        }
    }

    /// The sentence in both languages (what crosses the socket beside the code).
    pub fn said(&self) -> Said {
        Said::new(self.label(Lang::Vi), self.label(Lang::En))
    }

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
            ServiceError::Refused(why) => both(
                format!("Không được xem: {}", why.vi),
                format!("Refused: {}", why.en),
            ),
            ServiceError::Invalid(why) => both(
                format!("Không hợp lệ: {}", why.vi),
                format!("Not valid: {}", why.en),
            ),
            // The store's own sentence says what to do (restore, fix the disk…).
            ServiceError::Store(e) => e.said().get(lang).to_string(),
            ServiceError::Remote { said, .. } => said.get(lang).to_string(),
            ServiceError::Daemon(e) => both(
                format!("Không liên lạc được với trucban serve: {}", e.vi),
                format!("Cannot talk to trucban serve: {}", e.en),
            ),
            ServiceError::Backup(e) => e.said().get(lang).to_string(),
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
