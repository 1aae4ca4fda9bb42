//! Query parsing: free words (folded, order does not matter) and field prefixes —
//! `id:0012`, `sinh:1990`/`dob:1990`, `xa:`/`commune:`, `tt:`/`status:`, `kind:`.

use crate::domain::Kind;

use super::fold::{fold_text, has_marks, lower_marks, sound_key};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub folded: String,
    /// Lower case with marks, when the officer typed marks: exact marks rank first.
    pub marked: Option<String>,
    pub sound: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filter {
    /// Identity number or record ID starts with (or contains) this.
    Id(String),
    /// Born in this year, or on this date (`1990`, `1990-05`, `1990-05-12`).
    Born(String),
    Commune(String),
    Status(String),
    Kind(Kind),
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Query {
    pub terms: Vec<Term>,
    pub filters: Vec<Filter>,
}

/// Longest query looked at; the rest of a pasted page is ignored.
pub const MAX_QUERY_CHARS: usize = 200;

fn kind_from(text: &str) -> Option<Kind> {
    let word = fold_text(text).trim().to_string();
    match word.as_str() {
        "person" | "persons" | "doituong" | "dt" => Some(Kind::Person),
        "guest" | "guests" | "khach" | "lt" | "luutru" => Some(Kind::GuestStay),
        "ld" | "luudong" => Some(Kind::WatchEntry),
        other => Kind::from_name(other).or_else(|| Kind::from_prefix(&other.to_ascii_uppercase())),
    }
}

impl Query {
    pub fn parse(text: &str) -> Query {
        let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
        let mut query = Query::default();
        for word in text.split_whitespace() {
            if let Some((prefix, value)) = word.split_once(':')
                && !value.is_empty()
            {
                let filter = match fold_text(prefix).trim() {
                    "id" | "so" | "cccd" => Some(Filter::Id(fold_text(value).replace(' ', ""))),
                    "sinh" | "dob" | "ns" => Some(Filter::Born(value.trim().to_string())),
                    "xa" | "commune" | "phuong" => {
                        Some(Filter::Commune(fold_text(value).trim().to_string()))
                    }
                    "tt" | "status" => Some(Filter::Status(fold_text(value).trim().to_string())),
                    "kind" | "loai" => kind_from(value).map(Filter::Kind),
                    _ => None,
                };
                if let Some(filter) = filter {
                    query.filters.push(filter);
                    continue;
                }
            }
            let marked = has_marks(word).then(|| lower_marks(word));
            let marked_parts: Vec<String> = marked
                .as_deref()
                .map(|m| {
                    m.split(|c: char| !c.is_alphanumeric())
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            for (n, part) in fold_text(word).split_whitespace().enumerate() {
                query.terms.push(Term {
                    folded: part.to_string(),
                    marked: marked_parts.get(n).cloned(),
                    sound: sound_key(part),
                });
            }
        }
        query
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.filters.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_prefixes() {
        let q = Query::parse("Giàng su sinh:1990 xa:Thu-Lũm id:0012 tt:wanted kind:wanted");
        assert_eq!(
            q.terms
                .iter()
                .map(|t| t.folded.as_str())
                .collect::<Vec<_>>(),
            ["giang", "su"]
        );
        assert_eq!(q.terms[0].marked.as_deref(), Some("giàng"));
        assert_eq!(q.terms[1].marked, None);
        assert_eq!(
            q.filters,
            vec![
                Filter::Born("1990".into()),
                Filter::Commune("thu lum".into()),
                Filter::Id("0012".into()),
                Filter::Status("wanted".into()),
                Filter::Kind(Kind::Wanted),
            ]
        );
    }

    #[test]
    fn junk_queries_are_empty_not_errors() {
        assert!(Query::parse("").is_empty());
        assert!(Query::parse("  ,.;!? -- ").is_empty());
        assert!(Query::parse("\u{1b}\u{7}\u{9b}\u{0}\u{202e}[]").is_empty());
        let long = "nguyễn ".repeat(200);
        assert!(Query::parse(&long).terms.len() <= MAX_QUERY_CHARS / 7 + 1);
    }
}
