//! Text rules for everything that comes from outside: names are kept in NFC (NFD input is
//! accepted and composed), and text that could drive a terminal — C0/C1 controls, DEL,
//! escape sequences, bidi overrides — is refused on input and neutralised on output.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// Compose to NFC: ratatui draws decomposed (NFD) Vietnamese badly, and equal names must be
/// equal bytes for keys and exports.
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// Characters that must never reach a terminal from stored data. Zero-width characters
/// drive no terminal, but they hide a name from screening and search (`Giàng\u{200B}A Sử`
/// looks like `Giàng A Sử` and matches nothing), so they are refused and shown as U+FFFD too.
/// Tab and newline are included: a one-line field has no use for them, and multi-line
/// fields are checked with [`find_hostile_multiline`].
pub fn is_hostile(c: char) -> bool {
    c.is_control() // C0, DEL, C1 (ESC, CSI 0x9B, OSC 0x9D, DCS 0x90 …)
        || matches!(c,
            '\u{200E}' | '\u{200F}' |           // LRM, RLM
            '\u{202A}'..='\u{202E}' |           // LRE RLE PDF LRO RLO
            '\u{2066}'..='\u{2069}' |           // LRI RLI FSI PDI
            '\u{206A}'..='\u{206F}' |           // deprecated shaping and bidi controls
            '\u{200B}'..='\u{200D}' |           // zero-width space, non-joiner, joiner
            '\u{2060}'..='\u{2064}' |           // word joiner, invisible operators
            '\u{180E}' |                        // Mongolian vowel separator (invisible)
            '\u{061C}' |                        // Arabic letter mark
            '\u{FEFF}' |                        // BOM / zero-width no-break space
            '\u{FFF9}'..='\u{FFFB}') // interlinear annotation controls
}

/// The first hostile character of a one-line field: (char index, char).
pub fn find_hostile(text: &str) -> Option<(usize, char)> {
    text.chars().enumerate().find(|(_, c)| is_hostile(*c))
}

/// As [`find_hostile`], but newlines are allowed (notes, free text).
pub fn find_hostile_multiline(text: &str) -> Option<(usize, char)> {
    text.chars()
        .enumerate()
        .find(|(_, c)| *c != '\n' && is_hostile(*c))
}

/// The first hostile character in any string (or key) of a JSON value; line breaks are
/// allowed, because notes may hold them. Catches `\u001b` that only appears once decoded.
pub fn first_hostile_in_json(value: &serde_json::Value) -> Option<char> {
    match value {
        serde_json::Value::String(s) => find_hostile_multiline(s).map(|(_, c)| c),
        serde_json::Value::Array(items) => items.iter().find_map(first_hostile_in_json),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            find_hostile(k)
                .map(|(_, c)| c)
                .or_else(|| first_hostile_in_json(v))
        }),
        _ => None,
    }
}

/// How a hostile character is named in an error message: `U+001B (ESC)`.
pub fn describe_char(c: char) -> String {
    let name = match c {
        '\u{1B}' => " (ESC, starts an escape sequence)",
        '\u{9B}' => " (CSI)",
        '\u{9D}' => " (OSC)",
        '\u{90}' => " (DCS)",
        '\u{07}' => " (BEL)",
        '\t' => " (tab)",
        '\n' => " (line feed)",
        '\r' => " (carriage return)",
        '\u{202E}' => " (right-to-left override)",
        '\u{202D}' => " (left-to-right override)",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

/// Text made safe to print on a terminal: NFC, and every hostile character replaced by
/// U+FFFD so that nothing stored can move the cursor, set a title or write the clipboard.
pub fn display_safe(text: &str) -> Cow<'_, str> {
    let composed_already = unicode_normalization::is_nfc(text);
    if composed_already && !text.chars().any(is_hostile) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.nfc()
            .map(|c| if is_hostile(c) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// `text` cut to at most `width` terminal cells, ending in `…` when cut: a reader sees that
/// something is missing (`under investiga` reads as a word; `under investi…` does not).
pub fn cut(text: &str, width: usize) -> Cow<'_, str> {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    Cow::Owned(out)
}

/// [`cut`], then padded with spaces to exactly `width` cells (for columns of plain text).
pub fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let cut = cut(text, width);
    let pad = width.saturating_sub(cut.width());
    format!("{cut}{}", " ".repeat(pad))
}

/// Fold for loose comparison: strip Vietnamese marks, `đ`→`d`, lower-case.
/// (`Hùng` and `Hưng` both fold to `hung`: callers that care rank exact marks first.)
pub fn fold(text: &str) -> String {
    text.chars().flat_map(fold_char).collect()
}

/// One character folded: its base letter(s) without marks, lower case; `đ` → `d`.
/// The one rule of folding, shared by [`fold`] and the search engine.
pub fn fold_char(c: char) -> impl Iterator<Item = char> {
    c.nfd()
        .filter(|m| !unicode_normalization::char::is_combining_mark(*m))
        .flat_map(|base| match base {
            'đ' | 'Đ' => 'd'.to_lowercase(),
            other => other.to_lowercase(),
        })
}

/// The sounds officers confuse when they hear or type a name: `gi`/`r` → `d`, `y` → `i`,
/// `x` → `s`, `tr` → `ch`, `k`/`q` → `c`, final `ng` → `n`. Applied to a folded token.
pub fn sound_key(token: &str) -> String {
    let mut key = String::with_capacity(token.len());
    let bytes = token.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &token[i..];
        let (out, step) = if rest.starts_with("gi") && i == 0 && bytes.len() > 2 {
            ("d", 2)
        } else if rest.starts_with("tr") {
            ("ch", 2)
        } else if rest.starts_with("ng") && rest.len() == 2 {
            ("n", 2)
        } else if rest.starts_with("qu") {
            ("c", 2)
        } else {
            match bytes[i] {
                b'r' if i == 0 => ("d", 1),
                b'y' => ("i", 1),
                b'x' => ("s", 1),
                b'k' | b'q' => ("c", 1),
                _ => (
                    &rest[..rest.chars().next().map_or(1, char::len_utf8)],
                    rest.chars().next().map_or(1, char::len_utf8),
                ),
            }
        };
        key.push_str(out);
        i += step;
    }
    key
}

/// `&'static str` under another name: serde's derive then does not take the field as borrowed
/// from the input (which would tie it to a `'static` input); [`static_str`] reads it.
pub type StaticStr = &'static str;

/// Deserializes a `&'static str` field (a stable key or code): each distinct text is kept
/// once for the life of the process, so reading the same keys again costs nothing more.
/// Only for the small fixed sets such fields hold (section keys, codes).
pub fn static_str<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static KEPT: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let text = <String as serde::Deserialize>::deserialize(d)?;
    let mut kept = KEPT
        .get_or_init(Default::default)
        .lock()
        .map_err(|_| serde::de::Error::custom("interned strings poisoned"))?;
    if let Some(found) = kept.get(text.as_str()) {
        return Ok(found);
    }
    let leaked: &'static str = Box::leak(text.into_boxed_str());
    kept.insert(leaked);
    Ok(leaked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_input_composes() {
        let nfd: String = "Giàng A Sử".nfd().collect();
        assert_ne!(nfd, "Giàng A Sử");
        assert_eq!(nfc(&nfd), "Giàng A Sử");
    }

    #[test]
    fn hostile_characters_are_found_and_neutralised() {
        for bad in [
            "a\u{1b}[31mb",
            "x\u{9b}2J",
            "\u{1b}]52;c;ZXZpbA==\u{7}",
            "ab\u{202e}cd",
            "a\rb",
        ] {
            assert!(find_hostile(bad).is_some(), "{bad:?}");
            let shown = display_safe(bad);
            assert!(!shown.chars().any(is_hostile), "{shown:?}");
        }
        assert_eq!(find_hostile("Lò Văn Pánh"), None);
        assert_eq!(find_hostile_multiline("dòng 1\ndòng 2"), None);
        assert!(find_hostile_multiline("a\u{1b}b").is_some());
        assert!(matches!(display_safe("Lò Văn Pánh"), Cow::Borrowed(_)));
    }

    #[test]
    fn nfd_text_is_shown_as_nfc() {
        let nfd: String = "Giàng A Sử".nfd().collect();
        assert_eq!(display_safe(&nfd), "Giàng A Sử");
    }

    #[test]
    fn folding_strips_marks_and_dd() {
        assert_eq!(fold("Đặng Thị Ánh"), "dang thi anh");
        assert_eq!(fold("Hùng"), fold("Hưng"));
    }
}
