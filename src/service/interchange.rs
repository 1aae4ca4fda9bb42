//! Import and export files (CSV with a header row, or a JSON array of objects with the same
//! keys). Reading happens in three stages, each complete before the next: the file's shape
//! ([`table`]), each row's values ([`cells`], [`rows`]), then — in the service — references
//! against the store. Any problem in any stage means nothing is written.

pub mod cells;
pub mod problem;
pub mod rows;
pub mod table;

use crate::domain::{Kind, Record};

pub use problem::Problem;
pub use rows::{Lookup, mapping};
pub use table::{Column, Digest, Format, Open};

/// The records one input row stands for, with the line it came from.
pub struct ParsedRow {
    pub line: usize,
    pub records: Vec<Record>,
}

/// Reads a whole file of `kind` held in memory. Either every row parses or the problems are
/// returned.
pub fn parse(
    kind: Kind,
    file: &str,
    bytes: &[u8],
    format: Format,
) -> Result<Vec<ParsedRow>, Vec<Problem>> {
    let mut parsed = Vec::new();
    let open = || -> std::io::Result<Box<dyn std::io::BufRead + '_>> { Ok(Box::new(bytes)) };
    read_rows(kind, file, &open, format, &mut |row| parsed.push(row))?;
    Ok(parsed)
}

/// Reads the file of `kind` that `open` opens, handing each row that parses to `each` in
/// file order (a file larger than memory is read in the memory of a row). Either every row
/// parses, or the problems are returned — `each` may have seen rows by then. Returns the
/// digest of the bytes read.
pub fn read_rows(
    kind: Kind,
    file: &str,
    open: &Open<'_>,
    format: Format,
    each: &mut dyn FnMut(ParsedRow),
) -> Result<Digest, Vec<Problem>> {
    let mapping = mapping(kind);
    let check = table::FileCheck {
        file,
        columns: &mapping.columns,
    };
    let mut problems = Vec::new();
    let mut rows = 0usize;
    let digest = check.read_each(open, format, &mut |row| {
        let mut reader = cells::CellReader::new(file, &mapping.columns, &row);
        let records = (mapping.read)(&mut reader);
        problems.append(&mut reader.problems);
        if let Some(records) = records {
            rows += 1;
            each(ParsedRow {
                line: row.line,
                records,
            });
        }
    });
    let digest = match digest {
        Ok(digest) => digest,
        Err(mut shape) => {
            problems.append(&mut shape);
            return Err(problems);
        }
    };
    if rows == 0 && problems.is_empty() {
        problems.push(Problem {
            file: file.to_string(),
            line: 1,
            column: None,
            message: crate::i18n::Said::new(
                "tệp có dòng tiêu đề nhưng không có dòng dữ liệu (không có gì để nhập)",
                "file has a header but no rows (nothing to import)",
            ),
        });
    }
    if problems.is_empty() {
        Ok(digest)
    } else {
        Err(problems)
    }
}

/// A record export could not write: a record it names (a wanted or watch row's person)
/// cannot be read. Export stops rather than leave the row out of the file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot export {0}: a record it names (its person) cannot be read; run `trucban check`")]
pub struct Unwritable(pub crate::domain::RecordId);

/// Where a piece of an export sits in the whole file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    /// Begins the file: the header (CSV) or the opening bracket (JSON).
    pub first: bool,
    /// Ends the file (JSON's closing bracket).
    pub last: bool,
}

impl Piece {
    pub const WHOLE: Piece = Piece {
        first: true,
        last: true,
    };
}

/// Writes records of `kind` in the format import reads: the whole file, or one `piece` of
/// it (the pieces of one export, joined in order, are the whole file byte for byte).
pub fn export<'r>(
    kind: Kind,
    records: impl Iterator<Item = &'r Record>,
    lookup: Lookup,
    format: Format,
    piece: Piece,
) -> Result<Vec<u8>, Unwritable> {
    let mapping = mapping(kind);
    let names: Vec<&str> = mapping.columns.iter().map(|c| c.name).collect();
    let mut rows = Vec::new();
    for record in records {
        let mut writer = cells::CellWriter::default();
        (mapping.write)(record, lookup, &mut writer).ok_or(Unwritable(record.id()))?;
        rows.push(writer.cells);
    }
    Ok(match format {
        Format::Csv => {
            let mut out = csv::Writer::from_writer(Vec::new());
            // Writing to a Vec cannot fail.
            if piece.first {
                let _ = out.write_record(&names);
            }
            for row in rows {
                let _ = out.write_record(row.iter().map(|cell| csv_safe(cell).into_owned()));
            }
            out.into_inner().unwrap_or_default()
        }
        Format::Json => {
            let mut out = String::new();
            if piece.first {
                out.push_str("[\n");
            }
            for (n, row) in rows.into_iter().enumerate() {
                if n > 0 || !piece.first {
                    out.push_str(",\n");
                }
                let object: serde_json::Map<String, serde_json::Value> = names
                    .iter()
                    .zip(row)
                    .map(|(name, cell)| (name.to_string(), serde_json::Value::String(cell)))
                    .collect();
                out.push_str(&crate::domain::safe_json::to_string(&object).unwrap_or_default());
            }
            if piece.last {
                out.push_str("\n]\n");
            }
            out.into_bytes()
        }
    })
}

/// A CSV cell cannot escape a control character. The service never stores one, so this
/// changes nothing in a sound store (the export imports back exactly); a record written by
/// an older version or damaged gets U+FFFD in their place rather than drive the terminal or
/// spreadsheet that shows the file. Line breaks stay: notes hold them, and CSV quotes them.
fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    use crate::domain::text::is_hostile;
    if cell.chars().any(|c| c != '\n' && is_hostile(c)) {
        cell.chars()
            .map(|c| {
                if c != '\n' && is_hostile(c) {
                    '\u{FFFD}'
                } else {
                    c
                }
            })
            .collect::<String>()
            .into()
    } else {
        cell.into()
    }
}

/// The column reference as a Markdown table, for the README (`trucban columns KIND`).
pub fn columns_markdown(kind: Kind) -> String {
    let mut out = format!(
        "#### `{}`\n\n| column | required | meaning |\n|---|---|---|\n",
        kind.name()
    );
    for c in &mapping(kind).columns {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            c.name,
            if c.required { "yes" } else { "" },
            c.help
        ));
    }
    out
}
