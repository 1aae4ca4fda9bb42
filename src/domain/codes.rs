//! Closed vocabularies (status, class, danger, kinds …). Each is stored and exported by a
//! stable English code, and shown with a Vietnamese or English label. Import also accepts
//! the Vietnamese label typed with or without marks (`đặc biệt`, `dac biet`, `dac_biet`).

/// Declares an enum with its code, labels and parsing; see the module doc.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $vi:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self, lang: $crate::i18n::Lang) -> &'static str {
                match self { $($name::$variant => lang.pick($vi, $en)),+ }
            }

            /// The code, or the Vietnamese label with or without marks, any case.
            pub fn parse(text: &str) -> Option<Self> {
                let key = $crate::domain::text::fold(text.trim()).replace([' ', '-'], "_");
                Self::ALL.iter().copied().find(|v| {
                    v.code() == key
                        || $crate::domain::text::fold(v.label($crate::i18n::Lang::Vi))
                            .replace([' ', '-'], "_") == key
                })
            }

            /// `one of: wanted, arrested, …` for error messages, in both languages.
            pub fn expected() -> $crate::i18n::Said {
                let codes: Vec<&str> = Self::ALL.iter().map(|v| v.code()).collect();
                $crate::i18n::Said::new(
                    format!("một trong: {}", codes.join(", ")),
                    format!("one of: {}", codes.join(", ")),
                )
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                Self::parse(&text).ok_or_else(|| {
                    serde::de::Error::custom(format!("{text:?} is not {}", Self::expected()))
                })
            }
        }
    };
}

pub(crate) use code_enum;

code_enum!(Gender {
    Male = "male", "nam", "male";
    Female = "female", "nữ", "female";
    Unknown = "unknown", "không rõ", "unknown";
});

impl Gender {
    /// As lodging software and clerks write it too: `M` / `F` besides the codes and the
    /// Vietnamese labels (`Nam`, `Nữ`, `nu`).
    pub fn parse_declared(text: &str) -> Option<Gender> {
        match text.trim().to_ascii_uppercase().as_str() {
            "M" => Some(Gender::Male),
            "F" => Some(Gender::Female),
            _ => Gender::parse(text),
        }
    }
}

code_enum!(
    /// The kind of identity document whose number a record carries.
    IdKind {
        Cccd = "cccd", "CCCD", "citizen ID (CCCD)";
        Cmnd = "cmnd", "CMND", "old ID card (CMND)";
        Passport = "passport", "hộ chiếu", "passport";
        BorderPass = "border_pass", "giấy thông hành", "border pass";
        Other = "other", "khác", "other";
    }
);

code_enum!(Risk {
    Low = "low", "thấp", "low";
    Medium = "medium", "trung bình", "medium";
    High = "high", "cao", "high";
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn codes_and_vietnamese_labels_parse() {
        assert_eq!(Gender::parse("female"), Some(Gender::Female));
        assert_eq!(Gender::parse("Nữ"), Some(Gender::Female));
        assert_eq!(Gender::parse("nu"), Some(Gender::Female));
        assert_eq!(Risk::parse("trung binh"), Some(Risk::Medium));
        assert_eq!(Gender::parse("x"), None);
        assert_eq!(Risk::expected().en, "one of: low, medium, high");
        assert_eq!(Risk::expected().vi, "một trong: low, medium, high");
        assert_eq!(IdKind::BorderPass.label(Lang::En), "border pass");
    }
}
