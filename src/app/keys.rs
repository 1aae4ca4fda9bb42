//! Key strings as the keymap file and tests write them: `j`, `G`, `?`, `<Down>`, `<C-p>`,
//! `<S-Tab>`, `<F1>`, and chords of several keys separated by spaces (`g g`).

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::text::is_hostile;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyPress {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeyPress {
    pub fn char(c: char) -> KeyPress {
        KeyPress {
            code: KeyCode::Char(c),
            ctrl: false,
            alt: false,
        }
    }

    pub fn from_event(event: KeyEvent) -> KeyPress {
        // Shift is part of the character (`G`) or of the code (`BackTab`); keep it out so
        // that `G` typed with or without a reported SHIFT matches the same binding.
        KeyPress {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        }
    }
}

const NAMED: &[(&str, KeyCode)] = &[
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("S-Tab", KeyCode::BackTab),
    ("BS", KeyCode::Backspace),
    ("Del", KeyCode::Delete),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("PageUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
    ("Space", KeyCode::Char(' ')),
    ("lt", KeyCode::Char('<')),
];

impl fmt::Display for KeyPress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let named = NAMED.iter().find(|(_, c)| *c == self.code).map(|(n, _)| *n);
        let base = match (self.code, named) {
            (_, Some(name)) => name.to_string(),
            (KeyCode::F(n), _) => format!("F{n}"),
            (KeyCode::Char(c), _) => c.to_string(),
            (other, _) => format!("{other:?}"),
        };
        let wrap = named.is_some() || matches!(self.code, KeyCode::F(_)) || self.ctrl || self.alt;
        if !wrap {
            return f.write_str(&base);
        }
        let ctrl = if self.ctrl { "C-" } else { "" };
        let alt = if self.alt { "A-" } else { "" };
        write!(f, "<{ctrl}{alt}{base}>")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("key {text:?}: {reason}")]
pub struct BadKey {
    pub text: String,
    pub reason: String,
}

/// One key: `x`, or `<Name>` / `<C-x>` / `<A-x>` / `<F1>`.
pub fn parse_key(text: &str) -> Result<KeyPress, BadKey> {
    let bad = |reason: &str| BadKey {
        text: text.to_string(),
        reason: reason.to_string(),
    };
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if !is_hostile(c) => return Ok(KeyPress::char(c)),
        (None, _) => return Err(bad("empty key")),
        _ => {}
    }
    let inner = text
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .ok_or_else(|| {
            bad("a key is one character or a name in angle brackets, like <Enter> or <C-p>")
        })?;
    if let Some((_, code)) = NAMED.iter().find(|(n, _)| *n == inner) {
        return Ok(KeyPress {
            code: *code,
            ctrl: false,
            alt: false,
        });
    }
    let (mut ctrl, mut alt, mut rest) = (false, false, inner);
    loop {
        if let Some(r) = rest.strip_prefix("C-") {
            (ctrl, rest) = (true, r);
        } else if let Some(r) = rest.strip_prefix("A-") {
            (alt, rest) = (true, r);
        } else {
            break;
        }
    }
    let code = if let Some(n) = rest.strip_prefix('F').and_then(|n| n.parse::<u8>().ok()) {
        KeyCode::F(n)
    } else if let Some((_, code)) = NAMED.iter().find(|(n, _)| *n == rest) {
        *code
    } else {
        let mut cs = rest.chars();
        match (cs.next(), cs.next()) {
            // A control or bidi character is no key a keymap can name, and it would be
            // printed raw in the help and the hint bar (found by tests/fuzz.rs: `<\0>`).
            (Some(c), None) if !is_hostile(c) => KeyCode::Char(c),
            _ => {
                return Err(bad(
                    "unknown key name (Enter, Esc, Tab, S-Tab, BS, Up, Down, PageUp, F1 …)",
                ));
            }
        }
    };
    Ok(KeyPress { code, ctrl, alt })
}

/// A chord: keys separated by spaces (`g g`).
pub fn parse_chord(text: &str) -> Result<Vec<KeyPress>, BadKey> {
    let keys: Vec<KeyPress> = text
        .split_whitespace()
        .map(parse_key)
        .collect::<Result<_, _>>()?;
    if keys.is_empty() {
        return Err(BadKey {
            text: text.into(),
            reason: "empty key".into(),
        });
    }
    Ok(keys)
}

/// A test script of keys and text: `<Tab>/hung<Enter>j` — `<…>` is one named key,
/// anything else one character each.
pub fn parse_script(script: &str) -> Result<Vec<KeyPress>, BadKey> {
    let mut keys = Vec::new();
    let mut rest = script;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && end > 1
        {
            keys.push(parse_key(&rest[..=end])?);
            rest = &rest[end + 1..];
            continue;
        }
        keys.push(KeyPress::char(c));
        rest = &rest[c.len_utf8()..];
    }
    Ok(keys)
}

pub fn chord_text(keys: &[KeyPress]) -> String {
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_print_back() {
        for text in [
            "j",
            "G",
            "?",
            "/",
            ":",
            "<Enter>",
            "<Esc>",
            "<S-Tab>",
            "<C-p>",
            "<F1>",
            "<PageDown>",
            "<A-x>",
        ] {
            let key = parse_key(text).expect(text);
            assert_eq!(key.to_string(), text);
        }
        assert_eq!(parse_chord("g g").expect("chord").len(), 2);
        for bad in [
            "",
            "<>",
            "<Nope>",
            "ab",
            "<C-Nope>",
            "<\0>",
            "<C-\u{1b}>",
            "\u{202e}",
            "<A-\u{200b}>",
        ] {
            assert!(parse_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn scripts_mix_names_and_text() {
        let keys = parse_script("<Tab>/hùng<Enter>j").expect("script");
        assert_eq!(keys.len(), 8);
        assert_eq!(keys[0].code, KeyCode::Tab);
        assert_eq!(keys[3], KeyPress::char('ù'));
        assert_eq!(keys[6].code, KeyCode::Enter);
        assert_eq!(parse_script("a<b").expect("lone <").len(), 3);
    }
}
