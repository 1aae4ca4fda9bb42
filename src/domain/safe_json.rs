//! JSON that is safe to print on a terminal and still exact. serde_json escapes only C0
//! controls, `"` and `\`: a C1 control (U+009B is a CSI in UTF-8 terminals), DEL, a bidi
//! override or a zero-width character would be written raw. Here every character that
//! [`is_hostile`] names is written as a `\uXXXX` escape instead, which every JSON reader
//! decodes back to the same string — the data is unchanged, only its spelling.

use std::io;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

use super::text::is_hostile;

/// Like `serde_json::to_string`, with hostile characters escaped.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    write(value, CompactFormatter)
}

/// Like `serde_json::to_string_pretty`, with hostile characters escaped.
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    write(value, PrettyFormatter::new())
}

fn write<T: Serialize + ?Sized, F: Formatter>(value: &T, inner: F) -> serde_json::Result<String> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Safe(inner));
    value.serialize(&mut ser)?;
    // The serializer writes only UTF-8 (its input is `str`), and the escapes are ASCII.
    String::from_utf8(out).map_err(|e| serde::ser::Error::custom(e.to_string()))
}

/// Delegates the layout to `F`; escapes hostile characters in strings.
struct Safe<F>(F);

impl<F: Formatter> Formatter for Safe<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest.char_indices().find(|(_, c)| is_hostile(*c)) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_characters_are_escaped_and_decode_back() {
        let nasty = "Lò\u{9b}31m\u{1b}]52;c;eA==\u{7}\u{202e}x\u{200b}\u{7f}Pánh\n𝄞";
        for out in [
            to_string(&vec![nasty]).expect("json"),
            to_string_pretty(&serde_json::json!({ "name": nasty, "list": [1, nasty] }))
                .expect("json"),
        ] {
            assert!(!out.chars().any(|c| c != '\n' && is_hostile(c)), "{out:?}");
            assert!(out.contains("\\u009b") && out.contains("\\u202e"), "{out}");
            assert!(out.contains("Lò") && out.contains("𝄞"), "{out}");
            let back: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
            assert!(back.to_string().contains('\u{9b}'));
        }
        let back: Vec<String> =
            serde_json::from_str(&to_string(&vec![nasty]).expect("json")).expect("decode");
        assert_eq!(back, [nasty]);
        let pretty = to_string_pretty(&serde_json::json!({"a": [1, 2]})).expect("json");
        assert_eq!(
            pretty,
            serde_json::to_string_pretty(&serde_json::json!({"a": [1, 2]})).expect("json")
        );
    }
}
