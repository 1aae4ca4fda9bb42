//! Theme files: a serde mirror of the TOML with the raw strings and their positions, the
//! `inherits` chain, and the one-time resolution into a [`Theme`] that cannot fail to use.

use std::collections::{BTreeMap, HashMap};

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use toml::Spanned;

use super::colour::{self, ColourProblem};
use super::error::{ThemeError, Where};
use super::role::Role;
use super::{Theme, ThemeText, UserThemes, builtin_text};

/// The file as written. Strings stay strings (with their byte spans for error lines) until
/// [`resolve`], so a bad value is reported against the file it came from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    inherits: Option<Spanned<String>>,
    #[serde(default)]
    options: RawOptions,
    #[serde(default)]
    palette: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    roles: BTreeMap<Spanned<String>, RawRole>,
}

/// `None` means "as the parent says" (or the default at the root).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOptions {
    selection_marker: Option<bool>,
    borders: Option<bool>,
}

/// An absent `fg`/`bg` leaves the colour to whatever is underneath (usually `base`), which
/// also costs no bytes on the wire.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    fg: Option<Spanned<String>>,
    bg: Option<Spanned<String>>,
    #[serde(default)]
    mods: Vec<Spanned<String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    User,
    Builtin,
}

/// One file in an inheritance chain.
struct Layer {
    name: String,
    origin: Origin,
    path: String,
    text: String,
    raw: RawTheme,
}

impl Layer {
    fn at(&self, span: std::ops::Range<usize>) -> Where {
        Where::new(&self.path, &self.text, Some(span))
    }
}

/// Reads `name` and its ancestors, child first. A user file shadows the built-in of the same
/// name, except that a user file inheriting its own name extends the built-in: that is how a
/// user tweaks `default` without copying all of it.
fn read_chain(name: &str, user: &dyn UserThemes) -> Result<Vec<Layer>, ThemeError> {
    let mut layers: Vec<Layer> = Vec::new();
    let mut wanted = name.to_owned();
    loop {
        // Where the current `wanted` was asked for: `None` for the theme itself.
        let asked_at = layers.last().and_then(|child| {
            let parent = child.raw.inherits.as_ref()?;
            Some(child.at(parent.span()))
        });
        if !valid_name(&wanted) {
            return Err(match asked_at {
                None => ThemeError::BadName { name: wanted },
                Some(at) => ThemeError::BadParent { at, parent: wanted },
            });
        }
        let extends_builtin = layers
            .last()
            .is_some_and(|child| child.origin == Origin::User && child.name == wanted);
        let from_user = if extends_builtin {
            None
        } else {
            user.read(&wanted)?
        };
        let (origin, file) = match from_user {
            Some(file) => (Origin::User, file),
            None => match builtin_text(&wanted) {
                Some(text) => (
                    Origin::Builtin,
                    ThemeText {
                        path: format!("themes/{wanted}.toml"),
                        text: text.to_owned(),
                    },
                ),
                None => {
                    return Err(match asked_at {
                        None => ThemeError::NotFound { name: wanted },
                        Some(at) => ThemeError::UnknownParent { at, parent: wanted },
                    });
                }
            },
        };
        if layers
            .iter()
            .any(|l| l.name == wanted && l.origin == origin)
        {
            let mut names: Vec<&str> = layers.iter().map(|l| l.name.as_str()).collect();
            names.push(&wanted);
            return Err(ThemeError::Cycle {
                at: asked_at.unwrap_or_else(|| Where::new(&file.path, "", None)),
                chain: names.join(" → "),
            });
        }
        let raw = parse(&file.path, &file.text)?;
        let parent = raw.inherits.as_ref().map(|p| p.get_ref().clone());
        layers.push(Layer {
            name: wanted,
            origin,
            path: file.path,
            text: file.text,
            raw,
        });
        match parent {
            Some(parent) => wanted = parent,
            None => return Ok(layers),
        }
    }
}

/// Theme names become file names, so nothing that could climb out of the theme folder.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn parse(path: &str, text: &str) -> Result<RawTheme, ThemeError> {
    let syntax = |e: toml::de::Error| ThemeError::Syntax {
        at: Where::new(path, text, e.span()),
        message: e.message().trim().to_owned(),
    };
    // First as a plain table, only to catch the easiest mistake: `alert.danger = {..}`
    // without quotes is a nested table in TOML, and serde's "unknown field `danger`" would
    // not tell the user what to do.
    let table: toml::Table = toml::from_str(text).map_err(syntax)?;
    if let Some(role) = unquoted_dotted_role(&table) {
        // The plain table has no positions; the line that starts with the bare dotted key is
        // almost always the one (if none does, we give no line rather than a wrong one).
        let line = text
            .lines()
            .position(|line| line.trim_start().starts_with(role.as_str()))
            .map(|index| index + 1);
        return Err(ThemeError::UnquotedRole {
            at: Where {
                path: path.to_owned(),
                line,
            },
            role,
        });
    }
    toml::from_str(text).map_err(syntax)
}

fn unquoted_dotted_role(file: &toml::Table) -> Option<String> {
    let roles = file.get("roles")?.as_table()?;
    roles.iter().find_map(|(group, value)| {
        let members = value.as_table()?;
        members
            .keys()
            .map(|member| format!("{group}.{member}"))
            .find(|dotted| Role::from_name(dotted).is_some())
    })
}

/// Loads `name` with its ancestors and resolves it once.
pub(super) fn load(name: &str, user: &dyn UserThemes) -> Result<Theme, ThemeError> {
    let layers = read_chain(name, user)?;
    resolve(name, &layers)
}

fn resolve(name: &str, layers: &[Layer]) -> Result<Theme, ThemeError> {
    let selection_marker = layers
        .iter()
        .find_map(|l| l.raw.options.selection_marker)
        .unwrap_or(false);
    let borders = layers
        .iter()
        .find_map(|l| l.raw.options.borders)
        .unwrap_or(true);
    let palette = palette(layers)?;

    // Child first, so the first definition found wins. Names are resolved against the merged
    // palette: a child that redefines `danger` recolours every parent role that uses it.
    let mut found: [Option<Style>; Role::ALL.len()] = [None; Role::ALL.len()];
    for layer in layers {
        for (key, raw) in &layer.raw.roles {
            let Some(role) = Role::from_name(key.get_ref()) else {
                return Err(ThemeError::UnknownRole {
                    at: layer.at(key.span()),
                    role: key.get_ref().clone(),
                });
            };
            let slot = &mut found[role.index()];
            if slot.is_none() {
                *slot = Some(style(role, raw, layer, &palette)?);
            }
        }
    }

    let missing: Vec<String> = Role::ALL
        .into_iter()
        .filter(|role| found[role.index()].is_none())
        .map(|role| role.name().to_owned())
        .collect();
    if !missing.is_empty() {
        let path = layers.first().map(|l| l.path.clone()).unwrap_or_default();
        return Err(ThemeError::MissingRoles {
            path,
            roles: missing,
        });
    }
    Ok(Theme {
        name: name.to_owned(),
        selection_marker,
        borders,
        styles: found.map(Option::unwrap_or_default),
    })
}

/// The merged palette, parents first so children override. Every entry of every file is
/// checked, so a typo in a parent is found even when a child overrides it.
fn palette(layers: &[Layer]) -> Result<HashMap<&str, Color>, ThemeError> {
    let mut palette = HashMap::new();
    for layer in layers.iter().rev() {
        for (key, value) in &layer.raw.palette {
            if colour::is_reserved(key.get_ref()) {
                return Err(ThemeError::ReservedPaletteName {
                    at: layer.at(key.span()),
                    name: key.get_ref().clone(),
                });
            }
            let colour = match colour::literal(value.get_ref()) {
                Ok(Some(colour)) => Ok(colour),
                Ok(None) => Err(ColourProblem::Unknown),
                Err(problem) => Err(problem),
            }
            .map_err(|problem| ThemeError::BadColour {
                at: layer.at(value.span()),
                place: format!("palette \"{}\"", key.get_ref()),
                value: value.get_ref().clone(),
                advice: problem.advice(false),
            })?;
            palette.insert(key.get_ref().as_str(), colour);
        }
    }
    Ok(palette)
}

fn style(
    role: Role,
    raw: &RawRole,
    layer: &Layer,
    palette: &HashMap<&str, Color>,
) -> Result<Style, ThemeError> {
    let colour = |field: &str, value: &Spanned<String>| {
        let text = value.get_ref();
        match colour::literal(text) {
            Ok(Some(colour)) => Ok(colour),
            Ok(None) => palette
                .get(text.as_str())
                .copied()
                .ok_or(ColourProblem::Unknown),
            Err(problem) => Err(problem),
        }
        .map_err(|problem| ThemeError::BadColour {
            at: layer.at(value.span()),
            place: format!("role \"{role}\", {field}"),
            value: text.clone(),
            advice: problem.advice(true),
        })
    };
    let mut style = Style::new();
    if let Some(fg) = &raw.fg {
        style = style.fg(colour("fg", fg)?);
    }
    if let Some(bg) = &raw.bg {
        style = style.bg(colour("bg", bg)?);
    }
    let mut mods = Modifier::empty();
    for name in &raw.mods {
        mods |= colour::modifier(name.get_ref()).ok_or_else(|| ThemeError::UnknownModifier {
            at: layer.at(name.span()),
            role: role.name().to_owned(),
            value: name.get_ref().clone(),
        })?;
    }
    Ok(style.add_modifier(mods))
}
