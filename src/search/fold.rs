//! Folding for search: every Vietnamese letter with marks (NFC or NFD input) to its base
//! letter, `đ` to `d`, lower case, punctuation to spaces — keeping, for each folded
//! character, the index of the original character it came from, so that a match can be
//! highlighted on the original text by character, never by byte.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Text folded for matching, with `origin[i]` = the index (in chars of the NFC original)
/// of folded char `i`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folded {
    pub text: String,
    pub origin: Vec<u32>,
}

/// One character folded as the domain folds it; punctuation and controls become spaces.
fn fold_char(c: char, out: &mut String) {
    if c.is_alphanumeric() {
        out.extend(crate::domain::text::fold_char(c));
    } else {
        out.push(' ');
    }
}

/// Folds `text` (NFC or NFD), mapping each folded char back to its NFC char.
pub fn fold(text: &str) -> Folded {
    let mut folded = Folded {
        text: String::with_capacity(text.len()),
        origin: Vec::with_capacity(text.len()),
    };
    let mut piece = String::new();
    for (i, c) in text.nfc().enumerate() {
        piece.clear();
        if is_combining_mark(c) {
            continue; // a mark left over after composition (no precomposed form): drop it
        }
        fold_char(c, &mut piece);
        for f in piece.chars() {
            folded.text.push(f);
            folded.origin.push(u32::try_from(i).unwrap_or(u32::MAX));
        }
    }
    folded
}

/// Just the folded text.
pub fn fold_text(text: &str) -> String {
    fold(text).text
}

/// The lower-cased NFC text with marks kept, for "typed with marks ⇒ exact marks first".
pub fn lower_marks(text: &str) -> String {
    text.nfc().flat_map(char::to_lowercase).collect()
}

/// Whether the text carries Vietnamese marks (or `đ`): then exact-mark matches rank first.
pub fn has_marks(text: &str) -> bool {
    text.nfd().any(is_combining_mark) || text.contains(['đ', 'Đ'])
}

/// The sounds officers confuse (`gi`/`r` → `d`, `y` → `i`, …): one rule, kept with folding
/// in the domain because screening uses it too.
pub use crate::domain::text::sound_key;

#[cfg(test)]
mod tests {
    use super::*;

    /// The 67 lower-case Vietnamese letters with marks, and their base letters.
    const LETTERS: [(&str, char); 7] = [
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("đ", 'd'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ìíỉĩị", 'i'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ùúủũụưừứửữự", 'u'),
        ("ỳýỷỹỵ", 'y'),
    ];

    #[test]
    fn all_134_letters_fold_in_nfc_and_nfd() {
        let mut count = 0;
        for (letters, base) in LETTERS {
            for lower in letters.chars() {
                for letter in [lower, lower.to_uppercase().next().expect("upper")] {
                    count += 1;
                    let nfc = letter.to_string();
                    let nfd: String = nfc.nfd().collect();
                    assert_eq!(fold_text(&nfc), base.to_string(), "{letter} (NFC)");
                    assert_eq!(fold_text(&nfd), base.to_string(), "{letter} (NFD)");
                    assert_eq!(fold(&nfd).origin, vec![0], "{letter}: one char in, one out");
                }
            }
        }
        assert_eq!(count, 134);
    }

    #[test]
    fn punctuation_and_controls_become_spaces_and_positions_map_back() {
        let f = fold("Nguyễn-Văn\u{1b}Hùng");
        assert_eq!(f.text, "nguyen van hung");
        // 'h' of "hùng" is char 11 of the original.
        assert_eq!(f.origin[11], 11);
        assert!(has_marks("Hùng") && has_marks("Đinh") && !has_marks("Hung"));
        assert_eq!(lower_marks("HÙNG"), "hùng");
    }

    #[test]
    fn sound_keys_merge_what_officers_confuse() {
        assert_eq!(sound_key("giang"), sound_key("dang"));
        assert_eq!(sound_key("thuy"), sound_key("thui"));
        assert_eq!(sound_key("xuan"), sound_key("suan"));
        assert_eq!(sound_key("trung"), sound_key("chun"));
        assert_eq!(sound_key("kien"), sound_key("cien"));
        assert_ne!(sound_key("hung"), sound_key("hong"));
    }
}
