//! Every message of the command line in the reader's language (issue 16): a failure is one
//! line `trucban [CODE]: sentence` on stderr, its code the same in both languages, its
//! sentence in Vietnamese under `--lang vi` (or `LANG=vi_VN…`) and in English under
//! `--lang en`; an import's problems name file, line and column in that language too; and
//! through the daemon the service's refusals arrive in the reader's language with the
//! service's code.

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use std::process::{Command, Output};

/// The one `trucban [CODE]: …` line of a failed command: its code and its sentence.
fn told(out: &Output) -> (String, String) {
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err
        .lines()
        .find(|l| l.starts_with("trucban ["))
        .unwrap_or_else(|| panic!("no `trucban [CODE]:` line in {err:?}"));
    let (code, text) = line["trucban [".len()..]
        .split_once("]: ")
        .unwrap_or_else(|| panic!("not `trucban [CODE]: …`: {line}"));
    (code.to_string(), text.to_string())
}

/// Runs `args` in both languages; both fail with `code`; the Vietnamese sentence holds
/// `vi`, the English one `en`, and they differ.
fn said_in_both(desk: &common::Desk, args: &[&str], code: &str, vi: &str, en: &str) {
    let mut sentences = Vec::new();
    for (lang, words) in [("vi", vi), ("en", en)] {
        let mut full = vec!["--lang", lang];
        full.extend_from_slice(args);
        let out = desk.run(&full);
        assert!(!out.status.success(), "{args:?} {lang}: succeeded");
        let (got, text) = told(&out);
        assert_eq!(got, code, "{args:?} {lang}: {text}");
        assert!(
            text.contains(words),
            "{args:?} {lang}: {text:?} lacks {words:?}"
        );
        sentences.push(text);
    }
    assert_ne!(sentences[0], sentences[1], "{args:?}: one language only");
}

fn seeded() -> common::Desk {
    let desk = common::Desk::new();
    desk.ok(&["seed", "--sample"]);
    desk
}

#[test]
fn a_failing_command_says_its_code_and_its_sentence_in_the_readers_language() {
    let desk = seeded();
    let path = |name: &str| desk.path().join(name).display().to_string();
    said_in_both(
        &desk,
        &["import", "guests", &path("missing.csv")],
        "input.unreadable",
        "không đọc được",
        "cannot read",
    );
    let backup = path("ca.bak");
    desk.ok(&["backup", &backup]);
    said_in_both(
        &desk,
        &["backup", &backup],
        "invalid",
        "thêm --force để thay",
        "give --force to replace it",
    );
    said_in_both(
        &desk,
        &["restore", &backup],
        "backup.target_not_empty",
        "khôi phục chỉ ghi vào kho trống",
        "restore writes only into an empty store",
    );
    said_in_both(
        &desk,
        &["report", "--from", "2026-12-02", "--to", "2026-12-01"],
        "invalid",
        "--to 01/12/2026 trước --from 02/12/2026",
        "--to 01 Dec 2026 is before --from 02 Dec 2026",
    );
    said_in_both(
        &desk,
        &["--socket", &path("nobody.sock"), "stats"],
        "daemon.unreachable",
        "không kết nối được trucban serve",
        "cannot reach trucban serve",
    );
    let config = desk.write("config.toml", b"[tips]\nverify_days = 0\n");
    said_in_both(
        &desk,
        &["--config", &config.display().to_string(), "stats"],
        "config.invalid",
        "verify_days = 0: cần từ 1 đến 365 ngày",
        "verify_days = 0: expected 1 to 365 days",
    );
    let empty = common::Desk::new();
    said_in_both(
        &empty,
        &["stats"],
        "store.none",
        "không có kho dữ liệu tại",
        "there is no store at",
    );
}

#[test]
fn an_import_says_its_problems_and_its_summary_in_the_readers_language() {
    let desk = seeded();
    let bad = desk.write("khach.csv", b"full_name,colour\nA,1\n");
    let bad = bad.display().to_string();
    for (lang, column, missing, summary) in [
        (
            "vi",
            "cột colour: cột lạ \"colour\"",
            "cột check_in: thiếu cột bắt buộc",
            "không nhập gì",
        ),
        (
            "en",
            "column colour: unknown column \"colour\"",
            "column check_in: required column is missing",
            "nothing was imported",
        ),
    ] {
        let out = desk.run(&["--lang", lang, "import", "guests", &bad]);
        assert_eq!(out.status.code(), Some(2), "{lang}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("khach.csv:1: {column}")),
            "{lang}: {err}"
        );
        assert!(
            err.contains(&format!("khach.csv:1: {missing}")),
            "{lang}: {err}"
        );
        let (code, text) = told(&out);
        assert_eq!(code, "import.problems", "{lang}");
        assert!(text.contains(summary), "{lang}: {text}");
    }
    // A value's problem is said in the reader's language too, with what is expected.
    let rows = format!(
        "{}\nCS-000001,Lò Văn A,32/13/1990,nam,012345678901,VN,2026-11-20 21:00,,12,\n",
        common::GUEST_HEADER
    );
    let wrong = desk.write("ngay.csv", rows.as_bytes());
    let out = desk.run(&[
        "--lang",
        "vi",
        "import",
        "guests",
        &wrong.display().to_string(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "ngay.csv:2: cột date_of_birth: \"32/13/1990\" không hợp lệ (cần ngày DD/MM/YYYY"
        ),
        "{err}"
    );
    // What it did is said in the reader's language as well.
    let good = desk.write(
        "tot.csv",
        rows.replace("32/13/1990", "01/02/1990").as_bytes(),
    );
    let good = good.display().to_string();
    let vi = desk.ok(&["--lang", "vi", "import", "guests", &good]);
    assert!(
        vi.contains("tot.csv: đã nhập 1 dòng vào guests (1 mới"),
        "{vi}"
    );
    let en = desk.ok(&["--lang", "en", "import", "guests", &good]);
    assert!(
        en.contains("tot.csv: 1 rows imported into guests (0 new, 0 updated, 1 unchanged)"),
        "{en}"
    );
}

#[test]
fn without_lang_the_locale_decides_and_usage_errors_follow_it() {
    let desk = seeded();
    let run = |locale: &str, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_trucban"))
            .arg("--data-dir")
            .arg(desk.path().join("data"))
            .args(args)
            .env_remove("TRUCBAN_DATA_DIR")
            .env_remove("LC_ALL")
            .env("LANG", locale)
            .output()
            .expect("run trucban")
    };
    let restore = ["restore", "/nonexistent/ca.bak"];
    let (code_vi, vi) = told(&run("vi_VN.UTF-8", &restore));
    let (code_en, en) = told(&run("en_US.UTF-8", &restore));
    assert_eq!(code_vi, code_en);
    assert!(vi.contains("khôi phục chỉ ghi vào kho trống"), "{vi}");
    assert!(
        en.contains("restore writes only into an empty store"),
        "{en}"
    );
    // A bad value on the command line: clap's frame and the parser's sentence.
    let usage = run("vi_VN.UTF-8", &["export", "khach"]);
    let err = String::from_utf8_lossy(&usage.stderr);
    assert_eq!(usage.status.code(), Some(2));
    assert!(err.contains("lỗi: giá trị không hợp lệ 'khach'"), "{err}");
    assert!(
        err.contains("loại lạ \"khach\" (cần một trong: officers"),
        "{err}"
    );
}

#[test]
fn through_the_daemon_refusals_come_with_the_services_code_in_the_readers_language() {
    let desk = seeded();
    // A duty officer of the sample: may import guests, may not list accounts.
    desk.account_for_me("CB-000013", "246810");
    let socket = desk.path().join("run").join("s.sock");
    let served = common::served::Served::start(desk.path(), &desk.path().join("data"), &socket);
    let socket = socket.display().to_string();
    let through = |lang: &str, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_trucban"))
            .args(["--lang", lang, "--socket", &socket])
            .args(args)
            .env("HOME", desk.path())
            .env_remove("TRUCBAN_DATA_DIR")
            .output()
            .expect("run trucban")
    };
    let (code_vi, vi) = told(&through("vi", &["account", "list"]));
    let (code_en, en) = told(&through("en", &["account", "list"]));
    assert_eq!(
        (code_vi.as_str(), code_en.as_str()),
        ("forbidden", "forbidden")
    );
    assert!(vi.contains("Vai trò trực ban không được"), "{vi}");
    assert!(en.starts_with("Role ") && en.contains(" may not "), "{en}");
    // The import's problems cross the socket in both languages; each reader gets theirs.
    let bad = desk
        .write("khach.csv", b"full_name,colour\nA,1\n")
        .display()
        .to_string();
    let out = through("vi", &["screen", &bad]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("khach.csv:1: cột colour: cột lạ \"colour\""),
        "{err}"
    );
    // The store is the daemon's: opened directly, the refusal says by whom, in Vietnamese.
    let direct = desk.run(&["--lang", "vi", "stats"]);
    let (code, text) = told(&direct);
    assert_eq!(code, "store.in_use", "{text}");
    assert!(
        text.contains("đang được dùng bởi máy chủ `trucban serve`"),
        "{text}"
    );
    served.stop();
}
