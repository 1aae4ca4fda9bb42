//! `trucban export KIND` in CSV or JSON: the pages of the service's export written as they
//! come, to standard output or to a file that appears only once complete (written beside
//! it, synced, renamed), so that a million rows take one page of memory and a failed export
//! leaves no half file.

use std::io::Write;
use std::path::Path;

use crate::domain::Kind;
use crate::service::export::export_pages;
use crate::service::{DeskApi, Format, ServiceError};

use super::output::AtomicFile;

/// Why an export stopped: the service's refusal (said in the officer's language by the
/// caller), or the output.
enum Stopped {
    Service(ServiceError),
    Output(anyhow::Error),
}

impl From<ServiceError> for Stopped {
    fn from(e: ServiceError) -> Stopped {
        Stopped::Service(e)
    }
}

pub(super) fn export_paged(
    desk: &dyn DeskApi,
    kind: Kind,
    format: Format,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let stopped = match output {
        None => {
            let mut stdout = std::io::stdout().lock();
            export_pages(desk, kind, format, &mut |bytes| {
                stdout
                    .write_all(bytes)
                    .map_err(|e| Stopped::Output(e.into()))
            })
            .and_then(|()| stdout.flush().map_err(|e| Stopped::Output(e.into())))
        }
        Some(path) => {
            let mut file = AtomicFile::beside(path)?;
            export_pages(desk, kind, format, &mut |bytes| {
                file.write_all(bytes).map_err(Stopped::Output)
            })
            .and_then(|()| file.commit().map_err(Stopped::Output))
        }
    };
    match stopped {
        Ok(()) => Ok(()),
        Err(Stopped::Service(e)) => Err(e.into()),
        Err(Stopped::Output(e)) => Err(e),
    }
}
