//! How far long work has got — an import's guests screened, a check's records read, a
//! backup's entries written — for a shell that shows it. The code doing the work says
//! [`stage`] and [`advance`]; it never draws, and knows nothing of terminals. The command
//! line installs a [`View`] (an `indicatif` bar on stderr) when stdout is a terminal; in
//! the daemon, the console, the tests and a pipe none is installed and both calls cost one
//! atomic load.
//!
//! A process-wide view, like the `log` crate's logger, rather than a parameter threaded
//! through the service, the store's `Backend` trait and the search index: the work is the
//! same with or without someone watching, and only the outermost shell decides.

use std::sync::OnceLock;

use crate::i18n::Lang;

/// A step of long work, named in the reader's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// An input file read and checked, row by row, before anything is written.
    Reading,
    /// Guests weighed against the wanted and watch lists.
    Screening,
    /// The checked records written in one transaction.
    Writing,
    Exporting,
    Generating,
    /// Every record, index entry and reference of the store read back.
    Checking,
    BackingUp,
    /// A backup file read through and its checksum compared, before anything is written.
    Verifying,
    Restoring,
    /// The search index built from the records.
    Indexing,
    /// A request sent to `trucban serve`, whose work cannot be followed from here.
    Waiting,
    /// A store copied to another engine (`trucban migrate`).
    Moving,
}

impl Stage {
    pub fn label(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            Stage::Reading => ("Đọc và kiểm tra tệp", "Reading and checking the file"),
            Stage::Screening => ("Đối chiếu với danh sách", "Screening against the lists"),
            Stage::Writing => ("Ghi vào kho", "Writing to the store"),
            Stage::Exporting => ("Xuất dữ liệu", "Exporting"),
            Stage::Generating => ("Tạo dữ liệu", "Generating"),
            Stage::Checking => ("Kiểm tra kho", "Checking the store"),
            Stage::BackingUp => ("Sao lưu", "Backing up"),
            Stage::Moving => ("Chuyển kho", "Moving the store"),
            Stage::Verifying => ("Kiểm tra tệp sao lưu", "Verifying the backup file"),
            Stage::Restoring => ("Khôi phục", "Restoring"),
            Stage::Indexing => ("Lập chỉ mục tìm kiếm", "Building the search index"),
            Stage::Waiting => ("Chờ trucban serve", "Waiting for trucban serve"),
        };
        lang.pick(vi, en)
    }

    /// What the count of a stage counts (`guests`, `records`…), for the bar's text.
    pub fn unit(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            Stage::Reading | Stage::Writing | Stage::Waiting => ("", ""),
            Stage::Screening => ("khách", "guests"),
            Stage::Exporting | Stage::Generating | Stage::Checking | Stage::Moving => {
                ("hồ sơ", "records")
            }
            Stage::BackingUp | Stage::Verifying | Stage::Restoring | Stage::Indexing => {
                ("mục", "entries")
            }
        };
        lang.pick(vi, en)
    }
}

/// Shows progress. Called from the thread doing the work; must be cheap.
pub trait View: Send + Sync {
    /// A new stage begins: `total` when the work knows how much there is.
    fn stage(&self, stage: Stage, total: Option<u64>);
    fn advance(&self, done: u64);
    /// The work is over (done or failed): nothing of the view stays on screen.
    fn finish(&self);
}

static VIEW: OnceLock<Box<dyn View>> = OnceLock::new();

/// Installs the view for the rest of the process (the first one wins).
pub fn install(view: Box<dyn View>) {
    let _ = VIEW.set(view);
}

pub fn stage(stage: Stage, total: Option<u64>) {
    if let Some(view) = VIEW.get() {
        view.stage(stage, total);
    }
}

pub fn advance(done: u64) {
    if let Some(view) = VIEW.get() {
        view.advance(done);
    }
}

pub fn finish() {
    if let Some(view) = VIEW.get() {
        view.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_is_named_in_both_languages() {
        for stage in [
            Stage::Reading,
            Stage::Screening,
            Stage::Writing,
            Stage::Exporting,
            Stage::Generating,
            Stage::Checking,
            Stage::BackingUp,
            Stage::Verifying,
            Stage::Restoring,
            Stage::Indexing,
            Stage::Waiting,
        ] {
            assert_ne!(stage.label(Lang::Vi), stage.label(Lang::En), "{stage:?}");
        }
    }
}
