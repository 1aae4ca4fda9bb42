//! A failed write said in the officer's language. The store's own errors are English (the
//! CLI and logs); the two that an officer must act on — the store gone read-only, the store
//! damaged — are said in Vietnamese too.

use crate::i18n::Lang;
use crate::service::ServiceError;
use crate::store::StoreError;

pub fn write_error(e: &ServiceError, lang: Lang) -> String {
    match (e, lang) {
        (ServiceError::Store(StoreError::ReadOnly { reason }), Lang::Vi) => format!(
            "kho dữ liệu chỉ đọc (store read-only): {reason}. Không lưu được gì cho đến khi sửa đĩa và khởi động lại trucban (thay đổi bị từ chối có thể vẫn hiện đến lúc đó, nhưng không được lưu)"
        ),
        (ServiceError::Store(StoreError::Corrupt { dir, reason }), Lang::Vi) => format!(
            "kho dữ liệu tại {} bị hỏng ({reason}): khôi phục từ bản sao lưu bằng `trucban restore TỆP`",
            dir.display()
        ),
        _ => e.to_string(),
    }
}
