//! The command line's help in Vietnamese. clap writes `--help` from the English doc comments
//! of `args.rs`; under `--lang vi` (or `LANG=vi…`) every about and option text is replaced
//! from [`VI`], keyed by the English text, and clap's own words (headings, `--help`,
//! `--version`, `help`) are given in Vietnamese. A text left out of the table fails the test
//! below rather than showing English.

use clap::{Arg, ArgAction, Command};

/// (English as written in `args.rs`, Vietnamese).
const VI: &[(&str, &str)] = &[
    (
        "Duty-desk console for Lai Châu province police (bàn trực ban)",
        "Bàn trực ban của Công an tỉnh Lai Châu",
    ),
    (
        "Store directory [default: the platform data directory, e.g. ~/.local/share/trucban]",
        "Thư mục kho dữ liệu [mặc định: thư mục dữ liệu của hệ thống, ví dụ ~/.local/share/trucban]",
    ),
    (
        "PostgreSQL database to keep the store in, instead of a store directory (postgres://… or host=… dbname=…) [default: `database` under [store] in the config file]",
        "Cơ sở dữ liệu PostgreSQL giữ kho, thay cho thư mục kho (postgres://… hoặc host=… dbname=…) [mặc định: `database` trong mục [store] của tệp cấu hình]",
    ),
    (
        "Interface language, vi or en [default: from LANG]",
        "Ngôn ngữ giao diện, vi hoặc en [mặc định: theo LANG]",
    ),
    (
        "The socket of `trucban serve` to work through (fails if it does not answer) [default: /run/trucban/trucban.sock, then $XDG_RUNTIME_DIR/trucban/trucban.sock, if one answers and no --data-dir is given]",
        "Socket của `trucban serve` để làm việc qua nó (báo lỗi nếu không trả lời) [mặc định: /run/trucban/trucban.sock, rồi $XDG_RUNTIME_DIR/trucban/trucban.sock, nếu có trả lời và không có --data-dir]",
    ),
    (
        "Theme: default, high-contrast, mono, ansi16, low-bandwidth, or a user theme [default: mono under NO_COLOR, ansi16 on TERM=linux, else default]",
        "Giao diện màu: default, high-contrast, mono, ansi16, low-bandwidth, hoặc một giao diện của người dùng [mặc định: mono khi có NO_COLOR, ansi16 khi TERM=linux, còn lại default]",
    ),
    (
        "Keymap file laid over the built-in keys [default: ~/.config/trucban/keymap.toml]",
        "Tệp phím đặt đè lên phím có sẵn [mặc định: ~/.config/trucban/keymap.toml]",
    ),
    (
        "Config file with defaults for these options [default: ~/.config/trucban/config.toml]",
        "Tệp cấu hình với giá trị mặc định cho các tuỳ chọn này [mặc định: ~/.config/trucban/config.toml]",
    ),
    (
        "The officer the forms are filled in for (CB-000012)",
        "Cán bộ mà các biểu mẫu được điền cho (CB-000012)",
    ),
    (
        "The view the console opens on, named as `:` names it (truyna, nt, kbm, …) [default: tinhhinh, Shift at a glance]",
        "Màn hình mở đầu, gọi như lệnh `:` (truyna, nt, kbm, …) [mặc định: tinhhinh, Tình hình ca trực]",
    ),
    (
        "Open the console on a fresh copy of the fictional sample data",
        "Mở bàn trực ban trên một bản mới của dữ liệu mẫu hư cấu",
    ),
    (
        "Serve the store to every console on this host over a Unix socket (several officers at once); stops cleanly on SIGTERM or Ctrl-C [socket default: $RUNTIME_DIRECTORY/trucban.sock under systemd, else $XDG_RUNTIME_DIR/trucban/trucban.sock, else /run/trucban/trucban.sock]",
        "Phục vụ kho cho mọi bàn trực ban trên máy này qua Unix socket (nhiều cán bộ cùng lúc); dừng gọn khi nhận SIGTERM hoặc Ctrl-C [socket mặc định: $RUNTIME_DIRECTORY/trucban.sock dưới systemd, rồi $XDG_RUNTIME_DIR/trucban/trucban.sock, rồi /run/trucban/trucban.sock]",
    ),
    ("Load data into the store", "Nạp dữ liệu vào kho"),
    (
        "The fictional sample, its timeline moved so that its last day ends now",
        "Dữ liệu mẫu hư cấu, mốc thời gian dời để ngày cuối kết thúc lúc này",
    ),
    (
        "Write a large fictional store for benchmarks (into an empty --data-dir)",
        "Tạo một kho hư cấu lớn để đo hiệu năng (vào --data-dir trống)",
    ),
    (
        "Number of persons, and of guest stays unless --guests says otherwise",
        "Số nhân thân, và số lượt lưu trú nếu --guests không ghi khác",
    ),
    (
        "Number of guest stays (default: N)",
        "Số lượt lưu trú (mặc định: N)",
    ),
    (
        "Import a CSV (header row) or JSON file; any bad row ⇒ nothing is written",
        "Nhập tệp CSV (có dòng tiêu đề) hoặc JSON; có dòng sai ⇒ không ghi gì",
    ),
    (
        "csv or json [default: from the file name]",
        "csv hoặc json [mặc định: theo tên tệp]",
    ),
    (
        "Screen a guest file against the active wanted notices and watch entries, without importing it",
        "Đối chiếu tệp khách lưu trú với các quyết định truy nã và đối tượng theo dõi đang hiệu lực, không nhập tệp",
    ),
    (
        "One JSON object per input row: {\"row\", \"hits\": [{\"list\", \"record_id\", \"person_name\", \"score\", \"band\", \"reasons\"}]}",
        "Mỗi dòng vào một đối tượng JSON: {\"row\", \"hits\": [{\"list\", \"record_id\", \"person_name\", \"score\", \"band\", \"reasons\"}]}",
    ),
    (
        "Export a collection in the format import reads, or as text to read (to stdout unless --output)",
        "Xuất một tập hồ sơ theo định dạng lệnh nhập đọc được, hoặc dạng văn bản để đọc (ra màn hình nếu không có --output)",
    ),
    (
        "csv or json (import reads them back exactly), or text (to read; controls shown as �)",
        "csv hoặc json (lệnh nhập đọc lại đúng nguyên vẹn), hoặc text (để đọc; ký tự điều khiển hiện thành �)",
    ),
    (
        "Search every collection (or one kind) for a name, ID or field (`sinh:1990`, `xa:`, `id:`)",
        "Tìm trong mọi tập hồ sơ (hoặc một loại) theo tên, mã hay trường (`sinh:1990`, `xa:`, `id:`)",
    ),
    (
        "An array of {kind, id, title, detail, score, highlight}",
        "Một mảng {kind, id, title, detail, score, highlight}",
    ),
    (
        "Late and undeclared guests per establishment and night, worst first (default: the last 7 nights)",
        "Khách khai báo muộn và chưa khai báo theo cơ sở và đêm, nặng nhất trước (mặc định: 7 đêm gần nhất)",
    ),
    (
        "First night, local date DD/MM/YYYY or YYYY-MM-DD [default: 6 nights before --to]",
        "Đêm đầu, ngày địa phương DD/MM/YYYY hoặc YYYY-MM-DD [mặc định: 6 đêm trước --to]",
    ),
    (
        "Last night, local date DD/MM/YYYY or YYYY-MM-DD [default: today]",
        "Đêm cuối, ngày địa phương DD/MM/YYYY hoặc YYYY-MM-DD [mặc định: hôm nay]",
    ),
    (
        "An array of {establishment_id, establishment, commune, night, guests, late, undeclared, band, late_ids, undeclared_ids}",
        "Một mảng {establishment_id, establishment, commune, night, guests, late, undeclared, band, late_ids, undeclared_ids}",
    ),
    (
        "Establishments to inspect first, ranked, with the reasons",
        "Các cơ sở cần kiểm tra trước, xếp hạng, kèm lý do",
    ),
    (
        "An array of {establishment_id, establishment, commune, risk, score, last_inspection, late, undeclared, failed_items, violations, hits, factors}",
        "Một mảng {establishment_id, establishment, commune, risk, score, last_inspection, late, undeclared, failed_items, violations, hits, factors}",
    ),
    (
        "A campaign roster: `check` its problems (exit 3 when some), `show` its grid, `add`, `move` or `swap` assignments (supervisors; refused with the problems it would create)",
        "Bảng phân công chuyên đề: `check` kiểm tra (mã thoát 3 khi có vấn đề), `show` xem lưới, `add`, `move` hay `swap` phân công (chỉ huy; bị từ chối kèm các vấn đề nó sẽ gây ra)",
    ),
    (
        "Double bookings, short rests and empty posts; exit 0 when none, 3 when some",
        "Trùng ca, nghỉ không đủ và chốt trống; mã thoát 0 khi không có, 3 khi có",
    ),
    (
        "One campaign (CD-000001) [default: every campaign]",
        "Một chuyên đề (CD-000001) [mặc định: mọi chuyên đề]",
    ),
    (
        "An array of {campaign_id, problems: [{problem, officer_id, first, second, rest_minutes, min_minutes, date, shift, post}]}",
        "Một mảng {campaign_id, problems: [{problem, officer_id, first, second, rest_minutes, min_minutes, date, shift, post}]}",
    ),
    (
        "Who holds each post, shift by shift",
        "Ai giữ từng chốt, theo từng ca",
    ),
    (
        "One local day, DD/MM/YYYY or YYYY-MM-DD [default: every day of the campaign]",
        "Một ngày địa phương, DD/MM/YYYY hoặc YYYY-MM-DD [mặc định: mọi ngày của chuyên đề]",
    ),
    (
        "An array of {date, shift, start, end, posts: [{post, slots}]}",
        "Một mảng {date, shift, start, end, posts: [{post, slots}]}",
    ),
    (
        "Put an officer on a post for a shift (a new assignment)",
        "Phân một cán bộ vào một chốt trong một ca (phân công mới)",
    ),
    (
        "Local date, DD/MM/YYYY or YYYY-MM-DD",
        "Ngày địa phương, DD/MM/YYYY hoặc YYYY-MM-DD",
    ),
    (
        "The post or route (Chốt Ma Lù Thàng)",
        "Chốt hoặc tuyến (Chốt Ma Lù Thàng)",
    ),
    (
        "Move an assignment (PC-000003) to another date, shift or post; what is not given stays",
        "Chuyển một phân công (PC-000003) sang ngày, ca hoặc chốt khác; phần không ghi giữ nguyên",
    ),
    (
        "Two assignments exchange their officers",
        "Hai phân công đổi cán bộ cho nhau",
    ),
    (
        "The shift handover (sổ giao ca): its sheet, to paste into a report or a message; `sign` it as the outgoing officer, `acknowledge` it as the incoming one",
        "Sổ giao ca: in biên bản để dán vào báo cáo hay tin nhắn; `sign` ký giao ca, `acknowledge` ký nhận ca",
    ),
    (
        "current, previous, or a handover's ID (GC-000007)",
        "current (ca này), previous (ca trước), hoặc mã sổ giao ca (GC-000007)",
    ),
    (
        "text (fits 80 columns), md, or json",
        "text (vừa 80 cột), md, hoặc json",
    ),
    (
        "Print the sheet (as `trucban handover` alone)",
        "In biên bản (như `trucban handover` không kèm lệnh)",
    ),
    (
        "Sign a shift's handover as its outgoing officer (the session's officer, now)",
        "Ký giao ca với tư cách người giao (cán bộ của phiên, lúc này)",
    ),
    (
        "What the incoming officer must know",
        "Những điều người nhận ca cần biết",
    ),
    (
        "Acknowledge a signed handover (GC-000007) as the incoming officer; it is then closed",
        "Ký nhận một sổ giao ca đã ký (GC-000007) với tư cách người nhận; sổ sau đó khoá lại",
    ),
    (
        "The periodic report for local dates FROM..=TO, beside the period of the same length before",
        "Báo cáo định kỳ cho các ngày địa phương FROM..=TO, so với kỳ trước cùng độ dài",
    ),
    (
        "The audit trail (auditor): `verify` the hash chain, or list entries",
        "Nhật ký kiểm toán (kiểm tra viên): `verify` kiểm chuỗi băm, hoặc liệt kê các mục",
    ),
    (
        "Only this officer's entries (CB-000012)",
        "Chỉ các mục của cán bộ này (CB-000012)",
    ),
    ("Only entries about this record", "Chỉ các mục về hồ sơ này"),
    (
        "Only entries since this local time (DD/MM/YYYY or YYYY-MM-DD, optionally HH:MM)",
        "Chỉ các mục từ thời điểm địa phương này (DD/MM/YYYY hoặc YYYY-MM-DD, có thể kèm HH:MM)",
    ),
    ("At most the newest N entries", "Tối đa N mục mới nhất"),
    (
        "An array of {seq, at, user, officer, action, record, detail, outcome, prev, hash}",
        "Một mảng {seq, at, user, officer, action, record, detail, outcome, prev, hash}",
    ),
    (
        "Check the whole chain: exit 0 intact, 4 broken (an edited, removed or reordered entry)",
        "Kiểm cả chuỗi: mã thoát 0 nguyên vẹn, 4 bị đứt (một mục bị sửa, xoá hoặc đổi thứ tự)",
    ),
    (
        "Officer accounts (administrator): which OS user is which officer, with a PIN",
        "Tài khoản cán bộ (quản trị): người dùng hệ điều hành nào là cán bộ nào, kèm mã PIN",
    ),
    (
        "Create or change an account: OS user USER is officer OFFICER (CB-000012); a new account asks for a PIN (typed twice, not shown; or one line on stdin)",
        "Tạo hoặc sửa tài khoản: người dùng USER là cán bộ OFFICER (CB-000012); tài khoản mới hỏi mã PIN (gõ hai lần, không hiện; hoặc một dòng trên stdin)",
    ),
    (
        "Set a new PIN (always asked for a new account)",
        "Đặt mã PIN mới (tài khoản mới luôn được hỏi)",
    ),
    (
        "Every account: user, officer, whether it has a PIN, lockout",
        "Mọi tài khoản: người dùng, cán bộ, đã có PIN chưa, bị khoá không",
    ),
    ("Record counts per collection", "Số hồ sơ theo từng tập"),
    (
        "Verify the store: records, counts, indexes, references, change log; exit 0 intact, 3 damaged",
        "Kiểm tra kho: hồ sơ, số đếm, chỉ mục, tham chiếu, nhật ký thay đổi; mã thoát 0 nguyên vẹn, 3 bị hỏng",
    ),
    (
        "{counts, index_entries, problems, more_problems}",
        "{counts, index_entries, problems, more_problems} (JSON)",
    ),
    (
        "Write a consistent backup of the whole store to FILE (checksummed, written atomically)",
        "Ghi bản sao lưu nhất quán của cả kho vào FILE (có mã kiểm tra, ghi trọn một lần)",
    ),
    (
        "Replace an earlier backup at FILE (without it, an existing file is refused)",
        "Thay bản sao lưu cũ tại FILE (không có cờ này, tệp đã có bị từ chối)",
    ),
    (
        "Restore a backup into an empty --data-dir (verified before anything is written), then check it",
        "Khôi phục bản sao lưu vào --data-dir trống (kiểm tra trước khi ghi gì), rồi kiểm tra kho",
    ),
    (
        "Move a store to another engine: a store directory into an empty PostgreSQL database, or back; both are then compared by counts and content checksums",
        "Chuyển kho sang bộ máy khác: từ thư mục kho vào một cơ sở dữ liệu PostgreSQL trống, hoặc ngược lại; rồi so hai kho theo số lượng và tổng kiểm tra nội dung",
    ),
    (
        "The store to copy: a directory, or a database (postgres://… or host=… dbname=…)",
        "Kho cần chép: một thư mục, hoặc một cơ sở dữ liệu (postgres://… hoặc host=… dbname=…)",
    ),
    (
        "Where to copy it, which must be empty: a directory, or a database",
        "Nơi chép tới, phải trống: một thư mục, hoặc một cơ sở dữ liệu",
    ),
    (
        "The columns of a kind's import file, as a Markdown table",
        "Các cột của tệp nhập cho một loại hồ sơ, dạng bảng Markdown",
    ),
    (
        "The console's keys (built-in keymap), as Markdown tables",
        "Các phím của bàn trực ban (bộ phím có sẵn), dạng bảng Markdown",
    ),
    (
        "The service's requests: who may call each, what the session fills in, the rule (Markdown)",
        "Các yêu cầu của dịch vụ: ai được gọi, phiên tự điền gì, quy tắc (Markdown)",
    ),
    (
        "Regenerate the committed sample files under DIR (for maintainers)",
        "Tạo lại các tệp mẫu trong DIR (cho người bảo trì)",
    ),
];

fn vietnamese(english: &str) -> Option<&'static str> {
    VI.iter().find(|(en, _)| *en == english).map(|(_, vi)| *vi)
}

/// `cmd` (and every subcommand) with its help in Vietnamese.
pub(super) fn localized(cmd: Command) -> Command {
    let mut cmd = localize(cmd, true);
    // `help [COMMAND]` subcommands are made by clap when the grammar is built: named after.
    cmd.build();
    name_help_commands(cmd)
}

fn name_help_commands(cmd: Command) -> Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    names.into_iter().fold(cmd, |cmd, name| {
        cmd.mut_subcommand(name.clone(), |sub| match name.as_str() {
            "help" => sub
                .about("In trợ giúp này, hoặc trợ giúp của một lệnh")
                .help_template(TEMPLATE)
                .subcommand_help_heading("Lệnh"),
            _ => name_help_commands(sub),
        })
    })
}

/// clap's layout of a help page, with its words in Vietnamese.
const TEMPLATE: &str =
    "{before-help}{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}";

fn localize(mut cmd: Command, root: bool) -> Command {
    if let Some(about) = cmd.get_about().and_then(|a| vietnamese(&a.to_string())) {
        cmd = cmd.about(about).long_about(None::<&str>);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        cmd = cmd.mut_arg(id, |arg| {
            let arg = match arg.get_help().and_then(|h| vietnamese(&h.to_string())) {
                Some(vi) => arg.help(vi).long_help(None::<&str>),
                None => arg,
            };
            if arg.is_positional() {
                arg.help_heading("Tham số")
            } else {
                arg.help_heading("Tuỳ chọn")
            }
        });
    }
    cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("Lệnh")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("In trợ giúp")
                .help_heading("Tuỳ chọn"),
        );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("In phiên bản")
                .help_heading("Tuỳ chọn"),
        );
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |sub| localize(sub, false));
    }
    cmd
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Every about and option text clap would show has its Vietnamese.
    #[test]
    fn every_help_text_is_in_vietnamese() {
        fn walk(cmd: &Command, missing: &mut Vec<String>) {
            let about = cmd.get_about().map(|a| a.to_string());
            let helps = cmd
                .get_arguments()
                .filter_map(|a| a.get_help())
                .map(|h| h.to_string());
            for text in about.into_iter().chain(helps) {
                if vietnamese(&text).is_none() {
                    missing.push(text);
                }
            }
            cmd.get_subcommands().for_each(|s| walk(s, missing));
        }
        let mut missing = Vec::new();
        walk(&super::super::Cli::command(), &mut missing);
        assert!(missing.is_empty(), "no Vietnamese for: {missing:#?}");
    }

    #[test]
    fn the_help_reads_in_vietnamese() {
        let mut cmd = localized(super::super::Cli::command());
        let help = cmd.render_help().to_string();
        assert!(
            help.starts_with("Bàn trực ban của Công an tỉnh Lai Châu"),
            "{help}"
        );
        for words in [
            "Cách dùng: trucban",
            "Lệnh:",
            "Tuỳ chọn:",
            "Nạp dữ liệu vào kho",
            "In trợ giúp",
        ] {
            assert!(help.contains(words), "{words:?} missing:\n{help}");
        }
        for english in ["Usage:", "Commands:", "Options:", "Print help", "Load data"] {
            assert!(
                !help.contains(english),
                "{english:?} left in English:\n{help}"
            );
        }
        let backup = cmd
            .find_subcommand_mut("backup")
            .expect("backup")
            .render_help()
            .to_string();
        assert!(backup.contains("Thay bản sao lưu cũ tại FILE"), "{backup}");
        assert!(backup.contains("Tham số:"), "{backup}");
        let roster = cmd
            .find_subcommand_mut("roster")
            .expect("roster")
            .render_help()
            .to_string();
        assert!(
            roster.contains("In trợ giúp này, hoặc trợ giúp của một lệnh"),
            "{roster}"
        );
        assert!(!roster.contains("Print this message"), "{roster}");
    }
}
