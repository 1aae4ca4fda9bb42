//! The two interface languages. Every user-visible string exists in Vietnamese and English;
//! [`Lang::pick`] chooses between a pair written side by side at the call site, so a missing
//! translation is a compile error rather than a blank on screen.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn pick(self, vi: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// As [`Lang::pick`], for text built at run time.
    pub fn pick_owned(self, vi: &str, en: &str) -> String {
        match self {
            Lang::Vi => vi.to_string(),
            Lang::En => en.to_string(),
        }
    }

    /// From a `LANG`-style value: `vi_VN.UTF-8` → Vietnamese, anything else English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("vi") {
            Lang::Vi
        } else {
            Lang::En
        }
    }

    /// `1.000.000` in Vietnamese, `1,000,000` in English.
    pub fn number(self, n: usize) -> String {
        let separator = match self {
            Lang::Vi => '.',
            Lang::En => ',',
        };
        let digits = n.to_string();
        let mut out = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(digit);
        }
        out
    }

    pub fn parse(text: &str) -> Option<Lang> {
        match text {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn numbers_group_thousands_in_each_language() {
        assert_eq!(Lang::Vi.number(1_000_000), "1.000.000");
        assert_eq!(Lang::En.number(1_000_000), "1,000,000");
        assert_eq!(Lang::En.number(5_000), "5,000");
        assert_eq!(Lang::En.number(999), "999");
        assert_eq!(Lang::Vi.number(0), "0");
    }
}
