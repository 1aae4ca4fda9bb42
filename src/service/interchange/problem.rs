//! An import problem: `FILE:LINE: column NAME: what is wrong (what is expected)`.

use std::fmt;

use crate::domain::text::display_safe;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The file name and column come from the user's input: never let them drive a terminal.
        write!(f, "{}:{}: ", display_safe(&self.file), self.line)?;
        if let Some(column) = &self.column {
            write!(f, "column {}: ", display_safe(column))?;
        }
        f.write_str(&display_safe(&self.message))
    }
}

/// How a bad value is quoted in a message: shown safely, and cut if long.
pub fn quote(value: &str) -> String {
    const MAX: usize = 40;
    let shown: String = value.chars().take(MAX).collect();
    let cut = if value.chars().count() > MAX {
        "…"
    } else {
        ""
    };
    format!("{:?}{cut}", display_safe(&shown))
}
