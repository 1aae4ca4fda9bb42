#![allow(clippy::panic)]
//! The console when `trucban serve` goes away and comes back (issue 16, bug 1): two officers'
//! consoles, one in Vietnamese and one in English, in 80×24 ptys on one daemon. The daemon is
//! killed (-9), then later stopped with SIGTERM, and each time started again. While it is
//! gone each console says so at once in its language, keeps the rows it showed, and shows a
//! view it cannot load as not loaded (never as an empty table); when it is back each carries
//! on by itself, with a new session, and loads again. Before that, each console's form shows
//! the session's officer, fixed (bug 8).

mod common;

use std::path::Path;
use std::time::Duration;

use common::pty::Console;
use common::served::Served;

/// How soon the loss must be said, and how soon a console must be back after the daemon is
/// (its backoff waits at most 5 s between attempts).
const SAID_WITHIN: Duration = Duration::from_secs(3);
const BACK_WITHIN: Duration = Duration::from_secs(12);

fn console(home: &Path, socket: &Path, lang: &str) -> Console {
    let socket = socket.to_str().expect("utf-8 path");
    let console = Console::start(home, &["--socket", socket, "--lang", lang]);
    console.wait_for_first_screen();
    console
}

struct Words {
    lost: &'static str,
    not_loaded: &'static str,
    back: &'static str,
}

const VI: Words = Words {
    lost: "Mất kết nối máy chủ: màn hình có thể đã cũ, đang kết nối lại",
    not_loaded: "(chưa tải được: mất kết nối máy chủ)",
    back: "Đã kết nối lại với máy chủ",
};
const EN: Words = Words {
    lost: "Link to the server lost: screen may be stale, reconnecting",
    not_loaded: "(not loaded: the link to the server is lost)",
    back: "Reconnected to the server",
};

#[test]
fn consoles_say_the_daemon_is_gone_keep_their_rows_and_carry_on_when_it_is_back() {
    let desk = common::Desk::new();
    desk.ok(&["seed", "--sample"]);
    desk.account_for_me("CB-000004", "123456");
    let run = desk.path().join("run");
    std::fs::create_dir(&run).expect("socket dir");
    std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700))
        .expect("chmod");
    let socket = run.join("trucban.sock");
    let data = desk.path().join("data");
    let home = desk.path();

    let daemon = Served::start(home, &data, &socket);
    let mut vi = console(home, &socket, "vi");
    let mut en = console(home, &socket, "en");

    // Bug 8: through the daemon the form's officer is the session's, said so, and cannot be
    // typed over (the service would act as the session's officer anyway).
    for (console, fixed, lang) in [
        (&mut vi, "CB-000004 (theo phiên đăng nhập)", "vi"),
        (&mut en, "CB-000004 (from the session)", "en"),
    ] {
        console.send(b"a");
        console.wait_screen(&format!("{lang}: the form's officer"), SAID_WITHIN, &|s| {
            s.contains(fixed)
        });
        // To the officer field (status, note, officer), then try to change it.
        console.send(b"\t\t9");
        console.send(b"\x7f\x7f\x7f");
        std::thread::sleep(Duration::from_millis(300));
        let now = console.screen();
        assert!(now.contains(fixed), "{lang}: the officer changed:\n{now}");
        console.send(b"\x1b");
    }

    // Round 1: kill -9.
    daemon.kill();
    for (console, words, lang) in [(&vi, &VI, "vi"), (&en, &EN, "en")] {
        console.wait_screen(&format!("{lang}: the loss, said"), SAID_WITHIN, &|s| {
            s.contains(words.lost)
        });
        // The rows it showed stay, under the banner.
        let now = console.screen();
        assert!(now.contains("TN-000001"), "{lang}: rows dropped:\n{now}");
    }
    // A write is refused with the true reason (not "no officer CB-000004"), the form kept.
    en.send(b"a");
    en.wait_screen("en: the status form", SAID_WITHIN, &|s| {
        s.contains("Change wanted status")
    });
    en.send(b"\r");
    std::thread::sleep(Duration::from_millis(200));
    en.send(b"caught at the post\r");
    en.wait_screen("en: the confirmation", SAID_WITHIN, &|s| {
        s.contains("Confirm and save")
    });
    en.send(b"\r");
    en.wait_screen("en: the refused save", SAID_WITHIN, &|s| {
        s.contains("Not saved: Cannot talk to trucban serve") && s.contains("Change wanted status")
    });
    en.send(b"\x1b");
    // A view that cannot be loaded now reads as not loaded, not as an empty one.
    vi.send(b":nt\r");
    vi.wait_screen(
        "vi: the hits view while the link is lost",
        SAID_WITHIN,
        &|s| s.contains(VI.not_loaded),
    );
    en.send(b":nt\r");
    en.wait_screen(
        "en: the hits view while the link is lost",
        SAID_WITHIN,
        &|s| s.contains(EN.not_loaded),
    );
    // Back: each console reconnects by itself and loads the view it is on.
    let daemon = Served::start(home, &data, &socket);
    for (console, words, lang) in [(&vi, &VI, "vi"), (&en, &EN, "en")] {
        console.wait_screen(&format!("{lang}: back after kill -9"), BACK_WITHIN, &|s| {
            s.contains(words.back) && s.contains("NT-0000") && !s.contains(words.lost)
        });
    }

    // Round 2: SIGTERM (the daemon says goodbye), then back again.
    daemon.stop();
    for (console, words, lang) in [(&vi, &VI, "vi"), (&en, &EN, "en")] {
        console.wait_screen(
            &format!("{lang}: the loss after SIGTERM"),
            SAID_WITHIN,
            &|s| s.contains(words.lost) && s.contains("NT-0000"),
        );
    }
    let _daemon = Served::start(home, &data, &socket);
    for (console, words, lang) in [(&vi, &VI, "vi"), (&en, &EN, "en")] {
        console.wait_screen(&format!("{lang}: back after SIGTERM"), BACK_WITHIN, &|s| {
            s.contains(words.back) && !s.contains(words.lost)
        });
    }
    // And it works: a record opens from the reloaded view.
    vi.send(b"\r");
    vi.wait_screen(
        "vi: a hit opens after the reconnection",
        SAID_WITHIN,
        &|s| s.contains("NT-0000") && s.contains("›"),
    );
}

/// A daemon that answers but refuses this officer (here: one serving a store where the OS
/// user has no account) is said so, in the officer's language, instead of "reconnecting"
/// forever in silence; the rows stay.
#[test]
fn a_console_the_daemon_refuses_says_why() {
    let desk = common::Desk::new();
    desk.ok(&["seed", "--sample"]);
    desk.account_for_me("CB-000004", "123456");
    let elsewhere = common::Desk::new();
    elsewhere.ok(&["seed", "--sample"]);
    let run = desk.path().join("run");
    std::fs::create_dir(&run).expect("socket dir");
    std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700))
        .expect("chmod");
    let socket = run.join("trucban.sock");
    let home = desk.path();

    let daemon = Served::start(home, &desk.path().join("data"), &socket);
    let vi = console(home, &socket, "vi");
    let en = console(home, &socket, "en");
    daemon.kill();
    let _other = Served::start(home, &elsewhere.path().join("data"), &socket);
    for (console, refused, lang) in [
        (&vi, "⚠ Máy chủ từ chối: Tài khoản không được nhận", "vi"),
        (&en, "⚠ Server refuses: Account not recognised", "en"),
    ] {
        console.wait_screen(&format!("{lang}: the refusal"), BACK_WITHIN, &|s| {
            s.contains(refused) && s.contains("TN-000001")
        });
    }
}
