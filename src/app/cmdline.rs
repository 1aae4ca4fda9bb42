//! The `:` command line: view names in Vietnamese (with or without marks), short forms and
//! English, plus quit and help; completion and history.

use super::views::View;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    Go(View),
    Quit,
    Help,
    /// The search box, with the words typed after the command (`:tim giàng sử`).
    Search(String),
    /// Open the handover form of the current shift (`:kyca`, `:sign`).
    SignHandover,
    /// A duty-log entry (`:ghi …`, `:log …`): the rest of the line.
    Log(String),
    /// A correction of a log entry (`:dinhchinh NK-… …`): the rest of the line.
    Correct(String),
    /// The report for a period (`:baocao FROM TO`): the rest of the line. `:baocao` alone
    /// is `Go(View::Report)`.
    Report(String),
    Unknown(String),
}

const QUIT: &[&str] = &["q", "quit", "thoat"];
const HELP: &[&str] = &["help", "trogiup", "h"];
const SEARCH: &[&str] = &["tim", "timkiem", "find", "search"];
const SIGN_HANDOVER: &[&str] = &["kyca", "kygiaoca", "sign"];
/// `:log` alone is the duty-log view; with text after it, an entry.
const LOG: &[&str] = &["ghi", "log"];
const CORRECT: &[&str] = &["dinhchinh", "correct"];

/// The commands besides the views, for the help: their names and what they do.
pub const COMMANDS: &[(&[&str], &str, &str)] = &[
    (
        SEARCH,
        "Tìm mọi hồ sơ (:tim giàng sử)",
        "Search every record (:find giang su)",
    ),
    (
        LOG,
        "Ghi nhật ký trực ban (:ghi TN-000123 nội dung)",
        "Write the duty log (:log TN-000123 text)",
    ),
    (
        CORRECT,
        "Đính chính một dòng nhật ký (:dinhchinh NK-… nội dung)",
        "Correct a log entry (:correct NK-… text)",
    ),
    (
        SIGN_HANDOVER,
        "Ký giao ca của ca hiện tại",
        "Sign the current shift's handover",
    ),
    (
        &["baocao TỪ ĐẾN"],
        "Báo cáo một kỳ (:baocao 01/01/2026 30/06/2026)",
        "Report a period (:report 2026-01-01 2026-06-30)",
    ),
    (HELP, "Trợ giúp này", "This help"),
    (QUIT, "Thoát", "Quit"),
];

pub fn parse(text: &str) -> Parsed {
    let (head, rest) = text.trim().split_once(' ').unwrap_or((text.trim(), ""));
    if SEARCH.contains(&crate::domain::text::fold(head).as_str()) {
        return Parsed::Search(rest.trim().to_string());
    }
    let head_word = crate::domain::text::fold(head);
    if LOG.contains(&head_word.as_str()) && (head_word == "ghi" || !rest.trim().is_empty()) {
        return Parsed::Log(rest.trim().to_string());
    }
    if CORRECT.contains(&head_word.as_str()) {
        return Parsed::Correct(rest.trim().to_string());
    }
    if View::Report.aliases().contains(&head_word.as_str()) && !rest.trim().is_empty() {
        return Parsed::Report(rest.trim().to_string());
    }
    let word = crate::domain::text::fold(text.trim());
    if QUIT.contains(&word.as_str()) {
        return Parsed::Quit;
    }
    if HELP.contains(&word.as_str()) {
        return Parsed::Help;
    }
    if SIGN_HANDOVER.contains(&word.as_str()) {
        return Parsed::SignHandover;
    }
    View::from_alias(&word).map_or(Parsed::Unknown(text.trim().to_string()), Parsed::Go)
}

fn all_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = View::ALL
        .iter()
        .flat_map(|v| v.aliases().iter().copied())
        .collect();
    names.extend(QUIT);
    names.extend(HELP);
    names.extend(SEARCH);
    names.extend(SIGN_HANDOVER);
    names.extend(LOG);
    names.extend(CORRECT);
    names.sort_unstable();
    names.dedup();
    names
}

/// Completes `text`: the single match, or the longest common prefix of several. Also
/// returns the candidates, to show them.
pub fn complete(text: &str) -> (String, Vec<&'static str>) {
    let typed = crate::domain::text::fold(text.trim());
    let candidates: Vec<&'static str> = all_names()
        .into_iter()
        .filter(|n| n.starts_with(&typed))
        .collect();
    let completed = match candidates.as_slice() {
        [] => text.to_string(),
        [one] => (*one).to_string(),
        [first, rest @ ..] => {
            let mut prefix = first.to_string();
            for name in rest {
                while !name.starts_with(&prefix) {
                    prefix.pop();
                }
            }
            if prefix.len() >= typed.len() {
                prefix
            } else {
                text.to_string()
            }
        }
    };
    (completed, candidates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_short_and_english_names_all_work() {
        assert_eq!(parse("truyna"), Parsed::Go(View::Wanted));
        assert_eq!(parse("tn"), Parsed::Go(View::Wanted));
        assert_eq!(parse("wanted"), Parsed::Go(View::Wanted));
        assert_eq!(parse("luutru"), Parsed::Go(View::Lodging));
        assert_eq!(parse("lt"), Parsed::Go(View::Lodging));
        assert_eq!(parse("luudong"), Parsed::Go(View::Watch));
        assert_eq!(parse("ld"), Parsed::Go(View::Watch));
        assert_eq!(parse("caodiem"), Parsed::Go(View::Campaigns));
        assert_eq!(parse("cd"), Parsed::Go(View::Campaigns));
        assert_eq!(
            parse(" Lưu Trú ".replace(' ', "").as_str()),
            Parsed::Go(View::Lodging)
        );
        assert_eq!(parse("khaibaomuon"), Parsed::Go(View::LateDeclarations));
        assert_eq!(parse("kbm"), Parsed::Go(View::LateDeclarations));
        assert_eq!(parse("late"), Parsed::Go(View::LateDeclarations));
        assert_eq!(parse("cankiemtra"), Parsed::Go(View::ToInspect));
        assert_eq!(parse("ckt"), Parsed::Go(View::ToInspect));
        assert_eq!(parse("inspect-next"), Parsed::Go(View::ToInspect));
        assert_eq!(
            parse("Cần kiểm tra".replace(' ', "").as_str()),
            Parsed::Go(View::ToInspect)
        );
        assert_eq!(parse("thoát"), Parsed::Quit);
        assert_eq!(parse("xyz"), Parsed::Unknown("xyz".into()));
        assert_eq!(parse("tìm"), Parsed::Search(String::new()));
        assert_eq!(parse("find"), Parsed::Search(String::new()));
        assert_eq!(
            parse("timkiem  Giàng Sử "),
            Parsed::Search("Giàng Sử".into())
        );
    }

    #[test]
    fn log_lines_and_corrections() {
        assert_eq!(parse("log"), Parsed::Go(View::Log));
        assert_eq!(parse("log gọi VKS"), Parsed::Log("gọi VKS".into()));
        assert_eq!(
            parse("ghi  TN-000123 gọi"),
            Parsed::Log("TN-000123 gọi".into())
        );
        assert_eq!(parse("ghi"), Parsed::Log(String::new()));
        assert_eq!(
            parse("đính chính NK-000002 x".replacen(' ', "", 1).as_str()),
            Parsed::Correct("NK-000002 x".into())
        );
        assert_eq!(parse("tinbao"), Parsed::Go(View::Tips));
        assert_eq!(parse("tb"), Parsed::Go(View::Tips));
        assert_eq!(parse("tips"), Parsed::Go(View::Tips));
    }

    #[test]
    fn the_report_with_or_without_a_period() {
        assert_eq!(parse("baocao"), Parsed::Go(View::Report));
        assert_eq!(
            parse("báo cáo".replace(' ', "").as_str()),
            Parsed::Go(View::Report)
        );
        assert_eq!(parse("report"), Parsed::Go(View::Report));
        assert_eq!(
            parse("bc 2026-01-01  2026-06-30"),
            Parsed::Report("2026-01-01  2026-06-30".into())
        );
    }

    #[test]
    fn completion_finishes_or_narrows() {
        assert_eq!(complete("caod").0, "caodiem");
        let (text, candidates) = complete("l");
        assert_eq!(text, "l");
        assert!(
            candidates.contains(&"luutru")
                && candidates.contains(&"luudong")
                && candidates.contains(&"log")
        );
        assert_eq!(complete("luu").0, "luu");
        assert_eq!(complete("luut").0, "luutru");
        assert_eq!(complete("zz").1.len(), 0);
    }
}
