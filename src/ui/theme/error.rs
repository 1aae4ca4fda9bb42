//! Load errors. Each names the file, the line when we know it, the role or field, the bad
//! value and what to write instead, because the reader is an officer editing a file over SSH,
//! not a developer with a debugger.

use std::fmt;

/// A place in a theme file: `themes/mine.toml line 7`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Where {
    pub path: String,
    /// 1-based; `None` when the parser gave no position.
    pub line: Option<usize>,
}

impl Where {
    /// `span` is a byte range into `text`, as toml reports it.
    pub(super) fn new(path: &str, text: &str, span: Option<std::ops::Range<usize>>) -> Where {
        let line = span.and_then(|span| {
            let before = text.as_bytes().get(..span.start)?;
            Some(before.iter().filter(|&&b| b == b'\n').count() + 1)
        });
        Where {
            path: path.to_owned(),
            line,
        }
    }
}

impl fmt::Display for Where {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{} line {line}", self.path),
            None => f.write_str(&self.path),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error(
        "no theme named \"{name}\" (built-in: {builtins}; a user theme is a file {name}.toml in the theme folder)",
        builtins = super::builtin_names().join(", ")
    )]
    NotFound { name: String },

    #[error("theme name \"{name}\" is not allowed (use letters, digits, - and _)")]
    BadName { name: String },

    #[error("{path}: cannot read the theme file ({source})")]
    Read {
        path: String,
        source: std::io::Error,
    },

    /// TOML syntax, a wrong type or an unknown key, as the toml parser words it.
    #[error("{at}: {message}")]
    Syntax { at: Where, message: String },

    #[error(
        "{at}: role \"{role}\" has a dot, so it must be quoted (write \"{role}\" = {{ ... }}, not {role} = {{ ... }})"
    )]
    UnquotedRole { at: Where, role: String },

    #[error("{at}: unknown role \"{role}\" (roles: {known})", known = super::role::all_names())]
    UnknownRole { at: Where, role: String },

    #[error(
        "{path}: {} not defined (define {} here or in a theme it inherits from)",
        quoted_list(.roles),
        if .roles.len() == 1 { "it" } else { "them" }
    )]
    MissingRoles { path: String, roles: Vec<String> },

    /// `place` is `role "selection", fg` or `palette "danger"`.
    #[error("{at}: {place}: \"{value}\" is not a colour ({advice})")]
    BadColour {
        at: Where,
        place: String,
        value: String,
        advice: &'static str,
    },

    #[error(
        "{at}: role \"{role}\", mods: \"{value}\" is not a modifier (use {known})",
        known = super::colour::modifier_names()
    )]
    UnknownModifier {
        at: Where,
        role: String,
        value: String,
    },

    #[error(
        "{at}: palette name \"{name}\" is taken by a colour (choose a name that is not a colour, #rrggbb or ansi:NN)"
    )]
    ReservedPaletteName { at: Where, name: String },

    #[error("{at}: inherits \"{parent}\": not a theme name (use letters, digits, - and _)")]
    BadParent { at: Where, parent: String },

    #[error(
        "{at}: inherits \"{parent}\": no such theme (built-in: {builtins}, or a file {parent}.toml in the theme folder)",
        builtins = super::builtin_names().join(", ")
    )]
    UnknownParent { at: Where, parent: String },

    #[error("{at}: inherits in a circle: {chain}")]
    Cycle { at: Where, chain: String },
}

fn quoted_list(roles: &[String]) -> String {
    let quoted: Vec<String> = roles.iter().map(|r| format!("\"{r}\"")).collect();
    match quoted.as_slice() {
        [one] => format!("role {one} is"),
        _ => format!("roles {} are", quoted.join(", ")),
    }
}
