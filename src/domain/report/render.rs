//! The report as text (80 columns) and as Markdown, in the reader's language.

use super::*;

/// A target as the text shows it: its label, its target, and for this period and the one
/// before, the value and the verdict.
type PlanLine = (String, String, [(String, String); 2]);

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

    fn plan_heading(lang: Lang) -> &'static str {
        lang.pick(
            "Chỉ tiêu Kế hoạch 1207/KH-UBND",
            "The plan's targets (1207/KH-UBND)",
        )
    }

    /// Each target: its label and target, then this period and the one before, each with
    /// its value and "met" or "not met" in words.
    fn plan_lines(&self, lang: Lang) -> Vec<PlanLine> {
        let periods = [lang.pick("kỳ này", "this"), lang.pick("kỳ trước", "before")];
        self.plan
            .iter()
            .map(|row| {
                let values = [&row.current, &row.previous];
                let pair = |i: usize| {
                    (
                        format!("{} {}", periods[i], plan::value_text(&row.key, values[i])),
                        plan::verdict(values[i], lang).to_string(),
                    )
                };
                (
                    row.label.clone(),
                    format!("{} {}", lang.pick("chỉ tiêu", "target"), row.target_text),
                    [pair(0), pair(1)],
                )
            })
            .collect()
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
        if !self.plan.is_empty() {
            out.push_str(&format!("\n\n{}:\n", Self::plan_heading(lang)));
            if let Some(b) = &self.baseline {
                out.push_str(&format!("({})\n", plan::baseline_text(b, lang)));
            }
            for (label, target, periods) in self.plan_lines(lang) {
                out.push_str(&format!("{}{target:>20}\n", pad(&label, 59)));
                for (value, verdict) in periods {
                    out.push_str(&format!("    {}{verdict}\n", pad(&value, 40)));
                }
            }
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&format!(
            "\n{}{:>9}{:>9}{:>9}\n",
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
        if !self.plan.is_empty() {
            out.push_str(&format!(
                "## {}\n\n| | {} | {} | {} |\n|---|---|---|---|\n",
                Self::plan_heading(lang),
                lang.pick("chỉ tiêu", "target"),
                lang.pick("kỳ này", "this period"),
                lang.pick("kỳ trước", "previous")
            ));
            if let Some(b) = &self.baseline {
                out.push_str(&format!("{}\n\n", plan::baseline_text(b, lang)));
            }
            for row in &self.plan {
                let cell = |v: &plan::PlanValue| {
                    format!(
                        "{} ({})",
                        plan::value_text(&row.key, v),
                        plan::verdict(v, lang)
                    )
                };
                out.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    esc(&row.label),
                    row.target_text,
                    cell(&row.current),
                    cell(&row.previous)
                ));
            }
            out.push('\n');
        }
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
