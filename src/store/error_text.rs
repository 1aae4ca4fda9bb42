//! A store error as a person reads it: a stable code, and the sentence in both languages.
//! What comes from below — the operating system's words, sled's own message, a decode
//! detail — is kept as it is, inside a sentence that says in the reader's language what
//! happened and what to do.

use crate::i18n::{Lang, Said};

use super::StoreError;
use super::backup::BackupError;

impl StoreError {
    /// A stable code for scripts and for the daemon's clients: `store.read_only`, …
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Locked { .. } => "store.in_use",
            StoreError::Io { .. } => "store.io",
            StoreError::Sled(_) => "store.engine",
            StoreError::Decode { .. } => "store.decode",
            StoreError::MissingReference { .. } => "store.missing_reference",
            StoreError::Rule(_) => "rule",
            StoreError::WrongKind { .. } => "store.wrong_kind",
            StoreError::Corrupt { .. } => "store.damaged",
            StoreError::ReadOnly { .. } => "store.read_only",
            StoreError::Engine(_) => "store.engine",
            StoreError::Stopped => "store.stopped",
            StoreError::SchemaTooNew { .. } => "store.schema_too_new",
            StoreError::Database {
                unreachable: true, ..
            } => "store.database_unreachable",
            StoreError::Database { .. } => "store.database",
        }
    }

    /// Whether no database answered (it restarts, or the link to it is cut): nothing was
    /// written, and asking again later may succeed.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            StoreError::Database {
                unreachable: true,
                ..
            }
        )
    }

    pub fn said(&self) -> Said {
        let show = |p: &std::path::Path| {
            crate::domain::text::display_safe(&p.display().to_string()).into_owned()
        };
        match self {
            StoreError::Locked { dir, holder } => Said::new(
                format!(
                    "kho dữ liệu tại {} đang được dùng bởi {}",
                    show(dir),
                    holder.vi
                ),
                self.to_string(),
            ),
            StoreError::Io { dir, source } => {
                let io = crate::i18n::io_error(source);
                Said::new(
                    format!("kho dữ liệu {}: {}", show(dir), io.vi),
                    format!("store {}: {}", show(dir), io.en),
                )
            }
            StoreError::Sled(e) => Said::new(format!("kho dữ liệu (sled): {e}"), self.to_string()),
            StoreError::Decode { tree, key, reason } => Said::new(
                format!(
                    "kho dữ liệu, cây {tree}, khoá {key}: không giải mã được giá trị: {reason} (chạy `trucban check`)"
                ),
                self.to_string(),
            ),
            StoreError::MissingReference {
                record,
                field,
                target,
            } => Said::new(
                format!(
                    "{record}: trường {field} ghi {target}, không có trong kho (thêm hoặc nhập nó trước)"
                ),
                self.to_string(),
            ),
            StoreError::Rule(refusal) => {
                Said::new(refusal.label(Lang::Vi), refusal.label(Lang::En))
            }
            StoreError::WrongKind {
                record,
                kind,
                expected,
            } => Said::new(
                format!("{record} là hồ sơ loại {kind}, không lưu được vào tập {expected}"),
                self.to_string(),
            ),
            StoreError::Corrupt { dir, reason } => Said::new(
                format!(
                    "kho dữ liệu tại {} bị hỏng ({reason}): khôi phục từ bản sao lưu bằng `trucban restore TỆP`",
                    show(dir)
                ),
                self.to_string(),
            ),
            StoreError::ReadOnly { reason } => Said::new(
                format!(
                    "kho dữ liệu chỉ đọc (store read-only): {reason}. Không lưu được gì cho đến khi sửa đĩa và khởi động lại trucban (thay đổi bị từ chối có thể vẫn hiện đến lúc đó, nhưng không được lưu)"
                ),
                self.to_string(),
            ),
            StoreError::Engine(e) => Said::new(
                format!("bộ máy lưu trữ: {e} (lỗi trong trucban)"),
                self.to_string(),
            ),
            StoreError::Stopped => Said::new(
                "việc ghi đã dừng trước khi xong: không giữ lại phần nào",
                self.to_string(),
            ),
            StoreError::Database {
                reason,
                unreachable: true,
            } => Said::new(
                format!(
                    "không kết nối được cơ sở dữ liệu PostgreSQL ({reason}): chưa lưu gì; trucban tự kết nối lại khi cơ sở dữ liệu trở lại"
                ),
                self.to_string(),
            ),
            StoreError::Database { reason, .. } => Said::new(
                format!("cơ sở dữ liệu PostgreSQL: {reason}"),
                self.to_string(),
            ),
            StoreError::SchemaTooNew { found, supported } => Said::new(
                format!(
                    "kho dữ liệu do trucban mới hơn ghi (lược đồ {found}; bản này chỉ biết đến {supported}): nâng cấp trucban trước khi mở"
                ),
                self.to_string(),
            ),
        }
    }
}

impl BackupError {
    pub fn code(&self) -> &'static str {
        match self {
            BackupError::Io { .. } => "backup.io",
            BackupError::Invalid { .. } => "backup.invalid",
            BackupError::NotEmpty { .. } => "backup.target_not_empty",
            BackupError::NotThisEngine => "backup.use_database_tools",
            BackupError::Store(e) => e.code(),
        }
    }

    pub fn said(&self) -> Said {
        let show = |p: &std::path::Path| {
            crate::domain::text::display_safe(&p.display().to_string()).into_owned()
        };
        match self {
            BackupError::Io { path, source } => {
                let io = crate::i18n::io_error(source);
                Said::new(
                    format!("tệp sao lưu {}: {}", show(path), io.vi),
                    format!("backup file {}: {}", show(path), io.en),
                )
            }
            BackupError::Invalid { path, reason } => Said::new(
                format!(
                    "{} không phải bản sao lưu trucban dùng được: {reason}. Chưa ghi gì",
                    show(path)
                ),
                self.to_string(),
            ),
            BackupError::NotEmpty { dir } => Said::new(
                format!(
                    "khôi phục chỉ ghi vào kho trống, mà {} đã có kho: chọn --data-dir khác (hoặc chuyển kho đó đi trước)",
                    show(dir)
                ),
                self.to_string(),
            ),
            BackupError::NotThisEngine => Said::new(
                "kho trên PostgreSQL được sao lưu bằng công cụ của PostgreSQL (pg_dump, hoặc pgBackRest để khôi phục tới một thời điểm): xem mục \"Beyond one host\" của README; chưa ghi gì",
                self.to_string(),
            ),
            BackupError::Store(e) => e.said(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_error_reads_in_both_languages_with_its_code() {
        let e = StoreError::ReadOnly {
            reason: "disk full".into(),
        };
        assert_eq!(e.code(), "store.read_only");
        assert!(
            e.said()
                .vi
                .starts_with("kho dữ liệu chỉ đọc (store read-only): disk full.")
        );
        assert!(e.said().en.starts_with("store read-only: disk full."));
        let io = StoreError::Io {
            dir: "/x".into(),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        assert_eq!(io.said().vi, "kho dữ liệu /x: không có quyền truy cập");
    }
}
