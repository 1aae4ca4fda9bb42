//! The report as text (80 columns) and as Markdown, in the reader's language.

use super::*;

impl Report {
    fn groups_lines(&self, lang: Lang) -> Vec<(String, usize)> {
        let g = &self.groups_now;
        vec![
            (
                lang.pick("Băng nhóm đang quản lý", "Criminal groups on file")
                    .into(),
                g.on_file,
            ),
            (lang.pick("  đang hoạt động", "  active").into(), g.active),
            (
                lang.pick("  đang điều tra", "  under investigation").into(),
                g.under_investigation,
            ),
            (
                lang.pick("  đã triệt phá", "  dismantled (neutralised)")
                    .into(),
                g.dismantled,
            ),
            (
                lang.pick("  xuyên quốc gia", "  transnational").into(),
                g.transnational,
            ),
            (
                lang.pick("  không có ngày đưa vào hồ sơ", "  with no filing date")
                    .into(),
                g.undated_filed,
            ),
            (
                lang.pick(
                    "  đã triệt phá, không có ngày triệt phá",
                    "  dismantled with no neutralised date",
                )
                .into(),
                g.undated_neutralised,
            ),
        ]
    }

    /// Under the file's state: why the undated groups are not in the period counts.
    pub fn undated_note(&self, lang: Lang) -> Option<String> {
        let g = &self.groups_now;
        let n = g.undated_filed.max(g.undated_neutralised);
        (n > 0).then(|| {
            lang.pick_owned(
                "Băng nhóm không ghi ngày (hồ sơ cũ) không được tính vào kỳ nào.",
                "Groups without dates (older records) are counted in no period.",
            )
        })
    }

    fn title(&self, lang: Lang) -> [String; 2] {
        let p = |x: Period| x.label(lang);
        match lang {
            Lang::Vi => [
                format!("BÁO CÁO {} ({} ngày)", p(self.period), self.period.days()),
                format!("So với kỳ trước: {}", p(self.previous_period)),
            ],
            Lang::En => [
                format!("REPORT {} ({} days)", p(self.period), self.period.days()),
                format!("Compared with: {}", p(self.previous_period)),
            ],
        }
    }

    /// Plain text, 80 columns.
    pub fn to_text(&self, lang: Lang) -> String {
        use unicode_width::UnicodeWidthStr;
        let pad = |s: &str, w: usize| {
            let s = crate::domain::text::display_safe(s);
            let cut: String = crate::domain::handover::wrap(&s, w, 0)
                .into_iter()
                .next()
                .unwrap_or_default();
            format!("{cut}{}", " ".repeat(w.saturating_sub(cut.width())))
        };
        let mut out = self.title(lang).join("\n");
        out.push_str(&format!(
            "\n\n{}{:>9}{:>9}{:>9}\n",
            pad("", 50),
            lang.pick("kỳ này", "this"),
            lang.pick("kỳ trước", "before"),
            "+/-"
        ));
        for l in &self.lines {
            out.push_str(&format!(
                "{}{:>9}{:>9}{:>+9}\n",
                pad(&l.label, 50),
                l.current,
                l.previous,
                l.change
            ));
        }
        out.push_str(&format!(
            "\n{}\n",
            lang.pick(
                "Băng nhóm trên hồ sơ hiện nay (không theo kỳ):",
                "Criminal groups on file now (not by period):"
            )
        ));
        for (label, n) in self.groups_lines(lang) {
            out.push_str(&format!("{}{n:>9}\n", pad(&label, 50)));
        }
        if let Some(note) = self.undated_note(lang) {
            out.push_str(&format!("{note}\n"));
        }
        out
    }

    pub fn to_markdown(&self, lang: Lang) -> String {
        let [title, compared] = self.title(lang);
        let esc = |t: &str| crate::domain::text::display_safe(t).replace('|', "\\|");
        let mut out = format!("# {title}\n\n{compared}\n\n");
        out.push_str(&format!(
            "| | {} | {} | +/- |\n|---|---:|---:|---:|\n",
            lang.pick("kỳ này", "this period"),
            lang.pick("kỳ trước", "previous")
        ));
        for l in &self.lines {
            out.push_str(&format!(
                "| {} | {} | {} | {:+} |\n",
                esc(l.label.trim()),
                l.current,
                l.previous,
                l.change
            ));
        }
        out.push_str(&format!(
            "\n## {}\n\n",
            lang.pick(
                "Băng nhóm trên hồ sơ hiện nay (không theo kỳ)",
                "Criminal groups on file now (not by period)"
            )
        ));
        for (label, n) in self.groups_lines(lang) {
            out.push_str(&format!("- {}: {n}\n", esc(label.trim())));
        }
        if let Some(note) = self.undated_note(lang) {
            out.push_str(&format!("\n{note}\n"));
        }
        out
    }
}
