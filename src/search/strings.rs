//! A table of strings in one allocation: the index's dictionaries. One `String` and one
//! end offset per string instead of a boxed string each (24 bytes and an allocation saved
//! per string), and a layout that is written to and read from the index file as it is.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StrTable {
    pub(super) text: String,
    /// End of string `i` in `text`; it starts where string `i - 1` ends.
    pub(super) ends: Vec<u32>,
}

impl StrTable {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Appends `s`; returns its number.
    pub fn push(&mut self, s: &str) -> u32 {
        self.text.push_str(s);
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        u32::try_from(self.ends.len() - 1).unwrap_or(u32::MAX)
    }

    pub fn get(&self, i: usize) -> &str {
        let start = match i.checked_sub(1) {
            Some(prev) => self.ends.get(prev).map_or(0, |e| *e as usize),
            None => 0,
        };
        let end = self.ends.get(i).map_or(start, |e| *e as usize);
        self.text.get(start..end).unwrap_or("")
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// True when `ends` is ascending and within `text` on char boundaries: what a table
    /// read from a file must satisfy before it is used.
    pub fn is_well_formed(&self) -> bool {
        let mut start = 0usize;
        self.ends.iter().all(|end| {
            let end = *end as usize;
            let ok = end >= start && end <= self.text.len() && self.text.is_char_boundary(end);
            start = end;
            ok
        })
    }

    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::StrTable;

    #[test]
    fn strings_come_back_as_pushed() {
        let mut t = StrTable::default();
        assert_eq!(t.push("hùng"), 0);
        assert_eq!(t.push(""), 1);
        assert_eq!(t.push("nguyễn"), 2);
        assert_eq!(t.iter().collect::<Vec<_>>(), ["hùng", "", "nguyễn"]);
        assert_eq!(t.get(7), "");
        assert!(t.is_well_formed());
        t.ends[0] = 2; // inside the two-byte ù
        assert!(!t.is_well_formed());
    }
}
