//! A written name cut into the parts the scorer compares. The rules are general, not per
//! name: NFC or NFD in, Vietnamese marks folded the way search folds them (keeping which
//! marks there were, so `Hùng` and `Hưng` stay apart while `Hòa` and `Hoà` meet), other
//! scripts transliterated to Latin letters (Cyrillic, Greek, Arabic …; each Hán, kana or
//! Hangul character is a part of its own, because it is one syllable), punctuation and
//! hyphens split (`Jean-Claude`, `Smith, John`), apostrophes join (`Cho'ng`), digits
//! inside a word read as the letters they look like (`Ig0r`), titles dropped. A repeated
//! part stays repeated: `Abdul Kabir Abdul Jan` has two `Abdul`s to align.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::common_names::{Commonness, commonness};
use crate::domain::text::{fold_char, sound_key};

/// How a part may be compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    /// Letters: compared with edits, sounds and initials.
    Alphabetic,
    /// One Hán, kana or Hangul character: equal or not, since a different character is a
    /// different syllable however close its transliteration (`近平` vs `近朋`).
    Syllabic,
}

/// One part of a name, prepared once for many comparisons.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// As written, NFC, lower case: what reasons show.
    pub shown: String,
    /// Folded: no marks, `đ` → `d`, other scripts in Latin letters.
    pub folded: String,
    pub chars: Vec<char>,
    /// The Vietnamese marks it carried, sorted (so the tone's position does not count), with
    /// `đ`'s stroke as a mark: empty when typed without marks.
    pub marks: Vec<char>,
    /// [`sound_key`] of the folded part.
    pub sound: String,
    /// Doubled letters made single (`hanniball` → `hanibal`).
    pub single: String,
    /// Consonants only, doubles single: `mohammed` and `muhammad` both `mhmd`.
    pub skeleton: String,
    pub script: Script,
    pub agree: f32,
    pub disagree: f32,
    /// A common part (see [`super::common_names`]): agreeing on it is weak evidence.
    pub common: bool,
    /// A lone letter: `J.` for `Joachim` (Mông `A` too: it may stand for `Anh`).
    pub initial: bool,
}

/// Honorifics and titles that are not part of a name: the courtesy titles and the common
/// office titles of the languages the sanctions lists are written in (English, French,
/// German, Spanish/Portuguese/Italian, Russian and Arabic romanised), as folded — so
/// `Präsident` is `prasident`, `Señor` is `senor`. A general list, not one drawn from the
/// test pairs. (`M.`, `Don` and `Doña` are left out: each is also an initial or a name.)
const TITLES: &[&str] = &[
    // English
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "sir",
    "president",
    // French
    "monsieur",
    "madame",
    "mme",
    "mademoiselle",
    "mlle",
    // German
    "herr",
    "frau",
    "prasident",
    "doktor",
    // Spanish, Portuguese, Italian
    "senor",
    "senora",
    "senhor",
    "senhora",
    "signor",
    "signora",
    "presidente",
    // Russian, romanised
    "gospodin",
    "gospozha",
    // Arabic, romanised
    "shaikh",
    "sheikh",
];

/// Particles that join name parts (`bin`, `al`, `de`): weigh little, and the transliteration
/// variants of one particle are equal. A particle is only one when it is not the last part:
/// `Giàng A Dế`'s `Dế` is a given name.
const PARTICLES: &[(&str, &str)] = &[
    ("bin", "bin"),
    ("ben", "bin"),
    ("ibn", "bin"),
    ("bint", "bint"),
    ("al", "al"),
    ("el", "al"),
    ("ul", "al"),
    ("abu", "abu"),
    ("abou", "abu"),
    ("de", "de"),
    ("da", "de"),
    ("del", "de"),
    ("der", "der"),
    ("von", "von"),
];

const PARTICLE: Commonness = Commonness {
    agree: 0.2,
    disagree: 0.1,
};

/// Characters each of which is a syllable with a meaning, hence a part: Hán and Hangul.
/// (Kana spell words sound by sound, like letters.)
fn is_syllabic(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0x20000..=0x2FFFF) // CJK extensions B–F
}

/// Latin letters (with Vietnamese marks): folded by the domain's rule; other scripts go
/// through transliteration.
fn is_latin(c: char) -> bool {
    (c as u32) < 0x0250 || (0x1E00..=0x1EFF).contains(&(c as u32))
}

/// Apostrophes and the modifier letters used for them in romanisations (`Mu'tassim`,
/// `ʻAbd`): they join, never split.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʻ' | 'ʼ' | 'ʾ' | 'ʿ' | '`' | '´')
}

/// Digits read as the letters they are typed for (`Ig0r Sech1n`), inside a word that also
/// has letters: the common "leet" table, each digit as the letter it most looks like.
fn digit_as_letter(c: char) -> char {
    match c {
        '0' => 'o',
        '1' => 'i',
        '2' => 'z',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '6' => 'g',
        '7' => 't',
        '8' => 'b',
        '9' => 'g',
        other => other,
    }
}

/// The parts of one written name.
pub fn tokens(name: &str) -> Vec<Token> {
    let mut words: Vec<(String, Script)> = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, words: &mut Vec<(String, Script)>| {
        if !word.is_empty() {
            words.push((std::mem::take(word), Script::Alphabetic));
        }
    };
    for c in name.nfc() {
        if is_syllabic(c) {
            flush(&mut word, &mut words);
            words.push((c.to_string(), Script::Syllabic));
        } else if c.is_alphanumeric() || is_combining_mark(c) {
            word.push(c);
        } else if !is_apostrophe(c) {
            flush(&mut word, &mut words);
        }
    }
    flush(&mut word, &mut words);

    let count = words.len();
    words
        .into_iter()
        .enumerate()
        .filter_map(|(i, (word, script))| token(&word, script, i + 1 == count))
        .collect()
}

fn token(word: &str, script: Script, last: bool) -> Option<Token> {
    let shown: String = word.chars().flat_map(char::to_lowercase).collect();
    let mut folded = String::with_capacity(word.len());
    let mut marks = Vec::new();
    let has_letters = word.chars().any(char::is_alphabetic);
    for c in word.chars() {
        if c == 'đ' || c == 'Đ' {
            marks.push('\u{335}'); // the stroke, counted as a mark
        }
        if is_latin(c) || c.is_ascii() {
            marks.extend(c.nfd().filter(|m| is_combining_mark(*m)));
            let c = if has_letters { digit_as_letter(c) } else { c };
            folded.extend(fold_char(c));
        } else if !is_combining_mark(c) {
            folded.extend(
                any_ascii::any_ascii_char(c)
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_lowercase()),
            );
        }
    }
    marks.sort_unstable();
    if folded.is_empty() || TITLES.contains(&folded.as_str()) {
        return None;
    }
    let particle = (!last && script == Script::Alphabetic)
        .then(|| PARTICLES.iter().find(|(p, _)| *p == folded))
        .flatten();
    let key = match script {
        Script::Syllabic => shown.clone(),
        Script::Alphabetic => folded.clone(),
    };
    let (weights, common) = match (particle, commonness(&key)) {
        (Some((_, canonical)), _) => {
            folded = (*canonical).to_string();
            (PARTICLE, true)
        }
        (None, Some(c)) => (c, true),
        (None, None) => (
            Commonness {
                agree: 1.0,
                disagree: 1.0,
            },
            false,
        ),
    };
    let chars: Vec<char> = folded.chars().collect();
    let single = single_letters(&chars);
    let skeleton: String = single
        .chars()
        .filter(|c| !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y'))
        .collect();
    Some(Token {
        sound: sound_key(&folded),
        initial: chars.len() == 1 && script == Script::Alphabetic,
        shown,
        folded,
        chars,
        marks,
        single,
        skeleton,
        script,
        agree: weights.agree,
        disagree: weights.disagree,
        common,
    })
}

fn single_letters(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len());
    let mut last = None;
    for &c in chars {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(name: &str) -> Vec<String> {
        tokens(name).into_iter().map(|t| t.folded).collect()
    }

    #[test]
    fn vietnamese_nfc_and_nfd_fold_alike_and_keep_their_marks() {
        let nfd: String = "Nguyễn Văn Hùng".nfd().collect();
        assert_eq!(tokens(&nfd), tokens("Nguyễn Văn Hùng"));
        assert_eq!(folded("Đặng Thị Ánh"), ["dang", "thi", "anh"]);
        let hung = &tokens("Hùng")[0];
        let hung2 = &tokens("Hưng")[0];
        assert_eq!(hung.folded, hung2.folded);
        assert_ne!(hung.marks, hung2.marks);
        // Both tone placements carry the same marks.
        assert_eq!(tokens("Hòa")[0].marks, tokens("Hoà")[0].marks);
        assert_ne!(tokens("Đức")[0].marks, tokens("Dục")[0].marks);
        assert!(tokens("Hung")[0].marks.is_empty());
    }

    #[test]
    fn punctuation_splits_apostrophes_join_titles_go() {
        assert_eq!(folded("Jean-Claude Juncker"), ["jean", "claude", "juncker"]);
        assert_eq!(folded("Putin, Vladimir"), ["putin", "vladimir"]);
        assert_eq!(folded("MUN CHO'NG-MIN"), ["mun", "chong", "min"]);
        assert_eq!(folded("Mr. Rami Makhlouf"), ["rami", "makhlouf"]);
        assert_eq!(folded("Ig0r Sech1n"), ["igor", "sechin"]);
        assert_eq!(
            folded("Shoigu Shoigu Sergey"),
            ["shoigu", "shoigu", "sergey"]
        );
    }

    #[test]
    fn other_scripts_are_transliterated_and_han_is_one_part_per_character() {
        assert_eq!(folded("Владимир Путин"), ["vladimir", "putin"]);
        let han = tokens("王伟");
        assert_eq!(han.len(), 2);
        assert_eq!(han[0].script, Script::Syllabic);
        assert_eq!(han[0].folded, "wang");
        assert!(han[0].common, "王 is a common surname");
        assert!(!han[1].common);
    }

    #[test]
    fn common_parts_and_particles_weigh_little() {
        let t = tokens("Nguyễn Văn Hùng");
        assert!(t[0].common && t[1].common && !t[2].common);
        assert!(t[1].agree < t[2].agree);
        let b = tokens("Mohammed bin Salman");
        assert!(b[1].common && b[1].folded == "bin");
        assert_eq!(tokens("Isa Ben Tarif")[1].folded, "bin");
        // A last part is never a particle.
        assert!(!tokens("Giàng A Dế")[2].common);
        assert_eq!(
            tokens("Mohammed")[0].skeleton,
            tokens("Muhammad")[0].skeleton
        );
        assert!(tokens("J. Smith")[0].initial);
    }
}
