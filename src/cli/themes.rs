//! User theme files: `NAME.toml` in the user's theme folder, read for the ui's theme loader.

use std::path::PathBuf;

use crate::ui::theme::{ThemeError, ThemeText, UserThemes};

pub struct ThemeDir(pub Option<PathBuf>);

impl UserThemes for ThemeDir {
    fn read(&self, name: &str) -> Result<Option<ThemeText>, ThemeError> {
        let Some(dir) = &self.0 else { return Ok(None) };
        let path = dir.join(format!("{name}.toml"));
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(ThemeText {
                path: path.display().to_string(),
                text,
            })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(ThemeError::Read {
                path: path.display().to_string(),
                source,
            }),
        }
    }
}
