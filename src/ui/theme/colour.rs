//! Colour and modifier strings as written in theme files. We parse them ourselves rather than
//! deserialising `ratatui::style::Color`, so a ratatui upgrade cannot change what a user's file
//! means (house style: never serialise a foreign crate's type into a user file).

use ratatui::style::{Color, Modifier};

/// The 16 ANSI colour names, in ANSI order. These are the only colours the Linux console
/// shows reliably.
pub(super) const NAMED: [(&str, Color); 16] = [
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("darkgray", Color::DarkGray),
    ("lightred", Color::LightRed),
    ("lightgreen", Color::LightGreen),
    ("lightyellow", Color::LightYellow),
    ("lightblue", Color::LightBlue),
    ("lightmagenta", Color::LightMagenta),
    ("lightcyan", Color::LightCyan),
    ("white", Color::White),
];

/// The modifiers a theme may use. `blink` and friends are left out on purpose: they are
/// unsupported or distracting on a duty desk.
const MODIFIERS: [(&str, Modifier); 6] = [
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
    ("crossed_out", Modifier::CROSSED_OUT),
];

/// Why a colour string was refused; the error message turns this into advice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ColourProblem {
    /// Starts with `#` but is not `#rrggbb`.
    Hex,
    /// Starts with `ansi:` but is not a number from 0 to 255.
    Ansi,
    /// Neither a colour name nor (where allowed) a palette name.
    Unknown,
}

impl ColourProblem {
    /// What to write instead. Palette entries cannot name other palette entries, so the advice
    /// differs by where the colour sits.
    pub(super) fn advice(self, palette_allowed: bool) -> &'static str {
        match (self, palette_allowed) {
            (ColourProblem::Hex, _) => "use #rrggbb: # and six hex digits",
            (ColourProblem::Ansi, _) => "use ansi:NN with NN from 0 to 255",
            (ColourProblem::Unknown, true) => {
                "use default, a colour name such as red or lightblue, #rrggbb, ansi:NN or a name from [palette]"
            }
            (ColourProblem::Unknown, false) => {
                "use default, a colour name such as red or lightblue, #rrggbb or ansi:NN"
            }
        }
    }
}

/// A literal colour: `default`/`reset`, an ANSI name, `#rrggbb` or `ansi:NN`, in any case.
/// `Ok(None)` means "not a literal", so the caller may try the palette.
pub(super) fn literal(text: &str) -> Result<Option<Color>, ColourProblem> {
    let lower = text.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix('#') {
        return rgb(hex).map(Some).ok_or(ColourProblem::Hex);
    }
    if let Some(number) = lower.strip_prefix("ansi:") {
        // `u8::from_str` accepts a leading `+`; a theme file should not.
        let digits = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
        return match number.parse::<u8>() {
            Ok(n) if digits => Ok(Some(Color::Indexed(n))),
            _ => Err(ColourProblem::Ansi),
        };
    }
    if lower == "default" || lower == "reset" {
        return Ok(Some(Color::Reset));
    }
    Ok(NAMED
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, colour)| *colour))
}

fn rgb(hex: &str) -> Option<Color> {
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |at: usize| u8::from_str_radix(hex.get(at..at + 2)?, 16).ok();
    Some(Color::Rgb(byte(0)?, byte(2)?, byte(4)?))
}

/// A palette entry may not be spelled like a literal colour: it could never be reached (the
/// literal wins) and a file that "redefines red" would silently not do so.
pub(super) fn is_reserved(name: &str) -> bool {
    name.is_empty() || !matches!(literal(name), Ok(None))
}

pub(super) fn modifier(text: &str) -> Option<Modifier> {
    MODIFIERS
        .iter()
        .find(|(name, _)| *name == text)
        .map(|(_, modifier)| *modifier)
}

pub(super) fn modifier_names() -> String {
    MODIFIERS.map(|(name, _)| name).join(", ")
}
