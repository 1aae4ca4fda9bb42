//! Typed reading and writing of one row's cells. Each getter records a problem and returns
//! `None` when the value is bad, so one pass reports every bad field of a row; the row is
//! built only if none was recorded.

use chrono::NaiveDate;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::text::{describe_char, find_hostile, find_hostile_multiline, nfc};
use crate::domain::time::{format_instant, parse_date, parse_instant};
use crate::domain::{BirthDate, Instant, Kind, RecordId};
use crate::i18n::Said;

use super::problem::{Problem, quote};
use super::table::{Column, TableRow};

/// Longest accepted value of one cell (a note); a name is far shorter.
pub const MAX_CELL_CHARS: usize = 8_000;
pub const LIST_SEPARATOR: char = ';';

pub struct CellReader<'a> {
    file: &'a str,
    columns: &'a [Column],
    row: &'a TableRow,
    pub problems: Vec<Problem>,
}

impl<'a> CellReader<'a> {
    pub fn new(file: &'a str, columns: &'a [Column], row: &'a TableRow) -> Self {
        CellReader {
            file,
            columns,
            row,
            problems: Vec::new(),
        }
    }

    pub fn line(&self) -> usize {
        self.row.line
    }

    pub fn fail(&mut self, column: &str, message: Said) {
        self.problems.push(Problem {
            file: self.file.to_string(),
            line: self.row.line,
            column: Some(column.to_string()),
            message,
        });
    }

    /// The raw cell, trimmed; "" when the column is absent.
    fn raw(&self, column: &str) -> &'a str {
        let at = self.columns.iter().position(|c| c.name == column);
        debug_assert!(at.is_some(), "column {column} not declared");
        at.and_then(|i| self.row.cells[i].as_deref())
            .map_or("", str::trim)
    }

    fn clean(&mut self, column: &str, raw: &str, multiline: bool) -> Option<String> {
        let hostile = if multiline {
            find_hostile_multiline(raw)
        } else {
            find_hostile(raw)
        };
        if let Some((at, c)) = hostile {
            self.fail(
                column,
                Said::new(
                    format!(
                        "chứa {} ở ký tự thứ {} (xoá ký tự điều khiển và chuỗi thoát)",
                        describe_char(c),
                        at + 1
                    ),
                    format!(
                        "contains {} at character {} (remove control characters and escape sequences)",
                        describe_char(c),
                        at + 1
                    ),
                ),
            );
            return None;
        }
        if raw.chars().count() > MAX_CELL_CHARS {
            self.fail(
                column,
                Said::new(
                    format!("dài quá {MAX_CELL_CHARS} ký tự"),
                    format!("is longer than {MAX_CELL_CHARS} characters"),
                ),
            );
            return None;
        }
        Some(nfc(raw))
    }

    /// Optional text: `None` when empty (or bad, with a problem recorded).
    pub fn opt_text(&mut self, column: &str) -> Option<String> {
        let raw = self.raw(column);
        if raw.is_empty() {
            return None;
        }
        self.clean(column, raw, false)
    }

    /// Required non-empty text. `None` only when a problem was recorded.
    pub fn text(&mut self, column: &str) -> Option<String> {
        if self.raw(column).is_empty() {
            self.fail(
                column,
                Said::new(
                    "trống (bắt buộc có giá trị)",
                    "is empty (a value is required)",
                ),
            );
            return None;
        }
        self.opt_text(column)
    }

    /// Free text that may hold line breaks; empty is allowed.
    pub fn note(&mut self, column: &str) -> Option<String> {
        let raw = self.raw(column);
        self.clean(column, raw, true)
    }

    pub fn list(&mut self, column: &str) -> Option<Vec<String>> {
        let raw = self.raw(column);
        let mut items = Vec::new();
        for item in raw
            .split(LIST_SEPARATOR)
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            items.push(self.clean(column, item, false)?);
        }
        Some(items)
    }

    pub fn parsed<T>(
        &mut self,
        column: &str,
        parse: impl Fn(&str) -> Option<T>,
        expected: &Said,
    ) -> Option<T> {
        let raw = self.raw(column);
        if raw.is_empty() {
            self.fail(
                column,
                Said::new(
                    format!("trống (cần {})", expected.vi),
                    format!("is empty (expected {})", expected.en),
                ),
            );
            return None;
        }
        let value = parse(raw);
        if value.is_none() {
            self.fail(
                column,
                Said::new(
                    format!("{} không hợp lệ (cần {})", quote(raw), expected.vi),
                    format!("{} is not valid (expected {})", quote(raw), expected.en),
                ),
            );
        }
        value
    }

    /// `Some(None)` for an empty cell, `None` for a bad one.
    pub fn opt_parsed<T>(
        &mut self,
        column: &str,
        parse: impl Fn(&str) -> Option<T>,
        expected: &Said,
    ) -> Option<Option<T>> {
        if self.raw(column).is_empty() {
            Some(None)
        } else {
            self.parsed(column, parse, expected).map(Some)
        }
    }

    pub fn date(&mut self, column: &str) -> Option<NaiveDate> {
        self.parsed(column, parse_date, &date_forms())
    }

    pub fn opt_date(&mut self, column: &str) -> Option<Option<NaiveDate>> {
        self.opt_parsed(column, parse_date, &date_forms())
    }

    pub fn instant(&mut self, column: &str) -> Option<Instant> {
        self.parsed(column, parse_instant, &instant_forms())
    }

    pub fn opt_instant(&mut self, column: &str) -> Option<Option<Instant>> {
        self.opt_parsed(column, parse_instant, &instant_forms())
    }

    pub fn birth(&mut self, column: &str) -> Option<Option<BirthDate>> {
        self.opt_parsed(
            column,
            |s| s.parse().ok(),
            &Said::new(
                "ngày DD/MM/YYYY hoặc YYYY-MM-DD, hoặc năm YYYY, 1900–2100",
                "a date DD/MM/YYYY or YYYY-MM-DD, or a year YYYY, 1900–2100",
            ),
        )
    }

    pub fn id(&mut self, column: &str, kind: Kind) -> Option<RecordId> {
        let expected = id_like(RecordId::new(kind, 123));
        self.parsed(
            column,
            |s| s.parse().ok().filter(|id: &RecordId| id.kind() == kind),
            &expected,
        )
    }

    pub fn opt_id(&mut self, column: &str, kind: Kind) -> Option<Option<RecordId>> {
        let expected = id_like(RecordId::new(kind, 123));
        self.opt_parsed(
            column,
            |s| s.parse().ok().filter(|id: &RecordId| id.kind() == kind),
            &expected,
        )
    }

    /// Any kind of ID (a log entry may point at any record).
    pub fn opt_any_id(&mut self, column: &str) -> Option<Option<RecordId>> {
        self.opt_parsed(
            column,
            |s| s.parse().ok(),
            &Said::new("mã hồ sơ dạng TN-000123", "a record ID like TN-000123"),
        )
    }

    pub fn json<T: DeserializeOwned + Default>(
        &mut self,
        column: &str,
        expected: &Said,
    ) -> Option<T> {
        let raw = self.raw(column);
        if raw.is_empty() {
            return Some(T::default());
        }
        let raw = self.clean(column, raw, false)?;
        let parsed = serde_json::from_str::<serde_json::Value>(&raw).and_then(|value| {
            // `\u001b` inside a JSON string is an ESC once decoded: check decoded text too.
            if let Some(c) = crate::domain::text::first_hostile_in_json(&value) {
                return Err(serde::de::Error::custom(format!(
                    "a string contains {}",
                    describe_char(c)
                )));
            }
            serde_json::from_value(value)
        });
        match parsed {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(
                    column,
                    Said::new(
                        format!("{} không hợp lệ: {e} (cần {})", quote(&raw), expected.vi),
                        format!(
                            "{} is not valid: {e} (expected {})",
                            quote(&raw),
                            expected.en
                        ),
                    ),
                );
                None
            }
        }
    }
}

fn instant_forms() -> Said {
    Said::new(
        "thời điểm DD/MM/YYYY HH:MM hoặc YYYY-MM-DD HH:MM (UTC+7), hoặc RFC 3339",
        "a time DD/MM/YYYY HH:MM or YYYY-MM-DD HH:MM (UTC+7), or RFC 3339",
    )
}

fn date_forms() -> Said {
    Said::new(
        "ngày DD/MM/YYYY hoặc YYYY-MM-DD",
        "a date DD/MM/YYYY or YYYY-MM-DD",
    )
}

fn id_like(example: RecordId) -> Said {
    Said::new(
        format!("mã dạng {example}"),
        format!("an ID like {example}"),
    )
}

/// What a JSON cell must hold: `a JSON array of …` in both languages.
pub fn json_array_of(vi: &str, en: &str) -> Said {
    Said::new(
        format!("một mảng JSON các {vi}"),
        format!("a JSON array of {en}"),
    )
}

/// Cells of one exported row, in column order.
#[derive(Default)]
pub struct CellWriter {
    pub cells: Vec<String>,
}

impl CellWriter {
    pub fn text(&mut self, value: &str) -> &mut Self {
        self.cells.push(value.to_string());
        self
    }
    pub fn opt_text(&mut self, value: Option<&str>) -> &mut Self {
        self.text(value.unwrap_or(""))
    }
    pub fn show(&mut self, value: impl std::fmt::Display) -> &mut Self {
        self.cells.push(value.to_string());
        self
    }
    pub fn opt_show<T: std::fmt::Display>(&mut self, value: Option<T>) -> &mut Self {
        self.cells
            .push(value.map(|v| v.to_string()).unwrap_or_default());
        self
    }
    pub fn instant(&mut self, value: Instant) -> &mut Self {
        self.text(&format_instant(value))
    }
    pub fn opt_instant(&mut self, value: Option<Instant>) -> &mut Self {
        self.opt_text(value.map(format_instant).as_deref())
    }
    pub fn list(&mut self, items: &[String]) -> &mut Self {
        self.text(&items.join(&format!("{LIST_SEPARATOR} ")))
    }
    pub fn json<T: Serialize>(&mut self, value: &T, empty: bool) -> &mut Self {
        if empty {
            return self.text("");
        }
        self.text(&serde_json::to_string(value).unwrap_or_default())
    }
}
