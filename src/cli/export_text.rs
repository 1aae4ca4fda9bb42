//! `trucban export KIND --format text`: the records to read on a terminal or paste into a
//! message — one block per record, one `column  value` line per filled cell, every value
//! through [`display_safe`]. CSV and JSON are data formats that import back exactly; this is
//! for people, so it neutralises whatever a damaged store may hold.

use crate::domain::text::display_safe;

/// The service's CSV export laid out as text blocks.
pub fn from_csv(csv_bytes: &[u8]) -> anyhow::Result<String> {
    let mut reader = csv::Reader::from_reader(csv_bytes);
    let names: Vec<String> = reader
        .headers()?
        .iter()
        .map(|n| display_safe(n).into_owned())
        .collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for row in reader.records() {
        let row = row?;
        let mut cells = names.iter().zip(row.iter()).filter(|(_, v)| !v.is_empty());
        // The first column is the record's ID: it heads the block.
        if let Some((_, id)) = cells.next() {
            out.push_str(&display_safe(id));
            out.push('\n');
        }
        for (name, value) in cells {
            // A multi-line note keeps its lines, each indented under the value column.
            let mut lines = value.split('\n');
            let first = lines.next().unwrap_or_default();
            out.push_str(&format!("  {name:<width$}  {}\n", display_safe(first)));
            for more in lines {
                out.push_str(&format!("  {:<width$}  {}\n", "", display_safe(more)));
            }
        }
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_become_blocks_and_nothing_hostile_passes() {
        let csv = "id,full_name,note\nDT-000001,\"Lò\u{1b}]52;c;eA==\u{7}\u{202e}Pánh\",\"dòng 1\ndòng\u{9b}2\"\nDT-000002,Giàng A Sử,\n";
        let text = from_csv(csv.as_bytes()).expect("text");
        assert_eq!(
            text,
            "DT-000001\n  full_name  Lò\u{fffd}]52;c;eA==\u{fffd}\u{fffd}Pánh\n  note       dòng 1\n             dòng\u{fffd}2\n\nDT-000002\n  full_name  Giàng A Sử\n\n"
        );
    }
}
