//! The semantic roles a theme styles. Widgets ask for a role ("this is a danger flag"), never
//! for a colour, so a theme can change what danger looks like without touching a view.

use std::fmt;

/// One thing on screen that a theme gives a style to. The dotted name is what theme files use
/// and must never change once released: renaming one breaks every user's theme file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Ordinary text and the screen background.
    Base,
    /// Secondary text: counts, timestamps, empty-field placeholders.
    Muted,
    /// Table header row.
    Header,
    /// The top bar.
    Title,
    /// Where the officer is (view › record › field).
    Breadcrumb,
    /// The selected row.
    Selection,
    /// Highlighted matched characters in search results.
    Match,
    /// Decorative borders (themes may turn borders off entirely).
    Border,
    /// The key-hint bar.
    Hint,
    /// The status line.
    Status,
    /// The status line when it reports an error.
    StatusError,
    /// Especially dangerous persons, danger flags.
    AlertDanger,
    /// Dangerous persons, overdue items.
    AlertWarning,
    /// Settled: arrested, closed, inspection passed.
    Ok,
    /// A form field's label.
    FormLabel,
    /// A form field's editable value.
    FormInput,
    /// A form field's validation message.
    FormError,
    /// The key column of the help overlay.
    HelpKey,
    /// The description column of the help overlay.
    HelpDesc,
}

impl Role {
    /// Every role, in declaration order: `Role::ALL[r as usize] == r` (a test holds this, the
    /// runtime theme relies on it to index its style table).
    pub const ALL: [Role; 19] = [
        Role::Base,
        Role::Muted,
        Role::Header,
        Role::Title,
        Role::Breadcrumb,
        Role::Selection,
        Role::Match,
        Role::Border,
        Role::Hint,
        Role::Status,
        Role::StatusError,
        Role::AlertDanger,
        Role::AlertWarning,
        Role::Ok,
        Role::FormLabel,
        Role::FormInput,
        Role::FormError,
        Role::HelpKey,
        Role::HelpDesc,
    ];

    /// The name used in theme files, e.g. `alert.danger`.
    pub const fn name(self) -> &'static str {
        match self {
            Role::Base => "base",
            Role::Muted => "muted",
            Role::Header => "header",
            Role::Title => "title",
            Role::Breadcrumb => "breadcrumb",
            Role::Selection => "selection",
            Role::Match => "match",
            Role::Border => "border",
            Role::Hint => "hint",
            Role::Status => "status",
            Role::StatusError => "status.error",
            Role::AlertDanger => "alert.danger",
            Role::AlertWarning => "alert.warning",
            Role::Ok => "ok",
            Role::FormLabel => "form.label",
            Role::FormInput => "form.input",
            Role::FormError => "form.error",
            Role::HelpKey => "help.key",
            Role::HelpDesc => "help.desc",
        }
    }

    /// The role with this file name, if there is one (exact, case-sensitive).
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.name() == name)
    }

    /// Position in [`Role::ALL`] and in the theme's style table.
    pub(super) const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// All role names, for error messages that say what is allowed.
pub(super) fn all_names() -> String {
    Role::ALL.map(Role::name).join(", ")
}
