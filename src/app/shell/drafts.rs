//! Form drafts on disk: one JSON file per form and record under `<data-dir>/drafts/`, written
//! on every edit (temporary file, fsync, rename) so a dropped link loses nothing, offered
//! again at the next start, removed once the form is saved.

use std::io::Write;
use std::path::PathBuf;

use crate::app::forms::Form;

pub struct Drafts {
    dir: PathBuf,
}

impl Drafts {
    pub fn new(dir: PathBuf) -> Drafts {
        Drafts { dir }
    }

    fn path(&self, key: &str) -> PathBuf {
        // Keys are `kind-id` in ASCII; keep only safe characters in the file name anyway.
        let safe: String = key
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        self.dir.join(format!("{safe}.json"))
    }

    pub fn save(&self, form: &Form) -> std::io::Result<()> {
        crate::durable::create_dir_all(&self.dir)?;
        let mut temp = tempfile::NamedTempFile::new_in(&self.dir)?;
        temp.write_all(&serde_json::to_vec(form).map_err(std::io::Error::other)?)?;
        temp.as_file().sync_all()?;
        temp.persist(self.path(&form.draft_key()))
            .map_err(|e| e.error)?;
        crate::durable::sync_dir(&self.dir)
    }

    pub fn delete(&self, key: &str) -> std::io::Result<()> {
        match std::fs::remove_file(self.path(key)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => crate::durable::sync_dir(&self.dir),
        }
    }

    /// Every readable draft, oldest first. A damaged file is skipped, not fatal.
    pub fn load_all(&self) -> Vec<Form> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut found: Vec<(std::time::SystemTime, Form)> = entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| {
                let modified = e.metadata().and_then(|m| m.modified()).ok()?;
                let form: Form = serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok()?;
                Some((modified, form))
            })
            .collect();
        found.sort_by_key(|(t, _)| *t);
        found.into_iter().map(|(_, f)| f).collect()
    }
}
