//! Export a page at a time: the daemon never holds a whole collection, and neither does a
//! client that writes each page as it comes (`trucban export`). The pages of one export,
//! joined in order, are the file [`interchange::export`] writes whole, byte for byte.

use serde::{Deserialize, Serialize};

use crate::domain::{Kind, Record, RecordId};

use super::interchange::{self, Format, Piece};
use super::{LocalDesk, Result, ServiceError};

/// Rows in one page: about 1.5 MB of CSV for guest stays, two frames on the socket.
pub const EXPORT_PAGE_ROWS: usize = 10_000;

/// One page of an export: its bytes, and where the next page starts (`None`: the last).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportPage {
    #[serde(with = "super::wire::base64_bytes")]
    pub bytes: Vec<u8>,
    pub next: Option<RecordId>,
    /// The records in it (for progress).
    #[serde(default)]
    pub rows: usize,
}

impl LocalDesk {
    /// The page of `kind`'s export after the record `after` (the first page if `None`).
    pub(super) fn export_page_after(
        &self,
        kind: Kind,
        format: Format,
        after: Option<RecordId>,
    ) -> Result<ExportPage> {
        if let Some(id) = after.filter(|id| id.kind() != kind) {
            return Err(ServiceError::invalid(
                format!("không thể xuất tiếp {} sau {id}", kind.name()),
                format!("an export of {} cannot continue after {id}", kind.name()),
            ));
        }
        // One more than a page: whether it is the last is known without another request.
        let mut records: Vec<Record> =
            self.store()
                .page(kind, after, false, EXPORT_PAGE_ROWS + 1)?;
        let more = records.len() > EXPORT_PAGE_ROWS;
        records.truncate(EXPORT_PAGE_ROWS);
        let next = more.then(|| records.last().map(Record::id)).flatten();
        let lookup = |id: RecordId| self.store().get(id).ok().flatten();
        let piece = Piece {
            first: after.is_none(),
            last: next.is_none(),
        };
        let bytes = interchange::export(kind, records.iter(), &lookup, format, piece)
            .map_err(|e| ServiceError::Unwritable(e.0))?;
        Ok(ExportPage {
            bytes,
            next,
            rows: records.len(),
        })
    }
}

/// Every page of an export, each handed to `out` as it comes (`out`'s own errors, a file
/// that cannot be written, stop it too).
pub fn export_pages<E: From<ServiceError>>(
    desk: &(impl super::DeskApi + ?Sized),
    kind: Kind,
    format: Format,
    out: &mut dyn FnMut(&[u8]) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let mut after = None;
    loop {
        let page = desk.export_page(kind, format, after)?;
        out(&page.bytes)?;
        crate::progress::advance(page.rows as u64);
        match page.next {
            Some(next) if Some(next) != after => after = Some(next),
            Some(next) => {
                return Err(ServiceError::Daemon(crate::i18n::Said::new(
                    format!("việc xuất không đi tiếp được qua {next}"),
                    format!("the export did not move past {next}"),
                ))
                .into());
            }
            None => return Ok(()),
        }
    }
}

/// What the audit says of one page.
pub fn audit_detail(kind: Kind, after: Option<RecordId>) -> String {
    match after {
        None => kind.name().to_string(),
        Some(id) => format!("{} after {id}", kind.name()),
    }
}
