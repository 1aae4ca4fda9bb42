//! Reading an import file into a table of string cells, one row per record, each with the
//! line it starts on. Everything about the file's shape is checked here — empty, too long
//! lines, not UTF-8, unknown / missing / duplicate columns, ragged rows — before any value
//! is looked at.

mod stream;

use super::problem::{Problem, quote};
use crate::i18n::Said;

pub use stream::{Digest, Open};

/// The longest physical line accepted. A real row is a few hundred bytes; a 50 MB line is
/// a wrong file or an attack, and must not be parsed into memory as one field.
pub const MAX_LINE_BYTES: usize = 1 << 20;
pub const MAX_FILE_BYTES: usize = 1 << 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        match text {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// `.json` files are JSON, everything else CSV.
    pub fn from_file_name(name: &str) -> Format {
        if name.to_ascii_lowercase().ends_with(".json") {
            Format::Json
        } else {
            Format::Csv
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    /// The column must be in the header; its value may still be empty where that means
    /// "unknown" (see `help`).
    pub required: bool,
    pub help: &'static str,
}

/// One data row: cells aligned with the kind's column list (`None` = column absent).
pub struct TableRow {
    pub line: usize,
    pub cells: Vec<Option<String>>,
}

pub struct FileCheck<'a> {
    pub file: &'a str,
    pub columns: &'a [Column],
}

impl FileCheck<'_> {
    fn problem(&self, line: usize, column: Option<&str>, message: Said) -> Problem {
        Problem {
            file: self.file.to_string(),
            line,
            column: column.map(str::to_string),
            message,
        }
    }

    /// Reads a file held in memory whole (see [`FileCheck::read_each`]).
    pub fn read(&self, bytes: &[u8], format: Format) -> Result<Vec<TableRow>, Vec<Problem>> {
        let mut rows = Vec::new();
        let open = || -> std::io::Result<Box<dyn std::io::BufRead + '_>> { Ok(Box::new(bytes)) };
        self.read_each(&open, format, &mut |row| rows.push(row))?;
        Ok(rows)
    }

    /// Reads the file `open` opens, row by row, handing each row to `each` in file order, so
    /// that a file larger than memory is read in the memory of one row. The file's shape is
    /// checked first, in a reading of its own (empty, too long lines, not UTF-8); then its
    /// rows. Either every row is well formed, or the problems are returned (`each` may have
    /// seen rows by then: the caller keeps nothing of a refused file). Returns the digest of
    /// the bytes read, the same in both readings (a file changed between them is refused).
    pub fn read_each(
        &self,
        open: &Open<'_>,
        format: Format,
        each: &mut dyn FnMut(TableRow),
    ) -> Result<Digest, Vec<Problem>> {
        let unreadable = |e: std::io::Error| {
            let io = crate::i18n::io_error(&e);
            vec![self.problem(
                1,
                None,
                Said::new(
                    format!("không đọc được tệp: {}", io.vi),
                    format!("cannot read the file: {}", io.en),
                ),
            )]
        };
        let shape =
            stream::check_shape(&mut *open().map_err(unreadable)?, self).map_err(unreadable)?;
        if shape.bytes > MAX_FILE_BYTES as u64 {
            return Err(vec![self.problem(
                1,
                None,
                Said::new(
                    format!(
                        "tệp dài {} byte, quá giới hạn {MAX_FILE_BYTES} byte (chia nhỏ tệp)",
                        shape.bytes
                    ),
                    format!(
                        "file is {} bytes, more than the {MAX_FILE_BYTES}-byte limit (split it)",
                        shape.bytes
                    ),
                ),
            )]);
        }
        if shape.blank {
            let expected_header = || {
                let names: Vec<&str> = self.columns.iter().map(|c| c.name).collect();
                names.join(",")
            };
            let message = match format {
                Format::Csv => Said::new(
                    format!("tệp trống (cần một dòng tiêu đề: {})", expected_header()),
                    format!(
                        "file is empty (expected a header row: {})",
                        expected_header()
                    ),
                ),
                Format::Json => Said::new(
                    "tệp trống (cần một mảng JSON các đối tượng)",
                    "file is empty (expected a JSON array of objects)",
                ),
            };
            return Err(vec![self.problem(1, None, message)]);
        }
        if !shape.problems.is_empty() {
            return Err(shape.problems);
        }
        let mut reader = stream::Hashing::new(open().map_err(unreadable)?);
        let result = match format {
            Format::Csv => self.read_csv(&mut reader, each),
            Format::Json => self.read_json(&mut reader, each),
        };
        let digest = reader.finish().map_err(unreadable)?;
        result?;
        if digest != shape.digest {
            return Err(vec![self.problem(
                1,
                None,
                Said::new(
                    "tệp bị thay đổi trong khi đang đọc (chờ ghi xong rồi nhập lại)",
                    "the file changed while it was being read (wait until it is written, then import again)",
                ),
            )]);
        }
        Ok(digest)
    }

    /// The problem with one physical line, if any: `len` bytes long, of which `start` (all
    /// of it unless it is too long) is kept.
    pub(super) fn line_problem(&self, line: usize, start: &[u8], len: usize) -> Option<Problem> {
        if len > MAX_LINE_BYTES {
            return Some(self.problem(line, None, Said::new(
                format!("dòng dài {len} byte, quá giới hạn {MAX_LINE_BYTES} byte (có đúng tệp không?)"),
                format!("line is {len} bytes long, more than the {MAX_LINE_BYTES}-byte limit (is this the right file?)"))));
        }
        let e = std::str::from_utf8(start).err()?;
        let at = e.valid_up_to();
        Some(self.problem(
            line,
            None,
            Said::new(
                format!(
                    "byte 0x{:02X} ở byte {} của dòng không phải UTF-8 (lưu tệp dạng UTF-8)",
                    start[at],
                    at + 1
                ),
                format!(
                    "byte 0x{:02X} at byte {} of the line is not UTF-8 (save the file as UTF-8)",
                    start[at],
                    at + 1
                ),
            ),
        ))
    }

    fn header_positions(
        &self,
        line: usize,
        names: &[String],
    ) -> Result<Vec<Option<usize>>, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut positions = vec![None; self.columns.len()];
        let expected = || {
            let names: Vec<&str> = self.columns.iter().map(|c| c.name).collect();
            names.join(", ")
        };
        for (at, name) in names.iter().enumerate() {
            let name = name.trim();
            match self.columns.iter().position(|c| c.name == name) {
                Some(i) if positions[i].is_some() => problems.push(self.problem(
                    line,
                    Some(name),
                    Said::new(
                        "cột xuất hiện hai lần (giữ một)",
                        "column appears twice (keep one)",
                    ),
                )),
                Some(i) => positions[i] = Some(at),
                None => problems.push(self.problem(
                    line,
                    Some(name),
                    Said::new(
                        format!("cột lạ {} (cần một trong: {})", quote(name), expected()),
                        format!(
                            "unknown column {} (expected one of: {})",
                            quote(name),
                            expected()
                        ),
                    ),
                )),
            }
        }
        for (column, position) in self.columns.iter().zip(&positions) {
            if column.required && position.is_none() {
                problems.push(self.problem(
                    line,
                    Some(column.name),
                    Said::new(
                        "thiếu cột bắt buộc (thêm vào dòng tiêu đề)",
                        "required column is missing (add it to the header)",
                    ),
                ));
            }
        }
        if problems.is_empty() {
            Ok(positions)
        } else {
            Err(problems)
        }
    }

    fn read_csv(
        &self,
        input: &mut dyn std::io::BufRead,
        each: &mut dyn FnMut(TableRow),
    ) -> Result<(), Vec<Problem>> {
        stream::skip_bom(input);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut records = reader.records();
        let header = match records.next() {
            Some(Ok(h)) => h,
            Some(Err(e)) => {
                return Err(vec![self.problem(
                    1,
                    None,
                    Said::new(
                        format!("không đọc được dòng tiêu đề: {e}"),
                        format!("cannot read the header: {e}"),
                    ),
                )]);
            }
            None => {
                return Err(vec![self.problem(
                    1,
                    None,
                    Said::new("tệp không có dòng tiêu đề", "file has no header row"),
                )]);
            }
        };
        let names: Vec<String> = header.iter().map(str::to_string).collect();
        let positions = self.header_positions(1, &names)?;
        let mut problems = Vec::new();
        for record in records {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    problems.push(self.problem(
                        line,
                        None,
                        Said::new(
                            format!("không phải CSV hợp lệ: {e}"),
                            format!("not valid CSV: {e}"),
                        ),
                    ));
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| p.line() as usize);
            if record.iter().all(|f| f.trim().is_empty()) {
                continue; // blank line
            }
            if record.len() != names.len() {
                problems.push(self.problem(line, None, Said::new(
                    format!("dòng có {} trường nhưng tiêu đề có {} (đặt trường có dấu phẩy trong ngoặc kép)", record.len(), names.len()),
                    format!("row has {} fields but the header has {} (quote fields that contain commas)", record.len(), names.len()))));
                continue;
            }
            let cells = positions
                .iter()
                .map(|p| p.map(|i| record[i].to_string()))
                .collect();
            each(TableRow { line, cells });
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    fn read_json(
        &self,
        input: &mut dyn std::io::BufRead,
        each: &mut dyn FnMut(TableRow),
    ) -> Result<(), Vec<Problem>> {
        stream::skip_bom(input);
        let mut problems = Vec::new();
        let not_an_array = |e: serde_json::Error| {
            vec![self.problem(
                e.line(),
                None,
                Said::new(
                    format!("không phải mảng JSON các đối tượng: {e}"),
                    format!("not a JSON array of objects: {e}"),
                ),
            )]
        };
        stream::json_items(input, &mut |raw, line| {
            self.json_row(raw, line, &mut problems, each)
        })
        .map_err(not_an_array)?;
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// One item of a JSON file, as a row (or its problems).
    fn json_row(
        &self,
        raw: &serde_json::value::RawValue,
        line: usize,
        problems: &mut Vec<Problem>,
        each: &mut dyn FnMut(TableRow),
    ) {
        let object: serde_json::Map<String, serde_json::Value> =
            match serde_json::from_str(raw.get()) {
                Ok(o) => o,
                Err(_) => {
                    problems.push(self.problem(
                        line,
                        None,
                        Said::new(
                            "phần tử không phải đối tượng JSON (cần {\"cột\": \"giá trị\", …})",
                            "item is not a JSON object (expected {\"column\": \"value\", …})",
                        ),
                    ));
                    return;
                }
            };
        let names: Vec<String> = object.keys().cloned().collect();
        let positions = match self.header_positions(line, &names) {
            Ok(p) => p,
            Err(mut p) => {
                problems.append(&mut p);
                return;
            }
        };
        let mut cells = Vec::with_capacity(self.columns.len());
        for (column, position) in self.columns.iter().zip(positions) {
            let cell = position.map(|i| match &object[&names[i]] {
                serde_json::Value::String(s) => Ok(s.clone()),
                serde_json::Value::Null => Ok(String::new()),
                serde_json::Value::Bool(b) => Ok(b.to_string()),
                serde_json::Value::Number(n) => Ok(n.to_string()),
                _ => Err(()),
            });
            match cell {
                Some(Err(())) => problems.push(self.problem(
                    line,
                    Some(column.name),
                    Said::new(
                        "phải là chuỗi, số, true/false hoặc null",
                        "must be a string, number, boolean or null",
                    ),
                )),
                Some(Ok(s)) => cells.push(Some(s)),
                None => cells.push(None),
            }
        }
        if cells.len() == self.columns.len() {
            each(TableRow { line, cells });
        }
    }
}
