//! Themes: TOML data files (`themes/*.toml`, or the user's theme folder) that give a style to
//! each semantic [`Role`]. A file may inherit another and override some roles; it is read and
//! checked once into a [`Theme`] that cannot fail to use. The ui layer does no I/O, so user
//! files come in through [`UserThemes`], which the shell implements over a directory.
//!
//! File format (every role must be defined once the `inherits` chain is applied):
//!
//! ```toml
//! inherits = "default"          # optional
//! [options]
//! selection_marker = false      # true: a marker column shows the selected row
//! borders = true                # false: no decorative borders
//! [palette]                     # optional names for colours, usable in [roles]
//! danger = "#d70000"
//! [roles]
//! base = { fg = "default", bg = "default" }
//! "alert.danger" = { fg = "danger", mods = ["bold", "reversed"] }
//! ```
//!
//! Colours: `default`/`reset`, the 16 ANSI names, `#rrggbb`, `ansi:NN` (0–255) or a palette
//! name. Modifiers: bold, dim, italic, underlined, reversed, crossed_out.

mod colour;
mod error;
mod file;
mod role;
#[cfg(test)]
mod tests;

use ratatui::style::Style;

pub use error::{ThemeError, Where};
pub use role::Role;

/// A resolved theme: every role has a style, nothing left to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Theme {
    pub name: String,
    /// Show the selected row with a marker column (e.g. "▶") instead of restyling the whole
    /// row: on a slow link a full-row highlight is re-sent on every move.
    pub selection_marker: bool,
    /// Draw decorative borders.
    pub borders: bool,
    /// Indexed by [`Role::index`].
    styles: [Style; Role::ALL.len()],
}

impl Theme {
    pub fn style(&self, role: Role) -> Style {
        self.styles[role.index()]
    }
}

/// A user theme file's text, and the path to show in messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThemeText {
    pub path: String,
    pub text: String,
}

/// Where user theme files come from. The shell implements it over the theme folder, reading
/// `NAME.toml`; tests implement it in memory.
pub trait UserThemes {
    /// The user's file for theme `name`, `Ok(None)` if there is none (then the built-in is
    /// used). `name` has already been checked to be letters, digits, `-` and `_`.
    fn read(&self, name: &str) -> Result<Option<ThemeText>, ThemeError>;
}

/// No user theme folder: built-in themes only.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoUserThemes;

impl UserThemes for NoUserThemes {
    fn read(&self, _name: &str) -> Result<Option<ThemeText>, ThemeError> {
        Ok(None)
    }
}

const BUILTIN_NAMES: [&str; 5] = [
    "default",
    "high-contrast",
    "mono",
    "ansi16",
    "low-bandwidth",
];

pub fn builtin_names() -> &'static [&'static str] {
    &BUILTIN_NAMES
}

/// Built-ins are compiled in, so the console has a theme even with no files installed.
fn builtin_text(name: &str) -> Option<&'static str> {
    Some(match name {
        "default" => include_str!("../../themes/default.toml"),
        "high-contrast" => include_str!("../../themes/high-contrast.toml"),
        "mono" => include_str!("../../themes/mono.toml"),
        "ansi16" => include_str!("../../themes/ansi16.toml"),
        "low-bandwidth" => include_str!("../../themes/low-bandwidth.toml"),
        _ => return None,
    })
}

/// Theme `name`: the user's `NAME.toml` if `user` has one, else the built-in.
pub fn load(name: &str, user: &dyn UserThemes) -> Result<Theme, ThemeError> {
    file::load(name, user)
}

/// The theme to start with: `requested` if given (the command line or config), else `mono`
/// when colour is refused (`no_color`), else `ansi16` on the Linux console and VT terminals,
/// else `default`.
pub fn choose(
    requested: Option<&str>,
    no_color: bool,
    term: Option<&str>,
    user: &dyn UserThemes,
) -> Result<Theme, ThemeError> {
    load(pick_name(requested, no_color, term), user)
}

fn pick_name<'a>(requested: Option<&'a str>, no_color: bool, term: Option<&str>) -> &'a str {
    match (requested, term) {
        (Some(name), _) => name,
        _ if no_color => "mono",
        (None, Some(term)) if term == "linux" || term.starts_with("vt") => "ansi16",
        _ => "default",
    }
}

/// Whether the `NO_COLOR` environment value asks for no colour. no-color.org: set and not
/// empty, whatever the value. The caller reads the environment; this layer does no I/O.
pub fn no_color_requested(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

/// The built-in theme [`choose`] would pick without a request or user files: what the console
/// falls back to (with the error on the status line) when the user's theme does not load.
pub fn fallback(no_color: bool, term: Option<&str>) -> Theme {
    load(pick_name(None, no_color, term), &NoUserThemes)
        .expect("every built-in theme loads: the theme tests check each one")
}
