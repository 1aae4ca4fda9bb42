//! How alike two name parts are, in [0, 1], and why. Exact and fold-equal parts first, then
//! the confusions officers make (the Vietnamese sound keys, doubled letters, the vowels of a
//! transliteration), then spelling: Jaro-Winkler (as Moov Watchman does per token) averaged
//! with an edit similarity in which an edit between look-alike or neighbouring letters costs
//! less than any other (as OpenSanctions' logic-v2 weighs them).

use serde::Serialize;

use super::tokens::{Script, Token};

/// Why two parts were taken as the same part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    /// Same letters, same marks (or the same Hán character).
    Exact,
    /// Same letters; one was written without marks.
    MarksDropped,
    /// Same letters, other marks: `Hùng` / `Hưng` (a different name, or a slip).
    MarksDiffer,
    /// Sounds officers confuse: `s/x`, `ch/tr`, `i/y`, `d/gi/r`, `c/k/q`, final `ng/n`.
    Sound,
    /// One spelling variant of the other: doubled letters, other vowels of one
    /// transliteration (`Mohammed` / `Muhammad`).
    Variant,
    /// A lone letter for the part: `J.` for `Joachim`.
    Initial,
    /// Spelt alike but not the same: a typo, or a different name.
    Spelling,
    /// Written as one word on one side and as several on the other.
    Joined,
}

impl How {
    pub fn code(self) -> &'static str {
        match self {
            How::Exact => "exact",
            How::MarksDropped => "marks_dropped",
            How::MarksDiffer => "marks_differ",
            How::Sound => "sound",
            How::Variant => "variant",
            How::Initial => "initial",
            How::Spelling => "spelling",
            How::Joined => "joined",
        }
    }

    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            How::Exact => lang.pick("trùng", "equal"),
            How::MarksDropped => lang.pick("trùng, thiếu dấu", "equal without marks"),
            How::MarksDiffer => lang.pick("khác dấu", "other marks"),
            How::Sound => lang.pick("âm dễ nhầm", "confusable sound"),
            How::Variant => lang.pick("biến thể cách viết", "spelling variant"),
            How::Initial => lang.pick("chữ cái đầu", "initial"),
            How::Spelling => lang.pick("viết gần giống", "similar spelling"),
            How::Joined => lang.pick("viết liền/tách", "joined or split"),
        }
    }
}

/// Similarity of a mark-only difference: the same letters with other marks is as often a
/// different name (`Hùng`/`Hưng`, `Đức`/`Dục`) as a slip, so it is a middling match.
pub const MARKS_DIFFER: f64 = 0.8;

/// The most a pair with other letters and other marks can score: below full agreement.
const OTHER_LETTERS_AND_MARKS: f64 = 0.75;

/// Two parts compared: similarity in [0, 1] and why.
pub fn compare(a: &Token, b: &Token) -> (f64, How) {
    if a.script == Script::Syllabic && b.script == Script::Syllabic {
        return if a.shown == b.shown {
            (1.0, How::Exact)
        } else {
            (0.0, How::Spelling)
        };
    }
    if a.folded == b.folded {
        return if a.marks == b.marks {
            (1.0, How::Exact)
        } else if a.marks.is_empty() || b.marks.is_empty() {
            (0.97, How::MarksDropped)
        } else {
            (MARKS_DIFFER, How::MarksDiffer)
        };
    }
    if a.initial || b.initial {
        let (short, long) = if a.initial { (a, b) } else { (b, a) };
        return if long.chars.first() == short.chars.first() {
            (1.0, How::Initial)
        } else {
            (0.0, How::Initial)
        };
    }
    if a.chars.len() >= 2 && b.chars.len() >= 2 && a.sound == b.sound {
        return (0.95, How::Sound);
    }
    if a.single == b.single {
        return (0.95, How::Variant);
    }
    let mut spelling = spelling(&a.chars, &b.chars);
    // Other letters *and* other marks (`Thắng` / `Thành`, `Dũng` / `Dương`): a clerk's slip
    // changes one or the other, so both changing points to another name.
    let marks_differ = !a.marks.is_empty() && !b.marks.is_empty() && a.marks != b.marks;
    if marks_differ {
        spelling = spelling.min(OTHER_LETTERS_AND_MARKS);
    }
    // Consonant skeletons tell transliterations apart only in longer words: in a Vietnamese
    // syllable (`dung`, `duong`, `dang`) the vowels are the name.
    let long = a.chars.len() >= 5 && b.chars.len() >= 5;
    if long
        && !marks_differ
        && a.skeleton.len() >= 3
        && a.skeleton == b.skeleton
        && a.chars.first() == b.chars.first()
    {
        return (spelling.max(0.9), How::Variant);
    }
    (spelling, How::Spelling)
}

/// Spelling similarity of two folded parts: the mean of Jaro-Winkler and a weighted edit
/// similarity. Jaro-Winkler alone forgives too much on a shared start (`Lind` vs
/// `Lindemann` ≈ 0.89); the edit similarity alone punishes short names' single typos.
pub fn spelling(a: &[char], b: &[char]) -> f64 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let jw = jaro_winkler(a, b);
    let edit = 1.0 - weighted_osa(a, b) / longest as f64;
    0.5 * jw + 0.5 * edit.max(0.0)
}

/// Jaro-Winkler similarity (prefix scale 0.1, up to four letters), on chars.
pub fn jaro_winkler(a: &[char], b: &[char]) -> f64 {
    let jaro = jaro(a, b);
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    jaro + prefix as f64 * 0.1 * (1.0 - jaro)
}

/// Names are short: letters past this many are not compared (and nothing is allocated).
const MAX_LEN: usize = 32;

fn jaro(a: &[char], b: &[char]) -> f64 {
    let (a, b) = (&a[..a.len().min(MAX_LEN)], &b[..b.len().min(MAX_LEN)]);
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut b_used = [false; MAX_LEN];
    let mut a_matched = ['\0'; MAX_LEN];
    let mut m = 0;
    for (i, &c) in a.iter().enumerate() {
        let from = i.saturating_sub(window);
        let to = (i + window + 1).min(b.len());
        if let Some(j) = (from..to).find(|&j| !b_used[j] && b[j] == c) {
            b_used[j] = true;
            a_matched[m] = c;
            m += 1;
        }
    }
    if m == 0 {
        return 0.0;
    }
    let b_matched = b.iter().zip(&b_used).filter(|(_, u)| **u).map(|(c, _)| *c);
    let transpositions = a_matched[..m]
        .iter()
        .zip(b_matched)
        .filter(|(x, y)| **x != *y)
        .count()
        / 2;
    let m = m as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64) / m) / 3.0
}

/// Optimal-string-alignment distance where what people confuse costs less: look-alike and
/// sound-alike letters, neighbouring keys, vowels for vowels, a doubled letter, two letters
/// swapped.
fn weighted_osa(a: &[char], b: &[char]) -> f64 {
    let (a, b) = (&a[..a.len().min(MAX_LEN)], &b[..b.len().min(MAX_LEN)]);
    let m = b.len();
    // Three rolling rows (i − 2, i − 1, i) on the stack.
    let mut rows = [[0.0f64; MAX_LEN + 1]; 3];
    if a.is_empty() {
        return m as f64;
    }
    for (j, cell) in rows[0].iter_mut().enumerate().take(m + 1) {
        *cell = j as f64;
    }
    for i in 1..=a.len() {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur][0] = i as f64;
        for j in 1..=m {
            let sub = rows[prev][j - 1] + substitution(a[i - 1], b[j - 1]);
            let del = rows[prev][j] + indel(a, i - 1);
            let ins = rows[cur][j - 1] + indel(b, j - 1);
            let mut best = sub.min(del).min(ins);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[prev2][j - 2] + 0.6);
            }
            rows[cur][j] = best;
        }
    }
    rows[a.len() % 3][m]
}

/// Inserting or dropping a letter next to the same letter (`Basharr`) is a slip of the key.
fn indel(word: &[char], i: usize) -> f64 {
    let c = word[i];
    let doubled = (i > 0 && word[i - 1] == c) || word.get(i + 1) == Some(&c);
    if doubled { 0.4 } else { 1.0 }
}

fn substitution(x: char, y: char) -> f64 {
    if x == y {
        return 0.0;
    }
    match (letter_index(x), letter_index(y)) {
        (Some(i), Some(j)) => COSTS[i][j],
        _ => 1.0,
    }
}

fn letter_index(c: char) -> Option<usize> {
    c.is_ascii_lowercase().then(|| (c as u8 - b'a') as usize)
}

/// Substitution costs between the 26 letters, worked out once at compile time.
static COSTS: [[f64; 26]; 26] = costs();

const fn costs() -> [[f64; 26]; 26] {
    let mut table = [[1.0; 26]; 26];
    let mut i = 0;
    while i < 26 {
        let mut j = 0;
        while j < 26 {
            let (x, y) = (b'a' + i as u8, b'a' + j as u8);
            table[i][j] = if i == j {
                0.0
            } else if look_alike(x, y) {
                0.4
            } else if is_vowel(x) && is_vowel(y) {
                0.6
            } else if keyboard_neighbours(x, y) {
                0.7
            } else {
                1.0
            };
            j += 1;
        }
        i += 1;
    }
    table
}

const fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

const fn contains(set: &[u8], c: u8) -> bool {
    let mut k = 0;
    while k < set.len() {
        if set[k] == c {
            return true;
        }
        k += 1;
    }
    false
}

/// Letters that stand for one sound in some spelling or romanisation.
const fn look_alike(x: u8, y: u8) -> bool {
    const GROUPS: [&[u8]; 8] = [b"iyj", b"ckq", b"szx", b"vw", b"fp", b"dt", b"gk", b"bp"];
    let mut g = 0;
    while g < GROUPS.len() {
        if contains(GROUPS[g], x) && contains(GROUPS[g], y) {
            return true;
        }
        g += 1;
    }
    false
}

/// (row, column) of a letter on a QWERTY keyboard.
const fn key_at(c: u8) -> Option<(i32, i32)> {
    const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    let mut r = 0;
    while r < ROWS.len() {
        let mut col = 0;
        while col < ROWS[r].len() {
            if ROWS[r][col] == c {
                return Some((r as i32, col as i32));
            }
            col += 1;
        }
        r += 1;
    }
    None
}

/// Neighbours on a QWERTY keyboard (Vietnamese Telex and VNI type on one).
const fn keyboard_neighbours(x: u8, y: u8) -> bool {
    // Rows are staggered: a key touches the two keys above it at its column and the
    // next, and the two below at its column and the one before.
    match (key_at(x), key_at(y)) {
        (Some((r1, c1)), Some((r2, c2))) => match r2 - r1 {
            0 => (c1 - c2).abs() == 1,
            -1 => c2 - c1 == 0 || c2 - c1 == 1,
            1 => c1 - c2 == 0 || c1 - c2 == 1,
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokens;
    use super::*;

    fn sim(a: &str, b: &str) -> (f64, How) {
        compare(&tokens(a)[0], &tokens(b)[0])
    }

    #[test]
    fn marks_dropped_is_near_equal_marks_differing_is_not() {
        assert_eq!(sim("Hùng", "Hùng"), (1.0, How::Exact));
        assert_eq!(sim("Hung", "Hùng").1, How::MarksDropped);
        assert_eq!(sim("Hưng", "Hùng"), (MARKS_DIFFER, How::MarksDiffer));
        assert_eq!(sim("Hoà", "Hòa"), (1.0, How::Exact));
    }

    #[test]
    fn confusable_sounds_and_variants() {
        for (a, b) in [
            ("Sử", "Xử"),
            ("Trung", "Chung"),
            ("Thủy", "Thủi"),
            ("Giang", "Dang"),
        ] {
            assert_eq!(sim(a, b).1, How::Sound, "{a} {b}");
        }
        assert_eq!(sim("Hanniball", "Hannibal").1, How::Variant);
        assert_eq!(sim("Mohammed", "Muhammad").1, How::Variant);
    }

    #[test]
    fn typos_score_high_and_other_names_low() {
        assert!(sim("Lukashnko", "Lukashenko").0 > 0.9);
        assert!(sim("Scholze", "Scholz").0 > 0.9);
        assert!(sim("Lind", "Lindemann").0 < 0.75);
        assert!(sim("Daniel", "Donald").0 < 0.75);
        assert!(sim("Hùng", "Dũng").0 < 0.85);
        assert!(sim("Thắng", "Thành").0 <= OTHER_LETTERS_AND_MARKS);
        assert_eq!(sim("Dũng", "Dương").1, How::Spelling);
        assert!(keyboard_neighbours(b'g', b'h') && keyboard_neighbours(b'u', b'j'));
        assert!(!keyboard_neighbours(b'a', b'p'));
        assert_eq!(substitution('c', 'k'), 0.4);
        assert_eq!(substitution('a', 'o'), 0.6);
        assert_eq!(substitution('g', 'h'), 0.7);
        assert_eq!(substitution('h', 'd'), 1.0);
    }
}
