//! Where the console was: its view and the selected row's key, kept in
//! `<data-dir>/place.json` whenever they change, and taken up by the next session — an
//! officer whose link dropped logs in again to the same view and row (the form they were
//! filling in comes back as a draft, see `drafts`).
//!
//! Not synced: losing a place to a power cut costs a few keys, and every row move would
//! otherwise wait for the disk. Written whole (temporary file, rename), so a place is read
//! as it was written or not at all; one that does not read is ignored.

use std::io::Write;
use std::path::PathBuf;

use crate::app::views::View;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Place {
    pub view: View,
    /// The selected row's key (its record ID, or the key of a row that is not a record).
    pub row: Option<String>,
}

pub struct PlaceFile {
    path: PathBuf,
    /// The place last written (or read): written again only when it changes.
    last: Option<Place>,
}

impl PlaceFile {
    pub fn new(path: PathBuf) -> PlaceFile {
        PlaceFile { path, last: None }
    }

    /// The place the last session left, if one is there and reads.
    pub fn load(&mut self) -> Option<Place> {
        let place: Place = serde_json::from_slice(&std::fs::read(&self.path).ok()?).ok()?;
        self.last = Some(place.clone());
        Some(place)
    }

    /// Keeps `place` if it changed. A failure is not the officer's concern: the console
    /// goes on, and the next change tries again.
    pub fn keep(&mut self, place: Place) {
        if self.last.as_ref() == Some(&place) {
            return;
        }
        if self.write(&place).is_ok() {
            self.last = Some(place);
        }
    }

    fn write(&self, place: &Place) -> std::io::Result<()> {
        let dir = self.path.parent().unwrap_or(std::path::Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        temp.write_all(&serde_json::to_vec(place).map_err(std::io::Error::other)?)?;
        temp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}
