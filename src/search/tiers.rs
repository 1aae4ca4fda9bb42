//! How one query word matches one token of a name, by tier: exact, prefix, confusable
//! sound, one typo. The index turns these into a table per query (see `index.rs`), and
//! lights the matched letters with the same rule, so highlight and score never disagree.

use super::query::Term;

/// True when `a` and `b` are one substitution, insertion, deletion or adjacent swap apart.
/// Bounded and allocation-free: it runs on every token of every entry.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 || a == b {
        return false;
    }
    let first = short
        .iter()
        .zip(long)
        .position(|(x, y)| x != y)
        .unwrap_or(short.len());
    if short.len() == long.len() {
        let tail = |n: usize| short[first + n..] == long[first + n..];
        // One substitution, or two neighbours swapped.
        tail(1)
            || (first + 1 < short.len()
                && short[first] == long[first + 1]
                && short[first + 1] == long[first]
                && tail(2))
    } else {
        short[first..] == long[first + 1..]
    }
}

/// How well one word matches one token: (score, chars of the token that matched).
pub(super) fn term_score(term: &Term, token: &str, sound: &str) -> Option<(u32, usize)> {
    let len = term.folded.chars().count();
    if token == term.folded {
        return Some((100, len));
    }
    if token.starts_with(term.folded.as_str()) {
        let full = token.chars().count().max(1) as u32;
        return Some((50 + 30 * len as u32 / full, len));
    }
    if sound == term.sound {
        return Some((60, token.chars().count()));
    }
    if len >= 4 && one_edit_apart(token, &term.folded) {
        return Some((45, token.chars().count()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::one_edit_apart;

    #[test]
    fn one_edit_covers_the_four_slips() {
        assert!(one_edit_apart("nguyen", "nguyan")); // substitution
        assert!(one_edit_apart("nguyen", "ngyuen")); // swap
        assert!(one_edit_apart("nguyen", "nguyn")); // deletion
        assert!(one_edit_apart("nguyen", "nguyeen")); // insertion
        assert!(!one_edit_apart("nguyen", "nguyen"));
        assert!(!one_edit_apart("nguyen", "ngyuan"));
        assert!(!one_edit_apart("hung", "hungry"));
    }
}
