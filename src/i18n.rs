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

    /// From the `LANG` environment variable (English when it is not set).
    pub fn from_env() -> Lang {
        Lang::from_locale(&std::env::var("LANG").unwrap_or_default())
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

/// A message said in both languages where it is made, shown in the reader's: an import
/// problem, a refusal, an error that crosses the daemon's socket. `Display` is the English
/// text (logs); [`Said::get`] is what a person reads.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Said {
    pub vi: String,
    pub en: String,
}

impl Said {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Said {
        Said {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The same text in both (a name, a file's own words).
    pub fn both(text: impl Into<String>) -> Said {
        let text = text.into();
        Said {
            vi: text.clone(),
            en: text,
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }

    /// Both texts with `prefix` before each: `Said::new("a", "b").after(&Said::new("x: ", "y: "))`.
    pub fn after(self, prefix: &Said) -> Said {
        Said {
            vi: format!("{}{}", prefix.vi, self.vi),
            en: format!("{}{}", prefix.en, self.en),
        }
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

/// `KEY = VALUE: expected LOW to HIGH UNIT`, a config file's usual refusal; `unit` is
/// `(vi, en)`.
pub fn out_of_range(
    key: &str,
    value: impl std::fmt::Display,
    (low, high): (impl std::fmt::Display, impl std::fmt::Display),
    (unit_vi, unit_en): (&str, &str),
) -> Said {
    Said::new(
        format!("{key} = {value}: cần từ {low} đến {high} {unit_vi}"),
        format!("{key} = {value}: expected {low} to {high} {unit_en}"),
    )
}

/// What the operating system said, in both languages: the usual kinds in words an
/// officer reads; any other with the system's own text in both.
pub fn io_error(e: &std::io::Error) -> Said {
    use std::io::ErrorKind as K;
    let vi = match e.kind() {
        K::NotFound => "không có tệp hoặc thư mục này",
        K::PermissionDenied => "không có quyền truy cập",
        K::AlreadyExists => "tệp đã có",
        K::StorageFull => "đĩa đầy",
        K::ReadOnlyFilesystem => "hệ thống tệp chỉ đọc",
        K::IsADirectory => "đây là thư mục, không phải tệp",
        K::NotADirectory => "không phải thư mục",
        K::DirectoryNotEmpty => "thư mục không trống",
        K::BrokenPipe => "bên đọc đã đóng",
        K::ConnectionRefused => "kết nối bị từ chối",
        K::TimedOut => "quá thời gian chờ",
        K::UnexpectedEof => "tệp bị cắt cụt",
        _ => "",
    };
    let en = e.to_string();
    if vi.is_empty() {
        Said::new(format!("lỗi hệ thống: {en}"), en)
    } else {
        Said::new(vi, en)
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
