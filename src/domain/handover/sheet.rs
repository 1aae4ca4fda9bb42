//! The handover sheet as a person reads it: its state, sections and signature lines as text
//! (80 columns, wrapped) and as Markdown, headed by the unit and the state's motto as a sổ
//! giao ca is.

use super::*;

impl Sheet {
    fn officer(&self, id: RecordId) -> String {
        match self.officers.get(&id) {
            Some(name) => format!("{name} ({id})"),
            None => id.to_string(),
        }
    }

    /// The heading lines (label, value), for the text and Markdown forms.
    fn heading(&self, lang: Lang) -> Vec<(String, String)> {
        let p = |vi: &'static str, en: &'static str| lang.pick(vi, en).to_string();
        let mut out = vec![(
            p("Ca", "Shift"),
            format!(
                "{} – {}",
                lang.date_time(self.window.start),
                lang.date_time(self.window.end)
            ),
        )];
        match &self.handover {
            None if self.under_way => out.push((
                p("Trạng thái", "Status"),
                p(
                    "ca đang diễn ra, chưa lập bàn giao",
                    "shift under way, no handover yet",
                ),
            )),
            None => out.push((
                p("Trạng thái", "Status"),
                p(
                    "ca đã hết, chưa có biên bản bàn giao",
                    "shift ended, no handover signed",
                ),
            )),
            Some(h) => {
                out.push((p("Số", "ID"), h.id.to_string()));
                let signed = match h.signed_at {
                    Some(at) => format!(
                        "{}, {} {}",
                        self.officer(h.from_officer),
                        p("ký", "signed"),
                        lang.date_time(at)
                    ),
                    None => format!("{} ({})", self.officer(h.from_officer), p("nháp", "draft")),
                };
                out.push((p("Người giao", "From"), signed));
                match &h.acknowledged {
                    Some(a) => {
                        out.push((
                            p("Người nhận", "To"),
                            format!(
                                "{}, {} {}",
                                self.officer(a.officer),
                                p("nhận", "acknowledged"),
                                lang.date_time(a.at)
                            ),
                        ));
                        if !a.remarks.trim().is_empty() {
                            out.push((p("Ý kiến người nhận", "Remarks"), a.remarks.clone()));
                        }
                    }
                    None => out.push((
                        p("Người nhận", "To"),
                        match h.to_officer {
                            Some(o) => {
                                format!("{} ({})", self.officer(o), p("chưa nhận", "not yet"))
                            }
                            None => p("chưa nhận", "not yet acknowledged"),
                        },
                    )),
                }
            }
        }
        out
    }

    fn own_text(&self) -> &str {
        self.handover.as_ref().map_or("", |h| h.text.as_str())
    }

    /// Plain text for pasting into a message: no line wider than `width` columns.
    pub fn to_text(&self, lang: Lang, width: usize) -> String {
        let width = width.max(40);
        let mut out: Vec<String> = Vec::new();
        // A paper sổ giao ca: the unit top left, the state's name and motto top right.
        let half = width / 2;
        let motto = Sheet::motto(lang);
        for n in 0..self.unit.len().max(motto.len()) {
            let left = self.unit.get(n).map_or("", String::as_str);
            let right = motto.get(n).copied().unwrap_or_default();
            out.push(format!("{}{right}", crate::domain::text::fit(left, half)));
        }
        out.push(String::new());
        out.push(lang.pick("SỔ GIAO CA", "SHIFT HANDOVER").to_string());
        for (label, value) in self.heading(lang) {
            out.extend(wrap(&format!("{label}: {value}"), width, 2));
        }
        for s in &self.sections {
            out.push(String::new());
            out.extend(wrap(&format!("{} ({})", s.title, s.count), width, 2));
            for item in &s.items {
                let prefix = format!("  {}  ", item.id);
                let room = width.saturating_sub(prefix.width()).max(20);
                for (n, line) in wrap(&item.text, room, 0).into_iter().enumerate() {
                    let lead = if n == 0 {
                        prefix.clone()
                    } else {
                        " ".repeat(prefix.width())
                    };
                    out.push(format!("{lead}{line}"));
                }
            }
        }
        out.push(String::new());
        out.push(
            lang.pick("Nội dung bàn giao:", "Handover notes:")
                .to_string(),
        );
        let text = self.own_text();
        if text.trim().is_empty() {
            out.push(format!("  {}", lang.pick("(trống)", "(empty)")));
        }
        for line in text.lines() {
            out.extend(wrap(&format!("  {line}"), width, 2));
        }
        // The two signatures of a paper sổ giao ca, side by side.
        out.push(String::new());
        let ([left_title, right_title], [left, right]) = self.signatures(lang);
        let half = width / 2;
        let pair = |a: &str, b: &str| format!("{}{b}", crate::domain::text::fit(a, half));
        out.push(pair(&left_title, &right_title));
        out.push(pair(
            lang.pick("(ký, ghi rõ họ tên)", "(signature, full name)"),
            lang.pick("(ký, ghi rõ họ tên)", "(signature, full name)"),
        ));
        out.push(String::new());
        out.push(pair(&left, &right));
        out.iter()
            .map(|l| display_safe(l.trim_end()).into_owned())
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    }

    /// Markdown: a heading, a list per section.
    pub fn to_markdown(&self, lang: Lang) -> String {
        let esc = |t: &str| display_safe(t).replace('|', "\\|");
        let mut out = String::new();
        for line in &self.unit {
            out.push_str(&format!("**{}**  \n", esc(line)));
        }
        out.push_str(&Sheet::motto(lang).join("  \n"));
        out.push_str(&format!(
            "\n\n# {}\n\n",
            lang.pick("Sổ giao ca", "Shift handover")
        ));
        for (label, value) in self.heading(lang) {
            out.push_str(&format!("- **{}:** {}\n", esc(&label), esc(&value)));
        }
        for s in &self.sections {
            out.push_str(&format!("\n## {} ({})\n", esc(&s.title), s.count));
            // One blank line between blocks, never two (an empty section is its heading).
            if !s.items.is_empty() {
                out.push('\n');
            }
            for item in &s.items {
                out.push_str(&format!("- `{}` {}\n", item.id, esc(&item.text)));
            }
        }
        out.push_str(&format!(
            "\n## {}\n",
            lang.pick("Nội dung bàn giao", "Handover notes")
        ));
        // A blank line opens the quote; with no text (no handover yet) the signature table's
        // own blank line follows the heading, so there is never a double one.
        if !self.own_text().trim().is_empty() {
            out.push('\n');
        }
        for line in self.own_text().lines() {
            out.push_str(&format!("> {}\n", esc(line)));
        }
        let ([left_title, right_title], [left, right]) = self.signatures(lang);
        let note = lang.pick("(ký, ghi rõ họ tên)", "(signature, full name)");
        out.push_str(&format!(
            "\n| {} | {} |\n|---|---|\n| {note} | {note} |\n| {} | {} |\n",
            esc(&left_title),
            esc(&right_title),
            esc(&left),
            esc(&right)
        ));
        out
    }

    /// The state's name and motto, as an official paper heads with them.
    fn motto(lang: Lang) -> [&'static str; 2] {
        [
            lang.pick(
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "SOCIALIST REPUBLIC OF VIET NAM",
            ),
            lang.pick(
                "Độc lập - Tự do - Hạnh phúc",
                "Independence - Freedom - Happiness",
            ),
        ]
    }

    /// The two signature blocks: their titles and who signs (blank to sign by hand).
    fn signatures(&self, lang: Lang) -> ([String; 2], [String; 2]) {
        let titles = [
            lang.pick("NGƯỜI GIAO CA", "OUTGOING OFFICER").to_string(),
            lang.pick("NGƯỜI NHẬN CA", "INCOMING OFFICER").to_string(),
        ];
        let name = |id: Option<RecordId>| {
            id.map(|id| {
                self.officers
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| id.to_string())
            })
            .unwrap_or_default()
        };
        let handover = self.handover.as_ref();
        let names = [
            name(handover.map(|h| h.from_officer)),
            name(handover.and_then(|h| h.to_officer)),
        ];
        (titles, names)
    }
}

/// Word-wraps `line` to `width` display columns; continuation lines start with `indent`
/// spaces. A word longer than a line is cut by characters.
pub fn wrap(line: &str, width: usize, indent: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let lead = " ".repeat(indent.min(width / 2));
    // Keep the line's own leading spaces.
    let own_lead: String = line.chars().take_while(|c| *c == ' ').collect();
    current.push_str(&own_lead);
    let mut fresh = true;
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        let need = if fresh { 0 } else { 1 } + word.width();
        if current.width() + need > width && !fresh {
            out.push(std::mem::take(&mut current));
            current.push_str(&lead);
            fresh = true;
        }
        if !fresh {
            current.push(' ');
        }
        for c in word.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if current.width() + w > width {
                out.push(std::mem::take(&mut current));
                current.push_str(&lead);
            }
            current.push(c);
        }
        fresh = false;
    }
    out.push(current);
    out
}
