//! An import problem: `FILE:LINE: column NAME: what is wrong (what is expected)`.

use std::fmt;

use crate::domain::text::display_safe;
use crate::i18n::{Lang, Said};

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub column: Option<String>,
    pub message: Said,
}

impl Problem {
    /// `FILE:LINE: cột NAME: …` in the reader's language.
    pub fn label(&self, lang: Lang) -> String {
        // The file name and column come from the user's input: never let them drive a terminal.
        let mut out = format!("{}:{}: ", display_safe(&self.file), self.line);
        if let Some(column) = &self.column {
            out.push_str(lang.pick("cột ", "column "));
            out.push_str(&display_safe(column));
            out.push_str(": ");
        }
        out.push_str(&display_safe(self.message.get(lang)));
        out
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label(Lang::En))
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
