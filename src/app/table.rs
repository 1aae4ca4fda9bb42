//! A view's table in the console: its rows as shown (text already made safe), the `/`
//! filter (marks, case and punctuation ignored, folded as search folds), sorting by any column and back, and the selection.

use crate::domain::RecordId;
use crate::domain::text::fold;
use crate::search::fold::fold_text;

/// How a cell's meaning is coloured; the text always says it too (glyph or word).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Tone {
    #[default]
    Normal,
    Muted,
    Ok,
    Warning,
    Danger,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    /// What sorting compares: ISO dates, zero-padded numbers, folded names.
    pub sort: String,
    pub tone: Tone,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        let text = crate::domain::text::display_safe(&text.into()).into_owned();
        let sort = fold(&text);
        Cell {
            text,
            sort,
            tone: Tone::Normal,
        }
    }

    pub fn sorted_by(mut self, key: impl Into<String>) -> Cell {
        self.sort = key.into();
        self
    }

    pub fn tone(mut self, tone: Tone) -> Cell {
        self.tone = tone;
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The record `Enter` opens.
    pub id: RecordId,
    /// What keeps the selection on this row when the table is filtered, sorted or reloaded:
    /// the ID, unless several rows open the same record (one establishment on several
    /// nights of the late-declaration board).
    pub key: String,
    pub cells: Vec<Cell>,
    /// A line the status bar shows while this row is selected (text already made safe): what
    /// does not fit in the columns, such as the guest stays behind a count.
    pub note: Option<String>,
    /// What names the record in a form's title, when its second column does not (a hit's
    /// is its time left, which a form or a draft would freeze).
    pub title: Option<String>,
    /// Every cell folded as search folds ([`fold_text`]), for the filter.
    pub haystack: String,
    /// The records `Enter` lists, when the row stands for several (a night's late guests
    /// at one establishment); empty: `Enter` opens `id`.
    pub opens: Vec<RecordId>,
}

impl Row {
    pub fn new(id: RecordId, cells: Vec<Cell>) -> Row {
        Row::keyed(id, id.to_string(), cells)
    }

    /// A row that shares its record with other rows, told apart by `key`.
    pub fn keyed(id: RecordId, key: String, cells: Vec<Cell>) -> Row {
        let haystack = cells
            .iter()
            .map(|c| fold_text(&c.text))
            .collect::<Vec<_>>()
            .join(" ");
        Row {
            id,
            key,
            cells,
            note: None,
            title: None,
            haystack,
            opens: Vec::new(),
        }
    }

    /// A row whose `Enter` lists these records (its own first, then the others).
    pub fn opening(mut self, ids: Vec<RecordId>) -> Row {
        self.opens = ids;
        self
    }

    pub fn with_title(mut self, title: String) -> Row {
        self.title = Some(crate::domain::text::display_safe(&title).into_owned());
        self
    }

    /// What names this row's record in a form: its title, else its second column.
    pub fn title(&self) -> &str {
        self.title
            .as_deref()
            .or_else(|| self.cells.get(1).map(|c| c.text.as_str()))
            .unwrap_or_default()
    }

    pub fn with_note(mut self, note: String) -> Row {
        self.note = Some(crate::domain::text::display_safe(&note).into_owned());
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Table {
    pub rows: Vec<Row>,
    /// Indexes into `rows` of the rows shown, in display order.
    pub shown: Vec<usize>,
    pub filter: String,
    /// (column, descending); `None` = the store's order.
    pub sort: Option<(usize, bool)>,
    pub selected: usize,
    pub loaded: bool,
    /// Records in the collection; more than `rows.len()` when the view holds only the
    /// newest of a large collection (see `present::ROW_CAP`).
    pub total: usize,
    /// The row to select once the rows come, when none is selected yet: where the console
    /// was when its last session ended (see `shell::place`).
    pub resume_key: Option<String>,
}

impl Table {
    /// Whether the view holds only part of its collection.
    pub fn capped(&self) -> bool {
        self.total > self.rows.len()
    }

    pub fn set_rows(&mut self, rows: Vec<Row>) {
        let keep = self.selected_key().or_else(|| self.resume_key.take());
        self.rows = rows;
        self.loaded = true;
        self.refresh(keep);
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.shown.get(self.selected).map(|&i| &self.rows[i])
    }

    pub fn selected_id(&self) -> Option<RecordId> {
        self.shown.get(self.selected).map(|&i| self.rows[i].id)
    }

    pub fn selected_key(&self) -> Option<String> {
        self.shown
            .get(self.selected)
            .map(|&i| self.rows[i].key.clone())
    }

    pub fn set_filter(&mut self, filter: String) {
        let keep = self.selected_key();
        self.filter = filter;
        self.refresh(keep);
    }

    /// Next column ascending; after the last column, back to the store's order.
    pub fn sort_next(&mut self, columns: usize) {
        let keep = self.selected_key();
        self.sort = match self.sort {
            None => Some((0, false)),
            Some((c, _)) if c + 1 < columns => Some((c + 1, false)),
            Some(_) => None,
        };
        self.refresh(keep);
    }

    pub fn sort_reverse(&mut self) {
        let keep = self.selected_key();
        self.sort = Some(match self.sort {
            None => (0, true),
            Some((c, desc)) => (c, !desc),
        });
        self.refresh(keep);
    }

    /// Recomputes the shown rows, keeping the selection on the same record when it is
    /// still shown.
    fn refresh(&mut self, keep: Option<String>) {
        let needle = fold_text(self.filter.trim());
        let words: Vec<&str> = needle.split_whitespace().collect();
        self.shown = (0..self.rows.len())
            .filter(|&i| words.iter().all(|w| self.rows[i].haystack.contains(w)))
            .collect();
        if let Some((column, descending)) = self.sort {
            // Stable: equal keys keep the store's order, in both directions.
            self.shown.sort_by(|&a, &b| {
                let ka = self.rows[a].cells.get(column).map(|c| c.sort.as_str());
                let kb = self.rows[b].cells.get(column).map(|c| c.sort.as_str());
                if descending { kb.cmp(&ka) } else { ka.cmp(&kb) }
            });
        }
        self.selected = keep
            .and_then(|key| self.shown.iter().position(|&i| self.rows[i].key == key))
            .unwrap_or(0);
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.shown.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
    }

    pub fn first(&mut self) {
        self.selected = 0;
    }

    pub fn last(&mut self) {
        self.selected = self.shown.len().saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Kind;

    fn table() -> Table {
        let mut t = Table::default();
        let rows = [
            ("Giàng A Sử", "1990"),
            ("Lò Văn Pánh", "1985"),
            ("Nguyễn Văn Hùng", "1990"),
            ("Nguyễn Văn Hưng", "1979"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (name, year))| {
            Row::new(
                RecordId::new(Kind::Wanted, i as u64 + 1),
                vec![Cell::new(*name), Cell::new(*year)],
            )
        })
        .collect();
        t.set_rows(rows);
        t
    }

    fn names(t: &Table) -> Vec<String> {
        t.shown
            .iter()
            .map(|&i| t.rows[i].cells[0].text.clone())
            .collect()
    }

    #[test]
    fn filter_ignores_marks_and_case_and_keeps_selection() {
        let mut t = table();
        t.move_by(2);
        t.set_filter("HUNG".into());
        assert_eq!(names(&t), ["Nguyễn Văn Hùng", "Nguyễn Văn Hưng"]);
        assert_eq!(t.selected_id().map(|i| i.num()), Some(3));
        t.set_filter("văn 1990".into());
        assert_eq!(names(&t), ["Nguyễn Văn Hùng"]);
        // Punctuation and NFD input fold as search folds them.
        t.set_filter("nguyen-van, hu\u{300}ng".into());
        assert_eq!(names(&t), ["Nguyễn Văn Hùng", "Nguyễn Văn Hưng"]);
        t.set_filter("zzz".into());
        assert!(t.shown.is_empty() && t.selected_id().is_none());
        t.move_by(1);
        assert_eq!(t.selected, 0);
    }

    #[test]
    fn rows_sharing_a_record_keep_the_selection_on_their_own_row() {
        let place = RecordId::new(Kind::Establishment, 7);
        let other = RecordId::new(Kind::Establishment, 8);
        let row = |id: RecordId, night: &str| {
            Row::keyed(id, format!("{id} {night}"), vec![Cell::new(night)])
        };
        let mut t = Table::default();
        t.set_rows(vec![
            row(place, "25/11"),
            row(other, "26/11"),
            row(place, "27/11"),
        ]);
        t.move_by(2);
        t.sort_next(1);
        assert_eq!(t.rows[t.shown[t.selected]].cells[0].text, "27/11");
        t.set_filter("27".into());
        assert_eq!(t.selected_id(), Some(place));
        assert_eq!(t.rows[t.shown[t.selected]].cells[0].text, "27/11");
    }

    #[test]
    fn sorting_cycles_through_columns_and_back() {
        let mut t = table();
        t.sort_next(2);
        assert_eq!(
            names(&t),
            [
                "Giàng A Sử",
                "Lò Văn Pánh",
                "Nguyễn Văn Hùng",
                "Nguyễn Văn Hưng"
            ]
        );
        t.sort_next(2);
        assert_eq!(
            names(&t),
            [
                "Nguyễn Văn Hưng",
                "Lò Văn Pánh",
                "Giàng A Sử",
                "Nguyễn Văn Hùng"
            ]
        );
        t.sort_reverse();
        assert_eq!(
            names(&t),
            [
                "Giàng A Sử",
                "Nguyễn Văn Hùng",
                "Lò Văn Pánh",
                "Nguyễn Văn Hưng"
            ]
        );
        t.sort_next(2);
        assert_eq!(t.sort, None);
        assert_eq!(names(&t)[0], "Giàng A Sử");
    }
}
