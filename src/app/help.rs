//! What the help (`?`) lists, as data: every key of every mode from the keymap, then every
//! view with the names `:` takes, then the other `:` commands. `ui::overlay` draws it; the
//! core counts it, so that scrolling stops at its end.

use crate::i18n::Lang;

use super::cmdline;
use super::keymap::{Keymap, Mode};
use super::views::View;

/// One line of the help.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HelpLine {
    Heading(String),
    /// What to type, and what it does.
    Entry(String, String),
}

fn mode_title(mode: Mode, lang: Lang) -> &'static str {
    match mode {
        Mode::Table => lang.pick("Bảng", "Table"),
        Mode::Detail => lang.pick("Chi tiết", "Detail"),
        Mode::Filter => lang.pick("Lọc (/)", "Filter (/)"),
        Mode::Command => lang.pick("Dòng lệnh (:)", "Command line (:)"),
        Mode::Form => lang.pick("Biểu mẫu", "Form"),
        Mode::Confirm => lang.pick("Xác nhận", "Confirm"),
        Mode::Draft => lang.pick("Bản nháp", "Drafts"),
        Mode::Help => lang.pick("Trợ giúp", "Help"),
        Mode::Search => lang.pick("Tìm kiếm (Ctrl-P, :tim)", "Search (Ctrl-P, :find)"),
        Mode::Roster => lang.pick("Phân công theo ngày (r)", "Roster by day (r)"),
    }
}

/// `:q :quit`: each name with its colon.
fn names(list: &[&str]) -> String {
    list.iter()
        .map(|n| format!(":{n}"))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn lines(keymap: &Keymap, lang: Lang) -> Vec<HelpLine> {
    let mut out = Vec::new();
    for mode in Mode::ALL {
        out.push(HelpLine::Heading(mode_title(mode, lang).to_string()));
        out.extend(
            keymap
                .bindings(mode)
                .iter()
                .map(|b| HelpLine::Entry(b.keys_text(), b.desc(lang).to_string())),
        );
    }
    out.push(HelpLine::Heading(
        lang.pick("Màn hình (:tên, Tab)", "Views (:name, Tab)")
            .to_string(),
    ));
    out.extend(
        View::ALL
            .iter()
            .map(|v| HelpLine::Entry(names(v.aliases()), v.label(lang).to_string())),
    );
    out.push(HelpLine::Heading(
        lang.pick("Lệnh (:)", "Commands (:)").to_string(),
    ));
    out.extend(
        cmdline::COMMANDS
            .iter()
            .map(|(list, vi, en)| HelpLine::Entry(names(list), lang.pick(vi, en).to_string())),
    );
    out
}
